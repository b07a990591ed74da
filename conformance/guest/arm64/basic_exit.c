/* conformance/guest/arm64/basic_exit.c - kvm_basic_test's "exit" program: one ucall (the host
 * checks its MMIO exit), then PSCI SYSTEM_OFF. */
#include "guest_lib.h"

void guest_main(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)a0, (void)a1, (void)a2, (void)a3;
	GUEST_SYNC(0x42);
	guest_system_off();
}
