/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers: a fastboot host over raw usbfs ioctls (no libusb) that
 * checks every response it reads, and a builder for sparse images with
 * any field value, valid or not. For fastboot_bad_test.
 */
#ifndef _IMXF_FASTBOOT_USBFS_H
#define _IMXF_FASTBOOT_USBFS_H

#include <stddef.h>
#include <stdint.h>

#define FBT_RESP_MAX	64	/* longest response a client accepts */
#define FBT_RD_BUF	1024	/* responses are read with more: longer ones are seen */
#define FBT_TMO		20000	/* ms per response (each INFO restarts it) */

enum fbt_tag { FBT_ERR = -1, FBT_OKAY, FBT_FAIL, FBT_DATA, FBT_INFO };

/* The fastboot interface (FF/42/03) of one device, claimed. */
struct fbt_dev {
	int fd;
	int ifnum;
	unsigned int ep_in, ep_out;
	unsigned int mps;		/* of the bulk OUT endpoint */
	char node[64];			/* /dev/bus/usb/BBB/DDD */
};

/* What one command got back. */
struct fbt_resp {
	enum fbt_tag tag;
	int ninfo;
	int bad;			/* a response broke the rules: @why */
	char text[FBT_RD_BUF];		/* payload of the final response */
	char info[2048];		/* INFO payloads, one per line */
	char why[160];
};

/* Find the interface of the device with @serial in sysfs (any VID/PID). */
int fbt_find(const char *serial, struct fbt_dev *d);
/* fbt_find + open + claim, retried for up to @wait_ms. 0 or -errno. */
int fbt_open(struct fbt_dev *d, const char *serial, int wait_ms);
void fbt_close(struct fbt_dev *d);

/* One USBDEVFS_BULK transfer: bytes moved or -errno. */
int fbt_bulk(struct fbt_dev *d, unsigned int ep, void *buf, size_t len, int tmo);
/* Send @len bytes in 1 MiB transfers. */
int fbt_send(struct fbt_dev *d, const void *buf, size_t len);

/*
 * Commands. Every response read is checked: at most FBT_RESP_MAX bytes,
 * tag OKAY/FAIL/DATA/INFO (else r->bad and r->why). The functions return
 * the final tag (INFO lines are collected in r->info) or -errno.
 */
int fbt_finish(struct fbt_dev *d, struct fbt_resp *r);
int fbt_cmd_len(struct fbt_dev *d, const void *c, size_t len, struct fbt_resp *r);
__attribute__((format(printf, 3, 4)))
int fbt_cmd(struct fbt_dev *d, struct fbt_resp *r, const char *fmt, ...);
/* download:%08x, DATA must echo the size, the data, the final answer. */
int fbt_download(struct fbt_dev *d, const void *data, uint32_t len,
		 struct fbt_resp *r);
/* Read and drop responses until none comes for @ms; returns how many. */
int fbt_drain(struct fbt_dev *d, int ms);
/* @text contains one of the NULL-terminated strings (case-insensitive)? */
int fbt_names(const char *text, ...);

/* Files */
uint64_t fbt_hash_file(const char *path);
/* Hash of @len bytes at @off (fewer at the end of the file). */
uint64_t fbt_hash_range(const char *path, uint64_t off, uint64_t len);
int fbt_pread(const char *path, uint64_t off, void *buf, size_t len);

/* Sparse images: fields written as given. */
#define FBT_SP_MAGIC	0xed26ff3au
#define FBT_SP_RAW	0xcac1
#define FBT_SP_FILL	0xcac2
#define FBT_SP_DONTCARE	0xcac3
#define FBT_SP_CRC	0xcac4

struct fbt_sp {
	uint8_t *b;
	size_t len, cap;
};

void fbt_sp_put(struct fbt_sp *s, const void *p, size_t n);
void fbt_sp_le(struct fbt_sp *s, uint64_t v, int bytes);
/* File header; a @fhs above 28 is padded with zeros. */
void fbt_sp_hdr(struct fbt_sp *s, uint32_t magic, uint16_t major,
		uint16_t fhs, uint16_t chs, uint32_t blk_sz,
		uint32_t total_blks, uint32_t chunks);
/* Chunk header and @dlen bytes of @data. */
void fbt_sp_chunk(struct fbt_sp *s, uint16_t type, uint32_t chunk_sz,
		  uint32_t total_sz, const void *data, size_t dlen);
/* Restart @s with a valid header: @blocks of 4096 bytes, @chunks chunks. */
void fbt_sp_start(struct fbt_sp *s, uint32_t blocks, uint32_t chunks);
/* A valid RAW chunk of @blocks, content imxf_fill_pattern(@seed). */
void fbt_sp_raw(struct fbt_sp *s, uint32_t blocks, uint32_t seed);

#endif /* _IMXF_FASTBOOT_USBFS_H */
