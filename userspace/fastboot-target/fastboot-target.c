// SPDX-License-Identifier: GPL-2.0
/*
 * fastboot-target: listen to usb_f_fastboot's "events" group, print one
 * line per event, run hooks, and answer "oem ..." commands with programs
 * from a directory. See fastboot-target(8).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "fastboot-target.h"

#define FT_VERSION	"0.1"
#define FT_MAX_POLL	80

struct ft_opts ft = { .count = -1 };

static sigset_t ft_sigs;	/* blocked in the daemon, restored in children */
static struct nl_sock *ft_ev_sk;
static long ft_events_seen;

static const char usage_text[] =
"usage: fastboot-target [options]\n"
"\n"
"Prints the events of usb_f_fastboot functions (one line each), runs\n"
"hooks for them and, with --oem-dir, answers the hosts' \"oem\" commands.\n"
"\n"
"Options:\n"
"  -i, --instance NAME  only the function fastboot.NAME (events, and the\n"
"                       oem registration); default: all instances\n"
"  -H, --hooks DIR      run DIR/<event> (e.g. DIR/reboot) for each event\n"
"                       for which that executable exists\n"
"  -o, --oem-dir DIR    be the oem handler: \"oem foo a b\" runs DIR/foo a b;\n"
"                       stdout lines become INFO, exit 0 OKAY, else FAIL\n"
"                       with the last stderr line\n"
"  -1, --once           exit after the first event\n"
"  -n, --count N        exit after N events\n"
"  -j, --json           one JSON object per line instead of text\n"
"  -v, --verbose        log to stderr what happens (twice: more)\n"
"  -h, --help           this text\n"
"  -V, --version\n"
"\n"
"Exit codes: 0 ok (signal or --count reached), 1 runtime error, 2 usage,\n"
"3 family \"fastboot\" not found (usb_f_fastboot not loaded), 4 oem\n"
"registration refused (not CAP_NET_ADMIN, or another handler).\n";

