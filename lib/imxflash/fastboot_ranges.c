// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Range lists of "oem sha256": a streaming parser (see fastboot_ranges.h).
 *
 * Pure C: linked into usb_f_fastboot, the host tools, the unit tests and
 * the fuzzers. One byte at a time through a small state machine, so that
 * a list may be split anywhere between the pieces it is fed in; no
 * allocation.
 */
#include <imxflash/fastboot_ranges.h>

/* struct fastboot_ranges.state */
enum {
	FASTBOOT_RS_OFF0,	/* '0' of an offset (a range starts) */
	FASTBOOT_RS_OFFX,	/* 'x' of an offset */
	FASTBOOT_RS_OFFH,	/* hex digits of the offset, then ':' */
	FASTBOOT_RS_LEN0,	/* '0' of a length */
	FASTBOOT_RS_LENX,	/* 'x' of a length */
	FASTBOOT_RS_LENH,	/* hex digits of the length, then a separator */
	FASTBOOT_RS_EINVAL,	/* failed: -EINVAL from now on */
	FASTBOOT_RS_ERANGE,	/* failed: -ERANGE from now on */
};

void fastboot_ranges_init(struct fastboot_ranges *r, u64 limit)
{
	memset(r, 0, sizeof(*r));
	r->limit = limit;
	r->state = FASTBOOT_RS_OFF0;
}

static int fastboot_ranges_fail(struct fastboot_ranges *r, int err,
				const char *why)
{
	r->why = why;
	r->state = err == -ERANGE ? FASTBOOT_RS_ERANGE : FASTBOOT_RS_EINVAL;
	return err;
}

static int fastboot_ranges_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The range read so far is complete: check it and hand it over. */
static int fastboot_ranges_done(struct fastboot_ranges *r,
				fastboot_range_fn fn, void *ctx)
{
	if (!r->len)
		return fastboot_ranges_fail(r, -ERANGE, "length 0");
	if (r->off + r->len < r->off)
		return fastboot_ranges_fail(r, -ERANGE,
					    "offset + length past 2^64");
	if (r->count && r->off < r->end)
		return fastboot_ranges_fail(r, -ERANGE,
					    "starts before the end of the range before");
	if (r->off + r->len > r->limit)
		return fastboot_ranges_fail(r, -ERANGE,
					    "ends past the end of the partition");
	r->count++;
	r->bytes += r->len;
	r->end = r->off + r->len;
	r->state = FASTBOOT_RS_OFF0;
	return fn ? fn(ctx, r->off, r->len) : 0;
}

/* One more hex digit of *@v, or the end of the number. */
static int fastboot_ranges_digit(struct fastboot_ranges *r, u64 *v, int d)
{
	if (r->digits == FASTBOOT_RANGES_HEX_MAX)
		return fastboot_ranges_fail(r, -EINVAL,
					    "more than 16 hex digits");
	*v = *v << 4 | (u64)d;
	r->digits++;
	return 0;
}

static int fastboot_ranges_byte(struct fastboot_ranges *r, char c,
				fastboot_range_fn fn, void *ctx)
{
	int d = fastboot_ranges_hex(c);

	switch (r->state) {
	case FASTBOOT_RS_OFF0:
	case FASTBOOT_RS_LEN0:
		if (c != '0')
			return fastboot_ranges_fail(r, -EINVAL,
						    "'0x' expected");
		r->state++;
		return 0;
	case FASTBOOT_RS_OFFX:
	case FASTBOOT_RS_LENX:
		if (c != 'x' && c != 'X')
			return fastboot_ranges_fail(r, -EINVAL,
						    "'0x' expected");
		if (r->state == FASTBOOT_RS_OFFX)
			r->off = 0;
		else
			r->len = 0;
		r->digits = 0;
		r->state++;
		return 0;
	case FASTBOOT_RS_OFFH:
		if (d >= 0)
			return fastboot_ranges_digit(r, &r->off, d);
		if (c != ':' || !r->digits)
			return fastboot_ranges_fail(r, -EINVAL, r->digits ?
						    "':' expected after the offset" :
						    "hex digit expected");
		r->state = FASTBOOT_RS_LEN0;
		return 0;
	case FASTBOOT_RS_LENH:
		if (d >= 0)
			return fastboot_ranges_digit(r, &r->len, d);
		if ((c != ',' && c != '\n') || !r->digits)
			return fastboot_ranges_fail(r, -EINVAL, r->digits ?
						    "',' or newline expected" :
						    "hex digit expected");
		return fastboot_ranges_done(r, fn, ctx);
	case FASTBOOT_RS_ERANGE:
		return -ERANGE;
	default:
		return -EINVAL;
	}
}

int fastboot_ranges_feed(struct fastboot_ranges *r, const char *buf,
			 size_t len, fastboot_range_fn fn, void *ctx)
{
	size_t i;
	int ret;

	if (r->state == FASTBOOT_RS_EINVAL)
		return -EINVAL;
	if (r->state == FASTBOOT_RS_ERANGE)
		return -ERANGE;
	for (i = 0; i < len; i++) {
		ret = fastboot_ranges_byte(r, buf[i], fn, ctx);
		if (ret)
			return ret;
		r->pos++;
	}
	return 0;
}

int fastboot_ranges_finish(struct fastboot_ranges *r, fastboot_range_fn fn,
			   void *ctx)
{
	switch (r->state) {
	case FASTBOOT_RS_EINVAL:
		return -EINVAL;
	case FASTBOOT_RS_ERANGE:
		return -ERANGE;
	case FASTBOOT_RS_OFF0:
		/* after a separator, or nothing at all */
		if (r->count)
			return 0;
		return fastboot_ranges_fail(r, -EINVAL, "no ranges");
	default:
		if (r->state == FASTBOOT_RS_LENH && r->digits)
			return fastboot_ranges_done(r, fn, ctx);
		return fastboot_ranges_fail(r, -EINVAL,
					    "the list ends inside a range");
	}
}

int fastboot_sha256_args(const char *buf, struct fastboot_span arg,
			 struct fastboot_span *part, struct fastboot_span *list,
			 const char **why)
{
	static const char word[] = "sha256";
	const u16 wlen = sizeof(word) - 1;
	const char *a = buf + arg.off;
	u16 i;

	memset(part, 0, sizeof(*part));
	memset(list, 0, sizeof(*list));
	if (arg.len < wlen || memcmp(a, word, wlen)) {
		*why = "not an oem sha256 command";
		return -EINVAL;
	}
	if (arg.len == wlen || a[wlen] != ' ' || arg.len == wlen + 1 ||
	    a[wlen + 1] == ' ') {
		*why = "oem sha256: partition missing";
		return -EINVAL;
	}
	part->off = arg.off + wlen + 1;
	for (i = wlen + 1; i < arg.len && a[i] != ' '; i++)
		;
	part->len = i - (wlen + 1);
	if (i == arg.len)
		return 0;
	if (i + 1 == arg.len) {
		*why = "oem sha256: ranges missing after the partition";
		return -EINVAL;
	}
	list->off = arg.off + i + 1;
	list->len = arg.len - i - 1;
	return 0;
}
