/*
 * fwd - docker's -p spec: [HOSTIP:]HOSTPORT:[TARGETHOST:]TARGETPORT.
 *
 * The fields are separated by ':', which IPv6 addresses also contain, so an
 * IPv6 address is written in brackets. Three fields are read the way a
 * person means them: "127.0.0.1:8080:80" names the host address, while
 * "8080:10.0.0.2:80" names the target.
 */
#include "fwd.h"
#include "i18n.h"
#include "msg.h"
#include "port.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define FWD_QUOTE_MAX 64	/* most bytes of a field quoted in a reason */

struct fwd_field {
	const char *s;
	size_t len;
};

/* The shape a spec has, for the end of a reason. */
static const char *
fwd_shape(void)
{
	return _("write it like docker's -p: HOSTPORT:TARGETPORT (8080:80), "
	    "HOSTIP:HOSTPORT:TARGETPORT or HOSTPORT:TARGETHOST:TARGETPORT");
}

/* The first max bytes of s[0..len) (up to a NUL), escaped as msg_escape does, into out. */
static const char *
fwd_quote(const char *s, size_t len, size_t max, char out[4 * FWD_QUOTE_MAX + 1])
{
	size_t n = 0;

	while (n < len && n < max && s[n] != '\0')
		n++;
	msg_escape(s, n, out, 4 * FWD_QUOTE_MAX + 1);
	return out;
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static int
fwd_fail(struct fwd_spec *spec, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(spec->error, sizeof spec->error, fmt, ap);
	va_end(ap);
	errno = EINVAL;
	return -1;
}

/* Split at ':' outside brackets, into at most 5 fields; returns the count, -1 if unbalanced. */
static int
fwd_split(const char *s, size_t len, struct fwd_field *fields)
{
	size_t i, start = 0;
	int n = 0, depth = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] == '[')
			depth++;
		else if (i < len && s[i] == ']')
			depth--;
		if (depth < 0 || depth > 1)
			return -1;
		if (i < len && (s[i] != ':' || depth > 0))
			continue;
		if (n == 5)
			return 5;
		fields[n].s = s + start;
		fields[n++].len = i - start;
		start = i + 1;
	}
	return depth == 0 ? n : -1;
}

static int
fwd_all_digits(struct fwd_field f)
{
	size_t i;

	for (i = 0; i < f.len; i++)
		if (f.s[i] < '0' || f.s[i] > '9')
			return 0;
	return f.len > 0;
}

/* A port field: digits, 0-65535; the target's is never 0. */
static int
fwd_port(struct fwd_spec *spec, struct fwd_field f, int target, unsigned *port)
{
	char shown[4 * FWD_QUOTE_MAX + 1];

	if (f.len == 0)
		return target ? fwd_fail(spec, _("the target port is missing: %s"), fwd_shape()) :
		    fwd_fail(spec, _("the host port is missing: %s"), fwd_shape());
	if (port_parse(f.s, f.len, port) == -1) {
		const char *hint = port_parse_hint(errno);

		fwd_quote(f.s, f.len, 20, shown);
		return target ? fwd_fail(spec, _("the target port '%s' is not a port: %s"), shown, hint) :
		    fwd_fail(spec, _("the host port '%s' is not a port: %s"), shown, hint);
	}
	if (*port == 0 && target)
		return fwd_fail(spec, "%s", _("the target port cannot be 0: the target is a real "
		    "server port, 1-65535"));
	return 0;
}

/* A host field, copied without brackets. The host side must be a numeric IP. */
static int
fwd_host(struct fwd_spec *spec, struct fwd_field f, int numeric, char *out, size_t size)
{
	unsigned char addr[16];
	char shown[4 * FWD_QUOTE_MAX + 1];

	if (f.len >= 2 && f.s[0] == '[' && f.s[f.len - 1] == ']') {
		f.s++;
		f.len -= 2;
	}
	if (f.len == 0)
		return fwd_fail(spec, _("an address is missing: %s"), fwd_shape());
	if (f.len >= size)
		return fwd_fail(spec, _("an address is too long: %s"), fwd_shape());
	memcpy(out, f.s, f.len);
	out[f.len] = '\0';
	/* The host side's field is short (host_ip): quoted whole; a target name's first 40 bytes. */
	if (numeric && inet_pton(AF_INET, out, addr) != 1 && inet_pton(AF_INET6, out, addr) != 1)
		return fwd_fail(spec, _("'%s' is not an IP address for the host side: %s"),
		    fwd_quote(out, f.len, FWD_QUOTE_MAX, shown), fwd_shape());
	if (strspn(out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:") != f.len)
		return fwd_fail(spec, _("'%s' is not a host name or address"),
		    fwd_quote(out, f.len, 40, shown));
	return 0;
}

int
fwd_parse_spec(const char *s, size_t len, struct fwd_spec *spec)
{
	struct fwd_field f[5];
	int n;

	memset(spec, 0, sizeof *spec);
	n = fwd_split(s, len, f);
	if (n == -1)
		return fwd_fail(spec, "%s", _("unbalanced [ ]: put an IPv6 address in brackets, "
		    "like [::1]:8080:80"));
	if (n < 2)
		return fwd_fail(spec, _("a port alone is not enough: %s"), fwd_shape());
	if (n > 4)
		return fwd_fail(spec, _("too many ':' fields: %s"), fwd_shape());
	if (n == 3 && fwd_all_digits(f[0]) && fwd_all_digits(f[1]))
		return fwd_fail(spec, _("three numbers are ambiguous: %s"), fwd_shape());
	if (n == 2)
		return fwd_port(spec, f[0], 0, &spec->host_port) == -1 ||
		    fwd_port(spec, f[1], 1, &spec->target_port) == -1 ? -1 : 0;
	if (n == 3 && fwd_all_digits(f[0]))	/* HOSTPORT:TARGETHOST:TARGETPORT */
		return fwd_port(spec, f[0], 0, &spec->host_port) == -1 ||
		    fwd_host(spec, f[1], 0, spec->target_host, sizeof spec->target_host) == -1 ||
		    fwd_port(spec, f[2], 1, &spec->target_port) == -1 ? -1 : 0;
	if (fwd_host(spec, f[0], 1, spec->host_ip, sizeof spec->host_ip) == -1 ||
	    fwd_port(spec, f[1], 0, &spec->host_port) == -1)
		return -1;
	if (n == 3)	/* HOSTIP:HOSTPORT:TARGETPORT */
		return fwd_port(spec, f[2], 1, &spec->target_port);
	return fwd_host(spec, f[2], 0, spec->target_host, sizeof spec->target_host) == -1 ||
	    fwd_port(spec, f[3], 1, &spec->target_port) == -1 ? -1 : 0;
}
