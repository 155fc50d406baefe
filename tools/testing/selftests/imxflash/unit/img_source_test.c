// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for userspace/lib/img-source.c, the bmap-aware image source:
 *
 *  - img.raw plain and compressed four ways, with the bmaptool map (and
 *    its 1.3 and no-checksum forms): the ranges come in order with the
 *    map's blocks, offsets and lengths, their bytes equal img.raw's in
 *    reads of 1 byte to 1 MiB, the end comes once, and the SHA-256 of
 *    the whole image equals sha256sum's; ranges left half read are
 *    finished (and verified) by the next call;
 *  - without a map: one range, the whole image;
 *  - a byte changed in a mapped block: the read that ends its range fails
 *    with -EBADMSG naming the range, its blocks and bmap line, and the
 *    range's bytes were never all handed out; a byte changed in an
 *    unmapped block is not the map's business (the image digest shows
 *    it); truncated and corrupt compressed input, an image longer or
 *    shorter than ImageSize: an error, never the end.
 *
 * Environment: IMG_DATA overrides the data directory.
 */
#include <stdlib.h>
#include <string.h>

#include "bmap.h"
#include "img-source.h"
#include "img_data.h"
#include "kselftest_harness.h"

static const size_t sizes[] = { 1, 4095, 4096, 65536, 1 << 20, 777 };

static void load_map(struct __test_metadata *_metadata, const char *name,
		     struct bmap *b)
{
	char path[512];

	ASSERT_EQ(0, bmap_load(b, img_path(path, sizeof(path), name))) {
		TH_LOG("%s: %s", name, b->why);
	}
}

FIXTURE(src) {
	char *raw, *buf;
	size_t raw_len;
	struct bmap map;
	char sha[80];
};

FIXTURE_VARIANT(src) {
	const char *image, *map;
};

FIXTURE_VARIANT_ADD(src, plain) { .image = "img.raw", .map = "img.bmap" };
FIXTURE_VARIANT_ADD(src, gzip) { .image = "img.raw.gz", .map = "img.bmap" };
FIXTURE_VARIANT_ADD(src, xz) { .image = "img.raw.xz", .map = "img.bmap" };
FIXTURE_VARIANT_ADD(src, zstd) { .image = "img.raw.zst", .map = "img.bmap" };
FIXTURE_VARIANT_ADD(src, bzip2) { .image = "img.raw.bz2", .map = "img.bmap" };
FIXTURE_VARIANT_ADD(src, plain_v1_3) {
	.image = "img.raw", .map = "img-v1.3.bmap",
};
FIXTURE_VARIANT_ADD(src, xz_v1_3) {
	.image = "img.raw.xz", .map = "img-v1.3.bmap",
};
FIXTURE_VARIANT_ADD(src, zstd_nocsum) {
	.image = "img.raw.zst", .map = "img-nocsum.bmap",
};

FIXTURE_SETUP(src)
{
	char *sha;
	size_t len;

	self->raw = img_load("img.raw", &self->raw_len);
	ASSERT_NE(NULL, self->raw) {
		TH_LOG("no img.raw: run make unit");
	}
	sha = img_load("img.sha256", &len);
	ASSERT_NE(NULL, sha);
	ASSERT_LE(64u, len);
	memcpy(self->sha, sha, 64);
	self->sha[64] = '\0';
	free(sha);
	self->buf = malloc(1 << 20);
	ASSERT_NE(NULL, self->buf);
	load_map(_metadata, variant->map, &self->map);
}

FIXTURE_TEARDOWN(src)
{
	bmap_free(&self->map);
	free(self->raw);
	free(self->buf);
}

