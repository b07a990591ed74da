/* pahole_parse.c - pahole's C-like output (offsets and sizes in comments) to manifest records.
 *
 * pahole prints members of anonymous structs and unions inline with absolute offsets, bitfields
 * as "BYTE:BIT STORAGE", and a "size:" summary per type; it does not print alignment, which is
 * inferred here from the members (see node__align).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pahole.h"

struct pnode {
	char *name;		/* member or type name; NULL for a transparent anonymous member */
	char *type;		/* spelled type without extents ("__u64", "struct <anonymous>") */
	char *extents;		/* "", "[16]", "[2][4]", "[]" */
	uint64_t offset, size;	/* bytes */
	bool is_bitfield;
	uint64_t bitoffset;	/* absolute bits */
	uint32_t bitsize;
	uint64_t storage;	/* bytes of a bitfield's declared type */
	uint64_t attr_align;	/* __aligned__(N) on the member or aggregate */
	bool is_aggr, is_union, is_enum, packed;
	bool anon_enum;		/* "enum { ... } member;": enumerators skipped, a scalar field */
	bool have_size;
	struct pnode *kids;
	size_t nkids, cap;
	/* top-level types only: alignment computed, and a guard against cycles */
	uint64_t align;
	enum { ALIGN_TODO, ALIGN_COMPUTING, ALIGN_DONE } align_state;
};

struct parser {
	struct pnode *types;
	size_t ntypes, cap;
	struct pnode *stack[32];
	int depth;		/* 0 outside a type; stack[0] is the type */
	bool in_enum;
	int skip_depth;		/* > 0: inside a type that is not wanted */
	const char *const *wanted;	/* sorted bare names; NULL = every type */
	const struct manifest *m;	/* types of earlier runs */
	size_t m_nrecs;			/* ... its records before this output */
	struct pnode **index;		/* types sorted by name (stable: first printed first) */
	size_t nwanted;
	unsigned line;
	char *err;
	size_t errlen;
};

static const struct {
	const char *dwarf, *c;
} base_names[] = {
	{ "long long unsigned int", "unsigned long long" },
	{ "long long int", "long long" },
	{ "long unsigned int", "unsigned long" },
	{ "long int", "long" },
	{ "short unsigned int", "unsigned short" },
	{ "short int", "short" },
	{ "unsigned char", "unsigned char" },
	{ "signed char", "signed char" },
	/* gcc's builtin typedefs, which the UAPI headers use, leave only the base type */
	{ "__int128 unsigned", "__uint128_t" },
	{ "__int128", "__int128_t" },
};

const char *pahole__base_spelling(const char *name)
{
	for (size_t i = 0; i < sizeof(base_names) / sizeof(base_names[0]); i++)
		if (strcmp(name, base_names[i].dwarf) == 0)
			return base_names[i].c;
	return name;
}

static void pnode__fini(struct pnode *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		pnode__fini(&n->kids[i]);
	free(n->kids);
	free(n->name);
	free(n->type);
	free(n->extents);
}

static struct pnode *pnode__add_kid(struct pnode *n)
{
	if (n->nkids == n->cap) {
		size_t cap = n->cap ? 2 * n->cap : 8;
		struct pnode *k = realloc(n->kids, cap * sizeof(*k));

		if (!k)
			return NULL;
		n->kids = k;
		n->cap = cap;
	}
	memset(&n->kids[n->nkids], 0, sizeof(n->kids[0]));
	return &n->kids[n->nkids++];
}

