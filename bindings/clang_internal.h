/* clang_internal.h - shared between the libclang loader's two halves: declarations
 * (clang_load.c) and macros (clang_macros.c). Not part of the model's interface. */
#ifndef KVMGATE_CLANG_INTERNAL_H
#define KVMGATE_CLANG_INTERNAL_H

#include <clang-c/Index.h>

#include "cmodel.h"

struct clang_args {
	const char **argv;
	int argc;
};

/* Parse `src` (an in-memory main file) with args; on failure fills err and returns -EINVAL.
 * When fatal_errors is true, any error diagnostic fails the parse ("FILE:LINE:COL: message"). */
int clang__parse(CXIndex idx, const struct clang_args *a, const char *src, bool fatal_errors,
		 CXTranslationUnit *tu, char *err, size_t errlen);
/* True when the cursor is spelled in linux/kvm.h or asm/kvm.h. */
bool clang__in_kvm_header(CXCursor c);

/* clang_macros.c: every object-like macro of tu, evaluated through a second parse; results
 * appended to cm->macros. 0 or -errno (err filled). */
int clang__load_macros(struct cmodel *cm, CXIndex idx, CXTranslationUnit tu,
		       const struct clang_args *a, char *err, size_t errlen);

#endif
