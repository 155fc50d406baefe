/* SPDX-License-Identifier: GPL-2.0 */
/*
 * usb_f_fastboot, USB side: what the function glue, the data path, the
 * command worker and getvar share (which file is which:
 * Documentation/usb-f-fastboot.rst, "Source files").
 *
 * State of a bound function comes in three parts: struct fastboot_config
 * (copied at bind, constant while bound), struct fastboot_conn (the
 * connection, under the locks below) and struct fastboot_cmd_state (the
 * command being handled, worker only, cleared by fastboot_cmd_begin()).
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
#define FASTBOOT_QLEN		8
#define FASTBOOT_REQ_MAX	((u32)min_t(unsigned long, FASTBOOT_BLK_SIZE, SZ_256K))
#define FASTBOOT_MAXPACKET_MAX	1024	/* SuperSpeed bulk */
/*
 * Extra room after a download: after short packets the requests are laid
 * out behind unaligned data (see fastboot_io_download()).
 */
#define FASTBOOT_DL_SLACK	(2 * FASTBOOT_MAXPACKET_MAX)
#define FASTBOOT_RESP_WAIT_MS	5000	/* host not reading answers: give up */
#define FASTBOOT_PEEK_MS	100	/* rest of a transfer past a request */
#define FASTBOOT_KEEPALIVE_MS	1000	/* INFO during long work */
/*
 * Grace period between the completion of the OKAY of reboot/continue/boot
 * and leaving the bus. On a real UDC the completion means the host has the
 * packet; dummy_hcd completes IN requests of up to 64 bytes as soon as they
 * are queued (its emulated FIFO), so the host needs a moment to read it.
 */
#define FASTBOOT_DETACH_DELAY_MS	100
#define FASTBOOT_EVQ_LEN	8	/* connect/disconnect events pending */
#define FASTBOOT_SERIAL_LEN	127	/* USB string: at most 126 characters */

/* struct fastboot_dreq.state */
enum {
	FASTBOOT_DREQ_FREE,
	FASTBOOT_DREQ_QUEUED,
	FASTBOOT_DREQ_DONE,
};

/**
 * struct fastboot_dreq - a data request
 * @fb:    owner
 * @req:   the request; its buffer points into a struct fastboot_buf
 * @off:   download: buffer offset the request was queued at
 * @state: FASTBOOT_DREQ_*, under fb->lock
 */
