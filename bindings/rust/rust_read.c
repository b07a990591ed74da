/* rust_read.c - a bindgen-generated bindings.rs as a layout source (rust_source_ops).
 *
 * The items rust_parse.c finds become manifest records the way the header loader writes them:
 * anonymous members (`__bindgen_anon_N`) are transparent, a named member of an anonymous type
 * gets `struct <anonymous>` / `union <anonymous>` and its members follow as `name.member`, field
 * types go back to the UAPI spelling (`__u8[16]`, `struct kvm_msr_entry[]`, `void *`), bitfields
 * come from the getters' `get(OFFSET, WIDTH)` plus the storage unit's offset, sizes and offsets
 * from the layout assertions (members bindgen does not assert are placed by repr(C) rules).
 * Enumerator constants lose bindgen's `ENUM_` prefix; kvmgate's ioctl and unevaluated-macro
 * comments become ioctl and uneval records. A file that is not complete and well formed is an
 * error naming the line; the caller's manifest is only touched on success.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "file.h"
#include "rust.h"
#include "rust_fmt.h"
#include "rust_model.h"
#include "source.h"

struct rust_reader {
	struct rs_model *m;
	struct manifest *man;
	const char *path;
	char *err;
	size_t errlen;
	unsigned line;		/* of the item being converted, for errors */
};

static bool name__is_anon(const char *name)
{
	return strstr(name, "__bindgen_ty_") || !strncmp(name, "_bindgen_ty_", 12);
}

static bool name__has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Bad input at the item being converted: "PATH:LINE: what" (-EINVAL). */
#define rr__fail(r, fmt, ...) errbuf__fail_at((r)->err, (r)->errlen, (r)->path, (r)->line, fmt, \
					      ##__VA_ARGS__)

/* Wrappers that do not change what the C member is: ManuallyDrop<T>, __BindgenUnionField<T>. */
static const struct rty *rty__unwrap(const struct rty *t)
{
	while (t && t->kind == RTY_PATH && t->arg &&
	       (!strcmp(t->name, "ManuallyDrop") || !strcmp(t->name, "__BindgenUnionField")))
		t = t->arg;
	return t;
}

static int rr__agg_layout(struct rust_reader *r, struct rs_agg *a);

/* Rust size and alignment of a type (what repr(C) placement uses). */
static int rr__rlay(struct rust_reader *r, const struct rty *t, uint64_t *size, uint64_t *align, int depth)
{
	struct rs_agg *a;
	struct rs_alias *al;
	const struct rust_builtin *b;
	int ret;

	if (!t || depth > 64)
		return rr__fail(r, "%s", "type nesting too deep");
	switch (t->kind) {
	case RTY_UNIT:
		*size = 0;
		*align = 1;
		return 0;
	case RTY_PTR:
	case RTY_FN:
		*size = *align = 8;
		return 0;
	case RTY_ARRAY:
		ret = rr__rlay(r, t->arg, size, align, depth + 1);
		*size *= t->n;
		return ret;
	case RTY_PATH:
		break;
	}
	if (!strcmp(t->name, "Option")) {
		*size = *align = 8;
		return 0;
	}
	if (!strcmp(t->name, "PhantomData") || !strcmp(t->name, "__BindgenUnionField")) {
		*size = 0;
		*align = 1;
		return 0;
	}
	if (!strcmp(t->name, "__IncompleteArrayField")) {
		ret = rr__rlay(r, t->arg, size, align, depth + 1);
		*size = 0;
		return ret;
	}
	if (!strcmp(t->name, "ManuallyDrop"))
		return rr__rlay(r, t->arg, size, align, depth + 1);
	if (!strcmp(t->name, "__BindgenBitfieldUnit")) {
		ret = rr__rlay(r, t->arg, size, align, depth + 1);
		*align = 1;
		return ret;
	}
	b = rust_builtin__by_rust(t->name);
	if (b) {
		*size = b->size;
		*align = b->align;
		return 0;
	}
	a = rs_model__agg(r->m, t->name);
	if (a) {
		ret = rr__agg_layout(r, a);
		*size = a->csize;
		*align = a->calign;
		return ret;
	}
	al = rs_model__alias(r->m, t->name);
	if (al)
		return rr__rlay(r, al->type, size, align, depth + 1);
	return rr__fail(r, "unknown type %s", t->name);
}

