/* conformance/guest/x86_64/basic.S - kvm_basic's two programs (guest.h), position-independent:
 * the host copies each to guest_code_gpa and runs it in the library's long mode. */
#include "abi.h"

	.code64
	.text
/* basic_exit: one byte X86G_BASIC_VALUE to port X86G_BASIC_PORT, then HLT. */
	.globl basic_exit, basic_exit_done, basic_exit_end
basic_exit:
	mov $X86G_BASIC_PORT, %dx
	mov $X86G_BASIC_VALUE, %al
	out %al, %dx
	hlt
basic_exit_done:
basic_exit_end:

/* basic_add: rax += rbx, rcx += rdx, then HLT. */
	.globl basic_add, basic_add_done, basic_add_end
basic_add:
	add %rbx, %rax
	add %rdx, %rcx
	hlt
basic_add_done:
basic_add_end:


/* Real-mode stubs the host copies where an SMI or a SIPI starts a vCPU: a byte to their port
 * (X86G_SMM_PORT, X86G_SIPI_PORT), then RSM (SMM) or HLT (after the SIPI). */
	.code16
	.globl smm_stub, smm_stub_end, sipi_stub, sipi_stub_end
smm_stub:
	mov $X86G_SMM_PORT, %dx
	out %al, %dx
	rsm
smm_stub_end:
sipi_stub:
	mov $X86G_SIPI_PORT, %dx
	out %al, %dx
	hlt
sipi_stub_end:
	.code32
	.globl pae_stub, pae_stub_end
pae_stub:
	mov $X86G_PAE_PORT, %dx
	out %al, %dx
	hlt
pae_stub_end:
	.code64

	.section .note.GNU-stack, "", @progbits
