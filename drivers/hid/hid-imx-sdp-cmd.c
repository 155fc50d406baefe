// SPDX-License-Identifier: GPL-2.0
/*
 * hid-imx-sdp: the command engine. One SDP command is: the 16-byte
 * command block as report 1, the data phase as report-2s for WRITE_FILE,
 * DCD_WRITE and WRITE_CSF (hid-imx-sdp-xfer.c), then the ROM's replies:
 * report 3 with the HAB state, and report 4 with a status word or, for
 * READ_REGISTER, the data in 64-byte pieces. JUMP_ADDRESS is answered by
 * report 3 alone when the image runs, and by a report 4 (a HAB event)
 * when the ROM refuses it.
 *
 * Every failure leaves a sentence in last_error that names the command,
 * its address and what the ROM answered or what failed locally.
 */

#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/uaccess.h>

#include <linux/imx_sdp.h>

#include "hid-imx-sdp.h"

/* How long an unplug may take to reach remove() after a failed transfer. */
#define IMX_SDP_UNPLUG_MS	500
/* READ_REGISTER: how long to wait for the 2nd report after a HAB event. */
#define IMX_SDP_READ_GRACE_MS	250

static int imx_sdp_prefix(char *buf, size_t size, const struct sdp_cmd *c)
{
	const char *name = sdp_cmd_name(c->type) ?: "command";

	switch (c->type) {
	case SDP_READ_REGISTER:
	case SDP_WRITE_FILE:
	case SDP_WRITE_CSF:
	case SDP_DCD_WRITE:
		return scnprintf(buf, size, "%s at 0x%08x (%u bytes): ", name,
				 c->addr, c->count);
	case SDP_WRITE_REGISTER:
		return scnprintf(buf, size, "%s 0x%08x := 0x%08x: ", name,
				 c->addr, c->data);
	case SDP_JUMP_ADDRESS:
		return scnprintf(buf, size, "%s to 0x%08x: ", name, c->addr);
	default:
		return scnprintf(buf, size, "%s: ", name);
	}
}

/* Record why @req failed in last_error; returns @err. */
static __printf(4, 5)
int imx_sdp_fail(struct imx_sdp *sdp, const struct imx_sdp_req *req, int err,
		 const char *fmt, ...)
{
	char msg[IMX_SDP_ERR_LEN];
	va_list args;
	int n;

	n = imx_sdp_prefix(msg, sizeof(msg), &req->cmd);
	va_start(args, fmt);
	vscnprintf(msg + n, sizeof(msg) - n, fmt, args);
	va_end(args);

	spin_lock_irq(&sdp->lock);
	strscpy(sdp->last_error, msg, sizeof(sdp->last_error));
	spin_unlock_irq(&sdp->lock);
	dev_dbg(&sdp->dev, "%s (%d)\n", msg, err);
	return err;
}

/*
 * Turn a transport error into what the caller gets. An unplug shows up
 * as a failed transfer (-EPROTO, -ESHUTDOWN, ...) before remove() runs:
 * give the hub a moment, so that the caller sees -ENODEV rather than -EIO.
 */
static int imx_sdp_transport_errno(struct imx_sdp *sdp, int err)
{
	switch (err) {
	case -EPIPE:		/* the ROM stalled the request */
	case -EFAULT:
	case -EINTR:
		return err;
	}
	wait_event_timeout(sdp->wait, imx_sdp_gone(sdp),
			   msecs_to_jiffies(IMX_SDP_UNPLUG_MS));
	if (imx_sdp_gone(sdp))
		return -ENODEV;
	return err == -ETIMEDOUT ? err : -EIO;
}

/*
 * The data phase (imx_sdp_xfer_data()) failed with @err at payload offset
 * @off: say what and where.
 */
static int imx_sdp_data_fail(struct imx_sdp *sdp, struct imx_sdp_req *req,
			     int err, u32 off)
{
	u32 done = atomic_read(&sdp->done);

	switch (err) {
	case -ENOMEM:
		return imx_sdp_fail(sdp, req, err,
				    "no memory for the data phase");
	case -EINTR:
		return imx_sdp_fail(sdp, req, err,
				    "interrupted by a signal after %u bytes",
				    done);
	case -EFAULT:
		return imx_sdp_fail(sdp, req, err,
				    "user buffer not readable at offset %u", off);
	case -ETIMEDOUT:
		return imx_sdp_fail(sdp, req, err,
				    "data report at offset %u not taken within %u ms",
				    off, req->timeout_ms ?: IMX_SDP_TIMEOUT_MS);
	}
	if (imx_sdp_transport_errno(sdp, err) == -ENODEV)
		return imx_sdp_fail(sdp, req, -ENODEV,
				    "board gone after %u bytes of data", done);
	return imx_sdp_fail(sdp, req, err == -EPIPE ? -EPIPE : -EIO,
			    "data report at offset %u failed (%d%s)", off, err,
			    err == -EPIPE ? ", stalled by the ROM" : "");
}

