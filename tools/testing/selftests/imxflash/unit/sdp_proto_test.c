// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for lib/imxflash/sdp_proto.c: command block codec against the
 * wire examples of Documentation/sdp-protocol.rst, "Example exchanges",
 * field validation, names, status formatting and the ROM's HID report
 * descriptor.
 */
#include <imxflash/sdp_proto.h>

#include "kselftest_harness.h"

/* ---- round trips with the exact bytes of "Example exchanges" ---- */

FIXTURE(wire) {
	struct sdp_cmd cmd;
};

FIXTURE_VARIANT(wire) {
	/* report 1 as sent on the wire, i.e. with the ID byte first */
	u8 report[1 + SDP_CMD_LEN];
	struct sdp_cmd cmd;
	u32 data_reports;
	const char *name;
};

FIXTURE_SETUP(wire)
{
	memset(&self->cmd, 0xa5, sizeof(self->cmd));
}

FIXTURE_TEARDOWN(wire)
{
}

FIXTURE_VARIANT_ADD(wire, error_status) {
	.report = { 0x01, 0x05, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 },
	.cmd = { .type = SDP_ERROR_STATUS },
	.data_reports = 0,
	.name = "ERROR_STATUS",
};

FIXTURE_VARIANT_ADD(wire, read_register) {
	.report = { 0x01, 0x01, 0x01, 0x02, 0x0c, 0x40, 0x00, 0x20, 0x00,
		    0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00 },
	.cmd = { .type = SDP_READ_REGISTER, .addr = 0x020c4000,
		 .format = SDP_FORMAT_32, .count = 4 },
	.data_reports = 0,
	.name = "READ_REGISTER",
};

FIXTURE_VARIANT_ADD(wire, write_register) {
	.report = { 0x01, 0x02, 0x02, 0x02, 0x0e, 0x02, 0xa8, 0x20, 0x00,
		    0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00 },
	.cmd = { .type = SDP_WRITE_REGISTER, .addr = 0x020e02a8,
		 .format = SDP_FORMAT_32, .count = 4, .data = 1 },
	.data_reports = 0,
	.name = "WRITE_REGISTER",
};

FIXTURE_VARIANT_ADD(wire, dcd_write) {
	.report = { 0x01, 0x0a, 0x0a, 0x00, 0x91, 0x00, 0x00, 0x00, 0x00,
		    0x00, 0x03, 0xa8, 0x00, 0x00, 0x00, 0x00, 0x00 },
	.cmd = { .type = SDP_DCD_WRITE, .addr = 0x00910000, .count = 0x3a8 },
	.data_reports = 1,
	.name = "DCD_WRITE",
};

FIXTURE_VARIANT_ADD(wire, write_file) {
	.report = { 0x01, 0x04, 0x04, 0x87, 0x7f, 0xf4, 0x00, 0x00, 0x00,
		    0x05, 0x9c, 0x00, 0x00, 0x00, 0x00, 0x00, 0xaa },
	.cmd = { .type = SDP_WRITE_FILE, .addr = 0x877ff400,
		 .count = 0x59c00, .file_type = SDP_FILE_TYPE_APP },
	.data_reports = 359,
	.name = "WRITE_FILE",
};

FIXTURE_VARIANT_ADD(wire, jump_address) {
	.report = { 0x01, 0x0b, 0x0b, 0x87, 0x7f, 0xf4, 0x00, 0x00, 0x00,
		    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 },
	.cmd = { .type = SDP_JUMP_ADDRESS, .addr = 0x877ff400 },
	.data_reports = 0,
	.name = "JUMP_ADDRESS",
};

FIXTURE_VARIANT_ADD(wire, skip_dcd_header) {
	.report = { 0x01, 0x0c, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 },
	.cmd = { .type = SDP_SKIP_DCD_HEADER },
	.data_reports = 0,
	.name = "SKIP_DCD_HEADER",
};

