// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Tests of the mkimx test image generator: its images parse with the
 * cores as the manifest says, the payload is the documented xorshift32
 * stream, the "dcdw" lines are the memory a DCD run leaves behind, and
 * the --corrupt variants are rejected for the intended reason.
 *
 * mkimx is found via $MKIMX, else at <this binary's dir>/../tools/mkimx.
 */
#include <limits.h>
#include <stdarg.h>
#include <sys/stat.h>

#include <imxflash/imx_image.h>
#include <imxflash/sdp_soc.h>

#include "kselftest_harness.h"
#include "mkimx_path.h"

#define MAX_KEYS	96
#define MAX_DCDW	64
#define FILE_CAP	(1u << 20)

struct dcdw {
	bool main;
	u32 addr, val;
	unsigned int width;
};

struct manifest {
	unsigned int nkeys, ndcdw;
	char key[MAX_KEYS][32];
	char val[MAX_KEYS][64];
	struct dcdw w[MAX_DCDW];
};

static char tmpdir[] = "/tmp/mkimx_test.XXXXXX";


/* Run mkimx with @args writing OUT and OUT.mf; returns its exit status. */
static int mkimx(const char *out, const char *args)
{
	char cmd[4096];
	int st;

	snprintf(cmd, sizeof(cmd), "'%s' -o '%s/%s' --manifest '%s/%s.mf' %s 2>/dev/null",
		 find_mkimx(), tmpdir, out, tmpdir, out, args);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static size_t load(const char *name, u8 *buf)
{
	char path[PATH_MAX];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "rb");
	if (!f)
		return 0;
	n = fread(buf, 1, FILE_CAP, f);
	fclose(f);
	return n;
}

static void copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static bool parse_manifest(const char *name, struct manifest *m)
{
	char path[PATH_MAX], line[256];
	struct dcdw *w;
	char *eq, *p;
	FILE *f;

	memset(m, 0, sizeof(*m));
	snprintf(path, sizeof(path), "%s/%s.mf", tmpdir, name);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		p = line;
		if (!strncmp(p, "dcdw ", 5) || !strncmp(p, "main_dcdw ", 10)) {
			if (m->ndcdw == MAX_DCDW)
				break;
			w = &m->w[m->ndcdw++];
			w->main = *p == 'm';
			p = strchr(p, ' ') + 1;
			w->addr = strtoul(p, &p, 0);
			w->val = strtoul(p, &p, 0);
			w->width = strtoul(p, &p, 0);
			continue;
		}
		eq = strchr(p, '=');
		if (!eq || m->nkeys == MAX_KEYS)
			continue;
		*eq = '\0';
		copy(m->key[m->nkeys], sizeof(m->key[0]), p);
		copy(m->val[m->nkeys], sizeof(m->val[0]), eq + 1);
		m->nkeys++;
	}
	fclose(f);
	return true;
}

static const char *get(const struct manifest *m, const char *key)
{
	unsigned int i;

	for (i = 0; i < m->nkeys; i++)
		if (!strcmp(m->key[i], key))
			return m->val[i];
	return "<missing>";
}

static unsigned long num(const struct manifest *m, const char *key)
{
	return strtoul(get(m, key), NULL, 0);
}

/* The generator as documented in mkimx.c, written out independently. */
static void xorshift_bytes(u8 *p, size_t n, u32 seed)
{
	u32 x = seed ? seed : 0x9e3779b9u;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(i % 4)) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
		}
		p[i] = (u8)(x >> (8 * (i % 4)));
	}
}

/* Sparse byte memory for running a DCD, all bytes 0 initially. */
struct smem {
	unsigned int n;
	u32 addr[256];
	u8 val[256];
};

static u8 *smem_byte(struct smem *m, u32 addr, bool create)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->addr[i] == addr)
			return &m->val[i];
	if (!create || m->n == 256)
		return NULL;
	m->addr[m->n] = addr;
	m->val[m->n] = 0;
	return &m->val[m->n++];
}

static int smem_read(void *ctx, u32 addr, unsigned int width, u32 *val)
{
	unsigned int i;
	u8 *b;

	*val = 0;
	for (i = 0; i < width; i++) {
		b = smem_byte(ctx, addr + i, false);
		if (b)
			*val |= (u32)*b << (8 * i);
	}
	return 0;
}

