/* fuzz_manifest.c - libFuzzer harness of the manifest reader (bindings/model/manifest_text.c and
 * the checks of manifest_check.c): any bytes are read as a manifest file; what it accepts is
 * written back out and must read again (the writer never writes what the reader rejects). */
#include <stdio.h>
#include <stdlib.h>

#include "errbuf.h"
#include "fuzz.h"
#include "manifest_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[ERRBUF_SIZE];
	struct manifest m, again;

	manifest__init(&m);
	if (manifest__read(&m, fuzz__path(data, size), err, sizeof(err)) == 0) {
		char *text = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&text, &len);

		if (!out || manifest__write(&m, out) || fclose(out))
			abort();
		manifest__init(&again);
		if (manifest__read(&again, fuzz__path((const uint8_t *)text, len), err, sizeof(err))) {
			fprintf(stderr, "fuzz_manifest: what the writer wrote does not read: %s\n", err);
			abort();
		}
		manifest__fini(&again);
		free(text);
	}
	manifest__fini(&m);
	return 0;
}
