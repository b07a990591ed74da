/* conformance/lifetime.h - the bound on the life of every conformance program (lifetime.c arms
 * it before main, nothing to call): SIGKILL when its parent (kyua) dies, and SIGKILL after
 * $KVMGATE_TEST_WATCHDOG seconds of wall time (0: no time bound; unset: the default). */
#ifndef KVMGATE_LIFETIME_H
#define KVMGATE_LIFETIME_H

#define LIFETIME_WATCHDOG_ENV "KVMGATE_TEST_WATCHDOG"
/* Three times kyua's own limit of a case (300 s, which no case raises): kyua, while it runs, ends
 * a case that overruns and reports it first; this bound is for a process nobody ends. */
#define LIFETIME_WATCHDOG_DEFAULT_S 900

#endif
