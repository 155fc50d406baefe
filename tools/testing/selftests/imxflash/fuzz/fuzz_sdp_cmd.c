// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: SDP command block decode, validate, re-encode, and
 * status word formatting (input = payload of report 1; its first 4 bytes
 * double as a report 4 status word).
 */
#include <stdlib.h>
#include <string.h>

#include <imxflash/sdp_proto.h>

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u8 enc[SDP_CMD_LEN];
	struct sdp_cmd cmd, again;
	const char *why = NULL;
	char text[96];
	size_t tsize;
	u32 status;
	int ret, n;

	ret = sdp_cmd_decode(&cmd, data, size, &why);
	CHECK(ret == 0 || ret == -EMSGSIZE || ret == -EPROTO ||
	      ret == -EOPNOTSUPP);
	CHECK(ret ? why != NULL : why == NULL);
	if (ret != -EMSGSIZE) {
		/* the block survives a round trip whatever its content */
		sdp_cmd_encode(&cmd, enc);
		CHECK(!memcmp(enc, data, SDP_CMD_LEN));
	}
	if (!ret) {
		CHECK(sdp_cmd_name(cmd.type) != NULL);
		ret = sdp_cmd_validate(&cmd, &why);
		CHECK(ret == 0 || (ret == -EINVAL && why));
		CHECK(!sdp_cmd_decode(&again, enc, sizeof(enc), NULL));
		CHECK(again.type == cmd.type && again.addr == cmd.addr &&
		      again.count == cmd.count && again.data == cmd.data);
		CHECK(sdp_cmd_data_reports(&cmd) <= 0x400000);
		if (!ret && (cmd.type == SDP_READ_REGISTER ||
			     cmd.type == SDP_WRITE_REGISTER))
			CHECK(sdp_format_width(cmd.format));
	}

	if (size < 4)
		return 0;
	status = imxf_get_le32(data);
	/* every buffer size from 0 up, snprintf semantics */
	tsize = size > 4 ? data[4] % sizeof(text) : sizeof(text);
	memset(text, 0x7f, sizeof(text));
	n = sdp_status_format(tsize ? text : NULL, tsize, status);
	CHECK(n > 0 && n < (int)sizeof(text));
	if (tsize) {
		CHECK(strlen(text) == ((size_t)n < tsize ? (size_t)n :
				       tsize - 1));
		if (tsize < sizeof(text))
			CHECK(text[tsize] == 0x7f);
	}
	CHECK(sdp_hab_status_name(data[0]) && sdp_hab_reason_name(data[1]) &&
	      sdp_hab_context_name(data[2]) && sdp_hab_engine_name(data[3]));
	return 0;
}
