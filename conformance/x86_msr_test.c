/* conformance/x86_msr_test.c - x86_64: kvm_msrs through guest code (MSRs set by KVM_SET_MSRS are
 * what the guest's rdmsr reads, its wrmsr values what KVM_GET_MSRS returns), and
 * KVM_GET_MSR_INDEX_LIST / KVM_GET_MSR_FEATURE_INDEX_LIST walked in full: every listed MSR
 * GET -> SET (the same value) -> GET on a vCPU, the feature MSRs from the system fd. */
#include <atf-c.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "x86_vm.h"

#define MSR_PROBE_MAX 16

struct msr_buf {
	struct kvm_msrs h;
	struct kvm_msr_entry e[MSR_PROBE_MAX];
};

/* The MSRs of msrs_guest_view: any value in range is kept as written (SYSENTER_ESP/EIP and
 * FMASK, TSC_AUX are 32 bits on AMD; LSTAR, CSTAR, KERNEL_GS_BASE canonical; PAT of valid types). */
static const struct {
	uint32_t index;
	const char *name;
	uint64_t host, guest;
	uint32_t cpuid_fn;	/* 0, or the CPUID leaf, register and bit the MSR needs */
	char reg;
	unsigned int bit;
} probe_msrs[] = {
	{ 0x174, "IA32_SYSENTER_CS", 0x0000000000000a08, 0x0000000000000b10, 0, 0, 0 },
	{ 0x175, "IA32_SYSENTER_ESP", 0x0000000012345670, 0x0000000076543210, 0, 0, 0 },
	{ 0x176, "IA32_SYSENTER_EIP", 0x00000000089abcd0, 0x000000000dcba980, 0, 0, 0 },
	{ 0x277, "IA32_PAT", 0x0007040600070406, 0x0605040100050407, 0, 0, 0 },
	{ 0xc0000081, "STAR", 0x0023001000000000, 0x001b000800001234, 0, 0, 0 },
	{ 0xc0000082, "LSTAR", 0xffffffff81234560, 0x00007fffabcdef00, 0, 0, 0 },
	{ 0xc0000083, "CSTAR", 0x00000000cafe0000, 0xffff800000001000, 0, 0, 0 },
	{ 0xc0000084, "SYSCALL_MASK", 0x0000000000047700, 0x0000000000000300, 0, 0, 0 },
	{ 0xc0000102, "KERNEL_GS_BASE", 0x00007f0012345000, 0xffff888000abc000, 0, 0, 0 },
	{ 0xc0000103, "TSC_AUX", 0x0000000000000123, 0x00000000000abcde, 0x80000001, 'd', 27 },
};
#define NPROBE (sizeof(probe_msrs) / sizeof(probe_msrs[0]))

