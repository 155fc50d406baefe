#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fastboot-lite and imx-factory with images as build systems ship them,
# against usb_f_fastboot on dummy_hcd, in the test VM (TAP):
#  - a .wic-like disk image (MBR, an ext4 partition filled by mkfs.ext4
#    -d, holes elsewhere) with the bmap Debian's bmaptool makes of it,
#    plain and compressed by gzip, xz, zstd and bzip2: flashed over a
#    partition prefilled with random bytes, the mapped ranges hold the
#    image, the unmapped ones the prefill, nothing outside the partition
#    changes, and fastboot-lite sent the mapped bytes plus headers only;
#  - without the bmap (--no-bmap): the whole image, from a compressed
#    raw file and from a compressed Android sparse image (img2simg);
#  - an image whose data does not match its bmap's checksum: exit 3, the
#    range named, nothing written at or after the byte the message gives;
#    a bmap whose own checksum is wrong: nothing written;
#  - truncated and corrupt compressed files, a missing decompressor:
#    exit 3 with the reason, the device still answers;
#  - peak memory (VmHWM) of fastboot-lite flashing the image compressed,
#    with and without its bmap, in 1 MiB pieces: within one piece plus
#    4 MiB, whatever the image size (the image is several times that);
#  - imx-factory with a fastboot-only manifest flashing the .wic.zst
#    (its bmap found next to it), and with --no-bmap on the step.
# Every run is bounded by timeout(1): a hang is a failure.

# shellcheck disable=SC2016 # check "..." eval '...' expands later, on purpose
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/lib_fastboot.sh"

W=$FB_WORK/images
rm -rf "$W"
mkdir -p "$W"
G=fbi
SER=IMXFIMG01
UDC=dummy_udc.0
MiB=1048576
MAXDL=$MiB
WIC_SZ=$((24 * MiB))
DISK=$W/disk.img
PART_OFF=$MiB
PART_SZ=$((28 * MiB))
DISK_SZ=$((PART_OFF + PART_SZ + MiB))
# The memory bound: one download piece (max_download_size) plus a small
# constant (the URBs in flight, 4 x 512 KiB; the 1 MiB scan buffer; the
# static binary)
RSS_BOUND_KB=$(((MAXDL + 4 * MiB) / 1024))
FL=$BIN/userspace/fastboot-lite
FACTORY=$BIN/userspace/imx-factory
T0=$(date +%s.%N)

fb_modules "${IMXF_NUM_UDC:-4}" || { echo "Bail out! cannot load modules"; exit 1; }
[ -x "$FL" ] || { echo "Bail out! $FL not built (make tools)"; exit 1; }
for t in bmaptool gzip xz zstd bzip2 mkfs.ext4 sfdisk img2simg; do
	command -v $t > /dev/null || { echo "Bail out! $t missing (tools/deps.sh)"; exit 1; }
done
echo "TAP version 13"

since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f s", b - a }'; }
# fl ARGS...: fastboot-lite, output in $W/fl.log, exit status in FL_RC;
# its peak resident memory (VmHWM, KiB) in FL_HWM, read every 20 ms
fl() {
	local pid child='' k v _
	timeout 300 "$FL" "$@" > "$W/fl.log" 2>&1 &
	pid=$!
	FL_HWM=0
	# timeout(1) runs fastboot-lite as its child; VmHWM only grows
	while kill -0 $pid 2> /dev/null; do
		[ -n "$child" ] || child=$(pgrep -P $pid)
		if [ -n "$child" ]; then
			while read -r k v _; do
				[ "$k" = VmHWM: ] && [ "$v" -gt "$FL_HWM" ] && FL_HWM=$v
			done < "/proc/$child/status" 2> /dev/null
		fi
		sleep 0.02
	done
	wait $pid
	FL_RC=$?
	[ $FL_RC -eq 0 ] || { fb_log "fastboot-lite $* -> exit $FL_RC"; sed 's/^/#   /' "$W/fl.log" | tail -n 8 >&2; }
	return $FL_RC
}

fb_mkstore "$DISK" $DISK_SZ

