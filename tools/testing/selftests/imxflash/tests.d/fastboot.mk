# SPDX-License-Identifier: GPL-2.0
# usb_f_fastboot: the bad-input selftests over raw usbfs (commands and
# flash targets, sparse images, host or device vanishing; fastboot_bad.sh
# runs all three in the VM, their fixture is fastboot_bad.h) and the link
# ceiling for make bench.
TEST_PROGS_C += fastboot_bad_test.c fastboot_bad_sparse_test.c \
	fastboot_bad_vanish_test.c bench_usb_ceiling.c bench_fb_latency.c \
	fb_mkimage.c
TEST_HELPERS_C += fastboot_usbfs.c
