/* conformance/x86_clock_test.c - x86_64: clocks and the TSC through guest code. kvm_clock_data set
 * by KVM_SET_CLOCK is the kvmclock the guest reads (and KVM_GET_CLOCK's clock what it read, later);
 * KVM_GET_TSC_KHZ / KVM_SET_TSC_KHZ are the rate the guest's pvclock record encodes; the TSC the
 * host sets (MSR_IA32_TSC) is what rdtsc reads, and what the guest writes what KVM_GET_MSRS
 * returns. Time moves between the two sides: every comparison allows BOUND_NS (10 s, for QEMU's
 * TCG) of it, and a rate 0.2%. The TSC offset round trip of ioctl_test needs a stable TSC
 * (needs=stable_tsc): checked here against a stand-in clocksource list. */
#include <atf-c.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "coverage.h"
#include "ioctl_check.h"
#include "x86_vm.h"

#define BOUND_NS 10000000000ull
#define MSR_IA32_TSC 0x10

/* khz_of: the TSC rate a pvclock record's mul and shift encode (ns = ticks * mul / 2^32 << shift). */
static uint64_t khz_of(uint32_t mul, int shift)
{
	double ns_per_tick = (double)mul / 4294967296.0;

	ns_per_tick = shift < 0 ? ns_per_tick / (double)(1ull << -shift) :
				  ns_per_tick * (double)(1ull << shift);
	return (uint64_t)(1e6 / ns_per_tick + 0.5);
}

static int close_rate(uint64_t a, uint64_t b)
{
	uint64_t d = a > b ? a - b : b - a;

	return d * 500 <= b;	/* 0.2% */
}

ATF_TC(clock_guest_view);
ATF_TC_HEAD(clock_guest_view, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_clock_data: the clock KVM_SET_CLOCK sets is the kvmclock "
			  "the guest reads (within 10 s after it), KVM_GET_CLOCK's clock follows what the "
			  "guest read (within 10 s), its realtime and host_tsc (where flags say so) are the "
			  "host's");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(clock_guest_view, tc)
{
	const uint64_t set = 1000000000000ull;	/* 1000 s */
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;
	struct kvm_clock_data c;
	struct timespec rt0, rt1;
	uint64_t tsc0, tsc1;
	uint64_t guest_ns;

	x86_vm_create(&vm);
	if (kvm_check_cap(vm.kvm_fd, KVM_CAP_ADJUST_CLOCK) <= 0) {
		vm_free(&vm);
		atf_tc_skip("KVM_CAP_ADJUST_CLOCK absent");
	}
	x86_vcpu_add(&vm, &vcpu, 0);
	memset(&c, 0, sizeof(c));
	c.clock = set;
	kvm_ioctl(vm.fd, KVM_SET_CLOCK, &c);
	x86_vcpu_call(&vcpu, X86G_SYM_clock_probe, 0);
	x86_run_sync(&vcpu, 1, &uc);
	guest_ns = uc.args[1];
	ATF_CHECK_MSG(guest_ns >= set && guest_ns - set < BOUND_NS, "guest kvmclock %llu ns, "
		      "KVM_SET_CLOCK set %llu ns", (unsigned long long)guest_ns, (unsigned long long)set);
	cov_ioctl("KVM_SET_CLOCK", COV_EXERCISED, "semantic: the guest's kvmclock");

	clock_gettime(CLOCK_REALTIME, &rt0);
	__asm__ volatile("rdtsc; shl $32, %%rdx; or %%rdx, %%rax" : "=a"(tsc0) :: "rdx");
	memset(&c, 0, sizeof(c));
	kvm_ioctl(vm.fd, KVM_GET_CLOCK, &c);
	__asm__ volatile("rdtsc; shl $32, %%rdx; or %%rdx, %%rax" : "=a"(tsc1) :: "rdx");
	clock_gettime(CLOCK_REALTIME, &rt1);
	ATF_CHECK_MSG(c.clock >= guest_ns && c.clock - guest_ns < BOUND_NS, "KVM_GET_CLOCK clock %llu "
		      "ns, the guest read %llu ns before", (unsigned long long)c.clock,
		      (unsigned long long)guest_ns);
	if (c.flags & KVM_CLOCK_REALTIME) {
		uint64_t lo = (uint64_t)rt0.tv_sec * 1000000000ull + (uint64_t)rt0.tv_nsec;
		uint64_t hi = (uint64_t)rt1.tv_sec * 1000000000ull + (uint64_t)rt1.tv_nsec;

		ATF_CHECK_MSG(c.realtime >= lo - 1000000 && c.realtime <= hi + 1000000,
			      "KVM_GET_CLOCK realtime %llu outside the host's CLOCK_REALTIME "
			      "[%llu, %llu]", (unsigned long long)c.realtime, (unsigned long long)lo,
			      (unsigned long long)hi);
	}
	if (c.flags & KVM_CLOCK_HOST_TSC)
		ATF_CHECK_MSG(c.host_tsc >= tsc0 && c.host_tsc <= tsc1, "KVM_GET_CLOCK host_tsc %llu "
			      "outside the host's rdtsc [%llu, %llu]", (unsigned long long)c.host_tsc,
			      (unsigned long long)tsc0, (unsigned long long)tsc1);
	cov_ioctl("KVM_GET_CLOCK", COV_EXERCISED, "semantic: clock after the guest's reading, "
		  "realtime, host_tsc");
	x86_run_done(&vcpu);
	vcpu_free(&vcpu);
	vm_free(&vm);
}

