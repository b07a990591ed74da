/* conformance/guest/arm64/gic.c - guest side of arm64_vgic_test: a GICv3 driver of the least
 * kind (system register CPU interface, group 1, distributor with affinity routing, redistributor
 * awake), an IRQ handler that acknowledges through ICC_IAR1_EL1 and records the INTID, and the
 * sources the host raises: an SPI (KVM_IRQ_LINE, irqfd), the virtual timer's PPI, an LPI through
 * the ITS the guest programs (KVM_SIGNAL_MSI, an MSI route), the PMU's overflow interrupt (a
 * software-increment counter wrapping); and the PMU's common-event bitmap as the vCPU's event
 * filter leaves it. */
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

/* The ITS: LPI tables of the redistributor, the ITS's device and collection tables and command
 * queue, all in guest memory; one device (GM_ITS_DEVID) with one event (0) mapped to LPI
 * GM_ITS_LPI in collection 0 on this vCPU. */
#define GITS_CTLR	0x0000
#define GITS_TYPER	0x0008
#define GITS_CBASER	0x0080
#define GITS_CWRITER	0x0088
#define GITS_CREADR	0x0090
#define GITS_BASER	0x0100
#define GICR_CTLR	0x0000
#define GICR_PROPBASER	0x0070
#define GICR_PENDBASER	0x0078
#define LPI_IDBITS	14		/* INTIDs below 16384: LPIs 8192..16383 */

static uint8_t lpi_prop[1 << (LPI_IDBITS - 1)] __attribute__((aligned(4096)));
static uint8_t lpi_pend[1 << (LPI_IDBITS - 3)] __attribute__((aligned(65536)));
/* KVM's ITS takes 64K pages (PA bits 15:12 of a BASER would be PA[51:48]): one page each. */
static uint8_t its_devices[65536] __attribute__((aligned(65536)));
static uint8_t its_collections[65536] __attribute__((aligned(65536)));
static uint8_t its_itt[256] __attribute__((aligned(256)));
static uint64_t its_cmdq[4096 / 8] __attribute__((aligned(65536)));
static unsigned int cmd_next;

static void w64(uint64_t addr, uint64_t v)
{
	*(volatile uint64_t *)addr = v;
}

static uint64_t r64(uint64_t addr)
{
	return *(volatile uint64_t *)addr;
}

static void its_cmd(uint64_t d0, uint64_t d1, uint64_t d2)
{
	uint64_t *c = &its_cmdq[cmd_next * 4];

	c[0] = d0;
	c[1] = d1;
	c[2] = d2;
	c[3] = 0;
	cmd_next = (cmd_next + 1) % (4096 / 32);
	dsb(ish);
	w64(GIC_ITS + GITS_CWRITER, (uint64_t)cmd_next * 32);
	for (int i = 0; i < 100000 && r64(GIC_ITS + GITS_CREADR) != (uint64_t)cmd_next * 32; i++)
		;
	GUEST_ASSERT_EQ(r64(GIC_ITS + GITS_CREADR), (uint64_t)cmd_next * 32);
}

static void its_init(void)
{
	uint64_t typer = r64(GIC_ITS + GITS_TYPER);
	uint64_t itt_entry = ((typer >> 4) & 0xf) + 1;
	uint64_t rdbase = (typer >> 19) & 1 ? GIC_REDIST : 0;	/* PTA: address, else number 0 */
	uint8_t *tables[2] = { its_devices, its_collections };
	int t = 0;

	GUEST_ASSERT(r32(GIC_DIST + GICD_TYPER) & 1u << 17);	/* LPIS */
	GUEST_ASSERT(itt_entry * 2 <= sizeof(its_itt));
	lpi_prop[GM_ITS_LPI - 8192] = 0xa0 | 1;			/* priority, enabled */
	dsb(ish);
	w64(GIC_REDIST + GICR_PROPBASER, (uint64_t)lpi_prop | (LPI_IDBITS - 1));
	w64(GIC_REDIST + GICR_PENDBASER, (uint64_t)lpi_pend);
	w32(GIC_REDIST + GICR_CTLR, r32(GIC_REDIST + GICR_CTLR) | 1);	/* EnableLPIs */
	for (int n = 0; n < 8 && t < 2; n++) {
		uint64_t baser = r64(GIC_ITS + GITS_BASER + 8 * n), type = (baser >> 56) & 7;

		if (type != 1 && type != 4)	/* devices, collections */
			continue;
		w64(GIC_ITS + GITS_BASER + 8 * n, 1ULL << 63 | (baser & (0x1fULL << 48)) |
		    type << 56 | (uint64_t)tables[t++] | 2u << 8);	/* one 64K page, flat */
	}
	GUEST_ASSERT_EQ(t, 2);
	w64(GIC_ITS + GITS_CBASER, 1ULL << 63 | (uint64_t)its_cmdq);	/* one page */
	w64(GIC_ITS + GITS_CWRITER, 0);
	w32(GIC_ITS + GITS_CTLR, 1);					/* Enabled */
	its_cmd(0x09, 0, 1ULL << 63 | (rdbase >> 16 << 16) | 0);	/* MAPC ICID 0 */
	its_cmd(0x08 | (uint64_t)GM_ITS_DEVID << 32, 1 - 1,		/* MAPD, 1 EventID bit */
		1ULL << 63 | (uint64_t)its_itt);
	its_cmd(0x0a | (uint64_t)GM_ITS_DEVID << 32, (uint64_t)GM_ITS_LPI << 32 | 0, 0); /* MAPTI */
	its_cmd(0x05, 0, rdbase >> 16 << 16);				/* SYNC */
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
	} else if (mode == GM_ITS) {
		its_init();
		GUEST_SYNC(1);
		for (int stage = 2; stage <= 3; stage++) {
			uint64_t n = irq_count;

			GUEST_ASSERT(wait_irq(n));
			GUEST_SYNC_ARGS(stage, last_intid, irq_count - n, 0, 0);
		}
	} else if (mode == GM_PMU) {	/* intid: the PMU's overflow PPI */
		GUEST_SYNC_ARGS(2, read_sysreg(pmceid0_el0), read_sysreg(pmcr_el0), 0, 0);
		ppi_enable((uint32_t)intid);
		write_sysreg(pmevtyper0_el0, 0);	/* SW_INCR */
		write_sysreg(pmevcntr0_el0, 0xffffffff);
		write_sysreg(pmintenset_el1, 1);
		write_sysreg(pmcntenset_el0, 1);
		write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) | 1);	/* E */
		isb();
		write_sysreg(pmswinc_el0, 1);	/* counter 0 overflows */
		isb();
		GUEST_ASSERT(wait_irq(0));
		GUEST_SYNC_ARGS(3, last_intid, read_sysreg(pmovsset_el0), read_sysreg(pmevcntr0_el0),
				irq_count);
	} else {
		GUEST_ASSERT(0);
	}
	GUEST_DONE();
}
