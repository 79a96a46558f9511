/*
 * fakeproc - a fake libproc, so that common/fdtab_macos.c runs on Linux.
 *
 * macOS's lsof and our macOS backend learn everything from four libproc
 * calls. This file answers them from a table instead of a kernel, with
 * Apple's own struct layouts (<sys/proc_info.h>), for three processes:
 *
 *   4242 "Notes"  one descriptor of each kind macOS has: files, a terminal,
 *                 a kqueue, a pipe with unread bytes, TCP over IPv4, IPv6
 *                 and v4-mapped IPv6, UDP, ICMP, a routing socket, kernel
 *                 control and kernel event sockets, UNIX sockets, POSIX
 *                 shared memory and a semaphore, NPOLICY, FSEVENTS, a
 *                 symbolic link, a FIFO, and the error rows lsof can print;
 *                 and mapped files for its txt rows;
 *   4243          a 32-character name (pbi_name has no NUL then), and the
 *                 client end of a connection to Notes's server;
 *   71881         the telepresence daemon of a real, published capture, so
 *                 that our rows can be compared with a real Mac's;
 *   1             launchd, which a normal user may not read (EPERM).
 *
 * tests/fixtures/fakemac/ holds what macOS's lsof prints for them, worked
 * out from Apple's lsof sources; tests/16-macos-backend.bats compares.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libproc.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/proc_info.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define NOTES 4242
#define HELPER 4243
#define LAUNCHD 1
#define TELEPRESENCE 71881
#define MAX_FDS 40
#define MAX_REGIONS 12

/* Darwin's dev_t: 8 bits of major, 24 of minor. */
#define DEV(major, minor) (((uint32_t)(major) << 24) | (uint32_t)(minor))

/* One descriptor: its type for PROC_PIDLISTFDS, and what proc_pidfdinfo answers. */
struct fake_fd {
	int fd, fdtype;
	int err;			/* proc_pidfdinfo fails with this; 0: it answers */
	union {
		struct vnode_fdinfowithpath vnode;
		struct socket_fdinfo socket;
		struct pipe_fdinfo pipe;
		struct kqueue_fdinfo kqueue;
		struct pshm_fdinfo pshm;
		struct psem_fdinfo psem;
	} info;
};

struct fake_proc {
	int pid;
	struct proc_bsdinfo bsd;
	struct proc_vnodepathinfo dirs;
	struct proc_regionwithpathinfo regions[MAX_REGIONS];
	size_t nregions;
	struct fake_fd fds[MAX_FDS];
	size_t nfds;
};

static struct fake_proc procs[3];
static int ready;

static void build(void);
static struct fake_proc *find(int pid);
static void fill_stat(struct vinfo_stat *st, unsigned mode, uint32_t dev, uint64_t ino,
    long long size);

int
proc_listallpids(void *buffer, int buffersize)
{
	static const int pids[] = { 0, LAUNCHD, NOTES, HELPER, TELEPRESENCE };
	int n = (int)(sizeof pids / sizeof pids[0]);

	if (buffer == NULL)
		return n;
	if (buffersize < (int)sizeof pids)
		n = buffersize / (int)sizeof pids[0];
	memcpy(buffer, pids, (size_t)n * sizeof pids[0]);
	return n;
}

