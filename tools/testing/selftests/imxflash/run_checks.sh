#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: everything the project can verify on this machine, as TAP
# streams under build/check/, then one summary line "N passed, N failed".
#
#  1. builds: modules for the 6.1 and 6.12 headers, tools and tests
#  2. unit tests of the protocol cores (plain and ASan/UBSan)
#  3. fuzz smoke runs of the cores
#  4. lint: checkpatch --strict, W=1 C=1 (sparse), pahole, cppcheck;
#     packaging: make install, DKMS, .deb, make release, ARM modules
#  5. VM suites on the 6.1 and 6.12 kernels: usb_f_sdp selftest and the
#     interop tests with imx_usb and uuu; plus one verdict per VM (exit
#     status, clean kernel log: no WARN, BUG, oops, sleeping-in-atomic);
#     a 512 MiB VM for the small-target test; the sabrelite (i.MX6Q) VMs
#  6. the same VM suites on the debug kernel (6.1 with KASAN, UBSAN, lockdep,
#     DEBUG_ATOMIC_SLEEP, DEBUG_OBJECTS, SLUB_DEBUG, kmemleak): built from
#     linux-source-6.1 (cached; ~11 min on 2 cores the first time), our
#     modules built against it, kmemleak scanned after the tests (any leak
#     fails); the suites take ~9 min there
#
# Env: IMXF_CHECK_KERNELS (default "6.1 6.12"), IMXF_CHECK_SKIP_FUZZ=1,
# IMXF_CHECK_DEBUG=0 (skip step 6).
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(cd "$here/../../../.." && pwd -P)
out=$top/build/check
rm -rf "$out"
mkdir -p "$out"
kernels=${IMXF_CHECK_KERNELS:-6.1 6.12}
VM_TESTS="usb_f_sdp_test sdp_interop.sh hid_imx_sdp_test imx_sdp_tool.sh
	imx_sdp_uid.sh sdp_odd_size.sh fastboot_smoke.sh fastboot_storage.sh
	fastboot_paths.sh fastboot_bad.sh fastboot_netlink.sh fastboot_interop.sh
	fastboot_verify.sh fastboot_lite.sh fastboot_images.sh factory_test.sh
	factory_uid.sh factory_verify.sh readme_example.sh"
# On 6.12 the suites of kernel code; those whose subject is host code
# (images as build systems ship them, the factory's UID/JSON/verify steps)
# or a protocol rule of the shared core (odd image sizes), and the
# README's by-hand example (a document test) run on 6.1.
# shellcheck disable=SC2086 # word splitting wanted: one name a line
VM_TESTS_612=$(printf "%s\n" $VM_TESTS | tr ' ' '\n' | grep -vx -e fastboot_images.sh \
	-e factory_uid.sh -e factory_verify.sh -e sdp_odd_size.sh \
	-e readme_example.sh | tr '\n' ' ')
# On the debug kernel (KASAN + lockdep under TCG: ~3-5x slower) the
# suites that drive the kernel paths most at risk (every SDP command,
# unplug and unbind mid-transfer, bad input, oem cancel, the references
# configured paths hold on files and mounts, oem sha256's direct reads of
# the storage and its crypto hash) but not the bulk
# storage, interop and factory runs, which 6.1 and 6.12 cover.
VM_TESTS_DEBUG="usb_f_sdp_test sdp_interop.sh hid_imx_sdp_test imx_sdp_tool.sh
	fastboot_smoke.sh fastboot_paths.sh fastboot_bad.sh fastboot_netlink.sh
	fastboot_verify.sh"
start=$(date +%s)

# step NAME CMD...: run CMD, its output in $out/NAME.log, one TAP line.
step() {
	local name=$1
	shift
	echo "### $name: $*"
	if "$@" > "$out/$name.log" 2>&1; then
		echo "ok 1 - $name" > "$out/$name.tap"
	else
		echo "not ok 1 - $name (see build/check/$name.log)" > "$out/$name.tap"
		tail -n 30 "$out/$name.log" | sed 's/^/#   /'
	fi
	cat "$out/$name.tap"
}

