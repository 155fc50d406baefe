// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * mkimx - generate i.MX boot images (IVT + boot data + DCD + payload) for
 * tests, laid out like U-Boot's "mkimage -T imximage" V2 output, plus a
 * manifest that tells a test what the ROM emulator should end up with.
 *
 * Layout of a normal image (file offset relative to the IVT):
 *   0x000 IVT         self = entry - 0xc00
 *   0x020 boot data   start = entry - 0x1000, length = roundup(size +
 *                     0x400, 4 KiB) where size runs from the IVT to the
 *                     end of the image (payload, then the CSF if any)
 *   0x02c DCD         (unless --no-dcd)
 *   0xc00 payload     at address entry
 * Loaders send boot_data.length - (self - start) bytes from the IVT,
 * capped at the file, to self, and jump to self (sdp-protocol.md §3.3).
 *
 * A plugin image (--plugin) is a plugin part of 0x1000 bytes (IVT with
 * boot_data.plugin = 1, "bx lr" plus 0xfc pseudo-random bytes at IVT +
 * 0x40 = entry) placed in OCRAM at ocram.base + 0x8000, followed at file
 * offset 0x1000 (inside imx_usb_loader's scan window) by a normal image
 * in DDR, which carries the DCD and the CSF.
 *
 * The payload is deterministic: xorshift32 (x ^= x << 13; x ^= x >> 17;
 * x ^= x << 5) starting from the seed (0 -> 0x9e3779b9), each new state
 * emitted as 4 little-endian bytes. The plugin code after "bx lr" uses
 * the same generator seeded with seed ^ 0xa5a5a5a5.
 *
 * The manifest (--print to stdout, --manifest FILE) is "key=value" lines
 * (addresses in hex with 0x, offsets and lengths in decimal) and one
 * "dcdw ADDR VALUE WIDTH" line per location the DCD writes, giving its
 * value after the DCD has run, assuming memory read as 0 before. For a
 * plugin image the second image's keys and lines carry a "main_" prefix.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imxflash/imx_image.h>
#include <imxflash/sdp_soc.h>

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

static const char *prog = "mkimx";

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [options] -o OUT\n"
		"  --soc NAME             imx6q (default), imx6dl, imx6sl, imx6sx, imx6ul,\n"
		"                         imx6ull, imx6sll, imx7d, imx7ulp, imx8mq, imx8mm\n"
		"  --entry ADDR           entry point (default: in the SoC's DDR)\n"
		"  --size BYTES           payload size (default 16384; K/M suffixes)\n"
		"  --seed N               payload generator seed (default 1)\n"
		"  --payload FILE         payload from FILE instead\n"
		"  --dcd-write ADDR=VAL[/W]    W = 1, 2 or 4 (default 4)\n"
		"  --dcd-clear ADDR=MASK[/W]\n"
		"  --dcd-set ADDR=MASK[/W]\n"
		"  --dcd-check ADDR=MASK[/W][:COND[:COUNT]]\n"
		"                         COND: all-clear, any-clear, all-set (default),\n"
		"                         any-set, or the flag bits 0, 0x08, 0x10, 0x18\n"
		"  --dcd-nop              (all --dcd-* options keep their order)\n"
		"  --no-dcd               no DCD (default DCD: two CCM writes and a check)\n"
		"  --plugin               plugin image followed by the main image\n"
		"  --flash-offset         prepend 0x400 zero bytes (IVT at 0x400)\n"
		"  --csf                  add a minimal CSF and point the IVT at it\n"
		"  --corrupt WHAT         ivt-tag, self, boot-data, dcd-tag, dcd-len\n"
		"  --print                write the manifest to stdout\n"
		"  --manifest FILE        write the manifest to FILE\n"
		"  -o OUT                 output image\n", prog);
}

static u32 parse_u32(const char *s, const char *what)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || v > 0xffffffffull)
		die("bad %s '%s'", what, s);
	return (u32)v;
}

