// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for userspace/lib/decomp.c, streaming decompression through
 * the system decompressors:
 *
 *  - img.raw compressed by gzip, xz, zstd and bzip2 (image_data.sh):
 *    recognised by magic (also under a name that says nothing), read
 *    back in reads of varying size equal to img.raw byte for byte, end
 *    reported only once, the decompressor reaped;
 *  - truncated and corrupt files of each format: the read that meets
 *    the end fails with -EIO naming the program and its exit status, and
 *    no read ever reports a clean end;
 *  - a decompressor missing from PATH: -ENOENT naming the Debian package;
 *  - plain files passed through, skipping by seek and by reading, a
 *    pipe refused, the child stopped and reaped when closed early, the
 *    magic numbers of each format and near misses.
 *
 * Environment: IMG_DATA overrides the data directory.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "decomp.h"
#include "img_data.h"
#include "kselftest_harness.h"

/* No child of ours is left (running or zombie). */
static bool no_children(void)
{
	return waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD;
}

TEST(magic)
{
	static const u8 gz[] = { 0x1f, 0x8b, 0x08, 0 };
	static const u8 gz_bad[] = { 0x1f, 0x8b, 0x07, 0 };
	static const u8 xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	static const u8 xz_bad[] = { 0xfd, '7', 'z', 'X', 'Z', 1 };
	static const u8 zst[] = { 0x28, 0xb5, 0x2f, 0xfd };
	static const u8 zst_skip[] = { 0x5e, 0x2a, 0x4d, 0x18 };
	static const u8 zst_bad[] = { 0x28, 0xb5, 0x2f, 0xfe };
	static const u8 bz[] = { 'B', 'Z', 'h', '9' };
	static const u8 bz_bad[] = { 'B', 'Z', 'h', '0' };
	static const u8 zero[6] = { 0 };

	EXPECT_EQ(DECOMP_GZIP, (int)decomp_detect(gz, sizeof(gz)));
	EXPECT_EQ(DECOMP_PLAIN, (int)decomp_detect(gz, 2));
	EXPECT_EQ(DECOMP_PLAIN, (int)decomp_detect(gz_bad, sizeof(gz_bad)));
	EXPECT_EQ(DECOMP_XZ, (int)decomp_detect(xz, sizeof(xz)));
	EXPECT_EQ(DECOMP_PLAIN, (int)decomp_detect(xz, 5));
	EXPECT_EQ(DECOMP_PLAIN, (int)decomp_detect(xz_bad, sizeof(xz_bad)));
	EXPECT_EQ(DECOMP_ZSTD, (int)decomp_detect(zst, sizeof(zst)));
	EXPECT_EQ(DECOMP_ZSTD, (int)decomp_detect(zst_skip, sizeof(zst_skip)));
	EXPECT_EQ(DECOMP_PLAIN, (int)decomp_detect(zst_bad, sizeof(zst_bad)));
	EXPECT_EQ(DECOMP_BZIP2, (int)decomp_detect(bz, sizeof(bz)));
	EXPECT_EQ(DECOMP_PLAIN, (int)decomp_detect(bz_bad, sizeof(bz_bad)));
	EXPECT_EQ(DECOMP_PLAIN, (int)decomp_detect(zero, sizeof(zero)));
	EXPECT_EQ(DECOMP_PLAIN, (int)decomp_detect(zero, 0));
	EXPECT_STREQ("xz-utils", decomp_package(DECOMP_XZ));
	EXPECT_STREQ("zstd", decomp_name(DECOMP_ZSTD));
}

FIXTURE(formats) {
	char *raw;
	size_t raw_len;
	char path[512];
};

FIXTURE_VARIANT(formats) {
	const char *file;
	enum decomp_fmt fmt;
};

FIXTURE_VARIANT_ADD(formats, gzip) {
	.file = "img.raw.gz", .fmt = DECOMP_GZIP,
};
FIXTURE_VARIANT_ADD(formats, xz) {
	.file = "img.raw.xz", .fmt = DECOMP_XZ,
};
FIXTURE_VARIANT_ADD(formats, zstd) {
	.file = "img.raw.zst", .fmt = DECOMP_ZSTD,
};
FIXTURE_VARIANT_ADD(formats, bzip2) {
	.file = "img.raw.bz2", .fmt = DECOMP_BZIP2,
};
FIXTURE_VARIANT_ADD(formats, misnamed) {
	.file = "misnamed.img", .fmt = DECOMP_GZIP,
};
FIXTURE_VARIANT_ADD(formats, plain) {
	.file = "img.raw", .fmt = DECOMP_PLAIN,
};

