// SPDX-License-Identifier: GPL-2.0
/*
 * hid-imx-sdp selftest: the /dev/imx-sdpN ABI against the usb_f_sdp ROM
 * emulator on dummy_hcd, inside the test VM.
 *
 * Every ioctl for every SoC profile, pread/pwrite, the ROM's answers as
 * errno + status, and the hard cases: closed HAB, a second opener while a
 * transfer runs, a signal during an upload, the board unplugged during an
 * upload, reserved fields, unknown ioctls. Memory is checked through the
 * emulator's debugfs window.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <imxflash/imx_image.h>
#include <imxflash/sdp_proto.h>
#include <imxflash/sdp_soc.h>
#include <linux/imx_sdp.h>

#include "gadget_util.h"
#include "kselftest_harness.h"

#define UDC	"dummy_udc.0"

/* The /dev/imx-sdpN whose HID parent is @vid:@pid, waiting up to @ms. */
static int find_node(u16 vid, u16 pid, char *node, size_t size, int ms)
{
	long end = imxf_now_ms() + ms;
	char want[32];

	snprintf(want, sizeof(want), "0003:%04X:%04X.", vid, pid);
	do {
		DIR *d = opendir("/sys/class/imx_sdp");
		struct dirent *e;

		while (d && (e = readdir(d))) {
			char link[PATH_MAX], path[600], st[32];
			ssize_t n;

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path),
				 "/sys/class/imx_sdp/%s/device", e->d_name);
			n = readlink(path, link, sizeof(link) - 1);
			if (n <= 0)
				continue;
			link[n] = 0;
			if (!strstr(link, want))
				continue;
			snprintf(path, sizeof(path),
				 "/sys/class/imx_sdp/%s/state", e->d_name);
			if (imxf_read_file(path, st, sizeof(st)) < 0 ||
			    !strcmp(st, "gone"))
				continue;
			snprintf(node, size, "/dev/%.40s", e->d_name);
			if (access(node, R_OK | W_OK) == 0) {
				closedir(d);
				return 0;
			}
		}
		if (d)
			closedir(d);
		usleep(20000);
	} while (imxf_now_ms() < end);
	return -ENOENT;
}

static int sysattr(const char *node, const char *attr, char *buf, size_t n)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/class/imx_sdp/%s/%s", node + 5,
		 attr);
	return imxf_read_file(path, buf, n);
}

static int sdp_ioctl(int fd, unsigned long req, struct imx_sdp_cmd *c)
{
	return ioctl(fd, req, c) ? -errno : 0;
}

static int write_file(int fd, u32 addr, const void *buf, u32 len,
		      struct imx_sdp_cmd *c)
{
	memset(c, 0, sizeof(*c));
	c->addr = addr;
	c->count = len;
	c->data = (unsigned long)buf;
	return sdp_ioctl(fd, IMX_SDP_IOC_WRITE_FILE, c);
}

/* A loadable image at @self (IVT, boot data, payload), as in usb_f_sdp_test. */
static u32 build_image(u8 *buf, u32 len, const struct sdp_soc *soc, u32 self)
{
	struct imx_ivt ivt = { .version = soc->ivt_version };
	struct imx_boot_data bd = { 0 };

	imxf_fill_pattern(buf, len, self);
	ivt.entry = self + 0xc00;
	ivt.self = self;
	ivt.boot_data = self + 0x20;
	bd.start = self - 0x400;
	bd.length = len + 0x400;
	imx_ivt_encode(&ivt, buf);
	imx_boot_data_encode(&bd, buf + 0x20);
	return len;
}

FIXTURE(dev) {
	struct imxf_board b;
	const struct sdp_soc *soc;
	char node[64];
	int fd;
};

FIXTURE_VARIANT(dev) {
	const char *soc;
};

FIXTURE_VARIANT_ADD(dev, imx6q) { .soc = "imx6q" };
FIXTURE_VARIANT_ADD(dev, imx6dl) { .soc = "imx6dl" };
FIXTURE_VARIANT_ADD(dev, imx6sl) { .soc = "imx6sl" };
FIXTURE_VARIANT_ADD(dev, imx6sx) { .soc = "imx6sx" };
FIXTURE_VARIANT_ADD(dev, imx6ul) { .soc = "imx6ul" };
FIXTURE_VARIANT_ADD(dev, imx6ull) { .soc = "imx6ull" };
FIXTURE_VARIANT_ADD(dev, imx6sll) { .soc = "imx6sll" };
FIXTURE_VARIANT_ADD(dev, imx7d) { .soc = "imx7d" };
FIXTURE_VARIANT_ADD(dev, imx7ulp) { .soc = "imx7ulp" };
FIXTURE_VARIANT_ADD(dev, imx8mq) { .soc = "imx8mq" };
FIXTURE_VARIANT_ADD(dev, imx8mm) { .soc = "imx8mm" };

