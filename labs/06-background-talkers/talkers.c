/*
 * talkers - processes talk to the network even when you did not open them.
 *
 * Every TCP or UDP socket belongs to some process, whether or not it has a
 * window on your screen. On a Mac, Notes keeps a connection to iCloud
 * (icloud.com:443) to sync even when you never opened it; browsers,
 * updaters and chat apps do the same. This program asks the kernel for
 * every socket, finds the process that holds each one, and lists them by
 * process: servers waiting on a port, and connections with the service
 * at the other end. --watch then reports connections as they come and go.
 *
 * Usage:          talkers [--watch SECONDS]
 * Try beside it:  lsof -nP -i           (everything, as lsof sees it)
 *                 lsof -nP -i | grep ESTABLISHED;  ss -tanp
 * See also:       labs/07-port-forwarding (forward): one port passed on to another.
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "fdtab.h"
#include "i18n.h"
#include "msg.h"
#include "opt.h"
#include "port.h"

#define USAGE "usage: talkers [--watch SECONDS]"
#define WATCH_INTERVAL_MS 500	/* how often --watch looks again */
#define LSOF_COMMAND_WIDTH 9

/* Every socket a visible process holds, at one moment, and the ports someone listens on. */
struct snapshot {
	struct fdtab_socket *socks;	/* sorted by pid, then descriptor */
	size_t count;
	int hidden;			/* processes we could not read */
	unsigned char listening[65536 / 8];	/* bit per TCP port some process LISTENs on */
};

static volatile sig_atomic_t stop_signal;

static void snapshot(struct snapshot *snap);
static void print_grouped(const struct snapshot *snap, const struct port_range *range, int have_range);
static void print_summary(size_t procs, size_t count, size_t listening, size_t connected, size_t other);
static void print_unheld(void);
static void describe(const struct fdtab_socket *s, const struct snapshot *snap,
    const struct port_range *range, int have_range, char *buf, size_t size);
static int server_side(const struct fdtab_socket *s, const struct snapshot *snap);
static const char *service_name(unsigned port, int proto);
static const char *proto_name(int proto);
static void watch(struct snapshot *snap, long seconds, const struct port_range *range, int have_range);
static void report_changes(const struct snapshot *old, const struct snapshot *cur,
    const struct port_range *range, int have_range);
static void report(char mark, const struct fdtab_socket *s, const struct snapshot *snap,
    const char *what, const struct port_range *range, int have_range);

static void on_signal(int sig);
static _Noreturn void fail(const char *what, int err, const char *hint);
static _Noreturn void usage_error(const char *why);
static void print_help(void);
static int socket_cmp(const void *a, const void *b);
static void parse_args(int argc, char **argv, long *seconds);

