/*
 * url - the origin of a URL, parsed as the WHATWG URL Standard does.
 *
 * Browsers do not compare the text of URLs; they parse each one, then
 * compare (scheme, host, port). Parsing normalizes a lot on the way: case,
 * default ports, IPv4 written as 127.1 or 2130706433, IPv6 shorthand. This
 * file does those steps in the standard's order, for the parts that decide
 * the origin, and refuses the forms it does not implement (IDN, xn--).
 */
#include "url.h"

#include "i18n.h"
#include "msg.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define URL_MAX_IPV4 0xffffffffULL
#define URL_SHOWN_MAX (URL_HOST_MAX * 4)	/* a written host, every byte escaped */

/*
 * Fail with a reason (fmt comes through _(), so it is in the programs'
 * language); always returns -1. Bytes quoted from the URL go in through
 * url_shown, so the reason can be printed as it is.
 */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static int
url_fail(struct url_origin *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->error, sizeof o->error, fmt, ap);
	va_end(ap);
	errno = EINVAL;
	return -1;
}

/* Fail on a form the standard accepts but this parser does not implement. */
static int
url_unsupported(struct url_origin *o, const char *why)
{
	o->unsupported = 1;
	return url_fail(o, "%s", why);
}

/* s[0..len), from the URL, as a reason may quote it: printable ASCII (msg_escape). */
static const char *
url_shown(const char *s, size_t len, char *buf, size_t size)
{
	msg_escape(s, len, buf, size);
	return buf;
}

