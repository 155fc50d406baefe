// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Android sparse images: streaming decoder and header encoders.
 *
 * Pure C: linked into usb_f_fastboot, fastboot-lite, the unit tests and
 * the fuzzers. Only pure.h facilities; no allocation, no copy of chunk
 * data (see fastboot_sparse.h).
 */
#include <imxflash/fastboot_sparse.h>

/* Decoder states */
enum {
	FB_SP_FILE_HDR,		/* collecting the first 28 header bytes */
	FB_SP_FILE_SKIP,	/* skipping file_hdr_sz - 28 bytes */
	FB_SP_CHUNK_HDR,	/* collecting the first 12 chunk header bytes */
	FB_SP_CHUNK_SKIP,	/* skipping chunk_hdr_sz - 12 bytes */
	FB_SP_RAW,		/* passing RAW data through */
	FB_SP_DATA4,		/* collecting the 4 FILL / CRC32 bytes */
	FB_SP_DONE,		/* all chunks seen */
	FB_SP_SHORT,		/* finished without the last chunk */
	FB_SP_ERROR,
};

/* s->type: the chunk type as a small index */
enum {
	FB_SP_T_RAW,
	FB_SP_T_FILL,
	FB_SP_T_DONT_CARE,
	FB_SP_T_CRC32,
};

/* File header offsets */
#define FB_SP_OFF_MAGIC		0
#define FB_SP_OFF_MAJOR		4
#define FB_SP_OFF_MINOR		6
#define FB_SP_OFF_FILE_HDR_SZ	8
#define FB_SP_OFF_CHUNK_HDR_SZ	10
#define FB_SP_OFF_BLK_SZ	12
#define FB_SP_OFF_TOTAL_BLKS	16
#define FB_SP_OFF_TOTAL_CHUNKS	20
#define FB_SP_OFF_CHECKSUM	24
/* Chunk header offsets */
#define FB_SP_OFF_TYPE		0
#define FB_SP_OFF_RESERVED	2
#define FB_SP_OFF_CHUNK_SZ	4
#define FB_SP_OFF_TOTAL_SZ	8

#define FB_SP_DATA4_LEN		4

static u16 fb_get_le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

/* Masks rather than casts: sparse warns about casts of constants. */
static void fb_put_le16(u8 *p, u16 v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
}

static void fb_put_le32(u8 *p, u32 v)
{
	fb_put_le16(p, v & 0xffff);
	fb_put_le16(p + 2, v >> 16);
}

bool fb_sparse_is_sparse(const void *buf, size_t len)
{
	return len >= 4 && imxf_get_le32(buf) == FB_SPARSE_MAGIC;
}

void fb_sparse_init(struct fb_sparse *s, u64 limit, u32 align,
		    int (*emit)(void *ctx, const struct fb_sparse_op *op),
		    void *ctx)
{
	memset(s, 0, sizeof(*s));
	s->emit = emit;
	s->ctx = ctx;
	s->limit = limit;
	s->align = align;
	s->state = FB_SP_FILE_HDR;
}

static int fb_sparse_fail(struct fb_sparse *s, int err, const char *why)
{
	s->err = err;
	s->why = why;
	s->state = FB_SP_ERROR;
	return err;
}

/* Pass one operation of @len bytes at s->pos to the callback. */
static int fb_sparse_emit(struct fb_sparse *s, u8 type, u64 len,
			  const u8 *data)
{
	struct fb_sparse_op op = {
		.offset = s->pos,
		.len = len,
		.data = data,
		.type = type,
	};
	int ret;

	/* Checked on the chunk header already; never trust it blindly. */
	if (s->pos > s->limit || len > s->limit - s->pos)
		return fb_sparse_fail(s, -ENOSPC,
				      "chunk past the end of the partition");
	if (type == FB_SPARSE_OP_FILL)
		memcpy(op.fill, s->hdr, sizeof(op.fill));
	ret = s->emit(s->ctx, &op);
	if (ret)
		return fb_sparse_fail(s, ret < 0 ? ret : -EIO,
				      "output operation failed");
	return 0;
}

/* After a chunk: the next chunk header, or the end. */
static int fb_sparse_next_chunk(struct fb_sparse *s)
{
	s->pos = (u64)s->blk * s->blk_sz;
	s->hdr_len = 0;
	if (s->chunks < s->total_chunks) {
		s->state = FB_SP_CHUNK_HDR;
		return 0;
	}
	if (s->blk != s->total_blks)
		return fb_sparse_fail(s, -EINVAL,
				      "chunks do not add up to total_blks");
	s->state = FB_SP_DONE;
	return 0;
}

