/* rust_parse.c - find the layout-bearing items of a bindings.rs in its tokens (rust_model.h).
 *
 * Items are recognised by their shape, not by line layout, so rustfmt'd, unformatted and older or
 * newer bindgen outputs all read: `pub struct|union NAME { fields }`, `pub type`, `pub const`,
 * bitfield getters inside `impl NAME { }`, and layout assertions in `fn bindgen_test_layout_*`
 * (assert_eq! with MaybeUninit/addr_of! or the older null-pointer offset) or in `const _: () =
 * { ... }` blocks (newer bindgen, offset_of!). Everything else is skipped by bracket matching.
 * A file that ends inside an item, or an item that is not well formed, is an error naming the line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "rust.h"
#include "rust_model.h"

/* What a layout assertion asserts. */
enum rfact_kind { RFACT_SIZE, RFACT_ALIGN, RFACT_OFFSET };

struct rfact {
	char *type, *field;	/* field NULL: size/align */
	enum rfact_kind what;
	uint64_t value;
	unsigned line;
};

struct rust_parser {
	const struct rtok *t;
	size_t i, n;
	const char *path;
	char *err;
	size_t errlen;
	struct rs_model *m;
	bool a_packed;
	uint64_t a_packed_n;
	uint64_t a_align;
	const struct rtok *a_repr;	/* #[repr(u32)] of a rustified enum: the integer type */
	struct rfact *facts;
	size_t nfacts, capfacts;
};

#define GROW(arr, n, cap) ARRAY_GROW(arr, n, cap, 16)

static const struct rtok *rp__cur(const struct rust_parser *p)
{
	return &p->t[p->i < p->n ? p->i : p->n - 1];
}

static const struct rtok *rp__peek(const struct rust_parser *p, size_t k)
{
	return &p->t[p->i + k < p->n ? p->i + k : p->n - 1];
}

static char *tok__dup(const struct rtok *t)
{
	return strndup(t->s, t->len);
}

static int rp__fail(struct rust_parser *p, const char *what)
{
	const struct rtok *t = rp__cur(p);

	if (t->kind == RT_EOF)
		return errbuf__fail_at(p->err, p->errlen, p->path, t->line,
				       "unexpected end of file, expected %s", what);
	return errbuf__fail_at(p->err, p->errlen, p->path, t->line, "expected %s, found '%.*s'",
			       what, (int)(t->len > 40 ? 40 : t->len), t->s);
}

static bool rp__accept(struct rust_parser *p, const char *s)
{
	if (rtok__is(rp__cur(p), s)) {
		p->i++;
		return true;
	}
	return false;
}

static int rp__expect(struct rust_parser *p, const char *s, const char *what)
{
	return rp__accept(p, s) ? 0 : rp__fail(p, what);
}

static bool tok__is_open(const struct rtok *t)
{
	return rtok__is(t, "{") || rtok__is(t, "(") || rtok__is(t, "[");
}

static bool tok__is_close(const struct rtok *t)
{
	return rtok__is(t, "}") || rtok__is(t, ")") || rtok__is(t, "]");
}

/* At an opening bracket: move past its matching closer. */
static int rp__skip_group(struct rust_parser *p)
{
	static const char close_of[128] = { ['{'] = '}', ['('] = ')', ['['] = ']' };
	char stack[256];
	unsigned lines[256];
	size_t depth = 0;

	do {
		const struct rtok *t = rp__cur(p);

		if (t->kind == RT_EOF) {
			return errbuf__fail_at(p->err, p->errlen, p->path, t->line,
					       "unexpected end of file: '%c' opened at line %u is not closed",
					       depth ? stack[depth - 1] == '}' ? '{' :
					       stack[depth - 1] == ')' ? '(' : '[' : '?',
					       depth ? lines[depth - 1] : t->line);
		}
		if (tok__is_open(t)) {
			if (depth == sizeof(stack)) {
				return errbuf__fail_at(p->err, p->errlen, p->path, t->line,
						       "brackets nested too deeply");
			}
			lines[depth] = t->line;
			stack[depth++] = close_of[(unsigned char)t->s[0]];
		} else if (tok__is_close(t)) {
			if (!depth || stack[depth - 1] != t->s[0]) {
				return errbuf__fail_at(p->err, p->errlen, p->path, t->line,
						       "unbalanced '%c'", t->s[0]);
			}
			depth--;
		}
		p->i++;
	} while (depth);
	return 0;
}

/* Skip one item: up to a ';' at depth 0, or through a braced body (and a ';' after it). */
static int rp__skip_item(struct rust_parser *p)
{
	int ret;

	for (;;) {
		const struct rtok *t = rp__cur(p);

		if (t->kind == RT_EOF)
			return rp__fail(p, "the end of the item (';' or '}')");
		if (rtok__is(t, ";")) {
			p->i++;
			return 0;
		}
		if (rtok__is(t, "{")) {
			ret = rp__skip_group(p);
			if (ret)
				return ret;
			rp__accept(p, ";");
			return 0;
		}
		if (tok__is_open(t)) {
			ret = rp__skip_group(p);
			if (ret)
				return ret;
			continue;
		}
		if (tok__is_close(t))
			return rp__fail(p, "an item");
		p->i++;
	}
}

