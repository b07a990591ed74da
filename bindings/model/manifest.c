/* manifest.c - the layout manifest model (manifest.h): append, sort, look up, move records. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "manifest.h"
#include "version.h"

void manifest__init(struct manifest *m)
{
	memset(m, 0, sizeof(*m));
}

void manifest__fini(struct manifest *m)
{
	for (size_t i = 0; i < m->nrecs; i++) {
		free(m->recs[i].key);
		free(m->recs[i].member);
		free(m->recs[i].text);
	}
	free(m->recs);
	manifest__init(m);
}

static struct mrec *manifest__new_rec(struct manifest *m, enum mrec_kind kind, const char *key,
				      const char *member, const char *text)
{
	struct mrec *r;

	if (ARRAY_GROW(m->recs, m->nrecs, m->cap, 256))
		return NULL;
	r = &m->recs[m->nrecs];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->key = strdup(key);
	r->member = member ? strdup(member) : NULL;
	r->text = text ? strdup(text) : NULL;
	if (!r->key || (member && !r->member) || (text && !r->text)) {
		free(r->key);
		free(r->member);
		free(r->text);
		return NULL;
	}
	m->nrecs++;
	return r;
}

int manifest__add_meta(struct manifest *m, const char *key, const char *value)
{
	return manifest__new_rec(m, MREC_META, key, NULL, value) ? 0 : -ENOMEM;
}

int manifest__add_type(struct manifest *m, const char *name, uint64_t size, uint64_t align)
{
	struct mrec *r = manifest__new_rec(m, MREC_TYPE, name, NULL, NULL);

	if (!r)
		return -ENOMEM;
	r->size = size;
	r->align = align;
	return 0;
}

int manifest__add_field(struct manifest *m, const char *owner, const char *path, const char *type,
			uint64_t offset, uint64_t size, bool flex)
{
	struct mrec *r = manifest__new_rec(m, MREC_FIELD, owner, path, type);

	if (!r)
		return -ENOMEM;
	r->offset = offset;
	r->bitoffset = offset * 8;
	r->size = size;
	r->flex = flex;
	return 0;
}

int manifest__add_bitfield(struct manifest *m, const char *owner, const char *path,
			   const char *type, uint64_t bitoffset, uint32_t bitsize)
{
	struct mrec *r = manifest__new_rec(m, MREC_FIELD, owner, path, type);

	if (!r)
		return -ENOMEM;
	r->is_bitfield = true;
	r->bitoffset = bitoffset;
	r->bitsize = bitsize;
	return 0;
}

int manifest__add_const(struct manifest *m, const char *name, int64_t value, bool is_unsigned)
{
	struct mrec *r = manifest__new_rec(m, MREC_CONST, name, NULL, NULL);

	if (!r)
		return -ENOMEM;
	r->value = value;
	r->value_unsigned = is_unsigned && value < 0;
	return 0;
}

void ioctl__decode(uint32_t number, uint32_t *dir, uint32_t *type, uint32_t *nr, uint32_t *size)
{
	*nr = number & 0xff;
	*type = (number >> 8) & 0xff;
	*size = (number >> 16) & 0x3fff;
	*dir = (number >> 30) & 0x3;
}

const char *ioctl__dir_name(uint32_t dir)
{
	static const char *const names[] = { "none", "W", "R", "RW" };

	return names[dir & 3];
}

int manifest__add_ioctl(struct manifest *m, const char *name, uint32_t number, const char *arg)
{
	struct mrec *r = manifest__new_rec(m, MREC_IOCTL, name, NULL, arg ? arg : "-");
	uint32_t size;

	if (!r)
		return -ENOMEM;
	r->number = number;
	ioctl__decode(number, &r->dir, &r->ioc_type, &r->nr, &size);
	r->size = size;
	return 0;
}

int manifest__add_uneval(struct manifest *m, const char *name, const char *reason)
{
	return manifest__new_rec(m, MREC_UNEVAL, name, NULL, reason) ? 0 : -ENOMEM;
}

/* Types sort by name without the tag ("kvm_regs" of "struct kvm_regs"), then by tag. */
static const char *type_sortname(const char *key)
{
	const char *sp = strchr(key, ' ');

	return sp ? sp + 1 : key;
}

static int group_of(const struct mrec *r)
{
	switch (r->kind) {
	case MREC_META:
		return 0;
	case MREC_TYPE:
	case MREC_FIELD:
		return 1;
	case MREC_CONST:
		return 2;
	case MREC_IOCTL:
		return 3;
	default:
		return 4;
	}
}

static int mrec__cmp(const void *pa, const void *pb)
{
	const struct mrec *a = pa, *b = pb;
	int ga = group_of(a), gb = group_of(b), c;

	if (ga != gb)
		return ga - gb;
	if (ga == 0)
		return 0; /* meta: keep insertion order (qsort is not stable: see below) */
	if (ga == 1) {
		c = strcmp(type_sortname(a->key), type_sortname(b->key));
		if (c)
			return c;
		c = strcmp(a->key, b->key);
		if (c)
			return c;
		if (a->kind != b->kind)
			return a->kind == MREC_TYPE ? -1 : 1;
		if (a->kind == MREC_TYPE)
			return 0;
		if (a->bitoffset != b->bitoffset)
			return a->bitoffset < b->bitoffset ? -1 : 1;
		return strcmp(a->member, b->member);
	}
	return strcmp(a->key, b->key);
}

static const char *const meta_order[] = { "arch", "kernel", "source", "tool" };

