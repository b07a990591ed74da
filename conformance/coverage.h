/* conformance/coverage.h - coverage records of the conformance programs: what each program
 * exercised, one TAB-separated line per call appended to $KVMGATE_COVERAGE_DIR/<program>.cov
 * (nothing when the variable is unset); conformance/coverage-report.sh turns the records of one
 * place into its report. */
#ifndef KVMGATE_COVERAGE_H
#define KVMGATE_COVERAGE_H

#include <stdbool.h>

enum cov_status { COV_EXERCISED, COV_SKIPPED, COV_REJECTED };

/* cov_ioctl: ioctl is the UAPI name ("KVM_GET_REGS"); detail the checks run ("number,bounds,
 * roundtrip") for EXERCISED, the missing capability or feature by name ("KVM_CAP_XSAVE2 absent")
 * for SKIPPED, the kernel's answer and why for REJECTED. Writes
 * "ioctl\tNAME\texercised|skipped|rejected\tDETAIL\n". */
void cov_ioctl(const char *ioctl, enum cov_status st, const char *detail);

/* cov_struct: type is "struct kvm_regs"; a false roundtripped needs the reason in why. Writes
 * "struct\tNAME\troundtripped|not\tDETAIL\n". */
void cov_struct(const char *type, bool roundtripped, const char *why);

#endif
