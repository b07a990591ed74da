/* manifest_test.c - the manifest model: canonical writer, reader and its errors, classifier. */
#include <atf-c.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff.h"
#include "manifest_text.h"

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ATF_REQUIRE(f != NULL);
	ATF_REQUIRE(fputs(text, f) >= 0);
	ATF_REQUIRE(fclose(f) == 0);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	ATF_REQUIRE(f != NULL);
	ATF_REQUIRE(fseek(f, 0, SEEK_END) == 0);
	n = ftell(f);
	ATF_REQUIRE(n >= 0);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	ATF_REQUIRE(buf != NULL);
	ATF_REQUIRE(fread(buf, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	return buf;
}

/* A small model, added in a scrambled order. */
static void build_sample(struct manifest *m)
{
	manifest__init(m);
	ATF_REQUIRE(manifest__add_ioctl(m, "KVM_GET_REGS", 0x8090ae81u, "struct kvm_regs") == 0);
	ATF_REQUIRE(manifest__add_field(m, "struct kvm_regs", "rbx", "__u64", 8, 8, false) == 0);
	ATF_REQUIRE(manifest__add_const(m, "KVM_API_VERSION", 12, false) == 0);
	ATF_REQUIRE(manifest__add_type(m, "struct kvm_regs", 144, 8) == 0);
	ATF_REQUIRE(manifest__add_field(m, "struct kvm_regs", "rax", "__u64", 0, 8, false) == 0);
	ATF_REQUIRE(manifest__add_meta(m, "tool", "kvmgate test") == 0);
	ATF_REQUIRE(manifest__add_meta(m, "arch", "x86_64") == 0);
	ATF_REQUIRE(manifest__add_type(m, "struct kvm_msrs", 8, 8) == 0);
	ATF_REQUIRE(manifest__add_field(m, "struct kvm_msrs", "entries", "struct kvm_msr_entry[]", 8, 0,
					true) == 0);
	ATF_REQUIRE(manifest__add_bitfield(m, "struct kvm_msrs", "flag", "__u32", 3, 1) == 0);
	ATF_REQUIRE(manifest__add_const(m, "KVM_NEG", -5, false) == 0);
	ATF_REQUIRE(manifest__add_const(m, "KVM_BIG", (int64_t)0xffffffffffffffffull, true) == 0);
	ATF_REQUIRE(manifest__add_uneval(m, "KVM_X", "use of undeclared identifier 'PAGE_SIZE'") == 0);
}

ATF_TC(write_canonical_order);
ATF_TC_HEAD(write_canonical_order, tc)
{
	atf_tc_set_md_var(tc, "descr", "The writer sorts records: meta, each type then its fields "
			  "by offset, constants, ioctls, unevaluated; ioctl fields decoded");
}
ATF_TC_BODY(write_canonical_order, tc)
{
	struct manifest m;
	char *text;
	FILE *f;
	const char *expect =
		"# kvmgate layout manifest 1\n"
		"meta\tarch\tx86_64\n"
		"meta\ttool\tkvmgate test\n"
		"type\tstruct kvm_msrs\tsize=8\talign=8\n"
		"field\tstruct kvm_msrs\tflag\tbitoffset=3\tbitsize=1\ttype=__u32\n"
		"field\tstruct kvm_msrs\tentries\toffset=8\tsize=0\ttype=struct kvm_msr_entry[]\tflex\n"
		"type\tstruct kvm_regs\tsize=144\talign=8\n"
		"field\tstruct kvm_regs\trax\toffset=0\tsize=8\ttype=__u64\n"
		"field\tstruct kvm_regs\trbx\toffset=8\tsize=8\ttype=__u64\n"
		"const\tKVM_API_VERSION\tvalue=12\n"
		"const\tKVM_BIG\tvalue=18446744073709551615\n"
		"const\tKVM_NEG\tvalue=-5\n"
		"ioctl\tKVM_GET_REGS\tnumber=0x8090ae81\tdir=R\ttype=0xae\tnr=0x81\tsize=144\t"
		"arg=struct kvm_regs\n"
		"uneval\tKVM_X\treason=use of undeclared identifier 'PAGE_SIZE'\n"
		"# end: 13 records\n";

	build_sample(&m);
	f = fopen("out", "w");
	ATF_REQUIRE(f != NULL);
	ATF_REQUIRE(manifest__write(&m, f) == 0);
	fclose(f);
	text = slurp("out");
	ATF_CHECK_STREQ(text, expect);
	free(text);
	manifest__fini(&m);
}

ATF_TC(read_roundtrip);
ATF_TC_HEAD(read_roundtrip, tc)
{
	atf_tc_set_md_var(tc, "descr", "What the writer writes, the reader reads back to the same text");
}
ATF_TC_BODY(read_roundtrip, tc)
{
	struct manifest m, r;
	char err[ERRBUF_SIZE] = "", *a, *b;

	build_sample(&m);
	ATF_REQUIRE(manifest__write_file(&m, "a", err, sizeof(err)) == 0);
	manifest__init(&r);
	ATF_REQUIRE_MSG(manifest__read(&r, "a", err, sizeof(err)) == 0, "%s", err);
	ATF_CHECK_EQ(r.nrecs, m.nrecs);
	ATF_REQUIRE(manifest__write_file(&r, "b", err, sizeof(err)) == 0);
	a = slurp("a");
	b = slurp("b");
	ATF_CHECK_STREQ(a, b);
	free(a);
	free(b);
	manifest__fini(&m);
	manifest__fini(&r);
}

/* Each bad manifest must fail with the file, the line and what was expected. */
static void check_bad(const char *text, const char *want_loc, const char *want_msg)
{
	struct manifest m;
	char err[ERRBUF_SIZE] = "";

	write_text("bad", text);
	manifest__init(&m);
	ATF_CHECK(manifest__read(&m, "bad", err, sizeof(err)) < 0);
	ATF_CHECK_MSG(strstr(err, want_loc) != NULL, "error '%s' lacks '%s'", err, want_loc);
	ATF_CHECK_MSG(strstr(err, want_msg) != NULL, "error '%s' lacks '%s'", err, want_msg);
	ATF_CHECK_EQ(m.nrecs, 0);
	manifest__fini(&m);
}

ATF_TC(read_errors);
ATF_TC_HEAD(read_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "Corrupted and truncated manifests are rejected with "
			  "FILE:LINE and what was expected, and no partial model");
}
ATF_TC_BODY(read_errors, tc)
{
	check_bad("", "bad:0", "empty file");
	check_bad("not a manifest\n", "bad:1", "expected '# kvmgate layout manifest 1'");
	check_bad("# kvmgate layout manifest 1\ntype\tstruct a\tsize=8\talign=8\n", "bad:",
		  "truncated: expected the end line");
	check_bad("# kvmgate layout manifest 1\ntype\tstruct a\tsize=8\talign=8\n# end: 1 rec",
		  "bad:3", "end line says");
	check_bad("# kvmgate layout manifest 1\ntype\tstruct a\tsize=8\talign=8\n# end: 2 records\n",
		  "bad:3", "but 1 records were read");
	check_bad("# kvmgate layout manifest 1\ntype\tstruct a\tsize=x\talign=8\n# end: 1 records\n",
		  "bad:2", "expected a number after 'size='");
	check_bad("# kvmgate layout manifest 1\ntype\tstruct a\tsize=8\talign=3\n# end: 1 records\n",
		  "bad:2", "not a power of two");
	check_bad("# kvmgate layout manifest 1\nfield\tstruct a\tx\toffset=0\n# end: 1 records\n",
		  "bad:2", "expected 6");
	check_bad("# kvmgate layout manifest 1\nbogus\tx\n# end: 1 records\n", "bad:2",
		  "unknown record 'bogus'");
	check_bad("# kvmgate layout manifest 1\nioctl\tKVM_A\tnumber=0x8090ae81\tdir=W\ttype=0xae\t"
		  "nr=0x81\tsize=144\targ=struct a\n# end: 1 records\n", "bad:2",
		  "do not match number");
	check_bad("# kvmgate layout manifest 1\nconst\tA\tvalue=1\nconst\tA\tvalue=2\n"
		  "# end: 2 records\n", "bad", "listed twice");
}

