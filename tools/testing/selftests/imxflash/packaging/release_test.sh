#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make release (TAP): the tarball and both SHA256SUMS verify; every tool
# of every architecture is a static ELF of that architecture, runs
# (x86_64 natively, armhf and arm64 under qemu-user) and stays within its
# size budget; the archive's entries are owned by root with the commit's
# time (reproducible). The sizes are printed as diagnostics.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(cd "$here/../../../../.." && pwd -P)
# shellcheck source=SCRIPTDIR/tap.sh
. "$here/tap.sh"
out=$top/build/pkgcheck/release
rel=$top/build/release
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
name=imxflash-$ver-static
tools="imx-sdp fastboot-lite imx-factory fastboot-target"
rm -rf "$out"
mkdir -p "$out"
cd "$top" || exit 1

# Size budgets in KiB. x86_64: musl (fastboot-target: glibc, for libnl).
# armhf, arm64: glibc static (Debian 12 has no musl cross compiler).
budget() {
	case $1/$2 in
	x86_64/imx-sdp) echo 128 ;;
	x86_64/fastboot-lite) echo 160 ;;
	x86_64/imx-factory) echo 256 ;;
	*/fastboot-target) echo 1536 ;;
	armhf/*) echo 768 ;;
	arm64/*) echo 1024 ;;
	esac
}
machine() {
	case $1 in
	x86_64) echo 'Advanced Micro Devices X86-64' ;;
	armhf) echo 'ARM' ;;
	arm64) echo 'AArch64' ;;
	esac
}
runner() {
	case $1 in
	x86_64) ;;
	armhf) echo qemu-arm ;;
	arm64) echo qemu-aarch64 ;;
	esac
}

# the tarball's file times, fixed here so that a commit made meanwhile
# does not change them
epoch=$(git log -1 --format=%ct 2>/dev/null)
t0=$(date +%s)
if SOURCE_DATE_EPOCH=$epoch make release >"$out/release.log" 2>&1 && [ -s "$rel/$name.tar.gz" ]; then
	ok "make release: build/release/$name.tar.gz ($(stat -c %s "$rel/$name.tar.gz") bytes, $(( $(date +%s) - t0 )) s)"
else
	show_log "$out/release.log" 30
	not_ok "make release (see ${out#"$top"/}/release.log)"
	done_tap
	exit
fi

x=$out/x
mkdir -p "$x"
if (cd "$rel" && sha256sum --quiet -c SHA256SUMS) >"$out/sums.log" 2>&1 &&
   tar -xzf "$rel/$name.tar.gz" -C "$x" &&
   (cd "$x/$name" && sha256sum --quiet -c SHA256SUMS) >>"$out/sums.log" 2>&1 &&
   [ "$(wc -l <"$x/$name/SHA256SUMS")" -ge 12 ]; then
	ok "SHA256SUMS of the tarball and of its $(wc -l <"$x/$name/SHA256SUMS") files verify"
else
	show_log "$out/sums.log"
	not_ok "SHA256SUMS"
fi

for arch in x86_64 armhf arm64; do
	bad=
	sizes=
	r=$(runner $arch)
	for t in $tools; do
		f=$x/$name/$arch/$t
		[ -f "$f" ] || { bad="$bad $t:missing"; continue; }
		m=$(LC_ALL=C readelf -h "$f" 2>/dev/null | sed -n 's/^ *Machine: *//p')
		[ "$m" = "$(machine $arch)" ] || bad="$bad $t:machine'$m'"
		if LC_ALL=C readelf -lW "$f" | grep -q 'INTERP' ||
		   LC_ALL=C readelf -dW "$f" | grep -q '(NEEDED)'; then
			bad="$bad $t:dynamic"
		fi
		v=$($r "$f" --version 2>&1)
		[ "$v" = "$t $ver" ] || [ "$v" = "$t (imxflash) $ver" ] || bad="$bad $t:runs'$v'"
		s=$(stat -c %s "$f")
		[ $((s / 1024)) -le "$(budget "$arch" "$t")" ] ||
			bad="$bad $t:$((s / 1024))KiB>$(budget "$arch" "$t")KiB"
		sizes="$sizes $t=$((s / 1024))K"
	done
	if [ -z "$bad" ]; then
		ok "$arch: the four tools are static $(machine $arch) ELF, run${r:+ under $r}, within budget"
	else
		not_ok "$arch:$bad"
	fi
	diag "$arch sizes:$sizes"
done

if [ -f "$x/$name/70-imxflash.rules" ] && [ -f "$x/$name/man/imx-sdp.1" ] &&
   [ -f "$x/$name/man/fastboot-target.8" ]; then
	ok "the tarball carries the udev rules and the man pages"
else
	not_ok "udev rules or man pages missing from the tarball"
fi

when=$(date -u -d "@$epoch" '+%Y-%m-%d %H:%M')
odd=$(TZ=UTC tar -tvzf "$rel/$name.tar.gz" | grep -Ev " 0/0 +[0-9]+ $when " | head -n 3)
if [ -n "$epoch" ] && [ -z "$odd" ]; then
	ok "tarball entries: owner 0/0, time of the last commit ($when UTC)"
else
	indent "" <<<"$odd"
	not_ok "tarball entries not normalised"
fi

done_tap
