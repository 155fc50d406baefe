#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Interop: Debian's imx_usb (imx-usb-loader) and uuu load generated boot
# images (real IVT + boot data + DCD, and a plugin variant) into the
# usb_f_sdp ROM emulator on dummy_hcd. For each load the emulated memory
# is compared byte for byte with the image (debugfs), the registers the
# DCD writes are checked, the jump address is verified and the emulated
# board must have left the bus. Runs inside the test VM (TAP output).

. "$(dirname "$0")/../lib/lib.sh"

MKIMX=$BIN/tools/mkimx
MEMCHECK=$BIN/tests/sdp_memcheck
IMX_USB_CONF=/usr/share/imx-usb-loader/imx-loader.d
W=/tmp/interop
mkdir -p "$W"

imxf_modules 1 || { echo "Bail out! cannot load modules"; exit 1; }

tap_plan 35

# load TOOL SOC IMAGE: boot IMAGE into a fresh emulated SOC with TOOL.
load() {
	local _tool=$1 _soc=$2 _img=$3 _hab=${4:-open} _rc
	set -- $(soc_vidpid "$_soc")
	VID=$1 PID=$2
	board_destroy b0
	board_setup b0 "$_soc" dummy_udc.0 "$_hab" boot_delay_ms=100 || return
	wait_usb "$VID" "$PID" present 10 || return
	case $_tool in
	imx_usb)
		timeout 60 hostrun imx_usb -c "$IMX_USB_CONF" "$_img" \
			> "$W/$_tool-$_soc.log" 2>&1
		;;
	uuu)
		timeout 60 hostrun uuu -v SDP: boot -f "$_img" \
			> "$W/$_tool-$_soc.log" 2>&1
		;;
	esac
	_rc=$?
	[ "$_rc" -eq 0 ] || { sed 's/^/# /' "$W/$_tool-$_soc.log"; return 1; }
}

# expect_booted JUMP_ADDR: the board jumped there and left the bus
expect_booted() {
	wait_attr b0 state booted 10 &&
		[ "$(board_attr b0 jump_addr)" = "$1" ] &&
		wait_usb "$VID" "$PID" gone 10
}

log_has() { grep -q "$1" "$DBG/b0/log"; }

for soc in imx6q imx6ull; do
	img=$W/u-boot-$soc.imx
	man=$W/u-boot-$soc.txt
	$MKIMX --soc "$soc" --size 300K --seed 7 -o "$img" --manifest "$man" ||
		echo "Bail out! mkimx failed"
	jump=$(manifest_get "$man" jump_addr)
	skip=$(manifest_get "$man" soc_skip_dcd)

	# imx_usb: DCD_WRITE, WRITE_FILE with IVT.dcd cleared, JUMP.
	check "imx_usb loads $soc image" load imx_usb "$soc" "$img"
	check "imx_usb $soc: memory matches image, DCD applied" \
		$MEMCHECK b0 "$img" "$man" --ivt-dcd zero
	check "imx_usb $soc: DCD_WRITE to the ROM scratch address" \
		log_has "DCD_WRITE addr=$(manifest_get "$man" soc_dcd_addr)"
	check "imx_usb $soc: jump to $jump, board left the bus" \
		expect_booted "$jump"

	# uuu: 6Q-class rewrites the IVT with dcd=0, 6UL-class uses SKIP_DCD.
	if [ "$skip" = 1 ]; then ivt=keep; else ivt=zero; fi
	check "uuu SDP: boot loads $soc image" load uuu "$soc" "$img"
	check "uuu $soc: memory matches image (IVT.dcd $ivt), DCD applied" \
		$MEMCHECK b0 "$img" "$man" --ivt-dcd $ivt
	if [ "$skip" = 1 ]; then
		check "uuu $soc: SKIP_DCD_HEADER before JUMP" \
			log_has "SKIP_DCD_HEADER"
	else
		check "uuu $soc: IVT rewritten with a 1 KiB WRITE_FILE" \
			log_has "WRITE_FILE addr=$jump count=1024"
	fi
	check "uuu $soc: jump to $jump, board left the bus" \
		expect_booted "$jump"

	# Flash image (IVT at 0x400) through imx_usb's offset search.
	fimg=$W/flash-$soc.img
	fman=$W/flash-$soc.txt
	$MKIMX --soc "$soc" --flash-offset --size 64K --seed 9 -o "$fimg" \
		--manifest "$fman"
	check "imx_usb loads $soc flash image (IVT at 0x400)" \
		load imx_usb "$soc" "$fimg"
	check "imx_usb $soc flash image: memory matches" \
		$MEMCHECK b0 "$fimg" "$fman" --ivt-dcd zero
	check "imx_usb $soc flash image: booted" \
		expect_booted "$(manifest_get "$fman" jump_addr)"
done

# Plugin image: imx_usb runs the plugin (ROM returns to SDP), then loads
# and jumps to the main image that follows it.
for soc in imx6q imx6ull; do
	pimg=$W/plugin-$soc.imx
	pman=$W/plugin-$soc.txt
	$MKIMX --soc "$soc" --plugin --size 128K --seed 3 -o "$pimg" \
		--manifest "$pman"
	check "imx_usb loads $soc plugin image" load imx_usb "$soc" "$pimg"
	check "imx_usb $soc plugin: plugin part in OCRAM" \
		$MEMCHECK b0 "$pimg" "$pman" --ivt-dcd any --ignore 0x28:4
	check "imx_usb $soc plugin: main image matches, DCD applied at JUMP" \
		$MEMCHECK b0 "$pimg" "$pman" --prefix main_ --ivt-dcd any
	check "imx_usb $soc plugin: plugin ran and returned to SDP" \
		grep -q "^plugins 1$" "$CFS/b0/functions/sdp.b0/stats"
	check "imx_usb $soc plugin: booted the main image" \
		expect_booted "$(manifest_get "$pman" main_jump_addr)"
done

# HAB closed and an unsigned image: the JUMP fails with a HAB event (invalid
# CSF), imx_usb says so, and the ROM stays in SDP on the bus.
load imx_usb imx6q "$W/u-boot-imx6q.imx" closed
grep -E "jump|fail|security" "$W/imx_usb-imx6q.log" | sed 's/^/# /'
check "HAB closed, unsigned image: imx_usb reports the HAB event" \
	grep -q "status 0x33110a00" "$W/imx_usb-imx6q.log"
check "HAB closed, unsigned image: last_error names the missing signature" \
	grep -q "not signed" "$CFS/b0/functions/sdp.b0/last_error"
check "HAB closed, unsigned image: state idle, device still on the bus" \
	sh -c "[ \"\$(cat $CFS/b0/functions/sdp.b0/state)\" = idle ] && hostrun lsusb -d 15a2:0054 >/dev/null"
board_destroy b0

tap_done
