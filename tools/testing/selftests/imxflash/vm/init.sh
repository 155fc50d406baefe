#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC1091,SC2015
# /init of the imxflash test VM (busybox sh, PID 1).  Built into the
# initramfs by mkinitramfs.sh; the per-run part (environment and command)
# comes from a second cpio appended by run-vm.sh: /etc/imxf/run.env and
# /etc/imxf/cmd.
#
# Verdict channel: /dev/ttyS1 (the host's $OUT/result; on the sabrelite
# VM the first UART, ttymxc0; on the arm64 virt VM a virtio serial port,
# vport0p1), written only here, every line prefixed with
# the run's random token (from /etc/imxf/vm.env, read and removed before
# anything else runs, so the command cannot write a verdict):
#   exit=<rc>          exit status of the command
#   dmesg: <line>      (0..n) offending kernel log lines
#   kmemleak| <line>   (0..n) kmemleak report (debug kernel)
#   kmemleak=clean|leaks|off   (only if the kernel has kmemleak)
#   dmesg=clean|dirty
#   done
#   out: <base64>      (armhf, arm64) /out as a gzipped tar: no 9p there
# or "init-error=<why>" if the VM could not be set up.
# Whatever happens, the VM ends with `reboot -f` (reboot=t + qemu -no-reboot
# turn this into a QEMU exit; the sabrelite board halts instead, and
# run-vm.sh ends QEMU once the verdict is complete).  If /init exited the
# kernel would panic.
#
# On armhf and arm64 (IMXF_VM_ARCH) the host side is not the machine's
# root over 9p but a Debian userland of that architecture on an SD card
# (a virtio disk on arm64; mkstation.sh), mounted at /hv;
# /host holds the project files of the run (from the initramfs).

export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/root TERM=dumb
umask 022

# vm.env: IMXF_TOKEN, IMXF_VM_ARCH, IMXF_RESULT_DEV, IMXF_STATION_DEV
[ -r /etc/imxf/vm.env ] && . /etc/imxf/vm.env
rm -f /etc/imxf/vm.env
TOKEN=${IMXF_TOKEN:-}
unset IMXF_TOKEN
ARCH=${IMXF_VM_ARCH:-x86_64}
RESULT=${IMXF_RESULT_DEV:-/dev/ttyS1}
res_open=0
# res LINE: one verdict line
res() { echo "$TOKEN $*" >&9; }

log() { echo "imxf-init: $*"; }

poweroff_now() {
	[ $res_open -eq 1 ] && exec 9>&-	# final close drains the UART
	sync
	reboot -f
	# not reached; never let PID 1 exit
	while :; do sleep 1000; done
}

fatal() {
	echo "imxf-init: FATAL: $*" >&2
	if [ $res_open -eq 1 ]; then
		res "init-error=$*"
	elif echo "$TOKEN init-error=$*" >$RESULT; then :
	fi
	poweroff_now
}

mnt() {	# mnt TYPE SRC DIR [OPTS]
	mkdir -p "$3"
	mount -t "$1" ${4:+-o "$4"} "$2" "$3" || fatal "mount -t $1 $2 $3 ${4:-} failed"
}

mnt proc proc /proc
mnt sysfs sysfs /sys
mnt devtmpfs devtmpfs /dev
mnt devpts devpts /dev/pts gid=5,mode=620,ptmxmode=666
mnt tmpfs shm /dev/shm mode=1777
mnt debugfs debugfs /sys/kernel/debug
mnt tmpfs tmpfs /run mode=755,size=64m
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
for i in 0 1 2; do [ -e /dev/std$i ] || ln -s /proc/self/fd/$i /dev/std$i 2>/dev/null; done

# early modules from the initramfs: the 9p transport and fs (virtio and
# virtio_pci may be built in); on armhf the SD host and ext4; on arm64
# also the verdict port's driver (virtio_console), hence before it
while read -r ko; do
	[ -n "$ko" ] || continue
	insmod "/lib/imxf-early/$ko" || fatal "insmod $ko failed"
done </etc/imxf/early-modules

# The verdict port: opened once, kept as fd 9 (not passed to the command),
# then its node is removed so nothing else writes to it by accident.  (A
# virtio serial port's node comes a little after its driver loaded.)
i=0
while [ ! -c $RESULT ] && [ $i -lt 50 ]; do
	usleep 100000
	i=$((i + 1))
done
[ -c $RESULT ] || fatal "$RESULT missing (second -serial not given?)"
if exec 9>$RESULT; then
	res_open=1
	stty -F $RESULT raw -echo 2>/dev/null
	rm -f $RESULT
