// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_fastboot selftest: the device side of fastboot over raw usbfs
 * ioctls (no libusb), inside the test VM. fastboot_bad.sh creates the
 * gadget and the backing file and names them in the environment:
 *
 *   FB_GADGET  configfs gadget name; the function is fastboot.<name>
 *   FB_UDC     the UDC it is bound to (for unplug tests)
 *   FB_SERIAL  its serial number (how the interface is found)
 *   FB_STORE   the backing file of "storage" (a plain file)
 *   FB_PART    an explicit partition that is a region of FB_STORE
 *
 * Bad input of every kind must get a FAIL whose text names the problem,
 * leave the device answering getvar, and write nothing (checksum of the
 * whole backing file before and after). Also: fetch/upload read-back,
 * sparse images applied correctly (DONT_CARE untouched, the 29.0.6 short
 * piece, CRC32 chunks), lock state, host or device vanishing in the middle
 * of a download. Every response read anywhere is checked: at most 64
 * bytes, tag OKAY/FAIL/DATA/INFO, never INFO during a single getvar.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/usbdevice_fs.h>

#include "fastboot_usbfs.h"
#include "gadget_util.h"
#include "kselftest_harness.h"

#define CFS		"/sys/kernel/config/usb_gadget"
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

static const char *env(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

/* ---- the fixture ------------------------------------------------------- */

FIXTURE(fb) {
	struct fbt_dev d;
	struct fbt_resp r;
	char gadget[64], udc[64], serial[64], store[256], part[64];
	char fdir[256];
	uint64_t part_off, part_size, store_size;
	uint32_t maxdl;
	uint64_t sum;		/* hash of the store at setup */
};

static int attr(FIXTURE_DATA(fb) *self, const char *name, char *buf, size_t n)
{
	char p[1024];
	int r;

	snprintf(p, sizeof(p), "%s/%s", self->fdir, name);
	r = imxf_read_file(p, buf, n);
	return r < 0 ? r : 0;
}

static int set_attr(FIXTURE_DATA(fb) *self, const char *name, const char *v)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/%s", self->fdir, name);
	return imxf_write_file(p, v);
}

/* Bind the gadget to its UDC or unbind it (nothing to do if it is not). */
static int udc_bind(FIXTURE_DATA(fb) *self, int on)
{
	char p[256], cur[64] = "";

	snprintf(p, sizeof(p), CFS "/%s/UDC", self->gadget);
	if (!on && imxf_read_file(p, cur, sizeof(cur)) >= 0 && !cur[0])
		return 0;
	return imxf_write_file(p, on ? self->udc : "\n");
}

/*
 * Take the function out of its configuration (and the gadget off the
 * bus) or put it back: attributes can only be written while it is out.
 */
static int plug(FIXTURE_DATA(fb) *self, int on)
{
	char link[300], target[300];
	int ret;

	snprintf(link, sizeof(link), CFS "/%s/configs/c.1/fastboot.%s",
		 self->gadget, self->gadget);
	if (!on) {
		ret = udc_bind(self, 0);
		if (!ret && unlink(link))
			ret = -errno;
		return ret;
	}
	snprintf(target, sizeof(target), CFS "/%s/functions/fastboot.%s",
		 self->gadget, self->gadget);
	if (symlink(target, link) && errno != EEXIST)
		return -errno;
	return udc_bind(self, 1);
}

FIXTURE_SETUP(fb)
{
	char p[512], v[64];
	struct stat st;

	snprintf(self->gadget, sizeof(self->gadget), "%s", env("FB_GADGET", "fbbad"));
	snprintf(self->udc, sizeof(self->udc), "%s", env("FB_UDC", "dummy_udc.0"));
	snprintf(self->serial, sizeof(self->serial), "%s", env("FB_SERIAL", "IMXFBAD1"));
	snprintf(self->store, sizeof(self->store), "%s", env("FB_STORE", ""));
	snprintf(self->part, sizeof(self->part), "%s", env("FB_PART", "part"));
	snprintf(self->fdir, sizeof(self->fdir), CFS "/%s/functions/fastboot.%s",
		 self->gadget, self->gadget);
	ASSERT_EQ(0, stat(self->store, &st)) {
		TH_LOG("FB_STORE '%s' missing", self->store);
	}
	self->store_size = st.st_size;
	snprintf(p, sizeof(p), "partitions/%s/offset", self->part);
	ASSERT_EQ(0, attr(self, p, v, sizeof(v)));
	self->part_off = strtoull(v, NULL, 0);
	snprintf(p, sizeof(p), "partitions/%s/size", self->part);
	ASSERT_EQ(0, attr(self, p, v, sizeof(v)));
	self->part_size = strtoull(v, NULL, 0);
	ASSERT_EQ(0, attr(self, "max_download_size", v, sizeof(v)));
	self->maxdl = strtoul(v, NULL, 0);
	ASSERT_NE((uint64_t)0, self->part_size);
	ASSERT_GT(self->maxdl, self->part_size) {
		TH_LOG("fastboot_bad.sh sets max > part");
	}
	ASSERT_EQ(0, fbt_open(&self->d, self->serial, 10000)) {
		TH_LOG("no fastboot interface with serial %s", self->serial);
	}
	/* answers a test that failed half-way left unread */
	fbt_drain(&self->d, 100);
	self->sum = fbt_hash_file(self->store);
}

/*
 * Leave the gadget as the next test expects it: bound, unlocked, not in
 * the middle of a data phase (a test that failed half-way may not have).
 */
FIXTURE_TEARDOWN(fb)
{
	char p[256], v[64] = "";

	fbt_close(&self->d);
	snprintf(p, sizeof(p), CFS "/%s/UDC", self->gadget);
	imxf_read_file(p, v, sizeof(v));
	if (attr(self, "locked", v + 32, 16) == 0 && atoi(v + 32)) {
		udc_bind(self, 0);
		set_attr(self, "locked", "0");
		udc_bind(self, 1);
	} else if (!v[0]) {
		udc_bind(self, 1);
	}
	if (fbt_open(&self->d, self->serial, 10000) == 0) {
		struct fbt_resp r;

		if (fbt_cmd(&self->d, &r, "getvar:unlocked") == FBT_OKAY &&
		    strcmp(r.text, "yes"))
			fbt_cmd(&self->d, &r, "flashing unlock");
		fbt_close(&self->d);
	}
}