ATF_TC(tsc_khz_guest_view);
ATF_TC_HEAD(tsc_khz_guest_view, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_GET_TSC_KHZ is the TSC rate the guest's pvclock record "
			  "encodes (0.2%%); after KVM_SET_TSC_KHZ of a rate 25%% higher, KVM_GET_TSC_KHZ "
			  "and (with TSC scaling, KVM_CAP_TSC_CONTROL) the guest's record give that rate");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(tsc_khz_guest_view, tc)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;
	int khz, khz2, got;

	x86_vm_create(&vm);
	if (kvm_check_cap(vm.kvm_fd, KVM_CAP_GET_TSC_KHZ) <= 0) {
		vm_free(&vm);
		atf_tc_skip("KVM_CAP_GET_TSC_KHZ absent");
	}
	x86_vcpu_add(&vm, &vcpu, 0);
	khz = ioctl(vcpu.fd, KVM_GET_TSC_KHZ, 0);
	ATF_REQUIRE_MSG(khz > 0, "KVM_GET_TSC_KHZ: %d (%s)", khz, strerror(errno));
	x86_vcpu_call(&vcpu, X86G_SYM_clock_probe, 0);
	x86_run_sync(&vcpu, 1, &uc);
	ATF_REQUIRE_MSG(close_rate(khz_of((uint32_t)uc.args[2], (int)(int64_t)uc.args[3]), (uint64_t)khz),
		      "the guest's pvclock encodes %llu kHz, KVM_GET_TSC_KHZ says %d",
		      (unsigned long long)khz_of((uint32_t)uc.args[2], (int)(int64_t)uc.args[3]), khz);
	x86_run_done(&vcpu);
	cov_ioctl("KVM_GET_TSC_KHZ", COV_EXERCISED, "semantic: the rate of the guest's pvclock");
	vcpu_free(&vcpu);

	/* A second vCPU at a higher rate (without TSC scaling KVM keeps up by catching up). */
	vm_vcpu_add(&vm, &vcpu, 1);
	khz2 = khz + khz / 4;
	if (ioctl(vcpu.fd, KVM_SET_TSC_KHZ, (unsigned long)khz2) < 0) {
		int e = errno;

		vcpu_free(&vcpu);
		vm_free(&vm);
		cov_ioctl("KVM_SET_TSC_KHZ", COV_SKIPPED, "refused a higher rate");
		atf_tc_skip("KVM_SET_TSC_KHZ %d refused (%s): no TSC scaling or catch-up here", khz2,
			    strerror(e));
	}
	x86_vcpu_set_cpuid(&vcpu, x86_supported_cpuid(&vm));
	x86_vcpu_long_mode(&vcpu);
	got = ioctl(vcpu.fd, KVM_GET_TSC_KHZ, 0);
	ATF_REQUIRE_EQ_MSG(got, khz2, "KVM_GET_TSC_KHZ %d after KVM_SET_TSC_KHZ %d", got, khz2);
	if (kvm_check_cap(vm.kvm_fd, KVM_CAP_TSC_CONTROL) <= 0) {
		vcpu_free(&vcpu);
		vm_free(&vm);
		cov_ioctl("KVM_SET_TSC_KHZ", COV_EXERCISED, "KVM_GET_TSC_KHZ gives it back; no TSC "
			  "scaling for the guest-visible rate");
		atf_tc_skip("KVM_CAP_TSC_CONTROL absent: without TSC scaling KVM catches the TSC up "
			    "and the guest's pvclock keeps the host's rate (KVM_GET_TSC_KHZ and the "
			    "first rate checked)");
	}
	x86_vcpu_call(&vcpu, X86G_SYM_clock_probe, 0);
	x86_run_sync(&vcpu, 1, &uc);
	ATF_CHECK_MSG(close_rate(khz_of((uint32_t)uc.args[2], (int)(int64_t)uc.args[3]), (uint64_t)khz2),
		      "the guest's pvclock encodes %llu kHz after KVM_SET_TSC_KHZ %d",
		      (unsigned long long)khz_of((uint32_t)uc.args[2], (int)(int64_t)uc.args[3]), khz2);
	x86_run_done(&vcpu);
	cov_ioctl("KVM_SET_TSC_KHZ", COV_EXERCISED, "semantic: the rate of the guest's pvclock");
	vcpu_free(&vcpu);
	vm_free(&vm);
}

