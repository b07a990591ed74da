/* conformance/x86_vm.c - host side of the x86_64 guest library: the VM and its long mode, guest
 * calls, and the ucall (see x86_vm.h). */
#if defined(__x86_64__)
#include <atf-c.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "x86_vm.h"

_Static_assert(X86G_SYM_x86g_image_start == X86G_BASE, "guest.ld links the image at X86G_BASE");
_Static_assert(X86G_SYM_x86g_bss_end <= X86G_S1_FS_BASE, "the image and its bss fit below the sregs markers");
_Static_assert(X86G_SYM_x86g_image_end - X86G_BASE == X86G_BIN_SIZE, "flat image size");

void x86_vm_load_lib(struct kvm_vm *vm)
{
	ATF_REQUIRE_EQ_MSG((size_t)(x86g_blob_end - x86g_blob), (size_t)X86G_BIN_SIZE,
			   "linked guest image has %zu bytes, expected %zu",
			   (size_t)(x86g_blob_end - x86g_blob), (size_t)X86G_BIN_SIZE);
	vm_load(vm, X86G_BASE, x86g_blob, X86G_BIN_SIZE);
}

void x86_vm_create(struct kvm_vm *vm)
{
	vm_create(vm);
	vm_add_memory(vm, 0, X86G_MEM_SIZE);
	x86_vm_load_lib(vm);
}

static struct kvm_segment flat_segment(uint16_t selector, uint8_t type, int code)
{
	struct kvm_segment s;

	memset(&s, 0, sizeof(s));
	s.base = 0;
	s.limit = 0xffffffff;
	s.selector = selector;
	s.type = type;
	s.present = 1;
	s.dpl = 0;
	s.db = code ? 0 : 1;
	s.s = 1;
	s.l = code ? 1 : 0;
	s.g = 1;
	return s;
}

void x86_sregs_long_mode(struct kvm_sregs *s)
{
	s->cs = flat_segment(X86G_SEL_CODE64, 0xb, 1);
	s->ds = s->es = s->fs = s->gs = s->ss = flat_segment(X86G_SEL_DATA, 0x3, 0);
	memset(&s->tr, 0, sizeof(s->tr));
	s->tr.base = X86G_SYM_x86g_tss;
	s->tr.limit = 103;
	s->tr.selector = X86G_SEL_TSS;
	s->tr.type = 0xb;	/* busy 64-bit TSS */
	s->tr.present = 1;
	memset(&s->ldt, 0, sizeof(s->ldt));
	s->ldt.base = X86G_SYM_x86g_ldt;
	s->ldt.limit = 15;
	s->ldt.selector = X86G_SEL_LDT;
	s->ldt.type = 0x2;
	s->ldt.present = 1;
	s->gdt.base = X86G_SYM_x86g_gdt;
	s->gdt.limit = X86G_GDT_ENTRIES * 8 - 1;
	s->idt.base = X86G_SYM_x86g_idt;
	s->idt.limit = 256 * 16 - 1;
	s->cr0 = X86_CR0_LONG;
	s->cr3 = X86G_SYM_x86g_pml4;
	s->cr4 = X86_CR4_LONG;
	s->efer = X86_EFER_LONG;
}

void x86_vcpu_long_mode(struct kvm_vcpu *vcpu)
{
	struct kvm_sregs s;

	kvm_ioctl(vcpu->fd, KVM_GET_SREGS, &s);
	x86_sregs_long_mode(&s);
	kvm_ioctl(vcpu->fd, KVM_SET_SREGS, &s);
}

const struct x86_cpuid *x86_supported_cpuid(struct kvm_vm *vm)
{
	static struct x86_cpuid c;
	static int have;

	if (!have) {
		memset(&c, 0, sizeof(c));
		c.h.nent = X86_CPUID_MAX;
		kvm_ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, &c.h);
		ATF_REQUIRE_MSG(c.h.nent > 0 && c.h.nent <= X86_CPUID_MAX,
				"KVM_GET_SUPPORTED_CPUID: nent %u", c.h.nent);
		have = 1;
	}
	return &c;
}

const struct kvm_cpuid_entry2 *x86_cpuid_find(const struct x86_cpuid *c, uint32_t fn, uint32_t idx)
{
	for (unsigned int i = 0; i < c->h.nent; i++) {
		const struct kvm_cpuid_entry2 *e = &c->e[i];

		if (e->function == fn &&
		    (!(e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) || e->index == idx))
			return e;
	}
	return NULL;
}

