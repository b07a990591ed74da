/* conformance/x86_debug_test.c - x86_64: kvm_debugregs through guest code (DR0-3, DR6, DR7 set by
 * KVM_SET_DEBUGREGS are what the guest's mov from %dbN reads; what it writes is what
 * KVM_GET_DEBUGREGS returns), and KVM_SET_GUEST_DEBUG: a hardware breakpoint, single steps and a
 * software breakpoint give KVM_EXIT_DEBUG, decoded through the binding's kvm_debug_exit_arch
 * (exception, pc, dr6, dr7). */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "coverage.h"
#include "x86_vm.h"

#define CHECK_EQ(what, got, want) ATF_CHECK_EQ_MSG((uint64_t)(got), (uint64_t)(want), \
	"%s: 0x%llx, expected 0x%llx", what, (unsigned long long)(got), (unsigned long long)(want))

#define DR6_FIXED	0xffff0ff0ull	/* the bits DR6 reads as 1 (RTM's too: no RTM here) */
#define DR6_B0		0x1ull
#define DR6_BS		(1ull << 14)
#define DR7_FIXED	0x400ull
/* DR7 of the guest-view stage: L0 G1, breakpoint 0 on 8-byte writes, 1 on 2-byte accesses, at
 * addresses the guest never touches. */
#define DR7_HOST	(DR7_FIXED | 0x1 | 0x8 | 0x1ull << 16 | 0x2ull << 18 | 0x3ull << 20 | 0x1ull << 22)
#define DR7_GUEST	(DR7_FIXED | 0x3ull << 24 | 0x3ull << 28)	/* no breakpoint enabled */

/* debugregs_guest_view: a part of debugregs_and_single_step. */
static void debugregs_guest_view(void)
{
	static const uint64_t host_db[4] = { 0x00007f0000001000, 0x00007f0000002000,
		0x00007f0000003008, 0x00007f0000004010 };
	static const uint64_t guest_db[4] = { 0x0000600000000100, 0x0000600000000208,
		0x0000600000000310, 0x0000600000000418 };
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;
	struct kvm_debugregs d;
	uint64_t *seen, *load;
	char what[64];

	x86_vm_create(&vm);
	if (kvm_check_cap(vm.kvm_fd, KVM_CAP_DEBUGREGS) <= 0) {
		vm_free(&vm);
		atf_tc_skip("KVM_CAP_DEBUGREGS absent");
	}
	x86_vcpu_add(&vm, &vcpu, 0);
	memset(&d, 0, sizeof(d));
	for (int i = 0; i < 4; i++)
		d.db[i] = host_db[i];
	d.dr6 = DR6_FIXED | 0x5;	/* B0, B2 */
	d.dr7 = DR7_HOST;
	kvm_ioctl(vcpu.fd, KVM_SET_DEBUGREGS, &d);

	seen = x86_gpa(&vm, X86G_SYM_debug_seen, 6 * 8);
	load = x86_gpa(&vm, X86G_SYM_debug_load, 6 * 8);
	for (int i = 0; i < 4; i++)
		load[i] = guest_db[i];
	load[4] = DR6_FIXED | 0xa | DR6_BS;	/* B1, B3, BS */
	load[5] = DR7_GUEST;
	x86_vcpu_call(&vcpu, X86G_SYM_debugregs_probe, 0);
	x86_run_sync(&vcpu, 1, &uc);
	for (int i = 0; i < 4; i++) {
		snprintf(what, sizeof(what), "guest DR%d after KVM_SET_DEBUGREGS db[%d]", i, i);
		CHECK_EQ(what, seen[i], host_db[i]);
	}
	CHECK_EQ("guest DR6 after KVM_SET_DEBUGREGS dr6", seen[4], DR6_FIXED | 0x5);
	CHECK_EQ("guest DR7 after KVM_SET_DEBUGREGS dr7", seen[5], DR7_HOST);
	x86_run_done(&vcpu);

	memset(&d, 0xa5, sizeof(d));
	kvm_ioctl(vcpu.fd, KVM_GET_DEBUGREGS, &d);
	for (int i = 0; i < 4; i++) {
		snprintf(what, sizeof(what), "KVM_GET_DEBUGREGS db[%d] the guest wrote", i);
		CHECK_EQ(what, d.db[i], guest_db[i]);
	}
	CHECK_EQ("KVM_GET_DEBUGREGS dr6 the guest wrote", d.dr6, DR6_FIXED | 0xa | DR6_BS);
	CHECK_EQ("KVM_GET_DEBUGREGS dr7 the guest wrote", d.dr7, DR7_GUEST);
	CHECK_EQ("KVM_GET_DEBUGREGS flags", d.flags, 0);
	cov_ioctl("KVM_SET_DEBUGREGS", COV_EXERCISED, "semantic: guest reads DR0-3, DR6, DR7");
	cov_ioctl("KVM_GET_DEBUGREGS", COV_EXERCISED, "semantic: DR0-3, DR6, DR7 the guest wrote");
	vcpu_free(&vcpu);
	vm_free(&vm);
}

