/* update_crate.c - the crate's layout in the staging tree, as kvm-bindings laid out its
 * per-version bindings (its releases up to 0.1; today one src/<arch>/bindings.rs, --single):
 *   src/<arch>/bindings_v6_1_0.rs     one per kernel version, what `kvmgate gen` wrote
 *   src/<arch>/mod.rs                 the version a Cargo feature (kvm-v6_1_0) selects; with no
 *                                     feature the newest; with several the newest of them
 *   features.toml                     the [features] lines for Cargo.toml
 * The arch folders are the arch table's names (x86_64, arm64, riscv64: what kvm-bindings uses
 * today; its old releases said src/x86). Each mod.rs also says which version it selected,
 * `BINDINGS_KERNEL_VERSION` ("6.1.0"), so a crate's tests can check the feature took effect. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "errbuf.h"
#include "file.h"
#include "sbuf.h"
#include "update.h"

static int write_file(const char *path, const char *data, size_t len)
{
	int rc = file__write(path, data, len);

	if (!rc && chmod(path, 0644))
		rc = -errno;
	return rc;
}

int upd__stage_pair(const struct upd *u, const struct upd_version *v, const struct arch_info *a,
		    const char *pairdir)
{
	char src[PATH_MAX + 32], dst[PATH_MAX + 96], err[ERRBUF_SIZE];
	char *buf;
	size_t len;
	int rc;

	snprintf(dst, sizeof(dst), "%s/src/%s", u->stage, a->name);
	if ((rc = upd__mkdirs(dst)))
		return rc;
	snprintf(src, sizeof(src), "%s/bindings.rs", pairdir);
	if (u->single)
		snprintf(dst, sizeof(dst), "%s/src/%s/bindings.rs", u->stage, a->name);
	else
		snprintf(dst, sizeof(dst), "%s/src/%s/bindings_v%s.rs", u->stage, a->name, v->crate);
	if ((rc = file__read(src, &buf, &len, err, sizeof(err))))
		return rc;
	rc = write_file(dst, buf, len);
	free(buf);
	return rc;
}

/* feature = "kvm-vX" for every version of [from, to) joined by ", " */
static void features(struct sbuf *sb, const struct upd *u, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		sbuf__addf(sb, "%sfeature = \"kvm-v%s\"", i > from ? ", " : "",
			   u->versions[i].crate);
}

static void mod_rs(struct sbuf *sb, const struct upd *u, const struct arch_info *a)
{
	size_t newest = u->nver - 1;

	if (u->single) {
		const struct upd_version *v = &u->versions[0];

		sbuf__addf(sb, "// src/%s/mod.rs - written by `kvmgate bindings --single`: the "
			   "bindings of Linux %s.\n\npub mod bindings;\npub use self::bindings::*;\n\n"
			   "/// The kernel version these bindings were generated from.\n"
			   "pub const BINDINGS_KERNEL_VERSION: &str = \"%u.%u.%u\";\n", a->name,
			   v->name, v->num[0], v->num[1], v->num[2]);
		return;
	}
	sbuf__addf(sb, "// src/%s/mod.rs - written by `kvmgate bindings`: the bindings of one kernel "
		   "version, chosen\n// by Cargo feature (", a->name);
	for (size_t i = 0; i < u->nver; i++)
		sbuf__addf(sb, "%skvm-v%s", i ? ", " : "", u->versions[i].crate);
	sbuf__addf(sb, "); with none, the newest (%s);\n// with several, the newest of them.\n",
		   u->versions[newest].name);
	for (size_t i = 0; i < u->nver; i++) {
		const struct upd_version *v = &u->versions[i];
		struct sbuf cfg = SBUF_INIT;

		if (i == newest) {
			sbuf__addf(&cfg, "any(feature = \"kvm-v%s\", not(any(", v->crate);
			features(&cfg, u, 0, u->nver);
			sbuf__add(&cfg, ")))");
		} else {
			sbuf__addf(&cfg, "all(feature = \"kvm-v%s\", not(any(", v->crate);
			features(&cfg, u, i + 1, u->nver);
			sbuf__add(&cfg, ")))");
		}
		sbuf__addf(sb, "\n#[cfg(%s)]\nmod bindings_v%s;\n#[cfg(%s)]\npub use self::bindings_v%s::*;\n"
			   "/// The kernel version of the selected bindings.\n#[cfg(%s)]\n"
			   "pub const BINDINGS_KERNEL_VERSION: &str = \"%u.%u.%u\";\n",
			   sbuf__str(&cfg), v->crate, sbuf__str(&cfg), v->crate, sbuf__str(&cfg),
			   v->num[0], v->num[1], v->num[2]);
		if (cfg.oom)
			sb->oom = true;
		sbuf__fini(&cfg);
	}
}

int upd__stage_crate(const struct upd *u)
{
	char path[PATH_MAX + 64];
	struct sbuf sb = SBUF_INIT;
	int rc = 0;

	for (size_t k = 0; !rc && k < u->narch; k++) {
		sbuf__reset(&sb);
		mod_rs(&sb, u, u->arches[k]);
		snprintf(path, sizeof(path), "%s/src/%s/mod.rs", u->stage, u->arches[k]->name);
		rc = sb.oom ? -ENOMEM : write_file(path, sbuf__str(&sb), sb.len);
	}
	if (!rc && !u->single) {
		sbuf__reset(&sb);
		sbuf__addf(&sb, "# [features] for Cargo.toml, written by `kvmgate bindings`: one a kernel "
			   "version of src/*/mod.rs;\n# none enabled selects the newest (%s).\n"
			   "[features]\n", u->versions[u->nver - 1].name);
		for (size_t i = 0; i < u->nver; i++)
			sbuf__addf(&sb, "kvm-v%s = []\n", u->versions[i].crate);
		snprintf(path, sizeof(path), "%s/features.toml", u->stage);
		rc = sb.oom ? -ENOMEM : write_file(path, sbuf__str(&sb), sb.len);
	}
	sbuf__fini(&sb);
	return rc;
}
