/* pahole.h - internals of dwarf/: running pahole, parsing its output, reading kernel files.
 *
 * Not part of the API of dwarf/ (see dwarf.h); shared by its files and its test driver.
 */
#ifndef KVMGATE_PAHOLE_H
#define KVMGATE_PAHOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manifest.h"
#include "source.h"

/* ---- loaders.c ---- */
/* The probe format: an ELF object carrying PROBE_SECTION; its load (dwarf__probe_view reads
 * the probe it built through it). */
bool probe_source__probe(const char *path);
int probe_source__load(struct manifest *m, const char *path, const struct source_opts *o,
		       char *err, size_t errlen);

/* ---- pahole_run.c ---- */
struct pahole_result {
	char *out;		/* stdout, NUL-terminated */
	size_t outlen;
	unsigned warnings;	/* "Unknown kind" lines filtered from stderr */
	char **missing;		/* names of "type 'X' not found" */
	size_t nmissing;
};

/* The pahole command: $KVMGATE_PAHOLE or "pahole". */
const char *pahole__path(void);
/* Run pahole with argv (argv[0] is replaced by pahole__path()); collect its output. A nonzero
 * exit, a signal, or a line on stderr that is neither a filtered warning nor "type not found"
 * is an error: -EIO (or -ENOENT when pahole is missing) with err = "pahole: first line". */
int pahole__run(const char *const *argv, struct pahole_result *r, char *err, size_t errlen);
void pahole_result__fini(struct pahole_result *r);

/* ---- pahole_types.c ---- */
struct type_name {
	const char *name;	/* bare: "kvm_regs" */
	bool is_enum;
};
/* Read the types t[0..n) from file through pahole (argv "-F fmt [basearg]") into m; t NULL: every
 * type whose name starts with "kvm". scan_all: the file may lack some of the types (kernel debug
 * info), list every struct and union in one run. Filtered warnings are added to *warnings.
 * 0 or -errno with err. */
int pahole__load_types(struct manifest *m, const char *file, const char *fmt,
		       const char *basearg, const struct type_name *t, size_t n, bool scan_all,
		       unsigned *warnings, char *err, size_t errlen);

/* ---- pahole_parse.c ---- */
/* Parse pahole's C-like output (default options, no --expand_types) into type and field records;
 * when wanted is not NULL, only the types of those bare names (sorted, strcmp). A type printed
 * twice (once per CU of DWARF objects) is kept once. Alignment is inferred from the members
 * (scalars aligned to their size, as on x86_64, arm64 and riscv64), packed and aligned attributes.
 * 0, or -EINVAL with err = "pahole output:LINE: what". */
int pahole__parse(const char *text, struct manifest *m, const char *const *wanted,
		  size_t nwanted, char *err, size_t errlen);
/* Array spellings that debug info cannot keep: DWARF and BTF do not tell a flexible array "T x[]"
 * from a zero-length one "T x[0]" (gcc even writes a count of 0 for some flexible arrays), and
 * pahole's BTF flattens "T x[8][16]" into "T x[128]". For each such field of m, take the spelling
 * and the flex flag of the same field of ref when the base type and the element count agree.
 * 0 or -ENOMEM. */
int pahole__adopt_extents(struct manifest *m, const struct manifest *ref);
/* Normalise a DWARF/BTF base type name to its C spelling ("long long unsigned int" ->
 * "unsigned long long"); other names are returned unchanged. */
const char *pahole__base_spelling(const char *name);

/* ---- elf.c ---- */
struct elf_info {
	bool is_elf;
	bool is_elf64;
	uint16_t machine;		/* EM_X86_64, EM_AARCH64 */
	bool has_btf, has_debug_info, has_modinfo, has_probe;
	uint64_t probe_off, probe_size;	/* file range of PROBE_SECTION */
	uint64_t btf_off, btf_size;
	uint64_t modinfo_off, modinfo_size;
};
/* Read the ELF header and section names of fd. 0 (info->is_elf false for a non-ELF file) or
 * -errno; a truncated or malformed ELF is -EINVAL with err. */
int elf__inspect(int fd, const char *path, struct elf_info *info, char *err, size_t errlen);

/* ---- kfile.c ---- */
#define BTF_MAGIC 0xeB9F
/* Check that buf[0..len) starts with a complete BTF blob; returns its total size or 0. */
size_t btf__blob_size(const unsigned char *buf, size_t len);

enum kfile_kind {
	KFILE_BTF_RAW,		/* raw BTF (sysfs, or carved) */
	KFILE_ELF,		/* ELF: vmlinux, .ko, probe */
	KFILE_IMAGE,		/* bzImage, vmlinuz, Image(.gz): BTF carved into a temp file */
};

struct kfile {
	char *path;		/* what pahole reads: the file itself or a carved BTF in tmpdir */
	enum kfile_kind kind;
	struct elf_info elf;	/* KFILE_ELF */
	bool is_module;		/* .ko, or /sys/kernel/btf/<module> */
	char *tmpdir;		/* removed by kfile__close */
	const char *arch;	/* from the ELF machine or image header; NULL if unknown */
};

/* Classify path and make it readable by pahole for fmt ("btf" or "dwarf"). 0 or -errno with err
 * = "PATH: what" (-ENOENT, -EINVAL for not an ELF / truncated BTF / no .BTF / no DWARF). */
int kfile__open(struct kfile *k, const char *path, const char *fmt, char *err, size_t errlen);
void kfile__close(struct kfile *k);
/* The kernel release a kernel file names ("6.1.0-56-amd64": a module's vermagic, a bzImage's
 * version string), malloc'd; NULL when it names none. */
char *kfile__release(const char *path, const struct elf_info *e);
/* True when the start of a file looks like a kernel image (bzImage, arm64 or riscv Image) or, for a file
 * named like one (vmlinuz, Image), a compressed stream. */
bool kfile__is_image(const char *path, const unsigned char *head, size_t len);
/* absent[i] = names[i] is not a string of k's BTF string section (then no type has that name;
 * split BTF may also name types with its base's strings). 0 or -errno. */
int kfile__btf_strings_lack(const struct kfile *k, const char *const *names, size_t n,
			    bool *absent);

#endif
