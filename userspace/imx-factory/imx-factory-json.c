// SPDX-License-Identifier: GPL-2.0
/*
 * imx-factory: the report a manufacturing execution system reads
 * (imx-factory(1), "JSON REPORT"): one JSON document for the run, every
 * board with its identity (port, unique ID, SoC, HAB state), its result
 * and the stage it reached, and every step with its line as run on that
 * board, its bytes, time, the SHA-256 of its image and whether it was
 * verified.
 *
 * --json FILE is replaced atomically (atomic-file.h) each time a board
 * finishes and at the end, so a reader sees the previous document or the
 * new one, never a part, also when the run is interrupted. --json-lines
 * FILE gets one line per finished board, appended with a single write.
 *
 * The digests are of the bytes the image defines: a compressed image's
 * decompressed bytes (what "zcat FILE | sha256sum" prints), the file's
 * bytes otherwise; the sdp boot image's as the file holds it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomic-file.h"
#include "digest.h"
#include "img-source.h"
#include "imx-factory.h"
#include "json.h"
#include "sha256.h"

#define HASH_BUF	(256u << 10)

/* The sdp boot image as the file holds it (it is sent unchanged). */
static int hash_file(const char *path, u8 out[SHA256_DIGEST_LEN], char *err,
		     size_t errlen)
{
	struct sha256_ctx c;
	ssize_t n;
	u8 *buf;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	buf = malloc(HASH_BUF);
	if (!buf) {
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	sha256_init(&c);
	while ((n = read(fd, buf, HASH_BUF)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			snprintf(err, errlen, "%s: %s", path, strerror(-ret));
			break;
		}
		sha256_update(&c, buf, (size_t)n);
	}
	if (!ret)
		sha256_final(&c, out);
	free(buf);
	close(fd);
	return ret;
}

/* A flash image: every byte it defines, decompressed if it is. */
static int hash_image(const char *path, u8 out[SHA256_DIGEST_LEN], char *err,
		      size_t errlen)
{
	struct imgsrc_range r;
	struct imgsrc s;
	int ret;

	ret = imgsrc_open(&s, path, NULL, IMGSRC_HASH_IMAGE);
	if (ret) {
		snprintf(err, errlen, "%s: %s", path, s.why);
		return ret;
	}
	/* the whole image is one range: the second call reads it to its end */
	while ((ret = imgsrc_next(&s, &r)) > 0)
		;
	if (!ret)
		ret = imgsrc_image_sha256(&s, out);
	if (ret)
		snprintf(err, errlen, "%s: %s", path,
			 s.why[0] ? s.why : strerror(-ret));
	imgsrc_close(&s);
	return ret;
}

int fac_step_hash(struct fac_step *s, char *err, size_t errlen)
{
	int ret;

	if (!s->path)
		return 0;
	ret = s->op == FAC_SDP_BOOT ?
	      hash_file(s->path, s->sha256, err, errlen) :
	      hash_image(s->path, s->sha256, err, errlen);
	s->has_sha256 = !ret;
	return ret;
}

void fac_board_vars(const struct fac_board *b, const struct fac_status *st,
		    struct fac_vars *v)
{
	v->uid = st->uid[0] ? st->uid : b->uid;
	v->port = b->port;
	snprintf(v->board, sizeof(v->board), "%d", b->number);
}

/* "2024-05-01T12:00:00Z", or null when not known. */
static void json_time(struct json_w *w, const char *name, time_t t)
{
	char buf[32];
	struct tm tm;

	if (!t || !gmtime_r(&t, &tm) ||
	    !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		json_null(w, name);
		return;
	}
	json_str(w, name, buf);
}

static void json_ms(struct json_w *w, const char *name, u64 ms)
{
	json_double(w, name, (double)ms / 1000.0);
}

/* enum fac_stage as the report names it: a stable word. */
static const char *stage_word(int stage)
{
	static const char *const words[FAC_ST_NR] = {
		[FAC_ST_QUEUED] = "queued",
		[FAC_ST_SDP] = "sdp",
		[FAC_ST_ENUM] = "enum",
		[FAC_ST_FASTBOOT] = "fastboot",
		[FAC_ST_DONE] = "done",
	};

	return stage >= 0 && stage < FAC_ST_NR ? words[stage] : "queued";
}

/* Why a board did not end well, as one word; NULL when it did. */
static const char *failure_word(int result)
{
	switch (result) {
	case FAC_OK:
		return NULL;
	case FAC_TIMEOUT:
		return "timeout";
	case FAC_GONE:
		return "unplugged";
	case FAC_ABORTED:
		return "aborted";
	case FAC_RUNNING:
		return "running";
	}
	return "failed";
}

static void json_step(struct json_w *w, const struct fac_run *run,
		      const struct fac_board *b, const struct fac_status *st,
		      int i)
{
	const struct fac_step *s = &run->m->step[i];
	char line[FAC_LINE_MAX + 1], hex[2 * SHA256_DIGEST_LEN + 1];
	struct fac_vars v;
	u32 bit = 1u << i;

	fac_board_vars(b, st, &v);
	fac_step_line(s, &v, line, sizeof(line));
	json_obj_begin(w, NULL);
	json_str(w, "line", line);
	if (s->line)
		json_u64(w, "manifest_line", (u64)s->line);
	else
		json_null(w, "manifest_line");
	json_str(w, "result", st->succeeded & bit ? "ok" :
		 st->begun & bit ? "failed" : "skipped");
	json_u64(w, "bytes", st->succeeded & bit ? st->step_bytes[i] : 0);
	json_ms(w, "seconds", st->step_ms[i]);
	if (st->hashed & bit) {
		digest_to_hex(st->step_sha256[i], SHA256_DIGEST_LEN, hex);
		json_str(w, "sha256", hex);
	} else if (s->has_sha256) {
		digest_to_hex(s->sha256, SHA256_DIGEST_LEN, hex);
		json_str(w, "sha256", hex);
	} else {
		json_null(w, "sha256");
	}
	switch (st->step_verified[i]) {
	case FAC_VERIFY_OK:
		json_bool(w, "verified", true);
		break;
	case FAC_VERIFY_MISMATCH:
		json_bool(w, "verified", false);
		break;
	default:
		json_null(w, "verified");
	}
	json_obj_end(w);
}

static void json_board(struct json_w *w, const struct fac_run *run,
		       const struct fac_board *b)
{
	struct fac_status st;
	const char *uid;
	u64 ms;
	int i;

	fac_status_read(&b->st, &st);
	uid = st.uid[0] ? st.uid : b->uid;
	ms = st.t_end > st.t_start ? st.t_end - st.t_start : 0;
	json_obj_begin(w, NULL);
	json_u64(w, "board", (u64)b->number);
	json_str(w, "port", b->port);
	json_str_or_null(w, "uid", uid[0] ? uid : NULL);
	json_str_or_null(w, "soc", st.soc[0] ? st.soc : NULL);
	json_str_or_null(w, "hab", st.hab[0] ? st.hab : NULL);
	json_str(w, "result", st.result == FAC_OK ? "ok" :
		 st.result == FAC_RUNNING ? "running" : "failed");
	json_str_or_null(w, "failure", failure_word(st.result));
	json_str(w, "stage", stage_word(st.stage));
	json_str_or_null(w, "error", st.result == FAC_OK || !st.reason[0] ?
			 NULL : st.reason);
	json_ms(w, "seconds", ms);
	json_u64(w, "bytes", st.bytes);
	json_time(w, "started", b->started);
	json_str_or_null(w, "serial", st.serial[0] ? st.serial : NULL);
	json_str_or_null(w, "log", b->log[0] ? b->log : NULL);
	json_arr_begin(w, "steps");
	for (i = 0; i < run->m->n; i++)
		json_step(w, run, b, &st, i);
	json_arr_end(w);
	json_obj_end(w);
}

int fac_json_write(FILE *f, const struct fac_run *run,
		   struct fac_board *const *boards, int n, char *why,
		   size_t whylen)
{
	struct json_w w;
	int i, ok = 0, ret;

	for (i = 0; i < n; i++)
		ok += boards[i]->st.result == FAC_OK;
	json_init(&w, f, JSON_PRETTY);
	json_obj_begin(&w, NULL);
	json_str(&w, "tool", "imx-factory");
	json_u64(&w, "format", 1);
	json_str(&w, "manifest", run->m->name);
	json_str_or_null(&w, "images", run->m->imgdir[0] ? run->m->imgdir :
			 NULL);
	json_bool(&w, "bootloader_only", run->bootloader_only);
	json_time(&w, "started", run->started);
	json_time(&w, "finished", run->finished);
	json_str(&w, "state", !run->finished ? "running" :
		 run->interrupted ? "interrupted" : "done");
	json_u64(&w, "boards_ok", (u64)ok);
	json_u64(&w, "boards_failed", (u64)(n - ok));
	json_arr_begin(&w, "boards");
	for (i = 0; i < n; i++)
		json_board(&w, run, boards[i]);
	json_arr_end(&w);
	json_obj_end(&w);
	ret = json_finish(&w);
	if (ret)
		snprintf(why, whylen, "%s", w.why);
	return ret;
}

int fac_json_report(const char *path, const struct fac_run *run,
		    struct fac_board *const *boards, int n, char *why,
		    size_t whylen)
{
	struct afile a;
	int ret;

	ret = afile_open(&a, path, 0644);
	if (ret) {
		snprintf(why, whylen, "%s", a.why);
		return ret;
	}
	ret = fac_json_write(a.f, run, boards, n, why, whylen);
	if (ret) {
		afile_abort(&a);
		return ret;
	}
	ret = afile_commit(&a);
	if (ret)
		snprintf(why, whylen, "%s", a.why);
	return ret;
}

int fac_json_append(const char *path, const struct fac_run *run,
		    const struct fac_board *b, char *why, size_t whylen)
{
	struct json_w w;
	char *text = NULL;
	size_t len = 0;
	ssize_t n;
	FILE *f;
	int fd, ret;

	/* the line is made first, so that it goes out in one write */
	f = open_memstream(&text, &len);
	if (!f) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	json_init(&w, f, 0);
	json_board(&w, run, b);
	ret = json_finish(&w);
	if (ret)
		snprintf(why, whylen, "%s", w.why);
	if (!ret)
		fputc('\n', f);
	if (fclose(f) && !ret) {
		ret = -ENOMEM;
		snprintf(why, whylen, "out of memory");
	}
	if (ret) {
		free(text);
		return ret;
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		ret = -errno;
		snprintf(why, whylen, "%s: %s", path, strerror(-ret));
		free(text);
		return ret;
	}
	do {
		n = write(fd, text, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0 || (size_t)n != len) {
		ret = n < 0 ? -errno : -EIO;
		snprintf(why, whylen, "%s: %s", path,
			 n < 0 ? strerror(-ret) : "short write");
	}
	if (close(fd) && !ret) {
		ret = -errno;
		snprintf(why, whylen, "%s: %s", path, strerror(-ret));
	}
	free(text);
	return ret;
}
