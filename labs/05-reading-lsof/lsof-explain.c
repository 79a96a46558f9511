/*
 * lsof-explain - reading lsof's output: the header, the FD column and a
 * socket's NAME, in plain words.
 *
 * lsof asks the kernel which files every process holds open (Linux: the
 * /proc/PID/fd links and /proc/net/tcp; macOS: libproc) and prints one row
 * per open file: the descriptor number the kernel gave the process and how
 * it was opened, what kind of file it is, and its NAME. For a socket, NAME
 * is the kernel's view from that process's own side, LOCAL->REMOTE, with
 * the TCP state. lsof sees only what the kernel lets it see: without root,
 * other users' processes are missing, and lsof does not say so.
 *
 * Usage:          lsof -nP -i | lsof-explain        (or: lsof-explain < saved.txt)
 * Try beside it:  lsof -nP -a -p PID -iTCP;  lsof -nP -p PID;  lsof -i (names, not numbers)
 * See also:       labs/06-background-talkers (talkers): every process on the network, grouped.
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "lsofrow.h"
#include "msg.h"
#include "port.h"

#define USAGE "usage: lsof-explain [--help] [--version] < LSOF-OUTPUT"
#define LINE_BYTES 8192		/* the longest line read whole; lsof's rows are far shorter */
#define SHOWN_MAX (4 * LINE_BYTES + 4)	/* room for a line with every byte escaped */
#define CELL_MAX 256		/* room for one short cell (COMMAND, a port), escaped */
#define SAY_MAX 1024		/* one sentence we build */

/* Things worth saying once per run, not on every row. */
enum note {
	NOTE_NO_HEADER = 1 << 0, NOTE_SPECIAL = 1 << 1, NOTE_OUR_VIEW = 1 << 2,
	NOTE_NAMES = 1 << 3, NOTE_RANGE = 1 << 5,
	NOTE_KERNEL_ADDR = 1 << 6, NOTE_BOTH_HERE = 1 << 7, NOTE_MAPPED = 1 << 8,
	NOTE_SPACE = 1 << 9, NOTE_DENIED = 1 << 10, NOTE_PIDS = 1 << 11, NOTE_FIELDS = 1 << 12
};

/* Everything one run knows and has said. */
struct run {
	struct lsofrow_header hdr;
	int have_hdr;
	unsigned long explained;	/* bit per enum lsofrow_col already explained */
	unsigned said;			/* enum note bits already printed */
	struct port_range range;
	int have_range;
	long last_pid;
	unsigned char listening[65536 / 8];	/* bit per TCP port a LISTEN row showed */
	char last_ours[SAY_MAX];	/* the last "Our port" line, and its row */
	unsigned long last_ours_row;
	unsigned long lineno, rows, others;
	unsigned long pids, fields;	/* lsof -t lines, lsof -F lines */
};

/*
 * FD names that are not descriptors: lsof adds them to show other files a
 * process uses. words is the name with its meaning, as a row's line begins.
 */
static const struct {
	const char *name, *words;
} specials[] = {
	{ "cwd", N_("cwd (its current working directory)") },
	{ "rtd", N_("rtd (its root directory, / unless it runs in a chroot or a container)") },
	{ "txt", N_("txt (program text: the program's own file, and on macOS the libraries it uses)") },
	{ "mem", N_("mem (a file mapped into its memory, usually a shared library)") },
	{ "mmap", N_("mmap (a memory-mapped device)") },
	{ "ltx", N_("ltx (shared library text: a library's code)") },
	{ "DEL", N_("DEL (a memory mapping whose file is gone, Linux only: on a desktop nearly always "
	    "shared memory (/memfd:..., /dev/zero, /SYSV...), not a file someone deleted)") },
	{ "err", N_("err (a file lsof could not read; NAME says why)") },
	{ "NOFD", N_("NOFD (lsof could not list this process's descriptors at all; NAME says why)") },
	{ "twd", N_("twd (the working directory of one thread, on macOS)") },
	{ "pd", N_("pd (its parent directory)") },
	{ "jld", N_("jld (its jail directory, on FreeBSD)") },
	{ "tr", N_("tr (a kernel trace file, on OpenBSD)") },
};

/*
 * TCP states, with both spellings: Linux FIN_WAIT1 is BSD's and macOS's
 * FIN_WAIT_1. words takes the state as lsof wrote it.
 */
static const struct {
	enum lsofrow_state state;
	const char *linux_name, *bsd_name, *words;
} states[] = {
	{ LSOFROW_ESTABLISHED, "ESTABLISHED", "ESTABLISHED", N_("%s: connected; data can flow both ways") },
	{ LSOFROW_LISTEN, "LISTEN", "LISTEN", N_("%s: a server socket waiting for clients; each client "
	    "it accepts gets a new descriptor of its own") },
	{ LSOFROW_SYN_SENT, "SYN_SENT", "SYN_SENT", N_("%s: connecting; we sent the first packet of the "
	    "handshake (SYN) and wait for the answer") },
	{ LSOFROW_SYN_RECV, "SYN_RECV", "SYN_RCVD", N_("%s: half open; a client's SYN arrived and was "
	    "answered; waiting for the last step of the handshake") },
	{ LSOFROW_FIN_WAIT1, "FIN_WAIT1", "FIN_WAIT_1", N_("%s: closing; we closed our side and wait "
	    "for the other end to acknowledge it") },
	{ LSOFROW_FIN_WAIT2, "FIN_WAIT2", "FIN_WAIT_2", N_("%s: closing; our close was acknowledged; "
	    "waiting for the other end to close too") },
	{ LSOFROW_TIME_WAIT, "TIME_WAIT", "TIME_WAIT", N_("%s: closed, but the kernel keeps the four "
	    "addresses and ports reserved a while, so late packets cannot confuse a new connection") },
	{ LSOFROW_CLOSE, "CLOSE", "CLOSED", N_("%s: closed; no connection (not connected yet, or finished)") },
	{ LSOFROW_CLOSE_WAIT, "CLOSE_WAIT", "CLOSE_WAIT", N_("%s: the other end has closed; this program "
	    "has not closed its descriptor yet (a program that never does leaks sockets)") },
	{ LSOFROW_LAST_ACK, "LAST_ACK", "LAST_ACK", N_("%s: the other end closed, then we did; waiting "
	    "for the final acknowledgement") },
	{ LSOFROW_CLOSING, "CLOSING", "CLOSING", N_("%s: both ends closed at the same moment; waiting "
	    "for the acknowledgement") },
};

static void handle_line(struct run *run, const char *line, size_t len, int cut);
static void explain_header(struct run *run);
static const char *column_words(enum lsofrow_col col);
static void explain_row(struct run *run, const char *line, size_t len, const struct lsofrow *row);
static void explain_process(struct run *run, const char *line, const struct lsofrow *row);
static void explain_fd_type(const char *line, const struct lsofrow *row);
static void fd_words(const struct lsofrow_fd *fd, char *buf, size_t size);
static const char *mode_words(char mode);
static const char *lock_words(char lock);
static void type_words(const char *line, const struct lsofrow *row, char *buf, size_t size);
static void explain_inet(struct run *run, const char *line, const struct lsofrow *row);
static void end_words(const char *line, const struct lsofrow_end *end,
    const struct lsofrow_end *ours, char *buf, size_t size);
static void port_line(struct run *run, const char *line, const struct lsofrow_end *end,
    const char *proto, int ours);
