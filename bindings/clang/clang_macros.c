/* clang_macros.c - the macros of the KVM headers, evaluated by the compiler itself: a plain
 * integer literal is typed by C's rules here (literal__eval); every other object-like macro has a
 * constant initialiser in the one parse (the evaluation declarations clang_prescan.c put after
 * the #include), or in a second parse for the macros the scan missed, so that function-like
 * macros such as _IOR(KVMIO, 0x81, struct kvm_regs) are evaluated for the target exactly as C
 * would. Ioctls are told apart and their argument type read from the tokens (through aliases); a
 * macro the compiler rejects keeps the compiler's reason. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clang_internal.h"
#include "hset.h"
#include "literal.h"
#include "timing.h"

#define EVAL_PREFIX "kvmgate__v"

struct mdef {
	char *name;
	char **toks;	/* body tokens */
	size_t ntoks;
	bool in_kvm;
};

struct macro_defs {
	struct mdef *d;
	size_t n;
	struct hset by_name;	/* name -> its first definition's index + 1 (macro_defs__index) */
	int error;	/* first failure (-errno): the visit stops */
};

char *clang__strdup(CXString s)
{
	const char *c = clang_getCString(s);
	char *r = strdup(c ? c : "");

	clang_disposeString(s);
	return r;
}

/* The line of the main file a diagnostic is on (0: elsewhere). Line 1 is the #include; from
 * line 2 on are evaluation declarations, whose errors are the macros' reasons. */
static unsigned diag__main_line(CXDiagnostic d)
{
	CXSourceLocation loc = clang_getDiagnosticLocation(d);
	unsigned line = 0;
	CXFile f;
	char *fname;

	clang_getExpansionLocation(loc, &f, &line, NULL, NULL);
	fname = f ? clang__strdup(clang_getFileName(f)) : NULL;
	if (!fname || strcmp(fname, CLANG_MAIN_FILE))
		line = 0;
	free(fname);
	return line;
}

static bool diag__in_eval_line(CXDiagnostic d)
{
	return diag__main_line(d) >= 2;
}

int clang__parse(CXIndex idx, const struct clang_args *a, const char *src, bool fatal_errors,
		 CXTranslationUnit *tu, char *err, size_t errlen)
{
	struct CXUnsavedFile uf = { .Filename = CLANG_MAIN_FILE, .Contents = src,
				    .Length = strlen(src) };
	enum CXErrorCode ec;
	unsigned nd;

	ec = clang_parseTranslationUnit2(idx, uf.Filename, a->argv, a->argc, &uf, 1,
					 CXTranslationUnit_DetailedPreprocessingRecord |
					 CXTranslationUnit_SkipFunctionBodies, tu);
	if (ec != CXError_Success) {
		snprintf(err, errlen, "libclang failed to parse (error %d)", (int)ec);
		*tu = NULL;
		return -EIO;
	}
	if (!fatal_errors)
		return 0;
	nd = clang_getNumDiagnostics(*tu);
	for (unsigned i = 0; i < nd; i++) {
		CXDiagnostic d = clang_getDiagnostic(*tu, i);
		enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);

		if (sev >= CXDiagnostic_Error && !diag__in_eval_line(d)) {
			CXString s = clang_formatDiagnostic(d, CXDiagnostic_DisplaySourceLocation |
							    CXDiagnostic_DisplayColumn);
			const char *msg = clang_getCString(s);

			/* "FILE:LINE:COL: error: message"; for the in-memory main file, name the header */
			snprintf(err, errlen, "%s", msg ? msg : "parse error");
			clang_disposeString(s);
			clang_disposeDiagnostic(d);
			clang_disposeTranslationUnit(*tu);
			*tu = NULL;
			return -EINVAL;
		}
		clang_disposeDiagnostic(d);
	}
	return 0;
}

bool clang__in_kvm_header(CXCursor c)
{
	CXSourceLocation loc = clang_getCursorLocation(c);
	CXFile f;
	char *name;
	size_t l;
	bool r;

	clang_getSpellingLocation(loc, &f, NULL, NULL, NULL);
	if (!f)
		return false;
	name = clang__strdup(clang_getFileName(f));
	if (!name)
		return false;
	l = strlen(name);
	r = (l >= 12 && !strcmp(name + l - 12, "/linux/kvm.h")) ||
	    (l >= 10 && !strcmp(name + l - 10, "/asm/kvm.h"));
	free(name);
	return r;
}

static enum CXChildVisitResult macros__visit(CXCursor c, CXCursor p, CXClientData data)
{
	struct macro_defs *defs = data;
	CXTranslationUnit tu = clang_Cursor_getTranslationUnit(c);
	CXSourceLocation loc;
	CXToken *toks = NULL;
	unsigned ntoks = 0;
	struct mdef *d;
	CXFile f;
	(void)p;

