/* conformance/catalog.c - the reader of the ioctl catalogs (catalog.h, catalog/README.md). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"

#define CAT_MAX_COLS 24

static const char *const fd_names[CAT_NR_FD] = { "sys", "vm", "vcpu", "device" };
static const char *const kind_names[] = { "get", "set", "create", "action", "query", "na" };

static const struct { const char *name; int value; } errnos[] = {
	{ "E2BIG", E2BIG }, { "EBADF", EBADF }, { "EBUSY", EBUSY }, { "EEXIST", EEXIST },
	{ "EFAULT", EFAULT }, { "EINVAL", EINVAL }, { "EIO", EIO }, { "ENODEV", ENODEV },
	{ "ENOENT", ENOENT }, { "ENOEXEC", ENOEXEC }, { "ENOMEM", ENOMEM }, { "ENOSPC", ENOSPC },
	{ "ENOSYS", ENOSYS }, { "ENOTTY", ENOTTY }, { "ENXIO", ENXIO }, { "EOPNOTSUPP", EOPNOTSUPP },
	{ "EPERM", EPERM }, { "ERANGE", ERANGE }, { "EAGAIN", EAGAIN }, { "EACCES", EACCES },
	{ "ETIMEDOUT", ETIMEDOUT },
};

const char *cat_fd_name(enum cat_fd fd)
{
	return (unsigned)fd < CAT_NR_FD ? fd_names[fd] : "?";
}

const char *cat_kind_name(enum cat_kind kind)
{
	return (unsigned)kind <= CAT_NA ? kind_names[kind] : "?";
}

const char *errno_name(int err)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].value == err)
			return errnos[i].name;
	return "E?";
}

int errno_value(const char *name)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (strcmp(errnos[i].name, name) == 0)
			return errnos[i].value;
	return 0;
}

void catalog_path(const char *srcdir, char *buf, size_t n)
{
	snprintf(buf, n, "%s/catalog/%s.txt", srcdir != NULL ? srcdir : ".", KVMGATE_ABI_ARCH);
}

struct parse {
	const char *path;
	int line;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3)))
static int perr(struct parse *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%d: %s", p->path, p->line, msg);
	return -1;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (d == NULL) {
		perror("kvmgate: catalog");
		abort();
	}
	return d;
}

/* parse_value: a number (C syntax, may be negative) or a constant of the bindings. */
static int parse_value(struct parse *p, const char *s, long long *v)
{
	char *end;

	errno = 0;
	if ((s[0] >= '0' && s[0] <= '9') || s[0] == '-') {
		*v = strtoll(s, &end, 0);
		if (errno != 0 || *end != '\0')
			return perr(p, "'%s': a number or a constant of the bindings", s);
		return 0;
	}
	if (!abi_const(s, v))
		return perr(p, "'%s': a number or a constant of the bindings (it has no such constant)",
			    s);
	return 0;
}

/* resolve: the byte range of field path of entry e's argument type. */
static int resolve(struct parse *p, const struct cat_entry *e, const char *path,
		   struct cat_range *r)
{
	if (e->type == NULL)
		return perr(p, "field '%s': %s carries no struct in the bindings", path, e->name);
	if (!abi_locate(e->type->name, path, &r->offset, &r->size))
		return perr(p, "field '%s': a field of %s (the bindings have none of that name)", path,
			    e->type->name);
	return 0;
}

/* parse_fields: "F1,F2: reason" (or "all" for distinct=) into fs. */
static int parse_fields(struct parse *p, struct cat_entry *e, const char *key, char *val,
			struct cat_fields *fs, bool reason)
{
	char *colon = strchr(val, ':');
	char *tok, *save = NULL;

	if (fs->names != NULL)
		return perr(p, "%s= given twice", key);
	if (colon != NULL) {
		*colon = '\0';
		fs->why = xstrdup(colon[1] == ' ' ? colon + 2 : colon + 1);
	}
	if (reason && (fs->why == NULL || fs->why[0] == '\0'))
		return perr(p, "%s=FIELD[,FIELD]: reason (the reason is missing)", key);
	fs->names = xstrdup(val);
	if (e->abi == NULL)
		return 0;
	for (tok = strtok_r(val, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "all") == 0) {
			fs->all = true;
			continue;
		}
		if (strcmp(tok, "payload") == 0) {	/* the data the argument points to */
			fs->payload = true;
			continue;
		}
		if (fs->n == CAT_MAX_RANGES)
			return perr(p, "%s=: at most %d fields", key, CAT_MAX_RANGES);
		if (resolve(p, e, tok, &fs->r[fs->n]) != 0)
			return -1;
		fs->n++;
	}
	return 0;
}

