// SPDX-License-Identifier: GPL-2.0
/*
 * Messages, number parsing, whole-file loading (util.h).
 *
 * Informational messages go to stdout (suppressed by -q), errors and
 * warnings to stderr prefixed with the name of the running program
 * (util_set_prog()), so that imx-factory's messages say "imx-factory: "
 * even when they come from the library.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/imx_sdp.h>

#include "util.h"

int util_verbosity;
static const char *prog;

void util_set_prog(const char *name)
{
	prog = name;
}

/* Until main() names the program: the name it was run as. */
const char *util_prog(void)
{
	return prog ? prog : program_invocation_short_name;
}

/* Largest file imx-sdp loads (the driver's per-command limit). */
#define LOAD_MAX	IMX_SDP_MAX_XFER

static void vout(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
	/* A progress bar may be on stderr: keep the streams in order. */
	fflush(stdout);
	if (prefix)
		fprintf(f, "%s: %s", util_prog(), prefix);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	fflush(f);
}

void util_msg(const char *fmt, ...)
{
	va_list ap;

	if (util_verbosity < 0)
		return;
	va_start(ap, fmt);
	vout(stdout, NULL, fmt, ap);
	va_end(ap);
}

void util_vmsg(const char *fmt, ...)
{
	va_list ap;

	if (util_verbosity < 1)
		return;
	va_start(ap, fmt);
	vout(stdout, NULL, fmt, ap);
	va_end(ap);
}

void util_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vout(stderr, "warning: ", fmt, ap);
	va_end(ap);
}

void util_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vout(stderr, "", fmt, ap);
	va_end(ap);
}

/*
 * Parse a 32-bit number: decimal, 0x hex or 0 octal; with @size_suffix,
 * an optional K or M (binary) suffix. Returns 0 or -EINVAL/-ERANGE.
 */
int util_parse_u32(const char *s, u32 *val, bool size_suffix)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	/* decimal, or hexadecimal with 0x: a leading 0 is not octal */
	v = strtoull(s, &end,
		     s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10);
	if (errno)
		return -ERANGE;
	if (end == s)
		return -EINVAL;
	if (size_suffix && *end) {
		if ((*end == 'k' || *end == 'K') && !end[1])
			v <<= 10, end++;
		else if (*end == 'M' && !end[1])
			v <<= 20, end++;
	}
	if (*end)
		return -EINVAL;
	if (v > 0xffffffffull)
		return -ERANGE;
	*val = (u32)v;
	return 0;
}

/*
 * Read a whole regular file into a fresh buffer. Returns 0 or -errno;
 * -EFBIG above the driver's transfer limit, -ENODATA if empty.
 */
int util_load_file(const char *path, u8 **buf, size_t *len)
{
	struct stat st;
	size_t got = 0;
	ssize_t n;
	u8 *p;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		goto out;
	}
	if (st.st_size == 0) {
		err = -ENODATA;
		goto out;
	}
	if ((unsigned long long)st.st_size > LOAD_MAX) {
		err = -EFBIG;
		goto out;
	}
	p = malloc(st.st_size);
	if (!p) {
		err = -ENOMEM;
		goto out;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, p + got, st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n ? -errno : -EIO;
			free(p);
			goto out;
		}
		got += n;
	}
	*buf = p;
	*len = got;
	err = 0;
out:
	close(fd);
	return err;
}

/* No floating point: it would double the size of a static binary. */
u64 util_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "0.31 s, 1.70 MB/s" */
const char *util_human_rate(char *buf, size_t size, u64 bytes, u64 ms)
{
	u64 rate;

	if (!ms)
		ms = 1;
	rate = bytes * 1000 / ms / 10000;	/* hundredths of MB/s */
	snprintf(buf, size, "%llu.%02llu s, %llu.%02llu MB/s", ms / 1000,
		 ms % 1000 / 10, rate / 100, rate % 100);
	return buf;
}

/* "2", "0.5", "1.25" seconds into milliseconds. */
int util_parse_seconds_ms(const char *s, u64 *ms)
{
	u64 v = 0, frac = 0, scale = 1000;
	const char *p = s;
	int digits = 0;

	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		v = v * 10 + (u64)(*p - '0');
		if (v > 100000000ull)
			return -ERANGE;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
			if (scale > 1) {
				scale /= 10;
				frac += (u64)(*p - '0') * scale;
			}
		}
	}
	if (*p || !digits)
		return -EINVAL;
	*ms = v * 1000 + frac;
	return 0;
}

/* Parse "a<sep>b<sep>c" hex numbers (sep = any non-hex char). */
int util_parse_hex3(const char *s, unsigned long v[3])
{
	char *end;
	int i;

	for (i = 0; i < 3; i++) {
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') ||
		      (*s >= 'A' && *s <= 'F')))
			return -EINVAL;
		v[i] = strtoul(s, &end, 16);
		s = end;
		if (i < 2) {
			if (!*s)
				return -EINVAL;
			s++;
		}
	}
	return 0;
}
