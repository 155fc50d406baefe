// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * imx-factory's manifest (userspace/imx-factory/imx-factory-manifest.c):
 * the built-in flow, the line format (comments, blanks, tabs, --verify,
 * oem text, flash --bmap MAP and --no-bmap), the command each fastboot step sends, image resolution
 * against the images directory, -b, and every rejected input with the
 * manifest line and the reason in the message. Per-board steps
 * (imx-factory-vars.c): ${uid}, ${port}, ${board} and '$$', unknown
 * variables refused with their line, each board's expansion parsed and
 * its image checked, a board without a unique ID refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imx-factory.h"

#include "kselftest_harness.h"

static char err[1024];

static int parse(struct fac_manifest *m, const char *text)
{
	return fac_manifest_parse(m, text, "t.manifest", err, sizeof(err));
}

static void write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
		perror(path);
		exit(1);
	}
	close(fd);
}

TEST(default_manifest)
{
	static const char *const labels[] = {
		"sdp boot", "flash mbr", "flash 0x400", "flash env",
		"flash rootfs", "reboot",
	};
	struct fac_manifest m;
	int i;

	ASSERT_EQ(0, parse(&m, fac_default_manifest)) TH_LOG("%s", err);
	ASSERT_EQ(6, m.n);
	for (i = 0; i < m.n; i++)
		EXPECT_STREQ(labels[i], m.step[i].label);
	EXPECT_EQ(FAC_SDP_BOOT, (int)m.step[0].op);
	EXPECT_STREQ("u-boot.imx", m.step[0].file);
	EXPECT_FALSE(m.step[0].verify);
	EXPECT_EQ(FAC_FB_FLASH, (int)m.step[2].op);
	EXPECT_STREQ("0x400", m.step[2].arg);
	EXPECT_STREQ("u-boot.imx", m.step[2].file);
	EXPECT_EQ(FAC_FB_REBOOT, (int)m.step[5].op);
	EXPECT_TRUE(fac_needs_sdp(&m));
	EXPECT_EQ(2, m.step[0].line);	/* line 1 is a comment */
	fac_manifest_free(&m);
}

TEST(format)
{
	struct fac_manifest m;
	char cmd[80];

	ASSERT_EQ(0, parse(&m,
		"\n"
		"  # a comment\n"
		"\tsdp   boot\tu-boot.imx   --verify   # trailing\r\n"
		"fastboot flash rootfs rootfs.ext4\n"
		"fastboot erase misc\n"
		"fastboot oem fuse  prog 0 0x12   \n"
		"fastboot getvar version-bootloader\n"
		"fastboot reboot-bootloader")) TH_LOG("%s", err);
	ASSERT_EQ(6, m.n);
	EXPECT_EQ(3, m.step[0].line);
	EXPECT_TRUE(m.step[0].verify);
	EXPECT_STREQ("u-boot.imx", m.step[0].file);
	EXPECT_STREQ("rootfs", m.step[1].arg);
	EXPECT_STREQ("rootfs.ext4", m.step[1].file);
	EXPECT_EQ(FAC_FB_ERASE, (int)m.step[2].op);
	ASSERT_EQ(0, fac_step_command(&m.step[2], cmd, sizeof(cmd)));
	EXPECT_STREQ("erase:misc", cmd);
	/* oem text goes as written, inner spaces included */
	EXPECT_EQ(FAC_FB_OEM, (int)m.step[3].op);
	ASSERT_EQ(0, fac_step_command(&m.step[3], cmd, sizeof(cmd)));
	EXPECT_STREQ("oem fuse  prog 0 0x12", cmd);
	EXPECT_EQ(FAC_FB_GETVAR, (int)m.step[4].op);
	EXPECT_STREQ("version-bootloader", m.step[4].arg);
	EXPECT_EQ(FAC_FB_REBOOT_BL, (int)m.step[5].op);
	ASSERT_EQ(0, fac_step_command(&m.step[5], cmd, sizeof(cmd)));
	EXPECT_STREQ("reboot-bootloader", cmd);
	EXPECT_EQ(8, m.step[5].line);	/* no final newline */
	/* flash and getvar are not simple commands */
	EXPECT_EQ(-EINVAL, fac_step_command(&m.step[1], cmd, sizeof(cmd)));
	fac_manifest_free(&m);
}

