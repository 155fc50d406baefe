// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for lib/imxflash/fastboot_cmd.c: every command spelling of
 * Documentation/fastboot-protocol.rst, "Command set" and "What stock
 * clients send" (fastboot 29.0.6, uuu, U-Boot extensions), every error
 * with its errno and reason, the length limits, and the command and
 * variable name tables. The responses (fastboot_resp, "Responses") are
 * tested in fastboot_cmd_resp_test.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include <imxflash/fastboot_cmd.h>

#include "kselftest_harness.h"

/* The text of a span, NUL-terminated (a few at once). */
static const char *span(const char *buf, struct fastboot_span s)
{
	static char out[4][FASTBOOT_CMD_ID_MAX + 1];
	static int i;
	char *p = out[i++ % 4];

	memcpy(p, buf + s.off, s.len);
	p[s.len] = '\0';
	return p;
}

static const char *str(const char *s)
{
	return s ? s : "(null)";
}

/* ---- every valid spelling ---- */

FIXTURE(ok) {
	struct fastboot_command cmd;
};

FIXTURE_VARIANT(ok) {
	const char *pkt;
	size_t len;		/* 0: strlen(pkt) */
	u8 id;
	u8 var;
	u8 flags;
	u32 size;
	u64 offset;
	u64 length;
	const char *name;	/* NULL: "" */
	const char *arg;
	const char *word;
	const char *target;
};

FIXTURE_SETUP(ok)
{
	memset(&self->cmd, 0xa5, sizeof(self->cmd));
}

FIXTURE_TEARDOWN(ok)
{
}

#define OK(tag) FIXTURE_VARIANT_ADD(ok, tag)

/* getvar: every variable of "Variables", as 29.0.6 and uuu send them */
OK(getvar_version) { .pkt = "getvar:version", .id = FASTBOOT_CMD_ID_GETVAR,
	.var = FASTBOOT_VAR_VERSION, .name = "getvar", .arg = "version",
	.word = "version" };
OK(getvar_all) { .pkt = "getvar:all", .id = FASTBOOT_CMD_ID_GETVAR,
	.var = FASTBOOT_VAR_ALL, .name = "getvar", .arg = "all", .word = "all" };
OK(getvar_version_bootloader) { .pkt = "getvar:version-bootloader",
	.id = FASTBOOT_CMD_ID_GETVAR, .var = FASTBOOT_VAR_VERSION_BOOTLOADER,
	.name = "getvar", .arg = "version-bootloader",
	.word = "version-bootloader" };
OK(getvar_version_baseband) { .pkt = "getvar:version-baseband",
	.id = FASTBOOT_CMD_ID_GETVAR, .var = FASTBOOT_VAR_VERSION_BASEBAND, .name = "getvar",
	.arg = "version-baseband", .word = "version-baseband" };
OK(getvar_product) { .pkt = "getvar:product", .id = FASTBOOT_CMD_ID_GETVAR,
	.var = FASTBOOT_VAR_PRODUCT, .name = "getvar", .arg = "product",
	.word = "product" };
OK(getvar_serialno) { .pkt = "getvar:serialno", .id = FASTBOOT_CMD_ID_GETVAR,
	.var = FASTBOOT_VAR_SERIALNO, .name = "getvar", .arg = "serialno",
	.word = "serialno" };
OK(getvar_secure) { .pkt = "getvar:secure", .id = FASTBOOT_CMD_ID_GETVAR,
	.var = FASTBOOT_VAR_SECURE, .name = "getvar", .arg = "secure",
	.word = "secure" };
OK(getvar_unlocked) { .pkt = "getvar:unlocked", .id = FASTBOOT_CMD_ID_GETVAR,
	.var = FASTBOOT_VAR_UNLOCKED, .name = "getvar", .arg = "unlocked",
	.word = "unlocked" };
OK(getvar_max_download_size) { .pkt = "getvar:max-download-size",
	.id = FASTBOOT_CMD_ID_GETVAR, .var = FASTBOOT_VAR_MAX_DOWNLOAD_SIZE, .name = "getvar",
	.arg = "max-download-size", .word = "max-download-size" };
OK(getvar_downloadsize) { .pkt = "getvar:downloadsize", .id = FASTBOOT_CMD_ID_GETVAR,
	.var = FASTBOOT_VAR_MAX_DOWNLOAD_SIZE, .name = "getvar",
	.arg = "downloadsize", .word = "downloadsize" };
OK(getvar_max_fetch_size) { .pkt = "getvar:max-fetch-size",
	.id = FASTBOOT_CMD_ID_GETVAR, .var = FASTBOOT_VAR_MAX_FETCH_SIZE, .name = "getvar",
	.arg = "max-fetch-size", .word = "max-fetch-size" };
OK(getvar_partition_size) { .pkt = "getvar:partition-size:rootfs",
	.id = FASTBOOT_CMD_ID_GETVAR, .var = FASTBOOT_VAR_PARTITION_SIZE, .name = "getvar",
	.arg = "partition-size:rootfs", .word = "partition-size",
	.target = "rootfs" };
OK(getvar_partition_size_raw) { .pkt = "getvar:partition-size:0x400",
	.id = FASTBOOT_CMD_ID_GETVAR, .var = FASTBOOT_VAR_PARTITION_SIZE,
	.flags = FASTBOOT_CMD_F_RAW, .offset = 0x400, .name = "getvar",
	.arg = "partition-size:0x400", .word = "partition-size",
	.target = "0x400" };
OK(getvar_partition_type) { .pkt = "getvar:partition-type:vbmeta_a",
	.id = FASTBOOT_CMD_ID_GETVAR, .var = FASTBOOT_VAR_PARTITION_TYPE, .name = "getvar",
	.arg = "partition-type:vbmeta_a", .word = "partition-type",
	.target = "vbmeta_a" };
OK(getvar_has_slot) { .pkt = "getvar:has-slot:rootfs", .id = FASTBOOT_CMD_ID_GETVAR,
	.var = FASTBOOT_VAR_HAS_SLOT, .name = "getvar", .arg = "has-slot:rootfs",
	.word = "has-slot", .target = "rootfs" };
OK(getvar_is_logical) { .pkt = "getvar:is-logical:rootfs",
	.id = FASTBOOT_CMD_ID_GETVAR, .var = FASTBOOT_VAR_IS_LOGICAL, .name = "getvar",
	.arg = "is-logical:rootfs", .word = "is-logical", .target = "rootfs" };
