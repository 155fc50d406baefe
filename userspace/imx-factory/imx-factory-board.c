// SPDX-License-Identifier: GPL-2.0
/*
 * imx-factory: one board, in its own process. Its stdout and stderr are
 * the board's log file, so everything the SDP host code prints about the
 * ROM lands there; what the parent shows comes from the shared status,
 * and the reason of a failure from the library's error record
 * (sdp_error(), fbh_error()).
 *
 *   sdp      open /dev/imx-sdpN (checked to be on the board's port) and
 *            run imx-sdp's boot flow (sdp-boot.c): DCD, image, JUMP
 *   enum     the bootloader re-enumerates as a fastboot device on the
 *            same USB port path: wait for exactly that port
 *   fastboot the manifest's steps through fb-host.h
 *
 * Every failure is named after its stage and step; a stage that runs out
 * of time says which limit it hit ("no fastboot device on port 1-1 after
 * 20 s").
 *
 * Before any of it, the worker makes its own copy of the manifest with
 * the board's ${uid}, ${port} and ${board} filled in, every per-board
 * image checked (and hashed for --json): a missing per-board file fails
 * this board, untouched, and no other.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fb-host.h"
#include "imx-factory.h"
#include "sdp-host.h"
#include "util.h"

/* How long a new /dev/imx-sdpN may take to show up after its sysfs entry. */
#define NODE_WAIT_MS	3000
/* Fastboot device already there when the manifest has no sdp step. */
#define FB_OPEN_MS	5000

static struct fac_status *S;
static const struct fac_ctx *C;
static struct fac_manifest M;	/* this board's steps (expand_steps()) */
static struct fac_vars V;
static int quarter;		/* last progress quarter logged */
static u64 quarter_total;
/* SIGTERM from the parent: the running step stops with -EINTR */
static volatile int cancelled;

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	u64 ms = util_now_ms() - S->t_start;
	va_list ap;

	printf("[%4llu.%03llu] ", (unsigned long long)(ms / 1000),
	       (unsigned long long)(ms % 1000));
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void set_stage(int stage, int step, const char *what)
{
	fac_status_begin(S);
	S->stage = stage;
	S->step = step;
	if (step >= 0)
		S->begun |= 1u << step;
	snprintf(S->what, sizeof(S->what), "%s", what);
	S->done = 0;
	S->total = 0;
	fac_status_end(S);
	quarter = 0;
	quarter_total = 0;
}

static int finish(int result, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int finish(int result, const char *fmt, ...)
{
	char why[sizeof(S->reason)] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
	}
	fac_status_begin(S);
	S->result = result;
	S->t_end = util_now_ms();
	snprintf(S->reason, sizeof(S->reason), "%s", why);
	if (result == FAC_OK)
		S->stage = FAC_ST_DONE;
	fac_status_end(S);
	if (result == FAC_OK)
		logf_("result: ok, %llu image bytes in %llu ms",
		      (unsigned long long)S->bytes,
		      (unsigned long long)(S->t_end - S->t_start));
	else
		logf_("result: %s: %s", fac_result_name(result), why);
	return result == FAC_OK ? 0 : 1;
}

/* The class of an SDP failure (sdp_error_exit()) as a board result. */
static int sdp_result(int code)
{
	switch (code) {
	case EXIT_GONE:
		return FAC_GONE;
	case EXIT_TIMEOUT:
		return FAC_TIMEOUT;
	case EXIT_INTR:
		return FAC_ABORTED;
	}
	return FAC_FAILED;
}

/* A step has finished well: its bytes, for the table and the reports. */
static void step_done(int i, u64 bytes)
{
	fac_status_begin(S);
	S->succeeded |= 1u << i;
	S->step_bytes[i] = bytes;
	fac_status_end(S);
}

/*
 * This board's manifest: every step of C->m for its variables, the
 * per-board images checked and, for the JSON report, hashed.
 */
