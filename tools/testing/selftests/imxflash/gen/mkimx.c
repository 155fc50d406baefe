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
 * capped at the file, to self, and jump to self
 * (Documentation/sdp-protocol.rst, "Load arithmetic").
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
 *
 * This file: the command line and main(). The DCD and its expected-memory
 * model are in mkimx_dcd.c, the image layout, self-check and manifest in
 * mkimx_image.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkimx.h"

static const char *prog = "mkimx";

_Noreturn void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void print_usage(FILE *f)
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

static u32 default_entry(const struct sdp_soc *soc)
{
	/* mx6q/dl boards load at 0x27800000; others at DDR + 0x07800000. */
	if (soc->ddr.base == 0x10000000)
		return 0x27800000;
	return soc->ddr.base + 0x07800000;
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
			print_usage(stdout);
			exit(0);
		default:
			print_usage(stderr);
			exit(2);
		}
	}
	if (optind != argc || !o->out) {
		print_usage(stderr);
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
		check_plugin_overlap(&first, &main_part);
	} else {
		build_main(&o, file, base, payload, dcd, dcd_len, &first);
		len = first.ivt_off + first.size;
	}
	if (!o.corrupt)
		self_check(file, len, &first, o.plugin ? &main_part : NULL,
			   dcd, dcd_len, &model, dcd_ok);
	else
		corrupt_image(&o, file, &first, o.plugin ? &main_part : &first);

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
