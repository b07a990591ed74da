/* bitfield_test.c - how bindgen 0.60 packs runs of C bitfields into storage units
 * (rust_bitfield.c), on canned member lists: offsets laid out again from bit 0, a bitfield that
 * would straddle its type's alignment moved to the next boundary, zero-width bitfields, unit
 * sizes in used bytes, unit alignment from the widest named bitfield, and where a run ends. */
#include <atf-c.h>
#include <stdlib.h>
#include <string.h>

#include "rust.h"

static struct ctype t_u8 = { .kind = CT_INT, .name = "unsigned char", .size = 1, .align = 1 };
static struct ctype t_u32 = { .kind = CT_INT, .name = "unsigned int", .size = 4, .align = 4 };
static struct ctype t_u64 = { .kind = CT_INT, .name = "unsigned long long", .size = 8, .align = 8 };
static struct ctype t_int = { .kind = CT_INT, .name = "int", .size = 4, .align = 4,
			      .is_signed = true };
/* typedef unsigned int __u32: the unit follows the typedef to its type */
static struct ctype t___u32 = { .kind = CT_TYPEDEF, .name = "__u32", .size = 4, .align = 4,
				.target = &t_u32 };

#define BF(n, t, bit, w) { .name = (n), .type = &(t), .offset_bits = (bit), .is_bitfield = true, \
			   .bit_width = (w) }
#define FIELD(n, t, bit) { .name = (n), .type = &(t), .offset_bits = (bit) }

struct units {
	struct rust_bfunit *u;
	size_t n;
};

/* The run of members from first: one more unit; *end the member after the run. */
static const struct rust_bfunit *run(const struct cmember *m, size_t nm, size_t first,
				     size_t *end, struct units *us)
{
	ATF_REQUIRE_EQ(rust__bitfield_units(m, nm, first, end, &us->u, &us->n), 0);
	return &us->u[us->n - 1];
}

static void check_bf(const struct rust_bfunit *u, size_t i, const char *name, unsigned offset)
{
	ATF_REQUIRE_MSG(i < u->nbf, "bitfield %zu of %zu", i, u->nbf);
	ATF_CHECK_MSG(u->bf[i].m->name == name || (u->bf[i].m->name && name &&
		      !strcmp(u->bf[i].m->name, name)), "bitfield %zu is not %s", i, name);
	ATF_CHECK_MSG(u->bf[i].offset == offset, "%s at bit %u, expected %u", name ? name : "(unnamed)",
		      u->bf[i].offset, offset);
}

ATF_TC_WITHOUT_HEAD(packed_from_bit_zero);
ATF_TC_BODY(packed_from_bit_zero, tc)
{
	/* struct { __u32 a:3, b:5; }: 8 bits, one byte */
	const struct cmember m[] = { BF("a", t___u32, 0, 3), BF("b", t___u32, 3, 5) };
	struct units us = { 0 };
	const struct rust_bfunit *u;
	size_t end;

	u = run(m, 2, 0, &end, &us);
	ATF_CHECK_EQ(end, 2);
	ATF_CHECK_EQ(u->first, 0);
	ATF_CHECK_EQ(u->count, 2);
	check_bf(u, 0, "a", 0);
	check_bf(u, 1, "b", 3);
	ATF_CHECK_EQ(u->size, 1);
	ATF_CHECK_EQ(u->align, 1);
	ATF_CHECK_EQ(u->byte_offset, 0);
	rust__bitfield_units_free(us.u, us.n);
}

ATF_TC_WITHOUT_HEAD(straddle_moves_to_boundary);
ATF_TC_BODY(straddle_moves_to_boundary, tc)
{
	/* __u8 a:7, b:3: b would cross the byte boundary of its type, so it starts at bit 8 */
	const struct cmember m8[] = { BF("a", t_u8, 0, 7), BF("b", t_u8, 8, 3) };
	/* __u64 a:40, b:30: b would cross the 64-bit boundary, so it starts at bit 64; the unit
	 * holds 94 bits (12 bytes) and is aligned as the widest, 40 bits -> 8 bytes */
	const struct cmember m64[] = { BF("a", t_u64, 0, 40), BF("b", t_u64, 64, 30) };
	struct units us = { 0 };
	const struct rust_bfunit *u;
	size_t end;

	u = run(m8, 2, 0, &end, &us);
	check_bf(u, 0, "a", 0);
	check_bf(u, 1, "b", 8);
	ATF_CHECK_EQ(u->size, 2);
	ATF_CHECK_EQ(u->align, 1);

	u = run(m64, 2, 0, &end, &us);
	check_bf(u, 0, "a", 0);
	check_bf(u, 1, "b", 64);
	ATF_CHECK_EQ(u->size, 12);
	ATF_CHECK_EQ(u->align, 8);
	rust__bitfield_units_free(us.u, us.n);
}

ATF_TC_WITHOUT_HEAD(zero_width_aligns);
ATF_TC_BODY(zero_width_aligns, tc)
{
	/* __u32 a:3; __u32 :0; __u32 b:2;  the :0 moves on to the next 32-bit boundary; unnamed
	 * members do not count for the alignment (widest named: 3 bits -> 1 byte) */
	const struct cmember m[] = { BF("a", t_u32, 0, 3), BF(NULL, t_u32, 32, 0),
				     BF("b", t_u32, 32, 2) };
	struct units us = { 0 };
	const struct rust_bfunit *u;
	size_t end;

	u = run(m, 3, 0, &end, &us);
	ATF_CHECK_EQ(end, 3);
	ATF_CHECK_EQ(u->nbf, 3);
	check_bf(u, 0, "a", 0);
	check_bf(u, 1, NULL, 32);
	check_bf(u, 2, "b", 32);
	ATF_CHECK_EQ(u->size, 5);
	ATF_CHECK_EQ(u->align, 1);
	rust__bitfield_units_free(us.u, us.n);
}

ATF_TC_WITHOUT_HEAD(run_ends_at_field);
ATF_TC_BODY(run_ends_at_field, tc)
{
	/* struct { __u32 a:1, b:2; int c; __u32 d:4; }: two units, the second at byte 8 */
	const struct cmember m[] = { BF("a", t_u32, 0, 1), BF("b", t_u32, 1, 2),
				     FIELD("c", t_int, 32), BF("d", t_u32, 64, 4) };
	struct units us = { 0 };
	const struct rust_bfunit *u;
	size_t end;

	u = run(m, 4, 0, &end, &us);
	ATF_CHECK_EQ(end, 2);
	ATF_CHECK_EQ(u->count, 2);
	ATF_CHECK_EQ(u->byte_offset, 0);
	u = run(m, 4, 3, &end, &us);
	ATF_CHECK_EQ(end, 4);
	ATF_CHECK_EQ(u->first, 3);
	ATF_CHECK_EQ(u->count, 1);
	check_bf(u, 0, "d", 0);		/* laid out again from bit 0 of its unit */
	ATF_CHECK_EQ(u->byte_offset, 8);
	ATF_CHECK_EQ(us.n, 2);
	rust__bitfield_units_free(us.u, us.n);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, packed_from_bit_zero);
	ATF_TP_ADD_TC(tp, straddle_moves_to_boundary);
	ATF_TP_ADD_TC(tp, zero_width_aligns);
	ATF_TP_ADD_TC(tp, run_ends_at_field);
	return atf_no_error();
}
