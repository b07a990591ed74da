/* conformance/guest/arm64/gic_layout.h - the vGIC-v3 the host of arm64_vgic_test creates and
 * gic.c drives: its guest physical addresses, register offsets, and the modes of gic.c (x0). */
#ifndef KVMGATE_GUEST_ARM64_GIC_LAYOUT_H
#define KVMGATE_GUEST_ARM64_GIC_LAYOUT_H

#define GIC_DIST	0x08000000ULL	/* 64 KiB */
#define GIC_REDIST	0x080a0000ULL	/* 128 KiB per vCPU: RD_base, then SGI_base */
#define GIC_ITS		0x08080000ULL	/* 128 KiB */
#define GIC_NR_IRQS	128		/* INTIDs 0..127: SPIs 32..127 */

#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_IPRIORITYR	0x0400
#define GICD_ICFGR	0x0c00
#define GICD_IROUTER	0x6000
#define GICR_TYPER	0x0008
#define GICR_WAKER	0x0014
#define GICR_SGI	0x10000
#define GICR_IGROUPR0	(GICR_SGI + 0x0080)
#define GICR_ISENABLER0	(GICR_SGI + 0x0100)
#define GICR_IPRIORITYR	(GICR_SGI + 0x0400)

#define GIC_PMR		0xf0	/* the priority mask the guest sets (the host reads it back) */

/* gic.c modes: x0 = mode, x1 = INTID, x2 = 1 for an edge-triggered SPI. */
#define GM_SPI		1	/* an SPI, twice: stages 2 and 3 report each interrupt */
#define GM_TIMER	2	/* the virtual timer's PPI (x1), armed to fire at once */
#define GM_PMU		3	/* stage 2: PMCEID0_EL0, PMCR_EL0; 3: the overflow PPI (x1) */
#define GM_ITS		4	/* ITS set up (stage 1), then two LPIs: stages 2 and 3 */
#define GM_ITS_DEVID	3	/* the device id the guest maps, event 0 ... */
#define GM_ITS_LPI	8200	/* ... to this LPI */
#define GITS_TRANSLATER	0x10040	/* from GIC_ITS */

#endif