int
proc_pidinfo(int pid, int flavor, uint64_t arg, void *buffer, int buffersize)
{
	struct fake_proc *p = find(pid);
	struct proc_fdinfo *out = buffer;
	size_t i, n;

	if (p == NULL)
		return 0;	/* find set errno */
	switch (flavor) {
	case PROC_PIDTBSDINFO:
		if (buffersize < (int)sizeof p->bsd)
			break;
		memcpy(buffer, &p->bsd, sizeof p->bsd);
		return (int)sizeof p->bsd;
	case PROC_PIDVNODEPATHINFO:
		if (buffersize < (int)sizeof p->dirs)
			break;
		memcpy(buffer, &p->dirs, sizeof p->dirs);
		return (int)sizeof p->dirs;
	case PROC_PIDLISTFDS:
		if (buffer == NULL)	/* the kernel's estimate leaves room for 20 more */
			return (int)((p->nfds + 20) * sizeof *out);
		n = (size_t)buffersize / sizeof *out;
		for (i = 0; i < p->nfds && i < n; i++) {
			out[i].proc_fd = p->fds[i].fd;
			out[i].proc_fdtype = (uint32_t)p->fds[i].fdtype;
		}
		return (int)(i * sizeof *out);
	case 22:	/* PROC_PIDREGIONPATHINFO2: the next region with a file, at or after arg */
		for (i = 0; i < p->nregions; i++) {
			const struct proc_regioninfo *r = &p->regions[i].prp_prinfo;

			if (r->pri_address + r->pri_size > arg && buffersize >= (int)sizeof p->regions[i]) {
				memcpy(buffer, &p->regions[i], sizeof p->regions[i]);
				return (int)sizeof p->regions[i];
			}
		}
		break;
	}
	errno = EINVAL;
	return 0;
}

int
proc_pidfdinfo(int pid, int fd, int flavor, void *buffer, int buffersize)
{
	static const struct {
		int fdtype, flavor;
		size_t size;
	} kinds[] = {
		{ PROX_FDTYPE_VNODE, PROC_PIDFDVNODEPATHINFO, sizeof(struct vnode_fdinfowithpath) },
		{ PROX_FDTYPE_SOCKET, PROC_PIDFDSOCKETINFO, sizeof(struct socket_fdinfo) },
		{ PROX_FDTYPE_PIPE, PROC_PIDFDPIPEINFO, sizeof(struct pipe_fdinfo) },
		{ PROX_FDTYPE_KQUEUE, PROC_PIDFDKQUEUEINFO, sizeof(struct kqueue_fdinfo) },
		{ PROX_FDTYPE_PSHM, PROC_PIDFDPSHMINFO, sizeof(struct pshm_fdinfo) },
		{ PROX_FDTYPE_PSEM, PROC_PIDFDPSEMINFO, sizeof(struct psem_fdinfo) },
	};
	struct fake_proc *p = find(pid);
	size_t i, k;

	if (p == NULL)
		return 0;
	for (i = 0; i < p->nfds && p->fds[i].fd != fd; i++)
		;
	errno = EBADF;
	if (i == p->nfds)
		return 0;
	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (kinds[k].fdtype == p->fds[i].fdtype && kinds[k].flavor == flavor)
			break;
	if (k == sizeof kinds / sizeof kinds[0] || buffersize < (int)kinds[k].size) {
		errno = EINVAL;
		return 0;
	}
	if (p->fds[i].err != 0) {
		errno = p->fds[i].err;
		return 0;
	}
	memcpy(buffer, &p->fds[i].info, kinds[k].size);
	return (int)kinds[k].size;
}

/* The process, or NULL with errno: EPERM for launchd (not ours), ESRCH for any other. */
static struct fake_proc *
find(int pid)
{
	size_t i;

	if (!ready)
		build();
	for (i = 0; i < sizeof procs / sizeof procs[0]; i++)
		if (procs[i].pid == pid)
			return &procs[i];
	errno = pid == LAUNCHD ? EPERM : ESRCH;
	return NULL;
}

/* ---- the table: each helper adds one descriptor or region ---- */

static struct fake_fd *
add_fd(struct fake_proc *p, int fd, int fdtype, uint32_t openflags, long long offset)
{
	struct fake_fd *f = &p->fds[p->nfds++];
	struct proc_fileinfo *pfi = &f->info.vnode.pfi;	/* every kind starts with one */

	memset(f, 0, sizeof *f);
	f->fd = fd;
	f->fdtype = fdtype;
	pfi->fi_openflags = openflags;
	pfi->fi_offset = offset;
	return f;
}

static void
fill_stat(struct vinfo_stat *st, unsigned mode, uint32_t dev, uint64_t ino, long long size)
{
	memset(st, 0, sizeof *st);
	st->vst_mode = (uint16_t)mode;
	st->vst_ino = ino;
	st->vst_size = size;
	st->vst_blksize = 4096;
	if (S_ISCHR(mode) || S_ISBLK(mode)) {
		st->vst_rdev = dev;
		st->vst_dev = DEV(16, 0);	/* devfs, where the device node lives */
	} else
		st->vst_dev = dev;
}

