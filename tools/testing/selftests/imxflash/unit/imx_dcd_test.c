// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for the DCD part of lib/imxflash/imx_image.c: the builder,
 * structure checks and execution against a small array-backed memory.
 */
#include <imxflash/imx_image.h>

#include "kselftest_harness.h"

#define MEM_BASE	0x1000u
#define MEM_SIZE	0x100u

/* Little-endian byte memory at MEM_BASE; anything else faults. */
struct mem {
	u8 b[MEM_SIZE];
	unsigned int reads, writes;
	/* "register" at ready_addr reads ready_val after ready_after reads */
	u32 ready_addr;
	u32 ready_val;
	unsigned int ready_after;
	unsigned int ready_reads;
	/* fail the n-th write (1-based), 0 = never */
	unsigned int fail_write;
};

static bool mem_ok(u32 addr, unsigned int width)
{
	return addr >= MEM_BASE && (u64)addr + width <= MEM_BASE + MEM_SIZE;
}

static int mem_read(void *ctx, u32 addr, unsigned int width, u32 *val)
{
	struct mem *m = ctx;
	unsigned int i;
	u32 v = 0;

	if (width != 1 && width != 2 && width != 4)
		return -EINVAL;
	if (!mem_ok(addr, width))
		return -EIO;
	m->reads++;
	if (m->ready_after && addr == m->ready_addr &&
	    ++m->ready_reads >= m->ready_after) {
		*val = m->ready_val;
		return 0;
	}
	for (i = 0; i < width; i++)
		v |= (u32)m->b[addr - MEM_BASE + i] << (8 * i);
	*val = v;
	return 0;
}

static int mem_write(void *ctx, u32 addr, unsigned int width, u32 val)
{
	struct mem *m = ctx;
	unsigned int i;

	if (width != 1 && width != 2 && width != 4)
		return -EINVAL;
	if (!mem_ok(addr, width))
		return -EIO;
	if (m->fail_write && m->writes + 1 == m->fail_write)
		return -EIO;
	m->writes++;
	for (i = 0; i < width; i++)
		m->b[addr - MEM_BASE + i] = (u8)(val >> (8 * i));
	return 0;
}

static const struct imx_dcd_ops ops = {
	.read = mem_read,
	.write = mem_write,
};

static u32 peek(const struct mem *m, u32 addr, unsigned int width)
{
	u32 v = 0;
	unsigned int i;

	for (i = 0; i < width; i++)
		v |= (u32)m->b[addr - MEM_BASE + i] << (8 * i);
	return v;
}

FIXTURE(dcd) {
	struct mem m;
	u8 buf[2048];
	struct imx_dcd_builder b;
	struct imx_dcd_result res;
};

FIXTURE_SETUP(dcd)
{
	memset(&self->m, 0, sizeof(self->m));
	memset(self->buf, 0, sizeof(self->buf));
	memset(&self->res, 0x55, sizeof(self->res));
	imx_dcd_begin(&self->b, self->buf, sizeof(self->buf), IMX_DCD_V40);
}

FIXTURE_TEARDOWN(dcd)
{
}

static int run(struct _test_data_dcd *self)
{
	int len = imx_dcd_end(&self->b);

	if (len < 0)
		return len;
	return imx_dcd_run(self->buf, (size_t)len, &ops, &self->m,
			   &self->res);
}

/* ---- builder ---- */

