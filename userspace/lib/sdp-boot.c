// SPDX-License-Identifier: GPL-2.0
/*
 * imx-sdp boot: what imx_usb_loader does with a .imx file, over
 * /dev/imx-sdpN (Documentation/sdp-protocol.rst, "Boot images",
 * "Per-SoC rules" and "What the loaders send").
 *
 *  1. Find the IVT at file offset 0, 0x400 or 0x8400 (imx_image_find()).
 *     For a plugin image, also the image after it (imx_image_find_next()).
 *     The whole chain is parsed, and its DCD checked, before the board is
 *     touched: a bad file never leaves a half-loaded board.
 *  2. ERROR_STATUS (as imx_usb: sync, and the ROM is alive).
 *  3. If the first image's IVT has a DCD: DCD_WRITE it to the ROM's DCD
 *     scratch address (IMX_SDP_IOC_INFO dcd_addr); the ROM runs it.
 *  4. WRITE_FILE of file bytes [ivt_off, ivt_off + load_len) to IVT.self,
 *     the last report short (no IMX_SDP_F_PAD: nothing past the image is
 *     overwritten).
 *  5. The rule that keeps the ROM from running that DCD again at JUMP
 *     (DDR is configured and holds the image by then), on every SoC as
 *     imx_usb does: the copy of the IVT that is sent has its dcd word
 *     zeroed, and the boot data plugin word too when it lies in the first
 *     1 KiB, patched in the first block of the one WRITE_FILE (no second
 *     rewrite as uuu does). Memory then equals what imx_usb leaves for the
 *     same image. On SoCs with IMX_SDP_INFO_SKIP_DCD (6UL/6ULL/6SLL/7D/
 *     7ULP/8MQ/8MM), SKIP_DCD_HEADER also precedes JUMP (the ROM's own
 *     rule, as uuu). --keep-dcd sends the image unchanged instead (for
 *     images signed as they are in the file, uuu's flow on HAB-closed
 *     SKIP_DCD SoCs; on a 6Q-class SoC the ROM then runs the DCD again).
 *  6. --verify: READ_REGISTER the loaded range back and compare with what
 *     was sent (after the patch of step 5).
 *  7. Plugin: JUMP to it (the ROM runs it and stays in SDP), ERROR_STATUS
 *     to confirm the ROM is back, then steps 4-6 for the next image. As
 *     with imx_usb, only the first image's DCD goes through DCD_WRITE; a
 *     DCD of the image after a plugin is left to the ROM, which runs it at
 *     JUMP (so neither zeroed nor skipped).
 *  8. JUMP_ADDRESS to IVT.self (unless --no-jump). Silence = success; a
 *     HAB event is printed decoded, with the ROM's ERROR_STATUS.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imxflash/imx_image.h>
#include <imxflash/sdp_proto.h>
#include <imxflash/sdp_soc.h>

#include "sdp-host.h"
#include "util.h"

#define CHAIN_MAX	4	/* plugin(s) + image */
#define IVT_OFF_DCD	0x0c
#define BD_OFF_PLUGIN	8
#define FIRST_BLOCK	1024	/* imx_usb's writable header copy */

static const char *image_kind(const struct imx_image *img)
{
	return img->bd.plugin & IMX_BOOT_PLUGIN ? "plugin" : "image";
}

static void describe(const char *path, const struct imx_image *img)
{
	char dcd[32];

	if (img->dcd_len)
		snprintf(dcd, sizeof(dcd), "DCD %u bytes", img->dcd_len);
	else
		snprintf(dcd, sizeof(dcd), "no DCD");
	util_msg("%s: %s at file offset 0x%zx (IVT v0x%02x): load 0x%08x + %u bytes, entry 0x%08x, %s%s",
		 path, image_kind(img), img->ivt_off, img->ivt.version,
		 img->load_addr, img->load_len, img->ivt.entry, dcd,
		 img->ivt.csf ? ", signed (CSF)" : "");
	if (img->dcd_len)
		util_vmsg("%s: DCD at file offset 0x%zx, %u bytes", path,
			  img->dcd_off, img->dcd_len);
}

