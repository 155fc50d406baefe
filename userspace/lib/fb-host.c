// SPDX-License-Identifier: GPL-2.0
/*
 * fastboot host library: the protocol (Documentation/fastboot-protocol.rst)
 * on top of the transport of fb-usb.c. See fb-host.h.
 *
 * Only standard commands and variables are used, so that a U-Boot device
 * works as well as usb_f_fastboot: max-download-size (optional: without
 * it the file goes whole, as fastboot 29.0.6 does) and partition-size
 * (optional: only for the "bigger than the partition" pre-check).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/fs.h>

#include <imxflash/fastboot_cmd.h>
#include <imxflash/fastboot_sparse.h>

#include "fb-image.h"
#include "fb-int.h"
#include "fb-split.h"

#define RESP_READ	256	/* as fastboot 29.0.6 reads answers */
#define DL_MAX		0xffffffffull	/* download:%08x */
#define GONE_WAIT_MS	3000

static __thread char open_err[320];
static __thread enum fbh_err_kind open_kind;

static const char *errname(int err)
{
	switch (err) {
	case ENODEV: return "ENODEV";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case EPIPE: return "EPIPE";
	case EPROTO: return "EPROTO";
	case EOVERFLOW: return "EOVERFLOW";
	case ESHUTDOWN: return "ESHUTDOWN";
	case ENOMEM: return "ENOMEM";
	case EBUSY: return "EBUSY";
	case EACCES: return "EACCES";
	case ENOENT: return "ENOENT";
	default: return "error";
	}
}

static __printf(4, 5) int fail(struct fbh_dev *d, int ret, enum fbh_err_kind kind,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
	d->kind = kind;
	return ret;
}

void fbh_set_open_error(enum fbh_err_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(open_err, sizeof(open_err), fmt, ap);
	va_end(ap);
	open_kind = kind;
}

/* Printable copy of a device text: anything else becomes '?'. */
static void clean(char *dst, size_t size, const char *src, size_t len)
{
	size_t i;

	if (!size)
		return;
	for (i = 0; i < len && i + 1 < size; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	dst[i] = '\0';
}

/* Transport failure of @cmd. */
static int xfer_fail(struct fbh_dev *d, const char *cmd, int ret)
{
	switch (ret) {
	case -ENODEV:
		return fail(d, ret, FBH_ERR_GONE, "%.64s: device gone (ENODEV)",
			    cmd);
	case -ETIMEDOUT:
		return fail(d, ret, FBH_ERR_TIMEOUT,
			    "%.64s: no answer from the device within %u ms (ETIMEDOUT)",
			    cmd, d->timeout_ms);
	case -EINTR:
		return fail(d, ret, FBH_ERR_INTR, "%.64s: interrupted", cmd);
	default:
		return fail(d, ret, FBH_ERR_PROTOCOL,
			    "%.64s: USB transfer failed: %s (%s)", cmd,
			    strerror(-ret), errname(-ret));
	}
}

struct fbh_dev *fbh_dev_new(void)
{
	return calloc(1, sizeof(struct fbh_dev));
}

void fbh_close(struct fbh_dev *d)
{
	if (!d)
		return;
	fbt_close(d);
	free(d);
}

const struct fbh_info *fbh_info(const struct fbh_dev *d)
{
	return &d->info;
}

const char *fbh_error(const struct fbh_dev *d)
{
	return d ? d->err : open_err;
}

enum fbh_err_kind fbh_error_kind(const struct fbh_dev *d)
{
	return d ? d->kind : open_kind;
}

void fbh_set_callbacks(struct fbh_dev *d, const struct fbh_callbacks *cb)
{
	if (cb)
		d->cb = *cb;
	else
		memset(&d->cb, 0, sizeof(d->cb));
}

void fbh_set_timeout(struct fbh_dev *d, unsigned int ms)
{
	d->timeout_ms = ms;
}

void fbh_set_cancel(struct fbh_dev *d, const volatile int *flag)
{
	d->cancel = flag;
}

void fbh_set_max_download(struct fbh_dev *d, uint32_t max)
{
	d->max_dl_cap = max;
}

int fbh_check_cancel(struct fbh_dev *d, int poll_errno)
{
	if (d->cancel)
		return *d->cancel ? -EINTR : 0;
	return poll_errno == EINTR ? -EINTR : 0;
}

void fbh_xfer_progress(struct fbh_dev *d, u64 done)
{
	if (d->cb.progress && d->prog_what)
		d->cb.progress(d->cb.ctx, d->prog_what, d->prog_base + done,
			       d->prog_total);
}

static void trace(struct fbh_dev *d, char dir, const char *text, size_t len)
{
	char buf[FASTBOOT_CMD_ID_MAX + 1];

	if (!d->cb.trace)
		return;
	clean(buf, sizeof(buf), text, len);
	d->cb.trace(d->cb.ctx, dir, buf);
}

/* ---- commands and answers ---- */

static int parse_data(const char *p, size_t len, u32 *size)
{
	u32 v = 0;
	size_t i;

	if (!len || len > 8)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (!isxdigit((unsigned char)p[i]))
			return -EINVAL;
		v = v << 4 | (u32)(isdigit((unsigned char)p[i]) ? p[i] - '0' :
				   (tolower((unsigned char)p[i]) - 'a' + 10));
	}
	*size = v;
	return 0;
}