TEST(fastboot_only)
{
	struct fac_manifest m;

	ASSERT_EQ(0, parse(&m, "fastboot flash boot boot.img\nfastboot continue\n"));
	EXPECT_FALSE(fac_needs_sdp(&m));
	EXPECT_EQ(FAC_FB_CONTINUE, (int)m.step[1].op);
	/* -b needs an sdp step */
	EXPECT_EQ(-ENOENT, fac_manifest_bootloader_only(&m));
	EXPECT_EQ(2, m.n);
	fac_manifest_free(&m);
}

TEST(bootloader_only)
{
	struct fac_manifest m;

	ASSERT_EQ(0, parse(&m, fac_default_manifest));
	ASSERT_EQ(0, fac_manifest_bootloader_only(&m));
	ASSERT_EQ(1, m.n);
	EXPECT_EQ(FAC_SDP_BOOT, (int)m.step[0].op);
	EXPECT_EQ(NULL, m.step[1].file);
	fac_manifest_free(&m);
}

struct bad_case {
	const char *text;
	const char *want;	/* substring of the message */
};

static const struct bad_case bad_cases[] = {
	{ "", "t.manifest: no steps" },
	{ "# only a comment\n\n", "t.manifest: no steps" },
	{ "uuu boot x\n", "t.manifest:1: unknown step 'uuu' (expected sdp or fastboot)" },
	{ "sdp\n", "t.manifest:1: unknown sdp step ''" },
	{ "sdp write x\n", "t.manifest:1: unknown sdp step 'write'" },
	{ "sdp boot\n", "t.manifest:1: sdp boot: missing image file" },
	{ "sdp boot a.imx --fast\n", "unexpected '--fast'" },
	{ "sdp boot a.imx --verify more\n", "unexpected 'more'" },
	{ "sdp boot a.imx b.imx\n", "unexpected 'b.imx'" },
	{ "fastboot\n", "t.manifest:1: fastboot: missing command" },
	{ "fastboot flahs boot b.img\n", "unknown fastboot command 'flahs'" },
	{ "fastboot flash\n", "fastboot flash: missing partition" },
	{ "fastboot flash boot\n", "fastboot flash boot: missing image file" },
	{ "fastboot flash boot a b\n", "unexpected 'b' after the file a" },
	{ "fastboot flash boot a --bmap\n", "fastboot flash a: --bmap needs a file" },
	{ "fastboot flash boot a --no-bmap x\n", "unexpected 'x' after --no-bmap" },
	{ "fastboot flash boot a --bmap m x\n", "unexpected 'x' after m" },
	{ "fastboot flash boot a --bmap m --no-bmap\n",
	  "unexpected '--no-bmap' after m" },
	{ "fastboot verify\n", "fastboot verify: missing partition" },
	{ "fastboot verify rootfs\n", "fastboot verify rootfs: missing image file" },
	{ "fastboot verify rootfs a --bmap\n",
	  "fastboot verify a: --bmap needs a file" },
	{ "fastboot verify rootfs a b\n", "unexpected 'b' after the file a" },
	{ "fastboot verify gpt g.img\n", "fastboot verify gpt: the device writes the table" },
	{ "fastboot erase\n", "fastboot erase: missing partition" },
	{ "fastboot erase a b\n", "fastboot erase: unexpected 'b'" },
	{ "fastboot getvar\n", "fastboot getvar: missing variable" },
	{ "fastboot oem\n", "fastboot oem: missing arguments" },
	{ "fastboot oem   \n", "fastboot oem: missing arguments" },
	{ "fastboot reboot now\n", "fastboot reboot: unexpected 'now'" },
	{ "fastboot flash boot:a x\n", "'boot:a': has a character" },
	{ "fastboot erase b\x81t\n", "has a character that fastboot cannot carry" },
	{ "fastboot flash "
	  "p1234567890123456789012345678901234567890123456789012345678 x\n",
	  "too long for a 64-byte fastboot command" },
	{ "fastboot oem "
	  "0123456789012345678901234567890123456789012345678901234567890\n",
	  "longer than a 64-byte fastboot command" },
	{ "fastboot erase misc\nsdp boot u.imx\n",
	  "t.manifest:2: sdp boot must be the first step" },
	{ "sdp boot u.imx\nsdp boot u.imx\n",
	  "t.manifest:2: sdp boot must be the first step" },
	{ "fastboot reboot\n# c\nfastboot erase misc\n",
	  "t.manifest:3: step after 'reboot'" },
	{ "fastboot continue\nfastboot reboot\n", "step after 'continue'" },
	{ "fastboot erase a\nbogus\nfastboot erase b\n", "t.manifest:2: unknown step 'bogus'" },
};