static int parse_args(struct parse *p, struct cat_entry *e, char *val)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(val, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		struct cat_range r;
		struct cat_setting *s;

		if (eq == NULL)
			return perr(p, "arg=FIELD=VALUE[,FIELD=VALUE] ('%s' has no '=')", tok);
		*eq = '\0';
		if (e->nargs == CAT_MAX_ARGS)
			return perr(p, "arg=: at most %d settings", CAT_MAX_ARGS);
		s = &e->args[e->nargs];
		if (e->abi == NULL)	/* not in these bindings: its constants may not be either */
			continue;
		if (parse_value(p, eq + 1, &s->value) != 0)
			return -1;
		if (resolve(p, e, tok, &r) != 0)
			return -1;
		if (r.size != 1 && r.size != 2 && r.size != 4 && r.size != 8)
			return perr(p, "arg=%s: a field of 1, 2, 4 or 8 bytes (it has %u)", tok, r.size);
		s->offset = r.offset;
		s->size = r.size;
		e->nargs++;
	}
	return 0;
}

static int parse_flex(struct parse *p, struct cat_entry *e, char *val)
{
	char *colon = strchr(val, ':');
	long long n;

	if (colon == NULL)
		return perr(p, "flex=COUNTFIELD:N");
	*colon = '\0';
	if (parse_value(p, colon + 1, &n) != 0)
		return -1;
	if (n < 0 || n > 65536)
		return perr(p, "flex=%s:N with N from 0 to 65536", val);
	e->flex_n = (unsigned int)n;
	if (e->abi == NULL)
		return 0;
	if (e->type == NULL || (e->flex = abi_flex_field(e->type->name)) == NULL)
		return perr(p, "flex=: %s carries no struct with a flexible array", e->name);
	e->flex_elem = abi_elem_size(e->flex->ftype);
	if (e->flex_elem == 0)
		return perr(p, "flex=: the element type '%s' is not in the bindings", e->flex->ftype);
	e->flex_count = abi_field(e->type->name, val);
	if (e->flex_count == NULL)
		return perr(p, "flex=%s: a field of %s", val, e->type->name);
	return 0;
}

/* parse_errno: "ENOTTY[,EINVAL]: reason" into err (0-terminated) and *why. */
static int parse_errno(struct parse *p, char *val, int *err, char **why)
{
	char *colon = strchr(val, ':'), *tok, *save = NULL;
	int n = 0;

	if (colon == NULL || colon[1] == '\0')
		return perr(p, "ERRNO[,ERRNO]: reason ('%s' has no reason)", val);
	*colon = '\0';
	for (tok = strtok_r(val, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (n == CAT_MAX_ERRNOS - 1)
			return perr(p, "at most %d errnos", CAT_MAX_ERRNOS - 1);
		err[n] = errno_value(tok);
		if (err[n] == 0)
			return perr(p, "'%s': an errno name (ENOTTY, EINVAL, ...)", tok);
		n++;
	}
	if (n == 0)
		return perr(p, "ERRNO[,ERRNO]: reason");
	err[n] = 0;
	free(*why);
	*why = xstrdup(colon[1] == ' ' ? colon + 2 : colon + 1);
	return 0;
}

bool cat_errno_ok(const int *list, long r)
{
	for (int i = 0; list[i] != 0; i++)
		if (r == -list[i])
			return true;
	return false;
}

const char *cat_errnos(const int *list, char *buf, size_t n)
{
	buf[0] = '\0';
	for (int i = 0; list[i] != 0; i++)
		snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", i ? " or " : "",
			 errno_name(list[i]));
	return buf;
}

