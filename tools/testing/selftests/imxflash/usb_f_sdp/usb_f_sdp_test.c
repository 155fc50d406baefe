// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_sdp selftest: the ROM emulator seen from the host through
 * hid-generic's hidraw node, on dummy_hcd, inside the test VM.
 *
 * Every command of the protocol, the data-phase rules, the DCD, JUMP
 * with its HAB events, and the bad inputs a demanding host can send:
 * unknown commands, malformed blocks, writes outside the memory map or
 * beyond mem_limit, truncated data phases, and an unbind mid-transfer.
 * Memory is checked byte for byte through the emulator's debugfs window.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/hidraw.h>

#include <imxflash/imx_image.h>
#include <imxflash/sdp_proto.h>
#include <imxflash/sdp_soc.h>

#include "gadget_util.h"
#include "kselftest_harness.h"

#define UDC	"dummy_udc.0"
#define R_MS	2000		/* reply timeout */

struct sdp_host {
	int fd;
	uint32_t hab;
};

static int sdp_send_cmd(int fd, u16 type, u32 addr, u8 format, u32 count,
			u32 data)
{
	struct sdp_cmd c = { .type = type, .addr = addr, .format = format,
			     .count = count, .data = data };
	u8 blk[SDP_CMD_LEN];

	sdp_cmd_encode(&c, blk);
	return imxf_hid_send(fd, SDP_REPORT_CMD, blk, sizeof(blk));
}

/* Read report @id; returns its first status word, or -errno / -ETIME. */
static int sdp_recv(int fd, u8 id, u8 *payload, u32 *word, int ms)
{
	u8 buf[1 + SDP_STATUS_MAX + 8];
	int n = imxf_hid_recv(fd, buf, sizeof(buf), ms);

	if (n < 0)
		return n;
	if (n == 0)
		return -ETIME;
	if (buf[0] != id || n < 5) {
		fprintf(stderr, "# expected report %u, got id %u len %d\n", id,
			buf[0], n);
		return -EPROTO;
	}
	if (payload)
		memcpy(payload, buf + 1, n - 1);
	if (word)
		*word = imxf_get_le32(buf + 1);
	return n - 1;
}

/* Send a data phase as report-2 chunks; @pad fills a short last report. */
static int sdp_send_data(int fd, const u8 *data, u32 len, int pad, u8 padval)
{
	u8 chunk[SDP_DATA_MAX];
	u32 off;
	int err;

	for (off = 0; off < len; off += SDP_DATA_MAX) {
		u32 n = len - off < SDP_DATA_MAX ? len - off : SDP_DATA_MAX;

		memcpy(chunk, data + off, n);
		if (pad && n < SDP_DATA_MAX) {
			memset(chunk + n, padval, SDP_DATA_MAX - n);
			n = SDP_DATA_MAX;
		}
		err = imxf_hid_send(fd, SDP_REPORT_DATA, chunk, n);
		if (err)
			return err;
	}
	return 0;
}

/* Run a command without data; return R4 word in *@st, R3 in *@hab. */
static int sdp_simple(int fd, u16 type, u32 addr, u8 fmt, u32 count, u32 data,
		      u32 *hab, u32 *st)
{
	int err = sdp_send_cmd(fd, type, addr, fmt, count, data);

	if (err)
		return err;
	err = sdp_recv(fd, SDP_REPORT_HAB, NULL, hab, R_MS);
	if (err < 0)
		return err;
	err = sdp_recv(fd, SDP_REPORT_STATUS, NULL, st, R_MS);
	return err < 0 ? err : 0;
}

static int sdp_write_file(int fd, u32 addr, const u8 *data, u32 len, u32 *st)
{
	u32 hab;
	int err = sdp_send_cmd(fd, SDP_WRITE_FILE, addr, 0, len, 0);

	err = err ?: sdp_send_data(fd, data, len, 0, 0);
	if (err)
		return err;
	err = sdp_recv(fd, SDP_REPORT_HAB, NULL, &hab, R_MS);
	if (err < 0)
		return err;
	err = sdp_recv(fd, SDP_REPORT_STATUS, NULL, st, R_MS);
	return err < 0 ? err : 0;
}

static int sdp_read(int fd, u32 addr, u8 fmt, u32 count, u8 *out)
{
	u8 p[SDP_STATUS_MAX + 8];
	u32 hab, got = 0;
	int err = sdp_send_cmd(fd, SDP_READ_REGISTER, addr, fmt, count, 0);

	if (err)
		return err;
	err = sdp_recv(fd, SDP_REPORT_HAB, NULL, &hab, R_MS);
	while (err >= 0 && got < count) {
		u32 n = count - got < 64 ? count - got : 64;

		err = sdp_recv(fd, SDP_REPORT_STATUS, p, NULL, R_MS);
		if (err >= 0) {
			memcpy(out + got, p, n);
			got += n;
		}
	}
	return err < 0 ? err : 0;
}

