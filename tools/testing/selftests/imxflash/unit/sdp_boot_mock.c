// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The fake /dev/imx-sdpN of imx_sdp_boot_test: the two backend functions
 * of userspace/lib/sdp-dev.c (sdp_dev_ioctl, sdp_dev_last_error) record every
 * command with a copy of its data, fail the commands they are told to and
 * serve READ_REGISTER from what was written. Also the test's board (the
 * INFO of each SoC), its mkimx images and stderr capture: see
 * sdp_boot_mock.h.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <imxflash/sdp_proto.h>

#include "sdp-host.h"

#include "mkimx_path.h"
#include "sdp_boot_mock.h"

#define FILE_CAP	0x100000	/* largest image read: 1 MiB */

struct sdp_mock mock;

/* ---- the mock backend ---- */

void mock_reset(void)
{
	int i;

	for (i = 0; i < mock.n; i++)
		free(mock.r[i].data);
	memset(&mock, 0, sizeof(mock));
	mock.fail_at = -1;
	mock.hab = IMX_SDP_HAB_OPEN;
}

/* The byte at @addr as the last write left it; 0 if never written. */
u8 mock_mem(u32 addr)
{
	int i;

	for (i = mock.n - 1; i >= 0; i--) {
		struct rec *r = &mock.r[i];

		if (r->req != IMX_SDP_IOC_WRITE_FILE || !r->data)
			continue;
		if (addr >= r->addr && addr - r->addr < r->count)
			return r->data[addr - r->addr];
	}
	return 0;
}

int sdp_dev_ioctl(struct sdp_dev *d, unsigned long req,
		  struct imx_sdp_cmd *cmd)
{
	struct rec *r;
	u32 i;
	int idx = mock.n;

	(void)d;
	if (mock.n == MAX_RECS)
		return -ENOSPC;
	/* What the driver checks (uapi doc comment). */
	for (i = 0; i < 4; i++)
		if (cmd->reserved[i])
			return -EINVAL;
	if (cmd->flags & ~IMX_SDP_F_ALL)
		return -EINVAL;

	r = &mock.r[mock.n++];
	r->req = req;
	r->addr = cmd->addr;
	r->format = cmd->format;
	r->count = cmd->count;
	r->value = cmd->value;
	r->flags = cmd->flags;
	r->timeout_ms = cmd->timeout_ms;
	if ((req == IMX_SDP_IOC_WRITE_FILE || req == IMX_SDP_IOC_DCD_WRITE) &&
	    cmd->count) {
		r->data = malloc(cmd->count);
		memcpy(r->data, (const void *)(uintptr_t)cmd->data,
		       cmd->count);
	}

	cmd->hab = mock.hab;
	cmd->status = 0;
	if (idx == mock.fail_at || req == mock.fail_req) {
		cmd->status = mock.fail_status;
		if (r->req == IMX_SDP_IOC_WRITE_FILE) {
			free(r->data);	/* refused: memory untouched */
			r->data = NULL;
		}
		return mock.fail_err;
	}
	switch (req) {
	case IMX_SDP_IOC_ERROR_STATUS:
		cmd->status = SDP_STATUS_OK;
		break;
	case IMX_SDP_IOC_WRITE_FILE:
		cmd->status = SDP_ACK_FILE;
		break;
	case IMX_SDP_IOC_DCD_WRITE:
	case IMX_SDP_IOC_WRITE_REG:
		cmd->status = SDP_ACK_WRITE;
		break;
	case IMX_SDP_IOC_SKIP_DCD:
		cmd->status = SDP_ACK_SKIP_DCD;
		break;
	case IMX_SDP_IOC_READ_REG: {
		u8 *p = (u8 *)(uintptr_t)cmd->data;

		for (i = 0; i < cmd->count; i++) {
			p[i] = mock_mem(cmd->addr + i);
			if (mock.corrupt_addr && cmd->addr + i ==
			    mock.corrupt_addr)
				p[i] ^= 0x5a;
		}
		break;
	}
	}
	return 0;
}

void sdp_dev_last_error(struct sdp_dev *d, char *buf, size_t size)
{
	(void)d;
	snprintf(buf, size, "%s", "");
}

/* ---- images ---- */

static u32 mf_get(const char *mf, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\n%s=", key);
	p = strstr(mf, pat);
	return p ? (u32)strtoul(p + strlen(pat), NULL, 0) : 0;
}

