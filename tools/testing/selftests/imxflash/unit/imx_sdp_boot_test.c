// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * imx-sdp's image flow (userspace/lib/sdp-boot.c) against a fake
 * /dev/imx-sdpN: sdp_boot_mock.c provides the two backend functions of
 * userspace/lib/sdp-dev.c (sdp_dev_ioctl, sdp_dev_last_error); the mock
 * records every command with a copy of its data and serves READ_REGISTER
 * from what was written. The images come from mkimx, and the tests assert
 * the exact command sequence and what lands in memory:
 *
 *   6Q-class  ERROR_STATUS, DCD_WRITE, WRITE_FILE (IVT.dcd zeroed in the
 *             first block, as imx_usb), JUMP
 *   6ULL      ERROR_STATUS, DCD_WRITE, WRITE_FILE (IVT.dcd zeroed as well,
 *             memory = imx_usb's), SKIP_DCD_HEADER, JUMP
 *   plugin    ERROR_STATUS, WRITE_FILE plugin, JUMP plugin, ERROR_STATUS,
 *             WRITE_FILE image, JUMP image
 *
 * plus --verify, --no-jump, failures (HAB events, unplug, timeout), their
 * messages, exit codes and error record (sdp_error()).
 *
 * mkimx is found via $MKIMX, else at <this binary's dir>/../tools/mkimx.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <imxflash/imx_image.h>
#include <imxflash/sdp_proto.h>

#include "sdp-host.h"
#include "util.h"

#include "kselftest_harness.h"
#include "sdp_boot_mock.h"

FIXTURE(boot) {
	char dir[64];
	struct sdp_dev d;
	struct image im;
	struct sdp_boot_opts o;
	char err[4096];
};

FIXTURE_SETUP(boot)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/imx_sdp_boot.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	mock_reset();
	memset(&self->o, 0, sizeof(self->o));
	util_verbosity = -1;		/* no step messages in the TAP output */
	util_set_prog("imx-sdp");	/* the messages asserted are imx-sdp's */
}

FIXTURE_TEARDOWN(boot)
{
	char cmd[128];

	free(self->im.buf);
	mock_reset();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("cleanup of %s failed", self->dir);
}

static u32 le32(const u8 *p)
{
	return imxf_get_le32(p);
}

/* 6Q: DCD_WRITE, then the image with IVT.dcd zeroed in one WRITE_FILE. */
TEST_F(boot, imx6q_sequence)
{
	struct image *im = &self->im;
	u8 *orig;

	ASSERT_TRUE(make_image(self->dir, "--soc imx6q", im));
	ASSERT_NE(0u, im->dcd_len);
	orig = malloc(im->len);
	memcpy(orig, im->buf, im->len);
	board(&self->d, "imx6q");

	ASSERT_EQ(0, boot_capture(self->dir, &self->d, im, &self->o,
				  self->err, sizeof(self->err)));
	ASSERT_STREQ("ERROR_STATUS DCD_WRITE WRITE_FILE JUMP_ADDRESS", seq());

	/* DCD_WRITE: the DCD verbatim, to the ROM's scratch address */
	EXPECT_EQ(0x00910000u, mock.r[1].addr);
	EXPECT_EQ(im->dcd_len, mock.r[1].count);
	EXPECT_EQ(0, memcmp(mock.r[1].data, orig + im->dcd_off, im->dcd_len));
	EXPECT_EQ(1234u, mock.r[1].timeout_ms);

	/* WRITE_FILE: [ivt_off, +load_len) to IVT.self, unpadded */
	EXPECT_EQ(im->load_addr, mock.r[2].addr);
	EXPECT_EQ(im->self, mock.r[2].addr);
	EXPECT_EQ(im->load_len, mock.r[2].count);
	EXPECT_EQ(0u, mock.r[2].flags);
	/* the dcd word is zeroed, nothing else changed */
	EXPECT_NE(0u, le32(orig + im->ivt_off + 0x0c));
	EXPECT_EQ(0u, le32(mock.r[2].data + 0x0c));
	EXPECT_EQ(0, memcmp(mock.r[2].data, orig + im->ivt_off, 0x0c));
	EXPECT_EQ(0, memcmp(mock.r[2].data + 0x10, orig + im->ivt_off + 0x10,
			    im->load_len - 0x10));

	/* JUMP to IVT.self with the driver's own window */
	EXPECT_EQ(im->self, mock.r[3].addr);
	EXPECT_EQ(0u, mock.r[3].timeout_ms);

	/* the caller's buffer is restored */
	EXPECT_EQ(0, memcmp(orig, im->buf, im->len));
	free(orig);
}

