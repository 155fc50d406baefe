#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fastboot-lite (userspace/fastboot-lite, usbfs, no libusb) against
# usb_f_fastboot on dummy_hcd, in the test VM (TAP):
#  - devices, getvar, flash of a small raw image, of raw images bigger than
#    max-download-size (split into sparse pieces, also with a size that is
#    not a multiple of 4096), of an img2simg sparse image (as is, and
#    resplit), fetch read-back, erase, oem, reboot;
#  - the same images flashed by Debian's fastboot 29.0.6 over the same
#    prefilled regions: the partition content must be the same, byte for
#    byte, and bytes outside the target unchanged;
#  - bad input: missing file, image bigger than the partition (nothing
#    written), the gadget unbound during a download (exit 5, no hang);
#  - selection among two boards (two UDCs): none named, --port, -s, usb:PORT,
#    a port with no board (with and without --wait).
# Every fastboot-lite run is bounded by timeout(1): a hang is a failure.

# shellcheck disable=SC2016 # check "..." eval '...' expands later, on purpose
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/lib_fastboot.sh"

W=$FB_WORK/lite
rm -rf "$W"
mkdir -p "$W"
G=fbl
SER=IMXFL0001
G2=fbl2
SER2=IMXFL0002
UDC=dummy_udc.0
UDC2=dummy_udc.1
MiB=1048576
# Image sizes; a quarter of them on the debug kernel (KASAN + lockdep
# under TCG are ~5x slower), where the same paths are covered (FBL_SMALL=1
# forces them).
if [ "${IMXF_KDEBUG:-0}" = 1 ] || [ "${FBL_SMALL:-0}" = 1 ]; then
	MAXDL=$((2 * MiB)) BIG=$((10 * MiB)) ODD=$((5 * MiB + 1234))
	GONE=$((8 * MiB)) DCQ=4
else
	MAXDL=$((8 * MiB)) BIG=$((40 * MiB)) ODD=$((20 * MiB + 1234))
	GONE=$((24 * MiB)) DCQ=1
fi
FL=$BIN/userspace/fastboot-lite
T0=$(date +%s.%N)

# disk.img: boot at 1 MiB, rootfs after it, small (1 MiB) after that,
# guard data around them (fb_mkstore).  Checks compare whole copies of it
# with cmp (hashing under TCG is slow).
DISK=$W/disk.img
BOOT_OFF=$MiB
SMALL_SZ=$MiB
if [ "$DCQ" = 1 ]; then
	BOOT_SZ=$((8 * MiB)) ROOT_SZ=$((64 * MiB)) DISK_SZ=$((80 * MiB))
else
	BOOT_SZ=$((4 * MiB)) ROOT_SZ=$((16 * MiB)) DISK_SZ=$((24 * MiB))
fi
ROOT_OFF=$((BOOT_OFF + BOOT_SZ))
SMALL_OFF=$((ROOT_OFF + ROOT_SZ))

fb_modules "${IMXF_NUM_UDC:-4}" || { echo "Bail out! cannot load modules"; exit 1; }
[ -x "$FL" ] || { echo "Bail out! $FL not built (make tools)"; exit 1; }
echo "TAP version 13"

# fl ARGS...: fastboot-lite, output in $W/fl.log, its exit status in FL_RC
fl() {
	timeout 300 "$FL" "$@" > "$W/fl.log" 2>&1
	FL_RC=$?
	[ $FL_RC -eq 0 ] || { fb_log "fastboot-lite $* -> exit $FL_RC"; sed 's/^/#   /' "$W/fl.log" | tail -n 8 >&2; }
	return $FL_RC
}

fb_mkstore "$DISK" $DISK_SZ

