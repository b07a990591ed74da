/* conformance/coverage_test.c - the coverage records (coverage.h): one TAB-separated line per
 * call in $KVMGATE_COVERAGE_DIR/<program>.cov, fields cleaned of TABs and newlines, appended in
 * call order, and nothing written when the variable is unset. */
#include <atf-c.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coverage.h"

/* slurp: the whole of path into buf (NUL-terminated); its length. */
static size_t slurp(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t len;

	ATF_REQUIRE_MSG(f != NULL, "fopen %s: %s", path, strerror(errno));
	len = fread(buf, 1, n - 1, f);
	buf[len] = '\0';
	ATF_REQUIRE(fclose(f) == 0);
	return len;
}

static void cov_path(char *buf, size_t n)
{
	char cwd[2048];

	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(buf, n, "%s/%s.cov", cwd, program_invocation_short_name);
}

ATF_TC_WITHOUT_HEAD(records_appended);
ATF_TC_BODY(records_appended, tc)
{
	char cwd[2048], path[4096], buf[4096];

	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	ATF_REQUIRE(setenv("KVMGATE_COVERAGE_DIR", cwd, 1) == 0);
	cov_ioctl("KVM_GET_REGS", COV_EXERCISED, "number,bounds,roundtrip");
	cov_ioctl("KVM_GET_XSAVE2", COV_SKIPPED, "KVM_CAP_XSAVE2 absent");
	cov_ioctl("KVM_ARM_VCPU_INIT", COV_REJECTED, "ENOTTY: arm64's");
	cov_struct("struct kvm_regs", true, "");
	cov_struct("struct kvm_xsave", false, "KVM_CAP_XSAVE2\tabsent\nhere");
	cov_path(path, sizeof(path));
	slurp(path, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf,
		"ioctl\tKVM_GET_REGS\texercised\tnumber,bounds,roundtrip\n"
		"ioctl\tKVM_GET_XSAVE2\tskipped\tKVM_CAP_XSAVE2 absent\n"
		"ioctl\tKVM_ARM_VCPU_INIT\trejected\tENOTTY: arm64's\n"
		"struct\tstruct kvm_regs\troundtripped\t-\n"
		"struct\tstruct kvm_xsave\tnot\tKVM_CAP_XSAVE2 absent here\n");
}

ATF_TC_WITHOUT_HEAD(unset_writes_nothing);
ATF_TC_BODY(unset_writes_nothing, tc)
{
	char path[4096];

	ATF_REQUIRE(unsetenv("KVMGATE_COVERAGE_DIR") == 0);
	cov_ioctl("KVM_GET_REGS", COV_EXERCISED, "number");
	cov_struct("struct kvm_regs", true, "");
	cov_path(path, sizeof(path));
	ATF_CHECK_MSG(access(path, F_OK) != 0 && errno == ENOENT, "%s exists", path);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, records_appended);
	ATF_TP_ADD_TC(tp, unset_writes_nothing);
	return atf_no_error();
}
