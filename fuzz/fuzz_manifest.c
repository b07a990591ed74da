/* fuzz_manifest.c - libFuzzer harness of the manifest reader (bindings/model/manifest_text.c):
 * any bytes are read as a manifest file; what it accepts is written back out. */
#include <stdio.h>
#include <stdlib.h>

#include "errbuf.h"
#include "fuzz.h"
#include "manifest_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[ERRBUF_SIZE];
	struct manifest m;

	manifest__init(&m);
	if (manifest__read(&m, fuzz__path(data, size), err, sizeof(err)) == 0) {
		FILE *out = fopen("/dev/null", "w");

		if (out) {
			manifest__write(&m, out);
			fclose(out);
		}
	}
	manifest__fini(&m);
	return 0;
}
