/* diff_report.c - the classified lines of a diff: recording them (with the allow file), the
 * counts, the semver verdict with the lines that decide it, and the two report forms: text,
 * one difference a line grouped by class, and --json, one document for scripts. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diff_internal.h"
#include "json.h"

static const char *const class_names[DIFF__NR] = {
	[DIFF_INCOMPATIBLE] = "incompatible",
	[DIFF_API] = "api",
	[DIFF_ADDED] = "added",
	[DIFF_SENTINEL] = "sentinel",
	[DIFF_NEUTRAL] = "layout-neutral",
	[DIFF_ALLOWED] = "allowed",
	[DIFF_NOT_IN_B] = "not in kernel",
};

static const char *const verdict_names[] = {
	[DIFF_PATCH] = "patch", [DIFF_MINOR] = "minor", [DIFF_MAJOR] = "major",
};

static const char *const verdict_why[] = {
	[DIFF_PATCH] = "nothing a user of the bindings can see",
	[DIFF_MINOR] = "additions only",
	[DIFF_MAJOR] = "an ABI incompatibility or an API removal, rename or retyping",
};

/* How many deciding lines the text verdict repeats (all of them are in the report above). */
#define VERDICT_LINES 8

const char *diff__class_name(enum diff_class c)
{
	return c < DIFF__NR ? class_names[c] : "?";
}

const char *diff__verdict_name(enum diff_verdict v)
{
	return v <= DIFF_MAJOR ? verdict_names[v] : "?";
}

int manifest__arch_check(const struct manifest *a, const struct manifest *b, char *err,
			 size_t errlen)
{
	const char *aa = manifest__meta(a, "arch"), *ba = manifest__meta(b, "arch");

	if (!aa || !ba || !strcmp(aa, "unknown") || !strcmp(ba, "unknown") || !strcmp(aa, ba))
		return 0;
	errbuf__fail(err, errlen, "A is %s, B is %s: the layouts of two arches do not compare "
		     "(--any-arch compares them anyway)", aa, ba);
	return -EXDEV;
}

static const struct allow_entry *report__allowed(struct diff_report *d, const char *kind,
						 const char *key, const char *member)
{
	const struct allowlist *a = d->o ? d->o->allow : NULL;

	if (!a)
		return NULL;
	for (size_t i = 0; i < a->n; i++) {
		struct allow_entry *e = &a->e[i];

		if (strcmp(e->kind, kind) || strcmp(e->key, key))
			continue;
		if (member && e->member && strcmp(e->member, "*") && strcmp(e->member, member))
			continue;
		e->used++;
		return e;
	}
	return NULL;
}

static struct diff_line *report__new(struct diff_report *d)
{
	struct diff_line *n;

	if (d->error)
		return NULL;
	n = realloc(d->l, (d->n + 1) * sizeof(*n));
	if (!n) {
		d->error = -ENOMEM;
		return NULL;
	}
	d->l = n;
	n = &d->l[d->n];
	memset(n, 0, sizeof(*n));
	return n;
}

void report__add(struct diff_report *d, enum diff_class cls, const char *kind, const char *key,
		 const char *member, const char *fmt, ...)
{
	struct diff_line *l = report__new(d);
	va_list ap;
	int r;

	if (!l)
		return;
	if (cls == DIFF_API && d->o && d->o->api_is_incompatible)
		cls = DIFF_INCOMPATIBLE;
	if (cls != DIFF_NOT_IN_B)
		l->allow = report__allowed(d, kind, key, member);
	l->was = cls;
	l->cls = l->allow ? DIFF_ALLOWED : cls;
	va_start(ap, fmt);
	r = vasprintf(&l->what, fmt, ap);
	va_end(ap);
	l->kind = strdup(kind);
	l->key = strdup(key);
	l->member = member ? strdup(member) : NULL;
	if (r < 0 || !l->kind || !l->key || (member && !l->member)) {
		if (r >= 0)
			free(l->what);
		free(l->kind);
		free(l->key);
		free(l->member);
		d->error = -ENOMEM;
		return;
	}
	d->n++;
}

