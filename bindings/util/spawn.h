/* spawn.h - run a program as a child process and wait for it, with its stdout and stderr sent
 * to files or to descriptors (pipes) of the caller. */
#ifndef KVMGATE_SPAWN_H
#define KVMGATE_SPAWN_H

#include <sys/types.h>

/* Where a child's stream goes: a file opened for writing (created 0600, truncated), else a
 * descriptor of the caller (fd > 0, duplicated onto the stream), else inherited. */
struct spawn_to {
	const char *path;
	int fd;
};

struct spawn_io {
	struct spawn_to out, err;
	/* TMPDIR of the child (NULL: inherited): a compiler's temporary files then land in a
	 * directory of ours (tmpdir.h), removed whatever happens */
	const char *tmpdir;
	/* true: the child leads a process group of its own, and its stdin is /dev/null (a group
	 * outside the terminal's foreground must not read it); a time limit and a signal to us
	 * (tmpdir.h) then stop the whole group, everything the child started that stayed in it */
	int group;
};

/* Start argv[0] (searched in PATH) with argv. 0, or the positive errno of posix_spawnp
 * (ENOENT: not installed). */
int spawn__start(pid_t *pid, char *const argv[], const struct spawn_io *io);
/* Wait for pid (retrying on EINTR); *status as waitpid sets it. 0 or -errno. */
int spawn__wait(pid_t pid, int *status);
/* spawn__start, then spawn__wait. 0 (the child ran; see *status) or the positive errno of
 * posix_spawnp, or -errno of waitpid. */
int spawn__run(char *const argv[], const struct spawn_io *io, int *status);
/* spawn__wait, but a child still running after secs seconds (0: no limit) is sent SIGTERM,
 * then SIGKILL a second later (its whole group, for spawn_io.group), and reaped: -ETIMEDOUT.
 * 0 or -errno otherwise. */
int spawn__wait_timeout(pid_t pid, int *status, unsigned secs);
/* The time limit of a child of the project's tools (pahole, a compiler, a decompressor), in
 * seconds: $KVMGATE_CHILD_TIMEOUT (0: none), else SPAWN_TIME_LIMIT_DEFAULT. */
#define SPAWN_TIME_LIMIT_DEFAULT 600
unsigned spawn__time_limit(void);
/* spawn__run with spawn__time_limit(): -ETIMEDOUT for a child that ran out of time (killed). */
int spawn__run_limited(char *const argv[], const struct spawn_io *io, int *status);
/* True when status (of spawn__wait) says the child exited with 0. */
int spawn__ok(int status);

#endif
