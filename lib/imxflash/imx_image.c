// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * i.MX boot images: IVT, boot data and DCD parsing, the load arithmetic
 * shared by imx_usb_loader, uuu and snagboot, DCD execution against an
 * abstract memory, and builders for the test image generator.
 *
 * Pure C (see pure.h): no allocation, no recursion, bounded loops, and
 * every length read from the image is checked against the buffer before
 * use, since the input comes straight from a file or from USB.
 */
#include <imxflash/imx_image.h>

/* IVT word offsets (all little-endian). */
#define IVT_OFF_HDR		0x00
#define IVT_OFF_ENTRY		0x04
#define IVT_OFF_RES1		0x08
#define IVT_OFF_DCD		0x0c
#define IVT_OFF_BOOT_DATA	0x10
#define IVT_OFF_SELF		0x14
#define IVT_OFF_CSF		0x18
#define IVT_OFF_RES2		0x1c

/* Scan window after a plugin IVT, as imx_usb_loader's process_header(). */
#define IMX_PLUGIN_WINDOW_SLACK	0x400

#define IMX_ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

static bool imx_ivt_version_ok(u8 v)
{
	return v == IMX_IVT_V40 || v == IMX_IVT_V41;
}

int imx_ivt_parse(struct imx_ivt *ivt, const u8 *buf, size_t len,
		  const char **why)
{
	const char *dummy;

	/* @why is optional: point it at a local so it can always be set. */
	if (!why)
		why = &dummy;
	*why = NULL;

	if (len < IMX_IVT_LEN) {
		*why = "IVT truncated";
		return -EMSGSIZE;
	}
	if (buf[0] != IMX_IVT_TAG) {
		*why = "IVT tag";
		return -ENOEXEC;
	}
	if (imxf_get_be16(buf + 1) != IMX_IVT_LEN) {
		*why = "IVT length";
		return -ENOEXEC;
	}
	if (!imx_ivt_version_ok(buf[3])) {
		*why = "IVT version";
		return -ENOEXEC;
	}

	ivt->version = buf[3];
	ivt->entry = imxf_get_le32(buf + IVT_OFF_ENTRY);
	ivt->reserved1 = imxf_get_le32(buf + IVT_OFF_RES1);
	ivt->dcd = imxf_get_le32(buf + IVT_OFF_DCD);
	ivt->boot_data = imxf_get_le32(buf + IVT_OFF_BOOT_DATA);
	ivt->self = imxf_get_le32(buf + IVT_OFF_SELF);
	ivt->csf = imxf_get_le32(buf + IVT_OFF_CSF);
	ivt->reserved2 = imxf_get_le32(buf + IVT_OFF_RES2);
	return 0;
}

void imx_ivt_encode(const struct imx_ivt *ivt, u8 buf[IMX_IVT_LEN])
{
	buf[0] = IMX_IVT_TAG;
	imxf_put_be16(buf + 1, IMX_IVT_LEN);
	buf[3] = ivt->version;
	imxf_put_le32(buf + IVT_OFF_ENTRY, ivt->entry);
	imxf_put_le32(buf + IVT_OFF_RES1, ivt->reserved1);
	imxf_put_le32(buf + IVT_OFF_DCD, ivt->dcd);
	imxf_put_le32(buf + IVT_OFF_BOOT_DATA, ivt->boot_data);
	imxf_put_le32(buf + IVT_OFF_SELF, ivt->self);
	imxf_put_le32(buf + IVT_OFF_CSF, ivt->csf);
	imxf_put_le32(buf + IVT_OFF_RES2, ivt->reserved2);
}

int imx_boot_data_parse(struct imx_boot_data *bd, const u8 *buf, size_t len,
			const char **why)
{
	const char *dummy;

	/* @why is optional: point it at a local so it can always be set. */
	if (!why)
		why = &dummy;
	*why = NULL;

	if (len < IMX_BOOT_DATA_LEN) {
		*why = "boot data truncated";
		return -EMSGSIZE;
	}
	bd->start = imxf_get_le32(buf);
	bd->length = imxf_get_le32(buf + 4);
	bd->plugin = imxf_get_le32(buf + 8);
	return 0;
}

