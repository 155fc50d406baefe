// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for lib/imxflash/fastboot_sparse.c with hand-built images:
 *
 *  - every chunk type, larger file and chunk headers, empty chunks, uuu
 *    pieces, the fastboot 29.0.6 short piece, each decoded whole, in
 *    steps and at random splits;
 *  - a valid image cut at every byte, each place with its own reason;
 *  - every malformed field with its errno and reason, and nothing
 *    emitted for it; a failing output callback;
 *  - the encoder's headers and chunk sizes, an image it builds decoded.
 *
 * Every operation is checked by the sink (fastboot_sparse_util.c): nothing
 * past the limit, no empty or backward operation, nothing after an error.
 * The images of img2simg/simg2simg are in fastboot_sparse_tool_test.c.
 */
#include <stdlib.h>

#include <imxflash/fastboot_sparse.h>

#include "kselftest_harness.h"
#include "fastboot_sparse_util.h"

/* Decode @m with several plans; the output must be m->exp. */
static void check_img(struct __test_metadata *_metadata, struct img *m,
		      u64 limit, int want)
{
	static const struct plan plans[] = {
		{ .how = FEED_WHOLE },
		{ .how = FEED_STEP, .arg = 1 },
		{ .how = FEED_STEP, .arg = 5 },
		{ .how = FEED_RANDOM, .arg = 9, .seed = 1 },
		{ .how = FEED_RANDOM, .arg = 100, .seed = 2 },
		{ .how = FEED_RANDOM, .arg = 3000, .seed = 3 },
	};
	u8 *out = malloc(EXP_MAX);
	struct result r;
	struct sink k;
	size_t i;

	ASSERT_NE(NULL, out);
	for (i = 0; i < ARRAY_SIZE(plans); i++) {
		sink_init(&k, out, EXP_MAX, limit);
		decode(&r, &k, m->buf, m->len, 0, &plans[i]);
		ASSERT_EQ(want, r.fin) {
			TH_LOG("plan %zu: %s", i, str(r.why));
		}
		ASSERT_EQ(NULL, k.bad) {
			TH_LOG("plan %zu: %s", i, k.bad);
		}
		ASSERT_EQ(0, memcmp(out, m->exp, EXP_MAX)) {
			TH_LOG("plan %zu: output differs", i);
		}
	}
	free(out);
}

TEST(all_chunk_types)
{
	struct img m;

	img_init(&m, 4096, 28, 12);
	img_raw(&m, 3);
	img_fill(&m, 2, 0x00000000);
	img_fill(&m, 5, 0xdeadbeef);
	img_skip(&m, 4);
	img_crc(&m);
	img_raw(&m, 1);
	img_skip(&m, 7);
	check_img(_metadata, &m, EXP_MAX, 0);
	img_free(&m);
}

/* file_hdr_sz and chunk_hdr_sz larger than 28 / 12: extra bytes skipped */
TEST(large_headers)
{
	static const u16 sizes[][2] = {
		{ 29, 12 }, { 28, 13 }, { 64, 32 }, { 300, 100 }, { 32, 16 },
	};
	struct img m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		img_init(&m, 8, sizes[i][0], sizes[i][1]);
		img_raw(&m, 5);
		img_fill(&m, 3, 0x80706050);
		img_crc(&m);
		img_skip(&m, 2);
		img_raw(&m, 1);
		check_img(_metadata, &m, EXP_MAX, 0);
		img_free(&m);
	}
}

/* Empty chunks (simg2simg writes RAW chunks of 0 blocks), no chunks. */
TEST(empty_chunks)
{
	struct img m;

	img_init(&m, 4, 28, 12);
	img_raw(&m, 0);
	img_fill(&m, 0, 0x1234);
	img_skip(&m, 0);
	img_raw(&m, 2);
	img_raw(&m, 0);
	check_img(_metadata, &m, EXP_MAX, 0);
	img_free(&m);

	img_init(&m, 4096, 28, 12);
	check_img(_metadata, &m, 0, 0);
	img_free(&m);
}

