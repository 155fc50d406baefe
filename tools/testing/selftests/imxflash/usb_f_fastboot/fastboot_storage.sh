#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The storage side of usb_f_fastboot, driven by Debian's fastboot 29.0.6
# (and fastboot-lite for fetch): target lookup (explicit partitions,
# regions of storage, plain files, "mbr", "gpt", raw offsets, GPT names,
# GPT/MBR numbers, logical partitions), raw and sparse images (DONT_CARE
# untouched, 29.0.6's resparsed pieces, malformed images refused before a
# byte is written), mbr/gpt images validated, written with a rebuilt
# backup GPT and re-read by the kernel, erase, the bounds of every target
# (every byte outside it compared with a copy taken before), 512- and
# 4096-byte logical blocks, configfs rules. Loop devices and tables are
# made in the VM with losetup and sfdisk. TAP output.
#
# Disks are 8 MiB: under TCG, with other VMs on the same cores, every
# process and every MiB read costs.

. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/lib_fastboot.sh"

W=$FB_WORK/storage
rm -rf "$W"
mkdir -p "$W"
G=fbs
SER=IMXFS0001
UDC=dummy_udc.0
KiB=1024
MiB=1048576
FBL=$BIN/userspace/fastboot-lite
LOOPS=

fb_modules "${IMXF_NUM_UDC:-4}" || { echo "Bail out! cannot load modules"; exit 1; }
echo "TAP version 13"

cleanup() {
	fb_gadget_destroy $G 2> /dev/null
	for l in $LOOPS; do fb_unloop "$l"; done
}
trap cleanup EXIT

# --- helpers -------------------------------------------------------------------
fb() { fb_fastboot "$SER" "$@"; }

# fails TEXT ARGS...: fastboot ARGS is answered with a FAIL containing TEXT
# (getvar exits 0 after a FAIL, flash and erase do not)
fails() {
	local want=$1 got
	shift
	fb_fastboot "$SER" "$@" 2> /dev/null
	got=$(grep -F "FAILED (remote: '" "$FB_WORK/fastboot.log")
	case $got in
	*"$want"*) return 0 ;;
	esac
	fb_log "fastboot $*: want FAIL '$want', got:"
	sed 's/^/#   /' "$FB_WORK/fastboot.log" | tail -n 3 >&2
	return 1
}

# var_is NAME VALUE: getvar NAME answers VALUE
var_is() {
	local v
	fb getvar "$1" || return
	v=$(sed -n "s/^$1: //p" "$FB_WORK/fastboot.log")
	[ "$v" = "$2" ] && return 0
	fb_log "getvar $1: '$v', want '$2'"
	return 1
}

hex16() { printf 0x%016x "$1"; }
roundup() { echo $((($1 + $2 - 1) / $2 * $2)); }

# snap DEV: copy DEV (a device or file) aside for same_outside / same
snap() { dd if="$1" of="$W/snap.img" bs=1M status=none; }

# same_outside DEV OFF LEN: DEV equals the copy outside [OFF, OFF + LEN)
same_outside() {
	local end=$(($2 + $3))
	cmp -s -n "$2" "$1" "$W/snap.img" || { fb_log "$1 changed before $2"; return 1; }
	cmp -s -i "$end:$end" "$1" "$W/snap.img" || { fb_log "$1 changed after $end"; return 1; }
}

# unchanged_by DEV CMD...: CMD succeeds and leaves every byte of DEV as it was
unchanged_by() {
	local dev=$1
	shift
	snap "$dev" || return
	"$@" || return
	cmp -s "$dev" "$W/snap.img" && return 0
	fb_log "$dev changed"
	return 1
}

# flash_check DEV OFF PART IMAGE [PADDED_LEN [FASTBOOT OPTIONS...]]: flash
# IMAGE (raw, or the raw file a sparse IMAGE expands to: RAW) to PART; its
# bytes are at OFF of DEV, nothing outside [OFF, OFF + PADDED_LEN) changed
flash_check() {
	local dev=$1 off=$2 part=$3 img=$4 raw=${RAW:-$4} len
	len=${5:-$(stat -c %s "$raw")}
	shift 5 2> /dev/null || shift $#
	snap "$dev" || return
	fb "$@" flash "$part" "$img" || return
	fb_cmp_range "$dev" "$off" "$raw" && same_outside "$dev" "$off" "$len"
}

