/* conformance/arm64_vcpu_test.c - arm64 vCPU set-up seen by guest code: KVM_ARM_PREFERRED_TARGET
 * and KVM_ARM_VCPU_INIT with feature bits (PSCI 0.2 with the firmware pseudo-register
 * KVM_REG_ARM_PSCI_VERSION, PMUv3, SVE with KVM_ARM_VCPU_FINALIZE, pointer authentication), each
 * checked in the ID registers and PSCI calls the guest sees; the firmware bitmap register
 * KVM_REG_ARM_STD_BMAP as the guest's TRNG calls see it; PSCI CPU_ON of a second vCPU
 * through kvm_mp_state; SYSTEM_OFF and SYSTEM_RESET as KVM_EXIT_SYSTEM_EVENT decoded through the
 * binding's kvm_run. A feature the kernel does not offer is a skip naming its capability. */
#include <atf-c.h>
#include <errno.h>
#include <string.h>

#include "arm64_guest.h"
#include "coverage.h"
#include "vcpu_modes.h"
#include "vcpu_syms.h"

#define FIELD(v, shift) (((v) >> (shift)) & 0xf)
#define PFR0_SVE	32
#define DFR0_PMUVER	8
#define ISAR1_APA	4
#define ISAR1_API	8
#define ISAR1_GPA	24
#define ISAR1_GPI	28

#define F(bit) (1u << (bit))

struct guest_view {
	uint64_t pfr0, dfr0, isar1, psci;
	uint64_t sve_vl;	/* bytes, 0 if no SVE */
};

/* The features of KVM_ARM_VCPU_INIT are the VM's (6.1 kept them per vCPU): a vCPU whose features
 * differ from the first vCPU's is refused with EINVAL (6.12's arch/arm64/kvm/arm.c
 * __kvm_vcpu_set_target, kvm_vcpu_init_changed), so a vCPU with a feature and one without each
 * get their own VM. */

/* view: a vCPU with features runs vcpu.c's VM_FEATURES; its ID registers and PSCI_VERSION. */
static struct guest_view view(struct ga_vm *g, struct kvm_vcpu *vcpu)
{
	struct guest_view v = { 0, 0, 0, 0, 0 };
	struct ucall uc;

	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.regs[0]), VM_FEATURES);
	ga_run_expect(g, vcpu, UCALL_SYNC, 1, &uc);
	v.pfr0 = uc.args[1];
	v.dfr0 = uc.args[2];
	v.isar1 = uc.args[3];
	v.psci = uc.args[4];
	if (FIELD(v.pfr0, PFR0_SVE) != 0) {
		ga_run_expect(g, vcpu, UCALL_SYNC, 2, &uc);
		v.sve_vl = uc.args[1];
	}
	ga_run_expect(g, vcpu, UCALL_DONE, 0, &uc);
	return v;
}

static void require_cap(struct ga_vm *g, long cap, const char *name)
{
	if (kvm_check_cap(g->vm.kvm_fd, cap) <= 0) {
		ga_vm_free(g);
		atf_tc_skip("%s absent: the kernel does not offer the feature", name);
	}
}

