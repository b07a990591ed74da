/* manifest_text.h - the canonical text form of a manifest (MANIFEST.md): writer and reader. */
#ifndef KVMGATE_MANIFEST_TEXT_H
#define KVMGATE_MANIFEST_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "manifest.h"

#define MANIFEST_MAGIC "# kvmgate layout manifest 1"
#define MANIFEST_END "# end: "

/* Write the canonical text (sorts first). Returns 0 or -errno. */
int manifest__write(struct manifest *m, FILE *out);
/* Write to PATH atomically (temporary file + rename); nothing is left behind on failure. */
int manifest__write_file(struct manifest *m, const char *path, char *err, size_t errlen);
/* Read a manifest file; on error fills err with "PATH:LINE: ..." and returns -EINVAL/-errno. */
int manifest__read(struct manifest *m, const char *path, char *err, size_t errlen);

#endif
