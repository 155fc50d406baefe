/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * MBR and GPT partition tables: decoding, validation of tables a host
 * wants to flash, lookup helpers and the backup GPT. Pure C (see pure.h),
 * used by usb_f_fastboot, the unit tests and the fuzzer.
 *
 * Units: LBAs of @lbsz bytes, the logical block size of the disk (512 for
 * image files, 512 or 4096 for block devices); a disk has @nr_lbas of
 * them (LBA 0 .. nr_lbas - 1).
 *
 * MBR (sector 0): 4 entries of 16 bytes at 446 (boot flag, CHS, type,
 * CHS, start LBA, LBA count, 32-bit little-endian), signature 55 AA at
 * 510. Extended partitions (types 0x05, 0x0f, 0x85) hold a chain of EBRs,
 * each an MBR-like sector whose entry 0 is a logical partition (start
 * relative to the EBR) and entry 1 the next EBR (start relative to the
 * extended partition). Linux numbers primaries 1-4, logicals from 5.
 *
 * GPT: a protective MBR (one entry of type 0xee starting at LBA 1), the
 * primary header at LBA 1 (signature "EFI PART", header CRC32 over
 * header_size bytes with the CRC field zeroed, my_lba, alternate_lba,
 * first/last usable LBA, disk GUID, entries LBA, entry count and size,
 * CRC32 of the entries array), the entries array (128-byte entries: type
 * GUID, unique GUID, first LBA, last LBA (inclusive), attributes, name of
 * 36 UTF-16LE code units), and a backup copy: the entries array just
 * before the backup header in the last LBA. An entry with an all-zero
 * type GUID is unused. Linux numbers GPT partitions by entry index + 1.
 *
 * Every error comes with a text for the fastboot FAIL reply (at most 60
 * characters, "gpt: header CRC bad"), formatted into a caller's buffer.
 */
#ifndef _IMXFLASH_PART_TABLE_H
#define _IMXFLASH_PART_TABLE_H

#include "pure.h"

#define PTAB_MBR_LEN		512	/* bytes of an MBR or EBR */
#define PTAB_MBR_PARTS		4
#define PTAB_MBR_TYPE_GPT	0xee	/* protective MBR entry */
#define PTAB_EBR_MAX		128	/* logical partitions followed */

#define PTAB_GPT_HDR_LEN	92	/* bytes of the defined header fields */
#define PTAB_GPT_ENTRY_LEN	128	/* bytes of the defined entry fields */
#define PTAB_GPT_NAME_UNITS	36	/* UTF-16 code units of a name */
/* Largest entry size (128 << n) and entries array accepted. */
#define PTAB_GPT_ENTRY_MAX	4096
#define PTAB_GPT_ARRAY_MAX	(1024 * 1024)

/* Logical block sizes accepted: a power of two in this range. */
#define PTAB_LBSZ_MIN		512
#define PTAB_LBSZ_MAX		4096

/* What ptab_label() finds in sector 0 */
enum ptab_label {
	PTAB_LABEL_NONE,	/* no 55 AA signature */
	PTAB_LABEL_MBR,
	PTAB_LABEL_GPT,		/* an entry of type 0xee: protective or hybrid */
};

/**
 * struct ptab_part - one partition, whatever the table
 * @first:    first LBA
 * @lbas:     number of LBAs (never 0)
 * @attrs:    GPT attribute bits
 * @number:   Linux partition number (MBR 1-4, logicals 5...; GPT index + 1)
 * @mbr_type: MBR type byte (0 for GPT)
 * @boot:     MBR boot flag (0x80) or 0
 * @type:     GPT type GUID as stored (zero for MBR)
 * @uuid:     GPT unique GUID as stored (zero for MBR)
 * @name:     GPT name as ASCII, NUL-terminated, '?' for code units outside
 *            printable ASCII; "" for MBR
 */
struct ptab_part {
	u64 first;
	u64 lbas;
	u64 attrs;
	u32 number;
	u8 mbr_type;
	u8 boot;
	u8 type[16];
	u8 uuid[16];
	char name[PTAB_GPT_NAME_UNITS + 1];
};

/**
 * struct ptab_gpt - a decoded, validated GPT header
 * @my_lba:        where this header is (1, or the last LBA for the backup)
 * @alt_lba:       where the other header is said to be (not trusted)
 * @first_usable:  first LBA partitions may use
 * @last_usable:   last LBA partitions may use
 * @entries_lba:   first LBA of the entries array
 * @hdr_size:      bytes covered by the header CRC
 * @hdr_crc:       the header CRC as stored
 * @num_entries:   entries in the array
 * @entry_size:    bytes per entry (128 << n)
 * @entries_crc:   CRC32 of the array as stored
 * @entries_bytes: num_entries * entry_size
 * @entries_lbas:  LBAs the array takes (rounded up)
 * @disk_guid:     as stored
 */
struct ptab_gpt {
	u64 my_lba;
	u64 alt_lba;
	u64 first_usable;
	u64 last_usable;
	u64 entries_lba;
	u32 hdr_size;
	u32 hdr_crc;
	u32 num_entries;
	u32 entry_size;
	u32 entries_crc;
	u32 entries_bytes;
	u32 entries_lbas;
	u8 disk_guid[16];
};

/*
 * CRC-32 (IEEE 802.3, reflected, as zlib's crc32() and the GPT): pass 0
 * first, then the previous result to continue over more data.
 */
u32 ptab_crc32(u32 crc, const void *buf, size_t len);

/* True if @lbsz is a block size the tables support. */
bool ptab_lbsz_ok(u32 lbsz);

/* ---- MBR ---- */

/* What sector 0 (@sec, PTAB_MBR_LEN bytes) holds. */
enum ptab_label ptab_label(const u8 *sec);