/* A bootable image in @buf: IVT at 0, boot data, optional DCD, payload. */
struct test_image {
	u8 buf[16384];
	u32 len, self, entry;
};

static void build_image(struct test_image *im, const struct sdp_soc *soc,
			u32 self, const u8 *dcd, u32 dcd_len, u32 plugin,
			u32 csf_off)
{
	struct imx_ivt ivt = { .version = soc->ivt_version };
	struct imx_boot_data bd = { 0 };

	memset(im, 0, sizeof(*im));
	im->len = 8192;
	im->self = self;
	im->entry = self + 0xc00;
	imxf_fill_pattern(im->buf, im->len, self);
	ivt.entry = im->entry;
	ivt.self = self;
	ivt.boot_data = self + 0x20;
	ivt.dcd = dcd_len ? self + 0x2c : 0;
	ivt.csf = csf_off ? self + csf_off : 0;
	bd.start = self - 0x400;
	bd.length = im->len + 0x400;
	bd.plugin = plugin;
	imx_ivt_encode(&ivt, im->buf);
	imx_boot_data_encode(&bd, im->buf + 0x20);
	if (dcd_len)
		memcpy(im->buf + 0x2c, dcd, dcd_len);
	if (csf_off) {
		im->buf[csf_off] = IMX_CSF_TAG;
		im->buf[csf_off + 1] = 0;
		im->buf[csf_off + 2] = 8;
		im->buf[csf_off + 3] = 0x40;
	}
}

static u32 ddr_addr(const struct sdp_soc *s, u32 off)
{
	return s->ddr.base + off;
}

FIXTURE(rom) {
	struct imxf_board b;
	const struct sdp_soc *soc;
	int fd;
};

FIXTURE_VARIANT(rom) {
	const char *soc;
	const char *hab;
};

FIXTURE_VARIANT_ADD(rom, imx6q) { .soc = "imx6q", .hab = "open" };
FIXTURE_VARIANT_ADD(rom, imx6ull) { .soc = "imx6ull", .hab = "open" };
FIXTURE_VARIANT_ADD(rom, imx7d_closed) { .soc = "imx7d", .hab = "closed" };

FIXTURE_SETUP(rom)
{
	char node[64];

	self->soc = sdp_soc_by_name(variant->soc);
	ASSERT_NE(NULL, self->soc);
	ASSERT_EQ(0, imxf_board_create(&self->b, "emu", UDC, variant->soc,
				       variant->hab, 0));
	ASSERT_EQ(0, imxf_find_hidraw(self->soc->vid, self->soc->pid, node,
				      sizeof(node), 10000));
	self->fd = open(node, O_RDWR);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(rom)
{
	if (self->fd >= 0)
		close(self->fd);
	imxf_board_destroy(&self->b);
}

static u32 want_hab(const FIXTURE_VARIANT(rom) *v)
{
	return strcmp(v->hab, "closed") ? SDP_HAB_OPEN : SDP_HAB_CLOSED;
}

TEST_F(rom, descriptors)
{
	struct hidraw_report_descriptor rd = { 0 };
	struct hidraw_devinfo info;
	int size = 0;

	ASSERT_EQ(0, ioctl(self->fd, HIDIOCGRDESCSIZE, &size));
	ASSERT_EQ(SDP_REPORT_DESC_LEN, size);
	rd.size = size;
	ASSERT_EQ(0, ioctl(self->fd, HIDIOCGRDESC, &rd));
	EXPECT_EQ(0, memcmp(rd.value, sdp_report_desc, SDP_REPORT_DESC_LEN));
	ASSERT_EQ(0, ioctl(self->fd, HIDIOCGRAWINFO, &info));
	EXPECT_EQ(self->soc->vid, (u16)info.vendor);
	EXPECT_EQ(self->soc->pid, (u16)info.product);
}

TEST_F(rom, error_status)
{
	u32 hab = 0, st = 0;

	ASSERT_EQ(0, sdp_simple(self->fd, SDP_ERROR_STATUS, 0, 0, 0, 0, &hab,
				&st));
	EXPECT_EQ(want_hab(variant), hab);
	EXPECT_EQ(SDP_STATUS_OK, st);
}

TEST_F(rom, registers)
{
	static const u32 counts[] = { 1, 2, 4, 59, 63, 64, 65, 130, 1000 };
	static const u8 fmts[] = { SDP_FORMAT_8, SDP_FORMAT_16, SDP_FORMAT_32 };
	u32 reg = self->soc->periph.base + 0x100;
	u8 got[1024], mem[1024];
	u32 hab, st;
	unsigned int i, f;

	ASSERT_EQ(0, sdp_simple(self->fd, SDP_WRITE_REGISTER, reg,
				SDP_FORMAT_32, 4, 0x12345678, &hab, &st));
	EXPECT_EQ(SDP_ACK_WRITE, st);
	ASSERT_EQ(0, sdp_simple(self->fd, SDP_WRITE_REGISTER, reg + 4,
				SDP_FORMAT_16, 2, 0xbeef, &hab, &st));
	EXPECT_EQ(SDP_ACK_WRITE, st);
	ASSERT_EQ(0, sdp_simple(self->fd, SDP_WRITE_REGISTER, reg + 7,
				SDP_FORMAT_8, 1, 0xa5, &hab, &st));
	EXPECT_EQ(SDP_ACK_WRITE, st);
	ASSERT_EQ(0, sdp_read(self->fd, reg, SDP_FORMAT_32, 8, got));
	EXPECT_EQ(0x12345678u, imxf_get_le32(got));
	EXPECT_EQ(0xbeef, got[4] | got[5] << 8);
	EXPECT_EQ(0xa5, got[7]);
	/* Unaligned 32-bit write: refused. */
	ASSERT_EQ(0, sdp_simple(self->fd, SDP_WRITE_REGISTER, reg + 2,
				SDP_FORMAT_32, 4, 1, &hab, &st));
	EXPECT_EQ(SDP_HAB_EVENT(0x33, 0x22, 0xc0, 0), st);

	/*
	 * READ_REGISTER of any count, whatever the width, returns memory as
	 * debugfs sees it: imx_usb -v reads an image's tail with format 0x20
	 * and counts such as 59 or 1.
	 */
	imxf_fill_pattern(mem, sizeof(mem), 7);
	ASSERT_EQ(0, imxf_board_mem_write(&self->b, ddr_addr(self->soc, 0x1000),
					  mem, sizeof(mem)));
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		for (f = 0; f < sizeof(fmts); f++) {
			memset(got, 0, sizeof(got));
			ASSERT_EQ(0, sdp_read(self->fd,
					      ddr_addr(self->soc, 0x1000),
					      fmts[f], counts[i], got));
			EXPECT_EQ(0, memcmp(got, mem, counts[i])) {
				TH_LOG("READ_REGISTER count %u format 0x%02x differs",
				       counts[i], fmts[f]);
			}
		}
	}
}

