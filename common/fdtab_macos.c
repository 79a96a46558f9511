/*
 * fdtab_macos - descriptor tables read from libproc, the way lsof reads them
 * on macOS.
 *
 * macOS has no /proc. The kernel answers questions about a process through
 * proc_pidinfo(): PROC_PIDTBSDINFO for its owner, PROC_PIDVNODEPATHINFO for
 * its current and root directories, PROC_PIDLISTFDS for its open descriptors
 * as {fd, type} pairs. proc_pidfdinfo() then describes one descriptor: a
 * vnode (file, directory, device), a socket, a pipe or a kqueue. A socket's
 * addresses come straight from the kernel's protocol control block, so its
 * ports are still in network byte order and need ntohs() before they mean
 * anything to a person. Without root, the kernel answers EPERM for another
 * user's processes: you see only your own, and lsof has the same limit.
 */
#include "fdtab.h"
#include "addr.h"
#include "mem.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libproc.h>
#include <limits.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fcntl.h>
#include <sys/proc_info.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>

/* TCP states by tcpsi_state (TSI_S_*), spelled the BSD way, as lsof does on macOS. */
static const char *const fdtab_macos_states[] = {
	"CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "CLOSE_WAIT",
	"FIN_WAIT_1", "CLOSING", "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT",
};

/*
 * Why a libproc call about pid failed, as fdtab.h promises it: ESRCH (gone),
 * ENOMEM, or EACCES. libproc sometimes returns 0 without setting errno, so
 * kill(pid, 0) settles whether the process is still there.
 */
static int
fdtab_macos_why(int pid, int err)
{
	if (err == ESRCH || err == ENOMEM)
		return err;
	if (pid > 0 && kill((pid_t)pid, 0) == -1 && errno == ESRCH)
		return ESRCH;
	return EACCES;
}

/* Append a blank row to proc (fd_num -1). Returns it, or NULL with ENOMEM. */
static struct fdtab_entry *
fdtab_macos_add(struct fdtab_proc *proc, size_t *capacity)
{
	struct fdtab_entry *more, *e;

	more = mem_grow(proc->entries, proc->count, capacity, sizeof *more);
	if (more == NULL)
		return NULL;
	proc->entries = more;
	e = &proc->entries[proc->count++];
	memset(e, 0, sizeof *e);
	e->fd_num = -1;
	return e;
}

/*
 * The FD column from fi_openflags. The kernel keeps FREAD/FWRITE there, not
 * O_RDONLY-style values; with neither bit lsof prints a space.
 */
static void
fdtab_macos_fd_text(int fd, uint32_t openflags, char *buf, size_t size)
{
	char mode = ' ';

	if ((openflags & (FREAD | FWRITE)) == (FREAD | FWRITE))
		mode = 'u';
	else if (openflags & FREAD)
		mode = 'r';
	else if (openflags & FWRITE)
		mode = 'w';
	if (fdtab_format_fd(fd, mode, buf, size) == -1)
		snprintf(buf, size, "?");
}

/* A kernel address as lsof prints it (its "0x%08lx"). macOS scrambles these. */
static void
fdtab_macos_kaddr(char *buf, size_t size, uint64_t addr)
{
	snprintf(buf, size, "0x%08llx", (unsigned long long)addr);
}

/* An offset as lsof prints it: "0t123", or hex once it passes 8 digits. */
static void
fdtab_macos_offset(char *buf, size_t size, long long offset)
{
	int n = snprintf(buf, size, "0t%lld", offset);

	if (n > 10)
		snprintf(buf, size, "0x%llx", (unsigned long long)offset);
}

/*
 * Fill TYPE, DEVICE, SIZE/OFF, NODE and NAME for a vnode. Devices show the
 * device they are (st_rdev), not the file system they live on; FIFOs show no
 * device; terminals and other character devices, and FIFOs, show the
 * offset; everything else shows its size.
 */