/* "fastboot verify" takes what flash takes: a partition, an image, a bmap */
TEST(verify_step)
{
	struct fac_manifest m;

	ASSERT_EQ(0, parse(&m,
		"fastboot flash rootfs r.wic.zst\n"
		"fastboot verify rootfs r.wic.zst --bmap r.bmap\n"
		"fastboot verify boot b.img --no-bmap\n")) TH_LOG("%s", err);
	ASSERT_EQ(3, m.n);
	EXPECT_EQ(FAC_FB_VERIFY, (int)m.step[1].op);
	EXPECT_STREQ("verify rootfs", m.step[1].label);
	EXPECT_STREQ("rootfs", m.step[1].arg);
	EXPECT_STREQ("r.wic.zst", m.step[1].file);
	EXPECT_STREQ("r.bmap", m.step[1].bmap);
	EXPECT_EQ(FAC_FB_VERIFY, (int)m.step[2].op);
	EXPECT_TRUE(m.step[2].no_bmap);
	EXPECT_FALSE(fac_needs_sdp(&m));
	fac_manifest_free(&m);
}

TEST(bad_input)
{
	struct fac_manifest m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		err[0] = '\0';
		EXPECT_EQ(-EINVAL, parse(&m, bad_cases[i].text))
			TH_LOG("case %zu accepted: %s", i, bad_cases[i].text);
		EXPECT_NE(NULL, strstr(err, bad_cases[i].want))
			TH_LOG("case %zu: got '%s', want '%s'", i, err,
			       bad_cases[i].want);
		EXPECT_EQ(0, m.n);
	}
}

TEST(limits)
{
	struct fac_manifest m;
	char *text, name[FAC_PART_MAX + 1];
	size_t i;

	/* 32 steps are fine, 33 are not */
	text = malloc(64 * 40);
	ASSERT_NE(NULL, text);
	text[0] = '\0';
	for (i = 0; i < FAC_MAX_STEPS; i++)
		strcat(text, "fastboot erase misc\n");
	ASSERT_EQ(0, parse(&m, text)) TH_LOG("%s", err);
	EXPECT_EQ(FAC_MAX_STEPS, m.n);
	fac_manifest_free(&m);
	strcat(text, "fastboot erase misc\n");
	EXPECT_EQ(-EINVAL, parse(&m, text));
	EXPECT_NE(NULL, strstr(err, ":33: more than 32 steps")) TH_LOG("%s", err);
	free(text);

	/* a partition name of exactly 58 characters still fits flash: */
	memset(name, 'p', FAC_PART_MAX);
	name[FAC_PART_MAX] = '\0';
	text = malloc(256);
	ASSERT_NE(NULL, text);
	snprintf(text, 256, "fastboot flash %s img\n", name);
	EXPECT_EQ(0, parse(&m, text)) TH_LOG("%s", err);
	fac_manifest_free(&m);

	/* lines over 4096 bytes */
	free(text);
	text = malloc(FAC_LINE_MAX + 64);
	ASSERT_NE(NULL, text);
	memset(text, ' ', FAC_LINE_MAX + 10);
	memcpy(text + FAC_LINE_MAX, "#x\n", 4);
	EXPECT_EQ(-EINVAL, parse(&m, text));
	EXPECT_NE(NULL, strstr(err, ":1: line longer than 4096")) TH_LOG("%s", err);
	free(text);
}