TEST_F(rom, write_file_sizes)
{
	static const u32 sizes[] = { 1, 1023, 1024, 1025, 4096, 70000 };
	static u8 data[70000 + 1024], mem[70000 + 1024];
	u32 addr = ddr_addr(self->soc, 0x00200000);
	u32 st;
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		imxf_fill_pattern(data, sizes[i], i + 1);
		ASSERT_EQ(0, sdp_write_file(self->fd, addr, data, sizes[i],
					    &st));
		EXPECT_EQ(SDP_ACK_FILE, st);
		ASSERT_EQ(0, imxf_board_mem_read(&self->b, addr, mem,
						 sizes[i]));
		EXPECT_EQ(0, memcmp(mem, data, sizes[i])) {
			TH_LOG("WRITE_FILE of %u bytes differs", sizes[i]);
		}
		addr += 0x20000;
	}
}

TEST_F(rom, write_file_whole_reports)
{
	u8 data[1500], mem[2048];
	u32 addr = ddr_addr(self->soc, 0x00300000);
	u32 hab, st;

	/* A padded last report lands in memory past DATA_COUNT, as on silicon. */
	imxf_fill_pattern(data, sizeof(data), 99);
	ASSERT_EQ(0, sdp_send_cmd(self->fd, SDP_WRITE_FILE, addr, 0,
				  sizeof(data), 0));
	ASSERT_EQ(0, sdp_send_data(self->fd, data, sizeof(data), 1, 0xee));
	ASSERT_LE(0, sdp_recv(self->fd, SDP_REPORT_HAB, NULL, &hab, R_MS));
	ASSERT_LE(0, sdp_recv(self->fd, SDP_REPORT_STATUS, NULL, &st, R_MS));
	EXPECT_EQ(SDP_ACK_FILE, st);
	ASSERT_EQ(0, imxf_board_mem_read(&self->b, addr, mem, sizeof(mem)));
	EXPECT_EQ(0, memcmp(mem, data, sizeof(data)));
	EXPECT_EQ(0xee, mem[sizeof(data)]);
	EXPECT_EQ(0xee, mem[2047]);
}

