/*
 * fdtab_linux - descriptor tables read from /proc, the way lsof reads them.
 *
 * Every process has a directory /proc/PID: fd/ holds one symbolic link per
 * open descriptor ("socket:[6384]", "pipe:[6387]" or a path), fdinfo/ the
 * flags each was opened with, and maps the files mapped into memory. A
 * socket's addresses are not in fd/: they are found by its inode number in
 * /proc/net/tcp, tcp6, udp, udp6 and unix. Reading another user's fd/ needs
 * root; the kernel answers EACCES, and lsof then quietly leaves it out.
 *
 * For speed the socket list is asked of the kernel's sock_diag netlink
 * interface first, as ss does: formatting /proc/net/tcp as text is slow when
 * there are many sockets. /proc/net/tcp is read when netlink is refused.
 */
#include "fdtab.h"
#include "addr.h"
#include "mem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#define FDTAB_EPOLL_MAX 32	/* epoll targets lsof lists before "..." */

/* An internet socket from /proc/net, found again by its inode. */
struct fdtab_inet {
	unsigned long inode;
	struct fdtab_socket sock;
};

/* A UNIX socket from /proc/net/unix. */
struct fdtab_unix {
	unsigned long inode;
	char address[20];	/* the kernel address lsof shows in DEVICE */
	char path[256];
	const char *type;	/* "STREAM", "DGRAM", "SEQPACKET" */
	const char *state;	/* "LISTEN", "CONNECTED", ... */
};

/*
 * A socket lsof finds in the other /proc/net files: raw, raw6, netlink,
 * packet and icmp. Its TYPE, DEVICE, NODE and NAME, as lsof writes them.
 */
struct fdtab_other {
	unsigned long inode;
	char type[8], device[24], node[16], name[160];
};

/* A lock in /proc/locks that one process holds: lsof's lock letter for the file. */
struct fdtab_lock {
	unsigned major, minor;
	unsigned long long inode;
	char letter;		/* R r: read lock on the whole file or part; W w: write */
};

/* Everything /proc/net and /proc/locks know, loaded once per question. */
struct fdtab_net {
	struct fdtab_inet *inet;
	size_t ninet;
	struct fdtab_unix *unix_socks;
	size_t nunix;
	struct fdtab_other *others;	/* loaded on the first socket nothing else names */
	size_t nothers;
	int others_loaded;
	struct fdtab_lock *locks;	/* the locks of the one process being read */
	size_t nlocks;
};

/* What /proc/PID/fdinfo/FD says beyond the flags. */
struct fdtab_fdinfo {
	long long offset;		/* pos: */
	long eventfd_id;		/* eventfd-id: (-1: none) */
	long pidfd_pid;			/* Pid: of a pidfd (-1: none) */
	int tfds[FDTAB_EPOLL_MAX];	/* tfd: the descriptors an epoll watches */
	int ntfds;
};

static int
fdtab_inet_cmp(const void *a, const void *b)
{
	unsigned long x = ((const struct fdtab_inet *)a)->inode;
	unsigned long y = ((const struct fdtab_inet *)b)->inode;

	return x < y ? -1 : x > y;
}

/* Append the sockets of one /proc/net file (tcp, tcp6, udp or udp6). */
static int
fdtab_load_inet(struct fdtab_net *net, size_t *capacity, const char *path,
    int family, int proto)
{
	struct fdtab_inet *more;
	unsigned long inode;
	char *line = NULL;
	size_t line_size = 0;
	ssize_t len;
	FILE *fp;

	fp = fopen(path, "r");
	if (fp == NULL)
		return errno == ENOENT ? 0 : -1;	/* no IPv6 in this kernel */
	while ((len = getline(&line, &line_size, fp)) > 0) {
		more = mem_grow(net->inet, net->ninet, capacity, sizeof *more);
		if (more == NULL)
			break;
		net->inet = more;
		if (fdtab_parse_inet_line(line, (size_t)len, family, proto,
		    &net->inet[net->ninet].sock, &inode) == 0) {
			net->inet[net->ninet].inode = inode;
			net->ninet++;
		}
	}
	free(line);
	fclose(fp);
	return 0;
}

/* Parse one line of /proc/net/unix: "Num: RefCount Protocol Flags Type St Inode [Path]". */
static int
fdtab_parse_unix_line(const char *line, struct fdtab_unix *u)
{
	static const char *const states[] = { "UNCONNECTED", "UNCONNECTED",
	    "CONNECTING", "CONNECTED", "DISCONNECTING" };
	unsigned long refcount, protocol, flags, type, state;
	char address[17];
	int path_at = 0;

	if (sscanf(line, "%16[0-9a-fA-F]: %lx %lx %lx %lx %lx %lu %n", address,
	    &refcount, &protocol, &flags, &type, &state, &u->inode, &path_at) < 7)
		return -1;
	snprintf(u->address, sizeof u->address, "0x%s", address);
	snprintf(u->path, sizeof u->path, "%.*s", path_at ?
	    (int)strcspn(line + path_at, "\n") : 0, path_at ? line + path_at : "");
	u->type = type == 1 ? "STREAM" : type == 2 ? "DGRAM" : type == 5 ?
	    "SEQPACKET" : "UNKNOWN";
	/* __SO_ACCEPTCON: the socket is listening. */
	u->state = flags & 0x10000 ? "LISTEN" : state < 5 ? states[state] : "UNKNOWN";
	return 0;
}

static int
fdtab_load_unix(struct fdtab_net *net)
{
	struct fdtab_unix *more;
	size_t capacity = 0;
	char *line = NULL;
	size_t line_size = 0;
	FILE *fp;

	fp = fopen("/proc/net/unix", "r");
	if (fp == NULL)
		return 0;
	while (getline(&line, &line_size, fp) > 0) {
		more = mem_grow(net->unix_socks, net->nunix, &capacity, sizeof *more);
		if (more == NULL)
			break;
		net->unix_socks = more;
		if (fdtab_parse_unix_line(line, &net->unix_socks[net->nunix]) == 0)
			net->nunix++;
	}
	free(line);
	fclose(fp);
	return 0;
}

