/*
 * http - HTTP/1.1 requests parsed from a buffer, for a small, strict server.
 *
 * A request is a head (the request line, then header lines, each ending in
 * CRLF, then an empty line) and maybe a body whose length Content-Length
 * gives. This parser takes whatever bytes have arrived so far: it answers
 * "not yet" until the blank line is in, and refuses anything odd with the
 * status code a server should send. It is strict on purpose: a lab server
 * on a shared classroom network should accept only what it understands.
 */
#include "http.h"

#include <stdio.h>
#include <string.h>

static int
http_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
http_name_is(const char *name, size_t len, const char *want)
{
	size_t i;

	if (strlen(want) != len)
		return 0;
	for (i = 0; i < len; i++)
		if (http_lower((unsigned char)name[i]) != http_lower((unsigned char)want[i]))
			return 0;
	return 1;
}

/* RFC 9110 token characters, for methods and header names. */
static int
http_is_tchar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Controls a header line may not hold (RFC 9110 field values): all but the tab. */
static int
http_is_ctl(int c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* Where the head ends (just past CRLF CRLF), or 0 if it has not arrived. */
static size_t
http_head_end(const char *buf, size_t len)
{
	size_t i;

	for (i = 3; i < len; i++)
		if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r')
			return i + 1;
	return 0;
}

/* "GET /path?q HTTP/1.1": returns the index just past its CRLF, or 0 if bad. */
static size_t
http_request_line(const char *buf, size_t end, struct http_request *req, int *status)
{
	size_t i = 0, start, tlen;
	const char *q;

	*status = 400;
	for (start = i; i < end && http_is_tchar((unsigned char)buf[i]); i++)
		;
	if (i == start || i - start >= sizeof req->method || i >= end || buf[i] != ' ')
		return 0;
	memcpy(req->method, buf + start, i - start);
	req->method[i - start] = '\0';
	for (start = ++i; i < end && (unsigned char)buf[i] > 0x20 && buf[i] != 0x7f; i++)
		;
	tlen = i - start;
	if (tlen == 0 || buf[start] != '/' || i >= end || buf[i] != ' ')
		return 0;
	q = memchr(buf + start, '?', tlen);
	if ((size_t)((q ? (size_t)(q - (buf + start)) : tlen)) >= sizeof req->path ||
	    (q && (size_t)(buf + start + tlen - q - 1) >= sizeof req->query))
		return *status = 414, 0;
	snprintf(req->path, sizeof req->path, "%.*s", (int)(q ? q - (buf + start) : (long)tlen), buf + start);
	if (q)
		snprintf(req->query, sizeof req->query, "%.*s", (int)(buf + start + tlen - q - 1), q + 1);
	i++;
	if (end - i < 10 || memcmp(buf + i, "HTTP/", 5) != 0 || buf[i + 6] != '.' ||
	    buf[i + 8] != '\r' || buf[i + 9] != '\n' || buf[i + 7] < '0' || buf[i + 7] > '9')
		return 0;
	if (buf[i + 5] != '1')
		return *status = 505, 0;
	req->minor = buf[i + 7] - '0';
	return i + 10;
}

/* "Name: value" lines until the blank line. Returns 0, or -1 with *status. */
static int
http_header_lines(const char *buf, size_t pos, size_t end, struct http_request *req, int *status)
{
	struct http_header *h;
	size_t eol, colon, v;

	*status = 400;
	while (pos + 2 <= end && !(buf[pos] == '\r' && buf[pos + 1] == '\n')) {
		for (eol = pos; eol + 1 < end && !(buf[eol] == '\r' && buf[eol + 1] == '\n'); eol++)
			if (http_is_ctl((unsigned char)buf[eol]))
				return -1;	/* a bare CR or LF, a NUL, any control but a tab: refuse */
		for (colon = pos; colon < eol && http_is_tchar((unsigned char)buf[colon]); colon++)
			;
		if (colon == pos || colon >= eol || buf[colon] != ':')
			return -1;
		if (req->nheaders == HTTP_HEADERS_MAX)
			return *status = 431, -1;
		for (v = colon + 1; v < eol && (buf[v] == ' ' || buf[v] == '\t'); v++)
			;
		h = &req->headers[req->nheaders++];
		h->name = buf + pos;
		h->name_len = colon - pos;
		h->value = buf + v;
		h->value_len = eol - v;
		while (h->value_len > 0 && (h->value[h->value_len - 1] == ' ' ||
		    h->value[h->value_len - 1] == '\t'))
			h->value_len--;
		pos = eol + 2;
	}
	return 0;
}

/* Content-Length and Connection, once the headers are in. */
static int
http_framing(struct http_request *req, int *status)
{
	const char *v;
	size_t len, i;

	if (http_header(req, "transfer-encoding", &len) != NULL)
		return *status = 501, -1;	/* chunked bodies: not for this server */
	if ((v = http_header(req, "content-length", &len)) != NULL) {
		if (len == 0 || len > 12)
			return *status = 400, -1;
		for (i = 0; i < len; i++) {
			if (v[i] < '0' || v[i] > '9')
				return *status = 400, -1;
			req->body_len = req->body_len * 10 + (size_t)(v[i] - '0');
		}
		if (req->body_len > HTTP_BODY_MAX)
			return *status = 413, -1;
	}
	v = http_header(req, "connection", &len);
	req->keep_alive = req->minor >= 1 ? !(v && http_name_is(v, len, "close")) :
	    (v != NULL && http_name_is(v, len, "keep-alive"));
	return 0;
}

int
http_parse_request(const char *buf, size_t len, struct http_request *req, int *status)
{
	size_t end, pos;

	memset(req, 0, sizeof *req);
	end = http_head_end(buf, len < HTTP_HEAD_MAX ? len : HTTP_HEAD_MAX);
	if (end == 0) {
		if (len >= HTTP_HEAD_MAX)
			return *status = 431, -1;
		/* A request line that is already wrong need not wait for more. */
		if (len > 0 && !http_is_tchar((unsigned char)buf[0]))
			return *status = 400, -1;
		return 0;
	}
	if ((pos = http_request_line(buf, end, req, status)) == 0 ||
	    http_header_lines(buf, pos, end, req, status) == -1 ||
	    http_framing(req, status) == -1)
		return -1;
	req->head_len = end;
	return 1;
}

const char *
http_header(const struct http_request *req, const char *name, size_t *len)
{
	size_t i;

	for (i = 0; i < req->nheaders; i++)
		if (http_name_is(req->headers[i].name, req->headers[i].name_len, name)) {
			*len = req->headers[i].value_len;
			return req->headers[i].value;
		}
	return NULL;
}

int
http_value_is_safe(const char *value, size_t len)
{
	size_t i;

	if (len > 256)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)value[i] < 0x20 || (unsigned char)value[i] >= 0x7f)
			return 0;
	return 1;
}

const char *
http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}