static void
fdtab_macos_vnode_columns(struct fdtab_entry *e, const struct vinfo_stat *vst,
    long long offset, const char *path)
{
	unsigned fmt = vst->vst_mode & S_IFMT;
	uint32_t dev = vst->vst_dev;
	int show_offset = 0;

	if (S_ISREG(fmt))
		snprintf(e->type, sizeof e->type, "REG");
	else if (S_ISDIR(fmt))
		snprintf(e->type, sizeof e->type, "DIR");
	else if (S_ISLNK(fmt))
		snprintf(e->type, sizeof e->type, "LNK");
	else if (S_ISCHR(fmt) || S_ISBLK(fmt)) {
		snprintf(e->type, sizeof e->type, "%s", S_ISCHR(fmt) ? "CHR" : "BLK");
		dev = vst->vst_rdev;
		show_offset = S_ISCHR(fmt);
	} else if (S_ISFIFO(fmt)) {
		snprintf(e->type, sizeof e->type, "FIFO");
		show_offset = 1;
	} else	/* lsof prints an unknown file type as octal digits */
		snprintf(e->type, sizeof e->type, "%04o", (fmt >> 12) & 0xfff);
	if (!S_ISFIFO(fmt))
		snprintf(e->device, sizeof e->device, "%u,%u",
		    (unsigned)major(dev), (unsigned)minor(dev));
	if (show_offset)
		fdtab_macos_offset(e->size_off, sizeof e->size_off, offset);
	else
		snprintf(e->size_off, sizeof e->size_off, "%lld", (long long)vst->vst_size);
	snprintf(e->node, sizeof e->node, "%llu", (unsigned long long)vst->vst_ino);
	snprintf(e->name, sizeof e->name, "%s", path);
}

/*
 * proc_pidfdinfo() into buf, which must come back whole. Returns 0, or -1
 * with errno (EBADF: the descriptor was closed since we listed it).
 */
static int
fdtab_macos_fdinfo(int pid, int fd, int flavor, void *buf, int size)
{
	int n;

	errno = 0;
	n = proc_pidfdinfo(pid, fd, flavor, buf, size);
	if (n == size)
		return 0;
	if (n > 0)
		errno = ENOTSUP;	/* a short struct: another macOS layout */
	else if (errno == 0)
		errno = fdtab_macos_why(pid, 0) == ESRCH ? ESRCH : EBADF;
	return -1;
}

/* NODE for an internet socket: the protocol name, as lsof's printiproto. */
static void
fdtab_macos_proto_name(int protocol, char *buf, size_t size)
{
	switch (protocol) {
	case IPPROTO_TCP: snprintf(buf, size, "TCP"); break;
	case IPPROTO_UDP: snprintf(buf, size, "UDP"); break;
	case IPPROTO_ICMP: snprintf(buf, size, "ICMP"); break;
	case IPPROTO_ICMPV6: snprintf(buf, size, "ICMPV6"); break;
	default: snprintf(buf, size, "%d?", protocol);
	}
}

/* "local[->remote][ (STATE)]", the NAME lsof -nP gives an internet socket. */
static void
fdtab_macos_inet_name(const struct fdtab_socket *sock, char *buf, size_t size)
{
	char pair[ADDR_PAIR_STRLEN];
	int rc;

	if (sock->remote.ss_family != 0)
		rc = addr_format_pair((const struct sockaddr *)&sock->local,
		    (const struct sockaddr *)&sock->remote, pair, sizeof pair);
	else
		rc = addr_format((const struct sockaddr *)&sock->local, pair, sizeof pair);
	if (rc == -1)
		buf[0] = '\0';
	else if (sock->state[0] != '\0')
		snprintf(buf, size, "%s (%s)", pair, sock->state);
	else
		snprintf(buf, size, "%s", pair);
}

