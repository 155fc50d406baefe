// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_fastboot: the command worker.
 *
 * One command at a time, in process context: parse the packet with
 * fastboot_cmd_parse(), act, answer with exactly one OKAY or FAIL (INFO lines
 * before it where the protocol allows them), report the outcome on the
 * netlink "events" group, then queue the command request again.
 *
 * Commands that make the device vanish (reboot*, continue, boot) answer
 * OKAY and leave the bus only once that OKAY has completed (see
 * Documentation/fastboot-protocol.rst, "Leaving the bus"): the
 * response completion schedules fastboot_detach_work(), which sends the
 * event, deactivates the function (the gadget disconnects) and sends a
 * KOBJ_CHANGE uevent on the gadget device with FASTBOOT_EVENT=<command>.
 * The function stays detached until the gadget is unbound and bound
 * again; the event tells userspace (fastboot-target hooks) what to do.
 */

#include <linux/jiffies.h>
#include <linux/kobject.h>
#include <linux/ktime.h>

#include "f_fastboot.h"
#include "f_fastboot_nl.h"

#define FB_BOOT_MAGIC		"ANDROID!"
#define FB_BOOT_MAGIC_LEN	8

/* ---- responses and events ----------------------------------------- */

static void fb_event(struct f_fastboot *fb, u8 type, int status, u64 bytes,
		     const char *msg)
{
	struct fastboot_nl_event ev = {
		.instance = fb->opts->name,
		.part = fb->part[0] ? fb->part : NULL,
		.msg = msg && msg[0] ? msg : NULL,
		.bytes = bytes,
		.duration_ms = ktime_ms_delta(ktime_get(), fb->t0),
		.status = status,
		.type = type,
	};

	fastboot_nl_notify(&ev);
}

static __printf(2, 0)
void fb_vfail(struct f_fastboot *fb, const char *fmt, va_list ap)
{
	struct fastboot_opts *opts = fb->opts;
	char pkt[FASTBOOT_RESP_BUF_LEN];
	unsigned long flags;
	int len;

	len = fastboot_vresp(pkt, "FAIL", fmt, ap);
	strscpy(fb->msg, pkt + FASTBOOT_RESP_TAG_LEN, sizeof(fb->msg));
	spin_lock_irqsave(&opts->stat_lock, flags);
	strscpy(opts->last_error, fb->msg, sizeof(opts->last_error));
	opts->stats.fails++;
	spin_unlock_irqrestore(&opts->stat_lock, flags);
	fastboot_io_send(fb, pkt, len, false);
}

/* FAIL<text>; also kept as last_error. */
void fastboot_fail(struct f_fastboot *fb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fb_vfail(fb, fmt, ap);
	va_end(ap);
}

void fastboot_okay(struct f_fastboot *fb, const char *fmt, ...)
{
	char pkt[FASTBOOT_RESP_BUF_LEN];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = fastboot_vresp(pkt, "OKAY", fmt, ap);
	va_end(ap);
	fastboot_io_send(fb, pkt, len, false);
}

/* A command refused before it did anything: FAIL and an ERROR event. */
static __printf(3, 4)
void fb_refuse(struct f_fastboot *fb, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fb_vfail(fb, fmt, ap);
	va_end(ap);
	fb_event(fb, FASTBOOT_EVENT_ERROR, status, 0, fb->msg);
}

static void fb_stat_add(struct f_fastboot *fb, u64 *count, u64 *bytes,
			u64 n)
{
	unsigned long flags;

	spin_lock_irqsave(&fb->opts->stat_lock, flags);
	(*count)++;
	if (bytes)
		*bytes += n;
	spin_unlock_irqrestore(&fb->opts->stat_lock, flags);
}

static bool fb_locked(struct f_fastboot *fb)
{
	bool locked;

	mutex_lock(&fb->opts->lock);
	locked = fb->opts->locked;
	mutex_unlock(&fb->opts->lock);
	return locked;
}

