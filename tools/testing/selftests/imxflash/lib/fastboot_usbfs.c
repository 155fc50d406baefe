// SPDX-License-Identifier: GPL-2.0
/*
 * Test helpers: fastboot over raw usbfs, sparse image builder (see
 * fastboot_usbfs.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/usbdevice_fs.h>

#include "fastboot_usbfs.h"
#include "gadget_util.h"

/* ---- small helpers -------------------------------------------------------- */

uint64_t fbt_hash_range(const char *path, uint64_t off, uint64_t len)
{
	static uint8_t buf[1 << 20];
	uint64_t h = 0xcbf29ce484222325ull, n = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return 0;
	while (n < len) {
		size_t want = len - n < sizeof(buf) ? len - n : sizeof(buf);
		ssize_t i;

		r = pread(fd, buf, want, off + n);
		if (r <= 0)
			break;
		for (i = 0; i + 8 <= r; i += 8) {
			uint64_t w;

			memcpy(&w, buf + i, 8);
			h = (h ^ w) * 0x9e3779b97f4a7c15ull;
			h ^= h >> 29;
		}
		for (; i < r; i++)
			h = (h ^ buf[i]) * 0x100000001b3ull;
		n += r;
	}
	close(fd);
	return h ^ n;
}

uint64_t fbt_hash_file(const char *path)
{
	return fbt_hash_range(path, 0, UINT64_MAX);
}

int fbt_pread(const char *path, uint64_t off, void *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0)
		return -errno;
	r = pread(fd, buf, len, off);
	close(fd);
	return r == (ssize_t)len ? 0 : -EIO;
}

/* ---- usbfs ------------------------------------------------------------- */

/* sysfs attribute @name of /sys/bus/usb/devices/@dev, 0 or -1 */
static int sysattr(const char *dev, const char *name, char *buf, size_t n)
{
	char p[700];

	snprintf(p, sizeof(p), "/sys/bus/usb/devices/%.500s/%.60s", dev, name);
	return imxf_read_file(p, buf, n) < 0 ? -1 : 0;
}

/* The bulk endpoints of interface @intf ("3-1:1.0"). */
static void find_eps(const char *intf, struct fbt_dev *d)
{
	char p[300];
	struct dirent *e;
	DIR *dir;

	snprintf(p, sizeof(p), "/sys/bus/usb/devices/%s", intf);
	dir = opendir(p);
	while (dir && (e = readdir(dir))) {
		char ep[400], v[16];
		unsigned int addr;

		if (strncmp(e->d_name, "ep_", 3))
			continue;
		snprintf(ep, sizeof(ep), "%.100s/%.100s", intf, e->d_name);
		if (sysattr(ep, "type", v, sizeof(v)) || strcmp(v, "Bulk") ||
		    sysattr(ep, "bEndpointAddress", v, sizeof(v)))
			continue;
		addr = strtoul(v, NULL, 16);
		if (addr & 0x80) {
			d->ep_in = addr;
		} else {
			d->ep_out = addr;
			if (!sysattr(ep, "wMaxPacketSize", v, sizeof(v)))
				d->mps = strtoul(v, NULL, 16);
		}
	}
	if (dir)
		closedir(dir);
}

/* Find the FF/42/03 interface of the device with @serial (any VID/PID). */
int fbt_find(const char *serial, struct fbt_dev *d)
{
	DIR *dir = opendir("/sys/bus/usb/devices");
	struct dirent *e;
	int ret = -ENODEV;

	while (dir && (e = readdir(dir))) {
		char v[128], parent[64], bus[16], dev[16];
		const char *colon = strchr(e->d_name, ':');

		if (!colon ||
		    sysattr(e->d_name, "bInterfaceClass", v, sizeof(v)) || strcmp(v, "ff") ||
		    sysattr(e->d_name, "bInterfaceSubClass", v, sizeof(v)) || strcmp(v, "42") ||
		    sysattr(e->d_name, "bInterfaceProtocol", v, sizeof(v)) || strcmp(v, "03"))
			continue;
		snprintf(parent, sizeof(parent), "%.*s", (int)(colon - e->d_name),
			 e->d_name);
		if (sysattr(parent, "serial", v, sizeof(v)) || strcmp(v, serial) ||
		    sysattr(parent, "busnum", bus, sizeof(bus)) ||
		    sysattr(parent, "devnum", dev, sizeof(dev)) ||
		    sysattr(e->d_name, "bInterfaceNumber", v, sizeof(v)))
			continue;
		d->ifnum = (int)strtol(v, NULL, 16);
		snprintf(d->node, sizeof(d->node), "/dev/bus/usb/%03d/%03d",
			 atoi(bus), atoi(dev));
		d->ep_in = 0;
		d->ep_out = 0;
		find_eps(e->d_name, d);
		if (d->ep_in && d->ep_out)
			ret = 0;
		break;
	}
	if (dir)
		closedir(dir);
	return ret;
}

