/* errbuf.h - the error buffers of the library: a call that fails returns -errno and leaves one
 * line in the caller's buffer, "FILE:LINE: what was expected"; the front end prints it as
 * "kvmgate: FILE:LINE: what was expected". */
#ifndef KVMGATE_ERRBUF_H
#define KVMGATE_ERRBUF_H

#include <stddef.h>

#define ERRBUF_SIZE 512

/* Format one line into err[0..errlen) (truncated to fit). Returns -EINVAL, the error of bad
 * input, so that a parser can `return errbuf__fail(...)`. */
int errbuf__fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* errbuf__fail at a place of a file: "PATH:LINE: " and the message (fmt a string literal). */
#define errbuf__fail_at(err, errlen, path, line, fmt, ...) \
	errbuf__fail(err, errlen, "%s:%u: " fmt, path, (unsigned)(line), ##__VA_ARGS__)

#endif
