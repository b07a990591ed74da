/* conformance/arm64_regs_test.c - arm64 vCPU registers through KVM_GET/SET_ONE_REG, with ids built
 * from the binding's constants and struct kvm_regs offsets, proven against guest code: the core
 * registers (x0-x30, SP_EL0, PC, PSTATE, SP_EL1, ELR_EL1, SPSR_EL1, V0-V31, FPSR, FPCR) the host
 * sets are what the guest stores to memory, and what the guest leaves in them is what the host
 * reads back; EL0/EL1 system registers set through ONE_REG are what mrs reads in the guest, and
 * what the guest writes with msr ONE_REG reads. A binding with two core-register offsets swapped,
 * or a wrong KVM_REG_ARM_CORE or KVM_REG_ARM64_SYSREG field, fails here. */
#include <atf-c.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64_guest.h"
#include "coverage.h"
#include "core_layout.h"
#include "core_syms.h"
#include "sysreg_list.h"
#include "sysregs_syms.h"

#define PSR_MODE_EL1H	0x5
#define PSR_DAIF	0x3c0
#define PSR_NZCV	0xf0000000ULL

/* A distinct value per register and phase (1: the host's, 2: the guest's). */
static uint64_t pattern(int phase, int reg)
{
	return (phase == 1 ? 0xa100c0de00000000ULL : 0xb200f00d00000000ULL) |
	       ((uint64_t)reg << 16) | (uint64_t)(0x1111 * (reg % 15 + 1));
}

static void vpattern(int phase, int reg, uint8_t v[16])
{
	for (int b = 0; b < 16; b++)
		v[b] = (uint8_t)(phase * 0x40 + reg * 3 + b * 17);
}

static uint64_t xreg(int n)
{
	return arm64_core_reg_id(offsetof(struct kvm_regs, regs.regs) + n * sizeof(__u64),
				 sizeof(__u64));
}

static uint64_t vreg(int n)
{
	return arm64_core_reg_id(offsetof(struct kvm_regs, fp_regs.vregs) + n * 16, 16);
}

static uint64_t spsr_reg(int n)
{
	return arm64_core_reg_id(offsetof(struct kvm_regs, spsr) + n * sizeof(__u64), sizeof(__u64));
}

static uint64_t rd64(const uint8_t *rec, unsigned int off)
{
	uint64_t v;

	memcpy(&v, rec + off, sizeof(v));
	return v;
}

static void wr64(uint8_t *rec, unsigned int off, uint64_t v)
{
	memcpy(rec + off, &v, sizeof(v));
}

#define CHECK_REG(what, got, want) ATF_CHECK_EQ_MSG((got), (want), "%s: 0x%llx, expected 0x%llx", \
	(what), (unsigned long long)(got), (unsigned long long)(want))

