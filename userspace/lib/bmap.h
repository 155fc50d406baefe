/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parser of block maps as bmap-tools' `bmaptool create` writes them
 * (XML, formats 1.0 to 1.4 and 2.x), checked strictly so that a flash
 * never trusts a map that bmaptool itself would read differently.
 *
 * A bmap describes an image of ImageSize bytes cut into BlocksCount
 * blocks of BlockSize bytes (the last one may be short) and lists the
 * mapped ones, the blocks that hold data, as ranges "first-last" (or a
 * single "first"). The other blocks need not be written. What each
 * format adds:
 *   1.0-1.2  a range may carry sha1="hex": SHA-1 of its bytes
 *   1.3      the same, plus BmapFileSHA1: SHA-1 of the bmap file itself,
 *            computed with that digest's own text replaced by zeros
 *   1.4, 2.x ChecksumType names the digest (bmaptool writes sha256; sha1
 *            and sha256 are accepted here), ranges carry chksum="hex",
 *            BmapFileChecksum replaces BmapFileSHA1 (1.4 was released by
 *            mistake and is the same format as 2.0)
 * The digest of a range covers its bytes up to the image's end: the last
 * block of an image whose size is not a multiple of BlockSize is hashed
 * short.
 *
 * Checked: well-formed XML of the subset bmaptool writes (declaration,
 * comments, elements, attributes; no DOCTYPE, entities or CDATA), root
 * <bmap version="M.m"> with a known version, each field present once
 * and decimal, BlocksCount = ceil(ImageSize / BlockSize), ranges inside
 * the image, ascending, not overlapping, adding up to MappedBlocksCount,
 * digests of the right length in hex, the attribute and element names
 * of the file's own format (a sha1= range in a 2.0 file is an error, not
 * a range without checksum), and the bmap file's own checksum. Unknown
 * elements under <bmap> and unknown attributes are ignored: a later 2.x
 * may add them.
 *
 * Errors: -EINVAL malformed (the message names the line and the field),
 * -EOPNOTSUPP a format version or checksum type this parser does not
 * know, -EBADMSG the bmap file's checksum does not match, -ENOMEM;
 * bmap_load() adds the errors of reading the file and -EFBIG.
 */
#ifndef BMAP_H
#define BMAP_H

#include <stdbool.h>
#include <stddef.h>

#include <imxflash/pure.h>

#include "digest.h"

/* bmap_load() refuses larger files (about 6 million ranges). */
#define BMAP_FILE_MAX	(128u << 20)

struct bmap_range {
	u64 first;		/* first block */
	u64 last;		/* last block, inclusive */
	u32 line;		/* line of its <Range> in the bmap file */
	u8 digest_len;		/* bytes of digest, 0: the range has none */
	u8 digest[DIGEST_MAX_LEN];
};

struct bmap {
	u32 major, minor;	/* format version */
	u64 image_size;		/* bytes */
	u32 block_size;		/* bytes, > 0 */
	u64 blocks;		/* BlocksCount */
	u64 mapped;		/* MappedBlocksCount */
	enum digest_type type;	/* of range and file checksums, or NONE */
	bool file_checked;	/* the file's own checksum was verified */
	struct bmap_range *range;
	size_t nranges;
	char why[256];		/* reason of the last error */
};

/*
 * Parse the @len bytes at @text (not terminated) into @b, which the call
 * initialises. On error @b holds no memory and @b->why says what and
 * where. bmap_free() releases a parsed map.
 */
int bmap_parse(struct bmap *b, const char *text, size_t len);

/*
 * Read the file @path (at most BMAP_FILE_MAX bytes) and parse it. The
 * message in @b->why does not repeat @path: the caller prefixes it.
 */
int bmap_load(struct bmap *b, const char *path);

void bmap_free(struct bmap *b);

static inline size_t bmap_digest_len(const struct bmap *b)
{
	return digest_len(b->type);
}

/* Byte offset of a range in the image. */
static inline u64 bmap_range_offset(const struct bmap *b,
				    const struct bmap_range *r)
{
	return r->first * b->block_size;
}

/* Bytes of a range, the last block cut at the image's end. */
static inline u64 bmap_range_bytes(const struct bmap *b,
				   const struct bmap_range *r)
{
	u64 end = (r->last + 1) * b->block_size;

	if (end > b->image_size)
		end = b->image_size;
	return end - r->first * b->block_size;
}

#endif /* BMAP_H */
