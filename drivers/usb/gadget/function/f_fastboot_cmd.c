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

#include <crypto/sha2.h>
#include <linux/fadvise.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kobject.h>
#include <linux/ktime.h>

#include <imxflash/fastboot_ranges.h>

#include "f_fastboot.h"
#include "f_fastboot_nl.h"

#define FASTBOOT_BOOT_MAGIC		"ANDROID!"
#define FASTBOOT_BOOT_MAGIC_LEN	8

/* ---- the command's state, events ----------------------------------- */

/*
 * The one place the state of a command starts: everything in fb->cur
 * belongs to the command that has just arrived in generation @gen.
 * Returns false if that connection has gone: the command is not answered.
 */
static bool fastboot_cmd_begin(struct f_fastboot *fb, u32 gen)
{
	fastboot_assert_worker(fb);
	memset(&fb->cur, 0, sizeof(fb->cur));
	fb->cur.gen = gen;
	if (fastboot_io_gone(fb))
		return false;
	/* An answer the host has not read belongs to an earlier command. */
	fastboot_io_cancel_resp(fb);
	fb->cur.t0 = ktime_get();
	fb->cur.last_info = jiffies;
	return true;
}

/*
 * The worker reports its command; so does detach_work, for the command
 * that made the function leave the bus (the worker handles none after it).
 */
static void fastboot_send_event(struct f_fastboot *fb, u8 type, int status,
				u64 bytes, const char *msg)
{
	struct fastboot_nl_event ev = {
		.instance = fb->opts->name,
		.part = fb->cur.part[0] ? fb->cur.part : NULL,
		.msg = msg && msg[0] ? msg : NULL,
		.bytes = bytes,
		.duration_ms = ktime_ms_delta(ktime_get(), fb->cur.t0),
		.status = status,
		.type = type,
	};

	fastboot_nl_notify(&ev);
}

/* A command refused before it did anything: FAIL and an ERROR event. */
static __printf(3, 4)
void fastboot_refuse(struct f_fastboot *fb, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fastboot_io_vfail(fb, fmt, ap);
	va_end(ap);
	fastboot_send_event(fb, FASTBOOT_EVENT_ERROR, status, 0, fb->cur.msg);
}

static void fastboot_stat_add(struct f_fastboot *fb, u64 *count, u64 *bytes,
			      u64 n)
{
	unsigned long flags;

	spin_lock_irqsave(&fb->opts->stat_lock, flags);
	(*count)++;
	if (bytes)
		*bytes += n;
	spin_unlock_irqrestore(&fb->opts->stat_lock, flags);
}

/* Keep the partition name for FAIL texts and events. */
static void fastboot_set_part(struct f_fastboot *fb, const char *buf,
			      struct fastboot_span s)
{
	snprintf(fb->cur.part, sizeof(fb->cur.part), "%.*s", s.len,
		 fastboot_span_ptr(buf, s));
}

/* Called by the storage side at least every 100 ms during long work. */
static int fastboot_storage_progress(void *ctx, u64 done, u64 total)
{
	struct f_fastboot *fb = ctx;

	if (fastboot_io_gone(fb))
		return -ESHUTDOWN;
	fastboot_io_keepalive(fb, "%s %s: %llu of %llu KiB", fb->cur.activity,
			      fb->cur.part, done >> 10, total >> 10);
	return 0;
}

/*
 * Gathering a large download buffer may take seconds: keep the host
 * waiting. The allocation goes on if the host has gone; the download
 * right after it notices.
 */
static int fastboot_alloc_progress(void *ctx, u64 done, u64 total)
{
	fastboot_io_keepalive(ctx, "allocating %llu of %llu KiB", done >> 10,
			      total >> 10);
	return 0;
}

/* ---- download, upload, fetch --------------------------------------- */

