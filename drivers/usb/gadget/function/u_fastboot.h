/* SPDX-License-Identifier: GPL-2.0 */
/*
 * usb_f_fastboot: what every file of the function shares: the instance's
 * options and counters, the download buffer, targets and partitions. The
 * files and what each holds: Documentation/usb-f-fastboot.rst, "Source
 * files".
 *
 * Storage I/O and command handling run in process context (a worker of
 * the function); completions only move requests around.
 */
#ifndef _U_FASTBOOT_H
#define _U_FASTBOOT_H

#include <linux/configfs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/spinlock.h>
#include <linux/usb/composite.h>

#define FASTBOOT_NAME_LEN	32	/* instance name: fastboot.<name> */
#define FASTBOOT_STR_LEN	64	/* product, version_bootloader */
#define FASTBOOT_ERR_LEN	64	/* last_error: a FAIL payload + NUL */

/* The "state" attribute (USB side). */
enum fastboot_state {
	FASTBOOT_ST_IDLE,	/* waiting for a command (or not bound) */
	FASTBOOT_ST_COMMAND,	/* handling a command */
	FASTBOOT_ST_DOWNLOAD,	/* receiving a download */
	FASTBOOT_ST_UPLOAD,	/* sending upload or fetch data */
	FASTBOOT_ST_FLASH,
	FASTBOOT_ST_ERASE,
	FASTBOOT_ST_OEM,	/* waiting for the oem handler */
	FASTBOOT_ST_DETACHED,	/* left the bus after reboot/continue/boot */
	FASTBOOT_ST_HASH,	/* oem sha256: reading back and hashing */
};

/* The "stats" attribute (USB side); mem_* in bytes. */
struct fastboot_stats {
	u64 downloads;
	u64 download_bytes;
	u64 flashes;
	u64 flash_bytes;
	u64 erases;
	u64 fails;
	u64 mem_bytes;		/* kernel memory the instance holds now */
	u64 mem_high_water;	/* the most it ever held */
};

/**
 * struct fastboot_path - "storage" or a partition's "path", resolved in the
 * context of the process that wrote it (f_fastboot_path.c)
 * @name:     as written, for reading back and for messages; NULL: not set
 * @path:     what @name named for the writer (mount and dentry), held
 * @writable: the writer could open it read-write
 */
struct fastboot_path {
	char *name;
	struct path path;
	bool writable;
};

/**
 * struct fastboot_opts - configfs function instance "fastboot.<name>"
 * @func_inst:          the instance
 * @parts_group:        the "partitions" default group
 * @parts:              struct fastboot_part_cfg items, in creation order
 * @lock:               protects every field below and the items of @parts
 * @refcnt:             bound functions; attribute writes fail with -EBUSY
 *                      while it is not 0
 * @max_download_size:  bytes, answered to getvar:max-download-size
 * @oem_timeout_ms:     how long an oem handler may take
 * @locked:             flash/erase refused while set ("flashing unlock")
 * @fetch:              fetch reads back targets (else refused, as on a
 *                      device without it)
 * @oem_sha256:         "oem sha256" is answered here (else it goes to
 *                      the oem handler like any oem command)
 * @storage:            the whole disk or image file (not set: no name)
 * @product:            getvar:product
 * @version_bootloader: getvar:version-bootloader
 * @name:               the <name> of fastboot.<name>
 * @stat_lock:          protects @state, @stats and @last_error; taken in
 *                      any context (USB side only)
 * @state:              enum fastboot_state
 * @stats:              counters of the "stats" attribute
 * @last_error:         text of the last FAIL sent to the host
 */
struct fastboot_opts {
	struct usb_function_instance func_inst;
	struct config_group parts_group;
	struct list_head parts;
	struct mutex lock;	/* see @lock above */
	int refcnt;
	u32 max_download_size;
	u32 oem_timeout_ms;
	bool locked;
	bool fetch;
	bool oem_sha256;
	struct fastboot_path storage;
	char product[FASTBOOT_STR_LEN];
	char version_bootloader[FASTBOOT_STR_LEN];
	char name[FASTBOOT_NAME_LEN];
	spinlock_t stat_lock;	/* see @stat_lock above */
	u8 state;
	struct fastboot_stats stats;
	char last_error[FASTBOOT_ERR_LEN];
};

