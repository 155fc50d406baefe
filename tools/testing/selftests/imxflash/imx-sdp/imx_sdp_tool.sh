#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# hid-imx-sdp + imx-sdp end to end, inside the test VM, against usb_f_sdp:
#  - imx-sdp boot of generated images for every SoC profile, memory and
#    DCD effects verified through the emulator's debugfs;
#  - wire-level cross-check: imx_usb and imx-sdp boot the same image into
#    the same ROM and leave the same commands, memory and jump;
#  - HAB closed + unsigned image: a failure that names the HAB event;
#  - four boards at once, booted in parallel, selected by port;
#  - the driver loaded after the board was plugged displaces hid-generic.

. "$(dirname "$0")/../lib/lib.sh"

IMX_SDP=$BIN/userspace/imx-sdp
MKIMX=$BIN/tools/mkimx
MEMCHECK=$BIN/tests/sdp_memcheck
W=/tmp/host
mkdir -p "$W"

imxf_modules 4 || { echo "Bail out! modules"; exit 1; }
[ -d /sys/module/hid_imx_sdp ] || imxf-insmod "$IMXF_MODDIR/hid-imx-sdp.ko" ||
	{ echo "Bail out! hid-imx-sdp"; exit 1; }

# IMXF_SDP_SOCS: fewer profiles where the VM is slow (the sabrelite board
# under TCG); the sections after the first take the same time anyway.
SOCS=${IMXF_SDP_SOCS:-imx6q imx6dl imx6sl imx6sx imx6ul imx6ull imx6sll imx7d imx7ulp imx8mq imx8mm}
tap_plan $((2 * $(echo $SOCS | wc -w) + 17))

# wait_node PORT: until imx-sdp lists a board on PORT
wait_node() {
	local i=0
	while [ $i -lt 200 ]; do
		grep -qs "^$1\$" /sys/class/imx_sdp/*/port && return 0
		usleep 50000
		i=$((i + 1))
	done
	echo "# no /dev/imx-sdpN on port $1" >&2
	return 1
}

# plug NAME SOC UDC [HAB]: a board, and its port in $PORT
plug() {
	board_destroy "$1"
	board_setup "$1" "$2" "$3" "${4:-open}" || return
	set -- "$1" "$2" "$3" $(soc_vidpid "$2")
	wait_usb "$4" "$5" present 10 || return
	PORT=$(port_of "$4" "$5") && wait_node "$PORT"
}

# 1. every profile: boot + verify
for soc in $SOCS; do
	img=$W/$soc.imx man=$W/$soc.txt
	$MKIMX --soc $soc --size 200K --seed 5 -o "$img" --manifest "$man"
	ivt=zero	# as imx_usb: the copy sent has IVT.dcd cleared
	plug b0 $soc dummy_udc.0 &&
		$IMX_SDP -q --port "$PORT" boot --verify "$img" > "$W/$soc.log" 2>&1
	rc=$?
	[ $rc -eq 0 ] || sed 's/^/# /' "$W/$soc.log"
	check "imx-sdp boot $soc: memory, DCD registers and IVT.dcd ($ivt) as loaded" \
		sh -c "[ $rc -eq 0 ] && $MEMCHECK b0 $img $man --ivt-dcd $ivt >/dev/null"
	check "imx-sdp boot $soc: jumped to $(manifest_get "$man" jump_addr), board left the bus" \
		sh -c "[ \"\$(cat $CFS/b0/functions/sdp.b0/state)\" = booted ] || sleep 1; \
		       [ \"\$(cat $CFS/b0/functions/sdp.b0/state)\" = booted ] && \
		       [ \"\$(cat $CFS/b0/functions/sdp.b0/jump_addr)\" = $(manifest_get "$man" jump_addr) ]"
done

# 2. cross-check with imx_usb on the same image: same commands that touch
# memory, same memory, same jump. The image is 0x4b07b bytes, a multiple
# of neither 1 KiB nor 64 bytes: imx_usb pads its last report, imx-sdp
# sends it short, and the image's range must come out the same.
cmds() {
	grep -E 'DCD_WRITE|WRITE_FILE|WRITE_REGISTER|SKIP_DCD|JUMP' "$DBG/b0/log" |
		cut -d' ' -f2- | sed 's/ status=.*//'
}
for soc in imx6q imx6ull; do
	img=$W/x-$soc.imx man=$W/x-$soc.txt
	$MKIMX --soc $soc --size 304251 --seed 11 -o "$img" --manifest "$man"
	start=$(manifest_get "$man" self)
	len=$(manifest_get "$man" load_len)
	plug b0 $soc dummy_udc.0
	timeout 60 hostrun imx_usb -c /usr/share/imx-usb-loader/imx-loader.d "$img" > "$W/x-iul.log" 2>&1
	wait_attr b0 state booted 10
	cmds > "$W/x-$soc.iul.cmds"
	mem_dump b0 "$start" "$len" "$W/x-$soc.iul.mem"
	dcdl=$(manifest_get "$man" dcd_len)
	dcda=$(manifest_get "$man" soc_dcd_addr)
	# Only the DCD itself: imx_usb pads its report with stale stack bytes.
	mem_dump b0 "$dcda" "$dcdl" "$W/x-$soc.iul.ocram"
	plug b0 $soc dummy_udc.0
	$IMX_SDP -q --port "$PORT" boot "$img" > "$W/x-sdp.log" 2>&1
	wait_attr b0 state booted 10
	cmds > "$W/x-$soc.sdp.cmds"
	mem_dump b0 "$start" "$len" "$W/x-$soc.sdp.mem"
	mem_dump b0 "$dcda" "$dcdl" "$W/x-$soc.sdp.ocram"
	if [ $soc = imx6q ]; then
		check "cross-check $soc: imx-sdp sends the same memory commands and jump as imx_usb" \
			cmp "$W/x-$soc.iul.cmds" "$W/x-$soc.sdp.cmds"
	else
		# 6ULL: imx-sdp also sends SKIP_DCD_HEADER (the ROM's rule);
		# imx_usb only clears IVT.dcd, which imx-sdp does as well.
		check "cross-check $soc: same commands as imx_usb plus SKIP_DCD_HEADER" \
			sh -c "grep -v SKIP_DCD $W/x-$soc.sdp.cmds | cmp - $W/x-$soc.iul.cmds"
	fi
	[ -s "$W/x-$soc.iul.cmds" ] && sed 's/^/#   /' "$W/x-$soc.iul.cmds"
	check "cross-check $soc: the loaded image is byte-identical" \
		cmp "$W/x-$soc.iul.mem" "$W/x-$soc.sdp.mem"
	check "cross-check $soc: the DCD in the scratch area is identical" \
		cmp "$W/x-$soc.iul.ocram" "$W/x-$soc.sdp.ocram"
