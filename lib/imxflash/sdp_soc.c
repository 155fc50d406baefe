// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Per-SoC facts of the i.MX SDP boot ROMs (Documentation/sdp-protocol.rst,
 * "ROM USB IDs", "Per-SoC rules" and "Board identity"): USB IDs, ROM
 * product string, DCD scratch address, the rule used before JUMP, the
 * coarse memory map used to sanity-check addresses, and the fuse shadow
 * registers that hold the SoC's unique ID.
 *
 * Pure C: shared by usb_f_sdp, hid-imx-sdp and the userspace tools.
 */
#include <imxflash/sdp_soc.h>
#include <imxflash/imx_image.h>

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

#define NXP_VID_FSL	0x15a2
#define NXP_VID		0x1fc9

/* Memory maps shared by several SoCs. */
#define MAP_6UL							\
	.ocram = { 0x00900000, 0x00020000 },			\
	.ddr = { 0x80000000, 0x80000000 },			\
	.periph = { 0x02000000, 0x00200000 }
#define MAP_8M							\
	.ocram = { 0x00900000, 0x00040000 },			\
	.ddr = { 0x40000000, 0xc0000000 },			\
	.periph = { 0x30000000, 0x10000000 }

/*
 * The unique ID in the OCOTP fuse shadows: the high word at OCOTP + 0x420
 * (CFG1), the low word at OCOTP + 0x410 (CFG0), as Linux's soc-imx.c and
 * soc-imx8m.c read them.
 */
#define OCOTP_6		0x021bc000
#define OCOTP_7D_8M	0x30350000
#define UID_6							\
	.uid = { { OCOTP_6 + 0x420, OCOTP_6 + 0x410 }, 2, 32 }
#define UID_7D_8M						\
	.uid = { { OCOTP_7D_8M + 0x420, OCOTP_7D_8M + 0x410 }, 2, 32 }
/*
 * i.MX7ULP: four 16-bit pieces in the low half of the shadows at
 * OCOTP + 0x4e0 (most significant), 0x4d0, 0x4c0 and 0x4b0.
 */
#define OCOTP_7ULP	0x410a6000
#define UID_7ULP							\
	.uid = { { OCOTP_7ULP + 0x4e0, OCOTP_7ULP + 0x4d0,		\
		   OCOTP_7ULP + 0x4c0, OCOTP_7ULP + 0x4b0 }, 4, 16 }

