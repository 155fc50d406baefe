#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The generic netlink family "fastboot" of usb_f_fastboot, end to end:
# Debian's fastboot drives a gadget built from configfs while
# fastboot-target listens; the events it prints (instance, partition,
# bytes, status) must match what the client did, hooks must run with the
# event in their environment, and "oem" commands must be answered by the
# programs of --oem-dir (INFO lines, OKAY/FAIL), refused without a
# handler, time out when the handler hangs, fail at once when the handler
# dies. A second client (fastboot_nl_client.py, raw sockets) checks
# validation, registration scopes and an INFO flood. Runs inside the test
# VM (TAP output).

. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/lib_fastboot.sh"

SELF=$(cd "$(dirname "$0")" && pwd)
W=$FB_WORK/netlink
rm -rf "$W"
mkdir -p "$W"
G=fbnl
SER=IMXFNL001
UDC=dummy_udc.0
MiB=1048576
FT=$BIN/userspace/fastboot-target
NLC=$SELF/fastboot_nl_client.py
# oem_timeout_ms is the total time a handler has: generous for the
# normal runs (the debug kernel is slow), short for the hanging handler.
OEM_TIMEOUT=20000
OEM_TIMEOUT_SHORT=2000
PIDS=

fb_modules "${IMXF_NUM_UDC:-4}" || { echo "Bail out! cannot load modules"; exit 1; }
echo "TAP version 13"
[ -x "$FT" ] || { echo "Bail out! $FT not built"; exit 1; }

cleanup() {
	local p
	for p in $PIDS; do
		kill "$p" 2> /dev/null
	done
	[ -s "$W/hang.pid" ] && kill -9 "$(cat "$W/hang.pid")" 2> /dev/null
	fb_gadget_destroy $G
}
trap cleanup EXIT

# ft_start NAME ARGS...: fastboot-target in the background, stdout in
# $W/NAME.out, stderr (-v) in $W/NAME.err; waits until it listens.
# Sets FTPID.
ft_start() {
	local n=$1 i=0
	shift
	"$FT" -v "$@" > "$W/$n.out" 2> "$W/$n.err" &
	FTPID=$!
	PIDS="$PIDS $FTPID"
	while [ $i -lt 100 ]; do
		grep -q "listening" "$W/$n.err" && return 0
		kill -0 $FTPID 2> /dev/null || break
		usleep 50000
		i=$((i + 1))
	done
	fb_log "fastboot-target $* did not start:"
	sed 's/^/#   /' "$W/$n.err" >&2
	return 1
}

# wait_exit PID [SECONDS]: its exit status once it exits by itself; kills
# it and fails if it runs longer.
wait_exit() {
	local i=0
	while kill -0 "$1" 2> /dev/null && [ $i -lt $((${2:-10} * 20)) ]; do
		usleep 50000
		i=$((i + 1))
	done
	if kill -0 "$1" 2> /dev/null; then
		fb_log "pid $1 still runs after ${2:-10}s: killed"
		kill -9 "$1" 2> /dev/null
		wait "$1" 2> /dev/null
		return 124
	fi
	wait "$1"
}

# ft_stop PID: SIGTERM, then its exit status
ft_stop() { kill "$1" 2> /dev/null; wait_exit "$1" 10; }

# wait_line FILE REGEX [SECONDS]: until a line of FILE matches
wait_line() {
	local i=0
	while [ $i -lt $((${3:-10} * 20)) ]; do
		grep -Eq -- "$2" "$1" 2> /dev/null && return 0
		usleep 50000
		i=$((i + 1))
	done
	fb_log "no line /$2/ in $1:"
	tail -n 8 "$1" 2> /dev/null | sed 's/^/#   /' >&2
	return 1
}

# ev_lines FILE EVENT [key=value...]: the event lines of FILE for our
# instance and EVENT that have all those fields (each value a regex).
ev_lines() {
	local f=$1 e=$2 kv out
	shift 2
	out=$(grep -E -- "^[^ ]+ instance=$G event=$e( |\$)" "$f" 2> /dev/null)
	for kv in "$@"; do
		out=$(printf '%s\n' "$out" | grep -E -- " $kv( |\$)")
	done
	[ -n "$out" ] && printf '%s\n' "$out"
}

