#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Shell helpers for the in-VM tests (busybox sh): emulated i.MX boards on
# dummy_hcd built with configfs, TAP output, memory checks via debugfs.

CFS=/sys/kernel/config/usb_gadget
DBG=/sys/kernel/debug/usb_f_sdp
BIN=${IMXF_SRC:-/host/work/main}/build
T_N=0
T_FAIL=0

# --- TAP --------------------------------------------------------------------
tap_plan() { echo "TAP version 13"; echo "1..$1"; }
ok() { T_N=$((T_N + 1)); echo "ok $T_N - $*"; }
not_ok() { T_N=$((T_N + 1)); T_FAIL=$((T_FAIL + 1)); echo "not ok $T_N - $*"; }
diag() { echo "# $*"; }
# check "description" command...: ok if the command succeeds
check() {
	local desc="$1"
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
tap_done() { [ "$T_FAIL" -eq 0 ]; }

# --- modules ----------------------------------------------------------------
# imxf_modules [NUM_UDC]: host + gadget stacks and our modules.
imxf_modules() {
	modprobe dummy_hcd num="${1:-1}" || return
	modprobe libcomposite || return
	modprobe usbhid || return
	modprobe hid-generic || return
	[ -d /sys/module/usb_f_sdp ] ||
		imxf-insmod "$IMXF_MODDIR/usb_f_sdp.ko" || return
}

# --- boards -----------------------------------------------------------------
# soc_ids SOC: prints "VID PID PRODUCT" of the ROM, from mkimx's table.
soc_vidpid() {
	case $1 in
	imx6q) echo "0x15a2 0x0054 SE Blank ARIK" ;;
	imx6dl) echo "0x15a2 0x0061 SP Blank RIGEL" ;;
	imx6sl) echo "0x15a2 0x0063 SE Blank MEGREZ" ;;
	imx6sx) echo "0x15a2 0x0071 SE Blank 6SX" ;;
	imx6ul) echo "0x15a2 0x007d SE Blank 6UL" ;;
	imx6ull) echo "0x15a2 0x0080 SE Blank 6ULL" ;;
	imx6sll) echo "0x1fc9 0x0128 SE Blank 6SLL" ;;
	imx7d) echo "0x15a2 0x0076 SE Blank ULT1" ;;
	imx7ulp) echo "0x1fc9 0x0126 SE Blank 7ULP" ;;
	imx8mq) echo "0x1fc9 0x012b SE Blank 8MQ" ;;
	imx8mm) echo "0x1fc9 0x0134 SE Blank 8MM" ;;
	*) return 1 ;;
	esac
}

# board_create NAME SOC UDC [HAB]: an sdp function as the ROM of SOC.
board_create() {
	local _g=$CFS/$1
	set -- "$1" "$2" "$3" "${4:-open}" $(soc_vidpid "$2")
	[ -n "$6" ] || { echo "board_create: unknown soc $2" >&2; return 1; }
	mkdir -p "$_g/strings/0x409" "$_g/configs/c.1" "$_g/functions/sdp.$1" ||
		return
	echo "$5" > "$_g/idVendor"
	echo "$6" > "$_g/idProduct"
	echo 0x0001 > "$_g/bcdDevice"
	echo "Freescale SemiConductor Inc " > "$_g/strings/0x409/manufacturer"
	shift 6
	echo "$*" > "$_g/strings/0x409/product"
}

# board_setup NAME SOC UDC [HAB] [ATTR=VAL...]: create, configure, bind.
board_setup() {
	local _n=$1 _s=$2 _u=$3 _h=${4:-open} _a
	board_create "$_n" "$_s" "$_u" "$_h" || return
	echo "$_s" > "$CFS/$_n/functions/sdp.$_n/soc" || return
	echo "$_h" > "$CFS/$_n/functions/sdp.$_n/hab" || return
	shift 4 2>/dev/null || shift $#
	for _a in "$@"; do
		echo "${_a#*=}" > "$CFS/$_n/functions/sdp.$_n/${_a%%=*}" || return
	done
	ln -s "$CFS/$_n/functions/sdp.$_n" "$CFS/$_n/configs/c.1/" || return
	echo "$_u" > "$CFS/$_n/UDC"
}

board_attr() { cat "$CFS/$1/functions/sdp.$1/$2"; }

board_destroy() {
	local _g=$CFS/$1
	[ -d "$_g" ] || return 0
	echo "" > "$_g/UDC" 2>/dev/null
	rm -f "$_g/configs/c.1/sdp.$1"
	rmdir "$_g/configs/c.1" "$_g/functions/sdp.$1" "$_g/strings/0x409" "$_g"
}

# wait_attr NAME ATTR VALUE [SECONDS]
wait_attr() {
	local _i=0
	while [ "$_i" -lt "$((${4:-10} * 20))" ]; do
		[ "$(board_attr "$1" "$2")" = "$3" ] && return 0
		usleep 50000
		_i=$((_i + 1))
	done
	echo "# $1: $2 is '$(board_attr "$1" "$2")', wanted '$3'" >&2
	return 1
}

# port_of VID PID (hex, with or without 0x): the USB port path (sysfs
# name, e.g. 3-1) of the first such device; fails if there is none.
port_of() {
	local _d
	for _d in /sys/bus/usb/devices/*; do
		[ -f "$_d/idVendor" ] || continue
		[ "$(cat "$_d/idVendor")" = "${1#0x}" ] &&
			[ "$(cat "$_d/idProduct")" = "${2#0x}" ] &&
			{ basename "$_d"; return 0; }
	done
	return 1
}

usb_present() { port_of "$1" "$2" > /dev/null; }

# wait_usb VID PID [present|gone] [SECONDS]
wait_usb() {
	local _i=0
	while [ "$_i" -lt "$((${4:-10} * 20))" ]; do
		if usb_present "$1" "$2"; then
			[ "${3:-present}" = present ] && return 0
		else
			[ "${3:-present}" = gone ] && return 0
		fi
		usleep 50000
		_i=$((_i + 1))
	done
	echo "# usb $1:$2 not ${3:-present} after ${4:-10}s" >&2
	return 1
}

# mem_dump NAME ADDR LEN OUT: emulated memory to a file
mem_dump() {
	dd if="$DBG/$1/mem" of="$4" bs=4096 iflag=skip_bytes,count_bytes \
		skip=$(($2)) count=$(($3)) 2>/dev/null
}

# manifest_get FILE KEY
manifest_get() { sed -n "s/^$2=//p" "$1"; }
