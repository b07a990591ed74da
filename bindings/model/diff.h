/* diff.h - the classifier: two manifests compared, every difference in one class (README.md,
 * "Classification"): incompatible (a byte or a number moves), api (a Rust user's name, path or
 * type changes or goes, no byte moves), added, sentinel (a *_MAX that grew with its list),
 * layout-neutral (nothing a user names changes, no byte moves), allowed (by an allow file), or
 * not in B (kernel debug info that lacks a type); and the semver verdict of B as an update of A. */
#ifndef KVMGATE_DIFF_H
#define KVMGATE_DIFF_H

#include <stdbool.h>
#include <stdio.h>

#include "allow.h"
#include "manifest.h"

enum diff_class {
	DIFF_INCOMPATIBLE,
	DIFF_API,
	DIFF_ADDED,
	DIFF_SENTINEL,
	DIFF_NEUTRAL,
	DIFF_ALLOWED,
	DIFF_NOT_IN_B,
	DIFF__NR
};

/* What B is as a new version of A, for a crate's version number. */
enum diff_verdict { DIFF_PATCH, DIFF_MINOR, DIFF_MAJOR };

struct diff_opts {
	const struct allowlist *allow;	/* may be NULL */
	/* A type of A missing from B is DIFF_NOT_IN_B ("not in kernel") instead of api:
	 * for kernel debug info, which holds only the types the kernel build uses. Constants,
	 * ioctls and uneval records are not compared at all then (debug info has none). */
	bool b_is_debuginfo;
	/* B is the ground truth of names and types (kernel debug info, the DWARF view of the
	 * same headers): an api difference counts as incompatible. */
	bool api_is_incompatible;
	bool json;			/* out gets one JSON document instead of the text report */
	FILE *out;			/* report, one difference a line; NULL for none */
};

struct diff_counts {
	unsigned n[DIFF__NR];
	enum diff_verdict verdict;
};

/* Compare A (reference, or the old version) with B (candidate, or the new version); both are
 * sorted first. The report ends with the counts line and the verdict with the lines that
 * decide it. Returns 0 or -errno. */
int manifest__diff(struct manifest *a, struct manifest *b, const struct diff_opts *opts,
		   struct diff_counts *counts);

/* -EXDEV with err = "A is ARCH, B is ARCH" when both manifests name an arch (meta arch) and
 * they differ; else 0. */
int manifest__arch_check(const struct manifest *a, const struct manifest *b, char *err,
			 size_t errlen);

const char *diff__class_name(enum diff_class c);
const char *diff__verdict_name(enum diff_verdict v);

#endif
