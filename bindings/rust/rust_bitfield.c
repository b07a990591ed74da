/* rust_bitfield.c - how bindgen 0.60 packs a run of C bitfields into one __BindgenBitfieldUnit.
 *
 * bindgen does not use clang's bit offsets inside a unit: it lays the run out again from bit 0
 * (a bitfield that would straddle its type's alignment boundary moves to the next boundary), sizes
 * the unit to the bytes used, and aligns it by the widest bitfield (in bits, rounded up to a power
 * of two bytes). The accessors' `get(OFFSETusize, WIDTHu8)` use these offsets, so the writer
 * and the reader must agree with bindgen here.
 */
#include <errno.h>
#include <stdlib.h>

#include "rust.h"

static unsigned bits__align_up(unsigned v, unsigned a)
{
	return a ? (v + a - 1) / a * a : v;
}

/* Bytes of the smallest power of two that holds `bits` bits (bindgen's bytes_from_bits_pow2). */
static unsigned bits__pow2_bytes(unsigned bits)
{
	unsigned bytes = (bits + 7) / 8, p = 1;

	if (bytes == 0)
		return 1;
	while (p < bytes)
		p <<= 1;
	return p;
}

int rust__bitfield_units(const struct cmember *members, size_t nmembers, size_t first,
			 size_t *end, struct rust_bfunit **units, size_t *nunits)
{
	struct rust_bfunit *u, *grown;
	unsigned unit_bits = 0, unit_align_bits = 0;
	size_t i;

	grown = realloc(*units, (*nunits + 1) * sizeof(**units));
	if (!grown)
		return -ENOMEM;
	*units = grown;
	u = &grown[*nunits];
	*u = (struct rust_bfunit){ .first = first };
	u->bf = calloc(nmembers - first, sizeof(*u->bf));
	if (!u->bf)
		return -ENOMEM;
	(*nunits)++;
	u->byte_offset = members[first].offset_bits / 8;

	for (i = first; i < nmembers && members[i].is_bitfield; i++) {
		const struct cmember *m = &members[i];
		const struct ctype *t = ctype__strip(m->type);
		unsigned width = m->bit_width;
		unsigned tsize = t && t->size ? (unsigned)t->size : 4;
		unsigned talign = t && t->align ? (unsigned)t->align : tsize;
		unsigned off = unit_bits;

		if (off != 0 && (width == 0 || (off & (talign * 8 - 1)) + width > tsize * 8))
			off = bits__align_up(off, talign * 8);
		if (m->name && m->name[0] && width > unit_align_bits)
			unit_align_bits = width;
		u->bf[u->nbf].m = m;
		u->bf[u->nbf].offset = off;
		u->nbf++;
		unit_bits = off + width;
	}
	u->count = i - first;
	u->size = bits__align_up(unit_bits, 8) / 8;
	u->align = bits__pow2_bytes(unit_align_bits);
	*end = i;
	return 0;
}

void rust__bitfield_units_free(struct rust_bfunit *units, size_t nunits)
{
	for (size_t i = 0; i < nunits; i++)
		free(units[i].bf);
	free(units);
}
