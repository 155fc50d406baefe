#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest half of vm/selftest.sh (busybox sh, run by run-vm.sh inside the VM).
# Checks the VM environment, the Debian USB gadget stack on dummy_hcd with a
# HID gadget 15a2:0054 (the i.MX6 SDP ROM's IDs), and the host tools run via
# hostrun.  TAP on stdout; exit 0 only if every test passed.

VID=15a2
PID=0054
G=/sys/kernel/config/usb_gadget/imxf_selftest
n=0
fails=0
NTESTS=16

echo "TAP version 13"
echo "1..$NTESTS"

ok() {	# ok RC DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fails=$((fails + 1))
	fi
}
diag() { sed 's/^/# /'; }

# wait_for SECONDS CMD...: poll CMD every 50 ms
wait_for() {
	_t=$(($1 * 20)); shift
	while [ $_t -gt 0 ]; do
		"$@" && return 0
		usleep 50000
		_t=$((_t - 1))
	done
	return 1
}

usbdev_present() {	# VID PID -> prints the sysfs dir
	for d in /sys/bus/usb/devices/*; do
		[ -f "$d/idVendor" ] || continue
		if [ "$(cat "$d/idVendor")" = "$1" ] && [ "$(cat "$d/idProduct")" = "$2" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

have_hidraw() {
	d=$(usbdev_present $VID $PID) || return 1
	ls "$d"/*/*/hidraw/hidraw* >/dev/null 2>&1
}

cleanup() {
	[ -d $G ] || return 0
	[ -n "$(cat $G/UDC 2>/dev/null)" ] && echo "" >$G/UDC
	rm -f $G/configs/c.1/hid.usb0
	rmdir $G/configs/c.1/strings/0x409 $G/configs/c.1 $G/functions/hid.usb0 \
		$G/strings/0x409 $G 2>/dev/null
}

# 1: environment
r=0
for v in IMXF_HOST IMXF_SRC IMXF_OUT IMXF_KVER IMXF_MODDIR; do
	eval "val=\${$v:-}"
	[ -n "$val" ] || { echo "$v unset" | diag; r=1; }
done
[ "$(uname -r)" = "${IMXF_KVER:-}" ] || { echo "uname -r $(uname -r) != $IMXF_KVER" | diag; r=1; }
[ -f "$IMXF_SRC/tools/testing/selftests/imxflash/vm/run-vm.sh" ] || { echo "IMXF_SRC=$IMXF_SRC not the project" | diag; r=1; }
[ -d "$IMXF_MODDIR" ] || { echo "IMXF_MODDIR=$IMXF_MODDIR missing" | diag; r=1; }
[ -f "/lib/modules/$IMXF_KVER/modules.dep" ] || { echo "no /lib/modules/$IMXF_KVER/modules.dep" | diag; r=1; }
ok $r "environment (kernel $(uname -r), src $IMXF_SRC)"

# 2: filesystems
r=0
for m in /proc /sys /dev /dev/pts /tmp /run /host /out /sys/kernel/config /sys/kernel/debug; do
	grep -q " $m " /proc/mounts || { echo "$m not mounted" | diag; r=1; }
done
echo probe >/out/guest-probe && [ "$(cat /out/guest-probe)" = probe ] || { echo "/out not writable" | diag; r=1; }
touch /host/etc/imxf-must-fail 2>/dev/null && { echo "/host is writable" | diag; rm -f /host/etc/imxf-must-fail; r=1; }
ok $r "mounts: proc sys dev tmp run configfs debugfs, /host read-only, /out writable"

# 3: Debian modules
r=0
for m in "dummy_hcd num=1" libcomposite usb_f_hid; do
	# shellcheck disable=SC2086
	modprobe $m 2>&1 | diag
	[ -d "/sys/module/${m%% *}" ] || { echo "modprobe $m failed" | diag; r=1; }
done
ok $r "modprobe dummy_hcd libcomposite usb_f_hid"

