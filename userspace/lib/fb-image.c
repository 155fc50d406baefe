// SPDX-License-Identifier: GPL-2.0
/*
 * fastboot host library: the image a flash sends, plain or compressed,
 * with or without a bmap. See fb-image.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/fs.h>

#include <imxflash/fastboot_cmd.h>	/* __printf */
#include <imxflash/fastboot_sparse.h>

#include "fb-image.h"

static __printf(3, 4)
int fail(struct fb_image *im, int err, const char *fmt, ...)
{
	char tmp[sizeof(im->why)];
	va_list ap;

	/* the arguments may be im->why itself */
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	memcpy(im->why, tmp, sizeof(tmp));
	im->in.why = im->why;
	im->in_failed = true;
	return err;
}

static int src_fail(struct fb_image *im, int err)
{
	return fail(im, err, "%s", err == -EINTR ? "interrupted" :
		    im->src.why);
}

int fb_image_find_bmap(const char *path, bool compressed, char *out,
		       size_t size)
{
	const char *name = strrchr(path, '/'), *dot;
	struct stat st;
	int n;

	name = name ? name + 1 : path;
	n = snprintf(out, size, "%s.bmap", path);
	if (n > 0 && (size_t)n < size && !stat(out, &st))
		return 1;
	dot = strrchr(name, '.');
	if (compressed && dot && dot != name) {
		n = snprintf(out, size, "%.*s.bmap", (int)(dot - path), path);
		if (n > 0 && (size_t)n < size && !stat(out, &st))
			return 1;
	}
	out[0] = '\0';
	return 0;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Is the file still the one of the first pass? */
static int check_same(struct fb_image *im)
{
	struct stat st;

	if (fstat(im->src.z.in_fd, &st))
		return fail(im, -errno, "stat: %s", strerror(errno));
	if (!same_file(&im->st, &st))
		return fail(im, -ESTALE,
			    "the file changed while it was read (it is read twice: once to describe the image, once to send it)");
	return 0;
}

/* (Re)start reading the image through the decompressor and @map. */
static int src_start(struct fb_image *im, const struct bmap *map, bool first)
{
	int ret;

	ret = imgsrc_open(&im->src, im->path, map, 0);
	if (ret)
		return fail(im, ret, "%s", im->src.why);
	im->src_open = true;
	im->in_range = false;
	imgsrc_set_cancel(&im->src, im->cancel);
	if (!first)
		return check_same(im);
	if (fstat(im->src.z.in_fd, &im->st))
		return fail(im, -errno, "stat: %s", strerror(errno));
	return 0;
}

/*
 * struct fb_split_in over the image source: the bytes at @off, moving
 * through the ranges of the bmap (or the one range of an image without)
 * and skipping what lies between.
 */
static ssize_t in_read(struct fb_split_in *in, u64 off, void *buf, size_t len)
{
	struct fb_image *im = (struct fb_image *)((char *)in -
					offsetof(struct fb_image, in));
	u64 pos, end;
	ssize_t n;
	int ret;

	if (!im->src_open)
		return fail(im, -EBADF, "internal: the image is not open");
	for (;;) {
		if (!im->in_range) {
			ret = imgsrc_next(&im->src, &im->cur);
			if (ret < 0)
				return src_fail(im, ret);
			if (!ret)
				return 0;
			im->in_range = true;
		}
		pos = imgsrc_pos(&im->src);
		end = im->cur.len == IMGSRC_LEN_UNKNOWN ? ~0ull :
		      im->cur.off + im->cur.len;
		if (off < pos)
			return fail(im, -EINVAL,
				    "internal: data wanted at byte %llu, the image was read up to byte %llu",
				    (unsigned long long)off,
				    (unsigned long long)pos);
		if (off >= end) {
			im->in_range = false;	/* the next range */
			continue;
		}
		if (off > pos) {
			if (!im->skip) {
				im->skip = malloc(FB_IMAGE_SKIP_BUF);
				if (!im->skip)
					return fail(im, -ENOMEM,
						    "out of memory");
			}
			n = imgsrc_read(&im->src, im->skip,
					off - pos < FB_IMAGE_SKIP_BUF ?
					(size_t)(off - pos) : FB_IMAGE_SKIP_BUF);
		} else {
			n = imgsrc_read(&im->src, buf, len);
		}
		if (n < 0)
			return src_fail(im, (int)n);
		if (!n) {
			im->in_range = false;	/* the end of this range */
			continue;
		}
		if (off > pos)
			continue;
		/* a bmap maps raw images: a sparse one would go out as is */
		if (im->mapped && !off && fastboot_sparse_is_sparse(buf, n))
			return fail(im, -EINVAL,
				    "an Android sparse image, which bmap %s cannot describe (a bmap maps a raw image): flash it with --no-bmap",
				    im->bmap_path);
		return n;
	}
}

/* Size of a regular file or block device. */
static int file_size(int fd, u64 *size)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (S_ISREG(st.st_mode)) {
		*size = (u64)st.st_size;
		return 0;
	}
	if (S_ISBLK(st.st_mode))
		return ioctl(fd, BLKGETSIZE64, size) ? -errno : 0;
	return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
}

