// SPDX-License-Identifier: GPL-2.0
/*
 * Test helpers: emulated i.MX boards on dummy_hcd through configfs, and
 * the host side (sysfs, hidraw) of the same VM.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <imxflash/sdp_soc.h>

#include "gadget_util.h"

long imxf_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int imxf_write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

int imxf_read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	return n;
}

static int wr(const char *dir, const char *file, const char *val)
{
	char path[256];
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	err = imxf_write_file(path, val);
	if (err)
		fprintf(stderr, "# write '%s' to %s: %s\n", val, path,
			strerror(-err));
	return err;
}

static int mk(const char *path)
{
	if (mkdir(path, 0755) && errno != EEXIST) {
		fprintf(stderr, "# mkdir %s: %s\n", path, strerror(errno));
		return -errno;
	}
	return 0;
}

int imxf_board_create(struct imxf_board *b, const char *name, const char *udc,
		      const char *soc, const char *hab, unsigned long mem_limit)
{
	const struct sdp_soc *s = sdp_soc_by_name(soc);
	char path[256], val[32];
	int err;

	if (!s) {
		fprintf(stderr, "# unknown soc %s\n", soc);
		return -EINVAL;
	}
	memset(b, 0, sizeof(*b));
	snprintf(b->name, sizeof(b->name), "%s", name);
	snprintf(b->udc, sizeof(b->udc), "%s", udc);
	snprintf(b->soc, sizeof(b->soc), "%s", soc);
	b->vid = s->vid;
	b->pid = s->pid;
	snprintf(b->gadget_dir, sizeof(b->gadget_dir), IMXF_CONFIGFS "/%s",
		 name);
	snprintf(b->func_dir, sizeof(b->func_dir), "%s/functions/sdp.%s",
		 b->gadget_dir, name);

	if (access(b->gadget_dir, F_OK) == 0) {
		fprintf(stderr, "# %s exists, removing it first\n",
			b->gadget_dir);
		b->bound = 1;
		imxf_board_destroy(b);
		snprintf(b->gadget_dir, sizeof(b->gadget_dir),
			 IMXF_CONFIGFS "/%s", name);
	}
	err = mk(b->gadget_dir);
	if (err)
		return err;
	snprintf(val, sizeof(val), "0x%04x", s->vid);
	err = wr(b->gadget_dir, "idVendor", val);
	snprintf(val, sizeof(val), "0x%04x", s->pid);
	err = err ?: wr(b->gadget_dir, "idProduct", val);
	err = err ?: wr(b->gadget_dir, "bcdDevice", "0x0001");
	snprintf(path, sizeof(path), "%s/strings/0x409", b->gadget_dir);
	err = err ?: mk(path);
	err = err ?: wr(path, "manufacturer", "Freescale SemiConductor Inc ");
	err = err ?: wr(path, "product", s->rom_product);
	snprintf(path, sizeof(path), "%s/configs/c.1", b->gadget_dir);
	err = err ?: mk(path);
	err = err ?: mk(b->func_dir);
	err = err ?: wr(b->func_dir, "soc", soc);
	if (!err && hab)
		err = wr(b->func_dir, "hab", hab);
	if (!err && mem_limit) {
		snprintf(val, sizeof(val), "%lu", mem_limit);
		err = wr(b->func_dir, "mem_limit", val);
	}
	if (!err) {
		snprintf(path, sizeof(path), "%s/configs/c.1/sdp.%s",
			 b->gadget_dir, name);
		if (symlink(b->func_dir, path) && errno != EEXIST)
			err = -errno;
	}
	err = err ?: imxf_board_bind(b);
	if (err)
		imxf_board_destroy(b);
	return err;
}

int imxf_board_bind(struct imxf_board *b)
{
	int err = wr(b->gadget_dir, "UDC", b->udc);

	if (!err)
		b->bound = 1;
	return err;
}

int imxf_board_unbind(struct imxf_board *b)
{
	char path[256];
	int err;

	snprintf(path, sizeof(path), "%s/UDC", b->gadget_dir);
	err = imxf_write_file(path, "\n");
	/* -ENODEV: it was not bound (a gadget that already left the bus). */
	if (err == -ENODEV)
		err = 0;
	if (err)
		fprintf(stderr, "# unbind %s: %s\n", b->name, strerror(-err));
	b->bound = 0;
	return err;
}

static void rm_step(int (*fn)(const char *), const char *path)
{
	if (fn(path))
		fprintf(stderr, "# cleanup %s: %s\n", path, strerror(errno));
}

void imxf_board_destroy(struct imxf_board *b)
{
	char path[256];

	if (!b->gadget_dir[0])
		return;
	if (b->bound)
		imxf_board_unbind(b);
	snprintf(path, sizeof(path), "%s/configs/c.1/sdp.%s", b->gadget_dir,
		 b->name);
	rm_step(unlink, path);
	snprintf(path, sizeof(path), "%s/configs/c.1", b->gadget_dir);
	rm_step(rmdir, path);
	rm_step(rmdir, b->func_dir);
	snprintf(path, sizeof(path), "%s/strings/0x409", b->gadget_dir);
	rm_step(rmdir, path);
	rm_step(rmdir, b->gadget_dir);
	b->gadget_dir[0] = 0;
}

