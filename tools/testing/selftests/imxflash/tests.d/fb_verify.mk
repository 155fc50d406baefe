# SPDX-License-Identifier: GPL-2.0
#
# fb_ranges_test (unit/): the host side of verify (userspace/lib/
# fb-ranges.c): maps of what images define, range lists, digests and the
# bisection; its real images are image_data.sh's (IMG_DATA). FB_IMAGE_SRCS
# is fastboot_lite.mk's (recursive "=").
UNIT_EXTRA_fb_ranges_test = $(USERSPACE)/lib/fb-ranges.c \
	$(USERSPACE)/lib/fb-split.c $(FB_IMAGE_SRCS)
UNIT_EXTRA_CFLAGS_fb_ranges_test = -I$(USERSPACE)/lib -D_GNU_SOURCE \
	-D_FILE_OFFSET_BITS=64 -DIMG_DATA='"$(IMG_DATA)"'

$(B)/unit/fb_ranges_test $(B)/unit-asan/fb_ranges_test: \
	$(TOP)/userspace/lib/fb-ranges.c $(TOP)/userspace/lib/fb-split.c \
	$(FB_IMAGE_SRCS) $(wildcard $(TOP)/userspace/lib/*.h)
