/* port - port numbers: strict parsing and this OS's ephemeral range. */
#ifndef PORTLAB_PORT_H
#define PORTLAB_PORT_H

#include <stddef.h>

#define PORT_MAX 65535

/*
 * Parse s[0..len) as a port: decimal digits only, 0-65535. Returns 0 and
 * sets *port, or -1 with errno EINVAL (not plain digits) or ERANGE (> 65535).
 */
int port_parse(const char *s, size_t len, unsigned *port);

/* A sentence that teaches why port_parse failed with err. Never NULL. */
const char *port_parse_hint(int err);

/* The range the OS picks client ports from, and where it was read. */
struct port_range {
	unsigned low;
	unsigned high;
	char source[64];	/* "/proc/sys/..." or "sysctl net.inet.ip.portrange.first/last" */
};

/*
 * Read this OS's ephemeral port range live: Linux /proc, macOS sysctl.
 * Returns 0, or -1 with errno set (ENOSYS where we do not know how).
 */
int port_ephemeral_range(struct port_range *range);

/*
 * The lowest port an ordinary user may bind here: Linux reads
 * ip_unprivileged_port_start (1024 unless changed); macOS answers 1024, but
 * there the rule is only enforced for specific addresses, not the wildcard.
 * Returns 0, or -1 with errno set.
 */
int port_unprivileged_start(unsigned *start);

/* 1 if port lies inside range (inclusive), else 0. */
int port_in_range(const struct port_range *range, unsigned port);

/* IANA's three ranges (RFC 6335 section 6). */
enum port_iana {
	PORT_WELL_KNOWN,	/* 0-1023: "System Ports" */
	PORT_REGISTERED,	/* 1024-49151: "User Ports" */
	PORT_DYNAMIC		/* 49152-65535: "Dynamic and/or Private Ports" */
};

struct port_iana_info {
	unsigned low, high;
	const char *name;	/* "well-known", "registered", "dynamic" */
	const char *rfc6335;	/* "System Ports", ... as RFC 6335 names it */
	const char *memo;	/* the memo's name, in Japanese */
};

/* Which IANA range port (0-65535) lies in. */
enum port_iana port_iana_class(unsigned port);

/* The facts about one IANA range; never NULL. */
const struct port_iana_info *port_iana_info(enum port_iana range);

/*
 * Linux's ip_local_reserved_ports: ports the OS never hands out by itself,
 * as the kernel writes them ("8080,9000-9010", "" when none). Copies the
 * text into buf without the trailing newline. Returns 0 (an empty string on
 * systems without the list), or -1 with errno set.
 */
int port_reserved_ports(char *buf, size_t size);

/*
 * 1 if port is in list[0..len), a comma-separated list of ports and
 * LOW-HIGH ranges as the kernel writes it; 0 if not or if the list is
 * malformed.
 */
int port_list_contains(const char *list, size_t len, unsigned port);

/*
 * Whether binding port needs privileges on this OS, and for which address:
 * Linux: below ip_unprivileged_port_start, for any address. macOS: below
 * 1024, but only for a specific address such as 127.0.0.1 (any user may
 * bind the wildcard). Port 0 never does: it asks the OS for a free port.
 */
enum port_privilege {
	PORT_ANYONE,			/* any user may bind it */
	PORT_ROOT,			/* root only, whatever the address */
	PORT_ROOT_UNLESS_WILDCARD	/* root for 127.0.0.1, anyone for 0.0.0.0 */
};
enum port_privilege port_bind_privilege(unsigned port, unsigned unprivileged_start);

/*
 * The service name the services database gives port over proto ("tcp" or
 * "udp"), as "https"; "" if it has none. The database is read once, on the
 * first call: the C library reads it again on every getservbyport(), and a
 * table of sockets asks about hundreds of ports. Never NULL.
 */
const char *port_service_name(unsigned port, const char *proto);

/*
 * The port the services database gives service name (or an alias) over
 * proto, from the same copy. Returns 0 and sets *port, or -1 if the
 * database has no such name.
 */
int port_service_port(const char *name, const char *proto, unsigned *port);

#endif
