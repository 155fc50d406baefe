/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Progress bar on stderr, only when stderr is a terminal (progress.c):
 * drawn by the caller (progress_draw), or by a thread that polls a sysfs
 * "progress" attribute while the caller blocks in one long ioctl
 * (progress_watch_start).
 */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stdbool.h>

#include <imxflash/pure.h>

bool progress_wanted(void);
void progress_draw(const char *label, u64 done, u64 total, u64 t0);
void progress_end(void);

struct progress_watch;
struct progress_watch *progress_watch_start(const char *sysdir,
					    const char *label, u64 total);
void progress_watch_stop(struct progress_watch *w);

#endif /* PROGRESS_H */
