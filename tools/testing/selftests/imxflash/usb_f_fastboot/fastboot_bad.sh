#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Wrapper of fastboot_bad_test, fastboot_bad_sparse_test and
# fastboot_bad_vanish_test (kselftest harness, TAP each, one after the
# other): builds their gadget from configfs and its backing file, runs
# them, removes the gadget. Exit status non-zero if any of them failed.
#   gadget fbbad (0525:a4a5, serial IMXFBAD1) on dummy_udc.0
#   storage  = /tmp/fb/bad/store.img, 8 MiB of random bytes
#   partition "part" = store.img at 1 MiB, 4 MiB long
#   max_download_size = 6 MiB (above the partition: raw too-large checks)

. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/lib_fastboot.sh"

G=fbbad
W=$FB_WORK/bad
MiB=1048576
rm -rf "$W"
mkdir -p "$W"

fb_modules "${IMXF_NUM_UDC:-4}" || { echo "Bail out! cannot load modules"; exit 1; }
fb_mkimage "$W/store.img" $((8 * MiB)) 99 random
fb_gadget_destroy $G
if ! { fb_gadget_create $G IMXFBAD1 &&
	fb_set $G max_download_size $((6 * MiB)) &&
	fb_set $G storage "$W/store.img" &&
	fb_part $G part path="$W/store.img" offset=$MiB size=$((4 * MiB)) &&
	fb_bind $G dummy_udc.0; }; then
	echo "TAP version 13"
	echo "1..1"
	echo "not ok 1 - fastboot_bad: gadget setup failed"
	fb_gadget_destroy $G
	exit 1
fi

rc=0
for t in fastboot_bad_test fastboot_bad_sparse_test fastboot_bad_vanish_test; do
	FB_GADGET=$G FB_UDC=dummy_udc.0 FB_SERIAL=IMXFBAD1 FB_STORE="$W/store.img" \
		FB_PART=part "$BIN/tests/$t" || rc=1
done
fb_gadget_destroy $G
rm -rf "$W"
exit $rc
