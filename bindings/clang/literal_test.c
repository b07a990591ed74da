/* literal_test.c - integer literals typed by C11 6.4.4.1 for LP64 (literal.c): each case says
 * the type C gives the literal, and what is not one literal is refused (left to the compiler);
 * and expressions of literals (6.5): their values and types, and what C leaves undefined or to
 * the implementation refused. */
#include <atf-c.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "literal.h"

typedef bool (*evaluator)(const char *const *toks, size_t ntoks, int64_t *value,
			  bool *is_unsigned);

/* One token a word of body (space-separated), as libclang gives them. */
static bool eval(evaluator f, const char *body, int64_t *v, bool *is_unsigned)
{
	char buf[256], *save = NULL;
	const char *toks[32];
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", body);
	for (char *t = strtok_r(buf, " ", &save); t && n < 32; t = strtok_r(NULL, " ", &save))
		toks[n++] = t;
	return f(toks, n, v, is_unsigned);
}

static void check_by(evaluator f, const char *body, uint64_t value, bool is_unsigned)
{
	int64_t v = 0x5a5a;
	bool u = !is_unsigned;

	if (!eval(f, body, &v, &u)) {
		ATF_CHECK_MSG(false, "'%s' refused", body);
		return;
	}
	ATF_CHECK_MSG((uint64_t)v == value, "'%s': value 0x%jx, expected 0x%jx", body,
		      (uintmax_t)(uint64_t)v, (uintmax_t)value);
	ATF_CHECK_MSG(u == is_unsigned, "'%s': %s, expected %s", body, u ? "unsigned" : "signed",
		      is_unsigned ? "unsigned" : "signed");
}

static void refused_by(evaluator f, const char *body)
{
	int64_t v;
	bool u;

	ATF_CHECK_MSG(!eval(f, body, &v, &u), "'%s' accepted", body);
}

/* literals (literal__eval), and expressions (literal__eval_expr: every literal is one too) */
static void check(const char *body, uint64_t value, bool is_unsigned)
{
	check_by(literal__eval, body, value, is_unsigned);
	check_by(literal__eval_expr, body, value, is_unsigned);
}

static void refused(const char *body)
{
	refused_by(literal__eval, body);
}

static void check_expr(const char *body, uint64_t value, bool is_unsigned)
{
	check_by(literal__eval_expr, body, value, is_unsigned);
}

static void refused_expr(const char *body)
{
	refused_by(literal__eval_expr, body);
}

ATF_TC_WITHOUT_HEAD(decimal_types);
ATF_TC_BODY(decimal_types, tc)
{
	check("0", 0, false);
	check("42", 42, false);
	check("2147483647", 0x7fffffff, false);		/* int */
	check("2147483648", 0x80000000, false);		/* long: a decimal is never unsigned */
	check("9223372036854775807", 0x7fffffffffffffff, false);
	check("1L", 1, false);
	check("1LL", 1, false);
}

ATF_TC_WITHOUT_HEAD(hex_octal_types);
ATF_TC_BODY(hex_octal_types, tc)
{
	check("0x7fffffff", 0x7fffffff, false);		/* int */
	check("0x80000000", 0x80000000, true);		/* unsigned int */
	check("0xffffffff", 0xffffffff, true);
	check("0x100000000", 0x100000000, false);	/* long */
	check("0x8000000000000000", 0x8000000000000000, true);	/* unsigned long */
	check("0xffffffffL", 0xffffffff, false);	/* long holds it */
	check("010", 8, false);
	check("037777777777", 0xffffffff, true);	/* octal: unsigned int */
	check("0X1f", 0x1f, false);
}

ATF_TC_WITHOUT_HEAD(suffixes);
ATF_TC_BODY(suffixes, tc)
{
	check("5U", 5, true);
	check("5u", 5, true);
	check("4294967295U", 0xffffffff, true);
	check("4294967296U", 0x100000000, true);	/* unsigned long */
	check("1UL", 1, true);
	check("1LU", 1, true);
	check("18446744073709551615ULL", 0xffffffffffffffff, true);
	check("( 5 )", 5, false);			/* parenthesised */
	check("( 0x80000000 )", 0x80000000, true);
}