/* Kept in enum sdp_soc_id order: the table is indexed by it. */
const struct sdp_soc sdp_socs[SDP_SOC_COUNT] = {
	[SDP_SOC_MX6Q] = {
		.name = "imx6q",
		.desc = "i.MX6Quad/Dual",
		.rom_product = "SE Blank ARIK",
		.vid = NXP_VID_FSL, .pid = 0x0054,
		.flags = 0,
		.ivt_version = IMX_IVT_V40,
		.dcd_addr = 0x00910000,
		.ocram = { 0x00900000, 0x00040000 },
		.ddr = { 0x10000000, 0xf0000000 },
		.periph = { 0x02000000, 0x00200000 },
		UID_6,
	},
	[SDP_SOC_MX6DL] = {
		.name = "imx6dl",
		.desc = "i.MX6DualLite/Solo",
		.rom_product = "SP Blank RIGEL",
		.vid = NXP_VID_FSL, .pid = 0x0061,
		.flags = 0,
		.ivt_version = IMX_IVT_V40,
		.dcd_addr = 0x00910000,
		.ocram = { 0x00900000, 0x00020000 },
		.ddr = { 0x10000000, 0xf0000000 },
		.periph = { 0x02000000, 0x00200000 },
		UID_6,
	},
	[SDP_SOC_MX6SL] = {
		.name = "imx6sl",
		.desc = "i.MX6SoloLite",
		.rom_product = "SE Blank MEGREZ",
		.vid = NXP_VID_FSL, .pid = 0x0063,
		.flags = 0,
		.ivt_version = IMX_IVT_V40,
		.dcd_addr = 0x00910000,
		MAP_6UL,
		UID_6,
	},
	[SDP_SOC_MX6SX] = {
		.name = "imx6sx",
		.desc = "i.MX6SoloX",
		.rom_product = "SE Blank 6SX",
		.vid = NXP_VID_FSL, .pid = 0x0071,
		/* UUU rewrites the IVT on 6SX; SNAG's SKIP_DCD is the odd one. */
		.flags = 0,
		.ivt_version = IMX_IVT_V40,
		.dcd_addr = 0x00910000,
		MAP_6UL,
		UID_6,
	},
	[SDP_SOC_MX6UL] = {
		.name = "imx6ul",
		.desc = "i.MX6UltraLite",
		.rom_product = "SE Blank 6UL",
		.vid = NXP_VID_FSL, .pid = 0x007d,
		.flags = SDP_SOC_SKIP_DCD,
		.ivt_version = IMX_IVT_V40,
		.dcd_addr = 0x00910000,
		MAP_6UL,
		UID_6,
	},
	[SDP_SOC_MX6ULL] = {
		.name = "imx6ull",
		.desc = "i.MX6ULL",
		.rom_product = "SE Blank 6ULL",
		.vid = NXP_VID_FSL, .pid = 0x0080,
		.flags = SDP_SOC_SKIP_DCD,
		.ivt_version = IMX_IVT_V40,
		.dcd_addr = 0x00910000,
		MAP_6UL,
		UID_6,
	},
	[SDP_SOC_MX6SLL] = {
		.name = "imx6sll",
		.desc = "i.MX6SLL",
		.rom_product = "SE Blank 6SLL",
		.vid = NXP_VID, .pid = 0x0128,
		.flags = SDP_SOC_SKIP_DCD,
		.ivt_version = IMX_IVT_V40,
		.dcd_addr = 0x00910000,
		MAP_6UL,
		UID_6,
	},
	[SDP_SOC_MX7D] = {
		.name = "imx7d",
		.desc = "i.MX7Dual/Solo",
		.rom_product = "SE Blank ULT1",
		.vid = NXP_VID_FSL, .pid = 0x0076,
		.flags = SDP_SOC_SKIP_DCD,
		.ivt_version = IMX_IVT_V40,
		.dcd_addr = 0x00911000,
		.ocram = { 0x00900000, 0x00020000 },
		.ddr = { 0x80000000, 0x80000000 },
		.periph = { 0x30000000, 0x01000000 },
		UID_7D_8M,
	},
	[SDP_SOC_MX7ULP] = {
		.name = "imx7ulp",
		.desc = "i.MX7ULP",
		.rom_product = "SE Blank 7ULP",
		.vid = NXP_VID, .pid = 0x0126,
		.flags = SDP_SOC_SKIP_DCD,
		.ivt_version = IMX_IVT_V40,
		.dcd_addr = 0x2f018000,
		.ocram = { 0x2f000000, 0x00040000 },
		.ddr = { 0x60000000, 0x40000000 },
		.periph = { 0x40000000, 0x20000000 },
		UID_7ULP,
	},
	[SDP_SOC_MX8MQ] = {
		.name = "imx8mq",
		.desc = "i.MX8MQuad",
		.rom_product = "SE Blank 8MQ",
		.vid = NXP_VID, .pid = 0x012b,
		.flags = SDP_SOC_SKIP_DCD,
		.ivt_version = IMX_IVT_V41,
		.dcd_addr = 0x00910000,
		MAP_8M,
		UID_7D_8M,
	},
	[SDP_SOC_MX8MM] = {
		.name = "imx8mm",
		.desc = "i.MX8MMini",
		.rom_product = "SE Blank 8MM",
		.vid = NXP_VID, .pid = 0x0134,
		.flags = SDP_SOC_SKIP_DCD,
		.ivt_version = IMX_IVT_V41,
		.dcd_addr = 0x00910000,
		MAP_8M,
		UID_7D_8M,
	},
};

