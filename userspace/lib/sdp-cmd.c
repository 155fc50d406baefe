// SPDX-License-Identifier: GPL-2.0
/*
 * SDP host code: one helper per SDP command, and the error record. Every
 * failure is kept in the device object as "STEP: ANSWER" (sdp_error())
 * and printed as
 *
 *   PROG: /dev/imx-sdp0 (imx6q, port 1-1): STEP: ANSWER
 *
 * where STEP names the command and its arguments and ANSWER is what the
 * ROM (or the driver) said, e.g. "ROM answered HAB event 33 22 c0 00:
 * failure, invalid address, command". The helpers return EXIT_OK or the
 * exit code for the failure (see sdp-host.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <imxflash/sdp_proto.h>
#include <imxflash/sdp_soc.h>

#include "progress.h"
#include "sdp-host.h"
#include "util.h"

/*
 * READ_REGISTER: bytes per command; after lost replies, bytes per command
 * that fit the driver's reply queue (R3 + 16 R4, hid-imx-sdp keeps 32),
 * and how many times that may happen in one read.
 */
#define READ_CHUNK	(64u << 10)
#define READ_SAFE_CHUNK	1024u
#define READ_RETRIES	3

volatile int sdp_interrupted;

const char *sdp_ioc_name(unsigned long req)
{
	switch (req) {
	case IMX_SDP_IOC_INFO:		return "INFO";
	case IMX_SDP_IOC_ERROR_STATUS:	return "ERROR_STATUS";
	case IMX_SDP_IOC_READ_REG:	return "READ_REGISTER";
	case IMX_SDP_IOC_WRITE_REG:	return "WRITE_REGISTER";
	case IMX_SDP_IOC_WRITE_FILE:	return "WRITE_FILE";
	case IMX_SDP_IOC_DCD_WRITE:	return "DCD_WRITE";
	case IMX_SDP_IOC_WRITE_CSF:	return "WRITE_CSF";
	case IMX_SDP_IOC_SKIP_DCD:	return "SKIP_DCD_HEADER";
	case IMX_SDP_IOC_JUMP:		return "JUMP_ADDRESS";
	}
	return "ioctl";
}

int sdp_err_exit(int err)
{
	switch (err) {
	case 0:
		return EXIT_OK;
	case -ENODEV:
		return EXIT_GONE;
	case -ETIMEDOUT:
		return EXIT_TIMEOUT;
	case -EINTR:
		return EXIT_INTR;
	case -ENOENT:
	case -EACCES:
	case -EPERM:
	case -ENXIO:
		return EXIT_NOBOARD;
	}
	return EXIT_ROM;
}

/* "/dev/imx-sdp0 (imx6q, port 1-1)" */
static void dev_label(const struct sdp_dev *d, char *buf, size_t size)
{
	const char *soc = d->info.soc[0] ? d->info.soc : "unknown SoC";

	if (d->info.port[0])
		snprintf(buf, size, "%s (%s, port %s)", d->node, soc,
			 d->info.port);
	else
		snprintf(buf, size, "%s (%s)", d->node, soc);
}

const char *sdp_error(const struct sdp_dev *d)
{
	return d->err;
}

int sdp_error_exit(const struct sdp_dev *d)
{
	return d->err_exit;
}

/* Record the failure in @d, then print it (the board in front if @board). */
static void vfail(struct sdp_dev *d, int code, bool board, const char *fmt,
		  va_list ap)
{
	char label[160];

	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	d->err_exit = code;
	if (board) {
		dev_label(d, label, sizeof(label));
		util_err("%s: %s", label, d->err);
	} else {
		util_err("%s", d->err);
	}
}

int sdp_fail(struct sdp_dev *d, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(d, code, true, fmt, ap);
	va_end(ap);
	return code;
}

int sdp_fail_plain(struct sdp_dev *d, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(d, code, false, fmt, ap);
	va_end(ap);
	return code;
}

void sdp_note(const struct sdp_dev *d, const char *fmt, ...)
{
	char label[160], text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	dev_label(d, label, sizeof(label));
	util_err("%s: %s", label, text);
}

