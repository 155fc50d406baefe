// SPDX-License-Identifier: GPL-2.0
/*
 * imx-factory: flash i.MX boards from their boot ROM to a finished eMMC,
 * many at once (imx-factory(1)).
 *
 * The parent finds boards (SDP nodes of hid-imx-sdp, or fastboot devices
 * when the manifest has no sdp step), keyed by their USB port path, and
 * forks one worker per board (imx-factory-board.c). It never talks to a
 * board itself: it draws the workers' progress from shared memory, reaps
 * them, and prints the table. Busybox-friendly: no threads in the parent,
 * no locale, no floating point, static.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fb-host.h"
#include "imx-factory.h"
#include "sdp-host.h"
#include "util.h"

#define IMX_FACTORY_VERSION	"0.1"
#define MAX_BOARDS	64	/* boards in flight */
#define MAX_CANDS	128
#define SCAN_MS		200
#define TICK_MS		100
#define KILL_GRACE_MS	3000

#define FX_OK		0
#define FX_FAILED	1	/* a board failed, or fewer boards than asked */
#define FX_USAGE	2	/* command line, manifest or image error */
#define FX_INTR		130

static const char usage_text[] =
"usage: imx-factory [-a | -b] [options]\n"
"\n"
"Flash i.MX boards: sdp boot the bootloader into each board's boot ROM\n"
"(hid-imx-sdp), follow the board to its fastboot device on the same USB\n"
"port, run the manifest's fastboot steps; many boards in parallel.\n"
"\n"
"  -a, --all               every step of the manifest (default)\n"
"  -b, --bootloader        only the sdp boot step\n"
"  -m, --manifest FILE     steps (default: built-in, see --print-manifest)\n"
"  -d, --images DIR        images (default: $BUILDROOT/output/images, else\n"
"                          the manifest's directory, else .)\n"
"  -n, --boards N          flash N boards, then stop (default: the boards\n"
"                          present at start, at least 1; with --port: one\n"
"                          per port)\n"
"  -p, --port PATH         only boards on USB port PATH (repeatable)\n"
"  -D, --daemon            flash every board that appears until SIGINT or\n"
"                          SIGTERM (first signal: finish running boards;\n"
"                          second: abort them)\n"
"  -w, --wait S            give up waiting for the boards after S seconds\n"
"                          (default 60; 0: wait for ever)\n"
"  -e, --enum-timeout S    time for a booted board to show up as a\n"
"                          fastboot device (default 20)\n"
"  -t, --fastboot-timeout S  per fastboot answer; INFO restarts it\n"
"                          (default 60; 0: none)\n"
"  -l, --log-dir DIR       per-board logs DIR/uid-<UID>.log, or\n"
"                          DIR/port-<port>.log when the board gave no\n"
"                          unique ID (default imx-factory-logs)\n"
"  -r, --report FILE       also write the table as key=value lines\n"
"  -j, --json FILE         the run as one JSON document, replaced\n"
"                          atomically as boards finish (imx-factory(1))\n"
"      --json-lines FILE   append one JSON line per finished board\n"
"                          (for --daemon)\n"
"      --progress MODE     tty (redraw), lines, none (default: tty if\n"
"                          stdout is a terminal, else lines)\n"
"      --interval S        progress lines every S s (default 2)\n"
"      --verify            after every flash step, prove that the partition\n"
"                          holds the image (fastboot-lite verify); a board\n"
"                          whose partition differs, or whose device cannot\n"
"                          verify, fails\n"
"      --check             check manifest and images, print the plan, exit\n"
"      --print-manifest    print the built-in manifest\n"
"  -v, --verbose           more detail in the board logs\n"
"  -h, --help\n"
"  -V, --version\n"
"\n"
"Exit: 0 every board flashed; 1 a board failed or fewer boards came than\n"
"asked; 2 usage, manifest or image error; 130 interrupted.\n";

enum {
	OPT_PROGRESS = 0x100,
	OPT_INTERVAL,
	OPT_CHECK,
	OPT_PRINT,
	OPT_JSON_LINES,
	OPT_VERIFY,
};

