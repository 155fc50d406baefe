#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-vm.sh [OPTIONS] -- CMD [ARGS...]
#
# Boot a Debian kernel (6.1 / 6.12 packages, unpacked, never installed)
# under qemu-system-x86_64 (TCG, 2 CPUs) with a busybox initramfs, share the
# host root read-only at /host and an output dir at /out, run CMD in the
# guest, and turn the guest's verdict into an exit status:
#   0  CMD exited 0, the kernel log is clean, the VM powered off normally
#   1  anything else (reason printed, console log kept)
#   2  usage / setup error on the host
#
# With --arch armhf the VM is QEMU's i.MX6Q board model instead
# (qemu-system-arm -M sabrelite, 1 GiB, Debian's armmp kernel and its
# imx6q-sabrelite.dtb, console on the second UART), with no 9p: the host
# side is a Debian armhf userland on an SD card (mkstation.sh), the
# project's scripts, the armhf tools (build/cross/armhf, env
# IMXF_CROSS_BUILD) and the modules come in the initramfs, and /out comes
# back on the verdict UART.  The board halts instead of powering off: this
# script ends QEMU once the verdict is complete (or the kernel panicked).
#
# With --arch arm64 the VM is an arm64 factory station instead
# (qemu-system-aarch64 -M virt, Cortex-A57, Debian's arm64 kernel): the
# host side, project files, arm64 tools (build/cross/arm64) and modules
# come as on armhf (the station image on a virtio disk), the verdict on a
# virtio serial port (the board has one UART: the console).
#
# Options:
#   --arch x86_64|armhf|arm64  machine (default x86_64, env IMXF_ARCH)
#   --kernel 6.1|6.12|KVER   kernel to boot (default: 6.1, env IMXF_KERNEL)
#   --kernel debug           the debug kernel (KASAN, UBSAN, lockdep, kmemleak...)
#                            built by debug-kernel.sh (first use: ~11 min);
#                            kmemleak checked after CMD
#   --timeout SEC            kill the VM after SEC s (default 600, env IMXF_TIMEOUT)
#   --mem MB                 guest RAM (default 1024, env IMXF_MEM)
#   --out DIR                host dir shared writable as /out; recreated
#                            (default <project>/build/vm/out-<name>)
#   --name NAME              <name> for the default --out (default: CMD's
#                            basename + kernel series)
#   --modules DIR            host dir with our out-of-tree .ko files,
#                            exported as $IMXF_MODDIR (default: the project dir)
#   --env NAME=VALUE         extra environment for CMD (repeatable)
#   -q, --quiet              do not echo the console (still saved)
#
# Env (host): IMXF_APPEND (extra kernel cmdline, last so it can override),
# IMXF_ACCEL (tcg|kvm, default tcg: KVM guests hang on this machine),
# IMXF_QEMU (binary), IMXF_QEMU_ARGS (extra qemu args), IMXF_KERNEL_IMAGE
# (another image of the same KVER).
#
# Guest: CMD runs as root with cwd /tmp, stdin /dev/null, stdout/stderr on
# the console (ttyS0, echoed here and saved to OUT/console.log), under
# busybox sh; env: IMXF_HOST=/host, IMXF_SRC=/host<project>, IMXF_OUT=/out,
# IMXF_KVER, IMXF_KSERIES (6.1|6.12), IMXF_MODDIR, IMXF_TIMEOUT.
# /bin/hostrun PROG runs a host program (imx_usb, uuu, fastboot, lsusb...);
# /bin/imxf-insmod X.ko loads X's dependencies first.  See README here.
set -eu
set -o pipefail

