// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_fastboot selftest: bad commands, downloads and flash targets over
 * raw usbfs ioctls (no libusb), inside the test VM, run by fastboot_bad.sh
 * (the fixture and the gadget it expects: fastboot_bad.h).
 *
 * Bad input of every kind must get a FAIL whose text names the problem,
 * leave the device answering getvar, and write nothing (checksum of the
 * whole backing file before and after). Also: fetch/upload read-back,
 * inclusive boundaries, getvar rules and lock state. Every response read
 * anywhere is checked: at most 64 bytes, tag OKAY/FAIL/DATA/INFO, never
 * INFO during a single getvar. Sparse images: fastboot_bad_sparse_test;
 * host or device vanishing mid-transfer: fastboot_bad_vanish_test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fastboot_bad.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

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

TEST_HARNESS_MAIN