/* Append one socket that sock_diag reported. */
static int
fdtab_add_diag(struct fdtab_net *net, size_t *capacity, const struct inet_diag_msg *d,
    int proto)
{
	static const char *const states[] = { "", "ESTABLISHED", "SYN_SENT",
	    "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
	    "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING" };
	struct fdtab_inet *more;
	struct fdtab_socket *s;
	struct sockaddr_in *l4, *r4;
	struct sockaddr_in6 *l6, *r6;

	if ((more = mem_grow(net->inet, net->ninet, capacity, sizeof *more)) == NULL)
		return -1;
	net->inet = more;
	more[net->ninet].inode = d->idiag_inode;
	s = &more[net->ninet++].sock;
	memset(s, 0, sizeof *s);
	s->pid = -1;
	s->proto = proto;
	l4 = (struct sockaddr_in *)&s->local, r4 = (struct sockaddr_in *)&s->remote;
	l6 = (struct sockaddr_in6 *)&s->local, r6 = (struct sockaddr_in6 *)&s->remote;
	/* Ports and addresses arrive in network byte order, ready to copy. */
	if (d->idiag_family == AF_INET) {
		l4->sin_family = r4->sin_family = AF_INET;
		memcpy(&l4->sin_addr, d->id.idiag_src, 4);
		memcpy(&r4->sin_addr, d->id.idiag_dst, 4);
		l4->sin_port = d->id.idiag_sport;
		r4->sin_port = d->id.idiag_dport;
	} else {
		l6->sin6_family = r6->sin6_family = AF_INET6;
		memcpy(&l6->sin6_addr, d->id.idiag_src, 16);
		memcpy(&r6->sin6_addr, d->id.idiag_dst, 16);
		l6->sin6_port = d->id.idiag_sport;
		r6->sin6_port = d->id.idiag_dport;
	}
	if (d->id.idiag_dport == 0)
		memset(&s->remote, 0, sizeof s->remote);	/* no remote end */
	snprintf(s->type, sizeof s->type, "%s", d->idiag_family == AF_INET ? "IPv4" : "IPv6");
	if (proto == IPPROTO_TCP && d->idiag_state < sizeof states / sizeof states[0])
		snprintf(s->state, sizeof s->state, "%s", states[d->idiag_state]);
	return 0;
}

/* Read sock_diag's answers until NLMSG_DONE. */
static int
fdtab_read_diag(int nl_fd, struct fdtab_net *net, size_t *capacity, int proto)
{
	static char buf[65536];
	const struct nlmsghdr *h;
	size_t off;
	ssize_t n;

	for (;;) {
		n = recv(nl_fd, buf, sizeof buf, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		/* Messages follow each other, each padded to 4 bytes (NLMSG_ALIGN). */
		for (off = 0; off + sizeof *h <= (size_t)n; off += NLMSG_ALIGN(h->nlmsg_len)) {
			h = (const struct nlmsghdr *)(const void *)(buf + off);
			if (h->nlmsg_len < sizeof *h || off + h->nlmsg_len > (size_t)n) {
				errno = EPROTO;
				return -1;
			}
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg))) {
				errno = EPROTO;
				return -1;
			}
			if (fdtab_add_diag(net, capacity, NLMSG_DATA(h), proto) == -1)
				return -1;
		}
	}
}

/* Ask sock_diag for every socket of one family and protocol, as ss does. */
static int
fdtab_load_diag(struct fdtab_net *net, size_t *capacity, int family, int proto)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msg;
	struct sockaddr_nl kernel;
	int nl_fd, rc;

	nl_fd = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_SOCK_DIAG);
	if (nl_fd == -1)
		return -1;
	memset(&kernel, 0, sizeof kernel);
	kernel.nl_family = AF_NETLINK;
	memset(&msg, 0, sizeof msg);
	msg.nlh.nlmsg_len = sizeof msg;
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.req.sdiag_family = (unsigned char)family;
	msg.req.sdiag_protocol = (unsigned char)proto;
	/*
	 * Every state but TIME_WAIT (6) and SYN_RECV (3): those sockets belong
	 * to no process, so they could never be matched to a descriptor.
	 */
	msg.req.idiag_states = proto == IPPROTO_TCP ? ~((1U << 6) | (1U << 3)) : ~0U;
	rc = sendto(nl_fd, &msg, sizeof msg, 0, (struct sockaddr *)&kernel,
	    sizeof kernel) == (ssize_t)sizeof msg ? fdtab_read_diag(nl_fd, net, capacity, proto) : -1;
	close(nl_fd);
	return rc;
}

/* The internet sockets from sock_diag, or, if that is refused, from /proc/net. */
static int
fdtab_load_all_inet(struct fdtab_net *net)
{
	static const int kinds[4][2] = { { AF_INET, IPPROTO_TCP }, { AF_INET6, IPPROTO_TCP },
	    { AF_INET, IPPROTO_UDP }, { AF_INET6, IPPROTO_UDP } };
	size_t capacity = 0;
	int i, ok = 1;

	for (i = 0; i < 4 && ok; i++)
		ok = fdtab_load_diag(net, &capacity, kinds[i][0], kinds[i][1]) == 0;
	if (ok)
		return 0;
	net->ninet = 0;
	return fdtab_load_inet(net, &capacity, "/proc/net/tcp", AF_INET, IPPROTO_TCP) == -1 ||
	    fdtab_load_inet(net, &capacity, "/proc/net/tcp6", AF_INET6, IPPROTO_TCP) == -1 ||
	    fdtab_load_inet(net, &capacity, "/proc/net/udp", AF_INET, IPPROTO_UDP) == -1 ||
	    fdtab_load_inet(net, &capacity, "/proc/net/udp6", AF_INET6, IPPROTO_UDP) == -1 ? -1 : 0;
}

