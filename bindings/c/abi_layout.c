/* abi_layout.c - the types of a manifest as C definitions for kvm_abi.h (abi_write.c).
 *
 * A manifest keeps only facts (absolute offsets, sizes, paths with anonymous members
 * transparent), so each type is rebuilt: the members of one level, sorted by bit offset, are
 * grouped into runs that overlap (an anonymous union) or follow each other (members of a struct);
 * a union's members are split into alternatives that each follow each other (an anonymous struct
 * each). The compiler's natural placement is predicted and explicit padding
 * (__kvmgate_pad_<offset>) fills every gap; where the natural placement cannot reach an offset,
 * the level is packed, and where the natural alignment differs from the manifest's, an aligned
 * attribute sets it. Types are defined before the types that contain them. bindings/abi_test
 * checks the result against <linux/kvm.h>. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "abi_layout.h"

#define NOT_NATURAL 1	/* a level cannot be laid out without packing */

struct item {
	const struct mrec *r;
	const char *name;	/* the member's name at its level */
	char base[128];		/* the type without extents: "__u64", "struct <anonymous>" */
	const char *ext;	/* the extents as in the manifest: "[24]", "[]", "" */
	uint64_t nelem;		/* product of the extents (1 without; 0 for [] and [0]) */
	unsigned ndims;
	uint64_t bo, be;	/* bit range [bo, be) */
	struct item **kids;	/* members of an anonymous aggregate (of element 0 of an array) */
	size_t nkids;
	bool anon, anon_union;
};

struct abi {
	const struct manifest *m;
	const char *type;	/* the type being rendered */
	struct sbuf pads;	/* its padding names so far, each followed by '\n' */
	char *err;
	size_t errlen;
	int failed;		/* -EINVAL once err is set */
};

static int abi__fail(struct abi *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int abi__fail(struct abi *a, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (a->failed)
		return -EINVAL;
	n = snprintf(a->err, a->errlen, "%s: ", a->type);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < a->errlen)
		vsnprintf(a->err + n, a->errlen - n, fmt, ap);
	va_end(ap);
	a->failed = -EINVAL;
	return -EINVAL;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return a > 1 ? (v + a - 1) / a * a : v;
}

/* ---- types ---- */

static const struct { const char *name; unsigned size; } builtins[] = {
	{ "__u8", 1 }, { "__s8", 1 }, { "char", 1 }, { "signed char", 1 }, { "unsigned char", 1 },
	{ "_Bool", 1 }, { "__u16", 2 }, { "__s16", 2 }, { "__le16", 2 }, { "__be16", 2 },
	{ "short", 2 }, { "unsigned short", 2 }, { "__u32", 4 }, { "__s32", 4 }, { "__le32", 4 },
	{ "__be32", 4 }, { "__wsum", 4 }, { "int", 4 }, { "unsigned int", 4 }, { "float", 4 },
	{ "__u64", 8 }, { "__s64", 8 }, { "__le64", 8 }, { "__be64", 8 }, { "long", 8 },
	{ "unsigned long", 8 }, { "long long", 8 }, { "unsigned long long", 8 }, { "double", 8 },
	{ "__kernel_size_t", 8 }, { "__kernel_long_t", 8 }, { "__kernel_ulong_t", 8 },
	{ "__uint128_t", 16 }, { "__int128_t", 16 }, { "unsigned __int128", 16 },
	{ "__int128", 16 },
};

/* A type linux/types.h defines (a typedef of linux/posix_types.h): never redefined. */
bool abi__from_linux_types(const char *key)
{
	if (!strncmp(key, "struct ", 7))
		key += 7;
	else if (!strncmp(key, "union ", 6))
		key += 6;
	return !strncmp(key, "__kernel_", 9);
}

/* The C spelling of a type key: a typedef that a bindings.rs reader called "struct X" is X. */
const char *abi__type_spelling(const char *base)
{
	if (abi__from_linux_types(base) && strchr(base, ' '))
		return strchr(base, ' ') + 1;
	return base;
}

