// SPDX-License-Identifier: GPL-2.0
/*
 * JSON writer. See json.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <imxflash/fastboot_cmd.h>	/* __printf */

#include "json.h"

static __printf(3, 4)
void fail(struct json_w *w, int err, const char *fmt, ...)
{
	va_list ap;

	if (w->err)
		return;
	va_start(ap, fmt);
	vsnprintf(w->why, sizeof(w->why), fmt, ap);
	va_end(ap);
	w->err = err;
}

static void put(struct json_w *w, const char *s, size_t len)
{
	if (w->err || !len)
		return;
	if (fwrite(s, 1, len, w->f) != len)
		fail(w, errno ? -errno : -EIO, "write: %s",
		     strerror(errno ? errno : EIO));
}

static void puts_(struct json_w *w, const char *s)
{
	put(w, s, strlen(s));
}

static void newline(struct json_w *w)
{
	unsigned int i;

	if (!(w->flags & JSON_PRETTY))
		return;
	put(w, "\n", 1);
	for (i = 0; i < w->depth; i++)
		put(w, "  ", 2);
}

/* The escaped, quoted string; bad UTF-8 becomes U+FFFD per byte. */
static void quoted(struct json_w *w, const char *str, size_t len)
{
	const u8 *s = (const u8 *)str, *end = s + len, *run = s;
	char esc[8];
	size_t n;
	u8 c;

	put(w, "\"", 1);
	while (s < end) {
		c = *s;
		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			s++;
			continue;
		}
		if (c >= 0x80) {
			n = 0;
			if (c >= 0xc2 && c <= 0xdf)
				n = 1;
			else if (c >= 0xe0 && c <= 0xef)
				n = 2;
			else if (c >= 0xf0 && c <= 0xf4)
				n = 3;
			/* RFC 3629 §4: continuations, no overlong or surrogate */
			if (n && (size_t)(end - s) > n) {
				u8 c1 = s[1];
				bool ok = (c1 & 0xc0) == 0x80;
				size_t i;

				if (c == 0xe0 && c1 < 0xa0)
					ok = false;
				if (c == 0xed && c1 > 0x9f)
					ok = false;
				if (c == 0xf0 && c1 < 0x90)
					ok = false;
				if (c == 0xf4 && c1 > 0x8f)
					ok = false;
				for (i = 2; i <= n; i++)
					if ((s[i] & 0xc0) != 0x80)
						ok = false;
				if (ok) {
					s += n + 1;
					continue;
				}
			}
			put(w, (const char *)run, (size_t)(s - run));
			put(w, "\xef\xbf\xbd", 3);
			run = ++s;
			continue;
		}
		put(w, (const char *)run, (size_t)(s - run));
		switch (c) {
		case '"':
			puts_(w, "\\\"");
			break;
		case '\\':
			puts_(w, "\\\\");
			break;
		case '\b':
			puts_(w, "\\b");
			break;
		case '\f':
			puts_(w, "\\f");
			break;
		case '\n':
			puts_(w, "\\n");
			break;
		case '\r':
			puts_(w, "\\r");
			break;
		case '\t':
			puts_(w, "\\t");
			break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			puts_(w, esc);
		}
		run = ++s;
	}
	put(w, (const char *)run, (size_t)(s - run));
	put(w, "\"", 1);
}

/* Separator, indent and member name before a value. */
static bool before_value(struct json_w *w, const char *name)
{
	if (w->err)
		return false;
	if (!w->depth) {
		if (w->top_done) {
			fail(w, -EINVAL, "a second top-level value");
			return false;
		}
		if (name) {
			fail(w, -EINVAL, "member \"%.40s\" outside an object",
			     name);
			return false;
		}
		w->top_done = true;
		return true;
	}
	if (w->is_obj[w->depth - 1] && !name) {
		fail(w, -EINVAL, "a value without a name in an object");
		return false;
	}
	if (!w->is_obj[w->depth - 1] && name) {
		fail(w, -EINVAL, "member \"%.40s\" in an array", name);
		return false;
	}
	if (!w->first[w->depth - 1])
		put(w, ",", 1);
	w->first[w->depth - 1] = false;
	newline(w);
	if (name) {
		quoted(w, name, strlen(name));
		puts_(w, w->flags & JSON_PRETTY ? ": " : ":");
	}
	return !w->err;
}

