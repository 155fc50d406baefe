// SPDX-License-Identifier: GPL-2.0
/*
 * fastboot host library: usbfs transport (no libusb).
 *
 * Discovery: every interface FF/42/03 of any VID/PID listed under
 * /sys/bus/usb/devices (the active configuration), its bulk endpoints
 * from the ep_XX directories, the device's port path, bus and device
 * numbers, serial and product from its directory.
 *
 * I/O: asynchronous URBs on /dev/bus/usb/BBB/DDD (USBDEVFS_SUBMITURB,
 * USBDEVFS_REAPURBNDELAY, poll() for completions, disconnection and
 * timeouts), so that
 *  - a download keeps several large OUT URBs in flight (the device never
 *    waits for the host between two of them), with exactly the promised
 *    byte count and never a zero-length packet;
 *  - every wait is bounded by the caller's timeout, can be cancelled,
 *    and ends with -ENODEV as soon as the device leaves the bus;
 *  - no URB is left behind: on error the pending ones are discarded and
 *    reaped before returning.
 * Every URB points into a buffer owned by struct fb_usb, so a late
 * completion can never write into memory that is gone.
 *
 * (Buffers mapped from usbfs, USBDEVFS_CAP_MMAP, save the kernel a copy
 * but reserve usbfs memory for as long as the device is open; under TCG
 * they made no measurable difference, on real hardware a copy is cheap
 * next to USB 2.0 speeds: plain memory is used.)
 *
 * usbfs limits the memory of all URBs and mappings of the system
 * (usbfs_memory_mb, 16 MiB by default): -ENOMEM from SUBMITURB waits for
 * our own URBs to complete, or for other users to finish, before it is
 * an error.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/usbdevice_fs.h>

#include <imxflash/fastboot_cmd.h>

#include "fb-int.h"

#define SYS_USB		"/sys/bus/usb/devices"
#define URB_SIZE	(512u << 10)	/* bytes per data URB (default) */
#define URB_COUNT	4		/* data URBs in flight (default) */
#define URB_MAX		16
#define RESP_BUF	512
#define SLICE_MS	100		/* cancellation check interval */
#define NOMEM_WAIT_MS	60000
#define DRAIN_MS	2000		/* reaping discarded URBs */
#define GONE_CHECK_MS	1000		/* after a failed URB */

enum { S_FREE, S_BUSY, S_DONE };

/* One bulk URB and its buffer: command, response or data. */
struct urb_buf {
	struct usbdevfs_urb urb;
	u8 *buf;
	u64 off;
	size_t len;
	int state;
};

struct fb_usb {
	int fd;
	unsigned int nurbs;
	size_t urb_size;
	struct urb_buf cmd, resp;
	struct urb_buf data[URB_MAX];
};

static u64 mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + (u64)ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* ---- sysfs ---- */

static int read_attr(const char *dir, const char *name, char *buf,
		     size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return 0;
}

static int attr_num(const char *dir, const char *name, int base,
		    unsigned long *v)
{
	char buf[32], *end;

	if (read_attr(dir, name, buf, sizeof(buf)) || !buf[0])
		return -ENOENT;
	*v = strtoul(buf, &end, base);
	return *end ? -EINVAL : 0;
}

static bool attr_is(const char *dir, const char *name, const char *want)
{
	char buf[32];

	return !read_attr(dir, name, buf, sizeof(buf)) && !strcmp(buf, want);
}

/* Bulk endpoints of the interface in @dir: first IN, first OUT. */
static int scan_endpoints(const char *dir, struct fbh_info *info)
{
	char ep[PATH_MAX], type[16], dirn[8];
	unsigned long addr, mps;
	struct dirent *de;
	DIR *dp;

	dp = opendir(dir);
	if (!dp)
		return -errno;
	while ((de = readdir(dp))) {
		if (strncmp(de->d_name, "ep_", 3))
			continue;
		if (snprintf(ep, sizeof(ep), "%s/%s", dir, de->d_name) >=
		    (int)sizeof(ep))
			continue;
		if (read_attr(ep, "type", type, sizeof(type)) ||
		    strcmp(type, "Bulk") ||
		    read_attr(ep, "direction", dirn, sizeof(dirn)) ||
		    attr_num(ep, "bEndpointAddress", 16, &addr) ||
		    attr_num(ep, "wMaxPacketSize", 16, &mps))
			continue;
		if (!strcmp(dirn, "in") && !info->ep_in) {
			info->ep_in = (u8)addr;
		} else if (!strcmp(dirn, "out") && !info->ep_out) {
			info->ep_out = (u8)addr;
			info->maxpacket = (u16)(mps & 0x7ff);
		}
	}
	closedir(dp);
	return info->ep_in && info->ep_out ? 0 : -ENOENT;
}

