/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture shared by the usb_f_fastboot bad-input selftests
 * (fastboot_bad_test, fastboot_bad_sparse_test, fastboot_bad_vanish_test),
 * which talk to the device over raw usbfs ioctls (no libusb) inside the
 * test VM. fastboot_bad.sh creates the gadget and the backing file and
 * names them in the environment:
 *
 *   FB_GADGET  configfs gadget name; the function is fastboot.<name>
 *   FB_UDC     the UDC it is bound to (for unplug tests)
 *   FB_SERIAL  its serial number (how the interface is found)
 *   FB_STORE   the backing file of "storage" (a plain file)
 *   FB_PART    an explicit partition that is a region of FB_STORE
 *
 * Also the assertions every test uses: the response rules (at most 64
 * bytes, tag OKAY/FAIL/DATA/INFO), a FAIL that names the problem, and the
 * device still answering with the backing file unchanged.
 *
 * It defines the fixture's setup and teardown: include it in exactly one
 * source file of each test program, next to its TEST_F()s.
 */
#ifndef _IMXF_FASTBOOT_BAD_H
#define _IMXF_FASTBOOT_BAD_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fastboot_usbfs.h"
#include "gadget_util.h"
#include "kselftest_harness.h"

#define CFS		"/sys/kernel/config/usb_gadget"

static inline const char *env(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

/* ---- the fixture ------------------------------------------------------- */

/*
 * The helpers below take it as "struct _test_data_fb", which is what
 * FIXTURE_DATA(fb) stands for (checkpatch reads the macro as an operand).
 */
FIXTURE(fb) {
	struct fbt_dev d;
	struct fbt_resp r;
	char gadget[64], udc[64], serial[64], store[256], part[64];
	char fdir[256];
	uint64_t part_off, part_size, store_size;
	uint32_t maxdl;
	uint64_t sum;		/* hash of the store at setup */
};

static inline int attr(struct _test_data_fb *self, const char *name, char *buf, size_t n)
{
	char p[1024];
	int r;

	snprintf(p, sizeof(p), "%s/%s", self->fdir, name);
	r = imxf_read_file(p, buf, n);
	return r < 0 ? r : 0;
}

static inline int set_attr(struct _test_data_fb *self, const char *name, const char *v)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/%s", self->fdir, name);
	return imxf_write_file(p, v);
}

/* Bind the gadget to its UDC or unbind it (nothing to do if it is not). */
static inline int udc_bind(struct _test_data_fb *self, int on)
{
	char p[256], cur[64] = "";
	struct fbt_dev gone;
	long end;
	int ret;

	snprintf(p, sizeof(p), CFS "/%s/UDC", self->gadget);
	if (!on && imxf_read_file(p, cur, sizeof(cur)) >= 0 && !cur[0])
		return 0;
	ret = imxf_write_file(p, on ? self->udc : "\n");
	if (ret || on)
		return ret;
	/*
	 * The host drops the device asynchronously (hub_wq): wait until it
	 * has, or a following fbt_open() may open the stale device, which
	 * then fails with ENODEV.
	 */
	end = imxf_now_ms() + 10000;
	while (!fbt_find(self->serial, &gone)) {
		if (imxf_now_ms() > end)
			return -ETIMEDOUT;
		usleep(20000);
	}
	return 0;
}

/*
 * Take the function out of its configuration (and the gadget off the
 * bus) or put it back: attributes can only be written while it is out.
 */
static inline int plug(struct _test_data_fb *self, int on)
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
	if (self->r.bad) \
		TH_LOG("%s", self->r.why); \
	ASSERT_EQ(0, self->r.bad); \
} while (0)

#define ASSERT_FAIL_NAMING(t, ...) do { \
	int _fb_tag = (t); \
	ASSERT_EQ(FBT_FAIL, _fb_tag) { \
		TH_LOG("wanted FAIL, got %d '%s'", _fb_tag, self->r.text); \
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

/* The partition's bytes are @data at 0 and unchanged elsewhere. */
static inline int check_part(struct _test_data_fb *self, const void *data, size_t n)
{
	uint8_t *got = malloc(n);
	int ok = got && !fbt_pread(self->store, self->part_off, got, n) &&
		 !memcmp(got, data, n);

	free(got);
	return ok;
}

#endif /* _IMXF_FASTBOOT_BAD_H */
