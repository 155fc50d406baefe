#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Verified writes: usb_f_fastboot's "oem sha256" driven by Debian's
# fastboot 29.0.6 (inline ranges, a staged range list, every refusal
# named, the netlink event) and fastboot-lite verify on top of it: a good
# flash verifies; a byte changed in the backing file or behind a block
# device's page cache after the flash fails, naming the partition and the
# first differing range and block; a sparse image's DONT_CARE regions are
# ignored; compressed input and flash --verify; with oem_sha256 off the
# ranges are read back with fetch (the exact byte named), with fetch off
# too the device cannot verify (exit 8, never OKAY). TAP output.

. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/lib_fastboot.sh"

W=$FB_WORK/verify
rm -rf "$W"
mkdir -p "$W"
G=fbv
SER=IMXFV0001
UDC=dummy_udc.0
KiB=1024
MiB=1048576
FBL=$BIN/userspace/fastboot-lite
FT=$BIN/userspace/fastboot-target
LOOP=
FTPID=

fb_modules "${IMXF_NUM_UDC:-4}" || { echo "Bail out! cannot load modules"; exit 1; }
echo "TAP version 13"

cleanup() {
	[ -n "$FTPID" ] && kill "$FTPID" 2> /dev/null
	fb_gadget_destroy $G 2> /dev/null
	fb_unloop "$LOOP"
}
trap cleanup EXIT

fb() { fb_fastboot "$SER" "$@"; }
said() { grep -qF -- "$1" "$FB_WORK/fastboot.log" && return 0; fb_log "fastboot said no '$1'"; return 1; }

# fails TEXT ARGS...: fastboot ARGS is answered with a FAIL containing TEXT
fails() {
	local want=$1
	shift
	fb_fastboot "$SER" "$@" 2> /dev/null
	grep -F "FAILED (remote: '" "$FB_WORK/fastboot.log" | grep -qF -- "$want" && return 0
	fb_log "fastboot $*: want FAIL '$want', got:"
	sed 's/^/#   /' "$FB_WORK/fastboot.log" | tail -n 3 >&2
	return 1
}

