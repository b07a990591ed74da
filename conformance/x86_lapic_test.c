/* conformance/x86_lapic_test.c - x86_64: kvm_lapic_state through guest code (local APIC registers
 * set by KVM_SET_LAPIC are what the guest reads from its APIC page; what it writes there is what
 * KVM_GET_LAPIC returns), and events injected by the host reaching the guest's handlers with the
 * right vector: KVM_INTERRUPT, kvm_vcpu_events (an interrupt, an exception), KVM_NMI. */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "coverage.h"
#include "x86_vm.h"

#define LAPIC_PROBE_N 12

static uint32_t reg_get(const struct kvm_lapic_state *s, unsigned int off)
{
	uint32_t v;

	memcpy(&v, s->regs + off, 4);
	return v;
}

static void reg_set(struct kvm_lapic_state *s, unsigned int off, uint32_t v)
{
	memcpy(s->regs + off, &v, 4);
}

/* The probe's registers: what the host sets (0: leave) and what the guest writes (0: leave). */
static const struct {
	unsigned int off;
	const char *name;
	uint32_t host, guest;
} regs[LAPIC_PROBE_N] = {
	{ 0x020, "ID", 0, 0 },
	{ 0x030, "version", 0, 0 },
	{ 0x080, "TPR", 0x30, 0x50 },
	{ 0x0d0, "LDR", 0x05000000, 0x0a000000 },
	{ 0x0e0, "DFR", 0x0fffffff, 0 },
	{ 0x0f0, "SPIV", 0x000001ff, 0x000001f0 },
	{ 0x320, "LVT timer", 0x000100ef, 0x000100d0 },
	{ 0x350, "LVT LINT0", 0x00010700, 0x00010000 },
	{ 0x360, "LVT LINT1", 0x00010400, 0 },
	{ 0x370, "LVT error", 0x000100fe, 0x000100e1 },
	{ 0x380, "timer initial count", 0, 0 },
	{ 0x3e0, "timer divide", 0x0000000b, 0x00000003 },
};

/* lapic_guest_view: a part of lapic_and_injection. */
static void lapic_guest_view(void)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;
	struct kvm_lapic_state s, before;
	const uint32_t *goff;
	uint32_t *seen, *load;

	x86_vm_create(&vm);
	if (kvm_check_cap(vm.kvm_fd, KVM_CAP_IRQCHIP) <= 0) {
		vm_free(&vm);
		atf_tc_skip("KVM_CAP_IRQCHIP absent (the local APIC is in-kernel only with it)");
	}
	kvm_ioctl_val(vm.fd, KVM_CREATE_IRQCHIP, 0);
	x86_vcpu_add(&vm, &vcpu, 0);
	kvm_ioctl(vcpu.fd, KVM_GET_LAPIC, &s);
	before = s;
	for (int i = 0; i < LAPIC_PROBE_N; i++)
		if (regs[i].host)
			reg_set(&s, regs[i].off, regs[i].host);
	kvm_ioctl(vcpu.fd, KVM_SET_LAPIC, &s);

	goff = x86_gpa(&vm, X86G_SYM_lapic_offsets, LAPIC_PROBE_N * 4);
	seen = x86_gpa(&vm, X86G_SYM_lapic_seen, LAPIC_PROBE_N * 4);
	load = x86_gpa(&vm, X86G_SYM_lapic_load, LAPIC_PROBE_N * 4);
	for (int i = 0; i < LAPIC_PROBE_N; i++) {
		ATF_REQUIRE_EQ(goff[i], regs[i].off);
		load[i] = regs[i].guest;
	}
	x86_vcpu_call(&vcpu, X86G_SYM_lapic_probe, 0);
	x86_run_sync(&vcpu, 1, &uc);
	for (int i = 0; i < LAPIC_PROBE_N; i++) {
		uint32_t want = regs[i].host ? regs[i].host : reg_get(&before, regs[i].off);

		ATF_CHECK_EQ_MSG(seen[i], want, "guest reads APIC %s (0x%03x) 0x%08x, KVM_SET_LAPIC "
				 "set 0x%08x", regs[i].name, regs[i].off, seen[i], want);
	}
	x86_run_done(&vcpu);
	memset(&s, 0, sizeof(s));
	kvm_ioctl(vcpu.fd, KVM_GET_LAPIC, &s);
	for (int i = 0; i < LAPIC_PROBE_N; i++) {
		uint32_t want = regs[i].guest ? regs[i].guest :
				regs[i].host ? regs[i].host : reg_get(&before, regs[i].off);

		ATF_CHECK_EQ_MSG(reg_get(&s, regs[i].off), want, "KVM_GET_LAPIC %s (0x%03x) 0x%08x, the "
				 "guest wrote 0x%08x", regs[i].name, regs[i].off,
				 reg_get(&s, regs[i].off), want);
	}
	cov_ioctl("KVM_SET_LAPIC", COV_EXERCISED, "semantic: guest reads the registers from the APIC page");
	cov_ioctl("KVM_GET_LAPIC", COV_EXERCISED, "semantic: the registers the guest wrote");
	vcpu_free(&vcpu);
	vm_free(&vm);
}

