#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# usb_f_fastboot on a target with less memory than a download asks for
# (run in a VM of 512 MiB: run-vm.sh --mem 512, on x86_64 and on the
# 32-bit sabrelite board, where the buffer's blocks come from low memory):
#  - max_download_size 1 GiB is accepted, and the function says in its
#    stats and in the kernel log that this is more than the kernel has;
#  - a 700 MiB download (fastboot-lite, from a sparse file: nothing of it
#    is read before the device answers) is answered "FAIL out of memory"
#    at once, the data phase never starts;
#  - nothing is killed by the OOM killer, the page allocator does not
#    complain (no allocation failure report, no call trace);
#  - the function keeps answering: getvar, then a small flash checked
#    byte for byte, after the refused download.
# TAP output.

. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/lib_fastboot.sh"

G=fbsmall
SER=IMXFSMALL1
UDC=dummy_udc.0
MiB=1048576
W=$FB_WORK/small
FL=$BIN/userspace/fastboot-lite
BIG=$((700 * MiB))
MAXDL=$((1024 * MiB))
STORE=$W/store.img

rm -rf "$W"
mkdir -p "$W"
fb_modules "${IMXF_NUM_UDC:-4}" || { echo "Bail out! cannot load modules"; exit 1; }
[ -x "$FL" ] || { echo "Bail out! $FL not built"; exit 1; }
mem_kib=$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo)
# the point is a download bigger than all the memory there is
[ $((mem_kib * 1024)) -lt $BIG ] ||
	{ echo "Bail out! MemTotal $mem_kib kB: run this in a VM of 512 MiB (run-vm.sh --mem 512)"; exit 1; }
tap_plan 9
diag "MemTotal $((mem_kib / 1024)) MiB, $(uname -m)"

fb_dmesg_mark
setup() {
	fb_gadget_destroy $G
	fb_gadget_create $G $SER &&
		fb_set $G max_download_size $MAXDL &&
		fb_set $G product small-board &&
		fb_mkstore "$STORE" $((4 * MiB)) &&
		fb_set $G storage "$STORE" &&
		fb_part $G boot path="$STORE" offset=$MiB size=$((2 * MiB)) &&
		fb_bind $G $UDC
}
check "max_download_size $((MAXDL / MiB)) MiB accepted on a $((mem_kib / 1024)) MiB target" setup

# the function says the buffer can never be that big
over_ram() {
	local v
	v=$(fb_stat $G max_download_over_mem)
	diag "  stats: max_download_over_mem ${v:-missing}"
	[ "${v:-0}" -gt 0 ] || return
	fb_dmesg_since | grep -q "max_download_size $MAXDL .*more than" ||
		{ fb_log "no kernel log line about max_download_size"; return 1; }
}
check "stats and the kernel log say max_download_size exceeds the memory" over_ram

check "getvar max-download-size: 0x40000000" \
	eval '[ "$(timeout 60 "$FL" -q -s $SER getvar max-download-size 2>&1)" = 0x40000000 ]'

truncate -s $BIG "$W/big.img"
refused() {
	local t0 rc
	t0=$(date +%s)
	timeout 120 "$FL" -s $SER download "$W/big.img" > "$W/fl.log" 2>&1
	rc=$?
	diag "  exit $rc after $(($(date +%s) - t0)) s: $(grep -m1 -i 'fail' "$W/fl.log")"
	[ $rc -eq 1 ] && grep -q "FAIL.*out of memory" "$W/fl.log"
}
check "download of $((BIG / MiB)) MiB: FAIL out of memory" refused
check "  the device stayed in the command phase (state idle)" \
	eval '[ "$(fb_get $G state)" = idle ]'

dmesg_after=$(fb_dmesg_since)
check "no OOM kill" eval '! echo "$dmesg_after" | grep -qiE "oom-kill|out of memory: kill|killed process"'
check "no allocation failure report or call trace in the kernel log" \
	eval '! echo "$dmesg_after" | grep -qE "page allocation failure|vmalloc error|Call Trace|WARNING:"'

check "getvar product still answers" \
	eval '[ "$(timeout 60 "$FL" -q -s $SER getvar product 2>&1)" = small-board ]'
small_flash() {
	fb_mkimage "$W/small.img" $((300 * 1024)) 7 random &&
		timeout 120 "$FL" -s $SER flash boot "$W/small.img" > "$W/fl.log" 2>&1 &&
		fb_cmp_range "$STORE" $MiB "$W/small.img"
}
check "a small flash afterwards writes its bytes" small_flash

fb_gadget_destroy $G
rm -rf "$W"
tap_done