# 4: configfs HID gadget on dummy_udc.0
r=0
{
	mkdir $G &&
	echo 0x$VID >$G/idVendor &&
	echo 0x$PID >$G/idProduct &&
	echo 0x0200 >$G/bcdUSB &&
	mkdir $G/strings/0x409 &&
	echo "Freescale SemiConductor Inc" >$G/strings/0x409/manufacturer &&
	echo "SE Blank ARIK (imxflash selftest)" >$G/strings/0x409/product &&
	mkdir $G/functions/hid.usb0 &&
	echo 0 >$G/functions/hid.usb0/protocol &&
	echo 0 >$G/functions/hid.usb0/subclass &&
	echo 64 >$G/functions/hid.usb0/report_length &&
	# vendor page 0xff00, one 64-byte input and one 64-byte output report
	printf '\006\000\377\011\001\241\001\025\000\046\377\000\165\010\225\100\011\001\201\002\011\001\221\002\300' \
		>$G/functions/hid.usb0/report_desc &&
	mkdir $G/configs/c.1 &&
	mkdir $G/configs/c.1/strings/0x409 &&
	echo "SDP" >$G/configs/c.1/strings/0x409/configuration &&
	ln -s $G/functions/hid.usb0 $G/configs/c.1/ &&
	[ -e /sys/class/udc/dummy_udc.0 ] &&
	echo dummy_udc.0 >$G/UDC
} 2>&1 | diag
[ "$(cat $G/UDC 2>/dev/null)" = dummy_udc.0 ] || r=1
ok $r "configfs HID gadget $VID:$PID bound to dummy_udc.0"

# 5: enumeration on the host side of dummy_hcd
if wait_for 10 usbdev_present $VID $PID >/dev/null; then
	d=$(usbdev_present $VID $PID)
	echo "enumerated at $d: $(cat "$d/manufacturer" 2>/dev/null) / $(cat "$d/product" 2>/dev/null), speed $(cat "$d/speed")" | diag
	ok 0 "host enumerates $VID:$PID"
else
	ok 1 "host enumerates $VID:$PID"
fi

# 6, 7: lsusb from the host system
out=$(hostrun lsusb 2>&1); r=$?
echo "$out" | diag
echo "$out" | grep -q 'ID 1d6b:0002' || r=1
ok $r "hostrun lsusb lists the dummy_hcd root hub"
out=$(hostrun lsusb -d $VID:$PID 2>&1); r=$?
echo "$out" | diag
echo "$out" | grep -q "ID $VID:$PID" || r=1
ok $r "hostrun lsusb -d $VID:$PID"

# 8-10: the real clients run from the host root
out=$(hostrun imx_usb --help 2>&1); r=$?
echo "$out" | head -n 2 | diag
echo "$out" | grep -q 'Usage: imx_usb' || r=1
ok $r "hostrun imx_usb --help"
out=$(hostrun uuu -h 2>&1); r=$?
echo "$out" | head -n 1 | diag
echo "$out" | grep -q 'uuu (Universal Update Utility)' || r=1
ok $r "hostrun uuu -h"
out=$(hostrun fastboot --version 2>&1); r=$?
echo "$out" | head -n 1 | diag
echo "$out" | grep -q 'fastboot version' || r=1
ok $r "hostrun fastboot --version"

# 11: same paths for /tmp and /out inside hostrun; cwd kept
r=0
mkdir -p /tmp/hr && echo guest-tmp >/tmp/hr/in
[ "$(hostrun cat /tmp/hr/in 2>&1)" = guest-tmp ] || { echo "hostrun cannot read /tmp" | diag; r=1; }
hostrun sh -c 'echo host-out >/out/hostrun-out' 2>&1 | diag
[ "$(cat /out/hostrun-out 2>/dev/null)" = host-out ] || { echo "hostrun cannot write /out" | diag; r=1; }
[ "$(cd /tmp/hr && hostrun pwd)" = /tmp/hr ] || { echo "hostrun does not keep cwd" | diag; r=1; }
[ "$(hostrun cat "$IMXF_SRC/tools/testing/selftests/imxflash/vm/kver.sh" | head -n1)" = '#!/bin/sh' ] ||
	{ echo "hostrun cannot read $IMXF_SRC" | diag; r=1; }