/* uuu pieces: total_blks counts only the piece's own chunks. */
TEST(uuu_piece)
{
	struct img m;

	img_init(&m, 512, 28, 12);
	img_skip(&m, 100);
	img_raw(&m, 30);
	check_img(_metadata, &m, EXP_MAX, 0);
	img_free(&m);
}

/*
 * fastboot 29.0.6 piece 1 of a raw image that is not a block multiple
 * (Documentation/fastboot-protocol.rst, "Sparse quirks"): 5 chunks and
 * 10241 blocks in the header, the trailing DONT_CARE of 3074 blocks
 * missing. Block size scaled down from 4096 to 64.
 */
TEST(fastboot_29_short_piece)
{
	struct plan p = { .how = FEED_STEP, .arg = 1024 };
	struct result r;
	struct sink k;
	struct img m;

	img_init(&m, 64, 28, 12);
	img_raw(&m, 2560);
	img_fill(&m, 2048, 0);
	img_fill(&m, 1024, 0xffffffff);
	img_raw(&m, 1535);
	ASSERT_EQ(7167U, m.blks);
	put32(m.buf + 16, 10241);
	put32(m.buf + 20, 5);
	check_img(_metadata, &m, 10241 * 64, FASTBOOT_SPARSE_SHORT);

	sink_init(&k, NULL, 0, 10241 * 64);
	decode(&r, &k, m.buf, m.len, 0, &p);
	EXPECT_EQ(FASTBOOT_SPARSE_SHORT, r.fin);
	EXPECT_STREQ("last chunk missing, its blocks left untouched",
		     str(r.why));
	EXPECT_EQ(4U, r.s.chunks);
	/* nothing may follow */
	EXPECT_EQ(-EINVAL, fastboot_sparse_feed(&r.s, m.buf, 1));
	EXPECT_STREQ("data after the last chunk", str(r.s.why));

	/* two chunks missing: truncated */
	put32(m.buf + 20, 6);
	sink_init(&k, NULL, 0, 10241 * 64);
	decode(&r, &k, m.buf, m.len, 0, &p);
	EXPECT_EQ(-ENODATA, r.fin);
	EXPECT_STREQ("chunks missing", str(r.why));

	/* one chunk missing but no blocks left for it: truncated */
	put32(m.buf + 16, 7167);
	put32(m.buf + 20, 5);
	sink_init(&k, NULL, 0, 10241 * 64);
	decode(&r, &k, m.buf, m.len, 0, &p);
	EXPECT_EQ(-ENODATA, r.fin);
	EXPECT_STREQ("chunks missing", str(r.why));
	img_free(&m);
}

/* Cut a valid image at every byte: the precise reason for each place. */
TEST(truncated_everywhere)
{
	struct plan p = { .how = FEED_STEP, .arg = 7 };
	const char *want;
	struct result r;
	struct sink k;
	struct img m;
	size_t cut;
	unsigned int c;
	int fin;

	img_init(&m, 8, 32, 16);
	img_raw(&m, 2);			/* chunk 0 */
	img_fill(&m, 3, 0x01010101);	/* chunk 1 */
	img_skip(&m, 2);		/* chunk 2 */
	img_crc(&m);			/* chunk 3 */
	img_raw(&m, 1);			/* chunk 4: the last */
	img_crc(&m);			/* chunk 5: the last, no blocks */
	m.start[m.chunks] = m.len;

	for (cut = 0; cut < m.len; cut++) {
		fin = -ENODATA;
		if (!cut) {
			want = "empty sparse image";
		} else if (cut < m.fhs) {
			want = "truncated file header";
		} else {
			for (c = 0; m.start[c + 1] <= cut; c++)
				;
			if (cut == m.start[c])
				want = "chunks missing";
			else if (cut < m.start[c] + m.chs)
				want = "truncated chunk header";
			else
				want = "truncated chunk data";
		}
		sink_init(&k, NULL, 0, 1000);
		decode(&r, &k, m.buf, cut, 0, &p);
		ASSERT_EQ(0, r.feed);
		ASSERT_EQ(fin, r.fin) {
			TH_LOG("cut at %zu: %s", cut, str(r.why));
		}
		ASSERT_STREQ(want, str(r.why)) {
			TH_LOG("cut at %zu", cut);
		}
		ASSERT_EQ(NULL, k.bad);
	}
	sink_init(&k, NULL, 0, 1000);
	decode(&r, &k, m.buf, m.len, 0, &p);
	ASSERT_EQ(0, r.fin);

	/* without the final CRC32 chunk, a cut before the RAW is short */
	m.chunks--;
	m.len = m.start[m.chunks];
	img_seal(&m);
	sink_init(&k, NULL, 0, 1000);
	decode(&r, &k, m.buf, m.start[4], 0, &p);
	ASSERT_EQ(FASTBOOT_SPARSE_SHORT, r.fin);
	img_free(&m);
}

