/* conformance/lifetime_test.c - lifetime.c's bound on a conformance program: one that never
 * ends (lifetime_spin, in KVM_RUN of a spinning guest or asleep, deaf to SIGTERM and SIGALRM)
 * dies of SIGKILL at once when its parent, the stand-in for kyua, is killed, and after
 * $KVMGATE_TEST_WATCHDOG seconds when nobody ends it. Host only (Kyuafile). */
#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "kvm_util.h"
#include "lifetime.h"

/* How long a killed helper may take to be gone (a VM's teardown under load included). */
#define GONE_BOUND_MS 10000
/* How long the helper may take to get ready (a VM's set-up under load). */
#define READY_BOUND_MS 60000

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000L + (t.tv_nsec - t0->tv_nsec) / 1000000L;
}

/* In a child: the helper's case hcase with stdout on fd out and $KVMGATE_TEST_WATCHDOG set to
 * watchdog. Does not return. */
static void helper_exec(const atf_tc_t *tc, const char *hcase, const char *watchdog, int out)
{
	const char *srcdir = atf_tc_get_config_var(tc, "srcdir");
	char path[4096];

	if (snprintf(path, sizeof(path), "%s/lifetime_spin", srcdir) >= (int)sizeof(path) || dup2(out, STDOUT_FILENO) < 0 || setenv(LIFETIME_WATCHDOG_ENV, watchdog, 1) < 0)
		_exit(125);
	execl(path, path, "-s", srcdir, "-r", "helper.result", hcase, (char *)NULL);
	_exit(126);
}

/* The helper's pid from its "ready PID" line on fd in; fails the case (with the helper's result
 * file) when none comes. */
static pid_t helper_ready(int in)
{
	struct pollfd p = { .fd = in, .events = POLLIN };
	char buf[64] = "", res[512] = "";
	ssize_t n = 0;
	long pid;
	int fd;

	if (poll(&p, 1, READY_BOUND_MS) == 1)
		n = read(in, buf, sizeof(buf) - 1);
	if (n > 0 && sscanf(buf, "ready %ld", &pid) == 1 && pid > 0)
		return (pid_t)pid;
	fd = open("helper.result", O_RDONLY);
	if (fd >= 0) {
		ssize_t r = read(fd, res, sizeof(res) - 1);

		res[r > 0 ? r : 0] = '\0';
		res[strcspn(res, "\n")] = '\0';
		close(fd);
	}
	if (!strncmp(res, "skipped: ", 9))
		atf_tc_skip("lifetime_spin: %s", res + 9);
	atf_tc_fail("lifetime_spin never got ready (%s)", *res ? res : "no result");
}

/* Reap pid (our child) if it ends within bound_ms: true with *status, else false. */
static bool reap_within(pid_t pid, long bound_ms, int *status)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return true;
		ATF_REQUIRE_MSG(r == 0, "waitpid %ld: %s", (long)pid, strerror(errno));
		nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
	} while (ms_since(&t0) < bound_ms);
	return false;
}

/* The helper still running after the bound: ended here (it must not outlive the case). */
static void helper_end(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void check_sigkilled(int status, const char *what)
{
	ATF_CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		      "%s: the helper ended with status 0x%x, not by SIGKILL", what, status);
}

/* The helper's case hcase under a stand-in parent, which is then killed: the helper (ours then,
 * as we are the subreaper) must be gone within GONE_BOUND_MS, by SIGKILL. */
