/* source.h - a loader of layouts into the manifest model: one ops struct per source format.
 *
 * The front end (kvmgate.c) keeps a table of these; `kvmgate dump SOURCE` picks the first whose
 * probe() accepts the path, or the one named by --from. Formats of bindings/: headers, manifest,
 * rust (bindgen's bindings.rs); of dwarf/: dwarf, btf.
 */
#ifndef KVMGATE_SOURCE_H
#define KVMGATE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "manifest.h"

struct source_opts {
	const char *arch;	/* x86_64 or arm64; NULL = from the source, else the host's */
	const char *kernel;	/* label for meta kernel; NULL = derived */
	const char *btf_base;	/* BTF of the base kernel, for module BTF (--btf-base) */
	/* When non-NULL: extract only the struct/union/enum types this manifest names (kernel
	 * debug info holds thousands of types). */
	const struct manifest *only;
	/* Number of pahole warnings that were filtered (set by dwarf/btf loaders). */
	unsigned *warnings;
};

struct source_ops {
	const char *name;
	/* true: kernel debug info (DIFF_NOT_IN_B for types it lacks, no constants/ioctls) */
	bool is_debuginfo;
	/* Cheap check whether path looks like this format (no error output). */
	bool (*probe)(const char *path);
	/* Fill m (already initialised); 0 or -errno with err = "PATH[:LINE]: message". */
	int (*load)(struct manifest *m, const char *path, const struct source_opts *o, char *err,
		    size_t errlen);
};

extern const struct source_ops headers_source_ops;	/* clang_load.c */
extern const struct source_ops manifest_source_ops;	/* manifest.c */
extern const struct source_ops rust_source_ops;		/* rust_read.c */

/* headers.c: the include directories for an arch and a headers_install tree (NULL = the
 * installed default: linux-libc-dev for x86_64, linux-libc-dev-arm64-cross for arm64).
 * Fills dirs[0..*n) with static or malloc'd paths owned by the caller (free each with free()).
 * 0, or -ENOENT with err naming the missing DIR/include/linux/kvm.h. */
int headers__include_dirs(const char *arch, const char *headers, char ***dirs, size_t *n,
			  char *err, size_t errlen);
/* The target triple clang and gcc use for an arch ("x86_64-linux-gnu", "aarch64-linux-gnu"),
 * or NULL for an unknown arch. */
const char *arch__triple(const char *arch);
/* The C compiler for an arch: "gcc" / "aarch64-linux-gnu-gcc" (env KVMGATE_CC_<arch> overrides). */
const char *arch__cc(const char *arch);

#endif
