/* conformance/kvm_util.h - a small kvm selftests-like layer for the conformance programs: a VM with
 * one memory slot and vCPUs, asserting wrappers (failures go through atf and name the ioctl) and
 * "__" raw variants that return the ioctl's result for tests that expect an error. */
#ifndef KVMGATE_KVM_UTIL_H
#define KVMGATE_KVM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
/* the bindings under test (conformance/abi.mk renders it), never <linux/kvm.h> */
#include "kvm_abi.h"

#define KVM_DEV_PATH "/dev/kvm"

struct kvm_vm {
	int kvm_fd;		/* /dev/kvm */
	int fd;			/* the VM */
	void *mem;		/* guest memory of slot 0, mapped in the host */
	uint64_t mem_gpa;	/* its guest physical address */
	size_t mem_size;
	int run_size;		/* KVM_GET_VCPU_MMAP_SIZE */
};

struct kvm_vcpu {
	struct kvm_vm *vm;
	int id;
	int fd;
	struct kvm_run *run;
};

/* __kvm_ioctl(fd, cmd, ptr): the raw ioctl. The argument's type and the ioctl number both come
 * from the bindings under test, and a binding whose sizes disagree must fail live, not at build
 * time: the number goes to the kernel as it is (one it does not know is ENOTTY/EINVAL), except
 * that an argument smaller than the size the number encodes fails the case first (the kernel
 * would write past it). */
#define __kvm_ioctl(fd, cmd, arg) ({ \
	kvm__check_arg_size(sizeof(*(arg)), _IOC_SIZE(cmd), #cmd, __FILE__, __LINE__); \
	ioctl((fd), (cmd), (arg)); })

/* kvm_ioctl(fd, cmd, ptr): the same, failing the test case with the ioctl's name on error. */
#define kvm_ioctl(fd, cmd, arg) ({ \
	int __r = __kvm_ioctl(fd, cmd, arg); \
	kvm__check_ioctl(__r, #cmd, __FILE__, __LINE__); \
	__r; })

void kvm__check_ioctl(int ret, const char *name, const char *file, int line);
void kvm__check_arg_size(size_t arg_size, unsigned int encoded, const char *name, const char *file,
			 int line);

int __kvm_open(void);
int kvm_open(void);
int kvm_check_cap(int kvm_fd, long cap);

int __vm_create(struct kvm_vm *vm);
void vm_create(struct kvm_vm *vm);
void vm_add_memory(struct kvm_vm *vm, uint64_t gpa, size_t size);
void vm_load(struct kvm_vm *vm, uint64_t gpa, const void *code, size_t size);
void vm_free(struct kvm_vm *vm);

void vm_vcpu_add(struct kvm_vm *vm, struct kvm_vcpu *vcpu, int id);
void vcpu_run(struct kvm_vcpu *vcpu);
/* vcpu_run with the watchdog's time in seconds (vcpu_run: 10 s) */
void vcpu_run_timeout(struct kvm_vcpu *vcpu, int seconds);
void vcpu_free(struct kvm_vcpu *vcpu);

/* Exits of the guest programs, decoded from kvm_run by the arch part (guest.h). */
enum guest_exit_kind {
	GUEST_EXIT_UCALL,	/* a write to the host: port I/O on x86, MMIO on arm64 */
	GUEST_EXIT_DONE,	/* the guest stopped: HLT on x86, PSCI SYSTEM_OFF on arm64 */
	GUEST_EXIT_OTHER,	/* anything else (exit_reason in .reason) */
};

struct guest_exit {
	enum guest_exit_kind kind;
	uint32_t reason;	/* kvm_run.exit_reason */
	uint64_t addr;		/* UCALL: port or MMIO address */
	uint64_t value;		/* UCALL: the value written */
	unsigned int size;	/* UCALL: bytes written */
};

const char *kvm_exit_name(uint32_t reason);

/* kvm_is_pvm: the KVM here is kvm-pvm (/sys/module/kvm_pvm: KVM without hardware virtualization,
 * its own emulator), which lacks some of what hardware KVM does; the skips that depend on it say so. */
bool kvm_is_pvm(void);

#endif