/* ---- malformed images: errno, reason, and nothing emitted ---- */

struct bad_case {
	const char *name;
	int err;
	const char *why;
	u64 limit;		/* 0: 1 MiB */
	u32 align;
	u64 bytes;		/* output covered before the error */
};

/*
 * A valid image of one RAW block (blk_sz 4096) then @tail; @patch edits
 * it. Decoded in several plans.
 */
static void bad_run(struct __test_metadata *_metadata, struct img *m,
		    const struct bad_case *bc)
{
	static const struct plan plans[] = {
		{ .how = FEED_WHOLE },
		{ .how = FEED_STEP, .arg = 1 },
		{ .how = FEED_RANDOM, .arg = 50, .seed = 7 },
	};
	struct result r;
	struct sink k;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(plans); i++) {
		sink_init(&k, NULL, 0, bc->limit ?: MIB);
		decode(&r, &k, m->buf, m->len, bc->align, &plans[i]);
		EXPECT_EQ(bc->err, r.feed) {
			TH_LOG("%s, plan %zu: %s", bc->name, i, str(r.why));
		}
		EXPECT_EQ(bc->err, r.fin);
		EXPECT_STREQ(bc->why, str(r.why)) {
			TH_LOG("%s", bc->name);
		}
		EXPECT_EQ(bc->bytes, k.bytes) {
			TH_LOG("%s, plan %zu", bc->name, i);
		}
		EXPECT_EQ(NULL, k.bad) {
			TH_LOG("%s: %s", bc->name, k.bad);
		}
	}
}

FIXTURE(bad) {
	struct img m;
};

FIXTURE_SETUP(bad)
{
	img_init(&self->m, 4096, 28, 12);
	img_raw(&self->m, 1);
}

FIXTURE_TEARDOWN(bad)
{
	img_free(&self->m);
}

TEST_F(bad, magic)
{
	static const struct bad_case bc = {
		.name = "magic", .err = -EINVAL,
		.why = "bad sparse magic" };

	self->m.buf[3] ^= 0x80;
	bad_run(_metadata, &self->m, &bc);
	EXPECT_FALSE(fastboot_sparse_is_sparse(self->m.buf, self->m.len));
}

TEST_F(bad, major)
{
	static const struct bad_case bc = {
		.name = "major", .err = -EINVAL,
		.why = "unsupported sparse major version" };

	put16(self->m.buf + 4, 2);
	bad_run(_metadata, &self->m, &bc);
	/* still recognised as sparse, so that the decoder says why */
	EXPECT_TRUE(fastboot_sparse_is_sparse(self->m.buf, self->m.len));
	put16(self->m.buf + 4, 0);
	bad_run(_metadata, &self->m, &bc);
}

TEST_F(bad, minor_accepted)
{
	put16(self->m.buf + 6, 7);
	check_img(_metadata, &self->m, MIB, 0);
}

TEST_F(bad, file_hdr_sz)
{
	static const struct bad_case bc = {
		.name = "file_hdr_sz", .err = -EINVAL,
		.why = "file_hdr_sz < 28" };

	put16(self->m.buf + 8, 27);
	bad_run(_metadata, &self->m, &bc);
	put16(self->m.buf + 8, 0);
	bad_run(_metadata, &self->m, &bc);
}

TEST_F(bad, chunk_hdr_sz)
{
	static const struct bad_case bc = {
		.name = "chunk_hdr_sz", .err = -EINVAL,
		.why = "chunk_hdr_sz < 12" };

	put16(self->m.buf + 10, 11);
	bad_run(_metadata, &self->m, &bc);
}

