/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SHA-1 (FIPS 180-4 §6.1), written from the standard. Only for reading
 * bmap files of format 1.0-1.3, whose range checksums are SHA-1: it
 * detects corruption there, not tampering (SHA-1 collisions are cheap).
 */
#ifndef SHA1_H
#define SHA1_H

#include <stddef.h>

#include <imxflash/pure.h>

#define SHA1_DIGEST_LEN		20
#define SHA1_BLOCK_LEN		64

struct sha1_ctx {
	u32 h[5];
	u64 bytes;			/* message length so far */
	u8 buf[SHA1_BLOCK_LEN];		/* partial block, bytes % 64 of it */
};

void sha1_init(struct sha1_ctx *c);
void sha1_update(struct sha1_ctx *c, const void *data, size_t len);
/* Pads and writes the digest to @out; @c needs sha1_init() again. */
void sha1_final(struct sha1_ctx *c, u8 out[SHA1_DIGEST_LEN]);
void sha1_digest(const void *data, size_t len, u8 out[SHA1_DIGEST_LEN]);

#endif /* SHA1_H */
