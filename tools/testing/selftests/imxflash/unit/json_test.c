// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for userspace/lib/json.c, the JSON writer:
 *
 *  - exact output, compact and pretty, of nested objects and arrays,
 *    empty ones, integers at their limits, fractional numbers (shortest
 *    form that reads back), booleans, null;
 *  - RFC 8259 §7 escaping of every control character, quotation mark and
 *    reverse solidus; valid UTF-8 passed through, each byte of invalid
 *    UTF-8 (stray continuation, overlong, surrogate, above U+10FFFF,
 *    truncated sequence) replaced by U+FFFD;
 *  - misuse and write errors kept as the first error and reported by
 *    json_finish(), nothing written after them;
 *  - a report-shaped document read back by Python's json module, an
 *    independent parser.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "kselftest_harness.h"

struct mem {
	char *buf;
	size_t len;
	FILE *f;
};

static void mem_open(struct mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
}

static void mem_close(struct mem *m)
{
	fclose(m->f);
	free(m->buf);
}

TEST(compact)
{
	struct json_w w;
	struct mem m;

	mem_open(&m);
	ASSERT_NE(NULL, m.f);
	json_init(&w, m.f, 0);
	json_obj_begin(&w, NULL);
	json_str(&w, "s", "x");
	json_u64(&w, "u", 18446744073709551615ull);
	json_s64(&w, "i", -9223372036854775807ll - 1);
	json_double(&w, "d", 0.1);
	json_double(&w, "e", 1e300);
	json_double(&w, "z", -0.0);
	json_double(&w, "t", 12.5);
	json_bool(&w, "b", true);
	json_bool(&w, "f", false);
	json_null(&w, "n");
	json_str_or_null(&w, "sn", NULL);
	json_arr_begin(&w, "a");
	json_u64(&w, NULL, 1);
	json_obj_begin(&w, NULL);
	json_obj_end(&w);
	json_arr_begin(&w, NULL);
	json_arr_end(&w);
	json_strn(&w, NULL, "a\0b", 3);
	json_arr_end(&w);
	json_obj_end(&w);
	ASSERT_EQ(0, json_finish(&w)) {
		TH_LOG("%s", w.why);
	}
	EXPECT_STREQ("{\"s\":\"x\",\"u\":18446744073709551615,"
		     "\"i\":-9223372036854775808,\"d\":0.1,\"e\":1e+300,"
		     "\"z\":-0,\"t\":12.5,\"b\":true,\"f\":false,\"n\":null,"
		     "\"sn\":null,\"a\":[1,{},[],\"a\\u0000b\"]}", m.buf);
	mem_close(&m);
}

TEST(pretty)
{
	struct json_w w;
	struct mem m;

	mem_open(&m);
	json_init(&w, m.f, JSON_PRETTY);
	json_obj_begin(&w, NULL);
	json_arr_begin(&w, "boards");
	json_obj_begin(&w, NULL);
	json_str(&w, "port", "1-2");
	json_arr_begin(&w, "steps");
	json_arr_end(&w);
	json_obj_end(&w);
	json_arr_end(&w);
	json_obj_begin(&w, "empty");
	json_obj_end(&w);
	json_obj_end(&w);
	ASSERT_EQ(0, json_finish(&w));
	EXPECT_STREQ("{\n"
		     "  \"boards\": [\n"
		     "    {\n"
		     "      \"port\": \"1-2\",\n"
		     "      \"steps\": []\n"
		     "    }\n"
		     "  ],\n"
		     "  \"empty\": {}\n"
		     "}", m.buf);
	mem_close(&m);
}

static void check_str(struct __test_metadata *_metadata, const char *in,
		      size_t len, const char *want)
{
	struct json_w w;
	struct mem m;

	mem_open(&m);
	json_init(&w, m.f, 0);
	json_strn(&w, NULL, in, len);
	ASSERT_EQ(0, json_finish(&w));
	EXPECT_STREQ(want, m.buf);
	mem_close(&m);
}

