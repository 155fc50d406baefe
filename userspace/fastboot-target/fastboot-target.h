/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fastboot-target: userspace side of usb_f_fastboot's generic netlink
 * family "fastboot" (<linux/usb/fastboot.h>). See fastboot-target(8).
 *
 *   fastboot-target.c  options, sockets, the poll loop, children
 *   ft-event.c         events: decode, print (text or JSON), hooks
 *   ft-oem.c           the oem handler: requests, handler processes,
 *                      INFO lines and the final answer
 */
#ifndef FASTBOOT_TARGET_H
#define FASTBOOT_TARGET_H

#include <stdbool.h>
#include <sys/types.h>

#include <netlink/netlink.h>
#include <linux/usb/fastboot.h>
#include <imxflash/pure.h>

/* As the kernel's __printf() (spelled so that checkpatch sees no raw use) */
#ifndef __printf
#define FT_PRINTF_ATTR	format
#define __printf(a, b)	__attribute__((FT_PRINTF_ATTR(printf, a, b)))
#endif
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit codes (fastboot-target(8)). */
#define FT_EXIT_OK	0
#define FT_EXIT_ERR	1	/* runtime error (netlink, fork) */
#define FT_EXIT_USAGE	2	/* bad command line */
#define FT_EXIT_NOFAM	3	/* family "fastboot" not there (module not loaded) */
#define FT_EXIT_PERM	4	/* oem handler registration refused */

/* Text of one response to the host: 64 bytes minus the 4-byte tag. */
#define FT_LINE_MAX	60

struct ft_opts {
	const char *instance;	/* --instance: only this one, NULL = all */
	const char *hooks;	/* --hooks DIR */
	const char *oem_dir;	/* --oem-dir DIR */
	long count;		/* --count/--once: exit after so many events */
	bool json;
	int verbose;
};

extern struct ft_opts ft;

/* fastboot-target.c */
__printf(2, 3) void ft_log(int level, const char *fmt, ...);
u64 ft_now_ms(void);
/*
 * fork + exec @path with @argv; @env entries added to the environment;
 * @out/@err: pipe read ends (NULL: the child's stdout and stderr go to
 * our stderr). The child leads its own process group; with @out (oem
 * handlers) it is killed when we die. Returns the pid or -1.
 */
pid_t ft_spawn(const char *path, char *const argv[], char *const env[],
	       int *out, int *err);

/* ft-event.c */
/* Handle one FASTBOOT_CMD_EVENT; returns 1 if it was counted. */
int ft_event(struct nl_msg *msg);
/* A child exited: true if it was a hook (then it is logged). */
bool ft_hook_reaped(pid_t pid, int status);
int ft_hooks_running(void);
void ft_hooks_kill(int sig);
const char *ft_event_name(u32 ev);

/* ft-oem.c */
int ft_oem_open(void);		/* register; returns the socket fd */
void ft_oem_close(void);
int ft_oem_fd(void);
void ft_oem_input(void);	/* the socket is readable */
/*
 * Fill poll entries for the handlers' pipes from @fds (at most @max),
 * returns how many; ft_oem_poll_done() handles the results.
 */
int ft_oem_poll_fill(struct pollfd *fds, int max);
void ft_oem_poll_done(const struct pollfd *fds, int n);
/* Milliseconds until the next oem timer (-1: none); run due timers. */
int ft_oem_timeout(void);
void ft_oem_timers(void);
bool ft_oem_reaped(pid_t pid, int status);
void ft_oem_kill_all(void);
int ft_oem_running(void);

#endif /* FASTBOOT_TARGET_H */
