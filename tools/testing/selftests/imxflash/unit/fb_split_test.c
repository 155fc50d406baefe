// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for userspace/lib/fb-split.c: cutting images into sparse pieces
 * that fit max-download-size.
 *
 * Every image is split with several maximum sizes; every piece is read
 * with fb_split_read() in random-sized reads, checked (size <= max, full
 * image's total_blks, chunk count, leading DONT_CARE exactly when it does
 * not start at block 0), decoded by the pure decoder (fastboot_sparse.h)
 * onto a poisoned buffer, and the result compared byte for byte with the
 * expected partition content:
 *  - raw input: the file, zero padded to 4096 bytes;
 *  - sparse input: the input decoded onto the same poison (DONT_CARE
 *    regions stay poison in both).
 * Inputs: random data, zeros, 32-bit fill patterns, mixed blocks, sizes
 * that are not block multiples, sparse images made with the encoder
 * helpers (RAW/FILL/DONT_CARE/CRC32, block sizes 64..4096) and the
 * img2simg images of fastboot_sparse_tool_test. The sparse scanner maps the
 * file in windows of FB_SPLIT_MAP_WINDOW bytes (small here) so chunks
 * cross window boundaries. Bad inputs and a file that shrinks between
 * scan and read end in clear errors.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <imxflash/fastboot_sparse.h>

#include "fb-split.h"
#include "kselftest_harness.h"

#ifndef FB_SPARSE_DATA
#define FB_SPARSE_DATA "fastboot_sparse_data"
#endif

#define POISON		0x5a
#define BLK		4096u
#define KIB		1024u
#define MIB		(1024u * 1024u)
#define MIN_MAX(blk)	(FASTBOOT_SPARSE_FILE_HDR_LEN + 3 * FASTBOOT_SPARSE_CHUNK_HDR_LEN + (blk))

static u32 rnd_state = 1;

static u32 rnd(void)
{
	u32 x = rnd_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	rnd_state = x;
	return x;
}

static void rnd_fill(u8 *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (u8)rnd();
}