OK(getvar_current_slot) { .pkt = "getvar:current-slot", .id = FASTBOOT_CMD_ID_GETVAR,
	.var = FASTBOOT_VAR_CURRENT_SLOT, .name = "getvar", .arg = "current-slot",
	.word = "current-slot" };
OK(getvar_slot_count) { .pkt = "getvar:slot-count", .id = FASTBOOT_CMD_ID_GETVAR,
	.var = FASTBOOT_VAR_SLOT_COUNT, .name = "getvar", .arg = "slot-count",
	.word = "slot-count" };
OK(getvar_slot_successful) { .pkt = "getvar:slot-successful:a",
	.id = FASTBOOT_CMD_ID_GETVAR, .var = FASTBOOT_VAR_SLOT_SUCCESSFUL, .name = "getvar",
	.arg = "slot-successful:a", .word = "slot-successful", .target = "a" };
OK(getvar_slot_unbootable) { .pkt = "getvar:slot-unbootable:_b",
	.id = FASTBOOT_CMD_ID_GETVAR, .var = FASTBOOT_VAR_SLOT_UNBOOTABLE, .name = "getvar",
	.arg = "slot-unbootable:_b", .word = "slot-unbootable", .target = "b" };
OK(getvar_slot_retry_count) { .pkt = "getvar:slot-retry-count:b",
	.id = FASTBOOT_CMD_ID_GETVAR, .var = FASTBOOT_VAR_SLOT_RETRY_COUNT, .name = "getvar",
	.arg = "slot-retry-count:b", .word = "slot-retry-count",
	.target = "b" };
OK(getvar_is_userspace) { .pkt = "getvar:is-userspace", .id = FASTBOOT_CMD_ID_GETVAR,
	.var = FASTBOOT_VAR_IS_USERSPACE, .name = "getvar", .arg = "is-userspace",
	.word = "is-userspace" };
OK(getvar_super_partition_name) { .pkt = "getvar:super-partition-name",
	.id = FASTBOOT_CMD_ID_GETVAR, .var = FASTBOOT_VAR_SUPER_PARTITION_NAME,
	.name = "getvar", .arg = "super-partition-name",
	.word = "super-partition-name" };
OK(getvar_snapshot_update_status) { .pkt = "getvar:snapshot-update-status",
	.id = FASTBOOT_CMD_ID_GETVAR, .var = FASTBOOT_VAR_SNAPSHOT_UPDATE_STATUS,
	.name = "getvar", .arg = "snapshot-update-status",
	.word = "snapshot-update-status" };
OK(getvar_erase_block_size) { .pkt = "getvar:erase-block-size",
	.id = FASTBOOT_CMD_ID_GETVAR, .var = FASTBOOT_VAR_ERASE_BLOCK_SIZE, .name = "getvar",
	.arg = "erase-block-size", .word = "erase-block-size" };
OK(getvar_logical_block_size) { .pkt = "getvar:logical-block-size",
	.id = FASTBOOT_CMD_ID_GETVAR, .var = FASTBOOT_VAR_LOGICAL_BLOCK_SIZE, .name = "getvar",
	.arg = "logical-block-size", .word = "logical-block-size" };
/* usb_f_fastboot's probe for "oem sha256" */
OK(getvar_oem_sha256) { .pkt = "getvar:oem-sha256",
	.id = FASTBOOT_CMD_ID_GETVAR, .var = FASTBOOT_VAR_OEM_SHA256, .name = "getvar",
	.arg = "oem-sha256", .word = "oem-sha256" };
OK(getvar_other) { .pkt = "getvar:battery-voltage", .id = FASTBOOT_CMD_ID_GETVAR,
	.var = FASTBOOT_VAR_OTHER, .name = "getvar", .arg = "battery-voltage",
	.word = "battery-voltage" };
OK(getvar_other_param) { .pkt = "getvar:fastboot.partition-type:boot",
	.id = FASTBOOT_CMD_ID_GETVAR, .var = FASTBOOT_VAR_OTHER, .name = "getvar",
	.arg = "fastboot.partition-type:boot",
	.word = "fastboot.partition-type", .target = "boot" };
OK(getvar_other_empty_param) { .pkt = "getvar:foo:", .id = FASTBOOT_CMD_ID_GETVAR,
	.var = FASTBOOT_VAR_OTHER, .name = "getvar", .arg = "foo:", .word = "foo" };
/* a NUL ends the command (U-Boot's string semantics) */
OK(getvar_nul_junk) { .pkt = "getvar:version\0\x01\xff:junk", .len = 22,
	.id = FASTBOOT_CMD_ID_GETVAR, .var = FASTBOOT_VAR_VERSION, .name = "getvar",
	.arg = "version", .word = "version" };

/* download: 8 hex digits, lower case from 29.0.6 and uuu */
OK(download) { .pkt = "download:00100000", .id = FASTBOOT_CMD_ID_DOWNLOAD,
	.size = 0x100000, .name = "download", .arg = "00100000" };
OK(download_piece1) { .pkt = "download:00fff060", .id = FASTBOOT_CMD_ID_DOWNLOAD,
	.size = 0xfff060, .name = "download", .arg = "00fff060" };
OK(download_boot) { .pkt = "download:00301000", .id = FASTBOOT_CMD_ID_DOWNLOAD,
	.size = 0x301000, .name = "download", .arg = "00301000" };
OK(download_upper) { .pkt = "download:ABCDEF01", .id = FASTBOOT_CMD_ID_DOWNLOAD,
	.size = 0xabcdef01, .name = "download", .arg = "ABCDEF01" };
OK(download_max) { .pkt = "download:ffffffff", .id = FASTBOOT_CMD_ID_DOWNLOAD,
	.size = 0xffffffff, .name = "download", .arg = "ffffffff" };
OK(download_one) { .pkt = "download:00000001", .id = FASTBOOT_CMD_ID_DOWNLOAD,
	.size = 1, .name = "download", .arg = "00000001" };

OK(upload) { .pkt = "upload", .id = FASTBOOT_CMD_ID_UPLOAD, .name = "upload" };
OK(upload_colon) { .pkt = "upload:", .id = FASTBOOT_CMD_ID_UPLOAD, .name = "upload" };

/* fetch:<part>[:0x<off>[:0x<size>]] */
OK(fetch) { .pkt = "fetch:vendor_boot", .id = FASTBOOT_CMD_ID_FETCH, .name = "fetch",
	.arg = "vendor_boot", .target = "vendor_boot" };
