// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_fastboot selftest: the host or the device going away in the
 * middle of a download or a flash, over raw usbfs, inside the test VM,
 * run by fastboot_bad.sh (fixture: fastboot_bad.h). The host closing its
 * fd, releasing the interface or resetting the device, the gadget
 * unbound or the function unlinked: the device must come back and answer,
 * flash no abandoned download and write nothing outside the partition.
 * Also the memory bound of the download buffer.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/usbdevice_fs.h>

#include "fastboot_bad.h"

/* ---- host or device vanishing mid-download --------------------------------- */

/* Submit @len bytes asynchronously to the OUT endpoint. */
static int submit_out(struct fbt_dev *d, struct usbdevfs_urb *u, void *buf,
		      size_t len)
{
	memset(u, 0, sizeof(*u));
	u->type = USBDEVFS_URB_TYPE_BULK;
	u->endpoint = d->ep_out;
	u->buffer = buf;
	u->buffer_length = len;
	return ioctl(d->fd, USBDEVFS_SUBMITURB, u) < 0 ? -errno : 0;
}

/* After an abandoned download: no complete image may be flashed. */
static void after_vanish(struct __test_metadata *_metadata,
			 struct _test_data_fb *self)
{
	int t;

	ASSERT_EQ(FBT_OKAY, fbt_cmd(&self->d, &self->r, "getvar:version")) {
		TH_LOG("device does not answer after the host came back: %d '%s'",
		       self->r.tag, self->r.text);
	}
	t = fbt_cmd(&self->d, &self->r, "flash:%s", self->part);
	ASSERT_EQ(FBT_FAIL, t) {
		TH_LOG("flash of an abandoned download: '%s'", self->r.text);
	}
	ASSERT_RULES();
	ASSERT_TRUE(fbt_names(self->r.text, "download", "no data", "nothing",
			      "no image", "incomplete", "abort",
			      (const char *)NULL)) {
		TH_LOG("FAIL '%s' does not say why", self->r.text);
	}
	/* nor uploaded */
	t = fbt_cmd(&self->d, &self->r, "upload");
	ASSERT_EQ(FBT_FAIL, t) {
		TH_LOG("upload of an abandoned download: '%s'", self->r.text);
	}
	ASSERT_ALIVE_UNCHANGED();
}

/* Host side USB reset: what a replug or a new host would do. */
static int host_reset(struct fbt_dev *d, const char *serial)
{
	int fd = open(d->node, O_RDWR);

	if (fd < 0)
		return -errno;
	if (ioctl(fd, USBDEVFS_RESET, 0) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	return fbt_open(d, serial, 10000);
}

TEST_F_TIMEOUT(fb, host_closes_fd_mid_download, 60)
{
	size_t n = 3 << 20;
	uint8_t *data = malloc(n);
	struct usbdevfs_urb u;

	imxf_fill_pattern(data, n, 61);
	/* a complete download first: the vanished one must not reuse it */
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, data, 4096, &self->r));
	ASSERT_EQ(FBT_DATA, fbt_cmd(&self->d, &self->r, "download:%08zx", n));
	ASSERT_EQ(0, submit_out(&self->d, &u, data, n));
	usleep(5000);
	close(self->d.fd);	/* kills the URB, releases the interface */
	self->d.fd = -1;
	ASSERT_EQ(0, host_reset(&self->d, self->serial));
	after_vanish(_metadata, self);
	free(data);
}

TEST_F_TIMEOUT(fb, host_releases_interface_mid_download, 60)
{
	size_t n = 3 << 20;
	uint8_t *data = malloc(n);
	struct usbdevfs_urb u, *done;

	imxf_fill_pattern(data, n, 62);
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, data, 4096, &self->r));
	ASSERT_EQ(FBT_DATA, fbt_cmd(&self->d, &self->r, "download:%08zx", n));
	ASSERT_EQ(0, submit_out(&self->d, &u, data, n));
	usleep(5000);
	ASSERT_EQ(0, ioctl(self->d.fd, USBDEVFS_RELEASEINTERFACE, &self->d.ifnum));
	/* the URB was given back, cancelled */
	ioctl(self->d.fd, USBDEVFS_REAPURBNDELAY, &done);
	close(self->d.fd);
	self->d.fd = -1;
	ASSERT_EQ(0, host_reset(&self->d, self->serial));
	after_vanish(_metadata, self);
	free(data);
}

TEST_F_TIMEOUT(fb, device_unplugged_mid_download, 60)
{
	size_t n = 3 << 20;
	uint8_t *data = malloc(n);
	struct usbdevfs_urb u, *done = NULL;
	int r;

	imxf_fill_pattern(data, n, 63);
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, data, 4096, &self->r));
	ASSERT_EQ(FBT_DATA, fbt_cmd(&self->d, &self->r, "download:%08zx", n));
	ASSERT_EQ(0, submit_out(&self->d, &u, data, n));
	usleep(5000);
	ASSERT_EQ(0, udc_bind(self, 0));
	/* the host sees the URB fail (or the device gone) */
	r = ioctl(self->d.fd, USBDEVFS_REAPURB, &done);
	ASSERT_TRUE(r ? errno == ENODEV : done->status != 0);
	fbt_close(&self->d);
	ASSERT_EQ(0, udc_bind(self, 1));
	ASSERT_EQ(0, fbt_open(&self->d, self->serial, 10000));
	after_vanish(_metadata, self);
	free(data);
}