ATF_TC(core_regs);
ATF_TC_HEAD(core_regs, tc)
{
	atf_tc_set_md_var(tc, "descr", "Core registers (x0-x30, SP_EL0, PC, PSTATE, SP_EL1, ELR_EL1, "
			  "SPSR_EL1, V0-V31, FPSR, FPCR) set through KVM_SET_ONE_REG are stored to memory "
			  "by guest code, and what the guest leaves in them KVM_GET_ONE_REG reads back; "
			  "SPSR_ABT/UND/IRQ/FIQ (AArch32 banks) round-trip and survive a run");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(core_regs, tc)
{
	const uint64_t pstate_in = PSR_MODE_EL1H | PSR_DAIF | 0xa0000000ULL;	/* N, C */
	const uint64_t fpsr_in = 0x0800009f, fpcr_in = 0x07400000;	/* QC, cumulative; AHP DN FZ RP */
	const uint64_t fpsr_out = 0x08000013, fpcr_out = 0x03800000;	/* QC, UFC DZC IOC; DN FZ RM */
	const uint64_t nzcv_out = 0x50000000ULL;			/* Z, V */
	struct ga_vm g;
	struct kvm_vcpu *vcpu;
	uint8_t *save, *out, v[16], w[16];
	uint64_t data = 0;

	ga_vm_create(&g, GA_BLOB(core));
	vcpu = ga_vcpu_add(&g, 1u << KVM_ARM_VCPU_PSCI_0_2);
	{
		/* arm64 has no KVM_GET/SET_REGS: struct kvm_regs is reached through ONE_REG only. */
		struct kvm_regs regs;

		memset(&regs, 0, sizeof(regs));
		ATF_CHECK_MSG(__kvm_ioctl(vcpu->fd, KVM_GET_REGS, &regs) < 0 && errno == EINVAL,
			      "KVM_GET_REGS on arm64 was not refused with EINVAL");
		ATF_CHECK_MSG(__kvm_ioctl(vcpu->fd, KVM_SET_REGS, &regs) < 0 && errno == EINVAL,
			      "KVM_SET_REGS on arm64 was not refused with EINVAL");
	}
	save = ga_mem(&g, core_SYM_core_save, CS_SIZE);
	out = ga_mem(&g, core_SYM_core_out, CO_SIZE);

	/* The host's values, read back before the run. */
	for (int i = 0; i < 31; i++)
		vcpu_set_reg(vcpu, xreg(i), pattern(1, i));
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.sp), pattern(1, 31));
	vcpu_set_reg(vcpu, ARM64_CORE_REG(sp_el1), core_SYM_core_save);
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.pc), core_SYM_core_entry);
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.pstate), pstate_in);
	vcpu_set_reg(vcpu, ARM64_CORE_REG(elr_el1), pattern(1, 33));
	vcpu_set_reg(vcpu, spsr_reg(0), 0x800003c5);
	for (int i = 1; i < KVM_NR_SPSR; i++)
		vcpu_set_reg(vcpu, spsr_reg(i), 0x10 + i);	/* AArch32 modes, distinct */
	for (int i = 0; i < 32; i++) {
		vpattern(1, i, v);
		ATF_REQUIRE(__vcpu_set_reg(vcpu, vreg(i), v) == 0);
	}
	vcpu_set_reg(vcpu, ARM64_CORE_REG(fp_regs.fpsr), fpsr_in);
	vcpu_set_reg(vcpu, ARM64_CORE_REG(fp_regs.fpcr), fpcr_in);
	for (int i = 0; i < 31; i++)
		CHECK_REG("x after SET", vcpu_get_reg(vcpu, xreg(i)), pattern(1, i));
	CHECK_REG("SP_EL0 after SET", vcpu_get_reg(vcpu, ARM64_CORE_REG(regs.sp)), pattern(1, 31));
	CHECK_REG("SP_EL1 after SET", vcpu_get_reg(vcpu, ARM64_CORE_REG(sp_el1)), core_SYM_core_save);
	CHECK_REG("PSTATE after SET", vcpu_get_reg(vcpu, ARM64_CORE_REG(regs.pstate)), pstate_in);
	for (int i = 0; i < 32; i++) {
		vpattern(1, i, v);
		ATF_REQUIRE(__vcpu_get_reg(vcpu, vreg(i), w) == 0);
		ATF_CHECK_MSG(memcmp(v, w, 16) == 0, "V%d reads back other bytes after SET", i);
	}

	/* The guest's values. */
	for (int i = 0; i < 30; i++)
		wr64(out, CO_X + 8 * i, pattern(2, i));
	wr64(out, CO_SP_EL0, pattern(2, 31));
	wr64(out, CO_SP_EL1, GA_MEM_GPA + 0x8000);
	wr64(out, CO_ELR, pattern(2, 33));
	wr64(out, CO_SPSR, 0x600003c4);
	wr64(out, CO_NZCV, nzcv_out);
	wr64(out, CO_FPSR, fpsr_out);
	wr64(out, CO_FPCR, fpcr_out);
	for (int i = 0; i < 32; i++)
		vpattern(2, i, out + CO_V + 16 * i);

	vcpu_run_timeout(vcpu, GA_RUN_TIMEOUT_S);
	ATF_REQUIRE_MSG(vcpu->run->exit_reason == KVM_EXIT_MMIO, "exit_reason %u (%s), expected the "
			"guest's MMIO stop", vcpu->run->exit_reason,
			kvm_exit_name(vcpu->run->exit_reason));
	CHECK_REG("stop MMIO address", vcpu->run->mmio.phys_addr, GA_UCALL_MMIO);
	ATF_CHECK(vcpu->run->mmio.is_write && vcpu->run->mmio.len == 8);
	memcpy(&data, vcpu->run->mmio.data, sizeof(data));
	CHECK_REG("stop MMIO data (x29)", data, pattern(2, 29));

	/* What the guest saw. */
	for (int i = 0; i < 31; i++)
		ATF_CHECK_EQ_MSG(rd64(save, CS_X + 8 * i), pattern(1, i), "guest saw x%d = 0x%llx, the "
				 "host set 0x%llx", i, (unsigned long long)rd64(save, CS_X + 8 * i),
				 (unsigned long long)pattern(1, i));
	CHECK_REG("guest's SP_EL0", rd64(save, CS_SP_EL0), pattern(1, 31));
	CHECK_REG("guest's SP (SP_EL1)", rd64(save, CS_SP), core_SYM_core_save);
	CHECK_REG("guest's NZCV", rd64(save, CS_NZCV), pstate_in & PSR_NZCV);
	CHECK_REG("guest's DAIF", rd64(save, CS_DAIF), pstate_in & PSR_DAIF);
	CHECK_REG("guest's CurrentEL", rd64(save, CS_CURRENTEL), 1u << 2);
	CHECK_REG("guest's SPSel", rd64(save, CS_SPSEL), 1);
	CHECK_REG("guest's ELR_EL1", rd64(save, CS_ELR), pattern(1, 33));
	CHECK_REG("guest's SPSR_EL1", rd64(save, CS_SPSR), 0x800003c5);
	CHECK_REG("guest's FPSR", rd64(save, CS_FPSR), fpsr_in);
	CHECK_REG("guest's FPCR", rd64(save, CS_FPCR), fpcr_in);
	for (int i = 0; i < 32; i++) {
		vpattern(1, i, v);
		ATF_CHECK_MSG(memcmp(save + CS_V + 16 * i, v, 16) == 0, "guest saw other bytes in V%d "
			      "than the host set", i);
	}

	/* What the guest left. */
	for (int i = 0; i < 30; i++)
		ATF_CHECK_EQ_MSG(vcpu_get_reg(vcpu, xreg(i)), pattern(2, i), "x%d reads 0x%llx, the "
				 "guest left 0x%llx", i, (unsigned long long)vcpu_get_reg(vcpu, xreg(i)),
				 (unsigned long long)pattern(2, i));
	CHECK_REG("x30 (the stop's address register)", vcpu_get_reg(vcpu, xreg(30)), GA_UCALL_MMIO);
	CHECK_REG("SP_EL0", vcpu_get_reg(vcpu, ARM64_CORE_REG(regs.sp)), pattern(2, 31));
	CHECK_REG("SP_EL1", vcpu_get_reg(vcpu, ARM64_CORE_REG(sp_el1)), GA_MEM_GPA + 0x8000);
	CHECK_REG("PC", vcpu_get_reg(vcpu, ARM64_CORE_REG(regs.pc)), core_SYM_core_stop_pc);
	CHECK_REG("PSTATE", vcpu_get_reg(vcpu, ARM64_CORE_REG(regs.pstate)),
		  nzcv_out | PSR_DAIF | PSR_MODE_EL1H);
	CHECK_REG("ELR_EL1", vcpu_get_reg(vcpu, ARM64_CORE_REG(elr_el1)), pattern(2, 33));
	CHECK_REG("SPSR_EL1", vcpu_get_reg(vcpu, spsr_reg(0)), 0x600003c4);
	for (int i = 1; i < KVM_NR_SPSR; i++)
		ATF_CHECK_EQ_MSG(vcpu_get_reg(vcpu, spsr_reg(i)), (uint64_t)(0x10 + i),
				 "spsr[%d] changed over the run", i);
	CHECK_REG("FPSR", vcpu_get_reg(vcpu, ARM64_CORE_REG(fp_regs.fpsr)), fpsr_out);
	CHECK_REG("FPCR", vcpu_get_reg(vcpu, ARM64_CORE_REG(fp_regs.fpcr)), fpcr_out);
	for (int i = 0; i < 32; i++) {
		vpattern(2, i, v);
		ATF_REQUIRE(__vcpu_get_reg(vcpu, vreg(i), w) == 0);
		ATF_CHECK_MSG(memcmp(v, w, 16) == 0, "V%d reads other bytes than the guest left", i);
	}
	ga_vm_free(&g);
	cov_ioctl("KVM_GET_REGS", COV_REJECTED, "EINVAL: arm64 reaches kvm_regs through ONE_REG");
	cov_ioctl("KVM_SET_REGS", COV_REJECTED, "EINVAL: arm64 reaches kvm_regs through ONE_REG");
	cov_struct("struct kvm_regs", true, "every field as a KVM_REG_ARM_CORE id at its offset, "
		   "both ways through guest code");
	cov_struct("struct user_pt_regs", true, "x0-x30, sp, pc, pstate seen and left by the guest");
	cov_struct("struct user_fpsimd_state", true, "vregs, fpsr, fpcr seen and left by the guest");
	cov_struct("struct kvm_one_reg", true, "id and addr, 32-, 64- and 128-bit registers");
}

