/*
 * fdinspect - file descriptors and lsof's FD column: 3r, 4w, 5u, and what
 * kind of file each number stands for.
 *
 * A file descriptor is a small number that indexes the kernel's table of
 * what one process has open: files, pipes, sockets, devices. open(),
 * pipe(), socket() and accept() each return the lowest free number, so a
 * program started with stdin, stdout and stderr (0, 1, 2) gets 3 next. The
 * table also remembers how each was opened: for reading (r), writing (w)
 * or both (u). lsof adds rows that are not descriptors: the current
 * directory (cwd), the root directory (rtd), the program (txt) and the
 * libraries mapped into memory (mem).
 *
 * Usage:          fdinspect [--hold SECONDS]     open a teaching set and show it
 *                 fdinspect -p PID               another process's table
 *                 fdinspect -i [TCP|UDP]:PORT    who uses a port, like lsof -i :PORT
 * Try beside it:  lsof -nP -p PID      (fdinspect prints its PID)
 *                 lsof -nP -i :8080
 * See also:       labs/05-reading-lsof (lsof-explain): lsof's output in plain words.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "fdtab.h"
#include "msg.h"
#include "num.h"
#include "opt.h"
#include "port.h"

#define USAGE "usage: fdinspect [--hold SECONDS]\n       fdinspect -p PID\n" \
	"       fdinspect -i [TCP|UDP]:PORT"
#define LSOF_COMMAND_WIDTH 9	/* lsof cuts COMMAND to 9 characters */
#define PID_MAX 4194304UL	/* Linux's largest pid (PID_MAX_LIMIT); macOS's is smaller */
#define BACKLOG 8		/* the teaching set's listeners never queue many */

/* What the teaching set opened, so it can be cleaned up. */
struct teaching_set {
	char dir[64];
	char paths[4][100];	/* ro.txt, wo.txt, rw.txt, demo.sock: short enough for sun_path */
};

static volatile sig_atomic_t stop_signal;

static int show_teaching_set(long hold);
static void open_teaching_set(struct teaching_set *set);
static int open_file(struct teaching_set *set, int slot, const char *name, int flags);
static void open_tcp_pair(void);
static void open_unix_socket(struct teaching_set *set);
static void read_table(long pid, struct fdtab_proc *proc);
static void print_table(const struct fdtab_proc *proc);
static void explain(const struct fdtab_entry *e, char *buf, size_t size);
static int show_port(const char *spec);
static void parse_port_spec(const char *spec, int *proto, unsigned *port);
static void remove_teaching_set(const struct teaching_set *set);

static void on_signal(int sig);
static _Noreturn void fail(const char *what, int err, const char *hint);
static void print_help(void);
static void parse_args(int argc, char **argv, const char **pid_text, const char **port_spec, long *hold);

int
main(int argc, char **argv)
{
	const char *pid_text = NULL, *port_spec = NULL;
	struct fdtab_proc proc;
	unsigned long pid;
	long hold = -1;

	parse_args(argc, argv, &pid_text, &port_spec, &hold);
	if (port_spec != NULL)
		return show_port(port_spec);
	if (pid_text != NULL) {
		if (num_parse(pid_text, strlen(pid_text), PID_MAX, &pid) == -1 || pid == 0)
			errx(2, "bad pid '%s': a pid is a whole number, like 4242\n" USAGE, opt_shown(pid_text));
		read_table((long)pid, &proc);
		print_table(&proc);
		fdtab_proc_free(&proc);
		return 0;
	}
	return show_teaching_set(hold);
}

