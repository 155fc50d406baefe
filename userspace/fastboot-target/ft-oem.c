// SPDX-License-Identifier: GPL-2.0
/*
 * fastboot-target: the oem handler. "oem foo a b" from a host arrives as
 * FASTBOOT_CMD_OEM_REQUEST; it runs <oem-dir>/foo with arguments a b,
 * sends each line the program prints as FASTBOOT_CMD_OEM_INFO and its
 * exit status as FASTBOOT_CMD_OEM_DONE.
 *
 * INFO lines of one request go out one at a time, each waiting for the
 * kernel's ack: the kernel queues a limited number of lines per request
 * and answers -EAGAIN when they are not yet sent to the host, and only
 * stop-and-wait keeps the order when a line has to be retried.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "fastboot-target.h"

#define FT_MAX_JOBS	16
#define FT_MAX_ARGS	64
#define FT_NAME_MAX	64
#define FT_RETRY_MS	20
#define FT_QUEUE_MAX	4096	/* lines kept per request before dropping */
/*
 * The kernel answers the host and sends OEM_CANCEL (which kills the
 * handler) when its timeout expires; our own deadline, a little later,
 * only covers a cancel that got lost.
 */
#define FT_GRACE_MS	1000

struct job {
	bool used;
	bool cancelled;		/* the kernel no longer waits: send nothing */
	bool timed_out;
	bool waiting;		/* an INFO or the DONE awaits its ack */
	bool done_sent;
	u32 id;
	u32 wait_seq;
	pid_t pid;		/* 0 when not running (reaped or never run) */
	int out, err;		/* pipe read ends, -1 when closed */
	int wstatus;
	u64 start, deadline, retry_at;
	u32 timeout_ms;
	size_t olen, elen;
	char obuf[FT_LINE_MAX + 1];
	char ebuf[256];
	char last_err[256];
	char fail[FT_LINE_MAX + 1];	/* refused without running anything */
	char instance[32];
	char **q;		/* INFO lines not yet acked */
	size_t qhead, qlen, qcap;
	unsigned long dropped;
};

static struct nl_sock *sk;
static int family;
static struct job jobs[FT_MAX_JOBS];

static struct nla_policy req_policy[FASTBOOT_A_MAX + 1] = {
	[FASTBOOT_A_OEM_ID] = { .type = NLA_U32 },
	[FASTBOOT_A_INSTANCE] = { .type = NLA_STRING },
	[FASTBOOT_A_OEM_COMMAND] = { .type = NLA_STRING },
	[FASTBOOT_A_TIMEOUT_MS] = { .type = NLA_U32 },
	[FASTBOOT_A_STATUS] = { .type = NLA_S32 },
};

static struct job *job_by_id(u32 id)
{
	int i;

	for (i = 0; i < FT_MAX_JOBS; i++)
		if (jobs[i].used && jobs[i].id == id)
			return &jobs[i];
	return NULL;
}

static void job_free(struct job *j)
{
	size_t i;

	if (j->out >= 0)
		close(j->out);
	if (j->err >= 0)
		close(j->err);
	for (i = 0; i < j->qlen; i++)
		free(j->q[(j->qhead + i) % j->qcap]);
	free(j->q);
	memset(j, 0, sizeof(*j));
}

static void job_kill(struct job *j)
{
	if (j->pid > 0)
		kill(-j->pid, SIGKILL);
}

/* Queue one INFO line (already at most FT_LINE_MAX bytes). */
static void job_queue(struct job *j, const char *line, size_t len)
{
	char **nq;

	if (j->cancelled)
		return;
	if (j->qlen == FT_QUEUE_MAX) {
		j->dropped++;
		return;
	}
	if (j->qlen == j->qcap) {
		size_t cap = j->qcap ? j->qcap * 2 : 16;

		size_t i;

		nq = malloc(cap * sizeof(*nq));
		if (!nq) {
			j->dropped++;
			return;
		}
		for (i = 0; i < j->qlen; i++)
			nq[i] = j->q[(j->qhead + i) % j->qcap];
		free(j->q);
		j->q = nq;
		j->qcap = cap;
		j->qhead = 0;
	}
	j->q[(j->qhead + j->qlen) % j->qcap] = strndup(line, len);
	if (!j->q[(j->qhead + j->qlen) % j->qcap]) {
		j->dropped++;
		return;
	}
	j->qlen++;
}

/*
 * Bytes the handler wrote on stdout: complete lines become INFO lines,
 * long lines are cut into pieces of one response each.
 */
