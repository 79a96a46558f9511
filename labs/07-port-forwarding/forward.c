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
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "fdtab.h"
#include "fwd.h"
#include "hint.h"
#include "i18n.h"
#include "mem.h"
#include "msg.h"
#include "opt.h"

#define USAGE "usage: forward [--host ADDR] [--hold SECONDS] [HOSTIP:]HOSTPORT:[TARGETHOST:]TARGETPORT"
#define BACKLOG SOMAXCONN	/* as many finished handshakes as the kernel will queue: a burst waits here */
#define READ_CHUNK (256 * 1024)	/* one read(): into a buffer every connection shares */
#define SMALL_CHUNK 4096		/* the read size once the budget below is spent */
#define PENDING_BUDGET (40 * 1024 * 1024)	/* unsent bytes all connections may hold */
#define CONNECT_TIMEOUT 5	/* seconds to wait for the target */
#define ACCEPT_BATCH 64		/* connections taken from the queue per poll() round */

/* Bytes flowing one way, read from one socket and written to the other. */
struct flow {
	char *pending;		/* read but not yet written: malloc'd only while there are some */
	size_t len, off;	/* pending[off..len) still has to be written */
	int eof;		/* the sender finished (read returned 0) */
	int shut;		/* we passed that on: shutdown(SHUT_WR) on the other side */
	unsigned long long bytes;
};

/* One forwarded connection: the client's leg and the target's leg. */
struct conn {
	int client_fd, target_fd;
	const struct addrinfo *target;	/* the target address being tried, or in use */
	int connecting;		/* the target's connect() is still under way */
	time_t started;
	struct flow up;		/* client -> target */
	struct flow down;	/* target -> client */
	char client_col[FDTAB_COLUMN_STRLEN], target_col[FDTAB_COLUMN_STRLEN];
	char client_peer[ADDR_STRLEN];
};

struct forwarder {
	int listen_fd, accepting;
	struct addrinfo *target;	/* every address TARGETHOST has, tried in turn */
	char target_text[ADDR_STRLEN + 8];	/* the first of them, as lsof writes it */
	size_t pending_total;		/* unsent bytes held by all flows together */
	struct conn *conns;
	size_t nconns, conn_room;
	struct pollfd *pfds;	/* [0] the listener, [1 + 2i] and [2 + 2i] connection i */
	size_t pfd_room;
	unsigned long long served, bytes_up, bytes_down;
};

static volatile sig_atomic_t stop_signal;

static int open_listener(const char *host, unsigned port, struct sockaddr_storage *bound);
static int accept_client(struct forwarder *fw);
static void connect_target(struct forwarder *fw, size_t i, const struct addrinfo *ai);
static void target_failed(struct forwarder *fw, size_t i, int err);
static int target_ready(struct forwarder *fw, size_t i);
static int pump(struct forwarder *fw, struct flow *f, int from, int to, int *failed);
static void conn_close(struct forwarder *fw, size_t i, const char *why);

static void relay(struct forwarder *fw, long hold);
static void conn_handle(struct forwarder *fw, size_t i, short client_revents, short target_revents);
static void set_events(const struct conn *c, struct pollfd *client_pfd, struct pollfd *target_pfd);
static struct conn *conn_add(struct forwarder *fw, int client_fd);
static void out_of_descriptors(struct forwarder *fw, const char *call, int err);
static void refuse_client(const struct forwarder *fw, int client_fd, const char *call, int err);
static void relay_failed(struct forwarder *fw, size_t i, int failed_fd, int err);
static ssize_t send_some(int fd, const char *data, size_t len);
static struct addrinfo *target_address(const char *target, unsigned port);
static void print_targets(const char *name, const struct addrinfo *res);
static void print_ready(const struct forwarder *fw, const struct sockaddr *bound, unsigned target_port);
static void stop_forwarding(struct forwarder *fw);
static void parse_args(int argc, char **argv, const char **host, long *hold, struct fwd_spec *spec);
static void print_help(void);
static void catch_signals(void);
static void on_signal(int sig);
static _Noreturn void fail(const char *what, int err, const char *hint);

