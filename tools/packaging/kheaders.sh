#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kheaders.sh [--no-fetch] SERIES [ARCH]
#
# Print the directory of Debian's kernel headers for SERIES (6.1, 6.12) and
# ARCH (amd64, armhf, arm64; default: the host's), the KDIR to build our
# modules against. The flavour is the one Debian builds for that
# architecture: amd64, armmp (armhf, the i.MX6 kernel), arm64.
#
# Headers of the host's architecture installed in /usr/src are used as
# they are. Otherwise the packages linux-headers-<abi>-<flavour>,
# linux-headers-<abi>-common and linux-kbuild-<series> are fetched with
# apt-download.sh (apt-get download, nothing installed) and unpacked with
# dpkg-deb -x into build/kheaders/ARCH/, a tree laid out like / so the
# packages' relative scripts/ and tools/ links resolve inside it; only
# the flavour Makefile's absolute include of the -common Makefile is
# rewritten. That is how the 6.12 headers are got: Debian's
# linux-headers-6.12*-amd64 depends on the 6.12 kernel image, and
# installing it would put a new kernel into the host's /boot.
#
# linux-kbuild holds host programs (fixdep, modpost, sparse plugins are
# not in it): for a foreign ARCH the kbuild of the host's architecture is
# used, the host's /usr/lib/linux-kbuild-<series> when its version is the
# headers' version, else the amd64 package of that version unpacked in the
# tree. Cross builds then need
#   make -C KDIR DEB_BUILD_ARCH=amd64 DEB_HOST_ARCH=armhf \
#        DEB_HOST_GNU_TYPE=arm-linux-gnueabihf
# (the headers' .kernelvariables set CROSS_COMPILE from these).
#
# --no-fetch: print the directory only if it is already there (exit 1
# otherwise), without network access.
# Env: IMXF_HEADERS_DIR where installed headers are looked for (/usr/src;
# a directory without headers, e.g. /nonexistent, forces the download as
# on a fresh machine).
set -eu

die() { echo "kheaders.sh: $*" >&2; exit 1; }

fetch=1
[ "${1:-}" = --no-fetch ] && { fetch=0; shift; }
[ $# -ge 1 ] || die "usage: kheaders.sh [--no-fetch] SERIES [ARCH]"
series=$1
host=$(dpkg --print-architecture)
arch=${2:-$host}
here=$(cd "$(dirname "$0")" && pwd -P)
proj=$(cd "$here/../.." && pwd -P)
root=$proj/build/kheaders/$arch
dl=$here/apt-download.sh

case $arch in
amd64) flavour=amd64 ;;
armhf) flavour=armmp ;;
arm64) flavour=arm64 ;;
*) die "unsupported architecture $arch (amd64, armhf, arm64)" ;;
esac
case $series in
[0-9]*.[0-9]*) ;;
*) die "bad kernel series '$series' (want e.g. 6.1 or 6.12)" ;;
esac

# newest_in DIR: newest DIR/linux-headers-SERIES*-FLAVOUR (not rt, cloud)
newest_in() {
	for d in "$1"/linux-headers-"$series".*-"$flavour" \
		 "$1"/linux-headers-"$series"-*-"$flavour"; do
		[ -f "$d/.config" ] || continue
		case $d in *-rt-*|*-cloud-*) continue ;; esac
		echo "$d"
	done | sort -V | tail -n1
}

if [ "$arch" = "$host" ]; then
	d=$(newest_in "${IMXF_HEADERS_DIR:-/usr/src}")
	[ -n "$d" ] && { echo "$d"; exit 0; }
fi
d=$(newest_in "$root/usr/src")
if [ -n "$d" ] && [ -f "$d/.imxf-headers" ]; then
	echo "$d"
	exit 0
fi
[ $fetch -eq 1 ] || exit 1

# The version: that of the metapackage linux-headers-SERIES-FLAVOUR, or of
# linux-headers-FLAVOUR when it is the series of the release (6.1 in 12).
pick() {	# pick META: "ABI-PACKAGE VERSION" of what META depends on
	v=$("$dl" "$arch" candidate "$1" 2>/dev/null) || return 1
	"$dl" "$arch" depends "$1=$v" |
		sed -n 's/^\(linux-headers-[^ ]*\) (= \([^)]*\)).*/\1 \2/p'
}
sel=$(pick "linux-headers-$series-$flavour" || true)
[ -n "$sel" ] || sel=$(pick "linux-headers-$flavour" || true)
# shellcheck disable=SC2086
set -- $sel
[ $# -eq 2 ] || die "apt knows no linux-headers for $series $flavour ($arch); apt-get update?"
hpkg=$1 ver=$2
case $hpkg in
linux-headers-"$series".*|linux-headers-"$series"-*) ;;
*) die "the $arch headers apt offers ($hpkg $ver) are not of series $series" ;;
esac
deps=$("$dl" "$arch" depends "$hpkg=$ver")
common=$(echo "$deps" | tr ',' '\n' | sed -n 's/^ *\(linux-headers-[^ ]*-common\) .*/\1/p')
kbuild=$(echo "$deps" | tr ',' '\n' | sed -n 's/^ *\(linux-kbuild-[^ ]*\).*/\1/p')
if [ -z "$common" ] || [ -z "$kbuild" ]; then
	die "cannot read the dependencies of $hpkg: $deps"
fi

echo "kheaders.sh: $hpkg $ver into ${root#"$proj"/}" >&2
debs=$("$dl" "$arch" get "$hpkg=$ver" "$common=$ver")
kbdir=/usr/lib/$kbuild
if [ "$arch" != "$host" ] &&
   [ "$(dpkg-query -W -f '${Version}' "$kbuild" 2>/dev/null || true)" = "$ver" ]; then
	kbdeb=	# the host's own, same version
else
	kbdeb=$("$dl" "$host" get "$kbuild=$ver")
fi

kdir=$root/usr/src/${hpkg}
rm -rf "$kdir" "$root/usr/src/$common" "$root$kbdir"
mkdir -p "$root"
for f in $debs $kbdeb; do
	dpkg-deb -x "$f" "$root" || die "dpkg-deb -x $f failed"
done
if [ -z "$kbdeb" ]; then
	mkdir -p "$root/usr/lib"
	ln -sfn "$kbdir" "$root$kbdir"
fi
[ -f "$kdir/Makefile" ] || die "$hpkg has no Makefile"
sed -i "s|^include /usr/src/|include $root/usr/src/|" "$kdir/Makefile"
grep -q "^include $root/usr/src/$common/Makefile" "$kdir/Makefile" ||
	die "$kdir/Makefile: unexpected include line: $(cat "$kdir/Makefile")"
[ -d "$kdir/scripts/" ] || die "$kdir/scripts does not resolve"
echo "$hpkg $ver" >"$kdir/.imxf-headers"
echo "$kdir"