OK(fetch_range) { .pkt = "fetch:vendor_boot:0x00001000:0x00002000",
	.id = FASTBOOT_CMD_ID_FETCH, .flags = FASTBOOT_CMD_F_OFFSET | FASTBOOT_CMD_F_SIZE,
	.offset = 0x1000, .length = 0x2000, .name = "fetch",
	.arg = "vendor_boot:0x00001000:0x00002000", .target = "vendor_boot" };
OK(fetch_offset) { .pkt = "fetch:boot:0X10", .id = FASTBOOT_CMD_ID_FETCH,
	.flags = FASTBOOT_CMD_F_OFFSET, .offset = 0x10, .name = "fetch",
	.arg = "boot:0X10", .target = "boot" };
OK(fetch_raw) { .pkt = "fetch:0x400:0x10:0x200", .id = FASTBOOT_CMD_ID_FETCH,
	.flags = FASTBOOT_CMD_F_RAW | FASTBOOT_CMD_F_OFFSET | FASTBOOT_CMD_F_SIZE,
	.offset = 0x410, .length = 0x200, .name = "fetch",
	.arg = "0x400:0x10:0x200", .target = "0x400" };
OK(fetch_max) { .pkt = "fetch:boot:0xfffffffffffffffe:0x1", .id = FASTBOOT_CMD_ID_FETCH,
	.flags = FASTBOOT_CMD_F_OFFSET | FASTBOOT_CMD_F_SIZE,
	.offset = 0xfffffffffffffffeull, .length = 1, .name = "fetch",
	.arg = "boot:0xfffffffffffffffe:0x1", .target = "boot" };

/* flash and erase: names, raw offsets, U-Boot special names */
OK(flash) { .pkt = "flash:rootfs", .id = FASTBOOT_CMD_ID_FLASH, .name = "flash",
	.arg = "rootfs", .target = "rootfs" };
OK(flash_slot) { .pkt = "flash:rootfs_a", .id = FASTBOOT_CMD_ID_FLASH, .name = "flash",
	.arg = "rootfs_a", .target = "rootfs_a" };
OK(flash_raw) { .pkt = "flash:0x400", .id = FASTBOOT_CMD_ID_FLASH,
	.flags = FASTBOOT_CMD_F_RAW, .offset = 0x400, .name = "flash", .arg = "0x400",
	.target = "0x400" };
OK(flash_raw_upper) { .pkt = "flash:0X8400", .id = FASTBOOT_CMD_ID_FLASH,
	.flags = FASTBOOT_CMD_F_RAW, .offset = 0x8400, .name = "flash",
	.arg = "0X8400", .target = "0X8400" };
OK(flash_raw_zero) { .pkt = "flash:0x0", .id = FASTBOOT_CMD_ID_FLASH,
	.flags = FASTBOOT_CMD_F_RAW, .offset = 0, .name = "flash", .arg = "0x0",
	.target = "0x0" };
OK(flash_raw_zeros) { .pkt = "flash:0x0000000000000000000400",
	.id = FASTBOOT_CMD_ID_FLASH, .flags = FASTBOOT_CMD_F_RAW, .offset = 0x400,
	.name = "flash", .arg = "0x0000000000000000000400",
	.target = "0x0000000000000000000400" };
OK(flash_raw_max) { .pkt = "flash:0xffffffffffffffff", .id = FASTBOOT_CMD_ID_FLASH,
	.flags = FASTBOOT_CMD_F_RAW, .offset = 0xffffffffffffffffull,
	.name = "flash", .arg = "0xffffffffffffffff",
	.target = "0xffffffffffffffff" };
OK(flash_gpt) { .pkt = "flash:gpt", .id = FASTBOOT_CMD_ID_FLASH, .name = "flash",
	.arg = "gpt", .target = "gpt" };
OK(flash_mbr) { .pkt = "flash:mbr", .id = FASTBOOT_CMD_ID_FLASH, .name = "flash",
	.arg = "mbr", .target = "mbr" };
OK(flash_boot0) { .pkt = "flash:mmc0boot0", .id = FASTBOOT_CMD_ID_FLASH,
	.name = "flash", .arg = "mmc0boot0", .target = "mmc0boot0" };
OK(flash_punct) { .pkt = "flash:a.b-c_d+e@1", .id = FASTBOOT_CMD_ID_FLASH,
	.name = "flash", .arg = "a.b-c_d+e@1", .target = "a.b-c_d+e@1" };
OK(flash_0xname) { .pkt = "flash:0", .id = FASTBOOT_CMD_ID_FLASH, .name = "flash",
	.arg = "0", .target = "0" };
OK(erase) { .pkt = "erase:rootfs", .id = FASTBOOT_CMD_ID_ERASE, .name = "erase",
	.arg = "rootfs", .target = "rootfs" };
OK(erase_raw) { .pkt = "erase:0x100000", .id = FASTBOOT_CMD_ID_ERASE,
	.flags = FASTBOOT_CMD_F_RAW, .offset = 0x100000, .name = "erase",
	.arg = "0x100000", .target = "0x100000" };

/* commands without argument; uuu appends ':' to each */
OK(boot) { .pkt = "boot", .id = FASTBOOT_CMD_ID_BOOT, .name = "boot" };
OK(boot_colon) { .pkt = "boot:", .id = FASTBOOT_CMD_ID_BOOT, .name = "boot" };
OK(continue) { .pkt = "continue", .id = FASTBOOT_CMD_ID_CONTINUE, .name = "continue" };
OK(continue_colon) { .pkt = "continue:", .id = FASTBOOT_CMD_ID_CONTINUE,
	.name = "continue" };
OK(reboot) { .pkt = "reboot", .id = FASTBOOT_CMD_ID_REBOOT, .name = "reboot" };
OK(reboot_colon) { .pkt = "reboot:", .id = FASTBOOT_CMD_ID_REBOOT, .name = "reboot" };
OK(reboot_bootloader) { .pkt = "reboot-bootloader",
	.id = FASTBOOT_CMD_ID_REBOOT_BOOTLOADER, .name = "reboot-bootloader" };
OK(reboot_bootloader_colon) { .pkt = "reboot-bootloader:",
	.id = FASTBOOT_CMD_ID_REBOOT_BOOTLOADER, .name = "reboot-bootloader" };
OK(reboot_recovery) { .pkt = "reboot-recovery", .id = FASTBOOT_CMD_ID_REBOOT_RECOVERY,
	.name = "reboot-recovery" };
OK(reboot_fastboot) { .pkt = "reboot-fastboot", .id = FASTBOOT_CMD_ID_REBOOT_FASTBOOT,
	.name = "reboot-fastboot" };
