/*
 * forward - docker's "-p 8080:80": a host port forwarded to a container's
 * port, as a program you can watch.
 *
 * A forwarder is a server and a client at once. It listens on the host
 * port; for each client it accepts, it connects to the target port itself,
 * from an ephemeral port of its own, and then copies bytes both ways. So
 * there are two connections, two pairs of descriptors, and the server
 * behind the forward sees the forwarder's address, never the client's.
 * When one side finishes sending (FIN), the forwarder passes that on with
 * shutdown(), so the other side can still answer: nothing is lost.
 *
 * Usage:          forward [--host ADDR] [--hold SECONDS] [HOSTIP:]HOSTPORT:[TARGETHOST:]TARGETPORT
 * Try beside it:  lsof -nP -a -p PID -iTCP      (forward prints its PID: both legs)
 *                 lsof -nP -iTCP:TARGETPORT     (the target's side)
 * See also:       labs/08-same-origin (origin): what a browser makes of host and port.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
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
#include "fwd.h"
#include "msg.h"
#include "opt.h"

#define USAGE "usage: forward [--host ADDR] [--hold SECONDS] [HOSTIP:]HOSTPORT:[TARGETHOST:]TARGETPORT"
#define RELAY_BUF (256 * 1024)	/* bytes in flight per direction: the most we ever buffer */
#define CONNECT_TIMEOUT 5	/* seconds to wait for the target */

/* Bytes flowing one way, read from one socket and written to the other. */
struct dir {
	char *buf;		/* allocated on first use: idle connections stay small */
	size_t len, off;	/* buf[off..len) still has to be written */
	int eof;		/* the sender finished (read returned 0) */
	int shut;		/* we passed that on: shutdown(SHUT_WR) on the other side */
	unsigned long long bytes;
};

/* One forwarded connection: the client's leg and the target's leg. */
struct conn {
	int client_fd, target_fd;
	int connecting;		/* the target's connect() is still under way */
	time_t started;
	struct dir up;		/* client -> target */
	struct dir down;	/* target -> client */
	char client_col[FDTAB_COLUMN_STRLEN], target_col[FDTAB_COLUMN_STRLEN];
	char client_peer[ADDR_STRLEN];
};

struct forwarder {
	int listen_fd, accepting;
	struct addrinfo *target;
	char target_text[ADDR_STRLEN + 8];
	struct conn *conns;
	size_t nconns, capacity;
	struct pollfd *pfds;
	unsigned long long served, bytes_up, bytes_down;
};

static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	stop_signal = sig;
}

/* A runtime failure: "forward: WHAT: REASON [ERRNO]. HINT", exit 1. */
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
	    "Listen on HOSTPORT and pass every connection on to TARGETPORT, the way\n"
	    "docker run -p 8080:80 does, logging both legs of each as lsof shows them.\n"
	    "\n"
	    "  --host ADDR       address to listen on (default 127.0.0.1)\n"
	    "  --hold SECONDS    stop by itself after SECONDS (default: until Ctrl-C)\n"
	    "  -h, --help        show this help\n"
	    "  --version         show the version\n"
	    "\n"
	    "Example:        bin/forward 8080:8081     (with bin/listen 8081 as the \"container\")\n"
	    "Try beside it:  lsof -nP -a -p PID -iTCP  (forward prints its PID)\n");
}

/* The listening socket on the host side: socket, setsockopt, bind, listen. */
static int
open_listener(const char *host, unsigned port)
{
	struct addrinfo hints, *res;
	char port_text[8], what[96];
	int listen_fd, one = 1, rc, err;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(port_text, sizeof port_text, "%u", port);
	if ((rc = getaddrinfo(host, port_text, &hints, &res)) != 0)
		errx(2, "bad host address '%s': %s\n" USAGE, host, gai_strerror(rc));
	if (addr_is_wildcard(res->ai_addr))
		printf("WARNING: %s is every network interface: other machines on the "
		    "classroom network can reach the forward. Docker does the same with "
		    "-p 8080:80; -p 127.0.0.1:8080:80 keeps it on this machine.\n", host);
	listen_fd = socket(res->ai_family, SOCK_STREAM, 0);
	if (listen_fd == -1 ||
	    setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1 ||
	    bind(listen_fd, res->ai_addr, res->ai_addrlen) == -1 ||
	    listen(listen_fd, 128) == -1) {
		err = errno;
		snprintf(what, sizeof what, "listen on %s port %u", host, port);
		fail(what, err, err == EADDRINUSE ? "Something already listens there; "
		    "see it with lsof -nP -iTCP -sTCP:LISTEN, or pick another host port" :
		    err == EACCES ? "Ports below 1024 need root; try 8080" : NULL);
	}
	freeaddrinfo(res);
	/* accept() must not block if a queued client vanishes first. */
	fcntl(listen_fd, F_SETFL, fcntl(listen_fd, F_GETFL) | O_NONBLOCK);
	return listen_fd;
}