int imxf_board_attr(struct imxf_board *b, const char *attr, char *buf,
		    size_t size)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", b->func_dir, attr);
	return imxf_read_file(path, buf, size);
}

int imxf_board_set_attr(struct imxf_board *b, const char *attr,
			const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", b->func_dir, attr);
	return imxf_write_file(path, val);
}

int imxf_board_wait_attr(struct imxf_board *b, const char *attr,
			 const char *want, int ms)
{
	long end = imxf_now_ms() + ms;
	char buf[256];

	do {
		if (imxf_board_attr(b, attr, buf, sizeof(buf)) >= 0 &&
		    !strcmp(buf, want))
			return 0;
		sleep_ms(10);
	} while (imxf_now_ms() < end);
	return -ETIMEDOUT;
}

static int mem_open(struct imxf_board *b, int flags)
{
	char path[256];

	snprintf(path, sizeof(path), IMXF_DEBUGFS "/%s/mem", b->name);
	return open(path, flags);
}

/* One pread or pwrite of the emulated memory (debugfs "mem"). */
static int mem_io(struct imxf_board *b, uint32_t addr, void *buf, size_t len,
		  bool write)
{
	int fd = mem_open(b, write ? O_WRONLY : O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write ? pwrite(fd, buf, len, addr) : pread(fd, buf, len, addr);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

int imxf_board_mem_read(struct imxf_board *b, uint32_t addr, void *buf,
			size_t len)
{
	return mem_io(b, addr, buf, len, false);
}

int imxf_board_mem_write(struct imxf_board *b, uint32_t addr, const void *buf,
			 size_t len)
{
	return mem_io(b, addr, (void *)buf, len, true);
}

int imxf_board_log(struct imxf_board *b, char *buf, size_t size)
{
	char path[256];

	snprintf(path, sizeof(path), IMXF_DEBUGFS "/%s/log", b->name);
	return imxf_read_file(path, buf, size);
}

static int hidraw_matches(const char *name, uint16_t vid, uint16_t pid)
{
	char path[300], buf[512], want[64];

	snprintf(path, sizeof(path), "/sys/class/hidraw/%s/device/uevent",
		 name);
	if (imxf_read_file(path, buf, sizeof(buf)) < 0)
		return 0;
	snprintf(want, sizeof(want), "HID_ID=0003:%08X:%08X", vid, pid);
	return strcasestr(buf, want) != NULL;
}

int imxf_find_hidraw(uint16_t vid, uint16_t pid, char *path, size_t size,
		     int ms)
{
	long end = imxf_now_ms() + ms;

	do {
		DIR *d = opendir("/sys/class/hidraw");
		struct dirent *e;

		while (d && (e = readdir(d))) {
			if (strncmp(e->d_name, "hidraw", 6) ||
			    !hidraw_matches(e->d_name, vid, pid))
				continue;
			snprintf(path, size, "/dev/%s", e->d_name);
			if (access(path, R_OK | W_OK) == 0) {
				closedir(d);
				return 0;
			}
		}
		if (d)
			closedir(d);
		sleep_ms(20);
	} while (imxf_now_ms() < end);
	return -ENOENT;
}

int imxf_usb_present(uint16_t vid, uint16_t pid)
{
	DIR *d = opendir("/sys/bus/usb/devices");
	struct dirent *e;
	int found = 0;

	while (d && !found && (e = readdir(d))) {
		char path[300], v[16], p[16];

		snprintf(path, sizeof(path), "/sys/bus/usb/devices/%s/idVendor",
			 e->d_name);
		if (imxf_read_file(path, v, sizeof(v)) < 0)
			continue;
		snprintf(path, sizeof(path),
			 "/sys/bus/usb/devices/%s/idProduct", e->d_name);
		if (imxf_read_file(path, p, sizeof(p)) < 0)
			continue;
		found = strtoul(v, NULL, 16) == vid &&
			strtoul(p, NULL, 16) == pid;
	}
	if (d)
		closedir(d);
	return found;
}

int imxf_wait_usb_gone(uint16_t vid, uint16_t pid, int ms)
{
	long end = imxf_now_ms() + ms;

	do {
		if (!imxf_usb_present(vid, pid))
			return 0;
		sleep_ms(20);
	} while (imxf_now_ms() < end);
	return -ETIMEDOUT;
}

int imxf_hid_send(int fd, uint8_t id, const void *payload, size_t len)
{
	uint8_t buf[1 + 1024];
	ssize_t n;

	if (len > 1024)
		return -EMSGSIZE;
	buf[0] = id;
	memcpy(buf + 1, payload, len);
	n = write(fd, buf, len + 1);
	if (n < 0)
		return -errno;
	return n == (ssize_t)(len + 1) ? 0 : -EIO;
}

int imxf_hid_recv(int fd, uint8_t *buf, size_t size, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int r;

	r = poll(&p, 1, timeout_ms);
	if (r < 0)
		return -errno;
	if (!r)
		return 0;
	if (p.revents & (POLLERR | POLLHUP) && !(p.revents & POLLIN))
		return -ENODEV;
	n = read(fd, buf, size);
	return n < 0 ? -errno : (int)n;
}

void imxf_fill_pattern(void *buf, size_t len, uint32_t seed)
{
	uint8_t *p = buf;
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = x;
	}
}
