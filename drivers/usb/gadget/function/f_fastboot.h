/* SPDX-License-Identifier: GPL-2.0 */
/*
 * usb_f_fastboot, USB side: what f_fastboot.c (function glue), the data
 * path (f_fastboot_io.c), the download buffer (f_fastboot_buf.c), getvar
 * (f_fastboot_vars.c) and the command worker (f_fastboot_cmd.c) share.
 *
 * Contexts: set_alt, disable and request completions run in atomic
 * context and only change state under the spinlocks below, hand requests
 * over and wake the worker. Everything else - parsing, responses, storage
 * I/O, netlink - happens in the worker, one command at a time (an ordered
 * workqueue per bound function).
 *
 * Locking: @qlock serialises queueing requests against set_alt/disable,
 * so a request is never queued for a connection that has already gone;
 * @lock protects request ownership. Order: qlock, then lock. Completions
 * take only @lock: some UDCs (dummy_hcd's emulated IN FIFO) give short IN
 * requests back from inside usb_ep_queue(), which is called under @qlock.
 */
#ifndef _F_FASTBOOT_H
#define _F_FASTBOOT_H

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/sizes.h>
#include <linux/usb/composite.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <imxflash/fastboot_cmd.h>

#include "u_fastboot.h"

/*
 * Data requests in flight, per direction: 8 x 256 KiB, as f_sourcesink is
 * run for the ceiling in make bench; with 4 the worker's wake-up latency
 * showed when the host kept 4 MiB of URBs queued (72-89 % of the link).
 */
#define FB_QLEN			8
#define FB_REQ_MAX		((u32)min_t(unsigned long, FASTBOOT_BLK_SIZE, SZ_256K))
#define FB_MAXPACKET_MAX	1024	/* SuperSpeed bulk */
/*
 * Extra room after a download: after short packets the requests are laid
 * out behind unaligned data (see fastboot_io_download()).
 */
#define FB_DL_SLACK		(2 * FB_MAXPACKET_MAX)
#define FB_RESP_WAIT_MS		5000	/* host not reading responses: give up */
#define FB_PEEK_MS		100	/* rest of a transfer that filled a request */
#define FB_KEEPALIVE_MS		1000	/* INFO during long work */
/*
 * Grace period between the completion of the OKAY of reboot/continue/boot
 * and leaving the bus. On a real UDC the completion means the host has the
 * packet; dummy_hcd completes IN requests of up to 64 bytes as soon as they
 * are queued (its emulated FIFO), so the host needs a moment to read it.
 */
#define FB_DETACH_DELAY_MS	100
#define FB_EVQ_LEN		8	/* connect/disconnect events pending */
#define FB_SERIAL_LEN		127	/* USB string: at most 126 characters */

/* struct fb_slot.state */
enum {
	FB_SLOT_FREE,
	FB_SLOT_QUEUED,
	FB_SLOT_DONE,
};

/**
 * struct fb_slot - a data request
 * @fb:    owner
 * @req:   the request; its buffer points into a struct fastboot_buf
 * @off:   download: buffer offset the request was queued at
 * @state: FB_SLOT_*, under fb->lock
 */
struct fb_slot {
	struct f_fastboot *fb;
	struct usb_request *req;
	u32 off;
	u8 state;
};

/*
 * Data requests of one endpoint, queued and consumed in FIFO order (a
 * UDC completes the requests of an endpoint in the order they were
 * queued). Indices are changed by the worker only.
 */
struct fb_ring {
	struct fb_slot slot[FB_QLEN];
	u8 head;	/* oldest queued or done, not consumed */
	u8 count;	/* queued or done, not consumed */
};

/**
 * struct f_fastboot - one bound fastboot function
 * @func:        the function
 * @opts:        its instance
 * @in_ep:       bulk IN
 * @out_ep:      bulk OUT
 * @cmd_req:     OUT request for command packets (FASTBOOT_CMD_ID_MAX buffer)
 * @resp_req:    IN request for responses (FASTBOOT_RESP_BUF_LEN buffer)
 * @out:         download requests
 * @in:          upload/fetch requests
 * @wq:          ordered workqueue: @cmd_work
 * @cmd_work:    handles the command in @cmd_req
 * @evt_work:    sends connect/disconnect events (netlink needs process
 *               context; @wq may be busy with a long command)
 * @detach_work: leaves the bus after reboot/continue/boot
 * @wait:        the worker waits here for completions and disconnects
 * @qlock:       protects @gen and @online (see the top of the file)
 * @lock:        protects the fields up to @evq, the slot states and
 *               @resp_req ownership
 * @gen:         connection generation: changes at set_alt, disable and
 *               unbind; requests of a command are only queued while it is
 *               the generation the command arrived in
 * @cmd_gen:     generation in which @cmd_req completed
 * @maxpacket:   wMaxPacketSize of the bulk endpoints at the current speed
 * @online:      endpoints enabled
 * @cmd_queued:  @cmd_req is queued
 * @busy:        a command is handed to the worker
 * @resp_busy:   @resp_req is queued
 * @detaching:   reboot/continue/boot accepted: no further commands
 * @detach_now:  schedule @detach_work when @resp_req completes
 * @unbinding:   unbind in progress
 * @evq:         pending FASTBOOT_EVENT_(DIS)CONNECT
 * @evq_len:     entries in @evq
 * @deactivated: usb_function_deactivate() done (worker and unbind only)
 * @mute:        the host stopped reading responses during this command:
 *               INFO lines are dropped (worker only)
 * @detach_cmd:  FASTBOOT_CMD_ID_* that made the function leave the bus
 * @slot:        slot chosen with set_active ('a'...), 0 if none
 * @work_gen:    generation of the command being handled (worker only)
 * @max_download: max_download_size, copied at bind
 * @oem_timeout: oem_timeout_ms, copied at bind
 * @t0:          start of the command being handled
 * @last_info:   jiffies of the last INFO sent
 * @dl:          the last download
 * @fetch:       two blocks for fetch while it runs
 * @serial:      the gadget's serial number string, read at bind
 * @product:     product, copied at bind
 * @version_bootloader: copied at bind
 * @op:          what the long command does, for keep-alive INFO
 * @part:        target of the command being handled, NUL-terminated
 * @why:         FAIL text from the storage side
 * @msg:         FAIL text of the command being handled, for its event
 */
