// SPDX-License-Identifier: GPL-2.0
/*
 * imx-factory: what the operator sees. One line per board:
 *
 *   board 1  1-1    imx6ull  flash rootfs     [########----]  67%   20.1 MiB  4.2 s
 *
 * On a terminal the lines are redrawn in place (cut to the terminal's
 * width so that they never wrap); otherwise a board's line is printed
 * when its step changes and every few seconds while it moves data. At
 * the end, a table: board, port, unique ID, SoC, stage reached, bytes,
 * seconds, result; and on request a report file with one key=value line
 * per board.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "imx-factory.h"
#include "sdp-host.h"
#include "util.h"

#define BAR	12
#define MAX_UI	64

struct fac_ui {
	const struct fac_manifest *m;
	int mode;
	unsigned int interval_ms;
	int drawn;		/* tty: lines on screen */
	struct {
		int board;
		int stage, step;
		u32 begun;	/* steps that had their line */
		u64 last_ms;
	} seen[MAX_UI];
	int nseen;
};

const char *fac_result_name(int result)
{
	switch (result) {
	case FAC_RUNNING:
		return "running";
	case FAC_OK:
		return "ok";
	case FAC_TIMEOUT:
		return "TIMEOUT";
	case FAC_GONE:
		return "UNPLUGGED";
	case FAC_ABORTED:
		return "ABORTED";
	}
	return "FAILED";
}

const char *fac_stage_name(const struct fac_status *st, bool bootloader_only)
{
	switch (st->stage) {
	case FAC_ST_QUEUED:
		return "starting";
	case FAC_ST_SDP:
		return "sdp boot";
	case FAC_ST_ENUM:
		return "fastboot wait";
	case FAC_ST_FASTBOOT:
		return st->what;
	case FAC_ST_DONE:
		return bootloader_only ? "booted" : "done";
	}
	return "?";
}

void fac_human_bytes(char *buf, size_t size, u64 b)
{
	if (b < 10240)
		snprintf(buf, size, "%llu B", (unsigned long long)b);
	else if (b < (10ull << 20))
		snprintf(buf, size, "%llu.%llu KiB",
			 (unsigned long long)(b >> 10),
			 (unsigned long long)((b & 1023) * 10 >> 10));
	else
		snprintf(buf, size, "%llu.%llu MiB",
			 (unsigned long long)(b >> 20),
			 (unsigned long long)((b & 0xfffff) * 10 >> 20));
}

static void seconds(char *buf, size_t size, u64 ms)
{
	snprintf(buf, size, "%llu.%llu s", (unsigned long long)(ms / 1000),
		 (unsigned long long)(ms % 1000 / 100));
}

struct fac_ui *fac_ui_new(int mode, unsigned int interval_s,
			  const struct fac_manifest *m)
{
	struct fac_ui *ui = calloc(1, sizeof(*ui));
	const char *term = getenv("TERM");

	if (!ui)
		return NULL;
	if (mode == FAC_PROGRESS_AUTO)
		mode = isatty(STDOUT_FILENO) && !(term && !strcmp(term, "dumb")) ?
		       FAC_PROGRESS_TTY : FAC_PROGRESS_LINES;
	ui->m = m;
	ui->mode = mode;
	ui->interval_ms = interval_s * 1000;
	return ui;
}

void fac_ui_free(struct fac_ui *ui)
{
	free(ui);
}

