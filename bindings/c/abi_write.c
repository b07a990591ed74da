/* abi_write.c - a manifest as the bindings' C ABI header, kvm_abi.h (abi.h): the drop-in for the
 * parts of <linux/kvm.h> that conformance/ uses, so that the test programs take every layout,
 * constant and ioctl number from the bindings under test. The types come from abi_layout.c; here
 * the constants and ioctls as literal #defines, and the data tables, one row a line. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "abi_layout.h"

/* ---- constants, ioctls, tables ---- */

/* A constant as a C literal of its signedness (the table's value is a long long). */
static void const__literal(const struct mrec *r, char *buf, size_t len, bool table)
{
	uint64_t u = (uint64_t)r->value;

	if (r->value_unsigned && table)
		snprintf(buf, len, "(long long)0x%" PRIx64 "ULL", u);
	else if (r->value_unsigned)
		snprintf(buf, len, "0x%" PRIx64 "%s", u, u <= UINT32_MAX ? "U" : "ULL");
	else if (r->value == INT64_MIN)
		snprintf(buf, len, "(-9223372036854775807LL - 1)");
	else if (table)
		snprintf(buf, len, "%" PRId64 "LL", r->value);
	else if (r->value < 0)
		snprintf(buf, len, r->value >= INT32_MIN ? "(%" PRId64 ")" : "(%" PRId64 "LL)",
			 r->value);
	else
		snprintf(buf, len, r->value <= INT32_MAX ? "%" PRId64 : "%" PRId64 "LL", r->value);
}

static char ioctl__dir_char(uint32_t dir)
{
	return dir == (MIOC_READ | MIOC_WRITE) ? 'B' : dir == MIOC_READ ? 'R' :
	       dir == MIOC_WRITE ? 'W' : 'N';
}

static const char tables_decl[] =
	"/* The bindings' facts as data; defined where KVMGATE_ABI_TABLES is defined before the\n"
	" * include (one .c file of a program). Sorted by name (fields by type, then offset). */\n"
	"struct kvmgate_abi_ioctl {\n"
	"\tconst char *name;\n\tunsigned long number;\n"
	"\tchar dir;\t\t/* 'N' none, 'R' _IOR, 'W' _IOW, 'B' _IOWR */\n"
	"\tunsigned int type, nr, size;\n"
	"\tconst char *arg;\t/* \"struct kvm_regs\", \"__u64\", \"\" for none */\n};\n"
	"struct kvmgate_abi_type {\n\tconst char *name;\n\tunsigned int size, align;\n};\n"
	"struct kvmgate_abi_field {\n"
	"\tconst char *type;\n\tconst char *path;\t/* \"hypercall.flags\" */\n"
	"\tunsigned int offset, size;\t/* bytes (a bitfield: the bytes its bits span) */\n"
	"\tunsigned int bit_offset, bit_size;\t/* bitfields: absolute bit offset, width; 0,0 "
	"otherwise */\n"
	"\tconst char *ftype;\t/* \"__u64\", \"__u8[16]\" */\n};\n"
	"struct kvmgate_abi_const {\n\tconst char *name;\n\tlong long value;\n\tint is_unsigned;\n"
	"};\n"
	"extern const struct kvmgate_abi_ioctl kvmgate_abi_ioctls[];\n"
	"extern const unsigned int kvmgate_abi_nr_ioctls;\n"
	"extern const struct kvmgate_abi_type kvmgate_abi_types[];\n"
	"extern const unsigned int kvmgate_abi_nr_types;\n"
	"extern const struct kvmgate_abi_field kvmgate_abi_fields[];\n"
	"extern const unsigned int kvmgate_abi_nr_fields;\n"
	"extern const struct kvmgate_abi_const kvmgate_abi_consts[];\n"
	"extern const unsigned int kvmgate_abi_nr_consts;\n";

/* One table: kind's records, one row a line (bindings/abi_test.sh reads the rows as text). */
static void table__write(const struct manifest *m, enum mrec_kind kind, const char *stype,
			 const char *name, FILE *out)
{
	unsigned n = 0;
	char lit[64];

	fprintf(out, "const struct kvmgate_abi_%s kvmgate_abi_%ss[] = {\n", stype, name);
	for (size_t i = 0; i < m->nrecs; i++) {
		const struct mrec *r = &m->recs[i];

		if (r->kind != kind || (kind == MREC_TYPE && strchr(r->key, '<')))
			continue;
		n++;
		switch (kind) {
		case MREC_IOCTL:
			fprintf(out, "\t{ \"%s\", 0x%08" PRIx32 "UL, '%c', 0x%02" PRIx32 ", 0x%02" PRIx32
				", %" PRIu64 ", \"%s\" },\n", r->key, r->number,
				ioctl__dir_char(r->dir), r->ioc_type, r->nr, r->size,
				strcmp(r->text, "-") ? r->text : "");
			break;
		case MREC_TYPE:
			fprintf(out, "\t{ \"%s\", %" PRIu64 ", %" PRIu64 " },\n",
				abi__type_spelling(r->key), r->size, r->align);
			break;
		case MREC_FIELD:
			if (r->is_bitfield)
				fprintf(out, "\t{ \"%s\", \"%s\", %" PRIu64 ", %" PRIu64 ", %" PRIu64
					", %" PRIu32 ", \"%s\" },\n", abi__type_spelling(r->key), r->member,
					r->bitoffset / 8,
					(r->bitoffset % 8 + r->bitsize + 7) / 8, r->bitoffset,
					r->bitsize, r->text);
			else
				fprintf(out, "\t{ \"%s\", \"%s\", %" PRIu64 ", %" PRIu64 ", 0, 0, "
					"\"%s\" },\n", abi__type_spelling(r->key), r->member, r->offset, r->size,
					r->text);
			break;
		case MREC_CONST:
			const__literal(r, lit, sizeof(lit), true);
			fprintf(out, "\t{ \"%s\", %s, %d },\n", r->key, lit, r->value_unsigned);
			break;
		default:
			break;
		}
	}
	if (!n)	/* C has no empty initializer lists */
		fprintf(out, "\t{ 0 },\n");
	fprintf(out, "};\nconst unsigned int kvmgate_abi_nr_%ss = %u;\n\n", name, n);
}