/*
 * Read INFO* then OKAY, FAIL or (if @data) DATA. Returns 0 (OKAY, or DATA
 * with *@is_data set), -EREMOTEIO on FAIL, or a transport/protocol error.
 */
static int read_answer(struct fbh_dev *d, const char *cmd, char *reply,
		       size_t reply_len, u32 *data, bool *is_data)
{
	char buf[RESP_READ + 1], text[RESP_READ + 1];
	int n;

	if (is_data)
		*is_data = false;
	if (reply && reply_len)
		reply[0] = '\0';
	for (;;) {
		n = fbt_read(d, buf, RESP_READ);
		if (n < 0)
			return xfer_fail(d, cmd, n);
		trace(d, '<', buf, (size_t)n);
		if (n < FASTBOOT_RESP_TAG_LEN)
			return fail(d, -EPROTO, FBH_ERR_PROTOCOL,
				    "%.64s: short answer from the device (%d bytes)",
				    cmd, n);
		clean(text, sizeof(text), buf + 4, (size_t)n - 4);
		if (!memcmp(buf, "INFO", 4)) {
			if (d->cb.info)
				d->cb.info(d->cb.ctx, text);
			continue;
		}
		if (!memcmp(buf, "OKAY", 4)) {
			if (reply && reply_len)
				snprintf(reply, reply_len, "%s", text);
			return 0;
		}
		if (!memcmp(buf, "FAIL", 4)) {
			if (reply && reply_len)
				snprintf(reply, reply_len, "%s", text);
			return fail(d, -EREMOTEIO, FBH_ERR_FAIL,
				    "%.64s: device answered FAIL '%s'", cmd,
				    text);
		}
		if (!memcmp(buf, "DATA", 4)) {
			if (!data)
				return fail(d, -EPROTO, FBH_ERR_PROTOCOL,
					    "%.64s: unexpected answer 'DATA%s'",
					    cmd, text);
			if (parse_data(buf + 4, (size_t)n - 4, data))
				return fail(d, -EPROTO, FBH_ERR_PROTOCOL,
					    "%.64s: malformed answer 'DATA%s'",
					    cmd, text);
			*is_data = true;
			return 0;
		}
		clean(text, sizeof(text), buf, (size_t)n);
		return fail(d, -EPROTO, FBH_ERR_PROTOCOL,
			    "%.64s: unknown answer '%.64s'", cmd, text);
	}
}

static int send_command(struct fbh_dev *d, const char *cmd)
{
	size_t len = strlen(cmd);
	int ret;

	if (!len || len > FASTBOOT_CMD_ID_MAX)
		return fail(d, -EINVAL, FBH_ERR_ARG,
			    "%.64s: command %s (%zu bytes, limit %d)", cmd,
			    len ? "too long" : "empty", len, FASTBOOT_CMD_ID_MAX);
	d->kind = FBH_ERR_NONE;
	d->err[0] = '\0';
	trace(d, '>', cmd, len);
	ret = fbt_write(d, cmd, len);
	return ret ? xfer_fail(d, cmd, ret) : 0;
}

static int command(struct fbh_dev *d, const char *cmd, char *reply,
		   size_t reply_len, u32 *data, bool *is_data)
{
	int ret = send_command(d, cmd);

	return ret ? ret : read_answer(d, cmd, reply, reply_len, data,
				       is_data);
}

