#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of usb_f_fastboot with Debian's stock fastboot client
# (29.0.6) on dummy_hcd: a gadget built from configfs only (0525:a4a5, a
# serial number, the fastboot function first), storage in a file in /tmp
# with one explicit partition. devices, getvar, stage/get_staged
# (download + upload), flash of a raw image checked with cmp, erase
# checked for zeros, the bytes around the partition checked unchanged,
# refusals (unknown variable and partition, locked), reboot: the OKAY
# arrives, then the device leaves the bus. Runs inside the test VM
# (vm_suite.sh loads the modules); TAP output.

. "$(dirname "$0")/../lib/lib.sh"

G=fbsmoke
SER=IMXFSMOKE42
UDC=dummy_udc.0
F=$CFS/$G/functions/fastboot.$G
W=/tmp/fbsmoke
KiB=1024
MiB=1048576
STORE=$W/storage.img
PART_OFF=$((1 * MiB))
PART_SZ=$((2 * MiB))
MAXDL=$((4 * MiB))

rm -rf "$W"
mkdir -p "$W"
cd "$W" || exit 1

tap_plan 23

# fastboot ARGS...: the stock client on our device (output in $W/fb.log)
fastboot() {
	timeout 60 hostrun fastboot -s "$SER" "$@" > "$W/fb.log" 2>&1
	local rc=$?
	sed 's/^/#   /' "$W/fb.log"
	return $rc
}

# region FILE OFF LEN OUT: bytes [OFF, OFF+LEN) of FILE into OUT
region() {
	dd if="$1" of="$4" bs=4096 iflag=skip_bytes,count_bytes skip="$2" \
		count="$3" 2> /dev/null
}

