/* gate_conf.c - the conformance stage: the suite's guest build of the arch made against the
 * bindings under test (make B=OUT/build BINDINGS_<arch>=FILE conformance-progs-<arch>: the
 * candidate when one is given, else the generated manifest), run by kyua on this machine's
 * /dev/kvm when it is the arch's host and /dev/kvm opens (and --guest is not given), else booted
 * in the arch's QEMU guest with the first kernel series of vmimages/kernels.txt (run-guest.sh on
 * the image <arch>_<series> of that build). Every case comes
 * back as a case of the gate (a failure with its kyua output or the console's end), the coverage
 * totals through conformance/coverage-report.sh (OUT/build/coverage/). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gate.h"
#include "sbuf.h"

/* The guest kernel series the gate boots: the first of vmimages/kernels.txt ("6.1"), into buf;
 * false if the file has none. */
static bool guest_series(const struct gate *g, char *buf, size_t len)
{
	char path[PATH_MAX + 32], line[256];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/vmimages/kernels.txt", g->top);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (line[0] < '0' || line[0] > '9')
			continue;
		line[strcspn(line, "\t\n")] = '\0';
		snprintf(buf, len, "%s", line);
		found = true;
	}
	fclose(f);
	return found;
}

/* The reason vmimages/no-guest.txt gives for an arch without a guest, into why; false if none. */
static bool no_guest(const struct gate *g, const char *arch, char *why, size_t len)
{
	char path[PATH_MAX + 32], line[1024];
	size_t n = strlen(arch);
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/vmimages/no-guest.txt", g->top);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		const char *r;

		if (strncmp(line, arch, n) || line[n] != '\t')
			continue;
		line[strcspn(line, "\n")] = '\0';
		r = strstr(line, "reason=");
		snprintf(why, len, "%s", r ? r + 7 : line + n + 1);
		found = true;
	}
	fclose(f);
	return found;
}

static bool host_kvm(const char *arch)
{
	const char *host = arch__host();
	int fd;

	if (!host || strcmp(host, arch))
		return false;
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* The kyua verbose report's section of one case ("===> ID" up to the next "===> "), at most
 * 6 KiB, or NULL. */
static char *case_section(const char *report, const char *id)
{
	struct sbuf sb = SBUF_INIT;
	char head[600];
	const char *p, *e;

	if (!report)
		return NULL;
	snprintf(head, sizeof(head), "===> %s\n", id);
	p = strstr(report, head);
	if (!p)
		return NULL;
	e = strstr(p + strlen(head), "\n===> ");
	sbuf__addn(&sb, p, e ? (size_t)(e - p) : strlen(p));
	if (sb.len > 6144) {
		sb.s[6144] = '\0';
		sb.len = 6144;
	}
	if (sb.oom) {
		sbuf__fini(&sb);
		return NULL;
	}
	return sb.s;
}

/* Cases from kyua's plain report lines "ID  ->  RESULT[: reason]  [T s]" (cases.txt); prefix
 * names them ("conformance/"); report: the verbose report for failure texts. Returns the number
 * of cases. */
static unsigned record_cases(struct gate *g, size_t ai, const char *cases, const char *prefix,
			     const char *report, const char *where)
{
	char *text = gate__read_head(cases, 1 << 20), *save = NULL, *v = NULL;
	unsigned n = 0;

	if (!text)
		return 0;
	v = report ? gate__read_head(report, 4 << 20) : NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *arrow = strstr(line, "  ->  "), name[600], id[512], *res, *t;
		enum gate_st st;
		double secs = 0;
		struct gate_case *c;
		char *detail;

		if (!arrow || line[0] == ' ' || !strncmp(line, "===>", 4))
			continue;
		*arrow = '\0';
		res = arrow + 6;
		t = strrchr(res, '[');
		if (t) {
			secs = strtod(t + 1, NULL);
			while (t > res && t[-1] == ' ')
				t--;
			*t = '\0';
		}
		if (!strncmp(res, "passed", 6))
			st = GATE_PASS;
		else if (!strncmp(res, "skipped", 7) || !strncmp(res, "expected_failure", 16))
			st = GATE_SKIP;
		else
			st = GATE_FAIL;
		snprintf(id, sizeof(id), "%s", line);
		snprintf(name, sizeof(name), "conformance/%s",
			 !strncmp(id, prefix, strlen(prefix)) ? id + strlen(prefix) : id);
		detail = st == GATE_FAIL ? case_section(v, id) : NULL;
		c = gate__record(g, ai, GS_CONFORMANCE, name, st, detail, "%s (%s)", res, where);
		if (c)
			c->secs = secs;
		free(detail);
		n++;
	}
	free(v);
	free(text);
	return n;
}

