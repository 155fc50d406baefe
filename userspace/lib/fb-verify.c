// SPDX-License-Identifier: GPL-2.0
/*
 * fastboot host library: verify a partition against an image (see
 * fb-host.h, fbh_verify_image(), and fastboot-lite(1), "VERIFY").
 *
 * Two ways, chosen by what the device answers:
 *  - "oem sha256" (getvar:oem-sha256 is "yes", usb_f_fastboot): the
 *    ranges the image defines are staged as a download and the device
 *    hashes them, reading its storage; a thread hashes the image on the
 *    host meanwhile. Equal digests end it. Else fbr_bisect() asks both
 *    sides for digests of halves until the first differing range and the
 *    first differing block in it are known.
 *  - fetch (getvar:max-fetch-size is answered, as by Android's fastbootd):
 *    the ranges are read back in pieces of at most max-fetch-size and
 *    compared byte for byte as they arrive.
 * A device with neither (U-Boot) cannot verify: FBH_ERR_NOVERIFY, never
 * a success. "upload" is no way either: it returns what the host
 * downloaded (or the device staged), not what the storage holds.
 *
 * Memory: the map of the image (a few dozen bytes per range), the range
 * list as text, 256 KiB of hashing buffer per side; never the image.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imxflash/fastboot_cmd.h>

#include "digest.h"
#include "fb-image.h"
#include "fb-int.h"
#include "fb-ranges.h"

#define VERIFY_GRAIN	4096u		/* a mismatch is narrowed to this */
#define MBR_BYTES	512u		/* what "flash:mbr" writes of an image */
#define FETCH_PIECE	(16u << 20)	/* most bytes one fetch asks for */
#define DIGEST_TAG	"sha256 "	/* the answer's INFO lines */

enum { VERIFY_NONE, VERIFY_SHA256, VERIFY_FETCH };

struct verify;

/* RAW data of the image, for fbr_read(). */
struct vsrc {
	struct fbr_src src;
	struct verify *v;
};

/* A batch of ranges whose list fits one download. */
struct batch {
	size_t lo, n;
	u8 host[SHA256_DIGEST_LEN];
	u8 dev[SHA256_DIGEST_LEN];
};

struct verify {
	struct fbh_dev *d;
	const char *part;
	const char *path;
	struct fb_image im;
	bool im_open;
	struct fbr_map map;
	struct vsrc src;
	volatile int stop;	/* the host side gives up */
	/* oem sha256 */
	struct fbr_oracle oracle;
	struct batch *batch;
	size_t nbatch;
	int host_err;		/* of the host thread */
	char hex[2 * SHA256_DIGEST_LEN + 1];
	unsigned int halves;	/* bit 0, 1: that half of @hex arrived */
	struct fbh_callbacks cb;	/* the caller's, while ours are set */
	/* fetch */
	u64 max_fetch;
	struct fbh_verify_info *info;
};

static __printf(4, 5) int fail(struct verify *v, int ret,
			       enum fbh_err_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->d->err, sizeof(v->d->err), fmt, ap);
	va_end(ap);
	v->d->kind = kind;
	return ret;
}

/* The image failed to read: the reason is the image's. */
static int image_fail(struct verify *v, int ret)
{
	return fail(v, ret, ret == -EINTR ? FBH_ERR_INTR : FBH_ERR_FILE,
		    "verify:%s: %s: %s", v->part, v->path,
		    ret == -EINTR ? "interrupted" : v->im.why);
}

static int src_read(struct fbr_src *src, u64 off, void *buf, size_t len)
{
	struct verify *v = ((struct vsrc *)src)->v;
	struct fb_image *im = &v->im;
	int ret;

	if (v->stop)
		return -ECANCELED;
	/* an image read in order starts again for data behind it */
	if (im->fd < 0 && im->src_open && off < imgsrc_pos(&im->src)) {
		ret = fb_image_rewind(im);
		if (ret)
			return ret;
	}
	return fb_image_read(im, off, buf, len);
}

/* ---- oem sha256 ---- */

