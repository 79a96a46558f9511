/*
 * fdtab - file descriptors and sockets as lsof shows them.
 *
 * One interface, two platforms: fdtab_linux.c reads /proc, fdtab_macos.c
 * asks libproc. The Makefile builds the one for the OS it targets.
 */
#ifndef PORTLAB_FDTAB_H
#define PORTLAB_FDTAB_H

#include <stddef.h>
#include <sys/socket.h>

/* Room for the longest FD column value we write ("*123u", "cwd") and a NUL. */
#define FDTAB_COLUMN_STRLEN 16
#define FDTAB_NAME_MAX 1024	/* longer NAMEs are cut */
#define FDTAB_COMMAND_MAX 64

/*
 * Write our own descriptor fd as lsof's FD column shows it: the number and
 * its access mode from fcntl(F_GETFL), "3u", "4r", "5w" ("*005u" past 9999,
 * as lsof does). Returns 0, or -1 with errno set (EBADF for a closed fd).
 */
int fdtab_fd_column(int fd, char *buf, size_t size);

/*
 * Put descriptor fd in non-blocking mode (O_NONBLOCK), so a read, write or
 * accept that would wait returns EAGAIN instead. Returns 0, or -1 with errno
 * set by fcntl (EBADF for a closed fd).
 */
int fdtab_set_nonblocking(int fd);

/* lsof's NODE for an IP protocol: "TCP", "UDP", "ICMP", "ICMPV6" ...; NULL for one it does not name. */
const char *fdtab_proto_name(int proto);

/* lsof's mode letter for open flags: 'r', 'w' or 'u' (read and write). */
char fdtab_mode_letter(int open_flags);

/*
 * Write descriptor number fd with mode letter mode as lsof's FD column
 * ("3u", "*005r"). Returns 0, or -1 with errno ENOSPC.
 */
int fdtab_format_fd(int fd, char mode, char *buf, size_t size);

/* One row of lsof's table for a process: every column after USER. */
struct fdtab_entry {
	char fd[FDTAB_COLUMN_STRLEN];	/* FD: "cwd", "rtd", "txt", "mem", "3u" */
	int fd_num;			/* the descriptor number; -1 for cwd, txt, mem ... */
	char type[16];			/* TYPE: "REG", "DIR", "CHR", "FIFO", "IPv4", "unix", ... */
	char device[32];		/* DEVICE: "254,0", a socket inode, or "0x..." */
	char size_off[32];		/* SIZE/OFF: a size, or an offset such as "0t0" */
	char node[32];			/* NODE: an inode, or "TCP"/"UDP" */
	char name[FDTAB_NAME_MAX];	/* NAME: a path, "pipe", "127.0.0.1:8080 (LISTEN)" */
	/* For internet sockets only (proto 0 for everything else): */
	int proto;			/* IPPROTO_TCP, IPPROTO_UDP; on macOS also ICMP ... */
	struct sockaddr_storage local;
	struct sockaddr_storage remote;	/* ss_family 0: no remote end */
	char state[32];			/* "LISTEN", "ESTABLISHED" ...; "" for UDP */
};

/*
 * Text as lsof prints a NAME, for a terminal: printable characters as they
 * are (in a UTF-8 locale, printable multibyte characters too: call
 * setlocale(LC_CTYPE, "") first, as lsof does), "\\" for a backslash,
 * \b \f \n \r \t, "^X" for other controls ("^[" for ESC) and "\xNN" for
 * any other byte. Writes a NUL-terminated string, cut if it must be, and
 * returns its length.
 */
size_t fdtab_escape_name(const char *s, char *buf, size_t size);

/*
 * A COMMAND as lsof prints it: escaped like a NAME but byte by byte, with a
 * space as "\x20", and cut to width characters without splitting an escape
 * ("tmux: server" at 9 is "tmux:\x20"). Returns the length written.
 */
size_t fdtab_escape_command(const char *s, int width, char *buf, size_t size);

/*
 * Split an FD column ("3uW", "mem-w", "cwd") into what lsof prints apart:
 * the descriptor or its name into name, then the mode letter and the lock
 * letter, a space where there is none ('-' for the mode of "mem-w").
 */
