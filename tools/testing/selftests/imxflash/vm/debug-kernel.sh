#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# debug-kernel.sh [--kver]
#
# Build the debug kernel of the test VM (KASAN, UBSAN, lockdep, kmemleak,
# DEBUG_ATOMIC_SLEEP, DEBUG_OBJECTS, SLUB_DEBUG, lockup/hung-task panics)
# from Debian's linux-source-6.1 tarball, WireGuard-style:
#   unpack /usr/src/linux-source-6.1.tar.xz   -> build/vm/debug/src (cached)
#   make ARCH=x86_64 allnoconfig + scripts/kconfig/merge_config.sh -n debug.config
#   make -j$(nproc) bzImage modules
#   modules_install                            -> build/vm/debug/root
# build/vm/debug/root is laid out like a kernel unpacked by get-kernel.sh:
# boot/{vmlinuz,config,System.map}-KVER, lib/modules/KVER (depmod'ed),
# .imxf-kernel-stamp; plus root/kernelrelease (KVER, e.g. 6.1.192-imxf-debug).
# Our modules are built against build/vm/debug/src (make modules-debug).
#
# Idempotent: nothing is done when the inputs (debug.config, the source
# package version, gcc version) hash to what root/.imxf-kernel-stamp says and
# the image exists; a changed fragment reconfigures and rebuilds
# incrementally.  Serialised by flock on $cache/.lock.
#   --kver   only print KVER of the built kernel (exit 1 if not built)
# Env: IMXF_DEBUG_SRC (default /usr/src/linux-source-6.1.tar.xz),
#      IMXF_DEBUG_JOBS (default nproc).
# Needs: flex bison libelf-dev bc (make deps).
set -eu
set -o pipefail

me=debug-kernel.sh
die() { echo "$me: $*" >&2; exit 1; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
proj=$(cd "$here/../../../../.." && pwd -P)
# The tree (~11 min to build on 2 cores) is kept in a machine-wide cache,
# like ccache, so fresh clones of the project reuse it: build/vm/debug is a
# link to it. IMXF_DEBUG_CACHE moves it; the stamp below decides whether a
# cached tree matches (sources, compiler, config fragment).
cache=${IMXF_DEBUG_CACHE:-/var/cache/imxflash/debug-kernel}
base=$proj/build/vm/debug
src=$base/src
root=$base/root
frag=$here/debug.config
tarball=${IMXF_DEBUG_SRC:-/usr/src/linux-source-6.1.tar.xz}
jobs=${IMXF_DEBUG_JOBS:-$(nproc)}
fmt=2	# bump when the layout of root/ changes

if [ "${1:-}" = --kver ]; then
	[ -s "$root/kernelrelease" ] || die "debug kernel not built (run $me)"
	cat "$root/kernelrelease"
	exit 0
fi
[ $# -eq 0 ] || die "usage: $me [--kver]"

[ -f "$tarball" ] || die "$tarball missing (apt-get install linux-source-6.1)"
[ -f "$frag" ] || die "$frag missing"
for t in make gcc flex bison bc depmod; do
	command -v "$t" >/dev/null || die "$t not found (make deps: flex bison libelf-dev bc)"
done
[ -f /usr/include/libelf.h ] || [ -f /usr/include/gelf.h ] ||
	die "libelf headers missing (apt-get install libelf-dev)"

mkdir -p "$cache" "$proj/build/vm"
if [ ! -L "$base" ]; then
	# an old per-clone tree: move it into the cache if the cache is empty
	if [ -d "$base" ] && [ -z "$(ls -A "$cache")" ]; then
		rmdir "$cache" && mv "$base" "$cache"
	else
		rm -rf "$base"
	fi
	ln -sfn "$cache" "$base"
fi
exec 8>"$cache/.lock"
flock 8

srcver=$(dpkg-query -W -f '${Package} ${Version}' linux-source-6.1 2>/dev/null ||
	stat -c '%s %Y' "$tarball")
inputs=$( {
	echo "fmt=$fmt src=$srcver"
	gcc --version | head -n1
	cat "$frag"
} | sha256sum | cut -d' ' -f1)
stamp=$root/.imxf-kernel-stamp
if [ -s "$root/kernelrelease" ] && [ "$(cat "$stamp" 2>/dev/null)" = "debug $inputs" ]; then
	kver=$(cat "$root/kernelrelease")
	if [ -f "$root/boot/vmlinuz-$kver" ] && [ -f "$root/lib/modules/$kver/modules.dep" ] &&
	   [ -f "$src/Module.symvers" ]; then
		exit 0
	fi
fi

t0=$(date +%s)
# 1. sources (cached; re-unpacked when the package changes)
if [ "$(cat "$src/.imxf-src" 2>/dev/null)" != "$srcver" ]; then
	echo "$me: unpacking ${tarball##*/} into $src" >&2
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$tarball" --strip-components=1 -C "$src.tmp" ||
		die "tar -xJf $tarball failed"
	[ -f "$src.tmp/Makefile" ] || die "$tarball has no top-level Makefile"
	echo "$srcver" >"$src.tmp/.imxf-src"
	mv "$src.tmp" "$src"
fi

log=$base/build.log
: >"$log"
kmake() { make -C "$src" ARCH=x86_64 "$@" >>"$log" 2>&1; }
fail() {
	tail -n 40 "$log" | sed 's/^/    /' >&2
	die "$* (full log: $log)"
}

# 2. config: allnoconfig + fragment; every requested value must stick
echo "$me: configuring (allnoconfig + ${frag##*/})" >&2
kmake allnoconfig || fail "make allnoconfig failed"
(cd "$src" && ARCH=x86_64 scripts/kconfig/merge_config.sh -n "$frag") >>"$log" 2>&1 ||
	fail "merge_config.sh failed"
if grep -q '^Value requested for' "$log"; then
	grep -A2 '^Value requested for' "$log" | sed 's/^/    /' >&2
	die "some options of ${frag##*/} did not survive (dependencies?); see $log"
fi

# 3. build
echo "$me: building bzImage + modules with -j$jobs (log: $log)" >&2
kmake -j"$jobs" bzImage modules || fail "kernel build failed"
kver=$(make -s -C "$src" ARCH=x86_64 kernelrelease) || die "make kernelrelease failed"
[ -n "$kver" ] || die "empty kernelrelease"

# 4. install like an unpacked Debian kernel
rm -rf "$root.tmp"
mkdir -p "$root.tmp/boot"
cp "$src/arch/x86/boot/bzImage" "$root.tmp/boot/vmlinuz-$kver"
cp "$src/.config" "$root.tmp/boot/config-$kver"
cp "$src/System.map" "$root.tmp/boot/System.map-$kver"
# no boot/vmlinux-KVER: PVH entry + KASAN triple-faults (see debug.config)
kmake INSTALL_MOD_PATH="$root.tmp" modules_install || fail "modules_install failed"
[ -f "$root.tmp/lib/modules/$kver/modules.dep" ] ||
	depmod -b "$root.tmp" "$kver" || die "depmod failed"
echo "$kver" >"$root.tmp/kernelrelease"
echo "debug $inputs" >"$root.tmp/.imxf-kernel-stamp"
rm -rf "$root"
mv "$root.tmp" "$root"
echo "$me: $kver ready in $root ($(( $(date +%s) - t0 )) s)" >&2