FIXTURE_VARIANT_ADD(wire, write_csf) {
	.report = { 0x01, 0x06, 0x06, 0x87, 0x80, 0x40, 0x00, 0x00, 0x00,
		    0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0xcc },
	.cmd = { .type = SDP_WRITE_CSF, .addr = 0x87804000, .count = 0x2000,
		 .file_type = SDP_FILE_TYPE_CSF },
	.data_reports = 8,
	.name = "WRITE_CSF",
};

TEST_F(wire, decode)
{
	const char *why = "not cleared";

	ASSERT_EQ(SDP_REPORT_CMD, variant->report[0]);
	ASSERT_EQ(0, sdp_cmd_decode(&self->cmd, variant->report + 1,
				    SDP_CMD_LEN, &why));
	EXPECT_EQ(NULL, why);
	EXPECT_EQ(variant->cmd.type, self->cmd.type);
	EXPECT_EQ(variant->cmd.addr, self->cmd.addr);
	EXPECT_EQ(variant->cmd.format, self->cmd.format);
	EXPECT_EQ(variant->cmd.count, self->cmd.count);
	EXPECT_EQ(variant->cmd.data, self->cmd.data);
	EXPECT_EQ(variant->cmd.file_type, self->cmd.file_type);
	EXPECT_EQ(0, sdp_cmd_validate(&self->cmd, &why));
	EXPECT_EQ(variant->data_reports, sdp_cmd_data_reports(&self->cmd));
	ASSERT_NE(NULL, sdp_cmd_name(self->cmd.type));
	EXPECT_STREQ(variant->name, sdp_cmd_name(self->cmd.type));
}

TEST_F(wire, encode)
{
	u8 buf[SDP_CMD_LEN + 1];

	memset(buf, 0x5a, sizeof(buf));
	sdp_cmd_encode(&variant->cmd, buf);
	EXPECT_EQ(0, memcmp(buf, variant->report + 1, SDP_CMD_LEN));
	/* exactly 16 bytes written */
	EXPECT_EQ(0x5a, buf[SDP_CMD_LEN]);
}

TEST_F(wire, decode_padded)
{
	/* Padded report 1 (SPSDK, SBL): 1024 payload bytes, tail ignored. */
	u8 buf[SDP_DATA_MAX];

	memset(buf, 0xee, sizeof(buf));
	memcpy(buf, variant->report + 1, SDP_CMD_LEN);
	ASSERT_EQ(0, sdp_cmd_decode(&self->cmd, buf, sizeof(buf), NULL));
	EXPECT_EQ(variant->cmd.type, self->cmd.type);
	EXPECT_EQ(variant->cmd.addr, self->cmd.addr);
	EXPECT_EQ(variant->cmd.count, self->cmd.count);
	EXPECT_EQ(variant->cmd.file_type, self->cmd.file_type);
}

/* ---- decode errors ---- */

TEST(decode_short)
{
	u8 buf[SDP_CMD_LEN] = { 0x05, 0x05 };
	struct sdp_cmd cmd;
	const char *why = NULL;

	EXPECT_EQ(-EMSGSIZE, sdp_cmd_decode(&cmd, buf, SDP_CMD_LEN - 1,
					    &why));
	EXPECT_STREQ("command block length", why);
	EXPECT_EQ(-EMSGSIZE, sdp_cmd_decode(&cmd, buf, 0, NULL));
}

TEST(decode_mismatched_type_bytes)
{
	u8 buf[SDP_CMD_LEN] = { 0x04, 0x05, 0x12, 0x34, 0x56, 0x78 };
	struct sdp_cmd cmd;
	const char *why = NULL;

	EXPECT_EQ(-EPROTO, sdp_cmd_decode(&cmd, buf, sizeof(buf), &why));
	EXPECT_STREQ("command type bytes differ", why);
	/* still filled in, for logging */
	EXPECT_EQ(0x0405, cmd.type);
	EXPECT_EQ(0x12345678u, cmd.addr);
}

