/*
 * cors-lab - CORS: how a server lets a page from another origin read its
 * answers, watched from a real browser.
 *
 * A page's script may send requests anywhere, but the browser lets it read
 * an answer from another origin only if that answer says so with
 * Access-Control-Allow-Origin. Requests that are not "simple" (a PUT, a JSON
 * body) are first asked about with an OPTIONS preflight; requests with
 * cookies also need Access-Control-Allow-Credentials: true, and then "*"
 * is not enough. This program is both servers: a page origin whose script
 * calls an API origin, and that API, whose CORS answer you switch live.
 *
 * Lessons in the other files: cookie.c, a real login cookie (POST
 * /api/login, then /api/private: 401 without it, 200 with it) and why the
 * browser sends it by site, not by origin; switches.c, test-cors.org's
 * switches (Expose-Headers, a narrow preflight, Max-Age, an error status);
 * page.c, the page itself.
 *
 * Usage:          cors-lab [--mode off|star|allow|echo] [--credentials] [--allow ORIGIN]...
 *                          [--page-port N] [--api-port N] [--hold SECONDS]
 * Try beside it:  lsof -nP -a -p PID -iTCP     (two listeners: two origins)
 *                 curl -si -H 'Origin: http://localhost:3000' http://localhost:5173/api/data
 * See also:       labs/08-same-origin (origin): what counts as the same origin.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "fdtab.h"
#include "hint.h"
#include "http.h"
#include "i18n.h"
#include "mem.h"
#include "msg.h"
#include "opt.h"
#include "port.h"
#include "url.h"

#include "cors-lab.h"

#define USAGE "usage: cors-lab [--mode off|star|allow|echo] [--credentials] [--allow ORIGIN]...\n" \
	"                [--page-port N] [--api-port N] [--hold SECONDS]"
#define BACKLOG SOMAXCONN	/* as many finished handshakes as the kernel will queue: a burst waits here */
#define TIMEOUT 10		/* seconds a connection may idle, or take to send its head */
#define LINGER 2		/* seconds to read and drop what a client still sends after our last answer */
#define ACCEPT_BATCH 64		/* connections taken from a queue per poll() round */

static const char *const mode_names[] = { "off", "star", "allow", "echo" };
/* Who changed the mode or the credentials: the log says. */
enum changed_by { BY_PAGE, BY_KEY, BY_SIGNAL };

static volatile sig_atomic_t stop_signal, cycle_signal;
static struct termios saved_tty;
static int tty_raw;

static int open_listener(unsigned port, unsigned *bound_port);
static void serve_api(struct lab *lab, struct client *c);
static struct cors_answer cors_answer(const struct lab *lab, const char *origin, size_t origin_len);
static const char *verdict(const struct cors_answer *a, int cross, int credentialed,
    const char *origin, size_t origin_len);
static void log_api(struct lab *lab, const struct client *c, int status,
    const struct cors_answer *a, const char *refused);
static void serve_page(struct lab *lab, struct client *c);
static void page_control(struct lab *lab, struct client *c, int *status);
static const char *control_refused(const struct lab *lab, const struct client *c, int *status);

static void serve(struct lab *lab);
static void serve_clients(struct lab *lab, size_t count, int polled);
static int accept_from(struct lab *lab, int listen_fd, int api);
static void out_of_descriptors(struct lab *lab, int err);
static void drop(struct lab *lab, size_t i);
static void handle(struct lab *lab, struct client *c);
static void process(struct lab *lab, struct client *c);
static int client_read(struct lab *lab, struct client *c);
static int client_write(struct lab *lab, struct client *c);
static void set_mode(struct lab *lab, enum mode mode, enum changed_by how);
static void print_credentials(const struct lab *lab, enum changed_by how);
static int mode_by_name(const char *name, size_t len);
static void read_key(struct lab *lab);
static void terminal_keys(void);
static void print_ready(const struct lab *lab);
static void parse_args(int argc, char **argv, struct lab *lab);
static unsigned port_option(const char *name, const char *text);
static void origin_text(char *buf, size_t size, const char *host, unsigned port);
static void print_help(void);
static void catch_signals(void);
static void on_signal(int sig);
static _Noreturn void fail(const char *what, int err, const char *hint);
static _Noreturn void usage_error(const char *fmt, ...);

