/* update_version.c - kernel versions as `kvmgate bindings` takes them ("v6.1", "6.12", "v6.1.5")
 * and as kvm-bindings spells them in file and feature names ("6_1_0": bindings_v6_1_0.rs,
 * kvm-v6_1_0), and their order (oldest first; the newest is the crate's default). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "update.h"

int upd__parse_version(struct upd_version *v, const char *name)
{
	const char *p = name;
	char *end;

	memset(v, 0, sizeof(*v));
	v->name = name;
	if (*p == 'v')
		p++;
	for (int i = 0; i < 3; i++) {
		unsigned long n;

		if (*p < '0' || *p > '9')
			return -EINVAL;
		n = strtoul(p, &end, 10);
		if (n > 999)
			return -EINVAL;
		v->num[i] = (unsigned)n;
		p = end;
		if (!*p)
			break;
		if (*p != '.' || i == 2)
			return -EINVAL;
		p++;
	}
	if (*p || v->num[0] == 0)
		return -EINVAL;
	snprintf(v->crate, sizeof(v->crate), "%u_%u_%u", v->num[0], v->num[1], v->num[2]);
	return 0;
}

static int cmp_version(const void *a, const void *b)
{
	const struct upd_version *x = a, *y = b;

	for (int i = 0; i < 3; i++)
		if (x->num[i] != y->num[i])
			return x->num[i] < y->num[i] ? -1 : 1;
	return 0;
}

void upd__sort_versions(struct upd *u)
{
	qsort(u->versions, u->nver, sizeof(u->versions[0]), cmp_version);
}
