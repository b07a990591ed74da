/* rust_write.c - render a cmodel as the bindings.rs that bindgen 0.60.1 produces with kvm-bindings'
 * flags (--impl-debug --with-derive-default --with-derive-partialeq --impl-partialeq), plus what
 * bindgen drops: every ioctl number and every macro it cannot evaluate (as a comment).
 *
 * Item order, names, field types, derives, impls and layout tests follow bindgen; whitespace
 * follows rustfmt's defaults for the shapes bindgen emits (see rust_fmt.c), so that the output
 * diffs cleanly against a bindgen-generated file. The same model always gives the same bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "rust.h"
#include "array.h"
#include "hset.h"
#include "rust_fmt.h"

struct rust_writer {
	FILE *out;
	const struct cmodel *cm;
	struct hset emitted;		/* types already written */
	struct hset listed;		/* types of cm->types */
	struct hset late_seen;
	struct rust_names names;	/* bindgen's names of the types */
	const struct ctype **late;	/* builtin typedefs used but never declared (__uint128_t) */
	size_t nlate, caplate;
	bool need_bfunit, need_incomplete, need_unionfield;
	int error;	/* first failure (-errno): the rest is skipped */
};

/* Unnamed members (anonymous aggregates, padding bitfields) may come with an empty name. */
static bool member__named(const struct cmember *m)
{
	return m->name && m->name[0];
}

static bool ctype__is_aggregate(const struct ctype *t)
{
	return t && (t->kind == CT_STRUCT || t->kind == CT_UNION);
}

/* ---- names and type spellings ---- */

static const char *const rust_keywords[] = {
	"abstract", "alignof", "as", "async", "await", "become", "box", "break", "const",
	"continue", "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for",
	"if", "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "offsetof",
	"override", "priv", "proc", "pub", "pure", "ref", "return", "Self", "self", "sizeof",
	"static", "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized",
	"use", "virtual", "where", "while", "yield",
};

const char *rust__ident(const char *name, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(rust_keywords) / sizeof(rust_keywords[0]); i++)
		if (!strcmp(name, rust_keywords[i])) {
			snprintf(buf, len, "%s_", name);
			return buf;
		}
	return name;
}

static const char *rust__builtin(const struct ctype *t)
{
	static const char *const by_size[2][9] = {
		{ NULL, "::std::os::raw::c_uchar", "::std::os::raw::c_ushort", NULL,
		  "::std::os::raw::c_uint", NULL, NULL, NULL, "::std::os::raw::c_ulonglong" },
		{ NULL, "::std::os::raw::c_schar", "::std::os::raw::c_short", NULL,
		  "::std::os::raw::c_int", NULL, NULL, NULL, "::std::os::raw::c_longlong" },
	};

	const char *r = t->name ? rust_builtin__of_c(t->name) : NULL;

	if (r)
		return r;
	if (t->kind == CT_FLOAT)
		return t->size == 4 ? "f32" : "f64";
	if (t->size == 16)
		return t->is_signed ? "i128" : "u128";
	if (t->size <= 8 && by_size[t->is_signed][t->size])
		return by_size[t->is_signed][t->size];
	return "::std::os::raw::c_int";
}

/* The primitive a bitfield accessor casts through (`as u8`). */
static const char *rust__prim(const struct ctype *t)
{
	t = ctype__strip(t);
	if (t && t->kind == CT_ENUM && t->target)
		t = ctype__strip(t->target);
	if (!t)
		return "u32";
	if (t->name && (!strcmp(t->name, "_Bool") || !strcmp(t->name, "bool")))
		return "u8";
	/* bindgen transmutes through the unsigned integer of the type's size, signed or not */
	switch (t->size) {
	case 1: return "u8";
	case 2: return "u16";
	case 8: return "u64";
	case 16: return "u128";
	default: return "u32";
	}
}

static const char *rust__name(struct rust_writer *w, const struct ctype *t)
{
	return rust_names__of(&w->names, t);
}

/* Append the Rust spelling of t to sb. in_struct: a zero-length or flexible array is bindgen's
 * __IncompleteArrayField (in a union it stays [T; 0usize]). */
