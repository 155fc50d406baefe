/* SPDX-License-Identifier: GPL-2.0 */
/*
 * usb_f_sdp: USB gadget function emulating the i.MX boot ROM's Serial
 * Download Protocol (SDP) over HID. The interfaces between the function's
 * files; which file holds what: Documentation/usb-f-sdp.rst, "Source
 * files".
 */
#ifndef _U_SDP_H
#define _U_SDP_H

#include <linux/usb/composite.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <linux/workqueue.h>

#include <imxflash/sdp_proto.h>
#include <imxflash/sdp_soc.h>

#define SDP_DEFAULT_MEM_LIMIT	(128u << 20)
#define SDP_DEFAULT_BOOT_DELAY	100	/* ms between JUMP and disconnect */
#define SDP_ERR_LEN		160
#define SDP_LOG_LEN		512	/* command log ring entries */

enum sdp_state {
	SDP_ST_OFF,		/* not bound to a UDC: board without power */
	SDP_ST_IDLE,		/* waiting for a command (report 1) */
	SDP_ST_DATA,		/* receiving the data phase (report 2) */
	SDP_ST_BOOTING,		/* JUMP accepted, about to leave the bus */
	SDP_ST_BOOTED,		/* image "runs": disconnected from the bus */
};

/**
 * struct sdp_mem - sparse emulated memory of the SoC
 * @pages: page index (address >> PAGE_SHIFT) -> page, allocated on write
 * @npages: pages allocated
 * @max_pages: allocation bound (mem_limit)
 */
struct sdp_mem {
	struct xarray pages;
	u32 npages;
	u32 max_pages;
};

/* One command as the emulator saw it; result is the R4 status it sent. */
struct sdp_log_entry {
	u16 type;
	u8 format;
	u8 flags;		/* SDP_LOGF_* */
	u32 addr;
	u32 count;
	u32 data;
	u32 result;
};

#define SDP_LOGF_FAILED		0x01
#define SDP_LOGF_TRUNCATED	0x02
#define SDP_LOGF_NOREPLY	0x04	/* successful JUMP: no R4 */

struct sdp_stats {
	u32 commands;
	u32 data_reports;
	u64 bytes_written;
	u32 dcd_runs;
	u32 plugins;
	u32 jumps;
	u32 errors;
};

/**
 * struct sdp_rom - state of one emulated board, owned by its configfs
 * function instance so that memory and results survive the disconnect
 * that a successful JUMP causes (tests read them afterwards).
 *
 * Everything below @lock is protected by it; it is taken from ep0/IN
 * completions (atomic context), configfs and debugfs.
 */
struct sdp_rom {
	spinlock_t lock;	/* protects all of the below */
	u8 soc;			/* enum sdp_soc_id */
	u8 state;		/* enum sdp_state */
	u8 hab_closed:1;
	u8 skip_dcd:1;		/* SKIP_DCD_HEADER received */
	u8 discard:1;		/* data phase is consumed but not stored */
	u8 tx_hab:1;		/* R3 pending */
	u8 tx_status:1;		/* R4 status word pending */
	u8 tx_busy:1;		/* the IN request is queued */
	u8 boot_pending:1;	/* disconnect once R3 of JUMP is out */
	struct sdp_cmd cmd;	/* command being served */
	u32 data_done;		/* data phase bytes received */
	u32 wr_addr;		/* next address of the data phase */
	u32 tx_status_val;
	u32 rd_addr;		/* READ_REGISTER cursor */
	u32 rd_left;
	u32 err_status;		/* answer of ERROR_STATUS */
	u32 fail_status;	/* status of the command being served */
	u32 jump_addr;
	u64 uid;		/* the fuses' unique ID (READ_REGISTER) */
	u32 log_head;		/* total entries ever logged */
	struct sdp_stats stats;
	struct sdp_mem mem;
	char last_error[SDP_ERR_LEN];
	struct sdp_log_entry log[SDP_LOG_LEN];
	u8 dcd_buf[1024 * 2];	/* DCD copied out of memory to run it */
};

struct f_sdp_opts {
	struct usb_function_instance func_inst;
	struct sdp_rom *rom;
	struct dentry *debugfs;
	u64 uid;
	u32 mem_limit;
	u16 boot_delay_ms;
	u8 soc;
	u8 hab_closed;
	/* Protects the options against configfs and bind/unbind. */
	struct mutex lock;
	int refcnt;
};

/* f_sdp_mem.c */
void sdp_mem_init(struct sdp_mem *mem, u32 limit);
void sdp_mem_release(struct sdp_mem *mem);
int sdp_mem_write(struct sdp_rom *rom, u32 addr, const void *buf, u32 len);
void sdp_mem_read(struct sdp_rom *rom, u32 addr, void *buf, u32 len);
void sdp_rom_read(struct sdp_rom *rom, u32 addr, void *buf, u32 len);
u32 sdp_mem_pages_needed(struct sdp_rom *rom, u32 addr, u64 len);
struct dentry *sdp_debugfs_create(struct sdp_rom *rom, const char *name);
void sdp_debugfs_remove(struct dentry *dir);
int sdp_debugfs_init(void);
void sdp_debugfs_exit(void);

/* f_sdp_rom.c */
struct sdp_rom *sdp_rom_alloc(void);
void sdp_rom_free(struct sdp_rom *rom);
void sdp_rom_power_on(struct sdp_rom *rom, u8 soc, bool hab_closed,
		      u32 mem_limit, u64 uid);
void sdp_rom_power_off(struct sdp_rom *rom);
void sdp_rom_out_report(struct sdp_rom *rom, const u8 *buf, unsigned int len);
int sdp_rom_next_in(struct sdp_rom *rom, u8 *buf);
void sdp_rom_error(struct sdp_rom *rom, u32 status, const char *fmt, ...)
	__printf(3, 4);
const char *sdp_state_name(u8 state);

#endif /* _U_SDP_H */
