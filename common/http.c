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

/* 1 if t[0..len) starts with prefix, compared without case. */
static int
http_starts_with(const char *t, size_t len, const char *prefix)
{
	return len >= strlen(prefix) && http_name_is(t, strlen(prefix), prefix);
}

/*
 * The request target t[0..len) into req->path and req->query: origin-form
 * ("/api/data?x=1") or absolute-form ("http://localhost:5173/api/data"),
 * whose path is "/" when it has none. Returns 0, or -1 with *status.
 */
static int
http_target(const char *t, size_t len, struct http_request *req, int *status)
{
	size_t skip = 0, authority, plen;
	const char *q;

	if (http_starts_with(t, len, "http://") || http_starts_with(t, len, "https://")) {
		authority = skip = http_starts_with(t, len, "http://") ? 7 : 8;
		while (skip < len && t[skip] != '/' && t[skip] != '?')
			skip++;
		if (skip == authority)
			return *status = 400, -1;	/* no host */
	} else if (len == 0 || t[0] != '/')
		return *status = 400, -1;
	t += skip;
	len -= skip;
	q = memchr(t, '?', len);
	plen = q ? (size_t)(q - t) : len;
	if (plen >= sizeof req->path || (q && (size_t)(t + len - q - 1) >= sizeof req->query))
		return *status = 414, -1;
	snprintf(req->path, sizeof req->path, "%s%.*s", plen == 0 ? "/" : "", (int)plen, t);
	if (q)
		snprintf(req->query, sizeof req->query, "%.*s", (int)(t + len - q - 1), q + 1);
	return 0;
}