static const char *other_os_range(void);
static void iana_words(unsigned port, int no_name, char *say, size_t size);
static void state_words(const char *line, const struct lsofrow_inet *in, char *buf, size_t size);
static void queue_words(const char *line, struct lsofrow_span more, int listening);
static size_t endpoint_words(const char *p, size_t len, char *buf, size_t size);
static void explain_unix(const char *line, struct lsofrow_span name);
static void explain_pipe(const char *line, const struct lsofrow *row);
static void explain_file(struct run *run, const char *line, const struct lsofrow *row);
static const char *unix_word(const char *word);
static const char *anon_words(const char *name);
static int is_pid_line(const char *line, size_t len);
static int is_field_start(const char *line, size_t len);
static void explain_pid_line(struct run *run, const char *line, size_t len);
static void explain_fields(struct run *run, const char *line, size_t len);
static void explain_field(const char *p, size_t len);
static void explain_other(struct run *run, const char *line, size_t len, const char *why);
static void finish(const struct run *run);

static void print_help(void);
static int read_line(FILE *in, char *buf, size_t size, size_t *len, int *cut);
static void append(char *buf, size_t size, const char *fmt, ...);
static const char *shown(const char *bytes, size_t len, char *buf, size_t size);
static const char *cell(const char *line, struct lsofrow_span sp, char *buf, size_t size);
static int span_is(const char *line, struct lsofrow_span sp, const char *word);
static const char *next_word(const char **p, const char *end, size_t *len);
static int first_time(struct run *run, enum note note);
static int is_numeric_host(const char *host);
static int is_loopback(const char *host);
static int has_names(const char *line, const struct lsofrow_inet *in);
static void parse_args(int argc, char **argv);

int
main(int argc, char **argv)
{
	static char line[LINE_BYTES];
	char say[MSG_LINE_MAX];
	struct run run;
	size_t len;
	int got, cut;

	parse_args(argc, argv);
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "lsof-explain: %s\n", _("reading lsof's output from the terminal; "
		    "paste it and end with Ctrl-D, or pipe it in: lsof -nP -i | bin/lsof-explain"));

	memset(&run, 0, sizeof run);
	run.have_range = port_ephemeral_range(&run.range) == 0;
	while ((got = read_line(stdin, line, sizeof line, &len, &cut)) == 1) {
		run.lineno++;
		handle_line(&run, line, len, cut);
	}
	if (got < 0) {
		msg_format(say, sizeof say, "read stdin", errno, _("Give it lsof's output, "
		    "as in: lsof -nP -i | bin/lsof-explain"));
		fflush(stdout);
		fprintf(stderr, "lsof-explain: %s\n", say);
		return 1;
	}
	finish(&run);
	return 0;
}

/* One line of input: a header, a row, lsof's own message, or something else. */
static void
handle_line(struct run *run, const char *line, size_t len, int cut)
{
	struct lsofrow_header hdr;
	struct lsofrow row;
	char why[SAY_MAX];
	size_t i;

	if (cut) {
		snprintf(why, sizeof why, _("line too long, cut (only its first %d bytes are "
		    "shown; the rest was skipped)"), LINE_BYTES);
		explain_other(run, line, len, why);
		return;
	}
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'); i++)
		;
	if (i == len)
		return;		/* a blank line says nothing */
	if (lsofrow_parse_header(line, len, &hdr) == 0) {
		run->hdr = hdr;
		run->have_hdr = 1;
		explain_header(run);
	} else if (run->rows == 0 && !run->have_hdr && (run->fields > 0 || is_field_start(line, len)))
		explain_fields(run, line, len);
	else if (run->rows == 0 && !run->have_hdr && is_pid_line(line, len))
		explain_pid_line(run, line, len);
	else if (len > 6 && memcmp(line, "lsof: ", 6) == 0)
		explain_other(run, line, len, _("a message from lsof itself (on stderr), "
		    "not a row"));
	else if (lsofrow_parse(line, len, run->have_hdr ? &run->hdr : NULL, &row) == 0)
		explain_row(run, line, len, &row);
	else
		explain_other(run, line, len, row.error != NULL ? _(row.error) : "?");
}

/* The header, column by column; a second header only adds new columns. */
static void
explain_header(struct run *run)
{
	char title[CELL_MAX];
	size_t i;
	int any = 0;

	for (i = 0; i < run->hdr.ncols; i++) {
		const struct lsofrow_header_col *c = &run->hdr.cols[i];

		if (run->explained & (1UL << c->col) && c->col != LSOFROW_OTHER)
			continue;
		if (!any)
			printf("%s", run->explained ? _("Another header line, with new columns:\n") :
			    _("The header line names lsof's columns:\n"));
		any = 1;
		run->explained |= 1UL << c->col;
		printf("  %-9s %s\n", shown(c->title, strlen(c->title), title, sizeof title),
		    column_words(c->col));
	}
	if (!any)
		printf("%s", _("Another header line: lsof's columns again, read afresh.\n"));
	printf("\n");
}

/* What each column means, in the words the memo uses. */
static const char *
column_words(enum lsofrow_col col)
{
	switch (col) {
	case LSOFROW_COMMAND: return _("the program's name, cut to 9 characters unless you run lsof +c 0");
	case LSOFROW_PID: return _("the process ID: the number the kernel gave this running program");
	case LSOFROW_TID: return _("the thread ID: this row belongs to one thread of the process (lsof -K lists threads)");
	case LSOFROW_TASKCMD: return _("the thread's own name");
	case LSOFROW_ZONE: return _("the Solaris zone the process runs in");
	case LSOFROW_CONTEXT: return _("the process's SELinux security context (lsof -Z)");
	case LSOFROW_PPID: return _("the parent process's ID: who started this process (lsof -R)");
	case LSOFROW_PGID: return _("the process group ID (lsof -g)");
	case LSOFROW_USER: return _("the user the process runs as");
	case LSOFROW_FD: return _("the file descriptor: the process's number for an open file and how it "
		    "is open (3u = descriptor 3, read and write), or a name such as cwd, txt or mem");
	case LSOFROW_TYPE: return _("what kind of file: REG (file), DIR, CHR (device), FIFO or PIPE, unix "
		    "(local socket), IPv4 or IPv6 (network socket), ...");
	case LSOFROW_FILE_ADDR: return _("the kernel address of the file structure (lsof +f g)");
	case LSOFROW_FCT: return _("how many descriptors share the file structure (lsof +f c)");
	case LSOFROW_FILE_FLAG: return _("the flags the file was opened with (lsof +f f)");
	case LSOFROW_NODE_ID: return _("the kernel address of the file's node (lsof +f n)");
	case LSOFROW_DEVICE: return _("the device that holds the file (major,minor), or for a socket an ID "
		    "or kernel address (0x...); rarely needed");
	case LSOFROW_SIZE_OFF: return _("a file's size in bytes, or the offset of the next read or write "
		    "(0t0 = offset 0, in decimal); sockets show 0t0, and so do pipes on Linux (on macOS "
		    "a PIPE shows its buffer size, 16384, and a KQUEUE nothing)");
	case LSOFROW_SIZE: return _("the file's size in bytes (lsof -s)");
	case LSOFROW_OFF: return _("the offset of the next read or write (lsof -o)");
	case LSOFROW_NLINK: return _("how many names (hard links) the file has; 0 means deleted (lsof +L)");
	case LSOFROW_NODE: return _("the file's inode number, or the protocol (TCP, UDP) of a network socket");
	case LSOFROW_NAME: return _("the most important column: the file's path, or for a network socket "
		    "its addresses and ports, ours first (LOCAL->REMOTE), and the TCP state");
	default: return _("a column this program does not know; man lsof explains every column");
	}
}

