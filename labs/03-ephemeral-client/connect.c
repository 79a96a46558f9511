/*
 * connect - the OS picks the client's port; every connection gets its own,
 * and the 4-tuple carries each reply back to the right socket.
 *
 * A client almost never chooses its own port. When connect() is called on
 * a fresh socket, the kernel picks a free local port from its ephemeral
 * range and binds it on the spot; getsockname() shows which one. Every TCP
 * connection is known by four values: local address, local port, remote
 * address, remote port. Many connections to the same server port differ in
 * the local port alone, and that is enough for the kernel to deliver each
 * reply to the socket that is waiting for it.
 *
 * With --udp the OS picks the port the same way, but connect() sends
 * nothing: a UDP socket only remembers its server, and lsof shows it with
 * LOCAL->REMOTE and no state. Only a datagram and its answer (or silence)
 * tell whether a server is there.
 *
 * Usage:          connect [--udp] [-n COUNT] [--hold SECONDS] HOST PORT
 * Try beside it:  lsof -nP -a -p PID -iTCP      (connect prints its PID; -iUDP with --udp)
 *                 ss -tn 'dport = :PORT'
 *                 strace -e trace=network,alarm bin/connect 127.0.0.1 PORT
 *                     (Linux: the calls it prints, and the alarm() that bounds connect)
 * See also:       labs/04-fd-inspector (fdinspect): everything else a process holds open.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "fdtab.h"
#include "i18n.h"
#include "msg.h"
#include "num.h"
#include "opt.h"
#include "port.h"

#define USAGE "usage: connect [--udp] [-n COUNT] [--hold SECONDS] HOST PORT"
#define COUNT_MAX 1000UL	/* each connection costs one descriptor */
#define CONNECT_TIMEOUT 5	/* seconds; the kernel alone would retry for minutes */
#define GREETING_WAIT_MS 1000	/* how long we wait for a server to speak first */
#define PORTS_LISTED 10		/* local ports named in the closing summary */

struct conn {
	int conn_fd;
	unsigned local_port;
	char fd_column[FDTAB_COLUMN_STRLEN];
	int open;		/* 0 once the server closed its end */
	int udp;		/* 1: a connected UDP socket, not a TCP connection */
};

static volatile sig_atomic_t stop_signal, alarm_rang;

static struct addrinfo *resolve(const char *host, const char *port_text, int socktype);
static unsigned long open_all(struct conn *conns, unsigned long count,
    const struct addrinfo *res, const char *port_text, const struct port_range *range);
static const struct addrinfo *first_connection(const struct addrinfo *res,
    const char *port_text, struct conn *c);
static int open_connection(const struct addrinfo *ai);
static void describe(struct conn *c, const struct port_range *range);
static int show_greeting(struct conn *c, int wait_ms);
static int udp_hello(struct conn *c, int wait_ms);
static void print_summary(const struct conn *conns, unsigned long count, const char *port_text);

static void hold_open(struct conn *conns, unsigned long count, long hold);
static void connect_failed(const char *numeric, const char *port_text, int err);
static void show(const char *result, const char *call_fmt, ...);
static void parse_args(int argc, char **argv, unsigned long *count, long *hold,
    int *udp, const char **host, const char **port_text);
static void print_help(void);
static void catch_signals(void);
static void on_signal(int sig);
static _Noreturn void fail(const char *what, int err, const char *hint);

