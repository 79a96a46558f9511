/* url - the origin of a URL, parsed as the WHATWG URL Standard does. */
#ifndef PORTLAB_URL_H
#define PORTLAB_URL_H

#include <stddef.h>

/*
 * Limits of this parser, not of the standard (which has none): a longer
 * input, scheme or written host is refused as unsupported.
 */
#define URL_INPUT_MAX 4096	/* bytes of input, at most */
#define URL_SCHEME_MAX 32	/* a scheme of up to 31 characters */
#define URL_HOST_MAX 256	/* a written host of up to 255 bytes */
#define URL_REST_MAX 128	/* how much of path+query+fragment is kept */

enum url_host_kind {
	URL_HOST_NONE,		/* no host (file:///x, data:...) */
	URL_HOST_DOMAIN,	/* a name: "localhost", "example.com" */
	URL_HOST_IPV4,		/* "127.0.0.1" */
	URL_HOST_IPV6,		/* "[::1]" */
	URL_HOST_OPAQUE		/* the host of a non-special URL, not interpreted */
};

/* What parsing changed or noticed on the way, so a program can explain it. */
enum url_note {
	URL_NOTE_TRIMMED = 1 << 0,	/* spaces/control characters cut from the ends */
	URL_NOTE_TAB_NEWLINE = 1 << 1,	/* tabs or newlines inside were removed */
	URL_NOTE_SCHEME_CASE = 1 << 2,	/* the scheme was not all lowercase */
	URL_NOTE_HOST_CASE = 1 << 3,	/* the host was not all lowercase */
	URL_NOTE_PERCENT = 1 << 4,	/* %XX in the host was decoded */
	URL_NOTE_IPV4_FORM = 1 << 5,	/* IPv4 written another way: 127.1, 0x7f.0.0.1 */
	URL_NOTE_IPV6_FORM = 1 << 6,	/* IPv6 rewritten in its shortest form */
	URL_NOTE_DEFAULT_PORT = 1 << 7,	/* the written port is the scheme's default */
	URL_NOTE_USERINFO = 1 << 8,	/* user:password@ was given */
	URL_NOTE_SLASHES = 1 << 9,	/* not exactly "//" after a special scheme */
	URL_NOTE_BLOB = 1 << 10,	/* blob: takes the origin of the URL inside it */
	URL_NOTE_NO_SLASHES = 1 << 11	/* "localhost:3000": scheme:digits, no "//" */
};

struct url_origin {
	int opaque;			/* 1: an opaque origin, serialized "null" */
	char scheme[URL_SCHEME_MAX];	/* lowercase, without the ':' */
	enum url_host_kind host_kind;
	char host[URL_HOST_MAX];	/* as compared: "localhost", "[::1]" */
	char written_host[URL_HOST_MAX];	/* as the URL wrote it */
	long port;			/* -1: null (the default, or none) */
	long written_port;		/* -1: no port was written */
	long default_port;		/* -1: the scheme has none */
	char rest[URL_REST_MAX];	/* path, query, fragment ("..." if cut) */
	unsigned notes;			/* enum url_note bits */
	char error[512];		/* why parsing failed: see url_parse_origin */
	int unsupported;		/* 1 if it failed on a form not implemented here */
};

/*
 * Parse input[0..len) as an absolute URL and find its origin, following
 * the WHATWG URL Standard. Forms the standard accepts but this parser does
 * not (non-ASCII and xn-- host names, and past the limits above: an input
 * over 4096 bytes, a scheme over 31 characters, a written host over 255
 * bytes) are refused with o->unsupported set, never guessed. Returns 0, or
 * -1 with errno EINVAL and o->error saying why, in the programs' language
 * (i18n.h), with any bytes it quotes from input escaped (msg_escape), so it
 * may be printed as it is.
 */
int url_parse_origin(const char *input, size_t len, struct url_origin *o);

/*
 * Write o's origin as browsers serialize it: "http://localhost:3000",
 * "http://[::1]", or "null" for an opaque origin. Returns 0, or -1 with
 * errno ENOSPC.
 */
int url_origin_serialize(const struct url_origin *o, char *buf, size_t size);

/*
 * 1 if text[0..len) is exactly an origin as browsers serialize it, such as
 * "http://localhost:3000" (and not "null"): the only form of an Origin
 * header a server may copy into Access-Control-Allow-Origin. Else 0.
 */
int url_is_origin_text(const char *text, size_t len);

/* 1 if a and b are the same origin (an opaque origin never is), else 0. */
int url_same_origin(const struct url_origin *a, const struct url_origin *b);

/* The default port of a scheme (http 80, https 443, ws 80, wss 443, ftp 21), or -1. */
long url_default_port(const char *scheme);

#endif
