/* conformance/x86_fpu_test.c - x86_64: kvm_fpu, kvm_xsave (KVM_GET_XSAVE2 too) and kvm_xcrs field
 * by field through guest code (guest/x86_64/fpu.c): x87 (st0-7, fcw, fsw, tag, opcode, ip, dp),
 * MXCSR, XMM and the YMM upper halves the host sets are what fxsave/xsave store in the guest,
 * XCR0 is what xgetbv reads; what the guest loads with fxrstor/xrstor/xsetbv is what the GETs
 * return. Guest images are read at their architectural (FXSAVE/XSAVE) offsets. */
#include <atf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "x86_vm.h"

/* The FXSAVE image (Intel SDM Vol. 1 10.5.1, 64-bit format). */
#define FX_FCW		0
#define FX_FSW		2
#define FX_FTW		4
#define FX_FOP		6
#define FX_FIP		8
#define FX_FDP		16
#define FX_MXCSR	24
#define FX_ST(i)	(32 + 16 * (i))
#define FX_XMM(i)	(160 + 16 * (i))
#define XS_XSTATE_BV	512
#define XS_XCOMP_BV	520

#define XFEATURE_X87	1ull
#define XFEATURE_SSE	2ull
#define XFEATURE_YMM	4ull
#define CR4_OSXSAVE	(1ull << 18)

/* One distinctive x87/SSE/AVX state per seed. Seeds 1 and 2 leave the precision exception
 * unmasked (FCW.PM 0) and pending (FSW.PE), so FSW.ES (and B, its copy) stays set through fxrstor
 * and AMD stores FIP/FDP/FOP; the guest runs no x87 instruction that would raise #MF. */
struct fx_vals {
	uint16_t fcw, fsw, fop;
	uint8_t ftw;
	uint64_t fip, fdp;
	uint32_t mxcsr;
	uint8_t st[8][10];
	uint8_t xmm[16][16];
	uint8_t ymmh[16][16];
};

static struct fx_vals fx_make(unsigned int seed)
{
	struct fx_vals v;

	memset(&v, 0, sizeof(v));
	v.fcw = seed == 1 ? 0x0f5f : seed == 2 ? 0x065f : 0x037f;
	v.fsw = seed == 1 ? 0xb8a0 : seed == 2 ? 0x90a1 : 0x2000;
	v.ftw = seed == 1 ? 0xff : seed == 2 ? 0x5a : 0x0f;
	v.fop = seed == 1 ? 0x5a5 : seed == 2 ? 0x3c3 : 0x111;
	/* FIP/FDP below 4 GiB: the AMD host here (a virtual CPU) keeps only their low 32 bits. */
	v.fip = seed == 1 ? 0x56789abc : 0x66668888u + seed;
	v.fdp = seed == 1 ? 0x0ba98760 : 0x2222eee0u + seed;
	v.mxcsr = seed == 1 ? 0xbfa5 : seed == 2 ? 0x5f92 : 0x1f80;
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 10; j++)
			v.st[i][j] = (uint8_t)(seed * 0x40 + i * 10 + j);
	for (int i = 0; i < 16; i++)
		for (int j = 0; j < 16; j++) {
			v.xmm[i][j] = (uint8_t)((seed * 0x80 + i * 16 + j) ^ 0x3c);
			v.ymmh[i][j] = (uint8_t)((0xc0 ^ seed << 4) + i * 16 + j);
		}
	return v;
}

static void put(uint8_t *img, unsigned int off, const void *p, size_t n)
{
	memcpy(img + off, p, n);
}

