/* conformance/arm64_vgic_test.c - the arm64 interrupt controller and vCPU device attributes,
 * seen by guest code: the vGIC-v3 through KVM_CREATE_DEVICE and kvm_device_attr (distributor and
 * redistributor addresses, number of IRQs, CTRL_INIT, distributor, redistributor and CPU
 * interface registers read back against what the guest reads and writes), an SPI raised by
 * KVM_IRQ_LINE and by an irqfd that the guest's handler acknowledges with the right INTID, the
 * ITS device and MSIs through it (KVM_SIGNAL_MSI, an MSI route of KVM_SET_GSI_ROUTING) taken as
 * the LPI the guest mapped, the legacy KVM_ARM_SET_DEVICE_ADDR, and the timer and PMU vCPU
 * attributes (the virtual timer's and the PMU overflow's INTIDs as the guest takes them, the PMU
 * event filter as the guest's PMCEID0). */
#include <atf-c.h>
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "arm64_guest.h"
#include "coverage.h"
#include "gic_layout.h"
#include "gic_syms.h"

#define F(bit) (1u << (bit))

/* dev_attr(fd, KVM_{SET,GET,HAS}_DEVICE_ATTR, group, attr, pointer): 0 or -errno. */
#define dev_attr(fd, cmd, grp, at, ptr) ({ \
	struct kvm_device_attr __a = { .group = (grp), .attr = (at), .addr = (uintptr_t)(ptr) }; \
	__kvm_ioctl((fd), cmd, &__a) < 0 ? -errno : 0; })

#define REQUIRE_OK(expr) do { \
	int __r = (expr); \
	ATF_REQUIRE_MSG(__r == 0, "%s: %s", #expr, strerror(-__r)); \
} while (0)

/* vgic_create: a vGIC-v3 for g's vCPUs at GIC_DIST/GIC_REDIST with GIC_NR_IRQS. */
static int vgic_create(struct ga_vm *g)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint64_t dist = GIC_DIST, redist = GIC_REDIST;
	uint32_t nr = GIC_NR_IRQS;

	if (__kvm_ioctl(g->vm.fd, KVM_CREATE_DEVICE, &cd) < 0) {
		int e = errno;

		ga_vm_free(g);
		atf_tc_skip("KVM_CREATE_DEVICE of KVM_DEV_TYPE_ARM_VGIC_V3: %s (no GICv3 in the host)",
			    strerror(e));
	}
	REQUIRE_OK(dev_attr(cd.fd, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_V3_ADDR_TYPE_DIST, &dist));
	REQUIRE_OK(dev_attr(cd.fd, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist));
	REQUIRE_OK(dev_attr(cd.fd, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr));
	return (int)cd.fd;
}

static void vgic_init(int fd)
{
	REQUIRE_OK(dev_attr(fd, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
			    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL));
}

static uint32_t dist_reg(int fd, uint32_t offset)
{
	uint32_t v = 0;

	REQUIRE_OK(dev_attr(fd, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, offset, &v));
	return v;
}

static uint32_t redist_reg(int fd, uint64_t mpidr, uint32_t offset)
{
	uint32_t v = 0;

	REQUIRE_OK(dev_attr(fd, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			    mpidr << KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT | offset, &v));
	return v;
}

/* The MPIDR of vcpu in the form KVM_DEV_ARM_VGIC_V3_MPIDR wants (Aff3.Aff2.Aff1.Aff0). */
static uint64_t vgic_mpidr(struct kvm_vcpu *vcpu)
{
	uint64_t m = vcpu_get_reg(vcpu, arm64_sysreg_id(3, 0, 0, 0, 5));

	return (m & 0xffffff) | ((m >> 32) & 0xff) << 24;
}