/* C sizeof of a member's type: a __BindgenUnionField<T> member is a T. */
static int rr__csize(struct rust_reader *r, const struct rty *t, uint64_t *size)
{
	uint64_t align;

	return rr__rlay(r, rty__unwrap(t), size, &align, 0);
}

static bool agg__asserted(const struct rs_agg *a, const char *field, uint64_t *off)
{
	for (size_t i = 0; i < a->noff; i++)
		if (!strcmp(a->off[i].field, field)) {
			*off = a->off[i].offset;
			return true;
		}
	return false;
}

static uint64_t align__up(uint64_t v, uint64_t a)
{
	return a > 1 ? (v + a - 1) / a * a : v;
}

/* Offsets of every field of a: asserted ones as asserted, the rest by repr(C). */
static int rr__offsets(struct rust_reader *r, struct rs_agg *a, uint64_t *offs, uint64_t *end,
		       uint64_t *maxalign)
{
	uint64_t cursor = 0, top = 0, ma = 1;
	int ret;

	for (size_t i = 0; i < a->nf; i++) {
		uint64_t fs, fa, off;

		r->line = a->f[i].line;
		ret = rr__rlay(r, a->f[i].type, &fs, &fa, 0);
		if (ret)
			return ret;
		if (a->packed && fa > a->packed_n)
			fa = a->packed_n;
		off = a->is_union ? 0 : align__up(cursor, fa);
		agg__asserted(a, a->f[i].name, &off);
		offs[i] = off;
		cursor = off + fs;
		if (cursor > top)
			top = cursor;
		if (fa > ma)
			ma = fa;
	}
	*end = top;
	*maxalign = ma;
	return 0;
}

static int rr__agg_layout(struct rust_reader *r, struct rs_agg *a)
{
	uint64_t *offs, end, ma;
	unsigned saved = r->line;
	int ret;

	if (a->state == RS_LAYOUT_DONE)
		return 0;
	if (a->state == RS_LAYOUT_COMPUTING) {
		r->line = a->line;
		return rr__fail(r, "%s contains itself", a->name);
	}
	a->state = RS_LAYOUT_COMPUTING;
	if (a->opaque) {
		a->csize = 0;
		a->calign = 1;
		a->state = RS_LAYOUT_DONE;
		return 0;
	}
	offs = calloc(a->nf + 1, sizeof(*offs));
	if (!offs)
		return -ENOMEM;
	ret = rr__offsets(r, a, offs, &end, &ma);
	free(offs);
	if (ret)
		return ret;
	if (a->packed && ma > a->packed_n)
		ma = a->packed_n;
	if (a->repr_align > ma)
		ma = a->repr_align;
	a->calign = a->has_align ? a->align : ma;
	a->csize = a->has_size ? a->size : align__up(end, ma);
	a->state = RS_LAYOUT_DONE;
	r->line = saved;
	return 0;
}

/* UAPI spelling of a member type. */
static int rr__spell(struct rust_reader *r, const struct rty *t, struct sbuf *sb, int depth)
{
	struct rs_agg *a;
	struct rs_alias *al;
	const struct rust_builtin *b;

	t = rty__unwrap(t);
	if (!t || depth > 64)
		return rr__fail(r, "%s", "type nesting too deep");
	switch (t->kind) {
	case RTY_UNIT:
	case RTY_FN:
		sbuf__add(sb, "void");
		return 0;
	case RTY_PTR: {
		int ret = rr__spell(r, t->arg, sb, depth + 1);

		sbuf__add(sb, " *");
		return ret;
	}
	case RTY_ARRAY: {
		const struct rty *base = t;
		int ret;

		while (base->kind == RTY_ARRAY)
			base = base->arg;
		ret = rr__spell(r, base, sb, depth + 1);
		for (const struct rty *d = t; d->kind == RTY_ARRAY; d = d->arg)
			sbuf__addf(sb, "[%llu]", (unsigned long long)d->n);
		return ret;
	}
	case RTY_PATH:
		break;
	}
	if (!strcmp(t->name, "Option")) {
		sbuf__add(sb, "void *");	/* a function pointer, as the header loader spells it */
		return 0;
	}
	if (!strcmp(t->name, "__IncompleteArrayField")) {
		int ret = rr__spell(r, t->arg, sb, depth + 1);

		sbuf__add(sb, "[]");
		return ret;
	}
	b = rust_builtin__by_rust(t->name);
	if (b) {
		sbuf__add(sb, b->c);
		return 0;
	}
	a = rs_model__agg(r->m, t->name);
	if (a) {
		if (name__is_anon(a->name))
			sbuf__addf(sb, "%s <anonymous>", a->is_union ? "union" : "struct");
		else
			sbuf__addf(sb, "%s %s", a->is_union ? "union" : "struct", a->name);
		return 0;
	}
	al = rs_model__alias(r->m, t->name);
	if (al) {
		sbuf__addf(sb, al->is_enum && !name__is_anon(al->name) ? "enum %s" : "%s", al->name);
		return 0;
	}
	return rr__fail(r, "unknown type %s", t->name);
}