void imx_boot_data_encode(const struct imx_boot_data *bd,
			  u8 buf[IMX_BOOT_DATA_LEN])
{
	imxf_put_le32(buf, bd->start);
	imxf_put_le32(buf + 4, bd->length);
	imxf_put_le32(buf + 8, bd->plugin);
}

/*
 * Map the absolute address @addr of an object of @need bytes to a file
 * offset, using the IVT as anchor: file_offset = ivt_off + (addr - self).
 * Objects before the IVT are rejected, as every loader does.
 */
static bool imx_addr_to_off(const struct imx_image *img, size_t len,
			    u32 addr, size_t need, size_t *off)
{
	u64 o;

	if (addr < img->ivt.self)
		return false;
	o = (u64)img->ivt_off + (addr - img->ivt.self);
	if (o > len || len - o < need)
		return false;
	*off = (size_t)o;
	return true;
}

int imx_image_parse(struct imx_image *img, const u8 *file, size_t len,
		    size_t ivt_off, const char **why)
{
	const char *dummy;
	const u8 *dcd;
	size_t off;
	u32 skip;
	int ret;

	/* @why is optional: point it at a local so it can always be set. */
	if (!why)
		why = &dummy;
	*why = NULL;
	memset(img, 0, sizeof(*img));

	if (ivt_off > len) {
		*why = "IVT truncated";
		return -EMSGSIZE;
	}
	ret = imx_ivt_parse(&img->ivt, file + ivt_off, len - ivt_off, why);
	if (ret)
		return ret;
	img->ivt_off = ivt_off;

	if (!imx_addr_to_off(img, len, img->ivt.boot_data, IMX_BOOT_DATA_LEN,
			     &off)) {
		*why = "boot data pointer";
		return -ERANGE;
	}
	imx_boot_data_parse(&img->bd, file + off, IMX_BOOT_DATA_LEN, NULL);

	/* Load arithmetic of imx_usb_loader, uuu (write -ivt) and snagboot. */
	if (img->ivt.self < img->bd.start) {
		*why = "boot data start";
		return -ERANGE;
	}
	skip = img->ivt.self - img->bd.start;
	if (skip >= img->bd.length) {
		*why = "boot data length";
		return -ERANGE;
	}
	img->load_addr = img->ivt.self;
	img->jump_addr = img->ivt.self;
	img->load_len = img->bd.length - skip;
	if (img->load_len > len - ivt_off)
		img->load_len = (u32)(len - ivt_off);

	if (!img->ivt.dcd)
		return 0;
	if (!imx_addr_to_off(img, len, img->ivt.dcd, IMX_DCD_HDR_LEN, &off)) {
		*why = "DCD pointer";
		return -ERANGE;
	}
	dcd = file + off;
	if (dcd[0] != IMX_DCD_TAG) {
		*why = "DCD tag";
		return -ENOEXEC;
	}
	if (dcd[3] != IMX_DCD_V40 && dcd[3] != IMX_DCD_V41) {
		*why = "DCD version";
		return -ENOEXEC;
	}
	img->dcd_len = imxf_get_be16(dcd + 1);
	if (img->dcd_len < IMX_DCD_HDR_LEN) {
		*why = "DCD length";
		img->dcd_len = 0;
		return -ENOEXEC;
	}
	if (img->dcd_len > IMX_DCD_MAX_LEN) {
		*why = "DCD length exceeds 1768";
		img->dcd_len = 0;
		return -EMSGSIZE;
	}
	if (len - off < img->dcd_len) {
		*why = "DCD beyond end of file";
		img->dcd_len = 0;
		return -ERANGE;
	}
	img->dcd_off = off;
	return 0;
}

/* Quick test before a full parse: IVT tag, length and version. */
static bool imx_ivt_header_at(const u8 *file, size_t len, size_t off)
{
	const u8 *p = file + off;

	if (off > len || len - off < IMX_IVT_LEN)
		return false;
	return p[0] == IMX_IVT_TAG && imxf_get_be16(p + 1) == IMX_IVT_LEN &&
	       imx_ivt_version_ok(p[3]);
}

/*
 * Parse a candidate; on failure remember the first reason so that a
 * broken IVT is reported rather than a generic "no IVT".
 */
