// SPDX-License-Identifier: GPL-2.0
/*
 * hid-imx-sdp: the data phase of WRITE_FILE, DCD_WRITE and WRITE_CSF,
 * ceil(count / 1024) reports 2 sent by SET_REPORT on ep0.
 *
 * One blocking SET_REPORT per KiB leaves the bus idle between reports
 * while the host thread wakes up and builds the next one. On USB the
 * driver therefore submits the SET_REPORT control URBs itself and keeps
 * several of them queued on ep0: the USB core queues control URBs per
 * endpoint and the host controller runs them back to back, in order. The
 * command thread copies user data into the buffers of the URBs that are
 * not in flight and submits them; completions only account and wake it. usbhid uses ep0
 * only when asked (its own ctrl queue serves hid_hw_request(), which this
 * driver does not use), so nothing else is interleaved.
 *
 * The first failed report stops the phase: the URBs behind it are killed
 * (those the controller already started may still reach the ROM, whose
 * data phase is then void anyway). The caller gets the error and the byte
 * offset of that report, and words the failure (hid-imx-sdp-cmd.c).
 * Other transports (uhid) get one hid_hw_raw_request() per report.
 */

#include <linux/bitops.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <linux/imx_sdp.h>

#include "hid-imx-sdp.h"

#define IMX_SDP_DEPTH_MAX	32

static unsigned int xfer_depth = 32;
module_param(xfer_depth, uint, 0644);
MODULE_PARM_DESC(xfer_depth,
		 "Data reports in flight on USB (1-32, default 32); 0 sends one at a time with hid_hw_raw_request()");

/**
 * struct imx_sdp_data_urb - one report-2 SET_REPORT in the pipeline
 * @urb: the control URB
 * @setup: its setup packet (heap: the controller reads it by DMA)
 * @buf: its data stage, report ID 2 and up to 1024 bytes (heap, DMA)
 * @xfer: the transfer it belongs to
 * @off: offset of its payload in the data phase
 * @len: payload bytes taken from the user (without padding)
 * @idx: bit in &imx_sdp_xfer.busy
 */
struct imx_sdp_data_urb {
	struct urb *urb;
	struct usb_ctrlrequest *setup;
	u8 *buf;
	struct imx_sdp_xfer *xfer;
	u32 off;
	u16 len;
	u16 idx;
};

/**
 * struct imx_sdp_xfer - state of one pipelined data phase
 * @sdp: the board
 * @busy: the data URBs in flight, one bit each; set by the command
 *	thread, cleared by the completion
 * @lock: protects @status and @err_off against concurrent completions
 * @status: first failure of a data report, 0 if none
 * @err_off: offset of the payload of the report that failed first
 * @depth: number of data URBs
 * @setups: their setup packets, one array
 * @urbs: the data URBs
 */
struct imx_sdp_xfer {
	struct imx_sdp *sdp;
	unsigned long busy;
	spinlock_t lock;		/* status, err_off */
	int status;
	u32 err_off;
	u32 depth;
	struct usb_ctrlrequest *setups;
	struct imx_sdp_data_urb urbs[];
};

static void imx_sdp_data_done(struct urb *urb)
{
	struct imx_sdp_data_urb *du = urb->context;
	struct imx_sdp_xfer *x = du->xfer;
	struct imx_sdp *sdp = x->sdp;
	int status = urb->status;
	unsigned long flags;

	if (!status && urb->actual_length != urb->transfer_buffer_length)
		status = -EREMOTEIO;
	if (status) {
		spin_lock_irqsave(&x->lock, flags);
		if (!x->status) {
			x->status = status;
			x->err_off = du->off;
		}
		spin_unlock_irqrestore(&x->lock, flags);
	} else {
		atomic_add(du->len, &sdp->done);
	}
	/*
	 * The URB may be refilled once the bit is clear; @sdp outlives this
	 * handler because the thread kills every URB before it returns.
	 */
	clear_bit_unlock(du->idx, &x->busy);
	wake_up(&sdp->wait);
}

static void imx_sdp_xfer_free(struct imx_sdp_xfer *x)
{
	struct imx_sdp_data_urb *du;
	u32 i;

	for (i = 0; i < x->depth; i++) {
		du = &x->urbs[i];
		/* Also waits for a completion handler still running. */
		if (du->urb)
			usb_kill_urb(du->urb);
		usb_free_urb(du->urb);
		kfree(du->buf);
	}
	kfree(x->setups);
	kfree(x);
}