static int parser__error(struct parser *p, const char *what, const char *text)
{
	return errbuf__fail_at(p->err, p->errlen, "pahole output", p->line, "%s: '%s'", what, text);
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Remove every "__attribute__((...))" from s; remember __aligned__(N) and __packed__. */
static void attrs__strip(char *s, uint64_t *aligned, bool *packed)
{
	char *a;

	while ((a = strstr(s, "__attribute__((")) != NULL) {
		char *q = a + strlen("__attribute__((");
		int level = 2;
		char *e = q;

		while (*e && level > 0) {
			if (*e == '(')
				level++;
			else if (*e == ')')
				level--;
			e++;
		}
		if (strncmp(q, "__aligned__(", 12) == 0)
			*aligned = strtoull(q + 12, NULL, 0);
		else if (strncmp(q, "__packed__", 10) == 0)
			*packed = true;
		memmove(a, e, strlen(e) + 1);
	}
}

/* Collapse runs of blanks; "void  *" -> "void *", "char * *" -> "char **"; base names to C. */
static char *type__spell(const char *raw)
{
	char tmp[512], *w = tmp, *stars;
	size_t nstars = 0;
	char *out;

	for (const char *r = raw; *r && w < tmp + sizeof(tmp) - 1; r++) {
		if (isspace((unsigned char)*r)) {
			if (w > tmp && w[-1] != ' ')
				*w++ = ' ';
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	stars = strchr(tmp, '*');
	if (stars) {
		for (char *s = stars; *s; s++)
			if (*s == '*')
				nstars++;
		*stars = '\0';
	}
	w = trim(tmp);
	if (!nstars)
		return strdup(pahole__base_spelling(w));
	if (nstars > 16 || asprintf(&out, "%s %.*s", pahole__base_spelling(w), (int)nstars,
				    "****************") < 0)
		return NULL;
	return out;
}

/* "/ *  OFF  SIZE * /" or "/ *  BYTE: BIT  STORAGE * /" (without the comment markers). */
static int comment__parse(const char *c, struct pnode *n)
{
	char *e;
	uint64_t a = strtoull(c, &e, 10), b;

	if (e == c)
		return -EINVAL;
	while (*e == ' ')
		e++;
	if (*e == ':') {
		const char *s = e + 1;

		b = strtoull(s, &e, 10);
		if (e == s)
			return -EINVAL;
		n->storage = strtoull(e, &e, 10);
		n->bitoffset = a * 8 + b;
		n->offset = a;
		n->size = n->storage;
		return 0;
	}
	{
		const char *s = e;

		b = strtoull(s, &e, 10);
		if (e == s)
			return -EINVAL;
	}
	n->offset = a;
	n->size = b;
	return 0;
}

/* Split "/ * ... * /" off the end of line; returns the comment body or NULL. */
static char *line__comment(char *line)
{
	size_t len = strlen(line);
	char *o;

	if (len < 4 || strcmp(line + len - 2, "*/") != 0)
		return NULL;
	o = strstr(line, "/*");
	if (!o)
		return NULL;
	line[len - 2] = '\0';
	*o = '\0';
	return trim(o + 2);
}

/* "NAME[2][4]" at the end of decl: cut it off decl; name and extents malloc'd. */
static int decl__split_name(char *decl, char **name, char **extents)
{
	char *e = decl + strlen(decl), *ext, *s;

	while (e > decl && e[-1] == ']') {
		while (e > decl && e[-1] != '[')
			e--;
		if (e == decl)
			return -EINVAL;
		e--;
	}
	ext = e;
	s = e;
	while (s > decl && (isalnum((unsigned char)s[-1]) || s[-1] == '_'))
		s--;
	if (s == e)
		return -EINVAL;
	*name = strndup(s, (size_t)(e - s));
	*extents = strdup(ext);
	*s = '\0';
	return *name && *extents ? 0 : -ENOMEM;
}

static int parser__member(struct parser *p, char *text, char *comment)
{
	struct pnode *parent = p->stack[p->depth - 1], *n;
	uint64_t aligned = 0;
	bool packed = false;
	char *decl, *colon, *fp;
	int rc;

	attrs__strip(text, &aligned, &packed);
	decl = trim(text);
	if (!*decl || decl[strlen(decl) - 1] != ';')
		return parser__error(p, "expected a member", text);
	decl[strlen(decl) - 1] = '\0';
	decl = trim(decl);
	colon = strrchr(decl, ':');
	if (colon && colon[1] && strspn(colon + 1, " 0123456789") == strlen(colon + 1)) {
		*colon = '\0';
		if (!comment)
			return 0;	/* pahole's "__u32 :0;" alignment marker */
	} else {
		colon = NULL;
	}
	if (!comment)
		return parser__error(p, "member without offset comment", decl);
	n = pnode__add_kid(parent);
	if (!n)
		return -ENOMEM;
	n->attr_align = aligned;
	fp = strstr(decl, "(*");
	if (fp) {
		/* function pointer "void (*fn)(int)": spelled "void (*)(int)" */
		char *close = strchr(fp, ')');

		if (!close)
			return parser__error(p, "malformed function pointer", decl);
		n->name = strndup(fp + 2, (size_t)(close - fp - 2));
		n->extents = strdup("");
		memmove(fp + 2, close, strlen(close) + 1);
		n->type = type__spell(trim(decl));
		if (!n->name || !n->extents || !n->type)
			return -ENOMEM;
	} else {
		rc = decl__split_name(decl, &n->name, &n->extents);
		if (rc)
			return rc == -ENOMEM ? rc : parser__error(p, "no member name", decl);
		n->type = type__spell(trim(decl));
		if (!n->type)
			return -ENOMEM;
		if (!*n->type)
			return parser__error(p, "no member type", decl);
	}
	if (comment__parse(comment, n))
		return parser__error(p, "unreadable offset comment", comment);
	if (colon) {
		n->is_bitfield = true;
		n->bitsize = (uint32_t)strtoul(colon + 1, NULL, 10);
	}
	return 0;
}

static int name__cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool parser__wants(const struct parser *p, const char *name)
{
	return !p->wanted ||
	       bsearch(&name, p->wanted, p->nwanted, sizeof(*p->wanted), name__cmp) != NULL;
}

static int parser__open_type(struct parser *p, char *text)
{
	char kw[16], name[256], brace[4];
	struct pnode *t;

	if (strcmp(text, "typedef struct {") == 0 || strcmp(text, "typedef union {") == 0) {
		/* a typedef of an anonymous aggregate: named by its typedef at the closing brace */
		snprintf(kw, sizeof(kw), "%s", text[8] == 's' ? "struct" : "union");
		snprintf(name, sizeof(name), "%s", "");
	} else if (sscanf(text, "%15s %255s %3s", kw, name, brace) != 3 || strcmp(brace, "{") != 0 ||
		   (strcmp(kw, "struct") && strcmp(kw, "union") && strcmp(kw, "enum"))) {
		if (p->wanted && text[strlen(text) - 1] == '{') {
			p->skip_depth = 1;	/* whatever it is, it is not one of ours */
			return 0;
		}
		return parser__error(p, "expected 'struct|union|enum NAME {'", text);
	}
	if (*name && !parser__wants(p, name)) {
		p->skip_depth = 1;
		return 0;
	}
	if (p->ntypes == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		struct pnode *v = realloc(p->types, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->types = v;
		p->cap = cap;
	}
	t = &p->types[p->ntypes++];
	memset(t, 0, sizeof(*t));
	t->name = malloc(strlen(kw) + strlen(name) + 2);
	if (!t->name)
		return -ENOMEM;
	sprintf(t->name, "%s %s", kw, name);
	if (!*name)
		t->name[0] = '\0';	/* typedef: named when closed */
	t->is_aggr = true;
	t->is_union = strcmp(kw, "union") == 0;
	t->is_enum = strcmp(kw, "enum") == 0;
	if (t->is_enum) {
		/* pahole does not print an enum's size: the C default of these ABIs */
		t->size = 4;
		t->have_size = true;
		p->in_enum = true;
	}
	p->stack[0] = t;
	p->depth = 1;
	return 0;
}

static int parser__close(struct parser *p, char *text, char *comment)
{
	struct pnode *n = p->stack[p->depth - 1];
	uint64_t aligned = 0;
	bool packed = false;
	char *rest;

	attrs__strip(text, &aligned, &packed);
	rest = trim(text + 1);
	n->attr_align = aligned;
	n->packed = packed;
	if (p->depth == 1) {
		if (!*n->name && *rest && rest[strlen(rest) - 1] == ';') {
			/* "} __kernel_fsid_t;" */
			free(n->name);
			n->name = strndup(rest, strlen(rest) - 1);
			if (!n->name)
				return -ENOMEM;
			rest = ";";
		}
		if (strcmp(rest, ";") != 0 || !*n->name)
			return parser__error(p, "expected '};' closing the type", text);
		p->depth = 0;
		if (!parser__wants(p, strchr(n->name, ' ') ? strchr(n->name, ' ') + 1 : n->name)) {
			pnode__fini(n);
			p->ntypes--;
		}
		return 0;
	}
	if (!*rest || rest[strlen(rest) - 1] != ';')
		return parser__error(p, "expected '} [NAME];'", text);
	rest[strlen(rest) - 1] = '\0';
	rest = trim(rest);
	if (*rest) {
		int rc = decl__split_name(rest, &n->name, &n->extents);

		if (rc)
			return rc == -ENOMEM ? rc : parser__error(p, "bad member name", rest);
	} else {
		n->extents = strdup("");
		if (!n->extents)
			return -ENOMEM;
	}
	if (n->anon_enum && !n->name) {
		p->depth--;	/* constants only, no member */
		return 0;
	}
	if (!comment || comment__parse(comment, n))
		return parser__error(p, "anonymous member without offset comment", text);
	p->depth--;
	return 0;
}

static int parser__line(struct parser *p, char *line)
{
	char *comment, *text;

	text = trim(line);
	if (!*text)
		return 0;
	if (p->skip_depth) {
		if (*text == '}')
			p->skip_depth--;
		else if (text[strlen(text) - 1] == '{')
			p->skip_depth++;
		return 0;
	}
	if (p->in_enum) {
		if (*text == '}')
			p->in_enum = false, p->depth = 0;
		return 0;
	}
	if (strncmp(text, "/*", 2) == 0) {
		/* a comment line: only the size summary of the type itself matters */
		if (p->depth == 1 && strncmp(text, "/* size: ", 9) == 0) {
			p->stack[0]->size = strtoull(text + 9, NULL, 10);
			p->stack[0]->have_size = true;
		}
		return 0;
	}
	comment = line__comment(text);
	text = trim(text);
	if (!*text)
		return parser__error(p, "expected a member before its comment", comment ? comment : "");
	if (p->depth == 0)
		return parser__open_type(p, text);
	if (p->stack[p->depth - 1]->anon_enum && *text != '}')
		return 0;	/* an enumerator of a member's anonymous enum */
	/* "const struct {": a qualified anonymous member, its layout is the same */
	while (strncmp(text, "const ", 6) == 0 || strncmp(text, "volatile ", 9) == 0)
		text += text[0] == 'c' ? 6 : 9;
	if (strcmp(text, "enum {") == 0) {
		struct pnode *n;

		if (p->depth >= (int)(sizeof(p->stack) / sizeof(p->stack[0])))
			return parser__error(p, "nesting too deep", text);
		n = pnode__add_kid(p->stack[p->depth - 1]);
		if (!n)
			return -ENOMEM;
		n->anon_enum = true;
		n->type = strdup("enum <anonymous>");
		if (!n->type)
			return -ENOMEM;
		p->stack[p->depth++] = n;
		return 0;
	}
	if (text[strlen(text) - 1] == '{') {
		struct pnode *n;

		if (strcmp(text, "struct {") && strcmp(text, "union {"))
			return parser__error(p, "unexpected nested named type (--expand_types?)", text);
		if (p->depth >= (int)(sizeof(p->stack) / sizeof(p->stack[0])))
			return parser__error(p, "nesting too deep", text);
		n = pnode__add_kid(p->stack[p->depth - 1]);
		if (!n)
			return -ENOMEM;
		n->is_aggr = true;
		n->is_union = text[0] == 'u';
		n->type = strdup(n->is_union ? "union <anonymous>" : "struct <anonymous>");
		if (!n->type)
			return -ENOMEM;
		p->stack[p->depth++] = n;
		return 0;
	}
	if (*text == '}')
		return parser__close(p, text, comment);
	return parser__member(p, text, comment);
}

/* ---- alignment ---- */

static uint64_t extents__count(const char *ext, bool *flex)
{
	uint64_t n = 1;

	*flex = strncmp(ext, "[]", 2) == 0;
	for (const char *s = ext; (s = strchr(s, '[')) != NULL; s++)
		n *= strtoull(s + 1, NULL, 10);
	return n;
}

static uint64_t pow2__fit(uint64_t size)
{
	uint64_t a = 1;

	while (a < 8 && size % (a * 2) == 0)
		a *= 2;
	return a;
}

static uint64_t builtin__align(const char *t)
{
	static const struct {
		const char *name;
		uint64_t align;
	} tab[] = {
		{ "char", 1 }, { "signed char", 1 }, { "unsigned char", 1 }, { "_Bool", 1 },
		{ "short", 2 }, { "unsigned short", 2 }, { "int", 4 }, { "unsigned int", 4 },
		{ "long", 8 }, { "unsigned long", 8 }, { "long long", 8 },
		{ "unsigned long long", 8 }, { "float", 4 }, { "double", 8 },
		{ "long double", 16 }, { "__int128_t", 16 }, { "__uint128_t", 16 },
		{ "__aligned_u64", 8 }, { "__aligned_le64", 8 }, { "__aligned_be64", 8 },
	};
	unsigned bits;
	char c;

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(t, tab[i].name) == 0)
			return tab[i].align;
	/* __u8 .. __s64, __le16 .. __be64 */
	if ((sscanf(t, "__u%u%c", &bits, &c) == 1 || sscanf(t, "__s%u%c", &bits, &c) == 1 ||
	     sscanf(t, "__le%u%c", &bits, &c) == 1 || sscanf(t, "__be%u%c", &bits, &c) == 1) &&
	    (bits == 8 || bits == 16 || bits == 32 || bits == 64))
		return bits / 8;
	return 0;
}

static uint64_t type__align(struct parser *p, const char *name);

static uint64_t node__align(struct parser *p, struct pnode *n)
{
	uint64_t a = 0;

	if (n->is_aggr) {
		for (size_t i = 0; i < n->nkids; i++) {
			uint64_t k = node__align(p, &n->kids[i]);

			if (n->packed)
				k = n->kids[i].attr_align;
			if (k > a)
				a = k;
		}
		if (!a)
			a = 1;
	} else if (n->is_bitfield) {
		a = n->storage ? n->storage : 1;
	} else {
		bool flex;
		uint64_t count = extents__count(n->extents, &flex);
		uint64_t elem = flex || !count ? 0 : n->size / count;

		if (strchr(n->type, '*'))
			a = 8;
		else if (strncmp(n->type, "struct ", 7) == 0 || strncmp(n->type, "union ", 6) == 0) {
			a = type__align(p, n->type);
			if (!a && elem)
				a = pow2__fit(elem);	/* an aggregate of unknown members */
		}
		else if (!(a = builtin__align(n->type)))
			a = type__align(p, n->type);	/* a typedef printed as a type of its own */
		if (!a && elem)
			a = (elem & (elem - 1)) == 0 && elem <= 16 ? elem : pow2__fit(elem);
		if (!a)
			a = 1;
	}
	if (n->attr_align > a)
		a = n->attr_align;
	return a;
}

/* The alignment of a top-level type of this output, or of a type record already in the
 * manifest (an earlier pahole run); unknown types and cycles give 0. */
static int pnode__cmp_name(const void *a, const void *b)
{
	const struct pnode *x = *(struct pnode *const *)a, *y = *(struct pnode *const *)b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x < y ? -1 : x > y);
}

/* The first-printed type of that name, through the index; NULL when none. */
static struct pnode *parser__type(struct parser *p, const char *name)
{
	size_t lo = 0, hi = p->ntypes;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(p->index[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->ntypes && strcmp(p->index[lo]->name, name) == 0 ? p->index[lo] : NULL;
}

static uint64_t type__align(struct parser *p, const char *name)
{
	struct pnode *t;

	for (size_t i = 0; p->m && i < p->m_nrecs; i++)
		if (p->m->recs[i].kind == MREC_TYPE && strcmp(p->m->recs[i].key, name) == 0)
			return p->m->recs[i].align;
	t = parser__type(p, name);
	if (t) {
		if (t->align_state == ALIGN_COMPUTING)
			return 0;
		if (t->align_state == ALIGN_TODO) {
			t->align_state = ALIGN_COMPUTING;
			t->align = t->is_enum ? t->size : node__align(p, t);
			if (!t->have_size) {
				/* pahole prints no summary for unions: the largest member, padded */
				for (size_t k = 0; k < t->nkids; k++)
					if (t->kids[k].offset + t->kids[k].size > t->size)
						t->size = t->kids[k].offset + t->kids[k].size;
				t->size = (t->size + t->align - 1) / t->align * t->align;
				t->have_size = true;
			}
			while (t->size && t->align > 1 && t->size % t->align)
				t->align /= 2;	/* a packed layout pahole did not mark */
			t->align_state = ALIGN_DONE;
		}
		return t->align;
	}
	return 0;
}

/* ---- flattening into the manifest ---- */

static int node__emit(struct manifest *m, const char *owner, const struct pnode *n,
		      const char *prefix)
{
	for (size_t i = 0; i < n->nkids; i++) {
		const struct pnode *k = &n->kids[i];
		char *path, *type;
		bool flex;
		int rc;

		if (!k->is_aggr && !k->name)
			continue;	/* an unnamed anonymous enum declares constants only */
		if (k->is_aggr && !k->name) {
			rc = node__emit(m, owner, k, prefix);
			if (rc)
				return rc;
			continue;
		}
		if (asprintf(&path, "%s%s", prefix, k->name) < 0)
			return -ENOMEM;
		if (asprintf(&type, "%s%s", k->type, k->extents) < 0) {
			free(path);
			return -ENOMEM;
		}
		extents__count(k->extents, &flex);
		if (k->is_bitfield)
			rc = manifest__add_bitfield(m, owner, path, type, k->bitoffset, k->bitsize);
		else
			rc = manifest__add_field(m, owner, path, type, k->offset, flex ? 0 : k->size,
						 flex);
		free(type);
		/* the members of an anonymous aggregate follow it; of a one-dimensional array of
		 * one, the first element stands for all ("redirtbl[0].bits"), as in the libclang view */
		if (!rc && k->is_aggr && strchr(k->extents, '[') == strrchr(k->extents, '[')) {
			char *sub;

			if (asprintf(&sub, "%s%s.", path, *k->extents ? "[0]" : "") < 0)
				rc = -ENOMEM;
			else
				rc = node__emit(m, owner, k, sub), free(sub);
		}
		free(path);
		if (rc)
			return rc;
	}
	return 0;
}

int pahole__parse(const char *text, struct manifest *m, const char *const *wanted,
		  size_t nwanted, char *err, size_t errlen)
{
	struct parser p = { .err = err, .errlen = errlen, .wanted = wanted, .nwanted = nwanted,
			    .m = m, .m_nrecs = m->nrecs };
	char *copy = strdup(text), *line, *next;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	for (line = copy; line && !rc; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		p.line++;
		rc = parser__line(&p, line);
	}
	if (!rc && (p.depth || p.in_enum || p.skip_depth))
		rc = parser__error(&p, "output ends inside a type",
				   p.depth ? p.stack[0]->name : "(skipped)");
	if (!rc) {
		p.index = malloc((p.ntypes + 1) * sizeof(*p.index));
		if (!p.index)
			rc = -ENOMEM;
		for (size_t i = 0; !rc && i < p.ntypes; i++)
			p.index[i] = &p.types[i];
		if (!rc)
			qsort(p.index, p.ntypes, sizeof(*p.index), pnode__cmp_name);
	}
	for (size_t i = 0; i < p.ntypes && !rc; i++) {
		struct pnode *t = &p.types[i];

		/* a type printed twice (once per CU) is kept once: the first */
		if (parser__type(&p, t->name) != t)
			continue;
		uint64_t align = type__align(&p, t->name);

		rc = manifest__add_type(m, t->name, t->size, align);
		if (!rc && !t->is_enum)
			rc = node__emit(m, t->name, t, "");
	}
	for (size_t i = 0; i < p.ntypes; i++)
		pnode__fini(&p.types[i]);
	free(p.types);
	free(p.index);
	free(copy);
	return rc;
}

/* The number of elements of a spelling's extents ("__u8[8][16]" -> 128, base length 4, 2
 * extents); 0 elements for a zero or flexible extent, 1 for no extent. */
static uint64_t spell__elems(const char *t, size_t *baselen, unsigned *next)
{
	const char *b = strchr(t, '[');
	uint64_t n = 1;

	*baselen = b ? (size_t)(b - t) : strlen(t);
	*next = 0;
	for (; b && *b == '['; b = strchr(b, ']') ? strchr(b, ']') + 1 : NULL) {
		n *= strtoull(b + 1, NULL, 10);
		(*next)++;
	}
	return n;
}

int pahole__adopt_extents(struct manifest *m, const struct manifest *ref)
{
	for (size_t i = 0; i < m->nrecs; i++) {
		struct mrec *f = &m->recs[i];
		size_t base, rbase;
		unsigned next, rnext;
		uint64_t n;

		if (f->kind != MREC_FIELD || f->is_bitfield || !strchr(f->text, '['))
			continue;
		n = spell__elems(f->text, &base, &next);
		if (n && next != 1)
			continue;	/* neither zero-length nor flattened */
		for (size_t j = 0; j < ref->nrecs; j++) {
			const struct mrec *r = &ref->recs[j];
			char *t;

			if (r->kind != MREC_FIELD || strcmp(r->key, f->key) ||
			    strcmp(r->member, f->member))
				continue;
			if (spell__elems(r->text, &rbase, &rnext) != n || rbase != base ||
			    strncmp(r->text, f->text, base) || (n && rnext == 1) ||
			    (!n && strcmp(strchr(f->text, ']'), strchr(r->text, ']'))))
				break;
			t = strdup(r->text);
			if (!t)
				return -ENOMEM;
			free(f->text);
			f->text = t;
			f->flex = r->flex;
			break;
		}
	}
	return 0;
}
