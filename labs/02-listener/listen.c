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
 * With --udp there is no door at all: UDP has no connections, so there is
 * no listen() and no accept(). One bound socket receives every client's
 * datagrams, and recvfrom() names each one's sender.
 *
 * Usage:          listen [--udp] [--host ADDR] [--backlog N] [--hold SECONDS] PORT
 * Try beside it:  lsof -nP -a -p PID -iTCP      (listen prints its PID; -iUDP with --udp)
 *                 ss -tn state established '( sport = :PORT )'
 * See also:       labs/03-ephemeral-client (connect): the client's side.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
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
#include "hint.h"
#include "i18n.h"
#include "mem.h"
#include "msg.h"
#include "num.h"
#include "opt.h"
#include "port.h"

#define USAGE "usage: listen [--udp] [--host ADDR] [--backlog N] [--hold SECONDS] PORT"
#define BACKLOG 128		/* how many finished handshakes the kernel queues, unless --backlog */
#define BACKLOG_MAX 65535
#define ECHO_MAX 4096		/* bytes read from a client before we echo them */
#define ACCEPT_BATCH 64		/* connections taken from the queue per poll() round */

struct client {
	int conn_fd;
	char fd_column[FDTAB_COLUMN_STRLEN];	/* "4u", as lsof's FD column */
	char name[ADDR_PAIR_STRLEN];		/* "LOCAL->REMOTE", as lsof's NAME */
	char out[ECHO_MAX];			/* bytes still to send back */
	size_t out_len, out_sent;
	unsigned long long bytes_in, bytes_out;
};

/* What the command line asked for. */
struct options {
	const char *host;	/* --host, default 127.0.0.1 */
	unsigned port;
	int backlog;		/* --backlog, default BACKLOG */
	long hold;		/* --hold; -1: until a signal */
	int udp;		/* --udp: a UDP socket instead of a TCP listener */
};

struct server {
	int listen_fd;
	int accepting;		/* 0 while we are out of descriptors */
	struct client *clients;
	size_t nclients, client_room;
	struct pollfd *pfds;	/* [0] the listener, [1 + i] client i */
	size_t pfd_room;
	unsigned long long served, bytes_in, bytes_out;
};

static volatile sig_atomic_t stop_signal;

static struct addrinfo *listen_address(const char *host, unsigned port, int socktype);
static int open_listener(const struct addrinfo *ai, int backlog, struct sockaddr_storage *bound);
static void ask_bound(int fd, unsigned asked, struct sockaddr_storage *bound);
static void print_ready(int fd, const struct sockaddr *bound, int udp);
static int accept_client(struct server *srv);
static void greet(struct client *c, const struct sockaddr *peer);
static void close_client(struct server *srv, size_t i, const char *why);
static void serve_udp(const struct options *opt);
static int open_udp(const struct addrinfo *ai, struct sockaddr_storage *bound);
static int echo_datagram(int fd, unsigned long long *bytes_in, unsigned long long *bytes_out);

static void serve(struct server *srv, long hold);
static void accept_failed(struct server *srv, int err);
static struct client *client_add(struct server *srv, int conn_fd);
static void client_queue(struct client *c, const char *data, size_t len);
static int client_flush(struct server *srv, size_t i);
static void client_read(struct server *srv, size_t i);
static void stop_serving(struct server *srv);
static void show(const char *result, const char *call_fmt, ...);
static void note(const char *what, int err, const char *hint);
static void parse_args(int argc, char **argv, struct options *opt);
static void print_help(void);
static void catch_signals(void);
static void on_signal(int sig);
static _Noreturn void fail(const char *what, int err, const char *hint);

int
main(int argc, char **argv)
{
	struct options opt = { .host = "127.0.0.1", .backlog = BACKLOG, .hold = -1 };
	struct server srv = { .listen_fd = -1, .accepting = 1 };
	struct sockaddr_storage bound;
	struct addrinfo *ai;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_args(argc, argv, &opt);
	catch_signals();
	if (opt.udp) {
		serve_udp(&opt);
		return 0;
	}

	printf(_("listen (pid %ld): open a port and wait for clients.\n"), (long)getpid());
	ai = listen_address(opt.host, opt.port, SOCK_STREAM);
	srv.listen_fd = open_listener(ai, opt.backlog, &bound);
	freeaddrinfo(ai);
	/* accept() must not block if a queued client vanishes before we take it. */
	if (fdtab_set_nonblocking(srv.listen_fd) == -1)
		fail("fcntl O_NONBLOCK", errno, NULL);
	/* poll() slots: one for the listener; client_add makes room for each client. */
	if ((srv.pfds = mem_grow(NULL, 0, &srv.pfd_room, sizeof *srv.pfds)) == NULL)
		fail("malloc", errno, NULL);
	print_ready(srv.listen_fd, (struct sockaddr *)&bound, 0);

	serve(&srv, opt.hold);
	stop_serving(&srv);
	return 0;
}

