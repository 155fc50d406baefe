// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for the GPT side of lib/imxflash/part_table.c, against disk
 * images partitioned by util-linux (part_table_data.sh):
 *
 *  - every partition of each image's primary GPT compared with what the
 *    tool itself reports (`sfdisk --json`, fdisk's dump for 4 KiB
 *    sectors): number, start, size, type and partition GUIDs, name,
 *    attribute bits; the backup GPT as well;
 *  - the primary GPT checked as a flash image, and the backup built from
 *    it equal to the one the tool wrote, byte for byte;
 *  - the same GPT flashed onto a larger disk (what a factory does with
 *    a table made for a smaller eMMC): the result, written to a file by
 *    the test, must pass `sfdisk -V` / `fdisk -l` without a warning and
 *    list the same partitions;
 *  - entry names, CRC32 against a bitwise reference and the standard
 *    check value, the supported logical block sizes.
 *
 * Malformed GPTs are in part_table_gpt_bad_test.c, MBRs in
 * part_table_mbr_test.c. Environment: PT_DATA overrides the data
 * directory, PT_SFDISK/PT_FDISK the tools.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <imxflash/part_table.h>

#include "kselftest_harness.h"
#include "part_table_util.h"

/* ---- reference CRC ---- */

static u32 crc32_ref(const u8 *p, size_t len)
{
	u32 crc = 0xffffffff;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? crc >> 1 ^ 0xedb88320 : crc >> 1;
	}
	return ~crc;
}

TEST(crc32)
{
	static u8 buf[5000];
	u32 x = 12345, c;
	size_t i;

	EXPECT_EQ(0xcbf43926, ptab_crc32(0, "123456789", 9));
	EXPECT_EQ(0ull, ptab_crc32(0, "", 0));
	for (i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245 + 12345;
		buf[i] = x >> 16;
	}
	for (i = 0; i < sizeof(buf); i += 333) {
		c = ptab_crc32(ptab_crc32(0, buf, i), buf + i, sizeof(buf) - i);
		ASSERT_EQ(crc32_ref(buf, sizeof(buf)), c);
		ASSERT_EQ(crc32_ref(buf, i), ptab_crc32(0, buf, i));
	}
}

TEST(lbsz)
{
	EXPECT_TRUE(ptab_lbsz_ok(512));
	EXPECT_TRUE(ptab_lbsz_ok(1024));
	EXPECT_TRUE(ptab_lbsz_ok(4096));
	EXPECT_FALSE(ptab_lbsz_ok(0));
	EXPECT_FALSE(ptab_lbsz_ok(256));
	EXPECT_FALSE(ptab_lbsz_ok(520));
	EXPECT_FALSE(ptab_lbsz_ok(8192));
}

/* ---- GPT images ---- */

FIXTURE(gpt) {
	struct exp_table exp;
	u64 size, nr_lbas;
	u32 lbsz;
	u8 *head;		/* LBA 0 .. first usable, or 1 MiB */
	size_t head_len;
	u8 *tail;		/* backup array + backup header */
	size_t tail_len;
	struct ptab_gpt g;
	char img[128];
};

FIXTURE_VARIANT(gpt) {
	const char *base;
};

FIXTURE_VARIANT_ADD(gpt, basic) { .base = "gpt-basic" };
FIXTURE_VARIANT_ADD(gpt, gaps) { .base = "gpt-gaps" };
FIXTURE_VARIANT_ADD(gpt, short_table) { .base = "gpt-short-table" };
FIXTURE_VARIANT_ADD(gpt, full) { .base = "gpt-full" };
FIXTURE_VARIANT_ADD(gpt, sector_4k) { .base = "gpt4k-basic" };