static int open_mapped(struct fb_image *im)
{
	int ret;

	ret = bmap_load(&im->map, im->bmap_path);
	if (ret)
		return fail(im, ret, "bmap %s: %s", im->bmap_path,
			    im->map.why);
	im->mapped = true;
	if (im->sparse)
		return fail(im, -EINVAL,
			    "an Android sparse image, which bmap %s cannot describe (a bmap maps a raw image): flash it with --no-bmap",
			    im->bmap_path);
	ret = fb_split_from_bmap(&im->split, &im->map, &im->in);
	if (ret)
		return fail(im, ret, "bmap %s: %s", im->bmap_path,
			    im->split.why);
	im->described = true;
	im->size = im->map.image_size;
	im->out_size = im->size;
	ret = src_start(im, &im->map, true);
	if (ret == -EBADMSG)
		return fail(im, ret, "%s (bmap %s)", im->why, im->bmap_path);
	return ret;
}

/* The first pass: what the decompressed image is, and that it is intact. */
static int open_compressed(struct fb_image *im)
{
	int ret;

	ret = src_start(im, NULL, true);
	if (ret)
		return ret;
	im->in_failed = false;
	ret = fb_split_scan_in(&im->split, &im->in);
	if (ret)
		/* the input's own message is longer than the scan's copy */
		return im->in_failed ? ret : fail(im, ret, "%s", im->split.why);
	im->described = true;
	im->size = im->split.file_size;
	im->sparse = im->split.sparse;
	im->out_size = im->sparse ? fb_split_out_size(&im->split) : im->size;
	imgsrc_close(&im->src);
	im->src_open = false;
	/* the second, read as the data is sent */
	return src_start(im, NULL, false);
}

