// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_fastboot: the SHA-256 of byte ranges of a target, read back from
 * the medium ("oem sha256", Documentation/usb-f-fastboot.rst, "Verifying
 * what was written").
 *
 * The point of the digest is to prove what the medium holds, so the
 * bytes must not come from the page cache: right after a flash the cache
 * still holds every page that was written, and a read through it would
 * hand back what was sent even if the device had dropped or corrupted
 * the write. The target is therefore opened a second time, with
 * O_DIRECT, from the same struct path (dentry_open(), the credentials of
 * the target's file), and read through vfs_iter_read() into the pages of
 * a small buffer: for a block device the reads go to the driver as bios,
 * and a filesystem that supports direct I/O reads its blocks from the
 * device too. Flash syncs before it answers, so nothing of ours is left
 * dirty in the cache; the direct read writes back whatever is.
 * Invalidating the cached range instead would have worked for clean pages
 * only and would have thrown away pages other readers of a mounted device
 * still use.
 *
 * Direct I/O wants whole logical blocks: a range that starts or ends
 * inside one is read as the whole block, and only the range's bytes are
 * hashed. A file whose filesystem has no direct I/O (tmpfs) is read
 * through the page cache, which for a file is its content as every
 * reader sees it.
 *
 * The range list (fastboot_ranges.h) is parsed twice: a dry run checks
 * all of it against the target before anything is read, then the ranges
 * are read and hashed in order. Memory: one FASTBOOT_HASH_CHUNK buffer,
 * whatever the sizes. Runs in the function's worker.
 */
#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/bvec.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include <imxflash/fastboot_ranges.h>

#include "u_fastboot.h"

#define FASTBOOT_HASH_CHUNK	SZ_1M	/* read at once */
#define FASTBOOT_HASH_NBV	(FASTBOOT_HASH_CHUNK / FASTBOOT_BLK_SIZE)
#define FASTBOOT_HASH_TICK_MS	20	/* progress callback at most this often */

/**
 * struct fastboot_hash_op - one digest
 * @t:        the target
 * @filp:     what is read: the O_DIRECT file, or @t's own
 * @direct:   @filp bypasses the page cache
 * @align:    reads start and end on multiples of this (direct)
 * @desc:     the SHA-256 state
 * @buf:      read buffer of FASTBOOT_HASH_CHUNK bytes
 * @bv:       its blocks, for the iov_iter
 * @progress: keep-alive callback
 * @ctx:      its argument
 * @done:     bytes hashed
 * @total:    bytes the list asks for
 * @next_cb:  jiffies when the callback is due
 * @why:      FAIL text
 * @why_len:  its size
 */
struct fastboot_hash_op {
	struct fastboot_target *t;
	struct file *filp;
	bool direct;
	u32 align;
	struct shash_desc *desc;
	struct fastboot_buf buf;
	struct bio_vec bv[FASTBOOT_HASH_NBV];
	fastboot_progress_t progress;
	void *ctx;
	u64 done;
	u64 total;
	unsigned long next_cb;
	char *why;
	size_t why_len;
};

static_assert(FASTBOOT_HASH_CHUNK % FASTBOOT_BLK_SIZE == 0);

__printf(3, 4)
static int fastboot_hash_fail(struct fastboot_hash_op *hop, int err,
			      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(hop->why, hop->why_len, fmt, ap);
	va_end(ap);
	return err;
}

/*
 * Read [@pos, @pos + @len) of the file (@len <= FASTBOOT_HASH_CHUNK) into
 * the buffer; what lies past the end of a file reads as zeros, as fetch
 * has it.
 */
static int fastboot_hash_read(struct fastboot_hash_op *hop, loff_t pos,
			      size_t len)
{
	struct iov_iter iter;
	size_t got = 0;
	u32 i, room;
	ssize_t n;
	void *p;

	for (i = 0; i < FASTBOOT_HASH_NBV; i++) {
		p = hop->buf.blk[i];
		hop->bv[i].bv_page = virt_to_page(p);
		hop->bv[i].bv_offset = offset_in_page(p);
		hop->bv[i].bv_len = FASTBOOT_BLK_SIZE;
	}
	while (got < len) {
		iov_iter_bvec(&iter, ITER_DEST, hop->bv, FASTBOOT_HASH_NBV, len);
		iov_iter_advance(&iter, got);
		n = vfs_iter_read(hop->filp, &iter, &pos, 0);
		if (n < 0)
			return fastboot_hash_fail(hop, (int)n,
						  "read error at 0x%llx (%zd)",
						  pos - hop->t->start, n);
		if (!n)
			break;
		got += n;
	}
	/* Past the end of a file: a hole. */
	while (got < len) {
		p = fastboot_buf_at(&hop->buf, got, &room);
		room = min_t(size_t, room, len - got);
		memset(p, 0, room);
		got += room;
	}
	return 0;
}

/* Hash @len bytes at @off of the buffer. */
static int fastboot_hash_update(struct fastboot_hash_op *hop, u32 off, u32 len)
{
	u32 room, n;
	void *p;
	int err;

	while (len) {
		p = fastboot_buf_at(&hop->buf, off, &room);
		n = min(room, len);
		err = crypto_shash_update(hop->desc, p, n);
		if (err)
			return fastboot_hash_fail(hop, err, "sha256 failed (%d)",
						  err);
		off += n;
		len -= n;
	}
	return 0;
}

static int fastboot_hash_tick(struct fastboot_hash_op *hop)
{
	int err;

	if (!hop->progress || time_before(jiffies, hop->next_cb))
		return 0;
	hop->next_cb = jiffies + msecs_to_jiffies(FASTBOOT_HASH_TICK_MS);
	err = hop->progress(hop->ctx, hop->done, hop->total);
	if (err)
		return fastboot_hash_fail(hop, err < 0 ? err : -EINTR,
					  "aborted after %llu of %llu bytes",
					  hop->done, hop->total);
	return 0;
}

/* The ranges callback of the second pass: read and hash one range. */
static int fastboot_hash_range(void *ctx, u64 off, u64 len)
{
	struct fastboot_hash_op *hop = ctx;
	u64 pos, head, n, want;
	int err;

	while (len) {
		pos = hop->t->start + off;
		head = hop->direct ? pos & (hop->align - 1) : 0;
		n = min_t(u64, len, FASTBOOT_HASH_CHUNK - head);
		want = hop->direct ? round_up(head + n, hop->align) : n;
		if (want > FASTBOOT_HASH_CHUNK) {
			/* The chunk ends inside a block: end before it. */
			want = FASTBOOT_HASH_CHUNK;
			n = want - head;
		}
		err = fastboot_hash_read(hop, pos - head, want);
		if (!err)
			err = fastboot_hash_update(hop, head, n);
		if (err)
			return err;
		off += n;
		len -= n;
		hop->done += n;
		err = fastboot_hash_tick(hop);
		if (err)
			return err;
	}
	return 0;
}

/* Parse all of @list, calling @fn for each range. */
static int fastboot_hash_walk(struct fastboot_hash_op *hop,
			      const struct fastboot_buf *list,
			      fastboot_range_fn fn)
{
	struct fastboot_ranges r;
	u32 off, room, n;
	int err = 0;

	fastboot_ranges_init(&r, hop->t->size);
	for (off = 0; off < list->len && !err; off += n) {
		const char *p = fastboot_buf_at(list, off, &room);

		n = min(room, list->len - off);
		err = fastboot_ranges_feed(&r, p, n, fn, hop);
	}
	if (!err)
		err = fastboot_ranges_finish(&r, fn, hop);
	if (!err) {
		hop->total = r.bytes;
		return 0;
	}
	if (hop->why[0])	/* an error of the callback */
		return err;
	if (err == -ERANGE)
		return fastboot_hash_fail(hop, err, "range %u: %s", r.count + 1,
					  r.why);
	return fastboot_hash_fail(hop, err, "range list byte %u: %s", r.pos,
				  r.why);
}

/* Open the target again, bypassing the page cache if it can. */
static int fastboot_hash_open(struct fastboot_hash_op *hop)
{
	struct file *tf = hop->t->filp;
	struct file *f;

	f = dentry_open(&tf->f_path, O_RDONLY | O_LARGEFILE | O_DIRECT,
			tf->f_cred);
	if (!IS_ERR(f)) {
		hop->filp = f;
		hop->direct = true;
		/* Logical blocks of a device; any filesystem's fit a page. */
		hop->align = hop->t->bdev ? hop->t->blksz : PAGE_SIZE;
		return 0;
	}
	if (PTR_ERR(f) != -EINVAL || hop->t->bdev)
		return fastboot_hash_fail(hop, PTR_ERR(f),
					  "cannot open the target for direct reads (%ld)",
					  PTR_ERR(f));
	/* No direct I/O on this filesystem: the file's page cache. */
	hop->filp = tf;
	hop->direct = false;
	return 0;
}

int fastboot_hash(struct fastboot_opts *opts, struct fastboot_target *t,
		  const struct fastboot_buf *list,
		  fastboot_progress_t progress, void *ctx, u8 *digest,
		  u64 *bytes, char *why, size_t why_len)
{
	struct fastboot_hash_op *hop;
	struct crypto_shash *tfm;
	int err;

	*bytes = 0;
	why[0] = '\0';
	hop = kzalloc(sizeof(*hop), GFP_KERNEL);
	if (!hop)
		return -ENOMEM;
	hop->t = t;
	hop->progress = progress;
	hop->ctx = ctx;
	hop->why = why;
	hop->why_len = why_len;
	hop->next_cb = jiffies;

	/* Every range is checked before the first byte is read. */
	err = fastboot_hash_walk(hop, list, NULL);
	if (err)
		goto out;

	tfm = crypto_alloc_shash("sha256", 0, 0);
	if (IS_ERR(tfm)) {
		err = fastboot_hash_fail(hop, PTR_ERR(tfm),
					 "no sha256 in the kernel (%ld)",
					 PTR_ERR(tfm));
		goto out;
	}
	hop->desc = kzalloc(sizeof(*hop->desc) + crypto_shash_descsize(tfm),
			    GFP_KERNEL);
	err = hop->desc ? 0 : -ENOMEM;
	if (!err) {
		hop->desc->tfm = tfm;
		err = crypto_shash_init(hop->desc);
	}
	if (!err)
		err = fastboot_buf_alloc(opts, &hop->buf, FASTBOOT_HASH_CHUNK,
					 NULL, NULL);
	if (err) {
		fastboot_hash_fail(hop, err, "out of memory");
		goto free_tfm;
	}
	err = fastboot_hash_open(hop);
	if (err)
		goto free_buf;

	err = fastboot_hash_walk(hop, list, fastboot_hash_range);
	if (!err)
		err = crypto_shash_final(hop->desc, digest);
	if (err && !why[0])
		fastboot_hash_fail(hop, err, "sha256 failed (%d)", err);
	*bytes = hop->done;
	if (hop->filp != t->filp)
		fput(hop->filp);
free_buf:
	fastboot_buf_free(opts, &hop->buf);
free_tfm:
	kfree_sensitive(hop->desc);
	crypto_free_shash(tfm);
out:
	kfree(hop);
	return err;
}