/* Plug a board and open its node; 0 or -errno. */
static int plug_open(struct imxf_board *b, const char *name, const char *soc,
		     const char *hab, char *node, size_t size, int *fd)
{
	const struct sdp_soc *s = sdp_soc_by_name(soc);
	int err;

	*fd = -1;
	if (!s)
		return -EINVAL;
	err = imxf_board_create(b, name, UDC, soc, hab, 0);
	err = err ?: find_node(s->vid, s->pid, node, size, 10000);
	if (err)
		return err;
	*fd = open(node, O_RDWR);
	return *fd < 0 ? -errno : 0;
}

static void unplug_close(struct imxf_board *b, const struct sdp_soc *s,
			 int fd)
{
	if (fd >= 0)
		close(fd);
	imxf_board_destroy(b);
	imxf_wait_usb_gone(s->vid, s->pid, 5000);
}

FIXTURE_SETUP(dev)
{
	self->soc = sdp_soc_by_name(variant->soc);
	ASSERT_NE(NULL, self->soc);
	ASSERT_EQ(0, plug_open(&self->b, "h0", variant->soc, "open",
			       self->node, sizeof(self->node), &self->fd));
}

FIXTURE_TEARDOWN(dev)
{
	unplug_close(&self->b, self->soc, self->fd);
}

TEST_F(dev, info_and_sysfs)
{
	struct imx_sdp_info info;
	char buf[64];

	memset(&info, 0xa5, sizeof(info));
	ASSERT_EQ(0, ioctl(self->fd, IMX_SDP_IOC_INFO, &info));
	EXPECT_EQ(self->soc->vid, (u16)info.vendor);
	EXPECT_EQ(self->soc->pid, (u16)info.product);
	EXPECT_STREQ(self->soc->name, info.soc);
	EXPECT_EQ(self->soc->dcd_addr, (u32)info.dcd_addr);
	EXPECT_EQ(!!(self->soc->flags & SDP_SOC_SKIP_DCD),
		  !!(info.flags & IMX_SDP_INFO_SKIP_DCD));
	EXPECT_EQ(self->soc->ivt_version == IMX_IVT_V41,
		  !!(info.flags & IMX_SDP_INFO_IVT_V41));
	EXPECT_EQ(0u, info.reserved[0] | info.reserved[1]);
	/* read at probe from the profile's fuse shadows, as configured */
	ASSERT_LT(0, imxf_board_attr(&self->b, "uid", buf, sizeof(buf)));
	ASSERT_NE(0u, info.flags & IMX_SDP_INFO_UID);
	EXPECT_EQ(strtoull(buf, NULL, 16), (unsigned long long)info.uid);
	ASSERT_LT(0, sysattr(self->node, "uid", buf + 32, sizeof(buf) - 32));
	EXPECT_STREQ(buf, buf + 32);
	EXPECT_EQ((u32)IMX_SDP_HAB_OPEN, info.hab);
	ASSERT_LT(0, sysattr(self->node, "port", buf, sizeof(buf)));
	EXPECT_STREQ(buf, info.port);
	ASSERT_LT(0, sysattr(self->node, "soc", buf, sizeof(buf)));
	EXPECT_STREQ(self->soc->name, buf);
	ASSERT_LT(0, sysattr(self->node, "state", buf, sizeof(buf)));
	EXPECT_STREQ("idle", buf);
}

TEST_F(dev, error_status_and_hab)
{
	struct imx_sdp_cmd c = { 0 };
	char buf[32];

	ASSERT_EQ(0, sdp_ioctl(self->fd, IMX_SDP_IOC_ERROR_STATUS, &c));
	EXPECT_EQ((u32)IMX_SDP_HAB_OPEN, c.hab);
	EXPECT_EQ(SDP_STATUS_OK, c.status);
	ASSERT_LT(0, sysattr(self->node, "hab", buf, sizeof(buf)));
	EXPECT_STREQ("open", buf);
}

