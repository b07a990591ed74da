/* conformance/guest_progs_vm_x86_64.c - x86 part of the VM-level tests' guest programs: 16-bit
 * real-mode code (assembled with `as --32`, .code16; the source is in the comments). An address
 * reaches the program as a segment (gpa >> 4) that it loads into DS, so the programs can touch
 * anything below 1 MiB. */
#if defined(__x86_64__)
#include <atf-c.h>
#include <string.h>

#include "guest_progs_vm.h"

const struct vmprog_layout vmprog_layout = {
	.mem_gpa = 0, .mem_size = 0x10000, .code_gpa = 0x1000, .data_gpa = 0x2000,
	.free_gpa = 0x20000, .free_size = 0x80000,	/* up to 0xa0000 */
	.mmio_gpa = 0xd0000,
};

/* ax = segment of gpa, bx = stride in paragraphs, cx = count, edx = value */
static const uint8_t pages_code[] = {
	0x8e, 0xd8,			/* 1: mov  %ax, %ds */
	0x66, 0x89, 0x16, 0x00, 0x00,	/*    mov  %edx, 0 */
	0x01, 0xd8,			/*    add  %bx, %ax */
	0x49,				/*    dec  %cx */
	0x75, 0xf4,			/*    jnz  1b */
	0xf4,				/*    hlt */
};
const struct vmprog vmprog_pages = { "pages", pages_code, sizeof(pages_code), true };

/* ax = segment of gpa, edx = value; result ecx */
static const uint8_t store_load_code[] = {
	0x8e, 0xd8,			/* mov  %ax, %ds */
	0x66, 0x89, 0x16, 0x00, 0x00,	/* mov  %edx, 0 */
	0x66, 0x8b, 0x0e, 0x08, 0x00,	/* mov  8, %ecx */
	0xf4,				/* hlt */
};
const struct vmprog vmprog_store_load = { "store_load", store_load_code, sizeof(store_load_code),
					  true };

static const uint8_t spin_code[] = {
	0xeb, 0xfe,			/* 1: jmp  1b */
};
const struct vmprog vmprog_spin = { "spin", spin_code, sizeof(spin_code), false };

/* dx = port, eax = value; result eax */
static const uint8_t io_code[] = {
	0xee,				/* out  %al, (%dx) */
	0xef,				/* out  %ax, (%dx) */
	0x66, 0xed,			/* in   (%dx), %eax */
	0xbf, 0x00, 0x20,		/* mov  $0x2000, %di   (data_gpa) */
	0xb9, 0x03, 0x00,		/* mov  $3, %cx */
	0xf3, 0x6d,			/* rep insw (%dx), %es:(%di) */
	0xf4,				/* hlt */
};
const struct vmprog vmprog_x86_io = { "x86_io", io_code, sizeof(io_code), true };

/* ecx = MSR index (count) */
static const uint8_t msr_code[] = {
	0x0f, 0x32,			/* rdmsr */
	0x0f, 0x30,			/* wrmsr   (edx:eax as read) */
	0xf4,				/* hlt */
};
const struct vmprog vmprog_x86_msr = { "x86_msr", msr_code, sizeof(msr_code), true };

static const uint8_t hypercall_code[] = {
	0x0f, 0x01, 0xd9,		/* vmmcall */
	0xf4,				/* hlt */
};
const struct vmprog vmprog_x86_hypercall = { "x86_hypercall", hypercall_code,
					     sizeof(hypercall_code), true };

/* Run in 32-bit protected mode (vmprog_start sets it up, with an empty IDT): real mode would
 * find the vector in the real-mode IVT whatever the IDT limit. ud2, not int3: KVM delivers the #UD
 * it intercepts, while an int3 here ended as an emulation failure (KVM_EXIT_INTERNAL_ERROR). */
static const uint8_t triple_fault_code[] = {
	0x0f, 0x0b,			/* ud2    (IDT limit 0: #GP, #DF, shutdown) */
	0xf4,				/* hlt    (never reached) */
};
const struct vmprog vmprog_x86_triple_fault = { "x86_triple_fault", triple_fault_code,
						sizeof(triple_fault_code), false };

const struct vmprog vmprog_arm64_psci = { "arm64_psci", NULL, 0, false };
const struct vmprog vmprog_arm64_store_nisv = { "arm64_store_nisv", NULL, 0, true };

const char *const vmprog_stop_name = "KVM_EXIT_HLT";

void vmprog_vm_create(struct kvm_vm *vm)
{
	vm_create(vm);
	vm_add_memory(vm, vmprog_layout.mem_gpa, vmprog_layout.mem_size);
}