static int imx_try_candidate(struct imx_image *img, const u8 *file,
			     size_t len, size_t off, const char **first_why)
{
	const char *why;
	int ret;

	ret = imx_image_parse(img, file, len, off, &why);
	if (!ret && (img->bd.plugin & IMX_BOOT_HDMI)) {
		/* i.MX8MQ HDMI firmware: every loader skips it. */
		ret = -ENOEXEC;
		why = "HDMI firmware image skipped";
	}
	if (ret && !*first_why)
		*first_why = why;
	return ret;
}

int imx_image_find(struct imx_image *img, const u8 *file, size_t len,
		   size_t from, const char **why)
{
	static const size_t offs[] = IMX_IVT_PROBE_OFFSETS;
	const char *first_why = NULL;
	const char *dummy;
	size_t i;

	/* @why is optional: point it at a local so it can always be set. */
	if (!why)
		why = &dummy;
	*why = NULL;
	for (i = 0; i < IMX_ARRAY_LEN(offs); i++) {
		if (offs[i] < from || !imx_ivt_header_at(file, len, offs[i]))
			continue;
		if (!imx_try_candidate(img, file, len, offs[i], &first_why))
			return 0;
	}
	memset(img, 0, sizeof(*img));
	*why = first_why ? first_why : "no IVT found";
	return -ENOEXEC;
}

int imx_image_find_next(struct imx_image *img, const u8 *file, size_t len,
			const struct imx_image *plugin, const char **why)
{
	const char *first_why = NULL;
	const char *dummy;
	u64 end;
	size_t off;

	/* @why is optional: point it at a local so it can always be set. */
	if (!why)
		why = &dummy;
	*why = NULL;
	if (!(plugin->bd.plugin & IMX_BOOT_PLUGIN)) {
		memset(img, 0, sizeof(*img));
		*why = "not a plugin image";
		return -EINVAL;
	}

	/* imx_usb_loader: header_max = offset + bd.length + 0x400, step 4. */
	end = (u64)plugin->ivt_off + plugin->bd.length +
	      IMX_PLUGIN_WINDOW_SLACK;
	if (end > len)
		end = len;
	for (off = plugin->ivt_off + 4; off < end; off += 4) {
		if (!imx_ivt_header_at(file, len, off))
			continue;
		if (!imx_try_candidate(img, file, len, off, &first_why))
			return 0;
	}
	memset(img, 0, sizeof(*img));
	*why = first_why ? first_why : "no IVT after plugin";
	return -ENOEXEC;
}

/* ---- DCD ---- */

#define DCD_CMD_HDR_LEN		4
#define DCD_WRITE_PAIR_LEN	8
#define DCD_CHECK_LEN		12
#define DCD_CHECK_COUNT_LEN	16

#define DCD_FLAGS(param)	((param) & (IMX_DCD_FLAG_MASK | IMX_DCD_FLAG_SET))
#define DCD_PARAM_KNOWN		(IMX_DCD_WIDTH_MASK | IMX_DCD_FLAG_MASK | \
				 IMX_DCD_FLAG_SET)

static bool imx_dcd_width_ok(unsigned int w)
{
	return w == 1 || w == 2 || w == 4;
}

static u32 imx_width_mask(unsigned int w)
{
	return w == 4 ? 0xffffffffu : (1u << (8 * w)) - 1;
}

static int imx_dcd_fail(struct imx_dcd_result *res, u32 off, u32 addr,
			const char *why, int err)
{
	res->err_off = off;
	res->err_addr = addr;
	res->why = why;
	return err;
}

/* Check one write or check command's parameter byte and addresses. */
static int imx_dcd_check_access(const u8 *cmd, u32 clen, u32 off,
				struct imx_dcd_result *res)
{
	bool is_write = cmd[0] == IMX_DCD_CMD_WRITE;
	unsigned int width = cmd[3] & IMX_DCD_WIDTH_MASK;
	u32 i, step, addr;

