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

/*
 * getopt mistakes a negative number such as "-1" for an option and reports
 * just its digit. Find the argument it came from: the first argv[i] that is
 * '-' followed by that digit. Returns it, or "-" if none is found.
 */
const char *num_negative_arg(int argc, char *const argv[], int digit);

#endif