OK(reboot_arg_bootloader) { .pkt = "reboot:bootloader",
	.id = FASTBOOT_CMD_ID_REBOOT_BOOTLOADER, .name = "reboot", .arg = "bootloader" };
OK(reboot_arg_recovery) { .pkt = "reboot:recovery",
	.id = FASTBOOT_CMD_ID_REBOOT_RECOVERY, .name = "reboot", .arg = "recovery" };
OK(reboot_arg_fastboot) { .pkt = "reboot:fastboot",
	.id = FASTBOOT_CMD_ID_REBOOT_FASTBOOT, .name = "reboot", .arg = "fastboot" };

OK(set_active_a) { .pkt = "set_active:a", .id = FASTBOOT_CMD_ID_SET_ACTIVE,
	.name = "set_active", .arg = "a", .target = "a" };
OK(set_active_b) { .pkt = "set_active:b", .id = FASTBOOT_CMD_ID_SET_ACTIVE,
	.name = "set_active", .arg = "b", .target = "b" };
OK(set_active_suffix) { .pkt = "set_active:_a", .id = FASTBOOT_CMD_ID_SET_ACTIVE,
	.name = "set_active", .arg = "_a", .target = "a" };

/* oem: the whole rest, first word for dispatch */
OK(oem_format) { .pkt = "oem format", .id = FASTBOOT_CMD_ID_OEM, .name = "oem",
	.arg = "format", .word = "format" };
OK(oem_run) { .pkt = "oem run:echo hi", .id = FASTBOOT_CMD_ID_OEM, .name = "oem",
	.arg = "run:echo hi", .word = "run" };
OK(oem_partconf) { .pkt = "oem partconf:0 1", .id = FASTBOOT_CMD_ID_OEM,
	.name = "oem", .arg = "partconf:0 1", .word = "partconf" };
OK(oem_words) { .pkt = "oem foo bar  baz ", .id = FASTBOOT_CMD_ID_OEM, .name = "oem",
	.arg = "foo bar  baz ", .word = "foo" };
OK(oem_colon) { .pkt = "oem:foo bar", .id = FASTBOOT_CMD_ID_OEM, .name = "oem",
	.arg = "foo bar", .word = "foo" };

/* flashing: AOSP with a space, uuu with ':' */
OK(flashing_lock) { .pkt = "flashing lock", .id = FASTBOOT_CMD_ID_FLASHING_LOCK,
	.name = "flashing", .arg = "lock", .word = "lock" };
OK(flashing_unlock) { .pkt = "flashing unlock", .id = FASTBOOT_CMD_ID_FLASHING_UNLOCK,
	.name = "flashing", .arg = "unlock", .word = "unlock" };
OK(flashing_unlock_uuu) { .pkt = "flashing:unlock",
	.id = FASTBOOT_CMD_ID_FLASHING_UNLOCK, .name = "flashing", .arg = "unlock",
	.word = "unlock" };
OK(flashing_lock_critical) { .pkt = "flashing lock_critical",
	.id = FASTBOOT_CMD_ID_FLASHING_LOCK_CRITICAL, .name = "flashing",
	.arg = "lock_critical", .word = "lock_critical" };
OK(flashing_unlock_critical) { .pkt = "flashing:unlock_critical",
	.id = FASTBOOT_CMD_ID_FLASHING_UNLOCK_CRITICAL, .name = "flashing",
	.arg = "unlock_critical", .word = "unlock_critical" };
OK(flashing_get_unlock_ability) { .pkt = "flashing get_unlock_ability",
	.id = FASTBOOT_CMD_ID_FLASHING_GET_UNLOCK_ABILITY, .name = "flashing",
	.arg = "get_unlock_ability", .word = "get_unlock_ability" };

/* U-Boot's uuu commands */
OK(ucmd) { .pkt = "UCmd:setenv fastboot_dev mmc", .id = FASTBOOT_CMD_ID_UCMD,
	.name = "UCmd", .arg = "setenv fastboot_dev mmc" };
OK(acmd) { .pkt = "ACmd:booti ${loadaddr} - ${fdt_addr}", .id = FASTBOOT_CMD_ID_ACMD,
	.name = "ACmd", .arg = "booti ${loadaddr} - ${fdt_addr}" };

TEST_F(ok, parse)
{
	size_t len = variant->len ? variant->len : strlen(variant->pkt);
	const char *why = "not cleared";
	const char *p = variant->pkt;
	struct fastboot_command *c = &self->cmd;
	int ret;

	ret = fastboot_cmd_parse(c, p, len, &why);
	ASSERT_EQ(0, ret) {
		TH_LOG("'%s': %d %s", p, ret, str(why));
	}
	EXPECT_EQ(NULL, why);
	EXPECT_EQ(variant->id, c->id);
	EXPECT_EQ(variant->var, c->var);
	EXPECT_EQ(variant->flags, c->flags);
	EXPECT_EQ(0, c->rsvd);
	EXPECT_EQ(variant->size, c->size);
	EXPECT_EQ(variant->offset, c->offset);
	EXPECT_EQ(variant->length, c->length);
	EXPECT_STREQ(str(variant->name ?: ""), span(p, c->name));
	EXPECT_STREQ(str(variant->arg ?: ""), span(p, c->arg));
	EXPECT_STREQ(str(variant->word ?: ""), span(p, c->word));
	EXPECT_STREQ(str(variant->target ?: ""), span(p, c->target));
	/* spans inside the command */
	EXPECT_LE((size_t)c->arg.off + c->arg.len, len);
	EXPECT_LE((size_t)c->target.off + c->target.len, len);
	EXPECT_LE((size_t)c->word.off + c->word.len, len);
	EXPECT_EQ(0, c->name.off);
	/* the packet is not modified and NULL @why is fine */
	memset(c, 0, sizeof(*c));
	EXPECT_EQ(0, fastboot_cmd_parse(c, p, len, NULL));
	EXPECT_EQ(variant->id, c->id);
}

/* ---- every error, with its errno and reason ---- */

FIXTURE(bad) {
	struct fastboot_command cmd;
};

FIXTURE_VARIANT(bad) {
	const char *pkt;
	size_t len;		/* 0: strlen(pkt) */
	int err;
	const char *why;
	const char *name;	/* expected name span, NULL: "" */
};

FIXTURE_SETUP(bad)
{
	memset(&self->cmd, 0xa5, sizeof(self->cmd));
}

FIXTURE_TEARDOWN(bad)
{
}

#define BAD(tag) FIXTURE_VARIANT_ADD(bad, tag)

BAD(nul_first) { .pkt = "\0getvar:all", .len = 11, .err = -ENODATA,
	.why = "empty command" };
