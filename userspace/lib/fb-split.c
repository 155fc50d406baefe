// SPDX-License-Identifier: GPL-2.0
/*
 * fastboot host library: splitting images into sparse pieces that fit the
 * device's download buffer. See fb-split.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <imxflash/fastboot_cmd.h>	/* __printf */

#include "bmap.h"
#include "fb-split.h"

#ifndef fallthrough
#define fallthrough	__attribute__((__fallthrough__))
#endif

#define SCAN_BUF	(1u << 20)	/* raw scan: bytes read at a time */
/* sparse scan: bytes mapped at a time (a page multiple; tests use less) */
#ifdef FB_SPLIT_MAP_WINDOW
#define MAP_WINDOW	((u64)FB_SPLIT_MAP_WINDOW)
#else
#define MAP_WINDOW	(64ull << 20)
#endif
#define CHUNK_HDR	FASTBOOT_SPARSE_CHUNK_HDR_LEN
#define FILE_HDR	FASTBOOT_SPARSE_FILE_HDR_LEN

static __printf(3, 4) int fail(struct fb_split *s, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
	return err;
}

/* Append @e, merged into the last extent when it continues it. */
static int ext_push(struct fb_split *s, const struct fbs_ext *e)
{
	struct fbs_ext *l = s->next ? &s->ext[s->next - 1] : NULL;
	struct fbs_ext *n;
	size_t cap;

	if (l && l->type == e->type && l->blk + l->nblks == e->blk &&
	    (u64)l->nblks + e->nblks <= 0xffffffffull) {
		bool merge = false;

		switch (e->type) {
		case FASTBOOT_SPARSE_DONT_CARE:
			merge = true;
			break;
		case FASTBOOT_SPARSE_FILL:
			merge = !memcmp(l->fill, e->fill, 4);
			break;
		case FASTBOOT_SPARSE_RAW:
			merge = l->file_off + (u64)l->nblks * s->blk_sz ==
				e->file_off;
			break;
		}
		if (merge) {
			l->nblks += e->nblks;
			return 0;
		}
	}
	if (s->next == s->ext_cap) {
		cap = s->ext_cap ? s->ext_cap * 2 : 256;
		n = realloc(s->ext, cap * sizeof(*n));
		if (!n)
			return fail(s, -ENOMEM, "out of memory (%zu extents)",
				    s->next);
		s->ext = n;
		s->ext_cap = cap;
	}
	s->ext[s->next++] = *e;
	return 0;
}

static int pread_full(int fd, void *buf, size_t len, u64 off)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = pread(fd, (u8 *)buf + got, len - got, (off_t)(off + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENODATA;
		got += (size_t)n;
	}
	return 0;
}

/* ---- raw input ---- */

/* A block is FILL when its 32-bit words are all equal: then every byte
 * equals the one 4 bytes further on.
 */
static void classify(const u8 *b, u32 blk, u32 no, u64 file_off,
		     struct fbs_ext *e)
{
	memset(e, 0, sizeof(*e));
	e->blk = no;
	e->nblks = 1;
	if (!memcmp(b, b + 4, blk - 4)) {
		e->type = FASTBOOT_SPARSE_FILL;
		memcpy(e->fill, b, 4);
	} else {
		e->type = FASTBOOT_SPARSE_RAW;
		e->file_off = file_off;
	}
}

/*
 * Up to @len bytes at @off into @buf: from the file (whose size is known)
 * or from the input; fewer only at the end. Errors with @s->why set.
 */