TEST(decode_unknown)
{
	static const u8 codes[] = { 0x00, 0x03, 0x07, 0x08, 0x09, 0x0d,
				    0x0e, 0xff };
	u8 buf[SDP_CMD_LEN] = { 0 };
	struct sdp_cmd cmd;
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(codes); i++) {
		buf[0] = codes[i];
		buf[1] = codes[i];
		why = NULL;
		EXPECT_EQ(-EOPNOTSUPP, sdp_cmd_decode(&cmd, buf, sizeof(buf),
						      &why)) {
			TH_LOG("code 0x%02x", codes[i]);
		}
		EXPECT_STREQ("command type", why);
		EXPECT_EQ((u16)(codes[i] << 8 | codes[i]), cmd.type);
		EXPECT_EQ(NULL, sdp_cmd_name(cmd.type));
		EXPECT_EQ(-EINVAL, sdp_cmd_validate(&cmd, NULL));
	}
}

/* ---- validation rules ---- */

static int check(u16 type, u8 format, u32 count, const char **why)
{
	struct sdp_cmd cmd = {
		.type = type, .format = format, .count = count,
		.addr = 0x00910000, .data = 0xdeadbeef,
	};

	return sdp_cmd_validate(&cmd, why);
}

TEST(validate_read_register)
{
	const char *why;

	EXPECT_EQ(0, check(SDP_READ_REGISTER, SDP_FORMAT_8, 1, &why));
	EXPECT_EQ(0, check(SDP_READ_REGISTER, SDP_FORMAT_8, 3, &why));
	EXPECT_EQ(0, check(SDP_READ_REGISTER, SDP_FORMAT_16, 2, &why));
	EXPECT_EQ(0, check(SDP_READ_REGISTER, SDP_FORMAT_16, 130, &why));
	EXPECT_EQ(0, check(SDP_READ_REGISTER, SDP_FORMAT_32, 4, &why));
	EXPECT_EQ(0, check(SDP_READ_REGISTER, SDP_FORMAT_32, 0x10000, &why));
	/* Counts are bytes, any value: imx_usb -v reads a tail of 59 so. */
	EXPECT_EQ(0, check(SDP_READ_REGISTER, SDP_FORMAT_32, 59, &why));
	EXPECT_EQ(0, check(SDP_READ_REGISTER, SDP_FORMAT_32, 1, &why));
	EXPECT_EQ(0, check(SDP_READ_REGISTER, SDP_FORMAT_32, 6, &why));
	EXPECT_EQ(0, check(SDP_READ_REGISTER, SDP_FORMAT_16, 3, &why));
	EXPECT_EQ(NULL, why);

	EXPECT_EQ(-EINVAL, check(SDP_READ_REGISTER, SDP_FORMAT_32, 0, &why));
	EXPECT_STREQ("READ_REGISTER count", why);
	EXPECT_EQ(-EINVAL, check(SDP_READ_REGISTER, 0, 4, &why));
	EXPECT_STREQ("READ_REGISTER format", why);
	EXPECT_EQ(-EINVAL, check(SDP_READ_REGISTER, 0x18, 4, &why));
	EXPECT_EQ(-EINVAL, check(SDP_READ_REGISTER, 0x40, 4, &why));
	EXPECT_STREQ("READ_REGISTER format", why);
}

