/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replace a file atomically: readers see the old file or the complete
 * new one, never a part, also when the writer is interrupted or killed
 * (imx-factory --json reports are read by an MES while runs go on).
 *
 * The data goes to a hidden temporary file ".NAME.XXXXXX" in the
 * target's directory (rename() is atomic only within one file system).
 * afile_commit() flushes it, fsync()s it, renames it over the target and
 * fsync()s the directory so that the rename itself survives a power cut;
 * on any failure, and in afile_abort(), the temporary file is removed.
 *
 * Signals are the caller's: a handler that sets a flag and a way out
 * through afile_abort() keep the directory clean; only SIGKILL or a
 * crash can leave a temporary file, never a half-written target.
 */
#ifndef ATOMIC_FILE_H
#define ATOMIC_FILE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct afile {
	FILE *f;		/* write the new content here */
	int dir_fd;		/* the target's directory */
	char *path;		/* the target */
	char *tmp;		/* the temporary file */
	char why[256];		/* reason of the last error */
};

/*
 * Start replacing @path; the new file gets permissions @mode (not
 * filtered by the umask). 0, or -errno with @a->why set (the errors of
 * open/mkostemp/fchmod/fdopen, -ENOMEM).
 */
int afile_open(struct afile *a, const char *path, mode_t mode);

/*
 * Make the new content the file @path. 0, or -errno with @a->why set:
 * an error of writing, fsync() or rename() leaves the target untouched
 * and removes the temporary file; only a failed fsync() of the directory
 * comes after the target was replaced. Either way @a is released.
 */
int afile_commit(struct afile *a);

/* Drop the new content; the target is untouched. Safe after commit. */
void afile_abort(struct afile *a);

#endif /* ATOMIC_FILE_H */
