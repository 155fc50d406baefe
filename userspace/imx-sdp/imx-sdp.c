// SPDX-License-Identifier: GPL-2.0
/*
 * imx-sdp: talk to i.MX boot ROMs in serial download mode through
 * hid-imx-sdp (/dev/imx-sdpN). See imx-sdp(1).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <imxflash/sdp_proto.h>
#include <imxflash/sdp_soc.h>

#include "progress.h"
#include "sdp-host.h"
#include "util.h"

#define IMX_SDP_VERSION	"0.1"

static const char usage_text[] =
"usage: imx-sdp [options] COMMAND [args]\n"
"\n"
"Commands:\n"
"  list                         boards: node, SoC, HAB, unique ID, state,\n"
"                               port, VID:PID\n"
"  status                       ROM error status and board information\n"
"  uid                          the SoC's unique ID (fuses), 16 hex digits\n"
"  read ADDR [COUNT] [-w 8|16|32] [-o FILE]\n"
"                               READ_REGISTER: hexdump, or raw bytes to FILE\n"
"  write-reg ADDR VALUE [-w 8|16|32]   WRITE_REGISTER\n"
"  write ADDR FILE [--pad]      WRITE_FILE of FILE to ADDR\n"
"  dcd FILE                     DCD_WRITE of the image's DCD to the ROM's\n"
"                               scratch address (the ROM runs it)\n"
"  skip-dcd                     SKIP_DCD_HEADER\n"
"  jump ADDR                    JUMP_ADDRESS to the IVT at ADDR\n"
"  boot FILE [--verify] [--no-jump] [--keep-dcd]\n"
"                               load and start a .imx image (DCD, plugin,\n"
"                               per-SoC rule), as imx_usb does\n"
"  wait [--timeout S]           wait until a board (on --port) is there;\n"
"                               prints its node\n"
"\n"
"Options:\n"
"  -d, --device NODE    board /dev/imx-sdpN (also imx-sdpN or N)\n"
"  -p, --port PATH      board on USB port PATH (e.g. 1-1.2)\n"
"                       default: the only board\n"
"  -t, --timeout-ms MS  ROM reply timeout per command (driver default 5000)\n"
"  -w, --width BITS     access width of read/write-reg (default 32)\n"
"  -o, --output FILE    read: write raw bytes to FILE ('-' = stdout)\n"
"      --pad            write: pad the last 1 KiB report with zeros\n"
"      --verify         boot: read the loaded image back and compare\n"
"      --no-jump        boot: load everything but do not JUMP\n"
"      --keep-dcd       boot: send the image unchanged (default: as\n"
"                       imx_usb, IVT.dcd and plugin zeroed in the copy)\n"
"      --timeout S      wait: give up after S seconds (default: never)\n"
"  -q, --quiet          only errors\n"
"  -v, --verbose        every command with the ROM's HAB state and status\n"
"  -h, --help           this text\n"
"  -V, --version\n"
"\n"
"Numbers: decimal, 0x hex; COUNT takes K/M suffixes.\n"
"\n"
"Exit codes: 0 ok, 1 ROM refused a command / protocol error / verify\n"
"mismatch, 2 usage, 3 bad file or image, 4 no board / several boards /\n"
"cannot open, 5 board left the bus, 6 ROM timeout or wait timeout,\n"
"130 interrupted.\n";

enum {
	OPT_PAD = 0x100,
	OPT_VERIFY,
	OPT_NO_JUMP,
	OPT_TIMEOUT,
	OPT_KEEP_DCD,
};

static const struct option long_opts[] = {
	{ "device",	required_argument, NULL, 'd' },
	{ "port",	required_argument, NULL, 'p' },
	{ "timeout-ms",	required_argument, NULL, 't' },
	{ "width",	required_argument, NULL, 'w' },
	{ "output",	required_argument, NULL, 'o' },
	{ "pad",	no_argument,	   NULL, OPT_PAD },
	{ "verify",	no_argument,	   NULL, OPT_VERIFY },
	{ "no-jump",	no_argument,	   NULL, OPT_NO_JUMP },
	{ "timeout",	required_argument, NULL, OPT_TIMEOUT },
	{ "keep-dcd",	no_argument,	   NULL, OPT_KEEP_DCD },
	{ "quiet",	no_argument,	   NULL, 'q' },
	{ "verbose",	no_argument,	   NULL, 'v' },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "version",	no_argument,	   NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

struct opts {
	const char *device;
	const char *port;
	u32 timeout_ms;
	unsigned int width;	/* 0 = not given */
	const char *output;
	bool pad, verify, no_jump;
	enum sdp_ivt_mode ivt;
	u64 wait_ms;		/* 0: forever */
	int argc;
	char **argv;
};