# flash_sparse_check DEV OFF PART SIMG RAW: a sparse image of RAW; the last
# block is padded with zeros
flash_sparse_check() {
	RAW=$5 flash_check "$1" "$2" "$3" "$4" "$(roundup "$(stat -c %s "$5")" 4096)"
}

# zeroed_only DEV OFF LEN: [OFF, OFF + LEN) reads zeros, the rest as before
zeroed_only() { fb_zero_range "$1" "$2" "$3" && same_outside "$1" "$2" "$3"; }

# pstart/psize DEV N: partition N of a loop device, bytes (from sysfs)
pstart() { echo $(($(cat "/sys/block/${1#/dev/}/${1#/dev/}p$2/start") * 512)); }
psize() { echo $(($(cat "/sys/block/${1#/dev/}/${1#/dev/}p$2/size") * 512)); }

# kparts DEV: "pN:start:size ..." in bytes as the kernel sees DEV (an
# extended partition's size is the kernel's stub: left out)
kparts() {
	local b=${1#/dev/} p out='' s
	for p in /sys/block/"$b"/"$b"p*; do
		[ -d "$p" ] || continue
		s=$(($(cat "$p/size") * 512))
		[ "$s" -le 1024 ] && s=ext
		out="$out ${p##*/"$b"}:$(($(cat "$p/start") * 512)):$s"
	done
	echo "${out# }"
}

# tparts DEV|IMAGE: the same from the table (sfdisk -d; an image made by
# template with 4096-byte blocks is read through a loop device)
tparts() {
	local ss out='' line n st sz ty dev=$1 l=''
	if [ -f "$1" ] && [ "$(cat "$1.lbsz" 2> /dev/null)" = 4096 ]; then
		l=$(losetup -f --show -r -b 4096 "$1") || return
		dev=$l
	fi
	sfdisk -d "$dev" > "$W/tparts.txt" 2> /dev/null
	[ -z "$l" ] || losetup -d "$l"
	ss=$(sed -n 's/^sector-size: //p' "$W/tparts.txt")
	ss=${ss:-512}
	while read -r line; do
		n=$(echo "$line" | sed -n -E 's|^[^ ]*[^0-9]([0-9]+) : .*|\1|p')
		st=$(echo "$line" | sed -n -E 's|.*start= *([0-9]+).*|\1|p')
		sz=$(echo "$line" | sed -n -E 's|.*size= *([0-9]+).*|\1|p')
		ty=$(echo "$line" | sed -n -E 's|.*type=([0-9a-fA-F]+)\b.*|\1|p')
		[ -n "$n" ] || continue
		case $ty in 5 | f | 85) sz=ext ;; *) sz=$((sz * ss)) ;; esac
		out="$out p$n:$((st * ss)):$sz"
	done < <(grep ' : ' "$W/tparts.txt")
	echo "${out# }"
}

# settled DEV [TABLE]: the kernel's partitions of DEV are those of TABLE
# (an image, default: DEV's own table)
settled() {
	local i want
	want=$(tparts "${2:-$1}")
	for i in $(seq 50); do
		[ "$(kparts "$1")" = "$want" ] && return 0
		usleep 100000
	done
	fb_log "partitions of $1: kernel '$(kparts "$1")', want '$want'"
	return 1
}

# mkdisk FILE SIZE [LBSZ]: a disk with guard data and the sfdisk script on
# stdin, through a loop device of that block size (left attached,
# partitions scanned); prints the device
mkdisk() {
	local l
	fb_mkstore "$1" "$2" || return
	l=$(losetup -f --show -P -b "${3:-512}" "$1") || return
	LOOPS="$LOOPS $l"
	sfdisk -q "$l" > "$W/sfdisk.log" 2>&1 || { cat "$W/sfdisk.log" >&2; return 1; }
	settled "$l" || return
	echo "$l"
}

# template SIZE LBSZ: an image with the sfdisk script on stdin (through a
# loop device for the block size); prints the image
template() {
	local f l
	f=$W/tmpl.$RANDOM.img
	truncate -s "$1" "$f" || return
	l=$(losetup -f --show -b "$2" "$f") || return
	sfdisk -q --no-reread --no-tell-kernel "$l" > "$W/sfdisk.log" 2>&1 ||
		{ cat "$W/sfdisk.log" >&2; losetup -d "$l"; return 1; }
	losetup -d "$l"
	echo "$2" > "$f.lbsz"
	echo "$f"
}

# head_of IMAGE BYTES OUT
head_of() { head -c "$2" "$1" > "$3"; }