int fbt_open(struct fbt_dev *d, const char *serial, int wait_ms)
{
	long end = imxf_now_ms() + wait_ms;
	int ret;

	d->fd = -1;
	do {
		ret = fbt_find(serial, d);
		if (!ret) {
			d->fd = open(d->node, O_RDWR);
			if (d->fd >= 0 &&
			    ioctl(d->fd, USBDEVFS_CLAIMINTERFACE, &d->ifnum) == 0)
				return 0;
			ret = -errno;
			if (d->fd >= 0)
				close(d->fd);
			d->fd = -1;
		}
		usleep(50000);
	} while (imxf_now_ms() < end);
	return ret;
}

void fbt_close(struct fbt_dev *d)
{
	if (d->fd < 0)
		return;
	ioctl(d->fd, USBDEVFS_RELEASEINTERFACE, &d->ifnum);
	close(d->fd);
	d->fd = -1;
}

int fbt_bulk(struct fbt_dev *d, unsigned int ep, void *buf, size_t len,
	     int tmo)
{
	struct usbdevfs_bulktransfer b = {
		.ep = ep, .len = len, .timeout = tmo, .data = buf,
	};
	int r = ioctl(d->fd, USBDEVFS_BULK, &b);

	return r < 0 ? -errno : r;
}

int fbt_send(struct fbt_dev *d, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		size_t n = len > (1u << 20) ? (1u << 20) : len;
		int r = fbt_bulk(d, d->ep_out, (void *)p, n, 30000);

		if (r < 0)
			return r;
		p += r;
		len -= r;
	}
	return 0;
}

/* One response; checks the rules every response must follow. */
static int fbt_read_resp(struct fbt_dev *d, struct fbt_resp *r, int tmo)
{
	char buf[FBT_RD_BUF + 1];
	int n = fbt_bulk(d, d->ep_in, buf, FBT_RD_BUF, tmo);

	if (n < 0)
		return n;
	buf[n] = 0;
	if (n > FBT_RESP_MAX && !r->bad) {
		r->bad = 1;
		snprintf(r->why, sizeof(r->why), "response of %d bytes (> 64): %.60s", n, buf);
	}
	if (n < 4) {
		if (!r->bad) {
			r->bad = 1;
			snprintf(r->why, sizeof(r->why), "response of %d bytes", n);
		}
		return FBT_ERR;
	}
	snprintf(r->text, sizeof(r->text), "%s", buf + 4);
	if (!memcmp(buf, "OKAY", 4))
		return FBT_OKAY;
	if (!memcmp(buf, "FAIL", 4))
		return FBT_FAIL;
	if (!memcmp(buf, "DATA", 4))
		return FBT_DATA;
	if (!memcmp(buf, "INFO", 4))
		return FBT_INFO;
	if (!r->bad) {
		r->bad = 1;
		snprintf(r->why, sizeof(r->why), "unknown tag in '%.40s'", buf);
	}
	return FBT_ERR;
}

/* Read INFO* then the final response. Returns the final tag or -errno. */
int fbt_finish(struct fbt_dev *d, struct fbt_resp *r)
{
	for (;;) {
		int t = fbt_read_resp(d, r, FBT_TMO);

		if (t < 0 && t != FBT_ERR)
			return t;
		if (t == FBT_INFO) {
			size_t l = strlen(r->info);

			r->ninfo++;
			snprintf(r->info + l, sizeof(r->info) - l, "%s\n", r->text);
			continue;
		}
		r->tag = t;
		return t;
	}
}

int fbt_cmd_len(struct fbt_dev *d, const void *c, size_t len, struct fbt_resp *r)
{
	int ret;

	memset(r, 0, sizeof(*r));
	r->tag = FBT_ERR;
	ret = fbt_bulk(d, d->ep_out, (void *)c, len, 5000);
	if (ret < 0)
		return ret;
	return fbt_finish(d, r);
}