ATF_TC(init_target);
ATF_TC_HEAD(init_target, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_ARM_PREFERRED_TARGET gives a target KVM_ARM_VCPU_INIT "
			  "takes; an unknown feature bit (ENOENT) or another target (EINVAL) is refused, ONE_REG "
			  "before INIT is ENOEXEC, a second INIT with other features EINVAL");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(init_target, tc)
{
	struct kvm_vcpu_init init, bad;
	struct ga_vm g;
	struct kvm_vcpu vcpu;
	uint64_t v;

	ga_vm_create(&g, GA_BLOB(vcpu));
	memset(&init, 0xff, sizeof(init));
	kvm_ioctl(g.vm.fd, KVM_ARM_PREFERRED_TARGET, &init);
	for (size_t i = 0; i < sizeof(init.features) / sizeof(init.features[0]); i++)
		ATF_CHECK_EQ_MSG(init.features[i], 0u, "KVM_ARM_PREFERRED_TARGET left features[%zu] = "
				 "0x%x (it clears them)", i, init.features[i]);
	ATF_CHECK_MSG(init.target < 64, "preferred target %u", init.target);
	vm_vcpu_add(&g.vm, &vcpu, 0);
	ATF_CHECK_MSG(__vcpu_get_reg(&vcpu, ARM64_CORE_REG(regs.pc), &v) == -ENOEXEC,
		      "KVM_GET_ONE_REG before KVM_ARM_VCPU_INIT is not ENOEXEC");
	bad = init;
	bad.features[0] = 1u << 31;
	ATF_CHECK_MSG(__kvm_ioctl(vcpu.fd, KVM_ARM_VCPU_INIT, &bad) < 0 && errno == ENOENT,
		      "KVM_ARM_VCPU_INIT with feature bit 31 was not refused with ENOENT");
	bad = init;
	bad.target = init.target + 1;
	ATF_CHECK_MSG(__kvm_ioctl(vcpu.fd, KVM_ARM_VCPU_INIT, &bad) < 0 && errno == EINVAL,
		      "KVM_ARM_VCPU_INIT with target %u (preferred %u) was not refused with EINVAL",
		      bad.target, init.target);
	init.features[0] = F(KVM_ARM_VCPU_PSCI_0_2);
	kvm_ioctl(vcpu.fd, KVM_ARM_VCPU_INIT, &init);
	kvm_ioctl(vcpu.fd, KVM_ARM_VCPU_INIT, &init);	/* the same again: a reset */
	bad = init;
	bad.features[0] = 0;
	ATF_CHECK_MSG(__kvm_ioctl(vcpu.fd, KVM_ARM_VCPU_INIT, &bad) < 0 && errno == EINVAL,
		      "a second KVM_ARM_VCPU_INIT with other features was not refused with EINVAL");
	ATF_CHECK(__vcpu_get_reg(&vcpu, ARM64_CORE_REG(regs.pc), &v) == 0);
	vcpu_free(&vcpu);
	vm_free(&g.vm);
	cov_ioctl("KVM_ARM_PREFERRED_TARGET", COV_EXERCISED, "number,semantic: target accepted by "
		  "INIT, features cleared");
	cov_ioctl("KVM_ARM_VCPU_INIT", COV_EXERCISED, "number,semantic: unknown feature, other "
		  "target and changed features refused; features seen by guest code");
	cov_struct("struct kvm_vcpu_init", true, "target and features[0] through INIT");
}

ATF_TC(feature_psci);
ATF_TC_HEAD(feature_psci, tc)
{
	atf_tc_set_md_var(tc, "descr", "Without KVM_ARM_VCPU_PSCI_0_2 the firmware register "
			  "KVM_REG_ARM_PSCI_VERSION reads 0.1 and the guest's PSCI_VERSION call is "
			  "NOT_SUPPORTED; with it the guest sees the version the register reads, and a "
			  "version set through it (1.0, the VM's: 0.1 refused)");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(feature_psci, tc)
{
	struct ga_vm g;
	struct guest_view v;
	uint64_t ver;

	ga_vm_create(&g, GA_BLOB(vcpu));
	require_cap(&g, KVM_CAP_ARM_PSCI_0_2, "KVM_CAP_ARM_PSCI_0_2");
	{
		struct kvm_vcpu *plain = ga_vcpu_add(&g, 0);

		ATF_CHECK_EQ_MSG(vcpu_get_reg(plain, KVM_REG_ARM_PSCI_VERSION), 1u,
				 "KVM_REG_ARM_PSCI_VERSION without PSCI 0.2 is not 1 (0.1)");
		v = view(&g, plain);
		ATF_CHECK_EQ_MSG(v.psci, (uint64_t)-1, "PSCI_VERSION under PSCI 0.1 returned 0x%llx, "
				 "not NOT_SUPPORTED", (unsigned long long)v.psci);
	}
	ga_vm_free(&g);

	ga_vm_create(&g, GA_BLOB(vcpu));
	{
		struct kvm_vcpu *a = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2));
		struct kvm_vcpu *b = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2));

		ver = vcpu_get_reg(a, KVM_REG_ARM_PSCI_VERSION);
		ATF_CHECK_MSG(ver >= 2, "KVM_REG_ARM_PSCI_VERSION 0x%llx with PSCI 0.2 (< 0.2)",
			      (unsigned long long)ver);
		v = view(&g, a);
		ATF_CHECK_EQ_MSG(v.psci, ver, "guest's PSCI_VERSION 0x%llx, the register reads 0x%llx",
				 (unsigned long long)v.psci, (unsigned long long)ver);
		/* The version is the VM's; 0.1 is refused on a PSCI 0.2 vCPU. */
		ATF_CHECK_MSG(__vcpu_set_reg(b, KVM_REG_ARM_PSCI_VERSION, &(uint64_t){ 1 }) == -EINVAL,
			      "KVM_REG_ARM_PSCI_VERSION 0.1 on a PSCI 0.2 vCPU was not refused");
		vcpu_set_reg(b, KVM_REG_ARM_PSCI_VERSION, 0x10000);
		ATF_CHECK_EQ_MSG(vcpu_get_reg(a, KVM_REG_ARM_PSCI_VERSION), 0x10000u, "PSCI 1.0 set "
				 "through one vCPU is not what the other reads (the version is the VM's)");
	}
	ga_vm_free(&g);

	ga_vm_create(&g, GA_BLOB(vcpu));
	{
		struct kvm_vcpu *c = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2));

		vcpu_set_reg(c, KVM_REG_ARM_PSCI_VERSION, 0x10000);	/* PSCI 1.0 */
		v = view(&g, c);
		ATF_CHECK_EQ_MSG(v.psci, 0x10000u, "guest's PSCI_VERSION 0x%llx after the host set 1.0",
				 (unsigned long long)v.psci);
	}
	ga_vm_free(&g);
}