static int fb_sparse_file_hdr(struct fb_sparse *s)
{
	const u8 *h = s->hdr;
	u16 file_hdr_sz = fb_get_le16(h + FB_SP_OFF_FILE_HDR_SZ);
	u16 chunk_hdr_sz = fb_get_le16(h + FB_SP_OFF_CHUNK_HDR_SZ);
	u32 blk_sz = imxf_get_le32(h + FB_SP_OFF_BLK_SZ);
	u32 total_blks = imxf_get_le32(h + FB_SP_OFF_TOTAL_BLKS);

	if (imxf_get_le32(h + FB_SP_OFF_MAGIC) != FB_SPARSE_MAGIC)
		return fb_sparse_fail(s, -EINVAL, "bad sparse magic");
	/* The minor version is not checked, as libsparse does. */
	if (fb_get_le16(h + FB_SP_OFF_MAJOR) != FB_SPARSE_MAJOR)
		return fb_sparse_fail(s, -EINVAL,
				      "unsupported sparse major version");
	if (file_hdr_sz < FB_SPARSE_FILE_HDR_LEN)
		return fb_sparse_fail(s, -EINVAL, "file_hdr_sz < 28");
	if (chunk_hdr_sz < FB_SPARSE_CHUNK_HDR_LEN)
		return fb_sparse_fail(s, -EINVAL, "chunk_hdr_sz < 12");
	if (!blk_sz)
		return fb_sparse_fail(s, -EINVAL, "blk_sz 0");
	if (blk_sz % 4)
		return fb_sparse_fail(s, -EINVAL,
				      "blk_sz not a multiple of 4");
	if (s->align > 1 && blk_sz % s->align)
		return fb_sparse_fail(s, -EINVAL,
				      "blk_sz not a multiple of the storage block size");
	/* u32 * u32 always fits in u64. */
	if ((u64)total_blks * blk_sz > s->limit)
		return fb_sparse_fail(s, -ENOSPC,
				      "image larger than the partition");

	s->blk_sz = blk_sz;
	s->total_blks = total_blks;
	s->total_chunks = imxf_get_le32(h + FB_SP_OFF_TOTAL_CHUNKS);
	s->chunk_hdr_sz = chunk_hdr_sz;
	s->skip = file_hdr_sz - FB_SPARSE_FILE_HDR_LEN;
	if (s->skip) {
		s->state = FB_SP_FILE_SKIP;
		return 0;
	}
	return fb_sparse_next_chunk(s);
}

/* Start the data part of the current chunk (header fully consumed). */
static int fb_sparse_body(struct fb_sparse *s)
{
	int ret;

	switch (s->type) {
	case FB_SP_T_RAW:
		if (!s->left)
			return fb_sparse_next_chunk(s);
		s->state = FB_SP_RAW;
		return 0;
	case FB_SP_T_DONT_CARE:
		if (s->left) {
			ret = fb_sparse_emit(s, FB_SPARSE_OP_SKIP, s->left,
					     NULL);
			if (ret)
				return ret;
		}
		return fb_sparse_next_chunk(s);
	default:
		s->hdr_len = 0;
		s->state = FB_SP_DATA4;
		return 0;
	}
}

