// SPDX-License-Identifier: GPL-2.0
/*
 * usb_f_sdp: the boot ROM's Serial Download Protocol command machine.
 *
 * Reports arrive one at a time from ep0 SET_REPORT completions: report 1
 * carries a command, report 2 the data phase of WRITE_FILE, DCD_WRITE and
 * WRITE_CSF. Replies are queued as "pending" flags and turned into
 * interrupt-IN reports by sdp_rom_next_in() in the order the ROM sends
 * them: report 3 (HAB state) first, then report 4 (status or data).
 *
 * What a real ROM does that we emulate: whole-report writes (a padded last
 * report lands in memory, as on silicon), the DCD executed against the
 * emulated memory, JUMP validating the IVT and boot data, re-running the
 * image's DCD unless SKIP_DCD_HEADER was received, HAB closed parts
 * refusing images without a CSF, and plugin images returning to SDP.
 * Signatures are not verified: a closed part accepts any image whose CSF
 * pointer leads to a CSF header.
 *
 * Every failure is answered with a HAB event in report 4, remembered for
 * ERROR_STATUS, and described in last_error naming the command, the field
 * and the address.
 */

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mm.h>

#include <imxflash/imx_image.h>

#include "u_sdp.h"

#define SDP_ARM_BX_LR		0xe12fff1e
#define SDP_THUMB_BX_LR		0x4770

static const char * const sdp_state_names[] = {
	[SDP_ST_OFF] = "off",
	[SDP_ST_IDLE] = "idle",
	[SDP_ST_DATA] = "data",
	[SDP_ST_BOOTING] = "booting",
	[SDP_ST_BOOTED] = "booted",
};

const char *sdp_state_name(u8 state)
{
	if (state < ARRAY_SIZE(sdp_state_names))
		return sdp_state_names[state];
	return "?";
}

static const struct sdp_soc *rom_soc(struct sdp_rom *rom)
{
	return &sdp_socs[rom->soc];
}

struct sdp_rom *sdp_rom_alloc(void)
{
	struct sdp_rom *rom = kvzalloc(sizeof(*rom), GFP_KERNEL);

	if (!rom)
		return NULL;
	spin_lock_init(&rom->lock);
	sdp_mem_init(&rom->mem, SDP_DEFAULT_MEM_LIMIT);
	rom->err_status = SDP_STATUS_OK;
	return rom;
}

void sdp_rom_free(struct sdp_rom *rom)
{
	if (!rom)
		return;
	sdp_mem_release(&rom->mem);
	kvfree(rom);
}

/*
 * A bind is a power-on: memory, flags and results of the previous run
 * are gone, as on a board that was switched off and on again.
 */
void sdp_rom_power_on(struct sdp_rom *rom, u8 soc, bool hab_closed,
		      u32 mem_limit, u64 uid)
{
	unsigned long flags;

	spin_lock_irqsave(&rom->lock, flags);
	sdp_mem_release(&rom->mem);
	sdp_mem_init(&rom->mem, mem_limit);
	rom->soc = soc;
	rom->hab_closed = hab_closed;
	rom->uid = uid;
	rom->state = SDP_ST_IDLE;
	rom->skip_dcd = 0;
	rom->discard = 0;
	rom->tx_hab = 0;
	rom->tx_status = 0;
	rom->tx_busy = 0;
	rom->boot_pending = 0;
	rom->rd_left = 0;
	rom->data_done = 0;
	rom->err_status = SDP_STATUS_OK;
	rom->jump_addr = 0;
	memset(&rom->cmd, 0, sizeof(rom->cmd));
	rom->log_head = 0;
	rom->last_error[0] = '\0';
	memset(&rom->stats, 0, sizeof(rom->stats));
	spin_unlock_irqrestore(&rom->lock, flags);
}

