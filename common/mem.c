/*
 * mem - growing arrays, with the size arithmetic checked in one place.
 *
 * Every server keeps one entry per client and grows the array as clients
 * arrive; a size that overflows would make realloc() return a buffer far
 * smaller than the program believes, so the multiplication is checked.
 */
#include "mem.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#define MEM_FIRST 16	/* elements in a new array */

void *
mem_grow(void *array, size_t count, size_t *capacity, size_t elem)
{
	size_t want = *capacity ? *capacity : MEM_FIRST;
	void *more;

	if (count < *capacity)
		return array;
	while (want <= count) {
		if (want > SIZE_MAX / 2) {
			errno = ENOMEM;
			return NULL;
		}
		want *= 2;
	}
	if (elem == 0 || want > SIZE_MAX / elem) {
		errno = ENOMEM;
		return NULL;
	}
	more = realloc(array, want * elem);
	if (more == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	*capacity = want;
	return more;
}