ATF_TC(feature_pmu);
ATF_TC_HEAD(feature_pmu, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_ARM_VCPU_PMU_V3: the guest sees no PMU "
			  "(ID_AA64DFR0_EL1.PMUVer 0) without it; with it KVM_RUN is refused until "
			  "KVM_ARM_VCPU_PMU_V3_INIT (vCPU device attribute), then the guest sees PMUv3");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(feature_pmu, tc)
{
	struct kvm_device_attr attr = { .group = KVM_ARM_VCPU_PMU_V3_CTRL,
					.attr = KVM_ARM_VCPU_PMU_V3_INIT };
	struct kvm_vcpu *plain, *pmu;
	struct guest_view v;
	struct ga_vm g;

	ga_vm_create(&g, GA_BLOB(vcpu));
	require_cap(&g, KVM_CAP_ARM_PMU_V3, "KVM_CAP_ARM_PMU_V3");
	plain = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2));
	v = view(&g, plain);
	ATF_CHECK_EQ_MSG(FIELD(v.dfr0, DFR0_PMUVER), 0u, "guest without PMUv3 sees PMUVer %llu",
			 (unsigned long long)FIELD(v.dfr0, DFR0_PMUVER));
	ga_vm_free(&g);

	ga_vm_create(&g, GA_BLOB(vcpu));
	pmu = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2) | F(KVM_ARM_VCPU_PMU_V3));
	vcpu_set_reg(pmu, ARM64_CORE_REG(regs.regs[0]), VM_FEATURES);
	ATF_CHECK_MSG(ioctl(pmu->fd, KVM_RUN, 0UL) < 0 && errno == EINVAL, "KVM_RUN of a PMUv3 vCPU "
		      "before KVM_ARM_VCPU_PMU_V3_INIT was not refused with EINVAL");
	kvm_ioctl(pmu->fd, KVM_HAS_DEVICE_ATTR, &attr);
	kvm_ioctl(pmu->fd, KVM_SET_DEVICE_ATTR, &attr);
	ATF_CHECK_MSG(__kvm_ioctl(pmu->fd, KVM_SET_DEVICE_ATTR, &attr) < 0 && errno == EBUSY,
		      "a second KVM_ARM_VCPU_PMU_V3_INIT was not refused with EBUSY");
	v = view(&g, pmu);
	ATF_CHECK_MSG(FIELD(v.dfr0, DFR0_PMUVER) != 0 && FIELD(v.dfr0, DFR0_PMUVER) != 0xf,
		      "guest with PMUv3 sees PMUVer %llu", (unsigned long long)FIELD(v.dfr0, DFR0_PMUVER));
	ga_vm_free(&g);
}