/* Unbind: the memory stays readable through debugfs until the next bind. */
void sdp_rom_power_off(struct sdp_rom *rom)
{
	unsigned long flags;

	spin_lock_irqsave(&rom->lock, flags);
	if (rom->state == SDP_ST_DATA)
		sdp_rom_error(rom, rom->fail_status,
			      "%s to 0x%08x interrupted by unbind after %u of %u bytes",
			      sdp_cmd_name(rom->cmd.type), rom->cmd.addr,
			      rom->data_done, rom->cmd.count);
	if (rom->state != SDP_ST_BOOTED)
		rom->state = SDP_ST_OFF;
	rom->tx_hab = 0;
	rom->tx_status = 0;
	rom->tx_busy = 0;
	rom->rd_left = 0;
	rom->boot_pending = 0;
	spin_unlock_irqrestore(&rom->lock, flags);
}

/*
 * Memory as the ROM's reads see it: RAM, and over it the fuse shadow
 * registers that hold the unique ID (Documentation/usb-f-sdp.rst, "uid").
 * The fuses are read-only here: a write to their address lands in the
 * RAM underneath and is never read back.
 */
void sdp_rom_read(struct sdp_rom *rom, u32 addr, void *buf, u32 len)
{
	const struct sdp_soc *soc = rom_soc(rom);
	u64 end = (u64)addr + len;
	unsigned int i, b;
	u8 *dst = buf;
	u32 reg;

	lockdep_assert_held(&rom->lock);

	sdp_mem_read(rom, addr, buf, len);
	for (i = 0; i < soc->uid.nregs; i++) {
		reg = sdp_soc_uid_reg(soc, rom->uid, i);
		for (b = 0; b < 4; b++) {
			u64 a = (u64)soc->uid.addr[i] + b;

			if (a >= addr && a < end)
				dst[a - addr] = reg >> (8 * b);
		}
	}
}

void sdp_rom_error(struct sdp_rom *rom, u32 status, const char *fmt, ...)
{
	va_list args;

	lockdep_assert_held(&rom->lock);

	va_start(args, fmt);
	vsnprintf(rom->last_error, sizeof(rom->last_error), fmt, args);
	va_end(args);
	rom->err_status = status;
	rom->stats.errors++;
	pr_info_ratelimited("%s\n", rom->last_error);
}

static void sdp_log(struct sdp_rom *rom, const struct sdp_cmd *cmd,
		    u32 result, u8 flags)
{
	struct sdp_log_entry *e = &rom->log[rom->log_head % SDP_LOG_LEN];

	lockdep_assert_held(&rom->lock);

	e->type = cmd->type;
	e->format = cmd->format;
	e->flags = flags;
	e->addr = cmd->addr;
	e->count = cmd->count;
	e->data = cmd->data;
	e->result = result;
	rom->log_head++;
}

/* Queue R3 + R4(@status) and log the command as finished. */
static void sdp_reply(struct sdp_rom *rom, u32 status, bool failed)
{
	rom->tx_hab = 1;
	rom->tx_status = 1;
	rom->tx_status_val = status;
	sdp_log(rom, &rom->cmd, status, failed ? SDP_LOGF_FAILED : 0);
}

static u32 hab_fail(u8 reason, u8 context)
{
	return SDP_HAB_EVENT(HAB_STS_FAILURE, reason, context, 0);
}

/* Is [addr, addr + len) inside one region of the SoC's map? */
static bool sdp_range_ok(struct sdp_rom *rom, u32 addr, u64 len,
			 bool periph_ok)
{
	enum sdp_region r = sdp_soc_region(rom_soc(rom), addr, len);

	return r != SDP_REGION_NONE && (periph_ok || r != SDP_REGION_PERIPH);
}

static void sdp_range_error(struct sdp_rom *rom, u32 status, const char *what,
			    u32 addr, u64 len)
{
	sdp_rom_error(rom, status,
		      "%s: 0x%08x..0x%08llx is outside the %s memory map",
		      what, addr, (unsigned long long)addr + len - 1,
		      rom_soc(rom)->desc);
}

static int sdp_rom_dcd_read(void *ctx, u32 addr, unsigned int width, u32 *val)
{
	struct sdp_rom *rom = ctx;
	u8 b[4] = { 0 };

	if (addr & (width - 1) || !sdp_range_ok(rom, addr, width, true))
		return -EFAULT;
	sdp_rom_read(rom, addr, b, width);
	*val = imxf_get_le32(b);
	return 0;
}