/* Replies of an earlier, aborted command are not replies to this one. */
static void imx_sdp_rx_flush(struct imx_sdp *sdp)
{
	spin_lock_irq(&sdp->lock);
	WRITE_ONCE(sdp->rx_tail, sdp->rx_head);
	WRITE_ONCE(sdp->rx_overflow, false);
	spin_unlock_irq(&sdp->lock);
}

/* Wake-up condition only: imx_sdp_next_report() decides under the lock. */
static bool imx_sdp_rx_ready(struct imx_sdp *sdp)
{
	return READ_ONCE(sdp->gone) || READ_ONCE(sdp->rx_overflow) ||
	       READ_ONCE(sdp->rx_head) != READ_ONCE(sdp->rx_tail);
}

/*
 * Wait up to @tmo jiffies for the next reply. Replies that arrived before
 * an unplug are still handed out, so a command the ROM completed succeeds.
 */
static int imx_sdp_next_report(struct imx_sdp *sdp, struct imx_sdp_report *rep,
			       unsigned long tmo)
{
	long left;
	int ret = 0;

	left = wait_event_interruptible_timeout(sdp->wait,
						imx_sdp_rx_ready(sdp), tmo);
	if (left < 0)
		return -EINTR;

	spin_lock_irq(&sdp->lock);
	if (sdp->rx_overflow) {
		ret = -EOVERFLOW;
	} else if (sdp->rx_head != sdp->rx_tail) {
		*rep = sdp->rx[sdp->rx_tail % IMX_SDP_RX_LEN];
		WRITE_ONCE(sdp->rx_tail, sdp->rx_tail + 1);
	} else {
		ret = sdp->gone ? -ENODEV : -ETIMEDOUT;
	}
	spin_unlock_irq(&sdp->lock);
	return ret;
}

static int imx_sdp_wait_fail(struct imx_sdp *sdp, const struct imx_sdp_req *req,
			     int err, const char *what, unsigned int ms)
{
	switch (err) {
	case -ETIMEDOUT:
		return imx_sdp_fail(sdp, req, err, "no %s within %u ms",
				    what, ms);
	case -EINTR:
		return imx_sdp_fail(sdp, req, err,
				    "interrupted by a signal waiting for %s",
				    what);
	case -ENODEV:
		return imx_sdp_fail(sdp, req, err,
				    "board gone while waiting for %s", what);
	default:
		return imx_sdp_fail(sdp, req, -EIO,
				    "replies lost (more than %u queued) waiting for %s",
				    IMX_SDP_RX_LEN, what);
	}
}

static int imx_sdp_send_cmd(struct imx_sdp *sdp, struct imx_sdp_req *req)
{
	u8 *buf = sdp->cmd_buf;
	int ret, err;

	lockdep_assert_held(&sdp->io_lock);

	buf[0] = SDP_REPORT_CMD;
	sdp_cmd_encode(&req->cmd, buf + 1);
	ret = hid_hw_raw_request(sdp->hdev, SDP_REPORT_CMD, buf,
				 1 + SDP_CMD_LEN, HID_OUTPUT_REPORT,
				 HID_REQ_SET_REPORT);
	if (ret == 1 + SDP_CMD_LEN)
		return 0;
	if (ret >= 0)
		return imx_sdp_fail(sdp, req, -EIO,
				    "command block: SET_REPORT took %d of %d bytes",
				    ret, 1 + SDP_CMD_LEN);
	err = imx_sdp_transport_errno(sdp, ret);
	if (err == -ENODEV)
		return imx_sdp_fail(sdp, req, err,
				    "board gone, command block not sent (%d)",
				    ret);
	return imx_sdp_fail(sdp, req, err,
			    "sending the command block failed (%d%s)", ret,
			    ret == -EPIPE ? ", stalled by the ROM" : "");
}

/*
 * Report 3 is the first reply to every command. Reports 4 before it are
 * leftovers of an earlier command that the ROM was still answering (a
 * READ_REGISTER stream, a status that came after a timeout): dropped.
 */
