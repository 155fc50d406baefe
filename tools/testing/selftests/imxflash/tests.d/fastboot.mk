# SPDX-License-Identifier: GPL-2.0
# usb_f_fastboot: the bad-input selftests over raw usbfs (commands and
# flash targets, sparse images, host or device vanishing; fastboot_bad.sh
# runs all three in the VM, their fixture is fastboot_bad.h), the image
# generator of the fastboot suites, and the link ceiling and download
# latency programs of make bench (tools/bench/).
TEST_PROGS_C += usb_f_fastboot/fastboot_bad_test.c \
	usb_f_fastboot/fastboot_bad_sparse_test.c \
	usb_f_fastboot/fastboot_bad_vanish_test.c gen/fb_mkimage.c
BENCH_PROGS_C += bench_usb_ceiling.c bench_fb_latency.c
TEST_HELPERS_C += lib/fastboot_usbfs.c