static const struct option long_opts[] = {
	{ "all",		no_argument,	   NULL, 'a' },
	{ "bootloader",		no_argument,	   NULL, 'b' },
	{ "manifest",		required_argument, NULL, 'm' },
	{ "images",		required_argument, NULL, 'd' },
	{ "boards",		required_argument, NULL, 'n' },
	{ "port",		required_argument, NULL, 'p' },
	{ "daemon",		no_argument,	   NULL, 'D' },
	{ "wait",		required_argument, NULL, 'w' },
	{ "enum-timeout",	required_argument, NULL, 'e' },
	{ "fastboot-timeout",	required_argument, NULL, 't' },
	{ "log-dir",		required_argument, NULL, 'l' },
	{ "report",		required_argument, NULL, 'r' },
	{ "json",		required_argument, NULL, 'j' },
	{ "json-lines",		required_argument, NULL, OPT_JSON_LINES },
	{ "progress",		required_argument, NULL, OPT_PROGRESS },
	{ "interval",		required_argument, NULL, OPT_INTERVAL },
	{ "check",		no_argument,	   NULL, OPT_CHECK },
	{ "verify",		no_argument,	   NULL, OPT_VERIFY },
	{ "print-manifest",	no_argument,	   NULL, OPT_PRINT },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "version",		no_argument,	   NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static volatile sig_atomic_t signals_seen;

/* A board that finished but is still on its port: not flashed again. */
struct seen {
	char port[40];
	char id[40];
};

struct cand {
	char port[40];
	char id[40];
	char uid[24];		/* sysfs uid of an SDP board, "": not known */
	char soc[24];		/* its sysfs soc and hab, as the driver */
	char hab[8];		/* found them at probe ("" not known) */
};

static struct {
	struct fac_opts o;
	struct fac_manifest m;
	struct fac_ctx ctx;
	struct fac_ui *ui;
	struct fac_board *boards;	/* MAX_BOARDS, shared with workers */
	struct fac_board **done;	/* copies of finished boards */
	int ndone, done_cap;
	struct fac_run run;		/* for the JSON report */
	struct seen ignore[MAX_CANDS];
	int nignore;
	int started, target;
	bool sdp;
	bool stopping;			/* no new boards */
	bool aborted;			/* running boards were killed */
	u64 kill_at;			/* SIGKILL deadline, 0: none */
	sigset_t tick_mask;		/* the signal mask while asleep */
} F;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	if (F.ui)
		fac_ui_clear(F.ui);
	fputs("imx-factory: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_err(const char *fmt, ...)
{
	va_list ap;

	fputs("imx-factory: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(imx-factory --help for usage)\n", stderr);
	return FX_USAGE;
}

static void on_signal(int sig)
{
	(void)sig;
	signals_seen++;
}

static int arg_uint(const char *opt, const char *s, unsigned int *v,
		    unsigned int max)
{
	u32 x;

	if (util_parse_u32(s, &x, false) || x > max)
		return usage_err("%s: '%s' is not a number from 0 to %u", opt,
				 s, max);
	*v = x;
	return 0;
}

static int parse_opts(int argc, char **argv)
{
	struct fac_opts *o = &F.o;
	unsigned int n;
	int c, ret;

	o->wait_s = 60;
	o->enum_s = 20;
	o->fb_timeout_s = 60;
	o->interval_s = 2;
	o->logdir = "imx-factory-logs";
	while ((c = getopt_long(argc, argv, "abm:d:n:p:Dw:e:t:l:r:j:vhV",
				long_opts, NULL)) != -1) {
		ret = 0;
		switch (c) {
		case 'a':
			o->bootloader_only = false;
			break;
		case 'b':
			o->bootloader_only = true;
			break;
		case 'm':
			o->manifest = optarg;
			break;
		case 'd':
			o->imgdir = optarg;
			break;
		case 'n':
			ret = arg_uint("-n", optarg, &n, 1000);
			if (!ret && !n)
				ret = usage_err("-n: at least 1 board");
			o->nboards = n;
			break;
		case 'p':
			if (o->nports == (int)ARRAY_SIZE(o->ports))
				return usage_err("--port: at most %zu ports",
						 ARRAY_SIZE(o->ports));
			if (!optarg[0] || strlen(optarg) >= 40)
				return usage_err("--port: '%s' is not a USB port path (e.g. 1-1.2)",
						 optarg);
			o->ports[o->nports++] = optarg;
			break;
		case 'D':
			o->daemon = true;
			break;
		case 'w':
			ret = arg_uint("--wait", optarg, &o->wait_s, 86400);
			break;
		case 'e':
			ret = arg_uint("--enum-timeout", optarg, &o->enum_s,
				       3600);
			if (!ret && !o->enum_s)
				ret = usage_err("--enum-timeout: at least 1 s");
			break;
		case 't':
			ret = arg_uint("--fastboot-timeout", optarg,
				       &o->fb_timeout_s, 86400);
			break;
		case 'l':
			o->logdir = optarg;
			break;
		case 'r':
			o->report = optarg;
			break;
		case 'j':
			o->json = optarg;
			break;
		case OPT_JSON_LINES:
			o->json_lines = optarg;
			break;
		case OPT_PROGRESS:
			if (!strcmp(optarg, "tty"))
				o->progress = FAC_PROGRESS_TTY;
			else if (!strcmp(optarg, "lines"))
				o->progress = FAC_PROGRESS_LINES;
			else if (!strcmp(optarg, "none"))
				o->progress = FAC_PROGRESS_NONE;
			else
				return usage_err("--progress: '%s': use tty, lines or none",
						 optarg);
			break;
		case OPT_INTERVAL:
			ret = arg_uint("--interval", optarg, &o->interval_s,
				       3600);
			break;
		case OPT_CHECK:
			o->check_only = true;
			break;
		case OPT_VERIFY:
			o->verify = true;
			break;
		case OPT_PRINT:
			fputs(fac_default_manifest, stdout);
			exit(FX_OK);
		case 'v':
			util_verbosity++;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(FX_OK);
		case 'V':
			puts("imx-factory " IMX_FACTORY_VERSION);
			exit(FX_OK);
		default:
			return FX_USAGE;
		}
		if (ret)
			return ret;
	}
	if (optind < argc)
		return usage_err("unexpected argument '%s'", argv[optind]);
	if (o->daemon && o->nboards)
		return usage_err("-n and --daemon exclude each other (%s)",
				 "the daemon flashes boards until stopped");
	return 0;
}

/* -d, else $BUILDROOT/output/images, else the manifest's directory. */
static const char *images_dir(char *buf, size_t size)
{
	const char *br = getenv("BUILDROOT"), *slash;

	if (F.o.imgdir)
		return F.o.imgdir;
	if (br && br[0]) {
		snprintf(buf, size, "%s/output/images", br);
		return buf;
	}
	if (F.o.manifest) {
		slash = strrchr(F.o.manifest, '/');
		if (slash) {
			snprintf(buf, size, "%.*s",
				 (int)(slash - F.o.manifest) + 1, F.o.manifest);
			return buf;
		}
	}
	return ".";
}

/* The digests of the shared images, once, for the JSON report. */
static int hash_images(void)
{
	char err[768];
	int i;

	for (i = 0; i < F.m.n; i++) {
		struct fac_step *s = &F.m.step[i];

		if (!s->path || s->per_board)
			continue;
		if (fac_step_hash(s, err, sizeof(err))) {
			util_err("%s:%d: %s", F.m.name, s->line, err);
			return FX_USAGE;
		}
	}
	return 0;
}

static int prepare(void)
{
	char err[768], dirbuf[512];
	const char *dir;
	int ret;

	if (F.o.manifest)
		ret = fac_manifest_load(&F.m, F.o.manifest, err, sizeof(err));
	else
		ret = fac_manifest_parse(&F.m, fac_default_manifest,
					 "(built-in)", err, sizeof(err));
	if (ret) {
		util_err("%s", err);
		return FX_USAGE;
	}
	if (F.o.bootloader_only && fac_manifest_bootloader_only(&F.m)) {
		util_err("-b: %s has no 'sdp boot' step", F.m.name);
		return FX_USAGE;
	}
	dir = images_dir(dirbuf, sizeof(dirbuf));
	if (fac_manifest_resolve(&F.m, dir, err, sizeof(err))) {
		util_err("%s (images from %s)", err, dir);
		return FX_USAGE;
	}
	F.sdp = fac_needs_sdp(&F.m);
	/* a per-board sdp image is each worker's to load and check */
	if (F.sdp && !F.m.step[0].per_board) {
		const char *path = F.m.step[0].path;
		struct sdp_dev chk = { .fd = -1 };

		ret = util_load_file(path, &F.ctx.sdp_image, &F.ctx.sdp_len);
		if (ret) {
			util_err("%s:%d: %s: %s", F.m.name, F.m.step[0].line,
				 path,
				 ret == -EFBIG ? "larger than an SDP transfer can be" :
				 strerror(-ret));
			return FX_USAGE;
		}
		/* The same checks imx-sdp makes, once for every board. */
		if (sdp_boot_precheck(&chk, path, F.ctx.sdp_image,
				      F.ctx.sdp_len)) {
			util_err("%s:%d: sdp boot %s: not a bootable i.MX image (above)",
				 F.m.name, F.m.step[0].line, path);
			return FX_USAGE;
		}
	}
	if (F.o.json || F.o.json_lines) {
		ret = hash_images();
		if (ret)
			return ret;
	}
	F.ctx.o = &F.o;
	F.ctx.m = &F.m;
	if (F.o.check_only) {
		fac_manifest_print(&F.m, stdout);
		printf("images from %s; boards found as %s\n", dir,
		       F.sdp ? "SDP ROMs (hid-imx-sdp)" : "fastboot devices");
		exit(FX_OK);
	}
	return 0;
}

static bool port_wanted(const char *port)
{
	int i;

	if (!F.o.nports)
		return true;
	for (i = 0; i < F.o.nports; i++)
		if (!strcmp(F.o.ports[i], port))
			return true;
	return false;
}

static int cand_fb(const struct fbh_info *info, void *ctx)
{
	struct cand *c = ctx;
	int i;

	for (i = 0; i < MAX_CANDS && c[i].port[0]; i++)
		;
	if (i == MAX_CANDS || !info->port[0])
		return 0;
	fac_strcpy(c[i].port, sizeof(c[i].port), info->port);
	snprintf(c[i].id, sizeof(c[i].id), "%u:%u", info->busnum,
		 info->devnum);
	return 0;
}

/* Boards present now (on wanted ports); returns the count. */
static int scan(struct cand *c)
{
	static struct sdp_board b[MAX_CANDS];
	int i, n = 0, k;

	memset(c, 0, sizeof(*c) * MAX_CANDS);
	if (F.sdp) {
		k = sdp_dev_scan(b, MAX_CANDS);
		for (i = 0; i < k; i++) {
			if (!b[i].port[0] || !port_wanted(b[i].port))
				continue;
			fac_strcpy(c[n].port, sizeof(c[n].port), b[i].port);
			fac_strcpy(c[n].id, sizeof(c[n].id), b[i].name);
			/* 16 hex digits, else "unknown" (or an old driver) */
			if (strlen(b[i].uid) == 16 && !strchr(b[i].uid, ' ') &&
			    strcmp(b[i].uid, "unknown"))
				fac_strcpy(c[n].uid, sizeof(c[n].uid), b[i].uid);
			if (strcmp(b[i].soc, "unknown"))
				fac_strcpy(c[n].soc, sizeof(c[n].soc), b[i].soc);
			if (!strcmp(b[i].hab, "open") || !strcmp(b[i].hab, "closed"))
				fac_strcpy(c[n].hab, sizeof(c[n].hab), b[i].hab);
			n++;
		}
		return n;
	}
	fbh_list(cand_fb, c);
	for (i = 0; i < MAX_CANDS && c[i].port[0]; i++)
		if (port_wanted(c[i].port))
			c[n++] = c[i];
	if (n < MAX_CANDS)
		memset(&c[n], 0, sizeof(*c) * (MAX_CANDS - n));
	return n;
}

static struct fac_board *board_on_port(const char *port)
{
	int i;

	for (i = 0; i < MAX_BOARDS; i++)
		if (F.boards[i].used && !strcmp(F.boards[i].port, port))
			return &F.boards[i];
	return NULL;
}

static bool ignored(const struct cand *c)
{
	int i;

	for (i = 0; i < F.nignore; i++)
		if (!strcmp(F.ignore[i].port, c->port) &&
		    !strcmp(F.ignore[i].id, c->id))
			return true;
	return false;
}

/* Forget finished boards that have left their port. */
static void prune_ignore(const struct cand *c, int n)
{
	int i, j;

	for (i = 0; i < F.nignore; i++) {
		for (j = 0; j < n; j++)
			if (!strcmp(F.ignore[i].port, c[j].port) &&
			    !strcmp(F.ignore[i].id, c[j].id))
				break;
		if (j == n)
			F.ignore[i--] = F.ignore[--F.nignore];
	}
}

/*
 * The board's log is named after its unique ID, so that a board flashed
 * again (another run, another port) adds to its own log; after its port
 * when it has none.
 */
static void log_path(struct fac_board *s)
{
	char port[40];
	size_t i;

	if (s->uid[0]) {
		snprintf(s->log, sizeof(s->log), "%s/uid-%s.log", F.o.logdir,
			 s->uid);
		return;
	}
	/* a port path has no '/', but be sure the name stays in the dir */
	snprintf(port, sizeof(port), "%s", s->port);
	for (i = 0; port[i]; i++)
		if (port[i] == '/')
			port[i] = '_';
	snprintf(s->log, sizeof(s->log), "%s/port-%s.log", F.o.logdir, port);
}

static int start_board(const struct cand *c)
{
	struct fac_board *s = NULL;
	pid_t pid;
	int i;

	for (i = 0; i < MAX_BOARDS && !s; i++)
		if (!F.boards[i].used)
			s = &F.boards[i];
	if (!s)
		return -EBUSY;
	memset(s, 0, sizeof(*s));
	s->used = 1;
	s->number = ++F.started;
	fac_strcpy(s->port, sizeof(s->port), c->port);
	fac_strcpy(s->id, sizeof(s->id), c->id);
	fac_strcpy(s->uid, sizeof(s->uid), c->uid);
	fac_strcpy(s->st.uid, sizeof(s->st.uid), c->uid);
	fac_strcpy(s->st.soc, sizeof(s->st.soc), c->soc);
	fac_strcpy(s->st.hab, sizeof(s->st.hab), c->hab);
	log_path(s);
	s->started = time(NULL);
	s->st.step = -1;
	memset(s->st.step_verified, FAC_VERIFY_NOT_ASKED,
	       sizeof(s->st.step_verified));
	s->st.t_start = util_now_ms();
	if (F.sdp)
		snprintf(s->st.node, sizeof(s->st.node), "%s", c->id);
	say("board %d: %s on port %s, unique ID %s, log %s", s->number,
	    F.sdp ? "i.MX ROM" : "fastboot device", s->port,
	    s->uid[0] ? s->uid : "unknown", s->log);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		s->st.result = FAC_FAILED;
		s->st.t_end = util_now_ms();
		snprintf(s->st.reason, sizeof(s->st.reason), "fork: %s",
			 strerror(errno));
		s->pid = 0;
		return 0;
	}
	if (!pid) {
		/* a worker's own children (decompressors) are its business */
		signal(SIGCHLD, SIG_DFL);
		sigprocmask(SIG_SETMASK, &F.tick_mask, NULL);
		_exit(fac_board_run(&F.ctx, s));
	}
	s->pid = pid;
	return 0;
}

static void keep_done(struct fac_board *s)
{
	struct fac_board *copy;

	if (F.ndone == F.done_cap) {
		int cap = F.done_cap ? F.done_cap * 2 : 16;
		struct fac_board **d = realloc(F.done, cap * sizeof(*d));

		if (!d)
			return;
		F.done = d;
		F.done_cap = cap;
	}
	copy = malloc(sizeof(*copy));
	if (!copy)
		return;
	fac_status_read(&s->st, &copy->st);
	memcpy((char *)copy + sizeof(copy->st), (char *)s + sizeof(s->st),
	       sizeof(*s) - sizeof(s->st));
	F.done[F.ndone++] = copy;
}

/* The JSON document as it stands: every finished board. */
static void json_write(void)
{
	char why[300];

	if (F.o.json &&
	    fac_json_report(F.o.json, &F.run, F.done, F.ndone, why, sizeof(why)))
		util_err("--json %s: %s", F.o.json, why);
}

/* A board finished: the JSON document again, and its line. */
static void json_board_done(const struct fac_board *b)
{
	char why[300];

	json_write();
	if (F.o.json_lines &&
	    fac_json_append(F.o.json_lines, &F.run, b, why, sizeof(why)))
		util_err("--json-lines %s: %s", F.o.json_lines, why);
}

/* A worker has ended (or never started): note why, keep its record. */
static void finish_board(struct fac_board *s, int status)
{
	struct fac_status st;

	fac_status_read(&s->st, &st);
	if (st.result == FAC_RUNNING) {
		/* died without a verdict: killed by us, or crashed */
		s->st.result = F.stopping && WIFSIGNALED(status) ?
			       FAC_ABORTED : FAC_FAILED;
		s->st.t_end = util_now_ms();
		if (WIFSIGNALED(status))
			snprintf(s->st.reason, sizeof(s->st.reason),
				 "%s: worker ended by signal %d",
				 fac_stage_name(&st, F.o.bootloader_only),
				 WTERMSIG(status));
		else
			snprintf(s->st.reason, sizeof(s->st.reason),
				 "%s: worker exited with status %d and no result",
				 fac_stage_name(&st, F.o.bootloader_only),
				 WEXITSTATUS(status));
	}
	if (F.ui)
		fac_ui_done(F.ui, s);
	keep_done(s);
	/* the report is kept current: a daemon runs for days */
	if (F.o.report)
		fac_report(F.o.report, F.done, F.ndone, &F.m,
			   F.o.bootloader_only);
	json_board_done(s);
	if (F.nignore < MAX_CANDS) {
		snprintf(F.ignore[F.nignore].port, sizeof(F.ignore[0].port),
			 "%s", s->port);
		snprintf(F.ignore[F.nignore].id, sizeof(F.ignore[0].id), "%s",
			 s->id);
		F.nignore++;
	}
	s->used = 0;
}

static int running(void)
{
	int i, n = 0;

	for (i = 0; i < MAX_BOARDS; i++)
		n += F.boards[i].used;
	return n;
}

static void reap(void)
{
	int i, status;
	pid_t pid;

	for (i = 0; i < MAX_BOARDS; i++) {
		struct fac_board *s = &F.boards[i];

		if (!s->used)
			continue;
		if (!s->pid) {
			finish_board(s, 0);
			continue;
		}
		pid = waitpid(s->pid, &status, WNOHANG);
		if (pid == s->pid)
			finish_board(s, status);
	}
}

static void kill_all(int sig)
{
	int i;

	for (i = 0; i < MAX_BOARDS; i++)
		if (F.boards[i].used && F.boards[i].pid)
			kill(F.boards[i].pid, sig);
}

static void redraw(void)
{
	struct fac_board *live[MAX_BOARDS];
	int i, j, n = 0;

	if (!F.ui)
		return;
	for (i = 0; i < MAX_BOARDS; i++)
		if (F.boards[i].used)
			live[n++] = &F.boards[i];
	/* in board order */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && live[j - 1]->number > live[j]->number; j--) {
			struct fac_board *t = live[j];

			live[j] = live[j - 1];
			live[j - 1] = t;
		}
	fac_ui_update(F.ui, live, n);
}

