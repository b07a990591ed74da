/* rust_types.c - the one table of C builtin types and their Rust spellings, read both ways: the
 * writer spells a C type as bindgen does (`unsigned int` -> `::std::os::raw::c_uint`), the
 * reader takes a Rust primitive back to C with its size and alignment (LP64: x86_64, arm64). */
#include <string.h>

#include "rust.h"

#define RAW "::std::os::raw::"

/* Rows the writer uses come first for their C name; the reader takes the first row of a Rust
 * name. */
static const struct rust_builtin builtins[] = {
	{ RAW "c_char", "char", 1, 1, false, true },
	{ RAW "c_schar", "signed char", 1, 1, false, true },
	{ RAW "c_uchar", "unsigned char", 1, 1, true, true },
	{ RAW "c_short", "short", 2, 2, false, true },
	{ RAW "c_ushort", "unsigned short", 2, 2, true, true },
	{ RAW "c_int", "int", 4, 4, false, true },
	{ RAW "c_uint", "unsigned int", 4, 4, true, true },
	{ RAW "c_long", "long", 8, 8, false, true },
	{ RAW "c_ulong", "unsigned long", 8, 8, true, true },
	{ RAW "c_longlong", "long long", 8, 8, false, true },
	{ RAW "c_ulonglong", "unsigned long long", 8, 8, true, true },
	{ RAW "c_float", "float", 4, 4, false, false },
	{ RAW "c_double", "double", 8, 8, false, false },
	{ RAW "c_void", "void", 0, 1, false, false },
	{ "bool", "_Bool", 1, 1, true, true },
	{ "bool", "bool", 1, 1, true, true },
	{ "u8", "unsigned char", 1, 1, true, false },
	{ "i8", "signed char", 1, 1, false, false },
	{ "u16", "unsigned short", 2, 2, true, false },
	{ "i16", "short", 2, 2, false, false },
	{ "u32", "unsigned int", 4, 4, true, false },
	{ "i32", "int", 4, 4, false, false },
	{ "u64", "unsigned long long", 8, 8, true, false },
	{ "i64", "long long", 8, 8, false, false },
	{ "u128", "unsigned __int128", 16, 16, true, true },
	{ "i128", "__int128", 16, 16, false, true },
	{ "usize", "unsigned long", 8, 8, true, false },
	{ "isize", "long", 8, 8, false, false },
	{ "f32", "float", 4, 4, false, true },
	{ "f64", "double", 8, 8, false, true },
};

/* The last segment of a Rust path ("c_uint" of "::std::os::raw::c_uint"). */
static const char *path__last(const char *p)
{
	const char *s = strrchr(p, ':');

	return s ? s + 1 : p;
}

const struct rust_builtin *rust_builtin__by_rust(const char *name)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(path__last(builtins[i].rust), name))
			return &builtins[i];
	return NULL;
}

const char *rust_builtin__of_c(const char *cname)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (builtins[i].written && !strcmp(builtins[i].c, cname))
			return builtins[i].rust;
	return NULL;
}
