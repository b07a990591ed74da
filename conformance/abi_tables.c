/* conformance/abi_tables.c - look-ups in kvm_abi.h's tables; this is the one file of each
 * conformance program that defines them (KVMGATE_ABI_TABLES). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KVMGATE_ABI_TABLES
#include "abi_tables.h"

const struct kvmgate_abi_ioctl *abi_ioctl(const char *name)
{
	for (unsigned int i = 0; i < kvmgate_abi_nr_ioctls; i++)
		if (strcmp(kvmgate_abi_ioctls[i].name, name) == 0)
			return &kvmgate_abi_ioctls[i];
	return NULL;
}

const struct kvmgate_abi_type *abi_type(const char *name)
{
	for (unsigned int i = 0; i < kvmgate_abi_nr_types; i++)
		if (strcmp(kvmgate_abi_types[i].name, name) == 0)
			return &kvmgate_abi_types[i];
	return NULL;
}

const struct kvmgate_abi_field *abi_field(const char *type, const char *path)
{
	for (unsigned int i = 0; i < kvmgate_abi_nr_fields; i++)
		if (strcmp(kvmgate_abi_fields[i].type, type) == 0 &&
		    strcmp(kvmgate_abi_fields[i].path, path) == 0)
			return &kvmgate_abi_fields[i];
	return NULL;
}

const struct kvmgate_abi_field *abi_flex_field(const char *type)
{
	for (unsigned int i = 0; i < kvmgate_abi_nr_fields; i++) {
		const struct kvmgate_abi_field *f = &kvmgate_abi_fields[i];
		size_t n = strlen(f->ftype);

		if (strcmp(f->type, type) == 0 && f->size == 0 && n > 2 &&
		    strcmp(f->ftype + n - 2, "[]") == 0)
			return f;
	}
	return NULL;
}

unsigned int abi_elem_size(const char *ftype)
{
	static const struct { const char *name; unsigned int size; } scalars[] = {
		{ "__u8", 1 }, { "__s8", 1 }, { "__u16", 2 }, { "__s16", 2 }, { "__u32", 4 },
		{ "__s32", 4 }, { "__u64", 8 }, { "__s64", 8 }, { "int", 4 }, { "unsigned int", 4 },
		{ "char", 1 }, { "unsigned char", 1 }, { "unsigned long", 8 }, { "long", 8 },
	};
	char base[256];
	const char *br = strchr(ftype, '[');
	size_t n = br != NULL ? (size_t)(br - ftype) : strlen(ftype);
	const struct kvmgate_abi_type *t;

	if (n == 0 || n >= sizeof(base))
		return 0;
	memcpy(base, ftype, n);
	base[n] = '\0';
	for (unsigned int i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++)
		if (strcmp(scalars[i].name, base) == 0)
			return scalars[i].size;
	t = abi_type(base);
	return t != NULL ? t->size : 0;
}

bool abi_const(const char *name, long long *value)
{
	for (unsigned int i = 0; i < kvmgate_abi_nr_consts; i++)
		if (strcmp(kvmgate_abi_consts[i].name, name) == 0) {
			*value = kvmgate_abi_consts[i].value;
			return true;
		}
	return false;
}

unsigned long abi_ioctl_resize(const struct kvmgate_abi_ioctl *io, unsigned int size)
{
	/* The asm-generic encoding: nr 8 bits, type 8, size 14, dir 2 (x86_64 and arm64 alike). */
	return (io->number & ~(0x3fffUL << 16)) | ((unsigned long)(size & 0x3fff) << 16);
}

const struct kvmgate_abi_ioctl *abi_ioctl_by_number(unsigned long number,
						    const struct kvmgate_abi_ioctl *skip)
{
	for (unsigned int i = 0; i < kvmgate_abi_nr_ioctls; i++)
		if (kvmgate_abi_ioctls[i].number == number && &kvmgate_abi_ioctls[i] != skip)
			return &kvmgate_abi_ioctls[i];
	return NULL;
}

bool abi_locate(const char *type, const char *path, unsigned int *offset, unsigned int *size)
{
	const struct kvmgate_abi_field *f = abi_field(type, path);
	char head[256];

	if (f != NULL && f->bit_size == 0) {
		*offset = f->offset;
		*size = f->size;
		return true;
	}
	if (f != NULL) {
		*offset = f->bit_offset / 8;
		*size = (f->bit_offset + f->bit_size + 7) / 8 - *offset;
		return true;
	}
	/* The longest prefix that is a field, then the rest inside it: ".member" of a struct
	 * field, "[i]" of an array field. */
	for (size_t n = strlen(path); n > 0; n--) {
		const char *rest = path + n;
		unsigned int o, sz, esz;

		if (*rest != '.' && *rest != '[')
			continue;
		if (n >= sizeof(head))
			continue;
		memcpy(head, path, n);
		head[n] = '\0';
		f = abi_field(type, head);
		if (f == NULL || f->bit_size != 0)
			continue;
		if (*rest == '[') {
			char *end;
			unsigned long idx = strtoul(rest + 1, &end, 10);
			char elem[256];
			const char *br = strchr(f->ftype, '[');

			esz = abi_elem_size(f->ftype);
			/* a flexible array (size 0, "T[]") has as many elements as the argument holds */
			if (*end != ']' || esz == 0 || idx > 65535 ||
			    ((idx + 1) * esz > f->size && !(f->size == 0 && br != NULL && br[1] == ']')))
				return false;
			o = f->offset + (unsigned int)idx * esz;
			if (end[1] == '\0') {
				*offset = o;
				*size = esz;
				return true;
			}
			if (end[1] != '.' || br == NULL || (size_t)(br - f->ftype) >= sizeof(elem))
				return false;
			snprintf(elem, sizeof(elem), "%.*s", (int)(br - f->ftype), f->ftype);
			if (!abi_locate(elem, end + 2, &o, &sz))
				return false;
			*offset = f->offset + (unsigned int)idx * esz + o;
			*size = sz;
			return true;
		}
		if (abi_type(f->ftype) == NULL || !abi_locate(f->ftype, rest + 1, &o, &sz))
			continue;
		*offset = f->offset + o;
		*size = sz;
		return true;
	}
	return false;
}