static int build_dcd(const struct sdp_soc *soc, u8 *buf, size_t cap,
		     int fail)
{
	struct imx_dcd_builder b;
	u32 p = soc->periph.base;

	imx_dcd_begin(&b, buf, cap, soc->ivt_version);
	imx_dcd_add_write(&b, 4, p + 0x200, 0x11223344);
	imx_dcd_add_write(&b, 4, p + 0x204, 0xffffffff);
	imx_dcd_add_write(&b, 4 | IMX_DCD_FLAG_MASK, p + 0x204, 0x0000ff00);
	imx_dcd_add_write(&b, 4 | IMX_DCD_FLAG_MASK | IMX_DCD_FLAG_SET,
			  p + 0x208, 0x80000001);
	imx_dcd_add_write(&b, 2, p + 0x20c, 0xcafe);
	imx_dcd_add_write(&b, 1, p + 0x20e, 0x5a);
	imx_dcd_add_nop(&b);
	/* bits set: satisfied by the write above */
	imx_dcd_add_check(&b, 4 | IMX_DCD_FLAG_SET, p + 0x200, 0x11000000, 3,
			  true);
	if (fail)
		imx_dcd_add_check(&b, 4 | IMX_DCD_FLAG_SET, p + 0x210, 0x1, 5,
				  true);
	return imx_dcd_end(&b);
}

TEST_F(rom, dcd_write)
{
	u32 p = self->soc->periph.base;
	u8 dcd[256], mem[256];
	u32 hab, st;
	int len = build_dcd(self->soc, dcd, sizeof(dcd), 0);

	ASSERT_LT(0, len);
	ASSERT_EQ(0, sdp_send_cmd(self->fd, SDP_DCD_WRITE, self->soc->dcd_addr,
				  0, len, 0));
	ASSERT_EQ(0, sdp_send_data(self->fd, dcd, len, 1, 0));
	ASSERT_LE(0, sdp_recv(self->fd, SDP_REPORT_HAB, NULL, &hab, R_MS));
	ASSERT_LE(0, sdp_recv(self->fd, SDP_REPORT_STATUS, NULL, &st, R_MS));
	EXPECT_EQ(SDP_ACK_WRITE, st);
	/* The DCD was stored at the scratch address ... */
	ASSERT_EQ(0, imxf_board_mem_read(&self->b, self->soc->dcd_addr, mem,
					 len));
	EXPECT_EQ(0, memcmp(mem, dcd, len));
	/* ... and executed. */
	ASSERT_EQ(0, imxf_board_mem_read(&self->b, p + 0x200, mem, 16));
	EXPECT_EQ(0x11223344u, imxf_get_le32(mem));
	EXPECT_EQ(0xffff00ffu, imxf_get_le32(mem + 4));
	EXPECT_EQ(0x80000001u, imxf_get_le32(mem + 8));
	EXPECT_EQ(0xcafe, mem[12] | mem[13] << 8);
	EXPECT_EQ(0x5a, mem[14]);
}

TEST_F(rom, dcd_write_failing_check)
{
	u8 dcd[256];
	char err[256];
	u32 hab, st;
	int len = build_dcd(self->soc, dcd, sizeof(dcd), 1);

	ASSERT_EQ(0, sdp_send_cmd(self->fd, SDP_DCD_WRITE, self->soc->dcd_addr,
				  0, len, 0));
	ASSERT_EQ(0, sdp_send_data(self->fd, dcd, len, 0, 0));
	ASSERT_LE(0, sdp_recv(self->fd, SDP_REPORT_HAB, NULL, &hab, R_MS));
	ASSERT_LE(0, sdp_recv(self->fd, SDP_REPORT_STATUS, NULL, &st, R_MS));
	EXPECT_EQ(SDP_HAB_EVENT(0x33, 0x27, 0xdd, 0), st);
	ASSERT_LT(0, imxf_board_attr(&self->b, "last_error", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "DCD_WRITE: DCD at")) {
		TH_LOG("last_error: %s", err);
	}
	ASSERT_EQ(0, sdp_simple(self->fd, SDP_ERROR_STATUS, 0, 0, 0, 0, &hab,
				&st));
	EXPECT_EQ(SDP_HAB_EVENT(0x33, 0x27, 0xdd, 0), st);
}

TEST_F(rom, skip_dcd_header)
{
	u8 raw[SDP_STATUS_MAX + 8];
	u32 hab, st;

	ASSERT_EQ(0, sdp_send_cmd(self->fd, SDP_SKIP_DCD_HEADER, 0, 0, 0, 0));
	ASSERT_LE(0, sdp_recv(self->fd, SDP_REPORT_HAB, NULL, &hab, R_MS));
	ASSERT_LE(0, sdp_recv(self->fd, SDP_REPORT_STATUS, raw, &st, R_MS));
	if (self->soc->flags & SDP_SOC_SKIP_DCD) {
		/* 09 d0 0d 90 on the wire */
		EXPECT_EQ(0x09, raw[0]);
		EXPECT_EQ(0xd0, raw[1]);
		EXPECT_EQ(0x0d, raw[2]);
		EXPECT_EQ(0x90, raw[3]);
	} else {
		EXPECT_EQ(SDP_HAB_EVENT(0x33, 0x03, 0xc0, 0), st);
	}
}

