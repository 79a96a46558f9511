/*
 * addr - socket addresses written the way `lsof -nP` writes them.
 *
 * A student compares our lines with lsof's, so the notation must be lsof's
 * to the character: IPv6 in brackets, and "*" wherever the kernel holds a
 * wildcard (any address, or no port yet).
 */
#include "addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int
addr_numeric_host(const struct sockaddr *sa, char *buf, size_t size)
{
	const void *raw;

	if (sa->sa_family == AF_INET)
		raw = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
	else if (sa->sa_family == AF_INET6)
		raw = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
	else {
		errno = EAFNOSUPPORT;
		return -1;
	}
	if (inet_ntop(sa->sa_family, raw, buf, (socklen_t)size) == NULL)
		return -1;
	return 0;
}

/* 1 if sa is an IPv6 socket's view of an IPv4 peer, ::ffff:a.b.c.d. */
static int
addr_is_v4mapped(const struct sockaddr *sa)
{
	return sa->sa_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(
	    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr);
}

/*
 * Write the host part as lsof does: "*" for a wildcard, brackets around
 * IPv6, and an IPv4-mapped address as plain IPv4 (lsof unmaps them).
 */
static int
addr_format_host(const struct sockaddr *sa, char *buf, size_t size)
{
	char text[INET6_ADDRSTRLEN];
	const unsigned char *bytes;
	int n;

	if (addr_numeric_host(sa, text, sizeof text) == -1)
		return -1;
	if (addr_is_v4mapped(sa)) {
		bytes = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr;
		n = snprintf(buf, size, "%u.%u.%u.%u", bytes[12], bytes[13],
		    bytes[14], bytes[15]);
	} else if (addr_is_wildcard(sa))
		n = snprintf(buf, size, "*");
	else if (sa->sa_family == AF_INET6)
		n = snprintf(buf, size, "[%s]", text);
	else
		n = snprintf(buf, size, "%s", text);
	if (n < 0 || (size_t)n >= size) {
		errno = ENOSPC;
		return -1;
	}
	return 0;
}

int
addr_format(const struct sockaddr *sa, char *buf, size_t size)
{
	char host[ADDR_STRLEN];
	unsigned port = addr_port(sa);
	int n;

	if (addr_format_host(sa, host, sizeof host) == -1)
		return -1;
	if (port == 0)
		n = snprintf(buf, size, "%s:*", host);
	else
		n = snprintf(buf, size, "%s:%u", host, port);
	if (n < 0 || (size_t)n >= size) {
		errno = ENOSPC;
		return -1;
	}
	return 0;
}

int
addr_format_pair(const struct sockaddr *local, const struct sockaddr *remote,
    char *buf, size_t size)
{
	char left[ADDR_STRLEN], right[ADDR_STRLEN];
	int n;

	if (addr_format(local, left, sizeof left) == -1 ||
	    addr_format(remote, right, sizeof right) == -1)
		return -1;
	n = snprintf(buf, size, "%s->%s", left, right);
	if (n < 0 || (size_t)n >= size) {
		errno = ENOSPC;
		return -1;
	}
	return 0;
}

unsigned
addr_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)(const void *)sa)->sin_port);
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)(const void *)sa)->sin6_port);
	return 0;
}

int
addr_is_wildcard(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr ==
		    htonl(INADDR_ANY);
	if (sa->sa_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		    &in6addr_any, sizeof in6addr_any) == 0;
	return 0;
}

const char *
addr_lsof_type(int family)
{
	if (family == AF_INET)
		return "IPv4";
	if (family == AF_INET6)
		return "IPv6";
	return "sock";
}

const char *
addr_family_name(int family)
{
	if (family == AF_INET)
		return "AF_INET";
	if (family == AF_INET6)
		return "AF_INET6";
	return "AF_UNSPEC";
}
