/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers: emulated i.MX boards (usb_f_sdp gadgets on dummy_hcd)
 * built through configfs, and the host-side view of them.
 */
#ifndef _IMXF_GADGET_UTIL_H
#define _IMXF_GADGET_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define IMXF_CONFIGFS	"/sys/kernel/config/usb_gadget"
#define IMXF_DEBUGFS	"/sys/kernel/debug/usb_f_sdp"

struct imxf_board {
	char name[32];		/* gadget and function instance name */
	char udc[32];		/* dummy_udc.N */
	char soc[16];
	uint16_t vid, pid;
	char gadget_dir[128];
	char func_dir[160];
	int bound;
};

/*
 * Create gadget @name with an sdp function (soc, hab "open"/"closed",
 * mem_limit 0 = default) using the SoC's ROM VID/PID, bind it to @udc.
 * Returns 0 or -errno (message on stderr).
 */
int imxf_board_create(struct imxf_board *b, const char *name, const char *udc,
		      const char *soc, const char *hab, unsigned long mem_limit);
int imxf_board_bind(struct imxf_board *b);
int imxf_board_unbind(struct imxf_board *b);
void imxf_board_destroy(struct imxf_board *b);

/* Read function attribute @attr into @buf (trailing newline removed). */
int imxf_board_attr(struct imxf_board *b, const char *attr, char *buf,
		    size_t size);
/* Write a function attribute; returns 0 or -errno. */
int imxf_board_set_attr(struct imxf_board *b, const char *attr,
			const char *val);
/* Poll until attribute @attr reads @want, up to @ms milliseconds. */
int imxf_board_wait_attr(struct imxf_board *b, const char *attr,
			 const char *want, int ms);

/* Emulated memory through debugfs. */
int imxf_board_mem_read(struct imxf_board *b, uint32_t addr, void *buf,
			size_t len);
int imxf_board_mem_write(struct imxf_board *b, uint32_t addr, const void *buf,
			 size_t len);
/* Commands the ROM logged (debugfs "log"), NUL-terminated. */
int imxf_board_log(struct imxf_board *b, char *buf, size_t size);

/*
 * Find the /dev/hidrawN of a device with @vid:@pid, waiting up to @ms;
 * copies the path to @path. Returns 0 or -ENOENT.
 */
int imxf_find_hidraw(uint16_t vid, uint16_t pid, char *path, size_t size,
		     int ms);
/* Wait until no USB device with @vid:@pid is on the bus. */
int imxf_wait_usb_gone(uint16_t vid, uint16_t pid, int ms);
/* Whether a USB device @vid:@pid is present. */
int imxf_usb_present(uint16_t vid, uint16_t pid);

/* Raw SDP over hidraw: report @id with payload, and timed reads. */
int imxf_hid_send(int fd, uint8_t id, const void *payload, size_t len);
/* Read one input report; returns its length, 0 on timeout, -errno. */
int imxf_hid_recv(int fd, uint8_t *buf, size_t size, int timeout_ms);

/* Deterministic test pattern. */
void imxf_fill_pattern(void *buf, size_t len, uint32_t seed);

int imxf_write_file(const char *path, const char *val);
int imxf_read_file(const char *path, char *buf, size_t size);
long imxf_now_ms(void);

#endif /* _IMXF_GADGET_UTIL_H */