static void fastboot_do_download(struct f_fastboot *fb, u32 size)
{
	struct fastboot_opts *opts = fb->opts;
	int err;

	if (size > fb->cfg.max_download) {
		fastboot_refuse(fb, -EFBIG,
				"download size 0x%08x above max-download-size 0x%08x",
				size, fb->cfg.max_download);
		return;
	}
	/*
	 * Only one download is kept: a previous buffer that is large enough
	 * is reused (split images come as pieces of about the same size),
	 * anything else goes first.
	 */
	if (fb->dl.blk && fb->dl.cap >= size + FASTBOOT_DL_SLACK) {
		fb->dl.len = 0;
		err = 0;
	} else {
		fastboot_buf_free(opts, &fb->dl);
		err = fastboot_buf_alloc(opts, &fb->dl,
					 size + FASTBOOT_DL_SLACK,
					 fastboot_alloc_progress, fb);
	}
	if (err) {
		fastboot_refuse(fb, err,
				"out of memory for a 0x%08x-byte download",
				size);
		return;
	}
	fastboot_set_state(opts, FASTBOOT_ST_DOWNLOAD);
	err = fastboot_io_download(fb, &fb->dl, size);
	if (err) {
		fastboot_buf_free(opts, &fb->dl);
		if (err == -EOVERFLOW)
			fastboot_io_fail(fb,
					 "more data than the 0x%08x bytes announced",
					 size);
		else if (err == -ESHUTDOWN)
			strscpy(fb->cur.msg, "host gone", sizeof(fb->cur.msg));
		else
			fastboot_io_fail(fb, "download failed (%d)", err);
		fastboot_send_event(fb, FASTBOOT_EVENT_DOWNLOAD, err, 0,
				    fb->cur.msg);
		return;
	}
	fb->dl.len = size;
	fastboot_stat_add(fb, &opts->stats.downloads,
			  &opts->stats.download_bytes, size);
	fastboot_io_okay(fb, "%s", "");
	fastboot_send_event(fb, FASTBOOT_EVENT_DOWNLOAD, 0, size, NULL);
}

/* Send the payload after DATA: pieces of @b, then wait for all. */
static int fastboot_send_buf(struct f_fastboot *fb,
			     const struct fastboot_buf *b, u32 len)
{
	u32 off, n, room;
	int err = 0;

	for (off = 0; off < len && !err; off += n) {
		void *p = fastboot_buf_at(b, off, &room);

		/* Blocks and FASTBOOT_REQ_MAX: multiples of wMaxPacketSize. */
		n = min3(room, FASTBOOT_REQ_MAX, len - off);
		err = fastboot_io_in_queue(fb, p, n);
	}
	return err ? err : fastboot_io_in_wait(fb, 0);
}

static void fastboot_do_upload(struct f_fastboot *fb)
{
	char pkt[FASTBOOT_RESP_BUF_LEN];
	u32 len = fb->dl.len;
	int err;

	if (!len) {
		fastboot_refuse(fb, -ENODATA, "nothing to upload: no download");
		return;
	}
	fastboot_set_state(fb->opts, FASTBOOT_ST_UPLOAD);
	err = fastboot_io_send(fb, pkt, fastboot_resp_data(pkt, len), false);
	if (!err)
		err = fastboot_send_buf(fb, &fb->dl, len);
	if (err) {
		/* Cut short: the host reads this instead of the rest. */
		fastboot_io_fail(fb, "upload failed (%d)", err);
		fastboot_send_event(fb, FASTBOOT_EVENT_UPLOAD, err, 0,
				    fb->cur.msg);
		return;
	}
	fastboot_io_okay(fb, "%s", "");
	fastboot_send_event(fb, FASTBOOT_EVENT_UPLOAD, 0, len, NULL);
}

/*
 * The range of fetch:<part>[:0x<off>[:0x<size>]] inside @t. A missing
 * size means "to the end", capped at max-fetch-size (DATA says how much
 * comes); an explicit size above it is refused.
 */
static int fastboot_fetch_range(struct f_fastboot *fb,
				const struct fastboot_command *cmd,
				const char *buf,
				const struct fastboot_target *t,
				u64 *off, u32 *size)
{
	u64 o = cmd->offset, n;

	if (cmd->flags & FASTBOOT_CMD_F_RAW) {
		u64 raw = 0;

		/* cmd->offset: the raw target offset plus the fetch offset */
		fastboot_part_parse(fastboot_span_ptr(buf, cmd->target),
				    cmd->target.len, &raw, NULL);
		o -= raw;
	}
	if (o >= t->size) {
		fastboot_refuse(fb, -ERANGE,
				"fetch offset 0x%llx beyond %s (0x%llx bytes)",
				o, fb->cur.part, t->size);
		return -ERANGE;
	}
	n = t->size - o;
	if (cmd->flags & FASTBOOT_CMD_F_SIZE) {
		if (cmd->length > n) {
			fastboot_refuse(fb, -ERANGE,
					"fetch 0x%llx+0x%llx beyond %s (0x%llx bytes)",
					o, cmd->length, fb->cur.part, t->size);
			return -ERANGE;
		}
		if (cmd->length > fb->cfg.max_download) {
			fastboot_refuse(fb, -EFBIG,
					"fetch size 0x%llx above max-fetch-size 0x%08x",
					cmd->length, fb->cfg.max_download);
			return -EFBIG;
		}
		n = cmd->length;
	}
	*off = o;
	*size = min_t(u64, n, fb->cfg.max_download);
	return 0;
}