/* Iterative: a type is a chain through ->arg, as long as the file made it. */
void rty__free(struct rty *t)
{
	while (t) {
		struct rty *arg = t->arg;

		free(t->name);
		free(t);
		t = arg;
	}
}

/* How deeply types may nest ([[u8; 1]; 1], *mut *mut T, A<B<T>>): bindgen's deepest is a few
 * levels; the bound is checked before each level recurses, so no input can exhaust the stack. */
#define RP_TYPE_DEPTH_MAX 64

static int rp__type_at(struct rust_parser *p, struct rty **out, unsigned depth);

static int rp__type_path(struct rust_parser *p, struct rty *t, unsigned depth)
{
	bool first = true;
	int ret;

	t->kind = RTY_PATH;
	if (rp__accept(p, "::"))
		first = true;
	for (;;) {
		const struct rtok *id = rp__cur(p);

		if (id->kind != RT_IDENT)
			return rp__fail(p, "a type name");
		if (first && (rtok__is(id, "std") || rtok__is(id, "core")))
			t->std = true;
		first = false;
		free(t->name);
		t->name = tok__dup(id);
		if (!t->name)
			return -ENOMEM;
		p->i++;
		if (rtok__is(rp__cur(p), "::") && rp__peek(p, 1)->kind == RT_IDENT) {
			/* `kvm_device_type::Type` (--constified-enum-module) is the module's type */
			if (!t->std && rtok__is(rp__peek(p, 1), "Type") &&
			    !rtok__is(rp__peek(p, 2), "::")) {
				p->i += 2;
				break;
			}
			p->i++;
			continue;
		}
		break;
	}
	rp__accept(p, "::");
	if (rp__accept(p, "<")) {
		ret = rp__type_at(p, &t->arg, depth + 1);
		if (ret)
			return ret;
		while (rp__accept(p, ",")) {
			struct rty *extra = NULL;

			if (rtok__is(rp__cur(p), ">"))
				break;
			ret = rp__type_at(p, &extra, depth + 1);
			rty__free(extra);
			if (ret)
				return ret;
		}
		return rp__expect(p, ">", "'>' closing the generic arguments");
	}
	return 0;
}

static int rp__type_at(struct rust_parser *p, struct rty **out, unsigned depth)
{
	struct rty *t;
	const struct rtok *c;
	int ret = 0;

	*out = NULL;
	if (depth >= RP_TYPE_DEPTH_MAX)
		return errbuf__fail_at(p->err, p->errlen, p->path, rp__cur(p)->line,
				       "a type nested more than %d levels deep", RP_TYPE_DEPTH_MAX);
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	*out = t;
	c = rp__cur(p);
	if (rtok__is(c, "(")) {
		t->kind = RTY_UNIT;
		return rp__skip_group(p);
	}
	if (rp__accept(p, "[")) {
		uint64_t n;

		t->kind = RTY_ARRAY;
		ret = rp__type_at(p, &t->arg, depth + 1);
		if (ret)
			return ret;
		ret = rp__expect(p, ";", "';' in an array type");
		if (ret)
			return ret;
		if (!rtok__int(rp__cur(p), &n))
			return rp__fail(p, "an array length");
		t->n = n;
		p->i++;
		return rp__expect(p, "]", "']' closing an array type");
	}
	if (rp__accept(p, "*")) {
		t->kind = RTY_PTR;
		if (!rp__accept(p, "mut") && !rp__accept(p, "const"))
			return rp__fail(p, "'mut' or 'const' after '*'");
		return rp__type_at(p, &t->arg, depth + 1);
	}
	if (rp__accept(p, "&")) {
		t->kind = RTY_PTR;
		if (rp__cur(p)->kind == RT_LIFETIME)
			p->i++;
		rp__accept(p, "mut");
		return rp__type_at(p, &t->arg, depth + 1);
	}
	if (rtok__is(c, "unsafe") || rtok__is(c, "extern") || rtok__is(c, "fn")) {
		t->kind = RTY_FN;
		rp__accept(p, "unsafe");
		if (rp__accept(p, "extern") && rp__cur(p)->kind == RT_STR)
			p->i++;
		ret = rp__expect(p, "fn", "'fn'");
		if (ret)
			return ret;
		if (!rtok__is(rp__cur(p), "("))
			return rp__fail(p, "'(' of a function type");
		ret = rp__skip_group(p);
		if (ret)
			return ret;
		if (rp__accept(p, "->"))
			ret = rp__type_at(p, &t->arg, depth + 1);
		return ret;
	}
	return rp__type_path(p, t, depth);
}

static int rp__type(struct rust_parser *p, struct rty **out)
{
	return rp__type_at(p, out, 0);
}

