/* manifest.c - the layout manifest model: append, sort, look up, and its canonical text form
 * (MANIFEST.md): the writer, and the reader that checks every line. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manifest.h"
#include "source.h"

static const char *const kind_names[MREC__NR] = {
	[MREC_META] = "meta", [MREC_TYPE] = "type", [MREC_FIELD] = "field",
	[MREC_CONST] = "const", [MREC_IOCTL] = "ioctl", [MREC_UNEVAL] = "uneval",
};

void manifest__init(struct manifest *m)
{
	memset(m, 0, sizeof(*m));
}

void manifest__fini(struct manifest *m)
{
	for (size_t i = 0; i < m->nrecs; i++) {
		free(m->recs[i].key);
		free(m->recs[i].member);
		free(m->recs[i].text);
	}
	free(m->recs);
	manifest__init(m);
}

static struct mrec *manifest__new_rec(struct manifest *m, enum mrec_kind kind, const char *key,
				      const char *member, const char *text)
{
	struct mrec *r;

	if (m->nrecs == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 256;
		struct mrec *n = realloc(m->recs, cap * sizeof(*n));

		if (!n)
			return NULL;
		m->recs = n;
		m->cap = cap;
	}
	r = &m->recs[m->nrecs];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->key = strdup(key);
	r->member = member ? strdup(member) : NULL;
	r->text = text ? strdup(text) : NULL;
	if (!r->key || (member && !r->member) || (text && !r->text)) {
		free(r->key);
		free(r->member);
		free(r->text);
		return NULL;
	}
	m->nrecs++;
	return r;
}

int manifest__add_meta(struct manifest *m, const char *key, const char *value)
{
	return manifest__new_rec(m, MREC_META, key, NULL, value) ? 0 : -ENOMEM;
}

int manifest__add_type(struct manifest *m, const char *name, uint64_t size, uint64_t align)
{
	struct mrec *r = manifest__new_rec(m, MREC_TYPE, name, NULL, NULL);

	if (!r)
		return -ENOMEM;
	r->size = size;
	r->align = align;
	return 0;
}

int manifest__add_field(struct manifest *m, const char *owner, const char *path, const char *type,
			uint64_t offset, uint64_t size, bool flex)
{
	struct mrec *r = manifest__new_rec(m, MREC_FIELD, owner, path, type);

	if (!r)
		return -ENOMEM;
	r->offset = offset;
	r->bitoffset = offset * 8;
	r->size = size;
	r->flex = flex;
	return 0;
}

int manifest__add_bitfield(struct manifest *m, const char *owner, const char *path,
			   const char *type, uint64_t bitoffset, uint32_t bitsize)
{
	struct mrec *r = manifest__new_rec(m, MREC_FIELD, owner, path, type);

	if (!r)
		return -ENOMEM;
	r->is_bitfield = true;
	r->bitoffset = bitoffset;
	r->bitsize = bitsize;
	return 0;
}

int manifest__add_const(struct manifest *m, const char *name, int64_t value, bool is_unsigned)
{
	struct mrec *r = manifest__new_rec(m, MREC_CONST, name, NULL, NULL);

	if (!r)
		return -ENOMEM;
	r->value = value;
	r->value_unsigned = is_unsigned && value < 0;
	return 0;
}

void ioctl__decode(uint32_t number, uint32_t *dir, uint32_t *type, uint32_t *nr, uint32_t *size)
{
	*nr = number & 0xff;
	*type = (number >> 8) & 0xff;
	*size = (number >> 16) & 0x3fff;
	*dir = (number >> 30) & 0x3;
}

const char *ioctl__dir_name(uint32_t dir)
{
	static const char *const names[] = { "none", "W", "R", "RW" };

	return names[dir & 3];
}

int manifest__add_ioctl(struct manifest *m, const char *name, uint32_t number, const char *arg)
{
	struct mrec *r = manifest__new_rec(m, MREC_IOCTL, name, NULL, arg ? arg : "-");
	uint32_t size;

	if (!r)
		return -ENOMEM;
	r->number = number;
	ioctl__decode(number, &r->dir, &r->ioc_type, &r->nr, &size);
	r->size = size;
	return 0;
}

int manifest__add_uneval(struct manifest *m, const char *name, const char *reason)
{
	return manifest__new_rec(m, MREC_UNEVAL, name, NULL, reason) ? 0 : -ENOMEM;
}

/* Types sort by name without the tag ("kvm_regs" of "struct kvm_regs"), then by tag. */
static const char *type_sortname(const char *key)
{
	const char *sp = strchr(key, ' ');

	return sp ? sp + 1 : key;
}

