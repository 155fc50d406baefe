// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_sdp: emulated SoC memory and its debugfs window.
 *
 * The emulated board has a 32-bit physical address space. Only pages
 * that were written exist (an xarray indexed by page number), so a
 * board with 2 GiB of "DDR" costs what was loaded into it, bounded by
 * the function's mem_limit. Unwritten memory reads as zero.
 *
 * debugfs, per function instance (usb_f_sdp/<instance>/):
 *   mem  read/write, file offset = target address (tests compare what a
 *        loader wrote byte for byte, and can preset memory);
 *   log  the commands the ROM served, one per line, oldest first.
 */

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "u_sdp.h"

#define SDP_ADDR_SPACE	BIT_ULL(32)

static struct dentry *sdp_debugfs_root;

void sdp_mem_init(struct sdp_mem *mem, u32 limit)
{
	xa_init(&mem->pages);
	mem->npages = 0;
	mem->max_pages = DIV_ROUND_UP(limit, PAGE_SIZE);
}

void sdp_mem_release(struct sdp_mem *mem)
{
	unsigned long idx;
	void *page;

	xa_for_each(&mem->pages, idx, page)
		free_page((unsigned long)page);
	xa_destroy(&mem->pages);
	mem->npages = 0;
}

/*
 * Find or create the page holding page number @idx. A page is taken from
 * *@spare when the caller could allocate one in process context, else it
 * is allocated atomically: the ROM machine runs in USB completions.
 */
static void *sdp_mem_page(struct sdp_rom *rom, unsigned long idx, void **spare)
{
	struct sdp_mem *mem = &rom->mem;
	void *page;
	int err;

	lockdep_assert_held(&rom->lock);

	page = xa_load(&mem->pages, idx);
	if (page)
		return page;
	if (mem->npages >= mem->max_pages)
		return ERR_PTR(-ENOSPC);
	if (spare && *spare) {
		page = *spare;
		*spare = NULL;
	} else {
		page = (void *)get_zeroed_page(GFP_ATOMIC | __GFP_NOWARN);
		if (!page)
			return ERR_PTR(-ENOMEM);
	}
	err = xa_err(xa_store(&mem->pages, idx, page, GFP_ATOMIC));
	if (err) {
		free_page((unsigned long)page);
		return ERR_PTR(err);
	}
	mem->npages++;
	return page;
}

static int __sdp_mem_write(struct sdp_rom *rom, u32 addr, const void *buf,
			   u32 len, void **spare)
{
	const u8 *src = buf;
	u64 pos = addr;

	lockdep_assert_held(&rom->lock);

	if (pos + len > SDP_ADDR_SPACE)
		return -EFAULT;
	while (len) {
		u32 off = pos & (PAGE_SIZE - 1);
		u32 n = min_t(u32, len, PAGE_SIZE - off);
		void *page = sdp_mem_page(rom, pos >> PAGE_SHIFT, spare);

		if (IS_ERR(page))
			return PTR_ERR(page);
		memcpy(page + off, src, n);
		src += n;
		pos += n;
		len -= n;
	}
	return 0;
}

/* Store @len bytes at @addr. -ENOSPC when mem_limit would be exceeded. */
int sdp_mem_write(struct sdp_rom *rom, u32 addr, const void *buf, u32 len)
{
	return __sdp_mem_write(rom, addr, buf, len, NULL);
}

/* Load @len bytes from @addr; holes read as zero, the space wraps never. */
void sdp_mem_read(struct sdp_rom *rom, u32 addr, void *buf, u32 len)
{
	u8 *dst = buf;
	u64 pos = addr;

	lockdep_assert_held(&rom->lock);

	while (len) {
		u32 off = pos & (PAGE_SIZE - 1);
		u32 n = min_t(u32, len, PAGE_SIZE - off);
		void *page = NULL;

		if (pos < SDP_ADDR_SPACE)
			page = xa_load(&rom->mem.pages, pos >> PAGE_SHIFT);
		if (page)
			memcpy(dst, page + off, n);
		else
			memset(dst, 0, n);
		dst += n;
		pos += n;
		len -= n;
	}
}

/*
 * Pages a write of [addr, addr + len) would have to allocate. Callers
 * compare it with what mem_limit leaves before accepting a data phase,
 * so that nothing is written by a command that cannot complete.
 */
u32 sdp_mem_pages_needed(struct sdp_rom *rom, u32 addr, u64 len)
{
	struct sdp_mem *mem = &rom->mem;
	unsigned long first, last, idx;
	u32 missing = 0;

	lockdep_assert_held(&rom->lock);

	if (!len)
		return 0;
	first = addr >> PAGE_SHIFT;
	last = (addr + len - 1) >> PAGE_SHIFT;
	/* More pages than the limit can ever hold: no need to look. */
	if (last - first + 1 > mem->max_pages)
		return U32_MAX;
	for (idx = first; idx <= last; idx++)
		if (!xa_load(&mem->pages, idx))
			missing++;
	return missing;
}

static loff_t sdp_mem_llseek(struct file *file, loff_t off, int whence)
{
	return fixed_size_llseek(file, off, whence, SDP_ADDR_SPACE);
}

