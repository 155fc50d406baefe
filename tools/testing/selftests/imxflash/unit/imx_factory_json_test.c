// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * imx-factory's JSON report (userspace/imx-factory/imx-factory-json.c):
 * the document for a run with a flashed board and one that failed before
 * it was touched (a missing per-board file), read back by Python's json
 * module and checked field by field - identity, result, stage, error,
 * bytes, seconds, every step's expanded line, result, digest and
 * verification; the atomic replacement leaves one complete file; the
 * --json-lines file gets one object per line; and the image digests are
 * of the bytes the image defines (a gzip file's decompressed bytes).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "imx-factory.h"
#include "sha256.h"

#include "kselftest_harness.h"

static void write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
		perror(path);
		exit(1);
	}
	close(fd);
}

/* Run python3 on @script with @arg; its first output line into @out. */
static int py(const char *script, const char *arg, char *out, size_t size)
{
	char cmd[PATH_MAX + 4096];
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "python3 -c '%s' '%s' 2>&1", script, arg);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (!fgets(out, (int)size, p))
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	st = pclose(p);
	return st;
}

/*
 * Every field of the document, in a fixed order, one board per "|"; a
 * missing member raises KeyError and fails the test.
 */
static const char check_doc[] =
	"import json,sys\n"
	"d=json.load(open(sys.argv[1],encoding=\"utf-8\"))\n"
	"o=[d[k] for k in (\"tool\",\"format\",\"state\",\"boards_ok\",\"boards_failed\",\"bootloader_only\")]\n"
	"o.append(d[\"started\"].endswith(\"Z\"))\n"
	"for b in d[\"boards\"]:\n"
	"  o.append(\"|\")\n"
	"  o+=[b[k] for k in (\"board\",\"port\",\"uid\",\"soc\",\"hab\",\"result\",\"failure\",\"stage\",\"error\",\"seconds\",\"bytes\",\"serial\",\"log\")]\n"
	"  for s in b[\"steps\"]:\n"
	"    o.append([s[k] for k in (\"line\",\"manifest_line\",\"result\",\"bytes\",\"seconds\",\"sha256\",\"verified\")])\n"
	"print(json.dumps(o))\n";

FIXTURE(report)
{
	char dir[64];
	struct fac_manifest m;
	struct fac_board b[2];
	struct fac_board *list[2];
	struct fac_run run;
	char raw_hex[65], imx_hex[65];
};

static const char rootfs[] = "rootfs bytes as the image defines them\n";

