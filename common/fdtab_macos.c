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

/*
 * Each rule below is what Apple's lsof (lsof-76, dialects/darwin/libproc:
 * dfile.c, dproc.c, dsock.c, dnetpolicy.c) does; the comments name the
 * function there that decides it.
 */

/* Darwin's dev_t: 8 bits of major, 24 of minor (sys/types.h). */
#define FDTAB_MACOS_MAJOR(d) (((uint32_t)(d) >> 24) & 0xff)
#define FDTAB_MACOS_MINOR(d) ((uint32_t)(d) & 0xffffff)
/* Private in xnu: the next region that has a file behind it (lsof's process_text). */
#ifndef PROC_PIDREGIONPATHINFO2
#define PROC_PIDREGIONPATHINFO2 22
#endif
#define FDTAB_MACOS_REGIONS_MAX 10000	/* process_text gives up after this many */

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
 * The mode letter from fi_openflags (enter_file_info). The kernel keeps
 * FREAD/FWRITE there, not O_RDONLY-style values; with neither bit, and for
 * kinds lsof never asks (pipes, FSEVENTS, NPOLICY), lsof prints a space.
 */
static char
fdtab_macos_mode(uint32_t openflags)
{
	switch (openflags & (FREAD | FWRITE)) {
	case FREAD | FWRITE: return 'u';
	case FREAD: return 'r';
	case FWRITE: return 'w';
	default: return ' ';
	}
}

static void
fdtab_macos_fd_text(int fd, char mode, char *buf, size_t size)
{
	if (fdtab_format_fd(fd, mode, buf, size) == -1)
		snprintf(buf, size, "?");
}

/* Copy the string in src[0..srcsize), which need not end in a NUL, into buf, cut to fit. */
static void
fdtab_macos_copy(char *buf, size_t size, const char *src, size_t srcsize)
{
	size_t n = strnlen(src, srcsize);

	if (n >= size)
		n = size - 1;
	memcpy(buf, src, n);
	buf[n] = '\0';
}

/* A kernel address as lsof prints it (print_kptr, "0x%08lx"). macOS scrambles these. */
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
 * TYPE, DEVICE, SIZE/OFF, NODE and NAME for a vnode (enter_vnode_info).
 * Devices show the device they are (st_rdev), not the file system they live
 * on; FIFOs show no device; character devices and FIFOs show the offset;
 * everything else its size. A symbolic link is LINK.
 */
