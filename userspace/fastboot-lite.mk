# SPDX-License-Identifier: GPL-2.0
#
# fastboot-lite: fastboot client over usbfs, and the host library
# (fb-host.h) that imx-factory links too. progress.c and util.c are
# imx-sdp's progress bar and helpers.

PROGS += fastboot-lite
FB_HOST_SRCS := fb-host.c fb-split.c fb-usb.c
fastboot-lite_SRCS := fastboot-lite.c $(FB_HOST_SRCS) progress.c util.c
