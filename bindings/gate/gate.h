/* gate.h - `kvmgate gate`: the state the stages share (the chosen arches, the cases recorded so
 * far, the per-arch figures of the summary) and the stage runner's interface. Each stage is a
 * function of its own file that records one or more cases; the runner times it and prints its
 * progress line; the writers (JUnit, summary, HTML) read the recorded cases at the end. */
#ifndef KVMGATE_GATE_H
#define KVMGATE_GATE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "arch.h"
#include "diff.h"

enum gate_st { GATE_PASS, GATE_FAIL, GATE_SKIP, GATE_ERROR, GATE__NR };

enum gate_stage {
	GS_GEN, GS_COMPILER, GS_DWARF, GS_KERNEL, GS_CANDIDATE, GS_CONFORMANCE, GS_RUST, GS__NR
};

struct gate_case {
	size_t arch;		/* index into gate.arches */
	enum gate_stage stage;
	char *name;		/* "compiler", "kernel:host", "conformance/kvm_basic_test:regs" */
	enum gate_st st;
	char *msg;		/* one line */
	char *detail;		/* failure text (drift lines, console excerpt) or NULL */
	char *report;		/* a report file of the case, relative to the report folder, or NULL */
	double secs;
};

struct gate_arch {
	const struct arch_info *a;
	char dir[PATH_MAX + 64];	/* OUT/<arch>: generated bindings and drift reports */
	const char *candidate;		/* --bindings ARCH=FILE, or NULL */
	bool gen_ok;
	bool guest_ran;			/* the conformance stage booted the arch's guest */
	unsigned types, fields;		/* layouts of the manifest */
	unsigned kernel_min;		/* X*1000+Y of the headers (gen): the kernel stage compares
					 * with kernels of it or later (an older one lacks what came
					 * after it); 0: unknown, every kernel at hand */
	unsigned diff[DIFF__NR];	/* summed over the layout diffs */
	unsigned ioctl[3];		/* coverage: exercised, skipped, rejected */
	unsigned conf[GATE__NR];	/* conformance cases by result */
	double secs[GS__NR];
};

#define GATE_MAX_ARCHES 8

struct gate {
	const char *top;		/* the source tree (dwarf/kernel.allow, Makefile, vmimages/) */
	const char *self;		/* this kvmgate binary */
	const char *headers;		/* --headers DIR or NULL */
	const char *out;		/* report folder */
	bool guest, no_conformance, no_rust;
	unsigned timeout;		/* seconds for one spawned tool */
	struct gate_arch arches[GATE_MAX_ARCHES];
	size_t narch;
	struct gate_case *cases;
	size_t ncases, cap;
	bool oom;
	double total_secs;
};

/* ---- gate_run.c: recording and timing ---- */
/* Record a case of stage for arch ai; detail (may be NULL) is copied; fmt is the message. */
struct gate_case *gate__record(struct gate *g, size_t ai, enum gate_stage stage, const char *name,
			       enum gate_st st, const char *detail, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/* Free the recorded cases (not g itself). */
void gate__fini(struct gate *g);
/* Set a case's report file (relative to the report folder). */
void gate__set_report(struct gate *g, struct gate_case *c, const char *relpath);
/* Run one stage for arch ai, time it, print its progress line. */
typedef void (*gate_stage_fn)(struct gate *g, size_t ai);
void gate__run_stage(struct gate *g, size_t ai, enum gate_stage stage, gate_stage_fn fn);
const char *gate__stage_name(enum gate_stage s);
const char *gate__st_name(enum gate_st st);
double gate__now(void);
/* The first max bytes of a file, NUL-terminated (malloc'd), or NULL. */
char *gate__read_head(const char *path, size_t max);
/* Run argv and wait for it: stdout and stderr to log (path), stdin /dev/null, in a process
 * group of its own that is killed after g->timeout seconds or on a signal to the gate. 0 when it
 * exited 0, its exit status (>0) otherwise, -1 when it could not start or was killed (log then
 * says why). */
int gate__spawn(const struct gate *g, char *const argv[], const char *log);

/* ---- the stages ---- */
void gate_gen(struct gate *g, size_t ai);		/* gate_gen.c */
void gate_compiler(struct gate *g, size_t ai);		/* gate_compiler.c */
void gate_dwarf(struct gate *g, size_t ai);		/* gate_diff.c */
void gate_candidate(struct gate *g, size_t ai);		/* gate_diff.c */
void gate_kernel(struct gate *g, size_t ai);		/* gate_diff.c */
void gate_conformance(struct gate *g, size_t ai);	/* gate_conf.c */
void gate_rust(struct gate *g, size_t ai);		/* gate_rust.c */

/* ---- the reports ---- */
int gate__write_junit(const struct gate *g, const char *path);		/* gate_junit.c */
int gate__write_summary(const struct gate *g, FILE *f);		/* gate_summary.c */
int gate__write_html(const struct gate *g, const char *path);		/* gate_html.c */
/* The verdict: 0 pass, 1 something failed, 2 a tool or the input failed. */
int gate__verdict(const struct gate *g);

/* ---- gate.c ---- */
int gate__main(int argc, char **argv);

#endif
