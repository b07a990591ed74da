/* gate_gen.c - the gen stage: the bindings generated from the headers under test by this very
 * binary's `kvmgate gen` into OUT/<arch>/ (layout, bindings.rs, layout.h, kvm_abi.h,
 * layout.dwarf), then the manifest's size read back through the loader registry, and its kernel
 * version (the oldest kernel the kernel stage compares with). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"
#include "source.h"

void gate_gen(struct gate *g, size_t ai)
{
	struct gate_arch *ga = &g->arches[ai];
	char log[PATH_MAX + 16], layout[PATH_MAX + 16], err[ERRBUF_SIZE] = "";
	char *argv[10];
	struct manifest m;
	struct source_opts o = { .arch = ga->a->name };
	int n = 0, rc;

	snprintf(log, sizeof(log), "%s/gen.log", ga->dir);
	argv[n++] = (char *)g->self;
	argv[n++] = "gen";
	argv[n++] = "--arch";
	argv[n++] = (char *)ga->a->name;
	if (g->headers) {
		argv[n++] = "--headers";
		argv[n++] = (char *)g->headers;
	}
	argv[n++] = "-o";
	argv[n++] = ga->dir;
	argv[n] = NULL;
	rc = gate__spawn(g, argv, log);
	if (rc) {
		char *d = gate__read_head(log, 4096), *last = NULL;

		/* its last line says what: "kvmgate: FILE:LINE: what was expected" */
		if (d) {
			size_t n = strlen(d);

			while (n && d[n - 1] == '\n')
				d[--n] = '\0';
			last = strrchr(d, '\n') ? strrchr(d, '\n') + 1 : d;
		}
		gate__record(g, ai, GS_GEN, NULL, GATE_ERROR, d, "kvmgate gen failed: %s (%s)",
			     last && *last ? last : "no message", log);
		free(d);
		return;
	}
	snprintf(layout, sizeof(layout), "%s/layout", ga->dir);
	if (source__load(&m, layout, "manifest", &o, NULL, err, sizeof(err))) {
		gate__record(g, ai, GS_GEN, NULL, GATE_ERROR, NULL, "%s", err);
		return;
	}
	for (size_t i = 0; i < m.nrecs; i++) {
		ga->types += m.recs[i].kind == MREC_TYPE;
		ga->fields += m.recs[i].kind == MREC_FIELD;
	}
	/* the kernel stage compares with kernels of the headers' version or later only */
	if (manifest__meta(&m, "kernel")) {
		unsigned x, y;

		if (sscanf(manifest__meta(&m, "kernel"), "%u.%u", &x, &y) == 2)
			ga->kernel_min = x * 1000 + y;
	}
	ga->gen_ok = true;
	gate__record(g, ai, GS_GEN, NULL, GATE_PASS, NULL, "%s %s: %u types, %u fields -> %s/",
		     ga->a->name, manifest__meta(&m, "kernel") ? manifest__meta(&m, "kernel") : "?",
		     ga->types, ga->fields, ga->a->name);
	manifest__fini(&m);
}
