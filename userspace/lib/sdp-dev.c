// SPDX-License-Identifier: GPL-2.0
/*
 * imx-sdp: boards behind hid-imx-sdp. Discovery reads only sysfs
 * (/sys/class/imx_sdp/imx-sdpN/{soc,hab,uid,state,port,...}), so that "list"
 * works for any user and never queues behind a running transfer; a board
 * is opened by node (-d) or by USB port path (--port), else it must be
 * the only one.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "progress.h"
#include "sdp-host.h"
#include "util.h"

/* Show a bar only for transfers that take a noticeable time. */
#define PROGRESS_MIN	(16u << 10)

int sdp_sysfs_read(const char *dir, const char *attr, char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	if (!dir[0])
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0) {
		buf[0] = '\0';
		return -errno;
	}
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

/* "HID_ID=0003:000015A2:00000054" in the HID device's uevent. */
static void read_usb_ids(const char *sysdir, struct sdp_board *b)
{
	char path[PATH_MAX], buf[1024], *p;
	unsigned long v[3];
	ssize_t n;

	if ((size_t)snprintf(path, sizeof(path), "%s/device", sysdir) >=
	    sizeof(path))
		return;
	if (sdp_sysfs_read(path, "uevent", buf, sizeof(buf)) == 0) {
		p = strstr(buf, "HID_ID=");
		if (p && !util_parse_hex3(p + 7, v)) {
			b->vid = v[1];
			b->pid = v[2];
			return;
		}
	}
	/* else the HID device name: "0003:15A2:0054.0001" */
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		p = strrchr(buf, '/');
		if (p && !util_parse_hex3(p + 1, v)) {
			b->vid = v[1];
			b->pid = v[2];
		}
	}
}

static void board_fill(struct sdp_board *b, const char *name)
{
	char dir[PATH_MAX], buf[256], *p;

	memset(b, 0, sizeof(*b));
	snprintf(b->name, sizeof(b->name), "%s", name);
	snprintf(dir, sizeof(dir), "%s/%s", SDP_CLASS_DIR, name);
	snprintf(b->node, sizeof(b->node), "/dev/%s", name);
	if (sdp_sysfs_read(dir, "uevent", buf, sizeof(buf)) == 0) {
		p = strstr(buf, "DEVNAME=");
		if (p) {
			p += 8;
			p[strcspn(p, "\n")] = '\0';
			snprintf(b->node, sizeof(b->node), "%s%s",
				 p[0] == '/' ? "" : "/dev/", p);
		}
	}
	sdp_sysfs_read(dir, "soc", b->soc, sizeof(b->soc));
	sdp_sysfs_read(dir, "hab", b->hab, sizeof(b->hab));
	sdp_sysfs_read(dir, "uid", b->uid, sizeof(b->uid));
	sdp_sysfs_read(dir, "state", b->state, sizeof(b->state));
	sdp_sysfs_read(dir, "port", b->port, sizeof(b->port));
	read_usb_ids(dir, b);
}

/* imx-sdp2 < imx-sdp10 */
static int board_cmp(const struct sdp_board *a, const struct sdp_board *b)
{
	size_t la = strlen(a->name), lb = strlen(b->name);

	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Insertion sort: a handful of boards, and no qsort in the binary. */
static void sort_boards(struct sdp_board *b, int n)
{
	struct sdp_board t;
	int i, j;

	for (i = 1; i < n; i++) {
		t = b[i];
		for (j = i; j > 0 && board_cmp(&b[j - 1], &t) > 0; j--)
			b[j] = b[j - 1];
		b[j] = t;
	}
}

/* Boards in sysfs, sorted by node number. Returns the count (<= @max). */
int sdp_dev_scan(struct sdp_board *b, int max)
{
	struct dirent *de;
	DIR *dir;
	int n = 0;

	dir = opendir(SDP_CLASS_DIR);
	if (!dir)
		return 0;
	while ((de = readdir(dir)) && n < max) {
		if (de->d_name[0] == '.')
			continue;
		board_fill(&b[n++], de->d_name);
	}
	closedir(dir);
	sort_boards(b, n);
	return n;
}

static void list_candidates(const struct sdp_board *b, int n)
{
	int i;

	for (i = 0; i < n; i++)
		fprintf(stderr, "  %-16s %-8s port %-10s %04x:%04x %s\n",
			b[i].node, b[i].soc[0] ? b[i].soc : "?",
			b[i].port[0] ? b[i].port : "?", b[i].vid, b[i].pid,
			b[i].state);
}

#define MAX_BOARDS	256

/* Pick d->node: by port, or the only board. */
static int pick_node(struct sdp_dev *d, const char *port)
{
	static struct sdp_board b[MAX_BOARDS];
	int n, i, hit = -1, nhit = 0;

	n = sdp_dev_scan(b, MAX_BOARDS);
	if (!n)
		return sdp_fail_plain(d, EXIT_NOBOARD,
				      "no i.MX board in serial download mode found (%s is empty: is hid-imx-sdp loaded, the board in serial download mode and its USB cable connected?)",
				      SDP_CLASS_DIR);
	for (i = 0; i < n; i++) {
		if (port && strcmp(b[i].port, port))
			continue;
		if (!nhit++)
			hit = i;
	}
	if (nhit == 1) {
		snprintf(d->node, sizeof(d->node), "%s", b[hit].node);
		return EXIT_OK;
	}
	if (!nhit)
		sdp_fail_plain(d, EXIT_NOBOARD,
			       "no board on USB port %s; boards present:", port);
	else
		sdp_fail_plain(d, EXIT_NOBOARD,
			       "%d boards%s%s; pick one with -d NODE or --port PATH:",
			       nhit, port ? " on port " : " found",
			       port ? port : "");
	list_candidates(b, n);
	return EXIT_NOBOARD;
}

/* "imx-sdp0" and "0" name /dev/imx-sdp0. */
static void node_path(const char *arg, char *node, size_t size)
{
	if (strchr(arg, '/'))
		snprintf(node, size, "%s", arg);
	else if (arg[0] >= '0' && arg[0] <= '9')
		snprintf(node, size, "/dev/imx-sdp%s", arg);
	else
		snprintf(node, size, "/dev/%s", arg);
}

/*
 * The class directory of the node, via its device number (so that udev
 * symlinks to the node work too): /sys/dev/char/M:m links to the class
 * device, whose name is the one in /sys/class/imx_sdp.
 */
static void find_sysdir(struct sdp_dev *d)
{
	char link[64], real[PATH_MAX], *p;
	struct stat st;
	ssize_t n;

	d->sysdir[0] = '\0';
	if (fstat(d->fd, &st) || !S_ISCHR(st.st_mode))
		return;
	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u",
		 major(st.st_rdev), minor(st.st_rdev));
	n = readlink(link, real, sizeof(real) - 1);
	if (n <= 0)
		return;
	real[n] = '\0';
	p = strrchr(real, '/');
	if (!p || strlen(p + 1) >= sizeof(d->name))
		return;
	memcpy(d->name, p + 1, strlen(p + 1) + 1);
	if ((size_t)snprintf(d->sysdir, sizeof(d->sysdir), "%s/%s",
			     SDP_CLASS_DIR, d->name) >= sizeof(d->sysdir))
		d->sysdir[0] = '\0';
}

