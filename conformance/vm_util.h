/* conformance/vm_util.h - helpers of the VM-level tests (vm_*_test.c): memory slots beyond
 * kvm_util's slot 0, capabilities asked on the VM fd, KVM_RUN to an expected exit, eventfds; the
 * tests record what they exercise through conformance/coverage.h. */
#ifndef KVMGATE_VM_UTIL_H
#define KVMGATE_VM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest_progs_vm.h"
#include "kvm_util.h"

#include "coverage.h"

/* A memory slot of anonymous host memory (pages filled with fill_byte when added). */
struct memslot {
	struct kvm_vm *vm;
	uint32_t slot;
	uint32_t flags;
	uint64_t gpa;
	size_t size;
	uint8_t *host;
};

/* __memslot_set: KVM_SET_USER_MEMORY_REGION with the slot's fields (size 0 deletes); -errno. */
int __memslot_set(const struct memslot *ms);
/* memslot_add: map size bytes, fill them, add them as slot at gpa with flags (asserting). */
void memslot_add(struct kvm_vm *vm, struct memslot *ms, uint32_t slot, uint64_t gpa, size_t size,
		 uint32_t flags, uint8_t fill_byte);
void memslot_move(struct memslot *ms, uint64_t gpa);
void memslot_delete(struct memslot *ms);
/* memslot_free: unmaps the host memory (the slot itself goes with the VM). */
void memslot_free(struct memslot *ms);

/* vm_check_cap: KVM_CHECK_EXTENSION on the VM fd (KVM_CAP_CHECK_EXTENSION_VM), on /dev/kvm
 * where the kernel lacks that. */
int vm_check_cap(struct kvm_vm *vm, long cap);
/* vm_require_cap: vm_check_cap, and atf_tc_skip naming the capability when it is 0, after
 * recording each ioctl of the space-separated list ioctls (may be NULL) as skipped for it. */
int __vm_require_cap(struct kvm_vm *vm, long cap, const char *name, const char *ioctls);
#define vm_require_cap(vm, cap, ioctls) __vm_require_cap((vm), (cap), #cap, (ioctls))

/* run_exit: KVM_RUN once; requires exit_reason to be reason (names both otherwise). */
void __run_exit(struct kvm_vcpu *vcpu, uint32_t reason, const char *what, int line);
#define run_exit(vcpu, reason, what) __run_exit((vcpu), (reason), (what), __LINE__)
/* run_stop: KVM_RUN once; requires the arch's stop exit (vmprog_stopped). */
void __run_stop(struct kvm_vcpu *vcpu, const char *what, int line);
#define run_stop(vcpu, what) __run_stop((vcpu), (what), __LINE__)

/* device_attr: KVM_SET_DEVICE_ATTR (set) or KVM_GET_DEVICE_ATTR of group/attr on a device fd,
 * val its addr; __device_attr returns -errno, device_attr fails the case naming what. */
int __device_attr(int fd, uint32_t group, uint64_t attr, void *val, bool set);
void device_attr(int fd, uint32_t group, uint64_t attr, void *val, bool set, const char *what);

/* eventfd helpers: a non-blocking eventfd; its counter read and reset (0 when nothing was
 * signalled); eventfd_signal adds 1. */
int efd_new(void);
uint64_t efd_take(int fd);
void efd_signal(int fd);

long host_page_size(void);

/* mem_readable: whether the n bytes (at most 64 KiB) at p can be read without a fault: a mapping
 * of a kernel fd at an offset it does not serve gives SIGBUS, which a test should report as a
 * failure rather than die of. */
bool mem_readable(const void *p, size_t n);

#endif
