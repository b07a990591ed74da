/* array.c - growable arrays (array.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"

void *array__grow(void *arr, size_t n, size_t *cap, size_t elem, size_t min)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : min;
	p = realloc(arr, ncap * elem);
	if (p)
		*cap = ncap;
	return p;
}

int array__grow_into(void *arrp, size_t n, size_t *cap, size_t elem, size_t min)
{
	void *arr, *p;

	memcpy(&arr, arrp, sizeof(arr));
	p = array__grow(arr, n, cap, elem, min);
	if (!p)
		return -ENOMEM;
	memcpy(arrp, &p, sizeof(p));
	return 0;
}
