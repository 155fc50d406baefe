// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What the fastboot_sparse_*_test unit tests share: a sink that applies
 * the decoder's operations to a buffer and checks every one (nothing past
 * the limit, no empty or backward operation, nothing after an error), the
 * decoder driven with the input cut in different ways, and a builder of
 * sparse images chunk by chunk with the output they must give. See
 * fastboot_sparse_util.h.
 */
#include <stdlib.h>
#include <string.h>

#include "fastboot_sparse_util.h"

const char *str(const char *s)
{
	return s ? s : "(null)";
}

u32 rnd_state;

u32 rnd(void)
{
	u32 x = rnd_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	rnd_state = x;
	return x;
}

void rnd_fill(u8 *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (u8)rnd();
}

void put16(u8 *p, u16 v)
{
	p[0] = v;
	p[1] = v >> 8;
}

void put32(u8 *p, u32 v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

u16 get16(const u8 *p)
{
	return p[0] | p[1] << 8;
}

u32 get32(const u8 *p)
{
	return get16(p) | (u32)get16(p + 2) << 16;
}

/* ---- the output: applies operations and checks every one ---- */

int sink_emit(void *ctx, const struct fastboot_sparse_op *op)
{
	struct sink *k = ctx;
	u64 i;

	k->nops++;
	k->bytes += op->len;
	if (!op->len)
		k->bad = k->bad ?: "empty operation";
	if (op->offset > k->limit || op->len > k->limit - op->offset)
		k->bad = k->bad ?: "operation past the limit";
	if (op->offset < k->end)
		k->bad = k->bad ?: "operation goes backwards";
	k->end = op->offset + op->len;
	switch (op->type) {
	case FASTBOOT_SPARSE_OP_WRITE:
		k->nwrite++;
		if (!op->data)
			k->bad = k->bad ?: "WRITE without data";
		else if (k->out && !k->bad)
			memcpy(k->out + op->offset, op->data, op->len);
		break;
	case FASTBOOT_SPARSE_OP_FILL:
		k->nfill++;
		if (op->offset % 4 || op->len % 4)
			k->bad = k->bad ?: "FILL not 4-byte aligned";
		else if (k->out && !k->bad)
			for (i = 0; i < op->len; i += 4)
				memcpy(k->out + op->offset + i, op->fill, 4);
		break;
	case FASTBOOT_SPARSE_OP_SKIP:
		k->nskip++;
		break;
	default:
		k->bad = k->bad ?: "unknown operation type";
	}
	if (k->fail_at && k->nops == k->fail_at)
		return k->fail_ret;
	return 0;
}

void sink_init(struct sink *k, u8 *out, u64 size, u64 limit)
{
	memset(k, 0, sizeof(*k));
	k->out = out;
	k->size = size;
	k->limit = limit;
	if (out)
		memset(out, POISON, size);
}

/*
 * Decode @img into @k following @plan. After a feed error the rest is
 * fed anyway: it must return the same error and emit nothing.
 */
void decode(struct result *r, struct sink *k, const u8 *img,
	    size_t len, u32 align, const struct plan *plan)
{
	size_t pos = 0, n;
	unsigned int ops;
	int ret;

	memset(r, 0, sizeof(*r));
	fastboot_sparse_init(&r->s, k->limit, align, sink_emit, k);
	rnd_state = plan->seed ?: 1;
	while (pos < len) {
		switch (plan->how) {
		case FEED_STEP:
			n = plan->arg;
			break;
		case FEED_RANDOM:
			n = 1 + rnd() % plan->arg;
			/* some empty feeds too */
			if (!(rnd() % 16))
				n = 0;
			break;
		case FEED_SPLIT:
			n = pos < plan->arg ? plan->arg - pos : len - pos;
			break;
		default:
			n = len;
			break;
		}
		if (n > len - pos)
			n = len - pos;
		ops = k->nops;
		ret = fastboot_sparse_feed(&r->s, img + pos, n);
		if (r->feed && (ret != r->feed || k->nops != ops))
			k->bad = k->bad ?: "activity after an error";
		if (ret && !r->feed)
			r->feed = ret;
		pos += n;
	}
	ops = k->nops;
	r->fin = fastboot_sparse_finish(&r->s);
	if (k->nops != ops)
		k->bad = k->bad ?: "finish emitted an operation";
	if (r->feed && r->fin != r->feed)
		k->bad = k->bad ?: "finish lost the error";
	/* finish is idempotent */
	if (fastboot_sparse_finish(&r->s) != r->fin)
		k->bad = k->bad ?: "finish not idempotent";
	r->why = r->s.why;
}

void pattern(u8 *p, size_t n, u32 v)
{
	size_t i;

	for (i = 0; i + 4 <= n; i += 4)
		put32(p + i, v);
}

/* ---- hand-built images ---- */

void img_init(struct img *m, u32 blk_sz, u16 fhs, u16 chs)
{
	m->buf = calloc(1, IMG_MAX);
	m->exp = malloc(EXP_MAX);
	memset(m->exp, POISON, EXP_MAX);
	m->blk_sz = blk_sz;
	m->fhs = fhs;
	m->chs = chs;
	m->blks = 0;
	m->chunks = 0;
	put32(m->buf, FASTBOOT_SPARSE_MAGIC);
	put16(m->buf + 4, 1);
	put16(m->buf + 6, 0);
	put16(m->buf + 8, fhs);
	put16(m->buf + 10, chs);
	put32(m->buf + 12, blk_sz);
	/* junk in the extra header bytes: they must be skipped */
	memset(m->buf + 28, 0xee, fhs - 28);
	m->len = fhs;
}

void img_free(struct img *m)
{
	free(m->buf);
	free(m->exp);
}

/* Update the counts in the file header. */
void img_seal(struct img *m)
{
	put32(m->buf + 16, m->blks);
	put32(m->buf + 20, m->chunks);
}

/* A chunk with explicit fields; @data (@dlen bytes) follows the header. */
void img_chunk(struct img *m, u16 type, u32 chunk_sz, u32 total_sz,
	       const void *data, size_t dlen)
{
	u8 *h = m->buf + m->len;

	if (m->chunks < 32)
		m->start[m->chunks] = m->len;
	put16(h, type);
	put16(h + 2, 0);
	put32(h + 4, chunk_sz);
	put32(h + 8, total_sz);
	memset(h + 12, 0xdd, m->chs - 12);
	if (dlen)
		memcpy(h + m->chs, data, dlen);
	m->len += m->chs + dlen;
	m->chunks++;
	img_seal(m);
}

void img_raw(struct img *m, u32 blocks)
{
	size_t n = (size_t)blocks * m->blk_sz;
	u8 *d = malloc(n + 1);

	rnd_fill(d, n);
	memcpy(m->exp + (size_t)m->blks * m->blk_sz, d, n);
	img_chunk(m, FASTBOOT_SPARSE_RAW, blocks, m->chs + n, d, n);
	m->blks += blocks;
	img_seal(m);
	free(d);
}

void img_fill(struct img *m, u32 blocks, u32 v)
{
	u8 d[4];

	put32(d, v);
	pattern(m->exp + (size_t)m->blks * m->blk_sz,
		(size_t)blocks * m->blk_sz, v);
	img_chunk(m, FASTBOOT_SPARSE_FILL, blocks, m->chs + 4, d, 4);
	m->blks += blocks;
	img_seal(m);
}

void img_skip(struct img *m, u32 blocks)
{
	img_chunk(m, FASTBOOT_SPARSE_DONT_CARE, blocks, m->chs, NULL, 0);
	m->blks += blocks;
	img_seal(m);
}

void img_crc(struct img *m)
{
	u8 d[4] = { 0xde, 0xad, 0xbe, 0xef };	/* never right: ignored */

	img_chunk(m, FASTBOOT_SPARSE_CRC32, 0, m->chs + 4, d, 4);
}