/* The response rules held for everything read by the last command. */
#define ASSERT_RULES() do { \
	ASSERT_EQ(0, self->r.bad) { \
		TH_LOG("%s", self->r.why); \
	} \
} while (0)

#define ASSERT_FAIL_NAMING(t, ...) do { \
	ASSERT_EQ(FBT_FAIL, (t)) { \
		TH_LOG("wanted FAIL, got %d '%s'", (t), self->r.text); \
	} \
	ASSERT_RULES(); \
	ASSERT_TRUE(fbt_names(self->r.text, __VA_ARGS__, (const char *)NULL)) { \
		TH_LOG("FAIL '%s' does not name the problem", self->r.text); \
	} \
} while (0)

/* Still alive, and the store is as it was at setup. */
#define ASSERT_ALIVE_UNCHANGED() do { \
	ASSERT_EQ(FBT_OKAY, fbt_cmd(&self->d, &self->r, "getvar:version")) { \
		TH_LOG("device no longer answers getvar: '%s'", self->r.text); \
	} \
	ASSERT_STREQ("0.4", self->r.text); \
	ASSERT_EQ(0, self->r.ninfo); \
	ASSERT_EQ(self->sum, fbt_hash_file(self->store)) { \
		TH_LOG("the backing file changed"); \
	} \
} while (0)

/* Download @s and flash it to the partition; expect a FAIL naming ... */
#define FLASH_BAD(s, ...) do { \
	int _t = fbt_download(&self->d, (s)->b, (s)->len, &self->r); \
	ASSERT_EQ(FBT_OKAY, _t) { \
		TH_LOG("download: %d '%s'", _t, self->r.text); \
	} \
	ASSERT_RULES(); \
	_t = fbt_cmd(&self->d, &self->r, "flash:%s", self->part); \
	ASSERT_FAIL_NAMING(_t, __VA_ARGS__); \
	ASSERT_ALIVE_UNCHANGED(); \
} while (0)

/* ---- commands ---------------------------------------------------------- */

TEST_F(fb, overlong_command)
{
	size_t n = 5000;
	char *c = malloc(n), extra[FBT_RD_BUF + 1];
	int t, r, more = 0;

	memcpy(c, "getvar:", 7);
	memset(c + 7, 'x', n - 7);
	t = fbt_cmd_len(&self->d, c, n, &self->r);
	/* one answer for the one transfer: anything after it is logged */
	while ((r = fbt_bulk(&self->d, self->d.ep_in, extra, FBT_RD_BUF, 500)) >= 0) {
		extra[r] = 0;
		TH_LOG("further answer: '%.60s'", extra);
		more++;
	}
	ASSERT_FAIL_NAMING(t, "4096");
	ASSERT_EQ(0, more);
	ASSERT_ALIVE_UNCHANGED();
	free(c);
}

TEST_F(fb, command_of_4096_bytes_is_parsed)
{
	/* 4096 bytes is still a command: its variable name is too long */
	char c[4096];
	int t;

	memcpy(c, "getvar:", 7);
	memset(c + 7, 'v', sizeof(c) - 7);
	t = fbt_cmd_len(&self->d, c, sizeof(c), &self->r);
	ASSERT_FAIL_NAMING(t, "variable", "long");
	ASSERT_EQ(0, fbt_drain(&self->d, 300)) {
		TH_LOG("more than one answer");
	}
	ASSERT_ALIVE_UNCHANGED();
}

TEST_F(fb, binary_junk)
{
	static const uint8_t junk[] = { 0xff, 0xfe, 0x80, 0x01, 'g', 'e', 't',
					0x9c, 0x00, 0x7f, 0xc3, 0xa9 };
	int t = fbt_cmd_len(&self->d, junk, sizeof(junk), &self->r);

	ASSERT_FAIL_NAMING(t, "ASCII", "character", "byte");
	ASSERT_ALIVE_UNCHANGED();
}

TEST_F(fb, control_character)
{
	int t = fbt_cmd(&self->d, &self->r, "getvar:ver\x01sion");

	ASSERT_FAIL_NAMING(t, "control", "character");
	ASSERT_ALIVE_UNCHANGED();
}

TEST_F(fb, unknown_command)
{
	int t = fbt_cmd(&self->d, &self->r, "frobnicate:now");

	ASSERT_FAIL_NAMING(t, "unknown", "unrecognized");
	ASSERT_ALIVE_UNCHANGED();
}

TEST_F(fb, zero_length_packets_ignored)
{
	int t;

	/* a ZLP is not a command: no answer, the next command works */
	ASSERT_EQ(0, fbt_bulk(&self->d, self->d.ep_out, NULL, 0, 1000));
	ASSERT_EQ(0, fbt_drain(&self->d, 300)) {
		TH_LOG("the ZLP got an answer");
	}
	ASSERT_ALIVE_UNCHANGED();
	/* nor inside a download: ZLP in the middle, then the rest */
	{
		uint8_t data[8192];

		imxf_fill_pattern(data, sizeof(data), 3);
		t = fbt_cmd(&self->d, &self->r, "download:%08x", (unsigned int)sizeof(data));
		ASSERT_EQ(FBT_DATA, t);
		ASSERT_EQ(0, fbt_send(&self->d, data, 4096));
		ASSERT_EQ(0, fbt_bulk(&self->d, self->d.ep_out, NULL, 0, 1000));
		ASSERT_EQ(0, fbt_send(&self->d, data + 4096, 4096));
		t = fbt_finish(&self->d, &self->r);
		ASSERT_EQ(FBT_OKAY, t) {
			TH_LOG("'%s'", self->r.text);
		}
	}
	ASSERT_ALIVE_UNCHANGED();
}

