// SPDX-License-Identifier: GPL-2.0
/*
 * Image source: bmap ranges of a plain or compressed image, verified as
 * they are read. See img-source.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imxflash/fastboot_cmd.h>	/* __printf */

#include "img-source.h"

static __printf(3, 4)
int fail(struct imgsrc *s, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
	s->err = err;
	return err;
}

/* "range 3 of 48 (blocks 9-10, bmap line 40)" */
static void range_name(const struct imgsrc *s, char *buf, size_t size)
{
	const struct imgsrc_range *r = &s->cur;

	if (!s->map) {
		snprintf(buf, size, "the image");
		return;
	}
	snprintf(buf, size, "range %zu of %zu (blocks %llu-%llu, bmap line %u)",
		 r->index + 1, s->map->nranges, (unsigned long long)r->first,
		 (unsigned long long)r->last, r->line);
}

/* An error of the stream, said with where it happened. */
static int stream_fail(struct imgsrc *s, int err)
{
	char where[96];

	if (s->in_range && s->map) {
		range_name(s, where, sizeof(where));
		return fail(s, err, "%s: %s", where, s->z.why);
	}
	return fail(s, err, "%s", s->z.why);
}

/*
 * decomp_read() resumed across signals that are not a cancel; the
 * digest of the whole image follows every byte.
 */
static ssize_t stream_read(struct imgsrc *s, void *buf, size_t len)
{
	ssize_t n;

	for (;;) {
		n = decomp_read(&s->z, buf, len);
		if (n == -EINTR && !(s->cancel && *s->cancel))
			continue;
		if (n < 0)
			return stream_fail(s, (int)n);
		if (s->flags & IMGSRC_HASH_IMAGE)
			sha256_update(&s->img, buf, (size_t)n);
		return n;
	}
}

/* Skip @len bytes: seek when nothing has to see them. */
static int stream_skip(struct imgsrc *s, u64 len)
{
	u64 from = imgsrc_pos(s);
	ssize_t n;
	int ret;

	if (!(s->flags & IMGSRC_HASH_IMAGE)) {
		do {
			ret = decomp_skip(&s->z, len - (imgsrc_pos(s) - from),
					  s->scratch, IMGSRC_SCRATCH);
		} while (ret == -EINTR && !(s->cancel && *s->cancel));
		return ret ? stream_fail(s, ret == -ENODATA ? -EBADMSG : ret) :
			     0;
	}
	while (imgsrc_pos(s) - from < len) {
		u64 want = len - (imgsrc_pos(s) - from);

		n = stream_read(s, s->scratch, want < IMGSRC_SCRATCH ?
				(size_t)want : IMGSRC_SCRATCH);
		if (n < 0)
			return (int)n;
		if (!n)
			return fail(s, -EBADMSG,
				    "the image ends at byte %llu; the bmap says ImageSize %llu",
				    (unsigned long long)imgsrc_pos(s),
				    (unsigned long long)s->size);
	}
	return 0;
}

int imgsrc_open(struct imgsrc *s, const char *path, const struct bmap *map,
		unsigned int flags)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->map = map;
	s->flags = flags;
	if (flags & IMGSRC_HASH_IMAGE)
		sha256_init(&s->img);
	s->scratch = malloc(IMGSRC_SCRATCH);
	if (!s->scratch)
		return fail(s, -ENOMEM, "out of memory");
	ret = decomp_open(&s->z, path);
	if (ret) {
		fail(s, ret, "%s", s->z.why);
		goto err;
	}
	if (map) {
		s->size = map->image_size;
		if (s->z.fmt == DECOMP_PLAIN && s->z.in_size != map->image_size) {
			ret = fail(s, -EBADMSG,
				   "the image has %llu bytes, the bmap says ImageSize %llu",
				   (unsigned long long)s->z.in_size,
				   (unsigned long long)map->image_size);
			goto err;
		}
	} else {
		s->size = s->z.fmt == DECOMP_PLAIN ? s->z.in_size :
			  IMGSRC_LEN_UNKNOWN;
	}
	return 0;
err:
	decomp_close(&s->z);
	free(s->scratch);
	s->scratch = NULL;
	return ret;
}

