// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_fastboot: the partitions of "storage", read from the medium.
 *
 * Tables are read each time they are needed (never cached, so a freshly
 * flashed table counts at once), one LBA or FASTBOOT_TBL_BUF bytes at a time
 * into one small buffer. MBR: the four primaries in entry order, each
 * extended partition followed by its EBR chain (at most PTAB_EBR_MAX
 * links), logical partitions numbered from 5, as Linux does. GPT: the
 * header and the CRC of the entries array are checked before any entry
 * is trusted; if the primary GPT is bad the backup is used, again as
 * Linux does. The decoding is lib/imxflash/part_table.c.
 */
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <imxflash/fastboot_cmd.h>
#include <imxflash/part_table.h>

#include "f_fastboot_table.h"

__printf(4, 5)
static int fastboot_tbl_fail(char *why, size_t why_len, int err,
			     const char *fmt, ...)
{
	va_list ap;

	if (why && why_len) {
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return err;
}

#define FASTBOOT_TBL_BUF	PTAB_LBSZ_MAX	/* one LBA or a piece of GPT entries */

struct fastboot_tbl;
/* 0: go on, 1: stop (found), < 0: error */
typedef int (*fastboot_tbl_fn)(struct fastboot_tbl *tb,
			       const struct ptab_part *p,
			       const u8 *ent, void *ctx);

/**
 * struct fastboot_tbl - reading the table of storage
 * @filp:    storage
 * @nr_lbas: its size in LBAs
 * @lbsz:    LBA size
 * @label:   enum ptab_label of LBA 0
 * @g:       GPT: the header in use
 * @prim:    MBR: the primary entries
 * @lp:      MBR: logical partitions of one EBR
 * @why:     FAIL text
 * @why_len: its size
 * @buf:     one LBA or FASTBOOT_TBL_BUF bytes of entries
 */
struct fastboot_tbl {
	struct file *filp;
	u64 nr_lbas;
	u32 lbsz;
	u8 label;
	struct ptab_gpt g;
	struct ptab_part prim[PTAB_MBR_PARTS];
	struct ptab_part lp[PTAB_MBR_PARTS];
	char *why;
	size_t why_len;
	u8 buf[FASTBOOT_TBL_BUF];
};

static int fastboot_tbl_read(struct fastboot_tbl *tb, u64 off, size_t len)
{
	size_t done = 0;
	loff_t pos = off;
	ssize_t n;

	while (done < len) {
		n = kernel_read(tb->filp, tb->buf + done, len - done, &pos);
		if (n <= 0)
			return fastboot_tbl_fail(tb->why, tb->why_len,
						 n ? n : -EIO,
						 "storage: read error at 0x%llx (%zd)",
						 off + done, n);
		done += n;
	}
	return 0;
}

/* Header at @lba and the CRC of its entries (read in pieces). */
static int fastboot_gpt_load(struct fastboot_tbl *tb, u64 lba, char *why,
			     size_t why_len)
{
	struct ptab_gpt *g = &tb->g;
	u32 off, n, crc = 0;
	int ret;

	ret = fastboot_tbl_read(tb, lba * tb->lbsz, tb->lbsz);
	if (ret)
		return ret;
	ret = ptab_gpt_header(tb->buf, tb->lbsz, lba, tb->nr_lbas, g, why,
			      why_len);
	if (ret)
		return ret;
	for (off = 0; off < g->entries_bytes; off += n) {
		n = min_t(u32, FASTBOOT_TBL_BUF, g->entries_bytes - off);
		ret = fastboot_tbl_read(tb, g->entries_lba * tb->lbsz + off, n);
		if (ret)
			return ret;
		crc = ptab_crc32(crc, tb->buf, n);
	}
	if (crc != g->entries_crc)
		return fastboot_tbl_fail(why, why_len, -EINVAL,
					 "gpt: entries CRC bad");
	return 0;
}

static int fastboot_gpt_walk(struct fastboot_tbl *tb, fastboot_tbl_fn fn,
			     void *ctx)
{
	struct ptab_gpt *g = &tb->g;
	char bwhy[FASTBOOT_RESP_PAYLOAD_MAX + 1];
	struct ptab_part p;
	u32 i, n, off, k;
	int ret;

	ret = fastboot_gpt_load(tb, 1, tb->why, tb->why_len);
	if (ret) {
		/* As Linux: a bad primary GPT, a good backup: use it. */
		if (fastboot_gpt_load(tb, tb->nr_lbas - 1, bwhy, sizeof(bwhy)))
			return ret;
		pr_info_ratelimited("storage: primary GPT bad (%s), using the backup\n",
				    tb->why);
		tb->why[0] = '\0';
	}
	for (i = 0, off = 0; off < g->entries_bytes; off += n) {
		n = min_t(u32, FASTBOOT_TBL_BUF, g->entries_bytes - off);
		ret = fastboot_tbl_read(tb, g->entries_lba * tb->lbsz + off, n);
		if (ret)
			return ret;
		/* entry_size divides FASTBOOT_TBL_BUF: no entry spans two reads */
		for (k = 0; k < n; k += g->entry_size, i++) {
			if (!ptab_gpt_entry_used(tb->buf + k))
				continue;
			ptab_gpt_entry(tb->buf + k, i, &p);
			ret = fn(tb, &p, tb->buf + k, ctx);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* The logical partitions in the extended partition @ext. */
static int fastboot_ebr_walk(struct fastboot_tbl *tb,
			     const struct ptab_part *ext,
			     u32 *number, fastboot_tbl_fn fn, void *ctx)
{
	u64 ebr = ext->first, next;
	unsigned int links;
	int ret, n, k;

	for (links = 0; ebr && links < PTAB_EBR_MAX; links++, ebr = next) {
		ret = fastboot_tbl_read(tb, ebr * tb->lbsz, PTAB_MBR_LEN);
		if (ret)
			return ret;
		n = ptab_ebr_next(tb->buf, ebr, ext->first, ext->lbas, tb->lp,
				  &next, tb->why, tb->why_len);
		if (n < 0)
			return n;
		for (k = 0; k < n; k++) {
			tb->lp[k].number = (*number)++;
			ret = fn(tb, &tb->lp[k], NULL, ctx);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int fastboot_mbr_walk(struct fastboot_tbl *tb, fastboot_tbl_fn fn,
			     void *ctx)
{
	struct ptab_part *p;
	u32 logical = 5;
	bool used[PTAB_MBR_PARTS];
	unsigned int i;
	int ret;

	/* tb->buf is reused for the EBRs: decode the primaries first. */
	for (i = 0; i < PTAB_MBR_PARTS; i++)
		used[i] = ptab_mbr_entry(tb->buf, i, &tb->prim[i]);
	/* Primaries in entry order, each extended one followed by its chain. */
	for (i = 0; i < PTAB_MBR_PARTS; i++) {
		p = &tb->prim[i];
		if (!used[i])
			continue;
		ret = fn(tb, p, NULL, ctx);
		if (ret)
			return ret;
		if (!ptab_mbr_is_extended(p->mbr_type))
			continue;
		if (p->first >= tb->nr_lbas || p->lbas > tb->nr_lbas - p->first)
			return fastboot_tbl_fail(tb->why, tb->why_len, -EINVAL,
						 "mbr: extended partition %u past the disk",
						 p->number);
		ret = fastboot_ebr_walk(tb, p, &logical, fn, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Call @fn for each partition of the storage @filp (@size bytes, LBAs of
 * @lbsz). Returns 0, 1 if @fn stopped the walk, or a negative errno
 * (-ENOENT: no partition table) with the text in @tb->why.
 */
static int fastboot_tbl_walk(struct fastboot_tbl *tb, struct file *filp,
			     u64 size, u32 lbsz, fastboot_tbl_fn fn, void *ctx)
{
	int ret;

	tb->filp = filp;
	tb->lbsz = lbsz;
	if (!ptab_lbsz_ok(lbsz))
		return fastboot_tbl_fail(tb->why, tb->why_len, -EINVAL,
					 "storage: block size %u unsupported", lbsz);
	/* a power of two: no 64-bit division (32-bit ARM) */
	tb->nr_lbas = size >> ilog2(lbsz);
	if (tb->nr_lbas < 2)
		return fastboot_tbl_fail(tb->why, tb->why_len, -ENOENT,
					 "storage has no partition table");
	ret = fastboot_tbl_read(tb, 0, lbsz);
	if (ret)
		return ret;
	tb->label = ptab_label(tb->buf);
	switch (tb->label) {
	case PTAB_LABEL_GPT:
		return fastboot_gpt_walk(tb, fn, ctx);
	case PTAB_LABEL_MBR:
		return fastboot_mbr_walk(tb, fn, ctx);
	default:
		return fastboot_tbl_fail(tb->why, tb->why_len, -ENOENT,
					 "storage has no partition table");
	}
}

/*
 * What to look for in the table: a GPT name wins over a number, so a GPT
 * is scanned to its end unless the name is found; an MBR has no names,
 * its walk stops at the number (a broken EBR further on does not matter).
 */
struct fastboot_tbl_find {
	const char *name;
	size_t len;
	u32 number;		/* 0: not a number */
	struct ptab_part by_name;
	struct ptab_part by_num;
	bool name_found;
	bool num_found;
	bool num_gpt;
};

static int fastboot_tbl_find_fn(struct fastboot_tbl *tb,
				const struct ptab_part *p,
				const u8 *ent, void *ctx)
{
	struct fastboot_tbl_find *f = ctx;

	if (ent && ptab_gpt_name_eq(ent, f->name, f->len)) {
		f->by_name = *p;
		f->name_found = true;
		return 1;
	}
	if (f->number && p->number == f->number && !f->num_found) {
		f->by_num = *p;
		f->num_found = true;
		f->num_gpt = !!ent;
		return ent ? 0 : 1;
	}
	return 0;
}

/* "1".."4294967295" without leading zeros, else 0. */
static u32 fastboot_tbl_part_number(const char *nm)
{
	u32 n;

	if (nm[0] < '1' || nm[0] > '9' || strspn(nm, "0123456789") !=
	    strlen(nm) || kstrtou32(nm, 10, &n))
		return 0;
	return n;
}

static int fastboot_tbl_alloc(struct fastboot_tbl **tb, char *why,
			      size_t why_len)
{
	*tb = kzalloc(sizeof(**tb), GFP_KERNEL);
	if (!*tb)
		return fastboot_tbl_fail(why, why_len, -ENOMEM,
					 "out of memory");
	(*tb)->why = why;
	(*tb)->why_len = why_len;
	return 0;
}

int fastboot_table_find(struct file *filp, u64 size, u32 lbsz,
			const char *nm, u64 *start, u64 *len, char *why,
			size_t why_len)
{
	struct fastboot_tbl_find f = { .name = nm, .len = strlen(nm) };
	const struct ptab_part *p;
	struct fastboot_tbl *tb;
	bool gpt;
	u64 nr;
	int ret;

	ret = fastboot_tbl_alloc(&tb, why, why_len);
	if (ret)
		return ret;
	f.number = fastboot_tbl_part_number(nm);
	ret = fastboot_tbl_walk(tb, filp, size, lbsz, fastboot_tbl_find_fn, &f);
	nr = tb->nr_lbas;
	if (ret == -ENOENT) {
		fastboot_tbl_fail(why, why_len, ret,
				  "no partition '%s' (storage has no table)",
				  nm);
		goto out;
	}
	if (ret < 0)
		goto out;
	if (!f.name_found && !f.num_found) {
		ret = fastboot_tbl_fail(why, why_len, -ENOENT,
					"no partition '%s'", nm);
		goto out;
	}
	p = f.name_found ? &f.by_name : &f.by_num;
	gpt = f.name_found || f.num_gpt;
	ret = -EINVAL;
	if (!gpt && ptab_mbr_is_extended(p->mbr_type)) {
		fastboot_tbl_fail(why, why_len, ret,
				  "partition %u is an extended partition",
				  p->number);
		goto out;
	}
	/* Never write over a table: inside the disk, the usable LBAs. */
	if (!p->lbas || !p->first || p->first >= nr ||
	    p->lbas > nr - p->first ||
	    (gpt && (p->first < tb->g.first_usable ||
		     p->first + p->lbas - 1 > tb->g.last_usable))) {
		fastboot_tbl_fail(why, why_len, ret,
				  "partition '%s' lies outside %s", nm,
				  gpt ? "the usable LBAs" : "the disk");
		goto out;
	}
	*start = p->first << ilog2(lbsz);
	*len = p->lbas << ilog2(lbsz);
	ret = 0;
out:
	kfree(tb);
	return ret;
}

struct fastboot_tbl_each {
	int (*fn)(void *ctx, const char *name, u64 size, const char *type);
	void *ctx;
	u32 lbsz;
	int ret;	/* what @fn returned */
};

static int fastboot_tbl_each_fn(struct fastboot_tbl *tb,
				const struct ptab_part *p,
				const u8 *ent, void *ctx)
{
	struct fastboot_tbl_each *e = ctx;
	char num[12];
	const char *nm = num;

	/* An extended partition is a container, not a target. */
	if (!ent && ptab_mbr_is_extended(p->mbr_type))
		return 0;
	snprintf(num, sizeof(num), "%u", p->number);
	/* By GPT name if the host can send it, else by number. */
	if (ent && p->name[0] &&
	    !fastboot_part_parse(p->name, strlen(p->name), NULL, NULL))
		nm = p->name;
	e->ret = e->fn(e->ctx, nm, p->lbas << ilog2(e->lbsz), "raw");
	return e->ret ? 1 : 0;
}

int fastboot_table_each(struct file *filp, u64 size, u32 lbsz,
			int (*fn)(void *ctx, const char *name, u64 size,
				  const char *type),
			void *ctx)
{
	char why[FASTBOOT_RESP_PAYLOAD_MAX + 1];
	struct fastboot_tbl_each e = { .fn = fn, .ctx = ctx, .lbsz = lbsz };
	struct fastboot_tbl *tb;

	if (fastboot_tbl_alloc(&tb, why, sizeof(why)))
		return 0;
	fastboot_tbl_walk(tb, filp, size, lbsz, fastboot_tbl_each_fn, &e);
	kfree(tb);
	return e.ret;
}
