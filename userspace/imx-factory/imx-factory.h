/* SPDX-License-Identifier: GPL-2.0 */
/*
 * imx-factory: the factory flow for many boards at once (imx-factory(1)).
 *
 *   imx-factory.c           command line, board discovery, one worker
 *                           process per board, daemon mode, signals
 *   imx-factory-manifest.c  the manifest: parsing, images, the built-in
 *                           default (pure: unit-tested without boards)
 *   imx-factory-vars.c      ${uid}, ${port}, ${board} in steps (pure)
 *   imx-factory-board.c     the worker: sdp boot through hid-imx-sdp
 *                           (sdp-host.h), then fastboot (fb-host.h) on the
 *                           same USB port
 *   imx-factory-ui.c        progress lines, final table, report file
 *   imx-factory-json.c      the JSON report (--json, --json-lines) and
 *                           the image digests it gives
 *   imx-factory-status.c    the shared status: one writer, many readers
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
#include <time.h>

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
	FAC_FB_FLASH,		/* fastboot flash PART FILE [--bmap MAP|--no-bmap] */
	FAC_FB_ERASE,		/* fastboot erase PART */
	FAC_FB_OEM,		/* fastboot oem ARGS... */
	FAC_FB_GETVAR,		/* fastboot getvar VAR */
	FAC_FB_REBOOT,		/* fastboot reboot */
	FAC_FB_REBOOT_BL,	/* fastboot reboot-bootloader */
	FAC_FB_CONTINUE,	/* fastboot continue */
	FAC_FB_VERIFY,		/* fastboot verify PART FILE */
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
	bool per_board;		/* uses ${...}: see fac_step_expand() */
	bool has_sha256;	/* @sha256 is the image's (fac_step_hash()) */
	char *text;		/* the line as written, without comment */
	char *arg;		/* partition, variable or oem text; or NULL */
	char *file;		/* image as written in the manifest, or NULL */
	char *path;		/* resolved by fac_manifest_resolve() */
	char *bmap;		/* flash --bmap MAP as written, or NULL */
	char *bmap_path;	/* MAP resolved like @path */
	bool no_bmap;		/* flash --no-bmap */
	u64 size;		/* of the file, by fac_manifest_resolve() */
	char label[80];		/* "flash rootfs", "sdp boot" */
	u8 sha256[32];		/* of the image's bytes, if @has_sha256 */
};

struct fac_manifest {
	struct fac_step step[FAC_MAX_STEPS];
	int n;
	char name[256];		/* path of the manifest or "(built-in)" */
	char imgdir[512];	/* images, by fac_manifest_resolve() */
};

/* ---- per-board values (imx-factory-vars.c) ---- */

struct fac_vars {
	const char *uid;	/* 16 hex digits; NULL or "": not known */
	const char *port;	/* USB port path */
	char board[12];		/* "1", "2", ... ("": not known) */
};

/*
 * Check the ${...} in @s: 0 with *@uses telling whether there is one,
 * or -EINVAL with the reason in @why (unknown variable, no '}').
 */
int fac_vars_check(const char *s, bool *uses, char *why, size_t whylen);
/*
 * @s with the variables replaced by @v's values into @out (@size bytes).
 * 0, -ENOENT (a value this board does not have), -ENAMETOOLONG, -EINVAL
 * (not a variable); @why says which.
 */
int fac_vars_expand(const char *s, const struct fac_vars *v, char *out,
		    size_t size, char *why, size_t whylen);

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
/*
 * Step @i of @m for the board @v: a per-board step's line expanded,
 * parsed again and its image resolved and checked as
 * fac_manifest_resolve() does; any other step copied. The copy in @out
 * owns its strings (fac_step_free()). 0, or -errno with "NAME:LINE: what"
 * in @err (a missing per-board file is -ENOENT).
 */
int fac_step_expand(const struct fac_manifest *m, int i,
		    const struct fac_vars *v, struct fac_step *out, char *err,
		    size_t errlen);
void fac_step_free(struct fac_step *s);
/* The step's line for the board @v (the text as written if it cannot). */
void fac_step_line(const struct fac_step *s, const struct fac_vars *v,
		   char *buf, size_t size);

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