static void job_stdout(struct job *j, const char *buf, size_t len, bool eof)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (buf[i] == '\n') {
			job_queue(j, j->obuf, j->olen);
			j->olen = 0;
			continue;
		}
		if (j->olen == FT_LINE_MAX) {
			job_queue(j, j->obuf, j->olen);
			j->olen = 0;
		}
		j->obuf[j->olen++] = buf[i];
	}
	if (eof && j->olen) {
		job_queue(j, j->obuf, j->olen);
		j->olen = 0;
	}
}

/* stderr: the last non-empty line is the FAIL text; -v shows all. */
static void job_stderr_line(struct job *j)
{
	size_t n = j->elen;

	while (n && isspace((unsigned char)j->ebuf[n - 1]))
		n--;
	j->ebuf[n] = '\0';
	j->elen = 0;
	if (!n)
		return;
	ft_log(1, "oem %u stderr: %s", j->id, j->ebuf);
	memcpy(j->last_err, j->ebuf, n + 1);
}

static void job_stderr(struct job *j, const char *buf, size_t len, bool eof)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (buf[i] == '\n') {
			job_stderr_line(j);
			continue;
		}
		if (j->elen < sizeof(j->ebuf) - 1)
			j->ebuf[j->elen++] = buf[i];
	}
	if (eof && j->elen)
		job_stderr_line(j);
}

/* Read what a pipe has; close it at EOF (or when @final). */
static void job_read(struct job *j, int *fd, bool final)
{
	char buf[4096];

	while (*fd >= 0) {
		ssize_t n = read(*fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0) {
			if (fd == &j->out)
				job_stdout(j, buf, n, false);
			else
				job_stderr(j, buf, n, false);
			continue;
		}
		if (n < 0 && errno == EAGAIN && !final)
			return;
		/* EOF, error, or the handler is gone: what is left counts. */
		if (fd == &j->out)
			job_stdout(j, NULL, 0, true);
		else
			job_stderr(j, NULL, 0, true);
		close(*fd);
		*fd = -1;
	}
}

static struct nl_msg *msg_new(u8 cmd, u32 id)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0, cmd,
			 FASTBOOT_GENL_VERSION) ||
	    (id && nla_put_u32(msg, FASTBOOT_A_OEM_ID, id))) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Send @msg (acked); on success the job waits for that ack. */
static int job_send(struct job *j, struct nl_msg *msg)
{
	int ret = nl_send_auto(sk, msg);

	if (ret >= 0) {
		j->wait_seq = nlmsg_hdr(msg)->nlmsg_seq;
		j->waiting = true;
	}
	nlmsg_free(msg);
	return ret < 0 ? ret : 0;
}

static void job_send_info(struct job *j)
{
	struct nl_msg *msg = msg_new(FASTBOOT_CMD_OEM_INFO, j->id);
	int ret;

	if (!msg || nla_put_string(msg, FASTBOOT_A_MESSAGE, j->q[j->qhead])) {
		nlmsg_free(msg);
		ret = -NLE_NOMEM;
	} else {
		ret = job_send(j, msg);
	}
	if (ret) {
		ft_log(0, "oem %u: cannot send INFO: %s", j->id,
		       nl_geterror(ret));
		j->retry_at = ft_now_ms() + FT_RETRY_MS;
	}
}

static void job_result(const struct job *j, s32 *status, char *text,
		       size_t size)
{
	int st = j->wstatus;

	*status = 0;
	text[0] = '\0';
	if (j->fail[0]) {
		*status = -1;
		snprintf(text, size, "%s", j->fail);
	} else if (j->timed_out) {
		*status = -ETIMEDOUT;
		snprintf(text, size, "oem handler timed out after %u ms",
			 j->timeout_ms);
	} else if (WIFEXITED(st) && !WEXITSTATUS(st)) {
		return;
	} else if (j->last_err[0]) {
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		snprintf(text, size, "%s", j->last_err);
	} else if (WIFEXITED(st)) {
		*status = WEXITSTATUS(st);
		snprintf(text, size, "exit %d", WEXITSTATUS(st));
	} else {
		*status = -1;
		snprintf(text, size, "killed by signal %d", WTERMSIG(st));
	}
}

