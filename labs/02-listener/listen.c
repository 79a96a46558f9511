/*
 * listen - a server opens a fixed port and waits; every client arrives
 * from its own ephemeral port.
 *
 * A server asks the kernel for a socket, binds it to one address and port,
 * and marks it as listening. From then on the kernel itself answers TCP
 * handshakes on that port and queues finished connections. accept() hands
 * each one to the program as a brand-new file descriptor, whose remote end
 * is the client's address and the ephemeral port the client's OS picked.
 * The listening descriptor never changes: one door, many conversations.
 *
 * Usage:          listen [--host ADDR] [--hold SECONDS] PORT
 * Try beside it:  lsof -nP -a -p PID -iTCP      (listen prints its PID)
 *                 ss -tn state established '( sport = :PORT )'
 * See also:       labs/03-ephemeral-client (connect): the client's side.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "fdtab.h"
#include "msg.h"
#include "num.h"
#include "opt.h"
#include "port.h"

#define USAGE "usage: listen [--host ADDR] [--hold SECONDS] PORT"
#define BACKLOG 128		/* how many finished handshakes the kernel queues */
#define ECHO_MAX 4096		/* bytes read from a client before we echo them */

struct client {
	int conn_fd;
	char fd_column[FDTAB_COLUMN_STRLEN];	/* "4u", as lsof's FD column */
	char name[ADDR_PAIR_STRLEN];		/* "LOCAL->REMOTE", as lsof's NAME */
	char out[ECHO_MAX];			/* bytes still to send back */
	size_t out_len, out_sent;
	unsigned long long bytes_in, bytes_out;
};

struct server {
	int listen_fd;
	int accepting;		/* 0 while we are out of descriptors */
	struct client *clients;
	size_t nclients, capacity;
	struct pollfd *pfds;
	unsigned long long served, bytes_in, bytes_out;
};

static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	stop_signal = sig;
}

/* A runtime failure: "listen: WHAT: REASON [ERRNO]. HINT", exit 1. */
static void
fail(const char *what, int err, const char *hint)
{
	char line[MSG_LINE_MAX];

	msg_format(line, sizeof line, what, err, hint);
	errx(1, "%s", line);
}

static void
print_help(void)
{
	printf(USAGE "\n"
	    "Open a TCP port, wait for clients, and show every step and every client\n"
	    "the way lsof shows them. Each client is greeted and its lines echoed.\n"
	    "\n"
	    "  --host ADDR       address to listen on (default 127.0.0.1; ::1 for IPv6;\n"
	    "                    0.0.0.0 or :: means every network interface)\n"
	    "  --hold SECONDS    stop by itself after SECONDS (default: until Ctrl-C)\n"
	    "  -h, --help        show this help\n"
	    "  --version         show the version\n"
	    "\n"
	    "Example:        bin/listen 8080\n"
	    "Try beside it:  lsof -nP -a -p PID -iTCP     (listen prints its PID)\n");
}

