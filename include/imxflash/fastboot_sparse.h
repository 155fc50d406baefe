/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Android sparse images: a streaming decoder (device side) and header
 * encoders (host side). Pure C (see pure.h).
 *
 * Format (Documentation/fastboot-protocol.rst, "Sparse format"; AOSP
 * libsparse sparse_format.h), all
 * little-endian: a file header (28 bytes or more), then total_chunks
 * chunks, each a chunk header (12 bytes or more) and its data:
 *   RAW       chunk_sz * blk_sz bytes, copied
 *   FILL      4 bytes, repeated over chunk_sz blocks
 *   DONT_CARE no data, chunk_sz blocks left untouched
 *   CRC32     4 bytes, CRC of the data so far; accepted and ignored (uuu
 *             copies source CRC chunks into split pieces, where they cannot
 *             match; fastbootd and U-Boot do not check them either), and
 *             its chunk_sz is ignored as libsparse does
 *
 * The decoder is fed the image in pieces of any size as they arrive and
 * turns it into operations on the output (the partition), passed to a
 * callback as soon as they are known: RAW data is passed through from the
 * caller's buffer in as many pieces as it arrives in, without copying;
 * only headers (and the 4 FILL bytes) are kept, in a 28-byte buffer.
 *
 * Validation: magic, major version 1, file_hdr_sz >= 28 and chunk_hdr_sz
 * >= 12 (larger: the extra bytes are skipped), blk_sz a non-zero multiple
 * of 4 (and of the storage block size if one is given), known chunk
 * types, total_sz of each chunk exactly what its type needs, chunks never
 * beyond total_blks, the blocks adding up to total_blks, nothing after
 * the last chunk. Bounds: total_blks * blk_sz <= limit is checked on the
 * file header, and each chunk's extent again before any operation of that
 * chunk is passed on, so no operation ever reaches past @limit. All sizes
 * are computed in 64 bits from 32-bit fields, which cannot overflow.
 *
 * Tolerated client behaviour (fastboot-protocol.rst, "Split images" and
 * "Sparse quirks"):
 *  - total_blks need not match the partition or the full image (uuu
 *    pieces count only their own chunks);
 *  - fastboot 29.0.6 omits the trailing DONT_CARE chunk of all but the last
 *    piece of a raw image whose size is not a block multiple, though the
 *    header counts it: a stream that ends exactly where one last chunk
 *    would start, with blocks left to cover, is accepted and the missing
 *    blocks are left untouched (fastboot_sparse_finish() returns
 *    FASTBOOT_SPARSE_SHORT). A chunk cut in the middle is always an error.
 */
#ifndef _IMXFLASH_FASTBOOT_SPARSE_H
#define _IMXFLASH_FASTBOOT_SPARSE_H

#include "pure.h"

#define FASTBOOT_SPARSE_MAGIC		0xed26ff3au
#define FASTBOOT_SPARSE_MAJOR		1
#define FASTBOOT_SPARSE_FILE_HDR_LEN	28
#define FASTBOOT_SPARSE_CHUNK_HDR_LEN	12

/* Chunk types */
#define FASTBOOT_SPARSE_RAW		0xcac1
#define FASTBOOT_SPARSE_FILL		0xcac2
#define FASTBOOT_SPARSE_DONT_CARE	0xcac3
#define FASTBOOT_SPARSE_CRC32		0xcac4

/* Operations passed to the callback */
enum fastboot_sparse_op_type {
	FASTBOOT_SPARSE_OP_WRITE = 1,	/* write @len bytes from @data */
	FASTBOOT_SPARSE_OP_FILL,	/* repeat the 4 bytes @fill over @len bytes */
	FASTBOOT_SPARSE_OP_SKIP,	/* DONT_CARE: leave @len bytes untouched */
};

/**
 * struct fastboot_sparse_op - one output operation
 * @offset: byte offset in the output (the partition)
 * @len:    bytes, never 0; @offset + @len <= the decoder's limit
 * @data:   WRITE: the bytes, inside the buffer given to fastboot_sparse_feed()
 * @fill:   FILL: the pattern as stored in the image (the little-endian
 *          bytes of the 32-bit value), repeated from @offset on; @offset
 *          and @len are multiples of 4
 * @type:   FASTBOOT_SPARSE_OP_*
 *
 * WRITE operations of one RAW chunk come in order with contiguous
 * offsets; operations of successive chunks have increasing offsets.
 */
struct fastboot_sparse_op {
	u64 offset;
	u64 len;
	const u8 *data;
	u8 fill[4];
	u8 type;
};

/* The result of fastboot_sparse_finish() for the fastboot 29.0.6 short piece */
#define FASTBOOT_SPARSE_SHORT		1

