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

#include "lsofrow.h"
#include "msg.h"
#include "port.h"

#define USAGE "usage: lsof-explain [--help] [--version] < LSOF-OUTPUT"
#define LINE_BYTES 8192		/* the longest line read whole; lsof's rows are far shorter */
#define LINE_BYTES_TEXT "8192"
#define SHOWN_MAX (4 * LINE_BYTES + 4)	/* room for a line with every byte escaped */
/* The other platform's ephemeral range, for output that came from elsewhere. */
#ifdef __APPLE__
#define OTHER_OS_RANGE "Linux usually uses 32768-60999"
#else
#define OTHER_OS_RANGE "macOS uses 49152-65535"
#endif
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

/* FD names that are not descriptors: lsof adds them to show other files a process uses. */
static const struct {
	const char *name, *words;
} specials[] = {
	{ "cwd", "its current working directory" },
	{ "rtd", "its root directory, / unless it runs in a chroot or a container" },
	{ "txt", "program text: the program's own file, and on macOS the libraries it uses" },
	{ "mem", "a file mapped into its memory, usually a shared library" },
	{ "mmap", "a memory-mapped device" },
	{ "ltx", "shared library text: a library's code" },
	{ "DEL", "a memory mapping whose file is gone, Linux only: on a desktop nearly always shared "
	    "memory (/memfd:..., /dev/zero, /SYSV...), not a file someone deleted" },
	{ "err", "a file lsof could not read; NAME says why" },
	{ "NOFD", "lsof could not list this process's descriptors at all; NAME says why" },
	{ "twd", "the working directory of one thread, on macOS" },
	{ "pd", "its parent directory" },
	{ "jld", "its jail directory, on FreeBSD" },
	{ "tr", "a kernel trace file, on OpenBSD" },
};

/* TCP states, with both spellings: Linux FIN_WAIT1 is BSD's and macOS's FIN_WAIT_1. */
static const struct {
	enum lsofrow_state state;
	const char *linux_name, *bsd_name, *words;
} states[] = {
	{ LSOFROW_ESTABLISHED, "ESTABLISHED", "ESTABLISHED", "connected; data can flow both ways" },
	{ LSOFROW_LISTEN, "LISTEN", "LISTEN", "a server socket waiting for clients; each client "
	    "it accepts gets a new descriptor of its own" },
	{ LSOFROW_SYN_SENT, "SYN_SENT", "SYN_SENT", "connecting; we sent the first packet of the "
	    "handshake (SYN) and wait for the answer" },
	{ LSOFROW_SYN_RECV, "SYN_RECV", "SYN_RCVD", "half open; a client's SYN arrived and was "
	    "answered; waiting for the last step of the handshake" },
	{ LSOFROW_FIN_WAIT1, "FIN_WAIT1", "FIN_WAIT_1", "closing; we closed our side and wait "
	    "for the other end to acknowledge it" },
	{ LSOFROW_FIN_WAIT2, "FIN_WAIT2", "FIN_WAIT_2", "closing; our close was acknowledged; "
	    "waiting for the other end to close too" },
	{ LSOFROW_TIME_WAIT, "TIME_WAIT", "TIME_WAIT", "closed, but the kernel keeps the four "
	    "addresses and ports reserved a while, so late packets cannot confuse a new connection" },
	{ LSOFROW_CLOSE, "CLOSE", "CLOSED", "closed; no connection (not connected yet, or finished)" },
	{ LSOFROW_CLOSE_WAIT, "CLOSE_WAIT", "CLOSE_WAIT", "the other end has closed; this program "
	    "has not closed its descriptor yet (a program that never does leaks sockets)" },
	{ LSOFROW_LAST_ACK, "LAST_ACK", "LAST_ACK", "the other end closed, then we did; waiting "
	    "for the final acknowledgement" },
	{ LSOFROW_CLOSING, "CLOSING", "CLOSING", "both ends closed at the same moment; waiting "
	    "for the acknowledgement" },
};

static void handle_line(struct run *run, const char *line, size_t len, int cut);
static void explain_header(struct run *run);
static const char *column_words(enum lsofrow_col col);
static void explain_row(struct run *run, const char *line, size_t len, const struct lsofrow *row);
static void explain_process(struct run *run, const char *line, const struct lsofrow *row);
static void fd_words(const struct lsofrow_fd *fd, char *buf, size_t size);
static const char *mode_words(char mode);
static const char *lock_words(char lock);
static void type_words(const char *line, const struct lsofrow *row, char *buf, size_t size);
static void explain_inet(struct run *run, const char *line, const struct lsofrow *row);
static void end_words(const char *line, const struct lsofrow_end *end,
    const struct lsofrow_end *ours, char *buf, size_t size);