/* ---- download ------------------------------------------------------------ */

TEST_F(fb, download_zero)
{
	int t = fbt_cmd(&self->d, &self->r, "download:00000000");

	ASSERT_FAIL_NAMING(t, "size 0", "zero", "nonzero", "empty");
	ASSERT_ALIVE_UNCHANGED();
}

TEST_F(fb, download_above_max)
{
	int t = fbt_cmd(&self->d, &self->r, "download:%08x", self->maxdl + 1);

	ASSERT_FAIL_NAMING(t, "max-download-size", "too large", "larger", "exceeds");
	ASSERT_ALIVE_UNCHANGED();
	t = fbt_cmd(&self->d, &self->r, "download:ffffffff");
	ASSERT_FAIL_NAMING(t, "max-download-size", "too large", "larger", "exceeds");
	ASSERT_ALIVE_UNCHANGED();
}

TEST_F(fb, download_bad_hex)
{
	int t = fbt_cmd(&self->d, &self->r, "download:0000zz10");

	ASSERT_FAIL_NAMING(t, "hex");
	ASSERT_ALIVE_UNCHANGED();
	t = fbt_cmd(&self->d, &self->r, "download:1000");
	ASSERT_FAIL_NAMING(t, "8 hex", "digits");
	ASSERT_ALIVE_UNCHANGED();
	t = fbt_cmd(&self->d, &self->r, "download:000001000");
	ASSERT_FAIL_NAMING(t, "8 hex", "digits");
	ASSERT_ALIVE_UNCHANGED();
	t = fbt_cmd(&self->d, &self->r, "download:");
	ASSERT_FAIL_NAMING(t, "size", "missing");
	ASSERT_ALIVE_UNCHANGED();
}

TEST_F(fb, download_exact_multiple_of_maxpacket)
{
	/* no ZLP after a length that is a multiple of wMaxPacketSize */
	size_t n = 64 * 1024;
	uint8_t *data = malloc(n);
	int t;

	imxf_fill_pattern(data, n, 9);
	t = fbt_download(&self->d, data, n, &self->r);
	ASSERT_EQ(FBT_OKAY, t) {
		TH_LOG("'%s'", self->r.text);
	}
	ASSERT_RULES();
	ASSERT_ALIVE_UNCHANGED();
	free(data);
}

/* ---- flash targets ------------------------------------------------------ */

TEST_F(fb, flash_missing_partition)
{
	uint8_t data[4096];
	int t;

	imxf_fill_pattern(data, sizeof(data), 4);
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, data, sizeof(data), &self->r));
	t = fbt_cmd(&self->d, &self->r, "flash:nosuchpart");
	ASSERT_FAIL_NAMING(t, "nosuchpart", "no partition", "no such");
	ASSERT_ALIVE_UNCHANGED();
	t = fbt_cmd(&self->d, &self->r, "erase:nosuchpart");
	ASSERT_FAIL_NAMING(t, "nosuchpart", "no partition", "no such");
	ASSERT_ALIVE_UNCHANGED();
	t = fbt_cmd(&self->d, &self->r, "getvar:partition-size:nosuchpart");
	ASSERT_EQ(FBT_FAIL, t);
	ASSERT_EQ(0, self->r.ninfo);
	ASSERT_ALIVE_UNCHANGED();
}

TEST_F(fb, flash_bad_partition_names)
{
	uint8_t data[512];
	int t;

	imxf_fill_pattern(data, sizeof(data), 5);
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, data, sizeof(data), &self->r));
	t = fbt_cmd(&self->d, &self->r, "flash:../../etc/passwd");
	ASSERT_FAIL_NAMING(t, "character", "partition");
	ASSERT_ALIVE_UNCHANGED();
	t = fbt_cmd(&self->d, &self->r, "flash:");
	ASSERT_FAIL_NAMING(t, "missing", "partition");
	ASSERT_ALIVE_UNCHANGED();
	t = fbt_cmd(&self->d, &self->r, "flash:0xzz");
	ASSERT_FAIL_NAMING(t, "hex", "offset");
	ASSERT_ALIVE_UNCHANGED();
}

TEST_F(fb, raw_offset_past_end)
{
	uint8_t data[4096];
	int t;

	imxf_fill_pattern(data, sizeof(data), 6);
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, data, sizeof(data), &self->r));
	/* starts at the end */
	t = fbt_cmd(&self->d, &self->r, "flash:0x%llx", (unsigned long long)self->store_size);
	ASSERT_FAIL_NAMING(t, "past", "end", "beyond", "outside", "too large");
	ASSERT_ALIVE_UNCHANGED();
	/* starts inside, would end past the end */
	t = fbt_cmd(&self->d, &self->r, "flash:0x%llx",
		    (unsigned long long)self->store_size - 1024);
	ASSERT_FAIL_NAMING(t, "past", "end", "beyond", "large", "outside");
	ASSERT_ALIVE_UNCHANGED();
	/* huge */
	t = fbt_cmd(&self->d, &self->r, "flash:0xffffffffffffff00");
	ASSERT_FAIL_NAMING(t, "past", "end", "beyond", "large", "outside");
	ASSERT_ALIVE_UNCHANGED();
	t = fbt_cmd(&self->d, &self->r, "flash:0x10000000000000000");
	ASSERT_FAIL_NAMING(t, "64 bits", "large", "offset");
	ASSERT_ALIVE_UNCHANGED();
}

/* The partition's bytes are @data at 0 and unchanged elsewhere. */
static int check_part(FIXTURE_DATA(fb) *self, const void *data, size_t n)
{
	uint8_t *got = malloc(n);
	int ok = got && !fbt_pread(self->store, self->part_off, got, n) &&
		 !memcmp(got, data, n);

	free(got);
	return ok;
}