static int usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", util_prog());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(%s --help for usage)\n", util_prog());
	return EXIT_USAGE;
}

static void on_signal(int sig)
{
	(void)sig;
	sdp_interrupted = 1;
}

static void setup_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: the driver's waits return -EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int arg_u32(const char *what, const char *s, u32 *v, bool size)
{
	int err = util_parse_u32(s, v, size);

	if (err)
		return usage_err("%s: '%s' is not a %s", what, s,
				 err == -ERANGE ? "32-bit number" : "number");
	return EXIT_OK;
}

static int open_board(const struct opts *o, struct sdp_dev *d)
{
	int ret = sdp_dev_open(d, o->device, o->port);

	if (ret)
		return ret;
	d->timeout_ms = o->timeout_ms;
	d->progress = progress_wanted();
	util_vmsg("%s: %s (%04x:%04x), port %s, DCD scratch 0x%08x%s",
		  d->node, d->info.soc[0] ? d->info.soc : "?", d->info.vendor,
		  d->info.product, d->info.port[0] ? d->info.port : "?",
		  d->info.dcd_addr,
		  d->info.flags & IMX_SDP_INFO_SKIP_DCD ? ", takes SKIP_DCD_HEADER" :
		  "");
	return EXIT_OK;
}

static int cmd_list(const struct opts *o, struct sdp_dev *d)
{
	static struct sdp_board b[256];
	int n, i;

	(void)o;
	(void)d;
	n = sdp_dev_scan(b, 256);
	if (!n) {
		if (util_verbosity >= 0)
			fprintf(stderr, "no i.MX board in serial download mode (%s is empty)\n",
				SDP_CLASS_DIR);
		return EXIT_OK;
	}
	if (util_verbosity < 0) {
		for (i = 0; i < n; i++)
			printf("%s\n", b[i].node);
		return EXIT_OK;
	}
	printf("%-16s %-9s %-7s %-16s %-6s %-12s %s\n", "NODE", "SOC", "HAB",
	       "UID", "STATE", "PORT", "USB");
	for (i = 0; i < n; i++)
		printf("%-16s %-9s %-7s %-16s %-6s %-12s %04x:%04x\n", b[i].node,
		       b[i].soc[0] ? b[i].soc : "?",
		       b[i].hab[0] ? b[i].hab : "?",
		       b[i].uid[0] ? b[i].uid : "?",
		       b[i].state[0] ? b[i].state : "?",
		       b[i].port[0] ? b[i].port : "?", b[i].vid, b[i].pid);
	return EXIT_OK;
}

static int cmd_status(const struct opts *o, struct sdp_dev *d)
{
	char st[160], drv[256];
	u32 status;
	int ret;

	ret = open_board(o, d);
	if (ret)
		return ret;
	ret = sdp_error_status(d, &status);
	if (ret)
		return ret;
	sdp_status_format(st, sizeof(st), status);
	if (util_verbosity < 0) {
		printf("0x%08x\n", status);
		return EXIT_OK;
	}
	printf("node:         %s\n", d->node);
	printf("soc:          %s\n", d->info.soc[0] ? d->info.soc : "?");
	printf("usb:          %04x:%04x, port %s\n", d->info.vendor,
	       d->info.product, d->info.port[0] ? d->info.port : "?");
	printf("hab:          %s\n",
	       d->info.hab == IMX_SDP_HAB_CLOSED ? "closed (secure boot)" :
	       d->info.hab == IMX_SDP_HAB_OPEN ? "open" : "unknown");
	if (d->info.flags & IMX_SDP_INFO_UID)
		printf("uid:          %016llX\n",
		       (unsigned long long)d->info.uid);
	else
		printf("uid:          unknown (see imx-sdp uid)\n");
	printf("dcd scratch:  0x%08x\n", d->info.dcd_addr);
	printf("before jump:  %s\n",
	       d->info.flags & IMX_SDP_INFO_SKIP_DCD ?
	       "IVT.dcd zeroed, SKIP_DCD_HEADER (ROM takes it)" :
	       "IVT.dcd zeroed (no SKIP_DCD_HEADER)");
	printf("ivt version:  0x%02x\n",
	       d->info.flags & IMX_SDP_INFO_IVT_V41 ? 0x41 : 0x40);
	printf("error status: %s\n", st);
	sdp_dev_last_error(d, drv, sizeof(drv));
	if (drv[0])
		printf("last error:   %s\n", drv);
	return EXIT_OK;
}