int
main(int argc, char **argv)
{
	struct forwarder fw = { .listen_fd = -1, .accepting = 1 };
	struct sockaddr_storage bound;
	struct fwd_spec spec;
	const char *host = NULL;
	long hold = -1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_args(argc, argv, &host, &hold, &spec);
	if (host == NULL)
		host = spec.host_ip[0] ? spec.host_ip : "127.0.0.1";
	catch_signals();

	fw.target = target_address(spec.target_host[0] ? spec.target_host : "127.0.0.1",
	    spec.target_port);
	print_targets(spec.target_host, fw.target);
	addr_format(fw.target->ai_addr, fw.target_text, sizeof fw.target_text);
	fw.listen_fd = open_listener(host, spec.host_port, &bound);
	/* poll() slots: one for the listener; conn_add makes room for each connection. */
	if ((fw.pfds = mem_grow(NULL, 0, &fw.pfd_room, sizeof *fw.pfds)) == NULL)
		fail("malloc", errno, NULL);
	print_ready(&fw, (struct sockaddr *)&bound, spec.target_port);

	relay(&fw, hold);
	stop_forwarding(&fw);
	return 0;
}

/* The host side: socket, setsockopt, bind, listen, as any server does. */
static int
open_listener(const char *host, unsigned port, struct sockaddr_storage *bound)
{
	struct addrinfo hints, *res;
	socklen_t bound_len = sizeof *bound;
	char port_text[8], numeric[ADDR_STRLEN], what[96], hint[512];
	int listen_fd, one = 1, rc, err;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(port_text, sizeof port_text, "%u", port);
	if ((rc = getaddrinfo(host, port_text, &hints, &res)) != 0) {
		msg_escape(host, strlen(host), what, sizeof what);
		errx(2, _("bad host address '%s': %s\n%s"), what, gai_strerror(rc), USAGE);
	}
	addr_numeric_host(res->ai_addr, numeric, sizeof numeric);
	if (addr_is_wildcard(res->ai_addr))
		printf(_("WARNING: %s is every network interface: other machines on the "
		    "classroom network can reach the forward. Docker does the same with "
		    "-p 8080:80; -p 127.0.0.1:8080:80 keeps it on this machine.\n"), numeric);

	listen_fd = socket(res->ai_family, SOCK_STREAM, 0);
	if (listen_fd == -1)
		fail("socket", errno, _("The OS would not give us a socket"));
	/* Without this, a restarted forward waits out old TIME_WAIT connections. */
	if (setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1)
		fail("setsockopt SO_REUSEADDR", errno, NULL);
	if (bind(listen_fd, res->ai_addr, res->ai_addrlen) == -1) {
		err = errno;	/* hint_bind looks in /proc, which may change errno */
		snprintf(what, sizeof what, "bind %s port %u", numeric, port);
		fail(what, err, hint_bind(err, res->ai_addr, hint, sizeof hint));
	}
	freeaddrinfo(res);
	if (listen(listen_fd, BACKLOG) == -1)
		fail("listen", errno, NULL);
	if (getsockname(listen_fd, (struct sockaddr *)bound, &bound_len) == -1)
		fail("getsockname", errno, NULL);
	/* accept() must not block if a queued client vanishes first. */
	if (fdtab_set_nonblocking(listen_fd) == -1)
		fail("fcntl O_NONBLOCK", errno, NULL);
	return listen_fd;
}

/*
 * A client arrived: accept it (the first leg), then connect to the target
 * for it. Returns 1 if it took one, 0 when the queue is empty or no
 * descriptor is left.
 */
static int
accept_client(struct forwarder *fw)
{
	struct sockaddr_storage peer, local;
	socklen_t peer_len = sizeof peer, local_len = sizeof local;
	char name[ADDR_PAIR_STRLEN];
	struct conn *c;
	int client_fd;

	client_fd = accept(fw->listen_fd, (struct sockaddr *)&peer, &peer_len);
	if (client_fd == -1) {
		if (errno == EMFILE || errno == ENFILE)
			out_of_descriptors(fw, "accept", errno);
		return 0;
	}
	if (getsockname(client_fd, (struct sockaddr *)&local, &local_len) == -1) {
		refuse_client(fw, client_fd, "getsockname", errno);
		return 1;
	}
	if (fdtab_set_nonblocking(client_fd) == -1) {
		refuse_client(fw, client_fd, "fcntl O_NONBLOCK", errno);
		return 1;
	}
	if ((c = conn_add(fw, client_fd)) == NULL) {
		refuse_client(fw, client_fd, NULL, errno);
		return 1;
	}
	fdtab_fd_column(client_fd, c->client_col, sizeof c->client_col);
	addr_format_pair((struct sockaddr *)&local, (struct sockaddr *)&peer, name, sizeof name);
	addr_format((struct sockaddr *)&peer, c->client_peer, sizeof c->client_peer);
	printf("client leg: accept(fd %d) -> fd %s  %s (ESTABLISHED)\n", fw->listen_fd,
	    c->client_col, name);
	connect_target(fw, (size_t)(c - fw->conns), fw->target);
	return 1;
}