/* @name: "1-1.2:1.0". Fills @info if it is a fastboot interface. */
static int scan_interface(const char *name, struct fbh_info *info)
{
	char dir[PATH_MAX], dev[PATH_MAX];
	unsigned long v, bus, devnum;
	const char *colon = strchr(name, ':');
	size_t plen;

	if (!colon || colon == name)
		return -ENOENT;
	snprintf(dir, sizeof(dir), "%s/%s", SYS_USB, name);
	if (!attr_is(dir, "bInterfaceClass", "ff") ||
	    !attr_is(dir, "bInterfaceSubClass", "42") ||
	    !attr_is(dir, "bInterfaceProtocol", "03"))
		return -ENOENT;
	memset(info, 0, sizeof(*info));
	plen = (size_t)(colon - name);
	if (plen >= sizeof(info->port))
		return -ENAMETOOLONG;
	memcpy(info->port, name, plen);
	info->port[plen] = '\0';
	if (attr_num(dir, "bInterfaceNumber", 16, &v))
		return -ENOENT;
	info->ifnum = (u8)v;
	if (scan_endpoints(dir, info))
		return -ENOENT;
	snprintf(dev, sizeof(dev), "%s/%s", SYS_USB, info->port);
	if (attr_num(dev, "busnum", 10, &bus) ||
	    attr_num(dev, "devnum", 10, &devnum) || bus > 255 || devnum > 255)
		return -ENOENT;
	info->busnum = (u8)bus;
	info->devnum = (u8)devnum;
	if (!attr_num(dev, "idVendor", 16, &v))
		info->vid = (u16)v;
	if (!attr_num(dev, "idProduct", 16, &v))
		info->pid = (u16)v;
	if (read_attr(dev, "serial", info->serial, sizeof(info->serial)))
		info->serial[0] = '\0';
	if (read_attr(dev, "product", info->product, sizeof(info->product)))
		info->product[0] = '\0';
	return 0;
}

/* "1-1.10" after "1-1.9": compare digit runs as numbers. */
static int port_cmp(const char *a, const char *b)
{
	unsigned long x, y;
	char *ea, *eb;

	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			x = strtoul(a, &ea, 10);
			y = strtoul(b, &eb, 10);
			if (x != y)
				return x < y ? -1 : 1;
			a = ea;
			b = eb;
		} else {
			if (*a != *b)
				return *a < *b ? -1 : 1;
			a++;
			b++;
		}
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int info_cmp(const void *pa, const void *pb)
{
	const struct fbh_info *a = pa, *b = pb;
	int c = port_cmp(a->port, b->port);

	return c ? c : (int)a->ifnum - (int)b->ifnum;
}

/* All fastboot interfaces, sorted by port; *@n of them (malloc'ed). */
static int scan_all(struct fbh_info **out, size_t *n)
{
	struct fbh_info *v = NULL, *nv, info;
	size_t cnt = 0, cap = 0;
	struct dirent *de;
	DIR *dp;

	*out = NULL;
	*n = 0;
	dp = opendir(SYS_USB);
	if (!dp)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.' || scan_interface(de->d_name, &info))
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 8;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				closedir(dp);
				return -ENOMEM;
			}
			v = nv;
		}
		v[cnt++] = info;
	}
	closedir(dp);
	if (cnt)
		qsort(v, cnt, sizeof(*v), info_cmp);
	*out = v;
	*n = cnt;
	return 0;
}

int fbh_list(int (*cb)(const struct fbh_info *info, void *ctx), void *ctx)
{
	struct fbh_info *v;
	size_t n, i;
	int ret;

	ret = scan_all(&v, &n);
	for (i = 0; !ret && i < n; i++)
		ret = cb(&v[i], ctx);
	free(v);
	return ret < 0 ? ret : 0;
}

