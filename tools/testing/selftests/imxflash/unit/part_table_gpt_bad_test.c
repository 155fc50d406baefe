// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for lib/imxflash/part_table.c: malformed GPTs. Every field
 * of the protective MBR, the GPT header and the entries of gpt-basic.img
 * (part_table_data.sh) is broken in turn, and each must be refused with
 * its own reason (at most the 60 characters of a fastboot FAIL); the
 * protective MBR that ptab_gpt_build() writes for a disk of 2^33 LBAs;
 * unsupported logical block sizes.
 *
 * Environment: PT_DATA overrides the data directory.
 */
#include <stdlib.h>

#include <imxflash/part_table.h>

#include "kselftest_harness.h"
#include "part_table_util.h"

/* ---- hand-made variations of gpt-basic ---- */

FIXTURE(gbad) {
	u8 *img;		/* the first 1 MiB of gpt-basic.img */
	u8 *hdr, *ents;
	size_t len;
	u64 nr;
	char why[WHY_LEN];
};

FIXTURE_SETUP(gbad)
{
	self->len = 1024 * 1024;
	self->img = load_range("gpt-basic.img", 0, self->len);
	ASSERT_NE(NULL, self->img);
	self->nr = file_size("gpt-basic.img") / 512;
	self->hdr = self->img + 512;
	self->ents = self->img + 1024;
	self->why[0] = '\0';
}

FIXTURE_TEARDOWN(gbad)
{
	free(self->img);
}

/*
 * The fixture's data, for helpers: written as FIXTURE_DATA(gbad) *self,
 * a parameter looks like a product to checkpatch.
 */
#define GBAD_DATA FIXTURE_DATA(gbad)

/* Recompute the entries CRC (if @ents) and the header CRC. */
static void refresh(GBAD_DATA *self, bool ents)
{
	if (ents)
		imxf_put_le32(self->hdr + 88,
			      ptab_crc32(0, self->ents, 128 * 128));
	imxf_put_le32(self->hdr + 16, 0);
	imxf_put_le32(self->hdr + 16,
		      ptab_crc32(0, self->hdr, imxf_get_le32(self->hdr + 12)));
}

static int gcheck(GBAD_DATA *self)
{
	struct ptab_gpt g;

	return ptab_gpt_image_check(self->img, self->len, 512, self->nr, &g,
				    self->why, sizeof(self->why));
}

#define EXPECT_WHY(want) do {						\
	const char *_want = (want);					\
									\
	EXPECT_NE(NULL, strstr(self->why, _want)) {			\
		TH_LOG("why '%s', want '%s'", self->why, _want);	\
	}								\
	EXPECT_GE(60ull, strlen(self->why));				\
} while (0)

TEST_F(gbad, good)
{
	EXPECT_EQ(0, gcheck(self));
	refresh(self, true);
	EXPECT_EQ(0, gcheck(self));
}

TEST_F(gbad, signature)
{
	self->hdr[0] = 'e';
	refresh(self, false);
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: no header signature at LBA 1");
}

TEST_F(gbad, header_crc)
{
	self->hdr[40] ^= 1;
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: header CRC bad");
	self->hdr[40] ^= 1;
	self->hdr[16] ^= 0x80;
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: header CRC bad");
}

TEST_F(gbad, header_size)
{
	static const u32 bad[] = { 0, 91, 513, 0xffffffff };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		imxf_put_le32(self->hdr + 12, bad[i]);
		EXPECT_EQ(-EINVAL, gcheck(self));
		EXPECT_WHY("gpt: header size");
	}
	/* a larger header (zeros after byte 92) is fine with its CRC */
	imxf_put_le32(self->hdr + 12, 512);
	refresh(self, false);
	EXPECT_EQ(0, gcheck(self));
}

TEST_F(gbad, my_lba)
{
	put64(self->hdr + 24, 2);
	refresh(self, false);
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: header at LBA 1 says it is at 2");
}

