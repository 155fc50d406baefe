// SPDX-License-Identifier: GPL-2.0
/*
 * bench_usb_ceiling: the bulk OUT ceiling of a USB link, for make bench.
 * The device is a configfs gadget with the kernel's f_sourcesink
 * (usb_f_ss_lb) on the same dummy_hcd as the fastboot benchmarks.
 *
 *   bench_usb_ceiling usbtest VID PID MIB LEN
 *       the kernel's usbtest driver (bound to the device) runs its test 1,
 *       "bulk OUT writes": one URB of LEN bytes at a time, MIB MiB in all
 *       (USBTEST_REQUEST through USBDEVFS_IOCTL, as testusb does)
 *   bench_usb_ceiling usbfs VID PID MIB LEN QLEN
 *       usbfs writes to the sink's bulk OUT endpoint: QLEN asynchronous
 *       URBs of LEN bytes kept in flight (the kernel driver is detached)
 *
 * Prints one line: "mode=... bytes=N ms=N MBps=N.N" (MB = 10^6 bytes).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/usbdevice_fs.h>

/* drivers/usb/misc/usbtest.c: the ioctl is not in a uapi header */
struct usbtest_param_64 {
	uint32_t test_num;
	uint32_t iterations;
	uint32_t length;
	uint32_t vary;
	uint32_t sglen;
	int64_t duration_sec;
	int64_t duration_usec;
};

#define USBTEST_REQUEST_64	_IOWR('U', 100, struct usbtest_param_64)

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int read_attr(const char *dir, const char *name, char *buf, size_t n)
{
	char path[512];
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	r = read(fd, buf, n - 1);
	close(fd);
	if (r <= 0)
		return -1;
	buf[r] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* The sysfs name ("3-1") of the device @vid:@pid, its /dev node. */
static int find_dev(unsigned int vid, unsigned int pid, char *port,
		    size_t plen, char *node, size_t nlen)
{
	DIR *d = opendir("/sys/bus/usb/devices");
	struct dirent *e;
	int ret = -1;

	while (d && (e = readdir(d))) {
		char dir[300], v[16], p[16], bus[16], dev[16];

		if (e->d_name[0] == '.' || strchr(e->d_name, ':'))
			continue;
		snprintf(dir, sizeof(dir), "/sys/bus/usb/devices/%s",
			 e->d_name);
		if (read_attr(dir, "idVendor", v, sizeof(v)) ||
		    read_attr(dir, "idProduct", p, sizeof(p)) ||
		    strtoul(v, NULL, 16) != vid || strtoul(p, NULL, 16) != pid)
			continue;
		if (read_attr(dir, "busnum", bus, sizeof(bus)) ||
		    read_attr(dir, "devnum", dev, sizeof(dev)))
			continue;
		snprintf(port, plen, "%.40s", e->d_name);
		snprintf(node, nlen, "/dev/bus/usb/%03d/%03d", atoi(bus),
			 atoi(dev));
		ret = 0;
		break;
	}
	if (d)
		closedir(d);
	return ret;
}

/* Address of the bulk OUT endpoint of interface 0 of @port. */
static int find_bulk_out(const char *port)
{
	char dir[300];
	struct dirent *e;
	DIR *d;
	int ep = -1;

	snprintf(dir, sizeof(dir), "/sys/bus/usb/devices/%s:1.0", port);
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		char sub[600], type[32], direction[32], addr[16];

		if (strncmp(e->d_name, "ep_", 3))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		if (read_attr(sub, "type", type, sizeof(type)) ||
		    read_attr(sub, "direction", direction, sizeof(direction)) ||
		    read_attr(sub, "bEndpointAddress", addr, sizeof(addr)))
			continue;
		if (!strcmp(type, "Bulk") && !strcmp(direction, "out")) {
			ep = (int)strtoul(addr, NULL, 16);
			break;
		}
	}
	if (d)
		closedir(d);
	return ep;
}

static int run_usbtest(int fd, uint64_t total, uint32_t len, double *ms)
{
	struct usbtest_param_64 p = {
		.test_num = 1,
		.iterations = (uint32_t)(total / len),
		.length = len,
	};
	struct usbdevfs_ioctl io = {
		.ifno = 0,
		.ioctl_code = USBTEST_REQUEST_64,
		.data = &p,
	};
	double t0 = now_ms();

	if (ioctl(fd, USBDEVFS_IOCTL, &io) < 0) {
		perror("USBTEST_REQUEST (test 1)");
		return -1;
	}
	*ms = now_ms() - t0;
	fprintf(stderr, "usbtest: test 1, %u x %u bytes, kernel says %lld.%06lld s\n",
		p.iterations, len, (long long)p.duration_sec,
		(long long)p.duration_usec);
	return 0;
}

