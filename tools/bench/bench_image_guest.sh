#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench, images as build systems ship them (guest side, called by
# bench_guest.sh; IMXF_BENCH_ONLY=image runs it alone): one run each, on
# the dummy_hcd link into usb_f_fastboot (max_download_size 256 MiB):
#  - a 1 GiB .wic with about 10 % mapped (bench_mkwic.py: MBR, 1 MiB data
#    islands every 10 MiB) and the bmap bmaptool made of it (bench.sh, on
#    the host, with the .wic.zst: FB_BENCH_IMAGE_DIR):
#    fastboot-lite with the bmap; the whole raw image (--no-bmap: zeros go
#    as FILL chunks, the device writes all 1 GiB); uuu's FB: flash
#    -raw2sparse of the raw image (Debian's uuu 1.4.193 has no bmap path);
#    fastboot-lite with the bmap from the .wic.zst, and the whole
#    .wic.zst (--no-bmap) against the whole raw image;
#  - bytes on the wire (the function's download_bytes) against the mapped
#    bytes, times as ratios to the bmap flash of the plain image, every
#    flash verified;
#  - what the compressed path costs here: zstd -d of the same file into
#    /dev/null in this VM, and on the host (bench.sh).
# Appended to /out/bench.txt.

. "$(dirname "$0")/../testing/selftests/imxflash/lib/lib.sh"
. "$(dirname "$0")/../testing/selftests/imxflash/lib/lib_fastboot.sh"

RUN=$BIN/bench/bench_run
FL=$BIN/userspace/fastboot-lite
OUT=/out/bench.txt
W=$FB_WORK/bench-image
MiB=1048576
MAXDL=$((256 * MiB))
WIC_SZ=$((1024 * MiB))
PART_OFF=$((4 * MiB))
UDC=dummy_udc.0
SER=IMXFBIMG
G=fbbi
SRC=${FB_BENCH_IMAGE_DIR:-}
export BENCH_LOG=$W/tool.log
rm -rf "$W"
mkdir -p "$W"
rc=0

say() { echo "$*" | tee -a "$OUT"; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else print "-" }'; }

[ -s "$SRC/big.wic.bmap" ] && [ -s "$SRC/big.wic.zst" ] ||
	{ echo "bench: no image in FB_BENCH_IMAGE_DIR (run make bench)" >&2; exit 1; }
fb_modules 1 || { echo "bench: cannot load modules" >&2; exit 1; }

# the image again, here (the same bytes as the host's), and the host's
# bmap and .wic.zst
t0=$(date +%s.%N)
python3 "$(dirname "$0")/bench_mkwic.py" "$W/big.wic" &&
	cp "$SRC/big.wic.bmap" "$SRC/big.wic.zst" "$W/" ||
	{ echo "bench: cannot make the image" >&2; exit 1; }
diag "image made in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }')"
mapped_blocks=$(sed -n 's|.*<MappedBlocksCount> *\([0-9]*\).*|\1|p' "$W/big.wic.bmap")
bs=$(sed -n 's|.*<BlockSize> *\([0-9]*\).*|\1|p' "$W/big.wic.bmap")
mapped=$((mapped_blocks * bs))

DISK=$W/disk.img
truncate -s $((WIC_SZ + 8 * MiB)) "$DISK"
fb_gadget_destroy $G
fb_gadget_create $G $SER &&
	fb_set $G max_download_size $MAXDL &&
	fb_set $G storage "$DISK" &&
	fb_part $G rootfs path="$DISK" offset=$PART_OFF size=$WIC_SZ &&
	fb_bind $G $UDC || { echo "bench: fastboot gadget setup failed" >&2; exit 1; }
PORT=$(fb_port $SER)

# flash NAME CMD...: one timed flash, verified against big.wic (the
# partition starts as zeros, like the image's holes, and the store's pages
# are given back to tmpfs; random bytes are put into a few mapped islands
# first, so that a flash that skipped data is seen); sets T (wall ms) and
# B (bytes downloaded), or fails with them empty
flash() {
	local name=$1 r b0 i
	shift
	T= B= FAILED=
	truncate -s 0 "$DISK" && truncate -s $((WIC_SZ + 8 * MiB)) "$DISK" || return
	for i in 0 30 60 90; do
		fb_fill "$DISK" $((PART_OFF + (8 + i * 10) * MiB)) $MiB $((i + 1))
	done
	b0=$(fb_stat $G download_bytes)
	r=$($RUN "$@")
	case $r in rc=0\ *) ;; *)
		FAILED="failed (exit $(field "$r" rc) after $(field "$r" wall_ms) ms)"
		echo "bench: $name failed: $r" >&2
		# (a progress bar redrawn with escapes is one long line)
		tail -n 5 "$BENCH_LOG" | cut -c 1-300 | sed 's/^/#   /' >&2
		return 1 ;;
	esac
	B=$(($(fb_stat $G download_bytes) - b0))
	T=$(field "$r" wall_ms)
	fb_cmp_range "$DISK" $PART_OFF "$W/big.wic" ||
		{ echo "bench: $name: flashed bytes differ from the image" >&2; return 1; }
	diag "$name: $T ms, $B bytes downloaded: $(head -c 300 "$BENCH_LOG" | head -n 1)"
}