ATF_TC(read_contradictions);
ATF_TC_HEAD(read_contradictions, tc)
{
	atf_tc_set_md_var(tc, "descr", "Facts no C type can have together are rejected with the "
			  "line (issue 14): a record twice (a copy or a conflict, both lines named), "
			  "size not a multiple of align, a field, flexible array or bitfield past its "
			  "type's end, a field whose size is not its type's, a bitfield wider than its "
			  "type, an offset that overflows");
}
ATF_TC_BODY(read_contradictions, tc)
{
#define H "# kvmgate layout manifest 1\n"
	/* each record once: an exact copy is named, not merged without a word */
	check_bad(H "const\tA\tvalue=1\nconst\tA\tvalue=1\n# end: 2 records\n", "bad:3: ",
		  "const A is listed twice: a copy of line 2");
	check_bad(H "type\tstruct a\tsize=8\talign=8\nconst\tB\tvalue=1\n"
		  "type\tstruct a\tsize=16\talign=8\n# end: 3 records\n", "bad:4: ",
		  "type struct a is listed twice: and differs from line 2");
	check_bad(H "type\tstruct a\tsize=8\talign=8\nfield\tstruct a\tx\toffset=0\tsize=4\ttype=__u32\n"
		  "field\tstruct a\tx\toffset=4\tsize=4\ttype=__u32\n# end: 3 records\n", "bad:4: ",
		  "field struct a.x is listed twice: and differs from line 3");
	check_bad(H "type\tstruct a\tsize=12\talign=8\n# end: 1 records\n", "bad:2: ",
		  "size 12 is not a multiple of its alignment 8");
	check_bad(H "type\tstruct a\tsize=8\talign=8\nfield\tstruct a\tx\toffset=4\tsize=8\ttype=__u64\n"
		  "# end: 2 records\n", "bad:3: ", "field struct a.x ends at byte 12, past the size 8 of "
		  "struct a (line 2)");
	check_bad(H "type\tstruct a\tsize=8\talign=4\nfield\tstruct a\tx\toffset=12\tsize=0\t"
		  "type=__u8[]\tflex\n# end: 2 records\n", "bad:3: ", "flexible array struct a.x ends at byte 12");
	check_bad(H "type\tstruct a\tsize=4\talign=4\nfield\tstruct a\tb\tbitoffset=30\tbitsize=3\t"
		  "type=__u32\n# end: 2 records\n", "bad:3: ", "ends at bit 33, past the 32 bits of struct a");
	check_bad(H "type\tstruct a\tsize=8\talign=8\nfield\tstruct a\tb\tbitoffset=0\tbitsize=9\t"
		  "type=__u8\n# end: 2 records\n", "bad:3: ", "is 9 bits wide, its type __u8 has 8");
	check_bad(H "type\tstruct a\tsize=8\talign=8\nfield\tstruct a\tx\toffset=0\tsize=8\ttype=__u32\n"
		  "# end: 2 records\n", "bad:3: ", "size 8, but its type __u32 has 4");
	check_bad(H "type\tstruct a\tsize=32\talign=8\nfield\tstruct a\tx\toffset=0\tsize=16\t"
		  "type=__u32[2][4]\n# end: 2 records\n", "bad:3: ", "but its type __u32[2][4] has 32");
	check_bad(H "type\tstruct a\tsize=32\talign=8\ntype\tstruct b\tsize=8\talign=8\n"
		  "field\tstruct a\ts\toffset=0\tsize=16\ttype=struct b\n# end: 3 records\n", "bad:4: ",
		  "but its type struct b has 8");
	check_bad(H "field\tstruct a\tx\toffset=18446744073709551615\tsize=2\ttype=__u16\n"
		  "# end: 1 records\n", "bad:2: ", "overflows");
	/* what C does allow stays allowed: a union's members share bytes, a pointer is 8 bytes */
	{
		struct manifest m;
		char err[ERRBUF_SIZE] = "";

		write_text("good", H "type\tunion u\tsize=8\talign=8\n"
			   "field\tunion u\ta\toffset=0\tsize=8\ttype=void *\n"
			   "field\tunion u\tb\toffset=0\tsize=4\ttype=__u32\n"
			   "field\tunion u\tc\tbitoffset=0\tbitsize=3\ttype=__u8\n"
			   "# end: 4 records\n");
		manifest__init(&m);
		ATF_CHECK_MSG(manifest__read(&m, "good", err, sizeof(err)) == 0, "%s", err);
		manifest__fini(&m);
	}
#undef H
}