me="run-vm.sh"
die() { echo "$me: error: $*" >&2; exit 2; }
usage() { sed -n '3,/^set -eu/{/^set -eu/d;s/^# \{0,1\}//;p}' "$0"; exit "${1:-2}"; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
proj=$(cd "$here/../../../../.." && pwd -P)

kernel=${IMXF_KERNEL:-6.1}
arch=${IMXF_ARCH:-x86_64}
timeout_s=${IMXF_TIMEOUT:-600}
mem=${IMXF_MEM:-1024}
out=
name=
moddir=
quiet=0
extra_env=()

while [ $# -gt 0 ]; do
	case $1 in
	--arch) [ $# -ge 2 ] || die "$1 needs an argument"; arch=$2; shift 2 ;;
	--arch=*) arch=${1#*=}; shift ;;
	--kernel) [ $# -ge 2 ] || die "$1 needs an argument"; kernel=$2; shift 2 ;;
	--kernel=*) kernel=${1#*=}; shift ;;
	--timeout) [ $# -ge 2 ] || die "$1 needs an argument"; timeout_s=$2; shift 2 ;;
	--timeout=*) timeout_s=${1#*=}; shift ;;
	--mem) [ $# -ge 2 ] || die "$1 needs an argument"; mem=$2; shift 2 ;;
	--mem=*) mem=${1#*=}; shift ;;
	--out) [ $# -ge 2 ] || die "$1 needs an argument"; out=$2; shift 2 ;;
	--out=*) out=${1#*=}; shift ;;
	--name) [ $# -ge 2 ] || die "$1 needs an argument"; name=$2; shift 2 ;;
	--name=*) name=${1#*=}; shift ;;
	--modules) [ $# -ge 2 ] || die "$1 needs an argument"; moddir=$2; shift 2 ;;
	--modules=*) moddir=${1#*=}; shift ;;
	--env) [ $# -ge 2 ] || die "$1 needs an argument"; extra_env+=("$2"); shift 2 ;;
	--env=*) extra_env+=("${1#*=}"); shift ;;
	-q|--quiet) quiet=1; shift ;;
	-h|--help) usage 0 ;;
	--) shift; break ;;
	*) die "unknown option '$1' (CMD must follow --)" ;;
	esac
done
[ $# -gt 0 ] || die "no command given (usage: $me [OPTIONS] -- CMD [ARGS...])"
case $timeout_s in ''|*[!0-9]*) die "--timeout wants seconds, got '$timeout_s'" ;; esac
case $mem in ''|*[!0-9]*) die "--mem wants MB, got '$mem'" ;; esac
[ "$mem" -ge 256 ] || die "--mem $mem is too small (>= 256)"
for e in ${extra_env[@]+"${extra_env[@]}"}; do
	[[ $e =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "--env wants NAME=VALUE, got '$e'"
done

case $arch in
x86_64) qemu=qemu-system-x86_64 ;;
armhf)
	qemu=qemu-system-arm
	[ "$kernel" != debug ] || die "--kernel debug is x86_64 only"
	for t in fdtput mke2fs base64; do
		command -v "$t" >/dev/null || die "$t not found (apt-get install device-tree-compiler e2fsprogs coreutils)"
	done
	;;
arm64)
	qemu=qemu-system-aarch64
	[ "$kernel" != debug ] || die "--kernel debug is x86_64 only"
	for t in mke2fs base64; do
		command -v "$t" >/dev/null || die "$t not found (apt-get install e2fsprogs coreutils)"
	done
	;;
*) die "--arch $arch: want x86_64, armhf or arm64" ;;
esac
for t in $qemu timeout flock cpio gzip modprobe depmod dpkg-deb sha256sum; do
	command -v "$t" >/dev/null || die "$t not found (apt-get install qemu-system-x86 qemu-system-arm cpio kmod coreutils util-linux)"
done
qemu=${IMXF_QEMU:-$qemu}

vmdir=$proj/build/vm
if [ "$kernel" = debug ]; then
	# built (or found up to date) here; flock inside
	"$here/debug-kernel.sh" || die "building the debug kernel failed"
	kver=$("$here/debug-kernel.sh" --kver) || die "no debug kernel"
	kroot=$vmdir/debug/root
	ktag=debug
else
	kver=$("$here/kver.sh" "$kernel" "${arch%x86_64}") || die "cannot resolve kernel '$kernel'"
	kroot=$vmdir/kernel/$kver
	ktag=
