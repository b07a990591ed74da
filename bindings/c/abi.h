/* abi.h - the bindings' C ABI header (kvm_abi.h) rendered from a layout manifest: what
 * conformance/ compiles against instead of <linux/kvm.h> (../MANIFEST.md, README.md). */
#ifndef KVMGATE_ABI_H
#define KVMGATE_ABI_H

#include <stddef.h>
#include <stdio.h>

#include "manifest.h"

/* Write kvm_abi.h for m (sorted first): every struct, union and enum at the manifest's offsets,
 * every constant and ioctl as a literal #define, KVMGATE_ABI_ARCH/KERNEL and the data tables.
 * 0; -EINVAL with err naming the type that cannot be reconstructed; -EIO on a write error. */
int abi__write(struct manifest *m, FILE *out, char *err, size_t errlen);

/* Add to m every ioctl of ref that m lacks (a bindgen bindings.rs has no ioctls: the numbers,
 * with the sizes they encode, come from a reference manifest). 0 or -ENOMEM. */
int abi__take_ioctls(struct manifest *m, struct manifest *ref, unsigned *added);

#endif
