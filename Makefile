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
#   make bench      performance against the stock tools, in one VM
#   make vm-test T="SUITE..." [KERNEL=6.1|6.12|debug]
#                   build, then run VM suites by name (list in
#                   tools/testing/selftests/imxflash/README): TAP + verdict
#   make vm-arm     the suites on QEMU's i.MX6Q sabrelite board (armmp 6.1
#                   kernel, modules and tools built for armhf): TAP + verdict
#   make vm-arm64   imx-factory on an arm64 station (QEMU virt, Debian's
#                   arm64 6.1 kernel, modules and tools built for arm64)
#   make clean      remove build/ and what an in-tree kbuild run left
#   make install    modules (updates/, depmod), tools, man pages, udev rules;
#                   DESTDIR=, PREFIX= (/usr/local); make uninstall undoes it
#   make modules-armhf modules-arm64   modules for Debian's ARM 6.1 kernels
#   make deb        imxflash-dkms and imxflash-tools .deb files in build/deb/
#   make release    static tools for x86_64, armhf, arm64: build/release/
#
# KVER is taken from /usr/src/linux-headers-*-amd64 (never from uname -r):
# override with KVER=... or KDIR=...; KVER612 names the second target.

# The kbuild half of an out-of-tree build lives in ./Kbuild, so that the
# usual "make -C /lib/modules/<kver>/build M=$PWD" works from here too
# (objects then land next to the sources; make clean removes them).

SRCDIR := $(CURDIR)
BUILD := $(SRCDIR)/build
SELFTESTS := $(SRCDIR)/tools/testing/selftests/imxflash

kver_of = $(shell ls -d /usr/src/linux-headers-$(1)*-amd64 2>/dev/null | \
	grep -v -e cloud -e -rt- | sed 's|.*/linux-headers-||' | sort -V | tail -n1)

KVER ?= $(call kver_of,6.1.)
KDIR ?= /usr/src/linux-headers-$(KVER)
# 6.12: installed headers, else those tools/packaging/kheaders.sh unpacked
# into build/kheaders/ (Debian's 6.12 headers package depends on the 6.12
# image: installing it would change the host's /boot).
KDIR612 ?= $(shell $(SRCDIR)/tools/packaging/kheaders.sh --no-fetch 6.12 2>/dev/null)
KVER612 ?= $(patsubst linux-headers-%,%,$(notdir $(KDIR612)))

MAKEFLAGS += --no-print-directory

.PHONY: all deps modules modules-all tools check check-run demo demo-run \
	bench lint unit fuzz-smoke clean help vm-test vm-arm vm-arm64
.PHONY: debug-kernel modules-debug

all: modules tools

help:
	@sed -n '3,/^$$/p' Makefile | sed 's/^# \{0,1\}//'

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
ifeq ($(KDIR612),)
	@kdir=$$($(SRCDIR)/tools/packaging/kheaders.sh 6.12) && test -n "$$kdir" && \
		$(MAKE) modules-612 KDIR612=$$kdir
else
	$(call build_modules,$(KVER612),$(KDIR612))
endif

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
	@$(SRCDIR)/tools/lint/lint.sh

# check and demo first install what is missing, then re-run make so that
# KVER is discovered from the headers that deps just installed.
check: deps
	@$(MAKE) check-run

check-run:
	@$(SELFTESTS)/run_checks.sh

demo: deps
	@$(MAKE) demo-run

demo-run: modules tools
	@$(SRCDIR)/tools/demo/demo.sh

bench: deps
	@$(MAKE) modules tools
	@$(SRCDIR)/tools/bench/bench.sh

# make vm-test T="usb_f_sdp_test sdp_interop.sh" KERNEL=6.12: the modules
# for that kernel and the tools, then one VM running the suites
# (vm/run-suites.sh: console, TAP per suite, verdict).
KERNEL ?= 6.1
VM_TEST_BUILD_6.1 := modules
VM_TEST_BUILD_6.12 := modules-612
VM_TEST_BUILD_debug := modules-debug
VM_TEST_KMOD_6.1 = $(BUILD)/kmod/$(KVER)
VM_TEST_KMOD_6.12 = $(BUILD)/kmod/$(KVER612)
VM_TEST_KMOD_debug = $(BUILD)/kmod/debug

vm-test:
	@test -n "$(strip $(T))" || { echo 'usage: make vm-test' \
		'T="SUITE..." [KERNEL=6.1|6.12|debug]; suites:' \
		'tools/testing/selftests/imxflash/README' >&2; exit 2; }
	@test -n "$(VM_TEST_BUILD_$(KERNEL))" || { echo "error: KERNEL=$(KERNEL):" \
		"one of 6.1, 6.12, debug" >&2; exit 2; }
	@$(MAKE) $(VM_TEST_BUILD_$(KERNEL)) tools
	@$(SELFTESTS)/vm/run-suites.sh $(KERNEL) $(VM_TEST_KMOD_$(KERNEL)) $(T)

# The sabrelite (i.MX6Q) VM suites: builds modules-armhf and the armhf
# tools itself (vm/run-arm.sh armhf).
vm-arm:
	@$(SELFTESTS)/vm/run-arm.sh armhf

# The arm64 station VM (vm/run-arm.sh arm64 builds modules-arm64 and the tools).
vm-arm64:
	@$(SELFTESTS)/vm/run-arm.sh arm64

# install, uninstall, modules-armhf, modules-arm64, deb, release
include $(SRCDIR)/tools/packaging/packaging.mk

# An in-tree kbuild run (make -C <kdir> M=$PWD) leaves its objects and
# command files next to the sources: the files kbuild's own clean of an
# external module removes, under the directories Kbuild builds from.
KBUILD_LEFTOVERS := '*.o' '*.ko' '*.mod' '*.mod.c' '.*.cmd' '.*.d' '*.a' \
	'*.dwo' '*.su' '*.lst' '*.symtypes' '*.usyms' '*.ko.*' '.*.tmp' \
	'modules.order' 'Module.symvers' 'modules.nsdeps'

clean:
	rm -rf $(BUILD)
	find $(SRCDIR) -maxdepth 1 -type f \( $(patsubst %,-name % -o,$(KBUILD_LEFTOVERS)) -false \) -print -delete
	find $(addprefix $(SRCDIR)/,$(filter-out Kbuild,$(KMOD_DIRS))) -type f \
		\( $(patsubst %,-name % -o,$(KBUILD_LEFTOVERS)) -false \) -print -delete
	rm -rf $(SRCDIR)/.tmp_versions
