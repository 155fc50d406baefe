// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for lib/imxflash/fastboot_ranges.c, the range lists of
 * "oem sha256": every rule of the grammar (fastboot_ranges.h) with the
 * errno, the reason, the byte and the range an error names; lists fed
 * in pieces split at every byte give the same ranges as a whole one;
 * random lists written as fastboot-lite writes them parse back; a
 * callback's error stops the parse; the arguments of "oem sha256".
 */
#include <stdio.h>
#include <stdlib.h>

#include <imxflash/fastboot_ranges.h>

#include "kselftest_harness.h"

#define MAXR	64

struct got {
	u64 off[MAXR], len[MAXR];
	unsigned int n;
	int stop_at;		/* > 0: return -EIO at this range (1-based) */
};

static int collect(void *ctx, u64 off, u64 len)
{
	struct got *g = ctx;

	if (g->n < MAXR) {
		g->off[g->n] = off;
		g->len[g->n] = len;
	}
	g->n++;
	if (g->stop_at && (int)g->n == g->stop_at)
		return -EIO;
	return 0;
}

/* Parse @s whole against @limit. */
static int parse(const char *s, u64 limit, struct fastboot_ranges *r,
		 struct got *g)
{
	int ret;

	fastboot_ranges_init(r, limit);
	ret = fastboot_ranges_feed(r, s, strlen(s), collect, g);
	if (!ret)
		ret = fastboot_ranges_finish(r, collect, g);
	return ret;
}

TEST(one_range)
{
	struct fastboot_ranges r;
	struct got g = { 0 };

	ASSERT_EQ(0, parse("0x0:0x1000", 0x1000, &r, &g));
	ASSERT_EQ(1ull, g.n);
	ASSERT_EQ(0ull, g.off[0]);
	ASSERT_EQ(0x1000ull, g.len[0]);
	ASSERT_EQ(1ull, r.count);
	ASSERT_EQ(0x1000ull, r.bytes);
	ASSERT_EQ(0x1000ull, r.end);
	ASSERT_EQ(NULL, r.why);
}

TEST(separators_case_adjacent_trailing)
{
	const char *s = "0x10:0x10,0x20:0X8\n0XaB0:0x1\n";
	struct fastboot_ranges r;
	struct got g = { 0 };

	ASSERT_EQ(0, parse(s, 0x10000, &r, &g));
	ASSERT_EQ(3ull, g.n);
	ASSERT_EQ(0x10ull, g.off[0]);
	ASSERT_EQ(0x20ull, g.off[1]);	/* adjacent to the first */
	ASSERT_EQ(8ull, g.len[1]);
	ASSERT_EQ(0xab0ull, g.off[2]);
	ASSERT_EQ(1ull, g.len[2]);
	ASSERT_EQ(0x19ull, r.bytes);
	ASSERT_EQ(strlen(s), r.pos);
}

TEST(sixteen_digits_and_the_top_of_64_bits)
{
	struct fastboot_ranges r;
	struct got g = { 0 };

	ASSERT_EQ(0, parse("0x0000000000000001:0xfffffffffffffffe",
			   ~0ull, &r, &g));
	ASSERT_EQ(1ull, g.off[0]);
	ASSERT_EQ(0xfffffffffffffffeull, g.len[0]);
	ASSERT_EQ(~0ull, r.end);
}

TEST(limit_is_inclusive_end)
{
	struct fastboot_ranges r;
	struct got g = { 0 };

	ASSERT_EQ(0, parse("0xfff:0x1", 0x1000, &r, &g));
	ASSERT_EQ(-ERANGE, parse("0xfff:0x2", 0x1000, &r, &g));
	ASSERT_STREQ("ends past the end of the partition", r.why);
	ASSERT_EQ(0ull, r.count);
}

struct bad {
	const char *s;
	int err;
	const char *why;
	unsigned int pos;	/* of the offending byte (or the end) */
	unsigned int count;	/* good ranges before it */
};

