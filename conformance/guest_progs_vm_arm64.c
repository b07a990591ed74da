/* conformance/guest_progs_vm_arm64.c - arm64 part of the VM-level tests' guest programs: A64 code
 * at EL1 with the MMU off (assembled with aarch64-linux-gnu-as; the source is in the comments).
 * Arguments in x5 (gpa), x6 (stride), x7 (count), x8 (value): x0..x3 belong to PSCI. Stores and
 * loads use plain register addressing, so an MMIO abort carries a valid syndrome (ISV) and KVM can
 * hand it to userspace as KVM_EXIT_MMIO (all but vmprog_arm64_store_nisv, which is there not to). */
#if defined(__aarch64__)
#include <atf-c.h>
#include <stddef.h>
#include <string.h>

#include "guest_progs_vm.h"

const struct vmprog_layout vmprog_layout = {
	.mem_gpa = 0x40000000, .mem_size = 0x10000, .code_gpa = 0x40001000,
	.data_gpa = 0x40002000,
	.free_gpa = 0x40100000, .free_size = 0x100000,
	.mmio_gpa = 0x10010000,
};

/* The stop: PSCI_FN_SYSTEM_OFF (0x84000008), loaded in two halves. */
#define STOP \
	0xd2800100,	/*    movz x0, #0x0008 */ \
	0xf2b08000,	/*    movk x0, #0x8400, lsl #16   (PSCI SYSTEM_OFF) */ \
	0xd4000002,	/*    hvc  #0 */ \
	0x14000000	/*    b    . */

static const uint32_t pages_code[] = {
	0xb90000a8,	/* 1: str  w8, [x5] */
	0x8b0600a5,	/*    add  x5, x5, x6 */
	0xf10004e7,	/*    subs x7, x7, #1 */
	0x54ffffa1,	/*    b.ne 1b */
	STOP,
};
const struct vmprog vmprog_pages = { "pages", pages_code, sizeof(pages_code), true };

static const uint32_t store_load_code[] = {
	0xb90000a8,	/* str  w8, [x5] */
	0xb94008a7,	/* ldr  w7, [x5, #8] */
	STOP,
};
const struct vmprog vmprog_store_load = { "store_load", store_load_code, sizeof(store_load_code),
					  true };

static const uint32_t store_nisv_code[] = {
	0xb80044a8,	/* str  w8, [x5], #4 */
	STOP,
};
const struct vmprog vmprog_arm64_store_nisv = { "arm64_store_nisv", store_nisv_code,
						sizeof(store_nisv_code), true };

static const uint32_t spin_code[] = {
	0x14000000,	/* 1: b    1b */
};
const struct vmprog vmprog_spin = { "spin", spin_code, sizeof(spin_code), false };

static const uint32_t psci_code[] = {
	0xaa0503e0,	/* mov  x0, x5 */
	0xd4000002,	/* hvc  #0 */
	0xaa0003e9,	/* mov  x9, x0 */
	0xaa0803e0,	/* mov  x0, x8 */
	0xd4000002,	/* hvc  #0 */
	0x14000000,	/* b    . */
};
const struct vmprog vmprog_arm64_psci = { "arm64_psci", psci_code, sizeof(psci_code), false };

const struct vmprog vmprog_x86_io = { "x86_io", NULL, 0, true };
const struct vmprog vmprog_x86_triple_fault = { "x86_triple_fault", NULL, 0, false };
const struct vmprog vmprog_x86_msr = { "x86_msr", NULL, 0, true };
const struct vmprog vmprog_x86_hypercall = { "x86_hypercall", NULL, 0, true };

const char *const vmprog_stop_name = "KVM_EXIT_SYSTEM_EVENT (shutdown)";

void vmprog_vm_create(struct kvm_vm *vm)
{
	vm_create(vm);
	vm_add_memory(vm, vmprog_layout.mem_gpa, vmprog_layout.mem_size);
}

static uint64_t core_reg(size_t offset)
{
	return KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (offset / sizeof(uint32_t));
}

static uint64_t xreg(int n)
{
	return core_reg(offsetof(struct kvm_regs, regs.regs) + n * sizeof(uint64_t));
}

static void set_reg(struct kvm_vcpu *vcpu, uint64_t id, uint64_t value)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&value };

	kvm_ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg);
}

static uint64_t get_reg(struct kvm_vcpu *vcpu, uint64_t id)
{
	uint64_t value = 0;
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&value };

	kvm_ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg);
	return value;
}

void vmprog_vcpu_reset(struct kvm_vcpu *vcpu)
{
	struct kvm_vcpu_init init;

	memset(&init, 0, sizeof(init));
	kvm_ioctl(vcpu->vm->fd, KVM_ARM_PREFERRED_TARGET, &init);
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	kvm_ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init);
	set_reg(vcpu, core_reg(offsetof(struct kvm_regs, regs.pc)), vmprog_layout.code_gpa);
}

void vmprog_start(struct kvm_vcpu *vcpu, const struct vmprog *prog, const struct vmprog_args *a)
{
	ATF_REQUIRE_MSG(prog->code != NULL, "guest program %s is not for arm64", prog->name);
	vm_load(vcpu->vm, vmprog_layout.code_gpa, prog->code, prog->size);
	vmprog_vcpu_reset(vcpu);
	set_reg(vcpu, xreg(5), a->gpa);
	set_reg(vcpu, xreg(6), a->stride);
	set_reg(vcpu, xreg(7), a->count);
	set_reg(vcpu, xreg(8), a->value);
}

uint64_t vmprog_result(struct kvm_vcpu *vcpu, const struct vmprog *prog)
{
	return get_reg(vcpu, xreg(prog == &vmprog_arm64_psci ? 9 : 7));
}

bool vmprog_stopped(const struct kvm_vcpu *vcpu)
{
	return vcpu->run->exit_reason == KVM_EXIT_SYSTEM_EVENT &&
	       vcpu->run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN;
}
#endif
