/* rust_fmt.c - the line shapes rustfmt gives bindgen's items, and a small string builder.
 *
 * Only rustfmt's default widths matter here: a line is at most 100 columns, and the arguments of a
 * call or macro stay on one line only when they take at most 60 columns; otherwise they go one per
 * line, indented by four more. Where rustfmt gives up (a string literal too long for any layout),
 * it leaves the macro's tokens as bindgen printed them (`write ! (f , "..." , self . x)`).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rust_fmt.h"

#define FMT_MAX_WIDTH 100
#define FMT_CALL_WIDTH 60

void fmt__put(FILE *out, struct sbuf *sb)
{
	fputs(sbuf__str(sb), out);
	sbuf__fini(sb);
}

/* A Rust string literal's body: what proc_macro2 escapes (quotes, backslashes, control). */
static void fmt__str_body(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c == '\r')
			fputs("\\r", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u{%x}", c);
		else
			fputc(c, out);
	}
}

static bool line__blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

void fmt__doc(FILE *out, unsigned indent, const char *raw)
{
	size_t len = strlen(raw), nlines = 0, cap = 0;
	struct { const char *s; size_t n; } *lines = NULL, *grown;
	const char *p, *end;
	bool multi = len >= 2 && raw[0] == '/' && raw[1] == '*';

	/* block comment: markers off both ends (`/` then `*` at the end, `/` at the start) */
	p = raw;
	end = raw + len;
	while (end > p && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (multi) {
		while (p < end && *p == '/')
			p++;
		while (end > p && end[-1] == '/')
			end--;
		while (end > p && end[-1] == '*')
			end--;
	}
	while (p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *ls = p, *le = nl ? nl : end;

		while (ls < le && (*ls == ' ' || *ls == '\t' || *ls == '\r'))
			ls++;
		while (le > ls && (le[-1] == ' ' || le[-1] == '\t' || le[-1] == '\r'))
			le--;
		if (multi) {
			while (ls < le && *ls == '*')
				ls++;
			while (ls < le && *ls == '!')
				ls++;
		} else {
			while (ls < le && *ls == '/')	/* `///` lines: every line kept */
				ls++;
		}
		if (nlines || !multi || !line__blank(ls, (size_t)(le - ls))) {
			if (nlines == cap) {
				cap = cap ? cap * 2 : 16;
				grown = realloc(lines, cap * sizeof(*lines));
				if (!grown) {
					free(lines);
					return;
				}
				lines = grown;
			}
			lines[nlines].s = ls;
			lines[nlines].n = (size_t)(le - ls);
			nlines++;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	if (multi && nlines && (line__blank(lines[nlines - 1].s, lines[nlines - 1].n) ||
				(lines[nlines - 1].n == 1 && lines[nlines - 1].s[0] == '/')))
		nlines--;
	for (size_t i = 0; i < nlines; i++) {
		fprintf(out, "%*s#[doc = \"", (int)indent, "");
		fmt__str_body(out, lines[i].s, lines[i].n);
		fputs("\"]\n", out);
	}
	free(lines);
}

void fmt__field(FILE *out, const char *name, const char *type)
{
	fprintf(out, "    pub %s: %s,\n", name, type);
}

void fmt__const(FILE *out, const char *name, const char *type, const char *value)
{
	size_t len = strlen("pub const : = ;") + strlen(name) + strlen(type) + strlen(value);

	if (len <= FMT_MAX_WIDTH)
		fprintf(out, "pub const %s: %s = %s;\n", name, type, value);
	else
		fprintf(out, "pub const %s: %s =\n    %s;\n", name, type, value);
}

void fmt__type_alias(FILE *out, const char *name, const char *type)
{
	size_t len = strlen("pub type  = ;") + strlen(name) + strlen(type);

	if (len <= FMT_MAX_WIDTH)
		fprintf(out, "pub type %s = %s;\n", name, type);
	else
		fprintf(out, "pub type %s =\n    %s;\n", name, type);
}

/* A concat!(...) of string literals and stringify!(...) pieces, as the last argument of an
 * assert_eq! whose arguments start at column `indent`. */
static void fmt__concat(FILE *out, unsigned indent, const char *const *parts, size_t n)
{
	size_t width = 0;

	for (size_t i = 0; i < n; i++)
		width += strlen(parts[i]) + (i ? 2 : 0);
	if (width <= FMT_CALL_WIDTH && indent + strlen("concat!()") + width <= FMT_MAX_WIDTH) {
		fprintf(out, "%*sconcat!(", (int)indent, "");
		for (size_t i = 0; i < n; i++)
			fprintf(out, "%s%s", i ? ", " : "", parts[i]);
		fputs(")\n", out);
		return;
	}
	fprintf(out, "%*sconcat!(\n", (int)indent, "");
	for (size_t i = 0; i < n; i++) {
		const char *comma = i + 1 < n ? "," : "";
		size_t l = strlen(parts[i]);

		if (indent + 4 + l + strlen(comma) > FMT_MAX_WIDTH && !strncmp(parts[i], "stringify!(", 11))
			fprintf(out, "%*sstringify!(\n%*s%.*s\n%*s)%s\n", (int)indent + 4, "",
				(int)indent + 8, "", (int)(l - 12), parts[i] + 11, (int)indent + 4, "",
				comma);
		else
			fprintf(out, "%*s%s%s\n", (int)indent + 4, "", parts[i], comma);
	}
	fprintf(out, "%*s)\n", (int)indent, "");
}

void fmt__assert_size(FILE *out, const char *fn, const char *label, const char *type,
		      uint64_t value)
{
	char lit[64], *str;
	const char *parts[2];
	size_t n = strlen(type) + 16;

	str = malloc(n);
	if (!str)
		return;
	snprintf(lit, sizeof(lit), "\"%s\"", label);
	snprintf(str, n, "stringify!(%s)", type);
	parts[0] = lit;
	parts[1] = str;
	if (8 + strlen("::std::mem::::<>(),") + strlen(fn) + strlen(type) <= FMT_MAX_WIDTH)
		fprintf(out, "    assert_eq!(\n        ::std::mem::%s::<%s>(),\n", fn, type);
	else
		fprintf(out, "    assert_eq!(\n        ::std::mem::%s::<\n            %s,\n        >(),\n",
			fn, type);
	fprintf(out, "        %" PRIu64 "usize,\n", value);
	fmt__concat(out, 8, parts, 2);
	fputs("    );\n", out);
	free(str);
}

void fmt__assert_offset(FILE *out, const char *type, const char *field, const char *cname,
			uint64_t offset)
{
	size_t tlen = strlen(type);
	const char *parts[4];
	char *st, *sf;

	st = malloc(tlen + 16);
	sf = malloc(strlen(field) + 16);
	if (!st || !sf)
		goto out;
	sprintf(st, "stringify!(%s)", type);
	sprintf(sf, "stringify!(%s)", field);
	fprintf(out, "    fn test_field_%s() {\n        assert_eq!(\n            unsafe {\n", cname);
	/* `let uninit = ::std::mem::MaybeUninit::<T>::uninit();` at 16 columns */
	if (16 + 39 + tlen + 12 <= FMT_MAX_WIDTH)
		fprintf(out, "                let uninit = ::std::mem::MaybeUninit::<%s>::uninit();\n",
			type);
	else if (20 + 26 + tlen + 12 <= FMT_MAX_WIDTH)
		fprintf(out, "                let uninit =\n"
			"                    ::std::mem::MaybeUninit::<%s>::uninit();\n", type);
	else if (20 + 26 + tlen + 10 <= FMT_MAX_WIDTH)
		fprintf(out, "                let uninit =\n"
			"                    ::std::mem::MaybeUninit::<%s>::uninit(\n"
			"                    );\n", type);
	else if (20 + 26 + tlen + 9 <= FMT_MAX_WIDTH)
		/* rustfmt's choice overflows by one column: it keeps bindgen's tokens */
		fprintf(out, "                let uninit = :: std :: mem :: MaybeUninit :: < %s > :: "
			"uninit () ;\n", type);
	else
		fprintf(out, "                let uninit = ::std::mem::MaybeUninit::<\n"
			"                    %s,\n"
			"                >::uninit();\n", type);
	fprintf(out, "                let ptr = uninit.as_ptr();\n"
		"                ::std::ptr::addr_of!((*ptr).%s) as usize - ptr as usize\n"
		"            },\n"
		"            %" PRIu64 "usize,\n", field, offset);
	parts[0] = "\"Offset of field: \"";
	parts[1] = st;
	parts[2] = "\"::\"";
	parts[3] = sf;
	fmt__concat(out, 12, parts, 4);
	fprintf(out, "        );\n    }\n    test_field_%s();\n", cname);
out:
	free(st);
	free(sf);
}

void fmt__bitfield_accessors(FILE *out, size_t unit, const char *name, const char *type,
			     const char *prim, unsigned offset, unsigned width)
{
	fprintf(out,
		"    #[inline]\n"
		"    pub fn %s(&self) -> %s {\n"
		"        unsafe { ::std::mem::transmute(self._bitfield_%zu.get(%uusize, %uu8) as %s) }\n"
		"    }\n"
		"    #[inline]\n"
		"    pub fn set_%s(&mut self, val: %s) {\n"
		"        unsafe {\n"
		"            let val: %s = ::std::mem::transmute(val);\n"
		"            self._bitfield_%zu.set(%uusize, %uu8, val as u64)\n"
		"        }\n"
		"    }\n",
		name, type, unit, offset, width, prim, name, type, prim, unit, offset, width);
}

void fmt__bitfield_ctor_open(FILE *out, size_t unit, unsigned size, const char *const *params,
			     size_t nparams)
{
	size_t width = 0;

	for (size_t i = 0; i < nparams; i++)
		width += strlen(params[i]) + (i ? 2 : 0);
	/* `    pub fn new_bitfield_N(...) -> __BindgenBitfieldUnit<[u8; Susize]> {` */
	if (4 + 22 + 2 + width + 40 <= FMT_MAX_WIDTH) {
		fprintf(out, "    #[inline]\n    pub fn new_bitfield_%zu(", unit);
		for (size_t i = 0; i < nparams; i++)
			fprintf(out, "%s%s", i ? ", " : "", params[i]);
		fprintf(out, ") -> __BindgenBitfieldUnit<[u8; %uusize]> {\n", size);
	} else {
		fprintf(out, "    #[inline]\n    pub fn new_bitfield_%zu(\n", unit);
		for (size_t i = 0; i < nparams; i++)
			fprintf(out, "        %s,\n", params[i]);
		fprintf(out, "    ) -> __BindgenBitfieldUnit<[u8; %uusize]> {\n", size);
	}
	fprintf(out, "        let mut __bindgen_bitfield_unit: __BindgenBitfieldUnit<[u8; %uusize]> = "
		"Default::default();\n", size);
}

void fmt__bitfield_ctor_set(FILE *out, const char *name, const char *prim, unsigned offset,
			    unsigned width)
{
	fprintf(out,
		"        __bindgen_bitfield_unit.set(%uusize, %uu8, {\n"
		"            let %s: %s = unsafe { ::std::mem::transmute(%s) };\n"
		"            %s as u64\n"
		"        });\n",
		offset, width, name, prim, name, name);
}

void fmt__write_macro(FILE *out, const char *fmtstr, const char *const *args, size_t nargs)
{
	size_t flen = strlen(fmtstr) + 2, alen = 0, width;

	for (size_t i = 0; i < nargs; i++)
		alen += strlen(args[i]) + 2;
	width = 3 + flen + alen;	/* `f, "..."` then `, arg` each */
	if (width <= FMT_CALL_WIDTH && 8 + 8 + width <= FMT_MAX_WIDTH) {
		fprintf(out, "        write!(f, \"%s\"", fmtstr);
		for (size_t i = 0; i < nargs; i++)
			fprintf(out, ", %s", args[i]);
		fputs(")\n", out);
		return;
	}
	if (12 + flen + 1 <= FMT_MAX_WIDTH) {
		size_t col = 12;

		fprintf(out, "        write!(\n            f,\n            \"%s\"%s\n", fmtstr,
			nargs ? "," : "");
		for (size_t i = 0; i < nargs; i++) {
			size_t l = strlen(args[i]);

			if (i == 0) {
				fprintf(out, "            %s", args[i]);
				col = 12 + l;
			} else if (col + 2 + l + (i + 1 < nargs ? 1 : 0) <= FMT_MAX_WIDTH) {
				fprintf(out, ", %s", args[i]);
				col += 2 + l;
			} else {
				fprintf(out, ",\n            %s", args[i]);
				col = 12 + l;
			}
		}
		if (nargs)
			fputc('\n', out);
		fputs("        )\n", out);
		return;
	}
	/* rustfmt leaves the macro as bindgen's token printer wrote it */
	fprintf(out, "        write ! (f , \"%s\"", fmtstr);
	for (size_t i = 0; i < nargs; i++) {
		fputs(" , ", out);
		for (const char *p = args[i]; *p; p++) {
			if (*p == '.')
				fputs(" . ", out);
			else if (*p == '(')
				fputs(" ", out), fputc('(', out);
			else
				fputc(*p, out);
		}
	}
	fputs(")\n", out);
}
