/* timing.h - phase timings on stderr when KVMGATE_TIMING is set (for bindings/bench.sh and for
 * finding where a run spends its time); free otherwise. */
#ifndef KVMGATE_TIMING_H
#define KVMGATE_TIMING_H

/* Print "kvmgate: timing: WHAT N.N ms" (time since the previous mark) when enabled. */
void timing__mark(const char *what);

#endif
