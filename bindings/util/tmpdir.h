/* tmpdir.h - private temporary directories (mkdtemp under $TMPDIR, else /tmp), and their
 * removal with the files in them. */
#ifndef KVMGATE_TMPDIR_H
#define KVMGATE_TMPDIR_H

/* Make $TMPDIR/PREFIX-XXXXXX; *dir is malloc'd (NULL on failure). 0 or -errno. */
int tmpdir__new(const char *prefix, char **dir);
/* Remove a directory made by tmpdir__new and the files in it (one level deep); NULL: none. */
void tmpdir__remove(const char *dir);

#endif
