/* rust_derive.c - what bindgen 0.60 derives for a type (Debug, Default, Copy/Clone, PartialEq)
 * with kvm-bindings' flags, and which unions it cannot render as Rust unions: the analysis the
 * writer (rust_write.c) renders from. */
#include "rust.h"

/* Arrays longer than this cannot derive Default (std implements it up to 32 elements). */
#define RUST_DEFAULT_ARRAY_LIMIT 32

unsigned rust__type_derives(const struct ctype *t)
{
	unsigned d;

	t = ctype__strip(t);
	if (!t)
		return DV_ALL;
	switch (t->kind) {
	case CT_POINTER:
		if (t->target && t->target->kind == CT_FUNCTION)
			return DV_ALL;
		return DV_ALL & ~DV_DEFAULT;
	case CT_ARRAY:
		d = rust__type_derives(t->target);
		if (t->nelems <= 0)
			return d & (DV_DEBUG | DV_DEFAULT);
		if (t->nelems > RUST_DEFAULT_ARRAY_LIMIT)
			d &= ~DV_DEFAULT;
		return d;
	case CT_STRUCT:
	case CT_UNION:
		return rust__agg_derives(t);
	default:
		return DV_ALL;
	}
}

unsigned rust__agg_derives(const struct ctype *t)
{
	unsigned d = DV_ALL;

	if (!t->complete)
		return DV_DEBUG | DV_COPY;
	for (size_t i = 0; i < t->nmembers; i++)
		if (!t->members[i].is_bitfield)
			d &= rust__type_derives(t->members[i].type);
	if (t->kind == CT_UNION)
		d &= DV_COPY;
	return d;
}

/* A union bindgen cannot render as a Rust union (a member is not Copy): a struct of
 * __BindgenUnionField<T> members plus a bindgen_union_field blob. */
bool rust__union_is_bindgen(const struct ctype *t)
{
	return t->kind == CT_UNION && !(rust__agg_derives(t) & DV_COPY);
}