TEST(validate_write_register)
{
	const char *why;

	EXPECT_EQ(0, check(SDP_WRITE_REGISTER, SDP_FORMAT_32, 4, &why));
	EXPECT_EQ(0, check(SDP_WRITE_REGISTER, SDP_FORMAT_16, 2, &why));
	EXPECT_EQ(0, check(SDP_WRITE_REGISTER, SDP_FORMAT_8, 1, &why));
	/* count 0 = one access of the format's width */
	EXPECT_EQ(0, check(SDP_WRITE_REGISTER, SDP_FORMAT_32, 0, &why));
	EXPECT_EQ(0, check(SDP_WRITE_REGISTER, SDP_FORMAT_8, 0, &why));

	EXPECT_EQ(-EINVAL, check(SDP_WRITE_REGISTER, SDP_FORMAT_32, 2, &why));
	EXPECT_STREQ("WRITE_REGISTER count", why);
	EXPECT_EQ(-EINVAL, check(SDP_WRITE_REGISTER, SDP_FORMAT_32, 8, &why));
	EXPECT_EQ(-EINVAL, check(SDP_WRITE_REGISTER, SDP_FORMAT_8, 4, &why));
	EXPECT_STREQ("WRITE_REGISTER count", why);
	EXPECT_EQ(-EINVAL, check(SDP_WRITE_REGISTER, 0, 4, &why));
	EXPECT_STREQ("WRITE_REGISTER format", why);
	EXPECT_EQ(-EINVAL, check(SDP_WRITE_REGISTER, 0x21, 4, &why));
}

TEST(validate_data_commands)
{
	const char *why;

	EXPECT_EQ(0, check(SDP_DCD_WRITE, 0, 1, &why));
	EXPECT_EQ(0, check(SDP_DCD_WRITE, 0, 1768, &why));
	EXPECT_EQ(-EINVAL, check(SDP_DCD_WRITE, 0, 0, &why));
	EXPECT_STREQ("DCD_WRITE count", why);
	EXPECT_EQ(-EINVAL, check(SDP_DCD_WRITE, 0, 1769, &why));
	EXPECT_STREQ("DCD_WRITE count", why);

	EXPECT_EQ(0, check(SDP_WRITE_FILE, 0, 1, &why));
	EXPECT_EQ(0, check(SDP_WRITE_FILE, 0, 0xffffffff, &why));
	EXPECT_EQ(-EINVAL, check(SDP_WRITE_FILE, 0, 0, &why));
	EXPECT_STREQ("WRITE_FILE count", why);

	EXPECT_EQ(0, check(SDP_WRITE_CSF, 0, 0x2000, &why));
	EXPECT_EQ(-EINVAL, check(SDP_WRITE_CSF, 0, 0, &why));
	EXPECT_STREQ("WRITE_CSF count", why);

	/* commands without rules accept whatever clients put in */
	EXPECT_EQ(0, check(SDP_ERROR_STATUS, 0x77, 0xffffffff, &why));
	EXPECT_EQ(0, check(SDP_JUMP_ADDRESS, 0x20, 4, &why));
	EXPECT_EQ(0, check(SDP_SKIP_DCD_HEADER, 0, 0, &why));
	EXPECT_EQ(NULL, why);
	EXPECT_EQ(-EINVAL, check(0x0d0d, 0, 0, &why));
	EXPECT_STREQ("command type", why);
	/* why is optional */
	EXPECT_EQ(-EINVAL, check(SDP_WRITE_FILE, 0, 0, NULL));
}

TEST(format_width)
{
	EXPECT_EQ(1u, sdp_format_width(SDP_FORMAT_8));
	EXPECT_EQ(2u, sdp_format_width(SDP_FORMAT_16));
	EXPECT_EQ(4u, sdp_format_width(SDP_FORMAT_32));
	EXPECT_EQ(0u, sdp_format_width(0));
	EXPECT_EQ(0u, sdp_format_width(0x18));
	EXPECT_EQ(0u, sdp_format_width(0x40));
	EXPECT_EQ(0u, sdp_format_width(0xff));
}

