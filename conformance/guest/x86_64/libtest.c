/* conformance/guest/x86_64/libtest.c - guest side of x86_lib_test: the library's own promises (an
 * exception reaches the host with its vector, error code and RIP; a handler takes a vector; a
 * failed GUEST_ASSERT_EQ reports its text, place and values; GUEST_SYNC carries its values). */
#include "x86g.h"

/* Where the faulting instructions are, for the host to compare with the reported RIP. */
void lib_ud2(void);
void lib_gp(void);
__asm__(".text\n"
	".globl lib_ud2, lib_ud2_insn\n"
	"lib_ud2:\n"
	"lib_ud2_insn: ud2\n"
	"	ret\n"
	".globl lib_gp, lib_gp_insn\n"
	"lib_gp:\n"
	"	mov $0x4b564d47, %ecx\n"	/* no such MSR */
	"lib_gp_insn: rdmsr\n"
	"	ret\n");

static volatile uint64_t handled;

/* skip_ud2: a #UD handler that steps over the two-byte ud2. */
static void skip_ud2(struct x86g_frame *f)
{
	handled = f->vector;
	f->rip += 2;
}

/* lib_sync_handler: GUEST_SYNC with values, a handled #UD, then GUEST_SYNC of what the handler
 * saw, then returns (GUEST_DONE). */
void lib_sync_handler(void);
void lib_sync_handler(void)
{
	GUEST_SYNC(1, 0x1111, 0x2222, 0x3333, 0x4444, 0x5555);
	x86g_set_handler(6, skip_ud2);
	lib_ud2();
	x86g_set_handler(6, NULL);
	GUEST_SYNC(2, handled);
}

void lib_assert(uint64_t v);
void lib_assert(uint64_t v)
{
	GUEST_ASSERT_EQ(v, 0x1234);
}

/* debug_sync: GUEST_SYNC(1) for assembly callers (debug.S). */
void debug_sync(void);
void debug_sync(void)
{
	GUEST_SYNC(1);
}
