// SPDX-License-Identifier: GPL-2.0
/*
 * bmap-tools block map parser. See bmap.h for the format and the checks.
 *
 * The XML is read by a small scanner over the buffer, never copied:
 * elements are matched by name, texts and attribute values are spans of
 * the input. Only the subset that bmaptool writes is XML here: a
 * document that needs entity or DOCTYPE processing is refused rather
 * than half understood.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <imxflash/fastboot_cmd.h>	/* __printf */

#include "bmap.h"

#define MAX_ATTRS	8	/* bmaptool writes at most one */
#define MAX_DEPTH	16	/* nesting of unknown elements we skip */
#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

struct span {
	const char *p;
	size_t len;
	u32 line;
};

struct attr {
	struct span name, val;
};

struct tag {
	struct span name;
	u32 line;
	bool close;		/* </name> */
	bool empty;		/* <name/> */
	unsigned int nattrs;
	struct attr attr[MAX_ATTRS];
};

/* Header fields: where each was seen (line 0: not seen). */
struct field {
	const char *name;
	u32 line;
	struct span text;
};

enum {
	F_IMAGE_SIZE,
	F_BLOCK_SIZE,
	F_BLOCKS,
	F_MAPPED,
	F_CSUM_TYPE,
	F_FILE_CSUM,		/* BmapFileChecksum */
	F_FILE_SHA1,		/* BmapFileSHA1 */
	F_BLOCK_MAP,
	F_COUNT
};

static const char *const field_names[F_COUNT] = {
	[F_IMAGE_SIZE] = "ImageSize",
	[F_BLOCK_SIZE] = "BlockSize",
	[F_BLOCKS] = "BlocksCount",
	[F_MAPPED] = "MappedBlocksCount",
	[F_CSUM_TYPE] = "ChecksumType",
	[F_FILE_CSUM] = "BmapFileChecksum",
	[F_FILE_SHA1] = "BmapFileSHA1",
	[F_BLOCK_MAP] = "BlockMap",
};

struct scan {
	const char *start, *p, *end;
	u32 line;
	struct bmap *b;
	size_t cap;		/* of b->range */
	u32 root_line;
	struct field f[F_COUNT];
};

static __printf(3, 4)
int fail(struct bmap *b, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->why, sizeof(b->why), fmt, ap);
	va_end(ap);
	return err;
}

/* ---- scanner ---- */

static bool at_end(const struct scan *s)
{
	return s->p >= s->end;
}

static bool starts(const struct scan *s, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(s->end - s->p) >= n && !memcmp(s->p, lit, n);
}

static void adv(struct scan *s, size_t n)
{
	for (; n && s->p < s->end; n--, s->p++)
		if (*s->p == '\n')
			s->line++;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(struct scan *s)
{
	while (!at_end(s) && is_ws(*s->p))
		adv(s, 1);
}

static bool name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c == ':';
}

static bool name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static bool span_is(const struct span *sp, const char *lit)
{
	return sp->len == strlen(lit) && !memcmp(sp->p, lit, sp->len);
}

/* Advance past @lit (searched from the cursor); -EINVAL if missing. */
static int skip_past(struct scan *s, const char *lit, const char *what,
		     u32 line)
{
	size_t n = strlen(lit);
	const char *q;

	for (q = s->p; (size_t)(s->end - q) >= n; q++)
		if (!memcmp(q, lit, n)) {
			adv(s, (size_t)(q - s->p) + n);
			return 0;
		}
	return fail(s->b, -EINVAL, "line %u: unterminated %s", line, what);
}

/*
 * At '<' that is not a tag: a comment is skipped (1), other markup is
 * refused; 0 when it is a tag.
 */
static int markup(struct scan *s)
{
	u32 line = s->line;

	if (starts(s, "<!--"))
		return skip_past(s, "-->", "comment", line) ?: 1;
	if (starts(s, "<!"))
		return fail(s->b, -EINVAL,
			    "line %u: DOCTYPE, CDATA and entity declarations are not part of a bmap file",
			    line);
	if (starts(s, "<?"))
		return fail(s->b, -EINVAL,
			    "line %u: processing instruction after the XML declaration",
			    line);
	return 0;
}

