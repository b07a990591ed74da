/* conformance/ioctl_test.c - the generic checks of every ioctl of the arch's catalog
 * (catalog/<arch>.txt), with every number, size and offset taken from the bindings under test:
 *   system, vm, vcpu ioctls: accepted on their fd with a real argument where the capability is
 *     present (a missing one is a skip naming it); for an argument the kernel fills, the guard
 *     bytes after the binding's size stay untouched and every byte is written (two poisons);
 *   pairs: GET -> SET -> GET yields the same bytes (volatile bytes masked), and distinctive values
 *     SET in the catalog's distinct= fields come back from GET;
 *   numbers: the number with another size encoded, and on the wrong kind of fd, is rejected as the
 *     fd's default case answers;
 *   not applicable: other arches' and removed ioctls are rejected exactly as the catalog says.
 * One case per family, an ATF_CHECK per ioctl naming it; every ioctl's outcome goes to the
 * coverage records (coverage.h). An ioctl whose capability or feature is missing is left out of
 * its family, and missing_features is skipped naming all of them. */
#include <atf-c.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "coverage.h"
#include "ioctl_check.h"

/* call_err: what a failed ictx_call answered. */
static const char *call_err(long r)
{
	return r == -ETIMEDOUT ? "did not return within 10 s (a guest that runs away?)" :
		strerror((int)-r);
}

/* masked_equal: a and b agree outside e's volatile ranges; the first differing offset in *at. */
static bool masked_equal(const struct cat_entry *e, const unsigned char *a, const unsigned char *b,
			 size_t len, size_t *at)
{
	for (size_t i = 0; i < len; i++) {
		bool vol = false;

		for (unsigned int k = 0; k < e->vol.n && !vol; k++)
			vol = i >= e->vol.r[k].offset && i < e->vol.r[k].offset + e->vol.r[k].size;
		if (!vol && a[i] != b[i]) {
			*at = i;
			return false;
		}
	}
	return true;
}

/* call_get: reset the argument with poison, call; checks the result and the guard bytes. */
static bool call_get(struct ictx *c, const struct cat_entry *e, unsigned char poison,
		     unsigned char *out)
{
	long r;

	ictx_reset_arg(c, poison);
	r = ictx_call(c, e);
	ATF_CHECK_MSG(r >= 0, "%s: %s", e->name, call_err(r));
	if (r < 0)
		return false;
	ATF_CHECK_MSG(ictx_guard_ok(c), "%s: the kernel wrote past the binding's %zu bytes",
		      e->name, c->len);
	ATF_CHECK_MSG(ictx_payload_guard_ok(c), "%s: the kernel wrote past the %zu bytes the "
		      "argument points to", e->name, c->payload_len);
	memcpy(out, c->buf, c->len);
	if (c->payload != NULL)
		memcpy(out + c->len, c->payload, c->payload_len);
	return true;
}

/* check_get: a get with no partner, or the first half of a round trip: bounds and, for an
 * output-only argument, that the kernel fills every byte it claims (two poisons agree). */
static bool check_get(struct ictx *c, const struct cat_entry *e, unsigned char **first,
		      char *checks, size_t n)
{
	size_t total = c->len + c->payload_len, at;
	unsigned char *a = malloc(total), *b = malloc(total);
	bool ok;

	ATF_REQUIRE(a != NULL && b != NULL);
	ok = call_get(c, e, 0xa5, a);
	if (ok && e->abi->dir == 'R' && c->payload == NULL) {
		ok = call_get(c, e, 0x5a, b);
		if (ok && !masked_equal(e, a, b, c->len, &at)) {
			ATF_CHECK_MSG(false, "%s: byte %zu of %zu is not written by the kernel (poison "
				      "0x%02x, then 0x%02x)", e->name, at, c->len, a[at], b[at]);
			ok = false;
		}
		snprintf(checks, n, "number,bounds,filled");
	} else
		snprintf(checks, n, "number,bounds");
	free(b);
	if (ok && first != NULL)
		*first = a;
	else
		free(a);
	return ok;
}

