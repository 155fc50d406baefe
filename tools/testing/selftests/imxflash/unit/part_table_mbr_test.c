// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for the MBR side of lib/imxflash/part_table.c:
 *
 *  - disk images partitioned by sfdisk / fdisk -b 4096
 *    (part_table_data.sh) parsed and every partition compared with what
 *    the tool itself reports: number, start, size, type, boot flag, and
 *    the logical partitions of the EBR chain, numbered from 5 as Linux
 *    does;
 *  - hand-made MBRs and EBRs: every malformed field refused with its own
 *    reason, and the EBR layouts of DR-DOS and OS/2 decoded.
 *
 * Environment: PT_DATA overrides the data directory.
 */
#include <stdlib.h>

#include <imxflash/part_table.h>

#include "kselftest_harness.h"
#include "part_table_util.h"

/* ---- MBR images ---- */

FIXTURE(mbr) {
	struct exp_table exp;
	char img[128];
	u8 *sec;
	u32 lbsz;
	u64 nr_lbas;
};

FIXTURE_VARIANT(mbr) {
	const char *base;
};

FIXTURE_VARIANT_ADD(mbr, basic) { .base = "mbr-basic" };
FIXTURE_VARIANT_ADD(mbr, gaps) { .base = "mbr-gaps" };
FIXTURE_VARIANT_ADD(mbr, sector_4k) { .base = "mbr4k-basic" };

FIXTURE_SETUP(mbr)
{
	snprintf(self->img, sizeof(self->img), "%s.img", variant->base);
	ASSERT_EQ(0, parse_expected(variant->base, &self->exp)) {
		TH_LOG("no %s data in %s: run make unit", variant->base,
		       data_dir());
	}
	ASSERT_STREQ("dos", self->exp.label);
	self->lbsz = self->exp.lbsz;
	self->nr_lbas = file_size(self->img) / self->lbsz;
	self->sec = load_range(self->img, 0, 512);
	ASSERT_NE(NULL, self->sec);
}

FIXTURE_TEARDOWN(mbr)
{
	free(self->sec);
}

static void check_mbr_part(struct __test_metadata *_metadata,
			   const struct exp_table *exp,
			   const struct ptab_part *p)
{
	const struct exp_part *e = exp_find(exp, p->number);

	ASSERT_NE(NULL, e) {
		TH_LOG("partition %u not listed by the tool", p->number);
	}
	EXPECT_EQ(e->start, p->first);
	EXPECT_EQ(e->size, p->lbas);
	EXPECT_EQ(strtoul(e->type, NULL, 16), p->mbr_type);
	EXPECT_EQ(e->boot ? 0x80 : 0, p->boot);
}

TEST_F(mbr, matches_tool)
{
	char why[WHY_LEN] = "";
	struct ptab_part p, lp[4], ext = { 0 };
	unsigned int i, found = 0, links = 0, logical = 0;
	u64 ebr, next;
	u8 *sec;
	int ret, k;

	EXPECT_EQ((int)PTAB_LABEL_MBR, (int)ptab_label(self->sec));
	ASSERT_EQ(0, ptab_mbr_check(self->sec, self->nr_lbas, why,
				    sizeof(why))) {
		TH_LOG("%s", why);
	}
	for (i = 0; i < 4; i++) {
		if (!ptab_mbr_entry(self->sec, i, &p)) {
			EXPECT_EQ(NULL, exp_find(&self->exp, i + 1));
			continue;
		}
		EXPECT_EQ(i + 1, p.number);
		check_mbr_part(_metadata, &self->exp, &p);
		found++;
		if (ptab_mbr_is_extended(p.mbr_type))
			ext = p;
	}
	/* the logical partitions, numbered from 5 as Linux does */
	for (ebr = ext.first; ext.lbas && ebr; ebr = next) {
		ASSERT_GT((unsigned int)PTAB_EBR_MAX, links++);
		sec = load_range(self->img, ebr * self->lbsz, 512);
		ASSERT_NE(NULL, sec);
		ret = ptab_ebr_next(sec, ebr, ext.first, ext.lbas, lp, &next,
				    why, sizeof(why));
		free(sec);
		ASSERT_LE(0, ret) {
			TH_LOG("%s", why);
		}
		for (k = 0; k < ret; k++) {
			lp[k].number = 5 + logical++;
			check_mbr_part(_metadata, &self->exp, &lp[k]);
			found++;
		}
	}
	EXPECT_EQ(self->exp.n, found);
}

/* ---- hand-made MBRs and EBRs ---- */

