/* clang_load.c - UAPI headers -> declaration tree (cmodel) through libclang: every struct,
 * union, enum and typedef of the translation unit of linux/kvm.h for the target arch, with
 * libclang's sizes, alignments and offsets; anonymous types keep their parent and their number
 * in it, from which rust/ names them as bindgen does. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "array.h"
#include "clang_internal.h"
#include "hset.h"
#include "source.h"
#include "timing.h"

struct clang_loader {
	struct cmodel *cm;
	struct hset by_usr;	/* USR (malloc'd) -> its ctype */
	struct hset listed;	/* USRs (of by_usr) whose type is in cm->types */
	unsigned anon_top;	/* bindgen's _bindgen_ty_N counter for anonymous file-scope enums */
	CXFile main;		/* the in-memory main file (its evaluation declarations) */
	int error;	/* first failure (-errno): the visitors stop */
};

static struct ctype *ld__new(struct clang_loader *ld, enum ctype_kind kind)
{
	struct cmodel *cm = ld->cm;
	struct ctype *t;

	if (ARRAY_GROW(cm->all, cm->nall, cm->capall, 512))
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->kind = kind;
	cm->all[cm->nall++] = t;
	return t;
}

/* The doc comment clang attaches to a declaration, or NULL (no comment, or out of memory). */
static char *ld__doc(CXCursor c)
{
	CXString s = clang_Cursor_getRawCommentText(c);
	const char *raw = clang_getCString(s);
	char *r = raw && *raw ? strdup(raw) : NULL;

	clang_disposeString(s);
	return r;
}

static void ld__layout(struct ctype *t, CXType ty)
{
	long long sz = clang_Type_getSizeOf(ty), al = clang_Type_getAlignOf(ty);

	t->size = sz > 0 ? (uint64_t)sz : 0;
	t->align = al > 0 ? (uint64_t)al : 1;
}

static struct ctype *ld__type(struct clang_loader *ld, CXType ty, struct ctype *parent, unsigned *anon_n);
static struct ctype *ld__decl(struct clang_loader *ld, CXCursor c, struct ctype *parent, unsigned *anon_n);

struct member_ctx {
	struct clang_loader *ld;
	struct ctype *t;
	unsigned anon_n;
};

/* Offset in bits of an anonymous member inside its parent: libclang gives offsets of named
 * fields only, so take the first named field below it (names are transparent for
 * clang_Type_getOffsetOf) and subtract its offset inside the anonymous aggregate. */
static int64_t ld__anon_offset(CXType parent, const struct ctype *anon, uint64_t inner)
{
	for (size_t i = 0; i < anon->nmembers; i++) {
		const struct cmember *m = &anon->members[i];
		long long off;

		if (!m->name) {
			off = ld__anon_offset(parent, m->type, inner + m->offset_bits);
			if (off >= 0)
				return off;
			continue;
		}
		off = clang_Type_getOffsetOf(parent, m->name);
		if (off >= 0)
			return off - (long long)(inner + m->offset_bits);
	}
	return -1;
}

static struct cmember *ld__new_member(struct member_ctx *mc)
{
	struct ctype *t = mc->t;
	struct cmember *m = realloc(t->members, (t->nmembers + 1) * sizeof(*m));

	if (!m) {
		mc->ld->error = -ENOMEM;
		return NULL;
	}
	t->members = m;
	m = &t->members[t->nmembers++];
	memset(m, 0, sizeof(*m));
	return m;
}

static enum CXChildVisitResult ld__member_visit(CXCursor c, CXCursor p, CXClientData data)
{
	struct member_ctx *mc = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	struct ctype *t = mc->t;
	struct cmember *m;
	int64_t off;