# dev_digest PART ARGS...: fastboot oem sha256 PART ARGS; prints the digest
# the two INFO lines carry
dev_digest() {
	fb oem sha256 "$@" || return
	local a b
	a=$(sed -n 's|.*(bootloader) sha256 1/2 \([0-9a-f]\{32\}\).*|\1|p' "$FB_WORK/fastboot.log")
	b=$(sed -n 's|.*(bootloader) sha256 2/2 \([0-9a-f]\{32\}\).*|\1|p' "$FB_WORK/fastboot.log")
	if [ ${#a} != 32 ] || [ ${#b} != 32 ]; then
		fb_log "no digest lines in:"
		sed 's/^/#   /' "$FB_WORK/fastboot.log" | head -n 6 >&2
		return 1
	fi
	echo "$a$b"
}

# want_digest FILE OFF:LEN...: SHA-256 of those ranges of FILE, in order
want_digest() {
	python3 - "$@" << 'EOF'
import hashlib, sys
h = hashlib.sha256()
with open(sys.argv[1], 'rb') as f:
    for r in sys.argv[2:]:
        off, n = (int(x, 0) for x in r.split(':'))
        f.seek(off)
        h.update(f.read(n))
print(h.hexdigest())
EOF
}

# same_digest FILE BASE RANGES: the device's digest of RANGES (inline, as
# "0x..:0x..,...") of partition PART at BASE of FILE equals the file's
same_digest() {
	local part=$1 file=$2 base=$3 ranges=$4 got want r abs=
	for r in ${ranges//,/ }; do
		abs="$abs $((base + ${r%%:*})):$((${r#*:}))"
	done
	# shellcheck disable=SC2086 # one word per range
	want=$(want_digest "$file" $abs) || return
	got=$(dev_digest "$part" "$ranges") || return
	[ "$got" = "$want" ] && return 0
	fb_log "device $got, file $want"
	return 1
}

# flip FILE OFF: invert the byte at OFF of FILE, in place
flip() {
	python3 -c '
import sys
f = open(sys.argv[1], "r+b"); f.seek(int(sys.argv[2]))
b = f.read(1); f.seek(int(sys.argv[2])); f.write(bytes([b[0] ^ 0xff]))' "$1" "$2"
}

# lite EXPECTED_RC ARGS...: fastboot-lite ARGS exits with EXPECTED_RC;
# output in $W/lite.log
lite() {
	local want=$1 rc
	shift
	timeout 300 "$FBL" -s "$SER" "$@" > "$W/lite.log" 2>&1
	rc=$?
	[ $rc = "$want" ] && return 0
	fb_log "fastboot-lite $* -> exit $rc, want $want"
	sed 's/^/#   /' "$W/lite.log" | tail -n 5 >&2
	return 1
}
lite_said() { grep -qF -- "$1" "$W/lite.log" && return 0; fb_log "fastboot-lite said no '$1'"; sed 's/^/#   /' "$W/lite.log" | tail -n 3 >&2; return 1; }
lite_quiet_on() { ! grep -qE -- "$1" "$W/lite.log" || { fb_log "fastboot-lite said '$1'"; return 1; }; }

# setup [ATTR=VALUE...]: the gadget with partitions "data" (8 MiB of a
# file on tmpfs) and "blk" (a loop device), bound
setup() {
	local a
	fb_gadget_destroy $G
	fb_gadget_create $G $SER && fb_set $G max_download_size $((4 * MiB)) ||
		return
	for a in "$@"; do
		fb_set $G "${a%%=*}" "${a#*=}" || return
	done
	fb_part $G data "path=$W/data.img" size=$((8 * MiB)) &&
		fb_part $G blk "path=$LOOP" && fb_bind $G $UDC
}

fb_mkstore "$W/data.img" $((8 * MiB)) 31
fb_mkstore "$W/blk.img" $((8 * MiB)) 32
LOOP=$(losetup -f --show "$W/blk.img") || echo "Bail out! loop device"
fb_mkimage "$W/raw" $((3 * MiB + 1000)) 41 random
RAWSZ=$(stat -c %s "$W/raw")
check "gadget with a file partition and a loop device ($LOOP) partition" setup

# --- the device command, with stock fastboot -------------------------------------
t_probe() {
	fb getvar oem-sha256 && said "oem-sha256: yes" &&
		fb getvar all && said "oem-sha256:yes"
}
check "getvar oem-sha256: yes (and in getvar all)" t_probe

t_events_start() {
	"$FT" -v > "$W/ft.out" 2> "$W/ft.err" &
	FTPID=$!
	local i
	for i in $(seq 100); do
		grep -q listening "$W/ft.err" && return 0
		usleep 50000
	done
	return 1
}
check "fastboot-target listens to the events" t_events_start

check "fastboot flash data (raw, $RAWSZ bytes)" fb flash data "$W/raw"
check "oem sha256 data 0x0:<image size>: the image's sha256sum" \
	same_digest data "$W/raw" 0 "0x0:$(printf 0x%x "$RAWSZ")"
check "oem sha256, two inline ranges (64-byte command)" \
	same_digest data "$W/data.img" 0 "0x1000:0x2000,0x300000:0x10"

t_event() {
	local i
	for i in $(seq 40); do
		grep -E "event=sha256 partition=data bytes=$RAWSZ status=0 duration_ms=[0-9]+ message=[0-9a-f]{64}" \
			"$W/ft.out" > /dev/null && return 0
		usleep 50000
	done
	fb_log "no sha256 event; got:"
	tail -n 3 "$W/ft.out" | sed 's/^/#   /' >&2
	return 1
}
check "netlink event sha256: partition, bytes hashed, status, duration, digest" t_event

t_staged() {
	local i list="" args=""
	# 300 ranges: far more than a command holds
	for i in $(seq 0 299); do
		list="$list$(printf '0x%x:0x%x' $((i * 24 * KiB + i)) $((1000 + i)))\n"
		args="$args $((i * 24 * KiB + i)):$((1000 + i))"
	done
	printf '%b' "$list" > "$W/ranges.txt"
	local want got
	# shellcheck disable=SC2086
	want=$(want_digest "$W/data.img" $args)
	fb stage "$W/ranges.txt" && got=$(dev_digest data) && [ "$got" = "$want" ]
}
check "staged list of 300 ranges (fastboot stage, oem sha256 data)" t_staged

t_mem() {
	local m0 m1
	m0=$(fb_stat $G mem_bytes)
	dev_digest data 0x0:0x200000 > /dev/null || return
	m1=$(fb_stat $G mem_bytes)
	[ "$m0" = "$m1" ] && return 0
	fb_log "mem_bytes $m0 before, $m1 after"
	return 1
}
check "the 1 MiB read buffer is given back (mem_bytes before = after)" t_mem

check "range past the partition: FAIL naming it, nothing read" \
	fails "range 2: ends past the end of the partition" oem sha256 data 0x0:0x10,0x7ff000:0x1001
check "ranges out of order: FAIL" \
	fails "range 2: starts before the end of the range before" oem sha256 data 0x100:0x10,0x0:0x10
check "malformed list: FAIL naming the byte" \
	fails "range list byte 4: '0x' expected" oem sha256 data 0x0:10
check "no such partition: FAIL" fails "nope" oem sha256 nope 0x0:0x10
check "partition missing: FAIL" fails "oem sha256: partition missing" oem sha256

# --- fastboot-lite verify --------------------------------------------------------
t_good() { lite 0 verify data "$W/raw" && lite_said "sha256 on the device" && lite_said "1 range)"; }
check "fastboot-lite verify data raw: OKAY, sha256 on the device" t_good

t_gpt() { lite 2 verify gpt "$W/raw" && lite_said "rebuilt for its disk"; }
check "fastboot-lite verify gpt: refused (exit 2), the device rewrites a GPT" t_gpt

flip "$W/data.img" $((MiB + 4097))
check "a byte changed in the backing file after the flash: exit 7" lite 7 verify data "$W/raw"
check "... naming the partition, the range and the 4 KiB block" \
	lite_said "partition data differs from $W/raw: range 1 of 1 (bytes 0x0-0x$(printf %x $((RAWSZ - 1)))), first difference in bytes 0x101000-0x101fff"
check "... and never OKAY" lite_quiet_on OKAY

# Behind a block device's page cache: while someone holds the device open
# (here the shell, fd 9; on a board a mounted filesystem, a tool) the
# cache keeps what the flash wrote; the byte changed in the loop device's
# backing file is only on the "medium". A buffered read still sees the
# old byte: only a read that bypasses the cache finds the change.
exec 9< "$LOOP"
check "fastboot flash blk (loop device, held open)" fb flash blk "$W/raw"
old=$(dd if="$LOOP" bs=1 skip=$((2 * MiB + 10)) count=1 status=none | od -An -tx1)
flip "$W/blk.img" $((2 * MiB + 10))
new=$(dd if="$W/blk.img" bs=1 skip=$((2 * MiB + 10)) count=1 status=none | od -An -tx1)
t_cached() {
	[ "$(dd if="$LOOP" bs=1 skip=$((2 * MiB + 10)) count=1 status=none | od -An -tx1)" = "$old" ] &&
		[ "$old" != "$new" ]
}
check "the page cache of $LOOP still holds the old byte ($old, medium:$new)" t_cached
t_behind() { lite 7 verify blk "$W/raw" && lite_said "first difference in bytes 0x200000-0x200fff"; }
check "fastboot-lite verify blk: the change behind the cache is found (exit 7)" t_behind
# fetch drops the range's clean cached pages first: a read-back verify
# finds it too, the exact byte
t_behind_fetch() {
	lite 7 verify --read-back blk "$W/raw" &&
		lite_said "first difference in bytes 0x20000a-0x20000a (read back with fetch)"
}
check "... and verify --read-back (fetch) finds it too (exit 7, the byte)" t_behind_fetch
# the image ends inside a page (3 MiB + 1000 bytes): that page, only
# partly in the range, is dropped too
t_edge_fetch() {
	fb flash blk "$W/raw" && flip "$W/blk.img" $((3 * MiB + 500)) || return
	lite 7 verify --read-back blk "$W/raw" &&
		lite_said "first difference in bytes 0x3001f4-0x3001f4 (read back with fetch)"
}
check "a byte changed in the last, partial page behind the cache: verify --read-back finds it (exit 7)" t_edge_fetch
exec 9<&-

# --- sparse images: DONT_CARE is not checked ---------------------------------------
# blocks 0-1 RAW, 2-5 DONT_CARE, 6-7 FILL, 8 RAW: ranges [0, 8K), [24K, 36K)
python3 - "$W/sp.simg" << 'EOF'
import struct, sys, random
blk = 4096
raw = random.Random(5).randbytes(2 * blk)
tail = random.Random(6).randbytes(blk)
c = [struct.pack('<HHII', 0xcac1, 0, 2, 12 + len(raw)) + raw,
     struct.pack('<HHII', 0xcac3, 0, 4, 12),
     struct.pack('<HHII', 0xcac2, 0, 2, 16) + bytes.fromhex('deadbeef'),
     struct.pack('<HHII', 0xcac1, 0, 1, 12 + len(tail)) + tail]
hdr = struct.pack('<IHHHHIIII', 0xed26ff3a, 1, 0, 28, 12, blk, 9, len(c), 0)
open(sys.argv[1], 'wb').write(hdr + b''.join(c))
EOF
check "fastboot flash data sparse image (RAW, DONT_CARE, FILL, RAW)" fb flash data "$W/sp.simg"
t_sparse() { lite 0 verify data "$W/sp.simg" && lite_said "sparse: 20480 bytes in 2 ranges"; }
check "fastboot-lite verify data sparse: OKAY, 2 ranges" t_sparse
flip "$W/data.img" $((3 * 4096 + 100))
check "a byte changed under DONT_CARE: still OKAY" lite 0 verify data "$W/sp.simg"
flip "$W/data.img" $((7 * 4096 + 3))
t_fill() {
	lite 7 verify data "$W/sp.simg" &&
		lite_said "range 2 of 2 (bytes 0x6000-0x8fff), first difference in bytes 0x7000-0x7fff"
}
check "a byte changed in the FILL chunk: exit 7, range 2 of 2, its block" t_fill
t_fill_fetch() {
	lite 7 verify --read-back data "$W/sp.simg" &&
		lite_said "range 2 of 2 (bytes 0x6000-0x8fff), first difference in bytes 0x7003-0x7003 (read back with fetch)"
}
check "the same read back with fetch (--read-back): exit 7, the exact byte" t_fill_fetch

# --- compressed input, flash --verify ---------------------------------------------
zstd -q -f -o "$W/raw.zst" "$W/raw"
t_zst() {
	lite 0 flash --verify data "$W/raw.zst" && lite_said "flash data" &&
		lite_said "verify data" && lite_said "raw, zstd: $RAWSZ bytes in 1 range"
}
check "fastboot-lite flash --verify data raw.zst: flashed and verified" t_zst
flip "$W/data.img" $((RAWSZ - 1))
t_zst_last() { lite 7 verify data "$W/raw.zst" && lite_said "first difference in bytes 0x300000-0x3003e7"; }
check "fastboot-lite verify data raw.zst after a change in the last byte: exit 7" t_zst_last

# --- devices without oem sha256, without fetch --------------------------------------
check "oem_sha256 0 (a device without the command)" setup oem_sha256=0
check "getvar oem-sha256: FAIL" fails "unknown variable" getvar oem-sha256
check "oem sha256 goes to the oem handler: none, unknown oem command" \
	fails "unknown oem command" oem sha256 data 0x0:0x10
t_fallback() { fb flash data "$W/raw" && lite 0 verify data "$W/raw" && lite_said "read back with fetch"; }
check "fastboot-lite verify falls back to fetch: OKAY on a good partition" t_fallback
check "oem_sha256 0, fetch 0 (U-Boot-like)" setup oem_sha256=0 fetch=0
t_nofetch() { lite 1 fetch data "$W/out" && lite_said "fetch is disabled"; }
check "fetch: FAIL fetch is disabled" t_nofetch
t_noverify() {
	lite 8 verify data "$W/raw" && lite_said "this device cannot verify" &&
		lite_quiet_on OKAY
}
check "fastboot-lite verify: exit 8, the device cannot verify, never OKAY" t_noverify
t_flash_noverify() { lite 8 flash --verify data "$W/raw" && lite_said "flash data" && lite_said "cannot verify"; }
check "fastboot-lite flash --verify on it: flashed, then exit 8" t_flash_noverify

echo "1..$T_N"
tap_done
