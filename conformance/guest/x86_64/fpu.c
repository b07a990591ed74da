/* conformance/guest/x86_64/fpu.c - guest side of x86_fpu_test: the x87/SSE state as fxsave and
 * xsave see it after the host set it (kvm_fpu, kvm_xsave, kvm_xcrs), and state the guest loads
 * itself (fxrstor, xrstor, xsetbv) for the host to read back. The images are the architectural
 * FXSAVE/XSAVE formats; the host builds and reads them at their architectural offsets. */
#include "x86g.h"

uint8_t fpu_seen[4096] __attribute__((aligned(64)));
uint8_t fpu_load[4096] __attribute__((aligned(64)));

/* fpu_touch: fxrstor64 of fpu_load (the host's image): x87 and SSE state out of their init
 * state, so that the vCPU's saved XSAVE image marks them in use. */
void fpu_touch(void);
void fpu_touch(void)
{
	__asm__ volatile("fxrstor64 %0" :: "m"(*(uint8_t(*)[512])fpu_load) : "memory");
}

/* fpu_probe: fxsave64 of what the host set, GUEST_SYNC(1), fxrstor64 of fpu_load (filled by the
 * host meanwhile), return. */
void fpu_probe(void);
void fpu_probe(void)
{
	__asm__ volatile("fxsave64 %0" : "=m"(*(uint8_t(*)[512])fpu_seen) :: "memory");
	GUEST_SYNC(1);
	__asm__ volatile("fxrstor64 %0" :: "m"(*(uint8_t(*)[512])fpu_load) : "memory");
}

static uint64_t xgetbv(uint32_t xcr)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(xcr));
	return (uint64_t)hi << 32 | lo;
}

/* fpu_roundtrip: fxrstor64 of fpu_load, fxsave64 to fpu_seen: what the vCPU itself keeps. */
void fpu_roundtrip(void);
void fpu_roundtrip(void)
{
	__asm__ volatile("fxrstor64 %0" :: "m"(*(uint8_t(*)[512])fpu_load) : "memory");
	__asm__ volatile("fxsave64 %0" : "=m"(*(uint8_t(*)[512])fpu_seen) :: "memory");
}

/* xcr0_probe(xcr0): GUEST_SYNC(1, XCR0 as the host set it); xsetbv XCR0 = xcr0, GUEST_SYNC(2,
 * XCR0 read back), return. The host passes its own XCR0: under QEMU's TCG an L2 guest's xsetbv
 * is not intercepted and reaches the L1's XCR0, which this value leaves as it was. */
void xcr0_probe(uint64_t xcr0);
void xcr0_probe(uint64_t xcr0)
{
	GUEST_SYNC(1, xgetbv(0));
	__asm__ volatile("xsetbv" :: "c"(0), "a"((uint32_t)xcr0), "d"((uint32_t)(xcr0 >> 32))
			 : "memory");
	GUEST_SYNC(2, xgetbv(0));
}

/* xsave_probe(mask): xsave64 of mask's components (what the host set), GUEST_SYNC(1); xrstor64
 * of fpu_load (the host's image), return. */
void xsave_probe(uint64_t mask);
void xsave_probe(uint64_t mask)
{
	__asm__ volatile("xsave64 %0" : "=m"(*(uint8_t(*)[4096])fpu_seen)
			 : "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32)) : "memory");
	GUEST_SYNC(1);
	__asm__ volatile("xrstor64 %0" :: "m"(*(uint8_t(*)[4096])fpu_load),
			 "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32)) : "memory");
}
