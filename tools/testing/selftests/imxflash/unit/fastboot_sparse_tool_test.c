// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for lib/imxflash/fastboot_sparse.c with the images of the
 * real tools: img2simg and simg2simg (Debian's android-sdk-libsparse-utils,
 * libsparse 29.0.6, the code fastboot 29.0.6 splits with) run on
 * deterministic raw files with holes and fill patterns.
 *
 *  - each image decoded whole, in steps, at random splits, one byte at a
 *    time and at every split point, and compared byte for byte with the
 *    raw file; its headers are what the encoder writes;
 *  - too small a partition, and a storage block size the image's blocks
 *    are not a multiple of;
 *  - the simg2simg pieces applied in turn: DONT_CARE regions stay
 *    untouched.
 *
 * Hand-built and malformed images are in fastboot_sparse_built_test.c.
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
#include "fastboot_sparse_util.h"

#ifndef FB_SPARSE_DATA
#define FB_SPARSE_DATA "fastboot_sparse_data"
#endif

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

/*
 * The fixture's data, for a helper: written as FIXTURE_DATA(tool) *self,
 * a parameter looks like a product to checkpatch.
 */
#define TOOL_DATA FIXTURE_DATA(tool)

/* The expanded image: the raw file, zero-padded to a block multiple. */
static bool tool_output_ok(struct __test_metadata *_metadata,
			   TOOL_DATA *self, u32 blk_sz)
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

	ASSERT_TRUE(fastboot_sparse_is_sparse(h, self->img_len));
	ASSERT_FALSE(fastboot_sparse_is_sparse(self->raw, self->raw_len));
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
	u8 hdr[FASTBOOT_SPARSE_FILE_HDR_LEN], ch[FASTBOOT_SPARSE_CHUNK_HDR_LEN];
	const u8 *p = self->img;
	u32 i, n = get32(p + 20), blk_sz = get32(p + 12), total;
	size_t off = FASTBOOT_SPARSE_FILE_HDR_LEN;

	ASSERT_EQ(0, fastboot_sparse_put_file_hdr(hdr, blk_sz, get32(p + 16), n));
	ASSERT_EQ(0, memcmp(hdr, p, sizeof(hdr)));
	for (i = 0; i < n; i++) {
		ASSERT_LE(off + FASTBOOT_SPARSE_CHUNK_HDR_LEN, self->img_len);
		ASSERT_EQ(0, fastboot_sparse_put_chunk_hdr(ch, get16(p + off),
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

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--gen-raw"))
		return gen_raw(argv[2]);
	return test_harness_run(argc, argv);
}
