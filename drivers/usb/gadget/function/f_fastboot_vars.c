// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_fastboot: getvar.
 *
 * Formats follow what the clients parse (Documentation/fastboot-protocol.rst,
 * "Variables"):
 * numbers in hex with 0x (max-download-size as 0x%08x, partition-size as
 * 0x%016llx), yes/no, the current slot as a bare letter. A single getvar
 * is answered with exactly one OKAY or FAIL and no INFO (uuu takes INFO
 * text as part of the value); getvar:all streams "name:value" INFO lines,
 * the variables of each partition included, then OKAY.
 *
 * Slots: partitions named <name>_<letter> make <letter> a slot;
 * slot-count is the number of such letters, current-slot the one chosen
 * with set_active (initially the first). Without such partitions there
 * are no slots: slot-count 0, current-slot FAIL "no slots".
 */

#include <crypto/hash.h>
#include <linux/bitops.h>
#include <linux/blkdev.h>
#include <linux/fs.h>

#include "f_fastboot.h"

/* Slot letters of the partitions, as a bit mask (bit 0 = 'a'). */
static int fastboot_slot_scan(void *ctx, const char *name, u64 size,
			      const char *type)
{
	u32 *mask = ctx;
	size_t n = strlen(name);

	if (n >= 3 && name[n - 2] == '_' && name[n - 1] >= 'a' &&
	    name[n - 1] <= 'z')
		*mask |= BIT(name[n - 1] - 'a');
	return 0;
}

/**
 * fastboot_slots() - slot letters the partitions define
 * @fb: function
 *
 * Returns a bit mask, bit 0 for slot 'a'.
 */
u32 fastboot_slots(struct f_fastboot *fb)
{
	u32 mask = 0;

	fastboot_for_each_part(fb->opts, fastboot_slot_scan, &mask);
	return mask;
}

/* The current slot: the one set_active chose if it exists, else the first. */
static char fastboot_current_slot(struct f_fastboot *fb, u32 mask)
{
	char s = fb->active_slot;

	if (s >= 'a' && s <= 'z' && (mask & BIT(s - 'a')))
		return s;
	return 'a' + __ffs(mask);
}

/*
 * logical-block-size and erase-block-size: those of the storage, opened
 * read-only as the raw target at offset 0. Regular files: the logical
 * block size for both; block devices: the discard granularity if larger.
 */
static int fastboot_block_size(struct f_fastboot *fb, bool erase, u32 *val)
{
	struct fastboot_target t = {};
	bool storage;
	int err;

	mutex_lock(&fb->opts->lock);
	storage = fastboot_path_isset(&fb->opts->storage);
	mutex_unlock(&fb->opts->lock);
	if (!storage) {
		strscpy(fb->cur.why, "storage not set", sizeof(fb->cur.why));
		return -ENOENT;
	}
	err = fastboot_target_open(fb->opts, "0x0", 3, false, &t, fb->cur.why,
				   sizeof(fb->cur.why));
	if (err)
		return err;
	*val = t.blksz;
	if (erase && t.bdev) {
		struct block_device *bdev = I_BDEV(t.filp->f_mapping->host);

		*val = max(*val, bdev_discard_granularity(bdev));
	}
	fastboot_target_close(&t);
	return 0;
}

static int fastboot_var_why(struct f_fastboot *fb, const char *text)
{
	strscpy(fb->cur.why, text, sizeof(fb->cur.why));
	return -ENOENT;
}

/*
 * Value of @var into @val (@len bytes); on error a negative errno and the
 * FAIL text in fb->cur.why. @cmd and @buf give the parameter (partition or
 * slot); they are NULL for getvar:all.
 */
