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
 * Bounds: every write goes through fastboot_store_write() or
 * fastboot_store_zero(), which refuse anything outside [0, t->size) of the
 * target; images are checked against the target before the first byte is
 * written (raw: its length; sparse: a complete dry run of the decoder;
 * mbr/gpt: the table against the disk).
 *
 * Keep-alive: the progress callback is called at least every
 * FASTBOOT_PROGRESS_MS while data moves, and dirty data is written back
 * while the image is written (write-behind in FASTBOOT_WB_CHUNK windows),
 * so that the final sync is short too. A non-zero return of the callback
 * aborts.
 *
 * struct fastboot_store_op is one such operation (fastboot_io_* in
 * f_fastboot_io.c is USB I/O, a different thing).
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

#define FASTBOOT_PROGRESS_MS	20	/* callback at most this often */
#define FASTBOOT_WB_CHUNK	SZ_8M	/* write-behind window */
#define FASTBOOT_ZERO_MIN	SZ_1M	/* smallest fallocate() chunk */
#define FASTBOOT_ZERO_MAX	SZ_1G	/* largest */
#define FASTBOOT_ZERO_FILL	SZ_64K	/* zero FILLs from here on: fallocate */

/* How fastboot_store_zero() zeroes: the first that works for the target. */
enum {
	FASTBOOT_Z_PUNCH,	/* FALLOC_FL_PUNCH_HOLE: holes, WRITE_ZEROES */
	FASTBOOT_Z_ZERO,	/* FALLOC_FL_ZERO_RANGE (bdevs fall back) */
	FASTBOOT_Z_WRITE,	/* writing zero pages */
};

/**
 * struct fastboot_store_op - one flash/erase operation
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
 * @zmode:     FASTBOOT_Z_*
 * @erase:     erase: fastboot_store_zero() advances @done
 * @fill:      a page for FILL patterns, allocated on first use
 * @fill_pat:  the pattern @fill holds
 * @why:       FAIL text
 * @why_len:   its size
 */