static int sdp_rom_dcd_write(void *ctx, u32 addr, unsigned int width, u32 val)
{
	struct sdp_rom *rom = ctx;
	u8 b[4];

	if (addr & (width - 1) || !sdp_range_ok(rom, addr, width, true))
		return -EFAULT;
	imxf_put_le32(b, val);
	return sdp_mem_write(rom, addr, b, width);
}

static const struct imx_dcd_ops sdp_rom_dcd_ops = {
	.read = sdp_rom_dcd_read,
	.write = sdp_rom_dcd_write,
};

/*
 * Run the DCD stored at @addr. @what names the caller for the message.
 * Returns 0 or the HAB event to report.
 */
static u32 sdp_run_dcd(struct sdp_rom *rom, const char *what, u32 addr,
		       u32 len)
{
	struct imx_dcd_result res = { 0 };
	int err;

	BUILD_BUG_ON(sizeof(rom->dcd_buf) < IMX_DCD_MAX_LEN);
	if (len > IMX_DCD_MAX_LEN || len < IMX_DCD_HDR_LEN) {
		sdp_rom_error(rom, hab_fail(HAB_RSN_INV_DCD, HAB_CTX_DCD),
			      "%s: DCD at 0x%08x: length %u outside %u..%u",
			      what, addr, len, IMX_DCD_HDR_LEN, IMX_DCD_MAX_LEN);
		return rom->err_status;
	}
	sdp_mem_read(rom, addr, rom->dcd_buf, len);
	err = imx_dcd_run(rom->dcd_buf, len, &sdp_rom_dcd_ops, rom, &res);
	rom->stats.dcd_runs++;
	if (!err)
		return 0;
	if (res.err_addr)
		sdp_rom_error(rom, hab_fail(HAB_RSN_INV_DCD, HAB_CTX_DCD),
			      "%s: DCD at 0x%08x, command at offset %u: %s (address 0x%08x, error %d)",
			      what, addr, res.err_off, res.why ?: "invalid",
			      res.err_addr, err);
	else
		sdp_rom_error(rom, hab_fail(HAB_RSN_INV_DCD, HAB_CTX_DCD),
			      "%s: DCD at 0x%08x, offset %u: %s (error %d)",
			      what, addr, res.err_off, res.why ?: "invalid", err);
	return rom->err_status;
}

static void sdp_finish_data(struct sdp_rom *rom)
{
	struct sdp_cmd *cmd = &rom->cmd;
	u32 status;

	rom->state = SDP_ST_IDLE;
	if (rom->discard) {
		sdp_reply(rom, rom->fail_status, true);
		return;
	}
	switch (cmd->type) {
	case SDP_WRITE_FILE:
		sdp_reply(rom, SDP_ACK_FILE, false);
		break;
	case SDP_WRITE_CSF:
		sdp_reply(rom, SDP_ACK_WRITE, false);
		break;
	case SDP_DCD_WRITE:
		status = sdp_run_dcd(rom, "DCD_WRITE", cmd->addr, cmd->count);
		if (status)
			sdp_reply(rom, status, true);
		else
			sdp_reply(rom, SDP_ACK_WRITE, false);
		break;
	}
}

/*
 * Start a data phase. The whole destination is checked before the first
 * byte is stored, so a refused command leaves memory untouched; its data
 * reports are still consumed (the host sends them anyway) and the failure
 * is reported after the last one, where the host reads the status.
 */