static void
add_vnode(struct fake_proc *p, int fd, uint32_t openflags, long long offset, unsigned mode,
    uint32_t dev, uint64_t ino, long long size, const char *path)
{
	struct fake_fd *f = add_fd(p, fd, PROX_FDTYPE_VNODE, openflags, offset);

	fill_stat(&f->info.vnode.pvip.vip_vi.vi_stat, mode, dev, ino, size);
	snprintf(f->info.vnode.pvip.vip_path, sizeof f->info.vnode.pvip.vip_path, "%s", path);
}

static void
add_region(struct fake_proc *p, uint64_t address, uint64_t size, uint64_t ino, long long bytes,
    const char *path)
{
	struct proc_regionwithpathinfo *r = &p->regions[p->nregions++];

	memset(r, 0, sizeof *r);
	r->prp_prinfo.pri_address = address;
	r->prp_prinfo.pri_size = size;
	fill_stat(&r->prp_vip.vip_vi.vi_stat, S_IFREG | 0755, DEV(1, 18), ino, bytes);
	snprintf(r->prp_vip.vip_path, sizeof r->prp_vip.vip_path, "%s", path);
}

/* A region of a file on the capture Mac's data volume (device 1,9). */
static void
add_region9(struct fake_proc *p, uint64_t address, uint64_t ino, long long bytes, const char *path)
{
	add_region(p, address, 0x4000, ino, bytes, path);
	fill_stat(&p->regions[p->nregions - 1].prp_vip.vip_vi.vi_stat, S_IFREG | 0644, DEV(1, 9),
	    ino, bytes);
}

/* One end of a pipe: its own handle and its peer's, a 16 KiB buffer. */
static void
add_pipe(struct fake_proc *p, int fd, uint64_t handle, uint64_t peer)
{
	struct fake_fd *f = add_fd(p, fd, PROX_FDTYPE_PIPE, FREAD, 0);

	f->info.pipe.pipeinfo.pipe_handle = handle;
	f->info.pipe.pipeinfo.pipe_peerhandle = peer;
	f->info.pipe.pipeinfo.pipe_stat.vst_blksize = 16384;
}

/* An internet socket; addresses in network byte order, as the kernel keeps them. */
static struct in_sockinfo *
add_inet(struct fake_proc *p, int fd, int family, int kind, int protocol, uint64_t pcb)
{
	struct fake_fd *f = add_fd(p, fd, PROX_FDTYPE_SOCKET, FREAD | FWRITE, 0);
	struct socket_info *si = &f->info.socket.psi;

	si->soi_family = family;
	si->soi_kind = kind;
	si->soi_protocol = protocol;
	si->soi_pcb = pcb;
	si->soi_proto.pri_tcp.tcpsi_tp = kind == SOCKINFO_TCP ? pcb + 0x400 : 0;
	return kind == SOCKINFO_TCP ? &si->soi_proto.pri_tcp.tcpsi_ini : &si->soi_proto.pri_in;
}

static void
set_v4(struct in_sockinfo *in, const char *local, int lport, const char *remote, int rport)
{
	in->insi_vflag = INI_IPV4;
	inet_pton(AF_INET, local, &in->insi_laddr.ina_46.i46a_addr4);
	inet_pton(AF_INET, remote, &in->insi_faddr.ina_46.i46a_addr4);
	in->insi_lport = htons((uint16_t)lport);
	in->insi_fport = htons((uint16_t)rport);
}

static void
set_v6(struct in_sockinfo *in, const char *local, int lport, const char *remote, int rport)
{
	in->insi_vflag = INI_IPV6;
	inet_pton(AF_INET6, local, &in->insi_laddr.ina_6);
	inet_pton(AF_INET6, remote, &in->insi_faddr.ina_6);
	in->insi_lport = htons((uint16_t)lport);
	in->insi_fport = htons((uint16_t)rport);
}

static void
set_state(struct fake_proc *p, int state)
{
	p->fds[p->nfds - 1].info.socket.psi.soi_proto.pri_tcp.tcpsi_state = state;
}

