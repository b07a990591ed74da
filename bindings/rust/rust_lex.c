/* rust_lex.c - split a bindings.rs into tokens with their line numbers.
 *
 * Enough of Rust's lexical grammar for what bindgen emits: identifiers, integer and float literals
 * with suffixes, strings (plain, byte, raw), char literals and lifetimes, nested block comments,
 * and multi-character punctuation that the reader matches on (`::`, `->`, `=>`, `..`).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "errbuf.h"
#include "rust_lex.h"

static int rlex__push(struct rlex *lx, enum rtok_kind kind, const char *s, size_t len,
		      unsigned line)
{
	if (ARRAY_GROW(lx->t, lx->n, lx->cap, 4096))
		return -ENOMEM;
	lx->t[lx->n++] = (struct rtok){ .kind = kind, .s = s, .len = (unsigned)len, .line = line };
	return 0;
}

static bool is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static bool is_ident_char(int c)
{
	return isalnum(c) || c == '_';
}

int rlex__run(struct rlex *lx, const char *path, const char *buf, size_t len, char *err,
	      size_t errlen)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 1;
	int ret;

	*lx = (struct rlex){ 0 };
	while (p < end) {
		const char *s = p;
		unsigned l0 = line;

		if (*p == '\n') {
			line++;
			p++;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (*p == '\0')
			goto bad_char;
		if (p + 1 < end && p[0] == '/' && p[1] == '/') {
			while (p < end && *p != '\n')
				p++;
			ret = rlex__push(lx, RT_COMMENT, s + 2, (size_t)(p - s - 2), l0);
			if (ret)
				return ret;
			continue;
		}
		if (p + 1 < end && p[0] == '/' && p[1] == '*') {
			int depth = 0;

			while (p < end) {
				if (p + 1 < end && p[0] == '/' && p[1] == '*') {
					depth++;
					p += 2;
				} else if (p + 1 < end && p[0] == '*' && p[1] == '/') {
					p += 2;
					if (--depth == 0)
						break;
				} else {
					line += *p == '\n';
					p++;
				}
			}
			if (depth) {
				return errbuf__fail_at(err, errlen, path, l0,
						       "unterminated block comment");
			}
			continue;
		}
		/* raw strings r"..." r#"..."#, byte strings b"...", br"..." */
		if ((*p == 'r' || *p == 'b') && p + 1 < end &&
		    (p[1] == '"' || p[1] == '#' || (p[0] == 'b' && p[1] == 'r'))) {
			const char *q = p + 1;
			unsigned hashes = 0;
			bool raw = *p == 'r';

			if (*p == 'b' && *q == 'r') {
				raw = true;
				q++;
			}
			if (raw) {
				while (q < end && *q == '#') {
					hashes++;
					q++;
				}
				if (q < end && *q == '"') {
					q++;
					for (;;) {
						if (q >= end) {
							return errbuf__fail_at(err, errlen, path, l0,
									       "unterminated raw string");
						}
						if (*q == '"') {
							unsigned h = 0;

							while (h < hashes && q + 1 + h < end &&
							       q[1 + h] == '#')
								h++;
							if (h == hashes) {
								q += 1 + h;
								break;
							}
						}
						line += *q == '\n';
						q++;
					}
					ret = rlex__push(lx, RT_STR, s, (size_t)(q - s), l0);
					if (ret)
						return ret;
					p = q;
					continue;
				}
				/* r#ident: a raw identifier */
				if (hashes == 1 && q < end && is_ident_start((unsigned char)*q)) {
					const char *id = q;

					while (q < end && is_ident_char((unsigned char)*q))
						q++;
					ret = rlex__push(lx, RT_IDENT, id, (size_t)(q - id), l0);
					if (ret)
						return ret;
					p = q;
					continue;
				}
			} else {
				p++;	/* b"...": lex the string below */
				s = p;
			}
		}
		if (*p == '"') {
			p++;
			while (p < end && *p != '"') {
				if (*p == '\\' && p + 1 < end)
					p++;
				line += *p == '\n';
				p++;
			}
			if (p >= end) {
				return errbuf__fail_at(err, errlen, path, l0,
						       "unterminated string literal");
			}
			p++;
			ret = rlex__push(lx, RT_STR, s, (size_t)(p - s), l0);
			if (ret)
				return ret;
			continue;
		}
		if (*p == '\'') {
			/* char literal 'x' / '\n' / '\'' or a lifetime 'a */
			if (p + 2 < end && p[1] == '\\') {
				const char *q = p + 2;

				while (q < end && *q != '\'' && *q != '\n')
					q++;
				if (q >= end || *q != '\'') {
					return errbuf__fail_at(err, errlen, path, l0,
							       "unterminated character literal");
				}
				p = q + 1;
				ret = rlex__push(lx, RT_CHAR, s, (size_t)(p - s), l0);
			} else if (p + 2 < end && p[2] == '\'') {
				p += 3;
				ret = rlex__push(lx, RT_CHAR, s, 3, l0);
			} else {
				p++;
				while (p < end && is_ident_char((unsigned char)*p))
					p++;
				ret = rlex__push(lx, RT_LIFETIME, s, (size_t)(p - s), l0);
			}
			if (ret)
				return ret;
			continue;
		}
		if (is_ident_start((unsigned char)*p)) {
			while (p < end && is_ident_char((unsigned char)*p))
				p++;
			ret = rlex__push(lx, RT_IDENT, s, (size_t)(p - s), l0);
			if (ret)
				return ret;
			continue;
		}
		if (isdigit((unsigned char)*p)) {
			enum rtok_kind k = RT_INT;

			if (p + 1 < end && p[0] == '0' && (p[1] == 'x' || p[1] == 'X' || p[1] == 'b' ||
							   p[1] == 'o'))
				p += 2;
			while (p < end && (is_ident_char((unsigned char)*p) ||
					   (*p == '.' && p + 1 < end && isdigit((unsigned char)p[1])))) {
				if (*p == '.')
					k = RT_FLOAT;
				p++;
			}
			ret = rlex__push(lx, k, s, (size_t)(p - s), l0);
			if (ret)
				return ret;
			continue;
		}
		if (ispunct((unsigned char)*p)) {
			size_t n = 1;

			if (p + 1 < end && ((p[0] == ':' && p[1] == ':') || (p[0] == '-' && p[1] == '>') ||
					    (p[0] == '=' && p[1] == '>') || (p[0] == '.' && p[1] == '.')))
				n = 2;
			p += n;
			ret = rlex__push(lx, RT_PUNCT, s, n, l0);
			if (ret)
				return ret;
			continue;
		}
