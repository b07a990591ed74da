/* tmpdir.c - private temporary directories, the registry of temporary paths and children, and
 * their removal at exit and on SIGINT/SIGTERM/SIGHUP (tmpdir.h).
 *
 * The handler uses async-signal-safe calls only (kill, waitid, waitpid, nanosleep, openat,
 * getdents64, unlinkat, lseek, close, sigaction, raise); the registry is fixed-size, and a slot is
 * written before it is marked used and marked free before it is reused, so the handler never reads
 * half a path. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tmpdir.h"

static char live_path[TMPDIR_MAX_LIVE][PATH_MAX];
static volatile sig_atomic_t live_used[TMPDIR_MAX_LIVE];
static volatile pid_t live_child[TMPDIR_MAX_LIVE];
static volatile sig_atomic_t live_group[TMPDIR_MAX_LIVE];	/* live_child[i] leads a group */
static volatile sig_atomic_t installed;

static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP };

/* How deep tree__remove_at goes: a temporary tree of ours (the staging tree of `kvmgate
 * bindings`: OUT/src/<arch>/...) is a few levels; a deeper one stops the descent (what is below
 * stays, the rmdir above it fails) rather than the stack. */
#define TREE_MAX_DEPTH 24

/* Remove name in dirfd: a file, or a directory and everything in it. Async-signal-safe (openat,
 * getdents64, unlinkat, close), so the signal handler uses it too. 0 or -errno (ENOENT: gone). */
