#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# seeds.sh MKIMX DIR: add mkimx-generated images (and their DCDs) to the
# fuzzer seed corpora under DIR. Small payloads keep the seeds small.
set -eu

mkimx=$1
dir=$2
img=$dir/fuzz_imx_image
dcd=$dir/fuzz_imx_dcd
mkdir -p "$img" "$dcd"

n=0
gen() {
	n=$((n + 1))
	out=$img/mkimx-$n
	"$mkimx" --size 512 --seed $n -o "$out" --manifest "$out.mf" "$@"
	off=$(sed -n 's/^\(main_\)\{0,1\}dcd_off=//p' "$out.mf" | tail -n 1)
	len=$(sed -n 's/^\(main_\)\{0,1\}dcd_len=//p' "$out.mf" | tail -n 1)
	if [ "${len:-0}" -gt 0 ]; then
		dd if="$out" of="$dcd/mkimx-$n" bs=1 skip="$off" \
			count="$len" 2>/dev/null
	fi
	rm -f "$out.mf"
}

gen
gen --soc imx6ull --flash-offset
gen --soc imx8mm --csf
gen --soc imx7d --plugin
gen --soc imx6q --plugin --flash-offset --csf
gen --soc imx7ulp --no-dcd
gen --dcd-write 0x10000100=0x12/1 --dcd-write 0x10000102=0x3456/2 \
	--dcd-clear 0x10000104=0xff --dcd-set 0x10000108=0x80000000 \
	--dcd-check 0x10000100=0x12/1:all-set:10 \
	--dcd-check 0x10000104=0x1:all-clear --dcd-nop \
	--dcd-check 0x10000108=0x80000000:any-set:1 \
	--dcd-check 0x10000108=0x1:any-clear
for c in ivt-tag self boot-data dcd-tag dcd-len; do
	gen --corrupt "$c"
done