static size_t parse_size(const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		die("bad size '%s'", s);
	if (*end == 'K' || *end == 'k') {
		v <<= 10;
		end++;
	} else if (*end == 'M' || *end == 'm') {
		v <<= 20;
		end++;
	}
	if (*end || v > MKIMX_MAX_SIZE)
		die("bad size '%s' (at most %u bytes)", s, MKIMX_MAX_SIZE);
	return (size_t)v;
}

static unsigned int parse_width(const char *s)
{
	u32 w = parse_u32(s, "width");

	if (w != 1 && w != 2 && w != 4)
		die("width must be 1, 2 or 4, not '%s'", s);
	return w;
}

static u8 parse_cond(const char *s)
{
	static const struct {
		const char *name;
		u8 flags;
	} names[] = {
		{ "all-clear", 0 },
		{ "any-clear", IMX_DCD_FLAG_MASK },
		{ "all-set", IMX_DCD_FLAG_SET },
		{ "any-set", IMX_DCD_FLAG_MASK | IMX_DCD_FLAG_SET },
	};
	u32 v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i].name))
			return names[i].flags;
	v = parse_u32(s, "check condition");
	if (v & ~(u32)(IMX_DCD_FLAG_MASK | IMX_DCD_FLAG_SET))
		die("bad check condition '%s'", s);
	return (u8)v;
}

/* "ADDR=VAL[/W][:COND[:COUNT]]"; COND/COUNT only where @check. */
static void parse_op(struct dcd_op *op, enum op_kind kind, const char *arg)
{
	char buf[256];
	char *eq, *slash, *colon, *colon2;

	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->width = 4;
	op->cond = IMX_DCD_FLAG_SET;
	if (strlen(arg) >= sizeof(buf))
		die("argument too long: %s", arg);
	strcpy(buf, arg);

	colon = strchr(buf, ':');
	if (colon) {
		if (kind != OP_CHECK)
			die("':' only allowed in --dcd-check: %s", arg);
		*colon++ = '\0';
		colon2 = strchr(colon, ':');
		if (colon2) {
			*colon2++ = '\0';
			op->count = parse_u32(colon2, "check count");
			op->has_count = true;
		}
		op->cond = parse_cond(colon);
	}
	slash = strchr(buf, '/');
	if (slash) {
		*slash++ = '\0';
		op->width = parse_width(slash);
	}
	eq = strchr(buf, '=');
	if (!eq)
		die("expected ADDR=VALUE: %s", arg);
	*eq++ = '\0';
	op->addr = parse_u32(buf, "address");
	op->val = parse_u32(eq, "value");
	if (op->addr & (op->width - 1))
		die("address 0x%08x not aligned to width %u", op->addr,
		    op->width);
}

/* ---- expected memory model, independent of imx_dcd_run() ---- */

static int mem_slot(struct mem *m, u32 addr, bool create)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->addr[i] == addr)
			return (int)i;
	if (!create)
		return -1;
	if (m->n == MKIMX_MEM_SLOTS)
		die("too many DCD memory locations");
	m->addr[m->n] = addr;
	m->val[m->n] = 0;
	return (int)m->n++;
}

static u32 mem_read(struct mem *m, u32 addr, unsigned int width)
{
	u32 v = 0;
	unsigned int i;
	int s;

	for (i = 0; i < width; i++) {
		s = mem_slot(m, addr + i, false);
		if (s >= 0)
			v |= (u32)m->val[s] << (8 * i);
	}
	return v;
}

static void mem_write(struct mem *m, u32 addr, unsigned int width, u32 v)
{
	unsigned int i;

	for (i = 0; i < width; i++)
		m->val[mem_slot(m, addr + i, true)] = (u8)(v >> (8 * i));
}

static u32 width_mask(unsigned int w)
{
	return w == 4 ? 0xffffffffu : (1u << (8 * w)) - 1;
}