/*
 * Read in pieces into two buffers: while one piece is on the wire the
 * next one is read. The first piece is read before DATA, so that a
 * failing target gets a plain FAIL.
 */
static int fastboot_fetch_send(struct f_fastboot *fb, struct fastboot_target *t,
			       const struct fastboot_buf *b, u64 off, u32 size)
{
	const u32 piece = FASTBOOT_REQ_MAX;
	char pkt[FASTBOOT_RESP_BUF_LEN];
	u32 done = 0, n, room, i = 0;
	void *p;
	int err;

	n = min(piece, size);
	p = fastboot_buf_at(b, 0, &room);
	err = fastboot_read(t, off, p, n, fb->cur.why, sizeof(fb->cur.why));
	if (err) {
		fastboot_refuse(fb, err, "%s",
				fb->cur.why[0] ? fb->cur.why : "read failed");
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
		p = fastboot_buf_at(b, (i % 2) * piece, &room);
		/* The piece sent from this buffer two steps ago is out. */
		err = fastboot_io_in_wait(fb, 1);
		if (!err)
			err = fastboot_read(t, off + done, p, n, fb->cur.why,
					    sizeof(fb->cur.why));
	}
	if (!err)
		err = fastboot_io_in_wait(fb, 0);
	if (err) {
		/* After DATA: the host reads this FAIL as a short payload. */
		fastboot_io_fail(fb, "%s",
				 fb->cur.why[0] ? fb->cur.why : "fetch failed");
		fastboot_send_event(fb, FASTBOOT_EVENT_UPLOAD, err, done,
				    fb->cur.msg);
	}
	return err;
}

static void fastboot_do_fetch(struct f_fastboot *fb,
			      const struct fastboot_command *cmd,
			      const char *buf)
{
	struct fastboot_opts *opts = fb->opts;
	struct fastboot_target t = {};
	struct fastboot_buf pieces = {};
	u32 size;
	u64 off;
	int err;

	if (!fb->cfg.fetch) {
		fastboot_refuse(fb, -EOPNOTSUPP, "fetch is disabled");
		return;
	}
	err = fastboot_target_open(opts, fastboot_span_ptr(buf, cmd->target),
				   cmd->target.len, false, &t, fb->cur.why,
				   sizeof(fb->cur.why));
	if (err) {
		fastboot_refuse(fb, err, "%s",
				fb->cur.why[0] ? fb->cur.why : "no such partition");
		return;
	}
	if (fastboot_fetch_range(fb, cmd, buf, &t, &off, &size))
		goto out;
	/*
	 * A block device's page cache may hold what the flash wrote while
	 * the medium holds something else (a write that did not land, a
	 * change underneath): drop the range's clean pages so that a host
	 * verifying by read-back reads the device. DONTNEED keeps pages
	 * that are only partly inside its range: round it out to whole
	 * pages (dropping a clean neighbour costs a re-read at most). Pages
	 * someone has mapped or dirtied stay; oem sha256 reads with
	 * O_DIRECT and has no such gap.
	 */
	if (t.bdev) {
		loff_t from = round_down(t.start + off, PAGE_SIZE);
		loff_t to = round_up(t.start + off + size, PAGE_SIZE);

		vfs_fadvise(t.filp, from, to - from, POSIX_FADV_DONTNEED);
	}
	err = fastboot_buf_alloc(opts, &pieces,
				 min_t(u32, size, 2 * FASTBOOT_REQ_MAX), NULL,
				 NULL);
	if (err) {
		fastboot_refuse(fb, err, "out of memory for fetch");
		goto out;
	}
	fastboot_set_state(opts, FASTBOOT_ST_UPLOAD);
	if (!fastboot_fetch_send(fb, &t, &pieces, off, size)) {
		fastboot_io_okay(fb, "%s", "");
		fastboot_send_event(fb, FASTBOOT_EVENT_UPLOAD, 0, size, NULL);
	}
	fastboot_buf_free(opts, &pieces);
out:
	fastboot_target_close(&t);
}