TEST_F(dcd, builder_bytes)
{
	static const u8 expect[] = {
		0xd2, 0x00, 0x44, 0x40,
		/* two 32-bit writes merged into one command */
		0xcc, 0x00, 0x14, 0x04,
		0x02, 0x0c, 0x40, 0x68, 0xff, 0xff, 0xff, 0xff,
		0x02, 0x0c, 0x40, 0x6c, 0x00, 0xc0, 0x3f, 0x3f,
		/* different parameter: new command */
		0xcc, 0x00, 0x0c, 0x1c,
		0x02, 0x0c, 0x40, 0x70, 0x00, 0x00, 0x00, 0x01,
		/* check without and with count */
		0xcf, 0x00, 0x0c, 0x14,
		0x02, 0x0c, 0x40, 0x68, 0x00, 0x00, 0x00, 0x0f,
		0xcf, 0x00, 0x10, 0x0c,
		0x02, 0x0c, 0x40, 0x68, 0x00, 0x00, 0x00, 0x0f,
		0x00, 0x00, 0x00, 0x64,
		0xc0, 0x00, 0x04, 0x00,
	};
	struct imx_dcd_builder *b = &self->b;

	EXPECT_EQ(16, imx_dcd_add_write(b, 4, 0x020c4068, 0xffffffff));
	EXPECT_EQ(24, imx_dcd_add_write(b, 4, 0x020c406c, 0x00c03f3f));
	EXPECT_EQ(36, imx_dcd_add_write(b, 0x1c, 0x020c4070, 1));
	EXPECT_EQ(48, imx_dcd_add_check(b, 0x14, 0x020c4068, 0xf, 7, false));
	EXPECT_EQ(64, imx_dcd_add_check(b, 0x0c, 0x020c4068, 0xf, 100,
					true));
	EXPECT_EQ(68, imx_dcd_add_nop(b));
	ASSERT_EQ(68, imx_dcd_end(b));
	ASSERT_EQ(sizeof(expect), 68u);
	EXPECT_EQ(0, memcmp(expect, self->buf, sizeof(expect)));
	EXPECT_EQ(0, imx_dcd_check(self->buf, 68, &self->res));
	EXPECT_EQ(5, self->res.cmds);
	EXPECT_EQ(2, self->res.checks);
	EXPECT_EQ(NULL, self->res.why);
}

TEST_F(dcd, builder_no_merge_across_commands)
{
	struct imx_dcd_builder *b = &self->b;

	imx_dcd_add_write(b, 4, 0x1000, 1);
	imx_dcd_add_nop(b);
	ASSERT_EQ(32, imx_dcd_add_write(b, 4, 0x1004, 2));
	ASSERT_EQ(32, imx_dcd_end(b));
	EXPECT_EQ(0xc0, self->buf[16]);
	EXPECT_EQ(0xcc, self->buf[20]);
	EXPECT_EQ(0x0c, self->buf[22]);
	ASSERT_EQ(0, run(self));
	EXPECT_EQ(3, self->res.cmds);
	EXPECT_EQ(2, self->res.writes);
}

TEST(builder_nospace)
{
	u8 buf[24];
	struct imx_dcd_builder b;

	imx_dcd_begin(&b, buf, sizeof(buf), IMX_DCD_V41);
	EXPECT_EQ(16, imx_dcd_add_write(&b, 4, 0x1000, 1));
	EXPECT_EQ(24, imx_dcd_add_write(&b, 4, 0x1004, 2));
	EXPECT_EQ(-ENOSPC, imx_dcd_add_write(&b, 4, 0x1008, 3));
	EXPECT_EQ(-ENOSPC, imx_dcd_add_nop(&b));
	EXPECT_EQ(-ENOSPC, imx_dcd_add_check(&b, 4, 0x1000, 1, 0, false));
	ASSERT_EQ(24, imx_dcd_end(&b));
	EXPECT_EQ(0x41, buf[3]);
	EXPECT_EQ(24, imxf_get_be16(buf + 1));
	EXPECT_EQ(0x14, imxf_get_be16(buf + 5));

	imx_dcd_begin(&b, buf, 3, IMX_DCD_V40);
	EXPECT_EQ(-ENOSPC, imx_dcd_add_nop(&b));
	EXPECT_EQ(-ENOSPC, imx_dcd_end(&b));
}

/* ---- writes ---- */