static int cmd_uid(const struct opts *o, struct sdp_dev *d)
{
	char text[SDP_UID_HEX_LEN + 1];
	u64 uid;
	int ret;

	ret = open_board(o, d);
	if (!ret)
		ret = sdp_read_uid(d, &uid);
	if (ret)
		return ret;
	sdp_uid_format(uid, text);
	printf("%s\n", text);
	return EXIT_OK;
}

static void hexdump(u32 addr, const u8 *p, u32 len, unsigned int width)
{
	unsigned int step = width / 8, i, j;
	u32 off;

	for (off = 0; off < len; off += 16) {
		u32 n = len - off < 16 ? len - off : 16;

		printf("%08x:", addr + off);
		for (i = 0; i < n; i += step) {
			u32 v = 0;

			for (j = 0; j < step; j++)
				v |= (u32)p[off + i + j] << (8 * j);
			printf(" %0*x", (int)step * 2, v);
		}
		if (width == 8) {
			printf("%*s  ", (int)(16 - n) * 3, "");
			for (i = 0; i < n; i++) {
				u8 c = p[off + i];

				putchar(c >= 0x20 && c < 0x7f ? c : '.');
			}
		}
		putchar('\n');
	}
}

static int write_out(const char *path, const u8 *p, u32 len)
{
	bool to_stdout = !strcmp(path, "-");
	FILE *f = to_stdout ? stdout : fopen(path, "wb");
	int err = 0;

	if (!f) {
		util_err("%s: %s", path, strerror(errno));
		return EXIT_IMAGE;
	}
	errno = 0;
	if (fwrite(p, 1, len, f) != len)
		err = errno ? errno : EIO;
	/* closed (or flushed) even after a short write */
	if ((to_stdout ? fflush(f) : fclose(f)) && !err)
		err = errno;
	if (err) {
		util_err("%s: write failed: %s", path, strerror(err));
		return EXIT_IMAGE;
	}
	return EXIT_OK;
}

static int cmd_read(const struct opts *o, struct sdp_dev *d)
{
	unsigned int width = o->width ? o->width : 32;
	u32 addr, count = width / 8;
	u8 *buf;
	int ret;

	ret = arg_u32("ADDR", o->argv[1], &addr, false);
	if (!ret && o->argc > 2)
		ret = arg_u32("COUNT", o->argv[2], &count, true);
	if (ret)
		return ret;
	if (!count || count % (width / 8) || count > IMX_SDP_MAX_XFER)
		return usage_err("read: COUNT %u must be 1..%u and a multiple of %u bytes (-w %u)",
				 count, IMX_SDP_MAX_XFER, width / 8, width);
	if ((u64)addr + count > 0x100000000ull)
		return usage_err("read: 0x%08x + %u passes the 4 GiB address space",
				 addr, count);
	ret = open_board(o, d);
	if (ret)
		return ret;
	buf = malloc(count);
	if (!buf) {
		util_err("read: out of memory for %u bytes", count);
		return EXIT_ROM;
	}
	ret = sdp_read_mem(d, addr, buf, count, sdp_format_of_width(width),
			   NULL);
	if (!ret) {
		if (o->output)
			ret = write_out(o->output, buf, count);
		else
			hexdump(addr, buf, count, width);
	}
	free(buf);
	return ret;
}

static int cmd_write_reg(const struct opts *o, struct sdp_dev *d)
{
	unsigned int width = o->width ? o->width : 32;
	u32 addr, value;
	int ret;

	ret = arg_u32("ADDR", o->argv[1], &addr, false);
	if (!ret)
		ret = arg_u32("VALUE", o->argv[2], &value, false);
	if (ret)
		return ret;
	if (width < 32 && value >> width)
		return usage_err("write-reg: VALUE 0x%x does not fit in %u bits",
				 value, width);
	ret = open_board(o, d);
	if (ret)
		return ret;
	ret = sdp_write_reg(d, addr, value, sdp_format_of_width(width));
	if (!ret)
		util_msg("WRITE_REGISTER 0x%08x = 0x%0*x: ok", addr, (int)width / 4,
			 value);
	return ret;
}

static int load_image_file(const char *path, u8 **buf, size_t *len)
{
	int err = util_load_file(path, buf, len);

	if (!err)
		return EXIT_OK;
	if (err == -ENODATA)
		util_err("%s: empty file", path);
	else if (err == -EFBIG)
		util_err("%s: larger than %u bytes (one transfer)", path,
			 IMX_SDP_MAX_XFER);
	else
		util_err("%s: %s", path, strerror(-err));
	return EXIT_IMAGE;
}