static int read_name(struct scan *s, struct span *sp, const char *what)
{
	sp->p = s->p;
	sp->line = s->line;
	if (at_end(s) || !name_start(*s->p))
		return fail(s->b, -EINVAL, "line %u: %s: expected a name",
			    s->line, what);
	while (!at_end(s) && name_char(*s->p))
		adv(s, 1);
	sp->len = (size_t)(s->p - sp->p);
	return 0;
}

/* A tag, the cursor at its '<'. */
static int read_tag(struct scan *s, struct tag *t)
{
	struct attr *a;
	unsigned int i;
	bool ws;
	char q;
	int ret;

	memset(t, 0, sizeof(*t));
	t->line = s->line;
	adv(s, 1);
	if (!at_end(s) && *s->p == '/') {
		t->close = true;
		adv(s, 1);
	}
	ret = read_name(s, &t->name, "tag");
	if (ret)
		return ret;
	for (;;) {
		ws = !at_end(s) && is_ws(*s->p);
		skip_ws(s);
		if (at_end(s))
			return fail(s->b, -EINVAL, "line %u: unterminated <%.*s>",
				    t->line, (int)t->name.len, t->name.p);
		if (*s->p == '>') {
			adv(s, 1);
			return 0;
		}
		if (!t->close && starts(s, "/>")) {
			adv(s, 2);
			t->empty = true;
			return 0;
		}
		if (t->close || !ws)
			return fail(s->b, -EINVAL,
				    "line %u: <%.*s>: unexpected '%c'", s->line,
				    (int)t->name.len, t->name.p, *s->p);
		if (t->nattrs == MAX_ATTRS)
			return fail(s->b, -EINVAL,
				    "line %u: <%.*s>: more than %d attributes",
				    s->line, (int)t->name.len, t->name.p,
				    MAX_ATTRS);
		a = &t->attr[t->nattrs];
		ret = read_name(s, &a->name, "attribute");
		if (ret)
			return ret;
		for (i = 0; i < t->nattrs; i++)
			if (t->attr[i].name.len == a->name.len &&
			    !memcmp(t->attr[i].name.p, a->name.p, a->name.len))
				return fail(s->b, -EINVAL,
					    "line %u: <%.*s>: attribute %.*s given twice",
					    a->name.line, (int)t->name.len,
					    t->name.p, (int)a->name.len,
					    a->name.p);
		skip_ws(s);
		if (at_end(s) || *s->p != '=')
			return fail(s->b, -EINVAL,
				    "line %u: <%.*s>: attribute %.*s has no value",
				    a->name.line, (int)t->name.len, t->name.p,
				    (int)a->name.len, a->name.p);
		adv(s, 1);
		skip_ws(s);
		if (at_end(s) || (*s->p != '"' && *s->p != '\''))
			return fail(s->b, -EINVAL,
				    "line %u: <%.*s>: value of %.*s is not quoted",
				    s->line, (int)t->name.len, t->name.p,
				    (int)a->name.len, a->name.p);
		q = *s->p;
		adv(s, 1);
		a->val.p = s->p;
		a->val.line = s->line;
		while (!at_end(s) && *s->p != q) {
			if (*s->p == '<' || *s->p == '&')
				return fail(s->b, -EINVAL,
					    "line %u: <%.*s>: '%c' in the value of %.*s",
					    s->line, (int)t->name.len,
					    t->name.p, *s->p,
					    (int)a->name.len, a->name.p);
			adv(s, 1);
		}
		if (at_end(s))
			return fail(s->b, -EINVAL,
				    "line %u: <%.*s>: unterminated value of %.*s",
				    a->val.line, (int)t->name.len, t->name.p,
				    (int)a->name.len, a->name.p);
		a->val.len = (size_t)(s->p - a->val.p);
		adv(s, 1);
		t->nattrs++;
	}
}