/* Build an image with mkimx @args; false on failure. */
bool make_image(const char *dir, const char *args, struct image *im)
{
	char cmd[3 * PATH_MAX], path[PATH_MAX], mf[8192];
	FILE *f;
	size_t n;
	int st;

	memset(im, 0, sizeof(*im));
	snprintf(cmd, sizeof(cmd), "'%s' -o '%s/img' --manifest '%s/img.mf' %s",
		 find_mkimx(), dir, dir, args);
	st = system(cmd);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return false;
	snprintf(path, sizeof(path), "%s/img.mf", dir);
	f = fopen(path, "r");
	if (!f)
		return false;
	mf[0] = '\n';
	n = fread(mf + 1, 1, sizeof(mf) - 2, f);
	mf[n + 1] = '\0';
	fclose(f);

	snprintf(path, sizeof(path), "%s/img", dir);
	f = fopen(path, "rb");
	if (!f)
		return false;
	im->buf = malloc(FILE_CAP);
	im->len = fread(im->buf, 1, FILE_CAP, f);
	fclose(f);

	im->ivt_off = mf_get(mf, "ivt_off");
	im->self = mf_get(mf, "self");
	im->load_addr = mf_get(mf, "load_addr");
	im->load_len = mf_get(mf, "load_len");
	im->dcd_off = mf_get(mf, "dcd_off");
	im->dcd_len = mf_get(mf, "dcd_len");
	im->boot_data = mf_get(mf, "boot_data");
	im->main_ivt_off = mf_get(mf, "main_ivt_off");
	im->main_load_addr = mf_get(mf, "main_load_addr");
	im->main_load_len = mf_get(mf, "main_load_len");
	im->main_boot_data = mf_get(mf, "main_boot_data");
	im->main_dcd_len = mf_get(mf, "main_dcd_len");
	return im->len > 0;
}

/* ---- the board ---- */

void board(struct sdp_dev *d, const char *soc)
{
	bool skip = strcmp(soc, "imx6q") && strcmp(soc, "imx6dl") &&
		    strcmp(soc, "imx6sl") && strcmp(soc, "imx6sx");

	memset(d, 0, sizeof(*d));
	d->fd = -1;
	snprintf(d->node, sizeof(d->node), "/dev/imx-sdp0");
	snprintf(d->name, sizeof(d->name), "imx-sdp0");
	snprintf(d->info.soc, sizeof(d->info.soc), "%s", soc);
	snprintf(d->info.port, sizeof(d->info.port), "1-1");
	d->info.hab = IMX_SDP_HAB_OPEN;
	d->info.dcd_addr = !strcmp(soc, "imx7d") ? 0x00911000 : 0x00910000;
	d->info.flags = skip ? IMX_SDP_INFO_SKIP_DCD : 0;
	if (!strcmp(soc, "imx8mq") || !strcmp(soc, "imx8mm"))
		d->info.flags |= IMX_SDP_INFO_IVT_V41;
	d->timeout_ms = 1234;
}

/* Run sdp_boot() with stderr captured into @err (NUL-terminated). */
int boot_capture(const char *dir, struct sdp_dev *d, struct image *im,
		 const struct sdp_boot_opts *o, char *err, size_t size)
{
	char path[PATH_MAX];
	int fd, saved, ret;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/stderr", dir);
	fflush(stderr);
	saved = dup(2);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	ret = sdp_boot(d, "img", im->buf, im->len, o);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, err, size - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	close(fd);
	return ret;
}

/* Silence stderr (expected error messages) while @on. */
void quiet_stderr(bool on)
{
	static int saved = -1;
	int fd;

	fflush(stderr);
	if (on && saved < 0) {
		saved = dup(2);
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, 2);
		close(fd);
	} else if (!on && saved >= 0) {
		dup2(saved, 2);
		close(saved);
		saved = -1;
	}
}

/* The commands sent so far, by name, space-separated. */
const char *seq(void)
{
	static char s[1024];
	size_t o = 0;
	int i;

	s[0] = '\0';
	for (i = 0; i < mock.n && o < sizeof(s) - 32; i++)
		o += snprintf(s + o, sizeof(s) - o, "%s%s", i ? " " : "",
			      sdp_ioc_name(mock.r[i].req));
	return s;
}