/* Keep the partition name for FAIL texts and events. */
static void fb_set_part(struct f_fastboot *fb, const char *buf,
			struct fastboot_span s)
{
	snprintf(fb->part, sizeof(fb->part), "%.*s", s.len,
		 fastboot_span_ptr(buf, s));
}

/* Called by the storage side at least every 100 ms during long work. */
static int fb_progress(void *ctx, u64 done, u64 total)
{
	struct f_fastboot *fb = ctx;

	if (fastboot_io_gone(fb))
		return -ESHUTDOWN;
	fastboot_io_keepalive(fb, "%s %s: %llu of %llu KiB", fb->op,
			      fb->part, done >> 10, total >> 10);
	return 0;
}

/* ---- download, upload, fetch --------------------------------------- */

static void fb_do_download(struct f_fastboot *fb, u32 size)
{
	struct fastboot_opts *opts = fb->opts;
	int err;

	if (size > fb->max_download) {
		fb_refuse(fb, -EFBIG,
			  "download size 0x%08x above max-download-size 0x%08x",
			  size, fb->max_download);
		return;
	}
	/*
	 * Only one download is kept: a previous buffer that is large enough
	 * is reused (split images come as pieces of about the same size),
	 * anything else goes first.
	 */
	if (fb->dl.blk && fb->dl.cap >= size + FB_DL_SLACK) {
		fb->dl.len = 0;
		err = 0;
	} else {
		fastboot_buf_free(opts, &fb->dl);
		err = fastboot_buf_alloc(opts, &fb->dl, size + FB_DL_SLACK, fb);
	}
	if (err) {
		fb_refuse(fb, err, "out of memory for a 0x%08x-byte download",
			  size);
		return;
	}
	fastboot_set_state(opts, FASTBOOT_ST_DOWNLOAD);
	err = fastboot_io_download(fb, &fb->dl, size);
	if (err) {
		fastboot_buf_free(opts, &fb->dl);
		if (err == -EOVERFLOW)
			fastboot_fail(fb, "more data than the 0x%08x bytes announced",
				      size);
		else if (err == -ESHUTDOWN)
			strscpy(fb->msg, "host gone", sizeof(fb->msg));
		else
			fastboot_fail(fb, "download failed (%d)", err);
		fb_event(fb, FASTBOOT_EVENT_DOWNLOAD, err, 0, fb->msg);
		return;
	}
	fb->dl.len = size;
	fb_stat_add(fb, &opts->stats.downloads, &opts->stats.download_bytes,
		    size);
	fastboot_okay(fb, "%s", "");
	fb_event(fb, FASTBOOT_EVENT_DOWNLOAD, 0, size, NULL);
}

/* Send the payload after DATA: pieces of @b, then wait for all. */
static int fb_send_buf(struct f_fastboot *fb, const struct fastboot_buf *b,
		       u32 len)
{
	u32 off, n, room;
	int err = 0;

	for (off = 0; off < len && !err; off += n) {
		void *p = fastboot_buf_at(b, off, &room);

		/* Blocks and FB_REQ_MAX are multiples of wMaxPacketSize. */
		n = min3(room, FB_REQ_MAX, len - off);
		err = fastboot_io_in_queue(fb, p, n);
	}
	return err ? err : fastboot_io_in_wait(fb, 0);
}

static void fb_do_upload(struct f_fastboot *fb)
{
	char pkt[FASTBOOT_RESP_BUF_LEN];
	u32 len = fb->dl.len;
	int err;

	if (!len) {
		fb_refuse(fb, -ENODATA, "nothing to upload: no download");
		return;
	}
	fastboot_set_state(fb->opts, FASTBOOT_ST_UPLOAD);
	err = fastboot_io_send(fb, pkt, fastboot_resp_data(pkt, len), false);
	if (!err)
		err = fb_send_buf(fb, &fb->dl, len);
	if (err) {
		/* Cut short: the host reads this instead of the rest. */
		fastboot_fail(fb, "upload failed (%d)", err);
		fb_event(fb, FASTBOOT_EVENT_UPLOAD, err, 0, fb->msg);
		return;
	}
	fastboot_okay(fb, "%s", "");
	fb_event(fb, FASTBOOT_EVENT_UPLOAD, 0, len, NULL);
}

