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

#endif