static void port_line(struct run *run, const char *line, const struct lsofrow_end *end,
    const char *proto, int ours);
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
	struct run run;
	size_t len;
	int got, cut, err;

	parse_args(argc, argv);
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "lsof-explain: reading lsof's output from the terminal; "
		    "paste it and end with Ctrl-D, or pipe it in: lsof -nP -i | bin/lsof-explain\n");

	memset(&run, 0, sizeof run);
	run.have_range = port_ephemeral_range(&run.range) == 0;
	while ((got = read_line(stdin, line, sizeof line, &len, &cut)) == 1) {
		run.lineno++;
		handle_line(&run, line, len, cut);
	}
	if (got < 0) {
		err = errno;
		fflush(stdout);
		fprintf(stderr, "lsof-explain: read stdin: %s [%s]. Give it lsof's output, "
		    "as in: lsof -nP -i | bin/lsof-explain\n", strerror(err),
		    msg_errno_name(err) ? msg_errno_name(err) : "?");
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
	size_t i;

	if (cut) {
		explain_other(run, line, len, "line too long, cut (only its first "
		    LINE_BYTES_TEXT " bytes are shown; the rest was skipped)");
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
		explain_other(run, line, len, "a message from lsof itself (on stderr), "
		    "not a row");
	else if (lsofrow_parse(line, len, run->have_hdr ? &run->hdr : NULL, &row) == 0)
		explain_row(run, line, len, &row);
	else
		explain_other(run, line, len, row.error);
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
			printf("%s", run->explained ? "Another header line, with new columns:\n" :
			    "The header line names lsof's columns:\n");
		any = 1;
		run->explained |= 1UL << c->col;
		printf("  %-9s %s\n", shown(c->title, strlen(c->title), title, sizeof title),
		    column_words(c->col));
	}
	if (!any)
		printf("Another header line: lsof's columns again, read afresh.\n");
	printf("\n");
}

/* What each column means, in the words the memo uses. */
static const char *
column_words(enum lsofrow_col col)
{
	switch (col) {
	case LSOFROW_COMMAND: return "the program's name, cut to 9 characters unless you run lsof +c 0";
	case LSOFROW_PID: return "the process ID: the number the kernel gave this running program";
	case LSOFROW_TID: return "the thread ID: this row belongs to one thread of the process (lsof -K lists threads)";
	case LSOFROW_TASKCMD: return "the thread's own name";
	case LSOFROW_ZONE: return "the Solaris zone the process runs in";
	case LSOFROW_CONTEXT: return "the process's SELinux security context (lsof -Z)";
	case LSOFROW_PPID: return "the parent process's ID: who started this process (lsof -R)";
	case LSOFROW_PGID: return "the process group ID (lsof -g)";
	case LSOFROW_USER: return "the user the process runs as";
	case LSOFROW_FD: return "the file descriptor: the process's number for an open file and how it "
		    "is open (3u = descriptor 3, read and write), or a name such as cwd, txt or mem";
	case LSOFROW_TYPE: return "what kind of file: REG (file), DIR, CHR (device), FIFO or PIPE, unix "
		    "(local socket), IPv4 or IPv6 (network socket), ...";
	case LSOFROW_FILE_ADDR: return "the kernel address of the file structure (lsof +f g)";
	case LSOFROW_FCT: return "how many descriptors share the file structure (lsof +f c)";
	case LSOFROW_FILE_FLAG: return "the flags the file was opened with (lsof +f f)";
	case LSOFROW_NODE_ID: return "the kernel address of the file's node (lsof +f n)";
	case LSOFROW_DEVICE: return "the device that holds the file (major,minor), or for a socket an ID "
		    "or kernel address (0x...); rarely needed";
	case LSOFROW_SIZE_OFF: return "a file's size in bytes, or the offset of the next read or write "
		    "(0t0 = offset 0, in decimal); sockets show 0t0, and so do pipes on Linux (on macOS "
		    "a PIPE shows its buffer size, 16384, and a KQUEUE nothing)";
	case LSOFROW_SIZE: return "the file's size in bytes (lsof -s)";
	case LSOFROW_OFF: return "the offset of the next read or write (lsof -o)";
	case LSOFROW_NLINK: return "how many names (hard links) the file has; 0 means deleted (lsof +L)";
	case LSOFROW_NODE: return "the file's inode number, or the protocol (TCP, UDP) of a network socket";
	case LSOFROW_NAME: return "the most important column: the file's path, or for a network socket "
		    "its addresses and ports, ours first (LOCAL->REMOTE), and the TCP state";
	default: return "a column this program does not know; man lsof explains every column";
	}
}

