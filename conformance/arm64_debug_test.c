/* conformance/arm64_debug_test.c - arm64 guest debug and injected exceptions, seen through the
 * binding's structs: KVM_SET_GUEST_DEBUG single-step, hardware breakpoint and watchpoint
 * (kvm_guest_debug_arch) and software breakpoints giving KVM_EXIT_DEBUG decoded through
 * kvm_debug_exit_arch (hsr/hsr_high, far); kvm_vcpu_events injecting an SError (with its ESR) and
 * an external data abort, each seen by the guest's handler. */
#include <atf-c.h>
#include <errno.h>
#include <string.h>

#include "arm64_guest.h"
#include "coverage.h"
#include "debug_modes.h"
#include "debug_syms.h"

#define F(bit) (1u << (bit))
#define EC_BREAKPT_LOW	0x30
#define EC_SOFTSTP_LOW	0x32
#define EC_WATCHPT_LOW	0x34
#define EC_BRK64	0x3c
#define EC_DABT_CUR	0x25
#define EC_SERROR	0x2f

/* A vCPU of a fresh VM about to run the debug blob at pc. */
static struct kvm_vcpu *debug_vcpu(struct ga_vm *g, uint64_t pc)
{
	struct kvm_vcpu *vcpu;

	ga_vm_create(g, GA_BLOB(debug));
	vcpu = ga_vcpu_add(g, F(KVM_ARM_VCPU_PSCI_0_2));
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.pc), pc);
	return vcpu;
}

static void set_debug(struct kvm_vcpu *vcpu, const struct kvm_guest_debug *dbg)
{
	kvm_ioctl(vcpu->fd, KVM_SET_GUEST_DEBUG, dbg);
}

/* debug_exit: KVM_RUN must give KVM_EXIT_DEBUG of exception class ec; returns the syndrome. */
static uint64_t debug_exit(struct kvm_vcpu *vcpu, unsigned int ec, const char *what)
{
	struct kvm_run *run = vcpu->run;
	uint64_t esr;

	vcpu_run_timeout(vcpu, GA_RUN_TIMEOUT_S);
	ATF_REQUIRE_MSG(run->exit_reason == KVM_EXIT_DEBUG, "%s: exit_reason %u (%s), expected "
			"DEBUG", what, run->exit_reason, kvm_exit_name(run->exit_reason));
	esr = run->debug.arch.hsr;
	ATF_CHECK_MSG(run->flags & KVM_DEBUG_ARCH_HSR_HIGH_VALID, "%s: kvm_run.flags 0x%x lacks "
		      "KVM_DEBUG_ARCH_HSR_HIGH_VALID", what, run->flags);
	if (run->flags & KVM_DEBUG_ARCH_HSR_HIGH_VALID)
		esr |= (uint64_t)run->debug.arch.hsr_high << 32;
	ATF_CHECK_EQ_MSG(esr >> 32, 0u, "%s: hsr_high 0x%x (ESR_EL2[63:32] is RES0 for debug "
			 "exceptions)", what, run->debug.arch.hsr_high);
	ATF_CHECK_EQ_MSG(esr >> 26 & 0x3f, ec, "%s: debug.arch.hsr 0x%llx, class 0x%llx, expected "
			 "0x%x", what, (unsigned long long)esr, (unsigned long long)(esr >> 26 & 0x3f),
			 ec);
	return esr;
}

static uint64_t pc_of(struct kvm_vcpu *vcpu)
{
	return vcpu_get_reg(vcpu, ARM64_CORE_REG(regs.pc));
}

static uint64_t x_of(struct kvm_vcpu *vcpu, int n)
{
	return vcpu_get_reg(vcpu, arm64_core_reg_id(offsetof(struct kvm_regs, regs.regs) + 8 * n, 8));
}

static void require_cap(struct ga_vm *g, long cap, const char *name)
{
	if (kvm_check_cap(g->vm.kvm_fd, cap) <= 0) {
		ga_vm_free(g);
		atf_tc_skip("%s absent", name);
	}
}

