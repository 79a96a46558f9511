/*
 * portinfo - the 16-bit port space: IANA's three ranges, service names,
 * and this OS's real ephemeral range.
 *
 * A port is a 16-bit number, 0-65535, that the kernel uses to hand each
 * arriving packet to one socket. IANA splits the space into three ranges,
 * but that is a convention: the kernel enforces only its own two rules,
 * which ports need privileges to bind, and which ports it hands out by
 * itself to clients (the ephemeral range, which on Linux is not IANA's).
 * Service names such as "https" are just a table in /etc/services.
 *
 * Usage:          portinfo [--table] PORT|SERVICE ...
 *                 portinfo --range
 * Try beside it:  cat /proc/sys/net/ipv4/ip_local_port_range     (Linux)
 *                 sysctl net.inet.ip.portrange.first net.inet.ip.portrange.last  (macOS)
 *                 grep -w 443 /etc/services;  lsof -nP -iTCP:443
 * See also:       labs/02-listener (listen): a server opens one of these ports.
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "msg.h"
#include "port.h"

#define USAGE "usage: portinfo [--table] PORT|SERVICE ...\n       portinfo --range"
#define SERVICE_MAX 64		/* longest service name we look up */
#define SERVICES_FILE "/etc/services"

/* One answered argument: a row of the table. */
struct row {
	unsigned port;
	char tcp[96], udp[96];	/* "http (www)", or "-" */
	const char *ephemeral;	/* "yes", "no", "reserved" or "?" */
	const char *bind;	/* who may bind it here */
};

/* What the OS says, read once for every row. */
struct facts {
	struct port_range range;
	int have_range;
	char reserved[256];	/* Linux ip_local_reserved_ports, "" if none */
	unsigned unprivileged_start;
	int have_services;
};

static void read_facts(struct facts *facts);
static size_t describe_args(int argc, char **argv, const struct facts *facts, struct row *rows,
    int *bad);
static int resolve_arg(const char *arg, unsigned *port, char *why, size_t size);
static void hex_words(const char *arg, char *why, size_t size);
static void describe(unsigned port, const struct facts *facts, struct row *row);
static void service_names(unsigned port, const char *proto, char *buf, size_t size);
static void print_table(const struct row *rows, size_t n, const struct facts *facts);
static const char *bind_words(const char *bind);
static int print_range(const struct facts *facts);

static void print_help(void);
static int only(const char *s, const char *chars);
static void print_plain(const struct row *rows, size_t n);
static void parse_options(int argc, char **argv, int *range, int *table);

int
main(int argc, char **argv)
{
	int range = 0, table = isatty(STDOUT_FILENO), bad;
	struct facts facts;
	struct row *rows;
	size_t n;

	parse_options(argc, argv, &range, &table);
	read_facts(&facts);
	if (range)
		return print_range(&facts);

	rows = calloc((size_t)argc, sizeof *rows);
	if (rows == NULL) {
		fprintf(stderr, "%s", _("portinfo: out of memory\n"));
		return 1;
	}
	n = describe_args(argc, argv, &facts, rows, &bad);
	if (n == 0 && !bad) {
		free(rows);
		errx(2, _("which ports? Give one or more, like 22 443 or https\n%s"), USAGE);
	}
	if (n > 0 && table)
		print_table(rows, n, &facts);
	else if (n > 0)
		print_plain(rows, n);
	free(rows);
	return bad ? 2 : 0;
}

/* Read what the OS says about ports, once. */
static void
read_facts(struct facts *facts)
{
	FILE *services;

	facts->have_range = port_ephemeral_range(&facts->range) == 0;
	if (port_reserved_ports(facts->reserved, sizeof facts->reserved) == -1)
		facts->reserved[0] = '\0';
	if (port_unprivileged_start(&facts->unprivileged_start) == -1)
		facts->unprivileged_start = 1024;
	services = fopen(SERVICES_FILE, "r");
	facts->have_services = services != NULL;
	if (services != NULL)
		fclose(services);
}

/*
 * Each argument left in argv (options are NULL now) as a row: a port
 * number or a service name. Reports bad ones on stderr and sets *bad.
 * Returns how many rows it filled.
 */
