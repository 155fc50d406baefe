#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages on the host (TAP): make deb builds imxflash-dkms and
# imxflash-tools with lintian reporting no error; dpkg -i installs them,
# the dkms postinst builds and installs the modules for the installed 6.1
# kernel headers (modinfo -k finds them), the tools, man pages and udev
# rules are in place and run; dpkg --purge removes all of it again.
#
# depmod's indexes of /lib/modules/<kver> are put back as they were.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(cd "$here/../../../../.." && pwd -P)
# shellcheck source=SCRIPTDIR/tap.sh
. "$here/tap.sh"
out=$top/build/pkgcheck/deb
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
kver=$("$top/tools/testing/selftests/imxflash/vm/kver.sh" 6.1) || {
	echo "not ok 1 - no 6.1 kernel headers (make deps)"
	exit 1
}
moddir=/lib/modules/$kver
mods="hid-imx-sdp usb_f_sdp usb_f_fastboot"
pkgs="imxflash-tools imxflash-dkms"
rm -rf "$out"
mkdir -p "$out"
cd "$top" || exit 1

installed() { dpkg-query -W -f '${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
for p in $pkgs; do
	if installed "$p" || [ -e "/var/lib/dkms/imxflash" ]; then
		echo "not ok 1 - $p (or imxflash in dkms) is already installed on this machine: not touching it"
		exit 1
	fi
done
had_index=0
[ -f "$moddir/modules.dep" ] && had_index=1
had_updates=0
[ -d "$moddir/updates" ] && had_updates=1

t0=$(date +%s)
if make deb >"$out/mkdeb.log" 2>&1; then
	ok "make deb: imxflash-dkms, imxflash-tools built, lintian: no error ($(( $(date +%s) - t0 )) s; $(grep -c '^W: ' build/deb/lintian.log) warnings)"
	grep -E '^[EW]: ' build/deb/lintian.log | sed 's/^/#   /'
else
	show_log "$out/mkdeb.log"
	not_ok "make deb"
fi
debs="build/deb/imxflash-dkms_${ver}_all.deb build/deb/imxflash-tools_${ver}_$(dpkg --print-architecture).deb"

t0=$(date +%s)
# shellcheck disable=SC2086
if DEBIAN_FRONTEND=noninteractive dpkg -i $debs >"$out/dpkg-i.log" 2>&1 &&
   installed imxflash-dkms && installed imxflash-tools; then
	ok "dpkg -i imxflash-dkms imxflash-tools ($(( $(date +%s) - t0 )) s with the dkms build)"
else
	show_log "$out/dpkg-i.log" 30
	not_ok "dpkg -i (see ${out#"$top"/}/dpkg-i.log)"
fi

bad=
for m in $mods; do
	f=$(modinfo -k "$kver" -F filename "$m" 2>/dev/null)
	[ "$f" = "$moddir/updates/dkms/$m.ko" ] || bad="$bad $m:'$f'"
done
if [ -z "$bad" ] && dkms status -m imxflash -v "$ver" -k "$kver" | grep -q installed; then
	ok "postinst: dkms built and installed the three modules for $kver (updates/dkms)"
else
	dkms status 2>&1 | sed 's/^/#   dkms status: /'
	not_ok "modules after dpkg -i:$bad"
fi

bad=
for t in /usr/bin/imx-sdp /usr/bin/fastboot-lite /usr/bin/imx-factory /usr/sbin/fastboot-target; do
	v=$("$t" --version 2>&1) || bad="$bad ${t##*/}"
	case $v in "${t##*/} "*) ;; *) bad="$bad ${t##*/}('$v')" ;; esac
done
for p in imx-sdp.1 fastboot-lite.1 imx-factory.1 fastboot-target.8; do
	s=${p##*.}
	[ -f "/usr/share/man/man$s/$p.gz" ] || bad="$bad man:$p"
done
[ -f /lib/udev/rules.d/70-imxflash.rules ] || bad="$bad udev-rules"
if [ -z "$bad" ]; then
	ok "installed tools run (--version), man pages and udev rules in place"
else
	not_ok "installed package contents:$bad"
fi

# shellcheck disable=SC2086
if DEBIAN_FRONTEND=noninteractive dpkg --purge $pkgs >"$out/purge.log" 2>&1; then
	ok "dpkg --purge imxflash-tools imxflash-dkms"
else
	show_log "$out/purge.log"
	not_ok "dpkg --purge"
fi

left=
for p in $pkgs; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'not-installed' ||
		[ -z "$(dpkg-query -W -f '${Status}' "$p" 2>/dev/null)" ] || left="$left pkg:$p"
done
for m in $mods; do
	[ -e "$moddir/updates/dkms/$m.ko" ] && left="$left $m.ko"
done
for f in /usr/src/imxflash-"$ver" /var/lib/dkms/imxflash /usr/bin/imx-sdp \
	 /usr/sbin/fastboot-target /lib/udev/rules.d/70-imxflash.rules \
	 /usr/share/man/man1/imx-sdp.1.gz /usr/share/doc/imxflash-tools; do
	[ -e "$f" ] && left="$left $f"
done
if [ -z "$left" ]; then
	ok "after purge: packages, modules, sources, dkms state, tools, rules gone"
else
	not_ok "left after purge:$left"
fi

[ $had_updates -eq 1 ] || rmdir "$moddir/updates/dkms" "$moddir/updates" 2>/dev/null
if [ $had_index -eq 0 ] && [ -z "$(find "$moddir/" -name '*.ko*' -print -quit)" ]; then
	rm -f "$moddir"/modules.*
fi

done_tap