static bool matches(const struct fbh_info *i, const char *serial,
		    const char *port)
{
	if (serial && *serial && strcmp(i->serial, serial) &&
	    !(!strncmp(serial, "usb:", 4) && !strcmp(serial + 4, i->port)))
		return false;
	if (port && *port && strcmp(i->port, port))
		return false;
	return true;
}

/* ---- open ---- */

static void free_usb(struct fb_usb *u)
{
	unsigned int i;

	if (!u)
		return;
	for (i = 0; i < URB_MAX; i++)
		free(u->data[i].buf);
	if (u->fd >= 0)
		close(u->fd);
	free(u->cmd.buf);
	free(u->resp.buf);
	free(u);
}

/* FBH_URB_SIZE / FBH_URBS override the defaults (tuning, benchmarks). */
static void urb_params(struct fb_usb *u, u16 maxpacket)
{
	const char *e;
	unsigned long v;
	size_t mp = maxpacket ? maxpacket : 512;

	u->urb_size = URB_SIZE;
	u->nurbs = URB_COUNT;
	e = getenv("FBH_URB_SIZE");
	if (e) {
		v = strtoul(e, NULL, 0);
		if (v >= 4096 && v <= (64ul << 20))
			u->urb_size = v;
	}
	e = getenv("FBH_URBS");
	if (e) {
		v = strtoul(e, NULL, 0);
		if (v >= 1 && v <= URB_MAX)
			u->nurbs = (unsigned int)v;
	}
	/* IN URBs but the last must be whole packets */
	u->urb_size -= u->urb_size % mp;
}

static int open_one(const struct fbh_info *info, struct fbh_dev **out)
{
	struct usbdevfs_disconnect_claim dc;
	char node[64];
	struct fb_usb *u;
	struct fbh_dev *d;
	unsigned int i, ifnum = info->ifnum;
	int ret;

	snprintf(node, sizeof(node), "/dev/bus/usb/%03u/%03u", info->busnum,
		 info->devnum);
	u = calloc(1, sizeof(*u));
	d = fbh_dev_new();
	if (!u || !d) {
		free(u);
		free(d);
		fbh_set_open_error(FBH_ERR_NODEV, "out of memory");
		return -ENOMEM;
	}
	u->fd = open(node, O_RDWR | O_CLOEXEC);
	if (u->fd < 0) {
		ret = -errno;
		fbh_set_open_error(FBH_ERR_NODEV, "usb:%s: cannot open %s: %s%s",
				   info->port, node, strerror(errno),
				   errno == EACCES ?
				   " (run as root or add a udev rule for the device)" :
				   "");
		goto err;
	}
	memset(&dc, 0, sizeof(dc));
	dc.interface = ifnum;
	dc.flags = USBDEVFS_DISCONNECT_CLAIM_EXCEPT_DRIVER;
	strcpy(dc.driver, "usbfs");
	ret = ioctl(u->fd, USBDEVFS_DISCONNECT_CLAIM, &dc);
	if (ret && (errno == ENOTTY || errno == EINVAL))
		ret = ioctl(u->fd, USBDEVFS_CLAIMINTERFACE, &ifnum);
	if (ret) {
		ret = -errno;
		fbh_set_open_error(FBH_ERR_NODEV,
				   "usb:%s: cannot claim interface %u: %s",
				   info->port, ifnum,
				   errno == EBUSY ?
				   "it is in use by another program" :
				   strerror(errno));
		goto err;
	}
	urb_params(u, info->maxpacket);
	u->cmd.buf = malloc(FASTBOOT_CMD_ID_MAX);
	u->resp.buf = malloc(RESP_BUF);
	for (i = 0; i < u->nurbs; i++)
		u->data[i].buf = aligned_alloc(4096, u->urb_size);
	for (i = 0; i < u->nurbs; i++)
		if (!u->data[i].buf)
			break;
	if (!u->cmd.buf || !u->resp.buf || i < u->nurbs) {
		ret = -ENOMEM;
		fbh_set_open_error(FBH_ERR_NODEV, "out of memory");
		goto err;
	}
	d->info = *info;
	d->usb = u;
	*out = d;
	return 0;
err:
	free_usb(u);
	free(d);
	return ret;
}