/* The teaching set: open, show, wait for lsof, clean up. */
static int
show_teaching_set(long hold)
{
	struct teaching_set set;
	struct fdtab_proc proc;
	struct sigaction sa;
	time_t end = time(NULL) + hold;
	long pid = (long)getpid();

	setvbuf(stdout, NULL, _IOLBF, 0);	/* this one keeps running: print as we go */
	memset(&set, 0, sizeof set);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	open_teaching_set(&set);
	read_table(pid, &proc);
	printf("fdinspect (pid %ld) opened one of each kind of descriptor. Its table:\n\n", pid);
	print_table(&proc);
	fdtab_proc_free(&proc);
	printf("\nTry beside it:  lsof -nP -p %ld\n", pid);
	printf("Waiting %s so you can compare. Ctrl-C stops.\n",
	    hold < 0 ? "until you are done" : "for --hold seconds");
	while (!stop_signal && (hold < 0 || time(NULL) < end))
		poll(NULL, 0, 200);
	remove_teaching_set(&set);
	printf("fdinspect: stopped%s; the kernel closes every descriptor as the process exits.\n",
	    stop_signal == SIGINT ? " by Ctrl-C" : stop_signal == SIGTERM ? " by SIGTERM" : "");
	return 0;
}

/* One of each kind: files r, w and u, a pipe, TCP listener and pair, a UNIX socket. */
static void
open_teaching_set(struct teaching_set *set)
{
	int wo_fd, pipe_fds[2];

	snprintf(set->dir, sizeof set->dir, "/tmp/portlab-fdinspect.XXXXXX");
	if (mkdtemp(set->dir) == NULL)
		fail("mkdtemp", errno, "Could not make a directory in /tmp");
	open_file(set, 0, "ro.txt", O_RDONLY);			/* 3r */
	wo_fd = open_file(set, 1, "wo.txt", O_WRONLY | O_TRUNC);	/* 4w */
	if (write(wo_fd, "hello\n", 6) != 6)
		fail("write", errno, NULL);
	open_file(set, 2, "rw.txt", O_RDWR);			/* 5u */
	if (pipe(pipe_fds) == -1)				/* 6r, 7w */
		fail("pipe", errno, NULL);
	open_tcp_pair();					/* 8u, 9u, 10u */
	open_unix_socket(set);					/* 11u */
}

/* Make an empty file path, then open it with flags: open() returns the lowest free fd. */
static int
open_file(struct teaching_set *set, int slot, const char *name, int flags)
{
	char path[sizeof set->paths[0]];
	int file_fd;

	snprintf(path, sizeof path, "%.60s/%s", set->dir, name);
	memcpy(set->paths[slot], path, sizeof path);
	file_fd = open(set->paths[slot], flags | O_CREAT, 0644);
	if (file_fd == -1)
		fail("open", errno, "Could not create a file in /tmp");
	return file_fd;
}

