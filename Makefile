# SPDX-License-Identifier: GPL-2.0
#
# imxflash: factory flashing of i.MX boards with kernel drivers.
#
#   make            modules (Debian 6.1 headers) + userspace tools
#   make deps       install the Debian packages needed (idempotent)
#   make check      deps, build, unit tests, fuzz smoke, style, VM suites
#                   on the 6.1 and 6.12 kernels; ends with "N passed, N failed"
#   make demo       boot a VM with an emulated i.MX board and load U-Boot
#   make lint       checkpatch --strict, W=1 C=1 (sparse) build, pahole
#
# KVER is taken from /usr/src/linux-headers-*-amd64 (never from uname -r):
# override with KVER=... or KDIR=...; KVER612 names the second target.

# The kbuild half of an out-of-tree build lives in ./Kbuild.

SRCDIR := $(CURDIR)
BUILD := $(SRCDIR)/build
SELFTESTS := $(SRCDIR)/tools/testing/selftests/imxflash

kver_of = $(shell ls -d /usr/src/linux-headers-$(1)*-amd64 2>/dev/null | \
	grep -v -e cloud -e -rt- | sed 's|.*/linux-headers-||' | sort -V | tail -n1)

KVER ?= $(call kver_of,6.1.)
KVER612 ?= $(call kver_of,6.12.)
KDIR ?= /usr/src/linux-headers-$(KVER)

MAKEFLAGS += --no-print-directory

.PHONY: all deps modules modules-all tools check check-run demo demo-run \
	bench lint unit fuzz-smoke clean help
.PHONY: debug-kernel modules-debug

all: modules tools

help:
	@sed -n '3,14p' Makefile | sed 's/^# \{0,1\}//'

deps:
	@$(SRCDIR)/tools/deps.sh

# Modules are built in a per-kernel copy of the sources so that the tree
# stays clean and several kernels can be built side by side.
KMOD_DIRS := Kbuild drivers lib include

define build_modules
	@test -n "$(1)" -a -d "$(2)" || { \
		echo "error: no kernel headers (KVER='$(1)', KDIR='$(2)'); run 'make deps'" >&2; \
		exit 1; }
	@mkdir -p $(BUILD)/kmod/$(1)
	@cp -a -u $(KMOD_DIRS) $(BUILD)/kmod/$(1)/
	$(MAKE) -C $(2) M=$(BUILD)/kmod/$(1) modules
endef

modules:
	$(call build_modules,$(KVER),$(KDIR))

modules-612:
	$(call build_modules,$(KVER612),/usr/src/linux-headers-$(KVER612))

modules-all: modules modules-612

# Debug kernel (KASAN, UBSAN, lockdep, kmemleak...) built from Debian's
# linux-source-6.1 into build/vm/debug (cached; see
# tools/testing/selftests/imxflash/vm/debug-kernel.sh), and our modules
# built against it into build/kmod/debug.  Boot it with
# `vm/run-vm.sh --kernel debug --modules build/kmod/debug -- CMD`.
DEBUG_KDIR := $(BUILD)/vm/debug/src

debug-kernel:
	@$(SELFTESTS)/vm/debug-kernel.sh

modules-debug: debug-kernel
	$(call build_modules,debug,$(DEBUG_KDIR))

tools:
	@$(MAKE) -C $(SELFTESTS) all
	@$(MAKE) -C userspace

unit:
	@$(MAKE) -C $(SELFTESTS) unit

fuzz-smoke:
	@$(MAKE) -C $(SELFTESTS) fuzz-smoke

lint:
	@$(SELFTESTS)/lint.sh

# check and demo first install what is missing, then re-run make so that
# KVER is discovered from the headers that deps just installed.
check: deps
	@$(MAKE) check-run

check-run:
	@$(SELFTESTS)/run_checks.sh

demo: deps
	@$(MAKE) demo-run

demo-run: modules tools
	@$(SELFTESTS)/demo.sh

bench: deps
	@$(MAKE) modules tools
	@$(SELFTESTS)/bench.sh

clean:
	rm -rf $(BUILD)