/* Parse argv into host, port and hold (-1: until a signal). */
static void
parse_args(int argc, char **argv, const char **host, unsigned *port, long *hold)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "host", required_argument, NULL, 'H' },
		{ "hold", required_argument, NULL, 'T' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char why[160];
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (ch) {
		case 'H':
			*host = optarg;
			break;
		case 'T':
			if (opt_parse_hold(optarg, hold) == -1)
				errx(2, "bad --hold '%s': %s\n" USAGE, optarg, OPT_HOLD_HINT);
			break;
		case 'V':
			printf("listen (portlab) %s\n", PORTLAB_VERSION);
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
	if (argc == 0)
		errx(2, "which port? Give one, like 8080 (or 0 to let the OS choose)\n" USAGE);
	if (argc > 1)
		errx(2, "give just one port\n" USAGE);
	if (port_parse(argv[0], strlen(argv[0]), port) == -1)
		errx(2, "bad port '%s': %s\n" USAGE, argv[0], port_parse_hint(errno));
}

/*
 * Who listens on TCP port already: "pid 4242 (nginx)" in buf. Returns 1 if
 * a visible process does, 0 if not (it may belong to another user).
 */
static int
port_holder(unsigned port, char *buf, size_t size)
{
	struct fdtab_socket *socks;
	size_t count, i;
	int hidden, found = 0;

	if (fdtab_sockets(&socks, &count, &hidden) == -1)
		return 0;
	for (i = 0; i < count && !found; i++) {
		if (socks[i].proto == IPPROTO_TCP && strcmp(socks[i].state, "LISTEN") == 0 &&
		    addr_port((struct sockaddr *)&socks[i].local) == port) {
			snprintf(buf, size, "pid %ld (%s)", socks[i].pid, socks[i].command);
			found = 1;
		}
	}
	free(socks);
	return found;
}

/* Why bind() failed, in words a student can act on. */
static const char *
bind_hint(int err, unsigned port, char *buf, size_t size)
{
	unsigned start = 1024;
	char holder[FDTAB_COMMAND_MAX + 32];

	switch (err) {
	case EADDRINUSE:
		if (port_holder(port, holder, sizeof holder))
			snprintf(buf, size, "Port %u is held by %s; try another port (or "
			    "0 to let the OS choose), or stop it. See it with: lsof -nP "
			    "-iTCP:%u -sTCP:LISTEN", port, holder, port);
		else
			snprintf(buf, size, "Another socket already listens on port %u, "
			    "in a process we cannot see (another user's?); as root, see "
			    "it with: lsof -nP -iTCP:%u -sTCP:LISTEN (or use another port, "
			    "or 0 to let the OS choose)", port, port);
		break;
	case EACCES:
		port_unprivileged_start(&start);
		if (port_bind_privilege(port, start) == PORT_ROOT_UNLESS_WILDCARD)
			snprintf(buf, size, "Ports below %u are privileged here for a "
			    "specific address such as 127.0.0.1 (macOS lets anyone bind "
			    "0.0.0.0, which opens the port to the network). Try a port "
			    "from %u up, such as 8080", start, start);
		else
			snprintf(buf, size, "Ports below %u are privileged here: only root "
			    "may bind them. Try a port from %u up, such as 8080", start, start);
		break;
	case EADDRNOTAVAIL:
		snprintf(buf, size, "That address does not belong to this machine. "
		    "Leave out --host to listen on 127.0.0.1");
		break;
	case EAFNOSUPPORT:
		snprintf(buf, size, "This machine has that address family turned off. "
		    "Try --host 127.0.0.1");
		break;
	default:
		snprintf(buf, size, "Try another port, or leave out --host");
	}
	return buf;
}

/* One step of the sequence: the call as written, then what it returned. */
static void
show(const char *call, const char *result)
{
	printf("  %-34s -> %s\n", call, result);
}

/*
 * The classic server sequence, each call shown as it happens:
 * socket -> setsockopt -> bind -> listen -> getsockname.
 */
static int
open_listener(const char *host, unsigned port)
{
	struct addrinfo hints, *res;
	struct sockaddr_storage bound;
	socklen_t bound_len = sizeof bound;
	char service[8], numeric[ADDR_STRLEN], where[ADDR_STRLEN];
	char call[128], result[128], hint[384];
	int listen_fd, one = 1, rc, err;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(service, sizeof service, "%u", port);
	rc = getaddrinfo(host, service, &hints, &res);
	if (rc != 0) {
		errx(2, "bad --host '%s': %s. Give an address like 127.0.0.1, "
		    "::1, 0.0.0.0 or ::\n" USAGE, host, gai_strerror(rc));
	}
	addr_numeric_host(res->ai_addr, numeric, sizeof numeric);
	if (res->ai_next != NULL)
		printf("  (%s has more than one address; using the first, %s)\n",
		    host, numeric);
	if (addr_is_wildcard(res->ai_addr))
		printf("WARNING: %s is the wildcard address, every network interface "
		    "(lsof writes it as *): other machines on the classroom network "
		    "will be able to connect to port %u. Leave out --host to stay on "
		    "127.0.0.1, this machine only.\n", numeric, port);

	listen_fd = socket(res->ai_family, SOCK_STREAM, 0);
	if (listen_fd == -1)
		fail("socket", errno, "The OS would not give us a socket");
	snprintf(call, sizeof call, "socket(%s, SOCK_STREAM, 0)",
	    addr_family_name(res->ai_family));
	snprintf(result, sizeof result, "fd %d", listen_fd);
	show(call, result);

	/* Without this, a restarted server waits out old TIME_WAIT connections. */
	if (setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1)
		fail("setsockopt SO_REUSEADDR", errno, NULL);
	snprintf(call, sizeof call, "setsockopt(fd %d, SO_REUSEADDR)", listen_fd);
	show(call, "ok: a restarted server may reuse the port at once");

	snprintf(call, sizeof call, "bind(fd %d, %s port %u)", listen_fd, numeric, port);
	if (bind(listen_fd, res->ai_addr, res->ai_addrlen) == -1) {
		err = errno;	/* bind_hint looks in /proc, which may change errno */
		snprintf(call, sizeof call, "bind %s port %u", numeric, port);
		fail(call, err, bind_hint(err, port, hint, sizeof hint));
	}
	show(call, port == 0 ? "ok: port 0 asks the OS to choose a free port" : "ok");
	freeaddrinfo(res);

	if (listen(listen_fd, BACKLOG) == -1)
		fail("listen", errno, NULL);
	snprintf(call, sizeof call, "listen(fd %d, %d)", listen_fd, BACKLOG);
	show(call, "ok: the kernel now accepts clients and queues them for us");

	if (getsockname(listen_fd, (struct sockaddr *)&bound, &bound_len) == -1)
		fail("getsockname", errno, NULL);
	addr_format((struct sockaddr *)&bound, where, sizeof where);
	snprintf(call, sizeof call, "getsockname(fd %d)", listen_fd);
	if (port == 0)
		snprintf(result, sizeof result, "%s: the OS chose port %u", where,
		    addr_port((struct sockaddr *)&bound));
	else
		snprintf(result, sizeof result, "%s", where);
	show(call, result);
	return listen_fd;
}

/* Tell the student where we are and what to run beside us. */
static void
print_ready(int listen_fd)
{
	struct sockaddr_storage bound;
	socklen_t bound_len = sizeof bound;
	char where[ADDR_STRLEN], fd_column[FDTAB_COLUMN_STRLEN], host[ADDR_STRLEN];
	const struct sockaddr *sa = (struct sockaddr *)&bound;
	long pid = (long)getpid();

	getsockname(listen_fd, (struct sockaddr *)&bound, &bound_len);
	addr_format(sa, where, sizeof where);
	fdtab_fd_column(listen_fd, fd_column, sizeof fd_column);
	/* A wildcard socket is reachable on loopback too: suggest that. */
	if (addr_is_wildcard(sa))
		snprintf(host, sizeof host, "%s", sa->sa_family == AF_INET ?
		    "127.0.0.1" : "::1");
	else
		addr_numeric_host(sa, host, sizeof host);

	printf("\nListening on %s as pid %ld. lsof shows this socket as:\n", where, pid);
	printf("  FD %s  TYPE %s  NODE TCP  NAME %s (LISTEN)\n", fd_column,
	    addr_lsof_type(sa->sa_family), where);
	printf("Try beside it:  lsof -nP -a -p %ld -iTCP\n", pid);
	printf("Be a client:    bin/connect %s %u\n", host, addr_port(sa));
	printf("Waiting for clients. Ctrl-C stops.\n\n");
}

/* Queue bytes to send to a client; the poll loop writes them out. */
static void
client_queue(struct client *c, const char *data, size_t len)
{
	if (len > sizeof c->out - c->out_len)
		len = sizeof c->out - c->out_len;
	memcpy(c->out + c->out_len, data, len);
	c->out_len += len;
}

/* Take one waiting connection from the kernel's queue. */
static void
accept_client(struct server *srv)
{
	struct sockaddr_storage peer, local;
	socklen_t peer_len = sizeof peer, local_len = sizeof local;
	char greeting[256], remote[ADDR_STRLEN], host[ADDR_STRLEN];
	struct rlimit limit;
	struct client *c;
	int conn_fd, n;

	conn_fd = accept(srv->listen_fd, (struct sockaddr *)&peer, &peer_len);
	if (conn_fd == -1) {
		if (errno == EMFILE || errno == ENFILE) {
			getrlimit(RLIMIT_NOFILE, &limit);
			printf("accept(fd %d): %s [%s]: this process may hold only %llu "
			    "descriptors (ulimit -n). New clients wait in the kernel's "
			    "queue until someone leaves.\n", srv->listen_fd, strerror(errno),
			    msg_errno_name(errno), (unsigned long long)limit.rlim_cur);
			srv->accepting = 0;
		} else if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			printf("accept(fd %d): %s [%s]; still listening.\n", srv->listen_fd,
			    strerror(errno), msg_errno_name(errno));
		return;
	}
	if (srv->nclients == srv->capacity) {
		size_t want = srv->capacity ? srv->capacity * 2 : 16;
		struct client *more = realloc(srv->clients, want * sizeof *more);
		struct pollfd *pmore = more ? realloc(srv->pfds, (want + 1) * sizeof *pmore) : NULL;

		if (more != NULL)
			srv->clients = more;
		if (pmore == NULL) {
			printf("accept: out of memory; closing the new connection.\n");
			close(conn_fd);
			return;
		}
		srv->pfds = pmore;
		srv->capacity = want;
	}
	c = &srv->clients[srv->nclients++];
	memset(c, 0, sizeof *c);
	c->conn_fd = conn_fd;
	/* So one slow client can never block the loop that serves the others. */
	fcntl(conn_fd, F_SETFL, fcntl(conn_fd, F_GETFL) | O_NONBLOCK);
	getsockname(conn_fd, (struct sockaddr *)&local, &local_len);
	fdtab_fd_column(conn_fd, c->fd_column, sizeof c->fd_column);
	addr_format_pair((struct sockaddr *)&local, (struct sockaddr *)&peer,
	    c->name, sizeof c->name);
	addr_format((struct sockaddr *)&peer, remote, sizeof remote);
	addr_numeric_host((struct sockaddr *)&peer, host, sizeof host);
	srv->served++;

	printf("accept(fd %d) -> fd %s  %s (ESTABLISHED)\n", srv->listen_fd,
	    c->fd_column, c->name);
	printf("  a client came from %s port %u: the ephemeral port its OS chose "
	    "for this connection\n", host, addr_port((struct sockaddr *)&peer));
	if (strncmp(host, "::ffff:", 7) == 0)
		printf("  (%s is an IPv4 client seen through an IPv6 socket; lsof "
		    "writes it as plain %s)\n", host, host + 7);
	n = snprintf(greeting, sizeof greeting, "Hello! I see you coming from %s "
	    "(you are fd %d here). Type a line and I will echo it back.\n",
	    remote, conn_fd);
	client_queue(c, greeting, (size_t)n);
}

/* Close client i, print why and how much it sent, and forget it. */
static void
close_client(struct server *srv, size_t i, const char *why)
{
	struct client *c = &srv->clients[i];

	printf("close(fd %s): %s %s; %llu bytes in, %llu bytes out\n",
	    c->fd_column, c->name, why, c->bytes_in, c->bytes_out);
	close(c->conn_fd);
	srv->bytes_in += c->bytes_in;
	srv->bytes_out += c->bytes_out;
	srv->clients[i] = srv->clients[--srv->nclients];
	srv->accepting = 1;	/* a descriptor is free again */
}

/* Send what is queued for client i. Returns -1 if the client is gone. */
static int
client_flush(struct server *srv, size_t i)
{
	struct client *c = &srv->clients[i];
	ssize_t n;

	while (c->out_sent < c->out_len) {
		n = write(c->conn_fd, c->out + c->out_sent, c->out_len - c->out_sent);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return 0;	/* the client reads slowly; poll tells us when */
		if (n == -1) {
			close_client(srv, i, errno == EPIPE || errno == ECONNRESET ?
			    "gone: the client stopped reading" : strerror(errno));
			return -1;
		}
		c->out_sent += (size_t)n;
		c->bytes_out += (unsigned long long)n;
	}
	c->out_len = c->out_sent = 0;
	return 0;
}

/* Read what client i sent and queue it to be echoed. */
static void
client_read(struct server *srv, size_t i)
{
	struct client *c = &srv->clients[i];
	char shown[64];
	ssize_t n;

	n = read(c->conn_fd, c->out, sizeof c->out);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n == 0) {
		close_client(srv, i, "closed by the client");
		return;
	}
	if (n == -1) {
		close_client(srv, i, errno == ECONNRESET ? "reset by the client" :
		    strerror(errno));
		return;
	}
	c->bytes_in += (unsigned long long)n;
	c->out_len = (size_t)n;
	msg_escape(c->out, (size_t)n, shown, sizeof shown);
	printf("fd %s: got %zd bytes \"%s\", echoing them back\n", c->fd_column, n, shown);
	client_flush(srv, i);
}