static int group_of(const struct mrec *r)
{
	switch (r->kind) {
	case MREC_META:
		return 0;
	case MREC_TYPE:
	case MREC_FIELD:
		return 1;
	case MREC_CONST:
		return 2;
	case MREC_IOCTL:
		return 3;
	default:
		return 4;
	}
}

static int mrec__cmp(const void *pa, const void *pb)
{
	const struct mrec *a = pa, *b = pb;
	int ga = group_of(a), gb = group_of(b), c;

	if (ga != gb)
		return ga - gb;
	if (ga == 0)
		return 0; /* meta: keep insertion order (qsort is not stable: see below) */
	if (ga == 1) {
		c = strcmp(type_sortname(a->key), type_sortname(b->key));
		if (c)
			return c;
		c = strcmp(a->key, b->key);
		if (c)
			return c;
		if (a->kind != b->kind)
			return a->kind == MREC_TYPE ? -1 : 1;
		if (a->kind == MREC_TYPE)
			return 0;
		if (a->bitoffset != b->bitoffset)
			return a->bitoffset < b->bitoffset ? -1 : 1;
		return strcmp(a->member, b->member);
	}
	return strcmp(a->key, b->key);
}

static const char *const meta_order[] = { "arch", "kernel", "source", "tool" };

static int meta_rank(const char *key)
{
	for (size_t i = 0; i < sizeof(meta_order) / sizeof(meta_order[0]); i++)
		if (!strcmp(key, meta_order[i]))
			return (int)i;
	return 100;
}

static int mrec__cmp_total(const void *pa, const void *pb)
{
	const struct mrec *a = pa, *b = pb;
	int c = mrec__cmp(pa, pb);

	if (c)
		return c;
	if (a->kind == MREC_META && b->kind == MREC_META) {
		c = meta_rank(a->key) - meta_rank(b->key);
		return c ? c : strcmp(a->key, b->key);
	}
	/* identical keys: order by content so the result is deterministic */
	return memcmp(&a->size, &b->size, sizeof(uint64_t) * 5);
}

static bool mrec__same(const struct mrec *a, const struct mrec *b)
{
	return a->kind == b->kind && !strcmp(a->key, b->key) &&
	       !!a->member == !!b->member && (!a->member || !strcmp(a->member, b->member)) &&
	       !!a->text == !!b->text && (!a->text || !strcmp(a->text, b->text)) &&
	       a->size == b->size && a->align == b->align && a->offset == b->offset &&
	       a->bitoffset == b->bitoffset && a->bitsize == b->bitsize &&
	       a->is_bitfield == b->is_bitfield && a->flex == b->flex && a->value == b->value &&
	       a->number == b->number;
}

void manifest__sort(struct manifest *m)
{
	size_t o = 0;

	if (!m->nrecs)
		return;
	qsort(m->recs, m->nrecs, sizeof(*m->recs), mrec__cmp_total);
	for (size_t i = 0; i < m->nrecs; i++) {
		if (o && mrec__same(&m->recs[o - 1], &m->recs[i])) {
			free(m->recs[i].key);
			free(m->recs[i].member);
			free(m->recs[i].text);
			continue;
		}
		m->recs[o++] = m->recs[i];
	}
	m->nrecs = o;
}

