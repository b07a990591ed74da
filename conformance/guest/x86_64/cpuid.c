/* conformance/guest/x86_64/cpuid.c - guest side of x86_cpuid_test: the cpuid instruction for each
 * (leaf, subleaf) the host lists in cpuid_in[], results in cpuid_out[]. */
#include "x86g.h"

#define CPUID_PROBE_MAX 32

uint32_t cpuid_in[CPUID_PROBE_MAX][2];
struct x86g_cpuid cpuid_out[CPUID_PROBE_MAX];

void cpuid_probe(uint64_t n);
void cpuid_probe(uint64_t n)
{
	GUEST_ASSERT(n <= CPUID_PROBE_MAX);
	for (uint64_t i = 0; i < n; i++)
		cpuid_out[i] = cpuid(cpuid_in[i][0], cpuid_in[i][1]);
}