/* 6ULL, HAB open: SKIP_DCD_HEADER before JUMP, and IVT.dcd zeroed. */
TEST_F(boot, imx6ull_sequence)
{
	struct image *im = &self->im;

	ASSERT_TRUE(make_image(self->dir, "--soc imx6ull", im));
	board(&self->d, "imx6ull");

	ASSERT_EQ(0, boot_capture(self->dir, &self->d, im, &self->o,
				  self->err, sizeof(self->err)));
	ASSERT_STREQ("ERROR_STATUS DCD_WRITE WRITE_FILE SKIP_DCD_HEADER JUMP_ADDRESS",
		     seq());
	EXPECT_EQ(0x00910000u, mock.r[1].addr);
	EXPECT_EQ(im->dcd_len, mock.r[1].count);
	EXPECT_EQ(im->load_addr, mock.r[2].addr);
	EXPECT_EQ(im->load_len, mock.r[2].count);
	EXPECT_EQ(0u, le32(mock.r[2].data + 0x0c));
	EXPECT_EQ(0, memcmp(mock.r[2].data + 0x10, im->buf + im->ivt_off + 0x10,
			    im->load_len - 0x10));
	EXPECT_EQ(im->self, mock.r[4].addr);
}

/*
 * 6ULL, HAB closed, signed image: the same rule (IVT.dcd zeroed) unless
 * --keep-dcd asks for the image as it is in the file.
 */
TEST_F(boot, imx6ull_closed_keep_dcd)
{
	struct image *im = &self->im;

	ASSERT_TRUE(make_image(self->dir, "--soc imx6ull --csf", im));
	board(&self->d, "imx6ull");
	self->d.info.hab = IMX_SDP_HAB_UNKNOWN;
	mock.hab = IMX_SDP_HAB_CLOSED;

	ASSERT_EQ(0, boot_capture(self->dir, &self->d, im, &self->o,
				  self->err, sizeof(self->err)));
	ASSERT_STREQ("ERROR_STATUS DCD_WRITE WRITE_FILE SKIP_DCD_HEADER JUMP_ADDRESS",
		     seq());
	EXPECT_EQ(0u, le32(mock.r[2].data + 0x0c));
	EXPECT_STREQ("", self->err);	/* signed: no warning */

	mock_reset();
	mock.hab = IMX_SDP_HAB_CLOSED;
	self->o.ivt = SDP_IVT_KEEP;
	ASSERT_EQ(0, boot_capture(self->dir, &self->d, im, &self->o,
				  self->err, sizeof(self->err)));
	ASSERT_STREQ("ERROR_STATUS DCD_WRITE WRITE_FILE SKIP_DCD_HEADER JUMP_ADDRESS",
		     seq());
	EXPECT_EQ(0, memcmp(mock.r[2].data, im->buf + im->ivt_off,
			    im->load_len));
}

/* --keep-dcd on 6Q: nothing patched, the ROM reruns the DCD at JUMP. */
TEST_F(boot, imx6q_keep_dcd)
{
	struct image *im = &self->im;

	ASSERT_TRUE(make_image(self->dir, "--soc imx6q", im));
	board(&self->d, "imx6q");
	self->o.ivt = SDP_IVT_KEEP;
	ASSERT_EQ(0, boot_capture(self->dir, &self->d, im, &self->o,
				  self->err, sizeof(self->err)));
	ASSERT_STREQ("ERROR_STATUS DCD_WRITE WRITE_FILE JUMP_ADDRESS", seq());
	EXPECT_EQ(0, memcmp(mock.r[2].data, im->buf + im->ivt_off,
			    im->load_len));
}

/* HAB closed and no CSF: a warning before anything is sent. */
TEST_F(boot, closed_unsigned_warns)
{
	ASSERT_TRUE(make_image(self->dir, "--soc imx6q", &self->im));
	board(&self->d, "imx6q");
	/* INFO does not know it before the first reply: the tool asks */
	self->d.info.hab = IMX_SDP_HAB_UNKNOWN;
	mock.hab = IMX_SDP_HAB_CLOSED;
	ASSERT_EQ(0, boot_capture(self->dir, &self->d, &self->im, &self->o,
				  self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "not signed")) TH_LOG("%s", self->err);
}

