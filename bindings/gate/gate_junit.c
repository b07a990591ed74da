/* gate_junit.c - junit.xml of `kvmgate gate`: one testsuite per arch, one testcase per recorded
 * case (every stage and every conformance case), failures with their drift lines or console
 * excerpt as CDATA; valid XML whatever the messages hold (gate_xml.c). */
#include <stdio.h>

#include "gate.h"
#include "gate_xml.h"

int gate__write_junit(const struct gate *g, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kvmgate-gate\">\n", f);
	for (size_t ai = 0; ai < g->narch; ai++) {
		unsigned n = 0, nf = 0, ne = 0, ns = 0;
		double t = 0;

		for (size_t i = 0; i < g->ncases; i++) {
			const struct gate_case *c = &g->cases[i];

			if (c->arch != ai)
				continue;
			n++;
			nf += c->st == GATE_FAIL;
			ne += c->st == GATE_ERROR;
			ns += c->st == GATE_SKIP;
			t += c->secs;
		}
		fprintf(f, "  <testsuite name=\"gate.%s\" tests=\"%u\" failures=\"%u\" errors=\"%u\" "
			"skipped=\"%u\" time=\"%.3f\">\n", g->arches[ai].a->name, n, nf, ne, ns, t);
		for (size_t i = 0; i < g->ncases; i++) {
			const struct gate_case *c = &g->cases[i];

			if (c->arch != ai)
				continue;
			fprintf(f, "    <testcase classname=\"gate.%s.%s\" name=\"", g->arches[ai].a->name,
				gate__stage_name(c->stage));
			xml__text(f, c->name);
			fprintf(f, "\" time=\"%.3f\">", c->secs);
			switch (c->st) {
			case GATE_FAIL:
			case GATE_ERROR:
				fputs(c->st == GATE_FAIL ? "\n      <failure message=\"" :
				      "\n      <error message=\"", f);
				xml__text(f, c->msg);
				fputs("\">", f);
				xml__cdata(f, c->detail ? c->detail : c->msg);
				fputs(c->st == GATE_FAIL ? "</failure>\n    " : "</error>\n    ", f);
				break;
			case GATE_SKIP:
				fputs("\n      <skipped message=\"", f);
				xml__text(f, c->msg);
				fputs("\"/>\n    ", f);
				break;
			default:
				fputs("\n      <system-out>", f);
				xml__text(f, c->msg);
				fputs("</system-out>\n    ", f);
			}
			fputs("</testcase>\n", f);
		}
		fputs("  </testsuite>\n", f);
	}
	fputs("</testsuites>\n", f);
	return fclose(f) ? -1 : 0;
}
