// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for lib/imxflash/part_table.c.
 *
 *  - disk images partitioned by util-linux (part_table_data.sh: sfdisk
 *    for 512-byte sectors, fdisk -b 4096 for 4 KiB sectors) are parsed and
 *    every partition compared with what the tool itself reports
 *    (`sfdisk --json`, fdisk's dump): number, start, size, type, GUIDs,
 *    name, attribute bits, boot flag, logical partitions of the EBR chain;
 *  - the primary GPT of each image is checked as a flash image, and the
 *    backup built from it must equal the one the tool wrote byte for byte;
 *  - the same GPT flashed onto a larger disk (what a factory does with
 *    a table made for a smaller eMMC): the result, written to a file by
 *    the test, must pass `sfdisk -V` / `fdisk -l` without a warning and
 *    list the same partitions;
 *  - every malformed field of MBRs, EBRs, protective MBRs, GPT headers
 *    and entries is refused with its own reason;
 *  - CRC32 against a bitwise reference and the standard check value.
 *
 * Environment: PT_DATA overrides the data directory, PT_SFDISK/PT_FDISK
 * the tools.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <imxflash/part_table.h>

#include "kselftest_harness.h"

#ifndef PT_DATA
#define PT_DATA "part_table_data"
#endif

#define WHY_LEN		61	/* a FAIL payload (60) + NUL */
#define MAX_PARTS	16

static const char *data_dir(void)
{
	return getenv("PT_DATA") ?: PT_DATA;
}

static const char *tool(const char *env, const char *name)
{
	static char buf[2][256];
	static int n;
	const char *v = getenv(env);
	const char *dirs[] = { "/usr/sbin", "/sbin", "/usr/bin", "/bin" };
	unsigned int i;

	if (v)
		return v;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		n = (n + 1) % 2;
		snprintf(buf[n], sizeof(buf[n]), "%s/%s", dirs[i], name);
		if (!access(buf[n], X_OK))
			return buf[n];
	}
	return name;
}

/* ---- little-endian helpers for building bad tables ---- */

static void put64(u8 *p, u64 v)
{
	imxf_put_le32(p, (u32)v);
	imxf_put_le32(p + 4, (u32)(v >> 32));
}

static u64 get64(const u8 *p)
{
	return imxf_get_le32(p) | (u64)imxf_get_le32(p + 4) << 32;
}

/* ---- files ---- */

static u8 *load_range(const char *name, u64 off, size_t len)
{
	char path[4096];
	u8 *p = malloc(len);
	int fd;

	snprintf(path, sizeof(path), "%s/%s", data_dir(), name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || !p) {
		free(p);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (pread(fd, p, len, off) != (ssize_t)len) {
		free(p);
		p = NULL;
	}
	close(fd);
	return p;
}

static u64 file_size(const char *name)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", data_dir(), name);
	return stat(path, &st) ? 0 : (u64)st.st_size;
}

static char *load_text(const char *name)
{
	size_t len = file_size(name);
	char *t = len ? (char *)load_range(name, 0, len + 0) : NULL;
	char *s;

	if (!t)
		return NULL;
	s = realloc(t, len + 1);
	if (!s) {
		free(t);
		return NULL;
	}
	s[len] = '\0';
	return s;
}

/* Run @cmd, output (stdout and stderr) into @out; returns the status. */
static int run(const char *cmd, char *out, size_t len)
{
	FILE *f = popen(cmd, "r");
	size_t n = 0, r;

	out[0] = '\0';
	if (!f)
		return -1;
	while (n + 1 < len && (r = fread(out + n, 1, len - 1 - n, f)) > 0)
		n += r;
	out[n] = '\0';
	return pclose(f);
}

/* ---- what the tools say ---- */

struct exp_part {
	u32 number;
	u64 start, size;
	char type[40];
	char uuid[40];
	char name[80];		/* UTF-8 as the tool prints it */
	bool boot;
	u64 attrs;
};

struct exp_table {
	char label[8];
	u32 lbsz;
	u64 first_lba, last_lba;	/* GPT usable LBAs */
	unsigned int n;
	struct exp_part p[MAX_PARTS];
};