TEST_F(fb, boundaries_are_inclusive)
{
	/* exactly the partition; exactly up to the end of storage */
	size_t n = self->part_size;
	uint8_t *data = malloc(n), *back = malloc(4096);
	uint64_t out;
	int t;

	imxf_fill_pattern(data, n, 101);
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, data, n, &self->r));
	t = fbt_cmd(&self->d, &self->r, "flash:%s", self->part);
	ASSERT_EQ(FBT_OKAY, t) {
		TH_LOG("a raw image of exactly the partition size: '%s'", self->r.text);
	}
	ASSERT_TRUE(check_part(self, data, n));
	out = fbt_hash_range(self->store, 0, self->store_size - 4096);
	imxf_fill_pattern(data, 4096, 102);
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, data, 4096, &self->r));
	t = fbt_cmd(&self->d, &self->r, "flash:0x%llx",
		    (unsigned long long)self->store_size - 4096);
	ASSERT_EQ(FBT_OKAY, t) {
		TH_LOG("4 KiB ending at the last byte of storage: '%s'", self->r.text);
	}
	ASSERT_EQ(0, fbt_pread(self->store, self->store_size - 4096, back, 4096));
	ASSERT_EQ(0, memcmp(back, data, 4096));
	ASSERT_EQ(out, fbt_hash_range(self->store, 0, self->store_size - 4096));
	/* fetch of the last 4 KiB of the partition */
	t = fbt_cmd(&self->d, &self->r, "fetch:%s:0x%llx:0x1000", self->part,
		    (unsigned long long)self->part_size - 4096);
	ASSERT_EQ(FBT_DATA, t) {
		TH_LOG("fetch of the last 4 KiB: '%s'", self->r.text);
	}
	ASSERT_EQ(4096, fbt_bulk(&self->d, self->d.ep_in, back, 4096, 10000));
	ASSERT_EQ(FBT_OKAY, fbt_finish(&self->d, &self->r));
	imxf_fill_pattern(data, n, 101);
	ASSERT_EQ(0, memcmp(back, data + n - 4096, 4096));
	free(data);
	free(back);
}

TEST_F(fb, raw_too_large_for_partition)
{
	size_t n = self->part_size + 4096;
	uint8_t *data = malloc(n);
	int t;

	imxf_fill_pattern(data, n, 7);
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, data, n, &self->r));
	t = fbt_cmd(&self->d, &self->r, "flash:%s", self->part);
	ASSERT_FAIL_NAMING(t, "large", "exceed", "past", "bigger");
	ASSERT_ALIVE_UNCHANGED();
	free(data);
}

TEST_F(fb, raw_flash_and_fetch)
{
	size_t n = 256 * 1024 + 512;
	uint8_t *data = malloc(n), *back = malloc(n);
	size_t got = 0;
	uint64_t h;
	int t, r;

	imxf_fill_pattern(data, n, 8);
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, data, n, &self->r));
	t = fbt_cmd(&self->d, &self->r, "flash:%s", self->part);
	ASSERT_EQ(FBT_OKAY, t) {
		TH_LOG("flash: '%s'", self->r.text);
	}
	ASSERT_RULES();
	ASSERT_TRUE(check_part(self, data, n));
	h = fbt_hash_file(self->store);

	/* fetch:part:0x<off>:0x<size> gives the bytes back */
	t = fbt_cmd(&self->d, &self->r, "fetch:%s:0x1000:0x%zx", self->part, n - 0x1000);
	ASSERT_EQ(FBT_DATA, t) {
		TH_LOG("fetch: '%s'", self->r.text);
	}
	ASSERT_EQ(n - 0x1000, strtoul(self->r.text, NULL, 16));
	while (got < n - 0x1000) {
		r = fbt_bulk(&self->d, self->d.ep_in, back + got,
			     n - 0x1000 - got, 10000);
		ASSERT_GT(r, 0) {
			TH_LOG("fetch read: %d after %zu", r, got);
		}
		got += r;
	}
	ASSERT_EQ(FBT_OKAY, fbt_finish(&self->d, &self->r)) {
		TH_LOG("'%s'", self->r.text);
	}
	ASSERT_RULES();
	ASSERT_EQ(0, memcmp(back, data + 0x1000, n - 0x1000));

	/* raw offset on storage: fetch:0x<off>:0x0:0x200 = the store bytes */
	t = fbt_cmd(&self->d, &self->r, "fetch:0x%llx:0x0:0x200",
		    (unsigned long long)self->part_off);
	ASSERT_EQ(FBT_DATA, t) {
		TH_LOG("fetch raw: '%s'", self->r.text);
	}
	ASSERT_EQ(0x200, fbt_bulk(&self->d, self->d.ep_in, back, 0x200, 10000));
	ASSERT_EQ(FBT_OKAY, fbt_finish(&self->d, &self->r));
	ASSERT_EQ(0, memcmp(back, data, 0x200));

	/* the whole partition (no offset, no size), several IN requests */
	free(back);
	back = malloc(self->part_size);
	free(data);
	data = malloc(self->part_size);
	ASSERT_EQ(0, fbt_pread(self->store, self->part_off, data, self->part_size));
	t = fbt_cmd(&self->d, &self->r, "fetch:%s", self->part);
	ASSERT_EQ(FBT_DATA, t) {
		TH_LOG("fetch whole: '%s'", self->r.text);
	}
	ASSERT_EQ(self->part_size, strtoull(self->r.text, NULL, 16));
	for (got = 0; got < self->part_size; got += r) {
		r = fbt_bulk(&self->d, self->d.ep_in, back + got,
			     self->part_size - got, 10000);
		ASSERT_GT(r, 0) {
			TH_LOG("fetch read: %d after %zu", r, got);
		}
	}
	ASSERT_EQ(FBT_OKAY, fbt_finish(&self->d, &self->r)) {
		TH_LOG("'%s'", self->r.text);
	}
	ASSERT_RULES();
	ASSERT_EQ(0, memcmp(back, data, self->part_size));
	ASSERT_EQ(h, fbt_hash_file(self->store)) {
		TH_LOG("fetch wrote");
	}
	free(data);
	free(back);
}