/* One row: the process, the row itself, then what its FD, TYPE and NAME mean. */
static void
explain_row(struct run *run, const char *line, size_t len, const struct lsofrow *row)
{
	static char echo[SHOWN_MAX];
	char fd[SAY_MAX], type[SAY_MAX], device[CELL_MAX], other[CELL_MAX];
	struct lsofrow_span tid = row->cell[LSOFROW_TID];

	run->rows++;
	if (!run->have_hdr && first_time(run, NOTE_NO_HEADER))
		printf("(No header line came first, so each row is split at its spaces. grep "
		    "and tail drop lsof's header; lsof -nP -i | head keeps it.)\n\n");
	explain_process(run, line, row);
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\r'))
		len--;
	printf("  %s\n", shown(line, len, echo, sizeof echo));
	if (row->fd.kind == LSOFROW_FD_SPECIAL && first_time(run, NOTE_SPECIAL))
		printf("    (cwd, rtd, txt, mem and the like are not descriptors the program "
		    "opened: lsof adds these rows to show files the process uses in other ways.)\n");
	fd_words(&row->fd, fd, sizeof fd);
	type_words(line, row, type, sizeof type);
	if (row->fd.kind != LSOFROW_FD_SPECIAL)	/* "Descriptor 3", but "cwd" as lsof writes it */
		fd[0] = (char)(fd[0] - 'a' + 'A');
	printf("    %s%s%s", fd, type[0] ? ": " : "", type);
	if (tid.len > 0)
		printf(", in thread %s", cell(line, tid, other, sizeof other));
	else if (row->cell[LSOFROW_OTHER].len > 0 && !row->by_header)
		printf(" (the extra column %s is a TID, PPID or PGID; the header would say which)",
		    cell(line, row->cell[LSOFROW_OTHER], other, sizeof other));
	printf(".\n");
	cell(line, row->cell[LSOFROW_DEVICE], device, sizeof device);
	if (strncmp(device, "0x", 2) == 0 && first_time(run, NOTE_KERNEL_ADDR))
		printf("    (DEVICE %s is an address inside the kernel: an ID for this object, "
		    "nothing to read.)\n", device);
	if (row->is_inet)
		explain_inet(run, line, row);
	else if (span_is(line, row->cell[LSOFROW_TYPE], "IPv4") ||
	    span_is(line, row->cell[LSOFROW_TYPE], "IPv6"))
		printf("    NAME: %s (%s; the row may be cut short)\n",
		    cell(line, row->cell[LSOFROW_NAME], echo, sizeof echo),
		    row->cell[LSOFROW_NAME].len == 0 ? "empty" :
		    "not the HOST:PORT form lsof writes for a network socket");
	else if (span_is(line, row->cell[LSOFROW_TYPE], "unix"))
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
	printf("%sProcess %s (pid %s), run by user %s%s:\n", run->rows > 1 ? "\n" : "", cmd,
	    pid, user,
	    user[strspn(user, "0123456789")] == '\0' && user[0] != '\0' ?
	    " (a user ID: lsof found no name for it, or was run with -l)" : "");
	if (row->cell[LSOFROW_COMMAND].len == 9)
		printf("  (The name has 9 characters, lsof's limit, so it is probably cut%s; "
		    "lsof +c 0 shows names whole.)\n", strcmp(cmd, "com.docke") == 0 ?
		    ": it is Docker Desktop's, com.docker.backend today (older versions ran "
		    "com.docker.vpnkit or com.docker.slirp)" : "");
	if (strstr(cmd, "\\x20") != NULL && first_time(run, NOTE_SPACE))
		printf("  (\\x20 is how lsof writes a space in a name.)\n");
}

/* The FD column in words: "descriptor 3, open for reading and writing (u)". */
static void
fd_words(const struct lsofrow_fd *fd, char *buf, size_t size)
{
	static const char *const std_names[] = { " (standard input)",
	    " (standard output)", " (standard error)" };
	size_t i;

	buf[0] = '\0';
	if (fd->kind == LSOFROW_FD_SPECIAL) {
		for (i = 0; i < sizeof specials / sizeof specials[0]; i++)
			if (strcmp(fd->name, specials[i].name) == 0)
				break;
		if (i < sizeof specials / sizeof specials[0])
			append(buf, size, "%s (%s)", fd->name, specials[i].words);
		else
			append(buf, size, "%s (an FD name this program does not know; man lsof, "
			    "section OUTPUT, explains every one)", fd->name);
		/* "mem-w": the "-" stands where a mode would be, then the lock. */
		if (lock_words(fd->lock) != NULL)
			append(buf, size, ", with %s held by this process", lock_words(fd->lock));
		return;
	}
	if (fd->kind == LSOFROW_FD_BIG)
		append(buf, size, "a descriptor of 10000 or more that ends in %03ld (lsof "
		    "has room for 4 places, so it writes * and the last 3 digits)", fd->number);
	else
		append(buf, size, "descriptor %ld%s", fd->number,
		    fd->number <= 2 ? std_names[fd->number] : "");
	append(buf, size, ", %s", mode_words(fd->mode));
	if (lock_words(fd->lock) != NULL)
		append(buf, size, ", with %s", lock_words(fd->lock));
}

static const char *
mode_words(char mode)
{
	switch (mode) {
	case 'r': return "open for reading only (r)";
	case 'w': return "open for writing only (w)";
	case 'u': return "open for reading and writing (u)";
	case '-': return "its mode unknown (-, written because a lock character follows)";
	default: return "no mode letter (macOS's lsof shows none for a PIPE, NPOLICY or FSEVENTS, "
		    "nor for a descriptor it could not read)";
	}
}