void fdtab_fd_parts(const char *fd, char *name, size_t size, char *mode, char *lock);

/* The widths of lsof's columns for a table: each title's at least, then the widest cell. */
struct fdtab_widths {
	int command, pid, user, fd, type, device, size_off, node;
};

/* Start widths for a new table. */
void fdtab_widths_start(struct fdtab_widths *w);

/* Widen w for one row: process command, pid and user, and entry e. */
void fdtab_widths_fit(struct fdtab_widths *w, const char *command, long pid,
    const char *user, const struct fdtab_entry *e);

/*
 * lsof's header line, and one row, laid out exactly as lsof lays them out
 * with widths w (lsof's print.c): COMMAND left-aligned and cut at 9, every
 * other column right-aligned, the FD number followed by its mode and lock
 * letters (blank if none). No newline. Cut to size if it must be.
 */
void fdtab_format_header(const struct fdtab_widths *w, char *buf, size_t size);
void fdtab_format_row(const struct fdtab_widths *w, const char *command, long pid,
    const char *user, const struct fdtab_entry *e, char *buf, size_t size);

/* A process's descriptor table, in lsof's order: cwd, rtd, txt, mem, then 0, 1, 2 ... */
struct fdtab_proc {
	long pid;
	int zombie;				/* 1: it has exited, but its parent has not waited */
	int denied;				/* 1: some rows say Permission denied, as lsof's do */
	char command[FDTAB_COMMAND_MAX];	/* the whole name; lsof cuts it to 9 */
	char user[32];				/* login name, or the uid in digits */
	struct fdtab_entry *entries;
	size_t count;
};

/*
 * Read the descriptor table of process pid. Returns 0 and fills *proc
 * (release it with fdtab_proc_free), or -1 with errno ESRCH (no such
 * process, or a zombie: then proc->zombie is 1 and, as for lsof, there is
 * nothing to show), EACCES (not allowed: another user's process and we are
 * not root; lsof hits the same wall) or ENOMEM. On Linux a process closed
 * to us still gives lsof's rows, each NAME saying Permission denied, and
 * proc->denied is 1; on macOS libproc refuses the whole process (EACCES).
 */
int fdtab_read(long pid, struct fdtab_proc *proc);

/* Free what fdtab_read allocated; safe on a zeroed struct. */
void fdtab_proc_free(struct fdtab_proc *proc);

/* One internet socket on this machine, and a process that holds it. */
struct fdtab_socket {
	int proto;				/* IPPROTO_TCP, IPPROTO_UDP; macOS: also ICMP ... */
	char type[8];				/* lsof's TYPE: "IPv4" or "IPv6" */
	struct sockaddr_storage local;
	struct sockaddr_storage remote;		/* ss_family 0: no remote end */
	char state[32];				/* lsof's spelling; "" for UDP */
	long pid;				/* -1: no visible process holds it */
	char command[FDTAB_COMMAND_MAX];
	char user[32];				/* the holder's login name, or its uid */
	char fd[FDTAB_COLUMN_STRLEN];		/* "5u", as lsof's FD column */
	char device[32];			/* lsof's DEVICE: the inode (Linux), an address (macOS) */
};

/*
 * Every internet socket that a visible process holds, one entry per
 * (process, descriptor), like lsof -i: TCP and UDP (on macOS, lsof -i also
 * lists ICMP and other IP sockets, and so does this). *hidden is set to how many processes
 * could not be read (other users' ones without root). Returns 0 and a
 * malloc'd array in *sockets (free() it), or -1 with errno set.
 */
int fdtab_sockets(struct fdtab_socket **sockets, size_t *count, int *hidden);

/*
 * TCP sockets that no process holds, counted by state: the end that closed
 * first waiting in TIME_WAIT, a socket its program closed (an orphan) still
 * finishing in FIN_WAIT2 or another closing state, a connection still in
 * the handshake (SYN_RECV). No descriptor names them, so lsof has no row
 * for them; ss -tan (netstat -an -p tcp on macOS) lists them.
 */
