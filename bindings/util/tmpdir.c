/* tmpdir.c - private temporary directories (tmpdir.h). */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmpdir.h"

int tmpdir__new(const char *prefix, char **dir)
{
	const char *t = getenv("TMPDIR");

	if (asprintf(dir, "%s/%s-XXXXXX", t && *t ? t : "/tmp", prefix) < 0) {
		*dir = NULL;
		return -ENOMEM;
	}
	if (!mkdtemp(*dir)) {
		int rc = -errno;

		free(*dir);
		*dir = NULL;
		return rc;
	}
	return 0;
}

void tmpdir__remove(const char *dir)
{
	struct dirent *e;
	DIR *d;

	if (!dir)
		return;
	d = opendir(dir);
	if (d) {
		while ((e = readdir(d)) != NULL) {
			char p[4096];

			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(dir);
}

static int remove_tree_rc;

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if ((flag == FTW_DP ? rmdir(path) : unlink(path)) && errno != ENOENT && !remove_tree_rc)
		remove_tree_rc = -errno;
	return 0;
}

int tmpdir__remove_tree(const char *dir)
{
	if (!dir)
		return 0;
	remove_tree_rc = 0;
	if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) && errno != ENOENT && !remove_tree_rc)
		remove_tree_rc = -errno;
	return remove_tree_rc;
}
