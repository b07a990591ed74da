/* conformance/guest/x86_64/regs.S - the kvm_regs probe: entered straight from KVM_SET_REGS (not
 * through x86g_start, which would change registers), it stores every general register and RFLAGS
 * as it found them into regs_seen (kvm_regs order; the RIP slot records which of the two entries
 * ran), loads X86G_REGS_OUT(i) into every register and X86G_REGS_OUT_RFLAGS into RFLAGS, and
 * stops with HLT at regs_probe_done. rsp must point at writable memory (for pushfq/popfq). */
#include "abi.h"

	.code64
	.text
	.globl regs_probe_a, regs_probe_b, regs_probe_done
regs_probe_a:
	movq $X86G_REGS_MARK_A, regs_seen + 16 * 8(%rip)
	jmp 1f
regs_probe_b:
	movq $X86G_REGS_MARK_B, regs_seen + 16 * 8(%rip)
1:	mov %rax, regs_seen + 0 * 8(%rip)
	mov %rbx, regs_seen + 1 * 8(%rip)
	mov %rcx, regs_seen + 2 * 8(%rip)
	mov %rdx, regs_seen + 3 * 8(%rip)
	mov %rsi, regs_seen + 4 * 8(%rip)
	mov %rdi, regs_seen + 5 * 8(%rip)
	mov %rsp, regs_seen + 6 * 8(%rip)
	mov %rbp, regs_seen + 7 * 8(%rip)
	mov %r8, regs_seen + 8 * 8(%rip)
	mov %r9, regs_seen + 9 * 8(%rip)
	mov %r10, regs_seen + 10 * 8(%rip)
	mov %r11, regs_seen + 11 * 8(%rip)
	mov %r12, regs_seen + 12 * 8(%rip)
	mov %r13, regs_seen + 13 * 8(%rip)
	mov %r14, regs_seen + 14 * 8(%rip)
	mov %r15, regs_seen + 15 * 8(%rip)
	pushfq
	popq regs_seen + 17 * 8(%rip)
	pushq $X86G_REGS_OUT_RFLAGS
	popfq
	movabs $X86G_REGS_OUT(0), %rax
	movabs $X86G_REGS_OUT(1), %rbx
	movabs $X86G_REGS_OUT(2), %rcx
	movabs $X86G_REGS_OUT(3), %rdx
	movabs $X86G_REGS_OUT(4), %rsi
	movabs $X86G_REGS_OUT(5), %rdi
	movabs $X86G_REGS_OUT(6), %rsp
	movabs $X86G_REGS_OUT(7), %rbp
	movabs $X86G_REGS_OUT(8), %r8
	movabs $X86G_REGS_OUT(9), %r9
	movabs $X86G_REGS_OUT(10), %r10
	movabs $X86G_REGS_OUT(11), %r11
	movabs $X86G_REGS_OUT(12), %r12
	movabs $X86G_REGS_OUT(13), %r13
	movabs $X86G_REGS_OUT(14), %r14
	movabs $X86G_REGS_OUT(15), %r15
	hlt
regs_probe_done:
	jmp regs_probe_done

	.bss
	.balign 8
	.globl regs_seen
regs_seen:
	.skip 18 * 8

	.section .note.GNU-stack, "", @progbits
