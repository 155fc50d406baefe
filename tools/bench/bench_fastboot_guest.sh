#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench, fastboot part (guest side, called by bench_guest.sh): in one
# VM run, on the same dummy_hcd link (dummy_udc.0, high speed):
#  1. the bulk OUT ceiling, with the kernel's usbtest driver against
#     f_sourcesink (usb_f_ss_lb, VID:PID 0525:a4a0): test 1 (one URB at a
#     time) with 16 KiB writes (what fastboot 29.0.6 does) and 1 MiB writes
#     (what uuu does), and usbfs with 4 x 1 MiB URBs in flight (the link);
#  2. download of a 256 MiB image into usb_f_fastboot with stock fastboot
#     ("fastboot stage" = download only) and uuu ("FB: download -f");
#  3. end-to-end flash of a 1 GiB sparse image (img2simg of a mostly empty
#     1 GiB file with some data) with both clients, bytes verified;
#  4. the function's mem_high_water against max_download_size + 1 MiB.
# Results as ratios; medians of IMXF_BENCH_RUNS (default 3) runs. Appended
# to /out/bench.txt.

. "$(dirname "$0")/../testing/selftests/imxflash/lib/lib.sh"
. "$(dirname "$0")/../testing/selftests/imxflash/lib/lib_fastboot.sh"

RUNS=${IMXF_BENCH_RUNS:-3}
RUN=$BIN/bench/bench_run
CEIL=$BIN/bench/bench_usb_ceiling
OUT=/out/bench.txt
W=$FB_WORK/bench
MiB=1048576
MAXDL=$((256 * MiB))
UDC=dummy_udc.0
SER=IMXFBENCH
G=fbb
export BENCH_LOG=$W/tool.log
rm -rf "$W"
mkdir -p "$W"
rc=0

say() { echo "$*" | tee -a "$OUT"; }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
mbps() { awk -v b="$1" -v ms="$2" 'BEGIN { if (ms > 0) printf "%.1f", b / ms / 1000; else print "-" }'; }

fb_modules 1 || { echo "bench: cannot load modules" >&2; exit 1; }
modprobe usb_f_ss_lb && modprobe usbtest || { echo "bench: no usbtest/usb_f_ss_lb" >&2; exit 1; }

# --- 1+2. ceiling and downloads, in rounds ---------------------------------------
# Two gadgets take turns on the same UDC: f_sourcesink (ceiling) and
# usb_f_fastboot. Each round measures the ceiling and then both clients, so
# that a change of host load (2 cores shared with other VMs) hits both
# sides of a ratio alike; the ratios are medians of the per-round ratios.
SS=$CFS/ssbench
mkdir -p "$SS/strings/0x409" "$SS/configs/c.1" "$SS/functions/SourceSink.0"
echo 0x0525 > "$SS/idVendor"
echo 0xa4a0 > "$SS/idProduct"
echo "ceiling" > "$SS/strings/0x409/serialnumber"
# the sink keeps 8 x 256 KiB requests queued and checks nothing (pattern 2):
# the gadget side is never what limits the measurement
echo 262144 > "$SS/functions/SourceSink.0/bulk_buflen"
echo 8 > "$SS/functions/SourceSink.0/bulk_qlen"
echo 2 > "$SS/functions/SourceSink.0/pattern"
ln -s "$SS/functions/SourceSink.0" "$SS/configs/c.1/"

fb_gadget_destroy $G
truncate -s $((1024 * MiB + 8 * MiB)) "$W/disk.img"
fb_gadget_create $G $SER &&
	fb_set $G max_download_size $MAXDL &&
	fb_set $G storage "$W/disk.img" &&
	fb_part $G rootfs path="$W/disk.img" offset=$((4 * MiB)) size=$((1024 * MiB)) ||
	{ echo "bench: fastboot gadget setup failed" >&2; exit 1; }
ln -s "$(fb_fdir $G)" "$(fb_gdir $G)/configs/c.1/"
img=$W/dl256.img
fb_mkimage "$img" $MAXDL 5 random

