#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest half of make demo (see demo.sh).
. "$(dirname "$0")/lib.sh"
set -e

say() { printf '\n==> %s\n' "$*"; }

imxf_modules 1
say "emulated board: usb_f_sdp as an i.MX6Quad boot ROM (15a2:0054) on dummy_udc.0"
board_setup board0 imx6q dummy_udc.0 open
wait_usb 0x15a2 0x0054 present 10
hostrun lsusb -d 15a2:0054

say "a U-Boot-like image with IVT, boot data and DCD (mkimx)"
$BIN/tools/mkimx --soc imx6q --size 512K -o /tmp/u-boot.imx --manifest /tmp/u-boot.txt
grep -E '^(self|entry|load_len|dcd_len|dcdw)' /tmp/u-boot.txt | sed 's/^/    /'

say "imx_usb u-boot.imx"
hostrun imx_usb -c /usr/share/imx-usb-loader/imx-loader.d /tmp/u-boot.imx |
	grep -E 'HAB|DCD|loading|jumping|succeeded|failed|bytes' | sed 's/^/    /'

say "the board booted and left the bus"
wait_attr board0 state booted 10
echo "    state:     $(board_attr board0 state)"
echo "    jump_addr: $(board_attr board0 jump_addr)"
wait_usb 0x15a2 0x0054 gone 10 && echo "    15a2:0054 is gone from the host's bus"

say "what the ROM served (debugfs log)"
sed 's/^/    /' "$DBG/board0/log"

say "memory check against the image (debugfs mem)"
$BIN/tests/sdp_memcheck board0 /tmp/u-boot.imx /tmp/u-boot.txt --ivt-dcd zero | sed 's/^/    /'
sed -n 's/^/    /p' "$CFS/board0/functions/sdp.board0/stats"
board_destroy board0
say "demo done"
