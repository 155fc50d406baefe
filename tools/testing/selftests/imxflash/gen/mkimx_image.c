// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * mkimx: the image. Lays out the IVT, boot data, DCD, payload and CSF of
 * a normal image and the plugin part (layout in mkimx.c), corrupts one
 * field on request, parses the result back with the cores as a loader
 * would, and writes the manifest.
 */
#include <string.h>

#include "mkimx.h"

void fill_prng(u8 *p, size_t n, u32 seed)
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

static u32 roundup4k(u64 v)
{
	v = (v + 0xfff) & ~0xfffull;
	if (v > 0xffffffffull)
		die("image too large");
	return (u32)v;
}

/*
 * Lay out a normal (mkimage V2 style) image with its IVT at @ivt_off.
 * Returns the part description; bytes go to @file.
 */
void build_main(const struct opts *o, u8 *file, size_t ivt_off,
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
void build_plugin(const struct opts *o, u8 *file, size_t ivt_off,
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

void write_manifest(FILE *f, const struct opts *o, size_t file_size,
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

void corrupt_image(const struct opts *o, u8 *file, const struct part *first,
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

void check_plugin_overlap(const struct part *plugin, const struct part *main)
{
	/* In target memory the two parts must not overlap. */
	if ((u64)plugin->bd.start + plugin->bd.length > main->bd.start &&
	    (u64)main->bd.start + main->bd.length > plugin->bd.start)
		die("plugin (OCRAM 0x%08x) overlaps the main image; "
		    "pick another --entry", plugin->bd.start);
}

/* Parse the result with the cores, as a loader would, and compare. */
void self_check(const u8 *file, size_t len, const struct part *first,
		const struct part *main, const u8 *dcd, size_t dcd_len,
		const struct mem *expect, bool dcd_ok)
{
	struct imx_image img, next;
	const char *why;

	if (imx_image_find(&img, file, len, 0, &why))
		die("internal: built image not found: %s", why);
	check_part("first", &img, first);
	if (main) {
		if (imx_image_find_next(&next, file, len, &img, &why))
			die("internal: main image not found: %s", why);
		check_part("main", &next, main);
	}
	if (dcd_len)
		dcd_self_check(dcd, dcd_len, expect, dcd_ok);
}