/* u8 ... i64, usize: the integer type of a `#[repr(u32)]` enum. */
static bool tok__is_int_type(const struct rtok *t)
{
	char buf[8];
	const struct rust_builtin *b;

	if (t->kind != RT_IDENT || t->len >= sizeof(buf) || (t->s[0] != 'u' && t->s[0] != 'i'))
		return false;
	snprintf(buf, sizeof(buf), "%.*s", (int)t->len, t->s);
	b = rust_builtin__by_rust(buf);
	return b != NULL;
}

/* #[...] / #![...]: note repr(packed), repr(align(N)) and an enum's repr(u32) for the next
 * item. */
static int rp__attr(struct rust_parser *p)
{
	size_t start;

	p->i++;	/* '#' */
	rp__accept(p, "!");
	if (!rtok__is(rp__cur(p), "["))
		return rp__fail(p, "'[' of an attribute");
	start = p->i;
	if (rp__skip_group(p))
		return -EINVAL;
	if (start + 1 < p->n && rtok__is(&p->t[start + 1], "repr")) {
		for (size_t k = start + 2; k < p->i; k++) {
			uint64_t v;

			if (rtok__is(&p->t[k], "packed")) {
				p->a_packed = true;
				p->a_packed_n = 1;
				if (k + 2 < p->i && rtok__is(&p->t[k + 1], "(") &&
				    rtok__int(&p->t[k + 2], &v) && v > 0)
					p->a_packed_n = v;
			}
			if (rtok__is(&p->t[k], "align") && k + 2 < p->i &&
			    rtok__int(&p->t[k + 2], &v))
				p->a_align = v;
			if (tok__is_int_type(&p->t[k]))
				p->a_repr = &p->t[k];
		}
	}
	return 0;
}

static int rp__fields(struct rust_parser *p, struct rs_agg *a)
{
	int ret;

	p->i++;	/* '{' */
	for (;;) {
		struct rs_field *f;
		const struct rtok *name;

		while (rtok__is(rp__cur(p), "#")) {
			ret = rp__attr(p);
			if (ret)
				return ret;
		}
		if (rp__accept(p, "}"))
			return 0;
		if (rp__accept(p, "pub") && rtok__is(rp__cur(p), "(")) {
			ret = rp__skip_group(p);
			if (ret)
				return ret;
		}
		name = rp__cur(p);
		if (name->kind != RT_IDENT)
			return rp__fail(p, "a field name");
		f = realloc(a->f, (a->nf + 1) * sizeof(*a->f));
		if (!f)
			return -ENOMEM;
		a->f = f;
		f = &a->f[a->nf];
		*f = (struct rs_field){ .line = name->line };
		f->name = tok__dup(name);
		if (!f->name)
			return -ENOMEM;
		a->nf++;
		p->i++;
		ret = rp__expect(p, ":", "':' after a field name");
		if (ret)
			return ret;
		ret = rp__type(p, &f->type);
		if (ret)
			return ret;
		if (!strcmp(f->name, "bindgen_union_field"))
			a->is_union = true;
		if (!strcmp(f->name, "_unused"))
			a->opaque = true;
		if (rp__accept(p, ","))
			continue;
		if (!rtok__is(rp__cur(p), "}"))
			return rp__fail(p, "',' or '}' after a field");
	}
}

static int rp__aggregate(struct rust_parser *p, bool is_union)
{
	struct rs_model *m = p->m;
	const struct rtok *name;
	struct rs_agg *a;

	p->i++;	/* struct / union */
	name = rp__cur(p);
	if (name->kind != RT_IDENT)
		return rp__fail(p, "a type name");
	p->i++;
	if (!rtok__is(rp__cur(p), "{"))
		return rp__skip_item(p);	/* generic helper, tuple or unit struct */
	if (GROW(m->agg, m->nagg, m->capagg))
		return -ENOMEM;
	a = &m->agg[m->nagg++];
	*a = (struct rs_agg){ .is_union = is_union, .packed = p->a_packed,
			      .packed_n = p->a_packed_n, .repr_align = p->a_align,
			      .line = name->line };
	a->name = tok__dup(name);
	if (!a->name)
		return -ENOMEM;
	return rp__fields(p, a);
}

static int rp__alias(struct rust_parser *p)
{
	struct rs_model *m = p->m;
	const struct rtok *name;
	struct rs_alias *al;
	int ret;

	p->i++;	/* type */
	name = rp__cur(p);
	if (name->kind != RT_IDENT)
		return rp__fail(p, "a type alias name");
	p->i++;
	if (rtok__is(rp__cur(p), "<"))
		return rp__skip_item(p);
	ret = rp__expect(p, "=", "'=' in a type alias");
	if (ret)
		return ret;
	if (GROW(m->alias, m->nalias, m->capalias))
		return -ENOMEM;
	al = &m->alias[m->nalias++];
	*al = (struct rs_alias){ .line = name->line };
	al->name = tok__dup(name);
	if (!al->name)
		return -ENOMEM;
	ret = rp__type(p, &al->type);
	if (ret)
		return ret;
	return rp__expect(p, ";", "';' after a type alias");
}