	if (k == CXCursor_PackedAttr) {
		t->packed = true;
		return CXChildVisit_Continue;
	}
	if ((k == CXCursor_StructDecl || k == CXCursor_UnionDecl) &&
	    clang_Cursor_isAnonymousRecordDecl(c)) {
		/* an anonymous member: libclang shows the record, not an implicit field */
		struct ctype *anon = ld__decl(mc->ld, c, t, &mc->anon_n);

		if (!anon || !(m = ld__new_member(mc)))
			return CXChildVisit_Break;
		m->type = anon;
		off = ld__anon_offset(clang_getCursorType(p), anon, 0);
		m->offset_bits = off > 0 ? (uint64_t)off : 0;
		return CXChildVisit_Continue;
	}
	if (k != CXCursor_FieldDecl)
		return CXChildVisit_Continue;
	if (!(m = ld__new_member(mc)))
		return CXChildVisit_Break;
	m->name = clang__strdup(clang_getCursorSpelling(c));
	if (!m->name) {
		mc->ld->error = -ENOMEM;
		return CXChildVisit_Break;
	}
	m->offset_bits = (uint64_t)clang_Cursor_getOffsetOfField(c);
	m->doc = ld__doc(c);
	if (clang_Cursor_isBitField(c)) {
		m->is_bitfield = true;
		m->bit_width = (unsigned)clang_getFieldDeclBitWidth(c);
	}
	m->type = ld__type(mc->ld, clang_getCursorType(c), t, &mc->anon_n);
	if (!m->type)
		return CXChildVisit_Break;
	return CXChildVisit_Continue;
}

static enum CXChildVisitResult ld__enum_visit(CXCursor c, CXCursor p, CXClientData data)
{
	struct member_ctx *mc = data;
	struct ctype *t = mc->t;
	struct cenumerator *e;
	(void)p;

	if (clang_getCursorKind(c) != CXCursor_EnumConstantDecl)
		return CXChildVisit_Continue;
	e = realloc(t->enumerators, (t->nenumerators + 1) * sizeof(*e));
	if (!e) {
		mc->ld->error = -ENOMEM;
		return CXChildVisit_Break;
	}
	t->enumerators = e;
	e = &t->enumerators[t->nenumerators++];
	e->name = clang__strdup(clang_getCursorSpelling(c));
	if (t->target && !t->target->is_signed)
		e->value = (int64_t)clang_getEnumConstantDeclUnsignedValue(c);
	else
		e->value = clang_getEnumConstantDeclValue(c);
	if (!e->name) {
		mc->ld->error = -ENOMEM;
		return CXChildVisit_Break;
	}
	return CXChildVisit_Continue;
}

/* The ctype of a declaration (struct/union/enum/typedef), created once per USR. parent and
 * anon_n name an anonymous aggregate as bindgen does: <parent>__bindgen_ty_<++*anon_n>. */
static struct ctype *ld__decl(struct clang_loader *ld, CXCursor c, struct ctype *parent, unsigned *anon_n)
{
	CXCursor def = clang_getCursorDefinition(c);
	enum CXCursorKind k;
	struct member_ctx mc = { .ld = ld };
	struct hset_slot *slot;
	struct ctype *t;
	char *usr;
	int added;