static struct socket_info *
add_socket(struct fake_proc *p, int fd, int family, int kind, uint64_t pcb)
{
	struct socket_info *si = &add_fd(p, fd, PROX_FDTYPE_SOCKET, FREAD | FWRITE, 0)->info.socket.psi;

	si->soi_family = family;
	si->soi_kind = kind;
	si->soi_pcb = pcb;
	return si;
}

static void
add_unix(struct fake_proc *p, int fd, uint64_t pcb, uint64_t peer, const char *path)
{
	struct socket_info *si = add_socket(p, fd, AF_UNIX, SOCKINFO_UN, pcb);
	struct sockaddr_un *sun = &si->soi_proto.pri_un.unsi_addr.ua_sun;

	si->soi_proto.pri_un.unsi_conn_pcb = peer;
	sun->sun_family = path != NULL ? AF_UNIX : AF_UNSPEC;
	if (path != NULL)
		snprintf(sun->sun_path, sizeof sun->sun_path, "%s", path);
}

/* Notes's files, terminal, kqueue, pipes and the kinds only macOS has. */
static void
notes_files(struct fake_proc *p)
{
	struct fake_fd *f;

	add_vnode(p, 0, FREAD, 0, S_IFCHR | 0666, DEV(3, 2), 311, 0, "/dev/null");
	add_vnode(p, 1, FREAD | FWRITE, 123456789012LL, S_IFCHR | 0620, DEV(16, 3), 1061,
	    0, "/dev/ttys003");
	add_vnode(p, 2, FWRITE, 512, S_IFREG | 0644, DEV(1, 18), 8850412, 20731,
	    "/Users/student/Library/Logs/Notes log.txt");
	f = add_fd(p, 3, PROX_FDTYPE_KQUEUE, FREAD | FWRITE, 0);
	f->info.kqueue.kqueueinfo.kq_state = 0x8;
	f = add_fd(p, 4, PROX_FDTYPE_PIPE, FREAD, 0);
	f->info.pipe.pipeinfo.pipe_handle = 0x9d3a6c1e5b2f4a01ULL;
	f->info.pipe.pipeinfo.pipe_peerhandle = 0x9d3a6c1e5b2f4b81ULL;
	f->info.pipe.pipeinfo.pipe_stat.vst_blksize = 16384;
	f->info.pipe.pipeinfo.pipe_stat.vst_size = 5;	/* 5 bytes written, not yet read */
	f = add_fd(p, 5, PROX_FDTYPE_PIPE, FWRITE, 0);
	f->info.pipe.pipeinfo.pipe_handle = 0x9d3a6c1e5b2f4b81ULL;
	f->info.pipe.pipeinfo.pipe_peerhandle = 0x9d3a6c1e5b2f4a01ULL;
	f->info.pipe.pipeinfo.pipe_stat.vst_blksize = 16384;
	f = add_fd(p, 18, PROX_FDTYPE_PSHM, FREAD, 0);
	f->info.pshm.pshminfo.pshm_stat.vst_size = 1048576;
	snprintf(f->info.pshm.pshminfo.pshm_name, sizeof f->info.pshm.pshminfo.pshm_name,
	    "apple.shm.notification_center");
	f = add_fd(p, 19, PROX_FDTYPE_PSEM, FREAD | FWRITE, 0);
	snprintf(f->info.psem.pseminfo.psem_name, sizeof f->info.psem.pseminfo.psem_name,
	    "/notes.sync");
	add_fd(p, 20, PROX_FDTYPE_NETPOLICY, FREAD | FWRITE, 0);
	add_fd(p, 21, PROX_FDTYPE_FSEVENTS, FREAD, 0);
	add_vnode(p, 22, FREAD, 0, S_IFLNK | 0755, DEV(1, 18), 8850999, 11, "/tmp/notes-link");
	add_fd(p, 23, PROX_FDTYPE_VNODE, FREAD, 0)->err = ENOENT;	/* revoked */
	add_vnode(p, 24, FREAD, 0, S_IFIFO | 0644, DEV(1, 18), 8851000, 0, "/tmp/notes.fifo");
	add_fd(p, 25, PROX_FDTYPE_PIPE, FREAD, 0)->err = EBADF;	/* closed while lsof looked */
	add_fd(p, 26, 12, FREAD, 0);	/* a kind lsof has no name for */
	add_fd(p, 27, PROX_FDTYPE_VNODE, FREAD, 0)->err = EPERM;
}

