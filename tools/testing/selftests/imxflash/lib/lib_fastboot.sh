#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the usb_f_fastboot suites (bash; in the VM, /bin/bash runs
# the host's bash with the host's tools: GNU cmp, dd, md5sum, sfdisk,
# losetup, fastboot, uuu, img2simg, python3).  Source after lib.sh.
#
# Gadgets are built from configfs only: VID:PID 0525:a4a5 (U-Boot's i.MX
# fastboot gadget, in uuu's built-in FB: table), a serial number, one
# configuration whose first (and only) function is fastboot.<name>, bound
# to a dummy_hcd UDC.
#
# Backing stores are plain files in /tmp (tmpfs: holes cost nothing) or
# loop devices over them, with MBR/GPT tables made by sfdisk.  Region
# checks prove that bytes outside a target did not change.

FB_VID=0x0525
FB_PID=0xa4a5
FB_WORK=${FB_WORK:-/tmp/fb}
mkdir -p "$FB_WORK"

# busybox has usleep, the host's bash may not.
command -v usleep > /dev/null 2>&1 ||
	usleep() { sleep "$(awk -v u="$1" 'BEGIN { printf "%.6f", u / 1e6 }')"; }

fb_log() { echo "# $*" >&2; }

# fb_modules [NUM_UDC]: dummy_hcd, libcomposite, loop and usb_f_fastboot.
fb_modules() {
	[ -d /sys/module/dummy_hcd ] || modprobe dummy_hcd num="${1:-1}" || return
	modprobe libcomposite || return
	modprobe loop 2> /dev/null || [ -e /dev/loop-control ] || return
	[ -d /sys/module/usb_f_fastboot ] && return 0
	insmod "$IMXF_MODDIR/usb_f_fastboot.ko"
}

# --- gadget ----------------------------------------------------------------
fb_gdir() { echo "$CFS/$1"; }
fb_fdir() { echo "$CFS/$1/functions/fastboot.$1"; }

# fb_gadget_create NAME [SERIAL]: gadget NAME with function fastboot.NAME
# (not bound; set attributes, add partitions, then fb_bind).
fb_gadget_create() {
	local g=$CFS/$1
	mkdir -p "$g/strings/0x409" "$g/configs/c.1/strings/0x409" \
		"$g/functions/fastboot.$1" || return
	echo $FB_VID > "$g/idVendor" || return
	echo $FB_PID > "$g/idProduct" || return
	echo 0x0100 > "$g/bcdDevice"
	echo 0x0200 > "$g/bcdUSB"
	echo "imxflash" > "$g/strings/0x409/manufacturer"
	echo "fastboot test board" > "$g/strings/0x409/product"
	echo "${2:-IMXF$1}" > "$g/strings/0x409/serialnumber"
	echo "fastboot" > "$g/configs/c.1/strings/0x409/configuration"
	echo 100 > "$g/configs/c.1/MaxPower"
}

# fb_set NAME ATTR VALUE / fb_get NAME ATTR: function attributes
fb_set() { echo "$3" > "$(fb_fdir "$1")/$2"; }
fb_get() { cat "$(fb_fdir "$1")/$2"; }

# fb_stat NAME KEY: one value of the function's "stats" ("key value",
# "key: value" or "key=value" lines).
fb_stat() {
	sed -n -E "s/^[[:space:]]*$2[[:space:]]*[:=]?[[:space:]]*([0-9]+).*/\1/p" \
		"$(fb_fdir "$1")/stats" | head -n1
}

# fb_part NAME PART [path=P] [offset=N] [size=N] [type=T]: an explicit
# partition partitions/PART.
fb_part() {
	local d
	d=$(fb_fdir "$1")/partitions/$2
	shift 2
	mkdir -p "$d" || return
	local a
	for a in "$@"; do
		echo "${a#*=}" > "$d/${a%%=*}" || { fb_log "cannot set $d/${a%%=*}"; return 1; }
	done
}

# fb_bind NAME UDC: link the function (first in c.1) and bind; waits for
# the host to see the fastboot interface.
fb_bind() {
	local g=$CFS/$1
	[ -e "$g/configs/c.1/fastboot.$1" ] ||
		ln -s "$g/functions/fastboot.$1" "$g/configs/c.1/" || return
	echo "$2" > "$g/UDC" || return
	fb_wait_iface "$(cat "$g/strings/0x409/serialnumber")" present 10
}

# fb_unbind NAME: off the bus and out of the configuration (function
# attributes can only be written then: -EBUSY while linked)
fb_unbind() {
	local g=$CFS/$1
	[ -e "$g/UDC" ] || return 0
	if [ -n "$(cat "$g/UDC")" ]; then
		echo "" > "$g/UDC" || return
		# the host drops the device asynchronously: a bind right after
		# must not find the old one still there
		fb_wait_iface "$(cat "$g/strings/0x409/serialnumber")" gone 10 || return
	fi
	rm -f "$g/configs/c.1/fastboot.$1"
}