/* One endpoint of an internet socket as a sockaddr; AF_INET when the kernel uses IPv4. */
static void
fdtab_macos_endpoint(const struct in_sockinfo *ini, int foreign, int v4,
    struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)(void *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)(void *)ss;
	/* The kernel's int holds the port exactly as it goes on the wire. */
	unsigned port = ntohs((uint16_t)(foreign ? ini->insi_fport : ini->insi_lport));

	memset(ss, 0, sizeof *ss);
	if (v4) {
		sin->sin_len = sizeof *sin;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		sin->sin_addr = foreign ? ini->insi_faddr.ina_46.i46a_addr4 :
		    ini->insi_laddr.ina_46.i46a_addr4;
	} else {
		sin6->sin6_len = sizeof *sin6;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		sin6->sin6_addr = foreign ? ini->insi_faddr.ina_6 : ini->insi_laddr.ina_6;
	}
}

/*
 * An internet socket's protocol, addresses and state into sock. Returns 0,
 * or -1 if the kernel gave no addresses (not a TCP or IN socket).
 */
static int
fdtab_macos_inet(const struct socket_info *psi, struct fdtab_socket *sock)
{
	const struct in_sockinfo *ini;
	int v4;

	memset(sock, 0, sizeof *sock);
	snprintf(sock->type, sizeof sock->type, "%s",
	    psi->soi_family == AF_INET ? "IPv4" : "IPv6");
	if (psi->soi_kind == SOCKINFO_TCP) {
		ini = &psi->soi_proto.pri_tcp.tcpsi_ini;
		sock->proto = IPPROTO_TCP;
		if (psi->soi_proto.pri_tcp.tcpsi_state >= 0 &&
		    psi->soi_proto.pri_tcp.tcpsi_state <= TSI_S_TIME_WAIT)
			snprintf(sock->state, sizeof sock->state, "%s",
			    fdtab_macos_states[psi->soi_proto.pri_tcp.tcpsi_state]);
		else
			snprintf(sock->state, sizeof sock->state, "UNKNOWN");
	} else if (psi->soi_kind == SOCKINFO_IN) {
		ini = &psi->soi_proto.pri_in;
		if (psi->soi_protocol == IPPROTO_UDP)
			sock->proto = IPPROTO_UDP;
	} else
		return -1;
	/*
	 * An IPv6 socket that also takes IPv4 (not IPV6_V6ONLY) is flagged
	 * INI_IPV4 too; lsof then prints its addresses as IPv4 but keeps the
	 * TYPE IPv6.
	 */
	v4 = psi->soi_family == AF_INET || (ini->insi_vflag & INI_IPV4);
	fdtab_macos_endpoint(ini, 0, v4, &sock->local);
	fdtab_macos_endpoint(ini, 1, v4, &sock->remote);
	if (addr_port((const struct sockaddr *)&sock->remote) == 0 &&
	    addr_is_wildcard((const struct sockaddr *)&sock->remote))
		memset(&sock->remote, 0, sizeof sock->remote);
	return 0;
}

/* An AF_INET/AF_INET6 socket's columns. */
static void
fdtab_macos_inet_entry(const struct socket_info *psi, struct fdtab_entry *e)
{
	struct fdtab_socket sock;
	uint64_t kaddr = psi->soi_pcb;

	/* lsof names a TCP socket by its TCP control block when it has one. */
	if (psi->soi_kind == SOCKINFO_TCP && psi->soi_proto.pri_tcp.tcpsi_tp != 0)
		kaddr = psi->soi_proto.pri_tcp.tcpsi_tp;
	fdtab_macos_kaddr(e->device, sizeof e->device, kaddr);
	fdtab_macos_proto_name(psi->soi_protocol, e->node, sizeof e->node);
	snprintf(e->type, sizeof e->type, "%s", psi->soi_family == AF_INET ? "IPv4" : "IPv6");
	if (fdtab_macos_inet(psi, &sock) == -1)
		return;
	e->proto = sock.proto;
	e->local = sock.local;
	e->remote = sock.remote;
	snprintf(e->state, sizeof e->state, "%s", sock.state);
	fdtab_macos_inet_name(&sock, e->name, sizeof e->name);
}

