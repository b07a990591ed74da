/* gate_compiler.c - the compiler stage: every layout fact of OUT/<arch>/layout.h as a static
 * assertion, compiled by the arch's gcc (arch table) against the headers under test (the
 * include directories the arch table gives for them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gate.h"

static unsigned count_lines(const char *path, const char *prefix)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	unsigned n = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, prefix) != NULL;
	fclose(f);
	return n;
}

void gate_compiler(struct gate *g, size_t ai)
{
	struct gate_arch *ga = &g->arches[ai];
	char probe[PATH_MAX + 16], drift[PATH_MAX + 32], lh[PATH_MAX + 16], err[ERRBUF_SIZE] = "";
	char **dirs = NULL, *argv[32];
	const char *cc = arch__cc(ga->a->name);
	size_t ndirs = 0;
	unsigned nassert;
	FILE *f;
	int n = 0, rc;

	if (headers__include_dirs(ga->a->name, g->headers, &dirs, &ndirs, err, sizeof(err))) {
		gate__record(g, ai, GS_COMPILER, NULL, GATE_ERROR, NULL, "%s", err);
		return;
	}
	snprintf(probe, sizeof(probe), "%s/probe.c", ga->dir);
	snprintf(drift, sizeof(drift), "%s/compiler-drift.txt", ga->dir);
	snprintf(lh, sizeof(lh), "%s/layout.h", ga->dir);
	f = fopen(probe, "w");
	if (!f || fputs("#include <linux/kvm.h>\n#include \"layout.h\"\n", f) < 0 || fclose(f)) {
		gate__record(g, ai, GS_COMPILER, NULL, GATE_ERROR, NULL, "%s: cannot write", probe);
		goto out;
	}
	argv[n++] = (char *)cc;
	argv[n++] = "-std=gnu11";
	argv[n++] = "-fsyntax-only";
	argv[n++] = "-nostdinc";
	for (size_t i = 0; i < ndirs && i < 8; i++) {
		argv[n++] = "-isystem";
		argv[n++] = dirs[i];
	}
	argv[n++] = "-DKVMGATE_LAYOUT_ASSERT";
	argv[n++] = "-DKVMGATE_LAYOUT_BITFIELDS";
	argv[n++] = probe;
	argv[n] = NULL;
	nassert = count_lines(lh, "KVMGATE_CHECK");
	rc = gate__spawn(g, argv, drift);
	if (rc == 0) {
		gate__record(g, ai, GS_COMPILER, NULL, GATE_PASS, NULL,
			     "%u assertions hold for %s", nassert, cc);
		unlink(drift);
	} else {
		char *d = gate__read_head(drift, 16384);
		struct gate_case *c;

		c = gate__record(g, ai, GS_COMPILER, NULL, rc < 0 ? GATE_ERROR : GATE_FAIL, d,
				 "%u of %u assertions fail for %s", count_lines(drift, "error:"),
				 nassert, cc);
		free(d);
		snprintf(drift, sizeof(drift), "%s/compiler-drift.txt", ga->a->name);
		gate__set_report(g, c, drift);
	}
	unlink(probe);
out:
	for (size_t i = 0; i < ndirs; i++)
		free(dirs[i]);
	free(dirs);
}
