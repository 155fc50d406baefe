// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_fastboot: partitions and targets.
 *
 * The configfs group "partitions" of an instance holds explicit targets,
 * one item per name: "partitions/<name>/" with
 *   path    block device or regular file (absolute), resolved when
 *           written (f_fastboot_path.c); empty: a region of "storage"
 *   offset  byte offset in it (default 0)
 *   size    bytes; 0 (default): up to the end of the device or file
 *   type    answer to getvar:partition-type (default "raw")
 * Names are checked as the host would send them (fastboot_part_parse()), and
 * attribute writes fail with -EBUSY while the function is linked.
 *
 * fastboot_target_open() resolves what the host names, in this order:
 * explicit partitions, "mbr", "gpt", raw byte offsets on storage
 * ("0x400"), then the partitions of storage by GPT name or by number
 * (f_fastboot_table.c reads the table). A block device keeps its size; a
 * file given as an explicit partition's path may grow up to the end of
 * its region.
 *
 * Everything here runs in the function's worker (process context) or in
 * configfs callbacks; opts->lock is held only to copy the configuration,
 * never across I/O or calls into the USB side.
 */
#include <linux/blkdev.h>
#include <linux/configfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <imxflash/fastboot_cmd.h>

#include "u_fastboot.h"
#include "f_fastboot_table.h"

#define FASTBOOT_TYPE_LEN	sizeof_field(struct fastboot_target, type)

/**
 * struct fastboot_part_cfg - configfs item "partitions/<name>"
 * @item:   the item; its name is the partition name
 * @node:   in opts->parts
 * @opts:   the instance
 * @path:   block device or file; not set: a region of storage
 * @offset: bytes
 * @size:   bytes, 0 = to the end
 * @type:   getvar:partition-type
 *
 * The fields are protected by opts->lock.
 */
struct fastboot_part_cfg {
	struct config_item item;
	struct list_head node;
	struct fastboot_opts *opts;
	struct fastboot_path path;
	u64 offset;
	u64 size;
	char type[FASTBOOT_TYPE_LEN];
};