/*
 * The range of fetch:<part>[:0x<off>[:0x<size>]] inside @t. A missing
 * size means "to the end", capped at max-fetch-size (DATA says how much
 * comes); an explicit size above it is refused.
 */
static int fb_fetch_range(struct f_fastboot *fb, const struct fastboot_command *cmd,
			  const char *buf, const struct fastboot_target *t,
			  u64 *off, u32 *size)
{
	u64 o = cmd->offset, n;

	if (cmd->flags & FASTBOOT_CMD_F_RAW) {
		u64 raw = 0;

		/* cmd->offset holds the raw target offset plus the fetch offset */
		fastboot_part_parse(fastboot_span_ptr(buf, cmd->target), cmd->target.len,
			      &raw, NULL);
		o -= raw;
	}
	if (o >= t->size) {
		fb_refuse(fb, -ERANGE, "fetch offset 0x%llx beyond %s (0x%llx bytes)",
			  o, fb->part, t->size);
		return -ERANGE;
	}
	n = t->size - o;
	if (cmd->flags & FASTBOOT_CMD_F_SIZE) {
		if (cmd->length > n) {
			fb_refuse(fb, -ERANGE, "fetch 0x%llx+0x%llx beyond %s (0x%llx bytes)",
				  o, cmd->length, fb->part, t->size);
			return -ERANGE;
		}
		if (cmd->length > fb->max_download) {
			fb_refuse(fb, -EFBIG, "fetch size 0x%llx above max-fetch-size 0x%08x",
				  cmd->length, fb->max_download);
			return -EFBIG;
		}
		n = cmd->length;
	}
	*off = o;
	*size = min_t(u64, n, fb->max_download);
	return 0;
}

/*
 * Read in pieces into two buffers: while one piece is on the wire the
 * next one is read. The first piece is read before DATA, so that a
 * failing target gets a plain FAIL.
 */
static int fb_fetch_send(struct f_fastboot *fb, struct fastboot_target *t,
			 u64 off, u32 size)
{
	const u32 piece = FB_REQ_MAX;
	char pkt[FASTBOOT_RESP_BUF_LEN];
	u32 done = 0, n, room, i = 0;
	void *p;
	int err;

	n = min(piece, size);
	p = fastboot_buf_at(&fb->fetch, 0, &room);
	err = fastboot_read(t, off, p, n, fb->why, sizeof(fb->why));
	if (err) {
		fb_refuse(fb, err, "%s", fb->why[0] ? fb->why : "read failed");
		return err;
	}
	err = fastboot_io_send(fb, pkt, fastboot_resp_data(pkt, size), false);
	for (;;) {
		if (!err)
			err = fastboot_io_in_queue(fb, p, n);
		if (err)
			break;
		done += n;
		if (done == size)
			break;
		i++;
		n = min(piece, size - done);
		p = fastboot_buf_at(&fb->fetch, (i % 2) * piece, &room);
		/* The piece sent from this buffer two steps ago is out. */
		err = fastboot_io_in_wait(fb, 1);
		if (!err)
			err = fastboot_read(t, off + done, p, n, fb->why,
					    sizeof(fb->why));
	}
	if (!err)
		err = fastboot_io_in_wait(fb, 0);
	if (err) {
		/* After DATA: the host reads this FAIL as a short payload. */
		fastboot_fail(fb, "%s", fb->why[0] ? fb->why : "fetch failed");
		fb_event(fb, FASTBOOT_EVENT_UPLOAD, err, done, fb->msg);
	}
	return err;
}