#define SR(op0, op1, crn, crm, op2) arm64_sysreg_id(op0, op1, crn, crm, op2)

struct sysreg {
	const char *name;
	uint64_t id;
	uint64_t mask;
	int impdef;
};

static void sysreg_table(struct sysreg t[SYSREG_N])
{
	int i = 0;

#define ENTRY(name, id, mask, impdef) t[i++] = (struct sysreg){ #name, id, mask, impdef };
	SYSREG_LIST(ENTRY)
#undef ENTRY
}

/* Distinct per register and phase inside the bits that hold (at least two of them). */
static uint64_t srval(int phase, int i, uint64_t mask)
{
	return ((phase == 1 ? 0x5555555555555555ULL : 0xaaaaaaaaaaaaaaaaULL) ^ ((uint64_t)i << 20)) &
	       mask;
}

/* The registers start.S sets up for its MMU (their entry values are in guest_boot_regs). */
enum { MMU_TTBR0, MMU_MAIR, MMU_TCR, MMU_SCTLR, MMU_VBAR, MMU_CPACR, MMU_N };
static const struct { const char *name; unsigned int op0, op1, crn, crm, op2; int boot; } mmu[] = {
	[MMU_TTBR0] = { "TTBR0_EL1", 3, 0, 2, 0, 0, BOOT_TTBR0 },
	[MMU_MAIR] = { "MAIR_EL1", 3, 0, 10, 2, 0, BOOT_MAIR },
	[MMU_TCR] = { "TCR_EL1", 3, 0, 2, 0, 2, BOOT_TCR },
	[MMU_SCTLR] = { "SCTLR_EL1", 3, 0, 1, 0, 0, BOOT_SCTLR },
	[MMU_VBAR] = { "VBAR_EL1", 3, 0, 12, 0, 0, BOOT_VBAR },
	[MMU_CPACR] = { "CPACR_EL1", 3, 0, 1, 0, 2, BOOT_CPACR },
};

