// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * i.MX Serial Download Protocol: command block codec, validation, status
 * words, HAB event names and the ROM's HID report descriptor.
 *
 * Pure C: linked into usb_f_sdp, hid-imx-sdp, the userspace tools, the
 * unit tests and the fuzzers. Only pure.h facilities plus snprintf().
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#else
#include <stdio.h>
#endif

#include <imxflash/sdp_proto.h>

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Byte offsets inside the 16-byte command block. The fields are not
 * naturally aligned (ADDRESS at 2, COUNT at 7, DATA at 11), so they are
 * always accessed bytewise.
 */
#define SDP_OFF_TYPE		0
#define SDP_OFF_ADDR		2
#define SDP_OFF_FORMAT		6
#define SDP_OFF_COUNT		7
#define SDP_OFF_DATA		11
#define SDP_OFF_FILE_TYPE	15

void sdp_cmd_encode(const struct sdp_cmd *cmd, u8 buf[SDP_CMD_LEN])
{
	/* Both type bytes are equal for every valid code; keep them verbatim. */
	buf[SDP_OFF_TYPE] = (u8)(cmd->type >> 8);
	buf[SDP_OFF_TYPE + 1] = (u8)cmd->type;
	imxf_put_be32(buf + SDP_OFF_ADDR, cmd->addr);
	buf[SDP_OFF_FORMAT] = cmd->format;
	imxf_put_be32(buf + SDP_OFF_COUNT, cmd->count);
	imxf_put_be32(buf + SDP_OFF_DATA, cmd->data);
	buf[SDP_OFF_FILE_TYPE] = cmd->file_type;
}

static bool sdp_cmd_known(u16 type)
{
	return sdp_cmd_name(type);
}

int sdp_cmd_decode(struct sdp_cmd *cmd, const u8 *buf, size_t len,
		   const char **why)
{
	const char *dummy;

	if (!why)
		why = &dummy;
	*why = NULL;

	if (len < SDP_CMD_LEN) {
		*why = "command block length";
		return -EMSGSIZE;
	}

	/*
	 * Fill @cmd even when the code is rejected below, so that a caller
	 * can log what it received.
	 */
	cmd->type = imxf_get_be16(buf + SDP_OFF_TYPE);
	cmd->addr = imxf_get_be32(buf + SDP_OFF_ADDR);
	cmd->format = buf[SDP_OFF_FORMAT];
	cmd->count = imxf_get_be32(buf + SDP_OFF_COUNT);
	cmd->data = imxf_get_be32(buf + SDP_OFF_DATA);
	cmd->file_type = buf[SDP_OFF_FILE_TYPE];

	if (buf[SDP_OFF_TYPE] != buf[SDP_OFF_TYPE + 1]) {
		*why = "command type bytes differ";
		return -EPROTO;
	}
	if (!sdp_cmd_known(cmd->type)) {
		*why = "command type";
		return -EOPNOTSUPP;
	}
	return 0;
}

unsigned int sdp_format_width(u8 format)
{
	switch (format) {
	case SDP_FORMAT_8:
		return 1;
	case SDP_FORMAT_16:
		return 2;
	case SDP_FORMAT_32:
		return 4;
	default:
		return 0;
	}
}