static ssize_t scan_read(struct fb_split *s, u64 off, u8 *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;
	int ret;

	if (!s->in) {
		if (off >= s->file_size)
			return 0;
		if (len > s->file_size - off)
			len = (size_t)(s->file_size - off);
		ret = pread_full(s->fd, buf, len, off);
		if (ret)
			return fail(s, ret == -ENODATA ? -EIO : ret,
				    "read at offset %llu: %s",
				    (unsigned long long)off,
				    ret == -ENODATA ? "file shrank" :
				    strerror(-ret));
		return (ssize_t)len;
	}
	while (got < len) {
		n = s->in->read(s->in, off + got, buf + got, len - got);
		if (n < 0)
			return fail(s, (int)n, "%s", s->in->why ? s->in->why :
				    strerror((int)-n));
		if (!n)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/*
 * @buf (SCAN_BUF bytes) holds the image's first @len bytes; the rest is
 * read into it as the scan goes. The size is what was read.
 */
static int scan_raw(struct fb_split *s, u8 *buf, size_t len)
{
	const u32 blk = FB_SPLIT_RAW_BLK;
	u64 off = 0, blocks;
	struct fbs_ext e;
	u8 *last;
	ssize_t n;
	size_t i;
	int ret;

	s->blk_sz = blk;
	while (len) {
		blocks = (off + len + blk - 1) / blk;
		if (blocks > 0xffffffffull)
			return fail(s, -EFBIG, "image too large: more than %llu blocks of %u bytes (limit 2^32-1)",
				    (unsigned long long)blocks - 1, blk);
		for (i = 0; i + blk <= len; i += blk) {
			classify(buf + i, blk, (u32)((off + i) / blk), off + i,
				 &e);
			ret = ext_push(s, &e);
			if (ret)
				return ret;
		}
		off += len;
		if (i < len) {
			/* the last, partial block (reads are block multiples
			 * until the end): zero padded
			 */
			last = calloc(1, blk);
			if (!last)
				return fail(s, -ENOMEM, "out of memory");
			memcpy(last, buf + i, len - i);
			classify(last, blk, (u32)((off - len + i) / blk),
				 off - len + i, &e);
			free(last);
			ret = ext_push(s, &e);
			if (ret)
				return ret;
			break;
		}
		n = scan_read(s, off, buf, SCAN_BUF);
		if (n < 0)
			return (int)n;
		len = (size_t)n;
	}
	if (!s->in && off != s->file_size)
		return fail(s, -EIO, "read at offset %llu: file shrank",
			    (unsigned long long)off);
	s->file_size = off;
	s->total_blks = (u32)((off + blk - 1) / blk);
	return 0;
}

/* ---- sparse input ---- */

struct sparse_scan {
	struct fb_split *s;
	struct fastboot_sparse *dec;
	const u8 *base;		/* what was fed ... */
	u64 base_off;		/* ... and where it is in the file */
	u64 out, len, file;	/* RAW data not yet pushed (bytes) */
	int err;
};

static int flush_raw(struct sparse_scan *c)
{
	struct fb_split *s = c->s;
	struct fbs_ext e;

	if (!c->len)
		return 0;
	/* a RAW chunk is whole by the time another op comes */
	if (c->out % s->blk_sz || c->len % s->blk_sz)
		return fail(s, -EINVAL, "internal: unaligned RAW data");
	memset(&e, 0, sizeof(e));
	e.type = FASTBOOT_SPARSE_RAW;
	e.blk = (u32)(c->out / s->blk_sz);
	e.nblks = (u32)(c->len / s->blk_sz);
	e.file_off = c->file;
	c->len = 0;
	return ext_push(s, &e);
}

static int sparse_emit(void *ctx, const struct fastboot_sparse_op *op)
{
	struct sparse_scan *c = ctx;
	struct fb_split *s = c->s;
	struct fbs_ext e;
	u64 file;
	int ret;

	if (!s->blk_sz) {
		s->blk_sz = c->dec->blk_sz;
		s->total_blks = c->dec->total_blks;
	}
	if (op->type == FASTBOOT_SPARSE_OP_WRITE) {
		file = c->base_off + (u64)(op->data - c->base);
		if (c->len && c->out + c->len == op->offset &&
		    c->file + c->len == file) {
			c->len += op->len;
			return 0;
		}
		ret = flush_raw(c);
		c->out = op->offset;
		c->len = op->len;
		c->file = file;
		return ret;
	}
	ret = flush_raw(c);
	if (ret)
		return ret;
	memset(&e, 0, sizeof(e));
	e.type = op->type == FASTBOOT_SPARSE_OP_FILL ? FASTBOOT_SPARSE_FILL :
		 FASTBOOT_SPARSE_DONT_CARE;
	memcpy(e.fill, op->fill, 4);
	e.blk = (u32)(op->offset / s->blk_sz);
	e.nblks = (u32)(op->len / s->blk_sz);
	return ext_push(s, &e);
}

static int feed(struct sparse_scan *c, const u8 *p, size_t len, u64 off)
{
	int ret;

	c->base = p;
	c->base_off = off;
	ret = fastboot_sparse_feed(c->dec, p, len);
	if (ret && !c->s->why[0])
		fail(c->s, ret, "bad sparse image: %s (chunk %u)",
		     c->dec->why ? c->dec->why : strerror(-ret),
		     c->dec->chunks);
	return ret;
}

/*
 * The decoder only passes pointers to RAW data on, so mapping the file
 * reads nothing but the headers. Windows keep the address space small;
 * files that cannot be mapped are read instead.
 */
/* The input has ended: the decoder must agree. */
static int sparse_done(struct sparse_scan *c, struct fastboot_sparse *dec)
{
	struct fb_split *s = c->s;
	int ret;

	/* the end first: a truncated RAW chunk is the decoder's to name */
	ret = fastboot_sparse_finish(dec);
	if (ret)
		return fail(s, ret < 0 ? ret : -EINVAL,
			    "bad sparse image: %s",
			    dec->why ? dec->why : "incomplete");
	ret = flush_raw(c);
	if (ret)
		return ret;
	if (!s->blk_sz) {
		/* a valid image without chunks */
		s->blk_sz = dec->blk_sz;
		s->total_blks = dec->total_blks;
	}
	return 0;
}

static int scan_sparse(struct fb_split *s)
{
	struct fastboot_sparse dec;
	struct sparse_scan c = { .s = s, .dec = &dec };
	u64 off = 0, len;
	u8 *buf = NULL;
	void *map;
	ssize_t n;
	int ret = 0;

	fastboot_sparse_init(&dec, ~0ull, 0, sparse_emit, &c);
	while (off < s->file_size && !ret) {
		len = s->file_size - off < MAP_WINDOW ? s->file_size - off :
		      MAP_WINDOW;
		map = buf ? MAP_FAILED : mmap(NULL, (size_t)len, PROT_READ,
					      MAP_PRIVATE, s->fd, (off_t)off);
		if (map != MAP_FAILED) {
			ret = feed(&c, map, (size_t)len, off);
			munmap(map, (size_t)len);
		} else {
			if (!buf)
				buf = malloc(SCAN_BUF);
			if (!buf)
				return fail(s, -ENOMEM, "out of memory");
			if (len > SCAN_BUF)
				len = SCAN_BUF;
			n = scan_read(s, off, buf, (size_t)len);
			if (n >= 0 && (u64)n < len)
				n = fail(s, -EIO,
					 "read at offset %llu: file shrank",
					 (unsigned long long)(off + (u64)n));
			ret = n < 0 ? (int)n : feed(&c, buf, (size_t)len, off);
		}
		off += len;
	}
	free(buf);
	return ret ? ret : sparse_done(&c, &dec);
}

/* An input read in order; @buf (SCAN_BUF bytes) holds its first @len. */
static int scan_sparse_in(struct fb_split *s, u8 *buf, size_t len)
{
	struct fastboot_sparse dec;
	struct sparse_scan c = { .s = s, .dec = &dec };
	u64 off = 0;
	ssize_t n;
	int ret;

	fastboot_sparse_init(&dec, ~0ull, 0, sparse_emit, &c);
	while (len) {
		ret = feed(&c, buf, len, off);
		if (ret)
			return ret;
		off += len;
		n = scan_read(s, off, buf, SCAN_BUF);
		if (n < 0)
			return (int)n;
		len = (size_t)n;
	}
	s->file_size = off;
	return sparse_done(&c, &dec);
}

int fb_split_scan(struct fb_split *s, int fd, u64 size)
{
	u8 *buf;
	ssize_t n;
	int ret;

	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->file_size = size;
	if (!size)
		return fail(s, -EINVAL, "empty file");
	if ((size + FB_SPLIT_RAW_BLK - 1) / FB_SPLIT_RAW_BLK > 0xffffffffull)
		return fail(s, -EFBIG, "image too large: %llu blocks of %u bytes (limit 2^32-1)",
			    (unsigned long long)((size + FB_SPLIT_RAW_BLK - 1) /
						 FB_SPLIT_RAW_BLK),
			    FB_SPLIT_RAW_BLK);
	if (size >= 4) {
		u8 hdr[4];

		ret = pread_full(fd, hdr, 4, 0);
		if (ret)
			return fail(s, ret == -ENODATA ? -EIO : ret,
				    "read: %s", strerror(-ret));
		s->sparse = fastboot_sparse_is_sparse(hdr, 4);
	}
	if (s->sparse)
		return scan_sparse(s);
	buf = malloc(SCAN_BUF);
	if (!buf)
		return fail(s, -ENOMEM, "out of memory");
	n = scan_read(s, 0, buf, SCAN_BUF);
	ret = n < 0 ? (int)n : scan_raw(s, buf, (size_t)n);
	free(buf);
	return ret;
}

int fb_split_scan_in(struct fb_split *s, struct fb_split_in *in)
{
	u8 *buf;
	ssize_t n;
	int ret;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->in = in;
	buf = malloc(SCAN_BUF);
	if (!buf)
		return fail(s, -ENOMEM, "out of memory");
	n = scan_read(s, 0, buf, SCAN_BUF);
	if (n < 0) {
		ret = (int)n;
	} else if (!n) {
		ret = fail(s, -EINVAL, "empty image");
	} else {
		s->sparse = fastboot_sparse_is_sparse(buf, (size_t)n);
		ret = s->sparse ? scan_sparse_in(s, buf, (size_t)n) :
		      scan_raw(s, buf, (size_t)n);
	}
	free(buf);
	return ret;
}

/* ---- bmap input ---- */

static int push_span(struct fb_split *s, u16 type, u64 first, u64 n)
{
	struct fbs_ext e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.blk = (u32)first;
	e.nblks = (u32)n;
	e.file_off = first * s->blk_sz;
	return ext_push(s, &e);
}

int fb_split_from_bmap(struct fb_split *s, const struct bmap *b,
		       struct fb_split_in *in)
{
	const struct bmap_range *r;
	u64 next = 0;
	size_t i;
	int ret;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->in = in;
	s->file_size = b->image_size;
	if (!b->image_size)
		return fail(s, -EINVAL, "the bmap describes an empty image");
	if (b->block_size % 4)
		return fail(s, -EINVAL,
			    "bmap BlockSize %u is not a multiple of 4, as sparse images need",
			    b->block_size);
	if (b->blocks > 0xffffffffull)
		return fail(s, -EFBIG, "image too large: %llu blocks of %u bytes (limit 2^32-1)",
			    (unsigned long long)b->blocks, b->block_size);
	s->blk_sz = b->block_size;
	s->total_blks = (u32)b->blocks;
	/* the parser checked: ascending, apart, inside the image */
	for (i = 0; i < b->nranges; i++) {
		r = &b->range[i];
		ret = r->first > next ?
		      push_span(s, FASTBOOT_SPARSE_DONT_CARE, next,
				r->first - next) : 0;
		if (!ret)
			ret = push_span(s, FASTBOOT_SPARSE_RAW, r->first,
					r->last - r->first + 1);
		if (ret)
			return ret;
		next = r->last + 1;
	}
	return next < b->blocks ? push_span(s, FASTBOOT_SPARSE_DONT_CARE, next,
					    b->blocks - next) : 0;
}

/* ---- planning ---- */

static u32 pos_blk(const struct fb_split *s, struct fbs_pos p)
{
	return p.e < s->next ? s->ext[p.e].blk + p.off : s->total_blks;
}

static int piece_push(struct fb_split *s, const struct fbs_piece *p)
{
	struct fbs_piece *n;

	n = realloc(s->piece, (s->npieces + 1) * sizeof(*n));
	if (!n)
		return fail(s, -ENOMEM, "out of memory");
	s->piece = n;
	s->piece[s->npieces++] = *p;
	s->total_bytes += p->bytes;
	return 0;
}

/* Bytes of the trailing DONT_CARE if a piece ends at @end. */
static u64 trail(const struct fb_split *s, u64 end)
{
	return end < s->total_blks ? CHUNK_HDR : 0;
}

int fb_split_plan(struct fb_split *s, u64 max)
{
	struct fbs_pos pos = { 0, 0 }, cur;
	const u64 blk = s->blk_sz;
	u64 bytes, k, left, end;
	struct fbs_piece p;
	const struct fbs_ext *e;
	u32 chunks;
	bool more;
	int ret;

	free(s->piece);
	s->piece = NULL;
	s->npieces = 0;
	s->total_bytes = 0;
	for (;;) {
		while (pos.e < s->next &&
		       s->ext[pos.e].type == FASTBOOT_SPARSE_DONT_CARE) {
			pos.e++;
			pos.off = 0;
		}
		if (pos.e >= s->next)
			break;
		memset(&p, 0, sizeof(p));
		p.from = pos;
		p.start_blk = pos_blk(s, pos);
		bytes = FILE_HDR;
		chunks = 0;
		if (p.start_blk) {
			bytes += CHUNK_HDR;
			chunks++;
		}
		p.to = pos;
		cur = pos;
		/*
		 * Each chunk must leave room for the trailing DONT_CARE the
		 * piece needs if it ends there (none at the end of the image).
		 */
		for (more = true; more && cur.e < s->next;) {
			e = &s->ext[cur.e];
			end = (u64)e->blk + e->nblks;
			switch (e->type) {
			case FASTBOOT_SPARSE_RAW:
				left = e->nblks - cur.off;
				if (bytes + CHUNK_HDR + left * blk +
				    trail(s, end) <= max) {
					k = left;
					cur.e++;
					cur.off = 0;
				} else {
					/* a part: the piece ends after it */
					k = max > bytes + 2 * CHUNK_HDR ?
					    (max - bytes - 2 * CHUNK_HDR) / blk :
					    0;
					if (!k) {
						more = false;
						continue;
					}
					cur.off += (u32)k;
					more = false;
				}
				bytes += CHUNK_HDR + k * blk;
				break;
			case FASTBOOT_SPARSE_FILL:
				if (bytes + CHUNK_HDR + 4 + trail(s, end) > max) {
					more = false;
					continue;
				}
				bytes += CHUNK_HDR + 4;
				cur.e++;
				break;
			default:
				/* DONT_CARE: kept only if data follows */
				if (bytes + 2 * CHUNK_HDR > max) {
					more = false;
					continue;
				}
				bytes += CHUNK_HDR;
				chunks++;
				cur.e++;
				continue;
			}
			chunks++;
			p.to = cur;
			p.bytes = bytes;
			p.nchunks = chunks;
		}
		if (!p.bytes)
			return fail(s, -EINVAL,
				    "download size %llu too small for one %u-byte block with its headers",
				    (unsigned long long)max, s->blk_sz);
		p.end_blk = pos_blk(s, p.to);
		if (p.end_blk < s->total_blks) {
			p.bytes += CHUNK_HDR;
			p.nchunks++;
		}
		ret = piece_push(s, &p);
		if (ret)
			return ret;
		pos = p.to;
	}
	return 0;
}

void fb_split_free(struct fb_split *s)
{
	free(s->ext);
	free(s->piece);
	s->ext = NULL;
	s->piece = NULL;
	s->next = 0;
	s->ext_cap = 0;
	s->npieces = 0;
}

/* ---- reading a piece ---- */

enum { ST_FILE_HDR, ST_LEAD, ST_CHUNKS, ST_TRAIL, ST_END };

void fb_split_reader_init(struct fb_split_reader *r, const struct fb_split *s,
			  size_t piece)
{
	memset(r, 0, sizeof(*r));
	r->s = s;
	r->p = &s->piece[piece];
	r->pos = r->p->from;
	r->stage = ST_FILE_HDR;
}

static void put_chunk(struct fb_split_reader *r, u16 type, u32 nblks)
{
	fastboot_sparse_put_chunk_hdr(r->hdr, type, nblks, r->s->blk_sz, NULL);
	r->hdr_len = CHUNK_HDR;
	r->hdr_pos = 0;
}

/* Set up the next header (and its data); false at the end. */
static bool next_item(struct fb_split_reader *r)
{
	const struct fb_split *s = r->s;
	const struct fbs_piece *p = r->p;
	const struct fbs_ext *e;
	u32 from, to;
	u64 bytes, avail;

	switch (r->stage) {
	case ST_FILE_HDR:
		fastboot_sparse_put_file_hdr(r->hdr, s->blk_sz, s->total_blks,
				       p->nchunks);
		r->hdr_len = FILE_HDR;
		r->hdr_pos = 0;
		r->stage = ST_LEAD;
		return true;
	case ST_LEAD:
		r->stage = ST_CHUNKS;
		if (p->start_blk) {
			put_chunk(r, FASTBOOT_SPARSE_DONT_CARE, p->start_blk);
			return true;
		}
		fallthrough;
	case ST_CHUNKS:
		if (r->pos.e < p->to.e ||
		    (r->pos.e == p->to.e && r->pos.off < p->to.off)) {
			e = &s->ext[r->pos.e];
			from = r->pos.off;
			to = r->pos.e == p->to.e ? p->to.off : e->nblks;
			r->pos.e++;
			r->pos.off = 0;
			put_chunk(r, e->type, to - from);
			if (e->type == FASTBOOT_SPARSE_FILL) {
				memcpy(r->hdr + CHUNK_HDR, e->fill, 4);
				r->hdr_len += 4;
			} else if (e->type == FASTBOOT_SPARSE_RAW) {
				bytes = (u64)(to - from) * s->blk_sz;
				r->raw_off = e->file_off + (u64)from * s->blk_sz;
				/* raw input: the last block is zero padded */
				avail = r->raw_off < s->file_size ?
					s->file_size - r->raw_off : 0;
				r->raw_left = bytes < avail ? bytes : avail;
				r->zero_left = bytes - r->raw_left;
			}
			return true;
		}
		r->stage = ST_TRAIL;
		fallthrough;
	case ST_TRAIL:
		r->stage = ST_END;
		if (p->end_blk < s->total_blks) {
			put_chunk(r, FASTBOOT_SPARSE_DONT_CARE,
				  s->total_blks - p->end_blk);
			return true;
		}
		fallthrough;
	default:
		return false;
	}
}

/* Exactly @len bytes at @off of @in: 0, -ENODATA at its end, or its error. */
static int in_read_all(struct fb_split_in *in, u64 off, u8 *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = in->read(in, off, buf, len);
		if (n < 0)
			return (int)n;
		if (!n) {
			in->why = "the image ends before the data of this piece";
			return -ENODATA;
		}
		off += (u64)n;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int fb_split_read(struct fb_split_reader *r, void *buf, size_t len)
{
	u8 *out = buf;
	size_t n;
	int ret;

	while (len) {
		if (r->hdr_pos < r->hdr_len) {
			n = r->hdr_len - r->hdr_pos;
			if (n > len)
				n = len;
			memcpy(out, r->hdr + r->hdr_pos, n);
			r->hdr_pos += (u32)n;
		} else if (r->raw_left) {
			n = r->raw_left < len ? (size_t)r->raw_left : len;
			ret = r->s->in ? in_read_all(r->s->in, r->raw_off, out, n) :
			      pread_full(r->s->fd, out, n, r->raw_off);
			if (ret)
				return ret == -ENODATA ? -EIO : ret;
			r->raw_off += n;
			r->raw_left -= n;
		} else if (r->zero_left) {
			n = r->zero_left < len ? (size_t)r->zero_left : len;
			memset(out, 0, n);
			r->zero_left -= n;
		} else {
			if (!next_item(r))
				return -ENODATA;
			continue;
		}
		out += n;
		len -= n;
		r->done += n;
	}
	return 0;
}