/* struct fac_status.step_verified[]: what a verification found */
#define FAC_VERIFY_NOT_ASKED	(-1)	/* JSON null */
#define FAC_VERIFY_MISMATCH	0	/* JSON false */
#define FAC_VERIFY_OK		1	/* JSON true */

/* Filled in by the worker, read by the parent (under @seq). */
struct fac_status {
	unsigned int seq;	/* odd while the worker writes */
	int stage;		/* enum fac_stage */
	int step;		/* index of the running/last step, -1: none */
	int result;		/* enum fac_result */
	u32 begun;		/* bit i: step i has started */
	u32 succeeded;		/* bit i: step i has finished well */
	u32 hashed;		/* bit i: step_sha256[i] is set */
	char node[32];		/* "imx-sdp0" (set by the parent), "" */
	char uid[24];		/* 16 hex digits (set by the parent), "" */
	char hab[8];		/* "open", "closed", "": not known */
	char soc[24];
	char serial[64];	/* of the fastboot device */
	char what[80];		/* label of the running step */
	u64 done, total;	/* of the running data transfer */
	u64 bytes;		/* image bytes of the finished steps */
	u64 t_start, t_end;	/* util_now_ms() */
	u64 stage_ms[FAC_ST_NR];
	u32 jump_ms;		/* of stage_ms[FAC_ST_SDP]: JUMP until the ROM left */
	u64 step_ms[FAC_MAX_STEPS];
	u64 step_bytes[FAC_MAX_STEPS];	/* image bytes of each done step */
	signed char step_verified[FAC_MAX_STEPS];	/* FAC_VERIFY_* */
	u8 step_sha256[FAC_MAX_STEPS][32];	/* of a per-board image */
	char reason[256];	/* why it failed */
};

/* One board being flashed: its worker's status and the parent's records. */
struct fac_board {
	struct fac_status st;
	/* parent only */
	int used;
	int number;		/* 1, 2, ... in order of appearance */
	int pid;
	time_t started;		/* wall clock, for reports */
	char port[40];
	char id[40];		/* node name or busnum:devnum */
	char uid[24];		/* from sysfs at discovery, "": not known */
	char log[512];
};

struct fac_opts {
	const char *manifest;
	const char *imgdir;
	const char *logdir;
	const char *report;
	const char *json;		/* --json FILE */
	const char *json_lines;		/* --json-lines FILE */
	const char *ports[64];
	int nports;
	int nboards;		/* 0: see imx-factory(1) */
	bool daemon;
	bool bootloader_only;
	bool check_only;
	bool verify;		/* --verify: every flash step verified */
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

/* ---- imx-factory-status.c ---- */

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

/* ---- imx-factory-json.c ---- */

/* The run as a whole, for the JSON document. */
struct fac_run {
	const struct fac_manifest *m;
	time_t started;
	time_t finished;	/* 0: still running */
	bool interrupted;	/* stopped by a signal */
	bool bootloader_only;
};

/*
 * SHA-256 of the bytes the step's image defines - the file's, or what it
 * decompresses to - into @s->sha256 (@s->has_sha256). 0, or -errno with
 * "PATH: what" in @err.
 */
int fac_step_hash(struct fac_step *s, char *err, size_t errlen);

/* The variables of a board (its number as text in @v->board). */
void fac_board_vars(const struct fac_board *b, const struct fac_status *st,
		    struct fac_vars *v);
/*
 * The JSON document of the run (imx-factory(1), "JSON REPORT") to @f.
 * 0, or -errno with the reason in @why.
 */
int fac_json_write(FILE *f, const struct fac_run *run,
		   struct fac_board *const *boards, int n, char *why,
		   size_t whylen);
/* The same, replacing the file @path atomically (atomic-file.h). */
int fac_json_report(const char *path, const struct fac_run *run,
		    struct fac_board *const *boards, int n, char *why,
		    size_t whylen);
/* One board's object as one line appended to @path (--json-lines). */
int fac_json_append(const char *path, const struct fac_run *run,
		    const struct fac_board *b, char *why, size_t whylen);

#endif /* IMX_FACTORY_H */
