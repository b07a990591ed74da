/* conformance/guest_x86_64.c - x86 part of the guest programs (guest.h), on the x86_64 guest
 * library (guest/x86_64/, host side x86_vm.c): the programs are its basic.S, run in its long
 * mode; port I/O is the ucall, HLT the stop. */
#if defined(__x86_64__)
#include <atf-c.h>
#include <string.h>

#include "guest.h"
#include "x86_vm.h"

const uint64_t guest_mem_gpa = 0;
const uint64_t guest_mem_size = X86G_MEM_SIZE;
const uint64_t guest_code_gpa = 0x1000;
const uint64_t guest_ucall_addr = X86G_BASIC_PORT;
const uint64_t guest_ucall_value = X86G_BASIC_VALUE;
const unsigned int guest_ucall_size = 1;

_Static_assert(0x1000 + 0x100 <= X86G_BASE, "the programs' copies stay below the library");

#define BASIC_PROG(name, sym) { name, x86g_blob + (X86G_SYM_##sym - X86G_BASE), \
	X86G_SYM_##sym##_end - X86G_SYM_##sym, X86G_SYM_##sym##_done - X86G_SYM_##sym }
const struct guest_prog guest_prog_exit = BASIC_PROG("exit", basic_exit);
const struct guest_prog guest_prog_add = BASIC_PROG("add", basic_add);

void vcpu_arch_init(struct kvm_vcpu *vcpu, uint64_t pc)
{
	struct kvm_regs regs;

	x86_vm_load_lib(vcpu->vm);
	/* the vCPU's CPUID first, as the selftests' vm_arch_vcpu_add does: EFER.LME/LMA are
	 * reserved without CPUID.80000001H:EDX.LM, and KVM_SET_SREGS checks EFER against the
	 * vCPU's CPUID since 6.12 (kvm_is_valid_sregs -> kvm_valid_efer; 6.1 did not) */
	x86_vcpu_set_cpuid(vcpu, x86_supported_cpuid(vcpu->vm));
	x86_vcpu_long_mode(vcpu);
	memset(&regs, 0, sizeof(regs));
	regs.rflags = 0x2;	/* bit 1 is always set */
	regs.rip = pc;
	regs.rsp = x86_stack_top(vcpu->id);
	kvm_ioctl(vcpu->fd, KVM_SET_REGS, &regs);
}

struct guest_exit vcpu_exit_decode(struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	struct guest_exit ex = { .kind = GUEST_EXIT_OTHER, .reason = run->exit_reason };
	const uint8_t *data;

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		ATF_CHECK_EQ_MSG(run->io.direction, KVM_EXIT_IO_OUT, "io.direction %u", run->io.direction);
		ATF_CHECK_EQ_MSG(run->io.count, 1, "io.count %u", run->io.count);
		ATF_REQUIRE_MSG(run->io.size >= 1 && run->io.size <= 4, "io.size %u", run->io.size);
		ATF_REQUIRE_MSG(run->io.data_offset + run->io.size <= (unsigned)vcpu->vm->run_size,
				"io.data_offset 0x%llx past kvm_run", (unsigned long long)run->io.data_offset);
		data = (const uint8_t *)run + run->io.data_offset;
		ex.kind = GUEST_EXIT_UCALL;
		ex.addr = run->io.port;
		ex.size = run->io.size;
		ex.value = 0;
		memcpy(&ex.value, data, run->io.size);	/* little-endian host */
		break;
	case KVM_EXIT_HLT:
		ex.kind = GUEST_EXIT_DONE;
		break;
	default:
		break;
	}
	return ex;
}

void guest_set_addends(struct kvm_vcpu *vcpu, const uint64_t in[4])
{
	struct kvm_regs regs;

	kvm_ioctl(vcpu->fd, KVM_GET_REGS, &regs);
	regs.rax = in[0];
	regs.rbx = in[1];
	regs.rcx = in[2];
	regs.rdx = in[3];
	kvm_ioctl(vcpu->fd, KVM_SET_REGS, &regs);
}

void guest_get_addends(struct kvm_vcpu *vcpu, uint64_t out[4])
{
	struct kvm_regs regs;

	kvm_ioctl(vcpu->fd, KVM_GET_REGS, &regs);
	out[0] = regs.rax;
	out[1] = regs.rbx;
	out[2] = regs.rcx;
	out[3] = regs.rdx;
}

uint64_t vcpu_get_pc(struct kvm_vcpu *vcpu)
{
	struct kvm_regs regs;

	kvm_ioctl(vcpu->fd, KVM_GET_REGS, &regs);
	return regs.rip;
}
#endif