/* INFO lines of "oem sha256": the digest's halves; the rest goes on. */
static void cb_info(void *ctx, const char *text)
{
	struct verify *v = ctx;
	size_t t = strlen(DIGEST_TAG);
	unsigned int half;

	if (!strncmp(text, DIGEST_TAG, t) && (text[t] == '1' || text[t] == '2') &&
	    !strncmp(text + t + 1, "/2 ", 3) && strlen(text + t + 4) == 32) {
		half = (unsigned int)(text[t] - '1');
		memcpy(v->hex + 32 * half, text + t + 4, 32);
		v->halves |= 1u << half;
		return;
	}
	if (v->cb.info)
		v->cb.info(v->cb.ctx, text);
}

static void cb_progress(void *ctx, const char *what, uint64_t done,
			uint64_t total)
{
	struct verify *v = ctx;

	if (v->cb.progress)
		v->cb.progress(v->cb.ctx, what, done, total);
}

static void cb_trace(void *ctx, char dir, const char *text)
{
	struct verify *v = ctx;

	if (v->cb.trace)
		v->cb.trace(v->cb.ctx, dir, text);
}

/* The device's digest of @n spans: staged as a download, then hashed. */
static int device_digest(struct verify *v, const struct fbr_span *sp,
			 size_t n, u8 out[SHA256_DIGEST_LEN])
{
	struct fbh_callbacks mine = {
		.info = cb_info, .ctx = v,
		.progress = v->cb.progress ? cb_progress : NULL,
		.trace = v->cb.trace ? cb_trace : NULL,
	};
	char cmd[FASTBOOT_CMD_ID_MAX + 1];
	size_t len;
	char *text;
	int ret;

	text = fbr_text(sp, n, &len);
	if (!text)
		return fail(v, -ENOMEM, FBH_ERR_FILE, "verify:%s: out of memory",
			    v->part);
	ret = fbh_download(v->d, text, (uint32_t)len);
	free(text);
	if (ret)
		return ret;
	snprintf(cmd, sizeof(cmd), "oem sha256 %s", v->part);
	v->halves = 0;
	v->d->cb = mine;
	ret = fbh_command(v->d, cmd, NULL, 0, NULL);
	v->d->cb = v->cb;
	v->info->questions++;
	if (ret)
		return ret;
	if (v->halves != 3 ||
	    digest_from_hex(v->hex, 2 * SHA256_DIGEST_LEN, out,
			    SHA256_DIGEST_LEN))
		return fail(v, -EPROTO, FBH_ERR_PROTOCOL,
			    "%s: OKAY without the digest (two INFO lines '%s1/2 <32 hex digits>', '%s2/2 ...')",
			    cmd, DIGEST_TAG, DIGEST_TAG);
	return 0;
}

static int oracle_device(struct fbr_oracle *o, const struct fbr_span *sp,
			 size_t n, u8 out[SHA256_DIGEST_LEN])
{
	return device_digest((struct verify *)((char *)o -
			     offsetof(struct verify, oracle)), sp, n, out);
}

static int oracle_host(struct fbr_oracle *o, const struct fbr_span *sp,
		       size_t n, u8 out[SHA256_DIGEST_LEN])
{
	struct verify *v = (struct verify *)((char *)o -
					     offsetof(struct verify, oracle));
	int ret = fbr_hash(&v->map, &v->src.src, sp, n, out);

	return ret ? image_fail(v, ret) : 0;
}

/* Cut the ranges into batches whose lists fit a download of @max bytes. */
static int make_batches(struct verify *v, u64 max)
{
	size_t lo = 0, n;

	if (max > 64u << 20)
		max = 64u << 20;	/* a list that big is a lot of ranges */
	while (lo < v->map.nrange) {
		n = fbr_fit(v->map.range, lo, v->map.nrange, (size_t)max);
		if (!n)
			return fail(v, -EINVAL, FBH_ERR_ARG,
				    "verify:%s: max-download-size %llu cannot hold one range of the list",
				    v->part, (unsigned long long)max);
		v->batch = realloc(v->batch, (v->nbatch + 1) * sizeof(*v->batch));
		if (!v->batch)
			return fail(v, -ENOMEM, FBH_ERR_FILE,
				    "verify:%s: out of memory", v->part);
		v->batch[v->nbatch].lo = lo;
		v->batch[v->nbatch].n = n;
		v->nbatch++;
		lo += n;
	}
	return 0;
}