FIXTURE_SETUP(report)
{
	char p[PATH_MAX], cmd[PATH_MAX + 64], err[512];
	u8 d[SHA256_DIGEST_LEN];
	struct fac_status *st;
	int i;

	snprintf(self->dir, sizeof(self->dir), "/tmp/imx_factory_json.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(p, sizeof(p), "%s/u-boot.imx", self->dir);
	write_file(p, "IVT+DCD+u-boot", 14);
	sha256_digest("IVT+DCD+u-boot", 14, d);
	digest_to_hex(d, sizeof(d), self->imx_hex);
	snprintf(p, sizeof(p), "%s/rootfs.img", self->dir);
	write_file(p, rootfs, sizeof(rootfs) - 1);
	sha256_digest(rootfs, sizeof(rootfs) - 1, d);
	digest_to_hex(d, sizeof(d), self->raw_hex);
	snprintf(cmd, sizeof(cmd), "gzip -9 '%s/rootfs.img'", self->dir);
	ASSERT_EQ(0, system(cmd));

	ASSERT_EQ(0, fac_manifest_parse(&self->m,
					"sdp boot u-boot.imx\n"
					"fastboot flash env env-${uid}.bin\n"
					"fastboot oem set-serial ${uid}-${board}\n"
					"fastboot flash rootfs rootfs.img.gz\n"
					"fastboot reboot\n",
					"flash.manifest", err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(0, fac_manifest_resolve(&self->m, self->dir, err,
					  sizeof(err))) TH_LOG("%s", err);
	/* the shared images, as the parent hashes them once */
	for (i = 0; i < self->m.n; i++)
		ASSERT_EQ(0, fac_step_hash(&self->m.step[i], err, sizeof(err)))
			TH_LOG("%s", err);

	memset(self->b, 0, sizeof(self->b));
	/* board 1: flashed, env verified, rootfs not asked */
	self->b[0].number = 1;
	self->b[0].started = 1714564800;	/* 2024-05-01T12:00:00Z */
	snprintf(self->b[0].port, sizeof(self->b[0].port), "3-1");
	snprintf(self->b[0].uid, sizeof(self->b[0].uid), "0123456789ABCDEF");
	snprintf(self->b[0].log, sizeof(self->b[0].log),
		 "logs/uid-0123456789ABCDEF.log");
	st = &self->b[0].st;
	memset(st->step_verified, FAC_VERIFY_NOT_ASKED,
	       sizeof(st->step_verified));
	snprintf(st->uid, sizeof(st->uid), "0123456789ABCDEF");
	snprintf(st->soc, sizeof(st->soc), "imx6ull");
	snprintf(st->hab, sizeof(st->hab), "open");
	snprintf(st->serial, sizeof(st->serial), "IMXSIM-b0");
	st->result = FAC_OK;
	st->stage = FAC_ST_DONE;
	st->begun = 0x1f;
	st->succeeded = 0x1f;
	st->t_start = 1000;
	st->t_end = 4250;
	st->bytes = 14 + 11 + sizeof(rootfs) - 1;
	st->step_ms[0] = 1200;
	st->step_ms[1] = 250;
	st->step_ms[3] = 1500;
	st->step_bytes[0] = 14;
	st->step_bytes[1] = 11;
	st->step_bytes[3] = sizeof(rootfs) - 1;
	st->hashed = 1u << 1;
	memset(st->step_sha256[1], 0xab, 32);
	st->step_verified[1] = FAC_VERIFY_OK;
	st->step_verified[3] = FAC_VERIFY_MISMATCH;

	/* board 2: no unique ID, failed before it was touched */
	self->b[1].number = 2;
	self->b[1].started = 1714564801;
	snprintf(self->b[1].port, sizeof(self->b[1].port), "4-1");
	st = &self->b[1].st;
	memset(st->step_verified, FAC_VERIFY_NOT_ASKED,
	       sizeof(st->step_verified));
	st->result = FAC_FAILED;
	st->stage = FAC_ST_QUEUED;
	st->t_start = 2000;
	st->t_end = 2004;
	snprintf(st->reason, sizeof(st->reason),
		 "flash.manifest:2: ${uid}: not known for this board");

	self->list[0] = &self->b[0];
	self->list[1] = &self->b[1];
	memset(&self->run, 0, sizeof(self->run));
	self->run.m = &self->m;
	self->run.started = 1714564799;
	self->run.finished = 1714564805;
}

FIXTURE_TEARDOWN(report)
{
	char cmd[128];

	fac_manifest_free(&self->m);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("cleanup of %s failed", self->dir);
}

TEST_F(report, digests)
{
	char hex[65];

	/* sdp boot: the file as it is sent */
	ASSERT_TRUE(self->m.step[0].has_sha256);
	digest_to_hex(self->m.step[0].sha256, 32, hex);
	EXPECT_STREQ(self->imx_hex, hex);
	/* a gzip image: the bytes it decompresses to */
	ASSERT_TRUE(self->m.step[3].has_sha256);
	digest_to_hex(self->m.step[3].sha256, 32, hex);
	EXPECT_STREQ(self->raw_hex, hex);
	/* per-board and image-less steps: no digest here */
	EXPECT_FALSE(self->m.step[1].has_sha256);
	EXPECT_FALSE(self->m.step[2].has_sha256);
	EXPECT_FALSE(self->m.step[4].has_sha256);
}

TEST_F(report, document)
{
	char path[PATH_MAX], out[8192], want[8192], why[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/run.json", self->dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(0, fac_json_write(f, &self->run, self->list, 2, why,
				    sizeof(why))) TH_LOG("%s", why);
	fclose(f);
	ASSERT_EQ(0, py(check_doc, path, out, sizeof(out))) TH_LOG("%s", out);
	snprintf(want, sizeof(want),
		 "[\"imx-factory\", 1, \"done\", 1, 1, false, true, "
		 "\"|\", 1, \"3-1\", \"0123456789ABCDEF\", \"imx6ull\", \"open\", "
		 "\"ok\", null, \"done\", null, 3.25, %zu, \"IMXSIM-b0\", "
		 "\"logs/uid-0123456789ABCDEF.log\", "
		 "[\"sdp boot u-boot.imx\", 1, \"ok\", 14, 1.2, \"%s\", null], "
		 "[\"fastboot flash env env-0123456789ABCDEF.bin\", 2, \"ok\", 11, 0.25, "
		 "\"abababababababababababababababababababababababababababababababab\", true], "
		 "[\"fastboot oem set-serial 0123456789ABCDEF-1\", 3, \"ok\", 0, 0, null, null], "
		 "[\"fastboot flash rootfs rootfs.img.gz\", 4, \"ok\", %zu, 1.5, \"%s\", false], "
		 "[\"fastboot reboot\", 5, \"ok\", 0, 0, null, null], "
		 "\"|\", 2, \"4-1\", null, null, null, \"failed\", \"failed\", \"queued\", "
		 "\"flash.manifest:2: ${uid}: not known for this board\", 0.004, 0, null, null, "
		 "[\"sdp boot u-boot.imx\", 1, \"skipped\", 0, 0, \"%s\", null], "
		 "[\"fastboot flash env env-${uid}.bin\", 2, \"skipped\", 0, 0, null, null], "
		 "[\"fastboot oem set-serial ${uid}-${board}\", 3, \"skipped\", 0, 0, null, null], "
		 "[\"fastboot flash rootfs rootfs.img.gz\", 4, \"skipped\", 0, 0, \"%s\", null], "
		 "[\"fastboot reboot\", 5, \"skipped\", 0, 0, null, null]]",
		 14 + 11 + sizeof(rootfs) - 1, self->imx_hex,
		 sizeof(rootfs) - 1, self->raw_hex, self->imx_hex,
		 self->raw_hex);
	EXPECT_STREQ(want, out);
}

TEST_F(report, failed_step_and_running)
{
	char path[PATH_MAX], out[8192], why[300];
	struct fac_status *st = &self->b[0].st;
	FILE *f;

	/* board 1 failed in the rootfs flash; the run is still going */
	st->result = FAC_GONE;
	st->stage = FAC_ST_FASTBOOT;
	st->succeeded = 0x7;
	st->begun = 0xf;
	snprintf(st->reason, sizeof(st->reason), "flash rootfs: device gone");
	self->run.finished = 0;
	snprintf(path, sizeof(path), "%s/run.json", self->dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(0, fac_json_write(f, &self->run, self->list, 1, why,
				    sizeof(why))) TH_LOG("%s", why);
	fclose(f);
	ASSERT_EQ(0, py("import json,sys\n"
			"d=json.load(open(sys.argv[1]))\n"
			"b=d[\"boards\"][0]\n"
			"print(d[\"state\"],d[\"finished\"],d[\"boards_failed\"],b[\"result\"],b[\"failure\"],b[\"stage\"],b[\"error\"],"
			"[s[\"result\"] for s in b[\"steps\"]],b[\"steps\"][3][\"bytes\"])\n",
			path, out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_STREQ("running None 1 failed unplugged fastboot flash rootfs: device gone "
		     "['ok', 'ok', 'ok', 'failed', 'skipped'] 0", out);
}

TEST_F(report, atomic_file_and_lines)
{
	char path[PATH_MAX], lines[PATH_MAX], out[1024], why[300];
	struct dirent *de;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "%s/run.json", self->dir);
	write_file(path, "old", 3);
	ASSERT_EQ(0, fac_json_report(path, &self->run, self->list, 2, why,
				     sizeof(why))) TH_LOG("%s", why);
	ASSERT_EQ(0, py("import json,sys\n"
			"print(len(json.load(open(sys.argv[1]))[\"boards\"]))\n",
			path, out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_STREQ("2", out);
	/* nothing left beside it: no temporary file */
	dir = opendir(self->dir);
	ASSERT_NE(NULL, dir);
	while ((de = readdir(dir)))
		n += de->d_name[0] == '.' && strcmp(de->d_name, ".") &&
		     strcmp(de->d_name, "..");
	closedir(dir);
	EXPECT_EQ(0, n);
	/* a directory that cannot take it: an error, named */
	snprintf(path, sizeof(path), "%s/none/run.json", self->dir);
	EXPECT_NE(0, fac_json_report(path, &self->run, self->list, 2, why,
				     sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "none")) TH_LOG("%s", why);

	snprintf(lines, sizeof(lines), "%s/boards.jsonl", self->dir);
	ASSERT_EQ(0, fac_json_append(lines, &self->run, &self->b[0], why,
				     sizeof(why))) TH_LOG("%s", why);
	ASSERT_EQ(0, fac_json_append(lines, &self->run, &self->b[1], why,
				     sizeof(why))) TH_LOG("%s", why);
	ASSERT_EQ(0, py("import json,sys\n"
			"L=open(sys.argv[1]).read().split(\"\\n\")\n"
			"print(len(L),L[2]==\"\",[(json.loads(l)[\"board\"],json.loads(l)[\"uid\"],json.loads(l)[\"result\"]) for l in L[:2]])\n",
			lines, out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_STREQ("3 True [(1, '0123456789ABCDEF', 'ok'), (2, None, 'failed')]",
		     out);
}

TEST_HARNESS_MAIN