int
main(int argc, char **argv)
{
	struct lab lab = { .mode = MODE_ALLOW, .page_port = 3000, .api_port = 5173, .hold = -1,
	    .last_cookie = -1, .accepting = 1 };

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_args(argc, argv, &lab);
	catch_signals();

	/* Two origins: two listening sockets, on two ports of 127.0.0.1. */
	lab.page_fd = open_listener(lab.page_port, &lab.page_port);
	lab.api_fd = open_listener(lab.api_port, &lab.api_port);
	origin_text(lab.api_origin, sizeof lab.api_origin, "localhost", lab.api_port);
	origin_text(lab.page_origin, sizeof lab.page_origin, "localhost", lab.page_port);
	origin_text(lab.other_origin, sizeof lab.other_origin, "127.0.0.1", lab.page_port);
	/* The page origin is always on the allow-list, after --allow's. */
	snprintf(lab.allow[lab.nallow++], ORIGIN_MAX, "%s", lab.page_origin);
	if (build_page(&lab, 0) == -1 || build_page(&lab, 1) == -1)
		fail(_("build the page"), errno, NULL);
	/* poll() slots: the two listeners and the terminal; accept_from adds the clients'. */
	if ((lab.pfds = mem_grow(NULL, 2, &lab.pfd_room, sizeof *lab.pfds)) == NULL)
		fail("malloc", errno, NULL);

	print_ready(&lab);
	serve(&lab);
	if (tty_raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
	while (lab.nclients > 0)
		drop(&lab, lab.nclients - 1);
	printf("%s", _("cors-lab: stopped.\n"));
	free(lab.clients);
	free(lab.pfds);
	return 0;
}

/* A listening socket on 127.0.0.1:port (0: the OS chooses); *bound_port is the port it got. */
static int
open_listener(unsigned port, unsigned *bound_port)
{
	struct sockaddr_in addr;
	socklen_t len = sizeof addr;
	char what[64], hint[512];
	int listen_fd, one = 1, err;

	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);	/* this machine only */
	addr.sin_port = htons((unsigned short)port);

	listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	if (listen_fd == -1)
		fail("socket", errno, _("The OS would not give us a socket"));
	/* Without this, a restarted lab waits out old TIME_WAIT connections. */
	if (setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1)
		fail("setsockopt SO_REUSEADDR", errno, NULL);
	if (bind(listen_fd, (struct sockaddr *)&addr, sizeof addr) == -1) {
		err = errno;	/* hint_bind looks in /proc, which may change errno */
		snprintf(what, sizeof what, "bind 127.0.0.1 port %u", port);
		fail(what, err, hint_bind(err, (struct sockaddr *)&addr, hint, sizeof hint));
	}
	if (listen(listen_fd, BACKLOG) == -1)
		fail("listen", errno, NULL);
	if (getsockname(listen_fd, (struct sockaddr *)&addr, &len) == -1)
		fail("getsockname", errno, NULL);
	/* accept() must not block if a queued client vanishes first. */
	if (fdtab_set_nonblocking(listen_fd) == -1)
		fail("fcntl O_NONBLOCK", errno, NULL);
	*bound_port = ntohs(addr.sin_port);
	return listen_fd;
}

/*
 * One request to the API origin: route it, add the CORS headers, log the
 * verdict. /api/data answers anyone; /api/private only a browser that sends
 * the session cookie POST /api/login gave it (cookie.c).
 */
static void
serve_api(struct lab *lab, struct client *c)
{
	const struct http_request *r = &c->in.req;
	int private = strcmp(r->path, "/api/private") == 0, login = strcmp(r->path, "/api/login") == 0;
	int read_only = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
	const char *origin, *body = NULL, *refused = NULL;
	char extra[2048], why[256];
	struct cors_answer a;
	size_t origin_len;
	int status;

	origin = http_header(r, "origin", &origin_len);
	a = cors_answer(lab, origin, origin_len);
	snprintf(extra, sizeof extra, "%s", a.headers);
	if (!private && !login && strcmp(r->path, "/api/data") != 0) {
		status = 404;
		body = "{\"error\":\"no such path\"}\n";
	} else if (strcmp(r->method, "OPTIONS") == 0) {
		/* The preflight's answer: which methods and headers the real request may use. */
		status = 204;
		switch_preflight_headers(r, extra + strlen(extra), sizeof extra - strlen(extra));
		refused = switch_preflight_refused(r, why, sizeof why);
	} else if (login && strcmp(r->method, "POST") == 0) {
		status = cookie_login(lab, r, extra + strlen(extra), sizeof extra - strlen(extra));
		body = status == 200 ? "{\"login\":\"ok\"}\n" : "{\"error\":\"samesite is lax, strict or none\"}\n";
	} else if (private && read_only) {
		status = cookie_private(lab, r) ? 200 : 401;
		body = status == 200 ? "{\"secret\":\"your account page\",\"needs\":\"credentials\"}\n" :
		    "{\"error\":\"log in first: POST /api/login\"}\n";
	} else if (!private && !login && (read_only || strcmp(r->method, "PUT") == 0 ||
	    strcmp(r->method, "POST") == 0)) {
		status = switch_answer(r, extra + strlen(extra), sizeof extra - strlen(extra));
		body = status == 200 ? "{\"message\":\"hello from the API\"}\n" :
		    "{\"error\":\"the status switch asked for this\"}\n";
	} else {
		status = 405;
		snprintf(extra + strlen(extra), sizeof extra - strlen(extra), "Allow: %s\r\n",
		    login ? "POST, OPTIONS" : private ? "GET, HEAD, OPTIONS" : "GET, HEAD, PUT, POST, OPTIONS");
		body = "{\"error\":\"method not allowed\"}\n";
	}
	respond(c, status, "application/json", body, extra);
	log_api(lab, c, status, &a, refused);
}

