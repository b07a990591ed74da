/* diff_internal.h - what the comparison (diff.c) and the report (diff_report.c) share: the
 * classified lines of one diff and the calls that record them. */
#ifndef KVMGATE_DIFF_INTERNAL_H
#define KVMGATE_DIFF_INTERNAL_H

#include "diff.h"

struct diff_line {
	enum diff_class cls;		/* DIFF_ALLOWED when an allow entry matched */
	enum diff_class was;		/* the class before the allow entry */
	char *kind, *key, *member;	/* member NULL but for fields */
	char *what;			/* NULL for a bare name (not in kernel) */
	const struct allow_entry *allow;
};

struct diff_report {
	const struct diff_opts *o;
	struct diff_line *l;
	size_t n;
	char **notes;
	size_t nnotes;
	int error;	/* first failure (-errno): later lines are dropped */
};

/* Record one difference of `kind key[.member]`; the allow file may turn it into DIFF_ALLOWED. */
void report__add(struct diff_report *d, enum diff_class cls, const char *kind, const char *key,
		 const char *member, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* A bare type name that kernel debug info lacks. */
void report__add_name(struct diff_report *d, const char *name);
void report__note(struct diff_report *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Count, print (text or JSON) and free the lines. 0 or the first -errno. */
int report__finish(struct diff_report *d, const struct manifest *a, const struct manifest *b,
		   struct diff_counts *counts);

#endif