/* Slice 0 of Zn, from the binding's SVE register fields. */
static uint64_t sve_zreg(unsigned int n)
{
	return KVM_REG_ARM64 | KVM_REG_ARM64_SVE | KVM_REG_ARM64_SVE_ZREG_BASE | KVM_REG_SIZE_U2048 |
	       (uint64_t)n << 5;
}

ATF_TC(feature_sve);
ATF_TC_HEAD(feature_sve, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_ARM_VCPU_SVE: SVE registers, KVM_GET_REG_LIST and "
			  "KVM_RUN are refused (EPERM) until KVM_ARM_VCPU_FINALIZE; the guest then sees "
			  "SVE with the largest vector length of KVM_REG_ARM64_SVE_VLS (rdvl), Z0 as the "
			  "host set it, and the host Z1 as the guest loaded it; no SVE without the feature");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(feature_sve, tc)
{
	uint64_t vls[8], max_vq = 0, pc = 0;
	static uint8_t zreg[256];
	struct kvm_reg_list probe = { .n = 0 };
	struct kvm_vcpu *plain, *sve;
	struct guest_view v;
	struct ga_vm g;
	int what = KVM_ARM_VCPU_SVE;

	ga_vm_create(&g, GA_BLOB(vcpu));
	require_cap(&g, KVM_CAP_ARM_SVE, "KVM_CAP_ARM_SVE");
	plain = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2));
	v = view(&g, plain);
	ATF_CHECK_EQ_MSG(FIELD(v.pfr0, PFR0_SVE), 0u, "guest without the SVE feature sees SVE");
	ga_vm_free(&g);

	ga_vm_create(&g, GA_BLOB(vcpu));
	sve = &g.vcpu[g.nr_vcpus];
	vm_vcpu_add(&g.vm, sve, g.nr_vcpus);
	g.nr_vcpus++;
	ATF_REQUIRE(__ga_vcpu_init(&g, sve, F(KVM_ARM_VCPU_PSCI_0_2) | F(KVM_ARM_VCPU_SVE)) == 0);
	ATF_CHECK_MSG(__vcpu_get_reg(sve, KVM_REG_ARM64 | KVM_REG_ARM64_SVE |
				     KVM_REG_ARM64_SVE_ZREG_BASE | KVM_REG_SIZE_U2048, zreg) == -EPERM,
		      "KVM_GET_ONE_REG of Z0 before KVM_ARM_VCPU_FINALIZE is not EPERM");
	ATF_CHECK_MSG(__kvm_ioctl(sve->fd, KVM_GET_REG_LIST, &probe) < 0 && errno == EPERM,
		      "KVM_GET_REG_LIST before KVM_ARM_VCPU_FINALIZE is not EPERM");
	ATF_CHECK(__vcpu_get_reg(sve, ARM64_CORE_REG(regs.pc), &pc) == 0);
	ATF_CHECK_MSG(ioctl(sve->fd, KVM_RUN, 0UL) < 0 && errno == EPERM,
		      "KVM_RUN before KVM_ARM_VCPU_FINALIZE is not EPERM");
	ATF_REQUIRE(__vcpu_get_reg(sve, KVM_REG_ARM64_SVE_VLS, vls) == 0);
	ATF_REQUIRE(__vcpu_set_reg(sve, KVM_REG_ARM64_SVE_VLS, vls) == 0);
	for (unsigned int vq = 1; vq <= 512; vq++)
		if (vls[(vq - 1) / 64] >> ((vq - 1) % 64) & 1)
			max_vq = vq;
	ATF_REQUIRE_MSG(max_vq > 0, "KVM_REG_ARM64_SVE_VLS offers no vector length");
	kvm_ioctl(sve->fd, KVM_ARM_VCPU_FINALIZE, &what);
	ATF_CHECK_MSG(__kvm_ioctl(sve->fd, KVM_ARM_VCPU_FINALIZE, &what) < 0 && errno == EPERM,
		      "a second KVM_ARM_VCPU_FINALIZE was not refused with EPERM");
	vcpu_set_reg(sve, ARM64_CORE_REG(regs.pc), g.blob.entry);
	/* Z0 from the host, Z1 from the guest: slice 0 of each, ids from the binding's fields. */
	for (int i = 0; i < 256; i++) {
		zreg[i] = (uint8_t)(i * 7 + 3);
		((uint8_t *)ga_mem(&g, vcpu_SYM_sve_z1_out, 256))[i] = (uint8_t)(i * 5 + 1);
	}
	ATF_REQUIRE(__vcpu_set_reg(sve, sve_zreg(0), zreg) == 0);
	/* ZCR_EL1.LEN at the largest length: a shorter one at entry would cut Z0 to it. */
	vcpu_set_reg(sve, arm64_sysreg_id(3, 0, 1, 2, 0), max_vq - 1);
	v = view(&g, sve);
	ATF_CHECK_MSG(FIELD(v.pfr0, PFR0_SVE) != 0, "guest with SVE sees ID_AA64PFR0_EL1.SVE 0");
	ATF_CHECK_EQ_MSG(v.sve_vl, max_vq * 16, "guest's rdvl: %llu bytes, KVM_REG_ARM64_SVE_VLS's "
			 "largest: %llu", (unsigned long long)v.sve_vl, (unsigned long long)max_vq * 16);
	ATF_CHECK_MSG(memcmp(ga_mem(&g, vcpu_SYM_sve_z0_seen, 256), zreg, max_vq * 16) == 0,
		      "the guest's Z0 is not what the host set through KVM_REG_ARM64_SVE_ZREG(0, 0)");
	ATF_REQUIRE(__vcpu_get_reg(sve, sve_zreg(1), zreg) == 0);
	ATF_CHECK_MSG(memcmp(ga_mem(&g, vcpu_SYM_sve_z1_out, 256), zreg, max_vq * 16) == 0,
		      "Z1 through KVM_REG_ARM64_SVE_ZREG(1, 0) is not what the guest loaded");
	ga_vm_free(&g);
}