/* Notes's sockets: every family and kind process_socket_common tells apart. */
static void
notes_sockets(struct fake_proc *p)
{
	struct socket_info *si;

	set_v4(add_inet(p, 6, AF_INET, SOCKINFO_TCP, IPPROTO_TCP, 0x5fd1c7a31e0b6a11ULL),
	    "127.0.0.1", 8080, "0.0.0.0", 0);
	set_state(p, TSI_S_LISTEN);
	set_v4(add_inet(p, 7, AF_INET, SOCKINFO_TCP, IPPROTO_TCP, 0x5fd1c7a31e0b6b22ULL),
	    "192.168.0.2", 50123, "17.248.185.8", 443);
	set_state(p, TSI_S_ESTABLISHED);
	set_v4(add_inet(p, 8, AF_INET6, SOCKINFO_TCP, IPPROTO_TCP, 0x5fd1c7a31e0b6c33ULL),
	    "0.0.0.0", 5000, "0.0.0.0", 0);	/* IPv6, also taking IPv4 */
	set_state(p, TSI_S_LISTEN);
	set_v4(add_inet(p, 9, AF_INET, SOCKINFO_TCP, IPPROTO_TCP, 0x5fd1c7a31e0b6d44ULL),
	    "127.0.0.1", 8080, "127.0.0.1", 50200);
	set_state(p, TSI_S_ESTABLISHED);
	set_v6(add_inet(p, 10, AF_INET6, SOCKINFO_TCP, IPPROTO_TCP, 0x5fd1c7a31e0b6e55ULL),
	    "::1", 50124, "::1", 631);
	set_state(p, TSI_S_FIN_WAIT_1);
	set_v4(add_inet(p, 11, AF_INET, SOCKINFO_IN, IPPROTO_UDP, 0x5fd1c7a31e0b6f66ULL),
	    "0.0.0.0", 0, "0.0.0.0", 0);
	set_v4(add_inet(p, 12, AF_INET, SOCKINFO_IN, IPPROTO_ICMP, 0x5fd1c7a31e0b7077ULL),
	    "0.0.0.0", 0, "0.0.0.0", 0);
	add_socket(p, 13, AF_ROUTE, SOCKINFO_GENERIC, 0x5fd1c7a31e0b7188ULL);
	si = add_socket(p, 14, AF_SYSTEM, SOCKINFO_KERN_CTL, 0x5fd1c7a31e0b7299ULL);
	si->soi_proto.pri_kern_ctl.kcsi_id = 7;
	si->soi_proto.pri_kern_ctl.kcsi_unit = 34;
	snprintf(si->soi_proto.pri_kern_ctl.kcsi_name, sizeof si->soi_proto.pri_kern_ctl.kcsi_name,
	    "com.apple.netsrc");
	si = add_socket(p, 15, AF_SYSTEM, SOCKINFO_KERN_EVENT, 0x5fd1c7a31e0b73aaULL);
	si->soi_proto.pri_kern_event.kesi_vendor_code_filter = 1;
	si->soi_proto.pri_kern_event.kesi_class_filter = 6;
	si->soi_proto.pri_kern_event.kesi_subclass_filter = 0x1a;
	add_unix(p, 16, 0x5fd1c7a31e0b74bbULL, 0x5fd1c7a31e0b75ccULL, NULL);
	add_unix(p, 17, 0x5fd1c7a31e0b76ddULL, 0, "/var/run/mDNSResponder");
	set_v6(add_inet(p, 28, AF_INET6, SOCKINFO_IN, IPPROTO_UDP, 0x5fd1c7a31e0b77eeULL),
	    "::", 5353, "::", 0);
	add_socket(p, 29, AF_SYSTEM, SOCKINFO_GENERIC, 0x5fd1c7a31e0b78ffULL);
	add_socket(p, 30, 99, SOCKINFO_GENERIC, 0x5fd1c7a31e0b7a10ULL);
}