TEST_F(dcd, write_widths)
{
	memset(self->m.b, 0xee, sizeof(self->m.b));
	imx_dcd_add_write(&self->b, 4, 0x1000, 0x12345678);
	imx_dcd_add_write(&self->b, 2, 0x1008, 0xabcd);
	imx_dcd_add_write(&self->b, 2, 0x100e, 0xffff1234);	/* masked */
	imx_dcd_add_write(&self->b, 1, 0x1011, 0x5a);
	imx_dcd_add_write(&self->b, 1, 0x1013, 0x1a5);		/* masked */
	ASSERT_EQ(0, run(self));
	EXPECT_EQ(3, self->res.cmds);
	EXPECT_EQ(5, self->res.writes);
	EXPECT_EQ(0, self->res.checks);
	EXPECT_EQ(NULL, self->res.why);

	EXPECT_EQ(0x78, self->m.b[0x00]);
	EXPECT_EQ(0x56, self->m.b[0x01]);
	EXPECT_EQ(0x34, self->m.b[0x02]);
	EXPECT_EQ(0x12, self->m.b[0x03]);
	EXPECT_EQ(0xee, self->m.b[0x04]);
	EXPECT_EQ(0xcd, self->m.b[0x08]);
	EXPECT_EQ(0xab, self->m.b[0x09]);
	EXPECT_EQ(0xee, self->m.b[0x0a]);
	EXPECT_EQ(0xee, self->m.b[0x0d]);
	EXPECT_EQ(0x34, self->m.b[0x0e]);
	EXPECT_EQ(0x12, self->m.b[0x0f]);
	EXPECT_EQ(0xee, self->m.b[0x10]);
	EXPECT_EQ(0x5a, self->m.b[0x11]);
	EXPECT_EQ(0xee, self->m.b[0x12]);
	EXPECT_EQ(0xa5, self->m.b[0x13]);
	EXPECT_EQ(0xee, self->m.b[0x14]);
	EXPECT_EQ(5u, self->m.writes);
	EXPECT_EQ(0u, self->m.reads);
}

TEST_F(dcd, clear_and_set_bits)
{
	memset(self->m.b, 0xff, 0x10);
	self->m.b[0x10] = 0x00;
	/* clear: 0x08 | width */
	imx_dcd_add_write(&self->b, 0x0c, 0x1000, 0x0000f0f0);
	imx_dcd_add_write(&self->b, 0x0a, 0x1004, 0x00ff);
	imx_dcd_add_write(&self->b, 0x09, 0x1006, 0x81);
	/* set: 0x18 | width */
	imx_dcd_add_write(&self->b, 0x1c, 0x1010, 0x80000001);
	imx_dcd_add_write(&self->b, 0x1a, 0x1014, 0x0100);
	imx_dcd_add_write(&self->b, 0x19, 0x1017, 0x42);
	ASSERT_EQ(0, run(self));
	EXPECT_EQ(6, self->res.writes);
	EXPECT_EQ(0xffff0f0fu, peek(&self->m, 0x1000, 4));
	EXPECT_EQ(0xff00u, peek(&self->m, 0x1004, 2));
	EXPECT_EQ(0x7eu, peek(&self->m, 0x1006, 1));
	EXPECT_EQ(0xffu, peek(&self->m, 0x1007, 1));
	EXPECT_EQ(0x80000001u, peek(&self->m, 0x1010, 4));
	EXPECT_EQ(0x0100u, peek(&self->m, 0x1014, 2));
	EXPECT_EQ(0x00u, peek(&self->m, 0x1016, 1));
	EXPECT_EQ(0x42u, peek(&self->m, 0x1017, 1));
	/* read-modify-write: one read per masked write */
	EXPECT_EQ(6u, self->m.reads);
	EXPECT_EQ(6u, self->m.writes);
}

