// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Android fastboot: command packet parser and response formatting.
 *
 * Pure C: linked into usb_f_fastboot, fastboot-lite, the unit tests and
 * the fuzzers. Only pure.h facilities plus vsnprintf(). No allocation;
 * the parsed command refers to the packet by offset and length.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#else
#include <stdio.h>
#endif

#include <imxflash/fastboot_cmd.h>

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* Kinds of argument a command takes. */
enum fastboot_arg {
	FASTBOOT_ARG_NONE,		/* nothing, or an empty one after ':' */
	FASTBOOT_ARG_VAR,		/* getvar */
	FASTBOOT_ARG_SIZE,		/* download */
	FASTBOOT_ARG_FETCH,		/* fetch */
	FASTBOOT_ARG_PART,		/* flash, erase */
	FASTBOOT_ARG_REBOOT,		/* reboot: empty or a target */
	FASTBOOT_ARG_SLOT,		/* set_active */
	FASTBOOT_ARG_OEM,		/* oem */
	FASTBOOT_ARG_FLASHING,	/* flashing */
	FASTBOOT_ARG_TEXT,		/* UCmd, ACmd: any non-empty text */
};

static const struct fastboot_cmd_def {
	const char *name;
	u8 id;
	u8 arg;
} fastboot_cmd_defs[] = {
	{ "getvar", FASTBOOT_CMD_ID_GETVAR, FASTBOOT_ARG_VAR },
	{ "download", FASTBOOT_CMD_ID_DOWNLOAD, FASTBOOT_ARG_SIZE },
	{ "upload", FASTBOOT_CMD_ID_UPLOAD, FASTBOOT_ARG_NONE },
	{ "fetch", FASTBOOT_CMD_ID_FETCH, FASTBOOT_ARG_FETCH },
	{ "flash", FASTBOOT_CMD_ID_FLASH, FASTBOOT_ARG_PART },
	{ "erase", FASTBOOT_CMD_ID_ERASE, FASTBOOT_ARG_PART },
	{ "boot", FASTBOOT_CMD_ID_BOOT, FASTBOOT_ARG_NONE },
	{ "continue", FASTBOOT_CMD_ID_CONTINUE, FASTBOOT_ARG_NONE },
	{ "reboot", FASTBOOT_CMD_ID_REBOOT, FASTBOOT_ARG_REBOOT },
	{ "reboot-bootloader", FASTBOOT_CMD_ID_REBOOT_BOOTLOADER, FASTBOOT_ARG_NONE },
	{ "reboot-recovery", FASTBOOT_CMD_ID_REBOOT_RECOVERY, FASTBOOT_ARG_NONE },
	{ "reboot-fastboot", FASTBOOT_CMD_ID_REBOOT_FASTBOOT, FASTBOOT_ARG_NONE },
	{ "set_active", FASTBOOT_CMD_ID_SET_ACTIVE, FASTBOOT_ARG_SLOT },
	{ "oem", FASTBOOT_CMD_ID_OEM, FASTBOOT_ARG_OEM },
	{ "flashing", FASTBOOT_CMD_ID_FLASHING_LOCK, FASTBOOT_ARG_FLASHING },
	{ "UCmd", FASTBOOT_CMD_ID_UCMD, FASTBOOT_ARG_TEXT },
	{ "ACmd", FASTBOOT_CMD_ID_ACMD, FASTBOOT_ARG_TEXT },
};

static const char * const fastboot_cmd_names[FASTBOOT_CMD_ID_NR] = {
	[FASTBOOT_CMD_ID_GETVAR] = "getvar",
	[FASTBOOT_CMD_ID_DOWNLOAD] = "download",
	[FASTBOOT_CMD_ID_UPLOAD] = "upload",
	[FASTBOOT_CMD_ID_FETCH] = "fetch",
	[FASTBOOT_CMD_ID_FLASH] = "flash",
	[FASTBOOT_CMD_ID_ERASE] = "erase",
	[FASTBOOT_CMD_ID_BOOT] = "boot",
	[FASTBOOT_CMD_ID_CONTINUE] = "continue",
	[FASTBOOT_CMD_ID_REBOOT] = "reboot",
	[FASTBOOT_CMD_ID_REBOOT_BOOTLOADER] = "reboot-bootloader",
	[FASTBOOT_CMD_ID_REBOOT_RECOVERY] = "reboot-recovery",
	[FASTBOOT_CMD_ID_REBOOT_FASTBOOT] = "reboot-fastboot",
	[FASTBOOT_CMD_ID_SET_ACTIVE] = "set_active",
	[FASTBOOT_CMD_ID_OEM] = "oem",
	[FASTBOOT_CMD_ID_FLASHING_LOCK] = "flashing lock",
	[FASTBOOT_CMD_ID_FLASHING_UNLOCK] = "flashing unlock",
	[FASTBOOT_CMD_ID_FLASHING_LOCK_CRITICAL] = "flashing lock_critical",
	[FASTBOOT_CMD_ID_FLASHING_UNLOCK_CRITICAL] = "flashing unlock_critical",
	[FASTBOOT_CMD_ID_FLASHING_GET_UNLOCK_ABILITY] = "flashing get_unlock_ability",
	[FASTBOOT_CMD_ID_UCMD] = "UCmd",
	[FASTBOOT_CMD_ID_ACMD] = "ACmd",
};