/* check_one: a non-pair ioctl with a real argument. */
static void check_one(struct ictx *c, const struct cat_entry *e)
{
	char checks[128];
	long r;

	switch (e->kind) {
	case CAT_GET:
		if (check_get(c, e, NULL, checks, sizeof(checks)))
			cov_ioctl(e->name, COV_EXERCISED, checks);
		return;
	case CAT_SET:
	case CAT_ACTION:
		ictx_reset_arg(c, 0);
		r = ictx_call(c, e);
		ATF_CHECK_MSG(r >= 0, "%s: %s", e->name, call_err(r));
		if (r >= 0)
			cov_ioctl(e->name, COV_EXERCISED, e->kind == CAT_SET ? "number,set" : "number,action");
		return;
	case CAT_CREATE:
		ictx_reset_arg(c, 0);
		r = ictx_call(c, e);
		ATF_CHECK_MSG(r >= 0, "%s: %s", e->name, call_err(r));
		if (r == 0 && e->type != NULL && abi_field(e->type->name, "fd") != NULL)
			r = (long)ictx_get(c, "fd");	/* KVM_CREATE_DEVICE: the fd in the struct */
		ATF_CHECK_MSG(r > 0, "%s: no fd (%ld)", e->name, r);
		if (r > 0) {
			close((int)r);
			cov_ioctl(e->name, COV_EXERCISED, "number,create: an fd");
		}
		return;
	case CAT_QUERY:
		ictx_reset_arg(c, 0);
		r = ictx_call(c, e);
		ATF_CHECK_MSG(r >= 0, "%s: %s", e->name, call_err(r));
		if (r >= 0 && e->has_expect)
			ATF_CHECK_MSG(r == e->expect, "%s: %ld, expected %lld", e->name, r, e->expect);
		if (r >= 0 && (!e->has_expect || r == e->expect))
			cov_ioctl(e->name, COV_EXERCISED,
				  e->has_expect ? "number,query: the expected value" : "number,query");
		return;
	case CAT_NA:
		break;
	}
}

/* fill_distinct: distinctive bytes for field k of size bytes (k*16+1, k*16+2, ...; the top two
 * bytes of 8-byte fields clear, so addresses stay canonical). */
static void fill_distinct(unsigned char *p, unsigned int k, size_t size)
{
	for (size_t j = 0; j < size; j++)
		p[j] = (unsigned char)(k * 16 + j + 1);
	if (size == 8)
		p[6] = p[7] = 0;
}

/* distinct_fill: distinctive bytes in e's distinct= ranges of the argument and its payload. */
static void distinct_fill(struct ictx *c, const struct cat_entry *e)
{
	for (unsigned int k = 0; k < e->distinct.n; k++) {
		const struct cat_range *r = &e->distinct.r[k];

		ATF_REQUIRE_MSG(r->offset + r->size <= c->len, "%s: distinct field at %u beyond the "
				"argument's %zu bytes", e->name, r->offset, c->len);
		fill_distinct(c->buf + r->offset, k, r->size);
	}
	if (e->distinct.payload && c->payload != NULL)
		fill_distinct(c->payload, e->distinct.n, c->payload_len);
}

/* record_skip: e (and its partner p, if any) not exercised, and why; e's struct not
 * round-tripped. */
static void record_skip(const struct cat_entry *e, const struct cat_entry *p, const char *why)
{
	cov_ioctl(e->name, COV_SKIPPED, why);
	if (p != NULL)
		cov_ioctl(p->name, COV_SKIPPED, why);
	if (e->type != NULL)
		cov_struct(e->type->name, false, why);
	printf("%s: skipped: %s\n", e->name, why);
}

