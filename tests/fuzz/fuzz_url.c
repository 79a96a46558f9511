/*
 * fuzz_url - url_parse_origin, the WHATWG origin of a URL.
 * Properties: a parsed origin, serialized and parsed again, is the same
 * origin with the same serialization (parsing an origin is idempotent); the
 * serialization has no control characters and no spaces; an origin is the
 * same origin as itself unless it is opaque; a refused URL says why.
 */
#include "fuzz.h"
#include "url.h"

#include <string.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct url_origin o, again;
	char text[URL_SCHEME_MAX + URL_HOST_MAX + 16], text2[sizeof text];
	size_t len;

	if (url_parse_origin((const char *)data, size, &o) == -1) {
		CHECK(o.error[0] != '\0');
		return 0;
	}
	CHECK(url_origin_serialize(&o, text, sizeof text) == 0);
	len = strlen(text);
	CHECK(!has_control(text, len) && strchr(text, ' ') == NULL);
	CHECK(o.port == -1 || (o.port >= 0 && o.port <= 65535));
	CHECK(url_same_origin(&o, &o) == !o.opaque);
	if (o.opaque) {
		CHECK(strcmp(text, "null") == 0);
		return 0;
	}
	CHECK(url_parse_origin(text, len, &again) == 0);
	CHECK(url_same_origin(&o, &again));
	CHECK(url_origin_serialize(&again, text2, sizeof text2) == 0);
	CHECK(strcmp(text, text2) == 0);
	return 0;
}