const struct mrec *manifest__find(const struct manifest *m, enum mrec_kind kind, const char *key,
				  const char *member)
{
	size_t lo = 0, hi = m->nrecs;
	struct mrec probe = { .kind = kind, .key = (char *)key, .member = (char *)member };

	if (kind == MREC_META) {
		for (size_t i = 0; i < m->nrecs; i++)
			if (m->recs[i].kind == MREC_META && !strcmp(m->recs[i].key, key))
				return &m->recs[i];
		return NULL;
	}
	if (kind == MREC_FIELD) {
		/* fields sort by offset first: scan the type's run */
		for (size_t i = 0; i < m->nrecs; i++) {
			const struct mrec *r = &m->recs[i];

			if (r->kind == MREC_FIELD && !strcmp(r->key, key) && !strcmp(r->member, member))
				return r;
		}
		return NULL;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = mrec__cmp(&probe, &m->recs[mid]);

		if (!c)
			return &m->recs[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *manifest__meta(const struct manifest *m, const char *key)
{
	const struct mrec *r = manifest__find(m, MREC_META, key, NULL);

	return r ? r->text : NULL;
}

static int mrec__write(const struct mrec *r, FILE *out)
{
	switch (r->kind) {
	case MREC_META:
		return fprintf(out, "meta\t%s\t%s\n", r->key, r->text);
	case MREC_TYPE:
		return fprintf(out, "type\t%s\tsize=%" PRIu64 "\talign=%" PRIu64 "\n", r->key, r->size,
			       r->align);
	case MREC_FIELD:
		if (r->is_bitfield)
			return fprintf(out, "field\t%s\t%s\tbitoffset=%" PRIu64 "\tbitsize=%" PRIu32
				       "\ttype=%s\n", r->key, r->member, r->bitoffset, r->bitsize, r->text);
		return fprintf(out, "field\t%s\t%s\toffset=%" PRIu64 "\tsize=%" PRIu64 "\ttype=%s%s\n",
			       r->key, r->member, r->offset, r->size, r->text, r->flex ? "\tflex" : "");
	case MREC_CONST:
		if (r->value_unsigned)
			return fprintf(out, "const\t%s\tvalue=%" PRIu64 "\n", r->key, (uint64_t)r->value);
		return fprintf(out, "const\t%s\tvalue=%" PRId64 "\n", r->key, r->value);
	case MREC_IOCTL:
		return fprintf(out, "ioctl\t%s\tnumber=0x%08" PRIx32 "\tdir=%s\ttype=0x%02" PRIx32
			       "\tnr=0x%02" PRIx32 "\tsize=%" PRIu64 "\targ=%s\n", r->key, r->number,
			       ioctl__dir_name(r->dir), r->ioc_type, r->nr, r->size, r->text);
	case MREC_UNEVAL:
		return fprintf(out, "uneval\t%s\treason=%s\n", r->key, r->text);
	default:
		return -1;
	}
}

int manifest__write(struct manifest *m, FILE *out)
{
	manifest__sort(m);
	if (fprintf(out, "%s\n", MANIFEST_MAGIC) < 0)
		return -EIO;
	for (size_t i = 0; i < m->nrecs; i++)
		if (mrec__write(&m->recs[i], out) < 0)
			return -EIO;
	if (fprintf(out, "%s%zu records\n", MANIFEST_END, m->nrecs) < 0)
		return -EIO;
	return fflush(out) ? -errno : 0;
}

int manifest__write_file(struct manifest *m, const char *path, char *err, size_t errlen)
{
	char *tmp;
	FILE *f;
	int fd, ret;

	if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
		return -ENOMEM;
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
		free(tmp);
		return ret;
	}
	f = fdopen(fd, "w");
	if (!f) {
		ret = -errno;
		close(fd);
		goto out_unlink;
	}
	ret = manifest__write(m, f);
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (!ret) {
		free(tmp);
		return 0;
	}
out_unlink:
	snprintf(err, errlen, "%s: cannot write: %s", path, strerror(-ret));
	unlink(tmp);
	free(tmp);
	return ret;
}

/* ---- reader ---- */

struct rd {
	const char *path;
	unsigned line;
	char *err;
	size_t errlen;
};

static int rd__fail(struct rd *rd, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(rd->err, rd->errlen, "%s:%u: ", rd->path, rd->line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < rd->errlen)
		vsnprintf(rd->err + n, rd->errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Consume "name=" from *col and parse an unsigned number (base 0). */
static int rd__num(struct rd *rd, char **cols, int ncol, int i, const char *name, uint64_t *v)
{
	size_t nl = strlen(name);
	char *end;

	if (i >= ncol || strncmp(cols[i], name, nl) || cols[i][nl] != '=')
		return rd__fail(rd, "expected '%s=NUMBER' in column %d", name, i + 1);
	errno = 0;
	if (cols[i][nl + 1] == '-' || !cols[i][nl + 1])
		return rd__fail(rd, "expected a non-negative number after '%s='", name);
	*v = strtoull(cols[i] + nl + 1, &end, 0);
	if (errno || *end)
		return rd__fail(rd, "expected a number after '%s=', got '%s'", name, cols[i] + nl + 1);
	return 0;
}

static int rd__str(struct rd *rd, char **cols, int ncol, int i, const char *name, const char **v)
{
	size_t nl = strlen(name);

	if (i >= ncol || strncmp(cols[i], name, nl) || cols[i][nl] != '=' || !cols[i][nl + 1])
		return rd__fail(rd, "expected '%s=TEXT' in column %d", name, i + 1);
	*v = cols[i] + nl + 1;
	return 0;
}

static int rd__ncols(struct rd *rd, int ncol, int want_min, int want_max, const char *kind)
{
	if (ncol < want_min || ncol > want_max)
		return rd__fail(rd, "'%s' record with %d columns, expected %d%s", kind, ncol, want_min,
				want_min != want_max ? " or more" : "");
	return 0;
}

static int rd__line(struct rd *rd, struct manifest *m, char *line)
{
	char *cols[12];
	int ncol = 0, ret;
	uint64_t a, b;
	const char *s;

	for (char *p = line;;) {
		char *tab = strchr(p, '\t');

		if (ncol == 12)
			return rd__fail(rd, "too many columns");
		cols[ncol++] = p;
		if (!tab)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	for (int i = 0; i < ncol; i++)
		if (!*cols[i])
			return rd__fail(rd, "empty column %d", i + 1);

	if (!strcmp(cols[0], "meta")) {
		if ((ret = rd__ncols(rd, ncol, 3, 3, "meta")))
			return ret;
		return manifest__add_meta(m, cols[1], cols[2]);
	}
	if (!strcmp(cols[0], "type")) {
		if ((ret = rd__ncols(rd, ncol, 4, 4, "type")))
			return ret;
		if (strncmp(cols[1], "struct ", 7) && strncmp(cols[1], "union ", 6) &&
		    strncmp(cols[1], "enum ", 5) && strchr(cols[1], ' '))
			return rd__fail(rd, "expected 'struct NAME', 'union NAME', 'enum NAME' or a "
					"typedef NAME, got '%s'", cols[1]);
		if ((ret = rd__num(rd, cols, ncol, 2, "size", &a)) ||
		    (ret = rd__num(rd, cols, ncol, 3, "align", &b)))
			return ret;
		if (!b || (b & (b - 1)))
			return rd__fail(rd, "alignment %" PRIu64 " is not a power of two", b);
		return manifest__add_type(m, cols[1], a, b);
	}
	if (!strcmp(cols[0], "field")) {
		if ((ret = rd__ncols(rd, ncol, 6, 7, "field")))
			return ret;
		if (!strncmp(cols[3], "bitoffset=", 10)) {
			if (ncol != 6)
				return rd__fail(rd, "a bitfield takes no flag");
			if ((ret = rd__num(rd, cols, ncol, 3, "bitoffset", &a)) ||
			    (ret = rd__num(rd, cols, ncol, 4, "bitsize", &b)) ||
			    (ret = rd__str(rd, cols, ncol, 5, "type", &s)))
				return ret;
			if (!b || b > 64)
				return rd__fail(rd, "bitsize %" PRIu64 " out of range 1..64", b);
			return manifest__add_bitfield(m, cols[1], cols[2], s, a, (uint32_t)b);
		}
		if ((ret = rd__num(rd, cols, ncol, 3, "offset", &a)) ||
		    (ret = rd__num(rd, cols, ncol, 4, "size", &b)) ||
		    (ret = rd__str(rd, cols, ncol, 5, "type", &s)))
			return ret;
		if (ncol == 7 && strcmp(cols[6], "flex"))
			return rd__fail(rd, "expected 'flex' or nothing after type=, got '%s'", cols[6]);
		return manifest__add_field(m, cols[1], cols[2], s, a, b, ncol == 7);
	}
	if (!strcmp(cols[0], "const")) {
		char *end;
		long long v;

		if ((ret = rd__ncols(rd, ncol, 3, 3, "const")))
			return ret;
		if (strncmp(cols[2], "value=", 6) || !cols[2][6])
			return rd__fail(rd, "expected 'value=NUMBER'");
		errno = 0;
		if (cols[2][6] == '-') {
			v = strtoll(cols[2] + 6, &end, 10);
			if (errno || *end)
				return rd__fail(rd, "expected a number after 'value=', got '%s'", cols[2] + 6);
			return manifest__add_const(m, cols[1], v, false);
		}
		a = strtoull(cols[2] + 6, &end, 10);
		if (errno || *end)
			return rd__fail(rd, "expected a number after 'value=', got '%s'", cols[2] + 6);
		return manifest__add_const(m, cols[1], (int64_t)a, true);
	}
	if (!strcmp(cols[0], "ioctl")) {
		uint64_t num, type, nr, size;
		uint32_t d, t, n, sz;
		const char *dir;

		if ((ret = rd__ncols(rd, ncol, 8, 8, "ioctl")))
			return ret;
		if ((ret = rd__num(rd, cols, ncol, 2, "number", &num)) ||
		    (ret = rd__str(rd, cols, ncol, 3, "dir", &dir)) ||
		    (ret = rd__num(rd, cols, ncol, 4, "type", &type)) ||
		    (ret = rd__num(rd, cols, ncol, 5, "nr", &nr)) ||
		    (ret = rd__num(rd, cols, ncol, 6, "size", &size)) ||
		    (ret = rd__str(rd, cols, ncol, 7, "arg", &s)))
			return ret;
		if (num > UINT32_MAX)
			return rd__fail(rd, "ioctl number 0x%" PRIx64 " does not fit 32 bits", num);
		ioctl__decode((uint32_t)num, &d, &t, &n, &sz);
		if (strcmp(dir, ioctl__dir_name(d)) || type != t || nr != n || size != sz)
			return rd__fail(rd, "dir/type/nr/size do not match number 0x%08" PRIx64
					" (expected dir=%s type=0x%02x nr=0x%02x size=%u)", num,
					ioctl__dir_name(d), t, n, sz);
		return manifest__add_ioctl(m, cols[1], (uint32_t)num, s);
	}
	if (!strcmp(cols[0], "uneval")) {
		if ((ret = rd__ncols(rd, ncol, 3, 3, "uneval")) ||
		    (ret = rd__str(rd, cols, ncol, 2, "reason", &s)))
			return ret;
		return manifest__add_uneval(m, cols[1], s);
	}
	return rd__fail(rd, "unknown record '%s' (expected meta, type, field, const, ioctl or uneval)",
			cols[0]);
}

/* Reject two records with the same key: a corrupted or concatenated manifest. */
static int rd__check_dups(struct rd *rd, struct manifest *m)
{
	manifest__sort(m);
	for (size_t i = 1; i < m->nrecs; i++) {
		const struct mrec *a = &m->recs[i - 1], *b = &m->recs[i];

		if (a->kind != b->kind || strcmp(a->key, b->key))
			continue;
		if (a->kind == MREC_FIELD && strcmp(a->member, b->member))
			continue;
		if (a->kind == MREC_FIELD) {
			snprintf(rd->err, rd->errlen, "%s: field %s.%s is listed twice", rd->path, a->key,
				 a->member);
			return -EINVAL;
		}
		snprintf(rd->err, rd->errlen, "%s: %s %s is listed twice", rd->path, kind_names[a->kind],
			 a->key);
		return -EINVAL;
	}
	return 0;
}

int manifest__read(struct manifest *m, const char *path, char *err, size_t errlen)
{
	struct rd rd = { .path = path, .err = err, .errlen = errlen };
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;
	bool last_nl = true, end_seen = false;

	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		rd.line++;
		last_nl = len > 0 && line[len - 1] == '\n';
		if (last_nl)
			line[--len] = '\0';
		if (strlen(line) != (size_t)len) {
			ret = rd__fail(&rd, "NUL byte in line");
			break;
		}
		if (rd.line == 1) {
			if (strcmp(line, MANIFEST_MAGIC)) {
				ret = rd__fail(&rd, "expected '%s'", MANIFEST_MAGIC);
				break;
			}
			continue;
		}
		if (end_seen) {
			ret = rd__fail(&rd, "text after the end line");
			break;
		}
		if (!strncmp(line, MANIFEST_END, strlen(MANIFEST_END))) {
			char *e;
			unsigned long long n = strtoull(line + strlen(MANIFEST_END), &e, 10);

			if (strcmp(e, " records") || n != m->nrecs) {
				ret = rd__fail(&rd, "end line says '%s', but %zu records were read",
					       line + strlen(MANIFEST_END), m->nrecs);
				break;
			}
			end_seen = true;
			continue;
		}
		if (!*line || *line == '#')
			continue;
		ret = rd__line(&rd, m, line);
		if (ret)
			break;
	}
	if (!ret && ferror(f)) {
		ret = -EIO;
		snprintf(err, errlen, "%s: read error", path);
	}
	if (!ret && rd.line == 0)
		ret = rd__fail(&rd, "empty file, expected '%s'", MANIFEST_MAGIC);
	else if (!ret && !last_nl)
		ret = rd__fail(&rd, "truncated: last line has no newline");
	else if (!ret && !end_seen)
		ret = rd__fail(&rd, "truncated: expected the end line '%sN records'", MANIFEST_END);
	free(line);
	fclose(f);
	if (!ret)
		ret = rd__check_dups(&rd, m);
	if (ret)
		manifest__fini(m);
	return ret;
}

bool manifest__is_file(const char *path)
{
	char buf[sizeof(MANIFEST_MAGIC)];
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fread(buf, 1, sizeof(buf) - 1, f) == sizeof(buf) - 1 &&
	     !memcmp(buf, MANIFEST_MAGIC, sizeof(buf) - 1);
	fclose(f);
	return ok;
}

static int manifest_source__load(struct manifest *m, const char *path, const struct source_opts *o,
				 char *err, size_t errlen)
{
	(void)o;
	return manifest__read(m, path, err, errlen);
}

const struct source_ops manifest_source_ops = {
	.name = "manifest",
	.probe = manifest__is_file,
	.load = manifest_source__load,
};
