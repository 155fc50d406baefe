/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * i.MX Serial Download Protocol: command block codec, report layout,
 * status words and HAB event decoding. Pure C, shared by usb_f_sdp,
 * hid-imx-sdp, the userspace tools, the unit tests and the fuzzers.
 *
 * Wire facts (see Documentation/imx-sdp.rst):
 *  - report 1 (host->device, SET_REPORT): 16-byte command block;
 *  - report 2 (host->device, SET_REPORT): up to 1024 data bytes;
 *  - report 3 (device->host, interrupt IN): 4-byte HAB state;
 *  - report 4 (device->host, interrupt IN): up to 64 status/data bytes.
 * Every report starts with its ID byte on the wire.
 */
#ifndef _IMXFLASH_SDP_PROTO_H
#define _IMXFLASH_SDP_PROTO_H

#include "pure.h"

#define SDP_REPORT_CMD		1
#define SDP_REPORT_DATA		2
#define SDP_REPORT_HAB		3
#define SDP_REPORT_STATUS	4

#define SDP_CMD_LEN		16	/* payload of report 1 */
#define SDP_DATA_MAX		1024	/* payload of report 2 */
#define SDP_HAB_LEN		4	/* payload of report 3 */
#define SDP_STATUS_MAX		64	/* payload of report 4 */
#define SDP_REPORT_DESC_LEN	76
#define SDP_DCD_MAX		1768	/* largest DCD_WRITE count (RM 8.7.2) */

/* Command codes: both bytes equal, so byte order does not matter. */
#define SDP_READ_REGISTER	0x0101
#define SDP_WRITE_REGISTER	0x0202
#define SDP_WRITE_FILE		0x0404
#define SDP_ERROR_STATUS	0x0505
#define SDP_WRITE_CSF		0x0606
#define SDP_DCD_WRITE		0x0a0a
#define SDP_JUMP_ADDRESS	0x0b0b
#define SDP_SKIP_DCD_HEADER	0x0c0c

/* Access widths (FORMAT byte). */
#define SDP_FORMAT_8		0x08
#define SDP_FORMAT_16		0x10
#define SDP_FORMAT_32		0x20

/* File type byte (offset 15), only meaningful to the i.MX5x bulk ROMs. */
#define SDP_FILE_TYPE_APP	0xaa
#define SDP_FILE_TYPE_CSF	0xcc
#define SDP_FILE_TYPE_DCD	0xee

/*
 * Status words as u32 whose little-endian encoding is the wire order
 * (report 3/4 bytes 1..4). All but SDP_ACK_SKIP_DCD are byte palindromes.
 */
#define SDP_HAB_OPEN		0x56787856u
#define SDP_HAB_CLOSED		0x12343412u
#define SDP_ACK_WRITE		0x128a8a12u	/* WRITE_REGISTER, DCD_WRITE, CSF */
#define SDP_ACK_FILE		0x88888888u	/* WRITE_FILE */
#define SDP_ACK_SKIP_DCD	0x900dd009u	/* wire: 09 d0 0d 90 */
#define SDP_STATUS_OK		0xf0f0f0f0u	/* ERROR_STATUS: no error */

/* HAB event: wire bytes status, reason, context, engine (LE u32 here). */
#define SDP_HAB_EVENT(sts, rsn, ctx, eng) \
	((u32)(sts) | (u32)(rsn) << 8 | (u32)(ctx) << 16 | (u32)(eng) << 24)
#define SDP_HAB_EVT_STATUS(e)	((u8)(e))
#define SDP_HAB_EVT_REASON(e)	((u8)((e) >> 8))
#define SDP_HAB_EVT_CONTEXT(e)	((u8)((e) >> 16))
#define SDP_HAB_EVT_ENGINE(e)	((u8)((e) >> 24))