/*
 * The API's CORS headers for a request from origin (NULL: none), by the
 * current mode. Only a checked origin is ever copied into a header.
 */
static struct cors_answer
cors_answer(const struct lab *lab, const char *origin, size_t origin_len)
{
	struct cors_answer a = { 0 };
	int i, listed = 0, valid = origin != NULL && url_is_origin_text(origin, origin_len);
	size_t used;

	for (i = 0; valid && i < lab->nallow; i++)
		listed |= strlen(lab->allow[i]) == origin_len &&
		    memcmp(lab->allow[i], origin, origin_len) == 0;
	if (lab->mode == MODE_STAR) {
		a.allow = 1;
		snprintf(a.allow_origin, sizeof a.allow_origin, "*");
	} else if ((lab->mode == MODE_ALLOW && listed) || (lab->mode == MODE_ECHO && valid)) {
		a.allow = 1;
		snprintf(a.allow_origin, sizeof a.allow_origin, "%.*s", (int)origin_len, origin);
	}
	a.allow_credentials = a.allow && lab->credentials;
	/* The answer depends on who asks: caches must keep one per Origin. */
	a.vary = lab->mode == MODE_ALLOW || lab->mode == MODE_ECHO;
	if (a.allow)
		snprintf(a.headers, sizeof a.headers, "Access-Control-Allow-Origin: %s\r\n%s",
		    a.allow_origin, a.allow_credentials ?
		    "Access-Control-Allow-Credentials: true\r\n" : "");
	used = strlen(a.headers);
	if (a.vary)
		snprintf(a.headers + used, sizeof a.headers - used, "Vary: Origin\r\n");
	return a;
}

/* The verdict the browser will reach on this answer, in its own terms. */
static const char *
verdict(const struct cors_answer *a, int cross, int credentialed, const char *origin,
    size_t origin_len)
{
	if (!cross)
		return _("same-origin: no CORS check");
	if (!a->allow)
		return _("blocked: no Access-Control-Allow-Origin header");
	if (strcmp(a->allow_origin, "*") == 0 && credentialed)
		return _("blocked: '*' not allowed with credentials");
	if (strcmp(a->allow_origin, "*") != 0 && (strlen(a->allow_origin) != origin_len ||
	    memcmp(a->allow_origin, origin, origin_len) != 0))
		return _("blocked: Access-Control-Allow-Origin does not match the Origin");
	if (credentialed && !a->allow_credentials)
		return _("blocked: credentials need Access-Control-Allow-Credentials: true");
	return _("allowed");
}

/*
 * The API's log line: the request, its Origin, what we answered, and the
 * browser's verdict; refused, if not NULL, is why a preflight fails though
 * its origin is allowed. Then the cookie's and the switches' lines.
 */
static void
log_api(struct lab *lab, const struct client *c, int status, const struct cors_answer *a,
    const char *refused)
{
	const struct http_request *r = &c->in.req;
	size_t origin_len;
	const char *origin = http_header(r, "origin", &origin_len);
	int options = strcmp(r->method, "OPTIONS") == 0;
	int credentialed = cookie_credentialed(r);
	int cross = origin != NULL && !(origin_len == strlen(lab->api_origin) &&
	    memcmp(origin, lab->api_origin, origin_len) == 0);
	char shown[128], path[64], allowed[ORIGIN_MAX + 8], judged[256];
	const char *v = verdict(a, cross, credentialed, origin, origin_len);
	int readable = strcmp(v, _("allowed")) == 0;

	/* Origin and path are bytes from the network: escaped before they reach the terminal. */
	msg_escape(origin ? origin : "-", origin ? origin_len : 1, shown, sizeof shown);
	msg_escape(r->path, strlen(r->path), path, sizeof path);
	snprintf(allowed, sizeof allowed, "%s%s", a->allow ? "ACAO: " : "no ACAO", a->allow_origin);
	if (options && refused != NULL && readable)
		snprintf(judged, sizeof judged, _("preflight blocked: %s"), refused);
	else if (options)
		snprintf(judged, sizeof judged, _("preflight %s"), v);
	else
		snprintf(judged, sizeof judged, "%s", v);
	/* The request and the answer's headers as sent; after "=>", the verdict in words. */
	printf("API  %-7s %-13s Origin: %-28s -> %d  %s%s%s  => %s%s\n", r->method, path,
	    shown, status, allowed, a->allow_credentials ? ", ACAC: true" : "",
	    a->vary ? ", Vary: Origin" : "", judged,
	    lab->mode == MODE_ECHO && a->allow ? _("  (UNSAFE: echo lets any site read the API)") : "");
	if (strcmp(r->path, "/api/private") == 0 || strcmp(r->path, "/api/login") == 0)
		cookie_log(lab, r, status);
	else if (strcmp(r->path, "/api/data") == 0)
		switch_log(lab, r, status, cross, readable || !cross);
}