/*
 * The DCD check conditions, written again from sdp-protocol.md rather than
 * calling imx_dcd_cond() of lib/imxflash/imx_image.c on purpose: the
 * manifest's expected memory values are an independent oracle for the
 * emulator's DCD engine, which uses that library function.
 */
static bool cond_true(u8 cond, u32 v, u32 m)
{
	switch (cond) {
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

/*
 * Run the op list on @m as the DCD semantics say; stop at the first check
 * that fails, like the ROM. Returns true if every check passed.
 */
static bool model_run(const struct dcd_op *ops, unsigned int n, struct mem *m)
{
	unsigned int i;
	u32 wm, v;

	for (i = 0; i < n; i++) {
		const struct dcd_op *op = &ops[i];

		wm = width_mask(op->width);
		switch (op->kind) {
		case OP_WRITE:
			mem_write(m, op->addr, op->width, op->val & wm);
			break;
		case OP_CLEAR:
			v = mem_read(m, op->addr, op->width) & ~op->val;
			mem_write(m, op->addr, op->width, v & wm);
			break;
		case OP_SET:
			v = mem_read(m, op->addr, op->width) | op->val;
			mem_write(m, op->addr, op->width, v & wm);
			break;
		case OP_CHECK:
			v = mem_read(m, op->addr, op->width);
			if (!cond_true(op->cond, v, op->val & wm))
				return false;
			break;
		case OP_NOP:
			break;
		}
	}
	return true;
}

static int ops_read(void *ctx, u32 addr, unsigned int width, u32 *val)
{
	*val = mem_read(ctx, addr, width);
	return 0;
}

static int ops_write(void *ctx, u32 addr, unsigned int width, u32 val)
{
	mem_write(ctx, addr, width, val);
	return 0;
}

static const struct imx_dcd_ops mem_ops = {
	.read = ops_read,
	.write = ops_write,
};

/* ---- image construction ---- */

static void fill_prng(u8 *p, size_t n, u32 seed)
{
	u32 x = seed ? seed : 0x9e3779b9u;
	u8 w[4];
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(i & 3)) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			imxf_put_le32(w, x);
		}
		p[i] = w[i & 3];
	}
}

static size_t build_dcd(u8 *buf, size_t cap, u8 version,
			const struct dcd_op *ops, unsigned int n)
{
	struct imx_dcd_builder b;
	unsigned int i;
	int r = 0;

	imx_dcd_begin(&b, buf, cap, version);
	for (i = 0; i < n; i++) {
		const struct dcd_op *op = &ops[i];
		u8 param = (u8)op->width;

		switch (op->kind) {
		case OP_WRITE:
			r = imx_dcd_add_write(&b, param, op->addr, op->val);
			break;
		case OP_CLEAR:
			r = imx_dcd_add_write(&b, param | IMX_DCD_FLAG_MASK,
					      op->addr, op->val);
			break;
		case OP_SET:
			r = imx_dcd_add_write(&b, param | IMX_DCD_FLAG_MASK |
					      IMX_DCD_FLAG_SET, op->addr,
					      op->val);
			break;
		case OP_CHECK:
			r = imx_dcd_add_check(&b, param | op->cond, op->addr,
					      op->val, op->count,
					      op->has_count);
			break;
		case OP_NOP:
			r = imx_dcd_add_nop(&b);
			break;
		}
		if (r < 0)
			die("DCD does not fit (%zu bytes max)", cap);
	}
	r = imx_dcd_end(&b);
	if (r < 0)
		die("DCD does not fit");
	if (r > IMX_DCD_MAX_LEN)
		die("DCD is %d bytes, more than %d", r, IMX_DCD_MAX_LEN);
	return (size_t)r;
}

static u32 roundup4k(u64 v)
{
	v = (v + 0xfff) & ~0xfffull;
	if (v > 0xffffffffull)
		die("image too large");
	return (u32)v;
}

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

/*
 * Lay out a normal (mkimage V2 style) image with its IVT at @ivt_off.
 * Returns the part description; bytes go to @file.
 */
