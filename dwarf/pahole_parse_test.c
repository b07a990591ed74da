/* pahole_parse_test.c - the parser of pahole's output (pahole_parse.c) on canned outputs of
 * pahole 1.24: members, bitfields, attributes, nested anonymous members, arrays, enums, the type
 * filter, a type printed twice, and malformed outputs (each an error naming its line). The sizes
 * and offsets below are gcc's for the C declarations in each comment (x86_64). */
#include <atf-c.h>
#include <errno.h>
#include <string.h>

#include "manifest_text.h"
#include "pahole.h"

/*
 * struct inner { unsigned int a; unsigned short b; };
 * struct s { unsigned char c; unsigned int bf1:3, bf2:5;
 *            unsigned long long x __attribute__((aligned(16)));
 *            union { int i; char ch[3]; } u; struct inner arr[2][3]; char flex[]; };
 * struct __attribute__((packed)) p { char a; int b; };
 * enum e { E0, E1 = 5 };  union un { int a; long long b; };
 */
static const char sample[] =
	"struct inner {\n"
	"\tunsigned int               a;                    /*     0     4 */\n"
	"\tshort unsigned int         b;                    /*     4     2 */\n"
	"\n"
	"\t/* size: 8, cachelines: 1, members: 2 */\n"
	"\t/* padding: 2 */\n"
	"\t/* last cacheline: 8 bytes */\n"
	"};\n"
	"struct s {\n"
	"\tunsigned char              c;                    /*     0     1 */\n"
	"\n"
	"\t/* Bitfield combined with previous fields */\n"
	"\n"
	"\tunsigned int               bf1:3;                /*     0: 8  4 */\n"
	"\tunsigned int               bf2:5;                /*     0:11  4 */\n"
	"\n"
	"\t/* XXX 16 bits hole, try to pack */\n"
	"\t/* XXX 12 bytes hole, try to pack */\n"
	"\n"
	"\tlong long unsigned int     x __attribute__((__aligned__(16))); /*    16     8 */\n"
	"\tunion {\n"
	"\t\tint                i;                    /*    24     4 */\n"
	"\t\tchar               ch[3];                /*    24     3 */\n"
	"\t} u;                                             /*    24     4 */\n"
	"\tstruct inner               arr[2][3];            /*    28    48 */\n"
	"\t/* --- cacheline 1 boundary (64 bytes) was 12 bytes ago --- */\n"
	"\tchar                       flex[];               /*    76     0 */\n"
	"\n"
	"\t/* size: 80, cachelines: 2, members: 7 */\n"
	"\t/* sum members: 61, holes: 1, sum holes: 12 */\n"
	"\t/* padding: 4 */\n"
	"\t/* last cacheline: 16 bytes */\n"
	"} __attribute__((__aligned__(16)));\n"
	"struct p {\n"
	"\tchar                       a;                    /*     0     1 */\n"
	"\tint                        b;                    /*     1     4 */\n"
	"\n"
	"\t/* size: 5, cachelines: 1, members: 2 */\n"
	"\t/* last cacheline: 5 bytes */\n"
	"} __attribute__((__packed__));\n"
	"union un {\n"
	"\tint                        a;                  /*     0     4 */\n"
	"\tlong long int              b;                  /*     0     8 */\n"
	"};\n"
	"enum e {\n"
	"\tE0 = 0,\n"
	"\tE1 = 5,\n"
	"};\n";

static void parse_ok(const char *text, const char *const *wanted, size_t nwanted,
		     struct manifest *m)
{
	char err[ERRBUF_SIZE] = "";
	int rc;

	manifest__init(m);
	rc = pahole__parse(text, m, wanted, nwanted, err, sizeof(err));
	if (rc)
		atf_tc_fail("pahole__parse: %d: %s", rc, err);
	manifest__sort(m);
}

static const struct mrec *type_of(const struct manifest *m, const char *name)
{
	const struct mrec *r = manifest__find(m, MREC_TYPE, name, NULL);

	if (!r)
		atf_tc_fail("no type record for %s", name);
	return r;
}

static const struct mrec *field_of(const struct manifest *m, const char *type, const char *path)
{
	const struct mrec *r = manifest__find(m, MREC_FIELD, type, path);

	if (!r)
		atf_tc_fail("no field record %s.%s", type, path);
	return r;
}

static void check_field(const struct manifest *m, const char *type, const char *path,
			uint64_t offset, uint64_t size, const char *spelling)
{
	const struct mrec *f = field_of(m, type, path);

	ATF_CHECK_MSG(!f->is_bitfield, "%s.%s is a bitfield", type, path);
	ATF_CHECK_MSG(f->offset == offset, "%s.%s: offset %ju, expected %ju", type, path,
		      (uintmax_t)f->offset, (uintmax_t)offset);
	ATF_CHECK_MSG(f->size == size, "%s.%s: size %ju, expected %ju", type, path,
		      (uintmax_t)f->size, (uintmax_t)size);
	ATF_CHECK_MSG(!strcmp(f->text, spelling), "%s.%s: type '%s', expected '%s'", type, path,
		      f->text, spelling);
}

static void check_type(const struct manifest *m, const char *name, uint64_t size, uint64_t align)
{
	const struct mrec *t = type_of(m, name);

	ATF_CHECK_MSG(t->size == size, "%s: size %ju, expected %ju", name, (uintmax_t)t->size,
		      (uintmax_t)size);
	ATF_CHECK_MSG(t->align == align, "%s: align %ju, expected %ju", name, (uintmax_t)t->align,
		      (uintmax_t)align);
}

