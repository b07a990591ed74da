/* conformance/guest/x86_64/clock.c - guest side of x86_clock_test: kvmclock read the way a guest
 * kernel reads it (MSR_KVM_SYSTEM_TIME_NEW, the pvclock record, the TSC), the TSC read and
 * written. */
#include "x86g.h"

#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01
#define MSR_IA32_TSC 0x10

struct pvclock {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t mul;
	int8_t shift;
	uint8_t flags;
	uint8_t pad[2];
};

static volatile struct pvclock pvti __attribute__((aligned(64)));

static uint64_t kvmclock_ns(uint32_t *mul, int8_t *shift)
{
	uint32_t v;
	uint64_t ns;

	do {
		uint64_t delta;

		v = pvti.version;
		__asm__ volatile("" ::: "memory");
		delta = rdtsc() - pvti.tsc_timestamp;
		if (pvti.shift < 0)
			delta >>= -pvti.shift;
		else
			delta <<= pvti.shift;
		ns = pvti.system_time + (uint64_t)(((unsigned __int128)delta * pvti.mul) >> 32);
		*mul = pvti.mul;
		*shift = pvti.shift;
		__asm__ volatile("" ::: "memory");
	} while ((v & 1) || v != pvti.version);
	return ns;
}

/* clock_probe: kvmclock on, GUEST_SYNC(1, kvmclock ns, tsc_to_system_mul, tsc_shift). */
void clock_probe(void);
void clock_probe(void)
{
	uint32_t mul;
	int8_t shift;
	uint64_t ns;

	wrmsr(MSR_KVM_SYSTEM_TIME_NEW, (uintptr_t)&pvti | 1);
	ns = kvmclock_ns(&mul, &shift);
	GUEST_SYNC(1, ns, mul, (uint64_t)(int64_t)shift);
}

/* tsc_probe(value): GUEST_SYNC(1, rdtsc), then the TSC written with value. */
void tsc_probe(uint64_t value);
void tsc_probe(uint64_t value)
{
	GUEST_SYNC(1, rdtsc());
	wrmsr(MSR_IA32_TSC, value);
}
