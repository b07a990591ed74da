/* conformance/guest/arm64/vcpu.c - guest side of arm64_vcpu_test, by the mode the host puts in
 * x0: the ID registers and PSCI version the vCPU's features give (and SVE's vector length, Z0
 * stored, Z1 loaded), PSCI
 * CPU_ON of a second vCPU whose context id comes back in its x0, and one PSCI call for the host
 * to see as a system event. */
#include "guest_lib.h"
#include "vcpu_modes.h"

/* SVE: Z0 as the guest finds it, and what it loads into Z1 (vector length bytes of each). */
uint8_t sve_z0_seen[256] __attribute__((aligned(16)));
uint8_t sve_z1_out[256] __attribute__((aligned(16)));

static void features(void)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);

	GUEST_SYNC_ARGS(1, pfr0, read_sysreg(id_aa64dfr0_el1), read_sysreg(id_aa64isar1_el1),
			guest_hvc(PSCI_FN_VERSION, 0, 0, 0));
	if ((pfr0 >> 32) & 0xf) {	/* ID_AA64PFR0_EL1.SVE */
		uint64_t vl;

		write_sysreg(cpacr_el1, read_sysreg(cpacr_el1) | 3u << 16);	/* ZEN */
		isb();
		write_sysreg(S3_0_C1_C2_0, 0x1ff);	/* ZCR_EL1.LEN: the largest length offered */
		isb();
		__asm__ volatile(".inst 0x04bf5020\n\tmov %0, x0" : "=r"(vl) : : "x0");	/* rdvl x0, #1 */
		__asm__ volatile("mov x1, %0\n\t.inst 0xe5804020"	/* str z0, [x1] */
				 : : "r"(sve_z0_seen) : "x1", "memory");
		__asm__ volatile("mov x1, %0\n\t.inst 0x85804021"	/* ldr z1, [x1] */
				 : : "r"(sve_z1_out) : "x1", "memory");
		GUEST_SYNC_ARGS(2, vl, 0, 0, 0);
	}
}

void guest_main(uint64_t mode, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)a3;
	switch (mode & VM_MODE_MASK) {
	case VM_FEATURES:
		features();
		break;
	case VM_CPU_ON:		/* a1: target MPIDR, a2: its context id */
		GUEST_SYNC_ARGS(1, guest_hvc(PSCI_FN64_CPU_ON, a1, (uint64_t)_start, a2), 0, 0, 0);
		GUEST_SYNC_ARGS(2, guest_hvc(PSCI_FN64_AFFINITY_INFO, a1, 0, 0), 0, 0, 0);
		break;
	case VM_SECONDARY:	/* started by CPU_ON: mode is the context id */
		GUEST_SYNC_ARGS(3, mode, read_sysreg(mpidr_el1), 0, 0);
		break;
	case VM_CALL:		/* a1: PSCI function */
		GUEST_SYNC_ARGS(9, guest_hvc(a1, 0, 0, 0), 0, 0, 0);
		break;
	default:
		GUEST_ASSERT(0);
	}
	GUEST_DONE();
}