/* "GET /path?q HTTP/1.1": returns the index just past its CRLF, or 0 if bad. */
static size_t
http_request_line(const char *buf, size_t end, struct http_request *req, int *status)
{
	size_t i = 0, start;

	*status = 400;
	for (start = i; i < end && http_is_tchar((unsigned char)buf[i]); i++)
		;
	if (i == start || i - start >= sizeof req->method || i >= end || buf[i] != ' ')
		return 0;
	memcpy(req->method, buf + start, i - start);
	req->method[i - start] = '\0';
	for (start = ++i; i < end && (unsigned char)buf[i] > 0x20 && buf[i] != 0x7f; i++)
		;
	if (i >= end || buf[i] != ' ' || http_target(buf + start, i - start, req, status) == -1)
		return 0;
	i++;
	if (end - i < 10 || memcmp(buf + i, "HTTP/", 5) != 0 || buf[i + 6] != '.' ||
	    buf[i + 8] != '\r' || buf[i + 9] != '\n' || buf[i + 7] < '0' || buf[i + 7] > '9')
		return *status = 400, 0;
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

/*
 * One Content-Length value v[0..len): digits, or a list of equal ones
 * ("5, 5"). Sets *out; -1 if malformed or the list disagrees.
 */
static int
http_content_length(const char *v, size_t len, size_t *out)
{
	size_t i = 0, n, digits;
	int first = 1;

	while (i < len) {
		for (n = 0, digits = 0; i < len && v[i] >= '0' && v[i] <= '9'; i++, digits++) {
			if (digits == 12)
				return -1;	/* far past HTTP_BODY_MAX: no overflow either */
			n = n * 10 + (size_t)(v[i] - '0');
		}
		if (digits == 0 || (!first && n != *out))
			return -1;
		*out = n;
		first = 0;
		while (i < len && (v[i] == ' ' || v[i] == '\t'))
			i++;
		if (i < len && v[i++] != ',')
			return -1;
		while (i < len && (v[i] == ' ' || v[i] == '\t'))
			i++;
	}
	return first ? -1 : 0;
}

/*
 * Host, Content-Length and Connection, once the headers are in. Two
 * different Content-Length values mean the message's end is unknown: a
 * request could hide inside another's body (RFC 9112 section 6.3), so 400.
 */
static int
http_framing(struct http_request *req, int *status)
{
	const char *v;
	size_t len, i, cl = 0, hosts = 0;
	int have_cl = 0;

	for (i = 0; i < req->nheaders; i++) {
		const struct http_header *h = &req->headers[i];

		if (http_name_is(h->name, h->name_len, "transfer-encoding"))
			return *status = 501, -1;	/* chunked bodies: not for this server */
		hosts += http_name_is(h->name, h->name_len, "host");
		if (!http_name_is(h->name, h->name_len, "content-length"))
			continue;
		if (http_content_length(h->value, h->value_len, &cl) == -1 ||
		    (have_cl && cl != req->body_len))
			return *status = 400, -1;
		req->body_len = cl;
		have_cl = 1;
	}
	if (req->body_len > HTTP_BODY_MAX)
		return *status = 413, -1;
	/* HTTP/1.1 needs exactly one Host (RFC 9112 section 3.2). */
	if ((req->minor >= 1 && hosts == 0) || hosts > 1)
		return *status = 400, -1;
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
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 500: return "Internal Server Error";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}

void
http_stream_init(struct http_stream *s)
{
	memset(s, 0, sizeof *s);
	s->state = HTTP_STREAM_HEAD;
	s->started = -1;
}

char *
http_stream_room(struct http_stream *s, size_t *room)
{
	int reading = s->state == HTTP_STREAM_HEAD || s->state == HTTP_STREAM_BODY;

	*room = reading ? sizeof s->buf - s->len : 0;
	return s->buf + s->len;
}

/* Parse a head if one is complete, take body bytes as they come. */
static enum http_stream_state
http_stream_frame(struct http_stream *s)
{
	size_t take, keep, after;
	int rc;

	if (s->state == HTTP_STREAM_HEAD && s->len > 0) {
		rc = http_parse_request(s->buf, s->len, &s->req, &s->status);
		if (rc != 1)
			return s->state = rc == -1 ? HTTP_STREAM_FAILED : HTTP_STREAM_HEAD;
		s->body_left = s->req.body_len;
		s->body_len = 0;
		s->state = HTTP_STREAM_BODY;
	}
	if (s->state == HTTP_STREAM_BODY) {
		/* Body bytes leave buf as they come: the head stays, for req's pointers. */
		after = s->len - s->req.head_len;
		take = s->body_left < after ? s->body_left : after;
		keep = take < sizeof s->body - s->body_len ? take : sizeof s->body - s->body_len;
		memcpy(s->body + s->body_len, s->buf + s->req.head_len, keep);
		s->body_len += keep;
		memmove(s->buf + s->req.head_len, s->buf + s->req.head_len + take, after - take);
		s->len -= take;
		s->body_left -= take;
		if (s->body_left == 0)
			s->state = HTTP_STREAM_READY;
	}
	return s->state;
}

enum http_stream_state
http_stream_received(struct http_stream *s, size_t n, long now)
{
	if (n == 0 || (s->state != HTTP_STREAM_HEAD && s->state != HTTP_STREAM_BODY))
		return s->state;
	if (n > sizeof s->buf - s->len)
		n = sizeof s->buf - s->len;
	if (s->state == HTTP_STREAM_HEAD && s->len == 0)
		s->started = now;
	s->len += n;
	return http_stream_frame(s);
}

enum http_stream_state
http_stream_done(struct http_stream *s, long now)
{
	if (s->state != HTTP_STREAM_READY)
		return s->state;
	memmove(s->buf, s->buf + s->req.head_len, s->len - s->req.head_len);
	s->len -= s->req.head_len;
	memset(&s->req, 0, sizeof s->req);
	s->state = HTTP_STREAM_HEAD;
	s->started = s->len > 0 ? now : -1;	/* the next request's clock starts now */
	return http_stream_frame(s);
}

int
http_stream_late(const struct http_stream *s, long now, long limit)
{
	return (s->state == HTTP_STREAM_HEAD || s->state == HTTP_STREAM_BODY) &&
	    s->started >= 0 && now - s->started >= limit;
}
