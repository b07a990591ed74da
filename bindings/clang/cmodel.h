/* cmodel.h - the C declarations of a header set as a tree, as libclang sees them.
 *
 * clang_load.c fills it from the UAPI headers; cmodel_flatten.c turns it into a layout manifest
 * (anonymous members transparent, absolute offsets) and rust/rust_write.c renders
 * bindgen-compatible Rust from it (bindgen's names: rust/rust_names.c). Items keep the
 * translation unit's declaration order. C facts only: nothing here is Rust's.
 */
#ifndef KVMGATE_CMODEL_H
#define KVMGATE_CMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "manifest.h"

enum ctype_kind {
	CT_VOID,
	CT_INT,		/* builtin integer incl. char and _Bool: name = C spelling */
	CT_FLOAT,	/* float, double, long double */
	CT_TYPEDEF,	/* name = typedef name, target = aliased type */
	CT_STRUCT,
	CT_UNION,
	CT_ENUM,	/* target = underlying integer type */
	CT_ARRAY,	/* target = element, nelems (-1 = flexible []) */
	CT_POINTER,	/* target = pointee (NULL for function pointers: rendered as void *) */
	CT_FUNCTION,	/* only behind a pointer */
};

struct cmember {
	char *name;		/* NULL for an anonymous struct/union member */
	struct ctype *type;
	uint64_t offset_bits;	/* relative to the enclosing aggregate */
	bool is_bitfield;
	unsigned bit_width;
	char *doc;		/* its doc comment (slash-star-star or triple slash) as written, or NULL */
};

struct cenumerator {
	char *name;
	int64_t value;
};

struct ctype {
	enum ctype_kind kind;
	char *name;		/* C spelling for builtins, typedef name, tag name; NULL if anonymous */
	char *typedef_name;	/* an untagged aggregate or enum named by a typedef (typedef struct
				 * { } x_t;), else NULL */
	unsigned anon_index;	/* anonymous, not typedef'd: its number (from 1) among the anonymous
				 * types of parent, or of the file scope (enums), in declaration
				 * order; 0 otherwise (rust/ names the type from it) */
	uint64_t size;		/* bytes (0 for incomplete / void / flexible) */
	uint64_t align;		/* bytes */
	bool is_signed;		/* CT_INT */
	bool complete;		/* struct/union/enum with a definition */
	bool packed;		/* __attribute__((packed)) */
	struct ctype *target;
	int64_t nelems;
	struct cmember *members;
	size_t nmembers;
	struct cenumerator *enumerators;
	size_t nenumerators;
	struct ctype *parent;	/* anonymous aggregates: the type they are nested in */
	bool in_kvm_header;	/* declared in linux/kvm.h or asm/kvm.h (enumerators -> constants) */
	char *doc;		/* doc comment of the declaration, or NULL */
};

enum cmacro_kind { CM_INT, CM_IOCTL, CM_UNEVAL };

struct cmacro {
	char *name;
	enum cmacro_kind kind;
	int64_t value;		/* CM_INT */
	bool is_unsigned;	/* CM_INT: value is a uint64_t */
	uint32_t number;	/* CM_IOCTL */
	char *arg;		/* CM_IOCTL: argument type spelling, "-" for _IO */
	char *reason;		/* CM_UNEVAL */
	bool in_kvm_header;	/* defined in a kvm header (linux/kvm.h, asm/kvm.h): goes to the manifest */
};

struct cmodel {
	char *arch;		/* "x86_64", "arm64" or "riscv64" */
	char *kernel;		/* label */
	char *source;		/* what was read */
	/* Every type declared at file scope, in declaration order: named structs, unions, enums,
	 * typedefs. Anonymous aggregates are reached through members (parent set). */
	struct ctype **types;
	size_t ntypes;
	/* Every object-like integer macro of the translation unit (bindgen emits them all),
	 * in definition order. */
	struct cmacro *macros;
	size_t nmacros;
	/* Owner of every ctype allocated, for freeing. */
	struct ctype **all;
	size_t nall, capall;
};

void cmodel__fini(struct cmodel *cm);
/* t without its typedefs (NULL stays NULL). */
const struct ctype *ctype__strip(const struct ctype *t);
/* The doc comments the loader kept (rust_write.c renders them as bindgen's #[doc] lines). */
const char *ctype__doc(const struct ctype *t);
const char *cmember__doc(const struct ctype *owner, size_t i);
/* Canonical UAPI spelling of a type (manifest `type=`): "__u64", "struct kvm_regs", "__u8[16]".
 * Returns a malloc'd string or NULL. */
char *ctype__spell(const struct ctype *t);
/* Add every struct/union/enum (named, with a definition), every field, and the KVM constants,
 * ioctls and uneval macros to m. Returns 0 or -ENOMEM. */
int cmodel__flatten(const struct cmodel *cm, struct manifest *m);

/* clang_dl.c: start loading libclang on a thread of its own, so that the first
 * cmodel__load_headers finds it loaded (gen calls it first thing). Optional: without it, the
 * first parse loads libclang itself. */
void cmodel__preload(void);
/* Wait for a load cmodel__preload started (nothing if none): before exit, which must not run
 * libLLVM's destructors while its constructors still run on the loader thread. */
void cmodel__preload_wait(void);
/* clang_load.c: parse DIR/include/linux/kvm.h (or the default headers when headers is NULL).
 * Returns 0, or -errno with err filled ("FILE:LINE: message"). */
int cmodel__load_headers(struct cmodel *cm, const char *arch, const char *headers,
			 const char *kernel, char *err, size_t errlen);

/* rust_write.c: bindgen-compatible Rust of the whole model (see README). 0 or -errno. */
int rust__write(const struct cmodel *cm, FILE *out);

#endif
