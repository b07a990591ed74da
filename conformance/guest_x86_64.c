/* conformance/guest_x86_64.c - x86 part of the guest programs: 16-bit real-mode code with a flat
 * CS at 0, port I/O as the ucall, HLT as the stop. */
#if defined(__x86_64__)
#include <atf-c.h>
#include <string.h>

#include "guest.h"

const uint64_t guest_mem_gpa = 0;
const uint64_t guest_mem_size = 0x10000;
const uint64_t guest_code_gpa = 0x1000;
const uint64_t guest_ucall_addr = 0x3f8;
const uint64_t guest_ucall_value = 0x42;
const unsigned int guest_ucall_size = 1;

static const uint8_t exit_code[] = {
	0xba, 0xf8, 0x03,	/* mov dx, 0x3f8 */
	0xb0, 0x42,		/* mov al, 0x42 */
	0xee,			/* out dx, al */
	0xf4,			/* hlt */
};
const struct guest_prog guest_prog_exit = { "exit", exit_code, sizeof(exit_code), 7 };

/* In real mode, a 0x66 prefix makes the adds 32-bit: the addends stay below 2^31. */
static const uint8_t add_code[] = {
	0x66, 0x01, 0xd8,	/* add eax, ebx */
	0x66, 0x01, 0xd1,	/* add ecx, edx */
	0xf4,			/* hlt */
};
const struct guest_prog guest_prog_add = { "add", add_code, sizeof(add_code), 7 };

void vcpu_arch_init(struct kvm_vcpu *vcpu, uint64_t pc)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	kvm_ioctl(vcpu->fd, KVM_GET_SREGS, &sregs);
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	kvm_ioctl(vcpu->fd, KVM_SET_SREGS, &sregs);
	memset(&regs, 0, sizeof(regs));
	regs.rflags = 0x2;	/* bit 1 is always set */
	regs.rip = pc;
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
