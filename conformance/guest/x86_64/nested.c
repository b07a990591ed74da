/* conformance/guest/x86_64/nested.c - guest side of x86_nested_test: a minimal SVM hypervisor in
 * the guest. It runs a nested guest (in the guest's own long mode, its own ASID) whose code writes
 * a byte to X86G_NESTED_PORT (not intercepted here, so the host sees it while the vCPU is in guest
 * mode) and then executes VMMCALL (intercepted: back here). VMCB offsets: AMD APM vol. 2, app. B. */
#include "x86g.h"

#define MSR_EFER	0xc0000080
#define MSR_VM_HSAVE_PA	0xc0010117
#define EFER_SVME	(1ull << 12)

uint8_t nested_vmcb[4096] __attribute__((aligned(4096)));
static uint8_t nested_hsave[4096] __attribute__((aligned(4096)));
static uint8_t nested_stack[4096] __attribute__((aligned(16)));

void nested_code(void);
__asm__(".text\n"
	".globl nested_code\n"
	"nested_code:\n"
	"	mov $" "0x1003" ", %dx\n"
	"	out %al, %dx\n"
	"	vmmcall\n"
	"	ud2\n");
_Static_assert(X86G_NESTED_PORT == 0x1003, "nested_code's port");

static void put16(unsigned int off, uint16_t v) { memcpy(nested_vmcb + off, &v, 2); }
static void put32(unsigned int off, uint32_t v) { memcpy(nested_vmcb + off, &v, 4); }
static void put64(unsigned int off, uint64_t v) { memcpy(nested_vmcb + off, &v, 8); }
static uint64_t get64(unsigned int off) { uint64_t v; memcpy(&v, nested_vmcb + off, 8); return v; }

/* seg: a save-area segment (selector, attrib, limit, base) from a GDT descriptor. */
static void seg(unsigned int off, uint16_t sel, uint64_t desc)
{
	put16(off, sel);
	put16(off + 2, (uint16_t)((desc >> 40 & 0xff) | (desc >> 52 & 0xf) << 8));
	put32(off + 4, 0xffffffff);
	put64(off + 8, 0);
}

/* nested_probe: GUEST_SYNC(1, vmcb) before VMRUN; VMRUN; after the nested guest's VMMCALL,
 * GUEST_SYNC(2, exit code, the nested guest's rip) and return. */
void nested_probe(void);
void nested_probe(void)
{
	struct x86g_dtr gdt = sgdt(), idt = sidt();

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, (uintptr_t)nested_hsave);
	memset(nested_vmcb, 0, sizeof(nested_vmcb));
	put32(0x010, 0x3);			/* intercept VMRUN, VMMCALL */
	put32(0x058, 1);			/* ASID */
	seg(0x400, X86G_SEL_DATA, x86g_gdt[X86G_SEL_DATA / 8]);		/* es */
	seg(0x410, X86G_SEL_CODE64, x86g_gdt[X86G_SEL_CODE64 / 8]);	/* cs */
	seg(0x420, X86G_SEL_DATA, x86g_gdt[X86G_SEL_DATA / 8]);		/* ss */
	seg(0x430, X86G_SEL_DATA, x86g_gdt[X86G_SEL_DATA / 8]);		/* ds */
	put32(0x464, gdt.limit);
	put64(0x468, gdt.base);
	put32(0x484, idt.limit);
	put64(0x488, idt.base);
	put64(0x4d0, rdmsr(MSR_EFER));
	put64(0x548, X86G_READ_CR(4));
	put64(0x550, X86G_READ_CR(3));
	put64(0x558, X86G_READ_CR(0));
	put64(0x560, 0x400);			/* dr7 */
	put64(0x568, 0xffff0ff0);		/* dr6 */
	put64(0x570, 0x2);			/* rflags */
	put64(0x578, (uintptr_t)nested_code);
	put64(0x5d8, (uintptr_t)nested_stack + sizeof(nested_stack));
	put64(0x668, 0x0007040600070406ull);	/* PAT */
	GUEST_SYNC(1, (uintptr_t)nested_vmcb);
	__asm__ volatile("vmrun; stgi"
			 :: "a"((uintptr_t)nested_vmcb)
			 : "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13",
			   "r14", "r15", "memory", "cc");
	GUEST_SYNC(2, get64(0x070), get64(0x578));
}