	if (!clang_Cursor_isNull(def))
		c = def;
	k = clang_getCursorKind(c);
	usr = clang__strdup(clang_getCursorUSR(c));
	if (usr && *usr && clang_Cursor_isAnonymous(c)) {
		/* anonymous aggregates from one macro (two __DECLARE_FLEX_ARRAY in a struct) share
		 * their spelling location, hence their USR: tell them apart by where they expand */
		CXSourceLocation loc = clang_getCursorLocation(c);
		unsigned off;
		char *u;
		CXFile f;

		clang_getExpansionLocation(loc, &f, NULL, NULL, &off);
		if (asprintf(&u, "%s@%u", usr, off) < 0)
			u = NULL;
		free(usr);
		usr = u;
	}
	if (!usr || !*usr) {
		/* no USR (should not happen for C declarations): key by location */
		CXSourceLocation loc = clang_getCursorLocation(c);
		unsigned line, col;
		CXFile f;

		free(usr);
		clang_getSpellingLocation(loc, &f, &line, &col, NULL);
		if (asprintf(&usr, "@%u:%u:%d", line, col, (int)k) < 0)
			usr = NULL;
	}
	if (!usr || (added = hset__insert(&ld->by_usr, usr, &slot)) < 0) {
		free(usr);
		ld->error = -ENOMEM;
		return NULL;
	}
	if (!added) {
		free(usr);
		return slot->value;
	}
	/* the set owns usr from here */
	t = ld__new(ld, k == CXCursor_TypedefDecl ? CT_TYPEDEF : k == CXCursor_UnionDecl ? CT_UNION :
		       k == CXCursor_EnumDecl ? CT_ENUM : CT_STRUCT);
	if (!t) {
		ld->error = -ENOMEM;
		return NULL;
	}
	slot->value = t;
	mc.t = t;
	t->in_kvm_header = clang__in_kvm_header(c);
	t->doc = ld__doc(c);
	if (k != CXCursor_TypedefDecl && clang_Cursor_isAnonymous(c)) {
		/* numbered in declaration order: inside their parent, or at file scope (enums) */
		if (parent && anon_n) {
			t->parent = parent;
			t->anon_index = ++*anon_n;
		} else if (k == CXCursor_EnumDecl) {
			t->anon_index = ++ld->anon_top;
		}
		/* else: typedef struct { } name; names it below */
	} else {
		t->name = clang__strdup(clang_getCursorSpelling(c));
		if (!t->name) {
			ld->error = -ENOMEM;
			return NULL;
		}
		if (k != CXCursor_TypedefDecl) {
			/* libclang spells `typedef struct { } x_t;` as x_t: it has no tag */
			char *ts = clang__strdup(clang_getTypeSpelling(clang_getCursorType(c)));

			if (ts && strncmp(ts, "struct ", 7) && strncmp(ts, "union ", 6) &&
			    strncmp(ts, "enum ", 5)) {
				t->typedef_name = t->name;
				t->name = NULL;
			}
			free(ts);
		}
	}
	ld__layout(t, clang_getCursorType(c));
	switch (k) {
	case CXCursor_TypedefDecl:
		t->complete = true;
		t->target = ld__type(ld, clang_getTypedefDeclUnderlyingType(c), NULL, NULL);
		if (t->target && !t->target->name && !t->target->typedef_name &&
		    !t->target->anon_index && !t->target->parent &&
		    (t->target->kind == CT_STRUCT || t->target->kind == CT_UNION ||
		     t->target->kind == CT_ENUM) && !(t->target->typedef_name = strdup(t->name)))
			ld->error = -ENOMEM;
		break;
	case CXCursor_EnumDecl:
		t->complete = clang_isCursorDefinition(c);
		t->target = ld__type(ld, clang_getEnumDeclIntegerType(c), NULL, NULL);
		clang_visitChildren(c, ld__enum_visit, &mc);
		break;
	default:
		t->complete = clang_isCursorDefinition(c);
		if (t->complete)
			clang_visitChildren(c, ld__member_visit, &mc);
		break;
	}
	return ld->error ? NULL : t;
}

static const struct {
	enum CXTypeKind kind;
	const char *name;
	bool is_signed;
	enum ctype_kind ck;
} builtins[] = {
	{ CXType_Void, "void", false, CT_VOID },
	{ CXType_Bool, "_Bool", false, CT_INT },
	{ CXType_Char_U, "char", false, CT_INT },
	{ CXType_Char_S, "char", true, CT_INT },
	{ CXType_UChar, "unsigned char", false, CT_INT },
	{ CXType_SChar, "signed char", true, CT_INT },
	{ CXType_UShort, "unsigned short", false, CT_INT },
	{ CXType_Short, "short", true, CT_INT },
	{ CXType_UInt, "unsigned int", false, CT_INT },
	{ CXType_Int, "int", true, CT_INT },
	{ CXType_ULong, "unsigned long", false, CT_INT },
	{ CXType_Long, "long", true, CT_INT },
	{ CXType_ULongLong, "unsigned long long", false, CT_INT },
	{ CXType_LongLong, "long long", true, CT_INT },
	{ CXType_UInt128, "unsigned __int128", false, CT_INT },
	{ CXType_Int128, "__int128", true, CT_INT },
	{ CXType_Float, "float", true, CT_FLOAT },
	{ CXType_Double, "double", true, CT_FLOAT },
	{ CXType_LongDouble, "long double", true, CT_FLOAT },
};

