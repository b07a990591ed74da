/* update_stage.c - OUT written atomically: the whole tree is built in a staging folder next to
 * OUT (.OUT.tmp-XXXXXX, the same file system) and renamed into place only when every pair is
 * proved (RENAME_NOREPLACE; with --force RENAME_EXCHANGE, then the old tree removed). The
 * staging folder and the log folder are registered temporary paths (util/tmpdir): removed on
 * failure, at exit and on SIGINT, SIGTERM, SIGHUP, after the running helper is stopped (spawn.c
 * registers it), and kvmgate dies of the signal. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tmpdir.h"
#include "update.h"

int upd__stage_begin(struct upd *u, char *err, size_t errlen)
{
	char dir[PATH_MAX], base[PATH_MAX], *tmpl = NULL, *parent;
	sigset_t old;
	int rc;

	if ((rc = tmpdir__new("kvmgate-bindings", &u->logdir))) {
		snprintf(err, errlen, "cannot make a temporary directory: %s", strerror(-rc));
		return -1;
	}
	if (u->print_headers)
		return 0;
	snprintf(dir, sizeof(dir), "%s", u->out);
	snprintf(base, sizeof(base), "%s", u->out);
	parent = dirname(dir);
	if ((rc = upd__mkdirs(parent))) {
		snprintf(err, errlen, "%s: %s", parent, strerror(-rc));
		return -1;
	}
	if (asprintf(&tmpl, "%s/.%s.tmp-XXXXXX", parent, basename(base)) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* made and registered in one window: a signal between the two would leave it */
	tmpdir__block(&old);
	if (!mkdtemp(tmpl))
		rc = -errno;
	else if ((rc = tmpdir__register(tmpl)) != 0)
		rmdir(tmpl);
	tmpdir__unblock(&old);
	if (rc) {
		snprintf(err, errlen, "%s: %s", tmpl, strerror(-rc));
		free(tmpl);
		return -1;
	}
	u->stage = tmpl;
	return 0;
}

int upd__stage_commit(struct upd *u, char *err, size_t errlen)
{
	sigset_t old;
	int rc = 0;

	tmpdir__block(&old);
	if (renameat2(AT_FDCWD, u->stage, AT_FDCWD, u->out, RENAME_NOREPLACE) == 0) {
		tmpdir__unregister(u->stage);	/* it is OUT now */
		free(u->stage);
		u->stage = NULL;
	} else if (errno == EEXIST && u->force &&
		   renameat2(AT_FDCWD, u->stage, AT_FDCWD, u->out, RENAME_EXCHANGE) == 0) {
		/* the staging name now holds the old OUT: still registered, removed by cleanup */
	} else {
		snprintf(err, errlen, "%s: %s%s", u->out, strerror(errno),
			 errno == EEXIST ? " (--force replaces it)" : "");
		rc = -1;
	}
	tmpdir__unblock(&old);
	return rc;
}

void upd__cleanup(struct upd *u)
{
	if (u->stage) {
		tmpdir__remove(u->stage);
		free(u->stage);
		u->stage = NULL;
	}
	if (u->logdir) {
		tmpdir__remove(u->logdir);
		free(u->logdir);
		u->logdir = NULL;
	}
}