/* A UNIX socket: its bound path, else the control block of its peer. */
static void
fdtab_macos_unix_entry(const struct socket_info *psi, struct fdtab_entry *e)
{
	const struct un_sockinfo *un = &psi->soi_proto.pri_un;
	const struct sockaddr_un *sa_un = &un->unsi_addr.ua_sun;

	snprintf(e->type, sizeof e->type, "unix");
	fdtab_macos_kaddr(e->device, sizeof e->device, psi->soi_pcb);
	if (psi->soi_kind != SOCKINFO_UN)
		return;
	if (sa_un->sun_family == AF_UNIX && sa_un->sun_path[0] != '\0')
		snprintf(e->name, sizeof e->name, "%.*s", (int)sizeof sa_un->sun_path,
		    sa_un->sun_path);
	else if (un->unsi_conn_pcb != 0)
		snprintf(e->name, sizeof e->name, "->0x%08llx",
		    (unsigned long long)un->unsi_conn_pcb);
	else
		snprintf(e->name, sizeof e->name, "->(none)");
}

/* Descriptor fd is a socket. Returns 0, or -1 with errno. */
static int
fdtab_macos_socket(int pid, int fd, struct fdtab_entry *e)
{
	struct socket_fdinfo si;

	if (fdtab_macos_fdinfo(pid, fd, PROC_PIDFDSOCKETINFO, &si, sizeof si) == -1)
		return -1;
	fdtab_macos_fd_text(fd, si.pfi.fi_openflags, e->fd, sizeof e->fd);
	fdtab_macos_offset(e->size_off, sizeof e->size_off, (long long)si.pfi.fi_offset);
	switch (si.psi.soi_family) {
	case AF_INET:
	case AF_INET6:
		fdtab_macos_inet_entry(&si.psi, e);
		break;
	case AF_UNIX:
		fdtab_macos_unix_entry(&si.psi, e);
		break;
	default:	/* routing, kernel control and event sockets */
		snprintf(e->type, sizeof e->type, "%s", si.psi.soi_family == AF_SYSTEM ?
		    "systm" : si.psi.soi_family == AF_ROUTE ? "rte" : "sock");
		fdtab_macos_kaddr(e->device, sizeof e->device, si.psi.soi_pcb);
	}
	return 0;
}

/* Descriptor fd is a file, directory or device. Returns 0, or -1 with errno. */
static int
fdtab_macos_vnode(int pid, int fd, struct fdtab_entry *e)
{
	struct vnode_fdinfowithpath vi;

	if (fdtab_macos_fdinfo(pid, fd, PROC_PIDFDVNODEPATHINFO, &vi, sizeof vi) == -1)
		return -1;
	fdtab_macos_fd_text(fd, vi.pfi.fi_openflags, e->fd, sizeof e->fd);
	vi.pvip.vip_path[sizeof vi.pvip.vip_path - 1] = '\0';
	fdtab_macos_vnode_columns(e, &vi.pvip.vip_vi.vi_stat, (long long)vi.pfi.fi_offset,
	    vi.pvip.vip_path);
	return 0;
}

/*
 * Descriptor fd is one end of a pipe. A macOS pipe has no file name: lsof
 * names it by the kernel address of the other end, so the two ends of one
 * pipe point at each other. SIZE/OFF is the pipe's buffer size.
 */