static void rw__spell(struct rust_writer *w, struct sbuf *sb, const struct ctype *t, bool in_struct);

static void rw__note_late(struct rust_writer *w, const struct ctype *t)
{
	int r;

	if (hset__has(&w->listed, t))
		return;
	r = hset__add(&w->late_seen, t);
	if (r < 0) {
		w->error = r;
		return;
	}
	if (r == 0)
		return;
	if (ARRAY_GROW(w->late, w->nlate, w->caplate, 8)) {
		w->error = -ENOMEM;
		return;
	}
	w->late[w->nlate++] = t;
}

static void rw__spell_fn(struct rust_writer *w, struct sbuf *sb, const struct ctype *fn)
{
	sbuf__add(sb, "::std::option::Option<unsafe extern \"C\" fn(");
	for (size_t i = 0; i < fn->nmembers; i++) {
		sbuf__addf(sb, "%sarg%zu: ", i ? ", " : "", i + 1);
		rw__spell(w, sb, fn->members[i].type, false);
	}
	sbuf__add(sb, ")");
	if (fn->target && ctype__strip(fn->target) && ctype__strip(fn->target)->kind != CT_VOID) {
		sbuf__add(sb, " -> ");
		rw__spell(w, sb, fn->target, false);
	}
	sbuf__add(sb, ">");
}

static void rw__spell(struct rust_writer *w, struct sbuf *sb, const struct ctype *t, bool in_struct)
{
	if (!t) {
		sbuf__add(sb, "::std::os::raw::c_void");
		return;
	}
	switch (t->kind) {
	case CT_VOID:
		sbuf__add(sb, "::std::os::raw::c_void");
		return;
	case CT_INT:
	case CT_FLOAT:
		sbuf__add(sb, rust__builtin(t));
		return;
	case CT_TYPEDEF:
		if (t->target && ctype__strip(t->target) && ctype__strip(t->target)->kind <= CT_FLOAT)
			rw__note_late(w, t);
		sbuf__add(sb, rust__name(w, t));
		return;
	case CT_STRUCT:
	case CT_UNION:
	case CT_ENUM:
		sbuf__add(sb, rust__name(w, t));
		return;
	case CT_ARRAY:
		if (t->nelems <= 0 && in_struct) {
			w->need_incomplete = true;
			sbuf__add(sb, "__IncompleteArrayField<");
			rw__spell(w, sb, t->target, false);
			sbuf__add(sb, ">");
			return;
		}
		sbuf__add(sb, "[");
		rw__spell(w, sb, t->target, false);
		sbuf__addf(sb, "; %" PRId64 "usize]", t->nelems > 0 ? t->nelems : 0);
		return;
	case CT_POINTER:
		if (t->target && t->target->kind == CT_FUNCTION) {
			rw__spell_fn(w, sb, t->target);
			return;
		}
		sbuf__add(sb, "*mut ");
		rw__spell(w, sb, t->target, false);
		return;
	case CT_FUNCTION:
		rw__spell_fn(w, sb, t);
		return;
	}
}

/* ---- items ---- */

static void rw__derive_line(struct rust_writer *w, unsigned d)
{
	struct sbuf sb = SBUF_INIT;
	const char *sep = "";

	if (!d)
		return;
	sbuf__add(&sb, "#[derive(");
	if (d & DV_DEBUG) {
		sbuf__add(&sb, "Debug");
		sep = ", ";
	}
	if (d & DV_DEFAULT) {
		sbuf__addf(&sb, "%sDefault", sep);
		sep = ", ";
	}
	if (d & DV_COPY) {
		sbuf__addf(&sb, "%sCopy, Clone", sep);
		sep = ", ";
	}
	if (d & DV_PARTIALEQ)
		sbuf__addf(&sb, "%sPartialEq", sep);
	sbuf__add(&sb, ")]\n");
	fmt__put(w->out, &sb);
}

/* One field of an aggregate, as rendered: a data member, or a bitfield unit. */
struct rfield {
	const struct cmember *m;	/* NULL for a bitfield unit */
	const struct rust_bfunit *unit;
	size_t unit_nr;			/* 1-based */
	char name[128];			/* Rust field name */
	char cname[128];		/* name for test_field_NAME (C name) */
	bool anon;
};