static void
fdtab_macos_vnode_columns(struct fdtab_entry *e, const struct vinfo_stat *vst,
    long long offset, const char *path)
{
	unsigned fmt = vst->vst_mode & S_IFMT;
	uint32_t dev = (uint32_t)vst->vst_dev;

	switch (fmt) {
	case S_IFREG: snprintf(e->type, sizeof e->type, "REG"); break;
	case S_IFDIR: snprintf(e->type, sizeof e->type, "DIR"); break;
	case S_IFLNK: snprintf(e->type, sizeof e->type, "LINK"); break;
	case S_IFCHR: snprintf(e->type, sizeof e->type, "CHR"); break;
	case S_IFBLK: snprintf(e->type, sizeof e->type, "BLK"); break;
	case S_IFIFO: snprintf(e->type, sizeof e->type, "FIFO"); break;
	default:	/* lsof prints an unknown file type as octal digits */
		snprintf(e->type, sizeof e->type, "%04o", (fmt >> 12) & 0xfff);
	}
	if (fmt == S_IFCHR || fmt == S_IFBLK)
		dev = (uint32_t)vst->vst_rdev;
	if (fmt != S_IFIFO)
		snprintf(e->device, sizeof e->device, "%u,%u", (unsigned)FDTAB_MACOS_MAJOR(dev),
		    (unsigned)FDTAB_MACOS_MINOR(dev));
	if (fmt == S_IFCHR || fmt == S_IFIFO)
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

/*
 * After a failed proc_pidfdinfo(): if the process is gone, -1 with errno
 * ESRCH; else the row keeps the error in NAME, as lsof's err2nm writes it
 * ("pipe: FD unavailable" when the descriptor was closed meanwhile), and 0.
 */
static int
fdtab_macos_failed(struct fdtab_entry *e, const char *what)
{
	int err = errno;

	if (err == ESRCH)
		return -1;
	snprintf(e->name, sizeof e->name, "%s: %s", what, err == EBADF ? "FD unavailable" :
	    strerror(err));
	return 0;
}

/* Descriptor fd is a file, directory or device (process_vnode). Returns 0, or -1 with errno. */
static int
fdtab_macos_vnode(int pid, int fd, struct fdtab_entry *e)
{
	struct vnode_fdinfowithpath vi;

	if (fdtab_macos_fdinfo(pid, fd, PROC_PIDFDVNODEPATHINFO, &vi, sizeof vi) == -1) {
		/* The FD keeps no mode letter and TYPE stays blank, as in lsof. */
		if (errno == ENOENT)
			snprintf(e->name, sizeof e->name, "(revoked)");
		else if (errno == EPERM)
			snprintf(e->name, sizeof e->name, "no more information");
		else
			return fdtab_macos_failed(e, "vnode");
		return 0;
	}
	fdtab_macos_fd_text(fd, fdtab_macos_mode(vi.pfi.fi_openflags), e->fd, sizeof e->fd);
	vi.pvip.vip_path[sizeof vi.pvip.vip_path - 1] = '\0';
	fdtab_macos_vnode_columns(e, &vi.pvip.vip_vi.vi_stat, (long long)vi.pfi.fi_offset,
	    vi.pvip.vip_path);
	return 0;
}

/*
 * Descriptor fd is one end of a pipe (process_pipe_common). A macOS pipe
 * has no file name: lsof names it by the kernel address of the other end,
 * so the two ends of one pipe point at each other. SIZE/OFF is the pipe's
 * buffer size. lsof never reads fi_openflags here, so the FD has no mode
 * letter; and the ", cnt=N" it builds for unread bytes is added after the
 * NAME was already stored, so it never appears.
 */
static int
fdtab_macos_pipe(int pid, int fd, struct fdtab_entry *e)
{
	struct pipe_fdinfo pi;

	if (fdtab_macos_fdinfo(pid, fd, PROC_PIDFDPIPEINFO, &pi, sizeof pi) == -1)
		return fdtab_macos_failed(e, "pipe");
	snprintf(e->type, sizeof e->type, "PIPE");
	fdtab_macos_kaddr(e->device, sizeof e->device, pi.pipeinfo.pipe_handle);
	snprintf(e->size_off, sizeof e->size_off, "%lld",
	    (long long)pi.pipeinfo.pipe_stat.vst_blksize);
	if (pi.pipeinfo.pipe_peerhandle != 0)
		snprintf(e->name, sizeof e->name, "->0x%08llx",
		    (unsigned long long)pi.pipeinfo.pipe_peerhandle);
	return 0;
}

/* Descriptor fd is a kqueue (process_kqueue): its event count and state; SIZE/OFF blank. */
static int
fdtab_macos_kqueue(int pid, int fd, struct fdtab_entry *e)
{
	struct kqueue_fdinfo kq;

	snprintf(e->type, sizeof e->type, "KQUEUE");
	if (fdtab_macos_fdinfo(pid, fd, PROC_PIDFDKQUEUEINFO, &kq, sizeof kq) == -1)
		return fdtab_macos_failed(e, "kqueue");
	fdtab_macos_fd_text(fd, fdtab_macos_mode(kq.pfi.fi_openflags), e->fd, sizeof e->fd);
	snprintf(e->name, sizeof e->name, "count=%llu, state=%#x",
	    (unsigned long long)kq.kqueueinfo.kq_stat.vst_size, (unsigned)kq.kqueueinfo.kq_state);
	return 0;
}

/*
 * POSIX shared memory (process_pshm_common): its size and name, or the
 * kernel address it is mapped at. A POSIX semaphore (process_psem): its
 * name, and SIZE/OFF as an offset.
 */
static int
fdtab_macos_posix(int pid, int fd, int shm, struct fdtab_entry *e)
{
	struct pshm_fdinfo ps;
	struct psem_fdinfo sem;
	int rc;

	if (!shm)
		snprintf(e->type, sizeof e->type, "PSXSEM");
	rc = shm ? fdtab_macos_fdinfo(pid, fd, PROC_PIDFDPSHMINFO, &ps, sizeof ps) :
	    fdtab_macos_fdinfo(pid, fd, PROC_PIDFDPSEMINFO, &sem, sizeof sem);
	if (rc == -1)
		return fdtab_macos_failed(e, shm ? "POSIX shared memory" : "semaphore");
	if (!shm) {
		fdtab_macos_fd_text(fd, fdtab_macos_mode(sem.pfi.fi_openflags), e->fd, sizeof e->fd);
		fdtab_macos_offset(e->size_off, sizeof e->size_off, (long long)sem.pfi.fi_offset);
		fdtab_macos_copy(e->name, sizeof e->name, sem.pseminfo.psem_name,
		    sizeof sem.pseminfo.psem_name - 1);
		return 0;
	}
	snprintf(e->type, sizeof e->type, "PSXSHM");
	fdtab_macos_fd_text(fd, fdtab_macos_mode(ps.pfi.fi_openflags), e->fd, sizeof e->fd);
	snprintf(e->size_off, sizeof e->size_off, "%lld", (long long)ps.pshminfo.pshm_stat.vst_size);
	if (ps.pshminfo.pshm_name[0] != '\0')
		fdtab_macos_copy(e->name, sizeof e->name, ps.pshminfo.pshm_name,
		    sizeof ps.pshminfo.pshm_name - 1);
	else if (ps.pshminfo.pshm_mappaddr != 0)
		snprintf(e->name, sizeof e->name, "obj=0x%08llx",
		    (unsigned long long)ps.pshminfo.pshm_mappaddr);
	return 0;
}

/* NODE for an internet socket: the protocol's name (printiproto), "%d?" if lsof has none. */
static void
fdtab_macos_proto_name(int protocol, char *buf, size_t size)
{
	const char *name = fdtab_proto_name(protocol);

	if (name != NULL)
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%d?", protocol);
}

/*
 * One end of an internet socket as a sockaddr: AF_INET when the kernel
 * keeps it as IPv4 (an AF_INET socket, or an IPv6 one flagged INI_IPV4),
 * whose address sits in the last 4 bytes of the 16.
 */
static void
fdtab_macos_endpoint(const struct in_sockinfo *ini, int foreign, int v4,
    struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)(void *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)(void *)ss;
	/* The kernel's int holds the port exactly as it goes on the wire. */
	uint16_t port = (uint16_t)(foreign ? ini->insi_fport : ini->insi_lport);

	memset(ss, 0, sizeof *ss);
	if (v4) {
		sin->sin_family = AF_INET;
		sin->sin_port = port;
		sin->sin_addr = foreign ? ini->insi_faddr.ina_46.i46a_addr4 :
		    ini->insi_laddr.ina_46.i46a_addr4;
#ifdef SIN6_LEN			/* BSD sockaddrs carry their length */
		sin->sin_len = sizeof *sin;
#endif
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = port;
		sin6->sin6_addr = foreign ? ini->insi_faddr.ina_6 : ini->insi_laddr.ina_6;
#ifdef SIN6_LEN
		sin6->sin6_len = sizeof *sin6;
#endif
	}
}