TEST(data_reports)
{
	struct sdp_cmd cmd = { .type = SDP_WRITE_FILE };

	cmd.count = 1;
	EXPECT_EQ(1u, sdp_cmd_data_reports(&cmd));
	cmd.count = 1024;
	EXPECT_EQ(1u, sdp_cmd_data_reports(&cmd));
	cmd.count = 1025;
	EXPECT_EQ(2u, sdp_cmd_data_reports(&cmd));
	cmd.count = 0x200000;
	EXPECT_EQ(2048u, sdp_cmd_data_reports(&cmd));
	cmd.count = 0xffffffff;
	EXPECT_EQ(0x400000u, sdp_cmd_data_reports(&cmd));
	cmd.count = 0;
	EXPECT_EQ(0u, sdp_cmd_data_reports(&cmd));
	cmd.type = SDP_DCD_WRITE;
	cmd.count = 1768;
	EXPECT_EQ(2u, sdp_cmd_data_reports(&cmd));
	cmd.type = SDP_READ_REGISTER;
	cmd.count = 4096;
	EXPECT_EQ(0u, sdp_cmd_data_reports(&cmd));
	cmd.type = SDP_WRITE_REGISTER;
	EXPECT_EQ(0u, sdp_cmd_data_reports(&cmd));
	cmd.type = SDP_JUMP_ADDRESS;
	EXPECT_EQ(0u, sdp_cmd_data_reports(&cmd));
}

/* ---- HAB names ---- */

struct code_name {
	u8 code;
	const char *name;
};

static const struct code_name reasons[] = {
	{ 0x00, "any" }, { 0x03, "unsupported command" },
	{ 0x05, "invalid IVT" }, { 0x06, "invalid command" },
	{ 0x09, "unsuitable state" }, { 0x0a, "unsupported engine" },
	{ 0x0c, "invalid assertion" }, { 0x0f, "invalid index" },
	{ 0x11, "invalid CSF" }, { 0x12, "unsupported algorithm" },
	{ 0x14, "unsupported protocol" }, { 0x17, "invalid size" },
	{ 0x18, "invalid signature" }, { 0x1b, "unsupported key" },
	{ 0x1d, "invalid key" }, { 0x1e, "invalid return" },
	{ 0x21, "invalid certificate" }, { 0x22, "invalid address" },
	{ 0x24, "unsupported item" }, { 0x27, "invalid DCD" },
	{ 0x28, "invalid call" }, { 0x2b, "counter overflow" },
	{ 0x2d, "storage overflow" }, { 0x2e, "memory failure" },
	{ 0x30, "engine failure" },
};

static const struct code_name contexts[] = {
	{ 0x00, "any" }, { 0xff, "fab" }, { 0xe1, "entry" },
	{ 0x33, "target" }, { 0x0a, "authenticate" }, { 0xdd, "dcd" },
	{ 0xcf, "csf" }, { 0xc0, "command" }, { 0xdb, "auth data" },
	{ 0xa0, "assert" }, { 0xee, "exit" },
};

static const struct code_name statuses[] = {
	{ 0x33, "failure" }, { 0x69, "warning" }, { 0xf0, "success" },
};

static bool listed(const struct code_name *t, size_t n, unsigned int c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].code == c)
			return true;
	return false;
}

#define N(t) (sizeof(t) / sizeof((t)[0]))

TEST(hab_names)
{
	unsigned int c;
	size_t i;

	for (i = 0; i < N(reasons); i++)
		EXPECT_STREQ(reasons[i].name,
			     sdp_hab_reason_name(reasons[i].code));
	for (i = 0; i < N(contexts); i++)
		EXPECT_STREQ(contexts[i].name,
			     sdp_hab_context_name(contexts[i].code));
	for (i = 0; i < N(statuses); i++)
		EXPECT_STREQ(statuses[i].name,
			     sdp_hab_status_name(statuses[i].code));

	/* everything else is "unknown", never NULL */
	for (c = 0; c < 256; c++) {
		if (!listed(reasons, N(reasons), c))
			EXPECT_STREQ("unknown", sdp_hab_reason_name(c));
		if (!listed(contexts, N(contexts), c))
			EXPECT_STREQ("unknown", sdp_hab_context_name(c));
		if (!listed(statuses, N(statuses), c))
			EXPECT_STREQ("unknown", sdp_hab_status_name(c));
	}
	EXPECT_STREQ("CAAM", sdp_hab_engine_name(HAB_ENG_CAAM));
	EXPECT_STREQ("DCP", sdp_hab_engine_name(0x1b));
	EXPECT_STREQ("unknown", sdp_hab_engine_name(0x42));
}

