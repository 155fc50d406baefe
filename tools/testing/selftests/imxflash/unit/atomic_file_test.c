// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for userspace/lib/atomic-file.c:
 *
 *  - commit: the target holds exactly the new content with the mode
 *    asked for, whatever the umask, and nothing else is left in the
 *    directory; a relative name works;
 *  - abort, and a commit whose rename fails (the target is a
 *    directory): the target untouched, no temporary file left;
 *  - a writer interrupted by SIGINT (its handler sets a flag, the writer
 *    aborts) leaves the old file and an empty directory; one killed by
 *    SIGKILL halfway leaves the old file complete (only its temporary
 *    file may remain, as the header says);
 *  - a directory that does not exist: an error naming it.
 */
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomic-file.h"
#include "kselftest_harness.h"

FIXTURE(dir) {
	char dir[64];
	char target[128];
};

FIXTURE_SETUP(dir)
{
	strcpy(self->dir, "/tmp/afile_testXXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->target, sizeof(self->target), "%s/report.json",
		 self->dir);
}

FIXTURE_TEARDOWN(dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("cannot remove %s", self->dir);
}

/* Entries of @dir other than . and .. (the first one's name in @name). */
static int entries(const char *dir, char *name, size_t size)
{
	struct dirent *e;
	int n = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!n++ && name)
			snprintf(name, size, "%.*s", (int)size - 1, e->d_name);
	}
	closedir(d);
	return n;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static char *read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

TEST_F(dir, commit)
{
	struct afile a;
	struct stat st;
	char buf[64], name[64];
	mode_t old = umask(077);

	write_file(self->target, "old content, longer than the new one\n");
	ASSERT_EQ(0, afile_open(&a, self->target, 0644)) {
		TH_LOG("%s", a.why);
	}
	fputs("{\"new\": 1}\n", a.f);
	/* before the commit the target is the old file */
	ASSERT_NE(NULL, read_file(self->target, buf, sizeof(buf)));
	EXPECT_STREQ("old content, longer than the new one\n", buf);
	EXPECT_EQ(2, entries(self->dir, NULL, 0));
	ASSERT_EQ(0, afile_commit(&a)) {
		TH_LOG("%s", a.why);
	}
	umask(old);
	ASSERT_NE(NULL, read_file(self->target, buf, sizeof(buf)));
	EXPECT_STREQ("{\"new\": 1}\n", buf);
	ASSERT_EQ(0, stat(self->target, &st));
	EXPECT_EQ(0644, (int)(st.st_mode & 07777));
	EXPECT_EQ(1, entries(self->dir, name, sizeof(name)));
	EXPECT_STREQ("report.json", name);
	afile_abort(&a);	/* after a commit: nothing */
	EXPECT_EQ(0, access(self->target, F_OK));
}

TEST_F(dir, relative_name)
{
	char cwd[256], buf[16];
	struct afile a;

	ASSERT_NE(NULL, getcwd(cwd, sizeof(cwd)));
	ASSERT_EQ(0, chdir(self->dir));
	ASSERT_EQ(0, afile_open(&a, "rel.txt", 0600));
	fputs("x", a.f);
	EXPECT_EQ(0, afile_commit(&a));
	ASSERT_EQ(0, chdir(cwd));
	snprintf(self->target, sizeof(self->target), "%s/rel.txt", self->dir);
	ASSERT_NE(NULL, read_file(self->target, buf, sizeof(buf)));
	EXPECT_STREQ("x", buf);
	EXPECT_EQ(1, entries(self->dir, NULL, 0));
}

TEST_F(dir, abort)
{
	struct afile a;
	char buf[16];

	write_file(self->target, "old");
	ASSERT_EQ(0, afile_open(&a, self->target, 0644));
	fputs("new", a.f);
	afile_abort(&a);
	ASSERT_NE(NULL, read_file(self->target, buf, sizeof(buf)));
	EXPECT_STREQ("old", buf);
	EXPECT_EQ(1, entries(self->dir, NULL, 0));
	afile_abort(&a);	/* twice: nothing */
}

TEST_F(dir, rename_fails)
{
	struct afile a;

	ASSERT_EQ(0, mkdir(self->target, 0755));
	ASSERT_EQ(0, afile_open(&a, self->target, 0644));
	fputs("new", a.f);
	EXPECT_EQ(-EISDIR, afile_commit(&a));
	EXPECT_NE(NULL, strstr(a.why, "rename to")) {
		TH_LOG("%s", a.why);
	}
	EXPECT_EQ(1, entries(self->dir, NULL, 0));
	EXPECT_EQ(0, rmdir(self->target));
}

TEST(missing_dir)
{
	struct afile a;

	EXPECT_EQ(-ENOENT, afile_open(&a, "/nonexistent-dir/x.json", 0644));
	EXPECT_NE(NULL, strstr(a.why, "/nonexistent-dir")) {
		TH_LOG("%s", a.why);
	}
	EXPECT_EQ(-EISDIR, afile_open(&a, "/tmp/", 0644));
}

static volatile sig_atomic_t stop;

static void on_sigint(int sig)
{
	stop = 1;
}

/*
 * A child writes a large report slowly; the parent interrupts it once
 * the temporary file exists. @sig: SIGINT (handled: abort) or SIGKILL.
 */
static void interrupted(struct __test_metadata *_metadata, const char *dir,
			const char *target, int sig)
{
	struct afile a;
	char buf[64];
	int st, i, n;
	pid_t pid;

	write_file(target, "old report\n");
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		signal(SIGINT, on_sigint);
		if (afile_open(&a, target, 0644))
			_exit(2);
		for (i = 0; !stop; i++) {
			fprintf(a.f, "{\"line\": %d}\n", i);
			fflush(a.f);
			usleep(1000);
		}
		afile_abort(&a);
		_exit(0);
	}
	/* wait until the temporary file is there and holds something */
	for (i = 0; i < 5000; i++) {
		n = entries(dir, NULL, 0);
		if (n == 2)
			break;
		usleep(1000);
	}
	EXPECT_EQ(2, n);
	usleep(20000);
	kill(pid, sig);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	if (sig == SIGINT) {
		EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st));
		EXPECT_EQ(1, entries(dir, NULL, 0));
	} else {
		EXPECT_TRUE(WIFSIGNALED(st));
	}
	ASSERT_NE(NULL, read_file(target, buf, sizeof(buf)));
	EXPECT_STREQ("old report\n", buf);
}

TEST_F(dir, sigint)
{
	interrupted(_metadata, self->dir, self->target, SIGINT);
}

TEST_F(dir, sigkill)
{
	interrupted(_metadata, self->dir, self->target, SIGKILL);
}

TEST_HARNESS_MAIN
