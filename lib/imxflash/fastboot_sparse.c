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
	FASTBOOT_SP_FILE_HDR,		/* collecting the first 28 header bytes */
	FASTBOOT_SP_FILE_SKIP,	/* skipping file_hdr_sz - 28 bytes */
	FASTBOOT_SP_CHUNK_HDR,	/* collecting the first 12 chunk header bytes */
	FASTBOOT_SP_CHUNK_SKIP,	/* skipping chunk_hdr_sz - 12 bytes */
	FASTBOOT_SP_RAW,		/* passing RAW data through */
	FASTBOOT_SP_DATA4,		/* collecting the 4 FILL / CRC32 bytes */
	FASTBOOT_SP_DONE,		/* all chunks seen */
	FASTBOOT_SP_SHORT,		/* finished without the last chunk */
	FASTBOOT_SP_ERROR,
};

/* s->type: the chunk type as a small index */
enum {
	FASTBOOT_SP_T_RAW,
	FASTBOOT_SP_T_FILL,
	FASTBOOT_SP_T_DONT_CARE,
	FASTBOOT_SP_T_CRC32,
};

/* File header offsets */
#define FASTBOOT_SP_OFF_MAGIC		0
#define FASTBOOT_SP_OFF_MAJOR		4
#define FASTBOOT_SP_OFF_MINOR		6
#define FASTBOOT_SP_OFF_FILE_HDR_SZ	8
#define FASTBOOT_SP_OFF_CHUNK_HDR_SZ	10
#define FASTBOOT_SP_OFF_BLK_SZ	12
#define FASTBOOT_SP_OFF_TOTAL_BLKS	16
#define FASTBOOT_SP_OFF_TOTAL_CHUNKS	20
#define FASTBOOT_SP_OFF_CHECKSUM	24
/* Chunk header offsets */
#define FASTBOOT_SP_OFF_TYPE		0
#define FASTBOOT_SP_OFF_RESERVED	2
#define FASTBOOT_SP_OFF_CHUNK_SZ	4
#define FASTBOOT_SP_OFF_TOTAL_SZ	8

#define FASTBOOT_SP_DATA4_LEN		4

static u16 fastboot_get_le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

/* Masks rather than casts: sparse warns about casts of constants. */
static void fastboot_put_le16(u8 *p, u16 v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
}

static void fastboot_put_le32(u8 *p, u32 v)
{
	fastboot_put_le16(p, v & 0xffff);
	fastboot_put_le16(p + 2, v >> 16);
}

bool fastboot_sparse_is_sparse(const void *buf, size_t len)
{
	return len >= 4 && imxf_get_le32(buf) == FASTBOOT_SPARSE_MAGIC;
}

void fastboot_sparse_init(struct fastboot_sparse *s, u64 limit, u32 align,
			  int (*emit)(void *ctx, const struct fastboot_sparse_op *op),
		    void *ctx)
{
	memset(s, 0, sizeof(*s));
	s->emit = emit;
	s->ctx = ctx;
	s->limit = limit;
	s->align = align;
	s->state = FASTBOOT_SP_FILE_HDR;
}

static int fastboot_sparse_fail(struct fastboot_sparse *s, int err, const char *why)
{
	s->err = err;
	s->why = why;
	s->state = FASTBOOT_SP_ERROR;
	return err;
}

/* Pass one operation of @len bytes at s->pos to the callback. */
static int fastboot_sparse_emit(struct fastboot_sparse *s, u8 type, u64 len,
				const u8 *data)
{
	struct fastboot_sparse_op op = {
		.offset = s->pos,
		.len = len,
		.data = data,
		.type = type,
	};
	int ret;

	/* Checked on the chunk header already; never trust it blindly. */
	if (s->pos > s->limit || len > s->limit - s->pos)
		return fastboot_sparse_fail(s, -ENOSPC,
				      "chunk past the end of the partition");
	if (type == FASTBOOT_SPARSE_OP_FILL)
		memcpy(op.fill, s->hdr, sizeof(op.fill));
	ret = s->emit(s->ctx, &op);
	if (ret)
		return fastboot_sparse_fail(s, ret < 0 ? ret : -EIO,
				      "output operation failed");
	return 0;
}