static void diff_opt(struct manifest *a, struct manifest *b, const struct diff_opts *base,
		     struct diff_counts *n, char **report)
{
	size_t len = 0;
	FILE *out = open_memstream(report, &len);
	struct diff_opts o = *base;

	ATF_REQUIRE(out != NULL);
	o.out = out;
	ATF_REQUIRE(manifest__diff(a, b, &o, n) == 0);
	fclose(out);
}

static void diff_of(struct manifest *a, struct manifest *b, bool dbg, struct diff_counts *n,
		    char **report)
{
	struct diff_opts o = { .b_is_debuginfo = dbg };

	diff_opt(a, b, &o, n, report);
}

/* Does the report hold the line "CLASS<padding> TEXT..." (TEXT a prefix of the rest)? */
static bool has_line(const char *rep, const char *cls, const char *text)
{
	char want[512];

	snprintf(want, sizeof(want), "\n%-14s %s", cls, text);
	return !strncmp(rep, want + 1, strlen(want + 1)) || strstr(rep, want) != NULL;
}

#define CHECK_LINE(rep, cls, text) \
	ATF_CHECK_MSG(has_line(rep, cls, text), "no '%s' line '%s' in:\n%s", cls, text, rep)

/* Two manifests of one struct each: A's and B's fields are added by the caller. */
static void pair_init(struct manifest *a, struct manifest *b, const char *type, uint64_t size)
{
	manifest__init(a);
	manifest__init(b);
	ATF_REQUIRE(manifest__add_type(a, type, size, 8) == 0);
	ATF_REQUIRE(manifest__add_type(b, type, size, 8) == 0);
}

