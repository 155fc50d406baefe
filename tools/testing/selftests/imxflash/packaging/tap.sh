# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# TAP helpers for the packaging checks (bash, on the host): ok/not_ok
# number the lines, check runs a command, done_tap prints the plan last
# and sets the exit status.

T_N=0
T_FAIL=0
ok() { T_N=$((T_N + 1)); echo "ok $T_N - $*"; }
not_ok() { T_N=$((T_N + 1)); T_FAIL=$((T_FAIL + 1)); echo "not ok $T_N - $*"; }
diag() { echo "# $*"; }
# check "description" command...: ok if the command succeeds
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
# indent [PREFIX]: stdin as TAP diagnostics
indent() { sed "s/^/#   ${1:-}/"; }
# show_log FILE [N]: the last N lines of FILE as TAP diagnostics
show_log() { tail -n "${2:-20}" "$1" | sed 's/^/#   /'; }
done_tap() {
	echo "1..$T_N"
	[ "$T_FAIL" -eq 0 ]
}