static size_t
describe_args(int argc, char **argv, const struct facts *facts, struct row *rows, int *bad)
{
	char why[512], shown[48];
	unsigned port;
	size_t n = 0;
	int i;

	*bad = 0;
	for (i = 1; i < argc; i++) {
		if (argv[i] == NULL)
			continue;
		if (resolve_arg(argv[i], &port, why, sizeof why) == 0) {
			describe(port, facts, &rows[n++]);
			continue;
		}
		msg_escape(argv[i], strlen(argv[i]), shown, sizeof shown);
		if (strlen(argv[i]) > 40)
			fprintf(stderr, _("portinfo: bad argument '%s' (%zu characters): %s\n"),
			    shown, strlen(argv[i]), why);
		else
			fprintf(stderr, _("portinfo: bad argument '%s': %s\n"), shown, why);
		*bad = 1;
	}
	return n;
}

/* Why a hexadecimal argument such as 0x1f90 is refused, with its value in decimal. */
static void
hex_words(const char *arg, char *why, size_t size)
{
	unsigned long long value = strtoull(arg + 2, NULL, 16);

	if (strlen(arg) > 2 + 16)
		snprintf(why, size, _("write ports in decimal here; %.20s... is a hexadecimal "
		    "number far too large for a port; ports are 16-bit: 0-65535"), arg);
	else if (value > 65535)
		snprintf(why, size, _("write ports in decimal here (%s is %llu in decimal, too "
		    "large for a port); ports are 16-bit: 0-65535"), arg, value);
	else
		snprintf(why, size, _("write ports in decimal here (%s is %llu in decimal); "
		    "ports are 16-bit: 0-65535"), arg, value);
}

/*
 * Turn one argument into a port: a decimal number or a service name.
 * Returns 0, or -1 with a sentence in why saying what was wrong.
 */
