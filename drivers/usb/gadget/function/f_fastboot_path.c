// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_fastboot: the paths of "storage" and "partitions/<name>/path".
 *
 * A path means what it means to the process that writes it. It is
 * resolved when it is written, in the writer's context (its root, mount
 * namespace and credentials), and commands later open what it resolved
 * to. Looked up by the worker instead, it would be resolved against the
 * kernel's initial root: written from a chroot, a container or after
 * switch_root, it would name another file or none. Resolving it at once
 * also refuses a wrong path at the write, with an errno for the writer.
 *
 * f_mass_storage does the same by opening its backing file when the
 * attribute is written and keeping the struct file (storage_common.c,
 * fsg_lun_open()). Here a struct path (mount and dentry) is kept instead,
 * and commands open it with dentry_open(). Both pin the mount: umount
 * fails with EBUSY until the attribute is emptied or the item removed.
 * Not holding a file open is what the function needs:
 *  - no block device is held open between commands: a disk whose
 *    partition is configured can still re-read its table (BLKRRPART
 *    refuses while a partition is open, and "flash gpt" asks for it), a
 *    loop device can be detached;
 *  - no write access is held: the filesystem can be remounted read-only;
 *  - getvar and fetch open read-only and flash and erase read-write, per
 *    command, as before; a block device is not opened exclusively.
 * dentry_open() checks no permission itself (the worker could open
 * anything): the writer's rights are checked when it writes, by a real
 * open in its context, read-write or, if that is refused, read-only; a
 * path the writer could only read is then never opened for writing.
 */
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "u_fastboot.h"

/* The writer gets the errno; the kernel log says which attribute and why. */
static void fastboot_path_log(const char *inst, const char *part,
			      const char *name, const char *what, int err)
{
	if (part)
		pr_info("fastboot.%s: partitions/%s/path: %s %s (%pe)\n", inst,
			part, name, what, ERR_PTR(err));
	else
		pr_info("fastboot.%s: storage: %s %s (%pe)\n", inst, name, what,
			ERR_PTR(err));
}

/* A block device or a regular file; the errno for anything else. */
static int fastboot_path_type(umode_t mode)
{
	if (S_ISBLK(mode) || S_ISREG(mode))
		return 0;
	return S_ISDIR(mode) ? -EISDIR : -EINVAL;
}

/*
 * Open @name as open(2) would for the writer, read-write if it may, else
 * read-only (*@rw_err: why not read-write, 0 if it is). The type is
 * checked on a lookup first: opening is not harmless for everything (a
 * character device may act on open).
 */
static struct file *fastboot_path_try_open(const char *name, int *rw_err,
					   const char **what)
{
	struct path path;
	struct file *f;
	int err;

	*rw_err = 0;
	*what = "cannot be looked up";
	err = kern_path(name, LOOKUP_FOLLOW, &path);
	if (err)
		return ERR_PTR(err);
	err = fastboot_path_type(d_inode(path.dentry)->i_mode);
	path_put(&path);
	if (err)
		goto bad_type;

	*what = "cannot be opened";
	f = filp_open(name, O_RDWR | O_LARGEFILE, 0);
	if (f == ERR_PTR(-EROFS) || f == ERR_PTR(-EACCES) ||
	    f == ERR_PTR(-EPERM)) {
		*rw_err = PTR_ERR(f);
		f = filp_open(name, O_RDONLY | O_LARGEFILE, 0);
	}
	if (IS_ERR(f))
		return f;
	/* Replaced between the lookup and the open: what was opened counts. */
	err = fastboot_path_type(file_inode(f)->i_mode);
	if (!err)
		return f;
	filp_close(f, NULL);
bad_type:
	*what = err == -EISDIR ? "is a directory" :
				 "is no block device or regular file";
	return ERR_PTR(err);
}

int fastboot_path_resolve(struct fastboot_path *p, const char *page,
			  size_t len, const char *inst, const char *part)
{
	const char *what;
	struct file *f;
	size_t n = len;
	int err, rw_err;
	char *name;

	memset(p, 0, sizeof(*p));
	if (n && page[n - 1] == '\n')
		n--;
	if (!n)
		return 0;
	if (n >= PATH_MAX)
		return -ENAMETOOLONG;
	if (memchr(page, '\0', n) || memchr(page, '\n', n))
		return -EINVAL;
	name = kmemdup_nul(page, n, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	/* Read back as written, it only says which file if it is absolute. */
	if (name[0] != '/') {
		err = -EINVAL;
		what = "is not an absolute path";
		goto err;
	}
	f = fastboot_path_try_open(name, &rw_err, &what);
	if (IS_ERR(f)) {
		err = PTR_ERR(f);
		goto err;
	}
	p->path = f->f_path;
	path_get(&p->path);
	filp_close(f, NULL);
	p->name = name;
	p->writable = !rw_err;
	if (rw_err)
		fastboot_path_log(inst, part, name,
				  "is read-only for the writer: flash and erase to it will fail",
				  rw_err);
	return 0;
err:
	fastboot_path_log(inst, part, name, what, err);
	kfree(name);
	memset(p, 0, sizeof(*p));
	return err;
}

void fastboot_path_release(struct fastboot_path *p)
{
	if (p->path.dentry)
		path_put(&p->path);
	kfree(p->name);
	memset(p, 0, sizeof(*p));
}

int fastboot_path_dup(struct fastboot_opts *opts, struct fastboot_path *dst,
		      const struct fastboot_path *src)
{
	lockdep_assert_held(&opts->lock);
	memset(dst, 0, sizeof(*dst));
	if (!fastboot_path_isset(src))
		return 0;
	dst->name = kstrdup(src->name, GFP_KERNEL);
	if (!dst->name)
		return -ENOMEM;
	dst->path = src->path;
	path_get(&dst->path);
	dst->writable = src->writable;
	return 0;
}

struct file *fastboot_path_open(const struct fastboot_path *p, bool write,
				char *why, size_t why_len)
{
	struct dentry *d = p->path.dentry;
	struct file *f;

	if (write && !p->writable) {
		snprintf(why, why_len, "%s was read-only when configured",
			 p->name);
		return ERR_PTR(-EROFS);
	}
	/*
	 * A regular file removed (or renamed over) since it was configured
	 * is not the file that name means now: say so rather than write into
	 * a file nobody can see. A device node only names a device number;
	 * the kernel re-creates it when partitions are re-read, and the old
	 * node still opens that device.
	 */
	if (d_is_reg(d) && d_unlinked(d)) {
		snprintf(why, why_len, "%s was removed since it was configured",
			 p->name);
		return ERR_PTR(-ENOENT);
	}
	f = dentry_open(&p->path, (write ? O_RDWR : O_RDONLY) | O_LARGEFILE,
			current_cred());
	if (IS_ERR(f))
		snprintf(why, why_len, "cannot open %s (%ld)", p->name,
			 PTR_ERR(f));
	return f;
}
