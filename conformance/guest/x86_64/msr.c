/* conformance/guest/x86_64/msr.c - guest side of x86_msr_test: rdmsr of the MSRs the host set
 * (msr_index[], results in msr_seen[]), then wrmsr of the values the host asks for (msr_load[]). */
#include "x86g.h"

#define MSR_PROBE_MAX 16

uint32_t msr_index[MSR_PROBE_MAX];
uint64_t msr_seen[MSR_PROBE_MAX];
uint64_t msr_load[MSR_PROBE_MAX];

/* msr_probe(n): rdmsr of msr_index[0..n), GUEST_SYNC(1), wrmsr of msr_load[0..n), return. */
void msr_probe(uint64_t n);
void msr_probe(uint64_t n)
{
	GUEST_ASSERT(n <= MSR_PROBE_MAX);
	for (uint64_t i = 0; i < n; i++)
		msr_seen[i] = rdmsr(msr_index[i]);
	GUEST_SYNC(1);
	for (uint64_t i = 0; i < n; i++)
		wrmsr(msr_index[i], msr_load[i]);
}