/* After a chunk: the next chunk header, or the end. */
static int fastboot_sparse_next_chunk(struct fastboot_sparse *s)
{
	s->pos = (u64)s->blk * s->blk_sz;
	s->hdr_len = 0;
	if (s->chunks < s->total_chunks) {
		s->state = FASTBOOT_SP_CHUNK_HDR;
		return 0;
	}
	if (s->blk != s->total_blks)
		return fastboot_sparse_fail(s, -EINVAL,
				      "chunks do not add up to total_blks");
	s->state = FASTBOOT_SP_DONE;
	return 0;
}

static int fastboot_sparse_file_hdr(struct fastboot_sparse *s)
{
	const u8 *h = s->hdr;
	u16 file_hdr_sz = fastboot_get_le16(h + FASTBOOT_SP_OFF_FILE_HDR_SZ);
	u16 chunk_hdr_sz = fastboot_get_le16(h + FASTBOOT_SP_OFF_CHUNK_HDR_SZ);
	u32 blk_sz = imxf_get_le32(h + FASTBOOT_SP_OFF_BLK_SZ);
	u32 total_blks = imxf_get_le32(h + FASTBOOT_SP_OFF_TOTAL_BLKS);

	if (imxf_get_le32(h + FASTBOOT_SP_OFF_MAGIC) != FASTBOOT_SPARSE_MAGIC)
		return fastboot_sparse_fail(s, -EINVAL, "bad sparse magic");
	/* The minor version is not checked, as libsparse does. */
	if (fastboot_get_le16(h + FASTBOOT_SP_OFF_MAJOR) != FASTBOOT_SPARSE_MAJOR)
		return fastboot_sparse_fail(s, -EINVAL,
				      "unsupported sparse major version");
	if (file_hdr_sz < FASTBOOT_SPARSE_FILE_HDR_LEN)
		return fastboot_sparse_fail(s, -EINVAL, "file_hdr_sz < 28");
	if (chunk_hdr_sz < FASTBOOT_SPARSE_CHUNK_HDR_LEN)
		return fastboot_sparse_fail(s, -EINVAL, "chunk_hdr_sz < 12");
	if (!blk_sz)
		return fastboot_sparse_fail(s, -EINVAL, "blk_sz 0");
	if (blk_sz % 4)
		return fastboot_sparse_fail(s, -EINVAL,
				      "blk_sz not a multiple of 4");
	if (s->align > 1 && blk_sz % s->align)
		return fastboot_sparse_fail(s, -EINVAL,
				      "blk_sz not a multiple of the storage block size");
	/* u32 * u32 always fits in u64. */
	if ((u64)total_blks * blk_sz > s->limit)
		return fastboot_sparse_fail(s, -ENOSPC,
				      "image larger than the partition");

	s->blk_sz = blk_sz;
	s->total_blks = total_blks;
	s->total_chunks = imxf_get_le32(h + FASTBOOT_SP_OFF_TOTAL_CHUNKS);
	s->chunk_hdr_sz = chunk_hdr_sz;
	s->skip = file_hdr_sz - FASTBOOT_SPARSE_FILE_HDR_LEN;
	if (s->skip) {
		s->state = FASTBOOT_SP_FILE_SKIP;
		return 0;
	}
	return fastboot_sparse_next_chunk(s);
}

/* Start the data part of the current chunk (header fully consumed). */
static int fastboot_sparse_body(struct fastboot_sparse *s)
{
	int ret;

	switch (s->type) {
	case FASTBOOT_SP_T_RAW:
		if (!s->left)
			return fastboot_sparse_next_chunk(s);
		s->state = FASTBOOT_SP_RAW;
		return 0;
	case FASTBOOT_SP_T_DONT_CARE:
		if (s->left) {
			ret = fastboot_sparse_emit(s, FASTBOOT_SPARSE_OP_SKIP, s->left,
						   NULL);
			if (ret)
				return ret;
		}
		return fastboot_sparse_next_chunk(s);
	default:
		s->hdr_len = 0;
		s->state = FASTBOOT_SP_DATA4;
		return 0;
	}
}

