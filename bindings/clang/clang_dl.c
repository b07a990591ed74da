/* clang_dl.c - libclang loaded at run time (dlopen), not by the dynamic loader before main.
 * Loading libclang and libLLVM is gen's largest fixed cost (about 20 ms here, most of it the
 * page faults of relocating them), and nothing of it depends on the command line: gen starts it
 * on a thread of its own (clang_dl__start) while it starts the DWARF probe's compiler and scans
 * the headers, and the first parse waits for it (clang_dl__open). Every libclang function
 * kvmgate calls (clang_fns.h) is defined here as a forwarder to the library's; Index.h's
 * prototypes check each definition. */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clang_internal.h"
#include "cmodel.h"
#include "tmpdir.h"

/* The build's libclang (the Makefile's CLANG_SONAME); the environment's KVMGATE_LIBCLANG, a
 * file or a name for the loader's search, replaces it (as bindgen's LIBCLANG_PATH does). */
#ifndef KVMGATE_LIBCLANG
#define KVMGATE_LIBCLANG "libclang.so"
#endif

enum {
#define CLANG_FN(ret, name, params, args) FN_##name,
#define CLANG_VOID_FN(name, params, args) FN_##name,
#include "clang_fns.h"
#undef CLANG_FN
#undef CLANG_VOID_FN
	FN__NR
};

static const char *const fn_names[FN__NR] = {
#define CLANG_FN(ret, name, params, args) #name,
#define CLANG_VOID_FN(name, params, args) #name,
#include "clang_fns.h"
#undef CLANG_FN
#undef CLANG_VOID_FN
};

/* The library and its functions: written by the loading thread before it ends, read after
 * pthread_join (or by the one thread that loaded synchronously). */
static struct {
	void *lib;
	void *fns[FN__NR];
	char err[256];		/* why loading failed ("" until it is tried) */
	int ret;		/* 0, or -ENOENT with err */
	bool loaded;		/* tried (ret says how it went) */
	bool started;		/* the thread runs (joined by clang_dl__open) */
	pthread_t thread;
} dl;

static void dl__load(void)
{
	const char *path = getenv("KVMGATE_LIBCLANG");
	void *h;

	if (!path || !*path)
		path = KVMGATE_LIBCLANG;
	h = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
	dl.loaded = true;
	if (!h) {
		snprintf(dl.err, sizeof(dl.err), "cannot load libclang: %s", dlerror());
		dl.ret = -ENOENT;
		return;
	}
	for (size_t i = 0; i < FN__NR; i++) {
		dl.fns[i] = dlsym(h, fn_names[i]);
		if (!dl.fns[i]) {
			snprintf(dl.err, sizeof(dl.err), "%s: no %s (libclang 19 or later is needed)",
				 path, fn_names[i]);
			dlclose(h);
			dl.ret = -ENOENT;
			return;
		}
	}
	dl.lib = h;
}

static void *dl__thread(void *arg)
{
	(void)arg;
	dl__load();
	return NULL;
}

void cmodel__preload(void)
{
	if (dl.started || dl.loaded)
		return;
	/* no thread (EAGAIN): the first parse loads it itself */
	dl.started = tmpdir__thread_create(&dl.thread, dl__thread, NULL) == 0;
}

void cmodel__preload_wait(void)
{
	if (dl.started) {
		pthread_join(dl.thread, NULL);	/* cannot fail: a joinable thread of ours */
		dl.started = false;
	}
}

int clang_dl__open(char *err, size_t errlen)
{
	cmodel__preload_wait();
	if (!dl.loaded)
		dl__load();
	if (dl.ret)
		snprintf(err, errlen, "%s", dl.err);
	return dl.ret;
}

/* The forwarders, in the order of clang_fns.h. */
#define CLANG_FN(ret, name, params, args) \
	ret name params { return ((ret (*) params)dl.fns[FN_##name]) args; }
#define CLANG_VOID_FN(name, params, args) \
	void name params { ((void (*) params)dl.fns[FN_##name]) args; }
#include "clang_fns.h"
#undef CLANG_FN
#undef CLANG_VOID_FN
