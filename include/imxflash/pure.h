/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Portability shim for the protocol cores under lib/imxflash/.
 *
 * The cores are plain C with no kernel-only dependency: the same object
 * is linked into the modules and into the userspace tools, unit tests
 * and fuzzers. This header gives both worlds the few types and helpers
 * they need.
 */
#ifndef _IMXFLASH_PURE_H
#define _IMXFLASH_PURE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/stddef.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>

/*
 * The kernel's own definitions (asm-generic/int-ll64.h): u64 is unsigned
 * long long on every architecture, so "%llx" works in both worlds.
 */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef int s32;
typedef long long s64;
#endif

/* Unaligned fixed-endian accessors on byte buffers (no alignment needed). */
static inline u16 imxf_get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 imxf_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline u32 imxf_get_le32(const u8 *p)
{
	return (u32)p[3] << 24 | (u32)p[2] << 16 | (u32)p[1] << 8 | p[0];
}

static inline void imxf_put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static inline void imxf_put_le32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static inline void imxf_put_be16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

#endif /* _IMXFLASH_PURE_H */
