/* num - strict parsing of decimal numbers typed by a student. */
#ifndef PORTLAB_NUM_H
#define PORTLAB_NUM_H

#include <stddef.h>

/*
 * Parse s[0..len) as a plain decimal number from 0 to max: digits only, no
 * sign, no spaces, no "0x". Returns 0 and sets *out, or -1 with errno EINVAL
 * (empty or not all digits) or ERANGE (larger than max).
 */
int num_parse(const char *s, size_t len, unsigned long max, unsigned long *out);

#endif
