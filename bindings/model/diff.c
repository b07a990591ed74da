/* diff.c - compare two manifests and classify every difference (MANIFEST.md, "Classification"):
 * incompatible, compatible, allowed (by an allow file, with its reason), or not in B (kernel
 * debug info that lacks a type). The report is grouped by class, one difference a line. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

struct diff_line {
	enum diff_class cls;
	char *text;
};

struct diff_report {
	const struct diff_opts *o;
	struct diff_line *l;
	size_t n;
	int error;	/* first failure (-errno): later lines are dropped */
};

static const char *const class_names[DIFF__NR] = {
	[DIFF_INCOMPATIBLE] = "incompatible",
	[DIFF_COMPATIBLE] = "compatible",
	[DIFF_ALLOWED] = "allowed",
	[DIFF_NOT_IN_B] = "not in kernel",
};

static const struct allow_entry *report__allowed(struct diff_report *d, const char *kind, const char *key,
					       const char *member)
{
	const struct allowlist *a = d->o ? d->o->allow : NULL;

	if (!a)
		return NULL;
	for (size_t i = 0; i < a->n; i++) {
		struct allow_entry *e = &a->e[i];

		if (strcmp(e->kind, kind) || strcmp(e->key, key))
			continue;
		if (member && e->member && strcmp(e->member, "*") && strcmp(e->member, member))
			continue;
		e->used++;
		return e;
	}
	return NULL;
}

/* Record one difference of `kind key[.member]`; the allow file may turn it into DIFF_ALLOWED. */
static void report__add(struct diff_report *d, enum diff_class cls, const char *kind, const char *key,
		      const char *member, const char *fmt, ...)
{
	const struct allow_entry *e = NULL;
	char *what = NULL, *text = NULL;
	struct diff_line *n;
	va_list ap;
	int r;

	if (d->error)
		return;
	if (cls == DIFF_INCOMPATIBLE || cls == DIFF_COMPATIBLE)
		e = report__allowed(d, kind, key, member);
	va_start(ap, fmt);
	r = vasprintf(&what, fmt, ap);
	va_end(ap);
	if (r < 0) {
		d->error = -ENOMEM;
		return;
	}
	if (e)
		r = asprintf(&text, "%s %s%s%s: %s [%s:%u: %s]", kind, key, member ? "." : "",
			     member ? member : "", what, d->o->allow->path, e->line, e->reason);
	else
		r = asprintf(&text, "%s %s%s%s: %s", kind, key, member ? "." : "", member ? member : "",
			     what);
	free(what);
	n = r < 0 ? NULL : realloc(d->l, (d->n + 1) * sizeof(*n));
	if (!n) {
		free(text);
		d->error = -ENOMEM;
		return;
	}
	d->l = n;
	d->l[d->n].cls = e ? DIFF_ALLOWED : cls;
	d->l[d->n].text = text;
	d->n++;
}

/* "struct X", "union X", "enum X" and "X" name the same type here (see MANIFEST.md). */
static const char *untag(const char *s)
{
	if (!strncmp(s, "struct ", 7))
		return s + 7;
	if (!strncmp(s, "union ", 6))
		return s + 6;
	if (!strncmp(s, "enum ", 5))
		return s + 5;
	return s;
}

/* Drop the tags of a type spelling: "struct kvm_regs[2]" -> "kvm_regs[2]". */
static void spell__untag(const char *s, char *buf, size_t len)
{
	size_t o = 0;
	bool tok_start = true;

	while (*s && o + 1 < len) {
		if (tok_start && untag(s) != s) {
			s = untag(s);
			continue;
		}
		tok_start = *s == ' ' || *s == '(' || *s == '[' || *s == '*';
		buf[o++] = *s++;
	}
	buf[o] = '\0';
}

static bool spell__same(const char *a, const char *b)
{
	char na[512], nb[512];

	if (!strcmp(a, b))
		return true;
	spell__untag(a, na, sizeof(na));
	spell__untag(b, nb, sizeof(nb));
	return !strcmp(na, nb);
}

/* The type of B that A's key names: the same key, or the same name with another tag. */
static const struct mrec *type__find(const struct manifest *b, const char *key)
{
	const struct mrec *r = manifest__find(b, MREC_TYPE, key, NULL);
	char alt[512];

	if (r)
		return r;
	if (untag(key) != key)
		return manifest__find(b, MREC_TYPE, untag(key), NULL);
	snprintf(alt, sizeof(alt), "struct %s", key);
	if ((r = manifest__find(b, MREC_TYPE, alt, NULL)))
		return r;
	snprintf(alt, sizeof(alt), "union %s", key);
	return manifest__find(b, MREC_TYPE, alt, NULL);
}