static int smem_write(void *ctx, u32 addr, unsigned int width, u32 val)
{
	unsigned int i;
	u8 *b;

	for (i = 0; i < width; i++) {
		b = smem_byte(ctx, addr + i, true);
		if (!b)
			return -ENOMEM;
		*b = (u8)(val >> (8 * i));
	}
	return 0;
}

static const struct imx_dcd_ops smem_ops = {
	.read = smem_read,
	.write = smem_write,
};

static u8 *file;

FIXTURE(gen) {
	struct manifest m;
	struct imx_image img;
	size_t len;
	const char *why;
};

FIXTURE_SETUP(gen)
{
	struct stat st;

	ASSERT_EQ(0, stat(find_mkimx(), &st)) {
		TH_LOG("mkimx not found at %s (set MKIMX=)", find_mkimx());
	}
	if (!file)
		file = malloc(FILE_CAP);
	ASSERT_NE(NULL, file);
	ASSERT_NE(NULL, mkdtemp(tmpdir));
	self->why = NULL;
}

FIXTURE_TEARDOWN(gen)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		TH_LOG("cleanup of %s failed", tmpdir);
}

#define HEX(v)	((unsigned long)(v))

/* Every per-image key of the manifest against a parsed image. */
static void check_keys(struct __test_metadata *_metadata,
		       const struct manifest *m, const char *pfx,
		       const struct imx_image *img)
{
	char k[64];

#define KEY(name) (snprintf(k, sizeof(k), "%s%s", pfx, name), k)
	EXPECT_EQ(img->ivt_off, num(m, KEY("ivt_off")));
	EXPECT_EQ(HEX(img->ivt.self), num(m, KEY("self")));
	EXPECT_EQ(HEX(img->ivt.entry), num(m, KEY("entry")));
	EXPECT_EQ(HEX(img->ivt.boot_data), num(m, KEY("boot_data")));
	EXPECT_EQ(HEX(img->bd.start), num(m, KEY("boot_start")));
	EXPECT_EQ(HEX(img->bd.length), num(m, KEY("boot_length")));
	EXPECT_EQ(HEX(img->bd.plugin), num(m, KEY("plugin")));
	EXPECT_EQ(HEX(img->load_addr), num(m, KEY("load_addr")));
	EXPECT_EQ(HEX(img->load_len), num(m, KEY("load_len")));
	EXPECT_EQ(HEX(img->jump_addr), num(m, KEY("jump_addr")));
	EXPECT_EQ(HEX(img->ivt.dcd), num(m, KEY("dcd_addr")));
	EXPECT_EQ(HEX(img->dcd_len), num(m, KEY("dcd_len")));
	EXPECT_EQ(HEX(img->ivt.csf), num(m, KEY("csf_addr")));
	if (img->dcd_len)
		EXPECT_EQ(img->dcd_off, num(m, KEY("dcd_off")));
#undef KEY
}

/* Run the image's DCD and compare memory with the dcdw lines. */
static void check_dcdw(struct __test_metadata *_metadata,
		       const struct manifest *m, bool main_img,
		       const struct imx_image *img, int expect_ret)
{
	static struct smem mem;
	struct imx_dcd_result res;
	unsigned int i, n = 0;
	u32 v;

	memset(&mem, 0, sizeof(mem));
	ASSERT_NE(0u, img->dcd_len);
	EXPECT_EQ(expect_ret, imx_dcd_run(file + img->dcd_off, img->dcd_len,
					  &smem_ops, &mem, &res));
	for (i = 0; i < m->ndcdw; i++) {
		if (m->w[i].main != main_img)
			continue;
		n++;
		smem_read(&mem, m->w[i].addr, m->w[i].width, &v);
		EXPECT_EQ(m->w[i].val, v) {
			TH_LOG("dcdw 0x%08x", m->w[i].addr);
		}
	}
	EXPECT_NE(0u, n);
}