TEST_F(dcd, sequence_order)
{
	/* write, then set bits, then clear bits on the same word */
	imx_dcd_add_write(&self->b, 4, 0x1020, 0x00000011);
	imx_dcd_add_write(&self->b, 0x1c, 0x1020, 0x00000f00);
	imx_dcd_add_write(&self->b, 0x0c, 0x1020, 0x00000001);
	ASSERT_EQ(0, run(self));
	EXPECT_EQ(0x00000f10u, peek(&self->m, 0x1020, 4));
}

/* ---- checks ---- */

struct cond_case {
	u8 flags;
	u32 value, mask;
	bool pass;
};

static const struct cond_case conds[] = {
	/* 00: until (v & m) == 0 */
	{ 0x00, 0xf0, 0x0f, true },
	{ 0x00, 0xf1, 0x0f, false },
	/* 08: until (v & m) != m */
	{ 0x08, 0x0e, 0x0f, true },
	{ 0x08, 0x1f, 0x0f, false },
	{ 0x08, 0x00, 0x0f, true },
	/* 10: until (v & m) == m */
	{ 0x10, 0x1f, 0x0f, true },
	{ 0x10, 0x0e, 0x0f, false },
	/* 18: until (v & m) != 0 */
	{ 0x18, 0x01, 0x0f, true },
	{ 0x18, 0xf0, 0x0f, false },
	{ 0x18, 0x0f, 0x0f, true },
};

TEST_F(dcd, check_conditions)
{
	size_t i;
	int with_count, r;

	for (i = 0; i < sizeof(conds) / sizeof(conds[0]); i++) {
		for (with_count = 0; with_count < 2; with_count++) {
			const struct cond_case *c = &conds[i];

			memset(&self->m, 0, sizeof(self->m));
			imxf_put_le32(self->m.b + 0x40, c->value);
			imx_dcd_begin(&self->b, self->buf, sizeof(self->buf),
				      IMX_DCD_V40);
			imx_dcd_add_nop(&self->b);
			imx_dcd_add_check(&self->b, 4 | c->flags, 0x1040,
					  c->mask, 3, with_count);
			imx_dcd_add_write(&self->b, 4, 0x1044, 0x600d);
			r = run(self);
			EXPECT_EQ(c->pass ? 0 : -ETIMEDOUT, r) {
				TH_LOG("flags 0x%02x value 0x%x count %d",
				       c->flags, c->value, with_count);
			}
			EXPECT_EQ(1, self->res.checks);
			if (c->pass) {
				EXPECT_EQ(1u, self->m.reads);
				EXPECT_EQ(0x600du,
					  peek(&self->m, 0x1044, 4));
				EXPECT_EQ(3, self->res.cmds);
			} else {
				/* polled count times, or once without count */
				EXPECT_EQ(with_count ? 3u : 1u,
					  self->m.reads);
				EXPECT_EQ(0u, peek(&self->m, 0x1044, 4));
				EXPECT_EQ(8u, self->res.err_off);
				EXPECT_EQ(0x1040u, self->res.err_addr);
				EXPECT_STREQ("DCD check condition not met",
					     self->res.why);
				EXPECT_EQ(1, self->res.cmds);
			}
		}
	}
}

TEST_F(dcd, check_widths)
{
	imxf_put_le32(self->m.b + 0x20, 0x00ff8001);
	imx_dcd_add_check(&self->b, 0x11, 0x1020, 0x01, 0, false);
	imx_dcd_add_check(&self->b, 0x12, 0x1020, 0x8001, 0, false);
	imx_dcd_add_check(&self->b, 0x11, 0x1022, 0xff, 0, false);
	imx_dcd_add_check(&self->b, 0x02, 0x1022, 0x0100, 0, false);
	ASSERT_EQ(0, run(self));
	EXPECT_EQ(4, self->res.checks);
}