setup() {
	fb_gadget_destroy $G
	fb_gadget_create $G $SER &&
		fb_set $G max_download_size $MAXDL &&
		fb_set $G storage "$DISK" &&
		fb_part $G rootfs path="$DISK" offset=$PART_OFF size=$PART_SZ &&
		fb_bind $G $UDC
}
check "gadget: storage, partition rootfs ($((PART_SZ / MiB)) MiB), max_download_size $((MAXDL / MiB)) MiB" setup
PORT=$(fb_port $SER)

# --- the image -------------------------------------------------------------------
# img.wic: an MBR, an ext4 partition from 1 MiB with a few MiB of files
# (random and text), holes elsewhere; its bmap by bmaptool; compressed
# copies (fast levels: the VM is slow) named as Yocto names them, so the
# bmap is found next to each (img.wic.zst -> img.wic.bmap).
WIC=$W/img.wic
BMAP=$W/img.wic.bmap
mkwic() {
	local root=$W/root
	local t
	mkdir -p "$root/data" "$root/etc" &&
		head -c $((MiB / 2)) /dev/urandom > "$root/data/random.bin" &&
		seq 1 150000 > "$root/data/numbers.txt" &&
		echo "imxflash test image" > "$root/etc/issue" || return
	t=$(date +%s.%N)
	truncate -s $WIC_SZ "$WIC" &&
		printf 'label: dos\nstart=2048, type=83\n' | fb_sfdisk "$WIC" &&
		mkfs.ext4 -q -F -b 4096 -E offset=$MiB -d "$root" "$WIC" \
			$(((WIC_SZ - MiB) / 4096)) > "$W/mkfs.log" 2>&1 ||
		{ cat "$W/mkfs.log" >&2; return 1; }
	rm -rf "$root"
	diag "  mkfs $(since "$t")"
	bmaptool -q create -o "$BMAP" "$WIC" || return
	diag "  bmaptool $(since "$t")"
	gzip -1 -k "$WIC" && xz -0 -T1 -k "$WIC" && zstd -q -1 -k "$WIC" &&
		bzip2 -1 -k "$WIC" || return
	diag "  compressed $(since "$t")"
	# the partition's prefill, put back before each flash
	fb_fill "$DISK" $PART_OFF $PART_SZ 11 && cp "$DISK" "$W/prefill.img"
}
timed "a $((WIC_SZ / MiB)) MiB .wic (MBR + ext4 with files), bmaptool create, gzip/xz/zstd/bzip2" mkwic
MAPPED=$(sed -n 's|.*<MappedBlocksCount> *\([0-9]*\).*|\1|p' "$BMAP")
diag "  $MAPPED blocks mapped of $((WIC_SZ / 4096)); $(ls -l "$W"/img.wic.* | awk '{ printf "%s %s, ", $NF, $5 }' | sed "s|$W/||g")"

# RANGES: the bmap's mapped ranges, "FIRST LAST" block numbers a line
RANGES=$(sed -n 's|.*<Range[^>]*> *\([0-9]*\)\(-\([0-9]*\)\)\{0,1\} *</Range>.*|\1 \3|p' "$BMAP" |
	awk '{ print $1, ($2 == "" ? $1 : $2) }')
diag "  $(echo "$RANGES" | wc -l) ranges: $(echo $RANGES | cut -c1-120)"

# same_as FILE OFF LEN OFF2: LEN bytes at OFF of the disk equal FILE's at OFF2
same_as() { [ "$3" -le 0 ] || cmp -s -n "$3" -i "$(($2 + PART_OFF)):$4" "$DISK" "$1"; }

# bmap_check IMG [LIMIT]: the partition holds IMG's mapped ranges and the
# snapshot ($SNAP) elsewhere; with LIMIT (a byte offset in the
# partition): IMG's mapped bytes below it and the snapshot at and after
# it.  Outside the partition: unchanged.  (cmp: Python under TCG takes
# seconds to start.)
bmap_check() {
	local img=$1 limit=${2:-$PART_SZ} a b lo hi pos=0
	cmp -s -n $PART_OFF "$DISK" "$SNAP" && cmp -s -i $((PART_OFF + PART_SZ)) "$DISK" "$SNAP" ||
		{ fb_log "bytes outside the partition changed"; return 1; }
	while read -r a b; do
		lo=$((a * 4096)) hi=$(((b + 1) * 4096))
		[ "$lo" -lt "$limit" ] || break
		[ "$hi" -le "$limit" ] || hi=$limit
		same_as "$SNAP" $pos $((lo - pos)) $((PART_OFF + pos)) ||
			{ fb_log "unmapped bytes $pos-$((lo - 1)) changed"; return 1; }
		same_as "$img" "$lo" $((hi - lo)) "$lo" ||
			{ fb_log "mapped blocks $a-$b differ from $img"; return 1; }
		pos=$hi
	done <<< "$RANGES"
	same_as "$SNAP" $pos $((PART_SZ - pos)) $((PART_OFF + pos)) ||
		{ fb_log "bytes $pos-$((PART_SZ - 1)) of the partition changed"; return 1; }
}

