#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# imx-factory --verify, inside the test VM, on emulated boards
# (board_sim.sh). Two boards get the same manifest; the second one's eMMC
# silently drops every write to its rootfs region (device-mapper's flakey
# target with drop_writes over a loop device of its image, from the
# rootfs offset on): its flash reports OKAY and the storage keeps its old
# bytes, as a failing eMMC would. With --verify every flash step is
# followed by its verification on the device (oem sha256, read past the
# page cache): the good board is ok and every flash step says verified;
# the bad board alone fails, at "flash rootfs", its error naming the
# partition and the first differing range and block; its boot partition,
# on the healthy part of the same eMMC, verified. The manifest's own
# "fastboot verify" step is checked as well; the JSON report gives
# verified true, false or null (not asked) per step. TAP output.

. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/board_sim.sh"

FACTORY=$BIN/userspace/imx-factory
W=/tmp/fverify
IMG=$W/images
DM=imxsim-bad
LOOP=
rm -rf "$W" && mkdir -p "$IMG"

# bash runs with the host's tools already (it is what hostrun starts):
# board_sim.sh's hostrun is a plain call, and the guest's imxf-insmod
# helper is the same script, from the tree.
imxf-insmod() { sh "$(dirname "$0")/../vm/imxf-insmod.sh" "$@"; }
hostrun() { "$@"; }
sim_modules 4 || { echo "Bail out! modules"; exit 1; }
modprobe loop && modprobe dm-flakey || { echo "Bail out! loop, dm-flakey"; exit 1; }

tap_plan 8

cleanup() {
	sim_destroy_all
	dmsetup --noudevsync remove "$DM" 2> /dev/null
	[ -n "$LOOP" ] && losetup -d "$LOOP" 2> /dev/null
}
trap cleanup EXIT

show() { sed 's/^/# /' "$@"; }

"$BIN/tools/mkimx" --soc imx6ull --size 128K --seed 5 -o "$IMG/u-boot.imx" \
	--manifest "$W/u-boot.txt" > /dev/null || { echo "Bail out! mkimx"; exit 1; }
head -c $((1 << 20)) /dev/urandom > "$IMG/boot.img"
# rootfs: RAW 1 MiB, DONT_CARE 8 MiB, FILL 256 KiB, RAW 512 KiB
python3 - "$IMG/rootfs.simg" << 'EOF'
import os, struct, sys
blk = 4096
a, b = os.urandom(256 * blk), os.urandom(128 * blk)
c = [struct.pack('<HHII', 0xcac1, 0, 256, 12 + len(a)) + a,
     struct.pack('<HHII', 0xcac3, 0, 2048, 12),
     struct.pack('<HHII', 0xcac2, 0, 64, 16) + bytes.fromhex('a55a0ff0'),
     struct.pack('<HHII', 0xcac1, 0, 128, 12 + len(b)) + b]
hdr = struct.pack('<IHHHHIIII', 0xed26ff3a, 1, 0, 28, 12, blk, 2496, len(c), 0)
open(sys.argv[1], 'wb').write(hdr + b''.join(c))
EOF
cat > "$W/flash.manifest" << 'EOF'
sdp boot u-boot.imx
fastboot flash boot boot.img
fastboot flash rootfs rootfs.simg
fastboot verify boot boot.img
fastboot reboot
EOF

sim_destroy_all
sim_watch_start
sim_plug b0 dummy_udc.0 imx6ull uid=00000000000000A0
sim_plug b1 dummy_udc.1 imx6ull uid=00000000000000B1
P0=$(sim_port b0) P1=$(sim_port b1)

# b1's "U-Boot" (made unlinked by sim_plug) gets an eMMC that drops the
# writes from the rootfs partition on: every target of the function now
# names the device-mapper device.
t_bad_emmc() {
	local f=$CFS/b1/functions/fastboot.b1 sec r p
	LOOP=$(losetup -f --show "$(sim_emmc b1)") || return
	sec=$((SIM_EMMC_MB * 2048))
	r=$((SIM_ROOT_OFF / 512))
	printf '0 %d linear %s 0\n%d %d flakey %s %d 0 1 1 drop_writes\n' \
		"$r" "$LOOP" "$r" $((sec - r)) "$LOOP" "$r" |
		dmsetup --noudevsync create "$DM" || return
	dmsetup --noudevsync mknodes "$DM" || return
	echo "/dev/mapper/$DM" > "$f/storage" || return
	for p in env misc boot rootfs; do
		echo "/dev/mapper/$DM" > "$f/partitions/$p/path" || return
	done
}
check "board b1: an eMMC that drops the writes to rootfs (dm-flakey)" t_bad_emmc