TEST_F(gbad, entry_size)
{
	static const u32 bad[] = { 0, 64, 127, 129, 192, 8192, 0x80000000 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		imxf_put_le32(self->hdr + 84, bad[i]);
		refresh(self, false);
		EXPECT_EQ(-EINVAL, gcheck(self));
		EXPECT_WHY("gpt: entry size");
	}
	/*
	 * 256-byte entries: 64 of them in the same 32 LBAs and the same
	 * CRC; entries 1 and 3 of 128 bytes become entries 1 and 2.
	 */
	imxf_put_le32(self->hdr + 84, 256);
	imxf_put_le32(self->hdr + 80, 64);
	refresh(self, false);
	EXPECT_EQ(0, gcheck(self));
	EXPECT_TRUE(ptab_gpt_name_eq(self->ents + 256, "data", 4));
	EXPECT_FALSE(ptab_gpt_entry_used(self->ents + 512));
}

TEST_F(gbad, num_entries)
{
	static const u32 bad[] = { 0, 8193, 0x02000000, 0xffffffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		imxf_put_le32(self->hdr + 80, bad[i]);
		refresh(self, false);
		EXPECT_EQ(-EINVAL, gcheck(self));
		EXPECT_WHY("entries bad");
	}
	/* 8192 entries: a 1 MiB array, past the 2048 first usable LBA */
	imxf_put_le32(self->hdr + 80, 8192);
	refresh(self, false);
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: usable LBAs");
}

TEST_F(gbad, usable_range)
{
	u64 first = get64(self->hdr + 40), last = get64(self->hdr + 48);

	put64(self->hdr + 40, last + 1);
	refresh(self, false);
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: usable LBAs");
	put64(self->hdr + 40, 33);		/* over the primary array */
	refresh(self, false);
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: usable LBAs");
	put64(self->hdr + 40, first);
	put64(self->hdr + 48, self->nr - 33);	/* over the backup array */
	refresh(self, false);
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: usable LBAs 2048-131039 bad for 131072 LBAs");
	put64(self->hdr + 48, ~0ull);
	refresh(self, false);
	EXPECT_EQ(-EINVAL, gcheck(self));
	put64(self->hdr + 48, self->nr - 34);	/* the largest possible */
	refresh(self, false);
	EXPECT_EQ(0, gcheck(self));
}

TEST_F(gbad, entries_lba)
{
	static const u64 bad[] = { 0, 1, 2017, 0xffffffffffffffffull };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		put64(self->hdr + 72, bad[i]);
		refresh(self, false);
		EXPECT_EQ(-EINVAL, gcheck(self));
		EXPECT_WHY("gpt: entries at LBA");
	}
	/* moved to LBA 100 (as for an i.MX boot image at 0x400): fine */
	memmove(self->img + 100 * 512, self->ents, 128 * 128);
	memset(self->ents, 0, 98 * 512);
	put64(self->hdr + 72, 100);
	refresh(self, false);
	EXPECT_EQ(0, gcheck(self)) {
		TH_LOG("%s", self->why);
	}
}

TEST_F(gbad, entries_crc)
{
	self->ents[56] ^= 0x20;		/* a name */
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: entries CRC bad");
	/* an unused entry counts too */
	self->ents[56] ^= 0x20;
	self->ents[127 * 128 + 5] = 1;
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: entries CRC bad");
}

TEST_F(gbad, partition_bounds)
{
	u8 *e3 = self->ents + 2 * 128;
	u64 last = get64(self->hdr + 48);

	put64(e3 + 40, last + 1);
	refresh(self, true);
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: partition 3 outside usable LBAs 2048-131038");
	put64(e3 + 40, last);
	refresh(self, true);
	EXPECT_EQ(0, gcheck(self));
	put64(self->ents + 32, 2047);
	refresh(self, true);
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: partition 1 outside usable LBAs");
	put64(self->ents + 32, 2048);
	put64(e3 + 32, get64(e3 + 40) + 1);
	refresh(self, true);
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: partition 3 ends before it starts");
}