static void job_send_done(struct job *j)
{
	struct nl_msg *msg = msg_new(FASTBOOT_CMD_OEM_DONE, j->id);
	char text[sizeof(j->last_err)];	/* the kernel cuts it */
	s32 status;
	int ret = -NLE_NOMEM;

	job_result(j, &status, text, sizeof(text));
	if (msg && !nla_put_s32(msg, FASTBOOT_A_STATUS, status) &&
	    !nla_put_string(msg, FASTBOOT_A_MESSAGE, text))
		ret = job_send(j, msg);
	else
		nlmsg_free(msg);
	if (ret) {
		ft_log(0, "oem %u: cannot send the answer: %s", j->id,
		       nl_geterror(ret));
		j->retry_at = ft_now_ms() + FT_RETRY_MS;
		return;
	}
	j->done_sent = true;
	ft_log(1, "oem %u done: %s%s%s", j->id,
	       status ? "FAIL" : "OKAY", text[0] ? " " : "", text);
}

/* Move the job on: next INFO, then the answer; free it when finished. */
static void job_advance(struct job *j)
{
	u64 now = ft_now_ms();

	if (j->pid > 0 && j->deadline && now >= j->deadline &&
	    !j->timed_out) {
		ft_log(0, "oem %u: handler ran out of time (%u ms), killed",
		       j->id, j->timeout_ms);
		j->timed_out = true;
		job_kill(j);
	}
	if (j->cancelled) {
		if (j->pid <= 0 && !j->waiting)
			job_free(j);
		return;
	}
	if (j->waiting || now < j->retry_at)
		return;
	j->retry_at = 0;
	if (j->qlen) {
		job_send_info(j);
		return;
	}
	if (j->pid > 0 || j->out >= 0 || j->err >= 0)
		return;
	if (j->dropped)
		ft_log(0, "oem %u: %lu output lines dropped", j->id,
		       j->dropped);
	job_send_done(j);
}

/* A plain file name: no path, no hidden files, nothing to escape. */
static bool plain_name(const char *s)
{
	const char *p;

	if (!*s || *s == '.' || *s == '-' || strlen(s) > FT_NAME_MAX)
		return false;
	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._+-", *p))
			return false;
	return true;
}

