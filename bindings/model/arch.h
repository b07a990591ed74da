/* arch.h - the table of target architectures: everything kvmgate knows about x86_64, arm64 and
 * riscv64 (target triple, C compiler, installed default UAPI headers, ELF machine, uname machine) in one
 * place, and the include directories of a header set. */
#ifndef KVMGATE_ARCH_H
#define KVMGATE_ARCH_H

#include <stddef.h>
#include <stdint.h>

struct arch_info {
	const char *name;		/* "x86_64", "arm64", "riscv64": kvmgate's and the kernel's name */
	const char *triple;		/* target triple of clang and gcc */
	const char *cc;			/* the C compiler of the arch */
	const char *cc_env;		/* environment variable that overrides cc */
	const char *default_dirs[3];	/* installed UAPI headers, in include order */
	const char *default_pkg;	/* the Debian package that installs them */
	uint16_t elf_machine;		/* e_machine of its ELF objects */
	const char *uname_machine;	/* uname -m of a host of this arch */
	const char *image_magic;	/* the 4 bytes at 0x38 of its kernel Image, or NULL */
	const char *marker_type;	/* a struct only this arch's KVM headers define */
	const char *kernel_arch;	/* the kernel's ARCH= (make headers_install): "x86", "arm64" */
};

/* The arch named name, or NULL (also for a NULL name). */
const struct arch_info *arch__find(const char *name);
/* The i-th arch of the table (0, 1, ...), NULL past its end: every arch, in table order. */
const struct arch_info *arch__nth(size_t i);
/* "x86_64, arm64 or riscv64": the names the table knows, for messages. */
const char *arch__expected(void);
/* The target triple clang and gcc use for an arch ("x86_64-linux-gnu", "aarch64-linux-gnu"),
 * or NULL for an unknown arch. */
const char *arch__triple(const char *arch);
/* The C compiler for an arch: "gcc" / "aarch64-linux-gnu-gcc" (env KVMGATE_CC_<arch> overrides). */
const char *arch__cc(const char *arch);
/* The arch of ELF objects of e_machine machine, or NULL. */
const char *arch__from_elf_machine(unsigned machine);
/* The arch of a kernel Image (arm64's "ARM\x64", riscv's "RSC\x05" at offset 0x38) whose first
 * len bytes are head, or NULL. */
const char *arch__from_image(const unsigned char *head, size_t len);
/* The arch whose KVM headers alone define the struct named name (kvm_xsave, user_pt_regs,
 * kvm_riscv_core: what a bindings.rs of that arch defines), or NULL. */
const char *arch__from_marker_type(const char *name);
/* The arch of the running host (uname), or NULL when it is none of the table's. */
const char *arch__host(void);

/* The include directories for an arch and a headers_install tree (NULL = the installed default,
 * see default_dirs). Fills dirs[0..*n) with malloc'd paths owned by the caller (free each and
 * the array). 0, or -ENOENT with err naming the missing DIR/include/linux/kvm.h. */
int headers__include_dirs(const char *arch, const char *headers, char ***dirs, size_t *n,
			  char *err, size_t errlen);

#endif