/*
 * The address to listen on, from --host: getaddrinfo() turns text such as
 * "127.0.0.1" or "::" into the struct that bind() takes.
 */
static struct addrinfo *
listen_address(const char *host, unsigned port, int socktype)
{
	struct addrinfo hints, *res;
	char service[8], numeric[ADDR_STRLEN];
	int rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = socktype;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(service, sizeof service, "%u", port);
	rc = getaddrinfo(host, service, &hints, &res);
	if (rc != 0) {
		msg_escape(host, strlen(host), numeric, sizeof numeric);
		errx(2, _("bad --host '%s': %s. Give an address like 127.0.0.1, "
		    "::1, 0.0.0.0 or ::\n%s"), numeric, gai_strerror(rc), USAGE);
	}
	addr_numeric_host(res->ai_addr, numeric, sizeof numeric);
	if (res->ai_next != NULL)
		printf(_("  (that host has more than one address; using the first, %s)\n"),
		    numeric);
	if (addr_is_wildcard(res->ai_addr))
		printf(_("WARNING: %s is the wildcard address, every network interface "
		    "(lsof writes it as *): other machines on the classroom network "
		    "will be able to connect to port %u. Leave out --host to stay on "
		    "127.0.0.1, this machine only.\n"), numeric, port);
	return res;
}

/*
 * The classic server sequence, each call shown as it happens:
 * socket -> setsockopt -> bind -> listen -> getsockname.
 */
static int
open_listener(const struct addrinfo *ai, int backlog, struct sockaddr_storage *bound)
{
	unsigned port = addr_port(ai->ai_addr);
	char numeric[ADDR_STRLEN], what[256], hint[512];
	int listen_fd, one = 1, err;

	addr_numeric_host(ai->ai_addr, numeric, sizeof numeric);
	listen_fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (listen_fd == -1)
		fail("socket", errno, _("The OS would not give us a socket"));
	snprintf(what, sizeof what, "fd %d", listen_fd);
	show(what, "socket(%s, SOCK_STREAM, 0)", addr_family_name(ai->ai_family));

	/* Without this, a restarted server waits out old TIME_WAIT connections. */
	if (setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1)
		fail("setsockopt SO_REUSEADDR", errno, NULL);
	show(_("ok: a restarted server may reuse the port at once"),
	    "setsockopt(fd %d, SO_REUSEADDR)", listen_fd);

	if (bind(listen_fd, ai->ai_addr, ai->ai_addrlen) == -1) {
		err = errno;	/* hint_bind looks in /proc, which may change errno */
		snprintf(what, sizeof what, "bind %s port %u", numeric, port);
		fail(what, err, hint_bind(err, ai->ai_addr, hint, sizeof hint));
	}
	show(port == 0 ? _("ok: port 0 asks the OS to choose a free port") : "ok",
	    "bind(fd %d, %s port %u)", listen_fd, numeric, port);

	/* backlog: how many finished handshakes may wait for accept() (Linux caps it at somaxconn). */
	if (listen(listen_fd, backlog) == -1)
		fail("listen", errno, NULL);
	show(_("ok: the kernel now accepts clients and queues them for us"),
	    "listen(fd %d, %d)", listen_fd, backlog);

	ask_bound(listen_fd, port, bound);
	return listen_fd;
}

/*
 * getsockname(): the address and port the socket really has. After bind()
 * to port 0 it is the only way to learn which port the OS chose.
 */
static void
ask_bound(int fd, unsigned asked, struct sockaddr_storage *bound)
{
	socklen_t bound_len = sizeof *bound;
	char where[ADDR_STRLEN], what[ADDR_STRLEN + 64];

	if (getsockname(fd, (struct sockaddr *)bound, &bound_len) == -1)
		fail("getsockname", errno, NULL);
	addr_format((struct sockaddr *)bound, where, sizeof where);
	if (asked == 0)
		snprintf(what, sizeof what, _("%s: the OS chose port %u"), where,
		    addr_port((struct sockaddr *)bound));
	else
		snprintf(what, sizeof what, "%s", where);
	show(what, "getsockname(fd %d)", fd);
}

