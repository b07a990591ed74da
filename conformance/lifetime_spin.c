/* conformance/lifetime_spin.c - lifetime_test's helper: a conformance program (atf-c, the
 * conformance library, so lifetime.c's bound) whose cases never end, as the orphan of the
 * incident did not: in KVM_RUN of a guest that spins for ever, or asleep, with SIGTERM, SIGINT,
 * SIGHUP and SIGALRM ignored. Each says "ready PID" on its stdout first. Listed in no Kyuafile:
 * only lifetime_test runs it, and ends it. */
#include <atf-c.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "guest_progs_vm.h"
#include "vm_util.h"

/* Everything but SIGKILL (and the faults) left ignored, then "ready PID" on stdout. */
static void deaf_and_ready(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGALRM };

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		ATF_REQUIRE_MSG(signal(sigs[i], SIG_IGN) != SIG_ERR, "signal %d: %s", sigs[i],
				strerror(errno));
	ATF_REQUIRE_MSG(printf("ready %ld\n", (long)getpid()) > 0 && fflush(stdout) == 0,
			"stdout: %s", strerror(errno));
}

ATF_TC(kvm_run);
ATF_TC_HEAD(kvm_run, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_RUN of a guest that spins for ever, never returning");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(kvm_run, tc)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;

	(void)tc;
	vmprog_vm_create(&vm);
	vm_vcpu_add(&vm, &vcpu, 0);
	vmprog_start(&vcpu, &vmprog_spin, &(struct vmprog_args){ 0 });
	deaf_and_ready();
	for (;;) {
		int r = ioctl(vcpu.fd, KVM_RUN, 0UL);

		ATF_REQUIRE_MSG(r < 0 && errno == EINTR, "KVM_RUN of the spinning guest returned "
				"%d (%s), exit_reason %u", r, strerror(errno), vcpu.run->exit_reason);
	}
}

ATF_TC_WITHOUT_HEAD(asleep);
ATF_TC_BODY(asleep, tc)
{
	(void)tc;
	deaf_and_ready();
	for (;;)
		pause();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, kvm_run);
	ATF_TP_ADD_TC(tp, asleep);
	return atf_no_error();
}
