#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# imx-factory and board identity, inside the test VM, on emulated boards
# (board_sim.sh) whose ROMs have unique IDs set through usb_f_sdp's uid:
#  1. three boards, a manifest with per-board steps (env-${uid}.bin, oem
#     set-serial ${uid} ${board} ${port} answered by fastboot-target): the
#     logs are named and headed by the UID, the table and the key=value
#     report carry it, each eMMC holds its own board's environment, each
#     oem handler got its own board's values; the third board has no
#     env file: it alone fails, untouched, with the file named;
#  2. --json: the document read by Python's json module, every field of
#     every board and step checked (expanded lines, results, bytes,
#     seconds, SHA-256 of the images, verified null); --json-lines: one
#     object per board;
#  3. --daemon with a HAB-closed board: its JSON line and document say
#     closed and the HAB event; SIGINT leaves a complete document whose
#     state is "interrupted".

. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/board_sim.sh"

FACTORY=$BIN/userspace/imx-factory
FT=$BIN/userspace/fastboot-target
W=/tmp/fuid
IMG=$W/images
rm -rf "$W" && mkdir -p "$IMG" "$W/oem.d"

sim_modules 4 || { echo "Bail out! modules"; exit 1; }

tap_plan 15

U0=0123456789ABCDEF
U1=FEDCBA9876543210
U2=00000000000000B2
U3=C105ED0000000003

"$BIN/tools/mkimx" --soc imx6ull --size 256K --seed 3 -o "$IMG/u-boot.imx" \
	--manifest "$W/u-boot.txt" > /dev/null || { echo "Bail out! mkimx"; exit 1; }
head -c "$SIM_ENV_SIZE" /dev/urandom > "$IMG/env-$U0.bin"
head -c "$SIM_ENV_SIZE" /dev/urandom > "$IMG/env-$U1.bin"
cat > "$W/flash.manifest" << 'EOF'
# per-board steps: ${uid}, ${board}, ${port}
sdp boot u-boot.imx
fastboot flash env env-${uid}.bin
fastboot oem set-serial ${uid} ${board} ${port}
fastboot reboot
EOF
# the oem handler records who asked what ("oem set-serial A B C" runs
# set-serial A B C)
cat > "$W/oem.d/set-serial" << EOF
#!/bin/sh
echo "\$FASTBOOT_INSTANCE \$*" >> $W/oem.log
echo "serial \$1"
EOF
chmod +x "$W/oem.d/set-serial"

"$FT" -v --oem-dir "$W/oem.d" > "$W/ft.out" 2> "$W/ft.err" &
FTPID=$!
i=0
while [ $i -lt 100 ] && ! grep -q listening "$W/ft.err"; do
	usleep 50000
	i=$((i + 1))
done

show() { sed 's/^/# /' "$@"; }
ev() { eval "$1"; }

# --- 1. three boards, per-board steps ----------------------------------------
sim_destroy_all
sim_watch_start
sim_plug b0 dummy_udc.0 imx6ull uid=$U0
sim_plug b1 dummy_udc.1 imx6ull uid=$U1
sim_plug b2 dummy_udc.2 imx6ull uid=$U2
P0=$(sim_port b0) P1=$(sim_port b1) P2=$(sim_port b2)
mkdir -p "$W/run"
(cd "$W/run" && timeout 240 "$FACTORY" -n 3 -w 60 -l logs -r report \
	--progress lines -m "$W/flash.manifest" -d "$IMG" \
	--json report.json --json-lines boards.jsonl > out 2>&1)
rc=$?
show "$W/run/out"
check "exit status 1: two boards ok, the one without its file failed" \
	ev "[ $rc = 1 ] && grep -q '^imx-factory: 3 boards, 2 ok, 1 failed' $W/run/out"
check "the table has each board's UID on its row" \
	ev "grep -Eq '^[0-9]+ +$P0 +$U0 +imx6ull .* ok\$' $W/run/out &&
	    grep -Eq '^[0-9]+ +$P1 +$U1 +imx6ull .* ok\$' $W/run/out &&
	    grep -Eq '^[0-9]+ +$P2 +$U2 +imx6ull .*FAILED: .*env-$U2.bin: No such file or directory\$' $W/run/out"