int abi__write(struct manifest *m, FILE *out, char *err, size_t errlen)
{
	const char *arch = manifest__meta(m, "arch"), *kernel = manifest__meta(m, "kernel");
	struct sbuf types = SBUF_INIT;
	char lit[64];
	int ret;

	manifest__sort(m);
	ret = abi__types(m, &types, err, errlen);
	if (ret) {
		sbuf__fini(&types);
		return ret;
	}
	fprintf(out, "/* kvm_abi.h - generated by kvmgate %s from the layout manifest: arch %s, "
		"kernel %s. Do not edit.\n"
		" * The bindings under test as C: their structs and unions at the manifest's offsets "
		"(explicit\n"
		" * __kvmgate_pad_<offset> padding), their constants and ioctl numbers as literals, "
		"and tables\n"
		" * of all of them. A drop-in for what conformance/ uses of <linux/kvm.h>. */\n"
		"#ifndef KVMGATE_ABI_H\n#define KVMGATE_ABI_H\n\n#include <linux/types.h>\n\n"
		"#define KVMGATE_ABI_ARCH \"%s\"\n#define KVMGATE_ABI_KERNEL \"%s\"\n\n",
		KVMGATE_VERSION, arch ? arch : "?", kernel ? kernel : "?", arch ? arch : "?",
		kernel ? kernel : "?");
	for (size_t i = 0; i < m->nrecs; i++)
		if (m->recs[i].kind == MREC_TYPE && (!strncmp(m->recs[i].key, "struct ", 7) ||
		    !strncmp(m->recs[i].key, "union ", 6)) && !abi__from_linux_types(m->recs[i].key))
			fprintf(out, "%s;\n", m->recs[i].key);
	fprintf(out, "\n%s", sbuf__str(&types));
	sbuf__fini(&types);
	for (size_t i = 0; i < m->nrecs; i++) {
		const struct mrec *r = &m->recs[i];

		if (r->kind == MREC_CONST) {
			const__literal(r, lit, sizeof(lit), false);
			/* a bindings.rs has what linux/types.h and the ioctl encoding define too
			 * (__BITS_PER_LONG, _IOC_READ, IOC_IN): theirs win */
			if (r->key[0] == '_' || !strncmp(r->key, "IOC", 3))
				fprintf(out, "#ifndef %s\n#define %s %s\n#endif\n", r->key, r->key, lit);
			else
				fprintf(out, "#define %s %s\n", r->key, lit);
		} else if (r->kind == MREC_IOCTL) {
			fprintf(out, "#define %s 0x%08" PRIx32 "U\t/* %s(0x%02" PRIx32 ", 0x%02" PRIx32
				", %s) */\n", r->key, r->number,
				r->dir == (MIOC_READ | MIOC_WRITE) ? "_IOWR" : r->dir == MIOC_READ ?
				"_IOR" : r->dir == MIOC_WRITE ? "_IOW" : "_IO", r->ioc_type, r->nr,
				strcmp(r->text, "-") ? r->text : "-");
		}
	}
	fprintf(out, "\n%s#endif /* KVMGATE_ABI_H */\n\n", tables_decl);
	fprintf(out, "#if defined(KVMGATE_ABI_TABLES) && !defined(KVMGATE_ABI_TABLES_DEFINED)\n"
		"#define KVMGATE_ABI_TABLES_DEFINED\n");
	table__write(m, MREC_IOCTL, "ioctl", "ioctl", out);
	table__write(m, MREC_TYPE, "type", "type", out);
	table__write(m, MREC_FIELD, "field", "field", out);
	table__write(m, MREC_CONST, "const", "const", out);
	fprintf(out, "#endif /* KVMGATE_ABI_TABLES */\n");
	return fflush(out) || ferror(out) ? -EIO : 0;
}

int abi__take_ioctls(struct manifest *m, struct manifest *ref, unsigned *added)
{
	bool *take = calloc(ref->nrecs ? ref->nrecs : 1, sizeof(*take));
	int ret = 0;

	*added = 0;
	if (!take)
		return -ENOMEM;
	manifest__sort(m);
	manifest__sort(ref);
	/* decide on the sorted m first: appending unsorts it for manifest__find */
	for (size_t i = 0; i < ref->nrecs; i++)
		take[i] = ref->recs[i].kind == MREC_IOCTL &&
			  !manifest__find(m, MREC_IOCTL, ref->recs[i].key, NULL);
	for (size_t i = 0; i < ref->nrecs && !ret; i++)
		if (take[i]) {
			ret = manifest__add_ioctl(m, ref->recs[i].key, ref->recs[i].number,
						  ref->recs[i].text);
			(*added)++;
		}
	free(take);
	manifest__sort(m);
	return ret;
}