TEST_F(dcd, check_polls_until_ready)
{
	self->m.ready_addr = 0x1030;
	self->m.ready_val = 0x1;
	self->m.ready_after = 4;
	imx_dcd_add_check(&self->b, 0x14, 0x1030, 0x1, 5, true);
	ASSERT_EQ(0, run(self));
	EXPECT_EQ(4u, self->m.reads);

	/* not enough polls */
	memset(&self->m, 0, sizeof(self->m));
	self->m.ready_addr = 0x1030;
	self->m.ready_val = 0x1;
	self->m.ready_after = 4;
	imx_dcd_begin(&self->b, self->buf, sizeof(self->buf), IMX_DCD_V40);
	imx_dcd_add_check(&self->b, 0x14, 0x1030, 0x1, 3, true);
	EXPECT_EQ(-ETIMEDOUT, run(self));
	EXPECT_EQ(3u, self->m.reads);
}

TEST_F(dcd, check_poll_bounds)
{
	/* count 0 still evaluates once */
	imx_dcd_add_check(&self->b, 0x14, 0x1030, 0x1, 0, true);
	EXPECT_EQ(-ETIMEDOUT, run(self));
	EXPECT_EQ(1u, self->m.reads);

	/* a huge count is capped */
	memset(&self->m, 0, sizeof(self->m));
	imx_dcd_begin(&self->b, self->buf, sizeof(self->buf), IMX_DCD_V40);
	imx_dcd_add_check(&self->b, 0x14, 0x1030, 0x1, 0xffffffff, true);
	EXPECT_EQ(-ETIMEDOUT, run(self));
	EXPECT_EQ((unsigned int)IMX_DCD_MAX_POLLS, self->m.reads);

	/* just above the cap */
	memset(&self->m, 0, sizeof(self->m));
	imx_dcd_begin(&self->b, self->buf, sizeof(self->buf), IMX_DCD_V40);
	imx_dcd_add_check(&self->b, 0x14, 0x1030, 0x1, IMX_DCD_MAX_POLLS + 1,
			  true);
	EXPECT_EQ(-ETIMEDOUT, run(self));
	EXPECT_EQ((unsigned int)IMX_DCD_MAX_POLLS, self->m.reads);
}

/* ---- nop, unlock ---- */

TEST_F(dcd, nop_and_unlock)
{
	static const u8 d[] = {
		0xd2, 0x00, 0x20, 0x40,
		0xc0, 0x00, 0x04, 0x00,
		0xb2, 0x00, 0x08, 0x1d, 0x00, 0x00, 0x00, 0x06,	/* CAAM */
		0xb2, 0x00, 0x04, 0x21,				/* OCOTP */
		0xcc, 0x00, 0x0c, 0x04, 0x00, 0x00, 0x10, 0x08,
		0xca, 0xfe, 0xf0, 0x0d,
	};

	ASSERT_EQ(0, imx_dcd_check(d, sizeof(d), &self->res));
	EXPECT_EQ(4, self->res.cmds);
	ASSERT_EQ(0, imx_dcd_run(d, sizeof(d), &ops, &self->m, &self->res));
	EXPECT_EQ(4, self->res.cmds);
	EXPECT_EQ(1, self->res.writes);
	EXPECT_EQ(0u, self->m.reads);
	EXPECT_EQ(1u, self->m.writes);
	EXPECT_EQ(0xcafef00du, peek(&self->m, 0x1008, 4));
}

TEST_F(dcd, empty_and_padded)
{
	static const u8 empty[] = { 0xd2, 0x00, 0x04, 0x41 };
	u8 padded[1024];

	ASSERT_EQ(0, imx_dcd_run(empty, sizeof(empty), &ops, &self->m,
				 &self->res));
	EXPECT_EQ(0, self->res.cmds);

	/* report-2 padding after the DCD is not parsed */
	memset(padded, 0xff, sizeof(padded));
	memcpy(padded, empty, sizeof(empty));
	ASSERT_EQ(0, imx_dcd_check(padded, sizeof(padded), &self->res));
	EXPECT_EQ(0, self->res.cmds);
}