static int
url_is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
url_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
url_hex_value(int c)
{
	if (url_is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
url_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

long
url_default_port(const char *scheme)
{
	static const struct { const char *scheme; long port; } table[] = {
		{ "http", 80 }, { "https", 443 }, { "ws", 80 }, { "wss", 443 },
		{ "ftp", 21 },
	};
	size_t i;

	for (i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strcmp(scheme, table[i].scheme) == 0)
			return table[i].port;
	return -1;
}

/* The standard's "special" schemes: the ones with a default port, and file. */
static int
url_is_special(const char *scheme)
{
	return url_default_port(scheme) != -1 || strcmp(scheme, "file") == 0;
}

/*
 * Step 1 of the standard: cut C0 controls and spaces from both ends, and
 * remove every tab, LF and CR. Returns the cleaned length.
 */
static size_t
url_clean(const char *in, size_t len, char *out, unsigned *notes)
{
	size_t start = 0, end = len, n = 0, i;

	while (start < end && (unsigned char)in[start] <= 0x20)
		start++;
	while (end > start && (unsigned char)in[end - 1] <= 0x20)
		end--;
	if (start > 0 || end < len)
		*notes |= URL_NOTE_TRIMMED;
	for (i = start; i < end; i++) {
		if (in[i] == '\t' || in[i] == '\n' || in[i] == '\r')
			*notes |= URL_NOTE_TAB_NEWLINE;
		else
			out[n++] = in[i];
	}
	return n;
}

/* Keep up to URL_REST_MAX-1 bytes of what follows the host, for display. */
static void
url_keep_rest(struct url_origin *o, const char *s, size_t len)
{
	if (len < sizeof o->rest) {
		memcpy(o->rest, s, len);
		o->rest[len] = '\0';
	} else {
		memcpy(o->rest, s, sizeof o->rest - 4);
		memcpy(o->rest + sizeof o->rest - 4, "...", 4);
	}
}

/* Write the 8 pieces of an IPv6 address the standard's way: lowercase hex, longest zero run as "::". */
static void
url_ipv6_serialize(const unsigned char bytes[16], char *out, size_t size)
{
	unsigned pieces[8];
	int i, best = -1, best_len = 1, run_start = -1, ignore0 = 0;
	size_t used = 0;

	for (i = 0; i < 8; i++)
		pieces[i] = (unsigned)bytes[2 * i] << 8 | bytes[2 * i + 1];
	for (i = 0; i <= 8; i++) {
		if (i < 8 && pieces[i] == 0) {
			if (run_start < 0)
				run_start = i;
		} else if (run_start >= 0) {
			if (i - run_start > best_len) {
				best = run_start;
				best_len = i - run_start;
			}
			run_start = -1;
		}
	}
	used += (size_t)snprintf(out, size, "[");
	for (i = 0; i < 8 && used < size; i++) {
		if (ignore0 && pieces[i] == 0)
			continue;
		ignore0 = 0;
		if (i == best) {
			used += (size_t)snprintf(out + used, size - used, i == 0 ? "::" : ":");
			ignore0 = 1;
			continue;
		}
		used += (size_t)snprintf(out + used, size - used, "%x%s", pieces[i],
		    i < 7 ? ":" : "");
	}
	if (used < size)
		snprintf(out + used, size - used, "]");
}

/* An IPv6 literal, the text between the brackets. */
static int
url_parse_ipv6(const char *s, size_t len, struct url_origin *o)
{
	unsigned char bytes[16];
	char text[64], written[64], shown[sizeof text * 4];
	size_t i;

	if (len >= sizeof text || memchr(s, '%', len) != NULL)
		return url_fail(o, _("'[%s]' is not an IPv6 address (zone IDs like %%25eth0 are not allowed in URLs)"),
		    url_shown(s, len < 40 ? len : 40, shown, sizeof shown));
	memcpy(text, s, len);
	text[len] = '\0';
	if (inet_pton(AF_INET6, text, bytes) != 1)
		return url_fail(o, _("'[%s]' is not an IPv6 address"),
		    url_shown(text, len, shown, sizeof shown));
	url_ipv6_serialize(bytes, o->host, sizeof o->host);
	o->host_kind = URL_HOST_IPV6;
	for (i = 0; i < len; i++)
		written[i] = (char)url_lower(text[i]);
	snprintf(written + len, sizeof written - len, "]");
	if (strncmp(o->host + 1, written, len + 1) != 0)
		o->notes |= URL_NOTE_IPV6_FORM;
	return 0;
}

/*
 * One part of an IPv4 address, in the standard's three bases: "0x7f" is
 * hex, "0177" octal, "127" decimal; "0x" alone is 0. Values past 2^32 are
 * capped (they are refused later). Returns 0, or -1 if not a number.
 */
static int
url_ipv4_number(const char *s, size_t len, uint64_t *out)
{
	unsigned base = 10;
	uint64_t value = 0;
	size_t i = 0;
	int digit;

	if (len == 0)
		return -1;
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (len >= 2 && s[0] == '0') {
		base = 8;
		i = 1;
	}
	for (; i < len; i++) {
		digit = url_hex_value((unsigned char)s[i]);
		if (digit < 0 || (unsigned)digit >= base)
			return -1;
		value = value * base + (unsigned)digit;
		if (value > URL_MAX_IPV4 + 1)
			value = URL_MAX_IPV4 + 1;
	}
	*out = value;
	return 0;
}

/* The standard's "ends in a number" test: is the last label numeric? */
static int
url_ends_in_number(const char *s, size_t len)
{
	size_t start, i;
	uint64_t ignored;

	if (len > 0 && s[len - 1] == '.')
		len--;		/* one trailing dot does not count */
	start = len;
	while (start > 0 && s[start - 1] != '.')
		start--;
	if (start == len)
		return 0;
	for (i = start; i < len && url_is_digit((unsigned char)s[i]); i++)
		;
	if (i == len)
		return 1;	/* all digits, even "09", which then fails as IPv4 */
	return url_ipv4_number(s + start, len - start, &ignored) == 0;
}

/* An IPv4 address in any form the standard accepts, written back as a.b.c.d. */
static int
url_parse_ipv4(const char *s, size_t len, struct url_origin *o)
{
	uint64_t parts[4], address;
	size_t n = 0, start = 0, i;
	char host[URL_SHOWN_MAX], part[URL_SHOWN_MAX];

	url_shown(o->written_host, strlen(o->written_host), host, sizeof host);
	if (len > 0 && s[len - 1] == '.')
		len--;		/* "1.2.3.4." is allowed */
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		if (n == 4)
			return url_fail(o, _("'%s' has more than four parts, so it is not an "
			    "IPv4 address"), host);
		if (url_ipv4_number(s + start, i - start, &parts[n++]) == -1) {
			url_shown(s + start, i - start, part, sizeof part);
			if (s[start] == '0' && i - start > 1 && url_is_digit((unsigned char)s[start + 1]))
				return url_fail(o, _("'%s' ends in a number, so it must be an IPv4 "
				    "address, but '%s' is not a number (a leading 0 means octal, "
				    "which has no 8 or 9)"), host, part);
			return url_fail(o, _("'%s' ends in a number, so it must be an IPv4 "
			    "address, but '%s' is not a number"), host, part);
		}
		start = i + 1;
	}
	for (i = 0; i + 1 < n; i++)
		if (parts[i] > 255)
			return url_fail(o, _("'%s' is not an IPv4 address: each part "
			    "before the last must be 0-255"), host);
	if (parts[n - 1] >= (1ULL << (8 * (5 - n))))
		return url_fail(o, _("'%s' is not an IPv4 address: the number is too large"),
		    host);
	address = parts[n - 1];
	for (i = 0; i + 1 < n; i++)
		address += parts[i] << (8 * (3 - i));
	snprintf(o->host, sizeof o->host, "%u.%u.%u.%u",
	    (unsigned)(address >> 24) & 255, (unsigned)(address >> 16) & 255,
	    (unsigned)(address >> 8) & 255, (unsigned)address & 255);
	o->host_kind = URL_HOST_IPV4;
	if (strncmp(o->host, s, len) != 0 || strlen(o->host) != len)
		o->notes |= URL_NOTE_IPV4_FORM;
	return 0;
}

/* The standard's forbidden host code points. */
static int
url_forbidden_in_host(unsigned char c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\r' || c == ' ' ||
	    c == '#' || c == '/' || c == ':' || c == '<' || c == '>' || c == '?' ||
	    c == '@' || c == '[' || c == '\\' || c == ']' || c == '^' || c == '|';
}

/* The standard's forbidden domain code points: those, controls, '%' and DEL. */
static int
url_forbidden_in_domain(unsigned char c)
{
	return url_forbidden_in_host(c) || c <= 0x1f || c == '%' || c == 0x7f;
}

/*
 * Fail on a byte a host may not hold, naming it without printing it raw.
 * domain: 1 for a special URL's host name, 0 for another scheme's host.
 */
static int
url_fail_byte(struct url_origin *o, unsigned char c, int domain)
{
	char shown[8];

	if (c == ' ')
		return url_fail(o, "%s", domain ?
		    _("the host contains a space, which a host name may not contain") :
		    _("the host contains a space, which a host may not contain"));
	if (c < 0x20 || c >= 0x7f)
		return url_fail(o, domain ?
		    _("the host contains the control byte 0x%02x, which a host name may not contain") :
		    _("the host contains the control byte 0x%02x, which a host may not contain"), c);
	url_shown((const char *)&c, 1, shown, sizeof shown);
	return url_fail(o, domain ? _("the host contains '%s', which a host name may not contain") :
	    _("the host contains '%s', which a host may not contain"), shown);
}

/* The host of a special URL (http, https, ws, wss, ftp, file). */
static int
url_parse_host(const char *s, size_t len, struct url_origin *o)
{
	char domain[URL_HOST_MAX];
	size_t n = 0, i;
	int hi, lo;

	if (len > 0 && s[0] == '[') {
		if (len < 2 || s[len - 1] != ']')
			return url_fail(o, "%s", _("an IPv6 address must be closed with ']'"));
		return url_parse_ipv6(s + 1, len - 2, o);
	}
	/* Percent-decoding first: %41 is "A". */
	for (i = 0; i < len; i++) {
		hi = i + 2 < len ? url_hex_value((unsigned char)s[i + 1]) : -1;
		lo = i + 2 < len ? url_hex_value((unsigned char)s[i + 2]) : -1;
		if (s[i] == '%' && hi >= 0 && lo >= 0) {
			domain[n++] = (char)(hi * 16 + lo);
			o->notes |= URL_NOTE_PERCENT;
			i += 2;
		} else
			domain[n++] = s[i];
	}
	for (i = 0; i < n; i++) {
		if ((unsigned char)domain[i] >= 0x80)
			return url_unsupported(o, _("non-ASCII host names (internationalized domain "
			    "names) are not supported here; browsers first turn them into "
			    "xn-- form"));
		if (url_forbidden_in_domain((unsigned char)domain[i]))
			return url_fail_byte(o, (unsigned char)domain[i], 1);
		if (url_lower(domain[i]) != domain[i])
			o->notes |= URL_NOTE_HOST_CASE;
		domain[i] = (char)url_lower(domain[i]);
	}
	domain[n] = '\0';
	if (n == 0)
		return url_fail(o, "%s", _("the host is empty"));
	/* xn-- labels need Punycode and IDNA checks, which are not done here. */
	if (strncmp(domain, "xn--", 4) == 0 || strstr(domain, ".xn--") != NULL)
		return url_unsupported(o, _("xn-- (Punycode) host names are not supported here"));
	if (url_ends_in_number(domain, n))
		return url_parse_ipv4(domain, n, o);
	memcpy(o->host, domain, n + 1);
	o->host_kind = URL_HOST_DOMAIN;
	return 0;
}

/* The host of a non-special URL (foo://host): only checked, never interpreted. */
static int
url_parse_opaque_host(const char *s, size_t len, struct url_origin *o)
{
	size_t i;

	if (len > 0 && s[0] == '[') {
		if (len < 2 || s[len - 1] != ']')
			return url_fail(o, "%s", _("an IPv6 address must be closed with ']'"));
		return url_parse_ipv6(s + 1, len - 2, o);
	}
	for (i = 0; i < len; i++)
		if (url_forbidden_in_host((unsigned char)s[i]))
			return url_fail_byte(o, (unsigned char)s[i], 0);
	memcpy(o->host, s, len);
	o->host[len] = '\0';
	o->host_kind = len ? URL_HOST_OPAQUE : URL_HOST_NONE;
	return 0;
}

/* The port after ':' (may be empty). Digits only, 0-65535. */
static int
url_parse_port(const char *s, size_t len, struct url_origin *o)
{
	long value = 0;
	size_t i;
	char shown[20 * 4 + 1];

	if (len == 0)
		return 0;	/* "http://host:/" has no port */
	for (i = 0; i < len; i++) {
		if (!url_is_digit((unsigned char)s[i]))
			return url_fail(o, _("the port '%s' is not a number: ports are "
			    "16-bit: 0-65535"), url_shown(s, len < 20 ? len : 20, shown, sizeof shown));
		value = value * 10 + (s[i] - '0');
		if (value > 65535)
			return url_fail(o, _("the port %s is out of range: ports are "
			    "16-bit: 0-65535"), url_shown(s, len < 20 ? len : 20, shown, sizeof shown));
	}
	o->written_port = value;
	if (value == o->default_port)
		o->notes |= URL_NOTE_DEFAULT_PORT;
	else
		o->port = value;
	return 0;
}

/*
 * The authority: [userinfo@]host[:port], up to the first '/', '?' or '#'
 * ('\' too in special URLs). Sets *end to where it stopped.
 */
static int
url_parse_authority(const char *s, size_t len, int special, struct url_origin *o,
    size_t *end)
{
	size_t stop, at = 0, colon, host_len, i;
	int in_brackets = 0, has_at = 0;

	for (stop = 0; stop < len; stop++) {
		if (s[stop] == '/' || s[stop] == '?' || s[stop] == '#' ||
		    (special && s[stop] == '\\'))
			break;
		if (s[stop] == '@') {
			at = stop + 1;	/* the last '@' ends the userinfo */
			has_at = 1;
		}
	}
	*end = stop;
	if (has_at)
		o->notes |= URL_NOTE_USERINFO;
	if (has_at && at == stop)
		return url_fail(o, "%s", _("nothing follows the '@': the host is missing"));
	colon = stop;
	for (i = at; i < stop; i++) {
		if (s[i] == '[')
			in_brackets = 1;
		else if (s[i] == ']')
			in_brackets = 0;
		else if (s[i] == ':' && !in_brackets) {
			colon = i;
			break;
		}
	}
	host_len = colon - at;
	if (host_len == 0 && colon < stop)
		return url_fail(o, "%s", _("the host is missing before the ':'"));
	if (host_len >= URL_HOST_MAX)
		return url_unsupported(o, _("hosts longer than 255 characters are not supported here"));
	memcpy(o->written_host, s + at, host_len);
	o->written_host[host_len] = '\0';
	if (special && host_len == 0)
		return url_fail(o, _("the host is missing: a URL like %s://localhost:3000 "
		    "names one"), o->scheme);
	if ((special ? url_parse_host : url_parse_opaque_host)(s + at, host_len, o) == -1)
		return -1;
	if (colon < stop)
		return url_parse_port(s + colon + 1, stop - colon - 1, o);
	return 0;
}

/* file: URLs have an opaque origin, but their host must still be valid. */
static int
url_parse_file(const char *s, size_t len, struct url_origin *o)
{
	size_t stop;

	o->opaque = 1;
	if (len >= 2 && (s[0] == '/' || s[0] == '\\') && (s[1] == '/' || s[1] == '\\')) {
		for (stop = 2; stop < len && s[stop] != '/' && s[stop] != '\\' &&
		    s[stop] != '?' && s[stop] != '#'; stop++)
			;
		/* "file://C:/x" is a Windows drive letter, not a host. */
		if (stop - 2 == 2 && url_is_alpha((unsigned char)s[2]) &&
		    (s[3] == ':' || s[3] == '|'))
			stop = 2;
		if (stop > 2) {
			if (stop - 2 >= URL_HOST_MAX)
				return url_unsupported(o, _("hosts longer than 255 characters are "
				    "not supported here"));
			memcpy(o->written_host, s + 2, stop - 2);
			o->written_host[stop - 2] = '\0';
			if (url_parse_host(s + 2, stop - 2, o) == -1)
				return -1;
			if (strcmp(o->host, "localhost") == 0) {	/* the same as no host */
				o->host[0] = '\0';
				o->host_kind = URL_HOST_NONE;
			}
		}
		url_keep_rest(o, s + stop, len - stop);
	} else
		url_keep_rest(o, s, len);
	return 0;
}

/* http, https, ws, wss, ftp: any run of '/' and '\' then the authority. */
static int
url_parse_special(const char *s, size_t len, struct url_origin *o)
{
	size_t i = 0, end;

	while (i < len && (s[i] == '/' || s[i] == '\\'))
		i++;
	if (i != 2 || s[0] != '/' || s[1] != '/')
		o->notes |= URL_NOTE_SLASHES;
	if (url_parse_authority(s + i, len - i, 1, o, &end) == -1)
		return -1;
	url_keep_rest(o, s + i + end, len - i - end);
	return 0;
}

static int url_parse(const char *input, size_t len, struct url_origin *o, int depth);

/* Any other scheme: an opaque origin, except blob:, which takes its inner URL's. */
static int
url_parse_other(const char *s, size_t len, struct url_origin *o, int depth)
{
	struct url_origin inner;
	char path[URL_INPUT_MAX];
	size_t end, path_len = 0, i;
	unsigned char c;

	o->opaque = 1;
	if (strcmp(o->scheme, "blob") == 0 && depth == 0) {
		/* The path, as the standard stores it: controls and non-ASCII as %XX. */
		for (i = 0; i < len && s[i] != '?' && s[i] != '#' && path_len + 4 < sizeof path; i++) {
			c = (unsigned char)s[i];
			if (c < 0x20 || c >= 0x7f)
				path_len += (size_t)snprintf(path + path_len, 4, "%%%02X", c);
			else
				path[path_len++] = (char)c;
		}
		if (url_parse(path, path_len, &inner, depth + 1) == -1 && inner.unsupported) {
			*o = inner;
			return -1;
		}
		if (inner.error[0] == '\0' && !inner.opaque &&
		    (strcmp(inner.scheme, "http") == 0 || strcmp(inner.scheme, "https") == 0)) {
			inner.notes |= URL_NOTE_BLOB | o->notes;
			*o = inner;
			return 0;
		}
	}
	if (len >= 2 && s[0] == '/' && s[1] == '/') {
		if (url_parse_authority(s + 2, len - 2, 0, o, &end) == -1)
			return -1;
		url_keep_rest(o, s + 2 + end, len - 2 - end);
		return 0;
	}
	if (len > 0 && strspn(s, "0123456789") == len)
		o->notes |= URL_NOTE_NO_SLASHES;
	url_keep_rest(o, s, len);
	return 0;
}

static int
url_parse(const char *input, size_t len, struct url_origin *o, int depth)
{
	char text[URL_INPUT_MAX];
	size_t n, i, j;

	memset(o, 0, sizeof *o);
	o->port = o->written_port = o->default_port = -1;
	if (len > URL_INPUT_MAX)
		return url_unsupported(o, _("URLs longer than 4096 bytes are not supported here"));
	n = url_clean(input, len, text, &o->notes);
	if (n == 0)
		return url_fail(o, "%s", _("empty: give a URL such as http://localhost:3000"));
	/* The scheme: a letter, then letters, digits, '+', '-' or '.', then ':'. */
	for (i = 0; i < n && (url_is_alpha((unsigned char)text[i]) || (i > 0 &&
	    (url_is_digit((unsigned char)text[i]) || text[i] == '+' || text[i] == '-' ||
	    text[i] == '.'))); i++)
		;
	if (i == 0 || i == n || text[i] != ':')
		return url_fail(o, "%s", _("no scheme: a URL starts with one, like "
		    "http://localhost:3000"));
	if (i >= URL_SCHEME_MAX)
		return url_unsupported(o, _("schemes longer than 31 characters are not supported here"));
	for (j = 0; j < i; j++) {
		if (url_lower(text[j]) != text[j])
			o->notes |= URL_NOTE_SCHEME_CASE;
		o->scheme[j] = (char)url_lower(text[j]);
	}
	i++;	/* past ':' */
	o->default_port = url_default_port(o->scheme);
	if (strcmp(o->scheme, "file") == 0)
		return url_parse_file(text + i, n - i, o);
	if (url_is_special(o->scheme))
		return url_parse_special(text + i, n - i, o);
	return url_parse_other(text + i, n - i, o, depth);
}

int
url_parse_origin(const char *input, size_t len, struct url_origin *o)
{
	return url_parse(input, len, o, 0);
}

int
url_origin_serialize(const struct url_origin *o, char *buf, size_t size)
{
	int n;

	if (o->opaque)
		n = snprintf(buf, size, "null");
	else if (o->port >= 0)
		n = snprintf(buf, size, "%s://%s:%ld", o->scheme, o->host, o->port);
	else
		n = snprintf(buf, size, "%s://%s", o->scheme, o->host);
	if (n < 0 || (size_t)n >= size) {
		errno = ENOSPC;
		return -1;
	}
	return 0;
}

int
url_is_origin_text(const char *text, size_t len)
{
	struct url_origin o;
	char serialized[URL_SCHEME_MAX + URL_HOST_MAX + 16];

	if (len == 0 || len >= sizeof serialized || url_parse_origin(text, len, &o) == -1 ||
	    o.opaque || url_origin_serialize(&o, serialized, sizeof serialized) == -1)
		return 0;
	return strlen(serialized) == len && memcmp(serialized, text, len) == 0;
}

int
url_same_origin(const struct url_origin *a, const struct url_origin *b)
{
	return !a->opaque && !b->opaque && strcmp(a->scheme, b->scheme) == 0 &&
	    strcmp(a->host, b->host) == 0 && a->port == b->port;
}
