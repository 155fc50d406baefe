// SPDX-License-Identifier: GPL-2.0
/*
 * SHA-256 from FIPS 180-4: constants §4.2.2, initial hash value §5.3.3,
 * padding §5.1.1, computation §6.2.2. Plain C: fast enough that the
 * flash link (USB 2.0 high speed, under 60 MB/s) stays the bottleneck.
 */
#include <string.h>

#include "sha256.h"

static const u32 K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline u32 ror(u32 x, unsigned int n)
{
	return x >> n | x << (32 - n);
}

static void compress(u32 h[8], const u8 *p)
{
	u32 w[64], a, b, c, d, e, f, g, k, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = imxf_get_be32(p + 4 * i);
	for (; i < 64; i++)
		w[i] = (ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ w[i - 2] >> 10) +
		       w[i - 7] +
		       (ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ w[i - 15] >> 3) +
		       w[i - 16];
	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	f = h[5];
	g = h[6];
	k = h[7];
	for (i = 0; i < 64; i++) {
		t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) +
		     ((e & f) ^ (~e & g)) + K[i] + w[i];
		t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
		     ((a & b) ^ (a & c) ^ (b & c));
		k = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += k;
}

void sha256_init(struct sha256_ctx *c)
{
	static const u32 iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(c->h, iv, sizeof(iv));
	c->bytes = 0;
}

void sha256_update(struct sha256_ctx *c, const void *data, size_t len)
{
	const u8 *p = data;
	size_t have = c->bytes % SHA256_BLOCK_LEN, n;

	c->bytes += len;
	if (have) {
		n = SHA256_BLOCK_LEN - have < len ? SHA256_BLOCK_LEN - have : len;
		memcpy(c->buf + have, p, n);
		p += n;
		len -= n;
		if (have + n < SHA256_BLOCK_LEN)
			return;
		compress(c->h, c->buf);
	}
	for (; len >= SHA256_BLOCK_LEN; p += SHA256_BLOCK_LEN,
	     len -= SHA256_BLOCK_LEN)
		compress(c->h, p);
	memcpy(c->buf, p, len);
}

void sha256_final(struct sha256_ctx *c, u8 out[SHA256_DIGEST_LEN])
{
	size_t have = c->bytes % SHA256_BLOCK_LEN;
	u64 bits = c->bytes * 8;
	int i;

	/* a 1 bit, zeros up to 56 mod 64, the bit length big-endian */
	c->buf[have++] = 0x80;
	if (have > SHA256_BLOCK_LEN - 8) {
		memset(c->buf + have, 0, SHA256_BLOCK_LEN - have);
		compress(c->h, c->buf);
		have = 0;
	}
	memset(c->buf + have, 0, SHA256_BLOCK_LEN - 8 - have);
	imxf_put_be32(c->buf + 56, (u32)(bits >> 32));
	imxf_put_be32(c->buf + 60, (u32)bits);
	compress(c->h, c->buf);
	for (i = 0; i < 8; i++)
		imxf_put_be32(out + 4 * i, c->h[i]);
}

void sha256_digest(const void *data, size_t len, u8 out[SHA256_DIGEST_LEN])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, out);
}