static void build_main(const struct opts *o, u8 *file, size_t ivt_off,
		       const u8 *payload, const u8 *dcd, size_t dcd_len,
		       struct part *p)
{
	u32 entry = o->entry;
	size_t rel;

	memset(p, 0, sizeof(*p));
	p->ivt_off = ivt_off;
	p->ivt.version = o->soc->ivt_version;
	p->ivt.entry = entry;
	p->ivt.self = entry - MKIMX_ENTRY_TO_SELF;
	p->ivt.boot_data = p->ivt.self + MKIMX_BD_OFF;
	p->payload_off = ivt_off + MKIMX_PAYLOAD_OFF;
	p->payload_size = o->size;
	memcpy(file + p->payload_off, payload, o->size);
	rel = MKIMX_PAYLOAD_OFF + o->size;

	if (dcd_len) {
		p->ivt.dcd = p->ivt.self + MKIMX_DCD_OFF;
		p->dcd_off = ivt_off + MKIMX_DCD_OFF;
		p->dcd_len = (u32)dcd_len;
		memcpy(file + p->dcd_off, dcd, dcd_len);
	}
	if (o->csf) {
		/* HAB wants the CSF word aligned; keep it 16-byte aligned. */
		rel = (rel + 15) & ~(size_t)15;
		p->csf_off = ivt_off + rel;
		p->ivt.csf = p->ivt.self + (u32)rel;
		file[p->csf_off] = IMX_CSF_TAG;
		imxf_put_be16(file + p->csf_off + 1, 4);
		file[p->csf_off + 3] = 0x40;
		rel += MKIMX_CSF_SIZE;
	}
	p->size = rel;

	p->bd.start = entry - MKIMX_ENTRY_TO_START;
	p->bd.length = roundup4k((u64)rel + MKIMX_FLASH_OFFSET);
	p->bd.plugin = 0;
	p->load_len = (u32)rel;
	imx_ivt_encode(&p->ivt, file + ivt_off);
	imx_boot_data_encode(&p->bd, file + ivt_off + MKIMX_BD_OFF);
}

/* The plugin part: IVT + boot data + "code", MKIMX_PLUGIN_PART bytes. */
static void build_plugin(const struct opts *o, u8 *file, size_t ivt_off,
			 struct part *p)
{
	u32 self = o->soc->ocram.base + MKIMX_PLUGIN_OCRAM_OFF;

	memset(p, 0, sizeof(*p));
	p->ivt_off = ivt_off;
	p->size = MKIMX_PLUGIN_PART;
	p->ivt.version = o->soc->ivt_version;
	p->ivt.self = self;
	p->ivt.entry = self + MKIMX_PLUGIN_CODE_OFF;
	p->ivt.boot_data = self + MKIMX_BD_OFF;
	p->bd.start = self - MKIMX_FLASH_OFFSET;
	p->bd.length = MKIMX_PLUGIN_PART + MKIMX_FLASH_OFFSET;
	p->bd.plugin = IMX_BOOT_PLUGIN;
	p->payload_off = ivt_off + MKIMX_PLUGIN_CODE_OFF;
	p->payload_size = MKIMX_PLUGIN_CODE_LEN;
	p->load_len = MKIMX_PLUGIN_PART;

	imxf_put_le32(file + p->payload_off, MKIMX_ARM_BX_LR);
	fill_prng(file + p->payload_off + 4, MKIMX_PLUGIN_CODE_LEN - 4,
		  o->seed ^ 0xa5a5a5a5u);
	imx_ivt_encode(&p->ivt, file + ivt_off);
	imx_boot_data_encode(&p->bd, file + ivt_off + MKIMX_BD_OFF);
}