setup() {
	fb_gadget_destroy "$1"
	fb_gadget_create "$1" "$2" &&
		fb_set "$1" max_download_size $MAXDL &&
		fb_set "$1" product "lite-board" &&
		fb_set "$1" storage "$DISK" &&
		fb_part "$1" boot path="$DISK" offset=$BOOT_OFF size=$BOOT_SZ &&
		fb_part "$1" rootfs path="$DISK" offset=$ROOT_OFF size=$ROOT_SZ &&
		fb_part "$1" small path="$DISK" offset=$SMALL_OFF size=$SMALL_SZ &&
		fb_bind "$1" "$3"
}
check "gadget from configfs: storage + 3 partitions, max_download_size $((MAXDL / MiB)) MiB" \
	setup $G $SER $UDC
PORT=$(fb_port $SER)
diag "fastboot device $SER on port $PORT"

# --- identification ---------------------------------------------------------
check "devices lists $SER" eval 'fl devices && grep -qP "^$SER\tfastboot$" "$W/fl.log"'
check "devices -l gives usb:$PORT and 0525:a4a5" \
	eval 'fl devices -l && grep -q "^$SER .* fastboot usb:$PORT 0525:a4a5" "$W/fl.log"'
check "getvar product: 'product: lite-board'" \
	eval 'fl getvar product && grep -qx "product: lite-board" "$W/fl.log"'
check "getvar max-download-size -q: $(printf 0x%08x $MAXDL)" \
	eval 'fl -q getvar max-download-size && [ "$(cat "$W/fl.log")" = "$(printf 0x%08x $MAXDL)" ]'
check "getvar of an unknown variable: exit 1, the device's FAIL quoted" \
	fl_fails 1 "getvar:no-such-var: device answered FAIL '" getvar no-such-var
check "getvar all: INFO lines as (bootloader) ..." \
	eval 'fl getvar all && grep -q "^(bootloader) .*max-download-size" "$W/fl.log"'
check "-v: commands and answers traced" \
	eval 'fl -v getvar version && grep -qx "> getvar:version" "$W/fl.log" && grep -q "^< OKAY" "$W/fl.log"'

# --- flash, checked against the image and against stock fastboot ------------
# snap: a copy of the disk; unchanged: the disk equals it;
# unchanged_outside OFF LEN: except in [OFF, OFF+LEN)
snap() { cp "$DISK" "$W/snap.img"; }
unchanged() { cmp "$DISK" "$W/snap.img" > /dev/null || { fb_log "disk.img changed"; return 1; }; }
unchanged_outside() {
	if ! cmp -n "$1" "$DISK" "$W/snap.img" > /dev/null ||
	   ! cmp -i $(($1 + $2)) "$DISK" "$W/snap.img" > /dev/null; then
		fb_log "bytes outside [$1, +$2) changed"
		return 1
	fi
}
# restore OFF LEN: the range as it was in the snapshot
restore() {
	dd if="$W/snap.img" of="$DISK" bs=1M iflag=skip_bytes,count_bytes \
		oflag=seek_bytes skip="$1" seek="$1" count="$2" conv=notrunc status=none
}

# same_as_stock PART OFF LEN IMG [PADTO]: prefill [OFF, OFF+LEN) with
# random bytes, flash IMG with fastboot-lite: the region must hold IMG,
# then zeros up to PADTO, nothing else changed; then put the prefill back
# and flash IMG with Debian's fastboot: the whole disk must be the same.
same_as_stock() {
	local part=$1 off=$2 len=$3 img=$4 padto=${5:-0} n
	n=$(stat -c %s "$img")
	[ "$padto" -ge "$n" ] || padto=$n
	fb_fill "$DISK" "$off" "$len" && snap || return
	fl flash "$part" "$img" || return
	cp "$W/fl.log" "$W/flash-$part.log"
	fb_cmp_range "$DISK" "$off" "$img" || { fb_log "$part: image bytes differ"; return 1; }
	if [ "$padto" -gt "$n" ]; then
		fb_zero_range "$DISK" $((off + n)) $((padto - n)) ||
			{ fb_log "$part: padding not zero"; return 1; }
	fi
	unchanged_outside "$off" "$padto" || return
	cp "$DISK" "$W/lite.img" && restore "$off" "$len" || return
	fb_fastboot $SER flash "$part" "$img" || return
	cmp "$DISK" "$W/lite.img" > /dev/null ||
		{ fb_log "$part: fastboot-lite and fastboot wrote different bytes"; return 1; }
}

