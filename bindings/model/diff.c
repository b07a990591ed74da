/* diff.c - compare two manifests and classify every difference (README.md, "Classification"):
 * what moves a byte or changes a number is incompatible; what changes or removes a name, a
 * Rust path or a type a user's code names, with every byte where it was, is api; what B adds is
 * added; a *_MAX that grew with its list is sentinel; zero-size members, [0] <-> [] and padding
 * names are layout-neutral. The lines, counts, verdict and report forms are diff_report.c's. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diff_internal.h"
#include "sbuf.h"

struct diff_ctx {
	struct diff_report *d;
	const struct manifest *a, *b;
	bool *bused;	/* B's fields already accounted for (the new name of a renamed one) */
	bool moved;	/* a field of the type being compared moved: its siblings' places tell
			 * nothing of Rust paths then */
};

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

/* "T[0]" and "T[]": the same flexible array in two spellings. */
static bool spell__flex_same(const char *a, const char *b)
{
	char na[512], nb[512];
	size_t la, lb;

	spell__untag(a, na, sizeof(na));
	spell__untag(b, nb, sizeof(nb));
	la = strlen(na);
	lb = strlen(nb);
	if (la > 3 && !strcmp(na + la - 3, "[0]"))
		strcpy(na + la - 3, "[]");
	if (lb > 3 && !strcmp(nb + lb - 3, "[0]"))
		strcpy(nb + lb - 3, "[]");
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

static const char *leaf__of(const char *path)
{
	const char *leaf = strrchr(path, '.');

	return leaf ? leaf + 1 : path;
}

static bool is_padding_name(const char *path)
{
	static const char *const pfx[] = { "pad", "__pad", "padding", "reserved", "__reserved",
					   "rsvd", "unused", "__unused", "spare" };
	const char *leaf = leaf__of(path);

	for (size_t i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++)
		if (!strncmp(leaf, pfx[i], strlen(pfx[i])))
			return true;
	return false;
}

/* A member that holds no byte and is no array: the `struct { } __empty_NAME` companion that
 * __DECLARE_FLEX_ARRAY puts beside a flexible array. */
static bool field__zero_size(const struct mrec *f)
{
	size_t n = strlen(f->text);

	return !f->is_bitfield && f->size == 0 && !f->flex && !(n && f->text[n - 1] == ']');
}

static uint64_t field__lo(const struct mrec *f)
{
	return f->is_bitfield ? f->bitoffset : f->offset * 8;
}

static uint64_t field__hi(const struct mrec *f)
{
	return f->is_bitfield ? f->bitoffset + f->bitsize : (f->offset + f->size) * 8;
}

static bool field__overlap(const struct mrec *x, const struct mrec *y)
{
	return field__lo(x) < field__hi(y) && field__lo(y) < field__hi(x);
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

/* Where a member sits among its siblings, as far as the manifest tells: members of anonymous
 * aggregates are transparent there, but bindgen reaches them through `__bindgen_anon_N`. */
enum field_shape {
	SHAPE_DIRECT,		/* a member of its named parent */
	SHAPE_ANON_UNION,	/* in a struct, overlapping a sibling: in an anonymous union */
	SHAPE_ANON_STRUCT,	/* in a union, not at its start or beside a sibling: anonymous struct */
	SHAPE_FLEX_WRAPPED,	/* beside its __empty_ companion: __DECLARE_FLEX_ARRAY's struct */
};

static const char *const shape_names[] = {
	[SHAPE_DIRECT] = "a direct member",
	[SHAPE_ANON_UNION] = "in an anonymous union",
	[SHAPE_ANON_STRUCT] = "in an anonymous struct",
	[SHAPE_FLEX_WRAPPED] = "in __DECLARE_FLEX_ARRAY's anonymous struct",
};

/* Is path a direct child of parent ("" for the outer type)? */
static bool path__child_of(const char *path, const char *parent, size_t plen)
{
	if (!plen)
		return !strchr(path, '.');
	return !strncmp(path, parent, plen) && path[plen] == '.' && !strchr(path + plen + 1, '.');
}

static enum field_shape field__shape(const struct manifest *m, const struct mrec *f)
{
	const char *leaf = leaf__of(f->member);
	size_t plen = leaf == f->member ? 0 : (size_t)(leaf - f->member - 1);
	bool in_union, disjoint = false, overlap = false;
	uint64_t parent_lo = 0;
	char buf[512];

	snprintf(buf, sizeof(buf), "%.*s%s__empty_%s", (int)plen, f->member, plen ? "." : "", leaf);
	if (manifest__find(m, MREC_FIELD, f->key, buf))
		return SHAPE_FLEX_WRAPPED;
	if (!plen) {
		in_union = !strncmp(f->key, "union ", 6);
	} else {
		const struct mrec *p;

		snprintf(buf, sizeof(buf), "%.*s", (int)plen, f->member);
		if (plen > 3 && !strcmp(buf + plen - 3, "[0]"))
			buf[plen - 3] = '\0';
		p = manifest__find(m, MREC_FIELD, f->key, buf);
		if (!p)
			return SHAPE_DIRECT;
		in_union = !strncmp(p->text, "union", 5);
		parent_lo = field__lo(p);
	}
	if (field__hi(f) == field__lo(f))
		return SHAPE_DIRECT;
	for (size_t i = 0; i < m->nrecs; i++) {
		const struct mrec *s = &m->recs[i];

		if (s == f || s->kind != MREC_FIELD || strcmp(s->key, f->key) ||
		    field__hi(s) == field__lo(s) || !path__child_of(s->member, f->member, plen))
			continue;
		if (field__overlap(s, f))
			overlap = true;
		else
			disjoint = true;
	}
	if (in_union)
		return field__lo(f) != parent_lo || disjoint ? SHAPE_ANON_STRUCT : SHAPE_DIRECT;
	return overlap ? SHAPE_ANON_UNION : SHAPE_DIRECT;
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

/* Do two member paths have the same parent ("hypercall.pad", "hypercall.flags")? */
static bool path__siblings(const char *p, const char *q)
{
	size_t lp = (size_t)(leaf__of(p) - p), lq = (size_t)(leaf__of(q) - q);

	return lp == lq && !strncmp(p, q, lp);
}

/* A field of B beside fa (the same parent), new in B and not yet accounted for, at exactly
 * fa's place with fa's type (a rename), else one that overlaps fa's bytes (padding absorbed
 * into it); NULL if none. */
static const struct mrec *field__successor(struct diff_ctx *x, const struct mrec *fa,
					   const char *type, const char *btype, bool *exact)
{
	const struct mrec *cover = NULL;

	for (size_t i = 0; i < x->b->nrecs; i++) {
		const struct mrec *fb = &x->b->recs[i];

		if (x->bused[i] || !field__added(x->a, fb, type, btype) || !field__overlap(fa, fb) ||
		    !path__siblings(fa->member, fb->member))
			continue;
		if (fb->is_bitfield == fa->is_bitfield && field__lo(fb) == field__lo(fa) &&
		    field__hi(fb) == field__hi(fa) && spell__same(fa->text, fb->text)) {
			*exact = true;
			x->bused[i] = true;
			return fb;
		}
		if (!cover)
			cover = fb;
	}
	*exact = false;
	return cover;
}

static void diff__field_gone(struct diff_ctx *x, const struct mrec *fa, const char *type,
			     const char *btype, const char *da)
{
	bool exact, pad = is_padding_name(fa->member);
	const struct mrec *s;

	if (field__zero_size(fa)) {
		report__add(x->d, DIFF_NEUTRAL, "field", type, fa->member,
			    "zero-size member removed (was %s)", da);
		return;
	}
	s = field__successor(x, fa, type, btype, &exact);
	if (s && exact)
		report__add(x->d, pad ? DIFF_NEUTRAL : DIFF_API, "field", type, fa->member,
			    "%s renamed to '%s' (same offset, size and type)", pad ? "padding" : "member",
			    s->member);
	else if (s && pad)
		report__add(x->d, DIFF_NEUTRAL, "field", type, fa->member,
			    "padding (was %s) is now part of '%s'", da, s->member);
	else if (s)
		report__add(x->d, DIFF_API, "field", type, fa->member,
			    "removed (was %s); its bytes are now part of '%s'", da, s->member);
	else
		report__add(x->d, DIFF_API, "field", type, fa->member, "removed (was %s)", da);
}

static bool field__bytes_differ(const struct mrec *fa, const struct mrec *fb)
{
	return fa->is_bitfield != fb->is_bitfield || fa->bitoffset != fb->bitoffset ||
	       fa->bitsize != fb->bitsize || fa->size != fb->size;
}

static void diff__field_pair(struct diff_ctx *x, const struct mrec *fa, const struct mrec *fb,
			     const char *type, const char *da)
{
	enum field_shape sa, sb;
	char db[256];

	field__describe(fb, db, sizeof(db));
	if (field__bytes_differ(fa, fb)) {
		report__add(x->d, DIFF_INCOMPATIBLE, "field", type, fa->member, "%s -> %s", da, db);
		return;
	}
	/* the spelling and the Rust path are two differences: each gets its line */
	if (fa->flex != fb->flex || !spell__same(fa->text, fb->text)) {
		if (spell__flex_same(fa->text, fb->text))
			report__add(x->d, DIFF_NEUTRAL, "field", type, fa->member,
				    "flexible array spelled %s -> %s", fa->text, fb->text);
		else
			report__add(x->d, DIFF_API, "field", type, fa->member,
				    "type %s -> %s (same size)", fa->text, fb->text);
	}
	/* Rust paths are the bindings' own: the kernel's view of a type has none */
	if ((x->d->o && x->d->o->api_is_incompatible) || x->moved)
		return;
	sa = field__shape(x->a, fa);
	sb = field__shape(x->b, fb);
	if (sa != sb)
		report__add(x->d, DIFF_API, "field", type, fa->member,
			    "Rust path changed: %s, now %s (bindgen's __bindgen_anon_N)",
			    shape_names[sa], shape_names[sb]);
}

static void diff__fields(struct diff_ctx *x, const char *type, const char *btype)
{
	const struct manifest *a = x->a, *b = x->b;
	char da[256], db[256];

	x->moved = false;
	for (size_t i = 0; i < a->nrecs && !x->moved; i++) {
		const struct mrec *fa = &a->recs[i], *fb;

		if (fa->kind == MREC_FIELD && !strcmp(fa->key, type) &&
		    (fb = manifest__find(b, MREC_FIELD, btype, fa->member)))
			x->moved = field__bytes_differ(fa, fb);
	}
	for (size_t i = 0; i < a->nrecs; i++) {
		const struct mrec *fa = &a->recs[i], *fb;

		if (fa->kind != MREC_FIELD || strcmp(fa->key, type))
			continue;
		fb = manifest__find(b, MREC_FIELD, btype, fa->member);
		field__describe(fa, da, sizeof(da));
		if (fb)
			diff__field_pair(x, fa, fb, type, da);
		else
			diff__field_gone(x, fa, type, btype, da);
	}
	/* added fields; members of an added field fold into its line (kvm_run.tdx and its 14) */
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct mrec *fb = &b->recs[i];
		unsigned nested = 0;
		bool folded = false;

		if (x->bused[i] || !field__added(a, fb, type, btype))
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
		if (field__zero_size(fb) && !nested)
			report__add(x->d, DIFF_NEUTRAL, "field", type, fb->member,
				    "zero-size member added (%s)", db);
		else if (nested)
			report__add(x->d, DIFF_ADDED, "field", type, fb->member,
				    "added (%s) with %u members", db, nested);
		else
			report__add(x->d, DIFF_ADDED, "field", type, fb->member, "added (%s)", db);
	}
}

static void diff__types(struct diff_ctx *x)
{
	const struct manifest *a = x->a, *b = x->b;
	bool dbg = x->d->o && x->d->o->b_is_debuginfo;

	for (size_t i = 0; i < a->nrecs; i++) {
		const struct mrec *ta = &a->recs[i], *tb;

		if (ta->kind != MREC_TYPE)
			continue;
		tb = type__find(b, ta->key);
		if (!tb) {
			if (dbg)
				report__add_name(x->d, ta->key);
			else
				report__add(x->d, DIFF_API, "type", ta->key, NULL, "removed");
			continue;
		}
		if (ta->size != tb->size)
			report__add(x->d, DIFF_INCOMPATIBLE, "type", ta->key, NULL,
				    "size %" PRIu64 " -> %" PRIu64, ta->size, tb->size);
		if (ta->align != tb->align)
			report__add(x->d, DIFF_INCOMPATIBLE, "type", ta->key, NULL,
				    "alignment %" PRIu64 " -> %" PRIu64, ta->align, tb->align);
		diff__fields(x, ta->key, tb->key);
	}
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct mrec *tb = &b->recs[i];

		if (tb->kind == MREC_TYPE && !type__find(a, tb->key))
			report__add(x->d, DIFF_ADDED, "type", tb->key, NULL,
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

/* The length of the prefix a sentinel bounds ("KVM_DEV_TYPE_" of KVM_DEV_TYPE_MAX,
 * "KVM_SEV_" of KVM_SEV_NR_MAX), or 0 when name is no sentinel. */
static size_t sentinel__prefix(const char *name)
{
	size_t n = strlen(name);

	if (n > 7 && !strcmp(name + n - 7, "_NR_MAX"))
		return n - 6;
	if (n > 4 && !strcmp(name + n - 4, "_MAX"))
		return n - 3;
	return 0;
}

static int const__by_value_desc(const void *x, const void *y)
{
	const struct mrec *a = *(const struct mrec *const *)x, *b = *(const struct mrec *const *)y;

	return a->value < b->value ? 1 : a->value > b->value ? -1 : strcmp(a->key, b->key);
}

/* A sentinel that grew from ra to rb because its list did: the entries of its prefix with
 * values in [old, new) are all new in B, the last is new - 1, and A's list ended at old - 1.
 * The new entries are named in why, the highest first. */
static bool sentinel__grew(const struct manifest *a, const struct manifest *b, const struct mrec *ra,
			   const struct mrec *rb, struct sbuf *why)
{
	size_t plen = sentinel__prefix(ra->key), nnew = 0;
	const struct mrec **news;
	bool top_a = false, ok;

	if (!plen || rb->value <= ra->value)
		return false;
	news = calloc(b->nrecs + 1, sizeof(*news));
	if (!news) {
		why->oom = true;
		return false;
	}
	ok = true;
	for (size_t i = 0; ok && i < b->nrecs; i++) {
		const struct mrec *r = &b->recs[i];

		if (r->kind != MREC_CONST || strncmp(r->key, ra->key, plen) ||
		    sentinel__prefix(r->key) || r->value < ra->value || r->value >= rb->value)
			continue;
		if (manifest__find(a, MREC_CONST, r->key, NULL))
			ok = false;
		news[nnew++] = r;
	}
	for (size_t i = 0; i < a->nrecs; i++) {
		const struct mrec *r = &a->recs[i];

		top_a |= r->kind == MREC_CONST && !strncmp(r->key, ra->key, plen) &&
			 !sentinel__prefix(r->key) && r->value == ra->value - 1;
	}
	qsort(news, nnew, sizeof(*news), const__by_value_desc);
	ok = ok && nnew && top_a && news[0]->value == rb->value - 1;
	for (size_t i = 0; ok && i < nnew && i < 4; i++)
		sbuf__addf(why, "%s%s", i ? ", " : "", news[i]->key);
	if (ok && nnew > 4)
		sbuf__addf(why, " and %zu more", nnew - 4);
	free(news);
	return ok;
}

static void diff__consts(struct diff_ctx *x)
{
	const struct manifest *a = x->a, *b = x->b;
	char va[32], vb[32];

	for (size_t i = 0; i < a->nrecs; i++) {
		const struct mrec *ra = &a->recs[i], *rb;
		struct sbuf why = SBUF_INIT;

		if (ra->kind != MREC_CONST)
			continue;
		rb = manifest__find(b, MREC_CONST, ra->key, NULL);
		const__str(ra, va, sizeof(va));
		if (!rb) {
			/* bindgen drops every constant a function-like macro defines
			 * (KVM_DIRTY_GFN_F_DIRTY = _BITUL(0)): a user of it cannot name it */
			report__add(x->d, DIFF_API, "const", ra->key, NULL, "not in B (was %s)", va);
			continue;
		}
		const__str(rb, vb, sizeof(vb));
		if (ra->value == rb->value)
			continue;
		if (sentinel__grew(a, b, ra, rb, &why))
			report__add(x->d, DIFF_SENTINEL, "const", ra->key, NULL,
				    "value %s -> %s: the list it bounds grew by %s", va, vb,
				    sbuf__str(&why));
		else
			report__add(x->d, DIFF_INCOMPATIBLE, "const", ra->key, NULL, "value %s -> %s",
				    va, vb);
		if (why.oom)
			x->d->error = -ENOMEM;
		sbuf__fini(&why);
	}
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct mrec *rb = &b->recs[i];

		if (rb->kind != MREC_CONST || manifest__find(a, MREC_CONST, rb->key, NULL))
			continue;
		const__str(rb, vb, sizeof(vb));
		report__add(x->d, DIFF_ADDED, "const", rb->key, NULL, "added (%s)", vb);
	}
}

static void diff__ioctls(struct diff_ctx *x)
{
	const struct manifest *a = x->a, *b = x->b;

	for (size_t i = 0; i < a->nrecs; i++) {
		const struct mrec *ra = &a->recs[i], *rb;

		if (ra->kind != MREC_IOCTL)
			continue;
		rb = manifest__find(b, MREC_IOCTL, ra->key, NULL);
		if (!rb) {
			report__add(x->d, DIFF_API, "ioctl", ra->key, NULL, "removed (was 0x%08" PRIx32
				    " arg=%s)", ra->number, ra->text);
			continue;
		}
		if (ra->number != rb->number)
			report__add(x->d, DIFF_INCOMPATIBLE, "ioctl", ra->key, NULL,
				    "number 0x%08" PRIx32 " (dir=%s nr=0x%02" PRIx32 " size=%" PRIu64
				    ") -> 0x%08" PRIx32 " (dir=%s nr=0x%02" PRIx32 " size=%" PRIu64 ")",
				    ra->number, ioctl__dir_name(ra->dir), ra->nr, ra->size, rb->number,
				    ioctl__dir_name(rb->dir), rb->nr, rb->size);
		else if (!spell__same(ra->text, rb->text))
			report__add(x->d, DIFF_API, "ioctl", ra->key, NULL,
				    "argument %s -> %s (the same number)", ra->text, rb->text);
	}
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct mrec *rb = &b->recs[i];

		if (rb->kind == MREC_IOCTL && !manifest__find(a, MREC_IOCTL, rb->key, NULL))
			report__add(x->d, DIFF_ADDED, "ioctl", rb->key, NULL, "added (0x%08" PRIx32
				    " arg=%s)", rb->number, rb->text);
	}
}

/* Kernel debug info has no ioctls, but it has the argument types: the size an ioctl number
 * encodes must be the kernel's size of its argument type. */
static void diff__ioctl_sizes(struct diff_ctx *x)
{
	for (size_t i = 0; i < x->a->nrecs; i++) {
		const struct mrec *ra = &x->a->recs[i], *tb;

		if (ra->kind != MREC_IOCTL || !ra->text || strchr(ra->text, '*'))
			continue;
		tb = type__find(x->b, ra->text);
		if (tb && tb->size != ra->size && ra->size != 0)
			report__add(x->d, DIFF_INCOMPATIBLE, "ioctl", ra->key, NULL,
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
	struct diff_ctx x = { .d = &d, .a = a, .b = b };
	const char *aa, *ba;
	bool dbg = opts && opts->b_is_debuginfo;

	memset(counts, 0, sizeof(*counts));
	manifest__sort(a);
	manifest__sort(b);
	x.bused = calloc(b->nrecs + 1, sizeof(*x.bused));
	if (!x.bused)
		return -ENOMEM;
	aa = manifest__meta(a, "arch");
	ba = manifest__meta(b, "arch");
	if (aa && ba && strcmp(aa, ba))
		report__note(&d, "warning: comparing arch %s with arch %s", aa, ba);
	diff__types(&x);
	/* Each kind is compared where B carries it: kernel debug info and a DWARF view carry no
	 * constants or ioctls, bindgen's bindings.rs carries constants but no ioctls. Where B has
	 * no ioctls, the sizes they encode are checked against B's types instead. */
	if (!dbg && manifest__has_kind(b, MREC_CONST))
		diff__consts(&x);
	if (!dbg && manifest__has_kind(b, MREC_IOCTL))
		diff__ioctls(&x);
	else
		diff__ioctl_sizes(&x);
	if ((dbg || !manifest__has_kind(b, MREC_CONST)) && manifest__has_kind(a, MREC_CONST))
		report__note(&d, "note: B has no constants: they are not compared");
	if ((dbg || !manifest__has_kind(b, MREC_IOCTL)) && manifest__has_kind(a, MREC_IOCTL))
		report__note(&d, "note: B has no ioctls: only the argument sizes they encode are "
			     "compared, against B's types");
	free(x.bused);
	return report__finish(&d, a, b, counts);
}