/* ---- work in progress when the device goes away ------------------------- */

/* Hash of the store outside the partition. */
static uint64_t outside_hash(struct _test_data_fb *self)
{
	return fbt_hash_range(self->store, 0, self->part_off) ^
	       (fbt_hash_range(self->store, self->part_off + self->part_size,
			       UINT64_MAX) * 31);
}

/*
 * Start a flash of the whole partition, then after @ms take the device off
 * the bus (@unlink: also out of its configuration, which frees the
 * function while its worker may be busy). The device must come back and
 * answer, nothing outside the partition may have changed; what the
 * partition holds is whatever part of the flash got done.
 */
static void vanish_mid_flash(struct __test_metadata *_metadata,
			     struct _test_data_fb *self, int unlink_fn, int ms)
{
	size_t n = self->part_size;
	uint8_t *data = malloc(n);
	uint64_t out = outside_hash(self);
	char c[80];
	int t;

	imxf_fill_pattern(data, n, 91);
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, data, n, &self->r));
	snprintf(c, sizeof(c), "flash:%s", self->part);
	ASSERT_LT(0, fbt_bulk(&self->d, self->d.ep_out, c, strlen(c), 5000));
	usleep(ms * 1000);
	ASSERT_EQ(0, unlink_fn ? plug(self, 0) : udc_bind(self, 0));
	fbt_close(&self->d);
	ASSERT_EQ(0, unlink_fn ? plug(self, 1) : udc_bind(self, 1));
	ASSERT_EQ(0, fbt_open(&self->d, self->serial, 20000));
	fbt_drain(&self->d, 200);
	t = fbt_cmd(&self->d, &self->r, "getvar:version");
	ASSERT_EQ(FBT_OKAY, t) {
		TH_LOG("no answer after the flash was cut off: %d '%s'", t, self->r.text);
	}
	ASSERT_RULES();
	ASSERT_EQ(out, outside_hash(self)) {
		TH_LOG("bytes outside the partition changed");
	}
	/* and it still flashes */
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, data, 8192, &self->r));
	ASSERT_EQ(FBT_OKAY, fbt_cmd(&self->d, &self->r, "flash:%s", self->part));
	ASSERT_TRUE(check_part(self, data, 8192));
	free(data);
}

TEST_F_TIMEOUT(fb, device_unplugged_mid_flash, 90)
{
	vanish_mid_flash(_metadata, self, 0, 30);
}

TEST_F_TIMEOUT(fb, function_unlinked_mid_flash, 90)
{
	vanish_mid_flash(_metadata, self, 1, 30);
}

TEST_F_TIMEOUT(fb, function_unlinked_mid_download, 60)
{
	size_t n = 3 << 20;
	uint8_t *data = malloc(n);
	struct usbdevfs_urb u, *done = NULL;

	imxf_fill_pattern(data, n, 64);
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, data, 4096, &self->r));
	ASSERT_EQ(FBT_DATA, fbt_cmd(&self->d, &self->r, "download:%08zx", n));
	ASSERT_EQ(0, submit_out(&self->d, &u, data, n));
	usleep(5000);
	/* off the bus and out of the configuration: the function is freed */
	ASSERT_EQ(0, plug(self, 0));
	ioctl(self->d.fd, USBDEVFS_REAPURB, &done);
	fbt_close(&self->d);
	ASSERT_EQ(0, plug(self, 1));
	ASSERT_EQ(0, fbt_open(&self->d, self->serial, 10000));
	after_vanish(_metadata, self);
	free(data);
}

/* ---- memory bound ------------------------------------------------------- */

TEST_F_TIMEOUT(fb, memory_high_water, 120)
{
	uint8_t *data = malloc(self->maxdl);
	char st[4096], path[512], *p;
	unsigned long long hw = 0;

	imxf_fill_pattern(data, self->maxdl, 81);
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, data, self->maxdl, &self->r));
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, data, self->maxdl, &self->r));
	snprintf(path, sizeof(path), "%s/stats", self->fdir);
	ASSERT_LT(0, imxf_read_file(path, st, sizeof(st)));
	p = strstr(st, "mem_high_water");
	ASSERT_NE(NULL, p) {
		TH_LOG("stats: %s", st);
	}
	p += strlen("mem_high_water");
	while (*p && (*p == ' ' || *p == ':' || *p == '=' || *p == '\t'))
		p++;
	hw = strtoull(p, NULL, 0);
	TH_LOG("mem_high_water %llu, max_download_size %u", hw, self->maxdl);
	ASSERT_GE(hw, self->maxdl) {
		TH_LOG("the buffer is not counted");
	}
	ASSERT_LE(hw, (unsigned long long)self->maxdl + (1 << 20));
	free(data);
}

TEST_HARNESS_MAIN