ATF_TC(vgic_v3_attrs);
ATF_TC_HEAD(vgic_v3_attrs, tc)
{
	atf_tc_set_md_var(tc, "descr", "The vGIC-v3 through KVM_CREATE_DEVICE (TEST flag, twice: "
			  "EEXIST) and kvm_device_attr: distributor and redistributor addresses read back "
			  "(a second one EEXIST, a misaligned one EINVAL), number of IRQs, CTRL_INIT (then "
			  "NR_IRQS EBUSY), GICD_TYPER and GICR_TYPER as the number of IRQs and the vCPU "
			  "make them");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(vgic_v3_attrs, tc)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3,
					.flags = KVM_CREATE_DEVICE_TEST };
	uint64_t addr, mpidr, bad = GIC_DIST + 0x100;
	struct kvm_vcpu *vcpu;
	struct ga_vm g;
	uint32_t nr = 0, typer;
	int fd;

	ga_vm_create(&g, GA_BLOB(gic));
	vcpu = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2));
	ATF_CHECK_MSG(__kvm_ioctl(g.vm.fd, KVM_CREATE_DEVICE, &cd) == 0, "KVM_CREATE_DEVICE_TEST of "
		      "the vGIC-v3: %s", strerror(errno));
	fd = vgic_create(&g);
	cd.flags = 0;
	ATF_CHECK_MSG(__kvm_ioctl(g.vm.fd, KVM_CREATE_DEVICE, &cd) < 0 && errno == EEXIST,
		      "a second vGIC-v3 was not refused with EEXIST");
	ATF_CHECK(dev_attr(fd, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
			   KVM_VGIC_V3_ADDR_TYPE_DIST, NULL) == 0);
	ATF_CHECK(dev_attr(fd, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
			   KVM_DEV_ARM_VGIC_CTRL_INIT, NULL) == 0);
	ATF_CHECK_MSG(dev_attr(fd, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR, 0x7777, NULL) ==
		      -ENXIO, "KVM_HAS_DEVICE_ATTR of an unknown address type is not ENXIO");
	REQUIRE_OK(dev_attr(fd, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_V3_ADDR_TYPE_DIST, &addr));
	ATF_CHECK_EQ_MSG(addr, GIC_DIST, "distributor address reads 0x%llx", (unsigned long long)addr);
	REQUIRE_OK(dev_attr(fd, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_V3_ADDR_TYPE_REDIST, &addr));
	ATF_CHECK_EQ_MSG(addr, GIC_REDIST, "redistributor address reads 0x%llx",
			 (unsigned long long)addr);
	ATF_CHECK_MSG(dev_attr(fd, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
			       KVM_VGIC_V3_ADDR_TYPE_DIST, &bad) == -EEXIST, "a second distributor "
		      "address was not refused with EEXIST");
	REQUIRE_OK(dev_attr(fd, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr));
	ATF_CHECK_EQ_MSG(nr, (uint32_t)GIC_NR_IRQS, "NR_IRQS reads %u", nr);
	vgic_init(fd);
	nr = 64;
	ATF_CHECK_MSG(dev_attr(fd, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr) ==
		      -EBUSY, "NR_IRQS after CTRL_INIT was not refused with EBUSY");
	typer = dist_reg(fd, GICD_TYPER);
	ATF_CHECK_EQ_MSG(typer & 0x1f, (uint32_t)(GIC_NR_IRQS / 32 - 1), "GICD_TYPER.ITLinesNumber "
			 "%u for %d IRQs", typer & 0x1f, GIC_NR_IRQS);
	mpidr = vgic_mpidr(vcpu);
	typer = redist_reg(fd, mpidr, GICR_TYPER);
	ATF_CHECK_MSG(typer & 1u << 4, "GICR_TYPER.Last not set for the only vCPU (0x%x)", typer);
	ATF_CHECK_EQ_MSG((typer >> 8) & 0xffff, 0u, "GICR_TYPER.Processor_Number %u for vCPU 0",
			 (typer >> 8) & 0xffff);
	ATF_CHECK_EQ_MSG(redist_reg(fd, mpidr, GICR_TYPER + 4), (uint32_t)mpidr, "GICR_TYPER's "
			 "affinity is not the vCPU's MPIDR 0x%llx", (unsigned long long)mpidr);
	close(fd);
	ga_vm_free(&g);
	cov_ioctl("KVM_CREATE_DEVICE", COV_EXERCISED, "number,semantic: vGIC-v3 (TEST flag, EEXIST)");
	cov_ioctl("KVM_HAS_DEVICE_ATTR", COV_EXERCISED, "number,semantic: vGIC groups, ENXIO");
	cov_ioctl("KVM_GET_DEVICE_ATTR", COV_EXERCISED, "number,roundtrip: vGIC addresses, NR_IRQS; "
		  "semantic: GICD/GICR_TYPER");
	cov_ioctl("KVM_SET_DEVICE_ATTR", COV_EXERCISED, "number,semantic: EEXIST, EBUSY after INIT");
	cov_struct("struct kvm_create_device", true, "type, flags, fd");
	cov_struct("struct kvm_device_attr", true, "group, attr, addr on the vGIC");
}

/* spi_guest: the guest in GM_SPI mode for intid, up to its stage 1; checks its view of the
 * GIC against the device attributes. */