FIXTURE_SETUP(gpt)
{
	char why[WHY_LEN] = "";

	snprintf(self->img, sizeof(self->img), "%s.img", variant->base);
	ASSERT_EQ(0, parse_expected(variant->base, &self->exp)) {
		TH_LOG("no %s data in %s: run make unit", variant->base,
		       data_dir());
	}
	ASSERT_STREQ("gpt", self->exp.label);
	self->lbsz = self->exp.lbsz;
	ASSERT_TRUE(ptab_lbsz_ok(self->lbsz));
	self->size = file_size(self->img);
	self->nr_lbas = self->size / self->lbsz;
	self->head_len = 1024 * 1024;
	self->head = load_range(self->img, 0, self->head_len);
	ASSERT_NE(NULL, self->head);
	ASSERT_EQ(0, ptab_gpt_header(self->head + self->lbsz, self->lbsz, 1,
				     self->nr_lbas, &self->g, why,
				     sizeof(why))) {
		TH_LOG("%s", why);
	}
	self->tail_len = ((size_t)self->g.entries_lbas + 1) * self->lbsz;
	self->tail = load_range(self->img, self->size - self->tail_len,
				self->tail_len);
	ASSERT_NE(NULL, self->tail);
}

FIXTURE_TEARDOWN(gpt)
{
	free(self->head);
	free(self->tail);
}

/* Compare the partitions of @ents (header @g) with @exp. */
static void check_entries(struct __test_metadata *_metadata,
			  const struct ptab_gpt *g, const u8 *ents,
			  const struct exp_table *exp)
{
	char why[WHY_LEN] = "", s[40], name[80];
	const struct exp_part *e;
	struct ptab_part p;
	unsigned int used = 0;
	u32 i;

	ASSERT_EQ(0, ptab_gpt_check_entries(g, ents, why, sizeof(why))) {
		TH_LOG("%s", why);
	}
	for (i = 0; i < g->num_entries; i++) {
		const u8 *ent = ents + (size_t)i * g->entry_size;

		e = exp_find(exp, i + 1);
		ASSERT_EQ(!!e, ptab_gpt_entry_used(ent)) {
			TH_LOG("entry %u", i + 1);
		}
		if (!e)
			continue;
		used++;
		ptab_gpt_entry(ent, i, &p);
		EXPECT_EQ(i + 1, p.number);
		EXPECT_EQ(e->start, p.first);
		EXPECT_EQ(e->size, p.lbas);
		guid_str(p.type, s);
		EXPECT_STREQ(e->type, s);
		guid_str(p.uuid, s);
		EXPECT_STREQ(e->uuid, s);
		ascii_name(e->name, name);
		EXPECT_STREQ(name, p.name);
		EXPECT_EQ(e->attrs, p.attrs);
		EXPECT_EQ(0, p.mbr_type);
		/* exact match only: not a prefix, not longer, case matters */
		if (!strcmp(name, e->name) && *name) {
			size_t n = strlen(name);

			EXPECT_TRUE(ptab_gpt_name_eq(ent, name, n));
			EXPECT_FALSE(ptab_gpt_name_eq(ent, name, n - 1));
			EXPECT_FALSE(ptab_gpt_name_eq(ent, "Boot", 4));
			strcat(name, "x");
			EXPECT_FALSE(ptab_gpt_name_eq(ent, name, n + 1));
		}
	}
	EXPECT_EQ(exp->n, used);
}

TEST_F(gpt, primary_matches_tool)
{
	const struct ptab_gpt *g = &self->g;

	EXPECT_EQ((int)PTAB_LABEL_GPT, (int)ptab_label(self->head));
	EXPECT_EQ(1ull, g->my_lba);
	EXPECT_EQ(self->nr_lbas - 1, g->alt_lba);
	EXPECT_EQ(self->exp.first_lba, g->first_usable);
	EXPECT_EQ(self->exp.last_lba, g->last_usable);
	EXPECT_EQ((u32)PTAB_GPT_ENTRY_LEN, g->entry_size);
	EXPECT_EQ(2ull, g->entries_lba);
	check_entries(_metadata, g, self->head + g->entries_lba * self->lbsz,
		      &self->exp);
}