int fb_image_open(struct fb_image *im, const char *path, const char *bmap,
		  bool no_bmap, const volatile int *cancel)
{
	u8 head[FASTBOOT_SPARSE_FILE_HDR_LEN];
	ssize_t n;
	int fd, ret;

	memset(im, 0, sizeof(*im));
	im->fd = -1;
	im->path = path;
	im->cancel = cancel;
	im->in.read = in_read;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(im, -errno, "%s", strerror(errno));
	ret = file_size(fd, &im->size);
	if (ret) {
		close(fd);
		return fail(im, ret, "%s", ret == -EINVAL ?
			    "not a regular file" : strerror(-ret));
	}
	if (!im->size) {
		close(fd);
		return fail(im, -EINVAL, "empty file");
	}
	do {
		n = pread(fd, head, sizeof(head), 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		ret = -errno;
		close(fd);
		return fail(im, ret, "read: %s", strerror(-ret));
	}
	im->fmt = decomp_detect(head, (size_t)n);
	im->sparse = im->fmt == DECOMP_PLAIN && n == (ssize_t)sizeof(head) &&
		     fastboot_sparse_is_sparse(head, sizeof(head));
	if (bmap && !no_bmap) {
		if (snprintf(im->bmap_path, sizeof(im->bmap_path), "%s",
			     bmap) >= (int)sizeof(im->bmap_path)) {
			close(fd);
			return fail(im, -ENAMETOOLONG, "bmap path too long");
		}
	} else if (!no_bmap) {
		fb_image_find_bmap(path, im->fmt != DECOMP_PLAIN,
				   im->bmap_path, sizeof(im->bmap_path));
	}
	if (!im->bmap_path[0] && im->fmt == DECOMP_PLAIN) {
		im->fd = fd;
		im->out_size = im->size;
		if (im->sparse)
			/* expanded: blk_sz * total_blks */
			im->out_size = (u64)imxf_get_le32(head + 12) *
				       imxf_get_le32(head + 16);
		return 0;
	}
	close(fd);
	ret = im->bmap_path[0] ? open_mapped(im) : open_compressed(im);
	if (ret) {
		/* the reason stays */
		fb_image_close(im);
		im->in.why = im->why;
	}
	return ret;
}

int fb_image_describe(struct fb_image *im)
{
	int ret;

	if (im->described)
		return 0;
	ret = fb_split_scan(&im->split, im->fd, im->size);
	if (ret)
		return fail(im, ret, "%s", im->split.why);
	im->described = true;
	return 0;
}

int fb_image_read(struct fb_image *im, u64 off, void *buf, size_t len)
{
	u8 *p = buf;
	ssize_t n;

	while (len) {
		if (im->fd >= 0) {
			n = pread(im->fd, p, len, (off_t)off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return fail(im, -errno, "read at offset %llu: %s",
					    (unsigned long long)off,
					    strerror(errno));
		} else {
			n = in_read(&im->in, off, p, len);
			if (n < 0)
				return (int)n;
		}
		if (!n)
			return fail(im, -EIO, "the image ends at byte %llu, before its %llu bytes (%s)",
				    (unsigned long long)off,
				    (unsigned long long)im->size,
				    im->fd >= 0 ? "the file shrank" :
				    "it changed while it was read");
		p += n;
		off += (u64)n;
		len -= (size_t)n;
	}
	return 0;
}

int fb_image_finish(struct fb_image *im)
{
	struct imgsrc_range r;
	int ret;

	if (!im->src_open)
		return 0;
	im->in_range = false;
	do {
		ret = imgsrc_next(&im->src, &r);
	} while (ret > 0);
	if (ret < 0)
		return src_fail(im, ret);
	if (im->mapped)
		return 0;
	if (imgsrc_pos(&im->src) != im->size)
		return fail(im, -ESTALE,
			    "the file changed while it was read: %llu bytes uncompressed, then %llu",
			    (unsigned long long)im->size,
			    (unsigned long long)imgsrc_pos(&im->src));
	return check_same(im);
}

int fb_image_rewind(struct fb_image *im)
{
	if (im->fd >= 0)
		return 0;
	if (im->src_open)
		imgsrc_close(&im->src);
	im->src_open = false;
	return src_start(im, im->mapped ? &im->map : NULL, false);
}

int fb_image_check(struct fb_image *im, u64 *sent)
{
	struct fb_split_reader r;
	u64 left;
	size_t i, n;
	u8 *buf;
	int ret;

	*sent = 0;
	ret = fb_image_describe(im);
	if (ret)
		return ret;
	ret = fb_split_plan(&im->split, FB_IMAGE_CHECK_PIECE);
	if (ret)
		return fail(im, ret, "%s", im->split.why);
	buf = malloc(FB_IMAGE_CHECK_BUF);
	if (!buf)
		return fail(im, -ENOMEM, "out of memory");
	for (i = 0; i < im->split.npieces && !ret; i++) {
		fb_split_reader_init(&r, &im->split, i);
		for (left = im->split.piece[i].bytes; left && !ret; left -= n) {
			n = left < FB_IMAGE_CHECK_BUF ? (size_t)left :
			    FB_IMAGE_CHECK_BUF;
			ret = fb_split_read(&r, buf, n);
			if (!ret)
				*sent += n;
		}
	}
	free(buf);
	if (ret) {
		/* the input's reason is in im->why already */
		if (!im->split.in || im->split.in->why != im->why)
			fail(im, ret, "%s", im->split.in && im->split.in->why ?
			     im->split.in->why : im->split.why);
		return ret;
	}
	return fb_image_finish(im);
}

u64 fb_image_mapped_bytes(const struct fb_image *im)
{
	u64 n = 0;
	size_t i;

	if (!im->mapped)
		return 0;
	for (i = 0; i < im->map.nranges; i++)
		n += bmap_range_bytes(&im->map, &im->map.range[i]);
	return n;
}

void fb_image_close(struct fb_image *im)
{
	if (im->fd >= 0)
		close(im->fd);
	im->fd = -1;
	if (im->src_open)
		imgsrc_close(&im->src);
	im->src_open = false;
	fb_split_free(&im->split);
	bmap_free(&im->map);
	free(im->skip);
	im->skip = NULL;
}