static int fastboot_sparse_chunk_hdr(struct fastboot_sparse *s)
{
	const u8 *h = s->hdr;
	u16 type = fastboot_get_le16(h + FASTBOOT_SP_OFF_TYPE);
	u32 chunk_sz = imxf_get_le32(h + FASTBOOT_SP_OFF_CHUNK_SZ);
	u32 total_sz = imxf_get_le32(h + FASTBOOT_SP_OFF_TOTAL_SZ);
	u64 hsz = s->chunk_hdr_sz, blocks = chunk_sz, end;

	/* The reserved field is not checked, as libsparse does. */
	switch (type) {
	case FASTBOOT_SPARSE_RAW:
		/* u32 * u32 always fits in u64: no wrap as with 32 bits. */
		if (total_sz != hsz + (u64)chunk_sz * s->blk_sz)
			return fastboot_sparse_fail(s, -EINVAL,
					      "RAW chunk total_sz != chunk_hdr_sz + chunk_sz * blk_sz");
		s->type = FASTBOOT_SP_T_RAW;
		break;
	case FASTBOOT_SPARSE_FILL:
		if (total_sz != hsz + FASTBOOT_SP_DATA4_LEN)
			return fastboot_sparse_fail(s, -EINVAL,
					      "FILL chunk total_sz != chunk_hdr_sz + 4");
		s->type = FASTBOOT_SP_T_FILL;
		break;
	case FASTBOOT_SPARSE_DONT_CARE:
		if (total_sz != hsz)
			return fastboot_sparse_fail(s, -EINVAL,
					      "DONT_CARE chunk total_sz != chunk_hdr_sz");
		s->type = FASTBOOT_SP_T_DONT_CARE;
		break;
	case FASTBOOT_SPARSE_CRC32:
		if (total_sz != hsz + FASTBOOT_SP_DATA4_LEN)
			return fastboot_sparse_fail(s, -EINVAL,
					      "CRC32 chunk total_sz != chunk_hdr_sz + 4");
		/* libsparse does not advance on a CRC32 chunk. */
		blocks = 0;
		s->type = FASTBOOT_SP_T_CRC32;
		break;
	default:
		return fastboot_sparse_fail(s, -EINVAL, "unknown chunk type");
	}

	/* Both checks before anything of this chunk is emitted. */
	end = s->blk + blocks;
	if (end > s->total_blks)
		return fastboot_sparse_fail(s, -EINVAL,
				      "chunk beyond total_blks");
	if (end * s->blk_sz > s->limit)
		return fastboot_sparse_fail(s, -ENOSPC,
				      "chunk past the end of the partition");

	s->chunks++;
	s->pos = (u64)s->blk * s->blk_sz;
	s->left = blocks * s->blk_sz;
	s->blk = (u32)end;
	s->skip = s->chunk_hdr_sz - FASTBOOT_SPARSE_CHUNK_HDR_LEN;
	if (s->skip) {
		s->state = FASTBOOT_SP_CHUNK_SKIP;
		return 0;
	}
	return fastboot_sparse_body(s);
}

/* The 4 data bytes of a FILL or CRC32 chunk are in s->hdr. */
static int fastboot_sparse_data4(struct fastboot_sparse *s)
{
	int ret;

	if (s->type == FASTBOOT_SP_T_FILL && s->left) {
		ret = fastboot_sparse_emit(s, FASTBOOT_SPARSE_OP_FILL, s->left, NULL);
		if (ret)
			return ret;
	}
	/* CRC32: accepted and ignored (see fastboot_sparse.h). */
	return fastboot_sparse_next_chunk(s);
}