TEST_F(gpt, backup_matches_tool)
{
	u64 last = self->nr_lbas - 1;
	const u8 *bhdr = self->tail + self->tail_len - self->lbsz;
	char why[WHY_LEN] = "";
	struct ptab_gpt b;

	ASSERT_EQ(0, ptab_gpt_header(bhdr, self->lbsz, last, self->nr_lbas,
				     &b, why, sizeof(why))) {
		TH_LOG("%s", why);
	}
	EXPECT_EQ(last, b.my_lba);
	EXPECT_EQ(1ull, b.alt_lba);
	EXPECT_EQ(last - b.entries_lbas, b.entries_lba);
	EXPECT_EQ(self->g.entries_crc, b.entries_crc);
	check_entries(_metadata, &b, self->tail, &self->exp);
	/* the backup header is not valid as a primary and vice versa */
	EXPECT_EQ(-EINVAL, ptab_gpt_header(bhdr, self->lbsz, 1, self->nr_lbas,
					   &b, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "says it is at"));
	EXPECT_EQ(-EINVAL, ptab_gpt_header(self->head + self->lbsz,
					   self->lbsz, last, self->nr_lbas,
					   &b, why, sizeof(why)));
}

/*
 * The fixture's data, for helpers: written as FIXTURE_DATA(gpt) *self,
 * a parameter looks like a product to checkpatch.
 */
#define GPT_DATA FIXTURE_DATA(gpt)

/* The image a host flashes: LBA 0 up to the end of the entries. */
static size_t image_len(GPT_DATA *self)
{
	return (size_t)(self->g.entries_lba + self->g.entries_lbas) *
	       self->lbsz;
}

TEST_F(gpt, image_check_and_build_identity)
{
	char why[WHY_LEN] = "";
	size_t len = image_len(self);
	struct ptab_gpt g;
	u8 *mbr = malloc(self->lbsz), *hdr = malloc(self->lbsz);
	u8 *bak = malloc(self->lbsz);
	u64 bent;

	ASSERT_TRUE(mbr && hdr && bak);
	ASSERT_EQ(0, ptab_gpt_image_check(self->head, len, self->lbsz,
					  self->nr_lbas, &g, why,
					  sizeof(why))) {
		TH_LOG("%s", why);
	}
	ASSERT_EQ(0, memcmp(&g, &self->g, sizeof(g)));
	/* longer images are fine, the rest is ignored */
	ASSERT_EQ(0, ptab_gpt_image_check(self->head, self->head_len,
					  self->lbsz, self->nr_lbas, &g, why,
					  sizeof(why)));
	/* one byte short of the entries */
	EXPECT_EQ(-ENODATA, ptab_gpt_image_check(self->head, len - 1,
						 self->lbsz, self->nr_lbas,
						 &g, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "ends before its entries")) {
		TH_LOG("%s", why);
	}
	EXPECT_EQ(-ENODATA, ptab_gpt_image_check(self->head,
						 2 * self->lbsz - 1,
						 self->lbsz, self->nr_lbas,
						 &g, why, sizeof(why)));

	/* on the disk it was made for, the build changes nothing */
	memcpy(mbr, self->head, self->lbsz);
	memcpy(hdr, self->head + self->lbsz, self->lbsz);
	bent = ptab_gpt_build(&self->g, self->lbsz, self->nr_lbas, mbr, hdr,
			      bak);
	EXPECT_EQ(self->nr_lbas - 1 - self->g.entries_lbas, bent);
	EXPECT_EQ(0, memcmp(mbr, self->head, self->lbsz));
	EXPECT_EQ(0, memcmp(hdr, self->head + self->lbsz, self->lbsz));
	/* and the backup header is the tool's, byte for byte */
	EXPECT_EQ(0, memcmp(bak, self->tail + self->tail_len - self->lbsz,
			    self->lbsz));
	/* as are the backup entries (the unused tail of the LBA too) */
	EXPECT_EQ(0, memcmp(self->tail,
			    self->head + self->g.entries_lba * self->lbsz,
			    self->g.entries_bytes));
	free(mbr);
	free(hdr);
	free(bak);
}

