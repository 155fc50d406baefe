#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# get-kernel.sh KVER OUTDIR
#
# Fetch the Debian kernel image package matching KVER (6.1, 6.12 or a full
# ABI name such as 6.1.0-56-amd64) with `apt-get download`, unpack it into
# OUTDIR with dpkg-deb -x (nothing is installed, /boot is not touched) and
# run `depmod -b OUTDIR KVER`.  The package is linux-image-KVER (signed) or,
# if apt does not know that one, linux-image-KVER-unsigned; its version is
# the one of the installed linux-headers-KVER when available, so the image
# ABI matches the headers our modules are built against.
#
# Compressed modules (6.12 ships .ko.xz) are decompressed, so that busybox
# modprobe/insmod in the guest load them with a plain finit_module() (no
# "Invalid ELF header magic" retries) and module files are *.ko on every
# kernel.  The ELF vmlinux is also pulled out of the bzImage into
# OUTDIR/boot/vmlinux-KVER: QEMU boots it directly through its PVH entry
# point, which skips the in-guest decompression (about 4 s under TCG for the
# xz-compressed 6.1 image); run-vm.sh falls back to vmlinuz without it.
# Idempotent: OUTDIR/.imxf-kernel-stamp records what was unpacked.
#
# An armmp KVER (6.1.0-56-armmp, the i.MX6 kernel of the sabrelite VM) is
# fetched for armhf by tools/packaging/apt-download.sh (a private apt state
# for the foreign architecture, nothing installed), its candidate version;
# its device trees stay in OUTDIR/usr/lib/linux-image-KVER.  An arm64 KVER
# (6.1.0-56-arm64, the arm64 station VM) is fetched the same way for arm64.
#
# Env: IMXF_VM_CACHE  where .deb files are kept (default: the machine-wide
#                     $IMXF_CACHE/debs, /var/cache/imxflash/debs, shared
#                     by fresh clones; <project>/build/vm/cache/debs if it
#                     cannot be created)
set -eu

die() { echo "get-kernel.sh: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: get-kernel.sh KVER OUTDIR"
here=$(cd "$(dirname "$0")" && pwd -P)
proj=$(cd "$here/../../../../.." && pwd -P)
kver=$("$here/kver.sh" "$1")
out=$2
cache=${IMXF_VM_CACHE:-${IMXF_CACHE:-/var/cache/imxflash}/debs}
mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ] || cache=$proj/build/vm/cache/debs
stamp=$out/.imxf-kernel-stamp
fmt=3	# bump when the layout of OUTDIR changes

case $kver in
*-armmp) arch=armhf ;;
*-arm64) arch=arm64 ;;
*) arch= ;;
esac
if [ -n "$arch" ]; then
	hver=$("$proj/tools/packaging/apt-download.sh" "$arch" candidate "linux-image-$kver") ||
		die "no linux-image-$kver for $arch"
else
	hver=$(dpkg-query -W -f '${Version}' "linux-headers-$kver" 2>/dev/null ||
	       cut -d' ' -f2 "$proj/build/kheaders/amd64/usr/src/linux-headers-$kver/.imxf-headers" 2>/dev/null ||
	       true)
fi

extracted_ok() {	# extracted_ok VERSION
	[ -f "$stamp" ] && [ "$(cut -d' ' -f2- "$stamp")" = "$1 $fmt" ] &&
	[ -f "$out/boot/vmlinuz-$kver" ] && [ -f "$out/lib/modules/$kver/modules.dep" ]
}
[ -n "$hver" ] && extracted_ok "$hver" && exit 0

# a cached .deb of the wanted version (works offline)
deb=
if [ -n "$hver" ]; then
	v=$(echo "$hver" | sed 's/^[0-9]*://')	# no epoch in .deb names
	for p in "linux-image-$kver" "linux-image-$kver-unsigned"; do
		f=$cache/${p}_${v}_amd64.deb
		[ -s "$f" ] && { deb=$f; pkg=$p; break; }
	done
fi

if [ -z "$deb" ] && [ -n "$arch" ]; then
	pkg=linux-image-$kver
	deb=$("$proj/tools/packaging/apt-download.sh" "$arch" get "$pkg=$hver") ||
		die "apt-get download $pkg=$hver ($arch) failed"
