#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DKMS on the host (TAP): Debian's dkms adds, builds and installs the
# three modules of dkms.conf for the 6.1 kernel whose headers are
# installed (never the running kernel: -k everywhere), modinfo -k and
# modprobe -S find them in /lib/modules/<kver>/updates/dkms, then
# dkms remove --all takes them out again.
#
# The sources and dkms' state live under build/pkgcheck/dkms
# (--sourcetree, --dkmstree); only the install tree is the real
# /lib/modules, as it must be for modprobe. depmod's indexes are put back
# as they were: removed again if the kernel had none before.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(cd "$here/../../../../.." && pwd -P)
# shellcheck source=SCRIPTDIR/tap.sh
. "$here/tap.sh"
out=$top/build/pkgcheck/dkms
name=imxflash
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
kver=$("$top/tools/testing/selftests/imxflash/vm/kver.sh" 6.1) || {
	echo "not ok 1 - no 6.1 kernel headers (make deps)"
	exit 1
}
mods="hid-imx-sdp usb_f_sdp usb_f_fastboot"
moddir=/lib/modules/$kver
D() { dkms --sourcetree "$out/src" --dkmstree "$out/tree" "$@"; }

command -v dkms >/dev/null || { echo "not ok 1 - dkms not installed (make deps)"; exit 1; }
for m in $mods; do
	if [ -e "$moddir/updates/dkms/$m.ko" ]; then
		echo "not ok 1 - $moddir/updates/dkms/$m.ko is already installed" \
			"(imxflash-dkms?): not touching it"
		exit 1
	fi
done

rm -rf "$out"
mkdir -p "$out/src/$name-$ver" "$out/tree"
cp -a "$top/Kbuild" "$top/drivers" "$top/lib" "$top/include" "$top/dkms.conf" \
	"$out/src/$name-$ver/"
had_index=0
[ -f "$moddir/modules.dep" ] && had_index=1
had_updates=0
[ -d "$moddir/updates" ] && had_updates=1

if D add -m "$name" -v "$ver" >"$out/add.log" 2>&1 &&
   D status -m "$name" -v "$ver" | grep -q "^$name/$ver: added"; then
	ok "dkms add $name/$ver"
else
	show_log "$out/add.log"
	not_ok "dkms add (see ${out#"$top"/}/add.log)"
fi

t0=$(date +%s)
if D build -m "$name" -v "$ver" -k "$kver" >"$out/build.log" 2>&1; then
	ok "dkms build -k $kver ($(( $(date +%s) - t0 )) s)"
else
	show_log "$out/build.log"
	show_log "$out/tree/$name/$ver/build/make.log"
	not_ok "dkms build -k $kver"
fi

if D install -m "$name" -v "$ver" -k "$kver" >"$out/install.log" 2>&1 &&
   D status -m "$name" -v "$ver" -k "$kver" | grep -q "installed"; then
	ok "dkms install -k $kver"
else
	show_log "$out/install.log"
	not_ok "dkms install -k $kver"
fi

bad=
for m in $mods; do
	f=$(modinfo -k "$kver" -F filename "$m" 2>/dev/null)
	[ "$f" = "$moddir/updates/dkms/$m.ko" ] || bad="$bad $m:'$f'"
	vm=$(modinfo -k "$kver" -F vermagic "$m" 2>/dev/null)
	case $vm in "$kver "*) ;; *) bad="$bad $m:vermagic'$vm'" ;; esac
done
if [ -z "$bad" ]; then
	ok "modinfo -k $kver: the three modules in $moddir/updates/dkms, vermagic $kver"
else
	not_ok "modinfo -k $kver:$bad"
fi

bad=
for m in $mods; do
	l=$(modprobe -n -v -S "$kver" "$m" 2>&1 | tail -n1)
	[ "$l" = "insmod $moddir/updates/dkms/$m.ko " ] ||
		[ "$l" = "insmod $moddir/updates/dkms/$m.ko" ] || bad="$bad $m:'$l'"
done
for a in usbfunc:fastboot:usb_f_fastboot usbfunc:sdp:usb_f_sdp \
	 hid:b0003g0001v000015A2p00000054:hid_imx_sdp; do
	r=$(modprobe -S "$kver" -R "${a%:*}" 2>/dev/null | head -n1)
	[ "$r" = "${a##*:}" ] || bad="$bad ${a%:*}->'$r'"
done
if [ -z "$bad" ]; then
	ok "modprobe -n -v -S $kver loads them from there; usbfunc and ROM aliases resolve"
else
	not_ok "modprobe -S $kver:$bad"
fi

if D remove -m "$name" -v "$ver" --all >"$out/remove.log" 2>&1; then
	ok "dkms remove --all"
else
	show_log "$out/remove.log"
	not_ok "dkms remove --all"
fi

left=
for m in $mods; do
	[ -e "$moddir/updates/dkms/$m.ko" ] && left="$left $m.ko"
	modinfo -k "$kver" "$m" >/dev/null 2>&1 && left="$left modinfo:$m"
done
[ -d "$out/tree/$name" ] && left="$left dkms-tree"
if [ -z "$left" ]; then
	ok "after remove: no module file, modinfo finds none, dkms knows none"
else
	not_ok "after remove:$left"
fi

# put /lib/modules/<kver> back as it was
[ $had_updates -eq 1 ] || rmdir "$moddir/updates/dkms" "$moddir/updates" 2>/dev/null
if [ $had_index -eq 0 ] && [ -z "$(find "$moddir/" -name '*.ko*' -print -quit)" ]; then
	rm -f "$moddir"/modules.*
fi
rm -rf "$out/tree" "$out/src"

done_tap