/* Serve every client from one poll() loop until a signal or --hold ends it. */
static void
serve(struct server *srv, long hold)
{
	time_t end = hold >= 0 ? time(NULL) + hold : 0;
	size_t i, count;
	int timeout, n;

	while (!stop_signal) {
		timeout = hold >= 0 ? (int)(end - time(NULL)) * 1000 : -1;
		if (hold >= 0 && timeout <= 0)
			break;
		srv->pfds[0].fd = srv->accepting ? srv->listen_fd : -1;
		srv->pfds[0].events = POLLIN;
		for (i = 0; i < srv->nclients; i++) {
			srv->pfds[i + 1].fd = srv->clients[i].conn_fd;
			/* Read more only once the last bytes went back: bounded memory. */
			srv->pfds[i + 1].events = srv->clients[i].out_len ? POLLOUT : POLLIN;
		}
		count = srv->nclients;
		n = poll(srv->pfds, count + 1, timeout);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			fail("poll", errno, NULL);
		/* Back to front, so closing client i never skips one. */
		for (i = count; i-- > 0;) {
			short revents = srv->pfds[i + 1].revents;

			if (revents == 0)
				continue;
			if (srv->clients[i].out_len)
				client_flush(srv, i);
			else
				client_read(srv, i);
		}
		if (srv->pfds[0].revents & POLLIN)
			accept_client(srv);
	}
}