static void explain(const struct imx_sdp_cmd *cmd, int err, u32 tmo,
		    char *buf, size_t size)
{
	char st[160];

	switch (err) {
	case -EIO:
		if (cmd->status) {
			sdp_status_format(st, sizeof(st), cmd->status);
			snprintf(buf, size, "ROM answered %s", st);
		} else {
			snprintf(buf, size,
				 "USB I/O error (no status from the ROM)");
		}
		break;
	case -EPROTO:
		snprintf(buf, size,
			 "unexpected HAB state 0x%08x in the ROM's reply (neither open 56 78 78 56 nor closed 12 34 34 12)",
			 cmd->hab);
		break;
	case -ETIMEDOUT:
		if (tmo)
			snprintf(buf, size,
				 "no answer from the ROM within %u ms (timed out)",
				 tmo);
		else
			snprintf(buf, size,
				 "no answer from the ROM (timed out; raise --timeout-ms for slow DCDs)");
		break;
	case -ENODEV:
		snprintf(buf, size,
			 "the board left the bus (unplugged, reset or booted)");
		break;
	case -EINTR:
		snprintf(buf, size, "interrupted");
		break;
	case -EPIPE:
		snprintf(buf, size, "the ROM stalled the request (report refused)");
		break;
	case -EBUSY:
		snprintf(buf, size, "board busy (used by another program)");
		break;
	case -EINVAL:
		snprintf(buf, size,
			 "rejected by the driver (invalid argument: address, count or width)");
		break;
	case -ENOTTY:
		snprintf(buf, size,
			 "not an imx-sdp node (unknown ioctl: driver too old?)");
		break;
	default:
		snprintf(buf, size, "%s", strerror(-err));
	}
}

/*
 * After -EINTR the ROM may still wait for data reports: any command ends
 * that data phase, ERROR_STATUS being the harmless one.
 */
static void resync(struct sdp_dev *d)
{
	struct imx_sdp_cmd es = { .timeout_ms = d->timeout_ms };

	if (sdp_dev_ioctl(d, IMX_SDP_IOC_ERROR_STATUS, &es) == 0)
		util_err("%s: ROM resynchronised with ERROR_STATUS", d->node);
}

/* Run one command: timeout, ioctl, HAB state. 0 or -errno. */
static int sdp_exec(struct sdp_dev *d, unsigned long req,
		    struct imx_sdp_cmd *cmd)
{
	int err;

	/* JUMP's timeout is its HAB-event window: keep the driver's. */
	cmd->timeout_ms = req == IMX_SDP_IOC_JUMP ? 0 : d->timeout_ms;
	err = sdp_dev_ioctl(d, req, cmd);
	/* Every reply carries the HAB state (IMX_SDP_IOC_INFO: last seen). */
	if (cmd->hab)
		d->info.hab = cmd->hab;
	return err;
}

/* The outcome of sdp_exec(): verbose trace, or the error. Exit code. */
static int sdp_outcome(struct sdp_dev *d, const struct imx_sdp_cmd *cmd,
		       int err, const char *step)
{
	char why[256], st[160], drv[256];
	int ret;

	if (!err) {
		if (util_verbosity > 0) {
			if (cmd->status)
				sdp_status_format(st, sizeof(st), cmd->status);
			else
				snprintf(st, sizeof(st), "none");
			util_vmsg("  %s: HAB %s, status %s", step,
				  cmd->hab == IMX_SDP_HAB_CLOSED ? "closed" :
				  cmd->hab == IMX_SDP_HAB_OPEN ? "open" : "?", st);
		}
		return EXIT_OK;
	}
	explain(cmd, err, cmd->timeout_ms, why, sizeof(why));
	ret = sdp_fail(d, sdp_err_exit(err), "%s: %s", step, why);
	/*
	 * When the ROM's answer does not say it all, the driver's record of
	 * the failure does (lost reports, short transfers, ...).
	 */
	if (err != -ENODEV && err != -EINTR &&
	    (util_verbosity > 0 || err != -EIO || !cmd->status)) {
		sdp_dev_last_error(d, drv, sizeof(drv));
		if (drv[0])
			util_err("%s: driver's last_error: %s", d->node, drv);
	}
	if (err == -EINTR)
		resync(d);
	return ret;
}

int sdp_run(struct sdp_dev *d, unsigned long req, struct imx_sdp_cmd *cmd,
	    const char *fmt, ...)
{
	char step[160];
	va_list ap;
	int err;

	va_start(ap, fmt);
	vsnprintf(step, sizeof(step), fmt, ap);
	va_end(ap);
	/* between two commands: no data phase to end, no resync */
	if (sdp_interrupted)
		return sdp_fail(d, EXIT_INTR, "%s: interrupted", step);
	err = sdp_exec(d, req, cmd);
	return sdp_outcome(d, cmd, err, step);
}

u32 sdp_format_of_width(unsigned int bits)
{
	switch (bits) {
	case 8:
		return IMX_SDP_FORMAT_8;
	case 16:
		return IMX_SDP_FORMAT_16;
	case 32:
		return IMX_SDP_FORMAT_32;
	}
	return 0;
}

int sdp_error_status(struct sdp_dev *d, u32 *status)
{
	struct imx_sdp_cmd c = { 0 };
	int ret;

	ret = sdp_run(d, IMX_SDP_IOC_ERROR_STATUS, &c, "ERROR_STATUS");
	if (!ret && status)
		*status = c.status;
	return ret;
}