/* Tell the student where we are, and what to run beside us (udp: a UDP socket). */
static void
print_ready(int fd, const struct sockaddr *bound, int udp)
{
	char where[ADDR_STRLEN], host[ADDR_STRLEN], fd_column[FDTAB_COLUMN_STRLEN];
	long pid = (long)getpid();

	addr_format(bound, where, sizeof where);
	fdtab_fd_column(fd, fd_column, sizeof fd_column);
	/* A wildcard socket is reachable on loopback too: suggest that. */
	if (addr_is_wildcard(bound))
		snprintf(host, sizeof host, "%s", bound->sa_family == AF_INET ?
		    "127.0.0.1" : "::1");
	else
		addr_numeric_host(bound, host, sizeof host);

	printf(udp ? _("\nReceiving on %s as pid %ld. lsof shows this socket as:\n") :
	    _("\nListening on %s as pid %ld. lsof shows this socket as:\n"), where, pid);
	printf("  FD %s  TYPE %s  NODE %s  NAME %s%s\n", fd_column,
	    addr_lsof_type(bound->sa_family), udp ? "UDP" : "TCP", where,
	    udp ? "" : " (LISTEN)");
	if (udp)
		printf("%s", _("  (no state after the NAME: UDP has no connections, so it "
		    "has no LISTEN, no ESTABLISHED, no TCP states at all)\n"));
	printf(_("Try beside it:  lsof -nP -a -p %ld -i%s\n"), pid, udp ? "UDP" : "TCP");
	printf(_("Be a client:    bin/connect %s%s %u\n"), udp ? "--udp " : "", host,
	    addr_port(bound));
	printf("%s", udp ? _("Waiting for datagrams. Ctrl-C stops.\n\n") :
	    _("Waiting for clients. Ctrl-C stops.\n\n"));
}

/*
 * Take one waiting connection from the kernel's queue. accept() returns a
 * new descriptor for it and fills in the client's address: the ephemeral
 * port its OS chose. The listening descriptor stays as it was. Returns 1 if
 * it took one, 0 when the queue is empty or no descriptor is left.
 */
static int
accept_client(struct server *srv)
{
	struct sockaddr_storage peer, local;
	socklen_t peer_len = sizeof peer, local_len = sizeof local;
	struct client *c;
	int conn_fd;

	conn_fd = accept(srv->listen_fd, (struct sockaddr *)&peer, &peer_len);
	if (conn_fd == -1) {
		accept_failed(srv, errno);
		return 0;
	}
	/* Our end of the new connection: the address the client dialled. */
	if (getsockname(conn_fd, (struct sockaddr *)&local, &local_len) == -1) {
		note("getsockname", errno, _("Closed that client; still listening"));
		close(conn_fd);
		return 1;
	}
	/* So one slow client can never block the loop that serves the others. */
	if (fdtab_set_nonblocking(conn_fd) == -1) {
		note("fcntl O_NONBLOCK", errno, _("Closed that client; still listening"));
		close(conn_fd);
		return 1;
	}
	if ((c = client_add(srv, conn_fd)) == NULL) {
		note("accept", errno, _("No memory for one more client: closed it; still listening"));
		close(conn_fd);
		return 1;
	}
	fdtab_fd_column(conn_fd, c->fd_column, sizeof c->fd_column);
	addr_format_pair((struct sockaddr *)&local, (struct sockaddr *)&peer,
	    c->name, sizeof c->name);
	srv->served++;
	printf("accept(fd %d) -> fd %s  %s (ESTABLISHED)\n", srv->listen_fd,
	    c->fd_column, c->name);
	greet(c, (struct sockaddr *)&peer);
	return 1;
}

/* Say where the client came from, on our screen and to the client. */
static void
greet(struct client *c, const struct sockaddr *peer)
{
	char greeting[256], remote[ADDR_STRLEN], host[ADDR_STRLEN];
	int n;

	addr_format(peer, remote, sizeof remote);
	addr_numeric_host(peer, host, sizeof host);
	printf(_("  a client came from %s port %u: the ephemeral port its OS chose "
	    "for this connection\n"), host, addr_port(peer));
	if (strncmp(host, "::ffff:", 7) == 0)
		printf(_("  (%s is an IPv4 client seen through an IPv6 socket; lsof "
		    "writes it as plain %s)\n"), host, host + 7);
	n = snprintf(greeting, sizeof greeting, "Hello! I see you coming from %s "
	    "(you are fd %d here). Type a line and I will echo it back.\n",
	    remote, c->conn_fd);
	client_queue(c, greeting, (size_t)n);
}

