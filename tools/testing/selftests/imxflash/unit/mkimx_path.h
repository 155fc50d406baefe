/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests that run mkimx: where it is ($MKIMX, else next to the tests). */
#ifndef _IMXF_UNIT_MKIMX_PATH_H
#define _IMXF_UNIT_MKIMX_PATH_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char mkimx_path[PATH_MAX + 32];

static const char *find_mkimx(void)
{
	char exe[PATH_MAX];
	const char *env = getenv("MKIMX");
	ssize_t n;
	char *slash;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return "mkimx";
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(mkimx_path, sizeof(mkimx_path), "%s/../tools/mkimx", exe);
	return mkimx_path;
}

#endif /* _IMXF_UNIT_MKIMX_PATH_H */