/**
 * struct fastboot_sparse - decoder state (initialise with fastboot_sparse_init())
 * @emit:         callback: returns 0, or a negative errno that stops the
 *                decoder and is returned by fastboot_sparse_feed()
 * @ctx:          passed to @emit
 * @why:          reason of the error (static text), NULL if none
 * @limit:        output size (the partition); nothing is emitted past it
 * @left:         RAW: data bytes still to come; FILL/DONT_CARE: output
 *                bytes of the current chunk
 * @pos:          output offset of the next RAW byte / current chunk
 * @blk_sz:       from the file header (0 until it has been read)
 * @total_blks:   from the file header
 * @total_chunks: from the file header
 * @chunks:       chunk headers read so far
 * @blk:          output block where the next chunk starts
 * @align:        required divisor of blk_sz (0 or 1: none)
 * @err:          0 or the sticky negative errno
 * @chunk_hdr_sz: from the file header
 * @skip:         extra header bytes still to skip
 * @state:        internal
 * @type:         internal: current chunk type
 * @hdr_len:      internal: bytes in @hdr
 * @hdr:          internal: header bytes collected so far
 *
 * The fields above @state may be read by the caller (for progress or
 * messages) but not written.
 */
struct fastboot_sparse {
	int (*emit)(void *ctx, const struct fastboot_sparse_op *op);
	void *ctx;
	const char *why;
	u64 limit;
	u64 left;
	u64 pos;
	u32 blk_sz;
	u32 total_blks;
	u32 total_chunks;
	u32 chunks;
	u32 blk;
	u32 align;
	int err;
	u16 chunk_hdr_sz;
	u16 skip;
	u8 state;
	u8 type;
	u8 hdr_len;
	u8 hdr[FASTBOOT_SPARSE_FILE_HDR_LEN];
};

/*
 * True if @buf (@len bytes) starts with the sparse magic. Everything else
 * (version, sizes) is left to the decoder, so that a broken sparse image is
 * reported as such instead of being written raw.
 */
bool fastboot_sparse_is_sparse(const void *buf, size_t len);

/*
 * Start decoding an image into an output of @limit bytes. @align: if > 1,
 * blk_sz must be a multiple of it (the storage block size).
 */
void fastboot_sparse_init(struct fastboot_sparse *s, u64 limit, u32 align,
			  int (*emit)(void *ctx, const struct fastboot_sparse_op *op),
		    void *ctx);

/*
 * Feed the next @len bytes of the image. Operations are emitted before it
 * returns; RAW data pointers are only valid during the callback. Returns
 * 0 or a negative errno, which sticks (every later call returns it and
 * emits nothing):
 *  -EINVAL    malformed header or chunk, data after the last chunk
 *  -ENOSPC    the image or a chunk reaches past @limit
 *  errors returned by the callback
 * s->why names the field.
 */
int fastboot_sparse_feed(struct fastboot_sparse *s, const void *buf, size_t len);

/*
 * End of the input. Returns 0 (complete image), FASTBOOT_SPARSE_SHORT (the
 * last chunk is missing, see above; s->why says so), the sticky error, or
 * -ENODATA if the input ended early (empty, inside a header or a chunk,
 * chunks missing) with s->why saying where. Idempotent.
 */
int fastboot_sparse_finish(struct fastboot_sparse *s);

/* ---- encoder ---- */

/*
 * Write a 28-byte file header (major 1, minor 0, 12-byte chunk headers,
 * image_checksum 0) to @buf. Returns 0 or -EINVAL if @blk_sz is not a
 * non-zero multiple of 4.
 */
int fastboot_sparse_put_file_hdr(u8 *buf, u32 blk_sz, u32 total_blks,
				 u32 total_chunks);

/*
 * Bytes a chunk takes in the image, header included, in *@total_sz.
 * Returns 0, -EINVAL (unknown type, bad @blk_sz, CRC32 with @chunk_sz not
 * 0) or -EOVERFLOW (a RAW chunk too large for the 32-bit total_sz).
 */
int fastboot_sparse_chunk_size(u16 type, u32 chunk_sz, u32 blk_sz, u32 *total_sz);

/*
 * Write a 12-byte chunk header to @buf; the caller appends the data
 * (chunk_sz * blk_sz bytes for RAW, the 4 pattern bytes for FILL, the
 * 4 CRC bytes for CRC32). Errors as fastboot_sparse_chunk_size(); on success
 * *@total_sz (if not NULL) is the chunk's total_sz.
 */
int fastboot_sparse_put_chunk_hdr(u8 *buf, u16 type, u32 chunk_sz, u32 blk_sz,
				  u32 *total_sz);

#endif /* _IMXFLASH_FASTBOOT_SPARSE_H */
