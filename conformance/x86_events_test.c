/* conformance/x86_events_test.c - x86_64: kvm_vcpu_events, kvm_mp_state, KVM_SMI and machine
 * checks through guest code. An exception injected with an error code reaches the guest's handler
 * with both; an NMI made pending and masked waits for the guest's iret, and nmi.masked reads 1
 * inside its handler and 0 after; KVM_SMI and smi.pending take the vCPU into SMM (the guest's
 * SMM stub runs, smi.smm reads 1) and RSM back; sipi_vector and KVM_MP_STATE_SIPI_RECEIVED start
 * an AP at the vector's page; KVM_X86_SETUP_MCE / KVM_X86_SET_MCE give the guest's #MC handler the
 * bank's status, address and misc and MCG_STATUS. */
#include <atf-c.h>
#include <string.h>

#include "coverage.h"
#include "x86_vm.h"

#define CHECK_EQ(what, got, want) ATF_CHECK_EQ_MSG((uint64_t)(got), (uint64_t)(want), \
	"%s: 0x%llx, expected 0x%llx", what, (unsigned long long)(got), (unsigned long long)(want))
/* REQUIRE_EQ: for checks a later skip must not hide (atf_tc_skip ends a case as skipped even
 * after failed checks). */
#define REQUIRE_EQ(what, got, want) ATF_REQUIRE_EQ_MSG((uint64_t)(got), (uint64_t)(want), \
	"%s: 0x%llx, expected 0x%llx", what, (unsigned long long)(got), (unsigned long long)(want))

static void setup(struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	x86_vm_create(vm);
	x86_vcpu_add(vm, vcpu, 0);
}

static void teardown(struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	vcpu_free(vcpu);
	vm_free(vm);
}

/* copy_stub: one of basic.S's real-mode stubs to guest-physical gpa. */
static void copy_stub(struct kvm_vm *vm, uint64_t gpa, uint64_t sym, uint64_t end)
{
	vm_load(vm, gpa, x86g_blob + (sym - X86G_BASE), end - sym);
}

/* smm_view: the memory the vCPU sees in SMM. With KVM_CAP_MULTI_ADDRESS_SPACE above 1, SMM is
 * address space 1 (kvm_arch_vcpu_memslots_id: HF_SMM_MASK), which has no memory until userspace
 * gives it some (the selftests' smm_test puts its SMRAM in slot 1 << 16 | 1): here slot 0's
 * memory again, as QEMU maps RAM under SMRAM, so SMBASE's save area (0x3fe00) and the stub
 * (0x38000) are there. Without the capability SMM sees address space 0. 6.1 runs the vCPU into an
 * emulation failure at the stub when the slot is missing; 6.12 finds no save area and marks the VM
 * dead (KVM_RUN: EIO). */
static void smm_view(struct kvm_vm *vm)
{
	struct kvm_userspace_memory_region r;

	if (kvm_check_cap(vm->kvm_fd, KVM_CAP_MULTI_ADDRESS_SPACE) < 2)
		return;
	memset(&r, 0, sizeof(r));
	r.slot = 1u << 16;
	r.guest_phys_addr = vm->mem_gpa;
	r.memory_size = vm->mem_size;
	r.userspace_addr = (uintptr_t)vm->mem;
	kvm_ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r);
}

/* run_port: KVM_RUN must stop at an OUT to port (a stub's), not in a ucall. */
static void run_port(struct kvm_vcpu *vcpu, uint16_t port, const char *what)
{
	struct x86_ucall uc;

	ATF_REQUIRE_MSG(!__x86_run(vcpu, &uc), "%s: the guest made ucall %llu (args 0x%llx) instead",
			what, (unsigned long long)uc.cmd, (unsigned long long)uc.args[0]);
	ATF_REQUIRE_MSG(vcpu->run->exit_reason == KVM_EXIT_IO && vcpu->run->io.port == port,
			"%s: exit %u (%s, port 0x%x, internal suberror %u data 0x%llx 0x%llx), "
			"expected KVM_EXIT_IO on port 0x%x", what,
			vcpu->run->exit_reason, kvm_exit_name(vcpu->run->exit_reason),
			vcpu->run->exit_reason == KVM_EXIT_IO ? vcpu->run->io.port : 0,
			vcpu->run->internal.suberror, (unsigned long long)vcpu->run->internal.data[0],
			(unsigned long long)vcpu->run->internal.data[1], port);
}