/* Structure of the DCD, before anything is sent. */
static int check_dcd(struct sdp_dev *d, const char *path, const u8 *file,
		     const struct imx_image *img)
{
	struct imx_dcd_result res = { 0 };
	int err;

	err = imx_dcd_check(file + img->dcd_off, img->dcd_len, &res);
	if (!err)
		return EXIT_OK;
	return sdp_fail_plain(d, EXIT_IMAGE,
			      "%s: invalid DCD at file offset 0x%zx: %s at DCD offset %u (command %u)",
			      path, img->dcd_off,
			      res.why ? res.why : strerror(-err), res.err_off,
			      res.cmds + 1);
}

/* The image's IVT version against the board's ROM, before anything is sent. */
static int check_version(struct sdp_dev *d, const char *path,
			 const struct imx_image *img)
{
	u8 want = d->info.flags & IMX_SDP_INFO_IVT_V41 ? IMX_IVT_V41 :
		  IMX_IVT_V40;

	if (img->ivt.version != want)
		return sdp_fail_plain(d, EXIT_IMAGE,
				      "%s: IVT version 0x%02x at file offset 0x%zx, but the %s ROM takes 0x%02x (image built for another SoC?)",
				      path, img->ivt.version, img->ivt_off,
				      d->info.soc[0] ? d->info.soc : "board's",
				      want);
	return EXIT_OK;
}

/* Warnings once the HAB state is known (after the first reply). */
static void check_image(struct sdp_dev *d, const char *path,
			const struct imx_image *img)
{
	const struct sdp_soc *soc = sdp_soc_by_name(d->info.soc);

	if (d->info.hab == IMX_SDP_HAB_CLOSED && !img->ivt.csf)
		util_warn("%s: HAB is closed on %s and the %s is not signed (IVT.csf = 0): the ROM will refuse it at JUMP",
			  path, d->node, image_kind(img));
	if (soc && sdp_soc_region(soc, img->load_addr, img->load_len) ==
		   SDP_REGION_NONE)
		util_warn("%s: 0x%08x + %u bytes is not inside one memory region of the %s: the ROM may refuse it",
			  path, img->load_addr, img->load_len, soc->desc);
}

static u32 dcd_scratch(const struct sdp_dev *d)
{
	const struct sdp_soc *soc;

	if (d->info.dcd_addr)
		return d->info.dcd_addr;
	soc = sdp_soc_by_name(d->info.soc);
	return soc ? soc->dcd_addr : 0;
}

static int send_dcd(struct sdp_dev *d, const u8 *file,
		    const struct imx_image *img)
{
	u32 addr = dcd_scratch(d);

	if (!addr)
		return sdp_fail(d, EXIT_ROM,
				"DCD_WRITE: the driver reports no DCD scratch address for this SoC");
	return sdp_dcd_write(d, addr, file + img->dcd_off, img->dcd_len);
}

/* The first image of the file and its DCD, which must be there and valid. */
static int find_dcd_image(struct sdp_dev *d, const char *path,
			  const u8 *file, size_t len, struct imx_image *img)
{
	const char *why = NULL;

	if (imx_image_find(img, file, len, 0, &why))
		return sdp_fail_plain(d, EXIT_IMAGE,
				      "%s: no usable i.MX boot image (IVT searched at file offsets 0, 0x400, 0x8400): %s",
				      path, why ? why : "no IVT found");
	if (!img->dcd_len)
		return sdp_fail_plain(d, EXIT_IMAGE,
				      "%s: the IVT at file offset 0x%zx has no DCD (IVT.dcd = 0)",
				      path, img->ivt_off);
	return check_dcd(d, path, file, img);
}

int sdp_dcd_precheck(struct sdp_dev *d, const char *path, const u8 *file,
		     size_t len)
{
	struct imx_image img;

	return find_dcd_image(d, path, file, len, &img);
}

int sdp_send_dcd_file(struct sdp_dev *d, const char *path, const u8 *file,
		      size_t len)
{
	struct imx_image img;
	int ret;

	ret = find_dcd_image(d, path, file, len, &img);
	if (ret)
		return ret;
	util_vmsg("%s: DCD at file offset 0x%zx, %u bytes", path, img.dcd_off,
		  img.dcd_len);
	return send_dcd(d, file, &img);
}

