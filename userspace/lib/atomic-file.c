// SPDX-License-Identifier: GPL-2.0
/*
 * Atomic replacement of a file. See atomic-file.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <imxflash/fastboot_cmd.h>	/* __printf */

#include "atomic-file.h"

static __printf(3, 4)
int fail(struct afile *a, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->why, sizeof(a->why), fmt, ap);
	va_end(ap);
	return err;
}

static void release(struct afile *a)
{
	if (a->f)
		fclose(a->f);
	if (a->tmp)
		unlink(a->tmp);
	if (a->dir_fd >= 0)
		close(a->dir_fd);
	free(a->path);
	free(a->tmp);
	a->f = NULL;
	a->tmp = NULL;
	a->path = NULL;
	a->dir_fd = -1;
}

int afile_open(struct afile *a, const char *path, mode_t mode)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t dlen = slash ? (size_t)(slash - path) : 0;
	char *dir;
	int fd, ret;

	memset(a, 0, sizeof(*a));
	a->dir_fd = -1;
	if (!*base)
		return fail(a, -EISDIR, "%s: names a directory", path);
	a->path = strdup(path);
	if (!slash)
		dir = strdup(".");
	else if (!dlen)
		dir = strdup("/");
	else
		dir = strndup(path, dlen);
	/* "DIR/.BASE.XXXXXX" */
	a->tmp = malloc(strlen(path) + 9);
	if (!a->path || !dir || !a->tmp) {
		free(dir);
		free(a->tmp);
		a->tmp = NULL;
		release(a);
		return fail(a, -ENOMEM, "out of memory");
	}
	sprintf(a->tmp, "%.*s%s.%s.XXXXXX", (int)dlen, path, slash ? "/" : "",
		base);
	a->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (a->dir_fd < 0) {
		ret = fail(a, -errno, "%s: %s", dir, strerror(errno));
		free(dir);
		free(a->tmp);
		a->tmp = NULL;
		release(a);
		return ret;
	}
	free(dir);
	fd = mkostemp(a->tmp, O_CLOEXEC);
	if (fd < 0) {
		ret = fail(a, -errno, "%s: %s", a->tmp, strerror(errno));
		free(a->tmp);
		a->tmp = NULL;
		release(a);
		return ret;
	}
	if (fchmod(fd, mode)) {
		ret = fail(a, -errno, "%s: chmod: %s", a->tmp, strerror(errno));
		close(fd);
		release(a);
		return ret;
	}
	a->f = fdopen(fd, "w");
	if (!a->f) {
		ret = fail(a, -errno, "%s: %s", a->tmp, strerror(errno));
		close(fd);
		release(a);
		return ret;
	}
	return 0;
}

int afile_commit(struct afile *a)
{
	int ret = 0;

	if (!a->f)
		return fail(a, -EBADF, "not open");
	if (fflush(a->f) || ferror(a->f))
		ret = fail(a, -(errno ? errno : EIO), "%s: write: %s", a->tmp,
			   strerror(errno ? errno : EIO));
	else if (fsync(fileno(a->f)))
		ret = fail(a, -errno, "%s: fsync: %s", a->tmp, strerror(errno));
	if (fclose(a->f) && !ret)
		ret = fail(a, -errno, "%s: close: %s", a->tmp, strerror(errno));
	a->f = NULL;
	if (!ret && rename(a->tmp, a->path))
		ret = fail(a, -errno, "rename to %s: %s", a->path,
			   strerror(errno));
	if (!ret) {
		free(a->tmp);
		a->tmp = NULL;	/* it is the target now */
		if (fsync(a->dir_fd))
			ret = fail(a, -errno, "%s: fsync of its directory: %s",
				   a->path, strerror(errno));
	}
	release(a);
	return ret;
}

void afile_abort(struct afile *a)
{
	release(a);
}
