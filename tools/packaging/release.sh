#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# release.sh: static imx-sdp, fastboot-lite, imx-factory and
# fastboot-target for x86_64, armhf and arm64, in one tarball:
#
#   build/release/imxflash-VERSION-static.tar.gz
#   build/release/SHA256SUMS          of the tarball
#   inside: imxflash-VERSION-static/ARCH/TOOL, SHA256SUMS of every
#           binary, the udev rules and the man pages
#
# Compilers: musl-gcc (musl-tools) for x86_64; Debian 12 has no musl
# cross compiler, so armhf and arm64 link glibc statically with
# gcc-arm-linux-gnueabihf and gcc-aarch64-linux-gnu. fastboot-target needs
# libnl-3 and libnl-genl-3, which Debian builds for glibc only: it links
# glibc statically everywhere, against the host's libnl .a on x86_64 and
# against libnl-3-dev/libnl-genl-3-dev of the target architecture fetched
# with apt-download.sh and unpacked into build/release/sysroot-ARCH
# (never installed).
#
# The tarball is reproducible: file times are those of the last commit
# (SOURCE_DATE_EPOCH), owners root, names sorted, gzip -n.
set -eu

die() { echo "release.sh: $*" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd -P)
top=$(cd "$here/../.." && pwd -P)
out=$top/build/release
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
name=imxflash-$ver-static
stage=$out/$name
tools="imx-sdp fastboot-lite imx-factory fastboot-target"
: "${SOURCE_DATE_EPOCH:=$(git -C "$top" log -1 --format=%ct 2>/dev/null || date +%s)}"
export SOURCE_DATE_EPOCH

rm -rf "$out"
mkdir -p "$stage"

# sysroot ARCH TRIPLET: libnl of ARCH unpacked into build/release/sysroot-ARCH;
# prints the directory of its .a files
sysroot() {
	sr=$out/sysroot-$1
	for p in libnl-3-dev libnl-genl-3-dev; do
		v=$("$here/apt-download.sh" "$1" candidate "$p") || return 1
		deb=$("$here/apt-download.sh" "$1" get "$p=$v") || return 1
		dpkg-deb -x "$deb" "$sr" || return 1
	done
	# Debian 12 ships the .a in /lib/TRIPLET
	for d in "$sr/lib/$2" "$sr/usr/lib/$2"; do
		[ -f "$d/libnl-3.a" ] && [ -f "$d/libnl-genl-3.a" ] && { echo "$d"; return 0; }
	done
	echo "release.sh: no libnl-3.a and libnl-genl-3.a in $1's libnl packages" >&2
	return 1
}

# build ARCH: the four tools into $out/obj-ARCH, copied to $stage/ARCH
build() {
	arch=$1
	b=$out/obj-$arch
	case $arch in
	x86_64)
		command -v musl-gcc >/dev/null || die "musl-gcc not found (make deps)"
		set -- CC=musl-gcc
		;;
	armhf|arm64)
		if [ "$arch" = armhf ]; then t=arm-linux-gnueabihf; else t=aarch64-linux-gnu; fi
		command -v $t-gcc >/dev/null || die "$t-gcc not found (make deps)"
		nl=$(sysroot "$arch" "$t") || die "libnl for $arch"
		set -- CC=$t-gcc FT_CC=$t-gcc FT_STATIC=-static \
			"FT_NL_CFLAGS=-I$out/sysroot-$arch/usr/include/libnl3" \
			"FT_NL_LIBS=$nl/libnl-genl-3.a $nl/libnl-3.a"
		;;
	esac
	echo "release.sh: $arch: make -C userspace $*"
	make -C "$top/userspace" B="$b" "$@" >"$out/build-$arch.log" 2>&1 || {
		tail -n 30 "$out/build-$arch.log" >&2
		die "$arch build failed (build/release/build-$arch.log)"
	}
	mkdir -p "$stage/$arch"
	for tool in $tools; do
		cp "$b/$tool" "$stage/$arch/$tool"
	done
}

for arch in x86_64 armhf arm64; do
	build $arch
done

install -m 0644 "$top/tools/packaging/udev/70-imxflash.rules" "$stage/"
mkdir -p "$stage/man"
cp "$top"/Documentation/*.1 "$top"/Documentation/*.8 "$stage/man/"
(cd "$stage" && find . -type f | sed 's|^\./||' | LC_ALL=C sort |
	xargs sha256sum >"$out/SHA256SUMS.tmp" && mv "$out/SHA256SUMS.tmp" SHA256SUMS)

tarball=$name.tar.gz
(cd "$out" && tar --sort=name --owner=0 --group=0 --numeric-owner \
	--mtime="@$SOURCE_DATE_EPOCH" --mode='u+rwX,go+rX,go-w' -cf - "$name" |
	gzip -9n >"$tarball")
(cd "$out" && sha256sum "$tarball" >SHA256SUMS)

echo "release.sh: build/release/$tarball ($(stat -c %s "$out/$tarball") bytes)"
printf '%-8s' arch
for tool in $tools; do printf ' %16s' "$tool"; done
echo
for arch in x86_64 armhf arm64; do
	printf '%-8s' $arch
	for tool in $tools; do printf ' %16s' "$(stat -c %s "$stage/$arch/$tool")"; done
	echo
done
