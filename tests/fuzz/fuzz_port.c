/*
 * fuzz_port - port_parse, num_parse, and lsof's -i selection
 * (fdtab_parse_inet_spec).
 * Properties: a parsed port is 0-65535, and printing it then parsing the
 * digits again gives the same port; num_parse accepts digits only and never
 * returns more than its maximum; an -i selection that parses has at most 16
 * port ranges, each going up within 0-65535, a family of 0, AF_INET or
 * AF_INET6 and a terminated host name; one that fails says why.
 */
#include "fuzz.h"
#include "fdtab.h"
#include "num.h"
#include "port.h"

#include <errno.h>
#include <string.h>

static void
check_inet_spec(const char *s, size_t size)
{
	static struct fdtab_inet_spec spec;
	size_t i;

	if (fdtab_parse_inet_spec(s, size, &spec) == -1) {
		CHECK(spec.error[0] != '\0' && memchr(spec.error, '\0', sizeof spec.error) != NULL);
		return;
	}
	CHECK(spec.nports <= FDTAB_SPEC_PORTS && spec.naddrs <= 1);
	CHECK(spec.family == 0 || spec.family == AF_INET || spec.family == AF_INET6);
	CHECK(memchr(spec.host, '\0', sizeof spec.host) != NULL);
	for (i = 0; i < spec.nports; i++)
		CHECK(spec.ports[i].low <= spec.ports[i].high && spec.ports[i].high <= 65535);
}

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
	check_inet_spec(s, size);
	max = size > 0 ? (unsigned long)data[0] * 997 : 0;
	if (num_parse(s, size, max, &value) == 0) {
		CHECK(size > 0 && value <= max);
		for (i = 0; i < size; i++)
			CHECK(s[i] >= '0' && s[i] <= '9');
	}
	return 0;
}
