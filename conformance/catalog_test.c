/* conformance/catalog_test.c - the ioctl catalog of this arch (catalog/<arch>.txt) against the
 * manifest of the bindings under test: every ioctl of the manifest is accounted for, and the
 * catalog names none the manifest lacks; and the catalog reader: field names resolve to the
 * bindings' offsets, bad lines fail with file:line and what was expected. */
#include <atf-c.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "ioctl_check.h"

ATF_TC(accounts_for_manifest);
ATF_TC_HEAD(accounts_for_manifest, tc)
{
	atf_tc_set_md_var(tc, "descr", "every ioctl of the bindings' manifest has a catalog entry, "
			  "and every catalog entry is an ioctl of the manifest");
}
ATF_TC_BODY(accounts_for_manifest, tc)
{
	struct catalog cat;
	unsigned int na = 0, absent = 0, kernel = catalog_version(KVMGATE_ABI_KERNEL);

	ictx_catalog(&cat, tc);
	for (unsigned int i = 0; i < kvmgate_abi_nr_ioctls; i++)
		ATF_CHECK_MSG(catalog_find(&cat, kvmgate_abi_ioctls[i].name) != NULL,
			      "%s: %s of the %s manifest is not accounted for", cat.path,
			      kvmgate_abi_ioctls[i].name, KVMGATE_ABI_ARCH);
	for (unsigned int i = 0; i < cat.n; i++) {
		char why[256] = "";

		if (cat.e[i].abi == NULL) {
			ATF_CHECK_MSG(catalog_absent_ok(&cat.e[i], kernel, why, sizeof(why)),
				      "%s:%d: %s is not an ioctl of the %s manifest (kernel %s): %s",
				      cat.path, cat.e[i].line, cat.e[i].name, KVMGATE_ABI_ARCH,
				      KVMGATE_ABI_KERNEL, why);
			absent++;
		} else
			ATF_CHECK_MSG(catalog_present_ok(&cat.e[i], kernel, why, sizeof(why)),
				      "%s:%d: %s is an ioctl of the %s manifest, but %s", cat.path,
				      cat.e[i].line, cat.e[i].name, KVMGATE_ABI_ARCH, why);
		na += cat.e[i].kind == CAT_NA;
	}
	ATF_CHECK_MSG(cat.n == kvmgate_abi_nr_ioctls || cat.n > kvmgate_abi_nr_ioctls,
		      "%u entries for %u ioctls", cat.n, kvmgate_abi_nr_ioctls);
	printf("%s: %u entries, %u not applicable, %u not in these headers (kernel %s), %u ioctls in "
	       "the manifest\n", cat.path, cat.n, na, absent, KVMGATE_ABI_KERNEL,
	       kvmgate_abi_nr_ioctls);
	catalog_free(&cat);
}

/* load_text: text as a catalog file in the work directory; catalog_load's result and error. */
static int load_text(const char *text, char *err, size_t n)
{
	struct catalog cat;
	FILE *f = fopen("cat.txt", "w");
	int r;

	ATF_REQUIRE(f != NULL);
	fprintf(f, "# test\ndefault\tsys,vm,vcpu\tEINVAL: the default\n%s", text);
	ATF_REQUIRE(fclose(f) == 0);
	r = catalog_load(&cat, "cat.txt", err, n);
	catalog_free(&cat);
	ATF_REQUIRE(unlink("cat.txt") == 0);
	return r;
}

static void bad(const char *text, const char *want)
{
	char err[1024];

	ATF_CHECK_MSG(load_text(text, err, sizeof(err)) != 0, "accepted: %s", text);
	ATF_CHECK_MSG(strncmp(err, "cat.txt:3: ", 11) == 0 && strstr(err, want) != NULL,
		      "for '%s': '%s', expected cat.txt:3: ... %s", text, err, want);
}

