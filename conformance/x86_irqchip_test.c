/* conformance/x86_irqchip_test.c - x86_64: the in-kernel irqchip through guest code. kvm_irqchip's
 * IOAPIC redirection entry and PIC state set by KVM_SET_IRQCHIP route KVM_IRQ_LINE to the guest's
 * handler with the vector they name, and KVM_GET_IRQCHIP gives the fields back; the PIT's channel
 * (kvm_pit_state2: count, mode, rw_mode, bcd, gate) as the guest reads and programs it through
 * its ports; KVM_SET_BOOT_CPU_ID as the BSP flag each vCPU reads; KVM_SET_TSS_ADDR and
 * KVM_SET_IDENTITY_MAP_ADDR accepted (their effect is on Intel's real mode, not visible here). */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "coverage.h"
#include "x86_vm.h"

#define CHECK_EQ(what, got, want) ATF_CHECK_EQ_MSG((uint64_t)(got), (uint64_t)(want), \
	"%s: 0x%llx, expected 0x%llx", what, (unsigned long long)(got), (unsigned long long)(want))

#define IOAPIC_PIN	5
#define IOAPIC_VECTOR	0x55
#define PIC_PIN		3
#define PIC_BASE	0x30

static void irqchip_vm(struct kvm_vm *vm)
{
	x86_vm_create(vm);
	if (kvm_check_cap(vm->kvm_fd, KVM_CAP_IRQCHIP) <= 0) {
		vm_free(vm);
		atf_tc_skip("KVM_CAP_IRQCHIP absent");
	}
	kvm_ioctl_val(vm->fd, KVM_CREATE_IRQCHIP, 0);
}

static void irq_line(struct kvm_vm *vm, uint32_t irq, uint32_t level)
{
	struct kvm_irq_level l;

	memset(&l, 0, sizeof(l));
	l.irq = irq;
	l.level = level;
	kvm_ioctl(vm->fd, KVM_IRQ_LINE, &l);
}

static void lapic_enable(struct kvm_vcpu *vcpu)
{
	struct kvm_lapic_state s;
	uint32_t spiv = 0x1ff, lvt0 = 0x700, tpr = 0;	/* enabled; LINT0 ExtINT, unmasked */

	kvm_ioctl(vcpu->fd, KVM_GET_LAPIC, &s);
	memcpy(s.regs + 0xf0, &spiv, 4);
	memcpy(s.regs + 0x350, &lvt0, 4);
	memcpy(s.regs + 0x80, &tpr, 4);
	kvm_ioctl(vcpu->fd, KVM_SET_LAPIC, &s);
}

