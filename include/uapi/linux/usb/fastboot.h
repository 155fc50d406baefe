/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * usb_f_fastboot: generic netlink family "fastboot"
 * =================================================
 *
 * The USB gadget function usb_f_fastboot (configfs function "fastboot")
 * reports what the fastboot hosts do to it, and lets a userspace program
 * answer "oem ..." commands, through this generic netlink family. The
 * machine-readable description is Documentation/netlink/specs/fastboot.yaml
 * (genetlink-c), the guide Documentation/usb-f-fastboot-netlink.rst; the
 * reference client is fastboot-target(8).
 *
 * The family is FASTBOOT_GENL_NAME ("fastboot"), version
 * FASTBOOT_GENL_VERSION. It exists in the initial network namespace only,
 * while usb_f_fastboot is loaded; resolving the family name (CTRL_CMD_
 * GETFAMILY) loads the module on demand. All attributes belong to one
 * set, enum fastboot_attr. Every command is validated strictly: unknown
 * attributes, wrong types, strings without their NUL or over their limit
 * fail with -EINVAL or -ERANGE and an extended ack message naming the
 * attribute. Strings are NUL-terminated (NLA_NUL_STRING).
 *
 * Events
 * ------
 * FASTBOOT_CMD_EVENT is multicast to the group FASTBOOT_GENL_MCGRP_EVENTS
 * ("events"); any process may join it. One message per event, sent from
 * process context once the host has been answered (for reboot*, continue
 * and boot: once the OKAY has reached the host, just before the function
 * leaves the bus). Events are never queued for slow listeners: when a
 * listener's receive buffer is full the event is lost for it (its socket
 * reports ENOBUFS); 256 KiB of receive buffer is plenty. Attributes:
 *
 *    FASTBOOT_A_EVENT:       NLA_U32, enum fastboot_event (always)
 *    FASTBOOT_A_INSTANCE:    NLA_NUL_STRING, the configfs instance name:
 *                            "fastboot.<name>" -> "<name>" (always)
 *    FASTBOOT_A_PARTITION:   NLA_NUL_STRING, the target as the host named
 *                            it ("rootfs", "0x400", "mbr"), the slot for
 *                            SET_ACTIVE (only when there is one)
 *    FASTBOOT_A_BYTES:       NLA_U64, bytes received (DOWNLOAD), sent
 *                            (UPLOAD), written (FLASH), erased (ERASE) or
 *                            hashed (SHA256);
 *                            0 otherwise (always; aligned with
 *                            FASTBOOT_A_PAD)
 *    FASTBOOT_A_STATUS:      NLA_S32, 0 or the negative errno of the
 *                            failure (always)
 *    FASTBOOT_A_DURATION_MS: NLA_U32, time from the command to its answer
 *                            (always)
 *    FASTBOOT_A_MESSAGE:     NLA_NUL_STRING, the FAIL text the host got,
 *                            or the command for OEM (only when there is
 *                            one)
 *
 * The events (enum fastboot_event) are: CONNECT (the host configured the
 * function), DISCONNECT (unplug, bus reset, unbind, leaving the bus),
 * DOWNLOAD, UPLOAD (upload and fetch), FLASH, ERASE (once per command
 * that got going, failed ones too, with STATUS and MESSAGE), BOOT,
 * CONTINUE, REBOOT, REBOOT_BOOTLOADER, REBOOT_RECOVERY, REBOOT_FASTBOOT
 * (the function leaves the bus after it: these are what hooks act on),
 * OEM (after the answer; MESSAGE is the command without "oem "), LOCK
 * and UNLOCK (the "locked" state changed through "flashing lock|unlock"),
 * SET_ACTIVE and ERROR (a command refused before it did anything: unknown
 * command, bad target, locked, nothing downloaded; MESSAGE is the FAIL
 * text, PARTITION the target if any; a getvar of an unknown variable is
 * no event) and SHA256 (an "oem sha256" that got going, failed ones too:
 * PARTITION, BYTES read back and hashed, STATUS, DURATION_MS, and as
 * MESSAGE the digest in 64 lower-case hex digits, or the FAIL text). New
 * event types may be added at the end: listeners ignore values they do
 * not know.
 *
 * oem handler
 * -----------
 * A host's "oem <text>" is answered by at most one registered userspace
 * handler. Every command a handler sends needs CAP_NET_ADMIN (-EPERM
 * otherwise) and is acked as usual (NLM_F_ACK); the kernel's messages to
 * the handler are unicast to the registering socket, with sequence
 * number 0.
 *
 *  FASTBOOT_CMD_OEM_REGISTER: become the handler
 *    FASTBOOT_A_INSTANCE:    NLA_NUL_STRING, 1 to 31 bytes: serve
 *                            this instance only (optional; without it:
 *                            every instance that has no handler of its
 *                            own)
 *    One handler per instance and one for all instances: a second
 *    registration of the same scope fails with -EBUSY (-ENOSPC beyond 32
 *    registrations). One socket may hold several registrations. The
 *    instance need not exist yet. A registration ends with
 *    FASTBOOT_CMD_OEM_UNREGISTER or when the socket is closed (the
 *    process exits or is killed).
 *
 *  FASTBOOT_CMD_OEM_UNREGISTER: give up one registration of this socket
 *    FASTBOOT_A_INSTANCE:    as for REGISTER, naming the scope to give up
 *    -ENOENT if this socket holds no such registration. Requests the
 *    socket was serving fail at once (-ECONNRESET for the function)
 *    unless it still holds another registration.
 *
 *  FASTBOOT_CMD_OEM_REQUEST (kernel -> handler): run a command
 *    FASTBOOT_A_OEM_ID:      NLA_U32, names the request in the answers
 *    FASTBOOT_A_INSTANCE:    NLA_NUL_STRING, the instance asked
 *    FASTBOOT_A_OEM_COMMAND: NLA_NUL_STRING, "<text>" (without "oem "),
 *                            as the host sent it
 *    FASTBOOT_A_TIMEOUT_MS:  NLA_U32, the instance's oem_timeout_ms: the
 *                            kernel gives up after that long (0: never)
 *    Sent to the handler of the instance, else to the one for all. With
 *    no handler the host gets FAIL "unknown oem command". Requests of
 *    different instances may run at the same time; one instance has at
 *    most one request at a time.
 *
 *  FASTBOOT_CMD_OEM_INFO: a line of progress for the host
 *    FASTBOOT_A_OEM_ID:      NLA_U32 (required)
 *    FASTBOOT_A_MESSAGE:     NLA_NUL_STRING, at most 255 bytes (required);
 *                            the host gets "INFO<text>" with the text cut
 *                            to 60 bytes and control characters replaced
 *                            by spaces
 *    Lines are sent to the host in order. Up to 30 lines wait per
 *    request; beyond that the command fails with -EAGAIN and the handler
 *    retries the same line a little later (send lines one at a time,
 *    each after the ack of the previous one, to keep them in order).
 *
 *  FASTBOOT_CMD_OEM_DONE: the answer
 *    FASTBOOT_A_OEM_ID:      NLA_U32 (required)
 *    FASTBOOT_A_STATUS:      NLA_S32, 0 = OKAY, anything else = FAIL
 *                            (required)
 *    FASTBOOT_A_MESSAGE:     NLA_NUL_STRING, at most 255 bytes: the OKAY
 *                            or FAIL text, cut to 60 bytes (optional)
 *    INFO lines sent before DONE reach the host before the answer.
 *
 *  FASTBOOT_CMD_OEM_CANCEL (kernel -> handler): stop working on a request
 *    FASTBOOT_A_OEM_ID:      NLA_U32
 *    FASTBOOT_A_STATUS:      NLA_S32, why: -ETIMEDOUT (the oem timeout
 *                            expired; the host got FAIL "oem handler timed
 *                            out"), -ESHUTDOWN (the host went away or the
 *                            function was unbound), or another error of
 *                            the function
 *
 * INFO and DONE naming a request that is not running, or that was sent to
 * another socket, fail with -ENOENT: the request was answered, cancelled
 * or timed out meanwhile. If the handler's socket is closed while it
 * serves a request, the host gets FAIL "oem handler went away" at once.
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
	FASTBOOT_A_TIMEOUT_MS,		/* u32: oem timeout, 0 = none */

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
	FASTBOOT_EVENT_SHA256,		/* oem sha256 done (MESSAGE: digest) */

	__FASTBOOT_EVENT_MAX,
	FASTBOOT_EVENT_MAX = __FASTBOOT_EVENT_MAX - 1
};

#endif /* _UAPI_LINUX_USB_FASTBOOT_H */