struct rlayout {
	struct rfield *f;
	size_t n;
	struct rust_bfunit *units;
	size_t nunits;
};

static void rlayout__fini(struct rlayout *l)
{
	free(l->f);
	rust__bitfield_units_free(l->units, l->nunits);
	*l = (struct rlayout){ 0 };
}

static int rlayout__build(const struct ctype *t, struct rlayout *l)
{
	size_t anon = 0, i = 0;
	int err;

	*l = (struct rlayout){ 0 };
	l->f = calloc(t->nmembers + 1, sizeof(*l->f));
	if (!l->f)
		return -ENOMEM;
	while (i < t->nmembers) {
		const struct cmember *m = &t->members[i];
		struct rfield *f = &l->f[l->n];

		if (m->is_bitfield) {
			size_t end;

			err = rust__bitfield_units(t->members, t->nmembers, i, &end, &l->units,
						   &l->nunits);
			if (err)
				return err;
			f->unit_nr = l->nunits;
			snprintf(f->name, sizeof(f->name), "_bitfield_%zu", f->unit_nr);
			l->n++;
			i = end;
			continue;
		}
		f->m = m;
		if (!member__named(m)) {
			f->anon = true;
			snprintf(f->name, sizeof(f->name), "__bindgen_anon_%zu", ++anon);
			snprintf(f->cname, sizeof(f->cname), "%s", f->name);
		} else {
			char kw[128];

			snprintf(f->name, sizeof(f->name), "%s",
				 rust__ident(m->name, kw, sizeof(kw)));
			snprintf(f->cname, sizeof(f->cname), "%s", m->name);
		}
		l->n++;
		i++;
	}
	for (i = 0; i < l->n; i++)
		if (l->f[i].unit_nr)
			l->f[i].unit = &l->units[l->f[i].unit_nr - 1];
	return 0;
}

static void rw__aggregate(struct rust_writer *w, const struct ctype *t);
static void rw__enum(struct rust_writer *w, const struct ctype *t);

/* Rust only guarantees alignments up to 8 for the field types bindgen uses: when a member with a
 * larger alignment (a __uint128_t) follows a gap, bindgen spells the gap out. */
#define RUST_MAX_GUARANTEED_ALIGN 8

static uint64_t ctype__align(const struct ctype *t)
{
	t = ctype__strip(t);
	while (t && t->kind == CT_ARRAY && !t->align)
		t = ctype__strip(t->target);
	return t && t->align ? t->align : 1;
}

static void rw__padding(struct rust_writer *w, const struct cmember *m, uint64_t *end, size_t *npad)
{
	uint64_t off = m->offset_bits / 8, align = ctype__align(m->type), pad, a;
	static const char *const blob[] = { NULL, "u8", "u16", NULL, "u32", NULL, NULL, NULL, "u64" };

	if (off > *end && align > RUST_MAX_GUARANTEED_ALIGN) {
		pad = off - *end;
		for (a = RUST_MAX_GUARANTEED_ALIGN; a > 1 && pad % a; a /= 2)
			;
		if (pad / a == 1)
			fprintf(w->out, "    pub __bindgen_padding_%zu: %s,\n", (*npad)++, blob[a]);
		else
			fprintf(w->out, "    pub __bindgen_padding_%zu: [%s; %" PRIu64 "usize],\n",
				(*npad)++, blob[a], pad / a);
	}
	*end = off + (m->type ? m->type->size : 0);
}

static void rw__doc(struct rust_writer *w, unsigned indent, const char *raw)
{
	if (raw && *raw)
		fmt__doc(w->out, indent, raw);
}

/* bindgen asks for the C alignment explicitly when it is beyond what Rust guarantees, or when
 * only bitfields give it (the storage units are byte arrays). */