/* Size and alignment of a named (not anonymous) type on the LP64 targets; -EINVAL unknown. */
static int type__measure(struct abi *a, const char *base, uint64_t *size, uint64_t *align)
{
	const struct mrec *t;

	if (strchr(base, '*')) {
		*size = *align = 8;
		return 0;
	}
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(builtins[i].name, base)) {
			*size = *align = builtins[i].size;
			return 0;
		}
	t = manifest__find(a->m, MREC_TYPE, base, NULL);
	if (!t && abi__from_linux_types(base))	/* "struct __kernel_fsid_t" <-> "__kernel_fsid_t" */
		t = manifest__find(a->m, MREC_TYPE, abi__type_spelling(base), NULL);
	if (!t)
		return abi__fail(a, "field type '%s' has no type record", base);
	*size = t->size;
	*align = t->align ? t->align : 1;
	return 0;
}

/* ---- the member tree of a type ---- */

static void item__free(struct item *it)
{
	for (size_t i = 0; i < it->nkids; i++)
		item__free(it->kids[i]);
	free(it->kids);
	free(it);
}

static void items__free(struct item **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		item__free(v[i]);
	free(v);
}

static int items__build(struct abi *a, const struct mrec *f, size_t nf, const char *prefix,
			struct item ***out, size_t *nout);

static int item__new(struct abi *a, const struct mrec *f, size_t nf, const struct mrec *r,
		     const char *name, struct item **out)
{
	struct item *it = calloc(1, sizeof(*it));
	const char *br = strchr(r->text, '[');
	size_t blen = br ? (size_t)(br - r->text) : strlen(r->text);
	char *prefix;
	int ret;

	if (!it)
		return -ENOMEM;
	it->r = r;
	it->name = name;
	while (blen && r->text[blen - 1] == ' ')
		blen--;
	if (blen >= sizeof(it->base)) {
		free(it);
		return abi__fail(a, "%s: type '%s' too long", r->member, r->text);
	}
	memcpy(it->base, r->text, blen);
	it->ext = br ? br : "";
	it->nelem = 1;
	for (const char *p = it->ext; *p == '['; p = strchr(p, ']') + 1) {
		it->nelem *= strtoull(p + 1, NULL, 10);
		it->ndims++;
		if (!strchr(p, ']')) {
			free(it);
			return abi__fail(a, "%s: malformed array type '%s'", r->member, r->text);
		}
	}
	it->anon = strstr(it->base, "<anonymous>") != NULL;
	it->anon_union = it->anon && !strncmp(it->base, "union", 5);
	if (r->is_bitfield) {
		it->bo = r->bitoffset;
		it->be = r->bitoffset + r->bitsize;
	} else {
		it->bo = r->offset * 8;
		it->be = (r->offset + r->size) * 8;
	}
	*out = it;
	if (!it->anon)
		return 0;
	/* members of element 0 stand for all: "redirtbl[0].bits" */
	prefix = malloc(strlen(r->member) + 3 * it->ndims + 2);
	if (!prefix)
		return -ENOMEM;
	strcpy(prefix, r->member);
	for (unsigned d = 0; d < it->ndims; d++)
		strcat(prefix, "[0]");
	strcat(prefix, ".");
	ret = items__build(a, f, nf, prefix, &it->kids, &it->nkids);
	free(prefix);
	return ret;
}

/* The members at the level of prefix ("" for the type itself): fields whose path is prefix and
 * one more name, in manifest order (bit offset, then path). */
static int items__build(struct abi *a, const struct mrec *f, size_t nf, const char *prefix,
			struct item ***out, size_t *nout)
{
	size_t plen = strlen(prefix), n = 0;
	struct item **v = calloc(nf ? nf : 1, sizeof(*v));
	int ret = 0;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < nf && !ret; i++) {
		const char *rest = f[i].member;

		if (strncmp(rest, prefix, plen) || strchr(rest + plen, '.') || !rest[plen])
			continue;
		ret = item__new(a, f, nf, &f[i], rest + plen, &v[n]);
		if (v[n])
			n++;
	}
	*out = v;
	*nout = n;
	return ret;
}

/* ---- rendering ---- */

static void indent(struct sbuf *sb, int ind)
{
	for (int i = 0; i < ind; i++)
		sbuf__add(sb, "\t");
}

