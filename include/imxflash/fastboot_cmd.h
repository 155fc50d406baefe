/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Android fastboot: command packet parser and response formatting.
 * Pure C (see pure.h), shared by usb_f_fastboot, fastboot-lite, the unit
 * tests and the fuzzers.
 *
 * Wire facts (Documentation/fastboot-protocol.rst, "Framing", "Command
 * set" and "What stock clients send"):
 *  - a command is one bulk OUT transfer of ASCII text, not NUL-terminated,
 *    "name" or "name:argument"; "oem <words>" and "flashing <sub>" use a
 *    space (uuu sends "flashing:<sub>" and "oem <words>");
 *  - the name is the text before the first ':', an empty argument after a
 *    trailing ':' means "no argument" (uuu sends "reboot:", "continue:");
 *  - fastboot 29.0.6 sends at most 64 bytes, newer clients up to 4096,
 *    uuu has no limit: FASTBOOT_CMD_ID_MAX bytes are accepted;
 *  - a response is a 4-byte tag (OKAY, FAIL, INFO, DATA) and an optional
 *    payload, at most FASTBOOT_RESP_MAX bytes in all (uuu reads 64 bytes).
 */
#ifndef _IMXFLASH_FASTBOOT_CMD_H
#define _IMXFLASH_FASTBOOT_CMD_H

#include "pure.h"

#ifdef __KERNEL__
#include <linux/stdarg.h>
#else
#include <stdarg.h>
/* As the kernel's __printf() from <linux/compiler_attributes.h> */
#ifndef __printf
#define FASTBOOT_PRINTF_ATTR	format
#define __printf(a, b)	__attribute__((FASTBOOT_PRINTF_ATTR(printf, a, b)))
#endif
#endif

#define FASTBOOT_CMD_ID_MAX		4096	/* longest command packet accepted */
#define FASTBOOT_RESP_MAX		64	/* longest response packet, tag included */
#define FASTBOOT_RESP_TAG_LEN		4
#define FASTBOOT_RESP_PAYLOAD_MAX	(FASTBOOT_RESP_MAX - FASTBOOT_RESP_TAG_LEN)
#define FASTBOOT_RESP_BUF_LEN		(FASTBOOT_RESP_MAX + 1)	/* with the final NUL */
#define FASTBOOT_DOWNLOAD_DIGITS	8	/* download:%08x */
/*
 * Longest partition or variable name. fastboot 29.0.6 limits the whole
 * command to 64 bytes, so it can send at most 58 characters after
 * "flash:" and 42 after "getvar:partition-type:".
 */
#define FASTBOOT_NAME_MAX		64

/* Commands, as recognised by fastboot_cmd_parse(). */
enum fastboot_cmd_id {
	FASTBOOT_CMD_ID_NONE,			/* parse failed */
	FASTBOOT_CMD_ID_GETVAR,			/* getvar:<var>[:<param>] */
	FASTBOOT_CMD_ID_DOWNLOAD,		/* download:%08x */
	FASTBOOT_CMD_ID_UPLOAD,			/* upload */
	FASTBOOT_CMD_ID_FETCH,			/* fetch:<part>[:0x<off>[:0x<size>]] */
	FASTBOOT_CMD_ID_FLASH,			/* flash:<part> */
	FASTBOOT_CMD_ID_ERASE,			/* erase:<part> */
	FASTBOOT_CMD_ID_BOOT,			/* boot */
	FASTBOOT_CMD_ID_CONTINUE,		/* continue, continue: */
	FASTBOOT_CMD_ID_REBOOT,			/* reboot, reboot: */
	FASTBOOT_CMD_ID_REBOOT_BOOTLOADER,	/* reboot-bootloader, reboot:bootloader */
	FASTBOOT_CMD_ID_REBOOT_RECOVERY,		/* reboot-recovery, reboot:recovery */
	FASTBOOT_CMD_ID_REBOOT_FASTBOOT,		/* reboot-fastboot, reboot:fastboot */
	FASTBOOT_CMD_ID_SET_ACTIVE,		/* set_active:<slot> */
	FASTBOOT_CMD_ID_OEM,			/* oem <words>, oem:<words> */
	FASTBOOT_CMD_ID_FLASHING_LOCK,		/* flashing lock, flashing:lock */
	FASTBOOT_CMD_ID_FLASHING_UNLOCK,
	FASTBOOT_CMD_ID_FLASHING_LOCK_CRITICAL,
	FASTBOOT_CMD_ID_FLASHING_UNLOCK_CRITICAL,
	FASTBOOT_CMD_ID_FLASHING_GET_UNLOCK_ABILITY,
	FASTBOOT_CMD_ID_UCMD,			/* UCmd:<text> (U-Boot, uuu) */
	FASTBOOT_CMD_ID_ACMD,			/* ACmd:<text> (U-Boot, uuu) */
	FASTBOOT_CMD_ID_NR
};

/*
 * Variables of getvar (fastboot-protocol.rst, "Variables"; U-Boot's
 * "downloadsize" alias included). Anything else is FASTBOOT_VAR_OTHER: the
 * device answers FAIL.
 */
enum fastboot_var_id {
	FASTBOOT_VAR_OTHER,
	FASTBOOT_VAR_ALL,
	FASTBOOT_VAR_VERSION,
	FASTBOOT_VAR_VERSION_BOOTLOADER,
	FASTBOOT_VAR_VERSION_BASEBAND,
	FASTBOOT_VAR_PRODUCT,
	FASTBOOT_VAR_SERIALNO,
	FASTBOOT_VAR_SECURE,
	FASTBOOT_VAR_UNLOCKED,
	FASTBOOT_VAR_MAX_DOWNLOAD_SIZE,	/* also "downloadsize" */
	FASTBOOT_VAR_MAX_FETCH_SIZE,
	FASTBOOT_VAR_PARTITION_SIZE,		/* :<part> */
	FASTBOOT_VAR_PARTITION_TYPE,		/* :<part> */
	FASTBOOT_VAR_HAS_SLOT,		/* :<part> */
	FASTBOOT_VAR_IS_LOGICAL,		/* :<part> */
	FASTBOOT_VAR_CURRENT_SLOT,
	FASTBOOT_VAR_SLOT_COUNT,
	FASTBOOT_VAR_SLOT_SUCCESSFUL,		/* :<slot> */
	FASTBOOT_VAR_SLOT_UNBOOTABLE,		/* :<slot> */
	FASTBOOT_VAR_SLOT_RETRY_COUNT,	/* :<slot> */
	FASTBOOT_VAR_IS_USERSPACE,
	FASTBOOT_VAR_SUPER_PARTITION_NAME,
	FASTBOOT_VAR_SNAPSHOT_UPDATE_STATUS,
	FASTBOOT_VAR_ERASE_BLOCK_SIZE,
	FASTBOOT_VAR_LOGICAL_BLOCK_SIZE,
	FASTBOOT_VAR_OEM_SHA256,		/* usb_f_fastboot: "oem sha256" */
	FASTBOOT_VAR_NR
};

/* struct fastboot_command.flags */
#define FASTBOOT_CMD_F_RAW		0x01	/* @target is a raw offset (@offset) */
#define FASTBOOT_CMD_F_OFFSET		0x02	/* fetch: offset given */
#define FASTBOOT_CMD_F_SIZE		0x04	/* fetch: size given */

/* A piece of the command packet: @len bytes at @off, not NUL-terminated. */
struct fastboot_span {
	u16 off;
	u16 len;
};

/**
 * struct fastboot_command - a parsed command; every span points into the packet
 * @id:     FASTBOOT_CMD_ID_*
 * @var:    getvar: FASTBOOT_VAR_*
 * @flags:  FASTBOOT_CMD_F_*
 * @rsvd:   0
 * @size:   download: byte count (1 .. 0xffffffff)
 * @name:   the command word ("getvar", "oem", ...), also set for an
 *          unknown command
 * @arg:    everything after the separator (may be empty)
 * @word:   getvar: variable name; oem: first word (up to ' ' or ':');
 *          flashing: sub-command
 * @target: flash, erase, fetch, getvar of a partition variable: partition
 *          name (or raw offset, FASTBOOT_CMD_F_RAW); set_active and slot
 *          variables: the slot letter; getvar of FASTBOOT_VAR_OTHER: parameter
 * @offset: byte offset: the raw target offset (FASTBOOT_CMD_F_RAW) plus, for
 *          fetch, the offset given (FASTBOOT_CMD_F_OFFSET); 0 otherwise
 * @length: fetch size (FASTBOOT_CMD_F_SIZE), else 0: up to the end
 *
 * Spans that do not apply have length 0.
 */
struct fastboot_command {
	u8 id;
	u8 var;
	u8 flags;
	u8 rsvd;
	u32 size;
	struct fastboot_span name;
	struct fastboot_span arg;
	struct fastboot_span word;
	struct fastboot_span target;
	u64 offset;
	u64 length;
};

/*
 * Parse the command packet @buf of @len bytes (not NUL-terminated; a NUL
 * ends the command, as in U-Boot). Returns 0 or:
 *  -ENODATA    empty command (a zero-length packet should be ignored)
 *  -EMSGSIZE   longer than FASTBOOT_CMD_ID_MAX
 *  -EOPNOTSUPP unknown command (@cmd->name is set), unknown flashing
 *              sub-command
 *  -EINVAL     control or non-ASCII character, missing or malformed
 *              argument
 *  -ERANGE     a number that does not fit (raw offset, fetch range)
 * *@why (if not NULL) is a static text naming the field, NULL on success;
 * it fits the device's "FAIL<why>". On error @cmd is all zero but for
 * @name (the command word as received, possibly empty), so that the
 * caller can report which command failed.
 */
int fastboot_cmd_parse(struct fastboot_command *cmd, const char *buf, size_t len,
		       const char **why);

/*
 * Check a partition name: 1..FASTBOOT_NAME_MAX characters, printable ASCII
 * except ' ', '/', '\\' and ':', not "." or "..". A name that starts with
 * "0x" is a raw byte offset on the storage: "0x" and 1..16 hex digits
 * (leading zeros allowed, value < 2^64). Returns 0 (name), 1 (raw offset,
 * stored in *@raw if not NULL), -EINVAL or -ERANGE with *@why.
 */
int fastboot_part_parse(const char *s, size_t len, u64 *raw, const char **why);

/* Canonical text of a command ("reboot-bootloader", "flashing unlock"). */
const char *fastboot_cmd_name(unsigned int id);

/* Canonical variable name ("max-download-size"), NULL for FASTBOOT_VAR_OTHER. */
const char *fastboot_var_name(unsigned int var);

static inline const char *fastboot_span_ptr(const char *buf, struct fastboot_span s)
{
	return buf + s.off;
}

/* True if the span holds exactly the NUL-terminated @str. */
static inline bool fastboot_span_eq(const char *buf, struct fastboot_span s,
				    const char *str)
{
	size_t n = strlen(str);

	return s.len == n && !memcmp(buf + s.off, str, n);
}

/*
 * Format a response into @buf (FASTBOOT_RESP_BUF_LEN bytes): @tag ("OKAY",
 * "FAIL", "INFO" or "DATA"; anything else is -EINVAL and @buf is "")
 * followed by the formatted payload (@fmt may be NULL: no payload). The
 * payload is cut at FASTBOOT_RESP_PAYLOAD_MAX characters and every byte outside
 * printable ASCII is replaced by '?' (a NUL, newline or UTF-8 byte would
 * confuse fastboot 29.0.6). @buf is NUL-terminated; returns the packet
 * length (4..FASTBOOT_RESP_MAX) to send, NUL excluded. A full-speed device that
 * wants to avoid a ZLP after a 64-byte packet sends at most 63 bytes.
 */
__printf(3, 4)
int fastboot_resp(char *buf, const char *tag, const char *fmt, ...);
__printf(3, 0)
int fastboot_vresp(char *buf, const char *tag, const char *fmt, va_list ap);

/* "DATA%08x" into @buf (FASTBOOT_RESP_BUF_LEN bytes); returns 12. */
int fastboot_resp_data(char *buf, u32 size);

#endif /* _IMXFLASH_FASTBOOT_CMD_H */
