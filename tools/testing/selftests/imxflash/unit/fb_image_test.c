// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for userspace/lib/fb-image.c, images as build systems ship
 * them, turned into sparse pieces (fb-split.c) without a device: every
 * piece is decoded with the pure decoder (fastboot_sparse.h) into a
 * poisoned partition buffer, as usb_f_fastboot applies it.
 *
 *  - image_data.sh's img.raw (5 MiB + 1000 bytes, 69 mapped blocks) with
 *    its bmaptool map, plain and compressed four ways: only the mapped
 *    blocks are written (the last, short block padded with zeros), the
 *    unmapped ones keep the poison, and the bytes in the pieces are
 *    the mapped bytes plus headers only;
 *  - the same images without their map (--no-bmap): the whole image, as
 *    pieces and as one download; a gzip-compressed Android sparse image
 *    resplit; the bmap found next to an image (FILE.bmap, and FILE
 *    without .zst plus .bmap);
 *  - faults: a byte changed in a mapped block fails the read of the
 *    piece that holds the end of its range (naming range, blocks and bmap
 *    line), and the pieces before it hold only verified ranges; truncated
 *    and corrupt files with a map never reach a clean end, without a map
 *    they are refused before any piece exists; an image longer or
 *    shorter than ImageSize; a missing decompressor (the message names
 *    the package); a bmap for a sparse image; a file changed between the
 *    two passes.
 *
 * Environment: IMG_DATA overrides the data directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <imxflash/fastboot_sparse.h>

#include "fb-image.h"
#include "img_data.h"
#include "kselftest_harness.h"

#define POISON	0xa5
#define BLK	4096u
#define PSIZE	(6u << 20)	/* the partition */

/* img.raw's mapped blocks (image_data.sh) */
static const struct {
	u32 first, last;
} mapped[] = { { 0, 1 }, { 3, 3 }, { 100, 163 }, { 200, 200 }, { 1280, 1280 } };

static bool is_mapped(u64 blk)
{
	size_t i;

	for (i = 0; i < sizeof(mapped) / sizeof(mapped[0]); i++)
		if (blk >= mapped[i].first && blk <= mapped[i].last)
			return true;
	return false;
}

static int part_emit(void *ctx, const struct fastboot_sparse_op *op)
{
	u8 *part = ctx;
	u64 i;

	if (op->type == FASTBOOT_SPARSE_OP_WRITE)
		memcpy(part + op->offset, op->data, op->len);
	else if (op->type == FASTBOOT_SPARSE_OP_FILL)
		for (i = 0; i < op->len; i += 4)
			memcpy(part + op->offset + i, op->fill, 4);
	return 0;
}

/* Piece @i of @im, read and applied to @part: 0 or the read's error. */
static int apply_piece(struct __test_metadata *_metadata,
		       struct fb_image *im, size_t i, u8 *part)
{
	struct fb_split_reader r;
	struct fastboot_sparse dec;
	u64 len = im->split.piece[i].bytes;
	u8 *buf = malloc(len);
	int ret;

	fb_split_reader_init(&r, &im->split, i);
	ret = fb_split_read(&r, buf, len);
	if (!ret) {
		fastboot_sparse_init(&dec, PSIZE, 0, part_emit, part);
		EXPECT_EQ(0, fastboot_sparse_feed(&dec, buf, len)) {
			TH_LOG("piece %zu: %s", i, dec.why);
		}
		EXPECT_EQ(0, fastboot_sparse_finish(&dec));
	}
	free(buf);
	return ret;
}

/* @image with its bmap @map, or without one (--no-bmap) when @map is NULL. */
static int open_as(struct fb_image *im, const char *image, const char *map)
{
	return fb_image_open(im, img_file(image), map ? img_file(map) : NULL,
			     !map, NULL);
}

FIXTURE(img) {
	u8 *raw, *part;
	size_t raw_len;
	struct fb_image im;
};

FIXTURE_VARIANT(img) {
	const char *image;
	const char *map;	/* NULL: --no-bmap */
	u64 max;		/* piece size */
};

