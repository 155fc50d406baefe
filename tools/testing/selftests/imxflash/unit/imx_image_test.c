// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for the IVT / boot data / image parts of lib/imxflash/imx_image.c:
 * the worked example of Documentation/sdp-protocol.rst, "Load arithmetic"
 * (imx_usb_loader's test-dcd.imx), probing at 0/0x400/0x8400, plugin
 * images and every parse error.
 */
#include <imxflash/imx_image.h>

#include "kselftest_harness.h"

#define FILE_MAX	0x10000

/* The example: entry 0x87800000, IVT at 0x877ff400, image from 0x877ff000. */
#define EX_ENTRY	0x87800000u
#define EX_SELF		0x877ff400u
#define EX_BOOT_DATA	0x877ff420u
#define EX_DCD		0x877ff42cu
#define EX_START	0x877ff000u
#define EX_LENGTH	0x2000u

static u8 file[FILE_MAX];

/*
 * Write the worked example at file offset @at with the cores' builders:
 * IVT, boot data, then the DCD of IUL's tests/dcd.cfg (one 32-bit write of
 * 0x12345678 to 0x30000000). Returns the DCD length.
 */
static int put_example(u8 *buf, size_t at, u32 plugin)
{
	struct imx_ivt ivt = {
		.version = IMX_IVT_V40, .entry = EX_ENTRY, .dcd = EX_DCD,
		.boot_data = EX_BOOT_DATA, .self = EX_SELF,
	};
	struct imx_boot_data bd = {
		.start = EX_START, .length = EX_LENGTH, .plugin = plugin,
	};
	struct imx_dcd_builder b;

	imx_ivt_encode(&ivt, buf + at);
	imx_boot_data_encode(&bd, buf + at + 0x20);
	imx_dcd_begin(&b, buf + at + 0x2c, 0x100, IMX_DCD_V40);
	if (imx_dcd_add_write(&b, 4, 0x30000000, 0x12345678) < 0)
		return -1;
	return imx_dcd_end(&b);
}

TEST(example_bytes)
{
	static const u8 ivt_bytes[] = {
		0xd1, 0x00, 0x20, 0x40,		/* tag, length 32, v4.0 */
		0x00, 0x00, 0x80, 0x87,		/* entry */
		0x00, 0x00, 0x00, 0x00,		/* reserved1 */
		0x2c, 0xf4, 0x7f, 0x87,		/* dcd */
		0x20, 0xf4, 0x7f, 0x87,		/* boot_data */
		0x00, 0xf4, 0x7f, 0x87,		/* self */
		0x00, 0x00, 0x00, 0x00,		/* csf */
		0x00, 0x00, 0x00, 0x00,		/* reserved2 */
		0x00, 0xf0, 0x7f, 0x87,		/* boot data: start */
		0x00, 0x20, 0x00, 0x00,		/* length */
		0x00, 0x00, 0x00, 0x00,		/* plugin */
		0xd2, 0x00, 0x10, 0x40,		/* DCD from IUL tests/dcd.cfg */
		0xcc, 0x00, 0x0c, 0x04,
		0x30, 0x00, 0x00, 0x00,
		0x12, 0x34, 0x56, 0x78,
	};
	u8 buf[0x200];

	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(16, put_example(buf, 0, 0));
	EXPECT_EQ(0, memcmp(ivt_bytes, buf, sizeof(ivt_bytes)));
	EXPECT_EQ(0, buf[sizeof(ivt_bytes)]);
}

TEST(example_parse)
{
	struct imx_image img;
	const char *why = "x";

	memset(file, 0, sizeof(file));
	ASSERT_EQ(16, put_example(file, 0, 0));

	/* a file longer than the image: the length comes from boot data */
	ASSERT_EQ(0, imx_image_parse(&img, file, 0x2000, 0, &why));
	EXPECT_EQ(NULL, why);
	EXPECT_EQ(0u, img.ivt_off);
	EXPECT_EQ(IMX_IVT_V40, img.ivt.version);
	EXPECT_EQ(EX_ENTRY, img.ivt.entry);
	EXPECT_EQ(EX_DCD, img.ivt.dcd);
	EXPECT_EQ(EX_BOOT_DATA, img.ivt.boot_data);
	EXPECT_EQ(EX_SELF, img.ivt.self);
	EXPECT_EQ(0u, img.ivt.csf);
	EXPECT_EQ(EX_START, img.bd.start);
	EXPECT_EQ(EX_LENGTH, img.bd.length);
	EXPECT_EQ(0u, img.bd.plugin);
	EXPECT_EQ(0x2cu, img.dcd_off);
	EXPECT_EQ(16u, img.dcd_len);
	EXPECT_EQ(EX_SELF, img.load_addr);
	EXPECT_EQ(EX_SELF, img.jump_addr);
	/* IUL: "loading ... to 877ff400, fsize=1c00" */
	EXPECT_EQ(0x1c00u, img.load_len);

	/* exactly as long as the image */
	ASSERT_EQ(0, imx_image_parse(&img, file, 0x1c00, 0, NULL));
	EXPECT_EQ(0x1c00u, img.load_len);

	/* shorter: capped at the file */
	ASSERT_EQ(0, imx_image_parse(&img, file, 0x1000, 0, NULL));
	EXPECT_EQ(0x1000u, img.load_len);
	ASSERT_EQ(0, imx_image_parse(&img, file, 0x3c, 0, NULL));
	EXPECT_EQ(0x3cu, img.load_len);
}

TEST(ivt_roundtrip)
{
	struct imx_ivt in = {
		.version = IMX_IVT_V41, .entry = 0x7e1000, .reserved1 = 1,
		.dcd = 0, .boot_data = 0x7e0fe0, .self = 0x7e0fc0,
		.csf = 0x7fa000, .reserved2 = 2,
	}, out;
	struct imx_boot_data bd = { 0x7e0000, 0x2d000, IMX_BOOT_HDMI }, bd2;
	u8 buf[IMX_IVT_LEN];
	u8 bdb[IMX_BOOT_DATA_LEN];

	imx_ivt_encode(&in, buf);
	EXPECT_EQ(0xd1, buf[0]);
	EXPECT_EQ(0x00, buf[1]);
	EXPECT_EQ(0x20, buf[2]);
	EXPECT_EQ(0x41, buf[3]);
	ASSERT_EQ(0, imx_ivt_parse(&out, buf, sizeof(buf), NULL));
	EXPECT_EQ(in.version, out.version);
	EXPECT_EQ(in.entry, out.entry);
	EXPECT_EQ(in.reserved1, out.reserved1);
	EXPECT_EQ(in.dcd, out.dcd);
	EXPECT_EQ(in.boot_data, out.boot_data);
	EXPECT_EQ(in.self, out.self);
	EXPECT_EQ(in.csf, out.csf);
	EXPECT_EQ(in.reserved2, out.reserved2);

	imx_boot_data_encode(&bd, bdb);
	EXPECT_EQ(0x00, bdb[0]);
	EXPECT_EQ(0x00, bdb[1]);
	EXPECT_EQ(0x7e, bdb[2]);
	EXPECT_EQ(0x02, bdb[8]);
	ASSERT_EQ(0, imx_boot_data_parse(&bd2, bdb, sizeof(bdb), NULL));
	EXPECT_EQ(bd.start, bd2.start);
	EXPECT_EQ(bd.length, bd2.length);
	EXPECT_EQ(bd.plugin, bd2.plugin);
}

TEST(ivt_errors)
{
	struct imx_ivt ivt = { .version = IMX_IVT_V40, .self = 0x1000 };
	u8 buf[IMX_IVT_LEN];
	struct imx_boot_data bd;
	const char *why;

	imx_ivt_encode(&ivt, buf);
	ASSERT_EQ(0, imx_ivt_parse(&ivt, buf, sizeof(buf), &why));

	EXPECT_EQ(-EMSGSIZE, imx_ivt_parse(&ivt, buf, IMX_IVT_LEN - 1, &why));
	EXPECT_STREQ("IVT truncated", why);

	buf[0] = 0xd0;
	EXPECT_EQ(-ENOEXEC, imx_ivt_parse(&ivt, buf, sizeof(buf), &why));
	EXPECT_STREQ("IVT tag", why);
	buf[0] = 0xd1;

	buf[2] = 0x21;
	EXPECT_EQ(-ENOEXEC, imx_ivt_parse(&ivt, buf, sizeof(buf), &why));
	EXPECT_STREQ("IVT length", why);
	buf[2] = 0x20;
	buf[1] = 0x01;
	EXPECT_EQ(-ENOEXEC, imx_ivt_parse(&ivt, buf, sizeof(buf), &why));
	EXPECT_STREQ("IVT length", why);
	buf[1] = 0x00;

	buf[3] = 0x42;
	EXPECT_EQ(-ENOEXEC, imx_ivt_parse(&ivt, buf, sizeof(buf), &why));
	EXPECT_STREQ("IVT version", why);
	buf[3] = 0x43;
	EXPECT_EQ(-ENOEXEC, imx_ivt_parse(&ivt, buf, sizeof(buf), NULL));

	EXPECT_EQ(-EMSGSIZE, imx_boot_data_parse(&bd, buf, 11, &why));
	EXPECT_STREQ("boot data truncated", why);
}

/* ---- image_parse errors ---- */

FIXTURE(bad) {
	struct imx_image img;
	const char *why;
};

FIXTURE_SETUP(bad)
{
	memset(file, 0, sizeof(file));
	ASSERT_EQ(16, put_example(file, 0, 0));
	ASSERT_EQ(0, imx_image_parse(&self->img, file, 0x2000, 0, NULL));
	self->why = NULL;
}

FIXTURE_TEARDOWN(bad)
{
}

static void set_le32(size_t off, u32 v)
{
	imxf_put_le32(file + off, v);
}

TEST_F(bad, ivt_offset_past_file)
{
	EXPECT_EQ(-EMSGSIZE, imx_image_parse(&self->img, file, 0x100, 0x101,
					     &self->why));
	EXPECT_STREQ("IVT truncated", self->why);
	EXPECT_EQ(-EMSGSIZE, imx_image_parse(&self->img, file, 0x100, 0xf0,
					     &self->why));
}

TEST_F(bad, boot_data_before_self)
{
	set_le32(0x10, EX_SELF - 4);
	EXPECT_EQ(-ERANGE, imx_image_parse(&self->img, file, 0x2000, 0,
					   &self->why));
	EXPECT_STREQ("boot data pointer", self->why);
}

TEST_F(bad, boot_data_past_file)
{
	set_le32(0x10, EX_SELF + 0x1ff8);
	EXPECT_EQ(-ERANGE, imx_image_parse(&self->img, file, 0x2000, 0,
					   &self->why));
	EXPECT_STREQ("boot data pointer", self->why);
	/* boot data must fit whole: 12 bytes at 0x1ff4 do, at 0x1ff5 not */
	set_le32(0x10, EX_SELF + 0x1ff4);
	set_le32(0x1ff4, EX_START);
	set_le32(0x1ff8, EX_LENGTH);
	ASSERT_EQ(0, imx_image_parse(&self->img, file, 0x2000, 0,
				     &self->why));
	EXPECT_EQ(EX_START, self->img.bd.start);
	set_le32(0x10, EX_SELF + 0x1ff5);
	EXPECT_EQ(-ERANGE, imx_image_parse(&self->img, file, 0x2000, 0,
					   &self->why));
	EXPECT_STREQ("boot data pointer", self->why);
	/* 32-bit wrap of the pointer difference */
	set_le32(0x10, 0xffffffff);
	set_le32(0x14, 0x00000000);
	EXPECT_EQ(-ERANGE, imx_image_parse(&self->img, file, 0x2000, 0,
					   &self->why));
	EXPECT_STREQ("boot data pointer", self->why);
}

TEST_F(bad, start_after_self)
{
	set_le32(0x20, EX_SELF + 4);
	EXPECT_EQ(-ERANGE, imx_image_parse(&self->img, file, 0x2000, 0,
					   &self->why));
	EXPECT_STREQ("boot data start", self->why);
	/* start == self is fine: nothing before the IVT, all of length */
	set_le32(0x20, EX_SELF);
	ASSERT_EQ(0, imx_image_parse(&self->img, file, 0x3000, 0, NULL));
	EXPECT_EQ(0x2000u, self->img.load_len);
}

TEST_F(bad, length_too_small)
{
	set_le32(0x24, 0x400);	/* == self - start */
	EXPECT_EQ(-ERANGE, imx_image_parse(&self->img, file, 0x2000, 0,
					   &self->why));
	EXPECT_STREQ("boot data length", self->why);
	set_le32(0x24, 0);
	EXPECT_EQ(-ERANGE, imx_image_parse(&self->img, file, 0x2000, 0,
					   &self->why));
	set_le32(0x24, 0x401);
	ASSERT_EQ(0, imx_image_parse(&self->img, file, 0x2000, 0, NULL));
	EXPECT_EQ(1u, self->img.load_len);
}

TEST_F(bad, dcd_pointer)
{
	set_le32(0x0c, EX_SELF - 0x100);
	EXPECT_EQ(-ERANGE, imx_image_parse(&self->img, file, 0x2000, 0,
					   &self->why));
	EXPECT_STREQ("DCD pointer", self->why);
	set_le32(0x0c, EX_SELF + 0x1ffd);
	EXPECT_EQ(-ERANGE, imx_image_parse(&self->img, file, 0x2000, 0,
					   &self->why));
	EXPECT_STREQ("DCD pointer", self->why);
	/* dcd = 0: no DCD at all */
	set_le32(0x0c, 0);
	ASSERT_EQ(0, imx_image_parse(&self->img, file, 0x2000, 0, NULL));
	EXPECT_EQ(0u, self->img.dcd_len);
	EXPECT_EQ(0u, self->img.dcd_off);
}

TEST_F(bad, dcd_header)
{
	file[0x2c] = 0xd3;
	EXPECT_EQ(-ENOEXEC, imx_image_parse(&self->img, file, 0x2000, 0,
					    &self->why));
	EXPECT_STREQ("DCD tag", self->why);
	file[0x2c] = 0xd2;
	file[0x2f] = 0x42;
	EXPECT_EQ(-ENOEXEC, imx_image_parse(&self->img, file, 0x2000, 0,
					    &self->why));
	EXPECT_STREQ("DCD version", self->why);
	file[0x2f] = 0x41;
	ASSERT_EQ(0, imx_image_parse(&self->img, file, 0x2000, 0, NULL));
	file[0x2f] = 0x40;

	imxf_put_be16(file + 0x2d, 3);
	EXPECT_EQ(-ENOEXEC, imx_image_parse(&self->img, file, 0x2000, 0,
					    &self->why));
	EXPECT_STREQ("DCD length", self->why);
	imxf_put_be16(file + 0x2d, 1769);
	EXPECT_EQ(-EMSGSIZE, imx_image_parse(&self->img, file, 0x2000, 0,
					     &self->why));
	EXPECT_STREQ("DCD length exceeds 1768", self->why);
	imxf_put_be16(file + 0x2d, 1768);
	ASSERT_EQ(0, imx_image_parse(&self->img, file, 0x2000, 0, NULL));
	EXPECT_EQ(1768u, self->img.dcd_len);
	EXPECT_EQ(-ERANGE, imx_image_parse(&self->img, file, 0x2c + 1767, 0,
					   &self->why));
	EXPECT_STREQ("DCD beyond end of file", self->why);
	ASSERT_EQ(0, imx_image_parse(&self->img, file, 0x2c + 1768, 0,
				     NULL));
}

/* ---- probing ---- */

TEST(find_at_probe_offsets)
{
	static const size_t offs[] = { 0x0, 0x400, 0x8400 };
	struct imx_image img;
	const char *why;
	size_t i;

	for (i = 0; i < 3; i++) {
		memset(file, 0, sizeof(file));
		ASSERT_EQ(16, put_example(file, offs[i], 0));
		ASSERT_EQ(0, imx_image_find(&img, file, sizeof(file), 0,
					    &why)) {
			TH_LOG("offset 0x%zx: %s", offs[i], why);
		}
		EXPECT_EQ(offs[i], img.ivt_off);
		EXPECT_EQ(offs[i] + 0x2c, img.dcd_off);
		EXPECT_EQ(16u, img.dcd_len);
		EXPECT_EQ(EX_SELF, img.load_addr);
		EXPECT_EQ(0x1c00u, img.load_len);
		/* capped by what follows the IVT */
		ASSERT_EQ(0, imx_image_find(&img, file, offs[i] + 0x800, 0,
					    NULL));
		EXPECT_EQ(0x800u, img.load_len);
	}
}

TEST(find_not_probed)
{
	struct imx_image img;
	const char *why;

	memset(file, 0, sizeof(file));
	EXPECT_EQ(-ENOEXEC, imx_image_find(&img, file, sizeof(file), 0, &why));
	EXPECT_STREQ("no IVT found", why);

	/* a valid image at an offset nobody probes */
	ASSERT_EQ(16, put_example(file, 0x200, 0));
	EXPECT_EQ(-ENOEXEC, imx_image_find(&img, file, sizeof(file), 0, &why));
	EXPECT_STREQ("no IVT found", why);

	/* the file ends inside the IVT at 0x8400 */
	memset(file, 0, sizeof(file));
	ASSERT_EQ(16, put_example(file, 0x8400, 0));
	EXPECT_EQ(-ENOEXEC, imx_image_find(&img, file, 0x8400 + 31, 0, &why));
	EXPECT_EQ(0, imx_image_find(&img, file, 0x8400 + 0x2c + 16, 0, &why));

	/* tiny files */
	EXPECT_EQ(-ENOEXEC, imx_image_find(&img, file, 0, 0, &why));
	EXPECT_EQ(-ENOEXEC, imx_image_find(&img, file, 3, 0, &why));
}

TEST(find_from)
{
	struct imx_image img;

	memset(file, 0, sizeof(file));
	ASSERT_EQ(16, put_example(file, 0, 0));
	ASSERT_EQ(16, put_example(file, 0x400, 0));
	ASSERT_EQ(16, put_example(file, 0x8400, 0));
	ASSERT_EQ(0, imx_image_find(&img, file, sizeof(file), 0, NULL));
	EXPECT_EQ(0u, img.ivt_off);
	ASSERT_EQ(0, imx_image_find(&img, file, sizeof(file), 1, NULL));
	EXPECT_EQ(0x400u, img.ivt_off);
	ASSERT_EQ(0, imx_image_find(&img, file, sizeof(file), 0x401, NULL));
	EXPECT_EQ(0x8400u, img.ivt_off);
	EXPECT_EQ(-ENOEXEC, imx_image_find(&img, file, sizeof(file), 0x8401,
					   NULL));
}

TEST(find_skips_broken_and_hdmi)
{
	struct imx_image img;
	const char *why;

	/* broken IVT at 0 (start after self), good one at 0x400 */
	memset(file, 0, sizeof(file));
	ASSERT_EQ(16, put_example(file, 0, 0));
	imxf_put_le32(file + 0x20, EX_SELF + 0x100);
	ASSERT_EQ(16, put_example(file, 0x400, 0));
	ASSERT_EQ(0, imx_image_find(&img, file, sizeof(file), 0, &why));
	EXPECT_EQ(0x400u, img.ivt_off);

	/* only the broken one: its reason is reported */
	memset(file + 0x400, 0, 0x100);
	EXPECT_EQ(-ENOEXEC, imx_image_find(&img, file, sizeof(file), 0, &why));
	EXPECT_STREQ("boot data start", why);

	/* i.MX8MQ HDMI firmware at 0 is skipped */
	memset(file, 0, sizeof(file));
	ASSERT_EQ(16, put_example(file, 0, IMX_BOOT_HDMI));
	ASSERT_EQ(16, put_example(file, 0x8400, 0));
	ASSERT_EQ(0, imx_image_find(&img, file, sizeof(file), 0, &why));
	EXPECT_EQ(0x8400u, img.ivt_off);
	memset(file + 0x8400, 0, 0x100);
	EXPECT_EQ(-ENOEXEC, imx_image_find(&img, file, sizeof(file), 0, &why));
	EXPECT_STREQ("HDMI firmware image skipped", why);
}

/* ---- plugin images ---- */

#define PLUG_SELF	0x00908000u
#define PLUG_PART	0x1000u

/* A plugin IVT at @at in OCRAM, as mkimx --plugin lays it out. */
static void put_plugin(size_t at)
{
	struct imx_ivt ivt = {
		.version = IMX_IVT_V40, .entry = PLUG_SELF + 0x40,
		.boot_data = PLUG_SELF + 0x20, .self = PLUG_SELF,
	};
	struct imx_boot_data bd = {
		.start = PLUG_SELF - 0x400, .length = PLUG_PART + 0x400,
		.plugin = IMX_BOOT_PLUGIN,
	};

	imx_ivt_encode(&ivt, file + at);
	imx_boot_data_encode(&bd, file + at + 0x20);
}

TEST(plugin_find_next)
{
	struct imx_image plug, main_img;
	const char *why;

	memset(file, 0, sizeof(file));
	put_plugin(0);
	ASSERT_EQ(16, put_example(file, PLUG_PART, 0));

	ASSERT_EQ(0, imx_image_find(&plug, file, sizeof(file), 0, &why));
	EXPECT_EQ(0u, plug.ivt_off);
	EXPECT_EQ((u32)IMX_BOOT_PLUGIN, plug.bd.plugin);
	EXPECT_EQ(PLUG_SELF, plug.load_addr);
	EXPECT_EQ(PLUG_PART, plug.load_len);
	EXPECT_EQ(PLUG_SELF + 0x40, plug.ivt.entry);
	EXPECT_EQ(0u, plug.dcd_len);

	ASSERT_EQ(0, imx_image_find_next(&main_img, file, sizeof(file), &plug,
					 &why));
	EXPECT_EQ(PLUG_PART, main_img.ivt_off);
	EXPECT_EQ(EX_SELF, main_img.load_addr);
	EXPECT_EQ(0x1c00u, main_img.load_len);
	EXPECT_EQ(PLUG_PART + 0x2c, main_img.dcd_off);
	EXPECT_EQ(16u, main_img.dcd_len);
	EXPECT_EQ(0u, main_img.bd.plugin);

	/* the same with the whole thing at flash offset 0x400 */
	memset(file, 0, sizeof(file));
	put_plugin(0x400);
	ASSERT_EQ(16, put_example(file, 0x400 + PLUG_PART, 0));
	ASSERT_EQ(0, imx_image_find(&plug, file, sizeof(file), 0, NULL));
	EXPECT_EQ(0x400u, plug.ivt_off);
	ASSERT_EQ(0, imx_image_find_next(&main_img, file, sizeof(file), &plug,
					 NULL));
	EXPECT_EQ(0x400 + PLUG_PART, main_img.ivt_off);
}

TEST(plugin_window)
{
	struct imx_image plug, main_img;
	const char *why;
	/* imx_usb_loader: offset + bd.length + 0x400, exclusive */
	const size_t end = PLUG_PART + 0x400 + 0x400;

	memset(file, 0, sizeof(file));
	put_plugin(0);
	ASSERT_EQ(0, imx_image_find(&plug, file, sizeof(file), 0, NULL));

	ASSERT_EQ(16, put_example(file, end - 4, 0));
	ASSERT_EQ(0, imx_image_find_next(&main_img, file, sizeof(file), &plug,
					 NULL));
	EXPECT_EQ(end - 4, main_img.ivt_off);

	memset(file + end - 4, 0, 0x100);
	ASSERT_EQ(16, put_example(file, end, 0));
	EXPECT_EQ(-ENOEXEC, imx_image_find_next(&main_img, file, sizeof(file),
						&plug, &why));
	EXPECT_STREQ("no IVT after plugin", why);

	/* only 4-byte aligned offsets are scanned */
	memset(file + end, 0, 0x100);
	ASSERT_EQ(16, put_example(file, 0x802, 0));
	EXPECT_EQ(-ENOEXEC, imx_image_find_next(&main_img, file, sizeof(file),
						&plug, NULL));

	/* the window is clipped to the file; the image must fit in it */
	memset(file + 0x800, 0, 0x100);
	ASSERT_EQ(16, put_example(file, 0x800, 0));
	EXPECT_EQ(-ENOEXEC, imx_image_find_next(&main_img, file, 0x81f, &plug,
						&why));
	EXPECT_STREQ("no IVT after plugin", why);
	EXPECT_EQ(-ENOEXEC, imx_image_find_next(&main_img, file, 0x83b, &plug,
						&why));
	EXPECT_STREQ("DCD beyond end of file", why);
	ASSERT_EQ(0, imx_image_find_next(&main_img, file, 0x83c, &plug,
					 NULL));
	EXPECT_EQ(0x800u, main_img.ivt_off);
	EXPECT_EQ(0x3cu, main_img.load_len);
}

TEST(plugin_next_skips_broken)
{
	struct imx_image plug, main_img;
	const char *why;

	memset(file, 0, sizeof(file));
	put_plugin(0);
	ASSERT_EQ(0, imx_image_find(&plug, file, sizeof(file), 0, NULL));
	/* an IVT-looking header in the plugin code that does not parse */
	file[0x100] = 0xd1;
	file[0x101] = 0x00;
	file[0x102] = 0x20;
	file[0x103] = 0x40;
	imxf_put_le32(file + 0x110, 0xffffff00);	/* boot_data */
	EXPECT_EQ(-ENOEXEC, imx_image_find_next(&main_img, file, sizeof(file),
						&plug, &why));
	EXPECT_STREQ("boot data pointer", why);
	ASSERT_EQ(16, put_example(file, PLUG_PART, 0));
	ASSERT_EQ(0, imx_image_find_next(&main_img, file, sizeof(file), &plug,
					 &why));
	EXPECT_EQ(PLUG_PART, main_img.ivt_off);
}

TEST(find_next_needs_plugin)
{
	struct imx_image img, next;
	const char *why;

	memset(file, 0, sizeof(file));
	ASSERT_EQ(16, put_example(file, 0, 0));
	ASSERT_EQ(16, put_example(file, 0x1000, 0));
	ASSERT_EQ(0, imx_image_find(&img, file, sizeof(file), 0, NULL));
	EXPECT_EQ(-EINVAL, imx_image_find_next(&next, file, sizeof(file), &img,
					       &why));
	EXPECT_STREQ("not a plugin image", why);
}

TEST_HARNESS_MAIN
