// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for the response side of lib/imxflash/fastboot_cmd.c
 * (fastboot_resp, fastboot_vresp, fastboot_resp_data): the tags of
 * Documentation/fastboot-protocol.rst, "Responses", the 64-byte packet
 * limit (payloads cut at 60 characters, never a byte past
 * FASTBOOT_RESP_BUF_LEN), and non-printable bytes replaced by '?'.
 * Command parsing is in fastboot_cmd_test.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include <imxflash/fastboot_cmd.h>

#include "kselftest_harness.h"

#define CANARY 0x7f

static bool canary_ok(const char *buf, size_t from, size_t size)
{
	size_t i;

	for (i = from; i < size; i++)
		if (buf[i] != CANARY)
			return false;
	return true;
}

TEST(resp_basic)
{
	char buf[FASTBOOT_RESP_BUF_LEN + 16];

	memset(buf, CANARY, sizeof(buf));
	EXPECT_EQ(4, fastboot_resp(buf, "OKAY", NULL));
	EXPECT_STREQ("OKAY", buf);
	EXPECT_EQ(14, fastboot_resp(buf, "OKAY", "0x%08x", 0x1000000));
	EXPECT_STREQ("OKAY0x01000000", buf);
	EXPECT_EQ(24, fastboot_resp(buf, "FAIL", "%s", "unrecognized command"));
	EXPECT_STREQ("FAILunrecognized command", buf);
	EXPECT_EQ(16, fastboot_resp(buf, "INFO", "%s: %s", "product", "imx"));
	EXPECT_STREQ("INFOproduct: imx", buf);
	EXPECT_EQ(12, fastboot_resp(buf, "DATA", "%08x", 0x301000));
	EXPECT_STREQ("DATA00301000", buf);
	EXPECT_EQ(4, fastboot_resp(buf, "OKAY", "%s", ""));
	EXPECT_STREQ("OKAY", buf);
	EXPECT_TRUE(canary_ok(buf, FASTBOOT_RESP_BUF_LEN, sizeof(buf)));
}

TEST(resp_bad_tag)
{
	char buf[FASTBOOT_RESP_BUF_LEN];

	memset(buf, CANARY, sizeof(buf));
	EXPECT_EQ(-EINVAL, fastboot_resp(buf, "TEXT", "hello"));
	EXPECT_STREQ("", buf);
	EXPECT_EQ(-EINVAL, fastboot_resp(buf, "OKAYX", NULL));
	EXPECT_EQ(-EINVAL, fastboot_resp(buf, "OKA", NULL));
	EXPECT_EQ(-EINVAL, fastboot_resp(buf, "okay", NULL));
	EXPECT_EQ(-EINVAL, fastboot_resp(buf, "", NULL));
	EXPECT_EQ(-EINVAL, fastboot_resp(buf, NULL, NULL));
	EXPECT_STREQ("", buf);
}

TEST(resp_truncation)
{
	char buf[FASTBOOT_RESP_BUF_LEN + 16], text[300];
	size_t n;

	for (n = 0; n < sizeof(text) - 1; n++) {
		memset(text, 'a', n);
		text[n] = '\0';
		memset(buf, CANARY, sizeof(buf));
		ASSERT_EQ((int)(4 + (n < 60 ? n : 60)),
			  fastboot_resp(buf, "FAIL", "%s", text));
		ASSERT_EQ(4 + (n < 60 ? n : 60), strlen(buf));
		ASSERT_EQ(0, memcmp(buf, "FAIL", 4));
		ASSERT_TRUE(canary_ok(buf, FASTBOOT_RESP_BUF_LEN, sizeof(buf)));
	}
	/* exactly 64 bytes with a 60-character payload */
	memset(text, 'b', 60);
	text[60] = '\0';
	EXPECT_EQ(FASTBOOT_RESP_MAX, fastboot_resp(buf, "INFO", "%s", text));
	EXPECT_EQ((size_t)FASTBOOT_RESP_MAX, strlen(buf));
	/* the cut may fall inside a conversion */
	EXPECT_EQ(FASTBOOT_RESP_MAX, fastboot_resp(buf, "INFO", "%58s%08x", "", 0x12345678));
	EXPECT_STREQ("12", buf + 62);
}

TEST(resp_sanitise)
{
	char buf[FASTBOOT_RESP_BUF_LEN];

	EXPECT_EQ(10, fastboot_resp(buf, "INFO", "a\nb\x01%c\xff", 'c'));
	EXPECT_STREQ("INFOa?b?c?", buf);
	/* an embedded NUL from %c is not a terminator on the wire */
	EXPECT_EQ(7, fastboot_resp(buf, "FAIL", "x%cy", 0));
	EXPECT_EQ(0, memcmp(buf, "FAILx?y", 8));
	EXPECT_EQ(8, fastboot_resp(buf, "OKAY", "\t\r\x7f\x80"));
	EXPECT_STREQ("OKAY????", buf);
}

TEST(resp_data)
{
	char buf[FASTBOOT_RESP_BUF_LEN];

	EXPECT_EQ(12, fastboot_resp_data(buf, 0x100000));
	EXPECT_STREQ("DATA00100000", buf);
	EXPECT_EQ(12, fastboot_resp_data(buf, 0xffffffff));
	EXPECT_STREQ("DATAffffffff", buf);
	EXPECT_EQ(12, fastboot_resp_data(buf, 0));
	EXPECT_STREQ("DATA00000000", buf);
	EXPECT_EQ(9, fastboot_resp(buf, "OKAY", "%d%s", 4, "2abc"));
	EXPECT_STREQ("OKAY42abc", buf);
}

TEST_HARNESS_MAIN