	if (clang_getCursorKind(c) != CXCursor_MacroDefinition || clang_Cursor_isMacroBuiltin(c) ||
	    clang_Cursor_isMacroFunctionLike(c))
		return CXChildVisit_Continue;
	loc = clang_getCursorLocation(c);
	clang_getSpellingLocation(loc, &f, NULL, NULL, NULL);
	if (!f)
		return CXChildVisit_Continue;	/* <built-in> or the command line */
	clang_tokenize(tu, clang_getCursorExtent(c), &toks, &ntoks);
	if (ntoks < 2) {	/* name only: an empty macro (include guard, __KVM_HAVE_*) */
		clang_disposeTokens(tu, toks, ntoks);
		return CXChildVisit_Continue;
	}
	if (ntoks == 2 && clang_getTokenKind(toks[1]) == CXToken_Literal) {
		char *s = clang__strdup(clang_getTokenSpelling(tu, toks[1]));
		bool str = s && (s[0] == '"' || s[0] == '\'');

		free(s);
		if (str && !clang_Cursor_isNull(c)) {
			clang_disposeTokens(tu, toks, ntoks);
			return CXChildVisit_Continue;
		}
	}
	d = realloc(defs->d, (defs->n + 1) * sizeof(*d));
	if (!d)
		goto nomem;
	defs->d = d;
	d = &defs->d[defs->n++];
	memset(d, 0, sizeof(*d));
	d->name = clang__strdup(clang_getCursorSpelling(c));
	d->in_kvm = clang__in_kvm_header(c);
	d->toks = calloc(ntoks - 1, sizeof(char *));
	if (!d->name || !d->toks)
		goto nomem;
	for (unsigned i = 1; i < ntoks; i++) {
		d->toks[d->ntoks] = clang__strdup(clang_getTokenSpelling(tu, toks[i]));
		if (!d->toks[d->ntoks++])
			goto nomem;
	}
	clang_disposeTokens(tu, toks, ntoks);
	return CXChildVisit_Continue;
nomem:
	clang_disposeTokens(tu, toks, ntoks);
	defs->error = -ENOMEM;
	return CXChildVisit_Break;
}

static void macro_defs__fini(struct macro_defs *defs)
{
	for (size_t i = 0; i < defs->n; i++) {
		for (size_t j = 0; j < defs->d[i].ntoks; j++)
			free(defs->d[i].toks[j]);
		free(defs->d[i].toks);
		free(defs->d[i].name);
	}
	free(defs->d);
	hset__fini(&defs->by_name);
}

/* The names of the definitions, once they are all read (a name defined twice: the first). */
static int macro_defs__index(struct macro_defs *defs)
{
	for (size_t i = 0; i < defs->n; i++) {
		struct hset_slot *slot;
		int added = hset__insert(&defs->by_name, defs->d[i].name, &slot);

		if (added < 0)
			return added;
		if (added)
			slot->value = (void *)(uintptr_t)(i + 1);
	}
	return 0;
}

static const struct mdef *macro_defs__find(const struct macro_defs *defs, const char *name)
{
	const struct hset_slot *slot;

	/* only an identifier can name a macro (most bodies are literals: no search for those) */
	if (!isalpha((unsigned char)name[0]) && name[0] != '_')
		return NULL;
	slot = hset__find(&defs->by_name, name);
	return slot ? &defs->d[(uintptr_t)slot->value - 1] : NULL;
}

/* Follow aliases (#define A B) to the _IO* expansion; return its argument type spelling
 * ("-" for _IO), or NULL when the macro is not an ioctl. */