TEST_F(src, mapped_ranges)
{
	struct imgsrc_range r;
	struct imgsrc s;
	char path[512], hex[65];
	u8 d[32];
	size_t i = 0, k = 0;
	u64 got, total = 0;
	ssize_t n;
	int ret;

	ret = imgsrc_open(&s, img_path(path, sizeof(path), variant->image),
			  &self->map, IMGSRC_HASH_IMAGE);
	ASSERT_EQ(0, ret) {
		TH_LOG("%s", s.why);
	}
	EXPECT_EQ(-EAGAIN, imgsrc_image_sha256(&s, d));
	while ((ret = imgsrc_next(&s, &r)) == 1) {
		const struct bmap_range *br = &self->map.range[i];

		ASSERT_GT(self->map.nranges, i);
		EXPECT_EQ(i, r.index);
		EXPECT_EQ(br->first, r.first);
		EXPECT_EQ(br->last, r.last);
		EXPECT_EQ(br->line, r.line);
		EXPECT_EQ(bmap_range_offset(&self->map, br), r.off);
		EXPECT_EQ(bmap_range_bytes(&self->map, br), r.len);
		EXPECT_EQ(r.off, imgsrc_pos(&s));
		for (got = 0; (n = imgsrc_read(&s, self->buf,
					      sizes[k++ % 6])) > 0;
		     got += (u64)n)
			ASSERT_EQ(0, memcmp(self->raw + r.off + got, self->buf,
					    (size_t)n));
		ASSERT_EQ(0, n) {
			TH_LOG("%s", s.why);
		}
		EXPECT_EQ(r.len, got);
		total += got;
		i++;
	}
	ASSERT_EQ(0, ret) {
		TH_LOG("%s", s.why);
	}
	EXPECT_EQ(self->map.nranges, i);
	EXPECT_EQ(self->raw_len, imgsrc_pos(&s));
	EXPECT_GT((u64)self->raw_len, total);	/* holes were skipped */
	EXPECT_EQ(0, imgsrc_next(&s, &r));
	ASSERT_EQ(0, imgsrc_image_sha256(&s, d));
	digest_to_hex(d, 32, hex);
	EXPECT_STREQ(self->sha, hex);
	imgsrc_close(&s);
}

/* Half of each range read: the next call reads and checks the rest. */
TEST_F(src, partial_reads)
{
	struct imgsrc_range r;
	struct imgsrc s;
	char path[512];
	size_t ranges = 0;
	int ret;

	ASSERT_EQ(0, imgsrc_open(&s, img_path(path, sizeof(path),
					      variant->image),
				 &self->map, 0));
	while ((ret = imgsrc_next(&s, &r)) == 1) {
		ASSERT_EQ((ssize_t)(r.len / 2),
			  imgsrc_read(&s, self->buf, (size_t)(r.len / 2)));
		ranges++;
	}
	EXPECT_EQ(0, ret) {
		TH_LOG("%s", s.why);
	}
	EXPECT_EQ(self->map.nranges, ranges);
	imgsrc_close(&s);
}

/* Without a map the image is one range. */
TEST_F(src, no_map)
{
	struct imgsrc_range r;
	struct imgsrc s;
	char path[512];
	u64 got = 0;
	ssize_t n;

	ASSERT_EQ(0, imgsrc_open(&s, img_path(path, sizeof(path),
					      variant->image), NULL, 0));
	ASSERT_EQ(1, imgsrc_next(&s, &r));
	EXPECT_EQ(0u, r.off);
	EXPECT_EQ(s.z.fmt == DECOMP_PLAIN ? self->raw_len : IMGSRC_LEN_UNKNOWN,
		  r.len);
	while ((n = imgsrc_read(&s, self->buf, 100000)) > 0) {
		ASSERT_EQ(0, memcmp(self->raw + got, self->buf, (size_t)n));
		got += (u64)n;
	}
	EXPECT_EQ(0, n);
	EXPECT_EQ(self->raw_len, got);
	EXPECT_EQ(0, imgsrc_next(&s, &r)) {
		TH_LOG("%s", s.why);
	}
	imgsrc_close(&s);
}

/*
 * Read everything; the error, the range it happened in (-1: none) and
 * the bytes of that range handed out before it.
 */
static int run(const char *image, const struct bmap *map, struct imgsrc *s,
	       long *bad_range, u64 *bad_got)
{
	struct imgsrc_range r;
	static char buf[65536];
	char path[512];
	ssize_t n;
	int ret;

	*bad_range = -1;
	*bad_got = 0;
	ret = imgsrc_open(s, img_path(path, sizeof(path), image), map,
			  IMGSRC_HASH_IMAGE);
	if (ret)
		return ret;
	while ((ret = imgsrc_next(s, &r)) == 1) {
		*bad_got = 0;
		while ((n = imgsrc_read(s, buf, sizeof(buf))) > 0)
			*bad_got += (u64)n;
		if (n < 0) {
			*bad_range = (long)r.index;
			ret = (int)n;
			break;
		}
	}
	return ret;
}