/* msrs_guest_view: a part of msrs_and_index_lists. */
static void msrs_guest_view(void)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;
	struct msr_buf b;
	unsigned int idx[NPROBE], n = 0;
	uint32_t *gindex;
	uint64_t *seen, *load;
	int r;

	x86_vm_create(&vm);
	x86_vcpu_add(&vm, &vcpu, 0);
	memset(&b, 0, sizeof(b));
	for (unsigned int i = 0; i < NPROBE; i++) {
		if (probe_msrs[i].cpuid_fn &&
		    !x86_has(&vm, probe_msrs[i].cpuid_fn, 0, probe_msrs[i].reg, probe_msrs[i].bit))
			continue;
		b.e[n].index = probe_msrs[i].index;
		b.e[n].data = probe_msrs[i].host;
		idx[n++] = i;
	}
	b.h.nmsrs = n;
	r = __kvm_ioctl(vcpu.fd, KVM_SET_MSRS, &b.h);
	ATF_REQUIRE_EQ_MSG(r, (int)n, "KVM_SET_MSRS set %d of %u MSRs (the first refused: 0x%x)", r, n,
			   r >= 0 && r < (int)n ? b.e[r].index : 0);

	gindex = x86_gpa(&vm, X86G_SYM_msr_index, MSR_PROBE_MAX * 4);
	seen = x86_gpa(&vm, X86G_SYM_msr_seen, MSR_PROBE_MAX * 8);
	load = x86_gpa(&vm, X86G_SYM_msr_load, MSR_PROBE_MAX * 8);
	for (unsigned int i = 0; i < n; i++) {
		gindex[i] = probe_msrs[idx[i]].index;
		load[i] = probe_msrs[idx[i]].guest;
	}
	x86_vcpu_call(&vcpu, X86G_SYM_msr_probe, n);
	x86_run_sync(&vcpu, 1, &uc);
	for (unsigned int i = 0; i < n; i++)
		ATF_CHECK_EQ_MSG(seen[i], probe_msrs[idx[i]].host, "guest rdmsr %s (0x%x): 0x%llx, "
				 "KVM_SET_MSRS set 0x%llx", probe_msrs[idx[i]].name,
				 probe_msrs[idx[i]].index, (unsigned long long)seen[i],
				 (unsigned long long)probe_msrs[idx[i]].host);
	x86_run_done(&vcpu);

	memset(&b, 0, sizeof(b));
	b.h.nmsrs = n;
	for (unsigned int i = 0; i < n; i++) {
		b.e[n - 1 - i].index = probe_msrs[idx[i]].index;	/* another order */
		b.e[n - 1 - i].data = 0xa5a5a5a5a5a5a5a5ull;
	}
	r = __kvm_ioctl(vcpu.fd, KVM_GET_MSRS, &b.h);
	ATF_REQUIRE_EQ_MSG(r, (int)n, "KVM_GET_MSRS read %d of %u MSRs", r, n);
	for (unsigned int i = 0; i < n; i++) {
		unsigned int k = idx[n - 1 - i];

		ATF_CHECK_EQ_MSG(b.e[i].index, probe_msrs[k].index, "KVM_GET_MSRS entry %u index 0x%x",
				 i, b.e[i].index);
		ATF_CHECK_EQ_MSG(b.e[i].data, probe_msrs[k].guest, "KVM_GET_MSRS %s (0x%x): 0x%llx, the "
				 "guest's wrmsr wrote 0x%llx", probe_msrs[k].name, probe_msrs[k].index,
				 (unsigned long long)b.e[i].data, (unsigned long long)probe_msrs[k].guest);
	}
	cov_ioctl("KVM_SET_MSRS", COV_EXERCISED, "semantic: guest rdmsr reads what was set");
	cov_ioctl("KVM_GET_MSRS", COV_EXERCISED, "semantic: what the guest's wrmsr wrote");
	vcpu_free(&vcpu);
	vm_free(&vm);
}

/* get_list: KVM_GET_MSR_INDEX_LIST or KVM_GET_MSR_FEATURE_INDEX_LIST: first the count (E2BIG),
 * then the list. */
static struct kvm_msr_list *get_list(int kvm_fd, unsigned long cmd, const char *name)
{
	struct kvm_msr_list probe = { .nmsrs = 0 }, *l;
	int r = ioctl(kvm_fd, cmd, &probe);

	ATF_REQUIRE_MSG(r < 0 && errno == E2BIG, "%s with nmsrs 0: %d (%s), expected E2BIG", name, r,
			strerror(errno));
	ATF_REQUIRE_MSG(probe.nmsrs > 0 && probe.nmsrs < 4096, "%s: nmsrs %u", name, probe.nmsrs);
	l = calloc(1, sizeof(*l) + probe.nmsrs * sizeof(l->indices[0]));
	ATF_REQUIRE(l != NULL);
	l->nmsrs = probe.nmsrs;
	r = ioctl(kvm_fd, cmd, l);
	ATF_REQUIRE_MSG(r == 0, "%s: %s", name, strerror(errno));
	ATF_REQUIRE_EQ(l->nmsrs, probe.nmsrs);
	return l;
}

static int msr_one(int fd, unsigned long cmd, uint32_t index, uint64_t *data)
{
	struct { struct kvm_msrs h; struct kvm_msr_entry e; } m;
	int r;

	memset(&m, 0, sizeof(m));
	m.h.nmsrs = 1;
	m.e.index = index;
	m.e.data = *data;
	r = ioctl(fd, cmd, &m.h);
	if (r == 1)
		*data = m.e.data;
	return r;
}

/* MSRs whose value moves on its own between two GETs (not a binding fault). */
static int msr_volatile(uint32_t index)
{
	return index == 0x10		/* IA32_TSC: counts */
		|| index == 0xe7	/* IA32_MPERF: counts */
		|| index == 0xe8	/* IA32_APERF: counts */
		|| index == 0x40000020;	/* HV_X64_MSR_TIME_REF_COUNT: Hyper-V's reference clock */
}