#define MMU_ID(m) SR(mmu[m].op0, mmu[m].op1, mmu[m].crn, mmu[m].crm, mmu[m].op2)
#define TIMER_CNT_IN 0x0000123400000000ULL	/* the virtual count the host sets */

/* run_sysregs: set every register of sysreg_list.h (and, unless impdef, the MMU's), run the
 * guest's two stages, and check what it saw and left for the registers whose IMPDEF flag is
 * impdef. Returns how many of those read as zero both ways (RAZ/WI in this CPU model). */
static int run_sysregs(int impdef)
{
	struct sysreg t[SYSREG_N];
	uint64_t mmu_in[MMU_N], v, *seen, *out, *boot;
	struct ga_vm g;
	struct kvm_vcpu *vcpu;
	struct ucall uc;
	int raz = 0;

	sysreg_table(t);
	ga_vm_create(&g, GA_BLOB(sysregs));
	vcpu = ga_vcpu_add(&g, 1u << KVM_ARM_VCPU_PSCI_0_2);
	seen = ga_mem(&g, sysregs_SYM_sysreg_seen, sizeof(uint64_t) * SYSREG_N);
	out = ga_mem(&g, sysregs_SYM_sysreg_out, sizeof(uint64_t) * SYSREG_N);
	boot = ga_mem(&g, sysregs_SYM_guest_boot_regs, sizeof(uint64_t) * BOOT_NREGS);

	for (int i = 0; i < SYSREG_N; i++) {
		vcpu_set_reg(vcpu, t[i].id, srval(1, i, t[i].mask));
		v = vcpu_get_reg(vcpu, t[i].id);
		ATF_CHECK_EQ_MSG(v & t[i].mask, srval(1, i, t[i].mask), "%s reads 0x%llx after SET of "
				 "0x%llx", t[i].name, (unsigned long long)v,
				 (unsigned long long)srval(1, i, t[i].mask));
	}
	mmu_in[MMU_TTBR0] = 0x00a5000041234000ULL;
	mmu_in[MMU_MAIR] = 0x000000000044ff04ULL;
	mmu_in[MMU_TCR] = 0x0000000500803510ULL;
	mmu_in[MMU_SCTLR] = vcpu_get_reg(vcpu, MMU_ID(MMU_SCTLR)) ^ (1u << 26 | 1u << 15);
	mmu_in[MMU_VBAR] = 0x40008800ULL;
	mmu_in[MMU_CPACR] = 1u << 20;
	for (int m = 0; m < MMU_N; m++) {
		vcpu_set_reg(vcpu, MMU_ID(m), mmu_in[m]);
		CHECK_REG(mmu[m].name, vcpu_get_reg(vcpu, MMU_ID(m)), mmu_in[m]);
	}
	/* The virtual counter through the binding's KVM_REG_ARM_TIMER_CNT (whose encoding is not
	 * CNTVCT_EL0's): the guest reads it on from the value set. */
	vcpu_set_reg(vcpu, KVM_REG_ARM_TIMER_CNT, TIMER_CNT_IN);

	ga_run_expect(&g, vcpu, UCALL_SYNC, 1, &uc);
	if (!impdef) {
		uint64_t cnt = *(uint64_t *)ga_mem(&g, sysregs_SYM_sysreg_cntvct, 8);

		ATF_CHECK_MSG(cnt >= TIMER_CNT_IN && cnt - TIMER_CNT_IN < 1ULL << 36, "guest's "
			      "CNTVCT_EL0 0x%llx, the host set KVM_REG_ARM_TIMER_CNT to 0x%llx",
			      (unsigned long long)cnt, (unsigned long long)TIMER_CNT_IN);
		v = vcpu_get_reg(vcpu, KVM_REG_ARM_TIMER_CNT);
		ATF_CHECK_MSG(v >= cnt && v - cnt < 1ULL << 36, "KVM_REG_ARM_TIMER_CNT 0x%llx after the "
			      "guest read CNTVCT_EL0 0x%llx", (unsigned long long)v,
			      (unsigned long long)cnt);
	}
	for (int i = 0; i < SYSREG_N; i++) {
		out[i] = srval(2, i, t[i].mask);
		if (t[i].impdef != impdef)
			continue;
		ATF_CHECK_MSG((seen[i] & t[i].mask) == srval(1, i, t[i].mask) ||
			      (impdef && seen[i] == 0), "guest's mrs %s: 0x%llx, the host set 0x%llx",
			      t[i].name, (unsigned long long)seen[i],
			      (unsigned long long)srval(1, i, t[i].mask));
	}
	for (int m = 0; m < MMU_N && !impdef; m++)
		ATF_CHECK_EQ_MSG(boot[mmu[m].boot], mmu_in[m], "guest's mrs %s at entry: 0x%llx, the "
				 "host set 0x%llx", mmu[m].name, (unsigned long long)boot[mmu[m].boot],
				 (unsigned long long)mmu_in[m]);

	ga_run_expect(&g, vcpu, UCALL_SYNC, 2, &uc);
	for (int i = 0; i < SYSREG_N; i++) {
		if (t[i].impdef != impdef)
			continue;
		v = vcpu_get_reg(vcpu, t[i].id);
		if (impdef && v == 0 && seen[i] == 0) {
			raz++;
			continue;
		}
		ATF_CHECK_EQ_MSG(v & t[i].mask, out[i], "%s reads 0x%llx, the guest wrote 0x%llx",
				 t[i].name, (unsigned long long)v, (unsigned long long)out[i]);
	}
	if (!impdef) {
		CHECK_REG("TTBR0_EL1 (start.S's table)", vcpu_get_reg(vcpu, MMU_ID(MMU_TTBR0)),
			  sysregs_SYM_ga_pgtable);
		CHECK_REG("MAIR_EL1 (start.S's)", vcpu_get_reg(vcpu, MMU_ID(MMU_MAIR)), GA_MAIR);
		CHECK_REG("TCR_EL1 (start.S's)", vcpu_get_reg(vcpu, MMU_ID(MMU_TCR)), GA_TCR);
		CHECK_REG("SCTLR_EL1 (M, C, I set by start.S)", vcpu_get_reg(vcpu, MMU_ID(MMU_SCTLR)),
			  mmu_in[MMU_SCTLR] | 1 | 4 | 1u << 12);
		CHECK_REG("VBAR_EL1 (the vectors)", vcpu_get_reg(vcpu, MMU_ID(MMU_VBAR)),
			  sysregs_SYM_vectors);
		CHECK_REG("CPACR_EL1 (FPEN)", vcpu_get_reg(vcpu, MMU_ID(MMU_CPACR)), 3u << 20);
	}
	ga_run_expect(&g, vcpu, UCALL_DONE, 0, &uc);
	ga_vm_free(&g);
	return raz;
}

