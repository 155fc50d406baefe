#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot the test VM, plug in an emulated i.MX6Quad in serial
# download mode (usb_f_sdp on dummy_hcd) and load a generated U-Boot image
# into it with Debian's imx_usb, then show what the "board" received.
set -eu
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(cd "$here/../../../.." && pwd -P)
kv=$("$here/vm/kver.sh" "${IMXF_DEMO_KERNEL:-6.1}")
out=$top/build/vm/out-demo
echo "imxflash demo: kernel $kv, emulated i.MX6Quad ROM, imx_usb"
"$here/vm/run-vm.sh" --kernel "$kv" --timeout 300 --name demo --out "$out" \
	--modules "$top/build/kmod/$kv" -- "/host$here/demo_guest.sh" |
	grep --line-buffered -v -E '^\[ *[0-9]+\.[0-9]+\]'
