/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fastboot host library internals, shared by its files:
 *
 *   fb-host.c   protocol: commands, answers, download/upload, flash
 *   fb-split.c  sparse splitting (fb-split.h)
 *   fb-image.c  images as shipped: bmap, compression (fb-image.h)
 *   fb-ranges.c the bytes an image defines, digests, bisection
 *   fb-verify.c verify: oem sha256 or fetch read-back (fb-host.h)
 *   fb-usb.c    usbfs transport: sysfs discovery, open/claim, bulk
 *               transfers as asynchronous URBs (fbt_* below)
 *
 * The unit tests link fb-host.c and fb-split.c with a fake transport
 * that implements the fbt_* functions.
 */
#ifndef FB_INT_H
#define FB_INT_H

#include <imxflash/fastboot_cmd.h>	/* __printf, u8..u64 */

#include "fb-host.h"

/*
 * Producer of the bytes of a download (exactly @len bytes): 0 or -errno,
 * with @why saying what went wrong when it can (else strerror()).
 */
struct fbh_src {
	int (*read)(struct fbh_src *src, void *buf, size_t len);
	const char *why;
};

/* Consumer of the bytes of an upload. */
struct fbh_sink {
	int (*write)(struct fbh_sink *sink, const void *buf, size_t len);
};

struct fbh_dev {
	struct fbh_info info;
	struct fbh_callbacks cb;
	unsigned int timeout_ms;	/* 0: wait forever */
	const volatile int *cancel;	/* fbh_set_cancel() */
	u32 max_dl_cap;			/* fbh_set_max_download() */
	u32 max_dl;			/* getvar:max-download-size */
	int max_dl_state;		/* 0 unknown, 1 known, -1 FAIL */
	enum fbh_err_kind kind;
	/* progress of the running data phase */
	const char *prog_what;
	u64 prog_base, prog_total;
	char err[1024];
	void *usb;			/* transport state */
};

/* fb-host.c */
struct fbh_dev *fbh_dev_new(void);
/*
 * fetch:@part:0x@off:0x@size, exactly @size bytes (at most
 * max-fetch-size: the caller splits), into @sink. The sink must take
 * every byte (it records its own errors), so that the protocol stays in
 * step.
 */
int fbh_fetch_sink(struct fbh_dev *d, const char *part, u64 off, u64 size,
		   struct fbh_sink *sink);
/*
 * max-download-size, asked once per device (capped by
 * fbh_set_max_download()): 1 and *@max, 0 not answered, or an error.
 */
int fbh_max_download(struct fbh_dev *d, u64 *max);
/* getvar that may FAIL: 1 and the value, 0 on FAIL, or an error. */
int fbh_getvar_opt(struct fbh_dev *d, const char *var, char *val,
		   size_t len);
void fbh_xfer_progress(struct fbh_dev *d, u64 done);
/* Stop a wait? -EINTR when cancelled (or on EINTR without a flag). */
int fbh_check_cancel(struct fbh_dev *d, int poll_errno);
__printf(2, 3)
void fbh_set_open_error(enum fbh_err_kind kind, const char *fmt, ...);

/*
 * Transport (fb-usb.c). All return 0 (or a byte count) or a negative
 * errno: -ENODEV device gone, -ETIMEDOUT (d->timeout_ms without
 * progress), -EINTR cancelled, -EIO/-EPIPE/-EPROTO/-EOVERFLOW transfer
 * failed; errors of @src/@sink are returned as they are.
 */
int fbt_write(struct fbh_dev *d, const void *buf, size_t len);
/* One IN transfer of at most @len bytes: the byte count. */
int fbt_read(struct fbh_dev *d, void *buf, size_t len);
/* Exactly @len bytes from @src, never a ZLP; fbh_xfer_progress() calls. */
int fbt_send(struct fbh_dev *d, struct fbh_src *src, u64 len);
/* Exactly @len bytes into @sink; a short transfer is -EPROTO. */
int fbt_recv(struct fbh_dev *d, struct fbh_sink *sink, u64 len);
/* After reboot/continue/boot: wait up to @ms for the device to leave. */
void fbt_wait_gone(struct fbh_dev *d, unsigned int ms);
void fbt_close(struct fbh_dev *d);

#endif /* FB_INT_H */