/* Text up to the next '<' or the end; references are refused. */
static int read_text(struct scan *s, struct span *sp)
{
	sp->p = s->p;
	sp->line = s->line;
	while (!at_end(s) && *s->p != '<') {
		if (*s->p == '&')
			return fail(s->b, -EINVAL,
				    "line %u: character or entity reference: not used in bmap files",
				    s->line);
		adv(s, 1);
	}
	sp->len = (size_t)(s->p - sp->p);
	return 0;
}

/* @sp without its leading and trailing white space. */
static void trim(struct span *sp)
{
	while (sp->len && is_ws(*sp->p)) {
		if (*sp->p == '\n')
			sp->line++;
		sp->p++;
		sp->len--;
	}
	while (sp->len && is_ws(sp->p[sp->len - 1]))
		sp->len--;
}

/* Only white space between elements; @in names the parent. */
static int text_between(struct scan *s, const char *in)
{
	struct span t;
	int ret = read_text(s, &t);

	if (ret)
		return ret;
	trim(&t);
	if (t.len)
		return fail(s->b, -EINVAL, "line %u: text \"%.*s\" inside <%s>",
			    t.line, t.len > 20 ? 20 : (int)t.len, t.p, in);
	return 0;
}

/* The next tag inside <@in>, comments skipped. */
static int next_tag(struct scan *s, struct tag *t, const char *in,
		    u32 in_line)
{
	int ret;

	for (;;) {
		ret = text_between(s, in);
		if (ret)
			return ret;
		if (at_end(s))
			return fail(s->b, -EINVAL,
				    "line %u: <%s> is not closed", in_line, in);
		ret = markup(s);
		if (ret < 0)
			return ret;
		if (!ret)
			return read_tag(s, t);
	}
}

/* The text of a leaf element <t>text</t>, trimmed. */
static int leaf_text(struct scan *s, const struct tag *t, struct span *text)
{
	struct tag c;
	int ret;

	if (t->empty) {
		text->p = s->p;
		text->len = 0;
		text->line = t->line;
		return 0;
	}
	ret = read_text(s, text);
	if (ret)
		return ret;
	trim(text);
	if (at_end(s))
		return fail(s->b, -EINVAL, "line %u: <%.*s> is not closed",
			    t->line, (int)t->name.len, t->name.p);
	if (starts(s, "<!") || starts(s, "<?"))
		return fail(s->b, -EINVAL, "line %u: markup inside <%.*s>",
			    s->line, (int)t->name.len, t->name.p);
	ret = read_tag(s, &c);
	if (ret)
		return ret;
	if (!c.close)
		return fail(s->b, -EINVAL,
			    "line %u: <%.*s> inside <%.*s>, which holds text only",
			    c.line, (int)c.name.len, c.name.p,
			    (int)t->name.len, t->name.p);
	if (c.name.len != t->name.len || memcmp(c.name.p, t->name.p, c.name.len))
		return fail(s->b, -EINVAL, "line %u: </%.*s> closes <%.*s>",
			    c.line, (int)c.name.len, c.name.p,
			    (int)t->name.len, t->name.p);
	return 0;
}