/* check_pair: GET -> SET -> GET byte-equal, then distinct values SET -> GET. */
static void check_pair(struct ictx *c, const struct cat_entry *g, const struct cat_entry *s)
{
	size_t total = c->len + c->payload_len, at;
	unsigned char *a = NULL, *b = malloc(total);
	char checks[160];
	bool ok;
	long r;

	ATF_REQUIRE(b != NULL);
	ok = check_get(c, g, &a, checks, sizeof(checks));
	if (ok) {
		memcpy(c->buf, a, c->len);
		r = ictx_call(c, s);
		ATF_CHECK_MSG(r >= 0, "%s (with what %s returned): %s", s->name, g->name,
			      call_err(r));
		ok = r >= 0 && call_get(c, g, 0x5a, b);
	}
	if (ok && !masked_equal(g, a, b, total, &at)) {
		if (!ictx_needs_hold(c, g)) {
			/* what the round trip needs stopped holding while it ran: a skip */
			record_skip(g, s, c->skip);
			goto out;
		}
		ATF_CHECK_MSG(false, "%s -> %s -> %s: byte %zu differs (0x%02x, then 0x%02x)",
			      g->name, s->name, g->name, at, a[at], b[at]);
		ok = false;
	}
	if (ok)
		strcat(checks, ",roundtrip");
	if (ok && (g->distinct.n > 0 || (g->distinct.payload && c->payload != NULL))) {
		memcpy(c->buf, a, c->len);
		distinct_fill(c, g);
		memcpy(a, c->buf, c->len);
		if (c->payload != NULL)
			memcpy(a + c->len, c->payload, c->payload_len);
		r = ictx_call(c, s);
		ATF_CHECK_MSG(r >= 0, "%s (distinct values in %s): %s", s->name, g->distinct.names,
			      call_err(r));
		ok = r >= 0 && call_get(c, g, 0x5a, b);
		for (unsigned int k = 0; ok && k < g->distinct.n; k++) {
			const struct cat_range *rg = &g->distinct.r[k];

			if (memcmp(a + rg->offset, b + rg->offset, rg->size) != 0) {
				ATF_CHECK_MSG(false, "%s: the distinct value SET at offset %u (%u bytes) "
					      "does not come back", g->name, rg->offset, rg->size);
				ok = false;
			}
		}
		if (ok && g->distinct.payload && c->payload != NULL &&
		    memcmp(a + c->len, b + c->len, c->payload_len) != 0) {
			ATF_CHECK_MSG(false, "%s: the distinct value SET in the %zu bytes the argument "
				      "points to does not come back", g->name, c->payload_len);
			ok = false;
		}
		if (ok)
			strcat(checks, ",distinct");
	}
	if (ok) {
		cov_ioctl(g->name, COV_EXERCISED, checks);
		cov_ioctl(s->name, COV_EXERCISED, strstr(checks, "distinct") ?
			  "number,roundtrip,distinct" : "number,roundtrip");
		if (g->type != NULL)
			cov_struct(g->type->name, true, g->name);
		if (s->type != NULL && s->type != g->type)
			cov_struct(s->type->name, true, s->name);
	}
out:
	free(a);
	free(b);
}

/* struct_not: why the struct of e, not part of a pair, is not round-tripped. */
static void struct_not(const struct cat_entry *e)
{
	char why[256];

	snprintf(why, sizeof(why), "carried by %s, %s", e->name,
		 e->kind == CAT_GET ? "a get with no set: bounds and filled bytes checked" :
		 e->kind == CAT_SET ? "a set with no get to read it back" :
		 e->kind == CAT_CREATE ? "a create: the kernel answers with an fd" :
		 "an action or query: nothing to read back");
	cov_struct(e->type->name, false, why);
}