TEST_F(gbad, overlap)
{
	u8 *e2 = self->ents + 128;

	/* partition 2 starts on the last LBA of partition 1 */
	put64(e2 + 32, get64(self->ents + 40));
	refresh(self, true);
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: partition 2 overlaps partition 1");
	/* a copy of partition 1 in entry 100 */
	put64(e2 + 32, get64(self->ents + 40) + 1);
	memcpy(self->ents + 99 * 128, self->ents, 128);
	refresh(self, true);
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: partition 100 overlaps partition 1");
	/* unused entries never overlap */
	memset(self->ents + 99 * 128, 0, 16);
	refresh(self, true);
	EXPECT_EQ(0, gcheck(self));
}

TEST_F(gbad, protective_mbr)
{
	u8 *e = self->img + 446;

	self->img[510] = 0;
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: protective MBR has no 55 AA signature");
	self->img[510] = 0x55;
	e[4] = 0x83;
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: no protective MBR entry (0xee at LBA 1)");
	e[4] = 0xee;
	imxf_put_le32(e + 8, 2);
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: no protective MBR entry");
	imxf_put_le32(e + 8, 1);
	/* hybrid: a second entry inside the disk is fine, outside not */
	e[16 + 4] = 0x0c;
	imxf_put_le32(e + 16 + 8, 2048);
	imxf_put_le32(e + 16 + 12, 16384);
	EXPECT_EQ(0, gcheck(self));
	imxf_put_le32(e + 16 + 12, (u32)self->nr);
	EXPECT_EQ(-EINVAL, gcheck(self));
	EXPECT_WHY("gpt: MBR partition 2 ends past the disk");
}

TEST_F(gbad, build_pmbr)
{
	struct ptab_gpt g;
	u8 mbr[512], hdr[512], bak[512];
	u8 *e = self->img + 446;

	ASSERT_EQ(0, gcheck(self));
	ASSERT_EQ(0, ptab_gpt_image_check(self->img, self->len, 512, self->nr,
					  &g, self->why, sizeof(self->why)));
	/* a disk of 2^33 LBAs: the PMBR size saturates */
	memcpy(mbr, self->img, 512);
	memcpy(hdr, self->hdr, 512);
	ptab_gpt_build(&g, 512, 1ull << 33, mbr, hdr, bak);
	EXPECT_EQ(0xffffffff, imxf_get_le32(mbr + 446 + 12));
	EXPECT_EQ((1ull << 33) - 1, get64(hdr + 32));
	EXPECT_EQ((1ull << 33) - 1, get64(bak + 24));
	EXPECT_EQ(1ull, get64(bak + 32));
	EXPECT_EQ((1ull << 33) - 33, get64(bak + 72));
	EXPECT_EQ(0, memcmp(mbr, self->img, 446 + 12));
	EXPECT_EQ(0, memcmp(mbr + 446 + 16, self->img + 446 + 16, 512 - 462));
	/* a hybrid MBR is left alone */
	e[16 + 4] = 0x0c;
	imxf_put_le32(e + 16 + 8, 2048);
	imxf_put_le32(e + 16 + 12, 16384);
	memcpy(mbr, self->img, 512);
	ptab_gpt_build(&g, 512, 1ull << 20, mbr, hdr, bak);
	EXPECT_EQ(0, memcmp(mbr, self->img, 512));
}

TEST(gpt_lbsz)
{
	struct ptab_gpt g;
	char why[WHY_LEN];
	u8 sec[4096] = { 0 };

	EXPECT_EQ(-EINVAL, ptab_gpt_header(sec, 520, 1, 1000, &g, why,
					   sizeof(why)));
	EXPECT_STREQ("gpt: logical block size 520 unsupported", why);
	EXPECT_EQ(-EINVAL, ptab_gpt_image_check(sec, sizeof(sec), 2048 * 4,
						1000, &g, why, sizeof(why)));
	/* the text is cut to the buffer, always terminated */
	EXPECT_EQ(-EINVAL, ptab_gpt_header(sec, 512, 1, 1000, &g, why, 8));
	EXPECT_STREQ("gpt: no", why);
	EXPECT_EQ(-EINVAL, ptab_gpt_header(sec, 512, 1, 1000, &g, NULL, 0));
}

int main(int argc, char **argv)
{
	return test_harness_run(argc, argv);
}