/* The page origin: the page, its state, and the buttons' control endpoints. */
static void
serve_page(struct lab *lab, struct client *c)
{
	const struct http_request *r = &c->in.req;
	int read_only = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
	int control = strcmp(r->path, "/mode") == 0 || strcmp(r->path, "/credentials") == 0;
	const char *why = NULL, *note = cookie_page_note(r);
	char state[160], path[64];
	int status = 200, japanese;

	snprintf(state, sizeof state, "{\"mode\":\"%s\",\"credentials\":%s,\"api\":\"%s\"}\n",
	    mode_names[lab->mode], lab->credentials ? "true" : "false", lab->api_origin);
	if (strcmp(r->path, "/") == 0 && read_only) {
		japanese = page_japanese(r);
		respond(c, 200, "text/html; charset=utf-8", lab->page[japanese], japanese ?
		    "Content-Language: ja\r\nVary: Accept-Language\r\n" :
		    "Content-Language: en\r\nVary: Accept-Language\r\n");
	} else if (strcmp(r->path, "/state") == 0 && read_only)
		respond(c, 200, "application/json", state, "");
	else if (strcmp(r->path, "/last") == 0 && read_only) {
		/* What the API saw last: the page may not read the API's answer, but its own origin's. */
		cookie_last_json(lab, state, sizeof state);
		respond(c, 200, "application/json", state, "");
	} else if (control && strcmp(r->method, "POST") != 0)
		respond(c, status = 405, "application/json", "{\"error\":\"use POST\"}\n", "Allow: POST\r\n");
	else if (control && (why = control_refused(lab, c, &status)) != NULL)
		respond(c, status, "application/json", status == 403 ?
		    "{\"error\":\"only this lab's own page may change it\"}\n" :
		    "{\"error\":\"send Content-Type: application/json\"}\n", "");
	else if (control)
		page_control(lab, c, &status);
	else
		respond(c, status = 404, "text/plain; charset=utf-8", "not found\n", "");
	msg_escape(r->path, strlen(r->path), path, sizeof path);	/* bytes from the network */
	if (why == NULL)
		why = note;	/* the API's cookie, sent here too: cookies ignore ports */
	printf("PAGE %-7s %-13.13s -> %d%s%s\n", r->method, path, status, why ? "  " : "", why ? why : "");
}

/*
 * Whether a POST to /mode or /credentials must be refused, and why (NULL:
 * it may go on). Any page on any site can make a browser send a "simple"
 * POST here, with no preflight: CORS only decides whether that page may
 * read the answer. So only requests whose Origin is this lab's own page
 * count, and only with Content-Type: application/json, which is not simple:
 * a browser must ask first (a preflight), and this origin never says yes.
 */
static const char *
control_refused(const struct lab *lab, const struct client *c, int *status)
{
	size_t len, i, origins = 0;
	const char *v = http_header(&c->in.req, "origin", &len);

	for (i = 0; i < c->in.req.nheaders; i++)
		origins += c->in.req.headers[i].name_len == 6 &&
		    strncasecmp(c->in.req.headers[i].name, "origin", 6) == 0;
	*status = 403;
	if (v == NULL)
		return _("refused: no Origin header, so not this lab's page (a CSRF guard)");
	if (origins > 1)
		return _("refused: more than one Origin header, which no browser sends");
	if (!(len == strlen(lab->page_origin) && memcmp(v, lab->page_origin, len) == 0) &&
	    !(len == strlen(lab->other_origin) && memcmp(v, lab->other_origin, len) == 0))
		return _("refused: the Origin is another site; CORS would not stop it sending this (CSRF)");
	v = http_header(&c->in.req, "content-type", &len);
	*status = 415;
	if (v == NULL || len < 16 || strncmp(v, "application/json", 16) != 0 ||
	    (len > 16 && v[16] != ';' && v[16] != ' '))
		return _("refused: not Content-Type: application/json (a simple request needs no preflight)");
	*status = 200;
	return NULL;
}

/* The body of a control POST, trimmed: a JSON string or true/false. 1 if it equals want. */
static int
body_is(const struct client *c, const char *want)
{
	size_t start = 0, end = c->in.body_len;

	while (start < end && (c->in.body[start] == ' ' || c->in.body[start] == '\n'))
		start++;
	while (end > start && (c->in.body[end - 1] == ' ' || c->in.body[end - 1] == '\n'))
		end--;
	return c->in.body_len < sizeof c->in.body && end - start == strlen(want) &&
	    memcmp(c->in.body + start, want, end - start) == 0;
}

