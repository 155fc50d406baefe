// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_fastboot selftest: sparse images flashed over raw usbfs, inside
 * the test VM, run by fastboot_bad.sh (fixture: fastboot_bad.h).
 * Malformed ones (bad header fields, chunk types, sizes that overflow or
 * do not add up, truncated data, trailing bytes) must get a FAIL naming
 * the problem and write nothing, not even their good chunks; accepted ones
 * must be applied exactly: DONT_CARE untouched, the short last piece of
 * fastboot 29.0.6, CRC32 chunks, and no magic = a raw image.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fastboot_bad.h"

/* Download @s and flash it to the partition; expect a FAIL naming ... */
#define FLASH_BAD(s, ...) do { \
	const struct fbt_sp *_fb_sp = (s); \
	int _t = fbt_download(&self->d, _fb_sp->b, _fb_sp->len, &self->r); \
	ASSERT_EQ(FBT_OKAY, _t) { \
		TH_LOG("download: %d '%s'", _t, self->r.text); \
	} \
	ASSERT_RULES(); \
	_t = fbt_cmd(&self->d, &self->r, "flash:%s", self->part); \
	ASSERT_FAIL_NAMING(_t, __VA_ARGS__); \
	ASSERT_ALIVE_UNCHANGED(); \
} while (0)

/* ---- sparse images: malformed --------------------------------------------- */

TEST_F(fb, sparse_bad_version)
{
	struct fbt_sp s = { 0 };

	fbt_sp_hdr(&s, FBT_SP_MAGIC, 2, 28, 12, 4096, 1, 1);
	fbt_sp_raw(&s, 1, 1);
	FLASH_BAD(&s, "version");
	free(s.b);
}

TEST_F(fb, sparse_bad_header_sizes)
{
	struct fbt_sp s = { 0 };

	fbt_sp_hdr(&s, FBT_SP_MAGIC, 1, 20, 12, 4096, 1, 1);
	fbt_sp_raw(&s, 1, 1);
	FLASH_BAD(&s, "file_hdr_sz", "header");
	s.len = 0;
	fbt_sp_hdr(&s, FBT_SP_MAGIC, 1, 28, 8, 4096, 1, 1);
	fbt_sp_raw(&s, 1, 1);
	FLASH_BAD(&s, "chunk_hdr_sz", "header");
	free(s.b);
}

TEST_F(fb, sparse_bad_blk_sz)
{
	struct fbt_sp s = { 0 };
	uint8_t z[4] = { 0 };

	fbt_sp_hdr(&s, FBT_SP_MAGIC, 1, 28, 12, 0, 1, 1);
	fbt_sp_chunk(&s, FBT_SP_FILL, 1, 16, z, 4);
	FLASH_BAD(&s, "blk_sz");
	s.len = 0;
	fbt_sp_hdr(&s, FBT_SP_MAGIC, 1, 28, 12, 1022, 1, 1);
	fbt_sp_chunk(&s, FBT_SP_FILL, 1, 16, z, 4);
	FLASH_BAD(&s, "blk_sz");
	/* a multiple of 4 but not of the 512-byte storage block */
	s.len = 0;
	fbt_sp_hdr(&s, FBT_SP_MAGIC, 1, 28, 12, 1028, 1, 1);
	fbt_sp_chunk(&s, FBT_SP_FILL, 1, 16, z, 4);
	FLASH_BAD(&s, "blk_sz");
	free(s.b);
}

TEST_F(fb, sparse_overflowing_sizes)
{
	struct fbt_sp s = { 0 };
	uint8_t z[4] = { 1, 2, 3, 4 };

	/* total_blks * blk_sz far beyond the partition */
	fbt_sp_hdr(&s, FBT_SP_MAGIC, 1, 28, 12, 4096, 0xffffffff, 1);
	fbt_sp_chunk(&s, FBT_SP_FILL, 0xffffffff, 16, z, 4);
	FLASH_BAD(&s, "larger", "past", "exceed", "partition");
	/* RAW chunk whose chunk_sz * blk_sz wraps 32 bits to total_sz */
	s.len = 0;
	fbt_sp_start(&s, 2, 1);
	{
		uint8_t d[4096];

		imxf_fill_pattern(d, sizeof(d), 2);
		fbt_sp_chunk(&s, FBT_SP_RAW, 0x100001, 12 + 4096, d, sizeof(d));
	}
	FLASH_BAD(&s, "total_sz", "larger", "partition", "past");
	/* chunk_sz huge FILL inside a header that fits */
	s.len = 0;
	fbt_sp_start(&s, 16, 1);
	fbt_sp_chunk(&s, FBT_SP_FILL, 0x80000000, 16, z, 4);
	FLASH_BAD(&s, "total_blks", "past", "beyond", "partition");
	free(s.b);
}