static int open_fail(int ret, enum fbh_err_kind kind, const char *serial,
		     const char *port, const char *what)
{
	char sel[200];

	if ((serial && *serial) || (port && *port))
		snprintf(sel, sizeof(sel), " (%s%s%s%s%s)",
			 serial && *serial ? "serial " : "",
			 serial && *serial ? serial : "",
			 serial && *serial && port && *port ? ", " : "",
			 port && *port ? "port " : "",
			 port && *port ? port : "");
	else
		sel[0] = '\0';
	fbh_set_open_error(kind, "%s%s", what, sel);
	return ret;
}

int fbh_open(struct fbh_dev **d, const char *serial, const char *port,
	     unsigned int timeout_ms)
{
	u64 deadline = mono_ms() + timeout_ms;
	struct fbh_info *v;
	size_t n, i, hit;
	char what[160];
	int ret;

	*d = NULL;
	for (;;) {
		ret = scan_all(&v, &n);
		if (ret)
			return open_fail(ret, FBH_ERR_NODEV, NULL, NULL,
					 "cannot read " SYS_USB);
		hit = n;
		for (i = 0; i < n; i++) {
			if (!matches(&v[i], serial, port))
				continue;
			if (hit != n) {
				snprintf(what, sizeof(what),
					 "several fastboot devices (usb:%s, usb:%s...): name one with -s or --port",
					 v[hit].port, v[i].port);
				free(v);
				return open_fail(-EEXIST, FBH_ERR_NODEV, serial,
						 port, what);
			}
			hit = i;
		}
		if (hit != n) {
			ret = open_one(&v[hit], d);
			free(v);
			if (!ret)
				return 0;
			/* the node may lag behind sysfs, the device may move */
			if ((ret != -ENOENT && ret != -ENODEV) ||
			    mono_ms() >= deadline)
				return ret;
		} else {
			free(v);
			if (mono_ms() >= deadline)
				return timeout_ms ?
				       open_fail(-ETIMEDOUT, FBH_ERR_TIMEOUT,
						 serial, port,
						 "no fastboot device appeared in time") :
				       open_fail(-ENODEV, FBH_ERR_NODEV, serial,
						 port, "no fastboot device");
		}
		{
			struct timespec ts = { 0, 100 * 1000000L };

			if (nanosleep(&ts, NULL) && errno == EINTR)
				return open_fail(-EINTR, FBH_ERR_INTR, serial,
						 port, "interrupted while waiting for a device");
		}
	}
}

void fbt_close(struct fbh_dev *d)
{
	struct fb_usb *u = d->usb;
	unsigned int ifnum = d->info.ifnum;

	if (!u)
		return;
	if (u->fd >= 0)
		ioctl(u->fd, USBDEVFS_RELEASEINTERFACE, &ifnum);
	free_usb(u);
	d->usb = NULL;
}

/* ---- URBs ---- */

static int submit(struct fb_usb *u, struct urb_buf *s, u8 ep, size_t len)
{
	memset(&s->urb, 0, sizeof(s->urb));
	s->urb.type = USBDEVFS_URB_TYPE_BULK;
	s->urb.endpoint = ep;
	s->urb.buffer = s->buf;
	s->urb.buffer_length = (int)len;
	s->urb.usercontext = s;
	if (ioctl(u->fd, USBDEVFS_SUBMITURB, &s->urb))
		return -errno;
	s->state = S_BUSY;
	return 0;
}

/*
 * Has the device left the bus? Waits up to @ms for the hub to notice;
 * a cancel (fbh_set_cancel(), or a signal without a flag) ends the wait
 * with "not seen gone".
 */
static bool gone(struct fbh_dev *d, unsigned int ms)
{
	struct fb_usb *u = d->usb;
	struct pollfd p = { .fd = u->fd, .events = 0 };
	u64 end = mono_ms() + ms, now;
	int ret;

	/*
	 * usbfs wakes its pollers when the device is disconnected: the
	 * wait ends the moment the device leaves, not at the next tick.
	 */
	for (;;) {
		if (fbh_check_cancel(d, 0))
			return false;
		now = mono_ms();
		ret = poll(&p, 1, now < end ? (int)(end - now) : 0);
		if (ret < 0 && (errno != EINTR || fbh_check_cancel(d, EINTR)))
			return false;
		if (ret > 0) {
			if (p.revents & (POLLHUP | POLLERR))
				return true;
			if (p.revents & POLLNVAL)
				return false;
		}
		if (mono_ms() >= end)
			return false;
	}
}