ss_on() {
	local i=0
	echo "" > "$(fb_gdir $G)/UDC" 2> /dev/null
	echo $UDC > "$SS/UDC" || return
	until compgen -G '/sys/bus/usb/drivers/usbtest/*:1.0' > /dev/null; do
		i=$((i + 1))
		[ $i -lt 200 ] || { echo "bench: usbtest did not bind" >&2; return 1; }
		usleep 50000
	done
}
fb_on() {
	echo "" > "$SS/UDC" 2> /dev/null
	echo $UDC > "$(fb_gdir $G)/UDC" && fb_wait_iface $SER present 10
}
# ceil ARGS...: MB/s of one bench_usb_ceiling run, or nothing
ceil() { local r; r=$("$CEIL" "$@" 2>> "$W/ceil.log") && field "$r" MBps; }
# lat CHUNK QLEN [FILE]: MB/s of one download into usb_f_fastboot with those
# writes, from a zero buffer or from an mmap of FILE (bench_fb_latency; its
# time to DATA is kept in $W/lat)
lat() {
	local r
	r=$("$BIN/bench/bench_fb_latency" $SER $MAXDL 1 "$@" 2>> "$W/lat.err") &&
		echo "$r" >> "$W/lat" && field "$r" MBps
}
# dl CMD...: wall ms of one download, or nothing
dl() {
	local r
	r=$($RUN "$@")
	case $r in
	rc=0\ *) field "$r" wall_ms ;;
	*) echo "bench: $1 failed: $r" >&2; tail -n 5 "$BENCH_LOG" | sed 's/^/#   /' >&2 ;;
	esac
}

: > "$W/rounds"
: > "$W/lat"
n=0
while [ $n -lt "$RUNS" ]; do
	n=$((n + 1))
	ss_on || break
	# usbtest: the kernel's own loop, one URB at a time
	t16=$(ceil usbtest 0525 a4a0 64 16384)
	t1m=$(ceil usbtest 0525 a4a0 128 1048576)
	# usbfs from userspace, as the clients write (this detaches usbtest)
	u16=$(ceil usbfs 0525 a4a0 64 16384 1)
	u1m=$(ceil usbfs 0525 a4a0 128 1048576 1)
	umax=$(ceil usbfs 0525 a4a0 128 1048576 4)
	fb_on || break
	PORT=$(fb_port $SER)
	f=$(dl fastboot -s $SER stage "$img")
	fsend=$(sed -n 's/.*OKAY \[ *\([0-9.]*\)s\].*/\1/p' "$BENCH_LOG" | head -n1)
	u=$(dl uuu -m "$(fb_uuu_path "$PORT")" FB: download -f "$img")
	rf=$(mbps $MAXDL "$f")
	ru=$(mbps $MAXDL "$u")
	# the same usbfs writes as the ceiling, into usb_f_fastboot
	d16=$(lat 16384 1)
	d1m=$(lat 1048576 1)
	d4=$(lat 1048576 4)
	d16m=$(lat 16384 1 "$img")
	echo "$n $t16 $t1m $u16 $u1m $umax $f $fsend $u $rf $ru $d16 $d1m $d4 $d16m" >> "$W/rounds"
	echo "# round $n: ceiling usbtest 16K $t16, 1M $t1m; usbfs 16K $u16, 1M $u1m, 4x1M $umax MB/s; usb_f_fastboot usbfs 16K $d16, 1M $d1m, 4x1M $d4, 16K from mmap $d16m MB/s; fastboot stage ${f:-failed} ms (client: ${fsend}s) = $rf MB/s; uuu ${u:-failed} ms = $ru MB/s"
done
[ "$(wc -l < "$W/rounds")" -eq "$RUNS" ] || rc=1
# col N: median of column N; rcol A B: median of per-round A/B
col() { awk -v c="$1" '{ print $c }' "$W/rounds" | median; }
rcol() { awk -v a="$1" -v b="$2" '$a != "" && $b > 0 && $a != "-" { printf "%.4f\n", $a / $b }' "$W/rounds" | median; }
pc() { awk -v r="$1" 'BEGIN { if (r != "") printf "%.0f %%", 100 * r; else print "-" }'; }

