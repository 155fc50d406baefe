#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# imx-factory end to end, inside the test VM, on emulated boards
# (board_sim.sh: usb_f_sdp as the ROM, then usb_f_fastboot on the same
# UDC, eMMC = a sparse file):
#  1. the demo flow on four boards (i.MX6ULL and 6Q) in parallel: every
#     eMMC proven (MBR, u-boot.imx at 0x400, zeroed env, erased misc,
#     ext4 rootfs byte-identical, e2fsck -n clean, files as built), each
#     board followed to its own fastboot device on the same port;
#  2. boards failing mid-way - the ROM refuses the JUMP (HAB closed), a
#     flash fails (image bigger than the partition) - are reported with
#     the stage while the others finish; exit status 1;
#  3. a board unplugged during a fastboot download: UNPLUGGED, no hang,
#     the other board finishes; Ctrl-C during a download: ABORTED, 130;
#  4. a board whose bootloader never enumerates: the stage's timeout is
#     named with the port;
#  5. daemon mode: boards that appear later are flashed, a board refused
#     by its ROM is not retried while it stays, SIGTERM ends it with the
#     table;
#  6. -b, --port, the wait limit, a bad manifest touches no board.
#
# FACTORY_FLOW_ONLY=N (2..4): only part 1, on N boards (the arm64 station
# VM under TCG, where the whole file takes too long).

. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/board_sim.sh"

FACTORY=$BIN/userspace/imx-factory
IMG=/tmp/images
W=/tmp/factory
mkdir -p "$W"

nb=${FACTORY_FLOW_ONLY:-4}
case $nb in 2|3|4) ;; *) echo "Bail out! FACTORY_FLOW_ONLY=$nb: want 2, 3 or 4"; exit 1 ;; esac
boards=$(echo b0 b1 b2 b3 | cut -d' ' -f1-$nb)

sim_modules 4 || { echo "Bail out! modules"; exit 1; }
sim_make_images "$IMG" imx6ull || { echo "Bail out! images"; exit 1; }

if [ -n "${FACTORY_FLOW_ONLY:-}" ]; then tap_plan $((6 + 2 * nb)); else tap_plan 46; fi

# rep REPORT PORT: that board's line of the report
rep() { grep "^board=[0-9]* port=$2 " "$1"; }
# fld LINE KEY: a field of a report line (quotes removed)
fld() {
	echo "$1" | sed -n -e "s/.* $2=\"\([^\"]*\)\".*/\1/p" \
		-e "t" -e "s/.* $2=\([^ ]*\).*/\1/p"
}
# result REPORT BOARD: "result stage" of a simulated board
result() {
	local l
	l=$(rep "$1" "$(sim_port "$2")")
	echo "$(fld "$l" result) $(fld "$l" stage)"
}
show() { sed 's/^/# /' "$@"; }
# logf DIR NAME: the board's log in DIR, named after its unique ID
logf() { echo "$1/uid-$(board_attr "$2" uid).log"; }
# untouched NAME: the ROM wrote nothing and jumped nowhere (hid-imx-sdp's
# probe reads the HAB state and the unique ID, which changes nothing)
untouched() {
	grep -q '^bytes_written 0$' "$CFS/$1/functions/sdp.$1/stats" &&
		grep -q '^jumps 0$' "$CFS/$1/functions/sdp.$1/stats"
}
# ev 'CODE': check's command for compound conditions, evaluated here so
# that the helpers of this file and board_sim.sh are there
ev() { eval "$1"; }

# factory NAME ARGS...: run imx-factory (logs, report, output under $W/NAME)
factory() {
	local n=$1
	shift
	rm -rf "${W:?}/$n" && mkdir -p "$W/$n"
	(cd "$W/$n" && timeout 240 "$FACTORY" -l logs -r report --progress lines \
		"$@" > out 2>&1)
	echo $? > "$W/$n/rc"
}
rc_of() { cat "$W/$1/rc"; }
# fb_dl_bytes NAME: what the board's fastboot function has downloaded
fb_dl_bytes() {
	local b
	b=$(sed -n 's/^download_bytes //p' "$CFS/$1/functions/fastboot.$1/stats" 2>/dev/null)
	echo "${b:-0}"
}

fresh() {
	sim_destroy_all
	sim_watch_start
}