static int meta_rank(const char *key)
{
	for (size_t i = 0; i < sizeof(meta_order) / sizeof(meta_order[0]); i++)
		if (!strcmp(key, meta_order[i]))
			return (int)i;
	return 100;
}

#define CMP_FIELD(a, b, f) do { if ((a)->f != (b)->f) return (a)->f < (b)->f ? -1 : 1; } while (0)

/* Two records of the same key, by what they say (each field compared by itself). */
static int mrec__cmp_content(const struct mrec *a, const struct mrec *b)
{
	CMP_FIELD(a, b, size);
	CMP_FIELD(a, b, align);
	CMP_FIELD(a, b, offset);
	CMP_FIELD(a, b, bitoffset);
	CMP_FIELD(a, b, bitsize);
	CMP_FIELD(a, b, is_bitfield);
	CMP_FIELD(a, b, flex);
	CMP_FIELD(a, b, value);
	CMP_FIELD(a, b, value_unsigned);
	CMP_FIELD(a, b, number);
	if (!a->text != !b->text)
		return a->text ? 1 : -1;
	return a->text ? strcmp(a->text, b->text) : 0;
}

static int mrec__cmp_total(const void *pa, const void *pb)
{
	const struct mrec *a = pa, *b = pb;
	int c = mrec__cmp(pa, pb);

	if (c)
		return c;
	if (a->kind == MREC_META && b->kind == MREC_META) {
		c = meta_rank(a->key) - meta_rank(b->key);
		return c ? c : strcmp(a->key, b->key);
	}
	/* identical keys: order by content so the result is deterministic */
	return mrec__cmp_content(a, b);
}

bool mrec__same(const struct mrec *a, const struct mrec *b)
{
	return a->kind == b->kind && !strcmp(a->key, b->key) &&
	       !!a->member == !!b->member && (!a->member || !strcmp(a->member, b->member)) &&
	       !!a->text == !!b->text && (!a->text || !strcmp(a->text, b->text)) &&
	       a->size == b->size && a->align == b->align && a->offset == b->offset &&
	       a->bitoffset == b->bitoffset && a->bitsize == b->bitsize &&
	       a->is_bitfield == b->is_bitfield && a->flex == b->flex && a->value == b->value &&
	       a->number == b->number;
}

void manifest__sort(struct manifest *m)
{
	size_t o = 0, i = 1;

	if (!m->nrecs)
		return;
	/* sorted and without duplicates already (each writer of gen sorts it again): untouched,
	 * so that readers on other threads may share it */
	while (i < m->nrecs && mrec__cmp_total(&m->recs[i - 1], &m->recs[i]) < 0 &&
	       !mrec__same(&m->recs[i - 1], &m->recs[i]))
		i++;
	if (i == m->nrecs)
		return;
	qsort(m->recs, m->nrecs, sizeof(*m->recs), mrec__cmp_total);
	for (i = 0; i < m->nrecs; i++) {
		if (o && mrec__same(&m->recs[o - 1], &m->recs[i])) {
			free(m->recs[i].key);
			free(m->recs[i].member);
			free(m->recs[i].text);
			continue;
		}
		m->recs[o++] = m->recs[i];
	}
	m->nrecs = o;
}

const struct mrec *manifest__find(const struct manifest *m, enum mrec_kind kind, const char *key,
				  const char *member)
{
	size_t lo = 0, hi = m->nrecs;
	struct mrec probe = { .kind = kind, .key = (char *)key, .member = (char *)member };

	if (kind == MREC_META) {
		for (size_t i = 0; i < m->nrecs; i++)
			if (m->recs[i].kind == MREC_META && !strcmp(m->recs[i].key, key))
				return &m->recs[i];
		return NULL;
	}
	if (kind == MREC_FIELD) {
		/* fields sort by offset first: scan the type's run */
		for (size_t i = 0; i < m->nrecs; i++) {
			const struct mrec *r = &m->recs[i];

			if (r->kind == MREC_FIELD && !strcmp(r->key, key) && !strcmp(r->member, member))
				return r;
		}
		return NULL;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = mrec__cmp(&probe, &m->recs[mid]);

		if (!c)
			return &m->recs[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *manifest__meta(const struct manifest *m, const char *key)
{
	const struct mrec *r = manifest__find(m, MREC_META, key, NULL);

	return r ? r->text : NULL;
}

int manifest__add_std_meta(struct manifest *m, const char *arch, const char *kernel,
			   const char *source)
{
	int ret;

	if ((ret = manifest__add_meta(m, "arch", arch ? arch : "unknown")) ||
	    (ret = manifest__add_meta(m, "kernel", kernel ? kernel : "unknown")) ||
	    (ret = manifest__add_meta(m, "source", source)))
		return ret;
	return manifest__add_meta(m, "tool", "kvmgate " KVMGATE_VERSION);
}

int manifest__take(struct manifest *dst, struct manifest *src)
{
	struct mrec *recs;

	if (!dst->nrecs) {
		struct manifest empty = *dst;

		*dst = *src;
		*src = empty;
		return 0;
	}
	recs = realloc(dst->recs, (dst->nrecs + src->nrecs) * sizeof(*recs));
	if (!recs)
		return -ENOMEM;
	memcpy(recs + dst->nrecs, src->recs, src->nrecs * sizeof(*recs));
	dst->recs = recs;
	dst->nrecs += src->nrecs;
	dst->cap = dst->nrecs;
	free(src->recs);
	src->recs = NULL;
	src->nrecs = src->cap = 0;
	return 0;
}