static int term_width(void)
{
	struct winsize ws;

	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

/* The data transfer of the running stage, from the worker or sysfs. */
static void transfer(const struct fac_status *st, u64 *done, u64 *total)
{
	char dir[96], buf[64], *end;

	*done = st->done;
	*total = st->total;
	if (st->stage != FAC_ST_SDP || !st->node[0])
		return;
	/* WRITE_FILE is one ioctl: the driver's counter tells how far it is */
	snprintf(dir, sizeof(dir), "%s/%s", SDP_CLASS_DIR, st->node);
	if (sdp_sysfs_read(dir, "progress", buf, sizeof(buf)))
		return;
	*done = strtoull(buf, &end, 10);
	*total = strtoull(end, NULL, 10);
	/* DCD_WRITE and the like: too small for a bar */
	if (*total < 4096)
		*done = *total = 0;
}

static void board_line(char *buf, size_t size, const struct fac_board *s,
		       const struct fac_status *st)
{
	char bar[BAR + 3], bytes[32], secs[32], pct[8] = "";
	u64 done, total, now = util_now_ms();
	u64 ms = (st->t_end ? st->t_end : now) - (st->t_start ? st->t_start : now);
	int i, fill;

	transfer(st, &done, &total);
	bar[0] = '\0';
	if (st->result == FAC_RUNNING && total && done <= total) {
		fill = (int)(done * BAR / total);
		bar[0] = '[';
		for (i = 0; i < BAR; i++)
			bar[i + 1] = i < fill ? '#' : '-';
		bar[BAR + 1] = ']';
		bar[BAR + 2] = '\0';
		snprintf(pct, sizeof(pct), "%3u%%",
			 (unsigned int)(done * 100 / total));
	}
	fac_human_bytes(bytes, sizeof(bytes),
			st->bytes + (st->result == FAC_RUNNING ? done : 0));
	seconds(secs, sizeof(secs), ms);
	if (st->result == FAC_RUNNING)
		snprintf(buf, size, "board %-2d %-6s %-8s %-16.16s %-14s %4s %10s %6s",
			 s->number, s->port, st->soc[0] ? st->soc : "-",
			 fac_stage_name(st, false), bar, pct, bytes, secs);
	else
		snprintf(buf, size, "board %-2d %-6s %-8s %-16.16s %-9s %10s %6s%s%s",
			 s->number, s->port, st->soc[0] ? st->soc : "-",
			 fac_stage_name(st, false), fac_result_name(st->result),
			 bytes, secs, st->reason[0] ? "  " : "", st->reason);
}

void fac_ui_clear(struct fac_ui *ui)
{
	if (ui->mode != FAC_PROGRESS_TTY || !ui->drawn)
		return;
	printf("\033[%dA\033[J", ui->drawn);
	fflush(stdout);
	ui->drawn = 0;
}

static int seen_index(struct fac_ui *ui, int board)
{
	int i;

	for (i = 0; i < ui->nseen; i++)
		if (ui->seen[i].board == board)
			return i;
	if (ui->nseen == MAX_UI) {
		/* forget the oldest (daemon mode runs for ever) */
		memmove(&ui->seen[0], &ui->seen[1],
			sizeof(ui->seen[0]) * (MAX_UI - 1));
		ui->nseen--;
	}
	i = ui->nseen++;
	ui->seen[i].board = board;
	ui->seen[i].stage = -1;
	ui->seen[i].step = -2;
	ui->seen[i].begun = 0;
	ui->seen[i].last_ms = 0;
	return i;
}

/*
 * Lines mode: a step that began and ended between two looks still gets
 * its line, so that a log shows every step of every board.
 */
static void missed_steps(struct fac_ui *ui, const struct fac_board *s,
			 const struct fac_status *st)
{
	int k = seen_index(ui, s->number), j;

	for (j = 0; j < FAC_MAX_STEPS && ui->m && j < ui->m->n; j++) {
		u32 bit = 1u << j;

		if (!(st->begun & bit) || (ui->seen[k].begun & bit))
			continue;
		ui->seen[k].begun |= bit;
		if (j == st->step && st->result == FAC_RUNNING)
			continue;	/* the caller prints it, live */
		printf("board %-2d %-6s %-8s %s\n", s->number, s->port,
		       st->soc[0] ? st->soc : "-", ui->m->step[j].label);
	}
}

void fac_ui_update(struct fac_ui *ui, struct fac_board *const *boards, int n)
{
	char line[512];
	int i, w = 0;
	u64 now = util_now_ms();

	if (ui->mode == FAC_PROGRESS_NONE)
		return;
	if (ui->mode == FAC_PROGRESS_TTY) {
		w = term_width() - 1;
		if (ui->drawn)
			printf("\033[%dA", ui->drawn);
		ui->drawn = 0;
	}
	for (i = 0; i < n; i++) {
		struct fac_status st;
		int k;

		fac_status_read(&boards[i]->st, &st);
		/* a finished board gets its line from fac_ui_done() */
		if (st.result != FAC_RUNNING)
			continue;
		board_line(line, sizeof(line), boards[i], &st);
		if (ui->mode == FAC_PROGRESS_TTY) {
			if ((int)strlen(line) > w)
				line[w] = '\0';
			printf("\r%s\033[K\n", line);
			ui->drawn++;
			continue;
		}
		missed_steps(ui, boards[i], &st);
		k = seen_index(ui, boards[i]->number);
		/* a new step, or news of a running transfer now and then */
		if (ui->seen[k].stage == st.stage &&
		    ui->seen[k].step == st.step &&
		    (!strchr(line, '[') ||
		     now - ui->seen[k].last_ms < ui->interval_ms))
			continue;
		ui->seen[k].stage = st.stage;
		ui->seen[k].step = st.step;
		ui->seen[k].last_ms = now;
		puts(line);
	}
	fflush(stdout);
}

void fac_ui_done(struct fac_ui *ui, const struct fac_board *board)
{
	struct fac_status st;
	char line[512];

	if (ui->mode == FAC_PROGRESS_NONE)
		return;
	fac_ui_clear(ui);
	fac_status_read(&board->st, &st);
	if (ui->mode == FAC_PROGRESS_LINES)
		missed_steps(ui, board, &st);
	board_line(line, sizeof(line), board, &st);
	puts(line);
	fflush(stdout);
}

void fac_table(struct fac_board *const *boards, int n, bool bootloader_only,
	       FILE *f)
{
	char bytes[32], secs[32];
	int i;

	fprintf(f, "%-6s %-8s %-16s %-8s %-20s %11s %8s  %s\n", "board",
		"port", "uid", "soc", "stage", "bytes", "time", "result");
	for (i = 0; i < n; i++) {
		struct fac_status st;
		u64 ms;

		fac_status_read(&boards[i]->st, &st);
		ms = st.t_end > st.t_start ? st.t_end - st.t_start : 0;
		fac_human_bytes(bytes, sizeof(bytes), st.bytes);
		seconds(secs, sizeof(secs), ms);
		fprintf(f, "%-6d %-8s %-16s %-8s %-20.20s %11s %8s  %s%s%s\n",
			boards[i]->number, boards[i]->port,
			st.uid[0] ? st.uid : "-", st.soc[0] ? st.soc : "-",
			fac_stage_name(&st, bootloader_only), bytes, secs,
			fac_result_name(st.result), st.reason[0] ? ": " : "",
			st.reason);
	}
	fflush(f);
}

/* Quote for the report: no newlines, double quotes escaped. */
static void quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
	fputc('"', f);
}

