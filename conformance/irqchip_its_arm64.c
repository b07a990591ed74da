/* conformance/irqchip_its_arm64.c - MSIs of irqchip.h on arm64: the vGIC's ITS
 * (KVM_DEV_TYPE_ARM_VGIC_ITS, made by irqchip_setup), its tables written to guest memory in KVM's
 * ITS table ABI (arm-vgic-its.rst, REV0) and loaded with KVM_DEV_ARM_ITS_RESTORE_TABLES: device 5's
 * events 0..13 translate to LPIs 8192..8205 of collection 0 on vCPU 0, events 14 and 15 to
 * nothing. An LPI's pending state is read back from vCPU 0's pending table after
 * KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES. */
#if defined(__aarch64__)
#include <atf-c.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "irqchip.h"
#include "irqchip_arm64.h"
#include "vm_util.h"

#define ITS_DEVID 5
#define ITS_EVENT_BITS 4	/* 16 events */
#define ITS_MAPPED_EVENTS 14
#define ITS_LPI_ID_BITS 14	/* INTIDs below 16384: LPIs 8192..16383 */

/* The ITS tables' memory slot, in the layout's free range. */
#define ITS_SLOT 10
#define ITS_MEM_SIZE 0x40000
#define OFF_DEVICE_TABLE 0x00000	/* 64 KiB (one ITS page), 8-byte entries by DeviceID */
#define OFF_COLL_TABLE 0x10000		/* 64 KiB, entries until an invalid one */
#define OFF_ITT 0x20000			/* 8-byte entries by EventID, 256-byte aligned */
#define OFF_CMDQ 0x21000		/* 4 KiB, unused: GITS_CTLR needs a valid GITS_CBASER */
#define OFF_PROP 0x22000		/* LPI configuration, a byte per LPI from 8192 */
#define OFF_PEND 0x30000		/* LPI pending bits by INTID, 64 KiB aligned */

/* GICv3 register fields (Arm IHI 0069) and the REV0 table entries (arm-vgic-its.rst). */
#define BASER_VALID (1ull << 63)
#define DTE_VALID (1ull << 63)
#define DTE_ITT_SHIFT 5		/* ITT_addr[51:8] in bits 48:5 */
#define CTE_VALID (1ull << 63)
#define CTE_RDBASE_SHIFT 16
#define ITE_NEXT_SHIFT 48
#define ITE_PINTID_SHIFT 16
#define LPI_CONFIG_ENABLED_PRIO_A0 0xa1

static uint64_t its_mem_gpa(void)
{
	return vmprog_layout.free_gpa;
}

static void put_u64(struct memslot *ms, uint64_t off, uint64_t v)
{
	memcpy(ms->host + off, &v, sizeof(v));	/* the tables are little-endian, as this host */
}

static void its_reg(struct irqchip *ic, uint64_t off, uint64_t v, const char *what)
{
	device_attr(ic->its_fd, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, off, &v, true, what);
}

static uint64_t its_reg_read(struct irqchip *ic, uint64_t off, const char *what)
{
	uint64_t v = 0;

	device_attr(ic->its_fd, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, off, &v, false, what);
	return v;
}

/* redist_reg64: a 64-bit redistributor register of vCPU 0 (MPIDR 0), as two 32-bit halves. */
static void redist_reg64(struct irqchip *ic, uint32_t off, uint64_t v, const char *what)
{
	uint32_t half = (uint32_t)v;

	device_attr(ic->dev_fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, off, &half, true, what);
	half = (uint32_t)(v >> 32);
	device_attr(ic->dev_fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, off + 4, &half, true, what);
}

