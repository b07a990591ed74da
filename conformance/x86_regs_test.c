/* conformance/x86_regs_test.c - x86_64: kvm_regs, kvm_sregs and kvm_sregs2 field by field through
 * guest code (guest/x86_64/regs.S, sregs.c). Each register the host sets through the binding is
 * read by the guest where the architecture keeps it (the register itself, mov from a segment or
 * control register, str/sldt, sgdt/sidt, rdmsr, a load through fs/gs), and what the guest sets
 * with its own instructions is what the binding's GET returns. */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "coverage.h"
#include "x86_vm.h"

#define CR0_AM		(1ull << 18)
#define CR0_TS		(1ull << 3)
#define CR4_TSD		(1ull << 2)
#define CR4_PGE		(1ull << 7)
#define EFER_SCE	1ull
#define EFER_NXE	(1ull << 11)

#define CHECK_EQ(what, got, want) ATF_CHECK_EQ_MSG((uint64_t)(got), (uint64_t)(want), \
	"%s: 0x%llx, expected 0x%llx", what, (unsigned long long)(got), (unsigned long long)(want))

static void setup(struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	x86_vm_create(vm);
	x86_vcpu_add(vm, vcpu, 0);
}

static void teardown(struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	vcpu_free(vcpu);
	vm_free(vm);
}

ATF_TC(regs_guest_view);
ATF_TC_HEAD(regs_guest_view, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_regs: every general register, RIP and RFLAGS set by "
			  "KVM_SET_REGS are what the guest finds; what the guest leaves in each is what "
			  "KVM_GET_REGS returns");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(regs_guest_view, tc)
{
	static const char *const names[16] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp",
		"rbp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct kvm_regs r, got;
	uint64_t in[16], *seen;
	__u64 *out[16];
	char what[64];

	setup(&vm, &vcpu);
	for (int i = 0; i < 16; i++)
		in[i] = 0x1000000000000000ull * (uint64_t)((i % 15) + 1) + 0x0101 * (uint64_t)(i + 1);
	in[6] = x86_stack_top(0) - 0x58;	/* rsp: the probe pushes once */
	memset(&r, 0, sizeof(r));
	r.rax = in[0]; r.rbx = in[1]; r.rcx = in[2]; r.rdx = in[3];
	r.rsi = in[4]; r.rdi = in[5]; r.rsp = in[6]; r.rbp = in[7];
	r.r8 = in[8]; r.r9 = in[9]; r.r10 = in[10]; r.r11 = in[11];
	r.r12 = in[12]; r.r13 = in[13]; r.r14 = in[14]; r.r15 = in[15];
	r.rip = X86G_SYM_regs_probe_b;
	r.rflags = 0xcd7;	/* CF PF AF ZF SF DF OF and bit 1 */
	kvm_ioctl(vcpu.fd, KVM_SET_REGS, &r);
	vcpu_run(&vcpu);
	ATF_REQUIRE_MSG(vcpu.run->exit_reason == KVM_EXIT_HLT, "the regs probe ended in exit %u "
			"(%s), not HLT", vcpu.run->exit_reason, kvm_exit_name(vcpu.run->exit_reason));

	seen = x86_gpa(&vm, X86G_SYM_regs_seen, 18 * sizeof(uint64_t));
	for (int i = 0; i < 16; i++) {
		snprintf(what, sizeof(what), "guest's %s after KVM_SET_REGS", names[i]);
		CHECK_EQ(what, seen[i], in[i]);
	}
	CHECK_EQ("entry the guest ran (rip: A 0xa, B 0xb)", seen[16], X86G_REGS_MARK_B);
	CHECK_EQ("guest's rflags after KVM_SET_REGS", seen[17], 0xcd7);

	kvm_ioctl(vcpu.fd, KVM_GET_REGS, &got);
	out[0] = &got.rax; out[1] = &got.rbx; out[2] = &got.rcx; out[3] = &got.rdx;
	out[4] = &got.rsi; out[5] = &got.rdi; out[6] = &got.rsp; out[7] = &got.rbp;
	out[8] = &got.r8; out[9] = &got.r9; out[10] = &got.r10; out[11] = &got.r11;
	out[12] = &got.r12; out[13] = &got.r13; out[14] = &got.r14; out[15] = &got.r15;
	for (int i = 0; i < 16; i++) {
		snprintf(what, sizeof(what), "KVM_GET_REGS %s the guest left", names[i]);
		CHECK_EQ(what, *out[i], X86G_REGS_OUT(i));
	}
	CHECK_EQ("KVM_GET_REGS rip after the guest's hlt", got.rip, X86G_SYM_regs_probe_done);
	CHECK_EQ("KVM_GET_REGS rflags the guest left", got.rflags, X86G_REGS_OUT_RFLAGS);

	/* The other entry: RIP alone picks it. */
	r.rip = X86G_SYM_regs_probe_a;
	kvm_ioctl(vcpu.fd, KVM_SET_REGS, &r);
	vcpu_run(&vcpu);
	ATF_REQUIRE_EQ(vcpu.run->exit_reason, KVM_EXIT_HLT);
	CHECK_EQ("entry the guest ran (rip: A 0xa, B 0xb)", seen[16], X86G_REGS_MARK_A);
	cov_ioctl("KVM_SET_REGS", COV_EXERCISED, "semantic: the guest sees every GPR, rip, rflags");
	cov_ioctl("KVM_GET_REGS", COV_EXERCISED, "semantic: every GPR, rip, rflags the guest left");
	teardown(&vm, &vcpu);
}