static char *macro__ioctl_arg(const struct macro_defs *defs, const struct mdef *d)
{
	size_t depth = 0, start, end, commas = 0, level = 0, len = 1;
	const char *io;
	char *arg;

	/* aliases: #define A B, or #define A (B) */
	while (d && depth++ < 16) {
		const struct mdef *to = NULL;

		if (d->ntoks == 1)
			to = macro_defs__find(defs, d->toks[0]);
		else if (d->ntoks == 3 && !strcmp(d->toks[0], "(") && !strcmp(d->toks[2], ")"))
			to = macro_defs__find(defs, d->toks[1]);
		if (!to)
			break;
		d = to;
	}
	if (!d || d->ntoks < 4)
		return NULL;
	io = d->toks[0];
	if (strcmp(io, "_IO") && strcmp(io, "_IOR") && strcmp(io, "_IOW") && strcmp(io, "_IOWR"))
		return NULL;
	if (strcmp(d->toks[1], "(") || strcmp(d->toks[d->ntoks - 1], ")"))
		return NULL;
	if (!strcmp(io, "_IO"))
		return strdup("-");
	/* the third argument, at parenthesis level 1 */
	start = end = 0;
	for (size_t i = 2; i < d->ntoks - 1; i++) {
		const char *t = d->toks[i];

		if (!strcmp(t, "(") || !strcmp(t, "["))
			level++;
		else if (!strcmp(t, ")") || !strcmp(t, "]"))
			level--;
		else if (!strcmp(t, ",") && level == 0 && ++commas == 2)
			start = i + 1;
	}
	end = d->ntoks - 1;
	if (commas != 2 || start >= end)
		return NULL;
	for (size_t i = start; i < end; i++)
		len += strlen(d->toks[i]) + 1;
	arg = malloc(len);
	if (!arg)
		return NULL;
	arg[0] = '\0';
	for (size_t i = start; i < end; i++) {
		const char *t = d->toks[i];

		if (i > start && strcmp(t, "[") && strcmp(t, "]") && strcmp(d->toks[i - 1], "["))
			strcat(arg, " ");
		strcat(arg, t);
	}
	return arg;
}

/* Evaluation declarations of one parse: line i + 2 of its main file, named <prefix><i>,
 * evaluates cm->macros[map[i]] (map[i] < 0: not a macro of this translation unit). */
struct eval_ctx {
	struct cmodel *cm;
	const char *prefix;
	const ssize_t *map;
	size_t from, nmap;	/* the lines of this parse: from .. nmap - 1 */
	int error;	/* first failure (-errno) */
};

static struct cmacro *eval__macro(const struct eval_ctx *ec, size_t i)
{
	return i >= ec->from && i < ec->nmap && ec->map[i] >= 0 ? &ec->cm->macros[ec->map[i]] :
									    NULL;
}

static enum CXChildVisitResult eval__visit(CXCursor c, CXCursor p, CXClientData data)
{
	struct eval_ctx *ec = data;
	struct cmacro *m;
	CXEvalResult r;
	char *name;
	long i;
	(void)p;

	if (clang_getCursorKind(c) != CXCursor_VarDecl)
		return CXChildVisit_Continue;
	name = clang__strdup(clang_getCursorSpelling(c));
	if (!name || strncmp(name, ec->prefix, strlen(ec->prefix))) {
		free(name);
		return CXChildVisit_Continue;
	}
	i = strtol(name + strlen(ec->prefix), NULL, 10);
	free(name);
	m = eval__macro(ec, (size_t)i);
	if (!m || m->kind == CM_UNEVAL)
		return CXChildVisit_Continue;	/* not ours, or it has the compiler's reason */
	r = clang_Cursor_Evaluate(c);
	if (!r || clang_EvalResult_getKind(r) != CXEval_Int) {
		m->kind = CM_UNEVAL;
		m->reason = strdup("not an integer constant expression");
	} else if (m->kind == CM_IOCTL) {
		unsigned long long v = clang_EvalResult_getAsUnsigned(r);

		if (v > 0xffffffffull) {
			m->kind = CM_UNEVAL;
			m->reason = strdup("ioctl number does not fit 32 bits");
		} else {
			m->number = (uint32_t)v;
		}
	} else {
		m->is_unsigned = clang_EvalResult_isUnsignedInt(r);
		m->value = m->is_unsigned ? (int64_t)clang_EvalResult_getAsUnsigned(r) :
					    clang_EvalResult_getAsLongLong(r);
	}
	if (r)
		clang_EvalResult_dispose(r);
	if (m->kind == CM_UNEVAL && !m->reason)
		ec->error = -ENOMEM;
	return CXChildVisit_Continue;
}

/* Errors on evaluation lines become the macros' reasons; any other error fails (the
 * headers' own errors were already fatal in clang__parse). */
static int eval__diagnostics(struct eval_ctx *ec, CXTranslationUnit tu, char *err, size_t errlen)
{
	unsigned nd = clang_getNumDiagnostics(tu);

	for (unsigned i = 0; i < nd; i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		unsigned line = diag__main_line(d);
		struct cmacro *m;
		int ret = 0;

		if (clang_getDiagnosticSeverity(d) < CXDiagnostic_Error) {
			clang_disposeDiagnostic(d);
			continue;
		}
		if (line >= 2) {
			m = eval__macro(ec, line - 2);
			if (m && m->kind != CM_UNEVAL) {
				m->kind = CM_UNEVAL;
				m->reason = clang__strdup(clang_getDiagnosticSpelling(d));
				if (!m->reason)
					ret = -ENOMEM;
			}
		} else {
			CXString s = clang_formatDiagnostic(d, CXDiagnostic_DisplaySourceLocation |
							    CXDiagnostic_DisplayColumn);

			snprintf(err, errlen, "%s", clang_getCString(s));
			clang_disposeString(s);
			ret = -EINVAL;
		}
		clang_disposeDiagnostic(d);
		if (ret)
			return ret;
	}
	return 0;
}