/*
 * The second leg: a socket of our own, connected to the target address ai.
 * The kernel picks its local port from the ephemeral range, as for any
 * client. The connect() is non-blocking, so one slow target never holds up
 * the other connections: it returns EINPROGRESS, and poll() says when the
 * handshake is done (target_ready).
 */
static void
connect_target(struct forwarder *fw, size_t i, const struct addrinfo *ai)
{
	struct conn *c = &fw->conns[i];
	int target_fd, err;

	c->target = ai;
	target_fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (target_fd == -1) {
		err = errno;
		conn_close(fw, i, err == EMFILE || err == ENFILE ? _("no descriptor "
		    "left for the target leg; closed the client") : msg_strerror(err));
		if (err == EMFILE || err == ENFILE)
			out_of_descriptors(fw, "socket", err);
		return;
	}
	c->target_fd = target_fd;
	if (fdtab_set_nonblocking(target_fd) == -1) {
		conn_close(fw, i, msg_strerror(errno));
		return;
	}
	c->connecting = 1;
	c->started = time(NULL);
	if (connect(target_fd, ai->ai_addr, ai->ai_addrlen) == -1 && errno != EINPROGRESS)
		target_failed(fw, i, errno);
}

/*
 * The target address being tried did not answer: try the next one
 * TARGETHOST has ("localhost" is often ::1 first, then 127.0.0.1), or give
 * up and close the client.
 */
static void
target_failed(struct forwarder *fw, size_t i, int err)
{
	struct conn *c = &fw->conns[i];
	const struct addrinfo *next = c->target->ai_next;
	char tried[ADDR_STRLEN], then[ADDR_STRLEN], why[512];
	const char *name = msg_errno_name(err) ? msg_errno_name(err) : "?";

	addr_format(c->target->ai_addr, tried, sizeof tried);
	close(c->target_fd);
	c->target_fd = -1;
	c->connecting = 0;
	if (next != NULL) {
		addr_format(next->ai_addr, then, sizeof then);
		if (err == ECONNREFUSED)
			printf(_("target leg: nothing listening on %s [%s]; trying the next "
			    "address, %s\n"), tried, name, then);
		else if (err == ETIMEDOUT)
			printf(_("target leg: no answer in %d seconds from %s [%s]; trying the "
			    "next address, %s\n"), CONNECT_TIMEOUT, tried, name, then);
		else
			printf(_("target leg: cannot reach %s [%s]; trying the next address, "
			    "%s\n"), tried, name, then);
		connect_target(fw, i, next);
		return;
	}
	if (err == ECONNREFUSED)
		snprintf(why, sizeof why, _("nothing listening on %s [%s]: is the container's "
		    "server running? Closed the client"), tried, name);
	else if (err == ETIMEDOUT)
		snprintf(why, sizeof why, _("no answer in %d seconds from %s [%s]; closed the "
		    "client"), CONNECT_TIMEOUT, tried, name);
	else
		snprintf(why, sizeof why, _("cannot reach %s [%s]; closed the client"), tried, name);
	conn_close(fw, i, why);
}