TEST_F(dcd, largest)
{
	int i, len = 0;

	/* 4 + 4 + 220 * 8 = 1768 */
	for (i = 0; i < 220; i++)
		len = imx_dcd_add_write(&self->b, 1, 0x1000 + (i & 0xff),
					(u32)i);
	ASSERT_EQ(IMX_DCD_MAX_LEN, len);
	ASSERT_EQ(0, run(self));
	EXPECT_EQ(1, self->res.cmds);
	EXPECT_EQ(220, self->res.writes);
	EXPECT_EQ(219u, peek(&self->m, 0x10db, 1));

	imx_dcd_add_nop(&self->b);
	EXPECT_EQ(-EMSGSIZE, run(self));
	EXPECT_STREQ("DCD length exceeds 1768", self->res.why);
	EXPECT_EQ(0u, self->res.err_off);
}

/* ---- structure errors ---- */

struct bad_case {
	const char *name;
	u8 d[40];
	size_t len;
	int err;
	const char *why;
	u32 err_off;
	u32 err_addr;
};

static const struct bad_case bad[] = {
	{ "header truncated", { 0xd2, 0x00, 0x04 }, 3,
	  -EMSGSIZE, "DCD header truncated", 0, 0 },
	{ "tag", { 0xd3, 0x00, 0x04, 0x40 }, 4,
	  -EINVAL, "DCD tag", 0, 0 },
	{ "version", { 0xd2, 0x00, 0x04, 0x42 }, 4,
	  -EINVAL, "DCD version", 0, 0 },
	{ "header length < 4", { 0xd2, 0x00, 0x03, 0x40 }, 4,
	  -EINVAL, "DCD length", 0, 0 },
	{ "header length > buffer", { 0xd2, 0x00, 0x10, 0x40,
	  0xcc, 0x00, 0x0c, 0x04, 0, 0, 0x10, 0, 0, 0, 0 }, 15,
	  -EMSGSIZE, "DCD length exceeds buffer", 0, 0 },
	{ "header length > 1768", { 0xd2, 0x06, 0xe9, 0x40 }, 4,
	  -EMSGSIZE, "DCD length exceeds 1768", 0, 0 },
	{ "unknown tag", { 0xd2, 0x00, 0x0c, 0x40, 0xc0, 0x00, 0x04, 0x00,
	  0xcd, 0x00, 0x04, 0x00 }, 12,
	  -EOPNOTSUPP, "DCD command tag", 8, 0 },
	{ "truncated command", { 0xd2, 0x00, 0x06, 0x40, 0xcc, 0x00 }, 6,
	  -EINVAL, "DCD command header truncated", 4, 0 },
	{ "command length 0", { 0xd2, 0x00, 0x08, 0x40,
	  0xc0, 0x00, 0x00, 0x00 }, 8,
	  -EINVAL, "DCD command length", 4, 0 },
	{ "command length overflow", { 0xd2, 0x00, 0x10, 0x40,
	  0xcc, 0x00, 0x14, 0x04, 0, 0, 0x10, 0, 0, 0, 0, 1 }, 16,
	  -EINVAL, "DCD command length overflow", 4, 0 },
	{ "overflow into padding", { 0xd2, 0x00, 0x0c, 0x40,
	  0xcc, 0x00, 0x0c, 0x04, 0, 0, 0x10, 0, 0, 0, 0, 1 }, 16,
	  -EINVAL, "DCD command length overflow", 4, 0 },
	{ "write length not pairs", { 0xd2, 0x00, 0x14, 0x40,
	  0xcc, 0x00, 0x10, 0x04, 0, 0, 0x10, 0, 0, 0, 0, 1,
	  0, 0, 0, 0 }, 20,
	  -EINVAL, "DCD write length", 4, 0 },
	{ "write width 3", { 0xd2, 0x00, 0x10, 0x40,
	  0xcc, 0x00, 0x0c, 0x03, 0, 0, 0x10, 0, 0, 0, 0, 1 }, 16,
	  -EINVAL, "DCD write width", 4, 0 },
	{ "write width 0", { 0xd2, 0x00, 0x10, 0x40,
	  0xcc, 0x00, 0x0c, 0x00, 0, 0, 0x10, 0, 0, 0, 0, 1 }, 16,
	  -EINVAL, "DCD write width", 4, 0 },
	{ "write param high bits", { 0xd2, 0x00, 0x10, 0x40,
	  0xcc, 0x00, 0x0c, 0x24, 0, 0, 0x10, 0, 0, 0, 0, 1 }, 16,
	  -EINVAL, "DCD write width", 4, 0 },
	{ "write flags SET alone", { 0xd2, 0x00, 0x10, 0x40,
	  0xcc, 0x00, 0x0c, 0x14, 0, 0, 0x10, 0, 0, 0, 0, 1 }, 16,
	  -EINVAL, "DCD write flags", 4, 0 },
	{ "write unaligned 32", { 0xd2, 0x00, 0x18, 0x40,
	  0xcc, 0x00, 0x14, 0x04, 0, 0, 0x10, 0, 0, 0, 0, 1,
	  0, 0, 0x10, 0x06, 0, 0, 0, 2 }, 24,
	  -EINVAL, "DCD write address alignment", 4, 0x1006 },
	{ "write unaligned 16", { 0xd2, 0x00, 0x10, 0x40,
	  0xcc, 0x00, 0x0c, 0x0a, 0, 0, 0x10, 0x01, 0, 0, 0, 1 }, 16,
	  -EINVAL, "DCD write address alignment", 4, 0x1001 },
	{ "check unaligned", { 0xd2, 0x00, 0x10, 0x40,
	  0xcf, 0x00, 0x0c, 0x04, 0, 0, 0x10, 0x02, 0, 0, 0, 1 }, 16,
	  -EINVAL, "DCD check address alignment", 4, 0x1002 },
	{ "check length 8", { 0xd2, 0x00, 0x0c, 0x40,
	  0xcf, 0x00, 0x08, 0x04, 0, 0, 0x10, 0x00 }, 12,
	  -EINVAL, "DCD check length", 4, 0 },
	{ "check length 20", { 0xd2, 0x00, 0x18, 0x40,
	  0xcf, 0x00, 0x14, 0x04, 0, 0, 0x10, 0, 0, 0, 0, 1,
	  0, 0, 0, 1, 0, 0, 0, 0 }, 24,
	  -EINVAL, "DCD check length", 4, 0 },
	{ "check width 8", { 0xd2, 0x00, 0x10, 0x40,
	  0xcf, 0x00, 0x0c, 0x08, 0, 0, 0x10, 0, 0, 0, 0, 1 }, 16,
	  -EINVAL, "DCD check width", 4, 0 },
	{ "nop length 8", { 0xd2, 0x00, 0x0c, 0x40,
	  0xc0, 0x00, 0x08, 0x00, 0, 0, 0, 0 }, 12,
	  -EINVAL, "DCD nop length", 4, 0 },
	{ "unlock length 6", { 0xd2, 0x00, 0x0c, 0x40,
	  0xb2, 0x00, 0x06, 0x1d, 0, 0, 0, 0 }, 12,
	  -EINVAL, "DCD unlock length", 4, 0 },
};