struct fastboot_store_op {
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
static int fastboot_store_fail(struct fastboot_store_op *sop, int err,
			       const char *fmt, ...)
{
	va_list ap;

	if (sop->why && sop->why_len) {
		va_start(ap, fmt);
		vsnprintf(sop->why, sop->why_len, fmt, ap);
		va_end(ap);
	}
	return err;
}

static void fastboot_store_init(struct fastboot_store_op *sop,
				struct fastboot_target *t,
				fastboot_progress_t progress, void *ctx,
				u64 total, char *why, size_t why_len)
{
	memset(sop, 0, sizeof(*sop));
	sop->t = t;
	sop->progress = progress;
	sop->ctx = ctx;
	sop->total = total;
	sop->why = why;
	sop->why_len = why_len;
	sop->next_cb = jiffies;
	sop->zchunk = SZ_16M;
	if (why && why_len)
		why[0] = '\0';
}

static void fastboot_store_release(struct fastboot_store_op *sop)
{
	if (sop->fill)
		free_page((unsigned long)sop->fill);
	sop->fill = NULL;
}

/* The progress callback, rate-limited unless @force. */
static int fastboot_store_tick(struct fastboot_store_op *sop, bool force)
{
	int ret;

	if (!sop->progress)
		return 0;
	if (!force && time_before(jiffies, sop->next_cb))
		return 0;
	sop->next_cb = jiffies + msecs_to_jiffies(FASTBOOT_PROGRESS_MS);
	ret = sop->progress(sop->ctx, sop->done, sop->total);
	if (ret)
		return fastboot_store_fail(sop, ret < 0 ? ret : -EINTR,
					   "aborted after %llu of %llu bytes",
					   sop->done, sop->total);
	return 0;
}

/* ---- write-behind ---- */

static int fastboot_store_wb_wait(struct fastboot_store_op *sop)
{
	struct fastboot_target *t = sop->t;
	int ret = 0;

	if (sop->wbp_lo < sop->wbp_hi)
		ret = filemap_fdatawait_range(t->filp->f_mapping,
					      t->start + sop->wbp_lo,
					      t->start + sop->wbp_hi - 1);
	sop->wbp_lo = 0;
	sop->wbp_hi = 0;
	if (ret)
		return fastboot_store_fail(sop, ret, "write error (%d)", ret);
	return 0;
}

/*
 * Start writeback of what was written since the last kick, then wait for
 * the kick before: at most two windows of dirty data at any time.
 */
static int fastboot_store_wb_kick(struct fastboot_store_op *sop)
{
	struct fastboot_target *t = sop->t;
	int ret;

	if (sop->wb_lo >= sop->wb_hi)
		return 0;
	ret = filemap_fdatawrite_range(t->filp->f_mapping,
				       t->start + sop->wb_lo,
				       t->start + sop->wb_hi - 1);
	if (ret)
		return fastboot_store_fail(sop, ret, "write error (%d)", ret);
	ret = fastboot_store_wb_wait(sop);
	sop->wbp_lo = sop->wb_lo;
	sop->wbp_hi = sop->wb_hi;
	sop->wb_lo = sop->wb_hi;
	return ret;
}

/* Account [off, off + len) of the target as written. */
static int fastboot_store_wb_note(struct fastboot_store_op *sop, u64 off,
				  u64 len)
{
	if (sop->wb_lo == sop->wb_hi)
		sop->wb_lo = off;
	sop->wb_lo = min(sop->wb_lo, off);
	sop->wb_hi = max(sop->wb_hi, off + len);
	sop->written += len;
	if (sop->wb_hi - sop->wb_lo >= FASTBOOT_WB_CHUNK)
		return fastboot_store_wb_kick(sop);
	return 0;
}

/* Everything written reaches the medium: the last windows, then fsync. */
static int fastboot_store_sync(struct fastboot_store_op *sop)
{
	int ret;

	ret = fastboot_store_wb_kick(sop);
	if (!ret)
		ret = fastboot_store_tick(sop, true);
	if (!ret)
		ret = fastboot_store_wb_wait(sop);
	if (ret)
		return ret;
	ret = vfs_fsync(sop->t->filp, 0);
	if (ret)
		return fastboot_store_fail(sop, ret, "sync failed (%d)", ret);
	return 0;
}

/* ---- writing ---- */

/* The one place data is written: inside the target or not at all. */
static int fastboot_store_write(struct fastboot_store_op *sop, u64 off,
				const void *data, u64 len)
{
	struct fastboot_target *t = sop->t;
	const u8 *p = data;
	loff_t pos;
	ssize_t n;
	size_t k;
	int ret;

	if (off > t->size || len > t->size - off)
		return fastboot_store_fail(sop, -ENOSPC,
					   "write of %llu at 0x%llx outside the target",
					   len, off);
	while (len) {
		k = min_t(u64, len, SZ_1M);
		pos = t->start + off;
		n = kernel_write(t->filp, p, k, &pos);
		if (n <= 0)
			return fastboot_store_fail(sop, n ? (int)n : -EIO,
						   "write error at 0x%llx (%zd)",
						   off, n);
		ret = fastboot_store_wb_note(sop, off, n);
		if (ret)
			return ret;
		off += n;
		p += n;
		len -= n;
		ret = fastboot_store_tick(sop, false);
		if (ret)
			return ret;
	}
	return 0;
}

/* Write the page @src (PAGE_SIZE bytes, repeating) over [off, off + len). */
static int fastboot_store_write_page(struct fastboot_store_op *sop, u64 off,
				     u64 len, const u8 *src)
{
	u64 n;
	int ret;

	while (len) {
		n = min_t(u64, len, PAGE_SIZE);
		ret = fastboot_store_write(sop, off, src, n);
		if (ret)
			return ret;
		off += n;
		len -= n;
	}
	return 0;
}

static int fastboot_store_write_zeros(struct fastboot_store_op *sop, u64 off,
				      u64 len)
{
	return fastboot_store_write_page(sop, off, len,
					 page_address(ZERO_PAGE(0)));
}

static int fastboot_store_fallocate(struct fastboot_store_op *sop, int mode,
				    u64 off, u64 len)
{
	int fmode = FALLOC_FL_KEEP_SIZE;
	ktime_t t0 = ktime_get();
	s64 ms;
	int ret;

	fmode |= mode == FASTBOOT_Z_PUNCH ? FALLOC_FL_PUNCH_HOLE :
				      FALLOC_FL_ZERO_RANGE;
	ret = vfs_fallocate(sop->t->filp, fmode, sop->t->start + off, len);
	if (ret)
		return ret;
	/* Page cache and medium agree now; nothing left to write back. */
	sop->written += len;
	ms = ktime_ms_delta(ktime_get(), t0);
	if (ms < 20 && sop->zchunk < FASTBOOT_ZERO_MAX)
		sop->zchunk <<= 1;
	else if (ms > 50 && sop->zchunk > FASTBOOT_ZERO_MIN)
		sop->zchunk >>= 1;
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
static int fastboot_store_zero(struct fastboot_store_op *sop, u64 off, u64 len)
{
	struct fastboot_target *t = sop->t;
	u64 align = t->bdev ? t->blksz : 1, head, n;
	int ret;

	if (off > t->size || len > t->size - off)
		return fastboot_store_fail(sop, -ENOSPC,
					   "zeroing %llu at 0x%llx outside the target",
					   len, off);
	while (len) {
		if (sop->zmode == FASTBOOT_Z_WRITE)
			return fastboot_store_write_zeros(sop, off, len);
		head = (t->start + off) & (align - 1);
		if (head) {
			n = min(len, align - head);
			ret = fastboot_store_write_zeros(sop, off, n);
			if (ret)
				return ret;
			off += n;
			len -= n;
			continue;
		}
		n = min(len, sop->zchunk) & ~(align - 1);
		if (!n)
			return fastboot_store_write_zeros(sop, off, len);
		ret = fastboot_store_fallocate(sop, sop->zmode, off, n);
		if (ret == -EIO || ret == -ENOSPC)
			return fastboot_store_fail(sop, ret,
						   "zeroing at 0x%llx failed (%d)",
						   off, ret);
		if (ret) {
			/* Not supported here (or busy): the next mode. */
			sop->zmode++;
			continue;
		}
		off += n;
		len -= n;
		if (sop->erase)
			sop->done = off;
		ret = fastboot_store_tick(sop, false);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- raw and sparse images ---- */

/* Bytes of the download in block @i. */
static u32 fastboot_store_blk_len(const struct fastboot_buf *buf, u32 i)
{
	u64 start = (u64)i * FASTBOOT_BLK_SIZE;

	return min_t(u64, FASTBOOT_BLK_SIZE, buf->len - start);
}

static u32 fastboot_store_nblks(const struct fastboot_buf *buf)
{
	return DIV_ROUND_UP(buf->len, FASTBOOT_BLK_SIZE);
}

#define FASTBOOT_TOO_BIG	"image (%u bytes) larger than partition (%llu bytes)"
#define FASTBOOT_TOO_BIG_SHORT "image %u bytes > partition %llu bytes"

static int fastboot_store_flash_raw(struct fastboot_store_op *sop,
				    const struct fastboot_buf *buf)
{
	u32 i, n;
	int ret;

	/* Checked before the first byte, not by the first failing write. */
	if (buf->len > sop->t->size) {
		if (snprintf(NULL, 0, FASTBOOT_TOO_BIG, buf->len,
			     sop->t->size) <=
		    FASTBOOT_RESP_PAYLOAD_MAX)
			return fastboot_store_fail(sop, -EFBIG,
						   FASTBOOT_TOO_BIG,
						   buf->len, sop->t->size);
		return fastboot_store_fail(sop, -EFBIG, FASTBOOT_TOO_BIG_SHORT,
					   buf->len, sop->t->size);
	}
	for (i = 0; i < fastboot_store_nblks(buf); i++) {
		n = fastboot_store_blk_len(buf, i);
		ret = fastboot_store_write(sop, (u64)i * FASTBOOT_BLK_SIZE,
					   buf->blk[i], n);
		if (ret)
			return ret;
		sop->done += n;
	}
	return fastboot_store_sync(sop);
}

static int fastboot_store_sparse_dry(void *ctx,
				     const struct fastboot_sparse_op *op)
{
	return 0;
}

static int fastboot_store_fill_page(struct fastboot_store_op *sop,
				    const u8 *pat)
{
	u32 *p, v;
	size_t i;

	memcpy(&v, pat, sizeof(v));	/* the bytes as in the image */
	if (!sop->fill) {
		sop->fill = (u8 *)__get_free_page(GFP_KERNEL);
		if (!sop->fill)
			return fastboot_store_fail(sop, -ENOMEM,
						   "out of memory");
		sop->fill_pat = ~v;
	}
	if (sop->fill_pat != v) {
		p = (u32 *)sop->fill;
		for (i = 0; i < PAGE_SIZE / 4; i++)
			p[i] = v;
		sop->fill_pat = v;
	}
	return 0;
}

static int fastboot_store_sparse_write(void *ctx,
				       const struct fastboot_sparse_op *op)
{
	struct fastboot_store_op *sop = ctx;
	int ret;

	switch (op->type) {
	case FASTBOOT_SPARSE_OP_WRITE:
		return fastboot_store_write(sop, op->offset, op->data, op->len);
	case FASTBOOT_SPARSE_OP_FILL:
		if (!memchr_inv(op->fill, 0, sizeof(op->fill)) &&
		    op->len >= FASTBOOT_ZERO_FILL)
			return fastboot_store_zero(sop, op->offset, op->len);
		/* @offset is a multiple of 4: the page starts on a pattern */
		ret = fastboot_store_fill_page(sop, op->fill);
		if (ret)
			return ret;
		return fastboot_store_write_page(sop, op->offset, op->len,
						 sop->fill);
	default:
		/* DONT_CARE: untouched, earlier pieces live there. */
		return fastboot_store_tick(sop, false);
	}
}

/* Decode @buf with @emit; the FAIL text names the chunk count. */
static int
fastboot_store_sparse_run(struct fastboot_store_op *sop,
			  const struct fastboot_buf *buf,
			  int (*emit)(void *ctx, const struct fastboot_sparse_op *op))
{
	struct fastboot_sparse s;
	u32 i, n;
	int ret = 0;

	fastboot_sparse_init(&s, sop->t->size, sop->t->blksz, emit, sop);
	sop->done = 0;
	for (i = 0; i < fastboot_store_nblks(buf) && !ret; i++) {
		n = fastboot_store_blk_len(buf, i);
		ret = fastboot_sparse_feed(&s, buf->blk[i], n);
		sop->done += n;
	}
	if (!ret)
		ret = fastboot_sparse_finish(&s);
	if (ret >= 0)
		return 0;	/* FASTBOOT_SPARSE_SHORT: 29.0.6's piece, fine */
	/* Errors of our own writes have their text already. */
	if (sop->why[0])
		return ret;
	if (!s.why)
		return fastboot_store_fail(sop, ret, "sparse: error %d", ret);
	if (!s.blk_sz)
		return fastboot_store_fail(sop, ret, "sparse: %s", s.why);
	/* The decoder does not say which chunk: how many were fine. */
	return fastboot_store_fail(sop, ret, "sparse (%u/%u chunks ok): %s",
				   s.chunks, s.total_chunks, s.why);
}

static int fastboot_store_flash_sparse(struct fastboot_store_op *sop,
				       const struct fastboot_buf *buf)
{
	int ret;

	/* A malformed image writes nothing: a full dry run first. */
	ret = fastboot_store_sparse_run(sop, buf, fastboot_store_sparse_dry);
	if (ret)
		return ret;
	ret = fastboot_store_sparse_run(sop, buf, fastboot_store_sparse_write);
	if (ret)
		return ret;
	return fastboot_store_sync(sop);
}

/* ---- partition tables ---- */

/* Ask the kernel to read the new table (from the worker: it may). */
static int fastboot_store_reread(struct fastboot_store_op *sop)
{
	struct file *f = sop->t->filp;
	int ret;

	if (!sop->t->bdev || !f->f_op->unlocked_ioctl)
		return 0;
	ret = f->f_op->unlocked_ioctl(f, BLKRRPART, 0);
	/* -EINVAL: a partition or a disk without partition scanning. */
	if (ret && ret != -EINVAL)
		return fastboot_store_fail(sop, ret,
					   "table written; re-reading it failed (%d)",
					   ret);
	return 0;
}

static int fastboot_store_flash_mbr(struct fastboot_store_op *sop,
				    const struct fastboot_buf *buf)
{
	struct fastboot_target *t = sop->t;
	u64 nr = t->size >> ilog2(t->blksz);
	int ret;

	if (buf->len < PTAB_MBR_LEN)
		return fastboot_store_fail(sop, -EINVAL,
					   "mbr: image (%u bytes) shorter than 512",
					   buf->len);
	ret = ptab_mbr_check(buf->blk[0], nr, sop->why, sop->why_len);
	if (ret)
		return ret;
	/* The MBR sector only, as U-Boot: the rest of the image is ignored. */
	ret = fastboot_store_write(sop, 0, buf->blk[0], PTAB_MBR_LEN);
	if (!ret)
		ret = fastboot_store_sync(sop);
	if (!ret)
		ret = fastboot_store_reread(sop);
	return ret;
}

/* Entries array at @lba: the image's bytes, the rest of the LBA zeroed. */
static int fastboot_store_write_entries(struct fastboot_store_op *sop,
					const struct ptab_gpt *g,
					const u8 *ents, u64 lba)
{
	u32 lbsz = sop->t->blksz;
	u64 off = lba * lbsz;
	int ret;

	ret = fastboot_store_write(sop, off, ents, g->entries_bytes);
	if (!ret && (u64)g->entries_lbas * lbsz > g->entries_bytes)
		ret = fastboot_store_write_zeros(sop, off + g->entries_bytes,
						 (u64)g->entries_lbas * lbsz -
						 g->entries_bytes);
	return ret;
}

static int fastboot_store_flash_gpt(struct fastboot_store_op *sop,
				    const struct fastboot_buf *buf)
{
	struct fastboot_target *t = sop->t;
	u32 lbsz = t->blksz, len = min_t(u32, buf->len, FASTBOOT_BLK_SIZE);
	u64 nr, bent;
	const u8 *img = buf->blk[0];
	struct ptab_gpt g;
	u8 *sec;
	int ret;

	if (!ptab_lbsz_ok(lbsz))
		return fastboot_store_fail(sop, -EINVAL,
					   "gpt: block size %u unsupported",
					   lbsz);
	nr = t->size >> ilog2(lbsz);
	/* What the header needs must be in the first block of the image. */
	ret = ptab_gpt_image_check(img, len, lbsz, nr, &g, sop->why,
				   sop->why_len);
	if (ret)
		return ret;
	sec = kmalloc(3 * lbsz, GFP_KERNEL);
	if (!sec)
		return fastboot_store_fail(sop, -ENOMEM, "out of memory");
	memcpy(sec, img, lbsz);
	memcpy(sec + lbsz, img + lbsz, lbsz);
	bent = ptab_gpt_build(&g, lbsz, nr, sec, sec + lbsz, sec + 2 * lbsz);
	/* Backup first: the primary header, written last, makes it valid. */
	ret = fastboot_store_write_entries(sop, &g, img + g.entries_lba * lbsz,
					   bent);
	if (!ret)
		ret = fastboot_store_write(sop, (nr - 1) * lbsz, sec + 2 * lbsz,
					   lbsz);
	if (!ret)
		ret = fastboot_store_write_entries(sop, &g,
						   img + g.entries_lba * lbsz,
						   g.entries_lba);
	if (!ret)
		ret = fastboot_store_write(sop, 0, sec, lbsz);
	if (!ret)
		ret = fastboot_store_write(sop, lbsz, sec + lbsz, lbsz);
	kfree(sec);
	if (!ret)
		ret = fastboot_store_sync(sop);
	if (!ret)
		ret = fastboot_store_reread(sop);
	return ret;
}

int fastboot_flash(struct fastboot_target *t, const struct fastboot_buf *buf,
		   fastboot_progress_t progress, void *ctx, u64 *written,
		   char *why, size_t why_len)
{
	struct fastboot_store_op sop;
	bool sparse, mbr;
	int ret;

	fastboot_store_init(&sop, t, progress, ctx, buf->len, why, why_len);
	*written = 0;
	if (!buf->len || !buf->nblks)
		return fastboot_store_fail(&sop, -ENODATA,
					   "no image downloaded");
	sparse = fastboot_sparse_is_sparse(buf->blk[0],
					   fastboot_store_blk_len(buf, 0));
	switch (t->kind) {
	case FASTBOOT_TGT_MBR:
	case FASTBOOT_TGT_GPT:
		mbr = t->kind == FASTBOOT_TGT_MBR;
		if (sparse)
			ret = fastboot_store_fail(&sop, -EINVAL,
						  "%s: a sparse image cannot be a table",
						  mbr ? "mbr" : "gpt");
		else if (mbr)
			ret = fastboot_store_flash_mbr(&sop, buf);
		else
			ret = fastboot_store_flash_gpt(&sop, buf);
		break;
	default:
		ret = sparse ? fastboot_store_flash_sparse(&sop, buf) :
			       fastboot_store_flash_raw(&sop, buf);
	}
	fastboot_store_release(&sop);
	*written = sop.written;
	return ret;
}

int fastboot_erase(struct fastboot_target *t, fastboot_progress_t progress,
		   void *ctx, char *why, size_t why_len)
{
	struct fastboot_store_op sop;
	int ret;

	fastboot_store_init(&sop, t, progress, ctx, t->size, why, why_len);
	/*
	 * The table targets and raw offsets reach to the end of storage:
	 * zeroing all of it is never what "erase:gpt" or "erase:0x400" mean.
	 */
	if (t->kind != FASTBOOT_TGT_PART)
		return fastboot_store_fail(&sop, -EINVAL,
					   "erase needs a partition, %s",
					   t->kind == FASTBOOT_TGT_RAW ?
					   "not a raw offset" : "flash a new table");
	sop.erase = true;
	ret = fastboot_store_zero(&sop, 0, t->size);
	if (!ret)
		ret = fastboot_store_sync(&sop);
	fastboot_store_release(&sop);
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
		snprintf(why, why_len,
			 "read of %zu at 0x%llx outside the target", len, off);
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
