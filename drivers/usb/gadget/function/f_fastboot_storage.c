// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_fastboot: flash, erase and read-back of a resolved target.
 *
 * All I/O is buffered file I/O on the target's struct file, in the
 * function's worker: kernel_write() straight from the download blocks
 * (no copy), kernel_read() for fetch, vfs_fallocate() for erase and for
 * large zero fills, vfs_fsync() before success is reported. Memory: one
 * page (FILL patterns) and a few LBAs (GPT), whatever the image size.
 *
 * Bounds: every write goes through fb_write()/fb_zero(), which refuse
 * anything outside [0, t->size) of the target; images are checked against
 * the target before the first byte is written (raw: its length; sparse: a
 * complete dry run of the decoder; mbr/gpt: the table against the disk).
 *
 * Keep-alive: the progress callback is called at least every
 * FB_PROGRESS_MS while data moves, and dirty data is written back while
 * the image is written (write-behind in FB_WB_CHUNK windows), so that the
 * final sync is short too. A non-zero return of the callback aborts.
 */
#include <linux/blkdev.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <imxflash/fastboot_cmd.h>
#include <imxflash/fastboot_sparse.h>
#include <imxflash/part_table.h>

#include "u_fastboot.h"

#define FB_PROGRESS_MS	20		/* callback at most this often */
#define FB_WB_CHUNK	SZ_8M		/* write-behind window */
#define FB_ZERO_MIN	SZ_1M		/* smallest fallocate() chunk */
#define FB_ZERO_MAX	SZ_1G		/* largest */
#define FB_ZERO_FILL	SZ_64K		/* zero FILLs from here on: fallocate */

/* How fb_zero() zeroes: the first that works for the target. */
enum {
	FB_Z_PUNCH,	/* FALLOC_FL_PUNCH_HOLE: file holes, WRITE_ZEROES */
	FB_Z_ZERO,	/* FALLOC_FL_ZERO_RANGE (block devices fall back) */
	FB_Z_WRITE,	/* writing zero pages */
};

/**
 * struct fb_io - one flash/erase operation
 * @t:         the target
 * @progress:  callback, may be NULL
 * @ctx:       its argument
 * @done:      progress: bytes of input (flash) or of the target (erase)
 * @total:     progress: the end of @done
 * @written:   bytes written to the medium
 * @wb_lo:     write-behind: target range written since the last kick
 * @wb_hi:     (@wb_lo == @wb_hi: none)
 * @wbp_lo:    write-behind: the range kicked last, not waited for
 * @wbp_hi:
 * @next_cb:   jiffies when the callback is due
 * @zchunk:    fallocate() chunk, adapted to take ~20-50 ms
 * @zmode:     FB_Z_*
 * @erase:     erase: fb_zero() advances @done
 * @fill:      a page for FILL patterns, allocated on first use
 * @fill_pat:  the pattern @fill holds
 * @why:       FAIL text
 * @why_len:   its size
 */
struct fb_io {
	struct fastboot_target *t;
	fastboot_progress_t progress;
	void *ctx;
	u64 done;
	u64 total;
	u64 written;
	u64 wb_lo;
	u64 wb_hi;
	u64 wbp_lo;
	u64 wbp_hi;
	unsigned long next_cb;
	u64 zchunk;
	int zmode;
	bool erase;
	u8 *fill;
	u32 fill_pat;
	char *why;
	size_t why_len;
};

__printf(3, 4)
static int fb_io_fail(struct fb_io *io, int err, const char *fmt, ...)
{
	va_list ap;

	if (io->why && io->why_len) {
		va_start(ap, fmt);
		vsnprintf(io->why, io->why_len, fmt, ap);
		va_end(ap);
	}
	return err;
}