/*
 * An internet socket's protocol, addresses and state into sock, the way
 * process_socket_common reads them. Returns 0, or -1 if the kernel gave no
 * addresses (a kind other than SOCKINFO_IN and SOCKINFO_TCP).
 */
static int
fdtab_macos_inet(const struct socket_info *psi, struct fdtab_socket *sock)
{
	const struct in_sockinfo *ini;
	const unsigned char *remote;
	int v4, state;

	memset(sock, 0, sizeof *sock);
	snprintf(sock->type, sizeof sock->type, "%s", psi->soi_family == AF_INET ? "IPv4" : "IPv6");
	if (psi->soi_kind != SOCKINFO_TCP && psi->soi_kind != SOCKINFO_IN)
		return -1;
	sock->proto = psi->soi_protocol;
	ini = psi->soi_kind == SOCKINFO_TCP ? &psi->soi_proto.pri_tcp.tcpsi_ini :
	    &psi->soi_proto.pri_in;
	if (psi->soi_kind == SOCKINFO_TCP) {
		state = psi->soi_proto.pri_tcp.tcpsi_state;
		if (state >= 0 && state < (int)(sizeof fdtab_macos_states / sizeof fdtab_macos_states[0]))
			snprintf(sock->state, sizeof sock->state, "%s", fdtab_macos_states[state]);
		else	/* print_tcptpi */
			snprintf(sock->state, sizeof sock->state, "UNKNOWN_TCP_STATE_%d", state);
	}
	/* An IPv6 socket that also takes IPv4 is printed with IPv4 addresses; TYPE stays IPv6. */
	v4 = psi->soi_family == AF_INET || (ini->insi_vflag & INI_IPV4);
	fdtab_macos_endpoint(ini, 0, v4, &sock->local);
	fdtab_macos_endpoint(ini, 1, v4, &sock->remote);
	/*
	 * No remote end when its port is 0 and its address is unset: all 16
	 * bytes for IPv6, and for IPv4 lsof looks only at the first byte.
	 */
	remote = psi->soi_family == AF_INET ?
	    (const unsigned char *)&ini->insi_faddr.ina_46.i46a_addr4 :
	    (const unsigned char *)&ini->insi_faddr.ina_6;
	if (ini->insi_fport == 0 && (psi->soi_family == AF_INET ? remote[0] == 0 :
	    IN6_IS_ADDR_UNSPECIFIED(&ini->insi_faddr.ina_6)))
		memset(&sock->remote, 0, sizeof sock->remote);
	return 0;
}