struct f_fastboot {
	struct usb_function func;
	struct fastboot_opts *opts;
	struct usb_ep *in_ep;
	struct usb_ep *out_ep;
	struct usb_request *cmd_req;
	struct usb_request *resp_req;
	struct fb_ring out;
	struct fb_ring in;
	struct workqueue_struct *wq;
	struct work_struct cmd_work;
	struct work_struct evt_work;
	struct delayed_work detach_work;
	wait_queue_head_t wait;

	spinlock_t qlock;	/* see above */
	spinlock_t lock;	/* see above */
	u32 gen;
	u32 cmd_gen;
	u16 maxpacket;
	u8 online:1;
	u8 cmd_queued:1;
	u8 busy:1;
	u8 resp_busy:1;
	u8 detaching:1;
	u8 detach_now:1;
	u8 unbinding:1;
	u8 evq_len;
	u8 evq[FB_EVQ_LEN];

	u8 deactivated:1;
	u8 mute:1;
	u8 detach_cmd;
	char slot;
	u32 work_gen;
	u32 max_download;
	u32 oem_timeout;
	ktime_t t0;
	unsigned long last_info;
	struct fastboot_buf dl;
	struct fastboot_buf fetch;
	char serial[FB_SERIAL_LEN];
	char product[FASTBOOT_STR_LEN];
	char version_bootloader[FASTBOOT_STR_LEN];
	const char *op;
	char part[FASTBOOT_NAME_MAX + 1];
	char why[FASTBOOT_ERR_LEN];
	char msg[FASTBOOT_ERR_LEN];
};

static inline struct f_fastboot *fastboot_of(struct usb_function *f)
{
	return container_of(f, struct f_fastboot, func);
}

/* f_fastboot.c */
void fastboot_set_state(struct fastboot_opts *opts, u8 state);
void fastboot_mem_account(struct fastboot_opts *opts, long bytes);

/* f_fastboot_buf.c */
int fastboot_buf_alloc(struct fastboot_opts *opts, struct fastboot_buf *b,
		       u32 cap, struct f_fastboot *ka);
void fastboot_buf_free(struct fastboot_opts *opts, struct fastboot_buf *b);
void *fastboot_buf_at(const struct fastboot_buf *b, u32 off, u32 *room);
void fastboot_buf_move(const struct fastboot_buf *b, u32 dst, u32 src,
		       u32 len);

/* f_fastboot_io.c */
int fastboot_io_alloc(struct f_fastboot *fb);
void fastboot_io_free(struct f_fastboot *fb);
bool fastboot_io_gone(struct f_fastboot *fb);
void fastboot_io_arm_locked(struct f_fastboot *fb);
void fastboot_io_arm(struct f_fastboot *fb);
void fastboot_io_cancel_resp(struct f_fastboot *fb);
int fastboot_io_send(struct f_fastboot *fb, const char *pkt, int len,
		     bool detach);
__printf(2, 3)
void fastboot_io_info(struct f_fastboot *fb, const char *fmt, ...);
__printf(2, 3)
void fastboot_io_keepalive(struct f_fastboot *fb, const char *fmt, ...);
int fastboot_io_download(struct f_fastboot *fb, struct fastboot_buf *b,
			 u32 size);
int fastboot_io_in_queue(struct f_fastboot *fb, void *buf, u32 len);
int fastboot_io_in_wait(struct f_fastboot *fb, unsigned int max_queued);
bool fastboot_io_drain(struct f_fastboot *fb);

/* f_fastboot_vars.c */
u32 fastboot_slots(struct f_fastboot *fb);
void fastboot_getvar(struct f_fastboot *fb, const struct fastboot_command *cmd,
		     const char *buf);

/* f_fastboot_cmd.c */
void fastboot_cmd_work(struct work_struct *work);
void fastboot_detach_work(struct work_struct *work);
__printf(2, 3)
void fastboot_fail(struct f_fastboot *fb, const char *fmt, ...);
__printf(2, 3)
void fastboot_okay(struct f_fastboot *fb, const char *fmt, ...);

#endif /* _F_FASTBOOT_H */
