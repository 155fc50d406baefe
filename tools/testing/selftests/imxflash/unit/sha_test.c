// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for userspace/lib/sha1.c, sha256.c and digest.c:
 *
 *  - the example messages of FIPS 180-2 (appendices A and B) and the
 *    NIST CSRC examples: "abc", the empty message, the 448-bit and the
 *    896-bit messages, one million 'a';
 *  - every message of 0..300 bytes hashed in one update and in updates
 *    split at every position, equal (the padding cases around 55/56/64
 *    bytes included), and compared with sha1sum/sha256sum of the same
 *    bytes for a sample of lengths;
 *  - the digest dispatch (names, lengths) and hex conversion.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digest.h"
#include "kselftest_harness.h"

static const char msg448[] =
	"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char msg896[] =
	"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

static const struct {
	const char *msg;	/* NULL: one million 'a' */
	const char *sha1, *sha256;
} vectors[] = {
	{ "abc", "a9993e364706816aba3e25717850c26c9cd0d89d",
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "", "da39a3ee5e6b4b0d3255bfef95601890afd80709",
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ msg448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ msg896, "a49b2446a02c645bf419f995b67091253a04a259",
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	{ NULL, "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
	  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
};

static void hex_of(enum digest_type t, const void *p, size_t len, char *hex)
{
	u8 d[DIGEST_MAX_LEN];
	struct digest_ctx c;

	digest_init(&c, t);
	digest_update(&c, p, len);
	digest_final(&c, d);
	digest_to_hex(d, digest_len(t), hex);
}

TEST(fips_vectors)
{
	char hex[2 * DIGEST_MAX_LEN + 1];
	const char *msg;
	size_t i, len;
	char *mil;
	u8 d[SHA256_DIGEST_LEN];

	mil = malloc(1000000);
	ASSERT_NE(NULL, mil);
	memset(mil, 'a', 1000000);
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		msg = vectors[i].msg ? vectors[i].msg : mil;
		len = vectors[i].msg ? strlen(msg) : 1000000;
		hex_of(DIGEST_SHA1, msg, len, hex);
		EXPECT_STREQ(vectors[i].sha1, hex);
		hex_of(DIGEST_SHA256, msg, len, hex);
		EXPECT_STREQ(vectors[i].sha256, hex);
		/* the one-shot helpers agree */
		sha256_digest(msg, len, d);
		digest_to_hex(d, SHA256_DIGEST_LEN, hex);
		EXPECT_STREQ(vectors[i].sha256, hex);
		sha1_digest(msg, len, d);
		digest_to_hex(d, SHA1_DIGEST_LEN, hex);
		EXPECT_STREQ(vectors[i].sha1, hex);
	}
	free(mil);
}

/* Every split point of every length up to 300 bytes gives one digest. */
TEST(split_updates)
{
	u8 msg[300], one[DIGEST_MAX_LEN], two[DIGEST_MAX_LEN];
	struct digest_ctx c;
	enum digest_type t;
	size_t len, cut, i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (u8)(i * 131 + 7);
	for (t = DIGEST_SHA1; t <= DIGEST_SHA256; t++) {
		for (len = 0; len <= sizeof(msg); len++) {
			digest_init(&c, t);
			digest_update(&c, msg, len);
			digest_final(&c, one);
			for (cut = 0; cut <= len; cut++) {
				digest_init(&c, t);
				digest_update(&c, msg, cut);
				digest_update(&c, msg + cut, 0);
				digest_update(&c, msg + cut, len - cut);
				digest_final(&c, two);
				ASSERT_EQ(0, memcmp(one, two, digest_len(t))) {
					TH_LOG("%s: length %zu cut at %zu",
					       digest_name(t), len, cut);
				}
			}
		}
	}
}

/* Lengths around the padding boundaries against coreutils. */
TEST(against_coreutils)
{
	static const size_t lens[] = { 1, 55, 56, 57, 63, 64, 65, 119, 120,
				       128, 1000, 4096, 65537 };
	char path[] = "/tmp/sha_testXXXXXX";
	char cmd[128], out[2 * DIGEST_MAX_LEN + 8], hex[2 * DIGEST_MAX_LEN + 1];
	enum digest_type t;
	u8 *buf;
	FILE *p;
	size_t i, j;
	int fd;

	buf = malloc(65537);
	ASSERT_NE(NULL, buf);
	for (j = 0; j < 65537; j++)
		buf[j] = (u8)(j * 2654435761u >> 24);
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		ASSERT_EQ(0, ftruncate(fd, 0));
		ASSERT_EQ((ssize_t)lens[i], pwrite(fd, buf, lens[i], 0));
		for (t = DIGEST_SHA1; t <= DIGEST_SHA256; t++) {
			snprintf(cmd, sizeof(cmd), "%ssum %s", digest_name(t),
				 path);
			p = popen(cmd, "r");
			ASSERT_NE(NULL, p);
			ASSERT_NE(NULL, fgets(out, sizeof(out), p));
			ASSERT_EQ(0, pclose(p));
			out[2 * digest_len(t)] = '\0';
			hex_of(t, buf, lens[i], hex);
			EXPECT_STREQ(out, hex) {
				TH_LOG("%s of %zu bytes", digest_name(t),
				       lens[i]);
			}
		}
	}
	close(fd);
	unlink(path);
	free(buf);
}

TEST(dispatch_and_hex)
{
	u8 d[4];
	char hex[9];

	EXPECT_EQ(20u, digest_len(DIGEST_SHA1));
	EXPECT_EQ(32u, digest_len(DIGEST_SHA256));
	EXPECT_EQ(0u, digest_len(DIGEST_NONE));
	EXPECT_EQ((int)DIGEST_SHA256, (int)digest_from_name("sha256", 6));
	EXPECT_EQ((int)DIGEST_SHA256, (int)digest_from_name("SHA256", 6));
	EXPECT_EQ((int)DIGEST_SHA1, (int)digest_from_name("sha1", 4));
	EXPECT_EQ((int)DIGEST_NONE, (int)digest_from_name("sha512", 6));
	EXPECT_EQ((int)DIGEST_NONE, (int)digest_from_name("sha25", 5));
	EXPECT_EQ((int)DIGEST_NONE, (int)digest_from_name("md5", 3));
	EXPECT_STREQ("sha1", digest_name(DIGEST_SHA1));
	EXPECT_STREQ("sha256", digest_name(DIGEST_SHA256));

	ASSERT_EQ(0, digest_from_hex("00aFf09b", 8, d, 4));
	EXPECT_EQ(0x00, d[0]);
	EXPECT_EQ(0xaf, d[1]);
	EXPECT_EQ(0xf0, d[2]);
	EXPECT_EQ(0x9b, d[3]);
	digest_to_hex(d, 4, hex);
	EXPECT_STREQ("00aff09b", hex);
	EXPECT_EQ(-EINVAL, digest_from_hex("00aff09", 7, d, 4));
	EXPECT_EQ(-EINVAL, digest_from_hex("00aff09b00", 10, d, 4));
	EXPECT_EQ(-EINVAL, digest_from_hex("00agf09b", 8, d, 4));
	EXPECT_EQ(-EINVAL, digest_from_hex("00 ff09b", 8, d, 4));
}

TEST_HARNESS_MAIN