# --- 1. the whole flow, four boards ------------------------------------------
fresh
for b in $boards; do
	i=${b#b}
	sim_plug $b dummy_udc.$i "$([ $((i % 2)) = 0 ] && echo imx6ull || echo imx6q)"
done
factory all -n $nb -w 30 -m "$IMG/flash.manifest" -d "$IMG"
[ "$(rc_of all)" = 0 ] || show "$W/all/out"
check "$nb boards: imx-factory exit 0" [ "$(rc_of all)" = 0 ]
check "$nb boards: the table has $nb boards, all ok" \
	ev "grep -q '^imx-factory: $nb boards, $nb ok, 0 failed' $W/all/out &&
	       [ \$(grep -cE '^[1-$nb] +[0-9]+-1 .* done .* ok\$' $W/all/out) = $nb ]"
check "$nb boards: a progress line for every step of every board" \
	ev "for n in \$(seq $nb); do for s in 'sdp boot' 'flash mbr' 'flash 0x400' 'flash env' \
		'flash rootfs' 'erase misc' 'reboot'; do
		grep -q \"^board \$n .* \$s\" $W/all/out || { echo \"# board \$n: no line for \$s\"; return 1; }
		done; done"
for b in $boards; do
	p=$(sim_port $b)
	l=$(rep "$W/all/report" "$p")
	check "$b (port $p): ok, stage done, followed to its own fastboot device (serial IMXSIM-$b)" \
		[ "$(fld "$l" result) $(fld "$l" stage) $(fld "$l" serial)" = "ok done IMXSIM-$b" ]
	if ! sim_check_board $b "$IMG" > "$W/all/check-$b" 2>&1; then
		show "$W/all/check-$b"
		not_ok "$b: eMMC: MBR, u-boot.imx at 0x400, env zeroed, misc erased, rootfs proven"
	else
		ok "$b: eMMC: MBR, u-boot.imx at 0x400, env zeroed, misc erased, rootfs proven"
	fi
done
check "$nb boards: fastboot reboot took every board off the bus" \
	ev "for b in $boards; do sim_wait_state \$b rebooted 5 || return 1; done"
check "$nb boards: per-board logs with the ROM's and the device's story" \
	ev "for b in b0 ${boards##* }; do l=\$(logf $W/all/logs \$b)
		grep -q 'JUMP_ADDRESS 0x.*: ok' \$l &&
		grep -q 'fastboot: flash rootfs: ok' \$l &&
		grep -q 'result: ok' \$l || return 1; done"
check "$nb boards: report has per-stage times" \
	ev "l=\$(head -n1 $W/all/report); for k in sdp_ms enum_ms fastboot_ms step5_ms; do
		echo \"\$l\" | grep -q \" \$k=[1-9]\" || return 1; done
		echo \"\$l\" | grep -q \" jump_ms=[0-9]\" || return 1
		j=\$(echo \"\$l\" | sed -n 's/.* jump_ms=\\([0-9]*\\).*/\\1/p')
		s=\$(echo \"\$l\" | sed -n 's/.* sdp_ms=\\([0-9]*\\).*/\\1/p')
		[ \"\$j\" -le \"\$s\" ]"
if [ -n "${FACTORY_FLOW_ONLY:-}" ]; then
	sim_destroy_all
	rm -rf "$W"
	tap_done
	exit
fi

# --- 2. failures mid-way -----------------------------------------------------
fresh
sim_plug b0 dummy_udc.0 imx6ull
sim_plug b1 dummy_udc.1 imx6ull hab=closed
sim_plug b2 dummy_udc.2 imx6ull rootfs_size=$((4 << 20))
sim_plug b3 dummy_udc.3 imx6q
factory fail -n 4 -w 30 -m "$IMG/flash.manifest" -d "$IMG"
show "$W/fail/out"
check "failures: exit status 1" [ "$(rc_of fail)" = 1 ]
check "failures: HAB closed board failed at sdp boot" \
	[ "$(result "$W/fail/report" b1)" = "FAILED sdp boot" ]
check "failures: ... the reason is the ROM's HAB event (invalid CSF)" \
	ev "rep $W/fail/report $(sim_port b1) | grep -q 'reason=\"sdp boot: JUMP_ADDRESS 0x[0-9a-f]*: ROM refused the image: HAB event 33 11 0a 00'"
check "failures: ... and it stayed in its ROM" [ "$(sim_state b1)" = sdp ]
check "failures: image bigger than its partition failed at flash rootfs" \
	[ "$(result "$W/fail/report" b2)" = "FAILED flash rootfs" ]
check "failures: ... the reason names the step and the size problem" \
	ev "rep $W/fail/report $(sim_port b2) | grep -q 'reason=\"flash rootfs: .*\(holds\|large\|big\|exceed\)'"
check "failures: ... the steps before it were done (u-boot.imx at 0x400)" \
	sim_check_at b2 $SIM_UBOOT_OFF "$IMG/u-boot.imx"
check "failures: ... nothing past its 4 MiB rootfs partition was written" \
	ev "dd if=$(sim_emmc b2) bs=65536 skip=$(((SIM_ROOT_OFF + (16 << 20)) / 65536)) count=16 2>/dev/null |
	       cmp -s - $SIM/.pattern"
check "failures: the other boards finished and are proven" \
	ev "sim_check_board b0 $IMG >/dev/null && sim_check_board b3 $IMG >/dev/null &&
	       [ \"\$(result $W/fail/report b0)\" = 'ok done' ] &&
	       [ \"\$(result $W/fail/report b3)\" = 'ok done' ]"
check "failures: the table shows each board's stage and result" \
	ev "grep -q '^imx-factory: 4 boards, 2 ok, 2 failed' $W/fail/out &&
	       grep -qE '^[0-9]+ +$(sim_port b1) .* sdp boot .* FAILED: sdp boot: JUMP_ADDRESS' $W/fail/out &&
	       grep -qE '^[0-9]+ +$(sim_port b2) .* flash rootfs .* FAILED: flash rootfs' $W/fail/out"

# --- 3. unplugged during fastboot -------------------------------------------
# A raw image larger than max-download-size goes in several pieces; the
# cable is pulled once 16 MiB have been downloaded.
# (80 copies of 1 MiB of random bytes: raw data for the splitter, cheap
# to make under TCG)
head -c $((1 << 20)) /dev/urandom > "$W/r1m"
i=0
while [ $i -lt 80 ]; do cat "$W/r1m"; i=$((i + 1)); done > "$W/big.img"
rm -f "$W/r1m"
cat > "$W/big.manifest" <<EOF
sdp boot $IMG/u-boot.imx
fastboot flash rootfs $W/big.img
fastboot reboot
EOF
fresh
sim_plug b0 dummy_udc.0 imx6ull unplug_after=$((16 << 20))
sim_plug b1 dummy_udc.1 imx6ull
factory unplug -n 2 -w 30 -m "$W/big.manifest"
show "$W/unplug/out"
check "unplug: imx-factory ended, exit status 1" [ "$(rc_of unplug)" = 1 ]
check "unplug: the board was pulled while fastboot was busy" \
	[ "$(sim_state b0)" = unplugged ]
check "unplug: reported UNPLUGGED at flash rootfs" \
	[ "$(result "$W/unplug/report" b0)" = "UNPLUGGED flash rootfs" ]
check "unplug: the other board finished, its rootfs is the image" \
	ev "[ \"\$(result $W/unplug/report b1)\" = 'ok done' ] &&
	       sim_check_at b1 $SIM_ROOT_OFF $W/big.img"

# --- 3b. Ctrl-C during a fastboot download ------------------------------------
fresh
sim_plug b0 dummy_udc.0 imx6ull
rm -rf "$W/intr" && mkdir -p "$W/intr"
(cd "$W/intr" && exec "$FACTORY" -n 1 -w 30 -l logs -r report --progress lines \
	-m "$W/big.manifest" > out 2>&1) &
fpid=$!
i=0
while [ $i -lt 600 ] && [ "$(fb_dl_bytes b0)" -lt $((16 << 20)) ]; do
	usleep 50000
	i=$((i + 1))
done
kill -INT $fpid
read -r t0 _ < /proc/uptime
i=0
while [ $i -lt 200 ] && kill -0 $fpid 2>/dev/null; do usleep 50000; i=$((i + 1)); done
read -r t1 _ < /proc/uptime
check "Ctrl-C: imx-factory ended within 10 s of the signal" \
	ev "! kill -0 $fpid 2>/dev/null"
wait $fpid
irc=$?
show "$W/intr/out"
diag "ended $(echo "$t0 $t1" | awk '{printf "%.1f", $2 - $1}') s after SIGINT"
check "Ctrl-C: exit status 130" [ "$irc" = 130 ]
check "Ctrl-C: the board is ABORTED at flash rootfs" \
	[ "$(result "$W/intr/report" b0)" = "ABORTED flash rootfs" ]
rm -f "$W/big.img"

# --- 4. the bootloader never comes back --------------------------------------
fresh
sim_plug b0 dummy_udc.0 imx6ull fastboot=0
factory enum -n 1 -w 30 -e 3 -m "$IMG/flash.manifest" -d "$IMG"
show "$W/enum/out"
check "no fastboot device: exit status 1" [ "$(rc_of enum)" = 1 ]
check "no fastboot device: TIMEOUT at the fastboot wait, port and limit named" \
	ev "l=\$(rep $W/enum/report $(sim_port b0)); [ \"\$(fld \"\$l\" result) \$(fld \"\$l\" stage)\" = 'TIMEOUT fastboot wait' ] &&
	       [ \"\$(fld \"\$l\" reason)\" = 'no fastboot device on port $(sim_port b0) after 3 s' ]"

# --- 5. daemon mode ----------------------------------------------------------
fresh
rm -rf "$W/daemon" && mkdir -p "$W/daemon"
(cd "$W/daemon" && exec "$FACTORY" --daemon -l logs -r report --progress lines \
	-m "$IMG/flash.manifest" -d "$IMG" > out 2>&1) &
dpid=$!
sim_plug b0 dummy_udc.0 imx6ull
check "daemon: takes the first board" sim_wait_state b0 rebooted 60
sleep 1
sim_plug b1 dummy_udc.1 imx6q
check "daemon: takes a board that appears later" sim_wait_state b1 rebooted 60
sim_plug b2 dummy_udc.2 imx6ull hab=closed
i=0
while [ $i -lt 100 ] && ! grep -qs 'result: FAILED' "$(logf "$W/daemon/logs" b2)"; do
	usleep 100000
	i=$((i + 1))
done
sleep 2
check "daemon: a board its ROM refused is not retried while it stays" \
	[ "$(grep -c '=== imx-factory: board' "$(logf "$W/daemon/logs" b2)")" = 1 ]
check "daemon: still running" kill -0 $dpid
kill -TERM $dpid
i=0
while [ $i -lt 100 ] && kill -0 $dpid 2>/dev/null; do usleep 100000; i=$((i + 1)); done
check "daemon: SIGTERM ends it" ev "! kill -0 $dpid 2>/dev/null"
wait $dpid
drc=$?
show "$W/daemon/out"
check "daemon: exit status 1 (one board failed)" [ "$drc" = 1 ]
check "daemon: table of the 3 boards" \
	ev "grep -q '^imx-factory: 3 boards, 2 ok, 1 failed' $W/daemon/out"
check "daemon: both flashed boards proven" \
	ev "sim_check_board b0 $IMG >/dev/null && sim_check_board b1 $IMG >/dev/null"

# --- 6. -b, --port, the wait limit, a bad manifest ---------------------------
fresh
sim_plug b0 dummy_udc.0 imx6ull
sim_plug b1 dummy_udc.1 imx6ull
factory port -b --port "$(sim_port b1)" -w 30 -m "$IMG/flash.manifest" -d "$IMG"
show "$W/port/out"
check "-b --port: exit 0, only that board, stage booted" \
	ev "[ $(rc_of port) = 0 ] && [ \"\$(result $W/port/report b1)\" = 'ok booted' ] &&
	       [ \$(wc -l < $W/port/report) = 1 ]"
check "-b --port: that board is in its bootloader, the other untouched" \
	ev "sim_wait_state b1 fastboot 5 && [ \$(sim_state b0) = sdp ] &&
	       untouched b0"
p3=$(sim_udc_port dummy_udc.3)
factory wait -b -n 2 -w 3 --port "$(sim_port b0)" --port "$p3" \
	-m "$IMG/flash.manifest" -d "$IMG"
show "$W/wait/out"
check "wait limit: the board that came is booted, exit 1, missing port named" \
	ev "[ $(rc_of wait) = 1 ] && grep -q 'only 1 of 2 boards appeared within 3 s' $W/wait/out &&
	       grep -q 'no board came on port $p3\$' $W/wait/out &&
	       [ \"\$(result $W/wait/report b0)\" = 'ok booted' ]"
sim_plug b2 dummy_udc.2 imx6ull
printf 'sdp boot u-boot.imx\nfastboot flash rootfs missing.img\n' > "$W/bad.manifest"
factory bad -n 1 -m "$W/bad.manifest" -d "$IMG"
show "$W/bad/out"
check "bad manifest: exit 2, the line and the file named" \
	ev "[ $(rc_of bad) = 2 ] && grep -q '$W/bad.manifest:2: $IMG/missing.img: No such file or directory' $W/bad/out"
check "bad manifest: the board was not touched" \
	ev "[ \$(sim_state b2) = sdp ] && untouched b2"

sim_destroy_all
rm -rf "$W"
tap_done
