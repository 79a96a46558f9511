/*
 * port - port numbers: strict parsing and this OS's ephemeral range.
 *
 * The ephemeral range is the one piece here that differs by platform: Linux
 * publishes it as a file under /proc, macOS as two sysctl values. Both are
 * read live, because teachers (and Docker) change them.
 */
#include "port.h"
#include "i18n.h"
#include "mem.h"
#include "num.h"

#include <errno.h>
#include <netdb.h>
#include <arpa/inet.h>
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
		return _("ports are 16-bit: 0-65535");
	return _("a port is written in plain digits, like 8080; ports are 16-bit: 0-65535");
}

int
port_in_range(const struct port_range *range, unsigned port)
{
	return port >= range->low && port <= range->high;
}

/* The memo's names are Japanese; this file is UTF-8. */
static const struct port_iana_info port_iana_table[] = {
	[PORT_WELL_KNOWN] = { 0, 1023, "well-known", "System Ports",
	    "ウェルノウンポート" },
	[PORT_REGISTERED] = { 1024, 49151, "registered", "User Ports",
	    "登録済みポート" },
	[PORT_DYNAMIC] = { 49152, 65535, "dynamic", "Dynamic and/or Private Ports",
	    "エフェメラルポート" },
};

enum port_iana
port_iana_class(unsigned port)
{
	if (port <= 1023)
		return PORT_WELL_KNOWN;
	if (port <= 49151)
		return PORT_REGISTERED;
	return PORT_DYNAMIC;
}

const struct port_iana_info *
port_iana_info(enum port_iana range)
{
	return &port_iana_table[range];
}

int
port_list_contains(const char *list, size_t len, unsigned port)
{
	size_t i = 0, start;
	unsigned low, high;

	while (i < len) {
		start = i;
		while (i < len && list[i] >= '0' && list[i] <= '9')
			i++;
		if (port_parse(list + start, i - start, &low) == -1)
			return 0;
		high = low;
		if (i < len && list[i] == '-') {
			start = ++i;
			while (i < len && list[i] >= '0' && list[i] <= '9')
				i++;
			if (port_parse(list + start, i - start, &high) == -1)
				return 0;
		}
		if (port >= low && port <= high)
			return 1;
		if (i < len && list[i] != ',')
			return 0;
		i++;
	}
	return 0;
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

int
port_reserved_ports(char *buf, size_t size)
{
	size_t len;
	FILE *fp;

	if (size == 0) {
		errno = EINVAL;
		return -1;
	}
	fp = fopen("/proc/sys/net/ipv4/ip_local_reserved_ports", "r");
	if (fp == NULL)
		return -1;
	len = fread(buf, 1, size - 1, fp);
	fclose(fp);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	buf[len] = '\0';
	return 0;
}

enum port_privilege
port_bind_privilege(unsigned port, unsigned unprivileged_start)
{
	return port != 0 && port < unprivileged_start ? PORT_ROOT : PORT_ANYONE;
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

int
port_reserved_ports(char *buf, size_t size)
{
	if (size > 0)
		buf[0] = '\0';	/* macOS has no such list */
	return 0;
}

/* xnu checks for root only when the address is not INADDR_ANY (since Mojave). */
enum port_privilege
port_bind_privilege(unsigned port, unsigned unprivileged_start)
{
	return port != 0 && port < unprivileged_start ?
	    PORT_ROOT_UNLESS_WILDCARD : PORT_ANYONE;
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

int
port_reserved_ports(char *buf, size_t size)
{
	if (size > 0)
		buf[0] = '\0';
	return 0;
}

enum port_privilege
port_bind_privilege(unsigned port, unsigned unprivileged_start)
{
	return port != 0 && port < unprivileged_start ? PORT_ROOT : PORT_ANYONE;
}

#endif

/* One name in the services database: a service's own name, or one of its aliases. */
struct port_service {
	unsigned short port;
	char proto[4];		/* "tcp", "udp" */
	char name[32];
	int alias;
};

static struct port_service *port_services;
static size_t port_nservices;
static int port_services_read;

/*
 * Read the whole services database once, with getservent(): the C library
 * would otherwise read it again for every getservbyport(), and a table of
 * sockets asks about hundreds of ports.
 */
static void
port_read_services(void)
{
	struct port_service *more;
	struct servent *se;
	size_t room = 0;
	char **alias;
	int first;

	port_services_read = 1;
	setservent(1);
	while ((se = getservent()) != NULL)
		for (first = 1, alias = se->s_aliases; first || (alias && *alias); first = 0) {
			const char *name = first ? se->s_name : *alias++;

			if (strlen(name) >= sizeof port_services->name || strlen(se->s_proto) >= 4)
				continue;
			more = mem_grow(port_services, port_nservices, &room, sizeof *more);
			if (more == NULL)
				break;
			port_services = more;
			more = &port_services[port_nservices++];
			more->port = ntohs((unsigned short)se->s_port);
			snprintf(more->proto, sizeof more->proto, "%s", se->s_proto);
			snprintf(more->name, sizeof more->name, "%s", name);
			more->alias = !first;
		}
	endservent();
}

const char *
port_service_name(unsigned port, const char *proto)
{
	size_t i;

	if (!port_services_read)
		port_read_services();
	for (i = 0; i < port_nservices; i++)
		if (!port_services[i].alias && port_services[i].port == port &&
		    strcmp(port_services[i].proto, proto) == 0)
			return port_services[i].name;
	return "";
}

int
port_service_port(const char *name, const char *proto, unsigned *port)
{
	size_t i;

	if (!port_services_read)
		port_read_services();
	for (i = 0; i < port_nservices; i++)
		if (strcmp(port_services[i].name, name) == 0 &&
		    strcmp(port_services[i].proto, proto) == 0) {
			*port = port_services[i].port;
			return 0;
		}
	return -1;
}
