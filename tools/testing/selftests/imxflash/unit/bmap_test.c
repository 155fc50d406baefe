// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for userspace/lib/bmap.c, the bmap-tools block map parser:
 *
 *  - the map `bmaptool create` wrote for img.raw (image_data.sh), with
 *    and without range checksums, and the same map in formats 1.4, 1.3
 *    and 1.2 (bmap_variants.py, digests by Python's hashlib): every
 *    field as the files say, each range's digest equal to the digest of
 *    its bytes in the image (the last, short block cut at the image's
 *    end), every block outside the ranges zero, every block the script
 *    wrote inside one, the file's own checksum verified;
 *  - the real 2.0 map mutated one way at a time: each mutation refused
 *    with its own errno and a message that names the field and the line
 *    where it is; and mutations that must be accepted (unknown elements
 *    and attributes, quoting, white space, element order, later 2.x),
 *    their file checksum recomputed so that only the mutation counts.
 *
 * Environment: IMG_DATA overrides the data directory.
 */
#include <stdlib.h>
#include <string.h>

#include "bmap.h"
#include "img_data.h"
#include "kselftest_harness.h"

#define BS	4096u

/* Blocks image_data.sh wrote data to. */
static const u64 written[] = { 0, 1, 3, 100, 130, 163, 200, 1280 };

/* Check @b against img.raw: digests, zeros outside, written inside. */
static void check_against_image(struct __test_metadata *_metadata,
				const struct bmap *b, bool digests)
{
	u8 d[DIGEST_MAX_LEN];
	struct digest_ctx c;
	size_t len, i, j;
	u64 blk, n, sum = 0, end;
	char *img;

	img = img_load("img.raw", &len);
	ASSERT_NE(NULL, img) {
		TH_LOG("no img.raw: run make unit");
	}
	EXPECT_EQ(len, b->image_size);
	EXPECT_EQ(BS, b->block_size);
	EXPECT_EQ((len + BS - 1) / BS, b->blocks);
	ASSERT_LT(0u, b->nranges);
	for (i = 0; i < b->nranges; i++) {
		const struct bmap_range *r = &b->range[i];

		sum += r->last - r->first + 1;
		if (i)
			EXPECT_LT(b->range[i - 1].last, r->first);
		end = (r->last + 1) * BS < len ? (r->last + 1) * BS : len;
		EXPECT_EQ(end - r->first * BS, bmap_range_bytes(b, r));
		EXPECT_EQ(r->first * BS, bmap_range_offset(b, r));
		if (!digests) {
			EXPECT_EQ(0, r->digest_len);
			continue;
		}
		ASSERT_EQ(digest_len(b->type), r->digest_len);
		digest_init(&c, b->type);
		digest_update(&c, img + r->first * BS, end - r->first * BS);
		digest_final(&c, d);
		EXPECT_EQ(0, memcmp(d, r->digest, r->digest_len)) {
			TH_LOG("range %llu-%llu", (unsigned long long)r->first,
			       (unsigned long long)r->last);
		}
	}
	EXPECT_EQ(b->mapped, sum);
	/* holes are kept: the map is not the whole image */
	EXPECT_LT(sum, b->blocks);
	/* unmapped blocks are zero; written ones mapped */
	for (blk = 0, j = 0; blk < b->blocks; blk++) {
		bool mapped = false;

		for (i = 0; i < b->nranges; i++)
			if (blk >= b->range[i].first && blk <= b->range[i].last)
				mapped = true;
		if (j < sizeof(written) / sizeof(written[0]) &&
		    written[j] == blk) {
			EXPECT_TRUE(mapped) {
				TH_LOG("block %llu holds data, not mapped",
				       (unsigned long long)blk);
			}
			j++;
		}
		if (mapped)
			continue;
		n = (blk + 1) * BS < len ? BS : len - blk * BS;
		for (i = 0; i < n; i++)
			if (img[blk * BS + i])
				break;
		EXPECT_EQ(n, i) {
			TH_LOG("unmapped block %llu is not zero",
			       (unsigned long long)blk);
		}
	}
	free(img);
}

static void load_ok(struct __test_metadata *_metadata, const char *name,
		    struct bmap *b)
{
	char path[512];
	int ret;

	ret = bmap_load(b, img_path(path, sizeof(path), name));
	ASSERT_EQ(0, ret) {
		TH_LOG("%s: %s", name, b->why);
	}
}

TEST(bmaptool_v2)
{
	struct bmap b;

	load_ok(_metadata, "img.bmap", &b);
	EXPECT_EQ(2u, b.major);
	EXPECT_EQ(0u, b.minor);
	EXPECT_EQ((int)DIGEST_SHA256, (int)b.type);
	EXPECT_TRUE(b.file_checked);
	check_against_image(_metadata, &b, true);
	bmap_free(&b);
}

TEST(bmaptool_no_checksum)
{
	struct bmap b, ref;

	load_ok(_metadata, "img-nocsum.bmap", &b);
	load_ok(_metadata, "img.bmap", &ref);
	EXPECT_EQ((int)DIGEST_SHA256, (int)b.type);
	EXPECT_TRUE(b.file_checked);
	check_against_image(_metadata, &b, false);
	ASSERT_EQ(ref.nranges, b.nranges);
	for (size_t i = 0; i < b.nranges; i++) {
		EXPECT_EQ(ref.range[i].first, b.range[i].first);
		EXPECT_EQ(ref.range[i].last, b.range[i].last);
	}
	bmap_free(&b);
	bmap_free(&ref);
}

FIXTURE(old_format) {
	struct bmap b, ref;
};

FIXTURE_VARIANT(old_format) {
	const char *file;
	u32 minor;
	enum digest_type type;
	bool file_checked;
};

FIXTURE_VARIANT_ADD(old_format, v1_4) {
	.file = "img-v1.4.bmap", .minor = 4, .type = DIGEST_SHA256,
	.file_checked = true,
};
FIXTURE_VARIANT_ADD(old_format, v1_3) {
	.file = "img-v1.3.bmap", .minor = 3, .type = DIGEST_SHA1,
	.file_checked = true,
};
FIXTURE_VARIANT_ADD(old_format, v1_2) {
	.file = "img-v1.2.bmap", .minor = 2, .type = DIGEST_SHA1,
	.file_checked = false,
};

FIXTURE_SETUP(old_format)
{
	load_ok(_metadata, variant->file, &self->b);
	load_ok(_metadata, "img.bmap", &self->ref);
}

FIXTURE_TEARDOWN(old_format)
{
	bmap_free(&self->b);
	bmap_free(&self->ref);
}

TEST_F(old_format, same_map)
{
	size_t i;

	EXPECT_EQ(1u, self->b.major);
	EXPECT_EQ(variant->minor, self->b.minor);
	EXPECT_EQ((int)variant->type, (int)self->b.type);
	EXPECT_EQ(variant->file_checked, self->b.file_checked);
	check_against_image(_metadata, &self->b, true);
	ASSERT_EQ(self->ref.nranges, self->b.nranges);
	for (i = 0; i < self->b.nranges; i++) {
		EXPECT_EQ(self->ref.range[i].first, self->b.range[i].first);
		EXPECT_EQ(self->ref.range[i].last, self->b.range[i].last);
	}
}

TEST(load_errors)
{
	struct bmap b;
	char path[512];

	EXPECT_EQ(-ENOENT, bmap_load(&b, img_path(path, sizeof(path),
						  "no-such.bmap")));
	EXPECT_NE(NULL, strstr(b.why, "open"));
	EXPECT_EQ(NULL, b.range);
	/* an image is not a bmap */
	EXPECT_EQ(-EINVAL, bmap_load(&b, img_path(path, sizeof(path),
						  "img.raw")));
	EXPECT_NE(NULL, strstr(b.why, "NUL byte"));
	EXPECT_EQ(-EINVAL, bmap_load(&b, "/dev/null"));
	EXPECT_NE(NULL, strstr(b.why, "no <bmap> element"));
}

/* ---- mutations of the real map ---- */

/* @text with the first @from replaced by @to (malloc'ed), NULL if absent. */
static char *mutate(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t pre, n;
	char *out;

	if (!at)
		return NULL;
	pre = (size_t)(at - text);
	n = strlen(text) - strlen(from) + strlen(to);
	out = malloc(n + 1);
	if (!out)
		return NULL;
	memcpy(out, text, pre);
	strcpy(out + pre, to);
	strcat(out, at + strlen(from));
	return out;
}

/* Line of the first @marker in @text, 0 if absent. */
static unsigned int line_of(const char *text, const char *marker)
{
	const char *at = strstr(text, marker), *p;
	unsigned int line = 1;

	if (!at)
		return 0;
	for (p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

/* Recompute <BmapFileChecksum> (sha256) as bmaptool does. */
static void fix_checksum(char *text)
{
	char *p = strstr(text, "<BmapFileChecksum>"), hex[65];
	u8 d[32];

	if (!p)
		return;
	p += strlen("<BmapFileChecksum>");
	while (*p == ' ')
		p++;
	memset(p, '0', 64);
	sha256_digest(text, strlen(text), d);
	digest_to_hex(d, 32, hex);
	memcpy(p, hex, 64);
}

struct bad_case {
	const char *name;
	const char *base;	/* the file mutated; NULL: img.bmap */
	const char *from, *to;
	int err;
	const char *want;	/* in the message */
	const char *line_at;	/* its line is in the message; NULL: none */
};

/*
 * Range texts of img.bmap: "> 0-1 <", "> 3 <", "> 100-163 <", "> 200 <",
 * "> 1280 <".
 */
static const struct bad_case bad[] = {
	{ "major 3", NULL, "version=\"2.0\"", "version=\"3.0\"", -EOPNOTSUPP,
	  "version 3.0 is not supported", "<bmap " },
	{ "1.5", NULL, "version=\"2.0\"", "version=\"1.5\"", -EOPNOTSUPP,
	  "version 1.5", "<bmap " },
	{ "no minor", NULL, "version=\"2.0\"", "version=\"2\"", -EINVAL,
	  "MAJOR.MINOR", "<bmap " },
	{ "no version", NULL, "<bmap version=\"2.0\">", "<bmap>", -EINVAL,
	  "no version attribute", "<bmap>" },
	{ "unquoted", NULL, "version=\"2.0\"", "version=2.0", -EINVAL,
	  "not quoted", "<bmap " },
	{ "image size, same blocks", NULL, "<ImageSize> 5243880",
	  "<ImageSize> 5243881", -EBADMSG, "<BmapFileChecksum>",
	  "<BmapFileChecksum>" },
	{ "image size vs blocks", NULL, "<ImageSize> 5243880",
	  "<ImageSize> 9999999", -EINVAL, "<BlocksCount> 1281",
	  "<BlocksCount> 1281" },
	{ "block size 0", NULL, "<BlockSize> 4096", "<BlockSize> 0", -EINVAL,
	  "<BlockSize> 0 is out of range", "<BlockSize>" },
	{ "size not decimal", NULL, "<ImageSize> 5243880",
	  "<ImageSize> 52a43880", -EINVAL, "not a decimal number",
	  "<ImageSize>" },
	{ "size overflow", NULL, "<ImageSize> 5243880",
	  "<ImageSize> 99999999999999999999999", -EINVAL, "below 2^64",
	  "<ImageSize>" },
	{ "negative", NULL, "<BlockSize> 4096", "<BlockSize> -4096", -EINVAL,
	  "<BlockSize>", "<BlockSize>" },
	{ "two block sizes", NULL, "</BlockSize>",
	  "</BlockSize>\n<BlockSize>  4096 </BlockSize>", -EINVAL,
	  "second <BlockSize>", "<BlockSize>  4096" },
	{ "unknown element closed wrongly", NULL, "<MappedBlocksCount> 69",
	  "<Gone> 69", -EINVAL, "</MappedBlocksCount> closes <Gone>", "<Gone>" },
	{ "mapped count", NULL, "<MappedBlocksCount> 69",
	  "<MappedBlocksCount> 70", -EINVAL, "the ranges hold 69 blocks",
	  "<MappedBlocksCount> 70" },
	{ "first after last", NULL, "> 100-163 <", "> 163-100 <", -EINVAL,
	  "first block 163 after last block 100", "> 163-100 <" },
	{ "overlap", NULL, "> 200 <", "> 150 <", -EINVAL,
	  "block 150 is not after the previous range's last block 163",
	  "> 150 <" },
	{ "descending", NULL, "> 3 <", "> 0 <", -EINVAL,
	  "block 0 is not after", "> 0 <" },
	{ "past the end", NULL, "> 1280 <", "> 1281 <", -EINVAL,
	  "block 1281 is past the image (BlocksCount 1281)", "\"> 1281 <" },
	{ "range text", NULL, "> 3 <", "> 3-4-5 <", -EINVAL,
	  "not a block number or FIRST-LAST", "> 3-4-5 <" },
	{ "range empty", NULL, "> 3 <", "> <", -EINVAL,
	  "not a block number", NULL },
	{ "range open", NULL, "> 3 <", "> 3- <", -EINVAL,
	  "not a block number", "> 3- <" },
	{ "sha1 attribute in 2.0", NULL, "<Range chksum=", "<Range sha1=",
	  -EINVAL, "attribute sha1 is not used in bmap format 2.0 (chksum is)",
	  "<Range sha1=" },
	{ "long digest", NULL, "<Range chksum=\"", "<Range chksum=\"00",
	  -EINVAL, "not a SHA-1 or SHA-256 digest in hex", "<Range chksum=\"00" },
	{ "not hex", NULL, "<Range chksum=\"", "<Range chksum=\"g", -EINVAL,
	  "not a SHA-1 or SHA-256 digest in hex", "<Range chksum=\"g" },
	{ "md5", NULL, "<ChecksumType> sha256", "<ChecksumType> md5",
	  -EOPNOTSUPP, "\"md5\" is not supported", "<ChecksumType>" },
	{ "sha1 type, sha256 digests", NULL, "<ChecksumType> sha256",
	  "<ChecksumType> sha1", -EINVAL, "a 32-byte digest, sha1 has 20",
	  "> 0-1 <" },
	{ "file checksum too long", NULL, "<BmapFileChecksum> ",
	  "<BmapFileChecksum> 0", -EINVAL,
	  "is not a sha256 digest in hex", "<BmapFileChecksum>" },
	{ "doctype", NULL, "?>\n", "?>\n<!DOCTYPE bmap [<!ENTITY x \"y\">]>\n",
	  -EINVAL, "DOCTYPE", "<!DOCTYPE" },
	{ "entity", NULL, "> 3 <", "> 3&amp; <", -EINVAL,
	  "entity reference", "> 3&amp; <" },
	{ "not closed", NULL, "</bmap>", "", -EINVAL,
	  "<bmap> is not closed", "<bmap " },
	{ "wrong close", NULL, "</BlockMap>", "</BlockMop>", -EINVAL,
	  "</BlockMop> closes <BlockMap>", "</BlockMop>" },
	{ "text in bmap", NULL, "</BlockSize>", "</BlockSize> garbage",
	  -EINVAL, "text \"garbage\" inside <bmap>", "garbage" },
	{ "element in range", NULL, "> 3 <", "> <b>3</b> <", -EINVAL,
	  "<b> inside <Range>, which holds text only", "<b>" },
	{ "comment in range", NULL, "> 3 <", "> 3 <!-- x --><", -EINVAL,
	  "markup inside <Range>", "<!-- x" },
	{ "other element in BlockMap", NULL, "<Range chksum=",
	  "<Other/><Range chksum=", -EINVAL,
	  "<Other> inside <BlockMap>, which holds <Range> elements only",
	  "<Other/>" },
	{ "attribute twice", NULL, "<Range chksum=",
	  "<Range x=\"1\" x=\"2\" chksum=", -EINVAL, "attribute x given twice",
	  "x=\"1\"" },
	{ "element after root", NULL, "</bmap>",
	  "</bmap>\n<bmap version=\"2.0\"/>", -EINVAL, "element after </bmap>",
	  "<bmap version=\"2.0\"/>" },
	{ "text after root", NULL, "</bmap>", "</bmap>\nx", -EINVAL,
	  "text after </bmap>", NULL },
	{ "1.3 element in 2.0", NULL, "<BlockMap>",
	  "<BmapFileSHA1> 0 </BmapFileSHA1>\n<BlockMap>", -EINVAL,
	  "<BmapFileSHA1> is not part of bmap format 2.0", "<BmapFileSHA1>" },
	{ "root", NULL, "<bmap version", "<map version", -EINVAL,
	  "the root element is <map>, not <bmap>", "<map " },
	{ "chksum in 1.3", "img-v1.3.bmap", "<Range sha1=", "<Range chksum=",
	  -EINVAL, "attribute chksum is not used in bmap format 1.3 (sha1 is)",
	  "<Range chksum=" },
	{ "ChecksumType in 1.3", "img-v1.3.bmap", "<BlockMap>",
	  "<ChecksumType> sha1 </ChecksumType><BlockMap>", -EINVAL,
	  "<ChecksumType> is not part of bmap format 1.3", "<ChecksumType>" },
	{ "1.3 file digest", "img-v1.3.bmap", "<ImageSize> 5243880",
	  "<ImageSize> 5243881", -EBADMSG, "<BmapFileSHA1>: the bmap file's sha1",
	  "<BmapFileSHA1>" },
	{ "1.2 sha1 length", "img-v1.2.bmap", "<Range sha1=\"",
	  "<Range sha1=\"0000", -EINVAL, "a 22-byte digest, sha1 has 20",
	  "<Range sha1=\"0000" },
};

/*
 * @text without the element <@elem>...</@elem> (malloc'ed): the first
 * <@elem> whose next markup is its end tag or is inside it (the comments
 * of bmaptool's template name elements too).
 */
static char *cut(const char *text, const char *elem)
{
	char open[64], close[64], *t, *a, *z, *lt;

	snprintf(open, sizeof(open), "<%s>", elem);
	snprintf(close, sizeof(close), "</%s>", elem);
	t = strdup(text);
	if (!t)
		return NULL;
	for (a = strstr(t, open); a; a = strstr(a + 1, open)) {
		lt = strchr(a + 1, '<');
		z = strstr(a, close);
		/* a leaf, or the element with children (BlockMap) */
		if (z && (lt == z || !strcmp(elem, "BlockMap")))
			break;
	}
	if (!a) {
		free(t);
		return NULL;
	}
	memmove(a, z + strlen(close), strlen(z + strlen(close)) + 1);
	return t;
}

static const struct {
	const char *base, *elem;
} needed[] = {
	{ "img.bmap", "ImageSize" },
	{ "img.bmap", "BlockSize" },
	{ "img.bmap", "BlocksCount" },
	{ "img.bmap", "MappedBlocksCount" },
	{ "img.bmap", "ChecksumType" },
	{ "img.bmap", "BmapFileChecksum" },
	{ "img.bmap", "BlockMap" },
	{ "img-v1.3.bmap", "BmapFileSHA1" },
};

TEST(bad_maps)
{
	char *base[3], *t, msg[64];
	size_t len, i;
	struct bmap b;
	unsigned int line;
	int ret, which;

	base[0] = img_load("img.bmap", &len);
	base[1] = img_load("img-v1.3.bmap", &len);
	base[2] = img_load("img-v1.2.bmap", &len);
	ASSERT_TRUE(base[0] && base[1] && base[2]) {
		TH_LOG("no bmap data: run make unit");
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct bad_case *c = &bad[i];

		if (!c->err)
			continue;
		which = !c->base ? 0 : strstr(c->base, "1.3") ? 1 : 2;
		t = mutate(base[which], c->from, c->to);
		ASSERT_NE(NULL, t) {
			TH_LOG("%s: \"%s\" not found", c->name, c->from);
		}
		ret = bmap_parse(&b, t, strlen(t));
		EXPECT_EQ(c->err, ret) {
			TH_LOG("%s: %s", c->name, b.why);
		}
		EXPECT_EQ(NULL, b.range);
		EXPECT_NE(NULL, strstr(b.why, c->want)) {
			TH_LOG("%s: \"%s\" not in \"%s\"", c->name, c->want,
			       b.why);
		}
		if (c->line_at) {
			line = line_of(t, c->line_at);
			ASSERT_NE(0u, line);
			snprintf(msg, sizeof(msg), "line %u: ", line);
			EXPECT_TRUE(strstr(b.why, msg) == b.why) {
				TH_LOG("%s: \"%s\" does not start with \"%s\"",
				       c->name, b.why, msg);
			}
		}
		free(t);
	}
	/* required elements removed */
	for (i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
		which = strstr(needed[i].base, "1.3") ? 1 : 0;
		t = cut(base[which], needed[i].elem);
		ASSERT_NE(NULL, t);
		EXPECT_EQ(-EINVAL, bmap_parse(&b, t, strlen(t)));
		snprintf(msg, sizeof(msg), "line %u: <bmap> has no <%s>",
			 line_of(t, "<bmap "), needed[i].elem);
		EXPECT_TRUE(strstr(b.why, msg) == b.why) {
			TH_LOG("\"%s\" does not start with \"%s\"", b.why,
			       msg);
		}
		free(t);
	}
	t = strdup(base[0]);
	ASSERT_NE(NULL, t);
	*strstr(t, "<BlockMap>") = '\0';
	len = strlen(t);
	t[len] = '<';
	t[len - 1] = '\0';	/* a NUL right before <BlockMap> */
	EXPECT_EQ(-EINVAL, bmap_parse(&b, t, strlen(base[0])));
	snprintf(msg, sizeof(msg), "line %u: a NUL byte",
		 line_of(base[0], "<BlockMap>"));
	EXPECT_TRUE(strstr(b.why, msg) == b.why) {
		TH_LOG("%s", b.why);
	}
	free(t);
	for (i = 0; i < 3; i++)
		free(base[i]);
}

/* Accepted variations; the file checksum is fixed after each edit. */
static const struct {
	const char *name, *from, *to;
} good[] = {
	{ "unknown element", "<BlockMap>",
	  "<Extra a='1'><Sub b=\"2\">x<Deeper/></Sub><!-- c --></Extra>\n<BlockMap>" },
	{ "unknown attribute", "<Range chksum=", "<Range note=\"x\" chksum=" },
	{ "single quotes", "version=\"2.0\"", "version='2.0'" },
	{ "spaces in range", "> 100-163 <", ">\n 100 -\t163\n <" },
	{ "later 2.x", "version=\"2.0\"", "version=\"2.7\"" },
	{ "count after the map", "</BlockMap>",
	  "</BlockMap>\n<MappedBlocksCount> 69 </MappedBlocksCount>" },
	{ "upper-case type", "<ChecksumType> sha256", "<ChecksumType> SHA256" },
	{ "byte order mark", "<?xml", "\xef\xbb\xbf<?xml" },
	{ "no declaration", "<?xml version=\"1.0\" ?>", "<!-- none -->" },
	{ "empty element syntax", "<BlockMap>", "<Ignored/>\n<BlockMap>" },
};

TEST(good_variations)
{
	struct bmap b, ref;
	char *text, *t, *u;
	size_t len, i, j;

	text = img_load("img.bmap", &len);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, bmap_parse(&ref, text, len));
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		t = mutate(text, good[i].from, good[i].to);
		ASSERT_NE(NULL, t) {
			TH_LOG("%s: \"%s\" not found", good[i].name,
			       good[i].from);
		}
		if (!strcmp(good[i].name, "count after the map")) {
			u = cut(t, "MappedBlocksCount");
			free(t);
			t = u;
			ASSERT_NE(NULL, t);
		}
		fix_checksum(t);
		ASSERT_EQ(0, bmap_parse(&b, t, strlen(t))) {
			TH_LOG("%s: %s", good[i].name, b.why);
		}
		EXPECT_TRUE(b.file_checked);
		EXPECT_EQ(ref.image_size, b.image_size);
		ASSERT_EQ(ref.nranges, b.nranges);
		for (j = 0; j < b.nranges; j++) {
			EXPECT_EQ(ref.range[j].first, b.range[j].first);
			EXPECT_EQ(ref.range[j].last, b.range[j].last);
			EXPECT_EQ(0, memcmp(ref.range[j].digest,
					    b.range[j].digest, 32));
		}
		bmap_free(&b);
		free(t);
	}
	bmap_free(&ref);
	free(text);
}

/* An empty image: no blocks, no ranges. */
TEST(empty_image)
{
	static const char t[] =
		"<bmap version=\"1.2\"><ImageSize>0</ImageSize>"
		"<BlockSize>4096</BlockSize><BlocksCount>0</BlocksCount>"
		"<MappedBlocksCount>0</MappedBlocksCount><BlockMap/></bmap>";
	struct bmap b;

	ASSERT_EQ(0, bmap_parse(&b, t, strlen(t))) {
		TH_LOG("%s", b.why);
	}
	EXPECT_EQ(0u, b.nranges);
	EXPECT_EQ(0u, b.blocks);
	EXPECT_FALSE(b.file_checked);
	bmap_free(&b);
}

TEST_HARNESS_MAIN
