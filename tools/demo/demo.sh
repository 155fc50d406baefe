#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: the whole factory flow on emulated hardware. Boots the test
# VM, plugs four emulated i.MX6ULL boards in serial download mode into
# dummy_hcd (board_sim.sh), flashes them in parallel with imx-factory
# (bootloader through the ROM, then MBR, U-Boot at 0x400, a zeroed
# environment and an ext4 rootfs over fastboot), and proves every eMMC
# image. Board logs and the report end up in build/vm/out-demo/.
set -eu
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(cd "$here/../.." && pwd -P)
vm=$top/tools/testing/selftests/imxflash/vm
kv=$("$vm/kver.sh" "${IMXF_DEMO_KERNEL:-6.1}")
out=$top/build/vm/out-demo
boards=${IMXF_DEMO_BOARDS:-4}
# Progress lines are redrawn in place on a terminal, printed as lines in
# a log; the guest's console learns the terminal's width.
if [ -t 1 ]; then
	progress=tty
	cols=$(tput cols 2>/dev/null || echo 80)
else
	progress=lines
	cols=100
fi
echo "imxflash demo: kernel $kv, $boards emulated i.MX6ULL boards, imx-factory"
t0=$(date +%s)
rc=0
"$vm/run-vm.sh" --kernel "$kv" --timeout 400 --mem 2048 --name demo \
	--out "$out" --modules "$top/build/kmod/$kv" \
	--env IMXF_DEMO_BOARDS="$boards" --env IMXF_DEMO_PROGRESS="$progress" \
	--env IMXF_DEMO_COLS="$cols" -- "/host$here/demo_guest.sh" |
	grep --line-buffered -v -E '^\[ *[0-9]+\.[0-9]+\]' || rc=$?
echo "demo: $(($(date +%s) - t0)) s wall time; board logs and report in $out/"
exit $rc