static struct imx_sdp_xfer *imx_sdp_xfer_alloc(struct imx_sdp *sdp, u32 depth)
{
	struct usb_device *udev = interface_to_usbdev(sdp->intf);
	u16 ifnum = sdp->intf->cur_altsetting->desc.bInterfaceNumber;
	struct imx_sdp_data_urb *du;
	struct imx_sdp_xfer *x;
	u32 i;

	x = kzalloc(struct_size(x, urbs, depth), GFP_KERNEL);
	if (!x)
		return NULL;
	x->sdp = sdp;
	x->depth = depth;
	spin_lock_init(&x->lock);
	x->setups = kmalloc_array(depth, sizeof(*x->setups), GFP_KERNEL);
	if (!x->setups)
		goto err;
	for (i = 0; i < depth; i++) {
		du = &x->urbs[i];
		du->setup = &x->setups[i];
		du->xfer = x;
		du->idx = i;
		du->buf = kmalloc(IMX_SDP_OUT_MAX, GFP_KERNEL);
		du->urb = usb_alloc_urb(0, GFP_KERNEL);
		if (!du->buf || !du->urb)
			goto err;
		du->setup->bRequestType = USB_DIR_OUT | USB_TYPE_CLASS |
					  USB_RECIP_INTERFACE;
		du->setup->bRequest = HID_REQ_SET_REPORT;
		du->setup->wValue = cpu_to_le16((HID_OUTPUT_REPORT + 1) << 8 |
						SDP_REPORT_DATA);
		du->setup->wIndex = cpu_to_le16(ifnum);
		du->buf[0] = SDP_REPORT_DATA;
		usb_fill_control_urb(du->urb, udev, usb_sndctrlpipe(udev, 0),
				     (u8 *)du->setup, du->buf, 0,
				     imx_sdp_data_done, du);
	}
	return x;

err:
	imx_sdp_xfer_free(x);
	return NULL;
}

/*
 * Copy @n payload bytes at @off into the report in @buf; returns the
 * report length: ID byte, payload, zeros up to 1 KiB with IMX_SDP_F_PAD.
 */
static int imx_sdp_fill(struct imx_sdp_req *req, u8 *buf, u32 off, u32 n)
{
	if (copy_from_user(buf + 1, req->data + off, n))
		return -EFAULT;
	if (n < SDP_DATA_MAX && (req->flags & IMX_SDP_F_PAD)) {
		memset(buf + 1 + n, 0, SDP_DATA_MAX - n);
		n = SDP_DATA_MAX;
	}
	return 1 + n;
}

/* Whether the command thread can go on: a URB to fill, the end, an error. */
static bool imx_sdp_xfer_progress(struct imx_sdp_xfer *x, bool more)
{
	unsigned long busy = READ_ONCE(x->busy);

	if (READ_ONCE(x->status) || imx_sdp_gone(x->sdp))
		return true;
	if (more)
		return find_first_zero_bit(&busy, x->depth) < x->depth;
	return !busy;
}

/* Payload offset of the oldest report still in flight, for messages. */
static u32 imx_sdp_xfer_oldest(struct imx_sdp_xfer *x)
{
	unsigned long busy = READ_ONCE(x->busy);
	u32 i, off = U32_MAX;

	for_each_set_bit(i, &busy, x->depth)
		off = min(off, x->urbs[i].off);
	return off;
}

/* Wait for any URB to come back (@more) or for all of them; 0 or errno. */
static int imx_sdp_xfer_wait(struct imx_sdp_xfer *x, bool more,
			     unsigned long tmo)
{
	long left;

	left = wait_event_interruptible_timeout(x->sdp->wait,
						imx_sdp_xfer_progress(x, more),
						tmo);
	if (left < 0)
		return -EINTR;
	if (!left)
		return -ETIMEDOUT;
	if (imx_sdp_gone(x->sdp))
		return -ENODEV;
	return 0;
}

static int imx_sdp_xfer_urbs(struct imx_sdp *sdp, struct imx_sdp_req *req,
			     struct imx_sdp_xfer *x, u32 *err_off)
{
	unsigned long tmo = msecs_to_jiffies(req->timeout_ms ?:
					     IMX_SDP_TIMEOUT_MS);
	u32 total = req->cmd.count, off = 0, idx, n;
	struct imx_sdp_data_urb *du;
	int len, err, status;