static int
fdtab_macos_pipe(int pid, int fd, struct fdtab_entry *e)
{
	struct pipe_fdinfo pi;
	const struct pipe_info *p = &pi.pipeinfo;
	size_t used;

	if (fdtab_macos_fdinfo(pid, fd, PROC_PIDFDPIPEINFO, &pi, sizeof pi) == -1)
		return -1;
	fdtab_macos_fd_text(fd, pi.pfi.fi_openflags, e->fd, sizeof e->fd);
	snprintf(e->type, sizeof e->type, "PIPE");
	fdtab_macos_kaddr(e->device, sizeof e->device, p->pipe_handle);
	snprintf(e->size_off, sizeof e->size_off, "%d", (int)p->pipe_stat.vst_blksize);
	if (p->pipe_peerhandle != 0)
		snprintf(e->name, sizeof e->name, "->0x%08llx",
		    (unsigned long long)p->pipe_peerhandle);
	used = strlen(e->name);
	if (p->pipe_stat.vst_size != 0)	/* bytes written but not yet read */
		snprintf(e->name + used, sizeof e->name - used, "%scnt=%lld",
		    used ? ", " : "", (long long)p->pipe_stat.vst_size);
	return 0;
}

/* Descriptor fd is a kqueue: lsof shows its pending event count and state bits. */
static int
fdtab_macos_kqueue(int pid, int fd, struct fdtab_entry *e)
{
	struct kqueue_fdinfo kq;

	if (fdtab_macos_fdinfo(pid, fd, PROC_PIDFDKQUEUEINFO, &kq, sizeof kq) == -1)
		return -1;
	fdtab_macos_fd_text(fd, kq.pfi.fi_openflags, e->fd, sizeof e->fd);
	snprintf(e->type, sizeof e->type, "KQUEUE");
	fdtab_macos_offset(e->size_off, sizeof e->size_off, (long long)kq.pfi.fi_offset);
	snprintf(e->name, sizeof e->name, "count=%lld, state=%#x",
	    (long long)kq.kqueueinfo.kq_stat.vst_size, (unsigned)kq.kqueueinfo.kq_state);
	return 0;
}

/* Kinds we do not look inside: the TYPE lsof gives them, with an unknown mode. */
static void
fdtab_macos_other(const struct proc_fdinfo *fdi, struct fdtab_entry *e)
{
	const char *type;

	switch (fdi->proc_fdtype) {
	case PROX_FDTYPE_FSEVENTS: type = "FSEVENTS"; break;
	case PROX_FDTYPE_NETPOLICY: type = "NPOLICY"; break;
	case PROX_FDTYPE_PSHM: type = "PSXSHM"; break;
	case PROX_FDTYPE_PSEM: type = "PSXSEM"; break;
	default:
		type = "unknown";
		snprintf(e->name, sizeof e->name, "unknown file type: %u", fdi->proc_fdtype);
	}
	snprintf(e->type, sizeof e->type, "%s", type);
	fdtab_macos_fd_text(fdi->proc_fd, 0, e->fd, sizeof e->fd);
}

/*
 * Append the row for one descriptor. Returns 0 (also when the descriptor
 * was closed while we looked: no row), or -1 with errno ESRCH or ENOMEM.
 */
static int
fdtab_macos_fd_row(int pid, const struct proc_fdinfo *fdi, struct fdtab_proc *proc,
    size_t *capacity)
{
	struct fdtab_entry *e = fdtab_macos_add(proc, capacity);
	int rc, err;

	if (e == NULL)
		return -1;
	e->fd_num = fdi->proc_fd;
	switch (fdi->proc_fdtype) {
	case PROX_FDTYPE_VNODE: rc = fdtab_macos_vnode(pid, fdi->proc_fd, e); break;
	case PROX_FDTYPE_SOCKET: rc = fdtab_macos_socket(pid, fdi->proc_fd, e); break;
	case PROX_FDTYPE_PIPE: rc = fdtab_macos_pipe(pid, fdi->proc_fd, e); break;
	case PROX_FDTYPE_KQUEUE: rc = fdtab_macos_kqueue(pid, fdi->proc_fd, e); break;
	default: fdtab_macos_other(fdi, e); rc = 0;
	}
	if (rc == 0)
		return 0;
	err = errno;
	if (err == ESRCH)
		return -1;
	if (err == EBADF) {
		proc->count--;
		return 0;
	}
	/* Like lsof, keep the row and say what went wrong in NAME. */
	fdtab_macos_fd_text(fdi->proc_fd, 0, e->fd, sizeof e->fd);
	snprintf(e->name, sizeof e->name, "fd info error: %s", strerror(err));
	return 0;
}