TEST_F(bad, blk_sz)
{
	static const struct bad_case zero = {
		.name = "blk_sz 0", .err = -EINVAL,
		.why = "blk_sz 0" };
	static const struct bad_case odd = {
		.name = "blk_sz 4094", .err = -EINVAL,
		.why = "blk_sz not a multiple of 4" };
	static const struct bad_case align = {
		.name = "align", .err = -EINVAL,
		.why = "blk_sz not a multiple of the storage block size",
		.align = 8192 };

	put32(self->m.buf + 12, 0);
	bad_run(_metadata, &self->m, &zero);
	put32(self->m.buf + 12, 4094);
	bad_run(_metadata, &self->m, &odd);
	put32(self->m.buf + 12, 4096);
	bad_run(_metadata, &self->m, &align);
}

TEST_F(bad, image_past_limit)
{
	static const struct bad_case bc = {
		.name = "limit", .err = -ENOSPC,
		.why = "image larger than the partition", .limit = 4095 };

	bad_run(_metadata, &self->m, &bc);
}

/* a huge total_blks * blk_sz: computed in 64 bits */
TEST_F(bad, image_size_overflow)
{
	static const struct bad_case bc = {
		.name = "total_blks", .err = -ENOSPC,
		.why = "image larger than the partition", .limit = ~0ULL >> 1 };

	put32(self->m.buf + 12, 0xfffffffc);
	put32(self->m.buf + 16, 0xffffffff);
	put32(self->m.buf + 20, 1);
	/* 0xfffffffc * 0xffffffff > 2^63 but < 2^64 */
	bad_run(_metadata, &self->m, &bc);
}

TEST_F(bad, raw_total_sz)
{
	static const struct bad_case bc = {
		.name = "raw", .err = -EINVAL,
		.why = "RAW chunk total_sz != chunk_hdr_sz + chunk_sz * blk_sz" };

	put32(self->m.buf + 28 + 8, 12 + 4095);
	bad_run(_metadata, &self->m, &bc);
	put32(self->m.buf + 28 + 8, 12 + 4097);
	bad_run(_metadata, &self->m, &bc);
	put32(self->m.buf + 28 + 8, 11);
	bad_run(_metadata, &self->m, &bc);
}

/* chunk_sz * blk_sz wraps to the right total_sz in 32 bits */
TEST_F(bad, raw_size_wraps_32)
{
	static const struct bad_case bc = {
		.name = "raw wrap", .err = -EINVAL,
		.why = "RAW chunk total_sz != chunk_hdr_sz + chunk_sz * blk_sz",
		.limit = ~0ULL };

	put32(self->m.buf + 16, 0x100001);	/* total_blks */
	put32(self->m.buf + 28 + 4, 0x100001);	/* 0x100001000 bytes */
	put32(self->m.buf + 28 + 8, 12 + 0x1000);
	bad_run(_metadata, &self->m, &bc);
}

TEST_F(bad, fill_total_sz)
{
	static const struct bad_case bc = {
		.name = "fill", .err = -EINVAL,
		.why = "FILL chunk total_sz != chunk_hdr_sz + 4", .bytes = 4096 };
	u8 d[8] = { 0 };

	img_chunk(&self->m, FASTBOOT_SPARSE_FILL, 1, 12 + 8, d, 8);
	self->m.blks++;
	img_seal(&self->m);
	bad_run(_metadata, &self->m, &bc);
}

TEST_F(bad, dont_care_with_data)
{
	static const struct bad_case bc = {
		.name = "dont care", .err = -EINVAL,
		.why = "DONT_CARE chunk total_sz != chunk_hdr_sz", .bytes = 4096 };
	u8 d[4] = { 0 };

	img_chunk(&self->m, FASTBOOT_SPARSE_DONT_CARE, 1, 12 + 4, d, 4);
	self->m.blks++;
	img_seal(&self->m);
	bad_run(_metadata, &self->m, &bc);
}

