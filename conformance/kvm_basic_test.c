/* conformance/kvm_basic_test.c - the road end to end: /dev/kvm and its API version, a VM with
 * memory and a vCPU, guest code run to a ucall exit (port I/O on x86, MMIO on arm64) and to its stop
 * (HLT, PSCI SYSTEM_OFF) decoded through kvm_run, and registers set through the binding's register
 * ioctls, added to by the guest and read back. */
#include <atf-c.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "guest.h"

/* setup: a VM with guest memory, prog loaded, one vCPU about to run it. */
static void setup(struct kvm_vm *vm, struct kvm_vcpu *vcpu, const struct guest_prog *prog)
{
	vm_create(vm);
	vm_add_memory(vm, guest_mem_gpa, guest_mem_size);
	vm_load(vm, guest_code_gpa, prog->code, prog->size);
	vm_vcpu_add(vm, vcpu, 0);
	vcpu_arch_init(vcpu, guest_code_gpa);
}

static void teardown(struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	vcpu_free(vcpu);
	vm_free(vm);
}

/* run_to: KVM_RUN once, and require the decoded exit to be of the given kind. */
static struct guest_exit run_to(struct kvm_vcpu *vcpu, enum guest_exit_kind kind, const char *what)
{
	struct guest_exit ex;

	vcpu_run(vcpu);
	ex = vcpu_exit_decode(vcpu);
	ATF_REQUIRE_MSG(ex.kind == kind, "expected the %s exit, got exit_reason %u (%s)", what,
			ex.reason, kvm_exit_name(ex.reason));
	return ex;
}

ATF_TC(api_version);
ATF_TC_HEAD(api_version, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_GET_API_VERSION on /dev/kvm returns KVM_API_VERSION (12)");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(api_version, tc)
{
	int fd = kvm_open();
	int v = ioctl(fd, KVM_GET_API_VERSION, 0UL);

	ATF_REQUIRE_MSG(v >= 0, "KVM_GET_API_VERSION: %s", strerror(errno));
	ATF_CHECK_EQ_MSG(v, KVM_API_VERSION, "API version %d, the binding says %d", v, KVM_API_VERSION);
	close(fd);
}

ATF_TC(create_vm_vcpu);
ATF_TC_HEAD(create_vm_vcpu, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_CREATE_VM, a user memory region, KVM_CREATE_VCPU and its "
			  "kvm_run mapping (KVM_GET_VCPU_MMAP_SIZE)");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(create_vm_vcpu, tc)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;

	vm_create(&vm);
	ATF_CHECK_MSG(kvm_check_cap(vm.kvm_fd, KVM_CAP_USER_MEMORY) > 0, "no KVM_CAP_USER_MEMORY");
	ATF_CHECK_MSG(vm.run_size >= (int)sizeof(struct kvm_run), "kvm_run mapping %d < %zu",
		      vm.run_size, sizeof(struct kvm_run));
	vm_add_memory(&vm, guest_mem_gpa, guest_mem_size);
	vm_vcpu_add(&vm, &vcpu, 0);
	ATF_CHECK(vcpu.fd >= 0);
	/* A second vCPU with the same id is refused. */
	ATF_CHECK_MSG(ioctl(vm.fd, KVM_CREATE_VCPU, 0UL) < 0 && errno == EEXIST,
		      "KVM_CREATE_VCPU twice with id 0 did not fail with EEXIST");
	teardown(&vm, &vcpu);
}

ATF_TC(run_exit_decode);
ATF_TC_HEAD(run_exit_decode, tc)
{
	atf_tc_set_md_var(tc, "descr", "Guest code runs to a ucall exit (KVM_EXIT_IO on x86, "
			  "KVM_EXIT_MMIO on arm64) and to its stop (KVM_EXIT_HLT, KVM_EXIT_SYSTEM_EVENT "
			  "shutdown), each decoded through kvm_run");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(run_exit_decode, tc)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct guest_exit ex;

	setup(&vm, &vcpu, &guest_prog_exit);
	ex = run_to(&vcpu, GUEST_EXIT_UCALL, "ucall");
	ATF_CHECK_EQ_MSG(ex.addr, guest_ucall_addr, "ucall address 0x%llx, expected 0x%llx",
			 (unsigned long long)ex.addr, (unsigned long long)guest_ucall_addr);
	ATF_CHECK_EQ_MSG(ex.value, guest_ucall_value, "ucall value 0x%llx, expected 0x%llx",
			 (unsigned long long)ex.value, (unsigned long long)guest_ucall_value);
	ATF_CHECK_EQ_MSG(ex.size, guest_ucall_size, "ucall size %u, expected %u", ex.size,
			 guest_ucall_size);
	run_to(&vcpu, GUEST_EXIT_DONE, "stop");
	ATF_CHECK_EQ_MSG(vcpu_get_pc(&vcpu), guest_code_gpa + guest_prog_exit.done_pc,
			 "pc 0x%llx at the stop, expected 0x%llx", (unsigned long long)vcpu_get_pc(&vcpu),
			 (unsigned long long)(guest_code_gpa + guest_prog_exit.done_pc));
	teardown(&vm, &vcpu);
}

ATF_TC(regs_guest_add);
ATF_TC_HEAD(regs_guest_add, tc)
{
	atf_tc_set_md_var(tc, "descr", "Registers set through KVM_SET_REGS (x86) / KVM_SET_ONE_REG "
			  "(arm64) are added by the guest (a += b, c += d) and read back");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(regs_guest_add, tc)
{
	static const uint64_t in[4] = { 0x11110000, 0x00002222, 0x03300000, 0x00000044 };
	const uint64_t want[4] = { in[0] + in[1], in[1], in[2] + in[3], in[3] };
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	uint64_t out[4];

	setup(&vm, &vcpu, &guest_prog_add);
	guest_set_addends(&vcpu, in);
	guest_get_addends(&vcpu, out);
	for (int i = 0; i < 4; i++)
		ATF_CHECK_EQ_MSG(out[i], in[i], "register %d reads 0x%llx after SET, expected 0x%llx",
				 i, (unsigned long long)out[i], (unsigned long long)in[i]);
	run_to(&vcpu, GUEST_EXIT_DONE, "stop");
	guest_get_addends(&vcpu, out);
	for (int i = 0; i < 4; i++)
		ATF_CHECK_EQ_MSG(out[i], want[i], "register %d is 0x%llx after the guest's adds, "
				 "expected 0x%llx", i, (unsigned long long)out[i],
				 (unsigned long long)want[i]);
	ATF_CHECK_EQ(vcpu_get_pc(&vcpu), guest_code_gpa + guest_prog_add.done_pc);
	teardown(&vm, &vcpu);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, api_version);
	ATF_TP_ADD_TC(tp, create_vm_vcpu);
	ATF_TP_ADD_TC(tp, run_exit_decode);
	ATF_TP_ADD_TC(tp, regs_guest_add);
	return atf_no_error();
}