bool x86_has(struct kvm_vm *vm, uint32_t fn, uint32_t idx, char reg, unsigned int bit)
{
	const struct kvm_cpuid_entry2 *e = x86_cpuid_find(x86_supported_cpuid(vm), fn, idx);
	uint32_t v;

	if (e == NULL)
		return false;
	v = reg == 'a' ? e->eax : reg == 'b' ? e->ebx : reg == 'c' ? e->ecx : e->edx;
	return v >> bit & 1;
}

void x86_vcpu_set_cpuid(struct kvm_vcpu *vcpu, const struct x86_cpuid *c)
{
	kvm_ioctl(vcpu->fd, KVM_SET_CPUID2, &c->h);
}

void x86_vcpu_add(struct kvm_vm *vm, struct kvm_vcpu *vcpu, int id)
{
	ATF_REQUIRE_MSG(id >= 0 && id < X86G_MAX_VCPUS, "vCPU %d: the library has %d stacks", id,
			X86G_MAX_VCPUS);
	vm_vcpu_add(vm, vcpu, id);
	x86_vcpu_set_cpuid(vcpu, x86_supported_cpuid(vm));
	x86_vcpu_long_mode(vcpu);
}

uint64_t x86_stack_top(int vcpu_id)
{
	return X86G_SYM_x86g_stacks + (uint64_t)(vcpu_id + 1) * X86G_STACK_SIZE;
}

void x86_vcpu_call(struct kvm_vcpu *vcpu, uint64_t fn, uint64_t arg)
{
	struct kvm_regs r;

	memset(&r, 0, sizeof(r));
	r.rip = X86G_SYM_x86g_start;
	r.rdi = fn;
	r.rsi = arg;
	r.rsp = x86_stack_top(vcpu->id);
	r.rflags = 0x2;
	kvm_ioctl(vcpu->fd, KVM_SET_REGS, &r);
}

void x86_vcpu_enter(struct kvm_vcpu *vcpu, uint64_t fn, uint64_t arg)
{
	struct kvm_regs r;
	uint64_t rsp = x86_stack_top(vcpu->id) - 8;

	*(uint64_t *)x86_gpa(vcpu->vm, rsp, 8) = X86G_SYM_x86g_done;
	memset(&r, 0, sizeof(r));
	r.rip = fn;
	r.rdi = arg;
	r.rsp = rsp;
	r.rflags = 0x2;
	kvm_ioctl(vcpu->fd, KVM_SET_REGS, &r);
}

void *x86_gpa(struct kvm_vm *vm, uint64_t gpa, size_t size)
{
	ATF_REQUIRE_MSG(gpa >= vm->mem_gpa && size <= vm->mem_size &&
			gpa - vm->mem_gpa <= vm->mem_size - size,
			"guest address 0x%llx+%zu outside guest memory", (unsigned long long)gpa, size);
	return (char *)vm->mem + (gpa - vm->mem_gpa);
}

/* guest_string: a NUL-terminated string of guest memory, or "?" (the guest may be broken). */
static const char *guest_string(struct kvm_vm *vm, uint64_t gpa)
{
	const char *p;

	if (gpa < vm->mem_gpa || gpa >= vm->mem_gpa + vm->mem_size)
		return "?";
	p = (const char *)vm->mem + (gpa - vm->mem_gpa);
	if (memchr(p, 0, vm->mem_gpa + vm->mem_size - gpa) == NULL)
		return "?";
	return p;
}

const char *x86_vector_name(unsigned int vector)
{
	static const char *const names[] = {
		"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "(9)", "#TS",
		"#NP", "#SS", "#GP", "#PF", "(15)", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
	};

	return vector < sizeof(names) / sizeof(names[0]) ? names[vector] : "interrupt";
}

bool x86_host_is_tcg(void)
{
	uint32_t a, b, c, d;
	char sig[12];

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (!(c >> 31 & 1))
		return false;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x40000000), "c"(0));
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	return memcmp(sig, "TCGTCGTCGTCG", 12) == 0;
}

void x86_require_cap(long cap, const char *name)
{
	int fd = kvm_open();
	int r = kvm_check_cap(fd, cap);

	close(fd);
	if (r <= 0)
		atf_tc_skip("%s absent", name);
}