else
	fatal "cannot open $RESULT"
fi

[ -r /etc/imxf/run.env ] || fatal "no /etc/imxf/run.env (run via run-vm.sh)"
. /etc/imxf/run.env
: "${IMXF_KVER:?}" "${IMXF_KROOT_HOST:?}"

# tmpfs for tests: most of the RAM (tmpfs only takes what is used)
mnt tmpfs tmpfs /tmp "mode=1777,size=${IMXF_TMP_SIZE:-70%}"

if [ "$ARCH" = x86_64 ]; then
	MSIZE=${IMXF_9P_MSIZE:-512000}
	CACHE=${IMXF_9P_CACHE:-loose}
	# (a bad 9p option on 6.1 trips a refcount WARN in the error path: check here)
	case $CACHE in none|loose|fscache|mmap) ;; *) fatal "IMXF_9P_CACHE=$CACHE: want none|loose|fscache|mmap" ;; esac
	case $MSIZE in ''|*[!0-9]*) fatal "IMXF_9P_MSIZE=$MSIZE: want a number" ;; esac
	# cache=loose: page cache + readahead for the host's files (executables
	# and libraries run via hostrun fault pages in; uncached that is one 9p
	# round trip per page).  The host root is not expected to change while the
	# VM runs.
	mnt 9p hostroot /host "trans=virtio,version=9p2000.L,ro,msize=$MSIZE,cache=$CACHE"
	mnt 9p out /out "trans=virtio,version=9p2000.L,msize=$MSIZE,cache=mmap"
	kmods=/host$IMXF_KROOT_HOST/lib/modules/$IMXF_KVER
else
	# The station's root (read-only), the run's /out kept in RAM.  Wait
	# until the disk can be read, not only until its node exists: the
	# kernel creates the node (device_add() in device_add_disk()) before
	# it registers the queue and the block device, and an open in between
	# fails with ENXIO.  Under TCG a stalled vCPU can hold that window open
	# for a second (most likely why one CI run's mount failed at once).
	t0=$(date +%s)
	while ! dd if="$IMXF_STATION_DEV" of=/dev/null bs=4096 count=1 2>/dev/null &&
	      [ $(($(date +%s) - t0)) -lt 20 ]; do
		usleep 100000
	done
	mkdir -p /hv
	if ! err=$(mount -t ext4 -o ro "$IMXF_STATION_DEV" /hv 2>&1); then
		dev=${IMXF_STATION_DEV#/dev/}
		fatal "mount $IMXF_STATION_DEV (station image) failed after $(($(date +%s) - t0)) s: ${err:-?}; kernel: $(dmesg | grep -E "$dev|${dev%blk*}" | tail -n 3 | tr '\n' '|')"
	fi
	mnt tmpfs out /out mode=755,size=64m
	kmods=/hv/lib/modules/$IMXF_KVER
fi

# /lib/modules/$KVER := the unpacked Debian kernel's modules
[ -f "$kmods/modules.dep" ] || fatal "$kmods/modules.dep missing (get-kernel.sh not run?)"
mkdir -p "/lib/modules/$IMXF_KVER"
mount --bind "$kmods" "/lib/modules/$IMXF_KVER" || fatal "bind $kmods failed"

[ -d /sys/module/configfs ] || modprobe configfs || fatal "modprobe configfs failed"
mnt configfs configfs /sys/kernel/config

# /hv: the host's root as seen by `hostrun` (chroot).  Every top-level
# entry of the host is bind-mounted, except the ones that must be the
# guest's own (/dev /proc /sys /tmp /run) and /out, /host which are added
# so the same paths work inside and outside the chroot.  (armhf: /hv is
# the station image, which has the mount points.)
mkdir -p /hv
[ "$ARCH" = x86_64 ] && for e in /host/* /host/.[!.]*; do
	[ -e "$e" ] || [ -L "$e" ] || continue
	n=${e##*/}
	case $n in
	dev|proc|sys|tmp|run|out|host|hv|lost+found) continue ;;
	esac
	if [ -L "$e" ]; then
		ln -s "$(readlink "$e")" "/hv/$n"
	elif [ -d "$e" ]; then
		mkdir "/hv/$n" && mount --bind "$e" "/hv/$n" ||
			fatal "bind $e /hv/$n failed"
	fi
done
for d in dev proc sys tmp run out; do
	mkdir -p /hv/$d
	mount --rbind /$d /hv/$d || fatal "rbind /$d /hv/$d failed"
