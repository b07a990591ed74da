/* clang_prescan.c - the names of the object-like macros the KVM headers may define, read from
 * the headers as text (following #include through the include directories, ignoring
 * conditionals, so a superset), so that the one libclang parse of linux/kvm.h can carry an
 * evaluation declaration for each that needs one (not a body literal.c evaluates; for a
 * one-line ioctl, only its argument's size: clang_ioctl.c). Which of them the compiler really
 * defined, and their values, come from that parse; a macro the scan missed or mispredicted is
 * evaluated by a second parse. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "clang_internal.h"
#include "literal.h"

struct prescan_scan {
	struct prescan *ps;
	char **dirs;
	size_t ndirs;
	char **seen;
	size_t nseen;
	FILE *src;
	int error;	/* first failure (-errno): the scan stops */
};

static bool scan__seen(struct prescan_scan *s, const char *path)
{
	char **n;

	for (size_t i = 0; i < s->nseen; i++)
		if (!strcmp(s->seen[i], path))
			return true;
	n = realloc(s->seen, (s->nseen + 1) * sizeof(*n));
	if (!n || !(n[s->nseen] = strdup(path))) {
		if (n)
			s->seen = n;
		s->error = -ENOMEM;
		return true;
	}
	s->seen = n;
	s->nseen++;
	return false;
}

/* A body that is empty (an include guard, __KVM_HAVE_*), or one that literal.c evaluates
 * (literals and operators, no name), needs no evaluation declaration. The text of its first
 * line is cut into tokens as libclang would (numbers and names, << >>, one-character
 * operators); anything else, a continuation line among it, needs the declaration. */
bool prescan__body_evaluates(const char *b)
{
	const char *toks[64];
	char buf[512];
	size_t n = 0, o = 0;
	int64_t v;
	bool u;

	while (*b == ' ' || *b == '\t')
		b++;
	if (!*b || *b == '\n' || !strncmp(b, "/*", 2) || !strncmp(b, "//", 2))
		return true;	/* empty */
	while (*b && *b != '\n' && strncmp(b, "/*", 2) && strncmp(b, "//", 2)) {
		size_t l = 1;

		if (*b == ' ' || *b == '\t' || *b == '\r') {
			b++;
			continue;
		}
		if (isalnum((unsigned char)*b) || *b == '_')
			for (l = 0; isalnum((unsigned char)b[l]) || b[l] == '_'; l++)
				;
		else if (!strncmp(b, "<<", 2) || !strncmp(b, ">>", 2))
			l = 2;
		else if (!strchr("()+-~|&^*", *b))
			return false;
		if (n == 64 || o + l + 1 > sizeof(buf))
			return false;
		memcpy(buf + o, b, l);
		buf[o + l] = '\0';
		toks[n++] = buf + o;
		o += l + 1;
		b += l;
	}
	return literal__eval_body(toks, n, &v, &u);
}

/* What the evaluation declaration of a body costs the parse, roughly (callgrind): the
 * declaration's own share and the body's length, three times that for an ioctl number, whose
 * _IOC expansion is most of the parse. */
static unsigned decl__weight(const char *body)
{
	size_t len = strcspn(body, "\n");
	const char *io = strstr(body, "_IO");

	return (unsigned)(len + 16) * (io && io < body + len ? 3 : 1);
}

/* Room for twice as many entries in each of the parallel arrays; -ENOMEM leaves the ones
 * already grown (ps->cap still says what all of them hold). */
static int prescan__grow(struct prescan *ps)
{
	size_t cap = ps->cap ? ps->cap * 2 : 1024;

#define GROW(field) do {						\
		void *n_ = realloc(ps->field, cap * sizeof(*ps->field));	\
		if (!n_)						\
			return -ENOMEM;					\
		ps->field = n_;						\
	} while (0)
	GROW(names);
	GROW(has_decl);
	GROW(weight);
	GROW(ioctl);
	GROW(ioctl_arg);
#undef GROW
	ps->cap = cap;
	return 0;
}

static void scan__define(struct prescan_scan *s, const char *p)
{
	struct prescan *ps = s->ps;
	size_t n = 0;
	char name[128], arg[256];

	while (isalnum((unsigned char)p[n]) || p[n] == '_')
		n++;
	if (!n || n >= sizeof(name) || p[n] == '(')
		return;	/* function-like, or not a name */
	memcpy(name, p, n);
	name[n] = '\0';
	if (ps->n == ps->cap && prescan__grow(ps)) {
		s->error = -ENOMEM;
		return;
	}
	if (!(ps->names[ps->n] = strdup(name))) {
		s->error = -ENOMEM;
		return;
	}
	/* line n + 2 of the main file: the declaration; nothing for a literal or an _IO(type, nr);
	 * the argument's size for a sized ioctl (clang_ioctl.c puts its number together) */
	ps->ioctl_arg[ps->n] = NULL;
	ps->ioctl[ps->n] = (unsigned char)ioctl__scan_body(p + n, arg, sizeof(arg));
	if (ps->ioctl[ps->n] == 2 && !(ps->ioctl_arg[ps->n] = strdup(arg))) {
		free(ps->names[ps->n]);
		s->error = -ENOMEM;
		return;
	}
	ps->has_decl[ps->n] = ps->ioctl[ps->n] == 2 ||
			      (!ps->ioctl[ps->n] && !prescan__body_evaluates(p + n));	/* (or empty) */
	ps->weight[ps->n] = !ps->has_decl[ps->n] ? 0 :
			    ps->ioctl[ps->n] ? (unsigned)strlen(arg) + 16 : decl__weight(p + n);
	if (!ps->has_decl[ps->n])
		fputc('\n', s->src);
	else if (ps->ioctl[ps->n])
		fprintf(s->src, EVAL_SIZE_FMT, PRESCAN_PREFIX, ps->n, arg);
	else
		fprintf(s->src, EVAL_DECL_FMT, PRESCAN_PREFIX, ps->n, name);
	ps->n++;
}

