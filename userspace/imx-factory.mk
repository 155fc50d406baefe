# SPDX-License-Identifier: GPL-2.0
#
# imx-factory: the factory flow (imx-factory(1)). It links imx-sdp's board
# code (sdp-*.c, util.c, progress.c) and the fastboot host library
# (fb-host.c, fb-split.c, fb-usb.c), so it is built once that library is
# in the tree.

IMX_FACTORY_FB := fb-host.c fb-split.c fb-usb.c

ifeq ($(words $(wildcard $(addprefix $(SRC)/,$(IMX_FACTORY_FB)))),$(words $(IMX_FACTORY_FB)))
PROGS += imx-factory
imx-factory_SRCS := imx-factory.c imx-factory-board.c imx-factory-manifest.c \
	imx-factory-ui.c sdp-dev.c sdp-cmd.c sdp-boot.c progress.c util.c \
	$(IMX_FACTORY_FB)
endif