struct fastboot_dreq {
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
struct fastboot_ring {
	struct fastboot_dreq dreq[FASTBOOT_QLEN];
	u8 head;	/* oldest queued or done, not consumed */
	u8 count;	/* queued or done, not consumed */
};

/**
 * struct fastboot_config - what bind copies from the instance and the
 * gadget; read without a lock while bound (the attributes cannot change
 * then: their writes fail with -EBUSY)
 * @max_download:       max_download_size
 * @oem_timeout_ms:     oem_timeout_ms
 * @fetch:              fetch
 * @oem_sha256:         oem_sha256
 * @serial:             the gadget's serial number string
 * @product:            product
 * @version_bootloader: version_bootloader
 */
struct fastboot_config {
	u32 max_download;
	u32 oem_timeout_ms;
	bool fetch;
	bool oem_sha256;
	char serial[FASTBOOT_SERIAL_LEN];
	char product[FASTBOOT_STR_LEN];
	char version_bootloader[FASTBOOT_STR_LEN];
};

/**
 * struct fastboot_conn - the connection, under f_fastboot.lock; @gen,
 * @online and @unbinding are written under f_fastboot.qlock as well, so
 * either lock is enough to read them. Cleared at bind.
 * @gen:        connection generation: changes at set_alt, disable and
 *              unbind; requests of a command are only queued while it is
 *              the generation the command arrived in
 * @cmd_gen:    generation in which the command request completed
 * @maxpacket:  wMaxPacketSize of the bulk endpoints at the current speed
 * @online:     endpoints enabled
 * @cmd_queued: the command request is queued
 * @busy:       a command is handed to the worker
 * @resp_busy:  the response request is queued
 * @detaching:  reboot/continue/boot accepted: no further commands
 * @detach_now: schedule detach_work when the response request completes
 * @unbinding:  unbind in progress
 * @evq_len:    entries in @evq
 * @evq:        pending FASTBOOT_EVENT_(DIS)CONNECT
 */
struct fastboot_conn {
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
	u8 evq[FASTBOOT_EVQ_LEN];
};

/**
 * struct fastboot_cmd_state - the command being handled; only the worker
 * touches it, and fastboot_cmd_begin() clears it when a command arrives
 * @gen:       connection generation the command arrived in
 * @t0:        when its handling started
 * @last_info: jiffies of the last INFO sent
 * @mute:      the host stopped reading responses: INFO lines are dropped
 * @activity:  what a long command does, for keep-alive INFO ("writing")
 * @part:      its target as the host named it, NUL-terminated
 * @why:       FAIL text from the storage side
 * @msg:       FAIL text sent, for the command's event
 */
struct fastboot_cmd_state {
	u32 gen;
	ktime_t t0;
	unsigned long last_info;
	bool mute;
	const char *activity;
	char part[FASTBOOT_NAME_MAX + 1];
	char why[FASTBOOT_ERR_LEN];
	char msg[FASTBOOT_ERR_LEN];
};

/**
 * struct f_fastboot - one bound fastboot function
 * @func:        the function
 * @opts:        its instance
 * @cfg:         copied at bind
 * @in_ep:       bulk IN
 * @out_ep:      bulk OUT
 * @cmd_req:     OUT request for command packets (FASTBOOT_CMD_ID_MAX buffer)
 * @resp_req:    IN request for responses (FASTBOOT_RESP_BUF_LEN buffer)
 * @out:         download requests
 * @in:          upload/fetch requests
 * @wq:          ordered workqueue: @cmd_work
 * @cmd_work:    the worker: handles the command in @cmd_req
 * @evt_work:    sends connect/disconnect events (netlink needs process
 *               context; @wq may be busy with a long command)
 * @detach_work: leaves the bus after reboot/continue/boot
 * @wait:        the worker waits here for completions and disconnects
 * @qlock:       see the top of the file and struct fastboot_conn
 * @lock:        protects @conn, the states of the data requests and
 *               @resp_req ownership
 * @conn:        the connection
 * @dl:          the last download (worker; unbind once the worker is gone)
 * @active_slot: A/B slot chosen with set_active ('a'...), 0 if none
 *               (worker)
 * @detach_cmd:  FASTBOOT_CMD_ID_* that made the function leave the bus
 *               (worker, then @detach_work)
 * @deactivated: usb_function_deactivate() done (@detach_work, then unbind)
 * @cur:         the command being handled (worker)
 */
struct f_fastboot {
	struct usb_function func;
	struct fastboot_opts *opts;
	struct fastboot_config cfg;

	struct usb_ep *in_ep;
	struct usb_ep *out_ep;
	struct usb_request *cmd_req;
	struct usb_request *resp_req;
	struct fastboot_ring out;
	struct fastboot_ring in;
	struct workqueue_struct *wq;
	struct work_struct cmd_work;
	struct work_struct evt_work;
	struct delayed_work detach_work;
	wait_queue_head_t wait;

	spinlock_t qlock;	/* see above */
	spinlock_t lock;	/* see above */
	struct fastboot_conn conn;

	struct fastboot_buf dl;
	char active_slot;
	u8 detach_cmd;
	bool deactivated;
	struct fastboot_cmd_state cur;
};

static inline struct f_fastboot *fastboot_of(struct usb_function *f)
{
	return container_of(f, struct f_fastboot, func);
}

/*
 * The caller runs in the command worker, which owns @cur, @dl, the ring
 * indices and the response request between queueings: like
 * lockdep_assert_held(), a rule stated where it applies and checked.
 */
static inline void fastboot_assert_worker(struct f_fastboot *fb)
{
	WARN_ON_ONCE(current_work() != &fb->cmd_work);
}

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
__printf(2, 0)
void fastboot_io_vfail(struct f_fastboot *fb, const char *fmt, va_list ap);
__printf(2, 3)
void fastboot_io_fail(struct f_fastboot *fb, const char *fmt, ...);
__printf(2, 3)
void fastboot_io_okay(struct f_fastboot *fb, const char *fmt, ...);
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

#endif /* _F_FASTBOOT_H */