ATF_TC(vcpu_events_guest_view);
ATF_TC_HEAD(vcpu_events_guest_view, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_vcpu_events: exception injected/nr/has_error_code/"
			  "error_code reach the guest's handler; nmi.pending with nmi.masked waits for "
			  "the guest's iret; KVM_GET_VCPU_EVENTS nmi.masked is 1 inside the NMI handler "
			  "and 0 after it");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(vcpu_events_guest_view, tc)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;
	struct kvm_vcpu_events ev;

	setup(&vm, &vcpu);
	x86_vcpu_call(&vcpu, X86G_SYM_events_probe, 0);
	x86_run_sync(&vcpu, 1, &uc);

	kvm_ioctl(vcpu.fd, KVM_GET_VCPU_EVENTS, &ev);
	ev.exception.injected = 1;
	ev.exception.nr = 13;
	ev.exception.has_error_code = 1;
	ev.exception.error_code = 0x1230;
	ev.flags = 0;
	kvm_ioctl(vcpu.fd, KVM_SET_VCPU_EVENTS, &ev);
	x86_run_sync(&vcpu, 2, &uc);
	REQUIRE_EQ("exceptions the guest took after exception.injected", uc.args[1], 1);
	REQUIRE_EQ("vector the guest's handler saw (exception.nr)", uc.args[2], 13);
	REQUIRE_EQ("error code the guest's handler saw (exception.error_code)", uc.args[3], 0x1230);

	kvm_ioctl(vcpu.fd, KVM_GET_VCPU_EVENTS, &ev);
	REQUIRE_EQ("KVM_GET_VCPU_EVENTS nmi.masked before", ev.nmi.masked, 0);
	ev.nmi.pending = 1;
	ev.nmi.masked = 1;
	ev.flags = KVM_VCPUEVENT_VALID_NMI_PENDING;
	kvm_ioctl(vcpu.fd, KVM_SET_VCPU_EVENTS, &ev);
	x86_run(&vcpu, &uc);		/* 3: from inside the NMI handler, after the iret */
	if (uc.cmd == UCALL_SYNC && uc.args[0] == 4 && uc.args[2] == 0 && kvm_is_pvm()) {
		teardown(&vm, &vcpu);
		atf_tc_skip("kvm-pvm does not deliver the pending NMI when the guest's iret ends "
			    "nmi.masked (exception injection checked)");
	}
	ATF_REQUIRE_MSG(uc.cmd == UCALL_SYNC && uc.args[0] == 3, "expected GUEST_SYNC(3) from the "
			"NMI handler, got ucall %llu stage %llu (NMIs before/after the iret: %llu, %llu)",
			(unsigned long long)uc.cmd, (unsigned long long)uc.args[0],
			(unsigned long long)uc.args[1], (unsigned long long)uc.args[2]);
	kvm_ioctl(vcpu.fd, KVM_GET_VCPU_EVENTS, &ev);
	CHECK_EQ("KVM_GET_VCPU_EVENTS nmi.masked inside the guest's NMI handler", ev.nmi.masked, 1);
	x86_run_sync(&vcpu, 4, &uc);
	CHECK_EQ("NMIs the guest took while nmi.masked (before its iret)", uc.args[1], 0);
	CHECK_EQ("NMIs the guest took after its iret (nmi.pending)", uc.args[2], 1);
	kvm_ioctl(vcpu.fd, KVM_GET_VCPU_EVENTS, &ev);
	CHECK_EQ("KVM_GET_VCPU_EVENTS nmi.masked after the handler", ev.nmi.masked, 0);
	CHECK_EQ("KVM_GET_VCPU_EVENTS nmi.pending after delivery", ev.nmi.pending, 0);
	x86_run_done(&vcpu);
	cov_ioctl("KVM_SET_VCPU_EVENTS", COV_EXERCISED, "semantic: exception nr/error code, nmi "
		  "pending/masked in the guest");
	cov_ioctl("KVM_GET_VCPU_EVENTS", COV_EXERCISED, "semantic: nmi.masked in and after the "
		  "guest's handler");
	teardown(&vm, &vcpu);
}

