/* manifest_check.h - the records of a manifest read from a file checked against each other
 * (manifest_check.c): no record twice, nothing that no C type can be. */
#ifndef KVMGATE_MANIFEST_CHECK_H
#define KVMGATE_MANIFEST_CHECK_H

#include <stddef.h>

#include "errbuf.h"
#include "manifest.h"

/* m as read, unsorted; lines[i] the line of m->recs[i] in path (NULL: unknown). 0, -EINVAL with
 * err = "PATH:LINE: what" (the first contradiction found), or -ENOMEM. */
int manifest__check_read(const struct manifest *m, const unsigned *lines, const char *path,
			 char *err, size_t errlen);

#endif