void json_init(struct json_w *w, FILE *f, unsigned int flags)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->flags = flags;
}

static void open_(struct json_w *w, const char *name, bool obj)
{
	if (!before_value(w, name))
		return;
	if (w->depth == JSON_MAX_DEPTH) {
		fail(w, -EINVAL, "nested deeper than %d", JSON_MAX_DEPTH);
		return;
	}
	put(w, obj ? "{" : "[", 1);
	w->is_obj[w->depth] = obj;
	w->first[w->depth] = true;
	w->depth++;
}

static void close_(struct json_w *w, bool obj)
{
	bool empty;

	if (w->err)
		return;
	if (!w->depth || w->is_obj[w->depth - 1] != obj) {
		fail(w, -EINVAL, "%s closed, but %s is open",
		     obj ? "an object" : "an array",
		     !w->depth ? "nothing" :
		     w->is_obj[w->depth - 1] ? "an object" : "an array");
		return;
	}
	empty = w->first[w->depth - 1];
	w->depth--;
	if (!empty)
		newline(w);
	put(w, obj ? "}" : "]", 1);
}

void json_obj_begin(struct json_w *w, const char *name)
{
	open_(w, name, true);
}

void json_obj_end(struct json_w *w)
{
	close_(w, true);
}

void json_arr_begin(struct json_w *w, const char *name)
{
	open_(w, name, false);
}

void json_arr_end(struct json_w *w)
{
	close_(w, false);
}

void json_strn(struct json_w *w, const char *name, const char *s, size_t len)
{
	if (before_value(w, name))
		quoted(w, s, len);
}

void json_str(struct json_w *w, const char *name, const char *s)
{
	json_strn(w, name, s, strlen(s));
}

void json_str_or_null(struct json_w *w, const char *name, const char *s)
{
	if (s)
		json_str(w, name, s);
	else
		json_null(w, name);
}

void json_u64(struct json_w *w, const char *name, u64 v)
{
	char buf[24];

	if (!before_value(w, name))
		return;
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	puts_(w, buf);
}

void json_s64(struct json_w *w, const char *name, s64 v)
{
	char buf[24];

	if (!before_value(w, name))
		return;
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	puts_(w, buf);
}

void json_double(struct json_w *w, const char *name, double v)
{
	char buf[32];
	int prec;

	if (!isfinite(v)) {
		fail(w, -EINVAL, "member \"%.40s\": %s is not a JSON number",
		     name ? name : "", isnan(v) ? "NaN" : "infinity");
		return;
	}
	if (!before_value(w, name))
		return;
	/* the shortest of %.15g..%.17g that reads back as @v */
	for (prec = 15; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (prec == 17)
		snprintf(buf, sizeof(buf), "%.17g", v);
	puts_(w, buf);
}

void json_bool(struct json_w *w, const char *name, bool v)
{
	if (before_value(w, name))
		puts_(w, v ? "true" : "false");
}

void json_null(struct json_w *w, const char *name)
{
	if (before_value(w, name))
		puts_(w, "null");
}

int json_finish(struct json_w *w)
{
	if (!w->err && w->depth)
		fail(w, -EINVAL, "%u object(s) or array(s) not closed",
		     w->depth);
	if (!w->err && !w->top_done)
		fail(w, -EINVAL, "no value written");
	if (!w->err && fflush(w->f))
		fail(w, -errno, "write: %s", strerror(errno));
	return w->err;
}
