/* outset.h - an output set: several files that replace those of an output directory as a whole or
 * not at all, whatever signal arrives and whenever (`kvmgate gen -o OUTDIR`; offered to any
 * command that writes a tree).
 *
 * The files are written into a staging directory next to OUTDIR (`.NAME.kvmgate-XXXXXX` in
 * OUTDIR's parent, registered with tmpdir.h, so that exit, SIGINT, SIGTERM and SIGHUP remove it).
 * The commit, with every signal held (tmpdir__block):
 *   - OUTDIR absent: the staging directory is renamed to OUTDIR (one rename(2));
 *   - OUTDIR present: what OUTDIR holds besides the set's own names is carried into the staging
 *     directory (files and symlinks hard-linked, directories moved), then the two directories
 *     are swapped by one renameat2(RENAME_EXCHANGE) and the old one is removed.
 * One system call makes the new set visible, so at every instant OUTDIR is wholly the old set
 * or wholly the new one: for a reader at the same time, and even after a SIGKILL or a crash
 * (which can only leave the staging directory behind, next to OUTDIR, never a mix in it). The
 * set's own names (outset__begin's names) that the new set lacks are dropped, so no file of an
 * older run stays beside a newer set.
 *
 * Where the swap cannot be done — OUTDIR is a mount point or the working directory of the
 * process (or above it) — the staging directory is made inside OUTDIR and each file is renamed
 * into place with every signal held: still whole for any signal that can be caught (SIGINT,
 * SIGTERM, SIGHUP), not for SIGKILL or a crash in that window. */
#ifndef KVMGATE_OUTSET_H
#define KVMGATE_OUTSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct outset {
	char *name;		/* OUTDIR as given, for messages */
	char *outdir;		/* OUTDIR resolved (the directory a symlink names) */
	char *stage;		/* the staging directory */
	bool outdir_existed, inside;	/* inside: staging inside OUTDIR (no swap) */
	unsigned mode;		/* of the new OUTDIR: the old one's, else 0777 less the umask */
	const char *const *names;	/* every name the set may hold (NULL-terminated) */
	char **written;		/* names written into the stage */
	size_t nwritten;
};

/* Start a set for outdir whose files may be named names[] (NULL-terminated; the caller keeps the
 * array). 0 or -errno with err = "OUTDIR: what". */
int outset__begin(struct outset *o, const char *outdir, const char *const *names, char *err,
		  size_t errlen);
/* The path name will have in the staging directory (for a child that writes it), into buf;
 * the name is recorded as part of the set. 0, or -ENAMETOOLONG / -ENOMEM. */
int outset__path(struct outset *o, const char *name, char *buf, size_t len);
/* Create name in the staging directory for writing (0644). NULL with err on failure. */
FILE *outset__create(struct outset *o, const char *name, char *err, size_t errlen);
/* Close f (of outset__create) checking that every byte was written: 0, or -EIO / -errno with
 * err = "OUTDIR/NAME: what". */
int outset__close(struct outset *o, FILE *f, const char *name, char *err, size_t errlen);
/* Put the set in place (above). 0 or -errno with err; on failure OUTDIR is as it was. Frees o. */
int outset__commit(struct outset *o, char *err, size_t errlen);
/* Drop the set: the staging directory is removed, OUTDIR untouched. Frees o; NULL-safe. */
void outset__abort(struct outset *o);

/* One file replaced atomically: writer(arg, f, err, errlen) writes a temporary file beside path
 * (registered with tmpdir.h), renamed over path when writer returned 0 and every byte was
 * written. 0 or -errno with err = "PATH: what" (or the writer's err); path untouched then. */
int outset__replace_file(const char *path, int (*writer)(void *arg, FILE *f, char *err,
							  size_t errlen),
			 void *arg, char *err, size_t errlen);

#endif