/* An AF_INET or AF_INET6 socket's columns. */
static void
fdtab_macos_inet_entry(const struct socket_info *psi, struct fdtab_entry *e)
{
	struct fdtab_socket sock;
	uint64_t kaddr = psi->soi_pcb;

	snprintf(e->type, sizeof e->type, "%s", psi->soi_family == AF_INET ? "IPv4" : "IPv6");
	if (fdtab_macos_inet(psi, &sock) == -1)
		return;
	fdtab_macos_proto_name(psi->soi_protocol, e->node, sizeof e->node);
	/* lsof names a TCP socket by its TCP control block when it has one. */
	if (psi->soi_kind == SOCKINFO_TCP && psi->soi_proto.pri_tcp.tcpsi_tp != 0)
		kaddr = psi->soi_proto.pri_tcp.tcpsi_tp;
	fdtab_macos_kaddr(e->device, sizeof e->device, kaddr);
	e->proto = sock.proto;
	e->local = sock.local;
	e->remote = sock.remote;
	snprintf(e->state, sizeof e->state, "%s", sock.state);
	fdtab_socket_name(&sock, e->name, sizeof e->name);
}

/* NAME for an internet socket: "LOCAL->REMOTE (STATE)"; macOS's lsof adds nothing for UDP. */
void
fdtab_socket_name(const struct fdtab_socket *s, char *buf, size_t size)
{
	fdtab_inet_name(s, "", buf, size);
}

/* A UNIX address's own length: sun_len on BSD; elsewhere (the CI test on Linux) the whole struct. */
static int
fdtab_macos_sun_len(const struct sockaddr_un *sa_un)
{
#ifdef SIN6_LEN
	return sa_un->sun_len;
#else
	return (int)sizeof *sa_un;
#endif
}

#ifdef AF_VSOCK
/* xnu's sys/vsock.h, which the public SDK leaves out: "any" CID and port, the private protocol. */
#define FDTAB_MACOS_VSOCK_ANY 0xffffffffU
#define FDTAB_MACOS_VSOCK_PRIVATE 1

/* A vsock end as lsof writes it: "CID:PORT", "*" for any. */
static void
fdtab_macos_vsock_end(uint32_t cid, uint32_t port, char *buf, size_t size)
{
	char c[16] = "*", p[16] = "*";

	if (cid != FDTAB_MACOS_VSOCK_ANY)
		snprintf(c, sizeof c, "%u", cid);
	if (port != FDTAB_MACOS_VSOCK_ANY)
		snprintf(p, sizeof p, "%u", port);
	snprintf(buf, size, "%s:%s", c, p);
}