static bool agg__needs_repr_align(const struct ctype *t)
{
	uint64_t max = 1;
	bool bitfields = false;

	if (t->align > RUST_MAX_GUARANTEED_ALIGN)
		return true;
	for (size_t i = 0; i < t->nmembers; i++) {
		if (t->members[i].is_bitfield) {
			bitfields = true;
			continue;
		}
		if (ctype__align(t->members[i].type) > max)
			max = ctype__align(t->members[i].type);
	}
	return bitfields && t->kind == CT_STRUCT && t->align > max;
}

static void rw__struct_body(struct rust_writer *w, const struct ctype *t, const struct rlayout *l,
			    bool bindgen_union)
{
	const char *name = rust__name(w, t);
	struct sbuf sb = SBUF_INIT;
	uint64_t end = 0;
	size_t npad = 0;

	if (l->n == 0 && !bindgen_union) {
		fprintf(w->out, "pub %s %s {}\n", t->kind == CT_UNION ? "union" : "struct", name);
		return;
	}
	fprintf(w->out, "pub %s %s {\n", t->kind == CT_UNION && !bindgen_union ? "union" : "struct",
		name);
	for (size_t i = 0; i < l->n; i++) {
		const struct rfield *f = &l->f[i];

		sbuf__reset(&sb);
		if (t->kind == CT_STRUCT && f->m)
			rw__padding(w, f->m, &end, &npad);
		if (f->unit) {
			static const char *const align_ty[] = { "u8", "u8", "u16", "u32", "u32",
								"u64", "u64", "u64", "u64" };
			unsigned a = f->unit->align <= 8 ? f->unit->align : 8;

			w->need_bfunit = true;
			fprintf(w->out, "    pub _bitfield_align_%zu: [%s; 0],\n", f->unit_nr,
				align_ty[a]);
			fprintf(w->out, "    pub _bitfield_%zu: __BindgenBitfieldUnit<[u8; %uusize]>,\n",
				f->unit_nr, f->unit->size);
			end = f->unit->byte_offset + f->unit->size;
			continue;
		}
		rw__doc(w, 4, cmember__doc(t, (size_t)(f->m - t->members)));
		if (bindgen_union) {
			w->need_unionfield = true;
			sbuf__add(&sb, "__BindgenUnionField<");
			rw__spell(w, &sb, f->m->type, false);
			sbuf__add(&sb, ">");
		} else {
			rw__spell(w, &sb, f->m->type, t->kind == CT_STRUCT);
		}
		fmt__field(w->out, f->name, sbuf__str(&sb));
	}
	if (bindgen_union) {
		uint64_t a = t->align ? t->align : 1;
		const char *ty = a >= 8 ? "u64" : a >= 4 ? "u32" : a >= 2 ? "u16" : "u8";

		if (a > 8)
			a = 8;
		fprintf(w->out, "    pub bindgen_union_field: [%s; %" PRIu64 "usize],\n", ty,
			t->size / a);
	}
	fputs("}\n", w->out);
	sbuf__fini(&sb);
}

static void rw__layout_test(struct rust_writer *w, const struct ctype *t, const struct rlayout *l)
{
	const char *name = rust__name(w, t);

	fprintf(w->out, "#[test]\nfn bindgen_test_layout_%s() {\n", name);
	fmt__assert_size(w->out, "size_of", "Size of: ", name, t->size);
	fmt__assert_size(w->out, "align_of", "Alignment of ", name, t->align ? t->align : 1);
	for (size_t i = 0; i < l->n; i++) {
		const struct rfield *f = &l->f[i];

		if (f->unit || f->anon)
			continue;
		fmt__assert_offset(w->out, name, f->name, f->cname, f->m->offset_bits / 8);
	}
	fputs("}\n", w->out);
}

