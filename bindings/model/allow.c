/* allow.c - allow files: differences that are known and explained, one entry a line with its
 * reason (format in manifest.h). Used by `kvmgate diff --allow FILE`. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allow.h"
#include "errbuf.h"
#include "file.h"

static const char *const allow_kinds[] = { "type", "field", "const", "ioctl", "uneval" };

static bool allow__kind_ok(const char *k)
{
	for (size_t i = 0; i < sizeof(allow_kinds) / sizeof(allow_kinds[0]); i++)
		if (!strcmp(k, allow_kinds[i]))
			return true;
	return false;
}

void allowlist__fini(struct allowlist *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->e[i].kind);
		free(a->e[i].key);
		free(a->e[i].member);
		free(a->e[i].reason);
	}
	free(a->e);
	free(a->path);
	memset(a, 0, sizeof(*a));
}

static int allow__add(struct allowlist *a, char **cols, int ncol, unsigned line)
{
	struct allow_entry *n = realloc(a->e, (a->n + 1) * sizeof(*n)), *e;

	if (!n)
		return -ENOMEM;
	a->e = n;
	e = &a->e[a->n];
	memset(e, 0, sizeof(*e));
	e->line = line;
	e->kind = strdup(cols[0]);
	e->key = strdup(cols[1]);
	e->member = ncol == 4 ? strdup(cols[2]) : NULL;
	e->reason = strdup(cols[ncol - 1] + strlen("reason="));
	a->n++;
	if (!e->kind || !e->key || (ncol == 4 && !e->member) || !e->reason)
		return -ENOMEM;
	return 0;
}

int allowlist__read(struct allowlist *a, const char *path, char *err, size_t errlen)
{
	struct file_line fl = { 0 };
	unsigned lineno = 0;
	int ret = 0, got;
	FILE *f;

	memset(a, 0, sizeof(*a));
	f = file__open_text(path, err, errlen, &ret);
	if (!f)
		return ret;
	a->path = strdup(path);
	if (!a->path)
		ret = -ENOMEM;
	while (!ret && (got = file__getline(f, path, ++lineno, &fl, err, errlen)) != 0) {
		char *cols[5], *p, *line = fl.s;
		int ncol = 0;

		if (got < 0) {
			ret = got;
			break;
		}
		p = line;
		if (!*line || *line == '#')
			continue;
		while (ncol < 5) {
			char *tab = strchr(p, '\t');

			cols[ncol++] = p;
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		if (ncol < 3 || ncol > 4 || strncmp(cols[ncol - 1], "reason=", 7) ||
		    !cols[ncol - 1][7]) {
			ret = errbuf__fail_at(err, errlen, path, lineno,
					      "expected KIND<TAB>KEY[<TAB>MEMBER]<TAB>reason=TEXT");
			break;
		}
		if (!allow__kind_ok(cols[0])) {
			ret = errbuf__fail_at(err, errlen, path, lineno, "unknown kind '%s' (expected "
					      "type, field, const, ioctl or uneval)", cols[0]);
			break;
		}
		if ((ncol == 4) != !strcmp(cols[0], "field")) {
			ret = errbuf__fail_at(err, errlen, path, lineno, "%s", ncol == 4 ?
					      "only a field entry takes a MEMBER column" :
					      "a field entry needs a MEMBER column (a path or *)");
			break;
		}
		ret = allow__add(a, cols, ncol, lineno);
	}
	free(fl.s);
	fclose(f);
	if (ret == -ENOMEM && !*err)
		snprintf(err, errlen, "%s: out of memory", path);
	if (ret)
		allowlist__fini(a);
	return ret;
}