/* fx_to_image: the legacy region of an FXSAVE/XSAVE image. */
static void fx_to_image(const struct fx_vals *v, uint8_t *img)
{
	put(img, FX_FCW, &v->fcw, 2);
	put(img, FX_FSW, &v->fsw, 2);
	put(img, FX_FTW, &v->ftw, 1);
	put(img, FX_FOP, &v->fop, 2);
	put(img, FX_FIP, &v->fip, 8);
	put(img, FX_FDP, &v->fdp, 8);
	put(img, FX_MXCSR, &v->mxcsr, 4);
	for (int i = 0; i < 8; i++)
		put(img, FX_ST(i), v->st[i], 10);
	for (int i = 0; i < 16; i++)
		put(img, FX_XMM(i), v->xmm[i], 16);
}

static uint64_t get(const uint8_t *img, unsigned int off, size_t n)
{
	uint64_t x = 0;

	memcpy(&x, img + off, n);
	return x;
}

#define CHECK_EQ(what, got, want) ATF_CHECK_EQ_MSG((uint64_t)(got), (uint64_t)(want), \
	"%s: 0x%llx, expected 0x%llx", what, (unsigned long long)(got), (unsigned long long)(want))
#define CHECK_BYTES(what, i, got, want, n) ATF_CHECK_MSG(memcmp(got, want, n) == 0, \
	"%s[%d] differs", what, i)

/* check_image: the legacy region (and with ymm_off the YMM upper halves) of an image; the x87
 * pointers (FOP, FIP, FDP) with pointers (fpu_x87_pointers_guest_view). */
static void check_image(const char *who, const uint8_t *img, const struct fx_vals *v,
			unsigned int ymm_off, bool pointers)
{
	char what[96];

#define IMG(field, off, n, want) do { \
	snprintf(what, sizeof(what), "%s: " field, who); \
	CHECK_EQ(what, get(img, off, n), want); \
} while (0)
	IMG("fcw", FX_FCW, 2, v->fcw);
	IMG("fsw", FX_FSW, 2, v->fsw);
	IMG("ftw", FX_FTW, 1, v->ftw);
	if (pointers) {
		IMG("fop", FX_FOP, 2, v->fop);
		IMG("fip", FX_FIP, 8, v->fip);
		IMG("fdp", FX_FDP, 8, v->fdp);
	}
	IMG("mxcsr", FX_MXCSR, 4, v->mxcsr);
#undef IMG
	snprintf(what, sizeof(what), "%s: st", who);
	for (int i = 0; i < 8; i++)
		CHECK_BYTES(what, i, img + FX_ST(i), v->st[i], 10);
	snprintf(what, sizeof(what), "%s: xmm", who);
	for (int i = 0; i < 16; i++)
		CHECK_BYTES(what, i, img + FX_XMM(i), v->xmm[i], 16);
	if (ymm_off) {
		snprintf(what, sizeof(what), "%s: ymm upper half", who);
		for (int i = 0; i < 16; i++)
			CHECK_BYTES(what, i, img + ymm_off + 16 * i, v->ymmh[i], 16);
	}
}

/* fpu_touch: KVM_SET_FPU writes the legacy area of the vCPU's XSAVE image and leaves its
 * XSTATE_BV, so on a vCPU whose x87/SSE state is still in its init state the guest would not see
 * it: the guest first loads a state of its own (seed 3). */
static void fpu_touch(struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	const struct fx_vals v3 = fx_make(3);
	uint8_t *load = x86_gpa(vm, X86G_SYM_fpu_load, 512);

	memset(load, 0, 512);
	fx_to_image(&v3, load);
	x86_vcpu_call(vcpu, X86G_SYM_fpu_touch, 0);
	x86_run_done(vcpu);
}

