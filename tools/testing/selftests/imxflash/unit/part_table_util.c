// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What the part_table_*_test unit tests share: the disk images that
 * part_table_data.sh partitions with util-linux (sfdisk for 512-byte
 * sectors, fdisk -b 4096 for 4 KiB sectors), the tools themselves, and
 * the partitions the tools list (`sfdisk --json`, fdisk's dump) parsed
 * into struct exp_table. See part_table_util.h.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "part_table_util.h"

#ifndef PT_DATA
#define PT_DATA "part_table_data"
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

const char *data_dir(void)
{
	return getenv("PT_DATA") ?: PT_DATA;
}

const char *tool(const char *env, const char *name)
{
	static char buf[2][256];
	static int n;
	const char *v = getenv(env);
	static const char * const dirs[] = {
		"/usr/sbin", "/sbin", "/usr/bin", "/bin"
	};
	unsigned int i;

	if (v)
		return v;
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		n = (n + 1) % 2;
		snprintf(buf[n], sizeof(buf[n]), "%s/%s", dirs[i], name);
		if (!access(buf[n], X_OK))
			return buf[n];
	}
	return name;
}

/* ---- little-endian helpers for building bad tables ---- */

void put64(u8 *p, u64 v)
{
	imxf_put_le32(p, (u32)v);
	imxf_put_le32(p + 4, (u32)(v >> 32));
}

u64 get64(const u8 *p)
{
	return imxf_get_le32(p) | (u64)imxf_get_le32(p + 4) << 32;
}

/* ---- files ---- */

u8 *load_range(const char *name, u64 off, size_t len)
{
	char path[4096];
	u8 *p = malloc(len);
	int fd;

	snprintf(path, sizeof(path), "%s/%s", data_dir(), name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || !p) {
		free(p);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (pread(fd, p, len, off) != (ssize_t)len) {
		free(p);
		p = NULL;
	}
	close(fd);
	return p;
}

u64 file_size(const char *name)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", data_dir(), name);
	return stat(path, &st) ? 0 : (u64)st.st_size;
}

static char *load_text(const char *name)
{
	size_t len = file_size(name);
	char *t = len ? (char *)load_range(name, 0, len + 0) : NULL;
	char *s;

	if (!t)
		return NULL;
	s = realloc(t, len + 1);
	if (!s) {
		free(t);
		return NULL;
	}
	s[len] = '\0';
	return s;
}

/* Run @cmd, output (stdout and stderr) into @out; returns the status. */
int run(const char *cmd, char *out, size_t len)
{
	FILE *f = popen(cmd, "r");
	size_t n = 0, r;

	out[0] = '\0';
	if (!f)
		return -1;
	while (n + 1 < len && (r = fread(out + n, 1, len - 1 - n, f)) > 0)
		n += r;
	out[n] = '\0';
	return pclose(f);
}

/* ---- what the tools say ---- */

/* "RequiredPartition GUID:63" (json) or "RequiredPartition,GUID:63" */
static u64 attr_bits(const char *s)
{
	u64 bits = 0;

	while (*s) {
		if (!strncmp(s, "RequiredPartition", 17))
			bits |= 1ull << 0;
		else if (!strncmp(s, "NoBlockIOProtocol", 17))
			bits |= 1ull << 1;
		else if (!strncmp(s, "LegacyBIOSBootable", 18))
			bits |= 1ull << 2;
		else if (!strncmp(s, "GUID:", 5))
			bits |= 1ull << atoi(s + 5);
		s += strcspn(s, " ,");
		s += strspn(s, " ,");
	}
	return bits;
}

static u32 node_number(const char *node)
{
	size_t n = strlen(node);

	while (n && node[n - 1] >= '0' && node[n - 1] <= '9')
		n--;
	return atoi(node + n);
}

/* Value of a partition field into the current entry. */
static void exp_field(struct exp_part *p, const char *key, const char *val)
{
	if (!strcmp(key, "node"))
		p->number = node_number(val);
	else if (!strcmp(key, "start"))
		p->start = strtoull(val, NULL, 10);
	else if (!strcmp(key, "size"))
		p->size = strtoull(val, NULL, 10);
	else if (!strcmp(key, "type"))
		snprintf(p->type, sizeof(p->type), "%s", val);
	else if (!strcmp(key, "uuid"))
		snprintf(p->uuid, sizeof(p->uuid), "%s", val);
	else if (!strcmp(key, "name"))
		snprintf(p->name, sizeof(p->name), "%s", val);
	else if (!strcmp(key, "bootable"))
		p->boot = !strcmp(val, "true") || !*val;
	else if (!strcmp(key, "attrs"))
		p->attrs = attr_bits(val);
}