int fbh_command(struct fbh_dev *d, const char *cmd, char *reply,
		size_t reply_len, uint32_t *data)
{
	bool is_data;
	int ret;

	ret = command(d, cmd, reply, reply_len, data, &is_data);
	if (!ret && data && !is_data)
		*data = 0;
	return ret;
}

int fbh_getvar(struct fbh_dev *d, const char *var, char *val, size_t len)
{
	char cmd[FASTBOOT_CMD_ID_MAX + 1];

	if (snprintf(cmd, sizeof(cmd), "getvar:%s", var) >= (int)sizeof(cmd))
		return fail(d, -EINVAL, FBH_ERR_ARG, "getvar: name too long");
	return command(d, cmd, val, len, NULL, NULL);
}

int fbh_simple(struct fbh_dev *d, const char *cmd)
{
	int ret = command(d, cmd, NULL, 0, NULL, NULL);

	if (!ret && (!strncmp(cmd, "reboot", 6) ||
		     !strncmp(cmd, "continue", 8) || !strcmp(cmd, "boot")))
		fbt_wait_gone(d, GONE_WAIT_MS);
	return ret;
}

/* ---- data phases ---- */

/*
 * The source seen by the transport. A read error of the file does not
 * stop the transfer: the rest is sent as zeros so that the device gets
 * the byte count it was promised and stays usable, then the error is
 * reported (and nothing is flashed).
 */
struct src_guard {
	struct fbh_src src;
	struct fbh_src *inner;
	int err;
};

static int guard_read(struct fbh_src *src, void *buf, size_t len)
{
	struct src_guard *g = (struct src_guard *)src;
	int ret;

	if (!g->err) {
		ret = g->inner->read(g->inner, buf, len);
		if (!ret)
			return 0;
		g->err = ret;
	}
	memset(buf, 0, len);
	return 0;
}

/*
 * download:%08x of @len bytes from @src. @file names the data in
 * messages.
 */
static int download_src(struct fbh_dev *d, struct fbh_src *src, u64 len,
			const char *file)
{
	struct src_guard g = { .src.read = guard_read, .inner = src };
	char cmd[32];
	bool is_data;
	u32 size;
	int ret;

	if (!len)
		return fail(d, -EINVAL, FBH_ERR_ARG,
			    "download: nothing to send (0 bytes)");
	if (len > DL_MAX)
		return fail(d, -EFBIG, FBH_ERR_FILE,
			    "download: %s is %llu bytes, more than a download can carry (4 GiB - 1)",
			    file, (unsigned long long)len);
	snprintf(cmd, sizeof(cmd), "download:%08x", (u32)len);
	ret = command(d, cmd, NULL, 0, &size, &is_data);
	if (ret)
		return ret;
	if (!is_data)
		return fail(d, -EPROTO, FBH_ERR_PROTOCOL,
			    "%s: device answered OKAY instead of DATA", cmd);
	if (size != len)
		return fail(d, -EPROTO, FBH_ERR_PROTOCOL,
			    "%s: device answered DATA%08x, not the size asked for",
			    cmd, size);
	fbh_xfer_progress(d, 0);
	ret = fbt_send(d, &g.src, len);
	if (ret)
		return xfer_fail(d, cmd, ret);
	ret = read_answer(d, cmd, NULL, 0, NULL, NULL);
	if (g.err)
		return fail(d, g.err, g.err == -EINTR ? FBH_ERR_INTR :
			    FBH_ERR_FILE,
			    "%s: reading %s: %s (the rest was sent as zeros, nothing flashed)",
			    cmd, file, src->why ? src->why : strerror(-g.err));
	return ret;
}

struct mem_src {
	struct fbh_src src;
	const u8 *p;
};

static int mem_read(struct fbh_src *src, void *buf, size_t len)
{
	struct mem_src *m = (struct mem_src *)src;

	memcpy(buf, m->p, len);
	m->p += len;
	return 0;
}

struct fd_src {
	struct fbh_src src;
	int fd;
	u64 off;
};