/* close() the client's descriptor: its row leaves lsof's table. */
static void
close_client(struct server *srv, size_t i, const char *why)
{
	struct client *c = &srv->clients[i];

	printf(_("close(fd %s): %s %s; %llu bytes in, %llu bytes out\n"),
	    c->fd_column, c->name, why, c->bytes_in, c->bytes_out);
	close(c->conn_fd);
	srv->bytes_in += c->bytes_in;
	srv->bytes_out += c->bytes_out;
	srv->clients[i] = srv->clients[--srv->nclients];
	srv->accepting = 1;	/* a descriptor is free again */
}

/*
 * --udp: the same lesson without connections. socket(SOCK_DGRAM) and bind()
 * are all a UDP server needs: no listen(), no accept(), and one descriptor
 * for every client. Each datagram arrives with its sender's address and
 * port, and we send it back to exactly that address.
 */
static void
serve_udp(const struct options *opt)
{
	struct sockaddr_storage bound;
	struct addrinfo *ai;
	unsigned long long datagrams = 0, bytes_in = 0, bytes_out = 0;
	time_t end = time(NULL) + opt->hold;
	struct pollfd pfd;
	int fd, n;

	printf(_("listen (pid %ld): open a UDP port and wait for datagrams.\n"), (long)getpid());
	ai = listen_address(opt->host, opt->port, SOCK_DGRAM);
	fd = open_udp(ai, &bound);
	freeaddrinfo(ai);
	print_ready(fd, (struct sockaddr *)&bound, 1);

	pfd.fd = fd;
	pfd.events = POLLIN;
	while (!stop_signal && (opt->hold < 0 || time(NULL) < end)) {
		n = poll(&pfd, 1, opt->hold < 0 ? -1 : (int)(end - time(NULL)) * 1000);
		if (n == -1 && errno != EINTR)
			fail("poll", errno, NULL);
		if (n > 0)
			datagrams += (unsigned long long)echo_datagram(fd, &bytes_in, &bytes_out);
	}
	close(fd);
	printf(datagrams == 1 ? _("listen: stopped by %s. Received %llu datagram, %llu bytes; "
	    "sent back %llu bytes.\n") : _("listen: stopped by %s. Received %llu datagrams, "
	    "%llu bytes; sent back %llu bytes.\n"), stop_signal == SIGINT ? "Ctrl-C (SIGINT)" :
	    stop_signal == SIGTERM ? "SIGTERM" : "--hold", datagrams, bytes_in, bytes_out);
}

/* socket -> bind -> getsockname: a UDP server's whole setup, each call shown. */
static int
open_udp(const struct addrinfo *ai, struct sockaddr_storage *bound)
{
	unsigned port = addr_port(ai->ai_addr);
	char numeric[ADDR_STRLEN], what[256], hint[512];
	int fd, err;

	addr_numeric_host(ai->ai_addr, numeric, sizeof numeric);
	if ((fd = socket(ai->ai_family, SOCK_DGRAM, 0)) == -1)
		fail("socket", errno, _("The OS would not give us a socket"));
	snprintf(what, sizeof what, "fd %d", fd);
	show(what, "socket(%s, SOCK_DGRAM, 0)", addr_family_name(ai->ai_family));

	if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
		err = errno;	/* hint_bind_udp looks in /proc, which may change errno */
		snprintf(what, sizeof what, "bind %s UDP port %u", numeric, port);
		fail(what, err, hint_bind_udp(err, ai->ai_addr, hint, sizeof hint));
	}
	show(port == 0 ? _("ok: port 0 asks the OS to choose a free port") : "ok",
	    "bind(fd %d, %s port %u)", fd, numeric, port);

	ask_bound(fd, port, bound);
	printf("%s", _("  no listen(), no accept(): UDP has no connections. This one "
	    "socket receives every client's datagrams.\n"));
	return fd;
}

/*
 * recvfrom() one datagram: the bytes, and who sent them, the address and
 * the ephemeral port the client's OS chose. sendto() sends them back to
 * that address. Returns 1 if a datagram came, 0 if none was waiting.
 */
