/*
 * origin - what an origin is: scheme + host + port, compared after parsing.
 *
 * A browser keeps sites apart by origin: the scheme, host and port of the
 * URL a page came from. It never compares URLs as text. It parses each one
 * first (schemes and host names lowercased, a port equal to the scheme's
 * default dropped, IP addresses rewritten in one standard form), and then
 * all three parts must be equal. Nothing is looked up: localhost and
 * 127.0.0.1 reach the same machine but are different origins. URLs with no
 * host to compare (file:, data:) get an opaque origin, written "null".
 *
 * Usage:          origin URL [URL]
 * Try beside it:  lsof -nP -iTCP:3000 -sTCP:LISTEN   (the process serving that port)
 *                 node -e 'console.log(new URL(process.argv[1]).origin)' URL
 * See also:       labs/09-cors (cors-lab): how a server lets another origin in.
 */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "msg.h"
#include "url.h"

#define USAGE "usage: origin URL [URL]"
#define SHOWN_MAX 200		/* how much of a URL we echo back */

/* Exit statuses, for scripts: the verdict, not success or failure. */
enum { SAME = 0, DIFFERENT = 1, INVALID = 2 };

static void parse_url(const char *arg, struct url_origin *o);
static void print_origin(const char *arg, const struct url_origin *o);
static void port_words(const struct url_origin *o, int in_table, char *buf, size_t size);
static void print_notes(const struct url_origin *o, const char *indent);
static void note(const char *indent, const char *fmt, ...);
static int compare(const char *arg_a, const struct url_origin *a, const char *arg_b,
    const struct url_origin *b);
static const char *host_reason(const struct url_origin *a, const struct url_origin *b);
static int is_loopback(const char *host);

static void print_help(void);
static int parse_args(int argc, char **argv, const char *urls[2]);
static _Noreturn void usage_error(const char *fmt, ...);

int
main(int argc, char **argv)
{
	struct url_origin a, b;
	const char *urls[2];
	int n;

	setvbuf(stdout, NULL, _IOLBF, 0);
	n = parse_args(argc, argv, urls);
	parse_url(urls[0], &a);
	if (n == 1) {
		print_origin(urls[0], &a);
		return SAME;
	}
	parse_url(urls[1], &b);
	return compare(urls[0], &a, urls[1], &b);
}

/* Parse one argument or stop with exit status 2. */
static void
parse_url(const char *arg, struct url_origin *o)
{
	char shown[SHOWN_MAX];

	if (url_parse_origin(arg, strlen(arg), o) == 0)
		return;
	msg_escape(arg, strlen(arg), shown, sizeof shown);
	/* The reason quotes the URL only as url.c escaped it: printed as it is. */
	if (o->unsupported)
		usage_error(_("'%s' may be a valid URL, but this tool cannot find its origin: %s "
		    "(a browser can)"), shown, o->error);
	usage_error(_("'%s' is not a valid URL: %s"), shown, o->error);
}

/* One URL: its origin as a tuple and serialized. */
static void
print_origin(const char *arg, const struct url_origin *o)
{
	char shown[SHOWN_MAX], serialized[URL_SCHEME_MAX + URL_HOST_MAX + 16], port[96];

	msg_escape(arg, strlen(arg), shown, sizeof shown);
	url_origin_serialize(o, serialized, sizeof serialized);
	printf("URL:      %s\n", shown);
	if (o->opaque) {
		printf("origin:   opaque, serialized as: null\n");
		printf(_("A %s: URL has no (scheme, host, port) that a browser compares. "
		    "An opaque origin is never the same as any other origin, not even "
		    "another null.\n"), o->scheme);
		print_notes(o, "");
		return;
	}
	port_words(o, 0, port, sizeof port);
	printf("scheme:   %s\n", o->scheme);
	printf("host:     %s\n", o->host);
	printf("port:     %s\n", port);
	printf("origin:   (%s, %s, %s), serialized as: %s\n", o->scheme, o->host,
	    o->port >= 0 ? port : "null", serialized);
	print_notes(o, "");
}

/*
 * The port as a student should read it: "3000", or "null (http default,
 * 80)". In a table (in_table 1) the words stay English: its columns are
 * padded by bytes.
 */
static void
port_words(const struct url_origin *o, int in_table, char *buf, size_t size)
{
	if (o->port >= 0)
		snprintf(buf, size, "%ld", o->port);
	else if (o->default_port >= 0)
		snprintf(buf, size, in_table ? "null (%s default, %ld)" :
		    _("null (%s default, %ld)"), o->scheme, o->default_port);
	else
		snprintf(buf, size, "null");
}

