/*
 * fuzz_http - http_parse_request, and what cors-lab copies from a request
 * into its answer.
 * Properties: the parser never claims more bytes than it got; a refused
 * request gets one of the statuses it promises; a parsed request has a clean
 * method and target and header names and values without CR, LF, NUL or
 * other controls (a tab is allowed inside a value); an Origin that
 * url_is_origin_text lets through, put into Access-Control-Allow-Origin,
 * gives exactly one header line; msg_escape's output is safe for a terminal.
 */
#include "fuzz.h"
#include "http.h"
#include "msg.h"
#include "url.h"

#include <string.h>

/* 1 if s[0..len) has a control character other than a tab. */
static int
has_control_but_tab(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != '\t' && has_control(s + i, 1))
			return 1;
	return 0;
}

static void
check_parsed(const char *buf, size_t size, const struct http_request *req)
{
	char line[512];
	const char *origin;
	size_t i, len;
	int n;

	CHECK(req->head_len >= 16 && req->head_len <= size && req->head_len <= HTTP_HEAD_MAX);
	CHECK(memcmp(buf + req->head_len - 4, "\r\n\r\n", 4) == 0);
	CHECK(req->body_len <= HTTP_BODY_MAX);
	CHECK(req->method[0] != '\0' && !has_control(req->method, strlen(req->method)));
	CHECK(strchr(req->method, ' ') == NULL);
	CHECK(req->path[0] == '/' && !has_control(req->path, strlen(req->path)));
	CHECK(strchr(req->path, ' ') == NULL && strchr(req->path, '?') == NULL);
	CHECK(!has_control(req->query, strlen(req->query)) && strchr(req->query, ' ') == NULL);
	CHECK(req->minor >= 0 && req->minor <= 9);
	CHECK(req->nheaders <= HTTP_HEADERS_MAX);
	for (i = 0; i < req->nheaders; i++) {
		const struct http_header *h = &req->headers[i];

		CHECK(h->name >= buf && h->name + h->name_len <= buf + req->head_len);
		CHECK(h->value >= buf && h->value + h->value_len <= buf + req->head_len);
		CHECK(h->name_len > 0 && memchr(h->name, ':', h->name_len) == NULL);
		CHECK(!has_control(h->name, h->name_len) && memchr(h->name, ' ', h->name_len) == NULL);
		CHECK(!has_control_but_tab(h->value, h->value_len));
	}
	origin = http_header(req, "origin", &len);
	if (origin != NULL && url_is_origin_text(origin, len)) {
		n = snprintf(line, sizeof line, "Access-Control-Allow-Origin: %.*s\r\n", (int)len, origin);
		CHECK(n > 0 && (size_t)n < sizeof line);
		CHECK(!has_control(line, (size_t)n - 2));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_request req;
	const char *buf = (const char *)data;
	char shown[256];
	size_t n;
	int rc, status = 0;

	rc = http_parse_request(buf, size, &req, &status);
	if (rc == -1)
		CHECK(status == 400 || status == 413 || status == 414 || status == 431 ||
		    status == 501 || status == 505);
	else if (rc == 0)
		CHECK(size < HTTP_HEAD_MAX);
	else
		check_parsed(buf, size, &req);
	CHECK(strchr(http_reason(status), '\r') == NULL && strchr(http_reason(status), '\n') == NULL);

	n = msg_escape(buf, size, shown, sizeof shown);
	CHECK(n < sizeof shown && strlen(shown) == n && !has_control(shown, n));
	return 0;
}
