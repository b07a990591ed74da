/* literal.c - the value and C type of a macro body that is one integer literal (literal.h),
 * without the compiler: C11 6.4.4.1 for LP64. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "literal.h"

/* A macro whose body is one integer literal gets its value and C type (C11 6.4.4.1: the first
 * of int, unsigned int, long, unsigned long, long long, unsigned long long that fits, unsigned
 * ones only for hex/octal or a U suffix) without the compiler; the static assertions of the
 * compiler test check every such value against gcc. Returns false for anything else. */
bool literal__eval(const char *const *toks, size_t ntoks, int64_t *value, bool *is_unsigned)
{
	const char *t = ntoks == 1 ? toks[0] :
			ntoks == 3 && !strcmp(toks[0], "(") && !strcmp(toks[2], ")") ? toks[1] : NULL;
	unsigned long long v;
	bool dec, u = false;
	int l = 0;
	char *end;

	if (!t || t[0] < '0' || t[0] > '9')
		return false;
	dec = t[0] != '0' || !t[1] || (t[1] != 'x' && t[1] != 'X' && (t[1] < '0' || t[1] > '7'));
	errno = 0;
	v = strtoull(t, &end, 0);
	if (errno)
		return false;
	for (; *end; end++) {
		if ((*end == 'u' || *end == 'U') && !u)
			u = true;
		else if ((*end == 'l' || *end == 'L') && l < 2)
			l++;
		else
			return false;	/* a float, a binary literal, a bad suffix: the compiler's job */
	}
	if (t[0] == '0' && t[1] && !dec && end == t + 1)
		return false;
	/* LP64 (x86_64 and arm64): int 32 bits, long and long long 64 */
	if (l == 0 && !u && v <= 0x7fffffffull)
		*is_unsigned = false;
	else if (l == 0 && (u || !dec) && v <= 0xffffffffull)
		*is_unsigned = true;
	else if (!u && v <= 0x7fffffffffffffffull)
		*is_unsigned = false;
	else if (u || !dec)
		*is_unsigned = true;
	else
		return false;	/* a decimal literal too large for long long: let the compiler say */
	*value = (int64_t)v;
	return true;
}