/* Compare memory at @addr with @want; name the first differing address. */
int sdp_verify(struct sdp_dev *d, u32 addr, const u8 *want, u32 len)
{
	u8 *got = malloc(len ? len : 1);
	u32 i, ndiff = 0, first = 0;
	int ret;

	if (!got)
		return sdp_fail_plain(d, EXIT_ROM,
				      "verify: out of memory for %u bytes", len);
	ret = sdp_read_mem(d, addr, got, len, 0, "for --verify");
	if (ret)
		goto out;
	for (i = 0; i < len; i++) {
		if (got[i] == want[i])
			continue;
		if (!ndiff++)
			first = i;
	}
	if (ndiff) {
		ret = sdp_fail(d, EXIT_ROM,
			       "verify 0x%08x + %u bytes: first difference at 0x%08x: sent 0x%02x, read 0x%02x (%u bytes differ)",
			       addr, len, addr + first, want[first], got[first],
			       ndiff);
		goto out;
	}
	util_msg("verify 0x%08x + %u bytes: ok", addr, len);
out:
	free(got);
	return ret;
}

struct patch {
	size_t off;
	u8 old[4];
	bool on;
};

static void patch_word(u8 *file, struct patch *p, size_t off)
{
	p->off = off;
	memcpy(p->old, file + off, 4);
	memset(file + off, 0, 4);
	p->on = true;
}

static void unpatch(u8 *file, struct patch *p, int n)
{
	while (n--)
		if (p[n].on)
			memcpy(file + p[n].off, p[n].old, 4);
}

/*
 * Steps 4-6 for one image. @clear_dcd: zero the IVT dcd word in what is
 * sent (6Q-class rule after DCD_WRITE). The file buffer is patched in
 * place for the WRITE_FILE and restored afterwards.
 */
static int load_image(struct sdp_dev *d, u8 *file, const struct imx_image *img,
		      bool rule_patch, bool clear_dcd, bool verify)
{
	struct patch p[2] = { { 0 } };
	size_t sent = img->load_len < FIRST_BLOCK ? img->load_len : FIRST_BLOCK;
	size_t bd_plugin;
	char what[64];
	int ret;

	if (rule_patch) {
		if (clear_dcd && img->ivt.dcd && IVT_OFF_DCD + 4 <= sent)
			patch_word(file, &p[0], img->ivt_off + IVT_OFF_DCD);
		/* boot data lies after the IVT: imx_image_parse() checks it */
		bd_plugin = (size_t)(img->ivt.boot_data - img->ivt.self) +
			    BD_OFF_PLUGIN;
		if (bd_plugin + 4 <= sent &&
		    memcmp(file + img->ivt_off + bd_plugin, "\0\0\0\0", 4))
			patch_word(file, &p[1], img->ivt_off + bd_plugin);
	}
	if (p[0].on || p[1].on)
		util_vmsg("WRITE_FILE: first block sent with %s%s%s zeroed (imx_usb's copy)",
			  p[0].on ? "IVT.dcd" : "", p[0].on && p[1].on ? " and " : "",
			  p[1].on ? "boot_data.plugin" : "");

	snprintf(what, sizeof(what), "%s at file offset 0x%zx",
		 image_kind(img), img->ivt_off);
	ret = sdp_write_file(d, img->load_addr, file + img->ivt_off,
			     img->load_len, 0, what);
	if (!ret && verify)
		ret = sdp_verify(d, img->load_addr, file + img->ivt_off,
				 img->load_len);
	unpatch(file, p, 2);
	return ret;
}

/* Parse the chain: image, or plugin(s) followed by the image. */
static int find_chain(struct sdp_dev *d, const char *path, const u8 *file,
		      size_t len, struct imx_image *chain, int *n)
{
	const char *why = NULL;
	int i = 0;

	if (imx_image_find(&chain[0], file, len, 0, &why))
		return sdp_fail_plain(d, EXIT_IMAGE,
				      "%s: no usable i.MX boot image (IVT searched at file offsets 0, 0x400, 0x8400): %s",
				      path, why ? why : "no IVT found");
	while (chain[i].bd.plugin & IMX_BOOT_PLUGIN) {
		if (i + 1 >= CHAIN_MAX)
			return sdp_fail_plain(d, EXIT_IMAGE,
					      "%s: more than %d plugins in a row",
					      path, CHAIN_MAX - 1);
		if (imx_image_find_next(&chain[i + 1], file, len, &chain[i],
					&why))
			return sdp_fail_plain(d, EXIT_IMAGE,
					      "%s: plugin at file offset 0x%zx is not followed by an image: %s",
					      path, chain[i].ivt_off,
					      why ? why : "no IVT");
		i++;
	}
	*n = i + 1;
	return EXIT_OK;
}

