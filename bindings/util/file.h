/* file.h - whole files: read into memory, written from memory. */
#ifndef KVMGATE_FILE_H
#define KVMGATE_FILE_H

#include <stddef.h>

/* Read all of path into *buf (malloc'd, not NUL-terminated), *len bytes. 0 or -errno; err =
 * "PATH: what" for a file that cannot be opened or read. */
int file__read(const char *path, char **buf, size_t *len, char *err, size_t errlen);
/* Create or truncate path (0600) with data[0..len). 0 or -errno. */
int file__write(const char *path, const void *data, size_t len);

#endif
