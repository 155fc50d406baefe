#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest half of make demo (see demo.sh).
. "$(dirname "$0")/../testing/selftests/imxflash/lib/lib.sh"
. "$(dirname "$0")/../testing/selftests/imxflash/lib/board_sim.sh"

N=${IMXF_DEMO_BOARDS:-4}
IMG=/tmp/images
FACTORY=$BIN/userspace/imx-factory

# each step with the seconds since the VM booted
say() {
	local up _
	read -r up _ < /proc/uptime
	printf '\n==> [%5ss] %s\n' "${up%.*}" "$*"
}
die() { echo "demo: $*" >&2; exit 1; }

# Kernel messages would break the redrawn progress lines.
dmesg -n 1
[ -n "${IMXF_DEMO_COLS:-}" ] && stty -F /dev/console cols "$IMXF_DEMO_COLS" 2>/dev/null

sim_modules "$N" || die "cannot load the modules"

say "images, as Buildroot's output/images would hold them"
sim_make_images "$IMG" imx6ull || die "cannot make the images"
echo "    u-boot.imx   $(stat -c %s $IMG/u-boot.imx) bytes: IVT, DCD, boot data (mkimx)"
echo "    mbr.img      MBR by sfdisk: $(sim_sfdisk_script | grep -c start=) partitions"
echo "    zero.bin     $(stat -c %s $IMG/zero.bin) bytes of zeros for the U-Boot environment"
echo "    rootfs.ext4  $(stat -c %s $IMG/rootfs.ext4) bytes, mkfs.ext4 -d of $(find $IMG/rootfs -type f | wc -l) files"
sed 's/^/    /' "$IMG/flash.manifest"

say "$N emulated i.MX6ULL boards in serial download mode (usb_f_sdp on dummy_hcd)"
sim_watch_start
i=0
while [ $i -lt "$N" ]; do
	sim_plug b$i dummy_udc.$i imx6ull || die "cannot plug board b$i"
	i=$((i + 1))
done
echo "    after its JUMP, each board comes back on the same USB port as a"
echo "    fastboot device (usb_f_fastboot) over a ${SIM_EMMC_MB} MiB eMMC image"

say "imx-factory -n $N -m flash.manifest"
cd /tmp
$FACTORY -n "$N" -m "$IMG/flash.manifest" -d "$IMG" -w 30 -l /out/logs \
	-r /out/report.txt --progress "${IMXF_DEMO_PROGRESS:-lines}"
rc=$?
echo "    (exit status $rc; per-board logs in /out/logs, report in /out/report.txt)"

say "proof: each board's eMMC image"
bad=0
pids=""
i=0
while [ $i -lt "$N" ]; do
	# the boards in parallel, the results in order
	{
		echo "    b$i (port $(sim_port b$i)), board state: $(sim_state b$i)"
		sim_check_board b$i "$IMG" 2>&1 || echo "CHECK FAILED"
	} > /tmp/check.b$i &
	pids="$pids $!"
	i=$((i + 1))
done
# shellcheck disable=SC2086
wait $pids	# not the simulator's watcher
i=0
while [ $i -lt "$N" ]; do
	grep -v '^CHECK FAILED$' /tmp/check.b$i
	grep -q '^CHECK FAILED$' /tmp/check.b$i && bad=$((bad + 1))
	i=$((i + 1))
done
sim_destroy_all

if [ $rc -eq 0 ] && [ $bad -eq 0 ]; then
	say "demo done: $N boards flashed in parallel and verified"
	exit 0
fi
say "demo FAILED: imx-factory exit $rc, $bad board(s) failed the checks"
exit 1