static const char *
lock_words(char lock)
{
	switch (lock) {
	case 'r': return "a read lock on part of the file (r)";
	case 'R': return "a read lock on the whole file (R)";
	case 'w': return "a write lock on part of the file (w)";
	case 'W': return "a write lock on the whole file (W)";
	case 'u': return "a read and write lock (u)";
	case 'U': return "a lock of unknown type (U)";
	case 'N': return "a Solaris NFS lock of unknown type (N)";
	case 'x': return "an SCO OpenServer Xenix lock on part of the file (x)";
	case 'X': return "an SCO OpenServer Xenix lock on the whole file (X)";
	default: return NULL;
	}
}

/* The TYPE column in words; unknown types are echoed as they came. */
static void
type_words(const char *line, const struct lsofrow *row, char *buf, size_t size)
{
	static const struct {
		const char *type, *words;
	} types[] = {
		{ "IPv4", "an IPv4 network socket" }, { "IPv6", "an IPv6 network socket" },
		{ "unix", "a UNIX domain socket, which joins processes on this machine" },
		{ "sock", "a socket of a kind lsof could not name" },
		{ "REG", "a regular file (REG)" }, { "DIR", "a directory (DIR)" },
		{ "CHR", "a character device (CHR) such as a terminal or /dev/null" },
		{ "BLK", "a block device (BLK), such as a disk" },
		{ "FIFO", "a pipe or named pipe (FIFO)" }, { "PIPE", "a pipe (PIPE, as macOS calls it)" },
		{ "KQUEUE", "a kqueue: macOS's way for a program to wait for many events at once" },
		{ "a_inode", "an anonymous inode (a_inode): a kernel object with no file behind it" },
		{ "netlink", "a netlink socket: a line to the Linux kernel itself" },
		{ "raw", "a raw IPv4 socket, as ping uses" }, { "raw6", "a raw IPv6 socket" },
		{ "systm", "a macOS system socket (systm), for talking to the kernel" },
		{ "rte", "a macOS routing socket (rte): the kernel's messages about routes and "
		    "addresses" },
		{ "ndrv", "a macOS raw network-driver socket (ndrv)" },
		{ "key", "a key-management socket (key), for IPsec" },
		{ "ppp", "a PPP socket (ppp)" },
		{ "vsock", "a vsock: a line between a virtual machine and its host" },
		{ "vsockp", "a vsock: a line between a virtual machine and its host" },
		{ "NPOLICY", "a macOS network policy descriptor (NPOLICY)" },
		{ "FSEVENTS", "macOS's file-system events device (FSEVENTS)" },
		{ "LINK", "a symbolic link (LINK)" },
		{ "PSXSHM", "a POSIX shared memory object" }, { "PSXSEM", "a POSIX semaphore" },
		{ "unknown", "something lsof could not identify (unknown), usually because it "
		    "was not allowed to look" },
	};
	struct lsofrow_span type = row->cell[LSOFROW_TYPE], node = row->cell[LSOFROW_NODE];
	struct lsofrow_span bytes = row->cell[LSOFROW_SIZE_OFF].len > 0 ?
	    row->cell[LSOFROW_SIZE_OFF] : row->cell[LSOFROW_SIZE];
	char text[CELL_MAX];
	size_t i;

	buf[0] = '\0';
	if (type.len == 0)
		return;
	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		if (span_is(line, type, types[i].type)) {
			append(buf, size, "%s", types[i].words);
			if (i < 2 && node.len > 0)
				append(buf, size, " speaking %s", cell(line, node, text, sizeof text));
			cell(line, bytes, text, sizeof text);
			if ((strcmp(types[i].type, "REG") == 0 || strcmp(types[i].type, "PSXSHM") == 0) &&
			    text[0] != '\0' &&
			    text[strspn(text, "0123456789")] == '\0')
				append(buf, size, " of %s bytes", text);
			return;
		}
	append(buf, size, "TYPE %s, a kind this program does not explain (see man lsof)",
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
		printf("    %s. It listens on %s.\n", say, local);
	else if (in->has_remote)
		printf("    %s%sOur end is %s; the other end is %s.\n", say, say[0] ? ". " : "",
		    local, remote);
	else if (proto != NULL && strcmp(proto, "udp") == 0)
		printf("    UDP has no connection and no state: this socket takes the messages "
		    "sent to %s.\n", local);
	else
		printf("    %s%sOur end is %s; there is no other end yet.\n", say,
		    say[0] ? ". " : "", local);
	if (in->more.len > 0)
		queue_words(line, in->more, in->tcp_state == LSOFROW_LISTEN);
	if (in->endpoints.len > 0 && endpoint_words(line + in->endpoints.off, in->endpoints.len,
	    say, sizeof say) > 0)
		printf("    The other end, here on this machine (lsof +E): %s.\n", say);
	if (in->has_remote && first_time(run, NOTE_OUR_VIEW))
		printf("    (lsof writes a connection from this process's own side: "
		    "LOCAL->REMOTE, our end first.)\n");
	port_line(run, line, &in->local, proto, 1);
	if (in->has_remote)
		port_line(run, line, &in->remote, proto, 0);
	cell(line, in->local.host, host, sizeof host);
	if (in->has_remote && is_loopback(host) && first_time(run, NOTE_BOTH_HERE))
		printf("    (Both ends are on this machine, so the other end is a process here "
		    "too: its row shows the same two ports, swapped.)\n");
	if (span_is(line, row->cell[LSOFROW_TYPE], "IPv6") && host[0] != '[' &&
	    strchr(host, '.') != NULL && first_time(run, NOTE_MAPPED))
		printf("    (An IPv6 socket with IPv4 addresses: it serves IPv4 clients too, and lsof "
		    "writes ::ffff:%s as plain %s.)\n", host, host);
	if (has_names(line, in) && first_time(run, NOTE_NAMES))
		printf("    (lsof wrote names here, not numbers: it looked up host names (without -n) "
		    "and service names (without -P). Run it again with -nP, as in lsof -nP -i, "
		    "to see the numbers; it is faster too.)\n");
}

/*
 * "127.0.0.1 (loopback: this machine only) port 8080". With ours, the
 * other end of a connection: its host is not explained twice.
 */
static void
end_words(const char *line, const struct lsofrow_end *end,
    const struct lsofrow_end *ours, char *buf, size_t size)
{
	char host[CELL_MAX], port[CELL_MAX], our_host[CELL_MAX];

	cell(line, end->host, host, sizeof host);
	cell(line, end->port, port, sizeof port);
	if (ours != NULL && strcmp(host, cell(line, ours->host, our_host, sizeof our_host)) == 0)
		snprintf(buf, size, "%s, the same address,", host);
	else if (strcmp(host, "*") == 0)
		snprintf(buf, size, "* (every address of this machine, so other computers "
		    "can reach it too)");
	else if (is_loopback(host))
		snprintf(buf, size, "%s (loopback: this machine only)", host);
	else if (!is_numeric_host(host))
		snprintf(buf, size, "%s (a host name lsof looked up)", host);
	else
		snprintf(buf, size, "%s", host);
	if (strcmp(port, "*") == 0)
		append(buf, size, ", no port yet (*)");
	else
		append(buf, size, " port %s", port);
}

/*
 * One port's line: its number, IANA range and service, and for our own
 * port whether this machine's ephemeral range holds it.
 */
static void
port_line(struct run *run, const char *line, const struct lsofrow_end *end,
    const char *proto, int ours)
{
	char name[CELL_MAX], say[SAY_MAX] = "";
	const struct port_iana_info *iana;
	const char *svc;
	unsigned port;

	cell(line, end->port, name, sizeof name);
	if (strcmp(name, "*") == 0)
		return;
	if (end->port_number >= 0) {
		port = (unsigned)end->port_number;
		svc = proto != NULL ? port_service_name(port, proto) : "";
		append(say, sizeof say, "%s port %u%s%s%s", ours ? "Our" : "Their", port,
		    svc[0] ? " (" : "", svc, svc[0] ? ")" : "");
	} else if (proto != NULL && port_service_port(name, proto, &port) == 0) {
		svc = name;
		append(say, sizeof say, "%s port %s, a service name for port %u (-P shows the number)",
		    ours ? "Our" : "Their", name, port);
	} else {
		printf("    %s port %s: a service name this machine does not know, so its number "
		    "is unknown here; lsof -P shows numbers.\n", ours ? "Our" : "Their", name);
		return;
	}
	iana = port_iana_info(port_iana_class(port));
	append(say, sizeof say, ": %s range (%u-%u)%s", iana->name, iana->low, iana->high,
	    svc[0] == '\0' && proto != NULL ? ", no service name" : "");
	if (ours && run->have_range && port_in_range(&run->range, port))
		append(say, sizeof say, "; inside this machine's ephemeral range (%u-%u), where "
		    "the OS picks ports for clients and for bind() to port 0", run->range.low,
		    run->range.high);
	else if (ours && run->have_range)
		append(say, sizeof say, "; outside this machine's ephemeral range (%u-%u), so "
		    "the program chose this port itself, with bind()", run->range.low, run->range.high);
	else if (proto != NULL && strcmp(proto, "tcp") == 0 && is_loopback(cell(line, end->host,
	    name, sizeof name)) && (run->listening[port / 8] & (1u << (port % 8))))
		append(say, sizeof say, "; a LISTEN row above listens on it, so the other end is "
		    "that server");
	else if (run->have_range && port_in_range(&run->range, port) &&
	    strcmp(cell(line, end->host, name, sizeof name), "*") != 0)
		append(say, sizeof say, "; inside this machine's ephemeral range (%u-%u), so most "
		    "likely a client's port, picked by its OS%s", run->range.low, run->range.high,
		    is_loopback(name) ? "" : " (if the other end is another computer, its own range "
		    "decides)");
	/* Rows of one server repeat its port: say it once. */
	if (ours && run->last_ours_row + 1 == run->rows && strcmp(say, run->last_ours) == 0)
		printf("    Our port %u: as above.\n", port);
	else
		printf("    %s.\n", say);
	if (ours) {
		snprintf(run->last_ours, sizeof run->last_ours, "%s", say);
		run->last_ours_row = run->rows;
	}
	if (ours && run->have_range && first_time(run, NOTE_RANGE))
		printf("    (The ephemeral range is this machine's, read from %s. If the lsof output "
		    "came from another computer, its range may differ: %s.)\n", run->range.source,
		    OTHER_OS_RANGE);
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
		append(buf, size, "%s: %s", text, states[i].words);
		if (in->bsd_spelling && strcmp(states[i].linux_name, states[i].bsd_name) != 0)
			append(buf, size, " (%s is the macOS and BSD spelling; Linux writes %s)",
			    states[i].bsd_name, states[i].linux_name);
		return;
	}
	append(buf, size, "%s: a state this program does not know", text);
}