const char *irqchip_msi_setup(struct irqchip *ic)
{
	const uint64_t base = its_mem_gpa();
	struct memslot *ms;
	uint32_t ctlr = GICR_CTLR_ENABLE_LPIS;

	if (ic->its_fd < 0)
		return "KVM_DEV_TYPE_ARM_VGIC_ITS absent (MSIs on arm64 need a vGIC ITS)";
	if (ic->its_mem != NULL)
		return NULL;
	ms = calloc(1, sizeof(*ms));
	ATF_REQUIRE(ms != NULL);
	memslot_add(ic->vm, ms, ITS_SLOT, base, ITS_MEM_SIZE, 0, 0);
	ic->its_mem = ms;

	put_u64(ms, OFF_DEVICE_TABLE + ITS_DEVID * 8, DTE_VALID |
		(base + OFF_ITT) >> 8 << DTE_ITT_SHIFT | (ITS_EVENT_BITS - 1));
	put_u64(ms, OFF_COLL_TABLE, CTE_VALID | 0ull << CTE_RDBASE_SHIFT | 0 /* ICID */);
	for (unsigned int e = 0; e < ITS_MAPPED_EVENTS; e++) {
		uint64_t next = e + 1 < ITS_MAPPED_EVENTS ? 1 : 0;

		put_u64(ms, OFF_ITT + e * 8, next << ITE_NEXT_SHIFT |
			(uint64_t)(GIC_LPI_BASE + e) << ITE_PINTID_SHIFT | 0 /* ICID */);
		ms->host[OFF_PROP + e] = LPI_CONFIG_ENABLED_PRIO_A0;
	}

	/* The redistributor first (LPI tables, then LPIs on), as the restore sequence wants. */
	redist_reg64(ic, GICR_PROPBASER, (base + OFF_PROP) | (ITS_LPI_ID_BITS - 1),
		     "GICR_PROPBASER");
	redist_reg64(ic, GICR_PENDBASER, base + OFF_PEND, "GICR_PENDBASER");
	device_attr(ic->dev_fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, GICR_CTLR, &ctlr, true,
		    "GICR_CTLR.EnableLPIs");
	ctlr = 0;
	device_attr(ic->dev_fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, GICR_CTLR, &ctlr, false,
		    "GICR_CTLR");
	ATF_REQUIRE_MSG(ctlr & GICR_CTLR_ENABLE_LPIS, "GICR_CTLR 0x%x: LPIs not enabled", ctlr);

	its_reg(ic, GITS_CBASER, BASER_VALID | (base + OFF_CMDQ), "GITS_CBASER");
	its_reg(ic, GITS_BASER0, BASER_VALID | (base + OFF_DEVICE_TABLE), "GITS_BASER0 (devices)");
	its_reg(ic, GITS_BASER0 + 8, BASER_VALID | (base + OFF_COLL_TABLE),
		"GITS_BASER1 (collections)");
	device_attr(ic->its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_ITS_RESTORE_TABLES, NULL, true,
		    "KVM_DEV_ARM_ITS_RESTORE_TABLES");
	its_reg(ic, GITS_CTLR, GITS_CTLR_ENABLE, "GITS_CTLR");
	ATF_REQUIRE_MSG(its_reg_read(ic, GITS_CTLR, "GITS_CTLR") & GITS_CTLR_ENABLE,
			"the ITS did not enable (its tables refused?)");
	cov_ioctl("KVM_CREATE_DEVICE", COV_EXERCISED, "number,semantic: KVM_DEV_TYPE_ARM_VGIC_ITS "
		  "tables restored, MSIs reach their LPI");
	return NULL;
}

void irqchip_msi(struct irqchip *ic, uint8_t vector, struct irqchip_msg *m)
{
	(void)ic;
	memset(m, 0, sizeof(*m));
	m->address_lo = (uint32_t)(ITS_GPA + GITS_TRANSLATER);
	m->address_hi = (uint32_t)((ITS_GPA + GITS_TRANSLATER) >> 32);
	m->data = vector % (1u << ITS_EVENT_BITS);
	m->flags = KVM_MSI_VALID_DEVID;
	m->devid = ITS_DEVID;
	ATF_REQUIRE_MSG(m->data < ITS_MAPPED_EVENTS, "vector 0x%x: event %u is not mapped", vector,
			m->data);
}

bool irqchip_msi_pending(struct irqchip *ic, uint8_t vector)
{
	const struct memslot *ms = ic->its_mem;
	unsigned int intid = GIC_LPI_BASE + vector % (1u << ITS_EVENT_BITS);

	ATF_REQUIRE(ms != NULL);
	device_attr(ic->dev_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
		    NULL, true, "KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES");
	return ms->host[OFF_PEND + intid / 8] >> (intid % 8) & 1;
}

bool irqchip_msi_untranslated(struct irqchip *ic, struct irqchip_msg *m)
{
	irqchip_msi(ic, 0, m);
	m->data = ITS_MAPPED_EVENTS + 1;
	return true;
}
#endif
