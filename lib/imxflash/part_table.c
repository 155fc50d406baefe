// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * MBR and GPT partition tables (see part_table.h).
 *
 * Pure C: linked into usb_f_fastboot, the unit tests and the fuzzer. Only
 * pure.h facilities plus snprintf() for the error texts. No allocation:
 * callers hand in sectors and entries arrays, and every offset computed
 * from on-disk fields is done in 64 bits from values already bounded, so
 * nothing wraps.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/stdarg.h>
#else
#include <stdarg.h>
#include <stdio.h>
/* As the kernel's __printf() from <linux/compiler_attributes.h> */
#ifndef __printf
#define PTAB_PRINTF_ATTR	format
#define __printf(a, b)	__attribute__((PTAB_PRINTF_ATTR(printf, a, b)))
#endif
#endif

#include <imxflash/part_table.h>

/* MBR layout */
#define MBR_TABLE		446
#define MBR_ENTRY_LEN		16
#define MBR_E_BOOT		0
#define MBR_E_TYPE		4
#define MBR_E_START		8
#define MBR_E_SIZE		12
#define MBR_SIG			510

/* GPT header layout */
#define GPT_H_SIG		0
#define GPT_H_SIZE		12
#define GPT_H_CRC		16
#define GPT_H_MY_LBA		24
#define GPT_H_ALT_LBA		32
#define GPT_H_FIRST		40
#define GPT_H_LAST		48
#define GPT_H_GUID		56
#define GPT_H_ENTRIES_LBA	72
#define GPT_H_NUM		80
#define GPT_H_ENTRY_SIZE	84
#define GPT_H_ENTRIES_CRC	88
/* GPT entry layout */
#define GPT_E_TYPE		0
#define GPT_E_UUID		16
#define GPT_E_FIRST		32
#define GPT_E_LAST		40
#define GPT_E_ATTRS		48
#define GPT_E_NAME		56

static const u8 gpt_sig[8] = { 'E', 'F', 'I', ' ', 'P', 'A', 'R', 'T' };

/* ---- helpers ---- */

static u16 get_le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static u64 get_le64(const u8 *p)
{
	return (u64)imxf_get_le32(p + 4) << 32 | imxf_get_le32(p);
}

static void put_le64(u8 *p, u64 v)
{
	imxf_put_le32(p, (u32)(v & 0xffffffffu));
	imxf_put_le32(p + 4, (u32)(v >> 32));
}