/* Sub-commands of "flashing", after the space or ':'. */
static const struct {
	const char *name;
	u8 id;
} fastboot_flashing_subs[] = {
	{ "lock", FASTBOOT_CMD_ID_FLASHING_LOCK },
	{ "unlock", FASTBOOT_CMD_ID_FLASHING_UNLOCK },
	{ "lock_critical", FASTBOOT_CMD_ID_FLASHING_LOCK_CRITICAL },
	{ "unlock_critical", FASTBOOT_CMD_ID_FLASHING_UNLOCK_CRITICAL },
	{ "get_unlock_ability", FASTBOOT_CMD_ID_FLASHING_GET_UNLOCK_ABILITY },
};

/* What follows the variable name. */
enum fastboot_param {
	FASTBOOT_PARAM_NONE,		/* nothing */
	FASTBOOT_PARAM_PART,		/* ":<partition>", required */
	FASTBOOT_PARAM_SLOT,		/* ":<slot>", required */
	FASTBOOT_PARAM_ANY,		/* unknown variable: anything */
};

static const struct {
	const char *name;
	u8 var;
	u8 param;
} fastboot_var_defs[] = {
	{ "all", FASTBOOT_VAR_ALL, FASTBOOT_PARAM_NONE },
	{ "version", FASTBOOT_VAR_VERSION, FASTBOOT_PARAM_NONE },
	{ "version-bootloader", FASTBOOT_VAR_VERSION_BOOTLOADER, FASTBOOT_PARAM_NONE },
	{ "version-baseband", FASTBOOT_VAR_VERSION_BASEBAND, FASTBOOT_PARAM_NONE },
	{ "product", FASTBOOT_VAR_PRODUCT, FASTBOOT_PARAM_NONE },
	{ "serialno", FASTBOOT_VAR_SERIALNO, FASTBOOT_PARAM_NONE },
	{ "secure", FASTBOOT_VAR_SECURE, FASTBOOT_PARAM_NONE },
	{ "unlocked", FASTBOOT_VAR_UNLOCKED, FASTBOOT_PARAM_NONE },
	{ "max-download-size", FASTBOOT_VAR_MAX_DOWNLOAD_SIZE, FASTBOOT_PARAM_NONE },
	{ "downloadsize", FASTBOOT_VAR_MAX_DOWNLOAD_SIZE, FASTBOOT_PARAM_NONE },
	{ "max-fetch-size", FASTBOOT_VAR_MAX_FETCH_SIZE, FASTBOOT_PARAM_NONE },
	{ "partition-size", FASTBOOT_VAR_PARTITION_SIZE, FASTBOOT_PARAM_PART },
	{ "partition-type", FASTBOOT_VAR_PARTITION_TYPE, FASTBOOT_PARAM_PART },
	{ "has-slot", FASTBOOT_VAR_HAS_SLOT, FASTBOOT_PARAM_PART },
	{ "is-logical", FASTBOOT_VAR_IS_LOGICAL, FASTBOOT_PARAM_PART },
	{ "current-slot", FASTBOOT_VAR_CURRENT_SLOT, FASTBOOT_PARAM_NONE },
	{ "slot-count", FASTBOOT_VAR_SLOT_COUNT, FASTBOOT_PARAM_NONE },
	{ "slot-successful", FASTBOOT_VAR_SLOT_SUCCESSFUL, FASTBOOT_PARAM_SLOT },
	{ "slot-unbootable", FASTBOOT_VAR_SLOT_UNBOOTABLE, FASTBOOT_PARAM_SLOT },
	{ "slot-retry-count", FASTBOOT_VAR_SLOT_RETRY_COUNT, FASTBOOT_PARAM_SLOT },
	{ "is-userspace", FASTBOOT_VAR_IS_USERSPACE, FASTBOOT_PARAM_NONE },
	{ "super-partition-name", FASTBOOT_VAR_SUPER_PARTITION_NAME,
	  FASTBOOT_PARAM_NONE },
	{ "snapshot-update-status", FASTBOOT_VAR_SNAPSHOT_UPDATE_STATUS,
	  FASTBOOT_PARAM_NONE },
	{ "erase-block-size", FASTBOOT_VAR_ERASE_BLOCK_SIZE, FASTBOOT_PARAM_NONE },
	{ "logical-block-size", FASTBOOT_VAR_LOGICAL_BLOCK_SIZE, FASTBOOT_PARAM_NONE },
	{ "oem-sha256", FASTBOOT_VAR_OEM_SHA256, FASTBOOT_PARAM_NONE },
};