/*
 * lsof -T's extra words after the state: "QR=0 QS=0". On Linux a listening
 * socket's QR is its accept queue (the kernel's /proc/net/tcp rx_queue).
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
			append(say, sizeof say, " %s: %s", word, listening ? "connections the "
			    "kernel has completed that the server has not accept()ed yet (on Linux)" :
			    "bytes that arrived and the program has not read yet");
		else if (strncmp(word, "QS=", 3) == 0)
			append(say, sizeof say, " %s: bytes sent that the other end has not "
			    "acknowledged yet", word);
		else
			append(say, sizeof say, " %s (man lsof, option -T, explains it)", word);
		append(say, sizeof say, ";");
	}
	if (say[0] != '\0') {
		say[strlen(say) - 1] = '\0';
		printf("    Queues (lsof -T):%s. Numbers that stay high mean a program that "
		    "does not keep up.\n", say);
	}
}

/*
 * lsof +E's endpoint words "4242,curl,3u 4243,sh,4w" as "pid 4242 (curl) as
 * 3u, pid 4243 (sh) as 4w". Returns how many there were.
 */
static size_t
endpoint_words(const char *p, size_t len, char *buf, size_t size)
{
	const char *end = p + len, *w;
	struct lsofrow_span command, fd;
	char cmd[CELL_MAX], text[CELL_MAX];
	size_t n = 0, wlen;
	long pid;

	buf[0] = '\0';
	while ((w = next_word(&p, end, &wlen)) != NULL)
		if (lsofrow_parse_endpoint(w, wlen, &pid, &command, &fd))
			append(buf, size, "%spid %ld (%s) as %s", n++ ? ", " : "", pid,
			    shown(w + command.off, command.len, cmd, sizeof cmd),
			    shown(w + fd.off, fd.len, text, sizeof text));
	return n;
}