/* Stage 1 (the host sets, the guest reads): applied to a kvm_sregs or a kvm_sregs2 in the
 * library's long mode. */
#define SREGS_S1(S, nx) do { \
	(S)->ds.selector = X86G_SEL_DATA_A; \
	(S)->es.selector = X86G_SEL_DATA_B; \
	(S)->fs.selector = X86G_SEL_DATA_C; \
	(S)->fs.base = X86G_S1_FS_BASE; \
	(S)->gs.selector = X86G_SEL_DATA_D; \
	(S)->gs.base = X86G_S1_GS_BASE; \
	(S)->cr0 |= CR0_AM; \
	(S)->cr2 = X86G_S1_CR2; \
	(S)->cr3 = X86G_SYM_x86g_pml4_alt; \
	(S)->cr4 |= CR4_TSD; \
	(S)->cr8 = X86G_S1_CR8; \
	(S)->efer |= EFER_SCE | ((nx) ? EFER_NXE : 0); \
	(S)->apic_base = X86G_S1_APIC_BASE; \
} while (0)

/* x86_sregs_long_mode takes a kvm_sregs: stage 1 of kvm_sregs2 goes through one. */
static void sregs2_long_mode(struct kvm_sregs2 *s2)
{
	struct kvm_sregs s;

	memset(&s, 0, sizeof(s));
	x86_sregs_long_mode(&s);
	s2->cs = s.cs; s2->ds = s.ds; s2->es = s.es; s2->fs = s.fs; s2->gs = s.gs; s2->ss = s.ss;
	s2->tr = s.tr; s2->ldt = s.ldt; s2->gdt = s.gdt; s2->idt = s.idt;
	s2->cr0 = s.cr0; s2->cr3 = s.cr3; s2->cr4 = s.cr4; s2->efer = s.efer;
}