static int expand_steps(struct fac_board *board)
{
	char err[768];
	int i, ret;

	fac_board_vars(board, S, &V);
	memset(&M, 0, sizeof(M));
	snprintf(M.name, sizeof(M.name), "%s", C->m->name);
	snprintf(M.imgdir, sizeof(M.imgdir), "%s", C->m->imgdir);
	for (i = 0; i < C->m->n; i++, M.n++) {
		struct fac_step *s = &M.step[i];

		ret = fac_step_expand(C->m, i, &V, s, err, sizeof(err));
		if (ret)
			return finish(FAC_FAILED, "%s", err);
		if (!s->per_board)
			continue;
		logf_("manifest line %d for this board: %s", s->line, s->text);
		if (!s->path || (!C->o->json && !C->o->json_lines))
			continue;
		ret = fac_step_hash(s, err, sizeof(err));
		if (ret)
			return finish(FAC_FAILED, "%s:%d: %s", M.name, s->line,
				      err);
		fac_status_begin(S);
		memcpy(S->step_sha256[i], s->sha256, sizeof(s->sha256));
		S->hashed |= 1u << i;
		fac_status_end(S);
	}
	return 0;
}

/* The sdp boot image: loaded once by the parent, or this board's own. */
static int sdp_image(const struct fac_step *s, struct sdp_dev *d, u8 **buf,
		     size_t *len)
{
	int ret;

	if (!s->per_board) {
		*buf = C->sdp_image;
		*len = C->sdp_len;
		return 0;
	}
	ret = util_load_file(s->path, buf, len);
	if (ret)
		return sdp_fail_plain(d, EXIT_IMAGE, "%s: %s", s->path,
				      strerror(-ret));
	return sdp_boot_precheck(d, s->path, *buf, *len);
}

static int stage_sdp(const struct fac_step *s, struct fac_board *board)
{
	struct sdp_boot_opts o = { .verify = s->verify, .ivt = SDP_IVT_CLEAR };
	struct sdp_dev d = { .fd = -1 };
	u8 *image = NULL;
	size_t len = 0;
	char node[64];
	u64 t0 = util_now_ms();
	int ret;

	set_stage(FAC_ST_SDP, 0, s->label);
	snprintf(node, sizeof(node), "/dev/%s", board->id);
	while (access(node, F_OK) && util_now_ms() - t0 < NODE_WAIT_MS) {
		struct timespec ts = { 0, 20 * 1000000L };

		nanosleep(&ts, NULL);
	}
	logf_("sdp: boot %s on %s (port %s)%s", s->path, node, board->port,
	      s->verify ? ", verify" : "");
	ret = sdp_image(s, &d, &image, &len);
	if (!ret)
		ret = sdp_dev_open(&d, node, board->port);
	if (!ret) {
		fac_status_begin(S);
		/* info.soc (16 bytes) is NUL-terminated by sdp_dev_open() */
		snprintf(S->soc, sizeof(S->soc), "%s", d.info.soc);
		/* what the ROM said last (at probe, if nothing was sent) */
		if (d.info.hab == IMX_SDP_HAB_CLOSED ||
		    d.info.hab == IMX_SDP_HAB_OPEN)
			snprintf(S->hab, sizeof(S->hab), "%s",
				 d.info.hab == IMX_SDP_HAB_CLOSED ? "closed" :
				 "open");
		if (!S->uid[0] && d.info.flags & IMX_SDP_INFO_UID)
			snprintf(S->uid, sizeof(S->uid), "%016llX",
				 (unsigned long long)d.info.uid);
		fac_status_end(S);
		logf_("sdp: %s, HAB %s, unique ID %s", d.info.soc,
		      S->hab[0] ? S->hab : "unknown",
		      S->uid[0] ? S->uid : "unknown");
		d.progress = false;
		ret = sdp_boot(&d, s->path, image, len, &o);
		fac_status_begin(S);
		S->jump_ms = d.jump_ms;
		fac_status_end(S);
		sdp_dev_close(&d);
	}
	if (image != C->sdp_image)
		free(image);
	fac_status_begin(S);
	S->stage_ms[FAC_ST_SDP] = util_now_ms() - t0;
	S->step_ms[0] = S->stage_ms[FAC_ST_SDP];
	if (!ret)
		S->bytes += s->size;
	fac_status_end(S);
	if (!ret) {
		step_done(0, s->size);
		logf_("sdp: done in %llu ms, the bootloader runs",
		      (unsigned long long)(util_now_ms() - t0));
		return 0;
	}
	/* the step and the ROM's answer ("JUMP_ADDRESS 0x...: ROM refused ...") */
	return finish(sdp_result(sdp_error_exit(&d)), "sdp boot: %s",
		      sdp_error(&d));
}