static int tree__remove_at(int dirfd, const char *name, int depth)
{
	char buf[1024];
	long n;
	int fd;

	if (unlinkat(dirfd, name, 0) == 0)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -errno;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	while (depth < TREE_MAX_DEPTH && (n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		int removed = 0;

		for (long off = 0; off < n;) {
			/* struct linux_dirent64: ino 8, off 8, reclen 2, type 1, name */
			unsigned short reclen;
			const char *e = buf + off + 19;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			if (strcmp(e, ".") && strcmp(e, "..") && tree__remove_at(fd, e, depth + 1) == 0)
				removed++;
			off += reclen;
		}
		if (removed && lseek(fd, 0, SEEK_SET) < 0)	/* entries moved: read afresh */
			break;
		if (!removed)
			break;
	}
	close(fd);
	return unlinkat(dirfd, name, AT_REMOVEDIR) == 0 ? 0 : -errno;
}

/* Remove path: a file, or a directory and everything in it. */
static int path__remove_now(const char *path)
{
	return tree__remove_at(AT_FDCWD, path, 0);
}

/* sig to the child of slot i, or to the process group it leads. */
static int slot__kill(int i, pid_t p, int sig)
{
	return kill(live_group[i] ? -p : p, sig);
}

/* 1: p is a child of ours still running; 0: ended (not reaped: its pid, and the id of the group
 * it leads, are not reused until then); -1: not our child (reaped already). */
static int child__running(pid_t p)
{
	siginfo_t si = { .si_pid = 0 };

	if (waitid(P_PID, (id_t)p, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return -1;
	return si.si_pid == 0;
}

/* Stop every registered child: SIGTERM (a compiler removes its own temporary files then), and
 * SIGKILL for one still running after 2 s; a child that leads a group gets both as a group, and
 * the SIGKILL even when it ended by itself, for what it started. Reaped after that. */
static void children__stop(void)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	int left = 0;

	for (int i = 0; i < TMPDIR_MAX_LIVE; i++)
		if (live_child[i] > 0 && slot__kill(i, live_child[i], SIGTERM) == 0)
			left++;
	for (int ms = 0; left && ms < 2000; ms += 20) {
		left = 0;
		for (int i = 0; i < TMPDIR_MAX_LIVE; i++) {
			pid_t p = live_child[i];
			int r = p > 0 ? child__running(p) : 0;

			if (r > 0)
				left++;
			else if (r < 0)
				live_child[i] = 0;
		}
		if (left)
			nanosleep(&tick, NULL);
	}
	for (int i = 0; i < TMPDIR_MAX_LIVE; i++) {
		pid_t p = live_child[i];

		if (p > 0) {
			slot__kill(i, p, SIGKILL);
			waitpid(p, NULL, 0);
			live_child[i] = 0;
		}
	}
}

static void registry__clean(void)
{
	children__stop();
	for (int i = 0; i < TMPDIR_MAX_LIVE; i++)
		if (live_used[i]) {
			path__remove_now(live_path[i]);
			live_used[i] = 0;
		}
}

static void on_signal(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t s;

	registry__clean();
	sigaction(sig, &dfl, NULL);
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	raise(sig);
	_exit(128 + sig);
}

static void on_exit_clean(void)
{
	registry__clean();
}

static void handlers__install(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	if (installed)
		return;
	installed = 1;
	sigfillset(&sa.sa_mask);	/* one signal's clean-up is not cut by another's */
	for (size_t i = 0; i < sizeof(cleanup_signals) / sizeof(cleanup_signals[0]); i++) {
		struct sigaction old;

		if (sigaction(cleanup_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;	/* nohup: stays ignored */
		sigaction(cleanup_signals[i], &sa, NULL);
	}
	atexit(on_exit_clean);
}

int tmpdir__register(const char *path)
{
	if (strlen(path) >= PATH_MAX)
		return -ENAMETOOLONG;
	handlers__install();
	for (int i = 0; i < TMPDIR_MAX_LIVE; i++)
		if (!live_used[i]) {
			memcpy(live_path[i], path, strlen(path) + 1);
			live_used[i] = 1;
			return 0;
		}
	return -ENOSPC;
}

void tmpdir__unregister(const char *path)
{
	for (int i = 0; i < TMPDIR_MAX_LIVE; i++)
		if (live_used[i] && strcmp(live_path[i], path) == 0) {
			live_used[i] = 0;
			return;
		}
}

void tmpdir__child_started(pid_t pid, int group)
{
	handlers__install();
	for (int i = 0; i < TMPDIR_MAX_LIVE; i++)
		if (live_child[i] <= 0) {
			live_group[i] = group;	/* before the pid: the handler reads the pid first */
			live_child[i] = pid;
			return;
		}
}

int tmpdir__child_kill(pid_t pid, int sig)
{
	for (int i = 0; i < TMPDIR_MAX_LIVE; i++)
		if (live_child[i] == pid)
			return slot__kill(i, pid, sig);
	return kill(pid, sig);
}

void tmpdir__child_reaped(pid_t pid)
{
	for (int i = 0; i < TMPDIR_MAX_LIVE; i++)
		if (live_child[i] == pid)
			live_child[i] = 0;
}

void tmpdir__block(sigset_t *old)
{
	static const int faults[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT, SIGSYS };
	sigset_t all;

	sigfillset(&all);
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sigdelset(&all, faults[i]);
	sigprocmask(SIG_BLOCK, &all, old);
}

void tmpdir__unblock(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

int tmpdir__new(const char *prefix, char **dir)
{
	const char *t = getenv("TMPDIR");
	sigset_t old;
	int rc = 0;

	if (asprintf(dir, "%s/%s-XXXXXX", t && *t ? t : "/tmp", prefix) < 0) {
		*dir = NULL;
		return -ENOMEM;
	}
	/* made and registered in one window: a signal between the two would leave it */
	tmpdir__block(&old);
	if (!mkdtemp(*dir))
		rc = -errno;
	else if ((rc = tmpdir__register(*dir)) != 0)
		rmdir(*dir);
	tmpdir__unblock(&old);
	if (rc) {
		free(*dir);
		*dir = NULL;
	}
	return rc;
}

int tmpdir__remove(const char *dir)
{
	int rc;

	if (!dir)
		return 0;
	rc = path__remove_now(dir);
	tmpdir__unregister(dir);
	return rc == -ENOENT ? 0 : rc;
}

int tmpdir__thread_create(pthread_t *thread, void *(*fn)(void *), void *arg)
{
	sigset_t set, old;
	int rc;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(cleanup_signals) / sizeof(cleanup_signals[0]); i++)
		sigaddset(&set, cleanup_signals[i]);
	pthread_sigmask(SIG_BLOCK, &set, &old);	/* cannot fail: a valid how and set */
	rc = pthread_create(thread, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

void tmpdir__child_mask(sigset_t *mask)
{
	for (size_t i = 0; i < sizeof(cleanup_signals) / sizeof(cleanup_signals[0]); i++)
		sigdelset(mask, cleanup_signals[i]);
}
