#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-arm64.sh: the factory station on arm64 (`make vm-arm64`, and a step
# of make check): QEMU's virt board (Cortex-A57) running Debian's arm64
# 6.1 kernel, our three modules built for it and our tools built for
# arm64, the host side a Debian arm64 userland (run-vm.sh --arch arm64).
# One VM: imx-factory flashes two emulated boards (an i.MX6ULL and an
# i.MX6Q: usb_f_sdp as the ROM over dummy_hcd, found and booted through
# hid-imx-sdp, then usb_f_fastboot on the same port), every eMMC proven
# (factory_test.sh part 1, FACTORY_FLOW_ONLY=2: the whole file is too
# slow under TCG); the verdict includes a clean kernel log.
#
# Output: the suite's TAP lines tagged [arm64 SUITE], one verdict line
# (run-suites.sh), then "N passed, N failed"; exit 0 only if all passed.
# Builds first: make modules-arm64, cross-build.sh arm64 (log in
# build/vm/arm64-build.log); --modules DIR takes the modules from DIR
# instead of building them.
set -u

mods=
if [ "${1:-}" = --modules ] && [ $# -eq 2 ]; then
	mods=$(cd "$2" && pwd -P) || exit 2
elif [ $# -ne 0 ]; then
	echo "usage: run-arm64.sh [--modules DIR]" >&2
	exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(cd "$here/../../../../.." && pwd -P)
log=$top/build/vm/arm64-build.log
vlog=$top/build/vm/arm64-station.log
mkdir -p "$top/build/vm"

t0=$(date +%s)
echo "# building: ${mods:+(modules from $mods) }make modules-arm64, cross-build.sh arm64 (log: ${log#"$top"/})"
if ! { { [ -n "$mods" ] || make -C "$top" modules-arm64; } &&
       "$here/cross-build.sh" arm64; } >"$log" 2>&1; then
	tail -n 20 "$log" | sed 's/^/#   /'
	echo "not ok 1 - arm64 builds (modules, tools; see ${log#"$top"/})"
	echo "0 passed, 1 failed"
	exit 1
fi
kver=$("$here/kver.sh" 6.1 arm64) || exit 1
mods=${mods:-$top/build/kmod/$kver}
t1=$(date +%s)
echo "# built in $((t1 - t0)) s; kernel $kver"

# the suite's TAP lines and the VM's verdict line, as run-suites.sh tags them
res=$(IMXF_TIMEOUT=${IMXF_TIMEOUT:-900} "$here/run-suites.sh" --tag arm64 \
	--arch arm64 --env FACTORY_FLOW_ONLY=2 6.1 "$mods" factory_test.sh 2>&1 |
	tee "$vlog" |
	grep -E '^(not )?ok ([0-9]+ \[|- \[)|^run-vm.sh: (FAIL|TIMEOUT|error)')
echo "$res" | sed 's/^run-vm.sh: /#   run-vm.sh: /'
echo "# vm arm64 ($kver): $(($(date +%s) - t1)) s, log ${vlog#"$top"/}"
pass=$(echo "$res" | grep -c '^ok ')
fail=$(echo "$res" | grep -c '^not ok ')
# no line at all (run-suites.sh could not start) is a failure too
[ $((pass + fail)) -gt 0 ] || { echo "not ok - [arm64] no result (log: ${vlog#"$top"/})"; fail=1; }
echo "# time: $(($(date +%s) - t0)) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