TEST_F(bad, crc32_total_sz)
{
	static const struct bad_case bc = {
		.name = "crc", .err = -EINVAL,
		.why = "CRC32 chunk total_sz != chunk_hdr_sz + 4", .bytes = 4096 };

	img_chunk(&self->m, FASTBOOT_SPARSE_CRC32, 0, 12, NULL, 0);
	bad_run(_metadata, &self->m, &bc);
}

/* a CRC32 chunk's chunk_sz is ignored, as by libsparse */
TEST_F(bad, crc32_chunk_sz_ignored)
{
	u8 d[4] = { 1, 2, 3, 4 };

	img_chunk(&self->m, FASTBOOT_SPARSE_CRC32, 1000, 12 + 4, d, 4);
	check_img(_metadata, &self->m, MIB, 0);
}

TEST_F(bad, unknown_type)
{
	static const struct bad_case bc = {
		.name = "type", .err = -EINVAL,
		.why = "unknown chunk type", .bytes = 4096 };
	static const u16 types[] = { 0, 0xcac0, 0xcac5, 0xc1ca, 0xffff };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		img_free(&self->m);
		img_init(&self->m, 4096, 28, 12);
		img_raw(&self->m, 1);
		img_chunk(&self->m, types[i], 1, 12, NULL, 0);
		bad_run(_metadata, &self->m, &bc);
	}
}

TEST_F(bad, beyond_total_blks)
{
	static const struct bad_case bc = {
		.name = "total_blks", .err = -EINVAL,
		.why = "chunk beyond total_blks", .bytes = 4096 };

	img_skip(&self->m, 5);
	put32(self->m.buf + 16, 5);	/* 1 + 5 blocks in 5 */
	bad_run(_metadata, &self->m, &bc);
}

/* a FILL whose extent would wrap a 32-bit block number */
TEST_F(bad, beyond_total_blks_wrap)
{
	static const struct bad_case bc = {
		.name = "wrap", .err = -EINVAL,
		.why = "chunk beyond total_blks", .limit = ~0ULL, .bytes = 4096 };
	u8 d[4] = { 0 };

	img_chunk(&self->m, FASTBOOT_SPARSE_FILL, 0xffffffff, 16, d, 4);
	put32(self->m.buf + 16, 0xffffffff);
	bad_run(_metadata, &self->m, &bc);
}

TEST_F(bad, blocks_short_of_total)
{
	static const struct bad_case bc = {
		.name = "sum", .err = -EINVAL,
		.why = "chunks do not add up to total_blks", .bytes = 3 * 4096 };

	img_skip(&self->m, 2);
	put32(self->m.buf + 16, 4);
	bad_run(_metadata, &self->m, &bc);
}

TEST_F(bad, data_after_last_chunk)
{
	static const struct bad_case bc = {
		.name = "trailing", .err = -EINVAL,
		.why = "data after the last chunk", .bytes = 4096 };

	self->m.buf[self->m.len++] = 0;
	bad_run(_metadata, &self->m, &bc);
}

TEST_F(bad, no_chunks_but_data)
{
	static const struct bad_case bc = {
		.name = "trailing", .err = -EINVAL,
		.why = "data after the last chunk" };

	put32(self->m.buf + 16, 0);
	put32(self->m.buf + 20, 0);
	bad_run(_metadata, &self->m, &bc);
}

/* the callback fails: its error is returned, nothing more happens */
TEST_F(bad, callback_error)
{
	struct plan p = { .how = FEED_STEP, .arg = 100 };
	struct result r;
	struct sink k;

	img_fill(&self->m, 2, 7);
	img_raw(&self->m, 1);
	sink_init(&k, NULL, 0, MIB);
	k.fail_at = 3;
	k.fail_ret = -EIO;
	decode(&r, &k, self->m.buf, self->m.len, 0, &p);
	EXPECT_EQ(-EIO, r.feed);
	EXPECT_EQ(-EIO, r.fin);
	EXPECT_STREQ("output operation failed", str(r.why));
	EXPECT_EQ(3U, k.nops);
	EXPECT_EQ(NULL, k.bad);

	/* a positive return is an error too */
	sink_init(&k, NULL, 0, MIB);
	k.fail_at = 1;
	k.fail_ret = 1;
	decode(&r, &k, self->m.buf, self->m.len, 0, &p);
	EXPECT_EQ(-EIO, r.feed);
	EXPECT_EQ(1U, k.nops);
}