static void mbr_set(u8 *sec, unsigned int i, u8 boot, u8 type, u32 start,
		    u32 size)
{
	u8 *e = sec + 446 + 16 * i;

	e[0] = boot;
	e[4] = type;
	imxf_put_le32(e + 8, start);
	imxf_put_le32(e + 12, size);
}

static void mbr_new(u8 *sec)
{
	memset(sec, 0, 512);
	sec[510] = 0x55;
	sec[511] = 0xaa;
}

TEST(mbr_bad)
{
	char why[WHY_LEN];
	u8 sec[512];

	mbr_new(sec);
	EXPECT_EQ(0, ptab_mbr_check(sec, 1000, why, sizeof(why)));
	mbr_set(sec, 0, 0x80, 0x83, 1, 999);
	EXPECT_EQ(0, ptab_mbr_check(sec, 1000, why, sizeof(why)));
	EXPECT_EQ(-EINVAL, ptab_mbr_check(sec, 999, why, sizeof(why)));
	EXPECT_STREQ("mbr: partition 1 ends past the disk (999 LBAs)", why);

	sec[511] = 0;
	EXPECT_EQ(-EINVAL, ptab_mbr_check(sec, 1000, why, sizeof(why)));
	EXPECT_STREQ("mbr: no 55 AA signature", why);
	EXPECT_EQ((int)PTAB_LABEL_NONE, (int)ptab_label(sec));
	sec[511] = 0xaa;

	mbr_set(sec, 2, 0x01, 0x83, 10, 10);
	EXPECT_EQ(-EINVAL, ptab_mbr_check(sec, 1000, why, sizeof(why)));
	EXPECT_STREQ("mbr: partition 3 boot flag 0x01", why);
	/* even on an unused entry, as Linux */
	mbr_set(sec, 2, 0x01, 0, 0, 0);
	EXPECT_EQ(-EINVAL, ptab_mbr_check(sec, 1000, why, sizeof(why)));

	mbr_new(sec);
	mbr_set(sec, 1, 0, 0x83, 0, 10);
	EXPECT_EQ(-EINVAL, ptab_mbr_check(sec, 1000, why, sizeof(why)));
	EXPECT_STREQ("mbr: partition 2 starts at LBA 0", why);

	/* start + size wraps in 32 bits */
	mbr_set(sec, 1, 0, 0x83, 0xfffffff0u, 0x20);
	EXPECT_EQ(-EINVAL, ptab_mbr_check(sec, 1ull << 32, why, sizeof(why)));
	EXPECT_STREQ("mbr: partition 2 ends past the disk (4294967296 LBAs)",
		     why);
	EXPECT_EQ(0, ptab_mbr_check(sec, 0x100000010ull, why, sizeof(why)));
	EXPECT_EQ(-EINVAL, ptab_mbr_check(sec, 0x10000000full, why,
					  sizeof(why)));

	mbr_new(sec);
	mbr_set(sec, 0, 0, 0x83, 100, 100);
	mbr_set(sec, 3, 0, 0x83, 199, 10);
	EXPECT_EQ(-EINVAL, ptab_mbr_check(sec, 1000, why, sizeof(why)));
	EXPECT_STREQ("mbr: partition 4 overlaps partition 1", why);
	mbr_set(sec, 3, 0, 0x83, 200, 10);
	EXPECT_EQ(0, ptab_mbr_check(sec, 1000, why, sizeof(why)));
	mbr_set(sec, 3, 0, 0x83, 50, 50);
	EXPECT_EQ(0, ptab_mbr_check(sec, 1000, why, sizeof(why)));
	/* size 0 is unused, whatever the type; type 0 with a size is used */
	mbr_set(sec, 2, 0, 0x83, 120, 0);
	EXPECT_EQ(0, ptab_mbr_check(sec, 1000, why, sizeof(why)));
	mbr_set(sec, 2, 0, 0, 120, 1);
	EXPECT_EQ(-EINVAL, ptab_mbr_check(sec, 1000, why, sizeof(why)));
	EXPECT_STREQ("mbr: partition 3 overlaps partition 1", why);

	mbr_new(sec);
	mbr_set(sec, 0, 0, 0x05, 100, 100);
	mbr_set(sec, 1, 0, 0x85, 300, 100);
	EXPECT_EQ(-EINVAL, ptab_mbr_check(sec, 1000, why, sizeof(why)));
	EXPECT_STREQ("mbr: more than one extended partition", why);

	mbr_new(sec);
	mbr_set(sec, 1, 0, 0xee, 1, 999);
	EXPECT_EQ((int)PTAB_LABEL_GPT, (int)ptab_label(sec));
	EXPECT_EQ(-EINVAL, ptab_mbr_check(sec, 1000, why, sizeof(why)));
	EXPECT_STREQ("mbr: protective MBR (0xee), flash it as gpt", why);
}