static void rw__bitfield_impl(struct rust_writer *w, const struct ctype *t, const struct rlayout *l)
{
	struct sbuf ty = SBUF_INIT;
	char **params;
	size_t nparams;

	params = calloc(t->nmembers + 1, sizeof(*params));
	if (!params) {
		w->error = -ENOMEM;
		return;
	}
	fprintf(w->out, "impl %s {\n", rust__name(w, t));
	for (size_t i = 0; i < l->n; i++) {
		const struct rfield *f = &l->f[i];
		const struct rust_bfunit *u = f->unit;

		if (!u)
			continue;
		for (size_t b = 0; b < u->nbf; b++) {
			const struct cmember *m = u->bf[b].m;
			char kw[128];
			const char *id;

			if (!member__named(m))
				continue;
			id = rust__ident(m->name, kw, sizeof(kw));
			sbuf__reset(&ty);
			rw__spell(w, &ty, m->type, false);
			fmt__bitfield_accessors(w->out, f->unit_nr, id, sbuf__str(&ty),
						rust__prim(m->type), u->bf[b].offset, m->bit_width);
		}
		nparams = 0;
		for (size_t b = 0; b < u->nbf; b++) {
			const struct cmember *m = u->bf[b].m;
			char kw[128];

			if (!member__named(m))
				continue;
			sbuf__reset(&ty);
			rw__spell(w, &ty, m->type, false);
			params[nparams] = malloc(strlen(m->name) + 3 + ty.len + 4);
			if (!params[nparams]) {
				w->error = -ENOMEM;
				break;
			}
			sprintf(params[nparams], "%s: %s", rust__ident(m->name, kw, sizeof(kw)),
				sbuf__str(&ty));
			nparams++;
		}
		fmt__bitfield_ctor_open(w->out, f->unit_nr, u->size, (const char *const *)params,
					nparams);
		for (size_t b = 0; b < nparams; b++)
			free(params[b]);
		for (size_t b = 0; b < u->nbf; b++) {
			const struct cmember *m = u->bf[b].m;
			char kw[128];

			if (!member__named(m))
				continue;
			fmt__bitfield_ctor_set(w->out, rust__ident(m->name, kw, sizeof(kw)),
					       rust__prim(m->type), u->bf[b].offset, m->bit_width);
		}
		fputs("        __bindgen_bitfield_unit\n    }\n", w->out);
	}
	fputs("}\n", w->out);
	sbuf__fini(&ty);
	free(params);
}

static void rw__impl_default(struct rust_writer *w, const char *name)
{
	fprintf(w->out,
		"impl Default for %s {\n"
		"    fn default() -> Self {\n"
		"        let mut s = ::std::mem::MaybeUninit::<Self>::uninit();\n"
		"        unsafe {\n"
		"            ::std::ptr::write_bytes(s.as_mut_ptr(), 0, 1);\n"
		"            s.assume_init()\n"
		"        }\n"
		"    }\n"
		"}\n",
		name);
}

static void rw__impl_debug(struct rust_writer *w, const struct ctype *t, const struct rlayout *l)
{
	const char *name = rust__name(w, t);
	struct sbuf fmt = SBUF_INIT;
	const char **args = NULL;
	char (*argbuf)[136] = NULL;
	size_t nargs = 0, cap = 0;

	fprintf(w->out, "impl ::std::fmt::Debug for %s {\n"
		"    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {\n",
		name);
	if (t->kind == CT_UNION) {
		sbuf__addf(&fmt, "%s {{ union }}", name);
	} else {
		for (size_t i = 0; i < l->n; i++)
			cap += l->f[i].unit ? l->f[i].unit->nbf : 1;
		args = calloc(cap + 1, sizeof(*args));
		argbuf = calloc(cap + 1, sizeof(*argbuf));
		if (!args || !argbuf) {
			w->error = -ENOMEM;
			goto out;
		}
		sbuf__addf(&fmt, "%s {{ ", name);
		for (size_t i = 0; i < l->n; i++) {
			const struct rfield *f = &l->f[i];

			if (!f->unit) {
				sbuf__addf(&fmt, "%s%s: {:?}", nargs ? ", " : "", f->cname);
				snprintf(argbuf[nargs], sizeof(argbuf[0]), "self.%s", f->name);
				args[nargs] = argbuf[nargs];
				nargs++;
				continue;
			}
			for (size_t b = 0; b < f->unit->nbf; b++) {
				const struct cmember *m = f->unit->bf[b].m;
				char kw[128];
				const char *id;

				if (!member__named(m))
					continue;
				id = rust__ident(m->name, kw, sizeof(kw));
				sbuf__addf(&fmt, "%s%s: {:?}", nargs ? ", " : "", m->name);
				snprintf(argbuf[nargs], sizeof(argbuf[0]), "self.%s()", id);
				args[nargs] = argbuf[nargs];
				nargs++;
			}
		}
		sbuf__add(&fmt, " }}");
	}
	fmt__write_macro(w->out, sbuf__str(&fmt), args, nargs);
	fputs("    }\n}\n", w->out);
out:
	free(args);
	free(argbuf);
	sbuf__fini(&fmt);
}