static int fb_result(int err)
{
	switch (err) {
	case -ENODEV:
	case -ESHUTDOWN:
	case -EPIPE:
		return FAC_GONE;
	case -ETIMEDOUT:
		return FAC_TIMEOUT;
	case -EINTR:
		return FAC_ABORTED;
	}
	return FAC_FAILED;
}

/* fbh_error(NULL): why the last fbh_open() failed. */
static const char *fb_why(struct fbh_dev *d, int err)
{
	const char *e = fbh_error(d);

	return e && e[0] ? e : strerror(-err);
}

/*
 * The error of a step without the wire command in front when the label
 * says it already ("flash rootfs: flash:rootfs: device gone").
 */
static const char *step_why(struct fbh_dev *d, int err,
			    const struct fac_step *s)
{
	const char *e = fb_why(d, err);
	char cmd[FAC_CMD_MAX + 8];
	size_t n;

	if (s->op == FAC_FB_FLASH || s->op == FAC_FB_GETVAR ||
	    s->op == FAC_FB_VERIFY)
		snprintf(cmd, sizeof(cmd), "%s:%s",
			 s->op == FAC_FB_FLASH ? "flash" :
			 s->op == FAC_FB_VERIFY ? "verify" : "getvar", s->arg);
	else if (fac_step_command(s, cmd, sizeof(cmd)))
		return e;
	n = strlen(cmd);
	if (!strncmp(e, cmd, n) && e[n] == ':' && e[n + 1] == ' ')
		return e + n + 2;
	return e;
}

static int stage_enum(struct fac_board *board, struct fbh_dev **d,
		      unsigned int wait_ms)
{
	u64 t0 = util_now_ms();
	int ret;

	set_stage(FAC_ST_ENUM, -1, "fastboot wait");
	logf_("enum: waiting up to %u s for the fastboot device on port %s",
	      wait_ms / 1000, board->port);
	*d = NULL;
	ret = fbh_open(d, NULL, board->port, wait_ms);
	fac_status_begin(S);
	S->stage_ms[FAC_ST_ENUM] = util_now_ms() - t0;
	fac_status_end(S);
	if (ret == -ENODEV || ret == -ETIMEDOUT) {
		logf_("enum: %s", fb_why(NULL, ret));
		return finish(FAC_TIMEOUT,
			      "no fastboot device on port %s after %u s",
			      board->port, wait_ms / 1000);
	}
	if (ret)
		return finish(fb_result(ret), "fastboot open on port %s: %s",
			      board->port, fb_why(*d, ret));
	fac_status_begin(S);
	fac_strcpy(S->serial, sizeof(S->serial), fbh_info(*d)->serial);
	fac_status_end(S);
	logf_("enum: fastboot device %04x:%04x serial '%s' on port %s after %llu ms",
	      fbh_info(*d)->vid, fbh_info(*d)->pid, fbh_info(*d)->serial,
	      fbh_info(*d)->port, (unsigned long long)(util_now_ms() - t0));
	return 0;
}

static void on_info(void *ctx, const char *text)
{
	(void)ctx;
	logf_("  (bootloader) %s", text);
}

