// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: MBR/GPT validation, EBR links, entry decoding and the
 * backup GPT (lib/imxflash/part_table.c).
 *
 * Input: byte 0 bit 0 selects 4096-byte LBAs (else 512), bits 1-7 are
 * the high bits of the disk size; bytes 1-4 its low 32 bits (LBAs); the
 * rest is the image (LBA 0 on), copied to a buffer of exactly its size so
 * ASan catches any read past it. Everything accepted is checked again
 * here, independently: signature, every used partition inside the disk /
 * usable LBAs, no two overlapping, CRCs (bitwise reference), the layout
 * of both GPT headers; and the backup built from an accepted image must
 * itself be accepted at the last LBA.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imxflash/part_table.h>

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

#define WHY_LEN 61

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static u64 get64(const u8 *p)
{
	return imxf_get_le32(p) | (u64)imxf_get_le32(p + 4) << 32;
}

static u32 crc_ref(const u8 *p, size_t len)
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

/* A why text: terminated, at most 60 characters, not empty. */
static void check_why(const char *why)
{
	size_t n = strnlen(why, WHY_LEN);

	CHECK(n > 0 && n < WHY_LEN);
}

static void fuzz_mbr(const u8 *sec, u64 nr)
{
	char why[WHY_LEN];
	struct ptab_part p[4], lp[4];
	bool used[4];
	u64 next;
	int ret, i, j;

	for (i = 0; i < 4; i++) {
		used[i] = ptab_mbr_entry(sec, i, &p[i]);
		CHECK(used[i] == (p[i].lbas != 0));
		CHECK(p[i].number == (u32)i + 1);
	}
	memset(why, 0x7f, sizeof(why));
	ret = ptab_mbr_check(sec, nr, why, sizeof(why));
	CHECK(ret == 0 || ret == -EINVAL);
	if (ret) {
		check_why(why);
	} else {
		CHECK(sec[510] == 0x55 && sec[511] == 0xaa);
		CHECK(ptab_label(sec) == PTAB_LABEL_MBR);
		for (i = 0; i < 4; i++) {
			CHECK(!p[i].boot || p[i].boot == 0x80);
			if (!used[i])
				continue;
			CHECK(p[i].first >= 1 && p[i].first + p[i].lbas <= nr);
			for (j = 0; j < i; j++)
				CHECK(!used[j] ||
				      p[i].first >= p[j].first + p[j].lbas ||
				      p[j].first >= p[i].first + p[i].lbas);
		}
	}

	/* the sector as an EBR of each primary, or of the whole disk */
	for (i = 0; i < 5; i++) {
		u64 ef = i < 4 ? p[i].first : 1;
		u64 el = i < 4 ? p[i].lbas : 0xffffffffu;
		u64 ebr = ef + (el ? nr % el : 0);

		if (!el)
			continue;
		memset(why, 0x7f, sizeof(why));
		ret = ptab_ebr_next(sec, ebr, ef, el, lp, &next, why,
				    sizeof(why));
		CHECK(ret >= -EINVAL && ret <= 4);
		if (ret < 0) {
			CHECK(ret == -EINVAL);
			check_why(why);
			continue;
		}
		CHECK(!next || (next >= ef && next < ef + el && next != ebr));
		for (j = 0; j < ret; j++) {
			CHECK(lp[j].lbas && !lp[j].number);
			CHECK(!ptab_mbr_is_extended(lp[j].mbr_type));
			CHECK(lp[j].first >= ebr);
		}
	}
}

/* An accepted header: the layout promised by part_table.h. */
static void check_layout(const struct ptab_gpt *g, u32 lbsz, u64 lba, u64 nr)
{
	CHECK(g->my_lba == lba);
	CHECK(g->hdr_size >= PTAB_GPT_HDR_LEN && g->hdr_size <= lbsz);
	CHECK(g->entry_size >= 128 && g->entry_size <= PTAB_GPT_ENTRY_MAX &&
	      !(g->entry_size & (g->entry_size - 1)));
	CHECK(g->num_entries &&
	      (u64)g->num_entries * g->entry_size == g->entries_bytes);
	CHECK(g->entries_bytes <= PTAB_GPT_ARRAY_MAX);
	CHECK((u64)g->entries_lbas * lbsz >= g->entries_bytes &&
	      (u64)(g->entries_lbas - 1) * lbsz < g->entries_bytes);
	CHECK(g->first_usable <= g->last_usable);
	CHECK(g->first_usable >= 2 + (u64)g->entries_lbas);
	CHECK(g->last_usable + g->entries_lbas + 1 < nr);
	CHECK(g->entries_lba >= 2 && g->entries_lba + g->entries_lbas <= nr);
	if (lba == 1) {
		CHECK(g->entries_lba + g->entries_lbas <= g->first_usable);
	} else {
		CHECK(lba > g->last_usable && lba < nr);
		CHECK(g->entries_lba > g->last_usable &&
		      g->entries_lba + g->entries_lbas <= lba);
	}
}