# ev FILE EVENT [key=value...]: wait until FILE has such an event line.
ev() {
	local i=0
	while [ $i -lt 200 ]; do
		ev_lines "$@" > /dev/null && return 0
		usleep 50000
		i=$((i + 1))
	done
	fb_log "no event $2 $3 $4 $5 $6 in $1:"
	tail -n 8 "$1" 2> /dev/null | sed 's/^/#   /' >&2
	return 1
}

# client_says TEXT: the last fastboot run printed TEXT
client_says() {
	grep -qF -- "$1" "$FB_WORK/fastboot.log" && return 0
	fb_log "fastboot did not print '$1':"
	sed 's/^/#   /' "$FB_WORK/fastboot.log" | tail -n 8 >&2
	return 1
}

# --- the spec and the header -------------------------------------------------
spec_check() {
	python3 "$SELF/fastboot_nl_spec.py" "$IMXF_SRC" > "$W/spec.tap" 2>&1
	local r=$?
	grep -v '^ok' "$W/spec.tap" | sed 's/^/#   /'
	return $r
}
check "YAML spec and uapi header agree (names, values, schema keys)" spec_check

# --- gadget -------------------------------------------------------------------
DISK=$W/disk.img
BOOT=$W/boot.img
fb_mkstore "$DISK" $((64 * MiB))
fb_mkstore "$BOOT" $((8 * MiB))
OEMD=$W/oem.d
HOOKS=$W/hooks
mkdir -p "$OEMD" "$HOOKS"
cat > "$OEMD/hello" << 'EOF'
#!/bin/sh
echo "hello $*"
echo "instance $FASTBOOT_INSTANCE timeout $FASTBOOT_TIMEOUT_MS"
EOF
cat > "$OEMD/broken" << 'EOF'
#!/bin/sh
echo "checking the disk"
echo "some noise" >&2
echo "disk on fire" >&2
exit 3
EOF
cat > "$OEMD/quiet-fail" << 'EOF'
#!/bin/sh
exit 7
EOF
cat > "$OEMD/hang" << EOF
#!/bin/sh
echo \$\$ > "$W/hang.pid"
echo "start"
exec sleep 100
EOF
cat > "$OEMD/many" << 'EOF'
#!/bin/sh
i=1
while [ $i -le "$1" ]; do echo "line $i"; i=$((i + 1)); done
EOF
printf '#!/bin/sh\necho hook\n' > "$OEMD/.hidden"
for h in reboot connect; do
	printf '#!/bin/sh\nenv | grep ^FASTBOOT_ | sort > "%s/hook.%s.$$"\nmv "%s/hook.%s.$$" "%s/hook.%s"\n' \
		"$W" "$h" "$W" "$h" "$W" "$h" > "$HOOKS/$h"
