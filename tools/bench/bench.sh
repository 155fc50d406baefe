#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: performance, as ratios measured in one VM run against the
# peers on the same emulated hardware (never as pass/fail timings).
#   SDP upload: the same 4 MiB image into the same emulated i.MX6ULL ROM
#   with imx-sdp (hid-imx-sdp), imx_usb and uuu.
#   fastboot: link ceiling (usbtest/f_sourcesink), download and 1 GiB sparse
#   flash with fastboot and uuu into usb_f_fastboot, memory high-water
#   (bench_fastboot_guest.sh).
#   factory: the whole flow on 1 and 4 emulated boards, imx-factory vs
#   imx_usb + fastboot, per stage (bench_factory_guest.sh).
#   images: a 1 GiB .wic with about 10 % mapped and its bmap, plain and
#   .wic.zst, against the whole raw image and uuu (bench_image_guest.sh).
#   verify: fastboot-lite verify of a 1 GiB image with about 10 % mapped,
#   oem sha256 on the device against a fetch read-back of the same ranges
#   (bench_verify_guest.sh).
set -eu
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(cd "$here/../.." && pwd -P)
vm=$top/tools/testing/selftests/imxflash/vm
kv=$("$vm/kver.sh" "${IMXF_BENCH_KERNEL:-6.1}")
out=$top/build/vm/out-bench
# fastboot: the 1 GiB sparse image, made here (img2simg reads holes, slow
# under TCG) from the generator the guest uses to check the flash
fbc=$top/build/vm/bench-fastboot
mkdir -p "$fbc"
"$top/build/tests/fb_mkimage" "$fbc/big.raw" 1G 6 sparse
img2simg "$fbc/big.raw" "$fbc/big.simg"
rm -f "$fbc/big.raw"
# images: the .wic (the guest makes it again: 1 GiB through 9p is slow),
# its bmap and .wic.zst (zstd's default level, as Yocto's wic.zst), and
# what zstd -d costs on the host, with and without a pipe
imc=$top/build/vm/bench-image
zstd_ms= zstd_pipe_ms= check_ms= check_zst_ms=
# ms CMD: its wall time in ms, nothing if it failed (no figure for a failure)
ms() { local a b; a=$(date +%s%N); sh -c "$1" || return 0; b=$(date +%s%N); echo $(((b - a) / 1000000)); }
case " ${IMXF_BENCH_ONLY:-image} " in *" image "*)
	mkdir -p "$imc"
	python3 "$here/bench_mkwic.py" "$imc/big.wic"
	bmaptool -q create -o "$imc/big.wic.bmap" "$imc/big.wic"
	zstd -q -f "$imc/big.wic" -o "$imc/big.wic.zst"
	# fastboot-lite's own reader natively (check: what a flash reads,
	# decompresses and checks, with no device)
	check_ms=$(ms "'$top/build/userspace/fastboot-lite' -q check '$imc/big.wic' > /dev/null")
	check_zst_ms=$(ms "'$top/build/userspace/fastboot-lite' -q check '$imc/big.wic.zst' > /dev/null")
	rm -f "$imc/big.wic"
	zstd_ms=$(ms "zstd -dcq '$imc/big.wic.zst' > /dev/null")
	zstd_pipe_ms=$(ms "zstd -dcq '$imc/big.wic.zst' | cat > /dev/null")
	;;
esac
"$vm/run-vm.sh" --kernel "$kv" --timeout 3600 --mem 3072 --name bench --out "$out" \
	--env FB_BENCH_SIMG="/host$fbc/big.simg" \
	--env FB_BENCH_IMAGE_DIR="/host$imc" --env FB_BENCH_HOST_ZSTD_MS="$zstd_ms" \
	--env FB_BENCH_HOST_ZSTD_PIPE_MS="$zstd_pipe_ms" \
	--env FB_BENCH_HOST_CHECK_MS="$check_ms" --env FB_BENCH_HOST_CHECK_ZST_MS="$check_zst_ms" \
	--env IMXF_BENCH_ONLY="${IMXF_BENCH_ONLY:-}" --env IMXF_BENCH_RUNS="${IMXF_BENCH_RUNS:-3}" \
	--modules "$top/build/kmod/$kv" -- "/host$here/bench_guest.sh" |
	grep --line-buffered -v -E '^\[ *[0-9]+\.[0-9]+\]'
echo "bench: results also in $out/bench.txt"
