/* conformance/lifetime.c - the bound on the life of every conformance program (lifetime.h): it
 * dies with its parent, and after LIFETIME_WATCHDOG_DEFAULT_S seconds of wall time at the latest,
 * both by SIGKILL, even with its vCPU inside KVM_RUN of a guest that spins for ever.
 *
 * Armed by a constructor, before atf-c's main: each program's main is atf-c's (ATF_TP_ADD_TCS),
 * and every program links this library, so this is the one place that reaches them all, the cases
 * that issue KVM_RUN by hand as well as those through vcpu_run().
 *
 * Why SIGKILL, and not vcpu_run()'s SIGALRM alone: a caught SIGALRM only makes KVM_RUN return
 * EINTR to code that must then give up, and a case may take the one ITIMER_REAL and the SIGALRM
 * handler of the process for itself (vm_exit_test:immediate_exit_intr does); a blocked or ignored
 * signal (SIGTERM included) does not end KVM_RUN at all. A conformance process orphaned by a
 * killed kyua (kyua runs each case in a process group of its own, so a signal to kyua's group
 * misses it) once spun in KVM_RUN for 54 minutes that way. SIGKILL cannot be caught, blocked or
 * ignored, and KVM_RUN returns to it at once; the kernel sends both of ours (the parent-death
 * signal and a POSIX timer's), so they need no thread or handler of the process to work. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>

#include "lifetime.h"

/* The bound in seconds: $KVMGATE_TEST_WATCHDOG (0: none), else the default; a value that is not
 * a number of seconds is the default too (a typo must not lift the bound). */
static unsigned lifetime__bound(void)
{
	const char *s = getenv(LIFETIME_WATCHDOG_ENV);
	unsigned long v;
	char *end;

	if (!s || !*s)
		return LIFETIME_WATCHDOG_DEFAULT_S;
	errno = 0;
	v = strtoul(s, &end, 10);
	return errno || *end || v > 86400 ? LIFETIME_WATCHDOG_DEFAULT_S : (unsigned)v;
}

/* A failure to arm is said on stderr and the program runs on: a case must not fail for it. */
static void lifetime__warn(const char *what)
{
	fprintf(stderr, "conformance: %s: %s (the process is not bounded)\n", what, strerror(errno));
}

__attribute__((constructor)) static void lifetime__arm(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGKILL };
	pid_t parent = getppid();
	unsigned secs = lifetime__bound();
	timer_t t;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		lifetime__warn("prctl(PR_SET_PDEATHSIG)");
	/* the parent died between getppid() and prctl(): its signal will never come */
	else if (getppid() != parent)
		kill(getpid(), SIGKILL);
	/* (one that died before this constructor ran, after it forked us, cannot be told from a
	 * reaper parent here: the timer below bounds that case) */
	if (!secs)
		return;
	if (timer_create(CLOCK_MONOTONIC, &ev, &t) < 0) {
		lifetime__warn("timer_create");
		return;
	}
	if (timer_settime(t, 0, &(struct itimerspec){ .it_value = { .tv_sec = secs } }, NULL) < 0)
		lifetime__warn("timer_settime");
}
