// SPDX-License-Identifier: GPL-2.0
/*
 * bench_fb_latency: a fastboot download timed from the host side over
 * usbfs, for make bench:
 *  - how long the device keeps the host waiting before it answers
 *    "download:%08x" (buffer allocation; uuu reads every answer with a 2 s
 *    timeout, so this must stay well below that or be filled with INFO);
 *  - how fast the data phase goes when written in CHUNK-byte synchronous
 *    bulk transfers (16 KiB: fastboot 29.0.6; 1 MiB: uuu), which compares
 *    with bench_usb_ceiling's usbfs mode (same writes into f_sourcesink)
 *    without the clients' own start-up and file reading.
 *
 *   bench_fb_latency SERIAL SIZE [RUNS [CHUNK [QLEN [FILE]]]]
 *
 * Each run: download:SIZE, time to the first answer and to DATA, then the
 * data (zeros) in CHUNK-byte writes (default 1 MiB), QLEN of them in flight
 * (default 1: synchronous), then the final answer. With FILE the data is
 * sent from a fresh read-only shared mapping of that file, as fastboot
 * 29.0.6 sends an image (mmap, then 16 KiB writes): the difference to the
 * zero buffer is the client's own cost of faulting the file in. One line
 * per run:
 *   run=N first_ms=N data_ms=N infos=N send_ms=N MBps=N.N
 * (send_ms: first data byte to OKAY; MB = 10^6 bytes)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/usbdevice_fs.h>

#include "fastboot_usbfs.h"
#include "gadget_util.h"

/* @size bytes of @buf in @chunk-byte URBs, @qlen in flight. */
static int send_async(struct fbt_dev *d, char *buf, unsigned long size,
		      unsigned long chunk, unsigned int qlen)
{
	struct usbdevfs_urb *urbs = calloc(qlen, sizeof(*urbs)), *u;
	unsigned long queued = 0, done = 0;
	unsigned int i;
	int ret = -1;

	if (!urbs)
		return -1;
	for (i = 0; i < qlen && queued < size; i++) {
		urbs[i].type = USBDEVFS_URB_TYPE_BULK;
		urbs[i].endpoint = d->ep_out;
		urbs[i].buffer = buf + queued;
		urbs[i].buffer_length = size - queued < chunk ? size - queued : chunk;
		if (ioctl(d->fd, USBDEVFS_SUBMITURB, &urbs[i]) < 0)
			goto out;
		queued += urbs[i].buffer_length;
	}
	while (done < queued) {
		if (ioctl(d->fd, USBDEVFS_REAPURB, &u) < 0 || u->status ||
		    u->actual_length != u->buffer_length)
			goto out;
		done += u->buffer_length;
		if (queued < size) {
			u->buffer = buf + queued;
			u->buffer_length = size - queued < chunk ? size - queued : chunk;
			if (ioctl(d->fd, USBDEVFS_SUBMITURB, u) < 0)
				goto out;
			queued += u->buffer_length;
		}
	}
	ret = 0;
out:
	/* on error the process exits: the kernel discards what is in flight */
	free(urbs);
	return ret;
}

int main(int argc, char **argv)
{
	struct fbt_dev d;
	struct fbt_resp r;
	unsigned long size, chunk, qlen;
	int runs, i, ret = 0;
	const char *file;
	char *buf;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_fb_latency SERIAL SIZE [RUNS [CHUNK [QLEN [FILE]]]]\n");
		return 2;
	}
	size = strtoul(argv[2], NULL, 0);
	runs = argc > 3 ? atoi(argv[3]) : 1;
	chunk = argc > 4 ? strtoul(argv[4], NULL, 0) : 1 << 20;
	qlen = argc > 5 ? strtoul(argv[5], NULL, 0) : 1;
	if (!size || !chunk || !qlen) {
		fprintf(stderr, "bench_fb_latency: bad sizes\n");
		return 2;
	}
	file = argc > 6 ? argv[6] : NULL;
	buf = file ? NULL : calloc(1, size);
	if ((!file && !buf) || fbt_open(&d, argv[1], 10000)) {
		fprintf(stderr, "bench_fb_latency: no device %s\n", argv[1]);
		return 1;
	}
	for (i = 0; i < runs && !ret; i++) {
		char c[32];
		long t0, first = -1, send;
		unsigned long off, len;
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
		t = (int)(imxf_now_ms() - t0);
		t0 = imxf_now_ms();
		if (file) {
			/* mapped inside the timed part, as the client does */
			int fd = open(file, O_RDONLY);

			buf = fd < 0 ? MAP_FAILED :
			      mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
			if (fd >= 0)
				close(fd);
			if (buf == MAP_FAILED) {
				fprintf(stderr, "bench_fb_latency: %s: %s\n",
					file, strerror(errno));
				ret = 1;
				break;
			}
		}
		if (qlen > 1) {
			ret = send_async(&d, buf, size, chunk, qlen) ? 1 : 0;
		} else {
			for (off = 0; off < size && !ret; off += len) {
				len = size - off < chunk ? size - off : chunk;
				if (fbt_bulk(&d, d.ep_out, buf + off, len, 30000) != (int)len)
					ret = 1;
			}
		}
		if (file) {
			munmap(buf, size);
			buf = NULL;
		}
		if (ret || fbt_finish(&d, &r) != FBT_OKAY) {
			fprintf(stderr, "bench_fb_latency: download failed '%s'\n",
				r.text);
			ret = 1;
			break;
		}
		send = imxf_now_ms() - t0;
		printf("run=%d first_ms=%ld data_ms=%d infos=%d send_ms=%ld MBps=%.1f\n",
		       i + 1, first, t, n, send, send ? size / (send * 1e3) : 0);
	}
	fbt_close(&d);
	free(buf);
	return ret;
}