/* 7D: its own DCD scratch address, from IMX_SDP_IOC_INFO. */
TEST_F(boot, imx7d_scratch)
{
	ASSERT_TRUE(make_image(self->dir, "--soc imx7d", &self->im));
	board(&self->d, "imx7d");
	ASSERT_EQ(0, boot_capture(self->dir, &self->d, &self->im, &self->o,
				  self->err, sizeof(self->err)));
	ASSERT_STREQ("ERROR_STATUS DCD_WRITE WRITE_FILE SKIP_DCD_HEADER JUMP_ADDRESS",
		     seq());
	EXPECT_EQ(0x00911000u, mock.r[1].addr);
}

/* Plugin on a SKIP_DCD SoC: plugin, JUMP, ERROR_STATUS, image, JUMP. */
TEST_F(boot, imx6ull_plugin)
{
	struct image *im = &self->im;
	u32 bd;

	ASSERT_TRUE(make_image(self->dir, "--soc imx6ull --plugin", im));
	ASSERT_NE(0u, im->main_ivt_off);
	board(&self->d, "imx6ull");

	ASSERT_EQ(0, boot_capture(self->dir, &self->d, im, &self->o,
				  self->err, sizeof(self->err)));
	/*
	 * The plugin has no DCD; the image's DCD is left to the ROM at JUMP
	 * (as imx_usb), so neither DCD_WRITE nor SKIP_DCD_HEADER.
	 */
	ASSERT_STREQ("ERROR_STATUS WRITE_FILE JUMP_ADDRESS ERROR_STATUS WRITE_FILE JUMP_ADDRESS",
		     seq());
	EXPECT_EQ(im->load_addr, mock.r[1].addr);
	EXPECT_EQ(im->load_len, mock.r[1].count);
	/* HAB open: the plugin word is zeroed, as imx_usb does */
	bd = im->boot_data - im->self;
	EXPECT_EQ(0u, le32(mock.r[1].data + bd + 8));
	EXPECT_EQ(0, memcmp(mock.r[1].data, im->buf + im->ivt_off, bd + 8));
	EXPECT_EQ(0, memcmp(mock.r[1].data + bd + 12,
			    im->buf + im->ivt_off + bd + 12,
			    im->load_len - bd - 12));
	EXPECT_EQ(im->self, mock.r[2].addr);
	EXPECT_EQ(im->main_load_addr, mock.r[4].addr);
	EXPECT_EQ(im->main_load_len, mock.r[4].count);
	EXPECT_EQ(0, memcmp(mock.r[4].data, im->buf + im->main_ivt_off,
			    im->main_load_len));
	EXPECT_EQ(im->main_load_addr, mock.r[5].addr);
}

/* Plugin on 6Q: as imx_usb, the plugin word is zeroed in what is sent. */
TEST_F(boot, imx6q_plugin)
{
	struct image *im = &self->im;
	u32 bd;

	ASSERT_TRUE(make_image(self->dir, "--soc imx6q --plugin", im));
	board(&self->d, "imx6q");

	ASSERT_EQ(0, boot_capture(self->dir, &self->d, im, &self->o,
				  self->err, sizeof(self->err)));
	ASSERT_STREQ("ERROR_STATUS WRITE_FILE JUMP_ADDRESS ERROR_STATUS WRITE_FILE JUMP_ADDRESS",
		     seq());
	bd = im->boot_data - im->self;
	EXPECT_EQ(1u, le32(im->buf + im->ivt_off + bd + 8) & 1);
	EXPECT_EQ(0u, le32(mock.r[1].data + bd + 8));
	EXPECT_EQ(0, memcmp(mock.r[1].data, im->buf + im->ivt_off, bd + 8));
	/* the image after the plugin: its DCD runs at JUMP, dcd kept */
	EXPECT_EQ(0, memcmp(mock.r[4].data, im->buf + im->main_ivt_off,
			    im->main_load_len));
}

/* IVT at 0x400 (flash image): the bytes from the IVT on. */
TEST_F(boot, flash_offset)
{
	struct image *im = &self->im;

	ASSERT_TRUE(make_image(self->dir, "--soc imx6q --flash-offset", im));
	ASSERT_EQ(0x400u, im->ivt_off);
	board(&self->d, "imx6q");
	ASSERT_EQ(0, boot_capture(self->dir, &self->d, im, &self->o,
				  self->err, sizeof(self->err)));
	ASSERT_STREQ("ERROR_STATUS DCD_WRITE WRITE_FILE JUMP_ADDRESS", seq());
	EXPECT_EQ(im->load_addr, mock.r[2].addr);
	EXPECT_EQ(im->load_len, mock.r[2].count);
	EXPECT_EQ(0, memcmp(mock.r[2].data + 0x10, im->buf + 0x400 + 0x10,
			    im->load_len - 0x10));
}