static void default_dcd(struct opts *o)
{
	u32 ccm = o->soc->periph.base + 0x000c4068;
	struct dcd_op *op = o->ops;

	/* i.MX6 CCM_CCGR0/1 (gate all clocks on), then a poll that passes. */
	op[0] = (struct dcd_op){ .kind = OP_WRITE, .addr = ccm,
				 .val = 0xffffffff, .width = 4 };
	op[1] = (struct dcd_op){ .kind = OP_WRITE, .addr = ccm + 4,
				 .val = 0x00c03f3f, .width = 4 };
	op[2] = (struct dcd_op){ .kind = OP_CHECK, .addr = ccm,
				 .val = 0x0000000f, .width = 4,
				 .cond = IMX_DCD_FLAG_SET, .count = 100,
				 .has_count = true };
	o->nops = 3;
}

static u32 default_entry(const struct sdp_soc *soc)
{
	/* mx6q/dl boards load at 0x27800000; others at DDR + 0x07800000. */
	if (soc->ddr.base == 0x10000000)
		return 0x27800000;
	return soc->ddr.base + 0x07800000;
}

static void print_part(FILE *f, const char *pfx, const struct part *p,
		       bool dcd_ok)
{
	fprintf(f, "%sivt_off=%zu\n", pfx, p->ivt_off);
	fprintf(f, "%sself=0x%08x\n", pfx, p->ivt.self);
	fprintf(f, "%sentry=0x%08x\n", pfx, p->ivt.entry);
	fprintf(f, "%sboot_data=0x%08x\n", pfx, p->ivt.boot_data);
	fprintf(f, "%sboot_start=0x%08x\n", pfx, p->bd.start);
	fprintf(f, "%sboot_length=%u\n", pfx, p->bd.length);
	fprintf(f, "%splugin=%u\n", pfx, p->bd.plugin);
	fprintf(f, "%sload_addr=0x%08x\n", pfx, p->ivt.self);
	fprintf(f, "%sload_len=%u\n", pfx, p->load_len);
	fprintf(f, "%sjump_addr=0x%08x\n", pfx, p->ivt.self);
	fprintf(f, "%spayload_off=%zu\n", pfx, p->payload_off);
	fprintf(f, "%spayload_addr=0x%08x\n", pfx,
		p->ivt.self + (u32)(p->payload_off - p->ivt_off));
	fprintf(f, "%spayload_size=%zu\n", pfx, p->payload_size);
	fprintf(f, "%sdcd_addr=0x%08x\n", pfx, p->ivt.dcd);
	fprintf(f, "%sdcd_off=%zu\n", pfx, p->dcd_len ? p->dcd_off : 0);
	fprintf(f, "%sdcd_len=%u\n", pfx, p->dcd_len);
	fprintf(f, "%sdcd_ok=%d\n", pfx, p->dcd_len ? dcd_ok : 1);
	fprintf(f, "%scsf_addr=0x%08x\n", pfx, p->ivt.csf);
}

/* One "dcdw" line per (address, width) written, in first-write order. */
static void print_dcdw(FILE *f, const char *pfx, const struct opts *o,
		       struct mem *m)
{
	unsigned int i, j;
	bool seen;

	for (i = 0; i < o->nops; i++) {
		const struct dcd_op *op = &o->ops[i];

		if (op->kind != OP_WRITE && op->kind != OP_CLEAR &&
		    op->kind != OP_SET)
			continue;
		/* Skip writes after a failing check: they never happen. */
		if (mem_slot(m, op->addr, false) < 0)
			continue;
		seen = false;
		for (j = 0; j < i && !seen; j++)
			seen = o->ops[j].kind != OP_CHECK &&
			       o->ops[j].kind != OP_NOP &&
			       o->ops[j].addr == op->addr &&
			       o->ops[j].width == op->width;
		if (seen)
			continue;
		fprintf(f, "%sdcdw 0x%08x 0x%0*x %u\n", pfx, op->addr,
			(int)(2 * op->width),
			mem_read(m, op->addr, op->width), op->width);
	}
}

