/* conformance/irqchip_x86_64.c - x86 part of irqchip.h: KVM_CREATE_IRQCHIP (PIC, IOAPIC, a local
 * APIC per vCPU). Pins are the master PIC's inputs, read back from its irr (KVM_GET_IRQCHIP); MSIs
 * go to vCPU 0's local APIC, software-enabled through KVM_SET_LAPIC, and are read back from its
 * IRR (KVM_GET_LAPIC). */
#if defined(__x86_64__)
#include <atf-c.h>
#include <string.h>

#include "guest_progs_vm.h"
#include "irqchip.h"
#include "vm_util.h"

#define APIC_SPIV 0xf0
#define APIC_SPIV_ENABLE 0x100
#define APIC_IRR 0x200
#define MSI_ADDR_BASE 0xfee00000u	/* physical destination: APIC ID 0 */

/* Pins 3..6 of the master PIC: no timer (0), keyboard (1) or cascade (2). */
const unsigned int irqchip_nr_pins = 4;

void irqchip_setup(struct irqchip *ic, struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	struct kvm_lapic_state lapic;
	uint32_t spiv;

	memset(ic, 0, sizeof(*ic));
	ic->vm = vm;
	ic->vcpu = vcpu;
	ic->dev_fd = ic->its_fd = -1;
	vmprog_vm_create(vm);
	vm_require_cap(vm, KVM_CAP_IRQCHIP, "KVM_CREATE_IRQCHIP");
	kvm__check_ioctl(ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0UL), "KVM_CREATE_IRQCHIP", __FILE__,
			 __LINE__);
	vm_vcpu_add(vm, vcpu, 0);
	kvm_ioctl(vcpu->fd, KVM_GET_LAPIC, &lapic);
	memcpy(&spiv, &lapic.regs[APIC_SPIV], sizeof(spiv));
	spiv |= APIC_SPIV_ENABLE;
	memcpy(&lapic.regs[APIC_SPIV], &spiv, sizeof(spiv));
	kvm_ioctl(vcpu->fd, KVM_SET_LAPIC, &lapic);
	cov_ioctl("KVM_CREATE_IRQCHIP", COV_EXERCISED, "number,semantic: PIC irr and LAPIC IRR");
}

void irqchip_free(struct irqchip *ic)
{
	memset(ic, 0, sizeof(*ic));
}

uint32_t irqchip_default_gsi(unsigned int pin)
{
	return 3 + pin;
}

uint32_t irqchip_line_irq(unsigned int pin)
{
	return irqchip_default_gsi(pin);
}

struct kvm_irq_routing_entry irqchip_route_pin(uint32_t gsi, unsigned int pin)
{
	struct kvm_irq_routing_entry e;

	memset(&e, 0, sizeof(e));
	e.gsi = gsi;
	e.type = KVM_IRQ_ROUTING_IRQCHIP;
	e.u.irqchip.irqchip = KVM_IRQCHIP_PIC_MASTER;
	e.u.irqchip.pin = 3 + pin;
	return e;
}

bool irqchip_pin_pending(struct irqchip *ic, unsigned int pin)
{
	struct kvm_irqchip chip;

	memset(&chip, 0, sizeof(chip));
	chip.chip_id = KVM_IRQCHIP_PIC_MASTER;
	kvm_ioctl(ic->vm->fd, KVM_GET_IRQCHIP, &chip);
	return chip.chip.pic.irr >> (3 + pin) & 1;
}

const char *irqchip_msi_setup(struct irqchip *ic)
{
	(void)ic;
	return NULL;
}

void irqchip_msi(struct irqchip *ic, uint8_t vector, struct irqchip_msg *m)
{
	(void)ic;
	memset(m, 0, sizeof(*m));
	m->address_lo = MSI_ADDR_BASE;
	m->data = vector;	/* fixed delivery, edge */
}

bool irqchip_msi_untranslated(struct irqchip *ic, struct irqchip_msg *m)
{
	(void)ic, (void)m;
	return false;
}

bool irqchip_msi_pending(struct irqchip *ic, uint8_t vector)
{
	struct kvm_lapic_state lapic;
	uint32_t irr;

	kvm_ioctl(ic->vcpu->fd, KVM_GET_LAPIC, &lapic);
	memcpy(&irr, &lapic.regs[APIC_IRR + (vector / 32) * 0x10], sizeof(irr));
	return irr >> (vector % 32) & 1;
}
#endif