/* No DCD: no DCD_WRITE, nothing patched, no SKIP_DCD_HEADER. */
TEST_F(boot, no_dcd)
{
	struct image *im = &self->im;

	ASSERT_TRUE(make_image(self->dir, "--soc imx6q --no-dcd", im));
	board(&self->d, "imx6q");
	ASSERT_EQ(0, boot_capture(self->dir, &self->d, im, &self->o,
				  self->err, sizeof(self->err)));
	ASSERT_STREQ("ERROR_STATUS WRITE_FILE JUMP_ADDRESS", seq());
	EXPECT_EQ(0, memcmp(mock.r[1].data, im->buf, im->load_len));

	mock_reset();
	board(&self->d, "imx6ull");
	ASSERT_EQ(0, boot_capture(self->dir, &self->d, im, &self->o,
				  self->err, sizeof(self->err)));
	ASSERT_STREQ("ERROR_STATUS WRITE_FILE JUMP_ADDRESS", seq());
}

/* i.MX8MQ: IVT v0x41, SKIP_DCD class. */
TEST_F(boot, imx8mq)
{
	ASSERT_TRUE(make_image(self->dir, "--soc imx8mq", &self->im));
	board(&self->d, "imx8mq");
	ASSERT_EQ(0, boot_capture(self->dir, &self->d, &self->im, &self->o,
				  self->err, sizeof(self->err)));
	ASSERT_STREQ("ERROR_STATUS DCD_WRITE WRITE_FILE SKIP_DCD_HEADER JUMP_ADDRESS",
		     seq());
}

/* --verify reads back what was sent (the patched block included). */
TEST_F(boot, verify_ok)
{
	struct image *im = &self->im;

	ASSERT_TRUE(make_image(self->dir, "--soc imx6q", im));
	board(&self->d, "imx6q");
	self->o.verify = true;
	ASSERT_EQ(0, boot_capture(self->dir, &self->d, im, &self->o,
				  self->err, sizeof(self->err)));
	ASSERT_STREQ("ERROR_STATUS DCD_WRITE WRITE_FILE READ_REGISTER JUMP_ADDRESS",
		     seq());
	EXPECT_EQ(im->load_addr, mock.r[3].addr);
	EXPECT_EQ(im->load_len, mock.r[3].count);
	EXPECT_EQ((u32)IMX_SDP_FORMAT_32, mock.r[3].format);
}

/* --verify names the first differing address and stops before JUMP. */
TEST_F(boot, verify_mismatch)
{
	struct image *im = &self->im;
	char want[64];

	ASSERT_TRUE(make_image(self->dir, "--soc imx6ull", im));
	board(&self->d, "imx6ull");
	self->o.verify = true;
	mock.corrupt_addr = im->load_addr + 0x1234;
	ASSERT_EQ(EXIT_ROM, boot_capture(self->dir, &self->d, im, &self->o,
					 self->err, sizeof(self->err)));
	ASSERT_STREQ("ERROR_STATUS DCD_WRITE WRITE_FILE READ_REGISTER", seq());
	snprintf(want, sizeof(want), "first difference at 0x%08x",
		 im->load_addr + 0x1234);
	EXPECT_NE(NULL, strstr(self->err, want)) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "/dev/imx-sdp0 (imx6ull, port 1-1)"));
}

/*
 * Replies lost on a read (transport error, no ROM status): resync with
 * ERROR_STATUS and read again, the rest in 1 KiB pieces.
 */
