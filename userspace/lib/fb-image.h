/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fastboot host library: the image a flash sends, as build systems ship
 * it (fastboot-lite(1), "IMAGES"): plain or compressed (decomp.h: gzip,
 * xz, zstd, bzip2, recognised by magic), raw or Android sparse, with or
 * without a bmap (bmap.h).
 *
 * fb_image_open() decides how the file goes out:
 *  - with a bmap: always as sparse pieces (fb-split.h) whose RAW chunks
 *    are the mapped ranges and whose DONT_CARE chunks are the rest, so
 *    that unmapped blocks are neither sent nor written. The data is read
 *    once, in order, through an image source (img-source.h) that checks
 *    every range's checksum when it reads the range's last bytes: a bad
 *    range fails the read of the piece that holds its end, so that piece
 *    is never flashed.
 *  - a plain file without bmap: the file itself (@fd), read with pread():
 *    sent whole when it fits, else described by fb_image_describe().
 *  - a compressed file without bmap: a first pass through the
 *    decompressor describes the uncompressed image (fb_split_scan_in():
 *    its size, its FILL/RAW extents or its sparse chunks) and proves the
 *    compressed data intact (the decompressor exited 0), without keeping
 *    the image; the data then comes from a second pass, read in order as
 *    the pieces (or the whole image) are sent. The file must not change
 *    in between: same inode, size and modification time, same
 *    uncompressed size (fb_image_finish() checks).
 *
 * Memory: the extent list (24 bytes per extent, one or two per bmap
 * range), a 1 MiB scan buffer in the first pass, a 64 KiB skip buffer;
 * never the image or a piece of it.
 *
 * Data that came through a decompressor is only known to be good once
 * it has exited 0 after the last byte: fb_image_finish() reads to the
 * end and checks that (and the bmap's ImageSize); a flash calls it
 * before it commits the last piece.
 */
#ifndef FB_IMAGE_H
#define FB_IMAGE_H

#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <imxflash/pure.h>

#include "bmap.h"
#include "decomp.h"
#include "fb-split.h"
#include "img-source.h"

#define FB_IMAGE_SKIP_BUF	(64u << 10)

struct fb_image {
	const char *path;
	enum decomp_fmt fmt;	/* compression of the file */
	bool sparse;		/* an Android sparse image */
	bool mapped;		/* sent through the bmap @map */
	bool described;		/* @split holds the image's extents */
	int fd;			/* plain file without bmap, else -1 */
	u64 size;		/* bytes of the (uncompressed) image */
	u64 out_size;		/* bytes it covers when sent whole */
	struct fb_split split;
	struct bmap map;
	char bmap_path[PATH_MAX];	/* "" without bmap */
	/* data read in order: compressed, or through the bmap */
	struct fb_split_in in;
	struct imgsrc src;
	bool src_open;
	bool in_range;		/* @cur is being read */
	bool in_failed;		/* @why was set since the scan began */
	struct imgsrc_range cur;
	u8 *skip;		/* FB_IMAGE_SKIP_BUF bytes */
	struct stat st;		/* the file at the first pass */
	const volatile int *cancel;
	char why[600];		/* reason of the last error */
};

/*
 * Open @path and find out how it goes (above). @bmap: the bmap to use;
 * NULL: the one found next to @path (fb_image_find_bmap()); @no_bmap:
 * none. @cancel: as imgsrc_set_cancel(). Returns 0, or -errno with
 * @im->why set (the path of the image is not in it, that of the bmap is)
 * and nothing left open: the errors of open/read, -EINVAL (empty, not a
 * file, a bmap for a sparse image, malformed sparse image), -ENOENT (no
 * such file, or the decompressor is not installed: the message names its
 * package), -EBADMSG (the image does not match its bmap, or a bad
 * bmap checksum), -EIO (the decompressor failed), the errors of
 * bmap_load() and fb_split_scan_in(), -EINTR (cancelled).
 */
int fb_image_open(struct fb_image *im, const char *path, const char *bmap,
		  bool no_bmap, const volatile int *cancel);

/*
 * The bmap that goes with @path, into @out (@size bytes): PATH.bmap, or
 * for a compressed file also PATH without its last extension plus .bmap
 * (img.wic.zst: img.wic.bmap, the names Yocto and bmaptool use). 1 when
 * found, 0 when not.
 */
int fb_image_find_bmap(const char *path, bool compressed, char *out,
		       size_t size);

/* A plain image without bmap: describe it (fb_split_scan()) to split it. */
int fb_image_describe(struct fb_image *im);

/*
 * Exactly @len bytes of the image at @off into @buf, for an image sent
 * whole. Offsets only grow (compressed input is read in order). 0, or
 * -errno with @im->why set.
 */
int fb_image_read(struct fb_image *im, u64 off, void *buf, size_t len);

/*
 * Everything sent so far is from an intact image: read the input to its
 * end and check it (checksums of ranges not read yet, ImageSize, the
 * decompressor's exit status, the file unchanged since the first pass).
 * 0, or -errno with @im->why set. Nothing to do for plain files without
 * bmap.
 */
int fb_image_finish(struct fb_image *im);

/*
 * Read the image again from its start (an image read in order: the
 * decompressor and the bmap's ranges start over; the file must not have
 * changed). Nothing to do for a plain file without bmap. 0, or -errno
 * with @im->why set.
 */
int fb_image_rewind(struct fb_image *im);

/*
 * Read the whole image as a flash would send it, with no device: its
 * bmap's checksums, the decompressor's verdict, a sparse image's
 * structure, all checked; the sparse bytes produced counted in @sent
 * (pieces of FB_IMAGE_CHECK_PIECE bytes). 0, or -errno with @im->why
 * set, as the flash would have failed. After fb_image_open().
 */
#define FB_IMAGE_CHECK_PIECE	0xffffffffull	/* one download's limit */
#define FB_IMAGE_CHECK_BUF	(1u << 20)
int fb_image_check(struct fb_image *im, u64 *sent);

/* Bytes of the bmap's mapped ranges (0 without bmap). */
u64 fb_image_mapped_bytes(const struct fb_image *im);

void fb_image_close(struct fb_image *im);

#endif /* FB_IMAGE_H */
