/* manifest_check.c - the facts of a manifest read from a file, checked against each other before
 * they are believed (manifest_text.c calls it): each record once, and nothing that no C type can
 * be. Every error names the line of the offending record (and of the one it contradicts).
 *
 * Checked: a record listed twice (the same copy, or two values for one key); a type whose size
 * is not a multiple of its alignment; a field, flexible array or bitfield that ends past its
 * type's size, or whose offset overflows; a field whose size is not that of its type (a builtin,
 * a pointer, an array of them, or a struct, union or enum of the manifest); a bitfield wider
 * than its type. Not checked: overlapping members — members of anonymous structs and unions are
 * transparent in the manifest (MANIFEST.md), so two members of a struct may legitimately share
 * bytes and the file does not say which do. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hset.h"
#include "manifest_check.h"

static const char *const kind_word[] = {
	[MREC_META] = "meta", [MREC_TYPE] = "type", [MREC_FIELD] = "field",
	[MREC_CONST] = "const", [MREC_IOCTL] = "ioctl", [MREC_UNEVAL] = "uneval",
};

/* Sizes in bytes of the builtin spellings a manifest uses (all three arches are LP64). */
static const struct {
	const char *name;
	unsigned size;
} builtins[] = {
	{ "__u8", 1 }, { "__s8", 1 }, { "char", 1 }, { "signed char", 1 }, { "unsigned char", 1 },
	{ "_Bool", 1 }, { "bool", 1 },
	{ "__u16", 2 }, { "__s16", 2 }, { "__le16", 2 }, { "__be16", 2 }, { "short", 2 },
	{ "unsigned short", 2 },
	{ "__u32", 4 }, { "__s32", 4 }, { "__le32", 4 }, { "__be32", 4 }, { "int", 4 },
	{ "unsigned int", 4 }, { "float", 4 },
	{ "__u64", 8 }, { "__s64", 8 }, { "__le64", 8 }, { "__be64", 8 }, { "long", 8 },
	{ "unsigned long", 8 }, { "long long", 8 }, { "unsigned long long", 8 }, { "double", 8 },
	{ "__kernel_size_t", 8 }, { "size_t", 8 },
};

static unsigned builtin__size(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (strlen(builtins[i].name) == len && !strncmp(builtins[i].name, name, len))
			return builtins[i].size;
	return 0;
}

struct checker {
	const struct manifest *m;
	const unsigned *lines;
	const char *path;
	char *err;
	size_t errlen;
	struct hset keys;	/* "kind\x1fkey\x1fmember" -> record index + 1 */
	struct hset types;	/* type name (as in keys) -> record index + 1 */
};

static unsigned line_of(const struct checker *c, size_t i)
{
	return c->lines ? c->lines[i] : 0;
}

#define ck__fail(c, i, fmt, ...) errbuf__fail_at((c)->err, (c)->errlen, (c)->path, line_of(c, i), \
						 fmt, ##__VA_ARGS__)

/* The type record of name ("struct X", "union X", "enum X", or a bare X that names one), or NULL. */
static const struct mrec *type__find(const struct checker *c, const char *name, size_t len)
{
	char buf[512];
	struct hset_slot *s;

	if (len >= sizeof(buf))
		return NULL;
	memcpy(buf, name, len);
	buf[len] = '\0';
	s = hset__find(&c->types, buf);
	return s ? &c->m->recs[(size_t)(uintptr_t)s->value - 1] : NULL;
}

/* The size in bytes a field of type text must have; 0 when the manifest cannot say (an anonymous
 * aggregate, a type it does not list, a flexible array). */
static uint64_t type__size(const struct checker *c, const char *text)
{
	size_t len = strlen(text);
	uint64_t count = 1;
	const struct mrec *t;
	unsigned b;

	/* trailing extents: T[2][4] */
	while (len && text[len - 1] == ']') {
		size_t open = len - 1;
		uint64_t n = 0;

		while (open > 0 && text[open] != '[')
			open--;
		if (text[open] != '[' || open + 1 == len - 1)
			return 0;	/* T[]: flexible */
		for (size_t k = open + 1; k < len - 1; k++) {
			if (text[k] < '0' || text[k] > '9' || n > UINT64_MAX / 10)
				return 0;
			n = n * 10 + (uint64_t)(text[k] - '0');
		}
		if (n && count > UINT64_MAX / n)
			return 0;
		count *= n;
		len = open;
	}
	if (!count)
		return 0;
	if (len && text[len - 1] == '*')
		return count > UINT64_MAX / 8 ? 0 : count * 8;
	if (strstr(text, "<anonymous>"))
		return 0;
	b = builtin__size(text, len);
	if (b)
		return count > UINT64_MAX / b ? 0 : count * b;
	t = type__find(c, text, len);
	if (t && t->size)
		return count > UINT64_MAX / t->size ? 0 : count * t->size;
	return 0;
}