static void set_guest_debug(struct kvm_vcpu *vcpu, uint32_t control, uint64_t dr0, uint64_t dr7)
{
	struct kvm_guest_debug g;

	memset(&g, 0, sizeof(g));
	g.control = control;
	g.arch.debugreg[0] = dr0;
	g.arch.debugreg[7] = dr7;
	kvm_ioctl(vcpu->fd, KVM_SET_GUEST_DEBUG, &g);
}

/* run_debug: KVM_RUN must stop with KVM_EXIT_DEBUG; its kvm_debug_exit_arch is returned. */
static struct kvm_debug_exit_arch run_debug(struct kvm_vcpu *vcpu, const char *what)
{
	struct x86_ucall uc;

	ATF_REQUIRE_MSG(!__x86_run(vcpu, &uc), "%s: the guest made ucall %llu instead of "
			"KVM_EXIT_DEBUG", what, (unsigned long long)uc.cmd);
	ATF_REQUIRE_MSG(vcpu->run->exit_reason == KVM_EXIT_DEBUG, "%s: exit %u (%s), not "
			"KVM_EXIT_DEBUG (internal.suberror %u, data[0..1] 0x%llx 0x%llx)", what,
			vcpu->run->exit_reason, kvm_exit_name(vcpu->run->exit_reason),
			vcpu->run->internal.suberror, (unsigned long long)vcpu->run->internal.data[0],
			(unsigned long long)vcpu->run->internal.data[1]);
	return vcpu->run->debug.arch;
}

/* debug_setup: a vCPU with the library's IDT, about to run debug_code (debug.S) directly. */
static void debug_setup(struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	x86_vm_create(vm);
	if (kvm_check_cap(vm->kvm_fd, KVM_CAP_SET_GUEST_DEBUG) <= 0) {
		vm_free(vm);
		atf_tc_skip("KVM_CAP_SET_GUEST_DEBUG absent");
	}
	x86_vcpu_add(vm, vcpu, 0);
	x86_vcpu_call(vcpu, X86G_SYM_x86g_init, 0);
	x86_run_done(vcpu);
	x86_vcpu_enter(vcpu, X86G_SYM_debug_code, 0);
}

static void debug_teardown(struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	vcpu_free(vcpu);
	vm_free(vm);
}

/* skip_int3: on to debug_code's end, past its int3 (kvm-pvm cannot run a guest's int3). */
static void skip_int3(struct kvm_vcpu *vcpu)
{
	struct kvm_regs r;

	kvm_ioctl(vcpu->fd, KVM_GET_REGS, &r);
	r.rip = X86G_SYM_debug_int3_end;
	kvm_ioctl(vcpu->fd, KVM_SET_REGS, &r);
}

