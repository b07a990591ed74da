/* conformance/arm64_guest.h - the host side of the arm64 guest library (conformance/guest/arm64/)
 * for the arm64-only programs: a VM with a guest blob loaded, vCPUs initialised with chosen
 * features, register ids built from the binding's constants and struct kvm_regs offsets, ONE_REG
 * access, and KVM_RUN to the next ucall with the guest's assertions and unhandled exceptions
 * turned into test failures. */
#ifndef KVMGATE_ARM64_GUEST_H
#define KVMGATE_ARM64_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "kvm_util.h"
#include "ucall_abi.h"

/* A guest blob, from the <name>_syms.h of its build. */
struct ga_blob {
	const char *name;
	const unsigned char *start, *end;
	uint64_t entry;		/* _start */
	uint64_t image_end;	/* __image_end: end of bss and stacks */
};
#define GA_BLOB(n) ((struct ga_blob){ #n, n##_blob, n##_blob_end, n##_SYM__start, \
	n##_SYM___image_end })

#define GA_MEM_SIZE 0x200000	/* guest memory from GA_MEM_GPA */
/* KVM_RUN's watchdog in ga_run: every stage of the guest programs takes milliseconds, and a
 * binding that sets the wrong register as the PC makes most cases run away (mutation_test). */
#define GA_RUN_TIMEOUT_S 3

struct ga_vm {
	struct kvm_vm vm;
	struct kvm_vcpu vcpu[GA_MAX_CPUS];
	int nr_vcpus;
	struct ga_blob blob;
};

/* Register ids: the binding's KVM_REG_ARM64 | size | KVM_REG_ARM_CORE | offset in 32-bit words. */
uint64_t arm64_core_reg_id(size_t offset, size_t size);
#define ARM64_CORE_REG(field) arm64_core_reg_id(offsetof(struct kvm_regs, field), \
	sizeof(((struct kvm_regs *)0)->field))
uint64_t arm64_sysreg_id(unsigned int op0, unsigned int op1, unsigned int crn, unsigned int crm,
			 unsigned int op2);
/* Bytes of a register from the size field of its id. */
size_t arm64_reg_size(uint64_t id);

/* __vcpu_get_reg / __vcpu_set_reg: the raw ioctls (value in/out of buf); -errno on failure. */
int __vcpu_get_reg(struct kvm_vcpu *vcpu, uint64_t id, void *buf);
int __vcpu_set_reg(struct kvm_vcpu *vcpu, uint64_t id, const void *buf);
uint64_t vcpu_get_reg(struct kvm_vcpu *vcpu, uint64_t id);
void vcpu_set_reg(struct kvm_vcpu *vcpu, uint64_t id, uint64_t value);

/* ga_vm_create: a VM with GA_MEM_SIZE of memory at GA_MEM_GPA, the blob at its link address. */
void ga_vm_create(struct ga_vm *g, struct ga_blob blob);
/* __ga_vcpu_init: KVM_ARM_PREFERRED_TARGET, features[0] |= features, KVM_ARM_VCPU_INIT on a new
 * vCPU; -errno of the INIT. ga_vcpu_add also requires it, finalizes SVE (ga_vcpu_finalize) and
 * sets PC to the blob's _start. */
int __ga_vcpu_init(struct ga_vm *g, struct kvm_vcpu *vcpu, uint32_t features);
struct kvm_vcpu *ga_vcpu_add(struct ga_vm *g, uint32_t features);
void ga_vm_free(struct ga_vm *g);
/* Host view of guest memory at gpa (size bytes inside the slot, or the test fails). */
void *ga_mem(struct ga_vm *g, uint64_t gpa, size_t size);

/* ga_run: KVM_RUN until the next exit; a ucall's record is copied to *uc and its command
 * returned (UCALL_ASSERT and UCALL_UNHANDLED fail the test with the guest's report); any other
 * exit returns UCALL_NONE, kvm_run holding it. */
uint64_t ga_run(struct ga_vm *g, struct kvm_vcpu *vcpu, struct ucall *uc);
/* ga_run_expect: ga_run, requiring command cmd (and for UCALL_SYNC, stage args[0]). */
void ga_run_expect(struct ga_vm *g, struct kvm_vcpu *vcpu, uint64_t cmd, uint64_t stage,
		   struct ucall *uc);

const char *ga_vector_name(uint64_t vector);

/* vcpu_reg_list: KVM_GET_REG_LIST (count first: n = 0 must give E2BIG and the count); free() it. */
struct kvm_reg_list *vcpu_reg_list(struct kvm_vcpu *vcpu);

/* The optional vCPU features the kernel offers (KVM_CAP_ARM_PMU_V3, _SVE, _PTRAUTH_*), as
 * features[0] bits; ga_vcpu_finalize does KVM_ARM_VCPU_FINALIZE for SVE when it is among them. */
uint32_t ga_offered_features(struct ga_vm *g);
void ga_vcpu_finalize(struct kvm_vcpu *vcpu, uint32_t features);

#endif