/* Signals: the first stops new boards (and, unless daemon, aborts). */
static void handle_signals(int *handled)
{
	if (signals_seen == *handled)
		return;
	*handled = signals_seen;
	if (!F.stopping) {
		F.stopping = true;
		if (F.o.daemon && *handled == 1 && running()) {
			say("stopping: waiting for %d board%s in progress %s%s)",
			    running(), running() == 1 ? "" : "s",
			    "(signal again to abort ",
			    running() == 1 ? "it" : "them");
			return;
		}
	}
	if (running() && !F.kill_at) {
		say("aborting %d board%s", running(),
		    running() == 1 ? "" : "s");
		kill_all(SIGTERM);
		F.kill_at = util_now_ms() + KILL_GRACE_MS;
		F.aborted = true;
	}
}

/*
 * The loop's tick. SIGCHLD, SIGINT and SIGTERM are blocked everywhere
 * else and let through only here: a worker that ends wakes the loop at
 * once (its board's time is the wall time an MES sees), and so does a
 * stop request, without the race of a signal that comes just before
 * the sleep.
 */
static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	ppoll(NULL, 0, &ts, &F.tick_mask);
}

static void on_child(int sig)
{
	(void)sig;	/* only there to end ppoll() */
}

static void print_wait_target(void)
{
	char ports[512] = "";
	int i;

	for (i = 0; i < F.o.nports; i++)
		snprintf(ports + strlen(ports), sizeof(ports) - strlen(ports),
			 "%s%s", i ? " " : "", F.o.ports[i]);
	if (F.o.daemon)
		say("daemon: flashing every board that appears%s%s (stop with Ctrl-C or SIGTERM)",
		    F.o.nports ? " on ports " : "", ports);
	else
		say("waiting for %d board%s%s%s", F.target,
		    F.target == 1 ? "" : "s", F.o.nports ? " on ports " : "",
		    ports);
}

