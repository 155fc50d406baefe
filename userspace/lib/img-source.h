/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Image source: the bytes an image defines, read once from a plain or
 * compressed file (decomp.h), range by range as an optional bmap
 * (bmap.h) maps them, with every range's checksum verified while it is
 * read. This is what a flash reads its input through.
 *
 * With a bmap, imgsrc_next() moves to the next mapped range, skipping
 * the unmapped bytes before it (an lseek() on plain input, read and
 * dropped from a compressed stream) and imgsrc_read() returns the range's
 * bytes. The read that completes a range checks its digest before it
 * returns: on a mismatch it fails (-EBADMSG, naming the range, its
 * blocks and its line in the bmap) and hands out none of its bytes, so
 * a consumer that sends what it read can never have sent a whole range
 * that is wrong. After the last range the rest of the stream is read to
 * its end: the image must be exactly ImageSize bytes and the
 * decompressor must succeed, else imgsrc_next() fails instead of
 * reporting the end.
 *
 * Without a bmap the whole image is one range without checksum (of
 * unknown length when compressed: imgsrc_read() returns 0 at its end).
 *
 * Memory: the caller's buffer, IMGSRC_SCRATCH bytes to skip through,
 * and the bmap; never the image.
 */
#ifndef IMG_SOURCE_H
#define IMG_SOURCE_H

#include <stdbool.h>
#include <sys/types.h>

#include <imxflash/pure.h>

#include "bmap.h"
#include "decomp.h"
#include "digest.h"

#define IMGSRC_SCRATCH		(64u << 10)
#define IMGSRC_LEN_UNKNOWN	(~0ull)

/* imgsrc_open() flags */
#define IMGSRC_HASH_IMAGE	0x1	/* SHA-256 of every image byte */

struct imgsrc_range {
	size_t index;		/* in the bmap's range[]; 0 without a bmap */
	u64 first, last;	/* blocks of the bmap; 0, 0 without one */
	u64 off;		/* byte offset in the image */
	u64 len;		/* bytes, or IMGSRC_LEN_UNKNOWN */
	u32 line;		/* the range's line in the bmap, 0 without */
};

struct imgsrc {
	struct decomp z;
	const struct bmap *map;		/* NULL: the whole image */
	unsigned int flags;
	const volatile int *cancel;	/* set: a signal means stop */
	u64 size;		/* image bytes, or IMGSRC_LEN_UNKNOWN */
	size_t next;		/* the next range to start */
	bool in_range;		/* cur is being read */
	bool done;		/* the end was reached and checked */
	int err;		/* first error, returned again after it */
	struct imgsrc_range cur;
	u64 left;		/* bytes of cur not read yet */
	struct digest_ctx dc;	/* of cur, when it has a digest */
	struct sha256_ctx img;	/* IMGSRC_HASH_IMAGE */
	u8 img_digest[SHA256_DIGEST_LEN];
	u8 *scratch;
	char why[400];		/* reason of the last error */
};

/*
 * Open @path (plain or compressed) with the bmap @map (may be NULL; it
 * must stay valid until imgsrc_close()). A plain file must be exactly
 * ImageSize bytes. 0, or -errno with @s->why set; the errors of
 * decomp_open(), -EBADMSG (size differs from the bmap), -ENOMEM.
 */
int imgsrc_open(struct imgsrc *s, const char *path, const struct bmap *map,
		unsigned int flags);

/*
 * Abandon a read when *@cancel is non-zero and a signal interrupts it
 * (-EINTR); other interruptions are resumed.
 */
static inline void imgsrc_set_cancel(struct imgsrc *s,
				     const volatile int *cancel)
{
	s->cancel = cancel;
}

/*
 * Finish the current range (its unread bytes are read and verified) and
 * move to the next one: 1 with @r filled in, 0 at the end of an image
 * that was entirely valid, -errno with @s->why set: -EBADMSG (a checksum
 * or the size differs from the bmap), the errors of decomp_read().
 */
int imgsrc_next(struct imgsrc *s, struct imgsrc_range *r);

/*
 * Exactly min(@len, bytes left in the range) bytes of the current range
 * into @buf (fewer only at the end of an image of unknown length), 0 at
 * the range's end, or -errno as imgsrc_next(); -EBADMSG when these are
 * the range's last bytes and its checksum does not match.
 */
ssize_t imgsrc_read(struct imgsrc *s, void *buf, size_t len);

/*
 * With IMGSRC_HASH_IMAGE, after imgsrc_next() returned 0: the SHA-256 of
 * all the image's bytes (mapped or not). 0, or -EAGAIN before that.
 */
int imgsrc_image_sha256(const struct imgsrc *s, u8 out[SHA256_DIGEST_LEN]);

/* Uncompressed bytes consumed so far (read or skipped). */
static inline u64 imgsrc_pos(const struct imgsrc *s)
{
	return s->z.out_bytes;
}

void imgsrc_close(struct imgsrc *s);

#endif /* IMG_SOURCE_H */