for u in $U0 $U2; do show "$W/run/logs/uid-$u.log"; done
check "logs are named after the UID and say it, with the expanded line" \
	ev "grep -q 'unique ID $U0' $W/run/logs/uid-$U0.log &&
	    grep -q 'manifest line 3 for this board: fastboot flash env env-$U0.bin' $W/run/logs/uid-$U0.log &&
	    grep -q 'unique ID $U1' $W/run/logs/uid-$U1.log &&
	    grep -q 'env-$U2.bin: No such file or directory' $W/run/logs/uid-$U2.log &&
	    [ ! -e $W/run/logs/port-$P0.log ]"
check "key=value report: uid= of every board" \
	ev "grep -q '^board=[0-9]* port=$P0 uid=$U0 soc=imx6ull ' $W/run/report &&
	    grep -q '^board=[0-9]* port=$P2 uid=$U2 ' $W/run/report"
check "each eMMC holds its own board's environment" \
	ev "sim_check_at b0 $SIM_ENV_OFF $IMG/env-$U0.bin &&
	    sim_check_at b1 $SIM_ENV_OFF $IMG/env-$U1.bin"
show "$W/oem.log"
check "oem set-serial \${uid} \${board} \${port}: each board's own values" \
	ev "grep -Eq '^b0 $U0 [0-9]+ $P0\$' $W/oem.log &&
	    grep -Eq '^b1 $U1 [0-9]+ $P1\$' $W/oem.log &&
	    [ \$(wc -l < $W/oem.log) = 2 ]"
check "the board without its file was not touched" \
	ev "[ \$(sim_state b2) = sdp ] &&
	    grep -q '^bytes_written 0\$' $CFS/b2/functions/sdp.b2/stats &&
	    grep -q '^jumps 0\$' $CFS/b2/functions/sdp.b2/stats"

# --- 2. the JSON report --------------------------------------------------------
# check_json DOC: every field of every board (prints what is wrong)
check_json() {
	hostrun python3 - "$1" "$W/oem.log" "$IMG" "$P0 $U0 ok" "$P1 $U1 ok" \
		"$P2 $U2 failed" << 'EOF'
import hashlib, json, os, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
oem = {l.split()[3]: l.split() for l in open(sys.argv[2])}
img = sys.argv[3]
want = [a.split() for a in sys.argv[4:]]
def sha(p):
    return hashlib.sha256(open(p, "rb").read()).hexdigest()
def num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0
bad = []
def need(cond, what):
    if not cond:
        bad.append(what)
need(doc["tool"] == "imx-factory" and doc["format"] == 1, "tool/format")
need(doc["state"] == "done" and doc["finished"], "state done, finished")
need(doc["boards_ok"] == 2 and doc["boards_failed"] == 1, "counts")
need(len(doc["boards"]) == 3, "3 boards")
byport = {b["port"]: b for b in doc["boards"]}
for port, uid, result in want:
    b = byport.get(port)
    if not b:
        bad.append("no board on " + port)
        continue
    t = "board " + port + ": "
    need(b["uid"] == uid, t + "uid")
    # known from sysfs before any command, untouched boards too
    need(b["soc"] == "imx6ull" and b["hab"] == "open", t + "soc, hab")
    need(b["result"] == result, t + "result")
    need(isinstance(b["board"], int), t + "board number")
    need(num(b["seconds"]), t + "seconds")
    need(b["log"].endswith("uid-" + uid + ".log"), t + "log")
    steps = b["steps"]
    need(len(steps) == 4, t + "4 steps")
    need([s["manifest_line"] for s in steps] == [2, 3, 4, 5], t + "lines")
    need(all(s["verified"] is None for s in steps), t + "verified null")
    need(all(num(s["seconds"]) for s in steps), t + "step seconds")
    need(steps[0]["line"] == "sdp boot u-boot.imx", t + "line 1")
    need(steps[0]["sha256"] == sha(img + "/u-boot.imx"), t + "sdp sha256")
    need(steps[1]["line"] == "fastboot flash env env-%s.bin" % uid, t + "line 2")
    need(steps[2]["line"] == "fastboot oem set-serial %s %d %s"
         % (uid, b["board"], port), t + "line 3")
    need(steps[3]["line"] == "fastboot reboot", t + "line 4")
    need(steps[2]["sha256"] is None and steps[3]["sha256"] is None,
         t + "no sha256 without an image")
    if result == "ok":
        need(b["stage"] == "done" and b["error"] is None
             and b["failure"] is None, t + "stage/error")
        need([s["result"] for s in steps] == ["ok"] * 4, t + "step results")
        sizes = [s["bytes"] for s in steps]
        need(sizes == [os.path.getsize(img + "/u-boot.imx"), 8192, 0, 0],
             t + "step bytes %s" % sizes)
        need(b["bytes"] == sum(sizes), t + "bytes")
        need(steps[1]["sha256"] == sha(img + "/env-%s.bin" % uid),
             t + "env sha256")
        need(b["serial"] == "IMXSIM-" + oem[port][0], t + "serial")
        need(oem[port][2] == str(b["board"]), t + "oem got the board number")
    else:
        need(b["stage"] == "queued", t + "untouched")
        need(b["failure"] == "failed" and "env-%s.bin: No such file" % uid
             in b["error"], t + "error")
        need([s["result"] for s in steps] == ["skipped"] * 4, t + "skipped")
        need(b["bytes"] == 0 and steps[1]["sha256"] is None, t + "no bytes")
print("\n".join(bad) if bad else "ok")
sys.exit(1 if bad else 0)
EOF
}
check_json "$W/run/report.json" > "$W/json.chk" 2>&1
rc=$?
show "$W/json.chk"
check "--json: every board and step field as run (Python json)" [ $rc = 0 ]
check "--json: written atomically, no temporary file left" \
	ev "[ -z \"\$(ls -A $W/run | grep '^\\.')\" ]"