TEST(command_names)
{
	EXPECT_STREQ("READ_REGISTER", sdp_cmd_name(0x0101));
	EXPECT_STREQ("WRITE_REGISTER", sdp_cmd_name(0x0202));
	EXPECT_STREQ("WRITE_FILE", sdp_cmd_name(0x0404));
	EXPECT_STREQ("ERROR_STATUS", sdp_cmd_name(0x0505));
	EXPECT_STREQ("WRITE_CSF", sdp_cmd_name(0x0606));
	EXPECT_STREQ("DCD_WRITE", sdp_cmd_name(0x0a0a));
	EXPECT_STREQ("JUMP_ADDRESS", sdp_cmd_name(0x0b0b));
	EXPECT_STREQ("SKIP_DCD_HEADER", sdp_cmd_name(0x0c0c));
	EXPECT_EQ(NULL, sdp_cmd_name(0x0d0d));
	EXPECT_EQ(NULL, sdp_cmd_name(0x0104));
}

/* ---- status words ---- */

static const char *fmt(char *buf, size_t size, u32 status)
{
	int n = sdp_status_format(buf, size, status);

	/* snprintf semantics: the full length is returned */
	if (n < 0 || (size_t)n != strlen(buf))
		return "<bad return value>";
	return buf;
}

TEST(status_words_wire_order)
{
	static const u8 skip_dcd[4] = { 0x09, 0xd0, 0x0d, 0x90 };
	static const u8 hab_open[4] = { 0x56, 0x78, 0x78, 0x56 };
	static const u8 hab_closed[4] = { 0x12, 0x34, 0x34, 0x12 };
	static const u8 ack[4] = { 0x12, 0x8a, 0x8a, 0x12 };
	static const u8 event[4] = { 0x33, 0x22, 0x0a, 0x00 };

	EXPECT_EQ(SDP_ACK_SKIP_DCD, imxf_get_le32(skip_dcd));
	EXPECT_EQ(SDP_HAB_OPEN, imxf_get_le32(hab_open));
	EXPECT_EQ(SDP_HAB_CLOSED, imxf_get_le32(hab_closed));
	EXPECT_EQ(SDP_ACK_WRITE, imxf_get_le32(ack));
	EXPECT_EQ(SDP_HAB_EVENT(0x33, 0x22, 0x0a, 0x00),
		  imxf_get_le32(event));
	EXPECT_EQ(0x33, SDP_HAB_EVT_STATUS(imxf_get_le32(event)));
	EXPECT_EQ(0x22, SDP_HAB_EVT_REASON(imxf_get_le32(event)));
	EXPECT_EQ(0x0a, SDP_HAB_EVT_CONTEXT(imxf_get_le32(event)));
	EXPECT_EQ(0x00, SDP_HAB_EVT_ENGINE(imxf_get_le32(event)));
}

TEST(status_format)
{
	char b[128];

	EXPECT_STREQ("0x88888888 (WRITE_FILE complete)",
		     fmt(b, sizeof(b), SDP_ACK_FILE));
	EXPECT_STREQ("0x128a8a12 (WRITE_REGISTER/DCD_WRITE complete)",
		     fmt(b, sizeof(b), SDP_ACK_WRITE));
	EXPECT_STREQ("0x900dd009 (SKIP_DCD_HEADER complete)",
		     fmt(b, sizeof(b), SDP_ACK_SKIP_DCD));
	EXPECT_STREQ("0xf0f0f0f0 (no error)",
		     fmt(b, sizeof(b), SDP_STATUS_OK));
	EXPECT_STREQ("0x56787856 (HAB open)", fmt(b, sizeof(b), SDP_HAB_OPEN));
	EXPECT_STREQ("0x12343412 (HAB closed)",
		     fmt(b, sizeof(b), SDP_HAB_CLOSED));
	EXPECT_STREQ("0x00000000 (no error (U-Boot))", fmt(b, sizeof(b), 0));
	EXPECT_STREQ("0x12345678 (unknown status)",
		     fmt(b, sizeof(b), 0x12345678));
}

