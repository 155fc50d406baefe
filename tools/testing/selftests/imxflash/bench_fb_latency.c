// SPDX-License-Identifier: GPL-2.0
/*
 * bench_fb_latency: how long a fastboot device keeps the host waiting
 * before it answers "download:%08x" (buffer allocation), for make bench.
 * uuu reads every answer with a 2 s timeout, so this gap must stay well
 * below that (or be filled with INFO keep-alives).
 *
 *   bench_fb_latency SERIAL SIZE [RUNS]
 *
 * Each run: download:SIZE, time to the first answer and to DATA, then the
 * data is sent (zeros) and the final answer read. Prints one line per run:
 *   run=N first_ms=N data_ms=N infos=N
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fastboot_usbfs.h"
#include "gadget_util.h"

int main(int argc, char **argv)
{
	struct fbt_dev d;
	struct fbt_resp r;
	unsigned long size;
	int runs, i, ret = 0;
	char *buf;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_fb_latency SERIAL SIZE [RUNS]\n");
		return 2;
	}
	size = strtoul(argv[2], NULL, 0);
	runs = argc > 3 ? atoi(argv[3]) : 1;
	buf = calloc(1, size);
	if (!buf || fbt_open(&d, argv[1], 10000)) {
		fprintf(stderr, "bench_fb_latency: no device %s\n", argv[1]);
		return 1;
	}
	for (i = 0; i < runs && !ret; i++) {
		char c[32];
		long t0, first = -1;
		int n = 0, t;

		snprintf(c, sizeof(c), "download:%08lx", size);
		memset(&r, 0, sizeof(r));
		t0 = imxf_now_ms();
		t = fbt_bulk(&d, d.ep_out, c, strlen(c), 5000);
		while (t >= 0) {
			char in[FBT_RD_BUF + 1];

			t = fbt_bulk(&d, d.ep_in, in, FBT_RD_BUF, 60000);
			if (t < 4)
				break;
			if (first < 0)
				first = imxf_now_ms() - t0;
			if (memcmp(in, "INFO", 4))
				break;
			n++;
		}
		if (t < 4) {
			fprintf(stderr, "bench_fb_latency: no DATA (%d)\n", t);
			ret = 1;
			break;
		}
		printf("run=%d first_ms=%ld data_ms=%ld infos=%d\n", i + 1, first,
		       imxf_now_ms() - t0, n);
		if (fbt_send(&d, buf, size) || fbt_finish(&d, &r) != FBT_OKAY) {
			fprintf(stderr, "bench_fb_latency: download failed '%s'\n",
				r.text);
			ret = 1;
		}
	}
	fbt_close(&d);
	free(buf);
	return ret;
}