/* irqchip_irq_line: a part of irqchip_pit_boot_cpu. */
static void irqchip_irq_line(void)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;
	struct kvm_irqchip pic, ioapic;

	irqchip_vm(&vm);
	x86_vcpu_add(&vm, &vcpu, 0);
	lapic_enable(&vcpu);

	memset(&ioapic, 0, sizeof(ioapic));
	ioapic.chip_id = KVM_IRQCHIP_IOAPIC;
	kvm_ioctl(vm.fd, KVM_GET_IRQCHIP, &ioapic);
	CHECK_EQ("IOAPIC base_address after reset", ioapic.chip.ioapic.base_address, 0xfec00000);
	ioapic.chip.ioapic.redirtbl[IOAPIC_PIN].bits = 0;
	ioapic.chip.ioapic.redirtbl[IOAPIC_PIN].fields.vector = IOAPIC_VECTOR;
	ioapic.chip.ioapic.redirtbl[IOAPIC_PIN].fields.delivery_mode = 0;	/* fixed */
	ioapic.chip.ioapic.redirtbl[IOAPIC_PIN].fields.dest_mode = 0;		/* physical */
	ioapic.chip.ioapic.redirtbl[IOAPIC_PIN].fields.trig_mode = 0;		/* edge */
	ioapic.chip.ioapic.redirtbl[IOAPIC_PIN].fields.mask = 0;
	ioapic.chip.ioapic.redirtbl[IOAPIC_PIN].fields.dest_id = 0;		/* APIC ID 0 */
	kvm_ioctl(vm.fd, KVM_SET_IRQCHIP, &ioapic);

	memset(&pic, 0, sizeof(pic));
	pic.chip_id = KVM_IRQCHIP_PIC_MASTER;
	kvm_ioctl(vm.fd, KVM_GET_IRQCHIP, &pic);
	pic.chip.pic.irq_base = PIC_BASE;
	pic.chip.pic.imr = (uint8_t)~(1u << PIC_PIN);
	pic.chip.pic.auto_eoi = 1;
	pic.chip.pic.init_state = 0;
	pic.chip.pic.elcr = 0;
	pic.chip.pic.irr = 0;
	pic.chip.pic.isr = 0;
	kvm_ioctl(vm.fd, KVM_SET_IRQCHIP, &pic);

	x86_vcpu_call(&vcpu, X86G_SYM_chip_probe, IOAPIC_VECTOR | (PIC_BASE + PIC_PIN) << 8);
	x86_run_sync(&vcpu, 1, &uc);
	irq_line(&vm, IOAPIC_PIN, 1);
	irq_line(&vm, IOAPIC_PIN, 0);
	x86_run_sync(&vcpu, 2, &uc);
	CHECK_EQ("interrupts after KVM_IRQ_LINE on the IOAPIC pin", uc.args[1], 1);
	CHECK_EQ("vector the guest saw (IOAPIC redirtbl vector)", uc.args[2], IOAPIC_VECTOR);
	irq_line(&vm, PIC_PIN, 1);
	irq_line(&vm, PIC_PIN, 0);
	x86_run_sync(&vcpu, 3, &uc);
	CHECK_EQ("interrupts after KVM_IRQ_LINE on the PIC pin", uc.args[1], 2);
	CHECK_EQ("vector the guest saw (PIC irq_base + pin)", uc.args[2], PIC_BASE + PIC_PIN);
	x86_run_done(&vcpu);
	cov_ioctl("KVM_IRQ_LINE", COV_EXERCISED, "semantic: IOAPIC and PIC deliver to the guest");
	cov_ioctl("KVM_SET_IRQCHIP", COV_EXERCISED, "semantic: redirtbl and PIC irq_base/imr route "
		  "the guest's interrupts");

	memset(&ioapic, 0, sizeof(ioapic));
	ioapic.chip_id = KVM_IRQCHIP_IOAPIC;
	kvm_ioctl(vm.fd, KVM_GET_IRQCHIP, &ioapic);
	CHECK_EQ("KVM_GET_IRQCHIP redirtbl vector", ioapic.chip.ioapic.redirtbl[IOAPIC_PIN].fields.vector,
		 IOAPIC_VECTOR);
	CHECK_EQ("KVM_GET_IRQCHIP redirtbl mask", ioapic.chip.ioapic.redirtbl[IOAPIC_PIN].fields.mask, 0);
	CHECK_EQ("KVM_GET_IRQCHIP redirtbl trig_mode",
		 ioapic.chip.ioapic.redirtbl[IOAPIC_PIN].fields.trig_mode, 0);
	CHECK_EQ("KVM_GET_IRQCHIP redirtbl dest_id",
		 ioapic.chip.ioapic.redirtbl[IOAPIC_PIN].fields.dest_id, 0);
	CHECK_EQ("KVM_GET_IRQCHIP another pin still masked",
		 ioapic.chip.ioapic.redirtbl[IOAPIC_PIN + 1].fields.mask, 1);
	memset(&pic, 0, sizeof(pic));
	pic.chip_id = KVM_IRQCHIP_PIC_MASTER;
	kvm_ioctl(vm.fd, KVM_GET_IRQCHIP, &pic);
	CHECK_EQ("KVM_GET_IRQCHIP pic irq_base", pic.chip.pic.irq_base, PIC_BASE);
	CHECK_EQ("KVM_GET_IRQCHIP pic imr", pic.chip.pic.imr, (uint8_t)~(1u << PIC_PIN));
	CHECK_EQ("KVM_GET_IRQCHIP pic auto_eoi", pic.chip.pic.auto_eoi, 1);
	CHECK_EQ("KVM_GET_IRQCHIP pic isr (auto EOI)", pic.chip.pic.isr, 0);

	/* Each chip's state round-trips: GET -> SET -> GET gives the same bytes. */
	for (uint32_t id = KVM_IRQCHIP_PIC_MASTER; id <= KVM_IRQCHIP_IOAPIC; id++) {
		struct kvm_irqchip a, b;

		memset(&a, 0, sizeof(a));
		a.chip_id = id;
		kvm_ioctl(vm.fd, KVM_GET_IRQCHIP, &a);
		kvm_ioctl(vm.fd, KVM_SET_IRQCHIP, &a);
		memset(&b, 0, sizeof(b));
		b.chip_id = id;
		kvm_ioctl(vm.fd, KVM_GET_IRQCHIP, &b);
		ATF_CHECK_MSG(memcmp(&a, &b, sizeof(a)) == 0, "kvm_irqchip %u: GET -> SET -> GET "
			      "differs", id);
	}
	cov_struct("struct kvm_irqchip", true, "");
	cov_ioctl("KVM_GET_IRQCHIP", COV_EXERCISED, "semantic: the fields that routed the interrupts");
	vcpu_free(&vcpu);
	vm_free(&vm);
}