TEST_F(gen, default_imx6q)
{
	static u8 expect[16384];

	ASSERT_EQ(0, mkimx("a", ""));
	ASSERT_TRUE(parse_manifest("a", &self->m));
	self->len = load("a", file);
	ASSERT_EQ(self->len, num(&self->m, "file_size"));

	EXPECT_STREQ("imx6q", get(&self->m, "soc"));
	EXPECT_EQ(0x40ul, num(&self->m, "ivt_version"));
	EXPECT_EQ(0x00910000ul, num(&self->m, "soc_dcd_addr"));
	EXPECT_EQ(0ul, num(&self->m, "soc_skip_dcd"));
	EXPECT_EQ(0x27800000ul, num(&self->m, "entry"));
	EXPECT_EQ(0x277ff400ul, num(&self->m, "self"));
	EXPECT_EQ(0x277ff42cul, num(&self->m, "dcd_addr"));
	EXPECT_EQ(0x277ff000ul, num(&self->m, "boot_start"));
	EXPECT_EQ(0xc00ul, num(&self->m, "payload_off"));
	EXPECT_EQ(0x27800000ul, num(&self->m, "payload_addr"));
	EXPECT_EQ(16384ul, num(&self->m, "payload_size"));
	EXPECT_EQ(1ul, num(&self->m, "dcd_ok"));
	EXPECT_EQ(0xc00ul + 16384, self->len);
	/* boot length = image + flash offset, rounded up to 4 KiB */
	EXPECT_EQ(0x5000ul, num(&self->m, "boot_length"));
	EXPECT_EQ(self->len, num(&self->m, "load_len"));

	ASSERT_EQ(0, imx_image_find(&self->img, file, self->len, 0,
				    &self->why));
	check_keys(_metadata, &self->m, "", &self->img);
	EXPECT_EQ(0x2cul, self->img.dcd_off);

	xorshift_bytes(expect, sizeof(expect), 1);
	EXPECT_EQ(0, memcmp(expect, file + 0xc00, sizeof(expect)));

	ASSERT_EQ(2u, self->m.ndcdw);
	EXPECT_EQ(0x020c4068u, self->m.w[0].addr);
	EXPECT_EQ(0xffffffffu, self->m.w[0].val);
	EXPECT_EQ(4u, self->m.w[0].width);
	EXPECT_EQ(0x020c406cu, self->m.w[1].addr);
	EXPECT_EQ(0x00c03f3fu, self->m.w[1].val);
	check_dcdw(_metadata, &self->m, false, &self->img, 0);
}

TEST_F(gen, dcd_options_imx6ull)
{
	static u8 expect[1000];
	const struct dcdw want[] = {
		{ false, 0x80000100, 0x9234, 2 },
		{ false, 0x020c4068, 0x0000000f, 4 },
		{ false, 0x80000203, 0x5a, 1 },
		{ false, 0x80000204, 0x80000001, 4 },
	};
	unsigned int i;

	ASSERT_EQ(0, mkimx("b", "--soc imx6ull --seed 7 --size 1000 "
			   "--dcd-write 0x80000100=0x1234/2 "
			   "--dcd-set 0x80000100=0x8000/2 "
			   "--dcd-write 0x020c4068=0xff "
			   "--dcd-clear 0x020c4068=0xf0 "
			   "--dcd-nop "
			   "--dcd-write 0x80000203=0x15a/1 "
			   "--dcd-check 0x80000100=0x9000/2:all-set:5 "
			   "--dcd-check 0x020c4068=0xf0:all-clear "
			   "--dcd-check 0x80000100=0x0001/2:any-clear "
			   "--dcd-set 0x80000204=0x80000001 "
			   "--dcd-check 0x80000204=0x3:any-set:1"));
	ASSERT_TRUE(parse_manifest("b", &self->m));
	self->len = load("b", file);
	EXPECT_STREQ("imx6ull", get(&self->m, "soc"));
	EXPECT_EQ(1ul, num(&self->m, "soc_skip_dcd"));
	EXPECT_EQ(0x87800000ul, num(&self->m, "entry"));
	EXPECT_EQ(0x877ff400ul, num(&self->m, "load_addr"));
	EXPECT_EQ(1ul, num(&self->m, "dcd_ok"));
	ASSERT_EQ(0, imx_image_find(&self->img, file, self->len, 0,
				    &self->why));
	check_keys(_metadata, &self->m, "", &self->img);
	xorshift_bytes(expect, sizeof(expect), 7);
	EXPECT_EQ(0, memcmp(expect, file + 0xc00, sizeof(expect)));

	ASSERT_EQ(4u, self->m.ndcdw);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(want[i].addr, self->m.w[i].addr);
		EXPECT_EQ(want[i].val, self->m.w[i].val);
		EXPECT_EQ(want[i].width, self->m.w[i].width);
	}
	check_dcdw(_metadata, &self->m, false, &self->img, 0);
}