static void fb_do_fetch(struct f_fastboot *fb, const struct fastboot_command *cmd,
			const char *buf)
{
	struct fastboot_opts *opts = fb->opts;
	struct fastboot_target t = {};
	u32 size;
	u64 off;
	int err;

	err = fastboot_target_open(opts, fastboot_span_ptr(buf, cmd->target),
				   cmd->target.len, false, &t, fb->why,
				   sizeof(fb->why));
	if (err) {
		fb_refuse(fb, err, "%s", fb->why[0] ? fb->why : "no such partition");
		return;
	}
	if (fb_fetch_range(fb, cmd, buf, &t, &off, &size))
		goto out;
	err = fastboot_buf_alloc(opts, &fb->fetch,
				 min_t(u32, size, 2 * FB_REQ_MAX), NULL);
	if (err) {
		fb_refuse(fb, err, "out of memory for fetch");
		goto out;
	}
	fastboot_set_state(opts, FASTBOOT_ST_UPLOAD);
	if (!fb_fetch_send(fb, &t, off, size)) {
		fastboot_okay(fb, "%s", "");
		fb_event(fb, FASTBOOT_EVENT_UPLOAD, 0, size, NULL);
	}
	fastboot_buf_free(opts, &fb->fetch);
out:
	fastboot_target_close(&t);
}

/* ---- flash, erase --------------------------------------------------- */

static int fb_open_for_write(struct f_fastboot *fb, const struct fastboot_command *cmd,
			     const char *buf, struct fastboot_target *t)
{
	int err;

	if (fb_locked(fb)) {
		fb_refuse(fb, -EPERM, "device is locked");
		return -EPERM;
	}
	if (cmd->id == FASTBOOT_CMD_ID_FLASH && !fb->dl.len) {
		fb_refuse(fb, -ENODATA, "no image downloaded");
		return -ENODATA;
	}
	err = fastboot_target_open(fb->opts, fastboot_span_ptr(buf, cmd->target),
				   cmd->target.len, true, t, fb->why,
				   sizeof(fb->why));
	if (err)
		fb_refuse(fb, err, "%s", fb->why[0] ? fb->why : "no such partition");
	return err;
}

static void fb_do_flash(struct f_fastboot *fb, const struct fastboot_command *cmd,
			const char *buf)
{
	struct fastboot_opts *opts = fb->opts;
	struct fastboot_target t = {};
	u64 written = 0;
	int err;

	if (fb_open_for_write(fb, cmd, buf, &t))
		return;
	fastboot_set_state(opts, FASTBOOT_ST_FLASH);
	fb->op = "writing";
	err = fastboot_flash(&t, &fb->dl, fb_progress, fb, &written, fb->why,
			     sizeof(fb->why));
	fastboot_target_close(&t);
	if (err) {
		fastboot_fail(fb, "%s", fb->why[0] ? fb->why : "flash failed");
		fb_event(fb, FASTBOOT_EVENT_FLASH, err, written, fb->msg);
		return;
	}
	fb_stat_add(fb, &opts->stats.flashes, &opts->stats.flash_bytes,
		    written);
	fastboot_okay(fb, "%s", "");
	fb_event(fb, FASTBOOT_EVENT_FLASH, 0, written, NULL);
}

static void fb_do_erase(struct f_fastboot *fb, const struct fastboot_command *cmd,
			const char *buf)
{
	struct fastboot_opts *opts = fb->opts;
	struct fastboot_target t = {};
	u64 size;
	int err;

	if (fb_open_for_write(fb, cmd, buf, &t))
		return;
	size = t.size;
	fastboot_set_state(opts, FASTBOOT_ST_ERASE);
	fb->op = "erasing";
	err = fastboot_erase(&t, fb_progress, fb, fb->why, sizeof(fb->why));
	fastboot_target_close(&t);
	if (err) {
		fastboot_fail(fb, "%s", fb->why[0] ? fb->why : "erase failed");
		fb_event(fb, FASTBOOT_EVENT_ERASE, err, 0, fb->msg);
		return;
	}
	fb_stat_add(fb, &opts->stats.erases, NULL, 0);
	fastboot_okay(fb, "%s", "");
	fb_event(fb, FASTBOOT_EVENT_ERASE, 0, size, NULL);
}

/* ---- oem ------------------------------------------------------------ */

static int fb_oem_info(void *ctx, const char *line)
{
	struct f_fastboot *fb = ctx;

	if (fastboot_io_gone(fb))
		return -ESHUTDOWN;
	if (line)
		fastboot_io_info(fb, "%s", line);
	else
		fastboot_io_keepalive(fb, "%s", "oem command running");
	return 0;
}

