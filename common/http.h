/* http - HTTP/1.1 requests parsed from a buffer, for a small, strict server. */
#ifndef PORTLAB_HTTP_H
#define PORTLAB_HTTP_H

#include <stddef.h>

#define HTTP_HEAD_MAX 8192	/* request line + headers; more is 431 */
#define HTTP_BODY_MAX 65536	/* Content-Length above this is 413 */
#define HTTP_HEADERS_MAX 64
#define HTTP_BODY_KEEP 32	/* body bytes a stream keeps; the rest is read and dropped */

struct http_header {
	const char *name, *value;	/* point into the caller's buffer; not NUL-terminated */
	size_t name_len, value_len;
};

struct http_request {
	char method[16];
	char path[1024];		/* the target's path, up to '?' (from an absolute-form target too) */
	char query[256];		/* after '?', "" if none */
	int minor;			/* HTTP/1.minor */
	struct http_header headers[HTTP_HEADERS_MAX];
	size_t nheaders;
	size_t head_len;		/* bytes of the head, through the blank line */
	size_t body_len;		/* Content-Length, 0 if none */
	int keep_alive;			/* 1 unless "Connection: close" or HTTP/1.0 */
};

/*
 * Parse the head of a request from buf[0..len). The target may be a path
 * ("/api/data?x") or absolute ("http://localhost:5173/api/data", RFC 9112
 * section 3.2.2). Returns 1 when the whole head is there (req filled), 0
 * when more bytes are needed, or -1 for a bad request with *status the
 * answer it deserves: 400 (malformed; a control character other than a tab
 * in a header line; HTTP/1.1 without exactly one Host; Content-Length values
 * that differ), 413 (body too large), 414 (target too long), 431 (head too
 * large), 501 (Transfer-Encoding), 505 (not HTTP/1.x). Never reads past len.
 */
int http_parse_request(const char *buf, size_t len, struct http_request *req, int *status);

/* The value of header name (case-insensitive) and its length; NULL if absent. */
const char *http_header(const struct http_request *req, const char *name, size_t *len);

/*
 * 1 if value[0..len) may be copied into a response header: visible ASCII
 * and spaces only, no CR, LF, NUL or other control, at most 256 bytes.
 */
int http_value_is_safe(const char *value, size_t len);

/* Where one connection's request stream stands. */
enum http_stream_state {
	HTTP_STREAM_HEAD,	/* waiting for (the rest of) a request's head */
	HTTP_STREAM_BODY,	/* the head is in; its Content-Length body is arriving */
	HTTP_STREAM_READY,	/* a whole request is in: answer it, then http_stream_done */
	HTTP_STREAM_FAILED	/* a bad request: answer with status, then close */
};

/*
 * One connection's bytes, framed into requests one at a time (RFC 9112):
 * a head, then exactly Content-Length bytes of body. Requests pipelined
 * behind one wait in buf until it is answered. Times are whole seconds from
 * any clock the caller likes (time(NULL)), so a fuzzer can drive them.
 */
struct http_stream {
	char buf[HTTP_HEAD_MAX + 512];	/* a head, then what follows it */
	size_t len;
	enum http_stream_state state;
	struct http_request req;	/* BODY and READY: its pointers point into buf */
	size_t body_left;		/* BODY: bytes of body still to come */
	char body[HTTP_BODY_KEEP];	/* the first bytes of the body */
	size_t body_len;
	long started;			/* when this request's first byte came; -1: none yet */
	int status;			/* FAILED: the status to answer */
};

/* Start a stream for a new connection. */
void http_stream_init(struct http_stream *s);

/*
 * Where the next bytes read from the connection go, and *room how many fit.
 * *room is 0 while a request waits to be answered (READY) or the stream has
 * failed: stop reading then.
 */
char *http_stream_room(struct http_stream *s, size_t *room);

/* n bytes were put at http_stream_room() at time now: frame them. Returns the state. */
enum http_stream_state http_stream_received(struct http_stream *s, size_t n, long now);

/* The READY request was answered: drop it and frame what follows it. Returns the state. */
enum http_stream_state http_stream_done(struct http_stream *s, long now);

/* 1 if a request has been arriving for limit seconds or more (a slow client), else 0. */
int http_stream_late(const struct http_stream *s, long now, long limit);

/* The reason phrase for a status code: "OK", "Not Found". */
const char *http_reason(int status);

#endif