ATF_TC_WITHOUT_HEAD(parse_members);
ATF_TC_BODY(parse_members, tc)
{
	struct manifest m;
	const struct mrec *f;

	parse_ok(sample, NULL, 0, &m);
	check_type(&m, "struct inner", 8, 4);
	check_type(&m, "struct s", 80, 16);
	check_type(&m, "struct p", 5, 1);
	check_type(&m, "union un", 8, 8);
	check_type(&m, "enum e", 4, 4);

	check_field(&m, "struct inner", "b", 4, 2, "unsigned short");
	check_field(&m, "struct s", "c", 0, 1, "unsigned char");
	check_field(&m, "struct s", "x", 16, 8, "unsigned long long");
	check_field(&m, "struct s", "u.i", 24, 4, "int");
	check_field(&m, "struct s", "u.ch", 24, 3, "char[3]");
	check_field(&m, "struct s", "arr", 28, 48, "struct inner[2][3]");
	check_field(&m, "struct p", "b", 1, 4, "int");
	check_field(&m, "union un", "b", 0, 8, "long long");

	f = field_of(&m, "struct s", "bf1");
	ATF_CHECK(f->is_bitfield && f->bitoffset == 8 && f->bitsize == 3);
	f = field_of(&m, "struct s", "bf2");
	ATF_CHECK(f->is_bitfield && f->bitoffset == 11 && f->bitsize == 5);
	f = field_of(&m, "struct s", "flex");
	ATF_CHECK(f->flex && f->offset == 76 && f->size == 0);
	ATF_CHECK(!manifest__find(&m, MREC_CONST, "E1", NULL));	/* debug info has no constants */
	manifest__fini(&m);
}

ATF_TC_WITHOUT_HEAD(parse_wanted_only);
ATF_TC_BODY(parse_wanted_only, tc)
{
	static const char *const wanted[] = { "inner", "p" };	/* bare names, sorted */
	struct manifest m;

	parse_ok(sample, wanted, 2, &m);
	type_of(&m, "struct inner");
	type_of(&m, "struct p");
	ATF_CHECK(!manifest__find(&m, MREC_TYPE, "struct s", NULL));
	ATF_CHECK(!manifest__find(&m, MREC_TYPE, "union un", NULL));
	ATF_CHECK(!manifest__find(&m, MREC_TYPE, "enum e", NULL));
	manifest__fini(&m);
}

ATF_TC_WITHOUT_HEAD(parse_type_twice_kept_once);
ATF_TC_BODY(parse_type_twice_kept_once, tc)
{
	static const char twice[] =
		"struct inner {\n"
		"\tunsigned int               a;                    /*     0     4 */\n"
		"\n\t/* size: 4, cachelines: 1, members: 1 */\n"
		"};\n"
		"struct inner {\n"
		"\tunsigned int               a;                    /*     0     4 */\n"
		"\n\t/* size: 4, cachelines: 1, members: 1 */\n"
		"};\n";
	struct manifest m;
	unsigned types = 0, fields = 0;

	parse_ok(twice, NULL, 0, &m);
	for (size_t i = 0; i < m.nrecs; i++) {
		types += m.recs[i].kind == MREC_TYPE;
		fields += m.recs[i].kind == MREC_FIELD;
	}
	ATF_CHECK_EQ(types, 1);
	ATF_CHECK_EQ(fields, 1);
	check_type(&m, "struct inner", 4, 4);
	manifest__fini(&m);
}

/* text must be rejected with -EINVAL and a message "pahole output:LINE: ..." containing what. */
static void check_bad(const char *text, unsigned line, const char *what)
{
	char err[ERRBUF_SIZE] = "", where[64];
	struct manifest m;
	int rc;

	manifest__init(&m);
	rc = pahole__parse(text, &m, NULL, 0, err, sizeof(err));
	ATF_CHECK_MSG(rc == -EINVAL, "rc %d for %s", rc, what);
	snprintf(where, sizeof(where), "pahole output:%u:", line);
	ATF_CHECK_MSG(strstr(err, where) == err, "'%s' does not start with '%s'", err, where);
	ATF_CHECK_MSG(strstr(err, what) != NULL, "'%s' does not say '%s'", err, what);
	manifest__fini(&m);
}

ATF_TC_WITHOUT_HEAD(parse_malformed);
ATF_TC_BODY(parse_malformed, tc)
{
	check_bad("struct a {\n\tint x; /* 0 4 */\n", 3, "output ends inside a type");
	check_bad("struct a {\n\tint x;\n};\n", 2, "member without offset comment");
	check_bad("what is this {\n", 1, "expected 'struct|union|enum NAME {'");
	check_bad("struct a {\n\tint x; /* zero four */\n};\n", 2, "unreadable offset comment");
	check_bad("struct a {\n\tunion {\n\t\tint i; /* 0 4 */\n\t};\n};\n", 4,
		  "anonymous member without offset comment");
}

ATF_TC_WITHOUT_HEAD(base_spelling);
ATF_TC_BODY(base_spelling, tc)
{
	ATF_CHECK_STREQ(pahole__base_spelling("long long unsigned int"), "unsigned long long");
	ATF_CHECK_STREQ(pahole__base_spelling("short unsigned int"), "unsigned short");
	ATF_CHECK_STREQ(pahole__base_spelling("long int"), "long");
	ATF_CHECK_STREQ(pahole__base_spelling("__int128 unsigned"), "__uint128_t");
	ATF_CHECK_STREQ(pahole__base_spelling("__u64"), "__u64");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, parse_members);
	ATF_TP_ADD_TC(tp, parse_wanted_only);
	ATF_TP_ADD_TC(tp, parse_type_twice_kept_once);
	ATF_TP_ADD_TC(tp, parse_malformed);
	ATF_TP_ADD_TC(tp, base_spelling);
	return atf_no_error();
}
