// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for lib/imxflash/fastboot_sparse.c.
 *
 *  - images made by the real img2simg and simg2simg (Debian's
 *    android-sdk-libsparse-utils, libsparse 29.0.6, the code fastboot
 *    29.0.6 splits with) from deterministic raw files with holes and fill
 *    patterns, decoded whole, one byte at a time, at every split point
 *    and at random splits, and compared byte for byte with the raw file;
 *  - split pieces applied in turn: DONT_CARE regions stay untouched;
 *  - hand-built images: larger headers, CRC32 chunks, empty chunks, the
 *    fastboot 29.0.6 short piece, truncation at every byte, every
 *    malformed field with its errno and reason;
 *  - invariants checked on every operation: nothing past the limit, no
 *    empty or backward operation, nothing after an error.
 *
 * The raw files are written by this program ("--gen-raw DIR"); the
 * Makefile then runs img2simg/simg2simg on them (see FB_SPARSE_DATA).
 * Environment: FB_SPARSE_DATA overrides the data directory.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <imxflash/fastboot_sparse.h>

#include "kselftest_harness.h"

#ifndef FB_SPARSE_DATA
#define FB_SPARSE_DATA "fastboot_sparse_data"
#endif

#define POISON		0x5a
#define MIB		(1024 * 1024)

static const char *str(const char *s)
{
	return s ? s : "(null)";
}

static u32 rnd_state;

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