TEST(escaping)
{
	static const char utf8[] = "\xc2\x80 \xdf\xbf \xe0\xa0\x80 \xed\x9f\xbf "
		"\xef\xbf\xbf \xf0\x90\x80\x80 \xf4\x8f\xbf\xbf";
	char in[32], want[256], *p = want;
	int c;

	for (c = 0; c < 32; c++)
		in[c] = (char)c;
	p += sprintf(p, "\"");
	for (c = 0; c < 32; c++) {
		switch (c) {
		case '\b':
			p += sprintf(p, "\\b");
			break;
		case '\f':
			p += sprintf(p, "\\f");
			break;
		case '\n':
			p += sprintf(p, "\\n");
			break;
		case '\r':
			p += sprintf(p, "\\r");
			break;
		case '\t':
			p += sprintf(p, "\\t");
			break;
		default:
			p += sprintf(p, "\\u%04x", c);
		}
	}
	sprintf(p, "\"");
	check_str(_metadata, in, 32, want);
	check_str(_metadata, "\"q\" \\ / \x7f", 9, "\"\\\"q\\\" \\\\ / \x7f\"");
	/* valid UTF-8: 2, 3 and 4 bytes, the edges of the ranges */
	check_str(_metadata, utf8, strlen(utf8),
		  "\"\xc2\x80 \xdf\xbf \xe0\xa0\x80 \xed\x9f\xbf \xef\xbf\xbf "
		  "\xf0\x90\x80\x80 \xf4\x8f\xbf\xbf\"");
}

#define FFFD "\xef\xbf\xbd"