static double ms(struct timespec a, struct timespec b)
{
	return (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
}

/* is_gone: e answers the errno of a kernel that removed it (gone=). */
static bool is_gone(struct ictx *c, const struct cat_entry *e)
{
	long r;

	ictx_reset_arg(c, 0);
	r = ictx_call(c, e);
	if (r >= 0 && e->kind == CAT_CREATE)
		close((int)r);
	return r == -e->gone;
}

/* run_family: every catalog entry selected by pick, each in its own environment. */
static void run_family(const atf_tc_t *tc, bool (*pick)(const struct cat_entry *e))
{
	struct catalog cat;
	unsigned int ran = 0, skipped = 0;

	ictx_catalog(&cat, tc);
	for (unsigned int i = 0; i < cat.n; i++) {
		const struct cat_entry *e = &cat.e[i], *p;
		struct ictx c;

		struct timespec t0, t1, t2;
		bool up;

		if (e->abi == NULL || !pick(e))	/* not in these bindings (catalog since=/until=) */
			continue;
		p = e->partner != NULL ? catalog_find(&cat, e->partner) : NULL;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		up = ictx_setup(&c, &cat, e);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (!up) {
			record_skip(e, p, c.skip);
			skipped++;
		} else if (e->gone != 0 && is_gone(&c, e)) {
			char detail[512];

			snprintf(detail, sizeof(detail), "%s: %s", errno_name(e->gone), e->gone_why);
			cov_ioctl(e->name, COV_REJECTED, detail);
			printf("%s: rejected as expected: %s\n", e->name, detail);
		} else {
			if (p != NULL)
				check_pair(&c, e, p);
			else {
				check_one(&c, e);
				if (e->type != NULL)
					struct_not(e);
			}
			ran++;
		}
		ictx_teardown(&c);
		clock_gettime(CLOCK_MONOTONIC, &t2);
		printf("%s: set-up %.1f ms, checks and tear-down %.1f ms\n", e->name, ms(t0, t1),
		       ms(t1, t2));
	}
	catalog_free(&cat);
	if (ran == 0 && skipped > 0)
		atf_tc_skip("every ioctl of this family skipped (see stdout)");
}

static bool pick_sys(const struct cat_entry *e)
{
	return e->kind != CAT_NA && e->fd == CAT_SYS && e->partner == NULL;
}

static bool pick_vm(const struct cat_entry *e)
{
	return e->kind != CAT_NA && e->fd == CAT_VM && e->partner == NULL;
}

static bool pick_vcpu(const struct cat_entry *e)
{
	return e->kind != CAT_NA && (e->fd == CAT_VCPU || e->fd == CAT_DEVICE) &&
		e->partner == NULL;
}

static bool pick_pair(const struct cat_entry *e)
{
	return e->kind == CAT_GET && e->partner != NULL;
}

#define FAMILY(name, pick, what) \
	ATF_TC(name); \
	ATF_TC_HEAD(name, tc) \
	{ \
		atf_tc_set_md_var(tc, "descr", what); \
		atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH); \
	} \
	ATF_TC_BODY(name, tc) { run_family(tc, pick); }

FAMILY(system_ioctls, pick_sys, "every /dev/kvm ioctl of the catalog: accepted with a real "
       "argument, bounds and filled bytes of what it returns")
FAMILY(vm_ioctls, pick_vm, "every VM ioctl of the catalog (pairs aside): accepted with a real "
       "argument, bounds and filled bytes of what it returns")
FAMILY(vcpu_ioctls, pick_vcpu, "every vCPU and device ioctl of the catalog (pairs aside): "
       "accepted with a real argument, bounds and filled bytes of what it returns")
FAMILY(pairs, pick_pair, "every GET/SET pair of the catalog: GET -> SET -> GET byte-equal "
       "(volatile bytes masked), distinctive values SET come back")

/* rejected: issue number on fd with a zeroed argument; -errno or the result. */
static long rejected(int fd, unsigned long number, unsigned int size)
{
	unsigned char *buf = calloc(1, size + 4096);
	long r;

	ATF_REQUIRE(buf != NULL);
	r = ioctl(fd, number, size == 0 ? 0UL : (unsigned long)buf);
	r = r < 0 ? -errno : r;
	free(buf);
	return r;
}

/* handled_on: whether some catalog entry other than e issues number on fd kind k. */
static bool handled_on(const struct catalog *cat, const struct cat_entry *e, unsigned long number,
		       enum cat_fd k)
{
	for (unsigned int i = 0; i < cat->n; i++) {
		const struct cat_entry *o = &cat->e[i];

		if (o != e && o->abi != NULL && o->abi->number == number && o->kind != CAT_NA &&
		    (o->fds & (1u << k)))
			return true;
	}
	return false;
}