static const struct bad bads[] = {
	{ "", -EINVAL, "no ranges", 0, 0 },
	{ "\n", -EINVAL, "'0x' expected", 0, 0 },
	{ "1000:0x10", -EINVAL, "'0x' expected", 0, 0 },
	{ "0y0:0x10", -EINVAL, "'0x' expected", 1, 0 },
	{ "0x:0x10", -EINVAL, "hex digit expected", 2, 0 },
	{ "0x0g:0x10", -EINVAL, "':' expected after the offset", 3, 0 },
	{ "0x0 :0x10", -EINVAL, "':' expected after the offset", 3, 0 },
	{ "0x0:10", -EINVAL, "'0x' expected", 4, 0 },
	{ "0x0:0x", -EINVAL, "the list ends inside a range", 6, 0 },
	{ "0x0:0x,", -EINVAL, "hex digit expected", 6, 0 },
	{ "0x0:", -EINVAL, "the list ends inside a range", 4, 0 },
	{ "0x0", -EINVAL, "the list ends inside a range", 3, 0 },
	{ "0x0:0x10,,0x20:0x1", -EINVAL, "'0x' expected", 9, 1 },
	{ "0x0:0x10\n\n", -EINVAL, "'0x' expected", 9, 1 },
	{ "0x0:0x10\r\n", -EINVAL, "',' or newline expected", 8, 0 },
	{ "0x0:0x10 ", -EINVAL, "',' or newline expected", 8, 0 },
	{ "0x0:0x10;0x20:0x1", -EINVAL, "',' or newline expected", 8, 0 },
	{ "0x10000000000000000:0x1", -EINVAL, "more than 16 hex digits",
	  18, 0 },
	{ "0x0:0x00000000000000001", -EINVAL, "more than 16 hex digits",
	  22, 0 },
	{ "0x0:0x0", -ERANGE, "length 0", 7, 0 },
	{ "0x0:0x1,0x5:0x0,", -ERANGE, "length 0", 15, 1 },
	{ "0xffffffffffffffff:0x2", -ERANGE, "offset + length past 2^64",
	  22, 0 },
	{ "0x10:0x10,0x1f:0x1", -ERANGE,
	  "starts before the end of the range before", 18, 1 },
	{ "0x10:0x10,0x0:0x1", -ERANGE,
	  "starts before the end of the range before", 17, 1 },
	{ "0x0:0x1,0x0:0x1", -ERANGE,
	  "starts before the end of the range before", 15, 1 },
	{ "0x0:0x1000,0x1000:0x1", -ERANGE,
	  "ends past the end of the partition", 21, 1 },
};

TEST(every_error_named)
{
	struct fastboot_ranges r;
	size_t i;

	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct got g = { 0 };
		int ret = parse(bads[i].s, 0x1000, &r, &g);

		TH_LOG("'%s'", bads[i].s);
		ASSERT_EQ(bads[i].err, ret);
		ASSERT_STREQ(bads[i].why, r.why);
		ASSERT_EQ(bads[i].pos, r.pos);
		ASSERT_EQ(bads[i].count, r.count);
		/* only the good ranges reached the callback */
		ASSERT_EQ(bads[i].count, g.n);
		/* the error sticks */
		ASSERT_EQ(bads[i].err, fastboot_ranges_feed(&r, "0x0:0x1", 7,
							     collect, &g));
		ASSERT_EQ(bads[i].err, fastboot_ranges_finish(&r, collect,
							       &g));
		ASSERT_EQ(bads[i].count, g.n);
	}
}

/* Every list of bads[] and a good one, fed in two pieces split anywhere. */
TEST(split_anywhere)
{
	static const char good[] = "0x10:0x10,0x20:0X8\n0xab0:0x1\n";
	struct fastboot_ranges a, b;
	size_t i, cut, n;

	for (i = 0; i <= sizeof(bads) / sizeof(bads[0]); i++) {
		const char *s = i < sizeof(bads) / sizeof(bads[0]) ?
				bads[i].s : good;

		n = strlen(s);
		for (cut = 0; cut <= n; cut++) {
			struct got ga = { 0 }, gb = { 0 };
			int ra, rb;

			ra = parse(s, 0x1000, &a, &ga);
			fastboot_ranges_init(&b, 0x1000);
			rb = fastboot_ranges_feed(&b, s, cut, collect, &gb);
			if (!rb)
				rb = fastboot_ranges_feed(&b, s + cut, n - cut,
							  collect, &gb);
			if (!rb)
				rb = fastboot_ranges_finish(&b, collect, &gb);
			ASSERT_EQ(ra, rb);
			ASSERT_EQ(a.pos, b.pos);
			ASSERT_EQ(a.count, b.count);
			ASSERT_EQ(a.bytes, b.bytes);
			ASSERT_EQ(ga.n, gb.n);
			ASSERT_EQ(0, memcmp(ga.off, gb.off, sizeof(ga.off)));
			ASSERT_EQ(0, memcmp(ga.len, gb.len, sizeof(ga.len)));
		}
	}
}

