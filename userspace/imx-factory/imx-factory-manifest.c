// SPDX-License-Identifier: GPL-2.0
/*
 * imx-factory: the manifest, one step per line (imx-factory(1)):
 *
 *   # comment
 *   sdp boot u-boot.imx [--verify]
 *   fastboot flash mbr mbr.img
 *   fastboot flash 0x400 u-boot.imx
 *   fastboot verify rootfs rootfs.ext4
 *   fastboot erase misc
 *   fastboot oem fuse prog 0 0x12
 *   fastboot getvar version-bootloader
 *   fastboot reboot
 *
 * Everything is checked before the first board is touched: unknown words,
 * missing arguments, names that do not fit a fastboot command, steps after
 * the device has left (reboot, continue), and every image file. Errors
 * name the manifest line. No board-specific code here, so the unit test
 * links this file alone (with imx-factory-vars.c).
 *
 * A line with ${uid}, ${port} or ${board} is a per-board step: its
 * variables are checked here, and the line is parsed with sample values
 * so that its mistakes show now; each board's worker expands it, parses
 * it again and checks its image (fac_step_expand()), so that a missing
 * per-board file fails that board only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imx-factory.h"

#define MANIFEST_MAX	(64u << 10)

/* What a per-board line is checked with when the manifest is read. */
static const struct fac_vars sample_vars = {
	.uid = "0123456789ABCDEF", .port = "1-1.1", .board = "1",
};

const char fac_default_manifest[] =
	"# imx-factory built-in manifest: the whole flow of one board\n"
	"sdp boot u-boot.imx\n"
	"fastboot flash mbr mbr.img\n"
	"fastboot flash 0x400 u-boot.imx\n"
	"fastboot flash env zero.bin\n"
	"fastboot flash rootfs rootfs.ext4\n"
	"fastboot reboot\n";

static void fail(char *err, size_t errlen, const char *name, int line,
		 const char *fmt, const char *a, const char *b)
{
	char what[512];

	snprintf(what, sizeof(what), fmt, a ? a : "", b ? b : "");
	if (line)
		snprintf(err, errlen, "%s:%d: %s", name, line, what);
	else
		snprintf(err, errlen, "%s: %s", name, what);
}

