/* conformance/ioctl_check.h - the generic checks of ioctl_test, driven by the catalog and the
 * bindings' tables: the environment one ioctl needs (a VM, memory, an irqchip, a vCPU, ...), its
 * argument (the binding's size plus a flexible array, fields set by the catalog's arg=, then the
 * arch's hook), the call, and the guard bytes after the argument. */
#ifndef KVMGATE_IOCTL_CHECK_H
#define KVMGATE_IOCTL_CHECK_H

#include <atf-c.h>
#include <stdbool.h>
#include <stddef.h>

#include "catalog.h"

#define ICTX_GUARD 64		/* guard bytes after the argument */
#define ICTX_POISON 0xa5
#define ICTX_MAX_AUX 4

/* ictx: one ioctl's environment and argument. */
struct ictx {
	const struct catalog *cat;
	const struct cat_entry *e;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	bool has_vm, has_vcpu;
	int sys_fd;
	int dev_fd;			/* a device (KVM_CREATE_DEVICE), or -1 */
	int aux_fd[ICTX_MAX_AUX];	/* eventfds and the like, closed at the end */
	unsigned char *buf;		/* the argument: len bytes, then ICTX_GUARD guard bytes */
	size_t len;
	unsigned char *input;		/* the argument as prepared, before any call */
	unsigned long val;		/* the argument of an ioctl that takes a value */
	bool by_value;
	void *payload;			/* data the argument points to (device attr, one reg),
					 * then ICTX_GUARD guard bytes */
	size_t payload_len;
	void *aux_mem;			/* a mapping a hook made (guest memory), unmapped at the end */
	size_t aux_len;
	int fd;				/* where the call goes */
	char skip[256];			/* a hook's reason to skip the ioctl */
	int arch_state;			/* the arch's set-up state (arm64: the vgic's) */
};

struct ioctl_hook {
	const char *name;
	/* prepare: after the generic set-up; may adjust c (argument, VM), or write c->skip. */
	void (*prepare)(struct ictx *c);
	bool probes;	/* it may skip: a feature of the kernel or the machine it checks for */
};

/* The arch's hooks (ioctl_hooks_<arch>.c), and its generic set-up of needs= words other than
 * vcpu (returns false for a word it does not know). */
extern const struct ioctl_hook ioctl_hooks[];
extern const unsigned int ioctl_nr_hooks;
bool ioctl_arch_need(struct ictx *c, const char *need);
/* ioctl_arch_need_probes: whether the need word may skip (a feature the machine may lack). */
bool ioctl_arch_need_probes(const char *need);
/* ioctl_arch_need_holds: for a need word that is a condition of the machine which can change
 * while a test runs (x86_64: stable_tsc), whether it holds now, c->skip saying why not; true
 * for every other word. */
bool ioctl_arch_need_holds(struct ictx *c, const char *need);
/* ictx_needs_hold: ioctl_arch_need_holds of each of e's needs= words. */
bool ictx_needs_hold(struct ictx *c, const struct cat_entry *e);
/* ictx_may_skip: whether e's set-up can skip for more than a missing capability. */
bool ictx_may_skip(const struct catalog *cat, const struct cat_entry *e);
/* ioctl_arch_vcpu: what a fresh vCPU needs before ioctls on it (arm64: KVM_ARM_VCPU_INIT). */
void ioctl_arch_vcpu(struct ictx *c);

/* ictx_catalog: the catalog of this arch, next to the test program. */
void ictx_catalog(struct catalog *cat, const atf_tc_t *tc);

/* ictx_setup: the environment and argument of e (and of its partner); false with c->skip set
 * when the capability or feature is missing. */
bool ictx_setup(struct ictx *c, const struct catalog *cat, const struct cat_entry *e);
void ictx_teardown(struct ictx *c);

/* ictx_reset_arg: the argument back to its prepared input, with poison where the kernel writes
 * (an output-only argument is all poison). */
void ictx_reset_arg(struct ictx *c, unsigned char poison);
/* ictx_call: issue e's number on c->fd with c's argument; the ioctl's result, -errno on failure. */
long ictx_call(struct ictx *c, const struct cat_entry *e);
/* ictx_guard_ok: the guard bytes after the argument are untouched. */
bool ictx_guard_ok(const struct ictx *c);
/* ictx_payload_guard_ok: the guard bytes after the payload (hook_payload) are untouched. */
bool ictx_payload_guard_ok(const struct ictx *c);
/* ictx_cap: the capability's value (KVM_CHECK_EXTENSION on the VM, or /dev/kvm). */
long ictx_cap(struct ictx *c, const char *cap);
int ictx_fd_of(struct ictx *c, enum cat_fd kind);

/* Field access through the bindings' field table: type and path name a field of c's argument. */
void ictx_set(struct ictx *c, const char *path, unsigned long long v);
unsigned long long ictx_get(const struct ictx *c, const char *path);
/* ictx_flex: the offset of the flexible array of c's argument. */
size_t ictx_flex(const struct ictx *c);
/* ictx_set_at: size bytes at off of the argument (a scalar argument, a flexible array's element). */
void ictx_set_at(struct ictx *c, size_t off, unsigned int size, unsigned long long v);
/* ictx_grow: make the argument len bytes (a flexible array), keeping its contents. */
void ictx_grow(struct ictx *c, size_t len);
/* ictx_aux: keep fd to be closed at the end. */
void ictx_aux(struct ictx *c, int fd);

/* The hooks every arch shares (ioctl_hooks.c), and their helpers: a payload the argument points
 * to (compared in round trips), guest memory for a slot, a memory slot, an eventfd. */
void hook_memslot(struct ictx *c);
void hook_pre_fault(struct ictx *c);
void hook_dirty_log(struct ictx *c);
void hook_clear_dirty_log(struct ictx *c);
void hook_coalesced_unregister(struct ictx *c);
void hook_ioeventfd(struct ictx *c);
void hook_irqfd(struct ictx *c);
void hook_dirty_ring(struct ictx *c);
void hook_run(struct ictx *c);
void hook_one_reg(struct ictx *c);
void *hook_payload(struct ictx *c, size_t len);
void *hook_guest_ram(struct ictx *c, size_t len);
void hook_memslot_at(struct ictx *c, unsigned int slot, unsigned long long gpa, size_t len,
		     unsigned int flags);
int hook_eventfd(struct ictx *c);

/* Set-up helpers for the hooks, all through the bindings' tables: a zeroed struct (plus extra
 * bytes), a scalar field stored or loaded, a constant, an ioctl by name (must: fail the case on
 * error; else -errno), and KVM_ENABLE_CAP of cap with args[0]. */
unsigned char *abi_new(const char *type, size_t extra);
void abi_store(unsigned char *buf, const char *type, const char *path, unsigned long long v);
unsigned long long abi_load(const unsigned char *buf, const char *type, const char *path);
long long abi_value(const char *name);
long abi_do(int fd, const char *name, unsigned long arg, bool must);
void ictx_enable_cap(int fd, const char *cap, unsigned long long arg0);

#endif
