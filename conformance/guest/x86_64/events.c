/* conformance/guest/x86_64/events.c - guest side of x86_events_test: what an injected exception
 * brings (vector, error code), NMIs held while masked until an iret unmasks them, the handler's
 * view of a machine check (MCG_STATUS and the bank's MSRs), and a plain stop for SMIs. */
#include "x86g.h"

#define MSR_MCG_STATUS	0x17a
#define MSR_MCG_CTL	0x17b
#define MSR_MC_CTL(b)	(0x400 + 4 * (b))
#define MSR_MC_STATUS(b) (0x401 + 4 * (b))
#define MSR_MC_ADDR(b)	(0x402 + 4 * (b))
#define MSR_MC_MISC(b)	(0x403 + 4 * (b))

static volatile uint64_t ev_count, ev_vector, ev_error;

static void ev_record(struct x86g_frame *f)
{
	ev_count++;
	ev_vector = f->vector;
	ev_error = f->error;
}

static volatile uint64_t nmi_count;

/* nmi_handler: counts, and while the first runs the host reads nmi.masked (GUEST_SYNC(3)). */
static void nmi_handler(struct x86g_frame *f)
{
	(void)f;
	if (nmi_count++ == 0)
		GUEST_SYNC(3, nmi_count);
}

/* events_probe: GUEST_SYNC(1); the host injects #GP with an error code -> GUEST_SYNC(2, count,
 * vector, error); the host makes an NMI pending and masked -> NMIs counted before and after an
 * iretq that unmasks them (GUEST_SYNC(3) from inside the handler, GUEST_SYNC(4, before, after)). */
void events_probe(void);
void events_probe(void)
{
	uint64_t before;

	x86g_set_handler(13, ev_record);
	x86g_set_handler(2, nmi_handler);
	GUEST_SYNC(1);
	GUEST_SYNC(2, ev_count, ev_vector, ev_error);
	before = nmi_count;
	/* An iretq to the next instruction: the end of NMI blocking. */
	__asm__ volatile("mov %%ss, %%eax; push %%rax; push %%rsp; addq $8, (%%rsp); pushfq;"
			 "mov %%cs, %%eax; push %%rax; lea 1f(%%rip), %%rax; push %%rax; iretq; 1:"
			 ::: "rax", "memory");
	GUEST_SYNC(4, before, nmi_count);
}

static volatile uint64_t mce_seen[5];
static volatile uint64_t mce_bank, mce_count;

static void mce_handler(struct x86g_frame *f)
{
	(void)f;
	mce_seen[0] = rdmsr(MSR_MCG_STATUS);
	mce_seen[1] = rdmsr(MSR_MC_STATUS(mce_bank));
	mce_seen[2] = rdmsr(MSR_MC_ADDR(mce_bank));
	mce_seen[3] = rdmsr(MSR_MC_MISC(mce_bank));
	mce_count++;
	wrmsr(MSR_MCG_STATUS, 0);	/* MCIP off: the next #MC would not shut down */
}

/* mce_probe(bank): machine checks enabled (MCG_CTL, the bank's CTL), GUEST_SYNC(1); the host
 * injects one -> GUEST_SYNC(2, count, MCG_STATUS, MCi_STATUS), GUEST_SYNC(3, MCi_ADDR, MCi_MISC). */
void mce_probe(uint64_t bank);
void mce_probe(uint64_t bank)
{
	mce_bank = bank;
	x86g_set_handler(18, mce_handler);
	wrmsr(MSR_MCG_CTL, ~0ull);
	wrmsr(MSR_MC_CTL(bank), ~0ull);
	GUEST_SYNC(1);
	GUEST_SYNC(2, mce_count, mce_seen[0], mce_seen[1]);
	GUEST_SYNC(3, mce_seen[2], mce_seen[3]);
}
