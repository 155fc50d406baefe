#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# seeds_fastboot.sh DIR DATA: seed corpora for fuzz_fastboot_cmd (every
# command spelling of Documentation/fastboot-protocol.rst, "Command set"
# and "What stock clients send") and fuzz_fastboot_sparse (the
# img2simg/simg2simg images of DATA, the unit test's data directory, and
# small hand-built images). Sparse seeds start with the fuzzer's two
# control bytes: limit / 256, split seed.
set -eu

dir=$1
data=$2
cmd=$dir/fuzz_fastboot_cmd
sp=$dir/fuzz_fastboot_sparse
mkdir -p "$cmd" "$sp"

n=0
# shellcheck disable=SC2016 # ${...} is sent verbatim, as uuu does
for c in getvar:version getvar:all getvar:max-download-size \
	getvar:downloadsize getvar:partition-size:rootfs \
	getvar:partition-type:vbmeta_a getvar:has-slot:rootfs \
	getvar:is-logical:rootfs getvar:current-slot getvar:slot-count \
	getvar:slot-successful:_a getvar:partition-size:0x400 \
	getvar:fastboot.partition-type:boot download:00100000 \
	download:ABCDEF01 download:00000000 download:1000 upload \
	fetch:vendor_boot fetch:vendor_boot:0x00001000:0x00002000 \
	fetch:0x400:0x10:0x200 fetch:boot:0xffffffffffffffff:0x1 \
	flash:rootfs flash:0x400 flash:0x0000000000000000000400 flash:gpt \
	flash:../boot erase:rootfs erase:0x100000 boot boot: continue \
	continue: reboot reboot: reboot:bootloader reboot-bootloader \
	reboot-recovery reboot-fastboot set_active:a set_active:_b \
	"oem format" "oem run:echo hi" "oem:foo bar" "flashing unlock" \
	flashing:unlock "flashing lock_critical" flashing:unlock_critical \
	"flashing get_unlock_ability" "UCmd:setenv fastboot_dev mmc" \
	'ACmd:booti ${loadaddr} - ${fdt_addr}' "getvar version" foo:bar; do
	n=$((n + 1))
	printf '%s' "$c" >"$cmd/cmd-$n"
done
printf 'getvar:version\000\001junk' >"$cmd/nul-junk"
printf 'OKAY%s' "$(printf '%070d' 0)" >"$cmd/long-resp"

# le16 / le32 VALUE: little-endian bytes on stdout
# shellcheck disable=SC2059 # the format is built of octal escapes
le16() {
	printf "\\$(printf %03o $(($1 & 255)))\\$(printf %03o $((($1 >> 8) & 255)))"
}
le32() {
	le16 $(($1 & 65535))
	le16 $((($1 >> 16) & 65535))
}
# file_hdr BLK_SZ TOTAL_BLKS TOTAL_CHUNKS FILE_HDR_SZ CHUNK_HDR_SZ
file_hdr() {
	le32 $((0xed26ff3a)); le16 1; le16 0; le16 "$4"; le16 "$5"
	le32 "$1"; le32 "$2"; le32 "$3"; le32 0
	i=28
	while [ $i -lt "$4" ]; do printf '\356'; i=$((i + 1)); done
}
# chunk TYPE CHUNK_SZ TOTAL_SZ CHUNK_HDR_SZ (data follows separately)
chunk() {
	le16 "$1"; le16 0; le32 "$2"; le32 "$3"
	i=12
	while [ $i -lt "$4" ]; do printf '\335'; i=$((i + 1)); done
}
# tiny HDR_SZ CHUNK_HDR_SZ TOTAL_CHUNKS TOTAL_BLKS: blk_sz 4, every
# chunk type
tiny() {
	printf '\001\000'
	file_hdr 4 "$4" "$3" "$1" "$2"
	chunk $((0xcac1)) 2 $(($2 + 8)) "$2"; printf 'rawdata!'
	chunk $((0xcac2)) 3 $(($2 + 4)) "$2"; printf '\001\002\003\004'
	chunk $((0xcac3)) 1 "$2" "$2"
	chunk $((0xcac4)) 0 $(($2 + 4)) "$2"; printf 'crc!'
	chunk $((0xcac1)) 0 "$2" "$2"
}
tiny 28 12 5 6 >"$sp/tiny"
tiny 32 16 5 6 >"$sp/tiny-large-headers"
tiny 28 12 6 9 >"$sp/tiny-short"
{ printf '\001\000'; file_hdr 4 0 0 28 12; } >"$sp/tiny-empty"

# img2simg / simg2simg images (8 KiB expanded): 16 KiB and 4 KiB limits
for f in "$data"/small.simg "$data"/small-split.simg.*; do
	[ -f "$f" ] || continue
	b=$(basename "$f")
	{ printf '\100\001'; cat "$f"; } >"$sp/$b"
	{ printf '\020\002'; cat "$f"; } >"$sp/$b-small-limit"
done

# fuzz_fastboot_ranges: limit byte (log2; 64 or more: none), split byte,
# then a list as fastboot-lite stages it or as fastboot oem gives it.
rg=$dir/fuzz_fastboot_ranges
mkdir -p "$rg"
printf '\024\003%s' '0x0:0x1000,0x2000:0x800' >"$rg/inline"
printf '\100\011%s\n%s\n' '0x100000:0x200000' '0x400000:0x1' >"$rg/staged"
printf '\010\000%s' '0x0:0x0' >"$rg/empty-range"
printf '\100\005%s' 'sha256 rootfs 0x0:0x10' >"$rg/oem-args"
