/*
 * fwd - docker's -p spec: [HOSTIP:]HOSTPORT:[TARGETHOST:]TARGETPORT.
 *
 * The fields are separated by ':', which IPv6 addresses also contain, so an
 * IPv6 address is written in brackets. Three fields are read the way a
 * person means them: "127.0.0.1:8080:80" names the host address, while
 * "8080:10.0.0.2:80" names the target.
 */
#include "fwd.h"
#include "port.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define FWD_SHAPE "write it like docker's -p: HOSTPORT:TARGETPORT (8080:80), " \
	"HOSTIP:HOSTPORT:TARGETPORT or HOSTPORT:TARGETHOST:TARGETPORT"

struct fwd_field {
	const char *s;
	size_t len;
};

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

/* A port field: digits, 0-65535 (0 only where allowed). */
static int
fwd_port(struct fwd_spec *spec, struct fwd_field f, const char *side, int allow_zero,
    unsigned *port)
{
	if (f.len == 0)
		return fwd_fail(spec, "the %s port is missing: %s", side, FWD_SHAPE);
	if (port_parse(f.s, f.len, port) == -1)
		return fwd_fail(spec, "the %s port '%.*s' is not a port: %s", side,
		    (int)(f.len < 20 ? f.len : 20), f.s, port_parse_hint(errno));
	if (*port == 0 && !allow_zero)
		return fwd_fail(spec, "the %s port cannot be 0: the target is a real server port, 1-65535", side);
	return 0;
}

/* A host field, copied without brackets. The host side must be a numeric IP. */
static int
fwd_host(struct fwd_spec *spec, struct fwd_field f, int numeric, char *out, size_t size)
{
	unsigned char addr[16];

	if (f.len >= 2 && f.s[0] == '[' && f.s[f.len - 1] == ']') {
		f.s++;
		f.len -= 2;
	}
	if (f.len == 0 || f.len >= size)
		return fwd_fail(spec, "an address is %s: %s", f.len ? "too long" : "missing", FWD_SHAPE);
	memcpy(out, f.s, f.len);
	out[f.len] = '\0';
	if (numeric && inet_pton(AF_INET, out, addr) != 1 && inet_pton(AF_INET6, out, addr) != 1)
		return fwd_fail(spec, "'%s' is not an IP address for the host side: %s", out, FWD_SHAPE);
	if (strspn(out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:") != f.len)
		return fwd_fail(spec, "'%.40s' is not a host name or address", out);
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
		return fwd_fail(spec, "unbalanced [ ]: put an IPv6 address in brackets, like [::1]:8080:80");
	if (n < 2)
		return fwd_fail(spec, "a port alone is not enough: %s", FWD_SHAPE);
	if (n > 4)
		return fwd_fail(spec, "too many ':' fields: %s", FWD_SHAPE);
	if (n == 3 && fwd_all_digits(f[0]) && fwd_all_digits(f[1]))
		return fwd_fail(spec, "three numbers are ambiguous: %s", FWD_SHAPE);
	if (n == 2)
		return fwd_port(spec, f[0], "host", 1, &spec->host_port) == -1 ||
		    fwd_port(spec, f[1], "target", 0, &spec->target_port) == -1 ? -1 : 0;
	if (n == 3 && fwd_all_digits(f[0]))	/* HOSTPORT:TARGETHOST:TARGETPORT */
		return fwd_port(spec, f[0], "host", 1, &spec->host_port) == -1 ||
		    fwd_host(spec, f[1], 0, spec->target_host, sizeof spec->target_host) == -1 ||
		    fwd_port(spec, f[2], "target", 0, &spec->target_port) == -1 ? -1 : 0;
	if (fwd_host(spec, f[0], 1, spec->host_ip, sizeof spec->host_ip) == -1 ||
	    fwd_port(spec, f[1], "host", 1, &spec->host_port) == -1)
		return -1;
	if (n == 3)	/* HOSTIP:HOSTPORT:TARGETPORT */
		return fwd_port(spec, f[2], "target", 0, &spec->target_port);
	return fwd_host(spec, f[2], 0, spec->target_host, sizeof spec->target_host) == -1 ||
	    fwd_port(spec, f[3], "target", 0, &spec->target_port) == -1 ? -1 : 0;
}
