/* gate.c - `kvmgate gate`: options, the arches from the arch table, the stages of each arch in
 * order (gen, compiler, dwarf, kernel, candidate, conformance, rust), then the reports
 * (junit.xml, summary.txt, index.html in the report folder) and the summary on stdout.
 * Exit 0: nothing incompatible and no case failed; 1: something failed; 2: bad input or a tool
 * failed. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gate.h"

static const char usage[] =
	"kvmgate gate [--arch ARCH[,ARCH...]] [--headers DIR] [--bindings ARCH=FILE]... "
	"[--guest] [--no-conformance] [--no-rust] [--timeout SECS] [-o DIR]";

static int bad(const char *fmt, const char *a, const char *b)
{
	fputs("kvmgate: gate: ", stderr);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return 2;
}

static int mkdirs(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(buf, 0777) && errno != EEXIST ? -errno : 0;
}

static int add_arch(struct gate *g, const char *name)
{
	const struct arch_info *a = arch__find(name);

	if (!a)
		return bad("unknown arch '%s' (expected %s)", name, arch__expected());
	for (size_t i = 0; i < g->narch; i++)
		if (g->arches[i].a == a)
			return 0;
	if (g->narch == GATE_MAX_ARCHES)
		return bad("too many arches%s%s", "", "");
	g->arches[g->narch++].a = a;
	return 0;
}

static int parse_arches(struct gate *g, char *list)
{
	for (char *save = NULL, *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (add_arch(g, t))
			return 2;
	return 0;
}

/* --bindings ARCH=FILE, remembered until the arches are known */
struct cand { const char *arch, *file; };

static int stage_all(struct gate *g, size_t ai)
{
	static const struct { enum gate_stage s; gate_stage_fn fn; } stages[] = {
		{ GS_COMPILER, gate_compiler }, { GS_DWARF, gate_dwarf },
		{ GS_KERNEL, gate_kernel }, { GS_CANDIDATE, gate_candidate },
		{ GS_CONFORMANCE, gate_conformance }, { GS_RUST, gate_rust },
	};

	gate__run_stage(g, ai, GS_GEN, gate_gen);
	for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++) {
		if (!g->arches[ai].gen_ok) {
			gate__record(g, ai, stages[i].s, NULL, GATE_SKIP, NULL,
				     "not run: the bindings were not generated");
			continue;
		}
		gate__run_stage(g, ai, stages[i].s, stages[i].fn);
	}
	return 0;
}

int gate__verdict(const struct gate *g)
{
	int rc = 0;

	if (g->oom)
		return 2;
	for (size_t i = 0; i < g->ncases; i++) {
		if (g->cases[i].st == GATE_ERROR)
			return 2;
		if (g->cases[i].st == GATE_FAIL)
			rc = 1;
	}
	return rc;
}