/* An element we do not know: checked for nesting, then ignored. */
static int skip_element(struct scan *s, const struct tag *t)
{
	struct span stack[MAX_DEPTH];
	unsigned int depth = 0;
	struct span text;
	struct tag c;
	int ret;

	if (t->empty)
		return 0;
	stack[depth++] = t->name;
	while (depth) {
		ret = read_text(s, &text);
		if (ret)
			return ret;
		if (at_end(s))
			return fail(s->b, -EINVAL, "line %u: <%.*s> is not closed",
				    stack[depth - 1].line,
				    (int)stack[depth - 1].len, stack[depth - 1].p);
		ret = markup(s);
		if (ret < 0)
			return ret;
		if (ret)
			continue;
		ret = read_tag(s, &c);
		if (ret)
			return ret;
		if (c.close) {
			if (c.name.len != stack[depth - 1].len ||
			    memcmp(c.name.p, stack[depth - 1].p, c.name.len))
				return fail(s->b, -EINVAL,
					    "line %u: </%.*s> closes <%.*s> of line %u",
					    c.line, (int)c.name.len, c.name.p,
					    (int)stack[depth - 1].len,
					    stack[depth - 1].p,
					    stack[depth - 1].line);
			depth--;
		} else if (!c.empty) {
			if (depth == MAX_DEPTH)
				return fail(s->b, -EINVAL,
					    "line %u: elements nested deeper than %d",
					    c.line, MAX_DEPTH);
			stack[depth++] = c.name;
		}
	}
	return 0;
}

/* ---- values ---- */

static int parse_dec(const struct span *sp, u64 *v)
{
	size_t i;
	u64 x = 0;

	if (!sp->len)
		return -EINVAL;
	for (i = 0; i < sp->len; i++) {
		if (sp->p[i] < '0' || sp->p[i] > '9')
			return -EINVAL;
		if (x > (~0ull - 9) / 10)
			return -ERANGE;
		x = x * 10 + (u64)(sp->p[i] - '0');
	}
	*v = x;
	return 0;
}

static int field_u64(struct scan *s, int f, u64 *v)
{
	struct field *fd = &s->f[f];
	int ret;

	if (!fd->line)
		return fail(s->b, -EINVAL, "line %u: <bmap> has no <%s>",
			    s->root_line, fd->name);
	ret = parse_dec(&fd->text, v);
	if (ret)
		return fail(s->b, -EINVAL, "line %u: <%s>: \"%.*s\" is not %s",
			    fd->text.line, fd->name,
			    fd->text.len > 24 ? 24 : (int)fd->text.len,
			    fd->text.p,
			    ret == -ERANGE ? "a number below 2^64" :
			    "a decimal number");
	return 0;
}

/* ---- elements ---- */

static int push_range(struct scan *s, const struct bmap_range *r)
{
	struct bmap *b = s->b;
	struct bmap_range *n;
	size_t cap;

	if (b->nranges == s->cap) {
		cap = s->cap ? s->cap * 2 : 64;
		n = realloc(b->range, cap * sizeof(*n));
		if (!n)
			return fail(b, -ENOMEM, "out of memory (%zu ranges)",
				    b->nranges);
		b->range = n;
		s->cap = cap;
	}
	b->range[b->nranges++] = *r;
	return 0;
}

/* The digest attribute of a range in this format version. */
static const char *range_attr(const struct bmap *b)
{
	return b->major >= 2 || b->minor == 4 ? "chksum" : "sha1";
}