static void job_start(struct job *j, char *cmd)
{
	char *argv[FT_MAX_ARGS + 2], *save, *w;
	char path[4096], env[4][FT_LINE_MAX + 64];
	char *envp[5];
	struct stat st;
	int argc = 0;

	for (w = strtok_r(cmd, " \t", &save); w && argc <= FT_MAX_ARGS;
	     w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	if (!argc) {
		snprintf(j->fail, sizeof(j->fail), "empty oem command");
		return;
	}
	if (argc > FT_MAX_ARGS) {
		snprintf(j->fail, sizeof(j->fail), "too many arguments (max %d)",
			 FT_MAX_ARGS - 1);
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", ft.oem_dir, argv[0]);
	if (!plain_name(argv[0]) || stat(path, &st) || !S_ISREG(st.st_mode) ||
	    access(path, X_OK)) {
		snprintf(j->fail, sizeof(j->fail), "unknown oem command '%.30s'",
			 argv[0]);
		return;
	}
	snprintf(env[0], sizeof(env[0]), "FASTBOOT_INSTANCE=%s", j->instance);
	snprintf(env[1], sizeof(env[1]), "FASTBOOT_EVENT=oem");
	snprintf(env[2], sizeof(env[2]), "FASTBOOT_OEM_ID=%u", j->id);
	snprintf(env[3], sizeof(env[3]), "FASTBOOT_TIMEOUT_MS=%u",
		 j->timeout_ms);
	envp[0] = env[0];
	envp[1] = env[1];
	envp[2] = env[2];
	envp[3] = env[3];
	envp[4] = NULL;
	argv[0] = path;
	j->pid = ft_spawn(path, argv, envp, &j->out, &j->err);
	if (j->pid < 0) {
		j->pid = 0;
		snprintf(j->fail, sizeof(j->fail), "cannot run: %s",
			 strerror(errno));
		return;
	}
	if (j->timeout_ms)
		j->deadline = j->start + j->timeout_ms + FT_GRACE_MS;
	ft_log(1, "oem %u (%s): started %s (pid %d)", j->id,
	       j->instance, path, (int)j->pid);
}

static void on_request(struct nlattr **tb)
{
	struct job *j = NULL;
	char *cmd;
	int i;

	if (!tb[FASTBOOT_A_OEM_ID] || !tb[FASTBOOT_A_OEM_COMMAND]) {
		ft_log(0, "malformed oem request ignored");
		return;
	}
	for (i = 0; i < FT_MAX_JOBS && !j; i++)
		if (!jobs[i].used)
			j = &jobs[i];
	if (!j) {
		/* No free entry to track it: the kernel's timeout answers it. */
		ft_log(0, "oem request dropped: %d requests running",
		       FT_MAX_JOBS);
		return;
	}
	j->used = true;
	j->out = -1;
	j->err = -1;
	j->id = nla_get_u32(tb[FASTBOOT_A_OEM_ID]);
	j->start = ft_now_ms();
	if (tb[FASTBOOT_A_TIMEOUT_MS])
		j->timeout_ms = nla_get_u32(tb[FASTBOOT_A_TIMEOUT_MS]);
	if (tb[FASTBOOT_A_INSTANCE])
		snprintf(j->instance, sizeof(j->instance), "%s",
			 nla_get_string(tb[FASTBOOT_A_INSTANCE]));
	ft_log(1, "oem %u (%s): '%s', timeout %u ms", j->id,
	       j->instance, nla_get_string(tb[FASTBOOT_A_OEM_COMMAND]),
	       j->timeout_ms);
	cmd = strdup(nla_get_string(tb[FASTBOOT_A_OEM_COMMAND]));
	if (!cmd) {
		snprintf(j->fail, sizeof(j->fail), "out of memory");
		return;
	}
	job_start(j, cmd);
	free(cmd);
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *tb[FASTBOOT_A_MAX + 1];
	struct job *j;

	(void)arg;
	if (genlmsg_parse(nlh, 0, tb, FASTBOOT_A_MAX, req_policy) < 0) {
		ft_log(0, "malformed message from the kernel ignored");
		return NL_SKIP;
	}
	if (gh->cmd == FASTBOOT_CMD_OEM_REQUEST) {
		on_request(tb);
	} else if (gh->cmd == FASTBOOT_CMD_OEM_CANCEL &&
		   tb[FASTBOOT_A_OEM_ID]) {
		j = job_by_id(nla_get_u32(tb[FASTBOOT_A_OEM_ID]));
		if (j) {
			ft_log(1, "oem %u: cancelled by the kernel (%d)",
			       j->id, tb[FASTBOOT_A_STATUS] ?
			       (int)nla_get_u32(tb[FASTBOOT_A_STATUS]) : 0);
			j->cancelled = true;
			job_kill(j);
		}
	}
	return NL_OK;
}

static struct job *job_by_seq(u32 seq)
{
	int i;

	for (i = 0; i < FT_MAX_JOBS; i++)
		if (jobs[i].used && jobs[i].waiting && jobs[i].wait_seq == seq)
			return &jobs[i];
	return NULL;
}

/* The kernel took the INFO or the DONE the job waited for. */
static void job_acked(struct job *j)
{
	j->waiting = false;
	if (j->done_sent) {
		job_free(j);
		return;
	}
	free(j->q[j->qhead]);
	j->qhead = (j->qhead + 1) % j->qcap;
	j->qlen--;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct job *j = job_by_seq(nlmsg_hdr(msg)->nlmsg_seq);

	(void)arg;
	if (j)
		job_acked(j);
	return NL_OK;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct job *j = job_by_seq(e->msg.nlmsg_seq);

	(void)nla;
	(void)arg;
	if (!j)
		return NL_SKIP;
	j->waiting = false;
	if (e->error == -EAGAIN && !j->done_sent) {
		/* The kernel's queue is full: same line again, later. */
		j->retry_at = ft_now_ms() + FT_RETRY_MS;
	} else if (e->error == -ENOENT) {
		/* The kernel gave up on it (timeout, host gone). */
		ft_log(1, "oem %u: request no longer pending", j->id);
		j->cancelled = true;
		job_kill(j);
		if (j->done_sent)
			job_free(j);
	} else {
		ft_log(0, "oem %u: kernel refused %s: %s", j->id,
		       j->done_sent ? "the answer" : "an INFO line",
		       strerror(-e->error));
		if (j->done_sent)
			job_free(j);
		else
			job_acked(j);	/* skip that line */
	}
	return NL_SKIP;
}

int ft_oem_open(void)
{
	struct nl_msg *msg;
	int ret;

	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk)) {
		ft_log(0, "cannot open a generic netlink socket");
		return FT_EXIT_ERR;
	}
	family = genl_ctrl_resolve(sk, FASTBOOT_GENL_NAME);
	if (family < 0) {
		ft_log(0, "netlink family \"%s\" not found: %s",
		       FASTBOOT_GENL_NAME, nl_geterror(family));
		return FT_EXIT_NOFAM;
	}
	msg = msg_new(FASTBOOT_CMD_OEM_REGISTER, 0);
	if (!msg || (ft.instance &&
		     nla_put_string(msg, FASTBOOT_A_INSTANCE, ft.instance))) {
		nlmsg_free(msg);
		return FT_EXIT_ERR;
	}
	/* Synchronous, before our own callbacks are in place. */
	ret = nl_send_sync(sk, msg);
	if (ret) {
		ft_log(0, "cannot register as oem handler%s%s: %s",
		       ft.instance ? " of " : "",
		       ft.instance ? ft.instance : "",
		       ret == -NLE_BUSY ? "another handler is registered" :
		       nl_geterror(ret));
		return FT_EXIT_PERM;
	}
	/* Requests and cancels arrive unsolicited; acks are matched here. */
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_valid, NULL);
	nl_socket_modify_cb(sk, NL_CB_ACK, NL_CB_CUSTOM, on_ack, NULL);
	nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, on_error, NULL);
	nl_socket_set_nonblocking(sk);
	nl_socket_set_buffer_size(sk, 256 * 1024, 0);
	return 0;
}

