/* SPDX-License-Identifier: GPL-2.0 */
/*
 * usb_f_fastboot: the generic netlink family "fastboot" as the function
 * sees it. The wire format is <linux/usb/fastboot.h>; this is the
 * in-kernel side: events to the "events" group and oem commands handed
 * to a registered userspace handler.
 */
#ifndef _F_FASTBOOT_NL_H
#define _F_FASTBOOT_NL_H

#include <linux/types.h>
#include <linux/usb/fastboot.h>

/**
 * struct fastboot_nl_event - one event
 * @instance:    configfs instance name ("fastboot.<name>" -> "<name>")
 * @part:        partition or target as named by the host, NULL if none
 * @msg:         FAIL text or detail, NULL if none
 * @bytes:       bytes moved or written, 0 if not applicable
 * @duration_ms: time the command took
 * @status:      0 or a negative errno
 * @type:        enum fastboot_event
 */
struct fastboot_nl_event {
	const char *instance;
	const char *part;
	const char *msg;
	u64 bytes;
	u32 duration_ms;
	s32 status;
	u8 type;
};

/* Module init/exit: register/unregister the family. */
int fastboot_nl_init(void);
void fastboot_nl_exit(void);

/*
 * Send @ev to the "events" group (nothing if nobody listens). Process
 * context; never fails visibly (an allocation failure drops the event).
 */
void fastboot_nl_notify(const struct fastboot_nl_event *ev);

/*
 * Called by fastboot_nl_oem() in the caller's context: @line is an INFO
 * line from the handler (NUL-terminated, may be longer than a response:
 * the callee cuts it), or NULL after a second without news (time for a
 * keep-alive INFO). A non-zero return abandons the request.
 */
typedef int (*fastboot_nl_info_t)(void *ctx, const char *line);

/**
 * fastboot_nl_oem() - have the userspace handler run "oem <cmd>"
 * @instance:   configfs instance name
 * @cmd:        the text after "oem ", @len bytes, not NUL-terminated
 * @timeout_ms: give up after this long without FASTBOOT_CMD_OEM_DONE
 *              (0: wait until the handler answers, goes away or the call
 *              is cancelled)
 * @info:       see fastboot_nl_info_t
 * @reply:      OKAY or FAIL text of the handler, NUL-terminated
 *
 * Sleeps (process context only). Returns 0 (OKAY), -ENOENT (no handler
 * registered), -EREMOTEIO (the handler answered FAIL, text in @reply),
 * -ETIMEDOUT, -ECONNRESET (the handler went away), -ESHUTDOWN (cancelled
 * by fastboot_nl_oem_cancel()), the callback's error, -EBUSY (32
 * requests of other instances in flight) or -ENOMEM.
 */
int fastboot_nl_oem(const char *instance, const char *cmd, size_t len,
		    unsigned int timeout_ms, fastboot_nl_info_t info,
		    void *ctx, char *reply, size_t reply_len);

/*
 * Make a fastboot_nl_oem() of @instance that is waiting return
 * -ESHUTDOWN at once (disconnect, unbind). Any context.
 */
void fastboot_nl_oem_cancel(const char *instance);

#endif /* _F_FASTBOOT_NL_H */
