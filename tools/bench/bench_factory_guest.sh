#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench, factory section (guest side, run by bench_guest.sh): the
# whole factory flow end to end on 1 and on 4 emulated boards at once
# (board_sim.sh), done by
#   ours:  imx-factory (hid-imx-sdp + fb-host over usbfs), one command;
#   peers: per board, in parallel, what a factory script does with the
#          stock tools: imx_usb -b BUS -D DEV u-boot.imx, then Debian's
#          fastboot -s usb:PORT for each step (it waits for the device
#          itself), run through hostrun;
# on the same boards, the same images and manifest steps (sdp boot, flash
# mbr, 0x400 u-boot.imx, env, a 64 MiB ext4 rootfs, erase misc, reboot).
# Every board is proven after each run (a wrong flash makes it "failed").
# Runs: IMXF_BENCH_FACTORY_RUNS, else IMXF_BENCH_RUNS, else 3.
# Printed: wall time per run (median of RUNS), the ratio, and the
# per-stage breakdown (board 1's times, median), then the floor of this
# run and imx-factory's times as ratios to it (see floor() below).

. "$(dirname "$0")/../testing/selftests/imxflash/lib/lib.sh"
. "$(dirname "$0")/../testing/selftests/imxflash/lib/board_sim.sh"

RUNS=${IMXF_BENCH_FACTORY_RUNS:-${IMXF_BENCH_RUNS:-3}}
OUT=/out/bench.txt
FACTORY=$BIN/userspace/imx-factory
IMG=/tmp/bench-images
W=/tmp/bench-factory
IMXCONF=/usr/share/imx-usb-loader/imx-loader.d
STAGES="sdp enum mbr uboot env rootfs misc reboot"
# measured by imx-factory only: the part of sdp after JUMP_ADDRESS
EXTRA="jump"