/* The C name of a member: bindgen appends '_' to Rust keywords. */
static const char *field__cname(const char *name, char *buf, size_t len)
{
	size_t n = strlen(name);
	char kw[64];

	if (n < 2 || n >= len || name[n - 1] != '_')
		return name;
	memcpy(buf, name, n - 1);
	buf[n - 1] = '\0';
	return rust__ident(buf, kw, sizeof(kw)) != buf ? buf : name;
}

/* The aggregate an anonymous member or member type refers to, if it is anonymous. */
static struct rs_agg *rr__anon_agg(struct rust_reader *r, const struct rty *t)
{
	struct rs_agg *a;

	t = rty__unwrap(t);
	if (!t || t->kind != RTY_PATH)
		return NULL;
	a = rs_model__agg(r->m, t->name);
	return a && name__is_anon(a->name) ? a : NULL;
}

/* A member's path ("PREFIX.NAME", its C name) and UAPI type spelling into path and ty. */
static int rr__member(struct rust_reader *r, const char *prefix, const char *rname,
		      const struct rty *type, struct sbuf *path, struct sbuf *ty)
{
	char cbuf[128];
	int ret;

	sbuf__reset(path);
	sbuf__reset(ty);
	if (prefix)
		sbuf__addf(path, "%s.", prefix);
	sbuf__add(path, field__cname(rname, cbuf, sizeof(cbuf)));
	ret = rr__spell(r, type, ty, 0);
	if (!ret && (path->oom || ty->oom))
		ret = -ENOMEM;
	return ret;
}

static int rr__members(struct rust_reader *r, const char *owner, struct rs_agg *a, uint64_t base,
		       const char *prefix, int depth)
{
	uint64_t *offs, end, ma;
	struct sbuf path = SBUF_INIT, ty = SBUF_INIT;
	int ret;

	if (depth > 32) {
		r->line = a->line;
		return rr__fail(r, "anonymous types nested too deeply in %s", a->name);
	}
	offs = calloc(a->nf + 1, sizeof(*offs));
	if (!offs)
		return -ENOMEM;
	ret = rr__offsets(r, a, offs, &end, &ma);
	for (size_t i = 0; !ret && i < a->nf; i++) {
		const struct rs_field *f = &a->f[i];
		uint64_t off = base + offs[i], csize;
		struct rs_agg *sub;

		r->line = f->line;
		if (name__has_prefix(f->name, "_bitfield_align_") ||
		    name__has_prefix(f->name, "__bindgen_padding_") ||
		    !strcmp(f->name, "bindgen_union_field"))
			continue;
		if (name__has_prefix(f->name, "_bitfield_")) {
			unsigned unit = (unsigned)strtoul(f->name + 10, NULL, 10);

			for (size_t b = 0; !ret && b < a->nbf; b++) {
				const struct rs_bitfield *bf = &a->bf[b];

				if (bf->unit != unit)
					continue;
				ret = rr__member(r, prefix, bf->name, bf->type, &path, &ty);
				if (!ret)
					ret = manifest__add_bitfield(r->man, owner, sbuf__str(&path),
								     sbuf__str(&ty),
								     off * 8 + bf->offset, bf->width);
			}
			continue;
		}
		if (name__has_prefix(f->name, "__bindgen_anon_")) {
			sub = rr__anon_agg(r, f->type);
			if (!sub) {
				ret = rr__fail(r, "%s: an anonymous member of a type that is not an "
					       "anonymous struct or union", f->name);
				break;
			}
			ret = rr__members(r, owner, sub, off, prefix, depth + 1);
			continue;
		}
		ret = rr__member(r, prefix, f->name, f->type, &path, &ty);
		if (!ret)
			ret = rr__csize(r, f->type, &csize);
		if (ret)
			break;
		{
			const struct rty *ft = rty__unwrap(f->type);
			bool flex = ft->kind == RTY_PATH && !strcmp(ft->name, "__IncompleteArrayField");
			char *p = strdup(sbuf__str(&path));

			if (!p) {
				ret = -ENOMEM;
				break;
			}
			ret = manifest__add_field(r->man, owner, p, sbuf__str(&ty), off, csize, flex);
			sub = rr__anon_agg(r, f->type);
			if (!ret && sub) {
				ret = rr__members(r, owner, sub, off, p, depth + 1);
			} else if (!ret && ft->kind == RTY_ARRAY && (sub = rr__anon_agg(r, ft->arg))) {
				char *elem = malloc(strlen(p) + 4);

				if (!elem) {
					ret = -ENOMEM;
				} else {
					sprintf(elem, "%s[0]", p);
					ret = rr__members(r, owner, sub, off, elem, depth + 1);
					free(elem);
				}
			}
			free(p);
		}
	}
	free(offs);
	sbuf__fini(&path);
	sbuf__fini(&ty);
	return ret;
}

