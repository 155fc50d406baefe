/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * usb_f_fastboot: generic netlink family "fastboot".
 *
 * The family (name FASTBOOT_GENL_NAME, version FASTBOOT_GENL_VERSION) has
 * one multicast group, FASTBOOT_GENL_MCGRP_EVENTS ("events"), and a request
 * path by which a userspace program answers "oem ..." commands. The YAML
 * spec is Documentation/netlink/specs/fastboot.yaml.
 *
 * Events: every FASTBOOT_CMD_EVENT message carries FASTBOOT_A_EVENT
 * (enum fastboot_event), FASTBOOT_A_INSTANCE (the configfs instance name:
 * "fastboot.<name>" -> "<name>") and, where they apply, FASTBOOT_A_PARTITION,
 * FASTBOOT_A_BYTES, FASTBOOT_A_STATUS (0 or a negative errno),
 * FASTBOOT_A_DURATION_MS and FASTBOOT_A_MESSAGE (the FAIL text sent to the
 * host, or other detail). Events are sent after the host has been answered.
 *
 * oem handler protocol:
 *  1. A program sends FASTBOOT_CMD_OEM_REGISTER (needs CAP_NET_ADMIN),
 *     optionally with FASTBOOT_A_INSTANCE to serve one instance only. One
 *     handler per instance (and one for all): a second registration for
 *     the same scope fails with -EBUSY. The registration ends with
 *     FASTBOOT_CMD_OEM_UNREGISTER or when the socket is closed.
 *  2. For "oem <text>" from the host the kernel unicasts
 *     FASTBOOT_CMD_OEM_REQUEST with FASTBOOT_A_OEM_ID, FASTBOOT_A_INSTANCE
 *     and FASTBOOT_A_OEM_COMMAND ("<text>", without "oem ") to the handler
 *     of the instance, else to the one for all. Without a handler the host
 *     gets FAIL "unknown oem command".
 *  3. The handler answers with any number of FASTBOOT_CMD_OEM_INFO
 *     (FASTBOOT_A_OEM_ID, FASTBOOT_A_MESSAGE: one line, sent to the host as
 *     INFO, cut to 60 characters) and one FASTBOOT_CMD_OEM_DONE
 *     (FASTBOOT_A_OEM_ID, FASTBOOT_A_STATUS: 0 = OKAY, else FAIL;
 *     FASTBOOT_A_MESSAGE: the OKAY/FAIL text). A request not done within
 *     the function's oem timeout is answered FAIL "oem handler timed out";
 *     answers to unknown or finished requests fail with -ENOENT.
 */
#ifndef _UAPI_LINUX_USB_FASTBOOT_H
#define _UAPI_LINUX_USB_FASTBOOT_H

#define FASTBOOT_GENL_NAME		"fastboot"
#define FASTBOOT_GENL_VERSION		1
#define FASTBOOT_GENL_MCGRP_EVENTS	"events"

enum fastboot_cmd {
	FASTBOOT_CMD_UNSPEC,
	FASTBOOT_CMD_EVENT,		/* kernel -> "events" group */
	FASTBOOT_CMD_OEM_REGISTER,	/* handler -> kernel */
	FASTBOOT_CMD_OEM_UNREGISTER,	/* handler -> kernel */
	FASTBOOT_CMD_OEM_REQUEST,	/* kernel -> handler (unicast) */
	FASTBOOT_CMD_OEM_INFO,		/* handler -> kernel */
	FASTBOOT_CMD_OEM_DONE,		/* handler -> kernel */
	FASTBOOT_CMD_OEM_CANCEL,	/* kernel -> handler (unicast) */

	__FASTBOOT_CMD_MAX,
	FASTBOOT_CMD_MAX = __FASTBOOT_CMD_MAX - 1
};

enum fastboot_attr {
	FASTBOOT_A_UNSPEC,
	FASTBOOT_A_PAD,
	FASTBOOT_A_EVENT,		/* u32: enum fastboot_event */
	FASTBOOT_A_INSTANCE,		/* string: configfs instance name */
	FASTBOOT_A_PARTITION,		/* string: target as the host named it */
	FASTBOOT_A_BYTES,		/* u64: bytes moved or written */
	FASTBOOT_A_STATUS,		/* s32: 0 or a negative errno */
	FASTBOOT_A_DURATION_MS,		/* u32 */
	FASTBOOT_A_MESSAGE,		/* string: FAIL text, INFO line, detail */
	FASTBOOT_A_OEM_ID,		/* u32: request id */
	FASTBOOT_A_OEM_COMMAND,		/* string: text after "oem " */
	FASTBOOT_A_TIMEOUT_MS,		/* u32: time the handler has, 0 = no limit */

	__FASTBOOT_A_MAX,
	FASTBOOT_A_MAX = __FASTBOOT_A_MAX - 1
};

enum fastboot_event {
	FASTBOOT_EVENT_UNSPEC,
	FASTBOOT_EVENT_CONNECT,		/* host configured the function */
	FASTBOOT_EVENT_DISCONNECT,	/* function disabled (unplug, reset) */
	FASTBOOT_EVENT_DOWNLOAD,	/* download finished or failed */
	FASTBOOT_EVENT_UPLOAD,		/* upload or fetch data sent */
	FASTBOOT_EVENT_FLASH,
	FASTBOOT_EVENT_ERASE,
	FASTBOOT_EVENT_BOOT,
	FASTBOOT_EVENT_CONTINUE,
	FASTBOOT_EVENT_REBOOT,
	FASTBOOT_EVENT_REBOOT_BOOTLOADER,
	FASTBOOT_EVENT_REBOOT_RECOVERY,
	FASTBOOT_EVENT_REBOOT_FASTBOOT,
	FASTBOOT_EVENT_OEM,		/* oem command done (MESSAGE: command) */
	FASTBOOT_EVENT_LOCK,		/* "locked" changed to 1 */
	FASTBOOT_EVENT_UNLOCK,		/* "locked" changed to 0 */
	FASTBOOT_EVENT_SET_ACTIVE,	/* PARTITION: the slot */
	FASTBOOT_EVENT_ERROR,		/* command refused (MESSAGE: the FAIL) */

	__FASTBOOT_EVENT_MAX,
	FASTBOOT_EVENT_MAX = __FASTBOOT_EVENT_MAX - 1
};

#endif /* _UAPI_LINUX_USB_FASTBOOT_H */