/* The target's connect() finished: log the second leg, or why it failed. */
static int
target_ready(struct forwarder *fw, size_t i)
{
	struct conn *c = &fw->conns[i];
	struct sockaddr_storage local, remote;
	socklen_t len = sizeof(int), local_len = sizeof local, remote_len = sizeof remote;
	char name[ADDR_PAIR_STRLEN], ours[ADDR_STRLEN];
	int err = 0;

	/* SO_ERROR holds the result of a non-blocking connect(). */
	if (getsockopt(c->target_fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	/* Our end (the ephemeral port the kernel chose) and the target's end. */
	if (err == 0 && getsockname(c->target_fd, (struct sockaddr *)&local, &local_len) == -1)
		err = errno;
	if (err == 0 && getpeername(c->target_fd, (struct sockaddr *)&remote, &remote_len) == -1)
		err = errno;
	if (err != 0) {
		target_failed(fw, i, err);
		return -1;
	}
	c->connecting = 0;
	fw->served++;	/* counted once both legs are up */
	fdtab_fd_column(c->target_fd, c->target_col, sizeof c->target_col);
	addr_format_pair((struct sockaddr *)&local, (struct sockaddr *)&remote, name, sizeof name);
	addr_format((struct sockaddr *)&local, ours, sizeof ours);
	printf("target leg: connect() -> fd %s  %s (ESTABLISHED)\n", c->target_col, name);
	printf(_("  the server behind the forward sees %s (us, from our own ephemeral "
	    "port), not the client's %s\n"), ours, c->client_peer);
	return 0;
}

/*
 * Move bytes one way, from `from` to `to`: read into one buffer that every
 * connection shares and write on at once. Only what `to` cannot take yet is
 * kept, in a buffer of its own that is freed as soon as it is sent, so idle
 * and flowing connections alike cost almost nothing. An end of data is
 * passed on with shutdown(). Returns 0, or -1 with errno set and *failed
 * the descriptor that failed.
 */
static int
pump(struct forwarder *fw, struct flow *f, int from, int to, int *failed)
{
	static char chunk[READ_CHUNK];
	ssize_t n, sent;

	if (f->pending == NULL && !f->eof) {
		/* Past the budget, read a little at a time: memory stays bounded. */
		n = read(from, chunk, fw->pending_total < PENDING_BUDGET ? sizeof chunk : SMALL_CHUNK);
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			return *failed = from, -1;
		if (n == 0)
			f->eof = 1;
		if (n > 0) {
			f->bytes += (unsigned long long)n;
			if ((sent = send_some(to, chunk, (size_t)n)) == -1)
				return *failed = to, -1;
			if (sent < n && (f->pending = malloc((size_t)(n - sent))) == NULL)
				return *failed = to, -1;
			if (sent < n) {
				memcpy(f->pending, chunk + sent, (size_t)(n - sent));
				f->off = 0;
				f->len = (size_t)(n - sent);
				fw->pending_total += f->len;
			}
		}
	} else if (f->pending != NULL) {
		if ((sent = send_some(to, f->pending + f->off, f->len - f->off)) == -1)
			return *failed = to, -1;
		f->off += (size_t)sent;
		if (f->off == f->len) {
			fw->pending_total -= f->len;
			free(f->pending);
			f->pending = NULL;
		}
	}
	if (f->eof && f->pending == NULL && !f->shut) {
		shutdown(to, SHUT_WR);	/* half-close: "I will send no more" */
		f->shut = 1;
	}
	return 0;
}

/* Close both legs, say why, and forget the connection. */
static void
conn_close(struct forwarder *fw, size_t i, const char *why)
{
	struct conn *c = &fw->conns[i];

	if (why != NULL)
		printf(_("fd %s+%s: %s; %llu bytes client->target, %llu bytes target->client\n"),
		    c->client_col, c->target_col[0] ? c->target_col : "-", why,
		    c->up.bytes, c->down.bytes);
	close(c->client_fd);
	if (c->target_fd != -1)
		close(c->target_fd);
	fw->bytes_up += c->up.bytes;
	fw->bytes_down += c->down.bytes;
	if (c->up.pending != NULL)
		fw->pending_total -= c->up.len;
	if (c->down.pending != NULL)
		fw->pending_total -= c->down.len;
	free(c->up.pending);
	free(c->down.pending);
	fw->conns[i] = fw->conns[--fw->nconns];
	fw->accepting = 1;	/* descriptors are free again */
}

/* ---- below: plumbing this lab does not teach: the poll loop, options, messages ---- */

/* One poll() over the listener and both legs of every connection. */
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
			conn_handle(fw, i, fw->pfds[1 + 2 * i].revents, fw->pfds[2 + 2 * i].revents);
		/* Take what the queue holds, a batch at a time, so a burst is served quickly. */
		for (i = 0; fw->pfds[0].revents & POLLIN && i < ACCEPT_BATCH; i++)
			if (!fw->accepting || !accept_client(fw))
				break;
	}
}