/* Move up to @want - s->hdr_len bytes into s->hdr; returns the count. */
static size_t fastboot_sparse_collect(struct fastboot_sparse *s, const u8 *p,
				      size_t len, size_t want)
{
	size_t n = want - s->hdr_len;

	if (n > len)
		n = len;
	memcpy(s->hdr + s->hdr_len, p, n);
	s->hdr_len += n;
	return n;
}

int fastboot_sparse_feed(struct fastboot_sparse *s, const void *buf, size_t len)
{
	const u8 *p = buf;
	size_t n;
	int ret = 0;

	if (s->err)
		return s->err;
	while (len) {
		switch (s->state) {
		case FASTBOOT_SP_FILE_HDR:
			n = fastboot_sparse_collect(s, p, len,
						    FASTBOOT_SPARSE_FILE_HDR_LEN);
			if (s->hdr_len == FASTBOOT_SPARSE_FILE_HDR_LEN)
				ret = fastboot_sparse_file_hdr(s);
			break;
		case FASTBOOT_SP_FILE_SKIP:
		case FASTBOOT_SP_CHUNK_SKIP:
			n = len < s->skip ? len : s->skip;
			s->skip -= n;
			if (!s->skip)
				ret = s->state == FASTBOOT_SP_FILE_SKIP ?
					fastboot_sparse_next_chunk(s) :
					fastboot_sparse_body(s);
			break;
		case FASTBOOT_SP_CHUNK_HDR:
			n = fastboot_sparse_collect(s, p, len,
						    FASTBOOT_SPARSE_CHUNK_HDR_LEN);
			if (s->hdr_len == FASTBOOT_SPARSE_CHUNK_HDR_LEN)
				ret = fastboot_sparse_chunk_hdr(s);
			break;
		case FASTBOOT_SP_DATA4:
			n = fastboot_sparse_collect(s, p, len, FASTBOOT_SP_DATA4_LEN);
			if (s->hdr_len == FASTBOOT_SP_DATA4_LEN)
				ret = fastboot_sparse_data4(s);
			break;
		case FASTBOOT_SP_RAW:
			n = len < s->left ? len : (size_t)s->left;
			ret = fastboot_sparse_emit(s, FASTBOOT_SPARSE_OP_WRITE, n, p);
			if (ret)
				break;
			s->pos += n;
			s->left -= n;
			if (!s->left)
				ret = fastboot_sparse_next_chunk(s);
			break;
		case FASTBOOT_SP_DONE:
		case FASTBOOT_SP_SHORT:
			return fastboot_sparse_fail(s, -EINVAL,
					      "data after the last chunk");
		default:
			return fastboot_sparse_fail(s, -EINVAL, "bad decoder state");
		}
		if (ret)
			return ret;
		p += n;
		len -= n;
	}
	return 0;
}

int fastboot_sparse_finish(struct fastboot_sparse *s)
{
	if (s->err)
		return s->err;
	switch (s->state) {
	case FASTBOOT_SP_DONE:
		return 0;
	case FASTBOOT_SP_SHORT:
		return FASTBOOT_SPARSE_SHORT;
	case FASTBOOT_SP_FILE_HDR:
		return fastboot_sparse_fail(s, -ENODATA, s->hdr_len ?
				      "truncated file header" :
				      "empty sparse image");
	case FASTBOOT_SP_FILE_SKIP:
		return fastboot_sparse_fail(s, -ENODATA, "truncated file header");
	case FASTBOOT_SP_CHUNK_HDR:
		if (s->hdr_len)
			return fastboot_sparse_fail(s, -ENODATA,
					      "truncated chunk header");
		/*
		 * fastboot 29.0.6 drops the trailing DONT_CARE of a piece but
		 * counts it in the header (Documentation/fastboot-protocol.rst,
		 * "Sparse quirks").
		 */
		if (s->total_chunks - s->chunks == 1 &&
		    s->blk < s->total_blks) {
			s->why = "last chunk missing, its blocks left untouched";
			s->state = FASTBOOT_SP_SHORT;
			return FASTBOOT_SPARSE_SHORT;
		}
		return fastboot_sparse_fail(s, -ENODATA, "chunks missing");
	case FASTBOOT_SP_CHUNK_SKIP:
		return fastboot_sparse_fail(s, -ENODATA, "truncated chunk header");
	case FASTBOOT_SP_RAW:
	case FASTBOOT_SP_DATA4:
		return fastboot_sparse_fail(s, -ENODATA, "truncated chunk data");
	default:
		return fastboot_sparse_fail(s, -EINVAL, "bad decoder state");
	}
}

