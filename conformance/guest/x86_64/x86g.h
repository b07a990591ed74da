/* conformance/guest/x86_64/x86g.h - the x86_64 guest library's C interface for guest code: the
 * ucall (GUEST_SYNC, GUEST_ASSERT, GUEST_DONE), exception handlers, and the instructions tests
 * use (control registers, MSRs, CPUID, descriptor tables). Freestanding: no libc. */
#ifndef KVMGATE_X86G_H
#define KVMGATE_X86G_H

#include <stddef.h>
#include <stdint.h>

#include "abi.h"

/* The registers at an exception, as x86g_isr_common saves them (start.S). */
struct x86g_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error, rip, cs, rflags, rsp, ss;
};

typedef void (*x86g_handler)(struct x86g_frame *f);

void x86g_init(void);
/* x86g_set_handler: vector's handler (NULL: report the vector to the host as UCALL_EXCEPTION). */
void x86g_set_handler(unsigned int vector, x86g_handler h);

/* ucall: the record to the host (abi.h); nargs values of args, at most UCALL_NARGS. */
void ucall(uint64_t cmd, unsigned int nargs, const uint64_t *args);
__attribute__((noreturn)) void x86g_done(void);
__attribute__((noreturn)) void x86g_assert_fail(const char *text, const char *file, uint64_t line,
						uint64_t a, uint64_t b);
__attribute__((noreturn)) void x86g_halt(void);

/* GUEST_SYNC(stage, ...): up to UCALL_NARGS values (args[0] is the stage), each as uint64_t. */
#define GUEST_SYNC(...) ucall(UCALL_SYNC, sizeof((uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t), \
			      (uint64_t[]){ __VA_ARGS__ })
#define GUEST_DONE() x86g_done()
#define GUEST_ASSERT(cond) do { \
	if (!(cond)) \
		x86g_assert_fail(#cond, __FILE__, __LINE__, 0, 0); \
} while (0)
#define GUEST_ASSERT_EQ(a, b) do { \
	uint64_t __a = (uint64_t)(a), __b = (uint64_t)(b); \
	if (__a != __b) \
		x86g_assert_fail(#a " == " #b, __FILE__, __LINE__, __a, __b); \
} while (0)

void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* Instructions. */
static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

struct x86g_cpuid { uint32_t eax, ebx, ecx, edx; };

static inline struct x86g_cpuid cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct x86g_cpuid r;

	__asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf) : "memory");
	return r;
}

#define X86G_READ_CR(n) ({ uint64_t __v; __asm__ volatile("mov %%cr" #n ", %0" : "=r"(__v)); __v; })
#define X86G_WRITE_CR(n, v) __asm__ volatile("mov %0, %%cr" #n :: "r"((uint64_t)(v)) : "memory")
#define X86G_READ_DR(n) ({ uint64_t __v; __asm__ volatile("mov %%db" #n ", %0" : "=r"(__v)); __v; })
#define X86G_WRITE_DR(n, v) __asm__ volatile("mov %0, %%db" #n :: "r"((uint64_t)(v)) : "memory")
#define X86G_READ_SEG(s) ({ uint16_t __v; __asm__ volatile("mov %%" #s ", %0" : "=rm"(__v)); __v; })

struct __attribute__((packed)) x86g_dtr {
	uint16_t limit;
	uint64_t base;
};

static inline struct x86g_dtr sgdt(void)
{
	struct x86g_dtr d;

	__asm__ volatile("sgdt %0" : "=m"(d));
	return d;
}

static inline struct x86g_dtr sidt(void)
{
	struct x86g_dtr d;

	__asm__ volatile("sidt %0" : "=m"(d));
	return d;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }

/* Library tables (start.S). */
extern uint64_t x86g_gdt[];
extern uint8_t x86g_tss[], x86g_ldt[];
extern uint64_t x86g_pml4[], x86g_pml4_alt[];

#endif
