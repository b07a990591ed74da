/* bench_floor.c - the least any libclang-based generator does for linux/kvm.h, for bench.sh to
 * time next to bindgen and kvmgate gen: load libclang (linked, so the dynamic loader does it
 * before main) and, unless --load-only, parse the headers once as gen's first unit does (the same
 * options, the preprocessing record kept) and visit every cursor. No macro is evaluated and
 * nothing is written: its time bounds what gen --no-dwarf can reach on this machine.
 *
 *   bench_floor [--load-only] CLANG_ARGS...     (e.g. -target x86_64-linux-gnu -isystem DIR)
 *
 * Prints the number of cursors visited; exit 1 when the headers do not parse. */
#include <stdio.h>
#include <string.h>

#include <clang-c/Index.h>

static enum CXChildVisitResult count(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)c;
	(void)parent;
	(*(unsigned long *)data)++;
	return CXChildVisit_Recurse;
}

int main(int argc, char **argv)
{
	static const char src[] = "#include <linux/kvm.h>\n";
	struct CXUnsavedFile main_file = { "kvmgate-floor.c", src, sizeof(src) - 1 };
	const char *args[64] = { "-x", "c", "-std=gnu11", "-ferror-limit=0",
				 "-fretain-comments-from-system-headers" };
	int nargs = 5, first = 1;
	unsigned long n = 0;
	CXTranslationUnit tu;
	CXIndex idx;

	if (argc > 1 && !strcmp(argv[1], "--load-only"))
		first = 2;
	for (int i = first; i < argc && nargs < 64; i++)
		args[nargs++] = argv[i];
	idx = clang_createIndex(0, 0);
	if (!idx)
		return 1;
	if (first == 2) {
		clang_disposeIndex(idx);
		printf("0 cursors (libclang loaded only)\n");
		return 0;
	}
	if (clang_parseTranslationUnit2(idx, main_file.Filename, args, nargs, &main_file, 1,
					CXTranslationUnit_DetailedPreprocessingRecord |
					CXTranslationUnit_SkipFunctionBodies, &tu) != CXError_Success) {
		fprintf(stderr, "bench_floor: libclang failed to parse\n");
		clang_disposeIndex(idx);
		return 1;
	}
	for (unsigned i = 0; i < clang_getNumDiagnostics(tu); i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		int bad = clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error;

		clang_disposeDiagnostic(d);
		if (bad) {
			fprintf(stderr, "bench_floor: the headers do not parse with these arguments\n");
			clang_disposeTranslationUnit(tu);
			clang_disposeIndex(idx);
			return 1;
		}
	}
	clang_visitChildren(clang_getTranslationUnitCursor(tu), count, &n);
	printf("%lu cursors\n", n);
	clang_disposeTranslationUnit(tu);
	clang_disposeIndex(idx);
	return 0;
}
