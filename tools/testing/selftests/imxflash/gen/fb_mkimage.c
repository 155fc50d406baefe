// SPDX-License-Identifier: GPL-2.0
/*
 * fb_mkimage: deterministic test images and backing stores for the
 * fastboot suites (a static binary: under TCG a Python generator spends
 * seconds just starting).
 *
 *   fb_mkimage OUT SIZE SEED [KIND]
 *       KIND random (default): pseudo-random bytes
 *            mixed:  random, zero, 0xff and 32-bit-pattern regions of
 *                    varying length (clients turn uniform blocks into
 *                    FILL chunks), so every client path is taken
 *            sparse: mostly holes (zeros) with random islands, for img2simg
 *   fb_mkimage --fill FILE OFF LEN SEED
 *       overwrite LEN bytes at OFF of an existing FILE with random bytes
 *   fb_mkimage --cmp FILE OFF IMAGE [LEN]
 *       do the LEN (default: all) bytes of FILE at OFF equal IMAGE? Holes
 *       of IMAGE (SEEK_HOLE) are compared with zeros without being read:
 *       under TCG reading a tmpfs hole is far slower than reading data.
 *       Exit 0 if equal, 1 with the first differing offset on stderr.
 *
 * SIZE, OFF, LEN: bytes, with an optional K/M/G suffix (powers of 1024).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK	(1u << 20)

static uint64_t rng;

static void rnd_fill(uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		memcpy(b + i, &rng, 8);
	}
	for (; i < n; i++) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		b[i] = (uint8_t)rng;
	}
}

static int parse_size(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'G':
		*v <<= 10;
		/* fall through */
	case 'M':
		*v <<= 10;
		/* fall through */
	case 'K':
		*v <<= 10;
		end++;
		break;
	}
	return *end ? -1 : 0;
}