FIXTURE(bad) {
	struct bmap map, map13;
};

FIXTURE_SETUP(bad)
{
	load_map(_metadata, "img.bmap", &self->map);
	load_map(_metadata, "img-v1.3.bmap", &self->map13);
}

FIXTURE_TEARDOWN(bad)
{
	bmap_free(&self->map);
	bmap_free(&self->map13);
}

TEST_F(bad, mapped_byte_changed)
{
	const struct bmap *maps[] = { &self->map, &self->map13 };
	struct imgsrc s;
	char want[128];
	long range;
	u64 got;
	int i;

	for (i = 0; i < 2; i++) {
		const struct bmap *m = maps[i];
		const struct bmap_range *br = &m->range[2];

		/* block 130 is in the third range, 100-163 */
		ASSERT_EQ(100u, br->first);
		EXPECT_EQ(-EBADMSG, run("img-bad.raw", m, &s, &range, &got));
		EXPECT_EQ(2, range);
		EXPECT_GT(bmap_range_bytes(m, br), got) {
			TH_LOG("the whole bad range was handed out");
		}
		snprintf(want, sizeof(want),
			 "range 3 of %zu (blocks 100-163, bmap line %u): %s of the image's bytes 409600-671743 is ",
			 m->nranges, br->line, digest_name(m->type));
		EXPECT_TRUE(strstr(s.why, want) == s.why) {
			TH_LOG("%s", s.why);
		}
		/* the error stays */
		EXPECT_EQ(-EBADMSG, imgsrc_read(&s, want, 1));
		imgsrc_close(&s);
	}
}

TEST_F(bad, unmapped_byte_changed)
{
	char hex[65], *sha;
	struct imgsrc s;
	size_t len;
	long range;
	u64 got;
	u8 d[32];

	ASSERT_EQ(0, run("img-hole.raw", &self->map, &s, &range, &got)) {
		TH_LOG("%s", s.why);
	}
	ASSERT_EQ(0, imgsrc_image_sha256(&s, d));
	digest_to_hex(d, 32, hex);
	sha = img_load("img.sha256", &len);
	ASSERT_NE(NULL, sha);
	EXPECT_NE(0, strncmp(sha, hex, 64));
	free(sha);
	imgsrc_close(&s);
}

static const struct {
	const char *image;
	int err;		/* 0: -EIO or -EBADMSG */
	const char *want;
} broken[] = {
	{ "trunc.gz", -EIO, "gzip -d failed" },
	{ "trunc.xz", -EIO, "xz -d failed" },
	{ "trunc.zst", -EIO, "zstd -d failed" },
	{ "trunc.bz2", -EIO, "bzip2 -d failed" },
	{ "corrupt.gz", 0, NULL },
	{ "corrupt.xz", 0, NULL },
	{ "corrupt.zst", 0, NULL },
	{ "corrupt.bz2", 0, NULL },
	{ "img-long.gz", -EBADMSG,
	  "the image is longer than the bmap's ImageSize 5243880" },
	{ "img-short.gz", -EBADMSG, "ends at byte 3000000" },
	{ "img.bmap", -EBADMSG,
	  "bytes, the bmap says ImageSize 5243880" },
};

TEST_F(bad, broken_input)
{
	struct imgsrc s;
	size_t i;
	long range;
	u64 got;
	int ret;

	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		ret = run(broken[i].image, &self->map, &s, &range, &got);
		if (broken[i].err) {
			EXPECT_EQ(broken[i].err, ret);
		} else {
			EXPECT_TRUE(ret == -EIO || ret == -EBADMSG);
		}
		if (broken[i].want) {
			EXPECT_NE(NULL, strstr(s.why, broken[i].want));
		}
		TH_LOG("%s: %d %s", broken[i].image, ret, s.why);
		imgsrc_close(&s);
	}
}

TEST_HARNESS_MAIN
