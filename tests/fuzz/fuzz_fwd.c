/*
 * fuzz_fwd - fwd_parse_spec, docker's -p spec.
 * Properties: a parsed spec has a target port 1-65535 and clean host
 * strings, and written back as a spec ("[::1]:8080:80") it parses to the
 * same fields; a refused spec always says why.
 */
#include "fuzz.h"
#include "fwd.h"

#include <string.h>

/* Write a host field, in brackets when it has a ':' or is only digits. */
static size_t
put_host(char *buf, size_t size, const char *host)
{
	int bracket = strchr(host, ':') != NULL || strspn(host, "0123456789") == strlen(host);

	return (size_t)snprintf(buf, size, bracket ? "[%s]:" : "%s:", host);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fwd_spec spec, again;
	char text[400];
	size_t n = 0;

	if (fwd_parse_spec((const char *)data, size, &spec) == -1) {
		CHECK(spec.error[0] != '\0');
		return 0;
	}
	CHECK(spec.host_port <= 65535);
	CHECK(spec.target_port >= 1 && spec.target_port <= 65535);
	CHECK(!has_control(spec.host_ip, strlen(spec.host_ip)));
	CHECK(!has_control(spec.target_host, strlen(spec.target_host)));

	if (spec.host_ip[0] != '\0')
		n += put_host(text + n, sizeof text - n, spec.host_ip);
	n += (size_t)snprintf(text + n, sizeof text - n, "%u:", spec.host_port);
	if (spec.target_host[0] != '\0')
		n += put_host(text + n, sizeof text - n, spec.target_host);
	n += (size_t)snprintf(text + n, sizeof text - n, "%u", spec.target_port);
	CHECK(n < sizeof text);

	CHECK(fwd_parse_spec(text, n, &again) == 0);
	CHECK(strcmp(again.host_ip, spec.host_ip) == 0);
	CHECK(again.host_port == spec.host_port);
	CHECK(strcmp(again.target_host, spec.target_host) == 0);
	CHECK(again.target_port == spec.target_port);
	return 0;
}