/* Work on connection i after poll(); closes it when both ways are done. */
static void
conn_handle(struct forwarder *fw, size_t i, short client_revents, short target_revents)
{
	struct conn *c = &fw->conns[i];
	int failed = -1;

	if (c->connecting) {
		if (target_revents != 0)
			target_ready(fw, i);
		else if (time(NULL) - c->started >= CONNECT_TIMEOUT)
			target_failed(fw, i, ETIMEDOUT);
		return;
	}
	if ((client_revents | target_revents) == 0)
		return;
	if (pump(fw, &c->up, c->client_fd, c->target_fd, &failed) == -1 ||
	    pump(fw, &c->down, c->target_fd, c->client_fd, &failed) == -1)
		relay_failed(fw, i, failed, errno);
	else if (c->up.shut && c->down.shut)
		conn_close(fw, i, _("closed: both sides finished"));
}

/*
 * One leg failed mid-stream (a reset, most often). Pass that on: reset the
 * other leg too, so its end learns the data may be cut short, instead of
 * seeing a normal close (FIN) and believing it got everything.
 */
static void
relay_failed(struct forwarder *fw, size_t i, int failed_fd, int err)
{
	struct conn *c = &fw->conns[i];
	struct linger reset = { 1, 0 };	/* on: close() sends RST, not FIN */
	int client_failed = failed_fd == c->client_fd;
	const char *name = msg_errno_name(err) ? msg_errno_name(err) : "?";
	char why[512];

	setsockopt(client_failed ? c->target_fd : c->client_fd, SOL_SOCKET, SO_LINGER,
	    &reset, sizeof reset);
	if (client_failed && err == EPIPE)
		snprintf(why, sizeof why, _("the client went away [%s]; reset the target's leg "
		    "too (SO_LINGER 0), so it knows the data may be cut short"), name);
	else if (client_failed && err == ECONNRESET)
		snprintf(why, sizeof why, _("the client reset the connection [%s]; reset the "
		    "target's leg too (SO_LINGER 0), so it knows the data may be cut short"), name);
	else if (client_failed)
		snprintf(why, sizeof why, _("the client failed: %s [%s]; reset the target's leg "
		    "too (SO_LINGER 0), so it knows the data may be cut short"), msg_strerror(err), name);
	else if (err == EPIPE)
		snprintf(why, sizeof why, _("the target went away [%s]; reset the client's leg "
		    "too (SO_LINGER 0), so it knows the data may be cut short"), name);
	else if (err == ECONNRESET)
		snprintf(why, sizeof why, _("the target reset the connection [%s]; reset the "
		    "client's leg too (SO_LINGER 0), so it knows the data may be cut short"), name);
	else
		snprintf(why, sizeof why, _("the target failed: %s [%s]; reset the client's leg "
		    "too (SO_LINGER 0), so it knows the data may be cut short"), msg_strerror(err), name);
	conn_close(fw, i, why);
}

/* What each socket waits for: read when our buffer is empty, write when it is not. */
static void
set_events(const struct conn *c, struct pollfd *client_pfd, struct pollfd *target_pfd)
{
	client_pfd->fd = c->client_fd;
	target_pfd->fd = c->target_fd;
	client_pfd->events = target_pfd->events = 0;
	if (c->connecting) {
		target_pfd->events = POLLOUT;	/* writable = connect() finished */
		client_pfd->fd = -1;
		return;
	}
	if (c->up.pending == NULL && !c->up.eof)
		client_pfd->events |= POLLIN;
	if (c->up.pending != NULL)
		target_pfd->events |= POLLOUT;
	if (c->down.pending == NULL && !c->down.eof)
		target_pfd->events |= POLLIN;
	if (c->down.pending != NULL)
		client_pfd->events |= POLLOUT;
	/* Nothing to wait for: leave it out, or a hung-up socket would wake us forever. */
	if (client_pfd->events == 0)
		client_pfd->fd = -1;
	if (target_pfd->events == 0)
		target_pfd->fd = -1;
}