ATF_TC(feature_ptrauth);
ATF_TC_HEAD(feature_ptrauth, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_ARM_VCPU_PTRAUTH_ADDRESS/GENERIC: the guest sees address "
			  "and generic authentication in ID_AA64ISAR1_EL1 with them, none without; one "
			  "without the other is refused");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(feature_ptrauth, tc)
{
	const uint32_t both = F(KVM_ARM_VCPU_PTRAUTH_ADDRESS) | F(KVM_ARM_VCPU_PTRAUTH_GENERIC);
	struct kvm_vcpu *plain, *pa, half;
	struct guest_view v;
	struct ga_vm g;

	ga_vm_create(&g, GA_BLOB(vcpu));
	require_cap(&g, KVM_CAP_ARM_PTRAUTH_ADDRESS, "KVM_CAP_ARM_PTRAUTH_ADDRESS");
	require_cap(&g, KVM_CAP_ARM_PTRAUTH_GENERIC, "KVM_CAP_ARM_PTRAUTH_GENERIC");
	plain = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2));
	v = view(&g, plain);
	ATF_CHECK_MSG(FIELD(v.isar1, ISAR1_APA) == 0 && FIELD(v.isar1, ISAR1_API) == 0 &&
		      FIELD(v.isar1, ISAR1_GPA) == 0 && FIELD(v.isar1, ISAR1_GPI) == 0,
		      "guest without pointer authentication sees ID_AA64ISAR1_EL1 0x%llx",
		      (unsigned long long)v.isar1);
	ga_vm_free(&g);

	ga_vm_create(&g, GA_BLOB(vcpu));
	pa = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2) | both);
	v = view(&g, pa);
	ATF_CHECK_MSG(FIELD(v.isar1, ISAR1_APA) + FIELD(v.isar1, ISAR1_API) != 0,
		      "guest with address authentication sees ID_AA64ISAR1_EL1 0x%llx",
		      (unsigned long long)v.isar1);
	ATF_CHECK_MSG(FIELD(v.isar1, ISAR1_GPA) + FIELD(v.isar1, ISAR1_GPI) != 0,
		      "guest with generic authentication sees ID_AA64ISAR1_EL1 0x%llx",
		      (unsigned long long)v.isar1);
	ga_vm_free(&g);

	/* a VM of its own: refused for the half pair (kvm_vcpu_init_check_features), not for
	 * features that differ from another vCPU's */
	ga_vm_create(&g, GA_BLOB(vcpu));
	vm_vcpu_add(&g.vm, &half, 0);
	ATF_CHECK_MSG(__ga_vcpu_init(&g, &half, F(KVM_ARM_VCPU_PTRAUTH_ADDRESS)) == -EINVAL,
		      "KVM_ARM_VCPU_INIT with address but not generic authentication not refused");
	vcpu_free(&half);
	ga_vm_free(&g);
}

