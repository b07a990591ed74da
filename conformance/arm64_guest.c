/* conformance/arm64_guest.c - the host side of the arm64 guest library (see arm64_guest.h). */
#include <atf-c.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arm64_guest.h"

uint64_t arm64_core_reg_id(size_t offset, size_t size)
{
	uint64_t sz = size == 4 ? KVM_REG_SIZE_U32 : size == 8 ? KVM_REG_SIZE_U64 : KVM_REG_SIZE_U128;

	ATF_REQUIRE_MSG(size == 4 || size == 8 || size == 16, "core register of %zu bytes", size);
	return KVM_REG_ARM64 | sz | KVM_REG_ARM_CORE | (offset / sizeof(uint32_t));
}

uint64_t arm64_sysreg_id(unsigned int op0, unsigned int op1, unsigned int crn, unsigned int crm,
			 unsigned int op2)
{
	return KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG |
	       (((uint64_t)op0 << KVM_REG_ARM64_SYSREG_OP0_SHIFT) & KVM_REG_ARM64_SYSREG_OP0_MASK) |
	       (((uint64_t)op1 << KVM_REG_ARM64_SYSREG_OP1_SHIFT) & KVM_REG_ARM64_SYSREG_OP1_MASK) |
	       (((uint64_t)crn << KVM_REG_ARM64_SYSREG_CRN_SHIFT) & KVM_REG_ARM64_SYSREG_CRN_MASK) |
	       (((uint64_t)crm << KVM_REG_ARM64_SYSREG_CRM_SHIFT) & KVM_REG_ARM64_SYSREG_CRM_MASK) |
	       (((uint64_t)op2 << KVM_REG_ARM64_SYSREG_OP2_SHIFT) & KVM_REG_ARM64_SYSREG_OP2_MASK);
}

size_t arm64_reg_size(uint64_t id)
{
	return (size_t)1 << ((id & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT);
}

int __vcpu_get_reg(struct kvm_vcpu *vcpu, uint64_t id, void *buf)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)buf };

	return __kvm_ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg) < 0 ? -errno : 0;
}

int __vcpu_set_reg(struct kvm_vcpu *vcpu, uint64_t id, const void *buf)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)buf };

	return __kvm_ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg) < 0 ? -errno : 0;
}

uint64_t vcpu_get_reg(struct kvm_vcpu *vcpu, uint64_t id)
{
	uint64_t v = 0;
	int r;

	ATF_REQUIRE_MSG(arm64_reg_size(id) <= sizeof(v), "register 0x%llx wider than 64 bits",
			(unsigned long long)id);
	r = __vcpu_get_reg(vcpu, id, &v);
	ATF_REQUIRE_MSG(r == 0, "KVM_GET_ONE_REG 0x%llx: %s", (unsigned long long)id, strerror(-r));
	return v;
}

void vcpu_set_reg(struct kvm_vcpu *vcpu, uint64_t id, uint64_t value)
{
	int r;

	ATF_REQUIRE_MSG(arm64_reg_size(id) <= sizeof(value), "register 0x%llx wider than 64 bits",
			(unsigned long long)id);
	r = __vcpu_set_reg(vcpu, id, &value);	/* little-endian: the low bytes for U32 */
	ATF_REQUIRE_MSG(r == 0, "KVM_SET_ONE_REG 0x%llx = 0x%llx: %s", (unsigned long long)id,
			(unsigned long long)value, strerror(-r));
}

void ga_vm_create(struct ga_vm *g, struct ga_blob blob)
{
	memset(g, 0, sizeof(*g));
	g->blob = blob;
	ATF_REQUIRE_MSG(blob.entry == GA_CODE_GPA && blob.image_end <= GA_MEM_GPA + GA_MEM_SIZE,
			"blob %s: _start 0x%llx, end 0x%llx outside guest memory", blob.name,
			(unsigned long long)blob.entry, (unsigned long long)blob.image_end);
	vm_create(&g->vm);
	vm_add_memory(&g->vm, GA_MEM_GPA, GA_MEM_SIZE);
	vm_load(&g->vm, GA_CODE_GPA, blob.start, (size_t)(blob.end - blob.start));
}