/* Load the sockets: internet ones (sorted by inode) and, if asked, UNIX ones. */
static int
fdtab_net_load(struct fdtab_net *net, int with_unix)
{
	memset(net, 0, sizeof *net);
	if (fdtab_load_all_inet(net) == -1)
		return -1;
	if (net->ninet > 0)
		qsort(net->inet, net->ninet, sizeof *net->inet, fdtab_inet_cmp);
	return with_unix ? fdtab_load_unix(net) : 0;
}

/* Append one socket lsof names from the other /proc/net files. */
static struct fdtab_other *
fdtab_other_add(struct fdtab_net *net, size_t *capacity, unsigned long inode, const char *type)
{
	struct fdtab_other *more;

	if ((more = mem_grow(net->others, net->nothers, capacity, sizeof *more)) == NULL)
		return NULL;
	net->others = more;
	more += net->nothers++;
	memset(more, 0, sizeof *more);
	more->inode = inode;
	snprintf(more->type, sizeof more->type, "%s", type);
	return more;
}

/*
 * raw, raw6 and icmp ("sl local_address rem_address st ... inode"): lsof's
 * NAME is the kernel's "LOCAL->REMOTE", and for raw the state ("st=07").
 */
static void
fdtab_load_rawlike(struct fdtab_net *net, size_t *capacity, const char *file, const char *type)
{
	char path[32], local[64], remote[64], state[8], line[512];
	struct fdtab_other *o;
	unsigned long inode;
	FILE *fp;

	snprintf(path, sizeof path, "/proc/net/%s", file);
	if ((fp = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, fp) != NULL) {
		/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
		if (sscanf(line, "%*s %63s %63s %7s %*s %*s %*s %*s %*s %lu", local, remote,
		    state, &inode) != 4 || strcmp(local, "local_address") == 0 ||
		    (o = fdtab_other_add(net, capacity, inode, type)) == NULL)
			continue;
		if (strcmp(type, "icmp") == 0)
			snprintf(o->name, sizeof o->name, "%s->%s", local, remote);
		else
			snprintf(o->name, sizeof o->name, "%s->%s st=%s", local, remote, state);
	}
	fclose(fp);
}

/* netlink ("sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode"): NAME is the protocol. */
static void
fdtab_load_netlink(struct fdtab_net *net, size_t *capacity)
{
	static const char *const protocols[] = { "ROUTE", "UNUSED", "USERSOCK", "FIREWALL",
	    "INET_DIAG", "NFLOG", "XFRM", "SELINUX", "ISCSI", "AUDIT", "FIB_LOOKUP",
	    "CONNECTOR", "NETFILTER", "IP6_FW", "DNRTMSG", "KOBJECT_UEVENT", "GENERIC", NULL,
	    "SCSITRANSPORT", "ECRYPTFS", "RDMA", "CRYPTO", "SMC" };
	struct fdtab_other *o;
	unsigned long inode;
	unsigned protocol;
	char line[256];
	FILE *fp;

	if ((fp = fopen("/proc/net/netlink", "r")) == NULL)
		return;
	while (fgets(line, sizeof line, fp) != NULL) {
		if (sscanf(line, "%*s %u %*s %*s %*s %*s %*s %*s %*s %lu", &protocol, &inode) != 2 ||
		    (o = fdtab_other_add(net, capacity, inode, "netlink")) == NULL)
			continue;
		if (protocol < sizeof protocols / sizeof protocols[0] && protocols[protocol] != NULL)
			snprintf(o->name, sizeof o->name, "%s", protocols[protocol]);
		else
			snprintf(o->name, sizeof o->name, "unknown protocol: %u", protocol);
	}
	fclose(fp);
}

/*
 * packet ("sk RefCnt Type Proto Iface R Rmem User Inode"): NAME is the
 * socket type, NODE the Ethernet protocol, DEVICE the inode.
 */
static void
fdtab_load_packet(struct fdtab_net *net, size_t *capacity)
{
	struct fdtab_other *o;
	unsigned long inode;
	unsigned type, protocol;
	char line[256];
	FILE *fp;

	if ((fp = fopen("/proc/net/packet", "r")) == NULL)
		return;
	while (fgets(line, sizeof line, fp) != NULL) {
		if (sscanf(line, "%*s %*s %u %x %*s %*s %*s %*s %lu", &type, &protocol, &inode) != 3 ||
		    (o = fdtab_other_add(net, capacity, inode, "pack")) == NULL)
			continue;
		snprintf(o->name, sizeof o->name, "type=SOCK_%s", type == SOCK_STREAM ? "STREAM" :
		    type == SOCK_DGRAM ? "DGRAM" : type == SOCK_RAW ? "RAW" : type == SOCK_RDM ?
		    "RDM" : type == SOCK_SEQPACKET ? "SEQPACKET" : "UNKNOWN");
		snprintf(o->device, sizeof o->device, "%lu", inode);
		if (protocol == 0x0003 || protocol == 0x0800 || protocol == 0x0806 || protocol == 0x86dd)
			snprintf(o->node, sizeof o->node, "%s", protocol == 0x0003 ? "ALL" :
			    protocol == 0x0800 ? "IP" : protocol == 0x0806 ? "ARP" : "IPV6");
		else
			snprintf(o->node, sizeof o->node, "%u", protocol);
	}
	fclose(fp);
}

