/* conformance/irqchip.h - the in-kernel interrupt controller of the eventfd tests, per arch
 * (irqchip_x86_64.c: KVM_CREATE_IRQCHIP's PIC and local APIC; irqchip_arm64.c: a vGIC v3 made
 * with KVM_CREATE_DEVICE, irqchip_its_arm64.c: its ITS for MSIs): GSI routing entries for its
 * input pins, MSI messages, and whether a pin or an MSI is pending, read back from the
 * controller's state (nothing needs the guest to run). */
#ifndef KVMGATE_IRQCHIP_H
#define KVMGATE_IRQCHIP_H

#include <stdbool.h>
#include <stdint.h>

#include "kvm_util.h"

struct irqchip {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	int dev_fd;		/* arm64: the vGIC device; -1 on x86 */
	int its_fd;		/* arm64: its ITS, once irqchip_msi_setup made it; -1 otherwise */
	void *its_mem;		/* arm64: the memory slot of the ITS tables (struct memslot) */
};

/* The pins the tests use, each on its own, all edge-triggered (irqfd pulses 1 then 0). */
extern const unsigned int irqchip_nr_pins;

/* irqchip_setup: vm (vmprog_vm_create), the interrupt controller and vcpu 0, in the order the
 * arch needs; atf_tc_skip naming what is missing. */
void irqchip_setup(struct irqchip *ic, struct kvm_vm *vm, struct kvm_vcpu *vcpu);
void irqchip_free(struct irqchip *ic);

/* irqchip_default_gsi: the GSI that the kernel's default routing wires to pin. */
uint32_t irqchip_default_gsi(unsigned int pin);
/* irqchip_line_irq: kvm_irq_level.irq of KVM_IRQ_LINE for pin (x86: its default GSI; arm64: the
 * SPI, type and number encoded as KVM_ARM_IRQ_TYPE_SPI). */
uint32_t irqchip_line_irq(unsigned int pin);
/* irqchip_route_pin: a KVM_IRQ_ROUTING_IRQCHIP entry from gsi to pin. */
struct kvm_irq_routing_entry irqchip_route_pin(uint32_t gsi, unsigned int pin);
/* irqchip_pin_pending: the pin's interrupt is pending (latched) in the controller. */
bool irqchip_pin_pending(struct irqchip *ic, unsigned int pin);

/* An MSI as KVM_SIGNAL_MSI and an MSI routing entry carry it (flags: KVM_MSI_VALID_DEVID). */
struct irqchip_msg {
	uint32_t address_lo, address_hi, data, flags, devid;
};

/* irqchip_msi_setup: make MSIs deliverable (x86: nothing to do; arm64: a vGIC ITS with device 5's
 * events 0..15 translated to LPIs 8192..8207 on vCPU 0, LPIs enabled); NULL, or why they cannot
 * be here (the caller skips with it). */
const char *irqchip_msi_setup(struct irqchip *ic);
/* irqchip_msi: the message for vector (x86: to vCPU 0's local APIC; arm64: event vector % 16 of
 * device 5 through the ITS); irqchip_msi_pending: whether it is pending. */
void irqchip_msi(struct irqchip *ic, uint8_t vector, struct irqchip_msg *m);
bool irqchip_msi_pending(struct irqchip *ic, uint8_t vector);
/* irqchip_msi_untranslated: a message the controller accepts but has no translation for (arm64:
 * an event of device 5 the ITS does not map); false where every message translates (x86). */
bool irqchip_msi_untranslated(struct irqchip *ic, struct irqchip_msg *m);

#endif