# fastboot_iface: sysfs dir of interface 0 of the device with our serial
fastboot_iface() {
	local d
	for d in /sys/bus/usb/devices/*; do
		[ "$(cat "$d/serial" 2> /dev/null)" = "$SER" ] || continue
		echo "$d:1.0"
		return 0
	done
	return 1
}

wait_gone() {
	local i=0
	while [ $i -lt 100 ]; do
		fastboot_iface > /dev/null || return 0
		usleep 50000
		i=$((i + 1))
	done
	return 1
}

busy_write() { ! echo 1M 2> /dev/null > "$F/max_download_size"; }

iface_ok() {
	local i
	i=$(fastboot_iface) || return
	[ "$(cat "$i/bInterfaceClass" "$i/bInterfaceSubClass" \
		"$i/bInterfaceProtocol" "$i/bNumEndpoints" | tr '\n' ' ')" = \
		"ff 42 03 02 " ]
}

# lsusb -v: first endpoint IN, second OUT, both 512 bytes (high speed)
ep_order_ok() {
	grep bEndpointAddress lsusb.txt | sed -n 1p | grep -q IN &&
		grep bEndpointAddress lsusb.txt | sed -n 2p | grep -q OUT &&
		[ "$(grep -c 'wMaxPacketSize.*0x0200' lsusb.txt)" -eq 2 ]
}

getvar_all_ok() {
	grep -q "(bootloader) version:0.4" fb.log &&
		grep -q "(bootloader) product:smoke-board" fb.log &&
		grep -q "(bootloader) serialno:$SER" fb.log &&
		grep -q "(bootloader) max-download-size:0x00400000" fb.log &&
		grep -q "(bootloader) partition-size:data:0x200000" fb.log &&
		grep -q "^all:" fb.log
}

upload_ok() { fastboot get_staged up.bin && cmp img.bin up.bin; }

outside_ok() { cmp before.head after.head && cmp before.tail after.tail; }

missing_ok() { grep -q "FAILED (remote:" fb.log && grep -q nosuch fb.log; }

locked_ok() {
	grep -q "FAILED (remote: 'device is locked')" fb.log &&
		[ "$(cat "$F/last_error")" = "device is locked" ] &&
		[ "$(cat "$F/locked")" = 1 ]
}

stats_ok() {
	grep -q "^downloads 4$" "$F/stats" &&
		grep -q "^flashes 1$" "$F/stats" &&
		grep -q "^erases 1$" "$F/stats" &&
		[ "$(sed -n 's/^mem_high_water //p' "$F/stats")" -le $((MAXDL + MiB)) ]
}

detached_ok() { wait_gone && [ "$(cat "$F/state")" = detached ]; }

gadget_setup() {
	local g=$CFS/$G
	mkdir -p "$g/strings/0x409" "$g/configs/c.1/strings/0x409" "$F" ||
		return
	echo 0x0525 > "$g/idVendor"
	echo 0xa4a5 > "$g/idProduct"
	echo "imxflash" > "$g/strings/0x409/manufacturer"
	echo "smoke board" > "$g/strings/0x409/product"
	echo "$SER" > "$g/strings/0x409/serialnumber"
	echo "fastboot" > "$g/configs/c.1/strings/0x409/configuration"
	echo $MAXDL > "$F/max_download_size" || return
	echo "smoke-board" > "$F/product" || return
	echo "smoke-1.0" > "$F/version_bootloader" || return
	echo "$STORE" > "$F/storage" || return
	mkdir "$F/partitions/data" || return
	echo "$STORE" > "$F/partitions/data/path" || return
	echo $PART_OFF > "$F/partitions/data/offset" || return
	echo $PART_SZ > "$F/partitions/data/size" || return
	ln -s "$F" "$g/configs/c.1/" || return
	echo "$UDC" > "$g/UDC"
}

gadget_destroy() {
	local g=$CFS/$G
	[ -d "$g" ] || return 0
	echo "" > "$g/UDC" 2> /dev/null
	rm -f "$g/configs/c.1/fastboot.$G"
	rmdir "$F/partitions/data" 2> /dev/null
	rmdir "$g/configs/c.1/strings/0x409" "$g/configs/c.1" "$F" \
		"$g/strings/0x409" "$g"
}

# Storage: 8 MiB of a pattern, so that changes anywhere show.
awk 'BEGIN { for (i = 0; i < 8192; i++) printf "%01023d\n", i }' > "$STORE"
region "$STORE" 0 $PART_OFF before.head
region "$STORE" $((PART_OFF + PART_SZ)) $((8 * MiB - PART_OFF - PART_SZ)) before.tail

check "gadget from configfs: 0525:a4a5, serial, fastboot first, storage + partition" \
	gadget_setup
check "host sees the device" wait_usb 0x0525 0xa4a5 present 10
check "configfs writes while bound fail with EBUSY" busy_write
check "interface 0 is FF/42/03 with two endpoints" iface_ok
# uuu needs the IN endpoint descriptor first.
hostrun lsusb -v -d 0525:a4a5 2> /dev/null > lsusb.txt
check "endpoint descriptors: IN listed before OUT, bulk 512" ep_order_ok
check "interface string is 'Android Fastboot'" \
	grep -q "iInterface.*Android Fastboot" lsusb.txt

timeout 30 hostrun fastboot devices > devices.txt 2>&1
sed 's/^/#   /' devices.txt
check "fastboot devices lists the serial" \
	grep -q "^$SER[[:space:]]*fastboot" devices.txt

fastboot getvar all
check "getvar all: version, product, serialno, max-download-size, partition" \
	getvar_all_ok

fastboot getvar max-download-size
check "getvar max-download-size: 0x00400000 (the attribute)" \
	grep -q "^max-download-size: 0x00400000$" fb.log
fastboot getvar partition-size:data
check "getvar partition-size:data: 0x0000000000200000" \
	grep -q "^partition-size:data: 0x0000000000200000$" fb.log
fastboot getvar no-such-variable
check "getvar of an unknown variable fails naming it" \
	grep -q "FAILED (remote: 'unknown variable 'no-such-variable'')" fb.log

# 1 MiB + 1234 bytes: not a multiple of the packet size.
dd if=/dev/urandom of=img.bin bs=1234 count=851 2> /dev/null
check "stage: download of 1 MiB + 1234 bytes" fastboot stage img.bin
check "get_staged: upload returns the same bytes" upload_ok

check "flash data img.bin" fastboot flash data img.bin
region "$STORE" $PART_OFF "$(stat -c %s img.bin)" got.bin
check "partition holds the image (cmp)" cmp img.bin got.bin

check "erase data" fastboot erase data
region "$STORE" $PART_OFF $PART_SZ got.bin
dd if=/dev/zero of=zero.bin bs=$KiB count=$((PART_SZ / KiB)) 2> /dev/null
check "partition reads back as zeros" cmp zero.bin got.bin

region "$STORE" 0 $PART_OFF after.head
region "$STORE" $((PART_OFF + PART_SZ)) $((8 * MiB - PART_OFF - PART_SZ)) after.tail
check "bytes outside the partition unchanged" outside_ok

fastboot flash nosuch img.bin
check "flash to a missing partition fails, naming it" missing_ok

fastboot flashing lock
fastboot flash data img.bin
check "flashing lock: flash refused with 'device is locked'" locked_ok
fastboot flashing unlock

sed 's/^/#   /' "$F/stats"
check "stats: 4 downloads (stage, 3 flash), 1 flash, 1 erase, high-water <= max + 1 MiB" \
	stats_ok

check "reboot: OKAY" fastboot reboot
check "reboot: the device leaves the bus, state detached" detached_ok

gadget_destroy
tap_done