ATF_TC(single_step);
ATF_TC_HEAD(single_step, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_SET_GUEST_DEBUG with KVM_GUESTDBG_SINGLESTEP: each "
			  "KVM_RUN executes one guest instruction and exits with KVM_EXIT_DEBUG, a "
			  "software-step syndrome in kvm_debug_exit_arch.hsr, PC and x1 one step on");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(single_step, tc)
{
	struct kvm_guest_debug dbg;
	struct kvm_vcpu *vcpu;
	struct ga_vm g;

	vcpu = debug_vcpu(&g, debug_SYM_dbg_step);
	require_cap(&g, KVM_CAP_SET_GUEST_DEBUG, "KVM_CAP_SET_GUEST_DEBUG");
	memset(&dbg, 0, sizeof(dbg));
	dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
	set_debug(vcpu, &dbg);
	for (int k = 1; k <= 3; k++) {
		debug_exit(vcpu, EC_SOFTSTP_LOW, "single-step");
		ATF_CHECK_EQ_MSG(pc_of(vcpu), debug_SYM_dbg_step + 4 * k, "step %d: PC 0x%llx", k,
				 (unsigned long long)pc_of(vcpu));
		ATF_CHECK_EQ_MSG(x_of(vcpu, 1), (uint64_t)k, "step %d: x1 %llu", k,
				 (unsigned long long)x_of(vcpu, 1));
	}
	ga_vm_free(&g);
	cov_ioctl("KVM_SET_GUEST_DEBUG", COV_EXERCISED, "number,semantic: single-step, hardware "
		  "breakpoint and watchpoint, software breakpoint as KVM_EXIT_DEBUG");
	cov_struct("struct kvm_guest_debug", true, "control and arch.dbg_* seen as debug exits");
	cov_struct("struct kvm_debug_exit_arch", true, "hsr, hsr_high, far decoded");
}

ATF_TC(hw_breakpoint);
ATF_TC_HEAD(hw_breakpoint, tc)
{
	atf_tc_set_md_var(tc, "descr", "A hardware breakpoint in kvm_guest_debug_arch.dbg_bcr/bvr[0] "
			  "(KVM_GUESTDBG_USE_HW) stops the guest before the instruction at its address: "
			  "KVM_EXIT_DEBUG with a breakpoint syndrome, PC there, the previous instruction "
			  "done");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(hw_breakpoint, tc)
{
	struct kvm_guest_debug dbg;
	struct kvm_vcpu *vcpu;
	struct ga_vm g;

	vcpu = debug_vcpu(&g, debug_SYM_dbg_bp);
	require_cap(&g, KVM_CAP_GUEST_DEBUG_HW_BPS, "KVM_CAP_GUEST_DEBUG_HW_BPS");
	memset(&dbg, 0, sizeof(dbg));
	dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW;
	dbg.arch.dbg_bcr[0] = 1 | 3u << 1 | 0xfu << 5;	/* E, PMC EL1+EL0, BAS all */
	dbg.arch.dbg_bvr[0] = debug_SYM_dbg_bp_target;
	set_debug(vcpu, &dbg);
	debug_exit(vcpu, EC_BREAKPT_LOW, "hardware breakpoint");
	ATF_CHECK_EQ_MSG(pc_of(vcpu), debug_SYM_dbg_bp_target, "PC 0x%llx at the breakpoint",
			 (unsigned long long)pc_of(vcpu));
	ATF_CHECK_EQ_MSG(x_of(vcpu, 1), 7u, "x1 %llu: the instruction before the breakpoint did "
			 "not run, or the one at it did", (unsigned long long)x_of(vcpu, 1));
	ga_vm_free(&g);
}

ATF_TC(hw_watchpoint);
ATF_TC_HEAD(hw_watchpoint, tc)
{
	atf_tc_set_md_var(tc, "descr", "A hardware watchpoint on stores in dbg_wcr/wvr[0] stops the "
			  "guest's store to that address: KVM_EXIT_DEBUG with a watchpoint syndrome and "
			  "the address in kvm_debug_exit_arch.far; memory unchanged");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(hw_watchpoint, tc)
{
	struct kvm_guest_debug dbg;
	struct kvm_vcpu *vcpu;
	struct ga_vm g;
	uint64_t *watched;

	vcpu = debug_vcpu(&g, debug_SYM_dbg_wp);
	require_cap(&g, KVM_CAP_GUEST_DEBUG_HW_WPS, "KVM_CAP_GUEST_DEBUG_HW_WPS");
	watched = ga_mem(&g, debug_SYM_dbg_watched, sizeof(*watched));
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.regs[1]), 0x5157ab1eULL);
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.regs[2]), debug_SYM_dbg_watched);
	memset(&dbg, 0, sizeof(dbg));
	dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW;
	dbg.arch.dbg_wcr[0] = 1 | 3u << 1 | 2u << 3 | 0xffu << 5;	/* E, PAC, stores, 8 bytes */
	dbg.arch.dbg_wvr[0] = debug_SYM_dbg_watched;
	set_debug(vcpu, &dbg);
	debug_exit(vcpu, EC_WATCHPT_LOW, "hardware watchpoint");
	ATF_CHECK_EQ_MSG(vcpu->run->debug.arch.far, debug_SYM_dbg_watched, "debug.arch.far 0x%llx, "
			 "the watched address 0x%llx", (unsigned long long)vcpu->run->debug.arch.far,
			 (unsigned long long)debug_SYM_dbg_watched);
	ATF_CHECK_EQ_MSG(pc_of(vcpu), debug_SYM_dbg_wp, "PC 0x%llx at the watchpoint",
			 (unsigned long long)pc_of(vcpu));
	ATF_CHECK_EQ_MSG(*watched, 0u, "the watched store happened (0x%llx)",
			 (unsigned long long)*watched);
	ga_vm_free(&g);
}

