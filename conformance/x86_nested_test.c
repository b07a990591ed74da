/* conformance/x86_nested_test.c - x86_64: kvm_nested_state with SVM state, through a guest that is
 * itself a hypervisor (guest/x86_64/nested.c). Outside guest mode KVM_GET_NESTED_STATE says format
 * SVM, not in guest mode; while the nested guest runs (its port write stops the vCPU in guest mode)
 * it says GUEST_MODE, hdr.svm.vmcb_pa is the guest's VMCB, and data.svm's vmcb12 carries the
 * guest's intercepts and ASID; KVM_SET_NESTED_STATE of that state and a GET give the same bytes,
 * and the nested guest then runs on to its VMMCALL, which the guest sees as its exit code. */
#include <atf-c.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "x86_vm.h"

#define CHECK_EQ(what, got, want) ATF_CHECK_EQ_MSG((uint64_t)(got), (uint64_t)(want), \
	"%s: 0x%llx, expected 0x%llx", what, (unsigned long long)(got), (unsigned long long)(want))

struct nested_buf {
	struct kvm_nested_state h;
	uint8_t more[16384];
};

static void get_nested(struct kvm_vcpu *vcpu, struct nested_buf *b, int max)
{
	memset(b, 0, sizeof(*b));
	b->h.size = (uint32_t)max;
	kvm_ioctl(vcpu->fd, KVM_GET_NESTED_STATE, &b->h);
}

ATF_TC(nested_state_svm);
ATF_TC_HEAD(nested_state_svm, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_nested_state: flags, format, size, hdr.svm.vmcb_pa and "
			  "data.svm vmcb12 as the guest's own SVM guest runs; KVM_SET_NESTED_STATE of it "
			  "round-trips and the nested guest runs on");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(nested_state_svm, tc)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;
	static struct nested_buf b, b2;
	uint64_t vmcb;
	uint32_t intercepts, asid;
	const uint8_t *vmcb12;
	int max;

	x86_vm_create(&vm);
	max = kvm_check_cap(vm.kvm_fd, KVM_CAP_NESTED_STATE);
	if (max <= 0) {
		vm_free(&vm);
		cov_ioctl("KVM_GET_NESTED_STATE", COV_SKIPPED, "KVM_CAP_NESTED_STATE absent");
		atf_tc_skip("KVM_CAP_NESTED_STATE absent: no nested virtualization in this KVM%s",
			    kvm_is_pvm() ? " (kvm-pvm)" : "");
	}
	ATF_REQUIRE_MSG((size_t)max <= sizeof(b), "KVM_CAP_NESTED_STATE %d > %zu", max, sizeof(b));
	if (!x86_has(&vm, 0x80000001, 0, 'c', 2)) {
		vm_free(&vm);
		atf_tc_skip("CPUID SVM absent from KVM_GET_SUPPORTED_CPUID (nested SVM off, or an "
			    "Intel host: the VMX format is not built here)");
	}
	x86_vcpu_add(&vm, &vcpu, 0);
	x86_vcpu_call(&vcpu, X86G_SYM_nested_probe, 0);
	x86_run_sync(&vcpu, 1, &uc);
	vmcb = uc.args[1];
	CHECK_EQ("the guest's VMCB", vmcb, X86G_SYM_nested_vmcb);

	get_nested(&vcpu, &b, max);
	CHECK_EQ("KVM_GET_NESTED_STATE format outside guest mode", b.h.format,
		 KVM_STATE_NESTED_FORMAT_SVM);
	CHECK_EQ("KVM_GET_NESTED_STATE flags GUEST_MODE outside guest mode",
		 b.h.flags & KVM_STATE_NESTED_GUEST_MODE, 0);

	/* Into the nested guest: its port write stops the vCPU in guest mode. */
	ATF_REQUIRE_MSG(!__x86_run(&vcpu, &uc), "ucall %llu instead of the nested guest's port write",
			(unsigned long long)uc.cmd);
	ATF_REQUIRE_MSG(vcpu.run->exit_reason == KVM_EXIT_IO && vcpu.run->io.port == X86G_NESTED_PORT,
			"exit %u (%s), expected the nested guest's KVM_EXIT_IO on port 0x%x",
			vcpu.run->exit_reason, kvm_exit_name(vcpu.run->exit_reason), X86G_NESTED_PORT);
	get_nested(&vcpu, &b, max);
	CHECK_EQ("KVM_GET_NESTED_STATE format", b.h.format, KVM_STATE_NESTED_FORMAT_SVM);
	ATF_CHECK_MSG(b.h.flags & KVM_STATE_NESTED_GUEST_MODE, "KVM_GET_NESTED_STATE flags 0x%x "
		      "without GUEST_MODE while the nested guest runs", b.h.flags);
	CHECK_EQ("KVM_GET_NESTED_STATE size", b.h.size,
		 sizeof(struct kvm_nested_state) + sizeof(struct kvm_svm_nested_state_data));
	CHECK_EQ("KVM_GET_NESTED_STATE hdr.svm.vmcb_pa", b.h.hdr.svm.vmcb_pa, vmcb);
	vmcb12 = (const uint8_t *)b.h.data.svm;	/* data.svm[0].vmcb12 */
	memcpy(&intercepts, vmcb12 + 0x010, 4);
	memcpy(&asid, vmcb12 + 0x058, 4);
	CHECK_EQ("data.svm vmcb12 intercepts (VMRUN, VMMCALL)", intercepts, 0x3);
	CHECK_EQ("data.svm vmcb12 ASID", asid, 1);

	kvm_ioctl(vcpu.fd, KVM_SET_NESTED_STATE, &b.h);
	get_nested(&vcpu, &b2, max);
	ATF_CHECK_MSG(b2.h.size == b.h.size && memcmp(&b2, &b, b.h.size) == 0,
		      "KVM_GET_NESTED_STATE after KVM_SET_NESTED_STATE of its own state differs");
	cov_struct("struct kvm_nested_state", true, "");

	x86_run_sync(&vcpu, 2, &uc);
	CHECK_EQ("the guest's exit code (VMMCALL) from its nested guest", uc.args[1], 0x81);
	x86_run_done(&vcpu);
	cov_ioctl("KVM_GET_NESTED_STATE", COV_EXERCISED, "semantic: guest mode, vmcb_pa, vmcb12 of "
		  "the guest's nested guest");
	cov_ioctl("KVM_SET_NESTED_STATE", COV_EXERCISED, "round trip while the nested guest runs");
	vcpu_free(&vcpu);
	vm_free(&vm);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, nested_state_svm);
	return atf_no_error();
}