bad_char:
		return errbuf__fail_at(err, errlen, path, line,
				       "unexpected byte 0x%02x (not Rust source)", (unsigned char)*p);
	}
	return rlex__push(lx, RT_EOF, end, 0, line);
}

void rlex__fini(struct rlex *lx)
{
	free(lx->t);
	*lx = (struct rlex){ 0 };
}

bool rtok__is(const struct rtok *t, const char *s)
{
	return (t->kind == RT_IDENT || t->kind == RT_PUNCT) && strlen(s) == t->len &&
	       !memcmp(t->s, s, t->len);
}

bool rtok__int(const struct rtok *t, uint64_t *v)
{
	uint64_t x = 0;
	unsigned base = 10, i = 0;

	if (t->kind != RT_INT)
		return false;
	if (t->len > 2 && t->s[0] == '0' && (t->s[1] == 'x' || t->s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (t->len > 2 && t->s[0] == '0' && t->s[1] == 'b') {
		base = 2;
		i = 2;
	} else if (t->len > 2 && t->s[0] == '0' && t->s[1] == 'o') {
		base = 8;
		i = 2;
	}
	for (; i < t->len; i++) {
		int c = (unsigned char)t->s[i], d;

		if (c == '_')
			continue;
		if (isdigit(c))
			d = c - '0';
		else if (base == 16 && isxdigit(c))
			d = tolower(c) - 'a' + 10;
		else
			break;	/* the suffix: usize, u8, ... */
		if ((unsigned)d >= base || x > (UINT64_MAX - (uint64_t)d) / base)
			return false;
		x = x * base + (uint64_t)d;
	}
	/* a suffix must look like one: [iu](8|16|32|64|128|size) */
	if (i < t->len && t->s[i] != 'u' && t->s[i] != 'i')
		return false;
	*v = x;
	return true;
}
