// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the bmap-tools block map parser
 * (userspace/lib/bmap.c).
 *
 * Input: the bytes of a bmap file, copied to a buffer of exactly their
 * size so that ASan catches any read past it. An accepted map is checked
 * again here, independently: a known version, BlocksCount the rounded-up
 * ImageSize / BlockSize, ranges ascending, inside the image and adding up
 * to MappedBlocksCount, digests of the type's length; a refused one has
 * one of the documented errors, a message and no ranges.
 */
#include <stdlib.h>
#include <string.h>

#include "bmap.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	const struct bmap_range *r;
	struct bmap b;
	u64 sum = 0;
	char *text;
	size_t i, n;
	int ret;

	text = malloc(size ? size : 1);
	CHECK(text);
	memcpy(text, data, size);
	ret = bmap_parse(&b, text, size);
	n = strnlen(b.why, sizeof(b.why));
	CHECK(n < sizeof(b.why));
	if (ret) {
		CHECK(ret == -EINVAL || ret == -EOPNOTSUPP ||
		      ret == -EBADMSG || ret == -ENOMEM);
		CHECK(n > 0);
		CHECK(!b.range && !b.nranges);
		free(text);
		return 0;
	}
	CHECK((b.major == 1 && b.minor <= 4) || b.major == 2);
	CHECK(b.block_size > 0);
	CHECK(b.blocks == b.image_size / b.block_size +
	      !!(b.image_size % b.block_size));
	CHECK(b.type == DIGEST_SHA1 || b.type == DIGEST_SHA256);
	CHECK(b.file_checked == !(b.major == 1 && b.minor < 3));
	for (i = 0; i < b.nranges; i++) {
		r = &b.range[i];
		CHECK(r->first <= r->last && r->last < b.blocks);
		CHECK(!i || b.range[i - 1].last < r->first);
		CHECK(!r->digest_len || r->digest_len == digest_len(b.type));
		CHECK(bmap_range_bytes(&b, r) > 0);
		CHECK(bmap_range_offset(&b, r) + bmap_range_bytes(&b, r) <=
		      b.image_size);
		sum += r->last - r->first + 1;
	}
	CHECK(sum == b.mapped);
	bmap_free(&b);
	free(text);
	return 0;
}