say() { echo "$*" | tee -a "$OUT"; }
# ms since boot, 10 ms resolution, without a fork
ms() {
	local up _
	read -r up _ < /proc/uptime
	# "1${frac}": no leading zero, which sh would read as octal
	echo $((${up%.*} * 1000 + 1${up#*.} * 10 - 1000))
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'; }

# Four UDCs: the earlier sections load dummy_hcd with one.
udcs() { ls /sys/class/udc 2>/dev/null | grep -c '^dummy_udc\.'; }
if [ "$(udcs)" -lt 4 ]; then
	for g in "$CFS"/*/; do
		[ -f "$g/UDC" ] && echo "" > "$g/UDC" 2>/dev/null
	done
	modprobe -r dummy_hcd 2>/dev/null
	modprobe dummy_hcd num=4
	[ "$(udcs)" -ge 4 ] || {
		echo "bench: factory: need 4 dummy_hcd UDCs, have $(udcs) (dummy_hcd still in use?)" >&2
		exit 1
	}
fi
sim_modules 4 || { echo "bench: factory: cannot load modules" >&2; exit 1; }
sim_make_images "$IMG" imx6ull || { echo "bench: factory: no images" >&2; exit 1; }
mkdir -p "$W"

plug() {
	local i=0 t
	sim_destroy_all
	sim_watch_start
	while [ $i -lt "$1" ]; do
		sim_plug b$i dummy_udc.$i imx6ull || return 1
		i=$((i + 1))
	done
	# both tools find the boards on their own; start with them enumerated
	i=0
	while [ $i -lt "$1" ]; do
		t=0
		while [ ! -e "/sys/bus/usb/devices/$(sim_port b$i)/busnum" ]; do
			[ $t -lt 100 ] || return 1
			usleep 100000
			t=$((t + 1))
		done
		i=$((i + 1))
	done
}

# proven N: every board flashed right - each image's bytes where they
# belong (the demo and factory_test.sh add sfdisk, e2fsck and the files)
proven() {
	local i=0
	while [ $i -lt "$1" ]; do
		sim_wait_state b$i rebooted 10 > /dev/null 2>&1 &&
			sim_check_at b$i 0 "$IMG/mbr.img" 2>/dev/null &&
			sim_check_at b$i $SIM_UBOOT_OFF "$IMG/u-boot.imx" 2>/dev/null &&
			sim_check_zero b$i $SIM_ENV_OFF $SIM_ENV_SIZE 2>/dev/null &&
			sim_check_zero b$i $SIM_MISC_OFF $SIM_MISC_SIZE 2>/dev/null &&
			sim_check_at b$i $SIM_ROOT_OFF "$IMG/rootfs.ext4" 2>/dev/null ||
			return 1
		i=$((i + 1))
	done
}

# ours N: one imx-factory run; "wall_ms" then board 1's stage times
ours() {
	local t0 t1 l
	plug "$1" || return 1
	rm -rf "$W/ours" && mkdir -p "$W/ours"
	t0=$(ms)
	(cd "$W/ours" && timeout 300 "$FACTORY" -n "$1" -w 30 -m "$IMG/flash.manifest" \
		-d "$IMG" -l logs -r report --progress none > out 2>&1) || {
		sed 's/^/#   /' "$W/ours/out" >&2; return 1; }
	t1=$(ms)
	proven "$1" || { echo "# ours: a board is not right" >&2; return 1; }
	l=$(grep "^board=1 " "$W/ours/report")
	f() { echo "$l" | sed -n "s/.* $1=\([0-9]*\).*/\1/p"; }
	# manifest steps: 1 sdp, 2 mbr, 3 u-boot, 4 env, 5 rootfs, 6 misc, 7 reboot
	echo "wall=$((t1 - t0)) sdp=$(f sdp_ms) jump=$(f jump_ms) enum=$(f enum_ms) mbr=$(f step2_ms)" \
		"uboot=$(f step3_ms) env=$(f step4_ms) rootfs=$(f step5_ms)" \
		"misc=$(f step6_ms) reboot=$(f step7_ms)"
}

# peer_board NAME: the stock tools on one board; stage times to $W/peer.NAME
peer_board() {
	local n=$1 p bus dev t0 t1 t2 t l="$W/peer.$1.log" r=""
	p=$(sim_port "$n")
	bus=$(cat "/sys/bus/usb/devices/$p/busnum")
	dev=$(cat "/sys/bus/usb/devices/$p/devnum")
	t0=$(ms)
	timeout 120 hostrun imx_usb -c "$IMXCONF" -b "$bus" -D "$dev" "$IMG/u-boot.imx" > "$l" 2>&1 ||
		{ echo "fail=imx_usb" > "$W/peer.$n"; return 1; }
	t1=$(ms)
	# fastboot waits for the device ("< waiting for usb:PORT >")
	timeout 120 hostrun fastboot -s "usb:$p" getvar product >> "$l" 2>&1 ||
		{ echo "fail=getvar" > "$W/peer.$n"; return 1; }
	t2=$(ms)
	r="sdp=$((t1 - t0)) enum=$((t2 - t1))"
	set -- mbr "flash mbr $IMG/mbr.img" uboot "flash 0x400 $IMG/u-boot.imx" \
		env "flash env $IMG/zero.bin" rootfs "flash rootfs $IMG/rootfs.ext4" \
		misc "erase misc" reboot "reboot"
	while [ $# -ge 2 ]; do
		t=$(ms)
		# shellcheck disable=SC2086
		timeout 120 hostrun fastboot -s "usb:$p" $2 >> "$l" 2>&1 ||
			{ echo "fail=$1" > "$W/peer.$n"; return 1; }
		r="$r $1=$(($(ms) - t))"
		shift 2
	done
	echo "$r" > "$W/peer.$n"
}

peers() {
	local t0 t1 i=0 pids=""
	plug "$1" || return 1
	rm -f "$W"/peer.*
	t0=$(ms)
	while [ $i -lt "$1" ]; do
		peer_board b$i &
		pids="$pids $!"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	wait $pids
	t1=$(ms)
	i=0
	while [ $i -lt "$1" ]; do
		grep -q '^sdp=' "$W/peer.b$i" 2>/dev/null || {
			echo "# peers: b$i: $(cat "$W/peer.b$i" 2>/dev/null)" >&2
			tail -n 5 "$W/peer.b$i.log" | sed 's/^/#   /' >&2
			return 1; }
		i=$((i + 1))
	done
	proven "$1" || { echo "# peers: a board is not right" >&2; return 1; }
	echo "wall=$((t1 - t0)) $(cat "$W/peer.b0")"
}

field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# run TOOL N: RUNS runs; the medians as "key=value ..." on stdout
run() {
	local i=0 k r
	rm -f "$W"/m.*
	while [ $i -lt "$RUNS" ]; do
		r=$($1 "$2") || { echo "# $1 on $2 board(s): run $((i + 1)) failed" >&2; return 1; }
		for k in wall $STAGES $EXTRA; do
			field "$r" $k >> "$W/m.$k"
		done
		i=$((i + 1))
	done
	for k in wall $STAGES $EXTRA; do
		printf '%s=%s ' $k "$(median < "$W/m.$k")"
	done
	echo
}

rootfs_mib=$(($(stat -c %s "$IMG/rootfs.ext4") >> 20))
say ""
say "factory flow end to end: sdp boot + flash mbr, 0x400 u-boot.imx, env, ${rootfs_mib} MiB ext4 rootfs + erase misc + reboot,"
say "emulated i.MX6ULL boards (usb_f_sdp -> usb_f_fastboot, max-download-size $SIM_MAXDL), dummy_hcd, $RUNS runs, median"
say "  ours:  imx-factory -n N (hid-imx-sdp + fastboot over usbfs, a process per board)"
say "  peers: imx_usb -b -D + Debian fastboot -s usb:PORT per step, a script per board, boards in parallel"
for n in 1 4; do
	o=$(run ours $n) || o=""
	p=$(run peers $n) || p=""
	eval "o$n=\"$o\"; p$n=\"$p\""
done
sim_destroy_all

{
	printf '%-8s %14s %20s %10s\n' boards "imx-factory ms" "imx_usb+fastboot ms" "ours is"
	for n in 1 4; do
		eval "o=\$o$n; p=\$p$n"
		ow=$(field "$o" wall)
		pw=$(field "$p" wall)
		awk -v n=$n -v o="$ow" -v p="$pw" 'BEGIN {
			printf "%-8s %14s %20s %10s\n", n, o == "" ? "failed" : o,
				p == "" ? "failed" : p,
				(o != "" && p != "" && o > 0) ? sprintf("%.2fx faster", p / o) : "-"
		}'
	done
	echo "per stage, board 1 (ms; 4 boards in parallel in the right columns):"
	printf '  %-22s %8s %8s %8s   %8s %8s %8s\n' stage ours peers ratio "ours/4" "peers/4" ratio
	for k in $STAGES; do
		case $k in
		sdp) name="sdp boot (ROM)" ;;
		enum) name="JUMP -> fastboot device" ;;
		mbr) name="flash mbr" ;;
		uboot) name="flash 0x400 u-boot.imx" ;;
		env) name="flash env" ;;
		rootfs) name="flash rootfs" ;;
		misc) name="erase misc" ;;
		reboot) name="reboot" ;;
		esac
		awk -v s="$name" -v a="$(field "$o1" $k)" -v b="$(field "$p1" $k)" \
		    -v c="$(field "$o4" $k)" -v d="$(field "$p4" $k)" '
		function r(x, y) { return (x != "" && y != "" && x > 0) ? sprintf("%.1fx", y / x) : "-" }
		BEGIN { printf "  %-22s %8s %8s %8s   %8s %8s %8s\n", s, a, b, r(a, b), c, d, r(c, d) }'
	done
} | tee -a "$OUT"