static const struct option long_opts[] = {
	{ "instance",	required_argument, NULL, 'i' },
	{ "hooks",	required_argument, NULL, 'H' },
	{ "oem-dir",	required_argument, NULL, 'o' },
	{ "once",	no_argument,	   NULL, '1' },
	{ "count",	required_argument, NULL, 'n' },
	{ "json",	no_argument,	   NULL, 'j' },
	{ "verbose",	no_argument,	   NULL, 'v' },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "version",	no_argument,	   NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

void ft_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > ft.verbose)
		return;
	va_start(ap, fmt);
	fputs("fastboot-target: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

u64 ft_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

pid_t ft_spawn(const char *path, char *const argv[], char *const env[],
	       int *out, int *err)
{
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 };
	pid_t pid;
	int i, fd;

	if (out && pipe2(po, O_CLOEXEC))
		return -1;
	if (err && pipe2(pe, O_CLOEXEC))
		goto fail;
	pid = fork();
	if (pid < 0)
		goto fail;
	if (!pid) {
		/* Own process group: a timeout kills the whole tree. */
		setpgid(0, 0);
		/*
		 * An oem handler whose answer nobody can send any more (we
		 * were killed) has no reason to go on.
		 */
		if (out)
			prctl(PR_SET_PDEATHSIG, SIGKILL);
		sigprocmask(SIG_UNBLOCK, &ft_sigs, NULL);
		signal(SIGPIPE, SIG_DFL);
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0 && fd != 0) {
			dup2(fd, 0);
			close(fd);
		}
		/* Our stdout is the event stream: keep it clean. */
		dup2(out ? po[1] : 2, 1);
		if (err)
			dup2(pe[1], 2);
		for (i = 0; env && env[i]; i++)
			putenv(env[i]);
		execv(path, argv);
		fprintf(stderr, "cannot run %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);	/* here too: no race with kill(-pid) */
	if (out) {
		close(po[1]);
		*out = po[0];
		fcntl(*out, F_SETFL, O_NONBLOCK);
	}
	if (err) {
		close(pe[1]);
		*err = pe[0];
		fcntl(*err, F_SETFL, O_NONBLOCK);
	}
	return pid;
fail:
	for (i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	return -1;
}

static int ev_valid(struct nl_msg *msg, void *arg)
{
	(void)arg;
	ft_events_seen += ft_event(msg);
	return NL_OK;
}

static int events_open(void)
{
	int grp, ret;

	ft_ev_sk = nl_socket_alloc();
	if (!ft_ev_sk || genl_connect(ft_ev_sk)) {
		ft_log(0, "cannot open a generic netlink socket");
		return FT_EXIT_ERR;
	}
	grp = genl_ctrl_resolve_grp(ft_ev_sk, FASTBOOT_GENL_NAME,
				    FASTBOOT_GENL_MCGRP_EVENTS);
	if (grp < 0) {
		ft_log(0, "netlink family \"%s\" not found (is usb_f_fastboot loaded?): %s",
		       FASTBOOT_GENL_NAME, nl_geterror(grp));
		return FT_EXIT_NOFAM;
	}
	/* Multicast messages carry no sequence numbers of ours. */
	nl_socket_disable_seq_check(ft_ev_sk);
	nl_socket_modify_cb(ft_ev_sk, NL_CB_VALID, NL_CB_CUSTOM, ev_valid,
			    NULL);
	ret = nl_socket_add_membership(ft_ev_sk, grp);
	if (!ret)
		ret = nl_socket_set_nonblocking(ft_ev_sk);
	if (ret) {
		ft_log(0, "cannot join group \"%s\": %s",
		       FASTBOOT_GENL_MCGRP_EVENTS, nl_geterror(ret));
		return FT_EXIT_ERR;
	}
	/* Bursts of events (a multi-piece flash) must not overrun us. */
	nl_socket_set_buffer_size(ft_ev_sk, 256 * 1024, 0);
	return 0;
}

static void reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if (!ft_oem_reaped(pid, status) && !ft_hook_reaped(pid, status))
			ft_log(2, "reaped unknown child %d", (int)pid);
}

static void events_input(void)
{
	int ret = nl_recvmsgs_default(ft_ev_sk);

	/* ENOBUFS (libnl: NLE_NOMEM): a burst overran us; keep listening. */
	if (ret == -NLE_NOMEM)
		ft_log(0, "events lost: receive buffer overrun");
	else if (ret < 0)
		ft_log(0, "events: %s", nl_geterror(ret));
}

static int run(int sfd)
{
	struct pollfd fds[FT_MAX_POLL];
	int n, nbase, tmo, oemfd = ft_oem_fd();
	bool stopping = false;

	while (!stopping || ft_oem_running() || ft_hooks_running()) {
		if (!stopping && ft.count >= 0 && ft_events_seen >= ft.count) {
			/* --count reached: let hooks finish, stop oem work. */
			stopping = true;
			ft_oem_kill_all();
			continue;
		}
		n = 0;
		fds[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		fds[n++] = (struct pollfd){
			.fd = stopping ? -1 : nl_socket_get_fd(ft_ev_sk),
			.events = POLLIN };
		fds[n++] = (struct pollfd){ .fd = oemfd, .events = POLLIN };
		nbase = n;
		n += ft_oem_poll_fill(fds + n, FT_MAX_POLL - n);
		tmo = ft_oem_timeout();
		if (poll(fds, n, tmo) < 0) {
			if (errno == EINTR)
				continue;
			ft_log(0, "poll: %s", strerror(errno));
			return FT_EXIT_ERR;
		}
		if (fds[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGCHLD)
					continue;
				if (stopping) {
					/* Second signal: no more patience. */
					ft_hooks_kill(SIGKILL);
					continue;
				}
				ft_log(1, "signal %u: exiting", si.ssi_signo);
				stopping = true;
				ft_oem_kill_all();
				ft_hooks_kill(SIGTERM);
			}
			reap();
		}
		if (fds[1].revents & POLLIN)
			events_input();
		if (oemfd >= 0 && fds[2].revents)
			ft_oem_input();
		ft_oem_poll_done(fds + nbase, n - nbase);
		ft_oem_timers();
		/* Children that exited during this round. */
		reap();
	}
	return FT_EXIT_OK;
}

static int parse_args(int argc, char **argv)
{
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "i:H:o:1n:jvhV", long_opts,
				NULL)) != -1) {
		switch (c) {
		case 'i':
			ft.instance = optarg;
			break;
		case 'H':
			ft.hooks = optarg;
			break;
		case 'o':
			ft.oem_dir = optarg;
			break;
		case '1':
			ft.count = 1;
			break;
		case 'n':
			errno = 0;
			ft.count = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || ft.count < 1) {
				fprintf(stderr, "fastboot-target: --count: bad number '%s'\n",
					optarg);
				return FT_EXIT_USAGE;
			}
			break;
		case 'j':
			ft.json = true;
			break;
		case 'v':
			ft.verbose++;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(FT_EXIT_OK);
		case 'V':
			puts("fastboot-target " FT_VERSION);
			exit(FT_EXIT_OK);
		default:
			fputs(usage_text, stderr);
			return FT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "fastboot-target: unexpected argument '%s'\n",
			argv[optind]);
		return FT_EXIT_USAGE;
	}
	if (ft.instance && (!*ft.instance || strlen(ft.instance) > 31)) {
		fprintf(stderr, "fastboot-target: --instance: name must have 1 to 31 characters\n");
		return FT_EXIT_USAGE;
	}
	return 0;
}

static int check_dir(const char *opt, const char *dir)
{
	struct stat st;

	if (!dir)
		return 0;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "fastboot-target: %s: '%s' is not a directory\n",
			opt, dir);
		return FT_EXIT_USAGE;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int ret, sfd;

	ret = parse_args(argc, argv);
	if (!ret)
		ret = check_dir("--hooks", ft.hooks);
	if (!ret)
		ret = check_dir("--oem-dir", ft.oem_dir);
	if (ret)
		return ret;
	/* Output is read by scripts while we run: one line at a time. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);

	sigemptyset(&ft_sigs);
	sigaddset(&ft_sigs, SIGINT);
	sigaddset(&ft_sigs, SIGTERM);
	sigaddset(&ft_sigs, SIGHUP);
	sigaddset(&ft_sigs, SIGCHLD);
	sigprocmask(SIG_BLOCK, &ft_sigs, NULL);
	sfd = signalfd(-1, &ft_sigs, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0) {
		ft_log(0, "signalfd: %s", strerror(errno));
		return FT_EXIT_ERR;
	}

	ret = events_open();
	if (!ret && ft.oem_dir)
		ret = ft_oem_open();
	if (ret)
		return ret;
	ft_log(1, "listening%s%s%s%s", ft.instance ? " on " : "",
	       ft.instance ? ft.instance : "",
	       ft.oem_dir ? ", oem handler for " : "",
	       ft.oem_dir ? ft.oem_dir : "");

	ret = run(sfd);
	ft_oem_close();
	nl_socket_free(ft_ev_sk);
	close(sfd);
	return ret;
}
