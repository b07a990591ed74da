/* update_prove.c - one version x arch proved as `kvmgate gate` proves it, by the gate's own
 * stages (bindings/gate/): gen (this binary's `kvmgate gen --headers TREE` into the pair's
 * folder), compiler (the arch's gcc on every layout fact), dwarf (pahole's view of the header),
 * kernel (the kernel debug info at hand: this machine's BTF for its arch, the guests' BTF in the
 * cache, with dwarf/kernel.allow; kernels older than the headers are skipped, as they lack what
 * came after them, while every later one must still agree: UAPI only grows). Conformance and rust are the gate's business on a bindings
 * pull request (the CI templates, doc/): they need guests and run per arch there. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"
#include "sbuf.h"
#include "update.h"

int upd__prove(const struct upd *u, const struct upd_version *v, const struct arch_info *a,
	       const char *tree, const char *pairdir, char *msg, size_t msglen)
{
	static const struct { enum gate_stage s; gate_stage_fn fn; } stages[] = {
		{ GS_GEN, gate_gen }, { GS_COMPILER, gate_compiler },
		{ GS_DWARF, gate_dwarf }, { GS_KERNEL, gate_kernel },
	};
	struct gate *g = calloc(1, sizeof(*g));
	struct sbuf sb = SBUF_INIT;
	int rc;

	if (!g) {
		snprintf(msg, msglen, "out of memory");
		return 2;
	}
	g->top = u->top;
	g->self = u->self;
	g->headers = tree;
	g->out = pairdir;
	g->timeout = u->timeout;
	g->narch = 1;
	g->arches[0].a = a;
	snprintf(g->arches[0].dir, sizeof(g->arches[0].dir), "%s", pairdir);
	for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++) {
		if (i > 0 && !g->arches[0].gen_ok)
			break;
		stages[i].fn(g, 0);
	}
	rc = gate__verdict(g);
	/* the tree is the version named: its headers' LINUX_VERSION_CODE agrees in major.minor */
	if (g->arches[0].gen_ok && g->arches[0].kernel_min &&
	    g->arches[0].kernel_min != v->num[0] * 1000 + v->num[1]) {
		snprintf(msg, msglen, "the headers are of Linux %u.%u, not %s", g->arches[0].kernel_min
			 / 1000, g->arches[0].kernel_min % 1000, v->name);
		rc = 2;
		goto out;
	}
	/* the failing cases say what; else each case's verdict, the gen case's figures first */
	for (size_t i = 0; i < g->ncases; i++) {
		const struct gate_case *c = &g->cases[i];

		if (rc && c->st != GATE_FAIL && c->st != GATE_ERROR)
			continue;
		if (rc)
			sbuf__addf(&sb, "%s%s %s: %s", sb.len ? "; " : "", c->name,
				   gate__st_name(c->st), c->msg);
		else if (c->stage == GS_GEN)
			sbuf__addf(&sb, "%s", c->msg);
		else
			sbuf__addf(&sb, ", %s %s", c->name, gate__st_name(c->st));
	}
	if (rc == 0 && g->ncases == 0)
		sbuf__addf(&sb, "no case ran");
	snprintf(msg, msglen, "%s", sb.oom ? "out of memory" : sbuf__str(&sb));
	if (rc == 0 && (g->ncases == 0 || sb.oom))
		rc = 2;
	sbuf__fini(&sb);
out:
	gate__fini(g);
	free(g);
	return rc;
}