int sdp_cmd_validate(const struct sdp_cmd *cmd, const char **why)
{
	const char *dummy;
	unsigned int width;

	if (!why)
		why = &dummy;
	*why = NULL;

	switch (cmd->type) {
	case SDP_READ_REGISTER:
		width = sdp_format_width(cmd->format);
		if (!width) {
			*why = "READ_REGISTER format";
			return -EINVAL;
		}
		/*
		 * COUNT is in bytes whatever the width, and need not be a
		 * multiple of it: imx_usb -v, which verifies on real boards,
		 * reads an image's last bytes with format 0x20 and counts such
		 * as 59. The data comes back in 64-byte reports 4.
		 */
		if (!cmd->count) {
			*why = "READ_REGISTER count";
			return -EINVAL;
		}
		return 0;
	case SDP_WRITE_REGISTER:
		width = sdp_format_width(cmd->format);
		if (!width) {
			*why = "WRITE_REGISTER format";
			return -EINVAL;
		}
		/*
		 * IUL and SPSDK send count = width, but some clients leave the
		 * count at 0: both mean "one access of the format's width".
		 */
		if (cmd->count && cmd->count != width) {
			*why = "WRITE_REGISTER count";
			return -EINVAL;
		}
		return 0;
	case SDP_DCD_WRITE:
		/* The DCD is run whole; 1768 bytes is the RM's limit. */
		if (!cmd->count || cmd->count > SDP_DCD_MAX) {
			*why = "DCD_WRITE count";
			return -EINVAL;
		}
		return 0;
	case SDP_WRITE_FILE:
		if (!cmd->count) {
			*why = "WRITE_FILE count";
			return -EINVAL;
		}
		return 0;
	case SDP_WRITE_CSF:
		if (!cmd->count) {
			*why = "WRITE_CSF count";
			return -EINVAL;
		}
		return 0;
	case SDP_ERROR_STATUS:
	case SDP_JUMP_ADDRESS:
	case SDP_SKIP_DCD_HEADER:
		/* Clients fill the unused fields inconsistently: ignore them. */
		return 0;
	default:
		*why = "command type";
		return -EINVAL;
	}
}

const char *sdp_cmd_name(u16 type)
{
	switch (type) {
	case SDP_READ_REGISTER:
		return "READ_REGISTER";
	case SDP_WRITE_REGISTER:
		return "WRITE_REGISTER";
	case SDP_WRITE_FILE:
		return "WRITE_FILE";
	case SDP_ERROR_STATUS:
		return "ERROR_STATUS";
	case SDP_WRITE_CSF:
		return "WRITE_CSF";
	case SDP_DCD_WRITE:
		return "DCD_WRITE";
	case SDP_JUMP_ADDRESS:
		return "JUMP_ADDRESS";
	case SDP_SKIP_DCD_HEADER:
		return "SKIP_DCD_HEADER";
	default:
		return NULL;
	}
}

u32 sdp_cmd_data_reports(const struct sdp_cmd *cmd)
{
	switch (cmd->type) {
	case SDP_WRITE_FILE:
	case SDP_DCD_WRITE:
	case SDP_WRITE_CSF:
		/* Written so that count close to 2^32 cannot overflow. */
		return cmd->count / SDP_DATA_MAX + !!(cmd->count % SDP_DATA_MAX);
	default:
		return 0;
	}
}

struct sdp_code_name {
	u8 code;
	const char *name;
};

static const struct sdp_code_name sdp_hab_status_names[] = {
	{ HAB_STS_FAILURE, "failure" },
	{ HAB_STS_WARNING, "warning" },
	{ HAB_STS_SUCCESS, "success" },
};

static const struct sdp_code_name sdp_hab_reason_names[] = {
	{ HAB_RSN_ANY, "any" },
	{ HAB_RSN_UNS_COMMAND, "unsupported command" },
	{ HAB_RSN_INV_IVT, "invalid IVT" },
	{ HAB_RSN_INV_COMMAND, "invalid command" },
	{ HAB_RSN_UNS_STATE, "unsuitable state" },
	{ HAB_RSN_UNS_ENGINE, "unsupported engine" },
	{ HAB_RSN_INV_ASSERTION, "invalid assertion" },
	{ HAB_RSN_INV_INDEX, "invalid index" },
	{ HAB_RSN_INV_CSF, "invalid CSF" },
	{ HAB_RSN_UNS_ALGORITHM, "unsupported algorithm" },
	{ HAB_RSN_UNS_PROTOCOL, "unsupported protocol" },
	{ HAB_RSN_INV_SIZE, "invalid size" },
	{ HAB_RSN_INV_SIGNATURE, "invalid signature" },
	{ HAB_RSN_UNS_KEY, "unsupported key" },
	{ HAB_RSN_INV_KEY, "invalid key" },
	{ HAB_RSN_INV_RETURN, "invalid return" },
	{ HAB_RSN_INV_CERTIFICATE, "invalid certificate" },
	{ HAB_RSN_INV_ADDRESS, "invalid address" },
	{ HAB_RSN_UNS_ITEM, "unsupported item" },
	{ HAB_RSN_INV_DCD, "invalid DCD" },
	{ HAB_RSN_INV_CALL, "invalid call" },
	{ HAB_RSN_OVR_COUNT, "counter overflow" },
	{ HAB_RSN_OVR_STORAGE, "storage overflow" },
	{ HAB_RSN_MEM_FAIL, "memory failure" },
	{ HAB_RSN_ENG_FAIL, "engine failure" },
};

