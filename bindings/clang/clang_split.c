/* clang_split.c - the one parse of the headers on the machine's two cores: the macros'
 * evaluation declarations are most of it (an ioctl number's expansion costs libclang more than
 * a struct), so the later ones move to a second translation unit of the same headers, parsed by
 * a thread of its own while the caller parses the first with the earlier ones. Each unit keeps
 * the main file's line numbers (a declaration the other unit holds is an empty line there), so
 * that an evaluation line says the same macro in both.
 *
 * The first unit is the single parse's prefix, so its results are the single parse's. The second
 * differs only where an earlier line changed what a later one sees: a call of an undeclared
 * function declares it implicitly, and the single parse's later calls of it fail otherwise. When
 * both units declared the same function so, the later declarations are evaluated again in one
 * parse of all of them (clang_split__check). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clang_internal.h"
#include "hset.h"
#include "tmpdir.h"

/* Fewer declarations than this, or less weight (decl__weight of clang_prescan.c) than this:
 * one parse. The second unit parses the headers again, which costs as much as declarations of
 * about this weight (callgrind and wall time of Linux 6.1's x86_64 headers: their 332
 * declarations, weight 34603, cost 9.6 ms beside the headers' 8.5 ms), and it saves less than
 * the share of the declarations it takes; since ioctl numbers are put together without their
 * expansion (clang_ioctl.c) and expressions of literals evaluated without the compiler
 * (literal.c), the installed headers stay below half of it (about 10700 for x86_64 and
 * riscv64, 14000 for arm64). Where the other core is busy, as in a DWARF check, the split
 * costs more than it saves.
 * KVMGATE_SPLIT=1 splits whenever there are SPLIT_MIN_DECLS (the tests do, to compare),
 * KVMGATE_NO_SPLIT=1 never. */
#define SPLIT_MIN_DECLS 64
#define SPLIT_MIN_WEIGHT 30000
/* The share of the declarations' weight the caller's unit takes, in percent: less than half,
 * as the caller then reads the types and the macros of its unit while the thread finishes. */
#define SPLIT_FIRST_SHARE 30

static void *split__parse(void *arg)
{
	struct clang_split *sp = arg;

	sp->ret = clang__parse(sp->idx, sp->a, sp->src, true, &sp->tu, sp->err, sizeof(sp->err));
	return NULL;
}

/* Line 1 of src to both; the evaluation line of declaration i (line i + 2) to a when i < cut,
 * else to b; the other gets an empty line. */
static int split__sources(const char *src, size_t cut, char **a, char **b)
{
	size_t len = strlen(src), i = 0;
	const char *p = strchr(src, '\n');
	char *wa, *wb;

	*a = malloc(len + 1);
	*b = malloc(len + 1);
	if (!*a || !*b || !p) {
		free(*a);
		free(*b);
		*a = *b = NULL;
		return -ENOMEM;
	}
	p++;
	memcpy(*a, src, (size_t)(p - src));
	memcpy(*b, src, (size_t)(p - src));
	wa = *a + (p - src);
	wb = *b + (p - src);
	for (; *p; i++) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p + 1) : strlen(p);
		char **keep = i < cut ? &wa : &wb, **blank = i < cut ? &wb : &wa;

		memcpy(*keep, p, n);
		*keep += n;
		*(*blank)++ = '\n';
		p += n;
	}
	*wa = *wb = '\0';
	return 0;
}

/* The declaration the caller's unit ends before: SPLIT_FIRST_SHARE of the weight before it. */
static size_t split__cut(const struct prescan *ps, size_t *ndecls, unsigned long long *weight)
{
	unsigned long long total = 0, sum = 0;
	size_t i;

	*ndecls = 0;
	for (i = 0; i < ps->n; i++) {
		total += ps->weight[i];
		*ndecls += ps->has_decl[i];
	}
	*weight = total;
	for (i = 0; i < ps->n && sum * 100 < total * SPLIT_FIRST_SHARE; i++)
		sum += ps->weight[i];
	return i;
}