/* POST /mode ("off", "star", "allow" or "echo") and /credentials (true or false), as JSON. */
static void
page_control(struct lab *lab, struct client *c, int *status)
{
	static const char *const quoted[] = { "\"off\"", "\"star\"", "\"allow\"", "\"echo\"" };
	char state[96];
	int m;

	if (strcmp(c->in.req.path, "/mode") == 0) {
		for (m = 0; m < 4 && !body_is(c, quoted[m]); m++)
			;
		if (m == 4) {
			respond(c, *status = 400, "application/json",
			    "{\"error\":\"send \\\"off\\\", \\\"star\\\", \\\"allow\\\" or \\\"echo\\\"\"}\n", "");
			return;
		}
		set_mode(lab, (enum mode)m, BY_PAGE);
	} else if (body_is(c, "true") || body_is(c, "false")) {
		lab->credentials = body_is(c, "true");
		print_credentials(lab, BY_PAGE);
	} else {
		respond(c, *status = 400, "application/json", "{\"error\":\"send true or false\"}\n", "");
		return;
	}
	snprintf(state, sizeof state, "{\"mode\":\"%s\",\"credentials\":%s}\n",
	    mode_names[lab->mode], lab->credentials ? "true" : "false");
	respond(c, 200, "application/json", state, "");
}


/* ---- below: plumbing this lab does not teach: the poll loop, HTTP framing, keys, options, languages ---- */

/* One poll() over both listeners, the terminal and every connection. */
static void
serve(struct lab *lab)
{
	time_t end = time(NULL) + lab->hold;
	size_t i, count;
	int n;

	while (!stop_signal && (lab->hold < 0 || time(NULL) < end)) {
		if (cycle_signal) {
			cycle_signal = 0;
			set_mode(lab, (enum mode)((lab->mode + 1) % 4), BY_SIGNAL);
		}
		lab->pfds[0] = (struct pollfd){ .fd = lab->accepting ? lab->page_fd : -1, .events = POLLIN };
		lab->pfds[1] = (struct pollfd){ .fd = lab->accepting ? lab->api_fd : -1, .events = POLLIN };
		lab->pfds[2] = (struct pollfd){ .fd = tty_raw ? STDIN_FILENO : -1, .events = POLLIN };
		for (i = 0; i < lab->nclients; i++) {
			lab->pfds[3 + i].fd = lab->clients[i].fd;
			/* Answer before reading more: one request at a time per connection. */
			lab->pfds[3 + i].events = lab->clients[i].out_len ? POLLOUT : POLLIN;
		}
		count = lab->nclients;
		n = poll(lab->pfds, 3 + count, 1000);
		if (n == -1 && errno != EINTR)
			fail("poll", errno, NULL);
		serve_clients(lab, count, n >= 0);
		/* Take what each queue holds, a batch at a time. */
		for (i = 0; n > 0 && lab->pfds[0].revents & POLLIN && i < ACCEPT_BATCH; i++)
			if (!lab->accepting || !accept_from(lab, lab->page_fd, 0))
				break;
		for (i = 0; n > 0 && lab->pfds[1].revents & POLLIN && i < ACCEPT_BATCH; i++)
			if (!lab->accepting || !accept_from(lab, lab->api_fd, 1))
				break;
		if (n > 0 && lab->pfds[2].revents & POLLIN)
			read_key(lab);
	}
}

/* After poll(): read, answer or time out each of the first count clients. */
static void
serve_clients(struct lab *lab, size_t count, int polled)
{
	time_t now = time(NULL);
	size_t i;

	for (i = count; polled && i-- > 0;) {
		struct client *c = &lab->clients[i];
		short rev = lab->pfds[3 + i].revents;

		/* Idle, or trickling its request in: a slow client must not hold a slot. */
		if ((c->closing && now - c->closing >= LINGER) ||
		    (rev == 0 && now - c->since >= TIMEOUT) ||
		    (!c->out_len && !c->closing && http_stream_late(&c->in, (long)now, TIMEOUT)) ||
		    (rev & (POLLIN | POLLHUP | POLLERR) && !c->out_len && client_read(lab, c) == -1) ||
		    (c->out_len && client_write(lab, c) == -1))
			drop(lab, i);
	}
}

/*
 * A client arrived on the page's port or the API's: take it, or leave it
 * queued. Returns 1 if it took one, 0 when the queue is empty or no
 * descriptor is left.
 */
