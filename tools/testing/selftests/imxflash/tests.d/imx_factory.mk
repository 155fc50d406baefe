# SPDX-License-Identifier: GPL-2.0
#
# imx_factory_test (unit/): imx-factory's manifest parser, linked from
# userspace/imx-factory/ (recursive "=": USERSPACE is defined after this
# file).
UNIT_EXTRA_imx_factory_test = $(USERSPACE)/imx-factory/imx-factory-manifest.c
UNIT_EXTRA_CFLAGS_imx_factory_test = -I$(USERSPACE)/imx-factory -D_GNU_SOURCE

$(B)/unit/imx_factory_test $(B)/unit-asan/imx_factory_test: \
	$(TOP)/userspace/imx-factory/imx-factory-manifest.c \
	$(TOP)/userspace/imx-factory/imx-factory.h
