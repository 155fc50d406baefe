/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * i.MX boot image structures: IVT (image vector table), boot data and
 * DCD (device configuration data). Parsing, validation, the load
 * arithmetic every SDP loader uses, DCD execution against an abstract
 * memory, and small builders used by the test image generator.
 * Pure C (see pure.h).
 *
 * All multi-byte IVT/boot data words are little-endian; DCD headers,
 * addresses and values are big-endian.
 */
#ifndef _IMXFLASH_IMX_IMAGE_H
#define _IMXFLASH_IMX_IMAGE_H

#include "pure.h"

#define IMX_IVT_TAG		0xd1
#define IMX_IVT_LEN		32
#define IMX_IVT_V40		0x40	/* i.MX6/7 */
#define IMX_IVT_V41		0x41	/* i.MX8M */
#define IMX_BOOT_DATA_LEN	12
#define IMX_BOOT_PLUGIN		0x1	/* boot_data.plugin bit 0 */
#define IMX_BOOT_HDMI		0x2	/* i.MX8MQ HDMI firmware, skipped */

#define IMX_DCD_TAG		0xd2
#define IMX_DCD_V40		0x40
#define IMX_DCD_V41		0x41
#define IMX_DCD_HDR_LEN		4
#define IMX_DCD_MAX_LEN		1768

#define IMX_DCD_CMD_WRITE	0xcc
#define IMX_DCD_CMD_CHECK	0xcf
#define IMX_DCD_CMD_NOP		0xc0
#define IMX_DCD_CMD_UNLOCK	0xb2

/* Parameter byte of write/check commands. */
#define IMX_DCD_WIDTH_MASK	0x07	/* 1, 2 or 4 bytes */
#define IMX_DCD_FLAG_MASK	0x08	/* write: mask op; check: see below */
#define IMX_DCD_FLAG_SET	0x10

#define IMX_CSF_TAG		0xd4

/*
 * Upper bound on the polls of one DCD check command in imx_dcd_run(): the
 * count field may be up to 2^32 - 1, which an emulator (memory that never
 * changes while the DCD runs) must not spin through.
 */
#define IMX_DCD_MAX_POLLS	10000

/* File offsets probed for an IVT, as imx_usb_loader does. */
#define IMX_IVT_PROBE_OFFSETS	{ 0x0, 0x400, 0x8400 }

struct imx_ivt {
	u8 version;		/* IMX_IVT_V40 / IMX_IVT_V41 */
	u32 entry;
	u32 reserved1;
	u32 dcd;		/* absolute address, 0 = none */
	u32 boot_data;		/* absolute address */
	u32 self;		/* absolute address of this IVT */
	u32 csf;		/* absolute address, 0 = unsigned */
	u32 reserved2;
};

struct imx_boot_data {
	u32 start;		/* absolute address of the image start */
	u32 length;		/* bytes from start */
	u32 plugin;		/* IMX_BOOT_* flags */
};

/*
 * Parse the 32-byte IVT at @buf (@len bytes available). Returns 0,
 * -EMSGSIZE (short), -ENOEXEC (no IVT tag/length/version). *@why names
 * the bad field ("IVT tag", "IVT length", "IVT version").
 */
int imx_ivt_parse(struct imx_ivt *ivt, const u8 *buf, size_t len,
		  const char **why);
void imx_ivt_encode(const struct imx_ivt *ivt, u8 buf[IMX_IVT_LEN]);

int imx_boot_data_parse(struct imx_boot_data *bd, const u8 *buf, size_t len,
			const char **why);
void imx_boot_data_encode(const struct imx_boot_data *bd,
			  u8 buf[IMX_BOOT_DATA_LEN]);

/**
 * struct imx_image - a parsed boot image inside a file buffer
 * @ivt_off:   file offset of the IVT
 * @ivt:       the IVT
 * @bd:        boot data the IVT points at
 * @dcd_off:   file offset of the DCD (valid if @dcd_len)
 * @dcd_len:   DCD length from its header, 0 if the IVT has no DCD
 * @load_addr: where the bytes from @ivt_off go (IVT.self)
 * @load_len:  bytes to send: bd.length - (self - bd.start), capped by
 *             the file
 * @jump_addr: address for JUMP_ADDRESS (IVT.self)
 */
struct imx_image {
	size_t ivt_off;
	struct imx_ivt ivt;
	struct imx_boot_data bd;
	size_t dcd_off;
	u32 dcd_len;
	u32 load_addr;
	u32 load_len;
	u32 jump_addr;
};

/*
 * Parse the image whose IVT is at file offset @ivt_off of @file: IVT,
 * boot data (must lie inside the file), DCD header if any (tag, version,
 * length <= IMX_DCD_MAX_LEN, inside the file), load arithmetic
 * (self >= start, self - start < length). Errors: -ENOEXEC (bad IVT,
 * DCD tag/version/length < 4), -EMSGSIZE (IVT truncated, DCD longer than
 * IMX_DCD_MAX_LEN), -ERANGE (pointer outside the file / inconsistent
 * addresses), *@why names the field. File offsets of objects are
 * ivt_off + (address - IVT.self); objects before the IVT are rejected.
 * Only the DCD header is checked here: see imx_dcd_check().
 */
