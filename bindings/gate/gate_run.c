/* gate_run.c - the stage runner of `kvmgate gate`: cases recorded by the stages (and freed),
 * each stage timed with one progress line on stdout as it finishes, and the spawning of tools
 * with a time limit (through util/spawn). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gate.h"
#include "spawn.h"

static const char *const stage_names[GS__NR] = {
	[GS_GEN] = "gen", [GS_COMPILER] = "compiler", [GS_DWARF] = "dwarf",
	[GS_CANDIDATE] = "candidate", [GS_CONFORMANCE] = "conformance", [GS_KERNEL] = "kernel",
	[GS_RUST] = "rust",
};

static const char *const st_names[GATE__NR] = {
	[GATE_PASS] = "pass", [GATE_FAIL] = "FAIL", [GATE_SKIP] = "skip", [GATE_ERROR] = "ERROR",
};

const char *gate__stage_name(enum gate_stage s)
{
	return stage_names[s];
}

const char *gate__st_name(enum gate_st st)
{
	return st_names[st];
}

double gate__now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *xstrdup(struct gate *g, const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		g->oom = true;
	return d;
}

struct gate_case *gate__record(struct gate *g, size_t ai, enum gate_stage stage, const char *name,
			       enum gate_st st, const char *detail, const char *fmt, ...)
{
	struct gate_case *c;
	char msg[2048];
	va_list ap;

	if (g->ncases == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 64;
		struct gate_case *n = realloc(g->cases, cap * sizeof(*n));

		if (!n) {
			g->oom = true;
			return NULL;
		}
		g->cases = n;
		g->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (char *p = msg; *p; p++)
		if (*p == '\n')
			*p = ' ';
	c = &g->cases[g->ncases++];
	memset(c, 0, sizeof(*c));
	c->arch = ai;
	c->stage = stage;
	c->name = xstrdup(g, name ? name : stage_names[stage]);
	c->st = st;
	c->msg = xstrdup(g, msg);
	c->detail = xstrdup(g, detail);
	return c;
}

void gate__set_report(struct gate *g, struct gate_case *c, const char *relpath)
{
	if (c) {
		free(c->report);
		c->report = xstrdup(g, relpath);
	}
}

void gate__run_stage(struct gate *g, size_t ai, enum gate_stage stage, gate_stage_fn fn)
{
	size_t first = g->ncases;
	double t0 = gate__now(), dt;
	const struct gate_case *c;
	unsigned n[GATE__NR] = { 0 };

	fn(g, ai);
	dt = gate__now() - t0;
	g->arches[ai].secs[stage] += dt;
	if (g->ncases == first)
		return;
	/* the stage's own case (named for the stage) says it; a stage of many cases, the counts */
	c = &g->cases[first];
	for (size_t i = first; i < g->ncases; i++) {
		n[g->cases[i].st]++;
		if (!strcmp(g->cases[i].name, stage_names[stage]))
			c = &g->cases[i];
	}
	if (c->secs == 0)
		((struct gate_case *)c)->secs = dt;
	if (g->ncases - first > 1)
		printf("%-8s %-12s %-5s %6.1fs  %s (%zu cases: %u passed, %u failed, %u skipped)\n",
		       g->arches[ai].a->name, stage_names[stage],
		       st_names[n[GATE_ERROR] ? GATE_ERROR : n[GATE_FAIL] ? GATE_FAIL :
				n[GATE_PASS] ? GATE_PASS : GATE_SKIP], dt, c->msg,
		       g->ncases - first, n[GATE_PASS], n[GATE_FAIL] + n[GATE_ERROR], n[GATE_SKIP]);
	else
		printf("%-8s %-12s %-5s %6.1fs  %s\n", g->arches[ai].a->name, stage_names[stage],
		       st_names[c->st], dt, c->msg);
	fflush(stdout);
}

char *gate__read_head(const char *path, size_t max)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(max + 1);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, max, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

int gate__spawn(const struct gate *g, char *const argv[], const char *log)
{
	/* a group of its own: the gate's time limit, or a signal to the gate, stops everything the
	 * child started (make's jobs, the guest runner's QEMU, kyua; kyua's cases, in groups of
	 * their own, die with kyua: conformance/lifetime.c) */
	struct spawn_io io = { .out = { .path = log }, .err = { .fd = -1 }, .group = 1 };
	int fd, status, rc;
	pid_t pid;

	/* stderr into the same log: open it once, hand the descriptor to both streams */
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	io.out.path = NULL;
	io.out.fd = fd;
	io.err.fd = fd;
	rc = spawn__start(&pid, argv, &io);
	if (rc) {
		dprintf(fd, "kvmgate gate: cannot run %s: %s\n", argv[0], strerror(rc));
		close(fd);
		return -1;
	}
	rc = spawn__wait_timeout(pid, &status, g->timeout);
	if (rc == -ETIMEDOUT)
		dprintf(fd, "\nkvmgate gate: %s killed after %u s\n", argv[0], g->timeout);
	close(fd);
	if (rc)
		return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return -1;
}

void gate__fini(struct gate *g)
{
	for (size_t i = 0; i < g->ncases; i++) {
		free(g->cases[i].name);
		free(g->cases[i].msg);
		free(g->cases[i].detail);
		free(g->cases[i].report);
	}
	free(g->cases);
}
