/* addr - socket addresses written the way `lsof -nP` writes them. */
#ifndef PORTLAB_ADDR_H
#define PORTLAB_ADDR_H

#include <stddef.h>
#include <sys/socket.h>
#include <netinet/in.h>

/* Room for "[" + the longest IPv6 text + "]:65535" and a NUL. */
#define ADDR_STRLEN (INET6_ADDRSTRLEN + 9)
/* Room for "LOCAL->REMOTE". */
#define ADDR_PAIR_STRLEN (2 * ADDR_STRLEN + 2)

/*
 * Write sa as lsof -nP does in its NAME column: "127.0.0.1:8080",
 * "[::1]:8080", and "*" for a wildcard address or port ("*:8080"). An
 * IPv4 peer of an IPv6 socket (::ffff:127.0.0.1) is written as plain IPv4.
 * Returns 0, or -1 with errno EAFNOSUPPORT (not IPv4/IPv6) or ENOSPC.
 */
int addr_format(const struct sockaddr *sa, char *buf, size_t size);

/*
 * Write a connected socket as lsof shows it for its own process:
 * "LOCAL->REMOTE". Returns 0, or -1 with errno set as addr_format.
 */
int addr_format_pair(const struct sockaddr *local,
    const struct sockaddr *remote, char *buf, size_t size);

/*
 * Write just the address, as inet_ntop does: "127.0.0.1", "::1",
 * "0.0.0.0" (no brackets, no "*"). Returns 0, or -1 with errno set.
 */
int addr_numeric_host(const struct sockaddr *sa, char *buf, size_t size);

/* The port of an IPv4/IPv6 address in host byte order; 0 for others. */
unsigned addr_port(const struct sockaddr *sa);

/* 1 if sa is 0.0.0.0 or ::, the "every interface" address, else 0. */
int addr_is_wildcard(const struct sockaddr *sa);

/* lsof's TYPE column for the socket family: "IPv4", "IPv6" or "sock". */
const char *addr_lsof_type(int family);

/* The family's name as a program passes it to socket(): "AF_INET". */
const char *addr_family_name(int family);

#endif
