/* literal_test.c - integer literals typed by C11 6.4.4.1 for LP64 (literal.c): each case says
 * the type C gives the literal, and what is not one literal is refused (left to the compiler). */
#include <atf-c.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "literal.h"

/* One token a word of body (space-separated). */
static bool eval(const char *body, int64_t *v, bool *is_unsigned)
{
	char buf[128], *save = NULL;
	const char *toks[8];
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", body);
	for (char *t = strtok_r(buf, " ", &save); t && n < 8; t = strtok_r(NULL, " ", &save))
		toks[n++] = t;
	return literal__eval(toks, n, v, is_unsigned);
}

static void check(const char *body, uint64_t value, bool is_unsigned)
{
	int64_t v = 0x5a5a;
	bool u = !is_unsigned;

	if (!eval(body, &v, &u)) {
		ATF_CHECK_MSG(false, "'%s' refused", body);
		return;
	}
	ATF_CHECK_MSG((uint64_t)v == value, "'%s': value 0x%jx, expected 0x%jx", body,
		      (uintmax_t)(uint64_t)v, (uintmax_t)value);
	ATF_CHECK_MSG(u == is_unsigned, "'%s': %s, expected %s", body, u ? "unsigned" : "signed",
		      is_unsigned ? "unsigned" : "signed");
}

static void refused(const char *body)
{
	int64_t v;
	bool u;

	ATF_CHECK_MSG(!eval(body, &v, &u), "'%s' accepted", body);
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

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, decimal_types);
	ATF_TP_ADD_TC(tp, hex_octal_types);
	ATF_TP_ADD_TC(tp, suffixes);
	ATF_TP_ADD_TC(tp, refused_bodies);
	return atf_no_error();
}
