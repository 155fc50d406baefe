/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * mkimx, the i.MX test-image generator: layout constants, the DCD command
 * list from the command line, the image parts, the expected-memory model,
 * and the functions of its files: mkimx.c (command line, main),
 * mkimx_dcd.c (DCD building and the expected-memory model), mkimx_image.c
 * (IVT/boot data layout, plugin, corruption, self-check, manifest).
 */
#ifndef _IMXF_MKIMX_H
#define _IMXF_MKIMX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <imxflash/imx_image.h>
#include <imxflash/sdp_soc.h>

/* As the kernel's __printf() from <linux/compiler_attributes.h> */
#ifndef __printf
#define MKIMX_PRINTF_ATTR	format
#define __printf(a, b)	__attribute__((MKIMX_PRINTF_ATTR(printf, a, b)))
#endif

#define MKIMX_ENTRY_TO_SELF	0xc00
#define MKIMX_ENTRY_TO_START	0x1000
#define MKIMX_FLASH_OFFSET	0x400
#define MKIMX_BD_OFF		0x20
#define MKIMX_DCD_OFF		0x2c
#define MKIMX_PAYLOAD_OFF	0xc00
#define MKIMX_CSF_SIZE		0x20
#define MKIMX_PLUGIN_OCRAM_OFF	0x8000
#define MKIMX_PLUGIN_PART	0x1000
#define MKIMX_PLUGIN_CODE_OFF	0x40
#define MKIMX_PLUGIN_CODE_LEN	0x100
#define MKIMX_ARM_BX_LR		0xe12fff1eu
#define MKIMX_MAX_OPS		512
#define MKIMX_MAX_SIZE		(256u << 20)
#define MKIMX_MEM_SLOTS		8192

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

enum op_kind { OP_WRITE, OP_CLEAR, OP_SET, OP_CHECK, OP_NOP };

struct dcd_op {
	enum op_kind kind;
	u32 addr;
	u32 val;		/* value, or mask */
	unsigned int width;
	u8 cond;		/* check: IMX_DCD_FLAG_* bits */
	u32 count;
	bool has_count;
};

/* One image (IVT + boot data [+ DCD] + payload [+ CSF]) in the file. */
struct part {
	size_t ivt_off;		/* file offset of the IVT */
	size_t size;		/* bytes from the IVT to the end of the part */
	struct imx_ivt ivt;
	struct imx_boot_data bd;
	size_t payload_off;	/* file offset */
	size_t payload_size;
	size_t dcd_off;		/* file offset, valid if dcd_len */
	u32 dcd_len;
	size_t csf_off;		/* file offset, valid if ivt.csf */
	u32 load_len;
};

/* Byte-granular sparse memory: the expected target state after the DCD. */
struct mem {
	unsigned int n;
	u32 addr[MKIMX_MEM_SLOTS];
	u8 val[MKIMX_MEM_SLOTS];
};

/* What the command line asked for. */
struct opts {
	const struct sdp_soc *soc;
	u32 entry;
	bool entry_set;
	size_t size;
	u32 seed;
	const char *payload_file;
	struct dcd_op ops[MKIMX_MAX_OPS];
	unsigned int nops;
	bool no_dcd;
	bool plugin;
	bool flash_offset;
	bool csf;
	const char *corrupt;
	bool print;
	const char *manifest;
	const char *out;
};

/* mkimx.c: print "mkimx: <message>" and exit(2). */
_Noreturn __printf(1, 2) void die(const char *fmt, ...);

/* mkimx_dcd.c */
size_t build_dcd(u8 *buf, size_t cap, u8 version,
		 const struct dcd_op *ops, unsigned int n);
void default_dcd(struct opts *o);
bool model_run(const struct dcd_op *ops, unsigned int n, struct mem *m);
void print_dcdw(FILE *f, const char *pfx, const struct opts *o,
		struct mem *m);
void dcd_self_check(const u8 *dcd, size_t dcd_len, const struct mem *expect,
		    bool dcd_ok);

/* mkimx_image.c */
void fill_prng(u8 *p, size_t n, u32 seed);
void build_main(const struct opts *o, u8 *file, size_t ivt_off,
		const u8 *payload, const u8 *dcd, size_t dcd_len,
		struct part *p);
void build_plugin(const struct opts *o, u8 *file, size_t ivt_off,
		  struct part *p);
void corrupt_image(const struct opts *o, u8 *file, const struct part *first,
		   const struct part *dcd_part);
/* Die unless the plugin part and the main image are apart in memory. */
void check_plugin_overlap(const struct part *plugin, const struct part *main);
void self_check(const u8 *file, size_t len, const struct part *first,
		const struct part *main, const u8 *dcd, size_t dcd_len,
		const struct mem *expect, bool dcd_ok);
void write_manifest(FILE *f, const struct opts *o, size_t file_size,
		    const struct part *first, const struct part *main,
		    struct mem *m, bool dcd_ok);

#endif /* _IMXF_MKIMX_H */
