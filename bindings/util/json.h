/* json.h - the one JSON writer helper: a string as a JSON string literal (RFC 8259 escapes). */
#ifndef KVMGATE_JSON_H
#define KVMGATE_JSON_H

#include <stdio.h>

/* Write s (NULL: the literal null) quoted and escaped. */
void json__str(FILE *f, const char *s);

#endif
