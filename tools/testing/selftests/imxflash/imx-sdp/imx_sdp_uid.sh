#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Board identity, inside the test VM, against usb_f_sdp:
#  - usb_f_sdp's "uid": 16 hex digits, a different default per instance,
#    bad text refused, fixed while the board is powered;
#  - hid-imx-sdp asks every board at probe, before any command: sysfs hab
#    of untouched open and closed boards, sysfs uid as configured, read
#    from the profile's OCOTP fuse shadows (i.MX6 0x021bc420/0x410, i.MX7D
#    0x30350420/0x410, the i.MX7ULP's four 16-bit words), nothing written;
#  - imx-sdp list shows HAB and UID from sysfs; imx-sdp uid reads the ID
#    again from the board; imx-sdp status shows it;
#  - a board that never answers (a plain HID gadget with an i.MX ROM's ID)
#    still gets its node, HAB and UID "unknown", the reason in last_error.

. "$(dirname "$0")/../lib/lib.sh"

IMX_SDP=$BIN/userspace/imx-sdp
W=/tmp/uid
mkdir -p "$W"

imxf_modules 4 || { echo "Bail out! modules"; exit 1; }
[ -d /sys/module/hid_imx_sdp ] || imxf-insmod "$IMXF_MODDIR/hid-imx-sdp.ko" ||
	{ echo "Bail out! hid-imx-sdp"; exit 1; }

tap_plan 23

# sysfs of the /dev/imx-sdpN on PORT
node_dir() {
	local d
	for d in /sys/class/imx_sdp/*; do
		[ "$(cat "$d/port" 2>/dev/null)" = "$1" ] && { echo "$d"; return 0; }
	done
	return 1
}

# wait_node PORT: until a node is on PORT (its sysfs complete by then)
wait_node() {
	local i=0
	while [ $i -lt 200 ]; do
		node_dir "$1" > /dev/null && return 0
		usleep 50000
		i=$((i + 1))
	done
	echo "# no /dev/imx-sdpN on port $1" >&2
	return 1
}

# udc_port UDC: the host port path a device on dummy_udc.N gets
udc_port() {
	local d
	for d in /sys/devices/platform/dummy_hcd."${1##*.}"/usb*; do
		[ -d "$d" ] && { echo "${d##*/usb}-1"; return 0; }
	done
	return 1
}

# plug NAME SOC UDC HAB [ATTR=VAL...]: the board's port is in $PORT
plug() {
	local n=$1 s=$2 u=$3 h=$4
	shift 4
	board_destroy "$n"
	board_setup "$n" "$s" "$u" "$h" "$@" || return
	set -- $(soc_vidpid "$s")
	wait_usb "$1" "$2" present 10 || return
	PORT=$(udc_port "$u") && wait_node "$PORT"
}

sysattr() { cat "$(node_dir "$1")/$2"; }
stat_of() { sed -n "s/^$2 //p" "$CFS/$1/functions/sdp.$1/stats"; }
# log_reads NAME: the addresses the ROM was asked to read (4 bytes each)
log_reads() {
	sed -n 's/.*READ_REGISTER addr=\(0x[0-9a-f]*\) count=4 .*/\1/p' \
		"$DBG/$1/log" | tr '\n' ' '
}

# --- 1. the configfs attribute ---------------------------------------------
G=$CFS/uidcfg
mkdir -p "$G/functions/sdp.u1" "$G/functions/sdp.u2"
d1=$(cat "$G/functions/sdp.u1/uid")
d2=$(cat "$G/functions/sdp.u2/uid")
echo "# default uids: $d1 $d2"
check "uid: each instance has its own default of 16 hex digits" \
	sh -c "echo '$d1' | grep -qx '[0-9A-F]\{16\}' &&
	       echo '$d2' | grep -qx '[0-9A-F]\{16\}' && [ '$d1' != '$d2' ]"
bad=0
for v in 0123 0123456789abcdeg 0x23456789abcdef0 "0123456789abcdef0" \
	 " 123456789abcdef" ""; do
	echo "$v" > "$G/functions/sdp.u1/uid" 2>/dev/null && {
		echo "# '$v' was taken"
		bad=1
	}
done
check "uid: short, long, non-hex, 0x-prefixed and empty values refused" \
	[ $bad = 0 ]
echo 00c0ffee0000abcd > "$G/functions/sdp.u1/uid"
check "uid: lower case taken, read back as upper case" \
	[ "$(cat "$G/functions/sdp.u1/uid")" = 00C0FFEE0000ABCD ]
