/* clang_internal.h - shared between the libclang loader's two halves: declarations
 * (clang_load.c) and macros (clang_macros.c). Not part of the model's interface. */
#ifndef KVMGATE_CLANG_INTERNAL_H
#define KVMGATE_CLANG_INTERNAL_H

#include <clang-c/Index.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#include "errbuf.h"

#include "cmodel.h"

/* The in-memory main file of every parse: #include <linux/kvm.h>, then evaluation lines. */
#define CLANG_MAIN_FILE "kvmgate-main.c"

struct clang_args {
	const char **argv;
	int argc;
};

/* clang_dl.c: load libclang (once; every later call returns 0). 0, or -ENOENT with err filled. */
int clang_dl__open(char *err, size_t errlen);

/* A malloc'd copy of a libclang string, which it disposes ("" for none); NULL: out of memory. */
char *clang__strdup(CXString s);

/* Parse `src` (an in-memory main file) with args; on failure fills err and returns -EINVAL.
 * When fatal_errors is true, any error diagnostic fails the parse ("FILE:LINE:COL: message"). */
int clang__parse(CXIndex idx, const struct clang_args *a, const char *src, bool fatal_errors,
		 CXTranslationUnit *tu, char *err, size_t errlen);
/* True when the cursor is spelled in linux/kvm.h or asm/kvm.h. */
bool clang__in_kvm_header(CXCursor c);

#define PRESCAN_PREFIX "kvmgate__p"

/* The evaluation declaration of a macro (printf: prefix, index, name): its value as C computes
 * it, integer-promoted (+ 0) so that the type says the signedness C gives it. The body expands
 * once (__auto_type, not __typeof__ of a second copy: the expansion of an ioctl number is most
 * of the parse), and in double parentheses, so that a body that is a type name is no cast of
 * "+ 0" but an error, as it is in C. */
#define EVAL_DECL_FMT "static const __auto_type %s%zu = ((%s)) + 0;\n"

/* The evaluation declaration of an ioctl macro the text scan predicted (clang_ioctl.c): the
 * size of its argument (printf: prefix, index, the argument's type name). */
#define EVAL_SIZE_FMT "static const __auto_type %s%zu = sizeof(%s);\n"

/* clang_ioctl.c: ioctl numbers from their parts, not from the compiler's _IOC expansion. */
enum { IOCTL_IO, IOCTL_IOR, IOCTL_IOW, IOCTL_IOWR, IOCTL_IOC, IOCTL_TYPECHECK, IOCTL_NR_FNS };
enum { IOCTL_SHIFT_NR, IOCTL_SHIFT_TYPE, IOCTL_SHIFT_SIZE, IOCTL_SHIFT_DIR, IOCTL_NR_SHIFTS };
extern const char *const ioctl_fn_names[IOCTL_NR_FNS];
/* What the headers' ioctl.h says: which function-like macros are asm-generic's, the
 * directions (_IOC_NONE, _IOC_READ, _IOC_WRITE, both) and the shifts. */
struct ioctl_frame {
	bool fn_ok[IOCTL_NR_FNS];
	uint64_t dir[IOCTL_IOWR + 1];
	bool dir_unsigned;	/* the directions are unsigned (0U, 1U, 2U) */
	unsigned shift[IOCTL_NR_SHIFTS];
};
/* One use, _IOW(type, nr, arg): which macro, the type and nr tokens, the arg's tokens. */
struct ioctl_use {
	int kind;
	const char *type, *nr;
	size_t arg_first, arg_end;
};
/* A text body (after the name): 0 when it is no one-line ioctl form, 1 for _IO(type, nr), 2 for
 * a sized one, with its argument's type name, normalized, in arg. */
