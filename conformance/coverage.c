/* conformance/coverage.c - coverage records (coverage.h): each call is one line, written with a
 * single O_APPEND write so that the records of concurrent test cases never interleave. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coverage.h"

#define COV_LINE_MAX 4096

/* cov__clean: a copy of s fit for one field of a TAB-separated line (TABs and newlines become
 * spaces), into buf of size n. */
static const char *cov__clean(const char *s, char *buf, size_t n)
{
	size_t i;

	if (s == NULL || *s == '\0')
		s = "-";
	for (i = 0; s[i] != '\0' && i + 1 < n; i++)
		buf[i] = (s[i] == '\t' || s[i] == '\n' || s[i] == '\r') ? ' ' : s[i];
	buf[i] = '\0';
	return buf;
}

/* cov__write: append one record "kind\tname\tstatus\tdetail\n" to the program's .cov file. */
static void cov__write(const char *kind, const char *name, const char *status, const char *detail)
{
	const char *dir = getenv("KVMGATE_COVERAGE_DIR");
	char path[4096], line[COV_LINE_MAX], n[512], d[COV_LINE_MAX - 600];
	int fd, len;
	ssize_t w;

	if (dir == NULL || *dir == '\0')
		return;
	if (snprintf(path, sizeof(path), "%s/%s.cov", dir, program_invocation_short_name) >=
	    (int)sizeof(path)) {
		fprintf(stderr, "kvmgate: coverage: path too long under %s\n", dir);
		return;
	}
	len = snprintf(line, sizeof(line), "%s\t%s\t%s\t%s\n", kind, cov__clean(name, n, sizeof(n)),
		       status, cov__clean(detail, d, sizeof(d)));
	if (len < 0 || len >= (int)sizeof(line))
		len = (int)strlen(line);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "kvmgate: coverage: %s: %s\n", path, strerror(errno));
		return;
	}
	w = write(fd, line, (size_t)len);
	if (w != len)
		fprintf(stderr, "kvmgate: coverage: %s: short write (%s)\n", path,
			w < 0 ? strerror(errno) : "partial");
	if (close(fd) != 0)
		fprintf(stderr, "kvmgate: coverage: %s: %s\n", path, strerror(errno));
}

void cov_ioctl(const char *ioctl, enum cov_status st, const char *detail)
{
	static const char *const names[] = {
		[COV_EXERCISED] = "exercised", [COV_SKIPPED] = "skipped", [COV_REJECTED] = "rejected",
	};

	cov__write("ioctl", ioctl, (unsigned)st < 3 ? names[st] : "?", detail);
}

void cov_struct(const char *type, bool roundtripped, const char *why)
{
	cov__write("struct", type, roundtripped ? "roundtripped" : "not", why);
}
