// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for userspace/lib/fb-ranges.c, the host side of verifying a
 * partition: the map of what an image defines (adjacent pieces merged,
 * RAW data and FILL patterns read back, order enforced), its range list
 * as "oem sha256" takes it (parsed back by the device's parser), the
 * digests, the bisection that names the first differing range and block
 * (every position of a changed byte in random maps, within the bound on
 * questions; a change outside the ranges is not seen; a storage that
 * changes under the questions; an oracle's error), and the maps of real
 * images: image_data.sh's bmaptool image plain and compressed (mapped
 * blocks, the short last block, data read out of order through a
 * decompressor) and a hand-made sparse image (DONT_CARE left out, FILL
 * included).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <imxflash/fastboot_ranges.h>

#include "fb-image.h"
#include "fb-ranges.h"
#include "img_data.h"
#include "kselftest_harness.h"

/* RAW data from a buffer: the "image file". */
struct mem_src {
	struct fbr_src src;
	const u8 *p;
	u64 size;
	int reads;
};

static int mem_read(struct fbr_src *src, u64 off, void *buf, size_t len)
{
	struct mem_src *m = (struct mem_src *)src;

	if (off > m->size || len > m->size - off)
		return -EIO;
	memcpy(buf, m->p + off, len);
	m->reads++;
	return 0;
}

static struct fbr_seg seg(u64 off, u64 len, u64 src)
{
	struct fbr_seg s = { .off = off, .len = len, .src = src, .raw = true };

	return s;
}

static struct fbr_seg fill(u64 off, u64 len, u32 pat)
{
	struct fbr_seg s = { .off = off, .len = len };

	memcpy(s.fill, &pat, 4);
	return s;
}

TEST(add_merges_adjacent_and_refuses_disorder)
{
	struct fbr_map m = { 0 };
	struct fbr_seg s;

	s = seg(0, 100, 0);
	ASSERT_EQ(0, fbr_add(&m, &s));
	s = fill(100, 28, 0);
	ASSERT_EQ(0, fbr_add(&m, &s));	/* adjacent: same range */
	s = seg(4096, 10, 500);
	ASSERT_EQ(0, fbr_add(&m, &s));
	ASSERT_EQ(3u, m.nseg);
	ASSERT_EQ(2u, m.nrange);
	ASSERT_EQ(0ull, m.range[0].off);
	ASSERT_EQ(128ull, m.range[0].len);
	ASSERT_EQ(4096ull, m.range[1].off);
	ASSERT_EQ(138ull, m.bytes);

	s = seg(4100, 1, 0);	/* inside the last one */
	ASSERT_EQ(-EINVAL, fbr_add(&m, &s));
	s = seg(5000, 0, 0);	/* empty */
	ASSERT_EQ(-EINVAL, fbr_add(&m, &s));
	s = seg(~0ull - 1, 5, 0);	/* past 2^64 */
	ASSERT_EQ(-EINVAL, fbr_add(&m, &s));
	ASSERT_EQ(3u, m.nseg);
	fbr_free(&m);
}

TEST(read_raw_fill_and_gaps)
{
	u8 file[64], out[64], want[64];
	struct mem_src ms = { .src.read = mem_read, .p = file,
			      .size = sizeof(file) };
	struct fbr_map m = { 0 };
	struct fbr_seg s;
	int i;

	for (i = 0; i < 64; i++)
		file[i] = (u8)(i * 7 + 1);
	s = seg(10, 6, 40);	/* partition 10..15 = file 40..45 */
	ASSERT_EQ(0, fbr_add(&m, &s));
	s = fill(16, 10, 0x44332211);	/* pattern from the segment's start */
	ASSERT_EQ(0, fbr_add(&m, &s));
	s = seg(30, 4, 0);
	ASSERT_EQ(0, fbr_add(&m, &s));

	/* across RAW and FILL, starting mid-way */
	ASSERT_EQ(0, fbr_read(&m, &ms.src, 13, out, 9));
	memcpy(want, file + 43, 3);
	memcpy(want + 3, "\x11\x22\x33\x44\x11\x22", 6);
	ASSERT_EQ(0, memcmp(out, want, 9));
	/* the FILL phase when reading from inside it */
	ASSERT_EQ(0, fbr_read(&m, &ms.src, 19, out, 3));
	ASSERT_EQ(0, memcmp(out, "\x44\x11\x22", 3));
	/* 26..29 is not defined */
	ASSERT_EQ(-EINVAL, fbr_read(&m, &ms.src, 24, out, 4));
	ASSERT_EQ(-EINVAL, fbr_read(&m, &ms.src, 0, out, 1));
	ASSERT_EQ(-EINVAL, fbr_read(&m, &ms.src, 33, out, 2));
	ASSERT_EQ(0, fbr_read(&m, &ms.src, 30, out, 4));
	ASSERT_EQ(0, memcmp(out, file, 4));
	fbr_free(&m);
}

/* What a device writes of an "mbr" image: its first sector. */
TEST(clip)
{
	struct fbr_map m = { 0 };
	struct fbr_seg s;

	s = seg(0, 300, 0);
	ASSERT_EQ(0, fbr_add(&m, &s));
	s = fill(300, 400, 0);
	ASSERT_EQ(0, fbr_add(&m, &s));
	s = seg(1024, 10, 300);
	ASSERT_EQ(0, fbr_add(&m, &s));
	fbr_clip(&m, 512);
	ASSERT_EQ(2u, m.nseg);
	ASSERT_EQ(212ull, m.seg[1].len);
	ASSERT_EQ(1u, m.nrange);
	ASSERT_EQ(512ull, m.range[0].len);
	ASSERT_EQ(512ull, m.bytes);
	fbr_clip(&m, 100);
	ASSERT_EQ(1u, m.nseg);
	ASSERT_EQ(100ull, m.bytes);
	ASSERT_EQ(100ull, m.range[0].len);
	fbr_clip(&m, 0);
	ASSERT_EQ(0u, m.nseg);
	ASSERT_EQ(0u, m.nrange);
	ASSERT_EQ(0ull, m.bytes);
	fbr_free(&m);
}

/* A random map over @size bytes of partition and its flat picture. */
struct rmap {
	struct fbr_map m;
	u8 *file;		/* RAW data */
	u8 *part;		/* what the partition should hold */
	u64 size;
	struct mem_src src;
};

static void rmap_make(struct rmap *r, u64 size, unsigned int seed)
{
	u64 off = 0, len, k, fsz = 0;
	struct fbr_seg s;
	u32 pat;

	memset(r, 0, sizeof(*r));
	srand(seed);
	r->size = size;
	r->file = malloc(size);
	r->part = calloc(1, size);
	for (k = 0; k < size; k++)
		r->file[k] = (u8)rand();
	while (off < size) {
		off += (u64)(rand() % 3 ? rand() % 20000 : 0);
		len = 1 + (u64)rand() % 30000;
		if (off >= size)
			break;
		if (len > size - off)
			len = size - off;
		if (rand() % 4) {
			s = seg(off, len, fsz);
			memcpy(r->part + off, r->file + fsz, len);
			fsz += len;
		} else {
			pat = (u32)rand();
			s = fill(off, len, pat);
			for (k = 0; k < len; k++)
				r->part[off + k] = s.fill[k % 4];
		}
		if (fbr_add(&r->m, &s))
			abort();
		off += len;
	}
	r->src.src.read = mem_read;
	r->src.p = r->file;
	r->src.size = fsz;
}

static void rmap_free(struct rmap *r)
{
	fbr_free(&r->m);
	free(r->file);
	free(r->part);
}

/* SHA-256 of @n spans of a flat buffer. */
static void flat_hash(const u8 *p, const struct fbr_span *sp, size_t n,
		      u8 out[SHA256_DIGEST_LEN])
{
	struct sha256_ctx c;
	size_t i;

	sha256_init(&c);
	for (i = 0; i < n; i++)
		sha256_update(&c, p + sp[i].off, (size_t)sp[i].len);
	sha256_final(&c, out);
}

TEST(hash_of_ranges_is_that_of_their_bytes)
{
	u8 a[SHA256_DIGEST_LEN], b[SHA256_DIGEST_LEN];
	struct fbr_span sub[2];
	struct rmap r;
	unsigned int seed;

	for (seed = 1; seed < 20; seed++) {
		rmap_make(&r, 2 << 20, seed);
		ASSERT_LT(1u, r.m.nrange);
		ASSERT_EQ(0, fbr_hash(&r.m, &r.src.src, r.m.range,
				      r.m.nrange, a));
		flat_hash(r.part, r.m.range, r.m.nrange, b);
		ASSERT_EQ(0, memcmp(a, b, sizeof(a)));
		/* pieces of ranges too */
		sub[0].off = r.m.range[0].off + r.m.range[0].len / 3;
		sub[0].len = r.m.range[0].len - r.m.range[0].len / 3;
		sub[1] = r.m.range[r.m.nrange - 1];
		sub[1].len = (sub[1].len + 1) / 2;
		ASSERT_EQ(0, fbr_hash(&r.m, &r.src.src, sub, 2, a));
		flat_hash(r.part, sub, 2, b);
		ASSERT_EQ(0, memcmp(a, b, sizeof(a)));
		rmap_free(&r);
	}
}

static int check_range(void *ctx, u64 off, u64 len)
{
	const struct fbr_span **p = ctx;

	if ((*p)->off != off || (*p)->len != len)
		return -EBADMSG;
	(*p)++;
	return 0;
}

TEST(text_parses_back_and_fit)
{
	const struct fbr_span *at;
	struct fastboot_ranges pr;
	struct rmap r;
	size_t len, n, i;
	char *t;

	rmap_make(&r, 8 << 20, 3);
	t = fbr_text(r.m.range, r.m.nrange, &len);
	ASSERT_NE(NULL, t);
	ASSERT_EQ(strlen(t), len);
	at = r.m.range;
	fastboot_ranges_init(&pr, r.size);
	ASSERT_EQ(0, fastboot_ranges_feed(&pr, t, len, check_range, &at));
	ASSERT_EQ(0, fastboot_ranges_finish(&pr, check_range, &at));
	ASSERT_EQ(r.m.nrange, pr.count);
	ASSERT_EQ(r.m.bytes, pr.bytes);
	free(t);

	/* fit: as many as the text of which is at most max */
	for (i = 0; i < 200; i++) {
		size_t max = (size_t)rand() % 400;

		n = fbr_fit(r.m.range, 1, r.m.nrange, max);
		t = fbr_text(r.m.range + 1, n, &len);
		ASSERT_LE(len, max);
		free(t);
		if (1 + n < r.m.nrange) {
			t = fbr_text(r.m.range + 1, n + 1, &len);
			ASSERT_GT(len, max);
			free(t);
		}
	}
	rmap_free(&r);
}

/* The device: a copy of the partition, perhaps changed. */
struct sides {
	struct fbr_oracle o;
	struct rmap *r;
	u8 *dev;
	int dev_calls, host_calls;
	int fail_at;		/* > 0: the device fails at that question */
	u64 heal_at;		/* the device's change goes away after the
				 * first question (a storage that changes)
				 */
	bool heal;
};

static int o_device(struct fbr_oracle *o, const struct fbr_span *sp, size_t n,
		    u8 out[SHA256_DIGEST_LEN])
{
	struct sides *s = (struct sides *)o;

	if (++s->dev_calls == s->fail_at)
		return -EPIPE;
	flat_hash(s->dev, sp, n, out);
	if (s->heal)
		s->dev[s->heal_at] = s->r->part[s->heal_at];
	return 0;
}

static int o_host(struct fbr_oracle *o, const struct fbr_span *sp, size_t n,
		  u8 out[SHA256_DIGEST_LEN])
{
	struct sides *s = (struct sides *)o;

	s->host_calls++;
	return fbr_hash(&s->r->m, &s->r->src.src, sp, n, out);
}

static unsigned int log2up(u64 x)
{
	unsigned int n = 0;

	while ((1ull << n) < x)
		n++;
	return n;
}

TEST(bisect_names_the_range_and_block_of_any_change)
{
	struct fbr_diff d;
	struct sides s;
	struct rmap r;
	unsigned int seed, trial, bound;
	size_t i, want;
	u64 at;

	for (seed = 1; seed <= 4; seed++) {
		rmap_make(&r, 1 << 20, seed);
		for (trial = 0; trial < 25; trial++) {
			memset(&s, 0, sizeof(s));
			s.o.device = o_device;
			s.o.host = o_host;
			s.r = &r;
			s.dev = malloc(r.size);
			memcpy(s.dev, r.part, r.size);
			/* a byte inside some range (first, last, random) */
			want = trial == 0 ? 0 : trial == 1 ? r.m.nrange - 1 :
			       (size_t)rand() % r.m.nrange;
			at = r.m.range[want].off +
			     (trial == 2 ? r.m.range[want].len - 1 :
			      (u64)rand() % r.m.range[want].len);
			s.dev[at] ^= 0x5a;
			ASSERT_EQ(0, fbr_bisect(&s.o, r.m.range, r.m.nrange,
						4096, &d));
			ASSERT_EQ(want, d.range);
			ASSERT_LE(d.off, at);
			ASSERT_GT(d.off + d.len, at);
			ASSERT_LE(d.len, 4096ull);
			/* on the grain from the range's start, or its end */
			ASSERT_EQ(0ull, (d.off - r.m.range[want].off) % 4096);
			ASSERT_TRUE(d.len == 4096 || d.off + d.len ==
				    r.m.range[want].off + r.m.range[want].len);
			bound = log2up(r.m.nrange) + 1 +
				log2up((r.m.range[want].len + 4095) / 4096);
			ASSERT_LE(d.questions, bound);
			ASSERT_EQ((int)d.questions, s.dev_calls);
			free(s.dev);
		}
		rmap_free(&r);
	}
	/* bytes all over one small map, one at a time */
	rmap_make(&r, 64 << 10, 99);
	for (i = 0; i < r.m.nrange; i++) {
		for (at = r.m.range[i].off;
		     at < r.m.range[i].off + r.m.range[i].len; at += 499) {
			memset(&s, 0, sizeof(s));
			s.o.device = o_device;
			s.o.host = o_host;
			s.r = &r;
			s.dev = malloc(r.size);
			memcpy(s.dev, r.part, r.size);
			s.dev[at] ^= 1;
			ASSERT_EQ(0, fbr_bisect(&s.o, r.m.range, r.m.nrange,
						4096, &d));
			ASSERT_EQ(i, d.range);
			ASSERT_TRUE(d.off <= at && at < d.off + d.len);
			free(s.dev);
		}
	}
	rmap_free(&r);
}

TEST(change_outside_the_ranges_is_not_seen)
{
	u8 a[SHA256_DIGEST_LEN], b[SHA256_DIGEST_LEN];
	struct rmap r;
	u8 *dev;

	rmap_make(&r, 1 << 20, 7);
	ASSERT_LT(0ull, r.m.range[1].off - (r.m.range[0].off + r.m.range[0].len));
	dev = malloc(r.size);
	memcpy(dev, r.part, r.size);
	dev[r.m.range[0].off + r.m.range[0].len] ^= 0xff;	/* in the gap */
	flat_hash(dev, r.m.range, r.m.nrange, a);
	ASSERT_EQ(0, fbr_hash(&r.m, &r.src.src, r.m.range, r.m.nrange, b));
	ASSERT_EQ(0, memcmp(a, b, sizeof(a)));
	free(dev);
	rmap_free(&r);
}

TEST(changing_storage_and_errors)
{
	struct fbr_diff d;
	struct sides s;
	struct rmap r;

	rmap_make(&r, 1 << 20, 8);
	memset(&s, 0, sizeof(s));
	s.o.device = o_device;
	s.o.host = o_host;
	s.r = &r;
	s.dev = malloc(r.size);
	memcpy(s.dev, r.part, r.size);
	/* the difference vanishes after the first question */
	s.heal_at = r.m.range[r.m.nrange - 1].off;
	s.dev[s.heal_at] ^= 1;
	s.heal = true;
	ASSERT_EQ(1, fbr_bisect(&s.o, r.m.range, r.m.nrange, 4096, &d));

	memcpy(s.dev, r.part, r.size);
	s.heal = false;
	s.dev[r.m.range[0].off] ^= 1;
	s.dev_calls = 0;
	s.fail_at = 2;
	ASSERT_EQ(-EPIPE, fbr_bisect(&s.o, r.m.range, r.m.nrange, 4096, &d));
	ASSERT_EQ(-EINVAL, fbr_bisect(&s.o, r.m.range, r.m.nrange, 3000, &d));
	ASSERT_EQ(-EINVAL, fbr_bisect(&s.o, r.m.range, 0, 4096, &d));
	free(s.dev);
	rmap_free(&r);
}

/* ---- maps of real images ---- */

struct im_src {
	struct fbr_src src;
	struct fb_image *im;
};

static int im_read(struct fbr_src *src, u64 off, void *buf, size_t len)
{
	struct fb_image *im = ((struct im_src *)src)->im;

	if (im->fd < 0 && im->src_open && off < imgsrc_pos(&im->src)) {
		int ret = fb_image_rewind(im);

		if (ret)
			return ret;
	}
	return fb_image_read(im, off, buf, len);
}

/* The bmap of image_data.sh: blocks 0-1, 3, 100-163, 200, 1280 (short). */
static void check_bmap_map(struct __test_metadata *_metadata,
			   const char *name, bool bmap)
{
	static const u64 want[][2] = {
		{ 0, 2 * 4096 }, { 3 * 4096, 4096 }, { 100 * 4096, 64 * 4096 },
		{ 200 * 4096, 4096 }, { 1280 * 4096, 1000 },
	};
	u8 a[SHA256_DIGEST_LEN], b[SHA256_DIGEST_LEN];
	char path[512], bm[512];
	struct im_src is = { .src.read = im_read };
	struct fb_image im;
	struct fbr_map m;
	struct fbr_span back[2];
	size_t len, i;
	char *raw;

	raw = img_load("img.raw", &len);
	ASSERT_NE(NULL, raw);
	ASSERT_EQ(0, fb_image_open(&im, img_path(path, sizeof(path), name),
				   bmap ? img_path(bm, sizeof(bm), "img.bmap") :
				   NULL, !bmap, NULL));
	is.im = &im;
	ASSERT_EQ(0, fbr_map_image(&m, &im));
	if (bmap) {
		ASSERT_EQ(5u, m.nrange);
		for (i = 0; i < 5; i++) {
			ASSERT_EQ(want[i][0], m.range[i].off);
			ASSERT_EQ(want[i][1], m.range[i].len);
		}
	} else {
		ASSERT_EQ(1u, m.nrange);
		ASSERT_EQ((u64)len, m.range[0].len);
	}
	ASSERT_EQ(0, fbr_hash(&m, &is.src, m.range, m.nrange, a));
	flat_hash((u8 *)raw, m.range, m.nrange, b);
	ASSERT_EQ(0, memcmp(a, b, sizeof(a)));
	/* backwards: a stream read in order starts again */
	back[0] = m.range[m.nrange - 1];
	back[1] = m.range[0];
	back[1].len = 100;
	ASSERT_EQ(0, fbr_hash(&m, &is.src, back + 1, 1, a));
	ASSERT_EQ(0, fbr_hash(&m, &is.src, back, 1, a));
	ASSERT_EQ(0, fbr_hash(&m, &is.src, back + 1, 1, a));
	flat_hash((u8 *)raw, back + 1, 1, b);
	ASSERT_EQ(0, memcmp(a, b, sizeof(a)));
	ASSERT_EQ(0, fb_image_finish(&im));
	fbr_free(&m);
	fb_image_close(&im);
	free(raw);
}

TEST(bmap_image_plain_and_compressed)
{
	check_bmap_map(_metadata, "img.raw", true);
	check_bmap_map(_metadata, "img.raw.zst", true);
	check_bmap_map(_metadata, "img.raw.xz", true);
	check_bmap_map(_metadata, "img.raw", false);
	check_bmap_map(_metadata, "img.raw.gz", false);
}

/* A sparse image: RAW 2, DONT_CARE 4, FILL 2, RAW 1 (4 KiB blocks). */
TEST(sparse_image_dont_care_left_out)
{
	static const u8 pat[4] = { 0xde, 0xad, 0xbe, 0xef };
	u8 hdr[28], ch[16], a[SHA256_DIGEST_LEN], b[SHA256_DIGEST_LEN];
	u8 *raw = malloc(3 * 4096), *flat = calloc(1, 9 * 4096);
	struct im_src is = { .src.read = im_read };
	char path[] = "/tmp/fb_ranges_test.XXXXXX";
	struct fb_image im;
	struct fbr_map m;
	int fd, i;

	for (i = 0; i < 3 * 4096; i++)
		raw[i] = (u8)(i * 13 + 5);
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	memset(hdr, 0, sizeof(hdr));
	imxf_put_le32(hdr, 0xed26ff3a);
	hdr[4] = 1;
	hdr[8] = 28;
	hdr[10] = 12;
	imxf_put_le32(hdr + 12, 4096);
	imxf_put_le32(hdr + 16, 9);
	imxf_put_le32(hdr + 20, 4);
	ASSERT_EQ(28, write(fd, hdr, 28));
#define CHUNK(type, blks, total) do { \
	memset(ch, 0, sizeof(ch)); \
	ch[0] = (type) & 0xff; ch[1] = (type) >> 8; \
	imxf_put_le32(ch + 4, blks); imxf_put_le32(ch + 8, total); \
	ASSERT_EQ(12, write(fd, ch, 12)); } while (0)
	CHUNK(0xcac1, 2, 12 + 2 * 4096);
	ASSERT_EQ(2 * 4096, write(fd, raw, 2 * 4096));
	CHUNK(0xcac3, 4, 12);
	CHUNK(0xcac2, 2, 16);
	ASSERT_EQ(4, write(fd, pat, 4));
	CHUNK(0xcac1, 1, 12 + 4096);
	ASSERT_EQ(4096, write(fd, raw + 2 * 4096, 4096));
#undef CHUNK
	close(fd);

	memcpy(flat, raw, 2 * 4096);
	for (i = 0; i < 2 * 4096; i++)
		flat[6 * 4096 + i] = pat[i % 4];
	memcpy(flat + 8 * 4096, raw + 2 * 4096, 4096);

	ASSERT_EQ(0, fb_image_open(&im, path, NULL, true, NULL));
	ASSERT_TRUE(im.sparse);
	is.im = &im;
	ASSERT_EQ(0, fbr_map_image(&m, &im));
	ASSERT_EQ(2u, m.nrange);
	ASSERT_EQ(0ull, m.range[0].off);
	ASSERT_EQ(8192ull, m.range[0].len);
	ASSERT_EQ(6 * 4096ull, m.range[1].off);
	ASSERT_EQ(3 * 4096ull, m.range[1].len);
	ASSERT_EQ(5 * 4096ull, m.bytes);
	ASSERT_EQ(0, fbr_hash(&m, &is.src, m.range, m.nrange, a));
	flat_hash(flat, m.range, m.nrange, b);
	ASSERT_EQ(0, memcmp(a, b, sizeof(a)));
	fbr_free(&m);
	fb_image_close(&im);
	unlink(path);
	free(raw);
	free(flat);
}

TEST_HARNESS_MAIN