/* A UNIX domain socket's NAME: path, type=STREAM, (LISTEN), ->0x..., +E's ->INO=N. */
static void
explain_unix(const char *line, struct lsofrow_span name)
{
	char say[SAY_MAX] = "", text[CELL_MAX], ends[SAY_MAX] = "", one[SAY_MAX];
	const char *p = line + name.off, *end = p + name.len, *w;
	int named = 0;
	size_t n;

	while ((w = next_word(&p, end, &n)) != NULL) {
		shown(w, n, text, sizeof text);
		if (*w == '/' || *w == '@') {
			named = 1;
			append(say, sizeof say, " Its name is %s%s.", text, *w == '@' ?
			    " (Linux: an abstract name, with no file behind it)" :
			    ", a socket file that other processes connect to");
		} else if (strncmp(text, "->INO=", 6) == 0)
			append(say, sizeof say, " It is connected to the socket whose NODE is %s "
			    "(lsof +E names the other end by its inode).", text + 6);
		else if (n > 2 && w[0] == '-' && w[1] == '>')
			append(say, sizeof say, " It is connected to the socket at kernel address %s "
			    "(look for it in another row's DEVICE column).", text + 2);
		else if (endpoint_words(w, n, one, sizeof one) == 1)
			append(ends, sizeof ends, "%s%s", ends[0] ? ", " : "", one);
		else
			append(say, sizeof say, " %s", unix_word(text));
	}
	if (!named)
		append(say, sizeof say, " It has no file name: an unnamed socket, such as one end "
		    "of a socketpair or a connection a server accepted.");
	if (ends[0] != '\0')
		append(say, sizeof say, " The other end is open in (lsof +E): %s.", ends);
	printf("   %s\n", say);
}

/* One word of a UNIX socket's NAME, with its meaning. */
static const char *
unix_word(const char *word)
{
	static char other[CELL_MAX + 2];
	static const struct {
		const char *word, *say;
	} words[] = {
		{ "type=STREAM", "type=STREAM: a byte stream, like TCP." },
		{ "type=DGRAM", "type=DGRAM: separate messages, like UDP." },
		{ "type=SEQPACKET", "type=SEQPACKET: messages, kept in order." },
		{ "(LISTEN)", "LISTEN: a server waiting for clients." },
		{ "(CONNECTED)", "CONNECTED: joined to another socket." },
		{ "(UNCONNECTED)", "UNCONNECTED: not joined to anything." },
		{ "(CONNECTING)", "CONNECTING: joining another socket." },
		{ "(DISCONNECTING)", "DISCONNECTING: leaving the socket it was joined to." },
	};
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(word, words[i].word) == 0)
			return words[i].say;
	snprintf(other, sizeof other, "%s.", word);
	return other;
}