static void sdp_start_data(struct sdp_rom *rom)
{
	struct sdp_cmd *cmd = &rom->cmd;
	const char *name = sdp_cmd_name(cmd->type);
	/* The last report may carry up to 1 KiB - 1 bytes past DATA_COUNT. */
	u64 span = (u64)cmd->count + SDP_DATA_MAX - 1;
	u32 need, left;

	rom->state = SDP_ST_DATA;
	rom->data_done = 0;
	rom->wr_addr = cmd->addr;
	rom->discard = 0;
	rom->fail_status = hab_fail(HAB_RSN_INV_SIZE, HAB_CTX_COMMAND);

	if (!sdp_range_ok(rom, cmd->addr, cmd->count, false)) {
		rom->fail_status = hab_fail(HAB_RSN_INV_ADDRESS,
					    HAB_CTX_COMMAND);
		sdp_range_error(rom, rom->fail_status, name, cmd->addr,
				cmd->count);
		rom->discard = 1;
		return;
	}
	need = sdp_mem_pages_needed(rom, cmd->addr, span);
	left = rom->mem.max_pages - rom->mem.npages;
	if (need > left) {
		rom->fail_status = hab_fail(HAB_RSN_MEM_FAIL, HAB_CTX_COMMAND);
		sdp_rom_error(rom, rom->fail_status,
			      "%s: %u bytes at 0x%08x need %llu KiB, mem_limit leaves %llu KiB",
			      name, cmd->count, cmd->addr,
			      need == U32_MAX ? span >> 10 :
			      (u64)need * PAGE_SIZE >> 10,
			      (u64)left * PAGE_SIZE >> 10);
		rom->discard = 1;
	}
}

static void sdp_data_report(struct sdp_rom *rom, const u8 *data, u32 len)
{
	struct sdp_cmd *cmd = &rom->cmd;
	u32 store;
	int err;

	if (len > SDP_DATA_MAX)
		len = SDP_DATA_MAX;
	store = len;
	/*
	 * The ROM stores whole reports: a padded last report writes past
	 * DATA_COUNT, as on silicon, but never past the region checked above.
	 */
	if (!sdp_range_ok(rom, rom->wr_addr, store, false))
		store = (u64)cmd->addr + cmd->count > rom->wr_addr ?
			cmd->addr + cmd->count - rom->wr_addr : 0;
	if (!rom->discard && store) {
		err = sdp_mem_write(rom, rom->wr_addr, data, store);
		if (err) {
			rom->fail_status = hab_fail(HAB_RSN_MEM_FAIL,
						    HAB_CTX_COMMAND);
			sdp_rom_error(rom, rom->fail_status,
				      "%s: storing %u bytes at 0x%08x failed (%d)",
				      sdp_cmd_name(cmd->type), store,
				      rom->wr_addr, err);
			rom->discard = 1;
		} else {
			rom->stats.bytes_written += store;
		}
	}
	rom->stats.data_reports++;
	rom->wr_addr += len;
	rom->data_done += len;
	if (rom->data_done >= cmd->count)
		sdp_finish_data(rom);
}

/*
 * JUMP_ADDRESS: what the ROM checks before it hands over. Returns 0 when
 * the image may run, else the HAB event (last_error set). *@plugin tells
 * whether the image is a plugin that returns to the ROM.
 */
