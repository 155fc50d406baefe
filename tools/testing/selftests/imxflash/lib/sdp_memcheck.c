// SPDX-License-Identifier: GPL-2.0
/*
 * sdp_memcheck: after a loader (imx_usb, uuu, imx-sdp) booted an image
 * into the usb_f_sdp emulator, compare the emulated memory with what the
 * image and its mkimx manifest say must be there.
 *
 *   sdp_memcheck BOARD IMAGE MANIFEST [--prefix main_] [--ivt-dcd zero|keep]
 *                [--ignore OFF:LEN]
 *
 * Checks, each reported on stderr with the first differing address:
 *  - the bytes IVT.self .. IVT.self + load_len equal the image from the
 *    IVT on, except the IVT's dcd word, which must be zero (the loader
 *    cleared it) or kept (the loader used SKIP_DCD_HEADER), as told;
 *  - every register the DCD writes holds the value the manifest predicts.
 * Exit 0 when everything matches, 1 otherwise, 2 on usage errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imxflash/imx_image.h>

#include "gadget_util.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n + 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = 0;
		*len = n;
	}
	return buf;
}

static int key(const char *man, const char *prefix, const char *name,
	       unsigned long *val)
{
	char want[96];
	const char *p;

	snprintf(want, sizeof(want), "\n%s%s=", prefix, name);
	p = strstr(man, want);
	if (!p && !strncmp(man, want + 1, strlen(want + 1)))
		p = man - 1;
	if (!p)
		return -ENOENT;
	*val = strtoul(p + strlen(want), NULL, 0);
	return 0;
}

int main(int argc, char **argv)
{
	const char *prefix = "", *ivt_dcd = "any";
	unsigned long ign_off = 0, ign_len = 0;
	unsigned long ivt_off, load_addr, load_len;
	struct imxf_board b = { 0 };
	size_t img_len, man_len;
	char *img, *man, *line;
	unsigned char *mem;
	char dcdw[32];
	int i, bad = 0, nregs = 0;
	size_t k;

	if (argc < 4) {
		fprintf(stderr, "usage: %s BOARD IMAGE MANIFEST [--prefix P] [--ivt-dcd zero|keep]\n",
			argv[0]);
		return 2;
	}
	for (i = 4; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--prefix"))
			prefix = argv[i + 1];
		else if (!strcmp(argv[i], "--ivt-dcd"))
			ivt_dcd = argv[i + 1];
		else if (!strcmp(argv[i], "--ignore"))
		{
			char *end;

			ign_off = strtoul(argv[i + 1], &end, 0);
			ign_len = *end == ':' ? strtoul(end + 1, NULL, 0) : 0;
		}
		else
			return 2;
	}
	snprintf(b.name, sizeof(b.name), "%s", argv[1]);
	img = slurp(argv[2], &img_len);
	man = slurp(argv[3], &man_len);
	if (!img || !man) {
		fprintf(stderr, "memcheck: cannot read %s or %s\n", argv[2],
			argv[3]);
		return 2;
	}
	if (key(man, prefix, "ivt_off", &ivt_off) ||
	    key(man, prefix, "load_addr", &load_addr) ||
	    key(man, prefix, "load_len", &load_len) ||
	    ivt_off + load_len > img_len) {
		fprintf(stderr, "memcheck: manifest lacks %sivt_off/load_addr/load_len\n",
			prefix);
		return 2;
	}
	mem = malloc(load_len);
	if (!mem || imxf_board_mem_read(&b, load_addr, mem, load_len)) {
		fprintf(stderr, "memcheck: reading %lu bytes at 0x%08lx of %s failed\n",
			load_len, load_addr, b.name);
		return 1;
	}
	for (k = 0; k < load_len; k++) {
		unsigned char want = img[ivt_off + k];

		if (k >= ign_off && k < ign_off + ign_len)
			continue;
		if (k >= 12 && k < 16) {
			if (!strcmp(ivt_dcd, "zero"))
				want = 0;
			else if (strcmp(ivt_dcd, "keep"))
				continue;
		}
		if (mem[k] != want) {
			fprintf(stderr, "memcheck: 0x%08lx (image offset 0x%lx): 0x%02x, expected 0x%02x%s\n",
				(unsigned long)(load_addr + k),
				(unsigned long)(ivt_off + k), mem[k], want,
				k >= 12 && k < 16 ? " (IVT.dcd)" : "");
			bad++;
			break;
		}
	}
	snprintf(dcdw, sizeof(dcdw), "%sdcdw ", prefix);
	for (line = man; line && *line; line = strchr(line, '\n')) {
		unsigned long addr, val, w;
		unsigned char r[4] = { 0 };
		unsigned long got;

		if (*line == '\n')
			line++;
		if (strncmp(line, dcdw, strlen(dcdw)))
			continue;
		if (sscanf(line + strlen(dcdw), "%lx %lx %lu", &addr, &val,
			   &w) != 3 || (w != 1 && w != 2 && w != 4))
			continue;
		nregs++;
		if (imxf_board_mem_read(&b, addr, r, w)) {
			bad++;
			continue;
		}
		got = r[0] | r[1] << 8 | r[2] << 16 | (unsigned long)r[3] << 24;
		if (got != val) {
			fprintf(stderr, "memcheck: DCD target 0x%08lx holds 0x%lx, expected 0x%lx\n",
				addr, got, val);
			bad++;
		}
	}
	printf("memcheck: %s: %lu bytes at 0x%08lx %s, %d DCD registers checked, %s\n",
	       b.name, load_len, load_addr, bad ? "checked" : "match", nregs,
	       bad ? "FAILED" : "ok");
	return bad ? 1 : 0;
}