static int fd_read(struct fbh_src *src, void *buf, size_t len)
{
	struct fd_src *f = (struct fd_src *)src;
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = pread(f->fd, (u8 *)buf + got, len - got,
			  (off_t)(f->off + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -EIO;	/* EOF: file shrank */
		got += (size_t)n;
	}
	f->off += len;
	return 0;
}

struct split_src {
	struct fbh_src src;
	struct fb_split_reader r;
};

static int split_read(struct fbh_src *src, void *buf, size_t len)
{
	struct fb_split_reader *r = &((struct split_src *)src)->r;
	int ret = fb_split_read(r, buf, len);

	if (ret && r->s->in)
		src->why = r->s->in->why;
	return ret;
}

/* An image sent whole, read through fb-image.h. */
struct image_src {
	struct fbh_src src;
	struct fb_image *im;
	u64 off;
};

static int image_read(struct fbh_src *src, void *buf, size_t len)
{
	struct image_src *i = (struct image_src *)src;
	int ret = fb_image_read(i->im, i->off, buf, len);

	if (ret) {
		src->why = i->im->why;
		return ret;
	}
	i->off += len;
	return 0;
}

static void prog_begin(struct fbh_dev *d, const char *what, u64 base,
		       u64 total)
{
	d->prog_what = what;
	d->prog_base = base;
	d->prog_total = total;
}

int fbh_download(struct fbh_dev *d, const void *buf, uint32_t len)
{
	struct mem_src m = { .src.read = mem_read, .p = buf };
	int ret;

	prog_begin(d, "download", 0, len);
	ret = download_src(d, &m.src, len, "the buffer");
	prog_begin(d, NULL, 0, 0);
	return ret;
}

int fbh_download_fd(struct fbh_dev *d, int fd, off_t off, uint32_t len)
{
	struct fd_src f = { .src.read = fd_read, .fd = fd, .off = (u64)off };
	int ret;

	prog_begin(d, "download", 0, len);
	ret = download_src(d, &f.src, len, "the file");
	prog_begin(d, NULL, 0, 0);
	return ret;
}

struct fd_sink {
	struct fbh_sink sink;
	int fd;
	int err;
};

static int fd_write(struct fbh_sink *sink, const void *buf, size_t len)
{
	struct fd_sink *f = (struct fd_sink *)sink;
	const u8 *p = buf;
	ssize_t n;

	while (len) {
		n = write(f->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			f->err = n ? -errno : -EIO;
			return f->err;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* @cmd answered DATA @size: receive it into @fd, then OKAY. */
static int receive(struct fbh_dev *d, const char *cmd, u32 size, int fd)
{
	struct fd_sink f = { .sink.write = fd_write, .fd = fd };
	int ret;

	fbh_xfer_progress(d, 0);
	if (size) {
		ret = fbt_recv(d, &f.sink, size);
		if (ret && f.err)
			return fail(d, ret, FBH_ERR_FILE,
				    "%.64s: writing the output file: %s", cmd,
				    strerror(-f.err));
		if (ret == -EPROTO)
			return fail(d, ret, FBH_ERR_PROTOCOL,
				    "%.64s: the device sent less than the %u bytes it announced",
				    cmd, size);
		if (ret)
			return xfer_fail(d, cmd, ret);
	}
	return read_answer(d, cmd, NULL, 0, NULL, NULL);
}

int fbh_upload(struct fbh_dev *d, int fd, uint64_t *got)
{
	bool is_data;
	u32 size;
	int ret;

	if (got)
		*got = 0;
	ret = command(d, "upload", NULL, 0, &size, &is_data);
	if (ret)
		return ret;
	if (!is_data)
		return fail(d, -EPROTO, FBH_ERR_PROTOCOL,
			    "upload: device answered OKAY instead of DATA");
	prog_begin(d, "upload", 0, size);
	ret = receive(d, "upload", size, fd);
	prog_begin(d, NULL, 0, 0);
	if (!ret && got)
		*got = size;
	return ret;
}

/* "0x1234" or "1234" (hex, as fastboot reads partition-size) */
static int parse_hex64(const char *s, u64 *v)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 16);
	while (isspace((unsigned char)*end))
		end++;
	return errno || *end || end == s ? -EINVAL : 0;
}

/* max-download-size: "0x..." hex or decimal (fastboot's ParseUint) */
static int parse_uint(const char *s, u64 *v)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ?
		      16 : 10);
	while (isspace((unsigned char)*end))
		end++;
	return errno || *end || end == s ? -EINVAL : 0;
}

int fbh_getvar_opt(struct fbh_dev *d, const char *var, char *val,
		   size_t len)
{
	int ret = fbh_getvar(d, var, val, len);

	if (ret == -EREMOTEIO) {
		d->kind = FBH_ERR_NONE;
		d->err[0] = '\0';
		return 0;
	}
	return ret ? ret : 1;
}