static void spi_guest(struct ga_vm *g, struct kvm_vcpu *vcpu, int fd, uint32_t intid, int edge)
{
	struct ucall uc;
	uint64_t pmr = 0;

	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.regs[0]), GM_SPI);
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.regs[1]), intid);
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.regs[2]), edge);
	ga_run_expect(g, vcpu, UCALL_SYNC, 1, &uc);
	ATF_CHECK_EQ_MSG(uc.args[1], (uint64_t)GIC_PMR, "guest reads ICC_PMR_EL1 0x%llx",
			 (unsigned long long)uc.args[1]);
	ATF_CHECK_EQ_MSG(uc.args[2], (uint64_t)dist_reg(fd, GICD_TYPER), "guest's GICD_TYPER 0x%llx, "
			 "the device attribute's 0x%x", (unsigned long long)uc.args[2],
			 dist_reg(fd, GICD_TYPER));
	ATF_CHECK_EQ_MSG(uc.args[3], (uint64_t)redist_reg(fd, vgic_mpidr(vcpu), GICR_TYPER),
			 "guest's GICR_TYPER 0x%llx differs from the device attribute's",
			 (unsigned long long)uc.args[3]);
	ATF_CHECK_MSG(uc.args[4] & 1, "guest's ICC_SRE_EL1.SRE is clear");
	/* ICC_PMR_EL1 as the guest left it, through the CPU interface group. */
	REQUIRE_OK(dev_attr(fd, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
			    vgic_mpidr(vcpu) << KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT |
			    (arm64_sysreg_id(3, 0, 4, 6, 0) & KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK), &pmr));
	ATF_CHECK_EQ_MSG(pmr, (uint64_t)GIC_PMR, "ICC_PMR_EL1 through CPU_SYSREGS: 0x%llx, the guest "
			 "wrote 0x%x", (unsigned long long)pmr, GIC_PMR);
}

/* spi_taken: run to the guest's next stage; it took one interrupt, INTID intid. */
static void spi_taken(struct ga_vm *g, struct kvm_vcpu *vcpu, int stage, uint32_t intid,
		      const char *how)
{
	struct ucall uc;

	ga_run_expect(g, vcpu, UCALL_SYNC, stage, &uc);
	ATF_CHECK_EQ_MSG(uc.args[1], (uint64_t)intid, "%s: the guest acknowledged INTID %llu, "
			 "expected %u", how, (unsigned long long)uc.args[1], intid);
	ATF_CHECK_EQ_MSG(uc.args[2], 1u, "%s: %llu interrupts taken", how,
			 (unsigned long long)uc.args[2]);
}

static void irq_line(struct ga_vm *g, uint32_t intid, uint32_t level)
{
	struct kvm_irq_level l;

	memset(&l, 0, sizeof(l));
	l.irq = KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT | intid << KVM_ARM_IRQ_NUM_SHIFT;
	l.level = level;
	kvm_ioctl(g->vm.fd, KVM_IRQ_LINE, &l);
}

ATF_TC(irq_line_spi);
ATF_TC_HEAD(irq_line_spi, tc)
{
	atf_tc_set_md_var(tc, "descr", "A level-triggered SPI raised with KVM_IRQ_LINE (the "
			  "binding's KVM_ARM_IRQ_TYPE_SPI encoding) is taken by the guest's IRQ handler "
			  "with its INTID, twice, its level read through GRP_LEVEL_INFO; the guest's GIC "
			  "registers match the device attributes "
			  "and its ICC_PMR_EL1 reads back through KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(irq_line_spi, tc)
{
	const uint32_t intid = 45;
	struct kvm_vcpu *vcpu;
	struct ga_vm g;
	int fd;

	ga_vm_create(&g, GA_BLOB(gic));
	vcpu = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2));
	fd = vgic_create(&g);
	vgic_init(fd);
	spi_guest(&g, vcpu, fd, intid, 0);
	for (int stage = 2; stage <= 3; stage++) {
		uint32_t levels = 0;

		irq_line(&g, intid, 1);
		/* The line's level, through KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO (32 lines a word). */
		REQUIRE_OK(dev_attr(fd, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
				    vgic_mpidr(vcpu) << KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT |
				    (intid & ~31u & KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK), &levels));
		ATF_CHECK_MSG(levels & 1u << (intid % 32), "LEVEL_INFO 0x%x: line %u not high after "
			      "KVM_IRQ_LINE 1", levels, intid);
		spi_taken(&g, vcpu, stage, intid, "KVM_IRQ_LINE");
		irq_line(&g, intid, 0);
		REQUIRE_OK(dev_attr(fd, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
				    vgic_mpidr(vcpu) << KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT |
				    (intid & ~31u & KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK), &levels));
		ATF_CHECK_MSG(!(levels & 1u << (intid % 32)), "LEVEL_INFO 0x%x: line %u still high "
			      "after KVM_IRQ_LINE 0", levels, intid);
	}
	{
		struct ucall uc;

		ga_run_expect(&g, vcpu, UCALL_DONE, 0, &uc);
	}
	close(fd);
	ga_vm_free(&g);
	cov_ioctl("KVM_IRQ_LINE", COV_EXERCISED, "number,semantic: SPI taken by the guest with its "
		  "INTID");
	cov_struct("struct kvm_irq_level", true, "irq (type, number), level");
}

