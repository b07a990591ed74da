/* conformance/guest/arm64/sysreg_list.h - the EL0/EL1 system registers that sysregs.c reads with
 * mrs and writes with msr, in the order of its records, shared with arm64_regs_test.c:
 * X(mnemonic, ONE_REG id, bits that hold a written value, IMPDEF: 1 where the architecture
 * lets an implementation make the register RAZ/WI, as QEMU's CPU models do). The ids are
 * expressions for the host (SR(op0, op1, CRn, CRm, op2) from the binding's KVM_REG_ARM64_SYSREG fields; the timer's through
 * the binding's KVM_REG_ARM_TIMER_* constants, whose CVAL encoding is not the architectural one);
 * guest code never expands them. */
#ifndef KVMGATE_GUEST_ARM64_SYSREG_LIST_H
#define KVMGATE_GUEST_ARM64_SYSREG_LIST_H

#define SYSREG_LIST(X) \
	X(tpidr_el0,      SR(3, 3, 13, 0, 2), ~0ULL, 0) \
	X(tpidrro_el0,    SR(3, 3, 13, 0, 3), ~0ULL, 0) \
	X(tpidr_el1,      SR(3, 0, 13, 0, 4), ~0ULL, 0) \
	X(contextidr_el1, SR(3, 0, 13, 0, 1), 0xffffffffULL, 0) \
	X(par_el1,        SR(3, 0, 7, 4, 0),  0x0000fffffffff000ULL, 0) \
	X(amair_el1,      SR(3, 0, 10, 3, 0), ~0ULL, 1) \
	X(cntkctl_el1,    SR(3, 0, 14, 1, 0), 0x3ffULL, 0) \
	X(cntv_ctl_el0,   KVM_REG_ARM_TIMER_CTL, 0x3ULL, 0) \
	X(cntv_cval_el0,  KVM_REG_ARM_TIMER_CVAL, ~0ULL, 0) \
	X(far_el1,        SR(3, 0, 6, 0, 0),  ~0ULL, 0) \
	X(esr_el1,        SR(3, 0, 5, 2, 0),  0xffffffffULL, 0) \
	X(afsr0_el1,      SR(3, 0, 5, 1, 0),  ~0ULL, 1) \
	X(afsr1_el1,      SR(3, 0, 5, 1, 1),  ~0ULL, 1) \
	X(ttbr1_el1,      SR(3, 0, 2, 0, 1),  0xffff0000fffff000ULL, 0)

#define SYSREG_COUNT_X(name, id, mask, impdef) + 1
#define SYSREG_N (0 SYSREG_LIST(SYSREG_COUNT_X))

#endif