static int run_usbfs(int fd, int ep, uint64_t total, uint32_t len,
		     unsigned int qlen, double *ms)
{
	struct usbdevfs_disconnect_claim dc = { .interface = 0 };
	struct usbdevfs_urb *urbs = calloc(qlen, sizeof(*urbs));
	uint64_t queued = 0, done = 0;
	unsigned int i;
	char *buf;
	double t0;

	buf = malloc(len);
	if (!urbs || !buf) {
		free(urbs);
		free(buf);
		return -1;
	}
	memset(buf, 0x5a, len);
	/* detach usbtest (or any driver) and claim in one step */
	snprintf(dc.driver, sizeof(dc.driver), "usbfs");
	dc.flags = USBDEVFS_DISCONNECT_CLAIM_EXCEPT_DRIVER;
	if (ioctl(fd, USBDEVFS_DISCONNECT_CLAIM, &dc) < 0) {
		perror("USBDEVFS_DISCONNECT_CLAIM");
		goto fail;
	}
	t0 = now_ms();
	for (i = 0; i < qlen && queued < total; i++) {
		urbs[i].type = USBDEVFS_URB_TYPE_BULK;
		urbs[i].endpoint = ep;
		urbs[i].buffer = buf;
		urbs[i].buffer_length = len;
		if (ioctl(fd, USBDEVFS_SUBMITURB, &urbs[i]) < 0) {
			perror("USBDEVFS_SUBMITURB");
			goto fail;
		}
		queued += len;
	}
	while (done < queued) {
		struct usbdevfs_urb *u;

		if (ioctl(fd, USBDEVFS_REAPURB, &u) < 0) {
			perror("USBDEVFS_REAPURB");
			goto fail;
		}
		if (u->status || (uint32_t)u->actual_length != len) {
			fprintf(stderr, "urb: status %d, %d of %u bytes\n",
				u->status, u->actual_length, len);
			goto fail;
		}
		done += len;
		if (queued < total) {
			if (ioctl(fd, USBDEVFS_SUBMITURB, u) < 0) {
				perror("USBDEVFS_SUBMITURB");
				goto fail;
			}
			queued += len;
		}
	}
	*ms = now_ms() - t0;
	free(buf);
	free(urbs);
	return 0;
fail:
	/* the process exits: the kernel discards URBs still in flight */
	free(buf);
	free(urbs);
	return -1;
}

int main(int argc, char **argv)
{
	char port[64], node[64];
	unsigned int vid, pid, qlen = 1;
	uint64_t total;
	uint32_t len;
	double ms = 0;
	int fd, ret;

	if (argc < 6 || (strcmp(argv[1], "usbtest") && strcmp(argv[1], "usbfs")) ||
	    (!strcmp(argv[1], "usbfs") && argc < 7)) {
		fprintf(stderr, "usage: %s usbtest VID PID MIB LEN\n"
			"       %s usbfs VID PID MIB LEN QLEN\n", argv[0], argv[0]);
		return 2;
	}
	vid = strtoul(argv[2], NULL, 16);
	pid = strtoul(argv[3], NULL, 16);
	total = strtoull(argv[4], NULL, 0) << 20;
	len = strtoul(argv[5], NULL, 0);
	if (argc > 6)
		qlen = strtoul(argv[6], NULL, 0);
	if (!len || !qlen || total < len) {
		fprintf(stderr, "bad sizes\n");
		return 2;
	}
	total -= total % len;
	if (find_dev(vid, pid, port, sizeof(port), node, sizeof(node))) {
		fprintf(stderr, "no USB device %04x:%04x\n", vid, pid);
		return 1;
	}
	fd = open(node, O_RDWR);
	if (fd < 0) {
		perror(node);
		return 1;
	}
	if (!strcmp(argv[1], "usbtest")) {
		ret = run_usbtest(fd, total, len, &ms);
	} else {
		int ep = find_bulk_out(port);

		if (ep < 0) {
			fprintf(stderr, "%s: no bulk OUT endpoint\n", port);
			return 1;
		}
		ret = run_usbfs(fd, ep, total, len, qlen, &ms);
	}
	close(fd);
	if (ret)
		return 1;
	printf("mode=%s bytes=%llu ms=%.0f MBps=%.1f\n", argv[1],
	       (unsigned long long)total, ms, total / ms / 1e3);
	return 0;
}