ATF_TC(sw_breakpoint);
ATF_TC_HEAD(sw_breakpoint, tc)
{
	atf_tc_set_md_var(tc, "descr", "With KVM_GUESTDBG_USE_SW_BP the guest's brk #0x77 exits with "
			  "KVM_EXIT_DEBUG, a BRK64 syndrome carrying 0x77, PC at the brk");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(sw_breakpoint, tc)
{
	struct kvm_guest_debug dbg;
	struct kvm_vcpu *vcpu;
	struct ga_vm g;
	uint64_t esr;

	vcpu = debug_vcpu(&g, debug_SYM_dbg_brk);
	require_cap(&g, KVM_CAP_SET_GUEST_DEBUG, "KVM_CAP_SET_GUEST_DEBUG");
	memset(&dbg, 0, sizeof(dbg));
	dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP;
	set_debug(vcpu, &dbg);
	esr = debug_exit(vcpu, EC_BRK64, "software breakpoint");
	ATF_CHECK_EQ_MSG(esr & 0xffff, 0x77u, "brk immediate 0x%llx in the syndrome",
			 (unsigned long long)(esr & 0xffff));
	ATF_CHECK_EQ_MSG(pc_of(vcpu), debug_SYM_dbg_brk, "PC 0x%llx", (unsigned long long)pc_of(vcpu));
	ga_vm_free(&g);
}

ATF_TC(serror_injection);
ATF_TC_HEAD(serror_injection, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_SET_VCPU_EVENTS with exception.serror_pending (and "
			  "serror_has_esr/serror_esr where KVM_CAP_ARM_INJECT_SERROR_ESR is) makes the "
			  "guest take an SError once it unmasks them, its handler seeing that syndrome; "
			  "KVM_GET_VCPU_EVENTS shows it pending before and not after");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(serror_injection, tc)
{
	const uint64_t iss = 0x1234;
	struct kvm_vcpu_events ev;
	struct kvm_vcpu *vcpu;
	struct ucall uc;
	struct ga_vm g;
	int has_esr;

	vcpu = debug_vcpu(&g, debug_SYM__start);
	require_cap(&g, KVM_CAP_VCPU_EVENTS, "KVM_CAP_VCPU_EVENTS");
	has_esr = kvm_check_cap(g.vm.kvm_fd, KVM_CAP_ARM_INJECT_SERROR_ESR) > 0;
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.regs[0]), DM_SERROR);
	ga_run_expect(&g, vcpu, UCALL_SYNC, 1, &uc);
	memset(&ev, 0xff, sizeof(ev));
	kvm_ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, &ev);
	ATF_CHECK_EQ_MSG(ev.exception.serror_pending, 0u, "an SError pending before injection");
	memset(&ev, 0, sizeof(ev));
	ev.exception.serror_pending = 1;
	ev.exception.serror_has_esr = (uint8_t)has_esr;
	ev.exception.serror_esr = has_esr ? iss : 0;
	kvm_ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &ev);
	memset(&ev, 0, sizeof(ev));
	kvm_ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, &ev);
	ATF_CHECK_EQ_MSG(ev.exception.serror_pending, 1u, "KVM_GET_VCPU_EVENTS: serror_pending %u "
			 "after SET", ev.exception.serror_pending);
	if (has_esr)
		ATF_CHECK_MSG(ev.exception.serror_has_esr && ev.exception.serror_esr == iss,
			      "KVM_GET_VCPU_EVENTS: serror_has_esr %u serror_esr 0x%llx after SET of "
			      "0x%llx", ev.exception.serror_has_esr,
			      (unsigned long long)ev.exception.serror_esr, (unsigned long long)iss);
	ga_run_expect(&g, vcpu, UCALL_SYNC, 2, &uc);
	ATF_REQUIRE_EQ_MSG(uc.args[2], 1u, "the guest took %llu SErrors", (unsigned long long)uc.args[2]);
	ATF_CHECK_EQ_MSG(uc.args[1] >> 26 & 0x3f, (uint64_t)EC_SERROR, "guest's ESR_EL1 0x%llx is "
			 "not an SError", (unsigned long long)uc.args[1]);
	if (has_esr)
		ATF_CHECK_EQ_MSG(uc.args[1] & 0xffffff, iss, "guest's SError syndrome 0x%llx, the "
				 "host injected 0x%llx", (unsigned long long)(uc.args[1] & 0xffffff),
				 (unsigned long long)iss);
	kvm_ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, &ev);
	ATF_CHECK_EQ_MSG(ev.exception.serror_pending, 0u, "SError still pending after the guest "
			 "took it");
	ga_run_expect(&g, vcpu, UCALL_DONE, 0, &uc);
	ga_vm_free(&g);
	cov_ioctl("KVM_GET_VCPU_EVENTS", COV_EXERCISED, "number,semantic: serror_pending before "
		  "and after the guest took it");
	cov_ioctl("KVM_SET_VCPU_EVENTS", COV_EXERCISED, "number,semantic: SError (with ESR) and "
		  "external data abort seen by the guest's handlers");
	cov_struct("struct kvm_vcpu_events", true, has_esr ? "serror_pending, serror_has_esr, "
		   "serror_esr" : "serror_pending (KVM_CAP_ARM_INJECT_SERROR_ESR absent)");
	if (!has_esr)
		atf_tc_skip("KVM_CAP_ARM_INJECT_SERROR_ESR absent: the SError was taken, its syndrome "
			    "not checked");
}