/* One row: the process, the row itself, then what its FD, TYPE and NAME mean. */
static void
explain_row(struct run *run, const char *line, size_t len, const struct lsofrow *row)
{
	static char echo[SHOWN_MAX];
	char device[CELL_MAX];

	run->rows++;
	if (!run->have_hdr && first_time(run, NOTE_NO_HEADER))
		printf("%s", _("(No header line came first, so each row is split at its spaces. grep "
		    "and tail drop lsof's header; lsof -nP -i | head keeps it.)\n\n"));
	explain_process(run, line, row);
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\r'))
		len--;
	printf("  %s\n", shown(line, len, echo, sizeof echo));
	if (row->fd.kind == LSOFROW_FD_SPECIAL && first_time(run, NOTE_SPECIAL))
		printf("%s", _("    (cwd, rtd, txt, mem and the like are not descriptors the program "
		    "opened: lsof adds these rows to show files the process uses in other ways.)\n"));
	explain_fd_type(line, row);
	cell(line, row->cell[LSOFROW_DEVICE], device, sizeof device);
	if (strncmp(device, "0x", 2) == 0 && first_time(run, NOTE_KERNEL_ADDR))
		printf(_("    (DEVICE %s is an address inside the kernel: an ID for this object, "
		    "nothing to read.)\n"), device);
	if (row->is_inet)
		explain_inet(run, line, row);
	else if (span_is(line, row->cell[LSOFROW_TYPE], "IPv4") ||
	    span_is(line, row->cell[LSOFROW_TYPE], "IPv6")) {
		cell(line, row->cell[LSOFROW_NAME], echo, sizeof echo);
		if (row->cell[LSOFROW_NAME].len == 0)
			printf(_("    NAME: %s (empty; the row may be cut short)\n"), echo);
		else
			printf(_("    NAME: %s (not the HOST:PORT form lsof writes for a network "
			    "socket; the row may be cut short)\n"), echo);
	} else if (span_is(line, row->cell[LSOFROW_TYPE], "unix"))
		explain_unix(line, row->cell[LSOFROW_NAME]);
	else if (span_is(line, row->cell[LSOFROW_TYPE], "FIFO") ||
	    span_is(line, row->cell[LSOFROW_TYPE], "PIPE"))
		explain_pipe(line, row);
	else
		explain_file(run, line, row);
}

/* A line when the process changes: lsof prints each process's rows together. */
static void
explain_process(struct run *run, const char *line, const struct lsofrow *row)
{
	char cmd[CELL_MAX], user[CELL_MAX], pid[CELL_MAX];

	if (run->rows > 1 && row->pid == run->last_pid)
		return;
	run->last_pid = row->pid;
	cell(line, row->cell[LSOFROW_COMMAND], cmd, sizeof cmd);
	cell(line, row->cell[LSOFROW_USER], user, sizeof user);
	cell(line, row->cell[LSOFROW_PID], pid, sizeof pid);
	if (run->rows > 1)
		printf("\n");
	if (user[strspn(user, "0123456789")] == '\0' && user[0] != '\0')
		printf(_("Process %s (pid %s), run by user %s (a user ID: lsof found no name for it, "
		    "or was run with -l):\n"), cmd, pid, user);
	else
		printf(_("Process %s (pid %s), run by user %s:\n"), cmd, pid, user);
	if (row->cell[LSOFROW_COMMAND].len == 9 && strcmp(cmd, "com.docke") == 0)
		printf("%s", _("  (The name has 9 characters, lsof's limit, so it is probably cut: "
		    "it is Docker Desktop's, com.docker.backend today (older versions ran "
		    "com.docker.vpnkit or com.docker.slirp); lsof +c 0 shows names whole.)\n"));
	else if (row->cell[LSOFROW_COMMAND].len == 9)
		printf("%s", _("  (The name has 9 characters, lsof's limit, so it is probably cut; "
		    "lsof +c 0 shows names whole.)\n"));
	if (strstr(cmd, "\\x20") != NULL && first_time(run, NOTE_SPACE))
		printf("%s", _("  (\\x20 is how lsof writes a space in a name.)\n"));
}

/*
 * The row's descriptor and its type in one line: "Descriptor 3, open for
 * reading only (r): a regular file (REG) of 0 bytes." A Japanese line says
 * the same in sentences of its own, so each shape is one message.
 */
static void
explain_fd_type(const char *line, const struct lsofrow *row)
{
	char fd[SAY_MAX], type[SAY_MAX], other[CELL_MAX];
	struct lsofrow_span tid = row->cell[LSOFROW_TID];
	int extra = tid.len == 0 && row->cell[LSOFROW_OTHER].len > 0 && !row->by_header;

	fd_words(&row->fd, fd, sizeof fd);
	type_words(line, row, type, sizeof type);
	if (tid.len > 0)
		cell(line, tid, other, sizeof other);
	else if (extra)
		cell(line, row->cell[LSOFROW_OTHER], other, sizeof other);
	if (tid.len > 0 && type[0] != '\0')
		printf(_("    %s: %s, in thread %s.\n"), fd, type, other);
	else if (tid.len > 0)
		printf(_("    %s, in thread %s.\n"), fd, other);
	else if (extra && type[0] != '\0')
		printf(_("    %s: %s (the extra column %s is a TID, PPID or PGID; the header "
		    "would say which).\n"), fd, type, other);
	else if (extra)
		printf(_("    %s (the extra column %s is a TID, PPID or PGID; the header would "
		    "say which).\n"), fd, other);
	else if (type[0] != '\0')
		printf(_("    %s: %s.\n"), fd, type);
	else
		printf(_("    %s.\n"), fd);
}

/* The FD column in words: "Descriptor 3, open for reading and writing (u)", or "cwd (...)". */
static void
fd_words(const struct lsofrow_fd *fd, char *buf, size_t size)
{
	/* Each kind of descriptor: its number and mode, then with a lock too. */
	static const char *const forms[][2] = {
		{ N_("Descriptor %ld (standard input), %s"),
		    N_("Descriptor %ld (standard input), %s, with %s") },
		{ N_("Descriptor %ld (standard output), %s"),
		    N_("Descriptor %ld (standard output), %s, with %s") },
		{ N_("Descriptor %ld (standard error), %s"),
		    N_("Descriptor %ld (standard error), %s, with %s") },
		{ N_("Descriptor %ld, %s"), N_("Descriptor %ld, %s, with %s") },
		{ N_("A descriptor of 10000 or more that ends in %03ld (lsof has room for 4 places, "
		    "so it writes * and the last 3 digits), %s"),
		    N_("A descriptor of 10000 or more that ends in %03ld (lsof has room for 4 places, "
		    "so it writes * and the last 3 digits), %s, with %s") },
	};
	const char *mode = mode_words(fd->mode), *lock = lock_words(fd->lock);
	char what[SAY_MAX];
	size_t i;

	if (fd->kind == LSOFROW_FD_SPECIAL) {
		for (i = 0; i < sizeof specials / sizeof specials[0]; i++)
			if (strcmp(fd->name, specials[i].name) == 0)
				break;
		if (i < sizeof specials / sizeof specials[0])
			snprintf(what, sizeof what, "%s", _(specials[i].words));
		else
			snprintf(what, sizeof what, _("%s (an FD name this program does not know; "
			    "man lsof, section OUTPUT, explains every one)"), fd->name);
		/* "mem-w": the "-" stands where a mode would be, then the lock. */
		if (lock != NULL)
			snprintf(buf, size, _("%s, with %s held by this process"), what, lock);
		else
			snprintf(buf, size, "%s", what);
		return;
	}
	if (fd->kind == LSOFROW_FD_BIG)
		i = 4;
	else if (fd->number >= 0 && fd->number <= 2)
		i = (size_t)fd->number;
	else
		i = 3;
	if (lock != NULL)
		snprintf(buf, size, _(forms[i][1]), fd->number, mode, lock);
	else
		snprintf(buf, size, _(forms[i][0]), fd->number, mode);
}