static int
resolve_arg(const char *arg, unsigned *port, char *why, size_t size)
{
	static const char digits[] = "0123456789";
	struct servent *se;

	if (arg[0] != '\0' && only(arg, digits)) {
		if (port_parse(arg, strlen(arg), port) == 0)
			return 0;
		snprintf(why, size, _("too large: %s"), port_parse_hint(errno));
	} else if (arg[0] == '\0')
		snprintf(why, size, "%s", _("empty: give a port (0-65535) or a service name such "
		    "as https"));
	else if (arg[0] == '-' && arg[1] != '\0' && only(arg + 1, digits))
		snprintf(why, size, "%s", _("a port is never negative; ports are 16-bit: 0-65535"));
	else if (arg[0] == '0' && (arg[1] == 'x' || arg[1] == 'X') && arg[2] != '\0' &&
	    only(arg + 2, "0123456789abcdefABCDEF"))
		hex_words(arg, why, size);
	else if (only(arg, "0123456789.") && strchr(arg, '.') != NULL)
		snprintf(why, size, "%s", _("a port is a whole number, with no decimal point; "
		    "ports are 16-bit: 0-65535"));
	else if (strlen(arg) <= SERVICE_MAX && only(arg,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.+")) {
		se = getservbyname(arg, "tcp");
		if (se == NULL)
			se = getservbyname(arg, "udp");
		if (se != NULL) {
			*port = ntohs((unsigned short)se->s_port);
			return 0;
		}
		snprintf(why, size, _("not a port number, and no service has that name "
		    "in %s"), SERVICES_FILE);
	} else
		snprintf(why, size, "%s", _("not a port (0-65535) or a service name such as https"));
	return -1;
}

/* Fill in everything the table says about one port. */
static void
describe(unsigned port, const struct facts *facts, struct row *row)
{
	row->port = port;
	service_names(port, "tcp", row->tcp, sizeof row->tcp);
	service_names(port, "udp", row->udp, sizeof row->udp);
	if (!facts->have_range)
		row->ephemeral = "?";
	else if (port == 0 || !port_in_range(&facts->range, port))
		row->ephemeral = "no";
	else if (port_list_contains(facts->reserved, strlen(facts->reserved), port))
		row->ephemeral = "reserved";
	else
		row->ephemeral = "yes";
	switch (port_bind_privilege(port, facts->unprivileged_start)) {
	case PORT_ROOT:
		row->bind = "root";
		break;
	case PORT_ROOT_UNLESS_WILDCARD:
		row->bind = "root-unless-wildcard";
		break;
	default:
		row->bind = "anyone";
	}
}

/* Service names for port/proto from the services database: "http (www)" or "-". */
static void
service_names(unsigned port, const char *proto, char *buf, size_t size)
{
	struct servent *se = getservbyport(htons((unsigned short)port), proto);
	size_t used;
	char **alias;

	if (se == NULL) {
		snprintf(buf, size, "-");
		return;
	}
	snprintf(buf, size, "%s", se->s_name);
	for (alias = se->s_aliases; *alias != NULL; alias++) {
		used = strlen(buf);
		snprintf(buf + used, size - used, "%s%s", alias == se->s_aliases ?
		    " (" : ", ", *alias);
	}
	used = strlen(buf);
	if (se->s_aliases[0] != NULL)
		snprintf(buf + used, size - used, ")");
}

/* The aligned table for people, with a legend that explains each column. */
static void
print_table(const struct row *rows, size_t n, const struct facts *facts)
{
	int tcp_w = 13, udp_w = 13, w;
	const struct port_iana_info *iana;
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		if ((w = (int)strlen(rows[i].tcp)) > tcp_w)
			tcp_w = w;
		if ((w = (int)strlen(rows[i].udp)) > udp_w)
			udp_w = w;
	}
	printf("%-6s %-11s %-*s  %-*s  %-15s %s\n", "PORT", "IANA RANGE", tcp_w,
	    "SERVICE (tcp)", udp_w, "SERVICE (udp)", "EPHEMERAL HERE", "MAY BIND IT");
	for (i = 0; i < n; i++) {
		printf("%-6u %-11s %-*s  %-*s  %-15s %s\n", rows[i].port,
		    port_iana_info(port_iana_class(rows[i].port))->name, tcp_w,
		    rows[i].tcp, udp_w, rows[i].udp, rows[i].ephemeral,
		    bind_words(rows[i].bind));
	}

	printf("%s", _("\nIANA's ranges (RFC 6335):\n"));
	for (r = PORT_WELL_KNOWN; r <= PORT_DYNAMIC; r++) {
		iana = port_iana_info((enum port_iana)r);
		printf(_("  %-11s %5u-%-5u  \"%s\"%*s memo: %s\n"), iana->name, iana->low,
		    iana->high, iana->rfc6335, (int)(30 - strlen(iana->rfc6335)), "",
		    iana->memo);
	}
	if (facts->have_range)
		printf(facts->reserved[0] ? _("Ephemeral here: this OS hands out %u-%u (%s), "
		    "except the reserved ports.\n") : _("Ephemeral here: this OS hands out "
		    "%u-%u (%s).\n"), facts->range.low, facts->range.high, facts->range.source);
#if defined(__APPLE__)
	printf(_("May bind it: ports below %u need root here, but only for a specific address "
	    "like 127.0.0.1; anyone may bind 0.0.0.0."), facts->unprivileged_start);
#else
	printf(_("May bind it: ports below %u need root here (Linux: "
	    "ip_unprivileged_port_start; or the CAP_NET_BIND_SERVICE capability)."),
	    facts->unprivileged_start);
#endif
	printf("%s", geteuid() == 0 ? _(" You are root, so you may bind any of them.\n") :
	    _(" You are not root.\n"));
	for (i = 0; i < n; i++)
		if (rows[i].port == 0) {
			printf("%s", _("Port 0: no server listens on it; bind() to port 0 asks "
			    "the OS to choose a free port.\n"));
			break;
		}
	if (!facts->have_services)
		printf(_("Services: %s is missing, so no names are known (Debian: "
		    "apt-get install netbase).\n"), SERVICES_FILE);
	else
		printf(_("Services: names from %s (getservbyport); a name is a "
		    "convention, not a rule.\n"), SERVICES_FILE);
}

/* Words for the BIND column and the EPHEMERAL column in the table. */
static const char *
bind_words(const char *bind)
{
	if (strcmp(bind, "root") == 0)
		return "root only";
	if (strcmp(bind, "root-unless-wildcard") == 0)
		return "root, except on 0.0.0.0";
	return "anyone";
}

