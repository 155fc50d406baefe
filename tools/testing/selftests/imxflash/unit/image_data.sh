#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# image_data.sh DIR: test data of the bmap_*, decomp and img_source unit
# tests, made by the real tools a build system uses:
#   img.raw        sparse image, 4096-byte blocks, 5 MiB + 1000 bytes (the
#                  last block is short): data in blocks 0-1, 3, 100-163,
#                  an allocated block of zeros at 200, the last block
#   img.bmap       `bmaptool create` (bmap-tools): format 2.0, sha256
#   img-nocsum.bmap  `bmaptool create --no-checksum`
#   img-v1.4.bmap, img-v1.3.bmap, img-v1.2.bmap: the same map in the
#                  older formats (bmap_variants.py)
#   img.raw.{gz,xz,zst,bz2}  compressed by gzip, xz, zstd, bzip2
#   misnamed.img   gzip data under a name that does not say so
#   trunc.{gz,xz,zst,bz2}    cut in the middle of the data
#   corrupt.{gz,xz,zst,bz2}  one byte changed in the middle
#   img-bad.raw    one byte changed in block 130 (mapped)
#   img-hole.raw   one byte changed in block 50 (unmapped): bmap-valid
#   img-long.gz    img.raw and 4096 more bytes, gzip
#   img-short.gz   the first 3000000 bytes of img.raw, gzip
#   img.sha256     sha256sum of img.raw
set -eu

need() {
	command -v "$1" >/dev/null || {
		echo "error: $1 not found: apt-get install $2" >&2
		exit 1
	}
}
need bmaptool bmap-tools
need gzip gzip
need xz xz-utils
need zstd zstd
need bzip2 bzip2
need python3 python3

here=$(cd "$(dirname "$0")" && pwd)
dir=$1
mkdir -p "$dir"
cd "$dir"

bs=4096
rnd() { head -c "$1" /dev/urandom; }
put() {	# put BLOCK FILE: write FILE at block BLOCK of img.raw
	dd if="$2" of=img.raw bs=$bs seek="$1" conv=notrunc status=none
}

rm -f img.raw
truncate -s $((5 * 1024 * 1024 + 1000)) img.raw
rnd $((2 * bs)) >t && put 0 t
rnd 777 >t && put 3 t
rnd $((64 * bs)) >t && put 100 t
head -c $bs /dev/zero >t && put 200 t
rnd 1000 >t && put 1280 t
rm -f t
sha256sum img.raw | cut -d' ' -f1 >img.sha256

bmaptool -q create -o img.bmap img.raw
bmaptool -q create --no-checksum -o img-nocsum.bmap img.raw
for v in 1.4 1.3 1.2; do
	python3 "$here/bmap_variants.py" "$v" img.raw img.bmap >"img-v$v.bmap"
done

gzip -c img.raw >img.raw.gz
xz -c img.raw >img.raw.xz
zstd -q -c img.raw >img.raw.zst
bzip2 -c img.raw >img.raw.bz2
cp img.raw.gz misnamed.img
for z in gz xz zst bz2; do
	n=$(stat -c %s img.raw.$z)
	head -c $((n / 2)) img.raw.$z >trunc.$z
	cp img.raw.$z corrupt.$z
	# the byte in the middle, inverted
	b=$(od -An -tu1 -j $((n / 2)) -N1 img.raw.$z | tr -d ' ')
	printf "\\$(printf %03o $((b ^ 255)))" |
		dd of=corrupt.$z bs=1 seek=$((n / 2)) conv=notrunc status=none
done

cp --sparse=always img.raw img-bad.raw
printf 'X' | dd of=img-bad.raw bs=1 seek=$((130 * bs + 5)) conv=notrunc status=none
cmp -s img.raw img-bad.raw && { echo "error: img-bad.raw unchanged" >&2; exit 1; }
cp --sparse=always img.raw img-hole.raw
printf 'X' | dd of=img-hole.raw bs=1 seek=$((50 * bs + 5)) conv=notrunc status=none
{ cat img.raw; rnd $bs; } | gzip -c >img-long.gz
head -c 3000000 img.raw | gzip -c >img-short.gz
