// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for lib/imxflash/sdp_soc.c: the per-SoC table, lookups,
 * region checks (64-bit ends: a range may end exactly at 4 GiB) and the
 * unique ID: where each SoC keeps it, how its registers make the 64-bit
 * value, and its 16-digit text.
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

/*
 * Where the unique ID is, typed in from Linux (drivers/soc/imx/soc-imx.c,
 * soc-imx8m.c: OCOTP_UID_H 0x420, OCOTP_UID_L 0x410, the 7ULP's four
 * 16-bit words at 0x4b0..0x4e0) and the device trees' OCOTP nodes
 * (efuse@21bc000, efuse@30350000, efuse@410a6000). Most significant
 * register first.
 */
static const struct {
	enum sdp_soc_id id;
	u32 addr[4];
	unsigned int nregs, bits;
} uid_rows[] = {
	{ SDP_SOC_MX6Q,   { 0x021bc420, 0x021bc410 }, 2, 32 },
	{ SDP_SOC_MX6DL,  { 0x021bc420, 0x021bc410 }, 2, 32 },
	{ SDP_SOC_MX6SL,  { 0x021bc420, 0x021bc410 }, 2, 32 },
	{ SDP_SOC_MX6SX,  { 0x021bc420, 0x021bc410 }, 2, 32 },
	{ SDP_SOC_MX6UL,  { 0x021bc420, 0x021bc410 }, 2, 32 },
	{ SDP_SOC_MX6ULL, { 0x021bc420, 0x021bc410 }, 2, 32 },
	{ SDP_SOC_MX6SLL, { 0x021bc420, 0x021bc410 }, 2, 32 },
	{ SDP_SOC_MX7D,   { 0x30350420, 0x30350410 }, 2, 32 },
	{ SDP_SOC_MX7ULP, { 0x410a64e0, 0x410a64d0, 0x410a64c0, 0x410a64b0 },
	  4, 16 },
	{ SDP_SOC_MX8MQ,  { 0x30350420, 0x30350410 }, 2, 32 },
	{ SDP_SOC_MX8MM,  { 0x30350420, 0x30350410 }, 2, 32 },
};

TEST(uid_location)
{
	size_t i, j;

	ASSERT_EQ((size_t)SDP_SOC_COUNT, sizeof(uid_rows) / sizeof(uid_rows[0]));
	for (i = 0; i < SDP_SOC_COUNT; i++) {
		const struct sdp_soc *s = &sdp_socs[uid_rows[i].id];

		EXPECT_EQ(uid_rows[i].nregs, s->uid.nregs);
		EXPECT_EQ(uid_rows[i].bits, s->uid.bits);
		for (j = 0; j < uid_rows[i].nregs; j++) {
			EXPECT_EQ(uid_rows[i].addr[j], s->uid.addr[j]);
			/* the ROM reads them with READ_REGISTER: in its map */
			EXPECT_EQ(SDP_REGION_PERIPH,
				  region(s, s->uid.addr[j], 4));
		}
	}
}

TEST(uid_join)
{
	const struct sdp_soc *ull = &sdp_socs[SDP_SOC_MX6ULL];
	const struct sdp_soc *ulp = &sdp_socs[SDP_SOC_MX7ULP];
	struct sdp_soc none = *ull;
	u32 two[2] = { 0x0123abcd, 0x89efcdef };	/* 0x420, 0x410 */
	u32 four[4] = { 0xffff1122, 0x00003344, 0xabcd5566, 0x7788 };
	u64 uid = 0;

	/* soc-imx.c: soc_uid = UID_H << 32 | UID_L */
	ASSERT_EQ(0, sdp_soc_uid_join(ull, two, &uid));
	EXPECT_EQ(0x0123abcd89efcdefull, uid);
	/* 7ULP: UID_4 << 48 | UID_3 << 32 | UID_2 << 16 | UID_1, low halves */
	ASSERT_EQ(0, sdp_soc_uid_join(ulp, four, &uid));
	EXPECT_EQ(0x1122334455667788ull, uid);
	none.uid.nregs = 0;
	uid = 42;
	EXPECT_EQ(-EOPNOTSUPP, sdp_soc_uid_join(&none, two, &uid));
	EXPECT_EQ(-EOPNOTSUPP, sdp_soc_uid_join(NULL, two, &uid));
	EXPECT_EQ(42ull, uid);
}

