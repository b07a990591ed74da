/* literal.h - integer literals typed by C's rules, for macros whose body is one literal. */
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

#endif