static void fb_io_init(struct fb_io *io, struct fastboot_target *t,
		       fastboot_progress_t progress, void *ctx, u64 total,
		       char *why, size_t why_len)
{
	memset(io, 0, sizeof(*io));
	io->t = t;
	io->progress = progress;
	io->ctx = ctx;
	io->total = total;
	io->why = why;
	io->why_len = why_len;
	io->next_cb = jiffies;
	io->zchunk = SZ_16M;
	if (why && why_len)
		why[0] = '\0';
}

static void fb_io_release(struct fb_io *io)
{
	if (io->fill)
		free_page((unsigned long)io->fill);
	io->fill = NULL;
}

/* The progress callback, rate-limited unless @force. */
static int fb_tick(struct fb_io *io, bool force)
{
	int ret;

	if (!io->progress)
		return 0;
	if (!force && time_before(jiffies, io->next_cb))
		return 0;
	io->next_cb = jiffies + msecs_to_jiffies(FB_PROGRESS_MS);
	ret = io->progress(io->ctx, io->done, io->total);
	if (ret)
		return fb_io_fail(io, ret < 0 ? ret : -EINTR,
				  "aborted after %llu of %llu bytes", io->done,
				  io->total);
	return 0;
}

/* ---- write-behind ---- */

static int fb_wb_wait(struct fb_io *io)
{
	struct fastboot_target *t = io->t;
	int ret = 0;

	if (io->wbp_lo < io->wbp_hi)
		ret = filemap_fdatawait_range(t->filp->f_mapping,
					      t->start + io->wbp_lo,
					      t->start + io->wbp_hi - 1);
	io->wbp_lo = 0;
	io->wbp_hi = 0;
	if (ret)
		return fb_io_fail(io, ret, "write error (%d)", ret);
	return 0;
}

/*
 * Start writeback of what was written since the last kick, then wait for
 * the kick before: at most two windows of dirty data at any time.
 */
static int fb_wb_kick(struct fb_io *io)
{
	struct fastboot_target *t = io->t;
	int ret;

	if (io->wb_lo >= io->wb_hi)
		return 0;
	ret = filemap_fdatawrite_range(t->filp->f_mapping, t->start + io->wb_lo,
				       t->start + io->wb_hi - 1);
	if (ret)
		return fb_io_fail(io, ret, "write error (%d)", ret);
	ret = fb_wb_wait(io);
	io->wbp_lo = io->wb_lo;
	io->wbp_hi = io->wb_hi;
	io->wb_lo = io->wb_hi;
	return ret;
}

/* Account [off, off + len) of the target as written. */
static int fb_wb_note(struct fb_io *io, u64 off, u64 len)
{
	if (io->wb_lo == io->wb_hi)
		io->wb_lo = off;
	io->wb_lo = min(io->wb_lo, off);
	io->wb_hi = max(io->wb_hi, off + len);
	io->written += len;
	if (io->wb_hi - io->wb_lo >= FB_WB_CHUNK)
		return fb_wb_kick(io);
	return 0;
}

/* Everything written reaches the medium: the last windows, then fsync. */
static int fb_sync(struct fb_io *io)
{
	int ret;

	ret = fb_wb_kick(io);
	if (!ret)
		ret = fb_tick(io, true);
	if (!ret)
		ret = fb_wb_wait(io);
	if (ret)
		return ret;
	ret = vfs_fsync(io->t->filp, 0);
	if (ret)
		return fb_io_fail(io, ret, "sync failed (%d)", ret);
	return 0;
}

/* ---- writing ---- */

/* The one place data is written: inside the target or not at all. */
static int fb_write(struct fb_io *io, u64 off, const void *data, u64 len)
{
	struct fastboot_target *t = io->t;
	const u8 *p = data;
	loff_t pos;
	ssize_t n;
	size_t k;
	int ret;

	if (off > t->size || len > t->size - off)
		return fb_io_fail(io, -ENOSPC,
				  "write of %llu at 0x%llx outside the target",
				  len, off);
	while (len) {
		k = min_t(u64, len, SZ_1M);
		pos = t->start + off;
		n = kernel_write(t->filp, p, k, &pos);
		if (n <= 0)
			return fb_io_fail(io, n ? (int)n : -EIO,
					  "write error at 0x%llx (%zd)", off, n);
		ret = fb_wb_note(io, off, n);
		if (ret)
			return ret;
		off += n;
		p += n;
		len -= n;
		ret = fb_tick(io, false);
		if (ret)
			return ret;
	}
	return 0;
}