/* A vsock socket (a virtual machine's line to its host): its ends and a state from soi_state. */
static void
fdtab_macos_vsock_entry(const struct socket_info *psi, struct fdtab_entry *e)
{
	const struct vsock_sockinfo *v = &psi->soi_proto.pri_vsock;
	char local[32], remote[32];
	const char *state = "CLOSED";
	int local_only = 0;

	snprintf(e->type, sizeof e->type, "%s",
	    psi->soi_protocol == FDTAB_MACOS_VSOCK_PRIVATE ? "vsockp" : "vsock");
	if (psi->soi_kind != SOCKINFO_VSOCK) {
		snprintf(e->name, sizeof e->name, "no further information on vsock socket");
		return;
	}
	if (psi->soi_state & SOI_S_ISCONNECTING)
		state = "CONNECTING";
	else if (psi->soi_state & SOI_S_ISCONNECTED)
		state = "ESTABLISHED";
	else if (psi->soi_state & SOI_S_ISDISCONNECTING)
		state = "CLOSING";
	else
		local_only = 1;
	if (local_only && (psi->soi_options & SO_ACCEPTCONN))
		state = "LISTEN";
	fdtab_macos_vsock_end(v->local_cid, v->local_port, local, sizeof local);
	fdtab_macos_vsock_end(v->remote_cid, v->remote_port, remote, sizeof remote);
	if (local_only)
		snprintf(e->name, sizeof e->name, "%s (%s)", local, state);
	else
		snprintf(e->name, sizeof e->name, "%s->%s (%s)", local, remote, state);
}
#endif

/* A UNIX socket: its bound path, "no address", or the control block of its peer. */
static void
fdtab_macos_unix_entry(const struct socket_info *psi, struct fdtab_entry *e)
{
	const struct un_sockinfo *un = &psi->soi_proto.pri_un;
	const struct sockaddr_un *sa_un = &un->unsi_addr.ua_sun;
	int len;

	snprintf(e->type, sizeof e->type, "unix");
	if (psi->soi_kind != SOCKINFO_UN)
		return;
	fdtab_macos_kaddr(e->device, sizeof e->device, psi->soi_pcb);
	if (sa_un->sun_family == AF_UNSPEC && un->unsi_conn_pcb != 0)
		snprintf(e->name, sizeof e->name, "->0x%08llx", (unsigned long long)un->unsi_conn_pcb);
	else if (sa_un->sun_family == AF_UNSPEC)
		snprintf(e->name, sizeof e->name, "->(none)");
	else if (sa_un->sun_family != AF_UNIX)
		snprintf(e->name, sizeof e->name, "unknown sun_family (%d)", (int)sa_un->sun_family);
	else if (sa_un->sun_path[0] == '\0')
		snprintf(e->name, sizeof e->name, "no address");
	else {
		/* The path's length comes from the address's own length (sun_len). */
		len = fdtab_macos_sun_len(sa_un) - (int)offsetof(struct sockaddr_un, sun_path);
		if (len < 0 || len >= (int)sizeof sa_un->sun_path)
			len = (int)sizeof sa_un->sun_path - 1;
		fdtab_macos_copy(e->name, sizeof e->name, sa_un->sun_path, (size_t)len);
	}
}

/* A kernel socket: an event filter or a kernel control, named as lsof names it. */
static void
fdtab_macos_system_entry(const struct socket_info *psi, struct fdtab_entry *e)
{
	const struct kern_event_info *ev = &psi->soi_proto.pri_kern_event;
	const struct kern_ctl_info *ctl = &psi->soi_proto.pri_kern_ctl;

	snprintf(e->type, sizeof e->type, "systm");
	if (psi->soi_kind == SOCKINFO_KERN_EVENT)
		snprintf(e->name, sizeof e->name, "[event %x:%x:%x]", ev->kesi_vendor_code_filter,
		    ev->kesi_class_filter, ev->kesi_subclass_filter);
	else if (psi->soi_kind == SOCKINFO_KERN_CTL)
		snprintf(e->name, sizeof e->name, "[ctl %.*s id %d unit %d]",
		    (int)sizeof ctl->kcsi_name, ctl->kcsi_name, (int)ctl->kcsi_id, (int)ctl->kcsi_unit);
	else
		return;		/* neither: no DEVICE either */
	fdtab_macos_kaddr(e->device, sizeof e->device, psi->soi_pcb);
}

/*
 * Any other family: TYPE "sock" and what printunkaf says. Families lsof
 * has a name for are named; the rest get their number.
 */