done
mkdir -p /hv/host
mount --bind /host /hv/host || fatal "bind /host /hv/host failed"
# host kmod (`hostrun modprobe`, bash scripts) sees the guest's modules
if [ -d /hv/usr/lib/modules ]; then
	mount -t tmpfs -o mode=755,size=1m kmods /hv/usr/lib/modules &&
	mkdir "/hv/usr/lib/modules/$IMXF_KVER" &&
	mount --bind "/lib/modules/$IMXF_KVER" "/hv/usr/lib/modules/$IMXF_KVER" ||
		fatal "cannot set up /hv/usr/lib/modules"
fi

# Optional module autoloading for hotplugged devices (like udev would do):
# IMXF_HOTPLUG=1 runs busybox mdev as a netlink daemon that only calls
# `modprobe $MODALIAS` (it creates no nodes: devtmpfs does that).
if [ "${IMXF_HOTPLUG:-0}" = 1 ]; then
	cat >/etc/mdev.conf <<-'EOC'
	-$MODALIAS=.* 0:0 0600 ! @modprobe -q -b "$MODALIAS"
	.* 0:0 0600 !
	EOC
	mdev -d || fatal "mdev -d failed"
fi

# kmemleak (debug kernel): an object is reported only when it is >= 5 s
# old and unchanged since the previous scan, and "clear" only greys objects
# an earlier scan reported: so forgetting what boot left behind takes scan,
# wait, scan, clear (~18 s under TCG).  No boot-time suspects were seen
# with debug.config, so this is off by default: IMXF_KMEMLEAK_BOOTCLEAR=1.
KMEMLEAK=/sys/kernel/debug/kmemleak
uptime_cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
kmemleak_scan2() {	# two scans 5+ s apart: objects older than 5 s get reported
	local t0
	t0=$(uptime_cs)
	echo scan >$KMEMLEAK || return
	# a scan takes ~9 s under TCG; sleep only for what is missing
	[ $(($(uptime_cs) - t0)) -ge 600 ] || sleep 6
	echo scan >$KMEMLEAK
}
if [ -e $KMEMLEAK ] && [ "${IMXF_KMEMLEAK_BOOTCLEAR:-0}" = 1 ]; then
	kmemleak_scan2 2>/dev/null && echo clear >$KMEMLEAK 2>/dev/null ||
		log "kmemleak: boot scan/clear failed"
fi

