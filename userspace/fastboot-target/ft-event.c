// SPDX-License-Identifier: GPL-2.0
/*
 * fastboot-target: events of the "events" group, printed as one line of
 * text or JSON each, and the hooks run for them.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <netlink/genl/genl.h>

#include "fastboot-target.h"

#define FT_MAX_HOOKS	32

/* Indexed by enum fastboot_event; also the hook file names. */
static const char *const ev_names[] = {
	[FASTBOOT_EVENT_UNSPEC] = "unspec",
	[FASTBOOT_EVENT_CONNECT] = "connect",
	[FASTBOOT_EVENT_DISCONNECT] = "disconnect",
	[FASTBOOT_EVENT_DOWNLOAD] = "download",
	[FASTBOOT_EVENT_UPLOAD] = "upload",
	[FASTBOOT_EVENT_FLASH] = "flash",
	[FASTBOOT_EVENT_ERASE] = "erase",
	[FASTBOOT_EVENT_BOOT] = "boot",
	[FASTBOOT_EVENT_CONTINUE] = "continue",
	[FASTBOOT_EVENT_REBOOT] = "reboot",
	[FASTBOOT_EVENT_REBOOT_BOOTLOADER] = "reboot-bootloader",
	[FASTBOOT_EVENT_REBOOT_RECOVERY] = "reboot-recovery",
	[FASTBOOT_EVENT_REBOOT_FASTBOOT] = "reboot-fastboot",
	[FASTBOOT_EVENT_OEM] = "oem",
	[FASTBOOT_EVENT_LOCK] = "lock",
	[FASTBOOT_EVENT_UNLOCK] = "unlock",
	[FASTBOOT_EVENT_SET_ACTIVE] = "set-active",
	[FASTBOOT_EVENT_ERROR] = "error",
	[FASTBOOT_EVENT_SHA256] = "sha256",
};

static struct nla_policy ev_policy[FASTBOOT_A_MAX + 1] = {
	[FASTBOOT_A_EVENT] = { .type = NLA_U32 },
	[FASTBOOT_A_INSTANCE] = { .type = NLA_STRING },
	[FASTBOOT_A_PARTITION] = { .type = NLA_STRING },
	[FASTBOOT_A_BYTES] = { .type = NLA_U64 },
	[FASTBOOT_A_STATUS] = { .type = NLA_S32 },
	[FASTBOOT_A_DURATION_MS] = { .type = NLA_U32 },
	[FASTBOOT_A_MESSAGE] = { .type = NLA_STRING },
};

struct ft_ev {
	char name[32];
	const char *instance, *part, *msg;
	u64 bytes;
	s32 status;
	u32 duration_ms;
	bool has_bytes, has_status, has_duration;
};

static pid_t hooks[FT_MAX_HOOKS];

const char *ft_event_name(u32 ev)
{
	return ev < ARRAY_SIZE(ev_names) ? ev_names[ev] : NULL;
}

static void time_str(char *buf, size_t size)
{
	struct timeval tv;
	struct tm tm;
	size_t n;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, size - n, ".%03ld", (long)(tv.tv_usec / 1000));
}

/* A string as JSON (quotes included). */
static void put_json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* key=value, the value quoted when it would not read back as one word. */
static void put_kv(const char *key, const char *s)
{
	const char *p;

	printf(" %s=", key);
	for (p = s; *p; p++)
		if (*p <= ' ' || *p == '"' || *p == '\\' || *p == '=' ||
		    *p == 0x7f)
			break;
	if (*s && !*p) {
		fputs(s, stdout);
		return;
	}
	put_json_str(s);
}

static void print_text(const struct ft_ev *e)
{
	char ts[40];

	time_str(ts, sizeof(ts));
	fputs(ts, stdout);
	put_kv("instance", e->instance ? e->instance : "");
	printf(" event=%s", e->name);
	if (e->part)
		put_kv("partition", e->part);
	if (e->has_bytes)
		printf(" bytes=%llu", e->bytes);
	if (e->has_status)
		printf(" status=%d", e->status);
	if (e->has_duration)
		printf(" duration_ms=%u", e->duration_ms);
	if (e->msg)
		put_kv("message", e->msg);
	putchar('\n');
}

static void print_json(const struct ft_ev *e)
{
	char ts[40];

	time_str(ts, sizeof(ts));
	printf("{\"time\":\"%s\",\"instance\":", ts);
	put_json_str(e->instance ? e->instance : "");
	printf(",\"event\":\"%s\"", e->name);
	if (e->part) {
		fputs(",\"partition\":", stdout);
		put_json_str(e->part);
	}
	if (e->has_bytes)
		printf(",\"bytes\":%llu", e->bytes);
	if (e->has_status)
		printf(",\"status\":%d", e->status);
	if (e->has_duration)
		printf(",\"duration_ms\":%u", e->duration_ms);
	if (e->msg) {
		fputs(",\"message\":", stdout);
		put_json_str(e->msg);
	}
	puts("}");
}

