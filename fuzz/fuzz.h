/* fuzz.h - what every libFuzzer harness of fuzz/ shares: the input as a file the readers can
 * open by name (a memfd, "/proc/self/fd/N": no file on disk, nothing to clean up), and TMPDIR
 * pointed at a private directory for the readers that unpack into one. */
#ifndef KVMGATE_FUZZ_H
#define KVMGATE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* The input as a readable path (the same memfd each call, rewritten). Aborts on a failed
 * system call: a harness that cannot set its input up has nothing to say. */
const char *fuzz__path(const uint8_t *data, size_t size);
/* The input as a NUL-terminated string (malloc'd; embedded NULs kept, so the parser sees a
 * shorter text). */
char *fuzz__text(const uint8_t *data, size_t size);

#endif