int
main(int argc, char **argv)
{
	const char *host, *port_text;
	unsigned long count = 1, i;
	long hold = -1, pid = (long)getpid();
	struct port_range range;
	struct addrinfo *res;
	struct conn *conns;
	int udp = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_args(argc, argv, &count, &hold, &udp, &host, &port_text);
	catch_signals();

	printf(_("connect (pid %ld): let the OS choose the client's port.\n"), pid);
	if (port_ephemeral_range(&range) == 0)
		printf(_("This OS hands out ephemeral ports %u-%u (read from %s).\n"),
		    range.low, range.high, range.source);
	else {
		printf(_("(This OS's ephemeral range could not be read: %s.)\n"),
		    msg_strerror(errno));
		range.low = range.high = 0;
	}
	res = resolve(host, port_text, udp ? SOCK_DGRAM : SOCK_STREAM);
	if ((conns = calloc(count, sizeof *conns)) == NULL)
		fail("calloc", errno, NULL);
	count = open_all(conns, count, res, port_text, &range);
	freeaddrinfo(res);

	print_summary(conns, count, port_text);
	printf(_("\npid %ld. Try beside it:  lsof -nP -a -p %ld -i%s\n"), pid, pid,
	    udp ? "UDP" : "TCP");
	if (udp && hold < 0)
		printf(count == 1 ? _("Holding %lu UDP socket open. Ctrl-C closes them.\n") :
		    _("Holding %lu UDP sockets open. Ctrl-C closes them.\n"), count);
	else if (udp)
		printf(count == 1 ? _("Holding %lu UDP socket open for %ld seconds (--hold).\n") :
		    _("Holding %lu UDP sockets open for %ld seconds (--hold).\n"), count, hold);
	else if (hold < 0)
		printf(count == 1 ? _("Holding %lu connection open. Ctrl-C closes them.\n") :
		    _("Holding %lu connections open. Ctrl-C closes them.\n"), count);
	else
		printf(count == 1 ? _("Holding %lu connection open for %ld seconds (--hold).\n") :
		    _("Holding %lu connections open for %ld seconds (--hold).\n"), count, hold);
	hold_open(conns, count, hold);

	for (i = 0; i < count; i++)
		close(conns[i].conn_fd);
	free(conns);
	if (udp)
		printf(count == 1 ? _("connect: closed %lu UDP socket%s.\n") :
		    _("connect: closed %lu UDP sockets%s.\n"), count,
		    stop_signal == SIGINT ? _(" (Ctrl-C)") : stop_signal == SIGTERM ? _(" (SIGTERM)") : "");
	else
		printf(count == 1 ? _("connect: closed %lu connection%s.\n") :
		    _("connect: closed %lu connections%s.\n"), count,
	    stop_signal == SIGINT ? _(" (Ctrl-C)") : stop_signal == SIGTERM ? _(" (SIGTERM)") : "");
	return 0;
}

/* Turn HOST into addresses and say which ones there are. */
static struct addrinfo *
resolve(const char *host, const char *port_text, int socktype)
{
	struct addrinfo hints, *res, *ai;
	char numeric[ADDR_STRLEN], shown[200], what[400];
	int rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = socktype;
	hints.ai_flags = AI_NUMERICSERV;
	rc = getaddrinfo(host, port_text, &hints, &res);
	msg_escape(host, strlen(host), shown, sizeof shown);	/* typed by the student */
	if (rc != 0) {
		snprintf(what, sizeof what, _("cannot find host '%s': %s"), shown, gai_strerror(rc));
		fail(what, 0, _("Check the spelling, or use an address like 127.0.0.1 or ::1"));
	}
	printf("getaddrinfo(\"%s\", \"%s\") ->", shown, port_text);
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		addr_numeric_host(ai->ai_addr, numeric, sizeof numeric);
		printf(" %s (%s)%s", numeric, addr_lsof_type(ai->ai_family),
		    ai->ai_next ? "," : "\n");
	}
	return res;
}

/* Open up to count connections, showing each; returns how many are open. */
static unsigned long
open_all(struct conn *conns, unsigned long count, const struct addrinfo *res,
    const char *port_text, const struct port_range *range)
{
	const struct addrinfo *ai = NULL;
	char numeric[ADDR_STRLEN];
	unsigned long i;
	int spoke = 1, err;

	for (i = 0; i < count && !stop_signal; i++) {
		conns[i].udp = res->ai_socktype == SOCK_DGRAM;
		printf(conns[i].udp ? _("\nUDP socket %lu of %lu:\n") :
		    _("\nconnection %lu of %lu:\n"), i + 1, count);
		conns[i].open = 1;
		if (i == 0)
			ai = first_connection(res, port_text, &conns[0]);
		else if ((conns[i].conn_fd = open_connection(ai)) == -1) {
			err = errno;
			addr_numeric_host(ai->ai_addr, numeric, sizeof numeric);
			connect_failed(numeric, port_text, err);
		} else
			printf("  socket() + connect() again         -> fd %d\n",
			    conns[i].conn_fd);
		describe(&conns[i], range);
		/* A silent server stays silent: wait for the first answer only. */
		spoke = conns[i].udp ? udp_hello(&conns[i], spoke ? GREETING_WAIT_MS : 0) :
		    show_greeting(&conns[i], spoke ? GREETING_WAIT_MS : 0);
	}
	return i;
}