void report__add_name(struct diff_report *d, const char *name)
{
	struct diff_line *l = report__new(d);

	if (!l)
		return;
	l->cls = l->was = DIFF_NOT_IN_B;
	l->kind = strdup("type");
	l->key = strdup(name);
	if (!l->kind || !l->key) {
		free(l->kind);
		free(l->key);
		d->error = -ENOMEM;
		return;
	}
	d->n++;
}

void report__note(struct diff_report *d, const char *fmt, ...)
{
	char **n, *s;
	va_list ap;
	int r;

	if (d->error)
		return;
	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	n = r < 0 ? NULL : realloc(d->notes, (d->nnotes + 1) * sizeof(*n));
	if (!n) {
		if (r >= 0)
			free(s);
		d->error = -ENOMEM;
		return;
	}
	d->notes = n;
	d->notes[d->nnotes++] = s;
}

/* "kind key[.member]: what [allow:line: reason]" */
static void line__print(FILE *f, const struct diff_line *l, const struct diff_opts *o)
{
	fprintf(f, "%s %s%s%s: %s", l->kind, l->key, l->member ? "." : "",
		l->member ? l->member : "", l->what);
	if (l->allow)
		fprintf(f, " [%s:%u: %s]", o->allow->path, l->allow->line, l->allow->reason);
}

/* Which lines decide the verdict: those of the classes that set it. */
static bool line__decides(const struct diff_line *l, enum diff_verdict v)
{
	switch (v) {
	case DIFF_MAJOR:
		return l->cls == DIFF_INCOMPATIBLE || l->cls == DIFF_API;
	case DIFF_MINOR:
		return l->cls == DIFF_ADDED || l->cls == DIFF_SENTINEL;
	case DIFF_PATCH:
		return l->cls == DIFF_NEUTRAL;
	}
	return false;
}

static void report__text(const struct diff_report *d, FILE *out, const struct diff_counts *c)
{
	unsigned shown = 0, deciding = 0;

	for (size_t i = 0; i < d->nnotes; i++)
		fprintf(out, "%s\n", d->notes[i]);
	for (int k = 0; k < DIFF__NR; k++) {
		size_t col = 0;

		for (size_t i = 0; i < d->n; i++) {
			const struct diff_line *l = &d->l[i];

			if (l->cls != (enum diff_class)k)
				continue;
			if (k != DIFF_NOT_IN_B) {
				fprintf(out, "%-14s ", class_names[k]);
				line__print(out, l, d->o);
				fputc('\n', out);
				continue;
			}
			/* types the kernel does not build: names only, wrapped, to stay on one screen */
			if (!col || col + strlen(l->key) > 96) {
				fprintf(out, "%s%-14s %s", col ? "\n" : "", class_names[k], l->key);
				col = 15 + strlen(l->key);
			} else {
				fprintf(out, ", %s", l->key);
				col += 2 + strlen(l->key);
			}
		}
		if (col)
			fputc('\n', out);
	}
	fprintf(out, "kvmgate diff:");
	for (int k = 0; k < DIFF__NR; k++)
		fprintf(out, "%s %u %s", k ? "," : "", c->n[k], class_names[k]);
	fputc('\n', out);
	for (size_t i = 0; i < d->n; i++)
		deciding += line__decides(&d->l[i], c->verdict);
	fprintf(out, "kvmgate diff: verdict %s: %s", verdict_names[c->verdict],
		verdict_why[c->verdict]);
	if (deciding)
		fprintf(out, "; decided by %u line%s:", deciding, deciding == 1 ? "" : "s");
	fputc('\n', out);
	/* the worst first: incompatible lines before api ones */
	for (int k = 0; k < DIFF__NR; k++)
		for (size_t i = 0; i < d->n && shown < VERDICT_LINES; i++) {
			if (d->l[i].cls != (enum diff_class)k || !line__decides(&d->l[i], c->verdict))
				continue;
			fprintf(out, "  %-14s ", class_names[k]);
			line__print(out, &d->l[i], d->o);
			fputc('\n', out);
			shown++;
		}
	if (deciding > shown)
		fprintf(out, "  ... and %u more above\n", deciding - shown);
}

static void side__json(FILE *out, const char *name, const struct manifest *m)
{
	fprintf(out, "  \"%s\": {\"arch\": ", name);
	json__str(out, manifest__meta(m, "arch"));
	fputs(", \"kernel\": ", out);
	json__str(out, manifest__meta(m, "kernel"));
	fputs(", \"source\": ", out);
	json__str(out, manifest__meta(m, "source"));
	fputs("},\n", out);
}