FIXTURE_VARIANT_ADD(img, plain) {
	.image = "img.raw", .map = "img.bmap", .max = 64 << 10,
};
FIXTURE_VARIANT_ADD(img, gzip) {
	.image = "img.raw.gz", .map = "img.bmap", .max = 64 << 10,
};
FIXTURE_VARIANT_ADD(img, xz) {
	.image = "img.raw.xz", .map = "img.bmap", .max = 100 << 10,
};
FIXTURE_VARIANT_ADD(img, zstd) {
	.image = "img.raw.zst", .map = "img.bmap", .max = 64 << 10,
};
FIXTURE_VARIANT_ADD(img, bzip2) {
	.image = "img.raw.bz2", .map = "img.bmap", .max = 128 << 10,
};
FIXTURE_VARIANT_ADD(img, xz_v1_3) {
	.image = "img.raw.xz", .map = "img-v1.3.bmap", .max = 64 << 10,
};
FIXTURE_VARIANT_ADD(img, zstd_nocsum) {
	.image = "img.raw.zst", .map = "img-nocsum.bmap", .max = 64 << 10,
};
FIXTURE_VARIANT_ADD(img, hole_plain) {
	/* a byte changed in an unmapped block: not the map's business */
	.image = "img-hole.raw", .map = "img.bmap", .max = 64 << 10,
};
FIXTURE_VARIANT_ADD(img, gzip_nomap) {
	.image = "img.raw.gz", .max = 64 << 10,
};
FIXTURE_VARIANT_ADD(img, xz_nomap) {
	.image = "img.raw.xz", .max = 128 << 10,
};
FIXTURE_VARIANT_ADD(img, zstd_nomap) {
	.image = "img.raw.zst", .max = 64 << 10,
};
FIXTURE_VARIANT_ADD(img, bzip2_nomap) {
	.image = "img.raw.bz2", .max = 256 << 10,
};
FIXTURE_VARIANT_ADD(img, misnamed_nomap) {
	/* gzip under a name that does not say so */
	.image = "misnamed.img", .max = 64 << 10,
};

FIXTURE_SETUP(img)
{
	self->raw = (u8 *)img_load("img.raw", &self->raw_len);
	ASSERT_NE(NULL, self->raw) {
		TH_LOG("no img.raw: run make unit");
	}
	self->part = malloc(PSIZE);
	memset(self->part, POISON, PSIZE);
	self->im.fd = -1;
}

FIXTURE_TEARDOWN(img)
{
	fb_image_close(&self->im);
	free(self->raw);
	free(self->part);
}

/* As pieces: the mapped blocks (all without a map), the rest untouched. */
TEST_F(img, pieces)
{
	struct fb_image *im = &self->im;
	u64 blk, end, sent = 0, payload = 0;
	size_t i;
	int ret;

	ret = open_as(im, variant->image, variant->map);
	ASSERT_EQ(0, ret) {
		TH_LOG("%s", im->why);
	}
	EXPECT_EQ(self->raw_len, im->size);
	EXPECT_EQ(!!variant->map, im->mapped);
	EXPECT_FALSE(im->sparse);
	ASSERT_EQ(0, fb_image_describe(im));
	ASSERT_EQ(0, fb_split_plan(&im->split, variant->max)) {
		TH_LOG("%s", im->split.why);
	}
	ASSERT_LE(2u, im->split.npieces);
	for (i = 0; i < im->split.npieces; i++) {
		ASSERT_EQ(0, apply_piece(_metadata, im, i, self->part)) {
			TH_LOG("piece %zu: %s", i, im->why);
		}
		ASSERT_LE(im->split.piece[i].bytes, variant->max);
		sent += im->split.piece[i].bytes;
	}
	ASSERT_EQ(0, fb_image_finish(im)) {
		TH_LOG("%s", im->why);
	}
	/* the last block is short: zeros after the image's end */
	end = (self->raw_len + BLK - 1) / BLK * BLK;
	for (blk = 0; blk < end / BLK; blk++) {
		u64 off = blk * BLK, n = BLK;

		if (off + n > self->raw_len)
			n = self->raw_len - off;
		if (!variant->map || is_mapped(blk)) {
			ASSERT_EQ(0, memcmp(self->part + off, self->raw + off, n)) {
				TH_LOG("block %llu differs", (unsigned long long)blk);
			}
			for (; n < BLK; n++)
				ASSERT_EQ(0, self->part[off + n]);
			payload += BLK;
		} else {
			for (n = 0; n < BLK; n++)
				ASSERT_EQ(POISON, self->part[off + n]) {
					TH_LOG("unmapped block %llu written",
					       (unsigned long long)blk);
				}
		}
	}
	EXPECT_EQ(POISON, self->part[end]);
	if (variant->map) {
		/* only the mapped data and headers go on the wire */
		EXPECT_EQ(69u * BLK, payload);
		EXPECT_EQ((u64)(68 * BLK + 1000), fb_image_mapped_bytes(im));
		EXPECT_GE(payload + 64 * im->split.npieces + 24 * 5, sent);
	}
}