void ft_oem_close(void)
{
	int i;

	for (i = 0; i < FT_MAX_JOBS; i++)
		if (jobs[i].used)
			job_free(&jobs[i]);
	/* Closing the socket ends the registration. */
	if (sk)
		nl_socket_free(sk);
	sk = NULL;
}

int ft_oem_fd(void)
{
	return sk ? nl_socket_get_fd(sk) : -1;
}

void ft_oem_input(void)
{
	int ret = nl_recvmsgs_default(sk);

	if (ret < 0)
		ft_log(0, "oem socket: %s", nl_geterror(ret));
}

int ft_oem_poll_fill(struct pollfd *fds, int max)
{
	int i, n = 0;

	for (i = 0; i < FT_MAX_JOBS; i++) {
		if (!jobs[i].used)
			continue;
		if (jobs[i].out >= 0 && n < max)
			fds[n++] = (struct pollfd){ .fd = jobs[i].out,
						    .events = POLLIN };
		if (jobs[i].err >= 0 && n < max)
			fds[n++] = (struct pollfd){ .fd = jobs[i].err,
						    .events = POLLIN };
	}
	return n;
}

void ft_oem_poll_done(const struct pollfd *fds, int n)
{
	int i, k;

	for (k = 0; k < n; k++) {
		if (!fds[k].revents)
			continue;
		for (i = 0; i < FT_MAX_JOBS; i++) {
			if (!jobs[i].used)
				continue;
			if (jobs[i].out == fds[k].fd)
				job_read(&jobs[i], &jobs[i].out, false);
			else if (jobs[i].err == fds[k].fd)
				job_read(&jobs[i], &jobs[i].err, false);
		}
	}
}

int ft_oem_timeout(void)
{
	u64 now = ft_now_ms(), t = ~0ULL;
	int i;

	for (i = 0; i < FT_MAX_JOBS; i++) {
		const struct job *j = &jobs[i];

		if (!j->used)
			continue;
		if (j->pid > 0 && j->deadline && !j->timed_out &&
		    j->deadline < t)
			t = j->deadline;
		if (!j->waiting && j->retry_at && j->retry_at < t)
			t = j->retry_at;
	}
	if (t == ~0ULL)
		return -1;
	return t <= now ? 0 : (int)(t - now);
}

void ft_oem_timers(void)
{
	int i;

	for (i = 0; i < FT_MAX_JOBS; i++)
		if (jobs[i].used)
			job_advance(&jobs[i]);
}

bool ft_oem_reaped(pid_t pid, int status)
{
	int i;

	for (i = 0; i < FT_MAX_JOBS; i++) {
		struct job *j = &jobs[i];

		if (!j->used || j->pid != pid)
			continue;
		j->pid = 0;
		j->wstatus = status;
		/*
		 * Whatever it wrote before exiting; children it left behind
		 * may hold the pipes open, so stop reading here.
		 */
		job_read(j, &j->out, true);
		job_read(j, &j->err, true);
		job_advance(j);
		return true;
	}
	return false;
}

void ft_oem_kill_all(void)
{
	int i;

	for (i = 0; i < FT_MAX_JOBS; i++) {
		if (!jobs[i].used)
			continue;
		jobs[i].cancelled = true;
		job_kill(&jobs[i]);
	}
}

int ft_oem_running(void)
{
	int i, n = 0;

	for (i = 0; i < FT_MAX_JOBS; i++)
		n += jobs[i].used && jobs[i].pid > 0;
	return n;
}
