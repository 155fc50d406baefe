/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON writer (RFC 8259) for machine-readable reports such as
 * imx-factory --json: objects, arrays, strings, integers, fractional
 * numbers, booleans and null, written to a stdio stream as they come,
 * nothing kept but the nesting.
 *
 * Every value inside an object takes its member name, every value
 * inside an array takes NULL. Mistakes in that use (a name in an array,
 * none in an object, closing what is not open, nesting deeper than
 * JSON_MAX_DEPTH, a second top-level value, a non-finite number) and
 * write errors are kept: the first one stays in @w->err / @w->why and
 * every later call does nothing, so a writer is checked once, by
 * json_finish().
 *
 * Strings are escaped as RFC 8259 §7 requires (quotation mark, reverse
 * solidus, U+0000-U+001F; \b \f \n \r \t in their short form). JSON
 * text is UTF-8 (§8.1): a byte sequence that is not UTF-8 (a file name
 * can be anything) is written as U+FFFD for each bad byte, never passed
 * through.
 */
#ifndef JSON_H
#define JSON_H

#include <stdbool.h>
#include <stdio.h>

#include <imxflash/pure.h>

#define JSON_MAX_DEPTH	32

/* json_init() flags */
#define JSON_PRETTY	0x1	/* newlines and two-space indents */

struct json_w {
	FILE *f;
	unsigned int flags;
	unsigned int depth;
	bool top_done;			/* the top-level value is written */
	bool first[JSON_MAX_DEPTH];	/* no member written yet at depth */
	bool is_obj[JSON_MAX_DEPTH];	/* object (else array) at depth */
	int err;			/* first error, -errno */
	char why[96];
};

void json_init(struct json_w *w, FILE *f, unsigned int flags);

void json_obj_begin(struct json_w *w, const char *name);
void json_obj_end(struct json_w *w);
void json_arr_begin(struct json_w *w, const char *name);
void json_arr_end(struct json_w *w);

void json_str(struct json_w *w, const char *name, const char *s);
/* @len bytes of @s (may hold NUL, written as \u0000). */
void json_strn(struct json_w *w, const char *name, const char *s, size_t len);
/* json_str(), or null when @s is NULL. */
void json_str_or_null(struct json_w *w, const char *name, const char *s);
void json_u64(struct json_w *w, const char *name, u64 v);
void json_s64(struct json_w *w, const char *name, s64 v);
/* A finite number, with enough digits to read back the same double. */
void json_double(struct json_w *w, const char *name, double v);
void json_bool(struct json_w *w, const char *name, bool v);
void json_null(struct json_w *w, const char *name);

/*
 * The document is complete: 0, or the first error (-EINVAL misuse,
 * an unclosed object or array, no value at all; -errno of a write)
 * with @w->why set. Flushes @w->f, does not close it.
 */
int json_finish(struct json_w *w);

#endif /* JSON_H */