ATF_TC(fpu_guest_view);
ATF_TC_HEAD(fpu_guest_view, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_fpu: fpr, fcw, fsw, ftwx, xmm set by KVM_SET_FPU are "
			  "what the guest's fxsave stores; what its fxrstor loads is what KVM_GET_FPU "
			  "returns (last_opcode/ip/dp: fpu_x87_pointers_guest_view, mxcsr: "
			  "fpu_mxcsr_guest_view)");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(fpu_guest_view, tc)
{
	const struct fx_vals v1 = fx_make(1), v2 = fx_make(2);
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;
	struct kvm_fpu f;
	uint8_t *load, *img;

	x86_vm_create(&vm);
	x86_vcpu_add(&vm, &vcpu, 0);
	fpu_touch(&vm, &vcpu);
	kvm_ioctl(vcpu.fd, KVM_GET_FPU, &f);
	f.fcw = v1.fcw;
	f.fsw = v1.fsw;
	f.ftwx = v1.ftw;
	f.last_opcode = v1.fop;
	f.last_ip = v1.fip;
	f.last_dp = v1.fdp;
	f.mxcsr = v1.mxcsr;	/* ignored by KVM: fpu_mxcsr_guest_view */
	for (int i = 0; i < 8; i++) {
		memset(f.fpr[i], 0, sizeof(f.fpr[i]));
		memcpy(f.fpr[i], v1.st[i], 10);
	}
	for (int i = 0; i < 16; i++)
		memcpy(f.xmm[i], v1.xmm[i], 16);
	kvm_ioctl(vcpu.fd, KVM_SET_FPU, &f);
	x86_vcpu_call(&vcpu, X86G_SYM_fpu_probe, 0);
	x86_run_sync(&vcpu, 1, &uc);
	img = x86_gpa(&vm, X86G_SYM_fpu_seen, 512);
	put(img, FX_MXCSR, &v1.mxcsr, 4);	/* fpu_mxcsr_guest_view */
	check_image("guest fxsave after KVM_SET_FPU", img, &v1, 0, false);

	load = x86_gpa(&vm, X86G_SYM_fpu_load, 512);
	memset(load, 0, 512);
	fx_to_image(&v2, load);
	x86_run_done(&vcpu);
	memset(&f, 0xa5, sizeof(f));
	kvm_ioctl(vcpu.fd, KVM_GET_FPU, &f);
	CHECK_EQ("KVM_GET_FPU fcw after fxrstor", f.fcw, v2.fcw);
	CHECK_EQ("KVM_GET_FPU fsw after fxrstor", f.fsw, v2.fsw);
	CHECK_EQ("KVM_GET_FPU ftwx after fxrstor", f.ftwx, v2.ftw);
	for (int i = 0; i < 8; i++)
		CHECK_BYTES("KVM_GET_FPU fpr", i, f.fpr[i], v2.st[i], 10);
	for (int i = 0; i < 16; i++)
		CHECK_BYTES("KVM_GET_FPU xmm", i, f.xmm[i], v2.xmm[i], 16);
	cov_ioctl("KVM_SET_FPU", COV_EXERCISED, "semantic: guest fxsave sees every kvm_fpu field");
	cov_ioctl("KVM_GET_FPU", COV_EXERCISED, "semantic: every kvm_fpu field after guest fxrstor");
	vcpu_free(&vcpu);
	vm_free(&vm);
}

