/*
 * port - port numbers: strict parsing and this OS's ephemeral range.
 *
 * The ephemeral range is the one piece here that differs by platform: Linux
 * publishes it as a file under /proc, macOS as two sysctl values. Both are
 * read live, because teachers (and Docker) change them.
 */
#include "port.h"
#include "num.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#if defined(__APPLE__)
#include <sys/types.h>
#include <sys/sysctl.h>
#endif

int
port_parse(const char *s, size_t len, unsigned *port)
{
	unsigned long value;

	if (num_parse(s, len, PORT_MAX, &value) == -1)
		return -1;
	*port = (unsigned)value;
	return 0;
}

const char *
port_parse_hint(int err)
{
	if (err == ERANGE)
		return "ports are 16-bit: 0-65535";
	return "a port is written in plain digits, like 8080; ports are 16-bit: 0-65535";
}

int
port_in_range(const struct port_range *range, unsigned port)
{
	return port >= range->low && port <= range->high;
}

#if defined(__linux__)

#define PORT_RANGE_FILE "/proc/sys/net/ipv4/ip_local_port_range"
#define PORT_UNPRIVILEGED_FILE "/proc/sys/net/ipv4/ip_unprivileged_port_start"

/* Parse count ports separated by blanks, "LOW\tHIGH\n" as the kernel writes them. */
static int
port_parse_numbers(const char *text, size_t len, unsigned *nums, int count)
{
	size_t i = 0, start;
	int n;

	for (n = 0; n < count; n++) {
		while (i < len && (text[i] == ' ' || text[i] == '\t'))
			i++;
		start = i;
		while (i < len && text[i] >= '0' && text[i] <= '9')
			i++;
		if (port_parse(text + start, i - start, &nums[n]) == -1)
			return -1;
	}
	return 0;
}

/* Read count port numbers from a small /proc file. */
static int
port_read_proc(const char *path, unsigned *nums, int count)
{
	char text[64];
	size_t len;
	FILE *fp;

	fp = fopen(path, "r");
	if (fp == NULL)
		return -1;
	len = fread(text, 1, sizeof text, fp);
	fclose(fp);
	if (port_parse_numbers(text, len, nums, count) == -1) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int
port_ephemeral_range(struct port_range *range)
{
	unsigned nums[2];

	if (port_read_proc(PORT_RANGE_FILE, nums, 2) == -1)
		return -1;
	range->low = nums[0];
	range->high = nums[1];
	snprintf(range->source, sizeof range->source, "%s", PORT_RANGE_FILE);
	return 0;
}

int
port_unprivileged_start(unsigned *start)
{
	return port_read_proc(PORT_UNPRIVILEGED_FILE, start, 1);
}

#elif defined(__APPLE__)

/* The kernel keeps these as ints; reading into anything else fails. */
static int
port_sysctl_int(const char *name, unsigned *out)
{
	int value = 0;
	size_t size = sizeof value;

	if (sysctlbyname(name, &value, &size, NULL, 0) == -1)
		return -1;
	if (value < 0 || value > PORT_MAX) {
		errno = ERANGE;
		return -1;
	}
	*out = (unsigned)value;
	return 0;
}

int
port_ephemeral_range(struct port_range *range)
{
	if (port_sysctl_int("net.inet.ip.portrange.first", &range->low) == -1 ||
	    port_sysctl_int("net.inet.ip.portrange.last", &range->high) == -1)
		return -1;
	snprintf(range->source, sizeof range->source, "%s",
	    "sysctl net.inet.ip.portrange.first/last");
	return 0;
}

int
port_unprivileged_start(unsigned *start)
{
	*start = 1024;	/* IPPORT_RESERVED in xnu's in_pcbbind() */
	return 0;
}

#else

int
port_ephemeral_range(struct port_range *range)
{
	(void)range;
	errno = ENOSYS;
	return -1;
}

int
port_unprivileged_start(unsigned *start)
{
	*start = 1024;	/* the traditional BSD rule */
	return 0;
}

#endif
