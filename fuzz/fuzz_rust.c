/* fuzz_rust.c - libFuzzer harness of the bindings.rs reader (bindings/rust/: lexer, item parser,
 * layout computation) through its loader, as `kvmgate dump --from rust FILE` reads. */
#include <stdlib.h>

#include "errbuf.h"
#include "fuzz.h"
#include "manifest.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source_opts o = { .arch = "x86_64" };
	char err[ERRBUF_SIZE];
	struct manifest m;

	manifest__init(&m);
	rust_source_ops.load(&m, fuzz__path(data, size), &o, err, sizeof(err));
	manifest__fini(&m);
	return 0;
}