/* A bare name, for the one-line-per-screen list of types the kernel lacks. */
static void report__add_name(struct diff_report *d, enum diff_class cls, const char *name)
{
	struct diff_line *n;
	char *text;

	if (d->error)
		return;
	text = strdup(name);
	n = text ? realloc(d->l, (d->n + 1) * sizeof(*n)) : NULL;
	if (!n) {
		free(text);
		d->error = -ENOMEM;
		return;
	}
	d->l = n;
	d->l[d->n].cls = cls;
	d->l[d->n].text = text;
	d->n++;
}

static bool is_padding_name(const char *path)
{
	static const char *const pfx[] = { "pad", "__pad", "padding", "reserved", "__reserved",
					   "rsvd", "unused", "__unused", "spare" };
	const char *leaf = strrchr(path, '.');

	leaf = leaf ? leaf + 1 : path;
	for (size_t i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++)
		if (!strncmp(leaf, pfx[i], strlen(pfx[i])))
			return true;
	return false;
}

static void field__describe(const struct mrec *f, char *buf, size_t len)
{
	if (f->is_bitfield)
		snprintf(buf, len, "bitoffset=%" PRIu64 " bitsize=%" PRIu32 " type=%s", f->bitoffset,
			 f->bitsize, f->text);
	else
		snprintf(buf, len, "offset=%" PRIu64 " size=%" PRIu64 " type=%s%s", f->offset, f->size,
			 f->text, f->flex ? " flex" : "");
}

/* Is there a field in B's type, absent from A, overlapping A's field fa (a renamed padding)? */
static const struct mrec *find_rename(const struct manifest *a, const struct manifest *b,
				      const struct mrec *fa, const char *btype)
{
	uint64_t lo = fa->bitoffset, hi = fa->is_bitfield ? lo + fa->bitsize : lo + fa->size * 8;

	for (size_t i = 0; i < b->nrecs; i++) {
		const struct mrec *fb = &b->recs[i];
		uint64_t blo, bhi;

		if (fb->kind != MREC_FIELD || strcmp(fb->key, btype))
			continue;
		blo = fb->bitoffset;
		bhi = fb->is_bitfield ? blo + fb->bitsize : blo + fb->size * 8;
		if (blo >= lo && bhi <= hi && bhi > blo &&
		    !manifest__find(a, MREC_FIELD, fa->key, fb->member))
			return fb;
	}
	return NULL;
}

/* Is path a member below parent ("tdx.flags" under "tdx", "r[0].x" under "r")? */
static bool path__under(const char *path, const char *parent)
{
	size_t n = strlen(parent);

	return !strncmp(path, parent, n) && (path[n] == '.' || path[n] == '[');
}

static bool field__added(const struct manifest *a, const struct mrec *fb, const char *type,
			 const char *btype)
{
	return fb->kind == MREC_FIELD && !strcmp(fb->key, btype) &&
	       !manifest__find(a, MREC_FIELD, type, fb->member);
}

static void diff__fields(struct diff_report *d, const struct manifest *a, const struct manifest *b,
			 const char *type, const char *btype)
{
	char da[256], db[256];

	for (size_t i = 0; i < a->nrecs; i++) {
		const struct mrec *fa = &a->recs[i], *fb, *ren;

		if (fa->kind != MREC_FIELD || strcmp(fa->key, type))
			continue;
		fb = manifest__find(b, MREC_FIELD, btype, fa->member);
		field__describe(fa, da, sizeof(da));
		if (!fb) {
			ren = is_padding_name(fa->member) ? find_rename(a, b, fa, btype) : NULL;
			if (ren)
				report__add(d, DIFF_COMPATIBLE, "field", type, fa->member,
					  "padding renamed to '%s'", ren->member);
			else
				report__add(d, DIFF_INCOMPATIBLE, "field", type, fa->member,
					  "missing (was %s)", da);
			continue;
		}
		field__describe(fb, db, sizeof(db));
		if (fa->is_bitfield != fb->is_bitfield || fa->bitoffset != fb->bitoffset ||
		    fa->bitsize != fb->bitsize || fa->size != fb->size || fa->flex != fb->flex)
			report__add(d, DIFF_INCOMPATIBLE, "field", type, fa->member, "%s -> %s", da, db);
		else if (!spell__same(fa->text, fb->text))
			report__add(d, DIFF_INCOMPATIBLE, "field", type, fa->member, "type %s -> %s",
				  fa->text, fb->text);
	}
	/* added fields; members of an added field fold into its line (kvm_run.tdx and its 14) */
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct mrec *fb = &b->recs[i];
		unsigned nested = 0;
		bool folded = false;

		if (!field__added(a, fb, type, btype))
			continue;
		for (size_t j = 0; j < b->nrecs && !folded; j++) {
			const struct mrec *fo = &b->recs[j];

			if (j == i || !field__added(a, fo, type, btype))
				continue;
			if (path__under(fb->member, fo->member))
				folded = true;
			else if (path__under(fo->member, fb->member))
				nested++;
		}
		if (folded)
			continue;
		field__describe(fb, db, sizeof(db));
		if (nested)
			report__add(d, DIFF_COMPATIBLE, "field", type, fb->member,
				  "added (%s) with %u members", db, nested);
		else
			report__add(d, DIFF_COMPATIBLE, "field", type, fb->member, "added (%s)", db);
	}
}