/* msr_index_lists_walked: a part of msrs_and_index_lists. */
static void msr_index_lists_walked(void)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct kvm_msr_list *l;
	unsigned int walked = 0, unreadable = 0, refused = 0;
	char detail[128];

	/* With an in-kernel irqchip, as VMMs run: some MSRs (MSR_KVM_ASYNC_PF_INT) need its APIC. */
	x86_vm_create(&vm);
	if (kvm_check_cap(vm.kvm_fd, KVM_CAP_IRQCHIP) > 0)
		kvm_ioctl_val(vm.fd, KVM_CREATE_IRQCHIP, 0);
	x86_vcpu_add(&vm, &vcpu, 0);
	l = get_list(vm.kvm_fd, KVM_GET_MSR_INDEX_LIST, "KVM_GET_MSR_INDEX_LIST");
	for (unsigned int i = 0; i < l->nmsrs; i++) {
		uint32_t index = l->indices[i];
		uint64_t v = 0, v2 = 0;

		if (msr_one(vcpu.fd, KVM_GET_MSRS, index, &v) != 1) {
			unreadable++;	/* listed for the host, absent from this vCPU's CPUID */
			continue;
		}
		if (msr_one(vcpu.fd, KVM_SET_MSRS, index, &v) != 1) {
			refused++;
			ATF_CHECK_MSG(0, "MSR 0x%x: KVM_SET_MSRS refused the value KVM_GET_MSRS gave "
				      "(0x%llx)", index, (unsigned long long)v);
			continue;
		}
		ATF_CHECK_MSG(msr_one(vcpu.fd, KVM_GET_MSRS, index, &v2) == 1, "MSR 0x%x: second "
			      "KVM_GET_MSRS failed", index);
		if (!msr_volatile(index))
			ATF_CHECK_MSG(v2 == v, "MSR 0x%x: 0x%llx after SET of 0x%llx", index,
				      (unsigned long long)v2, (unsigned long long)v);
		walked++;
	}
	ATF_CHECK_MSG(walked > 0, "no MSR of KVM_GET_MSR_INDEX_LIST could be read");
	snprintf(detail, sizeof(detail), "walked: %u MSRs GET->SET->GET, %u not readable on the vCPU",
		 walked, unreadable);
	cov_ioctl("KVM_GET_MSR_INDEX_LIST", COV_EXERCISED, detail);
	free(l);

	if (kvm_check_cap(vm.kvm_fd, KVM_CAP_GET_MSR_FEATURES) <= 0) {
		cov_ioctl("KVM_GET_MSR_FEATURE_INDEX_LIST", COV_SKIPPED, "KVM_CAP_GET_MSR_FEATURES absent");
		vcpu_free(&vcpu);
		vm_free(&vm);
		atf_tc_skip("KVM_CAP_GET_MSR_FEATURES absent (the MSR index list was walked)");
	}
	walked = 0;
	l = get_list(vm.kvm_fd, KVM_GET_MSR_FEATURE_INDEX_LIST, "KVM_GET_MSR_FEATURE_INDEX_LIST");
	for (unsigned int i = 0; i < l->nmsrs; i++) {
		uint32_t index = l->indices[i];
		uint64_t sys = 0, v = 0;

		ATF_CHECK_MSG(msr_one(vm.kvm_fd, KVM_GET_MSRS, index, &sys) == 1,
			      "feature MSR 0x%x: KVM_GET_MSRS on /dev/kvm failed", index);
		if (msr_one(vcpu.fd, KVM_SET_MSRS, index, &sys) != 1) {
			/* a feature MSR the vCPU's CPUID does not have (e.g. VMX MSRs on AMD) */
			unreadable++;
			continue;
		}
		ATF_CHECK_MSG(msr_one(vcpu.fd, KVM_GET_MSRS, index, &v) == 1 && v == sys,
			      "feature MSR 0x%x: the vCPU has 0x%llx after SET of 0x%llx", index,
			      (unsigned long long)v, (unsigned long long)sys);
		walked++;
	}
	snprintf(detail, sizeof(detail), "walked: %u of %u feature MSRs system GET -> vCPU SET -> GET",
		 walked, l->nmsrs);
	cov_ioctl("KVM_GET_MSR_FEATURE_INDEX_LIST", COV_EXERCISED, detail);
	(void)refused;
	free(l);
	vcpu_free(&vcpu);
	vm_free(&vm);
}

ATF_TC(msrs_and_index_lists);
ATF_TC_HEAD(msrs_and_index_lists, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_msrs: MSRs set by KVM_SET_MSRS (index, data) are what the guest's rdmsr reads, what its wrmsr writes is what KVM_GET_MSRS returns; KVM_GET_MSR_INDEX_LIST and KVM_GET_MSR_FEATURE_INDEX_LIST walked in full: every listed MSR GET -> SET -> GET on a vCPU (feature MSRs read from /dev/kvm)");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(msrs_and_index_lists, tc)
{
	(void)tc;
	X86_REQUIRE_CAP(KVM_CAP_GET_MSR_FEATURES);
	msrs_guest_view();
	msr_index_lists_walked();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, msrs_and_index_lists);
	return atf_no_error();
}