/* A pipe: Linux FIFO "pipe" (+E: with its other holders), a named FIFO, or macOS PIPE "->0x...". */
static void
explain_pipe(const char *line, const struct lsofrow *row)
{
	char name[SHOWN_MAX], node[CELL_MAX], ends[SAY_MAX];
	struct lsofrow_span sp = row->cell[LSOFROW_NAME];
	size_t start = lsofrow_endpoints_start(line + sp.off, sp.len);

	cell(line, row->cell[LSOFROW_NODE], node, sizeof node);
	endpoint_words(line + sp.off + start, sp.len - start, ends, sizeof ends);
	if (start == 4 && memcmp(line + sp.off, "pipe", 4) == 0)
		sp.len = start;
	cell(line, sp, name, sizeof name);
	if (strcmp(name, "pipe") == 0)
		printf("    An unnamed pipe: a one-way channel between processes. The rows with "
		    "the same NODE (%s) are its two ends: r reads, w writes.\n", node);
	else if (strncmp(name, "->0x", 4) == 0)
		printf("    %s is the kernel address of the pipe's other end: the row whose "
		    "DEVICE is %s holds it.\n", name, name + 2);
	else if (name[0] != '\0')
		printf("    %s %s.\n", name[0] == '/' ? "A named pipe (FIFO) at" : "NAME:", name);
	if (ends[0] != '\0' && strcmp(name, "pipe") == 0)
		printf("    It is also open in (lsof +E): %s.\n", ends);
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
		note = ": the empty device; reading gives nothing, writing throws the bytes away";
	else if (strncmp(name, "/dev/pts/", 9) == 0 || strncmp(name, "/dev/tty", 8) == 0)
		note = ": a terminal";
	else if (strncmp(name, "[ctl ", 5) == 0)
		note = ": a macOS kernel control: the name of the kernel part it talks to "
		    "(com.apple.netsrc: network statistics; utun_control: a VPN's tunnel), its "
		    "id, and the unit this socket has";
	else if (strncmp(name, "[event ", 7) == 0)
		note = ": macOS kernel events: the vendor, class and subclass it listens to, in hex";
	else if (name[0] == '[')
		note = anon_words(name);
	else if (strcmp(name, "(revoked)") == 0)
		note = ": macOS took the file away from this descriptor (revoked), as when a "
		    "terminal window closes";
	else if (strcmp(name, "no more information") == 0)
		note = ": macOS would not tell lsof more about this descriptor (EPERM)";
	else if (n > 16 && strcmp(name + n - 16, ": FD unavailable") == 0)
		note = ": the descriptor was closed while lsof looked at it";
	else if (strncmp(name, "count=", 6) == 0)
		note = ": a kqueue's pending events (count) and its internal state bits";
	else if (strncmp(name, "protocol: ", 10) == 0)
		note = ": lsof could tell only the socket's protocol";
	else if (n > 10 && strcmp(name + n - 10, " (deleted)") == 0)
		note = ": the file was deleted, but it lives on while this descriptor holds it";
	printf("    NAME: %s%s\n", name, note);
	if (ends[0] != '\0')
		printf("    It is also open in (lsof +E): %s.\n", ends);
	if (strstr(name, "Permission denied") != NULL && first_time(run, NOTE_DENIED))
		printf("    (lsof was not allowed to look: run it as root, with sudo, to see this.)\n");
}

/*
 * An anonymous inode's NAME on Linux: [eventpoll], or with the detail newer
 * kernels give in fdinfo: [eventfd:35], [eventpoll:11,13], [pidfd:4242].
 */
