# SPDX-License-Identifier: GPL-2.0
#
# Install, packages, release tarball and the ARM module builds. Included by
# the top Makefile, whose SRCDIR, BUILD, KVER, KDIR and build_modules it
# uses.
#
#   make install    modules for KVER into /lib/modules/KVER/updates (depmod),
#                   the tools, man pages and udev rules under PREFIX
#   make uninstall  remove exactly those files again
#                   (both take DESTDIR=, PREFIX= (/usr/local), KVER=/KDIR=)
#   make modules-armhf  modules for Debian's armmp (i.MX6) 6.1 kernel
#   make modules-arm64  modules for Debian's arm64 6.1 kernel
#                   (headers fetched into build/kheaders/, never installed)
#   make deb        build/deb/: imxflash-dkms and imxflash-tools .deb files
#   make release    build/release/: static tools for x86_64, armhf, arm64
#                   in one tarball, with SHA256SUMS

PKG := $(SRCDIR)/tools/packaging
KHEADERS := $(PKG)/kheaders.sh
IMXF_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(SRCDIR)/dkms.conf)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
# udev reads /etc/udev/rules.d and /lib/udev/rules.d, not /usr/local:
# a local install goes to /etc, PREFIX=/usr to the distribution's place.
UDEVRULESDIR ?= $(if $(filter /usr,$(PREFIX)),/lib/udev/rules.d,/etc/udev/rules.d)
MODDIR = $(DESTDIR)/lib/modules/$(KVER)

IMXF_MODULES := hid-imx-sdp usb_f_sdp usb_f_fastboot
# the user's tools, and fastboot-target (run by root on the target: man 8)
IMXF_BIN := imx-sdp fastboot-lite imx-factory
IMXF_SBIN := fastboot-target
IMXF_MAN := $(notdir $(wildcard $(SRCDIR)/Documentation/*.1 $(SRCDIR)/Documentation/*.8))
IMXF_UDEV := 70-imxflash.rules

# Every file install puts down, absolute (with DESTDIR); the modules are
# listed separately since kbuild's modules_install places them.
IMXF_INSTALLED = $(addprefix $(DESTDIR)$(BINDIR)/,$(IMXF_BIN)) \
	$(addprefix $(DESTDIR)$(SBINDIR)/,$(IMXF_SBIN)) \
	$(foreach m,$(IMXF_MAN),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(m)) \
	$(DESTDIR)$(UDEVRULESDIR)/$(IMXF_UDEV)
IMXF_INSTALLED_KO = $(addprefix $(MODDIR)/updates/,$(addsuffix .ko,$(IMXF_MODULES)))

# depmod on the installed tree: DESTDIR is a root of its own (-b).
IMXF_DEPMOD = depmod $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)

.PHONY: install install-modules install-tools uninstall install-list \
	modules-armhf modules-arm64 deb release

install: install-modules install-tools

install-modules: modules
	$(MAKE) -C $(KDIR) M=$(BUILD)/kmod/$(KVER) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=updates INSTALL_MOD_STRIP=1 \
		CONFIG_MODULE_SIG_ALL= modules_install
	$(IMXF_DEPMOD)

install-tools:
	@$(MAKE) -C $(SRCDIR)/userspace
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR)
	install -m 0755 $(addprefix $(BUILD)/userspace/,$(IMXF_BIN)) $(DESTDIR)$(BINDIR)/
	install -m 0755 $(addprefix $(BUILD)/userspace/,$(IMXF_SBIN)) $(DESTDIR)$(SBINDIR)/
	$(foreach m,$(IMXF_MAN),install -D -m 0644 $(SRCDIR)/Documentation/$(m) \
		$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(m) &&) true
	install -D -m 0644 $(PKG)/udev/$(IMXF_UDEV) $(DESTDIR)$(UDEVRULESDIR)/$(IMXF_UDEV)

# The list of files install puts down (for the CI check and packagers).
install-list:
	@for f in $(IMXF_INSTALLED_KO) $(IMXF_INSTALLED); do echo "$$f"; done

# The depmod indexes stay while other modules of KVER are installed
# (depmod again); in a DESTDIR holding nothing else they index nothing
# and go, with the directories install made that are empty now.
uninstall:
	@test -n "$(KVER)" || { echo "error: no KVER" >&2; exit 1; }
	rm -f $(IMXF_INSTALLED_KO) $(IMXF_INSTALLED)
	@if [ -n "$(DESTDIR)" ] && [ -d "$(MODDIR)" ] && \
	    [ -z "$$(find $(MODDIR) -name '*.ko*' -print -quit)" ]; then \
		echo "rm -f $(MODDIR)/modules.*"; rm -f $(MODDIR)/modules.*; \
	elif [ -d "$(MODDIR)" ]; then \
		echo "$(IMXF_DEPMOD)"; $(IMXF_DEPMOD); \
	fi
	@if [ -n "$(DESTDIR)" ]; then \
		for f in $(IMXF_INSTALLED_KO) $(IMXF_INSTALLED); do \
			d=$${f%/*}; \
			while [ "$$d" != "$(DESTDIR)" ] && [ "$${d#$(DESTDIR)/}" != "$$d" ] && \
			      rmdir "$$d" 2>/dev/null; do d=$${d%/*}; done; \
		done; \
	fi

# ---- modules for the ARM kernels --------------------------------------------
# Debian's headers for another architecture, unpacked (kheaders.sh) and
# built with the cross compiler their .kernelvariables name from DEB_*.

define build_modules_cross	# arch, GNU triplet
	+@kdir=$$($(KHEADERS) 6.1 $(1)) && kver=$${kdir##*/linux-headers-} && \
	mkdir -p $(BUILD)/kmod/$$kver && \
	cp -a -u $(KMOD_DIRS) $(BUILD)/kmod/$$kver/ && \
	echo "make -C $$kdir M=build/kmod/$$kver modules ($(1))" && \
	$(MAKE) -C $$kdir M=$(BUILD)/kmod/$$kver DEB_BUILD_ARCH=amd64 \
		DEB_HOST_ARCH=$(1) DEB_HOST_GNU_TYPE=$(2) modules
endef

modules-armhf:
	$(call build_modules_cross,armhf,arm-linux-gnueabihf)

modules-arm64:
	$(call build_modules_cross,arm64,aarch64-linux-gnu)

# ---- Debian packages ----------------------------------------------------------

deb:
	@$(PKG)/mkdeb.sh

# ---- static tools for every station --------------------------------------------

release:
	@$(PKG)/release.sh
