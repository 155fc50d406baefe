/* SPDX-License-Identifier: GPL-2.0 */
/*
 * imx-factory: the factory flow for many boards at once (imx-factory(1)).
 *
 *   imx-factory.c           command line, board discovery, one worker
 *                           process per board, daemon mode, signals
 *   imx-factory-manifest.c  the manifest: parsing, images, the built-in
 *                           default (pure: unit-tested without boards)
 *   imx-factory-board.c     the worker: sdp boot through hid-imx-sdp
 *                           (sdp-host.h), then fastboot (fb-host.h) on the
 *                           same USB port
 *   imx-factory-ui.c        progress lines, final table, report file
 *
 * Each board has a struct fac_board, in an anonymous shared mapping. Its
 * worker is a forked process whose stdout/stderr are the board's log file
 * (so the messages of the SDP host code land there, per board); it
 * publishes its progress in the board's status, which the parent reads
 * with a sequence counter.
 */
#ifndef IMX_FACTORY_H
#define IMX_FACTORY_H

#include <stdio.h>

#include <imxflash/pure.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* Copy @src into @dst of @size bytes, cut if needed, NUL-terminated. */
static inline void fac_strcpy(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* ---- manifest (imx-factory-manifest.c) ---- */

enum fac_op {
	FAC_SDP_BOOT,		/* sdp boot FILE [--verify] */
	FAC_FB_FLASH,		/* fastboot flash PART FILE */
	FAC_FB_ERASE,		/* fastboot erase PART */
	FAC_FB_OEM,		/* fastboot oem ARGS... */
	FAC_FB_GETVAR,		/* fastboot getvar VAR */
	FAC_FB_REBOOT,		/* fastboot reboot */
	FAC_FB_REBOOT_BL,	/* fastboot reboot-bootloader */
	FAC_FB_CONTINUE,	/* fastboot continue */
};

#define FAC_MAX_STEPS	32
#define FAC_LINE_MAX	4096
/* flash:<part> must fit the 64-byte commands of old clients/bootloaders */
#define FAC_PART_MAX	58
#define FAC_CMD_MAX	64

struct fac_step {
	enum fac_op op;
	int line;		/* in the manifest, 1-based; 0: built-in */
	bool verify;		/* sdp boot --verify */
	char *arg;		/* partition, variable or oem text; or NULL */
	char *file;		/* image as written in the manifest, or NULL */
	char *path;		/* resolved by fac_manifest_resolve() */
	u64 size;		/* of the file, by fac_manifest_resolve() */
	char label[80];		/* "flash rootfs", "sdp boot" */
};

struct fac_manifest {
	struct fac_step step[FAC_MAX_STEPS];
	int n;
	char name[256];		/* path of the manifest or "(built-in)" */
};

/* The seed script's flow: imx-factory(1), "DEFAULT MANIFEST". */
extern const char fac_default_manifest[];

/*
 * Parse @text (NUL-terminated) into @m. On error returns -EINVAL with
 * "NAME:LINE: what is wrong" in @err.
 */
int fac_manifest_parse(struct fac_manifest *m, const char *text,
		       const char *name, char *err, size_t errlen);
/* Read and parse the file @path (at most 64 KiB). */
int fac_manifest_load(struct fac_manifest *m, const char *path, char *err,
		      size_t errlen);
/*
 * Resolve image paths against @imgdir (absolute paths stay), check that
 * each is a readable non-empty regular file and note its size.
 */
int fac_manifest_resolve(struct fac_manifest *m, const char *imgdir,
			 char *err, size_t errlen);
/* Source of the boards: SDP ROMs (first step sdp boot) or fastboot. */
bool fac_needs_sdp(const struct fac_manifest *m);
/* Keep only the sdp step (-b); -ENOENT if there is none. */
int fac_manifest_bootloader_only(struct fac_manifest *m);
void fac_manifest_free(struct fac_manifest *m);
void fac_manifest_print(const struct fac_manifest *m, FILE *f);
/* The command sent for a fastboot step ("erase:misc", "oem fuse 1"). */
int fac_step_command(const struct fac_step *s, char *buf, size_t size);

/* ---- per-board state shared with the parent ---- */

enum fac_stage {
	FAC_ST_QUEUED,		/* seen, worker starting */
	FAC_ST_SDP,		/* sdp boot running */
	FAC_ST_ENUM,		/* waiting for the fastboot device */
	FAC_ST_FASTBOOT,	/* fastboot steps */
	FAC_ST_DONE,		/* all steps done */
	FAC_ST_NR,
};

enum fac_result {
	FAC_RUNNING,
	FAC_OK,
	FAC_FAILED,
	FAC_TIMEOUT,		/* a stage's time limit: FAILED, named so */
	FAC_GONE,		/* unplugged mid-way */
	FAC_ABORTED,		/* interrupted by a signal */
};

/* Filled in by the worker, read by the parent (under @seq). */
struct fac_status {
	unsigned int seq;	/* odd while the worker writes */
	int stage;		/* enum fac_stage */
	int step;		/* index of the running/last step, -1: none */
	int result;		/* enum fac_result */
	u32 begun;		/* bit i: step i has started */
	char node[32];		/* "imx-sdp0" (set by the parent), "" */
	char soc[24];
	char serial[64];	/* of the fastboot device */
	char what[80];		/* label of the running step */
	u64 done, total;	/* of the running data transfer */
	u64 bytes;		/* image bytes of the finished steps */
	u64 t_start, t_end;	/* now_ms() */
	u64 stage_ms[FAC_ST_NR];
	u64 step_ms[FAC_MAX_STEPS];
	char reason[256];	/* why it failed */
};

/* One board being flashed: its worker's status and the parent's records. */
struct fac_board {
	struct fac_status st;
	/* parent only */
	int used;
	int number;		/* 1, 2, ... in order of appearance */
	int pid;
	char port[40];
	char id[40];		/* node name or busnum:devnum */
	char log[512];
};

struct fac_opts {
	const char *manifest;
	const char *imgdir;
	const char *logdir;
	const char *report;
	const char *ports[64];
	int nports;
	int nboards;		/* 0: see imx-factory(1) */
	bool daemon;
	bool bootloader_only;
	bool check_only;
	int progress;		/* enum fac_progress */
	unsigned int wait_s;	/* for boards to appear; 0: forever */
	unsigned int enum_s;	/* for the fastboot device after JUMP */
	unsigned int fb_timeout_s;	/* per fastboot response */
	unsigned int interval_s;	/* progress lines when not a tty */
};

/* What a worker needs; read-only after the fork. */
struct fac_ctx {
	const struct fac_opts *o;
	struct fac_manifest *m;
	u8 *sdp_image;	/* the sdp boot file, loaded once */
	size_t sdp_len;
};

/* ---- imx-factory-board.c ---- */

/*
 * The worker, in the forked child: run every step on the board at
 * @board->port (SDP node @board->id). Returns the exit status.
 */
int fac_board_run(const struct fac_ctx *c, struct fac_board *board);

void fac_status_begin(struct fac_status *st);
void fac_status_end(struct fac_status *st);
/* Consistent copy of @src (written by another process). */
void fac_status_read(const struct fac_status *src, struct fac_status *dst);

/* ---- imx-factory-ui.c ---- */

enum fac_progress {
	FAC_PROGRESS_AUTO,
	FAC_PROGRESS_TTY,	/* one line per board, redrawn */
	FAC_PROGRESS_LINES,	/* a line on each change and every interval */
	FAC_PROGRESS_NONE,
};

struct fac_ui;
struct fac_ui *fac_ui_new(int mode, unsigned int interval_s,
			  const struct fac_manifest *m);
/* Draw the running boards of @boards (@n, in board order). */
void fac_ui_update(struct fac_ui *ui, struct fac_board *const *boards, int n);
/* A board finished: its final line, printed once (kept on screen). */
void fac_ui_done(struct fac_ui *ui, const struct fac_board *board);
/* Before other output: take the redrawn lines off the screen. */
void fac_ui_clear(struct fac_ui *ui);
void fac_ui_free(struct fac_ui *ui);

const char *fac_stage_name(const struct fac_status *st, bool bootloader_only);
const char *fac_result_name(int result);
void fac_human_bytes(char *buf, size_t size, u64 bytes);
/* The final table on stdout; and the report file (key=value lines). */
void fac_table(struct fac_board *const *boards, int n, bool bootloader_only,
	       FILE *f);
int fac_report(const char *path, struct fac_board *const *boards, int n,
	       const struct fac_manifest *m, bool bootloader_only);

#endif /* IMX_FACTORY_H */