/* A padding member's name, unique in the type being rendered. */
static void pad__name(struct abi *a, uint64_t off, char *name, size_t len)
{
	char probe[80];

	if (!a->pads.len)
		sbuf__add(&a->pads, "\n");
	for (unsigned k = 0;; k++) {
		if (k)
			snprintf(name, len, "__kvmgate_pad_%" PRIu64 "_%u", off, k);
		else
			snprintf(name, len, "__kvmgate_pad_%" PRIu64, off);
		snprintf(probe, sizeof(probe), "\n%s\n", name);
		if (!strstr(sbuf__str(&a->pads), probe))
			break;
	}
	sbuf__addf(&a->pads, "%s\n", name);
}

static void pad__bytes(struct abi *a, struct sbuf *sb, int ind, uint64_t off, uint64_t n)
{
	char name[64];

	pad__name(a, off, name, sizeof(name));
	indent(sb, ind);
	sbuf__addf(sb, "__u8 %s[%" PRIu64 "];\n", name, n);
}

static int agg__render(struct abi *a, struct item **it, size_t n, bool is_union, uint64_t start,
		       uint64_t target_size, uint64_t target_align, int ind, struct sbuf *sb,
		       uint64_t *sizep, uint64_t *alignp);

/* The declaration of one member; its size and alignment (for an anonymous type: as rendered). */
static int item__render(struct abi *a, struct item *it, int ind, struct sbuf *sb, uint64_t *sizep,
			uint64_t *alignp)
{
	uint64_t esize, ealign;
	int ret;

	indent(sb, ind);
	if (it->anon) {
		uint64_t target = it->nelem ? it->r->size / it->nelem : 0;

		ret = agg__render(a, it->kids, it->nkids, it->anon_union, it->r->offset, target, 0,
				  ind, sb, &esize, &ealign);
		if (ret)
			return ret;
		sbuf__add(sb, " ");
	} else {
		ret = type__measure(a, it->base, &esize, &ealign);
		if (ret)
			return ret;
		sbuf__addf(sb, "%s%s", abi__type_spelling(it->base),
			   it->base[strlen(it->base) - 1] == '*' ? "" : " ");
	}
	sbuf__addf(sb, "%s%s", it->name, it->ext);
	if (it->r->is_bitfield)
		sbuf__addf(sb, " : %" PRIu32, it->r->bitsize);
	sbuf__add(sb, ";\n");
	*sizep = esize * it->nelem;
	*alignp = ealign;
	if (!it->r->is_bitfield && !it->r->flex && *sizep != it->r->size)
		return abi__fail(a, "%s: size %" PRIu64 " but its type makes %" PRIu64,
				 it->r->member, it->r->size, *sizep);
	return 0;
}

/* A bitfield at the level's bit cursor *cur: the gap before it as padding, then the member. */
static int bitfield__place(struct abi *a, struct item *it, bool packed, int ind, struct sbuf *sb,
			   uint64_t *cur, uint64_t *align)
{
	uint64_t size, al, unit, b = it->bo, w = it->r->bitsize, np;
	int ret = type__measure(a, it->base, &size, &al);

	if (ret)
		return ret;
	unit = size * 8;
	if (*cur > b)
		return NOT_NATURAL;
	if (*cur < b) {
		if (*cur % 8 == 0 && b % 8 == 0) {
			pad__bytes(a, sb, ind, *cur / 8, (b - *cur) / 8);
		} else if (packed || *cur / unit == (b - 1) / unit) {
			indent(sb, ind);
			sbuf__addf(sb, "%s : %" PRIu64 ";\n", abi__type_spelling(it->base), b - *cur);
		} else {
			return NOT_NATURAL;
		}
		*cur = b;
	}
	np = packed || w == 0 || *cur / unit == (*cur + w - 1) / unit ? *cur : align_up(*cur, unit);
	if (np != b)
		return NOT_NATURAL;
	ret = item__render(a, it, ind, sb, &size, &al);
	if (ret)
		return ret;
	if (!packed && al > *align)
		*align = al;
	*cur = b + w;
	return 0;
}