/* --port given, not all came: name the missing ones. */
static void missing_ports(char *buf, size_t size)
{
	int i, j;

	buf[0] = '\0';
	for (i = 0; i < F.o.nports; i++) {
		for (j = 0; j < F.ndone; j++)
			if (!strcmp(F.done[j]->port, F.o.ports[i]))
				break;
		if (j == F.ndone)
			snprintf(buf + strlen(buf), size - strlen(buf), " %s",
				 F.o.ports[i]);
	}
}

static int run(void)
{
	static struct cand c[MAX_CANDS];
	u64 t0 = util_now_ms(), last_scan = 0, last_draw = 0;
	bool gave_up = false;
	int i, n, handled = 0;

	n = scan(c);
	if (F.o.daemon)
		F.target = 0;
	else if (F.o.nboards)
		F.target = F.o.nboards;
	else if (F.o.nports)
		F.target = F.o.nports;
	else
		F.target = n ? n : 1;
	print_wait_target();

	for (;;) {
		u64 now = util_now_ms();

		handle_signals(&handled);
		if (F.kill_at && now >= F.kill_at) {
			kill_all(SIGKILL);
			F.kill_at = 0;
		}
		reap();
		if (!F.stopping && now - last_scan >= SCAN_MS) {
			last_scan = now;
			n = scan(c);
			prune_ignore(c, n);
			for (i = 0; i < n; i++) {
				if (!F.o.daemon && F.started >= F.target)
					break;
				if (board_on_port(c[i].port) || ignored(&c[i]))
					continue;
				if (start_board(&c[i]))
					break;	/* MAX_BOARDS in flight: next scan */
			}
		}
		if (!F.o.daemon && !F.stopping && F.started < F.target &&
		    F.o.wait_s && now - t0 >= (u64)F.o.wait_s * 1000) {
			say("only %d of %d board%s appeared within %u s%s",
			    F.started, F.target, F.target == 1 ? "" : "s",
			    F.o.wait_s, F.sdp && access(SDP_CLASS_DIR, F_OK) ?
			    " (no " SDP_CLASS_DIR ": is hid-imx-sdp loaded?)" : "");
			F.stopping = true;
			gave_up = true;
		}
		if (!F.o.daemon && F.started >= F.target)
			F.stopping = true;
		if (F.stopping && !running())
			break;
		if (now - last_draw >= 200) {
			last_draw = now;
			redraw();
		}
		sleep_ms(TICK_MS);
	}
	return gave_up || (F.started < F.target) ? FX_FAILED : FX_OK;
}

