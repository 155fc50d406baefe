// SPDX-License-Identifier: GPL-2.0
/*
 * Digest dispatch and hex conversion. See digest.h.
 */
#include <errno.h>
#include <strings.h>

#include "digest.h"

size_t digest_len(enum digest_type type)
{
	switch (type) {
	case DIGEST_SHA1:
		return SHA1_DIGEST_LEN;
	case DIGEST_SHA256:
		return SHA256_DIGEST_LEN;
	default:
		return 0;
	}
}

const char *digest_name(enum digest_type type)
{
	switch (type) {
	case DIGEST_SHA1:
		return "sha1";
	case DIGEST_SHA256:
		return "sha256";
	default:
		return "none";
	}
}

enum digest_type digest_from_name(const char *name, size_t len)
{
	if (len == 4 && !strncasecmp(name, "sha1", 4))
		return DIGEST_SHA1;
	if (len == 6 && !strncasecmp(name, "sha256", 6))
		return DIGEST_SHA256;
	return DIGEST_NONE;
}

void digest_init(struct digest_ctx *c, enum digest_type type)
{
	c->type = type;
	if (type == DIGEST_SHA1)
		sha1_init(&c->u.sha1);
	else if (type == DIGEST_SHA256)
		sha256_init(&c->u.sha256);
}

void digest_update(struct digest_ctx *c, const void *data, size_t len)
{
	if (c->type == DIGEST_SHA1)
		sha1_update(&c->u.sha1, data, len);
	else if (c->type == DIGEST_SHA256)
		sha256_update(&c->u.sha256, data, len);
}

void digest_final(struct digest_ctx *c, u8 *out)
{
	if (c->type == DIGEST_SHA1)
		sha1_final(&c->u.sha1, out);
	else if (c->type == DIGEST_SHA256)
		sha256_final(&c->u.sha256, out);
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int digest_from_hex(const char *hex, size_t len, u8 *out, size_t out_len)
{
	size_t i;
	int hi, lo;

	if (len != 2 * out_len)
		return -EINVAL;
	for (i = 0; i < out_len; i++) {
		hi = hexval(hex[2 * i]);
		lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (u8)(hi << 4 | lo);
	}
	return 0;
}

void digest_to_hex(const u8 *d, size_t len, char *buf)
{
	static const char xd[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		buf[2 * i] = xd[d[i] >> 4];
		buf[2 * i + 1] = xd[d[i] & 15];
	}
	buf[2 * len] = '\0';
}
