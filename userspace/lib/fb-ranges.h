/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fastboot host library: the bytes an image defines, as ranges of the
 * partition it is flashed to, and how to find the first range where the
 * partition holds something else (fastboot-lite(1), "VERIFY").
 *
 * What an image defines: a raw image, every byte of it (not the zeros a
 * flash may pad its last block with); an Android sparse image, its RAW
 * and FILL chunks, never its DONT_CARE ones; an image with a bmap, its
 * mapped blocks up to ImageSize. The map is a list of segments (a piece
 * of RAW data at an offset of the image file, or a FILL pattern) in
 * ascending partition order; adjacent segments form one range, so a raw
 * image is one range and a sparse image one range per run between
 * DONT_CARE chunks.
 *
 * The device side of a comparison hashes lists of partition byte spans
 * (fastboot_ranges.h, "oem sha256"); fbr_hash() computes the same digest
 * from the image, fbr_text() writes such a list. fbr_bisect() narrows a
 * list whose digests differ down to its first differing range and then
 * to a block inside it, asking both sides for digests of halves: about
 * log2(ranges) + log2(range bytes / grain) questions, each reading no
 * more than the half it asks about.
 */
#ifndef FB_RANGES_H
#define FB_RANGES_H

#include <stdbool.h>
#include <stddef.h>

#include <imxflash/pure.h>

#include "sha256.h"

struct fb_image;

/* A piece of what the image defines, in partition bytes. */
struct fbr_seg {
	u64 off;	/* in the partition */
	u64 len;
	u64 src;	/* RAW: where its data starts in the image file */
	bool raw;	/* RAW data, else the FILL pattern @fill repeated */
	u8 fill[4];
};

/* A span of partition bytes. */
struct fbr_span {
	u64 off;
	u64 len;
};

struct fbr_map {
	struct fbr_seg *seg;		/* ascending, not overlapping */
	size_t nseg, seg_cap;
	struct fbr_span *range;		/* maximal runs of adjacent segs */
	size_t nrange, range_cap;
	u64 bytes;			/* sum of the lengths */
	char why[200];			/* reason of the last error */
};

/*
 * Append @s (len > 0, starting at or after the end of the last one):
 * 0, -EINVAL (out of order, empty, past 2^64), -ENOMEM.
 */
int fbr_add(struct fbr_map *m, const struct fbr_seg *s);

/*
 * The map of the image @im (fb-image.h, opened; a plain image without
 * bmap is described here if it is sparse). 0 or -errno with @m->why.
 */
int fbr_map_image(struct fbr_map *m, struct fb_image *im);

void fbr_free(struct fbr_map *m);

/* Keep only the bytes below @end (what a device writes of an "mbr"). */
void fbr_clip(struct fbr_map *m, u64 end);

/*
 * Where RAW data comes from: exactly @len bytes at @off of the image file
 * into @buf, 0 or -errno (the source keeps its own reason). Offsets may
 * go back (a source that reads in order starts again).
 */
struct fbr_src {
	int (*read)(struct fbr_src *src, u64 off, void *buf, size_t len);
};

/*
 * The @len bytes the map defines at partition offset @off (inside one
 * range) into @buf. -EINVAL if they are not all defined.
 */
int fbr_read(const struct fbr_map *m, struct fbr_src *src, u64 off,
	     void *buf, size_t len);

/* SHA-256 of the defined bytes of @n spans, concatenated in order. */
int fbr_hash(const struct fbr_map *m, struct fbr_src *src,
	     const struct fbr_span *sp, size_t n, u8 out[SHA256_DIGEST_LEN]);

/*
 * @n spans as the range list of "oem sha256" ("0x<off>:0x<len>\n" each),
 * NUL-terminated, in a malloc()ed buffer; its length in *@len. NULL when
 * out of memory.
 */
char *fbr_text(const struct fbr_span *sp, size_t n, size_t *len);

/* The spans of ranges [@lo, @hi) whose text fits in @max bytes: count. */
size_t fbr_fit(const struct fbr_span *sp, size_t lo, size_t hi, size_t max);

/*
 * The two sides of a comparison: the SHA-256 of the bytes of @n spans,
 * as the device holds them (@device) and as the image defines them
 * (@host). 0 or -errno.
 */
struct fbr_oracle {
	int (*device)(struct fbr_oracle *o, const struct fbr_span *sp,
		      size_t n, u8 out[SHA256_DIGEST_LEN]);
	int (*host)(struct fbr_oracle *o, const struct fbr_span *sp,
		    size_t n, u8 out[SHA256_DIGEST_LEN]);
};

/* What fbr_bisect() found. */
struct fbr_diff {
	size_t range;		/* index in the list given */
	u64 off, len;		/* the first differing piece of it */
	unsigned int questions;	/* digest pairs asked for */
};

/*
 * @sp[0..@n) differ as a whole: find the first range that differs, then
 * the first piece of at most @grain bytes (a power of two, aligned to
 * the range's start) inside it. 0 with @d filled in; 1 when no range
 * differs after all (the storage changed between the questions); or the
 * oracle's error.
 */
int fbr_bisect(struct fbr_oracle *o, const struct fbr_span *sp, size_t n,
	       u64 grain, struct fbr_diff *d);

#endif /* FB_RANGES_H */