static void line__json(FILE *out, const struct diff_line *l, const struct diff_opts *o)
{
	fputs("{\"class\": ", out);
	json__str(out, class_names[l->cls]);
	fputs(", \"kind\": ", out);
	json__str(out, l->kind);
	fputs(", \"key\": ", out);
	json__str(out, l->key);
	fputs(", \"member\": ", out);
	json__str(out, l->member);
	fputs(", \"what\": ", out);
	json__str(out, l->what);
	if (l->allow) {
		fputs(", \"allowed\": {\"class\": ", out);
		json__str(out, class_names[l->was]);
		fputs(", \"file\": ", out);
		json__str(out, o->allow->path);
		fprintf(out, ", \"line\": %u, \"reason\": ", l->allow->line);
		json__str(out, l->allow->reason);
		fputc('}', out);
	}
	fputc('}', out);
}

static void report__json(const struct diff_report *d, FILE *out, const struct manifest *a,
			 const struct manifest *b, const struct diff_counts *c)
{
	bool first = true;

	fputs("{\n", out);
	side__json(out, "a", a);
	side__json(out, "b", b);
	fputs("  \"notes\": [", out);
	for (size_t i = 0; i < d->nnotes; i++) {
		fputs(i ? ", " : "", out);
		json__str(out, d->notes[i]);
	}
	fputs("],\n  \"differences\": [", out);
	for (int k = 0; k < DIFF__NR; k++)
		for (size_t i = 0; i < d->n; i++) {
			if (d->l[i].cls != (enum diff_class)k)
				continue;
			fputs(first ? "\n    " : ",\n    ", out);
			line__json(out, &d->l[i], d->o);
			first = false;
		}
	fputs(first ? "],\n" : "\n  ],\n", out);
	fputs("  \"counts\": {", out);
	for (int k = 0; k < DIFF__NR; k++) {
		fputs(k ? ", " : "", out);
		json__str(out, class_names[k]);
		fprintf(out, ": %u", c->n[k]);
	}
	fputs("},\n  \"verdict\": {\"level\": ", out);
	json__str(out, verdict_names[c->verdict]);
	fputs(", \"why\": ", out);
	json__str(out, verdict_why[c->verdict]);
	fputs(", \"decided_by\": [", out);
	first = true;
	for (int k = 0; k < DIFF__NR; k++)
		for (size_t i = 0; i < d->n; i++) {
			if (d->l[i].cls != (enum diff_class)k || !line__decides(&d->l[i], c->verdict))
				continue;
			fputs(first ? "\n    " : ",\n    ", out);
			line__json(out, &d->l[i], d->o);
			first = false;
		}
	fputs(first ? "]}\n}\n" : "\n  ]}\n}\n", out);
}

int report__finish(struct diff_report *d, const struct manifest *a, const struct manifest *b,
		   struct diff_counts *c)
{
	FILE *out = d->o ? d->o->out : NULL;
	int ret = d->error;

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < d->n; i++)
		c->n[d->l[i].cls]++;
	/* allowed lines are known and explained: they decide nothing */
	c->verdict = c->n[DIFF_INCOMPATIBLE] || c->n[DIFF_API] ? DIFF_MAJOR :
		     c->n[DIFF_ADDED] || c->n[DIFF_SENTINEL] ? DIFF_MINOR : DIFF_PATCH;
	if (!ret && out && d->o->allow)
		for (size_t i = 0; i < d->o->allow->n; i++)
			if (!d->o->allow->e[i].used)
				report__note(d, "note: %s:%u: allow entry matched nothing",
					     d->o->allow->path, d->o->allow->e[i].line);
	ret = d->error;
	if (!ret && out) {
		if (d->o->json)
			report__json(d, out, a, b, c);
		else
			report__text(d, out, c);
	}
	for (size_t i = 0; i < d->n; i++) {
		free(d->l[i].kind);
		free(d->l[i].key);
		free(d->l[i].member);
		free(d->l[i].what);
	}
	for (size_t i = 0; i < d->nnotes; i++)
		free(d->notes[i]);
	free(d->l);
	free(d->notes);
	return ret;
}