__printf(4, 5)
static int fastboot_part_fail(char *why, size_t why_len, int err,
			      const char *fmt, ...)
{
	va_list ap;

	if (why && why_len) {
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return err;
}

/* ---- configfs ---- */

static struct fastboot_part_cfg *
to_fastboot_part_cfg(struct config_item *item)
{
	return container_of(item, struct fastboot_part_cfg, item);
}

/* Store helper: -EBUSY while the function is bound. */
static int fastboot_part_lock(struct fastboot_part_cfg *cfg)
{
	mutex_lock(&cfg->opts->lock);
	if (cfg->opts->refcnt) {
		mutex_unlock(&cfg->opts->lock);
		return -EBUSY;
	}
	return 0;
}

static ssize_t fastboot_part_path_show(struct config_item *item, char *page)
{
	struct fastboot_part_cfg *cfg = to_fastboot_part_cfg(item);
	ssize_t ret;

	mutex_lock(&cfg->opts->lock);
	ret = sysfs_emit(page, "%s\n", cfg->path.name ?: "");
	mutex_unlock(&cfg->opts->lock);
	return ret;
}

static ssize_t fastboot_part_path_store(struct config_item *item,
					const char *page, size_t len)
{
	struct fastboot_part_cfg *cfg = to_fastboot_part_cfg(item);
	struct fastboot_path path;
	int ret;

	/* In the writer's context, as "storage"; "" lets the old one go. */
	ret = fastboot_path_resolve(&path, page, len, cfg->opts->name,
				    config_item_name(item));
	if (ret)
		return ret;
	ret = fastboot_part_lock(cfg);
	if (!ret) {
		swap(cfg->path, path);
		mutex_unlock(&cfg->opts->lock);
	}
	fastboot_path_release(&path);
	return ret ?: len;
}

static ssize_t fastboot_part_u64_show(struct fastboot_part_cfg *cfg, u64 *field,
				      char *page)
{
	ssize_t ret;

	mutex_lock(&cfg->opts->lock);
	ret = sysfs_emit(page, "%llu\n", *field);
	mutex_unlock(&cfg->opts->lock);
	return ret;
}

/* Decimal or 0x hex; at most what a file offset can hold. */
static ssize_t fastboot_part_u64_store(struct fastboot_part_cfg *cfg,
				       u64 *field, const char *page, size_t len)
{
	u64 v;
	int ret;

	ret = kstrtou64(page, 0, &v);
	if (ret)
		return ret;
	if (v > MAX_LFS_FILESIZE)
		return -ERANGE;
	ret = fastboot_part_lock(cfg);
	if (ret)
		return ret;
	*field = v;
	mutex_unlock(&cfg->opts->lock);
	return len;
}

static ssize_t fastboot_part_offset_show(struct config_item *item, char *page)
{
	struct fastboot_part_cfg *cfg = to_fastboot_part_cfg(item);

	return fastboot_part_u64_show(cfg, &cfg->offset, page);
}

static ssize_t fastboot_part_offset_store(struct config_item *item,
					  const char *page, size_t len)
{
	struct fastboot_part_cfg *cfg = to_fastboot_part_cfg(item);

	return fastboot_part_u64_store(cfg, &cfg->offset, page, len);
}

static ssize_t fastboot_part_size_show(struct config_item *item, char *page)
{
	struct fastboot_part_cfg *cfg = to_fastboot_part_cfg(item);

	return fastboot_part_u64_show(cfg, &cfg->size, page);
}

static ssize_t fastboot_part_size_store(struct config_item *item,
					const char *page, size_t len)
{
	struct fastboot_part_cfg *cfg = to_fastboot_part_cfg(item);

	return fastboot_part_u64_store(cfg, &cfg->size, page, len);
}

static ssize_t fastboot_part_type_show(struct config_item *item, char *page)
{
	struct fastboot_part_cfg *cfg = to_fastboot_part_cfg(item);
	ssize_t ret;

	mutex_lock(&cfg->opts->lock);
	ret = sysfs_emit(page, "%s\n", cfg->type);
	mutex_unlock(&cfg->opts->lock);
	return ret;
}

/* A word the host can show: printable ASCII without spaces. */
static ssize_t fastboot_part_type_store(struct config_item *item,
					const char *page, size_t len)
{
	struct fastboot_part_cfg *cfg = to_fastboot_part_cfg(item);
	size_t n = len, i;
	int ret;

	if (n && page[n - 1] == '\n')
		n--;
	if (!n || n >= FASTBOOT_TYPE_LEN)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (page[i] <= ' ' || page[i] >= 0x7f)
			return -EINVAL;
	ret = fastboot_part_lock(cfg);
	if (ret)
		return ret;
	memcpy(cfg->type, page, n);
	cfg->type[n] = '\0';
	mutex_unlock(&cfg->opts->lock);
	return len;
}

CONFIGFS_ATTR(fastboot_part_, path);
CONFIGFS_ATTR(fastboot_part_, offset);
CONFIGFS_ATTR(fastboot_part_, size);
CONFIGFS_ATTR(fastboot_part_, type);

static struct configfs_attribute *fastboot_part_attrs[] = {
	&fastboot_part_attr_path,
	&fastboot_part_attr_offset,
	&fastboot_part_attr_size,
	&fastboot_part_attr_type,
	NULL,
};

static void fastboot_part_release(struct config_item *item)
{
	struct fastboot_part_cfg *cfg = to_fastboot_part_cfg(item);

	fastboot_path_release(&cfg->path);
	kfree(cfg);
}

static struct configfs_item_operations fastboot_part_item_ops = {
	.release = fastboot_part_release,
};

static const struct config_item_type fastboot_part_type = {
	.ct_item_ops = &fastboot_part_item_ops,
	.ct_attrs = fastboot_part_attrs,
	.ct_owner = THIS_MODULE,
};

static struct config_item *fastboot_parts_make_item(struct config_group *group,
						    const char *name)
{
	struct fastboot_opts *opts =
		container_of(group, struct fastboot_opts, parts_group);
	struct fastboot_part_cfg *cfg;
	const char *why;

	/* Only names the host can send; "0x..." would be a raw offset. */
	if (fastboot_part_parse(name, strlen(name), NULL, &why)) {
		pr_info("partition name '%s' refused: %s\n", name,
			why ?: "it is a raw offset");
		return ERR_PTR(-EINVAL);
	}
	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return ERR_PTR(-ENOMEM);
	cfg->opts = opts;
	strscpy(cfg->type, "raw", sizeof(cfg->type));
	config_item_init_type_name(&cfg->item, name, &fastboot_part_type);
	mutex_lock(&opts->lock);
	list_add_tail(&cfg->node, &opts->parts);
	mutex_unlock(&opts->lock);
	return &cfg->item;
}

static void fastboot_parts_drop_item(struct config_group *group,
				     struct config_item *item)
{
	struct fastboot_part_cfg *cfg = to_fastboot_part_cfg(item);

	mutex_lock(&cfg->opts->lock);
	list_del(&cfg->node);
	mutex_unlock(&cfg->opts->lock);
	config_item_put(item);
}

static struct configfs_group_operations fastboot_parts_group_ops = {
	.make_item = fastboot_parts_make_item,
	.drop_item = fastboot_parts_drop_item,
};

static const struct config_item_type fastboot_parts_type = {
	.ct_group_ops = &fastboot_parts_group_ops,
	.ct_owner = THIS_MODULE,
};

/* opts->func_inst.group must be initialised already. */
void fastboot_parts_init(struct fastboot_opts *opts)
{
	config_group_init_type_name(&opts->parts_group, "partitions",
				    &fastboot_parts_type);
	configfs_add_default_group(&opts->parts_group, &opts->func_inst.group);
}

/* ---- opening ---- */

/*
 * What a name resolves to, copied from the configuration under the lock
 * so that no I/O happens with it held (the paths hold their own
 * references).
 */
struct fastboot_spec {
	struct fastboot_path storage;	/* opts->storage */
	struct fastboot_path path;	/* explicit partition: its path */
	u64 offset;
	u64 size;
	char type[FASTBOOT_TYPE_LEN];
	bool explicit;
};

static void fastboot_spec_free(struct fastboot_spec *sp)
{
	fastboot_path_release(&sp->storage);
	fastboot_path_release(&sp->path);
}

static int fastboot_spec_get(struct fastboot_opts *opts, const char *name,
			     size_t len, struct fastboot_spec *sp)
{
	struct fastboot_part_cfg *cfg;
	int ret = 0;

	memset(sp, 0, sizeof(*sp));
	strscpy(sp->type, "raw", sizeof(sp->type));
	mutex_lock(&opts->lock);
	ret = fastboot_path_dup(opts, &sp->storage, &opts->storage);
	list_for_each_entry(cfg, &opts->parts, node) {
		const char *n = config_item_name(&cfg->item);

		if (ret || strlen(n) != len || memcmp(n, name, len))
			continue;
		sp->explicit = true;
		ret = fastboot_path_dup(opts, &sp->path, &cfg->path);
		sp->offset = cfg->offset;
		sp->size = cfg->size;
		memcpy(sp->type, cfg->type, sizeof(sp->type));
		break;
	}
	mutex_unlock(&opts->lock);
	if (ret)
		fastboot_spec_free(sp);
	return ret;
}

/*
 * Open @path for @t: a block device or a regular file (checked when it
 * was configured; a dentry keeps its type). Sets filp, blksz, bdev and
 * returns the size of the whole device or file in *@dev_size.
 */
static int fastboot_open(const struct fastboot_path *path, bool write,
			 struct fastboot_target *t,
			 u64 *dev_size, char *why, size_t why_len)
{
	struct file *f;
	struct inode *inode;

	f = fastboot_path_open(path, write, why, why_len);
	if (IS_ERR(f))
		return PTR_ERR(f);
	inode = file_inode(f);
	if (S_ISBLK(inode->i_mode)) {
		struct block_device *bdev = I_BDEV(f->f_mapping->host);

		t->bdev = true;
		t->blksz = bdev_logical_block_size(bdev);
		*dev_size = bdev_nr_bytes(bdev);
	} else {
		t->blksz = 512;
		*dev_size = i_size_read(inode);
	}
	t->filp = f;
	return 0;
}

void fastboot_target_close(struct fastboot_target *t)
{
	if (t->filp)
		filp_close(t->filp, NULL);
	t->filp = NULL;
}

/* The explicit partition @sp named @nm. */
static int fastboot_open_explicit(const struct fastboot_spec *sp,
				  const char *nm,
				  bool write, struct fastboot_target *t,
				  char *why, size_t why_len)
{
	bool own = fastboot_path_isset(&sp->path);
	const struct fastboot_path *path = own ? &sp->path : &sp->storage;
	u64 dev, limit;
	int ret;

	if (!fastboot_path_isset(path))
		return fastboot_part_fail(why, why_len, -ENOENT,
					  "partition '%s': storage not set", nm);
	ret = fastboot_open(path, write, t, &dev, why, why_len);
	if (ret)
		return ret;
	t->kind = FASTBOOT_TGT_PART;
	t->start = sp->offset;
	memcpy(t->type, sp->type, sizeof(t->type));
	if (!sp->size) {
		/* Up to the end of the device or file. */
		if (sp->offset > dev) {
			ret = fastboot_part_fail(why, why_len, -ERANGE,
						 "partition '%s': offset past the end", nm);
			goto err;
		}
		t->size = dev - sp->offset;
		return 0;
	}
	t->size = sp->size;
	/* A file may grow up to the region's end; a device may not. */
	limit = t->bdev || !own ? dev : MAX_LFS_FILESIZE;
	if (sp->offset > limit || sp->size > limit - sp->offset) {
		ret = fastboot_part_fail(why, why_len, -ERANGE,
					 "partition '%s' ends past the end of %s", nm,
					 own ? "its path" : "storage");
		goto err;
	}
	return 0;
err:
	fastboot_target_close(t);
	return ret;
}

/*
 * Resolve @nm (already checked: a name, or a raw offset if @is_raw) and
 * open it.
 */
static int fastboot_resolve(struct fastboot_opts *opts, const char *nm,
			    bool is_raw,
			    u64 raw, bool write, struct fastboot_target *t,
			    char *why, size_t why_len)
{
	struct fastboot_spec sp;
	u64 dev;
	int ret;

	memset(t, 0, sizeof(*t));
	ret = fastboot_spec_get(opts, nm, is_raw ? 0 : strlen(nm), &sp);
	if (ret)
		return fastboot_part_fail(why, why_len, ret, "out of memory");
	if (sp.explicit) {
		ret = fastboot_open_explicit(&sp, nm, write, t, why, why_len);
		goto out;
	}
	if (!fastboot_path_isset(&sp.storage)) {
		ret = fastboot_part_fail(why, why_len, -ENOENT,
					 "no partition '%s' (storage not set)",
					 nm);
		goto out;
	}
	ret = fastboot_open(&sp.storage, write, t, &dev, why, why_len);
	if (ret)
		goto out;
	strscpy(t->type, "raw", sizeof(t->type));
	t->size = dev;
	if (!is_raw && (!strcmp(nm, "mbr") || !strcmp(nm, "gpt"))) {
		t->kind = nm[0] == 'm' ? FASTBOOT_TGT_MBR : FASTBOOT_TGT_GPT;
	} else if (is_raw) {
		t->kind = FASTBOOT_TGT_RAW;
		if (raw >= dev) {
			ret = fastboot_part_fail(why, why_len, -ERANGE,
						 "%s is past the end of storage (0x%llx)",
						 nm, dev);
			goto out;
		}
		t->start = raw;
		t->size = dev - raw;
	} else {
		t->kind = FASTBOOT_TGT_PART;
		ret = fastboot_table_find(t->filp, dev, t->blksz, nm, &t->start,
					  &t->size, why, why_len);
	}
out:
	if (ret)
		fastboot_target_close(t);
	fastboot_spec_free(&sp);
	return ret;
}

/* Check @name as sent by the host; *@raw set for a raw offset. */
static int fastboot_name(const char *name, size_t len, char *nm, bool *is_raw,
			 u64 *raw, char *why, size_t why_len)
{
	const char *w;
	int ret;

	ret = fastboot_part_parse(name, len, raw, &w);
	if (ret < 0)
		return fastboot_part_fail(why, why_len, ret, "%s", w);
	memcpy(nm, name, len);
	nm[len] = '\0';
	*is_raw = ret == 1;
	return 0;
}

int fastboot_target_open(struct fastboot_opts *opts, const char *name,
			 size_t len, bool write, struct fastboot_target *t,
			 char *why, size_t why_len)
{
	char nm[FASTBOOT_NAME_MAX + 1];
	bool is_raw;
	u64 raw = 0;
	int ret;

	memset(t, 0, sizeof(*t));
	if (why && why_len)
		why[0] = '\0';
	ret = fastboot_name(name, len, nm, &is_raw, &raw, why, why_len);
	if (ret)
		return ret;
	return fastboot_resolve(opts, nm, is_raw, raw, write, t, why, why_len);
}

/* True if @nm resolves (read-only open, closed again). */
static bool fastboot_exists(struct fastboot_opts *opts, const char *nm,
			    bool is_raw, u64 raw)
{
	char why[FASTBOOT_RESP_PAYLOAD_MAX + 1];
	struct fastboot_target t;

	if (fastboot_resolve(opts, nm, is_raw, raw, false, &t, why,
			     sizeof(why)))
		return false;
	fastboot_target_close(&t);
	return true;
}

int fastboot_part_var(struct fastboot_opts *opts, unsigned int var,
		      const char *name, size_t len, char *val, size_t val_len,
		      char *why, size_t why_len)
{
	char nm[FASTBOOT_NAME_MAX + 3];
	struct fastboot_target t;
	bool is_raw;
	u64 raw = 0;
	int ret;

	if (why && why_len)
		why[0] = '\0';
	ret = fastboot_name(name, len, nm, &is_raw, &raw, why, why_len);
	if (ret)
		return ret;
	if (var == FASTBOOT_VAR_HAS_SLOT) {
		/* yes if <name>_a exists, no if <name> does, else FAIL */
		if (!is_raw) {
			strcat(nm, "_a");
			if (fastboot_exists(opts, nm, false, 0)) {
				strscpy(val, "yes", val_len);
				return 0;
			}
			nm[len] = '\0';
		}
	}
	ret = fastboot_resolve(opts, nm, is_raw, raw, false, &t, why, why_len);
	if (ret)
		return ret;
	switch (var) {
	case FASTBOOT_VAR_PARTITION_SIZE:
		snprintf(val, val_len, "0x%016llx", t.size);
		break;
	case FASTBOOT_VAR_PARTITION_TYPE:
		strscpy(val, t.type, val_len);
		break;
	case FASTBOOT_VAR_HAS_SLOT:
	case FASTBOOT_VAR_IS_LOGICAL:
		strscpy(val, "no", val_len);
		break;
	default:
		ret = fastboot_part_fail(why, why_len, -EINVAL,
					 "not a partition variable");
	}
	fastboot_target_close(&t);
	return ret;
}

/* ---- getvar:all ---- */

/* The callback of fastboot_for_each_part() */
typedef int (*fastboot_part_fn)(void *ctx, const char *name, u64 size,
				const char *type);

static int fastboot_each_part(struct fastboot_opts *opts, fastboot_part_fn fn,
			      void *ctx)
{
	char nm[FASTBOOT_NAME_MAX + 1], why[FASTBOOT_RESP_PAYLOAD_MAX + 1];
	struct fastboot_part_cfg *cfg;
	struct fastboot_target t;
	unsigned int i, k;
	bool more;
	int ret;

	/*
	 * Explicit partitions by index, the lock dropped around each call:
	 * @fn talks to the host. Items added or removed meanwhile may be
	 * skipped or listed twice, which is harmless for a listing.
	 */
	for (i = 0;; i++) {
		more = false;
		mutex_lock(&opts->lock);
		k = 0;
		list_for_each_entry(cfg, &opts->parts, node) {
			if (k++ != i)
				continue;
			strscpy(nm, config_item_name(&cfg->item), sizeof(nm));
			more = true;
			break;
		}
		mutex_unlock(&opts->lock);
		if (!more)
			break;
		/* Listed only if it can be opened. */
		if (fastboot_resolve(opts, nm, false, 0, false, &t, why,
				     sizeof(why)))
			continue;
		ret = fn(ctx, nm, t.size, t.type);
		fastboot_target_close(&t);
		if (ret)
			return ret;
	}

	/*
	 * Then the partitions of storage. No storage, no table or a broken
	 * one: nothing more to list (flash and getvar name the problem).
	 */
	if (fastboot_resolve(opts, "0x0", true, 0, false, &t, why, sizeof(why)))
		return 0;
	ret = fastboot_table_each(t.filp, t.size, t.blksz, fn, ctx);
	fastboot_target_close(&t);
	return ret;
}

/*
 * checkpatch reads any "*for_each*(" as a loop header and wants the brace
 * of the definition on its line: the body is fastboot_each_part().
 */
int fastboot_for_each_part(struct fastboot_opts *opts, fastboot_part_fn fn,
			   void *ctx) __alias(fastboot_each_part);