int fbh_fetch(struct fbh_dev *d, const char *part, uint64_t off,
	      uint64_t size, int fd, uint64_t *got)
{
	char val[RESP_READ], cmd[FASTBOOT_CMD_ID_MAX + 1], what[96];
	u64 max_fetch = 0, psize, n, done = 0, total;
	bool is_data, to_end = false;
	u32 dsize;
	int ret;

	if (got)
		*got = 0;
	ret = fbh_getvar_opt(d, "max-fetch-size", val, sizeof(val));
	if (ret < 0)
		return ret;
	if (ret && (parse_uint(val, &max_fetch) || !max_fetch))
		max_fetch = 0;
	if (!size) {
		snprintf(cmd, sizeof(cmd), "partition-size:%s", part);
		ret = fbh_getvar_opt(d, cmd, val, sizeof(val));
		if (ret < 0)
			return ret;
		if (ret && !parse_hex64(val, &psize)) {
			if (off >= psize)
				return fail(d, -EINVAL, FBH_ERR_ARG,
					    "fetch:%s: offset %llu is not inside the partition (%llu bytes)",
					    part, (unsigned long long)off,
					    (unsigned long long)psize);
			size = psize - off;
		} else {
			to_end = true;	/* one request, the device decides */
		}
	}
	total = size;
	snprintf(what, sizeof(what), "fetch %s", part);
	prog_begin(d, what, 0, total);
	do {
		n = size - done;
		if (max_fetch && n > max_fetch)
			n = max_fetch;
		if (n > DL_MAX)
			n = DL_MAX & ~0xfffull;
		if (to_end)
			snprintf(cmd, sizeof(cmd), "fetch:%s:0x%llx", part,
				 (unsigned long long)off);
		else
			snprintf(cmd, sizeof(cmd), "fetch:%s:0x%llx:0x%llx",
				 part, (unsigned long long)(off + done),
				 (unsigned long long)n);
		ret = command(d, cmd, NULL, 0, &dsize, &is_data);
		if (ret)
			break;
		if (!is_data) {
			ret = fail(d, -EPROTO, FBH_ERR_PROTOCOL,
				   "%s: device answered OKAY instead of DATA",
				   cmd);
			break;
		}
		if (to_end) {
			n = dsize;
			total = dsize;
			d->prog_total = total;
		} else if (dsize > n) {
			ret = fail(d, -EPROTO, FBH_ERR_PROTOCOL,
				   "%s: device answered DATA%08x, more than asked for",
				   cmd, dsize);
			break;
		}
		d->prog_base = done;
		ret = receive(d, cmd, dsize, fd);
		if (ret)
			break;
		done += dsize;
		if (got)
			*got = done;
		if (dsize < n)
			break;	/* the device stopped at the end */
	} while (!to_end && done < size);
	prog_begin(d, NULL, 0, 0);
	return ret;
}

int fbh_fetch_sink(struct fbh_dev *d, const char *part, u64 off, u64 size,
		   struct fbh_sink *sink)
{
	char cmd[FASTBOOT_CMD_ID_MAX + 1];
	bool is_data;
	u32 dsize;
	int ret;

	if (!size || size > DL_MAX)
		return fail(d, -EINVAL, FBH_ERR_ARG,
			    "fetch:%.64s: %llu bytes asked for", part,
			    (unsigned long long)size);
	snprintf(cmd, sizeof(cmd), "fetch:%s:0x%llx:0x%llx", part,
		 (unsigned long long)off, (unsigned long long)size);
	ret = command(d, cmd, NULL, 0, &dsize, &is_data);
	if (ret)
		return ret;
	if (!is_data)
		return fail(d, -EPROTO, FBH_ERR_PROTOCOL,
			    "%s: device answered OKAY instead of DATA", cmd);
	if (dsize != size)
		return fail(d, -EPROTO, FBH_ERR_PROTOCOL,
			    "%s: device answered DATA%08x, not the size asked for",
			    cmd, dsize);
	fbh_xfer_progress(d, 0);
	ret = fbt_recv(d, sink, size);
	if (ret == -EPROTO)
		return fail(d, ret, FBH_ERR_PROTOCOL,
			    "%.64s: the device sent less than the %u bytes it announced",
			    cmd, dsize);
	if (ret)
		return xfer_fail(d, cmd, ret);
	return read_answer(d, cmd, NULL, 0, NULL, NULL);
}

/* ---- flash ---- */