say ""
say "fastboot: dummy_hcd high speed, $(nproc) CPUs (TCG), $RUNS rounds (ceiling, then both clients), medians; MB = 10^6 bytes"
say "link ceiling, bulk OUT into f_sourcesink on the same UDC:"
say "  usbtest test 1, 16 KiB URBs, 1 in flight:            $(col 2) MB/s"
say "  usbtest test 1, 1 MiB URBs, 1 in flight:             $(col 3) MB/s"
say "  usbfs, 16 KiB, 1 in flight (fastboot 29.0.6 writes):  $(col 4) MB/s"
say "  usbfs, 1 MiB, 1 in flight (uuu writes):               $(col 5) MB/s"
say "  usbfs, 4 x 1 MiB in flight (link maximum):            $(col 6) MB/s"
# the factory section's floor: the highest ceiling of this run (MB/s), so
# that no client's write pattern makes the floor easier to reach
ceilmax=$(printf '%s\n' "$(col 2)" "$(col 3)" "$(col 4)" "$(col 5)" "$(col 6)" |
	grep -E '^[0-9.]+$' | sort -g | tail -n1)
[ -n "$ceilmax" ] && [ -n "${FLOOR_FB:-}" ] && echo "$ceilmax" > "$FLOOR_FB"
say "download of 256 MiB into usb_f_fastboot, the same usbfs writes (data phase, no client start-up):"
say "  16 KiB, 1 in flight:   $(col 12) MB/s = $(pc "$(rcol 12 4)") of the ceiling for these writes"
say "  1 MiB, 1 in flight:    $(col 13) MB/s = $(pc "$(rcol 13 5)") of the ceiling for these writes"
say "  4 x 1 MiB in flight:   $(col 14) MB/s = $(pc "$(rcol 14 6)") of the link maximum (target >= 90 %)"
say "  16 KiB from a fresh mmap of the image file (how fastboot 29.0.6 sends it): $(col 15) MB/s = $(pc "$(rcol 15 4)") of the ceiling for 16 KiB writes"
say "stock clients, 256 MiB (wall time of the client process, start-up and file reading included):"
say "  fastboot stage:      $(printf '%6s ms %6s MB/s' "$(col 7)" "$(mbps $MAXDL "$(col 7)")")  = $(pc "$(rcol 10 4)") of the ceiling for its writes (16 KiB), $(pc "$(rcol 10 6)") of the link (target >= 90 %)"
say "  uuu FB: download -f: $(printf '%6s ms %6s MB/s' "$(col 9)" "$(mbps $MAXDL "$(col 9)")")  = $(pc "$(rcol 11 5)") of the ceiling for its writes (1 MiB), $(pc "$(rcol 11 6)") of the link (target >= 90 %)"
say "  (fastboot against the same writes from an mmap of the file: $(pc "$(awk '$15 > 0 { printf "%.4f\n", $10 / $15 }' "$W/rounds" | median)"): what it lacks of the ceiling is the client faulting its mapping in)"
say "  (fastboot's own 'Sending' time: $(col 8) s; against usbtest's in-kernel loop: fastboot $(pc "$(rcol 10 2)") of 16 KiB, uuu $(pc "$(rcol 11 3)") of 1 MiB)"
# how long the device took to answer download:10000000 (uuu: 2 s timeout)
latmax=$(sed -n 's/.*data_ms=\([0-9]*\).*/\1/p' "$W/lat" | sort -n | tail -n1)
say "  answer to download:10000000: at most ${latmax:-?} ms over $(wc -l < "$W/lat") downloads (uuu waits 2000 ms)"
# The verdict: the function against the ceiling for the same writes (what
# a device can be held to); the clients' own share printed beside it.
dev_min=$(printf '%s\n' "$(rcol 12 4)" "$(rcol 13 5)" "$(rcol 14 6)" | sort -n | head -n1)
say "download target (>= 90 % of the ceiling): usb_f_fastboot $(pc "$(rcol 12 4)") / $(pc "$(rcol 13 5)") / $(pc "$(rcol 14 6)") of the ceiling for 16 KiB / 1 MiB / 4 x 1 MiB writes: $(awk -v r="$dev_min" 'BEGIN { print (r != "" && r >= 0.9) ? "met" : "NOT met" }'); stock clients $(pc "$(rcol 10 4)") (fastboot) and $(pc "$(rcol 11 5)") (uuu) of the ceiling for their own writes"
diag "stats download_bytes=$(fb_stat $G download_bytes)"
rm -f "$img"
echo "" > "$SS/UDC" 2> /dev/null
rm "$SS/configs/c.1/SourceSink.0"
rmdir "$SS/configs/c.1" "$SS/functions/SourceSink.0" "$SS/strings/0x409" "$SS"

