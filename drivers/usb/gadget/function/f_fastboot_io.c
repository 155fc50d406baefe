// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_fastboot: USB requests and the data path.
 *
 * Three kinds of request: the command request (OUT, 4096 bytes, queued
 * whenever a command is expected), the response request (IN, at most 64
 * bytes, one response at a time) and two rings of FASTBOOT_QLEN data requests,
 * one per direction, whose buffers point into a struct fastboot_buf.
 *
 * Completions only record the result and wake the worker; the worker
 * queues, waits and consumes (Documentation/fastboot-protocol.rst, "USB
 * transfer rules" and "Transfer sizes"):
 *  - downloads keep up to FASTBOOT_QLEN requests of up to FASTBOOT_REQ_MAX
 *    bytes in flight, each a multiple of wMaxPacketSize, and never ask for
 *    more than the bytes still missing rounded up to wMaxPacketSize: the
 *    host sends no zero-length packet, so a larger request would never
 *    complete;
 *  - the download ends by byte count; zero-length packets are ignored;
 *  - uploads send pieces that are multiples of wMaxPacketSize but for the
 *    last, and no zero-length packet after the payload.
 */

#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/usb/gadget.h>

#include "f_fastboot.h"

/* Approximate: the UDC's private part of a request is not visible. */
#define FASTBOOT_REQ_BYTES	sizeof(struct usb_request)

/* Memory a request with a @buflen-byte buffer of its own is accounted. */
static long fastboot_req_bytes(size_t buflen)
{
	return FASTBOOT_REQ_BYTES + (buflen ? kmalloc_size_roundup(buflen) : 0);
}

/* ---- connection state ---------------------------------------------- */

/* True once the connection of the command being handled has gone. */
bool fastboot_io_gone(struct f_fastboot *fb)
{
	unsigned long flags;
	bool gone;

	fastboot_assert_worker(fb);
	spin_lock_irqsave(&fb->qlock, flags);
	gone = !fb->conn.online || fb->conn.unbinding ||
	       fb->conn.gen != fb->cur.gen;
	spin_unlock_irqrestore(&fb->qlock, flags);
	return gone;
}

/*
 * Queue @req for the command being handled, unless its connection has
 * gone: under @qlock, so that disable cannot slip in between the check
 * and the queueing (a request queued before disable is given back by
 * usb_ep_disable(); none can be queued after).
 */
static int fastboot_queue(struct f_fastboot *fb, struct usb_ep *ep,
			  struct usb_request *req)
{
	unsigned long flags;
	int err = -ESHUTDOWN;

	spin_lock_irqsave(&fb->qlock, flags);
	if (fb->conn.online && !fb->conn.unbinding &&
	    fb->conn.gen == fb->cur.gen)
		err = usb_ep_queue(ep, req, GFP_ATOMIC);
	spin_unlock_irqrestore(&fb->qlock, flags);
	return err;
}

/* Request status -> errno of the transfer. */
static int fastboot_req_err(int status)
{
	switch (status) {
	case 0:
		return 0;
	case -ESHUTDOWN:
	case -ECONNRESET:
	case -ECONNABORTED:
		return -ESHUTDOWN;	/* disconnect, reset, dequeued */
	default:
		return -EIO;
	}
}

/* ---- command request ----------------------------------------------- */

static void fastboot_cmd_complete(struct usb_ep *ep, struct usb_request *req)
{
	struct f_fastboot *fb = req->context;
	unsigned long flags;

	spin_lock_irqsave(&fb->lock, flags);
	fb->conn.cmd_queued = 0;
	/*
	 * A disconnect gives the request back with -ESHUTDOWN (or dequeued:
	 * -ECONNRESET, -ECONNABORTED); the next set_alt queues it again.
	 * Anything else, a command or an error such as -EOVERFLOW (more
	 * than 4096 bytes), is the worker's.
	 */
	if (fastboot_req_err(req->status) != -ESHUTDOWN &&
	    !fb->conn.unbinding) {
		fb->conn.busy = 1;
		fb->conn.cmd_gen = fb->conn.gen;
		queue_work(fb->wq, &fb->cmd_work);
	}
	spin_unlock_irqrestore(&fb->lock, flags);
}

/*
 * Queue the command request if a command is expected: online, no command
 * with the worker, not leaving the bus. Caller holds @qlock (set_alt).
 */
void fastboot_io_arm_locked(struct f_fastboot *fb)
{
	struct usb_gadget *gadget = fb->func.config->cdev->gadget;
	struct usb_request *req = fb->cmd_req;
	bool arm;
	int err;

	lockdep_assert_held(&fb->qlock);
	spin_lock(&fb->lock);
	arm = fb->conn.online && !fb->conn.unbinding && !fb->conn.busy &&
	      !fb->conn.cmd_queued && !fb->conn.detaching;
	if (arm)
		fb->conn.cmd_queued = 1;
	spin_unlock(&fb->lock);
	if (!arm)
		return;

	/* 4096 is a multiple of every bulk wMaxPacketSize (DWC3 quirk). */
	req->length = min_t(size_t, FASTBOOT_CMD_ID_MAX,
			    usb_ep_align_maybe(gadget, fb->out_ep,
					       FASTBOOT_CMD_ID_MAX));
	err = usb_ep_queue(fb->out_ep, req, GFP_ATOMIC);
	if (err) {
		spin_lock(&fb->lock);
		fb->conn.cmd_queued = 0;
		spin_unlock(&fb->lock);
		ERROR(fb->func.config->cdev,
		      "fastboot: queueing the command request failed (%d)\n",
		      err);
	}
}

void fastboot_io_arm(struct f_fastboot *fb)
{
	unsigned long flags;

	spin_lock_irqsave(&fb->qlock, flags);
	fastboot_io_arm_locked(fb);
	spin_unlock_irqrestore(&fb->qlock, flags);
}

/* ---- responses ----------------------------------------------------- */

static void fastboot_resp_complete(struct usb_ep *ep, struct usb_request *req)
{
	struct f_fastboot *fb = req->context;
	unsigned long flags;

	spin_lock_irqsave(&fb->lock, flags);
	fb->conn.resp_busy = 0;
	/*
	 * The OKAY of reboot/continue/boot has left (or the host has gone):
	 * now the function may leave the bus (fastboot-protocol.rst,
	 * "Leaving the bus").
	 */
	if (fb->conn.detach_now) {
		fb->conn.detach_now = 0;
		schedule_delayed_work(&fb->detach_work,
				      msecs_to_jiffies(FASTBOOT_DETACH_DELAY_MS));
	}
	spin_unlock_irqrestore(&fb->lock, flags);
	wake_up(&fb->wait);
}

static bool fastboot_resp_busy(struct f_fastboot *fb)
{
	unsigned long flags;
	bool busy;

	spin_lock_irqsave(&fb->lock, flags);
	busy = fb->conn.resp_busy;
	spin_unlock_irqrestore(&fb->lock, flags);
	return busy;
}

/* Wait up to @ms until the response request is free. */
static bool fastboot_resp_wait(struct f_fastboot *fb, unsigned int ms)
{
	return wait_event_idle_timeout(fb->wait, !fastboot_resp_busy(fb),
				       msecs_to_jiffies(ms)) > 0;
}

/*
 * Take back a response the host has not read: a host killed between a
 * command and its answer would otherwise read that stale answer as the
 * reply to its next command (U-Boot dequeues the same way).
 */
void fastboot_io_cancel_resp(struct f_fastboot *fb)
{
	fastboot_assert_worker(fb);
	if (!fastboot_resp_busy(fb))
		return;
	usb_ep_dequeue(fb->in_ep, fb->resp_req);
	/* The UDC gives it back with -ECONNRESET (disable: -ESHUTDOWN). */
	fastboot_resp_wait(fb, FASTBOOT_RESP_WAIT_MS);
}

/**
 * fastboot_io_send() - send one response packet
 * @fb:     function
 * @pkt:    the packet (fastboot_resp()), 4..FASTBOOT_RESP_MAX bytes
 * @len:    its length
 * @detach: leave the bus once the host has it (reboot, continue, boot)
 *
 * Waits until the host has read the previous response of this command; a
 * host that reads nothing for FASTBOOT_RESP_WAIT_MS has stopped listening:
 * the previous response is taken back and INFO lines are dropped from then
 * on.
 * Returns 0 or a negative errno (connection gone, host not reading).
 */
int fastboot_io_send(struct f_fastboot *fb, const char *pkt, int len,
		     bool detach)
{
	struct usb_request *req = fb->resp_req;
	unsigned long flags;
	int err;

	fastboot_assert_worker(fb);
	if (!fastboot_resp_wait(fb, FASTBOOT_RESP_WAIT_MS)) {
		fb->cur.mute = true;
		fastboot_io_cancel_resp(fb);
		if (fastboot_resp_busy(fb))
			return -ETIMEDOUT;
	}
	/*
	 * At full speed a 64-byte packet is a full packet: fastboot 29.0.6,
	 * reading 256 bytes, would wait for more (fastboot-protocol.rst,
	 * "USB transfer rules"). Cut it to 63.
	 */
	if (fb->func.config->cdev->gadget->speed == USB_SPEED_FULL)
		len = min(len, FASTBOOT_RESP_MAX - 1);
	memcpy(req->buf, pkt, len);
	req->length = len;
	req->zero = 0;

	spin_lock_irqsave(&fb->lock, flags);
	fb->conn.resp_busy = 1;
	fb->conn.detach_now = detach;
	spin_unlock_irqrestore(&fb->lock, flags);
	err = fastboot_queue(fb, fb->in_ep, req);
	if (err) {
		spin_lock_irqsave(&fb->lock, flags);
		fb->conn.resp_busy = 0;
		fb->conn.detach_now = 0;
		spin_unlock_irqrestore(&fb->lock, flags);
	}
	return err;
}

/* An INFO line; waits for the host to read the previous response. */
void fastboot_io_info(struct f_fastboot *fb, const char *fmt, ...)
{
	char pkt[FASTBOOT_RESP_BUF_LEN];
	va_list ap;
	int len;

	if (fb->cur.mute)
		return;
	va_start(ap, fmt);
	len = fastboot_vresp(pkt, "INFO", fmt, ap);
	va_end(ap);
	if (len > 0 && !fastboot_io_send(fb, pkt, len, false))
		fb->cur.last_info = jiffies;
}

/*
 * A keep-alive INFO if the last INFO is FASTBOOT_KEEPALIVE_MS old; never
 * waits (a host that has not read the previous one gets none).
 */
void fastboot_io_keepalive(struct f_fastboot *fb, const char *fmt, ...)
{
	unsigned long due = fb->cur.last_info +
			    msecs_to_jiffies(FASTBOOT_KEEPALIVE_MS);
	char pkt[FASTBOOT_RESP_BUF_LEN];
	va_list ap;
	int len;

	if (fb->cur.mute || fastboot_resp_busy(fb) || time_before(jiffies, due))
		return;
	va_start(ap, fmt);
	len = fastboot_vresp(pkt, "INFO", fmt, ap);
	va_end(ap);
	if (len > 0 && !fastboot_io_send(fb, pkt, len, false))
		fb->cur.last_info = jiffies;
}

/* FAIL<text>; also kept as last_error and as the text of the event. */
void fastboot_io_vfail(struct f_fastboot *fb, const char *fmt, va_list ap)
{
	struct fastboot_opts *opts = fb->opts;
	char pkt[FASTBOOT_RESP_BUF_LEN];
	unsigned long flags;
	int len;

	len = fastboot_vresp(pkt, "FAIL", fmt, ap);
	strscpy(fb->cur.msg, pkt + FASTBOOT_RESP_TAG_LEN, sizeof(fb->cur.msg));
	spin_lock_irqsave(&opts->stat_lock, flags);
	strscpy(opts->last_error, fb->cur.msg, sizeof(opts->last_error));
	opts->stats.fails++;
	spin_unlock_irqrestore(&opts->stat_lock, flags);
	fastboot_io_send(fb, pkt, len, false);
}

void fastboot_io_fail(struct f_fastboot *fb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fastboot_io_vfail(fb, fmt, ap);
	va_end(ap);
}

void fastboot_io_okay(struct f_fastboot *fb, const char *fmt, ...)
{
	char pkt[FASTBOOT_RESP_BUF_LEN];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = fastboot_vresp(pkt, "OKAY", fmt, ap);
	va_end(ap);
	fastboot_io_send(fb, pkt, len, false);
}

/* ---- data rings ---------------------------------------------------- */

static void fastboot_data_complete(struct usb_ep *ep, struct usb_request *req)
{
	struct fastboot_dreq *dr = req->context;
	struct f_fastboot *fb = dr->fb;
	unsigned long flags;

	spin_lock_irqsave(&fb->lock, flags);
	dr->state = FASTBOOT_DREQ_DONE;
	spin_unlock_irqrestore(&fb->lock, flags);
	wake_up(&fb->wait);
}

static u8 fastboot_dreq_state(struct f_fastboot *fb, struct fastboot_dreq *dr)
{
	unsigned long flags;
	u8 state;

	spin_lock_irqsave(&fb->lock, flags);
	state = dr->state;
	spin_unlock_irqrestore(&fb->lock, flags);
	return state;
}

static bool fastboot_dreq_done(struct f_fastboot *fb, struct fastboot_dreq *dr)
{
	return fastboot_dreq_state(fb, dr) == FASTBOOT_DREQ_DONE;
}

static bool fastboot_dreq_queued(struct f_fastboot *fb,
				 struct fastboot_dreq *dr)
{
	return fastboot_dreq_state(fb, dr) == FASTBOOT_DREQ_QUEUED;
}

static void fastboot_dreq_set(struct f_fastboot *fb, struct fastboot_dreq *dr,
			      u8 state)
{
	unsigned long flags;

	spin_lock_irqsave(&fb->lock, flags);
	dr->state = state;
	spin_unlock_irqrestore(&fb->lock, flags);
}

/* Entry @i of @r, counted from the oldest. */
static struct fastboot_dreq *fastboot_ring_at(struct fastboot_ring *r, u32 i)
{
	return &r->dreq[(r->head + i) % FASTBOOT_QLEN];
}

/* Queue @len bytes at @buf on the next free request of @r (not full). */
static int fastboot_ring_queue(struct f_fastboot *fb, struct fastboot_ring *r,
			       struct usb_ep *ep, void *buf, u32 len, u32 off)
{
	struct fastboot_dreq *dr = fastboot_ring_at(r, r->count);
	struct usb_request *req = dr->req;
	int err;

	req->buf = buf;
	req->length = len;
	req->zero = 0;
	dr->off = off;
	fastboot_dreq_set(fb, dr, FASTBOOT_DREQ_QUEUED);
	err = fastboot_queue(fb, ep, req);
	if (err) {
		fastboot_dreq_set(fb, dr, FASTBOOT_DREQ_FREE);
		return err;
	}
	r->count++;
	return 0;
}

/* Wait until the oldest request of @r is done or the connection gone. */
static int fastboot_ring_wait_head(struct f_fastboot *fb,
				   struct fastboot_ring *r)
{
	struct fastboot_dreq *dr = &r->dreq[r->head];

	wait_event_idle(fb->wait,
			fastboot_dreq_done(fb, dr) || fastboot_io_gone(fb));
	return fastboot_dreq_done(fb, dr) ? 0 : -ESHUTDOWN;
}

static void fastboot_ring_pop(struct f_fastboot *fb, struct fastboot_ring *r)
{
	fastboot_dreq_set(fb, &r->dreq[r->head], FASTBOOT_DREQ_FREE);
	r->head = (r->head + 1) % FASTBOOT_QLEN;
	r->count--;
}

/*
 * Take every request of @r back from the UDC and wait until it has given
 * them back, so that the buffer they point into can be freed. Newest
 * first, so that the UDC does not move data into a later request.
 */
static void fastboot_ring_flush(struct f_fastboot *fb, struct fastboot_ring *r,
				struct usb_ep *ep)
{
	int i;

	for (i = r->count - 1; i >= 0; i--) {
		struct fastboot_dreq *dr = fastboot_ring_at(r, i);

		if (fastboot_dreq_queued(fb, dr))
			usb_ep_dequeue(ep, dr->req);
	}
	for (i = 0; i < r->count; i++) {
		struct fastboot_dreq *dr = fastboot_ring_at(r, i);

		wait_event_idle(fb->wait, !fastboot_dreq_queued(fb, dr));
		fastboot_dreq_set(fb, dr, FASTBOOT_DREQ_FREE);
	}
	r->head = 0;
	r->count = 0;
}

/**
 * fastboot_io_download() - receive a download into @b
 * @fb:   function
 * @b:    buffer of at least @size + FASTBOOT_DL_SLACK bytes
 * @size: bytes announced, the DATA answer
 *
 * Queues the first requests, answers DATA, then receives exactly @size
 * bytes. Requests are laid out one after another in the buffer, each
 * inside one block; while the host sends full packets each request is
 * filled completely and its data is already where it belongs. A short
 * packet in the middle (a client whose writes are not multiples of
 * wMaxPacketSize) or a zero-length packet leaves a request partly filled:
 * the data of the following requests is then moved down to follow it
 * (requests complete in order, and data never lies below its final
 * place, so moving in completion order is safe). Once the layout reaches
 * the end of the buffer, it starts again behind the data when the
 * requests in flight have completed.
 *
 * Returns 0, -ESHUTDOWN (connection gone), -EOVERFLOW (more data than
 * announced; the rest of that write is drained), -EIO (transfer error)
 * or -ETIMEDOUT (DATA not read).
 */
int fastboot_io_download(struct f_fastboot *fb, struct fastboot_buf *b,
			 u32 size)
{
	struct fastboot_ring *r = &fb->out;
	u32 mp = READ_ONCE(fb->conn.maxpacket);
	u32 done = 0;		/* bytes received: [0, done) of @b */
	u32 pending = 0;	/* bytes the queued requests may still take */
	u32 cursor = 0;		/* buffer offset of the next request */
	bool started = false, drain = false;
	int err = 0;

	fastboot_assert_worker(fb);
	while (done < size) {
		struct fastboot_dreq *dr;
		struct usb_request *req;
		u32 actual, off;

		while (r->count < FASTBOOT_QLEN && done + pending < size &&
		       cursor < b->cap) {
			u32 want = round_up(size - done - pending, mp);
			u32 room, len;
			void *p = fastboot_buf_at(b, cursor, &room);

			room = round_down(room, mp);
			if (!room) {
				/* Less than a packet left in this block. */
				cursor = roundup(cursor + 1, FASTBOOT_BLK_SIZE);
				continue;
			}
			len = min3(want, room, FASTBOOT_REQ_MAX);
			err = fastboot_ring_queue(fb, r, fb->out_ep, p, len,
						  cursor);
			if (err)
				goto out;
			cursor += len;
			pending += len;
		}
		if (!started) {
			char pkt[FASTBOOT_RESP_BUF_LEN];

			err = fastboot_io_send(fb, pkt,
					       fastboot_resp_data(pkt, size),
					       false);
			if (err)
				goto out;
			started = true;
		}
		if (!r->count) {
			/* Layout at the end: everything is at [0, done). */
			if (WARN_ON_ONCE(cursor == done)) {
				err = -EIO;
				goto out;
			}
			cursor = done;
			continue;
		}

		err = fastboot_ring_wait_head(fb, r);
		if (err)
			goto out;
		dr = &r->dreq[r->head];
		req = dr->req;
		err = fastboot_req_err(req->status);
		actual = req->actual;
		off = dr->off;
		pending -= req->length;
		fastboot_ring_pop(fb, r);
		if (err)
			goto out;
		if (actual > size - done) {
			/* A full request: the host's write may go on. */
			drain = actual == req->length;
			err = -EOVERFLOW;
			goto out;
		}
		if (actual && off != done)
			fastboot_buf_move(b, done, off, actual);
		done += actual;
	}
out:
	fastboot_ring_flush(fb, r, fb->out_ep);
	if (drain)
		fastboot_io_drain(fb);
	return err;
}

/* Consume the IN data requests that are done; the first error. */
static int fastboot_in_reap(struct f_fastboot *fb)
{
	struct fastboot_ring *r = &fb->in;

	while (r->count) {
		struct fastboot_dreq *dr = &r->dreq[r->head];
		struct usb_request *req = dr->req;
		int err;

		if (!fastboot_dreq_done(fb, dr))
			break;
		err = fastboot_req_err(req->status);
		if (!err && req->actual != req->length)
			err = -EIO;
		fastboot_ring_pop(fb, r);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Wait until at most @max_queued IN data requests are in flight (0: all
 * sent). On error every request is taken back.
 */
int fastboot_io_in_wait(struct f_fastboot *fb, unsigned int max_queued)
{
	struct fastboot_ring *r = &fb->in;
	int err;

	fastboot_assert_worker(fb);
	for (;;) {
		err = fastboot_in_reap(fb);
		if (err)
			break;
		if (r->count <= max_queued)
			return 0;
		err = fastboot_ring_wait_head(fb, r);
		if (err)
			break;
	}
	fastboot_ring_flush(fb, r, fb->in_ep);
	return err;
}

/*
 * Send @len bytes at @buf (not freed or changed until sent: see
 * fastboot_io_in_wait()). Every piece but the last of a payload must be
 * a multiple of wMaxPacketSize; no zero-length packet follows.
 */
int fastboot_io_in_queue(struct f_fastboot *fb, void *buf, u32 len)
{
	int err;

	err = fastboot_io_in_wait(fb, FASTBOOT_QLEN - 1);
	if (err)
		return err;
	err = fastboot_ring_queue(fb, &fb->in, fb->in_ep, buf, len, 0);
	if (err)
		fastboot_ring_flush(fb, &fb->in, fb->in_ep);
	return err;
}

/**
 * fastboot_io_drain() - consume the rest of a host transfer, if any
 * @fb: function
 *
 * Called when a request was filled completely and the transfer may go on
 * past it: a command of FASTBOOT_CMD_ID_MAX bytes or more, more download
 * data than announced. The host sends a command or a download write as
 * one transfer, so the rest, if any, is already waiting: look for it for
 * FASTBOOT_PEEK_MS (a transfer that ended exactly there gets nothing, or
 * a zero-length packet) and drain it to its end, so that it is not taken
 * for the next command. Returns true if there was more.
 */
bool fastboot_io_drain(struct f_fastboot *fb)
{
	const long bytes = kmalloc_size_roundup(FASTBOOT_CMD_ID_MAX);
	struct fastboot_ring *r = &fb->out;
	unsigned int ms = FASTBOOT_PEEK_MS;
	bool more = false;
	void *buf;

	fastboot_assert_worker(fb);
	buf = kmalloc(FASTBOOT_CMD_ID_MAX, GFP_KERNEL);
	if (!buf)
		return false;
	fastboot_mem_account(fb->opts, bytes);
	while (!fastboot_ring_queue(fb, r, fb->out_ep, buf, FASTBOOT_CMD_ID_MAX,
				    0)) {
		struct fastboot_dreq *dr = &r->dreq[r->head];
		u32 actual;
		int status;

		wait_event_idle_timeout(fb->wait, fastboot_dreq_done(fb, dr) ||
					fastboot_io_gone(fb),
					msecs_to_jiffies(ms));
		if (!fastboot_dreq_done(fb, dr)) {
			/* Nothing (more) came: take the request back. */
			fastboot_ring_flush(fb, r, fb->out_ep);
			more |= dr->req->actual > 0;
			break;
		}
		actual = dr->req->actual;
		status = dr->req->status;
		fastboot_ring_pop(fb, r);
		if (status || !actual)
			break;
		more = true;
		/* A short packet ends the transfer. */
		if (actual < FASTBOOT_CMD_ID_MAX)
			break;
		ms = FASTBOOT_RESP_WAIT_MS;
	}
	kfree(buf);
	fastboot_mem_account(fb->opts, -bytes);
	return more;
}

/* ---- allocation ---------------------------------------------------- */

static struct usb_request *
fastboot_req_alloc(struct f_fastboot *fb, struct usb_ep *ep, size_t buflen,
		   void (*complete)(struct usb_ep *, struct usb_request *),
		   void *context)
{
	struct usb_request *req;

	req = usb_ep_alloc_request(ep, GFP_KERNEL);
	if (!req)
		return NULL;
	if (buflen) {
		/* kmalloc memory: UDCs map it for DMA. */
		req->buf = kmalloc(buflen, GFP_KERNEL);
		if (!req->buf) {
			usb_ep_free_request(ep, req);
			return NULL;
		}
	}
	req->complete = complete;
	req->context = context;
	fastboot_mem_account(fb->opts, fastboot_req_bytes(buflen));
	return req;
}

static void fastboot_req_free(struct f_fastboot *fb, struct usb_ep *ep,
			      struct usb_request *req, size_t buflen)
{
	if (!req)
		return;
	if (buflen)
		kfree(req->buf);
	usb_ep_free_request(ep, req);
	fastboot_mem_account(fb->opts, -fastboot_req_bytes(buflen));
}

static void fastboot_ring_init(struct f_fastboot *fb, struct fastboot_ring *r)
{
	int i;

	r->head = 0;
	r->count = 0;
	for (i = 0; i < FASTBOOT_QLEN; i++) {
		r->dreq[i].fb = fb;
		r->dreq[i].state = FASTBOOT_DREQ_FREE;
	}
}

/* bind: every request the function needs. */
int fastboot_io_alloc(struct f_fastboot *fb)
{
	int i;

	fastboot_ring_init(fb, &fb->out);
	fastboot_ring_init(fb, &fb->in);
	fb->cmd_req = fastboot_req_alloc(fb, fb->out_ep, FASTBOOT_CMD_ID_MAX,
					 fastboot_cmd_complete, fb);
	fb->resp_req = fastboot_req_alloc(fb, fb->in_ep, FASTBOOT_RESP_BUF_LEN,
					  fastboot_resp_complete, fb);
	if (!fb->cmd_req || !fb->resp_req)
		goto fail;
	for (i = 0; i < FASTBOOT_QLEN; i++) {
		fb->out.dreq[i].req = fastboot_req_alloc(fb, fb->out_ep, 0,
							 fastboot_data_complete,
							 &fb->out.dreq[i]);
		fb->in.dreq[i].req = fastboot_req_alloc(fb, fb->in_ep, 0,
							fastboot_data_complete,
							&fb->in.dreq[i]);
		if (!fb->out.dreq[i].req || !fb->in.dreq[i].req)
			goto fail;
	}
	return 0;
fail:
	fastboot_io_free(fb);
	return -ENOMEM;
}

/* unbind (every request given back) or a failed bind. */
void fastboot_io_free(struct f_fastboot *fb)
{
	int i;

	for (i = 0; i < FASTBOOT_QLEN; i++) {
		fastboot_req_free(fb, fb->out_ep, fb->out.dreq[i].req, 0);
		fb->out.dreq[i].req = NULL;
		fastboot_req_free(fb, fb->in_ep, fb->in.dreq[i].req, 0);
		fb->in.dreq[i].req = NULL;
	}
	fastboot_req_free(fb, fb->out_ep, fb->cmd_req, FASTBOOT_CMD_ID_MAX);
	fb->cmd_req = NULL;
	fastboot_req_free(fb, fb->in_ep, fb->resp_req, FASTBOOT_RESP_BUF_LEN);
	fb->resp_req = NULL;
}