/* Close both legs, say why, and forget the connection. */
static void
conn_close(struct forwarder *fw, size_t i, const char *why)
{
	struct conn *c = &fw->conns[i];

	if (why != NULL)
		printf("fd %s+%s: %s; %llu bytes client->target, %llu bytes target->client\n",
		    c->client_col, c->target_col[0] ? c->target_col : "-", why,
		    c->up.bytes, c->down.bytes);
	close(c->client_fd);
	if (c->target_fd != -1)
		close(c->target_fd);
	fw->bytes_up += c->up.bytes;
	fw->bytes_down += c->down.bytes;
	free(c->up.buf);
	free(c->down.buf);
	fw->conns[i] = fw->conns[--fw->nconns];
	fw->accepting = 1;	/* descriptors are free again */
}

/* Make room for one more connection (and its two poll slots). */
static int
conn_room(struct forwarder *fw)
{
	size_t want = fw->capacity ? fw->capacity * 2 : 16;
	struct conn *more;
	struct pollfd *pmore;

	if (fw->nconns < fw->capacity)
		return 0;
	if ((more = realloc(fw->conns, want * sizeof *more)) == NULL)
		return -1;
	fw->conns = more;
	if ((pmore = realloc(fw->pfds, (2 * want + 1) * sizeof *pmore)) == NULL)
		return -1;
	fw->pfds = pmore;
	fw->capacity = want;
	return 0;
}

/* Out of descriptors: say so once, and leave new clients in the kernel's queue. */
static void
out_of_descriptors(struct forwarder *fw, const char *call, int err)
{
	struct rlimit limit;

	getrlimit(RLIMIT_NOFILE, &limit);
	printf("%s: %s [%s]: this process may hold only %llu descriptors (ulimit -n), two "
	    "per connection. New clients wait in the kernel's queue until one leaves.\n",
	    call, strerror(err), msg_errno_name(err), (unsigned long long)limit.rlim_cur);
	fw->accepting = 0;
}

/* A client arrived: accept it, and start connecting to the target for it. */
static void
accept_client(struct forwarder *fw)
{
	struct sockaddr_storage peer, local;
	socklen_t peer_len = sizeof peer, local_len = sizeof local;
	char name[ADDR_PAIR_STRLEN];
	struct conn *c;
	int client_fd, target_fd, err;

	client_fd = accept(fw->listen_fd, (struct sockaddr *)&peer, &peer_len);
	if (client_fd == -1) {
		if (errno == EMFILE || errno == ENFILE)
			out_of_descriptors(fw, "accept", errno);
		return;
	}
	if (conn_room(fw) == -1) {
		close(client_fd);
		return;
	}
	c = &fw->conns[fw->nconns];
	memset(c, 0, sizeof *c);
	c->client_fd = client_fd;
	c->target_fd = -1;
	fcntl(client_fd, F_SETFL, fcntl(client_fd, F_GETFL) | O_NONBLOCK);
	getsockname(client_fd, (struct sockaddr *)&local, &local_len);
	fdtab_fd_column(client_fd, c->client_col, sizeof c->client_col);
	addr_format_pair((struct sockaddr *)&local, (struct sockaddr *)&peer, name, sizeof name);
	addr_format((struct sockaddr *)&peer, c->client_peer, sizeof c->client_peer);
	fw->nconns++;
	printf("client leg: accept(fd %d) -> fd %s  %s (ESTABLISHED)\n", fw->listen_fd,
	    c->client_col, name);

	/* Non-blocking, so one slow target never holds up the other connections. */
	target_fd = socket(fw->target->ai_family, SOCK_STREAM, 0);
	if (target_fd == -1) {
		err = errno;
		conn_close(fw, fw->nconns - 1, err == EMFILE || err == ENFILE ? "no descriptor "
		    "left for the target leg; closed the client" : strerror(err));
		if ((err == EMFILE || err == ENFILE) && fw->nconns > 0)
			out_of_descriptors(fw, "socket", err);
		return;
	}
	fcntl(target_fd, F_SETFL, fcntl(target_fd, F_GETFL) | O_NONBLOCK);
	c->target_fd = target_fd;
	c->connecting = 1;
	c->started = time(NULL);
	if (connect(target_fd, fw->target->ai_addr, fw->target->ai_addrlen) == -1 &&
	    errno != EINPROGRESS) {
		err = errno;
		c->connecting = 0;
		conn_close(fw, fw->nconns - 1, err == ECONNREFUSED ? "nothing listening "
		    "on the target: is the container's server running? Closed the client" :
		    strerror(err));
	}
}

