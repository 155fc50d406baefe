/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fastboot host library: cutting an image that does not fit the device's
 * download buffer into sparse pieces (Documentation/fastboot-protocol.rst,
 * "Split images" and "Sparse quirks").
 *
 * fb_split_scan() reads the image once and describes it as extents of
 * output blocks:
 *  - raw input: 4096-byte blocks; a block whose 32-bit words are all
 *    equal is FILL (zeros are FILL 0, never DONT_CARE, so the partition
 *    gets them); neighbours of the same kind merge; the last partial
 *    block is padded with zeros;
 *  - sparse input: its chunks, validated by the pure decoder
 *    (fastboot_sparse.h) without touching the RAW data (the file is
 *    mapped window by window), DONT_CARE and FILL kept, CRC32 dropped.
 * Only this description is kept in memory, never the image.
 *
 * fb_split_plan() cuts the extents into pieces of at most @max bytes.
 * Every piece is a complete sparse image of the whole output (total_blks
 * of the full image): a leading DONT_CARE up to its first block (except
 * the first piece), its chunks, a trailing DONT_CARE up to the end
 * (except the last). RAW extents are cut at block boundaries to fill
 * the pieces; FILL and DONT_CARE are never cut. The device applies the
 * pieces in turn, each from block 0 of the partition, and keeps no state
 * between them.
 *
 * fb_split_read() produces the bytes of one piece in order, reading RAW
 * data from the file with pread() as it goes.
 *
 * Images that cannot be read at random (a compressed file, an image with
 * a bmap read through its checksums: fb-image.h) come through a struct
 * fb_split_in instead of the file: fb_split_scan_in() describes such an
 * input in one pass, fb_split_from_bmap() from its bmap alone, and the
 * pieces, read one after the other, ask it for RAW data in file order.
 */
#ifndef FB_SPLIT_H
#define FB_SPLIT_H

#include <sys/types.h>

#include <imxflash/fastboot_sparse.h>

#define FB_SPLIT_RAW_BLK	4096u

struct bmap;

/*
 * Input read in order. @read puts up to @len bytes found at offset @off
 * of the input into @buf and returns their count (fewer only at the end
 * of the input, 0 there), or -errno with @why set. @off never goes back:
 * a call starts at or after the end of the previous one, and the bytes
 * in between are skipped.
 */
struct fb_split_in {
	ssize_t (*read)(struct fb_split_in *in, u64 off, void *buf, size_t len);
	const char *why;	/* reason of the last error */
};

/* One extent of output blocks. */
struct fbs_ext {
	u64 file_off;	/* RAW: file offset of its first block */
	u32 blk;		/* first output block */
	u32 nblks;		/* blocks */
	u8 fill[4];	/* FILL: the pattern as stored */
	u16 type;		/* FASTBOOT_SPARSE_RAW, _FILL, _DONT_CARE */
};

/* A position in the extent list: extent @e, @off blocks into it. */
struct fbs_pos {
	size_t e;
	u32 off;
};

/* One piece: the extents from @from to @to (exclusive). */
struct fbs_piece {
	struct fbs_pos from, to;
	u32 start_blk;	/* output block of the first chunk */
	u32 end_blk;	/* output block after the last chunk */
	u32 nchunks;	/* chunks, DONT_CARE padding included */
	u64 bytes;		/* size of the piece */
};

struct fb_split {
	int fd;
	struct fb_split_in *in;	/* set: read through it, not from @fd */
	bool sparse;		/* input is a sparse image */
	u64 file_size;
	u32 blk_sz;
	u32 total_blks;
	struct fbs_ext *ext;
	size_t next, ext_cap;
	struct fbs_piece *piece;
	size_t npieces;
	u64 total_bytes;	/* sum of the pieces */
	char why[160];		/* reason of the last error */
};

/*
 * Describe the image in @fd (@size bytes). Returns 0, or -errno with
 * @s->why set: -EINVAL (malformed sparse image, empty file), -EFBIG
 * (more than 2^32 blocks), -ENOMEM, read errors.
 */
int fb_split_scan(struct fb_split *s, int fd, u64 size);

/*
 * The same for an input read in order, whose size is known at its end
 * (@s->file_size). Errors as fb_split_scan(), and those of @in (its
 * message in @s->why).
 */
int fb_split_scan_in(struct fb_split *s, struct fb_split_in *in);

/*
 * Describe the image that the bmap @b maps, read from @in: its mapped
 * ranges RAW, the rest DONT_CARE (neither sent nor written), in blocks of
 * the map's BlockSize; @s->file_size is its ImageSize (the last block
 * may be short: it is padded with zeros). -EINVAL when BlockSize is not
 * a multiple of 4 (sparse images need that), -EFBIG, -ENOMEM.
 */
int fb_split_from_bmap(struct fb_split *s, const struct bmap *b,
		       struct fb_split_in *in);

/*
 * Cut into pieces of at most @max bytes. Returns 0, or -EINVAL with
 * @s->why if @max cannot hold even one block with its headers.
 */
int fb_split_plan(struct fb_split *s, u64 max);

/* Expanded size of the image (output bytes). */
static inline u64 fb_split_out_size(const struct fb_split *s)
{
	return (u64)s->total_blks * s->blk_sz;
}

void fb_split_free(struct fb_split *s);

/* Sequential reader of one piece. */
struct fb_split_reader {
	const struct fb_split *s;
	const struct fbs_piece *p;
	struct fbs_pos pos;	/* next extent to emit */
	int stage;		/* internal */
	u8 hdr[FASTBOOT_SPARSE_FILE_HDR_LEN];
	u32 hdr_len, hdr_pos;
	u64 raw_off;	/* file offset of the RAW data still due */
	u64 raw_left;	/* RAW bytes still due from the file */
	u64 zero_left;	/* zero padding still due */
	u64 done;		/* bytes produced */
};

void fb_split_reader_init(struct fb_split_reader *r, const struct fb_split *s,
			  size_t piece);

/*
 * The next @len bytes of the piece into @buf. Returns 0, -EIO/-errno on
 * a read error (with an input, its errors, and -EIO when it ends early:
 * its @why says what), -ENODATA when asked for more than the piece holds.
 */
int fb_split_read(struct fb_split_reader *r, void *buf, size_t len);

#endif /* FB_SPLIT_H */
