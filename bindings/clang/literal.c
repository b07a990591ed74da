/* literal.c - the value and C type of a macro body without names (literal.h), without the
 * compiler: an integer literal (C11 6.4.4.1), or literals joined by unary and binary operators
 * and parentheses (6.5: the usual arithmetic conversions, shifts by the left operand's type),
 * for LP64. Whatever C leaves undefined or to the implementation is refused. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "literal.h"

/* A macro whose body is one integer literal gets its value and C type (C11 6.4.4.1: the first
 * of int, unsigned int, long, unsigned long, long long, unsigned long long that fits, unsigned
 * ones only for hex/octal or a U suffix) without the compiler; the static assertions of the
 * compiler test check every such value against gcc. Returns false for anything else. */
/* One literal token: its value and type (rank: 0 int, 1 long, 2 long long). */
static bool literal__token(const char *t, uint64_t *value, int *rank, bool *is_unsigned)
{
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
	/* LP64 (x86_64, arm64, riscv64): int 32 bits, long and long long 64 */
	if (l == 0 && !u && v <= 0x7fffffffull)
		*is_unsigned = false, *rank = 0;
	else if (l == 0 && (u || !dec) && v <= 0xffffffffull)
		*is_unsigned = true, *rank = 0;
	else if (!u && v <= 0x7fffffffffffffffull)
		*is_unsigned = false, *rank = l == 2 ? 2 : 1;
	else if (u || !dec)
		*is_unsigned = true, *rank = l == 2 ? 2 : 1;
	else
		return false;	/* a decimal literal too large for long long: let the compiler say */
	*value = v;
	return true;
}

bool literal__eval(const char *const *toks, size_t ntoks, int64_t *value, bool *is_unsigned)
{
	const char *t = ntoks == 1 ? toks[0] :
			ntoks == 3 && !strcmp(toks[0], "(") && !strcmp(toks[2], ")") ? toks[1] : NULL;
	uint64_t v;
	int rank;

	if (!literal__token(t, &v, &rank, is_unsigned))
		return false;
	*value = (int64_t)v;
	return true;
}

/* ---- expressions of literals ---- */

/* A value with its C type: v holds it sign-extended (signed) or zero-extended (unsigned) to 64
 * bits; rank 0 is int (32 bits), 1 long, 2 long long (64). */
struct cval {
	uint64_t v;
	int rank;
	bool is_unsigned;
};

struct cparse {
	const char *const *t;
	size_t n, i;
	int depth;
};

static unsigned width(int rank)
{
	return rank ? 64 : 32;
}

/* v reduced to the type's width: an unsigned int's bits, or an int sign-extended */
static uint64_t fit(uint64_t v, int rank, bool is_unsigned)
{
	if (rank)
		return v;
	return is_unsigned ? v & 0xffffffffull : (uint64_t)(int64_t)(int32_t)(uint32_t)v;
}

static bool representable(int64_t v, int rank)
{
	return rank || (v >= INT32_MIN && v <= INT32_MAX);
}

/* C11 6.3.1.8 for two operands of rank int or above (no promotion is left to do) */
static void common(struct cval *a, struct cval *b)
{
	int rank;
	bool u;

	if (a->is_unsigned == b->is_unsigned) {
		rank = a->rank > b->rank ? a->rank : b->rank;
		u = a->is_unsigned;
	} else {
		const struct cval *us = a->is_unsigned ? a : b, *sg = a->is_unsigned ? b : a;

		if (us->rank >= sg->rank)
			rank = us->rank, u = true;
		else if (width(sg->rank) > width(us->rank))
			rank = sg->rank, u = false;
		else
			rank = sg->rank, u = true;
	}
	a->v = fit(a->v, rank, u);
	b->v = fit(b->v, rank, u);
	a->rank = b->rank = rank;
	a->is_unsigned = b->is_unsigned = u;
}

static bool is(const struct cparse *p, const char *tok)
{
	return p->i < p->n && !strcmp(p->t[p->i], tok);
}

static bool expr_or(struct cparse *p, struct cval *r);