static const struct sdp_code_name sdp_hab_context_names[] = {
	{ HAB_CTX_ANY, "any" },
	{ HAB_CTX_FAB, "fab" },
	{ HAB_CTX_ENTRY, "entry" },
	{ HAB_CTX_TARGET, "target" },
	{ HAB_CTX_AUTHENTICATE, "authenticate" },
	{ HAB_CTX_DCD, "dcd" },
	{ HAB_CTX_CSF, "csf" },
	{ HAB_CTX_COMMAND, "command" },
	{ HAB_CTX_AUT_DAT, "auth data" },
	{ HAB_CTX_ASSERT, "assert" },
	{ HAB_CTX_EXIT, "exit" },
};

static const struct sdp_code_name sdp_hab_engine_names[] = {
	{ HAB_ENG_ANY, "any" },
	{ HAB_ENG_SCC, "SCC" },
	{ HAB_ENG_RTIC, "RTIC" },
	{ HAB_ENG_SAHARA, "SAHARA" },
	{ HAB_ENG_CSU, "CSU" },
	{ HAB_ENG_SRTC, "SRTC" },
	{ HAB_ENG_DCP, "DCP" },
	{ HAB_ENG_CAAM, "CAAM" },
	{ HAB_ENG_SNVS, "SNVS" },
	{ HAB_ENG_OCOTP, "OCOTP" },
	{ HAB_ENG_DTCP, "DTCP" },
	{ HAB_ENG_ROM, "ROM" },
	{ HAB_ENG_HDCP, "HDCP" },
	{ HAB_ENG_RTL, "RTL" },
	{ HAB_ENG_SW, "software" },
};

static const char *sdp_lookup(const struct sdp_code_name *tab, size_t n,
			      u8 code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tab[i].code == code)
			return tab[i].name;
	return NULL;
}

/* NULL for an unknown code; the public wrappers say "unknown" instead. */
static const char *sdp_hab_status_lookup(u8 code)
{
	return sdp_lookup(sdp_hab_status_names, ARRAY_LEN(sdp_hab_status_names),
			  code);
}

static const char *sdp_hab_reason_lookup(u8 code)
{
	return sdp_lookup(sdp_hab_reason_names, ARRAY_LEN(sdp_hab_reason_names),
			  code);
}

static const char *sdp_hab_context_lookup(u8 code)
{
	return sdp_lookup(sdp_hab_context_names, ARRAY_LEN(sdp_hab_context_names),
			  code);
}

static const char *sdp_hab_engine_lookup(u8 code)
{
	return sdp_lookup(sdp_hab_engine_names, ARRAY_LEN(sdp_hab_engine_names),
			  code);
}

const char *sdp_hab_status_name(u8 status)
{
	const char *s = sdp_hab_status_lookup(status);

	return s ? s : "unknown";
}

const char *sdp_hab_reason_name(u8 reason)
{
	const char *s = sdp_hab_reason_lookup(reason);

	return s ? s : "unknown";
}

const char *sdp_hab_context_name(u8 context)
{
	const char *s = sdp_hab_context_lookup(context);

	return s ? s : "unknown";
}

const char *sdp_hab_engine_name(u8 engine)
{
	const char *s = sdp_hab_engine_lookup(engine);

	return s ? s : "unknown";
}

static const struct {
	u32 value;
	const char *text;
} sdp_status_words[] = {
	{ SDP_ACK_FILE, "WRITE_FILE complete" },
	{ SDP_ACK_WRITE, "WRITE_REGISTER/DCD_WRITE complete" },
	{ SDP_ACK_SKIP_DCD, "SKIP_DCD_HEADER complete" },
	{ SDP_STATUS_OK, "no error" },
	{ SDP_HAB_OPEN, "HAB open" },
	{ SDP_HAB_CLOSED, "HAB closed" },
	/* U-Boot's SDP gadget answers ERROR_STATUS with 0. */
	{ 0, "no error (U-Boot)" },
};

