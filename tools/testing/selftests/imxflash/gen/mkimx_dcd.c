// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * mkimx: the DCD. Builds it with the cores (imx_dcd_builder) from the
 * command list, runs the list on mkimx's own byte-granular memory model to
 * get the values the manifest promises ("dcdw" lines), and cross-checks
 * the built DCD against that model with imx_dcd_run().
 */
#include <errno.h>
#include <string.h>

#include "mkimx.h"

/* ---- own DCD model, deliberately not imx_image.c's: an independent oracle ---- */

static int mem_slot(struct mem *m, u32 addr, bool create)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->addr[i] == addr)
			return (int)i;
	if (!create)
		return -1;
	if (m->n == MKIMX_MEM_SLOTS)
		die("too many DCD memory locations");
	m->addr[m->n] = addr;
	m->val[m->n] = 0;
	return (int)m->n++;
}

static u32 mem_read(struct mem *m, u32 addr, unsigned int width)
{
	u32 v = 0;
	unsigned int i;
	int s;

	for (i = 0; i < width; i++) {
		s = mem_slot(m, addr + i, false);
		if (s >= 0)
			v |= (u32)m->val[s] << (8 * i);
	}
	return v;
}

static void mem_write(struct mem *m, u32 addr, unsigned int width, u32 v)
{
	unsigned int i;

	for (i = 0; i < width; i++)
		m->val[mem_slot(m, addr + i, true)] = (u8)(v >> (8 * i));
}

static u32 width_mask(unsigned int w)
{
	return w == 4 ? 0xffffffffu : (1u << (8 * w)) - 1;
}

/*
 * The DCD check conditions, written again from
 * Documentation/sdp-protocol.rst, "DCD", rather than calling
 * imx_dcd_cond() of lib/imxflash/imx_image.c on purpose: the
 * manifest's expected memory values are an independent oracle for the
 * emulator's DCD engine, which uses that library function.
 */
static bool cond_true(u8 cond, u32 v, u32 m)
{
	switch (cond) {
	case 0:
		return (v & m) == 0;
	case IMX_DCD_FLAG_MASK:
		return (v & m) != m;
	case IMX_DCD_FLAG_SET:
		return (v & m) == m;
	default:
		return (v & m) != 0;
	}
}

/*
 * Run the op list on @m as the DCD semantics say; stop at the first check
 * that fails, like the ROM. Returns true if every check passed.
 */
bool model_run(const struct dcd_op *ops, unsigned int n, struct mem *m)
{
	unsigned int i;
	u32 wm, v;

	for (i = 0; i < n; i++) {
		const struct dcd_op *op = &ops[i];

		wm = width_mask(op->width);
		switch (op->kind) {
		case OP_WRITE:
			mem_write(m, op->addr, op->width, op->val & wm);
			break;
		case OP_CLEAR:
			v = mem_read(m, op->addr, op->width) & ~op->val;
			mem_write(m, op->addr, op->width, v & wm);
			break;
		case OP_SET:
			v = mem_read(m, op->addr, op->width) | op->val;
			mem_write(m, op->addr, op->width, v & wm);
			break;
		case OP_CHECK:
			v = mem_read(m, op->addr, op->width);
			if (!cond_true(op->cond, v, op->val & wm))
				return false;
			break;
		case OP_NOP:
			break;
		}
	}
	return true;
}

static int ops_read(void *ctx, u32 addr, unsigned int width, u32 *val)
{
	*val = mem_read(ctx, addr, width);
	return 0;
}

static int ops_write(void *ctx, u32 addr, unsigned int width, u32 val)
{
	mem_write(ctx, addr, width, val);
	return 0;
}

static const struct imx_dcd_ops mem_ops = {
	.read = ops_read,
	.write = ops_write,
};

