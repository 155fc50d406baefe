/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Shared by the part_table_*_test unit tests (part_table_util.c): the
 * util-linux disk images of part_table_data.sh, the tools, and what the
 * tools list, as struct exp_table.
 */
#ifndef _IMXF_UNIT_PART_TABLE_UTIL_H
#define _IMXF_UNIT_PART_TABLE_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <imxflash/part_table.h>

#define WHY_LEN		61	/* a FAIL payload (60) + NUL */
#define MAX_PARTS	16

/* A partition as the tool lists it. */
struct exp_part {
	u32 number;
	u64 start, size;
	char type[40];
	char uuid[40];
	char name[80];		/* UTF-8 as the tool prints it */
	bool boot;
	u64 attrs;
};

/* A partition table as the tool lists it. */
struct exp_table {
	char label[8];
	u32 lbsz;
	u64 first_lba, last_lba;	/* GPT usable LBAs */
	unsigned int n;
	struct exp_part p[MAX_PARTS];
};

/* The images' directory: $PT_DATA, else the one the Makefile made. */
const char *data_dir(void);
/* Path of util-linux tool @name: $@env, else found in the sbin dirs. */
const char *tool(const char *env, const char *name);
/* Run @cmd, output (stdout and stderr) into @out; returns the status. */
int run(const char *cmd, char *out, size_t len);

/* Little-endian 64-bit fields, for building bad tables. */
void put64(u8 *p, u64 v);
u64 get64(const u8 *p);

/* @len bytes at @off of data file @name (malloc'ed), NULL on error. */
u8 *load_range(const char *name, u64 off, size_t len);
/* Size of data file @name, 0 if missing. */
u64 file_size(const char *name);

/* What the tool listed for image @base (<base>.json, or .dump for 4k). */
int parse_expected(const char *base, struct exp_table *t);
/* Partition @nr of @t, NULL if the tool did not list it. */
const struct exp_part *exp_find(const struct exp_table *t, u32 nr);
/* GUID bytes as stored -> "0FC63DAF-8483-4772-8E79-3D69D8477DE4" */
void guid_str(const u8 *g, char *s);
/* UTF-8 name -> what ptab_gpt_entry() renders ('?' per non-ASCII char) */
void ascii_name(const char *utf8, char *out);

#endif /* _IMXF_UNIT_PART_TABLE_UTIL_H */
