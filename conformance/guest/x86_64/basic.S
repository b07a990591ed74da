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

	.section .note.GNU-stack, "", @progbits