static int parse_range(struct scan *s, const struct tag *t)
{
	const char *want = range_attr(s->b);
	struct bmap_range r = { .line = t->line };
	const struct attr *a;
	struct span text, lo, hi;
	const char *dash;
	unsigned int i;
	u64 prev;
	int ret;

	for (i = 0; i < t->nattrs; i++) {
		a = &t->attr[i];
		if (!span_is(&a->name, "chksum") && !span_is(&a->name, "sha1"))
			continue;
		if (!span_is(&a->name, want))
			return fail(s->b, -EINVAL,
				    "line %u: <Range>: attribute %.*s is not used in bmap format %u.%u (%s is)",
				    a->name.line, (int)a->name.len, a->name.p,
				    s->b->major, s->b->minor, want);
		if (a->val.len > 2 * DIGEST_MAX_LEN || a->val.len % 2 ||
		    !a->val.len ||
		    digest_from_hex(a->val.p, a->val.len, r.digest,
				    a->val.len / 2))
			return fail(s->b, -EINVAL,
				    "line %u: <Range>: %s=\"%.*s\" is not a SHA-1 or SHA-256 digest in hex",
				    a->val.line, want,
				    a->val.len > 70 ? 70 : (int)a->val.len,
				    a->val.p);
		r.digest_len = (u8)(a->val.len / 2);
	}
	ret = leaf_text(s, t, &text);
	if (ret)
		return ret;
	lo = text;
	dash = memchr(text.p, '-', text.len);
	if (dash) {
		lo.len = (size_t)(dash - text.p);
		hi.p = dash + 1;
		hi.len = text.len - lo.len - 1;
		hi.line = text.line;
		trim(&lo);
		trim(&hi);
	}
	if (parse_dec(&lo, &r.first) || (dash && parse_dec(&hi, &r.last)))
		return fail(s->b, -EINVAL,
			    "line %u: <Range>: \"%.*s\" is not a block number or FIRST-LAST",
			    text.line, text.len > 40 ? 40 : (int)text.len,
			    text.p);
	if (!dash)
		r.last = r.first;
	if (r.first > r.last)
		return fail(s->b, -EINVAL,
			    "line %u: <Range>: first block %llu after last block %llu",
			    text.line, (unsigned long long)r.first,
			    (unsigned long long)r.last);
	if (s->b->nranges) {
		prev = s->b->range[s->b->nranges - 1].last;
		if (r.first <= prev)
			return fail(s->b, -EINVAL,
				    "line %u: <Range>: block %llu is not after the previous range's last block %llu (line %u): ranges must ascend without overlap",
				    text.line, (unsigned long long)r.first,
				    (unsigned long long)prev,
				    s->b->range[s->b->nranges - 1].line);
	}
	return push_range(s, &r);
}

static int parse_block_map(struct scan *s, const struct tag *bm)
{
	struct tag t;
	int ret;

	if (bm->empty)
		return 0;
	for (;;) {
		ret = next_tag(s, &t, "BlockMap", bm->line);
		if (ret)
			return ret;
		if (t.close) {
			if (!span_is(&t.name, "BlockMap"))
				return fail(s->b, -EINVAL,
					    "line %u: </%.*s> closes <BlockMap> of line %u",
					    t.line, (int)t.name.len, t.name.p,
					    bm->line);
			return 0;
		}
		if (!span_is(&t.name, "Range"))
			return fail(s->b, -EINVAL,
				    "line %u: <%.*s> inside <BlockMap>, which holds <Range> elements only",
				    t.line, (int)t.name.len, t.name.p);
		ret = parse_range(s, &t);
		if (ret)
			return ret;
	}
}

static int parse_version(struct scan *s, const struct tag *root)
{
	const struct span *v = NULL;
	struct span maj, min = { 0 };
	const char *dot;
	unsigned int i;
	u64 m, n;

	for (i = 0; i < root->nattrs; i++)
		if (span_is(&root->attr[i].name, "version"))
			v = &root->attr[i].val;
	if (!v)
		return fail(s->b, -EINVAL,
			    "line %u: <bmap> has no version attribute",
			    root->line);
	dot = memchr(v->p, '.', v->len);
	maj = *v;
	if (dot) {
		maj.len = (size_t)(dot - v->p);
		min.p = dot + 1;
		min.len = v->len - maj.len - 1;
	}
	if (!dot || parse_dec(&maj, &m) || parse_dec(&min, &n) ||
	    m > 0xffff || n > 0xffff)
		return fail(s->b, -EINVAL,
			    "line %u: <bmap>: version \"%.*s\" is not MAJOR.MINOR",
			    v->line, v->len > 20 ? 20 : (int)v->len, v->p);
	s->b->major = (u32)m;
	s->b->minor = (u32)n;
	/* 2.x minors are compatible by the format's rule; 1.x ended at 1.4 */
	if (m == 2 || (m == 1 && n <= 4))
		return 0;
	return fail(s->b, -EOPNOTSUPP,
		    "line %u: bmap format version %u.%u is not supported (1.0-1.4 and 2.x are)",
		    v->line, (unsigned int)m, (unsigned int)n);
}