fb_gadget_destroy() {
	local g=$CFS/$1 p
	[ -d "$g" ] || return 0
	fb_unbind "$1"
	rm -f "$g/configs/c.1/fastboot.$1"
	for p in "$g/functions/fastboot.$1"/partitions/*; do
		[ -d "$p" ] && rmdir "$p"
	done
	rmdir "$g/configs/c.1/strings/0x409" "$g/configs/c.1" \
		"$g/functions/fastboot.$1" "$g/strings/0x409" "$g"
}

# fb_iface SERIAL: sysfs dir of the interface FF/42/03 of the device with
# that serial (any VID/PID), as fastboot 29.0.6 finds it.
fb_iface() {
	local i d
	for i in /sys/bus/usb/devices/*:*; do
		[ "$(cat "$i/bInterfaceClass" 2> /dev/null)" = ff ] || continue
		[ "$(cat "$i/bInterfaceSubClass")" = 42 ] || continue
		[ "$(cat "$i/bInterfaceProtocol")" = 03 ] || continue
		d=${i%:*}
		[ "$(cat "$d/serial" 2> /dev/null)" = "$1" ] || continue
		echo "$i"
		return 0
	done
	return 1
}

# fb_port SERIAL: USB port path ("3-1") of that fastboot device
fb_port() { local i; i=$(fb_iface "$1") || return; i=${i##*/}; echo "${i%:*}"; }

# fb_wait_iface SERIAL present|gone [SECONDS]
fb_wait_iface() {
	local i=0 n=$((${3:-10} * 20))
	while [ $i -lt $n ]; do
		if fb_iface "$1" > /dev/null; then
			if [ "$2" = present ]; then
				# the usbfs node too
				local d
				d=$(fb_iface "$1")
				d=${d%:*}
				[ -e "$(printf /dev/bus/usb/%03d/%03d "$(cat "$d/busnum")" "$(cat "$d/devnum")")" ] &&
					return 0
			fi
		else
			[ "$2" = gone ] && return 0
		fi
		usleep 50000
		i=$((i + 1))
	done
	fb_log "fastboot device '$1' not $2 after ${3:-10}s"
	return 1
}

# --- backing stores and images ----------------------------------------------
# fb_mkimage FILE SIZE SEED [random|mixed|sparse]: a test image (see
# fb_mkimage.c; "mixed" has zero, 0xff and pattern regions that clients
# turn into FILL chunks, "sparse" is mostly holes for img2simg)
fb_mkimage() { "$BIN/tests/fb_mkimage" "$@"; }

# fb_mkstore FILE SIZE [SEED]: a backing file of SIZE random bytes.  No
# holes: reading a hole of tmpfs under TCG is ~20 times slower than data,
# and random content makes any stray write change a checksum.
fb_mkstore() { rm -f "$1"; fb_mkimage "$1" "$2" "${3:-77}" random; }

# fb_fill FILE OFF LEN [SEED]: overwrite a range with random bytes (so that
# what a later flash writes is distinguishable from what was there)
fb_fill() { "$BIN/tests/fb_mkimage" --fill "$1" "$2" "$3" "${4:-$2}"; }

fb_size() { if [ -b "$1" ]; then blockdev --getsize64 "$1"; else stat -c %s "$1"; fi; }

# fb_sha FILE OFF LEN: checksum of a byte range (md5: twice as fast as
# sha256 under TCG, and only accidental changes are to be found)
fb_sha() {
	if [ "$3" -le 0 ]; then echo empty; return; fi
	dd if="$1" bs=1M iflag=skip_bytes,count_bytes skip="$2" count="$3" \
		status=none | md5sum | cut -c1-32
}

# fb_snap FILE START LEN: checksums of everything outside
# [START, START+LEN), to compare with fb_snap after the operation.
fb_snap() {
	local sz
	sz=$(fb_size "$1")
	echo "$(fb_sha "$1" 0 "$2") $(fb_sha "$1" $(($2 + $3)) $((sz - $2 - $3)))"
}

# fb_cmp_range FILE OFF IMAGE [LEN]: the LEN (default: all of IMAGE)
# bytes at OFF of FILE equal IMAGE (fb_mkimage --cmp: holes of IMAGE are
# not read; the first difference is reported)
fb_cmp_range() {
	"$BIN/tests/fb_mkimage" --cmp "$1" "$2" "$3" ${4:+"$4"} > "$FB_WORK/cmp.log" 2>&1 && return 0
	fb_log "$(cat "$FB_WORK/cmp.log")"
	return 1
}

