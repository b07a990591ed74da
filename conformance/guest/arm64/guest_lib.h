/* conformance/guest/arm64/guest_lib.h - the freestanding arm64 guest library (EL1, identity-mapped
 * MMU set up by start.S): ucalls to the host, assertions that report to it, system register
 * access, exception handlers by vector and exception class, PSCI calls. */
#ifndef KVMGATE_GUEST_ARM64_LIB_H
#define KVMGATE_GUEST_ARM64_LIB_H

#include <stdint.h>

#include "ucall_abi.h"

#define read_sysreg(r) ({ uint64_t __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)))
#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")

/* ucall: fill this vCPU's record with cmd and nargs uint64_t arguments, hand it to the host. */
void ucall(uint64_t cmd, int nargs, ...);
void guest_assert_fail(const char *file, int line, const char *expr, uint64_t a, uint64_t b)
	__attribute__((noreturn));

#define GUEST_SYNC(stage) ucall(UCALL_SYNC, 1, (uint64_t)(stage))
#define GUEST_SYNC_ARGS(stage, a, b, c, d) ucall(UCALL_SYNC, 5, (uint64_t)(stage), \
	(uint64_t)(a), (uint64_t)(b), (uint64_t)(c), (uint64_t)(d))
#define GUEST_DONE() ucall(UCALL_DONE, 0)
#define GUEST_ASSERT(cond) do { \
	if (!(cond)) \
		guest_assert_fail(__FILE__, __LINE__, #cond, 0, 0); \
} while (0)
#define GUEST_ASSERT_EQ(a, b) do { \
	uint64_t __a = (uint64_t)(a), __b = (uint64_t)(b); \
	if (__a != __b) \
		guest_assert_fail(__FILE__, __LINE__, #a " == " #b, __a, __b); \
} while (0)

/* The registers the vectors save; a handler may change them (pc = ELR_EL1 on return). */
struct ex_regs {
	uint64_t regs[31];
	uint64_t sp;		/* SP_EL1 at the exception (not restored) */
	uint64_t pc;		/* ELR_EL1 */
	uint64_t pstate;	/* SPSR_EL1 */
};

typedef void (*guest_handler_t)(struct ex_regs *regs, uint64_t esr);

/* guest_install_handler: run h for exceptions taken to vector v with class ec (ESR_EL1.EC; any
 * value for IRQ and FIQ vectors). Exceptions without a handler are reported as UCALL_UNHANDLED. */
void guest_install_handler(enum ga_vector v, unsigned int ec, guest_handler_t h);

#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define EC_UNKNOWN	0x00
#define EC_HVC64	0x16
#define EC_SYS64	0x18
#define EC_IABT_CUR	0x21
#define EC_DABT_CUR	0x25
#define EC_SERROR	0x2f
#define EC_BREAKPT_CUR	0x31
#define EC_SOFTSTP_CUR	0x33
#define EC_WATCHPT_CUR	0x35
#define EC_BRK64	0x3c

/* This vCPU's index (MPIDR_EL1.Aff0). */
static inline unsigned int guest_cpu(void)
{
	return read_sysreg(mpidr_el1) & 0xff;
}

/* What start.S found in the MMU's registers of this vCPU before it changed them. */
extern uint64_t guest_boot_regs[GA_MAX_CPUS][BOOT_NREGS];

/* PSCI through hvc (SMCCC): function id and three arguments; returns x0. */
uint64_t guest_hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
/* PSCI SYSTEM_OFF; the host sees KVM_EXIT_SYSTEM_EVENT. */
void guest_system_off(void) __attribute__((noreturn));

/* The entry of every vCPU: stack, vectors, FP/SIMD access, MMU; then guest_main(x0..x7). */
void _start(void);
void guest_main(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);

static inline void local_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #3" : : : "memory");
}

static inline void local_irq_disable(void)
{
	__asm__ volatile("msr daifset, #3" : : : "memory");
}

void *memset(void *s, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);

#endif
