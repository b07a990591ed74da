/* allow.h - allow files: differences that are known and explained, one entry a line with its
 * reason; diff.c turns a difference an entry matches into "allowed". */
#ifndef KVMGATE_ALLOW_H
#define KVMGATE_ALLOW_H

#include <stddef.h>

struct allow_entry {
	char *kind;	/* "type", "field", "const", "ioctl", "uneval" */
	char *key;	/* record key, e.g. "struct kvm_stats_desc" */
	char *member;	/* field path or NULL; "*" matches every field of the type */
	char *reason;
	unsigned line;
	unsigned used;
};

struct allowlist {
	struct allow_entry *e;
	size_t n;
	char *path;
};

/* Allow file: one entry a line, TAB-separated: KIND<TAB>KEY[<TAB>MEMBER]<TAB>reason=TEXT;
 * '#' comments and blank lines ignored. Errors name PATH:LINE. */
int allowlist__read(struct allowlist *a, const char *path, char *err, size_t errlen);
void allowlist__fini(struct allowlist *a);

#endif
