/* fuzz_elf.c - libFuzzer harness of the ELF sniffer (dwarf/elf.c: header and section names)
 * and of the kernel release read from it (.modinfo's vermagic, a bzImage's version string). */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "errbuf.h"
#include "fuzz.h"
#include "pahole.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz__path(data, size);
	char err[ERRBUF_SIZE];
	struct elf_info e;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		abort();
	if (elf__inspect(fd, path, &e, err, sizeof(err)) == 0)
		free(kfile__release(path, &e));
	close(fd);
	free(kfile__release(path, NULL));
	return 0;
}