int __ga_vcpu_init(struct ga_vm *g, struct kvm_vcpu *vcpu, uint32_t features)
{
	struct kvm_vcpu_init init;

	memset(&init, 0, sizeof(init));
	kvm_ioctl(g->vm.fd, KVM_ARM_PREFERRED_TARGET, &init);
	init.features[0] |= features;
	return __kvm_ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init) < 0 ? -errno : 0;
}

struct kvm_vcpu *ga_vcpu_add(struct ga_vm *g, uint32_t features)
{
	struct kvm_vcpu *vcpu;
	int r;

	ATF_REQUIRE_MSG(g->nr_vcpus < GA_MAX_CPUS, "more than %d vCPUs", GA_MAX_CPUS);
	vcpu = &g->vcpu[g->nr_vcpus];
	vm_vcpu_add(&g->vm, vcpu, g->nr_vcpus);
	g->nr_vcpus++;
	r = __ga_vcpu_init(g, vcpu, features);
	ATF_REQUIRE_MSG(r == 0, "KVM_ARM_VCPU_INIT with features 0x%x: %s", features, strerror(-r));
	ga_vcpu_finalize(vcpu, features);
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.pc), g->blob.entry);
	return vcpu;
}

void ga_vm_free(struct ga_vm *g)
{
	for (int i = 0; i < g->nr_vcpus; i++)
		vcpu_free(&g->vcpu[i]);
	vm_free(&g->vm);
	g->nr_vcpus = 0;
}

void *ga_mem(struct ga_vm *g, uint64_t gpa, size_t size)
{
	ATF_REQUIRE_MSG(gpa >= g->vm.mem_gpa && gpa - g->vm.mem_gpa + size <= g->vm.mem_size,
			"guest address 0x%llx+%zu outside guest memory", (unsigned long long)gpa, size);
	return (char *)g->vm.mem + (gpa - g->vm.mem_gpa);
}

/* A NUL-terminated string of guest memory (at most 200 bytes shown). */
static const char *guest_str(struct ga_vm *g, uint64_t gpa)
{
	const char *s;

	if (gpa < g->vm.mem_gpa || gpa >= g->vm.mem_gpa + g->vm.mem_size)
		return "?";
	s = (const char *)g->vm.mem + (gpa - g->vm.mem_gpa);
	return memchr(s, 0, g->vm.mem_gpa + g->vm.mem_size - gpa) != NULL ? s : "?";
}

const char *ga_vector_name(uint64_t vector)
{
	static const char *const names[VEC_COUNT] = {
		"EL1t sync", "EL1t IRQ", "EL1t FIQ", "EL1t SError",
		"EL1h sync", "EL1h IRQ", "EL1h FIQ", "EL1h SError",
		"EL0/64 sync", "EL0/64 IRQ", "EL0/64 FIQ", "EL0/64 SError",
		"EL0/32 sync", "EL0/32 IRQ", "EL0/32 FIQ", "EL0/32 SError",
	};

	return vector < VEC_COUNT ? names[vector] : "?";
}

uint64_t ga_run(struct ga_vm *g, struct kvm_vcpu *vcpu, struct ucall *uc)
{
	struct kvm_run *run = vcpu->run;
	uint64_t addr = 0;

	memset(uc, 0, sizeof(*uc));
	vcpu_run_timeout(vcpu, GA_RUN_TIMEOUT_S);
	if (run->exit_reason != KVM_EXIT_MMIO || run->mmio.phys_addr != GA_UCALL_MMIO)
		return UCALL_NONE;
	ATF_REQUIRE_MSG(run->mmio.is_write && run->mmio.len == 8, "ucall MMIO: is_write %u len %u",
			run->mmio.is_write, run->mmio.len);
	memcpy(&addr, run->mmio.data, sizeof(addr));
	memcpy(uc, ga_mem(g, addr, sizeof(*uc)), sizeof(*uc));
	if (uc->cmd == UCALL_ASSERT)
		atf_tc_fail("guest vCPU %d: assertion failed at %s:%llu: %s (0x%llx, 0x%llx)", vcpu->id,
			    guest_str(g, uc->file), (unsigned long long)uc->line,
			    guest_str(g, uc->expr), (unsigned long long)uc->args[0],
			    (unsigned long long)uc->args[1]);
	if (uc->cmd == UCALL_UNHANDLED)
		atf_tc_fail("guest vCPU %d: unhandled exception, vector %s, class 0x%llx, ESR_EL1 "
			    "0x%llx, ELR_EL1 0x%llx, FAR_EL1 0x%llx", vcpu->id,
			    ga_vector_name(uc->args[0]), (unsigned long long)(uc->args[1] >> 26),
			    (unsigned long long)uc->args[1], (unsigned long long)uc->args[2],
			    (unsigned long long)uc->args[3]);
	return uc->cmd;
}

