/* sbuf.c - a growable NUL-terminated string (sbuf.h): the Rust writer builds lines in it,
 * dwarf/ collects pahole's output in it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

void sbuf__addn(struct sbuf *sb, const char *s, size_t n)
{
	if (sb->oom)
		return;
	if (sb->len + n + 1 > sb->cap) {
		size_t cap = sb->cap ? sb->cap : 64;
		char *p;

		while (cap < sb->len + n + 1)
			cap *= 2;
		p = realloc(sb->s, cap);
		if (!p) {
			sb->oom = true;
			return;
		}
		sb->s = p;
		sb->cap = cap;
	}
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void sbuf__add(struct sbuf *sb, const char *s)
{
	sbuf__addn(sb, s, strlen(s));
}

void sbuf__addf(struct sbuf *sb, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->oom = true;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		sbuf__addn(sb, small, (size_t)n);
		return;
	}
	{
		char *big = malloc((size_t)n + 1);

		if (!big) {
			sb->oom = true;
			return;
		}
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		sbuf__addn(sb, big, (size_t)n);
		free(big);
	}
}

void sbuf__reset(struct sbuf *sb)
{
	sb->len = 0;
	if (sb->s)
		sb->s[0] = '\0';
}

const char *sbuf__str(const struct sbuf *sb)
{
	return sb->s ? sb->s : "";
}

void sbuf__fini(struct sbuf *sb)
{
	free(sb->s);
	*sb = (struct sbuf)SBUF_INIT;
}
