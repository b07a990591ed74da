/* arch.c - the arch table (arch.h), and where the UAPI headers of an arch are: the installed
 * defaults (linux-libc-dev, linux-libc-dev-{arm64,riscv64}-cross) or a `make headers_install` tree. */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "arch.h"

static const struct arch_info arches[] = {
	{ "x86_64", "x86_64-linux-gnu", "gcc", "KVMGATE_CC_x86_64",
	  { "/usr/include/x86_64-linux-gnu", "/usr/include", NULL }, "linux-libc-dev",
	  EM_X86_64, "x86_64", NULL, "kvm_xsave", "x86" },
	{ "arm64", "aarch64-linux-gnu", "aarch64-linux-gnu-gcc", "KVMGATE_CC_arm64",
	  { "/usr/aarch64-linux-gnu/include", NULL, NULL }, "linux-libc-dev-arm64-cross",
	  EM_AARCH64, "aarch64", "ARM\x64", "user_pt_regs", "arm64" },
	{ "riscv64", "riscv64-linux-gnu", "riscv64-linux-gnu-gcc", "KVMGATE_CC_riscv64",
	  { "/usr/riscv64-linux-gnu/include", NULL, NULL }, "linux-libc-dev-riscv64-cross",
	  EM_RISCV, "riscv64", "RSC\x05", "kvm_riscv_core", "riscv" },
};
#define NR_ARCHES (sizeof(arches) / sizeof(arches[0]))

const struct arch_info *arch__find(const char *name)
{
	for (size_t i = 0; name && i < NR_ARCHES; i++)
		if (!strcmp(arches[i].name, name))
			return &arches[i];
	return NULL;
}

const char *arch__expected(void)
{
	static char list[64];

	if (!list[0])
		for (size_t i = 0, o = 0; i < NR_ARCHES; i++)
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
					      i == 0 ? "" : i + 1 == NR_ARCHES ? " or " : ", ",
					      arches[i].name);
	return list;
}

const char *arch__from_elf_machine(unsigned machine)
{
	for (size_t i = 0; i < NR_ARCHES; i++)
		if (arches[i].elf_machine == machine)
			return arches[i].name;
	return NULL;
}

const char *arch__from_marker_type(const char *name)
{
	for (size_t i = 0; name && i < NR_ARCHES; i++)
		if (arches[i].marker_type && !strcmp(arches[i].marker_type, name))
			return arches[i].name;
	return NULL;
}

const char *arch__from_image(const unsigned char *head, size_t len)
{
	for (size_t i = 0; len >= 0x40 && i < NR_ARCHES; i++)
		if (arches[i].image_magic && !memcmp(head + 0x38, arches[i].image_magic, 4))
			return arches[i].name;
	return NULL;
}

const char *arch__host(void)
{
	struct utsname u;

	if (uname(&u))
		return NULL;
	for (size_t i = 0; i < NR_ARCHES; i++)
		if (!strcmp(arches[i].uname_machine, u.machine) || !strcmp(arches[i].name, u.machine))
			return arches[i].name;
	return NULL;
}

const char *arch__triple(const char *arch)
{
	const struct arch_info *a = arch__find(arch);

	return a ? a->triple : NULL;
}

const char *arch__cc(const char *arch)
{
	const struct arch_info *a = arch__find(arch);
	const char *env;

	if (!a)
		return NULL;
	env = getenv(a->cc_env);
	return env && *env ? env : a->cc;
}

static bool file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int dirs__push(char ***dirs, size_t *n, const char *d)
{
	char **nd = realloc(*dirs, (*n + 1) * sizeof(*nd));

	if (!nd)
		return -ENOMEM;
	*dirs = nd;
	nd[*n] = strdup(d);
	if (!nd[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

int headers__include_dirs(const char *arch, const char *headers, char ***dirs, size_t *n,
			  char *err, size_t errlen)
{
	const struct arch_info *a = arch__find(arch);
	char path[4096];
	int ret = 0;

	*dirs = NULL;
	*n = 0;
	if (!a) {
		snprintf(err, errlen, "unknown arch '%s' (expected %s)", arch ? arch : "",
			 arch__expected());
		return -EINVAL;
	}
	if (!headers) {
		for (int i = 0; !ret && a->default_dirs[i]; i++)
			ret = dirs__push(dirs, n, a->default_dirs[i]);
		snprintf(path, sizeof(path), "%s/asm/kvm.h", a->default_dirs[0]);
		if (!ret && !file_exists(path)) {
			snprintf(err, errlen, "%s: not found (install %s)", path, a->default_pkg);
			ret = -ENOENT;
		}
	} else {
		/* a headers_install tree (DIR/include/linux/kvm.h) or its include/ directory */
		snprintf(path, sizeof(path), "%s/include/linux/kvm.h", headers);
		if (file_exists(path)) {
			snprintf(path, sizeof(path), "%s/include", headers);
			ret = dirs__push(dirs, n, path);
		} else {
			snprintf(path, sizeof(path), "%s/linux/kvm.h", headers);
			if (file_exists(path)) {
				ret = dirs__push(dirs, n, headers);
			} else {
				snprintf(err, errlen, "%s/include/linux/kvm.h: not found (expected a "
					 "'make headers_install' tree)", headers);
				ret = -ENOENT;
			}
		}
	}
	if (ret) {
		if (ret == -ENOMEM)
			snprintf(err, errlen, "out of memory");
		for (size_t i = 0; i < *n; i++)
			free((*dirs)[i]);
		free(*dirs);
		*dirs = NULL;
		*n = 0;
	}
	return ret;
}

const struct arch_info *arch__nth(size_t i)
{
	return i < NR_ARCHES ? &arches[i] : NULL;
}