# pieces LOG: sparse pieces reported by fastboot-lite
pieces() { sed -n 's/.* in \([0-9]*\) sparse pieces.*/\1/p' "$1"; }

img=$W/small.img
fb_mkimage "$img" $((300 * 1024 + 123)) 11 random
timed "flash boot, 300 KiB + 123 raw (fits): same bytes as fastboot 29.0.6" \
	same_as_stock boot $BOOT_OFF $((2 * MiB)) "$img"
check "  sent whole (no pieces)" [ -z "$(pieces "$W/flash-boot.log")" ]

img=$W/big.img
fb_mkimage "$img" $BIG 21 mixed
timed "flash rootfs, $((BIG / MiB)) MiB raw > max-download-size: same bytes as fastboot" \
	same_as_stock rootfs $ROOT_OFF $((BIG + MiB)) "$img"
n=$(pieces "$W/flash-rootfs.log")
# half of a mixed image is zeros, 0xff or a pattern: FILL chunks, so
# fewer pieces than the raw bytes would need
check "  split into sparse pieces ($n), fewer than $((BIG / MAXDL)) thanks to FILL chunks" \
	[ -n "$n" ] && [ "$n" -ge 2 ] && [ "$n" -lt $((BIG / MAXDL)) ]
diag "  $(head -n1 "$W/flash-rootfs.log")"

img=$W/odd.img
fb_mkimage "$img" $ODD 33 random
timed "flash rootfs, $ODD bytes raw > max (last block zero padded): same bytes as fastboot" \
	same_as_stock rootfs $ROOT_OFF $((ODD + MiB)) "$img" $(((ODD + 4095) / 4096 * 4096))
n=$(pieces "$W/flash-rootfs.log")
check "  split into sparse pieces ($n)" [ -n "$n" ] && [ "$n" -ge 3 ]

img=$W/odd-small.img
fb_mkimage "$img" $((MAXDL / 2 + 777)) 34 random
timed "flash boot, $((MAXDL / 2 + 777)) bytes raw (fits, odd size): same bytes as fastboot" \
	same_as_stock boot $BOOT_OFF $((MAXDL / 2 + MiB)) "$img"

# img2simg (the host's, bash runs host tools) of a mixed image: RAW and
# FILL chunks, bigger than max-download-size, so fastboot-lite resplits
# it; the same bytes as fastboot, and the raw file in place.
raw=$W/sp.raw
fb_mkimage "$raw" $BIG 44 mixed
flash_sparse() {
	local simg=$1
	img2simg "$raw" "$simg" > /dev/null 2>&1 || return
	fb_fill "$DISK" $ROOT_OFF $((BIG + MiB)) && snap || return
	fl flash rootfs "$simg" || return
	cp "$W/fl.log" "$W/flash-sparse.log"
	fb_cmp_range "$DISK" $ROOT_OFF "$raw" || return
	cp "$DISK" "$W/lite.img" && restore $ROOT_OFF $((BIG + MiB)) || return
	fb_fastboot $SER flash rootfs "$simg" || return
	cmp "$DISK" "$W/lite.img" > /dev/null ||
		{ fb_log "sparse: fastboot-lite and fastboot wrote different bytes"; return 1; }
}
timed "flash rootfs, img2simg sparse image > max: same bytes as fastboot, raw file in place" \
	flash_sparse "$W/sp.simg"
sz=$(stat -c %s "$W/sp.simg")
n=$(pieces "$W/flash-sparse.log")
diag "  sparse file $sz bytes, max $MAXDL: ${n:-no} pieces"
check "  resplit into pieces" [ "$sz" -gt "$MAXDL" ] && [ "${n:-0}" -ge 2 ]
rm -f "$raw" "$W/sp.simg"