# The floor of this run: what no host tool can go below on this link.
#   sdp:  u-boot.imx at imx-sdp's upload rate of the SDP section;
#   jump + enum: the board's boot, as imx-factory measured it in this
#         run: after JUMP_ADDRESS until the ROM left the bus (jump_ms, part
#         of the sdp stage), then until the fastboot device is on the same
#         port (enum_ms); counted whole, so their ratio is 1 by
#         construction; the ROM's own enumeration is outside the timed run
#         (plug() waits for it). The SDP rate comes from imx-sdp's wall
#         time for 4 MiB, which holds one JUMP wait of its own: that
#         raises this floor by at most jump x 0.5 MiB / 4 MiB (about 1 %);
#   flash steps: every image byte at the highest bulk OUT ceiling of the
#         fastboot section (usbtest/usbfs into f_sourcesink, same link);
#         erase and reboot move no data: floor 0, in the total only.
# The rates come from the sections run before this one in the same VM
# (bench_guest.sh: $FLOOR_SDP, $FLOOR_FB).
floor() {
	# (no local: POSIX sh; the last thing this script does)
	if [ ! -s "${FLOOR_SDP:-}" ] || [ ! -s "${FLOOR_FB:-}" ]; then
		echo "floor: needs the sdp and fastboot sections in the same run (IMXF_BENCH_ONLY='sdp fastboot factory', or all)"
		return
	fi
	read -r sdp_b sdp_ms < "$FLOOR_SDP"
	read -r ceil < "$FLOOR_FB"
	ub=$(stat -c %s "$IMG/u-boot.imx")
	awk -v sb="$sdp_b" -v sm="$sdp_ms" -v ceil="$ceil" -v ub="$ub" \
	    -v mbr="$(stat -c %s "$IMG/mbr.img")" -v env="$(stat -c %s "$IMG/zero.bin")" \
	    -v root="$(stat -c %s "$IMG/rootfs.ext4")" -v o1="$o1" -v o4="$o4" '
	function f(o, k,   n, i, a, kv) {
		n = split(o, a, " ")
		for (i = 1; i <= n; i++) { split(a[i], kv, "="); if (kv[1] == k) return kv[2] }
		return ""
	}
	function row(name, fl, got) {
		printf "  %-24s %9.1f %9s %8s\n", name, fl, got == "" ? "failed" : got,
			(got != "" && fl > 0) ? sprintf("%.2fx", got / fl) : "-"
	}
	BEGIN {
		if (sm <= 0 || ceil <= 0) { print "floor: the sdp or fastboot section measured no rate"; exit }
		rate = sb / sm; bpms = ceil * 1000
		printf "floor of this run (board 1): ROM upload of u-boot.imx (%d bytes) at imx-sdp %.0f bytes/ms (SDP section),\n", ub, rate
		printf "  every image byte at %.1f MB/s (highest bulk OUT ceiling, fastboot section), the board'"'"'s waits (JUMP until the ROM left, then\n", ceil
		printf "  until the fastboot device came) as imx-factory measured them\n"
		printf "  %-24s %9s %9s %8s\n", "stage", "floor ms", "ours ms", "ratio"
		fj = f(o1, "jump"); fs = ub / rate + fj; fe = f(o1, "enum")
		fm = mbr / bpms; fu = ub / bpms; fv = env / bpms; fr = root / bpms
		row("sdp boot (upload + JUMP)", fs, f(o1, "sdp"))
		printf "  %-24s %9.1f %9s\n", "  of which JUMP wait", fj, fj
		row("JUMP -> fastboot device", fe, fe)
		row("flash mbr", fm, f(o1, "mbr"))
		row("flash 0x400 u-boot.imx", fu, f(o1, "uboot"))
		row("flash env", fv, f(o1, "env"))
		row("flash rootfs", fr, f(o1, "rootfs"))
		fl = fm + fu + fv + fr
		# a sum only of stages that all ran
		got = ""
		if (f(o1, "mbr") != "" && f(o1, "rootfs") != "")
			got = f(o1, "mbr") + f(o1, "uboot") + f(o1, "env") + f(o1, "rootfs")
		row("flash steps", fl, got)
		row("erase misc + reboot", 0, f(o1, "misc") == "" ? "" : f(o1, "misc") + f(o1, "reboot"))
		tot = fs + fe + fl
		w1 = f(o1, "wall"); w4 = f(o4, "wall")
		printf "  %-24s %9.1f %9s %8s  (goal <= 1.25x)\n", "total, 1 board (wall)", tot,
			w1 == "" ? "failed" : w1, w1 != "" ? sprintf("%.2fx", w1 / tot) : "-"
		# 4 boards: a link each, the same bytes; their own enumeration wait
		tot4 = ub / rate + f(o4, "jump") + f(o4, "enum") + fl
		printf "  %-24s %9.1f %9s %8s  (goal <= 1.25x; a link per board, 2 CPUs shared)\n",
			"total, 4 boards (wall)", tot4, w4 == "" ? "failed" : w4, w4 != "" ? sprintf("%.2fx", w4 / tot4) : "-"
	}'
}
floor | tee -a "$OUT"