	if ((cmd[3] & ~DCD_PARAM_KNOWN) || !imx_dcd_width_ok(width))
		return imx_dcd_fail(res, off, 0, is_write ?
				    "DCD write width" : "DCD check width",
				    -EINVAL);
	if (is_write) {
		/* SET without MASK has no defined meaning for a write. */
		if (DCD_FLAGS(cmd[3]) == IMX_DCD_FLAG_SET)
			return imx_dcd_fail(res, off, 0, "DCD write flags",
					    -EINVAL);
		if ((clen - DCD_CMD_HDR_LEN) % DCD_WRITE_PAIR_LEN)
			return imx_dcd_fail(res, off, 0, "DCD write length",
					    -EINVAL);
		step = DCD_WRITE_PAIR_LEN;
	} else {
		if (clen != DCD_CHECK_LEN && clen != DCD_CHECK_COUNT_LEN)
			return imx_dcd_fail(res, off, 0, "DCD check length",
					    -EINVAL);
		step = clen;
	}
	for (i = DCD_CMD_HDR_LEN; i < clen; i += step) {
		addr = imxf_get_be32(cmd + i);
		if (addr & (width - 1))
			return imx_dcd_fail(res, off, addr, is_write ?
					    "DCD write address alignment" :
					    "DCD check address alignment",
					    -EINVAL);
	}
	return 0;
}

/*
 * Validate the header and return the DCD length from it, or a negative
 * errno. Trailing bytes after that length (report-2 padding) are ignored.
 */
static int imx_dcd_check_header(const u8 *dcd, size_t len,
				struct imx_dcd_result *res)
{
	u32 hlen;

	if (len < IMX_DCD_HDR_LEN)
		return imx_dcd_fail(res, 0, 0, "DCD header truncated",
				    -EMSGSIZE);
	if (dcd[0] != IMX_DCD_TAG)
		return imx_dcd_fail(res, 0, 0, "DCD tag", -EINVAL);
	if (dcd[3] != IMX_DCD_V40 && dcd[3] != IMX_DCD_V41)
		return imx_dcd_fail(res, 0, 0, "DCD version", -EINVAL);
	hlen = imxf_get_be16(dcd + 1);
	if (hlen < IMX_DCD_HDR_LEN)
		return imx_dcd_fail(res, 0, 0, "DCD length", -EINVAL);
	if (hlen > IMX_DCD_MAX_LEN)
		return imx_dcd_fail(res, 0, 0, "DCD length exceeds 1768",
				    -EMSGSIZE);
	if (hlen > len)
		return imx_dcd_fail(res, 0, 0, "DCD length exceeds buffer",
				    -EMSGSIZE);
	return (int)hlen;
}

int imx_dcd_check(const u8 *dcd, size_t len, struct imx_dcd_result *res)
{
	struct imx_dcd_result local;
	u32 off, clen, hlen;
	const u8 *cmd;
	int ret;

	if (!res)
		res = &local;
	memset(res, 0, sizeof(*res));

	ret = imx_dcd_check_header(dcd, len, res);
	if (ret < 0)
		return ret;
	hlen = ret;

	for (off = IMX_DCD_HDR_LEN; off < hlen; off += clen) {
		cmd = dcd + off;
		if (hlen - off < DCD_CMD_HDR_LEN)
			return imx_dcd_fail(res, off, 0,
					    "DCD command header truncated",
					    -EINVAL);
		clen = imxf_get_be16(cmd + 1);
		if (clen < DCD_CMD_HDR_LEN)
			return imx_dcd_fail(res, off, 0, "DCD command length",
					    -EINVAL);
		if (clen > hlen - off)
			return imx_dcd_fail(res, off, 0,
					    "DCD command length overflow",
					    -EINVAL);

		switch (cmd[0]) {
		case IMX_DCD_CMD_WRITE:
		case IMX_DCD_CMD_CHECK:
			ret = imx_dcd_check_access(cmd, clen, off, res);
			if (ret)
				return ret;
			if (cmd[0] == IMX_DCD_CMD_CHECK)
				res->checks++;
			break;
		case IMX_DCD_CMD_NOP:
			if (clen != DCD_CMD_HDR_LEN)
				return imx_dcd_fail(res, off, 0,
						    "DCD nop length", -EINVAL);
			break;
		case IMX_DCD_CMD_UNLOCK:
			/* Engine-specific words follow; only their size matters. */
			if (clen % 4)
				return imx_dcd_fail(res, off, 0,
						    "DCD unlock length",
						    -EINVAL);
			break;
		default:
			return imx_dcd_fail(res, off, 0, "DCD command tag",
					    -EOPNOTSUPP);
		}
		res->cmds++;
	}
	return 0;
}