ATF_TC(smi_guest_view);
ATF_TC_HEAD(smi_guest_view, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_SMI and kvm_vcpu_events smi.pending take the vCPU into SMM "
			  "at SMBASE + 0x8000 (the guest's stub runs there, smi.smm reads 1), and its RSM "
			  "back to the guest (smi.smm 0)");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(smi_guest_view, tc)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;
	struct kvm_vcpu_events ev;

	x86_vm_create(&vm);
	if (kvm_check_cap(vm.kvm_fd, KVM_CAP_X86_SMM) <= 0) {
		vm_free(&vm);
		cov_ioctl("KVM_SMI", COV_SKIPPED, "KVM_CAP_X86_SMM absent");
		atf_tc_skip("KVM_CAP_X86_SMM absent");
	}
	x86_vcpu_add(&vm, &vcpu, 0);
	smm_view(&vm);
	copy_stub(&vm, 0x38000, X86G_SYM_smm_stub, X86G_SYM_smm_stub_end);
	x86_vcpu_call(&vcpu, X86G_SYM_lib_sync_handler, 0);	/* GUEST_SYNC(1), then (2) */
	x86_run_sync(&vcpu, 1, &uc);

	kvm_ioctl_val(vcpu.fd, KVM_SMI, 0);
	ATF_REQUIRE(!__x86_run(&vcpu, &uc));
	ATF_REQUIRE_MSG(vcpu.run->exit_reason == KVM_EXIT_IO && vcpu.run->io.port == X86G_SMM_PORT,
			"after KVM_SMI: exit %u (%s), expected KVM_EXIT_IO on port 0x%x",
			vcpu.run->exit_reason, kvm_exit_name(vcpu.run->exit_reason), X86G_SMM_PORT);
	kvm_ioctl(vcpu.fd, KVM_GET_VCPU_EVENTS, &ev);
	ATF_CHECK_MSG(ev.flags & KVM_VCPUEVENT_VALID_SMM, "KVM_GET_VCPU_EVENTS flags 0x%x without "
		      "VALID_SMM", ev.flags);
	CHECK_EQ("KVM_GET_VCPU_EVENTS smi.smm while the SMM stub runs", ev.smi.smm, 1);
	x86_run_sync(&vcpu, 2, &uc);		/* RSM back into the guest */
	kvm_ioctl(vcpu.fd, KVM_GET_VCPU_EVENTS, &ev);
	CHECK_EQ("KVM_GET_VCPU_EVENTS smi.smm after RSM", ev.smi.smm, 0);
	cov_ioctl("KVM_SMI", COV_EXERCISED, "semantic: the guest's SMM stub runs, smi.smm");

	ev.smi.pending = 1;
	ev.flags = KVM_VCPUEVENT_VALID_SMM;
	kvm_ioctl(vcpu.fd, KVM_SET_VCPU_EVENTS, &ev);
	run_port(&vcpu, X86G_SMM_PORT, "after smi.pending");
	kvm_ioctl(vcpu.fd, KVM_GET_VCPU_EVENTS, &ev);
	CHECK_EQ("KVM_GET_VCPU_EVENTS smi.smm after smi.pending", ev.smi.smm, 1);
	x86_run_done(&vcpu);
	teardown(&vm, &vcpu);
}