TEST_F(dev, registers)
{
	/* Any count with a 32-bit format, as imx_usb -v reads a tail. */
	static const u32 counts[] = { 1, 4, 8, 59, 64, 68, 123, 200, 1000 };
	u32 reg = self->soc->periph.base + 0x180;
	struct imx_sdp_cmd c = { 0 };
	u8 mem[1024], got[1024] = { 0 };
	unsigned int i;

	c.addr = reg;
	c.format = IMX_SDP_FORMAT_32;
	c.value = 0xdeadbeef;
	ASSERT_EQ(0, sdp_ioctl(self->fd, IMX_SDP_IOC_WRITE_REG, &c));
	EXPECT_EQ(SDP_ACK_WRITE, c.status);
	c.addr = reg + 4;
	c.format = IMX_SDP_FORMAT_16;
	c.value = 0x1234;
	ASSERT_EQ(0, sdp_ioctl(self->fd, IMX_SDP_IOC_WRITE_REG, &c));
	c.addr = reg + 6;
	c.format = IMX_SDP_FORMAT_8;
	c.value = 0x56;
	ASSERT_EQ(0, sdp_ioctl(self->fd, IMX_SDP_IOC_WRITE_REG, &c));
	memset(&c, 0, sizeof(c));
	c.addr = reg;
	c.format = IMX_SDP_FORMAT_32;
	c.count = 8;
	c.data = (unsigned long)got;
	ASSERT_EQ(0, sdp_ioctl(self->fd, IMX_SDP_IOC_READ_REG, &c));
	EXPECT_EQ(0xdeadbeefu, imxf_get_le32(got));
	EXPECT_EQ(0x1234, got[4] | got[5] << 8);
	EXPECT_EQ(0x56, got[6]);

	imxf_fill_pattern(mem, sizeof(mem), 3);
	ASSERT_EQ(0, imxf_board_mem_write(&self->b, self->soc->ocram.base +
					  0x2000, mem, sizeof(mem)));
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		memset(got, 0, sizeof(got));
		c.addr = self->soc->ocram.base + 0x2000;
		c.format = IMX_SDP_FORMAT_32;
		c.count = counts[i];
		c.data = (unsigned long)got;
		ASSERT_EQ(0, sdp_ioctl(self->fd, IMX_SDP_IOC_READ_REG, &c));
		EXPECT_EQ(0, memcmp(got, mem, counts[i])) {
			TH_LOG("READ_REG count %u", counts[i]);
		}
	}
}

TEST_F(dev, write_file_pread_pwrite)
{
	static u8 data[300 * 1024 + 7], mem[300 * 1024 + 7];
	u32 addr = self->soc->ddr.base + 0x100000;
	struct imx_sdp_cmd c;
	char prog[64];

	imxf_fill_pattern(data, sizeof(data), 17);
	ASSERT_EQ(0, write_file(self->fd, addr, data, sizeof(data), &c));
	EXPECT_EQ(SDP_ACK_FILE, c.status);
	ASSERT_EQ(0, imxf_board_mem_read(&self->b, addr, mem, sizeof(mem)));
	EXPECT_EQ(0, memcmp(mem, data, sizeof(data)));
	ASSERT_LT(0, sysattr(self->node, "progress", prog, sizeof(prog)));
	EXPECT_STREQ("307207 307207", prog);

	/* pwrite = WRITE_FILE at the offset, pread = READ_REGISTER. */
	ASSERT_EQ(5000, pwrite(self->fd, data + 1, 5000, addr + 0x80000));
	memset(mem, 0, 5000);
	ASSERT_EQ(5000, pread(self->fd, mem, 5000, addr + 0x80000));
	EXPECT_EQ(0, memcmp(mem, data + 1, 5000));
	ASSERT_EQ(13, pread(self->fd, mem, 13, addr + 3));	/* unaligned */
	EXPECT_EQ(0, memcmp(mem, data + 3, 13));
}