/* Order descriptors by number, as lsof lists them. */
static int
fdtab_macos_by_fd(const void *a, const void *b)
{
	int x = ((const struct proc_fdinfo *)a)->proc_fd;
	int y = ((const struct proc_fdinfo *)b)->proc_fd;

	return (x > y) - (x < y);
}

/*
 * The {fd, type} list of pid, sorted by fd, into a malloc'd *fds. The kernel
 * fills only what fits, so grow the buffer until some room is left over.
 * Returns 0, or -1 with errno ESRCH, EACCES or ENOMEM.
 */
static int
fdtab_macos_listfds(int pid, struct proc_fdinfo **fds, size_t *nfds)
{
	struct proc_fdinfo *buf = NULL, *more;
	size_t capacity;
	int n, err;

	*fds = NULL;
	*nfds = 0;
	errno = 0;
	n = proc_pidinfo(pid, PROC_PIDLISTFDS, 0, NULL, 0);	/* a size estimate */
	if (n <= 0 && errno != 0) {
		errno = fdtab_macos_why(pid, errno);
		return -1;
	}
	capacity = (size_t)(n > 0 ? n : 0) / sizeof *buf + 16;
	for (;;) {
		more = capacity <= INT_MAX / sizeof *buf ?
		    realloc(buf, capacity * sizeof *buf) : NULL;
		if (more == NULL) {
			free(buf);
			errno = ENOMEM;
			return -1;
		}
		buf = more;
		errno = 0;
		n = proc_pidinfo(pid, PROC_PIDLISTFDS, 0, buf, (int)(capacity * sizeof *buf));
		if (n <= 0 && errno != 0) {
			err = fdtab_macos_why(pid, errno);
			free(buf);
			errno = err;
			return -1;
		}
		if ((size_t)(n > 0 ? n : 0) / sizeof *buf < capacity)
			break;
		capacity *= 2;
	}
	*nfds = (size_t)(n > 0 ? n : 0) / sizeof *buf;
	qsort(buf, *nfds, sizeof *buf, fdtab_macos_by_fd);
	*fds = buf;
	return 0;
}

/*
 * The cwd row, and an rtd row only if the process was chroot()ed. Returns 0,
 * or -1 with errno ESRCH or ENOMEM.
 */
static int
fdtab_macos_dirs(int pid, struct fdtab_proc *proc, size_t *capacity)
{
	struct proc_vnodepathinfo vpi;
	struct vnode_info_path *dirs[2] = { &vpi.pvi_cdir, &vpi.pvi_rdir };
	const char *names[2] = { "cwd", "rtd" };
	struct fdtab_entry *e;
	int i, n, err;

	errno = 0;
	n = proc_pidinfo(pid, PROC_PIDVNODEPATHINFO, 0, &vpi, sizeof vpi);
	if (n != (int)sizeof vpi) {
		err = errno ? errno : EACCES;
		if (fdtab_macos_why(pid, err) == ESRCH) {
			errno = ESRCH;
			return -1;
		}
		if ((e = fdtab_macos_add(proc, capacity)) == NULL)
			return -1;
		snprintf(e->fd, sizeof e->fd, "cwd");
		snprintf(e->name, sizeof e->name, "cwd|rtd info error: %s", strerror(err));
		return 0;
	}
	for (i = 0; i < 2; i++) {
		dirs[i]->vip_path[sizeof dirs[i]->vip_path - 1] = '\0';
		if (dirs[i]->vip_path[0] == '\0')
			continue;
		if ((e = fdtab_macos_add(proc, capacity)) == NULL)
			return -1;
		snprintf(e->fd, sizeof e->fd, "%s", names[i]);
		fdtab_macos_vnode_columns(e, &dirs[i]->vip_vi.vi_stat, 0, dirs[i]->vip_path);
	}
	return 0;
}

