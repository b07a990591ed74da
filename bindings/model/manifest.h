/* manifest.h - the layout manifest: in-memory model, canonical text reader/writer, classifier.
 *
 * Every source of layouts (headers via libclang, DWARF/BTF via pahole, bindgen's bindings.rs, a
 * manifest file) fills this one model; see MANIFEST.md for the text form and its rules.
 * Library calls return 0 or -errno and never exit; a failure's message is left in an error buffer
 * of the caller's ("FILE:LINE: what was expected").
 */
#ifndef KVMGATE_MANIFEST_H
#define KVMGATE_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MANIFEST_MAGIC "# kvmgate layout manifest 1"
#define MANIFEST_END "# end: "
#define KVMGATE_VERSION "0.1"
#define ERRBUF_SIZE 512

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

/* Decompose an asm-generic ioctl number (x86_64 and arm64 share it). */
void ioctl__decode(uint32_t number, uint32_t *dir, uint32_t *type, uint32_t *nr, uint32_t *size);
const char *ioctl__dir_name(uint32_t dir);

/* Canonical order (MANIFEST.md); also drops exact duplicate records. */
void manifest__sort(struct manifest *m);
/* Lookup in a sorted manifest; NULL when absent. member is NULL except for MREC_FIELD. */
const struct mrec *manifest__find(const struct manifest *m, enum mrec_kind kind, const char *key,
				  const char *member);
const char *manifest__meta(const struct manifest *m, const char *key);

/* Write the canonical text (sorts first). Returns 0 or -errno. */
int manifest__write(struct manifest *m, FILE *out);
/* Write to PATH atomically (temporary file + rename); nothing is left behind on failure. */
int manifest__write_file(struct manifest *m, const char *path, char *err, size_t errlen);
/* Read a manifest file; on error fills err with "PATH:LINE: ..." and returns -EINVAL/-errno. */
int manifest__read(struct manifest *m, const char *path, char *err, size_t errlen);
/* True when the file at path starts with MANIFEST_MAGIC. */
bool manifest__is_file(const char *path);

/* ---- classification (diff.c) ---- */
enum diff_class { DIFF_INCOMPATIBLE, DIFF_COMPATIBLE, DIFF_ALLOWED, DIFF_NOT_IN_B, DIFF__NR };

struct allow_entry {
	char *kind;	/* "type", "field", "const", "ioctl", "uneval" */
	char *key;	/* record key, e.g. "struct kvm_stats_desc" */
	char *member;	/* field path or NULL; "*" matches every field of the type */
	char *reason;
	unsigned line;
	unsigned used;
};

struct allowlist {
	struct allow_entry *e;
	size_t n;
	char *path;
};

/* Allow file: one entry a line, TAB-separated: KIND<TAB>KEY[<TAB>MEMBER]<TAB>reason=TEXT;
 * '#' comments and blank lines ignored. Errors name PATH:LINE. */
int allowlist__read(struct allowlist *a, const char *path, char *err, size_t errlen);
void allowlist__fini(struct allowlist *a);

struct diff_opts {
	const struct allowlist *allow;	/* may be NULL */
	/* A type of A missing from B is DIFF_NOT_IN_B ("not in kernel") instead of incompatible:
	 * for kernel debug info, which holds only the types the kernel build uses. Constants,
	 * ioctls and uneval records are not compared at all then (debug info has none). */
	bool b_is_debuginfo;
	FILE *out;			/* report, one difference a line; NULL for none */
};

struct diff_counts {
	unsigned n[DIFF__NR];
};

/* Compare A (reference) with B (candidate); both are sorted first. Returns 0 or -errno. */
int manifest__diff(struct manifest *a, struct manifest *b, const struct diff_opts *opts,
		   struct diff_counts *counts);

/* c_write.c: the manifest as a C header of numbers and static layout assertions. */
int c__write_layout(struct manifest *m, FILE *out);

#endif
