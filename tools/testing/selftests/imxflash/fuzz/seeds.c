// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Write small seed inputs for the fuzzers into DIR/<fuzzer>/ (mkimx adds
 * whole images, see seeds.sh). Built with the cores' own encoders so the
 * seeds reach deep paths immediately.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <imxflash/sdp_proto.h>
#include <imxflash/imx_image.h>

static const char *dir;

static void put(const char *fuzzer, const char *name, const void *p,
		size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, fuzzer);
	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s", dir, fuzzer, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void cmd_seeds(void)
{
	static const struct {
		const char *name;
		struct sdp_cmd cmd;
	} cmds[] = {
		{ "error_status", { .type = SDP_ERROR_STATUS } },
		{ "read_register", { .type = SDP_READ_REGISTER,
		  .addr = 0x020c4000, .format = SDP_FORMAT_32, .count = 4 } },
		{ "read_register_8", { .type = SDP_READ_REGISTER,
		  .addr = 0x00900000, .format = SDP_FORMAT_8, .count = 65 } },
		{ "write_register", { .type = SDP_WRITE_REGISTER,
		  .addr = 0x020e02a8, .format = SDP_FORMAT_32, .count = 4,
		  .data = 1 } },
		{ "dcd_write", { .type = SDP_DCD_WRITE, .addr = 0x00910000,
		  .count = 0x3a8 } },
		{ "write_file", { .type = SDP_WRITE_FILE, .addr = 0x877ff400,
		  .count = 0x59c00, .file_type = SDP_FILE_TYPE_APP } },
		{ "write_csf", { .type = SDP_WRITE_CSF, .addr = 0x87804000,
		  .count = 0x2000 } },
		{ "jump", { .type = SDP_JUMP_ADDRESS, .addr = 0x877ff400 } },
		{ "skip_dcd", { .type = SDP_SKIP_DCD_HEADER } },
		{ "bad_format", { .type = SDP_READ_REGISTER, .format = 0x18,
		  .count = 4 } },
	};
	u8 buf[SDP_DATA_MAX];
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		sdp_cmd_encode(&cmds[i].cmd, buf);
		put("fuzz_sdp_cmd", cmds[i].name, buf, SDP_CMD_LEN);
	}
	/* a padded report 1 whose first word is a HAB event */
	memset(buf, 0, sizeof(buf));
	buf[0] = 0x33;
	buf[1] = 0x22;
	buf[2] = 0x0a;
	put("fuzz_sdp_cmd", "hab_event_padded", buf, sizeof(buf));
	buf[0] = 0x09;
	buf[1] = 0xd0;
	buf[2] = 0x0d;
	buf[3] = 0x90;
	put("fuzz_sdp_cmd", "skip_dcd_ack", buf, 5);
}

static int build_dcd(u8 *buf, size_t cap, int variant)
{
	struct imx_dcd_builder b;
	int i;

	imx_dcd_begin(&b, buf, cap, variant == 2 ? IMX_DCD_V41 : IMX_DCD_V40);
	switch (variant) {
	case 0:		/* IUL tests/dcd.cfg */
		imx_dcd_add_write(&b, 4, 0x30000000, 0x12345678);
		break;
	case 1:		/* every kind of command */
		imx_dcd_add_write(&b, 4, 0x020c4068, 0xffffffff);
		imx_dcd_add_write(&b, 4, 0x020c406c, 0x00c03f3f);
		imx_dcd_add_write(&b, 2, 0x00000100, 0x1234);
		imx_dcd_add_write(&b, 1, 0x00000103, 0x56);
		imx_dcd_add_write(&b, 0x0c, 0x00000104, 0xf0);
		imx_dcd_add_write(&b, 0x1c, 0x00000108, 0x0f);
		imx_dcd_add_check(&b, 0x04, 0x00000200, 0x1, 0, false);
		imx_dcd_add_check(&b, 0x0c, 0x00000200, 0x1, 3, true);
		imx_dcd_add_check(&b, 0x14, 0x020c4068, 0xf, 100, true);
		imx_dcd_add_check(&b, 0x1c, 0x020c4068, 0xf, 0, false);
		imx_dcd_add_nop(&b);
		break;
	case 2:		/* a failing poll, then more work */
		imx_dcd_add_check(&b, 0x14, 0x00000300, 0x80000000,
				  0xffffffff, true);
		imx_dcd_add_write(&b, 4, 0x00000304, 1);
		break;
	default:	/* the largest DCD */
		for (i = 0; i < 220; i++)
			imx_dcd_add_write(&b, 4, 0x00000400 + 4 * i, i);
		break;
	}
	return imx_dcd_end(&b);
}

static void dcd_seeds(void)
{
	static const u8 unlock[] = {
		0xd2, 0x00, 0x14, 0x40, 0xb2, 0x00, 0x08, 0x1d,
		0x00, 0x00, 0x00, 0x06, 0xc0, 0x00, 0x04, 0x00,
		0xb2, 0x00, 0x04, 0x21,
	};
	char name[32];
	u8 buf[2048];
	int v, n;

	for (v = 0; v < 4; v++) {
		n = build_dcd(buf, sizeof(buf), v);
		snprintf(name, sizeof(name), "dcd%d", v);
		put("fuzz_imx_dcd", name, buf, (size_t)n);
	}
	put("fuzz_imx_dcd", "unlock", unlock, sizeof(unlock));
}

/*
 * The worked example of Documentation/sdp-protocol.rst, "Load arithmetic",
 * with a plugin variant.
 */
static void image_seeds(void)
{
	static u8 file[0x2000];
	struct imx_ivt ivt = {
		.version = IMX_IVT_V40, .entry = 0x87800000,
		.dcd = 0x877ff42c, .boot_data = 0x877ff420,
		.self = 0x877ff400,
	};
	struct imx_boot_data bd = { 0x877ff000, 0x2000, 0 };
	struct imx_ivt pivt = {
		.version = IMX_IVT_V40, .entry = 0x00908040,
		.boot_data = 0x00908020, .self = 0x00908000,
	};
	struct imx_boot_data pbd = { 0x00907c00, 0x1400, IMX_BOOT_PLUGIN };

	memset(file, 0, sizeof(file));
	imx_ivt_encode(&ivt, file);
	imx_boot_data_encode(&bd, file + 0x20);
	build_dcd(file + 0x2c, 0x400, 0);
	put("fuzz_imx_image", "example", file, 0x400);

	memset(file, 0, sizeof(file));
	imx_ivt_encode(&pivt, file);
	imx_boot_data_encode(&pbd, file + 0x20);
	imx_ivt_encode(&ivt, file + 0x1000);
	imx_boot_data_encode(&bd, file + 0x1020);
	build_dcd(file + 0x102c, 0x400, 1);
	put("fuzz_imx_image", "plugin", file, 0x1400);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	cmd_seeds();
	dcd_seeds();
	image_seeds();
	return 0;
}