static bool expr_unary(struct cparse *p, struct cval *r)
{
	if (++p->depth > 64)
		return false;	/* nested deeper than any header writes */
	if (is(p, "(")) {
		p->i++;
		if (!expr_or(p, r) || !is(p, ")"))
			return false;
		p->i++;
	} else if (is(p, "-") || is(p, "+") || is(p, "~")) {
		char op = p->t[p->i++][0];

		if (!expr_unary(p, r))
			return false;
		if (op == '~')
			r->v = fit(~r->v, r->rank, r->is_unsigned);
		else if (op == '-' && r->is_unsigned)
			r->v = fit(-r->v, r->rank, true);
		else if (op == '-') {
			if ((int64_t)r->v == (r->rank ? INT64_MIN : INT32_MIN))
				return false;	/* overflow */
			r->v = (uint64_t)-(int64_t)r->v;
		}
	} else if (p->i < p->n && literal__token(p->t[p->i], &r->v, &r->rank, &r->is_unsigned)) {
		p->i++;
	} else {
		return false;
	}
	p->depth--;
	return true;
}

/* a OP b in the common type; false where C leaves the result undefined */
static bool arith(char op, struct cval *a, struct cval b)
{
	int64_t x, y, z;

	common(a, &b);
	if (a->is_unsigned) {
		a->v = fit(op == '+' ? a->v + b.v : op == '-' ? a->v - b.v : op == '*' ? a->v * b.v :
			   op == '&' ? a->v & b.v : op == '|' ? a->v | b.v : a->v ^ b.v,
			   a->rank, true);
		return true;
	}
	x = (int64_t)a->v;
	y = (int64_t)b.v;
	switch (op) {
	case '+':
		if (__builtin_add_overflow(x, y, &z))
			return false;
		break;
	case '-':
		if (__builtin_sub_overflow(x, y, &z))
			return false;
		break;
	case '*':
		if (__builtin_mul_overflow(x, y, &z))
			return false;
		break;
	default:
		z = op == '&' ? x & y : op == '|' ? x | y : x ^ y;
	}
	if (!representable(z, a->rank))
		return false;
	a->v = (uint64_t)z;
	return true;
}

/* E1 << E2, E1 >> E2: the type of E1; a negative or too wide E2, a negative E1, or a signed
 * result that does not fit are refused (undefined or the implementation's) */
static bool shift(bool left, struct cval *r, struct cval b)
{
	if ((!b.is_unsigned && (int64_t)b.v < 0) || b.v >= width(r->rank) ||
	    (!r->is_unsigned && (int64_t)r->v < 0))
		return false;
	if (!left) {
		r->v >>= b.v;
		return true;
	}
	if (!r->is_unsigned && b.v && r->v > ((r->rank ? (uint64_t)INT64_MAX : INT32_MAX) >> b.v))
		return false;
	r->v = fit(r->v << b.v, r->rank, r->is_unsigned);
	return true;
}

/* The binary operators by precedence, loosest first (C11 6.5.5 to 6.5.12). */
static const char *const levels[][3] = {
	{ "|" }, { "^" }, { "&" }, { "<<", ">>" }, { "+", "-" }, { "*" },
};
#define NLEVELS (sizeof(levels) / sizeof(levels[0]))

static bool expr_level(struct cparse *p, struct cval *r, size_t level)
{
	struct cval b;

	if (level == NLEVELS)
		return expr_unary(p, r);
	if (!expr_level(p, r, level + 1))
		return false;
	for (;;) {
		const char *op = NULL;

		for (size_t k = 0; k < 3 && levels[level][k] && !op; k++)
			if (is(p, levels[level][k]))
				op = levels[level][k];
		if (!op)
			return true;
		p->i++;
		if (!expr_level(p, &b, level + 1) ||
		    !(op[1] ? shift(op[0] == '<', r, b) : arith(op[0], r, b)))
			return false;
	}
}

static bool expr_or(struct cparse *p, struct cval *r)
{
	return expr_level(p, r, 0);
}

bool literal__eval_expr(const char *const *toks, size_t ntoks, int64_t *value, bool *is_unsigned)
{
	struct cparse p = { .t = toks, .n = ntoks };
	struct cval r;

	if (!ntoks || !expr_or(&p, &r) || p.i != ntoks)
		return false;
	*value = (int64_t)r.v;
	*is_unsigned = r.is_unsigned;
	return true;
}

bool literal__eval_body(const char *const *toks, size_t ntoks, int64_t *value, bool *is_unsigned)
{
	static int exprs = -1;	/* read once; the loader is single-threaded here */

	if (exprs < 0)
		exprs = getenv("KVMGATE_NO_CEXPR") == NULL;
	return exprs ? literal__eval_expr(toks, ntoks, value, is_unsigned) :
		       literal__eval(toks, ntoks, value, is_unsigned);
}
