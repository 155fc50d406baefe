/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One streaming interface over the digests that bmap files name
 * (bmap-tools' "ChecksumType", or SHA-1 implied by format 1.x), so that
 * the bmap parser and the image source do not switch on the type at
 * every call.
 */
#ifndef DIGEST_H
#define DIGEST_H

#include <stddef.h>

#include "sha1.h"
#include "sha256.h"

#define DIGEST_MAX_LEN		SHA256_DIGEST_LEN

enum digest_type {
	DIGEST_NONE = 0,
	DIGEST_SHA1,
	DIGEST_SHA256,
};

struct digest_ctx {
	enum digest_type type;
	union {
		struct sha1_ctx sha1;
		struct sha256_ctx sha256;
	} u;
};

/* Digest length in bytes (0 for DIGEST_NONE). */
size_t digest_len(enum digest_type type);
/* "sha1", "sha256" ("none" for DIGEST_NONE), as bmap files spell them. */
const char *digest_name(enum digest_type type);
/*
 * The type that @name (@len bytes, not terminated) spells, compared
 * without case as hashlib does; DIGEST_NONE when unknown.
 */
enum digest_type digest_from_name(const char *name, size_t len);

void digest_init(struct digest_ctx *c, enum digest_type type);
void digest_update(struct digest_ctx *c, const void *data, size_t len);
/* digest_len(type) bytes into @out. */
void digest_final(struct digest_ctx *c, u8 *out);

/*
 * Hex text (@len characters, either case) into @out: 0, or -EINVAL when
 * @len is not 2 * @out_len or a character is not a hex digit.
 */
int digest_from_hex(const char *hex, size_t len, u8 *out, size_t out_len);
/* @len bytes as lower-case hex into @buf (2 * @len + 1 bytes). */
void digest_to_hex(const u8 *d, size_t len, char *buf);

#endif /* DIGEST_H */