static int parse_root(struct scan *s)
{
	struct tag t;
	int ret, f;

	if (starts(s, "\xef\xbb\xbf"))	/* UTF-8 byte order mark */
		adv(s, 3);
	if (starts(s, "<?xml") && s->end - s->p > 5 &&
	    (is_ws(s->p[5]) || s->p[5] == '?')) {
		ret = skip_past(s, "?>", "XML declaration", s->line);
		if (ret)
			return ret;
	}
	do {
		skip_ws(s);
		if (at_end(s))
			return fail(s->b, -EINVAL, "no <bmap> element");
		if (*s->p != '<')
			return fail(s->b, -EINVAL,
				    "line %u: text before the <bmap> element",
				    s->line);
		ret = markup(s);
		if (ret < 0)
			return ret;
	} while (ret);
	ret = read_tag(s, &t);
	if (ret)
		return ret;
	if (t.close || !span_is(&t.name, "bmap"))
		return fail(s->b, -EINVAL,
			    "line %u: the root element is <%s%.*s>, not <bmap>",
			    t.line, t.close ? "/" : "", (int)t.name.len,
			    t.name.p);
	s->root_line = t.line;
	ret = parse_version(s, &t);
	if (ret)
		return ret;
	if (t.empty)
		return 0;
	for (;;) {
		ret = next_tag(s, &t, "bmap", s->root_line);
		if (ret)
			return ret;
		if (t.close) {
			if (!span_is(&t.name, "bmap"))
				return fail(s->b, -EINVAL,
					    "line %u: </%.*s> closes <bmap>",
					    t.line, (int)t.name.len, t.name.p);
			break;
		}
		for (f = 0; f < F_COUNT; f++)
			if (span_is(&t.name, field_names[f]))
				break;
		if (f == F_COUNT) {
			ret = skip_element(s, &t);
			if (ret)
				return ret;
			continue;
		}
		if (s->f[f].line)
			return fail(s->b, -EINVAL,
				    "line %u: second <%s> (the first is on line %u)",
				    t.line, field_names[f], s->f[f].line);
		s->f[f].line = t.line;
		if (f == F_BLOCK_MAP)
			ret = parse_block_map(s, &t);
		else
			ret = leaf_text(s, &t, &s->f[f].text);
		if (ret)
			return ret;
	}
	/* only comments and white space after the root */
	for (;;) {
		skip_ws(s);
		if (at_end(s))
			return 0;
		if (*s->p != '<')
			return fail(s->b, -EINVAL,
				    "line %u: text after </bmap>", s->line);
		ret = markup(s);
		if (ret < 0)
			return ret;
		if (!ret)
			return fail(s->b, -EINVAL,
				    "line %u: element after </bmap>", s->line);
	}
}

/* ---- consistency ---- */

/* The fields that belong to the version, and the digest type. */
static int check_version_fields(struct scan *s)
{
	struct bmap *b = s->b;
	bool v2 = b->major >= 2 || b->minor == 4;
	static const int v1_only[] = { F_FILE_SHA1 };
	static const int v2_only[] = { F_CSUM_TYPE, F_FILE_CSUM };
	const struct field *fd;
	size_t i;

	for (i = 0; i < (v2 ? ARRAY_LEN(v1_only) : ARRAY_LEN(v2_only)); i++) {
		fd = &s->f[v2 ? v1_only[i] : v2_only[i]];
		if (fd->line)
			return fail(b, -EINVAL,
				    "line %u: <%s> is not part of bmap format %u.%u",
				    fd->line, fd->name, b->major, b->minor);
	}
	if (!v2) {
		b->type = DIGEST_SHA1;
		if (b->minor == 3 && !s->f[F_FILE_SHA1].line)
			return fail(b, -EINVAL,
				    "line %u: <bmap> has no <BmapFileSHA1> (format 1.3)",
				    s->root_line);
		return 0;
	}
	fd = &s->f[F_CSUM_TYPE];
	if (!fd->line)
		return fail(b, -EINVAL,
			    "line %u: <bmap> has no <ChecksumType> (format %u.%u)",
			    s->root_line, b->major, b->minor);
	b->type = digest_from_name(fd->text.p, fd->text.len);
	if (b->type == DIGEST_NONE)
		return fail(b, -EOPNOTSUPP,
			    "line %u: <ChecksumType>: \"%.*s\" is not supported (sha256, sha1)",
			    fd->text.line,
			    fd->text.len > 20 ? 20 : (int)fd->text.len,
			    fd->text.p);
	if (!s->f[F_FILE_CSUM].line)
		return fail(b, -EINVAL,
			    "line %u: <bmap> has no <BmapFileChecksum> (format %u.%u)",
			    s->root_line, b->major, b->minor);
	return 0;
}