ATF_TC(fpu_x87_pointers_guest_view);
ATF_TC_HEAD(fpu_x87_pointers_guest_view, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_fpu last_opcode, last_ip, last_dp (and the same in "
			  "kvm_xsave): set by KVM_SET_FPU, seen by the guest's fxsave; loaded by its "
			  "fxrstor, returned by KVM_GET_FPU and KVM_GET_XSAVE");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(fpu_x87_pointers_guest_view, tc)
{
	const struct fx_vals v1 = fx_make(1), v2 = fx_make(2);
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;
	struct kvm_fpu f;
	static struct kvm_xsave xs;
	uint8_t *load, *img;

	x86_vm_create(&vm);
	x86_vcpu_add(&vm, &vcpu, 0);
	/* Does the vCPU itself keep FOP/FIP/FDP through fxrstor and fxsave? */
	load = x86_gpa(&vm, X86G_SYM_fpu_load, 512);
	img = x86_gpa(&vm, X86G_SYM_fpu_seen, 512);
	memset(load, 0, 512);
	fx_to_image(&v1, load);
	x86_vcpu_call(&vcpu, X86G_SYM_fpu_roundtrip, 0);
	x86_run_done(&vcpu);
	if (get(img, FX_FOP, 2) != v1.fop || get(img, FX_FIP, 8) != v1.fip ||
	    get(img, FX_FDP, 8) != v1.fdp) {
		vcpu_free(&vcpu);
		vm_free(&vm);
		atf_tc_skip("the vCPU does not keep x87 FOP/FIP/FDP through fxrstor and fxsave%s",
			    x86_host_is_tcg() ? " (QEMU TCG does not emulate them)" : "");
	}

	fpu_touch(&vm, &vcpu);
	kvm_ioctl(vcpu.fd, KVM_GET_FPU, &f);
	f.fcw = v1.fcw;		/* an exception pending: AMD stores the pointers */
	f.fsw = v1.fsw;
	f.last_opcode = v1.fop;
	f.last_ip = v1.fip;
	f.last_dp = v1.fdp;
	kvm_ioctl(vcpu.fd, KVM_SET_FPU, &f);
	x86_vcpu_call(&vcpu, X86G_SYM_fpu_probe, 0);
	x86_run_sync(&vcpu, 1, &uc);
	CHECK_EQ("guest fxsave fop after KVM_SET_FPU last_opcode", get(img, FX_FOP, 2), v1.fop);
	CHECK_EQ("guest fxsave fip after KVM_SET_FPU last_ip", get(img, FX_FIP, 8), v1.fip);
	CHECK_EQ("guest fxsave fdp after KVM_SET_FPU last_dp", get(img, FX_FDP, 8), v1.fdp);
	memset(load, 0, 512);
	fx_to_image(&v2, load);
	x86_run_done(&vcpu);
	kvm_ioctl(vcpu.fd, KVM_GET_FPU, &f);
	CHECK_EQ("KVM_GET_FPU last_opcode after fxrstor", f.last_opcode, v2.fop);
	CHECK_EQ("KVM_GET_FPU last_ip after fxrstor", f.last_ip, v2.fip);
	CHECK_EQ("KVM_GET_FPU last_dp after fxrstor", f.last_dp, v2.fdp);
	if (kvm_check_cap(vm.kvm_fd, KVM_CAP_XSAVE) > 0) {
		kvm_ioctl(vcpu.fd, KVM_GET_XSAVE, &xs);
		img = (uint8_t *)xs.region;
		CHECK_EQ("KVM_GET_XSAVE fop after fxrstor", get(img, FX_FOP, 2), v2.fop);
		CHECK_EQ("KVM_GET_XSAVE fip after fxrstor", get(img, FX_FIP, 8), v2.fip);
		CHECK_EQ("KVM_GET_XSAVE fdp after fxrstor", get(img, FX_FDP, 8), v2.fdp);
	}
	vcpu_free(&vcpu);
	vm_free(&vm);
}

ATF_TC(fpu_mxcsr_guest_view);
ATF_TC_HEAD(fpu_mxcsr_guest_view, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_fpu.mxcsr: the MXCSR the guest's fxrstor loads is what "
			  "KVM_GET_FPU returns, and KVM_SET_FPU's is what the guest's fxsave stores "
			  "(expected to fail: KVM does not carry the field)");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(fpu_mxcsr_guest_view, tc)
{
	const struct fx_vals v1 = fx_make(1), v2 = fx_make(2);
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;
	struct kvm_fpu f;
	uint8_t *load;

	x86_vm_create(&vm);
	x86_vcpu_add(&vm, &vcpu, 0);
	fpu_touch(&vm, &vcpu);
	kvm_ioctl(vcpu.fd, KVM_GET_FPU, &f);
	f.mxcsr = v1.mxcsr;
	kvm_ioctl(vcpu.fd, KVM_SET_FPU, &f);
	x86_vcpu_call(&vcpu, X86G_SYM_fpu_probe, 0);
	x86_run_sync(&vcpu, 1, &uc);
	load = x86_gpa(&vm, X86G_SYM_fpu_load, 512);
	memset(load, 0, 512);
	fx_to_image(&v2, load);
	x86_run_done(&vcpu);
	atf_tc_expect_fail("KVM_GET_FPU and KVM_SET_FPU leave kvm_fpu.mxcsr out "
			   "(arch/x86/kvm/x86.c kvm_arch_vcpu_ioctl_{get,set}_fpu, 6.1 to 6.18); "
			   "MXCSR is checked through kvm_xsave");
	CHECK_EQ("guest fxsave mxcsr after KVM_SET_FPU",
		 get(x86_gpa(&vm, X86G_SYM_fpu_seen, 512), FX_MXCSR, 4), v1.mxcsr);
	kvm_ioctl(vcpu.fd, KVM_GET_FPU, &f);
	CHECK_EQ("KVM_GET_FPU mxcsr after fxrstor", f.mxcsr, v2.mxcsr);
	vcpu_free(&vcpu);
	vm_free(&vm);
}

static uint64_t host_xgetbv(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}

static uint64_t xcrs_get0(struct kvm_vcpu *vcpu)
{
	struct kvm_xcrs xcrs;
	uint64_t found = ~0ull;

	memset(&xcrs, 0, sizeof(xcrs));
	kvm_ioctl(vcpu->fd, KVM_GET_XCRS, &xcrs);
	ATF_CHECK_MSG(xcrs.nr_xcrs >= 1 && xcrs.nr_xcrs <= KVM_MAX_XCRS, "KVM_GET_XCRS nr_xcrs %u",
		      xcrs.nr_xcrs);
	for (unsigned int i = 0; i < xcrs.nr_xcrs && i < KVM_MAX_XCRS; i++)
		if (xcrs.xcrs[i].xcr == 0)
			found = xcrs.xcrs[i].value;
	return found;
}

/* xsave_setup: a VM and vCPU with CR4.OSXSAVE for the XSAVE cases, or a skip naming what is
 * missing; *xcr0 the host's own XCR0, which KVM must offer in full (see fpu.c). */
static void xsave_setup(struct kvm_vm *vm, struct kvm_vcpu *vcpu, uint64_t *xcr0)
{
	const struct kvm_cpuid_entry2 *d0;
	struct kvm_sregs s;
	uint64_t supported;

	x86_vm_create(vm);
	if (kvm_check_cap(vm->kvm_fd, KVM_CAP_XSAVE) <= 0 || kvm_check_cap(vm->kvm_fd, KVM_CAP_XCRS) <= 0) {
		cov_ioctl("KVM_SET_XSAVE", COV_SKIPPED, "KVM_CAP_XSAVE or KVM_CAP_XCRS absent");
		vm_free(vm);
		atf_tc_skip("KVM_CAP_XSAVE or KVM_CAP_XCRS absent");
	}
	d0 = x86_cpuid_find(x86_supported_cpuid(vm), 0xd, 0);
	if (!x86_has(vm, 1, 0, 'c', 26) || d0 == NULL) {
		cov_ioctl("KVM_SET_XSAVE", COV_SKIPPED, "CPUID XSAVE absent from KVM_GET_SUPPORTED_CPUID");
		vm_free(vm);
		atf_tc_skip("CPUID XSAVE absent from KVM_GET_SUPPORTED_CPUID");
	}
	supported = d0->eax | (uint64_t)d0->edx << 32;
	*xcr0 = host_xgetbv();
	if ((*xcr0 & supported) != *xcr0) {
		vm_free(vm);
		atf_tc_skip("the host's XCR0 0x%llx has components KVM does not offer (0x%llx)",
			    (unsigned long long)*xcr0, (unsigned long long)supported);
	}
	x86_vcpu_add(vm, vcpu, 0);
	kvm_ioctl(vcpu->fd, KVM_GET_SREGS, &s);
	s.cr4 |= CR4_OSXSAVE;
	kvm_ioctl(vcpu->fd, KVM_SET_SREGS, &s);
}

static void xcrs_set0(struct kvm_vcpu *vcpu, uint64_t value)
{
	struct kvm_xcrs xcrs;

	memset(&xcrs, 0, sizeof(xcrs));
	xcrs.nr_xcrs = 1;
	xcrs.xcrs[0].xcr = 0;
	xcrs.xcrs[0].value = value;
	kvm_ioctl(vcpu->fd, KVM_SET_XCRS, &xcrs);
}

ATF_TC(xcrs_guest_view);
ATF_TC_HEAD(xcrs_guest_view, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_xcrs: XCR0 set by KVM_SET_XCRS is what the guest's xgetbv "
			  "reads; the guest's xsetbv is what KVM_GET_XCRS returns");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(xcrs_guest_view, tc)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;
	uint64_t xcr0, got;

	xsave_setup(&vm, &vcpu, &xcr0);
	xcrs_set0(&vcpu, XFEATURE_X87 | XFEATURE_SSE);
	x86_vcpu_call(&vcpu, X86G_SYM_xcr0_probe, xcr0);
	x86_run_sync(&vcpu, 1, &uc);
	ATF_REQUIRE_EQ_MSG(uc.args[1], XFEATURE_X87 | XFEATURE_SSE, "XCR0 read by the guest's "
			   "xgetbv after KVM_SET_XCRS: 0x%llx", (unsigned long long)uc.args[1]);
	cov_ioctl("KVM_SET_XCRS", COV_EXERCISED, "semantic: guest xgetbv reads XCR0");
	x86_run_sync(&vcpu, 2, &uc);
	got = xcrs_get0(&vcpu);
	if (got == (XFEATURE_X87 | XFEATURE_SSE) && uc.args[1] == xcr0 && x86_host_is_tcg()) {
		vcpu_free(&vcpu);
		vm_free(&vm);
		atf_tc_skip("QEMU TCG's nested SVM does not intercept the guest's XSETBV (KVM never "
			    "sees it)");
	}
	CHECK_EQ("KVM_GET_XCRS XCR0 after the guest's xsetbv", got, xcr0);
	CHECK_EQ("XCR0 the guest reads back after its xsetbv", uc.args[1], xcr0);
	cov_ioctl("KVM_GET_XCRS", COV_EXERCISED, "semantic: XCR0 of guest xsetbv");
	x86_run_done(&vcpu);
	vcpu_free(&vcpu);
	vm_free(&vm);
}