int imx_image_parse(struct imx_image *img, const u8 *file, size_t len,
		    size_t ivt_off, const char **why);

/*
 * Find the first image in @file: IVT at one of IMX_IVT_PROBE_OFFSETS
 * (>= @from), and that parses. i.MX8MQ HDMI firmware images
 * (IMX_BOOT_HDMI) are skipped, as every loader does. Returns 0 or
 * -ENOEXEC; *@why is the reason the first candidate IVT was rejected, or
 * "no IVT found".
 */
int imx_image_find(struct imx_image *img, const u8 *file, size_t len,
		   size_t from, const char **why);

/*
 * For a plugin image (bd.plugin & IMX_BOOT_PLUGIN), find the image that
 * follows it: the next IVT on a 4-byte boundary after @plugin->ivt_off,
 * within plugin->bd.length + 0x400 bytes (imx_usb_loader's window), that
 * parses. Returns 0, -EINVAL (@plugin is not a plugin) or -ENOEXEC.
 */
int imx_image_find_next(struct imx_image *img, const u8 *file, size_t len,
			const struct imx_image *plugin, const char **why);

/* Memory the DCD operates on (an emulated SoC, or a register writer). */
struct imx_dcd_ops {
	/* Return 0 or a negative errno (address not accessible). */
	int (*read)(void *ctx, u32 addr, unsigned int width, u32 *val);
	int (*write)(void *ctx, u32 addr, unsigned int width, u32 val);
};

/**
 * struct imx_dcd_result - outcome of imx_dcd_check()/imx_dcd_run()
 * @err_off:  byte offset in the DCD of the failing command (or header)
 * @err_addr: target address of the failing access, if any
 * @cmds:     commands processed
 * @writes:   register/memory writes performed
 * @checks:   check commands evaluated
 * @why:      static text naming what failed, NULL on success
 */
struct imx_dcd_result {
	u32 err_off;
	u32 err_addr;
	u16 cmds;
	u16 writes;
	u16 checks;
	const char *why;
};

/*
 * Validate the DCD structure only (header, every command's tag, length,
 * width, flags and address alignment). Bytes after the header's length
 * (report-2 padding) are ignored. @res may be NULL. Returns 0, -EMSGSIZE
 * (header truncated, length beyond @len or above IMX_DCD_MAX_LEN),
 * -EINVAL (bad structure), -EOPNOTSUPP (unknown command tag).
 * Write commands: width 1/2/4; flags 0 = write value, MASK = clear bits
 * (v &= ~val), MASK|SET = set bits (v |= val); SET alone is invalid.
 * Check commands: length 12 (no count) or 16 (with count); the flags
 * select the condition to wait for: 0 (v & m) == 0, MASK (v & m) != m,
 * SET (v & m) == m, MASK|SET (v & m) != 0.
 */
int imx_dcd_check(const u8 *dcd, size_t len, struct imx_dcd_result *res);

/*
 * Execute a DCD: write (value, clear bits, set bits), check (the four
 * mask conditions; the memory is polled up to the command's count, at
 * least once and at most IMX_DCD_MAX_POLLS times, or once when there is
 * no count: an emulated register never changes on its own), nop, unlock
 * (accepted, no effect). Values and masks are truncated to the width.
 * The whole DCD is validated with imx_dcd_check() before the first
 * access. Stops at the first failure: -EFAULT (ops returned an error),
 * -ETIMEDOUT (check not satisfied), or an imx_dcd_check() error.
 */
int imx_dcd_run(const u8 *dcd, size_t len, const struct imx_dcd_ops *ops,
		void *ctx, struct imx_dcd_result *res);

/*
 * DCD builder for generators and tests: start a DCD in @buf (@cap bytes),
 * append commands, finish writes the header length. Each returns the new
 * length or -ENOSPC. A write command with several address/value pairs is
 * built by calling imx_dcd_add_write() repeatedly with the same param:
 * consecutive entries of the same kind are merged into one command.
 */
struct imx_dcd_builder {
	u8 *buf;
	size_t cap;
	size_t len;
	size_t cmd_off;		/* offset of the open command, 0 if none */
	u8 cmd_tag;
	u8 cmd_param;
	u8 version;
};

void imx_dcd_begin(struct imx_dcd_builder *b, u8 *buf, size_t cap,
		   u8 version);
int imx_dcd_add_write(struct imx_dcd_builder *b, u8 param, u32 addr,
		      u32 val);
int imx_dcd_add_check(struct imx_dcd_builder *b, u8 param, u32 addr,
		      u32 mask, u32 count, bool has_count);
int imx_dcd_add_nop(struct imx_dcd_builder *b);
int imx_dcd_end(struct imx_dcd_builder *b);

#endif /* _IMXFLASH_IMX_IMAGE_H */
