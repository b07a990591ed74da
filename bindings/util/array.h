/* array.h - growable arrays: room for one more element, by doubling. */
#ifndef KVMGATE_ARRAY_H
#define KVMGATE_ARRAY_H

#include <stddef.h>

/* arr (n elements of elem bytes used, *cap allocated) with room for one more: reallocated to
 * twice *cap (to min when empty) when full, else arr itself. NULL on allocation failure: arr is
 * unchanged and still the caller's. */
void *array__grow(void *arr, size_t n, size_t *cap, size_t elem, size_t min);

/* The same for a typed array: arr = its new address, or the statement fails with -ENOMEM
 * (`if (ARRAY_GROW(m->recs, m->nrecs, m->cap, 256)) return -ENOMEM;`). */
#define ARRAY_GROW(arr, n, cap, min) \
	array__grow_into(&(arr), (n), &(cap), sizeof(*(arr)), (min))
/* arrp: the address of the array pointer (any object pointer type, copied as bytes, so that no
 * pointer is accessed through another type). 0 or -ENOMEM. */
int array__grow_into(void *arrp, size_t n, size_t *cap, size_t elem, size_t min);

#endif