int fbh_max_download(struct fbh_dev *d, u64 *max)
{
	char val[RESP_READ];
	u64 v;
	int ret;

	if (!d->max_dl_state) {
		ret = fbh_getvar_opt(d, "max-download-size", val, sizeof(val));
		if (ret < 0)
			return ret;
		if (ret && !parse_uint(val, &v) && v) {
			d->max_dl = v > DL_MAX ? (u32)DL_MAX : (u32)v;
			d->max_dl_state = 1;
		} else {
			d->max_dl_state = -1;
		}
	}
	if (d->max_dl_state > 0) {
		*max = d->max_dl;
		if (d->max_dl_cap && d->max_dl_cap < *max)
			*max = d->max_dl_cap;
		return 1;
	}
	if (d->max_dl_cap) {
		*max = d->max_dl_cap;
		return 1;
	}
	return 0;
}

/* The image failed while it was sent or checked: nothing of it flashed. */
static int image_fail(struct fbh_dev *d, const char *cmd, const char *path,
		      struct fb_image *im, int ret)
{
	return fail(d, ret, ret == -EINTR ? FBH_ERR_INTR : FBH_ERR_FILE,
		    "%s: %s: %s", cmd, path, im->why);
}

/*
 * After piece @i (0-based) failed before its flash command: what the
 * partition holds now (fastboot-lite(1), "IMAGES").
 */
static void note_partial(struct fbh_dev *d, const struct fb_image *im,
			 size_t i)
{
	const struct fb_split *s = &im->split;
	size_t len = strlen(d->err);

	if (!i) {
		snprintf(d->err + len, sizeof(d->err) - len,
			 " (sparse piece 1 of %zu: nothing was written)",
			 s->npieces);
		return;
	}
	snprintf(d->err + len, sizeof(d->err) - len,
		 " (sparse piece %zu of %zu; pieces 1-%zu were flashed: the image's %s below byte %llu are written, nothing at or after it)",
		 i + 1, s->npieces, i, im->mapped ? "mapped blocks" : "blocks",
		 (unsigned long long)s->piece[i - 1].end_blk * s->blk_sz);
}

/*
 * The pieces of @im in turn. The last one is flashed only once the whole
 * image has proved good (fb_image_finish()): a decompressor reports a
 * broken stream at its end, after it has handed out the data.
 */
static int flash_pieces(struct fbh_dev *d, const char *part,
			const char *path, struct fb_image *im,
			struct fbh_flash_info *info)
{
	struct split_src src = { .src.read = split_read };
	struct fb_split *s = &im->split;
	char cmd[FASTBOOT_CMD_ID_MAX + 1], what[96];
	size_t i, len;
	u64 base = 0;
	int ret = 0;

	snprintf(cmd, sizeof(cmd), "flash:%s", part);
	for (i = 0; i < s->npieces; i++) {
		snprintf(what, sizeof(what), "flash %s %zu/%zu", part, i + 1,
			 s->npieces);
		prog_begin(d, what, base, s->total_bytes);
		fb_split_reader_init(&src.r, s, i);
		src.src.why = NULL;
		ret = download_src(d, &src.src, s->piece[i].bytes, path);
		if (!ret) {
			info->sent_bytes += s->piece[i].bytes;
			if (i + 1 == s->npieces) {
				ret = fb_image_finish(im);
				if (ret)
					ret = image_fail(d, cmd, path, im, ret);
			}
		}
		if (ret) {
			if (s->npieces > 1 || im->mapped)
				note_partial(d, im, i);
			return ret;
		}
		ret = command(d, cmd, NULL, 0, NULL, NULL);
		if (ret) {
			len = strlen(d->err);
			if (i)
				snprintf(d->err + len, sizeof(d->err) - len,
					 " (sparse piece %zu of %zu)", i + 1,
					 s->npieces);
			return ret;
		}
		info->flashed++;
		base += s->piece[i].bytes;
	}
	/* a bmap that maps nothing: nothing sent, the image still checked */
	if (!s->npieces) {
		ret = fb_image_finish(im);
		if (ret)
			ret = image_fail(d, cmd, path, im, ret);
	}
	return ret;
}