static bool imx_dcd_cond(u8 param, u32 v, u32 m)
{
	switch (DCD_FLAGS(param)) {
	case 0:
		return (v & m) == 0;
	case IMX_DCD_FLAG_MASK:
		return (v & m) != m;
	case IMX_DCD_FLAG_SET:
		return (v & m) == m;
	default:
		return (v & m) != 0;
	}
}

static int imx_dcd_run_write(const u8 *cmd, u32 clen, u32 off,
			     const struct imx_dcd_ops *ops, void *ctx,
			     struct imx_dcd_result *res)
{
	unsigned int width = cmd[3] & IMX_DCD_WIDTH_MASK;
	u32 wmask = imx_width_mask(width);
	u32 i, addr, val, v;

	for (i = DCD_CMD_HDR_LEN; i < clen; i += DCD_WRITE_PAIR_LEN) {
		addr = imxf_get_be32(cmd + i);
		val = imxf_get_be32(cmd + i + 4) & wmask;
		switch (DCD_FLAGS(cmd[3])) {
		case 0:
			v = val;
			break;
		case IMX_DCD_FLAG_MASK:
			if (ops->read(ctx, addr, width, &v))
				return imx_dcd_fail(res, off, addr,
						    "DCD read access", -EFAULT);
			v = (v & ~val) & wmask;
			break;
		default:
			if (ops->read(ctx, addr, width, &v))
				return imx_dcd_fail(res, off, addr,
						    "DCD read access", -EFAULT);
			v = (v | val) & wmask;
			break;
		}
		if (ops->write(ctx, addr, width, v))
			return imx_dcd_fail(res, off, addr, "DCD write access",
					    -EFAULT);
		res->writes++;
	}
	return 0;
}

static int imx_dcd_run_check(const u8 *cmd, u32 clen, u32 off,
			     const struct imx_dcd_ops *ops, void *ctx,
			     struct imx_dcd_result *res)
{
	unsigned int width = cmd[3] & IMX_DCD_WIDTH_MASK;
	u32 wmask = imx_width_mask(width);
	u32 addr = imxf_get_be32(cmd + 4);
	u32 mask = imxf_get_be32(cmd + 8) & wmask;
	u32 polls = 1, i, v;

	if (clen == DCD_CHECK_COUNT_LEN)
		polls = imxf_get_be32(cmd + 12);
	/* Evaluate at least once; bound the busy loop for emulators. */
	if (!polls)
		polls = 1;
	if (polls > IMX_DCD_MAX_POLLS)
		polls = IMX_DCD_MAX_POLLS;

	res->checks++;
	for (i = 0; i < polls; i++) {
		if (ops->read(ctx, addr, width, &v))
			return imx_dcd_fail(res, off, addr, "DCD read access",
					    -EFAULT);
		if (imx_dcd_cond(cmd[3], v & wmask, mask))
			return 0;
	}
	return imx_dcd_fail(res, off, addr, "DCD check condition not met",
			    -ETIMEDOUT);
}

int imx_dcd_run(const u8 *dcd, size_t len, const struct imx_dcd_ops *ops,
		void *ctx, struct imx_dcd_result *res)
{
	struct imx_dcd_result local;
	u32 off, clen, hlen;
	const u8 *cmd;
	int ret;

	if (!res)
		res = &local;

	/* Validate everything first: a bad DCD must not half-run. */
	ret = imx_dcd_check(dcd, len, res);
	if (ret)
		return ret;
	hlen = imxf_get_be16(dcd + 1);
	memset(res, 0, sizeof(*res));

	for (off = IMX_DCD_HDR_LEN; off < hlen; off += clen) {
		cmd = dcd + off;
		clen = imxf_get_be16(cmd + 1);
		switch (cmd[0]) {
		case IMX_DCD_CMD_WRITE:
			ret = imx_dcd_run_write(cmd, clen, off, ops, ctx, res);
			break;
		case IMX_DCD_CMD_CHECK:
			ret = imx_dcd_run_check(cmd, clen, off, ops, ctx, res);
			break;
		default:
			/* NOP; UNLOCK only matters to a real HAB engine. */
			ret = 0;
			break;
		}
		if (ret)
			return ret;
		res->cmds++;
	}
	return 0;
}