# A sparse image with DONT_CARE chunks at the start, in the middle and at
# the end, bigger than max-download-size: the data chunks land in place,
# the bytes under DONT_CARE keep what was there.
dontcare() {
	local img=$W/dc.simg blk=4096 dc1 raw1 dc2 fill raw2 dc3 end
	# chunk sizes in blocks: DONT_CARE RAW DONT_CARE FILL RAW DONT_CARE
	read -r dc1 raw1 dc2 fill raw2 dc3 <<< "$((100 / DCQ)) $((300 / DCQ)) \
		$((2000 / DCQ)) $((500 / DCQ)) $((2200 / DCQ)) $((50 / DCQ))"
	end=$((dc1 + raw1 + dc2 + fill + raw2 + dc3))
	python3 - "$img" "$dc1" "$raw1" "$dc2" "$fill" "$raw2" "$dc3" << 'EOF' || return
import struct, sys, random
random.seed(5)
B = 4096
n = [int(x) for x in sys.argv[2:]]
chunks = [(0xCAC3, n[0], b''), (0xCAC1, n[1], None), (0xCAC3, n[2], b''),
          (0xCAC2, n[3], b'\x11\x22\x33\x44'), (0xCAC1, n[4], None), (0xCAC3, n[5], b'')]
with open(sys.argv[1], 'wb') as f:
    f.write(struct.pack('<IHHHHIIII', 0xED26FF3A, 1, 0, 28, 12, B,
                        sum(c[1] for c in chunks), len(chunks), 0))
    for t, k, d in chunks:
        if d is None:
            d = b''.join(random.randbytes(B) for _ in range(k))
        f.write(struct.pack('<HHII', t, 0, k, 12 + len(d)))
        f.write(d)
EOF
	[ "$(stat -c %s "$img")" -gt $MAXDL ] || { fb_log "dc.simg not bigger than max"; return 1; }
	fb_fill "$DISK" $ROOT_OFF $((end * blk)) || return
	dd if="$DISK" of="$W/dc.before" bs=1M iflag=skip_bytes,count_bytes \
		skip=$ROOT_OFF count=$((end * blk)) status=none || return
	fl flash rootfs "$img" || return
	cp "$W/fl.log" "$W/flash-dc.log"
	simg2img "$img" "$W/dc.raw" || return
	# dc_cmp FILE BLOCK COUNT: those blocks of the partition equal FILE's
	dc_cmp() { cmp -n $(($3 * blk)) -i "$(($2 * blk)):$((ROOT_OFF + $2 * blk))" "$1" "$DISK"; }
	dc_cmp "$W/dc.before" 0 "$dc1" && dc_cmp "$W/dc.raw" "$dc1" "$raw1" &&
		dc_cmp "$W/dc.before" $((dc1 + raw1)) "$dc2" &&
		dc_cmp "$W/dc.raw" $((dc1 + raw1 + dc2)) $((fill + raw2)) &&
		dc_cmp "$W/dc.before" $((end - dc3)) "$dc3"
}
timed "flash rootfs, sparse with DONT_CARE (> max): data in place, DONT_CARE untouched" dontcare
n=$(pieces "$W/flash-dc.log")
check "  resplit into pieces ($n)" [ "${n:-0}" -ge 2 ]

# --- an MBR, and an ext4 file system as a build makes it ----------------------
# mbr: sfdisk's table for a disk of disk.img's size, flashed as the "mbr"
# target: sector 0 holds it, no other byte changes.
mbr_table() {
	local t=$W/table.img
	rm -f "$t" && truncate -s $DISK_SZ "$t" || return
	printf 'start=%d, size=%d, type=83\nstart=%d, size=%d, type=83\n' \
		$((BOOT_OFF / 512)) $((BOOT_SZ / 512)) $((ROOT_OFF / 512)) \
		$((ROOT_SZ / 512)) | fb_sfdisk "$t" || return
	head -c 512 "$t" > "$W/mbr.bin" && snap || return
	fl flash mbr "$W/mbr.bin" || return
	cmp -n 512 "$DISK" "$W/mbr.bin" > /dev/null && unchanged_outside 0 512
}
check "flash mbr (a table made by sfdisk): sector 0 written, nothing else" mbr_table

