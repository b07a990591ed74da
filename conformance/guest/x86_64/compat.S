/* conformance/guest/x86_64/compat.S - guest side of x86_regs_test:segments_compat_mode: in
 * compatibility mode (a 32-bit code segment under long mode) DS's base, limit and type are in
 * force, so the guest can see what KVM_SET_SREGS put in them: it reads DS:0 and DS:limit-3 (the
 * host's markers), then reads DS:limit+1 and writes DS:0, each of which must raise #GP (beyond the
 * limit; a read-only type) at compat_gp1 / compat_gp2; compat_gp_handler resumes after each.
 * Results: compat_seen[0] = DS:0, [1] = DS:limit-3, [2] = #GPs taken, [3] = the RIPs that took
 * them as seen (1 at compat_gp1, 2 at compat_gp2 or'ed). */
#include "abi.h"

	.code64
	.text
	.globl compat_probe, compat_gp1, compat_gp2, compat_gp1_resume, compat_gp2_resume
compat_probe:
	push %rbx
	pushq $X86G_SEL_CODE32
	lea 1f(%rip), %rax
	push %rax
	lretq
	.code32
1:	movl %ds:0, %eax
	movl %ds:(X86G_COMPAT_DS_LIMIT - 3), %ebx
compat_gp1:
	movl %ds:(X86G_COMPAT_DS_LIMIT + 1), %ecx
compat_gp1_resume:
compat_gp2:
	movl $0x5a5a5a5a, %ds:0
compat_gp2_resume:
	ljmp $X86G_SEL_CODE64, $2f
	.code64
2:	mov %eax, compat_seen + 0(%rip)
	mov %ebx, compat_seen + 8(%rip)
	pop %rbx
	ret

	.bss
	.balign 8
	.globl compat_seen
compat_seen:
	.skip 4 * 8

	.section .note.GNU-stack, "", @progbits