ATF_TC(ext_dabt_injection);
ATF_TC_HEAD(ext_dabt_injection, tc)
{
	atf_tc_set_md_var(tc, "descr", "On a guest's MMIO read exit, KVM_SET_VCPU_EVENTS with "
			  "exception.ext_dabt_pending makes the guest take a synchronous external data "
			  "abort at that address (ESR_EL1 class, FAR_EL1 as its handler reads them)");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(ext_dabt_injection, tc)
{
	const uint64_t addr = GA_UCALL_MMIO + 0x1000;
	struct kvm_vcpu_events ev;
	struct kvm_vcpu *vcpu;
	struct ucall uc;
	struct ga_vm g;

	vcpu = debug_vcpu(&g, debug_SYM__start);
	require_cap(&g, KVM_CAP_ARM_INJECT_EXT_DABT, "KVM_CAP_ARM_INJECT_EXT_DABT");
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.regs[0]), DM_EXT_DABT);
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.regs[1]), addr);
	ATF_REQUIRE(ga_run(&g, vcpu, &uc) == UCALL_NONE);
	ATF_REQUIRE_MSG(vcpu->run->exit_reason == KVM_EXIT_MMIO && !vcpu->run->mmio.is_write &&
			vcpu->run->mmio.phys_addr == addr, "expected the guest's MMIO read of 0x%llx, "
			"exit_reason %u", (unsigned long long)addr, vcpu->run->exit_reason);
	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_dabt_pending = 1;
	kvm_ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &ev);
	ga_run_expect(&g, vcpu, UCALL_SYNC, 2, &uc);
	ATF_REQUIRE_EQ_MSG(uc.args[3], 1u, "the guest took %llu data aborts",
			   (unsigned long long)uc.args[3]);
	ATF_CHECK_EQ_MSG(uc.args[1] >> 26 & 0x3f, (uint64_t)EC_DABT_CUR, "guest's ESR_EL1 0x%llx is "
			 "not a data abort", (unsigned long long)uc.args[1]);
	ATF_CHECK_EQ_MSG(uc.args[1] & 0x3f, 0x10u, "guest's DFSC 0x%llx, not a synchronous external "
			 "abort (0x10)", (unsigned long long)(uc.args[1] & 0x3f));
	ATF_CHECK_EQ_MSG(uc.args[2], addr, "guest's FAR_EL1 0x%llx, the access was to 0x%llx",
			 (unsigned long long)uc.args[2], (unsigned long long)addr);
	ga_run_expect(&g, vcpu, UCALL_DONE, 0, &uc);
	ga_vm_free(&g);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, single_step);
	ATF_TP_ADD_TC(tp, hw_breakpoint);
	ATF_TP_ADD_TC(tp, hw_watchpoint);
	ATF_TP_ADD_TC(tp, sw_breakpoint);
	ATF_TP_ADD_TC(tp, serror_injection);
	ATF_TP_ADD_TC(tp, ext_dabt_injection);
	return atf_no_error();
}