rmdir "$G/functions/sdp.u1" "$G/functions/sdp.u2" "$G"

# --- 2. untouched boards: HAB state and ID at probe ----------------------------
plug b0 imx6ull dummy_udc.0 open uid=0123456789abcdef && P0=$PORT
plug b1 imx6q dummy_udc.1 closed uid=FEDCBA9876543210 && P1=$PORT
plug b2 imx7ulp dummy_udc.2 open uid=1122334455667788 && P2=$PORT
plug b3 imx7d dummy_udc.3 open && P3=$PORT
U3=$(board_attr b3 uid)
for b in b0 b1 b2 b3; do
	echo "# $b: log: $(sed 's/^[0-9]* //' "$DBG/$b/log" | tr '\n' ';')"
done
check "sysfs hab of untouched boards: open, closed, open, open" \
	sh -c "[ \"\$(cat $(node_dir "$P0")/hab)\" = open ] &&
	       [ \"\$(cat $(node_dir "$P1")/hab)\" = closed ] &&
	       [ \"\$(cat $(node_dir "$P2")/hab)\" = open ] &&
	       [ \"\$(cat $(node_dir "$P3")/hab)\" = open ]"
check "sysfs uid: as configured (imx6ull, imx6q, imx7ulp, imx7d default)" \
	sh -c "[ \"\$(cat $(node_dir "$P0")/uid)\" = 0123456789ABCDEF ] &&
	       [ \"\$(cat $(node_dir "$P1")/uid)\" = FEDCBA9876543210 ] &&
	       [ \"\$(cat $(node_dir "$P2")/uid)\" = 1122334455667788 ] &&
	       [ \"\$(cat $(node_dir "$P3")/uid)\" = '$U3' ]"
check "i.MX6: read at the OCOTP shadows 0x021bc420 (high) and 0x021bc410" \
	[ "$(log_reads b0)" = "0x021bc420 0x021bc410 " ]
check "i.MX7D: read at 0x30350420 and 0x30350410" \
	[ "$(log_reads b3)" = "0x30350420 0x30350410 " ]
check "i.MX7ULP: four 16-bit words from 0x410a64e0 down to 0x410a64b0" \
	[ "$(log_reads b2)" = "0x410a64e0 0x410a64d0 0x410a64c0 0x410a64b0 " ]
check "probe wrote nothing and jumped nowhere (boards untouched)" \
	sh -c "for b in b0 b1 b2 b3; do
		[ \"\$(sed -n 's/^bytes_written //p' $CFS/\$b/functions/sdp.\$b/stats)\" = 0 ] &&
		[ \"\$(sed -n 's/^jumps //p' $CFS/\$b/functions/sdp.\$b/stats)\" = 0 ] &&
		[ \"\$(cat $CFS/\$b/functions/sdp.\$b/state)\" = idle ] || exit 1
	       done"
check "sysfs progress is about transfers: 0 0 after the probe" \
	[ "$(sysattr "$P0" progress)" = "0 0" ]
check "uid cannot change while the board is powered (EBUSY)" \
	sh -c "! echo 1111111111111111 > $CFS/b0/functions/sdp.b0/uid 2>/dev/null &&
	       [ \"\$(cat $CFS/b0/functions/sdp.b0/uid)\" = 0123456789ABCDEF ]"

# --- 3. imx-sdp --------------------------------------------------------------
$IMX_SDP list > "$W/list" 2>&1
sed 's/^/# /' "$W/list"
check "imx-sdp list: a UID column with each board's ID and HAB state" \
	sh -c "head -n1 $W/list | grep -q 'HAB  *UID  *STATE' &&
	       grep -q ' imx6ull  *open  *0123456789ABCDEF  *idle  *$P0 ' $W/list &&
	       grep -q ' imx6q  *closed  *FEDCBA9876543210  *idle  *$P1 ' $W/list &&
	       grep -q ' imx7ulp  *open  *1122334455667788  *idle  *$P2 ' $W/list &&
	       grep -q ' imx7d  *open  *$U3  *idle  *$P3 ' $W/list"
n0=$(stat_of b0 commands)
out=$($IMX_SDP --port "$P0" uid 2>&1)
rc=$?
echo "# imx-sdp uid: $out ($rc)"
check "imx-sdp uid (imx6ull): the ID read again from the board, 16 digits" \
	sh -c "[ $rc = 0 ] && [ '$out' = 0123456789ABCDEF ] &&
	       [ \$(sed -n 's/^commands //p' $CFS/b0/functions/sdp.b0/stats) -gt $n0 ]"
check "imx-sdp uid (imx7ulp, 16-bit words)" \
	[ "$($IMX_SDP --port "$P2" uid 2>&1)" = 1122334455667788 ]
check "imx-sdp uid (closed board: reads are not refused)" \
	[ "$($IMX_SDP --port "$P1" uid 2>&1)" = FEDCBA9876543210 ]
$IMX_SDP --port "$P1" status > "$W/status" 2>&1
sed 's/^/# /' "$W/status"
check "imx-sdp status: uid and HAB closed" \
	sh -c "grep -q '^uid: *FEDCBA9876543210\$' $W/status &&
	       grep -q '^hab: *closed' $W/status"

# --- 4. a board that never answers ---------------------------------------------
# the ROM's report descriptor, as usb_f_sdp serves it
for desc in /sys/bus/usb/devices/"$P3":1.0/0003:*/report_descriptor; do
	cp "$desc" "$W/sdp.desc"
	break
done
board_destroy b3
H=$CFS/mute
mkdir -p "$H/strings/0x409" "$H/configs/c.1" "$H/functions/hid.mute"
echo 0x15a2 > "$H/idVendor"		# the i.MX6Q ROM's ID
echo 0x0054 > "$H/idProduct"
echo mute > "$H/strings/0x409/serialnumber"
echo 0 > "$H/functions/hid.mute/protocol"
echo 0 > "$H/functions/hid.mute/subclass"
echo 64 > "$H/functions/hid.mute/report_length"
cat "$W/sdp.desc" > "$H/functions/hid.mute/report_desc"
ln -s "$H/functions/hid.mute" "$H/configs/c.1/"
t0=$(date +%s)
echo dummy_udc.3 > "$H/UDC"
PM=$(udc_port dummy_udc.3)
wait_node "$PM"
t1=$(date +%s)
echo "# mute board on $PM: node after $((t1 - t0)) s; last_error: $(sysattr "$PM" last_error)"
check "a board that does not answer still gets its node (identify_ms $(cat /sys/module/hid_imx_sdp/parameters/identify_ms))" \
	sh -c "[ -c /dev/$(basename "$(node_dir "$PM")") ] && [ $((t1 - t0)) -le 8 ]"
check "... with hab and uid unknown" \
	sh -c "[ \"\$(cat $(node_dir "$PM")/hab)\" = unknown ] &&
	       [ \"\$(cat $(node_dir "$PM")/uid)\" = unknown ]"
check "... and last_error naming ERROR_STATUS" \
	sh -c "grep -q ERROR_STATUS $(node_dir "$PM")/last_error"
$IMX_SDP list > "$W/list2" 2>&1
sed 's/^/# /' "$W/list2"
check "imx-sdp list shows it as unknown" \
	grep -q " imx6q  *unknown  *unknown  *idle  *$PM " "$W/list2"
$IMX_SDP -t 300 --port "$PM" uid > "$W/uid-mute" 2>&1
rc=$?
sed 's/^/# /' "$W/uid-mute"
check "imx-sdp uid on it fails (exit $rc), naming the command" \
	sh -c "[ $rc != 0 ] && grep -q ERROR_STATUS $W/uid-mute"
echo "" > "$H/UDC"
rm -f "$H/configs/c.1/hid.mute"
rmdir "$H/functions/hid.mute" "$H/configs/c.1" "$H/strings/0x409" "$H"

# --- 5. identification off ---------------------------------------------------
echo 0 > /sys/module/hid_imx_sdp/parameters/identify_ms
plug b3 imx6ull dummy_udc.3 closed uid=AAAAAAAAAAAAAAAA && P3=$PORT
check "identify_ms=0: no command at probe, hab and uid unknown" \
	sh -c "[ \"\$(sed -n 's/^commands //p' $CFS/b3/functions/sdp.b3/stats)\" = 0 ] &&
	       [ \"\$(cat $(node_dir "$P3")/hab)\" = unknown ] &&
	       [ \"\$(cat $(node_dir "$P3")/uid)\" = unknown ]"
check "... and imx-sdp uid still reads it" \
	[ "$($IMX_SDP --port "$P3" uid 2>&1)" = AAAAAAAAAAAAAAAA ]
echo 1000 > /sys/module/hid_imx_sdp/parameters/identify_ms

for b in b0 b1 b2 b3; do board_destroy $b; done
rm -rf "$W"
tap_done
