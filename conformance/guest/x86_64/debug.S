/* conformance/guest/x86_64/debug.S - guest side of x86_debug_test: debugregs_probe reads DR0-3,
 * DR6, DR7 into debug_seen[0..5], GUEST_SYNC(1) (through debug_sync), then loads debug_load[0..5]
 * into them; debug_code is where the host puts a hardware breakpoint, single-steps and meets an
 * int3 (its labels are the addresses KVM_EXIT_DEBUG must report). */
	.code64
	.text
	.globl debugregs_probe
debugregs_probe:
	mov %db0, %rax
	mov %rax, debug_seen + 0(%rip)
	mov %db1, %rax
	mov %rax, debug_seen + 8(%rip)
	mov %db2, %rax
	mov %rax, debug_seen + 16(%rip)
	mov %db3, %rax
	mov %rax, debug_seen + 24(%rip)
	mov %db6, %rax
	mov %rax, debug_seen + 32(%rip)
	mov %db7, %rax
	mov %rax, debug_seen + 40(%rip)
	sub $8, %rsp
	call debug_sync
	add $8, %rsp
	mov debug_load + 0(%rip), %rax
	mov %rax, %db0
	mov debug_load + 8(%rip), %rax
	mov %rax, %db1
	mov debug_load + 16(%rip), %rax
	mov %rax, %db2
	mov debug_load + 24(%rip), %rax
	mov %rax, %db3
	mov debug_load + 32(%rip), %rax
	mov %rax, %db6
	mov debug_load + 40(%rip), %rax
	mov %rax, %db7
	ret

	.globl debug_code, debug_target, debug_step1, debug_step2, debug_int3, debug_int3_end
debug_code:
debug_target:
	nop
debug_step1:
	nop
debug_step2:
	nop
debug_int3:
	int3
debug_int3_end:
	ret

	.bss
	.balign 8
	.globl debug_seen, debug_load
debug_seen:
	.skip 6 * 8
debug_load:
	.skip 6 * 8

	.section .note.GNU-stack, "", @progbits