FIXTURE(files)
{
	char dir[64];
	char path[PATH_MAX];
};

FIXTURE_SETUP(files)
{
	char p[PATH_MAX];

	snprintf(self->dir, sizeof(self->dir), "/tmp/imx_factory_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(p, sizeof(p), "%s/u-boot.imx", self->dir);
	write_file(p, "ivt", 3);
	snprintf(p, sizeof(p), "%s/rootfs.ext4", self->dir);
	write_file(p, "0123456789", 10);
	snprintf(p, sizeof(p), "%s/empty.bin", self->dir);
	write_file(p, "", 0);
	snprintf(p, sizeof(p), "%s/sub", self->dir);
	ASSERT_EQ(0, mkdir(p, 0755));
}

FIXTURE_TEARDOWN(files)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("cleanup of %s failed", self->dir);
}

TEST_F(files, resolve)
{
	struct fac_manifest m;
	char text[512], want[PATH_MAX];

	snprintf(text, sizeof(text),
		 "sdp boot u-boot.imx\nfastboot flash rootfs %s/rootfs.ext4\nfastboot erase misc\n",
		 self->dir);
	ASSERT_EQ(0, parse(&m, text));
	ASSERT_EQ(0, fac_manifest_resolve(&m, self->dir, err, sizeof(err)))
		TH_LOG("%s", err);
	snprintf(want, sizeof(want), "%s/u-boot.imx", self->dir);
	EXPECT_STREQ(want, m.step[0].path);
	EXPECT_EQ(3, (int)m.step[0].size);
	snprintf(want, sizeof(want), "%s/rootfs.ext4", self->dir);
	EXPECT_STREQ(want, m.step[1].path);	/* absolute: as written */
	EXPECT_EQ(10, (int)m.step[1].size);
	EXPECT_EQ(NULL, m.step[2].path);
	fac_manifest_free(&m);
}

TEST_F(files, resolve_errors)
{
	static const struct {
		const char *text, *want;
	} c[] = {
		{ "fastboot erase x\nfastboot flash a missing.img\n",
		  "t.manifest:2: %s/missing.img: No such file or directory" },
		{ "fastboot flash a empty.bin\n",
		  "t.manifest:1: %s/empty.bin: empty file" },
		{ "sdp boot sub\n", "t.manifest:1: %s/sub: not a regular file" },
	};
	struct fac_manifest m;
	char want[PATH_MAX];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		ASSERT_EQ(0, parse(&m, c[i].text));
		EXPECT_NE(0, fac_manifest_resolve(&m, self->dir, err,
						  sizeof(err)));
		snprintf(want, sizeof(want), c[i].want, self->dir);
		EXPECT_STREQ(want, err);
		fac_manifest_free(&m);
	}
}

