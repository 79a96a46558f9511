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

#define USAGE "usage: cors-lab [--mode off|star|allow|echo] [--credentials] [--allow ORIGIN]...\n" \
	"                [--page-port N] [--api-port N] [--hold SECONDS]"
#define BACKLOG SOMAXCONN	/* as many finished handshakes as the kernel will queue: a burst waits here */
#define ALLOW_MAX 8		/* --allow entries */
#define ORIGIN_MAX 300
#define TIMEOUT 10		/* seconds a connection may idle, or take to send its head */
#define PAGE_MAX 8192
#define ACCEPT_BATCH 64		/* connections taken from a queue per poll() round */

enum mode { MODE_OFF, MODE_STAR, MODE_ALLOW, MODE_ECHO };
static const char *const mode_names[] = { "off", "star", "allow", "echo" };
/* Who changed the mode or the credentials: the log says. */
enum changed_by { BY_PAGE, BY_KEY, BY_SIGNAL };

/* What the API's answer says about CORS, decided from the mode and the Origin. */
struct cors_answer {
	int allow;			/* 1: Access-Control-Allow-Origin is sent */
	char allow_origin[ORIGIN_MAX];	/* its value: "*" or one origin */
	int allow_credentials;		/* 1: Access-Control-Allow-Credentials: true is sent */
	int vary;			/* 1: Vary: Origin is sent (the answer depends on who asks) */
	char headers[1024];		/* those header lines, each ending in CRLF */
};

struct client {
	int fd;
	int api;		/* 1: on the API origin's port, 0: the page's */
	struct http_stream in;	/* what it sends, framed into requests (common/http.c) */
	int head_only;		/* the request being answered is a HEAD: no body */
	char *out;		/* response bytes still to send */
	size_t out_len, out_off;
	int close_after;
	time_t since;		/* when we last heard from it or answered it */
};

struct lab {
	enum mode mode;
	int credentials;
	char allow[ALLOW_MAX + 1][ORIGIN_MAX];	/* --allow's, then the page origin */
	int nallow;
	int page_fd, api_fd;
	unsigned page_port, api_port;
	long hold;
	char api_origin[64], page_origin[64], other_origin[64];	/* other: the page on 127.0.0.1 */
	char page[2][PAGE_MAX];	/* the page in English [0] and Japanese [1]: the browser's language */
	struct client *clients;
	size_t nclients, client_room;
	struct pollfd *pfds;	/* [0] page, [1] API, [2] the terminal, [3 + i] client i */
	size_t pfd_room;
	int accepting;		/* 0 while out of descriptors: clients wait in the queue */
};

/* A page being written into its fixed buffer; cut is set if it did not fit. */
struct page_out {
	char *buf;
	size_t size, len;
	int cut;
};

static volatile sig_atomic_t stop_signal, cycle_signal;
static struct termios saved_tty;
static int tty_raw;

static int open_listener(unsigned port, unsigned *bound_port);
static void serve_api(struct lab *lab, struct client *c);
static struct cors_answer cors_answer(const struct lab *lab, const char *origin, size_t origin_len);
static const char *verdict(const struct cors_answer *a, int cross, int credentialed,
    const char *origin, size_t origin_len);
static void log_api(const struct lab *lab, const struct client *c, int status,
    const struct cors_answer *a);
static void serve_page(struct lab *lab, struct client *c);
static void page_control(struct lab *lab, struct client *c, int *status);
static const char *control_refused(const struct lab *lab, const struct client *c, int *status);
static int page_japanese(const struct http_request *r);
static int prefers_japanese(const char *value, size_t len);
static void build_page(struct lab *lab, int japanese);
static void page_add(struct page_out *out, const char *fmt, ...);
static void page_add_html(struct page_out *out, const char *text);
static void page_add_js(struct page_out *out, const char *text);

static void serve(struct lab *lab);
static void serve_clients(struct lab *lab, size_t count, int polled);
static int accept_from(struct lab *lab, int listen_fd, int api);
static void out_of_descriptors(struct lab *lab, int err);
static void drop(struct lab *lab, size_t i);
static void handle(struct lab *lab, struct client *c);
static void process(struct lab *lab, struct client *c);
static int client_read(struct lab *lab, struct client *c);
static int client_write(struct lab *lab, struct client *c);
static void respond(struct client *c, int status, const char *type, const char *body, const char *extra);
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
	    .accepting = 1 };

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
	build_page(&lab, 0);
	build_page(&lab, 1);
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