static int
accept_from(struct lab *lab, int listen_fd, int api)
{
	struct client *more, *c;
	struct pollfd *pmore;
	int fd;

	if ((fd = accept(listen_fd, NULL, NULL)) == -1) {
		if (errno == EMFILE || errno == ENFILE)
			out_of_descriptors(lab, errno);
		return 0;
	}
	if (fdtab_set_nonblocking(fd) == -1 ||
	    (more = mem_grow(lab->clients, lab->nclients, &lab->client_room, sizeof *more)) == NULL) {
		close(fd);
		return 1;
	}
	lab->clients = more;
	/* The two listeners' and the terminal's slots, and one per client. */
	if ((pmore = mem_grow(lab->pfds, lab->nclients + 3, &lab->pfd_room, sizeof *pmore)) == NULL) {
		close(fd);
		return 1;
	}
	lab->pfds = pmore;
	c = &lab->clients[lab->nclients++];
	memset(c, 0, sizeof *c);
	c->fd = fd;
	c->api = api;
	http_stream_init(&c->in);
	c->since = time(NULL);
	return 1;
}

/*
 * Out of descriptors: say so, and leave new clients in the kernel's queue
 * until a client leaves. With none to leave, no client could ever be
 * served: stop (exit 1). A system-wide shortage (ENFILE) is waited out.
 */
static void
out_of_descriptors(struct lab *lab, int err)
{
	char line[MSG_LINE_MAX], hint[320];

	hint_fd_limit(err, 1, lab->nclients, hint, sizeof hint);
	if (err == EMFILE && lab->nclients == 0)
		fail("accept", err, hint);
	msg_format(line, sizeof line, "accept", err, hint);
	printf("%s\n", line);
	if (lab->nclients > 0)
		lab->accepting = 0;
	else
		poll(NULL, 0, 1000);	/* ENFILE: look again in a second */
}

static void
drop(struct lab *lab, size_t i)
{
	close(lab->clients[i].fd);
	free(lab->clients[i].out);
	lab->clients[i] = lab->clients[--lab->nclients];
	lab->accepting = 1;	/* a descriptor is free again */
}

/* A request is complete (head and body): answer it. What follows waits in the stream. */
static void
handle(struct lab *lab, struct client *c)
{
	c->close_after = !c->in.req.keep_alive;
	c->head_only = strcmp(c->in.req.method, "HEAD") == 0;
	if (c->api)
		serve_api(lab, c);
	else
		serve_page(lab, c);
}

/* Answer what the stream holds, once the last answer has gone: a request, or a bad one. */
static void
process(struct lab *lab, struct client *c)
{
	int status = c->in.status;

	if (c->out_len > 0)
		return;
	if (c->in.state == HTTP_STREAM_READY)
		handle(lab, c);
	else if (c->in.state == HTTP_STREAM_FAILED) {
		/* Its end is unknown (a bad head, two Content-Lengths): answer, then close. */
		c->close_after = 1;
		c->head_only = 0;
		respond(c, status, "text/plain; charset=utf-8", http_reason(status), "");
		printf(_("%s bad request -> %d %s (closed)\n"), c->api ? "API " : "PAGE",
		    status, http_reason(status));
	}
}

/* Bytes arrived for client c. Returns -1 if it should be closed now. */
static int
client_read(struct lab *lab, struct client *c)
{
	size_t room;
	char *at = http_stream_room(&c->in, &room), dropped[16384];
	ssize_t n;

	if (c->closing) {
		/* After the last answer: drop what it still sends, until it closes. */
		n = read(c->fd, dropped, sizeof dropped);
		return n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR) ? -1 : 0;
	}
	if (room == 0)
		return 0;	/* a request waits for its answer: read more after */
	n = read(c->fd, at, room);
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
		return -1;
	if (n < 0)
		return 0;
	c->since = time(NULL);
	http_stream_received(&c->in, (size_t)n, (long)c->since);
	process(lab, c);
	return 0;
}

/* Send what is queued for client c. Returns -1 if it should be closed now. */
static int
client_write(struct lab *lab, struct client *c)
{
	ssize_t n;

	while (c->out_off < c->out_len) {
		n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n == -1)
			return -1;
		c->out_off += (size_t)n;
	}
	c->out_len = c->out_off = 0;
	c->since = time(NULL);
	/*
	 * "Connection: close": end our side, but read on for a moment (RFC 9112
	 * 9.6). Closed with its request's unread bytes (the rest of a body too
	 * large, say), our kernel would reset the connection, and the client
	 * could lose the answer before reading it.
	 */
	if (c->close_after) {
		if (shutdown(c->fd, SHUT_WR) == -1)
			return -1;
		c->closing = c->since;
		return 0;
	}
	http_stream_done(&c->in, (long)c->since);
	process(lab, c);	/* a pipelined request may be waiting in the stream */
	return 0;
}

/*
 * Queue a whole response on c; extra is more header lines, each ending in
 * CRLF. A HEAD gets the same head as a GET and no body (RFC 9110 9.3.2); a
 * 204 has no content, so neither Content-Length nor Content-Type (8.6).
 */