static int check_geometry(struct scan *s)
{
	struct bmap *b = s->b;
	u64 bs, want, sum = 0;
	const struct bmap_range *r;
	size_t i;
	int ret;

	ret = field_u64(s, F_IMAGE_SIZE, &b->image_size) ?:
	      field_u64(s, F_BLOCK_SIZE, &bs) ?:
	      field_u64(s, F_BLOCKS, &b->blocks) ?:
	      field_u64(s, F_MAPPED, &b->mapped);
	if (ret)
		return ret;
	if (!s->f[F_BLOCK_MAP].line)
		return fail(b, -EINVAL, "line %u: <bmap> has no <BlockMap>",
			    s->root_line);
	if (!bs || bs > 0xffffffffu)
		return fail(b, -EINVAL,
			    "line %u: <BlockSize> %llu is out of range (1 to 2^32-1)",
			    s->f[F_BLOCK_SIZE].text.line,
			    (unsigned long long)bs);
	b->block_size = (u32)bs;
	want = b->image_size / bs + !!(b->image_size % bs);
	if (b->blocks != want)
		return fail(b, -EINVAL,
			    "line %u: <BlocksCount> %llu, but ImageSize %llu needs %llu blocks of %llu bytes",
			    s->f[F_BLOCKS].text.line,
			    (unsigned long long)b->blocks,
			    (unsigned long long)b->image_size,
			    (unsigned long long)want, (unsigned long long)bs);
	for (i = 0; i < b->nranges; i++) {
		r = &b->range[i];
		if (r->last >= b->blocks)
			return fail(b, -EINVAL,
				    "line %u: <Range> %llu-%llu: block %llu is past the image (BlocksCount %llu)",
				    r->line, (unsigned long long)r->first,
				    (unsigned long long)r->last,
				    (unsigned long long)r->last,
				    (unsigned long long)b->blocks);
		if (r->digest_len && r->digest_len != digest_len(b->type))
			return fail(b, -EINVAL,
				    "line %u: <Range>: a %u-byte digest, %s has %zu",
				    r->line, r->digest_len,
				    digest_name(b->type), digest_len(b->type));
		sum += r->last - r->first + 1;
	}
	if (sum != b->mapped)
		return fail(b, -EINVAL,
			    "line %u: <MappedBlocksCount> %llu, but the ranges hold %llu blocks",
			    s->f[F_MAPPED].text.line,
			    (unsigned long long)b->mapped,
			    (unsigned long long)sum);
	return 0;
}

/*
 * The file's own digest: over the whole file with the digest's text
 * replaced by as many '0' characters, as bmaptool computes it.
 */
