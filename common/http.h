/* http - HTTP/1.1 requests parsed from a buffer, for a small, strict server. */
#ifndef PORTLAB_HTTP_H
#define PORTLAB_HTTP_H

#include <stddef.h>

#define HTTP_HEAD_MAX 8192	/* request line + headers; more is 431 */
#define HTTP_BODY_MAX 65536	/* Content-Length above this is 413 */
#define HTTP_HEADERS_MAX 64

struct http_header {
	const char *name, *value;	/* point into the caller's buffer; not NUL-terminated */
	size_t name_len, value_len;
};

struct http_request {
	char method[16];
	char path[1024];		/* the target up to '?' */
	char query[256];		/* after '?', "" if none */
	int minor;			/* HTTP/1.minor */
	struct http_header headers[HTTP_HEADERS_MAX];
	size_t nheaders;
	size_t head_len;		/* bytes of the head, through the blank line */
	size_t body_len;		/* Content-Length, 0 if none */
	int keep_alive;			/* 1 unless "Connection: close" or HTTP/1.0 */
};

/*
 * Parse the head of a request from buf[0..len). Returns 1 when the whole
 * head is there (req filled), 0 when more bytes are needed, or -1 for a bad
 * request with *status the answer it deserves: 400 (malformed, including a
 * control character other than a tab in a header line), 413 (body too
 * large), 431 (head too large), 501 (Transfer-Encoding), 505 (not HTTP/1.x).
 * Never reads past len.
 */
int http_parse_request(const char *buf, size_t len, struct http_request *req, int *status);

/* The value of header name (case-insensitive) and its length; NULL if absent. */
const char *http_header(const struct http_request *req, const char *name, size_t *len);

/*
 * 1 if value[0..len) may be copied into a response header: visible ASCII
 * and spaces only, no CR, LF, NUL or other control, at most 256 bytes.
 */
int http_value_is_safe(const char *value, size_t len);

/* The reason phrase for a status code: "OK", "Not Found". */
const char *http_reason(int status);

#endif
