/* literal.h - integer literals, and expressions of them, typed by C's rules, for macros whose
 * body names nothing (the compiler evaluates the others). */
#ifndef KVMGATE_LITERAL_H
#define KVMGATE_LITERAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* toks[0..ntoks) is a macro body: one integer literal, maybe parenthesised. Its value (as the
 * bits of a uint64_t when *is_unsigned) and whether C types it unsigned: the first of int,
 * unsigned int, long, unsigned long, long long, unsigned long long that holds it (the unsigned
 * ones only for a hex or octal literal or a U suffix; LP64). False for anything else: not one
 * literal, a float, a binary literal, a bad suffix, a decimal too large for long long. */
bool literal__eval(const char *const *toks, size_t ntoks, int64_t *value, bool *is_unsigned);
/* toks[0..ntoks) is a macro body of integer literals, the unary operators + - ~, the binary
 * * + - << >> & ^ | and parentheses, as libclang tokenizes it ("<<" one token). Its value and
 * signedness as C gives them (LP64; the type of `((body)) + 0`). False for anything else, and
 * wherever C leaves the result undefined or to the implementation: a signed overflow, a shift
 * by a negative or too wide count or of a negative value, a signed shift past the sign bit. */
bool literal__eval_expr(const char *const *toks, size_t ntoks, int64_t *value, bool *is_unsigned);
/* What the loader uses: literal__eval_expr, or literal__eval alone when KVMGATE_NO_CEXPR is set
 * (the tests compare the two: the compiler then evaluates every expression). */
bool literal__eval_body(const char *const *toks, size_t ntoks, int64_t *value, bool *is_unsigned);

#endif