static void check_host_view(struct kvm_vm *vm, int nx)
{
	const struct x86g_sregs_seen *g = X86_GUEST_VAR(vm, sregs_seen, struct x86g_sregs_seen);
	static const char *const segs[8] = { "cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt" };
	const uint64_t sel[8] = { X86G_SEL_CODE64, X86G_SEL_DATA_A, X86G_SEL_DATA_B,
		X86G_SEL_DATA_C, X86G_SEL_DATA_D, X86G_SEL_DATA, X86G_SEL_TSS, X86G_SEL_LDT };
	char what[64];

	for (int i = 0; i < 8; i++) {
		snprintf(what, sizeof(what), "%s.selector seen by the guest", segs[i]);
		CHECK_EQ(what, g->sel[i], sel[i]);
	}
	CHECK_EQ("fs.base: the quadword at fs:0", g->fs_mem, X86G_S1_FS_MARK);
	CHECK_EQ("gs.base: the quadword at gs:0", g->gs_mem, X86G_S1_GS_MARK);
	CHECK_EQ("fs.base: rdmsr FS_BASE", g->fs_base, X86G_S1_FS_BASE);
	CHECK_EQ("gs.base: rdmsr GS_BASE", g->gs_base, X86G_S1_GS_BASE);
	CHECK_EQ("cr0 seen by the guest", g->cr0, X86_CR0_LONG | CR0_AM);
	CHECK_EQ("cr2 seen by the guest", g->cr2, X86G_S1_CR2);
	CHECK_EQ("cr3 seen by the guest", g->cr3, X86G_SYM_x86g_pml4_alt);
	CHECK_EQ("cr4 seen by the guest", g->cr4, X86_CR4_LONG | CR4_TSD);
	CHECK_EQ("cr8 seen by the guest", g->cr8, X86G_S1_CR8);
	CHECK_EQ("efer seen by the guest (rdmsr)", g->efer,
		 X86_EFER_LONG | EFER_SCE | (nx ? EFER_NXE : 0));
	CHECK_EQ("apic_base seen by the guest (rdmsr)", g->apic_base, X86G_S1_APIC_BASE);
	CHECK_EQ("gdt.base seen by sgdt", g->gdt_base, X86G_SYM_x86g_gdt);
	CHECK_EQ("gdt.limit seen by sgdt", g->gdt_limit, X86G_GDT_ENTRIES * 8 - 1);
	CHECK_EQ("idt.base seen by sidt", g->idt_base, X86G_SYM_x86g_idt);
	CHECK_EQ("idt.limit seen by sidt", g->idt_limit, 256 * 16 - 1);
}

/* check_segment: every field of a kvm_segment against the descriptor the guest loaded. */
static void check_segment(const char *name, const struct kvm_segment *s, uint16_t selector,
			  uint64_t desc, uint64_t base)
{
	char what[64];
	uint32_t limit = (uint32_t)((desc & 0xffff) | (desc >> 32 & 0xf0000));

	if (desc >> 55 & 1)
		limit = limit << 12 | 0xfff;
#define SEG_CHECK(field, want) do { \
	snprintf(what, sizeof(what), "%s." #field " after the guest's load", name); \
	CHECK_EQ(what, s->field, want); \
} while (0)
	SEG_CHECK(selector, selector);
	SEG_CHECK(base, base);
	SEG_CHECK(limit, limit);
	SEG_CHECK(type, desc >> 40 & 0xf);
	SEG_CHECK(s, desc >> 44 & 1);
	SEG_CHECK(dpl, desc >> 45 & 3);
	SEG_CHECK(present, desc >> 47 & 1);
	SEG_CHECK(avl, desc >> 52 & 1);
	SEG_CHECK(l, desc >> 53 & 1);
	SEG_CHECK(db, desc >> 54 & 1);
	SEG_CHECK(g, desc >> 55 & 1);
	SEG_CHECK(unusable, 0);
#undef SEG_CHECK
}

#define FLAT_DATA_DESC	0x00cf93000000ffffull
#define CODE64_DESC	0x00af9b000000ffffull