static char sdp_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* strcasecmp() is not in pure.h's userspace set; names are plain ASCII. */
static bool sdp_name_eq(const char *a, const char *b)
{
	while (*a && sdp_lower(*a) == sdp_lower(*b)) {
		a++;
		b++;
	}
	return !*a && !*b;
}

const struct sdp_soc *sdp_soc_by_name(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < ARRAY_LEN(sdp_socs); i++)
		if (sdp_name_eq(sdp_socs[i].name, name))
			return &sdp_socs[i];
	return NULL;
}

const struct sdp_soc *sdp_soc_by_usb_id(u16 vid, u16 pid)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(sdp_socs); i++)
		if (sdp_socs[i].vid == vid && sdp_socs[i].pid == pid)
			return &sdp_socs[i];
	return NULL;
}

/* 64-bit so that a range ending at 4 GiB (base + size == 2^32) works. */
static bool sdp_range_has(const struct sdp_mem_range *r, u64 start, u64 end)
{
	u64 base = r->base;

	return r->size && start >= base && end <= base + r->size;
}

enum sdp_region sdp_soc_region(const struct sdp_soc *soc, u32 addr, u64 len)
{
	u64 start = addr;
	u64 end;

	if (!soc)
		return SDP_REGION_NONE;
	if (!len)
		len = 1;
	/* Anything longer than the 32-bit address space cannot fit. */
	if (len > 0x100000000ull)
		return SDP_REGION_NONE;
	end = start + len;

	if (sdp_range_has(&soc->ocram, start, end))
		return SDP_REGION_OCRAM;
	if (sdp_range_has(&soc->ddr, start, end))
		return SDP_REGION_DDR;
	if (sdp_range_has(&soc->periph, start, end))
		return SDP_REGION_PERIPH;
	return SDP_REGION_NONE;
}

const char *sdp_region_name(enum sdp_region r)
{
	switch (r) {
	case SDP_REGION_OCRAM:
		return "ocram";
	case SDP_REGION_DDR:
		return "ddr";
	case SDP_REGION_PERIPH:
		return "periph";
	default:
		return "none";
	}
}

/* The bits of the ID one register holds (its low ones). */
static u64 sdp_uid_mask(const struct sdp_soc *soc)
{
	return soc->uid.bits >= 32 ? 0xffffffffull :
	       (1ull << soc->uid.bits) - 1;
}

int sdp_soc_uid_join(const struct sdp_soc *soc, const u32 *regs, u64 *uid)
{
	u64 mask, v = 0;
	unsigned int i;

	if (!soc || !soc->uid.nregs)
		return -EOPNOTSUPP;
	mask = sdp_uid_mask(soc);
	for (i = 0; i < soc->uid.nregs; i++)
		v = v << soc->uid.bits | (regs[i] & mask);
	*uid = v;
	return 0;
}

u32 sdp_soc_uid_reg(const struct sdp_soc *soc, u64 uid, unsigned int i)
{
	unsigned int n = soc ? soc->uid.nregs : 0;
	u64 mask;

	if (i >= n)
		return 0;
	mask = sdp_uid_mask(soc);
	return (u32)(uid >> (soc->uid.bits * (n - 1 - i)) & mask);
}

void sdp_uid_format(u64 uid, char buf[SDP_UID_HEX_LEN + 1])
{
	static const char hex[] = "0123456789ABCDEF";
	int i;

	for (i = SDP_UID_HEX_LEN - 1; i >= 0; i--, uid >>= 4)
		buf[i] = hex[uid & 0xf];
	buf[SDP_UID_HEX_LEN] = '\0';
}

static int sdp_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = sdp_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int sdp_uid_parse(const char *s, size_t len, u64 *uid)
{
	u64 v = 0;
	size_t i;
	int d;

	if (len == SDP_UID_HEX_LEN + 1 && s[SDP_UID_HEX_LEN] == '\n')
		len--;
	if (len != SDP_UID_HEX_LEN)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		d = sdp_hex_digit(s[i]);
		if (d < 0)
			return -EINVAL;
		v = v << 4 | (u64)d;
	}
	*uid = v;
	return 0;
}
