// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_fastboot: the download buffer.
 *
 * A download is received straight into its final place: the buffer is an
 * array of blocks of FASTBOOT_BLK_SIZE bytes from the page allocator, each
 * physically contiguous and directly mapped, so that USB requests point
 * into them (the UDC maps them for DMA; nothing is copied) and the storage
 * side walks them in order. Only as much is allocated as the download
 * needs: the last block is the smallest power-of-two number of pages that
 * holds the rest. Every byte is accounted in the instance's mem_bytes.
 */

#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "u_fastboot.h"

/*
 * Kernel memory held by the instance: @bytes more (or less, if < 0). Every
 * allocation of the function that grows with its use is accounted here:
 * the buffers below, requests, the function itself.
 */
void fastboot_mem_account(struct fastboot_opts *opts, long bytes)
{
	struct fastboot_stats *st = &opts->stats;
	unsigned long flags;

	spin_lock_irqsave(&opts->stat_lock, flags);
	st->mem_bytes += bytes;
	st->mem_high_water = max(st->mem_high_water, st->mem_bytes);
	spin_unlock_irqrestore(&opts->stat_lock, flags);
}

/* Page order of block @i of a buffer of @cap bytes. */
static unsigned int fastboot_blk_order(u32 cap, u32 i, u32 nblks)
{
	if (i + 1 < nblks)
		return FASTBOOT_BLK_ORDER;
	return get_order(cap - (size_t)i * FASTBOOT_BLK_SIZE);
}

static size_t fastboot_blk_array_size(u32 nblks)
{
	return kmalloc_size_roundup(array_size(nblks, sizeof(void *)));
}

/**
 * fastboot_buf_alloc() - allocate a buffer of at least @cap bytes
 * @opts:     instance the memory is accounted to
 * @b:        empty buffer (all zero)
 * @cap:      bytes needed (not 0)
 * @progress: if not NULL, called after each block with the bytes of the
 *            blocks so far: a large allocation may compact or reclaim for
 *            seconds, and the caller may have to keep the host waiting
 *            (uuu reads every answer with a 2 s timeout). A non-zero
 *            return stops the allocation with that error.
 * @ctx:      its argument
 *
 * Sleeps. __GFP_RETRY_MAYFAIL: a large download must fail with a clear
 * FAIL rather than invoke the OOM killer. Returns 0, -ENOMEM or the
 * error of @progress (@b is left empty).
 */
int fastboot_buf_alloc(struct fastboot_opts *opts, struct fastboot_buf *b,
		       u32 cap, fastboot_progress_t progress, void *ctx)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN;
	u32 nblks = DIV_ROUND_UP(cap, FASTBOOT_BLK_SIZE);
	long bytes;
	int err;
	u32 i;

	if (WARN_ON_ONCE(!cap || b->blk))
		return -EINVAL;
	b->blk = kvcalloc(nblks, sizeof(void *), GFP_KERNEL);
	if (!b->blk)
		return -ENOMEM;
	bytes = fastboot_blk_array_size(nblks);
	for (i = 0; i < nblks; i++) {
		unsigned int order = fastboot_blk_order(cap, i, nblks);

		b->blk[i] = (void *)__get_free_pages(gfp, order);
		if (!b->blk[i]) {
			err = -ENOMEM;
			goto fail;
		}
		bytes += PAGE_SIZE << order;
		/* Large downloads: let other work run between blocks. */
		cond_resched();
		err = progress ? progress(ctx, (u64)(i + 1) * FASTBOOT_BLK_SIZE,
					  cap) : 0;
		if (err) {
			i++;	/* block i is freed too */
			goto fail;
		}
	}
	b->nblks = nblks;
	b->cap = cap;
	b->len = 0;
	fastboot_mem_account(opts, bytes);
	return 0;

fail:
	while (i--)
		free_pages((unsigned long)b->blk[i],
			   fastboot_blk_order(cap, i, nblks));
	kvfree(b->blk);
	b->blk = NULL;
	return err;
}

/*
 * The most memory a download buffer could ever be made of: its blocks are
 * directly mapped pages, so highmem never counts. That is all of the RAM
 * on 64-bit, and only what lies below the highmem line on a 32-bit ARM
 * kernel (on an i.MX6 with 1 GiB and the 3G/1G split, about 760 MiB). A
 * max_download_size above it can never be met.
 */
u64 fastboot_buf_mem_limit(void)
{
	return (u64)(totalram_pages() - totalhigh_pages()) << PAGE_SHIFT;
}

/* Free @b (may be empty) and leave it empty. */
void fastboot_buf_free(struct fastboot_opts *opts, struct fastboot_buf *b)
{
	long bytes;
	u32 i;

	if (!b->blk)
		return;
	bytes = fastboot_blk_array_size(b->nblks);
	for (i = 0; i < b->nblks; i++) {
		unsigned int order = fastboot_blk_order(b->cap, i, b->nblks);

		free_pages((unsigned long)b->blk[i], order);
		bytes += PAGE_SIZE << order;
	}
	kvfree(b->blk);
	memset(b, 0, sizeof(*b));
	fastboot_mem_account(opts, -bytes);
}

/*
 * Address of byte @off of @b (< @b->cap) and, in *@room, the bytes from
 * there to the end of its block or of the buffer.
 */
void *fastboot_buf_at(const struct fastboot_buf *b, u32 off, u32 *room)
{
	u32 i = off / FASTBOOT_BLK_SIZE;
	u32 in = off % FASTBOOT_BLK_SIZE;
	u32 end = min_t(u32, FASTBOOT_BLK_SIZE,
			b->cap - i * FASTBOOT_BLK_SIZE);

	*room = end - in;
	return b->blk[i] + in;
}

/*
 * Move @len bytes at @src down to @dst (@dst < @src), across blocks.
 * Copying in ascending order in pieces that stay inside one block on
 * both sides never overwrites a source byte before it has been read,
 * because every piece is copied with memmove() and a later piece starts
 * above an earlier one on both sides.
 */
void fastboot_buf_move(const struct fastboot_buf *b, u32 dst, u32 src,
		       u32 len)
{
	while (len) {
		u32 droom, sroom, n;
		void *d = fastboot_buf_at(b, dst, &droom);
		void *s = fastboot_buf_at(b, src, &sroom);

		n = min3(len, droom, sroom);
		memmove(d, s, n);
		dst += n;
		src += n;
		len -= n;
	}
}
