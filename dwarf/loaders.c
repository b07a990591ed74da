/* loaders.c - the loaders of dwarf/ (source.h): a probe object's DWARF, a kernel object's DWARF,
 * and kernel BTF, each read through pahole into the manifest model; their registration. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "arch.h"
#include "dwarf.h"
#include "pahole.h"

/* The probe marker: "kvmgate probe 1\nKEY=VALUE\n..." (arch, kernel, headers, types). */
static char *probe__marker(const char *path, const struct elf_info *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *s;

	if (fd < 0)
		return NULL;
	s = e->probe_size < (1u << 20) ? calloc(1, e->probe_size + 1) : NULL;
	if (s && pread(fd, s, e->probe_size, (off_t)e->probe_off) != (ssize_t)e->probe_size) {
		free(s);
		s = NULL;
	}
	close(fd);
	return s;
}

/* VALUE of "KEY=VALUE" in a marker, malloc'd; NULL when absent. */
static char *marker__get(const char *marker, const char *key)
{
	size_t kl = strlen(key);

	for (const char *l = marker; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, key, kl) == 0 && l[kl] == '=')
			return strndup(l + kl + 1, strcspn(l + kl + 1, "\n"));
	return NULL;
}

bool probe_source__probe(const char *path)
{
	struct elf_info e;
	char err[ERRBUF_SIZE];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool yes;

	if (fd < 0)
		return false;
	yes = elf__inspect(fd, path, &e, err, sizeof(err)) == 0 && e.is_elf && e.has_probe;
	close(fd);
	return yes;
}