bool __x86_run(struct kvm_vcpu *vcpu, struct x86_ucall *uc)
{
	struct kvm_run *run = vcpu->run;
	struct x86g_ucall g;
	uint32_t gpa = 0;

	vcpu_run(vcpu);
	if (run->exit_reason != KVM_EXIT_IO || run->io.port != X86G_UCALL_PORT)
		return false;
	ATF_REQUIRE_MSG(run->io.direction == KVM_EXIT_IO_OUT && run->io.size == 4 &&
			run->io.count == 1, "ucall port: direction %u size %u count %u",
			run->io.direction, run->io.size, run->io.count);
	ATF_REQUIRE_MSG(run->io.data_offset + 4 <= (uint64_t)vcpu->vm->run_size,
			"io.data_offset 0x%llx past kvm_run", (unsigned long long)run->io.data_offset);
	memcpy(&gpa, (const char *)run + run->io.data_offset, 4);
	memcpy(&g, x86_gpa(vcpu->vm, gpa, sizeof(g)), sizeof(g));
	memset(uc, 0, sizeof(*uc));
	uc->cmd = g.cmd;
	uc->nargs = g.nargs > UCALL_NARGS ? UCALL_NARGS : g.nargs;
	memcpy(uc->args, g.args, sizeof(uc->args));
	uc->line = g.line;
	uc->file = guest_string(vcpu->vm, g.file);
	uc->text = guest_string(vcpu->vm, g.text);
	return true;
}

uint64_t x86_run(struct kvm_vcpu *vcpu, struct x86_ucall *uc)
{
	struct kvm_run *run = vcpu->run;

	if (!__x86_run(vcpu, uc)) {
		if (run->exit_reason == KVM_EXIT_IO)
			atf_tc_fail("guest: unexpected KVM_EXIT_IO, port 0x%x", run->io.port);
		if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR) {
			struct kvm_regs r;

			kvm_ioctl(vcpu->fd, KVM_GET_REGS, &r);
			atf_tc_fail("guest: KVM_EXIT_INTERNAL_ERROR, suberror %u, rip 0x%llx, "
				    "data[0..1] 0x%llx 0x%llx", run->internal.suberror,
				    (unsigned long long)r.rip,
				    (unsigned long long)(run->internal.ndata > 0 ? run->internal.data[0] : 0),
				    (unsigned long long)(run->internal.ndata > 1 ? run->internal.data[1] : 0));
		}
		atf_tc_fail("guest: unexpected exit %u (%s) instead of a ucall", run->exit_reason,
			    kvm_exit_name(run->exit_reason));
	}
	if (uc->cmd == UCALL_ASSERT)
		atf_tc_fail("guest assertion failed: %s (%s:%llu), values 0x%llx, 0x%llx", uc->text,
			    uc->file, (unsigned long long)uc->line, (unsigned long long)uc->args[0],
			    (unsigned long long)uc->args[1]);
	if (uc->cmd == UCALL_EXCEPTION)
		atf_tc_fail("guest exception: vector %llu (%s), error code 0x%llx, rip 0x%llx, "
			    "cr2 0x%llx", (unsigned long long)uc->args[0],
			    x86_vector_name((unsigned int)uc->args[0]), (unsigned long long)uc->args[1],
			    (unsigned long long)uc->args[2], (unsigned long long)uc->args[3]);
	return uc->cmd;
}

void x86_run_sync(struct kvm_vcpu *vcpu, uint64_t stage, struct x86_ucall *uc)
{
	uint64_t cmd = x86_run(vcpu, uc);

	ATF_REQUIRE_MSG(cmd == UCALL_SYNC && uc->nargs >= 1 && uc->args[0] == stage,
			"expected GUEST_SYNC(%llu), got ucall %llu with stage %llu",
			(unsigned long long)stage, (unsigned long long)cmd,
			(unsigned long long)uc->args[0]);
}

void x86_run_done(struct kvm_vcpu *vcpu)
{
	struct x86_ucall uc;
	uint64_t cmd = x86_run(vcpu, &uc);

	ATF_REQUIRE_MSG(cmd == UCALL_DONE, "expected GUEST_DONE, got ucall %llu (stage %llu)",
			(unsigned long long)cmd, (unsigned long long)uc.args[0]);
}
#endif
