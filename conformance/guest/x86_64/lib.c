/* conformance/guest/x86_64/lib.c - the x86_64 guest library's C part: IDT and descriptor set-up,
 * the ucall, exception dispatch (a test's handler, or the vector reported to the host), and the
 * few libc functions gcc may call in freestanding code. */
#include "x86g.h"

extern char x86g_isr_stubs[];

struct idt_gate {
	uint16_t offset0;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset1;
	uint32_t offset2;
	uint32_t reserved;
};

extern struct idt_gate x86g_idt[256];
static x86g_handler handlers[256];

/* system_desc: a 16-byte system descriptor (TSS, LDT) at gdt[index], present, DPL 0. */
static void system_desc(unsigned int index, uint64_t base, uint32_t limit, unsigned int type)
{
	x86g_gdt[index] = (limit & 0xffff) | (base & 0xffffff) << 16 | (uint64_t)type << 40 |
			  1ull << 47 | (uint64_t)(limit >> 16 & 0xf) << 48 |
			  (base >> 24 & 0xff) << 56;
	x86g_gdt[index + 1] = base >> 32;
}

void x86g_init(void)
{
	for (unsigned int v = 0; v < 256; v++) {
		uint64_t a = (uint64_t)(uintptr_t)(x86g_isr_stubs + 16 * v);

		x86g_idt[v] = (struct idt_gate){
			.offset0 = a & 0xffff, .selector = X86G_SEL_CODE64, .ist = 0,
			.type_attr = 0x8e,	/* present, DPL 0, 64-bit interrupt gate */
			.offset1 = a >> 16 & 0xffff, .offset2 = a >> 32,
		};
	}
	system_desc(X86G_SEL_TSS / 8, (uintptr_t)x86g_tss, 103, 0xb);	/* busy 64-bit TSS */
	system_desc(X86G_SEL_LDT / 8, (uintptr_t)x86g_ldt, 15, 0x2);
	system_desc(X86G_SEL_LDT2 / 8, (uintptr_t)x86g_ldt + 8, 7, 0x2);
}

void x86g_set_handler(unsigned int vector, x86g_handler h)
{
	handlers[vector & 0xff] = h;
}

static void ucall_out(struct x86g_ucall *uc)
{
	__asm__ volatile("outl %%eax, %%dx"
			 :: "a"((uint32_t)(uintptr_t)uc), "d"((uint16_t)X86G_UCALL_PORT) : "memory");
}

void ucall(uint64_t cmd, unsigned int nargs, const uint64_t *args)
{
	struct x86g_ucall uc;

	memset(&uc, 0, sizeof(uc));
	uc.cmd = cmd;
	uc.nargs = nargs > UCALL_NARGS ? UCALL_NARGS : nargs;
	for (unsigned int i = 0; i < uc.nargs; i++)
		uc.args[i] = args[i];
	ucall_out(&uc);
}

void x86g_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt" ::: "memory");
}

void x86g_done(void)
{
	ucall(UCALL_DONE, 0, NULL);
	x86g_halt();
}

void x86g_assert_fail(const char *text, const char *file, uint64_t line, uint64_t a, uint64_t b)
{
	struct x86g_ucall uc;

	memset(&uc, 0, sizeof(uc));
	uc.cmd = UCALL_ASSERT;
	uc.nargs = 2;
	uc.args[0] = a;
	uc.args[1] = b;
	uc.line = line;
	uc.file = (uintptr_t)file;
	uc.text = (uintptr_t)text;
	ucall_out(&uc);
	x86g_halt();
}

/* x86g_exception: from x86g_isr_common; a vector without a handler goes to the host. */
void x86g_exception(struct x86g_frame *f);
void x86g_exception(struct x86g_frame *f)
{
	x86g_handler h = handlers[f->vector & 0xff];

	if (h != NULL) {
		h(f);
		return;
	}
	ucall(UCALL_EXCEPTION, 4, (uint64_t[]){ f->vector, f->error, f->rip, X86G_READ_CR(2) });
	x86g_halt();
}

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}