TEST(is_sparse)
{
	u8 h[FASTBOOT_SPARSE_FILE_HDR_LEN];

	ASSERT_EQ(0, fastboot_sparse_put_file_hdr(h, 4096, 1, 1));
	EXPECT_TRUE(fastboot_sparse_is_sparse(h, sizeof(h)));
	EXPECT_TRUE(fastboot_sparse_is_sparse(h, 4));
	EXPECT_FALSE(fastboot_sparse_is_sparse(h, 3));
	EXPECT_FALSE(fastboot_sparse_is_sparse(h, 0));
	EXPECT_FALSE(fastboot_sparse_is_sparse("ANDROID!", 8));
	EXPECT_FALSE(fastboot_sparse_is_sparse("\xed\x26\xff\x3a", 4));
	EXPECT_TRUE(fastboot_sparse_is_sparse("\x3a\xff\x26\xed", 4));
}

/* ---- encoder ---- */

TEST(encoder)
{
	static const u8 want_hdr[FASTBOOT_SPARSE_FILE_HDR_LEN] = {
		0x3a, 0xff, 0x26, 0xed, 1, 0, 0, 0, 28, 0, 12, 0,
		0x00, 0x10, 0, 0, 0x01, 0x28, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0,
	};
	static const u8 want_raw[FASTBOOT_SPARSE_CHUNK_HDR_LEN] = {
		0xc1, 0xca, 0, 0, 0x00, 0x0a, 0, 0, 0x0c, 0x00, 0xa0, 0x00,
	};
	u8 h[FASTBOOT_SPARSE_FILE_HDR_LEN], c[FASTBOOT_SPARSE_CHUNK_HDR_LEN];
	u32 t = 0;

	ASSERT_EQ(0, fastboot_sparse_put_file_hdr(h, 4096, 10241, 5));
	EXPECT_EQ(0, memcmp(h, want_hdr, sizeof(h)));
	EXPECT_EQ(-EINVAL, fastboot_sparse_put_file_hdr(h, 0, 1, 1));
	EXPECT_EQ(-EINVAL, fastboot_sparse_put_file_hdr(h, 4094, 1, 1));

	ASSERT_EQ(0, fastboot_sparse_put_chunk_hdr(c, FASTBOOT_SPARSE_RAW, 2560, 4096,
					     &t));
	EXPECT_EQ(0, memcmp(c, want_raw, sizeof(c)));
	EXPECT_EQ(12 + 2560 * 4096U, t);
	EXPECT_EQ(0, fastboot_sparse_put_chunk_hdr(c, FASTBOOT_SPARSE_RAW, 1, 4, NULL));

	EXPECT_EQ(0, fastboot_sparse_chunk_size(FASTBOOT_SPARSE_FILL, 99, 4096, &t));
	EXPECT_EQ(16U, t);
	EXPECT_EQ(0, fastboot_sparse_chunk_size(FASTBOOT_SPARSE_DONT_CARE, 99, 4096, &t));
	EXPECT_EQ(12U, t);
	EXPECT_EQ(0, fastboot_sparse_chunk_size(FASTBOOT_SPARSE_CRC32, 0, 4096, &t));
	EXPECT_EQ(16U, t);
	EXPECT_EQ(0, fastboot_sparse_chunk_size(FASTBOOT_SPARSE_RAW, 0, 4096, &t));
	EXPECT_EQ(12U, t);
	/* the largest RAW chunk whose total_sz fits in 32 bits */
	EXPECT_EQ(0, fastboot_sparse_chunk_size(FASTBOOT_SPARSE_RAW, 0x3ffffffc, 4, &t));
	EXPECT_EQ(0xfffffffc, t);
	EXPECT_EQ(-EOVERFLOW,
		  fastboot_sparse_chunk_size(FASTBOOT_SPARSE_RAW, 0x3ffffffd, 4, &t));
	EXPECT_EQ(-EOVERFLOW,
		  fastboot_sparse_chunk_size(FASTBOOT_SPARSE_RAW, 0x100000, 4096, &t));
	EXPECT_EQ(-EOVERFLOW, fastboot_sparse_put_chunk_hdr(c, FASTBOOT_SPARSE_RAW,
						      0xffffffff, 0xfffffffc,
						      &t));
	EXPECT_EQ(-EINVAL, fastboot_sparse_chunk_size(FASTBOOT_SPARSE_CRC32, 1, 4096, &t));
	EXPECT_EQ(-EINVAL, fastboot_sparse_chunk_size(0xcac5, 1, 4096, &t));
	EXPECT_EQ(-EINVAL, fastboot_sparse_chunk_size(FASTBOOT_SPARSE_FILL, 1, 0, &t));
	EXPECT_EQ(-EINVAL, fastboot_sparse_chunk_size(FASTBOOT_SPARSE_FILL, 1, 6, &t));
	memset(c, 0x77, sizeof(c));
	EXPECT_EQ(-EINVAL, fastboot_sparse_put_chunk_hdr(c, 0, 1, 4096, &t));
	EXPECT_EQ(0x77, c[0]);
}

