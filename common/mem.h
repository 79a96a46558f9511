/* mem - growing arrays, with the size arithmetic checked in one place. */
#ifndef PORTLAB_MEM_H
#define PORTLAB_MEM_H

#include <stddef.h>

/*
 * Make room in array, which holds *capacity elements of elem bytes of which
 * count are in use, for at least count + 1: doubles it (from 16) as often
 * as needed. Returns the array, perhaps moved, and updates *capacity; or
 * NULL with errno ENOMEM (out of memory, or a size that would overflow),
 * leaving the old array as it was, still the caller's to free.
 */
void *mem_grow(void *array, size_t count, size_t *capacity, size_t elem);

#endif
