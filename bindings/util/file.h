/* file.h - whole files: read into memory, written from memory. */
#ifndef KVMGATE_FILE_H
#define KVMGATE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The largest file and the longest text line kvmgate reads (its inputs are a few MiB). */
#define FILE_READ_MAX ((size_t)512 << 20)
#define FILE_LINE_MAX ((size_t)1 << 20)

/* Read all of path into *buf (malloc'd, not NUL-terminated), *len bytes. 0 or -errno; err =
 * "PATH: what" for a file that cannot be opened or read, a directory, a device, a file larger
 * than FILE_READ_MAX, or no memory. */
int file__read(const char *path, char **buf, size_t *len, char *err, size_t errlen);
/* Open path for reading text line by line (a directory or a device is refused: err "PATH:
 * what"). NULL with *rc = -errno on failure. */
FILE *file__open_text(const char *path, char *err, size_t errlen, int *rc);

/* One line of a text file: s (malloc'd, NUL-terminated, without its '\n'), len, and whether
 * the line ended with '\n'. Zero-initialise; free(s) at the end. */
struct file_line {
	char *s;
	size_t len, cap;
	bool had_nl;
};
/* Read the next line (number line, for messages): 1 a line, 0 end of file, -errno with err
 * "PATH:LINE: what" (a NUL byte, a line longer than FILE_LINE_MAX, a read error, no memory). */
int file__getline(FILE *f, const char *path, unsigned line, struct file_line *l, char *err,
		  size_t errlen);

/* Create or truncate path (0600) with data[0..len). 0 or -errno. */
int file__write(const char *path, const void *data, size_t len);

#endif
