/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SHA-256 (FIPS 180-4 §6.2), written from the standard: bmap 1.4/2.0
 * range checksums, the bmap file's own checksum and the image digest of
 * imx-factory reports. Streaming: init, any number of updates, final.
 */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>

#include <imxflash/pure.h>

#define SHA256_DIGEST_LEN	32
#define SHA256_BLOCK_LEN	64

struct sha256_ctx {
	u32 h[8];
	u64 bytes;			/* message length so far */
	u8 buf[SHA256_BLOCK_LEN];	/* partial block, bytes % 64 of it */
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
/* Pads and writes the digest to @out; @c needs sha256_init() again. */
void sha256_final(struct sha256_ctx *c, u8 out[SHA256_DIGEST_LEN]);
/* One-shot digest of @len bytes. */
void sha256_digest(const void *data, size_t len, u8 out[SHA256_DIGEST_LEN]);

#endif /* SHA256_H */
