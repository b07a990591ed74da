/* conformance/vm_fd_test.c - state of the VM fd itself: KVM_CHECK_EXTENSION asked on the VM
 * (KVM_CAP_CHECK_EXTENSION_VM) against /dev/kvm's answers, the vCPU id limit, KVM_ENABLE_CAP of
 * an unknown capability, and the VM clock through the binding's kvm_clock_data (KVM_GET_CLOCK,
 * KVM_SET_CLOCK with and without KVM_CLOCK_REALTIME; x86's KVM_CAP_ADJUST_CLOCK). */
#include <atf-c.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vm_util.h"

ATF_TC(check_extension_vm);
ATF_TC_HEAD(check_extension_vm, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_CHECK_EXTENSION on the VM fd (KVM_CAP_CHECK_EXTENSION_VM) "
			  "answers as /dev/kvm does for generic capabilities, 0 for an unknown one; a "
			  "vCPU id of KVM_CAP_MAX_VCPU_ID is refused; KVM_ENABLE_CAP of a capability "
			  "that cannot be enabled is EINVAL");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(check_extension_vm, tc)
{
	static const struct { long cap; const char *name; } caps[] = {
		{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
		{ KVM_CAP_NR_MEMSLOTS, "KVM_CAP_NR_MEMSLOTS" },
		{ KVM_CAP_IOEVENTFD, "KVM_CAP_IOEVENTFD" },
		{ KVM_CAP_COALESCED_MMIO, "KVM_CAP_COALESCED_MMIO" },
		{ KVM_CAP_BINARY_STATS_FD, "KVM_CAP_BINARY_STATS_FD" },
		{ KVM_CAP_MAX_VCPU_ID, "KVM_CAP_MAX_VCPU_ID" },
	};
	struct kvm_enable_cap en;
	struct kvm_vm vm;
	int max_id, r;

	vmprog_vm_create(&vm);
	if (kvm_check_cap(vm.kvm_fd, KVM_CAP_CHECK_EXTENSION_VM) <= 0) {
		cov_ioctl("KVM_CHECK_EXTENSION", COV_SKIPPED, "KVM_CAP_CHECK_EXTENSION_VM absent");
		atf_tc_skip("KVM_CAP_CHECK_EXTENSION_VM absent");
	}
	for (unsigned int i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		int sys = kvm_check_cap(vm.kvm_fd, caps[i].cap);

		r = ioctl(vm.fd, KVM_CHECK_EXTENSION, caps[i].cap);
		ATF_CHECK_MSG(r == sys && r > 0, "%s: the VM fd says %d, /dev/kvm %d", caps[i].name, r,
			      sys);
	}
	r = ioctl(vm.fd, KVM_CHECK_EXTENSION, 0x7fffffffL);
	ATF_CHECK_EQ_MSG(r, 0, "an unknown capability on the VM fd: %d", r);

	max_id = ioctl(vm.fd, KVM_CHECK_EXTENSION, (long)KVM_CAP_MAX_VCPU_ID);
	if (max_id > 0) {
		r = ioctl(vm.fd, KVM_CREATE_VCPU, (unsigned long)max_id);
		ATF_CHECK_MSG(r < 0 && errno == EINVAL, "KVM_CREATE_VCPU id %d (KVM_CAP_MAX_VCPU_ID) "
			      "gave %d (%s), expected EINVAL", max_id, r, strerror(errno));
		if (r >= 0)
			close(r);
	}

	memset(&en, 0, sizeof(en));
	en.cap = KVM_CAP_USER_MEMORY;
	ATF_CHECK_MSG(__kvm_ioctl(vm.fd, KVM_ENABLE_CAP, &en) < 0 && errno == EINVAL,
		      "KVM_ENABLE_CAP KVM_CAP_USER_MEMORY did not fail EINVAL");
	cov_ioctl("KVM_CHECK_EXTENSION", COV_EXERCISED, "semantic: the VM fd agrees with /dev/kvm; "
		  "0 for an unknown capability");
	cov_ioctl("KVM_ENABLE_CAP", COV_REJECTED, "EINVAL for a capability that cannot be enabled");
	vm_free(&vm);
}

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	ATF_REQUIRE_EQ(clock_gettime(CLOCK_REALTIME, &ts), 0);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static struct kvm_clock_data get_clock(struct kvm_vm *vm)
{
	struct kvm_clock_data c;

	memset(&c, 0xa5, sizeof(c));
	kvm_ioctl(vm->fd, KVM_GET_CLOCK, &c);
	return c;
}

#define MS 1000000ull

ATF_TC(clock);
ATF_TC_HEAD(clock, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_GET_CLOCK (KVM_CAP_ADJUST_CLOCK) advances with time, its "
			  "flags within the capability's, realtime and host_tsc set when flagged; "
			  "KVM_SET_CLOCK sets it, with KVM_CLOCK_REALTIME adds the time since realtime, "
			  "refuses unknown flags");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(clock, tc)
{
	const struct timespec pause = { .tv_nsec = 20 * MS };
	struct kvm_clock_data a, b, set;
	struct kvm_vm vm;
	uint64_t rt, target;
	int flags;

	vmprog_vm_create(&vm);
	flags = vm_require_cap(&vm, KVM_CAP_ADJUST_CLOCK, "KVM_GET_CLOCK KVM_SET_CLOCK");

	a = get_clock(&vm);
	nanosleep(&pause, NULL);
	b = get_clock(&vm);
	ATF_CHECK_MSG(b.clock >= a.clock + 15 * MS && b.clock < a.clock + 5000 * MS, "the clock "
		      "moved %lld ns over a 20 ms sleep", (long long)(b.clock - a.clock));
	ATF_CHECK_MSG((b.flags & ~(uint32_t)flags) == 0, "KVM_GET_CLOCK flags 0x%x outside "
		      "KVM_CAP_ADJUST_CLOCK's 0x%x", b.flags, flags);
	if (b.flags & KVM_CLOCK_REALTIME) {
		rt = realtime_ns();
		ATF_CHECK_MSG(b.realtime <= rt && b.realtime + 1000 * MS > rt, "realtime %llu, "
			      "CLOCK_REALTIME %llu", (unsigned long long)b.realtime,
			      (unsigned long long)rt);
	}
	if (b.flags & KVM_CLOCK_HOST_TSC)
		ATF_CHECK_MSG(b.host_tsc > a.host_tsc, "host_tsc did not advance: %llu then %llu",
			      (unsigned long long)a.host_tsc, (unsigned long long)b.host_tsc);

	/* Plain: the clock restarts from the value set. */
	target = b.clock + 10000 * MS;
	memset(&set, 0, sizeof(set));
	set.clock = target;
	kvm_ioctl(vm.fd, KVM_SET_CLOCK, &set);
	a = get_clock(&vm);
	ATF_CHECK_MSG(a.clock >= target && a.clock < target + 1000 * MS, "KVM_SET_CLOCK %llu, then "
		      "KVM_GET_CLOCK %llu", (unsigned long long)target, (unsigned long long)a.clock);

	/* KVM_CLOCK_REALTIME: the value was true 3 s of real time ago. */
	set.clock = target;
	set.flags = KVM_CLOCK_REALTIME;
	set.realtime = realtime_ns() - 3000 * MS;
	kvm_ioctl(vm.fd, KVM_SET_CLOCK, &set);
	a = get_clock(&vm);
	ATF_CHECK_MSG(a.clock >= target + 3000 * MS && a.clock < target + 4000 * MS, "KVM_SET_CLOCK "
		      "%llu as of 3 s ago (KVM_CLOCK_REALTIME), then KVM_GET_CLOCK %llu",
		      (unsigned long long)target, (unsigned long long)a.clock);

	set.flags = 1u << 30;
	ATF_CHECK_MSG(__kvm_ioctl(vm.fd, KVM_SET_CLOCK, &set) < 0 && errno == EINVAL,
		      "KVM_SET_CLOCK with an unknown flag did not fail EINVAL");
	cov_ioctl("KVM_GET_CLOCK", COV_EXERCISED, "number,semantic: advances; flags, realtime, host_tsc");
	cov_ioctl("KVM_SET_CLOCK", COV_EXERCISED, "number,semantic: value and KVM_CLOCK_REALTIME "
		  "seen by KVM_GET_CLOCK; EINVAL flags");
	cov_struct("struct kvm_clock_data", false, "volatile by nature: SET then GET within bounds");
	vm_free(&vm);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, check_extension_vm);
	ATF_TP_ADD_TC(tp, clock);
	return atf_no_error();
}