int sdp_write_reg(struct sdp_dev *d, u32 addr, u32 value, u32 format)
{
	struct imx_sdp_cmd c = {
		.addr = addr, .format = format, .value = value,
	};

	return sdp_run(d, IMX_SDP_IOC_WRITE_REG, &c,
		       "WRITE_REGISTER 0x%08x = 0x%x (%u-bit)", addr, value,
		       format);
}

/*
 * Get the ROM and the driver back in step after a read lost replies: the
 * ROM keeps streaming the rest of the aborted read until it gets the next
 * command, so the first ERROR_STATUS may see stale data reports; once one
 * is answered cleanly, nothing is left in flight.
 */
static int read_resync(struct sdp_dev *d)
{
	struct timespec pause = { 0, 50 * 1000000L };
	int i, err = 0;

	for (i = 0; i < 4; i++) {
		struct imx_sdp_cmd es = { 0 };

		err = sdp_exec(d, IMX_SDP_IOC_ERROR_STATUS, &es);
		if (!err || err == -ENODEV || err == -EINTR)
			break;
		nanosleep(&pause, NULL);
	}
	return err;
}

/*
 * READ_REGISTER @len bytes at @addr. @format 0 picks 32-bit accesses when
 * address and length allow, else 8-bit (as pread() does). Read in chunks
 * (for the progress bar). A chunk that failed on the transport without an
 * answer of the ROM (replies lost: the host did not keep up with the
 * ROM's data reports) is read again after a resync, in pieces small
 * enough for the driver's reply queue; reads have no side effects.
 */
int sdp_read_mem(struct sdp_dev *d, u32 addr, void *buf, u32 len, u32 format,
		 const char *why)
{
	bool bar = d->progress && len > READ_CHUNK;
	u32 done = 0, n, chunk = READ_CHUNK;
	u64 t0 = util_now_ms();
	char step[160], drv[256];
	int ret, err, tries = 0;

	if (!format)
		format = (addr | len) & 3 ? IMX_SDP_FORMAT_8 :
			 IMX_SDP_FORMAT_32;
	while (done < len) {
		struct imx_sdp_cmd c = { 0 };

		n = len - done < chunk ? len - done : chunk;
		snprintf(step, sizeof(step),
			 "READ_REGISTER 0x%08x (%u bytes, %u-bit)%s%s",
			 addr + done, n, format, why ? " " : "",
			 why ? why : "");
		err = -EINTR;
		if (!sdp_interrupted) {
			c.addr = addr + done;
			c.format = format;
			c.count = n;
			c.data = (uintptr_t)((u8 *)buf + done);
			err = sdp_exec(d, IMX_SDP_IOC_READ_REG, &c);
		}
		if (((err == -EIO && !c.status) || err == -EPROTO) &&
		    tries < READ_RETRIES) {
			tries++;
			sdp_dev_last_error(d, drv, sizeof(drv));
			if (bar)
				progress_end();
			if (util_verbosity >= 0)
				util_warn("%s: %s: %s; reading it again in %u-byte pieces",
					  d->node, step, drv[0] ? drv : "I/O error",
					  READ_SAFE_CHUNK);
			chunk = READ_SAFE_CHUNK;
			if (!read_resync(d))
				continue;
		}
		ret = sdp_outcome(d, &c, err, step);
		if (ret) {
			if (bar)
				progress_end();
			return ret;
		}
		done += n;
		if (bar)
			progress_draw("READ_REGISTER", done, len, t0);
	}
	if (bar)
		progress_end();
	return EXIT_OK;
}

int sdp_write_file(struct sdp_dev *d, u32 addr, const void *buf, u32 len,
		   u32 flags, const char *what)
{
	struct imx_sdp_cmd c = {
		.addr = addr, .count = len, .flags = flags,
		.data = (uintptr_t)buf,
	};
	char rate[64];
	u64 t0 = util_now_ms();
	int ret;

	ret = sdp_run(d, IMX_SDP_IOC_WRITE_FILE, &c,
		      "WRITE_FILE 0x%08x (%u bytes%s%s)", addr, len,
		      what ? ", " : "", what ? what : "");
	if (!ret)
		util_msg("WRITE_FILE 0x%08x: %u bytes ok (%s)", addr, len,
			 util_human_rate(rate, sizeof(rate), len, util_now_ms() - t0));
	return ret;
}

int sdp_dcd_write(struct sdp_dev *d, u32 addr, const void *dcd, u32 len)
{
	struct imx_sdp_cmd c = {
		.addr = addr, .count = len, .data = (uintptr_t)dcd,
	};
	int ret;

	ret = sdp_run(d, IMX_SDP_IOC_DCD_WRITE, &c,
		      "DCD_WRITE %u bytes to 0x%08x", len, addr);
	if (!ret)
		util_msg("DCD_WRITE %u bytes to 0x%08x: ok (DCD executed)", len,
			 addr);
	return ret;
}