/* ---- flash, erase --------------------------------------------------- */

static int fastboot_open_for_write(struct f_fastboot *fb,
				   const struct fastboot_command *cmd,
				   const char *buf, struct fastboot_target *t)
{
	int err;

	if (fastboot_flashing_lock_on(fb->opts)) {
		fastboot_refuse(fb, -EPERM, "device is locked");
		return -EPERM;
	}
	if (cmd->id == FASTBOOT_CMD_ID_FLASH && !fb->dl.len) {
		fastboot_refuse(fb, -ENODATA, "no image downloaded");
		return -ENODATA;
	}
	err = fastboot_target_open(fb->opts,
				   fastboot_span_ptr(buf, cmd->target),
				   cmd->target.len, true, t, fb->cur.why,
				   sizeof(fb->cur.why));
	if (err)
		fastboot_refuse(fb, err, "%s",
				fb->cur.why[0] ? fb->cur.why : "no such partition");
	return err;
}

static void fastboot_do_flash(struct f_fastboot *fb,
			      const struct fastboot_command *cmd,
			      const char *buf)
{
	struct fastboot_opts *opts = fb->opts;
	struct fastboot_target t = {};
	u64 written = 0;
	int err;

	if (fastboot_open_for_write(fb, cmd, buf, &t))
		return;
	fastboot_set_state(opts, FASTBOOT_ST_FLASH);
	fb->cur.activity = "writing";
	err = fastboot_flash(&t, &fb->dl, fastboot_storage_progress, fb,
			     &written, fb->cur.why, sizeof(fb->cur.why));
	fastboot_target_close(&t);
	if (err) {
		fastboot_io_fail(fb, "%s",
				 fb->cur.why[0] ? fb->cur.why : "flash failed");
		fastboot_send_event(fb, FASTBOOT_EVENT_FLASH, err, written,
				    fb->cur.msg);
		return;
	}
	fastboot_stat_add(fb, &opts->stats.flashes, &opts->stats.flash_bytes,
			  written);
	fastboot_io_okay(fb, "%s", "");
	fastboot_send_event(fb, FASTBOOT_EVENT_FLASH, 0, written, NULL);
}

static void fastboot_do_erase(struct f_fastboot *fb,
			      const struct fastboot_command *cmd,
			      const char *buf)
{
	struct fastboot_opts *opts = fb->opts;
	struct fastboot_target t = {};
	u64 size;
	int err;

	if (fastboot_open_for_write(fb, cmd, buf, &t))
		return;
	size = t.size;
	fastboot_set_state(opts, FASTBOOT_ST_ERASE);
	fb->cur.activity = "erasing";
	err = fastboot_erase(&t, fastboot_storage_progress, fb, fb->cur.why,
			     sizeof(fb->cur.why));
	fastboot_target_close(&t);
	if (err) {
		fastboot_io_fail(fb, "%s",
				 fb->cur.why[0] ? fb->cur.why : "erase failed");
		fastboot_send_event(fb, FASTBOOT_EVENT_ERASE, err, 0,
				    fb->cur.msg);
		return;
	}
	fastboot_stat_add(fb, &opts->stats.erases, NULL, 0);
	fastboot_io_okay(fb, "%s", "");
	fastboot_send_event(fb, FASTBOOT_EVENT_ERASE, 0, size, NULL);
}

/* ---- oem ------------------------------------------------------------ */

/*
 * oem sha256 <part>[ <ranges>]: the SHA-256 of those ranges of the
 * target, read back from the medium (f_fastboot_hash.c); without ranges
 * the last download is the range list. The digest goes back as two INFO
 * lines of 32 hex digits each (a response holds 60 characters), then
 * OKAY; stock fastboot shows INFO lines, never an OKAY's text.
 */