/* Place a rendered unit of the given size and alignment at byte offset o, after padding. */
static int unit__place(struct abi *a, uint64_t o, uint64_t al, bool packed, int ind,
		       struct sbuf *sb, uint64_t *cur)
{
	uint64_t cb = (*cur + 7) / 8, p = align_up(cb, packed ? 1 : al);

	if (p > o)
		return NOT_NATURAL;
	if (p < o) {
		pad__bytes(a, sb, ind, cb, o - cb);
		if (align_up(o, packed ? 1 : al) != o)
			return NOT_NATURAL;
	}
	return 0;
}

static bool item__is_flex(const struct item *it)
{
	return it->r->flex;
}

/* The members of a struct level, starting at byte start: runs of members that overlap become
 * anonymous unions; gaps become padding. *cur is the bit cursor at the end. */
static int seq__render(struct abi *a, struct item **it, size_t n, uint64_t start, bool packed,
		       int ind, struct sbuf *sb, uint64_t *cur, uint64_t *align)
{
	bool named = false;
	int ret;

	*cur = start * 8;
	*align = 1;
	for (size_t i = 0, j; i < n; i = j) {
		uint64_t cend = it[i]->be, size, al;
		struct sbuf u = SBUF_INIT;

		for (j = i + 1; j < n && it[j]->bo < cend; j++)
			if (it[j]->be > cend)
				cend = it[j]->be;
		if (j - i == 1 && it[i]->r->is_bitfield) {
			ret = bitfield__place(a, it[i], packed, ind, sb, cur, align);
			if (ret)
				return ret;
			named = true;
			continue;
		}
		if (it[i]->bo % 8)
			return NOT_NATURAL;
		if (j - i == 1) {
			if (item__is_flex(it[i]) && !named) {
				/* a flexible array needs a named member before it */
				char name[64];

				pad__name(a, it[i]->bo / 8, name, sizeof(name));
				indent(sb, ind);
				sbuf__addf(sb, "struct { } %s;\n", name);
			}
			ret = item__render(a, it[i], ind, &u, &size, &al);
		} else {
			ret = agg__render(a, it + i, j - i, true, it[i]->bo / 8, 0, 0, ind, &u, &size,
					  &al);
			sbuf__add(&u, ";\n");
		}
		if (!ret)
			ret = unit__place(a, it[i]->bo / 8, al, packed, ind, sb, cur);
		if (ret) {
			sbuf__fini(&u);
			return ret;
		}
		if (j - i > 1)
			indent(sb, ind);
		sbuf__add(sb, sbuf__str(&u));
		sbuf__fini(&u);
		if (!packed && al > *align)
			*align = al;
		*cur = (it[i]->bo / 8 + size) * 8;
		named = true;
	}
	return 0;
}

/* The members of a union level at byte start: each alternative is a run of members that follow
 * each other; one that is a single member at start is that member, others anonymous structs. */
static int union__render(struct abi *a, struct item **it, size_t n, uint64_t start, bool packed,
			 int ind, struct sbuf *sb, uint64_t *sizep, uint64_t *align)
{
	struct item ***alt = calloc(n ? n : 1, sizeof(*alt));
	size_t *nalt = calloc(n ? n : 1, sizeof(*nalt)), nalts = 0;
	int ret = -ENOMEM;

	*sizep = 0;
	*align = 1;
	if (!alt || !nalt)
		goto out;
	for (size_t i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < nalts; k++) {
			struct item *last = alt[k][nalt[k] - 1];

			if (!item__is_flex(last) && last->be <= it[i]->bo)
				break;
		}
		if (k == nalts) {
			alt[k] = calloc(n, sizeof(**alt));
			if (!alt[k])
				goto out;
			nalts++;
		}
		alt[k][nalt[k]++] = it[i];
	}
	for (size_t k = 0; k < nalts; k++) {
		struct item *first = alt[k][0];
		uint64_t size, al;

		if (nalt[k] == 1 && first->bo == start * 8 && !item__is_flex(first)) {
			ret = item__render(a, first, ind, sb, &size, &al);
			if (ret)
				goto out;
			if (first->r->is_bitfield) {
				size = (first->r->bitsize + 7) / 8;
				if (packed)
					al = 1;
			}
		} else {
			indent(sb, ind);
			ret = agg__render(a, alt[k], nalt[k], false, start, 0, 0, ind, sb, &size, &al);
			if (ret)
				goto out;
			sbuf__add(sb, ";\n");
		}
		if (size > *sizep)
			*sizep = size;
		if (!packed && al > *align)
			*align = al;
	}
	ret = 0;
