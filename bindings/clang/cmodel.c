/* cmodel.c - the C declaration tree: freeing it and spelling its types the UAPI way. */
#include <stdlib.h>
#include <string.h>

#include "cmodel.h"

void cmodel__fini(struct cmodel *cm)
{
	for (size_t i = 0; i < cm->nall; i++) {
		struct ctype *t = cm->all[i];

		for (size_t j = 0; j < t->nmembers; j++) {
			free(t->members[j].name);
			free(t->members[j].doc);
		}
		free(t->doc);
		for (size_t j = 0; j < t->nenumerators; j++)
			free(t->enumerators[j].name);
		free(t->members);
		free(t->enumerators);
		free(t->name);
		free(t->typedef_name);
		free(t);
	}
	for (size_t i = 0; i < cm->nmacros; i++) {
		free(cm->macros[i].name);
		free(cm->macros[i].arg);
		free(cm->macros[i].reason);
	}
	free(cm->all);
	free(cm->types);
	free(cm->macros);
	free(cm->arch);
	free(cm->kernel);
	free(cm->source);
	memset(cm, 0, sizeof(*cm));
}

const struct ctype *ctype__strip(const struct ctype *t)
{
	while (t && t->kind == CT_TYPEDEF)
		t = t->target;
	return t;
}

const char *ctype__doc(const struct ctype *t)
{
	return t ? t->doc : NULL;
}

const char *cmember__doc(const struct ctype *owner, size_t i)
{
	return owner && i < owner->nmembers ? owner->members[i].doc : NULL;
}

static const char *tag_of(enum ctype_kind k)
{
	return k == CT_STRUCT ? "struct" : k == CT_UNION ? "union" : "enum";
}

char *ctype__spell(const struct ctype *t)
{
	char *s = NULL, *inner;
	const struct ctype *base = t;
	size_t dims = 0;
	int r;

	if (!t)
		return strdup("void");
	switch (t->kind) {
	case CT_VOID:
	case CT_INT:
	case CT_FLOAT:
	case CT_TYPEDEF:
		return strdup(t->name);
	case CT_STRUCT:
	case CT_UNION:
	case CT_ENUM:
		if (t->name)
			r = asprintf(&s, "%s %s", tag_of(t->kind), t->name);
		else if (t->typedef_name && !t->parent)	/* typedef struct { } name_t; */
			r = asprintf(&s, "%s", t->typedef_name);
		else
			r = asprintf(&s, "%s <anonymous>", tag_of(t->kind));
		return r < 0 ? NULL : s;
	case CT_POINTER:
		if (!t->target || t->target->kind == CT_FUNCTION)
			return strdup("void *");
		inner = ctype__spell(t->target);
		if (!inner)
			return NULL;
		r = asprintf(&s, "%s *", inner);
		free(inner);
		return r < 0 ? NULL : s;
	case CT_FUNCTION:
		return strdup("void");
	case CT_ARRAY:
		while (base->kind == CT_ARRAY) {
			base = base->target;
			dims++;
		}
		inner = ctype__spell(base);
		if (!inner)
			return NULL;
		for (base = t; base->kind == CT_ARRAY; base = base->target) {
			char *n;

			if (base->nelems < 0)
				r = asprintf(&n, "%s[]", inner);
			else
				r = asprintf(&n, "%s[%lld]", inner, (long long)base->nelems);
			free(inner);
			if (r < 0)
				return NULL;
			inner = n;
		}
		return inner;
	}
	return NULL;
}