TEST_F(gen, failing_check)
{
	ASSERT_EQ(0, mkimx("c", "--dcd-write 0x10000100=1 "
			   "--dcd-check 0x10000100=2:all-set:3 "
			   "--dcd-write 0x10000104=2"));
	ASSERT_TRUE(parse_manifest("c", &self->m));
	self->len = load("c", file);
	EXPECT_EQ(0ul, num(&self->m, "dcd_ok"));
	/* the write after the failing check never happens */
	ASSERT_EQ(1u, self->m.ndcdw);
	EXPECT_EQ(0x10000100u, self->m.w[0].addr);
	ASSERT_EQ(0, imx_image_find(&self->img, file, self->len, 0, NULL));
	check_dcdw(_metadata, &self->m, false, &self->img, -ETIMEDOUT);
}

TEST_F(gen, plugin)
{
	struct imx_image main_img;
	const struct sdp_soc *soc = sdp_soc_by_name("imx7d");
	static u8 code[0xfc];

	ASSERT_EQ(0, mkimx("p", "--soc imx7d --plugin --csf --seed 3"));
	ASSERT_TRUE(parse_manifest("p", &self->m));
	self->len = load("p", file);
	ASSERT_EQ(self->len, num(&self->m, "file_size"));

	ASSERT_EQ(0, imx_image_find(&self->img, file, self->len, 0,
				    &self->why));
	EXPECT_EQ((u32)IMX_BOOT_PLUGIN, self->img.bd.plugin);
	check_keys(_metadata, &self->m, "", &self->img);
	EXPECT_EQ(0u, self->img.dcd_len);
	/* plugin code: "bx lr", then xorshift32 from seed ^ 0xa5a5a5a5 */
	EXPECT_EQ(HEX(self->img.ivt.entry), num(&self->m, "payload_addr"));
	EXPECT_EQ(0xe12fff1eu, imxf_get_le32(file + num(&self->m,
							 "payload_off")));
	xorshift_bytes(code, sizeof(code), 3 ^ 0xa5a5a5a5u);
	EXPECT_EQ(0, memcmp(code, file + num(&self->m, "payload_off") + 4,
			    sizeof(code)));
	/* the entry point lies inside what the plugin pass loads */
	EXPECT_GE(self->img.ivt.entry, self->img.load_addr);
	EXPECT_LT(self->img.ivt.entry,
		  self->img.load_addr + self->img.load_len);
	EXPECT_EQ((int)SDP_REGION_OCRAM,
		  (int)sdp_soc_region(soc, self->img.bd.start,
				      self->img.bd.length));

	ASSERT_EQ(0, imx_image_find_next(&main_img, file, self->len,
					 &self->img, &self->why));
	check_keys(_metadata, &self->m, "main_", &main_img);
	EXPECT_EQ(0x1000ul, main_img.ivt_off);
	EXPECT_EQ(0u, main_img.bd.plugin);
	EXPECT_EQ((int)SDP_REGION_DDR,
		  (int)sdp_soc_region(soc, main_img.bd.start,
				      main_img.bd.length));
	EXPECT_NE(0u, main_img.ivt.csf);
	/* the whole rest of the file is the main image */
	EXPECT_EQ(self->len - main_img.ivt_off, main_img.load_len);
	check_dcdw(_metadata, &self->m, true, &main_img, 0);
	/* the DCD belongs to the main image: only main_dcdw lines */
	ASSERT_NE(0u, self->m.ndcdw);
	EXPECT_TRUE(self->m.w[0].main);
}

TEST_F(gen, flash_offset_and_csf)
{
	u32 csf;
	size_t off, i;

	ASSERT_EQ(0, mkimx("f", "--flash-offset --csf --size 100"));
	ASSERT_TRUE(parse_manifest("f", &self->m));
	self->len = load("f", file);
	for (i = 0; i < 0x400; i++)
		ASSERT_EQ(0, file[i]);
	ASSERT_EQ(0, imx_image_find(&self->img, file, self->len, 0,
				    &self->why));
	EXPECT_EQ(0x400ul, self->img.ivt_off);
	check_keys(_metadata, &self->m, "", &self->img);
	EXPECT_EQ(self->len - 0x400, self->img.load_len);

	csf = self->img.ivt.csf;
	ASSERT_GT(csf, self->img.ivt.self);
	off = self->img.ivt_off + (csf - self->img.ivt.self);
	ASSERT_LT(off + 4, self->len);
	EXPECT_EQ(0u, csf & 3);
	EXPECT_EQ(IMX_CSF_TAG, file[off]);
	EXPECT_EQ(0x00, file[off + 1]);
	EXPECT_EQ(0x04, file[off + 2]);
	EXPECT_EQ(0x40, file[off + 3]);
	/* the CSF is loaded with the image */
	EXPECT_LE(csf - self->img.load_addr + 4, self->img.load_len);
}