/* fastboot flash PART FILE --bmap MAP | --no-bmap (fastboot-lite's) */
TEST_F(files, bmap_options)
{
	struct fac_manifest m;
	char text[512], want[PATH_MAX], p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/rootfs.bmap", self->dir);
	write_file(p, "<bmap/>", 7);
	snprintf(text, sizeof(text),
		 "fastboot flash rootfs rootfs.ext4 --bmap rootfs.bmap\n"
		 "fastboot flash boot rootfs.ext4 --no-bmap\n"
		 "fastboot flash misc rootfs.ext4\n");
	ASSERT_EQ(0, parse(&m, text)) TH_LOG("%s", err);
	ASSERT_EQ(0, fac_manifest_resolve(&m, self->dir, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_STREQ("rootfs.bmap", m.step[0].bmap);
	EXPECT_STREQ(p, m.step[0].bmap_path);
	EXPECT_FALSE(m.step[0].no_bmap);
	EXPECT_EQ(NULL, m.step[1].bmap);
	EXPECT_TRUE(m.step[1].no_bmap);
	EXPECT_EQ(NULL, m.step[2].bmap_path);
	EXPECT_FALSE(m.step[2].no_bmap);
	snprintf(want, sizeof(want), "%s/rootfs.ext4", self->dir);
	EXPECT_STREQ(want, m.step[0].path);
	fac_manifest_free(&m);
	/* a named bmap that is not there: the manifest's error */
	ASSERT_EQ(0, parse(&m, "fastboot erase x\nfastboot flash a rootfs.ext4 --bmap no.bmap\n"));
	EXPECT_EQ(-ENOENT, fac_manifest_resolve(&m, self->dir, err, sizeof(err)));
	snprintf(want, sizeof(want),
		 "t.manifest:2: %s/no.bmap: No such file or directory", self->dir);
	EXPECT_STREQ(want, err);
	fac_manifest_free(&m);
}

static const struct fac_vars vars_a = {
	.uid = "0123456789ABCDEF", .port = "3-1", .board = "2",
};

TEST(vars_check)
{
	static const struct {
		const char *s;
		int ret;
		bool uses;
		const char *why;
	} c[] = {
		{ "fastboot flash env env.bin", 0, false, NULL },
		{ "fastboot oem set-serial ${uid}", 0, true, NULL },
		{ "x ${port}-${board} ${uid}", 0, true, NULL },
		{ "price $5 and $$ and ${uid", -EINVAL, false,
		  "'${uid': no closing '}' (variables: ${uid}, ${port}, ${board}; '$$' is a '$')" },
		{ "cost $$ ${", -EINVAL, false,
		  "'${': no closing '}' (variables: ${uid}, ${port}, ${board}; '$$' is a '$')" },
		{ "a $${uid} b", 0, false, NULL },
		{ "a ${serial} b", -EINVAL, false,
		  "unknown variable '${serial}' (variables: ${uid}, ${port}, ${board})" },
		{ "a ${UID} b", -EINVAL, false,
		  "unknown variable '${UID}' (variables: ${uid}, ${port}, ${board})" },
		{ "a ${} b", -EINVAL, false,
		  "unknown variable '${}' (variables: ${uid}, ${port}, ${board})" },
		{ "trailing $", 0, false, NULL },
	};
	char why[200];
	bool uses;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		why[0] = '\0';
		uses = !c[i].uses;
		EXPECT_EQ(c[i].ret, fac_vars_check(c[i].s, &uses, why,
						   sizeof(why))) TH_LOG("%s", c[i].s);
		if (!c[i].ret) {
			EXPECT_EQ(c[i].uses, uses) TH_LOG("%s", c[i].s);
		} else {
			EXPECT_STREQ(c[i].why, why);
		}
	}
}

TEST(vars_expand)
{
	struct fac_vars none = { .uid = "", .port = "1-1", .board = "7" };
	char out[64], why[200];

	ASSERT_EQ(0, fac_vars_expand("env-${uid}.bin", &vars_a, out,
				     sizeof(out), why, sizeof(why)));
	EXPECT_STREQ("env-0123456789ABCDEF.bin", out);
	ASSERT_EQ(0, fac_vars_expand("${port}/${board}/$$/$x/${uid}", &vars_a,
				     out, sizeof(out), why, sizeof(why)));
	EXPECT_STREQ("3-1/2/$/$x/0123456789ABCDEF", out);
	ASSERT_EQ(0, fac_vars_expand("no variable", &vars_a, out, sizeof(out),
				     why, sizeof(why)));
	EXPECT_STREQ("no variable", out);

	EXPECT_EQ(-ENOENT, fac_vars_expand("serial ${uid}", &none, out,
					   sizeof(out), why, sizeof(why)));
	EXPECT_STREQ("${uid}: not known for this board (its ROM gave no unique ID: see imx-sdp list, imx-sdp uid)",
		     why);
	none.uid = NULL;
	EXPECT_EQ(-ENOENT, fac_vars_expand("${uid}", &none, out, sizeof(out),
					   why, sizeof(why)));
	/* what does not fit is an error, never a cut name */
	EXPECT_EQ(-ENAMETOOLONG, fac_vars_expand("${uid}", &vars_a, out, 16,
						 why, sizeof(why)));
	EXPECT_STREQ("longer than 15 bytes once expanded", why);
	ASSERT_EQ(0, fac_vars_expand("${uid}", &vars_a, out, 17, why,
				     sizeof(why)));
	EXPECT_EQ(-EINVAL, fac_vars_expand("${nope}", &vars_a, out,
					   sizeof(out), why, sizeof(why)));
}

TEST(per_board_manifest)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "fastboot erase misc\nfastboot flash env env-${serial}.bin\n",
		  "t.manifest:2: unknown variable '${serial}' (variables: ${uid}, ${port}, ${board})" },
		{ "fastboot oem set-serial ${uid\n",
		  "t.manifest:1: '${uid': no closing '}' (variables: ${uid}, ${port}, ${board}; '$$' is a '$')" },
		/* the sample expansion shows the line's own mistakes now */
		{ "fastboot flash a:${uid} x.img\n",
		  "t.manifest:1: 'a:0123456789ABCDEF': has a character that fastboot cannot carry (':', space or non-ASCII)" },
		{ "fastboot oem 0123456789012345678901234567890123456789abcde-${uid}\n",
		  "t.manifest:1: fastboot oem 0123456789012345678901234567890123456789abcde-0123456789ABCDEF: longer than a 64-byte fastboot command" },
	};
	struct fac_manifest m;
	size_t i;

	ASSERT_EQ(0, parse(&m, "sdp boot u-boot.imx\n"
			   "fastboot flash env env-${uid}.bin   # per board\n"
			   "fastboot oem set-serial ${uid}\n"
			   "fastboot flash rootfs rootfs.ext4\n"))
		TH_LOG("%s", err);
	ASSERT_EQ(4, m.n);
	EXPECT_FALSE(m.step[0].per_board);
	EXPECT_TRUE(m.step[1].per_board);
	EXPECT_TRUE(m.step[2].per_board);
	EXPECT_FALSE(m.step[3].per_board);
	EXPECT_STREQ("fastboot flash env env-${uid}.bin", m.step[1].text);
	EXPECT_STREQ("env-${uid}.bin", m.step[1].file);
	EXPECT_STREQ("flash env", m.step[1].label);
	EXPECT_STREQ("set-serial ${uid}", m.step[2].arg);
	EXPECT_STREQ("fastboot flash rootfs rootfs.ext4", m.step[3].text);
	fac_manifest_free(&m);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, parse(&m, bad[i].text));
		EXPECT_STREQ(bad[i].want, err);
	}
}