static int fb_sparse_chunk_hdr(struct fb_sparse *s)
{
	const u8 *h = s->hdr;
	u16 type = fb_get_le16(h + FB_SP_OFF_TYPE);
	u32 chunk_sz = imxf_get_le32(h + FB_SP_OFF_CHUNK_SZ);
	u32 total_sz = imxf_get_le32(h + FB_SP_OFF_TOTAL_SZ);
	u64 hsz = s->chunk_hdr_sz, blocks = chunk_sz, end;

	/* The reserved field is not checked, as libsparse does. */
	switch (type) {
	case FB_SPARSE_RAW:
		/* u32 * u32 always fits in u64: no wrap as with 32 bits. */
		if (total_sz != hsz + (u64)chunk_sz * s->blk_sz)
			return fb_sparse_fail(s, -EINVAL,
					      "RAW chunk total_sz != chunk_hdr_sz + chunk_sz * blk_sz");
		s->type = FB_SP_T_RAW;
		break;
	case FB_SPARSE_FILL:
		if (total_sz != hsz + FB_SP_DATA4_LEN)
			return fb_sparse_fail(s, -EINVAL,
					      "FILL chunk total_sz != chunk_hdr_sz + 4");
		s->type = FB_SP_T_FILL;
		break;
	case FB_SPARSE_DONT_CARE:
		if (total_sz != hsz)
			return fb_sparse_fail(s, -EINVAL,
					      "DONT_CARE chunk total_sz != chunk_hdr_sz");
		s->type = FB_SP_T_DONT_CARE;
		break;
	case FB_SPARSE_CRC32:
		if (total_sz != hsz + FB_SP_DATA4_LEN)
			return fb_sparse_fail(s, -EINVAL,
					      "CRC32 chunk total_sz != chunk_hdr_sz + 4");
		/* libsparse does not advance on a CRC32 chunk. */
		blocks = 0;
		s->type = FB_SP_T_CRC32;
		break;
	default:
		return fb_sparse_fail(s, -EINVAL, "unknown chunk type");
	}

	/* Both checks before anything of this chunk is emitted. */
	end = s->blk + blocks;
	if (end > s->total_blks)
		return fb_sparse_fail(s, -EINVAL,
				      "chunk beyond total_blks");
	if (end * s->blk_sz > s->limit)
		return fb_sparse_fail(s, -ENOSPC,
				      "chunk past the end of the partition");

	s->chunks++;
	s->pos = (u64)s->blk * s->blk_sz;
	s->left = blocks * s->blk_sz;
	s->blk = (u32)end;
	s->skip = s->chunk_hdr_sz - FB_SPARSE_CHUNK_HDR_LEN;
	if (s->skip) {
		s->state = FB_SP_CHUNK_SKIP;
		return 0;
	}
	return fb_sparse_body(s);
}

/* The 4 data bytes of a FILL or CRC32 chunk are in s->hdr. */
static int fb_sparse_data4(struct fb_sparse *s)
{
	int ret;

	if (s->type == FB_SP_T_FILL && s->left) {
		ret = fb_sparse_emit(s, FB_SPARSE_OP_FILL, s->left, NULL);
		if (ret)
			return ret;
	}
	/* CRC32: accepted and ignored (see fastboot_sparse.h). */
	return fb_sparse_next_chunk(s);
}

/* Move up to @want - s->hdr_len bytes into s->hdr; returns the count. */
static size_t fb_sparse_collect(struct fb_sparse *s, const u8 *p,
				size_t len, size_t want)
{
	size_t n = want - s->hdr_len;

	if (n > len)
		n = len;
	memcpy(s->hdr + s->hdr_len, p, n);
	s->hdr_len += n;
	return n;
}

int fb_sparse_feed(struct fb_sparse *s, const void *buf, size_t len)
{
	const u8 *p = buf;
	size_t n;
	int ret = 0;

	if (s->err)
		return s->err;
	while (len) {
		switch (s->state) {
		case FB_SP_FILE_HDR:
			n = fb_sparse_collect(s, p, len,
					      FB_SPARSE_FILE_HDR_LEN);
			if (s->hdr_len == FB_SPARSE_FILE_HDR_LEN)
				ret = fb_sparse_file_hdr(s);
			break;
		case FB_SP_FILE_SKIP:
		case FB_SP_CHUNK_SKIP:
			n = len < s->skip ? len : s->skip;
			s->skip -= n;
			if (!s->skip)
				ret = s->state == FB_SP_FILE_SKIP ?
					fb_sparse_next_chunk(s) :
					fb_sparse_body(s);
			break;
		case FB_SP_CHUNK_HDR:
			n = fb_sparse_collect(s, p, len,
					      FB_SPARSE_CHUNK_HDR_LEN);
			if (s->hdr_len == FB_SPARSE_CHUNK_HDR_LEN)
				ret = fb_sparse_chunk_hdr(s);
			break;
		case FB_SP_DATA4:
			n = fb_sparse_collect(s, p, len, FB_SP_DATA4_LEN);
			if (s->hdr_len == FB_SP_DATA4_LEN)
				ret = fb_sparse_data4(s);
			break;
		case FB_SP_RAW:
			n = len < s->left ? len : (size_t)s->left;
			ret = fb_sparse_emit(s, FB_SPARSE_OP_WRITE, n, p);
			if (ret)
				break;
			s->pos += n;
			s->left -= n;
			if (!s->left)
				ret = fb_sparse_next_chunk(s);
			break;
		case FB_SP_DONE:
		case FB_SP_SHORT:
			return fb_sparse_fail(s, -EINVAL,
					      "data after the last chunk");
		default:
			return fb_sparse_fail(s, -EINVAL, "bad decoder state");
		}
		if (ret)
			return ret;
		p += n;
		len -= n;
	}
	return 0;
}