ATF_TC(irqfd_spi);
ATF_TC_HEAD(irqfd_spi, tc)
{
	atf_tc_set_md_var(tc, "descr", "An irqfd on GSI n raises SPI 32 + n (edge-triggered) that "
			  "the guest's handler acknowledges with that INTID, once per eventfd write; "
			  "the irqfd deassigns");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(irqfd_spi, tc)
{
	const uint32_t gsi = 20, intid = 32 + gsi;
	struct kvm_irqfd irqfd;
	struct kvm_vcpu *vcpu;
	struct ucall uc;
	struct ga_vm g;
	uint64_t one = 1;
	int fd, efd;

	ga_vm_create(&g, GA_BLOB(gic));
	if (kvm_check_cap(g.vm.kvm_fd, KVM_CAP_IRQFD) <= 0) {
		ga_vm_free(&g);
		atf_tc_skip("KVM_CAP_IRQFD absent");
	}
	vcpu = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2));
	fd = vgic_create(&g);
	vgic_init(fd);
	efd = eventfd(0, EFD_CLOEXEC);
	ATF_REQUIRE(efd >= 0);
	memset(&irqfd, 0, sizeof(irqfd));
	irqfd.fd = (uint32_t)efd;
	irqfd.gsi = gsi;
	kvm_ioctl(g.vm.fd, KVM_IRQFD, &irqfd);
	spi_guest(&g, vcpu, fd, intid, 1);
	for (int stage = 2; stage <= 3; stage++) {
		ATF_REQUIRE(write(efd, &one, sizeof(one)) == sizeof(one));
		spi_taken(&g, vcpu, stage, intid, "irqfd");
	}
	ga_run_expect(&g, vcpu, UCALL_DONE, 0, &uc);
	irqfd.flags = KVM_IRQFD_FLAG_DEASSIGN;
	kvm_ioctl(g.vm.fd, KVM_IRQFD, &irqfd);
	close(efd);
	close(fd);
	ga_vm_free(&g);
	cov_ioctl("KVM_IRQFD", COV_EXERCISED, "number,semantic: SPI 32+gsi taken by the guest; "
		  "deassign");
	cov_struct("struct kvm_irqfd", true, "fd, gsi, flags");
}

