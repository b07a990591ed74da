/* spawn.c - a child process with redirected output, and waiting for it (spawn.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "spawn.h"
#include "tmpdir.h"

extern char **environ;

static int spawn__redirect(posix_spawn_file_actions_t *fa, const struct spawn_to *to, int stream)
{
	if (to->path)
		return posix_spawn_file_actions_addopen(fa, stream, to->path,
							O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (to->fd > 0)
		return posix_spawn_file_actions_adddup2(fa, to->fd, stream);
	return 0;
}

/* environ with TMPDIR=dir in place of the caller's (malloc'd array, strings shared but the new
 * one, *own), or NULL on no memory. */
static char **env__with_tmpdir(const char *dir, char **own)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 2, sizeof(*env));
	if (!env || asprintf(own, "TMPDIR=%s", dir) < 0) {
		free(env);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "TMPDIR=", 7))
			env[k++] = environ[i];
	env[k++] = *own;
	env[k] = NULL;
	return env;
}

int spawn__start(pid_t *pid, char *const argv[], const struct spawn_io *io)
{
	char **env = environ, *own = NULL;
	posix_spawn_file_actions_t fa;
	int rc;

	if (io && io->tmpdir && !(env = env__with_tmpdir(io->tmpdir, &own)))
		return ENOMEM;
	rc = posix_spawn_file_actions_init(&fa);
	if (rc) {
		if (own) {
			free(own);
			free(env);
		}
		return rc;
	}
	if (io) {
		rc = spawn__redirect(&fa, &io->out, STDOUT_FILENO);
		if (!rc)
			rc = spawn__redirect(&fa, &io->err, STDERR_FILENO);
		if (!rc && io->group)
			rc = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
							      O_RDONLY, 0);
	}
	if (!rc) {
		posix_spawnattr_t at;
		sigset_t old;

		/* started and registered in one window: a signal between would not stop it; the
		 * child starts with the mask the caller had, not the window's, and with the
		 * handler's signals deliverable (a worker thread blocks those) */
		tmpdir__block(&old);
		rc = posix_spawnattr_init(&at);
		if (!rc) {
			int group = io && io->group;
			sigset_t child = old;

			tmpdir__child_mask(&child);
			rc = posix_spawnattr_setsigmask(&at, &child);
			if (!rc && group)
				rc = posix_spawnattr_setpgroup(&at, 0);	/* its own pid */
			if (!rc)
				rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
							      (group ? POSIX_SPAWN_SETPGROUP : 0));
			if (!rc)
				rc = posix_spawnp(pid, argv[0], &fa, &at, argv, env);
			if (!rc)
				tmpdir__child_started(*pid, group);
			posix_spawnattr_destroy(&at);
		}
		tmpdir__unblock(&old);
	}
	posix_spawn_file_actions_destroy(&fa);
	if (own) {
		free(own);
		free(env);
	}
	return rc;
}

int spawn__wait(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	tmpdir__child_reaped(pid);
	return 0;
}

int spawn__run(char *const argv[], const struct spawn_io *io, int *status)
{
	pid_t pid;
	int rc = spawn__start(&pid, argv, io);

	return rc ? rc : spawn__wait(pid, status);
}

int spawn__ok(int status)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The child's end after secs, or -ETIMEDOUT after stopping it (SIGTERM, a second, SIGKILL; to
 * its group if it leads one of ours: the leader, not yet reaped, keeps the group's id ours). */
static int wait__stop(pid_t pid, int *status)
{
	tmpdir__child_kill(pid, SIGTERM);
	nanosleep(&(struct timespec){ 1, 0 }, NULL);
	tmpdir__child_kill(pid, SIGKILL);
	spawn__wait(pid, status);
	return -ETIMEDOUT;
}

static long ms__since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000L + (t.tv_nsec - t0->tv_nsec) / 1000000L;
}

int spawn__wait_timeout(pid_t pid, int *status, unsigned secs)
{
	struct timespec t0;
	int fd;

	if (!secs)
		return spawn__wait(pid, status);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* a pidfd turns readable when the child ends: no polling delay on the way out */
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd >= 0) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		for (;;) {
			long left = secs * 1000L - ms__since(&t0);
			int r = left > 0 ? poll(&p, 1, (int)left) : 0;

			if (r < 0 && errno == EINTR)
				continue;
			close(fd);
			if (r == 0)
				return wait__stop(pid, status);
			return r < 0 ? -errno : spawn__wait(pid, status);
		}
	}
	for (;;) {	/* no pidfd (a kernel before 5.3): ask every 20 ms */
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid) {
			tmpdir__child_reaped(pid);
			return 0;
		}
		if (r < 0 && errno != EINTR)
			return -errno;
		if (ms__since(&t0) >= secs * 1000L)
			return wait__stop(pid, status);
		nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
	}
}

unsigned spawn__time_limit(void)
{
	const char *s = getenv("KVMGATE_CHILD_TIMEOUT");
	char *end;
	unsigned long v;

	if (!s || !*s)
		return SPAWN_TIME_LIMIT_DEFAULT;
	errno = 0;
	v = strtoul(s, &end, 10);
	return errno || *end || v > 86400 ? SPAWN_TIME_LIMIT_DEFAULT : (unsigned)v;
}

int spawn__run_limited(char *const argv[], const struct spawn_io *io, int *status)
{
	pid_t pid;
	int rc = spawn__start(&pid, argv, io);

	return rc ? rc : spawn__wait_timeout(pid, status, spawn__time_limit());
}
