/*
 * fuzz_framing - http_stream: one connection's bytes framed into requests,
 * fed in pieces of every size, answered one at a time (pipelining).
 * Properties: the stream never holds more than its buffer, and never more
 * bytes than it was given; while it will not read (room 0) it is READY or
 * FAILED, so a connection can never stall with bytes it cannot frame; a
 * READY request has a path, a head inside the bytes given, and exactly the
 * first min(Content-Length, HTTP_BODY_KEEP) bytes of its body, as given; a
 * FAILED stream names a status it promises; heads and bodies of the READY
 * requests together never add up to more than the input.
 */
#include "fuzz.h"
#include "http.h"

#include <string.h>

/* Where a request's body began in the input, to compare the kept bytes with it. */
static void
check_ready(const struct http_stream *s, const uint8_t *data, size_t body_at, size_t size)
{
	size_t keep = s->req.body_len < HTTP_BODY_KEEP ? s->req.body_len : HTTP_BODY_KEEP;

	CHECK(s->req.head_len > 0 && s->req.head_len <= s->len);
	CHECK(s->req.path[0] == '/');
	CHECK(s->body_len == keep);
	CHECK(body_at + keep <= size);
	CHECK(memcmp(s->body, data + body_at, keep) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_stream s;
	size_t step, pos, room, n, framed = 0, head_at = 0;
	enum http_stream_state state;
	long now = 0;
	char *at;

	if (size < 1)
		return 0;
	step = (size_t)data[0] % 64 + 1;	/* the first byte: how the bytes arrive */
	data++;
	size--;
	http_stream_init(&s);
	for (pos = 0;;) {
		at = http_stream_room(&s, &room);
		CHECK(s.len <= sizeof s.buf && s.body_len <= HTTP_BODY_KEEP);
		CHECK(room <= sizeof s.buf - s.len);
		if (room == 0)
			CHECK(s.state == HTTP_STREAM_READY || s.state == HTTP_STREAM_FAILED);
		if (s.state == HTTP_STREAM_FAILED) {
			CHECK(s.status == 400 || s.status == 413 || s.status == 414 ||
			    s.status == 431 || s.status == 501 || s.status == 505);
			break;
		}
		if (s.state == HTTP_STREAM_READY) {
			/* The head began at head_at; its body right after it. */
			check_ready(&s, data, head_at + s.req.head_len, size);
			framed += s.req.head_len + s.req.body_len;
			CHECK(framed <= pos);
			head_at += s.req.head_len + s.req.body_len;
			state = http_stream_done(&s, ++now);
			CHECK(state != HTTP_STREAM_READY || s.len > 0);
			continue;
		}
		if (pos == size)
			break;
		n = size - pos < step ? size - pos : step;
		n = n < room ? n : room;
		memcpy(at, data + pos, n);
		pos += n;
		http_stream_received(&s, n, now);
		CHECK(!http_stream_late(&s, now, 1) || s.started <= now - 1);
	}
	return 0;
}
