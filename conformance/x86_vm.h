/* conformance/x86_vm.h - host side of the x86_64 guest library (guest/x86_64/): a VM with the
 * library's image loaded, vCPUs in its long mode, guest functions called by their symbol
 * (X86G_SYM_<name>, generated from the image), and the ucall decoded from KVM_EXIT_IO. */
#ifndef KVMGATE_X86_VM_H
#define KVMGATE_X86_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "kvm_util.h"
#include "guest/x86_64/abi.h"
#include "x86g_syms.h"

extern const unsigned char x86g_blob[], x86g_blob_end[];

/* kvm_ioctl_val: an ioctl whose argument is a value (_IO ioctls such as KVM_CREATE_IRQCHIP, KVM_NMI),
 * failing the case with its name. */
#define kvm_ioctl_val(fd, cmd, val) ({ \
	_Static_assert(_IOC_SIZE(cmd) == 0, #cmd " takes a value, not a struct"); \
	int __r = ioctl((fd), (cmd), (unsigned long)(val)); \
	kvm__check_ioctl(__r, #cmd, __FILE__, __LINE__); \
	__r; })

/* The long mode the library runs in (x86_vcpu_long_mode). */
#define X86_CR0_LONG	0x80010033ULL	/* PG WP NE ET MP PE */
#define X86_CR4_LONG	0x00000620ULL	/* OSXMMEXCPT OSFXSR PAE */
#define X86_EFER_LONG	0x00000500ULL	/* LMA LME */

/* x86_vm_create: a VM with memory 0..X86G_MEM_SIZE (slot 0) and the library loaded. */
void x86_vm_create(struct kvm_vm *vm);
/* x86_vm_load_lib: copy the library's image to X86G_BASE (memory must cover it). */
void x86_vm_load_lib(struct kvm_vm *vm);
/* The CPUID KVM supports (KVM_GET_SUPPORTED_CPUID, read once per process). */
#define X86_CPUID_MAX 256
struct x86_cpuid {
	struct kvm_cpuid2 h;
	struct kvm_cpuid_entry2 e[X86_CPUID_MAX];
};
const struct x86_cpuid *x86_supported_cpuid(struct kvm_vm *vm);
/* x86_cpuid_find: the entry of function fn, index idx (idx ignored where the function has no
 * KVM_CPUID_FLAG_SIGNIFCANT_INDEX), or NULL. */
const struct kvm_cpuid_entry2 *x86_cpuid_find(const struct x86_cpuid *c, uint32_t fn, uint32_t idx);
/* x86_has: CPUID fn.idx register reg ('a','b','c','d') bit is set in the supported CPUID. */
bool x86_has(struct kvm_vm *vm, uint32_t fn, uint32_t idx, char reg, unsigned int bit);
void x86_vcpu_set_cpuid(struct kvm_vcpu *vcpu, const struct x86_cpuid *c);

/* x86_vcpu_add: vm_vcpu_add, the supported CPUID (KVM_SET_CPUID2), then x86_vcpu_long_mode. */
void x86_vcpu_add(struct kvm_vm *vm, struct kvm_vcpu *vcpu, int id);
/* x86_sregs_long_mode: the segments, tables and control registers of the library's long mode
 * written into s (the rest of s as it is). */
void x86_sregs_long_mode(struct kvm_sregs *s);
/* x86_vcpu_long_mode: KVM_SET_SREGS of that long mode; the vCPU's CPUID must offer LM first
 * (6.12 refuses EFER.LME without it: EINVAL). */
void x86_vcpu_long_mode(struct kvm_vcpu *vcpu);
uint64_t x86_stack_top(int vcpu_id);
/* x86_vcpu_call: the vCPU's next KVM_RUN calls guest function fn(arg) through x86g_start. */
void x86_vcpu_call(struct kvm_vcpu *vcpu, uint64_t fn, uint64_t arg);

/* x86_vcpu_enter: the vCPU's next KVM_RUN starts at fn(arg) itself, with a return to x86g_done
 * on its stack (no x86g_start: nothing runs before fn; call x86g_init first for the IDT). */
void x86_vcpu_enter(struct kvm_vcpu *vcpu, uint64_t fn, uint64_t arg);

/* x86_gpa: host address of guest memory [gpa, gpa+size), failing the case when outside. */
void *x86_gpa(struct kvm_vm *vm, uint64_t gpa, size_t size);
#define X86_GUEST_VAR(vm, sym, type) ((type *)x86_gpa((vm), X86G_SYM_##sym, sizeof(type)))

struct x86_ucall {
	uint64_t cmd;
	uint64_t nargs;
	uint64_t args[UCALL_NARGS];
	uint64_t line;		/* UCALL_ASSERT: where, and the assertion's text */
	const char *file;
	const char *text;
};

/* __x86_run: one KVM_RUN; true with *uc filled when it ended in a ucall, false for any other exit
 * (in vcpu->run). */
bool __x86_run(struct kvm_vcpu *vcpu, struct x86_ucall *uc);
/* x86_run: KVM_RUN to the next ucall, failing the case on any other exit and on an ASSERT or
 * EXCEPTION ucall (with the guest's message); returns uc->cmd. */
uint64_t x86_run(struct kvm_vcpu *vcpu, struct x86_ucall *uc);
/* x86_run_sync: the next ucall must be GUEST_SYNC(stage, ...); x86_run_done: GUEST_DONE. */
void x86_run_sync(struct kvm_vcpu *vcpu, uint64_t stage, struct x86_ucall *uc);
void x86_run_done(struct kvm_vcpu *vcpu);

const char *x86_vector_name(unsigned int vector);

/* X86_REQUIRE_CAP: skip the case, naming the capability, unless /dev/kvm has it. A case made of
 * several parts checks them all first, so that no skip ends it after checks have run. */
#define X86_REQUIRE_CAP(cap) x86_require_cap((cap), #cap)
void x86_require_cap(long cap, const char *name);

/* x86_host_is_tcg: this machine is a QEMU TCG guest (CPUID 0x40000000 says "TCGTCGTCGTCG"), for
 * skips that name what TCG's emulation lacks. */
bool x86_host_is_tcg(void);

#endif