static int cmd_write(const struct opts *o, struct sdp_dev *d)
{
	size_t len;
	u32 addr;
	u8 *buf;
	int ret;

	ret = arg_u32("ADDR", o->argv[1], &addr, false);
	if (ret)
		return ret;
	ret = load_image_file(o->argv[2], &buf, &len);
	if (ret)
		return ret;
	if ((u64)addr + len > 0x100000000ull) {
		free(buf);
		return usage_err("write: 0x%08x + %zu bytes passes the 4 GiB address space",
				 addr, len);
	}
	ret = open_board(o, d);
	if (!ret)
		ret = sdp_write_file(d, addr, buf, (u32)len,
				     o->pad ? IMX_SDP_F_PAD : 0, o->argv[2]);
	free(buf);
	return ret;
}

static int cmd_image(const struct opts *o, struct sdp_dev *d, bool boot)
{
	struct sdp_boot_opts bo = { .verify = o->verify,
				    .no_jump = o->no_jump, .ivt = o->ivt };
	size_t len;
	u8 *buf;
	int ret;

	ret = load_image_file(o->argv[1], &buf, &len);
	if (ret)
		return ret;
	/* A bad file is reported as such, board or not. */
	ret = boot ? sdp_boot_precheck(d, o->argv[1], buf, len) :
		     sdp_dcd_precheck(d, o->argv[1], buf, len);
	if (!ret)
		ret = open_board(o, d);
	if (!ret)
		ret = boot ? sdp_boot(d, o->argv[1], buf, len, &bo) :
			     sdp_send_dcd_file(d, o->argv[1], buf, len);
	free(buf);
	return ret;
}

static int cmd_dcd(const struct opts *o, struct sdp_dev *d)
{
	return cmd_image(o, d, false);
}

static int cmd_boot(const struct opts *o, struct sdp_dev *d)
{
	return cmd_image(o, d, true);
}

static int cmd_skip_dcd(const struct opts *o, struct sdp_dev *d)
{
	int ret = open_board(o, d);

	if (!ret)
		ret = sdp_skip_dcd(d);
	if (!ret)
		util_msg("SKIP_DCD_HEADER: ok (the next JUMP does not run the DCD)");
	return ret;
}

static int cmd_jump(const struct opts *o, struct sdp_dev *d)
{
	u32 addr;
	int ret;

	ret = arg_u32("ADDR", o->argv[1], &addr, false);
	if (ret)
		return ret;
	ret = open_board(o, d);
	if (!ret)
		ret = sdp_jump(d, addr);
	return ret;
}

static bool board_matches(const struct opts *o, const struct sdp_board *b)
{
	char node[80];

	if (o->port && strcmp(o->port, b->port))
		return false;
	if (o->device) {
		if (strchr(o->device, '/'))
			snprintf(node, sizeof(node), "%s", o->device);
		else if (o->device[0] >= '0' && o->device[0] <= '9')
			snprintf(node, sizeof(node), "/dev/imx-sdp%s",
				 o->device);
		else
			snprintf(node, sizeof(node), "/dev/%s", o->device);
		if (strcmp(node, b->node))
			return false;
	}
	return strcmp(b->state, "gone") != 0;
}

static int cmd_wait(const struct opts *o, struct sdp_dev *d)
{
	static struct sdp_board b[256];
	u64 t0 = util_now_ms();
	bool warned = false;
	struct timespec ts = { 0, 100 * 1000000L };
	int n, i, found;

	(void)d;
	for (;;) {
		n = sdp_dev_scan(b, 256);
		found = 0;
		for (i = 0; i < n; i++) {
			if (!board_matches(o, &b[i]))
				continue;
			/* udev may not have applied permissions yet */
			if (access(b[i].node, R_OK | W_OK)) {
				if (!warned && util_now_ms() - t0 > 3000) {
					util_warn("%s is there but not accessible: %s",
						  b[i].node, strerror(errno));
					warned = true;
				}
				continue;
			}
			printf("%s\n", b[i].node);
			found++;
		}
		if (found) {
			fflush(stdout);
			return EXIT_OK;
		}
		if (sdp_interrupted)
			return EXIT_INTR;
		if (o->wait_ms && util_now_ms() - t0 >= o->wait_ms) {
			util_err("no board%s%s%s%s after %llu.%03llu s",
				 o->port ? " on port " : "", o->port ? o->port : "",
				 o->device ? " at " : "", o->device ? o->device : "",
				 o->wait_ms / 1000, o->wait_ms % 1000);
			return EXIT_TIMEOUT;
		}
		nanosleep(&ts, NULL);
	}
}