# mksparse OUT BLKSZ [total_blks:N] [cut:BYTES] CHUNK...: a sparse image
#   raw:BLOCKS:SEED  fill:BLOCKS:HEX8  skip:BLOCKS  crc  junk:TYPE
mksparse() {
	python3 - "$@" << 'EOF'
import struct, sys, random
out, blk = sys.argv[1], int(sys.argv[2])
chunks, total, cut = [], None, 0
for a in sys.argv[3:]:
    k, _, v = a.partition(':')
    if k == 'total_blks':
        total = int(v)
    elif k == 'cut':
        cut = int(v)
    else:
        chunks.append((k, v))
body, blocks = b'', 0
for k, v in chunks:
    if k == 'raw':
        n, seed = (int(x) for x in v.split(':'))
        data = random.Random(seed).randbytes(n * blk)
        body += struct.pack('<HHII', 0xcac1, 0, n, 12 + len(data)) + data
        blocks += n
    elif k == 'fill':
        n, pat = v.split(':')
        body += struct.pack('<HHII', 0xcac2, 0, int(n), 16) + bytes.fromhex(pat)
        blocks += int(n)
    elif k == 'skip':
        body += struct.pack('<HHII', 0xcac3, 0, int(v), 12)
        blocks += int(v)
    elif k == 'crc':
        body += struct.pack('<HHII', 0xcac4, 0, 0, 16) + b'\0\0\0\0'
    elif k == 'junk':
        body += struct.pack('<HHII', int(v, 16), 0, 1, 12)
        blocks += 1
    else:
        sys.exit('mksparse: unknown chunk ' + k)
hdr = struct.pack('<IHHHHIIII', 0xed26ff3a, 1, 0, 28, 12, blk,
                  blocks if total is None else total, len(chunks), 0)
img = hdr + body
open(out, 'wb').write(img[:len(img) - cut] if cut else img)
EOF
}