TEST_F(fb, fetch_range_errors)
{
	unsigned long long sz = self->part_size;
	int t;

	t = fbt_cmd(&self->d, &self->r, "fetch:%s:0x%llx:0x1", self->part, sz);
	ASSERT_FAIL_NAMING(t, "past", "end", "beyond", "outside", "range");
	ASSERT_ALIVE_UNCHANGED();
	t = fbt_cmd(&self->d, &self->r, "fetch:%s:0x%llx:0x2000", self->part, sz - 0x1000);
	ASSERT_FAIL_NAMING(t, "past", "end", "beyond", "outside", "range");
	ASSERT_ALIVE_UNCHANGED();
	t = fbt_cmd(&self->d, &self->r, "fetch:%s:0x0:0x0", self->part);
	ASSERT_FAIL_NAMING(t, "size 0", "zero");
	ASSERT_ALIVE_UNCHANGED();
	t = fbt_cmd(&self->d, &self->r, "fetch:%s:0xffffffffffffffff:0x10", self->part);
	ASSERT_FAIL_NAMING(t, "64 bits", "past", "end", "range", "large");
	ASSERT_ALIVE_UNCHANGED();
	t = fbt_cmd(&self->d, &self->r, "fetch:nosuchpart:0x0:0x10");
	ASSERT_FAIL_NAMING(t, "nosuchpart", "no partition", "no such");
	ASSERT_ALIVE_UNCHANGED();
	t = fbt_cmd(&self->d, &self->r, "fetch:%s:0x0:0x10:0x20", self->part);
	ASSERT_FAIL_NAMING(t, "fields", "argument");
	ASSERT_ALIVE_UNCHANGED();
}

TEST_F(fb, upload_returns_the_download)
{
	/* upload: the data staged by the last download, byte for byte */
	size_t n = 3 * 4096 + 100;
	uint8_t *data = malloc(n), *back = malloc(n);
	size_t got = 0;
	int t, r;

	imxf_fill_pattern(data, n, 42);
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, data, n, &self->r));
	t = fbt_cmd(&self->d, &self->r, "upload");
	ASSERT_EQ(FBT_DATA, t) {
		TH_LOG("upload: '%s'", self->r.text);
	}
	ASSERT_EQ(n, strtoul(self->r.text, NULL, 16));
	while (got < n) {
		r = fbt_bulk(&self->d, self->d.ep_in, back + got, n - got, 10000);
		ASSERT_GT(r, 0) {
			TH_LOG("upload read: %d after %zu", r, got);
		}
		got += r;
	}
	ASSERT_EQ(FBT_OKAY, fbt_finish(&self->d, &self->r)) {
		TH_LOG("'%s'", self->r.text);
	}
	ASSERT_RULES();
	ASSERT_EQ(0, memcmp(back, data, n));
	ASSERT_ALIVE_UNCHANGED();
	free(data);
	free(back);
}

/* ---- sparse images: malformed --------------------------------------------- */

TEST_F(fb, sparse_bad_version)
{
	struct fbt_sp s = { 0 };

	fbt_sp_hdr(&s, FBT_SP_MAGIC, 2, 28, 12, 4096, 1, 1);
	fbt_sp_raw(&s, 1, 1);
	FLASH_BAD(&s, "version");
	free(s.b);
}

TEST_F(fb, sparse_bad_header_sizes)
{
	struct fbt_sp s = { 0 };

	fbt_sp_hdr(&s, FBT_SP_MAGIC, 1, 20, 12, 4096, 1, 1);
	fbt_sp_raw(&s, 1, 1);
	FLASH_BAD(&s, "file_hdr_sz", "header");
	s.len = 0;
	fbt_sp_hdr(&s, FBT_SP_MAGIC, 1, 28, 8, 4096, 1, 1);
	fbt_sp_raw(&s, 1, 1);
	FLASH_BAD(&s, "chunk_hdr_sz", "header");
	free(s.b);
}

TEST_F(fb, sparse_bad_blk_sz)
{
	struct fbt_sp s = { 0 };
	uint8_t z[4] = { 0 };

	fbt_sp_hdr(&s, FBT_SP_MAGIC, 1, 28, 12, 0, 1, 1);
	fbt_sp_chunk(&s, FBT_SP_FILL, 1, 16, z, 4);
	FLASH_BAD(&s, "blk_sz");
	s.len = 0;
	fbt_sp_hdr(&s, FBT_SP_MAGIC, 1, 28, 12, 1022, 1, 1);
	fbt_sp_chunk(&s, FBT_SP_FILL, 1, 16, z, 4);
	FLASH_BAD(&s, "blk_sz");
	/* a multiple of 4 but not of the 512-byte storage block */
	s.len = 0;
	fbt_sp_hdr(&s, FBT_SP_MAGIC, 1, 28, 12, 1028, 1, 1);
	fbt_sp_chunk(&s, FBT_SP_FILL, 1, 16, z, 4);
	FLASH_BAD(&s, "blk_sz");
	free(s.b);
}

TEST_F(fb, sparse_overflowing_sizes)
{
	struct fbt_sp s = { 0 };
	uint8_t z[4] = { 1, 2, 3, 4 };

	/* total_blks * blk_sz far beyond the partition */
	fbt_sp_hdr(&s, FBT_SP_MAGIC, 1, 28, 12, 4096, 0xffffffff, 1);
	fbt_sp_chunk(&s, FBT_SP_FILL, 0xffffffff, 16, z, 4);
	FLASH_BAD(&s, "larger", "past", "exceed", "partition");
	/* RAW chunk whose chunk_sz * blk_sz wraps 32 bits to total_sz */
	s.len = 0;
	fbt_sp_start(&s, 2, 1);
	{
		uint8_t d[4096];

		imxf_fill_pattern(d, sizeof(d), 2);
		fbt_sp_chunk(&s, FBT_SP_RAW, 0x100001, 12 + 4096, d, sizeof(d));
	}
	FLASH_BAD(&s, "total_sz", "larger", "partition", "past");
	/* chunk_sz huge FILL inside a header that fits */
	s.len = 0;
	fbt_sp_start(&s, 16, 1);
	fbt_sp_chunk(&s, FBT_SP_FILL, 0x80000000, 16, z, 4);
	FLASH_BAD(&s, "total_blks", "past", "beyond", "partition");
	free(s.b);
}