/* Split @s in place into at most @max words; returns the count. */
static int split(char *s, char **w, int max, char **rest)
{
	int n = 0;

	*rest = NULL;
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (n == max) {
			*rest = s;
			break;
		}
		w[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

/* A partition or variable name that a fastboot command can carry. */
static const char *bad_name(const char *s, size_t max)
{
	const char *p;

	/* a per-board name is checked once expanded */
	if (strstr(s, "${"))
		return NULL;
	if (strlen(s) > max)
		return "too long for a 64-byte fastboot command";
	for (p = s; *p; p++)
		if (*p == ':' || *p < 0x21 || *p > 0x7e)
			return "has a character that fastboot cannot carry "
			       "(':', space or non-ASCII)";
	return NULL;
}

static int set_str(char **dst, const char *src)
{
	*dst = strdup(src);
	return *dst ? 0 : -ENOMEM;
}

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

/* One non-empty, non-comment line into @st. Returns 0 or -errno. */
static int parse_line(struct fac_step *st, char *line, const char *name,
		      int ln, char *err, size_t errlen)
{
	char *w[5] = { NULL }, *rest;
	const char *why;
	int n;

	n = split(line, w, 2, &rest);
	st->line = ln;
	if (!n)
		return -EINVAL;	/* the caller skips blank lines */
	if (!strcmp(w[0], "sdp")) {
		if (n < 2 || strcmp(w[1], "boot")) {
			fail(err, errlen, name, ln,
			     "unknown sdp step '%s' (expected: sdp boot FILE [--verify])",
			     n < 2 ? "" : w[1], NULL);
			return -EINVAL;
		}
		n = rest ? split(rest, w, 3, &rest) : 0;
		if (!n) {
			fail(err, errlen, name, ln,
			     "sdp boot: missing image file", NULL, NULL);
			return -EINVAL;
		}
		if (n == 2 && !strcmp(w[1], "--verify")) {
			st->verify = true;
		} else if (n > 1 || rest) {
			fail(err, errlen, name, ln,
			     "sdp boot %s: unexpected '%s' (only --verify may follow the file)",
			     w[0], n >= 2 && strcmp(w[1], "--verify") ? w[1] :
			     n == 3 ? w[2] : rest);
			return -EINVAL;
		}
		st->op = FAC_SDP_BOOT;
		snprintf(st->label, sizeof(st->label), "sdp boot");
		return set_str(&st->file, w[0]);
	}
	if (strcmp(w[0], "fastboot")) {
		fail(err, errlen, name, ln,
		     "unknown step '%s' (expected sdp or fastboot)", w[0], NULL);
		return -EINVAL;
	}
	if (n < 2) {
		fail(err, errlen, name, ln,
		     "fastboot: missing command (flash, verify, erase, oem, getvar, reboot, reboot-bootloader, continue)",
		     NULL, NULL);
		return -EINVAL;
	}
	if (!strcmp(w[1], "oem")) {
		if (!rest) {
			fail(err, errlen, name, ln,
			     "fastboot oem: missing arguments", NULL, NULL);
			return -EINVAL;
		}
		if (strlen(rest) + 4 > FAC_CMD_MAX && !strstr(rest, "${")) {
			fail(err, errlen, name, ln,
			     "fastboot oem %s: longer than a 64-byte fastboot command",
			     rest, NULL);
			return -EINVAL;
		}
		st->op = FAC_FB_OEM;
		snprintf(st->label, sizeof(st->label), "oem %.60s", rest);
		return set_str(&st->arg, rest);
	}
	if (!strcmp(w[1], "reboot") || !strcmp(w[1], "reboot-bootloader") ||
	    !strcmp(w[1], "continue")) {
		if (rest) {
			fail(err, errlen, name, ln,
			     "fastboot %s: unexpected '%s'", w[1], rest);
			return -EINVAL;
		}
		st->op = !strcmp(w[1], "reboot") ? FAC_FB_REBOOT :
			 !strcmp(w[1], "continue") ? FAC_FB_CONTINUE :
			 FAC_FB_REBOOT_BL;
		snprintf(st->label, sizeof(st->label), "%s", w[1]);
		return 0;
	}
	/* verify takes what flash takes: the partition holds that image */
	if (strcmp(w[1], "flash") && strcmp(w[1], "verify") &&
	    strcmp(w[1], "erase") && strcmp(w[1], "getvar")) {
		fail(err, errlen, name, ln,
		     "unknown fastboot command '%s' (flash, verify, erase, oem, getvar, reboot, reboot-bootloader, continue)",
		     w[1], NULL);
		return -EINVAL;
	}
	n = rest ? split(rest, w + 2, 3, &rest) : 0;
	if (!n) {
		fail(err, errlen, name, ln, "fastboot %s: missing %s", w[1],
		     strcmp(w[1], "getvar") ? "partition" : "variable");
		return -EINVAL;
	}
	why = bad_name(w[2], strcmp(w[1], "getvar") ? FAC_PART_MAX :
			     FAC_CMD_MAX - 7);
	if (why) {
		fail(err, errlen, name, ln, "'%s': %s", w[2], why);
		return -EINVAL;
	}
	if (!strcmp(w[1], "flash") || !strcmp(w[1], "verify")) {
		if (n < 2) {
			fail(err, errlen, name, ln,
			     !strcmp(w[1], "flash") ?
			     "fastboot flash %s: missing image file" :
			     "fastboot verify %s: missing image file", w[2],
			     NULL);
			return -EINVAL;
		}
		/* after the file: --bmap MAP or --no-bmap (fastboot-lite's) */
		if (n > 2 && !strcmp(w[4], "--no-bmap")) {
			st->no_bmap = true;
		} else if (n > 2 && !strcmp(w[4], "--bmap")) {
			if (!rest || split(rest, w, 1, &rest) != 1) {
				fail(err, errlen, name, ln,
				     strcmp(w[1], "flash") ?
			     "fastboot verify %s: --bmap needs a file" :
			     "fastboot flash %s: --bmap needs a file",
				     w[3], NULL);
				return -EINVAL;
			}
			if (set_str(&st->bmap, w[0]))
				return -ENOMEM;
		} else if (n > 2) {
			fail(err, errlen, name, ln,
			     "unexpected '%s' after the file %s (only --bmap MAP or --no-bmap)",
			     w[4], w[3]);
			return -EINVAL;
		}
		if (rest) {
			fail(err, errlen, name, ln,
			     "unexpected '%s' after %s", rest,
			     st->bmap ? st->bmap : "--no-bmap");
			return -EINVAL;
		}
		st->op = strcmp(w[1], "flash") ? FAC_FB_VERIFY : FAC_FB_FLASH;
		if (st->op == FAC_FB_VERIFY && !strcmp(w[2], "gpt")) {
			fail(err, errlen, name, ln,
			     "fastboot verify gpt: the device writes the table rebuilt for its disk, not the image's bytes (verify the partitions)",
			     NULL, NULL);
			return -EINVAL;
		}
		snprintf(st->label, sizeof(st->label), "%s %s", w[1], w[2]);
		if (set_str(&st->file, w[3]))
			return -ENOMEM;
		return set_str(&st->arg, w[2]);
	}
	if (n > 1 || rest) {
		fail(err, errlen, name, ln, "fastboot %s: unexpected '%s'",
		     w[1], n > 1 ? w[3] : rest);
		return -EINVAL;
	}
	st->op = strcmp(w[1], "erase") ? FAC_FB_GETVAR : FAC_FB_ERASE;
	snprintf(st->label, sizeof(st->label), "%s %s", w[1], w[2]);
	return set_str(&st->arg, w[2]);
}

static void step_free(struct fac_step *s)
{
	free(s->arg);
	free(s->file);
	free(s->path);
	free(s->bmap);
	free(s->bmap_path);
	free(s->text);
	memset(s, 0, sizeof(*s));
}

/*
 * One step from its line @p (trimmed, no comment): parse_line(), the text
 * kept, and for a per-board line its variables checked and a parse with
 * sample values, so that its mistakes show when the manifest is read.
 */
static int parse_step(struct fac_step *st, const char *p, const char *name,
		      int ln, char *err, size_t errlen)
{
	char line[FAC_LINE_MAX + 1], why[160];
	struct fac_step probe;
	bool uses;
	int ret;

	if (fac_vars_check(p, &uses, why, sizeof(why))) {
		fail(err, errlen, name, ln, "%s%s", why, NULL);
		return -EINVAL;
	}
	if (uses) {
		ret = fac_vars_expand(p, &sample_vars, line, sizeof(line), why,
				      sizeof(why));
		if (ret) {
			fail(err, errlen, name, ln, "%s%s", why, NULL);
			return -EINVAL;
		}
		memset(&probe, 0, sizeof(probe));
		ret = parse_line(&probe, line, name, ln, err, errlen);
		step_free(&probe);
		if (ret)
			return ret;
	}
	snprintf(line, sizeof(line), "%s", p);
	ret = parse_line(st, line, name, ln, err, errlen);
	if (ret)
		return ret;
	st->per_board = uses;
	return set_str(&st->text, p);
}

/* Order rules: sdp boot first and once; nothing after the device left. */
static int check_order(const struct fac_manifest *m, const char *name,
		       char *err, size_t errlen)
{
	int i;

	for (i = 0; i < m->n; i++) {
		const struct fac_step *s = &m->step[i];

		if (s->op == FAC_SDP_BOOT && i) {
			fail(err, errlen, name, s->line,
			     "sdp boot must be the first step (the ROM is only there before the bootloader runs)",
			     NULL, NULL);
			return -EINVAL;
		}
		if (i && (m->step[i - 1].op == FAC_FB_REBOOT ||
			  m->step[i - 1].op == FAC_FB_REBOOT_BL ||
			  m->step[i - 1].op == FAC_FB_CONTINUE)) {
			fail(err, errlen, name, s->line,
			     "step after '%s': the device has left fastboot by then",
			     m->step[i - 1].label, NULL);
			return -EINVAL;
		}
	}
	return 0;
}

int fac_manifest_parse(struct fac_manifest *m, const char *text,
		       const char *name, char *err, size_t errlen)
{
	char line[FAC_LINE_MAX + 1], *p;
	const char *s = text, *e;
	int ln = 0, ret;

	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", name);
	err[0] = '\0';
	for (; *s; s = *e ? e + 1 : e) {
		size_t len;

		e = strchr(s, '\n');
		if (!e)
			e = s + strlen(s);
		len = e - s;
		ln++;
		if (len > FAC_LINE_MAX) {
			fail(err, errlen, name, ln, "line longer than 4096 bytes",
			     NULL, NULL);
			goto bad;
		}
		memcpy(line, s, len);
		line[len] = '\0';
		if (memchr(line, '\0', len)) {
			fail(err, errlen, name, ln, "NUL byte (not a text file?)",
			     NULL, NULL);
			goto bad;
		}
		p = strchr(line, '#');
		if (p)
			*p = '\0';
		trim(line);
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (!*p)
			continue;
		if (m->n == FAC_MAX_STEPS) {
			fail(err, errlen, name, ln, "more than 32 steps", NULL,
			     NULL);
			goto bad;
		}
		ret = parse_step(&m->step[m->n++], p, name, ln, err, errlen);
		if (ret == -ENOMEM)
			fail(err, errlen, name, ln, "out of memory", NULL, NULL);
		if (ret)
			goto bad;
	}
	if (!m->n) {
		fail(err, errlen, name, 0, "no steps", NULL, NULL);
		goto bad;
	}
	if (check_order(m, name, err, errlen))
		goto bad;
	return 0;
bad:
	fac_manifest_free(m);
	return -EINVAL;
}

int fac_manifest_load(struct fac_manifest *m, const char *path, char *err,
		      size_t errlen)
{
	char *buf;
	ssize_t n;
	size_t got = 0;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fail(err, errlen, path, 0, "%s", strerror(errno), NULL);
		return -errno;
	}
	buf = malloc(MANIFEST_MAX + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while ((n = read(fd, buf + got, MANIFEST_MAX + 1 - got)) > 0 ||
	       (n < 0 && errno == EINTR))
		if (n > 0)
			got += n;
	ret = n < 0 ? -errno : 0;
	close(fd);
	if (ret)
		fail(err, errlen, path, 0, "%s", strerror(-ret), NULL);
	else if (got > MANIFEST_MAX)
		fail(err, errlen, path, 0, "larger than 64 KiB", NULL, NULL);
	if (!ret && got > MANIFEST_MAX)
		ret = -EFBIG;
	if (!ret) {
		buf[got] = '\0';
		if (strlen(buf) != got) {
			fail(err, errlen, path, 0,
			     "NUL byte (not a text file?)", NULL, NULL);
			ret = -EINVAL;
		} else {
			ret = fac_manifest_parse(m, buf, path, err, errlen);
		}
	}
	free(buf);
	return ret;
}

/* @file as found in @imgdir (absolute paths stay), malloc'ed. */
static char *in_imgdir(const char *imgdir, const char *file)
{
	size_t len;
	char *p;

	if (file[0] == '/' || !imgdir || !imgdir[0])
		return strdup(file);
	len = strlen(imgdir) + strlen(file) + 2;
	p = malloc(len);
	if (p)
		snprintf(p, len, "%s/%s", imgdir, file);
	return p;
}

/*
 * @s->path from @s->file and @imgdir; the file checked, its size noted;
 * the same for a --bmap file (its contents are checked when it is used).
 */
static int resolve_step(const char *name, struct fac_step *s,
			const char *imgdir, char *err, size_t errlen)
{
	struct stat st;

	free(s->path);
	s->path = in_imgdir(imgdir, s->file);
	if (!s->path)
		return -ENOMEM;
	if (s->bmap) {
		free(s->bmap_path);
		s->bmap_path = in_imgdir(imgdir, s->bmap);
		if (!s->bmap_path)
			return -ENOMEM;
		if (access(s->bmap_path, R_OK)) {
			int e = errno;

			fail(err, errlen, name, s->line, "%s: %s",
			     s->bmap_path, strerror(e));
			return e == ENOENT ? -ENOENT : -EACCES;
		}
	}
	if (stat(s->path, &st) || access(s->path, R_OK)) {
		int e = errno;

		fail(err, errlen, name, s->line, "%s: %s", s->path,
		     strerror(e));
		return e == ENOENT ? -ENOENT : -EACCES;
	}
	if (!S_ISREG(st.st_mode)) {
		fail(err, errlen, name, s->line, "%s: not a regular file",
		     s->path, NULL);
		return -EINVAL;
	}
	if (!st.st_size) {
		fail(err, errlen, name, s->line, "%s: empty file", s->path,
		     NULL);
		return -EINVAL;
	}
	s->size = st.st_size;
	return 0;
}

int fac_manifest_resolve(struct fac_manifest *m, const char *imgdir,
			 char *err, size_t errlen)
{
	int i, ret;

	snprintf(m->imgdir, sizeof(m->imgdir), "%s", imgdir ? imgdir : "");
	for (i = 0; i < m->n; i++) {
		struct fac_step *s = &m->step[i];

		/* a per-board file is each board's (fac_step_expand()) */
		if (!s->file || s->per_board)
			continue;
		ret = resolve_step(m->name, s, imgdir, err, errlen);
		if (ret)
			return ret == -EACCES ? -ENOENT : ret;
	}
	return 0;
}

int fac_step_expand(const struct fac_manifest *m, int i,
		    const struct fac_vars *v, struct fac_step *out, char *err,
		    size_t errlen)
{
	const struct fac_step *s = &m->step[i];
	char line[FAC_LINE_MAX + 1], why[200];
	int ret;

	memset(out, 0, sizeof(*out));
	if (!s->per_board) {
		*out = *s;
		out->arg = s->arg ? strdup(s->arg) : NULL;
		out->file = s->file ? strdup(s->file) : NULL;
		out->path = s->path ? strdup(s->path) : NULL;
		out->text = s->text ? strdup(s->text) : NULL;
		out->bmap = s->bmap ? strdup(s->bmap) : NULL;
		out->bmap_path = s->bmap_path ? strdup(s->bmap_path) : NULL;
		if ((s->arg && !out->arg) || (s->file && !out->file) ||
		    (s->path && !out->path) || (s->text && !out->text) ||
		    (s->bmap && !out->bmap) ||
		    (s->bmap_path && !out->bmap_path)) {
			fac_step_free(out);
			return -ENOMEM;
		}
		return 0;
	}
	ret = fac_vars_expand(s->text, v, line, sizeof(line), why,
			      sizeof(why));
	if (ret) {
		fail(err, errlen, m->name, s->line, "%s%s", why, NULL);
		return ret;
	}
	ret = set_str(&out->text, line);
	if (!ret)
		ret = parse_line(out, line, m->name, s->line, err, errlen);
	if (ret) {
		fac_step_free(out);
		return ret;
	}
	out->line = s->line;
	out->per_board = true;
	/* its image is this board's: a new one */
	out->has_sha256 = false;
	if (out->file) {
		ret = resolve_step(m->name, out, m->imgdir, err, errlen);
		if (ret) {
			fac_step_free(out);
			return ret;
		}
	}
	return 0;
}

void fac_step_free(struct fac_step *s)
{
	step_free(s);
}

void fac_step_line(const struct fac_step *s, const struct fac_vars *v,
		   char *buf, size_t size)
{
	char why[160];

	if (!s->text) {
		snprintf(buf, size, "%s", s->label);
		return;
	}
	if (!s->per_board ||
	    fac_vars_expand(s->text, v, buf, size, why, sizeof(why)))
		snprintf(buf, size, "%s", s->text);
}

bool fac_needs_sdp(const struct fac_manifest *m)
{
	return m->n && m->step[0].op == FAC_SDP_BOOT;
}

int fac_manifest_bootloader_only(struct fac_manifest *m)
{
	int i;

	if (!m->n || m->step[0].op != FAC_SDP_BOOT)
		return -ENOENT;
	for (i = 1; i < m->n; i++)
		step_free(&m->step[i]);
	m->n = 1;
	return 0;
}

void fac_manifest_free(struct fac_manifest *m)
{
	int i;

	for (i = 0; i < FAC_MAX_STEPS; i++)
		step_free(&m->step[i]);
	m->n = 0;
}

int fac_step_command(const struct fac_step *s, char *buf, size_t size)
{
	int n;

	switch (s->op) {
	case FAC_FB_ERASE:
		n = snprintf(buf, size, "erase:%s", s->arg);
		break;
	case FAC_FB_OEM:
		n = snprintf(buf, size, "oem %s", s->arg);
		break;
	case FAC_FB_REBOOT:
		n = snprintf(buf, size, "reboot");
		break;
	case FAC_FB_REBOOT_BL:
		n = snprintf(buf, size, "reboot-bootloader");
		break;
	case FAC_FB_CONTINUE:
		n = snprintf(buf, size, "continue");
		break;
	default:
		return -EINVAL;
	}
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

void fac_manifest_print(const struct fac_manifest *m, FILE *f)
{
	int i;

	fprintf(f, "manifest %s: %d step%s\n", m->name, m->n,
		m->n == 1 ? "" : "s");
	for (i = 0; i < m->n; i++) {
		const struct fac_step *s = &m->step[i];

		fprintf(f, "  %2d  %-24s", i + 1, s->label);
		if (s->per_board)
			fprintf(f, " %s (per board)", s->text);
		else if (s->path)
			fprintf(f, " %s (%llu bytes)", s->path,
				(unsigned long long)s->size);
		else if (s->file)
			fprintf(f, " %s", s->file);
		if (s->verify)
			fprintf(f, " --verify");
		if (s->no_bmap)
			fprintf(f, " --no-bmap");
		else if (s->bmap && !s->per_board)
			fprintf(f, " --bmap %s", s->bmap_path ? s->bmap_path :
				s->bmap);
		fputc('\n', f);
	}
}
