# SPDX-License-Identifier: GPL-2.0
#
# fastboot-target: links libnl-3 and libnl-genl-3, which Debian builds
# for glibc only, so it is compiled with gcc (not the musl-gcc of the
# generic rule) into its own object directory. Static when the libnl .a
# files are installed (libnl-3-dev, libnl-genl-3-dev), else dynamic.

FT_CC ?= gcc
FT_OBJDIR := $(B)/obj-glibc
FT_SRCS := fastboot-target.c ft-event.c ft-oem.c
FT_OBJS := $(addprefix $(FT_OBJDIR)/,$(FT_SRCS:.c=.o))
FT_NL_CFLAGS := $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null || \
		  echo -I/usr/include/libnl3)
FT_NL_LIBS := $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null || \
		echo -lnl-genl-3 -lnl-3)
FT_LIBDIR := /usr/lib/$(shell gcc -print-multiarch 2>/dev/null)
FT_STATIC := $(if $(wildcard $(FT_LIBDIR)/libnl-3.a),$(if \
	     $(wildcard $(FT_LIBDIR)/libnl-genl-3.a),-static))
FT_CFLAGS := -Os -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE \
	     -ffunction-sections -fdata-sections -MMD -MP \
	     -I$(TOP)/include -I$(TOP)/include/uapi $(FT_NL_CFLAGS)

# First rule of the Makefile: "all" stays the default goal.
all: $(B)/fastboot-target

$(FT_OBJDIR)/%.o: $(SRC)/%.c
	@mkdir -p $(@D)
	$(FT_CC) $(FT_CFLAGS) -c $< -o $@

# A static glibc link warns about libnl's address helpers (getaddrinfo,
# getprotobyname): fastboot-target never calls them. Those two lines per
# function are dropped; any other linker message is shown.
FT_LD_NOISE := statically linked applications requires|: in function .(nl_addr_info|nl_ip_proto2str|nl_str2ip_proto).:$$

$(B)/fastboot-target: $(FT_OBJS)
	@mkdir -p $(@D)
	$(FT_CC) $(FT_STATIC) -Wl,--gc-sections -s $^ $(FT_NL_LIBS) -lpthread -lm \
		-o $@ 2>$@.ld; rc=$$?; grep -Ev '$(FT_LD_NOISE)' $@.ld >&2; \
		rm -f $@.ld; exit $$rc
	@echo "  fastboot-target: $$(stat -c %s $@) bytes ($(FT_CC)$(if $(FT_STATIC), static))"

-include $(wildcard $(FT_OBJDIR)/*.d)