/*
 * Connect to the first address that answers, showing each call, and
 * return that address so every later connection uses the same one.
 */
static const struct addrinfo *
first_connection(const struct addrinfo *res, const char *port_text, struct conn *c)
{
	char numeric[ADDR_STRLEN], result[32];
	const struct addrinfo *ai;

	for (ai = res; ai != NULL; ai = ai->ai_next) {
		addr_numeric_host(ai->ai_addr, numeric, sizeof numeric);
		c->conn_fd = open_connection(ai);
		if (c->conn_fd != -1) {
			snprintf(result, sizeof result, "fd %d", c->conn_fd);
			show(result, "socket(%s, %s, 0)", addr_family_name(ai->ai_family),
			    ai->ai_socktype == SOCK_DGRAM ? "SOCK_DGRAM" : "SOCK_STREAM");
			show(ai->ai_socktype == SOCK_DGRAM ? _("ok: the kernel picked our local "
			    "port; no packet was sent") : _("ok: the kernel picked our local port"),
			    "connect(fd %d, %s port %s)", c->conn_fd, numeric, port_text);
			return ai;
		}
		if (ai->ai_next == NULL || (errno != ECONNREFUSED && errno != ETIMEDOUT &&
		    errno != ENETUNREACH && errno != EADDRNOTAVAIL && errno != EAFNOSUPPORT))
			connect_failed(numeric, port_text, errno);
		printf(_("  connect to %s port %s: %s [%s]; trying the next address\n"),
		    numeric, port_text, msg_strerror(errno), msg_errno_name(errno));
	}
	return NULL;
}

/*
 * socket() + connect(). connect() blocks while the kernel picks our local
 * port, sends its SYN and waits for the server's SYN-ACK: the TCP
 * handshake. alarm() bounds that wait; its SIGALRM makes connect() give up
 * with EINTR. Returns the connected descriptor, or -1 with errno set
 * (ETIMEDOUT when the alarm rang). For UDP (SOCK_DGRAM) connect() returns
 * at once: it picks the local port and records the server, and that is all.
 */
static int
open_connection(const struct addrinfo *ai)
{
	int conn_fd, rc, err;

	conn_fd = socket(ai->ai_family, ai->ai_socktype, 0);
	if (conn_fd == -1)
		return -1;
	alarm_rang = 0;
	alarm(CONNECT_TIMEOUT);
	rc = connect(conn_fd, ai->ai_addr, ai->ai_addrlen);
	err = errno;
	alarm(0);
	if (rc == -1) {
		close(conn_fd);
		errno = err == EINTR && alarm_rang ? ETIMEDOUT : err;
		return -1;
	}
	return conn_fd;
}

