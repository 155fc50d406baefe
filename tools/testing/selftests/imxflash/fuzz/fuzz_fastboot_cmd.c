// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: fastboot command parser and response formatting.
 * The input is one command packet; it is also used as a partition name
 * and as a response payload.
 */
#include <stdlib.h>
#include <string.h>

#include <imxflash/fastboot_cmd.h>

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

/* Every byte of a span is printable ASCII (the parser rejects the rest). */
static void check_span(const char *buf, size_t n, struct fastboot_span s)
{
	u16 i;

	CHECK((size_t)s.off + s.len <= n);
	for (i = 0; i < s.len; i++)
		CHECK(buf[s.off + i] >= ' ' && buf[s.off + i] < 0x7f);
}

static void check_cmd(const char *buf, size_t size, const struct fastboot_command *c)
{
	const char *nul = memchr(buf, '\0', size);
	size_t n = nul ? (size_t)(nul - buf) : size;
	u64 raw;
	int ret;

	CHECK(c->id > FASTBOOT_CMD_ID_NONE && c->id < FASTBOOT_CMD_ID_NR);
	CHECK(strcmp(fastboot_cmd_name(c->id), "unknown"));
	CHECK(c->var < FASTBOOT_VAR_NR);
	CHECK(c->id == FASTBOOT_CMD_ID_GETVAR || c->var == FASTBOOT_VAR_OTHER);
	CHECK(!c->rsvd);
	CHECK(!(c->flags & ~(FASTBOOT_CMD_F_RAW | FASTBOOT_CMD_F_OFFSET | FASTBOOT_CMD_F_SIZE)));
	CHECK(c->name.off == 0 && c->name.len);
	check_span(buf, n, c->name);
	check_span(buf, n, c->arg);
	check_span(buf, n, c->word);
	check_span(buf, n, c->target);
	/* the argument follows the name and its separator */
	CHECK(c->arg.off == c->name.len + 1 ||
	      (c->arg.off == c->name.len && !c->arg.len));

	switch (c->id) {
	case FASTBOOT_CMD_ID_DOWNLOAD:
		CHECK(c->size && c->arg.len == FASTBOOT_DOWNLOAD_DIGITS);
		break;
	case FASTBOOT_CMD_ID_FLASH:
	case FASTBOOT_CMD_ID_ERASE:
	case FASTBOOT_CMD_ID_FETCH:
		CHECK(c->target.len && c->target.len <= FASTBOOT_NAME_MAX);
		ret = fastboot_part_parse(buf + c->target.off, c->target.len, &raw,
				    NULL);
		CHECK(ret == !!(c->flags & FASTBOOT_CMD_F_RAW));
		if (c->id != FASTBOOT_CMD_ID_FETCH)
			CHECK(!ret || raw == c->offset);
		if (c->flags & FASTBOOT_CMD_F_SIZE)
			CHECK(c->length &&
			      c->offset + c->length >= c->offset);
		else
			CHECK(!c->length);
		break;
	case FASTBOOT_CMD_ID_SET_ACTIVE:
		CHECK(c->target.len == 1);
		CHECK(buf[c->target.off] >= 'a' && buf[c->target.off] <= 'z');
		break;
	case FASTBOOT_CMD_ID_OEM:
	case FASTBOOT_CMD_ID_UCMD:
	case FASTBOOT_CMD_ID_ACMD:
		CHECK(c->arg.len);
		break;
	case FASTBOOT_CMD_ID_GETVAR:
		CHECK(c->word.len && c->word.len <= FASTBOOT_NAME_MAX);
		CHECK(c->var == FASTBOOT_VAR_OTHER ||
		      fastboot_span_eq(buf, c->word, fastboot_var_name(c->var)) ||
		      c->var == FASTBOOT_VAR_MAX_DOWNLOAD_SIZE);
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	const char *buf = (const char *)data, *why = NULL;
	char resp[FASTBOOT_RESP_BUF_LEN + 8];
	struct fastboot_command c, again;
	int ret, n, i;
	u64 raw = 0;

	ret = fastboot_cmd_parse(&c, buf, size, &why);
	CHECK(ret == 0 || ret == -ENODATA || ret == -EMSGSIZE ||
	      ret == -EOPNOTSUPP || ret == -EINVAL || ret == -ERANGE);
	CHECK(ret ? why != NULL : why == NULL);
	CHECK(size <= FASTBOOT_CMD_ID_MAX || ret == -EMSGSIZE);
	if (!ret) {
		check_cmd(buf, size, &c);
	} else {
		CHECK(c.id == FASTBOOT_CMD_ID_NONE && !c.arg.len && !c.target.len);
		CHECK(c.name.len <= size);
	}
	/* deterministic, and @why is optional */
	CHECK(fastboot_cmd_parse(&again, buf, size, NULL) == ret);
	CHECK(!memcmp(&c, &again, sizeof(c)));

	ret = fastboot_part_parse(buf, size, &raw, &why);
	CHECK(ret == 0 || ret == 1 || ret == -EINVAL || ret == -ERANGE);
	CHECK(ret < 0 ? why != NULL : why == NULL);
	CHECK(ret < 0 || (size && size <= FASTBOOT_NAME_MAX));

	/* the input as a response payload: never more than 64 bytes */
	memset(resp, 0x7f, sizeof(resp));
	n = fastboot_resp(resp, size % 2 ? "INFO" : "FAIL", "%.*s",
		    (int)(size > 4096 ? 4096 : size), buf);
	CHECK(n >= FASTBOOT_RESP_TAG_LEN && n <= FASTBOOT_RESP_MAX);
	CHECK((size_t)n == strlen(resp));
	for (i = FASTBOOT_RESP_TAG_LEN; i < n; i++)
		CHECK(resp[i] >= ' ' && resp[i] < 0x7f);
	for (i = FASTBOOT_RESP_BUF_LEN; i < (int)sizeof(resp); i++)
		CHECK(resp[i] == 0x7f);
	if (size >= 4) {
		char tag[5];

		memcpy(tag, buf, 4);
		tag[4] = '\0';
		n = fastboot_resp(resp, tag, NULL);
		CHECK(n == -EINVAL || n == FASTBOOT_RESP_TAG_LEN);
		CHECK(n < 0 ? !resp[0] : !memcmp(resp, tag, 5));
		n = fastboot_resp_data(resp, imxf_get_le32(data));
		CHECK(n == 12 && strlen(resp) == 12);
	}
	return 0;
}
