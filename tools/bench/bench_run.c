// SPDX-License-Identifier: GPL-2.0
/*
 * bench_run: run a command and print what it cost, for make bench.
 *
 *   bench_run CMD [ARGS...]
 *
 * The command's own output goes to $BENCH_LOG (default /dev/null); one line
 * is printed on stdout after the command exits:
 *   rc=N wall_ms=N user_ms=N sys_ms=N kernel_ms=N
 * user/sys: the command and its children (rusage); kernel_ms: system-wide
 * kernel time (system + irq + softirq in /proc/stat) during the run, which
 * includes the gadget side of the emulated board and the host controller.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long kernel_ticks(void)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");

	if (!f)
		return 0;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
		   &v[2], &v[3], &v[4], &v[5], &v[6]) != 7)
		v[2] = v[5] = v[6] = 0;
	fclose(f);
	return v[2] + v[5] + v[6];	/* system, irq, softirq */
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	unsigned long long k0, k1;
	long hz = sysconf(_SC_CLK_TCK);
	struct rusage ru;
	double t0, t1;
	int st = 0;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_run CMD [ARGS...]\n");
		return 2;
	}
	k0 = kernel_ticks();
	t0 = now_ms();
	pid = fork();
	if (pid == 0) {
		const char *log = getenv("BENCH_LOG");
		int fd = open(log ? log : "/dev/null",
			      O_WRONLY | O_CREAT | O_TRUNC, 0644);

		/* Only our one line goes to stdout. */
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	t1 = now_ms();
	k1 = kernel_ticks();
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("rc=%d wall_ms=%.0f user_ms=%ld sys_ms=%ld kernel_ms=%llu\n",
	       WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), t1 - t0,
	       ru.ru_utime.tv_sec * 1000 + ru.ru_utime.tv_usec / 1000,
	       ru.ru_stime.tv_sec * 1000 + ru.ru_stime.tv_usec / 1000,
	       (k1 - k0) * 1000 / hz);
	return 0;
}