static void put16(u8 *p, u16 v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(u8 *p, u32 v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static u16 get16(const u8 *p)
{
	return p[0] | p[1] << 8;
}

static u32 get32(const u8 *p)
{
	return get16(p) | (u32)get16(p + 2) << 16;
}

/* ---- the output: applies operations and checks every one ---- */

struct sink {
	u8 *out;		/* NULL: check only */
	u64 size;		/* bytes at @out */
	u64 limit;		/* what the decoder was given */
	u64 end;		/* end of the previous operation */
	unsigned int nops, nwrite, nfill, nskip;
	u64 bytes;		/* sum of the operations' lengths */
	unsigned int fail_at;	/* return @fail_ret at this op (1-based) */
	int fail_ret;
	const char *bad;	/* first invariant violated */
};

static int sink_emit(void *ctx, const struct fb_sparse_op *op)
{
	struct sink *k = ctx;
	u64 i;

	k->nops++;
	k->bytes += op->len;
	if (!op->len)
		k->bad = k->bad ?: "empty operation";
	if (op->offset > k->limit || op->len > k->limit - op->offset)
		k->bad = k->bad ?: "operation past the limit";
	if (op->offset < k->end)
		k->bad = k->bad ?: "operation goes backwards";
	k->end = op->offset + op->len;
	switch (op->type) {
	case FB_SPARSE_OP_WRITE:
		k->nwrite++;
		if (!op->data)
			k->bad = k->bad ?: "WRITE without data";
		else if (k->out && !k->bad)
			memcpy(k->out + op->offset, op->data, op->len);
		break;
	case FB_SPARSE_OP_FILL:
		k->nfill++;
		if (op->offset % 4 || op->len % 4)
			k->bad = k->bad ?: "FILL not 4-byte aligned";
		else if (k->out && !k->bad)
			for (i = 0; i < op->len; i += 4)
				memcpy(k->out + op->offset + i, op->fill, 4);
		break;
	case FB_SPARSE_OP_SKIP:
		k->nskip++;
		break;
	default:
		k->bad = k->bad ?: "unknown operation type";
	}
	if (k->fail_at && k->nops == k->fail_at)
		return k->fail_ret;
	return 0;
}

static void sink_init(struct sink *k, u8 *out, u64 size, u64 limit)
{
	memset(k, 0, sizeof(*k));
	k->out = out;
	k->size = size;
	k->limit = limit;
	if (out)
		memset(out, POISON, size);
}

/* How to cut the input into feeds. */
enum { FEED_WHOLE, FEED_STEP, FEED_RANDOM, FEED_SPLIT };

struct plan {
	int how;
	size_t arg;		/* step, max random piece, split point */
	u32 seed;
};

struct result {
	int feed;		/* first error of fb_sparse_feed(), or 0 */
	int fin;		/* fb_sparse_finish() */
	const char *why;
	struct fb_sparse s;
};

/*
 * Decode @img into @k following @plan. After a feed error the rest is
 * fed anyway: it must return the same error and emit nothing.
 */
static void decode(struct result *r, struct sink *k, const u8 *img,
		   size_t len, u32 align, const struct plan *plan)
{
	size_t pos = 0, n;
	unsigned int ops;
	int ret;

	memset(r, 0, sizeof(*r));
	fb_sparse_init(&r->s, k->limit, align, sink_emit, k);
	rnd_state = plan->seed ?: 1;
	while (pos < len) {
		switch (plan->how) {
		case FEED_STEP:
			n = plan->arg;
			break;
		case FEED_RANDOM:
			n = 1 + rnd() % plan->arg;
			/* some empty feeds too */
			if (!(rnd() % 16))
				n = 0;
			break;
		case FEED_SPLIT:
			n = pos < plan->arg ? plan->arg - pos : len - pos;
			break;
		default:
			n = len;
			break;
		}
		if (n > len - pos)
			n = len - pos;
		ops = k->nops;
		ret = fb_sparse_feed(&r->s, img + pos, n);
		if (r->feed && (ret != r->feed || k->nops != ops))
			k->bad = k->bad ?: "activity after an error";
		if (ret && !r->feed)
			r->feed = ret;
		pos += n;
	}
	ops = k->nops;
	r->fin = fb_sparse_finish(&r->s);
	if (k->nops != ops)
		k->bad = k->bad ?: "finish emitted an operation";
	if (r->feed && r->fin != r->feed)
		k->bad = k->bad ?: "finish lost the error";
	/* finish is idempotent */
	if (fb_sparse_finish(&r->s) != r->fin)
		k->bad = k->bad ?: "finish not idempotent";
	r->why = r->s.why;
}

/* ---- files ---- */

static const char *data_dir(void)
{
	return getenv("FB_SPARSE_DATA") ?: FB_SPARSE_DATA;
}

static u8 *load(const char *name, size_t *len)
{
	char path[4096];
	struct stat st;
	u8 *p = NULL;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", data_dir(), name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	if (!fstat(fd, &st))
		p = malloc(st.st_size + 1);
	if (p && read(fd, p, st.st_size) == st.st_size) {
		*len = st.st_size;
	} else {
		free(p);
		p = NULL;
	}
	close(fd);
	return p;
}

/*
 * The raw inputs. Block numbers are in 4 KiB units; "hole" regions are
 * never written (file holes), FILL candidates are whole blocks of one
 * 32-bit pattern, and a few near misses must stay RAW.
 */
static int gen_file(const char *dir, const char *name,
		    void (*gen)(u8 *buf, size_t len, u8 *hole), size_t len)
{
	char path[4096];
	u8 *buf = calloc(1, len), *hole = calloc(1, len);
	size_t i, j;
	int fd, ret = 1;

	if (!buf || !hole)
		goto out;
	gen(buf, len, hole);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		goto out;
	for (i = 0; i < len; i = j) {
		for (j = i; j < len && hole[j] == hole[i]; j++)
			;
		if (hole[i]) {
			if (lseek(fd, j - i, SEEK_CUR) < 0)
				break;
		} else if (write(fd, buf + i, j - i) != (ssize_t)(j - i)) {
			break;
		}
	}
	if (i == len && !ftruncate(fd, len) && !close(fd))
		ret = 0;
	else
		perror(path);
out:
	free(buf);
	free(hole);
	return ret;
}

static void pattern(u8 *p, size_t n, u32 v)
{
	size_t i;

	for (i = 0; i + 4 <= n; i += 4)
		put32(p + i, v);
}

#define BIG_LEN		(256 * 4096 + 1234)
#define SMALL_LEN	(7 * 1024 + 100)

static void gen_big(u8 *b, size_t len, u8 *hole)
{
	const size_t k4 = 4096;

	rnd_state = 0x12345678;
	rnd_fill(b, len);
	memset(b + 5 * k4, 0, 16 * k4);		/* 5-20: hole */
	memset(hole + 5 * k4, 1, 16 * k4);
	pattern(b + 21 * k4, 20 * k4, 0xabcdef01);	/* 21-40: FILL */
	memset(b + 42 * k4, 0xff, 19 * k4);		/* 42-60: 0xff */
	memset(b + 64 * k4, 0, 64 * k4);		/* 64-127: hole */
	memset(hole + 64 * k4, 1, 64 * k4);
	pattern(b + 128 * k4, 2 * k4, 0x01020304);	/* 128: FILL */
	b[129 * k4 + 4000] ^= 1;			/* 129: RAW */
	memset(b + 140 * k4 + 1024, 0, 2048);	/* FILL only with 1K blocks */
	memset(b + 150 * k4, 0, 3 * k4);		/* zeros, written */
	memset(b + 201 * k4, 0, 55 * k4);		/* 201-255: hole */
	memset(hole + 201 * k4, 1, 55 * k4);
	/* the tail after block 256 stays random: not a block multiple */
}

static void gen_small(u8 *b, size_t len, u8 *hole)
{
	rnd_state = 0x9abcdef0;
	rnd_fill(b, len);
	memset(b + 1024, 0, 1024);		/* 1: zeros (hole) */
	memset(hole + 1024, 1, 1024);
	pattern(b + 2048, 1024, 0x11223344);	/* 2: FILL */
	memset(b + 4096, 0xff, 2048);		/* 4-5: FILL */
}

static int gen_raw(const char *dir)
{
	return gen_file(dir, "big.raw", gen_big, BIG_LEN) ||
	       gen_file(dir, "small.raw", gen_small, SMALL_LEN);
}

/* ---- img2simg / simg2simg images ---- */

FIXTURE(tool) {
	u8 *raw, *img, *out;
	size_t raw_len, img_len;
};

FIXTURE_VARIANT(tool) {
	const char *raw;
	const char *img;
	u32 blk_sz;
	unsigned int nfill;	/* at least this many FILL operations */
};

FIXTURE_VARIANT_ADD(tool, big_4k) {
	.raw = "big.raw", .img = "big.simg", .blk_sz = 4096, .nfill = 4,
};

FIXTURE_VARIANT_ADD(tool, big_1k) {
	.raw = "big.raw", .img = "big-1k.simg", .blk_sz = 1024, .nfill = 5,
};

FIXTURE_VARIANT_ADD(tool, small_1k) {
	.raw = "small.raw", .img = "small.simg", .blk_sz = 1024, .nfill = 3,
};

FIXTURE_SETUP(tool)
{
	self->raw = load(variant->raw, &self->raw_len);
	self->img = load(variant->img, &self->img_len);
	ASSERT_NE(NULL, self->raw) {
		TH_LOG("%s/%s missing: run 'make unit'", data_dir(),
		       variant->raw);
	}
	ASSERT_NE(NULL, self->img) {
		TH_LOG("%s/%s missing: run 'make unit'", data_dir(),
		       variant->img);
	}
	/* the output: the partition, 1 MiB more than the image */
	self->out = malloc(self->raw_len + MIB);
	ASSERT_NE(NULL, self->out);
}

FIXTURE_TEARDOWN(tool)
{
	free(self->raw);
	free(self->img);
	free(self->out);
}

/* The expanded image: the raw file, zero-padded to a block multiple. */
static bool tool_output_ok(struct __test_metadata *_metadata,
			   FIXTURE_DATA(tool) *self, u32 blk_sz)
{
	size_t padded = (self->raw_len + blk_sz - 1) / blk_sz * blk_sz, i;

	if (memcmp(self->out, self->raw, self->raw_len)) {
		for (i = 0; self->out[i] == self->raw[i]; i++)
			;
		TH_LOG("output differs from the raw file at %zu", i);
		return false;
	}
	for (i = self->raw_len; i < padded; i++)
		if (self->out[i]) {
			TH_LOG("padding not zero at %zu", i);
			return false;
		}
	for (i = padded; i < self->raw_len + MIB; i++)
		if (self->out[i] != POISON) {
			TH_LOG("written past the image at %zu", i);
			return false;
		}
	return true;
}

TEST_F(tool, header)
{
	const u8 *h = self->img;
	u32 blks = (self->raw_len + variant->blk_sz - 1) / variant->blk_sz;

	ASSERT_TRUE(fb_sparse_is_sparse(h, self->img_len));
	ASSERT_FALSE(fb_sparse_is_sparse(self->raw, self->raw_len));
	EXPECT_EQ(variant->blk_sz, get32(h + 12));
	EXPECT_EQ(blks, get32(h + 16));
}

TEST_F(tool, whole_and_steps)
{
	static const size_t steps[] = { 0, 1, 3, 12, 28, 4095, 4096, 16384 };
	struct result r;
	struct sink k;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		struct plan p = {
			.how = steps[i] ? FEED_STEP : FEED_WHOLE,
			.arg = steps[i],
		};

		sink_init(&k, self->out, self->raw_len + MIB,
			  self->raw_len + MIB);
		decode(&r, &k, self->img, self->img_len, 0, &p);
		ASSERT_EQ(0, r.feed) {
			TH_LOG("step %zu: %s", steps[i], str(r.why));
		}
		ASSERT_EQ(0, r.fin) {
			TH_LOG("step %zu: %s", steps[i], str(r.why));
		}
		ASSERT_EQ(NULL, k.bad) {
			TH_LOG("step %zu: %s", steps[i], k.bad);
		}
		ASSERT_TRUE(tool_output_ok(_metadata, self, variant->blk_sz));
		ASSERT_LE(variant->nfill, k.nfill);
		ASSERT_EQ(r.s.total_chunks, r.s.chunks);
		ASSERT_EQ(r.s.total_blks, r.s.blk);
	}
}

TEST_F(tool, random_splits)
{
	struct result r;
	struct sink k;
	u32 seed;

	for (seed = 1; seed <= 40; seed++) {
		struct plan p = {
			.how = FEED_RANDOM,
			.arg = seed % 2 ? 37 : 70000,
			.seed = seed,
		};

		sink_init(&k, self->out, self->raw_len + MIB,
			  self->raw_len + MIB);
		decode(&r, &k, self->img, self->img_len, 512, &p);
		ASSERT_EQ(0, r.fin) {
			TH_LOG("seed %u: %s", seed, str(r.why));
		}
		ASSERT_EQ(NULL, k.bad);
		ASSERT_TRUE(tool_output_ok(_metadata, self, variant->blk_sz));
	}
}

/* The tools' headers are what our encoder writes. */
TEST_F(tool, encoder_matches)
{
	u8 hdr[FB_SPARSE_FILE_HDR_LEN], ch[FB_SPARSE_CHUNK_HDR_LEN];
	const u8 *p = self->img;
	u32 i, n = get32(p + 20), blk_sz = get32(p + 12), total;
	size_t off = FB_SPARSE_FILE_HDR_LEN;

	ASSERT_EQ(0, fb_sparse_put_file_hdr(hdr, blk_sz, get32(p + 16), n));
	ASSERT_EQ(0, memcmp(hdr, p, sizeof(hdr)));
	for (i = 0; i < n; i++) {
		ASSERT_LE(off + FB_SPARSE_CHUNK_HDR_LEN, self->img_len);
		ASSERT_EQ(0, fb_sparse_put_chunk_hdr(ch, get16(p + off),
						     get32(p + off + 4),
						     blk_sz, &total));
		ASSERT_EQ(0, memcmp(ch, p + off, sizeof(ch))) {
			TH_LOG("chunk %u at %zu", i, off);
		}
		off += total;
	}
	EXPECT_EQ(self->img_len, off);
}

/* Too small a partition: refused before anything is written. */
TEST_F(tool, limit)
{
	u64 need = (u64)get32(self->img + 16) * variant->blk_sz;
	struct plan p = { .how = FEED_STEP, .arg = 1000 };
	struct result r;
	struct sink k;

	sink_init(&k, self->out, self->raw_len + MIB, need - 4);
	decode(&r, &k, self->img, self->img_len, 0, &p);
	EXPECT_EQ(-ENOSPC, r.feed);
	EXPECT_STREQ("image larger than the partition", str(r.why));
	EXPECT_EQ(0U, k.nops);
	EXPECT_EQ(NULL, k.bad);

	/* exactly the image's size is fine */
	sink_init(&k, self->out, self->raw_len + MIB, need);
	decode(&r, &k, self->img, self->img_len, 0, &p);
	EXPECT_EQ(0, r.fin);
	EXPECT_EQ(NULL, k.bad);
}

/* A storage block size the image's blocks are not a multiple of. */
TEST_F(tool, align)
{
	struct plan p = { .how = FEED_WHOLE };
	struct result r;
	struct sink k;

	sink_init(&k, self->out, self->raw_len + MIB, self->raw_len + MIB);
	decode(&r, &k, self->img, self->img_len, variant->blk_sz * 2, &p);
	EXPECT_EQ(-EINVAL, r.feed);
	EXPECT_STREQ("blk_sz not a multiple of the storage block size",
		     str(r.why));
	EXPECT_EQ(0U, k.nops);
	sink_init(&k, self->out, self->raw_len + MIB, self->raw_len + MIB);
	decode(&r, &k, self->img, self->img_len, variant->blk_sz, &p);
	EXPECT_EQ(0, r.fin);
}

/* ---- simg2simg pieces (what fastboot 29.0.6 sends) ---- */

struct pieces {
	u8 *p[64];
	size_t len[64];
	unsigned int n;
};

static void pieces_load(struct pieces *ps, const char *base)
{
	char name[256];

	memset(ps, 0, sizeof(*ps));
	for (ps->n = 0; ps->n < 64; ps->n++) {
		snprintf(name, sizeof(name), "%s.%u", base, ps->n);
		ps->p[ps->n] = load(name, &ps->len[ps->n]);
		if (!ps->p[ps->n])
			break;
	}
}

static void pieces_free(struct pieces *ps)
{
	unsigned int i;

	for (i = 0; i < ps->n; i++)
		free(ps->p[i]);
}

FIXTURE(split) {
	struct pieces ps;
	u8 *raw, *out, *one;
	size_t raw_len;
};

FIXTURE_VARIANT(split) {
	const char *raw;
	const char *base;
	u32 blk_sz;
};

FIXTURE_VARIANT_ADD(split, big) {
	.raw = "big.raw", .base = "big-split.simg", .blk_sz = 4096,
};

FIXTURE_VARIANT_ADD(split, small) {
	.raw = "small.raw", .base = "small-split.simg", .blk_sz = 1024,
};

FIXTURE_SETUP(split)
{
	self->raw = load(variant->raw, &self->raw_len);
	ASSERT_NE(NULL, self->raw) {
		TH_LOG("%s/%s missing: run 'make unit'", data_dir(),
		       variant->raw);
	}
	pieces_load(&self->ps, variant->base);
	ASSERT_LE(3U, self->ps.n) {
		TH_LOG("%s/%s.N: %u pieces", data_dir(), variant->base,
		       self->ps.n);
	}
	self->out = malloc(self->raw_len + MIB);
	self->one = malloc(self->raw_len + MIB);
	ASSERT_NE(NULL, self->out);
	ASSERT_NE(NULL, self->one);
}

FIXTURE_TEARDOWN(split)
{
	pieces_free(&self->ps);
	free(self->raw);
	free(self->out);
	free(self->one);
}

/*
 * Each piece alone writes only correct bytes and leaves its DONT_CARE
 * ranges alone; applied in turn onto one output they rebuild the raw file.
 */
TEST_F(split, pieces)
{
	size_t size = self->raw_len + MIB, padded, i;
	struct plan p = { .how = FEED_STEP, .arg = 16384 };
	unsigned int n, skips = 0;
	struct result r;
	struct sink k;

	padded = (self->raw_len + variant->blk_sz - 1) / variant->blk_sz *
		 variant->blk_sz;
	memset(self->out, POISON, size);
	for (n = 0; n < self->ps.n; n++) {
		sink_init(&k, self->one, size, padded);
		decode(&r, &k, self->ps.p[n], self->ps.len[n], 0, &p);
		ASSERT_EQ(0, r.fin) {
			TH_LOG("piece %u: %s", n, str(r.why));
		}
		ASSERT_EQ(NULL, k.bad);
		skips += k.nskip;
		for (i = 0; i < size; i++) {
			if (self->one[i] == POISON)
				continue;
			ASSERT_EQ(i < self->raw_len ? self->raw[i] : 0,
				  self->one[i]) {
				TH_LOG("piece %u wrote a wrong byte at %zu",
				       n, i);
			}
			self->out[i] = self->one[i];
		}
	}
	ASSERT_LE(self->ps.n - 1, skips);
	ASSERT_EQ(0, memcmp(self->out, self->raw, self->raw_len));
	for (i = self->raw_len; i < padded; i++)
		ASSERT_EQ(0, self->out[i]);
	for (i = padded; i < size; i++)
		ASSERT_EQ(POISON, self->out[i]);
}

/* ---- every split point, one byte at a time: small images ---- */

static void every_split(struct __test_metadata *_metadata, const u8 *img,
			size_t len, u8 *out, u8 *ref, u64 size)
{
	struct plan p = { .how = FEED_WHOLE };
	struct result r;
	struct sink k;
	size_t cut;

	sink_init(&k, ref, size, size);
	decode(&r, &k, img, len, 0, &p);
	ASSERT_EQ(0, r.fin);
	ASSERT_EQ(NULL, k.bad);

	for (cut = 0; cut <= len; cut++) {
		p.how = FEED_SPLIT;
		p.arg = cut;
		sink_init(&k, out, size, size);
		decode(&r, &k, img, len, 0, &p);
		ASSERT_EQ(0, r.fin) {
			TH_LOG("split at %zu: %s", cut, str(r.why));
		}
		ASSERT_EQ(NULL, k.bad);
		ASSERT_EQ(0, memcmp(out, ref, size)) {
			TH_LOG("split at %zu: different output", cut);
		}
	}
	p.how = FEED_STEP;
	p.arg = 1;
	sink_init(&k, out, size, size);
	decode(&r, &k, img, len, 0, &p);
	ASSERT_EQ(0, r.fin);
	ASSERT_EQ(NULL, k.bad);
	ASSERT_EQ(0, memcmp(out, ref, size));
}

TEST(small_every_split)
{
	size_t raw_len, len, size;
	struct pieces ps;
	u8 *raw, *img, *out, *ref;
	unsigned int n;

	raw = load("small.raw", &raw_len);
	img = load("small.simg", &len);
	ASSERT_NE(NULL, raw);
	ASSERT_NE(NULL, img);
	size = raw_len + 8192;
	out = malloc(size);
	ref = malloc(size);
	ASSERT_NE(NULL, out);
	ASSERT_NE(NULL, ref);

	every_split(_metadata, img, len, out, ref, size);
	ASSERT_EQ(0, memcmp(ref, raw, raw_len));

	pieces_load(&ps, "small-split.simg");
	ASSERT_LE(3U, ps.n);
	for (n = 0; n < ps.n; n++)
		every_split(_metadata, ps.p[n], ps.len[n], out, ref, size);
	pieces_free(&ps);
	free(raw);
	free(img);
	free(out);
	free(ref);
}

/* ---- hand-built images ---- */

#define IMG_MAX		(1024 * 1024)
#define EXP_MAX		(1024 * 1024)

struct img {
	u8 *buf;		/* the image */
	size_t len;
	u8 *exp;		/* expected output, POISON where untouched */
	u16 fhs, chs;
	u32 blk_sz;
	u32 blks, chunks;
	size_t start[32];	/* offset of each chunk */
};

static void img_init(struct img *m, u32 blk_sz, u16 fhs, u16 chs)
{
	m->buf = calloc(1, IMG_MAX);
	m->exp = malloc(EXP_MAX);
	memset(m->exp, POISON, EXP_MAX);
	m->blk_sz = blk_sz;
	m->fhs = fhs;
	m->chs = chs;
	m->blks = 0;
	m->chunks = 0;
	put32(m->buf, FB_SPARSE_MAGIC);
	put16(m->buf + 4, 1);
	put16(m->buf + 6, 0);
	put16(m->buf + 8, fhs);
	put16(m->buf + 10, chs);
	put32(m->buf + 12, blk_sz);
	/* junk in the extra header bytes: they must be skipped */
	memset(m->buf + 28, 0xee, fhs - 28);
	m->len = fhs;
}

static void img_free(struct img *m)
{
	free(m->buf);
	free(m->exp);
}

/* Update the counts in the file header. */
static void img_seal(struct img *m)
{
	put32(m->buf + 16, m->blks);
	put32(m->buf + 20, m->chunks);
}

/* A chunk with explicit fields; @data (@dlen bytes) follows the header. */
static void img_chunk(struct img *m, u16 type, u32 chunk_sz, u32 total_sz,
		      const void *data, size_t dlen)
{
	u8 *h = m->buf + m->len;

	if (m->chunks < 32)
		m->start[m->chunks] = m->len;
	put16(h, type);
	put16(h + 2, 0);
	put32(h + 4, chunk_sz);
	put32(h + 8, total_sz);
	memset(h + 12, 0xdd, m->chs - 12);
	if (dlen)
		memcpy(h + m->chs, data, dlen);
	m->len += m->chs + dlen;
	m->chunks++;
	img_seal(m);
}

static void img_raw(struct img *m, u32 blocks)
{
	size_t n = (size_t)blocks * m->blk_sz;
	u8 *d = malloc(n + 1);

	rnd_fill(d, n);
	memcpy(m->exp + (size_t)m->blks * m->blk_sz, d, n);
	img_chunk(m, FB_SPARSE_RAW, blocks, m->chs + n, d, n);
	m->blks += blocks;
	img_seal(m);
	free(d);
}

static void img_fill(struct img *m, u32 blocks, u32 v)
{
	u8 d[4];

	put32(d, v);
	pattern(m->exp + (size_t)m->blks * m->blk_sz,
		(size_t)blocks * m->blk_sz, v);
	img_chunk(m, FB_SPARSE_FILL, blocks, m->chs + 4, d, 4);
	m->blks += blocks;
	img_seal(m);
}

static void img_skip(struct img *m, u32 blocks)
{
	img_chunk(m, FB_SPARSE_DONT_CARE, blocks, m->chs, NULL, 0);
	m->blks += blocks;
	img_seal(m);
}

static void img_crc(struct img *m)
{
	u8 d[4] = { 0xde, 0xad, 0xbe, 0xef };	/* never right: ignored */

	img_chunk(m, FB_SPARSE_CRC32, 0, m->chs + 4, d, 4);
}

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
 * (fastboot-protocol.md §5.3): 5 chunks and 10241 blocks in the header,
 * the trailing DONT_CARE of 3074 blocks missing. Block size scaled down
 * from 4096 to 64.
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
	check_img(_metadata, &m, 10241 * 64, FB_SPARSE_SHORT);

	sink_init(&k, NULL, 0, 10241 * 64);
	decode(&r, &k, m.buf, m.len, 0, &p);
	EXPECT_EQ(FB_SPARSE_SHORT, r.fin);
	EXPECT_STREQ("last chunk missing, its blocks left untouched",
		     str(r.why));
	EXPECT_EQ(4U, r.s.chunks);
	/* nothing may follow */
	EXPECT_EQ(-EINVAL, fb_sparse_feed(&r.s, m.buf, 1));
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
	ASSERT_EQ(FB_SPARSE_SHORT, r.fin);
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
	EXPECT_FALSE(fb_sparse_is_sparse(self->m.buf, self->m.len));
}

