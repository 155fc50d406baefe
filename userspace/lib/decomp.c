// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming decompression through the system decompressors. See decomp.h.
 *
 * Magic numbers, each from the format's own specification:
 *   gzip   1f 8b 08     (RFC 1952 §2.3.1: ID1 ID2, CM 8 = deflate, the
 *                       only method gzip writes)
 *   xz     fd 37 7a 58 5a 00  (The .xz File Format §2.1.1.1)
 *   zstd   28 b5 2f fd  (RFC 8878 §3.1.1, little-endian 0xFD2FB528), or
 *          a skippable frame 0x184D2A50..5F (§3.1.2), which zstd -d
 *          passes over
 *   bzip2  "BZh" and the block size digit '1'..'9' (bzip2's file header)
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <imxflash/fastboot_cmd.h>	/* __printf */

#include "decomp.h"

extern char **environ;

static const struct {
	const char *name;	/* program and format name */
	const char *package;	/* Debian package of the program */
	const char *const argv[4];
} tools[] = {
	[DECOMP_PLAIN] = { "none", "", { NULL } },
	[DECOMP_GZIP] = { "gzip", "gzip", { "gzip", "-dc", NULL } },
	[DECOMP_XZ] = { "xz", "xz-utils", { "xz", "-dc", NULL } },
	[DECOMP_ZSTD] = { "zstd", "zstd", { "zstd", "-dcq", NULL } },
	[DECOMP_BZIP2] = { "bzip2", "bzip2", { "bzip2", "-dc", NULL } },
};

static __printf(3, 4)
int fail(struct decomp *z, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(z->why, sizeof(z->why), fmt, ap);
	va_end(ap);
	return err;
}

enum decomp_fmt decomp_detect(const u8 *h, size_t len)
{
	static const u8 xz[6] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };

	if (len >= 3 && h[0] == 0x1f && h[1] == 0x8b && h[2] == 0x08)
		return DECOMP_GZIP;
	if (len >= 6 && !memcmp(h, xz, 6))
		return DECOMP_XZ;
	if (len >= 4 && h[0] == 0x28 && h[1] == 0xb5 && h[2] == 0x2f &&
	    h[3] == 0xfd)
		return DECOMP_ZSTD;
	if (len >= 4 && (h[0] & 0xf0) == 0x50 && h[1] == 0x2a &&
	    h[2] == 0x4d && h[3] == 0x18)
		return DECOMP_ZSTD;
	if (len >= 4 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h' &&
	    h[3] >= '1' && h[3] <= '9')
		return DECOMP_BZIP2;
	return DECOMP_PLAIN;
}

const char *decomp_name(enum decomp_fmt fmt)
{
	return tools[fmt].name;
}

const char *decomp_package(enum decomp_fmt fmt)
{
	return tools[fmt].package;
}

/*
 * posix_spawn's dup2 onto 0/1/2 clears FD_CLOEXEC only when the source
 * differs from the target: keep every descriptor of ours above 2.
 */
static int above_stdio(int fd)
{
	int n;

	if (fd > 2)
		return fd;
	n = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return n;
}

static int make_pipe(int p[2])
{
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	p[0] = above_stdio(p[0]);
	p[1] = above_stdio(p[1]);
	if (p[0] < 0 || p[1] < 0) {
		if (p[0] >= 0)
			close(p[0]);
		if (p[1] >= 0)
			close(p[1]);
		return -EMFILE;
	}
	return 0;
}