/* Lists written as the host writes them ("0x%llx:0x%llx\n") parse back. */
TEST(random_lists_round_trip)
{
	char *text = malloc(MAXR * FASTBOOT_RANGE_TEXT_MAX + 1);
	struct fastboot_ranges r;
	u64 off[MAXR], len[MAXR], pos, sum;
	unsigned int round, i, n;
	size_t tl;

	ASSERT_NE(NULL, text);
	srand(12);
	for (round = 0; round < 500; round++) {
		struct got g = { 0 };

		n = 1 + (unsigned int)rand() % MAXR;
		pos = (u64)rand() % 3 ? (u64)rand() : 0;
		tl = 0;
		sum = 0;
		for (i = 0; i < n; i++) {
			pos += (u64)rand() % 4 ? (u64)rand() % 100000 : 0;
			off[i] = pos;
			len[i] = 1 + (u64)rand() * (u64)(rand() % 1000);
			pos += len[i];
			sum += len[i];
			tl += (size_t)snprintf(text + tl, FASTBOOT_RANGE_TEXT_MAX + 1,
					       "0x%llx:0x%llx%s", off[i], len[i],
					       i + 1 < n || rand() % 2 ?
					       (rand() % 2 ? "," : "\n") : "");
		}
		ASSERT_EQ(0, parse(text, pos, &r, &g));
		ASSERT_EQ(n, g.n);
		ASSERT_EQ(sum, r.bytes);
		for (i = 0; i < n; i++) {
			ASSERT_EQ(off[i], g.off[i]);
			ASSERT_EQ(len[i], g.len[i]);
		}
		/* one byte less room: the last range is past the limit */
		ASSERT_EQ(-ERANGE, parse(text, pos - 1, &r, &g));
		ASSERT_EQ(n - 1, r.count);
	}
	free(text);
}

TEST(callback_stops_the_parse)
{
	struct fastboot_ranges r;
	struct got g = { .stop_at = 2 };

	ASSERT_EQ(-EIO, parse("0x0:0x1,0x1:0x1,0x2:0x1", 16, &r, &g));
	ASSERT_EQ(2ull, g.n);
	g.n = 0;
	g.stop_at = 1;
	/* the last range, handed over by finish */
	ASSERT_EQ(-EIO, parse("0x0:0x1", 16, &r, &g));
	ASSERT_EQ(1ull, g.n);
}

/* ---- "oem sha256" arguments ---- */

static int args(const char *cmd, char *part, char *list, const char **why)
{
	struct fastboot_span a = { .off = 4 }, p, l;	/* after "oem " */
	int ret;

	a.len = (u16)(strlen(cmd) - 4);
	*why = NULL;
	ret = fastboot_sha256_args(cmd, a, &p, &l, why);
	snprintf(part, 80, "%.*s", p.len, cmd + p.off);
	snprintf(list, 200, "%.*s", l.len, cmd + l.off);
	return ret;
}

TEST(sha256_args)
{
	char part[80], list[200];
	const char *why;

	ASSERT_EQ(0, args("oem sha256 rootfs", part, list, &why));
	ASSERT_STREQ("rootfs", part);
	ASSERT_STREQ("", list);
	ASSERT_EQ(0, args("oem sha256 0x400 0x0:0x10,0x20:0x1", part, list,
			  &why));
	ASSERT_STREQ("0x400", part);
	ASSERT_STREQ("0x0:0x10,0x20:0x1", list);
	/* what follows the partition is the list, checked by the parser */
	ASSERT_EQ(0, args("oem sha256 boot a b", part, list, &why));
	ASSERT_STREQ("a b", list);

	ASSERT_EQ(-EINVAL, args("oem sha256", part, list, &why));
	ASSERT_STREQ("oem sha256: partition missing", why);
	ASSERT_EQ(-EINVAL, args("oem sha256 ", part, list, &why));
	ASSERT_STREQ("oem sha256: partition missing", why);
	ASSERT_EQ(-EINVAL, args("oem sha256  rootfs", part, list, &why));
	ASSERT_STREQ("oem sha256: partition missing", why);
	ASSERT_EQ(-EINVAL, args("oem sha256:rootfs", part, list, &why));
	ASSERT_STREQ("oem sha256: partition missing", why);
	ASSERT_EQ(-EINVAL, args("oem sha256 rootfs ", part, list, &why));
	ASSERT_STREQ("oem sha256: ranges missing after the partition", why);
	ASSERT_EQ(-EINVAL, args("oem sha25 rootfs", part, list, &why));
	ASSERT_STREQ("not an oem sha256 command", why);
	ASSERT_EQ(-EINVAL, args("oem sha2567 rootfs", part, list, &why));
	ASSERT_STREQ("oem sha256: partition missing", why);
}

TEST_HARNESS_MAIN
