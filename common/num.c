/* num - strict parsing of decimal numbers typed by a student. */
#include "num.h"

#include <errno.h>

int
num_parse(const char *s, size_t len, unsigned long max, unsigned long *out)
{
	unsigned long value = 0;
	size_t i;

	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			errno = EINVAL;
			return -1;
		}
	}
	/* Only digits: now any overflow means "too large", never "bad". */
	for (i = 0; i < len; i++) {
		unsigned digit = (unsigned)(s[i] - '0');

		if (digit > max || value > (max - digit) / 10) {
			errno = ERANGE;
			return -1;
		}
		value = value * 10 + digit;
	}
	*out = value;
	return 0;
}