ATF_TC(diff_classifies);
ATF_TC_HEAD(diff_classifies, tc)
{
	atf_tc_set_md_var(tc, "descr", "diff: identical is clean and a patch; a moved field, a "
			  "resized type, a changed ioctl number are incompatible; an added member "
			  "added; the verdict major, decided by the incompatible lines");
}
ATF_TC_BODY(diff_classifies, tc)
{
	struct manifest a, b;
	struct diff_counts n;
	char *rep;

	build_sample(&a);
	build_sample(&b);
	diff_of(&a, &b, false, &n, &rep);
	ATF_CHECK_EQ(n.n[DIFF_INCOMPATIBLE], 0);
	ATF_CHECK_EQ(n.n[DIFF_ADDED], 0);
	ATF_CHECK_EQ(n.verdict, DIFF_PATCH);
	ATF_CHECK(strstr(rep, "kvmgate diff: verdict patch: nothing a user") != NULL);
	free(rep);

	/* move rbx, grow kvm_regs, change the ioctl, add a field */
	for (size_t i = 0; i < b.nrecs; i++) {
		struct mrec *r = &b.recs[i];

		if (r->kind == MREC_FIELD && !strcmp(r->member, "rbx"))
			r->offset = 16, r->bitoffset = 128;
		if (r->kind == MREC_TYPE && !strcmp(r->key, "struct kvm_regs"))
			r->size = 152;
		if (r->kind == MREC_IOCTL)
			r->number = 0x8098ae81u, r->size = 152;
	}
	ATF_REQUIRE(manifest__add_field(&b, "struct kvm_regs", "rnew", "__u64", 136, 8, false) == 0);
	diff_of(&a, &b, false, &n, &rep);
	ATF_CHECK_EQ(n.n[DIFF_INCOMPATIBLE], 3);
	ATF_CHECK_EQ(n.n[DIFF_ADDED], 1);
	ATF_CHECK_EQ(n.n[DIFF_API], 0);
	CHECK_LINE(rep, "incompatible", "field struct kvm_regs.rbx: offset=8 size=8 type=__u64 -> offset=16");
	CHECK_LINE(rep, "incompatible", "type struct kvm_regs: size 144 -> 152");
	CHECK_LINE(rep, "incompatible", "ioctl KVM_GET_REGS: number 0x8090ae81");
	CHECK_LINE(rep, "added", "field struct kvm_regs.rnew: added");
	ATF_CHECK_EQ(n.verdict, DIFF_MAJOR);
	ATF_CHECK(strstr(rep, "kvmgate diff: verdict major: ") != NULL);
	ATF_CHECK(strstr(rep, "decided by 3 lines:\n  incompatible   ") != NULL);
	free(rep);
	manifest__fini(&a);
	manifest__fini(&b);
}

ATF_TC(diff_padding_and_debuginfo);
ATF_TC_HEAD(diff_padding_and_debuginfo, tc)
{
	atf_tc_set_md_var(tc, "descr", "A padding field given a name is layout-neutral; against "
			  "kernel debug info a missing type is 'not in kernel' and constants are not "
			  "compared; against a full manifest a missing type or constant is api");
}
ATF_TC_BODY(diff_padding_and_debuginfo, tc)
{
	struct manifest a, b;
	struct diff_counts n;
	char *rep;

	pair_init(&a, &b, "struct s", 8);
	ATF_REQUIRE(manifest__add_field(&a, "struct s", "x", "__u32", 0, 4, false) == 0);
	ATF_REQUIRE(manifest__add_field(&a, "struct s", "pad", "__u32", 4, 4, false) == 0);
	ATF_REQUIRE(manifest__add_type(&a, "struct gone", 4, 4) == 0);
	ATF_REQUIRE(manifest__add_const(&a, "KVM_C", 1, false) == 0);
	ATF_REQUIRE(manifest__add_ioctl(&a, "KVM_I", 0xae01u, "-") == 0);
	ATF_REQUIRE(manifest__add_field(&b, "struct s", "x", "__u32", 0, 4, false) == 0);
	ATF_REQUIRE(manifest__add_field(&b, "struct s", "flags", "__u32", 4, 4, false) == 0);
	diff_of(&a, &b, true, &n, &rep);
	ATF_CHECK_EQ(n.n[DIFF_INCOMPATIBLE], 0);
	ATF_CHECK_EQ(n.n[DIFF_NOT_IN_B], 1);
	ATF_CHECK_EQ(n.n[DIFF_NEUTRAL], 1);
	ATF_CHECK_EQ(n.n[DIFF_ADDED], 0);	/* flags is pad's new name, not an addition */
	CHECK_LINE(rep, "layout-neutral", "field struct s.pad: padding renamed to 'flags'");
	CHECK_LINE(rep, "not in kernel", "struct gone");
	free(rep);
	ATF_REQUIRE(manifest__add_ioctl(&b, "KVM_I", 0xae01u, "-") == 0);
	ATF_REQUIRE(manifest__add_const(&b, "KVM_OTHER", 2, false) == 0);
	diff_of(&a, &b, false, &n, &rep);
	ATF_CHECK_EQ(n.n[DIFF_INCOMPATIBLE], 0);
	ATF_CHECK_EQ(n.n[DIFF_API], 2);
	CHECK_LINE(rep, "api", "type struct gone: removed");
	CHECK_LINE(rep, "api", "const KVM_C: not in B (was 1)");
	CHECK_LINE(rep, "added", "const KVM_OTHER: added (2)");
	free(rep);
	manifest__fini(&a);
	manifest__fini(&b);
}

