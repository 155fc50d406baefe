/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small utilities of the imxflash tools (util.c): messages, number
 * parsing, whole-file loading, time.
 *
 * Informational messages go to stdout (suppressed by -q), errors and
 * warnings to stderr as "PROG: text" and "PROG: warning: text".
 */
#ifndef UTIL_H
#define UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <imxflash/pure.h>

extern int util_verbosity;		/* -1 quiet, 0 normal, 1+ verbose */

/* The program's name, prefix of util_err() and util_warn(); main() sets it. */
void util_set_prog(const char *name);
const char *util_prog(void);

void util_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void util_vmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void util_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void util_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int util_parse_u32(const char *s, u32 *val, bool size_suffix);
int util_load_file(const char *path, u8 **buf, size_t *len);
u64 util_now_ms(void);
const char *util_human_rate(char *buf, size_t size, u64 bytes, u64 ms);
int util_parse_seconds_ms(const char *s, u64 *ms);
int util_parse_hex3(const char *s, unsigned long v[3]);

#endif /* UTIL_H */
