# SPDX-License-Identifier: GPL-2.0
#
# fastboot-lite's host library in unit tests (unit/fb_*_test.c), linked
# from userspace/lib/ (recursive "=": USERSPACE is defined after this
# file).
# fb_split_test maps sparse input in 8 KiB windows so that chunks cross
# window boundaries; it also resplits fastboot_sparse_tool_test's
# img2simg images (FB_SPARSE_DATA, made before the unit tests run).
UNIT_EXTRA_fb_split_test = $(USERSPACE)/lib/fb-split.c
UNIT_EXTRA_CFLAGS_fb_split_test = -I$(USERSPACE)/lib -D_GNU_SOURCE \
	-D_FILE_OFFSET_BITS=64 -DFB_SPLIT_MAP_WINDOW=8192 \
	-DFB_SPARSE_DATA='"$(FB_SPARSE_DATA)"'

$(B)/unit/fb_split_test $(B)/unit-asan/fb_split_test: \
	$(TOP)/userspace/lib/fb-split.c $(TOP)/userspace/lib/fb-split.h

# fb_host_test: the protocol layer (fb-host.c, fb-split.c, and fb-image.c
# with the image modules under it) against a fake transport that
# implements fb-int.h's fbt_* functions; its bmap and compressed images
# are image_data.sh's (IMG_DATA, made before the unit tests run).
FB_IMAGE_SRCS = $(addprefix $(TOP)/userspace/lib/,fb-image.c img-source.c \
	decomp.c bmap.c digest.c sha1.c sha256.c)
FB_HOST_LIB = $(addprefix $(TOP)/userspace/lib/,fb-host.c fb-split.c) \
	$(FB_IMAGE_SRCS)
UNIT_EXTRA_fb_host_test = $(FB_HOST_LIB)
UNIT_EXTRA_CFLAGS_fb_host_test = -I$(USERSPACE)/lib -D_GNU_SOURCE \
	-D_FILE_OFFSET_BITS=64 -DIMG_DATA='"$(IMG_DATA)"'

$(B)/unit/fb_host_test $(B)/unit-asan/fb_host_test: \
	$(FB_HOST_LIB) $(wildcard $(TOP)/userspace/lib/*.h)

# fb_usb_gone_test: fb-usb.c's wait for a device to leave, included by
# the test (its gone() is static) with a pipe for the usbfs file, and
# linked with the protocol layer that fb_host_test links
# (fbh_check_cancel()).
UNIT_EXTRA_fb_usb_gone_test = $(FB_HOST_LIB)
UNIT_EXTRA_CFLAGS_fb_usb_gone_test = -I$(USERSPACE)/lib -D_GNU_SOURCE \
	-D_FILE_OFFSET_BITS=64 -pthread

$(B)/unit/fb_usb_gone_test $(B)/unit-asan/fb_usb_gone_test: \
	$(TOP)/userspace/lib/fb-usb.c $(FB_HOST_LIB) \
	$(wildcard $(TOP)/userspace/lib/*.h)
