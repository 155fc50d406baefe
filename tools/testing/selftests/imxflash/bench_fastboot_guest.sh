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

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_fastboot.sh"

RUNS=${IMXF_BENCH_RUNS:-3}
RUN=$BIN/tests/bench_run
CEIL=$BIN/tests/bench_usb_ceiling
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
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && a != "-" && b > 0) printf "%.0f %%", 100 * a / b; else print "-" }'; }

fb_modules 1 || { echo "bench: cannot load modules" >&2; exit 1; }
modprobe usb_f_ss_lb && modprobe usbtest || { echo "bench: no usbtest/usb_f_ss_lb" >&2; exit 1; }

# --- 1. the ceiling -----------------------------------------------------------
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
echo $UDC > "$SS/UDC"
i=0
until compgen -G '/sys/bus/usb/drivers/usbtest/*:1.0' > /dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "bench: usbtest did not bind" >&2; exit 1; }
	usleep 50000
done

# ceil NAME ARGS...: median MB/s of RUNS measurements
ceil() {
	local name=$1 r n=0
	shift
	: > "$W/ceil.$name"
	while [ $n -lt "$RUNS" ]; do
		r=$("$CEIL" "$@" 2>> "$W/ceil.log") || { echo "bench: $CEIL $* failed" >&2; break; }
		field "$r" MBps >> "$W/ceil.$name"
		n=$((n + 1))
	done
	median < "$W/ceil.$name"
}
C16=$(ceil u16k usbtest 0525 a4a0 128 16384)
C1M=$(ceil u1m usbtest 0525 a4a0 256 1048576)
# usbfs detaches usbtest: last
CMAX=$(ceil usbfs usbfs 0525 a4a0 256 1048576 4)
echo "" > "$SS/UDC"
rm "$SS/configs/c.1/SourceSink.0"
rmdir "$SS/configs/c.1" "$SS/functions/SourceSink.0" "$SS/strings/0x409" "$SS"

say ""
say "fastboot: dummy_hcd high speed, $(nproc) CPUs (TCG), $RUNS runs each, median; MB = 10^6 bytes"
say "link ceiling (usbtest test 1 = bulk OUT into f_sourcesink):"
say "  16 KiB writes, 1 in flight (fastboot 29.0.6 pattern): $C16 MB/s"
say "  1 MiB writes, 1 in flight (uuu pattern):              $C1M MB/s"
say "  usbfs, 4 x 1 MiB in flight (link maximum):            $CMAX MB/s"

# --- 2. download ---------------------------------------------------------------
fb_gadget_destroy $G
fb_gadget_create $G $SER &&
	fb_set $G max_download_size $MAXDL &&
	fb_set $G storage "$W/disk.img" &&
	truncate -s $((1024 * MiB + 8 * MiB)) "$W/disk.img" &&
	fb_part $G rootfs path="$W/disk.img" offset=$((4 * MiB)) size=$((1024 * MiB)) &&
	fb_bind $G $UDC || { echo "bench: fastboot gadget setup failed" >&2; exit 1; }
PORT=$(fb_port $SER)
img=$W/dl256.img
fb_mkimage "$img" $MAXDL 5 random

# dl NAME CMD...: median wall ms of RUNS downloads
dl() {
	local name=$1 r n=0
	shift
	: > "$W/dl.$name"
	while [ $n -lt "$RUNS" ]; do
		r=$($RUN "$@")
		case $r in
		rc=0\ *) field "$r" wall_ms >> "$W/dl.$name" ;;
		*) echo "bench: $name failed: $r" >&2; sed 's/^/#   /' "$BENCH_LOG" | tail -n 5 >&2; : > "$W/dl.$name"; break ;;
		esac
		n=$((n + 1))
	done
	median < "$W/dl.$name"
}
dl_fb=$(dl fastboot fastboot -s $SER stage "$img")
grep -E "Sending|OKAY" "$BENCH_LOG" | tail -n 2 | sed 's/^/# fastboot: /'
# how long the device takes to answer download:10000000 (uuu: 2 s timeout)
"$BIN/tests/bench_fb_latency" $SER $MAXDL "$RUNS" > "$W/lat" 2>&1 || rc=1
sed 's/^/# latency: /' "$W/lat"
lat=$(sed -n 's/.*data_ms=\([0-9]*\).*/\1/p' "$W/lat" | sort -n | tail -n1)
dl_uuu=$(dl uuu uuu -m "$(fb_uuu_path "$PORT")" FB: download -f "$img")
[ -n "$dl_fb" ] && [ -n "$dl_uuu" ] || rc=1
got=$(fb_stat $G download_bytes)
r_fb=$(mbps $MAXDL "$dl_fb")
r_uuu=$(mbps $MAXDL "$dl_uuu")
say "download of 256 MiB into usb_f_fastboot:"
say "  fastboot stage:       $(printf '%6s ms %6s MB/s' "$dl_fb" "$r_fb")  = $(pct "$r_fb" "$C16") of its pattern's ceiling, $(pct "$r_fb" "$CMAX") of the link (target >= 90 %)"
say "  uuu FB: download -f:  $(printf '%6s ms %6s MB/s' "$dl_uuu" "$r_uuu")  = $(pct "$r_uuu" "$C1M") of its pattern's ceiling, $(pct "$r_uuu" "$CMAX") of the link (target >= 90 %)"
say "  answer to download:10000000 (buffer allocation): at most ${lat:-?} ms over $RUNS runs (uuu waits 2000 ms)"
diag "stats download_bytes=$got"
rm -f "$img"

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
