/* kvmgate.c - the command-line front end: parses options, registers the loaders and dispatches
 * to the library of bindings/ (the generator, the manifest, the classifier, the loader registry)
 * and dwarf/ (DWARF and BTF through pahole).
 *
 *   kvmgate gen --arch ARCH [--headers DIR] [--kernel LABEL] [--no-dwarf] [--keep-probe] -o OUTDIR
 *   kvmgate dump [--from FMT] [--arch ARCH] [--btf-base FILE] [--types MANIFEST] [SOURCE]
 *   kvmgate diff [--allow FILE] [--arch ARCH] [--btf-base FILE] [--json] [--any-arch] A B
 *   kvmgate abi [--arch ARCH] [--from FMT] [--ioctls REF] SOURCE [-o FILE]
 *   kvmgate gate [--arch ARCH,...] [--headers DIR] [--bindings ARCH=FILE]... [-o DIR]  (bindings/gate/)
 *
 * Exit status: 0 success (diff: nothing incompatible), 1 diff found something incompatible,
 * 2 bad input or failure (one line on stderr: "kvmgate: FILE:LINE: what was expected", or
 * "kvmgate: what" where no file is involved).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi.h"
#include "arch.h"
#include "cmodel.h"
#include "dwarf.h"
#include "gate.h"
#include "update.h"
#include "diff.h"
#include "layout_write.h"
#include "manifest_text.h"
#include "source.h"
#include "timing.h"

#define EXIT_BAD 2

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("kvmgate: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_BAD;
}

/* The loaders this command reads, in the order `dump SOURCE` probes them (the manifest format
 * is built into the registry and comes first). */
static int sources__register(void)
{
	if (source__register(&rust_source_ops) || source__register(&headers_source_ops) ||
	    dwarf__register_sources())
		return fail("cannot register the source formats");
	return 0;
}

/* Load SOURCE (NULL: the default headers of o->arch) with the named or probed format. */
static int load(struct manifest *m, const char *path, const char *from,
		const struct source_opts *o, const struct source_ops **used)
{
	char err[ERRBUF_SIZE] = "";

	return source__load(m, path, from, o, used, err, sizeof(err)) ? fail("%s", err) : 0;
}

static bool arch__valid(const char *arch)
{
	return arch__find(arch) != NULL;
}

/* ---- gen ---- */

struct outfile {
	const char *name;
	char path[PATH_MAX];
	char tmp[PATH_MAX];
	FILE *f;
};

static int outfile__open(struct outfile *o, const char *dir, const char *name)
{
	int fd;

	o->name = name;
	snprintf(o->path, sizeof(o->path), "%s/%s", dir, name);
	snprintf(o->tmp, sizeof(o->tmp), "%s/.%s.XXXXXX", dir, name);
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		o->tmp[0] = '\0';
		return fail("%s: cannot create: %s", o->path, strerror(errno));
	}
	o->f = fdopen(fd, "w");
	if (!o->f) {
		close(fd);
		return fail("%s: %s", o->path, strerror(errno));
	}
	return 0;
}

static void outfiles__abort(struct outfile *o, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (o[i].f)
			fclose(o[i].f);
		o[i].f = NULL;
		if (o[i].tmp[0])
			unlink(o[i].tmp);
		o[i].tmp[0] = '\0';
	}
}

/* Close every file and move them into place only when all of them were written. */
static int outfiles__commit(struct outfile *o, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int bad;

		if (!o[i].f)
			continue;	/* written by someone else (the probe object) */
		bad = ferror(o[i].f);
		if (fclose(o[i].f) || bad) {
			o[i].f = NULL;
			outfiles__abort(o, n);
			return fail("%s: write error", o[i].path);
		}
		o[i].f = NULL;
		if (chmod(o[i].tmp, 0644)) {
			outfiles__abort(o, n);
			return fail("%s: %s", o[i].tmp, strerror(errno));
		}
	}
	for (size_t i = 0; i < n; i++)
		if (rename(o[i].tmp, o[i].path)) {
			int e = errno;

			outfiles__abort(o, n);
			return fail("%s: %s", o[i].path, strerror(e));
		}
	return 0;
}

/* bindings.rs is written by a thread of its own while the manifest's files are (it reads the C
 * model only, they read the manifest only); without a thread, here. */
