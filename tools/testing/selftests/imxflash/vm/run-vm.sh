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
# Options:
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
timeout_s=${IMXF_TIMEOUT:-600}
mem=${IMXF_MEM:-1024}
out=
name=
moddir=
quiet=0
extra_env=()

while [ $# -gt 0 ]; do
	case $1 in
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

for t in qemu-system-x86_64 timeout flock cpio gzip modprobe depmod dpkg-deb sha256sum; do
	command -v "$t" >/dev/null || die "$t not found (apt-get install qemu-system-x86 cpio kmod coreutils util-linux)"
done
qemu=${IMXF_QEMU:-qemu-system-x86_64}

vmdir=$proj/build/vm
if [ "$kernel" = debug ]; then
	# built (or found up to date) here; flock inside
	"$here/debug-kernel.sh" || die "building the debug kernel failed"
	kver=$("$here/debug-kernel.sh" --kver) || die "no debug kernel"
	kroot=$vmdir/debug/root
	ktag=debug
else
	kver=$("$here/kver.sh" "$kernel") || die "cannot resolve kernel '$kernel'"
	kroot=$vmdir/kernel/$kver
	ktag=
fi
kseries=$(echo "$kver" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
ktag=${ktag:-$kseries}
initrd=$vmdir/initramfs/$kver/initramfs.cpio.gz
mkdir -p "$vmdir/initramfs/$kver"

# kernel + base initramfs: once per kernel, serialised across parallel runs
(
	flock 8
	[ "$ktag" = debug ] || "$here/get-kernel.sh" "$kver" "$kroot" || exit 1
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
else
	moddir=$proj
fi

# per-run part of the initramfs: environment + command, appended as a
# second (gzipped) cpio archive
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
run=$(mktemp -d "${TMPDIR:-/tmp}/imxf-vm.XXXXXX")

cleanup() {

	rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$run/root/etc/imxf"
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

append="console=ttyS0 reboot=t panic=-1 panic_on_warn=1 oops=panic quiet loglevel=5 8250.nr_uarts=2"
# debug kernel: SLUB sanity checks + red zones + poisoning (F,Z,P) on top of
# KASAN; kmemleak is on by default (CONFIG_DEBUG_KMEMLEAK_DEFAULT_OFF=n)
[ "$ktag" = debug ] && append+=" slub_debug=FZP"
append+=" ${IMXF_APPEND:-}"
accel=${IMXF_ACCEL:-tcg}

result=$out/result
console=$out/console.log
: >"$result"
qargs=(
	-nodefaults -display none -no-reboot -monitor none
	-machine "q35,accel=$accel" -cpu max -smp 2 -m "$mem"
	-serial stdio -serial "file:$result"
	-kernel "$vmlinuz" -initrd "$run/initrd.gz" -append "$append"
	-fsdev "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap"
	-device "virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot"
	-fsdev "local,id=out,path=$out,security_model=none,multidevs=remap"
	-device "virtio-9p-pci,fsdev=out,mount_tag=out"
)
# shellcheck disable=SC2206
[ -n "${IMXF_QEMU_ARGS:-}" ] && qargs+=(${IMXF_QEMU_ARGS})

echo "$me: kernel $kver ($accel), ${mem} MB, timeout ${timeout_s}s, out $out" >&2
echo "$me: cmd: $*" >&2
t0=$(date +%s.%N)
set +e
if [ $quiet -eq 1 ]; then
	timeout --foreground -k 5 "$timeout_s" "$qemu" "${qargs[@]}" </dev/null 2>&1 |
		sed -u 's/\r$//' >"$console"
else
	timeout --foreground -k 5 "$timeout_s" "$qemu" "${qargs[@]}" </dev/null 2>&1 |
		sed -u 's/\r$//' | tee "$console"
fi
st=("${PIPESTATUS[@]}")
set -e
t1=$(date +%s.%N)
qrc=${st[0]}
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
echo "$me: boot-to-poweroff ${wall}s (kernel $kver)" >&2

tr -d '\r' <"$result" >"$result.txt" 2>/dev/null && mv "$result.txt" "$result"
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
