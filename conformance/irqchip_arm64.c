/* conformance/irqchip_arm64.c - arm64 part of irqchip.h: a vGIC v3 through KVM_CREATE_DEVICE
 * (KVM_DEV_TYPE_ARM_VGIC_V3), its distributor and redistributor placed with
 * KVM_DEV_ARM_VGIC_GRP_ADDR and initialized with KVM_DEV_ARM_VGIC_CTRL_INIT after vCPU 0. Pins are
 * SPIs configured edge-triggered (GICD_ICFGR) and read back from GICD_ISPENDR, which through the
 * device's KVM_DEV_ARM_VGIC_GRP_DIST_REGS reports the pending latch. MSIs: irqchip_its_arm64.c. */
#if defined(__aarch64__)
#include <atf-c.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest_progs_vm.h"
#include "irqchip.h"
#include "vm_util.h"

#include "irqchip_arm64.h"

const unsigned int irqchip_nr_pins = 4;

static uint32_t dist_read(struct irqchip *ic, uint32_t off)
{
	uint32_t v = 0;

	device_attr(ic->dev_fd, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, off, &v, false, "GICD register");
	return v;
}

static void dist_write(struct irqchip *ic, uint32_t off, uint32_t v)
{
	device_attr(ic->dev_fd, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, off, &v, true, "GICD register");
}

void irqchip_setup(struct irqchip *ic, struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	struct kvm_create_device cd;
	uint64_t addr;

	memset(ic, 0, sizeof(*ic));
	ic->vm = vm;
	ic->vcpu = vcpu;
	ic->dev_fd = ic->its_fd = -1;
	vmprog_vm_create(vm);
	vm_vcpu_add(vm, vcpu, 0);
	vmprog_vcpu_reset(vcpu);
	memset(&cd, 0, sizeof(cd));
	cd.type = KVM_DEV_TYPE_ARM_VGIC_V3;
	if (__kvm_ioctl(vm->fd, KVM_CREATE_DEVICE, &cd) < 0)
		atf_tc_skip("KVM_CREATE_DEVICE KVM_DEV_TYPE_ARM_VGIC_V3: %s", strerror(errno));
	ic->dev_fd = cd.fd;
	addr = DIST_GPA;
	device_attr(ic->dev_fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &addr, true,
		 "KVM_VGIC_V3_ADDR_TYPE_DIST");
	addr = REDIST_GPA;
	device_attr(ic->dev_fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &addr, true,
		 "KVM_VGIC_V3_ADDR_TYPE_REDIST");
	addr = 0;
	device_attr(ic->dev_fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &addr, false,
		 "KVM_VGIC_V3_ADDR_TYPE_DIST");
	ATF_CHECK_EQ_MSG(addr, DIST_GPA, "distributor address reads back 0x%llx",
			 (unsigned long long)addr);
	/* The ITS (for irqchip_msi_setup), before the vGIC's initialization, where it exists. */
	memset(&cd, 0, sizeof(cd));
	cd.type = KVM_DEV_TYPE_ARM_VGIC_ITS;
	if (__kvm_ioctl(vm->fd, KVM_CREATE_DEVICE, &cd) == 0) {
		ic->its_fd = cd.fd;
		addr = ITS_GPA;
		device_attr(ic->its_fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, &addr, true,
			    "KVM_VGIC_ITS_ADDR_TYPE");
		device_attr(ic->its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL,
			    true, "KVM_DEV_ARM_VGIC_CTRL_INIT of the ITS");
	}
	device_attr(ic->dev_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL, true,
		 "KVM_DEV_ARM_VGIC_CTRL_INIT");
	/* The pins edge-triggered: bit 1 of each SPI's two ICFGR bits. */
	for (unsigned int p = 0; p < irqchip_nr_pins; p++) {
		unsigned int spi = GIC_SPI_BASE + PIN_SPI0 + p;
		uint32_t off = GICD_ICFGR + spi / 16 * 4;

		dist_write(ic, off, dist_read(ic, off) | 2u << (spi % 16 * 2));
	}
	cov_ioctl("KVM_CREATE_DEVICE", COV_EXERCISED, "number,semantic: KVM_DEV_TYPE_ARM_VGIC_V3 "
		  "placed, initialized, SPIs latched by irqfd");
	cov_ioctl("KVM_SET_DEVICE_ATTR", COV_EXERCISED, "number,semantic: vGIC addresses, "
		  "CTRL_INIT, GICD_ICFGR; ITS registers and tables");
	cov_ioctl("KVM_GET_DEVICE_ATTR", COV_EXERCISED, "number,semantic: the distributor's address "
		  "back, GICD_ISPENDR");
	cov_struct("struct kvm_device_attr", false, "an address, not a value: checked through the "
		   "registers it reaches");
}

void irqchip_free(struct irqchip *ic)
{
	if (ic->its_fd >= 0)
		ATF_CHECK_EQ(close(ic->its_fd), 0);
	if (ic->its_mem != NULL) {
		memslot_free(ic->its_mem);
		free(ic->its_mem);
	}
	if (ic->dev_fd >= 0)
		ATF_CHECK_EQ(close(ic->dev_fd), 0);
	memset(ic, 0, sizeof(*ic));
	ic->dev_fd = ic->its_fd = -1;
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

#endif