static void exp_top(struct exp_table *t, const char *key, const char *val)
{
	if (!strcmp(key, "label"))
		snprintf(t->label, sizeof(t->label), "%s", val);
	else if (!strcmp(key, "firstlba") || !strcmp(key, "first-lba"))
		t->first_lba = strtoull(val, NULL, 10);
	else if (!strcmp(key, "lastlba") || !strcmp(key, "last-lba"))
		t->last_lba = strtoull(val, NULL, 10);
	else if (!strcmp(key, "sectorsize") || !strcmp(key, "sector-size"))
		t->lbsz = strtoul(val, NULL, 10);
}

/* Strip spaces, a trailing ',' and surrounding quotes, in place. */
static char *trim(char *s)
{
	size_t n;

	s += strspn(s, " \t");
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == ',' || s[n - 1] == '\n'))
		s[--n] = '\0';
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s[n - 1] = '\0';
		s++;
	}
	return s;
}

/* `sfdisk --json`: one "key": value per line. */
static int parse_json(const char *name, struct exp_table *t)
{
	char *text = load_text(name), *line, *save, *colon;
	bool parts = false;

	if (!text)
		return -1;
	memset(t, 0, sizeof(*t));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		colon = strstr(line, "\": ");
		if (!colon)
			continue;
		*colon = '\0';
		line = trim(line);
		if (*line == '"')
			line++;
		if (!strcmp(line, "partitions")) {
			parts = true;
			continue;
		}
		if (parts && !strcmp(line, "node")) {
			if (t->n == MAX_PARTS)
				break;
			t->n++;
		}
		if (parts && t->n)
			exp_field(&t->p[t->n - 1], line, trim(colon + 3));
		else
			exp_top(t, line, trim(colon + 3));
	}
	free(text);
	return 0;
}

/* sfdisk-style dump (fdisk 'O'): header "key: value", then partitions. */
static int parse_dump(const char *name, struct exp_table *t)
{
	char *text = load_text(name), *line, *save, *f, *save2, *eq;
	struct exp_part *p;

	if (!text)
		return -1;
	memset(t, 0, sizeof(*t));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		f = strstr(line, " : ");
		if (!f) {
			f = strstr(line, ": ");
			if (f) {
				*f = '\0';
				exp_top(t, trim(line), trim(f + 2));
			}
			continue;
		}
		if (t->n == MAX_PARTS)
			break;
		p = &t->p[t->n++];
		*f = '\0';
		p->number = node_number(trim(line));
		for (f = strtok_r(f + 3, ",", &save2); f;
		     f = strtok_r(NULL, ",", &save2)) {
			eq = strchr(f, '=');
			if (eq) {
				*eq = '\0';
				exp_field(p, trim(f), trim(eq + 1));
			} else {
				exp_field(p, trim(f), "");
			}
		}
	}
	free(text);
	return 0;
}

int parse_expected(const char *base, struct exp_table *t)
{
	char name[256];

	if (strstr(base, "4k")) {
		snprintf(name, sizeof(name), "%s.dump", base);
		return parse_dump(name, t);
	}
	snprintf(name, sizeof(name), "%s.json", base);
	return parse_json(name, t);
}

const struct exp_part *exp_find(const struct exp_table *t, u32 nr)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (t->p[i].number == nr)
			return &t->p[i];
	return NULL;
}

/* GUID bytes as stored -> "0FC63DAF-8483-4772-8E79-3D69D8477DE4" */
void guid_str(const u8 *g, char *s)
{
	sprintf(s, "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X",
		imxf_get_le32(g), g[4] | g[5] << 8, g[6] | g[7] << 8,
		g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

/* UTF-8 name -> what ptab_gpt_entry() renders ('?' per non-ASCII char) */
void ascii_name(const char *utf8, char *out)
{
	const u8 *s = (const u8 *)utf8;

	for (; *s; s++) {
		if (*s < 0x80)
			*out++ = *s;
		else if ((*s & 0xc0) == 0xc0)
			*out++ = '?';
	}
	*out = '\0';
}
