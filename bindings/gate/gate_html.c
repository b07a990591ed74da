/* gate_html.c - index.html of `kvmgate gate`: one self-contained page (inline style, no
 * scripts, no network) with the summary, each arch's stages and cases, the drift reports and
 * the conformance coverage tables, for reading a CI artifact in a browser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"
#include "gate_xml.h"

static const char style[] =
	"body{font-family:sans-serif;margin:1.5em;color:#222}"
	"table{border-collapse:collapse;margin:.5em 0}"
	"td,th{border:1px solid #bbb;padding:.2em .5em;text-align:left;vertical-align:top}"
	"th{background:#eee}.pass{background:#dfd}.FAIL,.ERROR{background:#fcc}.skip{background:#eee}"
	"pre{background:#f6f6f6;border:1px solid #ddd;padding:.5em;overflow-x:auto;max-height:30em}"
	"details{margin:.3em 0}";

static void pre_file(FILE *f, const struct gate *g, const char *rel)
{
	char path[PATH_MAX + 300], *text;

	snprintf(path, sizeof(path), "%s/%s", g->out, rel);
	text = gate__read_head(path, 65536);
	if (!text)
		return;
	fputs("<details><summary>", f);
	xml__text(f, rel);
	fputs("</summary><pre>", f);
	xml__text(f, text);
	fputs("</pre></details>\n", f);
	free(text);
}

/* The conformance stage's own case of each arch: where the suite ran, its coverage totals and
 * the per-ioctl report. */
static void coverage_table(FILE *f, const struct gate *g)
{
	fputs("<h2>Coverage of the conformance suite</h2>\n<table id=\"coverage\"><tr><th>arch</th>"
	      "<th>ioctls exercised</th><th>skipped</th><th>rejected as expected</th>"
	      "<th>where, totals</th></tr>\n", f);
	for (size_t ai = 0; ai < g->narch; ai++) {
		const struct gate_arch *ga = &g->arches[ai];
		const struct gate_case *c = NULL;

		for (size_t i = 0; i < g->ncases; i++)
			if (g->cases[i].arch == ai && g->cases[i].stage == GS_CONFORMANCE &&
			    !strcmp(g->cases[i].name, "conformance"))
				c = &g->cases[i];
		fprintf(f, "<tr><td>%s</td><td>%u</td><td>%u</td><td>%u</td><td>", ga->a->name,
			ga->ioctl[0], ga->ioctl[1], ga->ioctl[2]);
		xml__text(f, c ? c->msg : "not run");
		if (c && c->report)
			pre_file(f, g, c->report);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

int gate__write_html(const struct gate *g, const char *path)
{
	FILE *f = fopen(path, "w");
	char *summary;
	size_t len = 0;
	FILE *m;
	int v = gate__verdict(g);

	if (!f)
		return -1;
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		"<title>kvmgate gate: %s</title><style>%s</style></head><body>\n",
		v == 0 ? "PASS" : v == 1 ? "FAIL" : "ERROR", style);
	fprintf(f, "<h1>kvmgate gate: <span class=\"%s\">%s</span></h1>\n",
		v == 0 ? "pass" : "FAIL", v == 0 ? "PASS" : v == 1 ? "FAIL" : "ERROR");

	fputs("<h2>Summary</h2>\n<table id=\"summary\"><tr><th>arch</th><th>layouts checked</th>"
	      "<th>incompatible</th><th>compatible</th><th>allowed</th><th>ioctls exercised</th>"
	      "<th>skipped</th><th>rejected as expected</th><th>cases passed</th><th>failed</th>"
	      "<th>skipped</th></tr>\n", f);
	for (size_t ai = 0; ai < g->narch; ai++) {
		const struct gate_arch *ga = &g->arches[ai];
		unsigned n[GATE__NR] = { 0 };

		for (size_t i = 0; i < g->ncases; i++)
			if (g->cases[i].arch == ai && g->cases[i].stage == GS_CONFORMANCE &&
			    g->cases[i].name[11] == '/')
				n[g->cases[i].st]++;
		fprintf(f, "<tr><td>%s</td><td>%u</td><td class=\"%s\">%u</td><td>%u</td><td>%u</td>"
			"<td>%u</td><td>%u</td><td>%u</td><td>%u</td><td class=\"%s\">%u</td>"
			"<td>%u</td>", ga->a->name, ga->types + ga->fields,
			ga->diff[DIFF_INCOMPATIBLE] ? "FAIL" : "pass", ga->diff[DIFF_INCOMPATIBLE],
			ga->diff[DIFF_COMPATIBLE], ga->diff[DIFF_ALLOWED], ga->ioctl[0], ga->ioctl[1],
			ga->ioctl[2], n[GATE_PASS], n[GATE_FAIL] + n[GATE_ERROR] ? "FAIL" : "pass",
			n[GATE_FAIL] + n[GATE_ERROR], n[GATE_SKIP]);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n<h2>Stage times (s)</h2>\n<table id=\"times\"><tr><th>arch</th>", f);
	for (int s = 0; s < GS__NR; s++)
		fprintf(f, "<th>%s</th>", gate__stage_name(s));
	fputs("</tr>\n", f);
	for (size_t ai = 0; ai < g->narch; ai++) {
		fprintf(f, "<tr><td>%s</td>", g->arches[ai].a->name);
		for (int s = 0; s < GS__NR; s++)
			fprintf(f, "<td>%.1f</td>", g->arches[ai].secs[s]);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
	coverage_table(f, g);
	m = open_memstream(&summary, &len);
	if (m && !gate__write_summary(g, m) && !fclose(m)) {
		fputs("<pre id=\"summary-text\">", f);
		xml__text(f, summary);
		fputs("</pre>\n", f);
	}
	free(summary);

	for (size_t ai = 0; ai < g->narch; ai++) {
		const struct gate_arch *ga = &g->arches[ai];

		fprintf(f, "<h2 id=\"arch-%s\">%s</h2>\n<table class=\"stages\"><tr><th>stage</th>"
			"<th>case</th><th>result</th><th>time (s)</th><th>message</th></tr>\n",
			ga->a->name, ga->a->name);
		for (size_t i = 0; i < g->ncases; i++) {
			const struct gate_case *c = &g->cases[i];

			if (c->arch != ai)
				continue;
			fprintf(f, "<tr class=\"%s\"><td>%s</td><td>", gate__st_name(c->st),
				gate__stage_name(c->stage));
			xml__text(f, c->name);
			fprintf(f, "</td><td>%s</td><td>%.2f</td><td>", gate__st_name(c->st), c->secs);
			xml__text(f, c->msg);
			if (c->detail && c->st != GATE_PASS) {
				fputs("<details><summary>details</summary><pre>", f);
				xml__text(f, c->detail);
				fputs("</pre></details>", f);
			}
			fputs("</td></tr>\n", f);
		}
		fputs("</table>\n<h3>Reports</h3>\n", f);
		for (size_t i = 0; i < g->ncases; i++)
			if (g->cases[i].arch == ai && g->cases[i].report)
				pre_file(f, g, g->cases[i].report);
	}
	fputs("</body></html>\n", f);
	return fclose(f) ? -1 : 0;
}
