/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fastboot host library over usbfs (no libusb): device discovery through
 * sysfs, the command/response/data protocol, and image flashing with
 * sparse splitting. Used by fastboot-lite and imx-factory.
 *
 * Errors: every function returns 0 or a negative errno and leaves a text
 * in fbh_error(d) naming the command and the device's answer, e.g.
 *   "flash:rootfs: device answered FAIL 'sparse: chunk 3 past the end'"
 *   "download:00100000: device gone (ENODEV)"
 * -EREMOTEIO means the device answered FAIL.
 */
#ifndef FB_HOST_H
#define FB_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One fastboot interface found in sysfs (FF/42/03, any VID/PID). */
struct fbh_info {
	char serial[128];	/* sysfs "serial", "" if none */
	char port[40];		/* USB port path, "1-1.2" */
	char product[128];	/* sysfs "product", "" if none */
	uint16_t vid, pid;
	uint8_t busnum, devnum;
	uint8_t ifnum;		/* interface number */
	uint8_t ep_in, ep_out;	/* endpoint addresses */
	uint16_t maxpacket;	/* of the bulk OUT endpoint */
};

/* Enumerate: calls @cb for each interface found; stops if @cb != 0. */
int fbh_list(int (*cb)(const struct fbh_info *info, void *ctx), void *ctx);

struct fbh_dev;

/*
 * Open and claim the fastboot interface selected by @serial and/or @port
 * (NULL: any; exactly one must match, else -ENODEV "no device" or
 * -EEXIST "several devices: name one with -s or --port").
 * @timeout_ms: how long to wait for the device to appear (0: no wait).
 */
int fbh_open(struct fbh_dev **d, const char *serial, const char *port,
	     unsigned int timeout_ms);
void fbh_close(struct fbh_dev *d);
const struct fbh_info *fbh_info(const struct fbh_dev *d);
const char *fbh_error(const struct fbh_dev *d);

/*
 * INFO lines and progress: @info gets each INFO payload; @progress gets
 * bytes done/total of the running data phase (and of a whole flash).
 * Either may be NULL. Set with fbh_set_callbacks().
 */
struct fbh_callbacks {
	void (*info)(void *ctx, const char *text);
	void (*progress)(void *ctx, const char *what, uint64_t done,
			 uint64_t total);
	void *ctx;
};
void fbh_set_callbacks(struct fbh_dev *d, const struct fbh_callbacks *cb);

/*
 * Per-read timeout of a response (default 0: wait forever, as fastboot
 * 29.0.6; each INFO restarts it). -ETIMEDOUT when it expires.
 */
void fbh_set_timeout(struct fbh_dev *d, unsigned int ms);

/*
 * Send one command, read INFO* then OKAY/FAIL/DATA. OKAY: 0 and the payload
 * in @reply; FAIL: -EREMOTEIO (payload in @reply and in fbh_error);
 * DATA: the size in *@data (if @data is NULL, DATA is a protocol error).
 */
int fbh_command(struct fbh_dev *d, const char *cmd, char *reply,
		size_t reply_len, uint32_t *data);

int fbh_getvar(struct fbh_dev *d, const char *var, char *val, size_t len);

/* download:%08x + @len bytes from @buf / from @fd at @off. */
int fbh_download(struct fbh_dev *d, const void *buf, uint32_t len);
int fbh_download_fd(struct fbh_dev *d, int fd, off_t off, uint32_t len);

/* upload, or fetch:@part[:0x@off[:0x@size]] (size 0: to the end), into @fd. */
int fbh_upload(struct fbh_dev *d, int fd, uint64_t *got);
int fbh_fetch(struct fbh_dev *d, const char *part, uint64_t off,
	      uint64_t size, int fd, uint64_t *got);

/*
 * Flash file @path to @part: sent as is if it fits max-download-size,
 * else split into sparse pieces (raw input converted with zero/fill
 * detection, sparse input resplit), each downloaded and flashed.
 */
int fbh_flash(struct fbh_dev *d, const char *part, const char *path);

/* erase:@part, reboot, reboot-bootloader, continue, boot, "oem @args". */
int fbh_simple(struct fbh_dev *d, const char *cmd);

#endif /* FB_HOST_H */