ATF_TC(psci_cpu_on);
ATF_TC_HEAD(psci_cpu_on, tc)
{
	atf_tc_set_md_var(tc, "descr", "A vCPU created with KVM_ARM_VCPU_POWER_OFF is "
			  "KVM_MP_STATE_STOPPED; the first vCPU's PSCI CPU_ON (target MPIDR read through "
			  "ONE_REG, passed in x1) makes it RUNNABLE, it starts at the entry with the "
			  "context id in x0, AFFINITY_INFO says ON; KVM_SET_MP_STATE round-trips");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(psci_cpu_on, tc)
{
	const uint64_t context = VM_SECONDARY | 0x5ec0000000ULL;
	struct kvm_mp_state mp;
	struct kvm_vcpu *boot, *sec;
	struct ga_vm g;
	struct ucall uc;
	uint64_t mpidr;

	ga_vm_create(&g, GA_BLOB(vcpu));
	boot = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2));
	sec = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2) | F(KVM_ARM_VCPU_POWER_OFF));
	mpidr = vcpu_get_reg(sec, arm64_sysreg_id(3, 0, 0, 0, 5)) & 0xff00ffffffULL;
	kvm_ioctl(sec->fd, KVM_GET_MP_STATE, &mp);
	ATF_CHECK_EQ_MSG(mp.mp_state, KVM_MP_STATE_STOPPED, "powered-off vCPU's mp_state %u",
			 mp.mp_state);
	kvm_ioctl(boot->fd, KVM_GET_MP_STATE, &mp);
	ATF_CHECK_EQ_MSG(mp.mp_state, KVM_MP_STATE_RUNNABLE, "boot vCPU's mp_state %u", mp.mp_state);

	vcpu_set_reg(boot, ARM64_CORE_REG(regs.regs[0]), VM_CPU_ON);
	vcpu_set_reg(boot, ARM64_CORE_REG(regs.regs[1]), mpidr);
	vcpu_set_reg(boot, ARM64_CORE_REG(regs.regs[2]), context);
	ga_run_expect(&g, boot, UCALL_SYNC, 1, &uc);
	ATF_CHECK_EQ_MSG(uc.args[1], 0u, "CPU_ON returned %lld, not SUCCESS", (long long)uc.args[1]);
	kvm_ioctl(sec->fd, KVM_GET_MP_STATE, &mp);
	ATF_CHECK_EQ_MSG(mp.mp_state, KVM_MP_STATE_RUNNABLE, "mp_state %u after CPU_ON", mp.mp_state);
	ga_run_expect(&g, boot, UCALL_SYNC, 2, &uc);
	ATF_CHECK_EQ_MSG(uc.args[1], 0u, "AFFINITY_INFO of the started vCPU: %lld, not ON (0)",
			 (long long)uc.args[1]);
	ga_run_expect(&g, sec, UCALL_SYNC, 3, &uc);
	ATF_CHECK_EQ_MSG(uc.args[1], context, "secondary's x0 0x%llx, the context id was 0x%llx",
			 (unsigned long long)uc.args[1], (unsigned long long)context);
	ATF_CHECK_EQ_MSG(uc.args[2] & 0xff00ffffffULL, mpidr, "secondary's MPIDR 0x%llx, ONE_REG "
			 "said 0x%llx", (unsigned long long)uc.args[2], (unsigned long long)mpidr);
	ga_run_expect(&g, sec, UCALL_DONE, 0, &uc);

	mp.mp_state = KVM_MP_STATE_STOPPED;
	kvm_ioctl(sec->fd, KVM_SET_MP_STATE, &mp);
	memset(&mp, 0xff, sizeof(mp));
	kvm_ioctl(sec->fd, KVM_GET_MP_STATE, &mp);
	ATF_CHECK_EQ_MSG(mp.mp_state, KVM_MP_STATE_STOPPED, "mp_state %u after SET STOPPED",
			 mp.mp_state);
	mp.mp_state = KVM_MP_STATE_HALTED;	/* not an arm64 state */
	ATF_CHECK_MSG(__kvm_ioctl(sec->fd, KVM_SET_MP_STATE, &mp) < 0 && errno == EINVAL,
		      "KVM_SET_MP_STATE HALTED was not refused with EINVAL on arm64");
	ga_vm_free(&g);
	cov_ioctl("KVM_GET_MP_STATE", COV_EXERCISED, "number,semantic: STOPPED, RUNNABLE after "
		  "PSCI CPU_ON");
	cov_ioctl("KVM_SET_MP_STATE", COV_EXERCISED, "number,roundtrip,HALTED refused");
	cov_struct("struct kvm_mp_state", true, "STOPPED set and read back");
}

