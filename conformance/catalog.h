/* conformance/catalog.h - the ioctl catalog of an arch (conformance/catalog/<arch>.txt): for every
 * ioctl of the arch's manifest, the fd it is issued on, the capability it needs, its kind, its
 * partner, the set-up it needs, the bytes the kernel changes by itself, and for an ioctl that does
 * not apply the errno the kernel must answer and why. catalog/README.md describes the format; the
 * reader resolves field names through the bindings' field table (abi_tables.h). */
#ifndef KVMGATE_CATALOG_H
#define KVMGATE_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "abi_tables.h"

enum cat_fd { CAT_SYS, CAT_VM, CAT_VCPU, CAT_DEVICE, CAT_NR_FD };
enum cat_kind { CAT_GET, CAT_SET, CAT_CREATE, CAT_ACTION, CAT_QUERY, CAT_NA };

#define CAT_MAX_RANGES 32
#define CAT_MAX_ARGS 8
#define CAT_MAX_ERRNOS 4

struct cat_range { unsigned int offset, size; };

/* A set of fields (volatile=, sanitised=, distinct=): byte ranges resolved from the names, and
 * the reason the catalog gives. */
struct cat_fields {
	struct cat_range r[CAT_MAX_RANGES];
	unsigned int n;
	bool all;		/* distinct=all */
	bool payload;		/* distinct=payload: the data the argument points to */
	char *names;		/* as written */
	char *why;
};

/* An arg= setting: a field of the argument and its value. */
struct cat_setting { unsigned int offset, size; long long value; };

struct cat_entry {
	char *name;
	int line;
	unsigned int fds;	/* bit (1 << enum cat_fd) per fd kind */
	unsigned int fd;	/* the first listed: where the checks issue it (enum cat_fd) */
	char *cap;		/* "KVM_CAP_..." or NULL for "-" */
	enum cat_kind kind;
	char *partner;		/* a get/set pair: the other half */
	char *needs;		/* "mem,irqchip,vcpu": what the VM needs before the call */
	char *hook;		/* the C set-up hook, or NULL */
	struct cat_fields vol, san, distinct;
	struct cat_setting args[CAT_MAX_ARGS];
	unsigned int nargs;
	bool has_argval, has_expect;
	long long argval, expect;
	const struct kvmgate_abi_field *flex_count;	/* flex=COUNT:N */
	const struct kvmgate_abi_field *flex;
	unsigned int flex_n, flex_elem;
	int err[CAT_MAX_ERRNOS];	/* na: the errnos the kernel may answer (0-terminated) */
	char *why;		/* na: why */
	int gone;		/* gone=: the answer of a kernel that removed it, or 0 */
	char *gone_why;
	unsigned int since, until;	/* since=/until=: major*1000+minor, 0 when not given */
	const struct kvmgate_abi_ioctl *abi;	/* NULL when the manifest lacks it */
	const struct kvmgate_abi_type *type;	/* the struct or union carried, or NULL */
};

struct cat_default { int err[CAT_MAX_ERRNOS]; char *why; };

struct catalog {
	char *path;
	struct cat_entry *e;
	unsigned int n;
	struct cat_default def[CAT_NR_FD];	/* the answer to a number the fd does not know */
};

/* catalog_load: read path; 0, or -1 with "path:line: what was expected" in err. */
int catalog_load(struct catalog *cat, const char *path, char *err, size_t errlen);
void catalog_free(struct catalog *cat);
const struct cat_entry *catalog_find(const struct catalog *cat, const char *name);
/* catalog_needs: whether e's needs= lists what. */
bool catalog_needs(const struct cat_entry *e, const char *what);
/* catalog_version: "6.12", "6.1.192", "x86_64 6.1" -> major*1000+minor, or 0 when the text
 * names no version. */
unsigned int catalog_version(const char *text);
/* catalog_absent_ok: whether e may be absent from a manifest of the kernel version kernel
 * (catalog_version; 0 unknown): the headers of that kernel lack it by the catalog's since= or
 * until=, or the kernel is unknown and the entry has either. Else false with the reason in why. */
bool catalog_absent_ok(const struct cat_entry *e, unsigned int kernel, char *why, size_t n);
/* catalog_present_ok: whether e may be present in a manifest of kernel: not before its since=,
 * not from its until= on. Else false with the reason in why. */
bool catalog_present_ok(const struct cat_entry *e, unsigned int kernel, char *why, size_t n);
/* catalog_path: the catalog of this build's arch, next to the test program (atf's srcdir). */
void catalog_path(const char *srcdir, char *buf, size_t n);

const char *cat_fd_name(enum cat_fd fd);
const char *cat_kind_name(enum cat_kind kind);
/* cat_errno_ok: whether -r is one of the errnos of list (0-terminated). */
bool cat_errno_ok(const int *list, long r);
/* cat_errnos: the list as "EOPNOTSUPP or EINVAL" into buf. */
const char *cat_errnos(const int *list, char *buf, size_t n);
/* errno_name / errno_value: "ENOTTY" <-> ENOTTY for the errnos the catalog uses (0: unknown). */
const char *errno_name(int err);
int errno_value(const char *name);

#endif