int sdp_skip_dcd(struct sdp_dev *d)
{
	struct imx_sdp_cmd c = { 0 };
	int ret;

	ret = sdp_run(d, IMX_SDP_IOC_SKIP_DCD, &c, "SKIP_DCD_HEADER");
	if (!ret)
		util_vmsg("SKIP_DCD_HEADER: ok");
	return ret;
}

/*
 * JUMP_ADDRESS: success is the ROM's silence. On a HAB event, print it
 * and the ROM's ERROR_STATUS, and fail.
 */
int sdp_jump(struct sdp_dev *d, u32 addr)
{
	struct imx_sdp_cmd c = { .addr = addr };
	struct timespec t0, t1;
	char st[160];
	u32 status;
	int err;

	if (sdp_interrupted)
		return sdp_fail(d, EXIT_INTR, "JUMP_ADDRESS 0x%08x: interrupted",
				addr);
	c.timeout_ms = 0;
	/* the board's time, not ours: a factory's floor counts it apart */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = sdp_dev_ioctl(d, IMX_SDP_IOC_JUMP, &c);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	d->jump_ms += (u32)((t1.tv_sec - t0.tv_sec) * 1000 +
			   (t1.tv_nsec - t0.tv_nsec) / 1000000);
	if (c.hab)
		d->info.hab = c.hab;
	if (!err) {
		util_msg("JUMP_ADDRESS 0x%08x: ok (no HAB event, image running)",
			 addr);
		return EXIT_OK;
	}
	if (err == -ENODEV) {
		/* The image took over the USB controller before the window. */
		util_msg("JUMP_ADDRESS 0x%08x: ok (the board left the bus: image running)",
			 addr);
		return EXIT_OK;
	}
	if (err != -EIO) {
		char why[256];

		explain(&c, err, 0, why, sizeof(why));
		return sdp_fail(d, sdp_err_exit(err), "JUMP_ADDRESS 0x%08x: %s",
				addr, why);
	}
	sdp_status_format(st, sizeof(st), c.status);
	sdp_fail(d, EXIT_ROM, "JUMP_ADDRESS 0x%08x: ROM refused the image: %s",
		 addr, st);
	/* The ROM stays in SDP: ask it for its last error. */
	{
		struct imx_sdp_cmd es = { .timeout_ms = d->timeout_ms };

		if (!sdp_dev_ioctl(d, IMX_SDP_IOC_ERROR_STATUS, &es)) {
			status = es.status;
			sdp_status_format(st, sizeof(st), status);
			sdp_note(d, "ERROR_STATUS after JUMP_ADDRESS: ROM's last error %s",
				 st);
		}
	}
	if (util_verbosity > 0) {
		char drv[256];

		sdp_dev_last_error(d, drv, sizeof(drv));
		if (drv[0])
			util_err("%s: driver's last_error: %s", d->node, drv);
	}
	return EXIT_ROM;
}

/*
 * The SoC's unique ID, read now from the fuse shadow registers its
 * profile names (sdp_soc.h), with ERROR_STATUS before and after: a ROM
 * that refuses a 4-byte READ_REGISTER sends its HAB event as the data
 * but keeps it for ERROR_STATUS (Documentation/sdp-protocol.rst, "Board
 * identity"), so a changed error status means the ID was not read.
 */
int sdp_read_uid(struct sdp_dev *d, u64 *uid)
{
	const struct sdp_soc *soc = sdp_soc_by_name(d->info.soc);
	u32 regs[SDP_UID_REGS_MAX], before, after;
	char was[96], now[96];
	unsigned int i;
	u8 w[4];
	int ret;

	if (!soc || !soc->uid.nregs)
		return sdp_fail(d, EXIT_ROM,
				"unique ID: not known where the %s ROM (USB %04x:%04x) keeps it",
				d->info.soc[0] ? d->info.soc : "unknown",
				d->info.vendor, d->info.product);
	ret = sdp_error_status(d, &before);
	for (i = 0; !ret && i < soc->uid.nregs; i++) {
		ret = sdp_read_mem(d, soc->uid.addr[i], w, sizeof(w),
				   IMX_SDP_FORMAT_32, "(unique ID fuses)");
		regs[i] = imxf_get_le32(w);
	}
	if (!ret)
		ret = sdp_error_status(d, &after);
	if (ret)
		return ret;
	if (after != before) {
		sdp_status_format(was, sizeof(was), before);
		sdp_status_format(now, sizeof(now), after);
		return sdp_fail(d, EXIT_ROM,
				"unique ID: the ROM refused to read its fuses (error status went from %s to %s)",
				was, now);
	}
	return sdp_soc_uid_join(soc, regs, uid) ? EXIT_ROM : EXIT_OK;
}
