/* conformance/ioctl_hooks_arm64.c - arm64 set-up the catalog cannot say as data (see
 * ioctl_hooks_x86_64.c). */
#if defined(__aarch64__)
#include <string.h>

#include "ioctl_check.h"

bool ioctl_arch_need(struct ictx *c, const char *need)
{
	(void)c;
	(void)need;
	return false;
}

void ioctl_arch_vcpu(struct ictx *c)
{
	(void)c;
}

const struct ioctl_hook ioctl_hooks[] = { { "none", NULL } };
const unsigned int ioctl_nr_hooks = 0;
#endif