TEST_F(gen, imx8mm)
{
	ASSERT_EQ(0, mkimx("m", "--soc imx8mm"));
	ASSERT_TRUE(parse_manifest("m", &self->m));
	self->len = load("m", file);
	EXPECT_EQ(0x41, file[3]);
	ASSERT_EQ(0, imx_image_find(&self->img, file, self->len, 0,
				    &self->why));
	EXPECT_EQ(IMX_IVT_V41, self->img.ivt.version);
	EXPECT_EQ(0x41, file[self->img.dcd_off + 3]);
	EXPECT_EQ(0x47800000u, self->img.ivt.entry);
	EXPECT_EQ(0x41ul, num(&self->m, "ivt_version"));
	check_keys(_metadata, &self->m, "", &self->img);
	/* the default DCD pokes the 8M's peripheral space */
	EXPECT_EQ(0x300c4068u, self->m.w[0].addr);
}

TEST_F(gen, payload_file)
{
	char path[PATH_MAX + 32], args[PATH_MAX + 64];
	static const char text[] = "not random at all\n";
	FILE *f;

	snprintf(path, sizeof(path), "%s/payload.bin", tmpdir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs(text, f);
	fclose(f);
	snprintf(args, sizeof(args), "--no-dcd --payload '%s'", path);
	ASSERT_EQ(0, mkimx("pf", args));
	ASSERT_TRUE(parse_manifest("pf", &self->m));
	self->len = load("pf", file);
	EXPECT_EQ(strlen(text), num(&self->m, "payload_size"));
	EXPECT_EQ(0xc00 + strlen(text), self->len);
	EXPECT_EQ(0, memcmp(text, file + 0xc00, strlen(text)));
	EXPECT_EQ(0ul, num(&self->m, "dcd_addr"));
	EXPECT_EQ(0ul, num(&self->m, "dcd_len"));
	EXPECT_EQ(0u, self->m.ndcdw);
	ASSERT_EQ(0, imx_image_find(&self->img, file, self->len, 0, NULL));
	EXPECT_EQ(0u, self->img.ivt.dcd);
	check_keys(_metadata, &self->m, "", &self->img);
}

TEST_F(gen, corrupt_variants)
{
	static const struct {
		const char *what, *why;
	} v[] = {
		{ "ivt-tag", "no IVT found" },
		{ "self", "boot data pointer" },
		{ "boot-data", "boot data start" },
		{ "dcd-tag", "DCD tag" },
		{ "dcd-len", "DCD length exceeds 1768" },
	};
	char args[64];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(args, sizeof(args), "--corrupt %s", v[i].what);
		ASSERT_EQ(0, mkimx("x", args));
		ASSERT_TRUE(parse_manifest("x", &self->m));
		EXPECT_STREQ(v[i].what, get(&self->m, "corrupt"));
		self->len = load("x", file);
		EXPECT_EQ(-ENOEXEC, imx_image_find(&self->img, file, self->len,
						   0, &self->why));
		EXPECT_STREQ(v[i].why, self->why);
	}
	/* a DCD corruption needs a DCD */
	EXPECT_EQ(2, mkimx("y", "--no-dcd --corrupt dcd-tag"));
}

TEST_F(gen, bad_options)
{
	EXPECT_EQ(2, mkimx("z", "--soc imx9"));
	EXPECT_EQ(2, mkimx("z", "--dcd-write 0x1000"));
	EXPECT_EQ(2, mkimx("z", "--dcd-write 0x1002=1"));
	EXPECT_EQ(2, mkimx("z", "--dcd-write 0x1000=1/3"));
	EXPECT_EQ(2, mkimx("z", "--dcd-write 0x1000=1:all-set"));
	EXPECT_EQ(2, mkimx("z", "--dcd-check 0x1000=1:sometimes"));
	EXPECT_EQ(2, mkimx("z", "--no-dcd --dcd-nop"));
	EXPECT_EQ(2, mkimx("z", "--corrupt everything"));
	EXPECT_EQ(2, mkimx("z", "--entry 0x800"));
	EXPECT_EQ(2, mkimx("z", "--plugin --entry 0x00909000"));
	EXPECT_EQ(2, mkimx("z", "stray-argument"));
}

TEST_HARNESS_MAIN
