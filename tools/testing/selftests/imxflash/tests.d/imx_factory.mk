# SPDX-License-Identifier: GPL-2.0
#
# imx_factory_test (unit/): imx-factory's manifest parser and per-board
# variables; imx_factory_json_test: its JSON report and image digests.
# Linked from userspace/imx-factory/ (recursive "=": USERSPACE and
# IMG_LIB are defined after this file).
FAC_PURE = $(USERSPACE)/imx-factory/imx-factory-manifest.c \
	$(USERSPACE)/imx-factory/imx-factory-vars.c
UNIT_EXTRA_imx_factory_test = $(FAC_PURE)
UNIT_EXTRA_CFLAGS_imx_factory_test = -I$(USERSPACE)/imx-factory -D_GNU_SOURCE

UNIT_EXTRA_imx_factory_json_test = $(FAC_PURE) \
	$(USERSPACE)/imx-factory/imx-factory-json.c \
	$(USERSPACE)/imx-factory/imx-factory-status.c $(IMG_LIB)
UNIT_EXTRA_CFLAGS_imx_factory_json_test = -I$(USERSPACE)/imx-factory \
	-I$(USERSPACE)/lib -D_GNU_SOURCE

$(B)/unit/imx_factory_test $(B)/unit-asan/imx_factory_test \
$(B)/unit/imx_factory_json_test $(B)/unit-asan/imx_factory_json_test: \
	$(wildcard $(TOP)/userspace/imx-factory/*.c) \
	$(TOP)/userspace/imx-factory/imx-factory.h