/* Parse the chain and check its DCDs; nothing board-specific. */
static int parse_all(struct sdp_dev *d, const char *path, const u8 *file,
		     size_t len, struct imx_image *chain, int *n)
{
	int i, ret;

	ret = find_chain(d, path, file, len, chain, n);
	for (i = 0; !ret && i < *n; i++)
		if (chain[i].dcd_len)
			ret = check_dcd(d, path, file, &chain[i]);
	return ret;
}

int sdp_boot_precheck(struct sdp_dev *d, const char *path, const u8 *file,
		      size_t len)
{
	struct imx_image chain[CHAIN_MAX];
	int n;

	return parse_all(d, path, file, len, chain, &n);
}

int sdp_boot(struct sdp_dev *d, const char *path, u8 *file, size_t len,
	     const struct sdp_boot_opts *o)
{
	struct imx_image chain[CHAIN_MAX];
	bool skip_soc = d->info.flags & IMX_SDP_INFO_SKIP_DCD;
	bool dcd_done = false, patch;
	char st[160];
	u32 status;
	int i, n = 0, ret;

	d->jump_ms = 0;	/* a plugin image jumps twice: both count */
	ret = parse_all(d, path, file, len, chain, &n);
	for (i = 0; !ret && i < n; i++)
		ret = check_version(d, path, &chain[i]);
	if (ret)
		return ret;

	/* The HAB state comes with the first reply. */
	ret = sdp_error_status(d, &status);
	if (ret)
		return ret;
	if (status != SDP_STATUS_OK && util_verbosity > 0) {
		sdp_status_format(st, sizeof(st), status);
		util_vmsg("%s: ROM's last error before boot: %s", d->node, st);
	}
	for (i = 0; i < n; i++)
		check_image(d, path, &chain[i]);
	patch = o->ivt != SDP_IVT_KEEP;

	for (i = 0; i < n; i++) {
		const struct imx_image *img = &chain[i];
		bool last = i == n - 1;

		describe(path, img);
		dcd_done = false;
		if (i == 0 && img->dcd_len) {
			ret = send_dcd(d, file, img);
			if (ret)
				return ret;
			dcd_done = true;
		}
		ret = load_image(d, file, img, patch, dcd_done, o->verify);
		if (ret)
			return ret;
		if (last)
			break;

		/* A plugin: the ROM calls it and keeps serving SDP. */
		if (skip_soc && dcd_done) {
			ret = sdp_skip_dcd(d);
			if (ret)
				return ret;
		}
		ret = sdp_jump(d, img->jump_addr);
		if (ret)
			return ret;
		ret = sdp_error_status(d, &status);
		if (ret) {
			sdp_note(d, "the plugin at 0x%08x did not return to the ROM",
				 img->jump_addr);
			return ret;
		}
		sdp_status_format(st, sizeof(st), status);
		util_msg("plugin returned to the ROM (ERROR_STATUS %s)", st);
	}

	if (o->no_jump) {
		if (skip_soc && dcd_done)
			util_msg("%s: loaded, not jumping (--no-jump); start it with: imx-sdp -d %s skip-dcd && imx-sdp -d %s jump 0x%08x",
				 d->node, d->node, d->node, chain[n - 1].jump_addr);
		else
			util_msg("%s: loaded, not jumping (--no-jump); start it with: imx-sdp -d %s jump 0x%08x",
				 d->node, d->node, chain[n - 1].jump_addr);
		return EXIT_OK;
	}
	if (skip_soc && dcd_done) {
		ret = sdp_skip_dcd(d);
		if (ret)
			return ret;
	}
	return sdp_jump(d, chain[n - 1].jump_addr);
}
