/* fuzz_allow.c - libFuzzer harness of the allow-file reader (bindings/model/allow.c). */
#include "allow.h"
#include "errbuf.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[ERRBUF_SIZE];
	struct allowlist a = { 0 };

	allowlist__read(&a, fuzz__path(data, size), err, sizeof(err));
	allowlist__fini(&a);
	return 0;
}
