/* conformance/guest/arm64/core.S - the core registers seen by guest code. The host enters at
 * core_entry (not _start: every register is the host's) with SP_EL1 = core_save: the guest stores
 * x0..x30, SP_EL0, SP, NZCV, DAIF, CurrentEL, SPSel, ELR_EL1, SPSR_EL1, FPSR, FPCR and v0..v31
 * there (core_layout.h). Then it loads the values of core_out into the same registers (SP_EL1
 * included), sets x30 to the ucall address and stops with "str x29, [x30]": a KVM_EXIT_MMIO with
 * every register as the guest left it. The MMU is off throughout. */
#include "ucall_abi.h"
#include "core_layout.h"

	.text
	.global core_entry
core_entry:
	stp	x0, x1, [sp, #CS_X + 0]
	stp	x2, x3, [sp, #CS_X + 16]
	stp	x4, x5, [sp, #CS_X + 32]
	stp	x6, x7, [sp, #CS_X + 48]
	stp	x8, x9, [sp, #CS_X + 64]
	stp	x10, x11, [sp, #CS_X + 80]
	stp	x12, x13, [sp, #CS_X + 96]
	stp	x14, x15, [sp, #CS_X + 112]
	stp	x16, x17, [sp, #CS_X + 128]
	stp	x18, x19, [sp, #CS_X + 144]
	stp	x20, x21, [sp, #CS_X + 160]
	stp	x22, x23, [sp, #CS_X + 176]
	stp	x24, x25, [sp, #CS_X + 192]
	stp	x26, x27, [sp, #CS_X + 208]
	stp	x28, x29, [sp, #CS_X + 224]
	str	x30, [sp, #CS_X + 240]
	mrs	x0, sp_el0
	str	x0, [sp, #CS_SP_EL0]
	mov	x0, sp
	str	x0, [sp, #CS_SP]
	mrs	x0, nzcv
	str	x0, [sp, #CS_NZCV]
	mrs	x0, daif
	str	x0, [sp, #CS_DAIF]
	mrs	x0, currentel
	str	x0, [sp, #CS_CURRENTEL]
	mrs	x0, spsel
	str	x0, [sp, #CS_SPSEL]
	mrs	x0, elr_el1
	str	x0, [sp, #CS_ELR]
	mrs	x0, spsr_el1
	str	x0, [sp, #CS_SPSR]
	mov	x0, #(3 << 20)		/* CPACR_EL1.FPEN */
	msr	cpacr_el1, x0
	isb
	mrs	x0, fpsr
	str	x0, [sp, #CS_FPSR]
	mrs	x0, fpcr
	str	x0, [sp, #CS_FPCR]
	add	x0, sp, #CS_V
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q8, q9, [x0, #128]
	stp	q10, q11, [x0, #160]
	stp	q12, q13, [x0, #192]
	stp	q14, q15, [x0, #224]
	stp	q16, q17, [x0, #256]
	stp	q18, q19, [x0, #288]
	stp	q20, q21, [x0, #320]
	stp	q22, q23, [x0, #352]
	stp	q24, q25, [x0, #384]
	stp	q26, q27, [x0, #416]
	stp	q28, q29, [x0, #448]
	stp	q30, q31, [x0, #480]

	ldr	x30, =core_out
	ldr	x0, [x30, #CO_SP_EL0]
	msr	sp_el0, x0
	ldr	x0, [x30, #CO_ELR]
	msr	elr_el1, x0
	ldr	x0, [x30, #CO_SPSR]
	msr	spsr_el1, x0
	ldr	x0, [x30, #CO_FPSR]
	msr	fpsr, x0
	ldr	x0, [x30, #CO_FPCR]
	msr	fpcr, x0
	add	x0, x30, #CO_V
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q8, q9, [x0, #128]
	ldp	q10, q11, [x0, #160]
	ldp	q12, q13, [x0, #192]
	ldp	q14, q15, [x0, #224]
	ldp	q16, q17, [x0, #256]
	ldp	q18, q19, [x0, #288]
	ldp	q20, q21, [x0, #320]
	ldp	q22, q23, [x0, #352]
	ldp	q24, q25, [x0, #384]
	ldp	q26, q27, [x0, #416]
	ldp	q28, q29, [x0, #448]
	ldp	q30, q31, [x0, #480]
	ldr	x0, [x30, #CO_SP_EL1]
	mov	sp, x0
	ldr	x0, [x30, #CO_NZCV]	/* last: nothing below sets flags */
	msr	nzcv, x0
	ldp	x0, x1, [x30, #CO_X + 0]
	ldp	x2, x3, [x30, #CO_X + 16]
	ldp	x4, x5, [x30, #CO_X + 32]
	ldp	x6, x7, [x30, #CO_X + 48]
	ldp	x8, x9, [x30, #CO_X + 64]
	ldp	x10, x11, [x30, #CO_X + 80]
	ldp	x12, x13, [x30, #CO_X + 96]
	ldp	x14, x15, [x30, #CO_X + 112]
	ldp	x16, x17, [x30, #CO_X + 128]
	ldp	x18, x19, [x30, #CO_X + 144]
	ldp	x20, x21, [x30, #CO_X + 160]
	ldp	x22, x23, [x30, #CO_X + 176]
	ldp	x24, x25, [x30, #CO_X + 192]
	ldp	x26, x27, [x30, #CO_X + 208]
	ldp	x28, x29, [x30, #CO_X + 224]
	movz	x30, #(GA_UCALL_MMIO & 0xffff)
	movk	x30, #(GA_UCALL_MMIO >> 16), lsl #16
	.global	core_stop_pc
core_stop_pc:				/* PC at the stop's MMIO exit (not yet stepped over) */
	str	x29, [x30]
	b	.

	.global guest_main		/* _start is not used by this blob */
guest_main:
	b	guest_system_off

	.bss
	.balign	16
	.global	core_save
core_save:
	.skip	CS_SIZE
	.balign	16
	.global	core_out
core_out:
	.skip	CO_SIZE

	.section .note.GNU-stack, "", %progbits