static void fuzz_gpt(const u8 *img, size_t len, u32 lbsz, u64 nr)
{
	char why[WHY_LEN];
	struct ptab_gpt g, b;
	struct ptab_part p, q;
	const u8 *ents, *e, *f;
	u8 *mbr, *hdr, *bak;
	u64 bent;
	u32 i, j;
	int ret;

	memset(why, 0x7f, sizeof(why));
	ret = ptab_gpt_image_check(img, len, lbsz, nr, &g, why, sizeof(why));
	CHECK(ret == 0 || ret == -EINVAL || ret == -ENODATA);
	if (ret) {
		check_why(why);
		return;
	}
	check_layout(&g, lbsz, 1, nr);
	CHECK(g.entries_lba * lbsz + g.entries_bytes <= len);
	CHECK(img[510] == 0x55 && img[511] == 0xaa);
	CHECK(ptab_label(img) == PTAB_LABEL_GPT);
	CHECK(crc_ref(img + g.entries_lba * lbsz, g.entries_bytes) ==
	      g.entries_crc);
	ents = img + g.entries_lba * lbsz;
	for (i = 0; i < g.num_entries; i++) {
		e = ents + (size_t)i * g.entry_size;
		if (!ptab_gpt_entry_used(e))
			continue;
		ptab_gpt_entry(e, i, &p);
		CHECK(p.lbas && p.first >= g.first_usable &&
		      p.first + p.lbas - 1 <= g.last_usable);
		CHECK(ptab_gpt_name_eq(e, p.name, strlen(p.name)) ||
		      strchr(p.name, '?'));
		/* a sample of pairs: all of them is quadratic again */
		for (j = 0; j < i && j < 64; j++) {
			f = ents + (size_t)j * g.entry_size;
			if (!ptab_gpt_entry_used(f))
				continue;
			ptab_gpt_entry(f, j, &q);
			CHECK(p.first > q.first + q.lbas - 1 ||
			      q.first > p.first + p.lbas - 1);
		}
	}

	mbr = malloc(lbsz);
	hdr = malloc(lbsz);
	bak = malloc(lbsz);
	CHECK(mbr && hdr && bak);
	memcpy(mbr, img, lbsz);
	memcpy(hdr, img + lbsz, lbsz);
	bent = ptab_gpt_build(&g, lbsz, nr, mbr, hdr, bak);
	CHECK(bent == nr - 1 - g.entries_lbas && bent > g.last_usable);
	CHECK(get64(hdr + 32) == nr - 1);
	CHECK(!memcmp(mbr + 512, img + 512, lbsz - 512));
	CHECK(ptab_gpt_header(hdr, lbsz, 1, nr, &b, why, sizeof(why)) == 0);
	CHECK(b.entries_crc == g.entries_crc && b.alt_lba == nr - 1);
	CHECK(ptab_gpt_header(bak, lbsz, nr - 1, nr, &b, why,
			      sizeof(why)) == 0);
	check_layout(&b, lbsz, nr - 1, nr);
	CHECK(b.entries_lba == bent && b.alt_lba == 1 &&
	      b.entries_crc == g.entries_crc &&
	      b.first_usable == g.first_usable &&
	      b.last_usable == g.last_usable);
	/* the header CRC again, with the CRC field zeroed by hand */
	memset(bak + 16, 0, 4);
	CHECK(crc_ref(bak, b.hdr_size) == b.hdr_crc);
	free(mbr);
	free(hdr);
	free(bak);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct ptab_gpt g;
	char why[WHY_LEN];
	struct ptab_part p;
	u32 lbsz;
	u64 nr;
	u8 *img;
	size_t len, off;
	int ret;

	if (size < 5)
		return 0;
	lbsz = data[0] & 1 ? 4096 : 512;
	nr = (u64)(data[0] >> 1) << 32 | imxf_get_le32(data + 1);
	len = size - 5;
	img = malloc(len ? len : 1);
	CHECK(img);
	memcpy(img, data + 5, len);

	if (len >= PTAB_MBR_LEN)
		fuzz_mbr(img, nr);
	fuzz_gpt(img, len, lbsz, nr);

	/* the sector after LBA 0 as a header at LBA 1 and as a backup */
	if (len >= 2ull * lbsz) {
		for (off = 0; off < 2; off++) {
			u64 lba = off ? (nr ? nr - 1 : 0) : 1;

			memset(why, 0x7f, sizeof(why));
			ret = ptab_gpt_header(img + lbsz, lbsz, lba, nr, &g,
					      why, sizeof(why));
			CHECK(ret == 0 || ret == -EINVAL);
			if (ret)
				check_why(why);
			else
				check_layout(&g, lbsz, lba, nr);
		}
	}
	/* every 128 bytes as an entry */
	for (off = 0; off + PTAB_GPT_ENTRY_LEN <= len; off += 128) {
		ptab_gpt_entry(img + off, (u32)(off / 128), &p);
		CHECK(strlen(p.name) <= PTAB_GPT_NAME_UNITS);
		CHECK(p.number == off / 128 + 1);
	}
	/* the table-driven CRC against the bitwise one (a prefix: speed) */
	CHECK(ptab_crc32(0, img, len < 1024 ? len : 1024) ==
	      crc_ref(img, len < 1024 ? len : 1024));
	free(img);
	return 0;
}