/* Stage 2 (the guest sets, the host reads): a kvm_sregs or a kvm_sregs2. */
#define SREGS_CHECK_S2(S, nx) do { \
	check_segment("cs", &(S)->cs, X86G_SEL_CODE64, CODE64_DESC, 0); \
	check_segment("ds", &(S)->ds, X86G_SEL_ODD, X86G_ODD_DESC, X86G_ODD_BASE); \
	check_segment("es", &(S)->es, X86G_SEL_DATA_A, FLAT_DATA_DESC, 0); \
	check_segment("fs", &(S)->fs, X86G_SEL_DATA_B, FLAT_DATA_DESC, X86G_S2_FS_BASE); \
	check_segment("gs", &(S)->gs, X86G_SEL_DATA_C, FLAT_DATA_DESC, X86G_S2_GS_BASE); \
	check_segment("ss", &(S)->ss, X86G_SEL_DATA_D, FLAT_DATA_DESC, 0); \
	CHECK_EQ("tr.selector", (S)->tr.selector, X86G_SEL_TSS); \
	CHECK_EQ("tr.base", (S)->tr.base, X86G_SYM_x86g_tss); \
	CHECK_EQ("tr.limit", (S)->tr.limit, 103); \
	CHECK_EQ("tr.type", (S)->tr.type, 0xb); \
	CHECK_EQ("tr.present", (S)->tr.present, 1); \
	CHECK_EQ("tr.s", (S)->tr.s, 0); \
	CHECK_EQ("ldt.selector after lldt", (S)->ldt.selector, X86G_SEL_LDT2); \
	CHECK_EQ("ldt.base after lldt", (S)->ldt.base, X86G_SYM_x86g_ldt + 8); \
	CHECK_EQ("ldt.limit after lldt", (S)->ldt.limit, 7); \
	CHECK_EQ("ldt.type after lldt", (S)->ldt.type, 2); \
	CHECK_EQ("ldt.present after lldt", (S)->ldt.present, 1); \
	CHECK_EQ("ldt.unusable after lldt", (S)->ldt.unusable, 0); \
	CHECK_EQ("gdt.base after lgdt", (S)->gdt.base, X86G_SYM_sregs_gdt_copy); \
	CHECK_EQ("gdt.limit after lgdt", (S)->gdt.limit, X86G_GDT_ENTRIES * 8 - 1); \
	CHECK_EQ("idt.base after lidt", (S)->idt.base, X86G_SYM_x86g_idt); \
	CHECK_EQ("idt.limit after lidt", (S)->idt.limit, X86G_S2_IDT_LIMIT); \
	CHECK_EQ("cr0 the guest wrote", (S)->cr0, X86_CR0_LONG | CR0_TS); \
	CHECK_EQ("cr2 the guest wrote", (S)->cr2, X86G_S2_CR2); \
	CHECK_EQ("cr3 the guest wrote", (S)->cr3, X86G_SYM_x86g_pml4); \
	CHECK_EQ("cr4 the guest wrote", (S)->cr4, X86_CR4_LONG | CR4_PGE); \
	CHECK_EQ("cr8 the guest wrote", (S)->cr8, X86G_S2_CR8); \
	CHECK_EQ("efer the guest wrote", (S)->efer, X86_EFER_LONG | ((nx) ? EFER_NXE : 0)); \
	CHECK_EQ("apic_base the guest wrote", (S)->apic_base, X86G_S2_APIC_BASE); \
} while (0)

/* sregs_setup: with an in-kernel irqchip, so that cr8 is the local APIC's TPR (with a userspace
 * APIC, KVM_RUN takes CR8 from kvm_run.cr8 instead); and the fs/gs markers. */
static void sregs_setup(struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	x86_vm_create(vm);
	if (kvm_check_cap(vm->kvm_fd, KVM_CAP_IRQCHIP) <= 0)
		atf_tc_skip("KVM_CAP_IRQCHIP absent (cr8 is the in-kernel APIC's TPR)");
	kvm_ioctl_val(vm->fd, KVM_CREATE_IRQCHIP, 0);
	x86_vcpu_add(vm, vcpu, 0);
	*(uint64_t *)x86_gpa(vm, X86G_S1_FS_BASE, 8) = X86G_S1_FS_MARK;
	*(uint64_t *)x86_gpa(vm, X86G_S1_GS_BASE, 8) = X86G_S1_GS_MARK;
}