static void orphan(const atf_tc_t *tc, const char *hcase)
{
	pid_t parent, helper;
	int p[2], status;
	struct timespec t0;

	ATF_REQUIRE_MSG(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0, "PR_SET_CHILD_SUBREAPER: %s",
			strerror(errno));
	ATF_REQUIRE_MSG(pipe(p) == 0, "pipe: %s", strerror(errno));
	parent = fork();
	ATF_REQUIRE_MSG(parent >= 0, "fork: %s", strerror(errno));
	if (parent == 0) {
		/* the stand-in parent: it dies with us whatever happens to this case */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
			_exit(125);
		if (fork() == 0)
			helper_exec(tc, hcase, "0", p[1]);	/* no time bound: the parent's death only */
		for (;;)
			pause();
	}
	close(p[1]);
	helper = helper_ready(p[0]);
	close(p[0]);
	ATF_REQUIRE_MSG(kill(parent, SIGKILL) == 0, "kill: %s", strerror(errno));
	ATF_REQUIRE_MSG(waitpid(parent, NULL, 0) == parent, "waitpid: %s", strerror(errno));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!reap_within(helper, GONE_BOUND_MS, &status)) {
		helper_end(helper);
		atf_tc_fail("lifetime_spin:%s still ran %d ms after its parent died: orphaned", hcase,
			    GONE_BOUND_MS);
	}
	check_sigkilled(status, hcase);
	printf("lifetime_spin:%s gone %ld ms after its parent died\n", hcase, ms_since(&t0));
}

/* The helper's case hcase as our child with a 1 s bound: it must die of SIGKILL after 1 s and
 * within GONE_BOUND_MS more. */
static void watchdog(const atf_tc_t *tc, const char *hcase)
{
	struct timespec t0;
	pid_t child;
	int p[2], status;
	long ms;

	ATF_REQUIRE_MSG(pipe(p) == 0, "pipe: %s", strerror(errno));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	child = fork();
	ATF_REQUIRE_MSG(child >= 0, "fork: %s", strerror(errno));
	if (child == 0)
		helper_exec(tc, hcase, "1", p[1]);
	close(p[1]);
	ATF_REQUIRE_EQ(helper_ready(p[0]), child);
	close(p[0]);
	if (!reap_within(child, 1000 + GONE_BOUND_MS, &status)) {
		helper_end(child);
		atf_tc_fail("lifetime_spin:%s still ran %d ms after its 1 s bound", hcase,
			    GONE_BOUND_MS);
	}
	ms = ms_since(&t0);
	check_sigkilled(status, hcase);
	ATF_CHECK_MSG(ms >= 1000, "lifetime_spin:%s ended after %ld ms, before its 1 s bound",
		      hcase, ms);
	printf("lifetime_spin:%s killed %ld ms after it started\n", hcase, ms);
}

/* A case: check (orphan or watchdog) on the helper's case hcase, which needs /dev/kvm or not. */
#define LIFETIME_TC(name, check, hcase, kvm, descr) \
	ATF_TC(name); \
	ATF_TC_HEAD(name, tc) \
	{ \
		atf_tc_set_md_var(tc, "descr", descr); \
		if (kvm) \
			atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH); \
		atf_tc_set_md_var(tc, "timeout", "120"); \
	} \
	ATF_TC_BODY(name, tc) \
	{ \
		check(tc, hcase); \
	}

LIFETIME_TC(orphan_in_kvm_run, orphan, "kvm_run", true, "A conformance program in KVM_RUN of a "
	    "spinning guest, deaf to SIGTERM and SIGALRM, dies of SIGKILL when its parent is killed")
LIFETIME_TC(orphan_asleep, orphan, "asleep", false, "A conformance program asleep for ever, deaf "
	    "to SIGTERM, dies of SIGKILL when its parent is killed")
LIFETIME_TC(watchdog_in_kvm_run, watchdog, "kvm_run", true, "A conformance program in KVM_RUN of "
	    "a spinning guest, its parent alive, dies of SIGKILL when its wall-time bound runs out")
LIFETIME_TC(watchdog_asleep, watchdog, "asleep", false, "A conformance program asleep for ever, "
	    "its parent alive, dies of SIGKILL when its wall-time bound runs out")

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, orphan_in_kvm_run);
	ATF_TP_ADD_TC(tp, orphan_asleep);
	ATF_TP_ADD_TC(tp, watchdog_in_kvm_run);
	ATF_TP_ADD_TC(tp, watchdog_asleep);
	return atf_no_error();
}