struct rust_job {
	const struct cmodel *cm;
	FILE *f;
	pthread_t thread;
	bool running;
	int ret;
};

static void *rust_job__run(void *arg)
{
	struct rust_job *j = arg;

	j->ret = rust__write(j->cm, j->f);
	return NULL;
}

static void rust_job__start(struct rust_job *j, const struct cmodel *cm, FILE *f)
{
	j->cm = cm;
	j->f = f;
	if (!pthread_create(&j->thread, NULL, rust_job__run, j))
		j->running = true;
	else
		rust_job__run(j);
}

static int rust_job__join(struct rust_job *j)
{
	if (j->running)
		pthread_join(j->thread, NULL);
	j->running = false;
	return j->ret;
}

/* Stop writing: the thread first (it writes into one of the files), then the files. */
static void gen__abort(struct outfile *o, size_t n, struct rust_job *j)
{
	rust_job__join(j);
	outfiles__abort(o, n);
}

static void gen__summary(const struct manifest *m, const char *arch, const char *kernel,
			 const char *outdir)
{
	unsigned n[MREC__NR] = { 0 };

	for (size_t i = 0; i < m->nrecs; i++)
		n[m->recs[i].kind]++;
	fprintf(stderr, "kvmgate: %s %s: %u types, %u fields, %u constants, %u ioctls, "
		"%u unevaluated -> %s/\n", arch, kernel, n[MREC_TYPE], n[MREC_FIELD], n[MREC_CONST],
		n[MREC_IOCTL], n[MREC_UNEVAL], outdir);
}