/* make -C TOP B=OUT/build KVMGATE_BIN=... BINDINGS_<arch>=FILE target */
static int make(struct gate *g, size_t ai, const char *target, const char *log)
{
	struct gate_arch *ga = &g->arches[ai];
	char b[PATH_MAX + 16], bin[PATH_MAX + 16], bind[PATH_MAX + 64];
	char *argv[] = { "make", "-C", (char *)g->top, "-j2", "--no-print-directory", b, bin, bind,
			 (char *)target, NULL };

	snprintf(b, sizeof(b), "B=%s/build", g->out);
	snprintf(bin, sizeof(bin), "KVMGATE_BIN=%s", g->self);
	if (ga->candidate)
		snprintf(bind, sizeof(bind), "BINDINGS_%s=%s", ga->a->name, ga->candidate);
	else
		snprintf(bind, sizeof(bind), "BINDINGS_%s=%s/layout", ga->a->name, ga->dir);
	return gate__spawn(g, argv, log);
}

static void tail_error(struct gate *g, size_t ai, const char *what, const char *log)
{
	char *d = gate__read_head(log, 1 << 20);
	size_t len = d ? strlen(d) : 0;

	/* the last 3 KiB: where make and the scripts say what failed */
	gate__record(g, ai, GS_CONFORMANCE, NULL, GATE_ERROR, d ? d + (len > 3072 ? len - 3072 : 0) :
		     NULL, "%s failed (%s)", what, log);
	free(d);
}

/* The totals line of coverage-report.sh for place-arch into the arch's figures. */
static void coverage(struct gate *g, size_t ai, const char *place, char *msg, size_t len)
{
	struct gate_arch *ga = &g->arches[ai];
	char log[PATH_MAX + 32], line[1024], key[128];
	char *argv[] = { "sh", NULL, NULL, NULL };
	char script[PATH_MAX + 40], b[PATH_MAX + 16];
	FILE *f;

	snprintf(script, sizeof(script), "%s/conformance/coverage-report.sh", g->top);
	snprintf(b, sizeof(b), "%s/build", g->out);
	snprintf(log, sizeof(log), "%s/coverage.log", ga->dir);
	argv[1] = script;
	argv[2] = b;
	gate__spawn(g, argv, log);
	snprintf(key, sizeof(key), "coverage %s %s ", place, ga->a->name);
	f = fopen(log, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, " ioctls: ");

		if (strncmp(line, key, strlen(key)) || !p)
			continue;
		line[strcspn(line, "\n")] = '\0';
		sscanf(p, " ioctls: %u exercised, %u skipped, %u rejected", &ga->ioctl[0],
		       &ga->ioctl[1], &ga->ioctl[2]);
		snprintf(msg, len, "%.400s", strchr(line, ':') ? strchr(line, ':') + 2 : line);
	}
	fclose(f);
}

static void run_host(struct gate *g, size_t ai)
{
	struct gate_arch *ga = &g->arches[ai];
	const char *a = ga->a->name;
	char kf[PATH_MAX + 64], db[PATH_MAX + 64], kfo[PATH_MAX + 80], dbo[PATH_MAX + 80];
	char log[PATH_MAX + 32], cases[PATH_MAX + 32], verbose[PATH_MAX + 32], cov[PATH_MAX + 64];
	char msg[512] = "", rel[128];
	char *test[] = { "kyua", "test", kfo, dbo, NULL };
	char *rep[] = { "kyua", "report", dbo, "--results-filter=passed,skipped,xfail,broken,failed",
			NULL };
	char *repv[] = { "kyua", "report", dbo, "--verbose", "--results-filter=broken,failed", NULL };
	struct gate_case *c;
	unsigned n;

	snprintf(kf, sizeof(kf), "%s/build/guest/%s/conformance/Kyuafile", g->out, a);
	snprintf(db, sizeof(db), "%s/conformance-results.db", ga->dir);
	snprintf(kfo, sizeof(kfo), "--kyuafile=%s", kf);
	snprintf(dbo, sizeof(dbo), "--results-file=%s", db);
	snprintf(log, sizeof(log), "%s/conformance.log", ga->dir);
	snprintf(cases, sizeof(cases), "%s/cases.txt", ga->dir);
	snprintf(verbose, sizeof(verbose), "%s/report.txt", ga->dir);
	snprintf(cov, sizeof(cov), "%s/build/coverage/host-%s", g->out, a);
	/* fresh records for this run: the coverage directory is this build's alone */
	{
		char *rm[] = { "rm", "-rf", cov, NULL };

		gate__spawn(g, rm, log);
	}
	{
		char *mk[] = { "mkdir", "-p", cov, NULL };

		gate__spawn(g, mk, log);
	}
	unlink(db);
	setenv("KVMGATE_COVERAGE_DIR", cov, 1);
	gate__spawn(g, test, log);
	unsetenv("KVMGATE_COVERAGE_DIR");
	if (gate__spawn(g, rep, cases) < 0 || access(db, R_OK)) {
		tail_error(g, ai, "kyua test on /dev/kvm", log);
		return;
	}
	gate__spawn(g, repv, verbose);
	n = record_cases(g, ai, cases, "", verbose, "/dev/kvm");
	coverage(g, ai, "host", msg, sizeof(msg));
	c = gate__record(g, ai, GS_CONFORMANCE, NULL, n ? GATE_PASS : GATE_ERROR, NULL,
			 "%u cases on this machine's /dev/kvm%s%s", n, *msg ? "; coverage: " : "",
			 msg);
	snprintf(rel, sizeof(rel), "build/coverage/host-%s.txt", a);
	gate__set_report(g, c, rel);
}