static u32 sdp_check_jump(struct sdp_rom *rom, u32 addr, bool *plugin)
{
	const struct sdp_soc *soc = rom_soc(rom);
	struct imx_boot_data bd;
	struct imx_ivt ivt;
	u8 buf[IMX_IVT_LEN];
	const char *why = NULL;
	u32 st;

	if (!sdp_range_ok(rom, addr, IMX_IVT_LEN, false)) {
		st = hab_fail(HAB_RSN_INV_ADDRESS, HAB_CTX_AUTHENTICATE);
		sdp_range_error(rom, st, "JUMP_ADDRESS", addr, IMX_IVT_LEN);
		return st;
	}
	sdp_mem_read(rom, addr, buf, IMX_IVT_LEN);
	if (imx_ivt_parse(&ivt, buf, IMX_IVT_LEN, &why)) {
		st = hab_fail(HAB_RSN_INV_IVT, HAB_CTX_AUTHENTICATE);
		sdp_rom_error(rom, st, "JUMP_ADDRESS 0x%08x: no valid IVT there (%s)",
			      addr, why ?: "bad header");
		return st;
	}
	if (ivt.version != soc->ivt_version) {
		st = hab_fail(HAB_RSN_INV_IVT, HAB_CTX_AUTHENTICATE);
		sdp_rom_error(rom, st,
			      "JUMP_ADDRESS 0x%08x: IVT version 0x%02x, the %s ROM takes 0x%02x",
			      addr, ivt.version, soc->desc, soc->ivt_version);
		return st;
	}
	if (ivt.self != addr) {
		st = hab_fail(HAB_RSN_INV_ADDRESS, HAB_CTX_AUTHENTICATE);
		sdp_rom_error(rom, st, "JUMP_ADDRESS 0x%08x: IVT.self is 0x%08x",
			      addr, ivt.self);
		return st;
	}
	if (!sdp_range_ok(rom, ivt.boot_data, IMX_BOOT_DATA_LEN, false)) {
		st = hab_fail(HAB_RSN_INV_ADDRESS, HAB_CTX_AUTHENTICATE);
		sdp_range_error(rom, st, "JUMP_ADDRESS: IVT.boot_data",
				ivt.boot_data, IMX_BOOT_DATA_LEN);
		return st;
	}
	sdp_mem_read(rom, ivt.boot_data, buf, IMX_BOOT_DATA_LEN);
	imx_boot_data_parse(&bd, buf, IMX_BOOT_DATA_LEN, &why);
	if (bd.start > addr || (u64)bd.start + bd.length <= addr ||
	    !sdp_range_ok(rom, bd.start, bd.length, false)) {
		st = hab_fail(HAB_RSN_INV_ADDRESS, HAB_CTX_AUTHENTICATE);
		sdp_rom_error(rom, st,
			      "JUMP_ADDRESS 0x%08x: boot data start 0x%08x length 0x%x does not hold the IVT or leaves the memory map",
			      addr, bd.start, bd.length);
		return st;
	}
	if (ivt.entry < bd.start || ivt.entry - bd.start >= bd.length) {
		st = hab_fail(HAB_RSN_INV_ADDRESS, HAB_CTX_ENTRY);
		sdp_rom_error(rom, st,
			      "JUMP_ADDRESS 0x%08x: IVT.entry 0x%08x is outside the image 0x%08x+0x%x",
			      addr, ivt.entry, bd.start, bd.length);
		return st;
	}
	if (ivt.dcd && !rom->skip_dcd) {
		u8 hdr[IMX_DCD_HDR_LEN];

		if (!sdp_range_ok(rom, ivt.dcd, IMX_DCD_HDR_LEN, false)) {
			st = hab_fail(HAB_RSN_INV_DCD, HAB_CTX_DCD);
			sdp_range_error(rom, st, "JUMP_ADDRESS: IVT.dcd",
					ivt.dcd, IMX_DCD_HDR_LEN);
			return st;
		}
		sdp_mem_read(rom, ivt.dcd, hdr, sizeof(hdr));
		st = sdp_run_dcd(rom, "JUMP_ADDRESS (IVT.dcd)", ivt.dcd,
				 imxf_get_be16(hdr + 1));
		if (st)
			return st;
	}
	if (rom->hab_closed) {
		if (!ivt.csf) {
			st = hab_fail(HAB_RSN_INV_CSF, HAB_CTX_AUTHENTICATE);
			sdp_rom_error(rom, st,
				      "JUMP_ADDRESS 0x%08x: HAB closed and the image is not signed (IVT.csf = 0)",
				      addr);
			return st;
		}
		buf[0] = 0;
		if (sdp_range_ok(rom, ivt.csf, 4, false))
			sdp_mem_read(rom, ivt.csf, buf, 4);
		if (buf[0] != IMX_CSF_TAG) {
			st = hab_fail(HAB_RSN_INV_CSF, HAB_CTX_CSF);
			sdp_rom_error(rom, st,
				      "JUMP_ADDRESS 0x%08x: HAB closed and IVT.csf 0x%08x holds no CSF header",
				      addr, ivt.csf);
			return st;
		}
	}
	/*
	 * The ROM calls IVT.entry; a plugin is code that returns, and the ROM
	 * then resumes SDP. Loaders clear boot_data.plugin in what they send
	 * (imx_usb does), so the flag alone cannot tell. The emulator runs
	 * exactly one instruction: a return (ARM or Thumb "bx lr") at the
	 * entry point makes the image a plugin, as does the flag.
	 */
	sdp_mem_read(rom, ivt.entry & ~1u, buf, 4);
	if (ivt.entry & 1)	/* Thumb entry */
		*plugin = (buf[0] | buf[1] << 8) == SDP_THUMB_BX_LR;
	else
		*plugin = imxf_get_le32(buf) == SDP_ARM_BX_LR;
	*plugin |= bd.plugin & IMX_BOOT_PLUGIN;
	return 0;
}

