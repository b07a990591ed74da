/* fuzz_kfile.c - libFuzzer harness of the kernel-file sniffers and unpackers (dwarf/kfile.c):
 * raw BTF, ELF with .BTF, x86 bzImage, arm64/riscv Image, gzip/xz/zstd payloads (unpacked by
 * the real tools into a private TMPDIR, which must be empty again after each input), the BTF
 * blob carved out and its string section searched. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errbuf.h"
#include "fuzz.h"
#include "pahole.h"
#include "tmpdir.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *tmp;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (tmpdir__new("kvmgate-fuzz-kfile", &tmp) || setenv("TMPDIR", tmp, 1))
		abort();
	return 0;
}

/* A reader that leaves a file behind in TMPDIR is a bug as much as a crash. */
static void tmp__must_be_empty(void)
{
	DIR *d = opendir(tmp);
	struct dirent *e;

	if (!d)
		abort();
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			fprintf(stderr, "fuzz_kfile: %s/%s left behind\n", tmp, e->d_name);
			abort();
		}
	closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "kvm_regs", "kvm_run", "" };
	const char *path = fuzz__path(data, size);
	static const char *const fmts[] = { "btf", "dwarf" };
	char err[ERRBUF_SIZE];
	struct kfile k;

	for (size_t f = 0; f < 2; f++) {
		if (kfile__open(&k, path, fmts[f], err, sizeof(err)) == 0) {
			bool absent[3];

			if (f == 0)
				kfile__btf_strings_lack(&k, names, 3, absent);
			kfile__close(&k);
		}
		tmp__must_be_empty();
	}
	(void)kfile__is_image(path, data, size);
	return 0;
}
