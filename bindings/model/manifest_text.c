/* manifest_text.c - the canonical text form of a manifest (MANIFEST.md, manifest_text.h): the
 * writer, the reader that checks every line, and the manifest format's loader. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "manifest_check.h"
#include "manifest_text.h"
#include "source.h"

static const char *const kind_names[MREC__NR] = {
	[MREC_META] = "meta", [MREC_TYPE] = "type", [MREC_FIELD] = "field",
	[MREC_CONST] = "const", [MREC_IOCTL] = "ioctl", [MREC_UNEVAL] = "uneval",
};

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

struct manifest_reader {
	const char *path;
	unsigned line;
	char *err;
	size_t errlen;
};

/* Bad input at the line being read: "PATH:LINE: what" (-EINVAL). */
#define rd__fail(rd, fmt, ...) errbuf__fail_at((rd)->err, (rd)->errlen, (rd)->path, (rd)->line, \
					       fmt, ##__VA_ARGS__)

/* Consume "name=" from *col and parse an unsigned number (base 0). */
static int rd__num(struct manifest_reader *rd, char **cols, int ncol, int i, const char *name, uint64_t *v)
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

static int rd__str(struct manifest_reader *rd, char **cols, int ncol, int i, const char *name, const char **v)
{
	size_t nl = strlen(name);

	if (i >= ncol || strncmp(cols[i], name, nl) || cols[i][nl] != '=' || !cols[i][nl + 1])
		return rd__fail(rd, "expected '%s=TEXT' in column %d", name, i + 1);
	*v = cols[i] + nl + 1;
	return 0;
}

static int rd__ncols(struct manifest_reader *rd, int ncol, int want_min, int want_max, const char *kind)
{
	if (ncol < want_min || ncol > want_max)
		return rd__fail(rd, "'%s' record with %d columns, expected %d%s", kind, ncol, want_min,
				want_min != want_max ? " or more" : "");
	return 0;
}

static int rd__line(struct manifest_reader *rd, struct manifest *m, char *line)
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
static int rd__check_dups(struct manifest_reader *rd, struct manifest *m)
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
	struct manifest_reader rd = { .path = path, .err = err, .errlen = errlen };
	struct file_line fl = { 0 };
	unsigned *lines = NULL;
	size_t nlines = 0;
	char *line;
	int ret = 0, got;
	bool last_nl = true, end_seen = false;
	FILE *f = file__open_text(path, err, errlen, &ret);

	if (!f)
		return ret;
	while ((got = file__getline(f, path, rd.line + 1, &fl, err, errlen)) != 0) {
		if (got < 0) {
			ret = got;
			break;
		}
		rd.line++;
		line = fl.s;
		last_nl = fl.had_nl;
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
		/* the line of each record, for the checks after the last line */
		if (m->nrecs > nlines) {
			unsigned *nl = realloc(lines, m->nrecs * sizeof(*lines));

			if (!nl) {
				ret = -ENOMEM;
				break;
			}
			lines = nl;
			while (nlines < m->nrecs)
				lines[nlines++] = rd.line;
		}
	}
	if (!ret && rd.line == 0)
		ret = rd__fail(&rd, "empty file, expected '%s'", MANIFEST_MAGIC);
	else if (!ret && !last_nl)
		ret = rd__fail(&rd, "truncated: last line has no newline");
	else if (!ret && !end_seen)
		ret = rd__fail(&rd, "truncated: expected the end line '%sN records'", MANIFEST_END);
	free(fl.s);
	fclose(f);
	if (!ret)
		ret = manifest__check_read(m, lines, path, err, errlen);
	free(lines);
	if (ret == -ENOMEM && !*err)
		snprintf(err, errlen, "%s: out of memory", path);
	if (!ret)
		ret = rd__check_dups(&rd, m);
	if (ret)
		manifest__fini(m);
	return ret;
}

/* The manifest format: the file starts with MANIFEST_MAGIC. */
static bool manifest_source__probe(const char *path)
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
	.probe = manifest_source__probe,
	.load = manifest_source__load,
};