static void fb_do_oem(struct f_fastboot *fb, const struct fastboot_command *cmd,
		      const char *buf)
{
	char reply[FASTBOOT_RESP_PAYLOAD_MAX + 1] = "";
	char text[FASTBOOT_ERR_LEN];
	int err;

	snprintf(text, sizeof(text), "%.*s", cmd->arg.len,
		 fastboot_span_ptr(buf, cmd->arg));
	fastboot_set_state(fb->opts, FASTBOOT_ST_OEM);
	err = fastboot_nl_oem(fb->opts->name, fastboot_span_ptr(buf, cmd->arg),
			      cmd->arg.len, fb->oem_timeout, fb_oem_info, fb,
			      reply, sizeof(reply));
	switch (err) {
	case 0:
		fastboot_okay(fb, "%s", reply);
		break;
	case -ENOENT:
		fastboot_fail(fb, "unknown oem command");
		break;
	case -EREMOTEIO:
		fastboot_fail(fb, "%s", reply[0] ? reply : "oem command failed");
		break;
	case -ETIMEDOUT:
		fastboot_fail(fb, "oem handler timed out");
		break;
	case -ECONNRESET:
		fastboot_fail(fb, "oem handler went away");
		break;
	case -ENOMEM:
		fastboot_fail(fb, "out of memory");
		break;
	default:
		fastboot_fail(fb, "oem command aborted (%d)", err);
		break;
	}
	fb_event(fb, FASTBOOT_EVENT_OEM, err, 0, text);
}

/* ---- lock, slots, leaving the bus ------------------------------------ */

static void fb_do_lock(struct f_fastboot *fb, bool lock)
{
	struct fastboot_opts *opts = fb->opts;
	bool changed;

	mutex_lock(&opts->lock);
	changed = opts->locked != lock;
	opts->locked = lock;
	mutex_unlock(&opts->lock);
	fastboot_okay(fb, "%s", "");
	if (changed)
		fb_event(fb, lock ? FASTBOOT_EVENT_LOCK : FASTBOOT_EVENT_UNLOCK,
			 0, 0, NULL);
}

static void fb_do_set_active(struct f_fastboot *fb, char slot)
{
	u32 mask = fastboot_slots(fb);

	if (!mask) {
		fb_refuse(fb, -ENOENT, "no slots");
		return;
	}
	if (!(mask & BIT(slot - 'a'))) {
		fb_refuse(fb, -ENOENT, "no slot '%c'", slot);
		return;
	}
	fb->slot = slot;
	/* the event's PARTITION is the slot (uapi fastboot.h) */
	snprintf(fb->part, sizeof(fb->part), "%c", slot);
	fastboot_okay(fb, "%s", "");
	fb_event(fb, FASTBOOT_EVENT_SET_ACTIVE, 0, 0, NULL);
}

/* OKAY, then leave the bus once the host has it. */
static void fb_do_leave(struct f_fastboot *fb, u8 id)
{
	char pkt[FASTBOOT_RESP_BUF_LEN];
	unsigned long flags;

	if (id == FASTBOOT_CMD_ID_BOOT) {
		if (!fb->dl.len) {
			fb_refuse(fb, -ENODATA, "no image downloaded");
			return;
		}
		if (fb->dl.len < FB_BOOT_MAGIC_LEN ||
		    memcmp(fb->dl.blk[0], FB_BOOT_MAGIC, FB_BOOT_MAGIC_LEN)) {
			fb_refuse(fb, -EINVAL,
				  "not an Android boot image: no ANDROID! magic");
			return;
		}
	}
	fb->detach_cmd = id;
	spin_lock_irqsave(&fb->lock, flags);
	fb->detaching = 1;
	spin_unlock_irqrestore(&fb->lock, flags);
	/* Host already gone: the command was accepted, leave anyway. */
	if (fastboot_io_send(fb, pkt, fastboot_resp(pkt, "OKAY", "%s", ""), true))
		schedule_delayed_work(&fb->detach_work, 0);
}