/* The target's connect() finished: log the second leg, or why it failed. */
static int
target_ready(struct forwarder *fw, size_t i)
{
	struct conn *c = &fw->conns[i];
	struct sockaddr_storage local, remote;
	socklen_t len = sizeof(int), llen = sizeof local, rlen = sizeof remote;
	char name[ADDR_PAIR_STRLEN], ours[ADDR_STRLEN], why[160];
	int err = 0;

	getsockopt(c->target_fd, SOL_SOCKET, SO_ERROR, &err, &len);
	if (err != 0) {
		snprintf(why, sizeof why, "%s %s [%s]%s", err == ECONNREFUSED ?
		    "nothing listening on" : "cannot reach", fw->target_text,
		    msg_errno_name(err) ? msg_errno_name(err) : "?",
		    err == ECONNREFUSED ? ": is the container's server running? Closed the client" :
		    "; closed the client");
		conn_close(fw, i, why);
		return -1;
	}
	c->connecting = 0;
	fw->served++;	/* counted once both legs are up */
	getsockname(c->target_fd, (struct sockaddr *)&local, &llen);
	getpeername(c->target_fd, (struct sockaddr *)&remote, &rlen);
	fdtab_fd_column(c->target_fd, c->target_col, sizeof c->target_col);
	addr_format_pair((struct sockaddr *)&local, (struct sockaddr *)&remote, name, sizeof name);
	addr_format((struct sockaddr *)&local, ours, sizeof ours);
	printf("target leg: connect() -> fd %s  %s (ESTABLISHED)\n", c->target_col, name);
	printf("  the server behind the forward sees %s (us, from our own ephemeral "
	    "port), not the client's %s\n", ours, c->client_peer);
	return 0;
}

/*
 * Move bytes one way: read from `from` when our buffer is empty, write to
 * `to` what is buffered, and pass an end of data on with shutdown().
 * Returns -1 (with errno) if either socket failed.
 */
static int
pump(struct dir *d, int from, int to)
{
	ssize_t n;

	if (d->off == d->len && !d->eof) {
		if (d->buf == NULL && (d->buf = malloc(RELAY_BUF)) == NULL)
			return -1;
		n = read(from, d->buf, RELAY_BUF);
		if (n > 0) {
			d->len = (size_t)n;
			d->off = 0;
			d->bytes += (unsigned long long)n;
		} else if (n == 0)
			d->eof = 1;
		else if (errno != EAGAIN && errno != EINTR)
			return -1;
	}
	while (d->off < d->len) {
		n = write(to, d->buf + d->off, d->len - d->off);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return 0;	/* the other side is slow: poll tells us when */
		if (n == -1)
			return -1;
		d->off += (size_t)n;
	}
	if (d->eof && !d->shut) {
		shutdown(to, SHUT_WR);	/* half-close: "I will send no more" */
		d->shut = 1;
	}
	return 0;
}

/* Work on connection i after poll(); closes it when both ways are done. */
static void
service(struct forwarder *fw, size_t i, short crev, short trev)
{
	struct conn *c = &fw->conns[i];
	char why[128];

	if (c->connecting) {
		if (trev != 0)
			target_ready(fw, i);
		else if (time(NULL) - c->started >= CONNECT_TIMEOUT) {
			snprintf(why, sizeof why, "no answer from %s in %d seconds [ETIMEDOUT]; "
			    "closed the client", fw->target_text, CONNECT_TIMEOUT);
			conn_close(fw, i, why);
		}
		return;
	}
	if ((crev | trev) == 0)
		return;
	if (pump(&c->up, c->client_fd, c->target_fd) == -1 ||
	    pump(&c->down, c->target_fd, c->client_fd) == -1) {
		snprintf(why, sizeof why, "%s [%s]; closed both legs", errno == ECONNRESET ?
		    "a side reset the connection" : errno == EPIPE ? "a side went away" :
		    strerror(errno), msg_errno_name(errno) ? msg_errno_name(errno) : "?");
		conn_close(fw, i, why);
	} else if (c->up.shut && c->down.shut)
		conn_close(fw, i, "closed: both sides finished");
}

/* What each socket waits for: read when our buffer is empty, write when it is not. */
static void
set_events(const struct conn *c, struct pollfd *cp, struct pollfd *tp)
{
	cp->fd = c->client_fd;
	tp->fd = c->target_fd;
	cp->events = tp->events = 0;
	if (c->connecting) {
		tp->events = POLLOUT;	/* writable = connect() finished */
		cp->fd = -1;
		return;
	}
	if (c->up.off == c->up.len && !c->up.eof)
		cp->events |= POLLIN;
	if (c->up.off < c->up.len)
		tp->events |= POLLOUT;
	if (c->down.off == c->down.len && !c->down.eof)
		tp->events |= POLLIN;
	if (c->down.off < c->down.len)
		cp->events |= POLLOUT;
	/* Nothing to wait for: leave it out, or a hung-up socket would wake us forever. */
	if (cp->events == 0)
		cp->fd = -1;
	if (tp->events == 0)
		tp->fd = -1;
}

