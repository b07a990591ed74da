/* conformance/guest_arm64.c - arm64 part of the guest programs: blobs of the arm64 guest library
 * (conformance/guest/arm64/: C and assembly at EL1, identity-mapped MMU, vectors), whose ucall is
 * an 8-byte MMIO store of its record's address outside guest memory and whose stop is PSCI
 * SYSTEM_OFF (hvc). */
#if defined(__aarch64__)
#include <atf-c.h>
#include <stddef.h>
#include <string.h>

#include "guest.h"
#include "ucall_abi.h"
#include "basic_exit_syms.h"
#include "basic_add_syms.h"

const uint64_t guest_mem_gpa = GA_MEM_GPA;
const uint64_t guest_mem_size = 0x10000;
const uint64_t guest_code_gpa = GA_CODE_GPA;
const uint64_t guest_ucall_addr = GA_UCALL_MMIO;
const uint64_t guest_ucall_value = basic_exit_SYM_ucall_buf;	/* vCPU 0's record */
const unsigned int guest_ucall_size = 8;

_Static_assert(basic_exit_SYM__start == GA_CODE_GPA && basic_add_SYM__start == GA_CODE_GPA,
	       "the blobs start with _start at GA_CODE_GPA");
_Static_assert(basic_exit_SYM___image_end <= GA_MEM_GPA + 0x10000 &&
	       basic_add_SYM___image_end <= GA_MEM_GPA + 0x10000, "the blobs fit in guest memory");
/* start.S's guest_system_off loads PSCI_FN_SYSTEM_OFF (ucall_abi.h: the PSCI specification's
 * 0x84000008); <linux/psci.h>'s PSCI_0_2_FN_SYSTEM_OFF is not part of the KVM bindings. */
#ifdef PSCI_0_2_FN_SYSTEM_OFF
_Static_assert(PSCI_0_2_FN_SYSTEM_OFF == PSCI_FN_SYSTEM_OFF, "PSCI SYSTEM_OFF function id");
#endif

const struct guest_prog guest_prog_exit = {
	"exit", basic_exit_blob, basic_exit_SYM___blob_end - basic_exit_SYM__start,
	basic_exit_SYM_guest_done_pc - basic_exit_SYM__start,
};
const struct guest_prog guest_prog_add = {
	"add", basic_add_blob, basic_add_SYM___blob_end - basic_add_SYM__start,
	basic_add_SYM_guest_done_pc - basic_add_SYM__start,
};

static uint64_t core_reg_id(size_t offset)
{
	return KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (offset / sizeof(uint32_t));
}

static uint64_t xreg_id(int n)
{
	return core_reg_id(offsetof(struct kvm_regs, regs.regs) + n * sizeof(uint64_t));
}

static void set_one_reg(struct kvm_vcpu *vcpu, uint64_t id, uint64_t value)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&value };

	kvm_ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg);
}

static uint64_t get_one_reg(struct kvm_vcpu *vcpu, uint64_t id)
{
	uint64_t value = 0;
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&value };

	kvm_ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg);
	return value;
}

void vcpu_arch_init(struct kvm_vcpu *vcpu, uint64_t pc)
{
	struct kvm_vcpu_init init;

	memset(&init, 0, sizeof(init));
	kvm_ioctl(vcpu->vm->fd, KVM_ARM_PREFERRED_TARGET, &init);
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	kvm_ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init);
	set_one_reg(vcpu, core_reg_id(offsetof(struct kvm_regs, regs.pc)), pc);
}

struct guest_exit vcpu_exit_decode(struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	struct guest_exit ex = { .kind = GUEST_EXIT_OTHER, .reason = run->exit_reason };

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		ATF_CHECK_MSG(run->mmio.is_write, "mmio.is_write %u", run->mmio.is_write);
		ATF_REQUIRE_MSG(run->mmio.len >= 1 && run->mmio.len <= 8, "mmio.len %u", run->mmio.len);
		ex.kind = GUEST_EXIT_UCALL;
		ex.addr = run->mmio.phys_addr;
		ex.size = run->mmio.len;
		ex.value = 0;
		memcpy(&ex.value, run->mmio.data, run->mmio.len);	/* little-endian */
		break;
	case KVM_EXIT_SYSTEM_EVENT:
		ATF_CHECK_EQ_MSG(run->system_event.type, KVM_SYSTEM_EVENT_SHUTDOWN,
				 "system_event.type %u", run->system_event.type);
		if (run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN)
			ex.kind = GUEST_EXIT_DONE;
		break;
	default:
		break;
	}
	return ex;
}

/* The addends live in x5..x8: x0 carries the PSCI function, and KVM's PSCI handler writes its
 * return values to x0..x3. */
void guest_set_addends(struct kvm_vcpu *vcpu, const uint64_t in[4])
{
	for (int i = 0; i < 4; i++)
		set_one_reg(vcpu, xreg_id(i + 5), in[i]);
}

void guest_get_addends(struct kvm_vcpu *vcpu, uint64_t out[4])
{
	for (int i = 0; i < 4; i++)
		out[i] = get_one_reg(vcpu, xreg_id(i + 5));
}

uint64_t vcpu_get_pc(struct kvm_vcpu *vcpu)
{
	return get_one_reg(vcpu, core_reg_id(offsetof(struct kvm_regs, regs.pc)));
}
#endif