int clang_split__start(struct clang_split *sp, const struct clang_args *a,
		       const struct prescan *ps, char **mine)
{
	const char *force = getenv("KVMGATE_SPLIT");
	unsigned long long weight;
	char *theirs = NULL;
	size_t ndecls;
	int rc;

	memset(sp, 0, sizeof(*sp));
	*mine = NULL;
	sp->cut = split__cut(ps, &ndecls, &weight);
	if (ndecls < SPLIT_MIN_DECLS || getenv("KVMGATE_NO_SPLIT") ||
	    (weight < SPLIT_MIN_WEIGHT && !(force && !strcmp(force, "1"))))
		return 0;
	if (split__sources(ps->src, sp->cut, mine, &theirs))
		return -ENOMEM;
	sp->idx = clang_createIndex(0, 0);
	if (!sp->idx)
		goto one_parse;
	sp->a = a;
	sp->src = theirs;
	theirs = NULL;
	rc = tmpdir__thread_create(&sp->thread, split__parse, sp);
	if (rc)
		goto one_parse;
	sp->started = true;
	return 0;
one_parse:
	clang_split__fini(sp);
	free(theirs);
	free(*mine);
	*mine = NULL;
	return 0;
}

int clang_split__join(struct clang_split *sp, char *err, size_t errlen)
{
	if (!sp->started)
		return 0;
	pthread_join(sp->thread, NULL);
	sp->started = false;
	if (sp->ret)
		snprintf(err, errlen, "%s", sp->err);
	return sp->ret;
}

/* Add to names (malloc'd keys) the functions tu's evaluation lines declared implicitly; with
 * other (may be NULL), true as soon as one of them is in other. */
static int split__implicit(CXTranslationUnit tu, struct hset *names, const struct hset *other,
			   bool *shared)
{
	unsigned nd = clang_getNumDiagnostics(tu);
	int rc = 0;

	for (unsigned i = 0; i < nd && !rc && !*shared; i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		char *opt = clang__strdup(clang_getDiagnosticOption(d, NULL));
		char *msg = NULL, *q, *e;

		if (opt && !strcmp(opt, "-Wimplicit-function-declaration") &&
		    (msg = clang__strdup(clang_getDiagnosticSpelling(d))) &&
		    (q = strchr(msg, '\'')) && (e = strchr(q + 1, '\''))) {
			char *name = strndup(q + 1, (size_t)(e - q - 1));

			if (!name)
				rc = -ENOMEM;
			else if (other && hset__has(other, name))
				*shared = true;
			if (name && (other || hset__add(names, name) <= 0))
				free(name);
		} else if (!opt) {
			rc = -ENOMEM;
		}
		free(opt);
		free(msg);
		clang_disposeDiagnostic(d);
	}
	return rc;
}

int clang_split__check(struct clang_split *sp, CXIndex idx, CXTranslationUnit first,
		       const char *src, char *err, size_t errlen)
{
	struct hset names = HSET_INIT_STR;
	bool shared = false;
	int rc;

	if (!sp->tu)
		return 0;
	rc = split__implicit(first, &names, NULL, &shared);
	if (!rc && names.n)
		rc = split__implicit(sp->tu, NULL, &names, &shared);
	hset__free_keys(&names);
	hset__fini(&names);
	if (rc) {
		snprintf(err, errlen, "out of memory");
		return rc;
	}
	if (!shared)
		return 0;
	/* the single parse's view of the later lines: all of them, in one unit */
	clang_disposeTranslationUnit(sp->tu);
	sp->tu = NULL;
	sp->whole = true;
	return clang__parse(idx, sp->a, src, true, &sp->tu, err, errlen);
}

void clang_split__fini(struct clang_split *sp)
{
	char err[ERRBUF_SIZE];

	clang_split__join(sp, err, sizeof(err));
	if (sp->tu)
		clang_disposeTranslationUnit(sp->tu);
	if (sp->idx)
		clang_disposeIndex(sp->idx);
	free(sp->src);
	memset(sp, 0, sizeof(*sp));
}
