/* conformance/abi_tables.h - look-ups in the data tables of the bindings under test (kvm_abi.h:
 * ioctls, types, fields, constants), so that every number, size and offset the generic checks use
 * comes from the bindings, never from <linux/kvm.h>. */
#ifndef KVMGATE_ABI_TABLES_H
#define KVMGATE_ABI_TABLES_H

#include <stdbool.h>

#include "kvm_util.h"
#include "kvm_abi.h"

const struct kvmgate_abi_ioctl *abi_ioctl(const char *name);
const struct kvmgate_abi_type *abi_type(const char *name);
/* abi_field: the field of type at path ("hypercall.flags"); NULL when the binding has none. */
const struct kvmgate_abi_field *abi_field(const char *type, const char *path);
/* abi_locate: the bytes of path inside type, through nested structs ("es.base") and array
 * elements ("args[0]", "entries[1].gsi", a flexible array's too); a bitfield gives the bytes that
 * hold it. */
bool abi_locate(const char *type, const char *path, unsigned int *offset, unsigned int *size);
/* abi_flex_field: the flexible array member of type (size 0, ftype "T[]"), or NULL. */
const struct kvmgate_abi_field *abi_flex_field(const char *type);
/* abi_elem_size: the size of one element of an array ftype ("__u32[]", "struct kvm_msr_entry[]"),
 * from the type table or the fixed-width scalars; 0 when unknown. */
unsigned int abi_elem_size(const char *ftype);
/* abi_const: the value of constant name; false when the binding has no such constant. */
bool abi_const(const char *name, long long *value);
/* abi_ioctl_number: the number of ioctl with another argument size encoded. */
unsigned long abi_ioctl_resize(const struct kvmgate_abi_ioctl *io, unsigned int size);
/* abi_ioctl_by_number: the first ioctl of the table with that number other than skip, or NULL. */
const struct kvmgate_abi_ioctl *abi_ioctl_by_number(unsigned long number,
						    const struct kvmgate_abi_ioctl *skip);

#endif