/* system_event: the guest's PSCI call fn exits with KVM_EXIT_SYSTEM_EVENT of type want. */
static void system_event(uint64_t fn, uint32_t want, const char *what)
{
	struct kvm_vcpu *vcpu, *other;
	struct kvm_mp_state mp;
	struct ga_vm g;
	struct ucall uc;

	ga_vm_create(&g, GA_BLOB(vcpu));
	vcpu = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2));
	other = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2));
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.regs[0]), VM_CALL);
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.regs[1]), fn);
	ATF_REQUIRE_MSG(ga_run(&g, vcpu, &uc) == UCALL_NONE, "%s returned to the guest (ucall %llu, "
			"0x%llx)", what, (unsigned long long)uc.cmd, (unsigned long long)uc.args[1]);
	ATF_REQUIRE_MSG(vcpu->run->exit_reason == KVM_EXIT_SYSTEM_EVENT, "%s: exit_reason %u (%s)",
			what, vcpu->run->exit_reason, kvm_exit_name(vcpu->run->exit_reason));
	ATF_CHECK_EQ_MSG(vcpu->run->system_event.type, want, "%s: system_event.type %u, expected %u",
			 what, vcpu->run->system_event.type, want);
	ATF_CHECK_MSG(vcpu->run->system_event.ndata <= 16, "system_event.ndata %u",
		      vcpu->run->system_event.ndata);
	if (vcpu->run->system_event.ndata >= 1)
		ATF_CHECK_EQ_MSG(vcpu->run->system_event.data[0], 0u, "%s: data[0] (PSCI flags) "
				 "0x%llx", what, (unsigned long long)vcpu->run->system_event.data[0]);
	/* Every vCPU of the VM is stopped, so no other one goes on running. */
	kvm_ioctl(other->fd, KVM_GET_MP_STATE, &mp);
	ATF_CHECK_EQ_MSG(mp.mp_state, KVM_MP_STATE_STOPPED, "%s: the other vCPU's mp_state %u",
			 what, mp.mp_state);
	ga_vm_free(&g);
}

ATF_TC(psci_system_events);
ATF_TC_HEAD(psci_system_events, tc)
{
	atf_tc_set_md_var(tc, "descr", "The guest's PSCI SYSTEM_OFF and SYSTEM_RESET exit with "
			  "KVM_EXIT_SYSTEM_EVENT of type SHUTDOWN and RESET (kvm_run.system_event), with "
			  "every vCPU of the VM stopped");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(psci_system_events, tc)
{
	system_event(PSCI_FN_SYSTEM_OFF, KVM_SYSTEM_EVENT_SHUTDOWN, "SYSTEM_OFF");
	system_event(PSCI_FN_SYSTEM_RESET, KVM_SYSTEM_EVENT_RESET, "SYSTEM_RESET");
}

/* hvc_result: a fresh vCPU of g calls fn through hvc (vcpu.c's VM_CALL); x0 as it returned. */
static uint64_t hvc_result(struct ga_vm *g, struct kvm_vcpu *vcpu, uint64_t fn)
{
	struct ucall uc;
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.regs[0]), VM_CALL);
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.regs[1]), fn);
	uint64_t ret;

	ga_run_expect(g, vcpu, UCALL_SYNC, 9, &uc);
	ret = uc.args[1];
	ga_run_expect(g, vcpu, UCALL_DONE, 0, &uc);
	return ret;
}