[ -r /etc/imxf/cmd ] || fatal "no /etc/imxf/cmd"
. /etc/imxf/cmd
[ $# -gt 0 ] || fatal "empty command"

[ -n "${IMXF_VERBOSE:-}" ] && log "running: $*"
cd /tmp || fatal "cd /tmp"
"$@" </dev/null 9>&-
rc=$?
cd /

res "exit=$rc"

# Debug kernel: tear down what the test left (gadgets, our out-of-tree
# modules) so kmemleak sees what their unbind/exit paths leak, then scan.
# A teardown failure is only logged (the test may legitimately hold a
# reference); a bug it triggers shows up in the kernel log.
teardown() {
	local gone= unloaded=
	for g in /sys/kernel/config/usb_gadget/*/; do
		[ -d "$g" ] || continue
		n=${g%/}
		n=${n##*/}
		echo "" >"$g/UDC" 2>/dev/null
		rm -f "$g"/configs/*/* 2>/dev/null	# function links
		rmdir "$g"/configs/*/strings/* "$g"/configs/* \
			"$g"/functions/* "$g"/strings/* "$g" 2>/dev/null
		[ -d "$g" ] || { gone="$gone $n"; continue; }
		log "teardown: cannot remove gadget $g: UDC '$(cat "$g/UDC" 2>&1)'," \
			"left: $(cd "$g" && ls -d configs/* configs/*/* functions/* strings/* 2>&1 | tr '\n' ' ')"
	done
	for pass in 1 2; do	# a second pass for modules used by others
		for m in /sys/module/*/taint; do
			grep -q O "$m" 2>/dev/null || continue
			m=${m%/taint}
			m=${m##*/}
			if rmmod "$m" 2>/dev/null; then
				unloaded="$unloaded $m"
			elif [ $pass = 2 ]; then
				log "teardown: rmmod $m failed"
			fi
		done
	done
	log "teardown: gadgets removed:${gone:- none}; modules unloaded:${unloaded:- none}"
}
# Leak backtraces point into modules that teardown unloaded, which kmemleak
# can then only print as raw addresses: keep the text symbols of the
# out-of-tree modules and name such addresses "sym+0xoff [mod]".
modsyms() {
	local m mods=
	for m in /sys/module/*/taint; do
		grep -q O "$m" 2>/dev/null || continue
		m=${m%/taint}
		mods="$mods|${m##*/}"
	done
	[ -n "$mods" ] || return 0
	grep -E "^ffffffff[0-9a-f]{8} [tT] [^ ]+[[:space:]]+\[(${mods#|})\]\$" \
		/proc/kallsyms >/run/modsyms.txt
	# end of each module's core image (/proc/modules: name size ... base):
	# addresses past it (freed .init.text) stay raw
	awk -v re="^(${mods#|})\$" '$1 ~ re && $6 ~ /^0xffffffff/ {
		e = 0
		for (i = 11; i <= 18; i++)
			e = e * 16 + index("0123456789abcdef", substr($6, i, 1)) - 1
		e += $2	# (%x of busybox awk is 32-bit signed: two halves)
		printf "ffffffff%04x%04x t __end__ [%s]\n", int(e / 65536), e % 65536, $1
	}' /proc/modules >>/run/modsyms.txt
	cp /run/modsyms.txt /out/modsyms.txt 2>/dev/null
}
symbolize() {	# symbolize REPORT: raw "[<addr>] 0xaddr" -> "sym+0xoff [mod]"
	[ -s /run/modsyms.txt ] || { cat "$1"; return; }
	awk '
	function h(s,  i, v) {
		v = 0
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	NR == FNR { n++; a[n] = "" $1; sym[n] = $3 " " $4; next }
	{
		if (match($0, /\[<[0-9a-f]+>\] 0x[0-9a-f]+$/)) {
			x = substr($0, RSTART + 2, 16); b = 0
			for (i = 1; i <= n; i++)
				if (a[i] <= x && (b == 0 || a[i] > a[b]))
					b = i
			if (b && sym[b] !~ /^__end__ /) {
				off = h(substr(x, 9)) - h(substr(a[b], 9))
				split(sym[b], p, " ")
				if (off < 1048576) {
					print substr($0, 1, RSTART + 20) sprintf("%s+0x%x %s", p[1], off, p[2])
					next
				}
			}
		}
		print
	}' /run/modsyms.txt "$1"
}
kml=
if [ -e $KMEMLEAK ]; then
	modsyms
	[ "${IMXF_KDEBUG:-0}" = 1 ] && [ "${IMXF_TEARDOWN:-1}" = 1 ] && teardown
	if kmemleak_scan2 2>/run/kmemleak.err && cat $KMEMLEAK >/run/kmemleak.raw &&
	   symbolize /run/kmemleak.raw >/run/kmemleak.txt; then
		cp /run/kmemleak.txt /out/kmemleak.log 2>/dev/null
		if [ -s /run/kmemleak.txt ]; then
			kml=leaks
			n=$(grep -c '^unreferenced object' /run/kmemleak.txt)
			echo "imxf-init: kmemleak: $n unreferenced object(s):"
			cat /run/kmemleak.txt
			head -n 120 /run/kmemleak.txt | sed "s/^/$TOKEN kmemleak| /" >&9
		else
			kml=clean
		fi
	else
		kml=off
		log "kmemleak: scan failed: $(cat /run/kmemleak.err)"
	fi
	res "kmemleak=$kml"
fi

dmesg >/run/dmesg.txt 2>&1
cp /run/dmesg.txt /out/dmesg.log 2>/dev/null
pat='WARNING:|BUG:|Oops|general protection|sleeping function called from invalid context|kmemleak|UBSAN|KASAN|Call Trace|circular locking|INFO: task .* blocked'
# benign boot lines of the debug kernel
okpat='kmemleak: Kernel memory leak detector initialized'
if grep -E "$pat" /run/dmesg.txt | grep -v -E "$okpat" >/run/dmesg.bad; then
	head -n 40 /run/dmesg.bad | sed "s/^/$TOKEN dmesg: /" >&9
	res "dmesg=dirty"
elif [ "$kml" = leaks ]; then
	res "dmesg: kmemleak: unreferenced objects after the test (see kmemleak| lines)"
	res "dmesg=dirty"
elif [ "$kml" = off ] && [ "${IMXF_KDEBUG:-0}" = 1 ]; then
	res "dmesg: kmemleak: no scan possible on the debug kernel (disabled?)"
	res "dmesg=dirty"
else
	res "dmesg=clean"
fi
# no 9p on armhf: /out travels on the verdict channel
if [ "$ARCH" != x86_64 ]; then
	tar -C /out -cf - . | gzip -1 | base64 | sed "s/^/$TOKEN out: /" >&9
fi
res "done"
poweroff_now
