/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * imx_sdp_boot_test's fake /dev/imx-sdpN (sdp_boot_mock.c): what the mock
 * recorded and the failures it injects, the board, and the mkimx images
 * with the fields of their manifest.
 */
#ifndef _IMXF_UNIT_SDP_BOOT_MOCK_H
#define _IMXF_UNIT_SDP_BOOT_MOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "sdp-host.h"

#define MAX_RECS	64

/* One command as sdp_dev_ioctl() received it. */
struct rec {
	unsigned long req;
	u32 addr, format, count, value, flags, timeout_ms;
	u8 *data;		/* copy of the data phase (WRITE_FILE, DCD_WRITE) */
};

struct sdp_mock {
	struct rec r[MAX_RECS];
	int n;
	int fail_at;		/* index of the command that fails, -1: none */
	unsigned long fail_req;	/* or every command of this kind, 0: none */
	int fail_err;
	u32 fail_status;
	u32 corrupt_addr;	/* READ_REGISTER flips this byte, 0: none */
	u32 hab;
};

extern struct sdp_mock mock;

/* Forget every record; no failure, HAB open. */
void mock_reset(void);
/* The byte at @addr as the last write left it; 0 if never written. */
u8 mock_mem(u32 addr);
/* The commands recorded so far, by name, space-separated. */
const char *seq(void);

/* An image made by mkimx, with the fields of its manifest. */
struct image {
	u8 *buf;
	size_t len;
	/* from the manifest */
	u32 ivt_off, self, load_addr, load_len, dcd_off, dcd_len, boot_data;
	u32 main_ivt_off, main_load_addr, main_load_len, main_boot_data;
	u32 main_dcd_len;
};

/* Build an image in @dir with mkimx @args; false on failure. */
bool make_image(const char *dir, const char *args, struct image *im);
/* @d as IMX_SDP_IOC_INFO describes a board with @soc. */
void board(struct sdp_dev *d, const char *soc);
/* Run sdp_boot() with stderr captured into @err (NUL-terminated). */
int boot_capture(const char *dir, struct sdp_dev *d, struct image *im,
		 const struct sdp_boot_opts *o, char *err, size_t size);
/* Silence stderr (expected error messages) while @on. */
void quiet_stderr(bool on);

#endif /* _IMXF_UNIT_SDP_BOOT_MOCK_H */