ATF_TC_WITHOUT_HEAD(bad_lines);
ATF_TC_BODY(bad_lines, tc)
{
	bad("KVM_GET_API_VERSION\tsys\t-\n", "NAME<TAB>FD<TAB>CAP<TAB>KIND");
	bad("KVM_GET_API_VERSION\tsystem\t-\tquery\n", "fd kind 'system'");
	bad("KVM_GET_API_VERSION\tsys\tKVM_CAP_NONESUCH\tquery\n", "not a constant");
	bad("KVM_GET_API_VERSION\tsys\t-\tfetch\n", "kind 'fetch'");
	bad("KVM_GET_API_VERSION\tsys\t-\tquery\tcolour=red\n", "option 'colour'");
	bad("KVM_GET_API_VERSION\tsys\t-\tna\n", "needs errno=");
	bad("KVM_GET_API_VERSION\tsys\t-\tna\terrno=ENOTTY\n", "no reason");
	bad("KVM_GET_API_VERSION\tsys\t-\tna\terrno=EWHAT: why\n", "an errno name");
	bad("KVM_GET_CLOCK\tvm\t-\tget\tvolatile=clock\n", "the reason is missing");
	bad("KVM_GET_CLOCK\tvm\t-\tget\tvolatile=tick: it runs\n", "field 'tick'");
	bad("KVM_GET_API_VERSION\tsys\t-\tquery\targval=12x\n", "a number or a constant");
	bad("KVM_GET_CLOCK\tvm\t-\tget\tpartner=KVM_SET_CLOCK\n", "partner KVM_SET_CLOCK");
	bad("KVM_GET_API_VERSION\tsys\t-\tquery\tsince=6\n", "since=MAJOR.MINOR");
	bad("KVM_GET_API_VERSION\tsys\t-\tquery\tuntil=6.x\n", "until=MAJOR.MINOR");
	bad("KVM_GET_API_VERSION\tsys\t-\tquery\tsince=6.8\tuntil=6.2\n", "later kernel");
	bad("KVM_GET_API_VERSION\tsys\t-\tquery\tsince=6.8\tsince=6.9\n", "given twice");
}

/* since= and until=: which kernels' headers may lack an entry, or may not have it. */
ATF_TC_WITHOUT_HEAD(versions);
ATF_TC_BODY(versions, tc)
{
	struct catalog cat;
	char err[1024], why[256];
	FILE *f = fopen("cat.txt", "w");
	const struct cat_entry *added, *removed, *always, *future;

	ATF_CHECK_EQ(catalog_version("6.12"), 6012);
	ATF_CHECK_EQ(catalog_version("6.1.192"), 6001);
	ATF_CHECK_EQ(catalog_version("x86_64 5.10"), 5010);
	ATF_CHECK_EQ(catalog_version("?"), 0);
	ATF_CHECK_EQ(catalog_version("kvm-bindings"), 0);
	ATF_REQUIRE(f != NULL);
	/* an ioctl these bindings lack, with a capability and constants they lack, is read */
	fprintf(f, "default\tsys,vm,vcpu\tEINVAL: d\n"
		"KVM_NONESUCH_ADDED\tvm\tKVM_CAP_NONESUCH\tset\targ=flags=KVM_NONESUCH\tsince=99.8\n"
		"KVM_NONESUCH_REMOVED\tvm\t-\tna\terrno=ENOTTY: gone\tuntil=6.2\n"
		"KVM_NONESUCH_ALWAYS\tvm\t-\tset\n"
		"KVM_GET_CLOCK\tvm\t-\tget\tsince=99.1\n");
	ATF_REQUIRE(fclose(f) == 0);
	ATF_REQUIRE_MSG(catalog_load(&cat, "cat.txt", err, sizeof(err)) == 0, "%s", err);
	added = catalog_find(&cat, "KVM_NONESUCH_ADDED");
	removed = catalog_find(&cat, "KVM_NONESUCH_REMOVED");
	always = catalog_find(&cat, "KVM_NONESUCH_ALWAYS");
	future = catalog_find(&cat, "KVM_GET_CLOCK");
	ATF_REQUIRE(added && removed && always && future);
	ATF_CHECK(added->abi == NULL && added->since == 99008 && added->until == 0);
	ATF_CHECK(removed->until == 6002);
	ATF_CHECK(catalog_absent_ok(added, 6001, why, sizeof(why)));
	ATF_CHECK(!catalog_absent_ok(added, 99009, why, sizeof(why)));
	ATF_CHECK_MSG(strstr(why, "since 99.8") && strstr(why, "of 99.9"), "%s", why);
	ATF_CHECK(catalog_absent_ok(removed, 6012, why, sizeof(why)));
	ATF_CHECK(!catalog_absent_ok(removed, 6001, why, sizeof(why)));
	ATF_CHECK(catalog_absent_ok(added, 0, why, sizeof(why)));
	ATF_CHECK(!catalog_absent_ok(always, 0, why, sizeof(why)));
	ATF_CHECK(!catalog_absent_ok(always, 6001, why, sizeof(why)));
	/* present in headers older than its since=: the catalog is wrong */
	ATF_CHECK(!catalog_present_ok(future, 6001, why, sizeof(why)));
	ATF_CHECK_MSG(strstr(why, "since=99.1") != NULL, "%s", why);
	ATF_CHECK(catalog_present_ok(future, 99001, why, sizeof(why)));
	ATF_CHECK(catalog_present_ok(future, 0, why, sizeof(why)));
	ATF_CHECK(!catalog_present_ok(removed, 6002, why, sizeof(why)));
	catalog_free(&cat);
	ATF_REQUIRE(unlink("cat.txt") == 0);
}