/* fastboot-lite check: the same image read through, with no device. */
TEST_F(img, check)
{
	struct fb_image *im = &self->im;
	u64 sent = 0, blks;
	int ret;

	ret = open_as(im, variant->image, variant->map);
	ASSERT_EQ(0, ret) {
		TH_LOG("%s", im->why);
	}
	ASSERT_EQ(0, fb_image_check(im, &sent)) {
		TH_LOG("%s", im->why);
	}
	/* one piece: the sparse image a download would carry */
	EXPECT_EQ(1u, im->split.npieces);
	EXPECT_EQ(im->split.piece[0].bytes, sent);
	blks = variant->map ? 69 : 0;
	EXPECT_LE(blks * BLK + 28, sent);
	if (variant->map)
		EXPECT_GE(69u * BLK + 28 + 12 * 2 * 5, sent);
}

/* Compressed, without a map: the image as one download. */
TEST(whole)
{
	static const char *const names[] = {
		"img.raw.gz", "img.raw.xz", "img.raw.zst", "img.raw.bz2",
		"misnamed.img",
	};
	struct fb_image im;
	size_t i, n, len = 0;
	char *raw = img_load("img.raw", &len);
	u8 *buf = malloc(len);
	u64 off;

	ASSERT_NE(NULL, raw);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ASSERT_EQ(0, open_as(&im, names[i], NULL)) {
			TH_LOG("%s: %s", names[i], im.why);
		}
		EXPECT_EQ(len, im.size);
		EXPECT_EQ(len, im.out_size);
		memset(buf, 0, len);
		/* in reads of odd sizes, as the transport asks */
		for (off = 0; off < len; off += n) {
			n = len - off < 70001 ? len - off : 70001;
			ASSERT_EQ(0, fb_image_read(&im, off, buf + off, n)) {
				TH_LOG("%s: %s", names[i], im.why);
			}
		}
		EXPECT_EQ(0, memcmp(buf, raw, len));
		EXPECT_EQ(0, fb_image_finish(&im)) {
			TH_LOG("%s: %s", names[i], im.why);
		}
		fb_image_close(&im);
	}
	free(buf);
	free(raw);
}

/*
 * A byte changed in block 130 (range 100-163): the piece that holds the
 * range's end fails to read; the pieces before it were good and hold no
 * byte of a range that is not verified, except the start of that one.
 */
TEST(bad_checksum_stops_before_the_range_end)
{
	u8 *part = malloc(PSIZE);
	struct fb_image im;
	size_t i;
	int ret = 0;

	memset(part, POISON, PSIZE);
	ASSERT_EQ(0, open_as(&im, "img-bad.raw", "img.bmap")) {
		TH_LOG("%s", im.why);
	}
	ASSERT_EQ(0, fb_image_describe(&im));
	ASSERT_EQ(0, fb_split_plan(&im.split, 64 << 10));
	for (i = 0; i < im.split.npieces; i++) {
		ret = apply_piece(_metadata, &im, i, part);
		if (ret)
			break;
		/* no piece that was read in full holds block 163 */
		ASSERT_LT(im.split.piece[i].end_blk, 164u);
	}
	EXPECT_EQ(-EBADMSG, ret);
	ASSERT_LT(i, im.split.npieces);
	/* the failing piece holds the range's last block */
	EXPECT_LE(im.split.piece[i].start_blk, 163u);
	EXPECT_GE(im.split.piece[i].end_blk, 164u);
	EXPECT_NE(NULL, strstr(im.why,
			       "range 3 of 5 (blocks 100-163, bmap line ")) {
		TH_LOG("%s", im.why);
	}
	EXPECT_NE(NULL, strstr(im.why, "the bmap says"));
	/* nothing of the failing piece reached the partition */
	EXPECT_EQ(POISON, part[163 * BLK]);
	fb_image_close(&im);
	free(part);
}