TEST(structure_errors)
{
	struct imx_dcd_result res;
	struct mem m;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct bad_case *c = &bad[i];

		memset(&res, 0x55, sizeof(res));
		EXPECT_EQ(c->err, imx_dcd_check(c->d, c->len, &res)) {
			TH_LOG("%s: %s", c->name, res.why);
		}
		EXPECT_STREQ(c->why, res.why) {
			TH_LOG("%s", c->name);
		}
		EXPECT_EQ(c->err_off, res.err_off) {
			TH_LOG("%s", c->name);
		}
		EXPECT_EQ(c->err_addr, res.err_addr) {
			TH_LOG("%s", c->name);
		}

		/* run refuses the same DCD without touching memory */
		memset(&m, 0, sizeof(m));
		memset(&res, 0x55, sizeof(res));
		EXPECT_EQ(c->err, imx_dcd_run(c->d, c->len, &ops, &m, &res));
		EXPECT_STREQ(c->why, res.why);
		EXPECT_EQ(0u, m.reads + m.writes) {
			TH_LOG("%s", c->name);
		}
	}
	/* res is optional */
	EXPECT_EQ(-EINVAL, imx_dcd_check(bad[1].d, bad[1].len, NULL));
}

TEST_F(dcd, bad_command_after_good_ones)
{
	/* a valid write, then an unknown tag: nothing may be executed */
	imx_dcd_add_write(&self->b, 4, 0x1000, 0x11111111);
	ASSERT_EQ(20, imx_dcd_add_nop(&self->b));
	ASSERT_EQ(20, imx_dcd_end(&self->b));
	self->buf[16] = 0xc1;
	EXPECT_EQ(-EOPNOTSUPP, imx_dcd_run(self->buf, 20, &ops, &self->m,
					   &self->res));
	EXPECT_EQ(16u, self->res.err_off);
	EXPECT_EQ(0u, peek(&self->m, 0x1000, 4));
	EXPECT_EQ(0u, self->m.writes);
}