static struct ctype *ld__builtin(struct clang_loader *ld, CXType ty)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		char key[64], *owned;
		struct hset_slot *slot;
		struct ctype *t;

		if (builtins[i].kind != ty.kind)
			continue;
		snprintf(key, sizeof(key), "builtin:%d", (int)ty.kind);
		slot = hset__find(&ld->by_usr, key);
		if (slot)
			return slot->value;
		owned = strdup(key);
		if (!owned || hset__insert(&ld->by_usr, owned, &slot) < 0) {
			free(owned);
			goto nomem;
		}
		t = ld__new(ld, builtins[i].ck);
		if (!t)
			goto nomem;
		slot->value = t;
		t->name = strdup(builtins[i].name);
		if (!t->name)
			goto nomem;
		t->is_signed = builtins[i].is_signed;
		t->complete = true;
		ld__layout(t, ty);
		return t;
	}
	ld->error = -EINVAL;
	return NULL;
nomem:
	ld->error = -ENOMEM;
	return NULL;
}

static struct ctype *ld__type(struct clang_loader *ld, CXType ty, struct ctype *parent, unsigned *anon_n)
{
	struct ctype *t;

	switch (ty.kind) {
	case CXType_Elaborated:
		return ld__type(ld, clang_Type_getNamedType(ty), parent, anon_n);
	case CXType_Typedef:
	case CXType_Record:
	case CXType_Enum:
		return ld__decl(ld, clang_getTypeDeclaration(ty), parent, anon_n);
	case CXType_ConstantArray:
	case CXType_IncompleteArray:
		t = ld__new(ld, CT_ARRAY);
		if (!t)
			break;
		t->complete = true;
		t->nelems = ty.kind == CXType_ConstantArray ? clang_getArraySize(ty) : -1;
		t->target = ld__type(ld, clang_getArrayElementType(ty), parent, anon_n);
		if (!t->target)
			return NULL;
		if (t->nelems >= 0)
			ld__layout(t, ty);
		else
			t->align = t->target->align;
		return t;
	case CXType_Pointer:
		t = ld__new(ld, CT_POINTER);
		if (!t)
			break;
		t->complete = true;
		ld__layout(t, ty);
		t->target = ld__type(ld, clang_getPointeeType(ty), parent, anon_n);
		return t->target ? t : NULL;
	case CXType_FunctionProto:
	case CXType_FunctionNoProto:
		/* behind a pointer (a handler typedef): target = result, members = parameters */
		t = ld__new(ld, CT_FUNCTION);
		if (!t)
			break;
		t->complete = true;
		t->target = ld__type(ld, clang_getResultType(ty), NULL, NULL);
		if (!t->target)
			return NULL;
		for (int i = 0, n = clang_getNumArgTypes(ty); i < n; i++) {
			struct cmember *m = realloc(t->members, (t->nmembers + 1) * sizeof(*m));

			if (!m) {
				ld->error = -ENOMEM;
				return NULL;
			}
			t->members = m;
			m = &t->members[t->nmembers];
			memset(m, 0, sizeof(*m));
			m->type = ld__type(ld, clang_getArgType(ty, (unsigned)i), NULL, NULL);
			if (!m->type)
				return NULL;
			t->nmembers++;
		}
		return t;
	default:
		return ld__builtin(ld, ty);
	}
	ld->error = -ENOMEM;
	return NULL;
}