ATF_TC(diff_layout_neutral);
ATF_TC_HEAD(diff_layout_neutral, tc)
{
	atf_tc_set_md_var(tc, "descr", "Differences that move no byte are layout-neutral and a "
			  "patch: a zero-size __empty_ member gone and another added, T[0] -> T[], "
			  "padding absorbed into a union of the same bytes (kvm_run.hypercall.pad)");
}
ATF_TC_BODY(diff_layout_neutral, tc)
{
	struct manifest a, b;
	struct diff_counts n;
	char *rep;

	pair_init(&a, &b, "struct f", 8);
	/* A: __DECLARE_FLEX_ARRAY's companion and [0]; B: a plain [] and a new companion */
	ATF_REQUIRE(manifest__add_field(&a, "struct f", "n", "__u32", 0, 4, false) == 0);
	ATF_REQUIRE(manifest__add_field(&a, "struct f", "pad", "__u32", 4, 4, false) == 0);
	ATF_REQUIRE(manifest__add_field(&a, "struct f", "__empty_e", "struct <anonymous>", 8, 0,
					false) == 0);
	ATF_REQUIRE(manifest__add_field(&a, "struct f", "d", "__u64[0]", 8, 0, false) == 0);
	ATF_REQUIRE(manifest__add_field(&b, "struct f", "n", "__u32", 0, 4, false) == 0);
	ATF_REQUIRE(manifest__add_field(&b, "struct f", "pad", "__u32", 4, 4, false) == 0);
	ATF_REQUIRE(manifest__add_field(&b, "struct f", "d", "__u64[]", 8, 0, true) == 0);
	ATF_REQUIRE(manifest__add_field(&b, "struct f", "__empty_g", "struct <anonymous>", 8, 0,
					false) == 0);
	/* hypercall: { __u32 longmode; __u32 pad; } -> { union { __u32 longmode; __u64 flags; } } */
	ATF_REQUIRE(manifest__add_type(&a, "struct h", 16, 8) == 0);
	ATF_REQUIRE(manifest__add_type(&b, "struct h", 16, 8) == 0);
	ATF_REQUIRE(manifest__add_field(&a, "struct h", "ret", "__u64", 0, 8, false) == 0);
	ATF_REQUIRE(manifest__add_field(&a, "struct h", "longmode", "__u32", 8, 4, false) == 0);
	ATF_REQUIRE(manifest__add_field(&a, "struct h", "pad", "__u32", 12, 4, false) == 0);
	ATF_REQUIRE(manifest__add_field(&b, "struct h", "ret", "__u64", 0, 8, false) == 0);
	ATF_REQUIRE(manifest__add_field(&b, "struct h", "longmode", "__u32", 8, 4, false) == 0);
	ATF_REQUIRE(manifest__add_field(&b, "struct h", "flags", "__u64", 8, 8, false) == 0);
	diff_of(&a, &b, false, &n, &rep);
	ATF_CHECK_EQ(n.n[DIFF_INCOMPATIBLE], 0);
	CHECK_LINE(rep, "layout-neutral", "field struct f.__empty_e: zero-size member removed");
	CHECK_LINE(rep, "layout-neutral", "field struct f.__empty_g: zero-size member added");
	CHECK_LINE(rep, "layout-neutral", "field struct f.d: flexible array spelled __u64[0] -> __u64[]");
	CHECK_LINE(rep, "layout-neutral", "field struct h.pad: padding (was offset=12 size=4 "
		   "type=__u32) is now part of 'flags'");
	ATF_CHECK_EQ(n.n[DIFF_NEUTRAL], 4);
	/* longmode moved into the anonymous union: its Rust path changed; flags is new */
	CHECK_LINE(rep, "api", "field struct h.longmode: Rust path changed: a direct member, now in "
		   "an anonymous union");
	CHECK_LINE(rep, "added", "field struct h.flags: added");
	ATF_CHECK_EQ(n.verdict, DIFF_MAJOR);
	free(rep);
	manifest__fini(&a);
	manifest__fini(&b);

	/* the neutral ones alone: a patch, decided by them */
	pair_init(&a, &b, "struct f", 8);
	ATF_REQUIRE(manifest__add_field(&a, "struct f", "__empty_e", "struct <anonymous>", 8, 0,
					false) == 0);
	ATF_REQUIRE(manifest__add_field(&a, "struct f", "reserved", "__u8[8]", 0, 8, false) == 0);
	ATF_REQUIRE(manifest__add_field(&b, "struct f", "rsvd2", "__u8[8]", 0, 8, false) == 0);
	diff_of(&a, &b, false, &n, &rep);
	ATF_CHECK_EQ(n.n[DIFF_NEUTRAL], 2);
	ATF_CHECK_EQ(n.n[DIFF_ADDED] + n.n[DIFF_API] + n.n[DIFF_INCOMPATIBLE], 0);
	ATF_CHECK_EQ(n.verdict, DIFF_PATCH);
	ATF_CHECK(strstr(rep, "verdict patch: nothing a user of the bindings can see; decided by 2 "
			 "lines:\n  layout-neutral field struct f.") != NULL);
	free(rep);
	manifest__fini(&a);
	manifest__fini(&b);
}

