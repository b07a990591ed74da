/* conformance/guest/arm64/debug_modes.h - the modes of debug.c (x0 at _start), shared with
 * arm64_debug_test.c. */
#ifndef KVMGATE_GUEST_ARM64_DEBUG_MODES_H
#define KVMGATE_GUEST_ARM64_DEBUG_MODES_H

#define DM_SERROR	1
#define DM_EXT_DABT	2

#endif