/* ` ioctl _IOR(0xae, 0x81, struct kvm_regs)` -> arg "struct kvm_regs"; `_IO(..)` -> "-". */
static char *ioctl__arg(const char *s, size_t len)
{
	const char *open = memchr(s, '(', len), *end = s + len, *c1, *c2, *close;

	if (!open)
		return NULL;
	while (end > open && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	if (end <= open || end[-1] != ')')
		return NULL;
	close = end - 1;
	c1 = memchr(open, ',', (size_t)(close - open));
	if (!c1)
		return NULL;
	c2 = memchr(c1 + 1, ',', (size_t)(close - c1 - 1));
	if (!c2)
		return strdup("-");
	c2++;
	while (c2 < close && *c2 == ' ')
		c2++;
	if (c2 >= close)
		return NULL;
	return strndup(c2, (size_t)(close - c2));
}

static int rp__const(struct rust_parser *p)
{
	struct rs_model *m = p->m;
	const struct rtok *name, *v;
	struct rty *ty = NULL;
	struct rs_const *c;
	uint64_t u;
	bool neg = false;
	unsigned semi_line;
	int ret;

	p->i++;	/* const */
	name = rp__cur(p);
	if (name->kind != RT_IDENT)
		return rp__fail(p, "a constant name");
	p->i++;
	ret = rp__expect(p, ":", "':' after a constant name");
	if (ret)
		return ret;
	ret = rp__type(p, &ty);
	if (ret) {
		rty__free(ty);
		return ret;
	}
	ret = rp__expect(p, "=", "'=' in a constant");
	if (ret) {
		rty__free(ty);
		return ret;
	}
	neg = rp__accept(p, "-");
	v = rp__cur(p);
	if (ty->kind != RTY_PATH || !rtok__int(v, &u) || !rtok__is(rp__peek(p, 1), ";")) {
		rty__free(ty);
		return rp__skip_item(p);	/* not an integer constant */
	}
	p->i += 2;
	semi_line = p->t[p->i - 1].line;
	if (GROW(m->cst, m->ncst, m->capcst)) {
		rty__free(ty);
		return -ENOMEM;
	}
	c = &m->cst[m->ncst++];
	*c = (struct rs_const){ .line = name->line, .type = ty->name };
	ty->name = NULL;
	rty__free(ty);
	c->name = tok__dup(name);
	if (!c->name || !c->type)
		return -ENOMEM;
	c->is_unsigned = c->type[0] == 'u' && !neg;
	c->value = (int64_t)(neg ? 0 - u : u);
	if (rp__cur(p)->kind == RT_COMMENT && rp__cur(p)->line == semi_line) {
		const struct rtok *cm = rp__cur(p);
		static const char mark[] = " ioctl ";

		if (cm->len > sizeof(mark) - 1 && !memcmp(cm->s, mark, sizeof(mark) - 1)) {
			c->is_ioctl = true;
			c->ioctl_arg = ioctl__arg(cm->s, cm->len);
			if (!c->ioctl_arg) {
				return errbuf__fail_at(p->err, p->errlen, p->path, cm->line,
						       "expected `// ioctl _IOx(type, nr[, argument type])` after %s",
						       c->name);
			}
		}
		p->i++;
	}
	return 0;
}

/* A type alias name (an enum's) of type `ty` (a builtin Rust integer name), at line. */
static int rp__enum_alias(struct rust_parser *p, const struct rtok *name, const char *ty)
{
	struct rs_model *m = p->m;
	struct rs_alias *al;

	if (GROW(m->alias, m->nalias, m->capalias))
		return -ENOMEM;
	al = &m->alias[m->nalias++];
	*al = (struct rs_alias){ .line = name->line };
	al->name = tok__dup(name);
	al->type = calloc(1, sizeof(*al->type));
	if (!al->name || !al->type)
		return -ENOMEM;
	al->type->kind = RTY_PATH;
	al->type->name = strdup(ty);
	return al->type->name ? 0 : -ENOMEM;
}

/* `#[repr(u32)] pub enum NAME { VARIANT = VALUE, ... }` (--rustified-enum): the enum NAME
 * of the repr's size, and each variant a constant of type NAME. */
static int rp__enum(struct rust_parser *p)
{
	struct rs_model *m = p->m;
	const struct rtok *name, *repr = p->a_repr;
	char rname[16];
	int ret;

	p->i++;	/* enum */
	name = rp__cur(p);
	if (name->kind != RT_IDENT)
		return rp__fail(p, "an enum name");
	p->i++;
	if (!rtok__is(rp__cur(p), "{"))
		return rp__fail(p, "'{' of an enum");
	p->i++;
	snprintf(rname, sizeof(rname), "%.*s", repr ? (int)repr->len : 3, repr ? repr->s : "u32");
	ret = rp__enum_alias(p, name, rname);
	while (!ret && !rp__accept(p, "}")) {
		const struct rtok *v, *val;
		struct rs_const *c;
		bool neg;
		uint64_t u;

		if (rtok__is(rp__cur(p), "#")) {
			ret = rp__attr(p);
			continue;
		}
		v = rp__cur(p);
		if (v->kind != RT_IDENT)
			return rp__fail(p, "an enum variant");
		p->i++;
		if (!rp__accept(p, "="))
			return rp__fail(p, "'= VALUE' of an enum variant (bindgen writes every value)");
		neg = rp__accept(p, "-");
		val = rp__cur(p);
		if (!rtok__int(val, &u))
			return rp__fail(p, "the integer value of an enum variant");
		p->i++;
		if (!rp__accept(p, ",") && !rtok__is(rp__cur(p), "}"))
			return rp__fail(p, "',' or '}' after an enum variant");
		if (GROW(m->cst, m->ncst, m->capcst))
			return -ENOMEM;
		c = &m->cst[m->ncst++];
		*c = (struct rs_const){ .line = v->line, .value = (int64_t)(neg ? 0 - u : u) };
		c->name = tok__dup(v);
		c->type = tok__dup(name);
		if (!c->name || !c->type)
			return -ENOMEM;
	}
	return ret;
}

/* `pub mod NAME { pub type Type = T; pub const V: Type = N; ... }` (--constified-enum-module):
 * the enum NAME of type T, its constants typed NAME. A module without `type Type` is
 * skipped whole. */
static int rp__mod(struct rust_parser *p)
{
	struct rs_model *m = p->m;
	const struct rtok *name;
	size_t body, alias0 = m->nalias, cst0 = m->ncst;
	bool is_enum = false;
	int ret = 0;

	p->i++;	/* mod */
	name = rp__cur(p);
	if (name->kind != RT_IDENT)
		return rp__fail(p, "a module name");
	p->i++;
	if (!rtok__is(rp__cur(p), "{"))
		return rp__skip_item(p);	/* `mod x;` */
	body = p->i;
	for (size_t k = body + 1; k + 2 < p->n && !rtok__is(&p->t[k], "}"); k++)
		if (rtok__is(&p->t[k], "type") && rtok__is(&p->t[k + 1], "Type"))
			is_enum = true;
	if (!is_enum)
		return rp__skip_item(p);
	p->i++;
	while (!ret && !rp__accept(p, "}")) {
		const struct rtok *t;

		if (rtok__is(rp__cur(p), "#")) {
			ret = rp__attr(p);
			continue;
		}
		rp__accept(p, "pub");
		t = rp__cur(p);
		if (t->kind == RT_EOF)
			return rp__fail(p, "'}' closing the module");
		if (rtok__is(t, "type"))
			ret = rp__alias(p);
		else if (rtok__is(t, "const"))
			ret = rp__const(p);
		else
			ret = rp__skip_item(p);
	}
	if (ret)
		return ret;
	/* `Type` is the module's name outside it */
	for (size_t i = alias0; i < m->nalias; i++)
		if (!strcmp(m->alias[i].name, "Type")) {
			free(m->alias[i].name);
			if (!(m->alias[i].name = tok__dup(name)))
				return -ENOMEM;
		}
	for (size_t i = cst0; i < m->ncst; i++)
		if (!strcmp(m->cst[i].type, "Type")) {
			free(m->cst[i].type);
			if (!(m->cst[i].type = tok__dup(name)))
				return -ENOMEM;
		}
	return 0;
}

static int rp__fact(struct rust_parser *p, const char *type, size_t tlen, const char *field, size_t flen,
		    enum rfact_kind what, uint64_t value, unsigned line)
{
	struct rfact *f;

	if (GROW(p->facts, p->nfacts, p->capfacts))
		return -ENOMEM;
	f = &p->facts[p->nfacts];
	*f = (struct rfact){ .what = what, .value = value, .line = line };
	f->type = strndup(type, tlen);
	f->field = field ? strndup(field, flen) : NULL;
	if (!f->type || (field && !f->field)) {
		free(f->type);
		free(f->field);
		return -ENOMEM;
	}
	p->nfacts++;
	return 0;
}

/* The usize literal that ends an assertion: `, 144usize` or `- 144usize`. */
static bool fact__value(const struct rtok *t, size_t k, size_t end, uint64_t *v)
{
	if (k + 1 < end && (rtok__is(&t[k], ",") || rtok__is(&t[k], "-")) &&
	    rtok__int(&t[k + 1], v))
		return true;
	return false;
}

/* Layout facts in the tokens [b, e) of a test function or a `const _` block. */
static int rp__scan_layout(struct rust_parser *p, size_t b, size_t e, const char *dflt, size_t dlen)
{
	const struct rtok *t = p->t;
	const char *cur = dflt;
	size_t clen = dlen;
	int ret;

	for (size_t k = b; k < e; k++) {
		uint64_t v;

		if (t[k].kind != RT_IDENT && !rtok__is(&t[k], ")"))
			continue;
		/* MaybeUninit::<T> / MaybeUninit<T> / null::<T>: the type of the next offsets */
		if ((rtok__is(&t[k], "MaybeUninit") || rtok__is(&t[k], "null")) && k + 3 < e) {
			size_t q = k + 1;

			if (rtok__is(&t[q], "::"))
				q++;
			if (rtok__is(&t[q], "<") && t[q + 1].kind == RT_IDENT && rtok__is(&t[q + 2], ">")) {
				cur = t[q + 1].s;
				clen = t[q + 1].len;
			} else if (rtok__is(&t[q], "<") && t[q + 1].kind == RT_IDENT &&
				   rtok__is(&t[q + 2], ",") && rtok__is(&t[q + 3], ">")) {
				cur = t[q + 1].s;	/* rustfmt's `<\n T,\n>` */
				clen = t[q + 1].len;
			}
			continue;
		}
		if ((rtok__is(&t[k], "size_of") || rtok__is(&t[k], "align_of")) && k + 7 < e &&
		    rtok__is(&t[k + 1], "::") && rtok__is(&t[k + 2], "<") &&
		    t[k + 3].kind == RT_IDENT) {
			size_t q = k + 4;

			if (rtok__is(&t[q], ","))
				q++;
			if (!rtok__is(&t[q], ">") || !rtok__is(&t[q + 1], "(") ||
			    !rtok__is(&t[q + 2], ")"))
				continue;
			if (!fact__value(t, q + 3, e, &v)) {
				p->i = q + 3;
				return rp__fail(p, "the asserted size or alignment (NNNusize)");
			}
			ret = rp__fact(p, t[k + 3].s, t[k + 3].len, NULL, 0,
				       rtok__is(&t[k], "size_of") ? RFACT_SIZE : RFACT_ALIGN, v,
				       t[k].line);
			if (ret)
				return ret;
			continue;
		}
		if (rtok__is(&t[k], "offset_of") && k + 9 < e && rtok__is(&t[k + 1], "!") &&
		    rtok__is(&t[k + 2], "(") && t[k + 3].kind == RT_IDENT &&
		    rtok__is(&t[k + 4], ",") && t[k + 5].kind == RT_IDENT &&
		    rtok__is(&t[k + 6], ")")) {
			if (!fact__value(t, k + 7, e, &v)) {
				p->i = k + 7;
				return rp__fail(p, "the asserted offset (NNNusize)");
			}
			ret = rp__fact(p, t[k + 3].s, t[k + 3].len, t[k + 5].s, t[k + 5].len, RFACT_OFFSET, v,
				       t[k].line);
			if (ret)
				return ret;
			continue;
		}
		/* `(*ptr).FIELD` / `(*(::std::ptr::null::<T>())).FIELD`, then the first NNNusize */
		if (rtok__is(&t[k], ")") && k + 2 < e && rtok__is(&t[k + 1], ".") &&
		    t[k + 2].kind == RT_IDENT && !rtok__is(&t[k + 3], "(") && cur) {
			size_t q;

			for (q = k + 3; q < e; q++)
				if (t[q].kind == RT_INT && t[q].len > 5 &&
				    !memcmp(t[q].s + t[q].len - 5, "usize", 5))
					break;
			if (q >= e || !rtok__int(&t[q], &v)) {
				p->i = k + 2;
				return rp__fail(p, "the asserted offset (NNNusize)");
			}
			ret = rp__fact(p, cur, clen, t[k + 2].s, t[k + 2].len, RFACT_OFFSET, v,
				       t[k].line);
			if (ret)
				return ret;
			k = q;
		}
	}
	return 0;
}

static int rp__fn(struct rust_parser *p)
{
	static const char prefix[] = "bindgen_test_layout_";
	const struct rtok *name;
	size_t b;
	int ret;

	p->i++;	/* fn */
	name = rp__cur(p);
	if (name->kind != RT_IDENT)
		return rp__fail(p, "a function name");
	p->i++;
	while (!rtok__is(rp__cur(p), "{") && !rtok__is(rp__cur(p), ";")) {
		if (rp__cur(p)->kind == RT_EOF)
			return rp__fail(p, "a function body");
		if (tok__is_open(rp__cur(p))) {
			ret = rp__skip_group(p);
			if (ret)
				return ret;
		} else {
			p->i++;
		}
	}
	b = p->i;
	ret = rp__skip_item(p);
	if (ret)
		return ret;
	if (name->len > sizeof(prefix) - 1 && !memcmp(name->s, prefix, sizeof(prefix) - 1))
		return rp__scan_layout(p, b, p->i, name->s + sizeof(prefix) - 1,
				       name->len - (sizeof(prefix) - 1));
	return 0;
}

/* `impl NAME { ... }`: bitfield getters `fn F(&self) -> T { ..._bitfield_N.get(O, W).. }`. */
static int rp__impl(struct rust_parser *p)
{
	size_t k, body, end;
	const struct rtok *target = NULL;
	struct rs_agg *a;
	int ret;

	p->i++;	/* impl */
	for (k = p->i; k < p->n && !rtok__is(&p->t[k], "{") && !rtok__is(&p->t[k], ";"); k++) {
		if (rtok__is(&p->t[k], "for"))
			return rp__skip_item(p);	/* a trait impl */
		if (!target && p->t[k].kind == RT_IDENT && !rtok__is(&p->t[k], "where"))
			target = &p->t[k];
	}
	ret = rp__skip_item(p);
	if (ret)
		return ret;
	end = p->i;
	if (!target)
		return 0;
	for (body = k; body < end && !rtok__is(&p->t[body], "{"); body++)
		;
	a = NULL;
	for (size_t i = 0; i < p->m->nagg; i++)
		if (strlen(p->m->agg[i].name) == target->len &&
		    !memcmp(p->m->agg[i].name, target->s, target->len))
			a = &p->m->agg[i];
	if (!a)
		return 0;
	for (k = body; k + 8 < end; k++) {
		const struct rtok *t = p->t;
		struct rs_bitfield *bf;
		struct rust_parser sub;
		size_t q;
		uint64_t off, width, unit;

		if (!rtok__is(&t[k], "fn") || t[k + 1].kind != RT_IDENT || !rtok__is(&t[k + 2], "(") ||
		    !rtok__is(&t[k + 3], "&") || !rtok__is(&t[k + 4], "self") ||
		    !rtok__is(&t[k + 5], ")") || !rtok__is(&t[k + 6], "->"))
			continue;
		sub = *p;
		sub.i = k + 7;
		bf = realloc(a->bf, (a->nbf + 1) * sizeof(*a->bf));
		if (!bf)
			return -ENOMEM;
		a->bf = bf;
		bf = &a->bf[a->nbf];
		*bf = (struct rs_bitfield){ 0 };
		ret = rp__type(&sub, &bf->type);
		if (ret) {
			rty__free(bf->type);
			return ret;
		}
		for (q = sub.i; q + 7 < end && !rtok__is(&t[q], "fn"); q++) {
			if (t[q].kind == RT_IDENT && t[q].len > 10 &&
			    !memcmp(t[q].s, "_bitfield_", 10) && rtok__is(&t[q + 1], ".") &&
			    rtok__is(&t[q + 2], "get") && rtok__is(&t[q + 3], "(") &&
			    rtok__int(&t[q + 4], &off) && rtok__is(&t[q + 5], ",") &&
			    rtok__int(&t[q + 6], &width) && rtok__is(&t[q + 7], ")"))
				break;
		}
		if (q + 7 >= end || rtok__is(&t[q], "fn")) {
			rty__free(bf->type);	/* an ordinary method */
			continue;
		}
		{
			struct rtok ut = t[q];

			ut.s += 10;
			ut.len -= 10;
			ut.kind = RT_INT;
			if (!rtok__int(&ut, &unit)) {
				rty__free(bf->type);
				continue;
			}
		}
		bf->name = tok__dup(&t[k + 1]);
		if (!bf->name) {
			rty__free(bf->type);
			return -ENOMEM;
		}
		bf->unit = (unsigned)unit;
		bf->offset = (unsigned)off;
		bf->width = (unsigned)width;
		a->nbf++;
		k = q;
	}
	return 0;
}

/* Top-level line comments: kvmgate's unevaluated macros and end marker. */
static int rp__comment(struct rust_parser *p)
{
	const struct rtok *c = rp__cur(p);
	static const char mark[] = RUST_UNEVAL_MARK;
	const char *hit, *end = c->s + c->len;
	struct rs_model *m = p->m;
	struct rs_uneval *u;
	size_t nlen;

	p->i++;
	if (c->len == strlen(RUST_END_MARK) - 2 && !memcmp(c->s, RUST_END_MARK + 2, c->len)) {
		m->saw_end = true;
		return 0;
	}
	if (c->len < 2 || c->s[0] != ' ')
		return 0;
	hit = memmem(c->s, c->len, mark, sizeof(mark) - 1);
	if (!hit)
		return 0;
	for (const char *q = c->s + 1; q < hit; q++)
		if (!(*q == '_' || (*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') ||
		      (*q >= '0' && *q <= '9')))
			return 0;
	nlen = (size_t)(hit - c->s - 1);
	if (!nlen)
		return 0;
	if (GROW(m->unev, m->nunev, m->capunev))
		return -ENOMEM;
	u = &m->unev[m->nunev];
	u->name = strndup(c->s + 1, nlen);
	u->reason = strndup(hit + sizeof(mark) - 1, (size_t)(end - hit - (sizeof(mark) - 1)));
	if (!u->name || !u->reason) {
		free(u->name);
		free(u->reason);
		return -ENOMEM;
	}
	m->nunev++;
	return 0;
}

static int rp__facts_attach(struct rust_parser *p)
{
	for (size_t i = 0; i < p->nfacts; i++) {
		struct rfact *f = &p->facts[i];
		struct rs_agg *a = rs_model__agg(p->m, f->type);

		if (!a) {
			return errbuf__fail_at(p->err, p->errlen, p->path, f->line,
					       "layout assertion for %s, which the file does not define",
					       f->type);
		}
		if (f->what == RFACT_SIZE) {
			a->has_size = true;
			a->size = f->value;
		} else if (f->what == RFACT_ALIGN) {
			a->has_align = true;
			a->align = f->value;
		} else {
			struct rs_offset *o = realloc(a->off, (a->noff + 1) * sizeof(*a->off));

			if (!o)
				return -ENOMEM;
			a->off = o;
			a->off[a->noff].field = f->field;
			a->off[a->noff].offset = f->value;
			f->field = NULL;
			a->noff++;
		}
	}
	return 0;
}

int rs_model__parse(struct rs_model *m, const struct rlex *lx, const char *path, char *err,
		    size_t errlen)
{
	struct rust_parser p = { .t = lx->t, .n = lx->n, .path = path, .err = err, .errlen = errlen,
			.m = m };
	int ret = 0;

	while (!ret && rp__cur(&p)->kind != RT_EOF) {
		const struct rtok *t = rp__cur(&p);

		if (t->kind == RT_COMMENT) {
			ret = rp__comment(&p);
			continue;
		}
		if (rtok__is(t, "#")) {
			ret = rp__attr(&p);
			continue;
		}
		if (rp__accept(&p, "pub") && rtok__is(rp__cur(&p), "(")) {
			ret = rp__skip_group(&p);
			if (ret)
				break;
		}
		t = rp__cur(&p);
		if (rtok__is(t, "struct"))
			ret = rp__aggregate(&p, false);
		else if (rtok__is(t, "union"))
			ret = rp__aggregate(&p, true);
		else if (rtok__is(t, "type"))
			ret = rp__alias(&p);
		else if (rtok__is(t, "const") && rtok__is(rp__peek(&p, 1), "_")) {
			size_t b = p.i;

			ret = rp__skip_item(&p);
			if (!ret)
				ret = rp__scan_layout(&p, b, p.i, NULL, 0);
		} else if (rtok__is(t, "const"))
			ret = rp__const(&p);
		else if (rtok__is(t, "fn"))
			ret = rp__fn(&p);
		else if (rtok__is(t, "impl"))
			ret = rp__impl(&p);
		else if (rtok__is(t, "enum"))
			ret = rp__enum(&p);
		else if (rtok__is(t, "mod"))
			ret = rp__mod(&p);
		else if (t->kind == RT_IDENT)
			ret = rp__skip_item(&p);	/* extern, use, static, ... */
		else
			ret = rp__fail(&p, "an item");
		p.a_packed = false;
		p.a_packed_n = 0;
		p.a_align = 0;
		p.a_repr = NULL;
	}
	m->last_line = rp__cur(&p)->line;
	if (!ret)
		ret = rp__facts_attach(&p);
	for (size_t i = 0; i < p.nfacts; i++) {
		free(p.facts[i].type);
		free(p.facts[i].field);
	}
	free(p.facts);
	return ret;
}

struct rs_agg *rs_model__agg(const struct rs_model *m, const char *name)
{
	for (size_t i = 0; i < m->nagg; i++)
		if (!strcmp(m->agg[i].name, name))
			return &m->agg[i];
	return NULL;
}

struct rs_alias *rs_model__alias(const struct rs_model *m, const char *name)
{
	for (size_t i = 0; i < m->nalias; i++)
		if (!strcmp(m->alias[i].name, name))
			return &m->alias[i];
	return NULL;
}

void rs_model__fini(struct rs_model *m)
{
	for (size_t i = 0; i < m->nagg; i++) {
		struct rs_agg *a = &m->agg[i];

		for (size_t j = 0; j < a->nf; j++) {
			free(a->f[j].name);
			rty__free(a->f[j].type);
		}
		for (size_t j = 0; j < a->nbf; j++) {
			free(a->bf[j].name);
			rty__free(a->bf[j].type);
		}
		for (size_t j = 0; j < a->noff; j++)
			free(a->off[j].field);
		free(a->f);
		free(a->bf);
		free(a->off);
		free(a->name);
	}
	for (size_t i = 0; i < m->nalias; i++) {
		free(m->alias[i].name);
		rty__free(m->alias[i].type);
	}
	for (size_t i = 0; i < m->ncst; i++) {
		free(m->cst[i].name);
		free(m->cst[i].type);
		free(m->cst[i].ioctl_arg);
	}
	for (size_t i = 0; i < m->nunev; i++) {
		free(m->unev[i].name);
		free(m->unev[i].reason);
	}
	free(m->agg);
	free(m->alias);
	free(m->cst);
	free(m->unev);
	*m = (struct rs_model){ 0 };
}