int ioctl__scan_body(const char *body, char *arg, size_t arglen);
/* Whether toks (name, parameters, body) is asm-generic's definition of ioctl_fn_names[fn]. */
bool ioctl__fn_canonical(int fn, const char *const *toks, size_t ntoks);
/* A macro body's tokens as one ioctl use (type and nr one token each); false otherwise. */
bool ioctl__split(const char *const *toks, size_t ntoks, struct ioctl_use *u);
/* Whether the use's arg tokens are the scan's normalized text. */
bool ioctl__arg_is(const char *const *toks, const struct ioctl_use *u, const char *text);
/* The number of the use with these values (size 0 for _IO); false where the frame does not
 * hold for it or a value is out of the range computed here (the compiler evaluates it then). */
bool ioctl__number(const struct ioctl_frame *f, const struct ioctl_use *u, uint64_t type,
		   uint64_t nr, uint64_t size, uint64_t *number);

/* clang_prescan.c: the object-like macro names of the headers reachable from linux/kvm.h, read
 * as text; src is the main file to parse: line 1 includes linux/kvm.h, line i + 2 holds the
 * evaluation declaration PRESCAN_PREFIX<i> of names[i] (empty for a literal). */
struct prescan {
	char **names;
	bool *has_decl;	/* names[i] has an evaluation declaration (not a literal) */
	unsigned char *ioctl;	/* ioctl__scan_body's prediction: 0, 1 (_IO: no declaration) or 2
				 * (a sized one: the declaration is the argument's size) */
	char **ioctl_arg;	/* 2: the argument's type name, normalized; else NULL */
	unsigned *weight;	/* its share of the parse's cost (0 for none), for clang_split.c */
	size_t n, cap;
	size_t *order;	/* indices sorted by name */
	char *src;
	size_t srclen;
};
int prescan__run(struct prescan *ps, char **dirs, size_t ndirs);
/* Whether a #define's body text (after the name, up to the newline) needs no evaluation
 * declaration: empty, or one that literal.c evaluates (its first line cut into tokens). */
bool prescan__body_evaluates(const char *body);
/* The entries of name, as a range of ps->order: [*first, *end) (empty when none). */
void prescan__range(const struct prescan *ps, const char *name, size_t *first, size_t *end);
void prescan__fini(struct prescan *ps);

/* clang_split.c: the parse on two threads. clang_split__start gives the evaluation
 * declarations from sp->cut on to a second translation unit parsed by a thread, and sets *mine
 * (malloc'd) to the main file the caller parses (the declarations before); with few
 * declarations, KVMGATE_NO_SPLIT set, or no thread, *mine is NULL and the caller parses
 * ps->src alone. clang_split__join waits for the thread: 0, or its parse's error (err filled).
 * clang_split__check then compares the two units (first: the caller's): when an earlier line
 * would have changed what a later one sees, sp->tu becomes one parse of src, all the lines
 * (sp->whole). In the end, the evaluation lines from sp->cut on are read from sp->tu.
 * clang_split__fini joins and frees. */
struct clang_split {
	CXIndex idx;
	CXTranslationUnit tu;
	size_t cut;
	bool whole;
	const struct clang_args *a;
	char *src;
	pthread_t thread;
	bool started;
	int ret;
	char err[ERRBUF_SIZE];
};
int clang_split__start(struct clang_split *sp, const struct clang_args *a,
		       const struct prescan *ps, char **mine);
int clang_split__join(struct clang_split *sp, char *err, size_t errlen);
int clang_split__check(struct clang_split *sp, CXIndex idx, CXTranslationUnit first,
		       const char *src, char *err, size_t errlen);
void clang_split__fini(struct clang_split *sp);

/* clang_macros.c: every object-like macro of tu, evaluated: integer literals directly, the
 * others through the evaluation declarations ps put into tu's main file, and those the scan
 * missed through a second parse; tu2 (or NULL): the second unit of a split parse, whose
 * evaluation lines from index `from` on replace tu's. Results appended to cm->macros. 0 or -errno (err filled). */
int clang__load_macros(struct cmodel *cm, CXIndex idx, CXTranslationUnit tu,
		       CXTranslationUnit tu2, size_t from, const struct clang_args *a,
		       const struct prescan *ps, char *err, size_t errlen);

#endif