TEST_F(boot, verify_retries_lost_replies)
{
	struct image *im = &self->im;
	char want[256];
	u32 pieces;
	int i;

	ASSERT_TRUE(make_image(self->dir, "--soc imx6q", im));
	board(&self->d, "imx6q");
	self->o.verify = true;
	mock.fail_at = 3;
	mock.fail_err = -EIO;
	mock.fail_status = 0;
	ASSERT_EQ(0, boot_capture(self->dir, &self->d, im, &self->o,
				  self->err, sizeof(self->err)));
	pieces = (im->load_len + 1023) / 1024;
	ASSERT_EQ(5 + (int)pieces + 1, mock.n) TH_LOG("%s", seq());
	EXPECT_EQ(IMX_SDP_IOC_READ_REG, mock.r[3].req);
	EXPECT_EQ(IMX_SDP_IOC_ERROR_STATUS, mock.r[4].req);
	for (i = 0; i < (int)pieces; i++) {
		EXPECT_EQ(IMX_SDP_IOC_READ_REG, mock.r[5 + i].req);
		EXPECT_EQ(im->load_addr + 1024 * i, mock.r[5 + i].addr);
	}
	EXPECT_EQ(IMX_SDP_IOC_JUMP, mock.r[mock.n - 1].req);

	/* a desynchronised reply (-EPROTO) is retried the same way */
	mock_reset();
	mock.fail_at = 3;
	mock.fail_err = -EPROTO;
	ASSERT_EQ(0, boot_capture(self->dir, &self->d, im, &self->o,
				  self->err, sizeof(self->err)));

	/* ... but not forever */
	mock_reset();
	mock.fail_req = IMX_SDP_IOC_READ_REG;
	mock.fail_err = -EIO;
	ASSERT_EQ(EXIT_ROM, boot_capture(self->dir, &self->d, im, &self->o,
					 self->err, sizeof(self->err)));
	snprintf(want, sizeof(want), "%s%s%s%s",
		 "ERROR_STATUS DCD_WRITE WRITE_FILE READ_REGISTER",
		 " ERROR_STATUS READ_REGISTER", " ERROR_STATUS READ_REGISTER",
		 " ERROR_STATUS READ_REGISTER");
	ASSERT_STREQ(want, seq());

	/* ... and not when the ROM answered */
	mock_reset();
	mock.fail_req = IMX_SDP_IOC_READ_REG;
	mock.fail_err = -EIO;
	mock.fail_status = SDP_HAB_EVENT(0x33, 0x22, 0xc0, 0x00);
	ASSERT_EQ(EXIT_ROM, boot_capture(self->dir, &self->d, im, &self->o,
					 self->err, sizeof(self->err)));
	ASSERT_STREQ("ERROR_STATUS DCD_WRITE WRITE_FILE READ_REGISTER", seq());
}

/* Large reads go in 64 KiB commands. */
TEST(read_mem_chunks)
{
	struct sdp_dev d;
	u8 *buf = malloc(150u << 10);

	mock_reset();
	util_verbosity = -1;
	board(&d, "imx6q");
	ASSERT_EQ(0, sdp_read_mem(&d, 0x10000000, buf, 150u << 10, 0, NULL));
	ASSERT_EQ(3, mock.n);
	EXPECT_EQ(64u << 10, mock.r[0].count);
	EXPECT_EQ(0x10010000u, mock.r[1].addr);
	EXPECT_EQ(22u << 10, mock.r[2].count);
	free(buf);
	mock_reset();
}

/* --no-jump: everything but SKIP_DCD_HEADER and JUMP. */
TEST_F(boot, no_jump)
{
	ASSERT_TRUE(make_image(self->dir, "--soc imx6ull", &self->im));
	board(&self->d, "imx6ull");
	self->o.no_jump = true;
	ASSERT_EQ(0, boot_capture(self->dir, &self->d, &self->im, &self->o,
				  self->err, sizeof(self->err)));
	ASSERT_STREQ("ERROR_STATUS DCD_WRITE WRITE_FILE", seq());
}

/* A HAB event on JUMP: decoded, the ROM's last error asked, exit 1. */
TEST_F(boot, jump_hab_event)
{
	ASSERT_TRUE(make_image(self->dir, "--soc imx6q", &self->im));
	board(&self->d, "imx6q");
	mock.fail_at = 3;
	mock.fail_err = -EIO;
	mock.fail_status = SDP_HAB_EVENT(0x33, 0x22, 0x0a, 0x00);
	ASSERT_EQ(EXIT_ROM, boot_capture(self->dir, &self->d, &self->im,
					 &self->o, self->err,
					 sizeof(self->err)));
	ASSERT_STREQ("ERROR_STATUS DCD_WRITE WRITE_FILE JUMP_ADDRESS ERROR_STATUS",
		     seq());
	EXPECT_NE(NULL, strstr(self->err,
			       "imx-sdp: /dev/imx-sdp0 (imx6q, port 1-1): JUMP_ADDRESS 0x"))
		TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err,
			       "HAB event 33 22 0a 00: failure, invalid address, authenticate"))
		TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "ROM's last error"));
	/* the record: the failure itself, not the notes printed after it */
	EXPECT_EQ(EXIT_ROM, sdp_error_exit(&self->d));
	EXPECT_EQ(0, strncmp(sdp_error(&self->d), "JUMP_ADDRESS 0x", 15))
		TH_LOG("%s", sdp_error(&self->d));
	EXPECT_NE(NULL, strstr(sdp_error(&self->d),
			       "ROM refused the image: HAB event 33 22 0a 00: failure, invalid address, authenticate"))
		TH_LOG("%s", sdp_error(&self->d));
	EXPECT_EQ(NULL, strstr(sdp_error(&self->d), "ROM's last error"));
}

