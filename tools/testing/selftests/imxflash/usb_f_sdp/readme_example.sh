#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The README's by-hand usb_f_sdp example, typed as written: the ```sh block
# under "## Using usb_f_sdp by hand" is read from README.md at run time
# (no copy here, so a README change that breaks it fails this test) and
# run line by line, in one shell, from the top of the project:
#   1. as written, with imx_usb: exit 0, state booted, jump_addr 0x177ff400;
#   2. after the power cycle the paragraph below the block gives, from the
#      line it says to go on from, with the loader the imx_usb line's
#      comment names instead (uuu): exit 0, state booted.
# Then the gadget is removed. Runs inside the test VM (TAP output).
#
# What the VM changes: imx_usb, uuu, lsusb and xxd are the host's (hostrun),
# put on PATH under their own names (busybox's lsusb has no -d); the
# loaders get a timeout, as uuu waits for a board forever. vm_suite.sh loaded usb_f_sdp already, so the block's
# insmod answering "File exists" is what a loaded module gives.

# shellcheck disable=SC2016 # backquotes in patterns are Markdown's
. "$(dirname "$0")/../lib/lib.sh"

README=$IMXF_SRC/README.md
HEADING="## Using usb_f_sdp by hand"
W=/tmp/readme_example
rm -rf "$W"
mkdir -p "$W/bin"

# The block's lines (a trailing backslash joins the next), one a line.
awk -v h="$HEADING" '
	$0 == h { s = 1; next }
	s == 1 && /^```sh$/ { s = 2; next }
	s == 2 && /^```$/ { exit }
	s == 2 {
		if (sub(/\\$/, "")) { acc = acc $0; next }
		print acc $0; acc = ""
	}' "$README" | grep -v '^[[:space:]]*$' > "$W/block"
# The paragraph after the block: its command in backquotes naming UDC.
awk -v h="$HEADING" '
	$0 == h { s = 1; next }
	s == 1 && /^```sh$/ { s = 2; next }
	s == 2 && /^```$/ { s = 3; next }
	s == 3 && /^$/ && p != "" { exit }
	s == 3 { p = p " " $0 }
	END { print p }' "$README" > "$W/para"
grep -o '`[^`]*`' "$W/para" | tr -d '`' | grep 'UDC' | head -n 1 > "$W/cycle"
# and where in the block it says to go on from
resume=$(sed -n 's/.*go on from the `\([^`]*\)` line.*/\1/p' "$W/para")

loader=$(grep -n '^imx_usb ' "$W/block" | head -n 1)
nloader=${loader%%:*}
loader=${loader#*:}
alt=$(echo "$loader" | sed -n 's/.*# or: *//p')
cycle=$(cat "$W/cycle")
nresume=$(grep -n -F "$resume" "$W/block" | grep "^[0-9]*:$resume" |
	head -n 1 | cut -d: -f1)
if [ -z "$nloader" ] || [ -z "$alt" ] || [ -z "$cycle" ] ||
	[ -z "$resume" ] || [ -z "$nresume" ] || [ "$nresume" -ge "$nloader" ]; then
	echo "Bail out! README.md: no '$HEADING' block with an imx_usb line, its '# or:' loader, and after it a power cycle and the block line to go on from"
	exit 1
fi
head -n "$((nloader - 1))" "$W/block" > "$W/setup"
sed -n "${nresume},$((nloader - 1))p" "$W/block" > "$W/resume"
nres=$(wc -l < "$W/resume")
tail -n "+$((nloader + 1))" "$W/block" > "$W/after"
nsetup=$(wc -l < "$W/setup")
nafter=$(wc -l < "$W/after")
# which line after the loader prints the state
sidx=$(grep -n 'sdp\.board0/state' "$W/after" | head -n 1 | cut -d: -f1)

# The host's loaders under their own names, as on a machine with them.
for p in imx_usb uuu lsusb xxd; do
	[ "$p" != lsusb ] && command -v "$p" > /dev/null && continue
	case $p in
	uuu) t="timeout 120 " ;;
	*) t="timeout 60 " ;;
	esac
	printf '#!/bin/sh\nexec %shostrun %s "$@"\n' "$t" "$p" > "$W/bin/$p"
	chmod +x "$W/bin/$p"