static void run_guest(struct gate *g, size_t ai, const char *series)
{
	struct gate_arch *ga = &g->arches[ai];
	const char *a = ga->a->name;
	char script[PATH_MAX + 40], img[PATH_MAX + 64], res[PATH_MAX + 80], log[PATH_MAX + 32];
	char p[PATH_MAX + 128], verbose[PATH_MAX + 128], msg[512] = "", rel[128], *status, *console;
	char *argv[] = { "bash", script, (char *)a, img, res, NULL };
	struct gate_case *c;
	unsigned n;

	snprintf(script, sizeof(script), "%s/vmimages/run-guest.sh", g->top);
	snprintf(img, sizeof(img), "%s/build/vmimages/%s_%s", g->out, a, series);
	snprintf(res, sizeof(res), "%s/results", img);
	snprintf(log, sizeof(log), "%s/guest.log", ga->dir);
	gate__spawn(g, argv, log);
	snprintf(p, sizeof(p), "%s/host-status", res);
	status = gate__read_head(p, 512);
	snprintf(p, sizeof(p), "%s/console.log", res);
	console = gate__read_head(p, 1 << 20);
	if (!status || strncmp(status, "ok", 2)) {
		const char *t = console && strlen(console) > 3072 ? console + strlen(console) - 3072 :
				console;

		if (status)
			status[strcspn(status, "\n")] = '\0';
		gate__record(g, ai, GS_CONFORMANCE, NULL, GATE_ERROR, t,
			     "the %s guest (Linux %s) did not run the suite: %s (%s)", a, series,
			     status ? status : "no host-status", log);
		goto out;
	}
	snprintf(p, sizeof(p), "%s/cases.txt", res);
	snprintf(verbose, sizeof(verbose), "%s/report.txt", res);
	n = record_cases(g, ai, p, "conformance/", verbose, "guest");
	snprintf(rel, sizeof(rel), "guest-%s", series);
	coverage(g, ai, rel, msg, sizeof(msg));
	c = gate__record(g, ai, GS_CONFORMANCE, NULL, n ? GATE_PASS : GATE_ERROR, NULL,
			 "%u cases in the %s QEMU guest (Linux %s)%s%s", n, a, series,
			 *msg ? "; coverage: " : "", msg);
	snprintf(rel, sizeof(rel), "build/coverage/guest-%s-%s.txt", series, a);
	gate__set_report(g, c, rel);
out:
	free(status);
	free(console);
}

void gate_conformance(struct gate *g, size_t ai)
{
	struct gate_arch *ga = &g->arches[ai];
	char why[600], log[PATH_MAX + 32], target[PATH_MAX + 400], series[256] = "";
	bool host;

	if (g->no_conformance) {
		gate__record(g, ai, GS_CONFORMANCE, NULL, GATE_SKIP, NULL,
			     "left out (--no-conformance)");
		return;
	}
	host = !g->guest && host_kvm(ga->a->name);
	if (!host && no_guest(g, ga->a->name, why, sizeof(why))) {
		gate__record(g, ai, GS_CONFORMANCE, NULL, GATE_SKIP, NULL, "%s", why);
		return;
	}
	if (!host && !guest_series(g, series, sizeof(series))) {
		gate__record(g, ai, GS_CONFORMANCE, NULL, GATE_ERROR, NULL,
			     "%s/vmimages/kernels.txt: no kernel series for the guest", g->top);
		return;
	}
	/* a make run from the gate under `make gate` must not join that make's jobserver */
	unsetenv("MAKEFLAGS");
	unsetenv("MFLAGS");
	unsetenv("MAKELEVEL");
	snprintf(log, sizeof(log), "%s/conformance-build.log", ga->dir);
	if (host)
		snprintf(target, sizeof(target), "conformance-progs-%s", ga->a->name);
	else
		snprintf(target, sizeof(target), "%s/build/vmimages/%s_%s/image.env", g->out,
			 ga->a->name, series);
	if (make(g, ai, target, log)) {
		tail_error(g, ai, host ? "building the conformance programs" :
			   "building the guest image", log);
		return;
	}
	if (host)
		run_host(g, ai);
	else
		run_guest(g, ai, series);
}