ATF_TC(diff_api);
ATF_TC_HEAD(diff_api, tc)
{
	atf_tc_set_md_var(tc, "descr", "What breaks Rust code without moving a byte is api: a "
			  "member renamed, a field retyped to the same size, a member moved into an "
			  "anonymous aggregate, a removed ioctl or argument type; a major verdict; "
			  "incompatible where B is the truth of names (debug info); a rename is "
			  "found among siblings only");
}
ATF_TC_BODY(diff_api, tc)
{
	struct diff_opts strict = { .api_is_incompatible = true };
	struct manifest a, b;
	struct diff_counts n;
	char *rep;

	pair_init(&a, &b, "struct s", 16);
	ATF_REQUIRE(manifest__add_field(&a, "struct s", "addr", "__u64", 0, 8, false) == 0);
	ATF_REQUIRE(manifest__add_field(&a, "struct s", "flags", "__u32", 8, 4, false) == 0);
	ATF_REQUIRE(manifest__add_field(&a, "struct s", "word", "__u8[4]", 12, 4, false) == 0);
	ATF_REQUIRE(manifest__add_field(&b, "struct s", "gpa", "__u64", 0, 8, false) == 0);
	ATF_REQUIRE(manifest__add_field(&b, "struct s", "flags", "__s32", 8, 4, false) == 0);
	ATF_REQUIRE(manifest__add_field(&b, "struct s", "word", "__u8[4]", 12, 4, false) == 0);
	ATF_REQUIRE(manifest__add_field(&b, "struct s", "value", "__u32", 12, 4, false) == 0);
	/* in a union: u.a.x is gone; u.b.y at its place is another member's, not its new name */
	ATF_REQUIRE(manifest__add_type(&a, "union u", 8, 8) == 0);
	ATF_REQUIRE(manifest__add_type(&b, "union u", 8, 8) == 0);
	ATF_REQUIRE(manifest__add_field(&a, "union u", "a", "struct <anonymous>", 0, 8, false) == 0);
	ATF_REQUIRE(manifest__add_field(&a, "union u", "a.x", "__u64", 0, 8, false) == 0);
	ATF_REQUIRE(manifest__add_field(&b, "union u", "a", "struct <anonymous>", 0, 8, false) == 0);
	ATF_REQUIRE(manifest__add_field(&b, "union u", "b", "struct <anonymous>", 0, 8, false) == 0);
	ATF_REQUIRE(manifest__add_field(&b, "union u", "b.y", "__u64", 0, 8, false) == 0);
	ATF_REQUIRE(manifest__add_ioctl(&a, "KVM_A", 0x4010ae01u, "struct s") == 0);
	ATF_REQUIRE(manifest__add_ioctl(&a, "KVM_B", 0xae02u, "-") == 0);
	ATF_REQUIRE(manifest__add_ioctl(&b, "KVM_A", 0x4010ae01u, "struct t") == 0);
	diff_of(&a, &b, false, &n, &rep);
	ATF_CHECK_EQ(n.n[DIFF_INCOMPATIBLE], 0);
	CHECK_LINE(rep, "api", "field struct s.addr: member renamed to 'gpa' (same offset, size and type)");
	CHECK_LINE(rep, "api", "field struct s.flags: type __u32 -> __s32 (same size)");
	CHECK_LINE(rep, "api", "field struct s.word: Rust path changed: a direct member, now in an "
		   "anonymous union");
	CHECK_LINE(rep, "api", "ioctl KVM_A: argument struct s -> struct t (the same number)");
	CHECK_LINE(rep, "api", "ioctl KVM_B: removed");
	CHECK_LINE(rep, "api", "field union u.a.x: removed (was offset=0 size=8 type=__u64)");
	CHECK_LINE(rep, "added", "field union u.b: added");
	ATF_CHECK_EQ(n.n[DIFF_API], 6);
	ATF_CHECK_EQ(n.verdict, DIFF_MAJOR);
	free(rep);
	/* against the kernel's view the same differences are incompatible, but for the Rust
	 * path, which the kernel's view does not have */
	diff_opt(&a, &b, &strict, &n, &rep);
	ATF_CHECK_EQ(n.n[DIFF_API], 0);
	ATF_CHECK_EQ(n.n[DIFF_INCOMPATIBLE], 5);
	ATF_CHECK(strstr(rep, "Rust path") == NULL);
	CHECK_LINE(rep, "incompatible", "field struct s.flags: type __u32 -> __s32 (same size)");
	free(rep);
	manifest__fini(&a);
	manifest__fini(&b);
}

