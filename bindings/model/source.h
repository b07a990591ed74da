/* source.h - loaders of layouts into the manifest model, one ops struct per source format, and
 * their registry.
 *
 * A loader registers its ops (source__register); `kvmgate dump SOURCE` loads through
 * source__load, which takes the format named by --from or the first registered whose probe()
 * accepts the path. The manifest format is built in; the others: headers (clang/), rust
 * (rust/), and probe, btf, dwarf (dwarf/, dwarf__register_sources).
 */
#ifndef KVMGATE_SOURCE_H
#define KVMGATE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "manifest.h"

struct source_opts {
	const char *arch;	/* a name of the arch table; NULL = from the source, else the host's */
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

/* Add a loader after those registered before (probe order); registering the same ops again
 * does nothing. 0, or -ENOSPC when the table is full. */
int source__register(const struct source_ops *ops);
/* The registered loader of that name, or NULL. */
const struct source_ops *source__by_name(const char *name);
/* The first registered loader whose probe() accepts path, or NULL. */
const struct source_ops *source__probe(const char *path);
/* Load SOURCE into m (initialised here) with the format named by from, or probed from the
 * path; path NULL: the default headers of o->arch. *used (may be NULL) is set to the loader.
 * 0 or -errno with err filled ("PATH[:LINE]: what"); m is empty on failure. */
int source__load(struct manifest *m, const char *path, const char *from,
		 const struct source_opts *o, const struct source_ops **used, char *err,
		 size_t errlen);

extern const struct source_ops manifest_source_ops;	/* manifest_text.c, built in */
extern const struct source_ops headers_source_ops;	/* clang/clang_load.c */
extern const struct source_ops rust_source_ops;		/* rust/rust_read.c */

#endif
