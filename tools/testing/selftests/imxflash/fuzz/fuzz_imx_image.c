// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: boot image probing and parsing (imx_image_find,
 * imx_image_parse at an arbitrary offset, imx_image_find_next for plugin
 * images), with the invariants every loader relies on, and a structure
 * check of any DCD found.
 */
#include <stdlib.h>
#include <string.h>

#include <imxflash/imx_image.h>

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static void check_image(const struct imx_image *img, const u8 *data,
			size_t size)
{
	struct imx_dcd_result res;

	CHECK(img->ivt_off < size && size - img->ivt_off >= IMX_IVT_LEN);
	CHECK(data[img->ivt_off] == IMX_IVT_TAG);
	CHECK(img->load_addr == img->ivt.self);
	CHECK(img->jump_addr == img->ivt.self);
	CHECK(img->bd.start <= img->ivt.self);
	CHECK(img->ivt.self - img->bd.start < img->bd.length);
	CHECK(img->load_len <= img->bd.length - (img->ivt.self - img->bd.start));
	CHECK(img->load_len <= size - img->ivt_off);
	CHECK(img->load_len > 0);
	if (img->ivt.dcd) {
		CHECK(img->dcd_len >= IMX_DCD_HDR_LEN &&
		      img->dcd_len <= IMX_DCD_MAX_LEN);
		CHECK(img->dcd_off <= size && size - img->dcd_off >= img->dcd_len);
		CHECK(data[img->dcd_off] == IMX_DCD_TAG);
		memset(&res, 0, sizeof(res));
		(void)imx_dcd_check(data + img->dcd_off, img->dcd_len, &res);
		CHECK(res.err_off < img->dcd_len);
	} else {
		CHECK(img->dcd_len == 0);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct imx_image img, next;
	const char *why = NULL;
	size_t off;
	int ret;

	ret = imx_image_find(&img, data, size, 0, &why);
	CHECK(ret == 0 || (ret == -ENOEXEC && why));
	if (!ret) {
		check_image(&img, data, size);
		if (img.bd.plugin & IMX_BOOT_PLUGIN) {
			ret = imx_image_find_next(&next, data, size, &img,
						  &why);
			CHECK(ret == 0 || (ret == -ENOEXEC && why));
			if (!ret) {
				CHECK(next.ivt_off > img.ivt_off);
				CHECK((next.ivt_off - img.ivt_off) % 4 == 0);
				CHECK(next.ivt_off - img.ivt_off <
				      (u64)img.bd.length + 0x400);
				check_image(&next, data, size);
			}
		}
	}

	/* a parse at an offset picked by the input, including past the end */
	if (size >= 2) {
		off = (size_t)(data[0] | data[1] << 8) & ~(size_t)3;
		ret = imx_image_parse(&img, data, size, off, &why);
		CHECK(ret == 0 || ret == -ENOEXEC || ret == -EMSGSIZE ||
		      ret == -ERANGE);
		CHECK(ret ? why != NULL : why == NULL);
		if (!ret)
			check_image(&img, data, size);
	}
	return 0;
}