static const char *
mode_words(char mode)
{
	switch (mode) {
	case 'r': return _("open for reading only (r)");
	case 'w': return _("open for writing only (w)");
	case 'u': return _("open for reading and writing (u)");
	case '-': return _("its mode unknown (-, written because a lock character follows)");
	default: return _("no mode letter (macOS's lsof shows none for a PIPE, NPOLICY or FSEVENTS, "
		    "nor for a descriptor it could not read)");
	}
}

static const char *
lock_words(char lock)
{
	switch (lock) {
	case 'r': return _("a read lock on part of the file (r)");
	case 'R': return _("a read lock on the whole file (R)");
	case 'w': return _("a write lock on part of the file (w)");
	case 'W': return _("a write lock on the whole file (W)");
	case 'u': return _("a read and write lock (u)");
	case 'U': return _("a lock of unknown type (U)");
	case 'N': return _("a Solaris NFS lock of unknown type (N)");
	case 'x': return _("an SCO OpenServer Xenix lock on part of the file (x)");
	case 'X': return _("an SCO OpenServer Xenix lock on the whole file (X)");
	default: return NULL;
	}
}

/*
 * The TYPE column in words; unknown types are echoed as they came. more,
 * where a type has it, adds NODE's protocol (on 'N') or the size in bytes
 * (on 'S').
 */
static void
type_words(const char *line, const struct lsofrow *row, char *buf, size_t size)
{
	static const struct {
		const char *type, *words, *more;
		char with;
	} types[] = {
		{ "IPv4", N_("an IPv4 network socket"), N_("an IPv4 network socket speaking %s"), 'N' },
		{ "IPv6", N_("an IPv6 network socket"), N_("an IPv6 network socket speaking %s"), 'N' },
		{ "unix", N_("a UNIX domain socket, which joins processes on this machine"), NULL, 0 },
		{ "sock", N_("a socket of a kind lsof could not name"), NULL, 0 },
		{ "REG", N_("a regular file (REG)"), N_("a regular file (REG) of %s bytes"), 'S' },
		{ "DIR", N_("a directory (DIR)"), NULL, 0 },
		{ "CHR", N_("a character device (CHR) such as a terminal or /dev/null"), NULL, 0 },
		{ "BLK", N_("a block device (BLK), such as a disk"), NULL, 0 },
		{ "FIFO", N_("a pipe or named pipe (FIFO)"), NULL, 0 },
		{ "PIPE", N_("a pipe (PIPE, as macOS calls it)"), NULL, 0 },
		{ "KQUEUE", N_("a kqueue: macOS's way for a program to wait for many events at once"),
		    NULL, 0 },
		{ "a_inode", N_("an anonymous inode (a_inode): a kernel object with no file behind it"),
		    NULL, 0 },
		{ "netlink", N_("a netlink socket: a line to the Linux kernel itself"), NULL, 0 },
		{ "raw", N_("a raw IPv4 socket, as ping uses"), NULL, 0 },
		{ "raw6", N_("a raw IPv6 socket"), NULL, 0 },
		{ "systm", N_("a macOS system socket (systm), for talking to the kernel"), NULL, 0 },
		{ "rte", N_("a macOS routing socket (rte): the kernel's messages about routes and "
		    "addresses"), NULL, 0 },
		{ "ndrv", N_("a macOS raw network-driver socket (ndrv)"), NULL, 0 },
		{ "key", N_("a key-management socket (key), for IPsec"), NULL, 0 },
		{ "ppp", N_("a PPP socket (ppp)"), NULL, 0 },
		{ "vsock", N_("a vsock: a line between a virtual machine and its host"), NULL, 0 },
		{ "vsockp", N_("a vsock: a line between a virtual machine and its host"), NULL, 0 },
		{ "NPOLICY", N_("a macOS network policy descriptor (NPOLICY)"), NULL, 0 },
		{ "FSEVENTS", N_("macOS's file-system events device (FSEVENTS)"), NULL, 0 },
		{ "LINK", N_("a symbolic link (LINK)"), NULL, 0 },
		{ "PSXSHM", N_("a POSIX shared memory object"),
		    N_("a POSIX shared memory object of %s bytes"), 'S' },
		{ "PSXSEM", N_("a POSIX semaphore"), NULL, 0 },
		{ "unknown", N_("something lsof could not identify (unknown), usually because it "
		    "was not allowed to look"), NULL, 0 },
	};
	struct lsofrow_span type = row->cell[LSOFROW_TYPE], node = row->cell[LSOFROW_NODE];
	struct lsofrow_span bytes = row->cell[LSOFROW_SIZE_OFF].len > 0 ?
	    row->cell[LSOFROW_SIZE_OFF] : row->cell[LSOFROW_SIZE];
	char text[CELL_MAX];
	size_t i;

	buf[0] = '\0';
	if (type.len == 0)
		return;
	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		if (!span_is(line, type, types[i].type))
			continue;
		cell(line, types[i].with == 'N' ? node : bytes, text, sizeof text);
		if ((types[i].with == 'N' && node.len > 0) || (types[i].with == 'S' &&
		    text[0] != '\0' && text[strspn(text, "0123456789")] == '\0'))
			snprintf(buf, size, _(types[i].more), text);
		else
			snprintf(buf, size, "%s", _(types[i].words));
		return;
	}
	snprintf(buf, size, _("TYPE %s, a kind this program does not explain (see man lsof)"),
	    cell(line, type, text, sizeof text));
}

/* A network row: which end is ours, the state, and both ports. */
static void
explain_inet(struct run *run, const char *line, const struct lsofrow *row)
{
	const struct lsofrow_inet *in = &row->inet;
	char say[SAY_MAX] = "", local[SAY_MAX], remote[SAY_MAX], host[CELL_MAX];
	const char *proto = span_is(line, row->cell[LSOFROW_NODE], "TCP") ? "tcp" :
	    span_is(line, row->cell[LSOFROW_NODE], "UDP") ? "udp" : NULL;

	end_words(line, &in->local, NULL, local, sizeof local);
	end_words(line, &in->remote, &in->local, remote, sizeof remote);
	if (in->tcp_state != LSOFROW_NO_STATE)
		state_words(line, in, say, sizeof say);
	if (in->tcp_state == LSOFROW_LISTEN && in->local.port_number >= 0)
		run->listening[in->local.port_number / 8] |=
		    (unsigned char)(1u << (in->local.port_number % 8));
	if (in->tcp_state == LSOFROW_LISTEN)
		printf(_("    %s. It listens on %s.\n"), say, local);
	else if (in->has_remote && say[0] != '\0')
		printf(_("    %s. Our end is %s; the other end is %s.\n"), say, local, remote);
	else if (in->has_remote)
		printf(_("    Our end is %s; the other end is %s.\n"), local, remote);
	else if (proto != NULL && strcmp(proto, "udp") == 0)
		printf(_("    UDP has no connection and no state: this socket takes the messages "
		    "sent to %s.\n"), local);
	else if (say[0] != '\0')
		printf(_("    %s. Our end is %s; there is no other end yet.\n"), say, local);
	else
		printf(_("    Our end is %s; there is no other end yet.\n"), local);
	if (in->more.len > 0)
		queue_words(line, in->more, in->tcp_state == LSOFROW_LISTEN);
	say[0] = '\0';
	if (in->endpoints.len > 0 && endpoint_words(line + in->endpoints.off, in->endpoints.len,
	    say, sizeof say) > 0)
		printf(_("    The other end, here on this machine (lsof +E): %s.\n"), say);
	if (in->has_remote && first_time(run, NOTE_OUR_VIEW))
		printf("%s", _("    (lsof writes a connection from this process's own side: "
		    "LOCAL->REMOTE, our end first.)\n"));
	port_line(run, line, &in->local, proto, 1);
	if (in->has_remote)
		port_line(run, line, &in->remote, proto, 0);
	cell(line, in->local.host, host, sizeof host);
	if (in->has_remote && is_loopback(host) && first_time(run, NOTE_BOTH_HERE))
		printf("%s", _("    (Both ends are on this machine, so the other end is a process "
		    "here too: its row shows the same two ports, swapped.)\n"));
	if (span_is(line, row->cell[LSOFROW_TYPE], "IPv6") && host[0] != '[' &&
	    strchr(host, '.') != NULL && first_time(run, NOTE_MAPPED))
		printf(_("    (An IPv6 socket with IPv4 addresses: it serves IPv4 clients too, and "
		    "lsof writes ::ffff:%s as plain %s.)\n"), host, host);
	if (has_names(line, in) && first_time(run, NOTE_NAMES))
		printf("%s", _("    (lsof wrote names here, not numbers: it looked up host names "
		    "(without -n) and service names (without -P). Run it again with -nP, as in "
		    "lsof -nP -i, to see the numbers; it is faster too.)\n"));
}