/* Write the page @src (PAGE_SIZE bytes, repeating) over [off, off + len). */
static int fb_write_page(struct fb_io *io, u64 off, u64 len, const u8 *src)
{
	u64 n;
	int ret;

	while (len) {
		n = min_t(u64, len, PAGE_SIZE);
		ret = fb_write(io, off, src, n);
		if (ret)
			return ret;
		off += n;
		len -= n;
	}
	return 0;
}

static int fb_write_zeros(struct fb_io *io, u64 off, u64 len)
{
	return fb_write_page(io, off, len, page_address(ZERO_PAGE(0)));
}

static int fb_fallocate(struct fb_io *io, int mode, u64 off, u64 len)
{
	int fmode = FALLOC_FL_KEEP_SIZE;
	ktime_t t0 = ktime_get();
	s64 ms;
	int ret;

	fmode |= mode == FB_Z_PUNCH ? FALLOC_FL_PUNCH_HOLE :
				      FALLOC_FL_ZERO_RANGE;
	ret = vfs_fallocate(io->t->filp, fmode, io->t->start + off, len);
	if (ret)
		return ret;
	/* Page cache and medium agree now; nothing left to write back. */
	io->written += len;
	ms = ktime_ms_delta(ktime_get(), t0);
	if (ms < 20 && io->zchunk < FB_ZERO_MAX)
		io->zchunk <<= 1;
	else if (ms > 50 && io->zchunk > FB_ZERO_MIN)
		io->zchunk >>= 1;
	return 0;
}

/*
 * Make [off, off + len) of the target read as zeros: fallocate() in
 * chunks sized to keep the callback going, falling back to the next mode
 * when one is not supported (holes: regular files, WRITE_ZEROES devices;
 * ZERO_RANGE: every block device, writing zeros itself if it must; zero
 * pages: anything). Block devices want whole logical blocks: unaligned
 * edges are written.
 */