/* " (uncompressed, padded to 4 KiB)": how @out differs from the file. */
static const char *size_note(const struct fb_image *im, u64 out, char *buf,
			     size_t size)
{
	const char *pad = im->sparse ? "expanded" : out == im->size ? NULL :
			  im->mapped ? "padded to a block" : "padded to 4 KiB";

	if (im->fmt == DECOMP_PLAIN && !pad)
		return "";
	snprintf(buf, size, " (%s%s%s)",
		 im->fmt != DECOMP_PLAIN ? "uncompressed" : "",
		 im->fmt != DECOMP_PLAIN && pad ? ", " : "", pad ? pad : "");
	return buf;
}

int fbh_flash(struct fbh_dev *d, const char *part, const char *path)
{
	return fbh_flash_image(d, part, path, NULL, NULL);
}

int fbh_flash_image(struct fbh_dev *d, const char *part, const char *path,
		    const struct fbh_flash_opts *o,
		    struct fbh_flash_info *info)
{
	char cmd[FASTBOOT_CMD_ID_MAX + 1], val[RESP_READ], what[96];
	const struct fbh_flash_opts none = { 0 };
	struct fbh_flash_info dummy;
	struct fb_image im;
	u64 max = 0, out, psize;
	bool split, has_max;
	int ret;

	if (!o)
		o = &none;
	if (!info)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	if (!part[0] || strlen(part) > FASTBOOT_CMD_ID_MAX - 6)
		return fail(d, -EINVAL, FBH_ERR_ARG, "flash: bad partition name");
	snprintf(cmd, sizeof(cmd), "flash:%s", part);
	ret = fb_image_open(&im, path, o->bmap, o->no_bmap, d->cancel);
	if (ret)
		return image_fail(d, cmd, path, &im, ret);
	if (im.fmt != DECOMP_PLAIN)
		info->compression = decomp_name(im.fmt);
	if (strlen(im.bmap_path) < sizeof(info->bmap))
		strcpy(info->bmap, im.bmap_path);
	info->image_bytes = im.size;
	info->mapped_bytes = fb_image_mapped_bytes(&im);
	ret = fbh_max_download(d, &max);
	if (ret < 0)
		goto out;
	has_max = ret;
	/* a bmap's DONT_CARE chunks need a sparse image, even a small one */
	split = im.mapped || (has_max && im.size > max);
	if (!has_max && !im.mapped && im.size > DL_MAX) {
		ret = fail(d, -EFBIG, FBH_ERR_FILE,
			   "%s: %s is %llu bytes%s; the device gives no max-download-size and one download carries at most 4 GiB - 1",
			   cmd, path, (unsigned long long)im.size,
			   im.fmt != DECOMP_PLAIN ? " uncompressed" : "");
		goto out;
	}
	out = im.out_size;
	if (split) {
		ret = fb_image_describe(&im);
		if (ret) {
			ret = image_fail(d, cmd, path, &im, ret);
			goto out;
		}
		ret = fb_split_plan(&im.split, has_max ? max : DL_MAX);
		if (ret) {
			ret = fail(d, ret, FBH_ERR_FILE, "%s: %s: %s", cmd,
				   path, im.split.why);
			goto out;
		}
		out = fb_split_out_size(&im.split);
		info->pieces = (u32)im.split.npieces;
	}
	/* refuse what cannot fit before anything is sent */
	snprintf(what, sizeof(what), "partition-size:%.80s", part);
	ret = fbh_getvar_opt(d, what, val, sizeof(val));
	if (ret < 0)
		goto out;
	if (ret && !parse_hex64(val, &psize) && out > psize) {
		ret = fail(d, -EFBIG, FBH_ERR_FILE,
			   "%s: %s%s is %llu bytes, partition '%s' holds %llu: nothing written",
			   cmd, path, size_note(&im, out, what, sizeof(what)),
			   (unsigned long long)out, part,
			   (unsigned long long)psize);
		goto out;
	}
	if (split) {
		ret = flash_pieces(d, part, path, &im, info);
	} else {
		struct image_src f = { .src.read = image_read, .im = &im };

		snprintf(what, sizeof(what), "flash %s", part);
		prog_begin(d, what, 0, im.size);
		ret = download_src(d, &f.src, im.size, path);
		if (!ret) {
			info->sent_bytes = im.size;
			/* a compressed image must prove intact to the end */
			ret = fb_image_finish(&im);
			if (ret)
				ret = image_fail(d, cmd, path, &im, ret);
		}
		if (!ret)
			ret = command(d, cmd, NULL, 0, NULL, NULL);
		if (!ret)
			info->flashed = 1;
	}
	prog_begin(d, NULL, 0, 0);
out:
	fb_image_close(&im);
	return ret;
}