static void write_manifest(FILE *f, const struct opts *o, size_t file_size,
			   const struct part *first, const struct part *main,
			   struct mem *m, bool dcd_ok)
{
	fprintf(f, "soc=%s\n", o->soc->name);
	fprintf(f, "ivt_version=0x%02x\n", o->soc->ivt_version);
	fprintf(f, "soc_dcd_addr=0x%08x\n", o->soc->dcd_addr);
	fprintf(f, "soc_skip_dcd=%d\n",
		!!(o->soc->flags & SDP_SOC_SKIP_DCD));
	fprintf(f, "file_size=%zu\n", file_size);
	fprintf(f, "seed=%u\n", o->seed);
	if (o->corrupt)
		fprintf(f, "corrupt=%s\n", o->corrupt);
	print_part(f, "", first, dcd_ok);
	if (main) {
		print_part(f, "main_", main, dcd_ok);
		if (main->dcd_len)
			print_dcdw(f, "main_", o, m);
	} else if (first->dcd_len) {
		print_dcdw(f, "", o, m);
	}
}

static void corrupt(const struct opts *o, u8 *file, const struct part *first,
		    const struct part *dcd_part)
{
	const char *c = o->corrupt;
	struct imx_ivt ivt = first->ivt;
	struct imx_boot_data bd = first->bd;

	if (!strcmp(c, "ivt-tag")) {
		file[first->ivt_off] = IMX_IVT_TAG ^ 0x01;
	} else if (!strcmp(c, "self")) {
		/* The boot data pointer now lies before "self". */
		ivt.self += 0x10000000;
		imx_ivt_encode(&ivt, file + first->ivt_off);
	} else if (!strcmp(c, "boot-data")) {
		/* start after self: no loader can compute a length. */
		bd.start = ivt.self + 0x10;
		imx_boot_data_encode(&bd, file + first->ivt_off +
				     MKIMX_BD_OFF);
	} else if (!strcmp(c, "dcd-tag") || !strcmp(c, "dcd-len")) {
		if (!dcd_part || !dcd_part->dcd_len)
			die("--corrupt %s needs a DCD", c);
		if (!strcmp(c, "dcd-tag"))
			file[dcd_part->dcd_off] = IMX_DCD_TAG ^ 0x01;
		else
			imxf_put_be16(file + dcd_part->dcd_off + 1,
				      IMX_DCD_MAX_LEN + 0x98);
	} else {
		die("unknown --corrupt '%s'", c);
	}
}

static void check_part(const char *what, const struct imx_image *img,
		       const struct part *p)
{
	if (img->ivt_off != p->ivt_off || img->load_addr != p->ivt.self ||
	    img->load_len != p->load_len || img->jump_addr != p->ivt.self ||
	    img->dcd_len != p->dcd_len ||
	    (p->dcd_len && img->dcd_off != p->dcd_off) ||
	    img->bd.plugin != p->bd.plugin)
		die("internal: %s image does not parse back as built", what);
}

/* Parse the result with the cores, as a loader would, and compare. */
static void self_check(const u8 *file, size_t len, const struct part *first,
		       const struct part *main, const u8 *dcd,
		       size_t dcd_len, const struct mem *expect, bool dcd_ok)
{
	static struct mem got;
	struct imx_dcd_result res;
	struct imx_image img, next;
	const char *why;
	unsigned int i;
	int r;

	if (imx_image_find(&img, file, len, 0, &why))
		die("internal: built image not found: %s", why);
	check_part("first", &img, first);
	if (main) {
		if (imx_image_find_next(&next, file, len, &img, &why))
			die("internal: main image not found: %s", why);
		check_part("main", &next, main);
	}
	if (!dcd_len)
		return;
	if (imx_dcd_check(dcd, dcd_len, &res))
		die("internal: DCD check: %s", res.why);
	memset(&got, 0, sizeof(got));
	r = imx_dcd_run(dcd, dcd_len, &mem_ops, &got, &res);
	if (!r != dcd_ok || (r && r != -ETIMEDOUT))
		die("internal: DCD run %d (%s) vs model %d", r,
		    res.why ? res.why : "ok", dcd_ok);
	if (got.n != expect->n)
		die("internal: DCD wrote %u bytes, model %u", got.n,
		    expect->n);
	for (i = 0; i < expect->n; i++)
		if (mem_read(&got, expect->addr[i], 1) != expect->val[i])
			die("internal: DCD result differs at 0x%08x",
			    expect->addr[i]);
}