ATF_TC(sregs_guest_view);
ATF_TC_HEAD(sregs_guest_view, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_sregs: segment selectors, fs/gs bases, CR0/2/3/4/8, EFER, "
			  "APIC base, GDT/IDT set by KVM_SET_SREGS are what the guest reads; segments "
			  "(every kvm_segment field), tables and control registers the guest loads are what "
			  "KVM_GET_SREGS returns");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(sregs_guest_view, tc)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct kvm_sregs s;
	int nx;

	sregs_setup(&vm, &vcpu);
	nx = x86_has(&vm, 0x80000001, 0, 'd', 20);
	kvm_ioctl(vcpu.fd, KVM_GET_SREGS, &s);
	x86_sregs_long_mode(&s);
	SREGS_S1(&s, nx);
	kvm_ioctl(vcpu.fd, KVM_SET_SREGS, &s);
	x86_vcpu_call(&vcpu, X86G_SYM_sregs_host_view, 0);
	x86_run_done(&vcpu);
	check_host_view(&vm, nx);

	x86_vcpu_call(&vcpu, X86G_SYM_sregs_guest_set, 0);
	x86_run_done(&vcpu);
	memset(&s, 0xa5, sizeof(s));
	kvm_ioctl(vcpu.fd, KVM_GET_SREGS, &s);
	SREGS_CHECK_S2(&s, nx);
	for (unsigned int i = 0; i < sizeof(s.interrupt_bitmap) / sizeof(s.interrupt_bitmap[0]); i++)
		CHECK_EQ("interrupt_bitmap word (nothing pending)", s.interrupt_bitmap[i], 0);
	cov_ioctl("KVM_SET_SREGS", COV_EXERCISED, "semantic: guest reads selectors, fs/gs base, "
		  "cr0/2/3/4/8, efer, apic base, gdt, idt");
	cov_ioctl("KVM_GET_SREGS", COV_EXERCISED, "semantic: every kvm_segment field of guest loads, "
		  "tables, control registers");
	teardown(&vm, &vcpu);
}

ATF_TC(sregs2_guest_view);
ATF_TC_HEAD(sregs2_guest_view, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_sregs2: the sregs_guest_view checks through "
			  "KVM_SET_SREGS2 / KVM_GET_SREGS2; in long mode flags has no PDPTRS_VALID");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(sregs2_guest_view, tc)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct kvm_sregs2 s;
	int nx;

	sregs_setup(&vm, &vcpu);
	if (kvm_check_cap(vm.kvm_fd, KVM_CAP_SREGS2) <= 0) {
		cov_ioctl("KVM_SET_SREGS2", COV_SKIPPED, "KVM_CAP_SREGS2 absent");
		teardown(&vm, &vcpu);
		atf_tc_skip("KVM_CAP_SREGS2 absent");
	}
	nx = x86_has(&vm, 0x80000001, 0, 'd', 20);
	kvm_ioctl(vcpu.fd, KVM_GET_SREGS2, &s);
	sregs2_long_mode(&s);
	SREGS_S1(&s, nx);
	s.flags = 0;
	kvm_ioctl(vcpu.fd, KVM_SET_SREGS2, &s);
	x86_vcpu_call(&vcpu, X86G_SYM_sregs_host_view, 0);
	x86_run_done(&vcpu);
	check_host_view(&vm, nx);

	x86_vcpu_call(&vcpu, X86G_SYM_sregs_guest_set, 0);
	x86_run_done(&vcpu);
	memset(&s, 0xa5, sizeof(s));
	kvm_ioctl(vcpu.fd, KVM_GET_SREGS2, &s);
	SREGS_CHECK_S2(&s, nx);
	ATF_CHECK_MSG(!(s.flags & KVM_SREGS2_FLAGS_PDPTRS_VALID), "flags 0x%llx: PDPTRS_VALID in long "
		      "mode", (unsigned long long)s.flags);
	cov_ioctl("KVM_SET_SREGS2", COV_EXERCISED, "semantic: as KVM_SET_SREGS (pdptrs: long mode)");
	cov_ioctl("KVM_GET_SREGS2", COV_EXERCISED, "semantic: as KVM_GET_SREGS, flags");
	teardown(&vm, &vcpu);
}