/* The sockets only the other /proc/net files know, loaded the first time one is needed. */
static void
fdtab_load_others(struct fdtab_net *net)
{
	size_t capacity = 0;

	net->others_loaded = 1;
	fdtab_load_rawlike(net, &capacity, "raw", "raw");
	fdtab_load_rawlike(net, &capacity, "raw6", "raw6");
	fdtab_load_rawlike(net, &capacity, "icmp", "icmp");
	fdtab_load_netlink(net, &capacity);
	fdtab_load_packet(net, &capacity);
}

/*
 * The locks process pid holds, from /proc/locks:
 * "1: FLOCK  ADVISORY  WRITE 4242 fe:00:1234 0 EOF". A lock from 0 to EOF
 * covers the whole file (W, R), any other range part of it (w, r), as lsof
 * writes them. Lines marked "->" are waiting for a lock, not holding one.
 */
static void
fdtab_load_locks(struct fdtab_net *net, long pid)
{
	char line[256], mode[16], end[24];
	unsigned major_num, minor_num;
	unsigned long long inode, start;
	size_t capacity = 0;
	struct fdtab_lock *more;
	long holder;
	FILE *fp;

	if ((fp = fopen("/proc/locks", "r")) == NULL)
		return;
	while (fgets(line, sizeof line, fp) != NULL) {
		if (sscanf(line, "%*s %*s %*s %15s %ld %x:%x:%llu %llu %23s", mode, &holder,
		    &major_num, &minor_num, &inode, &start, end) != 7 || holder != pid ||
		    (strcmp(mode, "READ") != 0 && strcmp(mode, "WRITE") != 0) ||
		    (more = mem_grow(net->locks, net->nlocks, &capacity, sizeof *more)) == NULL)
			continue;
		net->locks = more;
		more += net->nlocks++;
		more->major = major_num;
		more->minor = minor_num;
		more->inode = inode;
		more->letter = mode[0] == 'W' ? 'W' : 'R';
		if (start != 0 || strcmp(end, "EOF") != 0)
			more->letter = (char)(more->letter - 'A' + 'a');	/* part of the file */
	}
	fclose(fp);
}

/* Add lsof's lock letter to e's FD column if the process holds a lock on its file. */
static void
fdtab_mark_lock(struct fdtab_entry *e, const struct fdtab_net *net)
{
	unsigned major_num, minor_num;
	unsigned long long inode;
	size_t i, len;

	if (sscanf(e->device, "%u,%u", &major_num, &minor_num) != 2 ||
	    sscanf(e->node, "%llu", &inode) != 1)
		return;
	for (i = 0; i < net->nlocks; i++) {
		if (net->locks[i].major != major_num || net->locks[i].minor != minor_num ||
		    net->locks[i].inode != inode)
			continue;
		len = strlen(e->fd);
		/* A row with no mode letter (mem, txt) shows "-" before the lock: "mem-w". */
		if (e->fd_num < 0 && len + 3 <= sizeof e->fd)
			snprintf(e->fd + len, sizeof e->fd - len, "-%c", net->locks[i].letter);
		else if (len + 2 <= sizeof e->fd)
			snprintf(e->fd + len, sizeof e->fd - len, "%c", net->locks[i].letter);
		return;
	}
}

static void
fdtab_net_free(struct fdtab_net *net)
{
	free(net->inet);
	free(net->unix_socks);
	free(net->others);
	free(net->locks);
}

static const struct fdtab_socket *
fdtab_find_inet(const struct fdtab_net *net, unsigned long inode)
{
	struct fdtab_inet key, *hit;

	memset(&key, 0, sizeof key);
	key.inode = inode;
	hit = net->ninet ? bsearch(&key, net->inet, net->ninet, sizeof key,
	    fdtab_inet_cmp) : NULL;
	return hit ? &hit->sock : NULL;
}

/*
 * NAME for an internet socket: "LOCAL->REMOTE (STATE)", as lsof writes it.
 * Linux's lsof gives a UDP socket a state slot too (print.c calls
 * print_tcptpi for any lts.type >= 0), which stays empty: its NAME ends in
 * a blank.
 */
void
fdtab_socket_name(const struct fdtab_socket *s, char *buf, size_t size)
{
	fdtab_inet_name(s, s->proto == IPPROTO_UDP ? " " : "", buf, size);
}

/* A new, zeroed row at the end of proc's table; NULL if out of memory. */
static struct fdtab_entry *
fdtab_add(struct fdtab_proc *proc, size_t *capacity)
{
	struct fdtab_entry *more;

	more = mem_grow(proc->entries, proc->count, capacity, sizeof *more);
	if (more == NULL)
		return NULL;
	proc->entries = more;
	memset(&more[proc->count], 0, sizeof more[0]);
	more[proc->count].fd_num = -1;
	return &more[proc->count++];
}

/* DEVICE, SIZE/OFF and NODE of a file from its stat, as lsof shows them. */
static void
fdtab_file_columns(struct fdtab_entry *e, const struct stat *st, long long offset)
{
	dev_t dev = S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) ? st->st_rdev : st->st_dev;

	snprintf(e->device, sizeof e->device, "%u,%u", major(dev), minor(dev));
	snprintf(e->node, sizeof e->node, "%llu", (unsigned long long)st->st_ino);
	snprintf(e->type, sizeof e->type, "%s", S_ISREG(st->st_mode) ? "REG" :
	    S_ISDIR(st->st_mode) ? "DIR" : S_ISCHR(st->st_mode) ? "CHR" :
	    S_ISBLK(st->st_mode) ? "BLK" : S_ISFIFO(st->st_mode) ? "FIFO" :
	    S_ISLNK(st->st_mode) ? "LINK" : S_ISSOCK(st->st_mode) ? "sock" : "unknown");
	/* Files and directories show their size; devices and pipes an offset. */
	if (S_ISREG(st->st_mode) || S_ISDIR(st->st_mode))
		snprintf(e->size_off, sizeof e->size_off, "%lld", (long long)st->st_size);
	else
		snprintf(e->size_off, sizeof e->size_off, "0t%lld", offset);
}