/* The UI reads done/total; the log gets a line per quarter. */
static void on_progress(void *ctx, const char *what, uint64_t done,
			uint64_t total)
{
	int q;

	(void)ctx;
	fac_status_begin(S);
	S->done = done;
	S->total = total;
	fac_status_end(S);
	if (!total)
		return;
	/* a flash counts all its pieces: a new total is a new transfer */
	if (total != quarter_total) {
		quarter_total = total;
		quarter = 0;
	}
	q = (int)(done * 4 / total);
	if (q > quarter) {
		quarter = q;
		logf_("  %s: %d%% (%llu of %llu bytes)", what ? what : "",
		      q * 25, (unsigned long long)done,
		      (unsigned long long)total);
	}
}

/*
 * Verify @s's partition against its image (a verify step, or a flash
 * step under --verify) and record what was found as step @i's
 * "verified": true, or false when the partition differs or the device
 * cannot verify (never true without a check). 0 or the error.
 */
static int verify_step(struct fbh_dev *d, int i, const struct fac_step *s,
		       u64 *bytes)
{
	const struct fbh_flash_opts o = {
		.bmap = s->bmap_path, .no_bmap = s->no_bmap,
	};
	struct fbh_verify_info vi;
	u64 t0 = util_now_ms();
	int ret;

	logf_("fastboot: verify %s %s", s->arg, s->path);
	ret = fbh_verify_image(d, s->arg, s->path, &o, 0, &vi);
	if (!ret || fbh_error_kind(d) == FBH_ERR_MISMATCH ||
	    fbh_error_kind(d) == FBH_ERR_NOVERIFY) {
		fac_status_begin(S);
		S->step_verified[i] = ret ? FAC_VERIFY_MISMATCH : FAC_VERIFY_OK;
		fac_status_end(S);
	}
	if (!ret) {
		logf_("  %llu bytes in %u range%s verified (%s) in %llu ms",
		      (unsigned long long)vi.bytes, vi.ranges,
		      vi.ranges == 1 ? "" : "s",
		      !strcmp(vi.method, "sha256") ? "sha256 on the device" :
		      "read back with fetch",
		      (unsigned long long)(util_now_ms() - t0));
		*bytes = vi.bytes;
	}
	return ret;
}

static int run_step(struct fbh_dev *d, int i)
{
	const struct fac_step *s = &M.step[i];
	char cmd[FAC_CMD_MAX + 8], val[256];
	u64 t0 = util_now_ms(), vbytes = 0;
	int ret;

	set_stage(FAC_ST_FASTBOOT, i, s->label);
	switch (s->op) {
	case FAC_FB_FLASH: {
		/* a bmap next to the image is used unless one is named */
		const struct fbh_flash_opts o = {
			.bmap = s->bmap_path, .no_bmap = s->no_bmap,
		};
		struct fbh_flash_info fi;

		logf_("fastboot: flash %s %s (%llu bytes)", s->arg, s->path,
		      (unsigned long long)s->size);
		ret = fbh_flash_image(d, s->arg, s->path, &o, &fi);
		if (!ret && (fi.compression || fi.bmap[0]))
			logf_("  %s%s%s%s: %llu bytes of image, %llu sent",
			      fi.compression ? fi.compression : "",
			      fi.compression && fi.bmap[0] ? ", " : "",
			      fi.bmap[0] ? "bmap " : "", fi.bmap,
			      (unsigned long long)fi.image_bytes,
			      (unsigned long long)fi.sent_bytes);
		/*
		 * --verify: the flash is done once the partition proves it;
		 * a GPT is written rebuilt for the disk, never byte for byte
		 */
		if (!ret && C->o->verify && strcmp(s->arg, "gpt"))
			ret = verify_step(d, i, s, &vbytes);
		else if (!ret && C->o->verify)
			logf_("  gpt: not verified (the device writes the table rebuilt for its disk)");
		break;
	}
	case FAC_FB_VERIFY:
		ret = verify_step(d, i, s, &vbytes);
		break;
	case FAC_FB_GETVAR:
		logf_("fastboot: getvar %s", s->arg);
		ret = fbh_getvar(d, s->arg, val, sizeof(val));
		if (!ret)
			logf_("  %s: %s", s->arg, val);
		break;
	default:
		ret = fac_step_command(s, cmd, sizeof(cmd));
		if (ret)
			break;
		logf_("fastboot: %s", cmd);
		ret = fbh_simple(d, cmd);
		break;
	}
	fac_status_begin(S);
	S->step_ms[i] = util_now_ms() - t0;
	S->stage_ms[FAC_ST_FASTBOOT] += S->step_ms[i];
	if (!ret && s->op == FAC_FB_FLASH)
		S->bytes += s->size;
	fac_status_end(S);
	if (ret)
		return finish(fb_result(ret), "%s: %s", s->label,
			      step_why(d, ret, s));
	step_done(i, s->op == FAC_FB_FLASH ? s->size : vbytes);
	logf_("fastboot: %s: ok (%llu ms)", s->label,
	      (unsigned long long)(util_now_ms() - t0));
	return 0;
}

