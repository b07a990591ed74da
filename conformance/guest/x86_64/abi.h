/* conformance/guest/x86_64/abi.h - what the x86_64 guest library and the host side (x86_vm.c)
 * agree on: the memory layout, the GDT selectors, the ucall port and record, the ucall commands.
 * Included by freestanding guest code, by the guest's assembly and by host code. */
#ifndef KVMGATE_X86G_ABI_H
#define KVMGATE_X86G_ABI_H

/* Guest memory: one slot at 0; the library image is linked at X86G_BASE (guest.ld) and runs
 * identity-mapped (4 GiB in 2 MiB pages, the top GiB uncached for the APIC and MMIO). */
#define X86G_MEM_SIZE		0x100000	/* 1 MiB: other slots go from there (conformance/) */
#define X86G_BASE		0x40000		/* above the SIPI pages and SMRAM (0x30000) */
#define X86G_STACK_SIZE		0x4000		/* per vCPU */
#define X86G_MAX_VCPUS		4

/* GDT selectors (start.S): 64-bit code, flat data, the TSS, and the descriptors that tests load
 * into segment registers (each distinct, so a swapped segment is seen). */
#define X86G_SEL_CODE64		0x08
#define X86G_SEL_DATA		0x10
#define X86G_SEL_TSS		0x18	/* 16 bytes: 0x18 and 0x20 */
#define X86G_SEL_CODE32		0x28
#define X86G_SEL_DATA_A		0x30	/* flat data, distinct selectors for ds/es/fs/gs/ss */
#define X86G_SEL_DATA_B		0x38
#define X86G_SEL_DATA_C		0x40
#define X86G_SEL_DATA_D		0x48
#define X86G_SEL_ODD		0x50	/* base, limit and attributes all distinctive (sregs test) */
#define X86G_SEL_LDT		0x58	/* 16 bytes: 0x58 and 0x60 */
#define X86G_SEL_LDT2		0x68	/* 16 bytes: the second half of x86g_ldt, limit 7 */
#define X86G_GDT_ENTRIES	15

/* The ODD descriptor: base 0x00a5b6c7, limit 0x3cdef (bytes), type 3 (read/write, accessed),
 * S 1, DPL 3, P 1, AVL 1, L 0, D/B 1, G 0. */
#define X86G_ODD_BASE		0x00a5b6c7u
#define X86G_ODD_LIMIT		0x3cdefu
#define X86G_ODD_TYPE		3
#define X86G_ODD_DPL		3
#define X86G_ODD_DESC		0x0053f3a5b6c7cdef

/* kvm_basic's programs (basic.S, guest.h): a one-byte write to a port, then HLT. */
#define X86G_BASIC_PORT		0x3f8
#define X86G_BASIC_VALUE	0x42
/* basic.S's real-mode stubs: SMM (copied to SMBASE + 0x8000) and SIPI (to the SIPI page). */
#define X86G_SMM_PORT		0x1001
#define X86G_SIPI_PORT		0x1002
/* nested.c's nested guest writes a byte here before its VMMCALL (L1 gets it as KVM_EXIT_IO). */
#define X86G_NESTED_PORT	0x1003
/* basic.S's 32-bit stub (PAE paging, the sregs2 pdptrs case) writes a byte here, then halts. */
#define X86G_PAE_PORT		0x1004

/* The regs test (regs.S): the values the guest leaves in the kvm_regs order (rax rbx rcx rdx rsi
 * rdi rsp rbp r8..r15 = 0..15), the RFLAGS it leaves (CF ZF OF and the fixed bit 1), and the
 * marker each of its two entries leaves where RIP is recorded. */
#define X86G_REGS_OUT(i)	(0x0100000000000000 * ((i) + 1) + 0x0000c0de00000000 + 0x1111 * ((i) + 1))
#define X86G_REGS_OUT_RFLAGS	0x843
#define X86G_REGS_MARK_A	0xa
#define X86G_REGS_MARK_B	0xb

/* The sregs test (sregs.c): stage 1 the host sets these through KVM_SET_SREGS(2) and the guest
 * reads them; stage 2 the guest sets the S2 values and the host reads them back. */
#define X86G_S1_FS_BASE		0xf0000		/* the host plants a marker at each base */
#define X86G_S1_GS_BASE		0xf8000
#define X86G_S1_FS_MARK		0x5346534653465346
#define X86G_S1_GS_MARK		0x5347534753475347
#define X86G_S1_CR2		0x0000123456789000
#define X86G_S1_CR8		5
#define X86G_S1_APIC_BASE	0xfec00900	/* enabled, BSP */
#define X86G_S2_FS_BASE		0x0000765432100000
#define X86G_S2_GS_BASE		0x0000012345600000
#define X86G_S2_CR2		0x0000fedcba987000
#define X86G_S2_CR8		12	/* higher than S1: lowering CR8 exits to a userspace APIC */
#define X86G_S2_APIC_BASE	0xfed00800	/* enabled, not BSP */
#define X86G_S2_IDT_LIMIT	0x7ff

/* The compatibility-mode probe (compat.S): DS as the host sets it, read-only, at COMPAT_DS_BASE
 * with a byte limit of COMPAT_DS_LIMIT; the host plants a marker at its first and last dword. */
#define X86G_COMPAT_DS_BASE	0xe0000
#define X86G_COMPAT_DS_LIMIT	0xfff
#define X86G_COMPAT_MARK0	0x30534431	/* at the base */
#define X86G_COMPAT_MARK1	0x31534431	/* at base + limit - 3 */

/* The ucall: the guest writes the guest-physical address of a struct x86g_ucall (32 bits) to
 * this port with `out %eax, %dx`; the host reads the record from guest memory. */
#define X86G_UCALL_PORT		0x1000

#define UCALL_SYNC		1	/* a stage reached; args say what */
#define UCALL_DONE		2	/* the function returned */
#define UCALL_ASSERT		3	/* GUEST_ASSERT failed: text, file, line, args[0..1] */
#define UCALL_EXCEPTION		4	/* an unexpected exception: args vector, error, rip, cr2 */
#define UCALL_NARGS		6

#ifndef __ASSEMBLER__
#include <stdint.h>

/* What sregs_host_view (sregs.c) reads: selectors cs ds es fs gs ss tr ldt; the quadwords at
 * fs:0 and gs:0; FS_BASE, GS_BASE; the control registers, EFER and APIC base MSRs; sgdt, sidt. */
struct x86g_sregs_seen {
	uint64_t sel[8];
	uint64_t fs_mem, gs_mem, fs_base, gs_base;
	uint64_t cr0, cr2, cr3, cr4, cr8, efer, apic_base;
	uint64_t gdt_base, gdt_limit, idt_base, idt_limit;
};

struct x86g_ucall {
	uint64_t cmd;
	uint64_t nargs;
	uint64_t args[UCALL_NARGS];
	uint64_t line;
	uint64_t file;		/* guest-physical address of a NUL-terminated string, or 0 */
	uint64_t text;		/* the same: the assertion's text */
};
#endif

#endif