/* Exactly @len bytes, or what decomp_read() said instead. */
static ssize_t read_full(struct decomp *z, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = decomp_read(z, buf + got, len - got);
		if (n <= 0)
			return n;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

FIXTURE_SETUP(formats)
{
	self->raw = img_load("img.raw", &self->raw_len);
	ASSERT_NE(NULL, self->raw) {
		TH_LOG("no img.raw: run make unit");
	}
}

FIXTURE_TEARDOWN(formats)
{
	free(self->raw);
}

/* The whole stream in reads of 1 byte to 1 MiB: equal to img.raw. */
TEST_F(formats, read_all)
{
	static const size_t sizes[] = { 1, 7, 4096, 65536, 100000, 1 << 20 };
	struct decomp z;
	size_t off = 0, k = 0;
	ssize_t n;
	char *buf;

	buf = malloc(1 << 20);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, decomp_open(&z, img_path(self->path, sizeof(self->path),
					      variant->file))) {
		TH_LOG("%s", z.why);
	}
	EXPECT_EQ((int)variant->fmt, (int)z.fmt);
	for (;;) {
		n = decomp_read(&z, buf, sizes[k++ % 6]);
		ASSERT_LE(0, n) {
			TH_LOG("%s", z.why);
		}
		if (!n)
			break;
		ASSERT_GE(self->raw_len, off + (size_t)n);
		ASSERT_EQ(0, memcmp(self->raw + off, buf, (size_t)n)) {
			TH_LOG("differs within %zu bytes at %zu", (size_t)n,
			       off);
		}
		off += (size_t)n;
	}
	EXPECT_EQ(self->raw_len, off);
	EXPECT_EQ(self->raw_len, z.out_bytes);
	EXPECT_TRUE(z.eof);
	EXPECT_EQ(0, decomp_read(&z, buf, 10));
	EXPECT_EQ(0, z.pid);
	decomp_close(&z);
	EXPECT_TRUE(no_children());
	free(buf);
}

/* Skip the first half (seek or read), read the rest. */
TEST_F(formats, skip)
{
	struct decomp z;
	char scratch[5000], buf[4096];
	size_t half = self->raw_len / 2 + 3, off;
	ssize_t n;

	ASSERT_EQ(0, decomp_open(&z, img_path(self->path, sizeof(self->path),
					      variant->file)));
	ASSERT_EQ(0, decomp_skip(&z, half, scratch, sizeof(scratch))) {
		TH_LOG("%s", z.why);
	}
	EXPECT_EQ(half, z.out_bytes);
	for (off = half; (n = decomp_read(&z, buf, sizeof(buf))) > 0;
	     off += (size_t)n)
		ASSERT_EQ(0, memcmp(self->raw + off, buf, (size_t)n));
	EXPECT_EQ(0, n);
	EXPECT_EQ(self->raw_len, off);
	/* past the end */
	EXPECT_EQ(-ENODATA, decomp_skip(&z, 1, scratch, sizeof(scratch)));
	EXPECT_NE(NULL, strstr(z.why, "ends at byte"));
	decomp_close(&z);

	ASSERT_EQ(0, decomp_open(&z, self->path));
	EXPECT_EQ(-ENODATA, decomp_skip(&z, self->raw_len + 1, scratch,
					sizeof(scratch)));
	EXPECT_NE(NULL, strstr(z.why, "ends at byte")) {
		TH_LOG("%s", z.why);
	}
	decomp_close(&z);
	EXPECT_TRUE(no_children());
}

/* Close in the middle: the child is stopped and reaped. */
TEST_F(formats, close_early)
{
	struct decomp z;
	char buf[1000];

	ASSERT_EQ(0, decomp_open(&z, img_path(self->path, sizeof(self->path),
					      variant->file)));
	ASSERT_EQ(1000, read_full(&z, buf, sizeof(buf)));
	decomp_close(&z);
	EXPECT_TRUE(no_children());
	decomp_close(&z);	/* twice is harmless */
}

/*
 * A broken file: some data may come, then the read at the end fails
 * with the program's status and message; never a clean end.
 */
static void broken(struct __test_metadata *_metadata, const char *name,
		   const char *prog, const char *raw, size_t raw_len)
{
	char path[512], want[64];
	struct decomp z;
	size_t off = 0;
	bool differs = false;
	ssize_t n;
	char *buf;

	buf = malloc(65536);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, decomp_open(&z, img_path(path, sizeof(path), name)));
	while ((n = decomp_read(&z, buf, 65536)) > 0) {
		if (off + (size_t)n > raw_len ||
		    memcmp(raw + off, buf, (size_t)n))
			differs = true;
		off += (size_t)n;
	}
	EXPECT_EQ(-EIO, n) {
		TH_LOG("%s: %zu bytes%s, then %zd (%s)", name, off,
		       differs ? " (different)" : "", n, z.why);
	}
	snprintf(want, sizeof(want), "%s -d failed (exit ", prog);
	EXPECT_TRUE(strstr(z.why, want) == z.why) {
		TH_LOG("%s: %s", name, z.why);
	}
	EXPECT_NE(NULL, strstr(z.why, prog));
	TH_LOG("%s: %s", name, z.why);
	/* the error stays */
	EXPECT_GT(0, decomp_read(&z, buf, 10));
	decomp_close(&z);
	EXPECT_TRUE(no_children());

	/*
	 * Skipped, not read (splice into /dev/null): the same failure,
	 * never a clean end, and no -ENODATA that would hide it.
	 */
	ASSERT_EQ(0, decomp_open(&z, path));
	n = decomp_skip(&z, raw_len, buf, 65536);
	/*
	 * A corrupt stream may be whole in length, or longer (a damaged
	 * bzip2 block can decode to more bytes than it held): what
	 * follows, read to its end, says it.
	 */
	if (!n)
		while ((n = decomp_read(&z, buf, 65536)) > 0)
			;
	EXPECT_EQ(-EIO, n) {
		TH_LOG("%s: skip: %zd (%s)", name, n, z.why);
	}
	EXPECT_TRUE(strstr(z.why, want) == z.why) {
		TH_LOG("%s: skip: %s", name, z.why);
	}
	decomp_close(&z);
	EXPECT_TRUE(no_children());
	free(buf);
}