static int check_file_digest(struct scan *s)
{
	struct bmap *b = s->b;
	const struct field *fd = s->f[F_FILE_CSUM].line ? &s->f[F_FILE_CSUM] :
				 s->f[F_FILE_SHA1].line ? &s->f[F_FILE_SHA1] :
				 NULL;
	u8 want[DIGEST_MAX_LEN], got[DIGEST_MAX_LEN];
	char hex[2 * DIGEST_MAX_LEN + 1];
	size_t dl = digest_len(b->type), pos, n;
	static const char zeros[16] = "0000000000000000";
	struct digest_ctx c;

	if (!fd)
		return 0;
	if (digest_from_hex(fd->text.p, fd->text.len, want, dl))
		return fail(b, -EINVAL,
			    "line %u: <%s>: \"%.*s\" is not a %s digest in hex",
			    fd->text.line, fd->name,
			    fd->text.len > 70 ? 70 : (int)fd->text.len,
			    fd->text.p, digest_name(b->type));
	pos = (size_t)(fd->text.p - s->start);
	digest_init(&c, b->type);
	digest_update(&c, s->start, pos);
	for (n = 0; n < fd->text.len; n += sizeof(zeros))
		digest_update(&c, zeros, fd->text.len - n < sizeof(zeros) ?
				  fd->text.len - n : sizeof(zeros));
	digest_update(&c, fd->text.p + fd->text.len,
		      (size_t)(s->end - fd->text.p) - fd->text.len);
	digest_final(&c, got);
	if (memcmp(got, want, dl)) {
		digest_to_hex(got, dl, hex);
		return fail(b, -EBADMSG,
			    "line %u: <%s>: the bmap file's %s is %s, not %.*s: the file was changed after bmaptool wrote it",
			    fd->text.line, fd->name, digest_name(b->type), hex,
			    (int)fd->text.len, fd->text.p);
	}
	b->file_checked = true;
	return 0;
}

int bmap_parse(struct bmap *b, const char *text, size_t len)
{
	struct scan s = {
		.start = text, .p = text, .end = text + len, .line = 1, .b = b,
	};
	const char *nul, *q;
	int ret, f;

	memset(b, 0, sizeof(*b));
	for (f = 0; f < F_COUNT; f++)
		s.f[f].name = field_names[f];
	nul = memchr(text, '\0', len);
	if (nul) {
		for (q = text; q < nul; q++)
			s.line += *q == '\n';
		ret = fail(b, -EINVAL, "line %u: a NUL byte: not a text file",
			   s.line);
	} else {
		ret = parse_root(&s) ?: check_version_fields(&s) ?:
		      check_geometry(&s) ?: check_file_digest(&s);
	}
	if (ret) {
		free(b->range);
		b->range = NULL;
		b->nranges = 0;
	}
	return ret;
}

/* Read until EOF (pipes have no size), at most BMAP_FILE_MAX bytes. */
static int read_all(struct bmap *b, int fd, char **out, size_t *len)
{
	size_t got = 0, cap = 0;
	char *buf = NULL, *n;
	ssize_t r;

	for (;;) {
		if (got > BMAP_FILE_MAX) {
			free(buf);
			return fail(b, -EFBIG,
				    "larger than any bmap file (limit %u bytes)",
				    BMAP_FILE_MAX);
		}
		if (got == cap) {
			cap = cap ? cap * 2 : 64 << 10;
			if (cap > BMAP_FILE_MAX + 1)
				cap = BMAP_FILE_MAX + 1;
			n = realloc(buf, cap);
			if (!n) {
				free(buf);
				return fail(b, -ENOMEM, "out of memory");
			}
			buf = n;
		}
		r = read(fd, buf + got, cap - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			free(buf);
			return fail(b, (int)r, "read: %s", strerror((int)-r));
		}
		if (!r)
			break;
		got += (size_t)r;
	}
	*out = buf;
	*len = got;
	return 0;
}

int bmap_load(struct bmap *b, const char *path)
{
	size_t len = 0;
	char *buf = NULL;
	int fd, ret;

	memset(b, 0, sizeof(*b));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(b, -errno, "open: %s", strerror(errno));
	ret = read_all(b, fd, &buf, &len);
	close(fd);
	if (ret)
		return ret;
	ret = bmap_parse(b, buf, len);
	free(buf);
	return ret;
}

void bmap_free(struct bmap *b)
{
	free(b->range);
	b->range = NULL;
	b->nranges = 0;
}