TEST(ebr_bad)
{
	struct ptab_part p[4];
	char why[WHY_LEN];
	u8 sec[512];
	u64 next;

	/* extended partition at 1000, 1000 LBAs; EBR at 1500 */
	mbr_new(sec);
	mbr_set(sec, 0, 0, 0x83, 10, 100);
	mbr_set(sec, 1, 0, 0x05, 700, 50);
	EXPECT_EQ(1, ptab_ebr_next(sec, 1500, 1000, 1000, p, &next, why,
				   sizeof(why)));
	EXPECT_EQ(1510ull, p[0].first);
	EXPECT_EQ(100ull, p[0].lbas);
	EXPECT_EQ(0x83, p[0].mbr_type);
	EXPECT_EQ(0ull, p[0].number);
	EXPECT_EQ(1700ull, next);
	/* no link: end of the chain; no partition: 0 */
	mbr_set(sec, 1, 0, 0, 0, 0);
	EXPECT_EQ(1, ptab_ebr_next(sec, 1500, 1000, 1000, p, &next, why,
				   sizeof(why)));
	EXPECT_EQ(0ull, next);
	mbr_set(sec, 0, 0, 0, 0, 0);
	mbr_set(sec, 1, 0, 0x0f, 700, 50);
	EXPECT_EQ(0, ptab_ebr_next(sec, 1500, 1000, 1000, p, &next, why,
				   sizeof(why)));
	EXPECT_EQ(1700ull, next);
	/* DR-DOS: the link first; OS/2: data in entries 3 and 4 too */
	mbr_set(sec, 0, 0, 0x05, 600, 50);
	mbr_set(sec, 1, 0, 0x83, 1, 10);
	mbr_set(sec, 2, 0, 0x0c, 20, 10);
	mbr_set(sec, 3, 0, 0x85, 800, 10);	/* a second link: ignored */
	EXPECT_EQ(2, ptab_ebr_next(sec, 1500, 1000, 1000, p, &next, why,
				   sizeof(why)));
	EXPECT_EQ(1600ull, next);
	EXPECT_EQ(1501ull, p[0].first);
	EXPECT_EQ(1520ull, p[1].first);
	EXPECT_EQ(0x0c, p[1].mbr_type);
	/* entries 3 and 4 outside the extended partition are garbage */
	mbr_set(sec, 2, 0, 0x0c, 500, 1);	/* at 2000 */
	EXPECT_EQ(1, ptab_ebr_next(sec, 1500, 1000, 1000, p, &next, why,
				   sizeof(why)));
	mbr_set(sec, 2, 0, 0x0c, 499, 2);	/* ends at 2000 */
	EXPECT_EQ(1, ptab_ebr_next(sec, 1500, 1000, 1000, p, &next, why,
				   sizeof(why)));
	mbr_set(sec, 2, 0, 0x0c, 499, 1);
	EXPECT_EQ(2, ptab_ebr_next(sec, 1500, 1000, 1000, p, &next, why,
				   sizeof(why)));
	/* entries 1 and 2 are taken wherever they point (callers check) */
	mbr_set(sec, 2, 0, 0, 0, 0);
	mbr_set(sec, 1, 0, 0x83, 0xffffffffu, 0xffffffffu);
	EXPECT_EQ(1, ptab_ebr_next(sec, 1500, 1000, 1000, p, &next, why,
				   sizeof(why)));
	EXPECT_EQ(1500 + 0xffffffffull, p[0].first);

	mbr_new(sec);
	mbr_set(sec, 1, 0, 0x05, 1000, 50);
	EXPECT_EQ(-EINVAL, ptab_ebr_next(sec, 1500, 1000, 1000, p, &next,
					 why, sizeof(why)));
	EXPECT_STREQ("mbr: EBR at LBA 1500 links outside", why);
	mbr_set(sec, 1, 0, 0x05, 500, 50);
	EXPECT_EQ(-EINVAL, ptab_ebr_next(sec, 1500, 1000, 1000, p, &next,
					 why, sizeof(why)));
	EXPECT_STREQ("mbr: EBR at LBA 1500 links to itself", why);

	sec[510] = 0;
	EXPECT_EQ(-EINVAL, ptab_ebr_next(sec, 1500, 1000, 1000, p, &next,
					 why, sizeof(why)));
	EXPECT_STREQ("mbr: EBR at LBA 1500 has no signature", why);
}

int main(int argc, char **argv)
{
	return test_harness_run(argc, argv);
}
