/* elf.c - just enough ELF64 to tell a vmlinux, a module, a probe object and their debug info
 * apart: the header, the section table and the section names, checked against the file size. */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dwarf.h"
#include "pahole.h"

static int pread__all(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n = pread(fd, buf, len, (off_t)off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EINVAL;
}

int elf__inspect(int fd, const char *path, struct elf_info *info, char *err, size_t errlen)
{
	Elf64_Ehdr eh;
	Elf64_Shdr *sh = NULL, s0;
	char *names = NULL;
	struct stat st;
	uint64_t shnum, shstrndx;
	int rc;

	memset(info, 0, sizeof(*info));
	if (fstat(fd, &st))
		return -errno;
	if (st.st_size < (off_t)EI_NIDENT || pread__all(fd, eh.e_ident, EI_NIDENT, 0) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		return 0;
	info->is_elf = true;
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB) {
		snprintf(err, errlen, "%s: not a 64-bit little-endian ELF", path);
		return -EINVAL;
	}
	info->is_elf64 = true;
	if (pread__all(fd, &eh, sizeof(eh), 0) || eh.e_shentsize != sizeof(Elf64_Shdr) ||
	    eh.e_shoff == 0 || eh.e_shoff >= (uint64_t)st.st_size)
		goto out_truncated;
	info->machine = eh.e_machine;
	if (pread__all(fd, &s0, sizeof(s0), eh.e_shoff))
		goto out_truncated;
	shnum = eh.e_shnum ? eh.e_shnum : s0.sh_size;
	shstrndx = eh.e_shstrndx == SHN_XINDEX ? s0.sh_link : eh.e_shstrndx;
	if (!shnum || shnum > 1u << 20 || shstrndx >= shnum ||
	    eh.e_shoff + shnum * sizeof(Elf64_Shdr) > (uint64_t)st.st_size)
		goto out_truncated;
	sh = malloc(shnum * sizeof(*sh));
	if (!sh)
		return -ENOMEM;
	if (pread__all(fd, sh, shnum * sizeof(*sh), eh.e_shoff))
		goto out_truncated;
	if (sh[shstrndx].sh_offset + sh[shstrndx].sh_size > (uint64_t)st.st_size ||
	    sh[shstrndx].sh_size > 1u << 24)
		goto out_truncated;
	names = malloc(sh[shstrndx].sh_size + 1);
	if (!names) {
		free(sh);
		return -ENOMEM;
	}
	if (pread__all(fd, names, sh[shstrndx].sh_size, sh[shstrndx].sh_offset))
		goto out_truncated;
	names[sh[shstrndx].sh_size] = '\0';
	for (uint64_t i = 0; i < shnum; i++) {
		const char *n;

		if (sh[i].sh_name >= sh[shstrndx].sh_size)
			goto out_truncated;
		n = names + sh[i].sh_name;
		if (sh[i].sh_type != SHT_NOBITS &&
		    sh[i].sh_offset + sh[i].sh_size > (uint64_t)st.st_size)
			goto out_truncated;
		if (strcmp(n, ".BTF") == 0) {
			info->has_btf = true;
			info->btf_off = sh[i].sh_offset;
			info->btf_size = sh[i].sh_size;
		} else if (strcmp(n, ".debug_info") == 0 || strcmp(n, ".zdebug_info") == 0) {
			info->has_debug_info = sh[i].sh_type != SHT_NOBITS;
		} else if (strcmp(n, ".modinfo") == 0) {
			info->has_modinfo = true;
			info->modinfo_off = sh[i].sh_offset;
			info->modinfo_size = sh[i].sh_size;
		} else if (strcmp(n, PROBE_SECTION) == 0) {
			info->has_probe = true;
			info->probe_off = sh[i].sh_offset;
			info->probe_size = sh[i].sh_size;
		}
	}
	rc = 0;
	goto out_free;
out_truncated:
	snprintf(err, errlen, "%s: truncated or malformed ELF", path);
	rc = -EINVAL;
out_free:
	free(names);
	free(sh);
	return rc;
}
