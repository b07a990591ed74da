/* conformance/guest/arm64/sysregs.c - system registers seen by guest code: stage 1 stores what
 * mrs reads of each register of sysreg_list.h (the host set them through ONE_REG), stage 2 writes
 * the host's sysreg_out values with msr, for the host to read back. The MMU registers the vCPU
 * started with are in guest_boot_regs (start.S); the virtual count at stage 1 in sysreg_cntvct. */
#include "guest_lib.h"
#include "sysreg_list.h"

uint64_t sysreg_seen[SYSREG_N];
uint64_t sysreg_out[SYSREG_N];
uint64_t sysreg_cntvct;	/* CNTVCT_EL0 at stage 1 (the host set KVM_REG_ARM_TIMER_CNT) */

void guest_main(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	int i = 0;

	(void)a0, (void)a1, (void)a2, (void)a3;
#define READ(name, id, mask, impdef) sysreg_seen[i++] = read_sysreg(name);
	SYSREG_LIST(READ)
#undef READ
	isb();
	sysreg_cntvct = read_sysreg(cntvct_el0);
	GUEST_SYNC(1);
	i = 0;
#define WRITE(name, id, mask, impdef) write_sysreg(name, sysreg_out[i++]);
	SYSREG_LIST(WRITE)
#undef WRITE
	isb();
	GUEST_SYNC(2);
	GUEST_DONE();
}
