/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Per-SoC facts of the i.MX SDP boot ROMs: USB IDs, memory map, DCD
 * scratch address, the rule used before JUMP and where the unique ID
 * fuses can be read. Shared by usb_f_sdp (ROM profiles), hid-imx-sdp (soc
 * and uid attributes) and imx-sdp (boot flow, uid).
 */
#ifndef _IMXFLASH_SDP_SOC_H
#define _IMXFLASH_SDP_SOC_H

#include "pure.h"

enum sdp_soc_id {
	SDP_SOC_MX6Q,
	SDP_SOC_MX6DL,
	SDP_SOC_MX6SL,
	SDP_SOC_MX6SX,
	SDP_SOC_MX6UL,
	SDP_SOC_MX6ULL,
	SDP_SOC_MX6SLL,
	SDP_SOC_MX7D,
	SDP_SOC_MX7ULP,
	SDP_SOC_MX8MQ,
	SDP_SOC_MX8MM,
	SDP_SOC_COUNT
};

/* Before JUMP, the ROM is told not to rerun the DCD by ... */
#define SDP_SOC_SKIP_DCD	0x01	/* ... SKIP_DCD_HEADER (else: IVT rewrite, dcd=0) */

enum sdp_region {
	SDP_REGION_NONE,
	SDP_REGION_OCRAM,
	SDP_REGION_DDR,
	SDP_REGION_PERIPH,
};

struct sdp_mem_range {
	u32 base;
	u32 size;		/* bytes; base + size may be 2^32 */
};

#define SDP_UID_REGS_MAX	4
#define SDP_UID_HEX_LEN		16	/* hex digits of a 64-bit UID */

/**
 * struct sdp_uid_map - where the SoC's 64-bit unique ID can be read
 * @addr:  the OCOTP fuse shadow registers holding it, most significant
 *         part first (Documentation/sdp-protocol.rst, "Board identity")
 * @nregs: how many of @addr are used (2 or 4); 0: location not known
 * @bits:  bits of the ID in each register, its low ones (32 or 16)
 */
struct sdp_uid_map {
	u32 addr[SDP_UID_REGS_MAX];
	u8 nregs;
	u8 bits;
};

struct sdp_soc {
	const char *name;	/* "imx6q" */
	const char *desc;	/* "i.MX6Quad/Dual" */
	const char *rom_product;/* ROM iProduct string */
	u16 vid;
	u16 pid;
	u8 flags;		/* SDP_SOC_* */
	u8 ivt_version;		/* IMX_IVT_V40 / IMX_IVT_V41 */
	u32 dcd_addr;		/* DCD_WRITE scratch address */
	struct sdp_mem_range ocram;
	struct sdp_mem_range ddr;
	struct sdp_mem_range periph;
	struct sdp_uid_map uid;
};

extern const struct sdp_soc sdp_socs[SDP_SOC_COUNT];

const struct sdp_soc *sdp_soc_by_name(const char *name);
const struct sdp_soc *sdp_soc_by_usb_id(u16 vid, u16 pid);

/*
 * Which region [addr, addr + len) lies in entirely (len 0 counts as 1);
 * SDP_REGION_NONE if it is outside the map or straddles regions.
 */
enum sdp_region sdp_soc_region(const struct sdp_soc *soc, u32 addr, u64 len);
const char *sdp_region_name(enum sdp_region r);

/*
 * The 64-bit unique ID from the values of the registers @soc->uid names,
 * @regs[i] read from @soc->uid.addr[i]. 0, or -EOPNOTSUPP when the ID's
 * location is not known for @soc (or @soc is NULL).
 */
int sdp_soc_uid_join(const struct sdp_soc *soc, const u32 *regs, u64 *uid);

/* What register @i of @soc->uid holds for the ID @uid (0 past nregs). */
u32 sdp_soc_uid_reg(const struct sdp_soc *soc, u64 uid, unsigned int i);

/*
 * @uid as 16 upper-case hex digits and a NUL, the text Linux shows in
 * /sys/devices/soc0/serial_number once the board runs.
 */
void sdp_uid_format(u64 uid, char buf[SDP_UID_HEX_LEN + 1]);

/*
 * Exactly 16 hex digits of either case in the @len bytes at @s, one
 * trailing newline allowed: 0 with *@uid set, or -EINVAL.
 */
int sdp_uid_parse(const char *s, size_t len, u64 *uid);

#endif /* _IMXFLASH_SDP_SOC_H */