/* A TCP listener on 127.0.0.1 (8u), a client connected to it (9u), and the server's end (10u). */
static void
open_tcp_pair(void)
{
	struct sockaddr_in addr;
	socklen_t len = sizeof addr;
	int listen_fd, client_fd, conn_fd;

	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);		/* port 0: the OS picks */
	if ((listen_fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)	/* 8u */
		fail("socket", errno, NULL);
	if (bind(listen_fd, (struct sockaddr *)&addr, sizeof addr) == -1)
		fail("bind 127.0.0.1 port 0", errno, NULL);
	if (listen(listen_fd, BACKLOG) == -1)
		fail("listen", errno, NULL);
	if (getsockname(listen_fd, (struct sockaddr *)&addr, &len) == -1)
		fail("getsockname", errno, NULL);
	if ((client_fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)	/* 9u */
		fail("socket", errno, NULL);
	if (connect(client_fd, (struct sockaddr *)&addr, sizeof addr) == -1)
		fail("connect to our own listener", errno, NULL);
	if ((conn_fd = accept(listen_fd, NULL, NULL)) == -1)	/* 10u */
		fail("accept", errno, NULL);
	(void)conn_fd;	/* never used: it stays open so the table shows it */
}

/* A UNIX socket listening on a path in the teaching set's directory (11u). */
static void
open_unix_socket(struct teaching_set *set)
{
	struct sockaddr_un unix_addr;
	int unix_fd;

	memset(&unix_addr, 0, sizeof unix_addr);
	unix_addr.sun_family = AF_UNIX;
	snprintf(unix_addr.sun_path, sizeof unix_addr.sun_path, "%.60s/demo.sock", set->dir);
	memcpy(set->paths[3], unix_addr.sun_path, sizeof set->paths[3]);
	if ((unix_fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)	/* 11u */
		fail("socket AF_UNIX", errno, NULL);
	if (bind(unix_fd, (struct sockaddr *)&unix_addr, sizeof unix_addr) == -1)
		fail("bind a UNIX socket", errno, "Could not create a socket file in /tmp");
	if (listen(unix_fd, BACKLOG) == -1)
		fail("listen on a UNIX socket", errno, NULL);
}

/* Read a process's table, or fail with words a student can act on. */
static void
read_table(long pid, struct fdtab_proc *proc)
{
	char what[64], hint[256];

	if (fdtab_read(pid, proc) == 0)
		return;
	snprintf(what, sizeof what, "read the descriptors of pid %ld", pid);
	if (errno == ESRCH)
		snprintf(hint, sizeof hint, "No process has pid %ld; list processes with: ps -e", pid);
	else if (errno == EACCES || errno == EPERM)
		snprintf(hint, sizeof hint, "Process %ld belongs to another user, and only root "
		    "may see its descriptors. lsof has the same limit (on Linux its rows "
		    "say Permission denied). Try: sudo bin/fdinspect -p %ld", pid, pid);
	else
		snprintf(hint, sizeof hint, "Check the pid");
	fail(what, errno, hint);
}

/* The table, with lsof's column headings, then what each row means. */
static void
print_table(const struct fdtab_proc *proc)
{
	int w_fd = 2, w_type = 4, w_dev = 6, w_size = 8, w_node = 4, n;
	char command[LSOF_COMMAND_WIDTH + 1], why[160];
	const struct fdtab_entry *e;
	size_t i;

	snprintf(command, sizeof command, "%.9s", proc->command);
	for (i = 0; i < proc->count; i++) {
		e = &proc->entries[i];
		if ((n = (int)strlen(e->fd)) > w_fd) w_fd = n;
		if ((n = (int)strlen(e->type)) > w_type) w_type = n;
		if ((n = (int)strlen(e->device)) > w_dev) w_dev = n;
		if ((n = (int)strlen(e->size_off)) > w_size) w_size = n;
		if ((n = (int)strlen(e->node)) > w_node) w_node = n;
	}
	printf("%-9s %5s %-8s %*s %-*s %*s %*s %*s %s\n", "COMMAND", "PID", "USER",
	    w_fd, "FD", w_type, "TYPE", w_dev, "DEVICE", w_size, "SIZE/OFF", w_node,
	    "NODE", "NAME");
	for (i = 0; i < proc->count; i++) {
		e = &proc->entries[i];
		printf("%-9s %5ld %-8s %*s %-*s %*s %*s %*s %s\n", command, proc->pid,
		    proc->user, w_fd, e->fd, w_type, e->type, w_dev, e->device, w_size,
		    e->size_off, w_node, e->node, e->name);
	}
	printf("\nWhat the rows mean:\n");
	for (i = 0; i < proc->count; i++) {
		explain(&proc->entries[i], why, sizeof why);
		printf("  %-*s %s\n", w_fd, proc->entries[i].fd, why);
	}
	if (strlen(proc->command) > LSOF_COMMAND_WIDTH)
		printf("(lsof cuts COMMAND to %d characters: %s is %s; lsof +c 0 shows it whole.)\n",
		    LSOF_COMMAND_WIDTH, command, proc->command);
}

/* What a row means, in plain words. */
static void
explain(const struct fdtab_entry *e, char *buf, size_t size)
{
	static const char *const standard[] = { "standard input", "standard output",
	    "standard error" };
	const char *mode, *kind;
	char extra[64] = "";

	if (strcmp(e->fd, "cwd") == 0 || strcmp(e->fd, "rtd") == 0 ||
	    strcmp(e->fd, "txt") == 0 || strcmp(e->fd, "mem") == 0 ||
	    strcmp(e->fd, "DEL") == 0) {
		snprintf(buf, size, "%s", strcmp(e->fd, "cwd") == 0 ?
		    "not a descriptor: the current working directory" :
		    strcmp(e->fd, "rtd") == 0 ? "not a descriptor: the root directory" :
		    strcmp(e->fd, "txt") == 0 ? "not a descriptor: the program file being run" :
		    strcmp(e->fd, "mem") == 0 ? "not a descriptor: a file mapped into memory (a library)" :
		    "a mapped file that has since been deleted");
		return;
	}
	mode = e->fd[strlen(e->fd) - 1] == 'r' ? "read-only" :
	    e->fd[strlen(e->fd) - 1] == 'w' ? "write-only" : "read-write";
	if (e->fd_num >= 0 && e->fd_num <= 2)
		snprintf(extra, sizeof extra, " (%s)", standard[e->fd_num]);
	if (e->proto == IPPROTO_TCP && strcmp(e->state, "LISTEN") == 0)
		kind = "a TCP socket listening for connections";
	else if (e->proto == IPPROTO_TCP)
		kind = "a TCP connection, our end first: LOCAL->REMOTE";
	else if (e->proto == IPPROTO_UDP)
		kind = "a UDP socket";
	else if (strcmp(e->type, "unix") == 0)
		kind = "a UNIX socket: for processes on this machine only";
	else if (strcmp(e->type, "FIFO") == 0 || strcmp(e->type, "PIPE") == 0)
		kind = strcmp(e->name, "pipe") == 0 || e->name[0] == '-' ?
		    "one end of a pipe" : "a named pipe (FIFO)";
	else if (strcmp(e->type, "REG") == 0)
		kind = "a regular file";
	else if (strcmp(e->type, "DIR") == 0)
		kind = "a directory";
	else if (strcmp(e->type, "CHR") == 0)
		kind = "a character device (a terminal, /dev/null ...)";
	else if (strcmp(e->type, "a_inode") == 0)
		kind = "a kernel object with no file behind it";
	else
		kind = "some other kind of file";
	snprintf(buf, size, "descriptor %d%s, %s (%c): %s", e->fd_num, extra, mode,
	    e->fd[strlen(e->fd) - 1], kind);
}

/* Every visible socket on that port, as lsof -i :PORT lists them. Returns the exit status. */
static int
show_port(const char *spec)
{
	struct fdtab_socket *socks;
	char name[ADDR_PAIR_STRLEN + 24], command[LSOF_COMMAND_WIDTH + 1];
	size_t count, i, shown = 0;
	unsigned port;
	int proto, hidden;

	parse_port_spec(spec, &proto, &port);
	if (fdtab_sockets(&socks, &count, &hidden) == -1)
		fail("list the sockets", errno, NULL);
	for (i = 0; i < count; i++) {
		const struct fdtab_socket *s = &socks[i];
		const struct sockaddr *local = (const struct sockaddr *)&s->local;
		const struct sockaddr *remote = (const struct sockaddr *)&s->remote;

		if ((proto && s->proto != proto) || (addr_port(local) != port &&
		    (s->remote.ss_family == 0 || addr_port(remote) != port)))
			continue;
		if (shown++ == 0)
			printf("%-9s %7s %5s %-4s %-4s %s\n", "COMMAND", "PID", "FD",
			    "TYPE", "NODE", "NAME");
		if (s->remote.ss_family != 0)
			addr_format_pair(local, remote, name, sizeof name);
		else
			addr_format(local, name, sizeof name);
		if (s->state[0] != '\0')
			snprintf(name + strlen(name), sizeof name - strlen(name), " (%s)", s->state);
		snprintf(command, sizeof command, "%.9s", s->command);
		printf("%-9s %7ld %5s %-4s %-4s %s\n", command, s->pid, s->fd, s->type,
		    s->proto == IPPROTO_TCP ? "TCP" : "UDP", name);
	}
	if (shown == 0)
		printf("No process we can see uses port %u.\n", port);
	else
		printf("\n%zu socket%s on port %u. A LISTEN row is a server waiting on it; "
		    "an ESTABLISHED row is one end of a connection, our end first.\n",
		    shown, shown == 1 ? "" : "s", port);
	if (hidden > 0) {
		printf("%d process%s %s.", hidden, hidden == 1 ? "" : "es", fdtab_hidden_reason(hidden));
		if (geteuid() != 0)
			printf(" lsof hides them too, without saying so. Try: sudo bin/fdinspect -i %s", spec);
		printf("\n");
	}
	free(socks);
	return shown ? 0 : 1;
}

/* -i [TCP|UDP]:PORT, like lsof -i: parse the spec. */
static void
parse_port_spec(const char *spec, int *proto, unsigned *port)
{
	const char *colon = strrchr(spec, ':');
	size_t plen = colon ? (size_t)(colon - spec) : 0;

	*proto = 0;
	if (colon == NULL)
		errx(2, "bad -i '%s': write it as :PORT, TCP:PORT or UDP:PORT, like -i :8080\n" USAGE, opt_shown(spec));
	if (plen == 3 && strncmp(spec, "TCP", 3) == 0)
		*proto = IPPROTO_TCP;
	else if (plen == 3 && strncmp(spec, "UDP", 3) == 0)
		*proto = IPPROTO_UDP;
	else if (plen != 0)
		errx(2, "bad -i '%s': before the ':' give TCP, UDP or nothing\n" USAGE, opt_shown(spec));
	if (port_parse(colon + 1, strlen(colon + 1), port) == -1)
		errx(2, "bad port in -i '%s': %s\n" USAGE, opt_shown(spec), port_parse_hint(errno));
}

static void
remove_teaching_set(const struct teaching_set *set)
{
	int i;

	for (i = 0; i < 4; i++)
		if (set->paths[i][0] != '\0')
			unlink(set->paths[i]);
	rmdir(set->dir);
}

/* ---- below: plumbing this lab does not teach: options, help, messages ---- */

static void
on_signal(int sig)
{
	stop_signal = sig;
}

/* A runtime failure: "fdinspect: WHAT: REASON [ERRNO]. HINT", exit 1. */
static _Noreturn void
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
	    "With no options: open one of each kind of descriptor (files read-only,\n"
	    "write-only and read-write, a pipe, TCP sockets, a UNIX socket), show this\n"
	    "process's table with lsof's columns and what each row means, and wait.\n"
	    "\n"
	    "  --hold SECONDS        exit after SECONDS (default: until Ctrl-C)\n"
	    "  -p PID                show another process's table instead\n"
	    "  -i [TCP|UDP]:PORT     show which processes use PORT, like lsof -i :PORT\n"
	    "  -h, --help            show this help\n"
	    "  --version             show the version\n"
	    "\n"
	    "Example:        bin/fdinspect\n"
	    "Try beside it:  lsof -nP -p PID     (fdinspect prints its PID)\n");
}

static void
parse_args(int argc, char **argv, const char **pid_text, const char **port_spec, long *hold)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "hold", required_argument, NULL, 'T' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char why[160];
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":hp:i:", options, NULL)) != -1) {
		switch (ch) {
		case 'p':
			*pid_text = optarg;
			break;
		case 'i':
			*port_spec = optarg;
			break;
		case 'T':
			if (opt_parse_hold(optarg, hold) == -1)
				errx(2, "bad --hold '%s': %s\n" USAGE, opt_shown(optarg), OPT_HOLD_HINT);
			break;
		case 'V':
			printf("fdinspect (portlab) %s\n", PORTLAB_VERSION);
			exit(0);
		case 'h':
			print_help();
			exit(0);
		default:
			opt_error(ch, argc, argv, why, sizeof why);
			errx(2, "%s\n" USAGE, why);
		}
	}
	if (optind < argc)
		errx(2, "unexpected argument '%s'\n" USAGE, opt_shown(argv[optind]));
	if (*pid_text != NULL && *port_spec != NULL)
		errx(2, "give -p or -i, not both\n" USAGE);
}