static void fastboot_do_sha256(struct f_fastboot *fb,
			       const struct fastboot_command *cmd,
			       const char *buf)
{
	char hex[2 * SHA256_DIGEST_SIZE + 1];
	struct fastboot_span part, list;
	struct fastboot_target t = {};
	struct fastboot_buf text = {};
	const struct fastboot_buf *l;
	u8 digest[SHA256_DIGEST_SIZE];
	const char *why = NULL;
	void *blk;
	u64 bytes;
	int err;

	err = fastboot_sha256_args(buf, cmd->arg, &part, &list, &why);
	if (err) {
		fastboot_refuse(fb, err, "%s", why);
		return;
	}
	fastboot_set_part(fb, buf, part);
	if (list.len) {
		/* The command's text, seen as a one-block download. */
		blk = (void *)fastboot_span_ptr(buf, list);
		text.blk = &blk;
		text.nblks = 1;
		text.len = list.len;
		text.cap = list.len;
		l = &text;
	} else if (fb->dl.len) {
		l = &fb->dl;
	} else {
		fastboot_refuse(fb, -ENODATA,
				"no ranges given and no range list downloaded");
		return;
	}
	err = fastboot_target_open(fb->opts, fastboot_span_ptr(buf, part),
				   part.len, false, &t, fb->cur.why,
				   sizeof(fb->cur.why));
	if (err) {
		fastboot_refuse(fb, err, "%s",
				fb->cur.why[0] ? fb->cur.why : "no such partition");
		return;
	}
	fastboot_set_state(fb->opts, FASTBOOT_ST_HASH);
	fb->cur.activity = "hashing";
	err = fastboot_hash(fb->opts, &t, l, fastboot_storage_progress, fb,
			    digest, &bytes, fb->cur.why, sizeof(fb->cur.why));
	fastboot_target_close(&t);
	if (err) {
		fastboot_io_fail(fb, "%s",
				 fb->cur.why[0] ? fb->cur.why : "sha256 failed");
		fastboot_send_event(fb, FASTBOOT_EVENT_SHA256, err, bytes,
				    fb->cur.msg);
		return;
	}
	bin2hex(hex, digest, sizeof(digest));
	hex[sizeof(hex) - 1] = '\0';
	fastboot_io_info(fb, "sha256 1/2 %.32s", hex);
	fastboot_io_info(fb, "sha256 2/2 %.32s", hex + 32);
	fastboot_io_okay(fb, "%s", "");
	fastboot_send_event(fb, FASTBOOT_EVENT_SHA256, 0, bytes, hex);
}

static int fastboot_oem_info(void *ctx, const char *line)
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

static void fastboot_do_oem(struct f_fastboot *fb,
			    const struct fastboot_command *cmd, const char *buf)
{
	char reply[FASTBOOT_RESP_PAYLOAD_MAX + 1] = "";
	char text[FASTBOOT_ERR_LEN];
	int err;

	/* The function's own oem command, unless it is handed on. */
	if (fb->cfg.oem_sha256 && fastboot_span_eq(buf, cmd->word, "sha256")) {
		fastboot_do_sha256(fb, cmd, buf);
		return;
	}
	snprintf(text, sizeof(text), "%.*s", cmd->arg.len,
		 fastboot_span_ptr(buf, cmd->arg));
	fastboot_set_state(fb->opts, FASTBOOT_ST_OEM);
	err = fastboot_nl_oem(fb->opts->name, fastboot_span_ptr(buf, cmd->arg),
			      cmd->arg.len, fb->cfg.oem_timeout_ms,
			      fastboot_oem_info, fb, reply, sizeof(reply));
	switch (err) {
	case 0:
		fastboot_io_okay(fb, "%s", reply);
		break;
	case -ENOENT:
		fastboot_io_fail(fb, "unknown oem command");
		break;
	case -EREMOTEIO:
		fastboot_io_fail(fb, "%s",
				 reply[0] ? reply : "oem command failed");
		break;
	case -ETIMEDOUT:
		fastboot_io_fail(fb, "oem handler timed out");
		break;
	case -ECONNRESET:
		fastboot_io_fail(fb, "oem handler went away");
		break;
	case -ENOMEM:
		fastboot_io_fail(fb, "out of memory");
		break;
	default:
		fastboot_io_fail(fb, "oem command aborted (%d)", err);
		break;
	}
	fastboot_send_event(fb, FASTBOOT_EVENT_OEM, err, 0, text);
}