static int load_image(int fd, const struct test_image *im)
{
	u32 st;
	int err = sdp_write_file(fd, im->self, im->buf, im->len, &st);

	if (err)
		return err;
	return st == SDP_ACK_FILE ? 0 : -EIO;
}

TEST_F(rom, jump_boots_and_disconnects)
{
	struct test_image im;
	char buf[64];
	u32 hab;
	int r;

	build_image(&im, self->soc, ddr_addr(self->soc, 0x7ff400), NULL, 0, 0,
		    !strcmp(variant->hab, "closed") ? 0x1000 : 0);
	ASSERT_EQ(0, load_image(self->fd, &im));
	ASSERT_EQ(0, sdp_send_cmd(self->fd, SDP_JUMP_ADDRESS, im.self, 0, 0,
				  0));
	ASSERT_LE(0, sdp_recv(self->fd, SDP_REPORT_HAB, NULL, &hab, R_MS));
	EXPECT_EQ(want_hab(variant), hab);
	/* Success is silence: no report 4, then the device leaves the bus. */
	r = sdp_recv(self->fd, SDP_REPORT_STATUS, NULL, NULL, 1000);
	EXPECT_TRUE(r == -ETIME || r == -ENODEV || r == -EIO) {
		TH_LOG("unexpected report 4 after a good JUMP (%d)", r);
	}
	EXPECT_EQ(0, imxf_board_wait_attr(&self->b, "state", "booted", 5000));
	EXPECT_EQ(0, imxf_wait_usb_gone(self->soc->vid, self->soc->pid, 5000));
	ASSERT_LT(0, imxf_board_attr(&self->b, "jump_addr", buf, sizeof(buf)));
	EXPECT_EQ(im.self, strtoul(buf, NULL, 16));
}

TEST_F(rom, jump_bad_ivt_stays_in_sdp)
{
	struct test_image im;
	char err[256];
	u32 hab, st;

	build_image(&im, self->soc, ddr_addr(self->soc, 0x7ff400), NULL, 0, 0,
		    0);
	im.buf[0] = 0x00;	/* no IVT tag */
	ASSERT_EQ(0, load_image(self->fd, &im));
	ASSERT_EQ(0, sdp_simple(self->fd, SDP_JUMP_ADDRESS, im.self, 0, 0, 0,
				&hab, &st));
	EXPECT_EQ(SDP_HAB_EVENT(0x33, 0x05, 0x0a, 0), st);
	ASSERT_LT(0, imxf_board_attr(&self->b, "state", err, sizeof(err)));
	EXPECT_STREQ("idle", err);
	ASSERT_LT(0, imxf_board_attr(&self->b, "last_error", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "no valid IVT"));
	ASSERT_EQ(0, sdp_simple(self->fd, SDP_ERROR_STATUS, 0, 0, 0, 0, &hab,
				&st));
	EXPECT_EQ(SDP_HAB_EVENT(0x33, 0x05, 0x0a, 0), st);
	EXPECT_TRUE(imxf_usb_present(self->soc->vid, self->soc->pid));
}

TEST_F(rom, jump_self_mismatch)
{
	struct test_image im;
	u32 hab, st;

	build_image(&im, self->soc, ddr_addr(self->soc, 0x7ff400), NULL, 0, 0,
		    0);
	ASSERT_EQ(0, load_image(self->fd, &im));
	/* Jump to a copy of the IVT placed elsewhere: IVT.self differs. */
	im.self += 0x10000;
	ASSERT_EQ(0, load_image(self->fd, &im));
	im.self -= 0x10000;
	ASSERT_EQ(0, sdp_simple(self->fd, SDP_JUMP_ADDRESS, im.self + 0x10000,
				0, 0, 0, &hab, &st));
	EXPECT_EQ(SDP_HAB_EVENT(0x33, 0x22, 0x0a, 0), st);
}

TEST_F(rom, jump_runs_ivt_dcd_unless_skipped)
{
	u32 p = self->soc->periph.base;
	struct test_image im;
	u8 dcd[256], mem[4];
	u32 hab;
	int len = build_dcd(self->soc, dcd, sizeof(dcd), 0);

	build_image(&im, self->soc, ddr_addr(self->soc, 0x7ff400), dcd, len, 0,
		    !strcmp(variant->hab, "closed") ? 0x1000 : 0);
	ASSERT_EQ(0, load_image(self->fd, &im));
	ASSERT_EQ(0, sdp_send_cmd(self->fd, SDP_JUMP_ADDRESS, im.self, 0, 0,
				  0));
	ASSERT_LE(0, sdp_recv(self->fd, SDP_REPORT_HAB, NULL, &hab, R_MS));
	EXPECT_EQ(0, imxf_board_wait_attr(&self->b, "state", "booted", 5000));
	ASSERT_EQ(0, imxf_board_mem_read(&self->b, p + 0x200, mem, 4));
	EXPECT_EQ(0x11223344u, imxf_get_le32(mem));
}