ATF_TC(xsave_guest_view);
ATF_TC_HEAD(xsave_guest_view, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_xsave: the x87/SSE/AVX state of KVM_SET_XSAVE is what the "
			  "guest's xsave stores; its xrstor is what KVM_GET_XSAVE and KVM_GET_XSAVE2 "
			  "return");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(xsave_guest_view, tc)
{
	const struct fx_vals v1 = fx_make(1), v2 = fx_make(2);
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;
	static struct kvm_xsave xs;
	const struct kvm_cpuid_entry2 *ymm;
	uint64_t mask, bv, xcr0;
	unsigned int ymm_off = 0;
	uint8_t *img, *load;
	int xsave2;

	xsave_setup(&vm, &vcpu, &xcr0);
	mask = xcr0 & (XFEATURE_X87 | XFEATURE_SSE | XFEATURE_YMM);
	ymm = x86_cpuid_find(x86_supported_cpuid(&vm), 0xd, 2);
	if (mask & XFEATURE_YMM) {
		ATF_REQUIRE_MSG(ymm != NULL && ymm->eax == 256, "CPUID 0xd.2: no 256-byte YMM area");
		ymm_off = ymm->ebx;
	}
	xcrs_set0(&vcpu, xcr0);

	kvm_ioctl(vcpu.fd, KVM_GET_XSAVE, &xs);
	img = (uint8_t *)xs.region;
	fx_to_image(&v1, img);
	for (int i = 0; ymm_off && i < 16; i++)
		memcpy(img + ymm_off + 16 * i, v1.ymmh[i], 16);
	bv = get(img, XS_XSTATE_BV, 8) | mask;
	put(img, XS_XSTATE_BV, &bv, 8);
	kvm_ioctl(vcpu.fd, KVM_SET_XSAVE, &xs);
	x86_vcpu_call(&vcpu, X86G_SYM_xsave_probe, mask);
	x86_run_sync(&vcpu, 1, &uc);
	img = x86_gpa(&vm, X86G_SYM_fpu_seen, 4096);
	check_image("guest xsave after KVM_SET_XSAVE", img, &v1, ymm_off, false);
	CHECK_EQ("guest xsave: XSTATE_BV of the components set", get(img, XS_XSTATE_BV, 8) & mask, mask);

	load = x86_gpa(&vm, X86G_SYM_fpu_load, 4096);
	memset(load, 0, 4096);
	fx_to_image(&v2, load);
	for (int i = 0; ymm_off && i < 16; i++)
		memcpy(load + ymm_off + 16 * i, v2.ymmh[i], 16);
	put(load, XS_XSTATE_BV, &mask, 8);
	x86_run_done(&vcpu);
	memset(&xs, 0, sizeof(xs));
	kvm_ioctl(vcpu.fd, KVM_GET_XSAVE, &xs);
	check_image("KVM_GET_XSAVE after the guest's xrstor", (uint8_t *)xs.region, &v2, ymm_off,
		    false);
	cov_ioctl("KVM_SET_XSAVE", COV_EXERCISED, "semantic: guest xsave sees x87, SSE, AVX state");
	cov_ioctl("KVM_GET_XSAVE", COV_EXERCISED, "semantic: x87, SSE, AVX state of guest xrstor");

	xsave2 = kvm_check_cap(vm.fd, KVM_CAP_XSAVE2);
	if (xsave2 > 0) {
		struct kvm_xsave *x2;

		ATF_CHECK_MSG(xsave2 >= (int)sizeof(struct kvm_xsave), "KVM_CAP_XSAVE2 size %d", xsave2);
		x2 = calloc(1, (size_t)xsave2 < sizeof(*x2) ? sizeof(*x2) : (size_t)xsave2);
		ATF_REQUIRE(x2 != NULL);
		kvm_ioctl(vcpu.fd, KVM_GET_XSAVE2, x2);
		check_image("KVM_GET_XSAVE2 after the guest's xrstor", (uint8_t *)x2->region, &v2,
			    ymm_off, false);
		ATF_CHECK_MSG(memcmp(x2->region, xs.region, sizeof(xs.region)) == 0,
			      "KVM_GET_XSAVE2's first 4096 bytes differ from KVM_GET_XSAVE's");
		free(x2);
		cov_ioctl("KVM_GET_XSAVE2", COV_EXERCISED, "semantic: as KVM_GET_XSAVE");
	} else {
		cov_ioctl("KVM_GET_XSAVE2", COV_SKIPPED, "KVM_CAP_XSAVE2 absent");
	}
	vcpu_free(&vcpu);
	vm_free(&vm);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, fpu_guest_view);
	ATF_TP_ADD_TC(tp, fpu_x87_pointers_guest_view);
	ATF_TP_ADD_TC(tp, fpu_mxcsr_guest_view);
	ATF_TP_ADD_TC(tp, xcrs_guest_view);
	ATF_TP_ADD_TC(tp, xsave_guest_view);
	return atf_no_error();
}