ATF_TC(diff_sentinel);
ATF_TC_HEAD(diff_sentinel, tc)
{
	atf_tc_set_md_var(tc, "descr", "A *_MAX / *_NR_MAX that grows with new entries of its "
			  "list just below it is sentinel (a minor verdict); one that grows alone, or "
			  "over an entry A had, is incompatible");
}
ATF_TC_BODY(diff_sentinel, tc)
{
	struct manifest a, b;
	struct diff_counts n;
	char *rep;

	manifest__init(&a);
	manifest__init(&b);
	ATF_REQUIRE(manifest__add_const(&a, "KVM_DEV_TYPE_VFIO", 4, false) == 0);
	ATF_REQUIRE(manifest__add_const(&a, "KVM_DEV_TYPE_MAX", 5, false) == 0);
	ATF_REQUIRE(manifest__add_const(&a, "KVM_SEV_LAST", 21, false) == 0);
	ATF_REQUIRE(manifest__add_const(&a, "KVM_SEV_NR_MAX", 22, false) == 0);
	ATF_REQUIRE(manifest__add_const(&a, "KVM_X_LAST", 1, false) == 0);
	ATF_REQUIRE(manifest__add_const(&a, "KVM_X_MAX", 2, false) == 0);
	ATF_REQUIRE(manifest__add_const(&b, "KVM_DEV_TYPE_VFIO", 4, false) == 0);
	ATF_REQUIRE(manifest__add_const(&b, "KVM_DEV_TYPE_AIA", 5, false) == 0);
	ATF_REQUIRE(manifest__add_const(&b, "KVM_DEV_TYPE_MAX", 6, false) == 0);
	ATF_REQUIRE(manifest__add_const(&b, "KVM_SEV_LAST", 21, false) == 0);
	ATF_REQUIRE(manifest__add_const(&b, "KVM_SEV_INIT2", 22, false) == 0);
	ATF_REQUIRE(manifest__add_const(&b, "KVM_SEV_SNP_START", 100, false) == 0);
	ATF_REQUIRE(manifest__add_const(&b, "KVM_SEV_SNP_FINISH", 101, false) == 0);
	ATF_REQUIRE(manifest__add_const(&b, "KVM_SEV_NR_MAX", 102, false) == 0);
	ATF_REQUIRE(manifest__add_const(&b, "KVM_X_LAST", 1, false) == 0);
	ATF_REQUIRE(manifest__add_const(&b, "KVM_X_MAX", 3, false) == 0);	/* nothing new at 2 */
	diff_of(&a, &b, false, &n, &rep);
	CHECK_LINE(rep, "sentinel", "const KVM_DEV_TYPE_MAX: value 5 -> 6: the list it bounds grew "
		   "by KVM_DEV_TYPE_AIA");
	CHECK_LINE(rep, "sentinel", "const KVM_SEV_NR_MAX: value 22 -> 102: the list it bounds grew "
		   "by KVM_SEV_SNP_FINISH, KVM_SEV_SNP_START, KVM_SEV_INIT2");
	CHECK_LINE(rep, "incompatible", "const KVM_X_MAX: value 2 -> 3");
	ATF_CHECK_EQ(n.n[DIFF_SENTINEL], 2);
	ATF_CHECK_EQ(n.n[DIFF_INCOMPATIBLE], 1);
	free(rep);
	/* without the lone one: additions and sentinels only, a minor verdict */
	for (size_t i = 0; i < b.nrecs; i++)
		if (!strcmp(b.recs[i].key, "KVM_X_MAX"))
			b.recs[i].value = 2;
	diff_of(&a, &b, false, &n, &rep);
	ATF_CHECK_EQ(n.n[DIFF_INCOMPATIBLE], 0);
	ATF_CHECK_EQ(n.n[DIFF_ADDED], 4);
	ATF_CHECK_EQ(n.verdict, DIFF_MINOR);
	ATF_CHECK(strstr(rep, "kvmgate diff: verdict minor: additions only; decided by 6 lines:") != NULL);
	free(rep);
	manifest__fini(&a);
	manifest__fini(&b);
}