/*
 * Reap one completed URB into *@s. @timeout_ms 0: no limit. Marks the
 * URB S_DONE.
 */
static int reap(struct fbh_dev *d, struct urb_buf **s,
		unsigned int timeout_ms)
{
	struct fb_usb *u = d->usb;
	struct usbdevfs_urb *urb;
	struct pollfd p;
	u64 end = mono_ms() + timeout_ms, now;
	int wait, ret;

	for (;;) {
		if (!ioctl(u->fd, USBDEVFS_REAPURBNDELAY, &urb)) {
			*s = urb->usercontext;
			(*s)->state = S_DONE;
			return 0;
		}
		if (errno == ENODEV)
			return -ENODEV;
		if (errno != EAGAIN && errno != EINTR)
			return -errno;
		now = mono_ms();
		if (timeout_ms && now >= end)
			return -ETIMEDOUT;
		wait = d->cancel ? SLICE_MS : -1;
		if (timeout_ms && (wait < 0 || end - now < (u64)wait))
			wait = (int)(end - now);
		p.fd = u->fd;
		p.events = POLLOUT;
		p.revents = 0;
		ret = poll(&p, 1, wait);
		ret = fbh_check_cancel(d, ret < 0 ? errno : 0);
		if (ret)
			return ret;
	}
}

/* Discard our pending URBs and reap them (and any other completion). */
static void drain(struct fbh_dev *d)
{
	struct fb_usb *u = d->usb;
	struct urb_buf *all[URB_MAX + 2], *s;
	unsigned int i, n = 0, busy;
	const volatile int *cancel = d->cancel;
	u64 end;

	all[n++] = &u->cmd;
	all[n++] = &u->resp;
	for (i = 0; i < u->nurbs; i++)
		all[n++] = &u->data[i];
	for (i = 0; i < n; i++)
		if (all[i]->state == S_BUSY)
			ioctl(u->fd, USBDEVFS_DISCARDURB, &all[i]->urb);
	/* not cancellable: the URBs must come back before we go on */
	d->cancel = NULL;
	end = mono_ms() + DRAIN_MS;
	for (;;) {
		for (i = 0, busy = 0; i < n; i++)
			busy += all[i]->state == S_BUSY;
		if (!busy || mono_ms() >= end)
			break;
		if (reap(d, &s, DRAIN_MS) == -ENODEV)
			break;	/* usbfs dropped them with the device */
	}
	for (i = 0; i < n; i++)
		all[i]->state = S_FREE;
	d->cancel = cancel;
}

/* Error of a failed URB: -ENODEV if the device left the bus. */
static int urb_error(struct fbh_dev *d, int status)
{
	if (status == -ENODEV || status == -ESHUTDOWN ||
	    gone(d, GONE_CHECK_MS))
		return -ENODEV;
	switch (status) {
	case -EPIPE:
	case -EOVERFLOW:
	case -EPROTO:
	case -ETIMEDOUT:
		return status;
	default:
		return -EIO;
	}
}

/* One URB on @s, waited for. Returns the byte count or an error. */
static int one_urb(struct fbh_dev *d, struct urb_buf *s, u8 ep, size_t len)
{
	struct fb_usb *u = d->usb;
	struct urb_buf *r;
	int ret;

	ret = submit(u, s, ep, len);
	if (ret)
		return ret == -ESHUTDOWN ? -ENODEV : ret;
	do {
		ret = reap(d, &r, d->timeout_ms);
		if (ret) {
			drain(d);
			return ret;
		}
		if (r != s)
			r->state = S_FREE;	/* stale, from an aborted call */
	} while (r != s);
	s->state = S_FREE;
	if (s->urb.status)
		return urb_error(d, s->urb.status);
	return s->urb.actual_length;
}

int fbt_write(struct fbh_dev *d, const void *buf, size_t len)
{
	struct fb_usb *u = d->usb;
	int ret;

	if (len > FASTBOOT_CMD_ID_MAX)
		return -EINVAL;
	memcpy(u->cmd.buf, buf, len);
	ret = one_urb(d, &u->cmd, d->info.ep_out, len);
	if (ret >= 0 && (size_t)ret != len)
		return -EIO;
	return ret < 0 ? ret : 0;
}