ATF_TC(timer_irq_attrs);
ATF_TC_HEAD(timer_irq_attrs, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_ARM_VCPU_TIMER_CTRL: the virtual and physical timer "
			  "INTIDs read their defaults (27, 30), a PPI set for the virtual timer reads "
			  "back and is the INTID the guest's handler acknowledges when the timer fires; "
			  "an SPI is refused (EINVAL)");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(timer_irq_attrs, tc)
{
	int vt = 0, pt = 0, irq = 20, spi = 40;
	struct kvm_vcpu *vcpu;
	struct ucall uc;
	struct ga_vm g;
	int fd;

	ga_vm_create(&g, GA_BLOB(gic));
	vcpu = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2));
	fd = vgic_create(&g);
	ATF_CHECK(dev_attr(vcpu->fd, KVM_HAS_DEVICE_ATTR, KVM_ARM_VCPU_TIMER_CTRL,
			   KVM_ARM_VCPU_TIMER_IRQ_VTIMER, NULL) == 0);
	REQUIRE_OK(dev_attr(vcpu->fd, KVM_GET_DEVICE_ATTR, KVM_ARM_VCPU_TIMER_CTRL,
			    KVM_ARM_VCPU_TIMER_IRQ_VTIMER, &vt));
	REQUIRE_OK(dev_attr(vcpu->fd, KVM_GET_DEVICE_ATTR, KVM_ARM_VCPU_TIMER_CTRL,
			    KVM_ARM_VCPU_TIMER_IRQ_PTIMER, &pt));
	ATF_CHECK_EQ_MSG(vt, 27, "virtual timer INTID %d, default 27", vt);
	ATF_CHECK_EQ_MSG(pt, 30, "physical timer INTID %d, default 30", pt);
	ATF_CHECK_MSG(dev_attr(vcpu->fd, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_TIMER_CTRL,
			       KVM_ARM_VCPU_TIMER_IRQ_VTIMER, &spi) == -EINVAL, "an SPI as the "
		      "virtual timer's interrupt was not refused with EINVAL");
	REQUIRE_OK(dev_attr(vcpu->fd, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_TIMER_CTRL,
			    KVM_ARM_VCPU_TIMER_IRQ_VTIMER, &irq));
	REQUIRE_OK(dev_attr(vcpu->fd, KVM_GET_DEVICE_ATTR, KVM_ARM_VCPU_TIMER_CTRL,
			    KVM_ARM_VCPU_TIMER_IRQ_VTIMER, &vt));
	ATF_CHECK_EQ_MSG(vt, irq, "virtual timer INTID reads %d after SET %d", vt, irq);
	vgic_init(fd);
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.regs[0]), GM_TIMER);
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.regs[1]), (uint64_t)irq);
	ga_run_expect(&g, vcpu, UCALL_SYNC, 2, &uc);
	ATF_CHECK_EQ_MSG(uc.args[1], (uint64_t)irq, "the guest took the virtual timer as INTID "
			 "%llu, the attribute says %d", (unsigned long long)uc.args[1], irq);
	ga_run_expect(&g, vcpu, UCALL_DONE, 0, &uc);
	close(fd);
	ga_vm_free(&g);
}

