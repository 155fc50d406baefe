// SPDX-License-Identifier: GPL-2.0
/*
 * Progress bar on stderr, only when stderr is a terminal (progress.h).
 *
 * A WRITE_FILE is one ioctl that blocks until the ROM's final answer, so
 * the bar is drawn by a second thread that polls the node's sysfs
 * "progress" attribute ("done total" bytes of the running transfer) while
 * the main thread sits in the ioctl.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"
#include "util.h"

#define BAR_WIDTH	30
#define POLL_MS		100

bool progress_wanted(void)
{
	const char *term = getenv("TERM");

	return util_verbosity >= 0 && isatty(STDERR_FILENO) &&
	       !(term && !strcmp(term, "dumb"));
}

void progress_draw(const char *label, u64 done, u64 total, u64 t0)
{
	char bar[BAR_WIDTH + 1];
	u64 ms = util_now_ms() - t0, rate;
	unsigned int pct, fill, i;

	if (!total)
		return;
	if (done > total)
		done = total;
	pct = (unsigned int)(done * 100 / total);
	fill = (unsigned int)(done * BAR_WIDTH / total);
	for (i = 0; i < BAR_WIDTH; i++)
		bar[i] = i < fill ? '#' : '-';
	bar[BAR_WIDTH] = '\0';
	fprintf(stderr, "\r%-14s [%s] %3u%% %" PRIu64 "/%" PRIu64 " KiB",
		label, bar, pct, (uint64_t)((done + 512) >> 10),
		(uint64_t)((total + 512) >> 10));
	if (ms > 200) {
		rate = done * 1000 / ms / 10000;	/* 1/100 MB/s */
		fprintf(stderr, " %llu.%02llu MB/s", rate / 100, rate % 100);
	}
	fputs("\033[K", stderr);
	fflush(stderr);
}

void progress_end(void)
{
	fputs("\r\033[K", stderr);
	fflush(stderr);
}

struct progress_watch {
	pthread_t thread;
	int fd;
	int stop;		/* __atomic */
	int drawn;
	u64 total;
	u64 t0;
	char label[32];
};

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void *watch_main(void *arg)
{
	struct progress_watch *w = arg;
	unsigned long long done, total;
	char buf[64], *end;
	ssize_t n;

	while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
		n = pread(w->fd, buf, sizeof(buf) - 1, 0);
		if (n > 0) {
			buf[n] = '\0';
			done = strtoull(buf, &end, 10);
			total = strtoull(end, NULL, 10);
			if (end != buf && total == w->total && done <= total) {
				progress_draw(w->label, done, total, w->t0);
				w->drawn = 1;
			}
		}
		sleep_ms(POLL_MS);
	}
	return NULL;
}

/*
 * Start drawing the transfer of @total bytes from @sysdir/progress.
 * Returns NULL (no bar) when not wanted or not possible.
 */
struct progress_watch *progress_watch_start(const char *sysdir,
					    const char *label, u64 total)
{
	struct progress_watch *w;
	char path[160];

	if (!sysdir || !sysdir[0] || !progress_wanted())
		return NULL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	snprintf(path, sizeof(path), "%s/progress", sysdir);
	w->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (w->fd < 0) {
		free(w);
		return NULL;
	}
	w->total = total;
	w->t0 = util_now_ms();
	snprintf(w->label, sizeof(w->label), "%s", label);
	if (pthread_create(&w->thread, NULL, watch_main, w)) {
		close(w->fd);
		free(w);
		return NULL;
	}
	return w;
}

void progress_watch_stop(struct progress_watch *w)
{
	if (!w)
		return;
	__atomic_store_n(&w->stop, 1, __ATOMIC_RELEASE);
	pthread_join(w->thread, NULL);
	if (w->drawn)
		progress_end();
	close(w->fd);
	free(w);
}