/*
 * cwd, rtd and txt: a link in /proc/PID to a file. A kernel thread has no
 * program file: like lsof, its txt row is "unknown /proc/PID/exe". Returns
 * -1 with errno.
 */
/*
 * NAME for a row lsof could not read: "/proc/1/cwd (readlink: Permission
 * denied)" when the kernel refused us (and proc->denied is set), the bare
 * path for a link that is not there (a kernel thread's exe).
 */
static void
fdtab_denied_name(struct fdtab_proc *proc, struct fdtab_entry *e, const char *path,
    const char *call, int err)
{
	if (err == EACCES || err == EPERM) {
		proc->denied = 1;
		snprintf(e->name, sizeof e->name, "%s (%s: %s)", path, call, strerror(err));
	} else
		snprintf(e->name, sizeof e->name, "%s", path);
}

static int
fdtab_add_link(struct fdtab_proc *proc, size_t *capacity, const char *fd,
    const char *link, const struct fdtab_net *net)
{
	char path[64], target[FDTAB_NAME_MAX];
	struct fdtab_entry *e;
	struct stat st;
	ssize_t n;
	int err;

	snprintf(path, sizeof path, "/proc/%ld/%s", proc->pid, link);
	n = readlink(path, target, sizeof target - 1);
	err = errno;
	if (n == -1 && err == ENOENT && strcmp(fd, "txt") != 0)
		return 0;
	if (n == -1 && err != ENOENT && err != EACCES && err != EPERM)
		return -1;
	if ((e = fdtab_add(proc, capacity)) == NULL)
		return -1;
	snprintf(e->fd, sizeof e->fd, "%s", fd);
	if (n == -1) {	/* a kernel thread's exe, or a process closed to us */
		snprintf(e->type, sizeof e->type, "unknown");
		fdtab_denied_name(proc, e, path, "readlink", err);
		return 0;
	}
	target[n] = '\0';
	snprintf(e->name, sizeof e->name, "%s", target);
	if (stat(path, &st) == 0) {
		fdtab_file_columns(e, &st, 0);
		fdtab_mark_lock(e, net);
	} else
		snprintf(e->type, sizeof e->type, "unknown");
	return 0;
}

/* Was (dev, inode) already listed as txt or mem? */
static int
fdtab_listed(const struct fdtab_proc *proc, const char *device, const char *node)
{
	size_t i;

	for (i = 0; i < proc->count; i++)
		if (strcmp(proc->entries[i].device, device) == 0 &&
		    strcmp(proc->entries[i].node, node) == 0 &&
		    (strcmp(proc->entries[i].fd, "txt") == 0 ||
		    strcmp(proc->entries[i].fd, "mem") == 0 ||
		    strcmp(proc->entries[i].fd, "DEL") == 0))
			return 1;
	return 0;
}

/* mem (and DEL) rows: the files mapped into memory, from /proc/PID/maps, once each. */
static int
fdtab_add_maps(struct fdtab_proc *proc, size_t *capacity, const struct fdtab_net *net)
{
	char path[64], device[32], node[32], *line = NULL, *file;
	unsigned major_num, minor_num;
	unsigned long long inode;
	size_t line_size = 0, len;
	struct fdtab_entry *e;
	struct stat st;
	int at = 0, deleted;
	FILE *fp;

	snprintf(path, sizeof path, "/proc/%ld/maps", proc->pid);
	fp = fopen(path, "r");
	if (fp == NULL)
		return 0;
	while (getline(&line, &line_size, fp) > 0) {
		/* "start-end perms offset major:minor inode   path" */
		/*
		 * As lsof: skip a mapping with no file (device and inode both 0,
		 * [heap], [stack]). A System V segment keeps its id as the inode:
		 * the first one, /SYSV00000000, has inode 0 on device 0,1.
		 */
		if (sscanf(line, "%*s %*s %*s %x:%x %llu %n", &major_num, &minor_num,
		    &inode, &at) < 3 || (major_num == 0 && minor_num == 0 && inode == 0) ||
		    line[at] != '/')
			continue;
		file = line + at;
		len = strcspn(file, "\n");
		file[len] = '\0';
		deleted = len > 10 && strcmp(file + len - 10, " (deleted)") == 0;
		if (deleted)
			file[len - 10] = '\0';
		snprintf(device, sizeof device, "%u,%u", major_num, minor_num);
		snprintf(node, sizeof node, "%llu", inode);
		if (fdtab_listed(proc, device, node) || (e = fdtab_add(proc, capacity)) == NULL)
			continue;
		snprintf(e->fd, sizeof e->fd, "%s", deleted ? "DEL" : "mem");
		snprintf(e->type, sizeof e->type, "REG");
		snprintf(e->device, sizeof e->device, "%s", device);
		snprintf(e->node, sizeof e->node, "%s", node);
		snprintf(e->name, sizeof e->name, "%s", file);
		if (!deleted && stat(file, &st) == 0)
			snprintf(e->size_off, sizeof e->size_off, "%lld", (long long)st.st_size);
		fdtab_mark_lock(e, net);
	}
	free(line);
	fclose(fp);
	return 0;
}

