/* conformance/guest/arm64/vcpu_modes.h - the modes of vcpu.c (x0 at entry), shared with
 * arm64_vcpu_test.c. The secondary's context id is VM_SECONDARY with a cookie above the mask. */
#ifndef KVMGATE_GUEST_ARM64_VCPU_MODES_H
#define KVMGATE_GUEST_ARM64_VCPU_MODES_H

#define VM_MODE_MASK	0xff
#define VM_FEATURES	1
#define VM_CPU_ON	2
#define VM_SECONDARY	3
#define VM_CALL		4

#endif