/* HAB v4 status codes */
#define HAB_STS_FAILURE		0x33
#define HAB_STS_WARNING		0x69
#define HAB_STS_SUCCESS		0xf0
/* HAB v4 reason codes (subset that an SDP ROM reports) */
#define HAB_RSN_ANY		0x00
#define HAB_RSN_UNS_COMMAND	0x03
#define HAB_RSN_INV_IVT		0x05
#define HAB_RSN_INV_COMMAND	0x06
#define HAB_RSN_UNS_STATE	0x09
#define HAB_RSN_UNS_ENGINE	0x0a
#define HAB_RSN_INV_ASSERTION	0x0c
#define HAB_RSN_INV_INDEX	0x0f
#define HAB_RSN_INV_CSF		0x11
#define HAB_RSN_UNS_ALGORITHM	0x12
#define HAB_RSN_UNS_PROTOCOL	0x14
#define HAB_RSN_INV_SIZE	0x17
#define HAB_RSN_INV_SIGNATURE	0x18
#define HAB_RSN_UNS_KEY		0x1b
#define HAB_RSN_INV_KEY		0x1d
#define HAB_RSN_INV_RETURN	0x1e
#define HAB_RSN_INV_CERTIFICATE	0x21
#define HAB_RSN_INV_ADDRESS	0x22
#define HAB_RSN_UNS_ITEM	0x24
#define HAB_RSN_INV_DCD		0x27
#define HAB_RSN_INV_CALL	0x28
#define HAB_RSN_OVR_COUNT	0x2b
#define HAB_RSN_OVR_STORAGE	0x2d
#define HAB_RSN_MEM_FAIL	0x2e
#define HAB_RSN_ENG_FAIL	0x30
/* HAB v4 contexts */
#define HAB_CTX_ANY		0x00
#define HAB_CTX_AUTHENTICATE	0x0a
#define HAB_CTX_TARGET		0x33
#define HAB_CTX_ASSERT		0xa0
#define HAB_CTX_COMMAND		0xc0
#define HAB_CTX_CSF		0xcf
#define HAB_CTX_AUT_DAT		0xdb
#define HAB_CTX_DCD		0xdd
#define HAB_CTX_ENTRY		0xe1
#define HAB_CTX_EXIT		0xee
#define HAB_CTX_FAB		0xff
/* HAB v4 engines */
#define HAB_ENG_ANY		0x00
#define HAB_ENG_SCC		0x03
#define HAB_ENG_RTIC		0x05
#define HAB_ENG_SAHARA		0x06
#define HAB_ENG_CSU		0x0a
#define HAB_ENG_SRTC		0x0c
#define HAB_ENG_DCP		0x1b
#define HAB_ENG_CAAM		0x1d
#define HAB_ENG_SNVS		0x1e
#define HAB_ENG_OCOTP		0x21
#define HAB_ENG_DTCP		0x22
#define HAB_ENG_HDCP		0x24
#define HAB_ENG_ROM		0x36
#define HAB_ENG_RTL		0x77
#define HAB_ENG_SW		0xff

/**
 * struct sdp_cmd - decoded SDP command block (host CPU order)
 * @type:      SDP_* command code
 * @format:    access width for register commands (SDP_FORMAT_*), else 0
 * @file_type: byte 15 (SDP_FILE_TYPE_* or 0)
 * @addr:      ADDRESS field
 * @count:     DATA_COUNT field (bytes)
 * @data:      DATA field (WRITE_REGISTER value)
 */
struct sdp_cmd {
	u16 type;
	u8 format;
	u8 file_type;
	u32 addr;
	u32 count;
	u32 data;
};

/* Encode @cmd into the 16-byte command block @buf. */
void sdp_cmd_encode(const struct sdp_cmd *cmd, u8 buf[SDP_CMD_LEN]);

/*
 * Decode a command block of @len bytes (payload of report 1, without the
 * ID byte; at least SDP_CMD_LEN, trailing padding ignored).
 * Returns 0, -EMSGSIZE if @len is short, -EPROTO if the two command
 * bytes differ, -EOPNOTSUPP for an unknown code. On error *@why (if not
 * NULL) names the offending field. Unless @len is short, @cmd is filled
 * even on error so that the caller can log what it got.
 */
int sdp_cmd_decode(struct sdp_cmd *cmd, const u8 *buf, size_t len,
		   const char **why);

/*
 * Check the per-command field rules (format byte for register commands,
 * counts for register/data commands). Returns 0 or -EINVAL with *@why.
 *  READ_REGISTER:  format 8/16/32; count > 0 bytes, any value
 *  WRITE_REGISTER: format 8/16/32; count == width, or 0 (clients differ:
 *                  0 is taken as one access of the format's width)
 *  DCD_WRITE:      count 1..SDP_DCD_MAX
 *  WRITE_FILE, WRITE_CSF: count > 0
 *  ERROR_STATUS, JUMP_ADDRESS, SKIP_DCD_HEADER: unused fields ignored
 */
int sdp_cmd_validate(const struct sdp_cmd *cmd, const char **why);

/* "READ_REGISTER", ... or NULL for an unknown code. */
const char *sdp_cmd_name(u16 type);

/* Width in bytes for a format byte (1, 2, 4), 0 if invalid. */
unsigned int sdp_format_width(u8 format);

/* Number of report-2 data reports a command is followed by (0 if none). */
u32 sdp_cmd_data_reports(const struct sdp_cmd *cmd);

/*
 * Human text for a HAB status/reason/context/engine byte ("failure", ...);
 * "unknown" (never NULL) for a code not in the table.
 */
const char *sdp_hab_status_name(u8 status);
const char *sdp_hab_reason_name(u8 reason);
const char *sdp_hab_context_name(u8 context);
const char *sdp_hab_engine_name(u8 engine);

/*
 * Format a status word as "0x88888888 (WRITE_FILE complete)" or, for a HAB
 * event, "HAB event 33 22 0a 00: failure, invalid address, authenticate"
 * (", engine CAAM" is appended when the engine byte is not 0; unnamed
 * codes print as "reason 0x99"). Words that are neither print as
 * "0x12345678 (unknown status)". Returns the length of the full text
 * (snprintf semantics: it may exceed @size - 1 when truncated).
 */
int sdp_status_format(char *buf, size_t size, u32 status);

/* The 76-byte HID report descriptor the i.MX ROMs expose. */
extern const u8 sdp_report_desc[SDP_REPORT_DESC_LEN];

#endif /* _IMXFLASH_SDP_PROTO_H */
