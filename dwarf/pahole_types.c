/* pahole_types.c - the types of a manifest out of a debug info file, in as few pahole runs as
 * possible. pahole 1.24 stops at the first name of a -C list that the file lacks, so a kernel
 * object is read in one run over every struct and union (filtered while parsing), and the rest
 * (enums, which only -C prints) by -C runs that resume after each missing name. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pahole.h"

static int name__cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Mark done the names whose type records were added from index `from` on. */
static void names__mark_found(const struct manifest *m, size_t from, const struct type_name *t,
			      size_t n, bool *done)
{
	for (size_t i = from; i < m->nrecs; i++) {
		const char *k = m->recs[i].key, *sp;

		if (m->recs[i].kind != MREC_TYPE)
			continue;
		sp = strchr(k, ' ');
		for (size_t j = 0; j < n; j++)
			if (!done[j] && strcmp(t[j].name, sp ? sp + 1 : k) == 0)
				done[j] = true;
	}
}

static int run__parse(struct manifest *m, const char *const *argv, const char *const *wanted,
		      size_t nwanted, struct pahole_result *r, unsigned *warnings, char *err,
		      size_t errlen)
{
	int rc = pahole__run(argv, r, err, errlen);
	size_t from = m->nrecs;

	if (warnings)
		*warnings += r->warnings;
	if (!rc)
		rc = pahole__parse(r->out, m, wanted, nwanted, err, errlen);
	/* pahole answers every run with types or with "type 'X' not found": a run that printed
	 * neither (a broken pahole, an unreadable file it did not complain about) proves nothing */
	if (!rc && m->nrecs == from && r->nmissing == 0 &&
	    r->out[strspn(r->out, " \t\n")] == '\0') {
		snprintf(err, errlen, "%s printed no type and no \"not found\": no answer to trust",
			 pahole__path());
		rc = -EIO;
	}
	return rc;
}

int pahole__load_types(struct manifest *m, const char *file, const char *fmt,
		       const char *basearg, const struct type_name *t, size_t n, bool scan_all,
		       unsigned *warnings, char *err, size_t errlen)
{
	const char *argv[10];
	const char **wanted = NULL;
	bool *done = NULL;
	char *list = NULL;
	size_t listlen = 1;
	int argc = 0, rc = 0;

	argv[argc++] = "pahole";
	argv[argc++] = "-F";
	argv[argc++] = fmt;
	if (basearg)
		argv[argc++] = basearg;
	if (!t) {
		/* no manifest: the KVM types only, kernel debug info holds thousands */
		struct pahole_result r;

		argv[argc++] = "-y";
		argv[argc++] = "kvm";
		argv[argc++] = file;
		argv[argc] = NULL;
		rc = run__parse(m, argv, NULL, 0, &r, warnings, err, errlen);
		pahole_result__fini(&r);
		return rc;
	}
	wanted = calloc(n + 1, sizeof(*wanted));
	done = calloc(n + 1, sizeof(*done));
	for (size_t i = 0; i < n; i++)
		listlen += strlen(t[i].name) + 1;
	list = malloc(listlen);
	if (!wanted || !done || !list) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		wanted[i] = t[i].name;
	qsort(wanted, n, sizeof(*wanted), name__cmp);

	if (scan_all) {
		struct pahole_result r;
		size_t from = m->nrecs;

		argv[argc] = file;
		argv[argc + 1] = NULL;
		rc = run__parse(m, argv, wanted, n, &r, warnings, err, errlen);
		pahole_result__fini(&r);
		if (rc)
			goto out;
		names__mark_found(m, from, t, n, done);
		/* a struct or union absent from the complete listing is absent */
		for (size_t i = 0; i < n; i++)
			done[i] = done[i] || !t[i].is_enum;
	}
	for (;;) {
		struct pahole_result r;
		size_t from = m->nrecs, len = 0, before = 0, after = 0;

		*list = '\0';
		for (size_t i = 0; i < n; i++) {
			if (done[i])
				continue;
			len += (size_t)sprintf(list + len, "%s%s", len ? "," : "", t[i].name);
			before++;
		}
		if (!before)
			break;
		argv[argc] = "-C";
		argv[argc + 1] = list;
		argv[argc + 2] = file;
		argv[argc + 3] = NULL;
		rc = run__parse(m, argv, wanted, n, &r, warnings, err, errlen);
		if (!rc) {
			names__mark_found(m, from, t, n, done);
			for (size_t k = 0; k < r.nmissing; k++)
				for (size_t i = 0; i < n; i++)
					if (strcmp(t[i].name, r.missing[k]) == 0)
						done[i] = true;
		}
		pahole_result__fini(&r);
		if (rc)
			goto out;
		for (size_t i = 0; i < n; i++)
			after += !done[i];
		if (after == before)
			break;	/* pahole printed nothing more: do not loop */
	}
out:
	free(wanted);
	free(done);
	free(list);
	return rc;
}