# --- 3. 1 GiB sparse flash ----------------------------------------------------------
# The raw image is made here (holes: instant); its img2simg file, made from
# the same generator on the host by bench.sh (img2simg reads the holes, and
# under TCG reading a tmpfs hole is ~20 times slower than data), or here.
raw=$W/big.raw
fb_mkimage "$raw" $((1024 * MiB)) 6 sparse
if [ -s "${FB_BENCH_SIMG:-}" ]; then
	cp "$FB_BENCH_SIMG" "$W/big.simg"
else
	img2simg "$raw" "$W/big.simg" > /dev/null 2>&1
fi
simg=$(stat -c %s "$W/big.simg")
data=$(du -B1 "$raw" | cut -f1)
# flash NAME CMD...: one timed flash, verified; prints wall ms or nothing.
# Random bytes are put first in a few places, so that a flash that skipped
# the zero (FILL) regions would be seen.
flash_one() {
	local name=$1 r i
	shift
	for i in 0 100 300 600 1000; do
		fb_fill "$W/disk.img" $(((4 + i) * MiB)) $MiB $i
	done
	r=$($RUN "$@")
	case $r in rc=0\ *) ;; *)
		echo "bench: $name flash failed: $r" >&2
		tail -n 5 "$BENCH_LOG" | sed 's/^/#   /' >&2
		return 1 ;;
	esac
	fb_cmp_range "$W/disk.img" $((4 * MiB)) "$raw" ||
		{ echo "bench: $name: flashed bytes differ from the image" >&2; return 1; }
	field "$r" wall_ms
}
f_fb=$(flash_one fastboot fastboot -s $SER flash rootfs "$W/big.simg") || rc=1
f_uuu=$(flash_one uuu uuu -m "$(fb_uuu_path "$PORT")" FB: flash rootfs "$W/big.simg") || rc=1
say "flash of a 1 GiB sparse image ($((simg / 1024)) KiB img2simg file, $((data / MiB)) MiB of data, rest FILL 0), verified:"
say "  fastboot flash:       $(printf '%6s ms' "${f_fb:-failed}")  = $(mbps $((1024 * MiB)) "${f_fb:-0}") MB/s of partition written"
say "  uuu FB: flash:        $(printf '%6s ms' "${f_uuu:-failed}")  = $(mbps $((1024 * MiB)) "${f_uuu:-0}") MB/s of partition written"
rm -f "$raw" "$W/big.simg"

# --- 4. memory -------------------------------------------------------------------
hw=$(fb_stat $G mem_high_water)
lim=$((MAXDL + MiB))
if [ -n "$hw" ]; then
	say "kernel memory high-water: $hw bytes, max_download_size + 1 MiB = $lim: $(awk -v a="$hw" -v b="$lim" 'BEGIN { printf "%.3f of the bound (%s)", a / b, a <= b ? "ok" : "OVER" }')"
	[ "$hw" -le "$lim" ] || rc=1
else
	say "kernel memory high-water: no mem_high_water in stats"
	rc=1
fi
fb_gadget_destroy $G
rm -rf "$W"
exit $rc