TEST_F(fb, sparse_unknown_chunk_type)
{
	struct fbt_sp s = { 0 };
	uint8_t z[4] = { 0 };

	/* a good chunk first: it must not be written either */
	fbt_sp_start(&s, 3, 2);
	fbt_sp_raw(&s, 2, 11);
	fbt_sp_chunk(&s, 0xcac5, 1, 16, z, 4);
	FLASH_BAD(&s, "chunk type", "unknown");
	free(s.b);
}

TEST_F(fb, sparse_chunk_past_partition_end)
{
	struct fbt_sp s = { 0 };
	uint32_t blocks = self->part_size / 4096;
	uint8_t z[4] = { 0xaa, 0xbb, 0xcc, 0xdd };

	/* header claims exactly the partition; a chunk goes one block over */
	fbt_sp_start(&s, blocks + 1, 2);
	fbt_sp_raw(&s, 1, 12);
	fbt_sp_chunk(&s, FBT_SP_FILL, blocks, 16, z, 4);
	FLASH_BAD(&s, "past", "larger", "partition", "exceed");
	/* header fits, chunks run past total_blks */
	s.len = 0;
	fbt_sp_start(&s, 2, 2);
	fbt_sp_raw(&s, 1, 13);
	fbt_sp_chunk(&s, FBT_SP_FILL, 4, 16, z, 4);
	FLASH_BAD(&s, "total_blks", "beyond");
	free(s.b);
}

TEST_F(fb, sparse_total_sz_mismatch)
{
	struct fbt_sp s = { 0 };
	uint8_t d[4096 + 4];
	uint8_t z[8] = { 0 };

	imxf_fill_pattern(d, sizeof(d), 14);
	fbt_sp_start(&s, 1, 1);
	fbt_sp_chunk(&s, FBT_SP_RAW, 1, 12 + sizeof(d), d, sizeof(d));
	FLASH_BAD(&s, "total_sz");
	s.len = 0;
	fbt_sp_start(&s, 1, 1);
	fbt_sp_chunk(&s, FBT_SP_FILL, 1, 20, z, 8);
	FLASH_BAD(&s, "total_sz");
	s.len = 0;
	fbt_sp_start(&s, 1, 1);
	fbt_sp_chunk(&s, FBT_SP_DONTCARE, 1, 16, z, 4);
	FLASH_BAD(&s, "total_sz");
	free(s.b);
}

TEST_F(fb, sparse_truncated)
{
	struct fbt_sp s = { 0 };

	/* RAW chunk of 4 blocks with 2 blocks of data */
	fbt_sp_start(&s, 4, 1);
	fbt_sp_raw(&s, 4, 15);
	s.len -= 2 * 4096;
	FLASH_BAD(&s, "truncated", "short", "missing");
	/* file header cut */
	s.len = 0;
	fbt_sp_start(&s, 4, 1);
	s.len = 20;
	FLASH_BAD(&s, "truncated", "header", "short");
	/* chunk header cut */
	s.len = 0;
	fbt_sp_start(&s, 4, 1);
	fbt_sp_raw(&s, 4, 15);
	s.len = 28 + 6;
	FLASH_BAD(&s, "truncated", "header", "short");
	free(s.b);
}

TEST_F(fb, sparse_blocks_do_not_add_up)
{
	struct fbt_sp s = { 0 };

	/* every chunk present, their blocks fall short of total_blks */
	fbt_sp_start(&s, 8, 2);
	fbt_sp_raw(&s, 1, 16);
	fbt_sp_raw(&s, 1, 17);
	FLASH_BAD(&s, "total_blks", "add up");
	free(s.b);
}

TEST_F(fb, sparse_chunks_missing)
{
	struct fbt_sp s = { 0 };

	/* two chunks missing at the end is not the 29.0.6 short piece */
	fbt_sp_start(&s, 8, 4);
	fbt_sp_raw(&s, 1, 20);
	fbt_sp_raw(&s, 1, 21);
	FLASH_BAD(&s, "missing", "truncated", "short");
	free(s.b);
}

TEST_F(fb, sparse_data_after_last_chunk)
{
	struct fbt_sp s = { 0 };
	uint8_t junk[100];

	fbt_sp_start(&s, 1, 1);
	fbt_sp_raw(&s, 1, 18);
	imxf_fill_pattern(junk, sizeof(junk), 19);
	fbt_sp_put(&s, junk, sizeof(junk));
	FLASH_BAD(&s, "after the last chunk", "trailing", "extra");
	free(s.b);
}

/* ---- sparse images: accepted -------------------------------------------- */

/* Flash @s to the partition, expect OKAY. */
#define FLASH_OK(s) do { \
	int _t = fbt_download(&self->d, (s)->b, (s)->len, &self->r); \
	ASSERT_EQ(FBT_OKAY, _t) { \
		TH_LOG("download: '%s'", self->r.text); \
	} \
	_t = fbt_cmd(&self->d, &self->r, "flash:%s", self->part); \
	ASSERT_EQ(FBT_OKAY, _t) { \
		TH_LOG("flash: '%s'", self->r.text); \
	} \
	ASSERT_RULES(); \
} while (0)

/* Bytes of the store around and in the partition, for comparisons. */
static uint8_t *store_copy(FIXTURE_DATA(fb) *self)
{
	uint8_t *b = malloc(self->store_size);

	if (b && fbt_pread(self->store, 0, b, self->store_size)) {
		free(b);
		return NULL;
	}
	return b;
}