TEST_F(dev, dcd_and_skip_dcd)
{
	u32 p = self->soc->periph.base;
	struct imx_dcd_builder b;
	struct imx_sdp_cmd c = { 0 };
	u8 dcd[128], mem[4];
	int len, err;

	imx_dcd_begin(&b, dcd, sizeof(dcd), self->soc->ivt_version);
	imx_dcd_add_write(&b, 4, p + 0x300, 0x0badc0de);
	imx_dcd_add_check(&b, 4 | IMX_DCD_FLAG_SET, p + 0x300, 0x0b000000, 2,
			  true);
	len = imx_dcd_end(&b);
	ASSERT_LT(0, len);
	c.addr = self->soc->dcd_addr;
	c.count = len;
	c.data = (unsigned long)dcd;
	ASSERT_EQ(0, sdp_ioctl(self->fd, IMX_SDP_IOC_DCD_WRITE, &c));
	EXPECT_EQ(SDP_ACK_WRITE, c.status);
	ASSERT_EQ(0, imxf_board_mem_read(&self->b, p + 0x300, mem, 4));
	EXPECT_EQ(0x0badc0deu, imxf_get_le32(mem));

	memset(&c, 0, sizeof(c));
	err = sdp_ioctl(self->fd, IMX_SDP_IOC_SKIP_DCD, &c);
	if (self->soc->flags & SDP_SOC_SKIP_DCD) {
		EXPECT_EQ(0, err);
		EXPECT_EQ(SDP_ACK_SKIP_DCD, c.status);
	} else {
		EXPECT_EQ(-EIO, err);
		EXPECT_EQ(0x33, SDP_HAB_EVT_STATUS(c.status));
	}
}

TEST_F(dev, jump_bad_then_good)
{
	static u8 img[8192];
	u32 self_addr = self->soc->ddr.base + 0x7ff400;
	struct imx_sdp_cmd c;
	char buf[256];

	build_image(img, sizeof(img), self->soc, self_addr);
	img[0] = 0;		/* no IVT */
	ASSERT_EQ(0, write_file(self->fd, self_addr, img, sizeof(img), &c));
	memset(&c, 0, sizeof(c));
	c.addr = self_addr;
	EXPECT_EQ(-EIO, sdp_ioctl(self->fd, IMX_SDP_IOC_JUMP, &c));
	EXPECT_EQ(SDP_HAB_EVENT(0x33, 0x05, 0x0a, 0), c.status);
	ASSERT_LT(0, sysattr(self->node, "last_error", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "JUMP")) {
		TH_LOG("last_error: %s", buf);
	}

	build_image(img, sizeof(img), self->soc, self_addr);
	ASSERT_EQ(0, write_file(self->fd, self_addr, img, sizeof(img), &c));
	memset(&c, 0, sizeof(c));
	c.addr = self_addr;
	EXPECT_EQ(0, sdp_ioctl(self->fd, IMX_SDP_IOC_JUMP, &c));
	EXPECT_EQ(0, imxf_board_wait_attr(&self->b, "state", "booted", 5000));
	/* The board left the bus: the node fails every call with -ENODEV. */
	EXPECT_EQ(0, imxf_wait_usb_gone(self->soc->vid, self->soc->pid, 5000));
	memset(&c, 0, sizeof(c));
	EXPECT_EQ(-ENODEV, sdp_ioctl(self->fd, IMX_SDP_IOC_ERROR_STATUS, &c));
}

/*
 * Bad calls, concurrency and unplug: on one i.MX6Q. A fixture of its own
 * (same members and plug_open/unplug_close as "dev") because the harness
 * runs every test of a fixture on every variant: these need the two HAB
 * states, not the eleven SoCs.
 */
FIXTURE(neg) {
	struct imxf_board b;
	const struct sdp_soc *soc;
	char node[64];
	int fd;
};

FIXTURE_VARIANT(neg) {
	const char *hab;
};

/* open: everything; closed: the HAB answers (other tests return early). */
FIXTURE_VARIANT_ADD(neg, open) { .hab = "open" };
FIXTURE_VARIANT_ADD(neg, closed) { .hab = "closed" };

FIXTURE_SETUP(neg)
{
	self->soc = sdp_soc_by_name("imx6q");
	ASSERT_EQ(0, plug_open(&self->b, "n0", "imx6q", variant->hab,
			       self->node, sizeof(self->node), &self->fd));
}

FIXTURE_TEARDOWN(neg)
{
	unplug_close(&self->b, self->soc, self->fd);
}

