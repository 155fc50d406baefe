/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Streaming decompression of images as build systems ship them: .gz,
 * .xz, .zst and .bz2, recognised by their magic bytes (never by the file
 * name), else the file is read as it is.
 *
 * The tools are static binaries without compression libraries: the data
 * goes through the system's decompressor (gzip, xz, zstd or bzip2 with
 * -dc) in a child process whose stdin is the file and whose stdout is a
 * pipe (DECOMP_PIPE_SIZE) that decomp_read() drains. Memory is the
 * caller's buffer plus the pipe; the decompressor's own window (at most 64 MiB for xz -9 and
 * 128 MiB for zstd's largest default window) lives in the child.
 *
 * A decompressor that fails (truncated or corrupt input, killed) makes
 * the read that meets the end of its output fail with its exit status
 * and the first line of what it wrote to stderr: end of data (0) is only
 * ever reported after the child exited 0. Data returned before that may
 * belong to a broken stream: consumers that write it somewhere must keep
 * the last piece back until decomp_read() has returned 0.
 *
 * Input must be seekable (a regular file or a block device): the magic
 * is read with pread() so that the child starts at offset 0.
 */
#ifndef DECOMP_H
#define DECOMP_H

#include <stdbool.h>
#include <sys/types.h>

#include <imxflash/pure.h>

enum decomp_fmt {
	DECOMP_PLAIN = 0,
	DECOMP_GZIP,
	DECOMP_XZ,
	DECOMP_ZSTD,
	DECOMP_BZIP2,
};

/*
 * The pipe from the decompressor (Linux's default pipe-max-size): kernel
 * memory, per decompressor (an imx-factory worker has one), whatever the
 * image size.
 */
#define DECOMP_PIPE_SIZE	(1u << 20)

/* Bytes decomp_detect() looks at. */
#define DECOMP_MAGIC_LEN	6

struct decomp {
	enum decomp_fmt fmt;
	int in_fd;		/* the file */
	int out_fd;		/* the child's stdout, or in_fd when plain */
	int err_fd;		/* the child's stderr, -1 when none */
	int null_fd;		/* /dev/null for decomp_skip(), -1 until then */
	pid_t pid;		/* the child, 0 when none or reaped */
	u64 in_size;		/* size of the file */
	u64 out_bytes;		/* bytes returned so far */
	bool eof;		/* the end was reached and checked */
	size_t errlen;
	char errtext[160];	/* start of the child's stderr */
	char why[320];		/* reason of the last error */
};

/* The format that the first @len bytes of a file announce. */
enum decomp_fmt decomp_detect(const u8 *head, size_t len);

/* "gzip", "xz", "zstd", "bzip2"; "none" for DECOMP_PLAIN. */
const char *decomp_name(enum decomp_fmt fmt);

/* The Debian package that ships the decompressor ("" for plain). */
const char *decomp_package(enum decomp_fmt fmt);

/*
 * Open @path, recognise its format and start the decompressor. Returns
 * 0, or -errno with @z->why set and nothing left open: -ENOENT when the
 * decompressor is not installed (the message names its package), the
 * errors of open/pread/pipe/posix_spawn, -ESPIPE for a pipe or socket.
 */
int decomp_open(struct decomp *z, const char *path);

/*
 * Up to @len uncompressed bytes into @buf: their count, 0 at the end of
 * a stream that was complete and valid, or -errno with @z->why set:
 * -EIO when the decompressor failed (exit status and its message in
 * @z->why), -EINTR only when a signal interrupted a read (call again to
 * resume), read errors.
 */
ssize_t decomp_read(struct decomp *z, void *buf, size_t len);

/*
 * Skip @len bytes: lseek() on plain input, else splice() them from the
 * pipe into /dev/null (no copy: skipping the unmapped gigabytes of a
 * compressed .wic costs only their decompression), or where splice() is
 * refused read and discard them through @scratch (@scratch_len bytes). 0, or -ENODATA when the stream
 * ends first (@z->why says where), or the errors of decomp_read().
 */
int decomp_skip(struct decomp *z, u64 len, void *scratch, size_t scratch_len);

/*
 * Stop the decompressor if it still runs (SIGTERM, then reaped) and
 * close everything. Safe on a closed or failed-to-open @z.
 */
void decomp_close(struct decomp *z);

#endif /* DECOMP_H */