static u8 *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	u8 *buf;
	long n;

	if (!f)
		die("%s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END))
		die("%s: cannot size", path);
	n = ftell(f);
	if (n < 0 || fseek(f, 0, SEEK_SET))
		die("%s: cannot size", path);
	if ((unsigned long)n > MKIMX_MAX_SIZE)
		die("%s: too large", path);
	buf = malloc(n ? (size_t)n : 1);
	if (!buf)
		die("out of memory");
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("%s: read error", path);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

enum {
	OPT_SOC = 256, OPT_ENTRY, OPT_SIZE, OPT_SEED, OPT_PAYLOAD,
	OPT_DCD_WRITE, OPT_DCD_CLEAR, OPT_DCD_SET, OPT_DCD_CHECK, OPT_DCD_NOP,
	OPT_NO_DCD, OPT_PLUGIN, OPT_FLASH_OFFSET, OPT_CSF, OPT_CORRUPT,
	OPT_PRINT, OPT_MANIFEST,
};

static const struct option long_opts[] = {
	{ "soc", required_argument, NULL, OPT_SOC },
	{ "entry", required_argument, NULL, OPT_ENTRY },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "payload", required_argument, NULL, OPT_PAYLOAD },
	{ "dcd-write", required_argument, NULL, OPT_DCD_WRITE },
	{ "dcd-clear", required_argument, NULL, OPT_DCD_CLEAR },
	{ "dcd-set", required_argument, NULL, OPT_DCD_SET },
	{ "dcd-check", required_argument, NULL, OPT_DCD_CHECK },
	{ "dcd-nop", no_argument, NULL, OPT_DCD_NOP },
	{ "no-dcd", no_argument, NULL, OPT_NO_DCD },
	{ "plugin", no_argument, NULL, OPT_PLUGIN },
	{ "flash-offset", no_argument, NULL, OPT_FLASH_OFFSET },
	{ "csf", no_argument, NULL, OPT_CSF },
	{ "corrupt", required_argument, NULL, OPT_CORRUPT },
	{ "print", no_argument, NULL, OPT_PRINT },
	{ "manifest", required_argument, NULL, OPT_MANIFEST },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static struct dcd_op *new_op(struct opts *o)
{
	if (o->nops == MKIMX_MAX_OPS)
		die("too many DCD commands");
	return &o->ops[o->nops++];
}

static void parse_args(struct opts *o, int argc, char **argv)
{
	int c;

	o->soc = &sdp_socs[SDP_SOC_MX6Q];
	o->size = 16384;
	o->seed = 1;
	while ((c = getopt_long(argc, argv, "o:h", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_SOC:
			o->soc = sdp_soc_by_name(optarg);
			if (!o->soc)
				die("unknown SoC '%s'", optarg);
			break;
		case OPT_ENTRY:
			o->entry = parse_u32(optarg, "entry");
			o->entry_set = true;
			break;
		case OPT_SIZE:
			o->size = parse_size(optarg);
			break;
		case OPT_SEED:
			o->seed = parse_u32(optarg, "seed");
			break;
		case OPT_PAYLOAD:
			o->payload_file = optarg;
			break;
		case OPT_DCD_WRITE:
			parse_op(new_op(o), OP_WRITE, optarg);
			break;
		case OPT_DCD_CLEAR:
			parse_op(new_op(o), OP_CLEAR, optarg);
			break;
		case OPT_DCD_SET:
			parse_op(new_op(o), OP_SET, optarg);
			break;
		case OPT_DCD_CHECK:
			parse_op(new_op(o), OP_CHECK, optarg);
			break;
		case OPT_DCD_NOP:
			new_op(o)->kind = OP_NOP;
			break;
		case OPT_NO_DCD:
			o->no_dcd = true;
			break;
		case OPT_PLUGIN:
			o->plugin = true;
			break;
		case OPT_FLASH_OFFSET:
			o->flash_offset = true;
			break;
		case OPT_CSF:
			o->csf = true;
			break;
		case OPT_CORRUPT:
			o->corrupt = optarg;
			break;
		case OPT_PRINT:
			o->print = true;
			break;
		case OPT_MANIFEST:
			o->manifest = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind != argc || !o->out) {
		usage(stderr);
		exit(2);
	}
	if (o->no_dcd && o->nops)
		die("--no-dcd conflicts with --dcd-* options");
	if (!o->no_dcd && !o->nops)
		default_dcd(o);
	if (!o->entry_set)
		o->entry = default_entry(o->soc);
	if (o->entry < MKIMX_ENTRY_TO_START)
		die("entry 0x%08x too low", o->entry);
}

int main(int argc, char **argv)
{
	static struct opts o;
	static struct mem model;
	static u8 dcd[IMX_DCD_MAX_LEN + 0x100];
	struct part first, main_part;
	size_t dcd_len = 0, len, base, payload_len;
	u8 *file, *payload;
	bool dcd_ok = true;
	FILE *f;

	if (argv[0])
		prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 :
					       argv[0];
	parse_args(&o, argc, argv);

	if (o.payload_file) {
		payload = read_file(o.payload_file, &payload_len);
		o.size = payload_len;
	} else {
		payload = malloc(o.size ? o.size : 1);
		if (!payload)
			die("out of memory");
		fill_prng(payload, o.size, o.seed);
	}

	if (!o.no_dcd) {
		dcd_len = build_dcd(dcd, sizeof(dcd), o.soc->ivt_version,
				    o.ops, o.nops);
		dcd_ok = model_run(o.ops, o.nops, &model);
	}

	base = o.flash_offset ? MKIMX_FLASH_OFFSET : 0;
	len = base + (o.plugin ? MKIMX_PLUGIN_PART : 0) + MKIMX_PAYLOAD_OFF +
	      o.size + (o.csf ? MKIMX_CSF_SIZE + 16 : 0);
	file = calloc(1, len);
	if (!file)
		die("out of memory");

	if (o.plugin) {
		build_plugin(&o, file, base, &first);
		build_main(&o, file, base + MKIMX_PLUGIN_PART, payload, dcd,
			   dcd_len, &main_part);
		len = main_part.ivt_off + main_part.size;
		/* In target memory the two parts must not overlap. */
		if ((u64)first.bd.start + first.bd.length >
		    main_part.bd.start &&
		    (u64)main_part.bd.start + main_part.bd.length >
		    first.bd.start)
			die("plugin (OCRAM 0x%08x) overlaps the main image; "
			    "pick another --entry", first.bd.start);
	} else {
		build_main(&o, file, base, payload, dcd, dcd_len, &first);
		len = first.ivt_off + first.size;
	}
	if (!o.corrupt)
		self_check(file, len, &first, o.plugin ? &main_part : NULL,
			   dcd, dcd_len, &model, dcd_ok);
	else
		corrupt(&o, file, &first, o.plugin ? &main_part : &first);

	f = fopen(o.out, "wb");
	if (!f || fwrite(file, 1, len, f) != len || fclose(f))
		die("%s: %s", o.out, strerror(errno));
	if (o.print)
		write_manifest(stdout, &o, len, &first,
			       o.plugin ? &main_part : NULL, &model, dcd_ok);
	if (o.manifest) {
		f = fopen(o.manifest, "w");
		if (!f)
			die("%s: %s", o.manifest, strerror(errno));
		write_manifest(f, &o, len, &first,
			       o.plugin ? &main_part : NULL, &model, dcd_ok);
		if (fclose(f))
			die("%s: %s", o.manifest, strerror(errno));
	}
	free(file);
	free(payload);
	return 0;
}