TEST(status_format_hab_event)
{
	char b[128];

	EXPECT_STREQ("HAB event 33 22 0a 00: failure, invalid address, authenticate",
		     fmt(b, sizeof(b), SDP_HAB_EVENT(0x33, 0x22, 0x0a, 0)));
	/* U-Boot's "not an IMX header" */
	EXPECT_STREQ("HAB event 33 05 0a 00: failure, invalid IVT, authenticate",
		     fmt(b, sizeof(b), 0x000a0533));
	EXPECT_STREQ("HAB event 69 27 dd 00: warning, invalid DCD, dcd",
		     fmt(b, sizeof(b), SDP_HAB_EVENT(0x69, 0x27, 0xdd, 0)));
	EXPECT_STREQ("HAB event 33 18 cf 1d: failure, invalid signature, csf, engine CAAM",
		     fmt(b, sizeof(b),
			 SDP_HAB_EVENT(0x33, 0x18, 0xcf, 0x1d)));
	EXPECT_STREQ("HAB event 33 99 42 00: failure, reason 0x99, context 0x42",
		     fmt(b, sizeof(b), SDP_HAB_EVENT(0x33, 0x99, 0x42, 0)));
	EXPECT_STREQ("HAB event 33 00 00 42: failure, any, any, engine 0x42",
		     fmt(b, sizeof(b), SDP_HAB_EVENT(0x33, 0, 0, 0x42)));
}

TEST(status_format_truncation)
{
	const char *full = "HAB event 33 22 0a 00: failure, invalid address, authenticate";
	u32 ev = SDP_HAB_EVENT(0x33, 0x22, 0x0a, 0);
	char b[128];
	size_t size;
	int n;

	for (size = 1; size <= strlen(full) + 1; size++) {
		memset(b, 'X', sizeof(b));
		n = sdp_status_format(b, size, ev);
		ASSERT_EQ((int)strlen(full), n);
		ASSERT_EQ(size - 1, strlen(b));
		ASSERT_EQ(0, strncmp(full, b, size - 1));
		/* nothing written past the buffer */
		ASSERT_EQ('X', b[size]);
	}
	EXPECT_EQ((int)strlen(full), sdp_status_format(NULL, 0, ev));
}

/* ---- report descriptor ("Reports"), typed in independently ---- */

TEST(report_descriptor)
{
	static const u8 expect[] = {
		0x06, 0x00, 0xFF, 0x09, 0x01, 0xA1, 0x01,
		0x85, 0x01, 0x19, 0x01, 0x29, 0x01, 0x15, 0x00, 0x26, 0xFF,
		0x00, 0x75, 0x08, 0x95, 0x10, 0x91, 0x02,
		0x85, 0x02, 0x19, 0x01, 0x29, 0x01, 0x15, 0x00, 0x26, 0xFF,
		0x00, 0x75, 0x80, 0x95, 0x40, 0x91, 0x02,
		0x85, 0x03, 0x19, 0x01, 0x29, 0x01, 0x15, 0x00, 0x26, 0xFF,
		0x00, 0x75, 0x08, 0x95, 0x04, 0x81, 0x02,
		0x85, 0x04, 0x19, 0x01, 0x29, 0x01, 0x15, 0x00, 0x26, 0xFF,
		0x00, 0x75, 0x08, 0x95, 0x40, 0x81, 0x02,
		0xC0,
	};
	size_t i;

	ASSERT_EQ(76u, sizeof(expect));
	ASSERT_EQ(76u, sizeof(sdp_report_desc));
	for (i = 0; i < sizeof(expect); i++)
		EXPECT_EQ(expect[i], sdp_report_desc[i]) {
			TH_LOG("byte %zu", i);
		}
}

TEST_HARNESS_MAIN
