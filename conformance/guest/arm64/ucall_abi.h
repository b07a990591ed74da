/* conformance/guest/arm64/ucall_abi.h - what the arm64 guest library and the host programs agree
 * on: the ucall (an 8-byte MMIO store of the address of a struct ucall in guest memory), its
 * commands, the exception report, and the memory map. Included by freestanding guest code and by
 * the host side (conformance/arm64_guest.h); plain C, no libc. */
#ifndef KVMGATE_GUEST_ARM64_UCALL_ABI_H
#define KVMGATE_GUEST_ARM64_UCALL_ABI_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#define GA_U64(x) x##ULL
#else
#define GA_U64(x) x
#endif
/* Guest memory: one slot from GA_MEM_GPA; the blob is linked at GA_CODE_GPA (guest.lds). */
#define GA_MEM_GPA	GA_U64(0x40000000)
#define GA_CODE_GPA	GA_U64(0x40001000)
/* The ucall: a store to an address no memory slot covers, so KVM exits with KVM_EXIT_MMIO. */
#define GA_UCALL_MMIO	GA_U64(0x10000000)
/* vCPUs the library gives a stack and a ucall record (indexed by MPIDR_EL1.Aff0). */
#define GA_MAX_CPUS	4
#define GA_STACK_SIZE	0x1000

/* What _start found in the MMU's registers before it set up its own identity map: one row of
 * BOOT_NREGS values per vCPU in guest_boot_regs. */
#define BOOT_SCTLR	0
#define BOOT_TCR	1
#define BOOT_MAIR	2
#define BOOT_TTBR0	3
#define BOOT_TTBR1	4
#define BOOT_VBAR	5
#define BOOT_CPACR	6
#define BOOT_NREGS	7

/* The identity map start.S sets up: MAIR attr0 Device-nGnRnE, attr1 Normal write-back; TCR
 * T0SZ=25 (39-bit VA, level-1 table of 1 GiB blocks), inner-shareable write-back walks, 4K
 * granule, TTBR1 walks off (EPD1), 36-bit IPS. */
#define GA_MAIR		GA_U64(0xff00)
#define GA_TCR		(25 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23) | (GA_U64(1) << 32))

/* PSCI function ids (SMC calling convention, through hvc): PSCI 0.2 and later. */
#define PSCI_FN_VERSION		0x84000000
#define PSCI_FN64_CPU_ON	0xc4000003
#define PSCI_FN64_AFFINITY_INFO	0xc4000004
#define PSCI_FN_SYSTEM_OFF	0x84000008
#define PSCI_FN_SYSTEM_RESET	0x84000009
/* SMCCC TRNG (standard service, the firmware bitmap's KVM_REG_ARM_STD_BIT_TRNG_V1_0). */
#define SMCCC_TRNG_VERSION	0x84000050

#ifndef __ASSEMBLER__
enum ucall_cmd {
	UCALL_NONE,
	UCALL_SYNC,		/* args[0]: stage, args[1..]: values for the host */
	UCALL_ASSERT,		/* file, line, expr (guest addresses), args[0..1]: values compared */
	UCALL_DONE,		/* the guest's work is over */
	UCALL_UNHANDLED,	/* args: vector, ESR_EL1, ELR_EL1, FAR_EL1 */
};

#define UCALL_NARGS 6

struct ucall {
	uint64_t cmd;
	uint64_t args[UCALL_NARGS];
	uint64_t file;		/* UCALL_ASSERT: guest addresses of NUL-terminated strings */
	uint64_t line;
	uint64_t expr;
};

/* Vector numbers of the table (VBAR_EL1 + 0x80 * n). */
enum ga_vector {
	VEC_EL1T_SYNC, VEC_EL1T_IRQ, VEC_EL1T_FIQ, VEC_EL1T_SERROR,
	VEC_EL1H_SYNC, VEC_EL1H_IRQ, VEC_EL1H_FIQ, VEC_EL1H_SERROR,
	VEC_EL0_64_SYNC, VEC_EL0_64_IRQ, VEC_EL0_64_FIQ, VEC_EL0_64_SERROR,
	VEC_EL0_32_SYNC, VEC_EL0_32_IRQ, VEC_EL0_32_FIQ, VEC_EL0_32_SERROR,
	VEC_COUNT
};
#endif

#endif