static void
build_notes(struct fake_proc *p)
{
	p->pid = NOTES;
	p->bsd.pbi_uid = 0;	/* root: every system names it so, as for sudo lsof */
	snprintf(p->bsd.pbi_comm, sizeof p->bsd.pbi_comm, "Notes");
	snprintf(p->bsd.pbi_name, sizeof p->bsd.pbi_name, "Notes");
	fill_stat(&p->dirs.pvi_cdir.vip_vi.vi_stat, S_IFDIR | 0755, DEV(1, 18), 2, 704);
	snprintf(p->dirs.pvi_cdir.vip_path, sizeof p->dirs.pvi_cdir.vip_path, "/");
	add_region(p, 0x100000000ULL, 0x4000, 9130001, 1706512,
	    "/System/Applications/Notes.app/Contents/MacOS/Notes");
	add_region(p, 0x100200000ULL, 0x8000, 1152921500312345678ULL, 1230912, "/usr/lib/dyld");
	/* A library outside the system's shared cache, mapped twice: listed once. */
	add_region(p, 0x100300000ULL, 0x80000, 3220175, 4715328, "/opt/homebrew/lib/libcrypto.3.dylib");
	add_region(p, 0x100400000ULL, 0x10000, 3220175, 4715328, "/opt/homebrew/lib/libcrypto.3.dylib");
	add_region(p, 0x300000000ULL, 0x100000, 9130777, 30552,
	    "/Library/Preferences/Logging/.plist-cache.aBcD1234");
	add_region(p, 0x310000000ULL, 0x1000000, 1152921500312400123ULL, 31358912,
	    "/usr/share/icu/icudt72l.dat");
	notes_files(p);
	notes_sockets(p);
}

/* A second process: a 32-character name, and a client of Notes's server on 8080. */
static void
build_helper(struct fake_proc *p)
{
	p->pid = HELPER;
	p->bsd.pbi_uid = 0;	/* root: every system names it so, as for sudo lsof */
	memcpy(p->bsd.pbi_comm, "com.apple.WebKi", 16);
	memcpy(p->bsd.pbi_name, "com.apple.WebKit.Networking.Help", 32);	/* no NUL */
	fill_stat(&p->dirs.pvi_cdir.vip_vi.vi_stat, S_IFDIR | 0755, DEV(1, 18), 2, 704);
	snprintf(p->dirs.pvi_cdir.vip_path, sizeof p->dirs.pvi_cdir.vip_path, "/");
	add_region(p, 0x100000000ULL, 0x4000, 9130420, 160816,
	    "/System/Library/Frameworks/WebKit.framework/Versions/A/XPCServices/"
	    "com.apple.WebKit.Networking.xpc/Contents/MacOS/com.apple.WebKit.Networking");
	set_v4(add_inet(p, 3, AF_INET, SOCKINFO_TCP, IPPROTO_TCP, 0x5fd1c7a31e0b8b21ULL),
	    "127.0.0.1", 50200, "127.0.0.1", 8080);
	set_state(p, TSI_S_ESTABLISHED);
}

/*
 * The daemon of a real capture: `sudo lsof -nPp 71881` on macOS 12.1, published
 * by yteraoka in "telepresence 入門 (1)" (2021-12-31). The fake holds what that
 * Mac's kernel must have said; tests/fixtures/fakemac/telepresence-p.txt is
 * the table as published.
 */