void
respond(struct client *c, int status, const char *type, const char *body, const char *extra)
{
	size_t body_len = body ? strlen(body) : 0, size;
	char content[128] = "";
	int n;

	size = 512 + strlen(extra) + body_len;
	free(c->out);
	c->out = malloc(size);
	if (c->out == NULL) {
		c->close_after = 1;
		c->out_len = c->out_off = 0;
		return;
	}
	if (status != 204)
		snprintf(content, sizeof content, "Content-Type: %s\r\nContent-Length: %zu\r\n",
		    type, body_len);
	n = snprintf(c->out, size, "HTTP/1.1 %d %s\r\n%sCache-Control: no-store\r\n%s"
	    "Connection: %s\r\n\r\n%s", status, http_reason(status), content, extra,
	    c->close_after ? "close" : "keep-alive", body && !c->head_only ? body : "");
	c->out_len = n > 0 && (size_t)n < size ? (size_t)n : 0;
	c->out_off = 0;
}

/* The value of name=... in r's query ("a=1&b=2"), and its length; NULL if absent. */
const char *
lab_query(const struct http_request *r, const char *name, size_t *len)
{
	const char *p = r->query;
	size_t name_len = strlen(name);

	while (*p != '\0') {
		if (strncmp(p, name, name_len) == 0 && p[name_len] == '=') {
			*len = strcspn(p + name_len + 1, "&");
			return p + name_len + 1;
		}
		p += strcspn(p, "&");
		p += *p == '&';
	}
	return NULL;
}

/* 1 if r's query has name=value exactly. */
int
lab_query_is(const struct http_request *r, const char *name, const char *value)
{
	size_t len;
	const char *v = lab_query(r, name, &len);

	return v != NULL && len == strlen(value) && memcmp(v, value, len) == 0;
}

static void
set_mode(struct lab *lab, enum mode mode, enum changed_by how)
{
	const char *unsafe = mode == MODE_ECHO ?
	    _("  UNSAFE: echo reflects any Origin, so every site may read the API") : "";

	lab->mode = mode;
	if (how == BY_PAGE)
		printf(_("Mode: %s (changed from the page)%s\n"), mode_names[mode], unsafe);
	else if (how == BY_KEY)
		printf(_("Mode: %s (key)%s\n"), mode_names[mode], unsafe);
	else
		printf(_("Mode: %s (SIGUSR1)%s\n"), mode_names[mode], unsafe);
}

static void
print_credentials(const struct lab *lab, enum changed_by how)
{
	if (how == BY_PAGE)
		printf(_("Credentials: %s (changed from the page)\n"), lab->credentials ? "on" : "off");
	else
		printf(_("Credentials: %s (key)\n"), lab->credentials ? "on" : "off");
}

/* The mode called name[0..len) ("off", "star", "allow", "echo"), or -1. */
static int
mode_by_name(const char *name, size_t len)
{
	int m;

	for (m = 0; m < 4; m++)
		if (strlen(mode_names[m]) == len && memcmp(name, mode_names[m], len) == 0)
			return m;
	return -1;
}

/* Keys typed in the terminal: o s a e set the mode, c toggles credentials, q quits. */
static void
read_key(struct lab *lab)
{
	char key;

	if (read(STDIN_FILENO, &key, 1) != 1)
		return;
	if (key == 'o' || key == 's' || key == 'a' || key == 'e')
		set_mode(lab, key == 'o' ? MODE_OFF : key == 's' ? MODE_STAR : key == 'a' ?
		    MODE_ALLOW : MODE_ECHO, BY_KEY);
	else if (key == 'c') {
		lab->credentials = !lab->credentials;
		print_credentials(lab, BY_KEY);
	} else if (key == 'q')
		stop_signal = SIGINT;
}

/* On a terminal: read single keys without Enter, and put it back as it was on exit. */
static void
terminal_keys(void)
{
	struct termios raw;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tty) == -1)
		return;
	raw = saved_tty;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
		tty_raw = 1;
}

/* What the two origins are, and what to run beside them. */
static void
print_ready(const struct lab *lab)
{
	long pid = (long)getpid();
	int i;

	printf(_("cors-lab (pid %ld): two origins on this machine, 127.0.0.1 only.\n"), pid);
	printf(_("Page origin: %s   (open it in a browser; %s is a different origin)\n"),
	    lab->page_origin, lab->other_origin);
	printf(_("API origin:  %s   (the page's script calls it)\n"), lab->api_origin);
	printf(_("Mode: %s%s, credentials %s; allow-list:"), mode_names[lab->mode],
	    lab->mode == MODE_ECHO ? _(" (UNSAFE)") : "", lab->credentials ? "on" : "off");
	for (i = 0; i < lab->nallow; i++)
		printf(" %s", lab->allow[i]);
	/* The label is 16 columns wide in each language: the commands line up below it. */
	printf("\n%slsof -nP -a -p %ld -iTCP\n", _("Try beside it:  "), pid);
	printf("                curl -si -H 'Origin: %s' %s/api/data\n", lab->page_origin,
	    lab->api_origin);
	terminal_keys();
	printf(_("Keys: o off, s star, a allow, e echo, c credentials, q quit%s; kill -USR1 %ld "
	    "cycles the mode.\n"), tty_raw ? "" : _(" (stdin is not a terminal: keys are off)"), pid);
	printf("%s", _("Waiting for requests. Ctrl-C stops.\n"));
}

