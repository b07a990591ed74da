/* conformance/guest/arm64/debug.c - guest side of arm64_debug_test. Raw entries the host sets PC
 * to, with guest debug on (no stack, MMU off): dbg_step (three moves into x1, for single-step),
 * dbg_bp (x1 = 7, then dbg_bp_target: a hardware breakpoint), dbg_wp (a store of x1 to [x2]: a
 * watchpoint), dbg_brk (a software breakpoint). And by x0 through _start: an SError the host
 * injects (stage 2 reports ESR_EL1 as the guest's handler saw it) and an external data abort the
 * host injects on an MMIO read (stage 2 reports the handler's ESR_EL1 and FAR_EL1). */
#include "guest_lib.h"
#include "debug_modes.h"

__asm__(".text\n"
	".global dbg_step\n"
	"dbg_step:\n"
	"	mov	x1, #1\n"
	"	mov	x1, #2\n"
	"	mov	x1, #3\n"
	"	b	.\n"
	".global dbg_bp\n"
	"dbg_bp:\n"
	"	mov	x1, #7\n"
	".global dbg_bp_target\n"
	"dbg_bp_target:\n"
	"	mov	x1, #8\n"
	"	b	.\n"
	".global dbg_wp\n"
	"dbg_wp:\n"
	"	str	x1, [x2]\n"
	"	b	.\n"
	".global dbg_brk\n"
	"dbg_brk:\n"
	"	brk	#0x77\n"
	"	b	.\n");

uint64_t dbg_watched __attribute__((aligned(64)));
static volatile uint64_t seen_esr, seen_far, seen;

static void serror_handler(struct ex_regs *regs, uint64_t esr)
{
	(void)regs;
	seen_esr = esr;
	seen++;
}

static void dabt_handler(struct ex_regs *regs, uint64_t esr)
{
	seen_esr = esr;
	seen_far = read_sysreg(far_el1);
	seen++;
	regs->pc += 4;		/* past the load that aborted */
}

void guest_main(uint64_t mode, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)a2, (void)a3;
	if (mode == DM_SERROR) {
		guest_install_handler(VEC_EL1H_SERROR, EC_SERROR, serror_handler);
		GUEST_SYNC(1);		/* the host injects now */
		__asm__ volatile("msr daifclr, #4\n\tisb" : : : "memory");	/* SErrors on */
		for (long i = 0; i < 1000000 && seen == 0; i++)
			__asm__ volatile("nop");
		__asm__ volatile("msr daifset, #4" : : : "memory");
		GUEST_SYNC_ARGS(2, seen_esr, seen, 0, 0);
	} else if (mode == DM_EXT_DABT) {	/* a1: an address no memory slot covers */
		guest_install_handler(VEC_EL1H_SYNC, EC_DABT_CUR, dabt_handler);
		(void)*(volatile uint64_t *)a1;
		GUEST_SYNC_ARGS(2, seen_esr, seen_far, seen, 0);
	} else {
		GUEST_ASSERT(0);
	}
	GUEST_DONE();
}