struct command {
	const char *name;
	int (*fn)(const struct opts *o, struct sdp_dev *d);
	int min_args, max_args;	/* after the command name */
	const char *args;
	unsigned int opts;	/* command-specific options allowed */
};

#define O_WIDTH		0x01
#define O_OUTPUT	0x02
#define O_PAD		0x04
#define O_VERIFY	0x08
#define O_NOJUMP	0x10
#define O_TIMEOUT	0x20
#define O_IVT		0x40

static const struct command commands[] = {
	{ "list",	cmd_list,	0, 0, "",		0 },
	{ "status",	cmd_status,	0, 0, "",		0 },
	{ "uid",	cmd_uid,	0, 0, "",		0 },
	{ "read",	cmd_read,	1, 2, "ADDR [COUNT]",	O_WIDTH | O_OUTPUT },
	{ "write-reg",	cmd_write_reg,	2, 2, "ADDR VALUE",	O_WIDTH },
	{ "write",	cmd_write,	2, 2, "ADDR FILE",	O_PAD },
	{ "dcd",	cmd_dcd,	1, 1, "FILE",		0 },
	{ "skip-dcd",	cmd_skip_dcd,	0, 0, "",		0 },
	{ "jump",	cmd_jump,	1, 1, "ADDR",		0 },
	{ "boot",	cmd_boot,	1, 1, "FILE",
	  O_VERIFY | O_NOJUMP | O_IVT },
	{ "wait",	cmd_wait,	0, 0, "",		O_TIMEOUT },
};

static int run(const struct command *c, struct opts *o)
{
	struct sdp_dev d = { .fd = -1 };
	int ret;

	ret = c->fn(o, &d);
	sdp_dev_close(&d);
	if (sdp_interrupted && ret != EXIT_OK)
		return EXIT_INTR;
	return ret;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	unsigned int used = 0, i;
	const struct command *c = NULL;
	u32 v;
	int opt;

	util_set_prog("imx-sdp");
	while ((opt = getopt_long(argc, argv, "d:p:t:w:o:qvhV", long_opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'd':
			o.device = optarg;
			break;
		case 'p':
			o.port = optarg;
			break;
		case 't':
			if (arg_u32("--timeout-ms", optarg, &o.timeout_ms,
				    false))
				return EXIT_USAGE;
			break;
		case 'w':
			if (arg_u32("--width", optarg, &v, false))
				return EXIT_USAGE;
			if (v != 8 && v != 16 && v != 32)
				return usage_err("--width must be 8, 16 or 32");
			o.width = v;
			used |= O_WIDTH;
			break;
		case 'o':
			o.output = optarg;
			used |= O_OUTPUT;
			break;
		case OPT_PAD:
			o.pad = true;
			used |= O_PAD;
			break;
		case OPT_VERIFY:
			o.verify = true;
			used |= O_VERIFY;
			break;
		case OPT_NO_JUMP:
			o.no_jump = true;
			used |= O_NOJUMP;
			break;
		case OPT_TIMEOUT:
			if (util_parse_seconds_ms(optarg, &o.wait_ms))
				return usage_err("--timeout: '%s' is not a number of seconds",
						 optarg);
			used |= O_TIMEOUT;
			break;
		case OPT_KEEP_DCD:
			o.ivt = SDP_IVT_KEEP;
			used |= O_IVT;
			break;
		case 'q':
			util_verbosity = -1;
			break;
		case 'v':
			if (util_verbosity >= 0)
				util_verbosity++;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		case 'V':
			printf("imx-sdp (imxflash) %s\n", IMX_SDP_VERSION);
			return EXIT_OK;
		default:
			fputs("(imx-sdp --help for usage)\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return usage_err("no command given (list, status, uid, read, write-reg, write, dcd, skip-dcd, jump, boot, wait)");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[optind], commands[i].name))
			c = &commands[i];
	if (!c)
		return usage_err("unknown command '%s'", argv[optind]);
	o.argc = argc - optind;
	o.argv = argv + optind;
	if (o.argc - 1 < c->min_args || o.argc - 1 > c->max_args)
		return usage_err("usage: imx-sdp %s %s", c->name, c->args);
	if (used & ~c->opts) {
		static const char * const names[] = {
			"-w/--width", "-o/--output", "--pad", "--verify",
			"--no-jump", "--timeout", "--keep-dcd",
		};

		for (i = 0; !((used & ~c->opts) >> i & 1); i++)
			;
		return usage_err("%s is not an option of '%s' (see --help)",
				 names[i], c->name);
	}
	setup_signals();
	return run(c, &o);
}