static int
echo_datagram(int fd, unsigned long long *bytes_in, unsigned long long *bytes_out)
{
	struct sockaddr_storage peer;
	socklen_t peer_len = sizeof peer;
	char data[ECHO_MAX], shown[64], host[ADDR_STRLEN], what[ADDR_STRLEN + 64];
	ssize_t n, sent;

	n = recvfrom(fd, data, sizeof data, 0, (struct sockaddr *)&peer, &peer_len);
	if (n == -1) {
		if (errno != EINTR && errno != EAGAIN)
			note("recvfrom", errno, _("Still waiting for datagrams"));
		return 0;
	}
	addr_numeric_host((struct sockaddr *)&peer, host, sizeof host);
	msg_escape(data, (size_t)n, shown, sizeof shown);
	printf(_("recvfrom(fd %d) -> %zd bytes \"%s\" from %s port %u: the ephemeral "
	    "port its OS chose\n"), fd, n, shown, host, addr_port((struct sockaddr *)&peer));
	*bytes_in += (unsigned long long)n;
	sent = sendto(fd, data, (size_t)n, 0, (struct sockaddr *)&peer, peer_len);
	snprintf(what, sizeof what, "sendto(fd %d, %s port %u)", fd, host,
	    addr_port((struct sockaddr *)&peer));
	if (sent == -1)
		note(what, errno, _("That datagram is lost; still waiting for datagrams"));
	else {
		printf(_("  %s -> %zd bytes back, one datagram\n"), what, sent);
		*bytes_out += (unsigned long long)sent;
	}
	return 1;
}

/* ---- below: plumbing this lab does not teach: the poll loop, echo, options, messages ---- */

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
			if (srv->pfds[i + 1].revents == 0)
				continue;
			if (srv->clients[i].out_len)
				client_flush(srv, i);
			else
				client_read(srv, i);
		}
		/* Take what the queue holds, a batch at a time, so a burst is served quickly. */
		for (i = 0; srv->pfds[0].revents & POLLIN && i < ACCEPT_BATCH; i++)
			if (!srv->accepting || !accept_client(srv))
				break;
	}
}

/*
 * accept() failed. Out of descriptors, it stops accepting until a client
 * leaves; with no client to leave, it stops for good (exit 1), since no one
 * could ever be served. A system-wide shortage (ENFILE) is waited out.
 */
static void
accept_failed(struct server *srv, int err)
{
	char what[32], hint[320];

	snprintf(what, sizeof what, "accept(fd %d)", srv->listen_fd);
	if (err != EMFILE && err != ENFILE) {
		if (err != EAGAIN && err != EINTR && err != ECONNABORTED)
			note(what, err, _("Still listening"));
		return;
	}
	hint_fd_limit(err, 1, srv->nclients, hint, sizeof hint);
	if (err == EMFILE && srv->nclients == 0)
		fail(what, err, hint);
	note(what, err, hint);
	if (srv->nclients > 0)
		srv->accepting = 0;	/* until a client leaves */
	else
		poll(NULL, 0, 1000);	/* ENFILE: look again in a second */
}

/* A new entry for conn_fd, with a poll slot of its own; NULL with ENOMEM. */
static struct client *
client_add(struct server *srv, int conn_fd)
{
	struct client *more;
	struct pollfd *pmore;

	if ((more = mem_grow(srv->clients, srv->nclients, &srv->client_room, sizeof *more)) == NULL)
		return NULL;
	srv->clients = more;
	/* One slot for the listener, one per client. */
	if ((pmore = mem_grow(srv->pfds, srv->nclients + 1, &srv->pfd_room, sizeof *pmore)) == NULL)
		return NULL;
	srv->pfds = pmore;
	memset(&more[srv->nclients], 0, sizeof *more);
	more[srv->nclients].conn_fd = conn_fd;
	return &more[srv->nclients++];
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
			    _("gone: the client stopped reading") : msg_strerror(errno));
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
		close_client(srv, i, _("closed by the client"));
		return;
	}
	if (n == -1) {
		close_client(srv, i, errno == ECONNRESET ? _("reset by the client") :
		    msg_strerror(errno));
		return;
	}
	c->bytes_in += (unsigned long long)n;
	c->out_len = (size_t)n;
	msg_escape(c->out, (size_t)n, shown, sizeof shown);
	printf(_("fd %s: got %zd bytes \"%s\", echoing them back\n"), c->fd_column, n, shown);
	client_flush(srv, i);
}