int fac_report(const char *path, struct fac_board *const *boards, int n,
	       const struct fac_manifest *m, bool bootloader_only)
{
	FILE *f = fopen(path, "w");
	int i, j;

	if (!f)
		return -errno;
	for (i = 0; i < n; i++) {
		struct fac_status st;

		fac_status_read(&boards[i]->st, &st);
		fprintf(f, "board=%d port=%s uid=%s soc=%s serial=",
			boards[i]->number, boards[i]->port,
			st.uid[0] ? st.uid : "-", st.soc[0] ? st.soc : "-");
		quoted(f, st.serial);
		fprintf(f, " result=%s stage=", fac_result_name(st.result));
		quoted(f, fac_stage_name(&st, bootloader_only));
		fprintf(f, " bytes=%llu ms=%llu sdp_ms=%llu jump_ms=%u enum_ms=%llu fastboot_ms=%llu",
			(unsigned long long)st.bytes,
			(unsigned long long)(st.t_end > st.t_start ?
					     st.t_end - st.t_start : 0),
			(unsigned long long)st.stage_ms[FAC_ST_SDP], st.jump_ms,
			(unsigned long long)st.stage_ms[FAC_ST_ENUM],
			(unsigned long long)st.stage_ms[FAC_ST_FASTBOOT]);
		for (j = 0; j < m->n; j++)
			fprintf(f, " step%d_ms=%llu", j + 1,
				(unsigned long long)st.step_ms[j]);
		fputs(" log=", f);
		quoted(f, boards[i]->log);
		fputs(" reason=", f);
		quoted(f, st.reason);
		fputc('\n', f);
	}
	if (fclose(f))
		return -errno;
	return 0;
}
