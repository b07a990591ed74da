/* conformance/guest/arm64/core_layout.h - the two records of core.S, shared with
 * arm64_regs_test.c: what the guest saw of the core registers the host set (core_save), and the
 * values the host asks it to leave in them (core_out). Byte offsets. */
#ifndef KVMGATE_GUEST_ARM64_CORE_LAYOUT_H
#define KVMGATE_GUEST_ARM64_CORE_LAYOUT_H

/* core_save */
#define CS_X		0	/* x0..x30 */
#define CS_SP_EL0	248
#define CS_SP		256	/* SP (SP_EL1 at EL1h) */
#define CS_NZCV		264
#define CS_DAIF		272
#define CS_CURRENTEL	280
#define CS_SPSEL	288
#define CS_ELR		296
#define CS_SPSR		304
#define CS_FPSR		312
#define CS_FPCR		320
#define CS_V		336	/* v0..v31, 16 bytes each */
#define CS_SIZE		848

/* core_out */
#define CO_X		0	/* x0..x29 (x30 carries the MMIO address of the stop) */
#define CO_SP_EL0	240
#define CO_SP_EL1	248
#define CO_ELR		256
#define CO_SPSR		264
#define CO_NZCV		272
#define CO_FPSR		280
#define CO_FPCR		288
#define CO_V		304	/* v0..v31 */
#define CO_SIZE		816

#endif