/*
 * "127.0.0.1 (loopback: this machine only) port 8080". With ours, the
 * other end of a connection: its host is not explained twice.
 */
static void
end_words(const char *line, const struct lsofrow_end *end,
    const struct lsofrow_end *ours, char *buf, size_t size)
{
	/* For each kind of host: with a port, and with none yet ("*"). */
	static const char *const forms[][2] = {
		{ N_("%s, the same address, port %s"), N_("%s, the same address,, no port yet (*)") },
		{ N_("%s (every address of this machine, so other computers can reach it too) port %s"),
		    N_("%s (every address of this machine, so other computers can reach it too), "
		    "no port yet (*)") },
		{ N_("%s (loopback: this machine only) port %s"),
		    N_("%s (loopback: this machine only), no port yet (*)") },
		{ N_("%s (a host name lsof looked up) port %s"),
		    N_("%s (a host name lsof looked up), no port yet (*)") },
		{ N_("%s port %s"), N_("%s, no port yet (*)") },
	};
	char host[CELL_MAX], port[CELL_MAX], our_host[CELL_MAX];
	size_t kind;

	cell(line, end->host, host, sizeof host);
	cell(line, end->port, port, sizeof port);
	if (ours != NULL && strcmp(host, cell(line, ours->host, our_host, sizeof our_host)) == 0)
		kind = 0;
	else if (strcmp(host, "*") == 0)
		kind = 1;
	else if (is_loopback(host))
		kind = 2;
	else if (!is_numeric_host(host))
		kind = 3;
	else
		kind = 4;
	if (strcmp(port, "*") == 0)
		snprintf(buf, size, _(forms[kind][1]), host);
	else
		snprintf(buf, size, _(forms[kind][0]), host, port);
}

/*
 * One port's line: its number, IANA range and service, and for our own
 * port whether this machine's ephemeral range holds it.
 */
static void
port_line(struct run *run, const char *line, const struct lsofrow_end *end,
    const char *proto, int ours)
{
	char name[CELL_MAX], host[CELL_MAX], say[SAY_MAX] = "";
	const char *svc;
	unsigned port;

	cell(line, end->port, name, sizeof name);
	cell(line, end->host, host, sizeof host);
	if (strcmp(name, "*") == 0)
		return;
	if (end->port_number >= 0) {
		port = (unsigned)end->port_number;
		svc = proto != NULL ? port_service_name(port, proto) : "";
		if (svc[0] != '\0')
			snprintf(say, sizeof say, ours ? _("Our port %u (%s)") : _("Their port %u (%s)"),
			    port, svc);
		else
			snprintf(say, sizeof say, ours ? _("Our port %u") : _("Their port %u"), port);
	} else if (proto != NULL && port_service_port(name, proto, &port) == 0) {
		svc = name;
		snprintf(say, sizeof say, ours ?
		    _("Our port %s, a service name for port %u (-P shows the number)") :
		    _("Their port %s, a service name for port %u (-P shows the number)"), name, port);
	} else {
		printf(ours ? _("    Our port %s: a service name this machine does not know, so its "
		    "number is unknown here; lsof -P shows numbers.\n") :
		    _("    Their port %s: a service name this machine does not know, so its "
		    "number is unknown here; lsof -P shows numbers.\n"), name);
		return;
	}
	iana_words(port, svc[0] == '\0' && proto != NULL, say, sizeof say);
	if (ours && run->have_range && port_in_range(&run->range, port))
		append(say, sizeof say, _("; inside this machine's ephemeral range (%u-%u), where "
		    "the OS picks ports for clients and for bind() to port 0"), run->range.low,
		    run->range.high);
	else if (ours && run->have_range)
		append(say, sizeof say, _("; outside this machine's ephemeral range (%u-%u), so "
		    "the program chose this port itself, with bind()"), run->range.low, run->range.high);
	else if (proto != NULL && strcmp(proto, "tcp") == 0 && is_loopback(host) &&
	    (run->listening[port / 8] & (1u << (port % 8))))
		append(say, sizeof say, "%s", _("; a LISTEN row above listens on it, so the other "
		    "end is that server"));
	else if (run->have_range && port_in_range(&run->range, port) && strcmp(host, "*") != 0)
		append(say, sizeof say, is_loopback(host) ?
		    _("; inside this machine's ephemeral range (%u-%u), so most likely a client's "
		    "port, picked by its OS") :
		    _("; inside this machine's ephemeral range (%u-%u), so most likely a client's "
		    "port, picked by its OS (if the other end is another computer, its own range "
		    "decides)"), run->range.low, run->range.high);
	/* Rows of one server repeat its port: say it once. */
	if (ours && run->last_ours_row + 1 == run->rows && strcmp(say, run->last_ours) == 0)
		printf(_("    Our port %u: as above.\n"), port);
	else
		printf(_("    %s.\n"), say);
	if (ours) {
		snprintf(run->last_ours, sizeof run->last_ours, "%s", say);
		run->last_ours_row = run->rows;
	}
	if (ours && run->have_range && first_time(run, NOTE_RANGE))
		printf(_("    (The ephemeral range is this machine's, read from %s. If the lsof output "
		    "came from another computer, its range may differ: %s.)\n"), run->range.source,
		    other_os_range());
}

/* The other platform's ephemeral range, for output that came from elsewhere. */
static const char *
other_os_range(void)
{
#ifdef __APPLE__
	return _("Linux usually uses 32768-60999");
#else
	return _("macOS uses 49152-65535");
#endif
}

/*
 * The IANA range of port, appended to say: ": registered range
 * (1024-49151)", with ", no service name" when no_name.
 */
static void
iana_words(unsigned port, int no_name, char *say, size_t size)
{
	const struct port_iana_info *iana = port_iana_info(port_iana_class(port));

	switch (port_iana_class(port)) {
	case PORT_WELL_KNOWN:
		append(say, size, no_name ? _(": well-known range (%u-%u), no service name") :
		    _(": well-known range (%u-%u)"), iana->low, iana->high);
		break;
	case PORT_REGISTERED:
		append(say, size, no_name ? _(": registered range (%u-%u), no service name") :
		    _(": registered range (%u-%u)"), iana->low, iana->high);
		break;
	default:
		append(say, size, no_name ? _(": dynamic range (%u-%u), no service name") :
		    _(": dynamic range (%u-%u)"), iana->low, iana->high);
		break;
	}
}