static void sdp_rom_jump(struct sdp_rom *rom)
{
	bool plugin = false;
	u32 st;

	rom->stats.jumps++;
	st = sdp_check_jump(rom, rom->cmd.addr, &plugin);
	if (st) {
		/* The ROM stays in SDP and says why in report 4. */
		sdp_reply(rom, st, true);
		return;
	}
	rom->tx_hab = 1;
	sdp_log(rom, &rom->cmd, 0, SDP_LOGF_NOREPLY);
	rom->skip_dcd = 0;
	if (plugin) {
		/* The plugin returns to the ROM, which keeps serving SDP. */
		rom->stats.plugins++;
		return;
	}
	rom->jump_addr = rom->cmd.addr;
	rom->state = SDP_ST_BOOTING;
	rom->boot_pending = 1;
}

static void sdp_register_cmd(struct sdp_rom *rom)
{
	struct sdp_cmd *cmd = &rom->cmd;
	unsigned int w = sdp_format_width(cmd->format);
	u8 b[4];
	u32 st;

	if (cmd->type == SDP_READ_REGISTER) {
		if (!sdp_range_ok(rom, cmd->addr, cmd->count, true)) {
			st = hab_fail(HAB_RSN_INV_ADDRESS, HAB_CTX_COMMAND);
			sdp_range_error(rom, st, "READ_REGISTER", cmd->addr,
					cmd->count);
			sdp_reply(rom, st, true);
			return;
		}
		rom->tx_hab = 1;
		rom->rd_addr = cmd->addr;
		rom->rd_left = cmd->count;
		sdp_log(rom, cmd, 0, 0);
		return;
	}
	if (cmd->addr & (w - 1) || !sdp_range_ok(rom, cmd->addr, w, true)) {
		st = hab_fail(HAB_RSN_INV_ADDRESS, HAB_CTX_COMMAND);
		sdp_rom_error(rom, st, "WRITE_REGISTER: %u-bit access at 0x%08x is %s",
			      w * 8, cmd->addr, cmd->addr & (w - 1) ?
			      "unaligned" : "outside the memory map");
		sdp_reply(rom, st, true);
		return;
	}
	imxf_put_le32(b, cmd->data);
	if (sdp_mem_write(rom, cmd->addr, b, w)) {
		st = hab_fail(HAB_RSN_MEM_FAIL, HAB_CTX_COMMAND);
		sdp_rom_error(rom, st, "WRITE_REGISTER: 0x%08x: mem_limit reached",
			      cmd->addr);
		sdp_reply(rom, st, true);
		return;
	}
	sdp_reply(rom, SDP_ACK_WRITE, false);
}

static void sdp_command(struct sdp_rom *rom, const u8 *data, u32 len)
{
	struct sdp_cmd *cmd = &rom->cmd;
	const char *why = NULL;
	u32 st;
	int err;

	rom->stats.commands++;
	/* A new command supersedes replies the host did not collect. */
	rom->tx_hab = 0;
	rom->tx_status = 0;
	rom->rd_left = 0;

	memset(cmd, 0, sizeof(*cmd));
	err = sdp_cmd_decode(cmd, data, len, &why);
	if (!err)
		err = sdp_cmd_validate(cmd, &why);
	if (err) {
		st = hab_fail(err == -EOPNOTSUPP ? HAB_RSN_UNS_COMMAND :
			      HAB_RSN_INV_COMMAND, HAB_CTX_COMMAND);
		if (err == -EOPNOTSUPP)
			sdp_rom_error(rom, st, "unknown command 0x%04x (%s)",
				      len >= 2 ? imxf_get_be16(data) : 0,
				      why ?: "unsupported");
		else
			sdp_rom_error(rom, st, "%s: invalid command block: %s",
				      sdp_cmd_name(cmd->type) ?: "command",
				      why ?: "malformed");
		sdp_reply(rom, st, true);
		return;
	}

	switch (cmd->type) {
	case SDP_READ_REGISTER:
	case SDP_WRITE_REGISTER:
		sdp_register_cmd(rom);
		break;
	case SDP_WRITE_FILE:
	case SDP_WRITE_CSF:
	case SDP_DCD_WRITE:
		sdp_start_data(rom);
		break;
	case SDP_ERROR_STATUS:
		rom->tx_hab = 1;
		rom->tx_status = 1;
		rom->tx_status_val = rom->err_status;
		sdp_log(rom, cmd, rom->err_status, 0);
		break;
	case SDP_SKIP_DCD_HEADER:
		if (!(rom_soc(rom)->flags & SDP_SOC_SKIP_DCD)) {
			st = hab_fail(HAB_RSN_UNS_COMMAND, HAB_CTX_COMMAND);
			sdp_rom_error(rom, st,
				      "SKIP_DCD_HEADER: not supported by the %s ROM (clear IVT.dcd instead)",
				      rom_soc(rom)->desc);
			sdp_reply(rom, st, true);
			break;
		}
		rom->skip_dcd = 1;
		sdp_reply(rom, SDP_ACK_SKIP_DCD, false);
		break;
	case SDP_JUMP_ADDRESS:
		sdp_rom_jump(rom);
		break;
	}
}