done

# 3. HAB closed, unsigned image
plug b0 imx6q dummy_udc.0 closed
$IMX_SDP --port "$PORT" boot "$W/imx6q.imx" > "$W/closed.log" 2>&1
rc=$?
sed 's/^/# /' "$W/closed.log"
check "HAB closed, unsigned image: imx-sdp fails (exit $rc)" [ $rc -ne 0 ]
check "HAB closed, unsigned image: the message names the HAB event 33 11 0a 00" \
	grep -qi "33 11 0a 00" "$W/closed.log"
check "HAB closed: the board stays in SDP" \
	sh -c "[ \"\$(cat $CFS/b0/functions/sdp.b0/state)\" = idle ]"
board_destroy b0

# 4. four boards at once, in parallel, by port
i=0
pids=""
for soc in imx6q imx6ull imx7d imx6sx; do
	$MKIMX --soc $soc --size 1M --seed $i -o "$W/p$i.imx" --manifest "$W/p$i.txt"
	plug p$i $soc dummy_udc.$i || echo "# plug p$i failed"
	eval "port$i=$PORT"
	i=$((i + 1))
done
check "imx-sdp list shows the four boards" \
	sh -c "[ \$($IMX_SDP list | grep -c imx-sdp) -ge 4 ]"
i=0
for soc in imx6q imx6ull imx7d imx6sx; do
	eval "p=\$port$i"
	$IMX_SDP -q --port "$p" boot "$W/p$i.imx" > "$W/p$i.log" 2>&1 &
	pids="$pids $!"
	i=$((i + 1))
done
fails=0
for p in $pids; do wait $p || fails=$((fails + 1)); done
check "four parallel imx-sdp boots succeed" [ $fails -eq 0 ]
i=0
for soc in imx6q imx6ull imx7d imx6sx; do
	ivt=zero
	check "parallel board $i ($soc): memory verified, booted" \
		sh -c "$MEMCHECK p$i $W/p$i.imx $W/p$i.txt --ivt-dcd $ivt >/dev/null && \
		       [ \"\$(cat $CFS/p$i/functions/sdp.p$i/state)\" = booted ]"
	board_destroy p$i
	i=$((i + 1))
done

# 5. the driver loaded after the board was plugged in takes it over
rmmod hid_imx_sdp
board_setup b0 imx6ull dummy_udc.0 open
wait_usb 0x15a2 0x0080 present 10
i=0
while [ $i -lt 100 ] && ! ls -d /sys/bus/hid/drivers/hid-generic/*:15A2:0080.* >/dev/null 2>&1; do
	usleep 50000; i=$((i + 1))
done
check "without hid-imx-sdp, hid-generic drives the ROM" \
	sh -c "ls -d /sys/bus/hid/drivers/hid-generic/*:15A2:0080.* >/dev/null 2>&1"
imxf-insmod "$IMXF_MODDIR/hid-imx-sdp.ko"
check "hid-imx-sdp loaded later displaces hid-generic: /dev/imx-sdpN appears" \
	wait_node "$(port_of 0x15a2 0x0080)"
board_destroy b0

tap_done