const char *fastboot_cmd_name(unsigned int id)
{
	if (id >= FASTBOOT_CMD_ID_NR || !fastboot_cmd_names[id])
		return "unknown";
	return fastboot_cmd_names[id];
}

const char *fastboot_var_name(unsigned int var)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(fastboot_var_defs); i++)
		if (fastboot_var_defs[i].var == var && var != FASTBOOT_VAR_OTHER)
			return fastboot_var_defs[i].name;
	return NULL;
}

static bool fastboot_eq(const char *p, size_t len, const char *str)
{
	size_t n = strlen(str);

	return len == n && !memcmp(p, str, n);
}

static int fastboot_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Parse 1 or more hex digits (no prefix) into *@val. Returns 0, -EINVAL
 * (empty, or a non-hex character) or -ERANGE (does not fit in 64 bits).
 */
static int fastboot_parse_hex(const char *p, size_t len, u64 *val)
{
	u64 v = 0;
	size_t i;
	int d;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		d = fastboot_hexval(p[i]);
		if (d < 0)
			return -EINVAL;
		if (v >> 60)
			return -ERANGE;
		v = v << 4 | (u64)d;
	}
	*val = v;
	return 0;
}

/* "0x" + hex digits. */
static int fastboot_parse_0x(const char *p, size_t len, u64 *val)
{
	if (len < 2 || p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
		return -EINVAL;
	return fastboot_parse_hex(p + 2, len - 2, val);
}

int fastboot_part_parse(const char *s, size_t len, u64 *raw, const char **why)
{
	const char *dummy;
	u64 off;
	size_t i;
	int ret;

	if (!why)
		why = &dummy;
	*why = NULL;

	if (!len) {
		*why = "partition name missing";
		return -EINVAL;
	}
	if (len > FASTBOOT_NAME_MAX) {
		*why = "partition name longer than 64 characters";
		return -EINVAL;
	}
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		ret = fastboot_parse_0x(s, len, &off);
		if (ret == -ERANGE) {
			*why = "raw offset larger than 64 bits";
			return ret;
		}
		if (ret) {
			*why = "raw offset must be 0x followed by hex digits";
			return ret;
		}
		if (raw)
			*raw = off;
		return 1;
	}
	for (i = 0; i < len; i++) {
		u8 c = s[i];

		if (c <= ' ' || c >= 0x7f || c == '/' || c == '\\' ||
		    c == ':') {
			*why = "partition name has a forbidden character";
			return -EINVAL;
		}
	}
	if (fastboot_eq(s, len, ".") || fastboot_eq(s, len, "..")) {
		*why = "partition name . or ..";
		return -EINVAL;
	}
	return 0;
}

/* A slot: an optional '_' and one letter a-z. Sets @cmd->target. */
static int fastboot_parse_slot(struct fastboot_command *cmd, const char *buf, u16 off,
			       u16 len, const char **why)
{
	if (len && buf[off] == '_') {
		off++;
		len--;
	}
	if (!len) {
		*why = "slot missing";
		return -EINVAL;
	}
	if (len != 1 || buf[off] < 'a' || buf[off] > 'z') {
		*why = "slot must be a letter a-z";
		return -EINVAL;
	}
	cmd->target.off = off;
	cmd->target.len = 1;
	return 0;
}