TEST_F(rom, plugin_returns_to_sdp)
{
	struct test_image im;
	char stats[512];
	u32 hab, st;
	int r;

	build_image(&im, self->soc, ddr_addr(self->soc, 0x7ff400), NULL, 0,
		    IMX_BOOT_PLUGIN,
		    !strcmp(variant->hab, "closed") ? 0x1000 : 0);
	ASSERT_EQ(0, load_image(self->fd, &im));
	ASSERT_EQ(0, sdp_send_cmd(self->fd, SDP_JUMP_ADDRESS, im.self, 0, 0,
				  0));
	ASSERT_LE(0, sdp_recv(self->fd, SDP_REPORT_HAB, NULL, &hab, R_MS));
	r = sdp_recv(self->fd, SDP_REPORT_STATUS, NULL, NULL, 500);
	EXPECT_EQ(-ETIME, r);
	ASSERT_LT(0, imxf_board_attr(&self->b, "stats", stats, sizeof(stats)));
	EXPECT_NE(NULL, strstr(stats, "plugins 1\n"));
	ASSERT_EQ(0, sdp_simple(self->fd, SDP_ERROR_STATUS, 0, 0, 0, 0, &hab,
				&st));
	EXPECT_EQ(SDP_STATUS_OK, st);
}

TEST_F(rom, unknown_and_malformed_commands)
{
	u8 blk[SDP_CMD_LEN] = { 0x07, 0x07 };
	char err[256];
	u32 hab, st;

	ASSERT_EQ(0, imxf_hid_send(self->fd, SDP_REPORT_CMD, blk, sizeof(blk)));
	ASSERT_LE(0, sdp_recv(self->fd, SDP_REPORT_HAB, NULL, &hab, R_MS));
	ASSERT_LE(0, sdp_recv(self->fd, SDP_REPORT_STATUS, NULL, &st, R_MS));
	EXPECT_EQ(SDP_HAB_EVENT(0x33, 0x03, 0xc0, 0), st);
	ASSERT_LT(0, imxf_board_attr(&self->b, "last_error", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "unknown command 0x0707"));

	blk[0] = 0x01;		/* 01 02: bytes differ */
	blk[1] = 0x02;
	ASSERT_EQ(0, imxf_hid_send(self->fd, SDP_REPORT_CMD, blk, sizeof(blk)));
	ASSERT_LE(0, sdp_recv(self->fd, SDP_REPORT_HAB, NULL, &hab, R_MS));
	ASSERT_LE(0, sdp_recv(self->fd, SDP_REPORT_STATUS, NULL, &st, R_MS));
	EXPECT_NE(SDP_STATUS_OK, st);
	EXPECT_EQ(0x33, SDP_HAB_EVT_STATUS(st));

	/* READ_REGISTER with a bad format byte */
	ASSERT_EQ(0, sdp_simple(self->fd, SDP_READ_REGISTER,
				self->soc->ocram.base, 0x07, 4, 0, &hab, &st));
	EXPECT_EQ(0x33, SDP_HAB_EVT_STATUS(st));

	/* The ROM still works. */
	ASSERT_EQ(0, sdp_simple(self->fd, SDP_WRITE_REGISTER,
				self->soc->ocram.base, SDP_FORMAT_32, 4, 5,
				&hab, &st));
	EXPECT_EQ(SDP_ACK_WRITE, st);
}

TEST_F(rom, write_outside_map)
{
	u8 data[2048], mem[2048], zero[2048] = { 0 };
	char stats[512], err[256];
	u32 st;

	imxf_fill_pattern(data, sizeof(data), 3);
	ASSERT_EQ(0, sdp_write_file(self->fd, 0x00000400, data, sizeof(data),
				    &st));
	EXPECT_EQ(SDP_HAB_EVENT(0x33, 0x22, 0xc0, 0), st);
	ASSERT_EQ(0, imxf_board_mem_read(&self->b, 0x400, mem, sizeof(mem)));
	EXPECT_EQ(0, memcmp(mem, zero, sizeof(zero)));
	ASSERT_LT(0, imxf_board_attr(&self->b, "stats", stats, sizeof(stats)));
	EXPECT_NE(NULL, strstr(stats, "mem_used 0\n"));
	ASSERT_LT(0, imxf_board_attr(&self->b, "last_error", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "outside the")) {
		TH_LOG("last_error: %s", err);
	}
	/* Crossing the end of OCRAM is refused too. */
	ASSERT_EQ(0, sdp_write_file(self->fd, self->soc->ocram.base +
				    self->soc->ocram.size - 1024, data,
				    sizeof(data), &st));
	EXPECT_EQ(SDP_HAB_EVENT(0x33, 0x22, 0xc0, 0), st);
	/* Reads outside the map fail with one report 4. */
	ASSERT_EQ(0, sdp_simple(self->fd, SDP_READ_REGISTER, 0x100,
				SDP_FORMAT_32, 4, 0, NULL, &st));
	EXPECT_EQ(SDP_HAB_EVENT(0x33, 0x22, 0xc0, 0), st);
}

