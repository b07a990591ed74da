/* clang_macros.c - the macros of the KVM headers, evaluated by the compiler itself: a body of
 * integer literals and operators (no name) is evaluated by C's rules here (literal.c); every
 * other object-like macro has a constant initialiser in the one parse (the evaluation
 * declarations clang_prescan.c put after the #include), or in a second parse for the macros the
 * scan missed, so that function-like macros such as _IOR(KVMIO, 0x81, struct kvm_regs) are
 * evaluated for the target exactly as C would; an ioctl the scan predicted has only its
 * argument's size declared, and its number put together here (clang_ioctl.c). Ioctls are told
 * apart and their argument type read from the tokens (through aliases); a macro the compiler
 * rejects keeps the compiler's reason. */
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
	bool dup;	/* its name has another definition too */
};

struct macro_defs {
	struct mdef *d;
	size_t n;
	/* asm-generic's _IO.., _IOC, _IOC_TYPECHECK: how often each is defined, and whether as
	 * asm-generic does (clang_ioctl.c) */
	unsigned fn_defs[IOCTL_NR_FNS];
	bool fn_canonical[IOCTL_NR_FNS];
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

/* A function-like definition: counted, and compared with asm-generic's, when it is one of the
 * ioctl macros (clang_ioctl.c); false when out of memory. */
static bool fn__visit(struct macro_defs *defs, CXCursor c)
{
	CXTranslationUnit tu = clang_Cursor_getTranslationUnit(c);
	char *name = clang__strdup(clang_getCursorSpelling(c)), **ts;
	CXToken *toks = NULL;
	unsigned ntoks = 0;
	int fn;
	bool ok = true;

	if (!name) {
		defs->error = -ENOMEM;
		return false;
	}
	for (fn = 0; fn < IOCTL_NR_FNS && strcmp(name, ioctl_fn_names[fn]); fn++)
		;
	free(name);
	if (fn == IOCTL_NR_FNS)
		return true;
	clang_tokenize(tu, clang_getCursorExtent(c), &toks, &ntoks);
	ts = calloc(ntoks + 1, sizeof(*ts));
	for (unsigned i = 0; ts && i < ntoks && ok; i++)
		ok = (ts[i] = clang__strdup(clang_getTokenSpelling(tu, toks[i]))) != NULL;
	if (!ts || !ok) {
		defs->error = -ENOMEM;
	} else {
		defs->fn_defs[fn]++;
		defs->fn_canonical[fn] = ioctl__fn_canonical(fn, (const char *const *)ts, ntoks);
	}
	for (unsigned i = 0; ts && i < ntoks; i++)
		free(ts[i]);
	free(ts);
	clang_disposeTokens(tu, toks, ntoks);
	return !defs->error;
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

	if (clang_getCursorKind(c) != CXCursor_MacroDefinition || clang_Cursor_isMacroBuiltin(c))
		return CXChildVisit_Continue;
	if (clang_Cursor_isMacroFunctionLike(c))
		return fn__visit(defs, c) ? CXChildVisit_Continue : CXChildVisit_Break;
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
		else
			defs->d[(uintptr_t)slot->value - 1].dup = defs->d[i].dup = true;
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

/* An ioctl macro the scan predicted (clang_ioctl.c): its macro and its use (whose tokens are
 * its definition's). */
struct fast_ioctl {
	size_t macro;
	struct ioctl_use u;
};

/* The scan's entry that predicted d, the definition of an ioctl macro the parse has: of d's
 * form, with d's argument; -1 when none did (or d is not one form of it). */
static ssize_t fast__entry(const struct prescan *ps, const struct mdef *d, struct ioctl_use *u)
{
	size_t first, end;

	if (d->dup || !ioctl__split((const char *const *)d->toks, d->ntoks, u))
		return -1;
	prescan__range(ps, d->name, &first, &end);
	for (size_t k = first; k < end; k++) {
		size_t i = ps->order[k];

		if (u->kind == IOCTL_IO ? ps->ioctl[i] == 1 :
		    ps->ioctl[i] == 2 && ioctl__arg_is((const char *const *)d->toks, u,
						       ps->ioctl_arg[i]))
			return (ssize_t)i;
	}
	return -1;
}

/* The scan's entry of name whose declaration evaluates the macro itself; -1 for none. */
static ssize_t full__entry(const struct prescan *ps, const char *name)
{
	size_t first, end;

	prescan__range(ps, name, &first, &end);
	for (size_t k = first; k < end; k++)
		if (ps->has_decl[ps->order[k]] && !ps->ioctl[ps->order[k]])
			return (ssize_t)ps->order[k];
	return -1;
}

/* The value of a token of an ioctl use: an integer literal, or the macro of one name defined
 * once whose value is known by now; false for anything else. */
static bool fast__value(const struct cmodel *cm, size_t base, const struct macro_defs *defs,
			const char *tok, uint64_t *v, bool *is_unsigned)
{
	const struct mdef *d;
	const struct cmacro *m;
	int64_t x;

	*is_unsigned = false;
	if (!literal__eval(&tok, 1, &x, is_unsigned)) {
		d = macro_defs__find(defs, tok);
		if (!d || d->dup)
			return false;
		m = &cm->macros[base + (size_t)(d - defs->d)];
		if (m->kind != CM_INT)
			return false;
		x = m->value;
		*is_unsigned = m->is_unsigned;
	}
	if (!*is_unsigned && x < 0)
		return false;
	*v = (uint64_t)x;
	return true;
}

/* What the headers' ioctl.h says (struct ioctl_frame); every fn_ok false when its directions
 * or shifts are not what the number can be put together from. */
static void fast__frame(const struct cmodel *cm, size_t base, const struct macro_defs *defs,
			struct ioctl_frame *f)
{
	static const char *const dirs[] = { "_IOC_NONE", "_IOC_READ", "_IOC_WRITE" };
	static const char *const shifts[IOCTL_NR_SHIFTS] = {
		[IOCTL_SHIFT_NR] = "_IOC_NRSHIFT", [IOCTL_SHIFT_TYPE] = "_IOC_TYPESHIFT",
		[IOCTL_SHIFT_SIZE] = "_IOC_SIZESHIFT", [IOCTL_SHIFT_DIR] = "_IOC_DIRSHIFT",
	};
	uint64_t v[3], sh = 0;
	bool u = false, ok = true, dir_unsigned = true;

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < 3 && ok; i++) {
		ok = fast__value(cm, base, defs, dirs[i], &v[i], &u) && v[i] < 4;
		dir_unsigned = ok && dir_unsigned && u;
	}
	for (size_t i = 0; i < IOCTL_NR_SHIFTS && ok; i++) {
		ok = fast__value(cm, base, defs, shifts[i], &sh, &u) && sh < 64;
		f->shift[i] = (unsigned)sh;
	}
	if (!ok)
		return;
	f->dir[IOCTL_IO] = v[0];
	f->dir[IOCTL_IOR] = v[1];
	f->dir[IOCTL_IOW] = v[2];
	f->dir[IOCTL_IOWR] = v[1] | v[2];
	f->dir_unsigned = dir_unsigned;
	for (int fn = 0; fn < IOCTL_NR_FNS; fn++)
		f->fn_ok[fn] = defs->fn_defs[fn] == 1 && defs->fn_canonical[fn];
}

/* The predicted ioctls' numbers, from the sizes their declarations gave; the ones that cannot
 * be put together here go back to the compiler (todo), as they were. */
static int fast__finish(struct cmodel *cm, size_t base, const struct macro_defs *defs,
			const struct fast_ioctl *fast, size_t nfast, ssize_t *todo, size_t *ntodo)
{
	struct ioctl_frame f;

	fast__frame(cm, base, defs, &f);
	for (size_t i = 0; i < nfast; i++) {
		struct cmacro *m = &cm->macros[fast[i].macro];
		uint64_t type, nr, number;
		bool u;

		/* (a failed size: the frame is checked with size 0, the number is not used) */
		if (!fast__value(cm, base, defs, fast[i].u.type, &type, &u) ||
		    !fast__value(cm, base, defs, fast[i].u.nr, &nr, &u) ||
		    !ioctl__number(&f, &fast[i].u, type, nr, fast[i].u.kind == IOCTL_IO ||
				   m->kind != CM_IOCTL ? 0 : m->number, &number)) {
			/* the compiler's whole expansion, and its reason if it fails */
			free(m->reason);
			m->reason = NULL;
			m->kind = CM_IOCTL;
			m->number = 0;
			todo[(*ntodo)++] = (ssize_t)fast[i].macro;
			continue;
		}
		if (m->kind == CM_UNEVAL)
			continue;	/* the argument's size failed: the compiler's reason, as before */
		if (number > 0xffffffffull) {
			m->kind = CM_UNEVAL;
			m->reason = strdup("ioctl number does not fit 32 bits");
			if (!m->reason)
				return -ENOMEM;
		} else {
			m->number = (uint32_t)number;
		}
	}
	return 0;
}

int clang__load_macros(struct cmodel *cm, CXIndex idx, CXTranslationUnit tu,
		       CXTranslationUnit tu2, size_t from, const struct clang_args *a,
		       const struct prescan *ps, char *err, size_t errlen)
{
	struct macro_defs defs = { .by_name = HSET_INIT_STR };
	struct eval_ctx ec = { .cm = cm, .prefix = PRESCAN_PREFIX, .nmap = ps->n };
	ssize_t *map = NULL, *todo = NULL;
	struct fast_ioctl *fast = NULL;
	size_t ntodo = 0, nfast = 0, base = cm->nmacros;
	int ret;

	clang_visitChildren(clang_getTranslationUnitCursor(tu), macros__visit, &defs);
	if ((ret = defs.error) || (ret = macro_defs__index(&defs)))
		goto out_nomem;
	cm->macros = realloc(cm->macros, (cm->nmacros + defs.n + 1) * sizeof(*cm->macros));
	map = malloc((ps->n + 1) * sizeof(*map));
	todo = malloc((defs.n + 1) * sizeof(*todo));
	fast = malloc((defs.n + 1) * sizeof(*fast));
	if (!cm->macros || !map || !todo || !fast) {
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
		if (literal__eval_body((const char *const *)defs.d[i].toks, defs.d[i].ntoks,
				       &m->value, &m->is_unsigned))
			continue;	/* a literal is no ioctl */
		m->arg = macro__ioctl_arg(&defs, &defs.d[i]);
		if (m->arg) {
			m->kind = CM_IOCTL;
			/* written _IOW(type, nr, arg) as the scan predicted: put together here */
			p = fast__entry(ps, &defs.d[i], &fast[nfast].u);
			if (p >= 0) {
				fast[nfast++].macro = cm->nmacros - 1;
				if (ps->ioctl[p] == 2)
					map[p] = (ssize_t)(cm->nmacros - 1);	/* its size */
				continue;
			}
		}
		p = full__entry(ps, m->name);
		if (p >= 0)
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
	if (!ret && (ret = fast__finish(cm, base, &defs, fast, nfast, todo, &ntodo)))
		snprintf(err, errlen, "out of memory");
	if (!ret && ntodo)
		ret = eval__fallback(cm, idx, a, todo, ntodo, err, errlen);
	timing__mark("macros: evaluate");
	goto out;
out_nomem:
	snprintf(err, errlen, "out of memory");
out:
	free(map);
	free(todo);
	free(fast);
	macro_defs__fini(&defs);
	return ret;
}