/* A partition name or raw offset at [@off, @off + @len). */
static int fastboot_parse_target(struct fastboot_command *cmd, const char *buf, u16 off,
				 u16 len, const char **why)
{
	int ret;

	ret = fastboot_part_parse(buf + off, len, &cmd->offset, why);
	if (ret < 0)
		return ret;
	if (ret)
		cmd->flags |= FASTBOOT_CMD_F_RAW;
	cmd->target.off = off;
	cmd->target.len = len;
	return 0;
}

static int fastboot_parse_getvar(struct fastboot_command *cmd, const char *buf,
				 const char **why)
{
	const char *a = buf + cmd->arg.off;
	u16 n = cmd->arg.len, vlen, i;
	const char *colon;
	u8 param = FASTBOOT_PARAM_ANY;
	u16 poff, plen;

	if (!n) {
		*why = "variable name missing";
		return -EINVAL;
	}
	colon = memchr(a, ':', n);
	vlen = colon ? (u16)(colon - a) : n;
	if (!vlen) {
		*why = "variable name missing";
		return -EINVAL;
	}
	if (vlen > FASTBOOT_NAME_MAX) {
		*why = "variable name longer than 64 characters";
		return -EINVAL;
	}
	for (i = 0; i < vlen; i++) {
		if (a[i] == ' ') {
			*why = "variable name has a space";
			return -EINVAL;
		}
	}
	cmd->word.off = cmd->arg.off;
	cmd->word.len = vlen;
	cmd->var = FASTBOOT_VAR_OTHER;
	for (i = 0; i < ARRAY_LEN(fastboot_var_defs); i++) {
		if (fastboot_eq(a, vlen, fastboot_var_defs[i].name)) {
			cmd->var = fastboot_var_defs[i].var;
			param = fastboot_var_defs[i].param;
			break;
		}
	}

	poff = cmd->arg.off + vlen + (colon ? 1 : 0);
	plen = colon ? n - vlen - 1 : 0;
	switch (param) {
	case FASTBOOT_PARAM_NONE:
		if (colon) {
			*why = "variable takes no parameter";
			return -EINVAL;
		}
		return 0;
	case FASTBOOT_PARAM_PART:
		return fastboot_parse_target(cmd, buf, poff, plen, why);
	case FASTBOOT_PARAM_SLOT:
		return fastboot_parse_slot(cmd, buf, poff, plen, why);
	default:
		cmd->target.off = poff;
		cmd->target.len = plen;
		return 0;
	}
}

static int fastboot_parse_download(struct fastboot_command *cmd, const char *buf,
				   const char **why)
{
	const char *a = buf + cmd->arg.off;
	u64 v;
	int ret;

	if (!cmd->arg.len) {
		*why = "download size missing";
		return -EINVAL;
	}
	if (cmd->arg.len != FASTBOOT_DOWNLOAD_DIGITS) {
		*why = "download size must be 8 hex digits";
		return -EINVAL;
	}
	ret = fastboot_parse_hex(a, cmd->arg.len, &v);
	if (ret) {
		*why = "download size has a non-hex digit";
		return -EINVAL;
	}
	if (!v) {
		*why = "download size 0";
		return -EINVAL;
	}
	cmd->size = (u32)v;
	return 0;
}

/* fetch:<part>[:0x<offset>[:0x<size>]] */
static int fastboot_parse_fetch(struct fastboot_command *cmd, const char *buf,
				const char **why)
{
	u16 off = cmd->arg.off, end = cmd->arg.off + cmd->arg.len;
	u16 field[3][2], nf = 0, i, p;
	u64 v;
	int ret;

	if (!cmd->arg.len) {
		*why = "partition name missing";
		return -EINVAL;
	}
	/* Split at ':' into at most three fields. */
	p = off;
	for (i = off; i <= end; i++) {
		if (i < end && buf[i] != ':')
			continue;
		if (nf == 3) {
			*why = "fetch takes at most 3 fields";
			return -EINVAL;
		}
		field[nf][0] = p;
		field[nf][1] = i - p;
		nf++;
		p = i + 1;
	}

	ret = fastboot_parse_target(cmd, buf, field[0][0], field[0][1], why);
	if (ret)
		return ret;
	if (nf < 2)
		return 0;

	ret = fastboot_parse_0x(buf + field[1][0], field[1][1], &v);
	if (ret == -ERANGE) {
		*why = "fetch offset larger than 64 bits";
		return ret;
	}
	if (ret) {
		*why = "fetch offset must be 0x followed by hex digits";
		return ret;
	}
	/* A raw target: the range is relative to the raw offset. */
	if (cmd->offset + v < v) {
		*why = "raw offset + fetch offset larger than 64 bits";
		return -ERANGE;
	}
	cmd->offset += v;
	cmd->flags |= FASTBOOT_CMD_F_OFFSET;
	if (nf < 3)
		return 0;

	ret = fastboot_parse_0x(buf + field[2][0], field[2][1], &cmd->length);
	if (ret == -ERANGE) {
		*why = "fetch size larger than 64 bits";
		return ret;
	}
	if (ret) {
		*why = "fetch size must be 0x followed by hex digits";
		return ret;
	}
	if (!cmd->length) {
		*why = "fetch size 0";
		return -EINVAL;
	}
	if (cmd->offset + cmd->length < cmd->offset) {
		*why = "fetch offset + size larger than 64 bits";
		return -ERANGE;
	}
	cmd->flags |= FASTBOOT_CMD_F_SIZE;
	return 0;
}