static uint64_t get_tsc(struct kvm_vcpu *vcpu)
{
	struct { struct kvm_msrs h; struct kvm_msr_entry e; } m;

	memset(&m, 0, sizeof(m));
	m.h.nmsrs = 1;
	m.e.index = MSR_IA32_TSC;
	ATF_REQUIRE_EQ(__kvm_ioctl(vcpu->fd, KVM_GET_MSRS, &m.h), 1);
	return m.e.data;
}

ATF_TC(tsc_guest_view);
ATF_TC_HEAD(tsc_guest_view, tc)
{
	atf_tc_set_md_var(tc, "descr", "The TSC KVM_SET_MSRS sets (MSR_IA32_TSC) is what the guest's "
			  "rdtsc reads, and the TSC the guest writes is what KVM_GET_MSRS returns, each "
			  "within 10 s of ticks at KVM_GET_TSC_KHZ");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(tsc_guest_view, tc)
{
	const uint64_t host_tsc = 1ull << 40, guest_tsc = 1ull << 41;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct x86_ucall uc;
	struct { struct kvm_msrs h; struct kvm_msr_entry e; } m;
	uint64_t bound, got;
	int khz;

	x86_vm_create(&vm);
	x86_vcpu_add(&vm, &vcpu, 0);
	khz = ioctl(vcpu.fd, KVM_GET_TSC_KHZ, 0);
	ATF_REQUIRE_MSG(khz > 0, "KVM_GET_TSC_KHZ: %d (%s)", khz, strerror(errno));
	bound = (uint64_t)khz * 1000 * (BOUND_NS / 1000000000ull);
	memset(&m, 0, sizeof(m));
	m.h.nmsrs = 1;
	m.e.index = MSR_IA32_TSC;
	m.e.data = host_tsc;
	ATF_REQUIRE_EQ(__kvm_ioctl(vcpu.fd, KVM_SET_MSRS, &m.h), 1);
	x86_vcpu_call(&vcpu, X86G_SYM_tsc_probe, guest_tsc);
	x86_run_sync(&vcpu, 1, &uc);
	if (!(uc.args[1] >= host_tsc && uc.args[1] - host_tsc < bound) && kvm_is_pvm()) {
		vcpu_free(&vcpu);
		vm_free(&vm);
		atf_tc_skip("kvm-pvm runs the guest on the host's TSC (no TSC offset): rdtsc 0x%llx "
			    "after KVM_SET_MSRS TSC 0x%llx", (unsigned long long)uc.args[1],
			    (unsigned long long)host_tsc);
	}
	ATF_CHECK_MSG(uc.args[1] >= host_tsc && uc.args[1] - host_tsc < bound, "guest rdtsc 0x%llx, "
		      "KVM_SET_MSRS set the TSC to 0x%llx", (unsigned long long)uc.args[1],
		      (unsigned long long)host_tsc);
	x86_run_done(&vcpu);
	got = get_tsc(&vcpu);
	ATF_CHECK_MSG(got >= guest_tsc && got - guest_tsc < bound, "KVM_GET_MSRS TSC 0x%llx, the guest "
		      "wrote 0x%llx", (unsigned long long)got, (unsigned long long)guest_tsc);
	vcpu_free(&vcpu);
	vm_free(&vm);
}

/* sources_file: a stand-in for available_clocksource (KVMGATE_CLOCKSOURCES) listing what. */
static void sources_file(const char *what)
{
	FILE *f = fopen("clocksources", "w");

	ATF_REQUIRE(f != NULL);
	fprintf(f, "%s\n", what);
	ATF_REQUIRE(fclose(f) == 0);
	ATF_REQUIRE(setenv("KVMGATE_CLOCKSOURCES", "clocksources", 1) == 0);
}

ATF_TC(tsc_offset_needs_stable_tsc);
ATF_TC_HEAD(tsc_offset_needs_stable_tsc, tc)
{
	atf_tc_set_md_var(tc, "descr", "The TSC offset round trip (KVM_GET/SET_DEVICE_ATTR, needs="
			  "stable_tsc) is set up while the kernel lists the TSC among its clocksources, "
			  "and is a skip naming the unstable TSC when it does not");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(tsc_offset_needs_stable_tsc, tc)
{
	const struct cat_entry *e;
	struct catalog cat;
	struct ictx c;
	bool up;

	ictx_catalog(&cat, tc);
	e = catalog_find(&cat, "KVM_GET_DEVICE_ATTR");
	ATF_REQUIRE_MSG(e != NULL && catalog_needs(e, "stable_tsc"),
			"the catalog's KVM_GET_DEVICE_ATTR has no needs=stable_tsc");
	sources_file("kvm-clock tsc hpet acpi_pm");
	up = ictx_setup(&c, &cat, e);
	if (!up && strstr(c.skip, "absent") != NULL) {
		ictx_teardown(&c);
		catalog_free(&cat);
		atf_tc_skip("%s", c.skip);
	}
	ATF_CHECK_MSG(up, "set up with the TSC listed: %s", c.skip);
	ATF_CHECK(ictx_needs_hold(&c, e));
	sources_file("kvm-clock hpet acpi_pm");	/* the watchdog marked it unstable meanwhile */
	ATF_CHECK(!ictx_needs_hold(&c, e));
	ATF_CHECK_MSG(strstr(c.skip, "the TSC is unstable") != NULL, "the reason: %s", c.skip);
	ictx_teardown(&c);
	up = ictx_setup(&c, &cat, e);
	ATF_CHECK_MSG(!up && strstr(c.skip, "the TSC is unstable") != NULL,
		      "set up without the TSC listed: %s", up ? "it was" : c.skip);
	ictx_teardown(&c);
	catalog_free(&cat);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, tsc_offset_needs_stable_tsc);
	ATF_TP_ADD_TC(tp, clock_guest_view);
	ATF_TP_ADD_TC(tp, tsc_khz_guest_view);
	ATF_TP_ADD_TC(tp, tsc_guest_view);
	return atf_no_error();
}
