#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-suites.sh [OPTION...] KERNEL MODDIR SUITE...: what `make vm-test` runs.
#
# Boots one VM on KERNEL (6.1, 6.12 or debug, as run-vm.sh --kernel) with
# our modules from MODDIR and runs the named VM suites in it with
# vm_suite.sh (names as in ../README, e.g. usb_f_sdp_test sdp_interop.sh).
# The console is echoed without kernel log lines; then each suite's TAP
# result lines, tagged "[KERNEL SUITE]" as make check tags them, one TAP
# line for the VM's verdict and one summary line. Exit 0 only if every suite passed and run-vm.sh's verdict
# is PASS (every suite exited 0, clean kernel log, powered off; on the
# debug kernel also a kmemleak scan with no leak).
#
# Output: build/vm/out-vm-test-KERNEL/ (console.log, SUITE.tap).
# Env: IMXF_TIMEOUT (seconds for the whole VM, default 3600).
#
# Options (before KERNEL): --tag TAG names the run in the tags, the output
# directory and the verdict line instead of KERNEL (e.g. "armhf-512M");
# --arch, --mem, --env are passed to run-vm.sh (e.g. --arch armhf: the
# sabrelite board).
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
selftests=$(cd "$here/.." && pwd -P)
top=$(cd "$here/../../../../.." && pwd -P)

tag=
vmargs=()
while [ $# -gt 0 ]; do
	case $1 in
	--tag) tag=$2; shift 2 ;;
	--arch|--mem|--env) vmargs+=("$1" "$2"); shift 2 ;;
	*) break ;;
	esac
done
[ $# -ge 3 ] || {
	echo "usage: run-suites.sh [--tag TAG] [--arch|--mem|--env ARG]... 6.1|6.12|debug MODDIR SUITE..." >&2
	exit 2
}
k=$1 mods=$2
shift 2
out=$top/build/vm/out-vm-test-${tag:-$k}

"$here/run-vm.sh" --kernel "$k" --timeout "${IMXF_TIMEOUT:-3600}" \
	--name "vm-test-${tag:-$k}" --out "$out" --modules "$mods" \
	${vmargs[@]+"${vmargs[@]}"} -- "/host$selftests/vm_suite.sh" "$@" |
	grep --line-buffered -v -E '^\[ *[0-9]+\.[0-9]+\]'
rc=${PIPESTATUS[0]}
[ -n "$tag" ] && k=$tag
if [ "$k" = debug ] && [ "$rc" -eq 0 ] &&
   ! grep -qx 'kmemleak=clean' "$out/result" 2>/dev/null; then
	echo "run-suites.sh: FAIL: kmemleak did not run"
	rc=1
fi

echo
echo "### TAP (per suite in ${out#"$top"/}/)"
pass=0 fail=0
for t in "$@"; do
	f=$out/$t.tap
	if [ ! -s "$f" ]; then
		echo "not ok 1 - [$k $t] produced no output"
		fail=$((fail + 1))
		continue
	fi
	grep -E '^(not )?ok ' "$f" | sed "s/^\(not \)\{0,1\}ok [0-9]* /&[$k $t] /"
	pass=$((pass + $(grep -E '^ok ' "$f" | grep -vcE '# *SKIP')))
	# A skip where a test should run counts as a failure, as in make check.
	fail=$((fail + $(grep -cE '^not ok |^ok .*# *SKIP' "$f")))
done
if [ "$rc" -eq 0 ] && [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]; then
	verdict=PASS
else
	verdict=FAIL
	[ "$rc" -eq 0 ] || echo "# VM verdict: see $out/console.log"
fi
if [ "$rc" -eq 0 ]; then
	echo "ok - [$k] VM: every suite exited 0, kernel log clean"
else
	echo "not ok - [$k] VM: run-vm.sh failed (reason above; $out/console.log)"
fi
echo "vm-test $k: $verdict: $pass passed, $fail failed ($*)"
[ "$verdict" = PASS ]