/*
 * Append ", <label><name>" (or ", <kind> 0x<code>" when the code has no
 * name) to the text of length *@n in @buf, with snprintf() semantics: *@n
 * keeps counting the characters that did not fit.
 */
static void sdp_fmt_code(char *buf, size_t size, int *n, const char *label,
			 const char *name, const char *kind, u8 code)
{
	size_t off = *n > 0 ? (size_t)*n : 0;
	char *p = off < size ? buf + off : NULL;
	size_t left = off < size ? size - off : 0;
	int r;

	if (name)
		r = snprintf(p, left, ", %s%s", label, name);
	else
		r = snprintf(p, left, ", %s 0x%02x", kind, code);
	if (r > 0)
		*n += r;
}

int sdp_status_format(char *buf, size_t size, u32 status)
{
	u8 sts = SDP_HAB_EVT_STATUS(status);
	u8 rsn = SDP_HAB_EVT_REASON(status);
	u8 ctx = SDP_HAB_EVT_CONTEXT(status);
	u8 eng = SDP_HAB_EVT_ENGINE(status);
	const char *name;
	size_t i;
	int n;

	for (i = 0; i < ARRAY_LEN(sdp_status_words); i++)
		if (sdp_status_words[i].value == status)
			return snprintf(buf, size, "0x%08x (%s)", status,
					sdp_status_words[i].text);

	/* Anything whose first wire byte is a HAB status is a HAB event. */
	name = sdp_hab_status_lookup(sts);
	if (!name)
		return snprintf(buf, size, "0x%08x (unknown status)", status);

	n = snprintf(buf, size, "HAB event %02x %02x %02x %02x: %s",
		     sts, rsn, ctx, eng, name);
	sdp_fmt_code(buf, size, &n, "", sdp_hab_reason_lookup(rsn),
		     "reason", rsn);
	sdp_fmt_code(buf, size, &n, "", sdp_hab_context_lookup(ctx),
		     "context", ctx);
	/* The engine is 0 ("any") in every event seen from an SDP ROM. */
	if (eng != HAB_ENG_ANY)
		sdp_fmt_code(buf, size, &n, "engine ",
			     sdp_hab_engine_lookup(eng), "engine", eng);
	return n;
}

/*
 * Documentation/sdp-protocol.rst, "Reports"; U-Boot keeps its copy in sync
 * with the ROM's.
 */
const u8 sdp_report_desc[SDP_REPORT_DESC_LEN] = {
	0x06, 0x00, 0xff,	/* Usage Page (vendor 0xff00) */
	0x09, 0x01,		/* Usage 1 */
	0xa1, 0x01,		/* Collection (Application) */
	/* report 1: 16 bytes, host to device (command block) */
	0x85, 0x01, 0x19, 0x01, 0x29, 0x01, 0x15, 0x00, 0x26, 0xff, 0x00,
	0x75, 0x08, 0x95, 0x10, 0x91, 0x02,
	/* report 2: 64 x 128 bits = 1024 bytes, host to device (data) */
	0x85, 0x02, 0x19, 0x01, 0x29, 0x01, 0x15, 0x00, 0x26, 0xff, 0x00,
	0x75, 0x80, 0x95, 0x40, 0x91, 0x02,
	/* report 3: 4 bytes, device to host (HAB state) */
	0x85, 0x03, 0x19, 0x01, 0x29, 0x01, 0x15, 0x00, 0x26, 0xff, 0x00,
	0x75, 0x08, 0x95, 0x04, 0x81, 0x02,
	/* report 4: 64 bytes, device to host (status or data) */
	0x85, 0x04, 0x19, 0x01, 0x29, 0x01, 0x15, 0x00, 0x26, 0xff, 0x00,
	0x75, 0x08, 0x95, 0x40, 0x81, 0x02,
	0xc0,			/* End Collection */
};
