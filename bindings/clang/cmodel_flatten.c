/* cmodel_flatten.c - the declaration tree as a layout manifest: every named struct, union and
 * enum with every field (anonymous members transparent, absolute offsets, bitfields in bits),
 * and the constants, ioctls and unevaluated macros of the KVM headers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmodel.h"

static bool ctype__is_anon_aggregate(const struct ctype *t)
{
	return (t->kind == CT_STRUCT || t->kind == CT_UNION) && !t->name && t->parent;
}

static int flatten__members(struct manifest *m, const char *owner, const struct ctype *t,
			    uint64_t base_bits, const char *prefix)
{
	for (size_t i = 0; i < t->nmembers; i++) {
		const struct cmember *mb = &t->members[i];
		uint64_t abs = base_bits + mb->offset_bits;
		char *path = NULL, *spell;
		int ret;

		if (mb->is_bitfield && (!mb->name || !*mb->name))
			continue;	/* an unnamed bitfield (`__u32 :3`) is padding, not addressable */
		if (!mb->name) {
			ret = flatten__members(m, owner, mb->type, abs, prefix);
			if (ret)
				return ret;
			continue;
		}
		if (prefix ? asprintf(&path, "%s.%s", prefix, mb->name) < 0 : !(path = strdup(mb->name)))
			return -ENOMEM;
		spell = ctype__spell(mb->type);
		if (!spell) {
			free(path);
			return -ENOMEM;
		}
		if (mb->is_bitfield)
			ret = manifest__add_bitfield(m, owner, path, spell, abs, mb->bit_width);
		else
			ret = manifest__add_field(m, owner, path, spell, abs / 8, mb->type->size,
						  mb->type->kind == CT_ARRAY && mb->type->nelems < 0);
		free(spell);
		if (!ret && ctype__is_anon_aggregate(mb->type)) {
			ret = flatten__members(m, owner, mb->type, abs, path);
		} else if (!ret && mb->type->kind == CT_ARRAY && mb->type->target &&
			   ctype__is_anon_aggregate(mb->type->target)) {
			/* an array of an anonymous aggregate: its first element stands for all */
			char *elem;

			if (asprintf(&elem, "%s[0]", path) < 0)
				ret = -ENOMEM;
			else
				ret = flatten__members(m, owner, mb->type->target, abs, elem);
			free(elem);
		}
		free(path);
		if (ret)
			return ret;
	}
	return 0;
}

static int flatten__type(struct manifest *m, const struct ctype *t)
{
	char *key;
	int ret = 0;

	if (t->kind == CT_TYPEDEF || !t->complete || ctype__is_anon_aggregate(t))
		return 0;
	if (t->kind == CT_ENUM && t->in_kvm_header) {
		for (size_t i = 0; i < t->nenumerators; i++) {
			ret = manifest__add_const(m, t->enumerators[i].name, t->enumerators[i].value,
						  false);
			if (ret)
				return ret;
		}
	}
	if (!t->name && t->kind == CT_ENUM)
		return 0;	/* anonymous enum: only its enumerators (constants) */
	key = ctype__spell(t);
	if (!key)
		return -ENOMEM;
	ret = manifest__add_type(m, key, t->size, t->align);
	if (!ret && t->kind != CT_ENUM)
		ret = flatten__members(m, key, t, 0, NULL);
	free(key);
	return ret;
}

int cmodel__flatten(const struct cmodel *cm, struct manifest *m)
{
	int ret = manifest__add_std_meta(m, cm->arch, cm->kernel, cm->source);

	for (size_t i = 0; !ret && i < cm->ntypes; i++)
		ret = flatten__type(m, cm->types[i]);
	for (size_t i = 0; !ret && i < cm->nmacros; i++) {
		const struct cmacro *c = &cm->macros[i];

		if (!c->in_kvm_header)
			continue;
		if (c->kind == CM_INT)
			ret = manifest__add_const(m, c->name, c->value, c->is_unsigned);
		else if (c->kind == CM_IOCTL)
			ret = manifest__add_ioctl(m, c->name, c->number, c->arg);
		else
			ret = manifest__add_uneval(m, c->name, c->reason);
	}
	return ret;
}
