#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the VM test suites: load the stacks and our modules, run
# each named test, keep its TAP in /out/<test>.tap (the host counts them),
# and exit non-zero if any test failed.
#
#   vm_suite.sh TEST...     TEST: usb_f_sdp_test | sdp_interop.sh | ...
#
# A TEST is named by its file alone (a script, or a C test program built
# into build/tests/ from TEST.c); it is looked up in the component folders
# (README), and its folder says which of our modules it needs.

. "$(dirname "$0")/lib/lib.sh"

SELF=$(cd "$(dirname "$0")" && pwd)

# suite_file TEST: the script or C source of TEST in a component folder.
suite_file() {
	local f
	for f in "$SELF"/*/"$1" "$SELF"/*/"$1.c"; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

imxf_modules "${IMXF_NUM_UDC:-4}" || { echo "Bail out! cannot load modules"; exit 1; }

rc=0
for t in "$@"; do
	echo "# === $t ($IMXF_KVER)"
	src=$(suite_file "$t") ||
		{ echo "not ok 1 - $t: no such test in $SELF/*/" > "/out/$t.tap"; rc=1; continue; }
	comp=$(basename "$(dirname "$src")")
	# The host driver's suites need it; the ROM suites run on hid-generic.
	case $comp in
	hid-imx-sdp|imx-sdp)
		[ -d /sys/module/hid_imx_sdp ] ||
			imxf-insmod "$IMXF_MODDIR/hid-imx-sdp.ko" ||
			{ echo "not ok 1 - $t: cannot load hid-imx-sdp" > "/out/$t.tap"; rc=1; continue; }
		;;
	esac
	# The fastboot function for its suites and the factory flow.
	case $comp in
	usb_f_fastboot|fastboot-lite|imx-factory)
		[ -d /sys/module/usb_f_fastboot ] ||
			imxf-insmod "$IMXF_MODDIR/usb_f_fastboot.ko" ||
			{ echo "not ok 1 - $t: cannot load usb_f_fastboot" > "/out/$t.tap"; rc=1; continue; }
		;;
	esac
	case $t in
	*.sh) cmd=$src ;;
	*) cmd="$BIN/tests/$t" ;;
	esac
	# Test output to the console and to /out; the exit status is kept
	# in a file because busybox sh has no pipefail.
	t0=$(cut -d. -f1 /proc/uptime)
	{ "$cmd"; echo $? > "/tmp/$t.rc"; } 2>&1 | tee "/out/$t.tap"
	r=$(cat "/tmp/$t.rc")
	echo "# === $t: exit $r, $(( $(cut -d. -f1 /proc/uptime) - t0 )) s"
	[ "$r" -eq 0 ] || rc=1
done
exit $rc