static ssize_t sdp_mem_dbg_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct sdp_rom *rom = file->private_data;
	size_t done = 0;
	void *bounce;

	if (*ppos < 0)
		return -EINVAL;
	if (*ppos >= SDP_ADDR_SPACE)
		return 0;
	count = min_t(u64, count, SDP_ADDR_SPACE - *ppos);
	bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	while (done < count) {
		u32 addr = *ppos + done;
		u32 n = min_t(size_t, count - done,
			      PAGE_SIZE - (addr & (PAGE_SIZE - 1)));

		spin_lock_irq(&rom->lock);
		sdp_mem_read(rom, addr, bounce, n);
		spin_unlock_irq(&rom->lock);
		if (copy_to_user(ubuf + done, bounce, n)) {
			if (!done)
				done = -EFAULT;
			break;
		}
		done += n;
		if (fatal_signal_pending(current))
			break;
	}
	kfree(bounce);
	if ((ssize_t)done > 0)
		*ppos += done;
	return done;
}

static ssize_t sdp_mem_dbg_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct sdp_rom *rom = file->private_data;
	void *bounce, *spare = NULL;
	ssize_t done = 0;
	int err = 0;

	if (*ppos < 0 || *ppos >= SDP_ADDR_SPACE)
		return -EFBIG;
	count = min_t(u64, count, SDP_ADDR_SPACE - *ppos);
	bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	while (done < count) {
		u32 addr = *ppos + done;
		u32 n = min_t(size_t, count - done,
			      PAGE_SIZE - (addr & (PAGE_SIZE - 1)));

		if (copy_from_user(bounce, ubuf + done, n)) {
			err = -EFAULT;
			break;
		}
		if (!spare)
			spare = (void *)get_zeroed_page(GFP_KERNEL);
		spin_lock_irq(&rom->lock);
		err = __sdp_mem_write(rom, addr, bounce, n, &spare);
		spin_unlock_irq(&rom->lock);
		if (err)
			break;
		done += n;
		if (fatal_signal_pending(current))
			break;
	}
	if (spare)
		free_page((unsigned long)spare);
	kfree(bounce);
	if (done)
		*ppos += done;
	return done ? done : err;
}

static const struct file_operations sdp_mem_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.llseek = sdp_mem_llseek,
	.read = sdp_mem_dbg_read,
	.write = sdp_mem_dbg_write,
};

static const char * const sdp_log_flag_names[] = {
	" failed", " truncated", " noreply",
};

static void sdp_log_show_one(struct seq_file *m, u32 seq,
			     const struct sdp_log_entry *e)
{
	const char *name = sdp_cmd_name(e->type);
	unsigned int i;

	seq_printf(m, "%u ", seq);
	if (name)
		seq_puts(m, name);
	else
		seq_printf(m, "UNKNOWN(0x%04x)", e->type);
	seq_printf(m, " addr=0x%08x count=%u format=0x%02x data=0x%08x status=0x%08x",
		   e->addr, e->count, e->format, e->data, e->result);
	for (i = 0; i < ARRAY_SIZE(sdp_log_flag_names); i++)
		if (e->flags & BIT(i))
			seq_puts(m, sdp_log_flag_names[i]);
	seq_putc(m, '\n');
}

static int sdp_log_show(struct seq_file *m, void *unused)
{
	struct sdp_rom *rom = m->private;
	struct sdp_log_entry *snap;
	u32 head, first, n, i;

	snap = kvmalloc_array(SDP_LOG_LEN, sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	spin_lock_irq(&rom->lock);
	head = rom->log_head;
	memcpy(snap, rom->log, sizeof(rom->log));
	spin_unlock_irq(&rom->lock);

	n = min_t(u32, head, SDP_LOG_LEN);
	first = head - n;
	for (i = first; i != head; i++)
		sdp_log_show_one(m, i, &snap[i % SDP_LOG_LEN]);
	kvfree(snap);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sdp_log);

struct dentry *sdp_debugfs_create(struct sdp_rom *rom, const char *name)
{
	static atomic_t sdp_debugfs_seq = ATOMIC_INIT(0);
	struct dentry *dir, *old;
	char alt[48];

	/*
	 * Instance names are unique per gadget only: a second gadget with
	 * the same sdp.<name> gets <name>-<n>, and the log says so.
	 */
	old = debugfs_lookup(name, sdp_debugfs_root);
	if (old) {
		dput(old);
		snprintf(alt, sizeof(alt), "%s-%d", name,
			 atomic_inc_return(&sdp_debugfs_seq));
		pr_info("debugfs directory %s exists, using %s\n", name, alt);
		name = alt;
	}
	/* debugfs is optional: failures only cost the test window. */
	dir = debugfs_create_dir(name, sdp_debugfs_root);
	debugfs_create_file("mem", 0600, dir, rom, &sdp_mem_fops);
	debugfs_create_file("log", 0400, dir, rom, &sdp_log_fops);
	return dir;
}

void sdp_debugfs_remove(struct dentry *dir)
{
	debugfs_remove(dir);
}

int sdp_debugfs_init(void)
{
	sdp_debugfs_root = debugfs_create_dir("usb_f_sdp", NULL);
	return 0;
}

void sdp_debugfs_exit(void)
{
	debugfs_remove(sdp_debugfs_root);
}