/* The host side: every batch's digest, then the whole image checked. */
static void *host_thread(void *arg)
{
	struct verify *v = arg;
	size_t i;
	int ret = 0;

	for (i = 0; i < v->nbatch && !ret; i++)
		ret = fbr_hash(&v->map, &v->src.src,
			       v->map.range + v->batch[i].lo, v->batch[i].n,
			       v->batch[i].host);
	/* a decompressor says at its end whether the stream was intact */
	if (!ret)
		ret = fb_image_finish(&v->im);
	v->host_err = ret;
	return NULL;
}

static void name_mismatch(struct verify *v, const char *how)
{
	struct fbh_verify_info *info = v->info;

	fail(v, -EILSEQ, FBH_ERR_MISMATCH,
	     "verify:%s: partition %s differs from %s: range %u of %u (bytes 0x%llx-0x%llx), first difference in bytes 0x%llx-0x%llx (%s)",
	     v->part, v->part, v->path, info->bad_range, info->ranges,
	     (unsigned long long)info->bad_off,
	     (unsigned long long)(info->bad_off + info->bad_len - 1),
	     (unsigned long long)info->diff_off,
	     (unsigned long long)(info->diff_off + info->diff_len - 1), how);
}

static int verify_sha256(struct verify *v)
{
	struct fbh_verify_info *info = v->info;
	struct fbr_diff diff;
	pthread_t th;
	size_t i, bad;
	u64 max;
	int ret, dev_ret = 0;

	ret = fbh_max_download(v->d, &max);
	if (ret < 0)
		return ret;
	ret = make_batches(v, ret ? max : 0xffffffffull);
	if (ret)
		return ret;
	v->oracle.device = oracle_device;
	v->oracle.host = oracle_host;
	v->stop = 0;
	ret = pthread_create(&th, NULL, host_thread, v);
	if (ret)
		return fail(v, -ret, FBH_ERR_FILE,
			    "verify:%s: cannot start a thread: %s", v->part,
			    strerror(ret));
	for (i = 0; i < v->nbatch && !dev_ret; i++)
		dev_ret = device_digest(v, v->map.range + v->batch[i].lo,
					v->batch[i].n, v->batch[i].dev);
	if (dev_ret)
		v->stop = 1;
	pthread_join(th, NULL);
	if (dev_ret)
		return dev_ret;
	if (v->host_err)
		return image_fail(v, v->host_err);

	for (bad = 0; bad < v->nbatch; bad++)
		if (memcmp(v->batch[bad].dev, v->batch[bad].host,
			   SHA256_DIGEST_LEN))
			break;
	if (bad == v->nbatch)
		return 0;
	ret = fbr_bisect(&v->oracle, v->map.range + v->batch[bad].lo,
			 v->batch[bad].n, VERIFY_GRAIN, &diff);
	info->questions += diff.questions;
	if (ret < 0)
		return ret;
	if (ret)
		return fail(v, -EILSEQ, FBH_ERR_MISMATCH,
			    "verify:%s: partition %s differed from %s, but no range differs when asked again: the storage is changing",
			    v->part, v->part, v->path);
	i = v->batch[bad].lo + diff.range;
	info->bad_range = (uint32_t)(i + 1);
	info->bad_off = v->map.range[i].off;
	info->bad_len = v->map.range[i].len;
	info->diff_off = diff.off;
	info->diff_len = diff.len;
	name_mismatch(v, "sha256 on the device");
	return -EILSEQ;
}

/* ---- fetch ---- */

