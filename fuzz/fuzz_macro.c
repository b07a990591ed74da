/* fuzz_macro.c - libFuzzer harness of what reads a #define's body as text or tokens without the
 * compiler: the text scan's verdict on a body (clang_prescan.c, cutting it into tokens), the
 * ioctl form it predicts (clang_ioctl.c), and the evaluator of literal expressions (literal.c)
 * on the input cut at spaces, as libclang's tokens. UBSan's checks matter most here: the
 * evaluator must refuse every signed overflow rather than commit one. */
#include <stdlib.h>
#include <string.h>

#include "clang_internal.h"
#include "fuzz.h"
#include "literal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz__text(data, size), arg[256], *save = NULL;
	const char *toks[128];
	size_t n = 0;
	int64_t v;
	bool u;
	int kind;

	prescan__body_evaluates(text);
	kind = ioctl__scan_body(text, arg, sizeof(arg));
	/* a sized prediction names its argument: tokens joined by one space */
	if (kind == 2 && (!*arg || arg[0] == ' ' || strstr(arg, "  ") || arg[strlen(arg) - 1] == ' '))
		abort();
	for (char *t = strtok_r(text, " \t\n", &save); t && n < 128; t = strtok_r(NULL, " \t\n", &save))
		toks[n++] = t;
	/* the same tokens, the same answer */
	if (literal__eval_expr(toks, n, &v, &u)) {
		int64_t v2;
		bool u2;

		if (!literal__eval_expr(toks, n, &v2, &u2) || v2 != v || u2 != u)
			abort();
	}
	free(text);
	return 0;
}