static int imx_sdp_wait_hab(struct imx_sdp *sdp, struct imx_sdp_req *req,
			    unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);
	struct imx_sdp_report rep;
	unsigned int stale = 0;
	u32 hab;
	int ret;

	for (;;) {
		ret = imx_sdp_next_report(sdp, &rep, time_before(jiffies, end) ?
					  end - jiffies : 0);
		if (ret)
			return imx_sdp_wait_fail(sdp, req, ret,
						 "report 3 (HAB state)", ms);
		if (rep.data[0] != SDP_REPORT_STATUS)
			break;
		stale++;
	}
	if (stale)
		dev_dbg(&sdp->dev, "%u stale reports 4 dropped\n", stale);

	if (rep.data[0] != SDP_REPORT_HAB || rep.len < 1 + SDP_HAB_LEN)
		return imx_sdp_fail(sdp, req, -EPROTO,
				    "expected report 3 (HAB state), got report %u of %u bytes",
				    rep.data[0], rep.len);
	hab = imxf_get_le32(rep.data + 1);
	req->hab = hab;
	if (hab != SDP_HAB_OPEN && hab != SDP_HAB_CLOSED)
		return imx_sdp_fail(sdp, req, -EPROTO,
				    "report 3 holds 0x%08x, not a HAB state",
				    hab);
	WRITE_ONCE(sdp->hab, hab);
	return 0;
}

/* The status word each command must end with; 0: any word will do. */
static u32 imx_sdp_expected(u16 type)
{
	switch (type) {
	case SDP_WRITE_REGISTER:
	case SDP_DCD_WRITE:
	case SDP_WRITE_CSF:
		return SDP_ACK_WRITE;
	case SDP_WRITE_FILE:
		return SDP_ACK_FILE;
	case SDP_SKIP_DCD_HEADER:
		return SDP_ACK_SKIP_DCD;
	default:
		return 0;
	}
}

static int imx_sdp_rom_refused(struct imx_sdp *sdp, struct imx_sdp_req *req,
			       u32 status)
{
	char text[IMX_SDP_STATUS_TEXT];

	req->status = status;
	sdp_status_format(text, sizeof(text), status);
	return imx_sdp_fail(sdp, req, -EIO, "ROM answered %s", text);
}

static int imx_sdp_wait_status(struct imx_sdp *sdp, struct imx_sdp_req *req,
			       unsigned int ms)
{
	struct imx_sdp_report rep;
	u32 status, want;
	int ret;

	ret = imx_sdp_next_report(sdp, &rep, msecs_to_jiffies(ms));
	if (ret)
		return imx_sdp_wait_fail(sdp, req, ret, "report 4 (status)", ms);
	if (rep.data[0] != SDP_REPORT_STATUS || rep.len < 1 + 4)
		return imx_sdp_fail(sdp, req, -EPROTO,
				    "expected report 4 (status), got report %u of %u bytes",
				    rep.data[0], rep.len);
	status = imxf_get_le32(rep.data + 1);
	req->status = status;
	want = imx_sdp_expected(req->cmd.type);
	if (want && status != want)
		return imx_sdp_rom_refused(sdp, req, status);
	return 0;
}

/*
 * READ_REGISTER data: ceil(count / 64) reports 4. A ROM that refuses the
 * read sends a single report 4 holding a HAB event instead. Data can look
 * like an event, so for reads of more than one report the missing second
 * report is what tells, and it is not waited for long. A short read that
 * the ROM refused returns the event as data.
 */
static int imx_sdp_read_data(struct imx_sdp *sdp, struct imx_sdp_req *req,
			     unsigned int ms)
{
	u32 count = req->cmd.count, off = 0, event = 0, n;
	struct imx_sdp_report rep;
	unsigned int wait = ms;
	int ret;

	while (off < count) {
		ret = imx_sdp_next_report(sdp, &rep, msecs_to_jiffies(wait));
		if (ret == -ETIMEDOUT && event)
			return imx_sdp_rom_refused(sdp, req, event);
		if (ret)
			return imx_sdp_wait_fail(sdp, req, ret,
						 "report 4 (data)", wait);
		n = min_t(u32, count - off, SDP_STATUS_MAX);
		if (rep.data[0] != SDP_REPORT_STATUS || rep.len < 1 + n)
			return imx_sdp_fail(sdp, req, -EPROTO,
					    "expected report 4 with %u bytes at offset %u, got report %u of %u bytes",
					    n, off, rep.data[0], rep.len);
		event = 0;
		wait = ms;
		if (!off && count > SDP_STATUS_MAX &&
		    rep.data[1] == HAB_STS_FAILURE) {
			event = imxf_get_le32(rep.data + 1);
			wait = min_t(unsigned int, ms, IMX_SDP_READ_GRACE_MS);
		}
		if (req->kbuf)
			memcpy(req->kbuf + off, rep.data + 1, n);
		else if (copy_to_user(req->data + off, rep.data + 1, n))
			return imx_sdp_fail(sdp, req, -EFAULT,
					    "user buffer not writable at offset %u",
					    off);
		off += n;
		atomic_add(n, &sdp->done);
	}
	return 0;
}

