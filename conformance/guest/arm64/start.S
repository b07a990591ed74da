/* conformance/guest/arm64/start.S - the entry of every vCPU (the host sets PC to _start, PSCI
 * CPU_ON starts secondaries there): a stack per vCPU (by MPIDR_EL1.Aff0), the vector table,
 * FP/SIMD access, an identity map with the MMU and caches on (guest memory write-back cacheable,
 * the first and the last two GiB Device), then guest_main(x0..x7) and PSCI SYSTEM_OFF.
 * x0..x8 arrive in guest_main as the host set them; the MMU registers the vCPU started with are
 * kept in guest_boot_regs. Also the PSCI/SMCCC calls. */
#include "ucall_abi.h"

#define PTE_BLOCK	0x1
#define PTE_AF		(1 << 10)
#define PTE_ISH		(3 << 8)
#define PTE_NORMAL	(1 << 2)	/* MAIR attr1 */

	.section .text.start, "ax"
	.global _start
_start:
	mrs	x9, mpidr_el1
	and	x9, x9, #0xff
	cmp	x9, #GA_MAX_CPUS
	b.hs	.
	mrs	x12, sctlr_el1
	mrs	x13, tcr_el1
	mrs	x14, mair_el1
	mrs	x15, ttbr0_el1
	mrs	x16, ttbr1_el1
	mrs	x17, vbar_el1
	mrs	x18, cpacr_el1

	ldr	x10, =__stacks_end
	mov	x11, #GA_STACK_SIZE
	msub	x10, x9, x11, x10
	mov	sp, x10
	ldr	x10, =vectors
	msr	vbar_el1, x10
	mov	x10, #(3 << 20)		/* CPACR_EL1.FPEN: no FP/SIMD traps */
	msr	cpacr_el1, x10

	ldr	x10, =ga_pgtable
	ldr	x11, =(PTE_AF | PTE_BLOCK)
	str	x11, [x10]
	ldr	x11, =(0x40000000 | PTE_AF | PTE_ISH | PTE_NORMAL | PTE_BLOCK)
	str	x11, [x10, #8]
	ldr	x11, =(0x80000000 | PTE_AF | PTE_BLOCK)
	str	x11, [x10, #16]
	ldr	x11, =(0xc0000000 | PTE_AF | PTE_BLOCK)
	str	x11, [x10, #24]
	dsb	sy
	dc	civac, x10
	dsb	sy
	msr	ttbr0_el1, x10
	ldr	x11, =GA_MAIR
	msr	mair_el1, x11
	ldr	x11, =GA_TCR
	msr	tcr_el1, x11
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	orr	x11, x12, #1		/* SCTLR_EL1.M */
	orr	x11, x11, #4		/* .C */
	orr	x11, x11, #(1 << 12)	/* .I */
	msr	sctlr_el1, x11
	isb

	ldr	x10, =guest_boot_regs
	mov	x11, #(BOOT_NREGS * 8)
	madd	x10, x9, x11, x10
	stp	x12, x13, [x10]
	stp	x14, x15, [x10, #16]
	stp	x16, x17, [x10, #32]
	str	x18, [x10, #48]
	bl	guest_main
	b	guest_system_off

	.text
	.global guest_system_off
guest_system_off:
	movz	x0, #(PSCI_FN_SYSTEM_OFF & 0xffff)
	movk	x0, #(PSCI_FN_SYSTEM_OFF >> 16), lsl #16
	hvc	#0
	.global guest_done_pc
guest_done_pc:				/* where KVM_EXIT_SYSTEM_EVENT leaves PC */
	b	.

	.global guest_hvc
guest_hvc:
	hvc	#0
	ret

	.bss
	.balign 4096
	.global ga_pgtable
ga_pgtable:
	.skip	4096
	.global guest_boot_regs
guest_boot_regs:
	.skip	GA_MAX_CPUS * BOOT_NREGS * 8

	.section .note.GNU-stack, "", %progbits