static int cmd_gen(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "headers", required_argument, NULL, 'H' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "output", required_argument, NULL, 'o' },
		{ "no-dwarf", no_argument, NULL, 'N' },
		{ "keep-probe", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char usage[] = "kvmgate gen --arch x86_64|arm64|riscv64 [--headers DIR] "
		"[--kernel LABEL] [--no-dwarf] [--keep-probe] -o OUTDIR";
	const char *arch = NULL, *headers = NULL, *kernel = NULL, *outdir = NULL;
	struct outfile of[6] = { 0 };
	struct manifest m, dw;
	char err[ERRBUF_SIZE] = "";
	struct cmodel cm;
	struct dwarf_probe probe = { 0 };
	struct rust_job rj = { 0 };
	bool dwarf = true, keep_probe = false, made_outdir;
	size_t nof = 0;
	int c, ret;

	while ((c = getopt_long(argc, argv, "a:H:k:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			printf("usage: %s\n", usage);
			return 0;
		case 'a': arch = optarg; break;
		case 'H': headers = optarg; break;
		case 'k': kernel = optarg; break;
		case 'o': outdir = optarg; break;
		case 'N': dwarf = false; break;
		case 'P': keep_probe = true; break;
		default:
			return fail("usage: %s", usage);
		}
	}
	if (optind != argc)
		return fail("gen: unexpected argument '%s'", argv[optind]);
	if (!arch || !outdir)
		return fail("gen: --arch and -o OUTDIR are required");
	if (!arch__valid(arch))
		return fail("gen: unknown arch '%s' (expected %s)", arch, arch__expected());
	/* the DWARF probe needs no layout: its compiler runs while libclang parses */
	if (dwarf && dwarf__probe_start(&probe, arch, headers, err, sizeof(err)))
		return fail("%s (the DWARF cross-check; --no-dwarf skips it)", err);
	timing__mark("probe started");
	ret = cmodel__load_headers(&cm, arch, headers, kernel, err, sizeof(err));
	if (ret) {
		dwarf__probe_cancel(&probe);
		return fail("%s", err);
	}
	manifest__init(&m);
	manifest__init(&dw);
	if (cmodel__flatten(&cm, &m)) {
		ret = fail("out of memory");
		goto out;
	}
	timing__mark("flatten");
	if (dwarf) {
		/* pahole reads the probe while the other files are written; m stays as it is
		 * (sorted now, the writers' sorts leave it untouched) */
		manifest__sort(&m);
		dwarf__probe_read_start(&probe, &m, &dw);
	}
	made_outdir = !mkdir(outdir, 0777);
	if (!made_outdir && errno != EEXIST) {
		ret = fail("%s: %s", outdir, strerror(errno));
		goto out;
	}
	ret = EXIT_BAD;
	if (outfile__open(&of[nof++], outdir, "layout") ||
	    outfile__open(&of[nof++], outdir, "bindings.rs")) {
		fail("%s: cannot write %s", outdir, of[nof - 1].name);
		outfiles__abort(of, nof);
		goto out;
	}
	rust_job__start(&rj, &cm, of[1].f);
	if (manifest__write(&m, of[0].f) ||
	    (timing__mark("write layout"), 0) ||
	    outfile__open(&of[nof++], outdir, "layout.h") ||
	    c__write_layout(&m, of[nof - 1].f)) {
		fail("%s: cannot write %s", outdir, nof == 2 ? "layout" : of[nof - 1].name);
		gen__abort(of, nof, &rj);
		goto out;
	}
	if (outfile__open(&of[nof++], outdir, "kvm_abi.h") ||
	    abi__write(&m, of[nof - 1].f, err, sizeof(err))) {
		fail("%s: cannot write kvm_abi.h%s%s", outdir, *err ? ": " : "", err);
		gen__abort(of, nof, &rj);
		goto out;
	}
	if (rust_job__join(&rj)) {
		fail("%s: cannot write bindings.rs", outdir);
		outfiles__abort(of, nof);
		goto out;
	}
	timing__mark("write bindings.rs, layout.h, kvm_abi.h");
	if (dwarf && dwarf__probe_read_join(&probe, err, sizeof(err))) {
		ret = fail("%s (the DWARF cross-check; --no-dwarf skips it)", err);
		outfiles__abort(of, nof);
		if (made_outdir)
			rmdir(outdir);	/* as when the check ran before it was made */
		goto out;
	}
	timing__mark("dwarf view");
	if (dwarf &&
	    (outfile__open(&of[nof++], outdir, "layout.dwarf") || manifest__write(&dw, of[nof - 1].f))) {
		fail("%s: cannot write layout.dwarf", outdir);
		outfiles__abort(of, nof);
		goto out;
	}
	if (keep_probe) {
		/* the probe object itself, for `kvmgate dump OUTDIR/probe.o` (pahole's view) */
		struct outfile *p = &of[nof++];

		p->name = "probe.o";
		snprintf(p->path, sizeof(p->path), "%s/probe.o", outdir);
		snprintf(p->tmp, sizeof(p->tmp), "%s/.probe.o.%ld", outdir, (long)getpid());
		if (dwarf__probe_build(&m, arch, headers, p->tmp, err, sizeof(err))) {
			fail("%s", err);
			outfiles__abort(of, nof);
			goto out;
		}
	}
	ret = outfiles__commit(of, nof);
	timing__mark("write rest");
	if (!ret)
		gen__summary(&m, arch, cm.kernel, outdir);
out:
	dwarf__probe_cancel(&probe);	/* nothing left when finished */
	manifest__fini(&m);
	manifest__fini(&dw);
	cmodel__fini(&cm);
	return ret;
}

/* ---- dump and diff ---- */

struct src_args {
	const char *from, *arch, *kernel, *btf_base, *types, *allow;
	bool json, any_arch;	/* diff only */
};

#define HELP_SHOWN (-1)	/* a command's --help was printed: exit 0 */

static const struct option src_longopts[] = {
	{ "from", required_argument, NULL, 'f' },
	{ "arch", required_argument, NULL, 'a' },
	{ "kernel", required_argument, NULL, 'k' },
	{ "btf-base", required_argument, NULL, 'b' },
	{ "btf_base", required_argument, NULL, 'b' },
	{ "types", required_argument, NULL, 't' },
	{ "allow", required_argument, NULL, 'A' },
	{ "json", no_argument, NULL, 'J' },
	{ "any-arch", no_argument, NULL, 'X' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int src_args__parse(struct src_args *s, int argc, char **argv, const char *usage)
{
	int c;

	memset(s, 0, sizeof(*s));
	while ((c = getopt_long(argc, argv, "f:a:k:b:t:A:h", src_longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			printf("usage: %s\n", usage);
			return HELP_SHOWN;
		case 'f': s->from = optarg; break;
		case 'a': s->arch = optarg; break;
		case 'k': s->kernel = optarg; break;
		case 'b': s->btf_base = optarg; break;
		case 't': s->types = optarg; break;
		case 'A': s->allow = optarg; break;
		case 'J': s->json = true; break;
		case 'X': s->any_arch = true; break;
		default:
			return fail("usage: %s", usage);
		}
	}
	if (s->arch && !arch__valid(s->arch))
		return fail("unknown arch '%s' (expected %s)", s->arch, arch__expected());
	return 0;
}

static int cmd_dump(int argc, char **argv)
{
	static const char usage[] = "kvmgate dump [--from manifest|rust|headers|dwarf|btf] "
		"[--arch ARCH] [--kernel LABEL] [--btf-base FILE] [--types MANIFEST] [SOURCE]";
	struct manifest m, types;
	struct src_args s;
	struct source_opts o = { 0 };
	unsigned warnings = 0;
	const char *path;
	int ret;

	if ((ret = src_args__parse(&s, argc, argv, usage)))
		return ret == HELP_SHOWN ? 0 : ret;
	if (argc - optind > 1 || s.json || s.any_arch)
		return fail("usage: %s", usage);
	path = optind < argc ? argv[optind] : NULL;
	if (!path && !s.arch)
		return fail("dump: give a SOURCE, or --arch for the installed default headers");
	manifest__init(&types);
	if (s.types && (ret = load(&types, s.types, NULL, &o, NULL)))
		return ret;
	o.arch = s.arch;
	o.kernel = s.kernel;
	o.btf_base = s.btf_base;
	o.only = s.types ? &types : NULL;
	o.warnings = &warnings;
	ret = load(&m, path, s.from, &o, NULL);
	if (!ret) {
		if (manifest__write(&m, stdout))
			ret = fail("stdout: write error");
		manifest__fini(&m);
	}
	if (warnings)
		fprintf(stderr, "kvmgate: %u pahole warnings about unknown BTF kinds filtered\n",
			warnings);
	manifest__fini(&types);
	return ret;
}

static int cmd_diff(int argc, char **argv)
{
	static const char usage[] = "kvmgate diff [--allow FILE] [--arch ARCH] [--btf-base FILE] "
		"[--from FMT] [--json] [--any-arch] A B";
	struct manifest a, b;
	struct allowlist allow = { 0 };
	struct diff_counts n;
	struct diff_opts dopts = { .out = stdout };
	struct source_opts o = { 0 };
	const struct source_ops *bops = NULL;
	char err[ERRBUF_SIZE];
	unsigned warnings = 0;
	struct src_args s;
	int ret;

	if ((ret = src_args__parse(&s, argc, argv, usage)))
		return ret == HELP_SHOWN ? 0 : ret;
	if (argc - optind != 2)
		return fail("usage: %s", usage);
	if (s.allow) {
		if (allowlist__read(&allow, s.allow, err, sizeof(err)))
			return fail("%s", err);
		dopts.allow = &allow;
	}
	o.arch = s.arch;
	o.kernel = s.kernel;
	o.warnings = &warnings;
	ret = load(&a, argv[optind], NULL, &o, NULL);
	if (ret)
		goto out_allow;
	if (!o.arch)
		o.arch = manifest__meta(&a, "arch");
	o.btf_base = s.btf_base;
	o.only = &a;
	ret = load(&b, argv[optind + 1], s.from, &o, &bops);
	if (ret)
		goto out_a;
	if (!s.any_arch && manifest__arch_check(&a, &b, err, sizeof(err))) {
		ret = fail("diff: %s", err);
		goto out_b;
	}
	dopts.b_is_debuginfo = bops->is_debuginfo;
	/* the kernel's own view is the truth of names and types, not an older version */
	dopts.api_is_incompatible = bops->is_debuginfo;
	dopts.json = s.json;
	ret = manifest__diff(&a, &b, &dopts, &n);
	if (ret) {
		ret = fail("diff: %s", strerror(-ret));
		goto out_b;
	}
	if (warnings)
		fprintf(s.json ? stderr : stdout,
			"kvmgate diff: %u pahole warnings about unknown BTF kinds filtered\n", warnings);
	ret = n.n[DIFF_INCOMPATIBLE] ? 1 : 0;
	if (fflush(stdout))
		ret = fail("stdout: write error");
out_b:
	manifest__fini(&b);
out_a:
	manifest__fini(&a);
out_allow:
	allowlist__fini(&allow);
	return ret;
}

/* ---- abi ---- */

static int cmd_abi(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "from", required_argument, NULL, 'f' },
		{ "ioctls", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char usage[] = "kvmgate abi [--arch ARCH] [--from FMT] [--ioctls REF] SOURCE "
		"[-o FILE]";
	const char *arch = NULL, *from = NULL, *ref = NULL, *outpath = NULL;
	struct source_opts o = { 0 };
	struct manifest m, r;
	struct outfile of = { 0 };
	char err[ERRBUF_SIZE] = "", dir[PATH_MAX];
	unsigned added = 0;
	int c, ret;

	while ((c = getopt_long(argc, argv, "a:f:i:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			printf("usage: %s\n\nRenders the C ABI header kvm_abi.h of SOURCE (a manifest, "
			       "a bindings.rs, a headers tree,\nanything dump reads) to FILE or stdout. "
			       "--ioctls REF adds the ioctls of REF that SOURCE\nlacks (a bindgen "
			       "bindings.rs has none); their numbers keep the sizes REF encodes.\n",
			       usage);
			return 0;
		case 'a': arch = optarg; break;
		case 'f': from = optarg; break;
		case 'i': ref = optarg; break;
		case 'o': outpath = optarg; break;
		default:
			return fail("usage: %s", usage);
		}
	}
	if (argc - optind != 1)
		return fail("usage: %s", usage);
	if (arch && !arch__valid(arch))
		return fail("abi: unknown arch '%s' (expected %s)", arch, arch__expected());
	o.arch = arch;
	manifest__init(&r);
	if (ref) {
		if ((ret = load(&r, ref, NULL, &o, NULL)))
			return ret;
		if (!o.arch)
			o.arch = manifest__meta(&r, "arch");
	}
	ret = load(&m, argv[optind], from, &o, NULL);
	if (ret)
		goto out_ref;
	if (ref && abi__take_ioctls(&m, &r, &added)) {
		ret = fail("out of memory");
		goto out;
	}
	if (!outpath) {
		ret = abi__write(&m, stdout, err, sizeof(err));
		if (ret)
			ret = fail("%s", *err ? err : "stdout: write error");
		goto out;
	}
	snprintf(dir, sizeof(dir), "%s", outpath);
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	if ((ret = outfile__open(&of, dir, strrchr(outpath, '/') ? strrchr(outpath, '/') + 1 :
				 outpath)))
		goto out;
	if (abi__write(&m, of.f, err, sizeof(err))) {
		ret = fail("%s", *err ? err : "write error");
		outfiles__abort(&of, 1);
		goto out;
	}
	ret = outfiles__commit(&of, 1);
	if (!ret && ref)
		fprintf(stderr, "kvmgate: %u ioctls from %s\n", added, ref);
out:
	manifest__fini(&m);
out_ref:
	manifest__fini(&r);
	return ret;
}

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
	{ "gen", cmd_gen, "generate OUTDIR/{layout,bindings.rs,layout.h,kvm_abi.h,layout.dwarf} from UAPI headers" },
	{ "dump", cmd_dump, "print the layout manifest of a source on stdout" },
	{ "diff", cmd_diff, "compare two sources, classified, with the semver verdict; exit 1 when something is incompatible" },
	{ "abi", cmd_abi, "render the C ABI header kvm_abi.h of a source (conformance/ builds on it)" },
	{ "gate", gate__main, "every proof of the bindings (compiler, DWARF, kernel BTF, candidate, conformance, rust), one summary, JUnit and HTML" },
	{ "bindings", update__main, "kvm-bindings' update: every version x arch from a kernel source, proved, laid out as the crate (src/<arch>/bindings_vX_Y_Z.rs, mod.rs, features.toml)" },
};

static int usage(FILE *f, int ret)
{
	fprintf(f, "usage: kvmgate COMMAND [OPTIONS]\n\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\nkvmgate COMMAND --help for its options; exit 0 ok, 1 incompatible, 2 error\n");
	return ret;
}

int main(int argc, char **argv)
{
	if (sources__register())
		return EXIT_BAD;
	if (argc < 2)
		return usage(stderr, EXIT_BAD);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))
		return usage(stdout, 0);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("kvmgate %s\n", KVMGATE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fail("unknown command '%s'", argv[1]);
	return usage(stderr, EXIT_BAD);
}