TEST_F(fb, sparse_dont_care_untouched)
{
	struct fbt_sp s = { 0 };
	uint8_t *before, *after, *want;
	uint8_t pat[4] = { 0x11, 0x22, 0x33, 0x44 };
	uint64_t o = self->part_off;
	int i;

	before = store_copy(self);
	ASSERT_NE(NULL, before);
	/* RAW 1 | DONT_CARE 2 | FILL 1 | CRC32 | RAW 2 | DONT_CARE rest */
	fbt_sp_start(&s, 8, 6);
	fbt_sp_raw(&s, 1, 21);
	fbt_sp_chunk(&s, FBT_SP_DONTCARE, 2, 12, NULL, 0);
	fbt_sp_chunk(&s, FBT_SP_FILL, 1, 16, pat, 4);
	fbt_sp_chunk(&s, FBT_SP_CRC, 0, 16, "\xde\xad\xbe\xef", 4);
	fbt_sp_raw(&s, 2, 22);
	fbt_sp_chunk(&s, FBT_SP_DONTCARE, 2, 12, NULL, 0);
	FLASH_OK(&s);
	after = store_copy(self);
	ASSERT_NE(NULL, after);
	want = malloc(self->store_size);
	memcpy(want, before, self->store_size);
	imxf_fill_pattern(want + o, 4096, 21);
	for (i = 0; i < 4096; i += 4)
		memcpy(want + o + 3 * 4096 + i, pat, 4);
	imxf_fill_pattern(want + o + 4 * 4096, 2 * 4096, 22);
	for (i = 0; i < (int)self->store_size; i += 4096)
		if (memcmp(after + i, want + i, 4096))
			break;
	ASSERT_EQ((int)self->store_size, i) {
		TH_LOG("block at store offset 0x%x differs (partition at 0x%llx)",
		       i, (unsigned long long)o);
	}
	free(before);
	free(after);
	free(want);
	free(s.b);
}

TEST_F(fb, sparse_29_0_6_short_piece)
{
	struct fbt_sp s = { 0 };
	uint8_t *before, *after;
	uint8_t b[3 * 4096];

	before = store_copy(self);
	ASSERT_NE(NULL, before);
	/*
	 * fastboot 29.0.6, raw image not a block multiple: the header counts
	 * a trailing DONT_CARE chunk that is not sent.
	 */
	fbt_sp_start(&s, 6, 3);
	fbt_sp_raw(&s, 1, 31);
	fbt_sp_raw(&s, 2, 32);
	FLASH_OK(&s);
	after = store_copy(self);
	ASSERT_NE(NULL, after);
	imxf_fill_pattern(b, 4096, 31);
	imxf_fill_pattern(b + 4096, 2 * 4096, 32);
	ASSERT_EQ(0, memcmp(after + self->part_off, b, sizeof(b)));
	/* the 3 blocks the missing chunk covers, and the rest, untouched */
	ASSERT_EQ(0, memcmp(after + self->part_off + 3 * 4096,
			    before + self->part_off + 3 * 4096,
			    self->store_size - self->part_off - 3 * 4096));
	ASSERT_EQ(0, memcmp(after, before, self->part_off));
	free(before);
	free(after);
	free(s.b);
}

TEST_F(fb, sparse_wrong_magic_is_raw)
{
	/* without the magic it is not a sparse image: written as it is */
	struct fbt_sp s = { 0 };
	int t;

	fbt_sp_hdr(&s, FBT_SP_MAGIC ^ 1, 1, 28, 12, 4096, 1, 1);
	fbt_sp_raw(&s, 1, 41);
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, s.b, s.len, &self->r));
	t = fbt_cmd(&self->d, &self->r, "flash:%s", self->part);
	ASSERT_EQ(FBT_OKAY, t) {
		TH_LOG("'%s'", self->r.text);
	}
	ASSERT_TRUE(check_part(self, s.b, s.len));
	free(s.b);
}

/* ---- getvar rules -------------------------------------------------------- */

TEST_F(fb, getvar_no_info_and_short)
{
	static const char *const vars[] = {
		"version", "version-bootloader", "product", "serialno",
		"max-download-size", "downloadsize", "secure", "unlocked",
		"is-userspace", "logical-block-size", "erase-block-size",
		"current-slot", "slot-count", "max-fetch-size",
	};
	char v[64];
	size_t i;
	int t;

	for (i = 0; i < ARRAY_SIZE(vars); i++) {
		t = fbt_cmd(&self->d, &self->r, "getvar:%s", vars[i]);
		ASSERT_TRUE(t == FBT_OKAY || t == FBT_FAIL) {
			TH_LOG("%s: %d", vars[i], t);
		}
		ASSERT_RULES();
		ASSERT_EQ(0, self->r.ninfo) {
			TH_LOG("INFO during getvar:%s", vars[i]);
		}
	}
	t = fbt_cmd(&self->d, &self->r, "getvar:partition-size:%s", self->part);
	ASSERT_EQ(FBT_OKAY, t);
	ASSERT_EQ(0, self->r.ninfo);
	ASSERT_EQ(0, strncmp(self->r.text, "0x", 2));
	ASSERT_EQ(self->part_size, strtoull(self->r.text, NULL, 16));
	t = fbt_cmd(&self->d, &self->r, "getvar:partition-type:%s", self->part);
	ASSERT_EQ(FBT_OKAY, t);
	ASSERT_EQ(0, self->r.ninfo);
	t = fbt_cmd(&self->d, &self->r, "getvar:has-slot:%s", self->part);
	ASSERT_TRUE(t == FBT_FAIL || !strcmp(self->r.text, "no"));
	ASSERT_EQ(0, self->r.ninfo);
	t = fbt_cmd(&self->d, &self->r, "getvar:max-download-size");
	ASSERT_EQ(FBT_OKAY, t);
	snprintf(v, sizeof(v), "0x%08x", self->maxdl);
	ASSERT_STREQ(v, self->r.text);
	t = fbt_cmd(&self->d, &self->r, "getvar:serialno");
	ASSERT_EQ(FBT_OKAY, t);
	ASSERT_STREQ(self->serial, self->r.text);
	t = fbt_cmd(&self->d, &self->r, "getvar:no-such-var");
	ASSERT_EQ(FBT_FAIL, t);
	ASSERT_EQ(0, self->r.ninfo);
}