TEST_F(rom, truncated_data_phase)
{
	u8 data[2048], log[8192];
	char err[256];
	u32 hab, st;

	imxf_fill_pattern(data, sizeof(data), 5);
	ASSERT_EQ(0, sdp_send_cmd(self->fd, SDP_WRITE_FILE,
				  ddr_addr(self->soc, 0x100000), 0, 4096, 0));
	ASSERT_EQ(0, sdp_send_data(self->fd, data, sizeof(data), 0, 0));
	/* No reply: the ROM still waits for data. */
	EXPECT_EQ(-ETIME, sdp_recv(self->fd, SDP_REPORT_HAB, NULL, NULL, 300));
	ASSERT_EQ(0, sdp_simple(self->fd, SDP_ERROR_STATUS, 0, 0, 0, 0, &hab,
				&st));
	EXPECT_EQ(SDP_HAB_EVENT(0x33, 0x17, 0xc0, 0), st);
	ASSERT_LT(0, imxf_board_attr(&self->b, "last_error", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "truncated: 2048 of 4096")) {
		TH_LOG("last_error: %s", err);
	}
	ASSERT_LT(0, imxf_board_log(&self->b, (char *)log, sizeof(log)));
	EXPECT_NE(NULL, strstr((char *)log, "truncated"));
	/* A stray data report outside a data phase is ignored. */
	ASSERT_EQ(0, imxf_hid_send(self->fd, SDP_REPORT_DATA, data, 16));
	EXPECT_EQ(-ETIME, sdp_recv(self->fd, SDP_REPORT_HAB, NULL, NULL, 300));
}

TEST_F(rom, unbind_mid_transfer)
{
	static u8 data[256 * 1024];
	char buf[256], node[64];
	u32 off, st;
	int err = 0;

	imxf_fill_pattern(data, sizeof(data), 11);
	ASSERT_EQ(0, sdp_send_cmd(self->fd, SDP_WRITE_FILE,
				  ddr_addr(self->soc, 0x400000), 0,
				  sizeof(data), 0));
	for (off = 0; off < 40 * 1024; off += 1024)
		ASSERT_EQ(0, imxf_hid_send(self->fd, SDP_REPORT_DATA,
					   data + off, 1024));
	ASSERT_EQ(0, imxf_board_unbind(&self->b));
	/* The host side sees the board vanish; writes fail, nothing hangs. */
	for (; off < sizeof(data) && !err; off += 1024)
		err = imxf_hid_send(self->fd, SDP_REPORT_DATA, data + off,
				    1024);
	EXPECT_NE(0, err);
	ASSERT_LT(0, imxf_board_attr(&self->b, "state", buf, sizeof(buf)));
	EXPECT_STREQ("off", buf);
	ASSERT_LT(0, imxf_board_attr(&self->b, "last_error", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "interrupted by unbind")) {
		TH_LOG("last_error: %s", buf);
	}
	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, imxf_wait_usb_gone(self->soc->vid, self->soc->pid, 5000));

	/* Power on again: a fresh ROM that works. */
	ASSERT_EQ(0, imxf_board_bind(&self->b));
	ASSERT_EQ(0, imxf_find_hidraw(self->soc->vid, self->soc->pid, node,
				      sizeof(node), 10000));
	self->fd = open(node, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_LT(0, imxf_board_attr(&self->b, "stats", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "mem_used 0\n"));
	ASSERT_EQ(0, sdp_write_file(self->fd, ddr_addr(self->soc, 0x400000),
				    data, 4096, &st));
	EXPECT_EQ(SDP_ACK_FILE, st);
}

TEST_F(rom, attributes_busy_and_invalid)
{
	EXPECT_EQ(-EBUSY, imxf_board_set_attr(&self->b, "soc", "imx6sx"));
	EXPECT_EQ(-EBUSY, imxf_board_set_attr(&self->b, "hab", "open"));
	EXPECT_EQ(-EBUSY, imxf_board_set_attr(&self->b, "mem_limit", "1M"));
	EXPECT_EQ(-EINVAL, imxf_board_set_attr(&self->b, "soc", "imx9"));
	EXPECT_EQ(-EINVAL, imxf_board_set_attr(&self->b, "hab", "ajar"));
	EXPECT_EQ(-EINVAL, imxf_board_set_attr(&self->b, "mem_limit", "12"));
	EXPECT_EQ(-EINVAL, imxf_board_set_attr(&self->b, "boot_delay_ms",
					       "99999"));
	/* Linked into a configuration counts as in use, as for f_hid. */
	ASSERT_EQ(0, imxf_board_unbind(&self->b));
	EXPECT_EQ(-EBUSY, imxf_board_set_attr(&self->b, "mem_limit", "2M"));
}