TEST_F(neg, invalid_arguments)
{
	struct imx_sdp_cmd c = { 0 };
	u8 buf[64];

	c.reserved[2] = 1;
	EXPECT_EQ(-EINVAL, sdp_ioctl(self->fd, IMX_SDP_IOC_ERROR_STATUS, &c));
	memset(&c, 0, sizeof(c));
	c.flags = 0x80;
	EXPECT_EQ(-EINVAL, sdp_ioctl(self->fd, IMX_SDP_IOC_WRITE_FILE, &c));
	memset(&c, 0, sizeof(c));
	c.addr = self->soc->ocram.base;
	c.format = 0x18;		/* not 8/16/32 */
	c.count = 4;
	c.data = (unsigned long)buf;
	EXPECT_EQ(-EINVAL, sdp_ioctl(self->fd, IMX_SDP_IOC_READ_REG, &c));
	c.format = IMX_SDP_FORMAT_32;
	c.count = 0;
	EXPECT_EQ(-EINVAL, sdp_ioctl(self->fd, IMX_SDP_IOC_READ_REG, &c));
	memset(&c, 0, sizeof(c));
	c.count = IMX_SDP_MAX_XFER + 1;
	c.data = (unsigned long)buf;
	EXPECT_EQ(-EINVAL, sdp_ioctl(self->fd, IMX_SDP_IOC_WRITE_FILE, &c));
	memset(&c, 0, sizeof(c));
	c.count = 4096;
	c.data = 16;			/* unmapped user pointer */
	c.addr = self->soc->ddr.base;
	EXPECT_EQ(-EFAULT, sdp_ioctl(self->fd, IMX_SDP_IOC_WRITE_FILE, &c));
	memset(&c, 0, sizeof(c));
	c.count = 2000;			/* DCD larger than 1768 */
	c.data = (unsigned long)buf;
	c.addr = self->soc->dcd_addr;
	EXPECT_EQ(-EINVAL, sdp_ioctl(self->fd, IMX_SDP_IOC_DCD_WRITE, &c));
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(IMX_SDP_IOC_MAGIC, 0x3f,
					    struct imx_sdp_cmd), &c));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IO('H', 0x01)));
	EXPECT_EQ(ENOTTY, errno);
	/* The board still answers after all of that. */
	memset(&c, 0, sizeof(c));
	EXPECT_EQ(0, sdp_ioctl(self->fd, IMX_SDP_IOC_ERROR_STATUS, &c));
}

TEST_F(neg, rom_refusals_name_the_hab_event)
{
	static u8 img[8192];
	struct imx_sdp_cmd c;
	char buf[256];
	u32 self_addr = self->soc->ddr.base + 0x7ff400;

	/* Outside the memory map: the ROM's HAB event, -EIO, last_error. */
	ASSERT_EQ(-EIO, write_file(self->fd, 0x400, img, 2048, &c));
	EXPECT_EQ(SDP_HAB_EVENT(0x33, 0x22, 0xc0, 0), c.status);
	ASSERT_LT(0, sysattr(self->node, "last_error", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "WRITE_FILE")) {
		TH_LOG("last_error: %s", buf);
	}

	/* An unsigned image: boots when open, HAB event when closed. */
	build_image(img, sizeof(img), self->soc, self_addr);
	ASSERT_EQ(0, write_file(self->fd, self_addr, img, sizeof(img), &c));
	EXPECT_EQ(strcmp(variant->hab, "closed") ? (u32)IMX_SDP_HAB_OPEN :
		  (u32)IMX_SDP_HAB_CLOSED, c.hab);
	memset(&c, 0, sizeof(c));
	c.addr = self_addr;
	if (!strcmp(variant->hab, "closed")) {
		EXPECT_EQ(-EIO, sdp_ioctl(self->fd, IMX_SDP_IOC_JUMP, &c));
		EXPECT_EQ(SDP_HAB_EVENT(0x33, 0x11, 0x0a, 0), c.status);
		ASSERT_LT(0, sysattr(self->node, "hab", buf, sizeof(buf)));
		EXPECT_STREQ("closed", buf);
	} else {
		EXPECT_EQ(0, sdp_ioctl(self->fd, IMX_SDP_IOC_JUMP, &c));
	}
}

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

/* Run a @len WRITE_FILE in a child; return its pid, result in *@shared. */
static pid_t upload_in_child(const char *node, u32 addr, u32 len, int *shared,
			     int nonblock_probe)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	{
		struct sigaction sa = { .sa_handler = on_signal };
		struct imx_sdp_cmd c;
		u8 *buf = malloc(len);
		int fd = open(node, O_RDWR);

		sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART */
		imxf_fill_pattern(buf, len, 5);
		shared[1] = 1;			/* started */
		shared[0] = fd < 0 ? -errno : write_file(fd, addr, buf, len, &c);
		_exit(0);
	}
	(void)nonblock_probe;
}

static int *shared_page(void)
{
	int *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	p[0] = 1;
	p[1] = 0;
	return p;
}

static void wait_progress(const char *node, u32 min_done)
{
	long end = imxf_now_ms() + 10000;
	char buf[64];

	while (imxf_now_ms() < end) {
		if (sysattr(node, "progress", buf, sizeof(buf)) > 0 &&
		    strtoul(buf, NULL, 10) >= min_done)
			return;
		usleep(5000);
	}
}

