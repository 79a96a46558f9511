/*
 * fuzz_port - port_parse and num_parse.
 * Properties: a parsed port is 0-65535, and printing it then parsing the
 * digits again gives the same port; num_parse accepts digits only and never
 * returns more than its maximum.
 */
#include "fuzz.h"
#include "num.h"
#include "port.h"

#include <errno.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char again[16];
	unsigned port, port2;
	unsigned long value, max;
	size_t i;
	int n;

	if (port_parse(s, size, &port) == 0) {
		CHECK(port <= 65535);
		n = snprintf(again, sizeof again, "%u", port);
		CHECK(port_parse(again, (size_t)n, &port2) == 0 && port2 == port);
	} else {
		CHECK(port_parse_hint(errno) != NULL);
	}
	max = size > 0 ? (unsigned long)data[0] * 997 : 0;
	if (num_parse(s, size, max, &value) == 0) {
		CHECK(size > 0 && value <= max);
		for (i = 0; i < size; i++)
			CHECK(s[i] >= '0' && s[i] <= '9');
	}
	return 0;
}