TEST_F(fb, getvar_all_lines_short)
{
	int t = fbt_cmd(&self->d, &self->r, "getvar:all");

	ASSERT_EQ(FBT_OKAY, t);
	ASSERT_RULES();
	ASSERT_GE(self->r.ninfo, 8) {
		TH_LOG("%d INFO lines", self->r.ninfo);
	}
	ASSERT_NE(NULL, strstr(self->r.info, "max-download-size"));
	ASSERT_NE(NULL, strstr(self->r.info, self->part));
}

TEST_F(fb, long_answers_are_cut)
{
	/* FAIL texts that echo the input stay within 64 bytes */
	char c[300];
	int t;

	memset(c, 'n', sizeof(c));
	memcpy(c, "flash:", 6);
	c[sizeof(c) - 1] = 0;
	t = fbt_cmd(&self->d, &self->r, "%s", c);
	ASSERT_EQ(FBT_FAIL, t);
	ASSERT_RULES();
	memcpy(c, "oem ", 4);
	t = fbt_cmd(&self->d, &self->r, "%s", c);
	ASSERT_EQ(FBT_FAIL, t) {
		TH_LOG("oem without handler: '%s'", self->r.text);
	}
	ASSERT_RULES();
	ASSERT_ALIVE_UNCHANGED();
}

/* ---- lock ------------------------------------------------------------- */

TEST_F(fb, flash_erase_while_locked)
{
	uint8_t data[8192];
	int t;

	imxf_fill_pattern(data, sizeof(data), 51);
	ASSERT_EQ(FBT_OKAY, fbt_cmd(&self->d, &self->r, "flashing lock")) {
		TH_LOG("'%s'", self->r.text);
	}
	ASSERT_EQ(FBT_OKAY, fbt_cmd(&self->d, &self->r, "getvar:unlocked"));
	ASSERT_STREQ("no", self->r.text);
	t = fbt_download(&self->d, data, sizeof(data), &self->r);
	if (t == FBT_FAIL)	/* refusing the download is fine too */
		ASSERT_TRUE(fbt_names(self->r.text, "lock", (const char *)NULL));
	t = fbt_cmd(&self->d, &self->r, "flash:%s", self->part);
	ASSERT_FAIL_NAMING(t, "lock");
	t = fbt_cmd(&self->d, &self->r, "erase:%s", self->part);
	ASSERT_FAIL_NAMING(t, "lock");
	t = fbt_cmd(&self->d, &self->r, "flash:0x%llx", (unsigned long long)self->part_off);
	ASSERT_FAIL_NAMING(t, "lock");
	ASSERT_ALIVE_UNCHANGED();
	/* uuu's spelling */
	ASSERT_EQ(FBT_OKAY, fbt_cmd(&self->d, &self->r, "flashing:unlock")) {
		TH_LOG("'%s'", self->r.text);
	}
	ASSERT_EQ(FBT_OKAY, fbt_cmd(&self->d, &self->r, "getvar:unlocked"));
	ASSERT_STREQ("yes", self->r.text);
	ASSERT_EQ(FBT_OKAY, fbt_download(&self->d, data, sizeof(data), &self->r));
	ASSERT_EQ(FBT_OKAY, fbt_cmd(&self->d, &self->r, "flash:%s", self->part));
	ASSERT_TRUE(check_part(self, data, sizeof(data)));
}

TEST_F_TIMEOUT(fb, locked_attribute, 60)
{
	char v[16];
	uint8_t data[4096];
	int t;

	/* attribute writes while in a configuration: -EBUSY */
	ASSERT_EQ(-EBUSY, set_attr(self, "locked", "1"));
	ASSERT_EQ(-EBUSY, set_attr(self, "max_download_size", "4096"));
	fbt_close(&self->d);
	ASSERT_EQ(0, udc_bind(self, 0));
	/* off the bus but still linked: still -EBUSY */
	ASSERT_EQ(-EBUSY, set_attr(self, "locked", "1"));
	ASSERT_EQ(0, plug(self, 0));
	ASSERT_EQ(0, set_attr(self, "locked", "1"));
	ASSERT_EQ(0, attr(self, "locked", v, sizeof(v)));
	ASSERT_EQ(1, atoi(v));
	ASSERT_EQ(0, plug(self, 1));
	ASSERT_EQ(0, fbt_open(&self->d, self->serial, 10000));
	imxf_fill_pattern(data, sizeof(data), 52);
	fbt_download(&self->d, data, sizeof(data), &self->r);
	t = fbt_cmd(&self->d, &self->r, "flash:%s", self->part);
	ASSERT_FAIL_NAMING(t, "lock");
	t = fbt_cmd(&self->d, &self->r, "erase:%s", self->part);
	ASSERT_FAIL_NAMING(t, "lock");
	ASSERT_ALIVE_UNCHANGED();
	fbt_close(&self->d);
	ASSERT_EQ(0, plug(self, 0));
	ASSERT_EQ(0, set_attr(self, "locked", "0"));
	ASSERT_EQ(0, plug(self, 1));
	ASSERT_EQ(0, fbt_open(&self->d, self->serial, 10000));
	ASSERT_EQ(FBT_OKAY, fbt_cmd(&self->d, &self->r, "getvar:unlocked"));
	ASSERT_STREQ("yes", self->r.text);
}

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
			 FIXTURE_DATA(fb) *self)
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
static uint64_t outside_hash(FIXTURE_DATA(fb) *self)
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
			     FIXTURE_DATA(fb) *self, int unlink_fn, int ms)
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
