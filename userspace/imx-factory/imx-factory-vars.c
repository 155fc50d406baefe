// SPDX-License-Identifier: GPL-2.0
/*
 * imx-factory: per-board values in manifest steps (imx-factory(1),
 * "VARIABLES"). A step may name
 *
 *   ${uid}    the board's unique ID from its fuses, 16 upper-case hex
 *             digits (read by hid-imx-sdp from the ROM)
 *   ${port}   the USB port path the board is on ("1-1.2")
 *   ${board}  the board's number in this run (1, 2, ...)
 *
 * anywhere in the line; "$$" is a '$'. Any other "${...}" is an error of
 * the manifest, found when it is read, with its line. A "$" followed by
 * anything else stays as it is. Pure: the unit test links this file.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "imx-factory.h"

static const char *const fac_var_names[] = { "uid", "port", "board" };

/* The value of variable @i, NULL when the board does not have it. */
static const char *var_value(const struct fac_vars *v, unsigned int i)
{
	switch (i) {
	case 0:
		return v->uid && v->uid[0] ? v->uid : NULL;
	case 1:
		return v->port && v->port[0] ? v->port : NULL;
	default:
		return v->board[0] ? v->board : NULL;
	}
}

/*
 * At @s (just after "${"): the index of the variable and its length up
 * to '}' in *@len; -1 with *@len the length of what is there (to '}' or
 * the end) when it is no variable; -2 when there is no '}'.
 */
static int var_at(const char *s, size_t *len)
{
	const char *end = strchr(s, '}');
	unsigned int i;

	if (!end) {
		*len = strlen(s);
		return -2;
	}
	*len = end - s;
	for (i = 0; i < ARRAY_SIZE(fac_var_names); i++)
		if (strlen(fac_var_names[i]) == *len &&
		    !strncmp(s, fac_var_names[i], *len))
			return i;
	return -1;
}

int fac_vars_check(const char *s, bool *uses, char *why, size_t whylen)
{
	size_t len;
	int i;

	*uses = false;
	for (; *s; s++) {
		if (s[0] != '$')
			continue;
		if (s[1] == '$') {
			s++;
			continue;
		}
		if (s[1] != '{')
			continue;
		i = var_at(s + 2, &len);
		if (i == -2) {
			snprintf(why, whylen,
				 "'${%.40s': no closing '}' (variables: ${uid}, ${port}, ${board}; '$$' is a '$')",
				 s + 2);
			return -EINVAL;
		}
		if (i < 0) {
			snprintf(why, whylen,
				 "unknown variable '${%.*s}' (variables: ${uid}, ${port}, ${board})",
				 (int)(len > 40 ? 40 : len), s + 2);
			return -EINVAL;
		}
		*uses = true;
		s += 2 + len;
	}
	return 0;
}

int fac_vars_expand(const char *s, const struct fac_vars *v, char *out,
		    size_t size, char *why, size_t whylen)
{
	const char *val;
	size_t n = 0, len, k;
	int i;

	if (!size)
		return -ENAMETOOLONG;
	for (; *s; s++) {
		val = NULL;
		len = 1;
		if (s[0] == '$' && s[1] == '$') {
			s++;
		} else if (s[0] == '$' && s[1] == '{') {
			i = var_at(s + 2, &len);
			if (i < 0) {
				snprintf(why, whylen, "'${%.*s': not a variable",
					 (int)(len > 40 ? 40 : len), s + 2);
				return -EINVAL;
			}
			val = var_value(v, i);
			if (!val) {
				snprintf(why, whylen,
					 "${%s}: not known for this board%s",
					 fac_var_names[i], i ? "" :
					 " (its ROM gave no unique ID: see imx-sdp list, imx-sdp uid)");
				return -ENOENT;
			}
			s += 2 + len;
			len = strlen(val);
		}
		if (n + len >= size) {
			snprintf(why, whylen, "longer than %zu bytes once expanded",
				 size - 1);
			return -ENAMETOOLONG;
		}
		for (k = 0; k < len; k++)
			out[n++] = val ? val[k] : *s;
	}
	out[n] = '\0';
	return 0;
}