TEST(check_refuses_a_bad_checksum)
{
	struct fb_image im;
	u64 sent;

	ASSERT_EQ(0, open_as(&im, "img-bad.raw", "img.bmap")) {
		TH_LOG("%s", im.why);
	}
	EXPECT_EQ(-EBADMSG, fb_image_check(&im, &sent));
	EXPECT_NE(NULL, strstr(im.why,
			       "range 3 of 5 (blocks 100-163, bmap line ")) {
		TH_LOG("%s", im.why);
	}
	fb_image_close(&im);
}

/* Input that is not entirely valid never reaches a clean end. */
FIXTURE(broken) {
	struct fb_image im;
};

FIXTURE_VARIANT(broken) {
	const char *image, *map, *want;
};

#define BROKEN(n, i, m, w) \
	FIXTURE_VARIANT_ADD(broken, n) { .image = i, .map = m, .want = w }
BROKEN(trunc_gz, "trunc.gz", "img.bmap", "gzip -d failed");
BROKEN(trunc_xz, "trunc.xz", "img.bmap", "xz -d failed");
BROKEN(trunc_zst, "trunc.zst", "img.bmap", "zstd -d failed");
BROKEN(trunc_bz2, "trunc.bz2", "img.bmap", "bzip2 -d failed");
BROKEN(corrupt_gz, "corrupt.gz", "img.bmap", "");
BROKEN(corrupt_xz, "corrupt.xz", "img.bmap", "");
BROKEN(corrupt_zst, "corrupt.zst", "img.bmap", "");
BROKEN(corrupt_bz2, "corrupt.bz2", "img.bmap", "");
BROKEN(long_gz, "img-long.gz", "img.bmap", "longer than the bmap's ImageSize");
BROKEN(short_gz, "img-short.gz", "img.bmap", "ends at byte 3000000");
BROKEN(trunc_gz_nomap, "trunc.gz", NULL, "gzip -d failed");
BROKEN(trunc_xz_nomap, "trunc.xz", NULL, "xz -d failed");
BROKEN(trunc_zst_nomap, "trunc.zst", NULL, "zstd -d failed");
BROKEN(trunc_bz2_nomap, "trunc.bz2", NULL, "bzip2 -d failed");
BROKEN(corrupt_gz_nomap, "corrupt.gz", NULL, "-d failed");
BROKEN(corrupt_xz_nomap, "corrupt.xz", NULL, "-d failed");
BROKEN(corrupt_zst_nomap, "corrupt.zst", NULL, "-d failed");
BROKEN(corrupt_bz2_nomap, "corrupt.bz2", NULL, "-d failed");

FIXTURE_SETUP(broken)
{
	memset(&self->im, 0, sizeof(self->im));
	self->im.fd = -1;
}

FIXTURE_TEARDOWN(broken)
{
	fb_image_close(&self->im);
}

TEST_F(broken, never_a_clean_end)
{
	struct fb_image *im = &self->im;
	u8 *part = malloc(PSIZE);
	size_t i;
	int ret;

	ret = open_as(im, variant->image, variant->map);
	if (!variant->map) {
		/* the first pass reads it all: refused before any piece */
		EXPECT_NE(0, ret);
		EXPECT_NE(NULL, strstr(im->why, variant->want)) {
			TH_LOG("%s", im->why);
		}
		free(part);
		return;
	}
	if (!ret)
		ret = fb_image_describe(im);
	if (!ret)
		ret = fb_split_plan(&im->split, 64 << 10);
	for (i = 0; !ret && i < im->split.npieces; i++)
		ret = apply_piece(_metadata, im, i, part);
	if (!ret)
		ret = fb_image_finish(im);
	EXPECT_NE(0, ret);
	EXPECT_NE(NULL, strstr(im->why, variant->want)) {
		TH_LOG("%s", im->why);
	}
	free(part);
}

/* fastboot-lite check says the same as the flash would have said. */
TEST_F(broken, check_fails_the_same)
{
	struct fb_image *im = &self->im;
	u64 sent;
	int ret;

	ret = open_as(im, variant->image, variant->map);
	if (!ret)
		ret = fb_image_check(im, &sent);
	EXPECT_NE(0, ret);
	EXPECT_NE(NULL, strstr(im->why, variant->want)) {
		TH_LOG("%s", im->why);
	}
}