/* ---- lock, slots, leaving the bus ------------------------------------ */

static void fastboot_do_lock(struct f_fastboot *fb, bool lock)
{
	u8 ev = lock ? FASTBOOT_EVENT_LOCK : FASTBOOT_EVENT_UNLOCK;
	struct fastboot_opts *opts = fb->opts;
	bool changed;

	mutex_lock(&opts->lock);
	changed = opts->locked != lock;
	opts->locked = lock;
	mutex_unlock(&opts->lock);
	fastboot_io_okay(fb, "%s", "");
	if (changed)
		fastboot_send_event(fb, ev, 0, 0, NULL);
}

static void fastboot_do_set_active(struct f_fastboot *fb, char slot)
{
	u32 mask = fastboot_slots(fb);

	if (!mask) {
		fastboot_refuse(fb, -ENOENT, "no slots");
		return;
	}
	if (!(mask & BIT(slot - 'a'))) {
		fastboot_refuse(fb, -ENOENT, "no slot '%c'", slot);
		return;
	}
	fb->active_slot = slot;
	/* the event's PARTITION is the slot (uapi fastboot.h) */
	snprintf(fb->cur.part, sizeof(fb->cur.part), "%c", slot);
	fastboot_io_okay(fb, "%s", "");
	fastboot_send_event(fb, FASTBOOT_EVENT_SET_ACTIVE, 0, 0, NULL);
}

/* OKAY, then leave the bus once the host has it. */
static void fastboot_do_leave(struct f_fastboot *fb, u8 id)
{
	char pkt[FASTBOOT_RESP_BUF_LEN];
	unsigned long flags;

	if (id == FASTBOOT_CMD_ID_BOOT) {
		if (!fb->dl.len) {
			fastboot_refuse(fb, -ENODATA, "no image downloaded");
			return;
		}
		if (fb->dl.len < FASTBOOT_BOOT_MAGIC_LEN ||
		    memcmp(fb->dl.blk[0], FASTBOOT_BOOT_MAGIC,
			   FASTBOOT_BOOT_MAGIC_LEN)) {
			fastboot_refuse(fb, -EINVAL,
					"not an Android boot image: no ANDROID! magic");
			return;
		}
	}
	fb->detach_cmd = id;
	spin_lock_irqsave(&fb->lock, flags);
	fb->conn.detaching = 1;
	spin_unlock_irqrestore(&fb->lock, flags);
	/* Host already gone: the command was accepted, leave anyway. */
	if (fastboot_io_send(fb, pkt, fastboot_resp(pkt, "OKAY", "%s", ""),
			     true))
		schedule_delayed_work(&fb->detach_work, 0);
}

static u8 fastboot_leave_event(u8 id)
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
	unbinding = fb->conn.unbinding;
	spin_unlock_irqrestore(&fb->lock, flags);
	if (unbinding || fb->deactivated)
		return;

	fastboot_send_event(fb, fastboot_leave_event(fb->detach_cmd), 0, 0,
			    NULL);
	err = usb_function_deactivate(&fb->func);
	if (err)
		ERROR(cdev, "fastboot.%s: leaving the bus failed (%d)\n",
		      fb->opts->name, err);
	else
		fb->deactivated = true;
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