/*
 * The txt row for the executable. lsof on macOS also lists every mapped
 * library (and the dyld shared cache) as txt; we list the executable alone,
 * which is what a student looks for. Returns 0, or -1 with errno ENOMEM.
 */
static int
fdtab_macos_text(int pid, struct fdtab_proc *proc, size_t *capacity)
{
	char path[PROC_PIDPATHINFO_MAXSIZE];
	struct vinfo_stat vst;
	struct stat st;
	struct fdtab_entry *e;

	if (proc_pidpath(pid, path, sizeof path) <= 0)
		return 0;	/* no path to show; lsof would show an error row */
	if ((e = fdtab_macos_add(proc, capacity)) == NULL)
		return -1;
	snprintf(e->fd, sizeof e->fd, "txt");
	if (stat(path, &st) == -1) {
		snprintf(e->name, sizeof e->name, "%s", path);
		return 0;
	}
	memset(&vst, 0, sizeof vst);
	vst.vst_mode = (uint16_t)st.st_mode;
	vst.vst_dev = (uint32_t)st.st_dev;
	vst.vst_rdev = (uint32_t)st.st_rdev;
	vst.vst_size = st.st_size;
	vst.vst_ino = (uint64_t)st.st_ino;
	fdtab_macos_vnode_columns(e, &vst, 0, path);
	return 0;
}

/* COMMAND: proc_name() gives the whole name; the BSD info is the fallback. */
static void
fdtab_macos_command(int pid, const struct proc_bsdinfo *bsd, char *buf, size_t size)
{
	if (proc_name(pid, buf, (uint32_t)size) > 0)
		return;
	if (bsd != NULL && bsd->pbi_name[0] != '\0')
		snprintf(buf, size, "%.*s", (int)sizeof bsd->pbi_name, bsd->pbi_name);
	else if (bsd != NULL)
		snprintf(buf, size, "%.*s", (int)sizeof bsd->pbi_comm, bsd->pbi_comm);
	else
		buf[0] = '\0';
}

int
fdtab_read(long pid, struct fdtab_proc *proc)
{
	struct proc_bsdinfo bsd;
	struct proc_fdinfo *fds = NULL;
	struct passwd *pw;
	size_t nfds = 0, capacity = 0, i;
	int n, err;

	memset(proc, 0, sizeof *proc);
	if (pid < 0 || pid > INT_MAX) {
		errno = ESRCH;
		return -1;
	}
	errno = 0;
	n = proc_pidinfo((int)pid, PROC_PIDTBSDINFO, 0, &bsd, sizeof bsd);
	if (n != (int)sizeof bsd) {
		errno = fdtab_macos_why((int)pid, errno);
		return -1;
	}
	proc->pid = pid;
	fdtab_macos_command((int)pid, &bsd, proc->command, sizeof proc->command);
	pw = getpwuid(bsd.pbi_uid);
	if (pw != NULL)
		snprintf(proc->user, sizeof proc->user, "%s", pw->pw_name);
	else
		snprintf(proc->user, sizeof proc->user, "%u", (unsigned)bsd.pbi_uid);
	if (fdtab_macos_listfds((int)pid, &fds, &nfds) == -1)
		return -1;
	/* lsof's macOS order: cwd, rtd, txt, then the descriptors. */
	if (fdtab_macos_dirs((int)pid, proc, &capacity) == -1 ||
	    fdtab_macos_text((int)pid, proc, &capacity) == -1)
		goto fail;
	for (i = 0; i < nfds; i++)
		if (fdtab_macos_fd_row((int)pid, &fds[i], proc, &capacity) == -1)
			goto fail;
	free(fds);
	return 0;
fail:
	err = errno;
	free(fds);
	fdtab_proc_free(proc);
	errno = err;
	return -1;
}