/* Show one connection as lsof shows it, and whether its port is ephemeral. */
static void
describe(struct conn *c, const struct port_range *range)
{
	struct sockaddr_storage local, remote;
	socklen_t local_len = sizeof local, remote_len = sizeof remote;
	char name[ADDR_PAIR_STRLEN], where[ADDR_STRLEN], theirs[ADDR_STRLEN], result[320];

	/* Our end: the address and the port the kernel chose during connect(). */
	if (getsockname(c->conn_fd, (struct sockaddr *)&local, &local_len) == -1)
		fail("getsockname", errno, NULL);
	/* Their end: the server's address and port. */
	if (getpeername(c->conn_fd, (struct sockaddr *)&remote, &remote_len) == -1)
		fail("getpeername", errno, _("The server hung up at once"));
	c->local_port = addr_port((struct sockaddr *)&local);
	fdtab_fd_column(c->conn_fd, c->fd_column, sizeof c->fd_column);
	addr_format((struct sockaddr *)&local, where, sizeof where);
	addr_format_pair((struct sockaddr *)&local, (struct sockaddr *)&remote,
	    name, sizeof name);
	if (range->high == 0)
		snprintf(result, sizeof result, _("%s: port %u, chosen by the OS"),
		    where, c->local_port);
	else
		snprintf(result, sizeof result, port_in_range(range, c->local_port) ?
		    _("%s: port %u, chosen by the OS, inside its ephemeral range %u-%u") :
		    _("%s: port %u, chosen by the OS, OUTSIDE its ephemeral range %u-%u"),
		    where, c->local_port, range->low, range->high);
	show(result, "getsockname(fd %d)", c->conn_fd);
	addr_format((struct sockaddr *)&remote, theirs, sizeof theirs);
	snprintf(result, sizeof result, _("%s: the server's end"), theirs);
	show(result, "getpeername(fd %d)", c->conn_fd);
	printf("  lsof: FD %s  TYPE %s  NODE %s  NAME %s%s\n", c->fd_column,
	    addr_lsof_type(local.ss_family), c->udp ? "UDP" : "TCP", name,
	    c->udp ? "" : " (ESTABLISHED)");
}

/* Print what the server sent first, if it speaks within wait_ms. Returns 1 if it did. */
static int
show_greeting(struct conn *c, int wait_ms)
{
	struct pollfd pfd = { .fd = c->conn_fd, .events = POLLIN };
	char data[512], shown[200];
	ssize_t n;

	if (poll(&pfd, 1, wait_ms) <= 0) {
		printf("%s", _("  the server has said nothing yet (many servers, like web "
		    "servers, wait for the client to speak first)\n"));
		return 0;
	}
	n = read(c->conn_fd, data, sizeof data);
	if (n == 0) {
		printf("%s", _("  the server closed the connection without a word\n"));
		c->open = 0;
		return 1;
	}
	if (n == -1) {
		printf(_("  reading the greeting: %s [%s]\n"), msg_strerror(errno),
		    msg_errno_name(errno));
		c->open = 0;
		return 1;
	}
	msg_escape(data, (size_t)n, shown, sizeof shown);	/* bytes from the network */
	printf(_("  the server says: \"%s\"\n"), shown);
	return 1;
}

/*
 * UDP has no handshake, so connect() told nobody anything. Send one
 * datagram and wait for the answer. If no socket holds the server's port,
 * its kernel answers with an ICMP "port unreachable", which a connected
 * UDP socket reports as ECONNREFUSED; silence proves nothing. Returns 1 if
 * the server answered.
 */
static int
udp_hello(struct conn *c, int wait_ms)
{
	struct pollfd pfd = { .fd = c->conn_fd, .events = POLLIN };
	char hello[64], data[512], shown[200], call[96], result[64];
	ssize_t n;
	int len;

	len = snprintf(hello, sizeof hello, "hello from port %u\n", c->local_port);
	snprintf(call, sizeof call, "send(fd %d, \"hello from port %u\\n\")", c->conn_fd,
	    c->local_port);
	if ((n = send(c->conn_fd, hello, (size_t)len, 0)) == -1) {
		printf("  %s -> %s [%s]\n", call, msg_strerror(errno), msg_errno_name(errno));
		return 0;
	}
	snprintf(result, sizeof result, _("%zd bytes, one datagram"), n);
	show(result, "%s", call);
	if (poll(&pfd, 1, wait_ms) <= 0) {
		printf(_("  no answer within %d ms: UDP has no handshake and no acknowledgement, "
		    "so a busy server, a lost datagram and a firewall look the same\n"), wait_ms);
		return 0;
	}
	if ((n = recv(c->conn_fd, data, sizeof data, 0)) == -1 && errno == ECONNREFUSED) {
		printf(_("  recv(fd %d) -> %s [ECONNREFUSED]: no socket holds that port; the "
		    "server's kernel answered with ICMP port unreachable\n"), c->conn_fd,
		    msg_strerror(errno));
		return 1;	/* the kernel did answer, at once */
	}
	if (n == -1) {
		printf("  recv(fd %d) -> %s [%s]\n", c->conn_fd, msg_strerror(errno),
		    msg_errno_name(errno));
		return 0;
	}
	msg_escape(data, (size_t)n, shown, sizeof shown);	/* bytes from the network */
	printf(_("  the server answers: \"%s\"\n"), shown);
	return 1;
}