/* True for the extended partition types 0x05, 0x0f and 0x85. */
bool ptab_mbr_is_extended(u8 type);

/*
 * Decode entry @i (0-3) of the MBR or EBR @sec into @p (number i + 1,
 * start and size as stored, relative to nothing). Returns false if the
 * entry is unused (type 0 or size 0).
 */
bool ptab_mbr_entry(const u8 *sec, unsigned int i, struct ptab_part *p);

/*
 * Validate an MBR a host wants to flash on a disk of @nr_lbas: signature,
 * boot flags 0x00/0x80, not a protective MBR, every used entry starting
 * after LBA 0 and ending inside the disk, no two overlapping, at most one
 * extended partition. Returns 0 or -EINVAL with the reason in @why.
 */
int ptab_mbr_check(const u8 *sec, u64 nr_lbas, char *why, size_t why_len);

/*
 * Follow one link of an EBR chain: @sec is the EBR read from @ebr_lba,
 * inside the extended partition [@ext_first, @ext_first + @ext_lbas).
 * As Linux reads it (block/partitions/msdos.c): every used entry of a
 * non-extended type is a logical partition (start relative to the EBR;
 * entries 3 and 4 are ignored if they lie outside the extended
 * partition), the first used extended entry is the link (start relative
 * to @ext_first). Fills @p (PTAB_MBR_PARTS entries) with the logical
 * partitions in absolute LBAs (@p->number is left 0 for the caller, who
 * must check they lie on the disk) and returns how many, 0..4; *@next is
 * the next EBR's LBA or 0 at the end of the chain. -EINVAL (bad
 * signature, link outside the extended partition or to itself) with @why.
 * Callers follow at most PTAB_EBR_MAX links.
 */
int ptab_ebr_next(const u8 *sec, u64 ebr_lba, u64 ext_first, u64 ext_lbas,
		  struct ptab_part *p, u64 *next, char *why, size_t why_len);

/* ---- GPT ---- */

/*
 * Decode and validate the GPT header in @sec (@lbsz bytes) read from
 * @lba of a disk of @nr_lbas: signature, header size (92 .. @lbsz),
 * header CRC, my_lba == @lba, entry size (128 << n, at most
 * PTAB_GPT_ENTRY_MAX), entry count (1.., array at most PTAB_GPT_ARRAY_MAX
 * bytes), first_usable <= last_usable, room for both headers and both
 * entries arrays outside the usable LBAs (primary array after LBA 1 and
 * before first_usable, backup array after last_usable and before the last
 * LBA), this header's array inside the disk and not over a header or the
 * usable LBAs. alternate_lba is decoded but not trusted. Returns 0 or
 * -EINVAL with @why ("gpt: header CRC bad").
 */
int ptab_gpt_header(const u8 *sec, u32 lbsz, u64 lba, u64 nr_lbas,
		    struct ptab_gpt *g, char *why, size_t why_len);

/* True if the entry @e (at least PTAB_GPT_ENTRY_LEN bytes) is used. */
bool ptab_gpt_entry_used(const u8 *e);

/* Decode entry @e, index @idx (number @idx + 1), into @p. */
void ptab_gpt_entry(const u8 *e, u32 idx, struct ptab_part *p);

/*
 * True if the name of entry @e is exactly the ASCII @name (@len bytes):
 * each UTF-16LE code unit equal to the character, then a NUL unit or the
 * end of the 36 units. Case-sensitive.
 */
bool ptab_gpt_name_eq(const u8 *e, const char *name, size_t len);

/*
 * Validate the entries array @ents (g->entries_bytes bytes) of header
 * @g: CRC, each used entry with first <= last inside the usable LBAs,
 * no two overlapping. Returns 0 or -EINVAL with @why
 * ("gpt: partition 3 overlaps partition 2").
 */
int ptab_gpt_check_entries(const struct ptab_gpt *g, const u8 *ents,
			   char *why, size_t why_len);

/*
 * Validate a GPT image a host wants to flash on a disk of @nr_lbas LBAs
 * of @lbsz bytes: @img (@len bytes) holds LBA 0 (protective MBR: 55 AA,
 * an entry of type 0xee starting at LBA 1, other entries inside the disk),
 * LBA 1 (primary header, see ptab_gpt_header() against the target disk)
 * and the entries array where the header says (see
 * ptab_gpt_check_entries()); anything after that is ignored. Fills @g.
 * Returns 0, -EINVAL or -ENODATA (image too short for what its header
 * says) with @why.
 */
int ptab_gpt_image_check(const u8 *img, size_t len, u32 lbsz, u64 nr_lbas,
			 struct ptab_gpt *g, char *why, size_t why_len);

/*
 * Build the sectors written for a checked GPT image (@g from
 * ptab_gpt_image_check()) on a disk of @nr_lbas:
 *  @mbr (@lbsz bytes, in/out): the image's LBA 0; if the 0xee entry is
 *  the only one (a protective, not a hybrid MBR), its size is set to the
 *  disk (nr_lbas - 1, at most 0xffffffff);
 *  @hdr (@lbsz bytes, in/out): the image's LBA 1; alternate_lba is set to
 *  the last LBA and the CRC recomputed;
 *  @backup (@lbsz bytes, out): the backup header for the last LBA
 *  (my_lba and alternate_lba swapped, entries_lba = last LBA -
 *  entries_lbas, CRC recomputed; the rest of the sector as @hdr's).
 * The entries array is written unchanged to both places. Returns the LBA
 * of the backup entries array.
 */
u64 ptab_gpt_build(const struct ptab_gpt *g, u32 lbsz, u64 nr_lbas,
		   u8 *mbr, u8 *hdr, u8 *backup);

#endif /* _IMXFLASH_PART_TABLE_H */