/*
 * JUMP_ADDRESS after report 3: silence means the image runs, and so does
 * the board leaving the bus (the new code re-initialises USB). A report 4
 * is the HAB event of a refused image; the ROM stays in serial download.
 */
static int imx_sdp_jump_result(struct imx_sdp *sdp, struct imx_sdp_req *req)
{
	unsigned int ms = req->timeout_ms ?: IMX_SDP_JUMP_MS;
	struct imx_sdp_report rep;
	int ret;

	ret = imx_sdp_next_report(sdp, &rep, msecs_to_jiffies(ms));
	if (ret == -ETIMEDOUT || ret == -ENODEV)
		return 0;
	if (ret)
		return imx_sdp_wait_fail(sdp, req, ret, "report 4 (HAB event)",
					 ms);
	if (rep.data[0] != SDP_REPORT_STATUS || rep.len < 1 + 4)
		return imx_sdp_fail(sdp, req, -EPROTO,
				    "expected nothing or report 4, got report %u of %u bytes",
				    rep.data[0], rep.len);
	return imx_sdp_rom_refused(sdp, req, imxf_get_le32(rep.data + 1));
}

static int imx_sdp_run_one(struct imx_sdp *sdp, struct imx_sdp_req *req,
			   bool new_transfer)
{
	const struct sdp_cmd *c = &req->cmd;
	unsigned int ms = req->timeout_ms ?: IMX_SDP_TIMEOUT_MS;
	bool data = sdp_cmd_data_reports(c);
	u32 err_off;
	int ret;

	lockdep_assert_held(&sdp->io_lock);

	req->hab = 0;
	req->status = 0;
	if (imx_sdp_gone(sdp))
		return -ENODEV;

	/* progress stays on the last transfer until the next one starts. */
	if (new_transfer && (data || c->type == SDP_READ_REGISTER)) {
		atomic_set(&sdp->done, 0);
		WRITE_ONCE(sdp->total, c->count);
	}

	/* Our own data URBs bypass usbhid: keep the device resumed. */
	if (sdp->intf) {
		ret = usb_autopm_get_interface(sdp->intf);
		if (ret)
			return imx_sdp_fail(sdp, req,
					    imx_sdp_transport_errno(sdp, ret),
					    "cannot resume the device (%d)", ret);
	}

	imx_sdp_rx_flush(sdp);
	ret = imx_sdp_send_cmd(sdp, req);
	if (!ret && data) {
		ret = imx_sdp_xfer_data(sdp, req, &err_off);
		if (ret)
			ret = imx_sdp_data_fail(sdp, req, ret, err_off);
	}
	if (!ret)
		ret = imx_sdp_wait_hab(sdp, req, ms);
	if (!ret) {
		switch (c->type) {
		case SDP_READ_REGISTER:
			ret = imx_sdp_read_data(sdp, req, ms);
			break;
		case SDP_JUMP_ADDRESS:
			ret = imx_sdp_jump_result(sdp, req);
			break;
		default:
			ret = imx_sdp_wait_status(sdp, req, ms);
			break;
		}
	}

	if (sdp->intf)
		usb_autopm_put_interface(sdp->intf);
	return ret;
}

/*
 * Run one ioctl's command. Output: req->hab, req->status; progress in
 * sysfs. Returns 0, or a negative errno with last_error set.
 *
 * The ROM streams READ_REGISTER data as fast as the host polls, while the
 * reader copies each report to userspace: a long read could outrun the
 * reply ring. Reads larger than half the ring are therefore split into
 * several commands, which costs one report 1 and one report 3 per piece.
 */
int imx_sdp_run(struct imx_sdp *sdp, struct imx_sdp_req *req)
{
	u32 count = req->cmd.count, off, n;
	struct imx_sdp_req part;
	int ret = 0;

	lockdep_assert_held(&sdp->io_lock);

	if (req->cmd.type != SDP_READ_REGISTER || count <= IMX_SDP_READ_CHUNK)
		return imx_sdp_run_one(sdp, req, true);

	atomic_set(&sdp->done, 0);
	WRITE_ONCE(sdp->total, count);
	for (off = 0; off < count && !ret; off += n) {
		n = min_t(u32, count - off, IMX_SDP_READ_CHUNK);
		part = *req;
		part.cmd.addr += off;
		part.cmd.count = n;
		part.data = req->data + off;
		if (req->kbuf)
			part.kbuf = req->kbuf + off;
		ret = imx_sdp_run_one(sdp, &part, false);
		req->hab = part.hab;
		req->status = part.status;
	}
	return ret;
}