/* Everything parsing changed or dropped, one sentence each. */
static void
print_notes(const struct url_origin *o, const char *indent)
{
	char written[SHOWN_MAX], rest[SHOWN_MAX];

	msg_escape(o->written_host, strlen(o->written_host), written, sizeof written);
	msg_escape(o->rest, strlen(o->rest), rest, sizeof rest);
	if (o->notes & URL_NOTE_TRIMMED)
		note(indent, _("Spaces or control characters at the ends were removed, as browsers do.\n"));
	if (o->notes & URL_NOTE_TAB_NEWLINE)
		note(indent, _("Tabs and newlines inside the URL were removed, as browsers do.\n"));
	if (o->notes & URL_NOTE_SCHEME_CASE)
		note(indent, _("The scheme is compared in lowercase: %s.\n"), o->scheme);
	if (o->notes & URL_NOTE_HOST_CASE)
		note(indent, _("The host was written %s; host names are compared in lowercase.\n"),
		    written);
	if (o->notes & URL_NOTE_PERCENT)
		note(indent, _("The host was written %s; %%XX escapes in a host are decoded.\n"),
		    written);
	if (o->notes & URL_NOTE_IPV4_FORM)
		note(indent, _("The host was written %s, another way to write the IPv4 address %s.\n"),
		    written, o->host);
	if (o->notes & URL_NOTE_IPV6_FORM)
		note(indent, _("The host was written %s; IPv6 addresses are compared in their "
		    "shortest form, %s.\n"), written, o->host);
	if (o->notes & URL_NOTE_DEFAULT_PORT)
		note(indent, _("Port %ld is %s's default, so it is left out: writing it changes nothing.\n"),
		    o->written_port, o->scheme);
	if (o->notes & URL_NOTE_SLASHES)
		note(indent, _("After \"%s:\" browsers accept any number of / or \\ before the host.\n"),
		    o->scheme);
	if (o->notes & URL_NOTE_BLOB)
		note(indent, _("A blob: URL has the origin of the URL inside it.\n"));
	if (o->notes & URL_NOTE_NO_SLASHES)
		note(indent, _("There is no // after \"%s:\", so \"%s\" was read as the scheme. "
		    "Did you mean http://%s:%s ?\n"), o->scheme, o->scheme, o->scheme, rest);
	if (o->notes & URL_NOTE_USERINFO)
		note(indent, _("The user:password@ part is never part of the origin.\n"));
	if (o->rest[0] != '\0' && !(o->notes & URL_NOTE_NO_SLASHES))
		note(indent, _("Not part of the origin: %s (path, query and fragment).\n"), rest);
}

/* One note: indent, then the sentence. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static void
note(const char *indent, const char *fmt, ...)
{
	va_list ap;

	fputs(indent, stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* Two URLs: a row for each part, then the verdict. Returns SAME or DIFFERENT. */