static int ld__list(struct clang_loader *ld, CXCursor c, struct ctype *t)
{
	struct cmodel *cm = ld->cm;
	struct hset_slot *slot;
	char *usr = clang__strdup(clang_getCursorUSR(clang_Cursor_isNull(clang_getCursorDefinition(c)) ?
						c : clang_getCursorDefinition(c)));
	struct ctype **n;
	int added;

	if (!usr)
		return -ENOMEM;
	slot = *usr ? hset__find(&ld->by_usr, usr) : NULL;
	free(usr);
	if (slot) {
		added = hset__add(&ld->listed, slot->key);
		if (added <= 0)
			return added;
	} else {
		for (size_t i = 0; i < cm->ntypes; i++)
			if (cm->types[i] == t)
				return 0;
	}
	n = realloc(cm->types, (cm->ntypes + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	cm->types = n;
	cm->types[cm->ntypes++] = t;
	return 0;
}

/* Expanded in the main file (a `struct x` that a macro body names there)? */
static bool ld__in_main_file(const struct clang_loader *ld, CXCursor c)
{
	CXFile f;

	clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
	return f && ld->main && clang_File_isEqual(f, ld->main);
}

static enum CXChildVisitResult ld__top_visit(CXCursor c, CXCursor p, CXClientData data)
{
	struct clang_loader *ld = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	bool top = clang_getCursorKind(p) == CXCursor_TranslationUnit;
	struct ctype *t;

	/* the main file holds only the macros' evaluation declarations: a `struct x` they name
	 * is not a declaration of the headers */
	if (ld__in_main_file(ld, c))
		return CXChildVisit_Continue;

	switch (k) {
	case CXCursor_StructDecl:
	case CXCursor_UnionDecl:
	case CXCursor_EnumDecl:
		if (clang_Cursor_isAnonymous(c) && !(top && k == CXCursor_EnumDecl))
			return k == CXCursor_EnumDecl ? CXChildVisit_Continue : CXChildVisit_Recurse;
		/* fall through */
	case CXCursor_TypedefDecl:
		t = ld__decl(ld, c, NULL, NULL);
		if (!t || (ld->error = ld__list(ld, c, t)))
			return CXChildVisit_Break;
		return k == CXCursor_StructDecl || k == CXCursor_UnionDecl ? CXChildVisit_Recurse :
									     CXChildVisit_Continue;
	default:
		return CXChildVisit_Continue;
	}
}

/* "6.1.187" from linux/version.h of the include dirs, or NULL. */
static char *headers__version(char **dirs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char path[4096], line[256];
		long maj = -1, min = -1, sub = -1;
		char *r = NULL;
		FILE *f;

		snprintf(path, sizeof(path), "%s/linux/version.h", dirs[i]);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			sscanf(line, "#define LINUX_VERSION_MAJOR %ld", &maj);
			sscanf(line, "#define LINUX_VERSION_PATCHLEVEL %ld", &min);
			sscanf(line, "#define LINUX_VERSION_SUBLEVEL %ld", &sub);
		}
		fclose(f);
		if (maj >= 0 && min >= 0 && asprintf(&r, "%ld.%ld.%ld", maj, min, sub < 0 ? 0 : sub) < 0)
			r = NULL;
		return r;
	}
	return NULL;
}

