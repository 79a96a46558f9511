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
 *                 (all of lsof's -i forms: [4|6][TCP|UDP][@HOST][:PORTS])
 * Try beside it:  lsof -nP -p PID      (fdinspect prints its PID)
 *                 lsof -nP -i :8080
 * See also:       labs/05-reading-lsof (lsof-explain): lsof's output in plain words.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
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
#include "i18n.h"
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
static void explain(const struct fdtab_entry *e, const struct fdtab_entry *first_txt, char mode,
    char lock, char *buf, size_t size);
static const char *macos_words(const struct fdtab_entry *e);
static int explain_special(const struct fdtab_entry *e, const struct fdtab_entry *first_txt,
    char lock, char *buf, size_t size);
static const char *socket_words(const struct fdtab_entry *e);
static const char *file_words(const struct fdtab_entry *e);
static int show_sockets(const char *text);
static void socket_entry(const struct fdtab_socket *s, struct fdtab_entry *e);
static void parse_spec(const char *text, struct fdtab_inet_spec *spec);
static void print_sockets_summary(const char *text, size_t shown, int hidden);
static int socket_cmp(const void *a, const void *b);
static void remove_teaching_set(const struct teaching_set *set);

static void on_signal(int sig);
static _Noreturn void fail(const char *what, int err, const char *hint);
static _Noreturn void usage_error(const char *why);
static void print_help(void);
static void parse_args(int argc, char **argv, const char **pid_text, const char **port_spec, long *hold);

int
main(int argc, char **argv)
{
	const char *pid_text = NULL, *port_spec = NULL;
	char why[320];
	struct fdtab_proc proc;
	unsigned long pid;
	long hold = -1;

	setlocale(LC_CTYPE, "");	/* NAMEs in the student's script print as lsof prints them */
	parse_args(argc, argv, &pid_text, &port_spec, &hold);
	if (port_spec != NULL)
		return show_sockets(port_spec);
	if (pid_text != NULL) {
		if (num_parse(pid_text, strlen(pid_text), PID_MAX, &pid) == -1 || pid == 0) {
			snprintf(why, sizeof why, _("bad pid '%s': a pid is a whole number, like 4242"),
			    opt_shown(pid_text));
			usage_error(why);
		}
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
	printf(_("fdinspect (pid %ld) opened one of each kind of descriptor. Its table:\n\n"), pid);
	print_table(&proc);
	fdtab_proc_free(&proc);
	printf(_("\nTry beside it:  lsof -nP -p %ld\n"), pid);
	fputs(hold < 0 ? _("Waiting until you are done so you can compare. Ctrl-C stops.\n") :
	    _("Waiting for --hold seconds so you can compare. Ctrl-C stops.\n"), stdout);
	while (!stop_signal && (hold < 0 || time(NULL) < end))
		poll(NULL, 0, 200);
	remove_teaching_set(&set);
	fputs(stop_signal == SIGINT ?
	    _("fdinspect: stopped by Ctrl-C; the kernel closes every descriptor as the process exits.\n") :
	    stop_signal == SIGTERM ?
	    _("fdinspect: stopped by SIGTERM; the kernel closes every descriptor as the process exits.\n") :
	    _("fdinspect: stopped; the kernel closes every descriptor as the process exits.\n"), stdout);
	return 0;
}

/* One of each kind: files r, w and u, a pipe, TCP listener and pair, a UNIX socket. */
static void
open_teaching_set(struct teaching_set *set)
{
	int wo_fd, pipe_fds[2];

	snprintf(set->dir, sizeof set->dir, "/tmp/portlab-fdinspect.XXXXXX");
	if (mkdtemp(set->dir) == NULL)
		fail("mkdtemp", errno, _("Could not make a directory in /tmp"));
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
		fail("open", errno, _("Could not create a file in /tmp"));
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
		fail(_("connect to our own listener"), errno, NULL);
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
		fail(_("bind a UNIX socket"), errno, _("Could not create a socket file in /tmp"));
	if (listen(unix_fd, BACKLOG) == -1)
		fail(_("listen on a UNIX socket"), errno, NULL);
}

/* Read a process's table, or fail with words a student can act on. */
static void
read_table(long pid, struct fdtab_proc *proc)
{
	char what[160], hint[640];
	int err;

	if (fdtab_read(pid, proc) == 0)
		return;
	err = errno;	/* _() below must not be what changes it */
	snprintf(what, sizeof what, _("read the descriptors of pid %ld"), pid);
	if (err == ESRCH && proc->zombie)
		snprintf(hint, sizeof hint, _("Process %ld is a zombie: it has exited and holds no "
		    "files, but its parent has not collected its exit status yet. lsof prints "
		    "nothing for it either"), pid);
	else if (err == ESRCH)
		snprintf(hint, sizeof hint, _("No process has pid %ld; list processes with: ps -e"), pid);
	else if ((err == EACCES || err == EPERM) && geteuid() == 0)
		snprintf(hint, sizeof hint, _("The kernel keeps process %ld's descriptors from every "
		    "user, even root (a container's pid 1, or a sandbox); lsof cannot read them "
		    "either"), pid);
	else if (err == EACCES || err == EPERM)
		snprintf(hint, sizeof hint, _("Process %ld belongs to another user, and only root "
		    "may see its descriptors. lsof has the same limit (on Linux its rows "
		    "say Permission denied). Try: sudo bin/fdinspect -p %ld"), pid, pid);
	else
		snprintf(hint, sizeof hint, "%s", _("Check the pid"));
	fail(what, err, hint);
}

/* The table laid out as lsof lays it out, then what each row means. */
static void
print_table(const struct fdtab_proc *proc)
{
	char line[FDTAB_NAME_MAX * 4 + 256], why[512], number[FDTAB_COLUMN_STRLEN], mode, lock;
	const struct fdtab_entry *first_txt = NULL;
	struct fdtab_widths w;
	size_t i;

	fdtab_widths_start(&w);
	for (i = 0; i < proc->count; i++)
		fdtab_widths_fit(&w, proc->command, proc->pid, proc->user, &proc->entries[i]);
	fdtab_format_header(&w, line, sizeof line);
	printf("%s\n", line);
	for (i = 0; i < proc->count; i++) {
		fdtab_format_row(&w, proc->command, proc->pid, proc->user, &proc->entries[i],
		    line, sizeof line);
		printf("%s\n", line);
	}
	fputs(_("\nWhat the rows mean:\n"), stdout);
	for (i = 0; i < proc->count; i++)
		if (first_txt == NULL && strcmp(proc->entries[i].fd, "txt") == 0)
			first_txt = &proc->entries[i];
	for (i = 0; i < proc->count; i++) {
		fdtab_fd_parts(proc->entries[i].fd, number, sizeof number, &mode, &lock);
		explain(&proc->entries[i], first_txt, mode, lock, why, sizeof why);
		printf("  %-*s %s\n", w.fd, proc->entries[i].fd, why);
	}
	if (strlen(proc->command) > LSOF_COMMAND_WIDTH)
		printf(_("(lsof cuts COMMAND to %d characters; lsof +c 0 shows it whole: %s.)\n"),
		    LSOF_COMMAND_WIDTH, fdtab_escape_name(proc->command, line, sizeof line) ? line : "");
	if (proc->denied && geteuid() == 0)
		printf(_("(Permission denied, even as root: the kernel keeps process %ld's "
		    "descriptors from every user (a container's pid 1, or a sandbox). lsof prints "
		    "these same rows: it sees where they are, not what they are.)\n"), proc->pid);
	else if (proc->denied)
		printf(_("(Permission denied: process %ld belongs to another user. lsof prints these "
		    "same rows: without root it sees where the descriptors are, not what they are. "
		    "Try: sudo bin/fdinspect -p %ld)\n"), proc->pid, proc->pid);
}

/* What a row that is not a numbered descriptor means: cwd, rtd, txt, mem, DEL. */
static int
explain_special(const struct fdtab_entry *e, const struct fdtab_entry *first_txt, char lock,
    char *buf, size_t size)
{
	const char *words;

	if (strncmp(e->fd, "cwd", 3) == 0)
		words = _("the current working directory");
	else if (strncmp(e->fd, "rtd", 3) == 0)
		words = _("the root directory");
	else if (strncmp(e->fd, "txt", 3) == 0 && e != first_txt)	/* macOS lists every mapped file */
		words = _("another file mapped into its memory (macOS: dyld, a library, a font or data file)");
	else if (strncmp(e->fd, "txt", 3) == 0)
		words = strcmp(e->type, "unknown") != 0 ? _("the program file being run") :
		    strstr(e->name, "(readlink:") != NULL ? _("the program file, which we may not see") :
		    _("the program file, which a kernel thread does not have");
	else if (strcmp(e->fd, "NOFD") == 0)
		words = _("lsof could not list the descriptors at all; NAME says why");
	else if (strncmp(e->fd, "mem", 3) == 0)
		words = _("a file mapped into memory (a library, or a database file)");
	else if (strncmp(e->fd, "DEL", 3) == 0)
		words = _("a mapping whose file is gone: on a desktop nearly always shared "
		    "memory (/memfd:..., /dev/zero), not a file someone deleted");
	else
		return 0;
	snprintf(buf, size, _("not a descriptor: %s%s"), words, lock == 'w' || lock == 'W' ?
	    _("; the process holds a write lock on it") : lock == 'r' || lock == 'R' ?
	    _("; the process holds a read lock on it") : "");
	return 1;
}

/* What kind of socket a row is, in plain words; NULL if it is not one. */
static const char *
socket_words(const struct fdtab_entry *e)
{
	if (e->proto == IPPROTO_TCP && strcmp(e->state, "LISTEN") == 0)
		return _("a TCP socket listening for connections");
	if (e->proto == IPPROTO_TCP)
		return _("a TCP connection, our end first: LOCAL->REMOTE");
	if (e->proto == IPPROTO_UDP)
		return _("a UDP socket");
	if (e->proto == IPPROTO_ICMP || e->proto == IPPROTO_ICMPV6)
		return _("an ICMP socket, as ping uses");
	if (strcmp(e->type, "unix") == 0)
		return _("a UNIX socket: for processes on this machine only");
	if (strcmp(e->type, "netlink") == 0)
		return _("a netlink socket: a line to the kernel itself (ROUTE: addresses and routes)");
	if (strcmp(e->type, "raw") == 0 || strcmp(e->type, "raw6") == 0)
		return _("a raw IP socket: whole IP packets, as ping uses");
	if (strcmp(e->type, "icmp") == 0)
		return _("an ICMP socket, as ping uses");
	if (strcmp(e->type, "pack") == 0)
		return _("a packet socket: whole network frames, as tcpdump uses");
	if (strcmp(e->type, "sock") == 0 && strncmp(e->name, "no further information", 22) == 0)
		return _("a socket of a family lsof has no name for");
	if (strcmp(e->type, "sock") == 0)
		return _("a socket not in this network's tables: not bound yet, or in another "
		    "network namespace (a container); NAME is what the kernel says it speaks");
	return NULL;
}

/* What kind of file a row that is not a socket is, in plain words. */
static const char *
file_words(const struct fdtab_entry *e)
{
	if (strcmp(e->type, "FIFO") == 0 || strcmp(e->type, "PIPE") == 0)
		return strcmp(e->name, "pipe") == 0 || e->name[0] == '-' ?
		    _("one end of a pipe") : _("a named pipe (FIFO)");
	if (strcmp(e->type, "REG") == 0)
		return _("a regular file");
	if (strcmp(e->type, "DIR") == 0)
		return _("a directory");
	if (strcmp(e->type, "CHR") == 0)
		return _("a character device (a terminal, /dev/null ...)");
	if (strcmp(e->type, "a_inode") != 0)
		return macos_words(e);
	if (strncmp(e->name, "[eventfd", 8) == 0)
		return _("an eventfd: a counter threads wake each other with");
	if (strncmp(e->name, "[eventpoll", 10) == 0)
		return _("an epoll instance: it waits on the descriptors after the colon");
	if (strncmp(e->name, "[pidfd", 6) == 0)
		return _("a pidfd: a handle on the process after the colon");
	return _("a kernel object with no file behind it");
}

/* Kinds only macOS has, in plain words. */
static const char *
macos_words(const struct fdtab_entry *e)
{
	static const struct {
		const char *type, *words;
	} kinds[] = {
		{ "KQUEUE", N_("a kqueue: macOS's way to wait for many events at once") },
		{ "PSXSHM", N_("POSIX shared memory (shm_open), shared with other processes") },
		{ "PSXSEM", N_("a POSIX semaphore (sem_open)") },
		{ "NPOLICY", N_("a network policy descriptor (macOS's network extension machinery)") },
		{ "FSEVENTS", N_("the file-system events device") },
		{ "LINK", N_("a symbolic link") },
		{ "systm", N_("a system socket: a line to the kernel (a kernel control or kernel events)") },
		{ "rte", N_("a routing socket: the kernel's messages about routes and addresses") },
		{ "ndrv", N_("a raw network-driver socket") },
		{ "key", N_("a key-management socket (IPsec)") },
		{ "ppp", N_("a PPP socket") },
		{ "vsock", N_("a vsock: a line between a virtual machine and its host") },
		{ "vsockp", N_("a vsock: a line between a virtual machine and its host") },
	};
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(e->type, kinds[i].type) == 0)
			return _(kinds[i].words);
	if (e->type[0] == '\0' || strcmp(e->type, "unknown") == 0)
		return _("lsof could not tell what it is; NAME says why");
	return _("some other kind of file");
}

/* What a row means, in plain words; mode and lock are its FD column's letters. */
static void
explain(const struct fdtab_entry *e, const struct fdtab_entry *first_txt, char mode, char lock,
    char *buf, size_t size)
{
	static const char *const standard[] = { N_("standard input"), N_("standard output"),
	    N_("standard error") };
	const char *kind = socket_words(e), *locked = "";
	char head[128];

	if (explain_special(e, first_txt, lock, buf, size))
		return;
	if (e->fd_num >= 0 && e->fd_num <= 2)
		snprintf(head, sizeof head, _("descriptor %d (%s)"), e->fd_num, _(standard[e->fd_num]));
	else
		snprintf(head, sizeof head, _("descriptor %d"), e->fd_num);
	if (kind == NULL)
		kind = file_words(e);
	if (lock != ' ')
		locked = lock == 'W' ? _("; holds a write lock on the whole file") : lock == 'w' ?
		    _("; holds a write lock on part of it") : lock == 'R' ?
		    _("; holds a read lock on the whole file") : _("; holds a read lock on part of it");
	if (mode == ' ')	/* macOS: lsof does not ask a pipe, FSEVENTS or NPOLICY for its mode */
		snprintf(buf, size, e->type[0] && strcmp(e->type, "unknown") != 0 ?
		    _("%s, no mode letter (lsof does not ask this kind how it was opened): %s%s") :
		    _("%s, no mode letter (lsof could not read it): %s%s"), head, kind, locked);
	else
		snprintf(buf, size, mode == 'r' ? _("%s, read-only (%c): %s%s") : mode == 'w' ?
		    _("%s, write-only (%c): %s%s") : _("%s, read-write (%c): %s%s"), head, mode,
		    kind, locked);
}

/*
 * -i SPEC: every socket a visible process holds that SPEC selects, as
 * lsof -i SPEC lists them, whole rows in lsof's layout. Returns the exit
 * status: 0 if it found some, 1 if none, as lsof does.
 */
static int
show_sockets(const char *text)
{
	struct fdtab_inet_spec spec;
	struct fdtab_socket *socks;
	struct fdtab_widths w;
	struct fdtab_entry e;
	char line[FDTAB_NAME_MAX + 256];
	size_t count, i, shown = 0;
	int hidden;

	parse_spec(text, &spec);
	if (fdtab_sockets(&socks, &count, &hidden) == -1)
		fail(_("list the sockets"), errno, NULL);
	qsort(socks, count, sizeof *socks, socket_cmp);
	/* Size the columns first, then print, as lsof does. */
	fdtab_widths_start(&w);
	for (i = 0; i < count; i++)
		if (fdtab_inet_spec_matches(&spec, &socks[i])) {
			socket_entry(&socks[i], &e);
			fdtab_widths_fit(&w, socks[i].command, socks[i].pid, socks[i].user, &e);
			shown++;
		}
	fdtab_format_header(&w, line, sizeof line);
	if (shown > 0)
		printf("%s\n", line);
	for (i = 0; i < count; i++)
		if (fdtab_inet_spec_matches(&spec, &socks[i])) {
			socket_entry(&socks[i], &e);
			fdtab_format_row(&w, socks[i].command, socks[i].pid, socks[i].user, &e,
			    line, sizeof line);
			printf("%s\n", line);
		}
	print_sockets_summary(text, shown, hidden);
	free(socks);
	return shown ? 0 : 1;
}

/* A socket as the row lsof -i prints: SIZE/OFF 0t0, NODE TCP, UDP (or ICMP...), NAME with its state. */
static void
socket_entry(const struct fdtab_socket *s, struct fdtab_entry *e)
{
	memset(e, 0, sizeof *e);
	e->fd_num = atoi(s->fd);
	snprintf(e->fd, sizeof e->fd, "%s", s->fd);
	snprintf(e->type, sizeof e->type, "%s", s->type);
	snprintf(e->device, sizeof e->device, "%s", s->device);
	snprintf(e->size_off, sizeof e->size_off, "0t0");
	if (fdtab_proto_name(s->proto) != NULL)
		snprintf(e->node, sizeof e->node, "%s", fdtab_proto_name(s->proto));
	else	/* lsof's way for a protocol it has no name for */
		snprintf(e->node, sizeof e->node, "%d?", s->proto);
	fdtab_socket_name(s, e->name, sizeof e->name);
}

/* -i's text, read as lsof reads it: [46][TCP|UDP][@HOST][:PORTS]. Exits 2 if it is not that. */
static void
parse_spec(const char *text, struct fdtab_inet_spec *spec)
{
	char why[512];

	if (fdtab_parse_inet_spec(text, strlen(text), spec) == -1) {
		snprintf(why, sizeof why, _("bad -i '%s': %s. Write it as lsof does: "
		    "[4|6][TCP|UDP][@HOST][:PORT], like -i :8080, -i TCP:8080, -i @127.0.0.1 or -i 6"),
		    opt_shown(text), spec->error);
		usage_error(why);
	}
	if (fdtab_inet_spec_resolve(spec) == -1)
		fail(_("look up the host in -i"), 0, spec->error);
}

/* After the rows: how many, what LISTEN and ESTABLISHED mean, and what we could not see. */
static void
print_sockets_summary(const char *text, size_t shown, int hidden)
{
	if (shown == 0)
		printf(_("No process we can see has a socket that -i %s selects.\n"), opt_shown(text));
	else
		printf(shown == 1 ? _("\n%zu socket. A LISTEN row is a server waiting on its port; an "
		    "ESTABLISHED row is one end of a connection, our end first.\n") :
		    _("\n%zu sockets. A LISTEN row is a server waiting on its port; an "
		    "ESTABLISHED row is one end of a connection, our end first.\n"), shown);
	if (hidden > 0) {
		/* fdtab's reason completes the sentence: "2 processes could not be read: ..." */
		printf(hidden == 1 ? _("%d process %s.") : _("%d processes %s."), hidden,
		    fdtab_hidden_reason(hidden));
		if (geteuid() != 0)
			printf(_(" lsof hides them too, without saying so. Try: sudo bin/fdinspect -i %s"),
			    opt_shown(text));
		printf("\n");
	}
}

/* lsof's order: by pid, then by descriptor number. */
static int
socket_cmp(const void *a, const void *b)
{
	const struct fdtab_socket *x = a, *y = b;
	long xfd = strtol(x->fd, NULL, 10), yfd = strtol(y->fd, NULL, 10);

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (xfd > yfd) - (xfd < yfd);
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

/* A usage error: "fdinspect: WHY", then the usage lines (never translated), exit 2. */
static _Noreturn void
usage_error(const char *why)
{
	errx(2, "%s\n%s", why, USAGE);
}

static void
print_help(void)
{
	printf("%s\n", USAGE);
	fputs(_("With no options: open one of each kind of descriptor (files read-only,\n"
	    "write-only and read-write, a pipe, TCP sockets, a UNIX socket), show this\n"
	    "process's table with lsof's columns and what each row means, and wait.\n"
	    "\n"
	    "  --hold SECONDS        exit after SECONDS (default: until Ctrl-C)\n"
	    "  -p PID                show another process's table instead\n"
	    "  -i [TCP|UDP]:PORT     show which processes use PORT, like lsof -i :PORT; every\n"
	    "                        form lsof -i takes works: [4|6][TCP|UDP][@HOST][:PORTS],\n"
	    "                        as in tcp:8080, @127.0.0.1:8080, :8000-8100, 6\n"
	    "  -h, --help            show this help\n"
	    "  --version             show the version\n"
	    "\n"
	    "Example:        bin/fdinspect\n"
	    "Try beside it:  lsof -nP -p PID     (fdinspect prints its PID)\n"), stdout);
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
	char why[320];
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
			if (opt_parse_hold(optarg, hold) == -1) {
				/* OPT_HOLD_HINT's words, spelled out here so they can be translated */
				snprintf(why, sizeof why, _("bad --hold '%s': give whole seconds from 0 "
				    "to 86400, like --hold 30"), opt_shown(optarg));
				usage_error(why);
			}
			break;
		case 'V':
			printf("fdinspect (portlab) %s\n", PORTLAB_VERSION);
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
	if (*pid_text != NULL && *port_spec != NULL)
		usage_error(_("give -p or -i, not both"));
}
