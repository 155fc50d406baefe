# SPDX-License-Identifier: GPL-2.0
#
# fb_image_test (unit/): images as build systems ship them (bmap,
# compression: userspace/lib/fb-image.c) cut into sparse pieces
# (fb-split.c) and applied by the pure decoder, without a device; reads
# image_data.sh's images (IMG_DATA). FB_IMAGE_SRCS: fastboot_lite.mk.
UNIT_EXTRA_fb_image_test = $(USERSPACE)/lib/fb-split.c $(FB_IMAGE_SRCS)
UNIT_EXTRA_CFLAGS_fb_image_test = -I$(USERSPACE)/lib -D_GNU_SOURCE \
	-D_FILE_OFFSET_BITS=64 -DIMG_DATA='"$(IMG_DATA)"'

$(B)/unit/fb_image_test $(B)/unit-asan/fb_image_test: \
	$(TOP)/userspace/lib/fb-split.c $(FB_IMAGE_SRCS) \
	$(wildcard $(TOP)/userspace/lib/*.h)