static int
compare(const char *arg_a, const struct url_origin *a, const char *arg_b,
    const struct url_origin *b)
{
	char sa[URL_SCHEME_MAX + URL_HOST_MAX + 16], sb[sizeof sa], pa[96], pb[96];
	char shown[SHOWN_MAX], parts[32];
	int scheme_same, host_same, port_same;

	url_origin_serialize(a, sa, sizeof sa);
	url_origin_serialize(b, sb, sizeof sb);
	msg_escape(arg_a, strlen(arg_a), shown, sizeof shown);
	printf("A: %s\n   origin %s\n", shown, sa);
	print_notes(a, "   ");
	msg_escape(arg_b, strlen(arg_b), shown, sizeof shown);
	printf("B: %s\n   origin %s\n", shown, sb);
	print_notes(b, "   ");
	printf("\n");
	if (a->opaque && b->opaque) {
		printf("%s", _("Different origins: each has an opaque origin (null), which is never "
		    "the same as any origin, not even another null.\n"));
		return DIFFERENT;
	}
	if (a->opaque || b->opaque) {
		printf(_("Different origins: %s has an opaque origin (null), which is never "
		    "the same as any origin, not even another null.\n"), a->opaque ? "A" : "B");
		return DIFFERENT;
	}
	scheme_same = strcmp(a->scheme, b->scheme) == 0;
	host_same = strcmp(a->host, b->host) == 0;
	port_same = a->port == b->port;
	port_words(a, 1, pa, sizeof pa);
	port_words(b, 1, pb, sizeof pb);
	/*
	 * The table's columns stay English (padded by bytes); each row's last
	 * column says same or different, then why, in the student's language.
	 */
	printf("          %-26s %s\n", "A", "B");
	printf("scheme    %-26s %-26s %s\n", a->scheme, b->scheme, scheme_same ? "same" :
	    _("different: another scheme is another origin, even on the same host and port"));
	printf("host      %-26s %-26s %s\n", a->host, b->host, host_same ? "same" :
	    host_reason(a, b));
	printf("port      %-26s %-26s %s\n", pa, pb, !port_same ? "different" :
	    a->port < 0 && a->default_port != b->default_port ?
	    _("same: both null, each scheme's own default") : "same");
	printf("\n");
	if (url_same_origin(a, b)) {
		printf("%s", _("Same origin: scheme, host and port all match, so a page from one "
		    "may read responses from the other.\n"));
		return SAME;
	}
	/* Which parts differ, by the table's own row names: "scheme, port". */
	snprintf(parts, sizeof parts, "%s%s%s%s%s",
	    scheme_same ? "" : "scheme", !scheme_same && !host_same ? ", " : "",
	    host_same ? "" : "host", (!scheme_same || !host_same) && !port_same ? ", " : "",
	    port_same ? "" : "port");
	printf(_("Different origins (%s). A page from one cannot read responses "
	    "from the other unless that server allows it with CORS "
	    "(Access-Control-Allow-Origin).\n"), parts);
	return DIFFERENT;
}

/* The host row's reason, when the hosts differ. */
static const char *
host_reason(const struct url_origin *a, const struct url_origin *b)
{
	size_t la = strlen(a->host), lb = strlen(b->host);

	if (is_loopback(a->host) && is_loopback(b->host))
		return _("different: the same machine, but browsers compare host names "
		    "as text and never look up what they point to");
	if ((la == lb + 1 && a->host[lb] == '.' && strncmp(a->host, b->host, lb) == 0) ||
	    (lb == la + 1 && b->host[la] == '.' && strncmp(a->host, b->host, la) == 0))
		return _("different: a trailing dot makes it another host name");
	return _("different hosts");
}

/* 1 for the names and addresses that always mean this machine. */
static int
is_loopback(const char *host)
{
	return strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
	    strcmp(host, "[::1]") == 0;
}

/* ---- below: plumbing this lab does not teach: options and help ---- */

static void
print_help(void)
{
	printf("%s\n", USAGE);
	printf("%s", _("With one URL: its origin, the tuple (scheme, host, port), and how it is\n"
	    "written. With two: same origin or not, and which of scheme, host and port\n"
	    "differ and why. Parsing follows the WHATWG URL Standard, as browsers do.\n"
	    "Exit status: 0 same origin (or one valid URL), 1 different, 2 invalid.\n"
	    "\n"
	    "  -h, --help   show this help\n"
	    "  --version    show the version\n"
	    "\n"
	    "Example:        bin/origin http://127.0.0.1:3000 http://localhost:3000\n"
	    "Try beside it:  lsof -nP -iTCP:3000 -sTCP:LISTEN   (who serves port 3000)\n"));
}

/*
 * The one or two URLs into urls; returns how many. Options are matched
 * whole, not with getopt: getopt would read a mistyped "-http://..." as
 * the options -h -t -t -p and show the help.
 */
static int
parse_args(int argc, char **argv, const char *urls[2])
{
	char shown[SHOWN_MAX];
	int i, n = 0, operands_only = 0;

	for (i = 1; i < argc; i++) {
		if (!operands_only && strcmp(argv[i], "--") == 0)
			operands_only = 1;
		else if (!operands_only && (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0)) {
			print_help();
			exit(0);
		} else if (!operands_only && strcmp(argv[i], "--version") == 0) {
			printf("origin (portlab) %s\n", PORTLAB_VERSION);
			exit(0);
		} else if (!operands_only && argv[i][0] == '-' && argv[i][1] != '\0') {
			msg_escape(argv[i], strlen(argv[i]), shown, sizeof shown);
			usage_error(_("unknown option '%s'"), shown);
		} else if (n == 2)
			usage_error("%s", _("give at most two URLs to compare"));
		else
			urls[n++] = argv[i];
	}
	if (n == 0)
		usage_error("%s", _("give a URL, or two to compare, like http://localhost:3000"));
	return n;
}

/* A usage error: "origin: WHAT", the usage line, exit 2. */
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