FIXTURE(compressed) {
	char *raw;
	size_t raw_len;
	char path[512];
};

FIXTURE_VARIANT(compressed) {
	const char *file, *trunc, *corrupt;
	enum decomp_fmt fmt;
	const char *prog;
};

FIXTURE_VARIANT_ADD(compressed, gzip) {
	.file = "img.raw.gz", .trunc = "trunc.gz", .corrupt = "corrupt.gz",
	.fmt = DECOMP_GZIP, .prog = "gzip",
};
FIXTURE_VARIANT_ADD(compressed, xz) {
	.file = "img.raw.xz", .trunc = "trunc.xz", .corrupt = "corrupt.xz",
	.fmt = DECOMP_XZ, .prog = "xz",
};
FIXTURE_VARIANT_ADD(compressed, zstd) {
	.file = "img.raw.zst", .trunc = "trunc.zst", .corrupt = "corrupt.zst",
	.fmt = DECOMP_ZSTD, .prog = "zstd",
};
FIXTURE_VARIANT_ADD(compressed, bzip2) {
	.file = "img.raw.bz2", .trunc = "trunc.bz2",
	.corrupt = "corrupt.bz2", .fmt = DECOMP_BZIP2, .prog = "bzip2",
};

FIXTURE_SETUP(compressed)
{
	self->raw = img_load("img.raw", &self->raw_len);
	ASSERT_NE(NULL, self->raw) {
		TH_LOG("no img.raw: run make unit");
	}
}

FIXTURE_TEARDOWN(compressed)
{
	free(self->raw);
}

TEST_F(compressed, truncated)
{
	broken(_metadata, variant->trunc, variant->prog, self->raw,
	       self->raw_len);
}

TEST_F(compressed, corrupt)
{
	broken(_metadata, variant->corrupt, variant->prog, self->raw,
	       self->raw_len);
}

/* Without the program on PATH: the package to install. */
TEST_F(compressed, missing_program)
{
	char *old = getenv("PATH"), *save;
	struct decomp z;
	char want[64];
	int ret;

	save = old ? strdup(old) : NULL;
	setenv("PATH", "/nonexistent", 1);
	ret = decomp_open(&z, img_path(self->path, sizeof(self->path),
				       variant->file));
	if (save) {
		setenv("PATH", save, 1);
		free(save);
	}
	EXPECT_EQ(-ENOENT, ret);
	snprintf(want, sizeof(want), "apt-get install %s",
		 decomp_package(variant->fmt));
	EXPECT_NE(NULL, strstr(z.why, want)) {
		TH_LOG("%s", z.why);
	}
	EXPECT_EQ(-1, z.in_fd);
	decomp_close(&z);
	EXPECT_TRUE(no_children());
}

TEST(not_seekable)
{
	struct decomp z;
	int p[2];
	char path[64];

	ASSERT_EQ(0, pipe(p));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	EXPECT_EQ(-ESPIPE, decomp_open(&z, path));
	EXPECT_NE(NULL, strstr(z.why, "not a regular file"));
	close(p[0]);
	close(p[1]);
	EXPECT_EQ(-ENOENT, decomp_open(&z, "/nonexistent/x.gz"));
	EXPECT_NE(NULL, strstr(z.why, "open"));
}

/* A caller that ignores SIGPIPE: the child still stops on close. */
TEST(sigpipe_ignored)
{
	struct decomp z;
	char path[512], buf[100];

	signal(SIGPIPE, SIG_IGN);
	ASSERT_EQ(0, decomp_open(&z, img_path(path, sizeof(path),
					      "img.raw.xz")));
	ASSERT_EQ(100, read_full(&z, buf, sizeof(buf)));
	decomp_close(&z);
	EXPECT_TRUE(no_children());
	signal(SIGPIPE, SIG_DFL);
}

TEST_HARNESS_MAIN
