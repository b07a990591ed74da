/* manifest.h - the layout manifest's in-memory model: records, appenders, canonical order,
 * lookup.
 *
 * Every source of layouts (headers via libclang, DWARF/BTF via pahole, bindgen's bindings.rs, a
 * manifest file) fills this one model; its text form is manifest_text.h (MANIFEST.md), the
 * classifier diff.h. Library calls return 0 or -errno and never exit; a failure's message is
 * left in an error buffer of the caller's ("FILE:LINE: what was expected", errbuf.h).
 */
#ifndef KVMGATE_MANIFEST_H
#define KVMGATE_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "errbuf.h"
#include "version.h"

enum mrec_kind {
	MREC_META,	/* key = meta key, text = value */
	MREC_TYPE,	/* key = "struct kvm_regs"; size, align */
	MREC_FIELD,	/* key = owner type, member = path; offset/size or bit*, text = type spelling */
	MREC_CONST,	/* key = name; value */
	MREC_IOCTL,	/* key = name; number, dir, ioc_type, nr, size, text = argument type */
	MREC_UNEVAL,	/* key = name; text = reason */
	MREC__NR
};

/* Direction bits as in the asm-generic _IOC_* encoding. */
#define MIOC_NONE  0u
#define MIOC_WRITE 1u
#define MIOC_READ  2u

struct mrec {
	enum mrec_kind kind;
	char *key;
	char *member;		/* MREC_FIELD only */
	char *text;		/* meta value, field type, ioctl arg type, uneval reason */
	uint64_t size;		/* bytes: type, field, ioctl */
	uint64_t align;		/* bytes: type */
	uint64_t offset;	/* bytes: field (non-bitfield) */
	uint64_t bitoffset;	/* bits, absolute: bitfield */
	uint32_t bitsize;	/* bits: bitfield (0 = not a bitfield) */
	bool is_bitfield;
	bool flex;		/* flexible array member */
	int64_t value;		/* const */
	bool value_unsigned;	/* const: print value as uint64_t */
	uint32_t number;	/* ioctl */
	uint32_t dir, ioc_type, nr;
};

struct manifest {
	struct mrec *recs;
	size_t nrecs, cap;
};

void manifest__init(struct manifest *m);
void manifest__fini(struct manifest *m);

/* Appenders copy their strings. They return 0 or -ENOMEM. */
int manifest__add_meta(struct manifest *m, const char *key, const char *value);
int manifest__add_type(struct manifest *m, const char *name, uint64_t size, uint64_t align);
int manifest__add_field(struct manifest *m, const char *owner, const char *path, const char *type,
			uint64_t offset, uint64_t size, bool flex);
int manifest__add_bitfield(struct manifest *m, const char *owner, const char *path,
			   const char *type, uint64_t bitoffset, uint32_t bitsize);
int manifest__add_const(struct manifest *m, const char *name, int64_t value, bool is_unsigned);
int manifest__add_ioctl(struct manifest *m, const char *name, uint32_t number, const char *arg);
int manifest__add_uneval(struct manifest *m, const char *name, const char *reason);

/* Decompose an asm-generic ioctl number (x86_64, arm64 and riscv64 share it). */
void ioctl__decode(uint32_t number, uint32_t *dir, uint32_t *type, uint32_t *nr, uint32_t *size);
const char *ioctl__dir_name(uint32_t dir);

/* Canonical order (MANIFEST.md); also drops exact duplicate records. */
void manifest__sort(struct manifest *m);
/* True when a and b are the same record, every value alike (the sort merges such copies). */
bool mrec__same(const struct mrec *a, const struct mrec *b);
/* Lookup in a sorted manifest; NULL when absent. member is NULL except for MREC_FIELD. */
const struct mrec *manifest__find(const struct manifest *m, enum mrec_kind kind, const char *key,
				  const char *member);
const char *manifest__meta(const struct manifest *m, const char *key);

/* The standard meta records of a loaded source: arch and kernel (NULL: "unknown"), source
 * (what was read), tool (this kvmgate). 0 or -ENOMEM. */
int manifest__add_std_meta(struct manifest *m, const char *arch, const char *kernel,
			   const char *source);
/* Move every record of src to the end of dst (dst keeps its own; src is left empty).
 * 0 or -ENOMEM. */
int manifest__take(struct manifest *dst, struct manifest *src);

#endif
