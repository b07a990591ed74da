/* timing.c - phase timings on stderr when KVMGATE_TIMING is set (see timing.h). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "timing.h"

void timing__mark(const char *what)
{
	static int enabled = -1;
	static double last;
	struct timespec ts;
	double now;

	if (enabled < 0)
		enabled = getenv("KVMGATE_TIMING") != NULL;
	if (!enabled || clock_gettime(CLOCK_MONOTONIC, &ts))
		return;
	now = ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
	if (last > 0)
		fprintf(stderr, "kvmgate: timing: %-20s %7.1f ms\n", what, now - last);
	last = now;
}