fi
if [ -z "$deb" ]; then
	candidate() {
		apt-cache policy "$1" 2>/dev/null | sed -n 's/^  Candidate: //p' | grep -v '^(none)$'
	}
	pkg=
	for p in "linux-image-$kver" "linux-image-$kver-unsigned"; do
		if [ -n "$(candidate "$p")" ]; then pkg=$p; break; fi
	done
	[ -n "$pkg" ] || die "apt knows neither linux-image-$kver nor linux-image-$kver-unsigned (run apt-get update?)"
	[ -n "$hver" ] || {
		hver=$(candidate "$pkg")
		echo "get-kernel.sh: warning: linux-headers-$kver not installed, using $pkg $hver" >&2
		extracted_ok "$hver" && exit 0
	}

	echo "get-kernel.sh: downloading $pkg=$hver" >&2
	mkdir -p "$cache"
	tmp=$(mktemp -d "$cache/.dl.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	# apt drops privileges to _apt for the download if the dir allows it
	chmod 0777 "$tmp" 2>/dev/null || true
	(cd "$tmp" && apt-get download -q "$pkg=$hver" >&2) ||
		die "apt-get download $pkg=$hver failed"
	set -- "$tmp"/*.deb
	[ -s "$1" ] || die "apt-get download $pkg produced no .deb"
	deb=$cache/${1##*/}
	mv "$1" "$deb"
fi

echo "get-kernel.sh: unpacking ${deb##*/} into $out" >&2
rm -rf "$out"
mkdir -p "$out"
dpkg-deb -x "$deb" "$out" || die "dpkg-deb -x $deb failed"
[ -f "$out/boot/vmlinuz-$kver" ] || die "$deb has no boot/vmlinuz-$kver"
[ -d "$out/lib/modules/$kver" ] || die "$deb has no lib/modules/$kver"
n=$(find "$out/lib/modules/$kver" -name '*.ko.xz' | wc -l)
if [ "$n" -gt 0 ]; then
	command -v xz >/dev/null || die "xz not found (apt-get install xz-utils)"
	echo "get-kernel.sh: decompressing $n modules" >&2
	find "$out/lib/modules/$kver" -name '*.ko.xz' -print0 |
		xargs -0 -r -P "$(nproc)" -n 100 xz -d || die "decompressing modules failed"
fi
n=$(find "$out/lib/modules/$kver" \( -name '*.ko.zst' -o -name '*.ko.gz' \) | wc -l)
[ "$n" -eq 0 ] || die "unexpected .ko.zst/.ko.gz modules in $deb"
depmod -b "$out" "$kver" || die "depmod -b $out $kver failed"

# vmlinux for PVH boot (x86): the payload after the first xz/zstd magic
vmlinuz=$out/boot/vmlinuz-$kver
vmlinux=$out/boot/vmlinux-$kver
magic_off() {	# magic_off PCRE-BYTES -> 1-based offset for tail -c +N
	o=$(LC_ALL=C grep -obUaP "$1" "$vmlinuz" 2>/dev/null | head -n1 | cut -d: -f1)
	[ -n "$o" ] && echo $((o + 1))
}
if [ -z "$arch" ]; then
	if o=$(magic_off '\xfd7zXZ\x00') && command -v xz >/dev/null; then
		tail -c +"$o" "$vmlinuz" | xz -dcq --single-stream >"$vmlinux.tmp" 2>/dev/null || true
	elif o=$(magic_off '\x28\xb5\x2f\xfd') && command -v zstd >/dev/null; then
		# zstd complains about the bytes after the frame: ignore, check below
		tail -c +"$o" "$vmlinuz" | zstd -dcq >"$vmlinux.tmp" 2>/dev/null || true
	fi
	if [ -s "$vmlinux.tmp" ] && [ "$(od -An -c -N4 "$vmlinux.tmp" | tr -d ' ')" = '177ELF' ] &&
	   { ! command -v readelf >/dev/null ||
	     LC_ALL=C readelf -n "$vmlinux.tmp" | grep -q 'Xen.*(0x00000012)'; }; then
		mv "$vmlinux.tmp" "$vmlinux"
	else
		rm -f "$vmlinux.tmp"
		echo "get-kernel.sh: note: no PVH vmlinux extracted, booting the bzImage (slower)" >&2
	fi
fi
echo "$pkg $hver $fmt" >"$stamp"
echo "get-kernel.sh: $kver ready in $out" >&2
