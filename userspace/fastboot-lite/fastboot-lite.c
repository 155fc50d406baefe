// SPDX-License-Identifier: GPL-2.0
/*
 * fastboot-lite: a small fastboot client over usbfs (no libusb), built on
 * the host library of fb-host.h. See fastboot-lite(1).
 *
 * Output: results and messages on stdout (-q: results only), device INFO
 * lines as "(bootloader) text", the progress bar on stderr when it is a
 * terminal, errors on stderr as "fastboot-lite: <command>: <what>".
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <imxflash/fastboot_cmd.h>	/* __printf */

#include "fb-host.h"
#include "fb-image.h"
#include "exit-codes.h"
#include "progress.h"
#include "util.h"

#define FASTBOOT_LITE_VERSION	"0.1"
#define PROG			"fastboot-lite"

static const char usage_text[] =
"usage: fastboot-lite [options] COMMAND [args]\n"
"\n"
"Commands:\n"
"  devices [-l]                 list fastboot devices (serial, port)\n"
"  getvar VAR                   print a variable ('all': every one)\n"
"  download FILE                download FILE into the device's buffer\n"
"  flash PART FILE              flash FILE to PART; split into sparse pieces\n"
"                               when bigger than max-download-size; with\n"
"                               FILE.bmap only its mapped blocks; .gz .xz\n"
"                               .zst .bz2 files decompressed on the fly\n"
"  check FILE                   read FILE as flash would send it, with no\n"
"                               device: bmap checksums, a whole compressed\n"
"                               stream, a valid sparse image (exit 3 if not)\n"
"  verify PART FILE             prove that PART holds what FILE defines (raw:\n"
"                               every byte; sparse: RAW and FILL chunks; bmap:\n"
"                               mapped blocks); the device hashes its storage\n"
"                               (oem sha256) or, without that, it is read back\n"
"                               with fetch\n"
"  erase PART                   erase PART\n"
"  fetch PART FILE [--offset N] [--size N]\n"
"                               read PART back into FILE ('-': stdout)\n"
"  upload FILE, get_staged FILE read what the device staged into FILE\n"
"  boot FILE                    download FILE and boot it\n"
"  continue                     leave fastboot, continue booting\n"
"  reboot [bootloader|recovery|fastboot]\n"
"  reboot-bootloader\n"
"  oem ARGS...                  send 'oem ARGS' (INFO lines are printed)\n"
"  flashing SUB                 'flashing lock', 'flashing unlock', ...\n"
"\n"
"Options:\n"
"  -s, --serial SERIAL  the device with this serial number (or usb:PORT);\n"
"                       default $ANDROID_SERIAL\n"
"  -p, --port PATH      the device on USB port PATH (e.g. 1-1.2)\n"
"                       default: the only fastboot device\n"
"  -w, --wait SEC       wait up to SEC seconds for the device (default: 0)\n"
"  -t, --timeout SEC    give up when the device does not answer or take\n"
"                       data for SEC seconds (default: never)\n"
"  -S, --max-download SIZE  download at most SIZE bytes at a time\n"
"                       (K/M/G suffixes; default: max-download-size)\n"
"      --offset N, --size N  fetch: the range (default: whole partition)\n"
"      --bmap FILE      flash, verify: the image's bmap (default: FILE.bmap if\n"
"                       it exists, or FILE.bmap without .gz/.xz/.zst/.bz2)\n"
"      --no-bmap        flash, verify: ignore any bmap, the whole image\n"
"      --verify         flash: verify the partition after the flash\n"
"      --read-back      verify: read back with fetch even if the device\n"
"                       can hash\n"
"  -l, --long           devices: port, USB ids and product too\n"
"  -q, --quiet          only results and errors\n"
"  -v, --verbose        every command and answer on stderr\n"
"  -h, --help           this text\n"
"  -V, --version\n"
"\n"
"Exit codes: 0 ok, 1 the device answered FAIL or broke the protocol,\n"
"2 usage, 3 file missing/unreadable/bad (a checksum of its bmap, a\n"
"failed decompressor) or bigger than the partition,\n"
"4 no device / several devices / cannot open, 5 the device left the bus,\n"
"6 timeout (--wait, --timeout), 7 verify: the partition differs from the\n"
"image, 8 verify: this device cannot verify (neither oem sha256 nor fetch;\n"
"nothing was checked), 130 interrupted.\n";