ATF_TC(diff_arch_check);
ATF_TC_HEAD(diff_arch_check, tc)
{
	atf_tc_set_md_var(tc, "descr", "Two manifests of different arches are -EXDEV naming both; "
			  "an unknown or missing arch compares");
}
ATF_TC_BODY(diff_arch_check, tc)
{
	struct manifest a, b;
	char err[ERRBUF_SIZE] = "";

	manifest__init(&a);
	manifest__init(&b);
	ATF_CHECK_EQ(manifest__arch_check(&a, &b, err, sizeof(err)), 0);
	ATF_REQUIRE(manifest__add_meta(&a, "arch", "x86_64") == 0);
	ATF_REQUIRE(manifest__add_meta(&b, "arch", "unknown") == 0);
	manifest__sort(&a);
	manifest__sort(&b);
	ATF_CHECK_EQ(manifest__arch_check(&a, &b, err, sizeof(err)), 0);
	manifest__fini(&b);
	manifest__init(&b);
	ATF_REQUIRE(manifest__add_meta(&b, "arch", "arm64") == 0);
	manifest__sort(&b);
	ATF_CHECK_EQ(manifest__arch_check(&a, &b, err, sizeof(err)), -EXDEV);
	ATF_CHECK(strstr(err, "A is x86_64, B is arm64") != NULL);
	manifest__fini(&a);
	manifest__fini(&b);
}

ATF_TC(allow_file);
ATF_TC_HEAD(allow_file, tc)
{
	atf_tc_set_md_var(tc, "descr", "An allow entry turns a difference into 'allowed' with its "
			  "reason; malformed allow files are rejected with FILE:LINE");
}
ATF_TC_BODY(allow_file, tc)
{
	struct manifest a, b;
	struct allowlist al;
	struct diff_counts n;
	char err[ERRBUF_SIZE] = "", *rep;
	size_t len = 0;
	FILE *out;
	struct diff_opts o = { .allow = &al };

	write_text("allow", "# comment\n\nfield\tstruct s\tname\treason=kernel-internal size\n");
	ATF_REQUIRE_MSG(allowlist__read(&al, "allow", err, sizeof(err)) == 0, "%s", err);
	manifest__init(&a);
	manifest__init(&b);
	ATF_REQUIRE(manifest__add_type(&a, "struct s", 8, 1) == 0);
	ATF_REQUIRE(manifest__add_field(&a, "struct s", "name", "char[]", 8, 0, true) == 0);
	ATF_REQUIRE(manifest__add_type(&b, "struct s", 8, 1) == 0);
	ATF_REQUIRE(manifest__add_field(&b, "struct s", "name", "char[48]", 8, 48, false) == 0);
	out = open_memstream(&rep, &len);
	o.out = out;
	ATF_REQUIRE(manifest__diff(&a, &b, &o, &n) == 0);
	fclose(out);
	ATF_CHECK_EQ(n.n[DIFF_INCOMPATIBLE], 0);
	ATF_CHECK_EQ(n.n[DIFF_ALLOWED], 1);
	ATF_CHECK(strstr(rep, "kernel-internal size") != NULL);
	free(rep);
	allowlist__fini(&al);
	manifest__fini(&a);
	manifest__fini(&b);

	write_text("allow", "field\tstruct s\treason=no member column\n");
	ATF_CHECK(allowlist__read(&al, "allow", err, sizeof(err)) < 0);
	ATF_CHECK(strstr(err, "allow:1:") != NULL);
	write_text("allow", "type\tstruct s\n");
	ATF_CHECK(allowlist__read(&al, "allow", err, sizeof(err)) < 0);
	ATF_CHECK(strstr(err, "reason=TEXT") != NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, write_canonical_order);
	ATF_TP_ADD_TC(tp, read_roundtrip);
	ATF_TP_ADD_TC(tp, read_errors);
	ATF_TP_ADD_TC(tp, read_contradictions);
	ATF_TP_ADD_TC(tp, diff_classifies);
	ATF_TP_ADD_TC(tp, diff_padding_and_debuginfo);
	ATF_TP_ADD_TC(tp, diff_layout_neutral);
	ATF_TP_ADD_TC(tp, diff_api);
	ATF_TP_ADD_TC(tp, diff_sentinel);
	ATF_TP_ADD_TC(tp, diff_arch_check);
	ATF_TP_ADD_TC(tp, allow_file);
	return atf_no_error();
}