static void
relay(struct forwarder *fw, long hold)
{
	time_t end = time(NULL) + hold;
	size_t i, count;
	int n;

	while (!stop_signal && (hold < 0 || time(NULL) < end)) {
		fw->pfds[0].fd = fw->accepting ? fw->listen_fd : -1;
		fw->pfds[0].events = POLLIN;
		for (i = 0; i < fw->nconns; i++)
			set_events(&fw->conns[i], &fw->pfds[1 + 2 * i], &fw->pfds[2 + 2 * i]);
		count = fw->nconns;
		n = poll(fw->pfds, 1 + 2 * count, 1000);
		if (n == -1 && errno != EINTR)
			fail("poll", errno, NULL);
		if (n == -1)
			continue;
		for (i = count; i-- > 0;)	/* back to front: closing i never skips one */
			service(fw, i, fw->pfds[1 + 2 * i].revents, fw->pfds[2 + 2 * i].revents);
		if (fw->pfds[0].revents & POLLIN)
			accept_client(fw);
	}
}

int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "host", required_argument, NULL, 'H' },
		{ "hold", required_argument, NULL, 'T' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct forwarder fw = { .listen_fd = -1, .accepting = 1 };
	struct addrinfo hints;
	struct sockaddr_storage bound;
	socklen_t bound_len = sizeof bound;
	struct fwd_spec spec;
	struct sigaction sa;
	const char *host = NULL, *target;
	char why[160], where[ADDR_STRLEN], service_text[8];
	long hold = -1, pid = (long)getpid();
	int ch, rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (ch) {
		case 'H':
			host = optarg;
			break;
		case 'T':
			if (opt_parse_hold(optarg, &hold) == -1)
				errx(2, "bad --hold '%s': %s\n" USAGE, optarg, OPT_HOLD_HINT);
			break;
		case 'V':
			printf("forward (portlab) %s\n", PORTLAB_VERSION);
			return 0;
		case 'h':
			print_help();
			return 0;
		default:
			opt_error(ch, argc, argv, why, sizeof why);
			errx(2, "%s\n" USAGE, why);
		}
	}
	if (argc - optind != 1)
		errx(2, "give one spec, like 8080:80 (host port 8080 to target port 80)\n" USAGE);
	if (fwd_parse_spec(argv[optind], strlen(argv[optind]), &spec) == -1)
		errx(2, "bad spec '%.60s': %s\n" USAGE, argv[optind], spec.error);
	if (host == NULL)
		host = spec.host_ip[0] ? spec.host_ip : "127.0.0.1";
	target = spec.target_host[0] ? spec.target_host : "127.0.0.1";

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() must wake up */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a vanished client is an error code, not a death */

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(service_text, sizeof service_text, "%u", spec.target_port);
	if ((rc = getaddrinfo(target, service_text, &hints, &fw.target)) != 0)
		errx(1, "cannot find target host '%s': %s. Use an address like 127.0.0.1", target,
		    gai_strerror(rc));
	addr_format(fw.target->ai_addr, fw.target_text, sizeof fw.target_text);
	fw.listen_fd = open_listener(host, spec.host_port);
	getsockname(fw.listen_fd, (struct sockaddr *)&bound, &bound_len);
	addr_format((struct sockaddr *)&bound, where, sizeof where);
	if ((fw.pfds = calloc(1, sizeof *fw.pfds)) == NULL)
		fail("calloc", errno, NULL);

	printf("Forwarding %s -> %s as pid %ld.\n", where, fw.target_text, pid);
	printf("Like docker run -p %u:%u: clients connect to %s, and forward connects "
	    "to %s for each of them.\n", addr_port((struct sockaddr *)&bound),
	    spec.target_port, where, fw.target_text);
	printf("Try beside it:  lsof -nP -a -p %ld -iTCP     (both legs of every connection)\n", pid);
	printf("                lsof -nP -iTCP:%u            (the target's side)\n", spec.target_port);
	printf("Waiting for clients. Ctrl-C stops.\n");
	relay(&fw, hold);

	while (fw.nconns > 0)
		conn_close(&fw, fw.nconns - 1, "closed by us as we stop");
	printf("forward: stopped by %s. Forwarded %llu connection%s; %llu bytes client->target, "
	    "%llu bytes target->client.\n", stop_signal == SIGINT ? "Ctrl-C (SIGINT)" :
	    stop_signal == SIGTERM ? "SIGTERM" : "--hold", fw.served, fw.served == 1 ? "" : "s",
	    fw.bytes_up, fw.bytes_down);
	close(fw.listen_fd);
	freeaddrinfo(fw.target);
	free(fw.conns);
	free(fw.pfds);
	return 0;
}