static int fb_zero(struct fb_io *io, u64 off, u64 len)
{
	struct fastboot_target *t = io->t;
	u64 align = t->bdev ? t->blksz : 1, head, n;
	int ret;

	if (off > t->size || len > t->size - off)
		return fb_io_fail(io, -ENOSPC,
				  "zeroing %llu at 0x%llx outside the target",
				  len, off);
	while (len) {
		if (io->zmode == FB_Z_WRITE)
			return fb_write_zeros(io, off, len);
		head = (t->start + off) & (align - 1);
		if (head) {
			n = min(len, align - head);
			ret = fb_write_zeros(io, off, n);
			if (ret)
				return ret;
			off += n;
			len -= n;
			continue;
		}
		n = min(len, io->zchunk) & ~(align - 1);
		if (!n)
			return fb_write_zeros(io, off, len);
		ret = fb_fallocate(io, io->zmode, off, n);
		if (ret == -EIO || ret == -ENOSPC)
			return fb_io_fail(io, ret, "zeroing at 0x%llx failed (%d)",
					  off, ret);
		if (ret) {
			/* Not supported here (or busy): the next mode. */
			io->zmode++;
			continue;
		}
		off += n;
		len -= n;
		if (io->erase)
			io->done = off;
		ret = fb_tick(io, false);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- raw and sparse images ---- */

/* Bytes of the download in block @i. */
static u32 fb_blk_len(const struct fastboot_buf *buf, u32 i)
{
	u64 start = (u64)i * FASTBOOT_BLK_SIZE;

	return min_t(u64, FASTBOOT_BLK_SIZE, buf->len - start);
}

static u32 fb_nblks(const struct fastboot_buf *buf)
{
	return DIV_ROUND_UP(buf->len, FASTBOOT_BLK_SIZE);
}

#define FB_TOO_BIG	"image (%u bytes) larger than partition (%llu bytes)"
#define FB_TOO_BIG_SHORT "image %u bytes > partition %llu bytes"

static int fb_flash_raw(struct fb_io *io, const struct fastboot_buf *buf)
{
	u32 i, n;
	int ret;

	/* Checked before the first byte, not by the first failing write. */
	if (buf->len > io->t->size) {
		if (snprintf(NULL, 0, FB_TOO_BIG, buf->len, io->t->size) <=
		    FASTBOOT_RESP_PAYLOAD_MAX)
			return fb_io_fail(io, -EFBIG, FB_TOO_BIG, buf->len,
					  io->t->size);
		return fb_io_fail(io, -EFBIG, FB_TOO_BIG_SHORT, buf->len,
				  io->t->size);
	}
	for (i = 0; i < fb_nblks(buf); i++) {
		n = fb_blk_len(buf, i);
		ret = fb_write(io, (u64)i * FASTBOOT_BLK_SIZE, buf->blk[i], n);
		if (ret)
			return ret;
		io->done += n;
	}
	return fb_sync(io);
}

static int fb_sparse_dry(void *ctx, const struct fastboot_sparse_op *op)
{
	return 0;
}

static int fb_fill_page(struct fb_io *io, const u8 *pat)
{
	u32 *p, v;
	size_t i;

	memcpy(&v, pat, sizeof(v));	/* the bytes as in the image */
	if (!io->fill) {
		io->fill = (u8 *)__get_free_page(GFP_KERNEL);
		if (!io->fill)
			return fb_io_fail(io, -ENOMEM, "out of memory");
		io->fill_pat = ~v;
	}
	if (io->fill_pat != v) {
		p = (u32 *)io->fill;
		for (i = 0; i < PAGE_SIZE / 4; i++)
			p[i] = v;
		io->fill_pat = v;
	}
	return 0;
}

static int fb_sparse_write(void *ctx, const struct fastboot_sparse_op *op)
{
	struct fb_io *io = ctx;
	int ret;

	switch (op->type) {
	case FASTBOOT_SPARSE_OP_WRITE:
		return fb_write(io, op->offset, op->data, op->len);
	case FASTBOOT_SPARSE_OP_FILL:
		if (!memchr_inv(op->fill, 0, sizeof(op->fill)) &&
		    op->len >= FB_ZERO_FILL)
			return fb_zero(io, op->offset, op->len);
		/* @offset is a multiple of 4: the page starts on a pattern */
		ret = fb_fill_page(io, op->fill);
		if (ret)
			return ret;
		return fb_write_page(io, op->offset, op->len, io->fill);
	default:
		/* DONT_CARE: untouched, earlier pieces live there. */
		return fb_tick(io, false);
	}
}

/* Decode @buf with @emit; the FAIL text names the chunk count. */
static int fb_sparse_run(struct fb_io *io, const struct fastboot_buf *buf,
			 int (*emit)(void *ctx, const struct fastboot_sparse_op *op))
{
	struct fastboot_sparse s;
	u32 i, n;
	int ret = 0;

	fastboot_sparse_init(&s, io->t->size, io->t->blksz, emit, io);
	io->done = 0;
	for (i = 0; i < fb_nblks(buf) && !ret; i++) {
		n = fb_blk_len(buf, i);
		ret = fastboot_sparse_feed(&s, buf->blk[i], n);
		io->done += n;
	}
	if (!ret)
		ret = fastboot_sparse_finish(&s);
	if (ret >= 0)
		return 0;	/* FASTBOOT_SPARSE_SHORT: 29.0.6's piece, fine */
	/* Errors of our own writes have their text already. */
	if (io->why[0])
		return ret;
	if (!s.why)
		return fb_io_fail(io, ret, "sparse: error %d", ret);
	if (!s.blk_sz)
		return fb_io_fail(io, ret, "sparse: %s", s.why);
	/* The decoder does not say which chunk: how many were fine. */
	return fb_io_fail(io, ret, "sparse (%u/%u chunks ok): %s", s.chunks,
			  s.total_chunks, s.why);
}

static int fb_flash_sparse(struct fb_io *io, const struct fastboot_buf *buf)
{
	int ret;

	/* A malformed image writes nothing: a full dry run first. */
	ret = fb_sparse_run(io, buf, fb_sparse_dry);
	if (ret)
		return ret;
	ret = fb_sparse_run(io, buf, fb_sparse_write);
	if (ret)
		return ret;
	return fb_sync(io);
}

/* ---- partition tables ---- */

/* Ask the kernel to read the new table (from the worker: it may). */
static int fb_reread(struct fb_io *io)
{
	struct file *f = io->t->filp;
	int ret;

	if (!io->t->bdev || !f->f_op->unlocked_ioctl)
		return 0;
	ret = f->f_op->unlocked_ioctl(f, BLKRRPART, 0);
	/* -EINVAL: a partition or a disk without partition scanning. */
	if (ret && ret != -EINVAL)
		return fb_io_fail(io, ret,
				  "table written; re-reading it failed (%d)",
				  ret);
	return 0;
}

static int fb_flash_mbr(struct fb_io *io, const struct fastboot_buf *buf)
{
	struct fastboot_target *t = io->t;
	u64 nr = t->size >> ilog2(t->blksz);
	int ret;

	if (buf->len < PTAB_MBR_LEN)
		return fb_io_fail(io, -EINVAL,
				  "mbr: image (%u bytes) shorter than 512", buf->len);
	ret = ptab_mbr_check(buf->blk[0], nr, io->why, io->why_len);
	if (ret)
		return ret;
	/* The MBR sector only, as U-Boot: the rest of the image is ignored. */
	ret = fb_write(io, 0, buf->blk[0], PTAB_MBR_LEN);
	if (!ret)
		ret = fb_sync(io);
	if (!ret)
		ret = fb_reread(io);
	return ret;
}

/* Entries array at @lba: the image's bytes, the rest of the LBA zeroed. */
static int fb_write_entries(struct fb_io *io, const struct ptab_gpt *g,
			    const u8 *ents, u64 lba)
{
	u32 lbsz = io->t->blksz;
	u64 off = lba * lbsz;
	int ret;

	ret = fb_write(io, off, ents, g->entries_bytes);
	if (!ret && (u64)g->entries_lbas * lbsz > g->entries_bytes)
		ret = fb_write_zeros(io, off + g->entries_bytes,
				     (u64)g->entries_lbas * lbsz -
				     g->entries_bytes);
	return ret;
}

static int fb_flash_gpt(struct fb_io *io, const struct fastboot_buf *buf)
{
	struct fastboot_target *t = io->t;
	u32 lbsz = t->blksz, len = min_t(u32, buf->len, FASTBOOT_BLK_SIZE);
	u64 nr, bent;
	const u8 *img = buf->blk[0];
	struct ptab_gpt g;
	u8 *sec;
	int ret;

	if (!ptab_lbsz_ok(lbsz))
		return fb_io_fail(io, -EINVAL,
				  "gpt: block size %u unsupported", lbsz);
	nr = t->size >> ilog2(lbsz);
	/* What the header needs must be in the first block of the image. */
	ret = ptab_gpt_image_check(img, len, lbsz, nr, &g, io->why,
				   io->why_len);
	if (ret)
		return ret;
	sec = kmalloc(3 * lbsz, GFP_KERNEL);
	if (!sec)
		return fb_io_fail(io, -ENOMEM, "out of memory");
	memcpy(sec, img, lbsz);
	memcpy(sec + lbsz, img + lbsz, lbsz);
	bent = ptab_gpt_build(&g, lbsz, nr, sec, sec + lbsz, sec + 2 * lbsz);
	/* Backup first: the primary header, written last, makes it valid. */
	ret = fb_write_entries(io, &g, img + g.entries_lba * lbsz, bent);
	if (!ret)
		ret = fb_write(io, (nr - 1) * lbsz, sec + 2 * lbsz, lbsz);
	if (!ret)
		ret = fb_write_entries(io, &g, img + g.entries_lba * lbsz,
				       g.entries_lba);
	if (!ret)
		ret = fb_write(io, 0, sec, lbsz);
	if (!ret)
		ret = fb_write(io, lbsz, sec + lbsz, lbsz);
	kfree(sec);
	if (!ret)
		ret = fb_sync(io);
	if (!ret)
		ret = fb_reread(io);
	return ret;
}

int fastboot_flash(struct fastboot_target *t, const struct fastboot_buf *buf,
		   fastboot_progress_t progress, void *ctx, u64 *written,
		   char *why, size_t why_len)
{
	struct fb_io io;
	bool sparse;
	int ret;

	fb_io_init(&io, t, progress, ctx, buf->len, why, why_len);
	*written = 0;
	if (!buf->len || !buf->nblks)
		return fb_io_fail(&io, -ENODATA, "no image downloaded");
	sparse = fastboot_sparse_is_sparse(buf->blk[0], fb_blk_len(buf, 0));
	switch (t->kind) {
	case FASTBOOT_TGT_MBR:
	case FASTBOOT_TGT_GPT:
		if (sparse) {
			ret = fb_io_fail(&io, -EINVAL,
					 "%s: a sparse image cannot be a table",
					 t->kind == FASTBOOT_TGT_MBR ? "mbr" : "gpt");
			break;
		}
		ret = t->kind == FASTBOOT_TGT_MBR ? fb_flash_mbr(&io, buf) :
						    fb_flash_gpt(&io, buf);
		break;
	default:
		ret = sparse ? fb_flash_sparse(&io, buf) :
			       fb_flash_raw(&io, buf);
	}
	fb_io_release(&io);
	*written = io.written;
	return ret;
}

int fastboot_erase(struct fastboot_target *t, fastboot_progress_t progress,
		   void *ctx, char *why, size_t why_len)
{
	struct fb_io io;
	int ret;

	fb_io_init(&io, t, progress, ctx, t->size, why, why_len);
	/*
	 * The table targets and raw offsets reach to the end of storage:
	 * zeroing all of it is never what "erase:gpt" or "erase:0x400" mean.
	 */
	if (t->kind != FASTBOOT_TGT_PART)
		return fb_io_fail(&io, -EINVAL, "erase needs a partition, %s",
				  t->kind == FASTBOOT_TGT_RAW ?
				  "not a raw offset" : "flash a new table");
	io.erase = true;
	ret = fb_zero(&io, 0, t->size);
	if (!ret)
		ret = fb_sync(&io);
	fb_io_release(&io);
	return ret;
}

int fastboot_read(struct fastboot_target *t, u64 off, void *dst, size_t len,
		  char *why, size_t why_len)
{
	loff_t pos;
	size_t done = 0;
	ssize_t n;

	if (why && why_len)
		why[0] = '\0';
	if (off > t->size || len > t->size - off) {
		snprintf(why, why_len, "read of %zu at 0x%llx outside the target",
			 len, off);
		return -ERANGE;
	}
	while (done < len) {
		pos = t->start + off + done;
		n = kernel_read(t->filp, (u8 *)dst + done, len - done, &pos);
		if (n < 0) {
			snprintf(why, why_len, "read error at 0x%llx (%zd)",
				 off + done, n);
			return n;
		}
		if (!n) {
			/* Past the end of a file: a hole, reads as zeros. */
			memset((u8 *)dst + done, 0, len - done);
			break;
		}
		done += n;
	}
	return 0;
}