static int parse_fds(struct parse *p, char *s, unsigned int *fds, unsigned int *first)
{
	char *tok, *save = NULL;

	*fds = 0;
	*first = CAT_NR_FD;
	for (tok = strtok_r(s, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		unsigned int i;

		for (i = 0; i < CAT_NR_FD && strcmp(fd_names[i], tok) != 0; i++)
			;
		if (i == CAT_NR_FD)
			return perr(p, "fd kind '%s': sys, vm, vcpu or device", tok);
		if (*fds == 0)
			*first = i;
		*fds |= 1u << i;
	}
	if (*fds == 0)
		return perr(p, "an fd kind (sys, vm, vcpu, device)");
	return 0;
}

static int parse_option(struct parse *p, struct cat_entry *e, char *opt)
{
	char *val = strchr(opt, '=');

	if (val == NULL)
		return perr(p, "option '%s': KEY=VALUE", opt);
	*val++ = '\0';
	if (strcmp(opt, "partner") == 0)
		e->partner = xstrdup(val);
	else if (strcmp(opt, "needs") == 0)
		e->needs = xstrdup(val);
	else if (strcmp(opt, "hook") == 0)
		e->hook = xstrdup(val);
	else if (strcmp(opt, "volatile") == 0)
		return parse_fields(p, e, opt, val, &e->vol, true);
	else if (strcmp(opt, "sanitised") == 0)
		return parse_fields(p, e, opt, val, &e->san, true);
	else if (strcmp(opt, "distinct") == 0)
		return parse_fields(p, e, opt, val, &e->distinct, false);
	else if (strcmp(opt, "arg") == 0)
		return parse_args(p, e, val);
	else if (strcmp(opt, "flex") == 0)
		return parse_flex(p, e, val);
	else if (strcmp(opt, "argval") == 0) {
		e->has_argval = true;
		return e->abi == NULL ? 0 : parse_value(p, val, &e->argval);
	} else if (strcmp(opt, "expect") == 0) {
		e->has_expect = true;
		return e->abi == NULL ? 0 : parse_value(p, val, &e->expect);
	} else if (strcmp(opt, "since") == 0 || strcmp(opt, "until") == 0) {
		unsigned int *at = opt[0] == 's' ? &e->since : &e->until;
		char *end;
		unsigned long maj = strtoul(val, &end, 10), min = 0;

		if (end != val && *end == '.')
			min = strtoul(end + 1, &end, 10);
		if (*at != 0)
			return perr(p, "%s= given twice", opt);
		if (end == val || *end != '\0' || maj == 0 || maj > 99 || min > 999 ||
		    strchr(val, '.') == NULL)
			return perr(p, "%s=MAJOR.MINOR, a kernel version ('%s')", opt, val);
		*at = (unsigned int)(maj * 1000 + min);
	} else if (strcmp(opt, "errno") == 0)
		return parse_errno(p, val, e->err, &e->why);
	else if (strcmp(opt, "gone") == 0) {
		int err[CAT_MAX_ERRNOS];

		if (parse_errno(p, val, err, &e->gone_why) != 0)
			return -1;
		e->gone = err[0];
	} else
		return perr(p, "option '%s': partner, needs, hook, volatile, sanitised, distinct, arg, "
			    "flex, argval, expect, errno, gone, since or until", opt);
	return 0;
}

/* carried_type: the struct or union an ioctl's argument is, from its arg string. */
static const struct kvmgate_abi_type *carried_type(const struct kvmgate_abi_ioctl *io)
{
	if (io == NULL || (strncmp(io->arg, "struct ", 7) != 0 && strncmp(io->arg, "union ", 6) != 0))
		return NULL;
	return abi_type(io->arg);
}

static bool overlaps(const struct cat_fields *fs, unsigned int off, unsigned int size)
{
	for (unsigned int k = 0; k < fs->n; k++)
		if (off < fs->r[k].offset + fs->r[k].size && fs->r[k].offset < off + size)
			return true;
	return false;
}

/* distinct_all: distinct=all is every scalar field (or array of scalars) of the argument that is
 * neither sanitised nor volatile, the first of overlapping union members only. */
static int distinct_all(struct parse *p, struct cat_entry *e)
{
	if (e->abi == NULL)
		return 0;
	if (e->type == NULL)
		return perr(p, "distinct=all: %s carries no struct", e->name);
	for (unsigned int i = 0; i < kvmgate_abi_nr_fields; i++) {
		const struct kvmgate_abi_field *f = &kvmgate_abi_fields[i];

		if (strcmp(f->type, e->type->name) != 0 || f->bit_size != 0 || f->size == 0 ||
		    strncmp(f->ftype, "struct ", 7) == 0 || strncmp(f->ftype, "union ", 6) == 0 ||
		    abi_elem_size(f->ftype) == 0 || overlaps(&e->san, f->offset, f->size) ||
		    overlaps(&e->vol, f->offset, f->size) || overlaps(&e->distinct, f->offset, f->size))
			continue;
		if (e->distinct.n == CAT_MAX_RANGES)
			return perr(p, "distinct=all: more than %d fields", CAT_MAX_RANGES);
		e->distinct.r[e->distinct.n].offset = f->offset;
		e->distinct.r[e->distinct.n].size = f->size;
		e->distinct.n++;
	}
	return 0;
}

static int parse_entry(struct parse *p, struct catalog *cat, char **col, int ncol)
{
	struct cat_entry *e, *grown;
	unsigned int k;

	if (ncol < 4)
		return perr(p, "NAME<TAB>FD<TAB>CAP<TAB>KIND[<TAB>OPTION...] (%d columns)", ncol);
	if (catalog_find(cat, col[0]) != NULL)
		return perr(p, "%s listed twice", col[0]);
	grown = realloc(cat->e, (cat->n + 1) * sizeof(*cat->e));
	if (grown == NULL)
		return perr(p, "out of memory");
	cat->e = grown;
	e = &cat->e[cat->n++];
	memset(e, 0, sizeof(*e));
	e->name = xstrdup(col[0]);
	e->line = p->line;
	e->abi = abi_ioctl(col[0]);
	e->type = carried_type(e->abi);
	if (parse_fds(p, col[1], &e->fds, &e->fd) != 0)
		return -1;
	if (strcmp(col[2], "-") != 0) {
		long long v;

		if (strncmp(col[2], "KVM_CAP_", 8) != 0)
			return perr(p, "capability '%s': a KVM_CAP_* name or -", col[2]);
		/* an ioctl these bindings lack may need a capability they lack too */
		if (e->abi != NULL && !abi_const(col[2], &v))
			return perr(p, "capability '%s' is not a constant of the bindings", col[2]);
		e->cap = xstrdup(col[2]);
	}
	for (k = 0; k <= CAT_NA && strcmp(kind_names[k], col[3]) != 0; k++)
		;
	if (k > CAT_NA)
		return perr(p, "kind '%s': get, set, create, action, query or na", col[3]);
	e->kind = (enum cat_kind)k;
	for (int i = 4; i < ncol; i++)
		if (parse_option(p, e, col[i]) != 0)
			return -1;
	if (e->distinct.all && distinct_all(p, e) != 0)
		return -1;
	if (e->kind == CAT_NA && e->why == NULL)
		return perr(p, "%s: kind na needs errno=ERRNO: reason", e->name);
	if (e->kind != CAT_NA && e->why != NULL)
		return perr(p, "%s: errno= is for kind na only", e->name);
	if (e->partner != NULL && e->kind != CAT_GET && e->kind != CAT_SET)
		return perr(p, "%s: partner= is for kinds get and set", e->name);
	if (e->since != 0 && e->until != 0 && e->until <= e->since)
		return perr(p, "%s: until= must be a later kernel than since=", e->name);
	return 0;
}

unsigned int catalog_version(const char *text)
{
	for (const char *s = text; s != NULL && *s != '\0'; s++) {
		unsigned int maj, min;
		int len = 0;

		if ((s == text || s[-1] == ' ') && sscanf(s, "%u.%u%n", &maj, &min, &len) == 2 &&
		    len > 0 && maj > 0 && maj < 100 && min < 1000)
			return maj * 1000 + min;
	}
	return 0;
}

static void vstr(unsigned int v, char *buf, size_t n)
{
	snprintf(buf, n, "%u.%u", v / 1000, v % 1000);
}

bool catalog_absent_ok(const struct cat_entry *e, unsigned int kernel, char *why, size_t n)
{
	char s[16], u[16], k[16];

	vstr(e->since, s, sizeof(s));
	vstr(e->until, u, sizeof(u));
	vstr(kernel, k, sizeof(k));
	if (e->since == 0 && e->until == 0) {
		snprintf(why, n, "the catalog gives it no since= or until=: every kernel's headers "
			 "define it");
		return false;
	}
	if (kernel == 0)
		return true;	/* bindings of an unknown kernel: either side may hold */
	if ((e->since != 0 && kernel < e->since) || (e->until != 0 && kernel >= e->until))
		return true;
	if (e->since != 0 && e->until != 0)
		snprintf(why, n, "the catalog says the headers of %s to before %s define it, and these "
			 "are of %s", s, u, k);
	else if (e->since != 0)
		snprintf(why, n, "the catalog says the headers define it since %s, and these are of %s",
			 s, k);
	else
		snprintf(why, n, "the catalog says the headers define it until before %s, and these "
			 "are of %s", u, k);
	return false;
}

bool catalog_present_ok(const struct cat_entry *e, unsigned int kernel, char *why, size_t n)
{
	char v[16], k[16];

	vstr(kernel, k, sizeof(k));
	if (kernel != 0 && e->since != 0 && kernel < e->since) {
		vstr(e->since, v, sizeof(v));
		snprintf(why, n, "headers of %s define it, the catalog says since=%s", k, v);
		return false;
	}
	if (kernel != 0 && e->until != 0 && kernel >= e->until) {
		vstr(e->until, v, sizeof(v));
		snprintf(why, n, "headers of %s define it, the catalog says until=%s", k, v);
		return false;
	}
	return true;
}

static int parse_default(struct parse *p, struct catalog *cat, char **col, int ncol)
{
	unsigned int fds, first;

	if (ncol != 3)
		return perr(p, "default<TAB>FD<TAB>ERRNO: reason");
	if (parse_fds(p, col[1], &fds, &first) != 0)
		return -1;
	for (int i = 0; i < CAT_NR_FD; i++)
		if (fds & (1u << i)) {
			char val[512];

			if (cat->def[i].why != NULL)
				return perr(p, "default for %s given twice", fd_names[i]);
			snprintf(val, sizeof(val), "%s", col[2]);
			if (parse_errno(p, val, cat->def[i].err, &cat->def[i].why) != 0)
				return -1;
		}
	return 0;
}

/* check_partners: a get's partner is a set naming it back, and the other way round. */
static int check_partners(struct parse *p, struct catalog *cat)
{
	for (unsigned int i = 0; i < cat->n; i++) {
		const struct cat_entry *e = &cat->e[i], *o;

		if (e->partner == NULL)
			continue;
		p->line = e->line;
		o = catalog_find(cat, e->partner);
		if (o == NULL || o->kind != (e->kind == CAT_GET ? CAT_SET : CAT_GET) ||
		    o->partner == NULL || strcmp(o->partner, e->name) != 0)
			return perr(p, "%s: partner %s must be a %s with partner=%s", e->name,
				    e->partner, e->kind == CAT_GET ? "set" : "get", e->name);
	}
	return 0;
}

int catalog_load(struct catalog *cat, const char *path, char *err, size_t errlen)
{
	struct parse p = { path, 0, err, errlen };
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 0;
	FILE *f;

	memset(cat, 0, sizeof(*cat));
	cat->path = xstrdup(path);
	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
		char *col[CAT_MAX_COLS] = { NULL }, *s, *save = NULL;
		int ncol = 0;

		p.line++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
			continue;
		for (s = strtok_r(line, "\t", &save); s != NULL; s = strtok_r(NULL, "\t", &save)) {
			if (ncol == CAT_MAX_COLS) {
				rc = perr(&p, "at most %d columns", CAT_MAX_COLS);
				break;
			}
			col[ncol++] = s;
		}
		if (rc != 0)
			break;
		if (strcmp(col[0], "default") == 0)
			rc = parse_default(&p, cat, col, ncol);
		else
			rc = parse_entry(&p, cat, col, ncol);
	}
	if (rc == 0 && ferror(f))
		rc = perr(&p, "read error: %s", strerror(errno));
	free(line);
	if (fclose(f) != 0 && rc == 0)
		rc = perr(&p, "close: %s", strerror(errno));
	if (rc == 0)
		rc = check_partners(&p, cat);
	for (int i = 0; rc == 0 && i < CAT_NR_FD - 1; i++)
		if (cat->def[i].why == NULL) {
			p.line = 0;
			rc = perr(&p, "no 'default %s ERRNO: reason' line", fd_names[i]);
		}
	return rc;
}