static void sort_done(void)
{
	int i, j;

	for (i = 1; i < F.ndone; i++)
		for (j = i; j > 0 && F.done[j - 1]->number > F.done[j]->number;
		     j--) {
			struct fac_board *t = F.done[j];

			F.done[j] = F.done[j - 1];
			F.done[j - 1] = t;
		}
}

static int summary(int ret, u64 t0)
{
	char missing[512];
	int i, ok = 0;
	u64 ms = util_now_ms() - t0;

	sort_done();
	for (i = 0; i < F.ndone; i++)
		ok += F.done[i]->st.result == FAC_OK;
	if (F.ui)
		fac_ui_clear(F.ui);
	printf("\nimx-factory: %d board%s, %d ok, %d failed, %llu.%llu s (manifest %s%s)\n",
	       F.ndone, F.ndone == 1 ? "" : "s", ok, F.ndone - ok,
	       (unsigned long long)(ms / 1000),
	       (unsigned long long)(ms % 1000 / 100), F.m.name,
	       F.o.bootloader_only ? ", bootloader only" : "");
	if (F.ndone)
		fac_table(F.done, F.ndone, F.o.bootloader_only, stdout);
	missing_ports(missing, sizeof(missing));
	if (!F.o.daemon && missing[0])
		printf("no board came on port%s%s\n",
		       strchr(missing + 1, ' ') ? "s" : "", missing);
	if (F.o.report) {
		int err = fac_report(F.o.report, F.done, F.ndone, &F.m,
				     F.o.bootloader_only);

		if (err)
			util_err("report %s: %s", F.o.report, strerror(-err));
	}
	F.run.finished = time(NULL);
	F.run.interrupted = signals_seen != 0;
	json_write();
	fflush(stdout);
	/* a daemon stopped by its first signal ends normally */
	if (signals_seen && (!F.o.daemon || F.aborted))
		return FX_INTR;
	if (ok < F.ndone)
		return FX_FAILED;
	return ret;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t held;
	u64 t0 = util_now_ms();
	int ret;

	util_set_prog("imx-factory");
	ret = parse_opts(argc, argv);
	if (ret)
		return ret;
	ret = prepare();
	if (ret)
		return ret;
	if (mkdir(F.o.logdir, 0755) && errno != EEXIST) {
		util_err("log dir %s: %s", F.o.logdir, strerror(errno));
		return FX_USAGE;
	}
	F.boards = mmap(NULL, sizeof(*F.boards) * MAX_BOARDS,
			PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
		       0);
	if (F.boards == MAP_FAILED) {
		util_err("mmap: %s", strerror(errno));
		return FX_FAILED;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_child;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&held);
	sigaddset(&held, SIGCHLD);
	sigaddset(&held, SIGINT);
	sigaddset(&held, SIGTERM);
	sigprocmask(SIG_BLOCK, &held, &F.tick_mask);
	sigdelset(&F.tick_mask, SIGCHLD);
	sigdelset(&F.tick_mask, SIGINT);
	sigdelset(&F.tick_mask, SIGTERM);
	signal(SIGPIPE, SIG_IGN);
	F.ui = fac_ui_new(F.o.progress, F.o.interval_s ? F.o.interval_s : 1,
			  &F.m);

	F.run.m = &F.m;
	F.run.started = time(NULL);
	F.run.bootloader_only = F.o.bootloader_only;
	say("manifest %s, %d step%s%s", F.m.name, F.m.n, F.m.n == 1 ? "" : "s",
	    F.o.bootloader_only ? " (bootloader only)" : "");
	/* the document exists from the start: an MES sees the run begin */
	json_write();
	ret = run();
	ret = summary(ret, t0);
	fac_ui_free(F.ui);
	return ret;
}