int gate__main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "headers", required_argument, NULL, 'H' },
		{ "bindings", required_argument, NULL, 'b' },
		{ "guest", no_argument, NULL, 'g' },
		{ "no-conformance", no_argument, NULL, 'N' },
		{ "no-rust", no_argument, NULL, 'R' },
		{ "timeout", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct gate g0;
	struct gate *g = &g0;
	struct cand cands[GATE_MAX_ARCHES];
	static char candabs[GATE_MAX_ARCHES][PATH_MAX];
	size_t ncand = 0;
	char self[PATH_MAX], top[PATH_MAX], outabs[PATH_MAX], path[PATH_MAX + 32], *archlist = NULL, *end;
	const char *env;
	double t0 = gate__now();
	FILE *f;
	int c, rc;

	memset(g, 0, sizeof(*g));
	g->out = "build/gate";
	g->timeout = 900;
	while ((c = getopt_long(argc, argv, "a:H:b:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			printf("usage: %s\n", usage);
			return 0;
		case 'a': archlist = optarg; break;
		case 'H': g->headers = optarg; break;
		case 'b':
			if (!strchr(optarg, '=') || ncand == GATE_MAX_ARCHES)
				return bad("--bindings '%s': expected ARCH=FILE%s", optarg, "");
			*strchr(optarg, '=') = '\0';
			cands[ncand].arch = optarg;
			cands[ncand++].file = optarg + strlen(optarg) + 1;
			break;
		case 'g': g->guest = true; break;
		case 'N': g->no_conformance = true; break;
		case 'R': g->no_rust = true; break;
		case 't':
			g->timeout = strtoul(optarg, &end, 10);
			if (*end || !*optarg)
				return bad("--timeout '%s': expected seconds%s", optarg, "");
			break;
		case 'o': g->out = optarg; break;
		default:
			return bad("usage: %s%s", usage, "");
		}
	}
	if (optind != argc)
		return bad("unexpected argument '%s'%s", argv[optind], "");
	if (g->guest && g->no_conformance)
		return bad("--guest and --no-conformance exclude each other%s%s", "", "");
	if (archlist) {
		char *dup = strdup(archlist);

		rc = dup ? parse_arches(g, dup) : 2;
		free(dup);
		if (rc)
			return rc;
	} else {
		for (size_t i = 0; arch__nth(i); i++)
			if ((rc = add_arch(g, arch__nth(i)->name)))
				return rc;
	}
	for (size_t i = 0; i < ncand; i++) {
		size_t k;

		if (!arch__find(cands[i].arch))
			return bad("--bindings: unknown arch '%s' (expected %s)", cands[i].arch,
				   arch__expected());
		for (k = 0; k < g->narch && strcmp(g->arches[k].a->name, cands[i].arch); k++)
			;
		if (k == g->narch)
			return bad("--bindings %s=...: %s is not among the chosen arches",
				   cands[i].arch, cands[i].arch);
		/* absolute: the conformance stage runs make in the source tree */
		if (access(cands[i].file, R_OK) || !realpath(cands[i].file, candabs[k]))
			return bad("%s: %s", cands[i].file, strerror(errno));
		g->arches[k].candidate = candabs[k];
	}
	if (g->headers && access(g->headers, R_OK))
		return bad("%s: %s", g->headers, strerror(errno));
	if (!realpath("/proc/self/exe", self))
		return bad("/proc/self/exe: %s%s", strerror(errno), "");
	g->self = self;
	env = getenv("KVMGATE_TOP");
	snprintf(top, sizeof(top), "%s", env && *env ? env : self);
	if (!(env && *env) && strrchr(top, '/'))
		*strrchr(top, '/') = '\0';
	g->top = top;
	if (mkdirs(g->out) || !realpath(g->out, outabs))
		return bad("%s: %s", g->out, strerror(errno));
	g->out = outabs;
	for (size_t i = 0; i < g->narch; i++) {
		struct gate_arch *ga = &g->arches[i];

		snprintf(ga->dir, sizeof(ga->dir), "%s/%s", g->out, ga->a->name);
		if (mkdirs(ga->dir))
			return bad("%s: %s", ga->dir, strerror(errno));
	}
	for (size_t i = 0; i < g->narch; i++)
		stage_all(g, i);
	g->total_secs = gate__now() - t0;

	rc = gate__verdict(g);
	snprintf(path, sizeof(path), "%s/junit.xml", g->out);
	if (gate__write_junit(g, path))
		rc = bad("%s: cannot write%s", path, "");
	snprintf(path, sizeof(path), "%s/index.html", g->out);
	if (gate__write_html(g, path))
		rc = bad("%s: cannot write%s", path, "");
	snprintf(path, sizeof(path), "%s/summary.txt", g->out);
	f = fopen(path, "w");
	if (!f || gate__write_summary(g, f) || fclose(f))
		rc = bad("%s: cannot write%s", path, "");
	putchar('\n');
	gate__write_summary(g, stdout);
	printf("reports in %s/ (summary.txt, junit.xml, index.html, <arch>/*-drift.txt)\n", g->out);
	fflush(stdout);
	gate__fini(g);
	return rc;
}