struct fdtab_unheld {
	size_t time_wait, fin_wait2, other;
};

/*
 * Count them in this network namespace (Linux: /proc/net/tcp and tcp6, where
 * they have inode 0). Returns 0, or -1 with errno set: ENOSYS on macOS,
 * whose libproc knows sockets only through descriptors.
 */
int fdtab_unheld(struct fdtab_unheld *unheld);

/*
 * Socket s's NAME as this platform's lsof -nP writes it: "LOCAL->REMOTE
 * (STATE)" (on Linux, a UDP socket's NAME ends in a blank, as lsof's does).
 */
void fdtab_socket_name(const struct fdtab_socket *s, char *buf, size_t size);

/*
 * Find a process that holds a TCP socket listening on port, as
 * lsof -iTCP:PORT -sTCP:LISTEN would: returns 1 and fills *holder (pid,
 * command, fd), or 0 when no process we may see does (it may belong to
 * another user), or -1 with errno set as fdtab_sockets.
 */
int fdtab_listener(unsigned port, struct fdtab_socket *holder);

/* The same for UDP, which has no LISTEN: a process holding a UDP socket bound to port. */
int fdtab_udp_holder(unsigned port, struct fdtab_socket *holder);

/*
 * Why `hidden` processes (from fdtab_sockets) could not be read, to follow
 * "N processes": "could not be read: they belong to other users", or for
 * root "could not be read, even as root: ...". Never fails.
 */
const char *fdtab_hidden_reason(int hidden);

#define FDTAB_SPEC_PORTS 16

/*
 * One -i selection, read as lsof(8) reads it: [46][protocol][@host][:ports],
 * where protocol is TCP or UDP in any case, host a name, an IPv4 address or
 * an IPv6 address in brackets, and ports a comma-separated list of port
 * numbers, LOW-HIGH ranges and service names.
 */
struct fdtab_inet_spec {
	int family;			/* 0: any; AF_INET for 4, AF_INET6 for 6 */
	int proto;			/* 0: any; IPPROTO_TCP or IPPROTO_UDP */
	char host[256];			/* "": any; else to be resolved (fdtab_inet_spec_resolve) */
	struct sockaddr_storage addrs[8];	/* what host is, once resolved */
	size_t naddrs;
	struct { unsigned low, high; } ports[FDTAB_SPEC_PORTS];
	size_t nports;			/* 0: any port */
	char error[320];		/* why parsing failed, in words (Japanese takes 3 bytes a letter) */
};

/*
 * Parse s[0..len), the text after -i, into spec. An IP address is taken as
 * it is; a host name is left in spec->host. Service names are looked up in
 * the services database. Returns 0, or -1 with errno EINVAL and spec->error.
 */
int fdtab_parse_inet_spec(const char *s, size_t len, struct fdtab_inet_spec *spec);

/*
 * Look up spec->host (if it is a name) into spec->addrs. Returns 0, or -1
 * with spec->error set.
 */
int fdtab_inet_spec_resolve(struct fdtab_inet_spec *spec);

/* 1 if socket s is one that spec selects: its protocol and family, and either end's address and port. */
int fdtab_inet_spec_matches(const struct fdtab_inet_spec *spec, const struct fdtab_socket *s);

/*
 * Parse one line of Linux's /proc/net/tcp, tcp6, udp or udp6 (family
 * AF_INET or AF_INET6) from line[0..len): addresses, ports, state and
 * inode. Returns 0, or -1 with errno EINVAL for the header or a malformed
 * line. For fuzzing; works on any platform.
 */
int fdtab_parse_inet_line(const char *line, size_t len, int family, int proto,
    struct fdtab_socket *sock, unsigned long *inode);

/*
 * The NAME both backends' fdtab_socket_name write: "LOCAL->REMOTE (STATE)",
 * or with no state "LOCAL->REMOTE" then stateless_tail (Linux's lsof ends a
 * UDP NAME in a blank, macOS's adds nothing).
 */
void fdtab_inet_name(const struct fdtab_socket *s, const char *stateless_tail, char *buf,
    size_t size);

#endif