static int fastboot_var_value(struct f_fastboot *fb, unsigned int var,
			      const struct fastboot_command *cmd,
			      const char *buf, char *val, size_t len)
{
	struct fastboot_opts *opts = fb->opts;
	bool on, erase;
	u32 mask, n;
	int err;

	fb->cur.why[0] = '\0';
	switch (var) {
	case FASTBOOT_VAR_VERSION:
		strscpy(val, "0.4", len);
		return 0;
	case FASTBOOT_VAR_VERSION_BOOTLOADER:
		if (!fb->cfg.version_bootloader[0])
			return fastboot_var_why(fb,
						"version-bootloader not set");
		strscpy(val, fb->cfg.version_bootloader, len);
		return 0;
	case FASTBOOT_VAR_VERSION_BASEBAND:
		strscpy(val, "N/A", len);
		return 0;
	case FASTBOOT_VAR_PRODUCT:
		if (!fb->cfg.product[0])
			return fastboot_var_why(fb, "product not set");
		strscpy(val, fb->cfg.product, len);
		return 0;
	case FASTBOOT_VAR_SERIALNO:
		if (!fb->cfg.serial[0])
			return fastboot_var_why(fb, "serial number not set");
		strscpy(val, fb->cfg.serial, len);
		return 0;
	case FASTBOOT_VAR_SECURE:
	case FASTBOOT_VAR_UNLOCKED:
		on = fastboot_flashing_lock_on(opts);
		strscpy(val, on == (var == FASTBOOT_VAR_SECURE) ? "yes" : "no",
			len);
		return 0;
	case FASTBOOT_VAR_MAX_FETCH_SIZE:
		/* Hosts take this variable as the sign that fetch works. */
		if (!fb->cfg.fetch)
			return fastboot_var_why(fb, "fetch is disabled");
		fallthrough;
	case FASTBOOT_VAR_MAX_DOWNLOAD_SIZE:
		snprintf(val, len, "0x%08x", fb->cfg.max_download);
		return 0;
	case FASTBOOT_VAR_OEM_SHA256:
		/*
		 * Disabled, or a kernel without sha256 (CONFIG_CRYPTO_SHA256;
		 * asking may load it): unknown, as on any device without
		 * the command, so that hosts read back instead.
		 */
		if (!fb->cfg.oem_sha256 || !crypto_has_shash("sha256", 0, 0))
			break;
		strscpy(val, "yes", len);
		return 0;
	case FASTBOOT_VAR_PARTITION_SIZE:
	case FASTBOOT_VAR_PARTITION_TYPE:
	case FASTBOOT_VAR_HAS_SLOT:
	case FASTBOOT_VAR_IS_LOGICAL:
		return fastboot_part_var(opts, var,
					 fastboot_span_ptr(buf, cmd->target),
					 cmd->target.len, val, len, fb->cur.why,
					 sizeof(fb->cur.why));
	case FASTBOOT_VAR_CURRENT_SLOT:
		mask = fastboot_slots(fb);
		if (!mask)
			return fastboot_var_why(fb, "no slots");
		snprintf(val, len, "%c", fastboot_current_slot(fb, mask));
		return 0;
	case FASTBOOT_VAR_SLOT_COUNT:
		snprintf(val, len, "%u", hweight32(fastboot_slots(fb)));
		return 0;
	case FASTBOOT_VAR_SLOT_SUCCESSFUL:
	case FASTBOOT_VAR_SLOT_UNBOOTABLE:
	case FASTBOOT_VAR_SLOT_RETRY_COUNT:
		return fastboot_var_why(fb, "no slot metadata on this device");
	case FASTBOOT_VAR_IS_USERSPACE:
		strscpy(val, "no", len);
		return 0;
	case FASTBOOT_VAR_SUPER_PARTITION_NAME:
	case FASTBOOT_VAR_SNAPSHOT_UPDATE_STATUS:
		return fastboot_var_why(fb,
					"no dynamic partitions on this device");
	case FASTBOOT_VAR_LOGICAL_BLOCK_SIZE:
	case FASTBOOT_VAR_ERASE_BLOCK_SIZE:
		erase = var == FASTBOOT_VAR_ERASE_BLOCK_SIZE;
		err = fastboot_block_size(fb, erase, &n);
		if (err)
			return err;
		snprintf(val, len, "0x%x", n);
		return 0;
	default:
		break;
	}
	/* Name the variable as the host sent it. */
	if (cmd)
		snprintf(fb->cur.why, sizeof(fb->cur.why),
			 "unknown variable '%.*s'",
			 cmd->word.len, fastboot_span_ptr(buf, cmd->word));
	else
		strscpy(fb->cur.why, "unknown variable", sizeof(fb->cur.why));
	return -ENOENT;
}

/* Variables without parameter, in the order getvar:all lists them. */
static const u8 fastboot_all_vars[] = {
	FASTBOOT_VAR_VERSION,
	FASTBOOT_VAR_VERSION_BOOTLOADER,
	FASTBOOT_VAR_VERSION_BASEBAND,
	FASTBOOT_VAR_PRODUCT,
	FASTBOOT_VAR_SERIALNO,
	FASTBOOT_VAR_SECURE,
	FASTBOOT_VAR_UNLOCKED,
	FASTBOOT_VAR_MAX_DOWNLOAD_SIZE,
	FASTBOOT_VAR_MAX_FETCH_SIZE,
	FASTBOOT_VAR_IS_USERSPACE,
	FASTBOOT_VAR_CURRENT_SLOT,
	FASTBOOT_VAR_SLOT_COUNT,
	FASTBOOT_VAR_LOGICAL_BLOCK_SIZE,
	FASTBOOT_VAR_ERASE_BLOCK_SIZE,
	FASTBOOT_VAR_OEM_SHA256,
};

static int fastboot_all_part(void *ctx, const char *name, u64 size,
			     const char *type)
{
	struct f_fastboot *fb = ctx;

	if (fastboot_io_gone(fb))
		return -ESHUTDOWN;
	fastboot_io_info(fb, "partition-size:%s:0x%llx", name, size);
	fastboot_io_info(fb, "partition-type:%s:%s", name, type);
	return 0;
}

/*
 * One INFO line per variable that has a value (those that would FAIL are
 * left out), then the partitions. Lines longer than a response are cut.
 */
static void fastboot_getvar_all(struct f_fastboot *fb)
{
	char val[FASTBOOT_RESP_PAYLOAD_MAX + 1];
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(fastboot_all_vars); i++) {
		if (fastboot_io_gone(fb))
			return;
		if (fastboot_var_value(fb, fastboot_all_vars[i], NULL, NULL,
				       val, sizeof(val)))
			continue;
		fastboot_io_info(fb, "%s:%s",
				 fastboot_var_name(fastboot_all_vars[i]), val);
	}
	err = fastboot_for_each_part(fb->opts, fastboot_all_part, fb);
	if (err == -ESHUTDOWN)
		return;
	fastboot_io_okay(fb, "%s", "");
}

/* getvar:<name>[:<param>] */
void fastboot_getvar(struct f_fastboot *fb, const struct fastboot_command *cmd,
		     const char *buf)
{
	char val[FASTBOOT_RESP_PAYLOAD_MAX + 1];
	int err;

	fastboot_assert_worker(fb);
	if (cmd->var == FASTBOOT_VAR_ALL) {
		fastboot_getvar_all(fb);
		return;
	}
	val[0] = '\0';
	err = fastboot_var_value(fb, cmd->var, cmd, buf, val, sizeof(val));
	if (err)
		fastboot_io_fail(fb, "%s",
				 fb->cur.why[0] ? fb->cur.why : "getvar failed");
	else
		fastboot_io_okay(fb, "%s", val);
}
