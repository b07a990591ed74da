/* source.c - the registry of loaders (source.h): registration, lookup by name, probing a path,
 * and loading a source with the loader it names or probes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "source.h"

#define SOURCES_MAX 16

static const struct source_ops *sources[SOURCES_MAX] = { &manifest_source_ops };
static size_t nsources = 1;

int source__register(const struct source_ops *ops)
{
	for (size_t i = 0; i < nsources; i++)
		if (sources[i] == ops)
			return 0;
	if (nsources == SOURCES_MAX)
		return -ENOSPC;
	sources[nsources++] = ops;
	return 0;
}

const struct source_ops *source__by_name(const char *name)
{
	for (size_t i = 0; i < nsources; i++)
		if (!strcmp(sources[i]->name, name))
			return sources[i];
	return NULL;
}

const struct source_ops *source__probe(const char *path)
{
	for (size_t i = 0; i < nsources; i++)
		if (sources[i]->probe && sources[i]->probe(path))
			return sources[i];
	return NULL;
}

/* The file starts with the ELF magic (no loader took it: it has no debug info they read). */
static bool source__is_elf(const char *path)
{
	unsigned char m[4];
	FILE *f = fopen(path, "rb");
	bool elf = f && fread(m, 1, 4, f) == 4 && !memcmp(m, "\x7f" "ELF", 4);

	if (f)
		fclose(f);
	return elf;
}

int source__load(struct manifest *m, const char *path, const char *from,
		 const struct source_opts *o, const struct source_ops **used, char *err,
		 size_t errlen)
{
	const struct source_ops *ops;
	struct stat st;
	int ret;

	manifest__init(m);
	if (!path) {
		ops = source__by_name("headers");
		if (!ops) {
			snprintf(err, errlen, "no loader of headers is registered");
			return -ENOENT;
		}
	} else if (from) {
		ops = source__by_name(from);
		if (!ops) {
			snprintf(err, errlen, "unknown source format '%s' (expected manifest, rust, "
				 "headers, probe, dwarf or btf)", from);
			return -EINVAL;
		}
	} else {
		if (stat(path, &st)) {
			ret = -errno;
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return ret;
		}
		ops = source__probe(path);
		if (!ops) {
			if (source__is_elf(path))
				snprintf(err, errlen, "%s: an ELF file with neither BTF (.BTF) nor DWARF "
					 "(.debug_info): no layouts to read (a kernel built without "
					 "CONFIG_DEBUG_INFO_BTF?)", path);
			else
				snprintf(err, errlen, "%s: not a manifest, bindings.rs, headers tree, "
					 "ELF or BTF file", path);
			return -EINVAL;
		}
	}
	if (used)
		*used = ops;
	*err = '\0';
	ret = ops->load(m, path, o, err, errlen);
	if (ret) {
		manifest__fini(m);
		if (!*err)
			snprintf(err, errlen, "%s", strerror(-ret));
	}
	return ret;
}
