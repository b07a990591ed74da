/* gate_conf.c - the conformance stage: the conformance suite built against the bindings under
 * test, run on this machine's /dev/kvm or in the arch's QEMU guest. */
#include "gate.h"

void gate_conformance(struct gate *g, size_t ai)
{
	if (g->no_conformance) {
		gate__record(g, ai, GS_CONFORMANCE, NULL, GATE_SKIP, NULL,
			     "left out (--no-conformance)");
		return;
	}
	gate__record(g, ai, GS_CONFORMANCE, NULL, GATE_SKIP, NULL,
		     "the conformance stage is not built yet");
}