/* Struct or union with its nested anonymous types, layout test and impls, in bindgen's order. */
static void rw__aggregate(struct rust_writer *w, const struct ctype *t)
{
	struct rlayout l;
	unsigned d;
	bool bunion;
	int r;

	r = hset__add(&w->emitted, t);
	if (r <= 0) {
		if (r < 0)
			w->error = r;
		return;
	}
	if (!t->complete) {
		fprintf(w->out, "#[repr(C)]\n#[derive(Debug, Copy, Clone)]\npub struct %s {\n"
			"    _unused: [u8; 0],\n}\n", rust__name(w, t));
		return;
	}
	r = rlayout__build(t, &l);
	if (r) {
		w->error = r;
		rlayout__fini(&l);
		return;
	}
	d = rust__agg_derives(t);
	bunion = rust__union_is_bindgen(t);
	rw__doc(w, 0, ctype__doc(t));
	fputs(t->packed ? "#[repr(C, packed)]\n" : "#[repr(C)]\n", w->out);
	if (agg__needs_repr_align(t))
		fprintf(w->out, "#[repr(align(%" PRIu64 "))]\n", t->align);
	rw__derive_line(w, d);
	rw__struct_body(w, t, &l, bunion);

	/* bindgen writes the anonymous types a member uses right after the parent's definition */
	for (size_t i = 0; i < t->nmembers; i++) {
		const struct ctype *mt = t->members[i].type;

		while (mt && mt->kind == CT_ARRAY)
			mt = mt->target;
		if (ctype__is_aggregate(mt) && mt->parent == t && !mt->name)
			rw__aggregate(w, mt);
		else if (mt && mt->kind == CT_ENUM && mt->parent == t && !mt->name)
			rw__enum(w, mt);
	}
	rw__layout_test(w, t, &l);
	if (l.nunits)
		rw__bitfield_impl(w, t, &l);
	if (!(d & DV_DEFAULT))
		rw__impl_default(w, rust__name(w, t));
	if (!(d & DV_DEBUG))
		rw__impl_debug(w, t, &l);
	rlayout__fini(&l);
}

static void rw__enum(struct rust_writer *w, const struct ctype *t)
{
	const char *name = rust__name(w, t);
	struct sbuf ty = SBUF_INIT, cname = SBUF_INIT;
	bool anon = !t->name;
	int r = hset__add(&w->emitted, t);

	if (r <= 0) {
		if (r < 0)
			w->error = r;
		return;
	}
	for (size_t i = 0; i < t->nenumerators; i++) {
		const struct cenumerator *e = &t->enumerators[i];
		char val[32];

		sbuf__reset(&cname);
		if (anon)
			sbuf__add(&cname, e->name);
		else
			sbuf__addf(&cname, "%s_%s", name, e->name);
		snprintf(val, sizeof(val), "%" PRId64, e->value);
		fmt__const(w->out, sbuf__str(&cname), name, val);
	}
	if (t->target)
		rw__spell(w, &ty, t->target, false);
	else
		sbuf__add(&ty, "::std::os::raw::c_uint");
	rw__doc(w, 0, ctype__doc(t));
	fmt__type_alias(w->out, name, sbuf__str(&ty));
	sbuf__fini(&ty);
	sbuf__fini(&cname);
}