TEST_F(files, per_board_steps)
{
	struct fac_vars vb = vars_a, nouid = vars_a;
	struct fac_manifest m;
	struct fac_step s;
	char p[PATH_MAX], want[PATH_MAX + 64], line[256];

	vb.uid = "FEDCBA9876543210";
	nouid.uid = "";
	snprintf(p, sizeof(p), "%s/env-0123456789ABCDEF.bin", self->dir);
	write_file(p, "board a env", 11);
	ASSERT_EQ(0, parse(&m, "sdp boot u-boot.imx\n"
			   "fastboot flash env env-${uid}.bin\n"
			   "fastboot oem set-serial ${uid}-${board}\n"
			   "fastboot getvar serialno\n"));
	/* per-board files are not looked for here: board b has none */
	ASSERT_EQ(0, fac_manifest_resolve(&m, self->dir, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_STREQ(self->dir, m.imgdir);
	EXPECT_EQ(NULL, m.step[1].path);

	ASSERT_EQ(0, fac_step_expand(&m, 1, &vars_a, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_EQ(FAC_FB_FLASH, (int)s.op);
	EXPECT_EQ(2, s.line);
	EXPECT_TRUE(s.per_board);
	EXPECT_STREQ(p, s.path);
	EXPECT_EQ(11, (int)s.size);
	EXPECT_STREQ("fastboot flash env env-0123456789ABCDEF.bin", s.text);
	fac_step_free(&s);

	ASSERT_EQ(0, fac_step_expand(&m, 2, &vars_a, &s, err, sizeof(err)));
	ASSERT_EQ(0, fac_step_command(&s, line, sizeof(line)));
	EXPECT_STREQ("oem set-serial 0123456789ABCDEF-2", line);
	fac_step_free(&s);

	/* a shared step is copied as it is */
	ASSERT_EQ(0, fac_step_expand(&m, 0, &vars_a, &s, err, sizeof(err)));
	EXPECT_FALSE(s.per_board);
	EXPECT_STREQ(m.step[0].path, s.path);
	EXPECT_NE(m.step[0].path, s.path);
	fac_step_free(&s);

	/* board b: its file is missing - that board's error, with the line */
	EXPECT_EQ(-ENOENT, fac_step_expand(&m, 1, &vb, &s, err, sizeof(err)));
	snprintf(want, sizeof(want),
		 "t.manifest:2: %s/env-FEDCBA9876543210.bin: No such file or directory",
		 self->dir);
	EXPECT_STREQ(want, err);
	/* a board without a unique ID cannot run a step that needs it */
	EXPECT_EQ(-ENOENT, fac_step_expand(&m, 2, &nouid, &s, err,
					   sizeof(err)));
	EXPECT_STREQ("t.manifest:3: ${uid}: not known for this board (its ROM gave no unique ID: see imx-sdp list, imx-sdp uid)",
		     err);
	ASSERT_EQ(0, fac_step_expand(&m, 3, &nouid, &s, err, sizeof(err)));
	fac_step_free(&s);

	fac_step_line(&m.step[2], &vars_a, line, sizeof(line));
	EXPECT_STREQ("fastboot oem set-serial 0123456789ABCDEF-2", line);
	fac_step_line(&m.step[2], &nouid, line, sizeof(line));
	EXPECT_STREQ("fastboot oem set-serial ${uid}-${board}", line);
	fac_manifest_free(&m);
}

TEST_F(files, load)
{
	struct fac_manifest m;
	char p[PATH_MAX], want[PATH_MAX + 64];
	static const char nul[] = "fastboot erase a\n\0fastboot erase b\n";

	snprintf(p, sizeof(p), "%s/ok.manifest", self->dir);
	write_file(p, "fastboot erase misc\n", 20);
	ASSERT_EQ(0, fac_manifest_load(&m, p, err, sizeof(err)));
	EXPECT_STREQ(p, m.name);
	EXPECT_EQ(1, m.n);
	fac_manifest_free(&m);

	snprintf(p, sizeof(p), "%s/nul.manifest", self->dir);
	write_file(p, nul, sizeof(nul) - 1);
	EXPECT_EQ(-EINVAL, fac_manifest_load(&m, p, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "NUL byte")) TH_LOG("%s", err);

	snprintf(p, sizeof(p), "%s/none.manifest", self->dir);
	EXPECT_EQ(-ENOENT, fac_manifest_load(&m, p, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: No such file or directory", p);
	EXPECT_STREQ(want, err);
}

TEST_HARNESS_MAIN