int
main(int argc, char **argv)
{
	static struct snapshot snap;
	struct port_range range;
	struct sigaction sa;
	long seconds = -1;
	int have_range;

	setlocale(LC_CTYPE, "");	/* command names print as lsof prints them */
	parse_args(argc, argv, &seconds);
	if (seconds > 0) {
		setvbuf(stdout, NULL, _IOLBF, 0);	/* events appear as they happen */
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	have_range = port_ephemeral_range(&range) == 0;
	snapshot(&snap);
	print_grouped(&snap, &range, have_range);
	if (seconds > 0)
		watch(&snap, seconds, &range, have_range);
	free(snap.socks);
	return 0;
}

/* Every socket a visible process holds, sorted, and the ports listened on; exits on failure. */
static void
snapshot(struct snapshot *snap)
{
	unsigned port;
	size_t i;

	if (fdtab_sockets(&snap->socks, &snap->count, &snap->hidden) == -1)
		fail(_("list the sockets"), errno, NULL);
	qsort(snap->socks, snap->count, sizeof *snap->socks, socket_cmp);
	memset(snap->listening, 0, sizeof snap->listening);
	for (i = 0; i < snap->count; i++)
		if (strcmp(snap->socks[i].state, "LISTEN") == 0) {
			port = addr_port((const struct sockaddr *)&snap->socks[i].local);
			snap->listening[port / 8] |= (unsigned char)(1U << (port % 8));
		}
}

/* The snapshot, grouped by process. */
static void
print_grouped(const struct snapshot *snap, const struct port_range *range, int have_range)
{
	const struct fdtab_socket *socks = snap->socks;
	size_t i, procs = 0, listening = 0, connected = 0, other = 0, count = snap->count;
	char line[512], command[FDTAB_COMMAND_MAX * 4];

	for (i = 0; i < count; i++) {
		if (i == 0 || socks[i].pid != socks[i - 1].pid) {
			fdtab_escape_name(socks[i].command, command, sizeof command);
			if (procs)
				printf("\n");
			printf(_("%s (pid %ld)\n"), command, socks[i].pid);
			procs++;
		}
		describe(&socks[i], snap, range, have_range, line, sizeof line);
		printf("  %s\n", line);
		listening += strcmp(socks[i].state, "LISTEN") == 0;
		connected += socks[i].remote.ss_family != 0;
		other += socks[i].proto != IPPROTO_TCP && socks[i].proto != IPPROTO_UDP;
	}
	print_summary(procs, count, listening, connected, other);
	if (snap->hidden > 0) {
		/* fdtab's reason completes the sentence: "2 processes could not be read: ..." */
		printf(snap->hidden == 1 ? _("%d process %s.") : _("%d processes %s."), snap->hidden,
		    fdtab_hidden_reason(snap->hidden));
		if (geteuid() != 0)
			fputs(_(" lsof -i leaves them out without a word; sudo bin/talkers shows them."),
			    stdout);
		printf("\n");
	}
	print_unheld();
}

/* The counts under the list: processes, sockets, listening, connected, and neither. */
static void
print_summary(size_t procs, size_t count, size_t listening, size_t connected, size_t other)
{
	char neither[160] = "";

	if (count > listening + connected)	/* UDP sockets that are bound but not connected */
		snprintf(neither, sizeof neither, other > 0 ?
		    _(", %zu neither (UDP or ICMP, not connected)") :
		    _(", %zu neither (UDP, not connected)"), count - listening - connected);
	if (procs == 0) {	/* in a network namespace of its own, or as a user with no sockets */
		fputs(_("\nNo process we can see has a network socket.\n"), stdout);
		return;
	}
	/* Every process listed holds a socket: more than one process means more than one socket. */
	if (procs == 1 && count == 1)
		printf(_("\n%zu process with %zu socket: %zu listening for connections, "
		    "%zu connected to another end%s.\n"), procs, count, listening, connected, neither);
	else if (procs == 1)
		printf(_("\n%zu process with %zu sockets: %zu listening for connections, "
		    "%zu connected to another end%s.\n"), procs, count, listening, connected, neither);
	else
		printf(_("\n%zu processes with %zu sockets: %zu listening for connections, "
		    "%zu connected to another end%s.\n"), procs, count, listening, connected, neither);
	fputs(_("Any process here that you did not start is a background talker, like "
	    "macOS's Notes keeping a connection to iCloud (:443) open to sync.\n"), stdout);
}

/*
 * The TCP sockets no process holds, which lsof cannot show: the kernel keeps
 * them after their program closed them. ss -tan (netstat on macOS) lists them.
 */
static void
print_unheld(void)
{
	struct fdtab_unheld u;
	size_t total;

	if (fdtab_unheld(&u) == -1) {
		if (errno == ENOSYS)	/* macOS: libproc cannot count them */
			fputs(_("lsof cannot show TCP sockets that no process holds (TIME_WAIT, and "
			    "FIN_WAIT_2 after a program closed its end): no descriptor names them. "
			    "netstat -an -p tcp lists them.\n"), stdout);
		return;	/* otherwise /proc/net/tcp could not be read: say nothing */
	}
	total = u.time_wait + u.fin_wait2 + u.other;
	if (total == 0)
		return;
	printf(total == 1 ? _("Sockets lsof cannot show: %zu TCP socket no process holds (%zu "
	    "TIME_WAIT, %zu FIN_WAIT2, %zu other). TIME_WAIT is the end that closed first, kept "
	    "for 60 seconds so that a late packet cannot land in a new connection on the same "
	    "ports; FIN_WAIT2 is a socket its program closed, waiting for the other end to close. "
	    "No descriptor names it, so lsof has no row for it: ss -tan lists it.\n") :
	    _("Sockets lsof cannot show: %zu TCP sockets no process holds (%zu TIME_WAIT, "
	    "%zu FIN_WAIT2, %zu other). TIME_WAIT is the end that closed first, kept for 60 "
	    "seconds so that a late packet cannot land in a new connection on the same ports; "
	    "FIN_WAIT2 is a socket its program closed, waiting for the other end to close. "
	    "No descriptor names them, so lsof has no row for them: ss -tan lists them.\n"),
	    total, u.time_wait, u.fin_wait2, u.other);
}

/* One socket: lsof's NAME, its state, and what its ports are. */
static void
describe(const struct fdtab_socket *s, const struct snapshot *snap,
    const struct port_range *range, int have_range, char *buf, size_t size)
{
	const struct sockaddr *local = (const struct sockaddr *)&s->local;
	const struct sockaddr *remote = (const struct sockaddr *)&s->remote;
	char name[ADDR_PAIR_STRLEN], notes[256] = "";
	unsigned lport = addr_port(local), rport = addr_port(remote);
	int connected = s->remote.ss_family != 0;
	int server = connected ? server_side(s, snap) : 0;
	const char *svc;

	if (connected)
		addr_format_pair(local, remote, name, sizeof name);
	else
		addr_format(local, name, sizeof name);
	/* The service is at the listening end: our port if we serve, else theirs. */
	svc = service_name(server || !connected ? lport : rport, s->proto);
	/* The notes are prose, after the aligned columns: only they change with the language. */
	if (server == 1 && svc[0] != '\0')
		snprintf(notes, sizeof notes, _("  (local :%u is our server port, %s)"), lport, svc);
	else if (server == 1)
		snprintf(notes, sizeof notes, _("  (local :%u is our server port)"), lport);
	else if (server && svc[0] != '\0')
		snprintf(notes, sizeof notes,
		    _("  (local :%u is a server port; another process listens on it, %s)"), lport, svc);
	else if (server)
		snprintf(notes, sizeof notes,
		    _("  (local :%u is a server port; another process listens on it)"), lport);
	else if (connected && have_range && port_in_range(range, lport) && svc[0] != '\0')
		snprintf(notes, sizeof notes, _("  remote is %s  (local :%u is ephemeral)"), svc, lport);
	else if (connected && have_range && port_in_range(range, lport))
		snprintf(notes, sizeof notes, _("  (local :%u is ephemeral)"), lport);
	else if (svc[0] != '\0' && connected)
		snprintf(notes, sizeof notes, _("  remote :%u is %s"), rport, svc);
	else if (svc[0] != '\0')
		snprintf(notes, sizeof notes, _("  :%u is %s"), lport, svc);
	if (notes[0] != '\0')
		snprintf(buf, size, "%-5s %-4s %-47s %-12s%s", s->fd, proto_name(s->proto), name,
		    s->state[0] ? s->state : "-", notes);
	else
		snprintf(buf, size, "%-5s %-4s %-47s %s", s->fd, proto_name(s->proto), name,
		    s->state[0] ? s->state : "-");
}

/*
 * Whether s is a server's end of a TCP connection: some process listens on
 * its local port. 1 if the process holding s does; 2 if another one does,
 * as with a server that forks a child for each client (socat fork, inetd,
 * sshd): the parent keeps the listener. 0 if no process listens there.
 */
static int
server_side(const struct fdtab_socket *s, const struct snapshot *snap)
{
	unsigned lport = addr_port((const struct sockaddr *)&s->local);
	size_t first = (size_t)(s - snap->socks), i;

	if (s->proto != IPPROTO_TCP || (snap->listening[lport / 8] & (1U << (lport % 8))) == 0)
		return 0;
	/* The snapshot is sorted by pid: the process's own sockets are s's neighbours. */
	while (first > 0 && snap->socks[first - 1].pid == s->pid)
		first--;
	for (i = first; i < snap->count && snap->socks[i].pid == s->pid; i++)
		if (strcmp(snap->socks[i].state, "LISTEN") == 0 &&
		    addr_port((const struct sockaddr *)&snap->socks[i].local) == lport)
			return 1;
	return 2;
}

/* "https" for port 443 over proto, or "" if the services database has no name. */
static const char *
service_name(unsigned port, int proto)
{
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return "";	/* ICMP and the like have no ports */
	return port_service_name(port, proto == IPPROTO_TCP ? "tcp" : "udp");
}

/* lsof's name for the protocol: TCP, UDP, and on macOS also ICMP and others ("58?" if none). */
static const char *
proto_name(int proto)
{
	static char number[16];

	if (fdtab_proto_name(proto) != NULL)
		return fdtab_proto_name(proto);
	snprintf(number, sizeof number, "%d?", proto);
	return number;
}

/* --watch: look again every WATCH_INTERVAL_MS until a signal or the time is up. */
static void
watch(struct snapshot *snap, long seconds, const struct port_range *range, int have_range)
{
	static struct snapshot cur;
	time_t end = time(NULL) + seconds;

	printf(_("\nWatching for connections opening (+), closing (-) and changing state (~) "
	    "for %ld seconds; Ctrl-C stops. (It looks twice a second: a connection "
	    "shorter than that can slip by.)\n"), seconds);
	while (!stop_signal && time(NULL) < end) {
		poll(NULL, 0, WATCH_INTERVAL_MS);
		snapshot(&cur);
		report_changes(snap, &cur, range, have_range);
		free(snap->socks);
		*snap = cur;
	}
	fputs(stop_signal == SIGINT ? _("talkers: stopped watching (Ctrl-C).\n") :
	    stop_signal == SIGTERM ? _("talkers: stopped watching (SIGTERM).\n") :
	    _("talkers: stopped watching.\n"), stdout);
}

/* Compare two sorted snapshots and report what opened, closed or changed state. */
static void
report_changes(const struct snapshot *old, const struct snapshot *cur,
    const struct port_range *range, int have_range)
{
	size_t i = 0, j = 0;
	int c;

	while (i < old->count || j < cur->count) {
		c = i == old->count ? 1 : j == cur->count ? -1 :
		    socket_cmp(&old->socks[i], &cur->socks[j]);
		if (c < 0)
			report('-', &old->socks[i++], old, _("closed"), range, have_range);
		else if (c > 0)
			report('+', &cur->socks[j++], cur, _("opened"), range, have_range);
		else {
			if (strcmp(old->socks[i].state, cur->socks[j].state) != 0)
				report('~', &cur->socks[j], cur, _("changed state"), range, have_range);
			i++, j++;
		}
	}
}

/* One --watch event: "+ 12:00:01 curl (pid 123) 3u TCP ... opened"; snap: the snapshot it is in. */
static void
report(char mark, const struct fdtab_socket *s, const struct snapshot *snap,
    const char *what, const struct port_range *range, int have_range)
{
	char line[512], stamp[16], command[LSOF_COMMAND_WIDTH * 4 + 1];
	time_t now = time(NULL);

	strftime(stamp, sizeof stamp, "%H:%M:%S", localtime(&now));
	fdtab_escape_command(s->command, LSOF_COMMAND_WIDTH, command, sizeof command);
	describe(s, snap, range, have_range, line, sizeof line);
	printf("%c %s  %-9s %7ld  %s  %s\n", mark, stamp, command, s->pid, line, what);
}

/* ---- below: plumbing this lab does not teach: sorting, options, help, messages ---- */

static void
on_signal(int sig)
{
	stop_signal = sig;
}

/* A runtime failure: "talkers: WHAT: REASON [ERRNO]. HINT", exit 1. */
static _Noreturn void
fail(const char *what, int err, const char *hint)
{
	char line[MSG_LINE_MAX];

	msg_format(line, sizeof line, what, err, hint);
	errx(1, "%s", line);
}

/* A usage error: "talkers: WHY", then the usage line (never translated), exit 2. */
static _Noreturn void
usage_error(const char *why)
{
	errx(2, "%s\n%s", why, USAGE);
}

static void
print_help(void)
{
	printf("%s\n", USAGE);
	fputs(_("List every process that has network sockets, grouped by process: servers\n"
	    "listening on a port, and connections with the service at the other end.\n"
	    "\n"
	    "  --watch SECONDS   then report connections opening and closing, for\n"
	    "                    SECONDS (Ctrl-C stops sooner)\n"
	    "  -h, --help        show this help\n"
	    "  --version         show the version\n"
	    "\n"
	    "Example:        bin/talkers --watch 60\n"
	    "Try beside it:  lsof -nP -i\n"), stdout);
}

/* Order: by pid, then by descriptor number. */
static int
socket_cmp(const void *a, const void *b)
{
	const struct fdtab_socket *x = a, *y = b;
	long xfd, yfd;
	int c;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	xfd = strtol(x->fd, NULL, 10);	/* "3u" -> 3 */
	yfd = strtol(y->fd, NULL, 10);
	if (xfd != yfd)
		return xfd < yfd ? -1 : 1;
	if ((c = memcmp(&x->local, &y->local, sizeof x->local)) != 0)
		return c;
	return memcmp(&x->remote, &y->remote, sizeof x->remote);
}

/* --watch SECONDS into *seconds (-1 when not given). */
static void
parse_args(int argc, char **argv, long *seconds)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "watch", required_argument, NULL, 'W' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char why[320];
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (ch) {
		case 'W':
			if (opt_parse_hold(optarg, seconds) == -1 || *seconds == 0) {
				snprintf(why, sizeof why, _("bad --watch '%s': give whole seconds "
				    "from 1 to 86400, like --watch 60"), opt_shown(optarg));
				usage_error(why);
			}
			break;
		case 'V':
			printf("talkers (portlab) %s\n", PORTLAB_VERSION);
			exit(0);
		case 'h':
			print_help();
			exit(0);
		default:
			opt_error(ch, argc, argv, why, sizeof why);
			usage_error(why);
		}
	}
	if (optind < argc) {
		snprintf(why, sizeof why, _("unexpected argument '%s'"), opt_shown(argv[optind]));
		usage_error(why);
	}
}
