/* SPDX-License-Identifier: GPL-2.0 */
/*
 * usb_f_fastboot: the partitions of "storage", read from its MBR or GPT
 * (f_fastboot_table.c), for f_fastboot_part.c.
 */
#ifndef _F_FASTBOOT_TABLE_H
#define _F_FASTBOOT_TABLE_H

#include <linux/fs.h>
#include <linux/types.h>

/*
 * Find partition @nm of the storage @filp (@size bytes, logical blocks of
 * @lbsz bytes): by GPT name first, then by number (GPT entry index + 1,
 * MBR 1-4, logical partitions from 5, as Linux numbers them). Returns 0
 * with its byte range in *@start and *@len, checked to lie inside the
 * disk (GPT: inside the usable LBAs; never an extended partition), or a
 * negative errno with the FAIL text in @why ("no partition 'boot'",
 * "gpt: header CRC bad"). Process context.
 */
int fastboot_table_find(struct file *filp, u64 size, u32 lbsz,
			const char *nm, u64 *start, u64 *len, char *why,
			size_t why_len);

/*
 * Call @fn for every partition of the storage (extended partitions left
 * out) with a name the host can use (GPT name, else the number), its size
 * in bytes and type "raw". Stops at and returns @fn's first non-zero
 * value; an unreadable or missing table lists nothing and returns 0.
 */
int fastboot_table_each(struct file *filp, u64 size, u32 lbsz,
			int (*fn)(void *ctx, const char *name, u64 size,
				  const char *type),
			void *ctx);

#endif /* _F_FASTBOOT_TABLE_H */
