#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# mkstation.sh ARCH KVER KROOT OUT.img
#
# The root of the test VM's "host side" on a foreign architecture (armhf:
# the sabrelite VM, see run-vm.sh --arch): a Debian 12 userland of ARCH
# made of unpacked packages, what the test scripts run through /bin/bash
# and hostrun on x86 from the machine's own root (bash, coreutils, cmp,
# sfdisk, losetup, mkfs.ext4, img2simg, Debian's fastboot 29.0.6,
# imx_usb, python3, kmod), the kernel KVER's modules (from KROOT, unpacked
# by get-kernel.sh) in /lib/modules/KVER, and the mount points the guest's
# /init binds into it.  Written as an ext4 image (mke2fs -d, no root or
# loop device needed) of a power-of-two size (QEMU's SD card model wants
# one), mounted read-only at /hv by the guest.
#
# Packages are resolved by apt (a dry run against an empty status, the
# package lists of ARCH kept privately by tools/packaging/apt-download.sh),
# fetched with `apt-get download` through apt-download.sh and unpacked with
# dpkg-deb -x: nothing is installed on this machine and no maintainer
# script runs.  Packages that only serve maintainer scripts (perl, debconf,
# dpkg, usrmerge) are left out.  Rebuilt only when an input changes (a
# sha256 over the inputs next to OUT as OUT.inputs).
set -eu

die() { echo "mkstation.sh: $*" >&2; exit 1; }

[ $# -eq 4 ] || die "usage: mkstation.sh ARCH KVER KROOT OUT.img"
arch=$1 kver=$2 kroot=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd -P)
proj=$(cd "$here/../../../../.." && pwd -P)
dl=$proj/tools/packaging/apt-download.sh
[ -x "$dl" ] || die "$dl missing"
[ -f "$kroot/lib/modules/$kver/modules.dep" ] || die "$kroot is not an unpacked $kver kernel"

# what the test scripts run (see lib/lib_fastboot.sh and the suites)
PKGS="bash coreutils diffutils sed grep mawk findutils procps util-linux
 fdisk e2fsprogs kmod python3-minimal libpython3.11-stdlib python3-yaml
 android-sdk-libsparse-utils fastboot imx-usb-loader"
# only needed by maintainer scripts, which never run here
SKIP="perl perl-base perl-modules-5.36 libperl5.36 libfile-find-rule-perl
 libnumber-compare-perl libtext-glob-perl debconf dpkg usrmerge
 usr-is-merged init-system-helpers install-info media-types"
SIZE=1024	# MiB, a power of two; the image file is sparse

inputs=$( {
	echo "arch=$arch kver=$kver pkgs=$PKGS skip=$SKIP size=$SIZE"
	cat "$kroot/.imxf-kernel-stamp" 2>/dev/null || true
	sha256sum < "$here/mkstation.sh"	# content only: clones elsewhere share it
} | sha256sum | cut -d' ' -f1)
if [ -s "$out" ] && [ "$(cat "$out.inputs" 2>/dev/null)" = "$inputs" ]; then
	exit 0
fi

# the private package lists (made by apt-download.sh on first use)
"$dl" "$arch" candidate bash >/dev/null || die "no package lists for $arch"
st=$proj/build/apt/$arch
[ -d "$st/lists" ] || die "$st/lists missing (apt-download.sh layout changed?)"
# shellcheck disable=SC2086
sel=$(apt-get -o Dir::State::Lists="$st/lists" -o Dir::State::Status="$st/status" \
	-o Dir::Cache="$st/cache" -o APT::Architecture="$arch" \
	-o APT::Architectures::="$arch" -o Debug::NoLocking=1 \
	-s --no-install-recommends install $PKGS 2>&1 |
	sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) .*/\1=\2/p') ||
	die "apt cannot resolve the packages for $arch"
[ -n "$sel" ] || die "apt resolved nothing for $arch"
want=
for pv in $sel; do
	case " $(echo $SKIP) " in *" ${pv%%=*} "*) continue ;; esac
	want="$want $pv"
done
# shellcheck disable=SC2086
debs=$("$dl" "$arch" get $want) || die "downloading the $arch packages failed"

echo "mkstation.sh: building $out ($(echo "$debs" | wc -l) packages)" >&2
mkdir -p "$(dirname "$out")"
stage=$(mktemp -d "$(dirname "$out")/.stage.XXXXXX")
trap 'rm -rf "$stage" "$out.tmp"' EXIT
for d in $debs; do
	dpkg-deb -x "$d" "$stage" || die "dpkg-deb -x $d failed"
done

# what maintainer scripts and base-files would have made
mkdir -p "$stage/etc" "$stage/root" "$stage/var/tmp" "$stage/lib/modules"
[ -e "$stage/bin/sh" ] || ln -s bash "$stage/bin/sh"
echo "root:x:0:0:root:/root:/bin/sh" >"$stage/etc/passwd"
echo "root:x:0:" >"$stage/etc/group"
[ -e "$stage/usr/bin/awk" ] || ln -s mawk "$stage/usr/bin/awk"
[ -e "$stage/usr/bin/python3" ] || ln -s python3.11 "$stage/usr/bin/python3"
# the dynamic linker's cache (it does not read ld.so.conf.d itself)
ldconfig -r "$stage" 2>/dev/null || echo "mkstation.sh: note: no ld.so.cache" >&2
# mount points for the guest's /init: its own /dev /proc /sys /tmp /run
# /out and the project tree under /host
for d in dev proc sys tmp run out host; do mkdir -p "$stage/$d"; done
cp -a "$kroot/lib/modules/$kver" "$stage/lib/modules/" ||
	die "copying the $kver modules failed"

rm -f "$out.tmp"
mke2fs -q -t ext4 -L imxf-station -E root_owner=0:0 -d "$stage" \
	"$out.tmp" "${SIZE}M" || die "mke2fs -d failed"
mv "$out.tmp" "$out"
echo "$inputs" >"$out.inputs"
echo "mkstation.sh: $out: $(du -sm "$stage" | cut -f1) MiB of files" >&2
