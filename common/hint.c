/*
 * hint - one explanation for each error the servers share.
 *
 * These only look things up and word them; the programs print them, after
 * naming the call that failed (STYLE.md: "prog: what failed: reason. hint").
 */
#include "hint.h"
#include "addr.h"
#include "fdtab.h"
#include "i18n.h"
#include "msg.h"
#include "port.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define HINT_SUGGESTED_PORT 8080	/* the port the worksheets use */
/* Every socket on a port, whoever holds it (a %u for the port). */
#if defined(__linux__)
#define HINT_SOCKETS_COMMAND "ss -tan 'sport = :%u'"
#else
#define HINT_SOCKETS_COMMAND "netstat -an -p tcp | grep '[.]%u '"
#endif

#ifdef __APPLE__
#define HINT_MACOS 1
#else
#define HINT_MACOS 0
#endif

/* EADDRINUSE: who holds the port, where we may see them. */
static void
hint_port_in_use(unsigned port, char *buf, size_t size)
{
	struct fdtab_socket holder;
	char command[FDTAB_COMMAND_MAX * 4];

	if (fdtab_listener(port, &holder) == 1) {
		msg_escape(holder.command, strnlen(holder.command, sizeof holder.command),
		    command, sizeof command);
		if (holder.pid == (long)getpid())
			snprintf(buf, size, _("This program (pid %ld) already listens on port %u "
			    "itself: give each listener a port of its own (or 0 to let the OS "
			    "choose)"), holder.pid, port);
		else
			snprintf(buf, size, _("Port %u is held by pid %ld (%s); try another port "
			    "(or 0 to let the OS choose), or stop it. See it with: lsof -nP "
			    "-iTCP:%u -sTCP:LISTEN"), port, holder.pid, command, port);
	} else if (HINT_MACOS && port == 55555)	/* FACTS: restricted since Big Sur */
		snprintf(buf, size, "%s", _("macOS keeps TCP port 55555 to itself (since Big "
		    "Sur): bind() fails although no process holds it, and lsof shows nothing. Use "
		    "another port (or 0 to let the OS choose)"));
	else if (geteuid() != 0)
		snprintf(buf, size, _("Another socket already listens on port %u, in a process "
		    "we cannot see (another user's?); as root, see it with: lsof -nP -iTCP:%u "
		    "-sTCP:LISTEN (or use another port, or 0 to let the OS choose)"), port, port);
	else {
		snprintf(command, sizeof command, HINT_SOCKETS_COMMAND, port);
		snprintf(buf, size, _("Another socket already holds port %u, but no process we "
		    "can see has it, even as root (one in another container?); see it with: "
		    "%s (or use another port, or 0 to let the OS choose)"), port, command);
	}
}

/* EACCES: this OS's privileged ports, read live. */
static void
hint_privileged(const struct sockaddr *addr, char *buf, size_t size)
{
	unsigned port = addr_port(addr), start = 1024, suggest;

	if (port_unprivileged_start(&start) == -1)
		start = 1024;
	suggest = start <= HINT_SUGGESTED_PORT ? HINT_SUGGESTED_PORT : start;
	switch (port_bind_privilege(port, start)) {
	case PORT_ROOT:
		snprintf(buf, size, _("Ports below %u are privileged here: only root may bind "
		    "them. Try a port from %u up, such as %u"), start, start, suggest);
		break;
	case PORT_ROOT_UNLESS_WILDCARD:
		snprintf(buf, size, _("Ports below %u are privileged here for a specific "
		    "address such as 127.0.0.1 (macOS lets anyone bind 0.0.0.0, which opens "
		    "the port to the network). Try a port from %u up, such as %u"), start,
		    start, suggest);
		break;
	default:
		snprintf(buf, size, _("Port %u is not a privileged port here (those are below "
		    "%u), so something else refused it: a security policy or sandbox. Try "
		    "another port, such as %u"), port, start, suggest);
	}
}

const char *
hint_bind(int err, const struct sockaddr *addr, char *buf, size_t size)
{
	if (size == 0)
		return buf;
	switch (err) {
	case EADDRINUSE:
		hint_port_in_use(addr_port(addr), buf, size);
		break;
	case EACCES:
		hint_privileged(addr, buf, size);
		break;
	case EADDRNOTAVAIL:
		snprintf(buf, size, "%s", _("No network interface of this machine has that "
		    "address. Use 127.0.0.1 (this machine only), or an address that ip addr "
		    "(Linux) or ifconfig (macOS) lists"));
		break;
	case EAFNOSUPPORT:
		snprintf(buf, size, "%s", _("This machine has that address family turned off. "
		    "Use 127.0.0.1"));
		break;
	default:
		snprintf(buf, size, "%s", _("Try another port, or the address 127.0.0.1"));
	}
	return buf;
}

const char *
hint_bind_udp(int err, const struct sockaddr *addr, char *buf, size_t size)
{
	struct fdtab_socket holder;
	char command[FDTAB_COMMAND_MAX * 4];
	unsigned port = addr_port(addr);

	if (size == 0 || err != EADDRINUSE)
		return hint_bind(err, addr, buf, size);
	if (fdtab_udp_holder(port, &holder) == 1) {
		msg_escape(holder.command, strnlen(holder.command, sizeof holder.command),
		    command, sizeof command);
		snprintf(buf, size, _("UDP port %u is held by pid %ld (%s); try another port "
		    "(or 0 to let the OS choose), or stop it. See it with: lsof -nP -iUDP:%u"),
		    port, holder.pid, command, port);
	} else
		snprintf(buf, size, _("Another UDP socket already holds port %u, in a process "
		    "we cannot see; see it with: lsof -nP -iUDP:%u (as root), or use another "
		    "port, or 0 to let the OS choose"), port, port);
	return buf;
}

const char *
hint_fd_limit(int err, unsigned per_client, size_t clients, char *buf, size_t size)
{
	struct rlimit limit;
	int known;

	if (size == 0)
		return buf;
	known = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY;
	if (err == ENFILE)
		snprintf(buf, size, "%s", _("The whole system is out of open files, not just "
		    "this process. New clients wait in the kernel's queue until files are freed"));
	else if (clients == 0 && known)
		snprintf(buf, size, _("This process may hold only %llu descriptors (ulimit -n), "
		    "and needs %u per client on top of those it holds already, so no client can "
		    "ever be served at this limit. Raise it (for example ulimit -n 256) and start "
		    "it again"), (unsigned long long)limit.rlim_cur, per_client);
	else if (clients == 0)
		snprintf(buf, size, _("This process holds all the descriptors it may (ulimit "
		    "-n), and needs %u per client on top of those it holds already, so no client "
		    "can ever be served at this limit. Raise it (for example ulimit -n 256) and "
		    "start it again"), per_client);
	else if (known)
		snprintf(buf, size, _("This process may hold only %llu descriptors (ulimit -n), "
		    "%u per client. New clients wait in the kernel's queue until one leaves"),
		    (unsigned long long)limit.rlim_cur, per_client);
	else
		snprintf(buf, size, _("This process holds all the descriptors it may (ulimit "
		    "-n), %u per client. New clients wait in the kernel's queue until one "
		    "leaves"), per_client);
	return buf;
}