/* Split "struct a,union b,enum c" (in place) into bare names. */
static int names__split(char *list, struct type_name **t, size_t *n)
{
	size_t cap = 1;

	for (const char *s = list; *s; s++)
		cap += *s == ',';
	*t = calloc(cap, sizeof(**t));
	*n = 0;
	if (!*t)
		return -ENOMEM;
	for (char *save = NULL, *k = strtok_r(list, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
		char *sp = strchr(k, ' ');

		(*t)[*n].is_enum = strncmp(k, "enum ", 5) == 0;
		(*t)[(*n)++].name = sp ? sp + 1 : k;
	}
	return 0;
}

/* The type records of a manifest as a list (names: the storage of the strings). */
static int names__from_manifest(const struct manifest *only, char **names, struct type_name **t,
				size_t *n)
{
	size_t len = 1;
	char *w;

	for (size_t i = 0; i < only->nrecs; i++)
		if (only->recs[i].kind == MREC_TYPE)
			len += strlen(only->recs[i].key) + 1;
	*names = w = malloc(len);
	if (!w)
		return -ENOMEM;
	*w = '\0';
	for (size_t i = 0; i < only->nrecs; i++)
		if (only->recs[i].kind == MREC_TYPE)
			w += sprintf(w, "%s%s", w == *names ? "" : ",", only->recs[i].key);
	return names__split(*names, t, n);
}

static int names__from_marker(const char *marker, char **names, struct type_name **t, size_t *n)
{
	*names = marker__get(marker, "types");
	return *names ? names__split(*names, t, n) : -ENOMEM;
}

/* Drop the names that no string of the BTF (nor of its base) spells: the types the kernel
 * surely lacks, which would each cost pahole 1.24 a run (it stops -C at a missing name). A BTF
 * whose strings cannot be read keeps every name (pahole then decides). */
static void types__drop_absent(const struct kfile *k, const struct kfile *base,
			       struct type_name *t, size_t *n)
{
	const char **names = calloc(*n + 1, sizeof(*names));
	bool *absent = calloc(*n + 1, sizeof(*absent));
	bool *absent_base = calloc(*n + 1, sizeof(*absent_base));
	size_t w = 0;

	if (!names || !absent || !absent_base)
		goto out;
	for (size_t i = 0; i < *n; i++)
		names[i] = t[i].name;
	if (kfile__btf_strings_lack(k, names, *n, absent) ||
	    (base && kfile__btf_strings_lack(base, names, *n, absent_base)))
		goto out;
	for (size_t i = 0; i < *n; i++)
		if (!absent[i] || (base && !absent_base[i]))
			t[w++] = t[i];
	*n = w;
out:
	free(names);
	free(absent);
	free(absent_base);
}

struct load_ctx {
	const char *fmt;		/* "btf" or "dwarf" */
	bool probe;			/* a probe object: meta and type list from its marker */
};

static int meta__add(struct manifest *m, const char *arch, const char *kernel, const char *fmt,
		     const char *path)
{
	char source[4096 + 16];

	snprintf(source, sizeof(source), "%s %s", fmt, path);
	return manifest__add_std_meta(m, arch, kernel, source);
}

/* The kernel label when none is given: the release of a running kernel for sysfs BTF, else the
 * file's name. */
static char *kernel__label(const char *path, const struct kfile *k)
{
	struct utsname u;
	const char *b = strrchr(path, '/');
	char *r;

	if (strncmp(path, "/sys/kernel/btf/", 16) == 0 && uname(&u) == 0)
		return strdup(u.release);
	r = kfile__release(path, k->kind == KFILE_ELF ? &k->elf : NULL);
	return r ? r : strdup(b ? b + 1 : path);
}

/* The release a kernel file names for itself (a module's vermagic, a bzImage's version string,
 * this machine's for /sys/kernel/btf/), or NULL when it names none (a raw BTF file, a vmlinux). */
static char *release__of(const char *path, const struct kfile *k)
{
	struct utsname u;

	if (strncmp(path, "/sys/kernel/btf/", 16) == 0)
		return uname(&u) == 0 ? strdup(u.release) : NULL;
	return kfile__release(path, k->kind == KFILE_ELF ? &k->elf : NULL);
}

/* Split BTF read on the base of another kernel is read without a word by pahole — with its type
 * ids pointing at the wrong types. Where both files name their kernel, they must name the same. */
static int base__check_release(const char *path, const struct kfile *k, const char *base_path,
			       const struct kfile *base, char *err, size_t errlen)
{
	char *mr = release__of(path, k), *br = release__of(base_path, base);
	int rc = 0;

	if (mr && br && strcmp(mr, br)) {
		snprintf(err, errlen, "%s: a module of kernel %s, but --btf-base %s is of kernel %s: "
			 "give the BTF of the module's own kernel", path, mr, base_path, br);
		rc = -EINVAL;
	}
	free(mr);
	free(br);
	return rc;
}

static int debuginfo__load(struct manifest *m, const char *path, const struct source_opts *o,
			   const struct load_ctx *c, char *err, size_t errlen)
{
	struct kfile k, base = { 0 };
	struct type_name *types = NULL;
	size_t ntypes = 0;
	char *names = NULL, *marker = NULL, *arch = NULL, *kernel = NULL, *basearg = NULL;
	const char *base_path = o ? o->btf_base : NULL;
	int rc;

	rc = kfile__open(&k, path, c->fmt, err, errlen);
	if (rc)
		return rc;
	if (c->probe) {
		if (k.kind != KFILE_ELF || !k.elf.has_probe) {
			snprintf(err, errlen, "%s: not a kvmgate probe object (no %s section)", path,
				 PROBE_SECTION);
			rc = -EINVAL;
			goto out;
		}
		marker = probe__marker(path, &k.elf);
		if (!marker || strncmp(marker, "kvmgate probe 1\n", 16) != 0) {
			snprintf(err, errlen, "%s: unreadable %s section", path, PROBE_SECTION);
			rc = -EINVAL;
			goto out;
		}
	}
	if (strcmp(c->fmt, "btf") == 0 && k.is_module) {
		if (!base_path && strncmp(path, "/sys/kernel/btf/", 16) == 0)
			base_path = "/sys/kernel/btf/vmlinux";
		if (!base_path) {
			snprintf(err, errlen, "%s: module BTF is split BTF and needs the BTF of its "
				 "kernel: give --btf-base (vmlinux, vmlinuz or /sys/kernel/btf/vmlinux)",
				 path);
			rc = -EINVAL;
			goto out;
		}
		rc = kfile__open(&base, base_path, "btf", err, errlen);
		if (rc)
			goto out;
		if (base.is_module) {
			snprintf(err, errlen, "%s: a module cannot be the BTF base", base_path);
			rc = -EINVAL;
			goto out;
		}
		rc = base__check_release(path, &k, base_path, &base, err, errlen);
		if (rc)
			goto out;
		if (asprintf(&basearg, "--btf_base=%s", base.path) < 0) {
			rc = -ENOMEM;
			goto out;
		}
	}
	if (o && o->only)
		rc = names__from_manifest(o->only, &names, &types, &ntypes);
	else if (marker)
		rc = names__from_marker(marker, &names, &types, &ntypes);
	if (rc)
		goto out;
	if (types && strcmp(c->fmt, "btf") == 0)
		types__drop_absent(&k, basearg ? &base : NULL, types, &ntypes);
	/* BTF: the names left are (nearly) all there, -C runs; DWARF of a kernel object: one run
	 * over every struct and union */
	rc = pahole__load_types(m, k.path, c->fmt, basearg, types, ntypes,
				!c->probe && strcmp(c->fmt, "dwarf") == 0, o ? o->warnings : NULL,
				err, errlen);
	if (rc) {
		/* name the file the user gave, not a carved temporary */
		char msg[ERRBUF_SIZE];

		snprintf(msg, sizeof(msg), "%s", err);
		snprintf(err, errlen, "%s: %s", path, msg);
		goto out;
	}
	if (o && o->only)
		rc = pahole__adopt_extents(m, o->only);
	if (rc)
		goto out;
	arch = marker ? marker__get(marker, "arch") : NULL;
	kernel = marker ? marker__get(marker, "kernel") : NULL;
	if (!kernel)
		kernel = o && o->kernel ? strdup(o->kernel) : kernel__label(path, &k);
	if (marker) {
		/* the probe lives in a temporary directory: name what it was built from */
		char *h = marker__get(marker, "headers");

		rc = meta__add(m, arch ? arch : k.arch, kernel, "dwarf probe of headers",
			       h ? h : "default");
		free(h);
	} else {
		/* what the file says (its ELF machine) wins over what the caller assumes, so that
		 * diff can refuse to compare two arches */
		const char *a = k.arch ? k.arch : o && o->arch ? o->arch : NULL;

		/* the running kernel's BTF is of the host's arch */
		if (!a && strncmp(path, "/sys/kernel/btf/", 16) == 0)
			a = arch__host();
		rc = meta__add(m, a, kernel, c->fmt, path);
	}
out:
	free(types);
	free(names);
	free(marker);
	free(arch);
	free(kernel);
	free(basearg);
	kfile__close(&base);
	kfile__close(&k);
	return rc;
}

static bool btf_source__probe(const char *path)
{
	char err[ERRBUF_SIZE];
	struct elf_info e;
	unsigned char h[24];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool yes = false;
	ssize_t n;

	if (fd < 0)
		return false;
	memset(&e, 0, sizeof(e));
	n = pread(fd, h, sizeof(h), 0);
	if (n == (ssize_t)sizeof(h) && (h[0] | h[1] << 8) == BTF_MAGIC)
		yes = true;
	else if (elf__inspect(fd, path, &e, err, sizeof(err)) == 0 && e.is_elf)
		yes = e.has_btf && !e.has_probe;
	else if (n >= 4 && !e.is_elf) {
		unsigned char head[4096];
		ssize_t hn = pread(fd, head, sizeof(head), 0);

		yes = hn > 0 && kfile__is_image(path, head, (size_t)hn);
	}
	close(fd);
	return yes;
}

static bool dwarf_source__probe(const char *path)
{
	char err[ERRBUF_SIZE];
	struct elf_info e;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool yes;

	if (fd < 0)
		return false;
	yes = elf__inspect(fd, path, &e, err, sizeof(err)) == 0 && e.is_elf && e.has_debug_info &&
	      !e.has_probe;
	close(fd);
	return yes;
}

int probe_source__load(struct manifest *m, const char *path, const struct source_opts *o,
		       char *err, size_t errlen)
{
	static const struct load_ctx c = { .fmt = "dwarf", .probe = true };

	return debuginfo__load(m, path, o, &c, err, errlen);
}

static int dwarf_source__load(struct manifest *m, const char *path, const struct source_opts *o,
			      char *err, size_t errlen)
{
	/* --from dwarf on a probe object reads it as a probe (its marker gives the types) */
	struct load_ctx c = { .fmt = "dwarf", .probe = probe_source__probe(path) };

	return debuginfo__load(m, path, o, &c, err, errlen);
}

static int btf_source__load(struct manifest *m, const char *path, const struct source_opts *o,
			    char *err, size_t errlen)
{
	static const struct load_ctx c = { .fmt = "btf" };

	return debuginfo__load(m, path, o, &c, err, errlen);
}

static const struct source_ops probe_source_ops = {
	.name = "probe",
	.is_debuginfo = false,
	.probe = probe_source__probe,
	.load = probe_source__load,
};

static const struct source_ops dwarf_source_ops = {
	.name = "dwarf",
	.is_debuginfo = true,
	.probe = dwarf_source__probe,
	.load = dwarf_source__load,
};

static const struct source_ops btf_source_ops = {
	.name = "btf",
	.is_debuginfo = true,
	.probe = btf_source__probe,
	.load = btf_source__load,
};

int dwarf__register_sources(void)
{
	int ret = source__register(&probe_source_ops);

	if (!ret)
		ret = source__register(&btf_source_ops);
	if (!ret)
		ret = source__register(&dwarf_source_ops);
	return ret;
}
