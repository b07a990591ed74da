/* conformance/guest_arm64.c - arm64 part of the guest programs: A64 code at EL1 with the MMU off,
 * an MMIO store outside guest memory as the ucall, PSCI SYSTEM_OFF (hvc) as the stop. */
#if defined(__aarch64__)
#include <atf-c.h>
#include <stddef.h>
#include <string.h>

#include "guest.h"

const uint64_t guest_mem_gpa = 0x40000000;
const uint64_t guest_mem_size = 0x10000;
const uint64_t guest_code_gpa = 0x40001000;
const uint64_t guest_ucall_addr = 0x10000000;
const uint64_t guest_ucall_value = 0x42;
const unsigned int guest_ucall_size = 4;

/* The movz/movk pair below loads the PSCI 0.2 SYSTEM_OFF function id, 0x84000008 (the PSCI
 * specification; <linux/psci.h>'s PSCI_0_2_FN_SYSTEM_OFF is not part of the KVM bindings). */
#ifdef PSCI_0_2_FN_SYSTEM_OFF
_Static_assert(PSCI_0_2_FN_SYSTEM_OFF == 0x84000008u, "PSCI SYSTEM_OFF function id");
#endif

static const uint32_t exit_code[] = {
	0xd2800841,	/* movz x1, #0x42 */
	0xd2a20002,	/* movz x2, #0x1000, lsl #16   (x2 = 0x10000000) */
	0xb9000041,	/* str  w1, [x2] */
	0xd2800100,	/* movz x0, #0x0008 */
	0xf2b08000,	/* movk x0, #0x8400, lsl #16   (PSCI SYSTEM_OFF) */
	0xd4000002,	/* hvc  #0 */
	0x14000000,	/* b    . */
};
const struct guest_prog guest_prog_exit = { "exit", exit_code, sizeof(exit_code), 24 };

static const uint32_t add_code[] = {
	0x8b0600a5,	/* add  x5, x5, x6 */
	0x8b0800e7,	/* add  x7, x7, x8 */
	0xd2800100,	/* movz x0, #0x0008 */
	0xf2b08000,	/* movk x0, #0x8400, lsl #16 */
	0xd4000002,	/* hvc  #0 */
	0x14000000,	/* b    . */
};
const struct guest_prog guest_prog_add = { "add", add_code, sizeof(add_code), 20 };

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