static bool type__is_unsigned_prim(const char *t)
{
	const struct rust_builtin *b = rust_builtin__by_rust(t);

	return b && b->is_unsigned && t[0] == 'u';
}

/* kvmgate's banner names the arch and kernel: "... compatible): x86_64, kernel 6.1.192". */
static void banner__meta(const char *buf, size_t len, char *arch, size_t alen, char *kernel,
			 size_t klen)
{
	const char *nl = memchr(buf, '\n', len), *p, *end;

	if (!nl || !memmem(buf, (size_t)(nl - buf), "automatically generated by kvmgate", 34))
		return;
	p = memmem(buf, (size_t)(nl - buf), "): ", 3);
	end = memmem(buf, (size_t)(nl - buf), " */", 3);
	if (!p || !end || end < p)
		return;
	p += 3;
	{
		const char *comma = memmem(p, (size_t)(end - p), ", kernel ", 9);
		const char *aend = comma ? comma : end;

		if ((size_t)(aend - p) < alen) {
			snprintf(arch, alen, "%.*s", (int)(aend - p), p);
			if (!arch__find(arch))
				*arch = '\0';
		}
		if (comma && (size_t)(end - comma - 9) < klen)
			snprintf(kernel, klen, "%.*s", (int)(end - comma - 9), comma + 9);
	}
}

