/* clang_ioctl.c - ioctl numbers put together from their parts instead of expanded by the
 * compiler: an _IOC expansion in an evaluation declaration is most of what the macros cost the
 * parse. The text scan predicts the macros written _IO(type, nr) or _IO{R,W,WR}(type, nr, arg)
 * on one line (ioctl__scan_body), and their declaration is only sizeof(arg), or nothing for _IO.
 * After the parse, a prediction is used only where it holds: the compiler's definition of the
 * macro is that form with that arg, type and nr are integer literals or macros of one (below
 * 256), and _IO.., _IOC and _IOC_TYPECHECK are asm-generic's, whose shifts and directions come
 * from the headers (ioctl__frame). The number is then (dir << _IOC_DIRSHIFT) | (type <<
 * _IOC_TYPESHIFT) | (nr << _IOC_NRSHIFT) | (size << _IOC_SIZESHIFT), as C computes it in
 * unsigned long. Anything else goes to the compiler as before (clang_macros.c). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "clang_internal.h"

/* asm-generic/ioctl.h's definitions, as libclang tokenizes them: name, parameters, body. */
static const char *const canon[IOCTL_NR_FNS] = {
	[IOCTL_IO] = "_IO ( type , nr ) _IOC ( _IOC_NONE , ( type ) , ( nr ) , 0 )",
	[IOCTL_IOR] = "_IOR ( type , nr , size ) _IOC ( _IOC_READ , ( type ) , ( nr ) , "
		"( _IOC_TYPECHECK ( size ) ) )",
	[IOCTL_IOW] = "_IOW ( type , nr , size ) _IOC ( _IOC_WRITE , ( type ) , ( nr ) , "
		"( _IOC_TYPECHECK ( size ) ) )",
	[IOCTL_IOWR] = "_IOWR ( type , nr , size ) _IOC ( _IOC_READ | _IOC_WRITE , ( type ) , "
		"( nr ) , ( _IOC_TYPECHECK ( size ) ) )",
	[IOCTL_IOC] = "_IOC ( dir , type , nr , size ) ( ( ( dir ) << _IOC_DIRSHIFT ) | "
		"( ( type ) << _IOC_TYPESHIFT ) | ( ( nr ) << _IOC_NRSHIFT ) | "
		"( ( size ) << _IOC_SIZESHIFT ) )",
	[IOCTL_TYPECHECK] = "_IOC_TYPECHECK ( t ) ( sizeof ( t ) )",
};

const char *const ioctl_fn_names[IOCTL_NR_FNS] = {
	[IOCTL_IO] = "_IO", [IOCTL_IOR] = "_IOR", [IOCTL_IOW] = "_IOW", [IOCTL_IOWR] = "_IOWR",
	[IOCTL_IOC] = "_IOC", [IOCTL_TYPECHECK] = "_IOC_TYPECHECK",
};

/* The _IO.. macro a name is (IOCTL_NR_FNS: none). */
static int io__kind(const char *s, size_t n)
{
	for (int k = IOCTL_IO; k <= IOCTL_IOWR; k++)
		if (strlen(ioctl_fn_names[k]) == n && !strncmp(s, ioctl_fn_names[k], n))
			return k;
	return IOCTL_NR_FNS;
}

/* The tokens of a type name in text, joined by one space as libclang's are: identifiers,
 * numbers and * [ ] ( ). False for anything else (another character, a comment). */
static bool arg__normalize(const char *s, size_t n, char *out, size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		size_t t = i;

		if (isspace((unsigned char)s[i])) {
			i++;
			continue;
		}
		if (isalnum((unsigned char)s[i]) || s[i] == '_')
			while (t < n && (isalnum((unsigned char)s[t]) || s[t] == '_'))
				t++;
		else if (strchr("*[]()", s[i]))
			t++;
		else
			return false;
		if (o + (t - i) + 2 > outlen)
			return false;
		if (o)
			out[o++] = ' ';
		memcpy(out + o, s + i, t - i);
		o += t - i;
		i = t;
	}
	out[o] = '\0';
	return o > 0;
}