int fbt_read(struct fbh_dev *d, void *buf, size_t len)
{
	struct fb_usb *u = d->usb;
	int ret;

	if (len > RESP_BUF)
		len = RESP_BUF;
	ret = one_urb(d, &u->resp, d->info.ep_in, len);
	if (ret > 0)
		memcpy(buf, u->resp.buf, (size_t)ret);
	return ret;
}

static struct urb_buf *free_urb(struct fb_usb *u)
{
	unsigned int i;

	for (i = 0; i < u->nurbs; i++)
		if (u->data[i].state == S_FREE)
			return &u->data[i];
	return NULL;
}

/* IN: hand the completed URBs to @sink in order. */
static int flush_in(struct fbh_dev *d, struct fbh_sink *sink, u64 *next)
{
	struct fb_usb *u = d->usb;
	unsigned int i;
	bool found;
	int ret;

	do {
		found = false;
		for (i = 0; i < u->nurbs; i++) {
			struct urb_buf *s = &u->data[i];

			if (s->state != S_DONE || s->off != *next)
				continue;
			ret = sink->write(sink, s->buf, s->len);
			s->state = S_FREE;
			if (ret)
				return ret;
			*next += s->len;
			fbh_xfer_progress(d, *next);
			found = true;
		}
	} while (found);
	return 0;
}

/*
 * Move @len bytes: OUT from @src, or IN into @sink, with up to u->nurbs
 * URBs of u->urb_size bytes in flight.
 */
static int stream(struct fbh_dev *d, struct fbh_src *src,
		  struct fbh_sink *sink, u64 len)
{
	struct fb_usb *u = d->usb;
	bool out = src;
	u8 ep = out ? d->info.ep_out : d->info.ep_in;
	u64 queued = 0, done = 0, next = 0, nomem_end = 0;
	unsigned int inflight = 0;
	struct urb_buf *s, *held = NULL;
	size_t n;
	int ret = 0;

	while (done < len) {
		while (inflight < u->nurbs && queued < len) {
			s = held ? held : free_urb(u);
			if (!s)
				break;
			if (!held) {
				n = len - queued < u->urb_size ?
				    (size_t)(len - queued) : u->urb_size;
				if (out) {
					ret = src->read(src, s->buf, n);
					if (ret)
						goto err;
				}
				s->off = queued;
				s->len = n;
			}
			ret = submit(u, s, ep, s->len);
			if (ret == -ENOMEM) {
				/* usbfs memory limit: wait for room */
				held = s;
				if (inflight)
					break;
				if (!nomem_end)
					nomem_end = mono_ms() + NOMEM_WAIT_MS;
				if (mono_ms() >= nomem_end)
					goto err;
				sleep_ms(20);
				ret = fbh_check_cancel(d, 0);
				if (ret)
					goto err;
				continue;
			}
			if (ret) {
				if (ret == -ENODEV || ret == -ESHUTDOWN ||
				    gone(d, 0))
					ret = -ENODEV;
				goto err;
			}
			held = NULL;
			nomem_end = 0;
			queued += s->len;
			inflight++;
		}
		ret = reap(d, &s, d->timeout_ms);
		if (ret)
			goto err;
		if (s < u->data || s >= u->data + u->nurbs) {
			s->state = S_FREE;	/* stale command/answer URB */
			continue;
		}
		inflight--;
		if (s->urb.status) {
			ret = urb_error(d, s->urb.status);
			goto err;
		}
		if ((size_t)s->urb.actual_length != s->len) {
			ret = out ? -EIO : -EPROTO;
			goto err;
		}
		done += s->len;
		if (out) {
			s->state = S_FREE;
			fbh_xfer_progress(d, done);
		} else {
			ret = flush_in(d, sink, &next);
			if (ret)
				goto err;
		}
	}
	return 0;
err:
	drain(d);
	return ret;
}

int fbt_send(struct fbh_dev *d, struct fbh_src *src, u64 len)
{
	return stream(d, src, NULL, len);
}

int fbt_recv(struct fbh_dev *d, struct fbh_sink *sink, u64 len)
{
	return stream(d, NULL, sink, len);
}

void fbt_wait_gone(struct fbh_dev *d, unsigned int ms)
{
	if (d->usb)
		gone(d, ms);
}