static int rr__convert(struct rust_reader *r, const struct source_opts *o, const char *barch,
		       const char *bkernel)
{
	struct rs_model *m = r->m;
	const char *host = arch__host();
	/* a file that names no arch is of the host's (x86_64 on a host of no known arch) */
	const char *arch = o && o->arch ? o->arch : *barch ? barch : host ? host : "x86_64";
	const char *kernel = o && o->kernel ? o->kernel : *bkernel ? bkernel : "unknown";
	char *source;
	int ret;

	if (asprintf(&source, "rust %s", r->path) < 0)
		return -ENOMEM;
	ret = manifest__add_std_meta(r->man, arch, kernel, source);
	free(source);

	/* an alias that constants are typed with is a C enum */
	for (size_t i = 0; i < m->ncst; i++) {
		struct rs_alias *al = rs_model__alias(m, m->cst[i].type);

		if (al)
			al->is_enum = true;
	}
	for (size_t i = 0; !ret && i < m->nagg; i++) {
		struct rs_agg *a = &m->agg[i];
		char *key;

		if (a->opaque || name__is_anon(a->name))
			continue;
		r->line = a->line;
		ret = rr__agg_layout(r, a);
		if (ret)
			break;
		if (asprintf(&key, "%s %s", a->is_union ? "union" : "struct", a->name) < 0)
			return -ENOMEM;
		ret = manifest__add_type(r->man, key, a->csize, a->calign);
		if (!ret)
			ret = rr__members(r, key, a, 0, NULL, 0);
		free(key);
	}
	for (size_t i = 0; !ret && i < m->nalias; i++) {
		struct rs_alias *al = &m->alias[i];
		uint64_t size, align;
		char *key;

		if (!al->is_enum || name__is_anon(al->name))
			continue;
		r->line = al->line;
		ret = rr__rlay(r, al->type, &size, &align, 0);
		if (ret)
			break;
		if (asprintf(&key, "enum %s", al->name) < 0)
			return -ENOMEM;
		ret = manifest__add_type(r->man, key, size, align);
		free(key);
	}
	for (size_t i = 0; !ret && i < m->ncst; i++) {
		const struct rs_const *c = &m->cst[i];
		const struct rs_alias *al = rs_model__alias(m, c->type);
		const char *name = c->name;

		r->line = c->line;
		if (c->is_ioctl) {
			if ((uint64_t)c->value > UINT32_MAX)
				return rr__fail(r, "ioctl %s: number does not fit in 32 bits", c->name);
			ret = manifest__add_ioctl(r->man, c->name, (uint32_t)c->value, c->ioctl_arg);
			continue;
		}
		if (al && !name__is_anon(al->name) && name__has_prefix(name, al->name) &&
		    name[strlen(al->name)] == '_')
			name += strlen(al->name) + 1;
		ret = manifest__add_const(r->man, name, c->value,
					  !al && type__is_unsigned_prim(c->type));
	}
	for (size_t i = 0; !ret && i < m->nunev; i++)
		ret = manifest__add_uneval(r->man, m->unev[i].name, m->unev[i].reason);
	return ret;
}

static int rust_source__load(struct manifest *out, const char *path, const struct source_opts *o,
		      char *err, size_t errlen)
{
	struct rs_model model = { 0 };
	struct manifest m;
	struct rlex lx;
	struct rust_reader r = { .m = &model, .man = &m, .path = path, .err = err, .errlen = errlen };
	char *buf = NULL, barch[16] = "", bkernel[128] = "";
	size_t len = 0;
	int ret;

	ret = file__read(path, &buf, &len, err, errlen);
	if (ret)
		return ret;
	manifest__init(&m);
	ret = rlex__run(&lx, path, buf, len, err, errlen);
	if (ret) {
		rlex__fini(&lx);
		goto out_buf;
	}
	model.by_kvmgate = len > 40 && memmem(buf, len < 200 ? len : 200,
					      RUST_BANNER_MAKER, sizeof(RUST_BANNER_MAKER) - 1);
	ret = rs_model__parse(&model, &lx, path, err, errlen);
	if (!ret && model.by_kvmgate && !model.saw_end) {
		ret = errbuf__fail_at(err, errlen, path, model.last_line,
				      "truncated: expected the closing line `%s`", RUST_END_MARK);
	}
	if (!ret && model.nagg == 0 && model.ncst == 0) {
		ret = errbuf__fail_at(err, errlen, path, model.last_line,
				      "no struct, union or constant: not a bindings file");
	}
	if (!ret) {
		banner__meta(buf, len, barch, sizeof(barch), bkernel, sizeof(bkernel));
		ret = rr__convert(&r, o, barch, bkernel);
	}
	if (!ret)
		ret = manifest__take(out, &m);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", path);
	rs_model__fini(&model);
	rlex__fini(&lx);
out_buf:
	manifest__fini(&m);
	free(buf);
	return ret;
}

static bool rust_source__probe(const char *path)
{
	size_t n = strlen(path);
	char head[512];
	size_t got;
	FILE *f;

	if (n > 3 && !strcmp(path + n - 3, ".rs"))
		return true;
	f = fopen(path, "rb");
	if (!f)
		return false;
	got = fread(head, 1, sizeof(head) - 1, f);
	fclose(f);
	head[got] = '\0';
	return strstr(head, "automatically generated by rust-bindgen") ||
	       strstr(head, RUST_BANNER_MAKER) ||
	       !strncmp(head, "#[repr(C)]", 10) || !strncmp(head, "pub const ", 10) ||
	       !strncmp(head, "pub type ", 9);
}

const struct source_ops rust_source_ops = {
	.name = "rust",
	.is_debuginfo = false,
	.probe = rust_source__probe,
	.load = rust_source__load,
};
