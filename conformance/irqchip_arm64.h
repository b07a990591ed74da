/* conformance/irqchip_arm64.h - what the two arm64 parts of irqchip.h share (irqchip_arm64.c, the
 * vGIC v3 and its SPIs; irqchip_its_arm64.c, its ITS and LPIs): the guest physical layout and
 * the GICv3 architecture's register offsets (Arm IHI 0069; the hardware's, not KVM's, ABI). */
#ifndef KVMGATE_IRQCHIP_ARM64_H
#define KVMGATE_IRQCHIP_ARM64_H

/* Distributor (64 KiB), ITS (128 KiB) and vCPU 0's redistributor (128 KiB), clear of the layout's
 * memory and MMIO ranges (QEMU virt's places). */
#define DIST_GPA 0x08000000ull
#define ITS_GPA 0x08080000ull
#define REDIST_GPA 0x080a0000ull

#define GICD_ISPENDR 0x200
#define GICD_ICFGR 0xc00
#define GICR_CTLR 0x0000
#define GICR_CTLR_ENABLE_LPIS 0x1
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GITS_CTLR 0x0000
#define GITS_CTLR_ENABLE 0x1
#define GITS_CBASER 0x0080
#define GITS_BASER0 0x0100	/* the device table; BASER1 (+8) the collection table */
#define GITS_TRANSLATER 0x10040
#define GIC_SPI_BASE 32
#define GIC_LPI_BASE 8192

/* "Pins" 0..3 are SPIs 40..43: GSI n of the default routing is SPI 32 + n. */
#define PIN_SPI0 8

#endif