int
main(int argc, char **argv)
{
	struct server srv = { .listen_fd = -1, .accepting = 1 };
	const char *host = "127.0.0.1";
	struct sigaction sa;
	unsigned port;
	long hold = -1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_args(argc, argv, &host, &port, &hold);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() must wake up */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a vanished client is an error code, not a death */

	printf("listen (pid %ld): open a port and wait for clients.\n", (long)getpid());
	srv.listen_fd = open_listener(host, port);
	/* accept() must not block if a queued client vanishes before we take it. */
	fcntl(srv.listen_fd, F_SETFL, fcntl(srv.listen_fd, F_GETFL) | O_NONBLOCK);
	srv.pfds = calloc(1, sizeof *srv.pfds);
	if (srv.pfds == NULL)
		fail("calloc", errno, NULL);
	print_ready(srv.listen_fd);
	serve(&srv, hold);

	while (srv.nclients > 0)
		close_client(&srv, srv.nclients - 1, "closed by us as we stop");
	close(srv.listen_fd);
	printf("listen: stopped by %s. Served %llu client%s; %llu bytes received, "
	    "%llu bytes sent.\n", stop_signal == SIGINT ? "Ctrl-C (SIGINT)" :
	    stop_signal == SIGTERM ? "SIGTERM" : "--hold", srv.served,
	    srv.served == 1 ? "" : "s", srv.bytes_in, srv.bytes_out);
	free(srv.clients);
	free(srv.pfds);
	return 0;
}