/* One request to the API origin: route it, add the CORS headers, log the verdict. */
static void
serve_api(struct lab *lab, struct client *c)
{
	const struct http_request *r = &c->in.req;
	int credentialed = strcmp(r->path, "/api/private") == 0;	/* the page sends cookies */
	int read_only = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
	const char *origin, *body = NULL;
	struct cors_answer a;
	char extra[1536];
	size_t origin_len;
	int status;

	origin = http_header(r, "origin", &origin_len);
	a = cors_answer(lab, origin, origin_len);
	snprintf(extra, sizeof extra, "%s", a.headers);
	if (!credentialed && strcmp(r->path, "/api/data") != 0) {
		status = 404;
		body = "{\"error\":\"no such path\"}\n";
	} else if (strcmp(r->method, "OPTIONS") == 0) {
		/* The preflight's answer: which methods and headers the real request may use. */
		status = 204;
		snprintf(extra + strlen(extra), sizeof extra - strlen(extra),
		    "Access-Control-Allow-Methods: GET, PUT, POST\r\n"
		    "Access-Control-Allow-Headers: content-type\r\nAccess-Control-Max-Age: 5\r\n");
	} else if (read_only || (!credentialed && (strcmp(r->method, "PUT") == 0 ||
	    strcmp(r->method, "POST") == 0))) {
		status = 200;
		body = credentialed ? "{\"secret\":\"your account page\",\"needs\":\"credentials\"}\n" :
		    "{\"message\":\"hello from the API\"}\n";
	} else {
		status = 405;
		snprintf(extra + strlen(extra), sizeof extra - strlen(extra), "Allow: %s\r\n",
		    credentialed ? "GET, HEAD, OPTIONS" : "GET, HEAD, PUT, POST, OPTIONS");
		body = "{\"error\":\"method not allowed\"}\n";
	}
	respond(c, status, "application/json", body, extra);
	log_api(lab, c, status, &a);
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

/* The API's log line: the request, its Origin, what we answered, and the browser's verdict. */
static void
log_api(const struct lab *lab, const struct client *c, int status, const struct cors_answer *a)
{
	const struct http_request *r = &c->in.req;
	size_t origin_len;
	const char *origin = http_header(r, "origin", &origin_len);
	int options = strcmp(r->method, "OPTIONS") == 0;
	int credentialed = strcmp(r->path, "/api/private") == 0;
	int cross = origin != NULL && !(origin_len == strlen(lab->api_origin) &&
	    memcmp(origin, lab->api_origin, origin_len) == 0);
	char shown[128], path[64], allowed[ORIGIN_MAX + 8], judged[256];
	const char *v = verdict(a, cross, credentialed, origin, origin_len);

	/* Origin and path are bytes from the network: escaped before they reach the terminal. */
	msg_escape(origin ? origin : "-", origin ? origin_len : 1, shown, sizeof shown);
	msg_escape(r->path, strlen(r->path), path, sizeof path);
	snprintf(allowed, sizeof allowed, "%s%s", a->allow ? "ACAO: " : "no ACAO", a->allow_origin);
	if (options)
		snprintf(judged, sizeof judged, _("preflight %s"), v);
	else
		snprintf(judged, sizeof judged, "%s", v);
	/* The request and the answer's headers as sent; after "=>", the verdict in words. */
	printf("API  %-7s %-13s Origin: %-28s -> %d  %s%s%s  => %s%s\n", r->method, path,
	    shown, status, allowed, a->allow_credentials ? ", ACAC: true" : "",
	    a->vary ? ", Vary: Origin" : "", judged,
	    lab->mode == MODE_ECHO && a->allow ? _("  (UNSAFE: echo lets any site read the API)") : "");
}

/* The page origin: the page, its state, and the buttons' control endpoints. */
static void
serve_page(struct lab *lab, struct client *c)
{
	const struct http_request *r = &c->in.req;
	int read_only = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
	int control = strcmp(r->path, "/mode") == 0 || strcmp(r->path, "/credentials") == 0;
	const char *why = NULL;
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
	else if (control && strcmp(r->method, "POST") != 0)
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
	printf("PAGE %-7s %-13.13s -> %d%s%s\n", r->method, path, status, why ? "  " : "", why ? why : "");
}

/*
 * The page speaks the browser's language, never the terminal's: ?lang=ja
 * or ?lang=en in the URL (the page's own switch), else the request's
 * Accept-Language. 1 for Japanese.
 */
static int
page_japanese(const struct http_request *r)
{
	const char *p = r->query, *value;
	size_t len;

	while (*p != '\0') {
		if (strncmp(p, "lang=", 5) == 0) {
			value = p + 5;	/* "ja", "ja-JP" ... up to the next '&' */
			if (strcspn(value, "-&") == 2 && (strncasecmp(value, "ja", 2) == 0 ||
			    strncasecmp(value, "en", 2) == 0))
				return value[0] == 'j' || value[0] == 'J';
		}
		p += strcspn(p, "&");
		p += *p == '&';
	}
	value = http_header(r, "accept-language", &len);
	return value != NULL && prefers_japanese(value, len);
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

/*
 * The page's words, English as written here. The page speaks its browser's
 * language, not the terminal's, so the Japanese is looked up by language
 * (i18n_text_for), from the same catalogue, po/ja.po.
 */
enum page_word {
	W_HEADING, W_THIS_ORIGIN, W_API_ORIGIN, W_API_MODE, W_CREDENTIALS, W_ALLOW_BUTTON,
	W_ECHO_BUTTON, W_CRED_BUTTON, W_RUN, W_BLOCKED_MEANS, W_CSRF,
	W_SCRIPT,		/* from here on, the script's: the T object below */
	W_OPEN_OTHER = W_SCRIPT, W_NOT_PAGE, W_RUNNING, W_ALLOWED, W_BLOCKED, W_DONE,
	W_SIMPLE, W_PREFLIGHT, W_CREDENTIALED, W_ECHO_HOLE, W_COUNT
};

static const char *const page_words[W_COUNT] = {
	[W_HEADING] = N_("cors-lab: same-origin policy and CORS"),
	[W_THIS_ORIGIN] = N_("This page's origin: "),
	[W_API_ORIGIN] = N_("The API's origin: "),
	[W_API_MODE] = N_("API mode: "),
	[W_CREDENTIALS] = N_(", credentials: "),
	[W_ALLOW_BUTTON] = N_("allow-list"),
	[W_ECHO_BUTTON] = N_("echo (unsafe)"),
	[W_CRED_BUTTON] = N_("credentials on/off"),
	[W_RUN] = N_("Run the three calls"),
	[W_BLOCKED_MEANS] = N_("\"blocked\" means the browser refused to let this page read the answer. "
	    "The request may still have reached the API: its log says what it sent, and the verdict."),
	[W_CSRF] = N_("CORS guards what a page may read, not what it may send. A page on any site "
	    "can make your browser send a simple POST here, with your cookies, and no preflight. "
	    "So the mode buttons send JSON (which needs a preflight) and cors-lab refuses any "
	    "Origin but this page's own: that is a guard against CSRF, cross-site request forgery."),
	/* The script fills %s in with fill(). */
	[W_OPEN_OTHER] = N_("Open this page as %s too: the same machine, but a different origin."),
	[W_NOT_PAGE] = N_("This is not %s: a different origin, though the same machine."),
	[W_RUNNING] = N_("running..."),
	[W_ALLOWED] = N_("%s: allowed"),
	[W_BLOCKED] = N_("%s: blocked"),
	[W_DONE] = N_("done"),
	[W_SIMPLE] = N_("simple"),
	[W_PREFLIGHT] = N_("preflight"),
	[W_CREDENTIALED] = N_("credentialed"),
	[W_ECHO_HOLE] = N_(" (a security hole: any site may read the API)"),
};

/* The script's names for its words, from W_SCRIPT on. */
static const char *const script_names[W_COUNT - W_SCRIPT] = {
	"openOther", "notPage", "running", "allowed", "blocked", "done",
	"simple", "preflight", "credentialed", "echoHole",
};

/* The page's script: the three calls, and the buttons that switch the API's mode. */
static const char page_script[] =
    "function fill(text, value) { return text.split('%s').join(value); }\n"
    "document.getElementById('origin').textContent = location.origin;\n"
    "document.getElementById('note').textContent = location.origin === PAGE ?\n"
    "  fill(T.openOther, OTHER) : fill(T.notPage, PAGE);\n"
    "async function call(name, url, opts) {\n"
    "  try { const r = await fetch(url, opts); await r.text(); return fill(T.allowed, name); }\n"
    "  catch (e) { return fill(T.blocked, name); }\n"
    "}\n"
    "async function runAll() {\n"
    "  const out = document.getElementById('results'); out.textContent = T.running;\n"
    "  const lines = [];\n"
    "  lines.push(await call(T.simple, API + '/api/data', {}));\n"
    "  lines.push(await call(T.preflight, API + '/api/data', {method: 'PUT',\n"
    "    headers: {'Content-Type': 'application/json'}, body: '{\"n\":1}'}));\n"
    "  lines.push(await call(T.credentialed, API + '/api/private', {credentials: 'include'}));\n"
    "  lines.push(T.done);\n"
    "  out.textContent = lines.join('\\n');\n"
    "}\n"
    "async function refresh() {\n"
    "  const s = await (await fetch('/state')).json();\n"
    "  document.getElementById('mode').textContent = s.mode + (s.mode === 'echo' ? T.echoHole : '');\n"
    "  document.getElementById('cred').textContent = s.credentials ? 'on' : 'off';\n"
    "}\n"
    "function post(path, value) {\n"
    "  return fetch(path, {method: 'POST', headers: {'Content-Type': 'application/json'},\n"
    "    body: JSON.stringify(value)});\n"
    "}\n"
    "async function setMode(m) { await post('/mode', m); refresh(); }\n"
    "async function toggleCred() {\n"
    "  const s = await (await fetch('/state')).json();\n"
    "  await post('/credentials', !s.credentials); refresh();\n"
    "}\n"
    "refresh();\n"
    "if (location.search.indexOf('auto=1') >= 0) runAll();\n";

/*
 * The page in one language: plain HTML and JavaScript, no frameworks,
 * nothing fetched from outside. Its switch links to the other language.
 */
static void
build_page(struct lab *lab, int japanese)
{
	struct page_out out = { lab->page[japanese], sizeof lab->page[japanese], 0, 0 };
	const char *w[W_COUNT];
	int i;

	for (i = 0; i < W_COUNT; i++)
		w[i] = i18n_text_for(page_words[i], japanese);
	page_add(&out, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	    "<title>portlab cors-lab</title>\n"
	    "<style>body{font-family:sans-serif;max-width:46em;margin:2em auto}pre{background:#eee;padding:1em}"
	    "button{margin:0 .2em}#lang{text-align:right}</style></head><body>\n", japanese ? "ja" : "en");
	/* Each language's name in itself; the link keeps no other query (auto=1 runs the calls). */
	page_add(&out, japanese ?
	    "<p id=\"lang\"><a href=\"?lang=en\" hreflang=\"en\" lang=\"en\">English</a> | <b>日本語</b></p>\n" :
	    "<p id=\"lang\"><b>English</b> | <a href=\"?lang=ja\" hreflang=\"ja\" lang=\"ja\">日本語</a></p>\n");
	page_add(&out, "<h1>");
	page_add_html(&out, w[W_HEADING]);
	page_add(&out, "</h1>\n<p>");
	page_add_html(&out, w[W_THIS_ORIGIN]);
	page_add(&out, "<b id=\"origin\"></b><br>");
	page_add_html(&out, w[W_API_ORIGIN]);
	page_add(&out, "<b>%s</b></p>\n<p id=\"note\"></p>\n<p>", lab->api_origin);
	page_add_html(&out, w[W_API_MODE]);
	page_add(&out, "<b id=\"mode\">?</b>");
	page_add_html(&out, w[W_CREDENTIALS]);
	page_add(&out, "<b id=\"cred\">?</b><br>\n"
	    "<button onclick=\"setMode('off')\">off</button><button onclick=\"setMode('star')\">star (*)</button>"
	    "<button onclick=\"setMode('allow')\">");
	page_add_html(&out, w[W_ALLOW_BUTTON]);
	page_add(&out, "</button><button onclick=\"setMode('echo')\">");
	page_add_html(&out, w[W_ECHO_BUTTON]);
	page_add(&out, "</button><button onclick=\"toggleCred()\">");
	page_add_html(&out, w[W_CRED_BUTTON]);
	page_add(&out, "</button></p>\n<p><button onclick=\"runAll()\">");
	page_add_html(&out, w[W_RUN]);
	page_add(&out, "</button></p>\n<pre id=\"results\"></pre>\n<p>");
	page_add_html(&out, w[W_BLOCKED_MEANS]);
	page_add(&out, "</p>\n<p>");
	page_add_html(&out, w[W_CSRF]);
	page_add(&out, "</p>\n<script>\nconst API = '%s', PAGE = '%s', OTHER = '%s';\nconst T = {",
	    lab->api_origin, lab->page_origin, lab->other_origin);
	for (i = W_SCRIPT; i < W_COUNT; i++) {
		page_add(&out, "%s%s: '", i > W_SCRIPT ? ", " : "", script_names[i - W_SCRIPT]);
		page_add_js(&out, w[i]);
		page_add(&out, "'");
	}
	page_add(&out, "};\n%s</script></body></html>\n", page_script);
	if (out.cut)
		fail(_("build the page"), ENOSPC, NULL);
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
		if ((rev == 0 && now - c->since >= TIMEOUT) ||
		    (!c->out_len && http_stream_late(&c->in, (long)now, TIMEOUT)) ||
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
	char *at = http_stream_room(&c->in, &room);
	ssize_t n;

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
	if (c->close_after)
		return -1;
	http_stream_done(&c->in, (long)c->since);
	process(lab, c);	/* a pipelined request may be waiting in the stream */
	return 0;
}

/*
 * Queue a whole response on c; extra is more header lines, each ending in
 * CRLF. A HEAD gets the same head as a GET and no body (RFC 9110 9.3.2); a
 * 204 has no content, so neither Content-Length nor Content-Type (8.6).
 */
static void
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

/*
 * 1 if the Accept-Language value[0..len) ranks Japanese above English
 * (RFC 9110 12.5.4): of the languages the page has, ja (ja, ja-JP ...) and
 * en (en, en-US ...; * counts as English, the default), the one with the
 * highest q wins, the first listed on a tie. q=0 means "not this one"; an
 * entry with a malformed q is left out. Nothing acceptable: English.
 */
static int
prefers_japanese(const char *value, size_t len)
{
	size_t i = 0, start, end, tag_len, j;
	int best_q = 0, japanese = 0, q, lang, digits;

	while (i < len) {
		/* One entry: "ja-JP;q=0.8", up to the next ','. */
		for (start = i; i < len && value[i] != ','; i++)
			;
		end = i++;
		while (start < end && (value[start] == ' ' || value[start] == '\t'))
			start++;
		for (tag_len = 0; start + tag_len < end && value[start + tag_len] != ';' &&
		    value[start + tag_len] != ' ' && value[start + tag_len] != '\t'; tag_len++)
			;
		if ((tag_len == 2 || (tag_len > 2 && value[start + 2] == '-')) &&
		    strncasecmp(value + start, "ja", 2) == 0)
			lang = 1;
		else if (((tag_len == 2 || (tag_len > 2 && value[start + 2] == '-')) &&
		    strncasecmp(value + start, "en", 2) == 0) || (tag_len == 1 && value[start] == '*'))
			lang = 0;
		else
			continue;
		/* Its weight: ";q=" then 0, 0.5, 0.125, 1 or 1.000 (in thousandths). */
		q = 1000;
		for (j = start + tag_len; j < end && value[j] != ';'; j++)
			;
		while (j < end && (value[j] == ';' || value[j] == ' ' || value[j] == '\t'))
			j++;
		if (j < end) {
			if (end - j < 3 || (value[j] != 'q' && value[j] != 'Q') || value[j + 1] != '=' ||
			    (value[j + 2] != '0' && value[j + 2] != '1'))
				continue;
			q = (value[j + 2] - '0') * 1000;
			j += 3;
			if (j < end && value[j] == '.')
				for (j++, digits = 0; j < end && digits < 3 &&
				    value[j] >= '0' && value[j] <= '9'; j++, digits++)
					q += (value[j] - '0') * (digits == 0 ? 100 : digits == 1 ? 10 : 1);
			while (j < end && (value[j] == ' ' || value[j] == '\t'))
				j++;
			if (j < end || q > 1000)
				continue;
		}
		if (q > best_q) {
			best_q = q;
			japanese = lang;
		}
	}
	return japanese;
}

/* printf onto the page. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static void
page_add(struct page_out *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out->buf + out->len, out->size - out->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= out->size - out->len) {
		out->cut = 1;
		out->len = out->size - 1;
	} else
		out->len += (size_t)n;
}

/* Text between HTML tags: & < > as entities. */
static void
page_add_html(struct page_out *out, const char *text)
{
	for (; *text != '\0'; text++) {
		if (*text == '&')
			page_add(out, "&amp;");
		else if (*text == '<')
			page_add(out, "&lt;");
		else if (*text == '>')
			page_add(out, "&gt;");
		else
			page_add(out, "%c", *text);
	}
}

/* Text inside a '...' JavaScript string: no quote, backslash, newline or "</script" ends it. */
static void
page_add_js(struct page_out *out, const char *text)
{
	for (; *text != '\0'; text++) {
		if (*text == '\'' || *text == '\\')
			page_add(out, "\\%c", *text);
		else if (*text == '\n')
			page_add(out, "\\n");
		else if (*text == '<')
			page_add(out, "\\x3c");
		else
			page_add(out, "%c", *text);
	}
}