/* What /proc/PID/fdinfo/FD says of descriptor fd: its offset, and for anon inodes their detail. */
static void
fdtab_fdinfo(long pid, int fd, struct fdtab_fdinfo *fi)
{
	char path[64], line[256];
	long value;
	FILE *fp;

	memset(fi, 0, sizeof *fi);
	fi->eventfd_id = fi->pidfd_pid = -1;
	snprintf(path, sizeof path, "/proc/%ld/fdinfo/%d", pid, fd);
	if ((fp = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, fp) != NULL) {
		if (strncmp(line, "pos:", 4) == 0)
			fi->offset = strtoll(line + 4, NULL, 10);
		else if (strncmp(line, "eventfd-id:", 11) == 0)
			fi->eventfd_id = strtol(line + 11, NULL, 10);
		else if (strncmp(line, "Pid:", 4) == 0)
			fi->pidfd_pid = strtol(line + 4, NULL, 10);
		else if (strncmp(line, "tfd:", 4) == 0 && fi->ntfds < FDTAB_EPOLL_MAX &&
		    (value = strtol(line + 4, NULL, 10)) >= 0)
			fi->tfds[fi->ntfds++] = (int)value;
	}
	fclose(fp);
}

static int
fdtab_int_cmp(const void *a, const void *b)
{
	return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

/*
 * NAME of an anon inode ("[eventfd]", "[eventpoll]", "[pidfd]" ...) with
 * what lsof adds from fdinfo: "[eventfd:35]", "[eventpoll:11,13]" (the
 * descriptors it watches, sorted; "..." past 32), "[pidfd:29914]".
 */
static void
fdtab_anon_name(const char *kind, struct fdtab_fdinfo *fi, char *buf, size_t size)
{
	size_t used;
	int i;

	if (strcmp(kind, "[eventfd]") == 0 && fi->eventfd_id >= 0)
		snprintf(buf, size, "[eventfd:%ld]", fi->eventfd_id);
	else if (strcmp(kind, "[pidfd]") == 0 && fi->pidfd_pid >= 0)
		snprintf(buf, size, "[pidfd:%ld]", fi->pidfd_pid);
	else if (strcmp(kind, "[eventpoll]") == 0 && fi->ntfds > 0) {
		qsort(fi->tfds, (size_t)fi->ntfds, sizeof fi->tfds[0], fdtab_int_cmp);
		snprintf(buf, size, "[eventpoll:");
		for (i = 0; i < fi->ntfds; i++) {
			used = strlen(buf);
			snprintf(buf + used, size - used, "%s%d", i ? "," : "", fi->tfds[i]);
		}
		used = strlen(buf);
		snprintf(buf + used, size - used, "%s]", fi->ntfds == FDTAB_EPOLL_MAX ? "..." : "");
	} else
		snprintf(buf, size, "%s", kind);
}

/*
 * TYPE ... NAME for a socket descriptor (path is its /proc/PID/fd link),
 * found as lsof finds it: TCP and UDP, UNIX, then raw, netlink, packet and
 * icmp; failing all, its protocol from the kernel (the socket may be in
 * another network namespace, or not yet bound) or "can't identify protocol".
 */
static void
fdtab_socket_columns(struct fdtab_entry *e, unsigned long inode, struct fdtab_net *net,
    const char *path, const struct stat *st)
{
	const struct fdtab_socket *s = fdtab_find_inet(net, inode);
	char protocol[32];
	ssize_t n;
	size_t i;

	snprintf(e->size_off, sizeof e->size_off, "0t0");
	if (s != NULL) {
		snprintf(e->type, sizeof e->type, "%s", s->type);
		snprintf(e->device, sizeof e->device, "%lu", inode);
		snprintf(e->node, sizeof e->node, "%s", s->proto == IPPROTO_TCP ? "TCP" : "UDP");
		fdtab_socket_name(s, e->name, sizeof e->name);
		e->proto = s->proto;
		e->local = s->local;
		e->remote = s->remote;
		snprintf(e->state, sizeof e->state, "%s", s->state);
		return;
	}
	snprintf(e->node, sizeof e->node, "%lu", inode);
	for (i = 0; i < net->nunix; i++) {
		const struct fdtab_unix *u = &net->unix_socks[i];

		if (u->inode != inode)
			continue;
		snprintf(e->type, sizeof e->type, "unix");
		snprintf(e->device, sizeof e->device, "%s", u->address);
		snprintf(e->name, sizeof e->name, "%s%stype=%s (%s)", u->path,
		    u->path[0] ? " " : "", u->type, u->state);
		return;
	}
	if (!net->others_loaded)
		fdtab_load_others(net);
	for (i = 0; i < net->nothers; i++) {
		const struct fdtab_other *o = &net->others[i];

		if (o->inode != inode)
			continue;
		snprintf(e->type, sizeof e->type, "%s", o->type);
		snprintf(e->device, sizeof e->device, "%s", o->device);
		snprintf(e->name, sizeof e->name, "%s", o->name);
		if (o->node[0] != '\0')
			snprintf(e->node, sizeof e->node, "%s", o->node);
		return;
	}
	snprintf(e->type, sizeof e->type, "sock");
	snprintf(e->device, sizeof e->device, "%u,%u", major(st->st_dev), minor(st->st_dev));
	n = getxattr(path, "system.sockprotoname", protocol, sizeof protocol - 1);
	if (n > 0) {
		protocol[n] = '\0';
		snprintf(e->name, sizeof e->name, "protocol: %s", protocol);
	} else
		snprintf(e->name, sizeof e->name, "can't identify protocol");
}

/*
 * lsof's mode letter for a descriptor, from the permission bits the kernel
 * gives its /proc/PID/fd link: user read for reading, user write for
 * writing. A descriptor open for neither (O_PATH) has neither bit: "u".
 */
static char
fdtab_link_mode(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == -1)
		return 'u';
	switch (st.st_mode & (S_IRUSR | S_IWUSR)) {
	case S_IRUSR:
		return 'r';
	case S_IWUSR:
		return 'w';
	default:
		return 'u';
	}
}