int cmodel__load_headers(struct cmodel *cm, const char *arch, const char *headers,
			 const char *kernel, char *err, size_t errlen)
{
	struct clang_loader ld = { .cm = cm, .by_usr = HSET_INIT_STR, .listed = HSET_INIT_PTR };
	struct prescan ps = { 0 };
	struct clang_split sp = { 0 };
	const char *triple = arch__triple(arch);
	const char *argv[32];
	struct clang_args a = { .argv = argv };
	CXTranslationUnit tu = NULL;
	CXIndex idx = NULL;
	size_t ndirs = 0, srclen = 0;
	char **dirs = NULL, *mine = NULL;
	int ret;

	memset(cm, 0, sizeof(*cm));
	ret = headers__include_dirs(arch, headers, &dirs, &ndirs, err, errlen);
	if (ret)
		return ret;
	for (size_t i = 0; i < ndirs; i++)
		srclen += strlen(dirs[i]) + 1;
	cm->arch = strdup(arch);
	cm->source = malloc(srclen + 16);
	cm->kernel = kernel ? strdup(kernel) : headers__version(dirs, ndirs);
	if (!cm->arch || !cm->source || (!cm->kernel && !(cm->kernel = strdup("unknown")))) {
		ret = -ENOMEM;
		goto out;
	}
	strcpy(cm->source, "headers ");
	for (size_t i = 0; i < ndirs; i++) {
		if (i)
			strcat(cm->source, ":");
		strcat(cm->source, dirs[i]);
	}
	argv[a.argc++] = "-x";
	argv[a.argc++] = "c";
	argv[a.argc++] = "-std=gnu11";
	argv[a.argc++] = "-target";
	argv[a.argc++] = triple;
	argv[a.argc++] = "-nostdinc";
	argv[a.argc++] = "-ferror-limit=0";
	argv[a.argc++] = "-fretain-comments-from-system-headers";
	for (size_t i = 0; i < ndirs && a.argc < 30; i++) {
		argv[a.argc++] = "-isystem";
		argv[a.argc++] = dirs[i];
	}
	timing__mark("start");
	/* KVMGATE_NO_PRESCAN: every macro through the second parse (the suite checks both agree) */
	ret = prescan__run(&ps, dirs, getenv("KVMGATE_NO_PRESCAN") ? 0 : ndirs);
	if (ret) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	timing__mark("prescan");
	/* all of the above runs while libclang loads (cmodel__preload), if it was started */
	ret = clang_dl__open(err, errlen);
	if (ret)
		goto out;
	timing__mark("libclang loaded");
	idx = clang_createIndex(0, 0);
	if (!idx) {
		snprintf(err, errlen, "libclang: cannot create an index");
		ret = -EIO;
		goto out;
	}
	timing__mark("index");
	/* one parse: the headers, then an evaluation declaration for each macro the scan found;
	 * on two threads, each with half of the declarations */
	ret = clang_split__start(&sp, &a, &ps, &mine);
	if (ret) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ret = clang__parse(idx, &a, mine ? mine : ps.src, true, &tu, err, errlen);
	if (ret)
		goto out;
	timing__mark("parse");
	ld.main = clang_getFile(tu, CLANG_MAIN_FILE);
	clang_visitChildren(clang_getTranslationUnitCursor(tu), ld__top_visit, &ld);
	timing__mark("types");
	ret = ld.error;
	if (ret) {
		snprintf(err, errlen, "%s: %s", cm->source, ret == -ENOMEM ? "out of memory" :
			 "unsupported type in a declaration");
		goto out;
	}
	ret = clang_split__join(&sp, err, errlen);
	if (!ret)
		ret = clang_split__check(&sp, idx, tu, ps.src, err, errlen);
	timing__mark("parse: the later half");
	if (!ret)
		ret = clang__load_macros(cm, idx, tu, sp.tu, sp.cut, &a, &ps, err, errlen);
	timing__mark("macros");
out:
	clang_split__fini(&sp);
	free(mine);
	if (tu)
		clang_disposeTranslationUnit(tu);
	if (idx)
		clang_disposeIndex(idx);
	prescan__fini(&ps);
	hset__free_keys(&ld.by_usr);
	hset__fini(&ld.by_usr);
	hset__fini(&ld.listed);
	for (size_t i = 0; i < ndirs; i++)
		free(dirs[i]);
	free(dirs);
	if (ret)
		cmodel__fini(cm);
	return ret;
}

static bool headers_source__probe(const char *path)
{
	char p[4096];
	FILE *f;

	snprintf(p, sizeof(p), "%s/include/linux/kvm.h", path);
	f = fopen(p, "r");
	if (!f) {
		snprintf(p, sizeof(p), "%s/linux/kvm.h", path);
		f = fopen(p, "r");
	}
	if (f)
		fclose(f);
	return f != NULL;
}

static int headers_source__load(struct manifest *m, const char *path, const struct source_opts *o,
				char *err, size_t errlen)
{
	struct cmodel cm;
	int ret;

	/* the same tree compiles differently per target: never guess the arch */
	if (!o || !o->arch) {
		snprintf(err, errlen, "%s: a headers tree needs --arch (%s)", path ? path : "headers",
			 arch__expected());
		return -EINVAL;
	}
	ret = cmodel__load_headers(&cm, o->arch, path, o->kernel, err, errlen);
	if (ret)
		return ret;
	ret = cmodel__flatten(&cm, m);
	if (ret)
		snprintf(err, errlen, "%s: out of memory", path);
	cmodel__fini(&cm);
	return ret;
}

const struct source_ops headers_source_ops = {
	.name = "headers",
	.probe = headers_source__probe,
	.load = headers_source__load,
};
