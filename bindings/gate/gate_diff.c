/* gate_diff.c - the stages that compare the generated manifest with another view of the same
 * layouts through the loader registry and the classifier: dwarf (the header's DWARF, pahole),
 * candidate (a given bindings.rs), kernel (kernel BTF at hand, with dwarf/kernel.allow). Each
 * writes OUT/<arch>/<stage>-drift.txt, the classifier's lines, and fails on an incompatible one
 * only; sources of two arches are an error. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "allow.h"
#include "gate.h"
#include "source.h"
#include "sbuf.h"

/* The first few incompatible lines of a drift report, joined with "; ". */
static void first_incompatible(const char *drift, struct sbuf *sb)
{
	FILE *f = fopen(drift, "r");
	char line[1024];
	unsigned n = 0;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "incompatible", 12))
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (n++ < 3)
			sbuf__addf(sb, "%s%s", n > 1 ? "; " : "", line);
	}
	if (n > 3)
		sbuf__addf(sb, "; and %u more", n - 3);
	fclose(f);
}

/* Diff OUT/<arch>/layout against path (format from, NULL: probed), report in
 * OUT/<arch>/<file>; one case named name. */
static void diff_case(struct gate *g, size_t ai, enum gate_stage stage, const char *name,
		      const char *path, const char *from, const char *btf_base,
		      const char *allowfile, const char *file, const char *label)
{
	struct gate_arch *ga = &g->arches[ai];
	char layout[PATH_MAX + 16], drift[PATH_MAX + 64], rel[PATH_MAX], err[ERRBUF_SIZE] = "";
	struct source_opts o = { .arch = ga->a->name };
	struct allowlist allow = { 0 };
	struct diff_opts dopts = { 0 };
	const struct source_ops *used = NULL;
	struct manifest a, b;
	struct diff_counts n;
	struct gate_case *c;
	unsigned warnings = 0;
	struct sbuf sb = SBUF_INIT;
	double t0 = gate__now();
	char *detail;
	FILE *out;
	int rc;

	snprintf(layout, sizeof(layout), "%s/layout", ga->dir);
	snprintf(drift, sizeof(drift), "%s/%s", ga->dir, file);
	snprintf(rel, sizeof(rel), "%s/%s", ga->a->name, file);
	if (allowfile && allowlist__read(&allow, allowfile, err, sizeof(err))) {
		gate__record(g, ai, stage, name, GATE_ERROR, NULL, "%s", err);
		return;
	}
	if (source__load(&a, layout, "manifest", &o, NULL, err, sizeof(err))) {
		gate__record(g, ai, stage, name, GATE_ERROR, NULL, "%s", err);
		goto out_allow;
	}
	o.only = &a;
	o.btf_base = btf_base;
	o.warnings = &warnings;
	if (source__load(&b, path, from, &o, &used, err, sizeof(err))) {
		gate__record(g, ai, stage, name, GATE_ERROR, NULL, "%s", err);
		goto out_a;
	}
	/* a candidate of another arch (what its bindings.rs defines) compares with nothing here */
	if (manifest__arch_check(&a, &b, err, sizeof(err))) {
		gate__record(g, ai, stage, name, GATE_ERROR, NULL, "%s: %s", path, err);
		goto out_b;
	}
	out = fopen(drift, "w");
	if (!out) {
		gate__record(g, ai, stage, name, GATE_ERROR, NULL, "%s: cannot write", drift);
		goto out_b;
	}
	fprintf(out, "# kvmgate gate %s: %s against %s%s%s\n", gate__stage_name(stage), layout, path,
		allowfile ? ", allowed by " : "", allowfile ? allowfile : "");
	dopts.allow = allowfile ? &allow : NULL;
	dopts.b_is_debuginfo = used->is_debuginfo;
	/* the kernel's debug info and the DWARF of the same headers are the truth of names and
	 * types; a candidate may be of another kernel version, its api differences are named */
	dopts.api_is_incompatible = used->is_debuginfo || stage == GS_DWARF;
	dopts.out = out;
	rc = manifest__diff(&a, &b, &dopts, &n);
	if (fclose(out) || rc) {
		gate__record(g, ai, stage, name, GATE_ERROR, NULL, "%s: diff failed", drift);
		goto out_b;
	}
	for (int k = 0; k < DIFF__NR; k++)
		ga->diff[k] += n.n[k];
	if (n.n[DIFF_INCOMPATIBLE]) {
		first_incompatible(drift, &sb);
		detail = gate__read_head(drift, 16384);
		c = gate__record(g, ai, stage, name, GATE_FAIL, detail,
				 "%s: %u incompatible: %s", label, n.n[DIFF_INCOMPATIBLE],
				 sbuf__str(&sb));
		free(detail);
	} else {
		/* api, additions, sentinels and layout-neutral differences never fail a stage */
		c = gate__record(g, ai, stage, name, GATE_PASS, NULL,
				 "%s: 0 incompatible, %u api, %u added, %u sentinel, %u layout-neutral, "
				 "%u allowed%s%s%s", label, n.n[DIFF_API], n.n[DIFF_ADDED],
				 n.n[DIFF_SENTINEL], n.n[DIFF_NEUTRAL], n.n[DIFF_ALLOWED],
				 stage == GS_CANDIDATE ? " (as an update of the headers' bindings: " : "",
				 stage == GS_CANDIDATE ? diff__verdict_name(n.verdict) : "",
				 stage == GS_CANDIDATE ? ")" : "");
	}
	gate__set_report(g, c, rel);
	if (c)
		c->secs = gate__now() - t0;
	sbuf__fini(&sb);
out_b:
	manifest__fini(&b);
out_a:
	manifest__fini(&a);
out_allow:
	allowlist__fini(&allow);
}