static int fastboot_parse_reboot(struct fastboot_command *cmd, const char *buf,
				 const char **why)
{
	static const struct {
		const char *name;
		u8 id;
	} targets[] = {
		{ "bootloader", FASTBOOT_CMD_ID_REBOOT_BOOTLOADER },
		{ "recovery", FASTBOOT_CMD_ID_REBOOT_RECOVERY },
		{ "fastboot", FASTBOOT_CMD_ID_REBOOT_FASTBOOT },
	};
	size_t i;

	/* "reboot:" from uuu; "reboot:<target>" from "FB: reboot <target>" */
	if (!cmd->arg.len)
		return 0;
	for (i = 0; i < ARRAY_LEN(targets); i++) {
		if (fastboot_eq(buf + cmd->arg.off, cmd->arg.len, targets[i].name)) {
			cmd->id = targets[i].id;
			return 0;
		}
	}
	*why = "reboot target must be bootloader, recovery or fastboot";
	return -EINVAL;
}

static int fastboot_parse_oem(struct fastboot_command *cmd, const char *buf,
			      const char **why)
{
	const char *a = buf + cmd->arg.off;
	u16 i;

	for (i = 0; i < cmd->arg.len && a[i] != ' ' && a[i] != ':'; i++)
		;
	if (!i) {
		*why = "oem command missing";
		return -EINVAL;
	}
	cmd->word.off = cmd->arg.off;
	cmd->word.len = i;
	return 0;
}

static int fastboot_parse_flashing(struct fastboot_command *cmd, const char *buf,
				   const char **why)
{
	const char *a = buf + cmd->arg.off;
	size_t i;

	if (!cmd->arg.len) {
		*why = "flashing sub-command missing";
		return -EINVAL;
	}
	cmd->word = cmd->arg;
	for (i = 0; i < ARRAY_LEN(fastboot_flashing_subs); i++) {
		if (fastboot_eq(a, cmd->arg.len, fastboot_flashing_subs[i].name)) {
			cmd->id = fastboot_flashing_subs[i].id;
			return 0;
		}
	}
	*why = "unknown flashing sub-command";
	return -EOPNOTSUPP;
}