ATF_TC_WITHOUT_HEAD(fields_resolve);
ATF_TC_BODY(fields_resolve, tc)
{
	struct catalog cat;
	char err[1024];
	FILE *f = fopen("cat.txt", "w");
	const struct cat_entry *e;

	ATF_REQUIRE(f != NULL);
	fprintf(f, "default\tsys,vm,vcpu\tEINVAL: d\n"
		"KVM_GET_CLOCK\tvm\t-\tget\tpartner=KVM_SET_CLOCK\tvolatile=clock,host_tsc: runs\t"
		"distinct=all\tsanitised=flags: the kernel's\n"
		"KVM_SET_CLOCK\tvm\t-\tset\tpartner=KVM_GET_CLOCK\targ=flags=3\n");
	ATF_REQUIRE(fclose(f) == 0);
	ATF_REQUIRE_MSG(catalog_load(&cat, "cat.txt", err, sizeof(err)) == 0, "%s", err);
	e = catalog_find(&cat, "KVM_GET_CLOCK");
	ATF_REQUIRE(e != NULL && e->vol.n == 2);
	/* The bindings' struct (kvm_abi.h) and its field table agree. */
	ATF_CHECK_EQ(e->vol.r[0].offset, offsetof(struct kvm_clock_data, clock));
	ATF_CHECK_EQ(e->vol.r[0].size, sizeof(((struct kvm_clock_data *)0)->clock));
	ATF_CHECK_EQ(e->vol.r[1].offset, offsetof(struct kvm_clock_data, host_tsc));
	ATF_CHECK_STREQ(e->vol.why, "runs");
	ATF_CHECK(e->type != NULL && e->type->size == sizeof(struct kvm_clock_data));
	/* distinct=all: neither the volatile clock and host_tsc nor the sanitised flags */
	ATF_CHECK(e->distinct.all && e->distinct.n > 0);
	for (unsigned int k = 0; k < e->distinct.n; k++) {
		unsigned int o = e->distinct.r[k].offset;

		ATF_CHECK_MSG(o != offsetof(struct kvm_clock_data, clock) &&
			      o != offsetof(struct kvm_clock_data, host_tsc) &&
			      o != offsetof(struct kvm_clock_data, flags), "distinct field at %u", o);
	}
	ATF_CHECK_MSG(e->distinct.n >= 1 && e->distinct.r[0].offset ==
		      offsetof(struct kvm_clock_data, pad0), "realtime and the pads are distinct");
	e = catalog_find(&cat, "KVM_SET_CLOCK");
	ATF_REQUIRE(e != NULL && e->nargs == 1);
	ATF_CHECK_EQ(e->args[0].offset, offsetof(struct kvm_clock_data, flags));
	ATF_CHECK_EQ(e->args[0].value, 3);
	catalog_free(&cat);
	ATF_REQUIRE(unlink("cat.txt") == 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, accounts_for_manifest);
	ATF_TP_ADD_TC(tp, versions);
	ATF_TP_ADD_TC(tp, bad_lines);
	ATF_TP_ADD_TC(tp, fields_resolve);
	return atf_no_error();
}