out:
	for (size_t k = 0; alt && k < nalts; k++)
		free(alt[k]);
	free(alt);
	free(nalt);
	return ret;
}

static int agg__try(struct abi *a, struct item **it, size_t n, bool is_union, uint64_t start,
		    uint64_t target_size, uint64_t target_align, bool packed, int ind,
		    struct sbuf *sb, uint64_t *sizep, uint64_t *alignp)
{
	struct sbuf body = SBUF_INIT;
	uint64_t size, al, cur, final_al;
	int ret;

	if (is_union) {
		ret = union__render(a, it, n, start, packed, ind + 1, &body, &size, &al);
		if (!ret && target_size > size) {
			pad__bytes(a, &body, ind + 1, start, target_size);
			size = target_size;
		}
	} else {
		ret = seq__render(a, it, n, start, packed, ind + 1, &body, &cur, &al);
		size = (cur + 7) / 8 - start;
		if (!ret && target_size > size) {
			pad__bytes(a, &body, ind + 1, start + size, target_size - size);
			size = target_size;
		}
	}
	if (ret)
		goto out;
	if (target_align && al > target_align) {
		ret = NOT_NATURAL;
		goto out;
	}
	final_al = target_align && target_align > al ? target_align : al;
	size = align_up(size, final_al);
	if (target_size && size != target_size) {
		ret = NOT_NATURAL;
		goto out;
	}
	sbuf__add(sb, is_union ? "union " : "struct ");
	if (packed && final_al > 1)
		sbuf__addf(sb, "__attribute__((packed, aligned(%" PRIu64 "))) ", final_al);
	else if (packed)
		sbuf__add(sb, "__attribute__((packed)) ");
	else if (final_al > al)
		sbuf__addf(sb, "__attribute__((aligned(%" PRIu64 "))) ", final_al);
	sbuf__addf(sb, "{\n%s", sbuf__str(&body));
	indent(sb, ind);
	sbuf__add(sb, "}");
	*sizep = size;
	*alignp = final_al;
out:
	sbuf__fini(&body);
	return ret;
}

/* An aggregate ("struct {" … "}", no name) of members it[0..n) starting at byte start, of
 * target_size bytes (0: natural) and target_align (0: natural); packed only where needed. */
static int agg__render(struct abi *a, struct item **it, size_t n, bool is_union, uint64_t start,
		       uint64_t target_size, uint64_t target_align, int ind, struct sbuf *sb,
		       uint64_t *sizep, uint64_t *alignp)
{
	size_t len = a->pads.len;
	int ret = agg__try(a, it, n, is_union, start, target_size, target_align, false, ind, sb,
			   sizep, alignp);

	if (ret != NOT_NATURAL)
		return ret;
	/* forget the padding names of the failed try */
	if (a->pads.s) {
		a->pads.len = len;
		a->pads.s[len] = '\0';
	}
	ret = agg__try(a, it, n, is_union, start, target_size, target_align, true, ind, sb, sizep,
		       alignp);
	if (ret == NOT_NATURAL)
		return abi__fail(a, "no C layout gives the manifest's offsets%s",
				 it && n ? " (near the members it names)" : "");
	return ret;
}

/* The fields of type t: the records right after its type record in the sorted manifest. */
static const struct mrec *type__fields(const struct manifest *m, const struct mrec *t, size_t *n)
{
	const struct mrec *f = t + 1, *end = m->recs + m->nrecs;

	*n = 0;
	while (f + *n < end && f[*n].kind == MREC_FIELD && !strcmp(f[*n].key, t->key))
		(*n)++;
	return f;
}

