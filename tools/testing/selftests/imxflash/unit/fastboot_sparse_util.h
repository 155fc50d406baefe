/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Shared by the fastboot_sparse_*_test unit tests (fastboot_sparse_util.c):
 * the checking sink, decode() with its feed plans, and the image builder.
 */
#ifndef _IMXF_UNIT_FASTBOOT_SPARSE_UTIL_H
#define _IMXF_UNIT_FASTBOOT_SPARSE_UTIL_H

#include <stddef.h>

#include <imxflash/fastboot_sparse.h>

#define POISON		0x5a	/* output bytes no operation touched */
#define MIB		(1024 * 1024)

/* The output: applies the decoder's operations and checks every one. */
struct sink {
	u8 *out;		/* NULL: check only */
	u64 size;		/* bytes at @out */
	u64 limit;		/* what the decoder was given */
	u64 end;		/* end of the previous operation */
	unsigned int nops, nwrite, nfill, nskip;
	u64 bytes;		/* sum of the operations' lengths */
	unsigned int fail_at;	/* return @fail_ret at this op (1-based) */
	int fail_ret;
	const char *bad;	/* first invariant violated */
};

/* How to cut the input into feeds. */
enum { FEED_WHOLE, FEED_STEP, FEED_RANDOM, FEED_SPLIT };

struct plan {
	int how;
	size_t arg;		/* step, max random piece, split point */
	u32 seed;
};

/* What decode() saw. */
struct result {
	int feed;		/* first error of fastboot_sparse_feed(), or 0 */
	int fin;		/* fastboot_sparse_finish() */
	const char *why;
	struct fastboot_sparse s;
};

#define IMG_MAX		(1024 * 1024)
#define EXP_MAX		(1024 * 1024)

/* A sparse image built chunk by chunk, and the output it must give. */
struct img {
	u8 *buf;		/* the image */
	size_t len;
	u8 *exp;		/* expected output, POISON where untouched */
	u16 fhs, chs;
	u32 blk_sz;
	u32 blks, chunks;
	size_t start[32];	/* offset of each chunk */
};

/* @s, or "(null)" */
const char *str(const char *s);

/* A xorshift32 generator: set rnd_state to seed it. */
extern u32 rnd_state;
u32 rnd(void);
void rnd_fill(u8 *p, size_t n);

void put16(u8 *p, u16 v);
void put32(u8 *p, u32 v);
u16 get16(const u8 *p);
u32 get32(const u8 *p);
/* @n bytes of the 32-bit little-endian pattern @v (whole words only) */
void pattern(u8 *p, size_t n, u32 v);

/* The fastboot_sparse_init() callback: one operation into @ctx, a struct sink. */
int sink_emit(void *ctx, const struct fastboot_sparse_op *op);
/* A sink for a decoder given @limit; @out (@size bytes) set to POISON. */
void sink_init(struct sink *k, u8 *out, u64 size, u64 limit);
/*
 * Decode @img into @k following @plan. After a feed error the rest is
 * fed anyway: it must return the same error and emit nothing.
 */
void decode(struct result *r, struct sink *k, const u8 *img,
	    size_t len, u32 align, const struct plan *plan);

/* A file header of @fhs bytes, chunk headers of @chs, no chunk yet. */
void img_init(struct img *m, u32 blk_sz, u16 fhs, u16 chs);
void img_free(struct img *m);
/* Update the counts in the file header. */
void img_seal(struct img *m);
/* A chunk with explicit fields; @data (@dlen bytes) follows the header. */
void img_chunk(struct img *m, u16 type, u32 chunk_sz, u32 total_sz,
	       const void *data, size_t dlen);
/* RAW (random data), FILL, DONT_CARE and CRC32 chunks, counts updated */
void img_raw(struct img *m, u32 blocks);
void img_fill(struct img *m, u32 blocks, u32 v);
void img_skip(struct img *m, u32 blocks);
void img_crc(struct img *m);

#endif /* _IMXF_UNIT_FASTBOOT_SPARSE_UTIL_H */