# suite NAME CMD...: CMD prints TAP; keep it, show it.
suite() {
	local name=$1 rc
	shift
	echo "### $name: $*"
	"$@" > "$out/$name.tap" 2>&1
	rc=$?
	cat "$out/$name.tap"
	if [ $rc -ne 0 ] && ! grep -q '^not ok' "$out/$name.tap"; then
		echo "not ok 1 - $name exited with status $rc" >> "$out/$name.tap"
	fi
}

kver() { "$here/vm/kver.sh" "$1"; }

cd "$top" || exit 1
step build-modules-6.1 make modules
step build-modules-6.12 make modules-612
step build-tools make tools
suite unit make -C "$here" unit
if [ "${IMXF_CHECK_SKIP_FUZZ:-0}" != 1 ]; then
	step fuzz-smoke make -C "$here" fuzz-smoke
fi
suite lint "$top/tools/lint/lint.sh"
# packaging/: make install into a DESTDIR, DKMS (-k 6.1), the .deb files
# (lintian, dpkg -i and --purge on the host), the installed packages and
# make install PREFIX=/usr/local running the demo flow in the 6.1 VM,
# make release (three architectures), the modules for Debian's ARM 6.1
# kernels (W=1 C=1)
for t in install dkms deb installed release arm_modules; do
	suite "pkg-$t" "$here/packaging/${t}_test.sh"
done

# vm_run K KV TIMEOUT: the VM suites on kernel K (6.1, 6.12, debug) whose
# release is KV, our modules from build/kmod/<KV or debug>.
vm_run() {
	local k=$1 kv=$2 tmo=$3 vmout=$top/build/vm/out-check-$1 rc t f reason
	local mods=$top/build/kmod/$kv clean="kernel log clean" tests=$VM_TESTS
	[ "$k" = debug ] && mods=$top/build/kmod/debug tests=$VM_TESTS_DEBUG
	[ "$k" = 6.12 ] && tests=$VM_TESTS_612
	echo "### vm-$k:" $tests
	"$here/vm/run-vm.sh" --kernel "$k" --timeout "$tmo" --name "check-$k" \
		--out "$vmout" --modules "$mods" \
		-- "/host$here/vm_suite.sh" $tests > "$out/vm-$k.log" 2>&1
	rc=$?
	grep -E '^run-vm.sh: ' "$out/vm-$k.log"
	for t in $tests; do
		f=$vmout/$t.tap
		if [ -s "$f" ]; then
			sed "s/^\(not \)\{0,1\}ok [0-9]* /&[$k $t] /" "$f" > "$out/vm-$k-$t.tap"
		else
			echo "not ok 1 - [$k $t] produced no output" > "$out/vm-$k-$t.tap"
		fi
		grep -E '^(not )?ok ' "$out/vm-$k-$t.tap"
	done
	if [ "$k" = debug ]; then
		clean="kernel log clean (KASAN, UBSAN, lockdep, atomic sleep, ODEBUG)"
		# the leak check must have run, not just found nothing
		if [ $rc -eq 0 ] && ! grep -qx 'kmemleak=clean' "$vmout/result"; then
			rc=1
			echo "run-vm.sh: FAIL: kmemleak did not run" >> "$out/vm-$k.log"
		fi
		clean="$clean, kmemleak: no leaks"
	fi
	if [ $rc -eq 0 ]; then
		echo "ok 1 - vm $k ($kv): tests passed, $clean, powered off" > "$out/vm-$k.tap"
	else
		reason=$(grep -E '^run-vm.sh: (FAIL|TIMEOUT|error)' "$out/vm-$k.log" | head -3 | tr '\n' ' ')
		echo "not ok 1 - vm $k ($kv): $reason(console: $vmout/console.log)" > "$out/vm-$k.tap"
		grep -E 'WARNING:|BUG:|Oops|sleeping function|UBSAN:|unreferenced object' "$vmout/console.log" 2>/dev/null | head -5 | sed 's/^/#   /'
		grep '^run-vm.sh: console| ' "$out/vm-$k.log" | sed 's/^run-vm.sh: console| /#   console| /'
	fi
	cat "$out/vm-$k.tap"
}

