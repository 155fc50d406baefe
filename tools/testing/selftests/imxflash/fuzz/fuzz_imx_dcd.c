// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: DCD structure check and execution against a bounded
 * 4 KiB memory (addresses >= 0x80000000 fault), with a read budget so
 * that polling loops stay cheap.
 */
#include <stdlib.h>
#include <string.h>

#include <imxflash/imx_image.h>

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

#define MEM_SIZE	4096
#define READ_BUDGET	200000

struct mem {
	u8 b[MEM_SIZE];
	unsigned long reads, writes;
};

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static int mem_read(void *ctx, u32 addr, unsigned int width, u32 *val)
{
	struct mem *m = ctx;
	u32 o = addr % MEM_SIZE, v = 0;
	unsigned int i;

	CHECK(width == 1 || width == 2 || width == 4);
	CHECK(!(addr & (width - 1)));
	if (addr >= 0x80000000u || ++m->reads > READ_BUDGET)
		return -EIO;
	for (i = 0; i < width; i++)
		v |= (u32)m->b[o + i] << (8 * i);
	*val = v;
	return 0;
}

static int mem_write(void *ctx, u32 addr, unsigned int width, u32 val)
{
	struct mem *m = ctx;
	u32 o = addr % MEM_SIZE;
	unsigned int i;

	CHECK(width == 1 || width == 2 || width == 4);
	CHECK(!(addr & (width - 1)));
	if (width < 4)
		CHECK(val < 1u << (8 * width));
	if (addr >= 0x80000000u)
		return -EIO;
	m->writes++;
	for (i = 0; i < width; i++)
		m->b[o + i] = (u8)(val >> (8 * i));
	return 0;
}

static const struct imx_dcd_ops ops = {
	.read = mem_read,
	.write = mem_write,
};

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct mem m;
	struct imx_dcd_result chk, res;
	int cret, rret;

	memset(&chk, 0x55, sizeof(chk));
	cret = imx_dcd_check(data, size, &chk);
	CHECK(cret == 0 || cret == -EMSGSIZE || cret == -EINVAL ||
	      cret == -EOPNOTSUPP);
	CHECK(cret ? chk.why != NULL : chk.why == NULL);
	if (!cret) {
		CHECK(size >= IMX_DCD_HDR_LEN);
		CHECK(imxf_get_be16(data + 1) <= IMX_DCD_MAX_LEN);
		CHECK(chk.cmds <= IMX_DCD_MAX_LEN / 4);
	} else if (size >= IMX_DCD_HDR_LEN) {
		CHECK(chk.err_off < IMX_DCD_MAX_LEN);
	}

	memset(&m, 0, sizeof(m));
	memset(&res, 0x55, sizeof(res));
	rret = imx_dcd_run(data, size, &ops, &m, &res);
	if (cret) {
		/* a malformed DCD is refused before any access */
		CHECK(rret == cret && m.reads == 0 && m.writes == 0);
		CHECK(res.err_off == chk.err_off && res.why == chk.why);
		return 0;
	}
	CHECK(rret == 0 || rret == -EFAULT || rret == -ETIMEDOUT);
	CHECK(res.writes == m.writes);
	CHECK(res.checks <= chk.checks && res.cmds <= chk.cmds);
	if (!rret)
		CHECK(res.cmds == chk.cmds && res.checks == chk.checks &&
		      res.why == NULL);
	else
		CHECK(res.why != NULL && res.err_off >= IMX_DCD_HDR_LEN);
	return 0;
}