/* Write the built table to a new image of @nr_lbas LBAs. */
static int write_disk(const char *path, GPT_DATA *self,
		      u64 nr_lbas, const u8 *mbr, const u8 *hdr,
		      const u8 *bak, u64 bent)
{
	const u8 *ents = self->head + self->g.entries_lba * self->lbsz;
	size_t elen = (size_t)self->g.entries_lbas * self->lbsz;
	u32 l = self->lbsz;
	int fd, ok;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	ok = !ftruncate(fd, nr_lbas * l) &&
	     pwrite(fd, mbr, l, 0) == l &&
	     pwrite(fd, hdr, l, l) == l &&
	     pwrite(fd, ents, elen, self->g.entries_lba * l) == (ssize_t)elen &&
	     pwrite(fd, ents, elen, bent * l) == (ssize_t)elen &&
	     pwrite(fd, bak, l, (nr_lbas - 1) * l) == l;
	close(fd);
	return ok ? 0 : -1;
}

/*
 * A table made for a smaller disk flashed onto a larger one: the result
 * must satisfy util-linux (backup at the real end, PMBR size, CRCs).
 */
TEST_F(gpt, reflash_larger_disk_passes_util_linux)
{
	u64 nr = self->nr_lbas * 2 + 7;
	char why[WHY_LEN] = "", path[4200], cmd[9000], out[8192];
	char base[128];
	struct exp_table got;
	struct ptab_gpt g;
	u8 *mbr = malloc(self->lbsz), *hdr = malloc(self->lbsz);
	u8 *bak = malloc(self->lbsz);
	unsigned int i;
	u64 bent;
	int st, n;

	ASSERT_TRUE(mbr && hdr && bak);
	ASSERT_EQ(0, ptab_gpt_image_check(self->head, image_len(self),
					  self->lbsz, nr, &g, why,
					  sizeof(why))) {
		TH_LOG("%s", why);
	}
	memcpy(mbr, self->head, self->lbsz);
	memcpy(hdr, self->head + self->lbsz, self->lbsz);
	bent = ptab_gpt_build(&g, self->lbsz, nr, mbr, hdr, bak);
	/* the image's own MBR and header are not modified in place */
	EXPECT_EQ(self->nr_lbas - 1, get64(self->head + self->lbsz + 32));
	EXPECT_EQ(nr - 1, get64(hdr + 32));
	EXPECT_EQ(nr - 1, imxf_get_le32(mbr + 446 + 12));

	n = snprintf(base, sizeof(base), "reflash-%s", self->img);
	ASSERT_GT(sizeof(base), (size_t)n);
	n = snprintf(path, sizeof(path), "%s/%s", data_dir(), base);
	ASSERT_GT(sizeof(path), (size_t)n);
	ASSERT_EQ(0, write_disk(path, self, nr, mbr, hdr, bak, bent));
	if (self->lbsz == 512) {
		n = snprintf(cmd, sizeof(cmd), "%s -V '%s' 2>&1",
			     tool("PT_SFDISK", "sfdisk"), path);
		ASSERT_GT(sizeof(cmd), (size_t)n);
		st = run(cmd, out, sizeof(out));
		EXPECT_EQ(0, st);
		EXPECT_NE(NULL, strstr(out, "No errors detected"));
		n = snprintf(cmd, sizeof(cmd), "%s --json '%s' > '%s.json'",
			     tool("PT_SFDISK", "sfdisk"), path, path);
		ASSERT_GT(sizeof(cmd), (size_t)n);
	} else {
		n = snprintf(cmd, sizeof(cmd),
			     "printf 'O\\n%s.dump\\nq\\n' | %s -b %u '%s' 2>&1",
			     path, tool("PT_FDISK", "fdisk"), self->lbsz, path);
		ASSERT_GT(sizeof(cmd), (size_t)n);
		st = run(cmd, out, sizeof(out));
		EXPECT_EQ(0, st);
	}
	/* util-linux warns about a bad backup or PMBR but carries on */
	EXPECT_EQ(NULL, strstr(out, "corrupt"));
	EXPECT_EQ(NULL, strstr(out, "mismatch"));
	EXPECT_EQ(NULL, strstr(out, "not on the end"));
	if (self->lbsz == 512)
		ASSERT_EQ(0, run(cmd, out, sizeof(out)));
	ASSERT_EQ(0, parse_expected(base, &got)) {
		TH_LOG("%s", out);
	}
	ASSERT_EQ(self->exp.n, got.n);
	EXPECT_EQ(self->exp.first_lba, got.first_lba);
	EXPECT_EQ(self->exp.last_lba, got.last_lba);
	for (i = 0; i < got.n; i++) {
		EXPECT_EQ(self->exp.p[i].number, got.p[i].number);
		EXPECT_EQ(self->exp.p[i].start, got.p[i].start);
		EXPECT_EQ(self->exp.p[i].size, got.p[i].size);
		EXPECT_STREQ(self->exp.p[i].uuid, got.p[i].uuid);
		EXPECT_STREQ(self->exp.p[i].name, got.p[i].name);
	}
	unlink(path);
	free(mbr);
	free(hdr);
	free(bak);
}