static u8 fb_leave_event(u8 id)
{
	switch (id) {
	case FASTBOOT_CMD_ID_BOOT:
		return FASTBOOT_EVENT_BOOT;
	case FASTBOOT_CMD_ID_CONTINUE:
		return FASTBOOT_EVENT_CONTINUE;
	case FASTBOOT_CMD_ID_REBOOT_BOOTLOADER:
		return FASTBOOT_EVENT_REBOOT_BOOTLOADER;
	case FASTBOOT_CMD_ID_REBOOT_RECOVERY:
		return FASTBOOT_EVENT_REBOOT_RECOVERY;
	case FASTBOOT_CMD_ID_REBOOT_FASTBOOT:
		return FASTBOOT_EVENT_REBOOT_FASTBOOT;
	default:
		return FASTBOOT_EVENT_REBOOT;
	}
}

void fastboot_detach_work(struct work_struct *work)
{
	struct f_fastboot *fb = container_of(to_delayed_work(work),
					     struct f_fastboot, detach_work);
	struct usb_composite_dev *cdev = fb->func.config->cdev;
	char ev_env[48], fn_env[24 + FASTBOOT_NAME_LEN];
	char *envp[3];
	unsigned long flags;
	bool unbinding;
	int err;

	spin_lock_irqsave(&fb->lock, flags);
	unbinding = fb->unbinding;
	spin_unlock_irqrestore(&fb->lock, flags);
	if (unbinding || fb->deactivated)
		return;

	fb_event(fb, fb_leave_event(fb->detach_cmd), 0, 0, NULL);
	err = usb_function_deactivate(&fb->func);
	if (err)
		ERROR(cdev, "fastboot.%s: leaving the bus failed (%d)\n",
		      fb->opts->name, err);
	else
		fb->deactivated = 1;
	fastboot_set_state(fb->opts, FASTBOOT_ST_DETACHED);
	snprintf(ev_env, sizeof(ev_env), "FASTBOOT_EVENT=%s",
		 fastboot_cmd_name(fb->detach_cmd));
	snprintf(fn_env, sizeof(fn_env), "FASTBOOT_FUNCTION=%s",
		 fb->opts->name);
	envp[0] = ev_env;
	envp[1] = fn_env;
	envp[2] = NULL;
	kobject_uevent_env(&cdev->gadget->dev.kobj, KOBJ_CHANGE, envp);
	INFO(cdev, "fastboot.%s: %s: left the bus\n", fb->opts->name,
	     fastboot_cmd_name(fb->detach_cmd));
}

/* ---- dispatch -------------------------------------------------------- */