/* A new connection for client_fd, with two poll slots; NULL with ENOMEM. */
static struct conn *
conn_add(struct forwarder *fw, int client_fd)
{
	struct conn *more;
	struct pollfd *pmore;

	if ((more = mem_grow(fw->conns, fw->nconns, &fw->conn_room, sizeof *more)) == NULL)
		return NULL;
	fw->conns = more;
	/* The listener's slot, two per connection, and two for this one. */
	if ((pmore = mem_grow(fw->pfds, 2 * fw->nconns + 2, &fw->pfd_room, sizeof *pmore)) == NULL)
		return NULL;
	fw->pfds = pmore;
	memset(&more[fw->nconns], 0, sizeof *more);
	more[fw->nconns].client_fd = client_fd;
	more[fw->nconns].target_fd = -1;
	return &more[fw->nconns++];
}

/*
 * Out of descriptors: say so, and leave new clients in the kernel's queue
 * until a connection ends. With none to end, no client could ever be
 * served: stop (exit 1). A system-wide shortage (ENFILE) is waited out.
 */
static void
out_of_descriptors(struct forwarder *fw, const char *call, int err)
{
	char line[MSG_LINE_MAX], hint[320];

	hint_fd_limit(err, 2, fw->nconns, hint, sizeof hint);
	if (err == EMFILE && fw->nconns == 0)
		fail(call, err, hint);
	msg_format(line, sizeof line, call, err, hint);
	printf("%s\n", line);
	if (fw->nconns > 0)
		fw->accepting = 0;
	else
		poll(NULL, 0, 1000);	/* ENFILE: look again in a second */
}

/*
 * A client we accepted but cannot serve: say which call failed (NULL: no
 * memory to keep the connection), and close it.
 */
static void
refuse_client(const struct forwarder *fw, int client_fd, const char *call, int err)
{
	const char *name = msg_errno_name(err) ? msg_errno_name(err) : "?";

	if (call == NULL)
		printf(_("client leg: accept(fd %d) -> fd %d, then make room for it: %s [%s]; "
		    "closed it\n"), fw->listen_fd, client_fd, msg_strerror(err), name);
	else
		printf(_("client leg: accept(fd %d) -> fd %d, then %s: %s [%s]; closed it\n"),
		    fw->listen_fd, client_fd, call, msg_strerror(err), name);
	close(client_fd);
}

/* write() what the socket takes now: returns the bytes written (maybe 0), or -1. */
static ssize_t
send_some(int fd, const char *data, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(fd, data + done, len - done);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;	/* the other side is slow: poll() tells us when */
		if (n == -1)
			return -1;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

/* Where the second leg goes: TARGETHOST and TARGETPORT as addresses. */
static struct addrinfo *
target_address(const char *target, unsigned port)
{
	struct addrinfo hints, *res;
	char port_text[8], shown[300];
	int rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port_text, sizeof port_text, "%u", port);
	if ((rc = getaddrinfo(target, port_text, &hints, &res)) != 0) {
		msg_escape(target, strlen(target), shown, sizeof shown);
		errx(1, _("cannot find target host '%s': %s. Use an address like 127.0.0.1"),
		    shown, gai_strerror(rc));
	}
	return res;
}

/* A TARGETHOST with more than one address: say that each is tried in turn. */
static void
print_targets(const char *name, const struct addrinfo *res)
{
	char shown[300], where[ADDR_STRLEN], *list;
	const struct addrinfo *ai;
	size_t used = 0, room = 1;

	if (res->ai_next == NULL)
		return;
	msg_escape(name, strlen(name), shown, sizeof shown);
	/* "[::1]:80, 127.0.0.1:80": the whole list, one sentence around it. */
	for (ai = res; ai != NULL; ai = ai->ai_next)
		room += ADDR_STRLEN + 2;
	if ((list = malloc(room)) == NULL)
		fail("malloc", errno, NULL);
	list[0] = '\0';
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		addr_format(ai->ai_addr, where, sizeof where);
		used += (size_t)snprintf(list + used, room - used, "%s%s", used ? ", " : "", where);
	}
	printf(_("Target %s has more than one address: %s. Each connection tries them in "
	    "that order.\n"), shown, list);
	free(list);
}