ATF_TC(pmu_attrs);
ATF_TC_HEAD(pmu_attrs, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_ARM_VCPU_PMU_V3_CTRL: the overflow IRQ (a PPI) reads "
			  "back, is refused once set (EBUSY) and is the INTID the guest takes when its "
			  "software-increment counter wraps (PMOVSSET_EL0 then read through ONE_REG); an "
			  "event filter allowing only "
			  "CPU_CYCLES is what the guest's PMCEID0_EL0 shows; PMU_V3_INIT before the vGIC "
			  "is initialised is refused (ENODEV), after it accepted");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(pmu_attrs, tc)
{
	struct kvm_pmu_event_filter filter;
	struct kvm_vcpu *vcpu;
	struct ucall uc;
	struct ga_vm g;
	int fd, irq = 23, got = 0;
	uint64_t pmuver, wrapped;

	ga_vm_create(&g, GA_BLOB(gic));
	if (kvm_check_cap(g.vm.kvm_fd, KVM_CAP_ARM_PMU_V3) <= 0) {
		ga_vm_free(&g);
		atf_tc_skip("KVM_CAP_ARM_PMU_V3 absent");
	}
	vcpu = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2) | F(KVM_ARM_VCPU_PMU_V3));
	fd = vgic_create(&g);
	REQUIRE_OK(dev_attr(vcpu->fd, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_CTRL,
			    KVM_ARM_VCPU_PMU_V3_IRQ, &irq));
	REQUIRE_OK(dev_attr(vcpu->fd, KVM_GET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_CTRL,
			    KVM_ARM_VCPU_PMU_V3_IRQ, &got));
	ATF_CHECK_EQ_MSG(got, irq, "PMU overflow IRQ reads %d after SET %d", got, irq);
	ATF_CHECK_MSG(dev_attr(vcpu->fd, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_CTRL,
			       KVM_ARM_VCPU_PMU_V3_IRQ, &irq) == -EBUSY, "a second PMU IRQ was not "
		      "refused with EBUSY");
	memset(&filter, 0, sizeof(filter));
	filter.base_event = 0x11;	/* CPU_CYCLES */
	filter.nevents = 1;
	filter.action = KVM_PMU_EVENT_ALLOW;
	REQUIRE_OK(dev_attr(vcpu->fd, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_CTRL,
			    KVM_ARM_VCPU_PMU_V3_FILTER, &filter));
	ATF_CHECK_MSG(dev_attr(vcpu->fd, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_CTRL,
			       KVM_ARM_VCPU_PMU_V3_INIT, NULL) == -ENODEV, "PMU_V3_INIT before the "
		      "vGIC's CTRL_INIT was not refused with ENODEV");
	vgic_init(fd);
	REQUIRE_OK(dev_attr(vcpu->fd, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_CTRL,
			    KVM_ARM_VCPU_PMU_V3_INIT, NULL));
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.regs[0]), GM_PMU);
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.regs[1]), (uint64_t)irq);
	ga_run_expect(&g, vcpu, UCALL_SYNC, 2, &uc);
	ATF_CHECK_MSG(uc.args[1] & 1u << 0x11, "guest's PMCEID0_EL0 0x%llx lacks the allowed "
		      "CPU_CYCLES", (unsigned long long)uc.args[1]);
	ATF_CHECK_EQ_MSG(uc.args[1] & ~(1ULL << 0x11) & 0xffffffffULL, 0u, "guest's PMCEID0_EL0 "
			 "0x%llx shows events the filter does not allow",
			 (unsigned long long)uc.args[1]);
	/* A software-increment counter wraps: the overflow interrupt is the PPI set above. */
	ga_run_expect(&g, vcpu, UCALL_SYNC, 3, &uc);
	ATF_CHECK_EQ_MSG(uc.args[1], (uint64_t)irq, "the guest took the PMU overflow as INTID %llu, "
			 "the attribute says %d", (unsigned long long)uc.args[1], irq);
	ATF_CHECK_MSG(uc.args[2] & 1, "guest's PMOVSSET_EL0 0x%llx: counter 0 did not overflow",
		      (unsigned long long)uc.args[2]);
	ATF_CHECK_EQ_MSG(vcpu_get_reg(vcpu, arm64_sysreg_id(3, 3, 9, 12, 3)) & 1, 1u,
			 "PMOVSSET_EL0 through ONE_REG lacks the guest's overflow");
	/* PMCR_EL0.LP 0: the overflow is that of bits [31:0]; with FEAT_PMUv3p5 (the guest's
	 * ID_AA64DFR0_EL1.PMUVer 6 on, not 0xf) the event counter is 64 bits wide and carries
	 * into bit 32 (6.12's pmu-emul.c kvm_pmc_is_64bit; 6.1 offered the guest no more than
	 * PMUv3p4), else it wraps to 0 */
	pmuver = vcpu_get_reg(vcpu, arm64_sysreg_id(3, 0, 0, 5, 0)) >> 8 & 0xf;
	wrapped = pmuver >= 6 && pmuver != 0xf ? 1ULL << 32 : 0;
	ATF_CHECK_EQ_MSG(uc.args[3], wrapped, "guest's PMEVCNTR0_EL0 0x%llx after the wrap, "
			 "expected 0x%llx (PMUVer %llu)", (unsigned long long)uc.args[3],
			 (unsigned long long)wrapped, (unsigned long long)pmuver);
	ATF_CHECK_EQ_MSG(vcpu_get_reg(vcpu, arm64_sysreg_id(3, 3, 14, 8, 0)), uc.args[3],
			 "PMEVCNTR0_EL0 through ONE_REG is not the guest's wrapped counter");
	ga_run_expect(&g, vcpu, UCALL_DONE, 0, &uc);
	close(fd);
	ga_vm_free(&g);
	cov_struct("struct kvm_pmu_event_filter", true, "CPU_CYCLES allowed: guest's PMCEID0");
}

ATF_TC(its_device);
ATF_TC_HEAD(its_device, tc)
{
	atf_tc_set_md_var(tc, "descr", "A vGIC ITS through KVM_CREATE_DEVICE: its address reads "
			  "back, CTRL_INIT, and GITS_TYPER through KVM_DEV_ARM_VGIC_GRP_ITS_REGS says "
			  "physical LPIs");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(its_device, tc)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_ITS };
	uint64_t addr = GIC_ITS, got = 0, typer = 0;
	struct ga_vm g;
	int fd;

	ga_vm_create(&g, GA_BLOB(gic));
	ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2));
	fd = vgic_create(&g);
	if (__kvm_ioctl(g.vm.fd, KVM_CREATE_DEVICE, &cd) < 0) {
		int e = errno;

		close(fd);
		ga_vm_free(&g);
		atf_tc_skip("KVM_CREATE_DEVICE of KVM_DEV_TYPE_ARM_VGIC_ITS: %s (no ITS emulation)",
			    strerror(e));
	}
	REQUIRE_OK(dev_attr(cd.fd, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_ITS_ADDR_TYPE, &addr));
	REQUIRE_OK(dev_attr(cd.fd, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_ITS_ADDR_TYPE, &got));
	ATF_CHECK_EQ_MSG(got, GIC_ITS, "ITS address reads 0x%llx", (unsigned long long)got);
	vgic_init(fd);
	REQUIRE_OK(dev_attr(cd.fd, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
			    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL));
	REQUIRE_OK(dev_attr(cd.fd, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x8, &typer));
	ATF_CHECK_MSG(typer & 1, "GITS_TYPER.Physical clear (0x%llx)", (unsigned long long)typer);
	close((int)cd.fd);
	close(fd);
	ga_vm_free(&g);
}