BAD(control) { .pkt = "getvar:ver\x01sion", .err = -EINVAL,
	.why = "control character in command" };
BAD(newline) { .pkt = "getvar:version\n", .err = -EINVAL,
	.why = "control character in command" };
BAD(del) { .pkt = "getvar:version\x7f", .err = -EINVAL,
	.why = "control character in command" };
BAD(tab) { .pkt = "oem\tfoo", .err = -EINVAL,
	.why = "control character in command" };
BAD(non_ascii) { .pkt = "flash:r\xc3\xb6otfs", .err = -EINVAL,
	.why = "non-ASCII byte in command" };
BAD(unknown) { .pkt = "foo:bar", .err = -EOPNOTSUPP, .why = "unknown command",
	.name = "foo" };
BAD(unknown_case) { .pkt = "Getvar:version", .err = -EOPNOTSUPP,
	.why = "unknown command", .name = "Getvar" };
BAD(unknown_space) { .pkt = "frobnicate now", .err = -EOPNOTSUPP,
	.why = "unknown command", .name = "frobnicate" };
BAD(unknown_empty_name) { .pkt = ":x", .err = -EOPNOTSUPP,
	.why = "unknown command" };
BAD(unknown_leading_space) { .pkt = " getvar:all", .err = -EOPNOTSUPP,
	.why = "unknown command" };
/* uuu's misspelt download, n and w swapped */
BAD(uuu_donwload) { .pkt = "do\x6ewload:00001000", .err = -EOPNOTSUPP,
	.why = "unknown command", .name = "do\x6ewload" };
BAD(space_separator) { .pkt = "getvar version", .err = -EINVAL,
	.why = "argument must follow ':'", .name = "getvar" };
BAD(space_download) { .pkt = "download 00001000", .err = -EINVAL,
	.why = "argument must follow ':'", .name = "download" };

BAD(getvar_missing) { .pkt = "getvar", .err = -EINVAL,
	.why = "variable name missing", .name = "getvar" };
BAD(getvar_empty) { .pkt = "getvar:", .err = -EINVAL,
	.why = "variable name missing", .name = "getvar" };
BAD(getvar_colon_only) { .pkt = "getvar::boot", .err = -EINVAL,
	.why = "variable name missing", .name = "getvar" };
BAD(getvar_space) { .pkt = "getvar:max download", .err = -EINVAL,
	.why = "variable name has a space", .name = "getvar" };
BAD(getvar_no_param) { .pkt = "getvar:version:x", .err = -EINVAL,
	.why = "variable takes no parameter", .name = "getvar" };
BAD(getvar_all_colon) { .pkt = "getvar:all:", .err = -EINVAL,
	.why = "variable takes no parameter", .name = "getvar" };
BAD(getvar_part_missing) { .pkt = "getvar:partition-size", .err = -EINVAL,
	.why = "partition name missing", .name = "getvar" };
BAD(getvar_part_empty) { .pkt = "getvar:partition-type:", .err = -EINVAL,
	.why = "partition name missing", .name = "getvar" };
BAD(getvar_part_slash) { .pkt = "getvar:has-slot:a/b", .err = -EINVAL,
	.why = "partition name has a forbidden character", .name = "getvar" };
BAD(getvar_part_raw_bad) { .pkt = "getvar:is-logical:0xq", .err = -EINVAL,
	.why = "raw offset must be 0x followed by hex digits",
	.name = "getvar" };
BAD(getvar_slot_missing) { .pkt = "getvar:slot-successful", .err = -EINVAL,
	.why = "slot missing", .name = "getvar" };
BAD(getvar_slot_bad) { .pkt = "getvar:slot-unbootable:ab", .err = -EINVAL,
	.why = "slot must be a letter a-z", .name = "getvar" };

BAD(download_missing) { .pkt = "download", .err = -EINVAL,
	.why = "download size missing", .name = "download" };
BAD(download_empty) { .pkt = "download:", .err = -EINVAL,
	.why = "download size missing", .name = "download" };
BAD(download_short) { .pkt = "download:1000", .err = -EINVAL,
	.why = "download size must be 8 hex digits", .name = "download" };
BAD(download_long) { .pkt = "download:000001000", .err = -EINVAL,
	.why = "download size must be 8 hex digits", .name = "download" };
BAD(download_0x) { .pkt = "download:0x001000", .err = -EINVAL,
	.why = "download size has a non-hex digit", .name = "download" };
BAD(download_nonhex) { .pkt = "download:0010000g", .err = -EINVAL,
	.why = "download size has a non-hex digit", .name = "download" };
BAD(download_space) { .pkt = "download: 0001000", .err = -EINVAL,
	.why = "download size has a non-hex digit", .name = "download" };
BAD(download_zero) { .pkt = "download:00000000", .err = -EINVAL,
	.why = "download size 0", .name = "download" };

BAD(upload_arg) { .pkt = "upload:x", .err = -EINVAL,
	.why = "unexpected argument", .name = "upload" };
BAD(boot_arg) { .pkt = "boot:kernel", .err = -EINVAL,
	.why = "unexpected argument", .name = "boot" };
BAD(continue_arg) { .pkt = "continue:now", .err = -EINVAL,
	.why = "unexpected argument", .name = "continue" };
BAD(reboot_bootloader_arg) { .pkt = "reboot-bootloader:x", .err = -EINVAL,
	.why = "unexpected argument", .name = "reboot-bootloader" };
BAD(reboot_recovery_arg) { .pkt = "reboot-recovery:x", .err = -EINVAL,
	.why = "unexpected argument", .name = "reboot-recovery" };
BAD(reboot_fastboot_arg) { .pkt = "reboot-fastboot:x", .err = -EINVAL,
	.why = "unexpected argument", .name = "reboot-fastboot" };
BAD(reboot_target) { .pkt = "reboot:now", .err = -EINVAL,
	.why = "reboot target must be bootloader, recovery or fastboot",
	.name = "reboot" };
BAD(reboot_space) { .pkt = "reboot bootloader", .err = -EINVAL,
	.why = "argument must follow ':'", .name = "reboot" };

BAD(fetch_missing) { .pkt = "fetch", .err = -EINVAL,
	.why = "partition name missing", .name = "fetch" };
BAD(fetch_empty_part) { .pkt = "fetch::0x0", .err = -EINVAL,
	.why = "partition name missing", .name = "fetch" };
BAD(fetch_empty_offset) { .pkt = "fetch:boot:", .err = -EINVAL,
	.why = "fetch offset must be 0x followed by hex digits",
	.name = "fetch" };
