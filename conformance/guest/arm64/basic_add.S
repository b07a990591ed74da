/* conformance/guest/arm64/basic_add.S - kvm_basic_test's "add" program: x5 += x6, x7 += x8 on
 * the values the host set (start.S leaves x0..x8 alone), then PSCI SYSTEM_OFF. */
	.text
	.global guest_main
guest_main:
	add	x5, x5, x6
	add	x7, x7, x8
	b	guest_system_off

	.section .note.GNU-stack, "", %progbits