static void sync_expect(struct kvm_vcpu *vcpu, uint64_t stage, uint64_t count, uint64_t vector,
			const char *what)
{
	struct x86_ucall uc;

	x86_run_sync(vcpu, stage, &uc);
	ATF_CHECK_EQ_MSG(uc.args[1], count, "%s: the guest's handlers ran %llu times, expected %llu",
			 what, (unsigned long long)uc.args[1], (unsigned long long)count);
	if (count)
		ATF_CHECK_EQ_MSG(uc.args[2], vector, "%s: the guest's handler saw vector %llu, "
				 "expected %llu", what, (unsigned long long)uc.args[2],
				 (unsigned long long)vector);
}

/* interrupt_injection: a part of lapic_and_injection. */
static void interrupt_injection(void)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;
	struct kvm_interrupt irq;
	struct kvm_vcpu_events ev;

	x86_vm_create(&vm);		/* no in-kernel irqchip: KVM_INTERRUPT and KVM_NMI need none */
	x86_vcpu_add(&vm, &vcpu, 0);
	x86_vcpu_call(&vcpu, X86G_SYM_irq_probe, 0);
	x86_run_sync(&vcpu, 1, &uc);
	ATF_REQUIRE_EQ_MSG(uc.args[1], 0, "the guest saw %llu events before any was injected",
			   (unsigned long long)uc.args[1]);

	memset(&irq, 0, sizeof(irq));
	irq.irq = 0x40;
	kvm_ioctl(vcpu.fd, KVM_INTERRUPT, &irq);
	sync_expect(&vcpu, 2, 1, 0x40, "KVM_INTERRUPT irq 0x40");
	cov_ioctl("KVM_INTERRUPT", COV_EXERCISED, "semantic: the guest's handler sees the vector");

	kvm_ioctl(vcpu.fd, KVM_GET_VCPU_EVENTS, &ev);
	ev.interrupt.injected = 1;
	ev.interrupt.nr = 0x41;
	ev.interrupt.soft = 0;
	ev.flags = 0;
	kvm_ioctl(vcpu.fd, KVM_SET_VCPU_EVENTS, &ev);
	sync_expect(&vcpu, 3, 2, 0x41, "kvm_vcpu_events interrupt.nr 0x41");

	kvm_ioctl(vcpu.fd, KVM_GET_VCPU_EVENTS, &ev);
	ev.exception.injected = 1;
	ev.exception.nr = 19;	/* #XM: no error code */
	ev.exception.has_error_code = 0;
	ev.flags = 0;
	kvm_ioctl(vcpu.fd, KVM_SET_VCPU_EVENTS, &ev);
	sync_expect(&vcpu, 4, 3, 19, "kvm_vcpu_events exception.nr 19");

	kvm_ioctl_val(vcpu.fd, KVM_NMI, 0);
	sync_expect(&vcpu, 5, 4, 2, "KVM_NMI");
	cov_ioctl("KVM_NMI", COV_EXERCISED, "semantic: the guest's NMI handler runs");
	x86_run_done(&vcpu);
	vcpu_free(&vcpu);
	vm_free(&vm);
}

ATF_TC(lapic_and_injection);
ATF_TC_HEAD(lapic_and_injection, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_lapic_state: TPR, LDR, DFR, SPIV, LVTs, timer divide set by KVM_SET_LAPIC (and ID, version) are what the guest reads from the APIC page, what it writes there is what KVM_GET_LAPIC returns; events the host injects reach the guest's handler with their vector: KVM_INTERRUPT, KVM_SET_VCPU_EVENTS interrupt and exception, KVM_NMI");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(lapic_and_injection, tc)
{
	(void)tc;
	X86_REQUIRE_CAP(KVM_CAP_IRQCHIP);
	lapic_guest_view();
	interrupt_injection();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, lapic_and_injection);
	return atf_no_error();
}
