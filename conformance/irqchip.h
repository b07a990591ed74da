/* conformance/irqchip.h - the in-kernel interrupt controller of the eventfd tests, per arch
 * (irqchip_x86_64.c: KVM_CREATE_IRQCHIP's PIC and local APIC; irqchip_arm64.c: a vGIC v3 made
 * with KVM_CREATE_DEVICE): GSI routing entries for its input pins, and whether a pin or an MSI
 * vector is pending, read back from the controller's state (nothing needs the guest to run). */
#ifndef KVMGATE_IRQCHIP_H
#define KVMGATE_IRQCHIP_H

#include <stdbool.h>
#include <stdint.h>

#include "kvm_util.h"

struct irqchip {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	int dev_fd;		/* arm64: the vGIC device; -1 on x86 */
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

/* MSIs (x86: to the local APIC of vCPU 0): NULL when the arch cannot take one here, with the
 * reason; otherwise the message for vector and whether vector is pending. */
const char *irqchip_msi_unsupported(struct irqchip *ic);
void irqchip_msi(uint8_t vector, uint32_t *address_lo, uint32_t *address_hi, uint32_t *data);
bool irqchip_msi_pending(struct irqchip *ic, uint8_t vector);

#endif
