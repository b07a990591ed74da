/* update_headers.c - the headers_install tree of one version x arch: dwarf/kernel-headers.sh
 * (the one place that turns a kernel source, a tarball, a git tag or a plain tree, into headers
 * in the cache, reusing what is there) run with the arch table's kernel ARCH=. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "errbuf.h"
#include "file.h"
#include "spawn.h"
#include "update.h"

/* The last non-empty line of buf[0..len) into out. */
static void last_line(const char *buf, size_t len, char *out, size_t outlen)
{
	size_t end = len, start;

	while (end && (buf[end - 1] == '\n' || buf[end - 1] == '\r'))
		end--;
	start = end;
	while (start && buf[start - 1] != '\n')
		start--;
	snprintf(out, outlen, "%.*s", (int)(end - start), buf + start);
}

int upd__headers(struct upd *u, const struct upd_version *v, const struct arch_info *a,
		 char *tree, size_t treelen, bool *installed, char *err, size_t errlen)
{
	char script[PATH_MAX + 32], outp[PATH_MAX + 128], errp[PATH_MAX + 128], line[1024] = "";
	char *argv[10], *buf = NULL, ferr[ERRBUF_SIZE];
	struct spawn_io io = { { NULL, 0 }, { NULL, 0 } };
	size_t len = 0;
	int status, rc, n = 0;
	pid_t pid;

	*installed = false;
	snprintf(script, sizeof(script), "%s/dwarf/kernel-headers.sh", u->top);
	snprintf(outp, sizeof(outp), "%s/headers-%s-%s.out", u->logdir, v->name, a->name);
	snprintf(errp, sizeof(errp), "%s/headers-%s-%s.err", u->logdir, v->name, a->name);
	argv[n++] = "sh";
	argv[n++] = script;
	argv[n++] = "--source";
	argv[n++] = (char *)u->linux_src;
	argv[n++] = "--karch";
	argv[n++] = (char *)a->kernel_arch;
	argv[n++] = (char *)v->name;
	argv[n++] = (char *)a->name;
	argv[n] = NULL;
	io.out.path = outp;
	io.err.path = errp;
	rc = spawn__start(&pid, argv, &io);
	if (rc) {
		snprintf(err, errlen, "cannot run %s: %s", script, strerror(rc));
		return -1;
	}
	rc = spawn__wait_timeout(pid, &status, u->timeout);
	if (rc) {
		snprintf(err, errlen, "%s %s %s: %s", script, v->name, a->name,
			 rc == -ETIMEDOUT ? "timed out" : strerror(-rc));
		return -1;
	}
	if (file__read(errp, &buf, &len, ferr, sizeof(ferr)) == 0) {
		static const char done[] = "kernel-headers.sh: headers_install ";

		*installed = memmem(buf, len, done, sizeof(done) - 1) != NULL;
		last_line(buf, len, line, sizeof(line));
		free(buf);
		buf = NULL;
	}
	if (!spawn__ok(status)) {
		snprintf(err, errlen, "%s", *line ? line : "kernel-headers.sh failed with no message");
		return -1;
	}
	if (file__read(outp, &buf, &len, ferr, sizeof(ferr))) {
		snprintf(err, errlen, "%s", ferr);
		return -1;
	}
	last_line(buf, len, tree, treelen);
	free(buf);
	if (!*tree) {
		snprintf(err, errlen, "kernel-headers.sh %s %s printed no tree", v->name, a->name);
		return -1;
	}
	return 0;
}