static void
parse_args(int argc, char **argv, struct lab *lab)
{
	static const struct option options[] = {
		{ "allow", required_argument, NULL, 'A' },
		{ "api-port", required_argument, NULL, 'a' },
		{ "credentials", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "hold", required_argument, NULL, 'T' },
		{ "mode", required_argument, NULL, 'M' },
		{ "page-port", required_argument, NULL, 'p' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char why[160];
	int ch, m;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (ch) {
		case 'A':
			if (lab->nallow == ALLOW_MAX || !url_is_origin_text(optarg, strlen(optarg)))
				usage_error(_("bad --allow '%s': give an origin like http://localhost:3000 "
				    "(scheme://host:port, no path), at most %d"), opt_shown(optarg), ALLOW_MAX);
			snprintf(lab->allow[lab->nallow++], ORIGIN_MAX, "%s", optarg);
			break;
		case 'a':
			lab->api_port = port_option("--api-port", optarg);
			break;
		case 'C':
			lab->credentials = 1;
			break;
		case 'M':
			if ((m = mode_by_name(optarg, strlen(optarg))) == -1)
				usage_error(_("bad --mode '%s': give off, star, allow or echo"), opt_shown(optarg));
			lab->mode = (enum mode)m;
			break;
		case 'p':
			lab->page_port = port_option("--page-port", optarg);
			break;
		case 'T':
			if (opt_parse_hold(optarg, &lab->hold) == -1)
				/* OPT_HOLD_HINT's words, as a literal _() can mark. */
				usage_error(_("bad --hold '%s': %s"), opt_shown(optarg),
				    _("give whole seconds from 0 to 86400, like --hold 30"));
			break;
		case 'V':
			printf("cors-lab (portlab) %s\n", PORTLAB_VERSION);
			exit(0);
		case 'h':
			print_help();
			exit(0);
		default:
			opt_error(ch, argc, argv, why, sizeof why);
			usage_error("%s", why);
		}
	}
	if (optind < argc)
		usage_error(_("unexpected argument '%s'"), opt_shown(argv[optind]));
}

/* A port option, 0-65535. */
static unsigned
port_option(const char *name, const char *text)
{
	unsigned port;

	if (port_parse(text, strlen(text), &port) == -1)
		usage_error(_("bad %s '%s': %s"), name, opt_shown(text), port_parse_hint(errno));
	return port;
}

/* An origin as browsers write it: the port is left out when it is http's 80. */
static void
origin_text(char *buf, size_t size, const char *host, unsigned port)
{
	if (port == 80)
		snprintf(buf, size, "http://%s", host);
	else
		snprintf(buf, size, "http://%s:%u", host, port);
}

static void
print_help(void)
{
	printf("%s\n", USAGE);
	printf("%s", _("Serve a page origin (http://localhost:3000) whose script calls an API origin\n"
	    "(http://localhost:5173), and answer the API's CORS questions by MODE:\n"
	    "  off    no Access-Control-Allow-Origin: the browser blocks every call\n"
	    "  star   Access-Control-Allow-Origin: *  (not enough for credentialed calls)\n"
	    "  allow  only origins on the allow-list (default: the page origin)\n"
	    "  echo   reflect any Origin: works everywhere, and is a security hole\n"
	    "  --credentials     also send Access-Control-Allow-Credentials: true\n"
	    "  --allow ORIGIN    add an origin to the allow-list (repeatable)\n"
	    "  --page-port N, --api-port N   the two ports (0: let the OS choose)\n"
	    "  --hold SECONDS    stop by itself after SECONDS\n"
	    "Keys while running: o s a e (mode), c (credentials), q (quit); kill -USR1 PID cycles the mode.\n"
	    "\n"
	    "Example:        bin/cors-lab   then open http://localhost:3000 and http://127.0.0.1:3000\n"
	    "Try beside it:  lsof -nP -a -p PID -iTCP\n"));
}

/* Ctrl-C and SIGTERM stop, SIGUSR1 cycles the mode; a vanished client is not a death. */
static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() must wake up */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		cycle_signal = 1;
	else
		stop_signal = sig;
}

/* A runtime failure: "cors-lab: WHAT: REASON [ERRNO]. HINT", exit 1. */
static _Noreturn void
fail(const char *what, int err, const char *hint)
{
	char line[MSG_LINE_MAX];

	msg_format(line, sizeof line, what, err, hint);
	errx(1, "%s", line);
}

/* A usage error: "cors-lab: WHAT", the usage lines, exit 2. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 1, 2)))
#endif
static _Noreturn void
usage_error(const char *fmt, ...)
{
	char what[MSG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	errx(2, "%s\n%s", what, USAGE);
}