/* Compares what the device sends with the image; takes every byte. */
struct cmp_sink {
	struct fbh_sink sink;
	struct verify *v;
	u64 off;		/* partition offset of the next byte */
	u8 *buf;
	size_t cap;
	int err;		/* of the image */
	bool differs;
	u64 at;			/* the first differing byte */
};

static int cmp_write(struct fbh_sink *sink, const void *data, size_t len)
{
	struct cmp_sink *c = (struct cmp_sink *)sink;
	const u8 *p = data;
	size_t i;
	u8 *n;

	if (!c->err && !c->differs) {
		if (len > c->cap) {
			n = realloc(c->buf, len);
			if (!n) {
				c->err = -ENOMEM;
				goto out;
			}
			c->buf = n;
			c->cap = len;
		}
		c->err = fbr_read(&c->v->map, &c->v->src.src, c->off, c->buf,
				  len);
		if (!c->err && memcmp(c->buf, p, len)) {
			for (i = 0; c->buf[i] == p[i]; i++)
				;
			c->differs = true;
			c->at = c->off + i;
		}
	}
out:
	c->off += len;
	return 0;
}

static int verify_fetch(struct verify *v)
{
	struct cmp_sink c = { .sink.write = cmp_write, .v = v };
	struct fbh_verify_info *info = v->info;
	struct fbh_dev *d = v->d;
	char what[96];
	u64 off, end, n, done = 0;
	size_t i;
	int ret = 0;

	snprintf(what, sizeof(what), "verify %s", v->part);
	d->prog_what = what;
	d->prog_total = v->map.bytes;
	for (i = 0; i < v->map.nrange && !ret; i++) {
		end = v->map.range[i].off + v->map.range[i].len;
		for (off = v->map.range[i].off; off < end && !ret; off += n) {
			n = end - off;
			if (n > v->max_fetch)
				n = v->max_fetch;
			if (n > FETCH_PIECE)
				n = FETCH_PIECE;
			c.off = off;
			d->prog_base = done;
			ret = fbh_fetch_sink(d, v->part, off, n, &c.sink);
			info->questions++;
			done += n;
			if (!ret && c.err)
				ret = image_fail(v, c.err);
			if (!ret && c.differs) {
				info->bad_range = (uint32_t)(i + 1);
				info->bad_off = v->map.range[i].off;
				info->bad_len = v->map.range[i].len;
				info->diff_off = c.at;
				info->diff_len = 1;
				name_mismatch(v, "read back with fetch");
				ret = -EILSEQ;
			}
		}
	}
	d->prog_what = NULL;
	free(c.buf);
	if (!ret) {
		ret = fb_image_finish(&v->im);
		if (ret)
			ret = image_fail(v, ret);
	}
	return ret;
}

/* ---- the whole ---- */

static int parse_num(const char *s, u64 *v, int base)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, base);
	return errno || end == s || *end ? -EINVAL : 0;
}

/* How this device can verify: VERIFY_*, or an error. */
static int choose(struct verify *v, unsigned int flags)
{
	char val[256];
	int ret;

	if (!(flags & FBH_VERIFY_FETCH)) {
		ret = fbh_getvar_opt(v->d, "oem-sha256", val, sizeof(val));
		if (ret < 0)
			return ret;
		if (ret && !strcmp(val, "yes"))
			return VERIFY_SHA256;
	}
	ret = fbh_getvar_opt(v->d, "max-fetch-size", val, sizeof(val));
	if (ret < 0)
		return ret;
	if (ret && !parse_num(val, &v->max_fetch, 0) && v->max_fetch)
		return VERIFY_FETCH;
	return VERIFY_NONE;
}

/* The image must fit the partition (when the device says its size). */
static int check_size(struct verify *v)
{
	const struct fbr_span *last;
	char var[FASTBOOT_CMD_ID_MAX + 1], val[256];
	u64 psize, end;
	int ret;

	if (!v->map.nrange)
		return 0;
	last = &v->map.range[v->map.nrange - 1];
	end = last->off + last->len;
	snprintf(var, sizeof(var), "partition-size:%s", v->part);
	ret = fbh_getvar_opt(v->d, var, val, sizeof(val));
	if (ret <= 0 || parse_num(val, &psize, 16))
		return ret < 0 ? ret : 0;
	if (end > psize)
		return fail(v, -EFBIG, FBH_ERR_FILE,
			    "verify:%s: %s defines bytes up to %llu, partition %s holds %llu",
			    v->part, v->path, (unsigned long long)end, v->part,
			    (unsigned long long)psize);
	return 0;
}