/* The 4-tuple lesson: one server port, many local ports. */
static void
print_summary(const struct conn *conns, unsigned long count, const char *port_text)
{
	unsigned long i, even = 0;
	int udp = count > 0 && conns[0].udp;

	if (udp)
		printf(count == 1 ? _("\n%lu UDP socket to port %s from one local port:") :
		    _("\n%lu UDP sockets to port %s from different local ports:"), count, port_text);
	else
		printf(count == 1 ? _("\n%lu connection to port %s from one local port:") :
		    _("\n%lu connections to port %s from different local ports:"), count, port_text);
	for (i = 0; i < count; i++) {
		even += conns[i].local_port % 2 == 0;
		if (i < PORTS_LISTED)
			printf(" %u", conns[i].local_port);
	}
	printf("%s\n", count > PORTS_LISTED ? " ..." : "");
	printf("%s", _("The kernel tells them apart by the 4-tuple (local address, local "
	    "port, remote address, remote port), so each reply finds its socket.\n"));
#if defined(__linux__)
	if (!udp)	/* UDP's port is drawn at random, odd or even */
		printf(_("%lu of %lu local ports are even: Linux's connect() prefers even "
		    "ports and leaves odd ones for bind() to port 0.\n"), even, count);
#else
	(void)even;
#endif
}

/* ---- below: plumbing this lab does not teach: waiting, options, messages ---- */

/* Keep the connections open until a signal or the end of --hold. */
static void
hold_open(struct conn *conns, unsigned long count, long hold)
{
	time_t end = time(NULL) + hold;
	struct pollfd *pfds;
	char data[512];
	unsigned long i;

	pfds = calloc(count, sizeof *pfds);
	if (pfds == NULL)
		fail("calloc", errno, NULL);
	for (i = 0; i < count; i++) {
		/* A UDP socket has no other end to close: nothing to watch. */
		pfds[i].fd = conns[i].open && !conns[i].udp ? conns[i].conn_fd : -1;
		pfds[i].events = POLLIN;
	}
	while (!stop_signal && (hold < 0 || time(NULL) < end)) {
		if (poll(pfds, count, 200) <= 0)
			continue;
		for (i = 0; i < count; i++) {
			/* Notice servers that hang up, so the student can see CLOSE_WAIT. */
			if (pfds[i].revents == 0 ||
			    read(conns[i].conn_fd, data, sizeof data) > 0)
				continue;
			printf(_("fd %s: the server closed its end; lsof now shows this "
			    "socket in state CLOSE_WAIT until we close it\n"),
			    conns[i].fd_column);
			pfds[i].fd = -1;
		}
	}
	free(pfds);
}

/* Why connect() failed, in words a student can act on; exits 1. */
static void
connect_failed(const char *numeric, const char *port_text, int err)
{
	char what[128], hint[512];

	snprintf(what, sizeof what, "connect to %s port %s", numeric, port_text);
	if (err == EINTR && stop_signal)
		snprintf(hint, sizeof hint, _("You stopped it (%s) before the server answered"),
		    stop_signal == SIGINT ? "Ctrl-C" : "SIGTERM");
	else if (err == ECONNREFUSED)
		snprintf(hint, sizeof hint, _("Nothing is listening on %s port %s: "
		    "start a server first, e.g. bin/listen %s"), numeric, port_text,
		    port_text);
	else if (err == ETIMEDOUT)
		snprintf(hint, sizeof hint, _("No answer in %d seconds: the host may "
		    "be down, a firewall may drop the packets, or the server is too "
		    "busy to accept (its queue is full)"), CONNECT_TIMEOUT);
	else if (err == EMFILE || err == ENFILE)
		snprintf(hint, sizeof hint, "%s", _("Every connection needs a descriptor "
		    "and this process ran out (see ulimit -n); ask for fewer with -n"));
	else
		snprintf(hint, sizeof hint, "%s", _("Check HOST and PORT"));
	fail(what, err, hint);
}