static inline struct fastboot_opts *
fastboot_opts_of(struct usb_function_instance *fi)
{
	return container_of(fi, struct fastboot_opts, func_inst);
}

/* The "state" attribute; any context. */
static inline void fastboot_set_state(struct fastboot_opts *opts, u8 state)
{
	unsigned long flags;

	spin_lock_irqsave(&opts->stat_lock, flags);
	opts->state = state;
	spin_unlock_irqrestore(&opts->stat_lock, flags);
}

/*
 * The "locked" attribute ("flashing lock"): flash and erase are refused
 * while it is on. Process context.
 */
static inline bool fastboot_flashing_lock_on(struct fastboot_opts *opts)
{
	bool on;

	mutex_lock(&opts->lock);
	on = opts->locked;
	mutex_unlock(&opts->lock);
	return on;
}

/*
 * Called during long work with the progress (storage: at least every
 * 100 ms; the USB side sends an INFO keep-alive about every second). A
 * non-zero return (host gone, function disabled) stops the work with
 * that error.
 */
typedef int (*fastboot_progress_t)(void *ctx, u64 done, u64 total);

/* ---- download buffer (USB side) ---- */

/*
 * Blocks of FASTBOOT_BLK_SIZE bytes, each physically contiguous and
 * directly mapped, so USB requests point into them (DMA-safe on real
 * UDCs, no copy) and the storage side walks them in order: block i holds
 * bytes [i * FASTBOOT_BLK_SIZE, (i + 1) * FASTBOOT_BLK_SIZE) of the data.
 * Only the bytes below @len are data; the last block may be a smaller
 * allocation (the buffer is sized for the download, not for whole blocks).
 */
#define FASTBOOT_BLK_ORDER	6
#define FASTBOOT_BLK_SIZE	(PAGE_SIZE << FASTBOOT_BLK_ORDER)

/**
 * struct fastboot_buf - downloaded data
 * @blk:   @nblks block addresses
 * @len:   bytes of data
 * @nblks: blocks allocated
 * @cap:   bytes allocated (>= @len; USB side bookkeeping)
 */
struct fastboot_buf {
	void **blk;
	u32 len;
	u32 nblks;
	u32 cap;
};

/* f_fastboot_buf.c: buffers and the instance's memory accounting */
void fastboot_mem_account(struct fastboot_opts *opts, long bytes);
int fastboot_buf_alloc(struct fastboot_opts *opts, struct fastboot_buf *b,
		       u32 cap, fastboot_progress_t progress, void *ctx);
void fastboot_buf_free(struct fastboot_opts *opts, struct fastboot_buf *b);
u64 fastboot_buf_mem_limit(void);
void *fastboot_buf_at(const struct fastboot_buf *b, u32 off, u32 *room);
void fastboot_buf_move(const struct fastboot_buf *b, u32 dst, u32 src,
		       u32 len);

/* ---- configured paths (f_fastboot_path.c) ---- */

/*
 * Resolve the path in @page (@len bytes, a trailing newline dropped) as
 * the calling process sees it and check it can be opened: a configfs
 * store, in the writer's context, without opts->lock. An empty string
 * gives an unset @p. Errors are logged naming the attribute of instance
 * @inst: "storage", or "partitions/<@part>/path" if @part is not NULL.
 * On success @p holds the path; fastboot_path_release() lets it go.
 */
int fastboot_path_resolve(struct fastboot_path *p, const char *page,
			  size_t len, const char *inst, const char *part);
void fastboot_path_release(struct fastboot_path *p);

static inline bool fastboot_path_isset(const struct fastboot_path *p)
{
	return p->path.dentry;
}

/* Copy @src, one of @opts' paths (opts->lock held), for use without it. */
int fastboot_path_dup(struct fastboot_opts *opts, struct fastboot_path *dst,
		      const struct fastboot_path *src);

/*
 * Open @p for a command (process context): read-write if @write. Errors:
 * a negative errno with a FAIL text in @why ("cannot open ...").
 */
struct file *fastboot_path_open(const struct fastboot_path *p, bool write,
				char *why, size_t why_len);

/* ---- partitions and targets (f_fastboot_part.c) ---- */

