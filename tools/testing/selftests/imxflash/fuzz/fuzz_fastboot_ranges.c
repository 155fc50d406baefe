// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: the range lists of "oem sha256" (fastboot_ranges.h).
 * The first byte chooses the limit (a power of two up to 2^63, or no
 * limit) and the second where the list is split between two feeds; the
 * rest is the list. Checked: the errno and its reason agree, every range
 * handed over obeys the rules, the split parse equals the whole one, and
 * the input as the arguments of "oem sha256" gives spans inside it.
 */
#include <stdlib.h>
#include <string.h>

#include <imxflash/fastboot_ranges.h>

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)
#define MAXR	4096

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

struct seen {
	u64 limit, end, bytes;
	u32 n;
	u64 sum_off;
};

static int check_range(void *ctx, u64 off, u64 len)
{
	struct seen *s = ctx;

	CHECK(len);
	CHECK(off + len >= off);
	CHECK(!s->n || off >= s->end);
	CHECK(off + len <= s->limit);
	s->end = off + len;
	s->bytes += len;
	s->sum_off += off;
	s->n++;
	return 0;
}

static int run(const char *p, size_t n, size_t cut, u64 limit,
	       struct fastboot_ranges *r, struct seen *s)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->limit = limit;
	fastboot_ranges_init(r, limit);
	ret = fastboot_ranges_feed(r, p, cut, check_range, s);
	if (!ret)
		ret = fastboot_ranges_feed(r, p + cut, n - cut, check_range, s);
	if (!ret)
		ret = fastboot_ranges_finish(r, check_range, s);
	return ret;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fastboot_ranges a, b;
	struct fastboot_span arg, part, list;
	struct seen sa, sb;
	const char *p, *why;
	size_t n, cut;
	u64 limit;
	int ra, rb;

	if (size < 2)
		return 0;
	limit = data[0] >= 64 ? ~0ull : 1ull << data[0];
	p = (const char *)data + 2;
	n = size - 2;
	cut = n ? data[1] % (n + 1) : 0;

	ra = run(p, n, n, limit, &a, &sa);
	rb = run(p, n, cut, limit, &b, &sb);
	CHECK(ra == 0 || ra == -EINVAL || ra == -ERANGE);
	CHECK(ra ? a.why != NULL : a.why == NULL);
	CHECK(ra == rb && a.why == b.why && a.pos == b.pos);
	CHECK(a.count == sa.n && a.bytes == sa.bytes && a.count == b.count);
	CHECK(sa.sum_off == sb.sum_off && sa.bytes == sb.bytes);
	CHECK(a.pos <= n);
	CHECK(!ra ? a.pos == n && a.count : 1);

	/* as the arguments of "oem sha256": spans inside the input */
	if (n <= FASTBOOT_CMD_ID_MAX) {
		arg.off = 0;
		arg.len = (u16)n;
		why = NULL;
		if (!fastboot_sha256_args(p, arg, &part, &list, &why)) {
			CHECK(!why && part.len && part.off == 7);
			CHECK((size_t)part.off + part.len <= n);
			CHECK(!memchr(p + part.off, ' ', part.len));
			CHECK(!list.len ||
			      (list.off == part.off + part.len + 1 &&
			       (size_t)list.off + list.len == n));
		} else {
			CHECK(why);
		}
	}
	return 0;
}