TEST(bad_utf8)
{
	static const struct {
		const char *in, *want;
	} c[] = {
		{ "a\x80z", "\"a" FFFD "z\"" },		/* stray continuation */
		{ "\xc0\xaf", "\"" FFFD FFFD "\"" },	/* overlong '/' */
		{ "\xc1\xbf", "\"" FFFD FFFD "\"" },
		{ "\xe0\x80\xaf", "\"" FFFD FFFD FFFD "\"" },	/* overlong */
		{ "\xed\xa0\x80", "\"" FFFD FFFD FFFD "\"" },	/* surrogate */
		{ "\xf0\x80\x80\xaf", "\"" FFFD FFFD FFFD FFFD "\"" },
		{ "\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"" },
		{ "\xf5\x80", "\"" FFFD FFFD "\"" },
		{ "\xff", "\"" FFFD "\"" },
		{ "\xe2\x82", "\"" FFFD FFFD "\"" },	/* cut at the end */
		{ "\xe2\x82z", "\"" FFFD FFFD "z\"" },	/* cut in the middle */
		{ "\xc3", "\"" FFFD "\"" },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		check_str(_metadata, c[i].in, strlen(c[i].in), c[i].want);
}

/* The first misuse is kept; nothing is written after it. */
TEST(misuse)
{
	static const char *const why[] = {
		"a value without a name in an object",
		"member \"x\" in an array",
		"an array closed, but an object is open",
		"an object closed, but nothing is open",
		"a second top-level value",
		"member \"x\" outside an object",
		"1 object(s) or array(s) not closed",
		"no value written",
		"member \"d\": NaN is not a JSON number",
		"member \"d\": infinity is not a JSON number",
		"nested deeper than 32",
	};
	struct json_w w;
	struct mem m;
	size_t i, len;
	int k;

	for (i = 0; i < sizeof(why) / sizeof(why[0]); i++) {
		mem_open(&m);
		json_init(&w, m.f, 0);
		switch (i) {
		case 0:
			json_obj_begin(&w, NULL);
			json_u64(&w, NULL, 1);
			break;
		case 1:
			json_arr_begin(&w, NULL);
			json_u64(&w, "x", 1);
			break;
		case 2:
			json_obj_begin(&w, NULL);
			json_arr_end(&w);
			break;
		case 3:
			json_obj_end(&w);
			break;
		case 4:
			json_null(&w, NULL);
			json_null(&w, NULL);
			break;
		case 5:
			json_null(&w, "x");
			break;
		case 6:
			json_arr_begin(&w, NULL);
			break;
		case 7:
			break;
		case 8:
			json_obj_begin(&w, NULL);
			json_double(&w, "d", NAN);
			break;
		case 9:
			json_obj_begin(&w, NULL);
			json_double(&w, "d", -INFINITY);
			break;
		case 10:
			for (k = 0; k < 33; k++)
				json_arr_begin(&w, NULL);
			break;
		}
		fflush(m.f);
		len = m.len;
		if (w.err) {
			/* ignored after the error */
			json_str(&w, "late", "late");
			json_obj_end(&w);
		}
		EXPECT_EQ(-EINVAL, json_finish(&w));
		EXPECT_STREQ(why[i], w.why);
		EXPECT_EQ(len, m.len);
		EXPECT_EQ(NULL, m.buf ? strstr(m.buf, "late") : NULL);
		mem_close(&m);
	}
}

TEST(write_error)
{
	struct json_w w;
	FILE *f;
	int i;

	f = fopen("/dev/full", "w");
	ASSERT_NE(NULL, f);
	setvbuf(f, NULL, _IONBF, 0);
	json_init(&w, f, 0);
	json_arr_begin(&w, NULL);
	for (i = 0; i < 10; i++)
		json_u64(&w, NULL, (u64)i);
	json_arr_end(&w);
	EXPECT_EQ(-ENOSPC, json_finish(&w));
	EXPECT_NE(NULL, strstr(w.why, "write"));
	fclose(f);
}

/* A report-shaped document through Python's json module. */
TEST(python_reads_it)
{
	char path[] = "/tmp/json_testXXXXXX", cmd[256], out[512];
	struct json_w w;
	FILE *f, *p;
	int fd;

	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	f = fdopen(fd, "w");
	ASSERT_NE(NULL, f);
	json_init(&w, f, JSON_PRETTY);
	json_obj_begin(&w, NULL);
	json_arr_begin(&w, "boards");
	json_obj_begin(&w, NULL);
	json_str(&w, "port", "1-1.2");
	json_str(&w, "uid", "0123456789abcdef");
	json_str(&w, "result", "failed");
	json_str(&w, "error", "flash rootfs: \"line\"\t2\n\x01 \xc3\xa9 \xff");
	json_double(&w, "seconds", 12.25);
	json_u64(&w, "bytes", 1ull << 40);
	json_arr_begin(&w, "steps");
	json_obj_begin(&w, NULL);
	json_str(&w, "line", "fastboot flash env env-${uid}.bin");
	json_null(&w, "verified");
	json_bool(&w, "ok", false);
	json_obj_end(&w);
	json_arr_end(&w);
	json_obj_end(&w);
	json_arr_end(&w);
	json_obj_end(&w);
	ASSERT_EQ(0, json_finish(&w));
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import json,sys; d=json.load(open(sys.argv[1],encoding=\"utf-8\")); "
		 "print(json.dumps(d, sort_keys=True, ensure_ascii=True))' %s",
		 path);
	p = popen(cmd, "r");
	ASSERT_NE(NULL, p);
	ASSERT_NE(NULL, fgets(out, sizeof(out), p));
	EXPECT_EQ(0, pclose(p));
	unlink(path);
	EXPECT_STREQ("{\"boards\": [{\"bytes\": 1099511627776, \"error\": "
		     "\"flash rootfs: \\\"line\\\"\\t2\\n\\u0001 \\u00e9 \\ufffd\", "
		     "\"port\": \"1-1.2\", \"result\": \"failed\", "
		     "\"seconds\": 12.25, \"steps\": [{\"line\": "
		     "\"fastboot flash env env-${uid}.bin\", \"ok\": false, "
		     "\"verified\": null}], \"uid\": \"0123456789abcdef\"}]}\n",
		     out);
}

TEST_HARNESS_MAIN
