#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest half of make bench (see bench.sh).
. "$(dirname "$0")/../testing/selftests/imxflash/lib/lib.sh"

RUNS=${IMXF_BENCH_RUNS:-3}
SOC=imx6ull
IMX_SDP=$BIN/userspace/imx-sdp
RUN=$BIN/bench/bench_run
OUT=/out/bench.txt
export BENCH_LOG=/tmp/bench-tool.log
# IMXF_BENCH_ONLY=sdp|fastboot|factory|image|verify: one section, or a
# list of them ("sdp fastboot factory": the factory floor's rates with it)
# (default: all)
ONLY=${IMXF_BENCH_ONLY:-}
# want SECTION: selected (or no selection)
want() { case " ${ONLY:-$1} " in *" $1 "*) return 0 ;; esac; return 1; }
: > "$OUT"
# the rates the factory section's floor is made of, written by the sdp and
# fastboot sections of this run only (never a previous run's)
FLOOR_SDP=/out/bench-floor.sdp
FLOOR_FB=/out/bench-floor.fastboot
export FLOOR_SDP FLOOR_FB
rm -f "$FLOOR_SDP" "$FLOOR_FB"
if [ "$ONLY" = fastboot ]; then
	exec "$(dirname "$0")/bench_fastboot_guest.sh"
elif [ "$ONLY" = factory ]; then
	exec "$(dirname "$0")/bench_factory_guest.sh"
elif [ "$ONLY" = image ]; then
	exec "$(dirname "$0")/bench_image_guest.sh"
elif [ "$ONLY" = verify ]; then
	exec "$(dirname "$0")/bench_verify_guest.sh"
fi

# the sections after SDP, in this order, each when selected
rest() {
	# fastboot: link ceiling, download and flash throughput, memory (bash)
	if want fastboot; then "$(dirname "$0")/bench_fastboot_guest.sh"; fi
	# factory flow end to end, 1 and 4 boards: imx-factory vs imx_usb + fastboot
	if want factory; then "$(dirname "$0")/bench_factory_guest.sh"; fi
	# images as build systems ship them: bmap, compression (bash)
	if want image; then "$(dirname "$0")/bench_image_guest.sh"; fi
	# verified writes: oem sha256 on the device against a fetch read-back (bash)
	if want verify; then "$(dirname "$0")/bench_verify_guest.sh"; fi
}
want sdp || { rest; exit; }

imxf_modules 1 || exit 1
imxf-insmod "$IMXF_MODDIR/hid-imx-sdp.ko" || exit 1

img=/tmp/bench-4m.imx
man=/tmp/bench-4m.txt
$BIN/tools/mkimx --soc $SOC --size 4M --seed 42 -o $img --manifest $man
bytes=$(manifest_get $man load_len)

# one TOOL: fresh board, one timed boot, memory verified; prints the
# bench_run line or nothing when the load was wrong.
one() {
	board_destroy b0
	board_setup b0 $SOC dummy_udc.0 open mem_limit=64M || return 1
	wait_usb 0x15a2 0x0080 present 10 || return 1
	case $1 in
	imx-sdp)
		_i=0
		while ! ls /dev/imx-sdp* >/dev/null 2>&1 && [ $_i -lt 200 ]; do
			usleep 20000; _i=$((_i + 1))
		done
		r=$($RUN "$IMX_SDP" -q boot $img) ;;
	imx_usb)
		r=$($RUN hostrun imx_usb -c /usr/share/imx-usb-loader/imx-loader.d $img) ;;
	uuu)
		r=$($RUN hostrun uuu SDP: boot -f $img) ;;
	esac
	case $r in rc=0\ *) ;; *)
		echo "# $1 failed: $r" >&2
		tail -n 5 "$BENCH_LOG" | sed 's/^/#   /' >&2
		return 1 ;;
	esac
	$BIN/tests/sdp_memcheck b0 $img $man --ivt-dcd any >/dev/null || {
		echo "# $1: memory check failed" >&2; return 1; }
	echo "$r"
}

field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "SDP upload: $bytes bytes (4 MiB image), i.MX6ULL ROM emulator, $RUNS runs each, median" | tee -a "$OUT"
for t in imx-sdp imx_usb uuu; do
	: > /tmp/w.$t
	: > /tmp/k.$t
	i=0
	while [ $i -lt "$RUNS" ]; do
		r=$(one $t) || break
		field "$r" wall_ms >> /tmp/w.$t
		field "$r" kernel_ms >> /tmp/k.$t
		i=$((i + 1))
	done
	eval "w_$(echo $t | tr -c 'a-z\n' _)=$(median < /tmp/w.$t)"
	eval "k_$(echo $t | tr -c 'a-z\n' _)=$(median < /tmp/k.$t)"
done
board_destroy b0

awk -v b="$bytes" -v ws="$w_imx_sdp" -v wi="$w_imx_usb" -v wu="$w_uuu" \
    -v ks="$k_imx_sdp" -v ki="$k_imx_usb" -v ku="$k_uuu" 'BEGIN {
	mib = b / 1048576
	printf "%-10s %10s %10s %16s %12s\n", "tool", "time(ms)", "MB/s", "kernel ms/MiB", "imx-sdp is"
	n = split("imx-sdp imx_usb uuu", t, " ")
	w["imx-sdp"] = ws; w["imx_usb"] = wi; w["uuu"] = wu
	k["imx-sdp"] = ks; k["imx_usb"] = ki; k["uuu"] = ku
	best = (wi != "" && (wu == "" || wi < wu)) ? wi : wu
	for (i = 1; i <= n; i++) {
		x = t[i]
		if (w[x] == "") { printf "%-10s %10s\n", x, "failed"; continue }
		printf "%-10s %10d %10.2f %16.1f %12s\n", x, w[x], b / w[x] / 1000,
			k[x] / mib, x == "imx-sdp" ? "-" : sprintf("%.2fx faster", w[x] / ws)
	}
	if (ws != "" && best != "")
		printf "ratio imx-sdp vs faster peer: %.2fx (target >= 1.5x)\n", best / ws
}' | tee -a "$OUT"
# imx-sdp's rate for the factory floor: "BYTES MS" of the median run
[ -n "$w_imx_sdp" ] && echo "$bytes $w_imx_sdp" > "$FLOOR_SDP"

rest