static int tmp_fd(const void *p, size_t len)
{
	char path[] = "/tmp/fb_split_testXXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	unlink(path);
	if (len && write(fd, p, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- applying sparse data onto a buffer ---- */

struct out {
	u8 *buf;
	u64 size;
	const char *bad;
};

static int out_emit(void *ctx, const struct fastboot_sparse_op *op)
{
	struct out *o = ctx;
	u64 i;

	if (op->offset + op->len > o->size) {
		o->bad = "operation past the end";
		return -ENOSPC;
	}
	if (op->type == FASTBOOT_SPARSE_OP_WRITE)
		memcpy(o->buf + op->offset, op->data, op->len);
	else if (op->type == FASTBOOT_SPARSE_OP_FILL)
		for (i = 0; i < op->len; i += 4)
			memcpy(o->buf + op->offset + i, op->fill, 4);
	return 0;
}

/* Decode @img onto @buf (@size bytes). 0 or the decoder's error. */
static int apply(const u8 *img, size_t len, u8 *buf, u64 size,
		 const char **why)
{
	struct out o = { buf, size, NULL };
	struct fastboot_sparse s;
	int ret;

	fastboot_sparse_init(&s, size, 0, out_emit, &o);
	ret = fastboot_sparse_feed(&s, img, len);
	if (!ret)
		ret = fastboot_sparse_finish(&s);
	*why = o.bad ? o.bad : s.why;
	return ret;
}

/* ---- the check ---- */

struct result {
	size_t npieces;
	u64 total;
	char msg[200];
};

static u32 le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static u16 le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

/*
 * Split @fd (@fsize bytes) with @max, rebuild the output from the pieces
 * and compare it with @expect (@esize bytes). Returns 0, or -1 with
 * r->msg saying what went wrong.
 */
static int check_split(int fd, u64 fsize, u64 max, const u8 *expect,
		       u64 esize, struct result *r)
{
	struct fb_split_reader rd;
	const struct fbs_piece *p;
	struct fb_split s;
	u8 *out = NULL, *buf = NULL, extra;
	const char *why;
	size_t i, got, n;
	int ret, rc = -1;
	u64 pos;

	memset(r, 0, sizeof(*r));
	ret = fb_split_scan(&s, fd, fsize);
	if (ret) {
		snprintf(r->msg, sizeof(r->msg), "scan: %d %s", ret, s.why);
		goto done;
	}
	if (fb_split_out_size(&s) != esize) {
		snprintf(r->msg, sizeof(r->msg), "output size %llu, expected %llu",
			 (unsigned long long)fb_split_out_size(&s),
			 (unsigned long long)esize);
		goto done;
	}
	ret = fb_split_plan(&s, max);
	if (ret) {
		snprintf(r->msg, sizeof(r->msg), "plan(%llu): %d %s",
			 (unsigned long long)max, ret, s.why);
		goto done;
	}
	out = malloc(esize ? esize : 1);
	if (!out)
		goto done;
	memset(out, POISON, esize);
	for (i = 0; i < s.npieces; i++) {
		p = &s.piece[i];
		if (p->bytes > max || p->bytes < FASTBOOT_SPARSE_FILE_HDR_LEN) {
			snprintf(r->msg, sizeof(r->msg), "piece %zu: %llu bytes, max %llu",
				 i, (unsigned long long)p->bytes,
				 (unsigned long long)max);
			goto done;
		}
		free(buf);
		buf = malloc(p->bytes);
		if (!buf)
			goto done;
		fb_split_reader_init(&rd, &s, i);
		for (pos = 0; pos < p->bytes; pos += n) {
			n = 1 + rnd() % (rnd() % 4 ? 5000 : 300000);
			if (n > p->bytes - pos)
				n = p->bytes - pos;
			ret = fb_split_read(&rd, buf + pos, n);
			if (ret) {
				snprintf(r->msg, sizeof(r->msg), "piece %zu: read at %llu: %d",
					 i, (unsigned long long)pos, ret);
				goto done;
			}
		}
		if (fb_split_read(&rd, &extra, 1) != -ENODATA) {
			snprintf(r->msg, sizeof(r->msg), "piece %zu: longer than announced", i);
			goto done;
		}
		/* header: the whole image's total_blks, the chunk count */
		if (le32(buf + 16) != s.total_blks || le32(buf + 12) != s.blk_sz ||
		    le32(buf + 20) != p->nchunks) {
			snprintf(r->msg, sizeof(r->msg),
				 "piece %zu: header blk_sz %u total_blks %u chunks %u",
				 i, le32(buf + 12), le32(buf + 16), le32(buf + 20));
			goto done;
		}
		/* a leading DONT_CARE exactly when it starts later */
		got = le16(buf + FASTBOOT_SPARSE_FILE_HDR_LEN) == FASTBOOT_SPARSE_DONT_CARE;
		if (got != !!p->start_blk || (got && le32(buf + 32) != p->start_blk)) {
			snprintf(r->msg, sizeof(r->msg), "piece %zu: leading DONT_CARE wrong", i);
			goto done;
		}
		ret = apply(buf, p->bytes, out, esize, &why);
		if (ret) {
			snprintf(r->msg, sizeof(r->msg), "piece %zu: decoder: %d %s",
				 i, ret, why ? why : "");
			goto done;
		}
		r->total += p->bytes;
	}
	if (r->total != s.total_bytes) {
		snprintf(r->msg, sizeof(r->msg), "total %llu != %llu",
			 (unsigned long long)r->total,
			 (unsigned long long)s.total_bytes);
		goto done;
	}
	for (pos = 0; pos < esize; pos++)
		if (out[pos] != expect[pos])
			break;
	if (pos < esize) {
		snprintf(r->msg, sizeof(r->msg),
			 "output differs at byte %llu (block %llu): 0x%02x, expected 0x%02x",
			 (unsigned long long)pos, (unsigned long long)pos / s.blk_sz,
			 out[pos], expect[pos]);
		goto done;
	}
	r->npieces = s.npieces;
	rc = 0;
done:
	free(out);
	free(buf);
	fb_split_free(&s);
	return rc;
}

/* Split a raw image with every @max: compare with the padded file. */
static int check_raw(const u8 *img, size_t len, const u64 *maxes,
		     size_t nmax, struct result *r)
{
	u64 esize = (len + BLK - 1) / BLK * BLK;
	u8 *expect = calloc(1, esize ? esize : 1);
	int fd = tmp_fd(img, len), rc = 0;
	size_t i;

	if (!expect || fd < 0) {
		snprintf(r->msg, sizeof(r->msg), "setup failed");
		rc = -1;
		goto out;
	}
	memcpy(expect, img, len);
	for (i = 0; i < nmax && !rc; i++) {
		rc = check_split(fd, len, maxes[i], expect, esize, r);
		if (rc)
			snprintf(r->msg + strlen(r->msg),
				 sizeof(r->msg) - strlen(r->msg),
				 " [raw %zu bytes, max %llu]", len,
				 (unsigned long long)maxes[i]);
	}
out:
	if (fd >= 0)
		close(fd);
	free(expect);
	return rc;
}

/* Split a sparse image with every @max: compare with its decoding. */
static int check_sparse(const u8 *img, size_t len, const u64 *maxes,
			size_t nmax, struct result *r)
{
	u64 esize = (u64)le32(img + 12) * le32(img + 16);
	u8 *expect = malloc(esize ? esize : 1);
	int fd = tmp_fd(img, len), rc = -1;
	const char *why;
	size_t i;

	if (!expect || fd < 0) {
		snprintf(r->msg, sizeof(r->msg), "setup failed");
		goto out;
	}
	memset(expect, POISON, esize);
	if (apply(img, len, expect, esize, &why)) {
		snprintf(r->msg, sizeof(r->msg), "input does not decode: %s", why);
		goto out;
	}
	for (i = 0, rc = 0; i < nmax && !rc; i++) {
		rc = check_split(fd, len, maxes[i], expect, esize, r);
		if (rc)
			snprintf(r->msg + strlen(r->msg),
				 sizeof(r->msg) - strlen(r->msg),
				 " [sparse %zu bytes, max %llu]", len,
				 (unsigned long long)maxes[i]);
	}
out:
	if (fd >= 0)
		close(fd);
	free(expect);
	return rc;
}

static const u64 raw_maxes[] = {
	MIN_MAX(BLK), MIN_MAX(BLK) + 1, 2 * BLK + 100, 10000, 65536,
	100003, MIB, 4 * MIB, 64 * MIB,
};

#define NMAX(a)	(sizeof(a) / sizeof((a)[0]))

static const size_t odd_sizes[] = {
	1, 3, 4, 4095, 4096, 4097, 8191, 12345, 65536, 65537,
	MIB + 7, 3 * MIB + 100,
};

TEST(raw_random)
{
	struct result r;
	size_t i;
	u8 *img;

	for (i = 0; i < NMAX(odd_sizes); i++) {
		img = malloc(odd_sizes[i]);
		ASSERT_NE(NULL, img);
		rnd_fill(img, odd_sizes[i]);
		EXPECT_EQ(0, check_raw(img, odd_sizes[i], raw_maxes,
				       NMAX(raw_maxes), &r)) {
			TH_LOG("%s", r.msg);
		}
		free(img);
	}
}

/* Zeros are FILL 0, never DONT_CARE, and cost 16 bytes: one piece. */
TEST(raw_zeros)
{
	static const size_t sizes[] = { 1, 4096, 5000, 10 * MIB + 1 };
	struct result r;
	size_t i, j;
	u8 *img;

	for (i = 0; i < NMAX(sizes); i++) {
		img = calloc(1, sizes[i]);
		ASSERT_NE(NULL, img);
		for (j = 0; j < NMAX(raw_maxes); j++) {
			ASSERT_EQ(0, check_raw(img, sizes[i], &raw_maxes[j], 1,
					       &r)) {
				TH_LOG("%s", r.msg);
			}
			EXPECT_EQ(1u, r.npieces);
			EXPECT_EQ((u64)FASTBOOT_SPARSE_FILE_HDR_LEN + 16, r.total);
		}
		free(img);
	}
}

/* Fill patterns: any 32-bit word repeated; one odd byte makes it RAW. */
TEST(raw_fills)
{
	static const u32 pats[] = { 0xffffffff, 0x12345678, 0x00000001,
				    0xdeadbeef, 0 };
	size_t len = 64 * BLK + 1000, i, b;
	struct result r;
	u8 *img = malloc(len);
	u32 v;

	ASSERT_NE(NULL, img);
	for (b = 0; b * BLK < len; b++) {
		v = pats[(b / 3) % NMAX(pats)];
		for (i = b * BLK; i < (b + 1) * BLK && i < len; i += 4)
			memcpy(img + i, &v, i + 4 <= len ? 4 : len - i);
		if (b % 7 == 5)
			img[b * BLK + rnd() % BLK] ^= 0x40;	/* breaks it */
		/* the first and the last word count as much as the rest */
		if (b % 11 == 3)
			img[b * BLK] ^= 1;
		if (b % 11 == 4 && (b + 1) * BLK <= len)
			img[(b + 1) * BLK - 1] ^= 1;
	}
	EXPECT_EQ(0, check_raw(img, len, raw_maxes, NMAX(raw_maxes), &r)) {
		TH_LOG("%s", r.msg);
	}
	/* an all-0xff image whose padded last block is not a fill */
	memset(img, 0xff, len);
	EXPECT_EQ(0, check_raw(img, len, raw_maxes, NMAX(raw_maxes), &r)) {
		TH_LOG("%s", r.msg);
	}
	free(img);
}

/* Random mixtures of random, zero, fill and nearly-fill blocks. */
TEST(raw_mixed)
{
	struct result r;
	size_t len, i, b, k;
	u64 maxes[4];
	u32 v;
	u8 *img;
	int round;

	for (round = 0; round < 40; round++) {
		len = 1 + rnd() % (300 * BLK);
		img = malloc(len);
		ASSERT_NE(NULL, img);
		for (b = 0; b * BLK < len; b += k) {
			k = 1 + rnd() % 12;
			for (i = b * BLK; i < (b + k) * BLK && i < len; i++) {
				switch ((b / 4) % 4) {
				case 0:
					img[i] = (u8)rnd();
					break;
				case 1:
					img[i] = 0;
					break;
				default:
					v = (b % 3) * 0x01010101u + 0x00ff00ffu;
					img[i] = ((u8 *)&v)[i % 4];
				}
			}
			if (rnd() % 5 == 0)
				img[b * BLK + rnd() % BLK % (len - b * BLK)] ^= 1;
		}
		maxes[0] = MIN_MAX(BLK) + rnd() % (2 * BLK);
		maxes[1] = 4 * BLK + rnd() % (20 * BLK);
		maxes[2] = 64 * BLK + rnd() % (64 * BLK);
		maxes[3] = 1 + len + rnd() % MIB;
		EXPECT_EQ(0, check_raw(img, len, maxes, NMAX(maxes), &r)) {
			TH_LOG("round %d: %s", round, r.msg);
		}
		free(img);
	}
}

/* Random data fills its pieces: no more pieces than needed, plus one. */
TEST(raw_piece_count)
{
	size_t len = 2 * MIB + 5;
	u64 max = 256 * KIB, room, need;
	struct result r;
	u8 *img = malloc(len);

	ASSERT_NE(NULL, img);
	rnd_fill(img, len);
	ASSERT_EQ(0, check_raw(img, len, &max, 1, &r)) {
		TH_LOG("%s", r.msg);
	}
	room = (max - FASTBOOT_SPARSE_FILE_HDR_LEN - 3 * FASTBOOT_SPARSE_CHUNK_HDR_LEN) /
	       BLK * BLK;
	need = (len + room - 1) / room;
	EXPECT_LE(r.npieces, need + 1);
	EXPECT_GE(r.npieces, need);
	free(img);
}

/* ---- sparse input ---- */

struct gen {
	u8 *buf;
	size_t len, cap;
	u32 blk, total_blks, chunks;
};

static void gen_put(struct gen *g, const void *p, size_t n)
{
	if (g->len + n > g->cap) {
		g->cap = (g->len + n) * 2;
		g->buf = realloc(g->buf, g->cap);
	}
	memcpy(g->buf + g->len, p, n);
	g->len += n;
}

static void gen_chunk(struct gen *g, u16 type, u32 nblks)
{
	u8 hdr[FASTBOOT_SPARSE_CHUNK_HDR_LEN], data[4];
	size_t n;
	u8 *raw;

	fastboot_sparse_put_chunk_hdr(hdr, type, nblks, g->blk, NULL);
	gen_put(g, hdr, sizeof(hdr));
	g->chunks++;
	g->total_blks += nblks;
	if (type == FASTBOOT_SPARSE_RAW) {
		n = (size_t)nblks * g->blk;
		raw = malloc(n);
		rnd_fill(raw, n);
		gen_put(g, raw, n);
		free(raw);
	} else if (type == FASTBOOT_SPARSE_FILL || type == FASTBOOT_SPARSE_CRC32) {
		rnd_fill(data, 4);
		if (rnd() % 2)
			memset(data, 0, 4);
		gen_put(g, data, 4);
	}
}

/* A random valid sparse image with block size @blk. */
static void gen_sparse(struct gen *g, u32 blk, int nchunks)
{
	static const u16 types[] = { FASTBOOT_SPARSE_RAW, FASTBOOT_SPARSE_RAW,
				     FASTBOOT_SPARSE_FILL, FASTBOOT_SPARSE_DONT_CARE,
				     FASTBOOT_SPARSE_CRC32 };
	u8 hdr[FASTBOOT_SPARSE_FILE_HDR_LEN] = { 0 };
	u16 type;
	int i;

	memset(g, 0, sizeof(*g));
	g->blk = blk;
	gen_put(g, hdr, sizeof(hdr));	/* rewritten at the end */
	for (i = 0; i < nchunks; i++) {
		type = types[rnd() % NMAX(types)];
		if (type == FASTBOOT_SPARSE_CRC32)
			gen_chunk(g, type, 0);
		else
			gen_chunk(g, type, 1 + rnd() % (type == FASTBOOT_SPARSE_RAW ?
							 12 : 200));
	}
	fastboot_sparse_put_file_hdr(g->buf, blk, g->total_blks, g->chunks);
}

TEST(sparse_generated)
{
	static const u32 blks[] = { 4096, 1024, 512, 64 };
	struct result r;
	struct gen g;
	u64 maxes[5];
	int round;
	u32 blk;

	for (round = 0; round < 60; round++) {
		blk = blks[round % NMAX(blks)];
		gen_sparse(&g, blk, 1 + rnd() % 60);
		maxes[0] = MIN_MAX(blk);
		maxes[1] = MIN_MAX(blk) + rnd() % (3 * blk);
		maxes[2] = 4 * blk + 100 + rnd() % (16 * blk);
		maxes[3] = g.len / 3 + MIN_MAX(blk);
		maxes[4] = g.len + 1;
		EXPECT_EQ(0, check_sparse(g.buf, g.len, maxes, NMAX(maxes), &r)) {
			TH_LOG("round %d blk %u: %s", round, blk, r.msg);
		}
		free(g.buf);
	}
}

/* DONT_CARE at both ends and adjacent chunks of one kind. */
TEST(sparse_edges)
{
	static const u8 hdr_room[FASTBOOT_SPARSE_FILE_HDR_LEN];	/* written last */
	u64 maxes[] = { MIN_MAX(BLK), 3 * BLK, 5 * BLK, 64 * BLK };
	struct result r;
	struct gen g;

	memset(&g, 0, sizeof(g));
	g.blk = BLK;
	gen_put(&g, hdr_room, FASTBOOT_SPARSE_FILE_HDR_LEN);
	gen_chunk(&g, FASTBOOT_SPARSE_DONT_CARE, 1000);
	gen_chunk(&g, FASTBOOT_SPARSE_DONT_CARE, 24);
	gen_chunk(&g, FASTBOOT_SPARSE_RAW, 3);
	gen_chunk(&g, FASTBOOT_SPARSE_RAW, 2);
	gen_chunk(&g, FASTBOOT_SPARSE_FILL, 7);
	gen_chunk(&g, FASTBOOT_SPARSE_FILL, 9);
	gen_chunk(&g, FASTBOOT_SPARSE_CRC32, 0);
	gen_chunk(&g, FASTBOOT_SPARSE_DONT_CARE, 5);
	gen_chunk(&g, FASTBOOT_SPARSE_RAW, 11);
	gen_chunk(&g, FASTBOOT_SPARSE_DONT_CARE, 100000);
	fastboot_sparse_put_file_hdr(g.buf, BLK, g.total_blks, g.chunks);
	EXPECT_EQ(0, check_sparse(g.buf, g.len, maxes, NMAX(maxes), &r)) {
		TH_LOG("%s", r.msg);
	}
	free(g.buf);
}

static u8 *load(const char *name, size_t *len)
{
	char path[512];
	struct stat st;
	u8 *p;
	int fd;

	snprintf(path, sizeof(path), "%s/%s",
		 getenv("FB_SPARSE_DATA") ?: FB_SPARSE_DATA, name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		return NULL;
	p = malloc(st.st_size);
	if (p && read(fd, p, st.st_size) != st.st_size) {
		free(p);
		p = NULL;
	}
	close(fd);
	*len = st.st_size;
	return p;
}

/* img2simg's images resplit: the raw file comes back (then zeros). */
TEST(sparse_img2simg)
{
	static const char *const names[][2] = {
		{ "big.simg", "big.raw" },
		{ "big-1k.simg", "big.raw" },
		{ "small.simg", "small.raw" },
	};
	u64 maxes[] = { MIN_MAX(BLK), 20000, 100 * KIB, 300 * KIB };
	size_t i, slen, rlen;
	struct result r;
	const char *why;
	u8 *simg, *raw, *out;
	u64 esize;

	for (i = 0; i < NMAX(names); i++) {
		simg = load(names[i][0], &slen);
		raw = load(names[i][1], &rlen);
		ASSERT_NE(NULL, simg) {
			TH_LOG("%s missing: run 'make unit' (needs img2simg)",
			       names[i][0]);
		}
		ASSERT_NE(NULL, raw);
		EXPECT_EQ(0, check_sparse(simg, slen, maxes, NMAX(maxes), &r)) {
			TH_LOG("%s: %s", names[i][0], r.msg);
		}
		/* and the decoding is the raw file */
		esize = (u64)le32(simg + 12) * le32(simg + 16);
		ASSERT_GE(esize, rlen);
		out = malloc(esize);
		ASSERT_NE(NULL, out);
		memset(out, 0, esize);
		ASSERT_EQ(0, apply(simg, slen, out, esize, &why));
		EXPECT_EQ(0, memcmp(out, raw, rlen));
		free(out);
		free(simg);
		free(raw);
	}
}

/* ---- errors ---- */

TEST(empty_file)
{
	struct fb_split s;
	int fd = tmp_fd(NULL, 0);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, fb_split_scan(&s, fd, 0));
	EXPECT_NE(NULL, strstr(s.why, "empty"));
	fb_split_free(&s);
	close(fd);
}

static int scan_bytes(const u8 *p, size_t len, struct fb_split *s)
{
	int fd = tmp_fd(p, len), ret;

	if (fd < 0)
		return -1000;
	ret = fb_split_scan(s, fd, len);
	fb_split_free(s);
	close(fd);
	return ret;
}

TEST(bad_sparse)
{
	struct fb_split s;
	struct gen g;
	u8 *bad;

	rnd_state = 77;
	gen_sparse(&g, BLK, 20);
	ASSERT_EQ(0, scan_bytes(g.buf, g.len, &s)) {
		TH_LOG("%s", s.why);
	}
	bad = malloc(g.len);
	ASSERT_NE(NULL, bad);
	/* major version 2 */
	memcpy(bad, g.buf, g.len);
	bad[4] = 2;
	EXPECT_EQ(-EINVAL, scan_bytes(bad, g.len, &s));
	EXPECT_NE(NULL, strstr(s.why, "bad sparse image"));
	/* truncated in the middle */
	EXPECT_GT(0, scan_bytes(g.buf, g.len / 2, &s));
	EXPECT_NE(NULL, strstr(s.why, "bad sparse image")) {
		TH_LOG("%s", s.why);
	}
	/* total_blks too small for the chunks */
	memcpy(bad, g.buf, g.len);
	bad[16] = 1, bad[17] = bad[18] = bad[19] = 0;
	EXPECT_GT(0, scan_bytes(bad, g.len, &s));
	/* unknown chunk type */
	memcpy(bad, g.buf, g.len);
	bad[FASTBOOT_SPARSE_FILE_HDR_LEN] = 0x55;
	EXPECT_EQ(-EINVAL, scan_bytes(bad, g.len, &s));
	/* just the magic */
	EXPECT_GT(0, scan_bytes(g.buf, 4, &s));
	free(bad);
	free(g.buf);
}

TEST(max_too_small)
{
	u8 img[3 * BLK];
	struct fb_split s;
	int fd;

	rnd_fill(img, sizeof(img));
	fd = tmp_fd(img, sizeof(img));
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fb_split_scan(&s, fd, sizeof(img)));
	EXPECT_EQ(-EINVAL, fb_split_plan(&s, MIN_MAX(BLK) - 1));
	EXPECT_NE(NULL, strstr(s.why, "too small"));
	EXPECT_EQ(0, fb_split_plan(&s, MIN_MAX(BLK)));
	EXPECT_EQ(3u, s.npieces);
	fb_split_free(&s);
	close(fd);
}

/* The file shrinks between planning and sending: a read error. */
TEST(file_shrinks)
{
	struct fb_split_reader rd;
	struct fb_split s;
	size_t len = 200 * KIB;
	u8 *img = malloc(len), *buf;
	int fd, ret = 0;
	u64 pos;

	ASSERT_NE(NULL, img);
	rnd_fill(img, len);
	fd = tmp_fd(img, len);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fb_split_scan(&s, fd, len));
	ASSERT_EQ(0, fb_split_plan(&s, 64 * KIB));
	ASSERT_EQ(0, ftruncate(fd, len / 2));
	buf = malloc(64 * KIB);
	ASSERT_NE(NULL, buf);
	fb_split_reader_init(&rd, &s, s.npieces - 1);
	for (pos = 0; pos < s.piece[s.npieces - 1].bytes && !ret; pos += 4096)
		ret = fb_split_read(&rd, buf, 4096 < s.piece[s.npieces - 1].bytes - pos ?
				    4096 : s.piece[s.npieces - 1].bytes - pos);
	EXPECT_EQ(-EIO, ret);
	free(buf);
	free(img);
	fb_split_free(&s);
	close(fd);
}

TEST_HARNESS_MAIN