static void scan__file(struct prescan_scan *s, const char *path, int depth);

static void scan__include(struct prescan_scan *s, const char *cur, const char *inc, bool quoted, int depth)
{
	char path[4096];
	struct stat st;

	if (quoted) {
		const char *slash = strrchr(cur, '/');

		snprintf(path, sizeof(path), "%.*s/%s", slash ? (int)(slash - cur) : 1,
			 slash ? cur : ".", inc);
		if (!stat(path, &st)) {
			scan__file(s, path, depth + 1);
			return;
		}
	}
	for (size_t i = 0; i < s->ndirs; i++) {
		snprintf(path, sizeof(path), "%s/%s", s->dirs[i], inc);
		if (!stat(path, &st)) {
			scan__file(s, path, depth + 1);
			return;
		}
	}
}

static void scan__file(struct prescan_scan *s, const char *path, int depth)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	if (depth > 32 || scan__seen(s, path) || s->error)
		return;
	f = fopen(path, "r");
	if (!f)
		return;	/* the parse reports what cannot be read */
	while (!s->error && getline(&line, &cap, f) >= 0) {
		char *p = line;

		while (isspace((unsigned char)*p))
			p++;
		if (*p++ != '#')
			continue;
		while (isspace((unsigned char)*p))
			p++;
		if (!strncmp(p, "define", 6) && isspace((unsigned char)p[6])) {
			for (p += 6; isspace((unsigned char)*p); p++)
				;
			scan__define(s, p);
		} else if (!strncmp(p, "include", 7)) {
			char *open, *close;

			for (p += 7; isspace((unsigned char)*p); p++)
				;
			open = p;
			close = *open == '<' ? strchr(open + 1, '>') :
				*open == '"' ? strchr(open + 1, '"') : NULL;
			if (close) {
				*close = '\0';
				scan__include(s, path, open + 1, *open == '"', depth);
			}
		}
	}
	free(line);
	fclose(f);
}

static const struct prescan *sort_ps;

static int idx__cmp(const void *a, const void *b)
{
	return strcmp(sort_ps->names[*(const size_t *)a], sort_ps->names[*(const size_t *)b]);
}

int prescan__run(struct prescan *ps, char **dirs, size_t ndirs)
{
	struct prescan_scan s = { .ps = ps, .dirs = dirs, .ndirs = ndirs };

	memset(ps, 0, sizeof(*ps));
	s.src = open_memstream(&ps->src, &ps->srclen);
	if (!s.src)
		return -ENOMEM;
	fprintf(s.src, "#include <linux/kvm.h>\n");
	scan__include(&s, "", "linux/kvm.h", false, 0);
	if (fclose(s.src) && !s.error)
		s.error = -ENOMEM;
	ps->order = s.error ? NULL : malloc((ps->n ? ps->n : 1) * sizeof(*ps->order));
	if (!s.error && !ps->order)
		s.error = -ENOMEM;
	if (!s.error) {
		for (size_t i = 0; i < ps->n; i++)
			ps->order[i] = i;
		sort_ps = ps;	/* qsort has no context argument; single-threaded */
		qsort(ps->order, ps->n, sizeof(*ps->order), idx__cmp);
	}
	for (size_t i = 0; i < s.nseen; i++)
		free(s.seen[i]);
	free(s.seen);
	if (s.error)
		prescan__fini(ps);
	return s.error;
}

void prescan__range(const struct prescan *ps, const char *name, size_t *first, size_t *end)
{
	size_t lo = 0, hi = ps->n;

	while (lo < hi) {	/* the first position not before name */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ps->names[ps->order[mid]], name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (hi < ps->n && !strcmp(ps->names[ps->order[hi]], name))
		hi++;
	*end = hi;
}

void prescan__fini(struct prescan *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->names[i]);
		free(ps->ioctl_arg[i]);
	}
	free(ps->names);
	free(ps->ioctl);
	free(ps->ioctl_arg);
	free(ps->has_decl);
	free(ps->weight);
	free(ps->order);
	free(ps->src);
	memset(ps, 0, sizeof(*ps));
}