/* One numbered descriptor: its link in fd/ says what kind of file it is. */
static int
fdtab_add_fd(struct fdtab_proc *proc, size_t *capacity, int fd, struct fdtab_net *net)
{
	char path[64], target[FDTAB_NAME_MAX];
	struct fdtab_fdinfo fi;
	struct fdtab_entry *e;
	unsigned long inode;
	struct stat st;
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%ld/fd/%d", proc->pid, fd);
	n = readlink(path, target, sizeof target - 1);
	if (n == -1 && errno != EACCES && errno != EPERM)
		return 0;	/* closed while we looked */
	if (n == -1) {	/* as lsof: the number, no mode, and why */
		if ((e = fdtab_add(proc, capacity)) == NULL)
			return -1;
		e->fd_num = fd;
		fdtab_format_fd(fd, ' ', e->fd, sizeof e->fd);
		snprintf(e->type, sizeof e->type, "unknown");
		fdtab_denied_name(proc, e, path, "readlink", errno);
		return 0;
	}
	target[n] = '\0';
	if (stat(path, &st) == -1)
		memset(&st, 0, sizeof st);
	fdtab_fdinfo(proc->pid, fd, &fi);
	if ((e = fdtab_add(proc, capacity)) == NULL)
		return -1;
	e->fd_num = fd;
	fdtab_format_fd(fd, fdtab_link_mode(path), e->fd, sizeof e->fd);
	if (sscanf(target, "socket:[%lu]", &inode) == 1) {
		fdtab_socket_columns(e, inode, net, path, &st);
		return 0;
	}
	if (sscanf(target, "pipe:[%lu]", &inode) == 1) {
		fdtab_file_columns(e, &st, 0);
		snprintf(e->name, sizeof e->name, "pipe");
	} else if (strncmp(target, "anon_inode:", 11) == 0) {
		fdtab_file_columns(e, &st, 0);
		snprintf(e->type, sizeof e->type, "a_inode");
		snprintf(e->size_off, sizeof e->size_off, "0");
		fdtab_anon_name(target + 11, &fi, e->name, sizeof e->name);
	} else {
		fdtab_file_columns(e, &st, fi.offset);
		snprintf(e->name, sizeof e->name, "%s", target);
	}
	fdtab_mark_lock(e, net);
	return 0;
}

/* The numbers of every open descriptor of pid, sorted. Returns a malloc'd array, or NULL. */
static int *
fdtab_list_fds(long pid, size_t *count)
{
	char path[64];
	size_t capacity = 0;
	struct dirent *d;
	int *fds = NULL, *more;
	DIR *dir;

	*count = 0;
	snprintf(path, sizeof path, "/proc/%ld/fd", pid);
	if ((dir = opendir(path)) == NULL)
		return NULL;
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		if ((more = mem_grow(fds, *count, &capacity, sizeof *fds)) == NULL)
			break;
		fds = more;
		fds[(*count)++] = atoi(d->d_name);
	}
	closedir(dir);
	if (fds == NULL)
		fds = malloc(sizeof *fds);	/* an empty table is not an error */
	if (fds != NULL && *count > 0)
		qsort(fds, *count, sizeof *fds, fdtab_int_cmp);
	return fds;
}

/* COMMAND: the name the kernel keeps in /proc/PID/comm (15 characters at most). */
static void
fdtab_command(long pid, char *command, size_t size)
{
	char path[64];
	FILE *fp;

	command[0] = '\0';
	snprintf(path, sizeof path, "/proc/%ld/comm", pid);
	if ((fp = fopen(path, "r")) != NULL) {
		if (fgets(command, (int)size, fp) != NULL)
			command[strcspn(command, "\n")] = '\0';
		fclose(fp);
	}
}

/*
 * USER: the login name of the owner of /proc/PID, or its uid in digits.
 * The last answer is kept: most processes on a machine share a few users.
 * Returns -1 if there is no such process.
 */
static int
fdtab_user(long pid, char *user, size_t size)
{
	static uid_t last_uid = (uid_t)-1;
	static char last_name[32];
	struct passwd *pw;
	char path[64];
	struct stat st;

	snprintf(path, sizeof path, "/proc/%ld", pid);
	if (stat(path, &st) == -1)
		return -1;
	if (st.st_uid != last_uid) {
		pw = getpwuid(st.st_uid);
		if (pw != NULL)
			snprintf(last_name, sizeof last_name, "%s", pw->pw_name);
		else
			snprintf(last_name, sizeof last_name, "%u", (unsigned)st.st_uid);
		last_uid = st.st_uid;
	}
	snprintf(user, size, "%s", last_name);
	return 0;
}

/* 1 if pid is a zombie: state Z in /proc/PID/stat, after the command in parentheses. */
static int
fdtab_is_zombie(long pid)
{
	char path[64], line[512], *close_paren;
	FILE *fp;
	int zombie = 0;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(line, sizeof line, fp) != NULL && (close_paren = strrchr(line, ')')) != NULL)
		zombie = close_paren[1] == ' ' && close_paren[2] == 'Z';
	fclose(fp);
	return zombie;
}

/* COMMAND and USER. Returns -1 if there is no such process. */
static int
fdtab_identify(struct fdtab_proc *proc)
{
	if (fdtab_user(proc->pid, proc->user, sizeof proc->user) == -1)
		return -1;
	fdtab_command(proc->pid, proc->command, sizeof proc->command);
	return 0;
}

/* The row lsof prints when it may not list a process's descriptors at all. */
static int
fdtab_add_nofd(struct fdtab_proc *proc, size_t *capacity, int err)
{
	struct fdtab_entry *e = fdtab_add(proc, capacity);
	char path[64];

	if (e == NULL)
		return -1;
	snprintf(e->fd, sizeof e->fd, "NOFD");
	snprintf(path, sizeof path, "/proc/%ld/fd", proc->pid);
	fdtab_denied_name(proc, e, path, "opendir", err);
	return 0;
}