int fbt_cmd(struct fbt_dev *d, struct fbt_resp *r, const char *fmt, ...)
{
	char c[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c, sizeof(c), fmt, ap);
	va_end(ap);
	return fbt_cmd_len(d, c, strlen(c), r);
}

/* download:%08x + data. Returns the final tag (or the FAIL of download). */
int fbt_download(struct fbt_dev *d, const void *data, uint32_t len,
		 struct fbt_resp *r)
{
	int t = fbt_cmd(d, r, "download:%08x", len);
	char want[16];

	if (t != FBT_DATA)
		return t;
	snprintf(want, sizeof(want), "%08x", len);
	if (strcmp(r->text, want)) {
		r->bad = 1;
		snprintf(r->why, sizeof(r->why), "DATA%.40s for download:%s", r->text, want);
	}
	t = fbt_send(d, data, len);
	if (t < 0)
		return t;
	return fbt_finish(d, r);
}

/* Drain whatever responses are still coming (after a split command). */
int fbt_drain(struct fbt_dev *d, int ms)
{
	char buf[FBT_RD_BUF];
	int n = 0;

	while (fbt_bulk(d, d->ep_in, buf, sizeof(buf), ms) >= 0)
		n++;
	return n;
}

/* FAIL text contains one of the NULL-terminated alternatives? */
int fbt_names(const char *text, ...)
{
	const char *s;
	va_list ap;
	int ok = 0;

	va_start(ap, text);
	while ((s = va_arg(ap, const char *)))
		if (strcasestr(text, s))
			ok = 1;
	va_end(ap);
	return ok;
}

/* ---- sparse images ---- */

void fbt_sp_put(struct fbt_sp *s, const void *p, size_t n)
{
	if (s->len + n > s->cap) {
		uint8_t *b;

		s->cap = (s->len + n) * 2 + 4096;
		b = realloc(s->b, s->cap);
		if (!b)
			abort();
		s->b = b;
	}
	if (n)
		memcpy(s->b + s->len, p, n);
	s->len += n;
}

void fbt_sp_le(struct fbt_sp *s, uint64_t v, int bytes)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < bytes; i++)
		b[i] = v >> (8 * i);
	fbt_sp_put(s, b, bytes);
}

void fbt_sp_hdr(struct fbt_sp *s, uint32_t magic, uint16_t major,
		uint16_t fhs, uint16_t chs, uint32_t blk_sz,
		uint32_t total_blks, uint32_t chunks)
{
	fbt_sp_le(s, magic, 4);
	fbt_sp_le(s, major, 2);
	fbt_sp_le(s, 0, 2);
	fbt_sp_le(s, fhs, 2);
	fbt_sp_le(s, chs, 2);
	fbt_sp_le(s, blk_sz, 4);
	fbt_sp_le(s, total_blks, 4);
	fbt_sp_le(s, chunks, 4);
	fbt_sp_le(s, 0, 4);
	while (s->len < fhs)	/* a larger header: padding */
		fbt_sp_le(s, 0, 1);
}

void fbt_sp_chunk(struct fbt_sp *s, uint16_t type, uint32_t chunk_sz,
		  uint32_t total_sz, const void *data, size_t dlen)
{
	fbt_sp_le(s, type, 2);
	fbt_sp_le(s, 0, 2);
	fbt_sp_le(s, chunk_sz, 4);
	fbt_sp_le(s, total_sz, 4);
	if (dlen)
		fbt_sp_put(s, data, dlen);
}

/* A valid header for @blocks of 4096 in @chunks chunks. */
void fbt_sp_start(struct fbt_sp *s, uint32_t blocks, uint32_t chunks)
{
	s->len = 0;
	fbt_sp_hdr(s, FBT_SP_MAGIC, 1, 28, 12, 4096, blocks, chunks);
}

void fbt_sp_raw(struct fbt_sp *s, uint32_t blocks, uint32_t seed)
{
	size_t n = (size_t)blocks * 4096;
	uint8_t *d = malloc(n);

	imxf_fill_pattern(d, n, seed);
	fbt_sp_chunk(s, FBT_SP_RAW, blocks, 12 + n, d, n);
	free(d);
}

