/* conformance/guest/arm64/lib.c - the C half of the guest library: the ucall, assertions, the
 * exception dispatch by vector and class, and the two string functions the compiler may call. */
#include <stdarg.h>

#include "guest_lib.h"

struct ucall ucall_buf[GA_MAX_CPUS];
static guest_handler_t handlers[VEC_COUNT][64];

void ucall(uint64_t cmd, int nargs, ...)
{
	struct ucall *uc = &ucall_buf[guest_cpu()];
	va_list ap;

	uc->cmd = cmd;
	va_start(ap, nargs);
	for (int i = 0; i < UCALL_NARGS; i++)
		uc->args[i] = i < nargs ? va_arg(ap, uint64_t) : 0;
	va_end(ap);
	dsb(ish);
	*(volatile uint64_t *)GA_UCALL_MMIO = (uint64_t)uc;
}

void guest_assert_fail(const char *file, int line, const char *expr, uint64_t a, uint64_t b)
{
	struct ucall *uc = &ucall_buf[guest_cpu()];

	uc->file = (uint64_t)file;
	uc->line = (uint64_t)line;
	uc->expr = (uint64_t)expr;
	ucall(UCALL_ASSERT, 2, a, b);
	guest_system_off();
}

void guest_install_handler(enum ga_vector v, unsigned int ec, guest_handler_t h)
{
	int any_ec = v % 4 == 1 || v % 4 == 2;	/* IRQ and FIQ have no class */

	handlers[v][any_ec ? 0 : ec & 0x3f] = h;
}

void guest_exception(struct ex_regs *regs, uint64_t vector);
void guest_exception(struct ex_regs *regs, uint64_t vector)
{
	int any_ec = vector % 4 == 1 || vector % 4 == 2;
	uint64_t esr = any_ec ? 0 : read_sysreg(esr_el1);
	guest_handler_t h = handlers[vector][ESR_EC(esr)];

	if (h != 0) {
		h(regs, esr);
		return;
	}
	ucall(UCALL_UNHANDLED, 4, vector, esr, regs->pc, read_sysreg(far_el1));
	guest_system_off();
}

void *memset(void *s, int c, unsigned long n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}