# rootfs: mkfs.ext4 -d of a tree with a file of random bytes bigger than
# max-download-size, made sparse by img2simg: resplit, and in place the
# image's bytes, a file system e2fsck finds clean, the file as it was.
ext4_sparse() {
	local root=$W/ext4root raw=$W/rootfs.ext4 back=$W/back.ext4
	rm -rf "$root" "$raw" && mkdir -p "$root/etc" &&
		echo lite-board > "$root/etc/hostname" &&
		fb_mkimage "$root/blob" $((MAXDL + MiB)) 91 random &&
		mkfs.ext4 -q -F -L rootfs -d "$root" "$raw" $((ROOT_SZ / 1024))k \
			> "$W/mkfs.log" 2>&1 &&
		img2simg "$raw" "$W/rootfs.simg" >> "$W/mkfs.log" 2>&1 ||
		{ sed 's/^/#   /' "$W/mkfs.log" >&2; return 1; }
	[ "$(stat -c %s "$W/rootfs.simg")" -gt $MAXDL ] || { fb_log "simg not > max"; return 1; }
	fl flash rootfs "$W/rootfs.simg" || return
	cp "$W/fl.log" "$W/flash-ext4.log"
	fb_cmp_range "$DISK" $ROOT_OFF "$raw" || return
	dd if="$DISK" of="$back" bs=1M iflag=skip_bytes,count_bytes skip=$ROOT_OFF \
		count=$ROOT_SZ status=none || return
	e2fsck -fn "$back" > "$W/fsck.log" 2>&1 || { sed 's/^/#   /' "$W/fsck.log" >&2; return 1; }
	debugfs -R "dump /blob $W/blob.back" "$back" > /dev/null 2>&1 &&
		cmp "$root/blob" "$W/blob.back"
}
timed "flash rootfs, img2simg of mkfs.ext4 -d (> max): e2fsck clean, files as built" ext4_sparse
n=$(pieces "$W/flash-ext4.log")
check "  resplit into pieces ($n)" [ "${n:-0}" -ge 2 ]
rm -rf "$W/ext4root" "$W"/*.ext4 "$W/rootfs.simg" "$W/blob.back" "$W/table.img"

# --- read-back ----------------------------------------------------------------
fetch_back() {
	local img=$W/fetch.img
	fb_mkimage "$img" $((3 * MiB + 512)) 55 random
	fl flash boot "$img" || return
	fl fetch boot "$W/back.img" || return
	[ "$(stat -c %s "$W/back.img")" -eq $BOOT_SZ ] || { fb_log "fetch: wrong size"; return 1; }
	cmp -n $((3 * MiB + 512)) "$img" "$W/back.img" || return
	fl fetch boot "$W/back2.img" --offset 4096 --size $((2 * MiB + 3)) || return
	cmp -n $((2 * MiB + 3)) -i 4096:0 "$img" "$W/back2.img" &&
		[ "$(stat -c %s "$W/back2.img")" -eq $((2 * MiB + 3)) ]
}
timed "fetch boot (whole, then --offset/--size): the flashed bytes come back" fetch_back

# --- erase: same result as stock -------------------------------------------------
erase_same() {
	fb_fill "$DISK" $BOOT_OFF $((2 * MiB)) && snap || return
	fl erase boot || return
	unchanged_outside $BOOT_OFF $BOOT_SZ || return
	cp "$DISK" "$W/lite.img" && restore $BOOT_OFF $BOOT_SZ || return
	fb_fastboot $SER erase boot || return
	cmp "$DISK" "$W/lite.img" > /dev/null
}
check "erase boot: same result as fastboot erase" erase_same

check "oem without a handler: exit 1, the device's answer quoted" \
	fl_fails 1 "oem hello: device answered FAIL" oem hello

# --- bad input -------------------------------------------------------------------
missing() {
	snap && fl_fails 3 "$W/nope.img: No such file or directory" flash boot "$W/nope.img" &&
		unchanged
}
check "flash of a missing file: exit 3, names the file, nothing written" missing

too_big() {
	local img=$W/toobig.img
	fb_mkimage "$img" $((SMALL_SZ + 4096)) 66 random && snap || return
	fl_fails 3 "partition 'small' holds $SMALL_SZ: nothing written" flash small "$img" &&
		unchanged
}
check "flash of an image bigger than the partition: exit 3, nothing written" too_big

# (zeros: one FILL chunk, quick to make and to scan)
too_big_split() {
	local img=$W/toobig2.img
	truncate -s $((ROOT_SZ + MiB)) "$img" && snap || return
	fl_fails 3 "nothing written" flash rootfs "$img" && unchanged
}
check "the same for an image that would be split: exit 3, nothing written" too_big_split
rm -f "$W"/toobig*.img

check "usage errors: exit 2" eval '
	fl_fails 2 "missing command" &&
	fl_fails 2 "unknown command" frobnicate &&
	fl_fails 2 "flash: missing PART FILE" flash boot &&
	fl_fails 2 "reboot: unknown target" reboot sideways'

# The gadget is unbound while a download runs: exit 5 with a message,
# within seconds, and no URB left behind (the next run works). Small
# URBs, one at a time, make the data phases long enough to hit one.
# slow_flash IMG LOG: a slow "flash rootfs IMG" in the background (pid
# in $pid), then wait until the device is downloading (its state in $st)
slow_flash() {
	FBH_URBS=1 FBH_URB_SIZE=4096 timeout 60 "$FL" flash rootfs "$1" > "$2" 2>&1 &
	pid=$!
	st=''
	for _ in $(seq 2000); do
		st=$(fb_get $G state)
		[ "$st" = download ] && break
		usleep 2000
	done
}
gone() {
	local img=$W/gone.img t0 t1 pid st
	fb_mkimage "$img" $GONE 77 random
	t0=$(date +%s.%N)
	slow_flash "$img" "$W/gone.log"
	fb_unbind $G
	wait $pid
	FL_RC=$?
	t1=$(date +%s.%N)
	diag "  state at the unbind: $st; $(tail -n1 "$W/gone.log") (exit $FL_RC after $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f s", b - a }'))"
	fb_bind $G $UDC || return
	[ "$st" = download ] && [ $FL_RC -eq 5 ] &&
		grep -q ": device gone (ENODEV)" "$W/gone.log" &&
		fl getvar product
}
timed "gadget unbound during a download: exit 5, 'device gone', the board works again" gone

# SIGINT during a download: exit 130 at once, pending URBs cancelled.
# (The device still waits for the rest of the data: fastboot has no
# abort; a rebind resets it.)
interrupted() {
	local img=$W/gone.img pid st t0
	slow_flash "$img" "$W/int.log"
	t0=$(date +%s.%N)
	kill -INT "$pid"	# timeout(1) relays it
	wait $pid
	FL_RC=$?
	diag "  state: $st; exit $FL_RC after $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f s", b - a }'): $(tail -n1 "$W/int.log")"
	fb_unbind $G && fb_bind $G $UDC || return
	[ "$st" = download ] && [ $FL_RC -eq 130 ] && fl getvar product
}
check "SIGINT during a download: exit 130, the board works after a rebind" interrupted

# --- two boards ---------------------------------------------------------------------
check "second gadget on $UDC2" setup $G2 $SER2 $UDC2
PORT2=$(fb_port $SER2)
diag "second device $SER2 on port $PORT2"
check "two boards, none named: exit 4, 'several'" \
	fl_fails 4 "several fastboot devices" getvar serialno
check "--port $PORT2 picks $SER2" \
	eval 'fl -q --port $PORT2 getvar serialno && [ "$(cat "$W/fl.log")" = $SER2 ]'
check "--port $PORT picks $SER" \
	eval 'fl -q --port $PORT getvar serialno && [ "$(cat "$W/fl.log")" = $SER ]'
check "-s $SER2 picks it" \
	eval 'fl -q -s $SER2 getvar serialno && [ "$(cat "$W/fl.log")" = $SER2 ]'
check "-s usb:$PORT picks $SER" \
	eval 'fl -q -s usb:$PORT getvar serialno && [ "$(cat "$W/fl.log")" = $SER ]'
check "--port of an empty port: exit 4" fl_fails 4 "no fastboot device" --port 9-9 getvar product
check "--wait 1 on an empty port: exit 6 after about a second" \
	fl_fails 6 "no fastboot device appeared in time" --wait 1 --port 9-9 getvar product
wait_for_bind() {
	fb_unbind $G2
	( sleep 1; fb_bind $G2 $UDC2 > /dev/null 2>&1 ) &
	fl -q --wait 15 --port "$PORT2" getvar serialno && [ "$(cat "$W/fl.log")" = $SER2 ]
}
check "--wait: a board bound a second later is found" wait_for_bind
fb_gadget_destroy $G2

# --- upload, and the commands that make the device leave ---------------------
staged() {
	local img=$W/staged.img
	fb_mkimage "$img" $((MiB + 333)) 88 random
	fl download "$img" && fl upload "$W/up1.img" && cmp "$img" "$W/up1.img" &&
		fl get_staged "$W/up2.img" && cmp "$img" "$W/up2.img"
}
check "download, then upload and get_staged: the same bytes come back" staged

# leaves "DESC" ARGS...: fastboot-lite ARGS answers OKAY, the device leaves
# the bus (usb_f_fastboot detaches until it is bound again), then rebind.
leaves() {
	local wire=$1
	shift
	fl "$@" || return
	grep -q "^$wire: OKAY" "$W/fl.log" || { fb_log "no '$wire: OKAY'"; return 1; }
	fb_wait_iface $SER gone 10 || return
	fb_unbind $G && fb_bind $G $UDC
}
# boot sends the file as it is (no wrapping into a boot image)
check "boot of a file that is no boot image: exit 1, the device's answer quoted" \
	fl_fails 1 "boot: device answered FAIL '" boot "$W/staged.img"
{ printf 'ANDROID!'; head -c 100000 "$W/staged.img"; } > "$W/boot.img"
check "boot FILE (ANDROID! image): download, 'boot: OKAY', the device leaves" \
	leaves boot boot "$W/boot.img"
check "continue: OKAY, the device leaves" leaves continue continue
check "reboot bootloader: sent as reboot-bootloader, the device leaves" \
	leaves reboot-bootloader reboot bootloader
check "reboot-bootloader: OKAY, the device leaves" \
	leaves reboot-bootloader reboot-bootloader
reboot_lite() {
	fl reboot || return
	grep -q "^reboot: OKAY" "$W/fl.log" && fb_wait_iface $SER gone 10
}
check "reboot: OKAY, the device leaves the bus" reboot_lite

fb_gadget_destroy $G
check "gadget removed" [ ! -d "$CFS/$G" ]
rm -rf "$W"
# nothing of ours may outlive the suite (it would hold the TAP pipe)
for p in $(jobs -p); do kill "$p" 2> /dev/null; done
wait
ps -eo pid,ppid,stat,wchan:16,args | awk -v me=$$ '$2 != 2 && $1 != 2 && $1 != 1 &&
	$1 != me && $2 != me && !/vm_suite|tee |PID/ { print "# left over: " $0 }' >&2
echo "1..$T_N"
diag "fastboot_lite: $((T_N - T_FAIL)) passed, $T_FAIL failed, $(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }')"
tap_done