ATF_TC(sipi_mp_state);
ATF_TC_HEAD(sipi_mp_state, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_vcpu_events sipi_vector and kvm_mp_state SIPI_RECEIVED "
			  "start an AP in real mode at the vector's page (CS selector vector << 8, base "
			  "vector << 12), where the guest's stub runs; KVM_GET_MP_STATE is RUNNABLE");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(sipi_mp_state, tc)
{
	const uint32_t vector = 0x02;
	struct kvm_vm vm;
	struct kvm_vcpu bsp, ap;
	struct kvm_vcpu_events ev;
	struct kvm_mp_state mp;
	struct kvm_sregs s;

	x86_vm_create(&vm);
	if (kvm_check_cap(vm.kvm_fd, KVM_CAP_IRQCHIP) <= 0 || kvm_check_cap(vm.kvm_fd, KVM_CAP_MP_STATE) <= 0) {
		vm_free(&vm);
		atf_tc_skip("KVM_CAP_IRQCHIP or KVM_CAP_MP_STATE absent");
	}
	kvm_ioctl_val(vm.fd, KVM_CREATE_IRQCHIP, 0);
	x86_vcpu_add(&vm, &bsp, 0);
	vm_vcpu_add(&vm, &ap, 1);		/* in its reset state, as an AP waits for INIT/SIPI */
	x86_vcpu_set_cpuid(&ap, x86_supported_cpuid(&vm));
	copy_stub(&vm, (uint64_t)vector << 12, X86G_SYM_sipi_stub, X86G_SYM_sipi_stub_end);
	kvm_ioctl(ap.fd, KVM_GET_MP_STATE, &mp);
	REQUIRE_EQ("KVM_GET_MP_STATE of the AP", mp.mp_state, KVM_MP_STATE_UNINITIALIZED);
	kvm_ioctl(ap.fd, KVM_GET_VCPU_EVENTS, &ev);
	ev.sipi_vector = vector;
	ev.flags = KVM_VCPUEVENT_VALID_SIPI_VECTOR;
	kvm_ioctl(ap.fd, KVM_SET_VCPU_EVENTS, &ev);
	mp.mp_state = KVM_MP_STATE_SIPI_RECEIVED;
	kvm_ioctl(ap.fd, KVM_SET_MP_STATE, &mp);
	{
		struct x86_ucall uc;

		ATF_REQUIRE(!__x86_run(&ap, &uc));
		if (ap.run->exit_reason == KVM_EXIT_SHUTDOWN && kvm_is_pvm()) {
			vcpu_free(&ap);
			teardown(&vm, &bsp);
			atf_tc_skip("kvm-pvm cannot run a vCPU in real mode (KVM_EXIT_SHUTDOWN after "
				    "the SIPI)");
		}
		ATF_REQUIRE_MSG(ap.run->exit_reason == KVM_EXIT_IO && ap.run->io.port == X86G_SIPI_PORT,
				"the AP after SIPI_RECEIVED: exit %u (%s), expected KVM_EXIT_IO on port "
				"0x%x", ap.run->exit_reason, kvm_exit_name(ap.run->exit_reason),
				X86G_SIPI_PORT);
	}
	kvm_ioctl(ap.fd, KVM_GET_SREGS, &s);
	CHECK_EQ("the AP's cs.selector (sipi_vector << 8)", s.cs.selector, vector << 8);
	CHECK_EQ("the AP's cs.base (sipi_vector << 12)", s.cs.base, vector << 12);
	CHECK_EQ("the AP's cr0.PE (real mode)", s.cr0 & 1, 0);
	kvm_ioctl(ap.fd, KVM_GET_MP_STATE, &mp);
	CHECK_EQ("KVM_GET_MP_STATE of the started AP", mp.mp_state, KVM_MP_STATE_RUNNABLE);
	cov_ioctl("KVM_SET_MP_STATE", COV_EXERCISED, "semantic: SIPI_RECEIVED starts the AP at "
		  "sipi_vector; RUNNABLE runs an AP");
	cov_ioctl("KVM_GET_MP_STATE", COV_EXERCISED, "semantic: UNINITIALIZED AP, RUNNABLE after SIPI");
	vcpu_free(&ap);
	teardown(&vm, &bsp);
}

#define MCG_CTL_P	(1ull << 8)
#define MCI_STATUS_VAL	(1ull << 63)
#define MCI_STATUS_UC	(1ull << 61)
#define MCI_STATUS_EN	(1ull << 60)
#define MCI_STATUS_MISCV (1ull << 59)
#define MCI_STATUS_ADDRV (1ull << 58)
#define MCI_STATUS_PCC	(1ull << 57)
#define MCG_STATUS_RIPV	1ull
#define MCG_STATUS_EIPV	2ull
#define MCG_STATUS_MCIP	4ull