static void
print_ready(const struct forwarder *fw, const struct sockaddr *bound, unsigned target_port)
{
	char where[ADDR_STRLEN];
	long pid = (long)getpid();

	addr_format(bound, where, sizeof where);
	printf(_("Forwarding %s -> %s as pid %ld.\n"), where, fw->target_text, pid);
	printf(_("Like docker run -p %u:%u: clients connect to %s, and forward connects "
	    "to %s for each of them.\n"), addr_port(bound), target_port, where,
	    fw->target_text);
	printf(_("Try beside it:  lsof -nP -a -p %ld -iTCP     (both legs of every connection)\n"), pid);
	printf(_("                lsof -nP -iTCP:%u            (the target's side)\n"), target_port);
	printf("%s", _("Waiting for clients. Ctrl-C stops.\n"));
}

/* Close every connection and the listener, and print the one-line summary. */
static void
stop_forwarding(struct forwarder *fw)
{
	while (fw->nconns > 0)
		conn_close(fw, fw->nconns - 1, _("closed by us as we stop"));
	printf(fw->served == 1 ? _("forward: stopped by %s. Forwarded %llu connection; %llu "
	    "bytes client->target, %llu bytes target->client.\n") : _("forward: stopped by %s. "
	    "Forwarded %llu connections; %llu bytes client->target, %llu bytes "
	    "target->client.\n"), stop_signal == SIGINT ? "Ctrl-C (SIGINT)" :
	    stop_signal == SIGTERM ? "SIGTERM" : "--hold", fw->served, fw->bytes_up,
	    fw->bytes_down);
	close(fw->listen_fd);
	freeaddrinfo(fw->target);
	free(fw->conns);
	free(fw->pfds);
}

static void
parse_args(int argc, char **argv, const char **host, long *hold, struct fwd_spec *spec)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "host", required_argument, NULL, 'H' },
		{ "hold", required_argument, NULL, 'T' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char why[320];
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (ch) {
		case 'H':
			*host = optarg;
			break;
		case 'T':
			if (opt_parse_hold(optarg, hold) == -1)
				/* OPT_HOLD_HINT's words, written out so they can be translated. */
				errx(2, _("bad --hold '%s': give whole seconds from 0 to 86400, "
				    "like --hold 30\n%s"), opt_shown(optarg), USAGE);
			break;
		case 'V':
			printf("forward (portlab) %s\n", PORTLAB_VERSION);
			exit(0);
		case 'h':
			print_help();
			exit(0);
		default:
			opt_error(ch, argc, argv, why, sizeof why);
			errx(2, "%s\n" USAGE, why);
		}
	}
	if (argc - optind != 1)
		errx(2, _("give one spec, like 8080:80 (host port 8080 to target port 80)\n%s"),
		    USAGE);
	/* The reason quotes the spec's bytes escaped, as opt_shown does. */
	if (fwd_parse_spec(argv[optind], strlen(argv[optind]), spec) == -1)
		errx(2, _("bad spec '%s': %s\n%s"), opt_shown(argv[optind]), spec->error, USAGE);
}

static void
print_help(void)
{
	printf("%s\n%s", USAGE, _("Listen on HOSTPORT and pass every connection on to TARGETPORT, the way\n"
	    "docker run -p 8080:80 does, logging both legs of each as lsof shows them.\n"
	    "\n"
	    "  --host ADDR       address to listen on (default 127.0.0.1)\n"
	    "  --hold SECONDS    stop by itself after SECONDS (default: until Ctrl-C)\n"
	    "  -h, --help        show this help\n"
	    "  --version         show the version\n"
	    "\n"
	    "Example:        bin/forward 8080:8081     (with bin/listen 8081 as the \"container\")\n"
	    "Try beside it:  lsof -nP -a -p PID -iTCP  (forward prints its PID)\n"));
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

/* A runtime failure: "forward: WHAT: REASON [ERRNO]. HINT", exit 1. */
static _Noreturn void
fail(const char *what, int err, const char *hint)
{
	char line[MSG_LINE_MAX];

	msg_format(line, sizeof line, what, err, hint);
	errx(1, "%s", line);
}
