// SPDX-License-Identifier: GPL-2.0
/*
 * fastboot host library: the ranges an image defines, their digests, and
 * the bisection that finds where a partition differs. See fb-ranges.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imxflash/fastboot_cmd.h>	/* __printf */
#include <imxflash/fastboot_ranges.h>
#include <imxflash/fastboot_sparse.h>

#include "fb-image.h"
#include "fb-ranges.h"

#define HASH_BUF	(256u << 10)

static __printf(3, 4) int fail(struct fbr_map *m, int err, const char *fmt,
			       ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->why, sizeof(m->why), fmt, ap);
	va_end(ap);
	return err;
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	size_t c;
	void *q;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 64;
	q = realloc(*p, c * size);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = c;
	return 0;
}

int fbr_add(struct fbr_map *m, const struct fbr_seg *s)
{
	struct fbr_span *r = m->nrange ? &m->range[m->nrange - 1] : NULL;

	if (!s->len || s->off + s->len < s->off)
		return fail(m, -EINVAL, "segment 0x%llx+0x%llx: empty or past 2^64",
			    s->off, s->len);
	if (r && s->off < r->off + r->len)
		return fail(m, -EINVAL,
			    "segment 0x%llx+0x%llx: before the end of the one before (0x%llx)",
			    s->off, s->len, r->off + r->len);
	if (grow((void **)&m->seg, &m->seg_cap, m->nseg, sizeof(*m->seg)))
		return fail(m, -ENOMEM, "out of memory (%zu segments)", m->nseg);
	m->seg[m->nseg++] = *s;
	m->bytes += s->len;
	if (r && r->off + r->len == s->off) {
		r->len += s->len;
		return 0;
	}
	if (grow((void **)&m->range, &m->range_cap, m->nrange,
		 sizeof(*m->range)))
		return fail(m, -ENOMEM, "out of memory (%zu ranges)", m->nrange);
	m->range[m->nrange].off = s->off;
	m->range[m->nrange].len = s->len;
	m->nrange++;
	return 0;
}

void fbr_free(struct fbr_map *m)
{
	free(m->seg);
	free(m->range);
	m->seg = NULL;
	m->range = NULL;
	m->nseg = m->seg_cap = m->nrange = m->range_cap = 0;
	m->bytes = 0;
}

void fbr_clip(struct fbr_map *m, u64 end)
{
	size_t i;

	while (m->nseg && m->seg[m->nseg - 1].off >= end)
		m->bytes -= m->seg[--m->nseg].len;
	if (m->nseg && m->seg[m->nseg - 1].off + m->seg[m->nseg - 1].len > end) {
		i = m->nseg - 1;
		m->bytes -= m->seg[i].off + m->seg[i].len - end;
		m->seg[i].len = end - m->seg[i].off;
	}
	while (m->nrange && m->range[m->nrange - 1].off >= end)
		m->nrange--;
	if (m->nrange &&
	    m->range[m->nrange - 1].off + m->range[m->nrange - 1].len > end)
		m->range[m->nrange - 1].len = end - m->range[m->nrange - 1].off;
}

int fbr_map_image(struct fbr_map *m, struct fb_image *im)
{
	const struct fb_split *sp = &im->split;
	struct fbr_seg s;
	u64 limit, off, len;
	size_t i;
	int ret;

	memset(m, 0, sizeof(*m));
	if (!im->mapped && !im->sparse) {
		/* a raw image: all of its bytes, as they are in the file */
		memset(&s, 0, sizeof(s));
		s.len = im->size;
		s.raw = true;
		return fbr_add(m, &s);
	}
	ret = fb_image_describe(im);
	if (ret)
		return fail(m, ret, "%s", im->why);
	/* a bmap maps blocks; the image ends at ImageSize */
	limit = im->mapped ? im->size : fb_split_out_size(sp);
	for (i = 0; i < sp->next; i++) {
		const struct fbs_ext *e = &sp->ext[i];

		if (e->type == FASTBOOT_SPARSE_DONT_CARE)
			continue;
		off = (u64)e->blk * sp->blk_sz;
		len = (u64)e->nblks * sp->blk_sz;
		if (off >= limit)
			break;
		if (len > limit - off)
			len = limit - off;
		memset(&s, 0, sizeof(s));
		s.off = off;
		s.len = len;
		s.raw = e->type == FASTBOOT_SPARSE_RAW;
		s.src = e->file_off;
		memcpy(s.fill, e->fill, 4);
		ret = fbr_add(m, &s);
		if (ret)
			return ret;
	}
	return 0;
}