/* "RequiredPartition GUID:63" (json) or "RequiredPartition,GUID:63" */
static u64 attr_bits(const char *s)
{
	u64 bits = 0;

	while (*s) {
		if (!strncmp(s, "RequiredPartition", 17))
			bits |= 1ull << 0;
		else if (!strncmp(s, "NoBlockIOProtocol", 17))
			bits |= 1ull << 1;
		else if (!strncmp(s, "LegacyBIOSBootable", 18))
			bits |= 1ull << 2;
		else if (!strncmp(s, "GUID:", 5))
			bits |= 1ull << atoi(s + 5);
		s += strcspn(s, " ,");
		s += strspn(s, " ,");
	}
	return bits;
}

static u32 node_number(const char *node)
{
	size_t n = strlen(node);

	while (n && node[n - 1] >= '0' && node[n - 1] <= '9')
		n--;
	return atoi(node + n);
}

/* Value of a partition field into the current entry. */
static void exp_field(struct exp_part *p, const char *key, const char *val)
{
	if (!strcmp(key, "node"))
		p->number = node_number(val);
	else if (!strcmp(key, "start"))
		p->start = strtoull(val, NULL, 10);
	else if (!strcmp(key, "size"))
		p->size = strtoull(val, NULL, 10);
	else if (!strcmp(key, "type"))
		snprintf(p->type, sizeof(p->type), "%s", val);
	else if (!strcmp(key, "uuid"))
		snprintf(p->uuid, sizeof(p->uuid), "%s", val);
	else if (!strcmp(key, "name"))
		snprintf(p->name, sizeof(p->name), "%s", val);
	else if (!strcmp(key, "bootable"))
		p->boot = !strcmp(val, "true") || !*val;
	else if (!strcmp(key, "attrs"))
		p->attrs = attr_bits(val);
}

static void exp_top(struct exp_table *t, const char *key, const char *val)
{
	if (!strcmp(key, "label"))
		snprintf(t->label, sizeof(t->label), "%s", val);
	else if (!strcmp(key, "firstlba") || !strcmp(key, "first-lba"))
		t->first_lba = strtoull(val, NULL, 10);
	else if (!strcmp(key, "lastlba") || !strcmp(key, "last-lba"))
		t->last_lba = strtoull(val, NULL, 10);
	else if (!strcmp(key, "sectorsize") || !strcmp(key, "sector-size"))
		t->lbsz = strtoul(val, NULL, 10);
}

/* Strip spaces, a trailing ',' and surrounding quotes, in place. */
static char *trim(char *s)
{
	size_t n;

	s += strspn(s, " \t");
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == ',' || s[n - 1] == '\n'))
		s[--n] = '\0';
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s[n - 1] = '\0';
		s++;
	}
	return s;
}

/* `sfdisk --json`: one "key": value per line. */
static int parse_json(const char *name, struct exp_table *t)
{
	char *text = load_text(name), *line, *save, *colon;
	bool parts = false;

	if (!text)
		return -1;
	memset(t, 0, sizeof(*t));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		colon = strstr(line, "\": ");
		if (!colon)
			continue;
		*colon = '\0';
		line = trim(line);
		if (*line == '"')
			line++;
		if (!strcmp(line, "partitions")) {
			parts = true;
			continue;
		}
		if (parts && !strcmp(line, "node")) {
			if (t->n == MAX_PARTS)
				break;
			t->n++;
		}
		if (parts && t->n)
			exp_field(&t->p[t->n - 1], line, trim(colon + 3));
		else
			exp_top(t, line, trim(colon + 3));
	}
	free(text);
	return 0;
}

/* sfdisk-style dump (fdisk 'O'): header "key: value", then partitions. */
static int parse_dump(const char *name, struct exp_table *t)
{
	char *text = load_text(name), *line, *save, *f, *save2, *eq;
	struct exp_part *p;

	if (!text)
		return -1;
	memset(t, 0, sizeof(*t));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		f = strstr(line, " : ");
		if (!f) {
			f = strstr(line, ": ");
			if (f) {
				*f = '\0';
				exp_top(t, trim(line), trim(f + 2));
			}
			continue;
		}
		if (t->n == MAX_PARTS)
			break;
		p = &t->p[t->n++];
		*f = '\0';
		p->number = node_number(trim(line));
		for (f = strtok_r(f + 3, ",", &save2); f;
		     f = strtok_r(NULL, ",", &save2)) {
			eq = strchr(f, '=');
			if (eq) {
				*eq = '\0';
				exp_field(p, trim(f), trim(eq + 1));
			} else {
				exp_field(p, trim(f), "");
			}
		}
	}
	free(text);
	return 0;
}

