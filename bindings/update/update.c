/* update.c - `kvmgate bindings`: options, then for every version (oldest first) x arch (arch
 * table order) the headers tree, the proofs and the staged file, one progress line a pair with
 * its time; then mod.rs and features.toml, and the staged tree renamed to OUT. Exit 0 written,
 * 1 a pair failed a proof (something incompatible), 2 bad input or a tool or headers failed. A
 * failing version stops the run with it named: OUT is not written (nothing partial), and the
 * pairs done before it are kept where they live, in the cache (their headers_install trees and
 * their proved folders $KVMGATE_CACHE/bindings/KEY/ARCH), so the rerun redoes no headers_install. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errbuf.h"
#include "gate.h"
#include "update.h"

static const char usage[] =
	"kvmgate bindings [--linux SRC] --versions \"V...\" [--arches \"ARCH...\"] [--single] "
	"[--force] [--timeout SECS] -o OUT\n"
	"       kvmgate bindings [--linux SRC] --versions V --arches ARCH --print-headers";

static int bad(const char *fmt, const char *a, const char *b)
{
	fputs("kvmgate: bindings: ", stderr);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return 2;
}

int upd__mkdirs(const char *path)
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

/* Words of a list separated by blanks or commas, in place. */
static char *next_word(char **save)
{
	char *p = *save, *w;

	p += strspn(p, " \t,");
	if (!*p)
		return NULL;
	w = p;
	p += strcspn(p, " \t,");
	if (*p)
		*p++ = '\0';
	*save = p;
	return w;
}

static int parse_versions(struct upd *u, char *list)
{
	for (char *save = list, *w; (w = next_word(&save)) != NULL;) {
		struct upd_version *v = &u->versions[u->nver];

		if (u->nver == UPD_MAX_VERSIONS)
			return bad("more than %s versions%s", "32", "");
		if (upd__parse_version(v, w))
			return bad("version '%s': expected vX.Y or vX.Y.Z (a tag of a git "
				   "repository, or the X.Y of linux-source-X.Y.tar.xz)%s", w, "");
		for (size_t i = 0; i < u->nver; i++)
			if (!strcmp(u->versions[i].crate, v->crate))
				return bad("versions '%s' and '%s' are the same kernel version",
					   u->versions[i].name, w);
		u->nver++;
	}
	return u->nver ? 0 : bad("--versions: no version given%s%s", "", "");
}

static int add_arch(struct upd *u, const char *name)
{
	const struct arch_info *a = arch__find(name);

	if (!a)
		return bad("unknown arch '%s' (expected %s)", name, arch__expected());
	for (size_t i = 0; i < u->narch; i++)
		if (u->arches[i] == a)
			return 0;
	if (u->narch == UPD_MAX_ARCHES)
		return bad("too many arches%s%s", "", "");
	if (!a->kernel_arch)
		return bad("arch '%s': the arch table has no kernel ARCH= for it%s", name, "");
	u->arches[u->narch++] = a;
	return 0;
}

static int parse_arches(struct upd *u, char *list)
{
	if (!list) {
		for (size_t i = 0; arch__nth(i); i++)
			if (add_arch(u, arch__nth(i)->name))
				return 2;
		return 0;
	}
	for (char *save = list, *w; (w = next_word(&save)) != NULL;)
		if (add_arch(u, w))
			return 2;
	return u->narch ? 0 : bad("--arches: no arch given%s%s", "", "");
}

/* One progress line: version, arch, verdict, seconds, what. */
static void progress(const struct upd_version *v, const struct arch_info *a, const char *st,
		     double secs, const char *what)
{
	printf("%-8s %-8s %-5s %6.1fs  %s\n", v->name, a->name, st, secs, what);
	fflush(stdout);
}

/* Every pair: headers, proofs, staged. 0, or the exit status of the first failure. */
static int run_pairs(struct upd *u, size_t *done)
{
	char tree[PATH_MAX], pairdir[PATH_MAX + 64], err[ERRBUF_SIZE], msg[4096], what[4400];
	char key[PATH_MAX], lock[PATH_MAX + 80];
	int lk;

	*done = 0;
	for (size_t i = 0; i < u->nver; i++) {
		const struct upd_version *v = &u->versions[i];

		for (size_t k = 0; k < u->narch; k++) {
			const struct arch_info *a = u->arches[k];
			double t0 = gate__now(), th;
			bool installed;
			int rc;

			if (upd__headers(u, v, a, tree, sizeof(tree), &installed, err, sizeof(err))) {
				progress(v, a, "ERROR", gate__now() - t0, err);
				fprintf(stderr, "kvmgate: bindings: %s: the headers of %s failed: %s\n",
					v->name, a->name, err);
				return 2;
			}
			th = gate__now() - t0;
			if (u->print_headers) {
				printf("%s\n", tree);
				return 0;
			}
			/* the pair's folder: $CACHE/bindings/<the tree's key>/<arch> */
			snprintf(key, sizeof(key), "%s", tree);
			snprintf(pairdir, sizeof(pairdir), "%s/bindings/%s/%s", u->cache,
				 basename(dirname(key)), a->name);
			if ((rc = upd__mkdirs(pairdir))) {
				fprintf(stderr, "kvmgate: bindings: %s: %s\n", pairdir, strerror(-rc));
				return 2;
			}
			/* one run at a time in a pair's folder (runs share the cache) */
			snprintf(lock, sizeof(lock), "%s/.lock", pairdir);
			lk = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
			if (lk < 0 || flock(lk, LOCK_EX)) {
				fprintf(stderr, "kvmgate: bindings: %s: %s\n", lock, strerror(errno));
				if (lk >= 0)
					close(lk);
				return 2;
			}
			rc = upd__prove(u, v, a, tree, pairdir, msg, sizeof(msg));
			snprintf(what, sizeof(what), "headers %s %.1fs; %s",
				 installed ? "installed" : "cached", th, msg);
			progress(v, a, rc ? (rc == 1 ? "FAIL" : "ERROR") : "pass", gate__now() - t0,
				 what);
			if (rc) {
				fprintf(stderr, "kvmgate: bindings: %s %s: not proved: %s (reports in "
					"%s/)\n", v->name, a->name, msg, pairdir);
				close(lk);
				return rc;
			}
			rc = upd__stage_pair(u, v, a, pairdir);
			close(lk);
			if (rc) {
				fprintf(stderr, "kvmgate: bindings: %s: cannot stage %s/bindings.rs: "
					"%s\n", u->stage, pairdir, strerror(-rc));
				return 2;
			}
			(*done)++;
		}
	}
	return 0;
}

