/* conformance/guest_progs_vm.h - the guest programs of the VM-level tests (vm_*_test.c) and the
 * per-arch layout they run in: slot 0 with the code, a free range for the tests' own memory
 * slots, an unbacked range for MMIO exits, and four argument registers. Implemented, with the
 * machine code commented, by guest_progs_vm_x86_64.c (16-bit real mode, HLT as the stop) and
 * guest_progs_vm_arm64.c (EL1 with the MMU off, PSCI SYSTEM_OFF as the stop). These programs do not
 * use guest.h's set-up, so the x86 guest library may change that freely. */
#ifndef KVMGATE_GUEST_PROGS_VM_H
#define KVMGATE_GUEST_PROGS_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "kvm_util.h"

struct vmprog_layout {
	uint64_t mem_gpa, mem_size;	/* slot 0 */
	uint64_t code_gpa;		/* where vmprog_load puts a program */
	uint64_t data_gpa;		/* slot 0 scratch data (x86 rep insw writes 6 bytes here) */
	uint64_t free_gpa, free_size;	/* no slot: the tests' own slots go here */
	uint64_t mmio_gpa;		/* no slot, ever: accesses exit as MMIO (64 KiB free) */
};
extern const struct vmprog_layout vmprog_layout;

/* PSCI function ids (Arm DEN0022): the firmware's ABI, not KVM's, so not in the bindings. */
#define PSCI_FN_VERSION 0x84000000u
#define PSCI_FN_SYSTEM_OFF 0x84000008u
#define PSCI_FN_SYSTEM_RESET 0x84000009u
#define PSCI_FN64_SYSTEM_SUSPEND 0xc400000eu	/* PSCI 1.0 */
#define PSCI_FN64_SYSTEM_RESET2 0xc4000012u	/* PSCI 1.1; x1 = 0: a warm reset */

struct vmprog {
	const char *name;
	const void *code;
	unsigned int size;
	bool stops;		/* ends in the arch's stop (HLT / PSCI SYSTEM_OFF) */
};

/* The programs' arguments (each program says which it reads). */
struct vmprog_args {
	uint64_t gpa;		/* guest physical address (x86: 16-byte aligned, below 1 MiB) */
	uint64_t stride;	/* bytes (x86: a multiple of 16) */
	uint64_t count;
	uint64_t value;		/* 32 bits stored */
};

/* Stores the 32-bit value at gpa, gpa + stride, ... (count times, count >= 1), then stops. */
extern const struct vmprog vmprog_pages;
/* Stores the 32-bit value at gpa, loads the 32 bits at gpa + 8 into the result, then stops. */
extern const struct vmprog vmprog_store_load;
/* Spins forever (for signals and immediate_exit). */
extern const struct vmprog vmprog_spin;
/* x86 only (NULL code elsewhere): with gpa the port and value the data: out al; out ax;
 * in eax (the result); rep insw of 3 words to data_gpa; hlt. */
extern const struct vmprog vmprog_x86_io;
/* x86 only: ud2 in protected mode with the IDT limit 0 (set by vmprog_start): a triple fault,
 * KVM_EXIT_SHUTDOWN. */
extern const struct vmprog vmprog_x86_triple_fault;
/* x86 only: rdmsr of MSR count (ecx), then wrmsr of what it read back to the same MSR, hlt. */
extern const struct vmprog vmprog_x86_msr;
/* x86 only: vmmcall with rax = value (the hypercall), rbx = gpa, rcx = count, rdx = stride (its
 * arguments); the result is rax after it; hlt. */
extern const struct vmprog vmprog_x86_hypercall;
/* KVM's paravirtual hypercall numbers (include/uapi/linux/kvm_para.h, not part of the bindings). */
#define KVM_HC_MAP_GPA_RANGE_NR 12
#define KVM_ENOSYS_NR 1000		/* a hypercall KVM does not take returns -KVM_ENOSYS */
/* arm64 only: a post-indexed store of value to gpa (str w8, [x5], #4: no valid syndrome for an
 * MMIO abort), then the stop. */
extern const struct vmprog vmprog_arm64_store_nisv;
/* arm64 only: hvc with x0 = gpa (a PSCI function, its x0 result is the program's result), then
 * hvc with x0 = value (a PSCI function that exits, e.g. SYSTEM_RESET). */
extern const struct vmprog vmprog_arm64_psci;

/* vmprog_vm_create: a VM with slot 0 of the layout (kvm_util's vm_create + vm_add_memory). */
void vmprog_vm_create(struct kvm_vm *vm);

/* vmprog_vcpu_reset: a vCPU about to run at the layout's code address (x86: real mode with flat
 * segments at 0; arm64: KVM_ARM_VCPU_INIT with PSCI 0.2 again, which also wakes a powered-off
 * vCPU). vmprog_start: prog copied to code_gpa, the vCPU reset, the arguments loaded. An I/O or
 * MMIO exit must have been run on (completed) first: the next KVM_RUN completes it, and on arm64
 * that steps the new PC past its first instruction. */
void vmprog_vcpu_reset(struct kvm_vcpu *vcpu);
void vmprog_start(struct kvm_vcpu *vcpu, const struct vmprog *prog, const struct vmprog_args *a);

/* The program's result register (x86: ecx, or eax for vmprog_x86_io; arm64: x7, x9 for psci). */
uint64_t vmprog_result(struct kvm_vcpu *vcpu, const struct vmprog *prog);

/* vmprog_stopped: the exit in kvm_run is the arch's stop (KVM_EXIT_HLT on x86; on arm64
 * KVM_EXIT_SYSTEM_EVENT of type KVM_SYSTEM_EVENT_SHUTDOWN). */
bool vmprog_stopped(const struct kvm_vcpu *vcpu);
extern const char *const vmprog_stop_name;

#endif