/* What imx-sdp and imx-factory print in front of a step on this board. */
#define PREFIX		"imx-sdp: /dev/imx-sdp0 (imx6q, port 1-1): "
#define FACTORY_PREFIX	"imx-factory: /dev/imx-sdp0 (imx6q, port 1-1): "

/* A refused WRITE_FILE: the step, its size and the ROM's answer. */
TEST_F(boot, write_file_refused)
{
	struct image *im = &self->im;
	char want[256];

	ASSERT_TRUE(make_image(self->dir, "--soc imx6q", im));
	board(&self->d, "imx6q");
	mock.fail_at = 2;
	mock.fail_err = -EIO;
	mock.fail_status = SDP_HAB_EVENT(0x33, 0x22, 0xc0, 0x00);
	ASSERT_EQ(EXIT_ROM, boot_capture(self->dir, &self->d, im, &self->o,
					 self->err, sizeof(self->err)));
	ASSERT_STREQ("ERROR_STATUS DCD_WRITE WRITE_FILE", seq());
	snprintf(want, sizeof(want),
		 "imx-sdp: /dev/imx-sdp0 (imx6q, port 1-1): WRITE_FILE 0x%08x (%u bytes, image at file offset 0x0): ROM answered HAB event 33 22 c0 00: failure, invalid address, command",
		 im->load_addr, im->load_len);
	EXPECT_NE(NULL, strstr(self->err, want)) TH_LOG("%s", self->err);
	/* the same text without the program and the board in front */
	EXPECT_STREQ(want + strlen(PREFIX), sdp_error(&self->d));
	EXPECT_EQ(EXIT_ROM, sdp_error_exit(&self->d));
}

/*
 * Messages name the program that runs the SDP code: imx-factory's board
 * logs say "imx-factory: ", never "imx-sdp: ".
 */
TEST_F(boot, messages_name_the_program)
{
	ASSERT_TRUE(make_image(self->dir, "--soc imx6q", &self->im));
	board(&self->d, "imx6q");
	mock.fail_at = 2;
	mock.fail_err = -EIO;
	mock.fail_status = SDP_HAB_EVENT(0x33, 0x22, 0xc0, 0x00);
	util_set_prog("imx-factory");
	ASSERT_EQ(EXIT_ROM, boot_capture(self->dir, &self->d, &self->im,
					 &self->o, self->err,
					 sizeof(self->err)));
	EXPECT_EQ(0, strncmp(self->err, FACTORY_PREFIX "WRITE_FILE 0x",
			     strlen(FACTORY_PREFIX "WRITE_FILE 0x")))
		TH_LOG("%s", self->err);
	EXPECT_EQ(NULL, strstr(self->err, "imx-sdp: ")) TH_LOG("%s", self->err);
}

/* A DCD the ROM refuses stops the flow before any load. */
TEST_F(boot, dcd_refused)
{
	ASSERT_TRUE(make_image(self->dir, "--soc imx6ull", &self->im));
	board(&self->d, "imx6ull");
	mock.fail_at = 1;
	mock.fail_err = -EIO;
	mock.fail_status = SDP_HAB_EVENT(0x33, 0x27, 0xdd, 0x00);
	ASSERT_EQ(EXIT_ROM, boot_capture(self->dir, &self->d, &self->im,
					 &self->o, self->err,
					 sizeof(self->err)));
	ASSERT_STREQ("ERROR_STATUS DCD_WRITE", seq());
	EXPECT_NE(NULL,
		  strstr(self->err,
			 "DCD_WRITE 40 bytes to 0x00910000: ROM answered HAB event 33 27 dd 00"))
		TH_LOG("%s", self->err);
}

/* Unplug and timeout map to their exit codes. */
TEST_F(boot, gone_and_timeout)
{
	ASSERT_TRUE(make_image(self->dir, "--soc imx6q", &self->im));
	board(&self->d, "imx6q");
	mock.fail_at = 2;
	mock.fail_err = -ENODEV;
	EXPECT_EQ(EXIT_GONE, boot_capture(self->dir, &self->d, &self->im,
					  &self->o, self->err,
					  sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "left the bus"));

	mock_reset();
	mock.fail_at = 0;
	mock.fail_err = -ETIMEDOUT;
	EXPECT_EQ(EXIT_TIMEOUT, boot_capture(self->dir, &self->d, &self->im,
					     &self->o, self->err,
					     sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "ERROR_STATUS: no answer from the ROM within 1234 ms"))
		TH_LOG("%s", self->err);
}