static void diff__types(struct diff_report *d, const struct manifest *a, const struct manifest *b)
{
	bool dbg = d->o && d->o->b_is_debuginfo;

	for (size_t i = 0; i < a->nrecs; i++) {
		const struct mrec *ta = &a->recs[i], *tb;

		if (ta->kind != MREC_TYPE)
			continue;
		tb = type__find(b, ta->key);
		if (!tb) {
			if (dbg)
				report__add_name(d, DIFF_NOT_IN_B, ta->key);
			else
				report__add(d, DIFF_INCOMPATIBLE, "type", ta->key, NULL, "missing");
			continue;
		}
		if (ta->size != tb->size)
			report__add(d, DIFF_INCOMPATIBLE, "type", ta->key, NULL,
				  "size %" PRIu64 " -> %" PRIu64, ta->size, tb->size);
		if (ta->align != tb->align)
			report__add(d, DIFF_INCOMPATIBLE, "type", ta->key, NULL,
				  "alignment %" PRIu64 " -> %" PRIu64, ta->align, tb->align);
		diff__fields(d, a, b, ta->key, tb->key);
	}
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct mrec *tb = &b->recs[i];

		if (tb->kind == MREC_TYPE && !type__find(a, tb->key))
			report__add(d, DIFF_COMPATIBLE, "type", tb->key, NULL,
				  "added (size=%" PRIu64 " align=%" PRIu64 ")", tb->size, tb->align);
	}
}

static void const__str(const struct mrec *r, char *buf, size_t len)
{
	if (r->value_unsigned)
		snprintf(buf, len, "%" PRIu64, (uint64_t)r->value);
	else
		snprintf(buf, len, "%" PRId64, r->value);
}

static void diff__consts(struct diff_report *d, const struct manifest *a, const struct manifest *b)
{
	char va[32], vb[32];

	for (size_t i = 0; i < a->nrecs; i++) {
		const struct mrec *ra = &a->recs[i], *rb;

		if (ra->kind != MREC_CONST)
			continue;
		rb = manifest__find(b, MREC_CONST, ra->key, NULL);
		const__str(ra, va, sizeof(va));
		if (!rb) {
			/* a binding without a constant cannot misuse it; bindgen drops every constant
			 * a function-like macro defines (KVM_DIRTY_GFN_F_DIRTY = _BITUL(0)) */
			report__add(d, DIFF_COMPATIBLE, "const", ra->key, NULL, "not in B (was %s)", va);
			continue;
		}
		const__str(rb, vb, sizeof(vb));
		if (ra->value != rb->value)
			report__add(d, DIFF_INCOMPATIBLE, "const", ra->key, NULL, "value %s -> %s", va, vb);
	}
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct mrec *rb = &b->recs[i];

		if (rb->kind != MREC_CONST || manifest__find(a, MREC_CONST, rb->key, NULL))
			continue;
		const__str(rb, vb, sizeof(vb));
		report__add(d, DIFF_COMPATIBLE, "const", rb->key, NULL, "added (%s)", vb);
	}
}

static void diff__ioctls(struct diff_report *d, const struct manifest *a, const struct manifest *b)
{
	for (size_t i = 0; i < a->nrecs; i++) {
		const struct mrec *ra = &a->recs[i], *rb;

		if (ra->kind != MREC_IOCTL)
			continue;
		rb = manifest__find(b, MREC_IOCTL, ra->key, NULL);
		if (!rb) {
			report__add(d, DIFF_INCOMPATIBLE, "ioctl", ra->key, NULL, "missing (was 0x%08" PRIx32
				  " arg=%s)", ra->number, ra->text);
			continue;
		}
		if (ra->number != rb->number)
			report__add(d, DIFF_INCOMPATIBLE, "ioctl", ra->key, NULL,
				  "number 0x%08" PRIx32 " (dir=%s nr=0x%02" PRIx32 " size=%" PRIu64
				  ") -> 0x%08" PRIx32 " (dir=%s nr=0x%02" PRIx32 " size=%" PRIu64 ")",
				  ra->number, ioctl__dir_name(ra->dir), ra->nr, ra->size, rb->number,
				  ioctl__dir_name(rb->dir), rb->nr, rb->size);
		else if (!spell__same(ra->text, rb->text))
			report__add(d, DIFF_INCOMPATIBLE, "ioctl", ra->key, NULL, "argument %s -> %s",
				  ra->text, rb->text);
	}
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct mrec *rb = &b->recs[i];

		if (rb->kind == MREC_IOCTL && !manifest__find(a, MREC_IOCTL, rb->key, NULL))
			report__add(d, DIFF_COMPATIBLE, "ioctl", rb->key, NULL, "added (0x%08" PRIx32
				  " arg=%s)", rb->number, rb->text);
	}
}