/* struct fastboot_target.kind */
enum fastboot_target_kind {
	FASTBOOT_TGT_PART,	/* explicit partition or one of storage's */
	FASTBOOT_TGT_RAW,	/* raw byte offset on storage ("0x400") */
	FASTBOOT_TGT_MBR,	/* "mbr": the partition table of storage */
	FASTBOOT_TGT_GPT,	/* "gpt" */
};

/**
 * struct fastboot_target - where flash/erase/fetch go, resolved from the
 * name the host gave
 * @filp:  open file or block device
 * @start: byte offset of the target in @filp
 * @size:  bytes of the target (raw offsets: up to the end of storage;
 *         mbr/gpt: the whole storage)
 * @blksz: logical block size of the medium (512 for regular files)
 * @kind:  enum fastboot_target_kind
 * @bdev:  @filp is a block device (partitions are re-read after mbr/gpt)
 * @type:  answer to getvar:partition-type ("raw" unless configured)
 */
struct fastboot_target {
	struct file *filp;
	u64 start;
	u64 size;
	u32 blksz;
	u8 kind;
	bool bdev;
	char type[14];
};

/* Create the "partitions" group of @opts (instance allocation). */
void fastboot_parts_init(struct fastboot_opts *opts);

/*
 * Resolve @name (@len bytes, not NUL-terminated) and open it, read-write
 * if @write. Lookup order: explicit partitions, "mbr", "gpt", raw offsets
 * on storage ("0x400"), partitions of storage by GPT name or by number.
 * Returns 0 or a negative errno with a FAIL text in @why (@why_len bytes,
 * e.g. "no partition 'boot'", "0x400 is past the end of storage").
 * Process context; takes opts->lock.
 */
int fastboot_target_open(struct fastboot_opts *opts, const char *name,
			 size_t len, bool write, struct fastboot_target *t,
			 char *why, size_t why_len);
void fastboot_target_close(struct fastboot_target *t);

/*
 * getvar partition-size / partition-type / has-slot / is-logical of
 * @name into @val (FASTBOOT_VAR_* of fastboot_cmd.h in @var). Same errors.
 */
int fastboot_part_var(struct fastboot_opts *opts, unsigned int var,
		      const char *name, size_t len, char *val, size_t val_len,
		      char *why, size_t why_len);

/*
 * Call @fn for every partition that getvar:all lists (explicit ones,
 * then those of storage), with its size in bytes and type; stops at the
 * first non-zero return, which it returns.
 */
int fastboot_for_each_part(struct fastboot_opts *opts,
			   int (*fn)(void *ctx, const char *name, u64 size,
				     const char *type),
			   void *ctx);

/* ---- storage operations (f_fastboot_storage.c) ---- */

/*
 * Write the download @buf to @t: sparse images are decoded while they are
 * written (validated completely before the first write, DONT_CARE left
 * untouched), anything else is written raw at offset 0 of the target;
 * mbr/gpt images are validated against the storage, written, and the
 * partitions re-read. Nothing is written outside the target. Data are
 * synced before it returns 0. *@written: bytes written to the medium.
 */
int fastboot_flash(struct fastboot_target *t, const struct fastboot_buf *buf,
		   fastboot_progress_t progress, void *ctx, u64 *written,
		   char *why, size_t why_len);

/* Erase @t (reads back as zeros afterwards), synced. */
int fastboot_erase(struct fastboot_target *t, fastboot_progress_t progress,
		   void *ctx, char *why, size_t why_len);

/* Read @len bytes at @off of @t into @dst (fetch). */
int fastboot_read(struct fastboot_target *t, u64 off, void *dst, size_t len,
		  char *why, size_t why_len);

/* ---- digests (f_fastboot_hash.c) ---- */

/*
 * SHA-256 of the ranges of @t that the range list @list names
 * (fastboot_ranges.h; a download, or the command's text seen as one
 * block), read back from the medium, not from the page cache, into
 * @digest (SHA256_DIGEST_SIZE bytes). The whole list is checked against
 * @t before anything is read. *@bytes: bytes hashed. 0 or a negative
 * errno with a FAIL text in @why ("range 3: ends past the end of the
 * partition"). The read buffer is accounted to @opts.
 */
int fastboot_hash(struct fastboot_opts *opts, struct fastboot_target *t,
		  const struct fastboot_buf *list,
		  fastboot_progress_t progress, void *ctx, u8 *digest,
		  u64 *bytes, char *why, size_t why_len);

#endif /* _U_FASTBOOT_H */