BAD(fetch_decimal_offset) { .pkt = "fetch:boot:4096", .err = -EINVAL,
	.why = "fetch offset must be 0x followed by hex digits",
	.name = "fetch" };
BAD(fetch_0x_offset) { .pkt = "fetch:boot:0x", .err = -EINVAL,
	.why = "fetch offset must be 0x followed by hex digits",
	.name = "fetch" };
BAD(fetch_big_offset) { .pkt = "fetch:boot:0x10000000000000000",
	.err = -ERANGE, .why = "fetch offset larger than 64 bits",
	.name = "fetch" };
BAD(fetch_empty_size) { .pkt = "fetch:boot:0x0:", .err = -EINVAL,
	.why = "fetch size must be 0x followed by hex digits",
	.name = "fetch" };
BAD(fetch_bad_size) { .pkt = "fetch:boot:0x0:0xz", .err = -EINVAL,
	.why = "fetch size must be 0x followed by hex digits",
	.name = "fetch" };
BAD(fetch_big_size) { .pkt = "fetch:boot:0x0:0x10000000000000000",
	.err = -ERANGE, .why = "fetch size larger than 64 bits",
	.name = "fetch" };
BAD(fetch_zero_size) { .pkt = "fetch:boot:0x0:0x0", .err = -EINVAL,
	.why = "fetch size 0", .name = "fetch" };
BAD(fetch_range_overflow) { .pkt = "fetch:boot:0xffffffffffffffff:0x1",
	.err = -ERANGE, .why = "fetch offset + size larger than 64 bits",
	.name = "fetch" };
BAD(fetch_raw_overflow) { .pkt = "fetch:0xffffffffffffffff:0x1",
	.err = -ERANGE, .why = "raw offset + fetch offset larger than 64 bits",
	.name = "fetch" };
BAD(fetch_fields) { .pkt = "fetch:boot:0x0:0x1:0x2", .err = -EINVAL,
	.why = "fetch takes at most 3 fields", .name = "fetch" };
BAD(fetch_bad_part) { .pkt = "fetch:../x", .err = -EINVAL,
	.why = "partition name has a forbidden character", .name = "fetch" };

BAD(flash_missing) { .pkt = "flash", .err = -EINVAL,
	.why = "partition name missing", .name = "flash" };
BAD(flash_empty) { .pkt = "flash:", .err = -EINVAL,
	.why = "partition name missing", .name = "flash" };
BAD(flash_slash) { .pkt = "flash:../boot", .err = -EINVAL,
	.why = "partition name has a forbidden character", .name = "flash" };
BAD(flash_backslash) { .pkt = "flash:a\\b", .err = -EINVAL,
	.why = "partition name has a forbidden character", .name = "flash" };
BAD(flash_space) { .pkt = "flash:boot a", .err = -EINVAL,
	.why = "partition name has a forbidden character", .name = "flash" };
BAD(flash_colon) { .pkt = "flash:0:1", .err = -EINVAL,
	.why = "partition name has a forbidden character", .name = "flash" };
BAD(flash_dot) { .pkt = "flash:.", .err = -EINVAL,
	.why = "partition name . or ..", .name = "flash" };
BAD(flash_dotdot) { .pkt = "flash:..", .err = -EINVAL,
	.why = "partition name . or ..", .name = "flash" };
BAD(flash_0x) { .pkt = "flash:0x", .err = -EINVAL,
	.why = "raw offset must be 0x followed by hex digits",
	.name = "flash" };
BAD(flash_0x_nonhex) { .pkt = "flash:0x4g0", .err = -EINVAL,
	.why = "raw offset must be 0x followed by hex digits",
	.name = "flash" };
BAD(flash_0x_name) { .pkt = "flash:0xboot", .err = -EINVAL,
	.why = "raw offset must be 0x followed by hex digits",
	.name = "flash" };
BAD(flash_raw_big) { .pkt = "flash:0x10000000000000000", .err = -ERANGE,
	.why = "raw offset larger than 64 bits", .name = "flash" };
BAD(flash_space_sep) { .pkt = "flash rootfs", .err = -EINVAL,
	.why = "argument must follow ':'", .name = "flash" };
BAD(erase_missing) { .pkt = "erase", .err = -EINVAL,
	.why = "partition name missing", .name = "erase" };
BAD(erase_slash) { .pkt = "erase:/dev/mmcblk0", .err = -EINVAL,
	.why = "partition name has a forbidden character", .name = "erase" };

BAD(set_active_missing) { .pkt = "set_active", .err = -EINVAL,
	.why = "slot missing", .name = "set_active" };
BAD(set_active_underscore) { .pkt = "set_active:_", .err = -EINVAL,
	.why = "slot missing", .name = "set_active" };
BAD(set_active_upper) { .pkt = "set_active:A", .err = -EINVAL,
	.why = "slot must be a letter a-z", .name = "set_active" };
BAD(set_active_long) { .pkt = "set_active:ab", .err = -EINVAL,
	.why = "slot must be a letter a-z", .name = "set_active" };
BAD(set_active_digit) { .pkt = "set_active:1", .err = -EINVAL,
	.why = "slot must be a letter a-z", .name = "set_active" };

BAD(oem_missing) { .pkt = "oem", .err = -EINVAL,
	.why = "oem command missing", .name = "oem" };
BAD(oem_space) { .pkt = "oem ", .err = -EINVAL,
	.why = "oem command missing", .name = "oem" };
BAD(oem_two_spaces) { .pkt = "oem  foo", .err = -EINVAL,
	.why = "oem command missing", .name = "oem" };
BAD(oem_colon_empty) { .pkt = "oem:", .err = -EINVAL,
	.why = "oem command missing", .name = "oem" };

BAD(flashing_missing) { .pkt = "flashing", .err = -EINVAL,
	.why = "flashing sub-command missing", .name = "flashing" };
BAD(flashing_space) { .pkt = "flashing ", .err = -EINVAL,
	.why = "flashing sub-command missing", .name = "flashing" };
BAD(flashing_unknown) { .pkt = "flashing get_unlock_bootloader_nonce",
	.err = -EOPNOTSUPP, .why = "unknown flashing sub-command",
	.name = "flashing" };
BAD(flashing_trailing) { .pkt = "flashing unlock ", .err = -EOPNOTSUPP,
	.why = "unknown flashing sub-command", .name = "flashing" };

BAD(ucmd_missing) { .pkt = "UCmd", .err = -EINVAL,
	.why = "command text missing", .name = "UCmd" };
