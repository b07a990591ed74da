/* conformance/x86g_blob.c - the x86_64 guest library's flat image (guest/x86_64/, built by its
 * build.mk) as data of the test program: x86g_blob[] .. x86g_blob_end[]. */
#if defined(__x86_64__)
#include "x86g_syms.h"

__asm__(".section .rodata\n"
	".balign 16\n"
	".globl x86g_blob, x86g_blob_end\n"
	"x86g_blob:\n"
	".incbin \"" X86G_BIN_PATH "\"\n"
	"x86g_blob_end:\n"
	".previous\n");
#endif