# fb_zero_range FILE OFF LEN: the range reads as zeros
fb_zero_range() {
	cmp -n "$3" -i "$2:0" "$1" /dev/zero > "$FB_WORK/cmp.log" 2>&1 && return 0
	fb_log "$(cat "$FB_WORK/cmp.log")"
	return 1
}

# --- partition tables ------------------------------------------------------
# fb_sfdisk FILE: sfdisk script on stdin, table written to FILE
fb_sfdisk() { sfdisk -q --no-reread --no-tell-kernel "$1" > "$FB_WORK/sfdisk.log" 2>&1 || { cat "$FB_WORK/sfdisk.log" >&2; return 1; }; }

# fb_loop FILE: attach with partition scanning, prints /dev/loopN
fb_loop() { losetup -f --show -P "$1"; }
fb_unloop() { [ -n "$1" ] && losetup -d "$1" 2> /dev/null; return 0; }

# fb_loop_parts DEV: "pN:start:size ..." (512-byte sectors) as the kernel
# sees them in sysfs
fb_loop_parts() {
	local b=${1#/dev/} p out=
	for p in /sys/block/"$b"/"$b"p*; do
		[ -d "$p" ] || continue
		out="$out ${p##*/"$b"}:$(cat "$p/start"):$(cat "$p/size")"
	done
	echo "${out# }"
}

# fb_table_parts FILE: the same list from the table on FILE (sfdisk -d)
fb_table_parts() {
	sfdisk -d "$1" 2> /dev/null | sed -n -E \
		's|^[^ ]*[^0-9]([0-9]+) : start= *([0-9]+), size= *([0-9]+).*|p\1:\2:\3|p' |
		tr '\n' ' ' | sed 's/ $//'
}

# --- hosts -----------------------------------------------------------------
# fb_fastboot SERIAL ARGS...: Debian's fastboot on that device, output in
# $FB_WORK/fastboot.log (also shown as diagnostics on failure)
fb_fastboot() {
	local s=$1 rc
	shift
	timeout "${FB_TIMEOUT:-300}" fastboot -s "$s" "$@" > "$FB_WORK/fastboot.log" 2>&1
	rc=$?
	[ $rc -eq 0 ] || { fb_log "fastboot $* -> exit $rc"; sed 's/^/#   /' "$FB_WORK/fastboot.log" | tail -n 15 >&2; }
	return $rc
}

# fb_uuu_path PORT: uuu's spelling of a port path ("3-1.2" -> "3:12")
fb_uuu_path() { local b=${1%%-*} p=${1#*-}; echo "$b:${p//./}"; }

# fb_uuu PORT ARGS...: uuu restricted to that USB port path (all devices
# if PORT is ""), output in $FB_WORK/uuu.log
fb_uuu() {
	local p=$1 rc
	shift
	[ -z "$p" ] || set -- -m "$(fb_uuu_path "$p")" "$@"
	timeout "${FB_TIMEOUT:-300}" uuu "$@" > "$FB_WORK/uuu.log" 2>&1 < /dev/null
	rc=$?
	[ $rc -eq 0 ] || { fb_log "uuu $* -> exit $rc"; tr '\r' '\n' < "$FB_WORK/uuu.log" | grep -v '^ *$' | tail -n 15 | sed 's/^/#   /' >&2; }
	return $rc
}

# fb_dmesg_mark / fb_dmesg_since: kernel log lines since the mark
# (a line of our own in the log, not a line count: once the ring buffer is
# full a count stops growing and "since" would be empty whatever happened)
fb_dmesg_mark() {
	FB_DMESG_MARK="imxf-dmesg-mark-$$-$(cut -d' ' -f1 /proc/uptime)"
	echo "$FB_DMESG_MARK" > /dev/kmsg
}
fb_dmesg_since() {
	dmesg | sed -n "/$FB_DMESG_MARK/,\$p" | sed 1d
}

# timed "description" cmd...: check with the duration as a diagnostic
timed() {
	local t0 desc=$1
	t0=$(date +%s.%N)
	check "$desc" "${@:2}"
	diag "  $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f s", b - a }')"
}

# fl_fails RC PATTERN ARGS...: fastboot-lite ($FL) exits with RC and says
# PATTERN; its output in $W/fl.log, its exit status in FL_RC
fl_fails() {
	local want=$1 pat=$2
	shift 2
	timeout 120 "$FL" "$@" > "$W/fl.log" 2>&1
	FL_RC=$?
	if [ $FL_RC -ne "$want" ] || ! grep -q -- "$pat" "$W/fl.log"; then
		fb_log "fastboot-lite $* -> exit $FL_RC, wanted $want and '$pat':"
		sed 's/^/#   /' "$W/fl.log" | tail -n 8 >&2
		return 1
	fi
	diag "  $(head -c 400 "$W/fl.log" | head -n 1)"
}