/* An image built with the encoder decodes to what was put in. */
TEST(encoder_round_trip)
{
	u8 *img = malloc(65536), *exp = malloc(16384), *out = malloc(16384);
	struct plan p = { .how = FEED_STEP, .arg = 3 };
	u32 t, blk = 512;
	struct result r;
	struct sink k;
	size_t n = 0;

	ASSERT_NE(NULL, img);
	ASSERT_NE(NULL, exp);
	ASSERT_NE(NULL, out);
	memset(exp, POISON, 16384);
	rnd_state = 99;

	ASSERT_EQ(0, fastboot_sparse_put_file_hdr(img, blk, 20, 4));
	n += FASTBOOT_SPARSE_FILE_HDR_LEN;
	ASSERT_EQ(0, fastboot_sparse_put_chunk_hdr(img + n, FASTBOOT_SPARSE_DONT_CARE, 4,
					     blk, &t));
	n += t;
	ASSERT_EQ(0, fastboot_sparse_put_chunk_hdr(img + n, FASTBOOT_SPARSE_RAW, 6, blk,
					     &t));
	rnd_fill(img + n + 12, t - 12);
	memcpy(exp + 4 * blk, img + n + 12, t - 12);
	n += t;
	ASSERT_EQ(0, fastboot_sparse_put_chunk_hdr(img + n, FASTBOOT_SPARSE_FILL, 10, blk,
					     &t));
	put32(img + n + 12, 0xa5a5a5a5);
	memset(exp + 10 * blk, 0xa5, 10 * blk);
	n += t;
	ASSERT_EQ(0, fastboot_sparse_put_chunk_hdr(img + n, FASTBOOT_SPARSE_CRC32, 0, blk,
					     &t));
	n += t;

	sink_init(&k, out, 16384, 16384);
	decode(&r, &k, img, n, 0, &p);
	ASSERT_EQ(0, r.fin) {
		TH_LOG("%s", str(r.why));
	}
	ASSERT_EQ(NULL, k.bad);
	ASSERT_EQ(0, memcmp(out, exp, 16384));
	ASSERT_EQ(1U, k.nskip);
	ASSERT_EQ(1U, k.nfill);
	free(img);
	free(exp);
	free(out);
}

/*
 * The sink's own checks must catch a bad operation, or none of the
 * invariant checks above would mean anything.
 */
TEST(sink_catches)
{
	struct fastboot_sparse_op op = { .offset = 8, .len = 8,
				   .type = FASTBOOT_SPARSE_OP_SKIP };
	struct sink k;

	sink_init(&k, NULL, 0, 12);
	sink_emit(&k, &op);
	EXPECT_STREQ("operation past the limit", str(k.bad));
	sink_init(&k, NULL, 0, 100);
	sink_emit(&k, &op);
	op.offset = 0;
	sink_emit(&k, &op);
	EXPECT_STREQ("operation goes backwards", str(k.bad));
	sink_init(&k, NULL, 0, 100);
	op.len = 0;
	sink_emit(&k, &op);
	EXPECT_STREQ("empty operation", str(k.bad));
}

TEST_HARNESS_MAIN