static const char *
anon_words(const char *name)
{
	static const struct {
		const char *prefix, *words, *detail;
	} kinds[] = {
		{ "[eventpoll", "an epoll instance, which lets the program wait on many descriptors "
		    "at once", "the numbers after the colon are the descriptors it watches" },
		{ "[eventfd", "an eventfd, a counter one thread or process bumps to wake another",
		    "the number after the colon is its ID; the same ID in two rows is one eventfd" },
		{ "[pidfd", "a pidfd, a descriptor for a process", "the number is that process's PID" },
		{ "[timerfd", "a timerfd, a timer the program reads like a file", "" },
		{ "[signalfd", "a signalfd, which delivers signals as reads", "" },
		{ "[inotify", "inotify, which reports changes to files", "" },
	};
	static char say[SAY_MAX];
	size_t i, n;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		n = strlen(kinds[i].prefix);
		if (strncmp(name, kinds[i].prefix, n) != 0 || (name[n] != ']' && name[n] != ':'))
			continue;
		snprintf(say, sizeof say, ": %s%s%s", kinds[i].words,
		    name[n] == ':' && kinds[i].detail[0] ? "; " : "",
		    name[n] == ':' ? kinds[i].detail : "");
		return say;
	}
	return ": a kernel object with no file behind it; the word names its kind";
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
		printf("This is lsof -t output: process IDs only, one per line, made for scripts "
		    "(kill $(lsof -t -i :8080)). Run lsof without -t for the table this program "
		    "explains row by row.\n");
	printf("  Process ID %s\n", shown(line, len, pid, sizeof pid));
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
		printf("This is lsof -F output: one field per line for scripts, each starting with a "
		    "letter that names it (p PID, f FD, n NAME; lsof -F? lists them all). Run lsof "
		    "without -F for the table this program explains row by row.\n");
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
		['a'] = "mode: r read, w write, u both", ['c'] = "COMMAND",
		['C'] = "how many descriptors share the file", ['d'] = "DEVICE, as a character code",
		['D'] = "DEVICE, major and minor number", ['f'] = "FD",
		['F'] = "the kernel address of the file structure", ['G'] = "the file's open flags",
		['g'] = "process group ID", ['i'] = "NODE (the inode number)",
		['K'] = "thread ID", ['k'] = "link count", ['l'] = "lock",
		['L'] = "USER (the login name)", ['M'] = "the thread's name",
		['n'] = "NAME", ['o'] = "offset", ['P'] = "protocol",
		['p'] = "PID", ['R'] = "parent PID", ['r'] = "raw device number",
		['s'] = "SIZE", ['S'] = "stream modules", ['t'] = "TYPE",
		['T'] = "TCP detail (ST= state, QR= unread bytes, QS= unacknowledged bytes)",
		['u'] = "user ID",
		['z'] = "zone", ['Z'] = "SELinux context",
	};
	unsigned char letter = (unsigned char)p[0];
	char value[SHOWN_MAX];

	shown(p + 1, len - 1, value, sizeof value);
	if (letter == 'p')
		printf("  Process %s:\n", value);
	else if (letter == 'f')
		printf("    Descriptor %s:\n", value);
	if (letter < 128 && letters[letter] != NULL)
		printf("      %c %-24s %s\n", letter, value, letters[letter]);
	else
		printf("      %c %-24s a field this program does not know (lsof -F? lists them)\n",
		    letter >= 0x21 && letter < 0x7f ? letter : '?', value);
}

/* A line that is not a row: shown as it came (escaped), with why. */
static void
explain_other(struct run *run, const char *line, size_t len, const char *why)
{
	static char echo[SHOWN_MAX];

	run->others++;
	printf("Line %lu is not an lsof row: %s. As it came:\n  %s\n", run->lineno, why,
	    shown(line, len, echo, sizeof echo));
}

/* After the last line: what lsof cannot see, and a word on what was not a row. */
static void
finish(const struct run *run)
{
	if (run->rows > 0 || run->pids > 0 || run->fields > 0)
		printf("\nWhat lsof cannot see: without root, lsof lists only your own processes. "
		    "Other users' processes, such as system services, are simply missing, and "
		    "lsof does not warn you. To see them all: sudo lsof -nP -i (if this output "
		    "already came from sudo lsof, nothing was hidden).\n");
	else if (run->others == 0 && !run->have_hdr)
		printf("No input came in. Feed it lsof's output: lsof -nP -i | bin/lsof-explain\n");
	else
		printf("\nNo lsof rows came in. Feed it lsof's output: lsof -nP -i | "
		    "bin/lsof-explain\n");
	if (run->others == 1)
		printf("1 line was not an lsof row; it is shown above as it came.\n");
	else if (run->others > 1)
		printf("%lu lines were not lsof rows; they are shown above as they came.\n",
		    run->others);
}

/* ---- below: plumbing this lab does not teach: reading lines, escaping, small tests, options ---- */

static void
print_help(void)
{
	printf(USAGE "\n"
	    "Reads lsof's output on stdin and explains it in plain words: the header's\n"
	    "columns once, then every row: the process, the descriptor and its mode, the\n"
	    "type, and for a network socket both ports (IANA range, service name, this\n"
	    "machine's ephemeral range) and the TCP state. Linux and macOS output, with\n"
	    "or without -n and -P, with +E's endpoints and -T's queues; lsof -t and -F\n"
	    "output is recognised and named. Lines that are not lsof rows are shown as\n"
	    "they came.\n"
	    "\n"
	    "  -h, --help   show this help\n"
	    "  --version    show the version\n"
	    "\n"
	    "Example:        lsof -nP -i | bin/lsof-explain\n"
	    "Try beside it:  lsof -nP -i          (the same table, unexplained)\n"
	    "                lsof -nP -a -p PID -iTCP   (one process's TCP sockets)\n");
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
	char shown_arg[CELL_MAX];
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
			errx(2, "unknown option '%s'\n" USAGE, shown_arg);
		errx(2, "it reads lsof's output from stdin, not from '%s': "
		    "lsof-explain < %s\n" USAGE, shown_arg, shown_arg);
	}
}
