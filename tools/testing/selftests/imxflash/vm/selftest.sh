#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftest.sh: check the VM runner itself (run-vm.sh) on each kernel.
#
# Per kernel (IMXF_SELFTEST_KERNELS, default "6.1 6.12"):
#   - a bare boot (`true`) passes; its boot-to-poweroff time is reported
#   - the guest suite (selftest-guest.sh: Debian dummy_hcd + libcomposite +
#     usb_f_hid gadget 15a2:0054 enumerated, hostrun lsusb/imx_usb/uuu/fastboot)
#   - a failing command (`false`) makes run-vm.sh exit 1
#   - a "WARNING:" line in the kernel log makes the verdict dmesg=dirty
#   - a real WARN() (warn-test module built against the kernel's headers)
#     panics the VM (panic_on_warn) and is reported as a failure
#   - an oops (sysrq c) panics the VM and is reported as a failure
# and once: a hanging command is killed by --timeout and reported.
#
# Output: TAP 13 (the VM consoles nested as "# " lines), then
# "N passed, N failed"; exit 0 only if all passed.
set -eu
set -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
proj=$(cd "$here/../../../../.." && pwd -P)
kernels=${IMXF_SELFTEST_KERNELS:-6.1 6.12}
base=$proj/build/vm/selftest
gpath=/host$here	# this directory as the guest sees it
mkdir -p "$base"

n=0 pass=0 fail=0 skip=0
declare -a times=()
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }
skp() { n=$((n + 1)); skip=$((skip + 1)); echo "ok $n - $1 # SKIP $2"; }

# vm LOGFILE RUN-VM-ARGS... : run the VM, console nested as TAP comments;
# sets $rc (run-vm.sh exit status) and $wall (boot-to-poweroff seconds)
vm() {
	local log=$1; shift
	set +e
	"$here/run-vm.sh" "$@" 2>&1 | tee "$log" | sed -u 's/^/# /'
	rc=${PIPESTATUS[0]}
	set -e
	wall=$(sed -n 's/.*boot-to-poweroff \([0-9.]*\)s.*/\1/p' "$log" | tail -n1)
}

# how many tests
per_kernel=6
total=0
for k in $kernels; do total=$((total + per_kernel)); done
total=$((total + 1))	# timeout check

echo "TAP version 13"
echo "1..$total"

for k in $kernels; do
	kver=$("$here/kver.sh" "$k")
	d=$base/$kver
	rm -rf "$d"
	mkdir -p "$d"

	# bare boot
	vm "$d/true.log" --kernel "$k" --out "$d/true" -- true
	if [ "$rc" -eq 0 ]; then
		ok "$k: bare boot passes (boot-to-poweroff ${wall}s)"
		times+=("$kver bare boot ${wall}s")
	else
		nok "$k: bare boot (run-vm.sh exit $rc, see $d/true.log)"
	fi

	# guest suite; on the first kernel the HID drivers are modprobe'd by
	# hand, on the others autoloaded (IMXF_HOTPLUG=1), to cover both
	hp=1
	[ "$k" = "${kernels%% *}" ] && hp=0
	vm "$d/guest.log" --kernel "$k" --out "$d/guest" --env IMXF_HOTPLUG=$hp -- "$gpath/selftest-guest.sh"
	if [ "$rc" -eq 0 ] && grep -q '^# [0-9]* passed, 0 failed' "$d/guest.log"; then
		ok "$k: gadget 15a2:0054 + hostrun lsusb/imx_usb/uuu/fastboot, IMXF_HOTPLUG=$hp (${wall}s)"
		times+=("$kver guest suite ${wall}s")
	else
		nok "$k: guest suite (run-vm.sh exit $rc, see $d/guest.log)"
	fi

	# failing command
	vm "$d/false.log" --kernel "$k" --out "$d/false" -- false
	if [ "$rc" -eq 1 ] && grep -q 'command exited with status 1' "$d/false.log"; then
		ok "$k: 'false' is reported as exit status 1"
	else
		nok "$k: 'false' (run-vm.sh exit $rc, see $d/false.log)"
	fi

	# dirty dmesg without a panic
	vm "$d/dirty.log" --kernel "$k" --out "$d/dirty" -- \
		sh -c 'echo "<4>WARNING: imxf-vm selftest: fake warning line" >/dev/kmsg'
	if [ "$rc" -eq 1 ] && grep -q 'dirty dmesg' "$d/dirty.log" &&
	   grep -q 'imxf-vm selftest: fake warning line' "$d/dirty.log"; then
		ok "$k: a WARNING: line in dmesg fails the run (dmesg=dirty, line shown)"
	else
		nok "$k: dirty dmesg (run-vm.sh exit $rc, see $d/dirty.log)"
	fi

	# a real WARN(): needs the module built against this kernel's headers
	kdir=/usr/src/linux-headers-$kver
	[ -d "$kdir" ] || kdir=$proj/build/kheaders/amd64/usr/src/linux-headers-$kver
	wb=$proj/build/vm/warnmod/$kver
	rm -rf "$wb"
	mkdir -p "$wb"
	cp "$here/warn-test/imxf_vm_warn.c" "$here/warn-test/Kbuild" "$wb/"
	if [ ! -d "$kdir" ]; then
		skp "$k: WARN() panics the VM" "no $kdir"
	elif ! make -s -C "$kdir" M="$wb" modules >"$wb/build.log" 2>&1 || [ ! -f "$wb/imxf_vm_warn.ko" ]; then
		sed 's/^/# /' "$wb/build.log"
		skp "$k: WARN() panics the VM" "cannot build the warn-test module"
	else
		vm "$d/warn.log" --kernel "$k" --out "$d/warn" -- insmod "/host$wb/imxf_vm_warn.ko"
		if [ "$rc" -eq 1 ] && grep -q 'no verdict: kernel panic' "$d/warn.log" &&
		   grep -q 'imxf_vm_warn: deliberate warning' "$d/warn.log"; then
			ok "$k: WARN() panics the VM (panic_on_warn) and fails the run"
		else
			nok "$k: WARN() (run-vm.sh exit $rc, see $d/warn.log)"
		fi
	fi

	# oops
	vm "$d/oops.log" --kernel "$k" --out "$d/oops" -- sh -c 'echo c >/proc/sysrq-trigger'
	if [ "$rc" -eq 1 ] && grep -q 'no verdict: kernel panic' "$d/oops.log"; then
		ok "$k: an oops (sysrq c) panics the VM and fails the run"
	else
		nok "$k: oops (run-vm.sh exit $rc, see $d/oops.log)"
	fi
done

# timeout (once, on the first kernel)
k=${kernels%% *}
d=$base/timeout
rm -rf "$d"
mkdir -p "$d"
vm "$d.log" --kernel "$k" --timeout 20 --out "$d" -- sleep 1000
if [ "$rc" -eq 1 ] && grep -q 'TIMEOUT after 20s' "$d.log"; then
	ok "$k: a hanging command is killed after --timeout and reported (${wall}s)"
else
	nok "$k: timeout (run-vm.sh exit $rc, see $d.log)"
fi

for t in ${times[@]+"${times[@]}"}; do echo "# time: $t"; done
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
[ "$n" -eq "$total" ] || { echo "# ran $n tests, planned $total"; fail=$((fail + 1)); }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
