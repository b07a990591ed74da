/* rust_lex.h - a tokenizer for the Rust subset bindgen writes (any layout: rustfmt'd or not).
 *
 * Tokens point into the caller's buffer; line comments are kept as tokens (kvmgate's ioctl and
 * unevaluated-macro records live in them), block comments are dropped.
 */
#ifndef KVMGATE_RUST_LEX_H
#define KVMGATE_RUST_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rtok_kind {
	RT_IDENT,
	RT_INT,		/* 144usize, 0x8090ae81, 3u8 */
	RT_FLOAT,
	RT_STR,		/* "..." with its quotes (also b"..." and r#"..."#) */
	RT_CHAR,	/* 'a' */
	RT_LIFETIME,	/* '_ */
	RT_PUNCT,	/* :: -> => .. or one character */
	RT_COMMENT,	/* // ... (text after the slashes) */
	RT_EOF,
};

struct rtok {
	enum rtok_kind kind;
	const char *s;
	unsigned len;
	unsigned line;
};

struct rlex {
	struct rtok *t;
	size_t n, cap;
};

/* Tokenize buf[0..len). 0, -ENOMEM, or -EINVAL with err = "PATH:LINE: what was expected".
 * The token array always ends with one RT_EOF token. */
int rlex__run(struct rlex *lx, const char *path, const char *buf, size_t len, char *err,
	      size_t errlen);
void rlex__fini(struct rlex *lx);

bool rtok__is(const struct rtok *t, const char *s);	/* ident or punct with this text */
/* Integer value of an RT_INT token (suffix and '_' ignored); false on overflow/garbage. */
bool rtok__int(const struct rtok *t, uint64_t *v);

#endif