TEST_F(bad, major)
{
	static const struct bad_case bc = {
		.name = "major", .err = -EINVAL,
		.why = "unsupported sparse major version" };

	put16(self->m.buf + 4, 2);
	bad_run(_metadata, &self->m, &bc);
	/* still recognised as sparse, so that the decoder says why */
	EXPECT_TRUE(fb_sparse_is_sparse(self->m.buf, self->m.len));
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

	img_chunk(&self->m, FB_SPARSE_FILL, 1, 12 + 8, d, 8);
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

	img_chunk(&self->m, FB_SPARSE_DONT_CARE, 1, 12 + 4, d, 4);
	self->m.blks++;
	img_seal(&self->m);
	bad_run(_metadata, &self->m, &bc);
}

TEST_F(bad, crc32_total_sz)
{
	static const struct bad_case bc = {
		.name = "crc", .err = -EINVAL,
		.why = "CRC32 chunk total_sz != chunk_hdr_sz + 4", .bytes = 4096 };

	img_chunk(&self->m, FB_SPARSE_CRC32, 0, 12, NULL, 0);
	bad_run(_metadata, &self->m, &bc);
}

/* a CRC32 chunk's chunk_sz is ignored, as by libsparse */
TEST_F(bad, crc32_chunk_sz_ignored)
{
	u8 d[4] = { 1, 2, 3, 4 };

	img_chunk(&self->m, FB_SPARSE_CRC32, 1000, 12 + 4, d, 4);
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

	img_chunk(&self->m, FB_SPARSE_FILL, 0xffffffff, 16, d, 4);
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
	u8 h[FB_SPARSE_FILE_HDR_LEN];

	ASSERT_EQ(0, fb_sparse_put_file_hdr(h, 4096, 1, 1));
	EXPECT_TRUE(fb_sparse_is_sparse(h, sizeof(h)));
	EXPECT_TRUE(fb_sparse_is_sparse(h, 4));
	EXPECT_FALSE(fb_sparse_is_sparse(h, 3));
	EXPECT_FALSE(fb_sparse_is_sparse(h, 0));
	EXPECT_FALSE(fb_sparse_is_sparse("ANDROID!", 8));
	EXPECT_FALSE(fb_sparse_is_sparse("\xed\x26\xff\x3a", 4));
	EXPECT_TRUE(fb_sparse_is_sparse("\x3a\xff\x26\xed", 4));
}