static void fastboot_dispatch(struct f_fastboot *fb, const char *buf, u32 len)
{
	const char *why = NULL;
	struct fastboot_command cmd;
	int ret;

	ret = fastboot_cmd_parse(&cmd, buf, len, &why);
	if (ret == -EOPNOTSUPP && why && !strcmp(why, "unknown command")) {
		fastboot_refuse(fb, ret, "unknown command '%.*s'", cmd.name.len,
				fastboot_span_ptr(buf, cmd.name));
		return;
	}
	if (ret) {
		fastboot_refuse(fb, ret, "%s", why ? why : "malformed command");
		return;
	}
	if (cmd.target.len)
		fastboot_set_part(fb, buf, cmd.target);

	switch (cmd.id) {
	case FASTBOOT_CMD_ID_GETVAR:
		fastboot_getvar(fb, &cmd, buf);
		break;
	case FASTBOOT_CMD_ID_DOWNLOAD:
		fastboot_do_download(fb, cmd.size);
		break;
	case FASTBOOT_CMD_ID_UPLOAD:
		fastboot_do_upload(fb);
		break;
	case FASTBOOT_CMD_ID_FETCH:
		fastboot_do_fetch(fb, &cmd, buf);
		break;
	case FASTBOOT_CMD_ID_FLASH:
		fastboot_do_flash(fb, &cmd, buf);
		break;
	case FASTBOOT_CMD_ID_ERASE:
		fastboot_do_erase(fb, &cmd, buf);
		break;
	case FASTBOOT_CMD_ID_BOOT:
	case FASTBOOT_CMD_ID_CONTINUE:
	case FASTBOOT_CMD_ID_REBOOT:
	case FASTBOOT_CMD_ID_REBOOT_BOOTLOADER:
	case FASTBOOT_CMD_ID_REBOOT_RECOVERY:
	case FASTBOOT_CMD_ID_REBOOT_FASTBOOT:
		fastboot_do_leave(fb, cmd.id);
		break;
	case FASTBOOT_CMD_ID_SET_ACTIVE:
		fastboot_do_set_active(fb, *fastboot_span_ptr(buf, cmd.target));
		break;
	case FASTBOOT_CMD_ID_OEM:
		fastboot_do_oem(fb, &cmd, buf);
		break;
	case FASTBOOT_CMD_ID_FLASHING_LOCK:
	case FASTBOOT_CMD_ID_FLASHING_UNLOCK:
		fastboot_do_lock(fb, cmd.id == FASTBOOT_CMD_ID_FLASHING_LOCK);
		break;
	case FASTBOOT_CMD_ID_FLASHING_LOCK_CRITICAL:
	case FASTBOOT_CMD_ID_FLASHING_UNLOCK_CRITICAL:
		fastboot_refuse(fb, -EOPNOTSUPP,
				"not supported: no critical partitions");
		break;
	case FASTBOOT_CMD_ID_FLASHING_GET_UNLOCK_ABILITY:
		fastboot_io_info(fb, "get_unlock_ability: 1");
		fastboot_io_okay(fb, "%s", "");
		break;
	default:	/* UCmd, ACmd: U-Boot shell commands */
		fastboot_refuse(fb, -EOPNOTSUPP, "%s not supported",
				fastboot_cmd_name(cmd.id));
		break;
	}
}

static void fastboot_handle(struct f_fastboot *fb, struct usb_request *req)
{
	fastboot_set_state(fb->opts, FASTBOOT_ST_COMMAND);
	/* Over FASTBOOT_CMD_ID_MAX bytes: the rest is drained, then FAIL. */
	if (req->status == -EOVERFLOW ||
	    (!req->status && req->actual == req->length &&
	     fastboot_io_drain(fb))) {
		if (req->status)
			fastboot_io_drain(fb);
		fastboot_refuse(fb, -EMSGSIZE, "command longer than %u bytes",
				FASTBOOT_CMD_ID_MAX);
		return;
	}
	if (req->status) {
		fastboot_refuse(fb, -EIO, "command transfer failed (%d)",
				req->status);
		return;
	}
	fastboot_dispatch(fb, req->buf, req->actual);
}

/* The command request completed: handle it, then queue it again. */
void fastboot_cmd_work(struct work_struct *work)
{
	struct f_fastboot *fb = container_of(work, struct f_fastboot,
					     cmd_work);
	struct usb_request *req = fb->cmd_req;
	unsigned long flags;
	bool detaching;
	u32 gen;

	spin_lock_irqsave(&fb->qlock, flags);
	spin_lock(&fb->lock);
	gen = fb->conn.cmd_gen;
	spin_unlock(&fb->lock);
	spin_unlock_irqrestore(&fb->qlock, flags);

	/* Zero-length packet: ignored, the request is queued again. */
	if ((req->status || req->actual) && fastboot_cmd_begin(fb, gen))
		fastboot_handle(fb, req);

	spin_lock_irqsave(&fb->lock, flags);
	fb->conn.busy = 0;
	detaching = fb->conn.detaching;
	spin_unlock_irqrestore(&fb->lock, flags);
	if (!detaching)
		fastboot_set_state(fb->opts, FASTBOOT_ST_IDLE);
	fastboot_io_arm(fb);
}
