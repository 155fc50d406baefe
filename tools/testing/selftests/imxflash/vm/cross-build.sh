#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# cross-build.sh armhf|arm64
#
# What the armhf (arm64) VM suites run of ours, built for that architecture
# into build/cross/ARCH with the layout of build/ (run-vm.sh --arch puts
# that tree where the guest's scripts look for build/): the tools in
# userspace/ (imx-sdp, fastboot-lite, imx-factory, fastboot-target) and
# the test programs in tests/ and tools/ (fb_mkimage, sdp_memcheck,
# mkimx...).  Static, glibc, Debian's gcc-arm-linux-gnueabihf
# (gcc-aarch64-linux-gnu), as
# `make release` builds them (tools/packaging/release.sh): fastboot-target
# links the libnl .a files of ARCH, fetched with apt-download.sh and
# unpacked into build/cross/ARCH/sysroot, never installed.
set -eu

die() { echo "cross-build.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: cross-build.sh armhf|arm64"
arch=$1
here=$(cd "$(dirname "$0")" && pwd -P)
proj=$(cd "$here/../../../../.." && pwd -P)
case $arch in
armhf) t=arm-linux-gnueabihf ;;
arm64) t=aarch64-linux-gnu ;;
*) die "unsupported architecture $arch" ;;
esac
command -v $t-gcc >/dev/null || die "$t-gcc not found (apt-get install gcc-$t)"
b=$proj/build/cross/$arch
sr=$b/sysroot
mkdir -p "$b"

if [ ! -f "$sr/.stamp" ]; then
	for p in libnl-3-dev libnl-genl-3-dev; do
		v=$("$proj/tools/packaging/apt-download.sh" "$arch" candidate "$p") &&
		deb=$("$proj/tools/packaging/apt-download.sh" "$arch" get "$p=$v") &&
		dpkg-deb -x "$deb" "$sr" || die "cannot get $p for $arch"
	done
	touch "$sr/.stamp"
fi
nl=
for d in "$sr/lib/$t" "$sr/usr/lib/$t"; do
	[ -f "$d/libnl-3.a" ] && [ -f "$d/libnl-genl-3.a" ] && nl=$d
done
[ -n "$nl" ] || die "no libnl-3.a/libnl-genl-3.a in $sr"

make -C "$proj/userspace" B="$b/userspace" CC=$t-gcc FT_CC=$t-gcc \
	FT_STATIC=-static "FT_NL_CFLAGS=-I$sr/usr/include/libnl3" \
	"FT_NL_LIBS=$nl/libnl-genl-3.a $nl/libnl-3.a" ||
	die "userspace tools for $arch failed"
sel=$proj/tools/testing/selftests/imxflash
rm -rf "$b/tests"	# flags are not in the dependencies
# 32-bit: the emulated boards' memory sits above 2 GiB (debugfs offsets)
make -C "$sel" B="$b" CC=$t-gcc TEST_PROGS_CFLAGS=-D_FILE_OFFSET_BITS=64 \
	"$b/tests/fb_mkimage" "$b/tests/sdp_memcheck" \
	"$b/tools/mkimx" || die "test programs for $arch failed"