static void fields_free(struct cat_fields *fs)
{
	free(fs->names);
	free(fs->why);
}

void catalog_free(struct catalog *cat)
{
	for (unsigned int i = 0; i < cat->n; i++) {
		struct cat_entry *e = &cat->e[i];

		free(e->name);
		free(e->cap);
		free(e->partner);
		free(e->needs);
		free(e->hook);
		free(e->why);
		free(e->gone_why);
		fields_free(&e->vol);
		fields_free(&e->san);
		fields_free(&e->distinct);
	}
	free(cat->e);
	for (int i = 0; i < CAT_NR_FD; i++)
		free(cat->def[i].why);
	free(cat->path);
	memset(cat, 0, sizeof(*cat));
}

const struct cat_entry *catalog_find(const struct catalog *cat, const char *name)
{
	for (unsigned int i = 0; i < cat->n; i++)
		if (strcmp(cat->e[i].name, name) == 0)
			return &cat->e[i];
	return NULL;
}

bool catalog_needs(const struct cat_entry *e, const char *what)
{
	size_t n = strlen(what);
	const char *s = e->needs;

	while (s != NULL && *s != '\0') {
		if (strncmp(s, what, n) == 0 && (s[n] == ',' || s[n] == '\0'))
			return true;
		s = strchr(s, ',');
		if (s != NULL)
			s++;
	}
	return false;
}