/* Close every client and the listener, and print the one-line summary. */
static void
stop_serving(struct server *srv)
{
	while (srv->nclients > 0)
		close_client(srv, srv->nclients - 1, _("closed by us as we stop"));
	close(srv->listen_fd);
	printf(srv->served == 1 ? _("listen: stopped by %s. Served %llu client; %llu bytes "
	    "received, %llu bytes sent.\n") : _("listen: stopped by %s. Served %llu clients; "
	    "%llu bytes received, %llu bytes sent.\n"), stop_signal == SIGINT ? "Ctrl-C (SIGINT)" :
	    stop_signal == SIGTERM ? "SIGTERM" : "--hold", srv->served, srv->bytes_in,
	    srv->bytes_out);
	free(srv->clients);
	free(srv->pfds);
}

/* One step of the sequence: the call as written, then what it returned. */
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

/* A failure the server lives through: "WHAT: REASON [ERRNO]. HINT." on stdout. */
static void
note(const char *what, int err, const char *hint)
{
	char line[MSG_LINE_MAX];

	msg_format(line, sizeof line, what, err, hint);
	printf("%s\n", line);
}

/* Parse argv into opt. */
static void
parse_args(int argc, char **argv, struct options *opt)
{
	static const struct option options[] = {
		{ "backlog", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ "host", required_argument, NULL, 'H' },
		{ "hold", required_argument, NULL, 'T' },
		{ "udp", no_argument, NULL, 'U' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long backlog;
	int backlog_given = 0;
	char why[320];
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (ch) {
		case 'B':
			if (num_parse(optarg, strlen(optarg), BACKLOG_MAX, &backlog) == -1 || backlog == 0)
				errx(2, _("bad --backlog '%s': give how many clients may wait, 1-%d, "
				    "like --backlog 4096\n%s"), opt_shown(optarg), BACKLOG_MAX, USAGE);
			opt->backlog = (int)backlog;
			backlog_given = 1;
			break;
		case 'H':
			opt->host = optarg;
			break;
		case 'T':
			if (opt_parse_hold(optarg, &opt->hold) == -1)
				/* OPT_HOLD_HINT's words, written out so they can be translated. */
				errx(2, _("bad --hold '%s': give whole seconds from 0 to 86400, "
				    "like --hold 30\n%s"), opt_shown(optarg), USAGE);
			break;
		case 'U':
			opt->udp = 1;
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
	if (opt->udp && backlog_given)
		errx(2, _("--backlog is for TCP: it counts finished handshakes, and UDP has "
		    "none. Leave it out with --udp\n%s"), USAGE);
	if (argc == 0)
		errx(2, _("which port? Give one, like 8080 (or 0 to let the OS choose)\n%s"), USAGE);
	if (argc > 1)
		errx(2, _("give just one port\n%s"), USAGE);
	if (port_parse(argv[0], strlen(argv[0]), &opt->port) == -1)
		errx(2, _("bad port '%s': %s\n%s"), opt_shown(argv[0]), port_parse_hint(errno), USAGE);
}

static void
print_help(void)
{
	printf("%s\n%s", USAGE, _("Open a TCP port, wait for clients, and show every step and every client\n"
	    "the way lsof shows them. Each client is greeted and its lines echoed.\n"
	    "\n"
	    "  --udp             a UDP socket: no listen(), no accept(); echo each datagram\n"
	    "  --host ADDR       address to listen on (default 127.0.0.1; ::1 for IPv6;\n"
	    "                    0.0.0.0 or :: means every network interface)\n"
	    "  --backlog N       how many finished handshakes may wait for accept()\n"
	    "                    (default 128; ss -ltn shows it as Send-Q)\n"
	    "  --hold SECONDS    stop by itself after SECONDS (default: until Ctrl-C)\n"
	    "  -h, --help        show this help\n"
	    "  --version         show the version\n"
	    "\n"
	    "Example:        bin/listen 8080\n"
	    "Try beside it:  lsof -nP -a -p PID -iTCP     (listen prints its PID)\n"));
}

/* Ctrl-C and SIGTERM end the loop; a vanished client is an error code, not a death. */
static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() must wake up */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void
on_signal(int sig)
{
	stop_signal = sig;
}

/* A runtime failure: "listen: WHAT: REASON [ERRNO]. HINT", exit 1. */
static _Noreturn void
fail(const char *what, int err, const char *hint)
{
	char line[MSG_LINE_MAX];

	msg_format(line, sizeof line, what, err, hint);
	errx(1, "%s", line);
}