static int stage_fastboot(struct fac_board *board, struct fbh_dev *d, int first)
{
	const struct fbh_callbacks cb = {
		.info = on_info, .progress = on_progress, .ctx = board,
	};
	int i, ret;

	fbh_set_callbacks(d, &cb);
	fbh_set_timeout(d, C->o->fb_timeout_s * 1000);
	fbh_set_cancel(d, &cancelled);
	for (i = first; i < M.n; i++) {
		ret = run_step(d, i);
		if (ret)
			return ret;
	}
	return 0;
}

static int open_log(struct fac_board *board)
{
	int fd;

	fd = open(board->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0) {
		close(fd);
		return -errno;
	}
	close(fd);
	return 0;
}

static void on_term(int sig)
{
	(void)sig;
	cancelled = 1;
	sdp_interrupted = 1;
}

int fac_board_run(const struct fac_ctx *c, struct fac_board *board)
{
	struct fbh_dev *d = NULL;
	struct sigaction sa;
	char date[64];
	time_t now = time(NULL);
	int ret, first = 0;

	C = c;
	S = &board->st;
	/*
	 * Ctrl-C goes to the parent, which decides; its SIGTERM stops the
	 * running step (sdp ioctls return -EINTR, fb-host polls @cancelled).
	 */
	signal(SIGINT, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	if (cancelled)
		return finish(FAC_ABORTED, "interrupted before the start");
	ret = open_log(board);
	if (ret)
		return finish(FAC_FAILED, "cannot write the log %s: %s",
			      board->log, strerror(-ret));
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", localtime(&now));
	logf_("=== imx-factory: board %d on port %s (%s), unique ID %s, manifest %s, %s",
	      board->number, board->port, board->id,
	      board->uid[0] ? board->uid : "unknown", c->m->name, date);

	ret = expand_steps(board);
	if (ret)
		return ret;
	if (fac_needs_sdp(&M)) {
		ret = stage_sdp(&M.step[0], board);
		if (ret)
			return ret;
		if (M.n == 1)
			return finish(FAC_OK, NULL);
		ret = stage_enum(board, &d, c->o->enum_s * 1000);
		first = 1;
	} else {
		set_stage(FAC_ST_ENUM, -1, "fastboot open");
		ret = fbh_open(&d, NULL, board->port, FB_OPEN_MS);
		if (ret)
			ret = finish(fb_result(ret), "fastboot open on port %s: %s",
				     board->port, fb_why(d, ret));
	}
	if (ret) {
		if (d)
			fbh_close(d);
		return ret;
	}
	ret = stage_fastboot(board, d, first);
	fbh_close(d);
	return ret ? ret : finish(FAC_OK, NULL);
}