done
chmod +x "$OEMD"/* "$OEMD/.hidden" "$HOOKS"/*

setup() {
	fb_gadget_destroy $G
	fb_gadget_create $G $SER &&
		fb_set $G max_download_size $((16 * MiB)) &&
		fb_set $G oem_timeout_ms $OEM_TIMEOUT &&
		fb_set $G storage "$DISK" &&
		fb_part $G boot path="$BOOT" offset=0 size=$((8 * MiB)) &&
		fb_part $G misc_a path="$DISK" offset=0 size=$MiB &&
		fb_part $G misc_b path="$DISK" offset=$MiB size=$MiB
}
check "gadget from configfs (oem_timeout_ms $OEM_TIMEOUT)" setup

check "fastboot-target (all instances, --oem-dir, --hooks) starts" \
	ft_start main --oem-dir "$OEMD" --hooks "$HOOKS"
MAIN=$FTPID
check "fastboot-target --json --instance $G starts" \
	ft_start json --json --instance $G
JSON=$FTPID
check "fastboot-target --instance other-board starts (filters $G out)" \
	ft_start other --instance other-board
OTHER=$FTPID

check "bind: host enumerates the fastboot interface" fb_bind $G $UDC
check "event connect" ev "$W/main.out" connect status=0
connect_hook() {
	wait_line "$W/hook.connect" "FASTBOOT_EVENT=connect" &&
		grep -qx "FASTBOOT_INSTANCE=$G" "$W/hook.connect"
}
check "hook connect ran with FASTBOOT_INSTANCE and FASTBOOT_EVENT" connect_hook

# --- commands and their events -----------------------------------------------
IMG=$W/boot.part
fb_mkimage "$IMG" $((3 * MiB + 4096)) 11 random
SZ=$(stat -c %s "$IMG")
flash_ok() {
	fb_fastboot $SER flash boot "$IMG" && fb_cmp_range "$BOOT" 0 "$IMG"
}
check "fastboot flash boot ($SZ bytes)" flash_ok
check "event download bytes=$SZ status=0" ev "$W/main.out" download "bytes=$SZ" status=0
check "event flash partition=boot bytes=$SZ status=0" \
	ev "$W/main.out" flash partition=boot "bytes=$SZ" status=0

check "fastboot erase boot" fb_fastboot $SER erase boot
check "event erase partition=boot bytes=$((8 * MiB)) status=0" \
	ev "$W/main.out" erase partition=boot "bytes=$((8 * MiB))" status=0

flash_missing() {
	! fb_fastboot $SER flash nosuchpart "$IMG" && client_says "FAILED (remote:"
}
check "fastboot flash nosuchpart: FAIL" flash_missing
# A target that does not exist is refused before anything happens: an
# "error" event (a failure while writing would be a "flash" event).
check "event error partition=nosuchpart with a negative status and the FAIL text" \
	ev "$W/main.out" error partition=nosuchpart "status=-[0-9]+" "message=.*nosuchpart.*"

erase_missing() {
	! fb_fastboot $SER erase nosuchpart2 && client_says "FAILED (remote:"
}
check "fastboot erase nosuchpart2: FAIL" erase_missing
check "event error partition=nosuchpart2 with the FAIL text" \
	ev "$W/main.out" error partition=nosuchpart2 "status=-[0-9]+" "message=.*nosuchpart2.*"

check "fastboot set_active b" fb_fastboot $SER set_active b
check "event set-active partition=b (the slot)" \
	ev "$W/main.out" set-active partition=b status=0
# (fastboot 29.0.6 checks the letter against slot-count itself)
set_active_bad() {
	! fb_fastboot $SER set_active c &&
		! ev_lines "$W/main.out" set-active partition=c > /dev/null
}
check "fastboot set_active c (no such slot): refused, no set-active event" set_active_bad

# --- oem through fastboot-target ----------------------------------------------
oem_hello() {
	fb_fastboot $SER oem hello a b &&
		client_says "(bootloader) hello a b" &&
		client_says "(bootloader) instance $G timeout $OEM_TIMEOUT" &&
		client_says "OKAY"
}
check "oem hello a b: handler stdout as INFO lines, OKAY" oem_hello
check "event oem status=0 message=\"hello a b\"" \
	ev "$W/main.out" oem status=0 'message="hello a b"'

oem_broken() {
	! fb_fastboot $SER oem broken &&
		client_says "(bootloader) checking the disk" &&
		client_says "FAILED (remote: 'disk on fire')"
}
check "oem broken (exit 3): INFO, then FAIL with the last stderr line" oem_broken
check "event oem with a negative status" ev "$W/main.out" oem "status=-[0-9]+" message=broken

oem_quiet() { ! fb_fastboot $SER oem quiet-fail && client_says "FAILED (remote: 'exit 7')"; }
check "oem quiet-fail (exit 7, no stderr): FAIL 'exit 7'" oem_quiet

oem_many() {
	local n
	fb_fastboot $SER oem many 100 || return
	n=$(grep -o '(bootloader) line [0-9]*' "$FB_WORK/fastboot.log" | wc -l)
	[ "$n" -eq 100 ] || { fb_log "$n lines"; return 1; }
	grep -o '(bootloader) line [0-9]*' "$FB_WORK/fastboot.log" |
		awk '{ if ($3 + 0 != NR) { print "# line " NR ": " $0; exit 1 } }'
}
check "oem many 100: 100 INFO lines, in order" oem_many

oem_unknown() {
	! fb_fastboot $SER oem "$1" && client_says "FAILED (remote: 'unknown oem command"
}
check "oem nosuch: FAIL unknown oem command" oem_unknown nosuch
check "oem ../hang (a path): refused as unknown" oem_unknown ../hang
check "oem .hidden (not a plain name): refused as unknown" oem_unknown .hidden

# oem_timeout_ms cannot change while bound: unbind, set, bind again.
rebind_timeout() {
	local n i=0
	n=$(ev_lines "$W/main.out" connect | wc -l)
	fb_unbind $G && fb_set $G oem_timeout_ms "$1" && fb_bind $G $UDC || return
	# a new connect event for the new binding
	while [ "$(ev_lines "$W/main.out" connect | wc -l)" -le "$n" ]; do
		[ $i -lt 200 ] || { fb_log "no new connect event"; return 1; }
		usleep 50000
		i=$((i + 1))
	done
}
check "oem_timeout_ms $OEM_TIMEOUT_SHORT (unbind, set, bind)" rebind_timeout $OEM_TIMEOUT_SHORT
oem_timeout() {
	! fb_fastboot $SER oem hang &&
		client_says "(bootloader) start" &&
		client_says "FAILED (remote: 'oem handler timed out')" &&
		[ "$(grep -c '(bootloader)' "$FB_WORK/fastboot.log")" -ge 2 ]
}
check "oem hang: INFO, keep-alive INFO, FAIL 'oem handler timed out' after $OEM_TIMEOUT_SHORT ms" oem_timeout
# dead PID: gone, or a zombie nobody reaped yet (orphans go to the VM's init)
dead() { [ ! -e "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2> /dev/null; }
hang_killed() {
	local i=0 p
	p=$(cat "$W/hang.pid")
	while [ $i -lt 100 ]; do
		dead "$p" && return 0
		usleep 50000
		i=$((i + 1))
	done
	fb_log "handler $p still runs"
	return 1
}
check "the hanging handler was killed (kernel's OEM_CANCEL)" hang_killed
check "device still answers after the timeout" fb_fastboot $SER getvar version
check "oem_timeout_ms $OEM_TIMEOUT again" rebind_timeout $OEM_TIMEOUT

# Unbinding the gadget while a handler works: the function cancels the
# request (fastboot_nl_oem_cancel() from its disable callback), the
# handler gets OEM_CANCEL -ESHUTDOWN and is killed.
unbind_mid_oem() {
	local cl
	rm -f "$W/hang.pid"
	fb_fastboot $SER oem hang > /dev/null 2>&1 &
	cl=$!
	wait_line "$W/hang.pid" "[0-9]" 10 || return
	fb_unbind $G
	wait_exit $cl 30
	hang_killed && wait_line "$W/main.err" "cancelled by the kernel \(-108\)" 10
}
check "unbind during oem: handler cancelled (ESHUTDOWN) and killed" unbind_mid_oem
check "bind again" rebind_timeout $OEM_TIMEOUT

# --- the other listeners --------------------------------------------------------
check "--instance other-board printed nothing for $G" \
	test ! -s "$W/other.out"
json_ok() {
	python3 - "$W/json.out" "$G" "$SZ" << 'EOF'
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1])]
assert all(e["instance"] == sys.argv[2] for e in evs), "other instance"
kinds = [e["event"] for e in evs]
assert kinds[0] == "connect", kinds
fl = [e for e in evs if e["event"] == "flash" and e.get("partition") == "boot"]
assert fl and fl[0]["bytes"] == int(sys.argv[3]) and fl[0]["status"] == 0, fl
oem = [e for e in evs if e["event"] == "oem"]
assert oem[0]["message"] == "hello a b" and oem[0]["status"] == 0, oem
assert all(isinstance(e["duration_ms"], int) for e in evs)
print("# %d JSON events: %s" % (len(evs), " ".join(kinds)))
EOF
}
check "--json: one valid object per event, same fields" json_ok

# --- a second client: validation, scopes, INFO flood ----------------------------
nl_client() {
	local out=$W/nlc.$1.tap r
	python3 "$NLC" "$@" --first $((T_N + 1)) > "$out" 2>&1
	r=$?
	cat "$out"
	T_N=$((T_N + $(grep -Ec '^(not )?ok ' "$out")))
	T_FAIL=$((T_FAIL + $(grep -c '^not ok ' "$out")))
	[ $r -eq 0 ] || [ "$(grep -c '^not ok ' "$out")" -gt 0 ] ||
		not_ok "fastboot_nl_client.py $1 exited $r"
}
nl_client probe

# The instance handler takes precedence over the one for all instances.
# The flooding client sends its lines without waiting for acks and resends
# the ones refused with EAGAIN later, so only the set of lines is checked
# here (fastboot-target keeps the order: "oem many" above).
rm -f "$W/flood.ready"
python3 "$NLC" flood $G 150 --first 1000 --ready "$W/flood.ready" > "$W/nlc.flood.tap" 2>&1 &
FLOOD=$!
PIDS="$PIDS $FLOOD"
i=0
while [ ! -e "$W/flood.ready" ] && [ $i -lt 200 ]; do usleep 50000; i=$((i + 1)); done
flood_run() {
	local n
	fb_fastboot $SER oem flood-me && client_says "OKAY" || return
	n=$(grep -o '(bootloader) flood [0-9]*' "$FB_WORK/fastboot.log" | sort -u | wc -l)
	[ "$n" -eq 150 ] || { fb_log "$n distinct flood lines"; return 1; }
}
check "oem with an instance handler (flood, 150 lines, EAGAIN retries): every line once, OKAY" flood_run
wait_exit $FLOOD 30
flood_tap() { ! grep -q '^not ok' "$W/nlc.flood.tap"; }
check "the flooding handler saw every step succeed" flood_tap
sed 's/^/#   /' "$W/nlc.flood.tap"

# --- permissions ----------------------------------------------------------------
if command -v setpriv > /dev/null; then
	NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"
	noperm() {
		$NOBODY "$FT" --oem-dir "$OEMD" > /dev/null 2> "$W/noperm.err"
		local r=$?
		[ $r -eq 4 ] && grep -qi "not permitted\|permission" "$W/noperm.err" ||
			{ fb_log "exit $r: $(cat "$W/noperm.err")"; return 1; }
	}
	check "oem registration without CAP_NET_ADMIN: refused (exit 4)" noperm
	$NOBODY "$FT" -v --count 1 --instance $G > "$W/nobody.out" 2> "$W/nobody.err" &
	NB=$!
	PIDS="$PIDS $NB"
	wait_line "$W/nobody.err" listening 10
	fb_fastboot $SER erase nosuchpart3
	nobody_ev() {
		wait_exit $NB 10 && grep -q "instance=$G event=error partition=nosuchpart3" "$W/nobody.out" ||
			{ sed 's/^/#   /' "$W/nobody.err" "$W/nobody.out"; return 1; }
	}
	check "events reach an unprivileged listener" nobody_ev
else
	not_ok "setpriv (util-linux) missing: permission checks not run"
fi

# --- handler gone ------------------------------------------------------------------
busy() {
	"$FT" --oem-dir "$OEMD" > /dev/null 2> "$W/busy.err"
	[ $? -eq 4 ] && grep -q "another handler" "$W/busy.err"
}
check "second handler for all instances: refused (exit 4, EBUSY)" busy

rm -f "$W/hang.pid"
fb_fastboot $SER oem hang > /dev/null 2>&1 &
CL=$!
died() {
	local r
	wait_line "$W/main.err" "started $OEMD/hang" 10 &&
		wait_line "$W/hang.pid" "[0-9]" 10 || return
	kill -9 $MAIN
	wait_exit $CL 30
	r=$?
	[ $r -ne 0 ] && client_says "FAILED (remote: 'oem handler went away')"
}
check "handler killed mid-request: FAIL 'oem handler went away' (not the timeout)" died
wait_exit $MAIN 5
check "its handler process died with it" hang_killed

oem_none() { ! fb_fastboot $SER oem hello && client_says "FAILED (remote: 'unknown oem command')"; }
check "oem without any handler: FAIL 'unknown oem command'" oem_none

# --- hooks for leaving the bus -------------------------------------------------------
check "fastboot-target --hooks --count starts" \
	ft_start last --hooks "$HOOKS" --instance $G --count 2
LAST=$FTPID
fb_fastboot $SER reboot
check "fastboot reboot: OKAY" client_says "OKAY"
check "event reboot" ev "$W/last.out" reboot status=0
reboot_hook() {
	wait_line "$W/hook.reboot" "FASTBOOT_EVENT=reboot" &&
		grep -qx "FASTBOOT_INSTANCE=$G" "$W/hook.reboot" &&
		grep -qx "FASTBOOT_STATUS=0" "$W/hook.reboot"
}
check "hook reboot ran with the event in its environment" reboot_hook
check "the device left the bus" fb_wait_iface $SER gone 10
count_exit() { wait_line "$W/last.out" "event=disconnect" && wait_exit $LAST 10; }
check "--count 2 (reboot, disconnect): exits 0 by itself" count_exit

# --- clean exits -----------------------------------------------------------------------
check "SIGTERM: --json listener exits 0" ft_stop $JSON
check "SIGTERM: --instance other-board listener exits 0" ft_stop $OTHER
PIDS=

echo "1..$T_N"
tap_done