/* Kernel debug info has no ioctls, but it has the argument types: the size an ioctl number
 * encodes must be the kernel's size of its argument type. */
static void diff__ioctl_sizes(struct diff_report *d, const struct manifest *a, const struct manifest *b)
{
	for (size_t i = 0; i < a->nrecs; i++) {
		const struct mrec *ra = &a->recs[i], *tb;

		if (ra->kind != MREC_IOCTL || !ra->text || strchr(ra->text, '*'))
			continue;
		tb = type__find(b, ra->text);
		if (tb && tb->size != ra->size && ra->size != 0)
			report__add(d, DIFF_INCOMPATIBLE, "ioctl", ra->key, NULL,
				  "encodes size %" PRIu64 " but the kernel's %s is %" PRIu64 " bytes",
				  ra->size, ra->text, tb->size);
	}
}

static bool manifest__has_kind(const struct manifest *m, enum mrec_kind k)
{
	for (size_t i = 0; i < m->nrecs; i++)
		if (m->recs[i].kind == k)
			return true;
	return false;
}

int manifest__diff(struct manifest *a, struct manifest *b, const struct diff_opts *opts,
		   struct diff_counts *counts)
{
	struct diff_report d = { .o = opts };
	const char *aa, *ba;
	bool dbg;
	FILE *out = opts ? opts->out : NULL;

	memset(counts, 0, sizeof(*counts));
	manifest__sort(a);
	manifest__sort(b);
	aa = manifest__meta(a, "arch");
	ba = manifest__meta(b, "arch");
	if (out && aa && ba && strcmp(aa, ba))
		fprintf(out, "warning: comparing arch %s with arch %s\n", aa, ba);
	diff__types(&d, a, b);
	/* Each kind is compared where B carries it: kernel debug info and a DWARF view carry no
	 * constants or ioctls, bindgen's bindings.rs carries constants but no ioctls. Where B has
	 * no ioctls, the sizes they encode are checked against B's types instead. */
	dbg = opts && opts->b_is_debuginfo;
	if (!dbg && manifest__has_kind(b, MREC_CONST))
		diff__consts(&d, a, b);
	if (!dbg && manifest__has_kind(b, MREC_IOCTL)) {
		diff__ioctls(&d, a, b);
	} else {
		diff__ioctl_sizes(&d, a, b);
	}
	if (out && (dbg || !manifest__has_kind(b, MREC_CONST)) && manifest__has_kind(a, MREC_CONST))
		fprintf(out, "note: B has no constants: they are not compared\n");
	if (out && (dbg || !manifest__has_kind(b, MREC_IOCTL)) && manifest__has_kind(a, MREC_IOCTL))
		fprintf(out, "note: B has no ioctls: only the argument sizes they encode are "
			"compared, against B's types\n");
	for (int c = 0; c < DIFF__NR; c++) {
		size_t col = 0;

		for (size_t i = 0; i < d.n; i++) {
			if (d.l[i].cls != (enum diff_class)c)
				continue;
			counts->n[c]++;
			if (!out)
				continue;
			if (c != DIFF_NOT_IN_B) {
				fprintf(out, "%-13s %s\n", class_names[c], d.l[i].text);
				continue;
			}
			/* types the kernel does not build: names only, wrapped, to stay on one screen */
			if (!col || col + strlen(d.l[i].text) > 96) {
				fprintf(out, "%s%-13s %s", col ? "\n" : "", class_names[c], d.l[i].text);
				col = 14 + strlen(d.l[i].text);
			} else {
				fprintf(out, ", %s", d.l[i].text);
				col += 2 + strlen(d.l[i].text);
			}
		}
		if (out && col)
			fputc('\n', out);
	}
	if (out && opts->allow)
		for (size_t i = 0; i < opts->allow->n; i++)
			if (!opts->allow->e[i].used)
				fprintf(out, "note: %s:%u: allow entry matched nothing\n",
					opts->allow->path, opts->allow->e[i].line);
	for (size_t i = 0; i < d.n; i++)
		free(d.l[i].text);
	free(d.l);
	return d.error;
}