static void fb_dispatch(struct f_fastboot *fb, const char *buf, u32 len)
{
	const char *why = NULL;
	struct fastboot_command cmd;
	int ret;

	ret = fastboot_cmd_parse(&cmd, buf, len, &why);
	if (ret == -EOPNOTSUPP && why && !strcmp(why, "unknown command")) {
		fb_refuse(fb, ret, "unknown command '%.*s'", cmd.name.len,
			  fastboot_span_ptr(buf, cmd.name));
		return;
	}
	if (ret) {
		fb_refuse(fb, ret, "%s", why ? why : "malformed command");
		return;
	}
	if (cmd.target.len)
		fb_set_part(fb, buf, cmd.target);

	switch (cmd.id) {
	case FASTBOOT_CMD_ID_GETVAR:
		fastboot_getvar(fb, &cmd, buf);
		break;
	case FASTBOOT_CMD_ID_DOWNLOAD:
		fb_do_download(fb, cmd.size);
		break;
	case FASTBOOT_CMD_ID_UPLOAD:
		fb_do_upload(fb);
		break;
	case FASTBOOT_CMD_ID_FETCH:
		fb_do_fetch(fb, &cmd, buf);
		break;
	case FASTBOOT_CMD_ID_FLASH:
		fb_do_flash(fb, &cmd, buf);
		break;
	case FASTBOOT_CMD_ID_ERASE:
		fb_do_erase(fb, &cmd, buf);
		break;
	case FASTBOOT_CMD_ID_BOOT:
	case FASTBOOT_CMD_ID_CONTINUE:
	case FASTBOOT_CMD_ID_REBOOT:
	case FASTBOOT_CMD_ID_REBOOT_BOOTLOADER:
	case FASTBOOT_CMD_ID_REBOOT_RECOVERY:
	case FASTBOOT_CMD_ID_REBOOT_FASTBOOT:
		fb_do_leave(fb, cmd.id);
		break;
	case FASTBOOT_CMD_ID_SET_ACTIVE:
		fb_do_set_active(fb, *fastboot_span_ptr(buf, cmd.target));
		break;
	case FASTBOOT_CMD_ID_OEM:
		fb_do_oem(fb, &cmd, buf);
		break;
	case FASTBOOT_CMD_ID_FLASHING_LOCK:
	case FASTBOOT_CMD_ID_FLASHING_UNLOCK:
		fb_do_lock(fb, cmd.id == FASTBOOT_CMD_ID_FLASHING_LOCK);
		break;
	case FASTBOOT_CMD_ID_FLASHING_LOCK_CRITICAL:
	case FASTBOOT_CMD_ID_FLASHING_UNLOCK_CRITICAL:
		fb_refuse(fb, -EOPNOTSUPP,
			  "not supported: no critical partitions");
		break;
	case FASTBOOT_CMD_ID_FLASHING_GET_UNLOCK_ABILITY:
		fastboot_io_info(fb, "get_unlock_ability: 1");
		fastboot_okay(fb, "%s", "");
		break;
	default:	/* UCmd, ACmd: U-Boot shell commands */
		fb_refuse(fb, -EOPNOTSUPP, "%s not supported",
			  fastboot_cmd_name(cmd.id));
		break;
	}
}

static void fb_handle(struct f_fastboot *fb, struct usb_request *req)
{
	/* Zero-length packet: ignored, the request is queued again. */
	if (!req->status && !req->actual)
		return;

	fastboot_io_cancel_resp(fb);
	fb->t0 = ktime_get();
	fb->last_info = jiffies;
	fb->mute = 0;
	fb->part[0] = '\0';
	fb->msg[0] = '\0';
	fb->why[0] = '\0';
	fastboot_set_state(fb->opts, FASTBOOT_ST_COMMAND);
	/* More than FASTBOOT_CMD_ID_MAX bytes: the rest is drained, then FAIL. */
	if (req->status == -EOVERFLOW ||
	    (!req->status && req->actual == req->length &&
	     fastboot_io_drain(fb))) {
		if (req->status)
			fastboot_io_drain(fb);
		fb_refuse(fb, -EMSGSIZE, "command longer than %u bytes",
			  FASTBOOT_CMD_ID_MAX);
		return;
	}
	if (req->status) {
		fb_refuse(fb, -EIO, "command transfer failed (%d)",
			  req->status);
		return;
	}
	fb_dispatch(fb, req->buf, req->actual);
}

/* The command request completed: handle it, then queue it again. */
void fastboot_cmd_work(struct work_struct *work)
{
	struct f_fastboot *fb = container_of(work, struct f_fastboot,
					     cmd_work);
	unsigned long flags;
	bool detaching;

	spin_lock_irqsave(&fb->qlock, flags);
	spin_lock(&fb->lock);
	fb->work_gen = fb->cmd_gen;
	spin_unlock(&fb->lock);
	spin_unlock_irqrestore(&fb->qlock, flags);

	/* A command from a connection that has gone is not answered. */
	if (!fastboot_io_gone(fb))
		fb_handle(fb, fb->cmd_req);

	spin_lock_irqsave(&fb->lock, flags);
	fb->busy = 0;
	detaching = fb->detaching;
	spin_unlock_irqrestore(&fb->lock, flags);
	if (!detaching)
		fastboot_set_state(fb->opts, FASTBOOT_ST_IDLE);
	fastboot_io_arm(fb);
}
