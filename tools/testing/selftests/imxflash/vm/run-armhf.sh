#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-armhf.sh: the VM suites on the i.MX6 itself (`make vm-arm`, and a
# step of make check): QEMU's sabrelite board (i.MX6Q, Cortex-A9, 32 bits
# with highmem) running Debian's armmp 6.1 kernel, our three modules built
# for it and our tools built for armhf, the host side a Debian armhf
# userland (run-vm.sh --arch armhf).  Two VMs:
#
#   1 GiB: usb_f_sdp + hid-imx-sdp + imx-sdp boot --verify (two SoC
#          profiles, one with its memory above 2 GiB; the imx_usb
#          cross-check, closed HAB, four boards in parallel),
#          usb_f_fastboot flashed by fastboot-lite (raw partitions at an
#          offset, images bigger than max-download-size split into sparse
#          pieces, img2simg images, the same bytes as Debian's fastboot,
#          an MBR, a sparse ext4 made by mkfs.ext4 -d and img2simg),
#          fastboot-target's events and oem handlers;
#   512 MiB: a 700 MiB download is answered "FAIL out of memory", no OOM
#          kill, the function keeps answering (fastboot_small_mem.sh).
#
# Each VM's verdict includes a clean kernel log.  Output: the suites' TAP
# lines tagged [armhf SUITE] / [armhf-512M SUITE] and one verdict line per
# VM (run-suites.sh), then "N passed, N failed"; exit 0 only if all passed.
# Builds first: make modules-armhf, cross-build.sh armhf (logs in
# build/vm/armhf-build.log); --modules DIR takes the modules from DIR
# instead of building them.
set -u

mods=
if [ "${1:-}" = --modules ] && [ $# -eq 2 ]; then
	mods=$(cd "$2" && pwd -P) || exit 2
elif [ $# -ne 0 ]; then
	echo "usage: run-armhf.sh [--modules DIR]" >&2
	exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(cd "$here/../../../../.." && pwd -P)
log=$top/build/vm/armhf-build.log
mkdir -p "$top/build/vm"

t0=$(date +%s)
echo "# building: ${mods:+(modules from $mods) }make modules-armhf, cross-build.sh armhf (log: ${log#"$top"/})"
if ! { { [ -n "$mods" ] || make -C "$top" modules-armhf; } &&
       "$here/cross-build.sh" armhf; } >"$log" 2>&1; then
	tail -n 20 "$log" | sed 's/^/#   /'
	echo "not ok 1 - armhf builds (modules, tools; see ${log#"$top"/})"
	echo "0 passed, 1 failed"
	exit 1
fi
kver=$("$here/kver.sh" 6.1 armhf) || exit 1
mods=${mods:-$top/build/kmod/$kver}
echo "# built in $(($(date +%s) - t0)) s; kernel $kver"

pass=0 fail=0
# suites TAG RUN-SUITES-ARGS...: one VM, its TAP lines and verdict line
suites() {
	local tag=$1 t1 res
	shift
	t1=$(date +%s)
	res=$(IMXF_TIMEOUT=${IMXF_TIMEOUT:-1200} "$here/run-suites.sh" --tag "$tag" \
		--arch armhf "$@" 2>&1 | tee "$top/build/vm/armhf-$tag.log" |
		grep -E '^(not )?ok ([0-9]+ \[|- \[)|^run-vm.sh: (FAIL|TIMEOUT|error)')
	echo "$res" | sed 's/^run-vm.sh: /#   run-vm.sh: /'
	echo "# vm $tag ($kver): $(($(date +%s) - t1)) s, log build/vm/armhf-$tag.log"
	pass=$((pass + $(echo "$res" | grep -c '^ok ')))
	fail=$((fail + $(echo "$res" | grep -c '^not ok ')))
}

suites armhf --env "IMXF_SDP_SOCS=imx6q imx6sx" --env FBL_SMALL=1 \
	6.1 "$mods" imx_sdp_tool.sh fastboot_lite.sh fastboot_netlink.sh
suites armhf-512M --mem 512 6.1 "$mods" fastboot_small_mem.sh

echo "# time: $(($(date +%s) - t0)) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