ATF_TC(guest_debug_hw_breakpoint);
ATF_TC_HEAD(guest_debug_hw_breakpoint, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_SET_GUEST_DEBUG with USE_HW_BP (kvm_guest_debug control, "
			  "arch.debugreg[0], [7]): an execution breakpoint stops in KVM_EXIT_DEBUG with "
			  "kvm_debug_exit_arch exception #DB, pc at the breakpoint, dr6 B0, dr7 as set");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(guest_debug_hw_breakpoint, tc)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct kvm_debug_exit_arch a;
	struct x86_ucall uc;
	const uint64_t dr7 = DR7_FIXED | 0x1;	/* L0: execution breakpoint on DR0 */

	debug_setup(&vm, &vcpu);
	set_guest_debug(&vcpu, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP, X86G_SYM_debug_target, dr7);
	if (__x86_run(&vcpu, &uc)) {
		if (uc.cmd == UCALL_EXCEPTION && (uc.args[0] == 1 || uc.args[0] == 3) &&
		    x86_host_is_tcg()) {
			debug_teardown(&vm, &vcpu);
			atf_tc_skip("QEMU TCG's nested SVM does not stop the guest at a hardware "
				    "breakpoint of KVM_SET_GUEST_DEBUG (the guest ran on to vector %llu)",
				    (unsigned long long)uc.args[0]);
		}
		atf_tc_fail("hardware breakpoint: the guest made ucall %llu (args 0x%llx) instead of "
			    "KVM_EXIT_DEBUG", (unsigned long long)uc.cmd, (unsigned long long)uc.args[0]);
	}
	ATF_REQUIRE_MSG(vcpu.run->exit_reason == KVM_EXIT_DEBUG, "exit %u (%s), not KVM_EXIT_DEBUG",
			vcpu.run->exit_reason, kvm_exit_name(vcpu.run->exit_reason));
	a = vcpu.run->debug.arch;
	/* required, not checked: the dr7 skip below must not hide them */
	ATF_REQUIRE_EQ_MSG(a.exception, 1, "hardware breakpoint: debug.arch.exception %u, not #DB",
			   a.exception);
	ATF_REQUIRE_EQ_MSG(a.pc, X86G_SYM_debug_target, "hardware breakpoint: debug.arch.pc 0x%llx",
			   (unsigned long long)a.pc);
	ATF_REQUIRE_MSG(a.dr6 & DR6_B0, "hardware breakpoint: debug.arch.dr6 0x%llx without B0",
			(unsigned long long)a.dr6);
	set_guest_debug(&vcpu, 0, 0, 0);
	skip_int3(&vcpu);
	x86_run_done(&vcpu);
	if (a.dr7 == 0 && kvm_is_pvm()) {
		debug_teardown(&vm, &vcpu);
		atf_tc_skip("kvm-pvm reports debug.arch.dr7 as 0 (exception, pc, dr6 checked)");
	}
	CHECK_EQ("hardware breakpoint: debug.arch.dr7", a.dr7, dr7);
	cov_ioctl("KVM_SET_GUEST_DEBUG", COV_EXERCISED, "semantic: hw breakpoint exit decoded "
		  "through kvm_debug_exit_arch");
	debug_teardown(&vm, &vcpu);
}

/* guest_debug_single_step: a part of debugregs_and_single_step. */
static void guest_debug_single_step(void)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct kvm_debug_exit_arch a;

	debug_setup(&vm, &vcpu);
	set_guest_debug(&vcpu, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP, 0, 0);
	a = run_debug(&vcpu, "single step 1");
	CHECK_EQ("single step: debug.arch.exception (#DB)", a.exception, 1);
	CHECK_EQ("single step 1: debug.arch.pc", a.pc, X86G_SYM_debug_step1);
	CHECK_EQ("single step: debug.arch.dr6 & BS", a.dr6 & DR6_BS, DR6_BS);
	a = run_debug(&vcpu, "single step 2");
	CHECK_EQ("single step 2: debug.arch.pc", a.pc, X86G_SYM_debug_step2);
	set_guest_debug(&vcpu, 0, 0, 0);
	skip_int3(&vcpu);
	x86_run_done(&vcpu);
	cov_ioctl("KVM_SET_GUEST_DEBUG", COV_EXERCISED, "semantic: single-step exits decoded "
		  "through kvm_debug_exit_arch");
	debug_teardown(&vm, &vcpu);
}