BAD(acmd_empty) { .pkt = "ACmd:", .err = -EINVAL,
	.why = "command text missing", .name = "ACmd" };

TEST_F(bad, parse)
{
	size_t len = variant->len ? variant->len : strlen(variant->pkt);
	const char *why = NULL;
	struct fastboot_command *c = &self->cmd;
	int ret;

	ret = fastboot_cmd_parse(c, variant->pkt, len, &why);
	EXPECT_EQ(variant->err, ret) {
		TH_LOG("'%s': %s", variant->pkt, str(why));
	}
	EXPECT_STREQ(variant->why, str(why));
	/* a failed command has no id, only its name */
	EXPECT_EQ(FASTBOOT_CMD_ID_NONE, c->id);
	EXPECT_EQ(0, c->name.off);
	EXPECT_STREQ(variant->name ?: "", span(variant->pkt, c->name));
	EXPECT_EQ(0, c->arg.len);
	EXPECT_EQ(0, c->target.len);
	EXPECT_EQ(0, c->flags);
	/* the same without @why */
	EXPECT_EQ(variant->err, fastboot_cmd_parse(c, variant->pkt, len, NULL));
}

/* ---- lengths ---- */

TEST(empty)
{
	const char *why = NULL;
	struct fastboot_command c;

	EXPECT_EQ(-ENODATA, fastboot_cmd_parse(&c, NULL, 0, &why));
	EXPECT_STREQ("empty command", str(why));
	EXPECT_EQ(-ENODATA, fastboot_cmd_parse(&c, "\0\0\0", 3, &why));
	EXPECT_STREQ("empty command", str(why));
}

TEST(length_limits)
{
	static char buf[FASTBOOT_CMD_ID_MAX + 2];
	const char *why = NULL;
	struct fastboot_command c;

	/* the longest command: oem with 4092 bytes of text */
	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "oem ", 4);
	ASSERT_EQ(0, fastboot_cmd_parse(&c, buf, FASTBOOT_CMD_ID_MAX, &why));
	EXPECT_EQ(FASTBOOT_CMD_ID_OEM, c.id);
	EXPECT_EQ(4, c.arg.off);
	EXPECT_EQ(FASTBOOT_CMD_ID_MAX - 4, c.arg.len);
	EXPECT_EQ(FASTBOOT_CMD_ID_MAX - 4, c.word.len);

	EXPECT_EQ(-EMSGSIZE, fastboot_cmd_parse(&c, buf, FASTBOOT_CMD_ID_MAX + 1, &why));
	EXPECT_STREQ("command longer than 4096 bytes", str(why));
	/* even when a NUL would end it early: the packet is too long */
	buf[10] = '\0';
	EXPECT_EQ(-EMSGSIZE, fastboot_cmd_parse(&c, buf, FASTBOOT_CMD_ID_MAX + 1, &why));

	/* UCmd lines of NXP scripts are ~130 bytes */
	memset(buf, 0, sizeof(buf));
	snprintf(buf, sizeof(buf), "UCmd:%0130d", 7);
	ASSERT_EQ(0, fastboot_cmd_parse(&c, buf, strlen(buf), &why));
	EXPECT_EQ(FASTBOOT_CMD_ID_UCMD, c.id);
	EXPECT_EQ(130, c.arg.len);
}

TEST(name_limits)
{
	char buf[128], name[FASTBOOT_NAME_MAX + 2];
	const char *why = NULL;
	struct fastboot_command c;

	memset(name, 'p', sizeof(name));
	name[FASTBOOT_NAME_MAX] = '\0';
	snprintf(buf, sizeof(buf), "flash:%s", name);
	ASSERT_EQ(0, fastboot_cmd_parse(&c, buf, strlen(buf), &why));
	EXPECT_EQ(FASTBOOT_NAME_MAX, c.target.len);
	snprintf(buf, sizeof(buf), "getvar:partition-size:%s", name);
	ASSERT_EQ(0, fastboot_cmd_parse(&c, buf, strlen(buf), &why));
	EXPECT_EQ(FASTBOOT_NAME_MAX, c.target.len);
	snprintf(buf, sizeof(buf), "getvar:%s", name);
	ASSERT_EQ(0, fastboot_cmd_parse(&c, buf, strlen(buf), &why));
	EXPECT_EQ(FASTBOOT_VAR_OTHER, c.var);
	EXPECT_EQ(FASTBOOT_NAME_MAX, c.word.len);

	name[FASTBOOT_NAME_MAX] = 'p';
	name[FASTBOOT_NAME_MAX + 1] = '\0';
	snprintf(buf, sizeof(buf), "flash:%s", name);
	EXPECT_EQ(-EINVAL, fastboot_cmd_parse(&c, buf, strlen(buf), &why));
	EXPECT_STREQ("partition name longer than 64 characters", str(why));
	snprintf(buf, sizeof(buf), "erase:%s", name);
	EXPECT_EQ(-EINVAL, fastboot_cmd_parse(&c, buf, strlen(buf), &why));
	EXPECT_STREQ("partition name longer than 64 characters", str(why));
	snprintf(buf, sizeof(buf), "getvar:%s", name);
	EXPECT_EQ(-EINVAL, fastboot_cmd_parse(&c, buf, strlen(buf), &why));
	EXPECT_STREQ("variable name longer than 64 characters", str(why));
	/* a raw offset with many leading zeros is not limited by value */
	snprintf(buf, sizeof(buf), "flash:0x%063x", 1);
	EXPECT_EQ(-EINVAL, fastboot_cmd_parse(&c, buf, strlen(buf), &why));
	EXPECT_STREQ("partition name longer than 64 characters", str(why));
	snprintf(buf, sizeof(buf), "flash:0x%062x", 1);
	ASSERT_EQ(0, fastboot_cmd_parse(&c, buf, strlen(buf), &why));
	EXPECT_EQ(1ULL, c.offset);
}

/* Every byte value in every position of a short command: no crash, spans
 * inside the packet, and only the documented errors.
 */