static int enum__render(const struct mrec *t, struct sbuf *sb)
{
	const char *name = t->key + 5;

	switch (t->size) {
	case 1:
		sbuf__addf(sb, "enum __attribute__((packed)) %s { __kvmgate_%s = 0 };\n", name, name);
		break;
	case 2:
		sbuf__addf(sb, "enum __attribute__((packed)) %s { __kvmgate_%s = 0x100 };\n", name,
			   name);
		break;
	case 8:
		sbuf__addf(sb, "%s { __kvmgate_%s = 0x100000000ULL };\n", t->key, name);
		break;
	default:
		sbuf__addf(sb, "%s { __kvmgate_%s = 0 };\n", t->key, name);
		break;
	}
	return 0;
}

static int type__render(struct abi *a, const struct mrec *t, struct sbuf *sb)
{
	const struct mrec *f;
	struct item **it = NULL;
	size_t nf, n = 0;
	uint64_t size, align;
	struct sbuf body = SBUF_INIT;
	bool is_union = !strncmp(t->key, "union ", 6), is_typedef;
	int ret;

	a->type = t->key;
	sbuf__reset(&a->pads);
	if (!strncmp(t->key, "enum ", 5))
		return enum__render(t, sb);
	is_typedef = !is_union && strncmp(t->key, "struct ", 7);
	f = type__fields(a->m, t, &nf);
	ret = items__build(a, f, nf, "", &it, &n);
	if (!ret)
		ret = agg__render(a, it, n, is_union, 0, t->size, t->align, 0, &body, &size, &align);
	if (!ret && is_typedef) {
		/* a struct known by its typedef name only (members overlapping: in a union) */
		sbuf__addf(sb, "typedef %s %s;\n", sbuf__str(&body), t->key);
	} else if (!ret) {
		/* "struct {" -> "struct kvm_regs {", attributes kept after the keyword */
		const char *s = sbuf__str(&body), *brace = strchr(s, '{');

		sbuf__addf(sb, "%.*s%s %s;\n", (int)(brace - s), s, t->key + (is_union ? 6 : 7),
			   brace);
	}
	items__free(it, n);
	sbuf__fini(&body);
	return ret;
}

/* Depth first: the named types a type's members use by value are defined before it. */
static int type__emit(struct abi *a, size_t ti, unsigned char *state, struct sbuf *sb)
{
	const struct mrec *t = &a->m->recs[ti], *f;
	size_t nf;
	int ret;

	if (state[ti] == 2)
		return 0;
	if (state[ti] == 1) {
		a->type = t->key;
		return abi__fail(a, "contains itself");
	}
	state[ti] = 1;
	f = type__fields(a->m, t, &nf);
	for (size_t i = 0; i < nf; i++) {
		char base[128];
		const char *br = strchr(f[i].text, '[');
		size_t len = br ? (size_t)(br - f[i].text) : strlen(f[i].text);
		const struct mrec *dep;

		if (strchr(f[i].text, '*') || len >= sizeof(base))
			continue;
		memcpy(base, f[i].text, len);
		base[len] = '\0';
		dep = manifest__find(a->m, MREC_TYPE, base, NULL);
		if (dep && dep != t && (ret = type__emit(a, dep - a->m->recs, state, sb)))
			return ret;
	}
	state[ti] = 2;
	if (abi__from_linux_types(t->key))
		return 0;
	ret = type__render(a, t, sb);
	if (!ret)
		sbuf__add(sb, "\n");
	return ret;
}

int abi__types(const struct manifest *m, struct sbuf *out, char *err, size_t errlen)
{
	struct abi a = { .m = m, .type = "manifest", .err = err, .errlen = errlen };
	unsigned char *state = calloc(m->nrecs ? m->nrecs : 1, 1);
	int ret = 0;

	if (!state)
		return -ENOMEM;
	for (size_t i = 0; i < m->nrecs && !ret; i++)
		if (m->recs[i].kind == MREC_TYPE)
			ret = type__emit(&a, i, state, out);
	free(state);
	sbuf__fini(&a.pads);
	if (!ret && out->oom)
		ret = -ENOMEM;
	return ret;
}