/* real_seg: a real-mode segment (16-bit, 64 KiB at selector * 16), whatever it was before. */
static void real_seg(struct kvm_segment *s, uint16_t selector, bool code)
{
	memset(s, 0, sizeof(*s));
	s->selector = selector;
	s->base = (uint64_t)selector << 4;
	s->limit = 0xffff;
	s->type = code ? 0xb : 0x3;	/* execute/read accessed, read/write accessed */
	s->present = 1;
	s->s = 1;
}

/* flat_pm: a flat 32-bit protected-mode segment (hidden part only: no GDT is needed to run). */
static void flat_pm(struct kvm_segment *s, bool code)
{
	memset(s, 0, sizeof(*s));
	s->base = 0;
	s->limit = 0xffffffff;
	s->selector = code ? 0x8 : 0x10;
	s->type = code ? 0xb : 0x3;	/* execute/read accessed, read/write accessed */
	s->present = 1;
	s->s = 1;
	s->db = 1;
	s->g = 1;
}

static void reset_to(struct kvm_vcpu *vcpu, bool protected_no_idt)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	kvm_ioctl(vcpu->fd, KVM_GET_SREGS, &sregs);
	sregs.cr0 &= ~1ull;	/* PE off: real mode, also after vmprog_x86_triple_fault's setup */
	real_seg(&sregs.cs, 0, true);
	real_seg(&sregs.ds, 0, false);
	real_seg(&sregs.es, 0, false);
	real_seg(&sregs.ss, 0, false);
	sregs.idt.base = 0;
	sregs.idt.limit = 0x3ff;
	if (protected_no_idt) {
		flat_pm(&sregs.cs, true);
		flat_pm(&sregs.ds, false);
		flat_pm(&sregs.es, false);
		flat_pm(&sregs.ss, false);
		sregs.cr0 |= 1;	/* PE */
		sregs.idt.limit = 0;
	}
	kvm_ioctl(vcpu->fd, KVM_SET_SREGS, &sregs);
	memset(&regs, 0, sizeof(regs));
	regs.rflags = 0x2;	/* bit 1 is always set */
	regs.rip = vmprog_layout.code_gpa;
	regs.rsp = 0x1000;
	kvm_ioctl(vcpu->fd, KVM_SET_REGS, &regs);
}

void vmprog_vcpu_reset(struct kvm_vcpu *vcpu)
{
	reset_to(vcpu, false);
}

void vmprog_start(struct kvm_vcpu *vcpu, const struct vmprog *prog, const struct vmprog_args *a)
{
	struct kvm_regs regs;

	ATF_REQUIRE_MSG(prog->code != NULL, "guest program %s is not for x86_64", prog->name);
	vm_load(vcpu->vm, vmprog_layout.code_gpa, prog->code, prog->size);
	reset_to(vcpu, prog == &vmprog_x86_triple_fault);
	kvm_ioctl(vcpu->fd, KVM_GET_REGS, &regs);
	if (prog == &vmprog_x86_io) {
		regs.rdx = a->gpa;
		regs.rax = a->value;
	} else if (prog == &vmprog_x86_msr) {
		regs.rcx = a->count;
	} else if (prog == &vmprog_x86_hypercall) {
		regs.rax = a->value;
		regs.rbx = a->gpa;
		regs.rcx = a->count;
		regs.rdx = a->stride;
	} else {
		ATF_REQUIRE_MSG(a->gpa % 16 == 0 && a->gpa + 16 < 0x100000 && a->stride % 16 == 0,
				"x86 guest address 0x%llx / stride 0x%llx not reachable in real mode",
				(unsigned long long)a->gpa, (unsigned long long)a->stride);
		regs.rax = a->gpa >> 4;
		regs.rbx = a->stride >> 4;
		regs.rcx = a->count;
		regs.rdx = a->value;
	}
	kvm_ioctl(vcpu->fd, KVM_SET_REGS, &regs);
}

uint64_t vmprog_result(struct kvm_vcpu *vcpu, const struct vmprog *prog)
{
	struct kvm_regs regs;

	kvm_ioctl(vcpu->fd, KVM_GET_REGS, &regs);
	return prog == &vmprog_x86_io || prog == &vmprog_x86_hypercall ? regs.rax : regs.rcx;
}

bool vmprog_stopped(const struct kvm_vcpu *vcpu)
{
	return vcpu->run->exit_reason == KVM_EXIT_HLT;
}
#endif