ATF_TC(mce_guest_view);
ATF_TC_HEAD(mce_guest_view, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_X86_GET_MCE_CAP_SUPPORTED, KVM_X86_SETUP_MCE (mcg_cap with "
			  "4 banks) and KVM_X86_SET_MCE: the guest's #MC handler reads the kvm_x86_mce "
			  "status, addr, misc from the bank's MSRs and mcg_status from MCG_STATUS");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(mce_guest_view, tc)
{
	const unsigned int bank = 2;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;
	struct kvm_x86_mce m;
	struct kvm_sregs s;
	uint64_t sup = 0, cap;

	x86_vm_create(&vm);
	if (kvm_check_cap(vm.kvm_fd, KVM_CAP_MCE) <= 0) {
		vm_free(&vm);
		atf_tc_skip("KVM_CAP_MCE absent");
	}
	kvm_ioctl(vm.kvm_fd, KVM_X86_GET_MCE_CAP_SUPPORTED, &sup);
	ATF_REQUIRE_MSG(sup & MCG_CTL_P, "KVM_X86_GET_MCE_CAP_SUPPORTED 0x%llx: no MCG_CTL_P",
			(unsigned long long)sup);
	x86_vcpu_add(&vm, &vcpu, 0);
	cap = 4 | MCG_CTL_P;
	kvm_ioctl(vcpu.fd, KVM_X86_SETUP_MCE, &cap);
	kvm_ioctl(vcpu.fd, KVM_GET_SREGS, &s);
	s.cr4 |= 1ull << 6;	/* CR4.MCE */
	kvm_ioctl(vcpu.fd, KVM_SET_SREGS, &s);
	x86_vcpu_call(&vcpu, X86G_SYM_mce_probe, bank);
	x86_run_sync(&vcpu, 1, &uc);

	memset(&m, 0, sizeof(m));
	m.bank = bank;
	m.status = MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN | MCI_STATUS_MISCV |
		   MCI_STATUS_ADDRV | MCI_STATUS_PCC | 0x0000000a00010135ull;
	m.addr = 0x0000001234567000ull;
	m.misc = 0x000000000000a086ull;
	m.mcg_status = MCG_STATUS_MCIP | MCG_STATUS_EIPV | MCG_STATUS_RIPV;
	kvm_ioctl(vcpu.fd, KVM_X86_SET_MCE, &m);
	x86_run_sync(&vcpu, 2, &uc);
	CHECK_EQ("#MC the guest's handler took", uc.args[1], 1);
	CHECK_EQ("MCG_STATUS in the guest's #MC handler (mcg_status)", uc.args[2], m.mcg_status);
	CHECK_EQ("MCi_STATUS of the bank in the guest's #MC handler (status)", uc.args[3], m.status);
	x86_run_sync(&vcpu, 3, &uc);
	CHECK_EQ("MCi_ADDR of the bank in the guest's #MC handler (addr)", uc.args[1], m.addr);
	CHECK_EQ("MCi_MISC of the bank in the guest's #MC handler (misc)", uc.args[2], m.misc);
	x86_run_done(&vcpu);
	cov_ioctl("KVM_X86_GET_MCE_CAP_SUPPORTED", COV_EXERCISED, "banks and MCG_CTL_P used");
	cov_ioctl("KVM_X86_SETUP_MCE", COV_EXERCISED, "semantic: the guest's banks");
	cov_ioctl("KVM_X86_SET_MCE", COV_EXERCISED, "semantic: the guest's #MC handler sees the "
		  "bank's status, addr, misc, mcg_status");
	teardown(&vm, &vcpu);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, vcpu_events_guest_view);
	ATF_TP_ADD_TC(tp, smi_guest_view);
	ATF_TP_ADD_TC(tp, sipi_mp_state);
	ATF_TP_ADD_TC(tp, mce_guest_view);
	return atf_no_error();
}