/* A gzip-compressed Android sparse image, resplit. */
TEST(compressed_sparse)
{
	char dir[] = "/tmp/fb_image_testXXXXXX", path[600], cmd[1300];
	u8 hdr[FASTBOOT_SPARSE_FILE_HDR_LEN], ch[FASTBOOT_SPARSE_CHUNK_HDR_LEN];
	u8 *raw = malloc(300 * BLK), *part = malloc(PSIZE);
	u32 v = 0x11223344;
	struct fb_image im;
	size_t i;
	FILE *f;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.simg", dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	/* DONT_CARE 100, RAW 300, FILL 200, DONT_CARE 50 */
	fastboot_sparse_put_file_hdr(hdr, BLK, 650, 4);
	fwrite(hdr, 1, sizeof(hdr), f);
	fastboot_sparse_put_chunk_hdr(ch, FASTBOOT_SPARSE_DONT_CARE, 100, BLK, NULL);
	fwrite(ch, 1, sizeof(ch), f);
	fastboot_sparse_put_chunk_hdr(ch, FASTBOOT_SPARSE_RAW, 300, BLK, NULL);
	fwrite(ch, 1, sizeof(ch), f);
	for (i = 0; i < 300 * BLK; i++)
		raw[i] = (u8)(i * 7 + i / 4096);
	fwrite(raw, 1, 300 * BLK, f);
	fastboot_sparse_put_chunk_hdr(ch, FASTBOOT_SPARSE_FILL, 200, BLK, NULL);
	fwrite(ch, 1, sizeof(ch), f);
	fwrite(&v, 1, 4, f);
	fastboot_sparse_put_chunk_hdr(ch, FASTBOOT_SPARSE_DONT_CARE, 50, BLK, NULL);
	fwrite(ch, 1, sizeof(ch), f);
	ASSERT_EQ(0, fclose(f));
	snprintf(cmd, sizeof(cmd), "gzip -n '%s'", path);
	ASSERT_EQ(0, system(cmd));
	snprintf(path, sizeof(path), "%s/s.simg.gz", dir);

	memset(part, POISON, PSIZE);
	ASSERT_EQ(0, fb_image_open(&im, path, NULL, false, NULL)) {
		TH_LOG("%s", im.why);
	}
	EXPECT_TRUE(im.sparse);
	EXPECT_EQ((int)DECOMP_GZIP, (int)im.fmt);
	EXPECT_EQ(650u * BLK, im.out_size);
	ASSERT_EQ(0, fb_split_plan(&im.split, 256 << 10));
	EXPECT_LE(5u, im.split.npieces);
	for (i = 0; i < im.split.npieces; i++)
		ASSERT_EQ(0, apply_piece(_metadata, &im, i, part)) {
			TH_LOG("%s", im.why);
		}
	ASSERT_EQ(0, fb_image_finish(&im)) {
		TH_LOG("%s", im.why);
	}
	EXPECT_EQ(POISON, part[0]);
	EXPECT_EQ(POISON, part[100 * BLK - 1]);
	EXPECT_EQ(0, memcmp(part + 100 * BLK, raw, 300 * BLK));
	EXPECT_EQ(0x44, part[400 * BLK]);
	EXPECT_EQ(0x11, part[600 * BLK - 1]);
	EXPECT_EQ(POISON, part[600 * BLK]);
	fb_image_close(&im);
	unlink(path);
	rmdir(dir);
	free(raw);
	free(part);
}

/* FILE.bmap, or FILE without its compression suffix plus .bmap. */
TEST(bmap_found_next_to_the_image)
{
	char dir[] = "/tmp/fb_image_testXXXXXX", a[600], b[600], out[700];
	struct fb_image im;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/img.wic.zst", dir);
	ASSERT_EQ(0, symlink(img_file("img.raw.zst"), a));
	EXPECT_EQ(0, fb_image_find_bmap(a, true, out, sizeof(out)));
	snprintf(b, sizeof(b), "%s/img.wic.bmap", dir);
	ASSERT_EQ(0, symlink(img_file("img.bmap"), b));
	EXPECT_EQ(1, fb_image_find_bmap(a, true, out, sizeof(out)));
	EXPECT_STREQ(b, out);
	/* a plain file: only FILE.bmap (img.bmap is not img.wic's) */
	snprintf(out, sizeof(out), "%s/img.wic", dir);
	EXPECT_EQ(0, fb_image_find_bmap(out, false, out, sizeof(out)));
	ASSERT_EQ(0, fb_image_open(&im, a, NULL, false, NULL)) {
		TH_LOG("%s", im.why);
	}
	EXPECT_TRUE(im.mapped);
	EXPECT_STREQ(b, im.bmap_path);
	fb_image_close(&im);
	/* --no-bmap: not used */
	ASSERT_EQ(0, fb_image_open(&im, a, NULL, true, NULL));
	EXPECT_FALSE(im.mapped);
	fb_image_close(&im);
	unlink(b);
	/* FILE.bmap first */
	snprintf(b, sizeof(b), "%s/img.wic.zst.bmap", dir);
	ASSERT_EQ(0, symlink(img_file("img.bmap"), b));
	EXPECT_EQ(1, fb_image_find_bmap(a, true, out, sizeof(out)));
	EXPECT_STREQ(b, out);
	unlink(b);
	unlink(a);
	rmdir(dir);
}