ATF_TC(sregs2_pdptrs);
ATF_TC_HEAD(sregs2_pdptrs, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_sregs2 pdptrs: with the guest in 32-bit PAE paging, "
			  "KVM_GET_SREGS2 says PDPTRS_VALID and gives the four PDPTEs of the page CR3 "
			  "points at");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(sregs2_pdptrs, tc)
{
	const uint64_t code = 0x3000, pdpt = 0x4000, pd = 0x5000;
	const uint64_t pdpte[4] = { pd | 1, 0x51000 | 1, 0x52000 | 0x9, 0x53000 | 0x11 };
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct kvm_sregs2 s;
	struct x86_ucall uc;
	uint64_t *t;

	setup(&vm, &vcpu);
	if (kvm_check_cap(vm.kvm_fd, KVM_CAP_SREGS2) <= 0) {
		teardown(&vm, &vcpu);
		atf_tc_skip("KVM_CAP_SREGS2 absent");
	}
	vm_load(&vm, code, x86g_blob + (X86G_SYM_pae_stub - X86G_BASE),
		X86G_SYM_pae_stub_end - X86G_SYM_pae_stub);
	t = x86_gpa(&vm, pdpt, 32);
	for (int i = 0; i < 4; i++)
		t[i] = pdpte[i];
	t = x86_gpa(&vm, pd, 4096);
	for (int i = 0; i < 512; i++)
		t[i] = (uint64_t)i << 21 | 0x83;	/* 2 MiB pages: the first GiB identity */

	kvm_ioctl(vcpu.fd, KVM_GET_SREGS2, &s);
	memset(&s.cs, 0, sizeof(s.cs));
	s.cs.limit = 0xffffffff;
	s.cs.selector = X86G_SEL_CODE32;
	s.cs.type = 0xb;
	s.cs.s = 1;
	s.cs.present = 1;
	s.cs.db = 1;
	s.cs.g = 1;
	s.cr0 = 0x80000011;		/* PG ET PE */
	s.cr3 = pdpt;
	s.cr4 = 0x20;			/* PAE */
	s.efer = 0;
	s.flags = 0;
	kvm_ioctl(vcpu.fd, KVM_SET_SREGS2, &s);
	{
		struct kvm_regs r;

		memset(&r, 0, sizeof(r));
		r.rip = code;
		r.rflags = 2;
		kvm_ioctl(vcpu.fd, KVM_SET_REGS, &r);
	}
	if (__x86_run(&vcpu, &uc) || vcpu.run->exit_reason != KVM_EXIT_IO ||
	    vcpu.run->io.port != X86G_PAE_PORT) {
		uint32_t why = vcpu.run->exit_reason;

		if (kvm_is_pvm()) {
			teardown(&vm, &vcpu);
			atf_tc_skip("kvm-pvm does not run 32-bit PAE paging (exit %u)", why);
		}
		atf_tc_fail("the PAE stub did not reach its port write: exit %u (%s)", why,
			    kvm_exit_name(why));
	}
	memset(&s, 0, sizeof(s));
	kvm_ioctl(vcpu.fd, KVM_GET_SREGS2, &s);
	ATF_CHECK_MSG(s.flags & KVM_SREGS2_FLAGS_PDPTRS_VALID, "KVM_GET_SREGS2 flags 0x%llx without "
		      "PDPTRS_VALID in PAE paging", (unsigned long long)s.flags);
	for (int i = 0; i < 4; i++)
		ATF_CHECK_EQ_MSG(s.pdptrs[i], pdpte[i], "KVM_GET_SREGS2 pdptrs[%d] 0x%llx, the page at "
				 "CR3 has 0x%llx", i, (unsigned long long)s.pdptrs[i],
				 (unsigned long long)pdpte[i]);
	teardown(&vm, &vcpu);
}