	for (;;) {
		while (off < total && !READ_ONCE(x->status)) {
			idx = find_first_zero_bit(&x->busy, x->depth);
			if (idx >= x->depth)
				break;
			if (signal_pending(current)) {
				err = -EINTR;
				goto abort;
			}
			du = &x->urbs[idx];
			n = min_t(u32, total - off, SDP_DATA_MAX);
			len = imx_sdp_fill(req, du->buf, off, n);
			if (len < 0) {
				err = len;
				goto abort;
			}
			du->off = off;
			du->len = n;
			du->setup->wLength = cpu_to_le16(len);
			du->urb->transfer_buffer_length = len;
			set_bit(idx, &x->busy);
			usb_anchor_urb(du->urb, &sdp->anchor);
			err = usb_submit_urb(du->urb, GFP_KERNEL);
			if (err) {
				usb_unanchor_urb(du->urb);
				clear_bit(idx, &x->busy);
				goto abort;
			}
			off += n;
		}
		if (READ_ONCE(x->status))
			break;
		if (off >= total && !READ_ONCE(x->busy))
			return 0;
		err = imx_sdp_xfer_wait(x, off < total, tmo);
		if (err == -ETIMEDOUT)
			off = imx_sdp_xfer_oldest(x);
		if (err)
			goto abort;
	}

	/* A report failed: nothing more may reach the ROM. */
	usb_kill_anchored_urbs(&sdp->anchor);
	*err_off = x->err_off;
	return x->status;

abort:
	/* A failed report came first; the kill below adds -ENOENT ones. */
	status = READ_ONCE(x->status);
	usb_kill_anchored_urbs(&sdp->anchor);
	if (status) {
		*err_off = x->err_off;
		return status;
	}
	*err_off = off;
	return err;
}

/* uhid and other transports: one blocking SET_REPORT per report. */
static int imx_sdp_xfer_seq(struct imx_sdp *sdp, struct imx_sdp_req *req,
			    u32 *err_off)
{
	u32 total = req->cmd.count, off, n;
	int len, ret = 0;
	u8 *buf;

	buf = kmalloc(IMX_SDP_OUT_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	buf[0] = SDP_REPORT_DATA;
	for (off = 0; off < total; off += SDP_DATA_MAX) {
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		if (imx_sdp_gone(sdp)) {
			ret = -ENODEV;
			break;
		}
		n = min_t(u32, total - off, SDP_DATA_MAX);
		len = imx_sdp_fill(req, buf, off, n);
		if (len < 0) {
			ret = len;
			break;
		}
		ret = hid_hw_raw_request(sdp->hdev, SDP_REPORT_DATA, buf, len,
					 HID_OUTPUT_REPORT, HID_REQ_SET_REPORT);
		if (ret != len) {
			ret = ret < 0 ? ret : -EREMOTEIO;
			break;
		}
		ret = 0;
		atomic_add(n, &sdp->done);
	}
	*err_off = off;
	kfree(buf);
	return ret;
}

/**
 * imx_sdp_xfer_data() - send the data phase of @req
 * @sdp: the board
 * @req: the command; its block is already out
 * @err_off: on failure, payload offset of the report that failed
 *
 * Returns 0 or the error as it happened: -ENOMEM, -EINTR (signal),
 * -EFAULT (user buffer), -ETIMEDOUT (a report not taken in time), -ENODEV
 * (board gone) or the failed transfer's status (-EPIPE: stalled). The
 * caller words it for last_error.
 */
int imx_sdp_xfer_data(struct imx_sdp *sdp, struct imx_sdp_req *req,
		      u32 *err_off)
{
	u32 depth = min_t(u32, READ_ONCE(xfer_depth), IMX_SDP_DEPTH_MAX);
	struct imx_sdp_xfer *x;
	int ret;

	lockdep_assert_held(&sdp->io_lock);

	*err_off = 0;
	if (!sdp->intf || !depth)
		return imx_sdp_xfer_seq(sdp, req, err_off);

	x = imx_sdp_xfer_alloc(sdp, depth);
	if (!x)
		return -ENOMEM;
	ret = imx_sdp_xfer_urbs(sdp, req, x, err_off);
	imx_sdp_xfer_free(x);
	return ret;
}
