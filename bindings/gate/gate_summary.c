/* gate_summary.c - the one-screen summary of `kvmgate gate` (stdout and summary.txt): per arch
 * the layouts checked and how the diffs classified them, the ioctls the conformance suite
 * exercised / skipped / saw rejected as expected, its cases, each stage's time; the failed
 * cases; the verdict. */
#include <stdio.h>

#include "gate.h"

static void count_cases(const struct gate *g, size_t ai, unsigned n[GATE__NR])
{
	for (int k = 0; k < GATE__NR; k++)
		n[k] = 0;
	for (size_t i = 0; i < g->ncases; i++)
		if (g->cases[i].arch == ai && g->cases[i].stage == GS_CONFORMANCE &&
		    g->cases[i].name[11] == '/')	/* "conformance/PROG:CASE" */
			n[g->cases[i].st]++;
}

int gate__write_summary(const struct gate *g, FILE *f)
{
	unsigned nfail = 0, shown = 0;
	int v = gate__verdict(g);

	fprintf(f, "%-8s %7s %7s %7s %7s | %-26s | %-21s\n", "", "layouts", "incomp", "compat",
		"allowed", "ioctls exer/skip/rejected", "cases pass/fail/skip");
	for (size_t ai = 0; ai < g->narch; ai++) {
		const struct gate_arch *ga = &g->arches[ai];
		unsigned n[GATE__NR];
		char io[32], cs[32];

		count_cases(g, ai, n);
		snprintf(io, sizeof(io), "%u/%u/%u", ga->ioctl[0], ga->ioctl[1], ga->ioctl[2]);
		snprintf(cs, sizeof(cs), "%u/%u/%u", n[GATE_PASS], n[GATE_FAIL] + n[GATE_ERROR],
			 n[GATE_SKIP]);
		fprintf(f, "%-8s %7u %7u %7u %7u | %-26s | %-21s\n", ga->a->name,
			ga->types + ga->fields, ga->diff[DIFF_INCOMPATIBLE], ga->diff[DIFF_COMPATIBLE],
			ga->diff[DIFF_ALLOWED], io, cs);
	}
	fprintf(f, "\n%-8s", "time (s)");
	for (int s = 0; s < GS__NR; s++)
		fprintf(f, " %*s", s == GS_CONFORMANCE ? 11 : 8, gate__stage_name(s));
	fputc('\n', f);
	for (size_t ai = 0; ai < g->narch; ai++) {
		fprintf(f, "%-8s", g->arches[ai].a->name);
		for (int s = 0; s < GS__NR; s++)
			fprintf(f, " %*.1f", s == GS_CONFORMANCE ? 11 : 8, g->arches[ai].secs[s]);
		fputc('\n', f);
	}
	for (size_t i = 0; i < g->ncases; i++)
		nfail += g->cases[i].st == GATE_FAIL || g->cases[i].st == GATE_ERROR;
	if (nfail)
		fputc('\n', f);
	/* the layout stages' failures first (they name the struct), then up to 8 cases */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0, nconf = 0; i < g->ncases; i++) {
			const struct gate_case *c = &g->cases[i];

			if ((c->st != GATE_FAIL && c->st != GATE_ERROR) ||
			    (c->stage == GS_CONFORMANCE) != (pass == 1) ||
			    (pass == 1 ? nconf++ >= 8 : shown >= 12))
				continue;
			shown++;
			fprintf(f, "%s %-8s %s: %.400s\n", gate__st_name(c->st),
				g->arches[c->arch].a->name, c->name, c->msg);
		}
	if (nfail > shown)
		fprintf(f, "... and %u more failed cases (junit.xml, index.html)\n", nfail - shown);
	fprintf(f, "\nverdict: %s, %u failed of %zu cases, %.1f s (exit %d)\n",
		v == 0 ? "PASS" : v == 1 ? "FAIL" : "ERROR", nfail, g->ncases, g->total_secs, v);
	return ferror(f) ? -1 : 0;
}
