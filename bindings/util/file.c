/* file.c - whole files into and out of memory (file.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

/* Refuse what is not a file of data: a directory, a device (/dev/zero reads for ever). */
static int file__check_kind(int fd, const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: %s", path, strerror(EISDIR));
		return -EISDIR;
	}
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
		snprintf(err, errlen, "%s: a device, not a file", path);
		return -EINVAL;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > FILE_READ_MAX) {
		snprintf(err, errlen, "%s: larger than %u MiB: not an input of kvmgate", path,
			 (unsigned)(FILE_READ_MAX >> 20));
		return -EFBIG;
	}
	return 0;
}

int file__read(const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *b;
	int e;

	if (!f) {
		e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	e = file__check_kind(fileno(f), path, err, errlen);
	if (e) {
		fclose(f);
		return e;
	}
	b = malloc(cap);
	if (!b) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			char *nb = cap < FILE_READ_MAX ? realloc(b, cap * 2) : NULL;

			if (!nb) {
				free(b);
				fclose(f);
				if (cap >= FILE_READ_MAX) {
					snprintf(err, errlen, "%s: larger than %u MiB: not an input of "
						 "kvmgate", path, (unsigned)(FILE_READ_MAX >> 20));
					return -EFBIG;
				}
				snprintf(err, errlen, "%s: out of memory", path);
				return -ENOMEM;
			}
			b = nb;
			cap *= 2;
		}
		got = fread(b + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno ? errno : EIO));
		free(b);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*buf = b;
	*len = n;
	return 0;
}

FILE *file__open_text(const char *path, char *err, size_t errlen, int *rc)
{
	FILE *f = fopen(path, "r");

	if (!f) {
		*rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	*rc = file__check_kind(fileno(f), path, err, errlen);
	if (*rc) {
		fclose(f);
		return NULL;
	}
	return f;
}

int file__getline(FILE *f, const char *path, unsigned line, struct file_line *l, char *err,
		  size_t errlen)
{
	int c;

	l->len = 0;
	l->had_nl = false;
	errno = 0;
	while ((c = getc_unlocked(f)) != EOF) {
		if (c == '\n') {
			l->had_nl = true;
			break;
		}
		if (c == '\0') {
			snprintf(err, errlen, "%s:%u: a NUL byte: not a text file", path, line);
			return -EINVAL;
		}
		if (l->len >= FILE_LINE_MAX) {
			snprintf(err, errlen, "%s:%u: a line longer than %u KiB: not a text file of "
				 "kvmgate", path, line, (unsigned)(FILE_LINE_MAX >> 10));
			return -EINVAL;
		}
		if (l->len + 1 >= l->cap) {
			size_t ncap = l->cap ? l->cap * 2 : 256;
			char *nb;

			nb = realloc(l->s, ncap);
			if (!nb) {
				snprintf(err, errlen, "%s:%u: out of memory", path, line);
				return -ENOMEM;
			}
			l->s = nb;
			l->cap = ncap;
		}
		l->s[l->len++] = (char)c;
	}
	if (c == EOF && ferror(f)) {
		snprintf(err, errlen, "%s:%u: %s", path, line, strerror(errno ? errno : EIO));
		return -EIO;
	}
	if (!l->s) {
		l->s = malloc(1);
		if (!l->s) {
			snprintf(err, errlen, "%s:%u: out of memory", path, line);
			return -ENOMEM;
		}
		l->cap = 1;
	}
	l->s[l->len] = '\0';
	return l->len || l->had_nl ? 1 : 0;
}

int file__write(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	const char *p = data;

	if (fd < 0)
		return -errno;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			int rc = -errno;

			close(fd);
			return rc;
		}
		p += n;
		len -= (size_t)n;
	}
	return close(fd) ? -errno : 0;
}
