#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages on the host (TAP): make deb builds imxflash-dkms and
# imxflash-tools with lintian reporting no error, and what each carries.
# Installing them (dkms postinst), the demo flow with the installed files
# and purging are installed_test.sh's, so the packages are installed and
# their modules built once per make check.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(cd "$here/../../../../.." && pwd -P)
# shellcheck source=SCRIPTDIR/tap.sh
. "$here/tap.sh"
out=$top/build/pkgcheck/deb
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
rm -rf "$out"
mkdir -p "$out"
cd "$top" || exit 1

t0=$(date +%s)
if make deb >"$out/mkdeb.log" 2>&1; then
	ok "make deb: imxflash-dkms, imxflash-tools built, lintian: no error ($(( $(date +%s) - t0 )) s; $(grep -c '^W: ' build/deb/lintian.log) warnings)"
	grep -E '^[EW]: ' build/deb/lintian.log | sed 's/^/#   /'
else
	show_log "$out/mkdeb.log"
	not_ok "make deb"
fi
debs="build/deb/imxflash-dkms_${ver}_all.deb build/deb/imxflash-tools_${ver}_$(dpkg --print-architecture).deb"

# What each package carries, read from the .deb files (dpkg-deb -c).
# Installing, the dkms postinst and purging are installed_test.sh's: it
# runs the demo flow with what the packages installed.
contents() { dpkg-deb -c "$1" 2>/dev/null | awk '{ print $NF }' | sed 's|^\./|/|'; }
# shellcheck disable=SC2086
set -- $debs
dkms_deb=$1 tools_deb=$2
bad=
for f in /usr/src/imxflash-"$ver"/dkms.conf /usr/src/imxflash-"$ver"/Kbuild; do
	contents "$dkms_deb" | grep -qx "$f" || bad="$bad $f"
done
for m in drivers/hid/hid-imx-sdp.c drivers/usb/gadget/function/f_sdp.c \
	 drivers/usb/gadget/function/f_fastboot.c lib/imxflash/sdp_proto.c; do
	contents "$dkms_deb" | grep -qx "/usr/src/imxflash-$ver/$m" || bad="$bad $m"
done
if [ -z "$bad" ]; then
	ok "imxflash-dkms carries the module sources and dkms.conf in /usr/src/imxflash-$ver"
else
	not_ok "imxflash-dkms lacks:$bad"
fi
bad=
for f in /usr/bin/imx-sdp /usr/bin/fastboot-lite /usr/bin/imx-factory \
	 /usr/sbin/fastboot-target /usr/share/man/man1/imx-sdp.1.gz \
	 /usr/share/man/man1/fastboot-lite.1.gz /usr/share/man/man1/imx-factory.1.gz \
	 /usr/share/man/man8/fastboot-target.8.gz; do
	contents "$tools_deb" | grep -qx "$f" || bad="$bad $f"
done
contents "$tools_deb" | grep -q '/udev/rules.d/70-imxflash.rules$' || bad="$bad udev-rules"
if [ -z "$bad" ]; then
	ok "imxflash-tools carries the four tools, their man pages and the udev rules"
else
	not_ok "imxflash-tools lacks:$bad"
fi
# the modules of the dkms package, for the same kernel, build where
# modprobe finds them: dkms_test.sh; the tools are dynamic (lintian)
bad=
for t in imx-sdp fastboot-lite imx-factory; do
	x=$out/x/$t
	mkdir -p "$out/x"
	dpkg-deb --fsys-tarfile "$tools_deb" | tar -xO "./usr/bin/$t" >"$x" 2>/dev/null && chmod +x "$x" || bad="$bad $t"
	v=$("$x" --version 2>&1) || bad="$bad $t"
	case $v in "$t "*) ;; *) bad="$bad $t('$v')" ;; esac
done
if [ -z "$bad" ]; then
	ok "the packaged tools run (--version)"
else
	not_ok "packaged tools:$bad"
fi

done_tap