void gate_dwarf(struct gate *g, size_t ai)
{
	struct gate_arch *ga = &g->arches[ai];
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/layout.dwarf", ga->dir);
	if (access(path, R_OK)) {
		gate__record(g, ai, GS_DWARF, NULL, GATE_SKIP, NULL,
			     "no layout.dwarf (kvmgate built without dwarf/)");
		return;
	}
	diff_case(g, ai, GS_DWARF, NULL, path, "manifest", NULL, NULL, "dwarf-drift.txt",
		  "DWARF (pahole) against libclang");
}

void gate_candidate(struct gate *g, size_t ai)
{
	struct gate_arch *ga = &g->arches[ai];

	if (!ga->candidate) {
		gate__record(g, ai, GS_CANDIDATE, NULL, GATE_SKIP, NULL,
			     "no --bindings %s=FILE given", ga->a->name);
		return;
	}
	diff_case(g, ai, GS_CANDIDATE, NULL, ga->candidate, NULL, NULL, NULL, "candidate-drift.txt",
		  ga->candidate);
}

/* The guest kernels' BTF the boots handed back: $GATE_GUEST_BTF, else $KVMGATE_CACHE/btf, else
 * ~/.cache/kvmgate/btf: <release>/{arch,vmlinux[,kvm]}. */
static void btf_dir(char *buf, size_t len)
{
	const char *e = getenv("GATE_GUEST_BTF");

	if (e && *e)
		snprintf(buf, len, "%s", e);
	else if ((e = getenv("KVMGATE_CACHE")) && *e)
		snprintf(buf, len, "%s/btf", e);
	else
		snprintf(buf, len, "%s/.cache/kvmgate/btf", getenv("HOME") ? getenv("HOME") : "/");
}

static bool arch_file_is(const char *path, const char *arch)
{
	char buf[64] = "";
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return !strcmp(buf, arch);
}

/* X*1000+Y of a kernel release "6.1.0-57-amd64", 0 when it does not start so. */
static unsigned release_code(const char *rel)
{
	unsigned x, y;

	return sscanf(rel, "%u.%u", &x, &y) == 2 ? x * 1000 + y : 0;
}

/* A kernel older than the headers (kernel_min): recorded skipped (true), not compared. */
static bool too_old(struct gate *g, size_t ai, const char *name, const char *rel)
{
	unsigned code = release_code(rel), min = g->arches[ai].kernel_min;

	if (!min || !code || code >= min)
		return false;
	gate__record(g, ai, GS_KERNEL, name, GATE_SKIP, NULL,
		     "kernel %s is older than the headers (%u.%u): it lacks what came after it", rel,
		     min / 1000, min % 1000);
	return true;
}

void gate_kernel(struct gate *g, size_t ai)
{
	struct gate_arch *ga = &g->arches[ai];
	char allow[PATH_MAX], label[512], dir[PATH_MAX], p[PATH_MAX + 300], vml[PATH_MAX + 300];
	char name[300], file[320];
	const char *host = arch__host();
	struct dirent **ents = NULL;
	struct utsname u;
	bool any = false;
	int n;

	snprintf(allow, sizeof(allow), "%s/dwarf/kernel.allow", g->top);
	if (host && !strcmp(host, ga->a->name) && !access("/sys/kernel/btf/vmlinux", R_OK) &&
	    !uname(&u) && !(any = too_old(g, ai, "kernel:host", u.release))) {
		snprintf(label, sizeof(label), "this machine's BTF (%s)", u.release);
		diff_case(g, ai, GS_KERNEL, "kernel:host", "/sys/kernel/btf/vmlinux", "btf", NULL,
			  allow, "kernel-host-drift.txt", label);
		any = true;
	}
	btf_dir(dir, sizeof(dir));
	n = scandir(dir, &ents, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *rel = ents[i]->d_name;

		struct stat st;

		snprintf(p, sizeof(p), "%s/%s/arch", dir, rel);
		snprintf(vml, sizeof(vml), "%s/%s/vmlinux", dir, rel);
		if (rel[0] == '.' || !arch_file_is(p, ga->a->name) || access(vml, R_OK))
			continue;
		snprintf(name, sizeof(name), "kernel:guest %s", rel);
		if (too_old(g, ai, name, rel)) {
			any = true;	/* its skipped case says why */
			continue;
		}
		snprintf(file, sizeof(file), "kernel-%s-drift.txt", rel);
		/* where KVM is a module (x86_64's kvm.ko), its types are in the module's split BTF
		 * on the vmlinux base; else in the vmlinux's */
		snprintf(p, sizeof(p), "%s/%s/kvm", dir, rel);
		if (!stat(p, &st) && st.st_size > 0) {
			snprintf(label, sizeof(label), "guest %s BTF (kvm module)", rel);
			diff_case(g, ai, GS_KERNEL, name, p, "btf", vml, allow, file, label);
		} else {
			snprintf(label, sizeof(label), "guest %s BTF", rel);
			diff_case(g, ai, GS_KERNEL, name, vml, "btf", NULL, allow, file, label);
		}
		any = true;
	}
	for (int i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	if (!any)
		gate__record(g, ai, GS_KERNEL, NULL, GATE_SKIP, NULL,
			     "no kernel BTF at hand: not the host's arch, and no guest of it handed "
			     "its BTF back into %s", dir);
}
