/* outset.c - an output set put in place as a whole or not at all (outset.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outset.h"
#include "tmpdir.h"

static int fail(char *err, size_t errlen, int rc, const char *fmt, const char *a, const char *b)
{
	snprintf(err, errlen, fmt, a, b ? b : strerror(-rc));
	return rc;
}

static void outset__free(struct outset *o)
{
	free(o->name);
	free(o->outdir);
	free(o->stage);
	for (size_t i = 0; i < o->nwritten; i++)
		free(o->written[i]);
	free(o->written);
	memset(o, 0, sizeof(*o));
}

/* mkstemp makes 0600; an output is 0644 (less the umask), as the file it replaces was. */
static int fchmod_path(const char *path)
{
	mode_t um = umask(0);

	umask(um);
	return chmod(path, 0644 & ~um);
}

static bool names__has(const char *const *names, const char *name)
{
	for (size_t i = 0; names && names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* The process's working directory is dir or below it (then dir cannot be swapped away). */
static bool cwd__within(const char *real)
{
	char cwd[PATH_MAX];
	size_t n = strlen(real);

	if (!getcwd(cwd, sizeof(cwd)))
		return true;
	return strncmp(cwd, real, n) == 0 && (cwd[n] == '\0' || cwd[n] == '/' || n == 1);
}

int outset__begin(struct outset *o, const char *outdir, const char *const *names, char *err,
		  size_t errlen)
{
	char real[PATH_MAX], parent[PATH_MAX], base[PATH_MAX];
	struct stat st, pst;
	size_t n = strlen(outdir);
	sigset_t old;
	int rc = 0;

	memset(o, 0, sizeof(*o));
	o->names = names;
	if (!n || n >= PATH_MAX)
		return fail(err, errlen, -EINVAL, "%s%s", outdir, n ? ": name too long" :
			    "an empty OUTDIR");
	while (n > 1 && outdir[n - 1] == '/')
		n--;
	o->outdir = strndup(outdir, n);
	o->name = strndup(outdir, n);
	if (!o->outdir || !o->name) {
		outset__free(o);
		return -ENOMEM;
	}
	if (stat(o->outdir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			rc = fail(err, errlen, -ENOTDIR, "%s: %s", o->outdir, NULL);
			goto out_free;
		}
		if (!realpath(o->outdir, real)) {
			rc = fail(err, errlen, -errno, "%s: %s", o->outdir, NULL);
			goto out_free;
		}
		o->outdir_existed = true;
		o->mode = st.st_mode & 07777;
	} else if (errno != ENOENT) {
		rc = fail(err, errlen, -errno, "%s: %s", o->outdir, NULL);
		goto out_free;
	} else {
		mode_t um = umask(0);

		umask(um);
		o->mode = 0777 & ~um;
		snprintf(real, sizeof(real), "%s", o->outdir);
	}
	{
		char tmp[PATH_MAX];

		snprintf(tmp, sizeof(tmp), "%s", real);
		snprintf(parent, sizeof(parent), "%s", dirname(tmp));
		snprintf(tmp, sizeof(tmp), "%s", real);
		snprintf(base, sizeof(base), "%s", basename(tmp));
	}
	if (stat(parent, &pst)) {
		rc = fail(err, errlen, -errno, "%s: %s", o->outdir, NULL);
		goto out_free;
	}
	if (o->outdir_existed)
		o->inside = st.st_dev != pst.st_dev || st.st_ino == pst.st_ino || cwd__within(real);
	/* the swap works on the resolved directory (a symlink to it stays a symlink) */
	free(o->outdir);
	o->outdir = strdup(real);
	if (!o->outdir) {
		rc = -ENOMEM;
		goto out_free;
	}
	if (o->inside)
		rc = asprintf(&o->stage, "%s/.kvmgate-new-XXXXXX", real);
	else
		rc = asprintf(&o->stage, "%s/.%s.kvmgate-XXXXXX", parent, base);
	if (rc < 0) {
		o->stage = NULL;
		rc = -ENOMEM;
		goto out_free;
	}
	rc = 0;
	tmpdir__block(&old);
	if (!mkdtemp(o->stage))
		rc = -errno;
	else if ((rc = tmpdir__register(o->stage)) != 0)
		rmdir(o->stage);
	tmpdir__unblock(&old);
	if (rc) {
		rc = fail(err, errlen, rc, "%s: cannot write the output there: %s",
			  o->outdir_existed ? o->outdir : parent, NULL);
		goto out_free;
	}
	return 0;
out_free:
	outset__free(o);
	return rc;
}

int outset__path(struct outset *o, const char *name, char *buf, size_t len)
{
	char **w;

	if ((size_t)snprintf(buf, len, "%s/%s", o->stage, name) >= len)
		return -ENAMETOOLONG;
	for (size_t i = 0; i < o->nwritten; i++)
		if (strcmp(o->written[i], name) == 0)
			return 0;
	w = realloc(o->written, (o->nwritten + 1) * sizeof(*w));
	if (!w)
		return -ENOMEM;
	o->written = w;
	w[o->nwritten] = strdup(name);
	if (!w[o->nwritten])
		return -ENOMEM;
	o->nwritten++;
	return 0;
}

FILE *outset__create(struct outset *o, const char *name, char *err, size_t errlen)
{
	char path[PATH_MAX];
	FILE *f;
	int fd, rc = outset__path(o, name, path, sizeof(path));

	if (rc) {
		snprintf(err, errlen, "%s/%s: %s", o->name, name, strerror(-rc));
		return NULL;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		snprintf(err, errlen, "%s/%s: cannot create: %s", o->name, name, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return f;
}

int outset__close(struct outset *o, FILE *f, const char *name, char *err, size_t errlen)
{
	int bad = ferror(f), e;

	errno = 0;
	if (fflush(f) == 0 && !bad && fsync(fileno(f)) == 0) {
		if (fclose(f) == 0)
			return 0;
	} else {
		e = errno;
		fclose(f);
		errno = e;
	}
	e = errno ? errno : EIO;
	snprintf(err, errlen, "%s/%s: cannot write: %s", o->name, name, strerror(e));
	return -e;
}

/* Carry what OUTDIR holds besides the set's names into the stage. Moved directories are
 * listed in *moved (to move back if the swap fails). */
static int carry__foreign(struct outset *o, char ***moved, size_t *nmoved, char *err,
			  size_t errlen)
{
	DIR *d = opendir(o->outdir);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return fail(err, errlen, -errno, "%s: %s", o->outdir, NULL);
	while (!rc && (e = readdir(d)) != NULL) {
		char from[PATH_MAX], to[PATH_MAX];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    names__has(o->names, e->d_name))
			continue;
		snprintf(from, sizeof(from), "%s/%s", o->outdir, e->d_name);
		snprintf(to, sizeof(to), "%s/%s", o->stage, e->d_name);
		if (lstat(from, &st)) {
			rc = fail(err, errlen, -errno, "%s: %s", from, NULL);
		} else if (S_ISDIR(st.st_mode)) {
			char **m = realloc(*moved, (*nmoved + 1) * sizeof(*m));

			if (!m || !(m[*nmoved] = strdup(e->d_name))) {
				if (m)
					*moved = m;
				rc = -ENOMEM;
			} else if (rename(from, to)) {
				*moved = m;
				free(m[*nmoved]);
				rc = fail(err, errlen, -errno, "%s: %s", from, NULL);
			} else {
				*moved = m;
				(*nmoved)++;
			}
		} else if (link(from, to)) {
			rc = fail(err, errlen, -errno, "%s: cannot keep it beside the new output: %s",
				  from, NULL);
		}
	}
	closedir(d);
	return rc;
}

static void moved__back(struct outset *o, char **moved, size_t nmoved)
{
	for (size_t i = 0; i < nmoved; i++) {
		char from[PATH_MAX], to[PATH_MAX];

		snprintf(from, sizeof(from), "%s/%s", o->stage, moved[i]);
		snprintf(to, sizeof(to), "%s/%s", o->outdir, moved[i]);
		rename(from, to);
	}
}

/* Tests only: $KVMGATE_TEST_COMMIT_DELAY_MS stretches the middle of the commit (signals held),
 * so that a test can send its signals while the set is being put in place. */
static void test__delay(void)
{
	const char *s = getenv("KVMGATE_TEST_COMMIT_DELAY_MS");

	if (s && *s)
		usleep((useconds_t)(strtoul(s, NULL, 10) * 1000));
}

/* After the swap the staging name holds the old set (and links to what was kept): remove it,
 * made writable first (an OUTDIR without write permission could not be emptied). Failing that,
 * only that directory is left, beside OUTDIR, never in it. */
static void commit__drop_old(struct outset *o)
{
	struct stat st;

	if (stat(o->stage, &st) == 0 && !(st.st_mode & S_IWUSR) && chmod(o->stage, 0700))
		return;
	tmpdir__remove(o->stage);
}

static int commit__swap(struct outset *o, char *err, size_t errlen)
{
	char **moved = NULL;
	size_t nmoved = 0;
	int rc;

	if (!o->outdir_existed) {
		if (chmod(o->stage, o->mode))
			return fail(err, errlen, -errno, "%s: %s", o->stage, NULL);
		test__delay();
		if (renameat2(AT_FDCWD, o->stage, AT_FDCWD, o->outdir, RENAME_NOREPLACE))
			return fail(err, errlen, -errno, "%s: %s", o->outdir, NULL);
		tmpdir__unregister(o->stage);
		return 0;
	}
	if (chmod(o->stage, o->mode))
		return fail(err, errlen, -errno, "%s: %s", o->stage, NULL);
	rc = carry__foreign(o, &moved, &nmoved, err, errlen);
	test__delay();
	if (!rc && renameat2(AT_FDCWD, o->stage, AT_FDCWD, o->outdir, RENAME_EXCHANGE))
		rc = fail(err, errlen, -errno, "%s: cannot replace it: %s", o->outdir, NULL);
	if (rc)
		moved__back(o, moved, nmoved);
	else
		commit__drop_old(o);
	for (size_t i = 0; i < nmoved; i++)
		free(moved[i]);
	free(moved);
	return rc;
}

static int commit__inside(struct outset *o, char *err, size_t errlen)
{
	for (size_t i = 0; i < o->nwritten; i++) {
		char from[PATH_MAX], to[PATH_MAX];

		snprintf(from, sizeof(from), "%s/%s", o->stage, o->written[i]);
		snprintf(to, sizeof(to), "%s/%s", o->outdir, o->written[i]);
		if (rename(from, to))
			return fail(err, errlen, -errno, "%s: %s", to, NULL);
		if (i == 0)
			test__delay();
	}
	for (size_t i = 0; o->names && o->names[i]; i++) {
		char p[PATH_MAX];
		bool w = false;

		for (size_t k = 0; k < o->nwritten && !w; k++)
			w = strcmp(o->written[k], o->names[i]) == 0;
		snprintf(p, sizeof(p), "%s/%s", o->outdir, o->names[i]);
		if (!w && unlink(p) && errno != ENOENT)
			return fail(err, errlen, -errno, "%s: %s", p, NULL);
	}
	tmpdir__remove(o->stage);
	return 0;
}

int outset__commit(struct outset *o, char *err, size_t errlen)
{
	sigset_t old;
	int rc;

	tmpdir__block(&old);
	rc = o->inside ? commit__inside(o, err, errlen) : commit__swap(o, err, errlen);
	if (rc)
		tmpdir__remove(o->stage);
	tmpdir__unblock(&old);
	outset__free(o);
	return rc;
}

void outset__abort(struct outset *o)
{
	if (!o || !o->stage)
		return;
	tmpdir__remove(o->stage);
	outset__free(o);
}

int outset__replace_file(const char *path, int (*writer)(void *arg, FILE *f, char *err,
							  size_t errlen),
			 void *arg, char *err, size_t errlen)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	sigset_t old;
	FILE *f = NULL;
	int fd = -1, rc, e;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", slash == path ? "" : dir,
			     slash ? slash + 1 : path) >= sizeof(tmp))
		return fail(err, errlen, -ENAMETOOLONG, "%s: %s", path, NULL);
	tmpdir__block(&old);
	fd = mkstemp(tmp);
	rc = fd < 0 ? -errno : tmpdir__register(tmp);
	if (fd >= 0 && rc) {
		close(fd);
		unlink(tmp);
		fd = -1;
	}
	tmpdir__unblock(&old);
	if (fd < 0)
		return fail(err, errlen, rc, "%s: cannot create: %s", path, NULL);
	f = fdopen(fd, "w");
	if (!f) {
		rc = fail(err, errlen, -errno, "%s: %s", path, NULL);
		close(fd);
		goto out_remove;
	}
	*err = '\0';
	rc = writer(arg, f, err, errlen);
	e = ferror(f) ? EIO : 0;
	if (fflush(f) || fsync(fd))
		e = errno;
	if (fclose(f) && !e)
		e = errno;
	if (!rc && e)
		rc = fail(err, errlen, -e, "%s: cannot write: %s", path, NULL);
	else if (rc && !*err)
		fail(err, errlen, rc < 0 ? rc : -EIO, "%s: cannot write: %s", path, NULL);
	if (!rc && fchmod_path(tmp))
		rc = fail(err, errlen, -errno, "%s: %s", path, NULL);
	if (!rc) {
		tmpdir__block(&old);
		if (rename(tmp, path))
			rc = fail(err, errlen, -errno, "%s: %s", path, NULL);
		else
			tmpdir__unregister(tmp);
		tmpdir__unblock(&old);
		if (!rc)
			return 0;
	}
out_remove:
	unlink(tmp);
	tmpdir__unregister(tmp);
	return rc;
}