/* One step: the call as written, then what it returned. */
static void
show(const char *result, const char *call_fmt, ...)
{
	char call[128];
	va_list ap;

	va_start(ap, call_fmt);
	vsnprintf(call, sizeof call, call_fmt, ap);
	va_end(ap);
	printf("  %-34s -> %s\n", call, result);
}

static void
parse_args(int argc, char **argv, unsigned long *count, long *hold,
    int *udp, const char **host, const char **port_text)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "hold", required_argument, NULL, 'T' },
		{ "udp", no_argument, NULL, 'U' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char why[320];
	unsigned port;
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":hn:", options, NULL)) != -1) {
		switch (ch) {
		case 'n':
			if (num_parse(optarg, strlen(optarg), COUNT_MAX, count) == -1 || *count == 0)
				errx(2, _("bad -n '%s': give a count of connections from 1 to "
				    "%lu, like -n 5\n%s"), opt_shown(optarg), COUNT_MAX, USAGE);
			break;
		case 'T':
			if (opt_parse_hold(optarg, hold) == -1)
				/* OPT_HOLD_HINT's words, written out so they can be translated. */
				errx(2, _("bad --hold '%s': give whole seconds from 0 to 86400, "
				    "like --hold 30\n%s"), opt_shown(optarg), USAGE);
			break;
		case 'U':
			*udp = 1;
			break;
		case 'V':
			printf("connect (portlab) %s\n", PORTLAB_VERSION);
			exit(0);
		case 'h':
			print_help();
			exit(0);
		default:
			opt_error(ch, argc, argv, why, sizeof why);
			errx(2, "%s\n" USAGE, why);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		errx(2, argc < 2 ? _("give a HOST and a PORT, like: connect 127.0.0.1 8080\n%s") :
		    _("too many arguments; give just HOST and PORT\n%s"), USAGE);
	if (port_parse(argv[1], strlen(argv[1]), &port) == -1)
		errx(2, _("bad port '%s': %s\n%s"), opt_shown(argv[1]), port_parse_hint(errno), USAGE);
	if (port == 0)
		errx(2, _("bad port '0': port 0 means \"any port\" to bind(); "
		    "a server is always on a real port, 1-65535\n%s"), USAGE);
	*host = argv[0];
	*port_text = argv[1];
}

static void
print_help(void)
{
	printf("%s\n%s", USAGE, _("Open COUNT TCP connections to HOST PORT and show the local port the OS\n"
	    "chose for each, in lsof's notation; then hold them open for lsof.\n"
	    "\n"
	    "  --udp             UDP sockets: connect() only picks the port; each sends\n"
	    "                    one datagram and shows the answer\n"
	    "  -n COUNT          how many connections (default 1, at most 1000)\n"
	    "  --hold SECONDS    close them after SECONDS (0: at once; default: Ctrl-C)\n"
	    "  -h, --help        show this help\n"
	    "  --version         show the version\n"
	    "\n"
	    "Example:        bin/connect -n 3 127.0.0.1 8080   (start bin/listen 8080 first)\n"
	    "Try beside it:  lsof -nP -a -p PID -iTCP          (connect prints its PID)\n"));
}

/* Ctrl-C and SIGTERM stop, SIGALRM ends a connect() that waits too long. */
static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART: connect() and poll() must wake up */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void
on_signal(int sig)
{
	if (sig == SIGALRM)
		alarm_rang = 1;
	else
		stop_signal = sig;
}

/* A runtime failure: "connect: WHAT: REASON [ERRNO]. HINT", exit 1. */
static _Noreturn void
fail(const char *what, int err, const char *hint)
{
	char line[MSG_LINE_MAX];

	msg_format(line, sizeof line, what, err, hint);
	errx(1, "%s", line);
}
