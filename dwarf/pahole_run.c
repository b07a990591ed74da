/* pahole_run.c - run pahole as a child process: stdout through a pipe, stderr captured and sorted
 * into filtered warnings (BTF kinds this pahole does not know), missing types, and errors. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pahole.h"
#include "sbuf.h"
#include "spawn.h"

const char *pahole__path(void)
{
	const char *p = getenv("KVMGATE_PAHOLE");

	return p && *p ? p : "pahole";
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Read both pipes until EOF on each, so that neither child stream can block the other; -ETIMEDOUT
 * when they are still open after secs seconds (0: no limit). */
static int pipes__drain(int outfd, int errfd, struct sbuf *out, struct sbuf *errb, unsigned secs)
{
	struct pollfd p[2] = { { .fd = outfd, .events = POLLIN }, { .fd = errfd, .events = POLLIN } };
	long deadline = now_ms() + (long)secs * 1000;
	char chunk[65536];
	int open = 2;

	while (open > 0) {
		long left = deadline - now_ms();
		int n = poll(p, 2, secs ? (left > 0 ? (int)left : 0) : -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -ETIMEDOUT;
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(p[i].fd, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				p[i].fd = -1;
				open--;
				continue;
			}
			sbuf__addn(i == 0 ? out : errb, chunk, (size_t)n);
		}
	}
	return out->oom || errb->oom ? -ENOMEM : 0;
}

static bool line__is_unknown_kind(const char *l)
{
	/* libbpf through pahole 1.24: "BTF: idx: 48052, Unknown kind 17" */
	return strncmp(l, "BTF: idx: ", 10) == 0 && strstr(l, "Unknown kind") != NULL;
}

static int result__add_missing(struct pahole_result *r, const char *l)
{
	/* "pahole: type 'kvm_foo' not found" */
	const char *q = strchr(l, '\''), *e = q ? strchr(q + 1, '\'') : NULL;
	char **v;

	if (!e)
		return 0;
	v = realloc(r->missing, (r->nmissing + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	r->missing = v;
	v[r->nmissing] = strndup(q + 1, (size_t)(e - q - 1));
	if (!v[r->nmissing])
		return -ENOMEM;
	r->nmissing++;
	return 0;
}

/* Sort stderr lines; the first line that is neither filtered nor a missing type is returned
 * (NULL when there is none). */
static const char *stderr__sort(char *text, struct pahole_result *r, int *errp)
{
	const char *first = NULL;
	char *save = NULL;

	*errp = 0;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (line__is_unknown_kind(l))
			r->warnings++;
		else if (strstr(l, "type '") && strstr(l, "' not found"))
			*errp = *errp ? *errp : result__add_missing(r, l);
		else if (!first)
			first = l;
	}
	return first;
}

int pahole__run(const char *const *argv, struct pahole_result *r, char *err, size_t errlen)
{
	const char *prog = pahole__path();
	struct spawn_io io;
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 };
	struct sbuf out = SBUF_INIT, errb = SBUF_INIT;
	const char *first;
	char **args;
	size_t argc = 0;
	pid_t pid;
	int rc, status, serr;

	memset(r, 0, sizeof(*r));
	while (argv[argc])
		argc++;
	args = calloc(argc + 1, sizeof(*args));
	if (!args)
		return -ENOMEM;
	args[0] = (char *)prog;
	for (size_t i = 1; i < argc; i++)
		args[i] = (char *)argv[i];

	if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC)) {
		rc = -errno;
		snprintf(err, errlen, "pahole: pipe: %s", strerror(errno));
		goto out_close;
	}
	io = (struct spawn_io){ .out = { .fd = po[1] }, .err = { .fd = pe[1] } };
	rc = spawn__start(&pid, args, &io);
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	if (rc) {
		snprintf(err, errlen, "%s: cannot run: %s%s", prog, strerror(rc),
			 rc == ENOENT ? " (install dwarves)" : "");
		rc = -rc;
		goto out_close;
	}
	rc = pipes__drain(po[0], pe[0], &out, &errb, spawn__time_limit());
	if (rc == -ETIMEDOUT)
		kill(pid, SIGKILL);
	serr = spawn__wait(pid, &status);
	if (rc == -ETIMEDOUT) {
		snprintf(err, errlen, "%s: no answer after %u s, killed (KVMGATE_CHILD_TIMEOUT "
			 "sets the limit)", prog, spawn__time_limit());
		goto out_close;
	}
	if (rc) {
		snprintf(err, errlen, "pahole: reading its output: %s", strerror(-rc));
		goto out_close;
	}
	if (serr) {
		rc = serr;
		snprintf(err, errlen, "pahole: waitpid: %s", strerror(-rc));
		goto out_close;
	}
	first = errb.s ? stderr__sort(errb.s, r, &serr) : NULL;
	if (errb.s && serr) {
		rc = serr;
		snprintf(err, errlen, "pahole: %s", strerror(-rc));
	} else if (!spawn__ok(status)) {
		rc = -EIO;
		if (WIFSIGNALED(status))
			snprintf(err, errlen, "%s killed by signal %d", prog, WTERMSIG(status));
		else
			snprintf(err, errlen, "%s failed (exit %d): %s", prog, WEXITSTATUS(status),
				 first ? first : "no message");
	} else if (first) {
		rc = -EIO;
		snprintf(err, errlen, "%s: %s", prog, first);
	}
	if (!rc) {
		r->out = out.s ? out.s : strdup("");
		r->outlen = out.len;
		out.s = NULL;
		if (!r->out)
			rc = -ENOMEM;
	}
out_close:
	for (int i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	sbuf__fini(&out);
	sbuf__fini(&errb);
	free(args);
	if (rc)
		pahole_result__fini(r);
	return rc;
}

void pahole_result__fini(struct pahole_result *r)
{
	free(r->out);
	for (size_t i = 0; i < r->nmissing; i++)
		free(r->missing[i]);
	free(r->missing);
	r->out = NULL;
	r->missing = NULL;
	r->nmissing = 0;
}
