/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SDP host code: the userspace side of hid-imx-sdp (/dev/imx-sdpN), used
 * by imx-sdp and imx-factory.
 *
 * Layering (so that the image flow can be tested without a kernel):
 *   sdp-boot.c  image flow: IVT/DCD/plugin, per-SoC rule, verify, jump
 *   sdp-cmd.c   one helper per SDP command; errors name the step and the
 *               ROM's answer
 *   sdp-dev.c   board discovery (sysfs), open, the ioctl itself
 * The unit test links sdp-boot.c and sdp-cmd.c (with progress.c and
 * util.c) and a mock of the two sdp_dev_* functions marked "backend"
 * below.
 *
 * Errors: the functions that open a board, run a command or parse an
 * image return EXIT_OK or an exit code (exit-codes.h) and leave the
 * failure in the device object, the way fb-host.h's fbh_error() does:
 *   sdp_error(d)       what failed: the step and the ROM's (or the
 *                      driver's) answer, e.g. "JUMP_ADDRESS 0x877ff400:
 *                      ROM refused the image: HAB event 33 11 0a 00: ..."
 *                      or "u-boot.imx: no usable i.MX boot image ..."
 *   sdp_error_exit(d)  its class: EXIT_ROM, EXIT_GONE, EXIT_IMAGE, ...
 * The failure is also printed on stderr when it happens, prefixed with
 * the running program's name (util.h) and, for a step on the board, with
 * the board ("/dev/imx-sdp0 (imx6q, port 1-1): "); further lines add
 * detail (the driver's last_error, the ROM's ERROR_STATUS after a refused
 * JUMP) without replacing what sdp_error() holds. The prechecks take a
 * device object that need not be open, only to hold their error.
 */
#ifndef SDP_HOST_H
#define SDP_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/imx_sdp.h>
#include <imxflash/pure.h>

#include "exit-codes.h"

#define SDP_CLASS_DIR	"/sys/class/imx_sdp"

struct sdp_dev {
	int fd;
	char node[64];		/* "/dev/imx-sdp0" */
	char name[32];		/* "imx-sdp0" */
	char sysdir[96];	/* "/sys/class/imx_sdp/imx-sdp0", "" if unknown */
	struct imx_sdp_info info;
	u32 timeout_ms;		/* per-reply timeout, 0 = driver default */
	bool progress;		/* draw a bar on stderr during WRITE_FILE */
	u32 jump_ms;		/* the JUMP_ADDRESSes of the last sdp_boot():
				 * ms until the ROM left the bus or its
				 * HAB-event window ended (a plugin: both) */
	int err_exit;		/* class of the last failure, EXIT_OK: none */
	char err[320];		/* the last failure, "": none */
};

/* One entry of "imx-sdp list" (from sysfs only). */
struct sdp_board {
	char name[32];
	char node[64];
	char soc[24];
	char hab[16];
	char uid[24];		/* 16 hex digits, "unknown" or "" (old driver) */
	char state[16];
	char port[40];
	u16 vid, pid;		/* 0 when unknown */
};

/* Set by the caller's SIGINT/SIGTERM handler: the next command stops. */
extern volatile int sdp_interrupted;

/* ---- sdp-dev.c (backend: the unit test provides its own) ---- */
/* Run one ioctl; 0 or -errno. Fills in cmd->timeout_ms from the device. */
int sdp_dev_ioctl(struct sdp_dev *d, unsigned long req,
		  struct imx_sdp_cmd *cmd);
/* The driver's last_error attribute into @buf ("" if none); backend. */
void sdp_dev_last_error(struct sdp_dev *d, char *buf, size_t size);

int sdp_dev_scan(struct sdp_board *b, int max);
int sdp_dev_open(struct sdp_dev *d, const char *node, const char *port);
void sdp_dev_close(struct sdp_dev *d);
int sdp_sysfs_read(const char *dir, const char *attr, char *buf, size_t size);

/* ---- sdp-cmd.c: each returns EXIT_OK or an exit code (see Errors) ---- */
const char *sdp_error(const struct sdp_dev *d);
int sdp_error_exit(const struct sdp_dev *d);
/*
 * Record a failure in @d, print it and return @code: sdp_fail() for a
 * step on the board (the line names the board), sdp_fail_plain() for a
 * file or the choice of board (the text names what it is about).
 */
int sdp_fail(struct sdp_dev *d, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int sdp_fail_plain(struct sdp_dev *d, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Print a detail about the board's last failure (not recorded). */
void sdp_note(const struct sdp_dev *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *sdp_ioc_name(unsigned long req);
int sdp_err_exit(int err);
int sdp_run(struct sdp_dev *d, unsigned long req, struct imx_sdp_cmd *cmd,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int sdp_error_status(struct sdp_dev *d, u32 *status);
/* The unique ID from the board's fuses, read now (imx-sdp uid). */
int sdp_read_uid(struct sdp_dev *d, u64 *uid);
int sdp_write_reg(struct sdp_dev *d, u32 addr, u32 value, u32 format);
int sdp_read_mem(struct sdp_dev *d, u32 addr, void *buf, u32 len, u32 format,
		 const char *why);
int sdp_write_file(struct sdp_dev *d, u32 addr, const void *buf, u32 len,
		   u32 flags, const char *what);
int sdp_dcd_write(struct sdp_dev *d, u32 addr, const void *dcd, u32 len);
int sdp_skip_dcd(struct sdp_dev *d);
int sdp_jump(struct sdp_dev *d, u32 addr);
u32 sdp_format_of_width(unsigned int bits);

/* ---- sdp-boot.c ---- */
enum sdp_ivt_mode {
	SDP_IVT_CLEAR,		/* zero IVT.dcd/plugin in the copy (imx_usb) */
	SDP_IVT_KEEP,		/* --keep-dcd: send the image unchanged */
};

struct sdp_boot_opts {
	bool verify;
	bool no_jump;
	enum sdp_ivt_mode ivt;
};

/*
 * sdp_boot() patches @file in place for the WRITE_FILE (6Q-class rule)
 * and restores it before returning. The prechecks parse without a board.
 */
int sdp_boot(struct sdp_dev *d, const char *path, u8 *file, size_t len,
	     const struct sdp_boot_opts *o);
int sdp_boot_precheck(struct sdp_dev *d, const char *path, const u8 *file,
		      size_t len);
int sdp_send_dcd_file(struct sdp_dev *d, const char *path, const u8 *file,
		      size_t len);
int sdp_dcd_precheck(struct sdp_dev *d, const char *path, const u8 *file,
		     size_t len);
int sdp_verify(struct sdp_dev *d, u32 addr, const u8 *want, u32 len);

#endif /* SDP_HOST_H */
