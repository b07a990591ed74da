/* rust_model.h - the items of a bindings.rs that carry layout facts, as rust_parse.c finds them:
 * structs and unions with their fields, type aliases, constants, bitfield accessors, the numbers
 * of the layout assertions, and kvmgate's ioctl/unevaluated-macro comments. rust_read.c turns
 * this into a layout manifest.
 */
#ifndef KVMGATE_RUST_MODEL_H
#define KVMGATE_RUST_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rust_lex.h"

enum rty_kind { RTY_PATH, RTY_ARRAY, RTY_PTR, RTY_FN, RTY_UNIT };

/* A Rust type expression: `::std::os::raw::c_uint`, `[__u8; 16usize]`, `*mut T`,
 * `__IncompleteArrayField<T>`, `::std::option::Option<unsafe extern "C" fn(..)>`. */
struct rty {
	enum rty_kind kind;
	char *name;		/* RTY_PATH: last segment */
	bool std;		/* RTY_PATH: a ::std / ::core path */
	struct rty *arg;	/* generic argument, array element, pointee */
	uint64_t n;		/* RTY_ARRAY */
};

struct rs_field {
	char *name;		/* Rust spelling (type_, __bindgen_anon_1, _bitfield_1) */
	struct rty *type;
	unsigned line;
};

struct rs_bitfield {
	char *name;		/* getter name (Rust spelling) */
	struct rty *type;	/* getter return type */
	unsigned unit;		/* N of _bitfield_N */
	unsigned offset, width;
};

struct rs_offset {
	char *field;
	uint64_t offset;
};

/* Where rust_read.c is in computing an aggregate's layout (a cycle is an error). */
enum rs_layout_state { RS_LAYOUT_NEW, RS_LAYOUT_COMPUTING, RS_LAYOUT_DONE };

struct rs_agg {
	char *name;
	bool is_union;		/* `pub union`, or a struct with a bindgen_union_field */
	bool packed;		/* #[repr(packed)] / packed(N): members aligned to at most packed_n */
	uint64_t packed_n;
	bool opaque;		/* forward declaration: `_unused: [u8; 0]` */
	uint64_t repr_align;	/* #[repr(align(N))], 0 if none */
	struct rs_field *f;
	size_t nf;
	struct rs_bitfield *bf;
	size_t nbf;
	unsigned line;
	/* from the layout assertions */
	bool has_size, has_align;
	uint64_t size, align;
	struct rs_offset *off;
	size_t noff;
	/* computed by rust_read.c */
	enum rs_layout_state state;
	uint64_t csize, calign;
};

struct rs_alias {
	char *name;
	struct rty *type;
	bool is_enum;		/* some constant has this type */
	unsigned line;
};

struct rs_const {
	char *name;
	char *type;		/* u32, i64, or an enum alias name */
	int64_t value;
	bool is_unsigned;
	bool is_ioctl;
	char *ioctl_arg;	/* "-" for _IO */
	unsigned line;
};

struct rs_uneval {
	char *name, *reason;
};

struct rs_model {
	struct rs_agg *agg;
	size_t nagg, capagg;
	struct rs_alias *alias;
	size_t nalias, capalias;
	struct rs_const *cst;
	size_t ncst, capcst;
	struct rs_uneval *unev;
	size_t nunev, capunev;
	bool by_kvmgate;	/* the banner says kvmgate wrote it */
	bool saw_end;		/* kvmgate's end marker */
	unsigned last_line;
};

/* Parse the tokens of path into m. 0, -ENOMEM, or -EINVAL with err = "PATH:LINE: ...". */
int rs_model__parse(struct rs_model *m, const struct rlex *lx, const char *path, char *err,
		    size_t errlen);
void rs_model__fini(struct rs_model *m);

struct rs_agg *rs_model__agg(const struct rs_model *m, const char *name);
struct rs_alias *rs_model__alias(const struct rs_model *m, const char *name);
void rty__free(struct rty *t);

#endif