size_t build_dcd(u8 *buf, size_t cap, u8 version,
		 const struct dcd_op *ops, unsigned int n)
{
	struct imx_dcd_builder b;
	unsigned int i;
	int r = 0;

	imx_dcd_begin(&b, buf, cap, version);
	for (i = 0; i < n; i++) {
		const struct dcd_op *op = &ops[i];
		u8 param = (u8)op->width;

		switch (op->kind) {
		case OP_WRITE:
			r = imx_dcd_add_write(&b, param, op->addr, op->val);
			break;
		case OP_CLEAR:
			r = imx_dcd_add_write(&b, param | IMX_DCD_FLAG_MASK,
					      op->addr, op->val);
			break;
		case OP_SET:
			r = imx_dcd_add_write(&b, param | IMX_DCD_FLAG_MASK |
					      IMX_DCD_FLAG_SET, op->addr,
					      op->val);
			break;
		case OP_CHECK:
			r = imx_dcd_add_check(&b, param | op->cond, op->addr,
					      op->val, op->count,
					      op->has_count);
			break;
		case OP_NOP:
			r = imx_dcd_add_nop(&b);
			break;
		}
		if (r < 0)
			die("DCD does not fit (%zu bytes max)", cap);
	}
	r = imx_dcd_end(&b);
	if (r < 0)
		die("DCD does not fit");
	if (r > IMX_DCD_MAX_LEN)
		die("DCD is %d bytes, more than %d", r, IMX_DCD_MAX_LEN);
	return (size_t)r;
}

void default_dcd(struct opts *o)
{
	u32 ccm = o->soc->periph.base + 0x000c4068;
	struct dcd_op *op = o->ops;

	/* i.MX6 CCM_CCGR0/1 (gate all clocks on), then a poll that passes. */
	op[0] = (struct dcd_op){ .kind = OP_WRITE, .addr = ccm,
				 .val = 0xffffffff, .width = 4 };
	op[1] = (struct dcd_op){ .kind = OP_WRITE, .addr = ccm + 4,
				 .val = 0x00c03f3f, .width = 4 };
	op[2] = (struct dcd_op){ .kind = OP_CHECK, .addr = ccm,
				 .val = 0x0000000f, .width = 4,
				 .cond = IMX_DCD_FLAG_SET, .count = 100,
				 .has_count = true };
	o->nops = 3;
}

/* One "dcdw" line per (address, width) written, in first-write order. */
void print_dcdw(FILE *f, const char *pfx, const struct opts *o,
		struct mem *m)
{
	unsigned int i, j;
	bool seen;

	for (i = 0; i < o->nops; i++) {
		const struct dcd_op *op = &o->ops[i];

		if (op->kind != OP_WRITE && op->kind != OP_CLEAR &&
		    op->kind != OP_SET)
			continue;
		/* Skip writes after a failing check: they never happen. */
		if (mem_slot(m, op->addr, false) < 0)
			continue;
		seen = false;
		for (j = 0; j < i && !seen; j++)
			seen = o->ops[j].kind != OP_CHECK &&
			       o->ops[j].kind != OP_NOP &&
			       o->ops[j].addr == op->addr &&
			       o->ops[j].width == op->width;
		if (seen)
			continue;
		fprintf(f, "%sdcdw 0x%08x 0x%0*x %u\n", pfx, op->addr,
			(int)(2 * op->width),
			mem_read(m, op->addr, op->width), op->width);
	}
}

/* Run the built DCD with the cores and compare with the model's result. */
void dcd_self_check(const u8 *dcd, size_t dcd_len, const struct mem *expect,
		    bool dcd_ok)
{
	static struct mem got;
	struct imx_dcd_result res;
	unsigned int i;
	int r;

	if (imx_dcd_check(dcd, dcd_len, &res))
		die("internal: DCD check: %s", res.why);
	memset(&got, 0, sizeof(got));
	r = imx_dcd_run(dcd, dcd_len, &mem_ops, &got, &res);
	if (!r != dcd_ok || (r && r != -ETIMEDOUT))
		die("internal: DCD run %d (%s) vs model %d", r,
		    res.why ? res.why : "ok", dcd_ok);
	if (got.n != expect->n)
		die("internal: DCD wrote %u bytes, model %u", got.n,
		    expect->n);
	for (i = 0; i < expect->n; i++)
		if (mem_read(&got, expect->addr[i], 1) != expect->val[i])
			die("internal: DCD result differs at 0x%08x",
			    expect->addr[i]);
}

