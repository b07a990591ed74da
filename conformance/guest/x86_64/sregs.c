/* conformance/guest/x86_64/sregs.c - guest side of the kvm_sregs / kvm_sregs2 cases: read what the
 * host set (segment registers, their fs/gs bases in use, control registers, EFER, APIC base,
 * descriptor tables), then set other values the host reads back (X86G_S1_*, X86G_S2_*, abi.h). */
#include "x86g.h"

#define MSR_EFER	0xc0000080
#define MSR_FS_BASE	0xc0000100
#define MSR_GS_BASE	0xc0000101
#define MSR_APIC_BASE	0x1b
#define CR0_AM		(1u << 18)
#define CR0_TS		(1u << 3)
#define CR4_TSD		(1u << 2)
#define CR4_PGE		(1u << 7)
#define EFER_SCE	1u

struct x86g_sregs_seen sregs_seen;
uint64_t sregs_gdt_copy[X86G_GDT_ENTRIES];

void sregs_host_view(void);
void sregs_host_view(void)
{
	struct x86g_sregs_seen *s = &sregs_seen;
	struct x86g_dtr gdt = sgdt(), idt = sidt();
	uint16_t tr, ldt;

	s->sel[0] = X86G_READ_SEG(cs);
	s->sel[1] = X86G_READ_SEG(ds);
	s->sel[2] = X86G_READ_SEG(es);
	s->sel[3] = X86G_READ_SEG(fs);
	s->sel[4] = X86G_READ_SEG(gs);
	s->sel[5] = X86G_READ_SEG(ss);
	__asm__ volatile("str %0" : "=rm"(tr));
	__asm__ volatile("sldt %0" : "=rm"(ldt));
	s->sel[6] = tr;
	s->sel[7] = ldt;
	__asm__ volatile("movq %%fs:0, %0" : "=r"(s->fs_mem) :: "memory");
	__asm__ volatile("movq %%gs:0, %0" : "=r"(s->gs_mem) :: "memory");
	s->fs_base = rdmsr(MSR_FS_BASE);
	s->gs_base = rdmsr(MSR_GS_BASE);
	s->cr0 = X86G_READ_CR(0);
	s->cr2 = X86G_READ_CR(2);
	s->cr3 = X86G_READ_CR(3);
	s->cr4 = X86G_READ_CR(4);
	s->cr8 = X86G_READ_CR(8);
	s->efer = rdmsr(MSR_EFER);
	s->apic_base = rdmsr(MSR_APIC_BASE);
	s->gdt_base = gdt.base;
	s->gdt_limit = gdt.limit;
	s->idt_base = idt.base;
	s->idt_limit = idt.limit;
}

/* sregs_guest_set: ds = ODD, es = A, fs = B, gs = C, ss = D with S2 fs/gs bases; S2 CR2, CR8,
 * CR3 back to x86g_pml4, CR0 AM off and TS on, CR4 TSD off and PGE on, EFER.SCE off, the S2 APIC
 * base, a copy of the GDT, the IDT with a shorter limit, and the second LDT. */
void sregs_guest_set(void);
void sregs_guest_set(void)
{
	struct x86g_dtr gdt = { sizeof(sregs_gdt_copy) - 1, (uintptr_t)sregs_gdt_copy };
	struct x86g_dtr idt = sidt();

	memcpy(sregs_gdt_copy, x86g_gdt, sizeof(sregs_gdt_copy));
	__asm__ volatile("lgdt %0" :: "m"(gdt) : "memory");
	idt.limit = X86G_S2_IDT_LIMIT;
	__asm__ volatile("lidt %0" :: "m"(idt) : "memory");
	__asm__ volatile("lldt %w0" :: "r"(X86G_SEL_LDT2) : "memory");
	__asm__ volatile("mov %w0, %%ds" :: "r"(X86G_SEL_ODD) : "memory");
	__asm__ volatile("mov %w0, %%es" :: "r"(X86G_SEL_DATA_A) : "memory");
	__asm__ volatile("mov %w0, %%fs" :: "r"(X86G_SEL_DATA_B) : "memory");
	__asm__ volatile("mov %w0, %%gs" :: "r"(X86G_SEL_DATA_C) : "memory");
	__asm__ volatile("mov %w0, %%ss" :: "r"(X86G_SEL_DATA_D) : "memory");
	wrmsr(MSR_FS_BASE, X86G_S2_FS_BASE);
	wrmsr(MSR_GS_BASE, X86G_S2_GS_BASE);
	X86G_WRITE_CR(2, X86G_S2_CR2);
	X86G_WRITE_CR(8, X86G_S2_CR8);
	X86G_WRITE_CR(3, (uintptr_t)x86g_pml4);
	X86G_WRITE_CR(0, (X86G_READ_CR(0) & ~(uint64_t)CR0_AM) | CR0_TS);
	X86G_WRITE_CR(4, (X86G_READ_CR(4) & ~(uint64_t)CR4_TSD) | CR4_PGE);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~(uint64_t)EFER_SCE);
	wrmsr(MSR_APIC_BASE, X86G_S2_APIC_BASE);
}

extern uint64_t compat_seen[4];
extern char compat_gp1[], compat_gp2[], compat_gp1_resume[], compat_gp2_resume[];
void compat_probe(void);

/* compat_gp: the #GPs compat.S expects, resumed after the faulting instruction. */
static void compat_gp(struct x86g_frame *f)
{
	compat_seen[2]++;
	if (f->rip == (uintptr_t)compat_gp1) {
		compat_seen[3] |= 1;
		f->rip = (uintptr_t)compat_gp1_resume;
	} else if (f->rip == (uintptr_t)compat_gp2) {
		compat_seen[3] |= 2;
		f->rip = (uintptr_t)compat_gp2_resume;
	} else {
		ucall(UCALL_EXCEPTION, 4, (uint64_t[]){ f->vector, f->error, f->rip, 0 });
		x86g_halt();
	}
}

/* sregs_compat: compat_probe with compat_gp on #GP. */
void sregs_compat(void);
void sregs_compat(void)
{
	x86g_set_handler(13, compat_gp);
	compat_probe();
	x86g_set_handler(13, NULL);
}