TEST_F(neg, second_opener_while_busy)
{
	int *sh = shared_page();
	struct imx_sdp_cmd c = { 0 };
	pid_t pid;
	int fd2, st;

	if (!strcmp(variant->hab, "closed"))
		return;		/* the open variant covers it */
	pid = upload_in_child(self->node, self->soc->ddr.base, 24 << 20, sh, 0);
	wait_progress(self->node, 64 * 1024);
	fd2 = open(self->node, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, fd2);
	EXPECT_EQ(-EBUSY, sdp_ioctl(fd2, IMX_SDP_IOC_ERROR_STATUS, &c));
	close(fd2);
	/* A blocking caller waits for the transfer, then gets its turn. */
	memset(&c, 0, sizeof(c));
	EXPECT_EQ(0, sdp_ioctl(self->fd, IMX_SDP_IOC_ERROR_STATUS, &c));
	waitpid(pid, &st, 0);
	EXPECT_EQ(0, sh[0]);
}

TEST_F(neg, signal_during_upload)
{
	int *sh = shared_page();
	struct imx_sdp_cmd c = { 0 };
	static u8 data[8192];
	pid_t pid;
	int st;

	if (!strcmp(variant->hab, "closed"))
		return;		/* the open variant covers it */
	pid = upload_in_child(self->node, self->soc->ddr.base, 48 << 20, sh, 0);
	wait_progress(self->node, 256 * 1024);
	kill(pid, SIGUSR1);
	waitpid(pid, &st, 0);
	EXPECT_EQ(-EINTR, sh[0]);
	/* The ROM waits for data that will not come: ERROR_STATUS resyncs. */
	EXPECT_EQ(0, sdp_ioctl(self->fd, IMX_SDP_IOC_ERROR_STATUS, &c));
	imxf_fill_pattern(data, sizeof(data), 8);
	EXPECT_EQ(0, write_file(self->fd, self->soc->ddr.base + 0x4000000, data,
				sizeof(data), &c));
}

TEST_F(neg, unplug_mid_upload)
{
	int *sh = shared_page();
	struct imx_sdp_cmd c = { 0 };
	char buf[32];
	pid_t pid;
	int st;

	if (!strcmp(variant->hab, "closed"))
		return;		/* the open variant covers it */
	pid = upload_in_child(self->node, self->soc->ddr.base, 48 << 20, sh, 0);
	wait_progress(self->node, 256 * 1024);
	ASSERT_EQ(0, imxf_board_unbind(&self->b));
	waitpid(pid, &st, 0);
	EXPECT_EQ(-ENODEV, sh[0]);
	EXPECT_EQ(-ENODEV, sdp_ioctl(self->fd, IMX_SDP_IOC_ERROR_STATUS, &c));
	EXPECT_EQ(-1, pread(self->fd, buf, 4, self->soc->ocram.base));
	EXPECT_EQ(ENODEV, errno);
	close(self->fd);
	self->fd = -1;
	/* Plugged in again: a new node that works. */
	ASSERT_EQ(0, imxf_wait_usb_gone(self->soc->vid, self->soc->pid, 5000));
	ASSERT_EQ(0, imxf_board_bind(&self->b));
	ASSERT_EQ(0, find_node(self->soc->vid, self->soc->pid, self->node,
			       sizeof(self->node), 10000));
	self->fd = open(self->node, O_RDWR);
	ASSERT_LE(0, self->fd);
	EXPECT_EQ(0, sdp_ioctl(self->fd, IMX_SDP_IOC_ERROR_STATUS, &c));
}

TEST_F(neg, hidraw_stays_and_driver_displaces_hid_generic)
{
	char link[PATH_MAX], path[300];
	struct dirent *e;
	DIR *d;
	int found = 0, hidraw = 0;

	d = opendir("/sys/bus/hid/devices");
	ASSERT_NE(NULL, d);
	while ((e = readdir(d))) {
		ssize_t n;

		if (!strstr(e->d_name, ":15A2:0054."))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/hid/devices/%s/driver",
			 e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = 0;
			found |= strstr(link, "imx-sdp") != NULL ||
				 strstr(link, "imx_sdp") != NULL;
		}
		snprintf(path, sizeof(path), "/sys/bus/hid/devices/%s/hidraw",
			 e->d_name);
		hidraw |= access(path, F_OK) == 0;
	}
	closedir(d);
	EXPECT_TRUE(found);
	EXPECT_TRUE(hidraw);
}

TEST_HARNESS_MAIN