int
fdtab_read(long pid, struct fdtab_proc *proc)
{
	struct fdtab_net net;
	size_t capacity = 0, nfds = 0, i;
	int *fds = NULL, err;

	memset(proc, 0, sizeof *proc);
	proc->pid = pid;
	if (pid <= 0 || fdtab_identify(proc) == -1 || (proc->zombie = fdtab_is_zombie(pid))) {
		errno = ESRCH;
		return -1;
	}
	fds = fdtab_list_fds(pid, &nfds);
	err = errno;
	if (fds == NULL && err != EACCES && err != EPERM)
		return -1;
	if (fdtab_net_load(&net, 1) == -1) {
		free(fds);
		return -1;
	}
	fdtab_load_locks(&net, pid);
	if (fdtab_add_link(proc, &capacity, "cwd", "cwd", &net) == -1 ||
	    fdtab_add_link(proc, &capacity, "rtd", "root", &net) == -1 ||
	    fdtab_add_link(proc, &capacity, "txt", "exe", &net) == -1 ||
	    fdtab_add_maps(proc, &capacity, &net) == -1 ||
	    (fds == NULL && fdtab_add_nofd(proc, &capacity, err) == -1))
		goto fail;
	for (i = 0; i < nfds; i++)
		if (fdtab_add_fd(proc, &capacity, fds[i], &net) == -1)
			goto fail;
	free(fds);
	fdtab_net_free(&net);
	return 0;
fail:
	err = errno;
	free(fds);
	fdtab_net_free(&net);
	fdtab_proc_free(proc);
	errno = err;
	return -1;
}

/* Append pid's TCP and UDP sockets to the list. Returns -1 with errno if pid can't be read. */
static int
fdtab_proc_sockets(long pid, const struct fdtab_net *net, struct fdtab_socket **list,
    size_t *count, size_t *capacity)
{
	char path[64], target[64], command[FDTAB_COMMAND_MAX] = "", user[32] = "";
	const struct fdtab_socket *s;
	struct fdtab_socket *more;
	unsigned long inode;
	struct dirent *d;
	ssize_t n;
	DIR *dir;

	snprintf(path, sizeof path, "/proc/%ld/fd", pid);
	if ((dir = opendir(path)) == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;	/* "." and ".." */
		/* Relative to the open fd/ directory: the kernel need not walk the path again. */
		n = readlinkat(dirfd(dir), d->d_name, target, sizeof target - 1);
		if (n == -1 && (errno == EACCES || errno == EPERM)) {
			closedir(dir);	/* the whole process is closed to us */
			errno = EACCES;
			return -1;
		}
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (sscanf(target, "socket:[%lu]", &inode) != 1 ||
		    (s = fdtab_find_inet(net, inode)) == NULL)
			continue;
		if ((more = mem_grow(*list, *count, capacity, sizeof *more)) == NULL)
			break;
		*list = more;
		if (command[0] == '\0') {
			fdtab_command(pid, command, sizeof command);
			fdtab_user(pid, user, sizeof user);
		}
		more[*count] = *s;
		more[*count].pid = pid;
		snprintf(more[*count].command, sizeof more[*count].command, "%s", command);
		snprintf(more[*count].user, sizeof more[*count].user, "%s", user);
		snprintf(more[*count].device, sizeof more[*count].device, "%lu", inode);
		/* A socket is always open for reading and writing: "u". */
		fdtab_format_fd(atoi(d->d_name), 'u', more[*count].fd, sizeof more[*count].fd);
		(*count)++;
	}
	closedir(dir);
	return 0;
}

int
fdtab_unheld(struct fdtab_unheld *unheld)
{
	static const char *const files[] = { "/proc/net/tcp", "/proc/net/tcp6" };
	struct fdtab_socket s;
	unsigned long inode;
	char *line = NULL;
	size_t line_size = 0, i;
	ssize_t len;
	FILE *fp;

	memset(unheld, 0, sizeof *unheld);
	for (i = 0; i < 2; i++) {
		if ((fp = fopen(files[i], "r")) == NULL) {
			if (errno == ENOENT)
				continue;	/* no IPv6 in this kernel */
			free(line);
			return -1;
		}
		while ((len = getline(&line, &line_size, fp)) > 0) {
			if (fdtab_parse_inet_line(line, (size_t)len, i == 0 ? AF_INET : AF_INET6,
			    IPPROTO_TCP, &s, &inode) == -1 || inode != 0)
				continue;	/* the header, or a socket some descriptor holds */
			if (strcmp(s.state, "TIME_WAIT") == 0)
				unheld->time_wait++;
			else if (strcmp(s.state, "FIN_WAIT2") == 0)
				unheld->fin_wait2++;
			else
				unheld->other++;
		}
		fclose(fp);
	}
	free(line);
	return 0;
}

int
fdtab_sockets(struct fdtab_socket **sockets, size_t *count, int *hidden)
{
	struct fdtab_net net;
	size_t capacity = 0;
	struct dirent *d;
	DIR *proc_dir;
	long pid;

	*sockets = NULL;
	*count = 0;
	*hidden = 0;
	if (fdtab_net_load(&net, 0) == -1)
		return -1;
	if ((proc_dir = opendir("/proc")) == NULL) {
		fdtab_net_free(&net);
		return -1;
	}
	while ((d = readdir(proc_dir)) != NULL) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		pid = strtol(d->d_name, NULL, 10);
		if (fdtab_proc_sockets(pid, &net, sockets, count, &capacity) == -1 &&
		    (errno == EACCES || errno == EPERM))
			(*hidden)++;
	}
	closedir(proc_dir);
	fdtab_net_free(&net);
	if (*sockets == NULL)
		*sockets = malloc(sizeof **sockets);	/* none is not an error */
	return *sockets == NULL ? -1 : 0;
}