static int check__dups(struct checker *c)
{
	const struct manifest *m = c->m;

	for (size_t i = 0; i < m->nrecs; i++) {
		const struct mrec *r = &m->recs[i];
		struct hset_slot *s;
		char *k;
		int rc;

		if (asprintf(&k, "%d\x1f%s\x1f%s", r->kind, r->key, r->member ? r->member : "") < 0)
			return -ENOMEM;
		rc = hset__insert(&c->keys, k, &s);
		if (rc < 0) {
			free(k);
			return rc;
		}
		if (rc == 0) {
			size_t first = (size_t)(uintptr_t)s->value - 1;
			bool same = mrec__same(&m->recs[first], r);

			free(k);
			return ck__fail(c, i, "%s %s%s%s is listed twice: %s line %u", kind_word[r->kind],
					r->key, r->member ? "." : "", r->member ? r->member : "",
					same ? "a copy of" : "and differs from", line_of(c, first));
		}
		s->value = (void *)(uintptr_t)(i + 1);
		if (r->kind == MREC_TYPE) {
			/* under its key and, for "struct X" / "union X" / "enum X", under X too */
			const char *sp = strchr(r->key, ' ');

			rc = hset__insert(&c->types, r->key, &s);
			if (rc > 0)
				s->value = (void *)(uintptr_t)(i + 1);
			if (rc >= 0 && sp && (rc = hset__insert(&c->types, sp + 1, &s)) > 0)
				s->value = (void *)(uintptr_t)(i + 1);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static int check__type(struct checker *c, size_t i)
{
	const struct mrec *r = &c->m->recs[i];

	if (r->align && r->size % r->align)
		return ck__fail(c, i, "type %s: size %" PRIu64 " is not a multiple of its alignment %"
				PRIu64 ": no C type is", r->key, r->size, r->align);
	return 0;
}

static int check__field(struct checker *c, size_t i)
{
	const struct mrec *r = &c->m->recs[i];
	const struct mrec *owner = type__find(c, r->key, strlen(r->key));
	size_t oi = owner ? (size_t)(owner - c->m->recs) : 0;
	uint64_t want;

	if (r->is_bitfield) {
		uint64_t tb = type__size(c, r->text);

		if (tb && r->bitsize > tb * 8)
			return ck__fail(c, i, "bitfield %s.%s is %" PRIu32 " bits wide, its type %s has %"
					PRIu64, r->key, r->member, r->bitsize, r->text, tb * 8);
		if (r->bitoffset > UINT64_MAX - r->bitsize)
			return ck__fail(c, i, "bitfield %s.%s: bit offset %" PRIu64 " overflows", r->key,
					r->member, r->bitoffset);
		if (owner && owner->size <= UINT64_MAX / 8 &&
		    r->bitoffset + r->bitsize > owner->size * 8)
			return ck__fail(c, i, "bitfield %s.%s ends at bit %" PRIu64 ", past the %" PRIu64
					" bits of %s (line %u)", r->key, r->member,
					r->bitoffset + r->bitsize, owner->size * 8, owner->key,
					line_of(c, oi));
		return 0;
	}
	if (r->offset > UINT64_MAX - r->size)
		return ck__fail(c, i, "field %s.%s: offset %" PRIu64 " + size %" PRIu64 " overflows",
				r->key, r->member, r->offset, r->size);
	if (owner && r->offset + r->size > owner->size)
		return ck__fail(c, i, "%s %s.%s ends at byte %" PRIu64 ", past the size %" PRIu64
				" of %s (line %u)", r->flex ? "flexible array" : "field", r->key,
				r->member, r->offset + r->size, owner->size, owner->key,
				line_of(c, oi));
	if (r->flex)
		return 0;
	want = type__size(c, r->text);
	if (want && want != r->size)
		return ck__fail(c, i, "field %s.%s: size %" PRIu64 ", but its type %s has %" PRIu64,
				r->key, r->member, r->size, r->text, want);
	return 0;
}

int manifest__check_read(const struct manifest *m, const unsigned *lines, const char *path,
			 char *err, size_t errlen)
{
	struct checker c = { .m = m, .lines = lines, .path = path, .err = err, .errlen = errlen,
			     .keys = HSET_INIT_STR, .types = HSET_INIT_STR };
	int rc = check__dups(&c);

	for (size_t i = 0; !rc && i < m->nrecs; i++) {
		if (m->recs[i].kind == MREC_TYPE)
			rc = check__type(&c, i);
		else if (m->recs[i].kind == MREC_FIELD)
			rc = check__field(&c, i);
	}
	if (rc == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", path);
	hset__free_keys(&c.keys);
	hset__fini(&c.keys);
	hset__fini(&c.types);
	return rc;
}
