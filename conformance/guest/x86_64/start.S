/* conformance/guest/x86_64/start.S - the x86_64 guest library's machine state: the entry the host
 * starts functions at, the exception stubs, and the tables the host's long mode points at (GDT,
 * TSS, LDT, identity page tables, per-vCPU stacks, IDT). */
#include "abi.h"

	.code64
	.section .text.start, "ax"
/* x86g_start: the host enters here in long mode (x86_vm.c) with rdi = the function, rsi = its
 * argument and rsp = this vCPU's stack top; the IDT is filled, the function called with the
 * argument, and its return reported as UCALL_DONE. */
	.globl x86g_start
x86g_start:
	push %rdi
	push %rsi
	call x86g_init
	pop %rdi
	pop %rax
	call *%rax
	call x86g_done

/* The exception stubs: 256 of 16 bytes each (vector n at x86g_isr_stubs + 16 n), each pushes an
 * error code of 0 where the CPU pushes none, then its vector. */
	.text
	.balign 16
	.globl x86g_isr_stubs
x86g_isr_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	.if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushq $0
	.endif
	pushq $vec
	jmp x86g_isr_common
	.set vec, vec + 1
	.endr

/* x86g_isr_common: the registers saved as a struct x86g_frame (x86g.h), x86g_exception called with
 * it (it may change the frame, e.g. rip), then back with iretq. */
x86g_isr_common:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, %rdi
	cld
	call x86g_exception
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp
	iretq

/* Identity page tables: 4 GiB in 2 MiB pages, the top GiB (APIC, MMIO) uncached. A second PML4
 * (x86g_pml4_alt) maps the same, for tests that move CR3. */
	.section .data.pagetables, "aw"
	.balign 4096
	.globl x86g_pml4, x86g_pml4_alt
x86g_pml4:
	.quad x86g_pdpt + 0x3
	.fill 511, 8, 0
x86g_pml4_alt:
	.quad x86g_pdpt + 0x3
	.fill 511, 8, 0
x86g_pdpt:
	.quad x86g_pd + 0x0003
	.quad x86g_pd + 0x1003
	.quad x86g_pd + 0x2003
	.quad x86g_pd + 0x3003
	.fill 508, 8, 0
x86g_pd:
	.set addr, 0
	.rept 2048
	.if addr >= 0xc0000000
	.quad addr | 0x9b	/* present, writable, PWT, PCD, 2 MiB */
	.else
	.quad addr | 0x83	/* present, writable, 2 MiB */
	.endif
	.set addr, addr + 0x200000
	.endr

/* The GDT (selectors in abi.h); the TSS and LDT descriptors are filled by x86g_init. */
	.data
	.balign 16
	.globl x86g_gdt, x86g_gdt_end
x86g_gdt:
	.quad 0				/* 0x00 null */
	.quad 0x00af9b000000ffff	/* 0x08 64-bit code */
	.quad 0x00cf93000000ffff	/* 0x10 flat data */
	.quad 0, 0			/* 0x18 TSS */
	.quad 0x00cf9b000000ffff	/* 0x28 32-bit code */
	.quad 0x00cf93000000ffff	/* 0x30 data A */
	.quad 0x00cf93000000ffff	/* 0x38 data B */
	.quad 0x00cf93000000ffff	/* 0x40 data C */
	.quad 0x00cf93000000ffff	/* 0x48 data D */
	.quad X86G_ODD_DESC		/* 0x50 odd */
	.quad 0, 0			/* 0x58 LDT */
	.quad 0, 0			/* 0x68 LDT2 */
x86g_gdt_end:

	.balign 16
	.globl x86g_tss, x86g_ldt
x86g_tss:
	.fill 104, 1, 0
	.balign 16
x86g_ldt:
	.fill 2, 8, 0

	.bss
	.balign 4096
	.globl x86g_idt, x86g_stacks
x86g_idt:
	.skip 256 * 16
x86g_stacks:
	.skip X86G_MAX_VCPUS * X86G_STACK_SIZE

	.section .note.GNU-stack, "", @progbits