mkdir -p "$W/run"
(cd "$W/run" && timeout 300 "$FACTORY" -n 2 -w 60 -l logs -r report \
	--progress lines -m "$W/flash.manifest" -d "$IMG" --verify \
	--json report.json > out 2>&1)
rc=$?
show "$W/run/out"
t_rc() { [ $rc = 1 ] && grep -q '^imx-factory: 2 boards, 1 ok, 1 failed' "$W/run/out"; }
check "exit status 1: the good board ok, the bad one failed" t_rc
t_table() {
	grep -Eq "^[0-9]+ +$P0 .* ok\$" "$W/run/out" &&
		grep -Eq "^[0-9]+ +$P1 .*FAILED: flash rootfs: .*partition rootfs differs from .*rootfs.simg: range 1 of 2 \(bytes 0x0-0xfffff\), first difference in bytes 0x0-0xfff \(sha256 on the device\)" "$W/run/out"
}
check "the bad board's error names the partition, the range and the block" t_table
L0=$W/run/logs/uid-00000000000000A0.log
L1=$W/run/logs/uid-00000000000000B1.log
show "$L1"
t_logs() {
	[ "$(grep -c 'verified (sha256 on the device)' "$L0")" = 3 ] &&
		grep -q 'fastboot: verify boot .*boot.img' "$L1" &&
		[ "$(grep -c 'verified (sha256 on the device)' "$L1")" = 1 ] &&
		grep -q 'partition rootfs differs' "$L1"
}
check "logs: every flash and the verify step verified on b0; on b1 boot only" t_logs
# What b1's image holds under the flakey device: its boot partition
# written, its rootfs region still the simulator's old data.
t_storage() {
	sim_check_at b0 "$SIM_BOOT_OFF" "$IMG/boot.img" &&
		sim_check_at b1 "$SIM_BOOT_OFF" "$IMG/boot.img" &&
		! sim_check_at b1 "$SIM_ROOT_OFF" "$IMG/boot.img" 2> /dev/null &&
		[ "$(head -c 15 < <(tail -c +$((SIM_ROOT_OFF + 1)) "$(sim_emmc b1)"))" = "imxsim old data" ]
}
check "b1's eMMC: boot written, rootfs kept its old bytes (writes dropped)" t_storage

check_json() {
	python3 - "$1" "$P0" "$P1" << 'EOF'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
by = {b["port"]: b for b in doc["boards"]}
bad = []
def need(c, what):
    if not c:
        bad.append(what)
good, fail = by[sys.argv[2]], by[sys.argv[3]]
need(good["result"] == "ok", "b0 ok")
need([s["verified"] for s in good["steps"]] == [None, True, True, True, None],
     "b0 verified %s" % [s["verified"] for s in good["steps"]])
need([s["result"] for s in good["steps"]] == ["ok"] * 5, "b0 results")
need(good["steps"][3]["bytes"] == 1 << 20, "b0 verify step bytes")
need(fail["result"] == "failed" and fail["stage"] == "fastboot", "b1 failed")
need("partition rootfs differs" in fail["error"], "b1 error")
need([s["verified"] for s in fail["steps"]] == [None, True, False, None, None],
     "b1 verified %s" % [s["verified"] for s in fail["steps"]])
need([s["result"] for s in fail["steps"]] ==
     ["ok", "ok", "failed", "skipped", "skipped"],
     "b1 results %s" % [s["result"] for s in fail["steps"]])
print("\n".join(bad) if bad else "ok")
sys.exit(1 if bad else 0)
EOF
}
check_json "$W/run/report.json" > "$W/json.chk" 2>&1
jrc=$?
show "$W/json.chk"
check "--json: verified true/false/null per step, as run" [ $jrc = 0 ]

# Without --verify only the manifest's verify step verifies. b0 left the
# bus at its reboot: plugged again, as a new board in serial download mode.
sim_destroy b0
sim_plug b0 dummy_udc.0 imx6ull uid=00000000000000A0
t_verify_only() {
	mkdir -p "$W/run2" &&
		(cd "$W/run2" && timeout 120 "$FACTORY" -n 1 -w 30 -p "$P0" -l logs \
			--progress none -m "$W/flash.manifest" -d "$IMG" > out 2>&1)
}
check "b0 flashed again without --verify" t_verify_only
show "$W/run2/out"
t_verify_flag() {
	grep -q '^imx-factory: 1 board, 1 ok, 0 failed' "$W/run2/out" &&
		[ "$(grep -c 'verified (sha256 on the device)' "$W/run2/logs/uid-00000000000000A0.log")" = 1 ]
}
check "... only the manifest's verify step verifies" t_verify_flag
tap_done