ATF_TC_WITHOUT_HEAD(refused_bodies);
ATF_TC_BODY(refused_bodies, tc)
{
	refused("18446744073709551615");	/* decimal too large for long long */
	refused("9223372036854775808");
	refused("0x10000000000000000");		/* overflows 64 bits */
	refused("1.5");
	refused("1e3");
	refused("0b101");
	refused("5UU");
	refused("5LLL");
	refused("5ULU");
	refused("08");				/* not an octal literal */
	refused("0x");
	refused("abc");
	refused("-1");				/* an expression, not a literal */
	refused("1 2");
	refused("( 5");
	refused("( 5 ]");
	refused("");
}

/* The expressions: each value and type is C's (checked against gcc with _Generic when
 * written). */
ATF_TC_WITHOUT_HEAD(expressions);
ATF_TC_BODY(expressions, tc)
{
	check_expr("( 1 << 3 )", 8, false);
	check_expr("( 1ULL << 63 )", 0x8000000000000000ull, true);
	check_expr("( 1U << 31 )", 0x80000000ull, true);		/* unsigned int */
	check_expr("( 1 << 30 )", 0x40000000ull, false);
	check_expr("- 1", (uint64_t)-1, false);
	check_expr("- 1U", 0xffffffffull, true);			/* unsigned int wraps */
	check_expr("- 1UL", 0xffffffffffffffffull, true);
	check_expr("~ 0", (uint64_t)-1, false);
	check_expr("~ 0U", 0xffffffffull, true);
	check_expr("~ 0ULL", 0xffffffffffffffffull, true);
	check_expr("( 0x10 | 0x3 ) & ~ 0x1", 0x12, false);
	check_expr("1 + 2 * 3", 7, false);			/* precedence */
	check_expr("( 1 + 2 ) * 3", 9, false);
	check_expr("1 << 2 + 1", 8, false);			/* + before << */
	check_expr("1 | 2 ^ 3 & 1", 3, false);			/* & before ^ before | */
	check_expr("0x80000000 >> 31", 1, true);		/* unsigned int */
	check_expr("- 1 + 0U", 0xffffffffull, true);		/* int to unsigned int */
	check_expr("- 1 + 0UL", 0xffffffffffffffffull, true);	/* int to unsigned long */
	check_expr("- 1L + 0U", (uint64_t)-1, false);		/* long holds every unsigned int */
	check_expr("- 1LL + 0UL", 0xffffffffffffffffull, true);	/* same width: unsigned long long */
	check_expr("2147483647 + 1L", 0x80000000ull, false);	/* long */
	check_expr("( ( ( 5 ) ) )", 5, false);
	check_expr("- 2147483647 - 1", 0xffffffff80000000ull, false);
	check_expr("4294967295U + 1", 0, true);			/* wraps in unsigned int */
}

ATF_TC_WITHOUT_HEAD(refused_expressions);
ATF_TC_BODY(refused_expressions, tc)
{
	refused_expr("1 << 31");		/* past int's sign bit: undefined */
	refused_expr("1 << 32");		/* as wide as int: undefined */
	refused_expr("1ULL << 64");
	refused_expr("1 << - 1");
	refused_expr("- 1 << 1");		/* a negative left operand: undefined */
	refused_expr("- 1 >> 1");		/* implementation-defined */
	refused_expr("2147483647 + 1");		/* int overflow */
	refused_expr("- ( - 2147483647 - 1 )");
	refused_expr("65536 * 65536");
	refused_expr("KVM_X | 1");		/* a name: the compiler's */
	refused_expr("( 1 << 3");
	refused_expr("1 2");
	refused_expr("1 / 2");			/* not an operator here */
	refused_expr("( unsigned ) 1");
	refused_expr("");
	refused_expr("1.5 + 1");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, expressions);
	ATF_TP_ADD_TC(tp, refused_expressions);
	ATF_TP_ADD_TC(tp, decimal_types);
	ATF_TP_ADD_TC(tp, hex_octal_types);
	ATF_TP_ADD_TC(tp, suffixes);
	ATF_TP_ADD_TC(tp, refused_bodies);
	return atf_no_error();
}