/* "ESTABLISHED: connected; ..." for the row's state. */
static void
state_words(const char *line, const struct lsofrow_inet *in, char *buf, size_t size)
{
	char text[CELL_MAX];
	size_t i;

	buf[0] = '\0';
	cell(line, in->state, text, sizeof text);
	for (i = 0; i < sizeof states / sizeof states[0]; i++) {
		if (states[i].state != in->tcp_state)
			continue;
		append(buf, size, _(states[i].words), text);
		if (in->bsd_spelling && strcmp(states[i].linux_name, states[i].bsd_name) != 0)
			append(buf, size, _(" (%s is the macOS and BSD spelling; Linux writes %s)"),
			    states[i].bsd_name, states[i].linux_name);
		return;
	}
	append(buf, size, _("%s: a state this program does not know"), text);
}

/*
 * lsof -T's extra words after the state: "QR=0 QS=0". On Linux a listening
 * socket's QR is its accept queue (the kernel's /proc/net/tcp rx_queue).
 * In English each word's words end in ';' and the last one is dropped; a
 * translation may end each in a sentence's own stop instead.
 */
static void
queue_words(const char *line, struct lsofrow_span more, int listening)
{
	char say[SAY_MAX] = "", word[CELL_MAX];
	const char *p = line + more.off, *end = p + more.len, *w;
	size_t n;

	while ((w = next_word(&p, end, &n)) != NULL) {
		shown(w, n, word, sizeof word);
		if (strncmp(word, "QR=", 3) == 0)
			append(say, sizeof say, listening ? _(" %s: connections the kernel has "
			    "completed that the server has not accept()ed yet (on Linux);") :
			    _(" %s: bytes that arrived and the program has not read yet;"), word);
		else if (strncmp(word, "QS=", 3) == 0)
			append(say, sizeof say, _(" %s: bytes sent that the other end has not "
			    "acknowledged yet;"), word);
		else
			append(say, sizeof say, _(" %s (man lsof, option -T, explains it);"), word);
	}
	n = strlen(say);
	if (n == 0)
		return;
	if (say[n - 1] == ';')
		say[n - 1] = '\0';
	printf(_("    Queues (lsof -T):%s. Numbers that stay high mean a program that "
	    "does not keep up.\n"), say);
}

/*
 * lsof +E's endpoint words "4242,curl,3u 4243,sh,4w" appended to buf as
 * "pid 4242 (curl) as 3u, pid 4243 (sh) as 4w". Returns how many there were.
 */
static size_t
endpoint_words(const char *p, size_t len, char *buf, size_t size)
{
	const char *end = p + len, *w;
	struct lsofrow_span command, fd;
	char cmd[CELL_MAX], text[CELL_MAX];
	size_t n = 0, wlen;
	long pid;

	while ((w = next_word(&p, end, &wlen)) != NULL)
		if (lsofrow_parse_endpoint(w, wlen, &pid, &command, &fd)) {
			append(buf, size, buf[0] != '\0' ? _(", pid %ld (%s) as %s") :
			    _("pid %ld (%s) as %s"), pid,
			    shown(w + command.off, command.len, cmd, sizeof cmd),
			    shown(w + fd.off, fd.len, text, sizeof text));
			n++;
		}
	return n;
}

/*
 * A UNIX domain socket's NAME: path, type=STREAM, (LISTEN), ->0x..., +E's
 * ->INO=N. Each sentence starts with a space, in English.
 */
static void
explain_unix(const char *line, struct lsofrow_span name)
{
	char say[SAY_MAX] = "", text[CELL_MAX], ends[SAY_MAX] = "";
	const char *p = line + name.off, *end = p + name.len, *w;
	int named = 0;
	size_t n;

	while ((w = next_word(&p, end, &n)) != NULL) {
		shown(w, n, text, sizeof text);
		if (*w == '/' || *w == '@') {
			named = 1;
			append(say, sizeof say, *w == '@' ? _(" Its name is %s (Linux: an abstract "
			    "name, with no file behind it).") : _(" Its name is %s, a socket file that "
			    "other processes connect to."), text);
		} else if (strncmp(text, "->INO=", 6) == 0)
			append(say, sizeof say, _(" It is connected to the socket whose NODE is %s "
			    "(lsof +E names the other end by its inode)."), text + 6);
		else if (n > 2 && w[0] == '-' && w[1] == '>')
			append(say, sizeof say, _(" It is connected to the socket at kernel address "
			    "%s (look for it in another row's DEVICE column)."), text + 2);
		else if (endpoint_words(w, n, ends, sizeof ends) == 0)
			append(say, sizeof say, "%s", unix_word(text));
	}
	if (!named)
		append(say, sizeof say, "%s", _(" It has no file name: an unnamed socket, such as "
		    "one end of a socketpair or a connection a server accepted."));
	if (ends[0] != '\0')
		append(say, sizeof say, _(" The other end is open in (lsof +E): %s."), ends);
	printf("    %s\n", say[0] == ' ' ? say + 1 : say);
}

/* One word of a UNIX socket's NAME, with its meaning, as a sentence. */
static const char *
unix_word(const char *word)
{
	static char other[CELL_MAX + 8];
	static const struct {
		const char *word, *say;
	} words[] = {
		{ "type=STREAM", N_(" type=STREAM: a byte stream, like TCP.") },
		{ "type=DGRAM", N_(" type=DGRAM: separate messages, like UDP.") },
		{ "type=SEQPACKET", N_(" type=SEQPACKET: messages, kept in order.") },
		{ "(LISTEN)", N_(" LISTEN: a server waiting for clients.") },
		{ "(CONNECTED)", N_(" CONNECTED: joined to another socket.") },
		{ "(UNCONNECTED)", N_(" UNCONNECTED: not joined to anything.") },
		{ "(CONNECTING)", N_(" CONNECTING: joining another socket.") },
		{ "(DISCONNECTING)", N_(" DISCONNECTING: leaving the socket it was joined to.") },
	};
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(word, words[i].word) == 0)
			return _(words[i].say);
	snprintf(other, sizeof other, _(" %s."), word);
	return other;
}

/* A pipe: Linux FIFO "pipe" (+E: with its other holders), a named FIFO, or macOS PIPE "->0x...". */
static void
explain_pipe(const char *line, const struct lsofrow *row)
{
	char name[SHOWN_MAX], node[CELL_MAX], ends[SAY_MAX] = "";
	struct lsofrow_span sp = row->cell[LSOFROW_NAME];
	size_t start = lsofrow_endpoints_start(line + sp.off, sp.len);

	cell(line, row->cell[LSOFROW_NODE], node, sizeof node);
	endpoint_words(line + sp.off + start, sp.len - start, ends, sizeof ends);
	if (start == 4 && memcmp(line + sp.off, "pipe", 4) == 0)
		sp.len = start;
	cell(line, sp, name, sizeof name);
	if (strcmp(name, "pipe") == 0)
		printf(_("    An unnamed pipe: a one-way channel between processes. The rows with "
		    "the same NODE (%s) are its two ends: r reads, w writes.\n"), node);
	else if (strncmp(name, "->0x", 4) == 0)
		printf(_("    %s is the kernel address of the pipe's other end: the row whose "
		    "DEVICE is %s holds it.\n"), name, name + 2);
	else if (name[0] == '/')
		printf(_("    A named pipe (FIFO) at %s.\n"), name);
	else if (name[0] != '\0')
		printf(_("    NAME: %s.\n"), name);
	if (ends[0] != '\0' && strcmp(name, "pipe") == 0)
		printf(_("    It is also open in (lsof +E): %s.\n"), ends);
}

