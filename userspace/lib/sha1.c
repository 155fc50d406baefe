// SPDX-License-Identifier: GPL-2.0
/*
 * SHA-1 from FIPS 180-4: functions §4.1.1, constants §4.2.1, initial hash
 * value §5.3.1, padding §5.1.1 (as SHA-256), computation §6.1.2 with the
 * 16-word circular schedule of §6.1.3.
 */
#include <string.h>

#include "sha1.h"

static inline u32 rol(u32 x, unsigned int n)
{
	return x << n | x >> (32 - n);
}

static void compress(u32 h[5], const u8 *p)
{
	u32 w[16], a, b, c, d, e, f, k, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = imxf_get_be32(p + 4 * i);
	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	for (i = 0; i < 80; i++) {
		if (i >= 16) {
			t = w[(i + 13) & 15] ^ w[(i + 8) & 15] ^
			    w[(i + 2) & 15] ^ w[i & 15];
			w[i & 15] = rol(t, 1);
		}
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol(a, 5) + f + e + k + w[i & 15];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void sha1_init(struct sha1_ctx *c)
{
	static const u32 iv[5] = {
		0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0,
	};

	memcpy(c->h, iv, sizeof(iv));
	c->bytes = 0;
}

void sha1_update(struct sha1_ctx *c, const void *data, size_t len)
{
	const u8 *p = data;
	size_t have = c->bytes % SHA1_BLOCK_LEN, n;

	c->bytes += len;
	if (have) {
		n = SHA1_BLOCK_LEN - have < len ? SHA1_BLOCK_LEN - have : len;
		memcpy(c->buf + have, p, n);
		p += n;
		len -= n;
		if (have + n < SHA1_BLOCK_LEN)
			return;
		compress(c->h, c->buf);
	}
	for (; len >= SHA1_BLOCK_LEN; p += SHA1_BLOCK_LEN, len -= SHA1_BLOCK_LEN)
		compress(c->h, p);
	memcpy(c->buf, p, len);
}

void sha1_final(struct sha1_ctx *c, u8 out[SHA1_DIGEST_LEN])
{
	size_t have = c->bytes % SHA1_BLOCK_LEN;
	u64 bits = c->bytes * 8;
	int i;

	c->buf[have++] = 0x80;
	if (have > SHA1_BLOCK_LEN - 8) {
		memset(c->buf + have, 0, SHA1_BLOCK_LEN - have);
		compress(c->h, c->buf);
		have = 0;
	}
	memset(c->buf + have, 0, SHA1_BLOCK_LEN - 8 - have);
	imxf_put_be32(c->buf + 56, (u32)(bits >> 32));
	imxf_put_be32(c->buf + 60, (u32)bits);
	compress(c->h, c->buf);
	for (i = 0; i < 5; i++)
		imxf_put_be32(out + 4 * i, c->h[i]);
}

void sha1_digest(const void *data, size_t len, u8 out[SHA1_DIGEST_LEN])
{
	struct sha1_ctx c;

	sha1_init(&c);
	sha1_update(&c, data, len);
	sha1_final(&c, out);
}