int sdp_dev_open(struct sdp_dev *d, const char *node_arg, const char *port)
{
	int ret, code;

	memset(d, 0, sizeof(*d));
	d->fd = -1;
	if (node_arg) {
		node_path(node_arg, d->node, sizeof(d->node));
	} else {
		ret = pick_node(d, port);
		if (ret)
			return ret;
	}
	d->fd = open(d->node, O_RDWR | O_CLOEXEC);
	if (d->fd < 0) {
		ret = errno;
		code = ret == ENODEV ? EXIT_GONE : EXIT_NOBOARD;
		if (ret == EACCES || ret == EPERM)
			return sdp_fail_plain(d, code,
					      "%s: permission denied (run as root, or give the user access with a udev rule for SUBSYSTEM==\"imx_sdp\")",
					      d->node);
		if (ret == ENOENT)
			return sdp_fail_plain(d, code,
					      "%s: no such board (see imx-sdp list)",
					      d->node);
		return sdp_fail_plain(d, code, "%s: %s", d->node,
				      strerror(ret));
	}
	if (ioctl(d->fd, IMX_SDP_IOC_INFO, &d->info)) {
		ret = errno;
		code = ret == ENODEV ? EXIT_GONE : EXIT_NOBOARD;
		sdp_dev_close(d);
		if (ret == ENOTTY || ret == EINVAL)
			return sdp_fail_plain(d, code,
					      "%s: not an imx-sdp node (IMX_SDP_IOC_INFO: %s)",
					      d->node, strerror(ret));
		return sdp_fail_plain(d, code, "%s: IMX_SDP_IOC_INFO: %s",
				      d->node, strerror(ret));
	}
	d->info.soc[sizeof(d->info.soc) - 1] = '\0';
	d->info.port[sizeof(d->info.port) - 1] = '\0';
	find_sysdir(d);
	if (port && strcmp(port, d->info.port)) {
		sdp_dev_close(d);
		return sdp_fail_plain(d, EXIT_NOBOARD,
				      "%s is on USB port %s, not %s", d->node,
				      d->info.port[0] ? d->info.port : "?",
				      port);
	}
	return EXIT_OK;
}

void sdp_dev_close(struct sdp_dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

int sdp_dev_ioctl(struct sdp_dev *d, unsigned long req,
		  struct imx_sdp_cmd *cmd)
{
	struct progress_watch *w = NULL;
	int ret;

	if (req == IMX_SDP_IOC_WRITE_FILE && d->progress &&
	    cmd->count >= PROGRESS_MIN)
		w = progress_watch_start(d->sysdir, "WRITE_FILE", cmd->count);
	ret = ioctl(d->fd, req, cmd);
	if (ret < 0)
		ret = -errno;
	progress_watch_stop(w);
	return ret;
}

void sdp_dev_last_error(struct sdp_dev *d, char *buf, size_t size)
{
	if (sdp_sysfs_read(d->sysdir, "last_error", buf, size))
		buf[0] = '\0';
}