static int eval__run(struct eval_ctx *ec, CXTranslationUnit tu, char *err, size_t errlen)
{
	int ret = eval__diagnostics(ec, tu, err, errlen);

	if (ret)
		return ret;
	clang_visitChildren(clang_getTranslationUnitCursor(tu), eval__visit, ec);
	if (ec->error)
		snprintf(err, errlen, "out of memory");
	return ec->error;
}

/* The macros the scan missed (or saw with another body): a second parse evaluates them. */
static int eval__fallback(struct cmodel *cm, CXIndex idx, const struct clang_args *a,
			  const ssize_t *todo, size_t n, char *err, size_t errlen)
{
	struct eval_ctx ec = { .cm = cm, .prefix = EVAL_PREFIX, .map = todo, .nmap = n };
	CXTranslationUnit etu = NULL;
	char *src = NULL;
	size_t srclen = 0;
	FILE *mf = open_memstream(&src, &srclen);
	int ret;

	if (!mf)
		return -ENOMEM;
	fprintf(mf, "#include <linux/kvm.h>\n");
	for (size_t i = 0; i < n; i++) {
		const char *name = cm->macros[todo[i]].name;

		fprintf(mf, EVAL_DECL_FMT, EVAL_PREFIX, i, name);
	}
	if (fclose(mf)) {
		free(src);
		return -ENOMEM;
	}
	ret = clang__parse(idx, a, src, true, &etu, err, errlen);
	if (!ret)
		ret = eval__run(&ec, etu, err, errlen);
	if (etu)
		clang_disposeTranslationUnit(etu);
	free(src);
	return ret;
}

int clang__load_macros(struct cmodel *cm, CXIndex idx, CXTranslationUnit tu,
		       CXTranslationUnit tu2, size_t from, const struct clang_args *a,
		       const struct prescan *ps, char *err, size_t errlen)
{
	struct macro_defs defs = { .by_name = HSET_INIT_STR };
	struct eval_ctx ec = { .cm = cm, .prefix = PRESCAN_PREFIX, .nmap = ps->n };
	ssize_t *map = NULL, *todo = NULL;
	size_t ntodo = 0;
	int ret;

	clang_visitChildren(clang_getTranslationUnitCursor(tu), macros__visit, &defs);
	if ((ret = defs.error) || (ret = macro_defs__index(&defs)))
		goto out_nomem;
	cm->macros = realloc(cm->macros, (cm->nmacros + defs.n + 1) * sizeof(*cm->macros));
	map = malloc((ps->n + 1) * sizeof(*map));
	todo = malloc((defs.n + 1) * sizeof(*todo));
	if (!cm->macros || !map || !todo) {
		ret = -ENOMEM;
		goto out_nomem;
	}
	for (size_t i = 0; i < ps->n; i++)
		map[i] = -1;
	for (size_t i = 0; i < defs.n; i++) {
		struct cmacro *m = &cm->macros[cm->nmacros];
		ssize_t p;

		memset(m, 0, sizeof(*m));
		m->name = strdup(defs.d[i].name);
		if (!m->name) {
			ret = -ENOMEM;
			goto out_nomem;
		}
		m->in_kvm_header = defs.d[i].in_kvm;
		m->kind = CM_INT;
		cm->nmacros++;
		if (literal__eval((const char *const *)defs.d[i].toks, defs.d[i].ntoks, &m->value,
				  &m->is_unsigned))
			continue;	/* a literal is no ioctl */
		m->arg = macro__ioctl_arg(&defs, &defs.d[i]);
		if (m->arg)
			m->kind = CM_IOCTL;
		p = prescan__find(ps, m->name);
		if (p >= 0 && ps->has_decl[p])
			map[p] = (ssize_t)(cm->nmacros - 1);
		else
			todo[ntodo++] = (ssize_t)(cm->nmacros - 1);
	}
	timing__mark("macros: collect");
	ec.map = map;
	ret = eval__run(&ec, tu, err, errlen);
	if (!ret && tu2) {
		ec.from = from;
		ret = eval__run(&ec, tu2, err, errlen);
	}
	if (!ret && ntodo)
		ret = eval__fallback(cm, idx, a, todo, ntodo, err, errlen);
	timing__mark("macros: evaluate");
	goto out;
out_nomem:
	snprintf(err, errlen, "out of memory");
out:
	free(map);
	free(todo);
	macro_defs__fini(&defs);
	return ret;
}