TEST(every_byte)
{
	static const char *const base[] = {
		"getvar:partition-size:boot", "download:0000ffff",
		"fetch:boot:0x1:0x2", "flashing:unlock", "oem run:x",
	};
	struct fastboot_command c;
	const char *why;
	size_t b, i;
	int v, ret;

	for (b = 0; b < ARRAY_SIZE(base); b++) {
		size_t len = strlen(base[b]);
		char pkt[64];

		for (i = 0; i < len; i++) {
			for (v = 0; v < 256; v++) {
				memcpy(pkt, base[b], len);
				pkt[i] = (char)v;
				why = NULL;
				ret = fastboot_cmd_parse(&c, pkt, len, &why);
				ASSERT_TRUE(ret == 0 || ret == -EINVAL ||
					    ret == -ENODATA ||
					    ret == -EOPNOTSUPP ||
					    ret == -ERANGE);
				ASSERT_EQ(ret == 0, !why);
				ASSERT_LE((size_t)c.name.off + c.name.len, len);
				ASSERT_LE((size_t)c.arg.off + c.arg.len, len);
				ASSERT_LE((size_t)c.word.off + c.word.len, len);
				ASSERT_LE((size_t)c.target.off + c.target.len, len);
			}
		}
	}
}

/* ---- names ---- */

TEST(cmd_names_round_trip)
{
	unsigned int id;
	struct fastboot_command c;
	const char *n;

	EXPECT_STREQ("unknown", fastboot_cmd_name(FASTBOOT_CMD_ID_NONE));
	EXPECT_STREQ("unknown", fastboot_cmd_name(FASTBOOT_CMD_ID_NR));
	EXPECT_STREQ("unknown", fastboot_cmd_name(1000));
	for (id = FASTBOOT_CMD_ID_NONE + 1; id < FASTBOOT_CMD_ID_NR; id++) {
		char pkt[64];

		n = fastboot_cmd_name(id);
		ASSERT_STRNE("unknown", n);
		/* commands with a required argument get one */
		switch (id) {
		case FASTBOOT_CMD_ID_GETVAR:
			snprintf(pkt, sizeof(pkt), "%s:version", n);
			break;
		case FASTBOOT_CMD_ID_DOWNLOAD:
			snprintf(pkt, sizeof(pkt), "%s:00000010", n);
			break;
		case FASTBOOT_CMD_ID_FETCH:
		case FASTBOOT_CMD_ID_FLASH:
		case FASTBOOT_CMD_ID_ERASE:
			snprintf(pkt, sizeof(pkt), "%s:boot", n);
			break;
		case FASTBOOT_CMD_ID_SET_ACTIVE:
			snprintf(pkt, sizeof(pkt), "%s:a", n);
			break;
		case FASTBOOT_CMD_ID_OEM:
			snprintf(pkt, sizeof(pkt), "%s x", n);
			break;
		case FASTBOOT_CMD_ID_UCMD:
		case FASTBOOT_CMD_ID_ACMD:
			snprintf(pkt, sizeof(pkt), "%s:x", n);
			break;
		default:
			snprintf(pkt, sizeof(pkt), "%s", n);
			break;
		}
		ASSERT_EQ(0, fastboot_cmd_parse(&c, pkt, strlen(pkt), NULL)) {
			TH_LOG("'%s'", pkt);
		}
		EXPECT_EQ(id, c.id);
	}
}

TEST(var_names_round_trip)
{
	unsigned int var;
	struct fastboot_command c;
	const char *n;

	EXPECT_EQ(NULL, fastboot_var_name(FASTBOOT_VAR_OTHER));
	EXPECT_EQ(NULL, fastboot_var_name(FASTBOOT_VAR_NR));
	for (var = FASTBOOT_VAR_OTHER + 1; var < FASTBOOT_VAR_NR; var++) {
		char pkt[96];

		n = fastboot_var_name(var);
		ASSERT_NE(NULL, n) {
			TH_LOG("variable %u has no name", var);
		}
		snprintf(pkt, sizeof(pkt), "getvar:%s", n);
		if (fastboot_cmd_parse(&c, pkt, strlen(pkt), NULL)) {
			/* a variable with a parameter: partition or slot */
			snprintf(pkt, sizeof(pkt), "getvar:%s:a", n);
			ASSERT_EQ(0, fastboot_cmd_parse(&c, pkt, strlen(pkt), NULL));
			EXPECT_STREQ("a", span(pkt, c.target));
		}
		EXPECT_EQ(var, c.var);
		EXPECT_TRUE(fastboot_span_eq(pkt, c.word, n));
	}
	EXPECT_STREQ("max-download-size",
		     fastboot_var_name(FASTBOOT_VAR_MAX_DOWNLOAD_SIZE));
}

TEST(part_parse)
{
	const char *why = "x";
	u64 raw = 7;

	EXPECT_EQ(0, fastboot_part_parse("boot", 4, &raw, &why));
	EXPECT_EQ(NULL, why);
	EXPECT_EQ(7ULL, raw);
	EXPECT_EQ(1, fastboot_part_parse("0x1000", 6, &raw, &why));
	EXPECT_EQ(0x1000ULL, raw);
	EXPECT_EQ(1, fastboot_part_parse("0x1000", 6, NULL, NULL));
	/* only @len bytes are looked at */
	EXPECT_EQ(1, fastboot_part_parse("0x10/junk", 4, &raw, &why));
	EXPECT_EQ(0x10ULL, raw);
	EXPECT_EQ(-EINVAL, fastboot_part_parse("", 0, &raw, &why));
	EXPECT_STREQ("partition name missing", str(why));
	EXPECT_EQ(-EINVAL, fastboot_part_parse("a\x01", 2, &raw, &why));
	EXPECT_STREQ("partition name has a forbidden character", str(why));
	EXPECT_EQ(-EINVAL, fastboot_part_parse("a\x80", 2, &raw, &why));
	EXPECT_EQ(-EINVAL, fastboot_part_parse("a\0", 2, &raw, &why));
	EXPECT_EQ(-EINVAL, fastboot_part_parse("0x1 ", 4, &raw, &why));
	EXPECT_STREQ("raw offset must be 0x followed by hex digits",
		     str(why));
	EXPECT_EQ(0, fastboot_part_parse("..a", 3, &raw, &why));
	EXPECT_EQ(0, fastboot_part_parse("x0x1", 4, &raw, &why));
}

TEST(span_eq)
{
	const char *pkt = "flash:boot_a";
	struct fastboot_command c;

	ASSERT_EQ(0, fastboot_cmd_parse(&c, pkt, strlen(pkt), NULL));
	EXPECT_TRUE(fastboot_span_eq(pkt, c.target, "boot_a"));
	EXPECT_FALSE(fastboot_span_eq(pkt, c.target, "boot"));
	EXPECT_FALSE(fastboot_span_eq(pkt, c.target, "boot_ab"));
	EXPECT_TRUE(fastboot_span_eq(pkt, c.name, "flash"));
	EXPECT_EQ(pkt + 6, fastboot_span_ptr(pkt, c.target));
}

TEST_HARNESS_MAIN