ATF_TC(sysregs);
ATF_TC_HEAD(sysregs, tc)
{
	atf_tc_set_md_var(tc, "descr", "EL0/EL1 system registers (TPIDR_EL0/EL1, TPIDRRO_EL0, "
			  "CONTEXTIDR, PAR, CNTKCTL, CNTV_CTL/CVAL, FAR, ESR, TTBR0/1, MAIR, TCR, SCTLR, "
			  "VBAR, CPACR) set through KVM_SET_ONE_REG are what mrs reads in the guest, and "
			  "what the guest writes with msr KVM_GET_ONE_REG reads; the virtual count set "
			  "through KVM_REG_ARM_TIMER_CNT is what CNTVCT_EL0 counts on from");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(sysregs, tc)
{
	run_sysregs(0);
}

ATF_TC(sysregs_impdef);
ATF_TC_HEAD(sysregs_impdef, tc)
{
	atf_tc_set_md_var(tc, "descr", "AMAIR_EL1, AFSR0_EL1, AFSR1_EL1 (IMPLEMENTATION DEFINED "
			  "contents) round-trip through ONE_REG and, where the CPU implements them, are "
			  "seen and written by the guest");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(sysregs_impdef, tc)
{
	int n = 0, raz = run_sysregs(1);

#define COUNT(name, id, mask, impdef) n += impdef;
	SYSREG_LIST(COUNT)
#undef COUNT
	if (raz == n)
		atf_tc_skip("the CPU model implements AMAIR_EL1, AFSR0_EL1 and AFSR1_EL1 as RAZ/WI "
			    "(IMPLEMENTATION DEFINED; QEMU's do): the guest cannot see them");
}

/* The rules of arm64_reg_list.txt. */
struct reg_rule {
	uint64_t id;
	int is_volatile;
	int clears;		/* a SET clears the bits written (or, on older kernels, stores them) */
	int refused;		/* errno of a refused SET, 0 if accepted */
	const char *name;
	char reason[200];
	int line;
};

#define MAX_RULES 32

static int errno_by_name(const char *s)
{
	static const struct { const char *name; int value; } names[] = {
		{ "EPERM", EPERM }, { "EINVAL", EINVAL }, { "ENOENT", ENOENT }, { "EBUSY", EBUSY },
		{ "ENOEXEC", ENOEXEC }, { "E2BIG", E2BIG },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].value;
	return 0;
}

static int reg_by_name(const char *s, uint64_t *id, const char **name)
{
	static const struct { const char *name; uint64_t id; } names[] = {
		{ "KVM_REG_ARM_TIMER_CNT", KVM_REG_ARM_TIMER_CNT },
		{ "KVM_REG_ARM_PTIMER_CNT", KVM_REG_ARM_PTIMER_CNT },
		{ "KVM_REG_ARM_TIMER_CVAL", KVM_REG_ARM_TIMER_CVAL },
		{ "KVM_REG_ARM_TIMER_CTL", KVM_REG_ARM_TIMER_CTL },
		{ "KVM_REG_ARM64_SVE_VLS", KVM_REG_ARM64_SVE_VLS },
		{ "KVM_REG_ARM_PSCI_VERSION", KVM_REG_ARM_PSCI_VERSION },
	};
	char *end;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0) {
			*id = names[i].id;
			*name = names[i].name;
			return 0;
		}
	*id = strtoull(s, &end, 16);
	*name = "";
	return strncmp(s, "0x", 2) == 0 && *end == '\0' ? 0 : -1;
}

/* load_rules: arm64_reg_list.txt from the program's directory; bad lines fail the case. */
static int load_rules(const atf_tc_t *tc, struct reg_rule *rules)
{
	char path[1024], line[512], rule[32], a[64], b[64];
	int n = 0, lineno = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/arm64_reg_list.txt", atf_tc_get_config_var(tc, "srcdir"));
	f = fopen(path, "r");
	ATF_REQUIRE_MSG(f != NULL, "kvmgate: %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		struct reg_rule *r = &rules[n];
		int off = 0, ok;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		memset(r, 0, sizeof(*r));
		r->line = lineno;
		ok = n < MAX_RULES && sscanf(line, "%31s %63s %n", rule, a, &off) == 2;
		if (ok && strcmp(rule, "volatile") == 0) {
			r->is_volatile = 1;
			ok = reg_by_name(a, &r->id, &r->name) == 0;
		} else if (ok && strcmp(rule, "clears") == 0) {
			r->clears = 1;
			ok = reg_by_name(a, &r->id, &r->name) == 0;
		} else if (ok && strcmp(rule, "refused") == 0) {
			int off2 = 0;

			r->refused = errno_by_name(a);
			ok = r->refused != 0 && sscanf(line + off, "%63s %n", b, &off2) == 1 &&
			     reg_by_name(b, &r->id, &r->name) == 0;
			off += off2;
		} else {
			ok = 0;
		}
		if (ok)
			snprintf(r->reason, sizeof(r->reason), "%s", line + off);
		if (!ok || r->reason[0] == '\0') {
			fclose(f);
			atf_tc_fail("kvmgate: %s:%d: expected 'volatile REGISTER REASON', 'clears "
				    "REGISTER REASON' or 'refused ERRNO REGISTER REASON' (REGISTER a known "
				    "name or 0x id)", path, lineno);
		}
		n++;
	}
	fclose(f);
	return n;
}

static const struct reg_rule *rule_of(const struct reg_rule *rules, int n, uint64_t id)
{
	for (int i = 0; i < n; i++)
		if (rules[i].id == id)
			return &rules[i];
	return NULL;
}

/* walk: every listed register of vcpu GET -> SET -> GET; returns the number round-tripped. */
static int walk(struct kvm_vcpu *vcpu, const struct reg_rule *rules, int nrules, int *refused,
		int *listed)
{
	static uint8_t v1[2048], v2[2048];
	struct kvm_reg_list *list = vcpu_reg_list(vcpu);
	int ok = 0;

	*listed = (int)list->n;
	for (uint64_t i = 0; i < list->n; i++) {
		uint64_t id = list->reg[i];
		size_t size = arm64_reg_size(id);
		const struct reg_rule *rule = rule_of(rules, nrules, id);
		int r;

		ATF_CHECK_MSG((id & ~KVM_REG_SIZE_MASK) >> 32 == KVM_REG_ARM64 >> 32,
			      "listed id 0x%llx is not a KVM_REG_ARM64 id",
			      (unsigned long long)id);
		if (size > sizeof(v1)) {
			ATF_CHECK_MSG(0, "register 0x%llx: %zu bytes", (unsigned long long)id, size);
			continue;
		}
		memset(v1, 0xa5, sizeof(v1));
		r = __vcpu_get_reg(vcpu, id, v1);
		if (r != 0) {
			ATF_CHECK_MSG(0, "KVM_GET_ONE_REG of listed register 0x%llx: %s",
				      (unsigned long long)id, strerror(-r));
			continue;
		}
		r = __vcpu_set_reg(vcpu, id, v1);
		if (rule != NULL && rule->refused) {
			ATF_CHECK_MSG(r == -rule->refused, "%s (0x%llx): SET of its own value gave %s, "
				      "arm64_reg_list.txt:%d says %s (%s)", rule->name,
				      (unsigned long long)id, r ? strerror(-r) : "success", rule->line,
				      strerror(rule->refused), rule->reason);
			(*refused)++;
			continue;
		}
		if (r != 0) {
			ATF_CHECK_MSG(0, "KVM_SET_ONE_REG of 0x%llx with the value just read: %s (not "
				      "named in arm64_reg_list.txt)", (unsigned long long)id,
				      strerror(-r));
			continue;
		}
		memset(v2, 0x5a, sizeof(v2));
		r = __vcpu_get_reg(vcpu, id, v2);
		ATF_CHECK_MSG(r == 0, "second KVM_GET_ONE_REG of 0x%llx: %s", (unsigned long long)id,
			      strerror(-r));
		if (r != 0)
			continue;
		if (rule != NULL && rule->is_volatile) {
			uint64_t a = 0, b = 0;

			memcpy(&a, v1, size < 8 ? size : 8);
			memcpy(&b, v2, size < 8 ? size : 8);
			ATF_CHECK_MSG(b >= a && b - a < (1ULL << 32), "%s (0x%llx) went from 0x%llx to "
				      "0x%llx over a SET of its own value", rule->name,
				      (unsigned long long)id, (unsigned long long)a,
				      (unsigned long long)b);
		} else if (rule != NULL && rule->clears) {
			static const uint8_t zero[sizeof(v2)];

			ATF_CHECK_MSG(memcmp(v1, v2, size) == 0 || memcmp(v2, zero, size) == 0,
				      "%s0x%llx: a SET of its own value neither cleared it nor kept it "
				      "(arm64_reg_list.txt:%d: %s)", rule->name, (unsigned long long)id,
				      rule->line, rule->reason);
		} else if (memcmp(v1, v2, size) != 0) {
			ATF_CHECK_MSG(0, "register 0x%llx reads other bytes after a SET of its own value",
				      (unsigned long long)id);
			continue;
		}
		ok++;
	}
	free(list);
	return ok;
}

ATF_TC(reg_list);
ATF_TC_HEAD(reg_list, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_GET_REG_LIST walked in full, on a vCPU with PSCI 0.2 "
			  "and on one with every feature the kernel offers (PMUv3, SVE finalized, pointer "
			  "authentication): every listed register GET -> SET -> GET, volatile and refused "
			  "ones by the rules of arm64_reg_list.txt");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(reg_list, tc)
{
	struct reg_rule rules[MAX_RULES];
	int nrules = load_rules(tc, rules);
	int ok[2], refused[2] = { 0, 0 }, listed[2];
	uint32_t offered;
	char detail[200];
	struct ga_vm g;

	ga_vm_create(&g, GA_BLOB(core));
	offered = ga_offered_features(&g);
	ok[0] = walk(ga_vcpu_add(&g, 1u << KVM_ARM_VCPU_PSCI_0_2), rules, nrules, &refused[0],
		     &listed[0]);
	ga_vm_free(&g);
	/* a VM of its own: the features are the VM's (6.12 refuses a vCPU whose features differ
	 * from the first's; 6.1 did not) */
	ga_vm_create(&g, GA_BLOB(core));
	ok[1] = walk(ga_vcpu_add(&g, 1u << KVM_ARM_VCPU_PSCI_0_2 | offered), rules, nrules,
		     &refused[1], &listed[1]);
	ga_vm_free(&g);
	printf("reg_list: PSCI 0.2 vCPU: %d listed, %d round-tripped, %d refused by design; with "
	       "features 0x%x: %d listed, %d round-tripped, %d refused by design\n", listed[0], ok[0],
	       refused[0], offered, listed[1], ok[1], refused[1]);
	ATF_CHECK_MSG(listed[1] > listed[0] || offered == 0, "the vCPU with features 0x%x lists no "
		      "more registers (%d) than the plain one (%d)", offered, listed[1], listed[0]);
	snprintf(detail, sizeof(detail), "number,roundtrip: %d registers GET->SET->GET (%d and %d "
		 "listed), semantic: core and system registers seen by guest code", ok[0] + ok[1],
		 listed[0], listed[1]);
	cov_ioctl("KVM_GET_ONE_REG", COV_EXERCISED, detail);
	cov_ioctl("KVM_SET_ONE_REG", COV_EXERCISED, detail);
	cov_ioctl("KVM_GET_REG_LIST", COV_EXERCISED, "number,E2BIG count probe,walked in full");
	cov_struct("struct kvm_reg_list", true, "n probed, then every id");
	if (offered & (1u << KVM_ARM_VCPU_SVE))
		cov_ioctl("KVM_ARM_VCPU_FINALIZE", COV_EXERCISED, "SVE finalized before ONE_REG");
	else
		cov_ioctl("KVM_ARM_VCPU_FINALIZE", COV_SKIPPED, "KVM_CAP_ARM_SVE absent");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, core_regs);
	ATF_TP_ADD_TC(tp, sysregs);
	ATF_TP_ADD_TC(tp, sysregs_impdef);
	ATF_TP_ADD_TC(tp, reg_list);
	return atf_no_error();
}
