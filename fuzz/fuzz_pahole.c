/* fuzz_pahole.c - libFuzzer harness of the parser of pahole's output (dwarf/pahole_parse.c):
 * the bytes as what pahole printed, every type wanted; then the same text with a wanted list. */
#include <stdlib.h>

#include "errbuf.h"
#include "fuzz.h"
#include "pahole.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const wanted[] = { "kvm_regs", "kvm_run" };
	char *text = fuzz__text(data, size);
	char err[ERRBUF_SIZE];
	struct manifest m;

	manifest__init(&m);
	pahole__parse(text, &m, NULL, 0, err, sizeof(err));
	manifest__fini(&m);
	manifest__init(&m);
	pahole__parse(text, &m, wanted, 2, err, sizeof(err));
	manifest__fini(&m);
	free(text);
	return 0;
}
