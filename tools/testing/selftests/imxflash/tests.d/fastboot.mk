# SPDX-License-Identifier: GPL-2.0
# usb_f_fastboot: the bad-input selftest over raw usbfs (run by
# fastboot_bad.sh in the VM) and the link ceiling for make bench.
TEST_PROGS_C += fastboot_bad_test.c bench_usb_ceiling.c bench_fb_latency.c \
	fb_mkimage.c
TEST_HELPERS_C += fastboot_usbfs.c