ATF_TC(segments_compat_mode);
ATF_TC_HEAD(segments_compat_mode, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_segment base, limit and type as KVM_SET_SREGS sets them "
			  "are in force for the guest in compatibility mode: DS:0 and DS:limit-3 read the "
			  "host's markers at base, DS:limit+1 (limit) and a write to DS:0 (read-only "
			  "type) raise #GP");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(segments_compat_mode, tc)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct kvm_sregs s;
	struct x86_ucall uc;
	const uint64_t *seen;

	setup(&vm, &vcpu);
	*(uint32_t *)x86_gpa(&vm, X86G_COMPAT_DS_BASE, 4) = X86G_COMPAT_MARK0;
	*(uint32_t *)x86_gpa(&vm, X86G_COMPAT_DS_BASE + X86G_COMPAT_DS_LIMIT - 3, 4) = X86G_COMPAT_MARK1;
	kvm_ioctl(vcpu.fd, KVM_GET_SREGS, &s);
	memset(&s.ds, 0, sizeof(s.ds));
	s.ds.base = X86G_COMPAT_DS_BASE;
	s.ds.limit = X86G_COMPAT_DS_LIMIT;
	s.ds.selector = X86G_SEL_DATA_A;
	s.ds.type = 1;		/* read-only, accessed */
	s.ds.s = 1;
	s.ds.present = 1;
	s.ds.db = 1;
	s.ds.g = 0;
	kvm_ioctl(vcpu.fd, KVM_SET_SREGS, &s);
	x86_vcpu_call(&vcpu, X86G_SYM_sregs_compat, 0);
	if (!__x86_run(&vcpu, &uc)) {
		uint32_t why = vcpu.run->exit_reason;

		if (kvm_is_pvm()) {
			teardown(&vm, &vcpu);
			atf_tc_skip("kvm-pvm does not run compatibility mode (exit %u)", why);
		}
		atf_tc_fail("the compatibility-mode probe ended in exit %u (%s)", why,
			    kvm_exit_name(why));
	}
	ATF_REQUIRE_MSG(uc.cmd == UCALL_DONE, "the compatibility-mode probe ended in ucall %llu "
			"(vector %llu at 0x%llx)", (unsigned long long)uc.cmd,
			(unsigned long long)uc.args[0], (unsigned long long)uc.args[2]);
	seen = x86_gpa(&vm, X86G_SYM_compat_seen, 4 * 8);
	ATF_REQUIRE_EQ_MSG(seen[0], X86G_COMPAT_MARK0, "ds.base: DS:0 in compatibility mode reads "
			   "0x%llx", (unsigned long long)seen[0]);
	ATF_REQUIRE_EQ_MSG(seen[1], X86G_COMPAT_MARK1, "ds.base+limit: DS:limit-3 in compatibility "
			   "mode reads 0x%llx", (unsigned long long)seen[1]);
	if (seen[2] == 0 && x86_host_is_tcg()) {
		teardown(&vm, &vcpu);
		atf_tc_skip("QEMU TCG does not enforce segment limits and types on data accesses (ds.base "
			    "checked)");
	}
	CHECK_EQ("#GPs from DS:limit+1 and a write to read-only DS", seen[2], 2);
	CHECK_EQ("ds.limit (#GP at DS:limit+1) and ds.type (#GP writing DS:0)", seen[3], 3);
	teardown(&vm, &vcpu);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, regs_guest_view);
	ATF_TP_ADD_TC(tp, sregs_guest_view);
	ATF_TP_ADD_TC(tp, sregs2_guest_view);
	ATF_TP_ADD_TC(tp, sregs2_pdptrs);
	ATF_TP_ADD_TC(tp, segments_compat_mode);
	return atf_no_error();
}