static void
fdtab_macos_unknown_family(int family, struct fdtab_entry *e)
{
	static const struct {
		int family;
		const char *name;
	} names[] = {
		{ AF_UNSPEC, "AF_UNSPEC" },
#ifdef AF_IMPLINK
		{ AF_IMPLINK, "AF_IMPLINK" }, { AF_PUP, "AF_PUP" }, { AF_CHAOS, "AF_CHAOS" },
		{ AF_NS, "AF_NS" }, { AF_ISO, "AF_ISO" }, { AF_ECMA, "AF_ECMA" },
		{ AF_DATAKIT, "AF_DATAKIT" }, { AF_CCITT, "AF_CCITT" }, { AF_SNA, "AF_SNA" },
		{ AF_DECnet, "AF_DECnet" }, { AF_DLI, "AF_DLI" }, { AF_LAT, "AF_LAT" },
		{ AF_HYLINK, "AF_HYLINK" }, { AF_APPLETALK, "AF_APPLETALK" }, { AF_LINK, "AF_LINK" },
		{ pseudo_AF_XTP, "pseudo_AF_XTP" }, { AF_COIP, "AF_COIP" }, { AF_CNT, "AF_CNT" },
		{ pseudo_AF_RTIP, "pseudo_AF_RTIP" }, { AF_IPX, "AF_IPX" }, { AF_SIP, "AF_SIP" },
#endif
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].family == family) {
			snprintf(e->name, sizeof e->name, "no further information on %s", names[i].name);
			return;
		}
	snprintf(e->name, sizeof e->name, "no further information on family %#x", family);
}

/* The columns of a socket by its family (process_socket_common), after TYPE "sock". */
static void
fdtab_macos_socket_columns(const struct socket_info *psi, struct fdtab_entry *e)
{
	const struct ndrv_info *ndrv = &psi->soi_proto.pri_ndrv;

	snprintf(e->type, sizeof e->type, "sock");
	switch (psi->soi_family) {
	case AF_INET:
	case AF_INET6: fdtab_macos_inet_entry(psi, e); break;
	case AF_UNIX: fdtab_macos_unix_entry(psi, e); break;
	case AF_SYSTEM: fdtab_macos_system_entry(psi, e); break;
	case AF_ROUTE: snprintf(e->type, sizeof e->type, "rte"); break;
	case pseudo_AF_KEY:
	case AF_PPP:
		snprintf(e->type, sizeof e->type, "%s", psi->soi_family == AF_PPP ? "ppp" : "key");
		fdtab_macos_kaddr(e->device, sizeof e->device, psi->soi_pcb);
		break;
	case AF_NDRV:
		snprintf(e->type, sizeof e->type, "ndrv");
		if (psi->soi_kind != SOCKINFO_NDRV)
			break;
		fdtab_macos_kaddr(e->device, sizeof e->device, psi->soi_pcb);
		snprintf(e->name, sizeof e->name, "-> %.*s%u", (int)sizeof ndrv->ndrvsi_if_name - 1,
		    ndrv->ndrvsi_if_name, (unsigned)ndrv->ndrvsi_if_unit);
		break;
#ifdef AF_VSOCK
	case AF_VSOCK: fdtab_macos_vsock_entry(psi, e); break;
#endif
	default: fdtab_macos_unknown_family(psi->soi_family, e);
	}
}

/*
 * Descriptor fd is a socket. Every socket shows its offset in SIZE/OFF
 * (0t0). Returns 0, or -1 with errno ESRCH.
 */
static int
fdtab_macos_socket(int pid, int fd, struct fdtab_entry *e)
{
	struct socket_fdinfo si;

	if (fdtab_macos_fdinfo(pid, fd, PROC_PIDFDSOCKETINFO, &si, sizeof si) == -1)
		return fdtab_macos_failed(e, "socket");
	fdtab_macos_fd_text(fd, fdtab_macos_mode(si.pfi.fi_openflags), e->fd, sizeof e->fd);
	fdtab_macos_offset(e->size_off, sizeof e->size_off, (long long)si.pfi.fi_offset);
	fdtab_macos_socket_columns(&si.psi, e);
	return 0;
}

/*
 * Kinds lsof only names, without asking for details or the mode
 * (process_fsevents, process_netpolicy, process_atalk), and kinds it does
 * not know: no TYPE, "unknown file type: N".
 */
static void
fdtab_macos_other(const struct proc_fdinfo *fdi, struct fdtab_entry *e)
{
	switch (fdi->proc_fdtype) {
	case PROX_FDTYPE_FSEVENTS: snprintf(e->type, sizeof e->type, "FSEVENTS"); break;
	case PROX_FDTYPE_NETPOLICY: snprintf(e->type, sizeof e->type, "NPOLICY"); break;
	case PROX_FDTYPE_ATALK: snprintf(e->type, sizeof e->type, "ATALK"); break;
	default:
		snprintf(e->name, sizeof e->name, "unknown file type: %d", (int)fdi->proc_fdtype);
	}
}

