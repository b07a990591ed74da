/* sbuf.h - a growable NUL-terminated string. An allocation failure is remembered (oom) and
 * later additions are dropped, so callers check once at the end. */
#ifndef KVMGATE_SBUF_H
#define KVMGATE_SBUF_H

#include <stdbool.h>
#include <stddef.h>

struct sbuf {
	char *s;
	size_t len, cap;
	bool oom;	/* an allocation failed: contents are truncated */
};
#define SBUF_INIT { 0 }

void sbuf__add(struct sbuf *sb, const char *s);
void sbuf__addn(struct sbuf *sb, const char *s, size_t n);
void sbuf__addf(struct sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf__reset(struct sbuf *sb);
const char *sbuf__str(const struct sbuf *sb);	/* never NULL */
void sbuf__fini(struct sbuf *sb);

#endif
