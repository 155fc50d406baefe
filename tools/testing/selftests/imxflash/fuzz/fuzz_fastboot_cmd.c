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
static void check_span(const char *buf, size_t n, struct fb_span s)
{
	u16 i;

	CHECK((size_t)s.off + s.len <= n);
	for (i = 0; i < s.len; i++)
		CHECK(buf[s.off + i] >= ' ' && buf[s.off + i] < 0x7f);
}

static void check_cmd(const char *buf, size_t size, const struct fb_cmd *c)
{
	const char *nul = memchr(buf, '\0', size);
	size_t n = nul ? (size_t)(nul - buf) : size;
	u64 raw;
	int ret;

	CHECK(c->id > FB_CMD_NONE && c->id < FB_CMD_NR);
	CHECK(strcmp(fb_cmd_name(c->id), "unknown"));
	CHECK(c->var < FB_VAR_NR);
	CHECK(c->id == FB_CMD_GETVAR || c->var == FB_VAR_OTHER);
	CHECK(!c->rsvd);
	CHECK(!(c->flags & ~(FB_CMD_F_RAW | FB_CMD_F_OFFSET | FB_CMD_F_SIZE)));
	CHECK(c->name.off == 0 && c->name.len);
	check_span(buf, n, c->name);
	check_span(buf, n, c->arg);
	check_span(buf, n, c->word);
	check_span(buf, n, c->target);
	/* the argument follows the name and its separator */
	CHECK(c->arg.off == c->name.len + 1 ||
	      (c->arg.off == c->name.len && !c->arg.len));

	switch (c->id) {
	case FB_CMD_DOWNLOAD:
		CHECK(c->size && c->arg.len == FB_DOWNLOAD_DIGITS);
		break;
	case FB_CMD_FLASH:
	case FB_CMD_ERASE:
	case FB_CMD_FETCH:
		CHECK(c->target.len && c->target.len <= FB_NAME_MAX);
		ret = fb_part_parse(buf + c->target.off, c->target.len, &raw,
				    NULL);
		CHECK(ret == !!(c->flags & FB_CMD_F_RAW));
		if (c->id != FB_CMD_FETCH)
			CHECK(!ret || raw == c->offset);
		if (c->flags & FB_CMD_F_SIZE)
			CHECK(c->length &&
			      c->offset + c->length >= c->offset);
		else
			CHECK(!c->length);
		break;
	case FB_CMD_SET_ACTIVE:
		CHECK(c->target.len == 1);
		CHECK(buf[c->target.off] >= 'a' && buf[c->target.off] <= 'z');
		break;
	case FB_CMD_OEM:
	case FB_CMD_UCMD:
	case FB_CMD_ACMD:
		CHECK(c->arg.len);
		break;
	case FB_CMD_GETVAR:
		CHECK(c->word.len && c->word.len <= FB_NAME_MAX);
		CHECK(c->var == FB_VAR_OTHER ||
		      fb_span_eq(buf, c->word, fb_var_name(c->var)) ||
		      c->var == FB_VAR_MAX_DOWNLOAD_SIZE);
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	const char *buf = (const char *)data, *why = NULL;
	char resp[FB_RESP_BUF_LEN + 8];
	struct fb_cmd c, again;
	int ret, n, i;
	u64 raw = 0;

	ret = fb_cmd_parse(&c, buf, size, &why);
	CHECK(ret == 0 || ret == -ENODATA || ret == -EMSGSIZE ||
	      ret == -EOPNOTSUPP || ret == -EINVAL || ret == -ERANGE);
	CHECK(ret ? why != NULL : why == NULL);
	CHECK(size <= FB_CMD_MAX || ret == -EMSGSIZE);
	if (!ret) {
		check_cmd(buf, size, &c);
	} else {
		CHECK(c.id == FB_CMD_NONE && !c.arg.len && !c.target.len);
		CHECK(c.name.len <= size);
	}
	/* deterministic, and @why is optional */
	CHECK(fb_cmd_parse(&again, buf, size, NULL) == ret);
	CHECK(!memcmp(&c, &again, sizeof(c)));

	ret = fb_part_parse(buf, size, &raw, &why);
	CHECK(ret == 0 || ret == 1 || ret == -EINVAL || ret == -ERANGE);
	CHECK(ret < 0 ? why != NULL : why == NULL);
	CHECK(ret < 0 || (size && size <= FB_NAME_MAX));

	/* the input as a response payload: never more than 64 bytes */
	memset(resp, 0x7f, sizeof(resp));
	n = fb_resp(resp, size % 2 ? "INFO" : "FAIL", "%.*s",
		    (int)(size > 4096 ? 4096 : size), buf);
	CHECK(n >= FB_RESP_TAG_LEN && n <= FB_RESP_MAX);
	CHECK((size_t)n == strlen(resp));
	for (i = FB_RESP_TAG_LEN; i < n; i++)
		CHECK(resp[i] >= ' ' && resp[i] < 0x7f);
	for (i = FB_RESP_BUF_LEN; i < (int)sizeof(resp); i++)
		CHECK(resp[i] == 0x7f);
	if (size >= 4) {
		char tag[5];

		memcpy(tag, buf, 4);
		tag[4] = '\0';
		n = fb_resp(resp, tag, NULL);
		CHECK(n == -EINVAL || n == FB_RESP_TAG_LEN);
		CHECK(n < 0 ? !resp[0] : !memcmp(resp, tag, 5));
		n = fb_resp_data(resp, imxf_get_le32(data));
		CHECK(n == 12 && strlen(resp) == 12);
	}
	return 0;
}