/* ---- access failures ---- */

TEST_F(dcd, write_fault)
{
	imx_dcd_add_write(&self->b, 4, 0x1000, 0x11111111);
	imx_dcd_add_write(&self->b, 4, 0x2000, 0x22222222);
	imx_dcd_add_write(&self->b, 4, 0x1004, 0x33333333);
	EXPECT_EQ(-EFAULT, run(self));
	EXPECT_STREQ("DCD write access", self->res.why);
	EXPECT_EQ(4u, self->res.err_off);
	EXPECT_EQ(0x2000u, self->res.err_addr);
	EXPECT_EQ(1, self->res.writes);
	EXPECT_EQ(0x11111111u, peek(&self->m, 0x1000, 4));
	EXPECT_EQ(0u, peek(&self->m, 0x1004, 4));
}

TEST_F(dcd, read_fault)
{
	imx_dcd_add_nop(&self->b);
	imx_dcd_add_write(&self->b, 0x1c, 0x0ffc, 1);
	EXPECT_EQ(-EFAULT, run(self));
	EXPECT_STREQ("DCD read access", self->res.why);
	EXPECT_EQ(8u, self->res.err_off);
	EXPECT_EQ(0x0ffcu, self->res.err_addr);

	memset(&self->m, 0, sizeof(self->m));
	imx_dcd_begin(&self->b, self->buf, sizeof(self->buf), IMX_DCD_V40);
	imx_dcd_add_check(&self->b, 0x04, 0x3000, 1, 0, false);
	EXPECT_EQ(-EFAULT, run(self));
	EXPECT_STREQ("DCD read access", self->res.why);
	EXPECT_EQ(0x3000u, self->res.err_addr);
	EXPECT_EQ(1, self->res.checks);
}

TEST_F(dcd, ops_error_mid_command)
{
	self->m.fail_write = 2;
	imx_dcd_add_write(&self->b, 4, 0x1000, 1);
	imx_dcd_add_write(&self->b, 4, 0x1004, 2);
	EXPECT_EQ(-EFAULT, run(self));
	EXPECT_EQ(0x1004u, self->res.err_addr);
	EXPECT_EQ(1, self->res.writes);
	EXPECT_EQ(0, self->res.cmds);
}

TEST_HARNESS_MAIN
