/* diff.h - the classifier: two manifests compared, every difference incompatible, compatible,
 * allowed (by an allow file) or not in B (kernel debug info that lacks a type). */
#ifndef KVMGATE_DIFF_H
#define KVMGATE_DIFF_H

#include <stdbool.h>
#include <stdio.h>

#include "allow.h"
#include "manifest.h"

enum diff_class { DIFF_INCOMPATIBLE, DIFF_COMPATIBLE, DIFF_ALLOWED, DIFF_NOT_IN_B, DIFF__NR };

struct diff_opts {
	const struct allowlist *allow;	/* may be NULL */
	/* A type of A missing from B is DIFF_NOT_IN_B ("not in kernel") instead of incompatible:
	 * for kernel debug info, which holds only the types the kernel build uses. Constants,
	 * ioctls and uneval records are not compared at all then (debug info has none). */
	bool b_is_debuginfo;
	FILE *out;			/* report, one difference a line; NULL for none */
};

struct diff_counts {
	unsigned n[DIFF__NR];
};

/* Compare A (reference) with B (candidate); both are sorted first. Returns 0 or -errno. */
int manifest__diff(struct manifest *a, struct manifest *b, const struct diff_opts *opts,
		   struct diff_counts *counts);

#endif