rm -f /out/hostrun-out /out/guest-probe
ok $r "hostrun sees /tmp, /out, /host and the cwd at the same paths"

# 12: libusb in hostrun opens the gadget (/dev/bus/usb + sysfs)
d=$(usbdev_present $VID $PID)
busdev=$(printf '%03d/%03d' "$(cat "$d/busnum")" "$(cat "$d/devnum")")
r=0
[ -c "/dev/bus/usb/$busdev" ] || { echo "no /dev/bus/usb/$busdev" | diag; r=1; }
out=$(hostrun lsusb -v -d $VID:$PID 2>&1) || r=1
echo "$out" | grep -q 'bInterfaceClass *3 Human Interface Device' || { echo "$out" | head -n 20 | diag; r=1; }
ok $r "hostrun lsusb -v reads descriptors through /dev/bus/usb/$busdev"

# 13: the Debian HID stack binds (usbhid + hid-generic -> hidraw), loaded
# by mdev from the uevents' MODALIAS when IMXF_HOTPLUG=1
if [ "${IMXF_HOTPLUG:-0}" = 1 ]; then
	how="autoloaded (IMXF_HOTPLUG=1)"
else
	how="modprobe'd"
	modprobe usbhid 2>&1 | diag
	modprobe hid-generic 2>&1 | diag
fi
if wait_for 10 have_hidraw; then
	echo "hidraw: $(ls -d "$d"/*/*/hidraw/hidraw* | sed 's,.*/,,'); $(lsmod | grep -E '^(usbhid|hid_generic) ' | cut -d' ' -f1 | tr '\n' ' ')" | diag
	ok 0 "usbhid + hid-generic $how bind the gadget (hidraw node)"
else
	ok 1 "usbhid + hid-generic $how bind the gadget (hidraw node)"
fi

# 14: teardown without kernel complaints
cleanup 2>&1 | diag
r=0
wait_for 10 sh -c "! grep -lqx $VID /sys/bus/usb/devices/*/idVendor 2>/dev/null" || { echo "device still present" | diag; r=1; }
[ -d $G ] && { echo "gadget dir still there" | diag; r=1; }
for m in usb_f_hid libcomposite dummy_hcd; do
	rmmod "$m" 2>&1 | diag
done
[ -d /sys/module/dummy_hcd ] && { echo "dummy_hcd still loaded" | diag; r=1; }
ok $r "unbind, remove gadget, rmmod"

# 15: imxf-insmod resolves a module's dependencies (libcomposite here)
r=0
f=$(find "/lib/modules/$IMXF_KVER/kernel/drivers/usb/gadget/function" -name usb_f_hid.ko)
imxf-insmod "$f" 2>&1 | diag
[ -d /sys/module/usb_f_hid ] && [ -d /sys/module/libcomposite ] || r=1
rmmod usb_f_hid libcomposite 2>&1 | diag
ok $r "imxf-insmod usb_f_hid.ko loads libcomposite first"

# 16: /bin/bash is the host's bash (via hostrun), kmod sees our modules
r=0
out=$(cd /tmp && bash -c 'echo "${BASH_VERSINFO[0]}:$IMXF_KVER:$(pwd)"' 2>&1)
echo "bash: $out" | diag
case $out in [4-9]:"$IMXF_KVER":/tmp) ;; *) r=1 ;; esac
out=$(hostrun modprobe -n -v dummy_hcd 2>&1)
echo "$out" | tail -n 1 | diag
echo "$out" | grep -q "insmod /lib/modules/$IMXF_KVER/.*dummy_hcd.ko" || r=1
ok $r "bash scripts and host kmod (hostrun modprobe) work"

echo "# $((n - fails)) passed, $fails failed"
[ $n -eq $NTESTS ] || { echo "# ran $n tests, planned $NTESTS"; exit 1; }
[ $fails -eq 0 ]