TEST_F(fb, sparse_unknown_chunk_type)
{
	struct fbt_sp s = { 0 };
	uint8_t z[4] = { 0 };

	/* a good chunk first: it must not be written either */
	fbt_sp_start(&s, 3, 2);
	fbt_sp_raw(&s, 2, 11);
	fbt_sp_chunk(&s, 0xcac5, 1, 16, z, 4);
	FLASH_BAD(&s, "chunk type", "unknown");
	free(s.b);
}

TEST_F(fb, sparse_chunk_past_partition_end)
{
	struct fbt_sp s = { 0 };
	uint32_t blocks = self->part_size / 4096;
	uint8_t z[4] = { 0xaa, 0xbb, 0xcc, 0xdd };

	/* header claims exactly the partition; a chunk goes one block over */
	fbt_sp_start(&s, blocks + 1, 2);
	fbt_sp_raw(&s, 1, 12);
	fbt_sp_chunk(&s, FBT_SP_FILL, blocks, 16, z, 4);
	FLASH_BAD(&s, "past", "larger", "partition", "exceed");
	/* header fits, chunks run past total_blks */
	s.len = 0;
	fbt_sp_start(&s, 2, 2);
	fbt_sp_raw(&s, 1, 13);
	fbt_sp_chunk(&s, FBT_SP_FILL, 4, 16, z, 4);
	FLASH_BAD(&s, "total_blks", "beyond");
	free(s.b);
}

TEST_F(fb, sparse_total_sz_mismatch)
{
	struct fbt_sp s = { 0 };
	uint8_t d[4096 + 4];
	uint8_t z[8] = { 0 };

	imxf_fill_pattern(d, sizeof(d), 14);
	fbt_sp_start(&s, 1, 1);
	fbt_sp_chunk(&s, FBT_SP_RAW, 1, 12 + sizeof(d), d, sizeof(d));
	FLASH_BAD(&s, "total_sz");
	s.len = 0;
	fbt_sp_start(&s, 1, 1);
	fbt_sp_chunk(&s, FBT_SP_FILL, 1, 20, z, 8);
	FLASH_BAD(&s, "total_sz");
	s.len = 0;
	fbt_sp_start(&s, 1, 1);
	fbt_sp_chunk(&s, FBT_SP_DONTCARE, 1, 16, z, 4);
	FLASH_BAD(&s, "total_sz");
	free(s.b);
}

TEST_F(fb, sparse_truncated)
{
	struct fbt_sp s = { 0 };

	/* RAW chunk of 4 blocks with 2 blocks of data */
	fbt_sp_start(&s, 4, 1);
	fbt_sp_raw(&s, 4, 15);
	s.len -= 2 * 4096;
	FLASH_BAD(&s, "truncated", "short", "missing");
	/* file header cut */
	s.len = 0;
	fbt_sp_start(&s, 4, 1);
	s.len = 20;
	FLASH_BAD(&s, "truncated", "header", "short");
	/* chunk header cut */
	s.len = 0;
	fbt_sp_start(&s, 4, 1);
	fbt_sp_raw(&s, 4, 15);
	s.len = 28 + 6;
	FLASH_BAD(&s, "truncated", "header", "short");
	free(s.b);
}

TEST_F(fb, sparse_blocks_do_not_add_up)
{
	struct fbt_sp s = { 0 };

	/* every chunk present, their blocks fall short of total_blks */
	fbt_sp_start(&s, 8, 2);
	fbt_sp_raw(&s, 1, 16);
	fbt_sp_raw(&s, 1, 17);
	FLASH_BAD(&s, "total_blks", "add up");
	free(s.b);
}

TEST_F(fb, sparse_chunks_missing)
{
	struct fbt_sp s = { 0 };

	/* two chunks missing at the end is not the 29.0.6 short piece */
	fbt_sp_start(&s, 8, 4);
	fbt_sp_raw(&s, 1, 20);
	fbt_sp_raw(&s, 1, 21);
	FLASH_BAD(&s, "missing", "truncated", "short");
	free(s.b);
}

TEST_F(fb, sparse_data_after_last_chunk)
{
	struct fbt_sp s = { 0 };
	uint8_t junk[100];

	fbt_sp_start(&s, 1, 1);
	fbt_sp_raw(&s, 1, 18);
	imxf_fill_pattern(junk, sizeof(junk), 19);
	fbt_sp_put(&s, junk, sizeof(junk));
	FLASH_BAD(&s, "after the last chunk", "trailing", "extra");
	free(s.b);
}

/* ---- sparse images: accepted -------------------------------------------- */

