/* update.h - `kvmgate bindings`: kvm-bindings' update procedure as one command. For every
 * kernel version x arch: the headers_install tree (dwarf/kernel-headers.sh, cached), the gate's
 * own proofs of the pair (gen, compiler, dwarf, kernel: bindings/gate/), then the crate's layout
 * (src/<arch>/bindings_vX_Y_Z.rs, mod.rs, features.toml) staged next to OUT and renamed into place
 * when every pair is proved. The state the files of this folder share. */
#ifndef KVMGATE_UPDATE_H
#define KVMGATE_UPDATE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "arch.h"

#define UPD_MAX_VERSIONS 32
#define UPD_MAX_ARCHES 8

/* A kernel version as given ("v6.1", "6.12", "v6.1.5") and its crate spelling ("6_1_0"). */
struct upd_version {
	const char *name;
	char crate[32];
	unsigned num[3];
};

struct upd {
	const char *top;		/* the source tree (dwarf/kernel-headers.sh, dwarf/kernel.allow) */
	const char *self;		/* this kvmgate binary */
	const char *linux_src;		/* --linux SRC */
	const char *out;		/* -o OUT */
	char cache[PATH_MAX];		/* $KVMGATE_CACHE, else ~/.cache/kvmgate */
	struct upd_version versions[UPD_MAX_VERSIONS];
	size_t nver;
	const struct arch_info *arches[UPD_MAX_ARCHES];
	size_t narch;
	bool single, force, print_headers;
	unsigned timeout;
	char *logdir;			/* private temp dir: the helpers' logs */
	char *stage;			/* OUT's staging tree, next to it */
};

/* ---- update_version.c ---- */
/* Parse "v6.1" / "6.12.3" into v (name kept as given). 0, or -EINVAL. */
int upd__parse_version(struct upd_version *v, const char *name);
/* Sort the versions oldest first (the crate's mod.rs lists them so). */
void upd__sort_versions(struct upd *u);

/* ---- update_headers.c ---- */
/* The headers_install tree of version v for arch a (dwarf/kernel-headers.sh --source LINUX
 * --karch <the arch table's kernel_arch>), its path into tree. *installed: a headers_install ran
 * (false: the cached tree was reused). 0, or -1 with err saying what failed. */
int upd__headers(struct upd *u, const struct upd_version *v, const struct arch_info *a,
		 char *tree, size_t treelen, bool *installed, char *err, size_t errlen);

/* ---- update_prove.c ---- */
/* Prove the pair as the gate does (gen into pairdir, compiler, dwarf, kernel: the kernels of v
 * and later). 0 every case
 * passed or was skipped, 1 one failed, 2 a tool failed; msg: one line saying which. */
int upd__prove(const struct upd *u, const struct upd_version *v, const struct arch_info *a,
	       const char *tree, const char *pairdir, char *msg, size_t msglen);

/* ---- update_crate.c ---- */
/* Copy pairdir/bindings.rs into the staging tree as src/<arch>/bindings_v<crate>.rs (bindings.rs
 * with --single). 0 or -errno. */
int upd__stage_pair(const struct upd *u, const struct upd_version *v, const struct arch_info *a,
		    const char *pairdir);
/* Write src/<arch>/mod.rs of every arch and features.toml into the staging tree. 0 or -errno. */
int upd__stage_crate(const struct upd *u);

/* ---- update_stage.c ---- */
/* The staging tree next to OUT (.OUT.tmp-XXXXXX) and the log dir, registered temporary paths
 * (util/tmpdir): removed by upd__cleanup, at exit and on SIGINT, SIGTERM, SIGHUP. */
int upd__stage_begin(struct upd *u, char *err, size_t errlen);
/* Rename the staging tree to OUT (an existing OUT only with --force: swapped out, removed). */
int upd__stage_commit(struct upd *u, char *err, size_t errlen);
void upd__cleanup(struct upd *u);

/* ---- update.c ---- */
int update__main(int argc, char **argv);
/* mkdir -p. 0 or -errno. */
int upd__mkdirs(const char *path);

#endif