/* ---- encoder ---- */

TEST(encoder)
{
	static const u8 want_hdr[FB_SPARSE_FILE_HDR_LEN] = {
		0x3a, 0xff, 0x26, 0xed, 1, 0, 0, 0, 28, 0, 12, 0,
		0x00, 0x10, 0, 0, 0x01, 0x28, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0,
	};
	static const u8 want_raw[FB_SPARSE_CHUNK_HDR_LEN] = {
		0xc1, 0xca, 0, 0, 0x00, 0x0a, 0, 0, 0x0c, 0x00, 0xa0, 0x00,
	};
	u8 h[FB_SPARSE_FILE_HDR_LEN], c[FB_SPARSE_CHUNK_HDR_LEN];
	u32 t = 0;

	ASSERT_EQ(0, fb_sparse_put_file_hdr(h, 4096, 10241, 5));
	EXPECT_EQ(0, memcmp(h, want_hdr, sizeof(h)));
	EXPECT_EQ(-EINVAL, fb_sparse_put_file_hdr(h, 0, 1, 1));
	EXPECT_EQ(-EINVAL, fb_sparse_put_file_hdr(h, 4094, 1, 1));

	ASSERT_EQ(0, fb_sparse_put_chunk_hdr(c, FB_SPARSE_RAW, 2560, 4096,
					     &t));
	EXPECT_EQ(0, memcmp(c, want_raw, sizeof(c)));
	EXPECT_EQ(12 + 2560 * 4096U, t);
	EXPECT_EQ(0, fb_sparse_put_chunk_hdr(c, FB_SPARSE_RAW, 1, 4, NULL));

	EXPECT_EQ(0, fb_sparse_chunk_size(FB_SPARSE_FILL, 99, 4096, &t));
	EXPECT_EQ(16U, t);
	EXPECT_EQ(0, fb_sparse_chunk_size(FB_SPARSE_DONT_CARE, 99, 4096, &t));
	EXPECT_EQ(12U, t);
	EXPECT_EQ(0, fb_sparse_chunk_size(FB_SPARSE_CRC32, 0, 4096, &t));
	EXPECT_EQ(16U, t);
	EXPECT_EQ(0, fb_sparse_chunk_size(FB_SPARSE_RAW, 0, 4096, &t));
	EXPECT_EQ(12U, t);
	/* the largest RAW chunk whose total_sz fits in 32 bits */
	EXPECT_EQ(0, fb_sparse_chunk_size(FB_SPARSE_RAW, 0x3ffffffc, 4, &t));
	EXPECT_EQ(0xfffffffc, t);
	EXPECT_EQ(-EOVERFLOW,
		  fb_sparse_chunk_size(FB_SPARSE_RAW, 0x3ffffffd, 4, &t));
	EXPECT_EQ(-EOVERFLOW,
		  fb_sparse_chunk_size(FB_SPARSE_RAW, 0x100000, 4096, &t));
	EXPECT_EQ(-EOVERFLOW, fb_sparse_put_chunk_hdr(c, FB_SPARSE_RAW,
						      0xffffffff, 0xfffffffc,
						      &t));
	EXPECT_EQ(-EINVAL, fb_sparse_chunk_size(FB_SPARSE_CRC32, 1, 4096, &t));
	EXPECT_EQ(-EINVAL, fb_sparse_chunk_size(0xcac5, 1, 4096, &t));
	EXPECT_EQ(-EINVAL, fb_sparse_chunk_size(FB_SPARSE_FILL, 1, 0, &t));
	EXPECT_EQ(-EINVAL, fb_sparse_chunk_size(FB_SPARSE_FILL, 1, 6, &t));
	memset(c, 0x77, sizeof(c));
	EXPECT_EQ(-EINVAL, fb_sparse_put_chunk_hdr(c, 0, 1, 4096, &t));
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

	ASSERT_EQ(0, fb_sparse_put_file_hdr(img, blk, 20, 4));
	n += FB_SPARSE_FILE_HDR_LEN;
	ASSERT_EQ(0, fb_sparse_put_chunk_hdr(img + n, FB_SPARSE_DONT_CARE, 4,
					     blk, &t));
	n += t;
	ASSERT_EQ(0, fb_sparse_put_chunk_hdr(img + n, FB_SPARSE_RAW, 6, blk,
					     &t));
	rnd_fill(img + n + 12, t - 12);
	memcpy(exp + 4 * blk, img + n + 12, t - 12);
	n += t;
	ASSERT_EQ(0, fb_sparse_put_chunk_hdr(img + n, FB_SPARSE_FILL, 10, blk,
					     &t));
	put32(img + n + 12, 0xa5a5a5a5);
	memset(exp + 10 * blk, 0xa5, 10 * blk);
	n += t;
	ASSERT_EQ(0, fb_sparse_put_chunk_hdr(img + n, FB_SPARSE_CRC32, 0, blk,
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
	struct fb_sparse_op op = { .offset = 8, .len = 8,
				   .type = FB_SPARSE_OP_SKIP };
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

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--gen-raw"))
		return gen_raw(argv[2]);
	return test_harness_run(argc, argv);
}