/* One report-1/report-2 data stage from SET_REPORT; ID byte first. */
void sdp_rom_out_report(struct sdp_rom *rom, const u8 *buf, unsigned int len)
{
	lockdep_assert_held(&rom->lock);

	if (rom->state != SDP_ST_IDLE && rom->state != SDP_ST_DATA)
		return;		/* booting: the ROM no longer listens */
	if (!len) {
		sdp_rom_error(rom, rom->err_status, "empty SET_REPORT data stage");
		return;
	}
	switch (buf[0]) {
	case SDP_REPORT_CMD:
		if (rom->state == SDP_ST_DATA) {
			u32 st = hab_fail(HAB_RSN_INV_SIZE, HAB_CTX_COMMAND);

			sdp_rom_error(rom, st,
				      "%s to 0x%08x truncated: %u of %u bytes received before the next command",
				      sdp_cmd_name(rom->cmd.type), rom->cmd.addr,
				      rom->data_done, rom->cmd.count);
			sdp_log(rom, &rom->cmd, st,
				SDP_LOGF_FAILED | SDP_LOGF_TRUNCATED);
			rom->state = SDP_ST_IDLE;
		}
		sdp_command(rom, buf + 1, len - 1);
		break;
	case SDP_REPORT_DATA:
		if (rom->state != SDP_ST_DATA) {
			sdp_rom_error(rom, rom->err_status,
				      "data report (%u bytes) outside a data phase ignored",
				      len - 1);
			return;
		}
		sdp_data_report(rom, buf + 1, len - 1);
		break;
	default:
		sdp_rom_error(rom, rom->err_status,
			      "SET_REPORT with report ID %u ignored (the ROM takes 1 and 2)",
			      buf[0]);
	}
}

/*
 * Build the next interrupt-IN report into @buf (1 + SDP_STATUS_MAX bytes).
 * Returns its length, 0 if nothing is pending.
 */
int sdp_rom_next_in(struct sdp_rom *rom, u8 *buf)
{
	u32 n;

	lockdep_assert_held(&rom->lock);

	if (rom->tx_hab) {
		rom->tx_hab = 0;
		buf[0] = SDP_REPORT_HAB;
		imxf_put_le32(buf + 1, rom->hab_closed ? SDP_HAB_CLOSED :
			      SDP_HAB_OPEN);
		return 1 + SDP_HAB_LEN;
	}
	memset(buf, 0, 1 + SDP_STATUS_MAX);
	buf[0] = SDP_REPORT_STATUS;
	if (rom->tx_status) {
		rom->tx_status = 0;
		imxf_put_le32(buf + 1, rom->tx_status_val);
		return 1 + SDP_STATUS_MAX;
	}
	if (rom->rd_left) {
		n = min_t(u32, rom->rd_left, SDP_STATUS_MAX);
		sdp_rom_read(rom, rom->rd_addr, buf + 1, n);
		rom->rd_addr += n;
		rom->rd_left -= n;
		return 1 + SDP_STATUS_MAX;
	}
	return 0;
}
