#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-arm.sh ARCH [--modules DIR]: the VM suites on ARM, each on Debian's
# 6.1 kernel for that architecture, our three modules built for it and our
# tools built for it, the host side a Debian userland of the same
# architecture (run-vm.sh --arch ARCH).  A step of make check.
#
#   armhf (make vm-arm): the i.MX6 itself, QEMU's sabrelite board (i.MX6Q,
#     Cortex-A9, 32 bits with highmem) running the armmp kernel.  Two VMs:
#     1 GiB: usb_f_sdp + hid-imx-sdp + imx-sdp boot --verify (two SoC
#            profiles, one with its memory above 2 GiB; the imx_usb
#            cross-check, closed HAB, four boards in parallel),
#            usb_f_fastboot flashed by fastboot-lite (raw partitions at an
#            offset, images bigger than max-download-size split into
#            sparse pieces, img2simg images, the same bytes as Debian's
#            fastboot, an MBR, a sparse ext4 made by mkfs.ext4 -d and
#            img2simg), fastboot-target's events and oem handlers;
#     512 MiB: a 700 MiB download is answered "FAIL out of memory", no
#            OOM kill, the function keeps answering (fastboot_small_mem.sh).
#   arm64 (make vm-arm64): a factory station, QEMU's virt board
#     (Cortex-A57).  One VM: imx-factory flashes two emulated boards (an
#     i.MX6ULL and an i.MX6Q: usb_f_sdp as the ROM over dummy_hcd, found
#     and booted through hid-imx-sdp, then usb_f_fastboot on the same
#     port), every eMMC proven (factory_test.sh part 1,
#     FACTORY_FLOW_ONLY=2: the whole file is too slow under TCG).
#
# Each VM's verdict includes a clean kernel log.  Output: the suites' TAP
# lines tagged [TAG SUITE] and one verdict line per VM (run-suites.sh),
# then "N passed, N failed"; exit 0 only if all passed, and a VM that
# gave no line at all counts as failed.  Builds first: make modules-ARCH,
# cross-build.sh ARCH (log in build/vm/ARCH-build.log; each VM's whole
# output in build/vm/TAG.log); --modules DIR takes the modules from DIR
# instead of building them.
set -u

usage() {
	echo "usage: run-arm.sh armhf|arm64 [--modules DIR]" >&2
	exit 2
}
arch=${1:-}
case $arch in armhf | arm64) shift ;; *) usage ;; esac
mods=
if [ "${1:-}" = --modules ] && [ $# -eq 2 ]; then
	mods=$(cd "$2" && pwd -P) || exit 2
elif [ $# -ne 0 ]; then
	usage
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(cd "$here/../../../../.." && pwd -P)
log=$top/build/vm/$arch-build.log
mkdir -p "$top/build/vm"

t0=$(date +%s)
echo "# building: ${mods:+(modules from $mods) }make modules-$arch, cross-build.sh $arch (log: ${log#"$top"/})"
if ! { { [ -n "$mods" ] || make -C "$top" "modules-$arch"; } &&
       "$here/cross-build.sh" "$arch"; } >"$log" 2>&1; then
	tail -n 20 "$log" | sed 's/^/#   /'
	echo "not ok 1 - $arch builds (modules, tools; see ${log#"$top"/})"
	echo "0 passed, 1 failed"
	exit 1
fi
kver=$("$here/kver.sh" 6.1 "$arch") || exit 1
mods=${mods:-$top/build/kmod/$kver}
echo "# built in $(($(date +%s) - t0)) s; kernel $kver"

pass=0 fail=0
# suites TAG TIMEOUT RUN-SUITES-ARGS...: one VM, its TAP lines and verdict
suites() {
	local tag=$1 limit=$2 t1 res vlog
	shift 2
	vlog=$top/build/vm/$tag.log
	t1=$(date +%s)
	res=$(IMXF_TIMEOUT=${IMXF_TIMEOUT:-$limit} "$here/run-suites.sh" --tag "$tag" \
		--arch "$arch" "$@" 2>&1 | tee "$vlog" |
		grep -E '^(not )?ok ([0-9]+ \[|- \[)|^run-vm.sh: (FAIL|TIMEOUT|error|console\|)')
	echo "$res" | sed 's/^run-vm.sh: /#   run-vm.sh: /'
	echo "# vm $tag ($kver): $(($(date +%s) - t1)) s, log ${vlog#"$top"/}"
	if ! echo "$res" | grep -q '^\(not \)\?ok '; then
		# run-suites.sh could not start, or the VM died before a line
		echo "not ok - [$tag] no result (log: ${vlog#"$top"/})"
		fail=$((fail + 1))
		return
	fi
	pass=$((pass + $(echo "$res" | grep -c '^ok ')))
	fail=$((fail + $(echo "$res" | grep -c '^not ok ')))
}

case $arch in
armhf)
	suites armhf 1200 --env "IMXF_SDP_SOCS=imx6q imx6sx" --env FBL_SMALL=1 \
		6.1 "$mods" imx_sdp_tool.sh fastboot_lite.sh fastboot_netlink.sh
	suites armhf-512M 1200 --mem 512 6.1 "$mods" fastboot_small_mem.sh
	;;
arm64)
	suites arm64 900 --env FACTORY_FLOW_ONLY=2 6.1 "$mods" factory_test.sh
	;;
esac

echo "# time: $(($(date +%s) - t0)) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