fi
kseries=$(echo "$kver" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
ktag=${ktag:-$kseries}
initrd=$vmdir/initramfs/$kver/initramfs.cpio.gz
mkdir -p "$vmdir/initramfs/$kver"

# armhf: Debian's busybox-static for armhf; the SD host and ext4 before
# anything is mounted (not the ARMv8 crypto modules ext4's crc32c would
# pull: the Cortex-A9 has no such instructions)
# The station image (~4 min to assemble from ~90 packages) is kept in a
# machine-wide cache like the debug kernel, so fresh clones reuse it;
# mkstation.sh rebuilds it when an input changes.  IMXF_CACHE moves it;
# a cache that cannot be created falls back to build/vm.
cache_root=${IMXF_CACHE:-/var/cache/imxflash}
mkdir -p "$cache_root/station" 2>/dev/null && [ -w "$cache_root/station" ] ||
	cache_root=$vmdir
station=$cache_root/station/$kver.img
dtb=$vmdir/kernel/$kver.sabrelite.dtb
if [ "$arch" = armhf ]; then
	export IMXF_EARLY="sdhci-esdhc-imx ext4" IMXF_EARLY_SKIP="/arch/arm/crypto/"
fi
# arm64: the station disk and the verdict port (virtio, all modules)
# before anything is mounted
[ "$arch" = arm64 ] && export IMXF_EARLY="virtio_pci virtio_blk virtio_console ext4"
[ "$arch" = x86_64 ] || export IMXF_BUSYBOX=$vmdir/cache/busybox-$arch/bin/busybox
# a foreign machine's userland: Debian's busybox-static of ARCH (unpacked)
# and the station image
prepare_foreign() {
	local bb=$vmdir/cache/busybox-$arch ver deb
	if [ ! -x "$IMXF_BUSYBOX" ]; then
		ver=$("$proj/tools/packaging/apt-download.sh" "$arch" candidate busybox-static) &&
		deb=$("$proj/tools/packaging/apt-download.sh" "$arch" get "busybox-static=$ver") &&
		rm -rf "$bb" && mkdir -p "$bb" && dpkg-deb -x "$deb" "$bb" || return
	fi
	"$here/mkstation.sh" "$arch" "$kver" "$kroot" "$station"
}
prepare_armhf() {
	local sl=/soc/bus@2100000
	prepare_foreign || return
	# QEMU's board: the UARTs have no DMA (the imx driver's DMA transmit
	# would stall: no DMA off ttymxc0, the verdict UART), the SD card
	# slots no card-detect or write-protect GPIO (the card on usdhc4 is
	# the station image, non-removable)
	cp "$kroot/usr/lib/linux-image-$kver/imx6q-sabrelite.dtb" "$dtb.tmp" &&
	fdtput -d "$dtb.tmp" /soc/bus@2000000/spba-bus@2000000/serial@2020000 dmas &&
	fdtput -d "$dtb.tmp" /soc/bus@2000000/spba-bus@2000000/serial@2020000 dma-names &&
	fdtput -d "$dtb.tmp" "$sl/mmc@219c000" cd-gpios &&
	fdtput -t s "$dtb.tmp" "$sl/mmc@219c000" non-removable "" &&
	mv "$dtb.tmp" "$dtb"
}

# kernel + base initramfs: once per kernel, serialised across parallel runs
(
	flock 8
	[ "$ktag" = debug ] || "$here/get-kernel.sh" "$kver" "$kroot" || exit 1
	if [ "$arch" = armhf ]; then prepare_armhf || exit 1; fi
	if [ "$arch" = arm64 ]; then prepare_foreign || exit 1; fi
	"$here/mkinitramfs.sh" "$kver" "$kroot" "$initrd" || exit 1
) 8>"$vmdir/.lock-$kver" || die "preparing kernel $kver failed"
kroot=$(cd "$kroot" && pwd -P)
# the ELF vmlinux (PVH entry) boots ~4 s faster under TCG than the bzImage
vmlinuz=$kroot/boot/vmlinux-$kver
[ -f "$vmlinuz" ] || vmlinuz=$kroot/boot/vmlinuz-$kver
vmlinuz=${IMXF_KERNEL_IMAGE:-$vmlinuz}

if [ -z "$out" ]; then
	if [ -z "$name" ]; then
		name=$(basename -- "$1")
		name=${name%.sh}
		[[ $name =~ ^[A-Za-z0-9._+-]+$ ]] || name=cmd
		name=$name-$ktag
	fi
	out=$vmdir/out-$name
fi
# recreate --out, but never wipe a directory we did not make
if [ -e "$out" ]; then
	[ -d "$out" ] || die "--out $out exists and is not a directory"
	if [ -n "$(ls -A "$out")" ] && [ ! -e "$out/.imxf-vm-out" ]; then
		die "--out $out is not empty and was not made by $me; refusing to wipe it"
	fi
	rm -rf -- "$out"
fi
mkdir -p "$out"
out=$(cd "$out" && pwd -P)
case $out in *,*) die "--out $out: QEMU cannot take a path with a comma" ;; esac
touch "$out/.imxf-vm-out"

