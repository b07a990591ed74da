/* conformance/guest/x86_64/apic.c - guest side of x86_lapic_test: the local APIC's registers read
 * from its page (0xfee00000) after the host set them, and written for the host to read back;
 * handlers that record the vectors of interrupts, exceptions and NMIs the host injects. */
#include "x86g.h"

#define APIC_PAGE 0xfee00000ul
#define LAPIC_PROBE_N 12

/* The registers of the probe, by offset in the APIC page. */
const uint32_t lapic_offsets[LAPIC_PROBE_N] = {
	0x020, 0x030, 0x080, 0x0d0, 0x0e0, 0x0f0, 0x320, 0x350, 0x360, 0x370, 0x380, 0x3e0,
};
uint32_t lapic_seen[LAPIC_PROBE_N];
uint32_t lapic_load[LAPIC_PROBE_N];	/* 0: not written */

static volatile uint32_t *apic_reg(uint32_t off)
{
	return (volatile uint32_t *)(APIC_PAGE + off);
}

/* lapic_probe: every register of lapic_offsets into lapic_seen, GUEST_SYNC(1), then each nonzero
 * lapic_load[i] written to its register, return. */
void lapic_probe(void);
void lapic_probe(void)
{
	for (int i = 0; i < LAPIC_PROBE_N; i++)
		lapic_seen[i] = *apic_reg(lapic_offsets[i]);
	GUEST_SYNC(1);
	for (int i = 0; i < LAPIC_PROBE_N; i++)
		if (lapic_load[i])
			*apic_reg(lapic_offsets[i]) = lapic_load[i];
}

static volatile uint64_t irq_seen[8];
static volatile uint64_t irq_count;

static void record(struct x86g_frame *f)
{
	if (irq_count < 8)
		irq_seen[irq_count] = f->vector;
	irq_count++;
}

/* irq_probe: handlers on vectors 0x40, 0x41, 19 (#XM) and 2 (NMI); between stages the host
 * injects one event, and each GUEST_SYNC(stage, count, vector) says what arrived: stage 1 -> 2
 * with interrupts enabled for a moment (KVM_INTERRUPT waits for them), the others with them
 * disabled (injected events and NMIs do not). */
void irq_probe(void);
void irq_probe(void)
{
	x86g_set_handler(0x40, record);
	x86g_set_handler(0x41, record);
	x86g_set_handler(19, record);
	x86g_set_handler(2, record);
	GUEST_SYNC(1, irq_count);
	__asm__ volatile("sti; nop; nop; nop; cli" ::: "memory");
	GUEST_SYNC(2, irq_count, irq_seen[0]);
	GUEST_SYNC(3, irq_count, irq_seen[1]);
	GUEST_SYNC(4, irq_count, irq_seen[2]);
	GUEST_SYNC(5, irq_count, irq_seen[3]);
}