ssize_t imgsrc_read(struct imgsrc *s, void *buf, size_t len)
{
	u8 got[DIGEST_MAX_LEN];
	char want_hex[2 * DIGEST_MAX_LEN + 1], got_hex[2 * DIGEST_MAX_LEN + 1];
	char where[96];
	const struct bmap_range *br;
	size_t done = 0;
	ssize_t n;

	if (s->err)
		return s->err;
	if (!s->in_range)
		return fail(s, -EINVAL, "read outside a range");
	if ((u64)len > s->left)
		len = (size_t)s->left;
	while (done < len) {
		n = stream_read(s, (u8 *)buf + done, len - done);
		if (n < 0)
			return n;
		if (!n) {
			if (s->left == IMGSRC_LEN_UNKNOWN) {
				/* the end of an image of unknown length */
				s->left = 0;
				s->cur.len = imgsrc_pos(s) - s->cur.off;
				return (ssize_t)done;
			}
			range_name(s, where, sizeof(where));
			return fail(s, -EBADMSG,
				    "%s: the image ends at byte %llu, the bmap says ImageSize %llu",
				    where, (unsigned long long)imgsrc_pos(s),
				    (unsigned long long)s->size);
		}
		if (s->dc.type != DIGEST_NONE)
			digest_update(&s->dc, (u8 *)buf + done, (size_t)n);
		done += (size_t)n;
	}
	if (s->left != IMGSRC_LEN_UNKNOWN)
		s->left -= done;
	if (s->left || s->dc.type == DIGEST_NONE)
		return (ssize_t)done;
	/* the range's last bytes: hand them out only if it is intact */
	br = &s->map->range[s->cur.index];
	digest_final(&s->dc, got);
	s->dc.type = DIGEST_NONE;
	if (memcmp(got, br->digest, br->digest_len)) {
		range_name(s, where, sizeof(where));
		digest_to_hex(got, br->digest_len, got_hex);
		digest_to_hex(br->digest, br->digest_len, want_hex);
		return fail(s, -EBADMSG,
			    "%s: %s of the image's bytes %llu-%llu is %s, the bmap says %s",
			    where, digest_name(s->map->type),
			    (unsigned long long)s->cur.off,
			    (unsigned long long)(s->cur.off + s->cur.len - 1),
			    got_hex, want_hex);
	}
	return (ssize_t)done;
}

/* The rest of the current range, read (and so verified) and dropped. */
static int finish_range(struct imgsrc *s)
{
	ssize_t n;

	while (s->left) {
		n = imgsrc_read(s, s->scratch, IMGSRC_SCRATCH);
		if (n < 0)
			return (int)n;
		if (!n)
			break;
	}
	s->in_range = false;
	return 0;
}

/* After the last range: the image must end at its size, intact. */
static int finish_image(struct imgsrc *s)
{
	ssize_t n;
	int ret;

	if (s->map) {
		ret = stream_skip(s, s->size - imgsrc_pos(s));
		if (ret)
			return ret;
		n = stream_read(s, s->scratch, IMGSRC_SCRATCH);
		if (n < 0)
			return (int)n;
		if (n)
			return fail(s, -EBADMSG,
				    "the image is longer than the bmap's ImageSize %llu",
				    (unsigned long long)s->size);
	}
	if (s->flags & IMGSRC_HASH_IMAGE)
		sha256_final(&s->img, s->img_digest);
	s->done = true;
	return 0;
}

int imgsrc_next(struct imgsrc *s, struct imgsrc_range *r)
{
	const struct bmap_range *br;
	int ret;

	if (s->err)
		return s->err;
	if (s->done)
		return 0;
	if (s->in_range) {
		ret = finish_range(s);
		if (ret)
			return ret;
	}
	if (!s->map) {
		if (s->next)
			return finish_image(s);
		memset(&s->cur, 0, sizeof(s->cur));
		s->cur.len = s->size;
		s->left = s->size;
		s->dc.type = DIGEST_NONE;
	} else {
		if (s->next == s->map->nranges) {
			ret = finish_image(s);
			return ret;
		}
		br = &s->map->range[s->next];
		memset(&s->cur, 0, sizeof(s->cur));
		s->cur.index = s->next;
		s->cur.first = br->first;
		s->cur.last = br->last;
		s->cur.off = bmap_range_offset(s->map, br);
		s->cur.len = bmap_range_bytes(s->map, br);
		s->cur.line = br->line;
		ret = stream_skip(s, s->cur.off - imgsrc_pos(s));
		if (ret)
			return ret;
		s->left = s->cur.len;
		if (br->digest_len)
			digest_init(&s->dc, s->map->type);
		else
			s->dc.type = DIGEST_NONE;
	}
	s->next++;
	s->in_range = true;
	*r = s->cur;
	return 1;
}

int imgsrc_image_sha256(const struct imgsrc *s, u8 out[SHA256_DIGEST_LEN])
{
	if (!s->done || !(s->flags & IMGSRC_HASH_IMAGE))
		return -EAGAIN;
	memcpy(out, s->img_digest, SHA256_DIGEST_LEN);
	return 0;
}

void imgsrc_close(struct imgsrc *s)
{
	decomp_close(&s->z);
	free(s->scratch);
	s->scratch = NULL;
}
