// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for userspace/lib/fb-host.c (the fastboot host protocol) against
 * a fake transport: the fbt_* functions of fb-int.h are implemented here
 * by a small in-memory device that parses commands with the pure parser
 * (fastboot_cmd.h), answers them, applies flashes (raw, or sparse through
 * the pure decoder) to a partition buffer, and can be told to misbehave.
 *
 * Covered: answers (INFO loop, OKAY payload, FAIL text, DATA, unknown
 * tags, short packets), error texts and kinds, the command sequences of
 * flash (max-download-size, partition-size, download, flash), flashing
 * raw and sparse images that fit or are split (the partition content is
 * checked byte for byte, DONT_CARE regions untouched), an image bigger
 * than the partition (nothing sent), a device without max-download-size
 * or partition-size (U-Boot-like answers), the -S cap, the device leaving
 * mid-download, a file shrinking mid-download (device kept in step with
 * zeros, nothing flashed), fetch and upload, progress and trace callbacks;
 * images with a bmap and compressed (image_data.sh's): mapped blocks
 * only, the last piece held back until the image proved good, a bad
 * range stops before its piece, a broken file without bmap is refused
 * before anything is sent.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <imxflash/fastboot_cmd.h>
#include <imxflash/fastboot_sparse.h>

#include "fb-int.h"
#include "img_data.h"
#include "kselftest_harness.h"

#define POISON	0xa5
#define KIB	1024u
#define MIB	(1024u * 1024u)

/* ---- the fake device ---- */

struct fake {
	u32 max_dl;		/* 0: getvar:max-download-size FAILs */
	bool no_psize;		/* getvar:partition-size FAILs */
	u64 psize;
	u8 *part;
	u8 *dl;			/* download buffer */
	u32 dl_len, want;
	u8 *staged;
	u32 staged_len;
	int infos;		/* INFO lines before each flash answer */
	/* faults */
	const char *next_answer;	/* replaces the next answer */
	bool data_mismatch;	/* DATA with another size */
	u64 gone_after;		/* fbt_send: -ENODEV after so many bytes (+1) */
	const char *shrink_path;	/* truncate this file mid-download */
	/* answers queued for fbt_read */
	char q[32][FASTBOOT_RESP_BUF_LEN];
	int qn, qpos;
	/* log */
	char log[4096];
	int downloads, flashes, gone_waits;
};

static struct fake F;

static void answer(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void answer(const char *fmt, ...)
{
	va_list ap;

	if (F.qn >= 32)
		return;
	va_start(ap, fmt);
	vsnprintf(F.q[F.qn++], FASTBOOT_RESP_BUF_LEN, fmt, ap);
	va_end(ap);
}

static void fake_reset(u64 psize, u32 max_dl)
{
	free(F.part);
	free(F.dl);
	free(F.staged);
	memset(&F, 0, sizeof(F));
	F.psize = psize;
	F.max_dl = max_dl;
	F.part = malloc(psize);
	memset(F.part, POISON, psize);
	F.dl = malloc(max_dl ? max_dl : 64 * MIB);
}

struct part_out {
	u8 *p;
};

static int part_emit(void *ctx, const struct fastboot_sparse_op *op)
{
	u64 i;

	(void)ctx;
	if (op->type == FASTBOOT_SPARSE_OP_WRITE)
		memcpy(F.part + op->offset, op->data, op->len);
	else if (op->type == FASTBOOT_SPARSE_OP_FILL)
		for (i = 0; i < op->len; i += 4)
			memcpy(F.part + op->offset + i, op->fill, 4);
	return 0;
}

static void do_flash(void)
{
	struct fastboot_sparse s;
	int i, ret;

	for (i = 0; i < F.infos; i++)
		answer("INFOwriting %d", i);
	F.flashes++;
	if (fastboot_sparse_is_sparse(F.dl, F.dl_len)) {
		fastboot_sparse_init(&s, F.psize, 0, part_emit, NULL);
		ret = fastboot_sparse_feed(&s, F.dl, F.dl_len);
		if (!ret)
			ret = fastboot_sparse_finish(&s);
		if (ret)
			answer("FAILsparse: %s", s.why);
		else
			answer("OKAY");
		return;
	}
	if (F.dl_len > F.psize) {
		answer("FAILtoo large for partition");
		return;
	}
	memcpy(F.part, F.dl, F.dl_len);
	answer("OKAY");
}

int fbt_write(struct fbh_dev *d, const void *buf, size_t len)
{
	const char *c = buf;
	struct fastboot_command cmd;
	const char *why;
	u64 off, n;

	(void)d;
	snprintf(F.log + strlen(F.log), sizeof(F.log) - strlen(F.log),
		 "%.*s|", (int)len, c);
	if (F.next_answer) {
		answer("%s", F.next_answer);
		F.next_answer = NULL;
		return 0;
	}
	if (fastboot_cmd_parse(&cmd, c, len, &why)) {
		answer("FAIL%s", why);
		return 0;
	}
	switch (cmd.id) {
	case FASTBOOT_CMD_ID_GETVAR:
		if (cmd.var == FASTBOOT_VAR_MAX_DOWNLOAD_SIZE && F.max_dl)
			answer("OKAY0x%08x", F.max_dl);
		else if (cmd.var == FASTBOOT_VAR_PARTITION_SIZE && !F.no_psize &&
			 fastboot_span_eq(c, cmd.target, "boot"))
			answer("OKAY0x%016llx", (unsigned long long)F.psize);
		else if (cmd.var == FASTBOOT_VAR_PRODUCT)
			answer("OKAYfake");
		else
			answer("FAILVariable not implemented");
		break;
	case FASTBOOT_CMD_ID_DOWNLOAD:
		if (F.max_dl && cmd.size > F.max_dl) {
			answer("FAILdata too large");
			break;
		}
		F.want = cmd.size;
		F.downloads++;
		answer("DATA%08x", F.data_mismatch ? cmd.size - 1 : cmd.size);
		break;
	case FASTBOOT_CMD_ID_FLASH:
		if (!fastboot_span_eq(c, cmd.target, "boot"))
			answer("FAILno such partition");
		else
			do_flash();
		break;
	case FASTBOOT_CMD_ID_ERASE:
		memset(F.part, 0xff, F.psize);
		answer("OKAY");
		break;
	case FASTBOOT_CMD_ID_UPLOAD:
		if (!F.staged_len)
			answer("FAILnothing staged");
		else
			answer("DATA%08x", F.staged_len);
		break;
	case FASTBOOT_CMD_ID_FETCH:
		off = cmd.offset;
		n = cmd.flags & FASTBOOT_CMD_F_SIZE ? cmd.length : F.psize - off;
		if (off + n > F.psize)
			n = F.psize - off;
		free(F.staged);
		F.staged = malloc(n);
		memcpy(F.staged, F.part + off, n);
		F.staged_len = (u32)n;
		answer("DATA%08x", (u32)n);
		break;
	case FASTBOOT_CMD_ID_REBOOT:
		answer("INFOrebooting");
		answer("OKAY");
		break;
	default:
		answer("FAILunrecognized command");
	}
	return 0;
}

int fbt_read(struct fbh_dev *d, void *buf, size_t len)
{
	size_t n;

	(void)d;
	if (F.qpos >= F.qn)
		return -ETIMEDOUT;	/* the client read without cause */
	n = strlen(F.q[F.qpos]);
	if (n > len)
		n = len;
	memcpy(buf, F.q[F.qpos++], n);
	if (F.qpos == F.qn)
		F.qpos = F.qn = 0;
	return (int)n;
}

int fbt_send(struct fbh_dev *d, struct fbh_src *src, u64 len)
{
	u64 done = 0, n;
	int ret;

	if (len != F.want)
		return -EIO;
	while (done < len) {
		n = len - done < 70000 ? len - done : 70000;
		if (F.gone_after && done + n >= F.gone_after)
			return -ENODEV;
		ret = src->read(src, F.dl + done, (size_t)n);
		if (ret)
			return ret;
		done += n;
		fbh_xfer_progress(d, done);
		if (F.shrink_path && done >= len / 2) {
			if (truncate(F.shrink_path, 100))
				return -EIO;
			F.shrink_path = NULL;
		}
	}
	F.dl_len = (u32)len;
	F.want = 0;
	answer("OKAY");
	return 0;
}

int fbt_recv(struct fbh_dev *d, struct fbh_sink *sink, u64 len)
{
	u64 done = 0, n;
	int ret;

	if (len != F.staged_len)
		return -EPROTO;
	while (done < len) {
		n = len - done < 5000 ? len - done : 5000;
		ret = sink->write(sink, F.staged + done, (size_t)n);
		if (ret)
			return ret;
		done += n;
		fbh_xfer_progress(d, done);
	}
	answer("OKAY");
	return 0;
}

void fbt_wait_gone(struct fbh_dev *d, unsigned int ms)
{
	(void)d;
	(void)ms;
	F.gone_waits++;
}

void fbt_close(struct fbh_dev *d)
{
	d->usb = NULL;
}

/* ---- helpers ---- */

static int kind(const struct fbh_dev *d)
{
	return (int)fbh_error_kind(d);
}

struct seen {
	char info[8][64];
	int ninfo;
	u64 last_done, last_total;
	int backwards, calls;
	char trace[4096];
};

static void on_info(void *ctx, const char *text)
{
	struct seen *s = ctx;

	if (s->ninfo < 8)
		snprintf(s->info[s->ninfo], 64, "%s", text);
	s->ninfo++;
}

static void on_progress(void *ctx, const char *what, uint64_t done,
			uint64_t total)
{
	struct seen *s = ctx;

	(void)what;
	/* a phase starts at 0, then only moves forward */
	if (done && done < s->last_done && total == s->last_total)
		s->backwards++;
	if (done > total)
		s->backwards++;
	s->last_done = done;
	s->last_total = total;
	s->calls++;
}

static void on_trace(void *ctx, char dir, const char *text)
{
	struct seen *s = ctx;
	size_t l = strlen(s->trace);

	snprintf(s->trace + l, sizeof(s->trace) - l, "%c%s\n", dir, text);
}

static struct fbh_dev *dev(struct seen *s)
{
	struct fbh_dev *d = fbh_dev_new();
	struct fbh_callbacks cb = {
		.info = on_info, .progress = on_progress, .trace = on_trace,
		.ctx = s,
	};

	memset(s, 0, sizeof(*s));
	d->usb = &F;
	fbh_set_callbacks(d, &cb);
	return d;
}

static u32 rnd_state = 7;

static u32 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* A file in /tmp with @len bytes: random, with zero and 0xff stretches. */
static char *mkimg(size_t len, u8 **data)
{
	static char path[64];
	size_t i;
	u8 *p = malloc(len);
	int fd;

	for (i = 0; i < len; i++)
		p[i] = (i / 8192) % 3 == 1 ? 0 : (i / 8192) % 3 == 2 ? 0xff :
		       (u8)rnd();
	snprintf(path, sizeof(path), "/tmp/fb_host_testXXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, p, len) != (ssize_t)len)
		abort();
	close(fd);
	*data = p;
	return path;
}

/* ---- answers ---- */

TEST(getvar_ok_and_fail)
{
	struct seen s;
	struct fbh_dev *d;
	char v[64];

	fake_reset(MIB, MIB);
	d = dev(&s);
	ASSERT_EQ(0, fbh_getvar(d, "product", v, sizeof(v)));
	EXPECT_STREQ("fake", v);
	EXPECT_EQ(-EREMOTEIO, fbh_getvar(d, "nope", v, sizeof(v)));
	EXPECT_EQ(FBH_ERR_FAIL, kind(d));
	EXPECT_STREQ("getvar:nope: device answered FAIL 'Variable not implemented'",
		     fbh_error(d));
	EXPECT_STREQ("Variable not implemented", v);
	EXPECT_STREQ(">getvar:product\n<OKAYfake\n>getvar:nope\n<FAILVariable not implemented\n",
		     s.trace);
	fbh_close(d);
}

TEST(info_lines_then_okay)
{
	struct seen s;
	struct fbh_dev *d;

	fake_reset(MIB, MIB);
	d = dev(&s);
	ASSERT_EQ(0, fbh_simple(d, "reboot"));
	EXPECT_EQ(1, s.ninfo);
	EXPECT_STREQ("rebooting", s.info[0]);
	EXPECT_EQ(1, F.gone_waits);	/* waits for it to leave */
	fbh_close(d);
}

TEST(bad_answers)
{
	static const struct {
		const char *ans;
		const char *msg;
	} cases[] = {
		{ "WHAT", "getvar:x: unknown answer 'WHAT'" },
		{ "TEXThello", "getvar:x: unknown answer 'TEXThello'" },
		{ "OK", "getvar:x: short answer from the device (2 bytes)" },
		{ "", "getvar:x: short answer from the device (0 bytes)" },
		{ "DATA00001000", "getvar:x: unexpected answer 'DATA00001000'" },
		{ "FAIL\x01\xff", "getvar:x: device answered FAIL '\?\?'" },
	};
	struct seen s;
	struct fbh_dev *d;
	char v[64];
	size_t i;

	fake_reset(MIB, MIB);
	d = dev(&s);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		F.next_answer = cases[i].ans;
		EXPECT_NE(0, fbh_getvar(d, "x", v, sizeof(v)));
		EXPECT_STREQ(cases[i].msg, fbh_error(d));
	}
	/* a bad DATA size */
	F.next_answer = "DATA12zz";
	EXPECT_EQ(-EPROTO, fbh_download(d, "abc", 3));
	EXPECT_STREQ("download:00000003: malformed answer 'DATA12zz'",
		     fbh_error(d));
	F.data_mismatch = true;
	EXPECT_EQ(-EPROTO, fbh_download(d, "abc", 3));
	EXPECT_EQ(FBH_ERR_PROTOCOL, kind(d));
	EXPECT_NE(NULL, strstr(fbh_error(d), "not the size asked for"));
	/* the device still answers afterwards */
	F.data_mismatch = false;
	EXPECT_EQ(0, fbh_getvar(d, "product", v, sizeof(v)));
	EXPECT_EQ(FBH_ERR_NONE, kind(d));
	fbh_close(d);
}

TEST(command_limits)
{
	char big[FASTBOOT_CMD_ID_MAX + 2];
	struct seen s;
	struct fbh_dev *d;

	fake_reset(MIB, MIB);
	d = dev(&s);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	EXPECT_EQ(-EINVAL, fbh_simple(d, big));
	EXPECT_EQ(FBH_ERR_ARG, kind(d));
	EXPECT_EQ(-EINVAL, fbh_simple(d, ""));
	EXPECT_EQ(-EINVAL, fbh_download(d, "", 0));
	fbh_close(d);
}

/* ---- flash ---- */

static int flash_file(struct fbh_dev *d, const char *path)
{
	return fbh_flash(d, "boot", path);
}

TEST(flash_small_raw)
{
	struct seen s;
	struct fbh_dev *d;
	char *path;
	u8 *img;

	fake_reset(4 * MIB, MIB);
	path = mkimg(300000, &img);
	d = dev(&s);
	ASSERT_EQ(0, flash_file(d, path)) {
		TH_LOG("%s", fbh_error(d));
	}
	EXPECT_STREQ("getvar:max-download-size|getvar:partition-size:boot|download:000493e0|flash:boot|",
		     F.log);
	EXPECT_EQ(0, memcmp(F.part, img, 300000));
	EXPECT_EQ(POISON, F.part[300000]);	/* sent as is: no padding */
	EXPECT_EQ(0, s.backwards);
	EXPECT_EQ(300000u, s.last_done);
	unlink(path);
	free(img);
	fbh_close(d);
}

TEST(flash_big_raw_split)
{
	size_t len = 5 * MIB + 1234;
	struct seen s;
	struct fbh_dev *d;
	char *path;
	size_t i;
	u8 *img;

	fake_reset(8 * MIB, MIB);
	F.infos = 2;
	path = mkimg(len, &img);
	d = dev(&s);
	ASSERT_EQ(0, flash_file(d, path)) {
		TH_LOG("%s", fbh_error(d));
	}
	EXPECT_LE(2, F.downloads);	/* a third is random data */
	EXPECT_EQ(F.downloads, F.flashes);
	EXPECT_EQ(2 * F.flashes, s.ninfo);
	EXPECT_EQ(0, memcmp(F.part, img, len));
	for (i = len; i < (len + 4095) / 4096 * 4096; i++)
		ASSERT_EQ(0, F.part[i]);	/* the padded last block */
	EXPECT_EQ(POISON, F.part[(len + 4095) / 4096 * 4096]);
	EXPECT_EQ(0, s.backwards);
	EXPECT_EQ(s.last_total, s.last_done);
	unlink(path);
	free(img);
	fbh_close(d);
}

/* Sparse input resplit: DONT_CARE regions stay as they were. */
TEST(flash_sparse_split)
{
	u8 hdr[FASTBOOT_SPARSE_FILE_HDR_LEN], ch[FASTBOOT_SPARSE_CHUNK_HDR_LEN];
	u8 *raw = malloc(2 * MIB);
	char path[] = "/tmp/fb_host_testXXXXXX";
	struct seen s;
	struct fbh_dev *d;
	u32 v = 0x11223344;
	int fd;

	fake_reset(8 * MIB, 256 * KIB);
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	fastboot_sparse_put_file_hdr(hdr, 4096, 1024 + 512 + 256 + 100, 4);
	ASSERT_EQ(28, write(fd, hdr, 28));
	fastboot_sparse_put_chunk_hdr(ch, FASTBOOT_SPARSE_DONT_CARE, 1024, 4096, NULL);
	ASSERT_EQ(12, write(fd, ch, 12));
	fastboot_sparse_put_chunk_hdr(ch, FASTBOOT_SPARSE_RAW, 512, 4096, NULL);
	ASSERT_EQ(12, write(fd, ch, 12));
	for (size_t i = 0; i < 2 * MIB; i++)
		raw[i] = (u8)rnd();
	ASSERT_EQ((ssize_t)(2 * MIB), write(fd, raw, 2 * MIB));
	fastboot_sparse_put_chunk_hdr(ch, FASTBOOT_SPARSE_FILL, 256, 4096, NULL);
	ASSERT_EQ(12, write(fd, ch, 12));
	ASSERT_EQ(4, write(fd, &v, 4));
	fastboot_sparse_put_chunk_hdr(ch, FASTBOOT_SPARSE_DONT_CARE, 100, 4096, NULL);
	ASSERT_EQ(12, write(fd, ch, 12));
	close(fd);
	d = dev(&s);
	ASSERT_EQ(0, flash_file(d, path)) {
		TH_LOG("%s", fbh_error(d));
	}
	EXPECT_LE(9, F.flashes);
	EXPECT_EQ(POISON, F.part[0]);
	EXPECT_EQ(POISON, F.part[4 * MIB - 1]);
	EXPECT_EQ(0, memcmp(F.part + 4 * MIB, raw, 2 * MIB));
	EXPECT_EQ(0x44, F.part[6 * MIB]);
	EXPECT_EQ(0x11, F.part[7 * MIB - 1]);
	EXPECT_EQ(POISON, F.part[7 * MIB]);
	unlink(path);
	free(raw);
	fbh_close(d);
}

/* Bigger than the partition: refused, nothing downloaded or written. */
TEST(flash_too_big)
{
	struct seen s;
	struct fbh_dev *d;
	char *path;
	u8 *img;

	fake_reset(MIB, 256 * KIB);
	path = mkimg(MIB + 1, &img);
	d = dev(&s);
	EXPECT_EQ(-EFBIG, flash_file(d, path));
	EXPECT_EQ(FBH_ERR_FILE, kind(d));
	EXPECT_NE(NULL, strstr(fbh_error(d), "partition 'boot' holds 1048576: nothing written")) {
		TH_LOG("%s", fbh_error(d));
	}
	EXPECT_EQ(0, F.downloads);
	EXPECT_EQ(POISON, F.part[0]);
	/* fits, but not once padded to 4 KiB for splitting */
	unlink(path);
	free(img);
	fake_reset(MIB - 100, 256 * KIB);
	path = mkimg(MIB - 200, &img);
	EXPECT_EQ(-EFBIG, flash_file(d, path));
	EXPECT_NE(NULL, strstr(fbh_error(d), "(padded to 4 KiB)"));
	EXPECT_EQ(0, F.downloads);
	unlink(path);
	free(img);
	fbh_close(d);
}

/* U-Boot-like: no max-download-size, no partition-size: sent whole. */
TEST(flash_without_optional_vars)
{
	size_t len = 3 * MIB + 5;
	struct seen s;
	struct fbh_dev *d;
	char *path;
	u8 *img;

	fake_reset(4 * MIB, 0);
	F.no_psize = true;
	path = mkimg(len, &img);
	d = dev(&s);
	ASSERT_EQ(0, flash_file(d, path)) {
		TH_LOG("%s", fbh_error(d));
	}
	EXPECT_EQ(1, F.downloads);
	EXPECT_EQ(0, memcmp(F.part, img, len));
	EXPECT_EQ(FBH_ERR_NONE, kind(d));
	/* -S cuts it anyway */
	memset(F.part, POISON, F.psize);
	F.downloads = 0;
	fbh_set_max_download(d, 512 * KIB);
	ASSERT_EQ(0, flash_file(d, path));
	EXPECT_LE(2, F.downloads);
	EXPECT_EQ(0, memcmp(F.part, img, len));
	unlink(path);
	free(img);
	fbh_close(d);
}

TEST(flash_missing_file)
{
	struct seen s;
	struct fbh_dev *d;

	fake_reset(MIB, MIB);
	d = dev(&s);
	EXPECT_EQ(-ENOENT, flash_file(d, "/nonexistent/x.img"));
	EXPECT_EQ(FBH_ERR_FILE, kind(d));
	EXPECT_STREQ("flash:boot: /nonexistent/x.img: No such file or directory",
		     fbh_error(d));
	EXPECT_STREQ("", F.log);
	fbh_close(d);
}

TEST(flash_device_gone)
{
	struct seen s;
	struct fbh_dev *d;
	char *path;
	u8 *img;

	fake_reset(4 * MIB, 4 * MIB);
	path = mkimg(2 * MIB, &img);
	F.gone_after = MIB;
	d = dev(&s);
	EXPECT_EQ(-ENODEV, flash_file(d, path));
	EXPECT_EQ(FBH_ERR_GONE, kind(d));
	EXPECT_STREQ("download:00200000: device gone (ENODEV)", fbh_error(d));
	EXPECT_EQ(0, F.flashes);
	unlink(path);
	free(img);
	fbh_close(d);
}

/* The file shrinks mid-download: the rest goes as zeros, no flash. */
TEST(flash_file_shrinks)
{
	struct seen s;
	struct fbh_dev *d;
	char *path;
	u8 *img;

	fake_reset(4 * MIB, 4 * MIB);
	path = mkimg(2 * MIB, &img);
	F.shrink_path = path;
	d = dev(&s);
	EXPECT_EQ(-EIO, flash_file(d, path));
	EXPECT_EQ(FBH_ERR_FILE, kind(d));
	EXPECT_NE(NULL, strstr(fbh_error(d), "nothing flashed")) {
		TH_LOG("%s", fbh_error(d));
	}
	EXPECT_EQ(1, F.downloads);
	EXPECT_EQ(0, F.flashes);
	EXPECT_EQ((u32)(2 * MIB), F.dl_len);	/* the device got its bytes */
	EXPECT_EQ(0, F.dl[2 * MIB - 1]);
	unlink(path);
	free(img);
	fbh_close(d);
}

/* ---- read-back ---- */

TEST(fetch_and_upload)
{
	char path[] = "/tmp/fb_host_testXXXXXX";
	struct seen s;
	struct fbh_dev *d;
	uint64_t got = 0;
	u8 *back;
	int fd;

	fake_reset(3 * MIB, MIB);
	for (size_t i = 0; i < F.psize; i++)
		F.part[i] = (u8)rnd();
	d = dev(&s);
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fbh_fetch(d, "boot", 1000, 0, fd, &got)) {
		TH_LOG("%s", fbh_error(d));
	}
	EXPECT_EQ(3 * MIB - 1000, got);
	EXPECT_NE(NULL, strstr(F.log, "getvar:partition-size:boot|fetch:boot:0x3e8:0x2ffc18|"));
	back = malloc(3 * MIB);
	ASSERT_EQ((ssize_t)got, pread(fd, back, 3 * MIB, 0));
	EXPECT_EQ(0, memcmp(back, F.part + 1000, got));
	/* a range, then what was staged again by upload */
	ASSERT_EQ(0, ftruncate(fd, 0));
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	ASSERT_EQ(0, fbh_fetch(d, "boot", 4096, 8192, fd, &got));
	EXPECT_EQ(8192u, got);
	ASSERT_EQ(0, fbh_upload(d, fd, &got));
	EXPECT_EQ(8192u, got);
	ASSERT_EQ(16384, pread(fd, back, 3 * MIB, 0));
	EXPECT_EQ(0, memcmp(back, F.part + 4096, 8192));
	EXPECT_EQ(0, memcmp(back + 8192, F.part + 4096, 8192));
	EXPECT_EQ(0, s.backwards);
	close(fd);
	unlink(path);
	free(back);
	fbh_close(d);
}

TEST(upload_nothing_staged)
{
	struct seen s;
	struct fbh_dev *d;
	uint64_t got = 5;

	fake_reset(MIB, MIB);
	d = dev(&s);
	EXPECT_EQ(-EREMOTEIO, fbh_upload(d, 1, &got));
	EXPECT_EQ(0u, got);
	EXPECT_STREQ("upload: device answered FAIL 'nothing staged'", fbh_error(d));
	fbh_close(d);
}

/* ---- images as build systems ship them (fb-image.h) ---- */

/* count of @what in the fake's command log */
static int logged(const char *what)
{
	const char *p = F.log;
	int n = 0;

	while ((p = strstr(p, what))) {
		n++;
		p += strlen(what);
	}
	return n;
}

/*
 * img.raw.zst with img.bmap, in pieces: the mapped blocks land, the
 * unmapped ones keep the poison, and only the mapped bytes (plus headers)
 * are sent. Also sent as pieces when it would fit whole.
 */
TEST(flash_bmap_compressed)
{
	const struct fbh_flash_opts o = {
		.bmap = img_file("img.bmap"),
	};
	static const u32 mapped[][2] = {
		{ 0, 1 }, { 3, 3 }, { 100, 163 }, { 200, 200 }, { 1280, 1280 },
	};
	struct fbh_flash_info info;
	size_t len = 0, i, j;
	char *raw = img_load("img.raw", &len);
	u32 max[] = { 64 * KIB, 8 * MIB };
	struct seen s;
	struct fbh_dev *d;

	ASSERT_NE(NULL, raw);
	for (j = 0; j < 2; j++) {
		fake_reset(6 * MIB, max[j]);
		d = dev(&s);
		ASSERT_EQ(0, fbh_flash_image(d, "boot", img_file("img.raw.zst"),
					     &o, &info)) {
			TH_LOG("%s", fbh_error(d));
		}
		EXPECT_STREQ("zstd", info.compression);
		EXPECT_STREQ(o.bmap, info.bmap);
		EXPECT_EQ(len, info.image_bytes);
		EXPECT_EQ(68u * 4096 + 1000, info.mapped_bytes);
		EXPECT_EQ(info.pieces, (u32)F.flashes);
		EXPECT_EQ(F.downloads, F.flashes);
		EXPECT_EQ(info.pieces, info.flashed);
		EXPECT_LE(j ? 1u : 5u, info.pieces);
		/* headers: 28 + 2 x 12 per piece, 2 x 12 per range */
		EXPECT_GE(69u * 4096 + 64 * info.pieces + 24 * 5,
			  info.sent_bytes);
		for (i = 0; i < 5; i++) {
			u64 off = mapped[i][0] * 4096ull;
			u64 n = (mapped[i][1] + 1ull) * 4096 - off;

			if (off + n > len)
				n = len - off;
			EXPECT_EQ(0, memcmp(F.part + off, raw + off, n));
		}
		EXPECT_EQ(POISON, F.part[2 * 4096]);
		EXPECT_EQ(POISON, F.part[4 * 4096]);
		EXPECT_EQ(POISON, F.part[164 * 4096]);
		EXPECT_EQ(POISON, F.part[1279 * 4096 + 4095]);
		EXPECT_EQ(POISON, F.part[1281 * 4096]);
		fbh_close(d);
	}
	free(raw);
}

/*
 * An image that proves bad only at its end (longer than ImageSize): every
 * piece is downloaded, the last one is never flashed, and the message
 * says what the partition holds.
 */
TEST(flash_bmap_last_piece_held_back)
{
	const struct fbh_flash_opts o = {
		.bmap = img_file("img.bmap"),
	};
	struct fbh_flash_info info;
	struct seen s;
	struct fbh_dev *d;

	fake_reset(6 * MIB, 64 * KIB);
	d = dev(&s);
	EXPECT_EQ(-EBADMSG, fbh_flash_image(d, "boot", img_file("img-long.gz"),
					    &o, &info));
	EXPECT_EQ(FBH_ERR_FILE, kind(d));
	EXPECT_LE(2u, info.pieces);
	EXPECT_EQ((int)info.pieces, F.downloads);
	EXPECT_EQ((int)info.pieces - 1, F.flashes);
	EXPECT_EQ(info.pieces - 1, info.flashed);
	EXPECT_NE(NULL, strstr(fbh_error(d), "longer than the bmap's ImageSize")) {
		TH_LOG("%s", fbh_error(d));
	}
	EXPECT_NE(NULL, strstr(fbh_error(d), "were flashed: the image's mapped blocks below byte")) {
		TH_LOG("%s", fbh_error(d));
	}
	EXPECT_EQ(POISON, F.part[1280 * 4096]);	/* the last range */
	fbh_close(d);
}

/* A bad range: its piece is not flashed, nor anything after it. */
TEST(flash_bmap_bad_range)
{
	const struct fbh_flash_opts o = {
		.bmap = img_file("img.bmap"),
	};
	struct fbh_flash_info info;
	struct seen s;
	struct fbh_dev *d;

	fake_reset(6 * MIB, 64 * KIB);
	d = dev(&s);
	EXPECT_EQ(-EBADMSG, fbh_flash_image(d, "boot", img_file("img-bad.raw"),
					    &o, &info));
	EXPECT_EQ(FBH_ERR_FILE, kind(d));
	EXPECT_NE(NULL, strstr(fbh_error(d), "range 3 of 5 (blocks 100-163")) {
		TH_LOG("%s", fbh_error(d));
	}
	EXPECT_NE(NULL, strstr(fbh_error(d), "(the rest was sent as zeros, nothing flashed)")) {
		TH_LOG("%s", fbh_error(d));
	}
	EXPECT_EQ(F.downloads - 1, F.flashes);
	EXPECT_EQ(POISON, F.part[163 * 4096]);
	EXPECT_EQ(POISON, F.part[200 * 4096]);
	fbh_close(d);
}

/* Compressed without a map: whole when it fits, else split; broken: nothing sent. */
TEST(flash_compressed_no_bmap)
{
	const struct fbh_flash_opts o = { .no_bmap = true };
	struct fbh_flash_info info;
	size_t len = 0;
	char *raw = img_load("img.raw", &len);
	struct seen s;
	struct fbh_dev *d;

	ASSERT_NE(NULL, raw);
	fake_reset(6 * MIB, 8 * MIB);
	d = dev(&s);
	ASSERT_EQ(0, fbh_flash_image(d, "boot", img_file("img.raw.xz"), &o,
				     &info)) {
		TH_LOG("%s", fbh_error(d));
	}
	EXPECT_EQ(0u, info.pieces);
	EXPECT_EQ(len, info.sent_bytes);
	EXPECT_EQ(1, logged("download:"));
	EXPECT_EQ(0, memcmp(F.part, raw, len));
	EXPECT_EQ(POISON, F.part[len]);	/* as is: no padding */
	fbh_close(d);

	fake_reset(6 * MIB, 128 * KIB);
	d = dev(&s);
	ASSERT_EQ(0, fbh_flash_image(d, "boot", img_file("img.raw.bz2"), &o,
				     &info)) {
		TH_LOG("%s", fbh_error(d));
	}
	EXPECT_LE(2u, info.pieces);
	EXPECT_EQ(0, memcmp(F.part, raw, len));
	EXPECT_EQ(0, F.part[len]);	/* the padded last block */
	fbh_close(d);

	fake_reset(6 * MIB, 128 * KIB);
	d = dev(&s);
	EXPECT_EQ(-EIO, fbh_flash_image(d, "boot", img_file("trunc.gz"), &o,
					&info));
	EXPECT_EQ(FBH_ERR_FILE, kind(d));
	EXPECT_NE(NULL, strstr(fbh_error(d), "gzip -d failed")) {
		TH_LOG("%s", fbh_error(d));
	}
	EXPECT_STREQ("", F.log);	/* refused before the device was asked */
	fbh_close(d);
	free(raw);
}

TEST_HARNESS_MAIN
