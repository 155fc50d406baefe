#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kver.sh 6.1|6.12|FULL-KVER [amd64|armhf|arm64]
#
# Print the full Debian kernel ABI name (e.g. 6.1.0-56-amd64,
# 6.12.107+deb12-amd64) for a short series, taken from the installed
# /usr/src/linux-headers-*-amd64 directories.  Never uses `uname -r`: the
# machine's running kernel is not the one we test.  With armhf, the armmp
# kernel (the i.MX6 one) of the same ABI: 6.1.0-56-armmp; with arm64, the
# arm64 kernel of the same ABI (the arm64 station VM): 6.1.0-56-arm64.
set -eu

die() { echo "kver.sh: $*" >&2; exit 1; }

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: kver.sh 6.1|6.12|FULL-KVER [amd64|armhf|arm64]"
want=$1
hdrs=${IMXF_HEADERS_DIR:-/usr/src}
# headers tools/packaging/kheaders.sh unpacked (6.12 is not installed)
kh=$(cd "$(dirname "$0")/../../../../.." && pwd -P)/build/kheaders/amd64/usr/src
case $want in
*-armmp|*-arm64) echo "$want"; exit 0 ;;
esac
case ${2:-amd64} in
amd64) ;;
armhf)
	# one Debian release builds every flavour from the same ABI
	k=$("$0" "$want") || exit
	echo "${k%-amd64}-armmp"
	exit 0
	;;
arm64)
	k=$("$0" "$want") || exit
	echo "${k%-amd64}-arm64"
	exit 0
	;;
*) die "unsupported architecture '$2' (amd64, armhf, arm64)" ;;
esac

# A full KVER: accept it as is if headers or a kernel tree exist for it.
case $want in
*-amd64)
	[ -d "$hdrs/linux-headers-$want" ] || [ -d "$kh/linux-headers-$want" ] ||
		echo "kver.sh: warning: no $hdrs/linux-headers-$want" >&2
	echo "$want"
	exit 0
	;;
esac

case $want in
[0-9]*.[0-9]*) ;;
*) die "bad kernel series '$want' (want e.g. 6.1, 6.12 or a full KVER)" ;;
esac

found=
for d in "$hdrs"/linux-headers-*-amd64 "$kh"/linux-headers-*-amd64; do
	[ -d "$d" ] || continue
	k=${d##*/linux-headers-}
	# 6.1 must match 6.1.0-56-amd64 but not 6.12.x: next char is '.' or '-'
	case $k in
	"$want".*|"$want"-*) ;;
	*) continue ;;
	esac
	# keep the highest version if several are installed
	if [ -z "$found" ]; then
		found=$k
	else
		found=$(printf '%s\n%s\n' "$found" "$k" | sort -V | tail -n1)
	fi
done
[ -n "$found" ] || die "no $hdrs/linux-headers-$want*-amd64 installed (apt-get install linux-headers-amd64?)"
echo "$found"
