/* rust_names.c - bindgen's names of the C model's types: a named type keeps its name (a typedef'd
 * untagged one, the typedef's), an anonymous member type is <parent>__bindgen_ty_<N> (N its
 * number among the parent's anonymous types), an anonymous file-scope enum _bindgen_ty_<N>.
 * The composed names are made once per type and kept until rust_names__fini. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "rust.h"

const char *rust_names__of(struct rust_names *n, const struct ctype *t)
{
	struct hset_slot *slot;
	char *name;
	int r;

	if (t->name)
		return t->name;
	if (t->typedef_name)
		return t->typedef_name;
	if (!t->anon_index)
		return "_bindgen_ty_unnamed";
	slot = hset__find(&n->by_type, t);
	if (slot)
		return slot->value;
	if (t->parent)
		r = asprintf(&name, "%s__bindgen_ty_%u", rust_names__of(n, t->parent), t->anon_index);
	else
		r = asprintf(&name, "_bindgen_ty_%u", t->anon_index);
	if (r < 0 || hset__insert(&n->by_type, t, &slot) < 0) {
		if (r >= 0)
			free(name);
		n->error = -ENOMEM;
		return "_bindgen_ty_unnamed";
	}
	slot->value = name;
	return name;
}

void rust_names__fini(struct rust_names *n)
{
	for (size_t i = 0; i < n->by_type.cap; i++)
		free(n->by_type.slots[i].value);
	hset__fini(&n->by_type);
}