/* pit_guest_view: a part of irqchip_pit_boot_cpu. */
static void pit_guest_view(void)
{
	const uint32_t host_count = 0x100, guest_count = 0x2345;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;
	struct kvm_pit_config cfg;
	struct kvm_pit_state2 ps;
	struct kvm_pit_state old;

	irqchip_vm(&vm);
	if (kvm_check_cap(vm.kvm_fd, KVM_CAP_PIT2) <= 0) {
		vm_free(&vm);
		atf_tc_skip("KVM_CAP_PIT2 absent");
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.flags = KVM_PIT_SPEAKER_DUMMY;	/* port 0x61: channel 2's gate */
	kvm_ioctl(vm.fd, KVM_CREATE_PIT2, &cfg);
	x86_vcpu_add(&vm, &vcpu, 0);
	kvm_ioctl(vm.fd, KVM_GET_PIT2, &ps);
	ps.channels[2].count = host_count;
	ps.channels[2].mode = 2;	/* rate generator: the counter stays in [1, count] */
	ps.channels[2].rw_mode = 3;		/* lo/hi */
	ps.channels[2].read_state = 3;
	ps.channels[2].write_state = 3;
	ps.channels[2].bcd = 0;
	ps.channels[2].gate = 1;
	ps.channels[2].count_latched = 0;
	ps.channels[2].status_latched = 0;
	ps.flags = 0;
	kvm_ioctl(vm.fd, KVM_SET_PIT2, &ps);
	x86_vcpu_call(&vcpu, X86G_SYM_pit_probe, guest_count);
	x86_run_sync(&vcpu, 1, &uc);
	ATF_CHECK_MSG(uc.args[1] >= 1 && uc.args[1] <= host_count,
		      "guest latched channel 2 at 0x%llx, outside [1, 0x%x] of KVM_SET_PIT2's count in "
		      "mode 2", (unsigned long long)uc.args[1], host_count);
	CHECK_EQ("guest reads channel 2's gate (port 0x61 bit 0)", uc.args[2], 1);
	x86_run_done(&vcpu);

	memset(&ps, 0, sizeof(ps));
	kvm_ioctl(vm.fd, KVM_GET_PIT2, &ps);
	CHECK_EQ("KVM_GET_PIT2 channels[2].count the guest programmed", ps.channels[2].count, guest_count);
	CHECK_EQ("KVM_GET_PIT2 channels[2].mode the guest programmed", ps.channels[2].mode, 3);
	CHECK_EQ("KVM_GET_PIT2 channels[2].rw_mode", ps.channels[2].rw_mode, 3);
	CHECK_EQ("KVM_GET_PIT2 channels[2].bcd", ps.channels[2].bcd, 0);
	CHECK_EQ("KVM_GET_PIT2 channels[2].gate the guest lowered", ps.channels[2].gate, 0);
	CHECK_EQ("KVM_GET_PIT2 flags", ps.flags, 0);
	memset(&old, 0, sizeof(old));
	kvm_ioctl(vm.fd, KVM_GET_PIT, &old);
	CHECK_EQ("KVM_GET_PIT channels[2].count", old.channels[2].count, guest_count);
	CHECK_EQ("KVM_GET_PIT channels[2].mode", old.channels[2].mode, 3);
	cov_ioctl("KVM_CREATE_PIT2", COV_EXERCISED, "semantic: the guest's PIT ports");
	cov_ioctl("KVM_SET_PIT2", COV_EXERCISED, "semantic: guest latches count, reads gate");
	cov_ioctl("KVM_GET_PIT2", COV_EXERCISED, "semantic: count, mode, rw_mode, bcd, gate the "
		  "guest programmed");
	cov_ioctl("KVM_GET_PIT", COV_EXERCISED, "semantic: count, mode the guest programmed");
	vcpu_free(&vcpu);
	vm_free(&vm);
}

/* boot_cpu_tss_identity_map: a part of irqchip_pit_boot_cpu. */
static void boot_cpu_tss_identity_map(void)
{
	struct kvm_vm vm;
	struct kvm_vcpu v0, v1;
	struct x86_ucall uc;
	struct kvm_mp_state mp;
	uint64_t idmap = 0xfffbc000;

	irqchip_vm(&vm);
	kvm_ioctl_val(vm.fd, KVM_SET_TSS_ADDR, 0xfffbd000);
	cov_ioctl("KVM_SET_TSS_ADDR", COV_EXERCISED, "accepted (no guest-visible effect on AMD)");
	if (kvm_check_cap(vm.kvm_fd, KVM_CAP_SET_IDENTITY_MAP_ADDR) > 0) {
		kvm_ioctl(vm.fd, KVM_SET_IDENTITY_MAP_ADDR, &idmap);
		cov_ioctl("KVM_SET_IDENTITY_MAP_ADDR", COV_EXERCISED, "accepted (no guest-visible "
			  "effect on AMD)");
	} else {
		cov_ioctl("KVM_SET_IDENTITY_MAP_ADDR", COV_SKIPPED, "KVM_CAP_SET_IDENTITY_MAP_ADDR absent");
	}
	if (kvm_check_cap(vm.kvm_fd, KVM_CAP_SET_BOOT_CPU_ID) <= 0) {
		cov_ioctl("KVM_SET_BOOT_CPU_ID", COV_SKIPPED, "KVM_CAP_SET_BOOT_CPU_ID absent");
		vm_free(&vm);
		atf_tc_skip("KVM_CAP_SET_BOOT_CPU_ID absent");
	}
	kvm_ioctl_val(vm.fd, KVM_SET_BOOT_CPU_ID, 1);
	x86_vcpu_add(&vm, &v0, 0);
	x86_vcpu_add(&vm, &v1, 1);
	/* vCPU 0 is an AP now: it waits for a SIPI until made runnable. */
	kvm_ioctl(v0.fd, KVM_GET_MP_STATE, &mp);
	CHECK_EQ("KVM_GET_MP_STATE of vCPU 0, an AP", mp.mp_state, KVM_MP_STATE_UNINITIALIZED);
	kvm_ioctl(v1.fd, KVM_GET_MP_STATE, &mp);
	CHECK_EQ("KVM_GET_MP_STATE of vCPU 1, the BSP", mp.mp_state, KVM_MP_STATE_RUNNABLE);
	mp.mp_state = KVM_MP_STATE_RUNNABLE;
	kvm_ioctl(v0.fd, KVM_SET_MP_STATE, &mp);
	x86_vcpu_call(&v1, X86G_SYM_bsp_probe, 0);
	x86_run_sync(&v1, 1, &uc);
	CHECK_EQ("vCPU 1 (the boot CPU) reads IA32_APIC_BASE.BSP", uc.args[1] >> 8 & 1, 1);
	x86_vcpu_call(&v0, X86G_SYM_bsp_probe, 0);
	x86_run_sync(&v0, 1, &uc);
	CHECK_EQ("vCPU 0 reads IA32_APIC_BASE.BSP", uc.args[1] >> 8 & 1, 0);
	cov_ioctl("KVM_SET_BOOT_CPU_ID", COV_EXERCISED, "semantic: the guest's BSP flag");
	vcpu_free(&v1);
	vcpu_free(&v0);
	vm_free(&vm);
}

ATF_TC(irqchip_pit_boot_cpu);
ATF_TC_HEAD(irqchip_pit_boot_cpu, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_irqchip: an IOAPIC redirection entry and the master PIC's irq_base, imr, auto_eoi set by KVM_SET_IRQCHIP make KVM_IRQ_LINE reach the guest's handler with their vectors, KVM_GET_IRQCHIP gives them back, all chips round-trip; kvm_pit_state2 channel 2 as the guest latches (within the count KVM_SET_PIT2 set, mode 2) and programs it; KVM_SET_BOOT_CPU_ID as each vCPU's BSP flag (an AP UNINITIALIZED until RUNNABLE); KVM_SET_TSS_ADDR, KVM_SET_IDENTITY_MAP_ADDR accepted");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(irqchip_pit_boot_cpu, tc)
{
	(void)tc;
	X86_REQUIRE_CAP(KVM_CAP_IRQCHIP);
	X86_REQUIRE_CAP(KVM_CAP_PIT2);
	X86_REQUIRE_CAP(KVM_CAP_SET_BOOT_CPU_ID);
	irqchip_irq_line();
	pit_guest_view();
	boot_cpu_tss_identity_map();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, irqchip_pit_boot_cpu);
	return atf_no_error();
}
