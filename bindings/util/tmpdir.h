/* tmpdir.h - private temporary directories (mkdtemp under $TMPDIR, else /tmp), and their
 * removal with the files in them. */
#ifndef KVMGATE_TMPDIR_H
#define KVMGATE_TMPDIR_H

/* Make $TMPDIR/PREFIX-XXXXXX; *dir is malloc'd (NULL on failure). 0 or -errno. */
int tmpdir__new(const char *prefix, char **dir);
/* Remove a directory made by tmpdir__new and the files in it (one level deep); NULL: none. */
void tmpdir__remove(const char *dir);
/* Remove a directory and everything under it, depth first, not following symlinks (a staged
 * output tree); NULL: none. 0, or -errno of the first entry that could not be removed. */
int tmpdir__remove_tree(const char *dir);

#endif