/* A plugin that does not come back: named as such. */
TEST_F(boot, plugin_does_not_return)
{
	ASSERT_TRUE(make_image(self->dir, "--soc imx6ull --plugin",
			       &self->im));
	board(&self->d, "imx6ull");
	mock.fail_at = 3;
	mock.fail_err = -ETIMEDOUT;
	EXPECT_EQ(EXIT_TIMEOUT, boot_capture(self->dir, &self->d, &self->im,
					     &self->o, self->err,
					     sizeof(self->err)));
	EXPECT_STREQ("ERROR_STATUS WRITE_FILE JUMP_ADDRESS ERROR_STATUS", seq());
	EXPECT_NE(NULL, strstr(self->err, "did not return to the ROM"));
	EXPECT_EQ(EXIT_TIMEOUT, sdp_error_exit(&self->d));
	EXPECT_NE(NULL, strstr(sdp_error(&self->d),
			       "ERROR_STATUS: no answer from the ROM"))
		TH_LOG("%s", sdp_error(&self->d));
}

/* Bad files never reach the board. */
TEST_F(boot, bad_images)
{
	static const char * const bad[] = {
		"--soc imx6q --corrupt ivt-tag",
		"--soc imx6q --corrupt self",
		"--soc imx6q --corrupt boot-data",
		"--soc imx6q --corrupt dcd-tag",
		"--soc imx6q --corrupt dcd-len",
	};
	unsigned int i;
	int ret;

	board(&self->d, "imx6q");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		mock_reset();
		free(self->im.buf);
		ASSERT_TRUE(make_image(self->dir, bad[i], &self->im));
		quiet_stderr(true);
		ret = sdp_boot_precheck(&self->d, "img", self->im.buf,
					self->im.len);
		quiet_stderr(false);
		EXPECT_EQ(EXIT_IMAGE, ret) TH_LOG("%s", bad[i]);
		EXPECT_EQ(EXIT_IMAGE, sdp_error_exit(&self->d));
		EXPECT_EQ(0, strncmp(sdp_error(&self->d), "img: ", 5))
			TH_LOG("%s: %s", bad[i], sdp_error(&self->d));
		EXPECT_EQ(EXIT_IMAGE,
			  boot_capture(self->dir, &self->d, &self->im,
				       &self->o, self->err,
				       sizeof(self->err)))
			TH_LOG("%s", bad[i]);
		EXPECT_EQ(0, mock.n) TH_LOG("%s: %s", bad[i], seq());
	}
}

/* An image for another IVT version is refused before anything is sent. */
TEST_F(boot, ivt_version_mismatch)
{
	ASSERT_TRUE(make_image(self->dir, "--soc imx6q", &self->im));
	board(&self->d, "imx8mm");
	EXPECT_EQ(EXIT_IMAGE, boot_capture(self->dir, &self->d, &self->im,
					   &self->o, self->err,
					   sizeof(self->err)));
	EXPECT_EQ(0, mock.n);
	EXPECT_NE(NULL, strstr(self->err, "IVT version 0x40"));
}

/* "imx-sdp dcd FILE": one DCD_WRITE; an image without DCD is an error. */
TEST_F(boot, dcd_command)
{
	struct image *im = &self->im;
	int ret;

	ASSERT_TRUE(make_image(self->dir, "--soc imx6ull", im));
	board(&self->d, "imx6ull");
	ASSERT_EQ(0, sdp_dcd_precheck(&self->d, "img", im->buf, im->len));
	ASSERT_EQ(0, sdp_send_dcd_file(&self->d, "img", im->buf, im->len));
	ASSERT_STREQ("DCD_WRITE", seq());
	EXPECT_EQ(im->dcd_len, mock.r[0].count);
	EXPECT_EQ(0, memcmp(mock.r[0].data, im->buf + im->dcd_off,
			    im->dcd_len));

	mock_reset();
	free(im->buf);
	ASSERT_TRUE(make_image(self->dir, "--soc imx6ull --no-dcd", im));
	quiet_stderr(true);
	ret = sdp_dcd_precheck(&self->d, "img", im->buf, im->len);
	quiet_stderr(false);
	EXPECT_EQ(EXIT_IMAGE, ret);
	EXPECT_NE(NULL, strstr(sdp_error(&self->d), "has no DCD"))
		TH_LOG("%s", sdp_error(&self->d));
	EXPECT_EQ(0, mock.n);
}

/*
 * The fixture's data, for a helper: written as FIXTURE_DATA(boot) *self,
 * a parameter looks like a product to checkpatch.
 */
#define BOOT_DATA FIXTURE_DATA(boot)

