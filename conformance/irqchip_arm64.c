/* conformance/irqchip_arm64.c - arm64 part of irqchip.h: a vGIC v3 through KVM_CREATE_DEVICE
 * (KVM_DEV_TYPE_ARM_VGIC_V3), its distributor and redistributor placed with
 * KVM_DEV_ARM_VGIC_GRP_ADDR and initialized with KVM_DEV_ARM_VGIC_CTRL_INIT after vCPU 0. Pins are
 * SPIs configured edge-triggered (GICD_ICFGR) and read back from GICD_ISPENDR, which through the
 * device's KVM_DEV_ARM_VGIC_GRP_DIST_REGS reports the pending latch. */
#if defined(__aarch64__)
#include <atf-c.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "guest_progs_vm.h"
#include "irqchip.h"
#include "vm_util.h"

/* GICv3 architecture (Arm IHI 0069): distributor register offsets and the SPI numbering. */
#define GICD_ISPENDR 0x200
#define GICD_ICFGR 0xc00
#define GIC_SPI_BASE 32
/* Guest physical addresses of the distributor (64 KiB) and vCPU 0's redistributor (128 KiB),
 * clear of the layout's memory and MMIO ranges. */
#define DIST_GPA 0x08000000ull
#define REDIST_GPA 0x080a0000ull
/* "Pins" 0..3 are SPIs 40..43: GSI n of the default routing is SPI 32 + n. */
#define PIN_SPI0 8

const unsigned int irqchip_nr_pins = 4;

static void dev_attr(int fd, uint32_t group, uint64_t attr, void *val, bool set, const char *what)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uintptr_t)val };
	int r = ioctl(fd, set ? KVM_SET_DEVICE_ATTR : KVM_GET_DEVICE_ATTR, &a);

	ATF_REQUIRE_MSG(r == 0, "%s %s: %s", set ? "KVM_SET_DEVICE_ATTR" : "KVM_GET_DEVICE_ATTR",
			what, strerror(errno));
}

static uint32_t dist_read(struct irqchip *ic, uint32_t off)
{
	uint32_t v = 0;

	dev_attr(ic->dev_fd, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, off, &v, false, "GICD register");
	return v;
}

static void dist_write(struct irqchip *ic, uint32_t off, uint32_t v)
{
	dev_attr(ic->dev_fd, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, off, &v, true, "GICD register");
}

void irqchip_setup(struct irqchip *ic, struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	struct kvm_create_device cd;
	uint64_t addr;

	memset(ic, 0, sizeof(*ic));
	ic->vm = vm;
	ic->vcpu = vcpu;
	ic->dev_fd = -1;
	vmprog_vm_create(vm);
	vm_vcpu_add(vm, vcpu, 0);
	vmprog_vcpu_reset(vcpu);
	memset(&cd, 0, sizeof(cd));
	cd.type = KVM_DEV_TYPE_ARM_VGIC_V3;
	if (__kvm_ioctl(vm->fd, KVM_CREATE_DEVICE, &cd) < 0)
		atf_tc_skip("KVM_CREATE_DEVICE KVM_DEV_TYPE_ARM_VGIC_V3: %s", strerror(errno));
	ic->dev_fd = cd.fd;
	addr = DIST_GPA;
	dev_attr(ic->dev_fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &addr, true,
		 "KVM_VGIC_V3_ADDR_TYPE_DIST");
	addr = REDIST_GPA;
	dev_attr(ic->dev_fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &addr, true,
		 "KVM_VGIC_V3_ADDR_TYPE_REDIST");
	addr = 0;
	dev_attr(ic->dev_fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &addr, false,
		 "KVM_VGIC_V3_ADDR_TYPE_DIST");
	ATF_CHECK_EQ_MSG(addr, DIST_GPA, "distributor address reads back 0x%llx",
			 (unsigned long long)addr);
	dev_attr(ic->dev_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL, true,
		 "KVM_DEV_ARM_VGIC_CTRL_INIT");
	/* The pins edge-triggered: bit 1 of each SPI's two ICFGR bits. */
	for (unsigned int p = 0; p < irqchip_nr_pins; p++) {
		unsigned int spi = GIC_SPI_BASE + PIN_SPI0 + p;
		uint32_t off = GICD_ICFGR + spi / 16 * 4;

		dist_write(ic, off, dist_read(ic, off) | 2u << (spi % 16 * 2));
	}
	cov_ioctl("KVM_CREATE_DEVICE", COV_EXERCISED, "number,semantic: KVM_DEV_TYPE_ARM_VGIC_V3 "
		  "placed, initialized, SPIs latched by irqfd");
}

void irqchip_free(struct irqchip *ic)
{
	if (ic->dev_fd >= 0)
		ATF_CHECK_EQ(close(ic->dev_fd), 0);
	memset(ic, 0, sizeof(*ic));
	ic->dev_fd = -1;
}

uint32_t irqchip_default_gsi(unsigned int pin)
{
	return PIN_SPI0 + pin;
}

uint32_t irqchip_line_irq(unsigned int pin)
{
	return (uint32_t)KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT |
	       (uint32_t)(GIC_SPI_BASE + PIN_SPI0 + pin) << KVM_ARM_IRQ_NUM_SHIFT;
}

struct kvm_irq_routing_entry irqchip_route_pin(uint32_t gsi, unsigned int pin)
{
	struct kvm_irq_routing_entry e;

	memset(&e, 0, sizeof(e));
	e.gsi = gsi;
	e.type = KVM_IRQ_ROUTING_IRQCHIP;
	e.u.irqchip.irqchip = 0;
	e.u.irqchip.pin = PIN_SPI0 + pin;	/* SPI number from 0 */
	return e;
}

bool irqchip_pin_pending(struct irqchip *ic, unsigned int pin)
{
	unsigned int spi = GIC_SPI_BASE + PIN_SPI0 + pin;

	return dist_read(ic, GICD_ISPENDR + spi / 32 * 4) >> (spi % 32) & 1;
}

const char *irqchip_msi_unsupported(struct irqchip *ic)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_ITS,
					.flags = KVM_CREATE_DEVICE_TEST };

	if (__kvm_ioctl(ic->vm->fd, KVM_CREATE_DEVICE, &cd) < 0)
		return "KVM_DEV_TYPE_ARM_VGIC_ITS absent (MSIs on arm64 need a vGIC ITS)";
	return "an MSI through the vGIC ITS needs device, collection and translation tables mapped "
	       "(MAPD/MAPC/MAPTI) before it is delivered; not exercised yet";
}

void irqchip_msi(uint8_t vector, uint32_t *address_lo, uint32_t *address_hi, uint32_t *data)
{
	(void)vector;
	*address_lo = *address_hi = *data = 0;
	atf_tc_fail("irqchip_msi on arm64: see irqchip_msi_unsupported");
}

bool irqchip_msi_pending(struct irqchip *ic, uint8_t vector)
{
	(void)ic, (void)vector;
	atf_tc_fail("irqchip_msi_pending on arm64: see irqchip_msi_unsupported");
}
#endif