TEST_F(gpt, smaller_disk)
{
	char why[WHY_LEN] = "";
	struct ptab_gpt g;
	u64 need = self->g.last_usable + 2 + self->g.entries_lbas;

	/* just big enough for the usable LBAs and the backup */
	EXPECT_EQ(0, ptab_gpt_image_check(self->head, image_len(self),
					  self->lbsz, need, &g, why,
					  sizeof(why))) {
		TH_LOG("%s", why);
	}
	EXPECT_EQ(-EINVAL, ptab_gpt_image_check(self->head, image_len(self),
						self->lbsz, need - 1, &g, why,
						sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "gpt: usable LBAs")) {
		TH_LOG("%s", why);
	}
	/* a disk of another block size does not find the header */
	EXPECT_EQ(-EINVAL, ptab_gpt_image_check(self->head, self->head_len,
						self->lbsz == 512 ? 4096 : 512,
						self->nr_lbas, &g, why,
						sizeof(why)));
}

TEST(gpt_entry_names)
{
	u8 e[128] = { 0 };
	struct ptab_part p;
	unsigned int i;

	EXPECT_FALSE(ptab_gpt_entry_used(e));
	e[15] = 1;
	EXPECT_TRUE(ptab_gpt_entry_used(e));
	/* 36 units, no terminator */
	for (i = 0; i < 36; i++)
		e[56 + 2 * i] = 'a' + i % 26;
	ptab_gpt_entry(e, 6, &p);
	EXPECT_EQ(7ull, p.number);
	EXPECT_EQ(36ull, strlen(p.name));
	EXPECT_TRUE(ptab_gpt_name_eq(e, p.name, 36));
	EXPECT_FALSE(ptab_gpt_name_eq(e, p.name, 35));
	EXPECT_FALSE(ptab_gpt_name_eq(e, "abcdefghijklmnopqrstuvwxyzabcdefghijk",
				      37));
	/* a unit above 0xff never equals its low byte */
	e[57] = 0x01;
	EXPECT_FALSE(ptab_gpt_name_eq(e, p.name, 36));
	ptab_gpt_entry(e, 0, &p);
	EXPECT_EQ('?', p.name[0]);
	/* a NUL in the name asked for never matches */
	memset(e + 56, 0, 72);
	EXPECT_TRUE(ptab_gpt_name_eq(e, "", 0));
	EXPECT_FALSE(ptab_gpt_name_eq(e, "\0", 1));
	/* reversed range decodes as size 0 */
	put64(e + 32, 10);
	put64(e + 40, 9);
	ptab_gpt_entry(e, 0, &p);
	EXPECT_EQ(0ull, p.lbas);
	put64(e + 40, ~0ull);
	put64(e + 32, 0);
	ptab_gpt_entry(e, 0, &p);
	EXPECT_EQ(0ull, p.lbas);	/* 2^64 LBAs do not fit: callers reject */
}

int main(int argc, char **argv)
{
	return test_harness_run(argc, argv);
}
