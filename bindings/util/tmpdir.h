/* tmpdir.h - private temporary directories (mkdtemp under $TMPDIR, else /tmp) and every other
 * temporary path of the process, removed on every way out: by the code that made them, at exit(),
 * and on SIGINT, SIGTERM and SIGHUP (the handler stops the children spawn.c started, with the
 * process groups they lead, removes every registered path and dies of the same signal, so the
 * caller's shell sees it). The one place of the project for temporary files; SIGKILL is the only
 * way out that leaves one behind. */
#ifndef KVMGATE_TMPDIR_H
#define KVMGATE_TMPDIR_H

#include <pthread.h>
#include <signal.h>
#include <sys/types.h>

/* How many temporary paths and children may be live at once. */
#define TMPDIR_MAX_LIVE 32

/* Make $TMPDIR/PREFIX-XXXXXX (registered); *dir is malloc'd (NULL on failure). 0 or -errno. */
int tmpdir__new(const char *prefix, char **dir);
/* Remove a directory (one of tmpdir__new, a staged output tree) or a file, and everything under
 * it, not following symlinks, and forget it if it was registered; the signal handler removes
 * registered paths the same way. NULL or gone: 0. Else 0, or -errno of the directory that could
 * not be removed. */
int tmpdir__remove(const char *dir);

/* Register path (a file, or a directory and the files in it) for removal on exit and on the
 * signals above; it is copied. Installs the handlers on first use (a signal the process ignores,
 * as under nohup, stays ignored). 0 or -ENOSPC / -ENAMETOOLONG. */
int tmpdir__register(const char *path);
/* Forget path (it was removed or renamed into place): it is no longer removed. */
void tmpdir__unregister(const char *path);

/* A child the handler must stop (SIGTERM, SIGKILL after 2 s) before it removes the paths, so that
 * no child writes into a removed directory (spawn.c calls these); group: the child leads a
 * process group of its own (spawn_io.group), and the whole group is stopped. */
void tmpdir__child_started(pid_t pid, int group);
void tmpdir__child_reaped(pid_t pid);
/* Send sig to a child registered above: to its process group if it leads one, else to it alone.
 * 0 or -1 (errno). Async-signal-safe: the handler stops children with it too. */
int tmpdir__child_kill(pid_t pid, int sig);

/* Hold SIGINT, SIGTERM and SIGHUP (and the other signals that end a process by default) for a
 * window that must not be cut, e.g. putting an output set in place; *old for tmpdir__unblock,
 * which delivers what arrived meanwhile (the handler then runs). */
void tmpdir__block(sigset_t *old);
void tmpdir__unblock(const sigset_t *old);

/* pthread_create for a worker thread that never runs the handler: it starts with SIGINT,
 * SIGTERM and SIGHUP blocked, so that they reach the thread that registers paths, whose
 * tmpdir__block window then holds them (on another thread, the handler could run while a path
 * is made and not yet registered, and leave it). 0 or pthread_create's error. */
int tmpdir__thread_create(pthread_t *thread, void *(*fn)(void *), void *arg);
/* Unblock in mask the signals the handler catches: a child starts with them deliverable, even
 * when a worker thread spawns it (spawn.c). */
void tmpdir__child_mask(sigset_t *mask);

#endif
