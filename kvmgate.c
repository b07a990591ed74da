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
#include <stdio.h>
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
#include "outset.h"
#include "source.h"
#include "timing.h"
#include "tmpdir.h"

#define EXIT_BAD 2

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line on stderr, whatever the message holds: a newline or another control character (a file
 * name may have them) is written as an escape (\n, \r, \xNN). */
static int fail(const char *fmt, ...)
{
	char msg[2 * ERRBUF_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fputs("kvmgate: ", stderr);
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
		if (*p == '\n')
			fputs("\\n", stderr);
		else if (*p == '\r')
			fputs("\\r", stderr);
		else if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			fprintf(stderr, "\\x%02x", *p);
		else
			fputc(*p, stderr);
	}
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

/* A --kernel label goes into every file gen writes (a manifest column, a Rust comment, a C
 * string): it must be something each of them reads back. NULL: no label given. */
static bool label__valid(const char *l)
{
	if (!l)
		return true;
	if (!*l || strlen(l) > 128)
		return false;
	for (const unsigned char *p = (const unsigned char *)l; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\' || *p == '*')
			return false;
	return true;
}

static bool arch__valid(const char *arch)
{
	return arch__find(arch) != NULL;
}

/* ---- gen ---- */

/* Every name gen's output set may hold: one of an older run that this run does not write (a
 * layout.dwarf before --no-dwarf) is dropped with the old set (outset.h). */
static const char *const gen_names[] = {
	"layout", "bindings.rs", "layout.h", "kvm_abi.h", "layout.dwarf", "probe.o", NULL
};

/* Write one file of the set with writer; 0, or EXIT_BAD after printing the one error line. */
static int gen__write(struct outset *os, const char *name, int (*writer)(void *, FILE *),
		      void *arg)
{
	char err[ERRBUF_SIZE] = "";
	FILE *f = outset__create(os, name, err, sizeof(err));
	int rc;

	if (!f)
		return fail("%s", err);
	errno = 0;
	rc = writer(arg, f);
	if (rc) {
		/* the writers say -EIO for a failed fprintf: its errno tells why (ENOSPC, EFBIG) */
		int e = rc != -EIO ? -rc : errno ? errno : EIO;

		fclose(f);
		return fail("%s/%s: cannot write: %s", os->name, name, strerror(e));
	}
	if (outset__close(os, f, name, err, sizeof(err)))
		return fail("%s", err);
	return 0;
}

static int w_manifest(void *m, FILE *f) { return manifest__write(m, f); }
static int w_layout_h(void *m, FILE *f) { return c__write_layout(m, f); }
static int w_abi(void *m, FILE *f, char *err, size_t errlen) { return abi__write(m, f, err, errlen); }

/* A kvm.h that declares nothing (an empty or wrong file) gives no bindings at all. */
static bool gen__has_api(const struct manifest *m)
{
	for (size_t i = 0; i < m->nrecs; i++)
		if (m->recs[i].kind == MREC_TYPE || m->recs[i].kind == MREC_CONST ||
		    m->recs[i].kind == MREC_IOCTL)
			return true;
	return false;
}

/* bindings.rs is written by a thread of its own while the manifest's files are (it reads the C
 * model only, they read the manifest only); without a thread, here. */
struct rust_job {
	const struct cmodel *cm;
	FILE *f;
	pthread_t thread;
	bool running;
	int ret;
	int err;	/* errno after a failed write (ENOSPC, EFBIG) */
};

static void *rust_job__run(void *arg)
{
	struct rust_job *j = arg;

	errno = 0;
	j->ret = rust__write(j->cm, j->f);
	j->err = errno;
	return NULL;
}

static void rust_job__start(struct rust_job *j, const struct cmodel *cm, FILE *f)
{
	j->cm = cm;
	j->f = f;
	if (!tmpdir__thread_create(&j->thread, rust_job__run, j))
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
	struct outset os;
	struct manifest m, dw;
	char err[ERRBUF_SIZE] = "";
	struct cmodel cm;
	struct dwarf_probe probe = { 0 };
	struct rust_job rj = { 0 };
	FILE *rs;
	bool dwarf = true, keep_probe = false;
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
	if (!label__valid(kernel))
		return fail("gen: --kernel takes a label of 1 to 128 printable characters, without "
			    "'\"', '\\' or '*'");
	/* libclang and libLLVM load on a thread; the DWARF probe needs no layout: its compiler
	 * runs while libclang loads and parses */
	cmodel__preload();
	/* the DWARF probe needs no layout: its compiler runs while libclang parses */
	if (dwarf && dwarf__probe_start(&probe, arch, headers, err, sizeof(err))) {
		cmodel__preload_wait();
		return fail("%s (the DWARF cross-check; --no-dwarf skips it)", err);
	}
	timing__mark("probe started");
	ret = cmodel__load_headers(&cm, arch, headers, kernel, err, sizeof(err));
	if (ret) {
		cmodel__preload_wait();	/* (a bad headers tree fails before libclang is needed) */
		dwarf__probe_cancel(&probe);
		return fail("%s", err);
	}
	manifest__init(&m);
	manifest__init(&dw);
	/* bindings.rs comes from the C model alone: its thread writes it from now on */
	ret = outset__begin(&os, outdir, gen_names, err, sizeof(err));
	if (ret) {
		ret = fail("%s", err);
		goto out;
	}
	ret = EXIT_BAD;
	rs = outset__create(&os, "bindings.rs", err, sizeof(err));
	if (!rs) {
		fail("%s", err);
		goto out_abort;
	}
	rust_job__start(&rj, &cm, rs);
	if (cmodel__flatten(&cm, &m)) {
		fail("out of memory");
		goto out_rust;
	}
	timing__mark("flatten");
	if (!gen__has_api(&m)) {
		char p[PATH_MAX];

		snprintf(p, sizeof(p), "%s/include/linux/kvm.h", headers ? headers : "");
		if (headers && access(p, F_OK))
			snprintf(p, sizeof(p), "%s/linux/kvm.h", headers);
		fail("%s: no struct, union, constant or ioctl: not the KVM API header",
		     headers ? p : "linux/kvm.h (the installed headers)");
		goto out_rust;
	}
	if (dwarf) {
		/* pahole reads the probe while the other files are written; m stays as it is
		 * (sorted now, the writers' sorts leave it untouched) */
		manifest__sort(&m);
		dwarf__probe_read_start(&probe, &m, &dw);
	}
	if (gen__write(&os, "layout", w_manifest, &m) ||
	    (timing__mark("write layout"), 0) ||
	    gen__write(&os, "layout.h", w_layout_h, &m))
		goto out_rust;
	{
		FILE *f = outset__create(&os, "kvm_abi.h", err, sizeof(err));

		if (!f) {
			fail("%s", err);
			goto out_rust;
		}
		if (abi__write(&m, f, err, sizeof(err))) {
			fclose(f);
			fail("%s/kvm_abi.h: cannot write%s%s", os.name, *err ? ": " : "", err);
			goto out_rust;
		}
		if (outset__close(&os, f, "kvm_abi.h", err, sizeof(err))) {
			fail("%s", err);
			goto out_rust;
		}
	}
	{
		/* the writers say -EIO for a failed fprintf: its errno tells why (ENOSPC, EFBIG) */
		int rc = rust_job__join(&rj);

		if (rc) {
			int e = rc != -EIO ? -rc : rj.err ? rj.err : EIO;

			fclose(rs);
			fail("%s/bindings.rs: cannot write: %s", os.name, strerror(e));
			goto out_abort;
		}
		if (outset__close(&os, rs, "bindings.rs", err, sizeof(err))) {
			fail("%s", err);
			goto out_abort;
		}
	}
	timing__mark("write bindings.rs, layout.h, kvm_abi.h");
	if (dwarf && dwarf__probe_read_join(&probe, err, sizeof(err))) {
		ret = fail("%s (the DWARF cross-check; --no-dwarf skips it)", err);
		goto out_abort;
	}
	timing__mark("dwarf view");
	if (dwarf && gen__write(&os, "layout.dwarf", w_manifest, &dw))
		goto out_abort;
	if (keep_probe) {
		/* the probe object itself, for `kvmgate dump OUTDIR/probe.o` (pahole's view) */
		char p[PATH_MAX];

		if (outset__path(&os, "probe.o", p, sizeof(p)) ||
		    dwarf__probe_build(&m, arch, headers, p, err, sizeof(err))) {
			fail("%s", *err ? err : "out of memory");
			goto out_abort;
		}
	}
	ret = outset__commit(&os, err, sizeof(err)) ? fail("%s", err) : 0;
	timing__mark("write rest");
	if (!ret)
		gen__summary(&m, arch, cm.kernel, outdir);
	goto out;
out_rust:
	/* the thread writes into a file of the set: it ends before the set is dropped */
	rust_job__join(&rj);
	fclose(rs);
out_abort:
	outset__abort(&os);
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
	if (!label__valid(s->kernel))
		return fail("--kernel takes a label of 1 to 128 printable characters, without "
			    "'\"', '\\' or '*'");
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
		errno = 0;
		if (manifest__write(&m, stdout))
			ret = fail("stdout: cannot write: %s", strerror(errno ? errno : EIO));
		manifest__fini(&m);
	}
	if (warnings && !ret)	/* an error is one line: the note only beside a result */
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
		ret = fail("stdout: cannot write: %s", strerror(errno ? errno : EIO));
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
	char err[ERRBUF_SIZE] = "";
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
	ret = outset__replace_file(outpath, w_abi, &m, err, sizeof(err)) ? fail("%s", err) : 0;
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
