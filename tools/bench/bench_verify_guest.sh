#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench, verified writes (guest side, called by bench_guest.sh;
# IMXF_BENCH_ONLY=verify runs it alone): one run on the dummy_hcd link
# into usb_f_fastboot, the partition on a loop device (the direct reads of
# "oem sha256" go to its driver):
#  - a 1 GiB image with about 10 % mapped (1 MiB of data every 10 MiB)
#    and the bmap bmaptool makes of it, flashed once with fastboot-lite;
#  - fastboot-lite verify of it: the device hashes the mapped ranges from
#    the storage (oem sha256) while the host hashes the image, against
#    fastboot-lite verify --read-back, which reads the same ranges back
#    with fetch and compares them on the host; the ratio of the times and
#    the bytes each moves over USB;
#  - the device's own time for the digest (the netlink event's
#    duration_ms, through fastboot-target).
# Both must report OKAY; a mismatch or a failure is printed as such.
# Appended to /out/bench.txt.

. "$(dirname "$0")/../testing/selftests/imxflash/lib/lib.sh"
. "$(dirname "$0")/../testing/selftests/imxflash/lib/lib_fastboot.sh"

RUN=$BIN/bench/bench_run
FL=$BIN/userspace/fastboot-lite
FT=$BIN/userspace/fastboot-target
OUT=/out/bench.txt
W=$FB_WORK/bench-verify
MiB=1048576
IMG_SZ=$((1024 * MiB))
UDC=dummy_udc.0
SER=IMXFBVER
G=fbbv
export BENCH_LOG=$W/tool.log
LOOP=
FTPID=
rm -rf "$W"
mkdir -p "$W"

say() { echo "$*" | tee -a "$OUT"; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
cleanup() {
	[ -n "$FTPID" ] && kill "$FTPID" 2> /dev/null
	fb_gadget_destroy $G 2> /dev/null
	fb_unloop "$LOOP"
}
trap cleanup EXIT

fb_modules 1 || { echo "bench: cannot load modules" >&2; exit 1; }

# the image: holes, and 1 MiB of random data at the start of every 10 MiB
python3 - "$W/big.img" "$IMG_SZ" << 'EOF'
import os, sys
path, size = sys.argv[1], int(sys.argv[2])
with open(path, 'wb') as f:
    f.truncate(size)
    for off in range(0, size, 10 << 20):
        f.seek(off)
        f.write(os.urandom(1 << 20))
EOF
bmaptool -q create -o "$W/big.img.bmap" "$W/big.img" ||
	{ echo "bench: bmaptool failed" >&2; exit 1; }
mapped=$(($(sed -n 's|.*<MappedBlocksCount> *\([0-9]*\).*|\1|p' "$W/big.img.bmap") *
	$(sed -n 's|.*<BlockSize> *\([0-9]*\).*|\1|p' "$W/big.img.bmap")))

truncate -s $((IMG_SZ + 4 * MiB)) "$W/disk.img"
LOOP=$(losetup -f --show "$W/disk.img") || { echo "bench: loop device" >&2; exit 1; }
fb_gadget_destroy $G
fb_gadget_create $G $SER && fb_set $G max_download_size $((256 * MiB)) &&
	fb_part $G rootfs path="$LOOP" size=$IMG_SZ && fb_bind $G $UDC ||
	{ echo "bench: fastboot gadget setup failed" >&2; exit 1; }
"$FT" > "$W/events" 2> /dev/null &
FTPID=$!

r=$($RUN "$FL" -s $SER flash rootfs "$W/big.img")
case $r in rc=0\ *) ;; *)
	say "verify: the flash failed ($r)"
	exit 1 ;;
esac

# timed TAG ARGS...: one timed fastboot-lite verify; prints its wall ms
timed() {
	local tag=$1 r
	shift
	r=$($RUN "$FL" -s $SER verify "$@" rootfs "$W/big.img")
	cp "$BENCH_LOG" "$W/$tag.log" 2> /dev/null
	case $r in rc=0\ *) ;; *)
		echo "# verify $tag failed: $r" >&2
		tail -n 3 "$BENCH_LOG" | sed 's/^/#   /' >&2
		return 1 ;;
	esac
	field "$r" wall_ms
}

dl0=$(fb_stat $G download_bytes)
t_sha=$(timed sha256) || t_sha=
list=$(($(fb_stat $G download_bytes) - dl0))
grep -q "sha256 on the device" "$W/sha256.log" 2> /dev/null || t_sha=
t_fetch=$(timed fetch --read-back) || t_fetch=
grep -q "read back with fetch" "$W/fetch.log" 2> /dev/null || t_fetch=
sleep 1
dev_ms=$(sed -n 's/.* event=sha256 partition=rootfs bytes=[0-9]* status=0 duration_ms=\([0-9]*\).*/\1/p' \
	"$W/events" | tail -n 1)

say "verify: $((IMG_SZ / MiB)) MiB image, $((mapped / MiB)) MiB mapped in $(grep -c '<Range' "$W/big.img.bmap") ranges (bmaptool), partition on a loop device, one run"
awk -v s="$t_sha" -v f="$t_fetch" -v m="$mapped" -v d="$dev_ms" -v l="$list" 'BEGIN {
	printf "%-34s %10s %10s %14s\n", "way", "time(ms)", "MB/s", "over USB"
	if (s != "")
		printf "%-34s %10d %10.1f %8d B list\n", "oem sha256 on the device", s,
			m / s / 1000, l
	else
		printf "%-34s %10s\n", "oem sha256 on the device", "failed"
	if (f != "")
		printf "%-34s %10d %10.1f %11.1f MiB\n", "fetch read-back, compared", f,
			m / f / 1000, m / 1048576
	else
		printf "%-34s %10s\n", "fetch read-back, compared", "failed"
	if (d != "")
		printf "device time of the digest (event): %d ms (%.1f MB/s)\n", d, m / d / 1000
	if (s != "" && f != "")
		printf "ratio fetch read-back / oem sha256: %.2fx\n", f / s
}' | tee -a "$OUT"
[ -n "$t_sha" ] && [ -n "$t_fetch" ]