/* The segment holding partition byte @off, or the one after it. */
static size_t seg_at(const struct fbr_map *m, u64 off)
{
	size_t lo = 0, hi = m->nseg, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->seg[mid].off + m->seg[mid].len <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int fbr_read(const struct fbr_map *m, struct fbr_src *src, u64 off,
	     void *buf, size_t len)
{
	size_t i = seg_at(m, off);
	u8 *p = buf;
	u64 in, n, k;
	int ret;

	while (len) {
		const struct fbr_seg *s;

		if (i >= m->nseg || m->seg[i].off > off)
			return -EINVAL;	/* not defined by the image */
		s = &m->seg[i];
		in = off - s->off;
		n = s->len - in < len ? s->len - in : len;
		if (s->raw) {
			ret = src->read(src, s->src + in, p, (size_t)n);
			if (ret)
				return ret;
		} else {
			/* the pattern repeats from the segment's start */
			for (k = 0; k < n; k++)
				p[k] = s->fill[(in + k) % 4];
		}
		p += n;
		off += n;
		len -= (size_t)n;
		i++;
	}
	return 0;
}

int fbr_hash(const struct fbr_map *m, struct fbr_src *src,
	     const struct fbr_span *sp, size_t n, u8 out[SHA256_DIGEST_LEN])
{
	struct sha256_ctx c;
	u64 off, end, k;
	size_t i;
	u8 *buf;
	int ret = 0;

	buf = malloc(HASH_BUF);
	if (!buf)
		return -ENOMEM;
	sha256_init(&c);
	for (i = 0; i < n && !ret; i++) {
		end = sp[i].off + sp[i].len;
		for (off = sp[i].off; off < end && !ret; off += k) {
			k = end - off < HASH_BUF ? end - off : HASH_BUF;
			ret = fbr_read(m, src, off, buf, (size_t)k);
			if (!ret)
				sha256_update(&c, buf, (size_t)k);
		}
	}
	free(buf);
	if (!ret)
		sha256_final(&c, out);
	return ret;
}

char *fbr_text(const struct fbr_span *sp, size_t n, size_t *len)
{
	size_t i, at = 0;
	char *t;

	t = malloc(n * FASTBOOT_RANGE_TEXT_MAX + 1);
	if (!t)
		return NULL;
	t[0] = '\0';
	for (i = 0; i < n; i++)
		at += (size_t)snprintf(t + at, FASTBOOT_RANGE_TEXT_MAX + 1,
				       "0x%llx:0x%llx\n", sp[i].off, sp[i].len);
	*len = at;
	return t;
}

size_t fbr_fit(const struct fbr_span *sp, size_t lo, size_t hi, size_t max)
{
	size_t used = 0, i;
	int n;

	for (i = lo; i < hi; i++) {
		n = snprintf(NULL, 0, "0x%llx:0x%llx\n", sp[i].off, sp[i].len);
		if (used + (size_t)n > max)
			break;
		used += (size_t)n;
	}
	return i - lo;
}

/* Do the two sides differ on @sp[0..@n)? 1 yes, 0 no, or an error. */
static int differ(struct fbr_oracle *o, const struct fbr_span *sp, size_t n,
		  struct fbr_diff *d)
{
	u8 a[SHA256_DIGEST_LEN], b[SHA256_DIGEST_LEN];
	int ret;

	d->questions++;
	ret = o->device(o, sp, n, a);
	if (!ret)
		ret = o->host(o, sp, n, b);
	if (ret)
		return ret;
	return memcmp(a, b, sizeof(a)) != 0;
}

int fbr_bisect(struct fbr_oracle *o, const struct fbr_span *sp, size_t n,
	       u64 grain, struct fbr_diff *d)
{
	size_t lo = 0, hi = n, mid;
	struct fbr_span half;
	u64 a, b, m;
	int ret;

	memset(d, 0, sizeof(*d));
	if (!n || !grain || (grain & (grain - 1)))
		return -EINVAL;
	/* the first half that differs, until one range is left */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		ret = differ(o, sp + lo, mid - lo, d);
		if (ret < 0)
			return ret;
		if (ret)
			hi = mid;
		else
			lo = mid;
	}
	/* the whole differed and halves agreed: is the last one different? */
	ret = differ(o, sp + lo, 1, d);
	if (ret <= 0)
		return ret < 0 ? ret : 1;
	d->range = lo;
	a = sp[lo].off;
	b = a + sp[lo].len;
	while (b - a > grain) {
		/* a split on the grain, counted from the range's start */
		m = a + ((b - a) / 2 + grain - 1) / grain * grain;
		if (m >= b)
			m = a + grain;
		half.off = a;
		half.len = m - a;
		ret = differ(o, &half, 1, d);
		if (ret < 0)
			return ret;
		if (ret)
			b = m;
		else
			a = m;
	}
	d->off = a;
	d->len = b - a;
	return 0;
}