TEST(missing_decompressor_names_the_package)
{
	char *path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	struct fb_image im;

	setenv("PATH", "/nonexistent", 1);
	EXPECT_EQ(-ENOENT, open_as(&im, "img.raw.zst", "img.bmap"));
	EXPECT_NE(NULL, strstr(im.why, "apt-get install zstd")) {
		TH_LOG("%s", im.why);
	}
	EXPECT_EQ(-ENOENT, open_as(&im, "img.raw.xz", NULL));
	EXPECT_NE(NULL, strstr(im.why, "apt-get install xz-utils")) {
		TH_LOG("%s", im.why);
	}
	if (path)
		setenv("PATH", path, 1);
	free(path);
}

TEST(bmap_of_a_sparse_image_refused)
{
	char path[] = "/tmp/fb_image_testXXXXXX";
	u8 hdr[FASTBOOT_SPARSE_FILE_HDR_LEN], ch[FASTBOOT_SPARSE_CHUNK_HDR_LEN];
	struct fb_image im;
	int fd = mkstemp(path);

	ASSERT_LE(0, fd);
	fastboot_sparse_put_file_hdr(hdr, BLK, 10, 1);
	fastboot_sparse_put_chunk_hdr(ch, FASTBOOT_SPARSE_DONT_CARE, 10, BLK, NULL);
	ASSERT_EQ(28, write(fd, hdr, 28));
	ASSERT_EQ(12, write(fd, ch, 12));
	close(fd);
	EXPECT_EQ(-EINVAL, fb_image_open(&im, path, img_file("img.bmap"),
					 false, NULL));
	EXPECT_NE(NULL, strstr(im.why, "--no-bmap")) {
		TH_LOG("%s", im.why);
	}
	unlink(path);
}

/* Wrong sizes against the map: the plain file is refused at once. */
TEST(plain_size_differs_from_the_map)
{
	struct fb_image im;

	EXPECT_EQ(-EBADMSG, open_as(&im, "img.sha256", "img.bmap"));
	EXPECT_NE(NULL, strstr(im.why, "the bmap says ImageSize")) {
		TH_LOG("%s", im.why);
	}
	EXPECT_NE(NULL, strstr(im.why, "(bmap ")) {
		TH_LOG("%s", im.why);
	}
}

/* Read twice: a file that changes in between is refused at the end. */
TEST(file_changed_between_the_passes)
{
	char path[] = "/tmp/fb_image_testXXXXXX", cmd[600];
	struct timeval tv[2] = { { 1000000, 0 }, { 1000000, 0 } };
	struct fb_image im;
	size_t len = 0;
	char *raw = img_load("img.raw", &len);
	u8 *buf = malloc(len);
	int fd = mkstemp(path);

	ASSERT_NE(NULL, raw);
	ASSERT_LE(0, fd);
	close(fd);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", img_file("img.raw.gz"),
		 path);
	ASSERT_EQ(0, system(cmd));
	ASSERT_EQ(0, fb_image_open(&im, path, NULL, false, NULL)) {
		TH_LOG("%s", im.why);
	}
	ASSERT_EQ(0, fb_image_read(&im, 0, buf, len));
	EXPECT_EQ(0, memcmp(buf, raw, len));
	ASSERT_EQ(0, utimes(path, tv));
	EXPECT_EQ(-ESTALE, fb_image_finish(&im));
	EXPECT_NE(NULL, strstr(im.why, "the file changed while it was read")) {
		TH_LOG("%s", im.why);
	}
	fb_image_close(&im);
	unlink(path);
	free(raw);
	free(buf);
}

TEST_HARNESS_MAIN