static int setup(struct upd *u)
{
	static char self[PATH_MAX], top[PATH_MAX];
	const char *env;
	struct stat st;

	if (!realpath("/proc/self/exe", self))
		return bad("/proc/self/exe: %s%s", strerror(errno), "");
	u->self = self;
	env = getenv("KVMGATE_TOP");
	snprintf(top, sizeof(top), "%s", env && *env ? env : self);
	if (!(env && *env) && strrchr(top, '/'))
		*strrchr(top, '/') = '\0';
	u->top = top;
	env = getenv("KVMGATE_CACHE");
	if (env && *env)
		snprintf(u->cache, sizeof(u->cache), "%s", env);
	else
		snprintf(u->cache, sizeof(u->cache), "%s/.cache/kvmgate",
			 getenv("HOME") ? getenv("HOME") : "/");
	/* the helpers (kernel-headers.sh, the gate's stages) use the same cache */
	if (setenv("KVMGATE_CACHE", u->cache, 1))
		return bad("setenv: %s%s", strerror(errno), "");
	if (stat(u->linux_src, &st))
		return bad("%s: %s (expected a git repository, a kernel source tree, a "
			   "linux-source-*.tar.xz or a folder of them)", u->linux_src, strerror(errno));
	if (!u->print_headers && !u->force && lstat(u->out, &st) == 0)
		return bad("%s: exists (--force replaces it)%s", u->out, "");
	return 0;
}

int update__main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "linux", required_argument, NULL, 'L' },
		{ "versions", required_argument, NULL, 'V' },
		{ "arches", required_argument, NULL, 'a' },
		{ "single", no_argument, NULL, 's' },
		{ "force", no_argument, NULL, 'f' },
		{ "print-headers", no_argument, NULL, 'P' },
		{ "timeout", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct upd u0;
	struct upd *u = &u0;
	char *versions = NULL, *arches = NULL, *end, err[ERRBUF_SIZE];
	double t0 = gate__now();
	size_t done = 0;
	int c, rc;

	memset(u, 0, sizeof(*u));
	u->linux_src = getenv("KVMGATE_LINUX_SOURCE_DIR") ? getenv("KVMGATE_LINUX_SOURCE_DIR")
							   : "/usr/src";
	u->timeout = 1800;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			printf("usage: %s\n", usage);
			return 0;
		case 'L': u->linux_src = optarg; break;
		case 'V': versions = optarg; break;
		case 'a': arches = optarg; break;
		case 's': u->single = true; break;
		case 'f': u->force = true; break;
		case 'P': u->print_headers = true; break;
		case 't':
			u->timeout = strtoul(optarg, &end, 10);
			if (*end || !*optarg)
				return bad("--timeout '%s': expected seconds%s", optarg, "");
			break;
		case 'o': u->out = optarg; break;
		default:
			return bad("usage: %s%s", usage, "");
		}
	}
	if (optind != argc)
		return bad("unexpected argument '%s'%s", argv[optind], "");
	if (!versions)
		return bad("--versions is required (e.g. --versions \"v6.1 v6.12\")%s%s", "", "");
	if ((rc = parse_versions(u, versions)) || (rc = parse_arches(u, arches)))
		return rc;
	if (u->single && u->nver != 1)
		return bad("--single takes one version (%s given)%s", versions, "");
	if (u->print_headers && (u->nver != 1 || u->narch != 1 || u->out))
		return bad("--print-headers takes one version and one arch, and no -o%s%s", "", "");
	if (!u->print_headers && (!u->out || !*u->out))
		return bad("-o OUT is required%s%s", "", "");
	if ((rc = setup(u)))
		return rc;
	upd__sort_versions(u);
	if (upd__stage_begin(u, err, sizeof(err))) {
		upd__cleanup(u);
		return bad("%s%s", err, "");
	}
	rc = run_pairs(u, &done);
	if (rc && !u->print_headers) {
		fprintf(stderr, "kvmgate: bindings: %s not written; %zu completed pair%s kept in "
			"%s/headers and %s/bindings (a rerun reuses them)\n", u->out, done,
			done == 1 ? "" : "s", u->cache, u->cache);
	} else if (!u->print_headers) {
		if (upd__stage_crate(u)) {
			fprintf(stderr, "kvmgate: bindings: %s: cannot write mod.rs, features.toml\n",
				u->stage);
			rc = 2;
		} else if (upd__stage_commit(u, err, sizeof(err))) {
			fprintf(stderr, "kvmgate: bindings: %s\n", err);
			rc = 2;
		} else {
			printf("kvmgate: bindings: %zu pair%s proved (%zu version%s x %zu arch%s) -> "
			       "%s/ (%.1f s)\n", done, done == 1 ? "" : "s", u->nver,
			       u->nver == 1 ? "" : "s", u->narch, u->narch == 1 ? "" : "es", u->out,
			       gate__now() - t0);
		}
	}
	upd__cleanup(u);
	return rc;
}