static void rw__typedef(struct rust_writer *w, const struct ctype *t)
{
	const struct ctype *target = t->target;
	struct sbuf ty = SBUF_INIT;
	int r;

	/* typedef struct { ... } name;  bindgen names the anonymous aggregate after the typedef */
	if (target && !target->name && (ctype__is_aggregate(target) || target->kind == CT_ENUM)) {
		if (hset__add(&w->emitted, t) < 0)
			w->error = -ENOMEM;
		if (target->kind == CT_ENUM)
			rw__enum(w, target);
		else
			rw__aggregate(w, target);
		return;
	}
	/* typedef struct foo foo; is the same name in Rust */
	if (target && (ctype__is_aggregate(target) || target->kind == CT_ENUM) &&
	    !strcmp(rust__name(w, target), rust__name(w, t)))
		return;
	r = hset__add(&w->emitted, t);
	if (r <= 0) {
		if (r < 0)
			w->error = r;
		return;
	}
	rw__spell(w, &ty, target, false);
	rw__doc(w, 0, ctype__doc(t));
	fmt__type_alias(w->out, rust__name(w, t), sbuf__str(&ty));
	sbuf__fini(&ty);
}

/* bindgen's choice of type for an integer macro: by the value as a signed 64-bit number. */
static const char *macro__rust_type(int64_t v)
{
	if (v < 0)
		return v >= INT32_MIN ? "i32" : "i64";
	return v <= (int64_t)UINT32_MAX ? "u32" : "u64";
}

/* Every integer macro, in definition order. A name defined twice, or that an anonymous enum's
 * constant already takes (`#define X X`), is written once: Rust rejects a second definition. */
static void rw__macros(struct rust_writer *w)
{
	struct hset names = HSET_INIT_STR;

	for (size_t i = 0; i < w->cm->ntypes; i++) {
		const struct ctype *t = w->cm->types[i];

		if (t->kind == CT_TYPEDEF && t->target && !t->target->name)
			continue;
		if (t->kind != CT_ENUM || t->name)
			continue;
		for (size_t j = 0; j < t->nenumerators; j++)
			if (hset__add(&names, t->enumerators[j].name) < 0)
				w->error = -ENOMEM;
	}
	for (size_t i = 0; i < w->cm->nmacros && !w->error; i++) {
		const struct cmacro *mc = &w->cm->macros[i];
		char val[32];
		int r;

		if (mc->kind != CM_INT)
			continue;
		r = hset__add(&names, mc->name);
		if (r < 0)
			w->error = r;
		if (r <= 0)
			continue;
		snprintf(val, sizeof(val), "%" PRId64, mc->value);
		fmt__const(w->out, mc->name, macro__rust_type(mc->value), val);
	}
	hset__fini(&names);
}

static void rw__extras(struct rust_writer *w)
{
	bool any = false;

	for (size_t i = 0; i < w->cm->nmacros; i++)
		any |= w->cm->macros[i].kind != CM_INT;
	if (!any)
		return;
	fputs(RUST_EXTRAS_MARK "\n", w->out);
	for (size_t i = 0; i < w->cm->nmacros; i++) {
		const struct cmacro *mc = &w->cm->macros[i];
		uint32_t dir, type, nr, size;

		if (mc->kind != CM_IOCTL)
			continue;
		ioctl__decode(mc->number, &dir, &type, &nr, &size);
		fprintf(w->out, "pub const %s: u32 = 0x%08" PRIx32 "; " RUST_IOCTL_MARK, mc->name,
			mc->number);
		if (!mc->arg || !strcmp(mc->arg, "-"))
			fprintf(w->out, "_IO(0x%02" PRIx32 ", 0x%02" PRIx32 ")\n", type, nr);
		else
			fprintf(w->out, "%s(0x%02" PRIx32 ", 0x%02" PRIx32 ", %s)\n",
				dir == (MIOC_READ | MIOC_WRITE) ? "_IOWR" :
				dir == MIOC_READ ? "_IOR" : dir == MIOC_WRITE ? "_IOW" : "_IOC_NONE",
				type, nr, mc->arg);
	}
	for (size_t i = 0; i < w->cm->nmacros; i++) {
		const struct cmacro *mc = &w->cm->macros[i];

		if (mc->kind != CM_UNEVAL)
			continue;
		fprintf(w->out, "// %s" RUST_UNEVAL_MARK, mc->name);
		for (const char *p = mc->reason ? mc->reason : "unknown"; *p; p++)
			fputc(*p == '\n' || *p == '\r' ? ' ' : *p, w->out);
		fputc('\n', w->out);
	}
}