/* Files, devices and anything else: the NAME, with what a beginner needs. */
static void
explain_file(struct run *run, const char *line, const struct lsofrow *row)
{
	static char name[SHOWN_MAX];
	char ends[SAY_MAX] = "";
	struct lsofrow_span sp = row->cell[LSOFROW_NAME];
	const char *note = "";
	size_t n, start;

	if (sp.len == 0)
		return;
	/* +E lists the other holders after an anonymous inode's or a pseudo-terminal's name. */
	if (line[sp.off] == '[' || (sp.len > 7 && memcmp(line + sp.off, "/dev/pt", 7) == 0)) {
		start = lsofrow_endpoints_start(line + sp.off, sp.len);
		endpoint_words(line + sp.off + start, sp.len - start, ends, sizeof ends);
		sp.len = start;
	}
	cell(line, sp, name, sizeof name);
	n = strlen(name);
	if (strcmp(name, "/dev/null") == 0)
		note = _(": the empty device; reading gives nothing, writing throws the bytes away");
	else if (strncmp(name, "/dev/pts/", 9) == 0 || strncmp(name, "/dev/tty", 8) == 0)
		note = _(": a terminal");
	else if (strncmp(name, "[ctl ", 5) == 0)
		note = _(": a macOS kernel control: the name of the kernel part it talks to "
		    "(com.apple.netsrc: network statistics; utun_control: a VPN's tunnel), its "
		    "id, and the unit this socket has");
	else if (strncmp(name, "[event ", 7) == 0)
		note = _(": macOS kernel events: the vendor, class and subclass it listens to, in hex");
	else if (name[0] == '[')
		note = anon_words(name);
	else if (strcmp(name, "(revoked)") == 0)
		note = _(": macOS took the file away from this descriptor (revoked), as when a "
		    "terminal window closes");
	else if (strcmp(name, "no more information") == 0)
		note = _(": macOS would not tell lsof more about this descriptor (EPERM)");
	else if (n > 16 && strcmp(name + n - 16, ": FD unavailable") == 0)
		note = _(": the descriptor was closed while lsof looked at it");
	else if (strncmp(name, "count=", 6) == 0)
		note = _(": a kqueue's pending events (count) and its internal state bits");
	else if (strncmp(name, "protocol: ", 10) == 0)
		note = _(": lsof could tell only the socket's protocol");
	else if (n > 10 && strcmp(name + n - 10, " (deleted)") == 0)
		note = _(": the file was deleted, but it lives on while this descriptor holds it");
	printf("    NAME: %s%s\n", name, note);
	if (ends[0] != '\0')
		printf(_("    It is also open in (lsof +E): %s.\n"), ends);
	if (strstr(name, "Permission denied") != NULL && first_time(run, NOTE_DENIED))
		printf("%s", _("    (lsof was not allowed to look: run it as root, with sudo, to "
		    "see this.)\n"));
}

/*
 * An anonymous inode's NAME on Linux: [eventpoll], or with the detail newer
 * kernels give in fdinfo: [eventfd:35], [eventpoll:11,13], [pidfd:4242].
 * detailed, where a kind has one, is words with what the detail means.
 */
static const char *
anon_words(const char *name)
{
	static const struct {
		const char *prefix, *words, *detailed;
	} kinds[] = {
		{ "[eventpoll", N_(": an epoll instance, which lets the program wait on many "
		    "descriptors at once"), N_(": an epoll instance, which lets the program wait on "
		    "many descriptors at once; the numbers after the colon are the descriptors it "
		    "watches") },
		{ "[eventfd", N_(": an eventfd, a counter one thread or process bumps to wake another"),
		    N_(": an eventfd, a counter one thread or process bumps to wake another; the "
		    "number after the colon is its ID; the same ID in two rows is one eventfd") },
		{ "[pidfd", N_(": a pidfd, a descriptor for a process"), N_(": a pidfd, a descriptor "
		    "for a process; the number is that process's PID") },
		{ "[timerfd", N_(": a timerfd, a timer the program reads like a file"), NULL },
		{ "[signalfd", N_(": a signalfd, which delivers signals as reads"), NULL },
		{ "[inotify", N_(": inotify, which reports changes to files"), NULL },
	};
	size_t i, n;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		n = strlen(kinds[i].prefix);
		if (strncmp(name, kinds[i].prefix, n) != 0 || (name[n] != ']' && name[n] != ':'))
			continue;
		return _(name[n] == ':' && kinds[i].detailed != NULL ? kinds[i].detailed :
		    kinds[i].words);
	}
	return _(": a kernel object with no file behind it; the word names its kind");
}

/*
 * lsof -t prints only PIDs, one per line, for scripts: kill $(lsof -t -i :8080).
 * Say what that output is, once, then list the PIDs.
 */
static int
is_pid_line(const char *line, size_t len)
{
	return len > 0 && len <= 10 && strspn(line, "0123456789") == len;
}

/* lsof -F output starts with a process's field: "p4242". */
static int
is_field_start(const char *line, size_t len)
{
	size_t n;

	for (n = 1; n < len && line[n] >= '0' && line[n] <= '9'; n++)
		;
	return len > 1 && line[0] == 'p' && n > 1 && (n == len || line[n] == '\0');
}

static void
explain_pid_line(struct run *run, const char *line, size_t len)
{
	char pid[CELL_MAX];

	if (first_time(run, NOTE_PIDS))
		printf("%s", _("This is lsof -t output: process IDs only, one per line, made for "
		    "scripts (kill $(lsof -t -i :8080)). Run lsof without -t for the table this "
		    "program explains row by row.\n"));
	printf(_("  Process ID %s\n"), shown(line, len, pid, sizeof pid));
	run->pids++;
}

/*
 * lsof -F prints one field per line, each led by a letter: p PID, f FD, n NAME...
 * With -F0 the fields of a process or file share a line, each ended by a NUL.
 */
static void
explain_fields(struct run *run, const char *line, size_t len)
{
	size_t start = 0, end;

	if (first_time(run, NOTE_FIELDS))
		printf("%s", _("This is lsof -F output: one field per line for scripts, each starting "
		    "with a letter that names it (p PID, f FD, n NAME; lsof -F? lists them all). Run "
		    "lsof without -F for the table this program explains row by row.\n"));
	while (start < len) {
		for (end = start; end < len && line[end] != '\0'; end++)
			;
		if (end > start)
			explain_field(line + start, end - start);
		start = end + 1;
	}
	run->fields++;
}

