/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the image unit tests (bmap_test, decomp_test,
 * img_source_test): where image_data.sh left its files, and reading
 * them whole.
 */
#ifndef IMG_DATA_H
#define IMG_DATA_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef IMG_DATA
#define IMG_DATA "image_data"
#endif

/* $IMG_DATA/@name into @buf (@size bytes). */
static inline const char *img_path(char *buf, size_t size, const char *name)
{
	const char *dir = getenv("IMG_DATA");

	snprintf(buf, size, "%s/%s", dir && *dir ? dir : IMG_DATA, name);
	return buf;
}

/*
 * $IMG_DATA/@name, for an initialiser: four calls may be in use at once
 * (a bmap and its image in one call, say).
 */
static inline const char *img_file(const char *name)
{
	static char buf[4][512];
	static unsigned int next;

	return img_path(buf[next++ % 4], sizeof(buf[0]), name);
}

/* The whole file, NUL-terminated (not counted in *@len); NULL on error. */
static inline char *img_load(const char *name, size_t *len)
{
	char path[512];
	struct stat st;
	char *buf;
	int fd;

	fd = open(img_path(path, sizeof(path), name), O_RDONLY);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !(buf = malloc((size_t)st.st_size + 1))) {
		close(fd);
		return NULL;
	}
	if (read(fd, buf, (size_t)st.st_size) != st.st_size) {
		free(buf);
		close(fd);
		return NULL;
	}
	close(fd);
	buf[st.st_size] = '\0';
	*len = (size_t)st.st_size;
	return buf;
}

#endif /* IMG_DATA_H */