/*
 * Every pid on the system into a malloc'd *pids. proc_listallpids() counts
 * pids, not bytes, and fills only what fits: grow until there is room left.
 * Returns 0, or -1 with errno.
 */
static int
fdtab_macos_pids(int **pids, size_t *npids)
{
	int *buf = NULL, *more;
	size_t capacity;
	int n;

	n = proc_listallpids(NULL, 0);
	capacity = (size_t)(n > 0 ? n : 0) + 64;
	for (;;) {
		more = capacity <= INT_MAX / sizeof *buf ?
		    realloc(buf, capacity * sizeof *buf) : NULL;
		if (more == NULL) {
			free(buf);
			errno = ENOMEM;
			return -1;
		}
		buf = more;
		n = proc_listallpids(buf, (int)(capacity * sizeof *buf));
		if (n < 0) {
			free(buf);
			return -1;
		}
		if ((size_t)n < capacity)
			break;
		capacity *= 2;
	}
	*pids = buf;
	*npids = (size_t)n;
	return 0;
}

/*
 * Append pid's TCP and UDP sockets to *list. Returns 0, or -1 with errno
 * EACCES (not ours to read), ESRCH (gone) or ENOMEM.
 */
static int
fdtab_macos_proc_sockets(int pid, struct fdtab_socket **list, size_t *count,
    size_t *capacity)
{
	struct proc_fdinfo *fds;
	struct socket_fdinfo si;
	struct fdtab_socket sock, *more;
	char command[FDTAB_COMMAND_MAX];
	size_t nfds, i;

	if (fdtab_macos_listfds(pid, &fds, &nfds) == -1)
		return -1;
	fdtab_macos_command(pid, NULL, command, sizeof command);
	for (i = 0; i < nfds; i++) {
		if (fds[i].proc_fdtype != PROX_FDTYPE_SOCKET ||
		    fdtab_macos_fdinfo(pid, fds[i].proc_fd, PROC_PIDFDSOCKETINFO,
		    &si, sizeof si) == -1)
			continue;	/* not a socket, or closed since we listed it */
		if ((si.psi.soi_family != AF_INET && si.psi.soi_family != AF_INET6) ||
		    fdtab_macos_inet(&si.psi, &sock) == -1 || sock.proto == 0)
			continue;
		sock.pid = pid;
		snprintf(sock.command, sizeof sock.command, "%s", command);
		fdtab_macos_fd_text(fds[i].proc_fd, si.pfi.fi_openflags, sock.fd,
		    sizeof sock.fd);
		more = mem_grow(*list, *count, capacity, sizeof *more);
		if (more == NULL) {
			free(fds);
			return -1;
		}
		*list = more;
		(*list)[(*count)++] = sock;
	}
	free(fds);
	return 0;
}

int
fdtab_sockets(struct fdtab_socket **sockets, size_t *count, int *hidden)
{
	struct fdtab_socket *list = NULL;
	size_t n = 0, capacity = 0, npids, i;
	int *pids, err;

	*sockets = NULL;
	*count = 0;
	*hidden = 0;
	if (fdtab_macos_pids(&pids, &npids) == -1)
		return -1;
	for (i = 0; i < npids; i++) {
		if (pids[i] <= 0)
			continue;	/* the kernel itself, as lsof skips it */
		if (fdtab_macos_proc_sockets(pids[i], &list, &n, &capacity) == 0)
			continue;
		if (errno == EACCES)
			(*hidden)++;
		else if (errno == ENOMEM)
			goto fail;
		/* ESRCH: it exited while we scanned; nothing to show */
	}
	free(pids);
	*sockets = list;
	*count = n;
	return 0;
fail:
	err = errno;
	free(pids);
	free(list);
	errno = err;
	return -1;
}