/*
 * Append the row for one descriptor: the FD with no mode letter, then the
 * columns its kind fills in (process_fds). Returns 0, or -1 with errno
 * ESRCH (the process is gone) or ENOMEM.
 */
static int
fdtab_macos_fd_row(int pid, const struct proc_fdinfo *fdi, struct fdtab_proc *proc,
    size_t *capacity)
{
	struct fdtab_entry *e = fdtab_macos_add(proc, capacity);
	int rc = 0;

	if (e == NULL)
		return -1;
	e->fd_num = fdi->proc_fd;
	fdtab_macos_fd_text(fdi->proc_fd, ' ', e->fd, sizeof e->fd);
	switch (fdi->proc_fdtype) {
	case PROX_FDTYPE_VNODE: rc = fdtab_macos_vnode(pid, fdi->proc_fd, e); break;
	case PROX_FDTYPE_SOCKET: rc = fdtab_macos_socket(pid, fdi->proc_fd, e); break;
	case PROX_FDTYPE_PIPE: rc = fdtab_macos_pipe(pid, fdi->proc_fd, e); break;
	case PROX_FDTYPE_KQUEUE: rc = fdtab_macos_kqueue(pid, fdi->proc_fd, e); break;
	case PROX_FDTYPE_PSHM: rc = fdtab_macos_posix(pid, fdi->proc_fd, 1, e); break;
	case PROX_FDTYPE_PSEM: rc = fdtab_macos_posix(pid, fdi->proc_fd, 0, e); break;
	default: fdtab_macos_other(fdi, e);
	}
	return rc;
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
 * The cwd row, and an rtd row only if the process was chroot()ed
 * (gather_proc_info). Returns 0, or -1 with errno ESRCH or ENOMEM.
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

/* 1 if proc already has a txt row for the file dev/ino (enter_vn_text lists each once). */
static int
fdtab_macos_text_seen(const struct fdtab_proc *proc, size_t first, const struct vinfo_stat *vst)
{
	char node[32], dev[32];
	size_t i;

	snprintf(node, sizeof node, "%llu", (unsigned long long)vst->vst_ino);
	snprintf(dev, sizeof dev, "%u,%u", (unsigned)FDTAB_MACOS_MAJOR(vst->vst_dev),
	    (unsigned)FDTAB_MACOS_MINOR(vst->vst_dev));
	for (i = first; i < proc->count; i++)
		if (strcmp(proc->entries[i].node, node) == 0 &&
		    strcmp(proc->entries[i].device, dev) == 0)
			return 1;
	return 0;
}

/*
 * A txt row for every file mapped into the process: the program, dyld, the
 * dyld shared cache and each library, once each, in address order, as
 * lsof's process_text walks the regions. Returns 0, or -1 with errno ENOMEM.
 */
static int
fdtab_macos_text(int pid, struct fdtab_proc *proc, size_t *capacity)
{
	struct proc_regionwithpathinfo rwpi;
	struct vnode_info_path *vip = &rwpi.prp_vip;
	struct fdtab_entry *e;
	size_t first = proc->count;
	uint64_t address = 0;
	int i, n;

	for (i = 0; i < FDTAB_MACOS_REGIONS_MAX; i++) {
		errno = 0;
		n = proc_pidinfo(pid, PROC_PIDREGIONPATHINFO2, address, &rwpi, sizeof rwpi);
		if (n <= 0 && (errno == ESRCH || errno == EINVAL))
			return 0;	/* no more regions */
		if (n != (int)sizeof rwpi) {
			if ((e = fdtab_macos_add(proc, capacity)) == NULL)
				return -1;
			snprintf(e->fd, sizeof e->fd, "txt");
			snprintf(e->name, sizeof e->name, "region info error: %s",
			    strerror(n > 0 ? ENOTSUP : errno ? errno : EIO));
			return 0;
		}
		vip->vip_path[sizeof vip->vip_path - 1] = '\0';
		if (vip->vip_path[0] != '\0' && !fdtab_macos_text_seen(proc, first, &vip->vip_vi.vi_stat)) {
			if ((e = fdtab_macos_add(proc, capacity)) == NULL)
				return -1;
			snprintf(e->fd, sizeof e->fd, "txt");
			fdtab_macos_vnode_columns(e, &vip->vip_vi.vi_stat, 0, vip->vip_path);
		}
		address = rwpi.prp_prinfo.pri_address + rwpi.prp_prinfo.pri_size;
	}
	return 0;
}

/*
 * COMMAND and USER from the BSD info, as gather_proc_info takes them:
 * pbi_name (up to 31 characters; it has no NUL when full), else pbi_comm.
 * Returns 0, or -1 with errno ESRCH or EACCES.
 */
static int
fdtab_macos_identity(int pid, char *command, size_t command_size, char *user, size_t user_size)
{
	struct proc_bsdinfo bsd;
	struct passwd *pw;
	int n;

	errno = 0;
	n = proc_pidinfo(pid, PROC_PIDTBSDINFO, 0, &bsd, sizeof bsd);
	if (n != (int)sizeof bsd) {
		errno = fdtab_macos_why(pid, errno);
		return -1;
	}
	if (bsd.pbi_name[0] != '\0')
		fdtab_macos_copy(command, command_size, bsd.pbi_name, sizeof bsd.pbi_name - 1);
	else
		fdtab_macos_copy(command, command_size, bsd.pbi_comm, sizeof bsd.pbi_comm - 1);
	pw = getpwuid(bsd.pbi_uid);
	if (pw != NULL)
		snprintf(user, user_size, "%s", pw->pw_name);
	else
		snprintf(user, user_size, "%u", (unsigned)bsd.pbi_uid);
	return 0;
}

int
fdtab_read(long pid, struct fdtab_proc *proc)
{
	struct proc_fdinfo *fds = NULL;
	size_t nfds = 0, capacity = 0, i;
	int err;

	memset(proc, 0, sizeof *proc);
	if (pid < 0 || pid > INT_MAX) {
		errno = ESRCH;
		return -1;
	}
	if (fdtab_macos_identity((int)pid, proc->command, sizeof proc->command, proc->user,
	    sizeof proc->user) == -1)
		return -1;
	proc->pid = pid;
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
 * Append pid's internet sockets to *list: every one lsof -i lists (TCP,
 * UDP, ICMP ...). Returns 0, or -1 with errno EACCES (not ours to read),
 * ESRCH (gone) or ENOMEM.
 */
static int
fdtab_macos_proc_sockets(int pid, struct fdtab_socket **list, size_t *count,
    size_t *capacity)
{
	struct proc_fdinfo *fds;
	struct socket_fdinfo si;
	struct fdtab_socket sock, *more;
	struct fdtab_entry row;
	char command[FDTAB_COMMAND_MAX], user[32];
	size_t nfds, i;

	if (fdtab_macos_identity(pid, command, sizeof command, user, sizeof user) == -1 ||
	    fdtab_macos_listfds(pid, &fds, &nfds) == -1)
		return -1;
	for (i = 0; i < nfds; i++) {
		if (fds[i].proc_fdtype != PROX_FDTYPE_SOCKET ||
		    fdtab_macos_fdinfo(pid, fds[i].proc_fd, PROC_PIDFDSOCKETINFO,
		    &si, sizeof si) == -1)
			continue;	/* not a socket, or closed since we listed it */
		if ((si.psi.soi_family != AF_INET && si.psi.soi_family != AF_INET6) ||
		    fdtab_macos_inet(&si.psi, &sock) == -1)
			continue;
		memset(&row, 0, sizeof row);
		fdtab_macos_inet_entry(&si.psi, &row);
		sock.pid = pid;
		snprintf(sock.command, sizeof sock.command, "%s", command);
		snprintf(sock.user, sizeof sock.user, "%s", user);
		snprintf(sock.device, sizeof sock.device, "%s", row.device);
		fdtab_macos_fd_text(fds[i].proc_fd, fdtab_macos_mode(si.pfi.fi_openflags), sock.fd,
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
fdtab_unheld(struct fdtab_unheld *unheld)
{
	/* libproc reaches a socket only through a descriptor: netstat -an -p tcp lists the rest. */
	memset(unheld, 0, sizeof *unheld);
	errno = ENOSYS;
	return -1;
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