int fbh_verify_image(struct fbh_dev *d, const char *part, const char *path,
		     const struct fbh_flash_opts *o, unsigned int flags,
		     struct fbh_verify_info *info)
{
	struct fbh_verify_info dummy;
	struct verify *v;
	int ret, how;

	if (!info)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	d->kind = FBH_ERR_NONE;
	d->err[0] = '\0';
	if (!part[0] || strlen(part) > FASTBOOT_CMD_ID_MAX - 16) {
		snprintf(d->err, sizeof(d->err), "verify: bad partition name");
		d->kind = FBH_ERR_ARG;
		return -EINVAL;
	}
	/*
	 * A device writes a GPT rebuilt for its disk (the backup header and
	 * entries at its end, the sizes), never the image's bytes.
	 */
	if (!strcmp(part, "gpt")) {
		snprintf(d->err, sizeof(d->err),
			 "verify:gpt: the device writes a table rebuilt for its disk, not the image's bytes: verify the partitions instead");
		d->kind = FBH_ERR_ARG;
		return -EINVAL;
	}
	v = calloc(1, sizeof(*v));
	if (!v) {
		snprintf(d->err, sizeof(d->err), "verify: out of memory");
		d->kind = FBH_ERR_FILE;
		return -ENOMEM;
	}
	v->d = d;
	v->part = part;
	v->path = path;
	v->info = info;
	v->cb = d->cb;
	v->src.src.read = src_read;
	v->src.v = v;

	ret = fb_image_open(&v->im, path, o ? o->bmap : NULL,
			    o ? o->no_bmap : false, d->cancel);
	if (ret) {
		image_fail(v, ret);
		goto out;
	}
	v->im_open = true;
	if (v->im.fmt != DECOMP_PLAIN)
		info->compression = decomp_name(v->im.fmt);
	if (strlen(v->im.bmap_path) < sizeof(info->bmap))
		strcpy(info->bmap, v->im.bmap_path);
	ret = fbr_map_image(&v->map, &v->im);
	if (ret) {
		fail(v, ret, FBH_ERR_FILE, "verify:%s: %s: %s", part, path,
		     v->map.why);
		goto out;
	}
	/* of an "mbr" image only the first sector is written */
	if (!strcmp(part, "mbr"))
		fbr_clip(&v->map, MBR_BYTES);
	info->sparse = v->im.sparse;
	info->bytes = v->map.bytes;
	info->ranges = (uint32_t)v->map.nrange;
	ret = check_size(v);
	if (ret)
		goto out;
	how = choose(v, flags);
	if (how < 0) {
		ret = how;
		goto out;
	}
	if (how == VERIFY_NONE) {
		ret = fail(v, -EOPNOTSUPP, FBH_ERR_NOVERIFY,
			   "verify:%s: this device cannot verify: it answers neither getvar:oem-sha256 (oem sha256)%s nor getvar:max-fetch-size (fetch); nothing was checked",
			   part, flags & FBH_VERIFY_FETCH ? ", not asked for," : "");
		goto out;
	}
	info->method = how == VERIFY_SHA256 ? "sha256" : "fetch";
	/* an image that defines nothing holds nothing to compare */
	if (!v->map.nrange) {
		ret = fb_image_finish(&v->im);
		if (ret)
			ret = image_fail(v, ret);
	} else if (how == VERIFY_SHA256)
		ret = verify_sha256(v);
	else
		ret = verify_fetch(v);
out:
	d->cb = v->cb;
	if (v->im_open)
		fb_image_close(&v->im);
	fbr_free(&v->map);
	free(v->batch);
	free(v);
	return ret;
}
