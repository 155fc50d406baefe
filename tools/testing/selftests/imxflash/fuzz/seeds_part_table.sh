#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# seeds_part_table.sh DIR DATA: seed corpus of fuzz_part_table from the
# sfdisk/fdisk images of the part_table_*_test unit tests (DATA): each
# image's LBA 0 up to the end of its primary entries, on the disk it was
# made for, on a larger and on a smaller disk. A seed starts with the
# fuzzer's 5 control bytes: flags (bit 0: 4096-byte LBAs, bits 1-7: disk
# LBAs >> 32), disk LBAs (low 32 bits, little-endian).
set -eu

dir=$1/fuzz_part_table
data=$2
mkdir -p "$dir"

# ctl FLAGS LBAS: the control bytes on stdout
# shellcheck disable=SC2059 # the format is built of octal escapes
ctl() {
	printf "\\$(printf %03o "$1")"
	for s in 0 8 16 24; do
		printf "\\$(printf %03o $((($2 >> s) & 255)))"
	done
}

for img in "$data"/*.img; do
	[ -f "$img" ] || continue
	b=$(basename "$img" .img)
	case $b in reflash-*) continue ;; esac
	case $b in *4k*) lbsz=4096 flags=1 ;; *) lbsz=512 flags=0 ;; esac
	lbas=$(($(stat -c %s "$img") / lbsz))
	case $b in
	gpt*) head=$((lbsz * 2 + 16384)) ;;
	*) head=512 ;;
	esac
	{ ctl $flags $lbas; head -c $head "$img"; } >"$dir/$b"
	{ ctl $flags $((lbas * 3)); head -c $head "$img"; } >"$dir/$b-larger"
	{ ctl $flags $((lbas / 2)); head -c $head "$img"; } >"$dir/$b-smaller"
done