/* ---- DCD builder ---- */

static void imx_dcd_close(struct imx_dcd_builder *b)
{
	b->cmd_off = 0;
	b->cmd_tag = 0;
	b->cmd_param = 0;
}

void imx_dcd_begin(struct imx_dcd_builder *b, u8 *buf, size_t cap,
		   u8 version)
{
	b->buf = buf;
	b->cap = cap;
	b->len = IMX_DCD_HDR_LEN;
	b->version = version;
	imx_dcd_close(b);
	if (cap >= IMX_DCD_HDR_LEN) {
		buf[0] = IMX_DCD_TAG;
		imxf_put_be16(buf + 1, IMX_DCD_HDR_LEN);
		buf[3] = version;
	}
}

/* Reserve @n bytes at the end; the DCD header length field is 16 bits. */
static u8 *imx_dcd_reserve(struct imx_dcd_builder *b, size_t n)
{
	u8 *p;

	if (b->cap < IMX_DCD_HDR_LEN || b->len > b->cap ||
	    b->cap - b->len < n || b->len + n > 0xffff)
		return NULL;
	p = b->buf + b->len;
	b->len += n;
	return p;
}

int imx_dcd_add_write(struct imx_dcd_builder *b, u8 param, u32 addr,
		      u32 val)
{
	u8 *p;
	u8 *cmd;

	if (b->cmd_off && b->cmd_tag == IMX_DCD_CMD_WRITE &&
	    b->cmd_param == param) {
		p = imx_dcd_reserve(b, DCD_WRITE_PAIR_LEN);
		if (!p)
			return -ENOSPC;
		cmd = b->buf + b->cmd_off;
		imxf_put_be16(cmd + 1, (u16)(b->len - b->cmd_off));
	} else {
		p = imx_dcd_reserve(b, DCD_CMD_HDR_LEN + DCD_WRITE_PAIR_LEN);
		if (!p)
			return -ENOSPC;
		b->cmd_off = p - b->buf;
		b->cmd_tag = IMX_DCD_CMD_WRITE;
		b->cmd_param = param;
		p[0] = IMX_DCD_CMD_WRITE;
		imxf_put_be16(p + 1, DCD_CMD_HDR_LEN + DCD_WRITE_PAIR_LEN);
		p[3] = param;
		p += DCD_CMD_HDR_LEN;
	}
	imxf_put_be32(p, addr);
	imxf_put_be32(p + 4, val);
	return (int)b->len;
}

int imx_dcd_add_check(struct imx_dcd_builder *b, u8 param, u32 addr,
		      u32 mask, u32 count, bool has_count)
{
	size_t n = has_count ? DCD_CHECK_COUNT_LEN : DCD_CHECK_LEN;
	u8 *p;

	imx_dcd_close(b);
	p = imx_dcd_reserve(b, n);
	if (!p)
		return -ENOSPC;
	p[0] = IMX_DCD_CMD_CHECK;
	imxf_put_be16(p + 1, (u16)n);
	p[3] = param;
	imxf_put_be32(p + 4, addr);
	imxf_put_be32(p + 8, mask);
	if (has_count)
		imxf_put_be32(p + 12, count);
	return (int)b->len;
}

int imx_dcd_add_nop(struct imx_dcd_builder *b)
{
	u8 *p;

	imx_dcd_close(b);
	p = imx_dcd_reserve(b, DCD_CMD_HDR_LEN);
	if (!p)
		return -ENOSPC;
	p[0] = IMX_DCD_CMD_NOP;
	imxf_put_be16(p + 1, DCD_CMD_HDR_LEN);
	p[3] = 0;
	return (int)b->len;
}

int imx_dcd_end(struct imx_dcd_builder *b)
{
	imx_dcd_close(b);
	if (b->cap < IMX_DCD_HDR_LEN || b->len > b->cap)
		return -ENOSPC;
	b->buf[0] = IMX_DCD_TAG;
	imxf_put_be16(b->buf + 1, (u16)b->len);
	b->buf[3] = b->version;
	return (int)b->len;
}
