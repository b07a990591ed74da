/* update_stage.c - OUT written atomically: the whole tree is built in a staging folder next to
 * OUT (.OUT.tmp-XXXXXX, the same file system) and renamed into place only when every pair is
 * proved (RENAME_NOREPLACE; with --force RENAME_EXCHANGE, then the old tree removed). The
 * staging folder and the log folder are removed on failure, and on SIGINT, SIGTERM, SIGHUP: the
 * handler stops the running helper, removes both with rm -rf (fork and exec are
 * async-signal-safe; nftw is not), then dies of the signal. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tmpdir.h"
#include "update.h"

static volatile sig_atomic_t child_pid;
static char sig_stage[PATH_MAX + 64], sig_logdir[PATH_MAX + 64];
static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };

void upd__set_child(int pid)
{
	child_pid = pid;
}

static void on_signal(int sig)
{
	int saved = errno;
	pid_t pid;

	if (child_pid > 0) {
		/* stopped and reaped: SIGTERM, a second's grace, SIGKILL */
		pid_t r = 0;

		kill(child_pid, SIGTERM);
		for (int i = 0; i < 50 && (r = waitpid(child_pid, NULL, WNOHANG)) == 0; i++)
			nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
		if (r == 0 && kill(child_pid, SIGKILL) == 0)
			waitpid(child_pid, NULL, 0);
	}
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "rm", "-rf", "--", sig_stage[0] ? sig_stage : sig_logdir,
				 sig_logdir, NULL };

		execv("/bin/rm", argv);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	signal(sig, SIG_DFL);
	errno = saved;
	raise(sig);
}

static void block(int how)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&set, sigs[i]);
	sigprocmask(how, &set, NULL);
}

int upd__stage_begin(struct upd *u, char *err, size_t errlen)
{
	char dir[PATH_MAX], base[PATH_MAX], *tmpl = NULL, *parent;
	struct sigaction sa;
	int rc;

	if ((rc = tmpdir__new("kvmgate-bindings", &u->logdir))) {
		snprintf(err, errlen, "cannot make a temporary directory: %s", strerror(-rc));
		return -1;
	}
	if (!u->print_headers) {
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
		if (!mkdtemp(tmpl)) {
			snprintf(err, errlen, "%s: %s", tmpl, strerror(errno));
			free(tmpl);
			return -1;
		}
		u->stage = tmpl;
	}
	block(SIG_BLOCK);
	snprintf(sig_stage, sizeof(sig_stage), "%s", u->stage ? u->stage : "");
	snprintf(sig_logdir, sizeof(sig_logdir), "%s", u->logdir);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	block(SIG_UNBLOCK);
	return 0;
}

int upd__stage_commit(struct upd *u, char *err, size_t errlen)
{
	int rc = 0;

	block(SIG_BLOCK);
	if (renameat2(AT_FDCWD, u->stage, AT_FDCWD, u->out, RENAME_NOREPLACE) == 0) {
		sig_stage[0] = '\0';
	} else if (errno == EEXIST && u->force &&
		   renameat2(AT_FDCWD, u->stage, AT_FDCWD, u->out, RENAME_EXCHANGE) == 0) {
		/* the staging name now holds the old OUT: the handler may still remove it */
	} else {
		snprintf(err, errlen, "%s: %s%s", u->out, strerror(errno),
			 errno == EEXIST ? " (--force replaces it)" : "");
		rc = -1;
	}
	block(SIG_UNBLOCK);
	return rc;
}

void upd__cleanup(struct upd *u)
{
	block(SIG_BLOCK);
	if (u->stage) {
		tmpdir__remove_tree(u->stage);
		free(u->stage);
		u->stage = NULL;
	}
	if (u->logdir) {
		tmpdir__remove_tree(u->logdir);
		free(u->logdir);
		u->logdir = NULL;
	}
	sig_stage[0] = '\0';
	block(SIG_UNBLOCK);
}
