/* conformance/guest/x86_64/irqchip.c - guest side of x86_irqchip_test: interrupts of the in-kernel
 * IOAPIC and PIC taken with the local APIC enabled (each handler records its vector and EOIs),
 * the PIT's channel 2 read and programmed through its ports, and the APIC base MSR of whichever
 * vCPU runs (the BSP flag). */
#include "x86g.h"

static volatile uint64_t chip_seen[4];
static volatile uint64_t chip_count;

static void chip_record(struct x86g_frame *f)
{
	if (chip_count < 4)
		chip_seen[chip_count] = f->vector;
	chip_count++;
	*(volatile uint32_t *)0xfee000b0ul = 0;	/* EOI */
}

static void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port));
}

static uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* chip_probe(vectors): handlers on the two vectors (low and high byte of the argument); for each,
 * GUEST_SYNC(stage) for the host to raise the line, then interrupts enabled until one arrives,
 * and GUEST_SYNC(stage + 1, count, vector) of what did. */
void chip_probe(uint64_t vectors);
void chip_probe(uint64_t vectors)
{
	x86g_set_handler(vectors & 0xff, chip_record);
	x86g_set_handler(vectors >> 8 & 0xff, chip_record);
	GUEST_SYNC(1);
	__asm__ volatile("sti; hlt; cli" ::: "memory");
	GUEST_SYNC(2, chip_count, chip_seen[0]);
	__asm__ volatile("sti; hlt; cli" ::: "memory");
	GUEST_SYNC(3, chip_count, chip_seen[1]);
}

/* pit_probe(count): channel 2's counter latched and read, and its gate read from port 0x61
 * (GUEST_SYNC(1, value, gate)); then channel 2 programmed in mode 3, lo/hi, binary, with count
 * and its gate lowered (the host reads them with KVM_GET_PIT2). */
void pit_probe(uint64_t count);
void pit_probe(uint64_t count)
{
	uint16_t v;
	uint8_t gate;

	outb(0x43, 0x80);		/* counter latch, channel 2 */
	v = inb(0x42);
	v |= (uint16_t)inb(0x42) << 8;
	gate = inb(0x61) & 1;
	GUEST_SYNC(1, v, gate);
	outb(0x43, 0xb6);		/* channel 2, lo/hi, mode 3, binary */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8 & 0xff);
	outb(0x61, inb(0x61) & ~1u);
}

/* bsp_probe: GUEST_SYNC(1, IA32_APIC_BASE). */
void bsp_probe(void);
void bsp_probe(void)
{
	GUEST_SYNC(1, rdmsr(0x1b));
}