/* The first line, with what the file is for (read back by rust_read.c when dumping it). */
static void rw__banner(struct rust_writer *w)
{
	const char *kernel = w->cm->kernel;

	fputs(RUST_BANNER, w->out);
	if (w->cm->arch)
		fprintf(w->out, ": %s", w->cm->arch);
	if (kernel && !strstr(kernel, "*/") && !strchr(kernel, '\n'))
		fprintf(w->out, ", kernel %s", kernel);
	fputs(" */\n\n", w->out);
}

/* Walk everything once to learn which helper types are needed (they come first). */
static void rw__scan(struct rust_writer *w, const struct ctype *t, int depth)
{
	struct sbuf sb = SBUF_INIT;

	if (!t || depth > 64)
		return;
	if (ctype__is_aggregate(t) && t->complete) {
		if (rust__union_is_bindgen(t))
			w->need_unionfield = true;
		for (size_t i = 0; i < t->nmembers; i++) {
			const struct cmember *m = &t->members[i];

			if (m->is_bitfield) {
				w->need_bfunit = true;
				continue;
			}
			sbuf__reset(&sb);
			rw__spell(w, &sb, m->type, t->kind == CT_STRUCT);
			if (m->type && m->type->parent == t)
				rw__scan(w, m->type, depth + 1);
			else if (m->type && m->type->kind == CT_ARRAY)
				rw__scan(w, m->type, depth + 1);
		}
	} else if (t->kind == CT_ARRAY) {
		const struct ctype *e = t;

		while (e && e->kind == CT_ARRAY)
			e = e->target;
		if (e && e->parent)
			rw__scan(w, e, depth + 1);
	} else if (t->kind == CT_TYPEDEF && t->target && !t->target->name) {
		rw__scan(w, t->target, depth + 1);
	}
	sbuf__fini(&sb);
}

int rust__write(const struct cmodel *cm, FILE *out)
{
	struct rust_writer w = { .out = out, .cm = cm };
	size_t i;

	for (i = 0; i < cm->ntypes && !w.error; i++)
		if (hset__add(&w.listed, cm->types[i]) < 0)
			w.error = -ENOMEM;
	for (i = 0; i < cm->ntypes && !w.error; i++)
		rw__scan(&w, cm->types[i], 0);
	/* the scan spelled types and so noted late typedefs; start the real list afresh */
	w.nlate = 0;
	hset__fini(&w.late_seen);
	if (w.error)
		goto out;

	rw__banner(&w);
	if (w.need_bfunit)
		fputs(rust__helper_bitfield_unit, out);
	if (w.need_incomplete)
		fputs(rust__helper_incomplete_array, out);
	if (w.need_unionfield)
		fputs(rust__helper_union_field, out);
	rw__macros(&w);
	for (i = 0; i < cm->ntypes && !w.error; i++) {
		const struct ctype *t = cm->types[i];

		switch (t->kind) {
		case CT_STRUCT:
		case CT_UNION:
			rw__aggregate(&w, t);
			break;
		case CT_ENUM:
			rw__enum(&w, t);
			break;
		case CT_TYPEDEF:
			rw__typedef(&w, t);
			break;
		default:
			break;
		}
	}
	/* builtin typedefs (__uint128_t) that no header declares: bindgen puts them last */
	for (i = 0; i < w.nlate && !w.error; i++) {
		struct sbuf ty = SBUF_INIT;

		rw__spell(&w, &ty, w.late[i]->target, false);
		fmt__type_alias(out, rust__name(&w, w.late[i]), sbuf__str(&ty));
		sbuf__fini(&ty);
	}
	rw__extras(&w);
	fputs(RUST_END_MARK "\n", out);
out:
	hset__fini(&w.emitted);
	hset__fini(&w.listed);
	hset__fini(&w.late_seen);
	if (!w.error)
		w.error = w.names.error;
	rust_names__fini(&w.names);
	free(w.late);
	if (w.error)
		return w.error;
	if (fflush(out) == EOF || ferror(out))
		return -EIO;
	return 0;
}