/* One -F field: its letter and what the letter means. */
static void
explain_field(const char *p, size_t len)
{
	static const char *const letters[128] = {
		['a'] = N_("mode: r read, w write, u both"), ['c'] = "COMMAND",
		['C'] = N_("how many descriptors share the file"),
		['d'] = N_("DEVICE, as a character code"), ['D'] = N_("DEVICE, major and minor number"),
		['f'] = "FD", ['F'] = N_("the kernel address of the file structure"),
		['G'] = N_("the file's open flags"), ['g'] = N_("process group ID"),
		['i'] = N_("NODE (the inode number)"), ['K'] = N_("thread ID"),
		['k'] = N_("link count"), ['l'] = N_("lock"), ['L'] = N_("USER (the login name)"),
		['M'] = N_("the thread's name"), ['n'] = "NAME", ['o'] = N_("offset"),
		['P'] = N_("protocol"), ['p'] = "PID", ['R'] = N_("parent PID"),
		['r'] = N_("raw device number"), ['s'] = "SIZE", ['S'] = N_("stream modules"),
		['t'] = "TYPE",
		['T'] = N_("TCP detail (ST= state, QR= unread bytes, QS= unacknowledged bytes)"),
		['u'] = N_("user ID"), ['z'] = N_("zone"), ['Z'] = N_("SELinux context"),
	};	/* COMMAND, FD, NAME, PID, SIZE and TYPE are lsof's own titles, the same in every language */
	unsigned char letter = (unsigned char)p[0];
	char value[SHOWN_MAX];

	shown(p + 1, len - 1, value, sizeof value);
	if (letter == 'p')
		printf(_("  Process %s:\n"), value);
	else if (letter == 'f')
		printf(_("    Descriptor %s:\n"), value);
	if (letter < 128 && letters[letter] != NULL)
		printf("      %c %-24s %s\n", letter, value, _(letters[letter]));
	else
		printf(_("      %c %-24s a field this program does not know (lsof -F? lists them)\n"),
		    letter >= 0x21 && letter < 0x7f ? letter : '?', value);
}

/* A line that is not a row: shown as it came (escaped), with why. */
static void
explain_other(struct run *run, const char *line, size_t len, const char *why)
{
	static char echo[SHOWN_MAX];

	run->others++;
	printf(_("Line %lu is not an lsof row: %s. As it came:\n  %s\n"), run->lineno, why,
	    shown(line, len, echo, sizeof echo));
}

/* After the last line: what lsof cannot see, and a word on what was not a row. */
static void
finish(const struct run *run)
{
	if (run->rows > 0 || run->pids > 0 || run->fields > 0)
		printf("%s", _("\nWhat lsof cannot see: without root, lsof lists only your own "
		    "processes. Other users' processes, such as system services, are simply missing, "
		    "and lsof does not warn you. To see them all: sudo lsof -nP -i (if this output "
		    "already came from sudo lsof, nothing was hidden).\n"));
	else if (run->others == 0 && !run->have_hdr)
		printf("%s", _("No input came in. Feed it lsof's output: lsof -nP -i | "
		    "bin/lsof-explain\n"));
	else
		printf("%s", _("\nNo lsof rows came in. Feed it lsof's output: lsof -nP -i | "
		    "bin/lsof-explain\n"));
	if (run->others == 1)
		printf("%s", _("1 line was not an lsof row; it is shown above as it came.\n"));
	else if (run->others > 1)
		printf(_("%lu lines were not lsof rows; they are shown above as they came.\n"),
		    run->others);
}

/* ---- below: plumbing this lab does not teach: reading lines, escaping, small tests, options ---- */

static void
print_help(void)
{
	printf("%s\n", USAGE);
	printf("%s", _("Reads lsof's output on stdin and explains it in plain words: the header's\n"
	    "columns once, then every row: the process, the descriptor and its mode, the\n"
	    "type, and for a network socket both ports (IANA range, service name, this\n"
	    "machine's ephemeral range) and the TCP state. Linux and macOS output, with\n"
	    "or without -n and -P, with +E's endpoints and -T's queues; lsof -t and -F\n"
	    "output is recognised and named. Lines that are not lsof rows are shown as\n"
	    "they came.\n"));
	printf("\n%s%s\n", _("  -h, --help   show this help\n"), _("  --version    show the version\n"));
	printf("%s", _("Example:        lsof -nP -i | bin/lsof-explain\n"
	    "Try beside it:  lsof -nP -i          (the same table, unexplained)\n"
	    "                lsof -nP -a -p PID -iTCP   (one process's TCP sockets)\n"));
}

/*
 * One line of in into buf, without the newline; NUL bytes are kept as data.
 * A line longer than size is cut: *cut is set and the rest is skipped.
 * Returns 1 for a line, 0 at the end, -1 on a read error (errno set).
 */
static int
read_line(FILE *in, char *buf, size_t size, size_t *len, int *cut)
{
	int c;

	*len = 0;
	*cut = 0;
	while ((c = getc(in)) != EOF) {
		if (c == '\n')
			return 1;
		if (*len < size)
			buf[(*len)++] = (char)c;
		else
			*cut = 1;
	}
	if (ferror(in))
		return -1;
	return *len > 0 || *cut;
}

/* Append printf-style text to the NUL-terminated buf; cut when it is full. */
static void
append(char *buf, size_t size, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
}

/* bytes[0..len) as printable text: as written if plain ASCII, else escaped. */
static const char *
shown(const char *bytes, size_t len, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (bytes[i] < 0x20 || bytes[i] > 0x7e)
			break;
	if (i == len && len < size) {
		memcpy(buf, bytes, len);
		buf[len] = '\0';
	} else
		msg_escape(bytes, len, buf, size);
	return buf;
}

/* A cell of the row, printable. */
static const char *
cell(const char *line, struct lsofrow_span sp, char *buf, size_t size)
{
	return shown(line + sp.off, sp.len, buf, size);
}

static int
span_is(const char *line, struct lsofrow_span sp, const char *word)
{
	return sp.len == strlen(word) && memcmp(line + sp.off, word, sp.len) == 0;
}

/* The next word of [*p, end), between spaces: its start and *len, with *p moved past it; NULL at the end. */
static const char *
next_word(const char **p, const char *end, size_t *len)
{
	const char *w = *p, *q;

	while (w < end && *w == ' ')
		w++;
	for (q = w; q < end && *q != ' '; q++)
		;
	*p = q;
	*len = (size_t)(q - w);
	return q > w ? w : NULL;
}

/* 1 the first time note comes up in this run, then 0. */
static int
first_time(struct run *run, enum note note)
{
	if (run->said & (unsigned)note)
		return 0;
	run->said |= (unsigned)note;
	return 1;
}

/* 1 for an address written with digits: 127.0.0.1, [::1]. */
static int
is_numeric_host(const char *host)
{
	return host[0] == '[' || host[strspn(host, "0123456789.")] == '\0';
}

static int
is_loopback(const char *host)
{
	return strncmp(host, "127.", 4) == 0 || strcmp(host, "[::1]") == 0 ||
	    strcmp(host, "localhost") == 0 || strcmp(host, "ip6-localhost") == 0 ||
	    strcmp(host, "localhost6") == 0 || strcmp(host, "[::ffff:127.0.0.1]") == 0;
}

/* 1 if lsof wrote a name where -nP would have written a number. */
static int
has_names(const char *line, const struct lsofrow_inet *in)
{
	char host[CELL_MAX];
	const struct lsofrow_end *ends[2] = { &in->local, &in->remote };
	int i;

	for (i = 0; i < 1 + in->has_remote; i++) {
		cell(line, ends[i]->host, host, sizeof host);
		if (strcmp(host, "*") != 0 && !is_numeric_host(host))
			return 1;
		if (ends[i]->port_number < 0 && !span_is(line, ends[i]->port, "*"))
			return 1;
	}
	return 0;
}

/* -h, --help and --version; anything else is a usage error (input comes on stdin). */
static void
parse_args(int argc, char **argv)
{
	char shown_arg[CELL_MAX], why[SAY_MAX];
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			print_help();
			exit(0);
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("lsof-explain (portlab) %s\n", PORTLAB_VERSION);
			exit(0);
		}
		msg_escape(argv[i], strlen(argv[i]), shown_arg, sizeof shown_arg);
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			snprintf(why, sizeof why, _("unknown option '%s'"), shown_arg);
		else
			snprintf(why, sizeof why, _("it reads lsof's output from stdin, not from '%s': "
			    "lsof-explain < %s"), shown_arg, shown_arg);
		errx(2, "%s\n%s", why, USAGE);
	}
}
