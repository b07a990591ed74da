/* hset.c - an open-addressing hash set of pointers or strings, with values (hset.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hset.h"

static size_t hset__hash(const struct hset *s, const void *key)
{
	if (s->str_keys) {
		size_t h = 1469598103934665603ull;	/* FNV-1a */

		for (const unsigned char *p = key; *p; p++)
			h = (h ^ *p) * 1099511628211ull;
		return h;
	} else {
		uintptr_t x = (uintptr_t)key;

		x ^= x >> 17;
		x *= (uintptr_t)0x9e3779b97f4a7c15ull;
		x ^= x >> 29;
		return (size_t)x;
	}
}

static bool hset__same(const struct hset *s, const void *a, const void *b)
{
	return s->str_keys ? !strcmp(a, b) : a == b;
}

/* The slot of key, or the empty slot where it would go (cap must be > n). */
static struct hset_slot *hset__probe(const struct hset *s, const void *key)
{
	for (size_t i = hset__hash(s, key) & (s->cap - 1);; i = (i + 1) & (s->cap - 1))
		if (!s->slots[i].key || hset__same(s, s->slots[i].key, key))
			return &s->slots[i];
}

static int hset__grow(struct hset *s)
{
	struct hset bigger = { .cap = s->cap ? s->cap * 2 : 256, .str_keys = s->str_keys };

	bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
	if (!bigger.slots)
		return -ENOMEM;
	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i].key)
			*hset__probe(&bigger, s->slots[i].key) = s->slots[i];
	bigger.n = s->n;
	free(s->slots);
	*s = bigger;
	return 0;
}

int hset__insert(struct hset *s, const void *key, struct hset_slot **slot)
{
	struct hset_slot *sl;

	if ((s->n + 1) * 2 > s->cap && hset__grow(s))
		return -ENOMEM;
	sl = hset__probe(s, key);
	if (slot)
		*slot = sl;
	if (sl->key)
		return 0;
	sl->key = key;
	sl->value = NULL;
	s->n++;
	return 1;
}

int hset__add(struct hset *s, const void *key)
{
	return hset__insert(s, key, NULL);
}

struct hset_slot *hset__find(const struct hset *s, const void *key)
{
	struct hset_slot *sl;

	if (!s->cap)
		return NULL;
	sl = hset__probe(s, key);
	return sl->key ? sl : NULL;
}

bool hset__has(const struct hset *s, const void *key)
{
	return hset__find(s, key) != NULL;
}

void hset__free_keys(struct hset *s)
{
	if (!s->slots)
		return;
	for (size_t i = 0; i < s->cap; i++)
		free((void *)s->slots[i].key);
	memset(s->slots, 0, s->cap * sizeof(*s->slots));
	s->n = 0;
}

void hset__fini(struct hset *s)
{
	free(s->slots);
	*s = (struct hset){ .str_keys = s->str_keys };
}