# The x86 kernels' VMs run side by side (IMXF_CHECK_SERIAL=1: one after
# the other): much of a suite's time is spent waiting for the host to see
# a device re-enumerate, not on the CPU, so two VMs on two cores finish
# well before twice one.  Each one's output is kept and shown in order.
for k in $kernels; do
	kv=$(kver "$k") || { echo "not ok 1 - no $k kernel headers" > "$out/vm-$k.tap"; continue; }
	if [ "${IMXF_CHECK_SERIAL:-0}" = 1 ]; then
		vm_run "$k" "$kv" 3600
	else
		vm_run "$k" "$kv" 3600 > "$out/vm-$k.out" 2>&1 &
	fi
done
wait
for k in $kernels; do
	[ -f "$out/vm-$k.out" ] && cat "$out/vm-$k.out"
done

# The small-target, i.MX6 and arm64 VMs, in turn, beside the debug kernel's
# VM (IMXF_CHECK_SERIAL=1: before it); their output is shown after it.
side_vms() {
	# Small targets: a 700 MiB download on a 512 MiB VM is answered FAIL out
	# of memory, nothing OOM-killed, the function goes on (also on armhf below)
	suite vm-6.1-512M bash -c 'set -o pipefail; "$0/vm/run-suites.sh" --tag 6.1-512M \
		--mem 512 6.1 "$1" fastboot_small_mem.sh 2>&1 | grep -E "^(not )?ok ([0-9]+ \[|- \[)"' \
		"$here" "$top/build/kmod/$(kver 6.1)"
	# The i.MX6 itself: QEMU's sabrelite board, Debian's armmp kernel, the
	# modules and tools built for armhf (by the script), a 1 GiB and a 512 MiB
	# VM; one TAP line per test and one verdict per VM
	suite vm-armhf "$here/vm/run-arm.sh" armhf
	# An arm64 station: QEMU's virt board, Debian's arm64 kernel, the modules
	# and tools built for arm64 (by the script); imx-factory flashes two
	# emulated boards through hid-imx-sdp and usb_f_fastboot
	suite vm-arm64 "$here/vm/run-arm.sh" arm64
}
if [ "${IMXF_CHECK_SERIAL:-0}" = 1 ]; then
	side_vms
else
	side_vms > "$out/vm-side.out" 2>&1 &
	side_pid=$!
fi

# The debug kernel: one TAP line for its build (with our modules), then the
# same suites with a [debug ...] tag.  KASAN + lockdep under TCG are slow.
if [ "${IMXF_CHECK_DEBUG:-1}" != 0 ]; then
	echo "### build-debug-kernel: make debug-kernel modules-debug"
	t0=$(date +%s)
	if make debug-kernel > "$out/build-debug-kernel.log" 2>&1 &&
	   make modules-debug >> "$out/build-debug-kernel.log" 2>&1 &&
	   kv=$("$here/vm/debug-kernel.sh" --kver 2>/dev/null); then
		echo "ok 1 - debug kernel builds ($kv, modules too; $(( $(date +%s) - t0 )) s)" > "$out/build-debug-kernel.tap"
		cat "$out/build-debug-kernel.tap"
		vm_run debug "$kv" 3600
	else
		echo "not ok 1 - debug kernel builds (see build/check/build-debug-kernel.log)" > "$out/build-debug-kernel.tap"
		tail -n 30 "$out/build-debug-kernel.log" | sed 's/^/#   /'
		cat "$out/build-debug-kernel.tap"
		echo "not ok 1 - vm debug: not run (no debug kernel)" > "$out/vm-debug.tap"
		cat "$out/vm-debug.tap"
	fi
fi

if [ -n "${side_pid:-}" ]; then
	wait "$side_pid"
	cat "$out/vm-side.out"
fi

# A skip where a test should run is a failure.
pass=$(cat "$out"/*.tap | grep '^ok ' | grep -vc '# *SKIP')
skip=$(cat "$out"/*.tap | grep '^ok ' | grep -c '# *SKIP')
fail=$(( $(cat "$out"/*.tap | grep -c '^not ok ') + skip ))
echo
echo "### failures:"
grep -h -e '^not ok ' -e '^ok .*# *SKIP' "$out"/*.tap | sed 's/^/  /'
echo "### time: $(( $(date +%s) - start )) s; TAP in build/check/"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