done
PATH=$W/bin:$PATH

tap_plan $((16 + nsetup + nres + 2 * nafter))

ok "README.md: $((nsetup + 1 + nafter)) lines in the block, loaders '$loader' and '$alt', power cycle '$cycle', then from line $nresume"
check "gadget name board0 is free" test ! -e "$CFS/board0"
busy=$(grep -l '^dummy_udc\.0$' "$CFS"/*/UDC 2>/dev/null)
if [ -z "$busy" ]; then
	ok "dummy_udc.0 is free"
else
	not_ok "dummy_udc.0 is free (bound by $busy)"
fi
check "README.md's commands start from the top of the project" \
	cd "$IMXF_SRC"

N=0
# run LINE: typed into this shell; its output as diagnostics. insmod of
# a module already loaded ("File exists") leaves it as typing it would.
# The pace is a paste's: no pause between lines but this bookkeeping.
run() {
	local _rc
	N=$((N + 1))
	case $1 in
	# a wait loop: bounded here, so a board that never shows fails
	until\ * | while\ *) timeout 60 sh -c "$1" > "$W/out.$N" 2>&1 ;;
	*) eval "$1" > "$W/out.$N" 2>&1 ;;
	esac
	_rc=$?
	# uuu's progress bar: terminal escapes and overwritten lines
	tr -d '\033\r' < "$W/out.$N" | sed 's/\[[0-9;?]*[A-Za-z]//g' |
		cut -c 1-200 | sed 's/^/#   /'
	if [ "$_rc" -ne 0 ]; then
		case $1 in
		insmod\ *)
			grep -q 'File exists' "$W/out.$N" &&
				ok "typed: $1 (module already loaded)" &&
				return 0
			;;
		esac
		not_ok "typed: $1 (exit $_rc)"
		return 1
	fi
	ok "typed: $1"
}

# run_file FILE: each line of FILE in turn (not a pipe: cd must stay).
run_file() {
	local _l _i=1 _n
	_n=$(wc -l < "$1")
	while [ "$_i" -le "$_n" ]; do
		_l=$(sed -n "${_i}p" "$1")
		run "$_l"
		_i=$((_i + 1))
	done
}

# expect_booted LOADER: the board's state and jump address now.
expect_booted() {
	local _st _ja
	_st=$(cat "$CFS/board0/functions/sdp.board0/state" 2>/dev/null)
	_ja=$(cat "$CFS/board0/functions/sdp.board0/jump_addr" 2>/dev/null)
	check "$1: state is booted (is '$_st')" test "$_st" = booted
	check "$1: jump_addr is 0x177ff400 (is '$_ja')" \
		test "$_ja" = 0x177ff400
}

# 1. As written, imx_usb.
run_file "$W/setup"
run "$loader"
r=$?
check "imx_usb: exit status 0" test "$r" -eq 0
n0=$N
run_file "$W/after"
grep -qx booted "$W/out.$((n0 + ${sidx:-0}))" 2>/dev/null
check "imx_usb: the block's 'cat .../state' printed booted" test $? -eq 0
expect_booted imx_usb

# 2. Power cycle as the README says, on from the line it names, then
# the other loader.
run "$cycle"
run_file "$W/resume"
run "$alt"
r=$?
check "uuu: exit status 0" test "$r" -eq 0
n0=$N
run_file "$W/after"
grep -qx booted "$W/out.$((n0 + ${sidx:-0}))" 2>/dev/null
check "uuu: the block's 'cat .../state' printed booted" test $? -eq 0
expect_booted uuu

cd /
check "board0 removed" board_destroy board0
tap_done