int fb_sparse_finish(struct fb_sparse *s)
{
	if (s->err)
		return s->err;
	switch (s->state) {
	case FB_SP_DONE:
		return 0;
	case FB_SP_SHORT:
		return FB_SPARSE_SHORT;
	case FB_SP_FILE_HDR:
		return fb_sparse_fail(s, -ENODATA, s->hdr_len ?
				      "truncated file header" :
				      "empty sparse image");
	case FB_SP_FILE_SKIP:
		return fb_sparse_fail(s, -ENODATA, "truncated file header");
	case FB_SP_CHUNK_HDR:
		if (s->hdr_len)
			return fb_sparse_fail(s, -ENODATA,
					      "truncated chunk header");
		/*
		 * fastboot 29.0.6 drops the trailing DONT_CARE of a piece but
		 * counts it in the header (fastboot-protocol.md §5.3).
		 */
		if (s->total_chunks - s->chunks == 1 &&
		    s->blk < s->total_blks) {
			s->why = "last chunk missing, its blocks left untouched";
			s->state = FB_SP_SHORT;
			return FB_SPARSE_SHORT;
		}
		return fb_sparse_fail(s, -ENODATA, "chunks missing");
	case FB_SP_CHUNK_SKIP:
		return fb_sparse_fail(s, -ENODATA, "truncated chunk header");
	case FB_SP_RAW:
	case FB_SP_DATA4:
		return fb_sparse_fail(s, -ENODATA, "truncated chunk data");
	default:
		return fb_sparse_fail(s, -EINVAL, "bad decoder state");
	}
}

/* ---- encoder ---- */

int fb_sparse_put_file_hdr(u8 *buf, u32 blk_sz, u32 total_blks,
			   u32 total_chunks)
{
	if (!blk_sz || blk_sz % 4)
		return -EINVAL;
	fb_put_le32(buf + FB_SP_OFF_MAGIC, FB_SPARSE_MAGIC);
	fb_put_le16(buf + FB_SP_OFF_MAJOR, FB_SPARSE_MAJOR);
	fb_put_le16(buf + FB_SP_OFF_MINOR, 0);
	fb_put_le16(buf + FB_SP_OFF_FILE_HDR_SZ, FB_SPARSE_FILE_HDR_LEN);
	fb_put_le16(buf + FB_SP_OFF_CHUNK_HDR_SZ, FB_SPARSE_CHUNK_HDR_LEN);
	fb_put_le32(buf + FB_SP_OFF_BLK_SZ, blk_sz);
	fb_put_le32(buf + FB_SP_OFF_TOTAL_BLKS, total_blks);
	fb_put_le32(buf + FB_SP_OFF_TOTAL_CHUNKS, total_chunks);
	fb_put_le32(buf + FB_SP_OFF_CHECKSUM, 0);
	return 0;
}

int fb_sparse_chunk_size(u16 type, u32 chunk_sz, u32 blk_sz, u32 *total_sz)
{
	u64 t;

	if (!blk_sz || blk_sz % 4)
		return -EINVAL;
	switch (type) {
	case FB_SPARSE_RAW:
		t = FB_SPARSE_CHUNK_HDR_LEN + (u64)chunk_sz * blk_sz;
		if (t > 0xffffffffull)
			return -EOVERFLOW;
		break;
	case FB_SPARSE_FILL:
		t = FB_SPARSE_CHUNK_HDR_LEN + FB_SP_DATA4_LEN;
		break;
	case FB_SPARSE_DONT_CARE:
		t = FB_SPARSE_CHUNK_HDR_LEN;
		break;
	case FB_SPARSE_CRC32:
		if (chunk_sz)
			return -EINVAL;
		t = FB_SPARSE_CHUNK_HDR_LEN + FB_SP_DATA4_LEN;
		break;
	default:
		return -EINVAL;
	}
	*total_sz = (u32)t;
	return 0;
}

int fb_sparse_put_chunk_hdr(u8 *buf, u16 type, u32 chunk_sz, u32 blk_sz,
			    u32 *total_sz)
{
	u32 t;
	int ret;

	ret = fb_sparse_chunk_size(type, chunk_sz, blk_sz, &t);
	if (ret)
		return ret;
	fb_put_le16(buf + FB_SP_OFF_TYPE, type);
	fb_put_le16(buf + FB_SP_OFF_RESERVED, 0);
	fb_put_le32(buf + FB_SP_OFF_CHUNK_SZ, chunk_sz);
	fb_put_le32(buf + FB_SP_OFF_TOTAL_SZ, t);
	if (total_sz)
		*total_sz = t;
	return 0;
}