static int write_all(int fd, const uint8_t *b, size_t n)
{
	while (n) {
		ssize_t r = write(fd, b, n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += r;
		n -= r;
	}
	return 0;
}

/* Region @i of a "mixed" image: its length and how to fill it. */
static void mixed_region(unsigned int i, uint64_t seed, uint64_t *len,
			 int *kind)
{
	static const uint64_t lens[] = {
		3 << 20, 2 << 20, (1 << 20) + 8192, 1 << 19, 700 << 10,
	};

	*kind = i % 5;
	*len = lens[*kind];
	if (*kind == 0)
		*len += 4096 * (seed % 7);
}

static int gen(int fd, uint64_t size, uint64_t seed, const char *kind)
{
	uint8_t *b = malloc(CHUNK);
	uint64_t done = 0, rlen = 0, rleft = 0;
	unsigned int region = 0;
	int rkind = 0;

	if (!b)
		return -1;
	while (done < size) {
		uint64_t n = size - done < CHUNK ? size - done : CHUNK;
		size_t i;

		if (!strcmp(kind, "random")) {
			rnd_fill(b, n);
		} else if (!strcmp(kind, "mixed")) {
			if (!rleft) {
				mixed_region(region++, seed, &rlen, &rkind);
				rleft = rlen;
			}
			if (n > rleft)
				n = rleft;
			switch (rkind) {
			case 1:
				memset(b, 0, n);
				break;
			case 2:
				memset(b, 0xff, n);
				break;
			case 3:
				for (i = 0; i < n; i++)
					b[i] = (uint8_t)(0x12345678u >> (8 * ((done + i) % 4)));
				break;
			default:
				rnd_fill(b, n);
				break;
			}
			rleft -= n;
		} else {	/* sparse: 5 MiB hole, 300 KiB + 17 data, 9 MiB hole */
			static const uint64_t lens[] = { 5 << 20, (300 << 10) + 17, 9 << 20 };

			if (!rleft) {
				rkind = region % 3;
				rlen = lens[rkind];
				rleft = rlen;
				region++;
			}
			if (n > rleft)
				n = rleft;
			rleft -= n;
			if (rkind != 1) {
				if (lseek(fd, n, SEEK_CUR) < 0)
					goto fail;
				done += n;
				continue;
			}
			rnd_fill(b, n);
		}
		if (write_all(fd, b, n))
			goto fail;
		done += n;
	}
	free(b);
	return ftruncate(fd, size);
fail:
	free(b);
	return -1;
}

static int read_all(int fd, uint8_t *b, size_t n, uint64_t off)
{
	while (n) {
		ssize_t r = pread(fd, b, n, off);

		if (r <= 0)
			return -1;
		b += r;
		n -= r;
		off += r;
	}
	return 0;
}

static int cmp_image(const char *file, uint64_t off, const char *image,
		     const char *lenarg)
{
	uint8_t *a = malloc(CHUNK), *b = malloc(CHUNK);
	int fa = open(file, O_RDONLY), fb = open(image, O_RDONLY);
	uint64_t len, pos = 0;
	int ret = 1;
	off_t end;

	if (!a || !b || fa < 0 || fb < 0) {
		perror("fb_mkimage --cmp");
		ret = 2;
		goto out;
	}
	end = lseek(fb, 0, SEEK_END);
	len = end;
	if (lenarg && parse_size(lenarg, &len)) {
		ret = 2;
		goto out;
	}
	if (len > (uint64_t)end) {
		fprintf(stderr, "%s: only %lld bytes\n", image, (long long)end);
		goto out;
	}
	memset(b, 0, CHUNK);
	while (pos < len) {
		off_t data = lseek(fb, pos, SEEK_DATA), hole;
		int in_hole = data < 0 || (uint64_t)data > pos;
		uint64_t n, i;

		if (in_hole) {
			n = (data < 0 ? len : (uint64_t)data) - pos;
		} else {
			hole = lseek(fb, pos, SEEK_HOLE);
			n = (hole < 0 ? len : (uint64_t)hole) - pos;
		}
		if (n > len - pos)
			n = len - pos;
		if (n > CHUNK)
			n = CHUNK;
		if (!in_hole && read_all(fb, b, n, pos))
			goto short_read;
		if (read_all(fa, a, n, off + pos))
			goto short_read;
		if (memcmp(a, b, n)) {
			for (i = 0; a[i] == b[i]; i++)
				;
			fprintf(stderr, "%s differs from %s at image offset %llu (file offset %llu): 0x%02x, want 0x%02x\n",
				file, image, (unsigned long long)(pos + i),
				(unsigned long long)(off + pos + i), a[i], b[i]);
			goto out;
		}
		if (!in_hole)
			memset(b, 0, n);	/* zeros for the next hole */
		pos += n;
	}
	ret = 0;
	goto out;
short_read:
	fprintf(stderr, "%s: short read at %llu\n", file, (unsigned long long)pos);
out:
	free(a);
	free(b);
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return ret;
}

int main(int argc, char **argv)
{
	uint64_t size, off = 0, seed;
	const char *path;
	int fd, fill;

	if (argc > 1 && !strcmp(argv[1], "--cmp")) {
		if (argc < 5 || argc > 6 || parse_size(argv[3], &off)) {
			fprintf(stderr, "usage: fb_mkimage --cmp FILE OFF IMAGE [LEN]\n");
			return 2;
		}
		return cmp_image(argv[2], off, argv[4], argc == 6 ? argv[5] : NULL);
	}
	fill = argc > 1 && !strcmp(argv[1], "--fill");
	if (fill ? argc != 6 : (argc < 4 || argc > 5)) {
		fprintf(stderr, "usage: fb_mkimage OUT SIZE SEED [random|mixed|sparse]\n"
			"       fb_mkimage --fill FILE OFF LEN SEED\n"
			"       fb_mkimage --cmp FILE OFF IMAGE [LEN]\n");
		return 2;
	}
	argv += fill;
	path = argv[1];
	if ((fill && parse_size(argv[2], &off)) ||
	    parse_size(argv[2 + fill], &size) ||
	    parse_size(argv[3 + fill], &seed)) {
		fprintf(stderr, "fb_mkimage: bad number\n");
		return 2;
	}
	if (!fill && argc == 5 && strcmp(argv[4], "random") &&
	    strcmp(argv[4], "mixed") && strcmp(argv[4], "sparse")) {
		fprintf(stderr, "fb_mkimage: unknown kind '%s'\n", argv[4]);
		return 2;
	}
	rng = 0x9e3779b97f4a7c15ull ^ (seed * 0xff51afd7ed558ccdull) ^ off;
	if (!rng)
		rng = 1;
	fd = open(path, fill ? O_WRONLY : O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || (fill && lseek(fd, off, SEEK_SET) < 0)) {
		perror(path);
		return 1;
	}
	if (fill) {
		uint8_t *b = malloc(CHUNK);

		while (b && size) {
			uint64_t n = size < CHUNK ? size : CHUNK;

			rnd_fill(b, n);
			if (write_all(fd, b, n))
				break;
			size -= n;
		}
		free(b);
	} else if (gen(fd, size, seed, argc == 5 ? argv[4] : "random")) {
		size = 1;
	} else {
		size = 0;
	}
	if (size || close(fd)) {
		perror(path);
		return 1;
	}
	return 0;
}
