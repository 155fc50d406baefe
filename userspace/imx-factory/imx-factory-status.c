// SPDX-License-Identifier: GPL-2.0
/*
 * imx-factory: a board's status lives in memory shared between its worker
 * (the only writer) and the parent (UI, table, reports). The writer makes
 * the sequence number odd while it writes; a reader copies until it sees
 * the same even number before and after.
 */
#include <string.h>
#include <time.h>

#include "imx-factory.h"

void fac_status_begin(struct fac_status *st)
{
	__atomic_add_fetch(&st->seq, 1, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void fac_status_end(struct fac_status *st)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_add_fetch(&st->seq, 1, __ATOMIC_SEQ_CST);
}

void fac_status_read(const struct fac_status *src, struct fac_status *dst)
{
	unsigned int a, b;
	int tries;

	/* A worker that died mid-update leaves seq odd: copy anyway then. */
	for (tries = 0; tries < 1000; tries++) {
		a = __atomic_load_n(&src->seq, __ATOMIC_SEQ_CST);
		if (a & 1) {
			struct timespec ts = { 0, 100000 };

			nanosleep(&ts, NULL);
			continue;
		}
		memcpy(dst, (const void *)src, sizeof(*dst));
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		b = __atomic_load_n(&src->seq, __ATOMIC_SEQ_CST);
		if (a == b)
			return;
	}
	memcpy(dst, (const void *)src, sizeof(*dst));
}
