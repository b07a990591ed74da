/* abi_layout.h - inside kvm_abi.h's writer: the type definitions (abi_layout.c). */
#ifndef KVMGATE_ABI_LAYOUT_H
#define KVMGATE_ABI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "manifest.h"
#include "sbuf.h"

/* Every struct, union and enum of the sorted manifest m as C definitions, each after the types
 * it contains by value, appended to out. 0; -EINVAL with err naming a type that cannot be
 * rebuilt; -ENOMEM. */
int abi__types(const struct manifest *m, struct sbuf *out, char *err, size_t errlen);
/* A type of linux/posix_types.h (__kernel_fsid_t, also as "struct __kernel_fsid_t"): never
 * defined, since <linux/types.h> has it. */
bool abi__from_linux_types(const char *key);
/* The C spelling of a type key ("struct __kernel_fsid_t" -> "__kernel_fsid_t"). */
const char *abi__type_spelling(const char *key);

#endif