ATF_TC(its_msi);
ATF_TC_HEAD(its_msi, tc)
{
	atf_tc_set_md_var(tc, "descr", "MSIs through the vGIC ITS the guest programs (LPI tables, "
			  "device and collection tables, MAPD/MAPC/MAPTI): KVM_SIGNAL_MSI with a device id "
			  "to GITS_TRANSLATER, and an irqfd on a GSI that KVM_SET_GSI_ROUTING makes an MSI "
			  "route, each taken by the guest's handler as the mapped LPI");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(its_msi, tc)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_ITS };
	struct {
		struct kvm_irq_routing r;
		struct kvm_irq_routing_entry e[1];
	} routing;
	const uint32_t gsi = 5;
	uint64_t addr = GIC_ITS, one = 1;
	struct kvm_irqfd irqfd;
	struct kvm_vcpu *vcpu;
	struct kvm_msi msi;
	struct ucall uc;
	struct ga_vm g;
	int fd, efd, r;

	ga_vm_create(&g, GA_BLOB(gic));
	vcpu = ga_vcpu_add(&g, F(KVM_ARM_VCPU_PSCI_0_2));
	fd = vgic_create(&g);
	if (__kvm_ioctl(g.vm.fd, KVM_CREATE_DEVICE, &cd) < 0) {
		int e = errno;

		close(fd);
		ga_vm_free(&g);
		atf_tc_skip("KVM_CREATE_DEVICE of KVM_DEV_TYPE_ARM_VGIC_ITS: %s", strerror(e));
	}
	/* The VM's answer, once it has an ITS: MSIs must carry a device id. */
	ATF_CHECK_MSG(kvm_check_cap(g.vm.fd, KVM_CAP_MSI_DEVID) > 0, "KVM_CAP_MSI_DEVID not set on "
		      "a VM with an ITS");
	REQUIRE_OK(dev_attr(cd.fd, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_ITS_ADDR_TYPE, &addr));
	vgic_init(fd);
	REQUIRE_OK(dev_attr(cd.fd, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
			    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL));
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.regs[0]), GM_ITS);
	ga_run_expect(&g, vcpu, UCALL_SYNC, 1, &uc);

	memset(&msi, 0, sizeof(msi));
	msi.address_lo = (uint32_t)(GIC_ITS + GITS_TRANSLATER);
	msi.address_hi = (uint32_t)((GIC_ITS + GITS_TRANSLATER) >> 32);
	msi.data = 0;				/* EventID 0 */
	msi.flags = KVM_MSI_VALID_DEVID;
	msi.devid = GM_ITS_DEVID;
	r = __kvm_ioctl(g.vm.fd, KVM_SIGNAL_MSI, &msi);
	ATF_CHECK_MSG(r > 0, "KVM_SIGNAL_MSI: %d (%s), expected delivery (> 0)", r,
		      r < 0 ? strerror(errno) : "blocked");
	spi_taken(&g, vcpu, 2, GM_ITS_LPI, "KVM_SIGNAL_MSI");

	memset(&routing, 0, sizeof(routing));
	routing.r.nr = 1;
	routing.e[0].gsi = gsi;
	routing.e[0].type = KVM_IRQ_ROUTING_MSI;
	routing.e[0].flags = KVM_MSI_VALID_DEVID;
	routing.e[0].u.msi.address_lo = msi.address_lo;
	routing.e[0].u.msi.address_hi = msi.address_hi;
	routing.e[0].u.msi.data = 0;
	routing.e[0].u.msi.devid = GM_ITS_DEVID;
	kvm_ioctl(g.vm.fd, KVM_SET_GSI_ROUTING, &routing.r);
	efd = eventfd(0, EFD_CLOEXEC);
	ATF_REQUIRE(efd >= 0);
	memset(&irqfd, 0, sizeof(irqfd));
	irqfd.fd = (uint32_t)efd;
	irqfd.gsi = gsi;
	kvm_ioctl(g.vm.fd, KVM_IRQFD, &irqfd);
	ATF_REQUIRE(write(efd, &one, sizeof(one)) == sizeof(one));
	spi_taken(&g, vcpu, 3, GM_ITS_LPI, "irqfd on an MSI route");
	ga_run_expect(&g, vcpu, UCALL_DONE, 0, &uc);
	close(efd);
	close((int)cd.fd);
	close(fd);
	ga_vm_free(&g);
	cov_ioctl("KVM_SIGNAL_MSI", COV_EXERCISED, "number,semantic: ITS MSI (device id) taken by "
		  "the guest as its mapped LPI");
	cov_ioctl("KVM_SET_GSI_ROUTING", COV_EXERCISED, "number,semantic: an MSI route fed by an "
		  "irqfd, taken by the guest as its LPI");
	cov_struct("struct kvm_msi", true, "address, data, flags, devid");
	cov_struct("struct kvm_irq_routing_entry", true, "gsi, type MSI, flags, u.msi");
}

