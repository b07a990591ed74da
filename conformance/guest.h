/* conformance/guest.h - the per-arch part of the conformance programs: vCPU set-up, the guest
 * programs (machine code, commented), the registers they use, and the decoding of their exits
 * from kvm_run. Implemented by guest_x86_64.c and guest_arm64.c. */
#ifndef KVMGATE_GUEST_H
#define KVMGATE_GUEST_H

#include <stdint.h>

#include "kvm_util.h"

/* Where the guest programs run: memory slot 0 and the code's address inside it. */
extern const uint64_t guest_mem_gpa;
extern const uint64_t guest_mem_size;
extern const uint64_t guest_code_gpa;

/* The ucall of guest_prog_exit: the address (port or MMIO) and value it writes. */
extern const uint64_t guest_ucall_addr;
extern const uint64_t guest_ucall_value;
extern const unsigned int guest_ucall_size;

struct guest_prog {
	const char *name;
	const void *code;
	unsigned int size;
	unsigned int done_pc;	/* the PC at the stop exit, from the code's start */
};

/* Writes guest_ucall_value to guest_ucall_addr, then stops (HLT / PSCI SYSTEM_OFF). */
extern const struct guest_prog guest_prog_exit;
/* Adds a += b, c += d (arch registers, see guest_set_addends), then stops. */
extern const struct guest_prog guest_prog_add;

/* vcpu_arch_init: everything a fresh vCPU needs before it runs code at pc (x86: real mode with a
 * flat CS; arm64: KVM_ARM_VCPU_INIT with PSCI 0.2). */
void vcpu_arch_init(struct kvm_vcpu *vcpu, uint64_t pc);

/* vcpu_exit_decode: the exit that KVM_RUN just returned, read from kvm_run; checks the fields of
 * the arch's exit union that the decoding relies on. */
struct guest_exit vcpu_exit_decode(struct kvm_vcpu *vcpu);

/* The four registers of guest_prog_add, set through the arch's register ioctl (KVM_SET_REGS on
 * x86, KVM_SET_ONE_REG on arm64) and read back through its GET twin. */
void guest_set_addends(struct kvm_vcpu *vcpu, const uint64_t in[4]);
void guest_get_addends(struct kvm_vcpu *vcpu, uint64_t out[4]);

/* The program counter, read through the register ioctl. */
uint64_t vcpu_get_pc(struct kvm_vcpu *vcpu);

#endif
