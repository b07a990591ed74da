/* dwarf.h - layouts read back through pahole: from the DWARF of a compiled probe of the headers,
 * and from the kernel's own debug info (BTF of a running kernel, of a vmlinux, vmlinuz/Image or
 * module; DWARF of a -dbg vmlinux or module). Everything lands in the manifest model of
 * bindings/model/manifest.h; the loaders register with the registry of bindings/model/source.h.
 *
 * Library calls return 0 or -errno and never exit; messages go to the caller's err buffer.
 */
#ifndef KVMGATE_DWARF_H
#define KVMGATE_DWARF_H

#include <stdbool.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>

#include "errbuf.h"

#include "manifest.h"
#include "source.h"

/* Register the loaders of dwarf/ with the registry of source.h, in this probe order:
 * - probe: a probe object (built by dwarf__probe_view or dwarf__probe_build), DWARF of headers,
 *   compared like any manifest (is_debuginfo false); recognised by its section PROBE_SECTION;
 * - btf: /sys/kernel/btf/{vmlinux,MODULE}, a raw BTF blob, a vmlinux or .ko ELF, a bzImage,
 *   vmlinuz or arm64/riscv Image (compressed or not): is_debuginfo true;
 * - dwarf: DWARF of a kernel object (vmlinux or .ko built with debug info): is_debuginfo true.
 * 0 or -errno. */
int dwarf__register_sources(void);

#define PROBE_SECTION ".kvmgate_probe"


/* Build a probe object at out_path: a C file that instantiates every struct, union and enum of
 * layout's type records, compiled with arch__cc(arch) -g and headers__include_dirs(arch, headers).
 * 0 or -errno (err: the compiler's first error line). */
int dwarf__probe_build(const struct manifest *layout, const char *arch, const char *headers,
		       const char *out_path, char *err, size_t errlen);

/* The DWARF view of layout's types, for `kvmgate gen` (OUTDIR/layout.dwarf): builds the probe in
 * a temporary directory (removed), runs pahole on it and fills out (initialised by the caller)
 * with meta records and the types and fields. 0 or -errno. dwarf__probe_start then
 * dwarf__probe_finish. */
int dwarf__probe_view(const struct manifest *layout, const char *arch, const char *headers,
		      struct manifest *out, char *err, size_t errlen);

/* The same in two steps, so that the compiler runs while libclang parses: the probe of the
 * headers needs no layout (every type they declare is kept in its DWARF). */
struct dwarf_probe {
	const char *arch, *cc;
	char *tmp, *obj, *log;	/* the temporary directory, the object, the compiler's stderr */
	pid_t pid;		/* the compiler, while it runs */
	/* dwarf__probe_read_start: the thread that finishes, and what it was given and says */
	pthread_t thread;
	bool reading;
	const struct manifest *layout;
	struct manifest *out;
	int ret;
	char err[ERRBUF_SIZE];
};
/* Write the probe of the headers and start the compiler on it; on failure p holds nothing.
 * 0 or -errno. */
int dwarf__probe_start(struct dwarf_probe *p, const char *arch, const char *headers, char *err,
		       size_t errlen);
/* Wait for the compiler, read layout's types back through pahole into out (meta: layout's
 * kernel label); p is released. 0 or -errno (err: the compiler's first error line, or pahole's). */
int dwarf__probe_finish(struct dwarf_probe *p, const struct manifest *layout,
			struct manifest *out, char *err, size_t errlen);
/* dwarf__probe_finish on a thread of its own, so that gen writes its other files meanwhile;
 * layout must not change until dwarf__probe_read_join, which waits for it and returns what
 * dwarf__probe_finish returned (err filled). Without a thread, dwarf__probe_finish runs here. */
void dwarf__probe_read_start(struct dwarf_probe *p, const struct manifest *layout,
			     struct manifest *out);
int dwarf__probe_read_join(struct dwarf_probe *p, char *err, size_t errlen);
/* Wait for the compiler if it runs, remove the temporary directory, release p. */
void dwarf__probe_cancel(struct dwarf_probe *p);

#endif