/* Tests that build their own boards; teardown removes them even on failure. */
FIXTURE(own) {
	struct imxf_board b;
	int fd;
};

FIXTURE_SETUP(own)
{
	self->fd = -1;
	self->b.gadget_dir[0] = 0;
}

FIXTURE_TEARDOWN(own)
{
	if (self->fd >= 0)
		close(self->fd);
	imxf_board_destroy(&self->b);
}

TEST_F(own, mem_limit_bounds_writes)
{
	static u8 data[128 * 1024];
	const struct sdp_soc *soc = sdp_soc_by_name("imx6ull");
	struct imxf_board *bp = &self->b;
	char node[64], buf[512];
	u32 st;
	int fd;

	ASSERT_EQ(0, imxf_board_create(bp, "lim", UDC, "imx6ull", "open",
				       64 * 1024));
	ASSERT_EQ(0, imxf_find_hidraw(soc->vid, soc->pid, node, sizeof(node),
				      10000));
	fd = self->fd = open(node, O_RDWR);
	ASSERT_LE(0, fd);
	imxf_fill_pattern(data, sizeof(data), 1);
	ASSERT_EQ(0, sdp_write_file(fd, soc->ddr.base, data, sizeof(data),
				    &st));
	EXPECT_EQ(SDP_HAB_EVENT(0x33, 0x2e, 0xc0, 0), st);
	ASSERT_LT(0, imxf_board_attr(bp, "stats", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "mem_used 0\n"));
	ASSERT_LT(0, imxf_board_attr(bp, "last_error", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "mem_limit"));
	ASSERT_EQ(0, sdp_write_file(fd, soc->ddr.base, data, 32 * 1024, &st));
	EXPECT_EQ(SDP_ACK_FILE, st);
}

/* Every ROM profile: identity, HAB state, OCRAM and DDR, SKIP_DCD rule. */
TEST_F(own, all_profiles)
{
	u8 data[2048], got[2048];
	unsigned int i;

	for (i = 0; i < SDP_SOC_COUNT; i++) {
		const struct sdp_soc *s = &sdp_socs[i];
		struct imxf_board *bp = &self->b;
		char node[64];
		u32 hab, st;
		int fd;

		ASSERT_EQ(0, imxf_board_create(bp, "prof", UDC, s->name,
					       "open", 0));
		ASSERT_EQ(0, imxf_find_hidraw(s->vid, s->pid, node,
					      sizeof(node), 10000)) {
			TH_LOG("%s: no hidraw node", s->name);
		}
		fd = self->fd = open(node, O_RDWR);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, sdp_simple(fd, SDP_ERROR_STATUS, 0, 0, 0, 0, &hab,
					&st));
		EXPECT_EQ(SDP_HAB_OPEN, hab);
		imxf_fill_pattern(data, sizeof(data), i);
		ASSERT_EQ(0, sdp_write_file(fd, s->ocram.base + 0x1000, data,
					    sizeof(data), &st));
		EXPECT_EQ(SDP_ACK_FILE, st) {
			TH_LOG("%s: OCRAM write", s->name);
		}
		ASSERT_EQ(0, sdp_write_file(fd, s->ddr.base + 0x100000, data,
					    sizeof(data), &st));
		EXPECT_EQ(SDP_ACK_FILE, st);
		ASSERT_EQ(0, sdp_read(fd, s->ddr.base + 0x100000,
				      SDP_FORMAT_32, sizeof(got), got));
		EXPECT_EQ(0, memcmp(got, data, sizeof(got))) {
			TH_LOG("%s: DDR read back", s->name);
		}
		ASSERT_EQ(0, sdp_simple(fd, SDP_SKIP_DCD_HEADER, 0, 0, 0, 0,
					&hab, &st));
		if (s->flags & SDP_SOC_SKIP_DCD) {
			EXPECT_EQ(SDP_ACK_SKIP_DCD, st);
		} else {
			EXPECT_EQ(0x33, SDP_HAB_EVT_STATUS(st));
		}
		close(fd);
		self->fd = -1;
		imxf_board_destroy(bp);
		ASSERT_EQ(0, imxf_wait_usb_gone(s->vid, s->pid, 5000));
	}
}

TEST_HARNESS_MAIN