flash "fastboot-lite, bmap" "$FL" flash rootfs "$W/big.wic" || rc=1
t_map=$T b_map=$B
flash "fastboot-lite, whole raw image" "$FL" flash --no-bmap rootfs "$W/big.wic" || rc=1
t_raw=$T b_raw=$B
# a peer that fails is a result, not a failure of the bench
flash "uuu FB: flash -raw2sparse" uuu -m "$(fb_uuu_path "$PORT")" FB: flash -raw2sparse rootfs "$W/big.wic"
t_uuu=$T b_uuu=$B uuu_failed=$FAILED
flash "fastboot-lite, bmap, .wic.zst" "$FL" flash rootfs "$W/big.wic.zst" || rc=1
t_zst=$T b_zst=$B
# the whole image both ways: here the plain file is read whole too
flash "fastboot-lite, whole .wic.zst" "$FL" flash --no-bmap rootfs "$W/big.wic.zst" || rc=1
t_zst_raw=$T b_zst_raw=$B
r=$($RUN sh -c "zstd -dcq '$W/big.wic.zst' > /dev/null")
t_dec=$(field "$r" wall_ms)

say ""
say "images as build systems ship them: a $((WIC_SZ / MiB)) MiB .wic, $((mapped / MiB)) MiB mapped ($(awk -v a=$mapped -v b=$WIC_SZ 'BEGIN { printf "%.1f", 100 * a / b }') %), bmap by bmaptool, into usb_f_fastboot; one run each, every flash verified"
say "  fastboot-lite, bmap, plain .wic:        $(printf '%7s ms' "${t_map:-failed}"), $(printf '%10s' "${b_map:-?}") bytes on the wire = $(ratio "$b_map" $mapped) x the mapped bytes (target <= 1.05)"
say "  fastboot-lite, whole raw image:         $(printf '%7s ms' "${t_raw:-failed}"), $(printf '%10s' "${b_raw:-?}") bytes on the wire (zeros as FILL chunks): $(ratio "$t_raw" "$t_map") x the bmap flash's time"
if [ -n "$uuu_failed" ]; then
	say "  uuu FB: flash -raw2sparse (no -bmap in Debian's uuu 1.4.193): $uuu_failed"
else
	say "  uuu FB: flash -raw2sparse (no -bmap in Debian's uuu 1.4.193): $(printf '%7s ms' "$t_uuu"), $(printf '%10s' "${b_uuu:-?}") bytes: $(ratio "$t_uuu" "$t_map") x the bmap flash's time"
fi
say "  fastboot-lite, bmap, .wic.zst ($(($(stat -c %s "$W/big.wic.zst") / MiB)) MiB): $(printf '%7s ms' "${t_zst:-failed}"), $(printf '%10s' "${b_zst:-?}") bytes: $(ratio "$t_zst" "$t_map") x the plain image's time (target <= 1.2)"
say "  fastboot-lite, whole .wic.zst:          $(printf '%7s ms' "${t_zst_raw:-failed}"), $(printf '%10s' "${b_zst_raw:-?}") bytes: $(ratio "$t_zst_raw" "$t_raw") x the whole plain image's time (target <= 1.2)"
say "  (zstd -d of the .wic.zst into /dev/null in this VM alone: ${t_dec:-?} ms; on the host: ${FB_BENCH_HOST_ZSTD_MS:-?} ms into /dev/null, ${FB_BENCH_HOST_ZSTD_PIPE_MS:-?} ms through a pipe: the compressed path streams all $((WIC_SZ / MiB)) MiB through the decompressor and a pipe, which TCG emulates far slower than the link)"
say "  fastboot-lite check (the flash's reading, decompression and checks, no device), natively on the host: plain .wic ${FB_BENCH_HOST_CHECK_MS:-?} ms, .wic.zst ${FB_BENCH_HOST_CHECK_ZST_MS:-?} ms: $(ratio "${FB_BENCH_HOST_CHECK_ZST_MS:-}" "${FB_BENCH_HOST_CHECK_MS:-0}") x; the .wic.zst's mapped bytes come at $(awk -v b="$mapped" -v t="${FB_BENCH_HOST_CHECK_ZST_MS:-0}" 'BEGIN { if (t > 0) printf "%.0f", b / t / 1000; else print "?" }') MB/s, against a link maximum of $(cat "${FLOOR_FB:-/nonexistent}" 2>/dev/null || echo "? (needs the fastboot section)") MB/s in this VM"
[ -n "$b_map" ] && [ "$b_map" -le $((mapped * 105 / 100)) ] || rc=1
fb_gadget_destroy $G
rm -rf "$W"
exit $rc