/* --range: this OS's ephemeral range beside IANA's, and what differs. */
static int
print_range(const struct facts *facts)
{
	const struct port_iana_info *dyn = port_iana_info(PORT_DYNAMIC);
	const struct port_range *r = &facts->range;
	unsigned low, high, example;

	if (!facts->have_range) {
		fprintf(stderr, _("portinfo: cannot read this OS's ephemeral range: %s [%s].\n"),
		    msg_strerror(errno), msg_errno_name(errno) ? msg_errno_name(errno) : "?");
		return 1;
	}
	printf(_("This OS hands out ephemeral ports %u-%u (%u ports), read from %s.\n"),
	    r->low, r->high, r->high - r->low + 1, r->source);
	printf(_("IANA's dynamic/private range is %u-%u (%u ports), RFC 6335.\n"),
	    dyn->low, dyn->high, dyn->high - dyn->low + 1);
	if (r->low == dyn->low && r->high == dyn->high)
		printf("%s", _("They are the same: a client here gets a port from IANA's "
		    "dynamic range.\n"));
	/* The part of this OS's range that IANA calls "registered". */
	low = r->low > 1024 ? r->low : 1024;
	high = r->high < 49151 ? r->high : 49151;
	if (low <= high) {
		example = (low + 999) / 1000 * 1000;
		if (example > high)
			example = low;
		printf(_("They differ: %u-%u of this OS's range lies in IANA's registered "
		    "range (1024-49151), so a client here can be given a port such as "
		    "%u, which IANA lists as registered.\n"), low, high, example);
	}
	/* The parts of IANA's dynamic range this OS leaves unused. */
	if (r->low > dyn->low)
		printf(_("This OS never hands out %u-%u by itself, though IANA's range "
		    "includes them.\n"), dyn->low, r->low - 1 < dyn->high ? r->low - 1 : dyn->high);
	if (r->high < dyn->high)
		printf(_("This OS never hands out %u-%u by itself, though IANA's range "
		    "includes them.\n"), r->high + 1 > dyn->low ? r->high + 1 : dyn->low, dyn->high);
	if (facts->reserved[0] != '\0')
		printf(_("Reserved (never handed out by itself): %s, from "
		    "/proc/sys/net/ipv4/ip_local_reserved_ports.\n"), facts->reserved);
#if defined(__linux__)
	printf("%s", _("Change it (as root): sysctl -w net.ipv4.ip_local_port_range=\"49152 65535\"\n"));
#elif defined(__APPLE__)
	printf("%s", _("Change it (as root): sysctl -w net.inet.ip.portrange.first=32768\n"));
#endif
	return 0;
}

/* ---- below: plumbing this lab does not teach: plain output, options, help ---- */

static void
print_help(void)
{
	printf("%s\n%s", USAGE, _("For each port number or service name: its IANA range, its service names,\n"
	    "whether this OS would hand it out as an ephemeral port, and who may bind it.\n"
	    "--range shows this OS's ephemeral range beside IANA's.\n"
	    "\n"
	    "  --range      this OS's ephemeral port range, and where it comes from\n"
	    "  --table      an aligned table even when the output is not a terminal\n"
	    "  -h, --help   show this help\n"
	    "  --version    show the version\n"
	    "\n"
	    "Example:        bin/portinfo 22 443 5432 3000 33000 56234\n"
	    "Try beside it:  lsof -nP -iTCP:443      (who uses port 443 right now)\n"));
}

/* 1 if every byte of s is one of chars. */
static int
only(const char *s, const char *chars)
{
	return s[strspn(s, chars)] == '\0';
}

/* Plain output for scripts: a header and tab-separated rows. */
static void
print_plain(const struct row *rows, size_t n)
{
	const struct port_iana_info *iana;
	size_t i;

	printf("port\trange\trfc6335\ttcp\tudp\tephemeral\tbind\n");
	for (i = 0; i < n; i++) {
		iana = port_iana_info(port_iana_class(rows[i].port));
		printf("%u\t%s\t%s\t%s\t%s\t%s\t%s\n", rows[i].port, iana->name,
		    iana->rfc6335, rows[i].tcp, rows[i].udp, rows[i].ephemeral,
		    rows[i].bind);
	}
}

/*
 * -h, --help, --version, --range, --table; each option found becomes NULL
 * in argv. Not getopt: "-5" must reach the port check and be reported in
 * order with the other arguments, not be taken for an option.
 */
static void
parse_options(int argc, char **argv, int *range, int *table)
{
	int operands_only = 0, i;
	char shown[48];

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (operands_only || a[0] != '-' || (a[1] >= '0' && a[1] <= '9') || a[1] == '\0')
			continue;
		if (strcmp(a, "--") == 0)
			operands_only = 1;
		else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			print_help();
			exit(0);
		} else if (strcmp(a, "--version") == 0) {
			printf("portinfo (portlab) %s\n", PORTLAB_VERSION);
			exit(0);
		} else if (strcmp(a, "--range") == 0)
			*range = 1;
		else if (strcmp(a, "--table") == 0)
			*table = 1;
		else {
			msg_escape(a, strlen(a), shown, sizeof shown);
			errx(2, _("unknown option '%s'\n%s"), shown, USAGE);
		}
		argv[i] = NULL;	/* an option, not a port */
	}
}
