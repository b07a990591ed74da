/* hset.h - a hash set (open addressing) of pointers or of strings, each key with a value:
 * "already written", "named in the type list", the types of the loader by USR. Keys are not
 * copied: the caller keeps them alive (hset__free_keys frees keys the set was given). */
#ifndef KVMGATE_HSET_H
#define KVMGATE_HSET_H

#include <stdbool.h>
#include <stddef.h>

struct hset_slot {
	const void *key;	/* NULL: empty slot */
	void *value;
};

struct hset {
	struct hset_slot *slots;
	size_t cap, n;
	bool str_keys;		/* keys are NUL-terminated strings compared by content */
};
#define HSET_INIT_PTR { .str_keys = false }
#define HSET_INIT_STR { .str_keys = true }

/* Find key, or add it with a NULL value; *slot (may be NULL) is its slot, valid until the next
 * insertion. 1 when added, 0 when it was there, -ENOMEM. */
int hset__insert(struct hset *s, const void *key, struct hset_slot **slot);
/* hset__insert without the slot. */
int hset__add(struct hset *s, const void *key);
/* The slot of key, or NULL. */
struct hset_slot *hset__find(const struct hset *s, const void *key);
bool hset__has(const struct hset *s, const void *key);
/* free() every key (for a set that was given malloc'd keys). */
void hset__free_keys(struct hset *s);
/* Free the table (not the keys or values); the set is empty and reusable. */
void hset__fini(struct hset *s);

#endif