if [ -n "$moddir" ]; then
	[ -d "$moddir" ] || die "--modules $moddir is not a directory"
	moddir=$(cd "$moddir" && pwd -P)
elif [ "$arch" != x86_64 ]; then
	moddir=$proj/build/kmod/$kver
else
	moddir=$proj
fi

# per-run part of the initramfs: environment + command, appended as a
# second (gzipped) cpio archive
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
run=$(mktemp -d "${TMPDIR:-/tmp}/imxf-vm.XXXXXX")

cleanup() {
	# QEMU runs in the background: never leave it behind
	if [ -s "$run/qemu.pid" ] && [ ! -e "$run/qemu.rc" ]; then
		kill "$(cat "$run/qemu.pid")" 2>/dev/null
	fi
	rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$run/root/etc/imxf"
# the verdict's token: only /init knows it (it removes vm.env at once)
token=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
[ ${#token} -eq 24 ] || die "no random token"
{
	echo "IMXF_TOKEN=$token"
	echo "IMXF_VM_ARCH=$arch"
	if [ "$arch" = armhf ]; then
		echo "IMXF_RESULT_DEV=/dev/ttymxc0"
		echo "IMXF_STATION_DEV=/dev/mmcblk3"
	elif [ "$arch" = arm64 ]; then
		echo "IMXF_RESULT_DEV=/dev/vport0p1"
		echo "IMXF_STATION_DEV=/dev/vda"
	fi
} >"$run/root/etc/imxf/vm.env"
if [ "$arch" != x86_64 ]; then
	# what the guest sees at /host: the test scripts (and the netlink
	# spec and uapi headers they check), the ARCH tools and test
	# programs where the x86 ones are in build/, our modules
	cross=${IMXF_CROSS_BUILD:-$proj/build/cross/$arch}
	for d in tools/testing/selftests/imxflash Documentation/netlink include/uapi; do
		mkdir -p "$run/root/host$proj/$d"
		cp -a "$proj/$d/." "$run/root/host$proj/$d/"
	done
	mkdir -p "$run/root/host$proj/build" "$run/root/host$moddir"
	for d in userspace tests tools; do
		[ -d "$cross/$d" ] || die "$cross/$d missing (cross-build.sh $arch builds it)"
		mkdir -p "$run/root/host$proj/build/$d"
		find "$cross/$d" -maxdepth 1 -type f -perm -u+x -exec cp {} "$run/root/host$proj/build/$d/" \;
	done
	cp "$moddir"/*.ko "$run/root/host$moddir/" || die "no modules in $moddir"
fi
{
	echo "export IMXF_HOST=/host"
	echo "export IMXF_SRC=$(q "/host$proj")"
	echo "export IMXF_OUT=/out"
	echo "export IMXF_KVER=$(q "$kver")"
	echo "export IMXF_KSERIES=$(q "$kseries")"
	echo "export IMXF_MODDIR=$(q "/host$moddir")"
	echo "export IMXF_KROOT_HOST=$(q "$kroot")"
	echo "export IMXF_TIMEOUT=$(q "$timeout_s")"
	[ "$ktag" = debug ] && echo "export IMXF_KDEBUG=1"
	for e in ${extra_env[@]+"${extra_env[@]}"}; do
		echo "export ${e%%=*}=$(q "${e#*=}")"
	done
} >"$run/root/etc/imxf/run.env"
{
	printf 'set --'
	for a in "$@"; do printf ' %s' "$(q "$a")"; done
	printf '\n'
} >"$run/root/etc/imxf/cmd"
(cd "$run/root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$run/run.cpio.gz"
cat "$initrd" "$run/run.cpio.gz" >"$run/initrd.gz"

append="console=ttyS0 log_buf_len=4M reboot=t panic=-1 panic_on_warn=1 oops=panic quiet loglevel=5 8250.nr_uarts=2"
[ "$arch" = armhf ] && append="console=ttymxc1 log_buf_len=4M panic=-1 panic_on_warn=1 oops=panic quiet loglevel=5"
[ "$arch" = arm64 ] && append="console=ttyAMA0 log_buf_len=4M panic=-1 panic_on_warn=1 oops=panic quiet loglevel=5"
# debug kernel: SLUB sanity checks + red zones + poisoning (F,Z,P) on top of
# KASAN; kmemleak is on by default (CONFIG_DEBUG_KMEMLEAK_DEFAULT_OFF=n)
[ "$ktag" = debug ] && append+=" slub_debug=FZP"
append+=" ${IMXF_APPEND:-}"
accel=${IMXF_ACCEL:-tcg}

result=$out/result
console=$out/console.log
: >"$result"
if [ "$arch" = armhf ]; then
	# UART1 (ttymxc0) the verdict, UART2 (ttymxc1) the console; the
	# station image on the fourth SD slot (usdhc4: the first three get
	# empty card slots), never written (QEMU's SD card cannot be
	# read-only: snapshot=on keeps writes in a temporary overlay)
	qargs=(
	-nodefaults -display none -no-reboot -monitor none
	-machine sabrelite -smp 2 -m "$mem"
	-serial "file:$result.raw" -serial stdio
	-kernel "$kroot/boot/vmlinuz-$kver" -dtb "$dtb"
	-initrd "$run/initrd.gz" -append "$append"
	-device sd-card -device sd-card -device sd-card
	-drive "if=none,id=station,file=$station,format=raw,snapshot=on"
	-device sd-card,drive=station
	-pidfile "$run/qemu.pid"
	)
elif [ "$arch" = arm64 ]; then
	# the console on the UART, the verdict on a virtio serial port, the
	# station image as a virtio disk (read-only)
	qargs=(
	-nodefaults -display none -no-reboot -monitor none
	-machine virt -cpu cortex-a57 -smp 2 -m "$mem"
	-kernel "$kroot/boot/vmlinuz-$kver"
	-initrd "$run/initrd.gz" -append "$append"
	-serial stdio
	-device virtio-serial-pci
	-chardev "file,id=verdict,path=$result.raw"
	-device virtserialport,chardev=verdict,name=imxf.verdict
	-drive "if=none,id=station,file=$station,format=raw,readonly=on"
	-device virtio-blk-pci,drive=station
	-pidfile "$run/qemu.pid"
	)
else
qargs=(
	-nodefaults -display none -no-reboot -monitor none
	-machine "q35,accel=$accel" -cpu max -smp 2 -m "$mem"
	-kernel "$vmlinuz" -initrd "$run/initrd.gz" -append "$append"
	-fsdev "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap"
	-device "virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot"
	-fsdev "local,id=out,path=$out,security_model=none,multidevs=remap"
	-device "virtio-9p-pci,fsdev=out,mount_tag=out"
	-serial stdio -serial "file:$result.raw"
	-pidfile "$run/qemu.pid"
)
fi
# shellcheck disable=SC2206
[ -n "${IMXF_QEMU_ARGS:-}" ] && qargs+=(${IMXF_QEMU_ARGS})

echo "$me: kernel $kver ($accel), ${mem} MB, timeout ${timeout_s}s, out $out" >&2
echo "$me: cmd: $*" >&2
run_qemu() {
	if [ $quiet -eq 1 ]; then
		timeout --foreground -k 5 "$timeout_s" "$qemu" "${qargs[@]}" </dev/null 2>&1 |
			sed -u 's/\r$//' >"$console"
	else
		timeout --foreground -k 5 "$timeout_s" "$qemu" "${qargs[@]}" </dev/null 2>&1 |
			sed -u 's/\r$//' | tee "$console"
	fi
	echo "${PIPESTATUS[0]}" >"$run/qemu.rc"
}
t0=$(date +%s.%N)
set +e
: >"$console"
run_qemu &
qpid=$!
# The sabrelite board halts (after the verdict, or after a panic's
# reboot attempt) and QEMU goes on running: end it here once the verdict
# is complete, or a few seconds after a panic (the rest of its report).
# (arm64 powers off, but ending it once the verdict is in is the same.)
ended=
if [ "$arch" != x86_64 ]; then
	while kill -0 "$qpid" 2>/dev/null; do
		if grep -qE "^$token (done|init-error=)" "$result.raw" 2>/dev/null; then
			ended=verdict
		elif grep -qE 'Kernel panic - not syncing|Reboot failed -- System halted' "$console"; then
			sleep 3
			ended=halt
		fi
		if [ -n "$ended" ]; then
			kill "$(cat "$run/qemu.pid" 2>/dev/null)" 2>/dev/null
			break
		fi
		sleep 0.5
	done
fi
wait "$qpid"
set -e
t1=$(date +%s.%N)
qrc=$(cat "$run/qemu.rc" 2>/dev/null || echo 255)
# ended by us after its verdict: QEMU's status after SIGTERM says nothing
[ "$ended" = verdict ] && [ "$qrc" -ne 124 ] && [ "$qrc" -ne 137 ] && qrc=0
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
echo "$me: boot-to-poweroff ${wall}s (kernel $kver)" >&2

# only the lines with this run's token are the verdict; /out comes back
# base64-encoded on armhf
tr -d '\r' <"$result.raw" | sed -n "s/^$token //p" >"$result"
rm -f "$result.raw"
if grep -q '^out: ' "$result"; then
	sed -n 's/^out: //p' "$result" | base64 -d | tar -xz -C "$out" ||
		echo "$me: warning: /out from the guest is damaged" >&2
	sed -i '/^out: /d' "$result"
fi
fail() {
	echo "$me: FAIL ($kver): $*" >&2
	echo "$me: console log: $console" >&2
	exit 1
}
panic_lines() {	# from the first complaint, 40 lines, and the panic line
	local first
	first=$(grep -n -m1 -E 'WARNING:|BUG:|Oops|general protection|UBSAN:|blocked for more than|hard LOCKUP|Kernel panic' "$console" | cut -d: -f1)
	[ -n "$first" ] || return 0
	sed -n "${first},$((first + 39))p" "$console" | sed 's/^/    /' >&2
	grep -m1 'Kernel panic - not syncing' "$console" | sed 's/^/    /' >&2
}

if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	fail "TIMEOUT after ${timeout_s}s (qemu killed)"
fi
if grep -q '^init-error=' "$result"; then
	# the end of the console: the kernel's view of what /init could not
	# set up (a CI log has only these lines, not the console file)
	tail -n 15 "$console" | tr -d '\r' | sed "s/^/$me: console| /" >&2
	fail "VM setup failed: $(sed -n 's/^init-error=//p' "$result" | head -n1)"
fi
rc_line=$(sed -n 's/^exit=//p' "$result" | head -n1)
if [ -z "$rc_line" ]; then
	if grep -q 'Kernel panic' "$console"; then
		echo "$me: kernel panicked:" >&2
		panic_lines
		fail "no verdict: kernel panic (WARN/oops with panic_on_warn/oops=panic?)"
	fi
	fail "no verdict from the guest (qemu exit status $qrc)"
fi
if ! grep -qx 'done' "$result" || ! grep -qE '^dmesg=(clean|dirty)$' "$result"; then
	fail "incomplete verdict (exit=$rc_line; VM died before finishing the dmesg check)"
fi
if grep -qx 'kmemleak=leaks' "$result"; then
	echo "$me: kmemleak report (full: $out/kmemleak.log):" >&2
	sed -n 's/^kmemleak| /    /p' "$result" >&2
fi
if grep -qx 'dmesg=dirty' "$result"; then
	echo "$me: offending kernel log lines:" >&2
	sed -n 's/^dmesg: /    /p' "$result" >&2
	fail "dirty dmesg (command exit=$rc_line; full log in $out/dmesg.log)"
fi
if [ "$rc_line" != 0 ]; then
	fail "command exited with status $rc_line"
fi
if [ "$qrc" -ne 0 ]; then
	fail "qemu exited with status $qrc after a good verdict"
fi
echo "$me: PASS ($kver)" >&2
exit 0