ATF_TC(numbers);
ATF_TC_HEAD(numbers, tc)
{
	atf_tc_set_md_var(tc, "descr", "every ioctl of the catalog with another size encoded (size "
			  "+-8), and on the wrong kind of fd, is rejected as the fd's default case");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(numbers, tc)
{
	struct catalog cat;
	struct ictx c;
	const struct cat_entry *vcpu_entry;

	ictx_catalog(&cat, tc);
	/* One VM with a vCPU for all: the numbers must not reach any handler. */
	vcpu_entry = catalog_find(&cat, "KVM_RUN");
	ATF_REQUIRE_MSG(vcpu_entry != NULL, "the catalog has no KVM_RUN");
	ATF_REQUIRE_MSG(ictx_setup(&c, &cat, vcpu_entry), "a VM with a vCPU: %s", c.skip);
	for (unsigned int i = 0; i < cat.n; i++) {
		const struct cat_entry *e = &cat.e[i];
		char checks[160] = "", want[64];
		bool ok = true;

		if (e->kind == CAT_NA || e->abi == NULL || e->fd == CAT_DEVICE)
			continue;
		if (e->cap != NULL && ictx_cap(&c, e->cap) <= 0)
			continue;	/* skipped by its family, with the capability's name */
		/* another size on its own fd */
		for (int d = 8; d >= -8; d -= 16) {
			long size = (long)e->abi->size + d;
			unsigned long num;
			int fd = ictx_fd_of(&c, (enum cat_fd)e->fd);
			long r;

			if (size < 0 || size > 0x3fff)
				continue;
			num = abi_ioctl_resize(e->abi, (unsigned int)size);
			if (abi_ioctl_by_number(num, NULL) != NULL)
				continue;
			r = rejected(fd, num, (unsigned int)size);
			ATF_CHECK_MSG(cat_errno_ok(cat.def[e->fd].err, r), "%s with size %ld encoded "
				      "(0x%lx) on the %s fd: %s%s, expected %s", e->name, size, num,
				      cat_fd_name((enum cat_fd)e->fd), r < 0 ? "" : "accepted ",
				      r < 0 ? errno_name((int)-r) : "",
				      cat_errnos(cat.def[e->fd].err, want, sizeof(want)));
			ok = ok && cat_errno_ok(cat.def[e->fd].err, r);
			if (checks[0] == '\0')
				strcat(checks, "size");
		}
		/* the wrong kind of fd */
		for (int k = CAT_SYS; k <= CAT_VCPU; k++) {
			long r;

			if ((e->fds & (1u << k)) || handled_on(&cat, e, e->abi->number, (enum cat_fd)k))
				continue;
			r = rejected(ictx_fd_of(&c, (enum cat_fd)k), e->abi->number, e->abi->size);
			ATF_CHECK_MSG(cat_errno_ok(cat.def[k].err, r), "%s on a %s fd: %s%s, expected %s",
				      e->name, cat_fd_name((enum cat_fd)k), r < 0 ? "" : "accepted ",
				      r < 0 ? errno_name((int)-r) : "",
				      cat_errnos(cat.def[k].err, want, sizeof(want)));
			ok = ok && cat_errno_ok(cat.def[k].err, r);
			if (!strstr(checks, "wrongfd"))
				strcat(checks, checks[0] ? ",wrongfd" : "wrongfd");
		}
		if (ok && checks[0] != '\0')
			cov_ioctl(e->name, COV_EXERCISED, checks);
	}
	ictx_teardown(&c);
	catalog_free(&cat);
}

ATF_TC(not_applicable);
ATF_TC_HEAD(not_applicable, tc)
{
	atf_tc_set_md_var(tc, "descr", "every ioctl the catalog marks as not applying on this arch "
			  "(another arch's, removed) is rejected with the errno the catalog says");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(not_applicable, tc)
{
	struct catalog cat;
	struct ictx c;
	const struct cat_entry *vcpu_entry;
	unsigned int n = 0;

	ictx_catalog(&cat, tc);
	vcpu_entry = catalog_find(&cat, "KVM_RUN");
	ATF_REQUIRE_MSG(vcpu_entry != NULL, "the catalog has no KVM_RUN");
	ATF_REQUIRE_MSG(ictx_setup(&c, &cat, vcpu_entry), "a VM with a vCPU: %s", c.skip);
	for (unsigned int i = 0; i < cat.n; i++) {
		const struct cat_entry *e = &cat.e[i];
		char detail[512], want[64];
		long r;

		if (e->kind != CAT_NA || e->abi == NULL)
			continue;
		r = rejected(ictx_fd_of(&c, (enum cat_fd)e->fd), e->abi->number, e->abi->size);
		ATF_CHECK_MSG(cat_errno_ok(e->err, r), "%s on a %s fd: %s%s, the catalog says %s (%s)",
			      e->name, cat_fd_name((enum cat_fd)e->fd), r < 0 ? "" : "accepted ",
			      r < 0 ? errno_name((int)-r) : "", cat_errnos(e->err, want, sizeof(want)),
			      e->why);
		if (cat_errno_ok(e->err, r)) {
			snprintf(detail, sizeof(detail), "%s on the %s fd: %s", errno_name((int)-r),
				 cat_fd_name((enum cat_fd)e->fd), e->why);
			cov_ioctl(e->name, COV_REJECTED, detail);
			if (e->type != NULL)
				cov_struct(e->type->name, false, detail);
		}
		n++;
	}
	ictx_teardown(&c);
	catalog_free(&cat);
	ATF_CHECK_MSG(n > 0, "the catalog marks no ioctl as not applying");
}

ATF_TC(missing_features);
ATF_TC_HEAD(missing_features, tc)
{
	atf_tc_set_md_var(tc, "descr", "skipped, naming them, when this kernel lacks capabilities or "
			  "features some ioctls of the catalog need (the family cases check the others)");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(missing_features, tc)
{
	struct catalog cat;
	char missing[4096] = "";
	unsigned int n = 0, probed = 0;
	struct ictx vm;
	const struct cat_entry *run;

	ictx_catalog(&cat, tc);
	/* Capabilities on one VM; a full set-up only where a hook or need probes a feature. */
	run = catalog_find(&cat, "KVM_RUN");
	ATF_REQUIRE_MSG(run != NULL, "the catalog has no KVM_RUN");
	ATF_REQUIRE_MSG(ictx_setup(&vm, &cat, run), "a VM with a vCPU: %s", vm.skip);
	for (unsigned int i = 0; i < cat.n; i++) {
		const struct cat_entry *e = &cat.e[i];
		char why[256] = "";
		struct ictx c;

		if (e->abi == NULL || e->kind == CAT_NA || (e->kind == CAT_SET && e->partner != NULL))
			continue;
		if (e->cap != NULL && ictx_cap(&vm, e->cap) <= 0)
			snprintf(why, sizeof(why), "%s absent", e->cap);
		else if (ictx_may_skip(&cat, e)) {
			if (!ictx_setup(&c, &cat, e))
				snprintf(why, sizeof(why), "%s", c.skip);
			ictx_teardown(&c);
		}
		probed += e->cap != NULL || ictx_may_skip(&cat, e);
		if (why[0] != '\0') {
			size_t len = strlen(missing);

			snprintf(missing + len, sizeof(missing) - len, "%s%s: %s", n ? "; " : "",
				 e->name, why);
			n++;
		}
	}
	ictx_teardown(&vm);
	catalog_free(&cat);
	ATF_CHECK_MSG(probed > 0, "the catalog has no ioctl with a capability or a hook");
	if (n > 0)
		atf_tc_skip("%u ioctls not exercised here: %s", n, missing);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, system_ioctls);
	ATF_TP_ADD_TC(tp, vm_ioctls);
	ATF_TP_ADD_TC(tp, vcpu_ioctls);
	ATF_TP_ADD_TC(tp, pairs);
	ATF_TP_ADD_TC(tp, numbers);
	ATF_TP_ADD_TC(tp, not_applicable);
	ATF_TP_ADD_TC(tp, missing_features);
	return atf_no_error();
}