void ga_run_expect(struct ga_vm *g, struct kvm_vcpu *vcpu, uint64_t cmd, uint64_t stage,
		   struct ucall *uc)
{
	uint64_t got = ga_run(g, vcpu, uc);

	if (got == UCALL_NONE)
		atf_tc_fail("vCPU %d: expected ucall %llu (stage %llu), got exit_reason %u (%s)",
			    vcpu->id, (unsigned long long)cmd, (unsigned long long)stage,
			    vcpu->run->exit_reason, kvm_exit_name(vcpu->run->exit_reason));
	ATF_REQUIRE_MSG(got == cmd, "vCPU %d: ucall %llu, expected %llu", vcpu->id,
			(unsigned long long)got, (unsigned long long)cmd);
	if (cmd == UCALL_SYNC)
		ATF_REQUIRE_MSG(uc->args[0] == stage, "vCPU %d: GUEST_SYNC stage %llu, expected %llu",
				vcpu->id, (unsigned long long)uc->args[0], (unsigned long long)stage);
}

struct kvm_reg_list *vcpu_reg_list(struct kvm_vcpu *vcpu)
{
	struct kvm_reg_list probe = { .n = 0 }, *list;
	int r = __kvm_ioctl(vcpu->fd, KVM_GET_REG_LIST, &probe);

	ATF_REQUIRE_MSG(r < 0 && errno == E2BIG, "KVM_GET_REG_LIST with n = 0: %d (%s), expected "
			"E2BIG", r, strerror(errno));
	ATF_REQUIRE_MSG(probe.n > 0 && probe.n < 100000, "KVM_GET_REG_LIST count %llu",
			(unsigned long long)probe.n);
	list = calloc(1, sizeof(*list) + probe.n * sizeof(list->reg[0]));
	ATF_REQUIRE(list != NULL);
	list->n = probe.n;
	kvm_ioctl(vcpu->fd, KVM_GET_REG_LIST, list);
	ATF_REQUIRE_EQ(list->n, probe.n);
	return list;
}

uint32_t ga_offered_features(struct ga_vm *g)
{
	uint32_t f = 0;

	if (kvm_check_cap(g->vm.kvm_fd, KVM_CAP_ARM_PMU_V3) > 0)
		f |= 1u << KVM_ARM_VCPU_PMU_V3;
	if (kvm_check_cap(g->vm.kvm_fd, KVM_CAP_ARM_SVE) > 0)
		f |= 1u << KVM_ARM_VCPU_SVE;
	if (kvm_check_cap(g->vm.kvm_fd, KVM_CAP_ARM_PTRAUTH_ADDRESS) > 0 &&
	    kvm_check_cap(g->vm.kvm_fd, KVM_CAP_ARM_PTRAUTH_GENERIC) > 0)
		f |= 1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS | 1u << KVM_ARM_VCPU_PTRAUTH_GENERIC;
	return f;
}

void ga_vcpu_finalize(struct kvm_vcpu *vcpu, uint32_t features)
{
	int what = KVM_ARM_VCPU_SVE;

	if (features & (1u << KVM_ARM_VCPU_SVE))
		kvm_ioctl(vcpu->fd, KVM_ARM_VCPU_FINALIZE, &what);
}