# SNAP: what the disk held before the flash; snap: take it now
SNAP=$W/prefill.img
snap() { SNAP=$W/snap.img; cp "$DISK" "$SNAP"; }
# prefill: the partition filled with random bytes (the same each time)
prefill() { SNAP=$W/prefill.img; cp "$SNAP" "$DISK"; }
# flip FILE OFF: invert the byte at OFF
flip() {
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf %03o $((b ^ 255)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
unchanged() { cmp "$DISK" "$SNAP" > /dev/null || { fb_log "disk.img changed"; return 1; }; }

# sent LOG: bytes fastboot-lite says it sent
sent() { sed -n "s/.* mapped, \([0-9]*\) sent.*/\1/p" "$1"; }

# flash_mapped FILE [ARGS...]: prefilled partition, flash FILE (its bmap
# found next to it), check the ranges and the bytes on the wire
flash_mapped() {
	local n img=$1
	shift
	prefill || return
	fl flash rootfs "$img" "$@" || return
	grep -q "bmap '$BMAP'" "$W/fl.log" || { fb_log "bmap not used: $(cat "$W/fl.log")"; return 1; }
	bmap_check "$WIC" || return
	n=$(sent "$W/fl.log")
	diag "  $(head -n 1 "$W/fl.log" | sed "s|$W/||g"), VmHWM $FL_HWM KiB"
	# the mapped bytes plus sparse headers: within 5 %
	[ -n "$n" ] && [ "$n" -le $((MAPPED * 4096 * 105 / 100)) ] ||
		{ fb_log "sent ${n:-?} bytes for $((MAPPED * 4096)) mapped"; return 1; }
}
# rss: fastboot-lite's own peak (the decompressor is another process, its
# window set by the compression level, not by the image size)
rss() {
	diag "  VmHWM $FL_HWM KiB, bound $RSS_BOUND_KB KiB ($((MAXDL / 1024)) KiB pieces + 4 MiB), image $((WIC_SZ / 1024)) KiB"
	[ "$FL_HWM" -gt 0 ] && [ "$FL_HWM" -le $RSS_BOUND_KB ] &&
		[ $((WIC_SZ / 1024)) -ge $((4 * RSS_BOUND_KB)) ]
}
timed "plain .wic with its bmap: mapped ranges written, unmapped keep the prefill, <= 1.05 x mapped bytes sent" \
	flash_mapped "$WIC"
for z in gz xz bz2; do
	timed ".wic.$z with the bmap (uncompressed image): the same bytes as the plain image" \
		flash_mapped "$WIC.$z"
done
timed ".wic.zst with the bmap: the same bytes, peak memory within one piece + 4 MiB" \
	eval 'flash_mapped "$WIC.zst" && rss'

# --- without the bmap --------------------------------------------------------------
# the image and, after it, the snapshot
whole_check() {
	fb_cmp_range "$DISK" $PART_OFF "$WIC" &&
		cmp -n $((DISK_SZ - PART_OFF - WIC_SZ)) -i $((PART_OFF + WIC_SZ)) "$DISK" "$SNAP" &&
		cmp -n $PART_OFF "$DISK" "$SNAP"
}
nobmap_zst() {
	prefill || return
	fl flash --no-bmap rootfs "$WIC.zst" || return
	diag "  $(head -n 1 "$W/fl.log" | sed "s|$W/||g")"
	grep -q "zstd, $WIC_SZ bytes uncompressed in [0-9]* sparse pieces" "$W/fl.log" &&
		whole_check && rss
}
timed ".wic.zst --no-bmap: the whole image (zeros as FILL), the rest untouched, peak memory as above" nobmap_zst

sparse_gz() {
	img2simg "$WIC" "$W/img.simg" > /dev/null 2>&1 && gzip -1 "$W/img.simg" || return
	# zeros where the image is: what DONT_CARE chunks leave reads as
	# the holes they stand for
	prefill && dd if=/dev/zero of="$DISK" bs=1M seek=$((PART_OFF / MiB)) \
		count=$((WIC_SZ / MiB)) conv=notrunc status=none && snap || return
	fl flash rootfs "$W/img.simg.gz" || return
	diag "  $(head -n 1 "$W/fl.log" | sed "s|$W/||g")"
	whole_check
}
timed "img2simg sparse image, gzip: resplit from the stream, the image in place" sparse_gz
rm -f "$W/img.simg.gz"

# --- checksums -------------------------------------------------------------------------
# bad.wic.zst: one byte changed in the middle of a mapped range in the
# ext4 partition, so that pieces before it go through first
badsum() {
	local r a b at limit
	r=$(sed -n 's|.*<Range[^>]*> *\([0-9]*\)-\([0-9]*\) *</Range>.*|\1 \2|p' "$BMAP" |
		awk '$2 - $1 > 16 && $1 > 256 { print; exit }')
	read -r a b <<< "$r"
	[ -n "$b" ] || { fb_log "no mapped range to corrupt"; return 1; }
	at=$(((a + b) / 2 * 4096 + 123))
	cp "$WIC" "$W/bad.wic" && flip "$W/bad.wic" $at && zstd -q -1 --rm "$W/bad.wic" ||
		return
	prefill || return
	fl_fails 3 "blocks $a-$b, bmap line [0-9]*): sha256 of the image's bytes" \
		flash rootfs "$W/bad.wic.zst" --bmap "$BMAP" || return
	limit=$(sed -n 's/.*below byte \([0-9]*\) are written, nothing at or after it.*/\1/p' "$W/fl.log")
	[ -n "$limit" ] || { fb_log "no 'below byte N' in the message"; return 1; }
	diag "  nothing written at or after byte $limit; the bad byte is at $at"
	[ "$limit" -le $(((b + 1) * 4096)) ] && [ "$limit" -gt 0 ] || return
	zstd -q -d "$W/bad.wic.zst" || return
	bmap_check "$W/bad.wic" "$limit" && fl getvar max-download-size
}
timed "image data not matching its bmap: exit 3, the range named, nothing at or after the byte the message gives" badsum

# check FILE: the same verdicts with no device, nothing sent
check_cli() {
	local b0
	b0=$(fb_stat $G download_bytes)
	fl check "$WIC.zst" || return
	grep -q "^check '$WIC.zst' (zstd, bmap '$BMAP': [0-9]* of $WIC_SZ bytes mapped, checksums match, [0-9]* bytes as a sparse image): OKAY" "$W/fl.log" ||
		{ fb_log "check: $(cat "$W/fl.log")"; return 1; }
	fl check --no-bmap "$WIC.xz" &&
		grep -q "(xz, $WIC_SZ bytes uncompressed, [0-9]* bytes as a sparse image): OKAY" "$W/fl.log" ||
		{ fb_log "check --no-bmap: $(cat "$W/fl.log")"; return 1; }
	fl_fails 3 "check: $W/bad.wic.zst: range [0-9]* of [0-9]* (blocks .*: sha256 of the image's bytes" \
		check "$W/bad.wic.zst" --bmap "$BMAP" || return
	head -c $(($(stat -c %s "$WIC.gz") / 2)) "$WIC.gz" > "$W/trunc.wic.gz" &&
		fl_fails 3 "check: $W/trunc.wic.gz: .*gzip -d failed" check "$W/trunc.wic.gz" --bmap "$BMAP" ||
		return
	fl_fails 2 "missing FILE" check || return
	[ "$(fb_stat $G download_bytes)" = "$b0" ] ||
		{ fb_log "check sent data to the device"; return 1; }
}
check "check FILE: .wic.zst with its bmap and .xz whole pass; bad checksum, truncated .gz: exit 3 naming where; nothing sent" check_cli
rm -f "$W/trunc.wic.gz"
rm -f "$W"/bad.wic*

badbmap() {
	# the first digit of a range's checksum: the bmap's own checksum
	# (BmapFileChecksum) no longer matches the file
	local at
	at=$(grep -bo '<Range chksum="' "$BMAP" | head -n 1 | cut -d: -f1)
	cp "$BMAP" "$W/bad.bmap" && printf 'f' | dd of="$W/bad.bmap" bs=1 \
		seek=$((at + 15)) conv=notrunc status=none || return
	cmp -s "$BMAP" "$W/bad.bmap" && printf '0' | dd of="$W/bad.bmap" bs=1 \
		seek=$((at + 15)) conv=notrunc status=none
	snap && fl_fails 3 "bmap $W/bad.bmap: .*the file was changed after bmaptool wrote it" \
		flash rootfs "$WIC.gz" --bmap "$W/bad.bmap" && unchanged
}
check "a bmap whose own checksum does not match: exit 3, nothing written" badbmap

# --- broken files ------------------------------------------------------------------------
trunc_map() {
	local n
	n=$(stat -c %s "$WIC.xz")
	head -c $((n / 2)) "$WIC.xz" > "$W/trunc.wic.xz" && prefill || return
	fl_fails 3 "xz -d failed" flash rootfs "$W/trunc.wic.xz" --bmap "$BMAP" &&
		fl getvar max-download-size
}
check "truncated .xz with the bmap: exit 3, 'xz -d failed', the device still answers" trunc_map

corrupt_nomap() {
	cp "$WIC.bz2" "$W/corrupt.bz2" && flip "$W/corrupt.bz2" $(($(stat -c %s "$W/corrupt.bz2") / 2)) &&
		prefill || return
	fl_fails 3 "bzip2 -d failed" flash rootfs "$W/corrupt.bz2" && unchanged &&
		fl getvar max-download-size
}
check "corrupt .bz2 without bmap: exit 3, 'bzip2 -d failed', nothing written (refused before sending)" corrupt_nomap
rm -f "$W/trunc.wic.xz" "$W/corrupt.bz2"

no_zstd() {
	snap || return
	timeout 60 env PATH=/nonexistent "$FL" flash rootfs "$WIC.zst" > "$W/fl.log" 2>&1
	FL_RC=$?
	diag "  exit $FL_RC: $(head -n 1 "$W/fl.log")"
	[ $FL_RC -eq 3 ] && grep -q "apt-get install zstd" "$W/fl.log" && unchanged
}
check "no zstd program: exit 3, the message names the package, nothing written" no_zstd

# --- imx-factory ------------------------------------------------------------------------
# factory NAME MANIFEST-LINE: a fastboot-only manifest, one board, its port
factory() {
	mkdir -p "$W/fac-$1" && echo "$2" > "$W/fac-$1/m.txt" || return
	(cd "$W/fac-$1" && timeout 240 "$FACTORY" -n 1 -w 20 --port "$PORT" \
		-l logs --progress none -m m.txt -d "$W" > out 2>&1)
	FAC_RC=$?
	[ $FAC_RC -eq 0 ] || { fb_log "imx-factory -> exit $FAC_RC"; tail -n 8 "$W/fac-$1/out" "$W/fac-$1"/logs/* | sed 's/^/#   /' >&2; }
	return $FAC_RC
}
fac_bmap() {
	prefill && factory bmap "fastboot flash rootfs img.wic.zst" &&
		bmap_check "$WIC"
}
timed "imx-factory, 'fastboot flash rootfs img.wic.zst': the bmap next to it used, mapped ranges only" fac_bmap
fac_corrupt() {
	cp "$WIC.gz" "$W/short.wic.gz" && truncate -s $(($(stat -c %s "$WIC.gz") / 2)) "$W/short.wic.gz" || return
	prefill || return
	factory corrupt "fastboot flash rootfs short.wic.gz --no-bmap"
	[ $FAC_RC -ne 0 ] && grep -rq "gzip -d failed" "$W/fac-corrupt/logs" && unchanged
}
check "imx-factory, truncated .gz with --no-bmap on the step: the board fails, 'gzip -d failed' in its log, nothing written" fac_corrupt

fb_gadget_destroy $G
check "gadget removed" [ ! -d "$CFS/$G" ]
rm -rf "$W"
for p in $(jobs -p); do kill "$p" 2> /dev/null; done
wait
echo "1..$T_N"
diag "fastboot_images: $((T_N - T_FAIL)) passed, $T_FAIL failed, $(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }')"
tap_done
