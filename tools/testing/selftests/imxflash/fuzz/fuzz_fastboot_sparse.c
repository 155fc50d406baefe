// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: streaming sparse image decoder.
 *
 * Input: byte 0 selects the limit (x 256 bytes, so at most ~64 KiB),
 * byte 1 seeds the split of the rest into feeds of random sizes (and its
 * bit 0 asks for blk_sz to be a multiple of 512), the rest is the image.
 * The operations are applied to a buffer of exactly the limit's size
 * (ASan catches any write past it) and checked: nothing past the limit,
 * no empty or backward operation, WRITE data inside the current feed,
 * nothing after an error, and finish() consistent with the
 * decoder's counters.
 */
#include <stdlib.h>
#include <string.h>

#include <imxflash/fastboot_sparse.h>

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

struct ctx {
	u8 *out;
	u64 limit;
	u64 end;		/* end of the previous operation */
	u64 bytes;		/* output covered */
	const u8 *feed;		/* the current feed */
	size_t feed_len;
	bool failed;		/* the decoder returned an error */
};

static int emit(void *arg, const struct fastboot_sparse_op *op)
{
	struct ctx *c = arg;
	u64 i;

	CHECK(!c->failed);
	CHECK(op->len);
	CHECK(op->offset <= c->limit && op->len <= c->limit - op->offset);
	CHECK(op->offset >= c->end);
	c->end = op->offset + op->len;
	c->bytes += op->len;
	switch (op->type) {
	case FASTBOOT_SPARSE_OP_WRITE:
		CHECK(op->data >= c->feed &&
		      op->len <= (u64)(c->feed + c->feed_len - op->data));
		memcpy(c->out + op->offset, op->data, op->len);
		break;
	case FASTBOOT_SPARSE_OP_FILL:
		CHECK(op->offset % 4 == 0 && op->len % 4 == 0);
		for (i = 0; i < op->len; i += 4)
			memcpy(c->out + op->offset + i, op->fill, 4);
		break;
	case FASTBOOT_SPARSE_OP_SKIP:
		break;
	default:
		CHECK(0);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fastboot_sparse s;
	struct ctx c = { 0 };
	size_t pos = 0, n;
	int err = 0, ret;
	u32 rnd, t, align;
	u8 hdr[FASTBOOT_SPARSE_CHUNK_HDR_LEN];

	if (size < 2)
		return 0;
	c.limit = (u64)data[0] * 256;
	rnd = data[1] * 2654435761u + 1;
	align = data[1] & 1 ? 512 : 0;
	data += 2;
	size -= 2;
	/* malloc(0) may return NULL; with limit 0 nothing may be written */
	c.out = malloc(c.limit ? c.limit : 1);
	CHECK(c.out);

	CHECK(fastboot_sparse_is_sparse(data, size) ==
	      (size >= 4 && imxf_get_le32(data) == FASTBOOT_SPARSE_MAGIC));

	fastboot_sparse_init(&s, c.limit, align, emit, &c);
	while (pos < size) {
		rnd ^= rnd << 13;
		rnd ^= rnd >> 17;
		rnd ^= rnd << 5;
		n = rnd % 5 == 0 ? 1 + rnd % 3 : 1 + rnd % 700;
		if (rnd % 23 == 0)
			n = 0;
		if (n > size - pos)
			n = size - pos;
		c.feed = data + pos;
		c.feed_len = n;
		ret = fastboot_sparse_feed(&s, data + pos, n);
		CHECK(ret <= 0);
		if (err)
			CHECK(ret == err);
		if (ret) {
			CHECK(s.why && s.err == ret);
			err = ret;
			c.failed = true;
		}
		pos += n;
	}
	ret = fastboot_sparse_finish(&s);
	c.failed = true;
	if (err)
		CHECK(ret == err);
	CHECK(ret == 0 || ret == FASTBOOT_SPARSE_SHORT || ret == -EINVAL ||
	      ret == -ENOSPC || ret == -ENODATA);
	CHECK(ret ? s.why != NULL : s.why == NULL);
	CHECK(fastboot_sparse_finish(&s) == ret);
	CHECK(c.bytes <= c.limit);
	CHECK(s.blk <= s.total_blks && s.chunks <= s.total_chunks);
	if (ret == 0)
		CHECK(s.chunks == s.total_chunks && s.blk == s.total_blks);
	if (ret == FASTBOOT_SPARSE_SHORT)
		CHECK(s.chunks + 1 == s.total_chunks && s.blk < s.total_blks);
	if (s.blk_sz)
		CHECK((u64)s.total_blks * s.blk_sz <= c.limit);
	/* nothing is accepted after the end */
	if (ret >= 0)
		CHECK(fastboot_sparse_feed(&s, "", 1) == -EINVAL);
	free(c.out);

	/* encoder: header fields from the input */
	if (size >= 10) {
		u16 type = 0xcac0 | (data[0] & 7);
		u32 chunk_sz = imxf_get_le32(data + 2);
		u32 blk_sz = imxf_get_le32(data + 6);
		u64 want;

		ret = fastboot_sparse_put_chunk_hdr(hdr, type, chunk_sz, blk_sz, &t);
		if (!blk_sz || blk_sz % 4 || type < FASTBOOT_SPARSE_RAW ||
		    type > FASTBOOT_SPARSE_CRC32 ||
		    (type == FASTBOOT_SPARSE_CRC32 && chunk_sz)) {
			CHECK(ret == -EINVAL);
		} else if (type == FASTBOOT_SPARSE_RAW) {
			want = FASTBOOT_SPARSE_CHUNK_HDR_LEN +
			       (u64)chunk_sz * blk_sz;
			CHECK(want > 0xffffffffu ? ret == -EOVERFLOW :
			      !ret && t == want);
		} else {
			CHECK(!ret && t == (type == FASTBOOT_SPARSE_DONT_CARE ?
					    12u : 16u));
		}
		if (!ret)
			CHECK(imxf_get_le32(hdr + 8) == t &&
			      imxf_get_le32(hdr + 4) == chunk_sz &&
			      (hdr[0] | hdr[1] << 8) == type);
	}
	return 0;
}
