#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# debug-selftest.sh: check that the debug VM kernel catches what it is for.
#
#   - a bare boot (`true`) passes, kmemleak=clean; boot time reported
#   - leak-test/imxf_vm_leak.ko (built against the debug tree) with
#       bug=leak     -> run-vm.sh fails, kmemleak report names imxf_vm_leak
#       bug=kasan    -> "BUG: KASAN: slab-out-of-bounds", VM panics
#       bug=ubsan    -> "UBSAN: array-index-out-of-bounds", VM panics
#       bug=atomic   -> "BUG: sleeping function called from invalid context"
#       bug=lockdep  -> "possible circular locking dependency detected"
#   - the same module loaded with bug=none fails to load (-EINVAL) but the
#     VM run is otherwise clean: no false positive from the harness
#
# Output: TAP 13 (run-vm.sh output nested as "# " lines with -v), then
# "N passed, N failed"; exit 0 only if all passed.
# Env: IMXF_DEBUG_SELFTEST_VERBOSE=1 echoes the VM consoles.
set -eu
set -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
proj=$(cd "$here/../../../../.." && pwd -P)
base=$proj/build/vm/debug-selftest
mod=$proj/build/vm/debug/leakmod
verbose=${IMXF_DEBUG_SELFTEST_VERBOSE:-0}

"$here/debug-kernel.sh"
kver=$("$here/debug-kernel.sh" --kver)
rm -rf "$base" "$mod"
mkdir -p "$base" "$mod"
cp "$here/leak-test/Kbuild" "$here/leak-test/imxf_vm_leak.c" "$mod/"
make -s -C "$proj/build/vm/debug/src" M="$mod" modules >"$base/leakmod.log" 2>&1 || {
	cat "$base/leakmod.log" >&2
	echo "debug-selftest.sh: cannot build the leak-test module" >&2
	exit 1
}

n=0 pass=0 fail=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }

# vm NAME RUN-VM-ARGS... : sets rc, wall; log in $base/NAME.log
vm() {
	local name=$1
	shift
	set +e
	if [ "$verbose" = 1 ]; then
		"$here/run-vm.sh" --kernel debug -q --out "$base/$name" "$@" 2>&1 |
			tee "$base/$name.log" | sed -u 's/^/# /'
	else
		"$here/run-vm.sh" --kernel debug -q --out "$base/$name" "$@" >"$base/$name.log" 2>&1
	fi
	rc=${PIPESTATUS[0]}
	set -e
	wall=$(sed -n 's/.*boot-to-poweroff \([0-9.]*\)s.*/\1/p' "$base/$name.log" | tail -n1)
}

echo "TAP version 13"
echo "1..7"

vm true -- true
if [ "$rc" -eq 0 ] && grep -qx 'kmemleak=clean' "$base/true/result"; then
	ok "debug ($kver): bare boot passes, kmemleak=clean (boot-to-poweroff ${wall}s)"
else
	nok "debug ($kver): bare boot (run-vm.sh exit $rc, see $base/true.log)"
fi

ko=/host$mod/imxf_vm_leak.ko
# expect BUG FILE PATTERN DESCRIPTION
expect() {
	local bug=$1 file=$2 pat=$3 desc=$4
	vm "$bug" -- insmod "$ko" "bug=$bug"
	if [ "$rc" -eq 1 ] && grep -qE "$pat" "$base/$bug/$file" 2>/dev/null; then
		ok "bug=$bug: run fails, $desc (${wall}s)"
	else
		nok "bug=$bug: wanted failure with /$pat/ in $file (run-vm.sh exit $rc, see $base/$bug.log)"
	fi
}
expect leak kmemleak.log 'imxf_vm_leak\+0x[0-9a-f]+ \[imxf_vm_leak\]' \
	"kmemleak reports the leaked object, backtrace symbolised after rmmod"
if grep -q 'unreferenced object' "$base/leak.log"; then
	sed -n '/kmemleak report/,/^run-vm.sh: FAIL/p' "$base/leak.log" | head -n 30 | sed 's/^/# /'
fi
expect kasan console.log 'BUG: KASAN: slab-out-of-bounds' "KASAN reports slab-out-of-bounds"
expect ubsan console.log 'UBSAN: array-index-out-of-bounds' "UBSAN reports array-index-out-of-bounds"
expect atomic console.log 'BUG: sleeping function called from invalid context' "sleep in atomic reported"
expect lockdep console.log 'possible circular locking dependency detected' "lockdep reports the AB-BA order"

# no false positive: the module refuses to load, nothing else happens
vm none -- sh -c "! insmod $ko bug=none"
if [ "$rc" -eq 0 ] && grep -qx 'kmemleak=clean' "$base/none/result"; then
	ok "bug=none: harmless load attempt passes, kmemleak=clean (${wall}s)"
else
	nok "bug=none: wanted a clean pass (run-vm.sh exit $rc, see $base/none.log)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
