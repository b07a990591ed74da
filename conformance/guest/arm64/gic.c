/* conformance/guest/arm64/gic.c - guest side of arm64_vgic_test: a GICv3 driver of the least
 * kind (system register CPU interface, group 1, distributor with affinity routing, redistributor
 * awake), an IRQ handler that acknowledges through ICC_IAR1_EL1 and records the INTID, and the
 * two sources the host raises: an SPI (KVM_IRQ_LINE, irqfd) and the virtual timer's PPI; and the
 * PMU's common-event bitmap as the vCPU's event filter leaves it. */
#include "guest_lib.h"
#include "gic_layout.h"

#define ICC_PMR_EL1	S3_0_C4_C6_0
#define ICC_IAR1_EL1	S3_0_C12_C12_0
#define ICC_EOIR1_EL1	S3_0_C12_C12_1
#define ICC_BPR1_EL1	S3_0_C12_C12_3
#define ICC_CTLR_EL1	S3_0_C12_C12_4
#define ICC_SRE_EL1	S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1	S3_0_C12_C12_7

static volatile uint64_t irq_count, last_intid;

static void w32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static uint32_t r32(uint64_t addr)
{
	return *(volatile uint32_t *)addr;
}

static void irq_handler(struct ex_regs *regs, uint64_t esr)
{
	uint64_t iar = read_sysreg(ICC_IAR1_EL1);

	(void)esr;
	regs->pstate |= 0x80;		/* return with IRQs masked: a level that stays high */
	last_intid = iar & 0xffffff;
	irq_count++;
	if (last_intid == 1023)		/* spurious */
		return;
	write_sysreg(cntv_ctl_el0, 2);	/* IMASK: a timer interrupt fires once */
	write_sysreg(ICC_EOIR1_EL1, iar);
	isb();
}

static void gic_init(void)
{
	uint64_t rd = GIC_REDIST;	/* vCPU 0's frames */

	write_sysreg(ICC_SRE_EL1, read_sysreg(ICC_SRE_EL1) | 1);
	isb();
	w32(GIC_DIST + GICD_CTLR, (1u << 4) | (1u << 1));	/* ARE, EnableGrp1 */
	w32(rd + GICR_WAKER, r32(rd + GICR_WAKER) & ~2u);	/* ProcessorSleep off */
	for (int i = 0; i < 1000 && (r32(rd + GICR_WAKER) & 4u); i++)
		;
	write_sysreg(ICC_PMR_EL1, GIC_PMR);
	write_sysreg(ICC_BPR1_EL1, 0);
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
	guest_install_handler(VEC_EL1H_IRQ, 0, irq_handler);
}

static void spi_enable(uint32_t intid, int edge)
{
	uint64_t cfg = GIC_DIST + GICD_ICFGR + intid / 16 * 4;
	uint32_t shift = intid % 16 * 2 + 1;

	w32(GIC_DIST + GICD_IGROUPR + intid / 32 * 4, r32(GIC_DIST + GICD_IGROUPR + intid / 32 * 4) |
	    1u << (intid % 32));
	*(volatile uint8_t *)(GIC_DIST + GICD_IPRIORITYR + intid) = 0xa0;
	w32(cfg, (r32(cfg) & ~(1u << shift)) | (uint32_t)(edge ? 1 : 0) << shift);
	*(volatile uint64_t *)(GIC_DIST + GICD_IROUTER + 8 * intid) = 0;	/* Aff 0.0.0.0 */
	w32(GIC_DIST + GICD_ISENABLER + intid / 32 * 4, 1u << (intid % 32));
}

static void ppi_enable(uint32_t intid)
{
	w32(GIC_REDIST + GICR_IGROUPR0, r32(GIC_REDIST + GICR_IGROUPR0) | 1u << intid);
	*(volatile uint8_t *)(GIC_REDIST + GICR_IPRIORITYR + intid) = 0xa0;
	w32(GIC_REDIST + GICR_ISENABLER0, 1u << intid);
}

/* wait_irq: IRQs on until one more interrupt was taken (bounded: 0 if none came). */
static int wait_irq(uint64_t before)
{
	local_irq_enable();
	for (long i = 0; i < 20000000 && irq_count == before; i++)
		__asm__ volatile("nop");
	local_irq_disable();
	return irq_count != before;
}

void guest_main(uint64_t mode, uint64_t intid, uint64_t edge, uint64_t a3)
{
	(void)a3;
	gic_init();
	if (mode == GM_SPI) {
		spi_enable((uint32_t)intid, (int)edge);
		GUEST_SYNC_ARGS(1, read_sysreg(ICC_PMR_EL1), r32(GIC_DIST + GICD_TYPER),
				r32(GIC_REDIST + GICR_TYPER), read_sysreg(ICC_SRE_EL1));
		for (int stage = 2; stage <= 3; stage++) {
			uint64_t n = irq_count;

			GUEST_ASSERT(wait_irq(n));
			GUEST_SYNC_ARGS(stage, last_intid, irq_count - n, 0, 0);
		}
	} else if (mode == GM_TIMER) {
		ppi_enable((uint32_t)intid);
		write_sysreg(cntv_cval_el0, read_sysreg(cntvct_el0));
		write_sysreg(cntv_ctl_el0, 1);	/* ENABLE, not masked: fires now */
		isb();
		GUEST_ASSERT(wait_irq(0));
		GUEST_SYNC_ARGS(2, last_intid, irq_count, 0, 0);
	} else if (mode == GM_PMU) {
		GUEST_SYNC_ARGS(2, read_sysreg(pmceid0_el0), read_sysreg(pmcr_el0), 0, 0);
	} else {
		GUEST_ASSERT(0);
	}
	GUEST_DONE();
}