/* Flash @s to the partition, expect OKAY. */
#define FLASH_OK(s) do { \
	const struct fbt_sp *_fb_sp = (s); \
	int _t = fbt_download(&self->d, _fb_sp->b, _fb_sp->len, &self->r); \
	ASSERT_EQ(FBT_OKAY, _t) { \
		TH_LOG("download: '%s'", self->r.text); \
	} \
	_t = fbt_cmd(&self->d, &self->r, "flash:%s", self->part); \
	ASSERT_EQ(FBT_OKAY, _t) { \
		TH_LOG("flash: '%s'", self->r.text); \
	} \
	ASSERT_RULES(); \
} while (0)

/* Bytes of the store around and in the partition, for comparisons. */
static uint8_t *store_copy(struct _test_data_fb *self)
{
	uint8_t *b = malloc(self->store_size);

	if (b && fbt_pread(self->store, 0, b, self->store_size)) {
		free(b);
		return NULL;
	}
	return b;
}

TEST_F(fb, sparse_dont_care_untouched)
{
	struct fbt_sp s = { 0 };
	uint8_t *before, *after, *want;
	uint8_t pat[4] = { 0x11, 0x22, 0x33, 0x44 };
	uint64_t o = self->part_off;
	int i;

	before = store_copy(self);
	ASSERT_NE(NULL, before);
	/* RAW 1 | DONT_CARE 2 | FILL 1 | CRC32 | RAW 2 | DONT_CARE rest */
	fbt_sp_start(&s, 8, 6);
	fbt_sp_raw(&s, 1, 21);
	fbt_sp_chunk(&s, FBT_SP_DONTCARE, 2, 12, NULL, 0);
	fbt_sp_chunk(&s, FBT_SP_FILL, 1, 16, pat, 4);
	fbt_sp_chunk(&s, FBT_SP_CRC, 0, 16, "\xde\xad\xbe\xef", 4);
	fbt_sp_raw(&s, 2, 22);
	fbt_sp_chunk(&s, FBT_SP_DONTCARE, 2, 12, NULL, 0);
	FLASH_OK(&s);
	after = store_copy(self);
	ASSERT_NE(NULL, after);
	want = malloc(self->store_size);
	memcpy(want, before, self->store_size);
	imxf_fill_pattern(want + o, 4096, 21);
	for (i = 0; i < 4096; i += 4)
		memcpy(want + o + 3 * 4096 + i, pat, 4);
	imxf_fill_pattern(want + o + 4 * 4096, 2 * 4096, 22);
	for (i = 0; i < (int)self->store_size; i += 4096)
		if (memcmp(after + i, want + i, 4096))
			break;
	ASSERT_EQ((int)self->store_size, i) {
		TH_LOG("block at store offset 0x%x differs (partition at 0x%llx)",
		       i, (unsigned long long)o);
	}
	free(before);
	free(after);
	free(want);
	free(s.b);
}

TEST_F(fb, sparse_29_0_6_short_piece)
{
	struct fbt_sp s = { 0 };
	uint8_t *before, *after;
	uint8_t b[3 * 4096];

	before = store_copy(self);
	ASSERT_NE(NULL, before);
	/*
	 * fastboot 29.0.6, raw image not a block multiple: the header counts
	 * a trailing DONT_CARE chunk that is not sent.
	 */
	fbt_sp_start(&s, 6, 3);
	fbt_sp_raw(&s, 1, 31);
	fbt_sp_raw(&s, 2, 32);
	FLASH_OK(&s);
	after = store_copy(self);
	ASSERT_NE(NULL, after);
	imxf_fill_pattern(b, 4096, 31);
	imxf_fill_pattern(b + 4096, 2 * 4096, 32);
	ASSERT_EQ(0, memcmp(after + self->part_off, b, sizeof(b)));
	/* the 3 blocks the missing chunk covers, and the rest, untouched */
	ASSERT_EQ(0, memcmp(after + self->part_off + 3 * 4096,
			    before + self->part_off + 3 * 4096,
			    self->store_size - self->part_off - 3 * 4096));
	ASSERT_EQ(0, memcmp(after, before, self->part_off));
	free(before);
	free(after);
	free(s.b);
}

TEST_F(fb, sparse_wrong_magic_is_raw)
{
	/* without the magic it is not a sparse image: written as it is */
	struct fbt_sp s = { 0 };
	int t;

	fbt_sp_hdr(&s, FBT_SP_MAGIC ^ 1, 1, 28, 12, 4096, 1, 1);
	fbt_sp_raw(&s, 1, 41);
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, s.b, s.len, &self->r));
	t = fbt_cmd(&self->d, &self->r, "flash:%s", self->part);
	ASSERT_EQ(FBT_OKAY, t) {
		TH_LOG("'%s'", self->r.text);
	}
	ASSERT_TRUE(check_part(self, s.b, s.len));
	free(s.b);
}

TEST_HARNESS_MAIN