check "--json-lines: one object per board, keyed by UID" \
	ev "hostrun python3 -c 'import json,sys; L=[json.loads(l) for l in open(sys.argv[1])]
assert sorted(b[\"uid\"] for b in L) == sorted(sys.argv[2:]), L' \
	    $W/run/boards.jsonl $U0 $U1 $U2"

# --- 3. --daemon, a closed board, SIGINT ------------------------------------
printf 'sdp boot u-boot.imx\n' > "$W/boot.manifest"
sim_plug b3 dummy_udc.3 imx6ull hab=closed uid=$U3
P3=$(sim_port b3)
mkdir -p "$W/d"
(cd "$W/d" && exec timeout 120 "$FACTORY" -D -p "$P3" -l logs --progress none \
	-m "$W/boot.manifest" -d "$IMG" --json run.json \
	--json-lines boards.jsonl > out 2>&1) &
DPID=$!
i=0
while [ $i -lt 400 ] && ! [ -s "$W/d/boards.jsonl" ]; do
	usleep 50000
	i=$((i + 1))
done
check "--daemon: the closed board's JSON line says hab closed, the HAB event" \
	ev "hostrun python3 -c 'import json,sys; b=json.loads(open(sys.argv[1]).readline())
assert (b[\"uid\"], b[\"hab\"], b[\"result\"], b[\"stage\"]) == (sys.argv[2], \"closed\", \"failed\", \"sdp\"), b
assert \"HAB event\" in b[\"error\"] and b[\"steps\"][0][\"result\"] == \"failed\", b' \
	    $W/d/boards.jsonl $U3"
check "--daemon: the document is there while it runs (state running)" \
	ev "hostrun python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
assert d[\"state\"] == \"running\" and d[\"finished\"] is None and len(d[\"boards\"]) == 1, d' \
	    $W/d/run.json"
kill -INT $DPID
wait $DPID
rc=$?
show "$W/d/out"
check "SIGINT: the daemon ends (exit $rc: one board failed)" [ $rc = 1 ]
check "SIGINT: the document is complete, state interrupted" \
	ev "hostrun python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
assert d[\"state\"] == \"interrupted\" and d[\"finished\"] and d[\"boards_failed\"] == 1, d
assert d[\"boards\"][0][\"uid\"] == sys.argv[2] and d[\"boards\"][0][\"hab\"] == \"closed\", d' \
	    $W/d/run.json $U3"
check "the closed board's log is named after its UID" \
	[ -s "$W/d/logs/uid-$U3.log" ]

kill "$FTPID" 2> /dev/null
wait "$FTPID" 2> /dev/null
sim_destroy_all
rm -rf "$W"
tap_done