# expect_sparse DEV OFF BLKSZ CHUNK...: DEV at OFF holds what mksparse's
# CHUNKs describe over the copy taken by snap (DONT_CARE: the old bytes)
expect_sparse() {
	python3 - "$W/snap.img" "$@" << 'EOF'
import sys, random
old, dev, off, blk = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
pos, want = 0, bytearray()
with open(old, 'rb') as f:
    f.seek(off)
    before = f.read(64 << 20)
for a in sys.argv[5:]:
    k, _, v = a.partition(':')
    if k == 'raw':
        n, seed = (int(x) for x in v.split(':'))
        want += random.Random(seed).randbytes(n * blk)
    elif k == 'fill':
        n, pat = v.split(':')
        want += bytes.fromhex(pat) * (int(n) * blk // 4)
    elif k == 'skip':
        want += before[len(want):len(want) + int(v) * blk]
with open(dev, 'rb') as f:
    f.seek(off)
    got = f.read(len(want))
if got != bytes(want):
    bad = next(i for i in range(len(want)) if got[i] != want[i])
    sys.exit('# first difference at +%d (block %d)' % (bad, bad // blk))
EOF
}

# patch IN OUT LBSZ EXPR: python EXPR on the bytes b (a bytearray) of IN;
# for a GPT image both CRCs are recomputed unless EXPR sets nocrc = True
patch() {
	python3 - "$@" << 'EOF'
import sys, struct, zlib
src, dst, lb, expr = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
b = bytearray(open(src, 'rb').read())
nocrc = len(b) < 2 * lb or b[lb:lb + 8] != b'EFI PART'
exec(expr)
if not nocrc:
    h = lb
    elba, n, esz = struct.unpack_from('<QII', b, h + 72)
    struct.pack_into('<I', b, h + 88, zlib.crc32(b[elba * lb:elba * lb + n * esz]))
    hsz = struct.unpack_from('<I', b, h + 12)[0]
    struct.pack_into('<I', b, h + 16, 0)
    struct.pack_into('<I', b, h + 16, zlib.crc32(bytes(b[h:h + hsz])))
open(dst, 'wb').write(b)
EOF
}

# setup STORAGE ["NAME attr=value..."]...: gadget with that storage and
# explicit partitions, bound
setup() {
	fb_gadget_destroy $G
	fb_gadget_create $G $SER &&
		fb_set $G max_download_size $((4 * MiB)) &&
		fb_set $G storage "$1" || return
	shift
	while [ $# -gt 0 ]; do
		# shellcheck disable=SC2086 # "NAME attr=value ..." splits
		fb_part $G $1 || return
		shift
	done
	fb_bind $G $UDC
}

# Images (random unless said)
fb_mkimage "$W/r768k" $((768 * KiB + 123)) 1
fb_mkimage "$W/r512k" $((512 * KiB + 5)) 2
fb_mkimage "$W/r1m5" $((3 * MiB / 2)) 3
fb_mkimage "$W/mixed" $((3 * MiB / 2 + 1000)) 4 mixed
fb_mkimage "$W/uboot" $((100 * KiB + 17)) 5
fb_mkimage "$W/e8k" 8192 6
img2simg "$W/r768k" "$W/r768k.simg"

# --- GPT on a loop device (512-byte blocks) -------------------------------------
GPT=$(printf 'label: gpt\nsize=1M, name=boot\nsize=2M, name=rootfs\nname=data\n' |
	mkdisk "$W/gpt.img" $((8 * MiB))) || echo "Bail out! GPT loop device"
check "gpt: storage $GPT (sfdisk GPT: boot, rootfs, data), no explicit partitions" setup "$GPT"

t_gpt_vars() {
	var_is partition-size:boot "$(hex16 $MiB)" &&
		var_is partition-size:2 "$(hex16 $((2 * MiB)))" &&
		var_is partition-size:data "$(hex16 "$(psize "$GPT" 3)")" &&
		var_is partition-type:rootfs raw && var_is has-slot:rootfs no &&
		var_is is-logical:data no
}
check "getvar partition-size by GPT name and number, partition-type, has-slot, is-logical" t_gpt_vars
check "getvar of a missing partition: FAIL naming it" fails "no partition 'nope'" \
	getvar partition-size:nope
t_getvar_all() {
	fb getvar all &&
		grep -q "partition-size:rootfs:0x200000" "$FB_WORK/fastboot.log" &&
		grep -q "partition-type:data:raw" "$FB_WORK/fastboot.log"
}
check "getvar all lists the GPT partitions by name" t_getvar_all

check "flash boot (GPT name): bytes written, nothing outside" \
	flash_check "$GPT" "$(pstart "$GPT" 1)" boot "$W/r768k"
check "flash 2 (GPT number), img2simg image: bytes written, nothing outside" \
	flash_sparse_check "$GPT" "$(pstart "$GPT" 2)" 2 "$W/r768k.simg" "$W/r768k"
check "fastboot -S 512K: 29.0.6's pieces (last DONT_CARE missing): every byte, nothing outside" \
	flash_check "$GPT" "$(pstart "$GPT" 3)" data "$W/mixed" \
	"$(roundup $((3 * MiB / 2 + 1000)) 4096)" -S 512K

D3=$(pstart "$GPT" 3)
SP="raw:2:11 skip:3 fill:2:efbeadde crc fill:20:00000000 raw:1:12 skip:1 fill:1:ffffffff"
t_sparse_types() {
	# shellcheck disable=SC2086
	fb_fill "$GPT" "$D3" $((40 * 4096)) && snap "$GPT" &&
		mksparse "$W/every.simg" 4096 $SP && fb flash data "$W/every.simg" &&
		expect_sparse "$GPT" "$D3" 4096 $SP && same_outside "$GPT" "$D3" $((30 * 4096))
}
check "sparse RAW/DONT_CARE/FILL/CRC32: FILLs and RAW written, DONT_CARE untouched" t_sparse_types
t_sparse_uuu() {
	snap "$GPT" && mksparse "$W/uuu.simg" 4096 skip:5 raw:4:13 &&
		fb flash data "$W/uuu.simg" && expect_sparse "$GPT" "$D3" 4096 skip:5 raw:4:13 &&
		same_outside "$GPT" $((D3 + 5 * 4096)) $((4 * 4096))
}
check "sparse as uuu splits: total_blks of its own chunks, leading DONT_CARE" t_sparse_uuu

# Malformed sparse images: refused, and not one byte written (dry run).
bad_sparse() {
	local want=$1
	shift
	mksparse "$W/bad.simg" 4096 "$@" && unchanged_by "$GPT" fails "$want" flash data "$W/bad.simg"
}
check "sparse: unknown chunk type after good chunks: FAIL naming the chunk count, nothing written" \
	bad_sparse "sparse (2/4 chunks ok): unknown chunk type" raw:3:21 fill:2:01020304 junk:cac9 raw:1:22
check "sparse: truncated in a RAW chunk: FAIL, nothing written" \
	bad_sparse "truncated chunk data" raw:3:23 raw:2:24 cut:100
check "sparse: a chunk beyond total_blks: FAIL, nothing written" \
	bad_sparse "beyond total_blks" total_blks:3 raw:2:25 raw:2:26
check "sparse: past the end of the partition: FAIL, nothing written" \
	bad_sparse "larger than the partition" raw:1:27 skip:$(($(psize "$GPT" 3) / 4096))
t_sparse_blksz4() {
	mksparse "$W/b.simg" 4096 raw:1:1 &&
		printf '\002' | dd of="$W/b.simg" bs=1 seek=12 conv=notrunc status=none &&
		unchanged_by "$GPT" fails "blk_sz" flash data "$W/b.simg"
}
check "sparse: blk_sz not a multiple of 4: FAIL, nothing written" t_sparse_blksz4
check "raw image larger than the partition: FAIL with both sizes, nothing written" \
	unchanged_by "$GPT" fails "image (1572864 bytes) larger than partition (1048576 bytes)" \
	flash boot "$W/r1m5"

# flash gpt: a new layout, validated, written with its backup, re-read.
T1=$(printf 'label: gpt\nsize=512K, name=a\nsize=1M, name=b\nsize=2M, name=boot\nname=last\n' |
	template $((8 * MiB)) 512)
head_of "$T1" $((34 * 512)) "$W/t1.gpt"
# flash_table mbr|gpt IMAGE TEMPLATE: flashed, re-read, the template's layout
flash_table() {
	fb flash "$1" "$2" && settled "$DEV" "$3" || return
	[ "$1" = mbr ] && return 0
	sfdisk -V "$DEV" > "$W/verify.log" 2>&1
	grep -q "No errors detected" "$W/verify.log" &&
		! grep -q -i -e corrupt -e mismatch -e "not on the end" "$W/verify.log" && return 0
	sed 's/^/#   /' "$W/verify.log" >&2
	return 1
}
DEV=$GPT
check "flash gpt: written, backup rebuilt (sfdisk -V clean), kernel re-read the partitions" \
	flash_table gpt "$W/t1.gpt" "$T1"
t_new_table() {
	var_is partition-size:last "$(hex16 "$(psize "$GPT" 4)")" &&
		flash_check "$GPT" "$(pstart "$GPT" 2)" b "$W/r512k"
}
check "the new table counts at once: getvar partition-size:last, flash b" t_new_table
T2=$(printf 'label: gpt\nsize=1M, name=small\nname=rest\n' | template $((4 * MiB)) 512)
head_of "$T2" $((34 * 512)) "$W/t2.gpt"
check "flash gpt made for a smaller disk: backup moved to the real end, PMBR fixed" \
	flash_table gpt "$W/t2.gpt" "$T2"
t_gpt_1m_image() {
	head_of "$T1" $MiB "$W/t1-1m.gpt" && snap "$GPT" && flash_table gpt "$W/t1-1m.gpt" "$T1" &&
		cmp -s -i $((34 * 512)):$((34 * 512)) -n $((MiB - 34 * 512)) "$GPT" "$W/snap.img"
}
check "flash gpt of 1 MiB (the first layout): the rest of the image ignored" t_gpt_1m_image

bad_gpt() {
	patch "$W/t1.gpt" "$W/bad.gpt" 512 "$2" && unchanged_by "$GPT" fails "$1" flash gpt "$W/bad.gpt"
}
check "flash gpt, header CRC bad: FAIL, nothing written" \
	bad_gpt "gpt: header CRC bad" "b[512 + 40] ^= 1; nocrc = True"
check "flash gpt, entries CRC bad: FAIL, nothing written" \
	bad_gpt "gpt: entries CRC bad" "b[1024 + 56] ^= 1; nocrc = True"
check "flash gpt, overlapping partitions: FAIL, nothing written" \
	bad_gpt "gpt: partition 2 overlaps partition 1" \
	"struct.pack_into('<Q', b, 1024 + 128 + 32, struct.unpack_from('<Q', b, 1024 + 40)[0])"
check "flash gpt, a partition outside the usable LBAs: FAIL, nothing written" \
	bad_gpt "gpt: partition 1 outside usable LBAs" "struct.pack_into('<Q', b, 1024 + 40, 20000)"
check "flash gpt, no protective MBR: FAIL, nothing written" \
	bad_gpt "gpt: no protective MBR entry" "b[446 + 4] = 0x83"
T3=$(printf 'label: gpt\nsize=2M, name=a\nname=huge\n' | template $((16 * MiB)) 512)
head_of "$T3" $((34 * 512)) "$W/t3.gpt"
check "flash gpt made for a larger disk: FAIL, nothing written" \
	unchanged_by "$GPT" fails "gpt: usable LBAs" flash gpt "$W/t3.gpt"
t_gpt_short() {
	head_of "$W/t1.gpt" 1024 "$W/short.gpt" &&
		unchanged_by "$GPT" fails "ends before its entries" flash gpt "$W/short.gpt"
}
check "flash gpt, 2 LBAs (entries missing): FAIL, nothing written" t_gpt_short
t_gpt_sparse() {
	mksparse "$W/s.simg" 4096 raw:5:5 &&
		unchanged_by "$GPT" fails "sparse image cannot be a table" flash gpt "$W/s.simg"
}
check "flash gpt, a sparse image: FAIL, nothing written" t_gpt_sparse

# The primary GPT destroyed: names still resolve through the backup.
t_backup_gpt() {
	printf 'XXXX' | dd of="$GPT" bs=1 seek=512 conv=notrunc status=none && sync &&
		var_is partition-size:boot "$(hex16 $((2 * MiB)))" &&
		flash_check "$GPT" "$(pstart "$GPT" 3)" boot "$W/r512k"
}
check "primary GPT header destroyed: lookup and flash through the backup GPT" t_backup_gpt
check "flash gpt repairs it" flash_table gpt "$W/t1.gpt" "$T1"

# --- MBR on a loop device: primaries, extended, logicals, raw offsets --------------
MBR=$(printf 'label: dos\nsize=1M, type=c\nsize=1M\ntype=5\nsize=512K\nsize=256K, type=82\ntype=83\n' |
	mkdisk "$W/mbr.img" $((8 * MiB))) || echo "Bail out! MBR loop device"
DEV=$MBR
check "mbr: storage $MBR (p1, p2, extended p3 with logical p5, p6, p7)" setup "$MBR"
check "flash 0x400 (raw offset next to the MBR): bytes at 0x400, MBR and the rest unchanged" \
	flash_check "$MBR" 1024 0x400 "$W/uboot"
t_logical() {
	flash_check "$MBR" "$(pstart "$MBR" 5)" 5 "$W/r512k" &&
		flash_check "$MBR" "$(pstart "$MBR" 7)" 7 "$W/uboot" &&
		var_is partition-size:6 "$(hex16 "$(psize "$MBR" 6)")"
}
check "flash 5 and 7, getvar partition-size:6 (logical partitions by number)" t_logical
check "flash 3 (the extended partition): FAIL, nothing written" \
	unchanged_by "$MBR" fails "partition 3 is an extended partition" flash 3 "$W/r512k"
check "flash 8 (no such number): FAIL, nothing written" \
	unchanged_by "$MBR" fails "no partition '8'" flash 8 "$W/r512k"
check "flash boot (a name) on an MBR disk: FAIL, nothing written" \
	unchanged_by "$MBR" fails "no partition 'boot'" flash boot "$W/r512k"
check "raw offset at the end of storage: FAIL, nothing written" \
	unchanged_by "$MBR" fails "0x800000 is past the end of storage" flash 0x800000 "$W/uboot"
check "raw offset near the end, image too long: FAIL, nothing written" \
	unchanged_by "$MBR" fails "larger than partition" flash 0x7f0000 "$W/uboot"
t_bad_names() {
	fails "raw offset must be" flash 0x "$W/uboot" && fails "partition name" flash .. "$W/uboot"
}
check "partition names as the host sends them: '0x', '..': FAIL" t_bad_names

T4=$(printf 'label: dos\nsize=2M\nsize=2M, type=c\nsize=1M\n' | template $((8 * MiB)) 512)
head_of "$T4" 512 "$W/t4.mbr"
check "flash mbr: written, kernel re-read the partitions (logicals gone)" \
	flash_table mbr "$W/t4.mbr" "$T4"
t_mbr_4k_image() {
	head_of "$T4" 4096 "$W/t4-4k.mbr" && snap "$MBR" && flash_table mbr "$W/t4-4k.mbr" "$T4" &&
		same_outside "$MBR" 0 512
}
check "flash mbr of 4 KiB: only the MBR sector is written" t_mbr_4k_image
bad_mbr() {
	patch "$W/t4.mbr" "$W/bad.mbr" 512 "$2" && unchanged_by "$MBR" fails "$1" flash mbr "$W/bad.mbr"
}
check "flash mbr, overlapping entries: FAIL, nothing written" \
	bad_mbr "mbr: partition 2 overlaps partition 1" "struct.pack_into('<I', b, 446 + 16 + 8, 4096)"
check "flash mbr, an entry past the disk: FAIL, nothing written" \
	bad_mbr "mbr: partition 3 ends past the disk" "struct.pack_into('<I', b, 446 + 32 + 12, 20000)"
check "flash mbr, no signature: FAIL, nothing written" \
	bad_mbr "mbr: no 55 AA signature" "b[511] = 0"
check "flash mbr, a protective MBR: FAIL, nothing written" \
	bad_mbr "flash it as gpt" "b[446 + 4] = 0xee"
t_erase_mbr_part() {
	snap "$MBR" && fb erase 2 && zeroed_only "$MBR" "$(pstart "$MBR" 2)" "$(psize "$MBR" 2)"
}
check "erase 2: zeros, nothing outside" t_erase_mbr_part
t_erase_refused() {
	unchanged_by "$MBR" fails "not a raw offset" erase 0x400 &&
		unchanged_by "$MBR" fails "flash a new table" erase mbr
}
check "erase of a raw offset or of a table: FAIL, nothing written" t_erase_refused

# --- 4096-byte logical blocks -----------------------------------------------------
G4=$(printf 'label: gpt\nsize=1M, name=boot\nname=rootfs\n' |
	mkdisk "$W/gpt4k.img" $((8 * MiB)) 4096) || echo "Bail out! 4K loop device"
DEV=$G4
ODD=$((5 * MiB + 1536))
check "4k: storage $G4 (4096-byte blocks, GPT), explicit 'odd' at an unaligned offset" \
	setup "$G4" "odd offset=$ODD size=$((MiB + 1000))"
t_4k_vars() {
	var_is logical-block-size 0x1000 && var_is partition-size:rootfs "$(hex16 "$(psize "$G4" 2)")"
}
check "4k: getvar logical-block-size, partition-size:rootfs" t_4k_vars
check "4k: flash boot, an image not a multiple of the block size" \
	flash_check "$G4" "$(pstart "$G4" 1)" boot "$W/uboot"
check "4k: sparse image of 4096-byte blocks (img2simg)" \
	flash_sparse_check "$G4" "$(pstart "$G4" 2)" rootfs "$W/r768k.simg" "$W/r768k"
t_4k_sparse_1k() {
	img2simg "$W/r768k" "$W/r1k.simg" 1024 &&
		unchanged_by "$G4" fails "storage block size" flash rootfs "$W/r1k.simg"
}
check "4k: sparse blk_sz 1024 (not a multiple of 4096): FAIL, nothing written" t_4k_sparse_1k
t_4k_erase_unaligned() {
	fb_fill "$G4" $((5 * MiB)) $((2 * MiB)) && snap "$G4" && fb erase odd &&
		zeroed_only "$G4" $ODD $((MiB + 1000))
}
check "4k: erase of an unaligned region: edges written, the rest deallocated, zeros" t_4k_erase_unaligned
T5=$(printf 'label: gpt\nsize=1M, name=x\nsize=1M, name=y\n' | template $((8 * MiB)) 4096)
head_of "$T5" $((6 * 4096)) "$W/t5.gpt"
check "4k: flash gpt with 4096-byte LBAs (6 LBAs), re-read, sfdisk -V clean" \
	flash_table gpt "$W/t5.gpt" "$T5"
check "4k: a GPT made with 512-byte LBAs: FAIL, nothing written" \
	unchanged_by "$G4" fails "gpt: no header signature" flash gpt "$W/t1.gpt"

# --- explicit partitions: regions of a storage file, plain files ------------------
DISK=$W/disk.img
fb_mkstore "$DISK" $((4 * MiB))
printf '\0\0' | dd of="$DISK" bs=1 seek=510 conv=notrunc status=none	# no MBR
fb_mkimage "$W/blob" 100000 8
: > "$W/grow"
check "explicit partitions: regions of a storage file, plain files" \
	setup "$DISK" "env offset=$MiB size=8192" "blob path=$W/blob" \
	"grow path=$W/grow size=$MiB type=ext4" "sys_a offset=$((2 * MiB)) size=$MiB" \
	"sys_b offset=$((3 * MiB)) size=$MiB" "far offset=$((3 * MiB)) size=$((2 * MiB))" \
	"late path=$W/blob offset=200000"
check "env (8 KiB region of storage): flash 8 KiB, nothing outside" \
	flash_check "$DISK" $MiB env "$W/e8k"
t_env_too_big() {
	head -c 8193 "$W/r512k" > "$W/e8k1" &&
		unchanged_by "$DISK" fails "larger than partition" flash env "$W/e8k1"
}
check "env: 8 KiB + 1: FAIL, nothing written" t_env_too_big
t_blob() {
	var_is partition-size:blob 0x00000000000186a0 && head -c 100000 "$W/r768k" > "$W/b2" &&
		fb flash blob "$W/b2" && cmp "$W/b2" "$W/blob"
}
check "blob (plain file, size 0): partition-size is the file's; flash its size" t_blob
t_grow() {
	var_is partition-type:grow ext4 && fb flash grow "$W/uboot" && cmp "$W/uboot" "$W/grow"
}
check "grow (plain file, size 1 MiB): the file grows to the image; type from configfs" t_grow
t_erase_grow() {
	fb erase grow && [ "$(stat -c %s "$W/grow")" -eq $((100 * KiB + 17)) ] &&
		fb_zero_range "$W/grow" 0 $((100 * KiB + 17))
}
check "erase grow: zeros, the file keeps its size" t_erase_grow
t_erase_env() {
	snap "$DISK" && fb erase env && zeroed_only "$DISK" $MiB 8192 &&
		[ "$(stat -c %s "$DISK")" -eq $((4 * MiB)) ]
}
check "erase env: zeros, the storage file keeps its size, nothing outside" t_erase_env
t_slots() {
	var_is has-slot:sys yes && var_is has-slot:env no && var_is current-slot a
}
check "has-slot:sys yes (sys_a exists), has-slot:env no, current-slot a" t_slots
check "a region past the end of storage: FAIL" \
	fails "'far' ends past the end of storage" getvar partition-size:far
check "offset past the end of a file (size 0): FAIL" \
	fails "'late': offset past the end" getvar partition-size:late
t_fetch() {
	fb flash env "$W/e8k" && "$FBL" -s $SER fetch env "$W/fetched" --offset 0x100 --size 0x1000 \
		> "$W/fbl.log" 2>&1 && cmp -n 4096 "$W/fetched" "$W/e8k" -i 0:256
}
check "fetch (fastboot-lite) of a range of a region of storage" t_fetch
check "a name on storage without a table: FAIL" \
	fails "no partition 'rootfs' (storage has no table)" flash rootfs "$W/e8k"

t_configfs() {
	local d n
	d=$(fb_fdir $G)/partitions
	if echo 4096 > "$d/env/size" 2> /dev/null; then fb_log "size written while bound"; return 1; fi
	[ "$(cat "$d/env/size")" = 8192 ] || return
	for n in 0x10 "a b" "x:y"; do
		if mkdir "$d/$n" 2> /dev/null; then fb_log "mkdir '$n' accepted"; rmdir "$d/$n"; return 1; fi
	done
	fb_unbind $G
	echo 4096 > "$d/env/size" && [ "$(cat "$d/env/size")" = 4096 ] &&
		echo 0x200000 > "$d/env/offset" && [ "$(cat "$d/env/offset")" = 2097152 ] || return
	# paths are resolved when written (fastboot_paths.sh has the rest)
	for n in "path relative/path" "path $W/missing" "path /dev/null" "path $W" \
		"type has space" "offset -1" "size 0x8000000000000000"; do
		if echo "${n#* }" > "$d/env/${n%% *}" 2> /dev/null; then
			fb_log "env/${n%% *} accepted '${n#* }'"
			return 1
		fi
	done
	mkdir "$d/new" && [ "$(cat "$d/new/type")" = raw ] && [ -z "$(cat "$d/new/path")" ] &&
		rmdir "$d/new"
}
check "configfs: -EBUSY while bound; names and values checked" t_configfs

fb_gadget_destroy $G
t_no_storage() {
	fb_gadget_create $G $SER && fb_bind $G $UDC && fails "storage not set" flash boot "$W/e8k"
}
check "storage not set: FAIL" t_no_storage

fb_gadget_destroy $G
echo "1..$T_N"
tap_done