TEST(uid_reg_round_trip)
{
	const u64 ids[] = { 0, 1, 0x8000000000000001ull, 0xfedcba9876543210ull,
			    ~0ull };
	u32 regs[SDP_UID_REGS_MAX];
	size_t i, k;
	u64 back;

	for (i = 0; i < SDP_SOC_COUNT; i++) {
		const struct sdp_soc *s = &sdp_socs[i];

		for (k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
			unsigned int r;

			for (r = 0; r < s->uid.nregs; r++)
				regs[r] = sdp_soc_uid_reg(s, ids[k], r);
			ASSERT_EQ(0, sdp_soc_uid_join(s, regs, &back));
			EXPECT_EQ(ids[k], back);
			/* nothing past the registers that hold it */
			EXPECT_EQ(0u, sdp_soc_uid_reg(s, ids[k], s->uid.nregs));
		}
	}
	/* what the emulator puts in each register, spelled out */
	EXPECT_EQ(0x01234567u, sdp_soc_uid_reg(&sdp_socs[SDP_SOC_MX6Q],
					      0x0123456789abcdefull, 0));
	EXPECT_EQ(0x89abcdefu, sdp_soc_uid_reg(&sdp_socs[SDP_SOC_MX6Q],
					      0x0123456789abcdefull, 1));
	EXPECT_EQ(0x0123u, sdp_soc_uid_reg(&sdp_socs[SDP_SOC_MX7ULP],
					  0x0123456789abcdefull, 0));
	EXPECT_EQ(0xcdefu, sdp_soc_uid_reg(&sdp_socs[SDP_SOC_MX7ULP],
					  0x0123456789abcdefull, 3));
}

TEST(uid_text)
{
	char buf[SDP_UID_HEX_LEN + 1];
	u64 uid = 0;

	sdp_uid_format(0x0123456789abcdefull, buf);
	EXPECT_STREQ("0123456789ABCDEF", buf);
	sdp_uid_format(0, buf);
	EXPECT_STREQ("0000000000000000", buf);
	sdp_uid_format(~0ull, buf);
	EXPECT_STREQ("FFFFFFFFFFFFFFFF", buf);

	ASSERT_EQ(0, sdp_uid_parse("0123456789abcdef", 16, &uid));
	EXPECT_EQ(0x0123456789abcdefull, uid);
	ASSERT_EQ(0, sdp_uid_parse("FEDCBA9876543210\n", 17, &uid));
	EXPECT_EQ(0xfedcba9876543210ull, uid);
	uid = 7;
	EXPECT_EQ(-EINVAL, sdp_uid_parse("0123456789abcde", 15, &uid));
	EXPECT_EQ(-EINVAL, sdp_uid_parse("0123456789abcdef0", 17, &uid));
	EXPECT_EQ(-EINVAL, sdp_uid_parse("0x23456789abcdef", 16, &uid));
	EXPECT_EQ(-EINVAL, sdp_uid_parse("0123456789abcdeg", 16, &uid));
	EXPECT_EQ(-EINVAL, sdp_uid_parse(" 123456789abcdef", 16, &uid));
	EXPECT_EQ(-EINVAL, sdp_uid_parse("0123456789abcdef\n\n", 18, &uid));
	EXPECT_EQ(-EINVAL, sdp_uid_parse("", 0, &uid));
	EXPECT_EQ(7ull, uid);
}

TEST_HARNESS_MAIN