ATF_TC(legacy_device_addr);
ATF_TC_HEAD(legacy_device_addr, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_ARM_SET_DEVICE_ADDR (the legacy vGIC-v2 addresses after "
			  "KVM_CREATE_IRQCHIP): distributor and CPU interface set, a second one EEXIST");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(legacy_device_addr, tc)
{
	struct kvm_arm_device_addr da;
	struct kvm_vm vm;

	vm_create(&vm);
	memset(&da, 0, sizeof(da));
	da.id = (uint64_t)KVM_ARM_DEVICE_VGIC_V2 << KVM_ARM_DEVICE_ID_SHIFT |
		KVM_VGIC_V2_ADDR_TYPE_DIST << KVM_ARM_DEVICE_TYPE_SHIFT;
	da.addr = GIC_DIST;
	if (ioctl(vm.fd, KVM_CREATE_IRQCHIP, 0UL) < 0) {
		int e = errno, r = __kvm_ioctl(vm.fd, KVM_ARM_SET_DEVICE_ADDR, &da) < 0 ? errno : 0;

		vm_free(&vm);
		/* The number is the kernel's even so: without a vGIC-v2, ENODEV (not ENOTTY). */
		ATF_REQUIRE_MSG(r == ENODEV, "KVM_ARM_SET_DEVICE_ADDR without a vGIC-v2: %s, expected "
				"ENODEV", r ? strerror(r) : "success");
		cov_ioctl("KVM_ARM_SET_DEVICE_ADDR", COV_REJECTED, "ENODEV: no vGIC-v2 (the host's GIC "
			  "has no GICv2 compatibility)");
		atf_tc_skip("KVM_CREATE_IRQCHIP (a vGIC-v2) refused: %s; the host's GIC has no GICv2 "
			    "compatibility, so there are no legacy KVM_ARM_SET_DEVICE_ADDR addresses "
			    "to set (without one: ENODEV)", strerror(e));
	}
	kvm_ioctl(vm.fd, KVM_ARM_SET_DEVICE_ADDR, &da);
	ATF_CHECK_MSG(__kvm_ioctl(vm.fd, KVM_ARM_SET_DEVICE_ADDR, &da) < 0 && errno == EEXIST,
		      "a second distributor address was not refused with EEXIST");
	da.id = (uint64_t)KVM_ARM_DEVICE_VGIC_V2 << KVM_ARM_DEVICE_ID_SHIFT |
		KVM_VGIC_V2_ADDR_TYPE_CPU << KVM_ARM_DEVICE_TYPE_SHIFT;
	da.addr = GIC_DIST + 0x10000;
	kvm_ioctl(vm.fd, KVM_ARM_SET_DEVICE_ADDR, &da);
	vm_free(&vm);
	cov_ioctl("KVM_ARM_SET_DEVICE_ADDR", COV_EXERCISED, "number,semantic: EEXIST on a second "
		  "distributor address");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, vgic_v3_attrs);
	ATF_TP_ADD_TC(tp, irq_line_spi);
	ATF_TP_ADD_TC(tp, irqfd_spi);
	ATF_TP_ADD_TC(tp, timer_irq_attrs);
	ATF_TP_ADD_TC(tp, pmu_attrs);
	ATF_TP_ADD_TC(tp, its_device);
	ATF_TP_ADD_TC(tp, its_msi);
	ATF_TP_ADD_TC(tp, legacy_device_addr);
	return atf_no_error();
}