static void
build_telepresence(struct fake_proc *p)
{
	static const char log[] = "/Users/teraoka/Library/Logs/telepresence/daemon.log";
	static const char sock[] = "/var/run/telepresence-daemon.socket";
	struct socket_info *si;
	struct fake_fd *f;

	p->pid = TELEPRESENCE;
	snprintf(p->bsd.pbi_name, sizeof p->bsd.pbi_name, "telepresence");
	fill_stat(&p->dirs.pvi_cdir.vip_vi.vi_stat, S_IFDIR | 0755, DEV(1, 9), 47512210, 512);
	snprintf(p->dirs.pvi_cdir.vip_path, sizeof p->dirs.pvi_cdir.vip_path,
	    "/Users/teraoka/ghq/github.com/yteraoka/terraform-examples/gcp/gke");
	add_region9(p, 0x100000000ULL, 74147315, 77231136, "/Users/teraoka/bin/telepresence");
	add_region9(p, 0x105000000ULL, 74099023, 46096, "/Library/Preferences/Logging/.plist-cache.1VLWA6Q0");
	add_region9(p, 0x106000000ULL, 1152921500312811906ULL, 2160672, "/usr/lib/dyld");
	add_region9(p, 0x107000000ULL, 74099068, 32768, "/private/var/db/mds/messages/se_SecurityMessages");
	add_region9(p, 0x108000000ULL, 74099365, 114087, "/private/var/db/analyticsd/events.whitelist");
	add_region9(p, 0x109000000ULL, 1152921500312823656ULL, 29638976, "/usr/share/icu/icudt68l.dat");
	add_vnode(p, 0, FREAD, 0, S_IFCHR | 0666, DEV(3, 2), 317, 0, "/dev/null");
	add_vnode(p, 1, FWRITE, 2099, S_IFREG | 0644, DEV(1, 9), 74169276, 2099, log);
	add_vnode(p, 2, FWRITE, 2099, S_IFREG | 0644, DEV(1, 9), 74169276, 2099, log);
	add_vnode(p, 6, FWRITE, 2099, S_IFREG | 0644, DEV(1, 9), 74169276, 2099, log);
	f = add_fd(p, 3, PROX_FDTYPE_KQUEUE, FREAD | FWRITE, 0);
	f->info.kqueue.kqueueinfo.kq_state = 0xa;
	add_pipe(p, 4, 0xd904b24160bf46ffULL, 0x1ac3420f1be0c501ULL);
	add_pipe(p, 5, 0x1ac3420f1be0c501ULL, 0xd904b24160bf46ffULL);
	si = add_socket(p, 7, AF_SYSTEM, SOCKINFO_KERN_CTL, 0x4715bfb02f5e8bd7ULL);
	si->soi_proto.pri_kern_ctl.kcsi_id = 4;
	si->soi_proto.pri_kern_ctl.kcsi_unit = 4;
	snprintf(si->soi_proto.pri_kern_ctl.kcsi_name, sizeof si->soi_proto.pri_kern_ctl.kcsi_name,
	    "com.apple.net.utun_control");
	add_pipe(p, 8, 0x77446814497e3b77ULL, 0x67dbd1c5970420d8ULL);
	add_unix(p, 9, 0x4715bfb02f991c3fULL, 0, sock);
	add_pipe(p, 10, 0x67dbd1c5970420d8ULL, 0x77446814497e3b77ULL);
	add_fd(p, 11, PROX_FDTYPE_NETPOLICY, FREAD | FWRITE, 0);
	add_unix(p, 12, 0x4715bfb02f991f5fULL, 0, sock);
	add_unix(p, 13, 0x4715bfb02f9944dfULL, 0x4715bfb02f9945a7ULL, NULL);
	set_v4(add_inet(p, 14, AF_INET, SOCKINFO_IN, IPPROTO_UDP, 0x4715bfb4fc950c67ULL),
	    "0.0.0.0", 51812, "0.0.0.0", 0);
	add_unix(p, 15, 0x4715bfb02f993477ULL, 0x4715bfb02f99353fULL, NULL);
}

/* The kernel lists a process's descriptors in order. */
static int
by_fd(const void *a, const void *b)
{
	return ((const struct fake_fd *)a)->fd - ((const struct fake_fd *)b)->fd;
}

static void
build(void)
{
	size_t i;

	memset(procs, 0, sizeof procs);
	build_notes(&procs[0]);
	build_helper(&procs[1]);
	build_telepresence(&procs[2]);
	for (i = 0; i < sizeof procs / sizeof procs[0]; i++)
		qsort(procs[i].fds, procs[i].nfds, sizeof procs[i].fds[0], by_fd);
	ready = 1;
}