ATF_TC(guest_debug_sw_breakpoint);
ATF_TC_HEAD(guest_debug_sw_breakpoint, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_SET_GUEST_DEBUG with USE_SW_BP: the guest's int3 stops in "
			  "KVM_EXIT_DEBUG with kvm_debug_exit_arch exception #BP and pc at the int3");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(guest_debug_sw_breakpoint, tc)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct kvm_debug_exit_arch a;
	struct kvm_regs r;

	debug_setup(&vm, &vcpu);
	if (kvm_is_pvm()) {
		debug_teardown(&vm, &vcpu);
		atf_tc_skip("kvm-pvm cannot run a guest's int3 (KVM_EXIT_INTERNAL_ERROR, emulation)");
	}
	set_guest_debug(&vcpu, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP, 0, 0);
	{
		struct x86_ucall uc;

		if (__x86_run(&vcpu, &uc)) {
			if (uc.cmd == UCALL_EXCEPTION && uc.args[0] == 3 && x86_host_is_tcg()) {
				debug_teardown(&vm, &vcpu);
				atf_tc_skip("QEMU TCG's nested SVM does not intercept the guest's int3 "
					    "(#BP reached the guest)");
			}
			atf_tc_fail("int3: the guest made ucall %llu (args 0x%llx) instead of "
				    "KVM_EXIT_DEBUG", (unsigned long long)uc.cmd,
				    (unsigned long long)uc.args[0]);
		}
	}
	ATF_REQUIRE_MSG(vcpu.run->exit_reason == KVM_EXIT_DEBUG, "int3: exit %u (%s), not "
			"KVM_EXIT_DEBUG", vcpu.run->exit_reason, kvm_exit_name(vcpu.run->exit_reason));
	a = vcpu.run->debug.arch;
	CHECK_EQ("int3: debug.arch.exception (#BP)", a.exception, 3);
	CHECK_EQ("int3: debug.arch.pc", a.pc, X86G_SYM_debug_int3);
	set_guest_debug(&vcpu, 0, 0, 0);
	kvm_ioctl(vcpu.fd, KVM_GET_REGS, &r);
	CHECK_EQ("rip at the int3 exit", r.rip, X86G_SYM_debug_int3);
	r.rip = X86G_SYM_debug_int3_end;
	kvm_ioctl(vcpu.fd, KVM_SET_REGS, &r);
	x86_run_done(&vcpu);
	cov_ioctl("KVM_SET_GUEST_DEBUG", COV_EXERCISED, "semantic: sw breakpoint exit decoded "
		  "through kvm_debug_exit_arch");
	debug_teardown(&vm, &vcpu);
}

ATF_TC(debugregs_and_single_step);
ATF_TC_HEAD(debugregs_and_single_step, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_debugregs: db[0..3], dr6, dr7 set by KVM_SET_DEBUGREGS are what the guest reads from DR0-3, DR6, DR7, what it writes there is what KVM_GET_DEBUGREGS returns (flags 0); KVM_SET_GUEST_DEBUG SINGLESTEP stops after each instruction in KVM_EXIT_DEBUG with kvm_debug_exit_arch exception #DB, pc at the next instruction, dr6 BS");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(debugregs_and_single_step, tc)
{
	(void)tc;
	X86_REQUIRE_CAP(KVM_CAP_DEBUGREGS);
	X86_REQUIRE_CAP(KVM_CAP_SET_GUEST_DEBUG);
	debugregs_guest_view();
	guest_debug_single_step();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, debugregs_and_single_step);
	ATF_TP_ADD_TC(tp, guest_debug_hw_breakpoint);
	ATF_TP_ADD_TC(tp, guest_debug_sw_breakpoint);
	return atf_no_error();
}
