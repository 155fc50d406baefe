// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for lib/imxflash/sdp_soc.c: the per-SoC table, lookups and
 * region checks (64-bit ends: a range may end exactly at 4 GiB).
 */
#include <imxflash/sdp_soc.h>
#include <imxflash/imx_image.h>

#include "kselftest_harness.h"

struct row {
	enum sdp_soc_id id;
	const char *name, *desc, *product;
	u16 vid, pid;
	u8 flags, ivt;
	u32 dcd;
	u32 ocram, ocram_size, ddr, ddr_size, periph, periph_size;
};

#define SKIPDCD SDP_SOC_SKIP_DCD

/* The table as specified, typed in independently of lib/imxflash. */
static const struct row rows[] = {
	{ SDP_SOC_MX6Q, "imx6q", "i.MX6Quad/Dual", "SE Blank ARIK",
	  0x15a2, 0x0054, 0, 0x40, 0x00910000,
	  0x00900000, 0x40000, 0x10000000, 0xf0000000, 0x02000000, 0x00200000 },
	{ SDP_SOC_MX6DL, "imx6dl", "i.MX6DualLite/Solo", "SP Blank RIGEL",
	  0x15a2, 0x0061, 0, 0x40, 0x00910000,
	  0x00900000, 0x20000, 0x10000000, 0xf0000000, 0x02000000, 0x00200000 },
	{ SDP_SOC_MX6SL, "imx6sl", "i.MX6SoloLite", "SE Blank MEGREZ",
	  0x15a2, 0x0063, 0, 0x40, 0x00910000,
	  0x00900000, 0x20000, 0x80000000, 0x80000000, 0x02000000, 0x00200000 },
	{ SDP_SOC_MX6SX, "imx6sx", "i.MX6SoloX", "SE Blank 6SX",
	  0x15a2, 0x0071, 0, 0x40, 0x00910000,
	  0x00900000, 0x20000, 0x80000000, 0x80000000, 0x02000000, 0x00200000 },
	{ SDP_SOC_MX6UL, "imx6ul", "i.MX6UltraLite", "SE Blank 6UL",
	  0x15a2, 0x007d, SKIPDCD, 0x40, 0x00910000,
	  0x00900000, 0x20000, 0x80000000, 0x80000000, 0x02000000, 0x00200000 },
	{ SDP_SOC_MX6ULL, "imx6ull", "i.MX6ULL", "SE Blank 6ULL",
	  0x15a2, 0x0080, SKIPDCD, 0x40, 0x00910000,
	  0x00900000, 0x20000, 0x80000000, 0x80000000, 0x02000000, 0x00200000 },
	{ SDP_SOC_MX6SLL, "imx6sll", "i.MX6SLL", "SE Blank 6SLL",
	  0x1fc9, 0x0128, SKIPDCD, 0x40, 0x00910000,
	  0x00900000, 0x20000, 0x80000000, 0x80000000, 0x02000000, 0x00200000 },
	{ SDP_SOC_MX7D, "imx7d", "i.MX7Dual/Solo", "SE Blank ULT1",
	  0x15a2, 0x0076, SKIPDCD, 0x40, 0x00911000,
	  0x00900000, 0x20000, 0x80000000, 0x80000000, 0x30000000, 0x01000000 },
	{ SDP_SOC_MX7ULP, "imx7ulp", "i.MX7ULP", "SE Blank 7ULP",
	  0x1fc9, 0x0126, SKIPDCD, 0x40, 0x2f018000,
	  0x2f000000, 0x40000, 0x60000000, 0x40000000, 0x40000000, 0x20000000 },
	{ SDP_SOC_MX8MQ, "imx8mq", "i.MX8MQuad", "SE Blank 8MQ",
	  0x1fc9, 0x012b, SKIPDCD, 0x41, 0x00910000,
	  0x00900000, 0x40000, 0x40000000, 0xc0000000, 0x30000000, 0x10000000 },
	{ SDP_SOC_MX8MM, "imx8mm", "i.MX8MMini", "SE Blank 8MM",
	  0x1fc9, 0x0134, SKIPDCD, 0x41, 0x00910000,
	  0x00900000, 0x40000, 0x40000000, 0xc0000000, 0x30000000, 0x10000000 },
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* enum sdp_region is unsigned to gcc: compare as int with the constants */
static int region(const struct sdp_soc *soc, u32 addr, u64 len)
{
	return (int)sdp_soc_region(soc, addr, len);
}

TEST(table_matches_spec)
{
	size_t i;

	ASSERT_EQ((size_t)SDP_SOC_COUNT, NROWS);
	for (i = 0; i < NROWS; i++) {
		const struct row *r = &rows[i];
		const struct sdp_soc *s = &sdp_socs[r->id];

		ASSERT_EQ((unsigned int)i, (unsigned int)r->id);
		EXPECT_STREQ(r->name, s->name);
		EXPECT_STREQ(r->desc, s->desc);
		EXPECT_STREQ(r->product, s->rom_product);
		EXPECT_EQ(r->vid, s->vid);
		EXPECT_EQ(r->pid, s->pid);
		EXPECT_EQ(r->flags, s->flags);
		EXPECT_EQ(r->ivt, s->ivt_version);
		EXPECT_EQ(r->dcd, s->dcd_addr);
		EXPECT_EQ(r->ocram, s->ocram.base);
		EXPECT_EQ(r->ocram_size, s->ocram.size);
		EXPECT_EQ(r->ddr, s->ddr.base);
		EXPECT_EQ(r->ddr_size, s->ddr.size);
		EXPECT_EQ(r->periph, s->periph.base);
		EXPECT_EQ(r->periph_size, s->periph.size);
		/* the DCD scratch area lies in OCRAM on every SoC */
		EXPECT_EQ(SDP_REGION_OCRAM,
			  region(s, s->dcd_addr, IMX_DCD_MAX_LEN));
	}
}

TEST(by_name)
{
	size_t i;

	for (i = 0; i < NROWS; i++)
		EXPECT_EQ(&sdp_socs[rows[i].id], sdp_soc_by_name(rows[i].name));
	EXPECT_EQ(&sdp_socs[SDP_SOC_MX6ULL], sdp_soc_by_name("IMX6ULL"));
	EXPECT_EQ(&sdp_socs[SDP_SOC_MX8MM], sdp_soc_by_name("iMx8Mm"));
	EXPECT_EQ(NULL, sdp_soc_by_name("imx6d"));
	EXPECT_EQ(NULL, sdp_soc_by_name("imx6"));
	EXPECT_EQ(NULL, sdp_soc_by_name("imx6qq"));
	EXPECT_EQ(NULL, sdp_soc_by_name("imx8mn"));
	EXPECT_EQ(NULL, sdp_soc_by_name(""));
	EXPECT_EQ(NULL, sdp_soc_by_name(NULL));
}

TEST(by_usb_id)
{
	size_t i;

	for (i = 0; i < NROWS; i++)
		EXPECT_EQ(&sdp_socs[rows[i].id],
			  sdp_soc_by_usb_id(rows[i].vid, rows[i].pid));
	/* same PID, other VID */
	EXPECT_EQ(NULL, sdp_soc_by_usb_id(0x1fc9, 0x0054));
	EXPECT_EQ(NULL, sdp_soc_by_usb_id(0x15a2, 0x0128));
	/* SDPS ROMs and the U-Boot gadget are not SDP ROMs */
	EXPECT_EQ(NULL, sdp_soc_by_usb_id(0x1fc9, 0x013e));
	EXPECT_EQ(NULL, sdp_soc_by_usb_id(0x0525, 0xb4a4));
}

TEST(skip_dcd_rule)
{
	const u8 skip = SDP_SOC_SKIP_DCD;

	EXPECT_EQ(0, sdp_socs[SDP_SOC_MX6Q].flags & skip);
	EXPECT_EQ(0, sdp_socs[SDP_SOC_MX6DL].flags & skip);
	EXPECT_EQ(0, sdp_socs[SDP_SOC_MX6SL].flags & skip);
	EXPECT_EQ(0, sdp_socs[SDP_SOC_MX6SX].flags & skip);
	EXPECT_EQ(skip, sdp_socs[SDP_SOC_MX6UL].flags & skip);
	EXPECT_EQ(skip, sdp_socs[SDP_SOC_MX6ULL].flags & skip);
	EXPECT_EQ(skip, sdp_socs[SDP_SOC_MX6SLL].flags & skip);
	EXPECT_EQ(skip, sdp_socs[SDP_SOC_MX7D].flags & skip);
	EXPECT_EQ(skip, sdp_socs[SDP_SOC_MX7ULP].flags & skip);
	EXPECT_EQ(skip, sdp_socs[SDP_SOC_MX8MQ].flags & skip);
	EXPECT_EQ(skip, sdp_socs[SDP_SOC_MX8MM].flags & skip);
}

TEST(region_mx6q)
{
	const struct sdp_soc *s = &sdp_socs[SDP_SOC_MX6Q];

	EXPECT_EQ(SDP_REGION_OCRAM, region(s, 0x00900000, 0x40000));
	EXPECT_EQ(SDP_REGION_OCRAM, region(s, 0x0093ffff, 1));
	/* len 0 counts as 1 */
	EXPECT_EQ(SDP_REGION_OCRAM, region(s, 0x0093ffff, 0));
	EXPECT_EQ(SDP_REGION_NONE, region(s, 0x0093ffff, 2));
	EXPECT_EQ(SDP_REGION_NONE, region(s, 0x00940000, 0));
	EXPECT_EQ(SDP_REGION_NONE, region(s, 0x008fffff, 2));
	EXPECT_EQ(SDP_REGION_PERIPH, region(s, 0x020c4068, 4));
	EXPECT_EQ(SDP_REGION_PERIPH, region(s, 0x02000000, 0x200000));
	EXPECT_EQ(SDP_REGION_NONE, region(s, 0x02000000, 0x200001));
	EXPECT_EQ(SDP_REGION_DDR, region(s, 0x10000000, 4));
	EXPECT_EQ(SDP_REGION_DDR, region(s, 0x277ff400, 0x59c00));
	/* DDR runs to the very end of the 32-bit space */
	EXPECT_EQ(SDP_REGION_DDR, region(s, 0xfffffffc, 4));
	EXPECT_EQ(SDP_REGION_DDR, region(s, 0x10000000, 0xf0000000));
	EXPECT_EQ(SDP_REGION_NONE, region(s, 0xfffffffc, 5));
	EXPECT_EQ(SDP_REGION_NONE, region(s, 0xffffffff, 2));
	EXPECT_EQ(SDP_REGION_NONE, region(s, 0x10000000, 0xf0000001));
	EXPECT_EQ(SDP_REGION_NONE, region(s, 0, 0x200000000ull));
	EXPECT_EQ(SDP_REGION_NONE, region(s, 0x00000000, 4));
	EXPECT_EQ(SDP_REGION_NONE, region(s, 0x0fffffff, 2));
	EXPECT_EQ(SDP_REGION_NONE, region(NULL, 0x10000000, 4));
}

TEST(region_other_maps)
{
	const struct sdp_soc *ulp = &sdp_socs[SDP_SOC_MX7ULP];
	const struct sdp_soc *mq = &sdp_socs[SDP_SOC_MX8MQ];
	const struct sdp_soc *ull = &sdp_socs[SDP_SOC_MX6ULL];
	const struct sdp_soc *d7 = &sdp_socs[SDP_SOC_MX7D];

	EXPECT_EQ(SDP_REGION_OCRAM, region(ulp, 0x2f018000, 1768));
	EXPECT_EQ(SDP_REGION_DDR, region(ulp, 0x60000000, 4));
	EXPECT_EQ(SDP_REGION_NONE, region(ulp, 0x9ffffffe, 4));
	EXPECT_EQ(SDP_REGION_PERIPH, region(ulp, 0x5ffffffc, 4));
	/* 8MQ: periph ends where DDR starts; straddling is NONE */
	EXPECT_EQ(SDP_REGION_PERIPH, region(mq, 0x3fffffff, 1));
	EXPECT_EQ(SDP_REGION_DDR, region(mq, 0x40000000, 1));
	EXPECT_EQ(SDP_REGION_NONE, region(mq, 0x3fffffff, 2));
	EXPECT_EQ(SDP_REGION_DDR, region(mq, 0xffffff00, 0x100));
	EXPECT_EQ(SDP_REGION_DDR, region(ull, 0x877ff400, 0x1c00));
	EXPECT_EQ(SDP_REGION_NONE, region(ull, 0x7ffffffc, 8));
	EXPECT_EQ(SDP_REGION_OCRAM, region(ull, 0x0091ffff, 1));
	EXPECT_EQ(SDP_REGION_NONE, region(ull, 0x00920000, 1));
	EXPECT_EQ(SDP_REGION_PERIPH, region(d7, 0x30380000, 4));
	EXPECT_EQ(SDP_REGION_NONE, region(d7, 0x020c4068, 4));
}

TEST(region_names)
{
	EXPECT_STREQ("none", sdp_region_name(SDP_REGION_NONE));
	EXPECT_STREQ("ocram", sdp_region_name(SDP_REGION_OCRAM));
	EXPECT_STREQ("ddr", sdp_region_name(SDP_REGION_DDR));
	EXPECT_STREQ("periph", sdp_region_name(SDP_REGION_PERIPH));
	EXPECT_STREQ("none", sdp_region_name((enum sdp_region)42));
}

TEST_HARNESS_MAIN