/* ---- encoder ---- */

int fastboot_sparse_put_file_hdr(u8 *buf, u32 blk_sz, u32 total_blks,
				 u32 total_chunks)
{
	if (!blk_sz || blk_sz % 4)
		return -EINVAL;
	fastboot_put_le32(buf + FASTBOOT_SP_OFF_MAGIC, FASTBOOT_SPARSE_MAGIC);
	fastboot_put_le16(buf + FASTBOOT_SP_OFF_MAJOR, FASTBOOT_SPARSE_MAJOR);
	fastboot_put_le16(buf + FASTBOOT_SP_OFF_MINOR, 0);
	fastboot_put_le16(buf + FASTBOOT_SP_OFF_FILE_HDR_SZ, FASTBOOT_SPARSE_FILE_HDR_LEN);
	fastboot_put_le16(buf + FASTBOOT_SP_OFF_CHUNK_HDR_SZ, FASTBOOT_SPARSE_CHUNK_HDR_LEN);
	fastboot_put_le32(buf + FASTBOOT_SP_OFF_BLK_SZ, blk_sz);
	fastboot_put_le32(buf + FASTBOOT_SP_OFF_TOTAL_BLKS, total_blks);
	fastboot_put_le32(buf + FASTBOOT_SP_OFF_TOTAL_CHUNKS, total_chunks);
	fastboot_put_le32(buf + FASTBOOT_SP_OFF_CHECKSUM, 0);
	return 0;
}

int fastboot_sparse_chunk_size(u16 type, u32 chunk_sz, u32 blk_sz, u32 *total_sz)
{
	u64 t;

	if (!blk_sz || blk_sz % 4)
		return -EINVAL;
	switch (type) {
	case FASTBOOT_SPARSE_RAW:
		t = FASTBOOT_SPARSE_CHUNK_HDR_LEN + (u64)chunk_sz * blk_sz;
		if (t > 0xffffffffull)
			return -EOVERFLOW;
		break;
	case FASTBOOT_SPARSE_FILL:
		t = FASTBOOT_SPARSE_CHUNK_HDR_LEN + FASTBOOT_SP_DATA4_LEN;
		break;
	case FASTBOOT_SPARSE_DONT_CARE:
		t = FASTBOOT_SPARSE_CHUNK_HDR_LEN;
		break;
	case FASTBOOT_SPARSE_CRC32:
		if (chunk_sz)
			return -EINVAL;
		t = FASTBOOT_SPARSE_CHUNK_HDR_LEN + FASTBOOT_SP_DATA4_LEN;
		break;
	default:
		return -EINVAL;
	}
	*total_sz = (u32)t;
	return 0;
}

int fastboot_sparse_put_chunk_hdr(u8 *buf, u16 type, u32 chunk_sz, u32 blk_sz,
				  u32 *total_sz)
{
	u32 t;
	int ret;

	ret = fastboot_sparse_chunk_size(type, chunk_sz, blk_sz, &t);
	if (ret)
		return ret;
	fastboot_put_le16(buf + FASTBOOT_SP_OFF_TYPE, type);
	fastboot_put_le16(buf + FASTBOOT_SP_OFF_RESERVED, 0);
	fastboot_put_le32(buf + FASTBOOT_SP_OFF_CHUNK_SZ, chunk_sz);
	fastboot_put_le32(buf + FASTBOOT_SP_OFF_TOTAL_SZ, t);
	if (total_sz)
		*total_sz = t;
	return 0;
}