ATF_TC(fw_bitmap);
ATF_TC_HEAD(fw_bitmap, tc)
{
	atf_tc_set_md_var(tc, "descr", "The firmware pseudo-register KVM_REG_ARM_STD_BMAP: TRNG "
			  "(KVM_REG_ARM_STD_BIT_TRNG_V1_0) offered by default, the guest's TRNG_VERSION "
			  "call answers 1.0; cleared, the guest's call is NOT_SUPPORTED; unknown bits "
			  "EINVAL; a change after the VM ran EBUSY, the same value accepted");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(fw_bitmap, tc)
{
	const uint64_t trng = 1ULL << KVM_REG_ARM_STD_BIT_TRNG_V1_0;
	struct kvm_vcpu *vcpu;
	struct ga_vm g;
	uint64_t bmap, v;

	ga_vm_create(&g, GA_BLOB(vcpu));
	vcpu = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2));
	bmap = vcpu_get_reg(vcpu, KVM_REG_ARM_STD_BMAP);
	ATF_REQUIRE_MSG(bmap & trng, "KVM_REG_ARM_STD_BMAP 0x%llx does not offer TRNG",
			(unsigned long long)bmap);
	v = hvc_result(&g, vcpu, SMCCC_TRNG_VERSION);
	ATF_CHECK_EQ_MSG(v, 0x10000u, "guest's TRNG_VERSION with TRNG offered: 0x%llx",
			 (unsigned long long)v);
	ga_vm_free(&g);

	ga_vm_create(&g, GA_BLOB(vcpu));
	vcpu = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2));
	ATF_CHECK_MSG(__vcpu_set_reg(vcpu, KVM_REG_ARM_STD_BMAP, &(uint64_t){ bmap | 1ULL << 63 }) ==
		      -EINVAL, "KVM_REG_ARM_STD_BMAP with an unknown bit was not refused (EINVAL)");
	vcpu_set_reg(vcpu, KVM_REG_ARM_STD_BMAP, bmap & ~trng);
	ATF_CHECK_EQ_MSG(vcpu_get_reg(vcpu, KVM_REG_ARM_STD_BMAP), bmap & ~trng,
			 "KVM_REG_ARM_STD_BMAP does not read back the cleared TRNG bit");
	v = hvc_result(&g, vcpu, SMCCC_TRNG_VERSION);
	ATF_CHECK_EQ_MSG(v, (uint64_t)-1, "guest's TRNG_VERSION with TRNG withdrawn: 0x%llx, not "
			 "NOT_SUPPORTED", (unsigned long long)v);
	ATF_CHECK_MSG(__vcpu_set_reg(vcpu, KVM_REG_ARM_STD_BMAP, &bmap) == -EBUSY,
		      "KVM_REG_ARM_STD_BMAP changed after the VM ran was not refused (EBUSY)");
	ATF_CHECK_MSG(__vcpu_set_reg(vcpu, KVM_REG_ARM_STD_BMAP, &(uint64_t){ bmap & ~trng }) == 0,
		      "KVM_REG_ARM_STD_BMAP's own value after the VM ran was refused");
	ga_vm_free(&g);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, init_target);
	ATF_TP_ADD_TC(tp, feature_psci);
	ATF_TP_ADD_TC(tp, feature_pmu);
	ATF_TP_ADD_TC(tp, feature_sve);
	ATF_TP_ADD_TC(tp, feature_ptrauth);
	ATF_TP_ADD_TC(tp, psci_cpu_on);
	ATF_TP_ADD_TC(tp, psci_system_events);
	ATF_TP_ADD_TC(tp, fw_bitmap);
	return atf_no_error();
}
