/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hid-imx-sdp: the interfaces between the driver's files. Which file
 * holds what, and the one direction calls go in: Documentation/imx-sdp.rst,
 * "Source files". The data phase returns errors as values and the command
 * engine alone words them for last_error.
 *
 * Locking, per board:
 *  - io_lock (mutex) serialises commands: it is held for a whole command,
 *    from the command block to the last reply. remove() takes it after
 *    marking the board gone, so once it returns nobody touches hdev.
 *  - lock (spinlock, taken from raw_event in URB completion context)
 *    protects the reply ring, @gone and @last_error.
 *  - progress and HAB state are single words written by the command
 *    thread and read locklessly by sysfs.
 */
#ifndef _HID_IMX_SDP_H
#define _HID_IMX_SDP_H

#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/hid.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/usb.h>
#include <linux/wait.h>

#include <imxflash/sdp_proto.h>
#include <imxflash/sdp_soc.h>

#define IMX_SDP_MINORS		256
/*
 * Replies buffered. usbhid resubmits its interrupt URB at once, so a ROM
 * streaming READ_REGISTER data cannot be slowed down: 128 reports are
 * 128 ms of a real ROM, and still 16 ms of dummy_hcd's 8 kHz polling.
 */
#define IMX_SDP_RX_LEN		128	/* power of two */
/* Largest READ_REGISTER per command: half the ring of 64-byte reports. */
#define IMX_SDP_READ_CHUNK	(IMX_SDP_RX_LEN / 2 * SDP_STATUS_MAX)
#define IMX_SDP_IN_MAX		(1 + SDP_STATUS_MAX)	/* largest input report */
#define IMX_SDP_OUT_MAX		(1 + SDP_DATA_MAX)	/* largest output report */
#define IMX_SDP_ERR_LEN		200
#define IMX_SDP_STATUS_TEXT	96	/* sdp_status_format() of a word */
#define IMX_SDP_PORT_LEN	32
#define IMX_SDP_TIMEOUT_MS	5000	/* per reply, default */
#define IMX_SDP_JUMP_MS		500	/* JUMP: window for a failure report */

/* One input report (3 or 4) as raw_event saw it, ID byte first. */
struct imx_sdp_report {
	u8 len;
	u8 data[IMX_SDP_IN_MAX];
};

/**
 * struct imx_sdp - one board in serial download mode, /dev/imx-sdpN
 * @dev: class device; its release frees the structure, so an open file
 *	(which pins it through @cdev) outlives the HID device
 * @cdev: the character device, parented to @dev
 * @hdev: the HID device; only used under @io_lock while !@gone
 * @intf: its USB interface if hid_is_usb(), else NULL; as @hdev
 * @cmd_buf: report-1 data stage (17 bytes), heap for DMA
 * @anchor: report-2 URBs in flight
 * @soc: SoC profile, NULL if the USB ID is not in the table (new_id)
 * @vendor: USB idVendor
 * @product: USB idProduct
 * @port: USB port path ("1-1.2"), empty for other transports
 * @hab: HAB state from the last report 3, 0 if none yet
 * @uid: the SoC's unique ID, read at probe; valid if @has_uid
 * @has_uid: @uid was read (set once, before the node exists)
 * @io_lock: one command at a time (see above)
 * @total: size of the data phase or read of the running/last command
 * @done: bytes of it transferred so far
 * @wait: command thread waits here for replies, data URBs and @gone
 * @lock: protects the fields below it, except @busy
 * @gone: remove() ran: every call fails with -ENODEV from now on
 * @rx_overflow: a reply was dropped because the ring was full
 * @busy: a command runs; set under @io_lock, read locklessly by sysfs
 * @rx_head: next entry raw_event fills (free-running)
 * @rx_tail: next entry the command thread reads (free-running)
 * @rx: ring of IMX_SDP_RX_LEN replies
 * @last_error: text of the last failure
 */
struct imx_sdp {
	struct device dev;
	struct cdev cdev;
	struct hid_device *hdev;
	struct usb_interface *intf;
	u8 *cmd_buf;
	struct usb_anchor anchor;
	const struct sdp_soc *soc;
	u16 vendor;
	u16 product;
	char port[IMX_SDP_PORT_LEN];
	u32 hab;
	u64 uid;
	bool has_uid;

	struct mutex io_lock;		/* one command at a time */
	u32 total;
	atomic_t done;
	wait_queue_head_t wait;

	spinlock_t lock;		/* rx ring, gone, last_error */
	bool gone;
	bool rx_overflow;
	bool busy;
	u32 rx_head;
	u32 rx_tail;
	struct imx_sdp_report *rx;
	char last_error[IMX_SDP_ERR_LEN];
};

/**
 * struct imx_sdp_req - one command as the engine runs it
 * @cmd: the command block to send (wire values)
 * @data: user buffer: source of the data phase, destination of a read
 * @kbuf: if not NULL, the destination of a read instead of @data (probe)
 * @flags: IMX_SDP_F_*
 * @timeout_ms: per-reply timeout from userspace, 0 = default
 * @hab: out: HAB state of report 3
 * @status: out: report-4 status word, 0 if none
 */
struct imx_sdp_req {
	struct sdp_cmd cmd;
	void __user *data;
	u8 *kbuf;
	u32 flags;
	u32 timeout_ms;
	u32 hab;
	u32 status;
};

static inline struct imx_sdp *to_imx_sdp(struct device *dev)
{
	return container_of(dev, struct imx_sdp, dev);
}

/* Lockless: a command that is about to fail sees the flag under io_lock. */
static inline bool imx_sdp_gone(struct imx_sdp *sdp)
{
	return READ_ONCE(sdp->gone);
}

/* hid-imx-sdp-cdev.c */
extern const struct file_operations imx_sdp_fops;

/* hid-imx-sdp-id.c */
void imx_sdp_identify(struct imx_sdp *sdp);

/* hid-imx-sdp-cmd.c */
int imx_sdp_run(struct imx_sdp *sdp, struct imx_sdp_req *req);

/* hid-imx-sdp-xfer.c: called by the command engine only */
int imx_sdp_xfer_data(struct imx_sdp *sdp, struct imx_sdp_req *req,
		      u32 *err_off);

#endif /* _HID_IMX_SDP_H */