/* Memory the flow leaves (HAB open) = what imx_usb's algorithm leaves. */
static void memory_matches_imx_usb(struct __test_metadata *_metadata,
				   BOOT_DATA *self, const char *soc)
{
	struct image *im = &self->im;
	char args[64];
	u8 *expect;
	u32 i, bd;

	snprintf(args, sizeof(args), "--soc %s --size 50K", soc);
	ASSERT_TRUE(make_image(self->dir, args, im));
	board(&self->d, soc);
	ASSERT_EQ(0, boot_capture(self->dir, &self->d, im, &self->o,
				  self->err, sizeof(self->err)));
	/*
	 * imx_usb (imx_sdp.c): writeable_header = first 1 KiB from the IVT,
	 * dcd_ptr = 0 after the DCD, boot_data.plugin = 0; then the file
	 * from the IVT on, load_len bytes to IVT.self.
	 */
	expect = malloc(im->load_len);
	memcpy(expect, im->buf + im->ivt_off, im->load_len);
	imxf_put_le32(expect + 0x0c, 0);
	bd = im->boot_data - im->self;
	imxf_put_le32(expect + bd + 8, 0);
	for (i = 0; i < im->load_len; i++)
		if (mock_mem(im->load_addr + i) != expect[i])
			break;
	EXPECT_EQ(im->load_len, i);
	free(expect);
}

TEST_F(boot, imx6q_memory_matches_imx_usb)
{
	memory_matches_imx_usb(_metadata, self, "imx6q");
}

TEST_F(boot, imx6ull_memory_matches_imx_usb)
{
	memory_matches_imx_usb(_metadata, self, "imx6ull");
}

/* READ_REGISTER widths: 32-bit when aligned, else 8-bit. */
TEST(read_mem_width)
{
	struct sdp_dev d;
	u8 buf[8];

	mock_reset();
	util_verbosity = -1;
	board(&d, "imx6q");
	ASSERT_EQ(0, sdp_read_mem(&d, 0x00900000, buf, 8, 0, NULL));
	ASSERT_EQ(0, sdp_read_mem(&d, 0x00900001, buf, 3, 0, NULL));
	ASSERT_EQ(0, sdp_read_mem(&d, 0x00900000, buf, 2,
				  IMX_SDP_FORMAT_16, NULL));
	EXPECT_EQ((u32)IMX_SDP_FORMAT_32, mock.r[0].format);
	EXPECT_EQ((u32)IMX_SDP_FORMAT_8, mock.r[1].format);
	EXPECT_EQ((u32)IMX_SDP_FORMAT_16, mock.r[2].format);
	EXPECT_EQ(2u, mock.r[2].count);
	mock_reset();
}

/* The exit code table of imx-sdp(1). */
TEST(exit_codes)
{
	EXPECT_EQ(EXIT_OK, sdp_err_exit(0));
	EXPECT_EQ(EXIT_ROM, sdp_err_exit(-EIO));
	EXPECT_EQ(EXIT_ROM, sdp_err_exit(-EPROTO));
	EXPECT_EQ(EXIT_GONE, sdp_err_exit(-ENODEV));
	EXPECT_EQ(EXIT_TIMEOUT, sdp_err_exit(-ETIMEDOUT));
	EXPECT_EQ(EXIT_INTR, sdp_err_exit(-EINTR));
	EXPECT_EQ(EXIT_NOBOARD, sdp_err_exit(-EACCES));
}

/* Number parsing of the command line. */
TEST(parse_numbers)
{
	u32 v;
	u64 ms;

	EXPECT_EQ(0, util_parse_u32("0x877ff400", &v, false));
	EXPECT_EQ(0x877ff400, v);
	EXPECT_EQ(0, util_parse_u32("64K", &v, true));
	EXPECT_EQ(65536u, v);
	EXPECT_EQ(0, util_parse_u32("2M", &v, true));
	EXPECT_EQ(2u << 20, v);
	EXPECT_NE(0, util_parse_u32("64K", &v, false));
	EXPECT_NE(0, util_parse_u32("0x100000000", &v, false));
	EXPECT_NE(0, util_parse_u32("-1", &v, false));
	EXPECT_NE(0, util_parse_u32("", &v, false));
	EXPECT_EQ(0, util_parse_seconds_ms("1.25", &ms));
	EXPECT_EQ(1250u, ms);
	EXPECT_EQ(0, util_parse_seconds_ms("3", &ms));
	EXPECT_EQ(3000u, ms);
	EXPECT_NE(0, util_parse_seconds_ms("x", &ms));
	EXPECT_NE(0, util_parse_seconds_ms(".", &ms));
}

TEST_HARNESS_MAIN
