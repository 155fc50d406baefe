/* SPDX-License-Identifier: GPL-2.0 */
/*
 * imx-sdp: userspace front end of hid-imx-sdp (/dev/imx-sdpN).
 *
 * Layering (so that the image flow can be tested without a kernel):
 *   imx-sdp.c   command line
 *   sdp-boot.c  image flow: IVT/DCD/plugin, per-SoC rule, verify, jump
 *   sdp-cmd.c   one helper per SDP command; errors name the step and the
 *               ROM's answer
 *   sdp-dev.c   board discovery (sysfs), open, the ioctl itself
 *   progress.c  progress bar (a thread polling sysfs "progress")
 *   util.c      messages, number parsing, file loading
 * The unit test links sdp-boot.c, sdp-cmd.c, progress.c and util.c with a
 * mock of the two sdp_dev_* functions marked "backend" below.
 */
#ifndef IMX_SDP_H
#define IMX_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/imx_sdp.h>
#include <imxflash/pure.h>

/* Exit codes (documented in imx-sdp(1) and --help). */
#define EXIT_OK		0
#define EXIT_ROM	1	/* ROM refused a command, protocol error, verify mismatch */
#define EXIT_USAGE	2	/* bad command line */
#define EXIT_IMAGE	3	/* file unreadable, no/bad boot image, bad DCD */
#define EXIT_NOBOARD	4	/* no board, several boards, cannot open the node */
#define EXIT_GONE	5	/* the board left the bus during the command */
#define EXIT_TIMEOUT	6	/* the ROM did not answer in time; wait timed out */
#define EXIT_INTR	130	/* interrupted by a signal */

#define SDP_CLASS_DIR	"/sys/class/imx_sdp"

struct sdp_dev {
	int fd;
	char node[64];		/* "/dev/imx-sdp0" */
	char name[32];		/* "imx-sdp0" */
	char sysdir[96];	/* "/sys/class/imx_sdp/imx-sdp0", "" if unknown */
	struct imx_sdp_info info;
	u32 timeout_ms;		/* per-reply timeout, 0 = driver default */
	bool progress;		/* draw a bar on stderr during WRITE_FILE */
};

/* One entry of "imx-sdp list" (from sysfs only). */
struct sdp_board {
	char name[32];
	char node[64];
	char soc[24];
	char hab[16];
	char state[16];
	char port[40];
	u16 vid, pid;		/* 0 when unknown */
};

/* ---- util.c ---- */
extern int verbosity;		/* -1 quiet, 0 normal, 1+ verbose */
extern volatile int sdp_interrupted;	/* set by SIGINT/SIGTERM */

void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void errx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int parse_u32(const char *s, u32 *val, bool size_suffix);
int load_file(const char *path, u8 **buf, size_t *len);
u64 now_ms(void);
const char *human_rate(char *buf, size_t size, u64 bytes, u64 ms);
int parse_seconds_ms(const char *s, u64 *ms);
int parse_hex3(const char *s, unsigned long v[3]);

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

/* ---- sdp-cmd.c: each returns EXIT_OK or an exit code, error printed ---- */
const char *sdp_ioc_name(unsigned long req);
int sdp_err_exit(int err);
void sdp_dev_err(const struct sdp_dev *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sdp_run(struct sdp_dev *d, unsigned long req, struct imx_sdp_cmd *cmd,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int sdp_error_status(struct sdp_dev *d, u32 *status);
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
int sdp_boot_precheck(const char *path, const u8 *file, size_t len);
int sdp_send_dcd_file(struct sdp_dev *d, const char *path, const u8 *file,
		      size_t len);
int sdp_dcd_precheck(const char *path, const u8 *file, size_t len);
int sdp_verify(struct sdp_dev *d, u32 addr, const u8 *want, u32 len);

/* ---- progress.c ---- */
bool progress_wanted(void);
void progress_draw(const char *label, u64 done, u64 total, u64 t0);
void progress_end(void);
struct progress_watch;
struct progress_watch *progress_watch_start(const char *sysdir,
					    const char *label, u64 total);
void progress_watch_stop(struct progress_watch *w);

#endif /* IMX_SDP_H */
