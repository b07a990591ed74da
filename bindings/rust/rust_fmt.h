/* rust_fmt.h - the line shapes rustfmt gives the items bindgen writes.
 *
 * bindgen pipes its output through rustfmt (max_width 100, fn_call_width 60). kvmgate does not run
 * rustfmt; it writes each shape bindgen produces the way rustfmt would lay it out, so that a
 * generated file diffs line by line against bindgen's.
 */
#ifndef KVMGATE_RUST_FMT_H
#define KVMGATE_RUST_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sbuf.h"

/* Write the contents to out and reset. */
void fmt__put(FILE *out, struct sbuf *sb);

/* A raw C doc comment as bindgen 0.60 writes it: one `#[doc = "line"]` a line, comment markers
 * and leading `*` stripped, at `indent` columns. */
void fmt__doc(FILE *out, unsigned indent, const char *raw);
/* `    pub NAME: TYPE,` */
void fmt__field(FILE *out, const char *name, const char *type);
/* `pub const NAME: TYPE = VALUE;` */
void fmt__const(FILE *out, const char *name, const char *type, const char *value);
/* `pub type NAME = TYPE;` */
void fmt__type_alias(FILE *out, const char *name, const char *type);
/* The size_of / align_of assertion of a layout test. */
void fmt__assert_size(FILE *out, const char *fn, const char *label, const char *type,
		      uint64_t value);
/* `fn test_field_CNAME() { assert_eq!(offset of FIELD, OFFSET) } test_field_CNAME();` */
void fmt__assert_offset(FILE *out, const char *type, const char *field, const char *cname,
			uint64_t offset);
/* Getter and setter of one bitfield of unit N. */
void fmt__bitfield_accessors(FILE *out, size_t unit, const char *name, const char *type,
			     const char *prim, unsigned offset, unsigned width);
/* new_bitfield_N(params) -> __BindgenBitfieldUnit<[u8; SIZEusize]> { ... } in pieces. */
void fmt__bitfield_ctor_open(FILE *out, size_t unit, unsigned size, const char *const *params,
			     size_t nparams);
void fmt__bitfield_ctor_set(FILE *out, const char *name, const char *prim, unsigned offset,
			    unsigned width);
/* `write!(f, "FMT", args...)` inside a Debug impl (8 columns in). */
void fmt__write_macro(FILE *out, const char *fmtstr, const char *const *args, size_t nargs);

#endif