static void run_hook(const struct ft_ev *e)
{
	char path[4096], env[7][512];
	char *argv[2], *envp[8];
	struct stat st;
	pid_t pid;
	int i, spare = -1;

	if (snprintf(path, sizeof(path), "%s/%s", ft.hooks, e->name) >=
	    (int)sizeof(path))
		return;
	if (stat(path, &st) || !S_ISREG(st.st_mode) || access(path, X_OK)) {
		ft_log(2, "no hook %s", path);
		return;
	}
	for (i = 0; i < FT_MAX_HOOKS && spare < 0; i++)
		if (!hooks[i])
			spare = i;
	if (spare < 0) {
		ft_log(0, "hook %s not run: %d hooks still running", path,
		       FT_MAX_HOOKS);
		return;
	}
	snprintf(env[0], sizeof(env[0]), "FASTBOOT_INSTANCE=%s",
		 e->instance ? e->instance : "");
	snprintf(env[1], sizeof(env[1]), "FASTBOOT_EVENT=%s", e->name);
	snprintf(env[2], sizeof(env[2]), "FASTBOOT_PARTITION=%s",
		 e->part ? e->part : "");
	snprintf(env[3], sizeof(env[3]), "FASTBOOT_BYTES=%llu", e->bytes);
	snprintf(env[4], sizeof(env[4]), "FASTBOOT_STATUS=%d",
		 e->status);
	snprintf(env[5], sizeof(env[5]), "FASTBOOT_DURATION_MS=%u",
		 e->duration_ms);
	snprintf(env[6], sizeof(env[6]), "FASTBOOT_MESSAGE=%s",
		 e->msg ? e->msg : "");
	for (i = 0; i < 7; i++)
		envp[i] = env[i];
	envp[7] = NULL;
	argv[0] = path;
	argv[1] = NULL;
	pid = ft_spawn(path, argv, envp, NULL, NULL);
	if (pid < 0) {
		ft_log(0, "cannot run hook %s: %s", path, strerror(errno));
		return;
	}
	hooks[spare] = pid;
	ft_log(1, "hook %s started (pid %d)", path, (int)pid);
}

int ft_event(struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *tb[FASTBOOT_A_MAX + 1];
	struct ft_ev e = { 0 };
	const char *name;
	u32 type;
	int ret;

	if (gh->cmd != FASTBOOT_CMD_EVENT)
		return 0;
	ret = genlmsg_parse(nlh, 0, tb, FASTBOOT_A_MAX, ev_policy);
	if (ret < 0 || !tb[FASTBOOT_A_EVENT]) {
		ft_log(0, "malformed event ignored: %s",
		       ret < 0 ? nl_geterror(ret) : "no event type");
		return 0;
	}
	type = nla_get_u32(tb[FASTBOOT_A_EVENT]);
	name = ft_event_name(type);
	if (name)
		snprintf(e.name, sizeof(e.name), "%s", name);
	else
		snprintf(e.name, sizeof(e.name), "event-%u", type);
	if (tb[FASTBOOT_A_INSTANCE])
		e.instance = nla_get_string(tb[FASTBOOT_A_INSTANCE]);
	if (ft.instance && (!e.instance || strcmp(e.instance, ft.instance)))
		return 0;
	if (tb[FASTBOOT_A_PARTITION])
		e.part = nla_get_string(tb[FASTBOOT_A_PARTITION]);
	if (tb[FASTBOOT_A_MESSAGE])
		e.msg = nla_get_string(tb[FASTBOOT_A_MESSAGE]);
	if (tb[FASTBOOT_A_BYTES]) {
		e.bytes = nla_get_u64(tb[FASTBOOT_A_BYTES]);
		e.has_bytes = true;
	}
	if (tb[FASTBOOT_A_STATUS]) {
		e.status = (s32)nla_get_u32(tb[FASTBOOT_A_STATUS]);
		e.has_status = true;
	}
	if (tb[FASTBOOT_A_DURATION_MS]) {
		e.duration_ms = nla_get_u32(tb[FASTBOOT_A_DURATION_MS]);
		e.has_duration = true;
	}

	if (ft.json)
		print_json(&e);
	else
		print_text(&e);
	if (ft.hooks)
		run_hook(&e);
	return 1;
}

bool ft_hook_reaped(pid_t pid, int status)
{
	int i;

	for (i = 0; i < FT_MAX_HOOKS; i++) {
		if (hooks[i] != pid)
			continue;
		hooks[i] = 0;
		if (WIFEXITED(status) && !WEXITSTATUS(status))
			ft_log(1, "hook (pid %d) done", (int)pid);
		else if (WIFEXITED(status))
			ft_log(0, "hook (pid %d) failed: exit %d", (int)pid,
			       WEXITSTATUS(status));
		else
			ft_log(0, "hook (pid %d) killed by signal %d",
			       (int)pid, WTERMSIG(status));
		return true;
	}
	return false;
}

int ft_hooks_running(void)
{
	int i, n = 0;

	for (i = 0; i < FT_MAX_HOOKS; i++)
		n += hooks[i] != 0;
	return n;
}

void ft_hooks_kill(int sig)
{
	int i;

	for (i = 0; i < FT_MAX_HOOKS; i++)
		if (hooks[i])
			kill(-hooks[i], sig);
}