int fastboot_cmd_parse(struct fastboot_command *cmd, const char *buf, size_t len,
		       const char **why)
{
	const struct fastboot_cmd_def *def = NULL;
	const char *dummy, *nul;
	u16 n, i, nlen;
	u8 arg;
	int ret;

	if (!why)
		why = &dummy;
	*why = NULL;
	memset(cmd, 0, sizeof(*cmd));

	if (len > FASTBOOT_CMD_ID_MAX) {
		*why = "command longer than 4096 bytes";
		return -EMSGSIZE;
	}
	nul = len ? memchr(buf, '\0', len) : NULL;
	n = nul ? (u16)(nul - buf) : (u16)len;
	if (!n) {
		*why = "empty command";
		return -ENODATA;
	}
	for (i = 0; i < n; i++) {
		u8 c = buf[i];

		if (c >= 0x80) {
			*why = "non-ASCII byte in command";
			return -EINVAL;
		}
		if (c < ' ' || c == 0x7f) {
			*why = "control character in command";
			return -EINVAL;
		}
	}

	/* The name ends at the first ':' or ' ' (oem, flashing). */
	for (nlen = 0; nlen < n && buf[nlen] != ':' && buf[nlen] != ' ';
	     nlen++)
		;
	cmd->name.len = nlen;
	if (nlen < n) {
		cmd->arg.off = nlen + 1;
		cmd->arg.len = n - nlen - 1;
	} else {
		cmd->arg.off = n;
	}
	for (i = 0; i < ARRAY_LEN(fastboot_cmd_defs); i++) {
		if (fastboot_eq(buf, nlen, fastboot_cmd_defs[i].name)) {
			def = &fastboot_cmd_defs[i];
			break;
		}
	}
	if (!def) {
		*why = "unknown command";
		ret = -EOPNOTSUPP;
		goto fail;
	}
	arg = def->arg;
	if (nlen < n && buf[nlen] == ' ' && arg != FASTBOOT_ARG_OEM &&
	    arg != FASTBOOT_ARG_FLASHING) {
		*why = "argument must follow ':'";
		ret = -EINVAL;
		goto fail;
	}
	cmd->id = def->id;

	switch (arg) {
	case FASTBOOT_ARG_NONE:
		if (cmd->arg.len) {
			*why = "unexpected argument";
			ret = -EINVAL;
		} else {
			ret = 0;
		}
		break;
	case FASTBOOT_ARG_VAR:
		ret = fastboot_parse_getvar(cmd, buf, why);
		break;
	case FASTBOOT_ARG_SIZE:
		ret = fastboot_parse_download(cmd, buf, why);
		break;
	case FASTBOOT_ARG_FETCH:
		ret = fastboot_parse_fetch(cmd, buf, why);
		break;
	case FASTBOOT_ARG_PART:
		ret = fastboot_parse_target(cmd, buf, cmd->arg.off, cmd->arg.len,
					    why);
		break;
	case FASTBOOT_ARG_REBOOT:
		ret = fastboot_parse_reboot(cmd, buf, why);
		break;
	case FASTBOOT_ARG_SLOT:
		ret = fastboot_parse_slot(cmd, buf, cmd->arg.off, cmd->arg.len, why);
		break;
	case FASTBOOT_ARG_OEM:
		ret = fastboot_parse_oem(cmd, buf, why);
		break;
	case FASTBOOT_ARG_FLASHING:
		ret = fastboot_parse_flashing(cmd, buf, why);
		break;
	default:
		if (!cmd->arg.len) {
			*why = "command text missing";
			ret = -EINVAL;
		} else {
			ret = 0;
		}
		break;
	}
	if (!ret)
		return 0;
fail:
	/* Keep only what tells the caller which command failed. */
	memset(cmd, 0, sizeof(*cmd));
	cmd->name.len = nlen;
	return ret;
}

static bool fastboot_tag_ok(const char *tag)
{
	static const char * const tags[] = { "OKAY", "FAIL", "INFO", "DATA" };
	size_t i;

	for (i = 0; i < ARRAY_LEN(tags); i++)
		if (!strcmp(tag, tags[i]))
			return true;
	return false;
}

int fastboot_vresp(char *buf, const char *tag, const char *fmt, va_list ap)
{
	int n = 0, i;

	buf[0] = '\0';
	if (!tag || !fastboot_tag_ok(tag))
		return -EINVAL;
	memcpy(buf, tag, FASTBOOT_RESP_TAG_LEN);
	buf[FASTBOOT_RESP_TAG_LEN] = '\0';
	if (fmt) {
		n = vsnprintf(buf + FASTBOOT_RESP_TAG_LEN, FASTBOOT_RESP_PAYLOAD_MAX + 1,
			      fmt, ap);
		if (n < 0)
			n = 0;
		if (n > FASTBOOT_RESP_PAYLOAD_MAX)
			n = FASTBOOT_RESP_PAYLOAD_MAX;
	}
	buf[FASTBOOT_RESP_TAG_LEN + n] = '\0';
	for (i = FASTBOOT_RESP_TAG_LEN; i < FASTBOOT_RESP_TAG_LEN + n; i++) {
		u8 c = buf[i];

		if (c < ' ' || c >= 0x7f)
			buf[i] = '?';
	}
	return FASTBOOT_RESP_TAG_LEN + n;
}

int fastboot_resp(char *buf, const char *tag, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fastboot_vresp(buf, tag, fmt, ap);
	va_end(ap);
	return n;
}

int fastboot_resp_data(char *buf, u32 size)
{
	return fastboot_resp(buf, "DATA", "%08x", size);
}
