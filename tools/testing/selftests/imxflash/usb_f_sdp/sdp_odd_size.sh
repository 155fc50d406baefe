#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Images whose size is a multiple of neither 1 KiB nor 64 bytes, loaded
# into the usb_f_sdp ROM emulator (6Q and 6ULL profiles) by the three
# hosts (issue 11). For each load the emulated memory (debugfs) must equal
# the image on every byte of its range, and:
#  - imx_usb -v prints "Verify success": its read-back ends with a
#    READ_REGISTER of the last (size mod 64) bytes in format 0x20, which
#    the ROM answers with data; its padded last report is stored whole;
#  - uuu SDP: boot loads and boots the image;
#  - imx-sdp boot --verify succeeds, and its short last report stores the
#    image's bytes only.
# Runs inside the test VM (TAP output).

. "$(dirname "$0")/../lib/lib.sh"

MKIMX=$BIN/tools/mkimx
MEMCHECK=$BIN/tests/sdp_memcheck
IMX_SDP=$BIN/userspace/imx-sdp
IMX_USB_CONF=/usr/share/imx-usb-loader/imx-loader.d
W=/tmp/odd
mkdir -p "$W"

imxf_modules 1 || { echo "Bail out! cannot load modules"; exit 1; }
[ -d /sys/module/hid_imx_sdp ] || imxf-insmod "$IMXF_MODDIR/hid-imx-sdp.ko" ||
	{ echo "Bail out! cannot load hid-imx-sdp"; exit 1; }

# File sizes: last KiB 677 bytes (64-byte tail 37), 1 (1), 1022 (62), and
# on 6Q the image of the report, 0x4b07b bytes (123, 59), whose read-back
# alone takes 4804 commands.
SIZES="22181 24577 34814"
tap_plan 70

# load TOOL SOC IMAGE LOG: power the board on and boot IMAGE with TOOL.
load() {
	set -- "$1" "$2" "$3" "$4" $(soc_vidpid "$2")
	board_destroy b0
	board_setup b0 "$2" dummy_udc.0 open boot_delay_ms=100 || return
	wait_usb "$5" "$6" present 10 || return
	case $1 in
	imx_usb)
		timeout 120 hostrun imx_usb -c "$IMX_USB_CONF" -v "$3" > "$4" 2>&1
		;;
	uuu)
		timeout 60 hostrun uuu -v SDP: boot -f "$3" > "$4" 2>&1
		;;
	imx-sdp)
		timeout 10 "$IMX_SDP" wait --timeout 5 > /dev/null &&
			timeout 60 "$IMX_SDP" -q boot --verify "$3" > "$4" 2>&1
		;;
	esac || { sed 's/^/# /' "$4"; return 1; }
}

# verified_by_iul SOC IMAGE LOG: imx_usb -v loads IMAGE and its read-back
# finds no difference
verified_by_iul() {
	load imx_usb "$1" "$2" "$3" || return
	grep -A4 -m1 mismatch "$3" | sed 's/^/# /'
	grep -q "Verify success" "$3" && ! grep -q mismatch "$3"
}

# booted_at ADDR: the board jumped to ADDR and left the bus
booted_at() {
	wait_attr b0 state booted 10 && [ "$(board_attr b0 jump_addr)" = "$1" ]
}

# boots TOOL SOC IMAGE LOG ADDR: TOOL loads IMAGE and the board jumps to ADDR
boots() {
	load "$1" "$2" "$3" "$4" && booted_at "$5"
}

# written BYTES: the data phases stored BYTES bytes
written() {
	local _n
	_n=$(sed -n 's/^bytes_written //p' "$CFS/b0/functions/sdp.b0/stats")
	[ "$_n" = "$1" ] || { echo "# bytes_written $_n, expected $1"; return 1; }
}

# tail_read ADDR COUNT: READ_REGISTER of COUNT bytes at ADDR, 32-bit
# access, was answered with data (no HAB event)
tail_read() {
	grep "READ_REGISTER addr=$1 count=$2 " "$DBG/b0/log" | tee "$W/tail" |
		sed 's/^/# /'
	grep -q "format=0x20 .*status=0x00000000\$" "$W/tail"
}

kib() { echo $((($1 + 1023) / 1024 * 1024)); }

for soc in imx6q imx6ull; do
	sizes=$SIZES
	[ $soc = imx6q ] && sizes="$sizes 307323"
	for size in $sizes; do
		img=$W/$soc-$size.imx man=$W/$soc-$size.txt
		$MKIMX --soc $soc --size $((size - 3072)) --seed "$size" \
			-o "$img" --manifest "$man" ||
			{ echo "Bail out! mkimx failed"; exit 1; }
		[ "$(manifest_get "$man" file_size)" = "$size" ] ||
			{ echo "Bail out! mkimx made $(manifest_get "$man" file_size) bytes, not $size"; exit 1; }
		self=$(manifest_get "$man" self)
		dcd=$(manifest_get "$man" dcd_len)
		t=$((size % 64))
		at=$(printf '0x%08x' $((self + size - t)))
		if [ "$(manifest_get "$man" soc_skip_dcd)" = 1 ]; then
			uivt=keep
		else
			uivt=zero
		fi

		# imx_usb: DCD_WRITE, WRITE_FILE with IVT.dcd cleared, the
		# read-back in 64-byte READ_REGISTERs, JUMP. Both data phases
		# go as full 1 KiB reports.
		log=$W/iul-$soc-$size.log
		check "imx_usb -v $soc, $size bytes: Verify success" \
			verified_by_iul $soc "$img" "$log"
		check "imx_usb $soc $size: READ_REGISTER of the last $t bytes, format 0x20, answered" \
			tail_read "$at" "$t"
		check "imx_usb $soc $size: memory equals the image (IVT.dcd cleared)" \
			$MEMCHECK b0 "$img" "$man" --ivt-dcd zero
		check "imx_usb $soc $size: padded last reports stored whole" \
			written $((1024 + $(kib "$size")))
		check "imx_usb $soc $size: jumped to $self" booted_at "$self"

		log=$W/uuu-$soc-$size.log
		check "uuu $soc $size: loads and jumps to $self" \
			boots uuu $soc "$img" "$log" "$self"
		check "uuu $soc $size: memory equals the image (IVT.dcd $uivt)" \
			$MEMCHECK b0 "$img" "$man" --ivt-dcd $uivt

		log=$W/sdp-$soc-$size.log
		check "imx-sdp boot --verify $soc $size: verified, jumped to $self" \
			boots imx-sdp $soc "$img" "$log" "$self"
		check "imx-sdp $soc $size: memory equals the image (IVT.dcd cleared)" \
			$MEMCHECK b0 "$img" "$man" --ivt-dcd zero
		check "imx-sdp $soc $size: short last reports store the data only" \
			written $((dcd + size))
	done
done
board_destroy b0

tap_done
