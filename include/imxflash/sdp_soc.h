/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Per-SoC facts of the i.MX SDP boot ROMs: USB IDs, memory map, DCD
 * scratch address and the rule used before JUMP. Shared by usb_f_sdp
 * (ROM profiles), hid-imx-sdp (soc attribute) and imx-sdp (boot flow).
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

#endif /* _IMXFLASH_SDP_SOC_H */