/* Format the error text; always NUL-terminated, cut to @why_len - 1. */
__printf(3, 4)
static int ptab_fail(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	if (why && why_len) {
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/*
 * CRC-32, reflected polynomial 0xedb88320, four bits at a time: a
 * 16-entry table is a good trade between size and speed for the few KiB
 * of a GPT.
 */
static const u32 crc32_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
	0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

u32 ptab_crc32(u32 crc, const void *buf, size_t len)
{
	const u8 *p = buf;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ crc32_nibble[crc & 15];
		crc = (crc >> 4) ^ crc32_nibble[crc & 15];
	}
	return ~crc;
}

bool ptab_lbsz_ok(u32 lbsz)
{
	return lbsz >= PTAB_LBSZ_MIN && lbsz <= PTAB_LBSZ_MAX &&
	       !(lbsz & (lbsz - 1));
}

/* ---- MBR ---- */

static const u8 *mbr_entry(const u8 *sec, unsigned int i)
{
	return sec + MBR_TABLE + i * MBR_ENTRY_LEN;
}

static bool mbr_sig_ok(const u8 *sec)
{
	return sec[MBR_SIG] == 0x55 && sec[MBR_SIG + 1] == 0xaa;
}

enum ptab_label ptab_label(const u8 *sec)
{
	unsigned int i;

	if (!mbr_sig_ok(sec))
		return PTAB_LABEL_NONE;
	/* As Linux: any 0xee entry means the disk is GPT (efi.c). */
	for (i = 0; i < PTAB_MBR_PARTS; i++)
		if (mbr_entry(sec, i)[MBR_E_TYPE] == PTAB_MBR_TYPE_GPT)
			return PTAB_LABEL_GPT;
	return PTAB_LABEL_MBR;
}

bool ptab_mbr_is_extended(u8 type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

bool ptab_mbr_entry(const u8 *sec, unsigned int i, struct ptab_part *p)
{
	const u8 *e = mbr_entry(sec, i);

	memset(p, 0, sizeof(*p));
	p->number = i + 1;
	p->boot = e[MBR_E_BOOT];
	p->mbr_type = e[MBR_E_TYPE];
	p->first = imxf_get_le32(e + MBR_E_START);
	p->lbas = imxf_get_le32(e + MBR_E_SIZE);
	/* Linux skips entries of size 0 only; type 0 does not matter. */
	return p->lbas != 0;
}

int ptab_mbr_check(const u8 *sec, u64 nr_lbas, char *why, size_t why_len)
{
	struct ptab_part p[PTAB_MBR_PARTS];
	bool used[PTAB_MBR_PARTS];
	unsigned int i, j, ext = 0;

	if (!mbr_sig_ok(sec))
		return ptab_fail(why, why_len, "mbr: no 55 AA signature");
	if (ptab_label(sec) == PTAB_LABEL_GPT)
		return ptab_fail(why, why_len,
				 "mbr: protective MBR (0xee), flash it as gpt");
	for (i = 0; i < PTAB_MBR_PARTS; i++) {
		used[i] = ptab_mbr_entry(sec, i, &p[i]);
		/* Linux rejects the whole table for a bad boot flag. */
		if (p[i].boot && p[i].boot != 0x80)
			return ptab_fail(why, why_len,
					 "mbr: partition %u boot flag 0x%02x",
					 i + 1, p[i].boot);
		if (!used[i])
			continue;
		if (!p[i].first)
			return ptab_fail(why, why_len,
					 "mbr: partition %u starts at LBA 0",
					 i + 1);
		if (p[i].first >= nr_lbas || p[i].lbas > nr_lbas - p[i].first)
			return ptab_fail(why, why_len,
					 "mbr: partition %u ends past the disk (%llu LBAs)",
					 i + 1, nr_lbas);
		if (ptab_mbr_is_extended(p[i].mbr_type) && ext++)
			return ptab_fail(why, why_len,
					 "mbr: more than one extended partition");
		for (j = 0; j < i; j++) {
			if (used[j] && p[i].first < p[j].first + p[j].lbas &&
			    p[j].first < p[i].first + p[i].lbas)
				return ptab_fail(why, why_len,
						 "mbr: partition %u overlaps partition %u",
						 i + 1, j + 1);
		}
	}
	return 0;
}

int ptab_ebr_next(const u8 *sec, u64 ebr_lba, u64 ext_first, u64 ext_lbas,
		  struct ptab_part *p, u64 *next, char *why, size_t why_len)
{
	u64 ext_end = ext_first + ext_lbas;	/* both < 2^33 */
	struct ptab_part e;
	bool have_link = false;
	unsigned int i, n = 0;

	*next = 0;
	if (!mbr_sig_ok(sec))
		return ptab_fail(why, why_len,
				 "mbr: EBR at LBA %llu has no signature",
				 ebr_lba);
	for (i = 0; i < PTAB_MBR_PARTS; i++) {
		if (!ptab_mbr_entry(sec, i, &e))
			continue;
		if (ptab_mbr_is_extended(e.mbr_type)) {
			if (have_link)
				continue;
			have_link = true;
			*next = ext_first + e.first;
			if (e.first >= ext_lbas)
				return ptab_fail(why, why_len,
						 "mbr: EBR at LBA %llu links outside",
						 ebr_lba);
			if (*next == ebr_lba)
				return ptab_fail(why, why_len,
						 "mbr: EBR at LBA %llu links to itself",
						 ebr_lba);
			continue;
		}
		e.first += ebr_lba;
		/*
		 * Linux takes every data entry, but ignores entries 3 and 4
		 * outside the extended partition ("random garbage",
		 * msdos.c); where the others point is checked by callers.
		 */
		if (i >= 2 && (e.first >= ext_end || e.lbas > ext_end - e.first))
			continue;
		e.number = 0;
		p[n++] = e;
	}
	return (int)n;
}

/* ---- GPT ---- */

int ptab_gpt_header(const u8 *sec, u32 lbsz, u64 lba, u64 nr_lbas,
		    struct ptab_gpt *g, char *why, size_t why_len)
{
	u8 crc_field[4];
	u64 bytes, end;
	u32 crc;

	memset(g, 0, sizeof(*g));
	if (!ptab_lbsz_ok(lbsz))
		return ptab_fail(why, why_len,
				 "gpt: logical block size %u unsupported", lbsz);
	if (memcmp(sec + GPT_H_SIG, gpt_sig, sizeof(gpt_sig)))
		return ptab_fail(why, why_len,
				 "gpt: no header signature at LBA %llu", lba);
	g->hdr_size = imxf_get_le32(sec + GPT_H_SIZE);
	if (g->hdr_size < PTAB_GPT_HDR_LEN || g->hdr_size > lbsz)
		return ptab_fail(why, why_len, "gpt: header size %u bad",
				 g->hdr_size);
	g->hdr_crc = imxf_get_le32(sec + GPT_H_CRC);
	/* The CRC is taken with its own field zeroed. */
	memset(crc_field, 0, sizeof(crc_field));
	crc = ptab_crc32(0, sec, GPT_H_CRC);
	crc = ptab_crc32(crc, crc_field, sizeof(crc_field));
	crc = ptab_crc32(crc, sec + GPT_H_CRC + 4,
			 g->hdr_size - GPT_H_CRC - 4);
	if (crc != g->hdr_crc)
		return ptab_fail(why, why_len, "gpt: header CRC bad");

	g->my_lba = get_le64(sec + GPT_H_MY_LBA);
	g->alt_lba = get_le64(sec + GPT_H_ALT_LBA);
	g->first_usable = get_le64(sec + GPT_H_FIRST);
	g->last_usable = get_le64(sec + GPT_H_LAST);
	memcpy(g->disk_guid, sec + GPT_H_GUID, sizeof(g->disk_guid));
	g->entries_lba = get_le64(sec + GPT_H_ENTRIES_LBA);
	g->num_entries = imxf_get_le32(sec + GPT_H_NUM);
	g->entry_size = imxf_get_le32(sec + GPT_H_ENTRY_SIZE);
	g->entries_crc = imxf_get_le32(sec + GPT_H_ENTRIES_CRC);

	if (g->my_lba != lba)
		return ptab_fail(why, why_len,
				 "gpt: header at LBA %llu says it is at %llu",
				 lba, g->my_lba);
	if (g->entry_size < PTAB_GPT_ENTRY_LEN ||
	    g->entry_size > PTAB_GPT_ENTRY_MAX ||
	    (g->entry_size & (g->entry_size - 1)))
		return ptab_fail(why, why_len, "gpt: entry size %u bad",
				 g->entry_size);
	bytes = (u64)g->num_entries * g->entry_size;
	if (!g->num_entries || bytes > PTAB_GPT_ARRAY_MAX)
		return ptab_fail(why, why_len, "gpt: %u entries bad",
				 g->num_entries);
	g->entries_bytes = (u32)bytes;
	/* 32-bit arithmetic: no 64-bit division on 32-bit ARM kernels */
	g->entries_lbas = (g->entries_bytes + lbsz - 1) / lbsz;

	/*
	 * Layout: LBA 0 MBR, 1 header, primary array, usable LBAs, backup
	 * array, backup header in the last LBA. Every bound is below
	 * nr_lbas, so the sums below cannot wrap.
	 */
	if (nr_lbas < 3 + 2ull * g->entries_lbas)
		return ptab_fail(why, why_len, "gpt: disk too small (%llu LBAs)",
				 nr_lbas);
	if (g->first_usable > g->last_usable ||
	    g->first_usable < 2ull + g->entries_lbas ||
	    g->last_usable > nr_lbas - 2 - g->entries_lbas)
		return ptab_fail(why, why_len,
				 "gpt: usable LBAs %llu-%llu bad for %llu LBAs",
				 g->first_usable, g->last_usable, nr_lbas);
	if (g->entries_lba < 2 || g->entries_lba >= nr_lbas ||
	    g->entries_lbas > nr_lbas - g->entries_lba)
		return ptab_fail(why, why_len,
				 "gpt: entries at LBA %llu outside the disk",
				 g->entries_lba);
	end = g->entries_lba + g->entries_lbas;
	if (lba == 1) {
		if (end > g->first_usable)
			return ptab_fail(why, why_len,
					 "gpt: entries at LBA %llu overlap usable LBAs",
					 g->entries_lba);
	} else {
		if (lba <= g->last_usable || lba >= nr_lbas)
			return ptab_fail(why, why_len,
					 "gpt: backup header at LBA %llu bad", lba);
		if (g->entries_lba <= g->last_usable || end > lba)
			return ptab_fail(why, why_len,
					 "gpt: backup entries at LBA %llu bad",
					 g->entries_lba);
	}
	return 0;
}

bool ptab_gpt_entry_used(const u8 *e)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		if (e[GPT_E_TYPE + i])
			return true;
	return false;
}

void ptab_gpt_entry(const u8 *e, u32 idx, struct ptab_part *p)
{
	u64 first = get_le64(e + GPT_E_FIRST);
	u64 last = get_le64(e + GPT_E_LAST);
	unsigned int i;
	u16 c;

	memset(p, 0, sizeof(*p));
	p->number = idx + 1;
	p->first = first;
	/* 0 for a reversed or full-range entry; callers validate. */
	p->lbas = last >= first ? last - first + 1 : 0;
	p->attrs = get_le64(e + GPT_E_ATTRS);
	memcpy(p->type, e + GPT_E_TYPE, sizeof(p->type));
	memcpy(p->uuid, e + GPT_E_UUID, sizeof(p->uuid));
	for (i = 0; i < PTAB_GPT_NAME_UNITS; i++) {
		c = get_le16(e + GPT_E_NAME + 2 * i);
		if (!c)
			break;
		p->name[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	p->name[i] = '\0';
}

bool ptab_gpt_name_eq(const u8 *e, const char *name, size_t len)
{
	size_t i;

	if (len > PTAB_GPT_NAME_UNITS)
		return false;
	for (i = 0; i < len; i++) {
		if (!name[i] || get_le16(e + GPT_E_NAME + 2 * i) != (u8)name[i])
			return false;
	}
	return len == PTAB_GPT_NAME_UNITS ||
	       !get_le16(e + GPT_E_NAME + 2 * len);
}

int ptab_gpt_check_entries(const struct ptab_gpt *g, const u8 *ents,
			   char *why, size_t why_len)
{
	u64 fi, li, fj, lj;
	const u8 *e, *f;
	u32 i, j;

	if (ptab_crc32(0, ents, g->entries_bytes) != g->entries_crc)
		return ptab_fail(why, why_len, "gpt: entries CRC bad");
	for (i = 0; i < g->num_entries; i++) {
		e = ents + (size_t)i * g->entry_size;
		if (!ptab_gpt_entry_used(e))
			continue;
		fi = get_le64(e + GPT_E_FIRST);
		li = get_le64(e + GPT_E_LAST);
		if (fi > li)
			return ptab_fail(why, why_len,
					 "gpt: partition %u ends before it starts",
					 i + 1);
		if (fi < g->first_usable || li > g->last_usable)
			return ptab_fail(why, why_len,
					 "gpt: partition %u outside usable LBAs %llu-%llu",
					 i + 1, g->first_usable, g->last_usable);
		/* At most 8192 entries (1 MiB of 128 bytes): quadratic is ok. */
		for (j = 0; j < i; j++) {
			f = ents + (size_t)j * g->entry_size;
			if (!ptab_gpt_entry_used(f))
				continue;
			fj = get_le64(f + GPT_E_FIRST);
			lj = get_le64(f + GPT_E_LAST);
			if (fi <= lj && fj <= li)
				return ptab_fail(why, why_len,
						 "gpt: partition %u overlaps partition %u",
						 i + 1, j + 1);
		}
	}
	return 0;
}

/* The protective MBR of a GPT image. */
static int ptab_pmbr_check(const u8 *sec, u64 nr_lbas, char *why,
			   size_t why_len)
{
	struct ptab_part p;
	bool prot = false;
	unsigned int i;

	if (!mbr_sig_ok(sec))
		return ptab_fail(why, why_len,
				 "gpt: protective MBR has no 55 AA signature");
	for (i = 0; i < PTAB_MBR_PARTS; i++) {
		if (!ptab_mbr_entry(sec, i, &p))
			continue;
		if (p.mbr_type == PTAB_MBR_TYPE_GPT) {
			if (p.first == 1)
				prot = true;
			continue;
		}
		/* A hybrid MBR: its other entries must fit the disk too. */
		if (!p.first || p.first >= nr_lbas ||
		    p.lbas > nr_lbas - p.first)
			return ptab_fail(why, why_len,
					 "gpt: MBR partition %u ends past the disk",
					 i + 1);
	}
	if (!prot)
		return ptab_fail(why, why_len,
				 "gpt: no protective MBR entry (0xee at LBA 1)");
	return 0;
}

int ptab_gpt_image_check(const u8 *img, size_t len, u32 lbsz, u64 nr_lbas,
			 struct ptab_gpt *g, char *why, size_t why_len)
{
	u64 off;
	int ret;

	memset(g, 0, sizeof(*g));
	if (!ptab_lbsz_ok(lbsz))
		return ptab_fail(why, why_len,
				 "gpt: logical block size %u unsupported", lbsz);
	if (len < 2ull * lbsz) {
		ptab_fail(why, why_len,
			  "gpt: image (%zu bytes) shorter than 2 LBAs of %u",
			  len, lbsz);
		return -ENODATA;
	}
	ret = ptab_pmbr_check(img, nr_lbas, why, why_len);
	if (ret)
		return ret;
	ret = ptab_gpt_header(img + lbsz, lbsz, 1, nr_lbas, g, why, why_len);
	if (ret)
		return ret;
	/* entries_lba < nr_lbas and lbsz <= 4096: no overflow in 64 bits. */
	off = g->entries_lba * lbsz;
	if (off > len || g->entries_bytes > len - off) {
		ptab_fail(why, why_len,
			  "gpt: image (%zu bytes) ends before its entries",
			  len);
		return -ENODATA;
	}
	return ptab_gpt_check_entries(g, img + off, why, why_len);
}

static void gpt_set_crc(u8 *hdr, u32 hdr_size)
{
	imxf_put_le32(hdr + GPT_H_CRC, 0);
	imxf_put_le32(hdr + GPT_H_CRC, ptab_crc32(0, hdr, hdr_size));
}

u64 ptab_gpt_build(const struct ptab_gpt *g, u32 lbsz, u64 nr_lbas,
		   u8 *mbr, u8 *hdr, u8 *backup)
{
	u64 last = nr_lbas - 1;
	u64 bentries = last - g->entries_lbas;
	struct ptab_part p;
	unsigned int i, used = 0, prot = 0;

	for (i = 0; i < PTAB_MBR_PARTS; i++) {
		if (!ptab_mbr_entry(mbr, i, &p))
			continue;
		used++;
		if (p.mbr_type == PTAB_MBR_TYPE_GPT && p.first == 1)
			prot = i;
	}
	/* Only a purely protective MBR is made to cover this disk. */
	if (used == 1)
		imxf_put_le32(mbr + MBR_TABLE + prot * MBR_ENTRY_LEN + MBR_E_SIZE,
			      last > 0xffffffffu ? 0xffffffffu : (u32)last);

	put_le64(hdr + GPT_H_ALT_LBA, last);
	gpt_set_crc(hdr, g->hdr_size);

	memcpy(backup, hdr, lbsz);
	put_le64(backup + GPT_H_MY_LBA, last);
	put_le64(backup + GPT_H_ALT_LBA, 1);
	put_le64(backup + GPT_H_ENTRIES_LBA, bentries);
	gpt_set_crc(backup, g->hdr_size);
	return bentries;
}