enum {
	OPT_OFFSET = 0x100,
	OPT_SIZE,
	OPT_BMAP,
	OPT_NO_BMAP,
	OPT_VERIFY,
	OPT_READ_BACK,
};

static const struct option long_opts[] = {
	{ "serial",	  required_argument, NULL, 's' },
	{ "port",	  required_argument, NULL, 'p' },
	{ "wait",	  required_argument, NULL, 'w' },
	{ "timeout",	  required_argument, NULL, 't' },
	{ "max-download", required_argument, NULL, 'S' },
	{ "offset",	  required_argument, NULL, OPT_OFFSET },
	{ "size",	  required_argument, NULL, OPT_SIZE },
	{ "bmap",	  required_argument, NULL, OPT_BMAP },
	{ "no-bmap",	  no_argument,	     NULL, OPT_NO_BMAP },
	{ "verify",	  no_argument,	     NULL, OPT_VERIFY },
	{ "read-back",	  no_argument,	     NULL, OPT_READ_BACK },
	{ "long",	  no_argument,	     NULL, 'l' },
	{ "quiet",	  no_argument,	     NULL, 'q' },
	{ "verbose",	  no_argument,	     NULL, 'v' },
	{ "help",	  no_argument,	     NULL, 'h' },
	{ "version",	  no_argument,	     NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

struct opts {
	const char *serial;
	const char *port;
	u64 wait_ms;
	u64 timeout_ms;
	u64 max_dl;
	u64 offset, size;
	struct fbh_flash_opts flash;
	bool verify;		/* flash --verify */
	unsigned int verify_flags;	/* FBH_VERIFY_* */
	bool lng;
	int argc;
	char **argv;
};

static volatile int interrupted;

/* State of the progress bar and of the current phase. */
struct ui {
	bool bar;		/* draw a bar (stderr is a terminal) */
	bool drawn;		/* a bar is on the screen */
	u64 t0, last_draw;
	char what[64];
};

static struct ui ui;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void setup_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: waits return and look at the flag */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static __printf(1, 2) int usage_err(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(" PROG " --help for usage)\n", stderr);
	return EXIT_USAGE;
}

static void bar_clear(void)
{
	if (ui.drawn) {
		progress_end();
		ui.drawn = false;
	}
}

static __printf(1, 2) void error(const char *fmt, ...)
{
	va_list ap;

	bar_clear();
	fflush(stdout);
	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static __printf(1, 2) void out(const char *fmt, ...)
{
	va_list ap;

	if (util_verbosity < 0)
		return;
	bar_clear();
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void cb_info(void *ctx, const char *text)
{
	(void)ctx;
	out("(bootloader) %s", text);
}

static void cb_progress(void *ctx, const char *what, uint64_t done,
			uint64_t total)
{
	u64 now = util_now_ms();

	(void)ctx;
	if (!ui.bar)
		return;
	if (strcmp(ui.what, what)) {
		snprintf(ui.what, sizeof(ui.what), "%s", what);
		if (!done || !ui.t0)
			ui.t0 = now;
	}
	/* a few redraws a second are enough */
	if (done < total && now - ui.last_draw < 100)
		return;
	ui.last_draw = now;
	progress_draw(ui.what, done, total, ui.t0);
	ui.drawn = true;
}

static void cb_trace(void *ctx, char dir, const char *text)
{
	(void)ctx;
	bar_clear();
	fflush(stdout);
	fprintf(stderr, "%c %s\n", dir, text);
}

static const struct fbh_callbacks callbacks = {
	.info = cb_info,
	.progress = cb_progress,
	.trace = cb_trace,
};

static int exit_of(enum fbh_err_kind kind)
{
	switch (kind) {
	case FBH_ERR_NONE:
		return EXIT_OK;
	case FBH_ERR_FILE:
		return EXIT_IMAGE;
	case FBH_ERR_ARG:
		return EXIT_USAGE;
	case FBH_ERR_NODEV:
		return EXIT_NOBOARD;
	case FBH_ERR_GONE:
		return EXIT_GONE;
	case FBH_ERR_TIMEOUT:
		return EXIT_TIMEOUT;
	case FBH_ERR_INTR:
		return EXIT_INTR;
	case FBH_ERR_MISMATCH:
		return EXIT_MISMATCH;
	case FBH_ERR_NOVERIFY:
		return EXIT_NOVERIFY;
	default:
		return EXIT_ROM;
	}
}

/* Report the failure of the last library call on @d. */
static int failed(struct fbh_dev *d)
{
	enum fbh_err_kind kind = fbh_error_kind(d);

	if (interrupted)
		kind = FBH_ERR_INTR;
	error("%s", fbh_error(d)[0] ? fbh_error(d) : "failed");
	return exit_of(kind == FBH_ERR_NONE ? FBH_ERR_PROTOCOL : kind);
}

static int open_dev(const struct opts *o, struct fbh_dev **d)
{
	struct fbh_callbacks cb = callbacks;
	int ret;

	ret = fbh_open(d, o->serial, o->port, (unsigned int)o->wait_ms);
	if (ret) {
		if (interrupted || ret == -EINTR)
			return EXIT_INTR;
		error("%s", fbh_error(NULL));
		return exit_of(fbh_error_kind(NULL));
	}
	if (util_verbosity < 1)
		cb.trace = NULL;
	fbh_set_callbacks(*d, &cb);
	fbh_set_cancel(*d, &interrupted);
	fbh_set_timeout(*d, (unsigned int)o->timeout_ms);
	fbh_set_max_download(*d, (uint32_t)o->max_dl);
	util_vmsg("usb:%s %04x:%04x serial '%s' interface %u, endpoints 0x%02x/0x%02x",
		  fbh_info(*d)->port, fbh_info(*d)->vid, fbh_info(*d)->pid,
		  fbh_info(*d)->serial, fbh_info(*d)->ifnum, fbh_info(*d)->ep_in,
		  fbh_info(*d)->ep_out);
	return EXIT_OK;
}

/* "OKAY, 1.23 s, 33.10 MB/s" for @bytes moved since @t0 */
static const char *took(char *buf, size_t size, u64 bytes, u64 t0)
{
	if (!bytes) {
		u64 ms = util_now_ms() - t0;

		snprintf(buf, size, "%llu.%02llu s", ms / 1000,
			 ms % 1000 / 10);
		return buf;
	}
	return util_human_rate(buf, size, bytes, util_now_ms() - t0);
}

static int need_args(const struct opts *o, int n, const char *what)
{
	if (o->argc - 1 < n)
		return usage_err("%s: missing %s", o->argv[0], what);
	if (o->argc - 1 > n)
		return usage_err("%s: unexpected argument '%s'", o->argv[0],
				 o->argv[n + 1]);
	return EXIT_OK;
}

/* Open @path for reading: its size, or an error message and exit code. */
static int open_input(const char *cmd, const char *path, int *fd, u64 *size)
{
	struct stat st;

	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0 || fstat(*fd, &st)) {
		error("%s: %s: %s", cmd, path, strerror(errno));
		if (*fd >= 0)
			close(*fd);
		return EXIT_IMAGE;
	}
	if (!S_ISREG(st.st_mode) || !st.st_size) {
		error("%s: %s: %s", cmd, path, S_ISREG(st.st_mode) ?
		      "empty file" : "not a regular file");
		close(*fd);
		return EXIT_IMAGE;
	}
	if ((u64)st.st_size > 0xffffffffull) {
		error("%s: %s: %llu bytes, a download carries at most 4 GiB - 1",
		      cmd, path, (unsigned long long)st.st_size);
		close(*fd);
		return EXIT_IMAGE;
	}
	*size = (u64)st.st_size;
	return EXIT_OK;
}

static int cb_device(const struct fbh_info *i, void *ctx)
{
	const struct opts *o = ctx;
	const char *serial = i->serial[0] ? i->serial : "????????????";

	if (o->lng)
		printf("%-22s fastboot usb:%s %04x:%04x%s%s%s\n", serial,
		       i->port, i->vid, i->pid, i->product[0] ? " '" : "",
		       i->product, i->product[0] ? "'" : "");
	else
		printf("%s\tfastboot\n", serial);
	return 0;
}

static int cmd_devices(const struct opts *o)
{
	int ret = need_args(o, 0, "");

	if (ret)
		return ret;
	ret = fbh_list(cb_device, (void *)o);
	if (ret) {
		error("devices: %s", strerror(-ret));
		return EXIT_NOBOARD;
	}
	return EXIT_OK;
}

static int cmd_getvar(const struct opts *o, struct fbh_dev *d)
{
	const char *var = o->argv[1];
	char val[256];

	if (fbh_getvar(d, var, val, sizeof(val)))
		return failed(d);
	if (util_verbosity < 0)
		printf("%s\n", val);
	else if (strcmp(var, "all"))
		printf("%s: %s\n", var, val);
	return EXIT_OK;
}

static int cmd_download(const struct opts *o, struct fbh_dev *d, bool boot)
{
	const char *path = o->argv[1];
	char buf[80];
	u64 size, t0;
	int fd, ret;

	ret = open_input(o->argv[0], path, &fd, &size);
	if (ret)
		return ret;
	t0 = util_now_ms();
	ret = fbh_download_fd(d, fd, 0, (uint32_t)size);
	close(fd);
	if (ret)
		return failed(d);
	out("download '%s' (%llu bytes): OKAY, %s", path,
	    (unsigned long long)size, took(buf, sizeof(buf), size, t0));
	if (!boot)
		return EXIT_OK;
	if (fbh_simple(d, "boot"))
		return failed(d);
	out("boot: OKAY");
	return EXIT_OK;
}

/* "sparse, zstd, bmap 'x.bmap'": what kind of image was verified */
static void verify_kind(const struct fbh_verify_info *info, char *buf,
			size_t size)
{
	snprintf(buf, size, "%s%s%s%s%s%s", info->sparse ? "sparse" : "raw",
		 info->compression ? ", " : "",
		 info->compression ? info->compression : "",
		 info->bmap[0] ? ", bmap '" : "", info->bmap,
		 info->bmap[0] ? "'" : "");
}

static int cmd_verify(const struct opts *o, struct fbh_dev *d)
{
	const char *part = o->argv[1], *path = o->argv[2];
	struct fbh_verify_info info;
	char buf[80], kind[600];
	struct stat st;
	u64 t0;

	if (stat(path, &st)) {
		error("verify:%s: %s: %s", part, path, strerror(errno));
		return EXIT_IMAGE;
	}
	t0 = util_now_ms();
	if (fbh_verify_image(d, part, path, &o->flash, o->verify_flags,
			     &info))
		return failed(d);
	verify_kind(&info, kind, sizeof(kind));
	out("verify %s '%s' (%s: %llu bytes in %u range%s): OKAY, %s, %s",
	    part, path, kind, (unsigned long long)info.bytes, info.ranges,
	    info.ranges == 1 ? "" : "s",
	    !strcmp(info.method, "sha256") ? "sha256 on the device" :
	    "read back with fetch", took(buf, sizeof(buf), 0, t0));
	return EXIT_OK;
}

static int cmd_flash(const struct opts *o, struct fbh_dev *d)
{
	const char *part = o->argv[1], *path = o->argv[2];
	struct fbh_flash_info info;
	char buf[80], how[640] = "";
	size_t n = 0;
	struct stat st;
	u64 t0;

	/* the library checks too; this gives the usual file message */
	if (stat(path, &st)) {
		error("flash:%s: %s: %s", part, path, strerror(errno));
		return EXIT_IMAGE;
	}
	t0 = util_now_ms();
	if (fbh_flash_image(d, part, path, &o->flash, &info))
		return failed(d);
	/* a plain image: its size; else how it went */
	if (info.compression)
		n += (size_t)snprintf(how + n, sizeof(how) - n, "%s, ",
				      info.compression);
	if (info.bmap[0])
		n += (size_t)snprintf(how + n, sizeof(how) - n,
				      "bmap '%s': %llu of %llu bytes mapped, %llu sent",
				      info.bmap,
				      (unsigned long long)info.mapped_bytes,
				      (unsigned long long)info.image_bytes,
				      (unsigned long long)info.sent_bytes);
	else
		n += (size_t)snprintf(how + n, sizeof(how) - n, "%llu bytes%s",
				      (unsigned long long)(info.compression ?
				      info.image_bytes : (u64)st.st_size),
				      info.compression ? " uncompressed" : "");
	if (info.pieces && n < sizeof(how))
		snprintf(how + n, sizeof(how) - n, " in %u sparse piece%s",
			 info.pieces, info.pieces == 1 ? "" : "s");
	out("flash %s '%s' (%s): OKAY, %s", part, path, how,
	    took(buf, sizeof(buf), info.sent_bytes, t0));
	return o->verify ? cmd_verify(o, d) : EXIT_OK;
}

/*
 * check FILE: read the image as flash would send it, with no device: a
 * station proves its images (bmap checksums, a whole compressed stream,
 * a valid sparse image) before the boards are on the line.
 */
static int cmd_check(const struct opts *o)
{
	const char *path = o->argv[1];
	struct fb_image im;
	char buf[80], how[640] = "";
	size_t n = 0;
	u64 t0 = util_now_ms(), sent;
	int ret;

	ret = fb_image_open(&im, path, o->flash.bmap, o->flash.no_bmap,
			    &interrupted);
	if (!ret)
		ret = fb_image_check(&im, &sent);
	if (ret) {
		error("check: %s: %s", path, im.why);
		fb_image_close(&im);
		/* Ctrl-C kills the decompressor too: that is no broken file */
		return interrupted || ret == -EINTR ? EXIT_INTR : EXIT_IMAGE;
	}
	if (im.fmt != DECOMP_PLAIN)
		n += (size_t)snprintf(how + n, sizeof(how) - n, "%s, ",
				      decomp_name(im.fmt));
	if (im.mapped)
		n += (size_t)snprintf(how + n, sizeof(how) - n,
				      "bmap '%s': %llu of %llu bytes mapped, checksums match",
				      im.bmap_path,
				      (unsigned long long)fb_image_mapped_bytes(&im),
				      (unsigned long long)im.size);
	else
		n += (size_t)snprintf(how + n, sizeof(how) - n, "%llu bytes%s%s",
				      (unsigned long long)im.size,
				      im.fmt != DECOMP_PLAIN ? " uncompressed" : "",
				      im.sparse ? ", Android sparse" : "");
	if (n < sizeof(how))
		snprintf(how + n, sizeof(how) - n, ", %llu bytes as a sparse image",
			 (unsigned long long)sent);
	out("check '%s' (%s): OKAY, %s", path, how, took(buf, sizeof(buf), 0, t0));
	fb_image_close(&im);
	return EXIT_OK;
}

/* Output file for fetch/upload: '-' is stdout; removed on failure. */
static int open_output(const char *cmd, const char *path, int *fd)
{
	if (!strcmp(path, "-")) {
		*fd = STDOUT_FILENO;
		return EXIT_OK;
	}
	*fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (*fd < 0) {
		error("%s: %s: %s", cmd, path, strerror(errno));
		return EXIT_IMAGE;
	}
	return EXIT_OK;
}

static int close_output(const char *cmd, const char *path, int fd, int ret)
{
	if (fd == STDOUT_FILENO)
		return ret;
	if (close(fd) && !ret) {
		error("%s: %s: %s", cmd, path, strerror(errno));
		ret = EXIT_IMAGE;
	}
	if (ret)
		unlink(path);
	return ret;
}

static int cmd_fetch(const struct opts *o, struct fbh_dev *d, bool upload)
{
	const char *part = upload ? NULL : o->argv[1];
	const char *path = o->argv[upload ? 1 : 2];
	uint64_t got = 0;
	char buf[80];
	int fd, ret;
	u64 t0;

	ret = open_output(o->argv[0], path, &fd);
	if (ret)
		return ret;
	t0 = util_now_ms();
	if (upload)
		ret = fbh_upload(d, fd, &got);
	else
		ret = fbh_fetch(d, part, o->offset, o->size, fd, &got);
	ret = ret ? failed(d) : EXIT_OK;
	ret = close_output(o->argv[0], path, fd, ret);
	if (ret)
		return ret;
	if (fd != STDOUT_FILENO)
		out("%s%s%s -> '%s' (%llu bytes): OKAY, %s", o->argv[0],
		    part ? " " : "", part ? part : "", path,
		    (unsigned long long)got, took(buf, sizeof(buf), got, t0));
	return EXIT_OK;
}

/* erase, reboot*, continue, oem, flashing: one command, OKAY expected. */
static int cmd_simple(struct fbh_dev *d, const char *wire)
{
	char buf[32];
	u64 t0 = util_now_ms();

	if (fbh_simple(d, wire))
		return failed(d);
	out("%s: OKAY, %s", wire, took(buf, sizeof(buf), 0, t0));
	return EXIT_OK;
}

/* The wire text of a simple command, or an exit code. */
static int simple_wire(const struct opts *o, char *wire, size_t size)
{
	const char *c = o->argv[0];
	size_t len;
	int i, ret;

	if (!strcmp(c, "erase")) {
		ret = need_args(o, 1, "PART");
		if (!ret)
			snprintf(wire, size, "erase:%s", o->argv[1]);
		return ret;
	}
	if (!strcmp(c, "reboot")) {
		if (o->argc > 2)
			return usage_err("reboot: unexpected argument '%s'",
					 o->argv[2]);
		if (o->argc == 2 && strcmp(o->argv[1], "bootloader") &&
		    strcmp(o->argv[1], "recovery") &&
		    strcmp(o->argv[1], "fastboot"))
			return usage_err("reboot: unknown target '%s' %s",
					 o->argv[1],
					 "(bootloader, recovery or fastboot)");
		snprintf(wire, size, "reboot%s%s", o->argc == 2 ? "-" : "",
			 o->argc == 2 ? o->argv[1] : "");
		return EXIT_OK;
	}
	if (!strcmp(c, "reboot-bootloader") || !strcmp(c, "continue")) {
		ret = need_args(o, 0, "");
		if (!ret)
			snprintf(wire, size, "%s", c);
		return ret;
	}
	if (!strcmp(c, "flashing")) {
		ret = need_args(o, 1, "SUB (lock, unlock, ...)");
		if (!ret)
			snprintf(wire, size, "flashing %s", o->argv[1]);
		return ret;
	}
	/* oem */
	if (o->argc < 2)
		return usage_err("oem: missing ARGS");
	snprintf(wire, size, "oem");
	for (i = 1; i < o->argc; i++) {
		len = strlen(wire);
		if (len + 1 + strlen(o->argv[i]) >= size)
			return usage_err("oem: command longer than %zu bytes",
					 size - 1);
		snprintf(wire + len, size - len, " %s", o->argv[i]);
	}
	return EXIT_OK;
}

/* K, M, G suffixes (binary). */
static int parse_size(const char *s, u64 *v)
{
	unsigned long long x;
	char *end;

	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K':
		x <<= 10, end++;
		break;
	case 'm': case 'M':
		x <<= 20, end++;
		break;
	case 'g': case 'G':
		x <<= 30, end++;
		break;
	}
	if (*end)
		return -EINVAL;
	*v = x;
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->serial = getenv("ANDROID_SERIAL");
	while ((c = getopt_long(argc, argv, "s:p:w:t:S:lqvhV", long_opts,
				NULL)) != -1) {
		switch (c) {
		case 's':
			o->serial = optarg;
			break;
		case 'p':
			o->port = optarg;
			break;
		case 'w':
			if (util_parse_seconds_ms(optarg, &o->wait_ms) ||
			    o->wait_ms > 0x7fffffffull)
				return usage_err("--wait: '%s' is not a number of seconds",
						 optarg);
			break;
		case 't':
			if (util_parse_seconds_ms(optarg, &o->timeout_ms) ||
			    o->timeout_ms > 0x7fffffffull)
				return usage_err("--timeout: '%s' is not a number of seconds",
						 optarg);
			break;
		case 'S':
			if (parse_size(optarg, &o->max_dl) || !o->max_dl ||
			    o->max_dl > 0xffffffffull)
				return usage_err("--max-download: '%s' %s", optarg,
						 "is not a size between 1 and 4G-1");
			break;
		case OPT_OFFSET:
			if (parse_size(optarg, &o->offset))
				return usage_err("--offset: '%s' is not a number",
						 optarg);
			break;
		case OPT_SIZE:
			if (parse_size(optarg, &o->size) || !o->size)
				return usage_err("--size: '%s' is not a positive number",
						 optarg);
			break;
		case OPT_BMAP:
			o->flash.bmap = optarg;
			break;
		case OPT_NO_BMAP:
			o->flash.no_bmap = true;
			break;
		case OPT_VERIFY:
			o->verify = true;
			break;
		case OPT_READ_BACK:
			o->verify_flags |= FBH_VERIFY_FETCH;
			break;
		case 'l':
			o->lng = true;
			break;
		case 'q':
			util_verbosity = -1;
			break;
		case 'v':
			util_verbosity++;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(EXIT_OK);
		case 'V':
			puts(PROG " " FASTBOOT_LITE_VERSION);
			exit(EXIT_OK);
		default:
			return usage_err("bad option");
		}
	}
	o->argc = argc - optind;
	o->argv = argv + optind;
	if (!o->argc)
		return usage_err("missing command");
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const char *c;
	struct fbh_dev *d = NULL;
	struct opts o;
	char wire[4096];
	int ret;

	util_set_prog(PROG);
	ret = parse_opts(argc, argv, &o);
	if (ret)
		return ret;
	c = o.argv[0];
	if ((o.offset || o.size) && strcmp(c, "fetch"))
		return usage_err("--offset/--size only go with fetch");
	if (o.lng && strcmp(c, "devices"))
		return usage_err("-l only goes with devices");
	if ((o.flash.bmap || o.flash.no_bmap) && strcmp(c, "flash") &&
	    strcmp(c, "verify") && strcmp(c, "check"))
		return usage_err("--bmap/--no-bmap only go with flash, verify and check");
	if (o.verify && strcmp(c, "flash"))
		return usage_err("--verify only goes with flash (or use verify)");
	if (o.verify_flags && strcmp(c, "verify") && !o.verify)
		return usage_err("--read-back only goes with verify and flash --verify");
	if (o.flash.bmap && o.flash.no_bmap)
		return usage_err("--bmap and --no-bmap exclude each other");
	if (!strcmp(c, "devices"))
		return cmd_devices(&o);
	if (!strcmp(c, "check")) {
		ret = need_args(&o, 1, "FILE");
		if (ret)
			return ret;
		setup_signals();
		return cmd_check(&o);
	}

	/* check the arguments before touching the device */
	if (!strcmp(c, "getvar") || !strcmp(c, "download") ||
	    !strcmp(c, "boot") || !strcmp(c, "upload") ||
	    !strcmp(c, "get_staged"))
		ret = need_args(&o, 1, !strcmp(c, "getvar") ? "VAR" : "FILE");
	else if (!strcmp(c, "flash") || !strcmp(c, "fetch") ||
		 !strcmp(c, "verify"))
		ret = need_args(&o, 2, "PART FILE");
	else if (!strcmp(c, "erase") || !strncmp(c, "reboot", 6) ||
		 !strcmp(c, "continue") || !strcmp(c, "oem") ||
		 !strcmp(c, "flashing"))
		ret = simple_wire(&o, wire, sizeof(wire));
	else
		return usage_err("unknown command '%s'", c);
	if (ret)
		return ret;
	if (!strncmp(c, "reboot", 6) && strcmp(c, "reboot") &&
	    strcmp(c, "reboot-bootloader"))
		return usage_err("unknown command '%s'", c);

	setup_signals();
	ui.bar = progress_wanted();
	ret = open_dev(&o, &d);
	if (ret)
		return ret;
	if (!strcmp(c, "getvar"))
		ret = cmd_getvar(&o, d);
	else if (!strcmp(c, "download") || !strcmp(c, "boot"))
		ret = cmd_download(&o, d, !strcmp(c, "boot"));
	else if (!strcmp(c, "flash"))
		ret = cmd_flash(&o, d);
	else if (!strcmp(c, "verify"))
		ret = cmd_verify(&o, d);
	else if (!strcmp(c, "fetch"))
		ret = cmd_fetch(&o, d, false);
	else if (!strcmp(c, "upload") || !strcmp(c, "get_staged"))
		ret = cmd_fetch(&o, d, true);
	else
		ret = cmd_simple(d, wire);
	bar_clear();
	fbh_close(d);
	return ret;
}
