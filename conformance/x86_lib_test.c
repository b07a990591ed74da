/* conformance/x86_lib_test.c - x86_64: the guest library the semantic cases rely on (guest/x86_64/)
 * does what it says: GUEST_SYNC carries its values, a failed GUEST_ASSERT_EQ reaches the host
 * with its text, place and values, an exception without a handler is reported with its vector,
 * error code and RIP, and a handler installed by the guest takes its vector. */
#include <atf-c.h>
#include <string.h>

#include "x86_vm.h"

ATF_TC(ucall_exceptions);
ATF_TC_HEAD(ucall_exceptions, tc)
{
	atf_tc_set_md_var(tc, "descr", "The guest library's ucall (SYNC values, ASSERT text/file/line/"
			  "values, DONE) and exception reporting (#UD, #GP with vector, error code, RIP; "
			  "a guest handler)");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(ucall_exceptions, tc)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;

	x86_vm_create(&vm);
	x86_vcpu_add(&vm, &vcpu, 0);

	x86_vcpu_call(&vcpu, X86G_SYM_lib_sync_handler, 0);
	x86_run_sync(&vcpu, 1, &uc);
	ATF_CHECK_EQ(uc.nargs, 6);
	for (unsigned int i = 1; i < 6; i++)
		ATF_CHECK_EQ_MSG(uc.args[i], 0x1111 * i, "GUEST_SYNC arg %u: 0x%llx", i,
				 (unsigned long long)uc.args[i]);
	x86_run_sync(&vcpu, 2, &uc);
	ATF_CHECK_EQ_MSG(uc.args[1], 6, "the guest's #UD handler saw vector %llu",
			 (unsigned long long)uc.args[1]);
	x86_run_done(&vcpu);

	x86_vcpu_call(&vcpu, X86G_SYM_lib_assert, 0x4321);
	ATF_REQUIRE(__x86_run(&vcpu, &uc));
	ATF_REQUIRE_EQ_MSG(uc.cmd, UCALL_ASSERT, "ucall %llu, expected ASSERT", (unsigned long long)uc.cmd);
	ATF_CHECK_MSG(strcmp(uc.text, "v == 0x1234") == 0, "assertion text '%s'", uc.text);
	ATF_CHECK_MSG(strstr(uc.file, "libtest.c") != NULL, "assertion file '%s'", uc.file);
	ATF_CHECK_MSG(uc.line > 0, "assertion line %llu", (unsigned long long)uc.line);
	ATF_CHECK_EQ(uc.args[0], 0x4321);
	ATF_CHECK_EQ(uc.args[1], 0x1234);

	x86_vcpu_call(&vcpu, X86G_SYM_lib_ud2, 0);
	ATF_REQUIRE(__x86_run(&vcpu, &uc));
	ATF_REQUIRE_EQ_MSG(uc.cmd, UCALL_EXCEPTION, "ucall %llu, expected EXCEPTION",
			   (unsigned long long)uc.cmd);
	ATF_CHECK_EQ_MSG(uc.args[0], 6, "#UD reported as vector %llu", (unsigned long long)uc.args[0]);
	ATF_CHECK_EQ_MSG(uc.args[2], X86G_SYM_lib_ud2_insn, "#UD at rip 0x%llx",
			 (unsigned long long)uc.args[2]);

	x86_vcpu_call(&vcpu, X86G_SYM_lib_gp, 0);
	ATF_REQUIRE(__x86_run(&vcpu, &uc));
	ATF_REQUIRE_EQ(uc.cmd, UCALL_EXCEPTION);
	ATF_CHECK_EQ_MSG(uc.args[0], 13, "rdmsr of no MSR reported as vector %llu",
			 (unsigned long long)uc.args[0]);
	ATF_CHECK_EQ_MSG(uc.args[1], 0, "#GP error code 0x%llx", (unsigned long long)uc.args[1]);
	ATF_CHECK_EQ_MSG(uc.args[2], X86G_SYM_lib_gp_insn, "#GP at rip 0x%llx",
			 (unsigned long long)uc.args[2]);
	vcpu_free(&vcpu);
	vm_free(&vm);
}


ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, ucall_exceptions);
	return atf_no_error();
}