int ioctl__scan_body(const char *b, char *arg, size_t arglen)
{
	const char *p = b, *open, *close, *c1 = NULL, *c2 = NULL;
	int kind, level = 0;
	size_t n;

	while (*p == ' ' || *p == '\t')
		p++;
	for (n = 0; isalnum((unsigned char)p[n]) || p[n] == '_'; n++)
		;
	kind = io__kind(p, n);
	if (kind == IOCTL_NR_FNS)
		return 0;
	for (open = p + n; *open == ' ' || *open == '\t'; open++)
		;
	if (*open != '(')
		return 0;
	for (close = open + 1; *close && *close != '\n'; close++) {
		if (*close == '(')
			level++;
		else if (*close == ')' && level-- == 0)
			break;
		else if (*close == ',' && level == 0) {
			if (c2)
				return 0;	/* a fourth argument */
			if (c1)
				c2 = close;
			else
				c1 = close;
		}
	}
	if (*close != ')' || !c1)
		return 0;
	/* nothing but a comment after it (and no continuation) */
	for (p = close + 1; *p == ' ' || *p == '\t'; p++)
		;
	if (*p && *p != '\n' && strncmp(p, "/*", 2) && strncmp(p, "//", 2))
		return 0;
	if (kind == IOCTL_IO)
		return c2 ? 0 : 1;
	if (!c2 || !arg__normalize(c2 + 1, (size_t)(close - c2 - 1), arg, arglen))
		return 0;
	return 2;
}

bool ioctl__fn_canonical(int fn, const char *const *toks, size_t ntoks)
{
	const char *c = canon[fn];

	for (size_t i = 0; i < ntoks; i++) {
		size_t l = strlen(toks[i]);

		if (strncmp(c, toks[i], l) || (c[l] != ' ' && c[l] != '\0'))
			return false;
		c += l;
		if (*c == ' ')
			c++;
	}
	return *c == '\0';
}

bool ioctl__split(const char *const *toks, size_t ntoks, struct ioctl_use *u)
{
	size_t comma[2], ncomma = 0, level = 0;

	memset(u, 0, sizeof(*u));
	if (ntoks < 6 || strcmp(toks[1], "(") || strcmp(toks[ntoks - 1], ")"))
		return false;
	u->kind = io__kind(toks[0], strlen(toks[0]));
	if (u->kind == IOCTL_NR_FNS)
		return false;
	for (size_t i = 2; i < ntoks - 1; i++) {
		if (!strcmp(toks[i], "(") || !strcmp(toks[i], "["))
			level++;
		else if (!strcmp(toks[i], ")") || !strcmp(toks[i], "]"))
			level--;
		else if (!strcmp(toks[i], ",") && level == 0) {
			if (ncomma == 2)
				return false;
			comma[ncomma++] = i;
		}
	}
	/* type and nr: one token each; then the arg, one token or more */
	if (ncomma == 0 || comma[0] != 3)
		return false;
	u->type = toks[2];
	u->nr = toks[4];
	if (u->kind == IOCTL_IO)
		return ncomma == 1 && ntoks == 6;
	if (ncomma != 2 || comma[1] != 5 || ntoks < 8)
		return false;
	u->arg_first = 6;
	u->arg_end = ntoks - 1;
	return true;
}

bool ioctl__arg_is(const char *const *toks, const struct ioctl_use *u, const char *text)
{
	for (size_t i = u->arg_first; i < u->arg_end; i++) {
		size_t l = strlen(toks[i]);

		if (strncmp(text, toks[i], l))
			return false;
		text += l;
		if (i + 1 < u->arg_end && *text++ != ' ')
			return false;
	}
	return *text == '\0';
}

bool ioctl__number(const struct ioctl_frame *f, const struct ioctl_use *u, uint64_t type,
		   uint64_t nr, uint64_t size, uint64_t *number)
{
	uint64_t d, t, n, s;

	if (!f->fn_ok[u->kind] || !f->fn_ok[IOCTL_IOC] ||
	    (u->kind != IOCTL_IO && !f->fn_ok[IOCTL_TYPECHECK]) || type >= 256 || nr >= 256 ||
	    size >= (1ull << 32))
		return false;
	d = f->dir[u->kind] << f->shift[IOCTL_SHIFT_DIR];
	t = type << f->shift[IOCTL_SHIFT_TYPE];
	n = nr << f->shift[IOCTL_SHIFT_NR];
	s = size << f->shift[IOCTL_SHIFT_SIZE];
	/* Each term as C computes it: type and nr may be int, the direction unsigned int, the size
	 * size_t; where a term could overflow its C type, or a shift drop bits, the compiler
	 * decides. Within these bounds, the C value is the plain sum of bits. */
	if (t >= (1ull << 31) || n >= (1ull << 31) ||
	    d >= (f->dir_unsigned ? 1ull << 32 : 1ull << 31) || s >= (1ull << 63) ||
	    (d >> f->shift[IOCTL_SHIFT_DIR]) != f->dir[u->kind] ||
	    (t >> f->shift[IOCTL_SHIFT_TYPE]) != type || (n >> f->shift[IOCTL_SHIFT_NR]) != nr ||
	    (s >> f->shift[IOCTL_SHIFT_SIZE]) != size)
		return false;
	*number = d | t | n | s;
	return true;
}