static int parse_expected(const char *base, struct exp_table *t)
{
	char name[256];

	if (strstr(base, "4k")) {
		snprintf(name, sizeof(name), "%s.dump", base);
		return parse_dump(name, t);
	}
	snprintf(name, sizeof(name), "%s.json", base);
	return parse_json(name, t);
}

static const struct exp_part *exp_find(const struct exp_table *t, u32 nr)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (t->p[i].number == nr)
			return &t->p[i];
	return NULL;
}

/* GUID bytes as stored -> "0FC63DAF-8483-4772-8E79-3D69D8477DE4" */
static void guid_str(const u8 *g, char *s)
{
	sprintf(s, "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X",
		imxf_get_le32(g), g[4] | g[5] << 8, g[6] | g[7] << 8,
		g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

/* UTF-8 name -> what ptab_gpt_entry() renders ('?' per non-ASCII char) */
static void ascii_name(const char *utf8, char *out)
{
	const u8 *s = (const u8 *)utf8;

	for (; *s; s++) {
		if (*s < 0x80)
			*out++ = *s;
		else if ((*s & 0xc0) == 0xc0)
			*out++ = '?';
	}
	*out = '\0';
}

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

/* The image a host flashes: LBA 0 up to the end of the entries. */
static size_t image_len(FIXTURE_DATA(gpt) *self)
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
static int write_disk(const char *path, FIXTURE_DATA(gpt) *self,
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
	int st;

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

	ASSERT_GT(sizeof(base), (size_t)snprintf(base, sizeof(base),
						 "reflash-%s", self->img));
	ASSERT_GT(sizeof(path), (size_t)snprintf(path, sizeof(path), "%s/%s",
					 data_dir(), base));
	ASSERT_EQ(0, write_disk(path, self, nr, mbr, hdr, bak, bent));
	if (self->lbsz == 512) {
		ASSERT_GT(sizeof(cmd), (size_t)snprintf(cmd, sizeof(cmd),
						"%s -V '%s' 2>&1",
						tool("PT_SFDISK", "sfdisk"),
						path));
		st = run(cmd, out, sizeof(out));
		EXPECT_EQ(0, st);
		EXPECT_NE(NULL, strstr(out, "No errors detected"));
		ASSERT_GT(sizeof(cmd), (size_t)snprintf(cmd, sizeof(cmd),
						"%s --json '%s' > '%s.json'",
						tool("PT_SFDISK", "sfdisk"),
						path, path));
	} else {
		ASSERT_GT(sizeof(cmd), (size_t)snprintf(cmd, sizeof(cmd),
						"printf 'O\\n%s.dump\\nq\\n' | %s -b %u '%s' 2>&1",
						path, tool("PT_FDISK", "fdisk"),
						self->lbsz, path));
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

/* Recompute the entries CRC (if @ents) and the header CRC. */
static void refresh(FIXTURE_DATA(gbad) *self, bool ents)
{
	if (ents)
		imxf_put_le32(self->hdr + 88,
			      ptab_crc32(0, self->ents, 128 * 128));
	imxf_put_le32(self->hdr + 16, 0);
	imxf_put_le32(self->hdr + 16,
		      ptab_crc32(0, self->hdr, imxf_get_le32(self->hdr + 12)));
}

static int gcheck(FIXTURE_DATA(gbad) *self)
{
	struct ptab_gpt g;

	return ptab_gpt_image_check(self->img, self->len, 512, self->nr, &g,
				    self->why, sizeof(self->why));
}

#define EXPECT_WHY(want) do {						\
	EXPECT_NE(NULL, strstr(self->why, want)) {			\
		TH_LOG("why '%s', want '%s'", self->why, want);		\
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

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
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

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
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

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
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