static int spawn(struct decomp *z)
{
	int out[2] = { -1, -1 }, err[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dfl;
	pid_t pid;
	int ret;

	ret = make_pipe(out);
	if (!ret) {
		ret = make_pipe(err);
		if (ret) {
			close(out[0]);
			close(out[1]);
		}
	}
	if (ret)
		return fail(z, ret, "pipe: %s", strerror(-ret));
	/*
	 * Let the decompressor run ahead while we are busy on the link:
	 * with the default 64 KiB it stalls as soon as we stop reading. A
	 * smaller pipe-max-size only costs speed, so a refusal is ignored.
	 */
	fcntl(out[0], F_SETPIPE_SZ, DECOMP_PIPE_SIZE);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, z->in_fd, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	/*
	 * A caller that ignores SIGPIPE or blocks signals must not pass
	 * that on: the child has to die when we stop reading early.
	 */
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF);
	ret = posix_spawnp(&pid, tools[z->fmt].argv[0], &fa, &at,
			   (char *const *)tools[z->fmt].argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(out[1]);
	close(err[1]);
	if (ret) {
		close(out[0]);
		close(err[0]);
		if (ret == ENOENT)
			return fail(z, -ENOENT,
				    "%s-compressed input needs the %s program: apt-get install %s",
				    tools[z->fmt].name, tools[z->fmt].argv[0],
				    tools[z->fmt].package);
		return fail(z, -ret, "cannot run %s: %s", tools[z->fmt].argv[0],
			    strerror(ret));
	}
	z->pid = pid;
	z->out_fd = out[0];
	z->err_fd = err[0];
	return 0;
}

int decomp_open(struct decomp *z, const char *path)
{
	u8 head[DECOMP_MAGIC_LEN];
	struct stat st;
	ssize_t n;
	int fd, ret;

	memset(z, 0, sizeof(*z));
	z->in_fd = -1;
	z->out_fd = -1;
	z->err_fd = -1;
	z->null_fd = -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(z, -errno, "open: %s", strerror(errno));
	fd = above_stdio(fd);
	if (fd < 0)
		return fail(z, -errno, "fcntl: %s", strerror(errno));
	z->in_fd = fd;
	if (fstat(fd, &st)) {
		ret = fail(z, -errno, "stat: %s", strerror(errno));
		goto err;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		ret = fail(z, -ESPIPE,
			   "not a regular file or block device: images are read with random access");
		goto err;
	}
	if (S_ISBLK(st.st_mode)) {
		off_t end = lseek(fd, 0, SEEK_END);

		if (end < 0 || lseek(fd, 0, SEEK_SET)) {
			ret = fail(z, -errno, "lseek: %s", strerror(errno));
			goto err;
		}
		z->in_size = (u64)end;
	} else {
		z->in_size = (u64)st.st_size;
	}
	do {
		n = pread(fd, head, sizeof(head), 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		ret = fail(z, -errno, "read: %s", strerror(errno));
		goto err;
	}
	z->fmt = decomp_detect(head, (size_t)n);
	if (z->fmt == DECOMP_PLAIN) {
		z->out_fd = fd;
		return 0;
	}
	ret = spawn(z);
	if (!ret)
		return 0;
err:
	close(fd);
	z->in_fd = -1;
	return ret;
}

/* Keep the start of the child's stderr, drop the rest; 0 at its EOF. */
static int drain_err(struct decomp *z)
{
	char tmp[512];
	size_t room;
	ssize_t n;

	n = read(z->err_fd, tmp, sizeof(tmp));
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -errno;
	if (!n)
		return 0;
	room = sizeof(z->errtext) - 1 - z->errlen;
	if ((size_t)n < room)
		room = (size_t)n;
	memcpy(z->errtext + z->errlen, tmp, room);
	z->errlen += room;
	z->errtext[z->errlen] = '\0';
	return 1;
}

/* Its lines joined by "; ", empty ones dropped, into @out. */
static void tidy_message(const char *in, char *out, size_t size)
{
	size_t o = 0, len;
	const char *eol;

	out[0] = '\0';
	while (*in) {
		while (*in == ' ' || *in == '\t')
			in++;
		eol = strchr(in, '\n');
		len = eol ? (size_t)(eol - in) : strlen(in);
		while (len && (in[len - 1] == '\r' || in[len - 1] == ' ' ||
			       in[len - 1] == '\t'))
			len--;
		if (len && o + 2 < size)
			o += (size_t)snprintf(out + o, size - o, "%s%.*s",
					      o ? "; " : "", (int)len, in);
		if (o >= size)
			o = size - 1;
		in += eol ? (size_t)(eol - in) + 1 : strlen(in);
	}
}

/* The child's output has ended: collect its message and exit status. */
static int reap(struct decomp *z)
{
	const char *prog = tools[z->fmt].argv[0];
	char msg[sizeof(z->errtext) + 16];
	int st, ret;

	while (z->err_fd >= 0) {
		ret = drain_err(z);
		if (ret <= 0) {
			close(z->err_fd);
			z->err_fd = -1;
		}
	}
	while (waitpid(z->pid, &st, 0) < 0) {
		if (errno != EINTR) {
			ret = -errno;
			z->pid = 0;
			return fail(z, ret, "waitpid: %s", strerror(-ret));
		}
	}
	z->pid = 0;
	tidy_message(z->errtext, msg, sizeof(msg));
	if (WIFEXITED(st) && !WEXITSTATUS(st))
		return 0;
	if (WIFEXITED(st))
		return fail(z, -EIO,
			    "%s -d failed (exit %d) after %llu bytes of output: %s",
			    prog, WEXITSTATUS(st),
			    (unsigned long long)z->out_bytes,
			    msg[0] ? msg : "no message");
	return fail(z, -EIO, "%s -d killed by signal %d after %llu bytes of output%s%s",
		    prog, WTERMSIG(st), (unsigned long long)z->out_bytes,
		    msg[0] ? ": " : "", msg);
}

/*
 * Wait until the child's stdout has data or has ended, draining its
 * stderr meanwhile so that it never blocks on it: 0, or -errno.
 */
static int wait_output(struct decomp *z)
{
	struct pollfd p[2];
	int ret;

	while (z->fmt != DECOMP_PLAIN && z->err_fd >= 0) {
		p[0].fd = z->out_fd;
		p[0].events = POLLIN;
		p[1].fd = z->err_fd;
		p[1].events = POLLIN;
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				return fail(z, -EINTR, "interrupted");
			return fail(z, -errno, "poll: %s", strerror(errno));
		}
		if (p[1].revents) {
			ret = drain_err(z);
			if (ret < 0)
				return fail(z, ret, "read stderr: %s",
					    strerror(-ret));
			if (!ret) {
				close(z->err_fd);
				z->err_fd = -1;
			}
		}
		if (p[0].revents)
			return 0;
	}
	return 0;
}

/* The output has ended: 0 if the stream was whole, else its error. */
static int output_end(struct decomp *z)
{
	int ret;

	if (z->fmt != DECOMP_PLAIN) {
		close(z->out_fd);
		z->out_fd = -1;
		ret = reap(z);
		if (ret)
			return ret;
	}
	z->eof = true;
	return 0;
}

ssize_t decomp_read(struct decomp *z, void *buf, size_t len)
{
	ssize_t n;
	int ret;

	if (z->eof || !len)
		return 0;
	if (z->out_fd < 0)
		return fail(z, -EBADF, "read after an error or close");
	ret = wait_output(z);
	if (ret)
		return ret;
	n = read(z->out_fd, buf, len);
	if (n < 0 && errno == EINTR)
		return fail(z, -EINTR, "interrupted");
	if (n < 0)
		return fail(z, -errno, "read: %s", strerror(errno));
	if (n > 0) {
		z->out_bytes += (u64)n;
		return n;
	}
	return output_end(z);
}

/*
 * Discard up to @len bytes of the child's output without copying them:
 * splice() moves the pipe's pages to /dev/null, where they are dropped.
 * Their count, 0 at the end (checked as decomp_read() does), -EINVAL
 * when splice() cannot be used here (the caller reads instead), or
 * -errno.
 */
static ssize_t splice_out(struct decomp *z, u64 len)
{
	ssize_t n;
	int ret;

	if (z->null_fd < 0) {
		z->null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (z->null_fd < 0)
			return -EINVAL;
	}
	ret = wait_output(z);
	if (ret)
		return ret;
	n = splice(z->out_fd, NULL, z->null_fd, NULL,
		   len < DECOMP_PIPE_SIZE ? (size_t)len : DECOMP_PIPE_SIZE, 0);
	if (n < 0 && errno == EINTR)
		return fail(z, -EINTR, "interrupted");
	if (n < 0)
		return errno == EINVAL || errno == ENOSYS ? -EINVAL :
		       fail(z, -errno, "splice: %s", strerror(errno));
	if (n > 0) {
		z->out_bytes += (u64)n;
		return n;
	}
	return output_end(z);
}

int decomp_skip(struct decomp *z, u64 len, void *scratch, size_t scratch_len)
{
	u64 start = z->out_bytes;
	ssize_t n;

	if (z->fmt == DECOMP_PLAIN && !z->eof && z->out_fd >= 0) {
		if (len > z->in_size - z->out_bytes)
			return fail(z, -ENODATA,
				    "the file ends at byte %llu, skipping %llu bytes from %llu",
				    (unsigned long long)z->in_size,
				    (unsigned long long)len,
				    (unsigned long long)start);
		if (lseek(z->in_fd, (off_t)len, SEEK_CUR) < 0)
			return fail(z, -errno, "lseek: %s", strerror(errno));
		z->out_bytes += len;
		return 0;
	}
	while (len) {
		n = z->fmt == DECOMP_PLAIN || z->eof || z->out_fd < 0 ? -EINVAL :
		    splice_out(z, len);
		if (n == -EINVAL)
			n = decomp_read(z, scratch, len < scratch_len ?
					(size_t)len : scratch_len);
		if (n < 0)
			return (int)n;
		if (!n)
			return fail(z, -ENODATA,
				    "the data ends at byte %llu, skipping %llu bytes from %llu",
				    (unsigned long long)z->out_bytes,
				    (unsigned long long)(z->out_bytes - start + len),
				    (unsigned long long)start);
		len -= (u64)n;
	}
	return 0;
}

void decomp_close(struct decomp *z)
{
	int st;

	if (z->out_fd >= 0 && z->out_fd != z->in_fd)
		close(z->out_fd);
	if (z->err_fd >= 0)
		close(z->err_fd);
	if (z->null_fd >= 0)
		close(z->null_fd);
	z->null_fd = -1;
	if (z->in_fd >= 0)
		close(z->in_fd);
	z->in_fd = -1;
	z->out_fd = -1;
	z->err_fd = -1;
	if (z->pid > 0) {
		/* stopped early: the child may be blocked writing to us */
		kill(z->pid, SIGTERM);
		while (waitpid(z->pid, &st, 0) < 0 && errno == EINTR)
			;
		z->pid = 0;
	}
}
