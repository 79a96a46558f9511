/*
 * fdtab - file descriptors and sockets as lsof shows them: the parts that
 * are the same on every platform.
 *
 * lsof writes a descriptor as its number followed by the access mode it
 * was opened with: r (read), w (write) or u (both). Sockets are always u.
 */
#include "fdtab.h"
#include "addr.h"
#include "i18n.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

const char *
fdtab_proto_name(int proto)
{
	switch (proto) {
	case IPPROTO_IP: return "IP";
	case IPPROTO_ICMP: return "ICMP";
	case IPPROTO_IGMP: return "IGMP";
	case IPPROTO_TCP: return "TCP";
	case IPPROTO_UDP: return "UDP";
	case IPPROTO_ICMPV6: return "ICMPV6";
	case IPPROTO_RAW: return "RAW";
	default: return NULL;
	}
}

char
fdtab_mode_letter(int open_flags)
{
	switch (open_flags & O_ACCMODE) {
	case O_RDONLY:
		return 'r';
	case O_WRONLY:
		return 'w';
	default:
		return 'u';
	}
}

int
fdtab_format_fd(int fd, char mode, char *buf, size_t size)
{
	int n;

	/* lsof's FD column is 4 characters wide: it keeps the last three digits. */
	if (fd > 9999)
		n = snprintf(buf, size, "*%03d%c", fd % 1000, mode);
	else
		n = snprintf(buf, size, "%d%c", fd, mode);
	if (n < 0 || (size_t)n >= size) {
		errno = ENOSPC;
		return -1;
	}
	return 0;
}

int
fdtab_fd_column(int fd, char *buf, size_t size)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags == -1)
		return -1;
	return fdtab_format_fd(fd, fdtab_mode_letter(flags), buf, size);
}

int
fdtab_set_nonblocking(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags == -1)
		return -1;
	if ((flags & O_NONBLOCK) != 0)
		return 0;
	return fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1 ? -1 : 0;
}

void
fdtab_proc_free(struct fdtab_proc *proc)
{
	free(proc->entries);
	proc->entries = NULL;
	proc->count = 0;
}

/* Linux's TCP states by number (include/net/tcp_states.h), spelled as lsof does. */
static const char *const fdtab_linux_states[] = {
	"", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
};

/* Read exactly count hex digits from s; -1 if any is not hex. */
static long long
fdtab_hex(const char *s, size_t count)
{
	long long value = 0;
	size_t i;
	int d;

	for (i = 0; i < count; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else
			return -1;
		value = value * 16 + d;
	}
	return value;
}

/*
 * "0100007F:1F90": the address as the kernel stores it in memory (32-bit
 * words in host byte order), then the port in plain hex.
 */
static int
fdtab_parse_endpoint(const char *s, size_t len, int family, struct sockaddr_storage *ss)
{
	size_t addr_len = family == AF_INET ? 8 : 32, i;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	unsigned char *bytes;
	long long word, port;
	uint32_t host_word;

	if (len != addr_len + 5 || s[addr_len] != ':')
		return -1;
	port = fdtab_hex(s + addr_len + 1, 4);
	if (port < 0)
		return -1;
	memset(ss, 0, sizeof *ss);
	ss->ss_family = (sa_family_t)family;
	bytes = family == AF_INET ? (unsigned char *)&sin->sin_addr :
	    (unsigned char *)&sin6->sin6_addr;
	for (i = 0; i < addr_len / 8; i++) {
		word = fdtab_hex(s + 8 * i, 8);
		if (word < 0)
			return -1;
		/* Each word was written from the host's memory: copy it back as is. */
		host_word = (uint32_t)word;
		memcpy(bytes + 4 * i, &host_word, 4);
	}
	if (family == AF_INET)
		sin->sin_port = htons((unsigned short)port);
	else
		sin6->sin6_port = htons((unsigned short)port);
	return 0;
}

/* The next whitespace-separated field of line[*pos..len). */
static const char *
fdtab_field(const char *line, size_t len, size_t *pos, size_t *field_len)
{
	size_t start;

	while (*pos < len && (line[*pos] == ' ' || line[*pos] == '\t'))
		(*pos)++;
	start = *pos;
	while (*pos < len && line[*pos] != ' ' && line[*pos] != '\t' && line[*pos] != '\n')
		(*pos)++;
	*field_len = *pos - start;
	return *field_len ? line + start : NULL;
}

void
fdtab_inet_name(const struct fdtab_socket *s, const char *stateless_tail, char *buf, size_t size)
{
	char pair[ADDR_PAIR_STRLEN];

	if ((s->remote.ss_family != 0 ? addr_format_pair((const struct sockaddr *)&s->local,
	    (const struct sockaddr *)&s->remote, pair, sizeof pair) :
	    addr_format((const struct sockaddr *)&s->local, pair, sizeof pair)) == -1)
		pair[0] = '\0';
	if (s->state[0] != '\0')
		snprintf(buf, size, "%s (%s)", pair, s->state);
	else
		snprintf(buf, size, "%s%s", pair, stateless_tail);
}

int
fdtab_parse_inet_line(const char *line, size_t len, int family, int proto,
    struct fdtab_socket *sock, unsigned long *inode)
{
	const char *f;
	size_t pos = 0, flen;
	long long state;
	unsigned long value = 0;
	int i;

	memset(sock, 0, sizeof *sock);
	sock->pid = -1;
	/* Fields: sl local rem st tx:rx tr:tm retrnsmt uid timeout inode ... */
	f = fdtab_field(line, len, &pos, &flen);
	if (f == NULL || f[flen - 1] != ':')
		goto bad;	/* the header line, or garbage */
	f = fdtab_field(line, len, &pos, &flen);
	if (f == NULL || fdtab_parse_endpoint(f, flen, family, &sock->local) == -1)
		goto bad;
	f = fdtab_field(line, len, &pos, &flen);
	if (f == NULL || fdtab_parse_endpoint(f, flen, family, &sock->remote) == -1)
		goto bad;
	f = fdtab_field(line, len, &pos, &flen);
	state = f != NULL && flen == 2 ? fdtab_hex(f, 2) : -1;
	if (state < 0)
		goto bad;
	for (i = 0; i < 5; i++)	/* tx:rx tr:tm retrnsmt uid timeout */
		if (fdtab_field(line, len, &pos, &flen) == NULL)
			goto bad;
	f = fdtab_field(line, len, &pos, &flen);
	if (f == NULL || flen > 19)
		goto bad;
	for (i = 0; (size_t)i < flen; i++) {
		if (f[i] < '0' || f[i] > '9')
			goto bad;
		value = value * 10 + (unsigned long)(f[i] - '0');
	}
	*inode = value;
	sock->proto = proto;
	snprintf(sock->type, sizeof sock->type, "%s", family == AF_INET ? "IPv4" : "IPv6");
	/* UDP has no connection state; its "state" 07 just means unconnected. */
	if (proto == IPPROTO_TCP && state < (long long)(sizeof fdtab_linux_states /
	    sizeof fdtab_linux_states[0]))
		snprintf(sock->state, sizeof sock->state, "%s", fdtab_linux_states[state]);
	/* A remote end of 0.0.0.0:0 (or [::]:0) means "none". */
	if (addr_port((struct sockaddr *)&sock->remote) == 0 &&
	    addr_is_wildcard((struct sockaddr *)&sock->remote))
		memset(&sock->remote, 0, sizeof sock->remote);
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

const char *
fdtab_hidden_reason(int hidden)
{
	if (geteuid() == 0)
		return _("could not be read, even as root: the kernel keeps some (such as a "
		    "container's pid 1) from every user");
	return hidden == 1 ? _("could not be read: it belongs to another user") :
	    _("could not be read: they belong to other users");
}

/* The first socket of proto bound to port (TCP: only a LISTEN one) that a process we can see holds. */
static int
fdtab_holder(int proto, unsigned port, struct fdtab_socket *holder)
{
	struct fdtab_socket *socks;
	size_t count, i;
	int hidden, found = 0;

	if (fdtab_sockets(&socks, &count, &hidden) == -1)
		return -1;
	for (i = 0; i < count && !found; i++) {
		if (socks[i].proto == proto && addr_port((struct sockaddr *)&socks[i].local) == port &&
		    (proto != IPPROTO_TCP || strcmp(socks[i].state, "LISTEN") == 0)) {
			*holder = socks[i];
			found = 1;
		}
	}
	free(socks);
	return found;
}

int
fdtab_listener(unsigned port, struct fdtab_socket *holder)
{
	return fdtab_holder(IPPROTO_TCP, port, holder);
}

int
fdtab_udp_holder(unsigned port, struct fdtab_socket *holder)
{
	return fdtab_holder(IPPROTO_UDP, port, holder);
}

#define FDTAB_COMMAND_WIDTH 9	/* lsof cuts COMMAND to 9 characters unless +c */

/* One byte that lsof will not print as it is (safepup in lsof's misc.c); out holds 5. */
static void
fdtab_unprintable(unsigned char c, char out[5])
{
	if (c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t')
		snprintf(out, 5, "\\%c", c == '\b' ? 'b' : c == '\f' ? 'f' : c == '\n' ? 'n' :
		    c == '\r' ? 'r' : 't');
	else if (c < 0x20)
		snprintf(out, 5, "^%c", c + 0x40);
	else if (c == '\\')
		snprintf(out, 5, "\\\\");
	else
		snprintf(out, 5, "\\x%02x", c);
}

/* Append piece to buf[*used..size) if it all fits; returns 0 if it did not. */
static int
fdtab_append(char *buf, size_t size, size_t *used, const char *piece, size_t len)
{
	if (*used + len + 1 > size)
		return 0;
	memcpy(buf + *used, piece, len);
	*used += len;
	buf[*used] = '\0';
	return 1;
}

size_t
fdtab_escape_name(const char *s, char *buf, size_t size)
{
	size_t used = 0, left = strlen(s), i;
	char piece[5];
	wchar_t wc;
	int len;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	for (; *s != '\0'; s += len, left -= (size_t)len) {
		len = MB_CUR_MAX > 1 ? mblen(s, left) : 1;
		if (len > 1) {
			/* A multibyte character: as it is if printable, else each byte escaped. */
			if (mbtowc(&wc, s, left) == len && iswprint((wint_t)wc)) {
				if (!fdtab_append(buf, size, &used, s, (size_t)len))
					break;
				continue;
			}
			for (i = 0; i < (size_t)len; i++) {
				fdtab_unprintable((unsigned char)s[i], piece);
				if (!fdtab_append(buf, size, &used, piece, strlen(piece)))
					return used;
			}
			continue;
		}
		len = 1;
		if (*s != '\\' && (unsigned char)*s < 0x80 && isprint((unsigned char)*s)) {
			if (!fdtab_append(buf, size, &used, s, 1))
				break;
		} else {
			fdtab_unprintable((unsigned char)*s, piece);
			if (!fdtab_append(buf, size, &used, piece, strlen(piece)))
				break;
		}
	}
	return used;
}

size_t
fdtab_escape_command(const char *s, int width, char *buf, size_t size)
{
	size_t used = 0;
	char piece[5];
	int shown = 0;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	for (; *s != '\0'; s++) {
		if (*s != '\\' && *s != ' ' && (unsigned char)*s < 0x80 && isprint((unsigned char)*s))
			snprintf(piece, sizeof piece, "%c", *s);
		else
			fdtab_unprintable((unsigned char)*s, piece);
		if (shown + (int)strlen(piece) > width ||
		    !fdtab_append(buf, size, &used, piece, strlen(piece)))
			break;
		shown += (int)strlen(piece);
	}
	return used;
}

void
fdtab_fd_parts(const char *fd, char *name, size_t size, char *mode, char *lock)
{
	size_t n = strcspn(fd, "-");

	*mode = *lock = ' ';
	if (fd[0] == '*' || (fd[0] >= '0' && fd[0] <= '9')) {
		n = fd[0] == '*' ? 1 + strspn(fd + 1, "0123456789") : strspn(fd, "0123456789");
		if (fd[n] != '\0')
			*mode = fd[n];
		if (fd[n] != '\0' && fd[n + 1] != '\0')
			*lock = fd[n + 1];
	} else if (fd[n] == '-') {
		*mode = '-';
		if (fd[n + 1] != '\0')
			*lock = fd[n + 1];
	}
	snprintf(name, size, "%.*s", (int)n, fd);
}

static int
fdtab_max(int a, int b)
{
	return a > b ? a : b;
}

void
fdtab_widths_start(struct fdtab_widths *w)
{
	/* The titles: COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE (FD with its 2 letters). */
	w->command = 7;
	w->pid = 3;
	w->user = 4;
	w->fd = 4;
	w->type = 4;
	w->device = 6;
	w->size_off = 8;
	w->node = 4;
}

/* 1 for an FD name lsof stores with a leading blank, so that it takes 4 places. */
static int
fdtab_blank_name(const char *name)
{
	static const char *const names[] = { "cwd", "rtd",
#ifdef __APPLE__
	    "txt", "twd", "err",
#endif
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

void
fdtab_widths_fit(struct fdtab_widths *w, const char *command, long pid, const char *user,
    const struct fdtab_entry *e)
{
	char shown[FDTAB_COMMAND_MAX * 4], number[FDTAB_COLUMN_STRLEN], mode, lock;

	w->command = fdtab_max(w->command,
	    (int)fdtab_escape_command(command, FDTAB_COMMAND_WIDTH, shown, sizeof shown));
	w->pid = fdtab_max(w->pid, snprintf(shown, sizeof shown, "%ld", pid));
	w->user = fdtab_max(w->user, (int)strlen(user));
	fdtab_fd_parts(e->fd, number, sizeof number, &mode, &lock);
	/*
	 * lsof writes a descriptor number padded to 4 places ("%4d"), and a name
	 * as it keeps it: " cwd" and " rtd" with a blank in front (lsof.h CWD,
	 * RTD), and on macOS " txt", " twd" and " err" too (dproc.c).
	 */
	w->fd = fdtab_max(w->fd, (e->fd_num >= 0 || fdtab_blank_name(number) ?
	    fdtab_max(4, (int)strlen(number)) : (int)strlen(number)) + 2);
	w->type = fdtab_max(w->type, (int)strlen(e->type));
	w->device = fdtab_max(w->device, (int)strlen(e->device));
	w->size_off = fdtab_max(w->size_off, (int)strlen(e->size_off));
	w->node = fdtab_max(w->node, (int)strlen(e->node));
}

void
fdtab_format_header(const struct fdtab_widths *w, char *buf, size_t size)
{
	snprintf(buf, size, "%-*.*s %*s %*s %*s   %*s %*s %*s %*s %s", w->command, w->command,
	    "COMMAND", w->pid, "PID", w->user, "USER", w->fd - 2, "FD", w->type, "TYPE",
	    w->device, "DEVICE", w->size_off, "SIZE/OFF", w->node, "NODE", "NAME");
}

void
fdtab_format_row(const struct fdtab_widths *w, const char *command, long pid, const char *user,
    const struct fdtab_entry *e, char *buf, size_t size)
{
	char shown[FDTAB_COMMAND_MAX * 4], name[FDTAB_NAME_MAX * 4], number[FDTAB_COLUMN_STRLEN];
	char mode, lock;

	fdtab_escape_command(command, FDTAB_COMMAND_WIDTH, shown, sizeof shown);
	fdtab_escape_name(e->name, name, sizeof name);
	fdtab_fd_parts(e->fd, number, sizeof number, &mode, &lock);
	snprintf(buf, size, "%-*s %*ld %*s %*s%c%c %*s %*s %*s %*s %s", w->command, shown,
	    w->pid, pid, w->user, user, w->fd - 2, number, mode, lock, w->type, e->type,
	    w->device, e->device, w->size_off, e->size_off, w->node, e->node, name);
}

/* printf into spec->error and return -1 with errno EINVAL. */
static int
fdtab_spec_fail(struct fdtab_inet_spec *spec, const char *why)
{
	snprintf(spec->error, sizeof spec->error, "%s", why);
	errno = EINVAL;
	return -1;
}

/* "@HOST" at s[0..len): an IPv4 address, [IPv6], or a name for later. Returns its length, or -1. */
static int
fdtab_spec_host(const char *s, size_t len, struct fdtab_inet_spec *spec)
{
	size_t end = 0;
	char text[INET6_ADDRSTRLEN + 2];
	struct sockaddr_in *in4 = (struct sockaddr_in *)&spec->addrs[0];
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&spec->addrs[0];

	if (len > 0 && s[0] == '[') {
		while (end < len && s[end] != ']')
			end++;
		if (end == len || end - 1 >= sizeof text)
			return -1;
		snprintf(text, sizeof text, "%.*s", (int)(end - 1), s + 1);
		memset(in6, 0, sizeof *in6);
		if (spec->family == AF_INET || inet_pton(AF_INET6, text, &in6->sin6_addr) != 1)
			return -1;
		in6->sin6_family = AF_INET6;
		spec->naddrs = 1;
		return (int)end + 1;
	}
	while (end < len && s[end] != ':')
		end++;
	if (end == 0 || end >= sizeof spec->host)
		return -1;
	snprintf(text, sizeof text, "%.*s", end < sizeof text ? (int)end : 0, s);
	memset(in4, 0, sizeof *in4);
	if (end < sizeof text && inet_pton(AF_INET, text, &in4->sin_addr) == 1) {
		if (spec->family == AF_INET6)
			return -1;
		in4->sin_family = AF_INET;
		spec->naddrs = 1;
	} else
		snprintf(spec->host, sizeof spec->host, "%.*s", (int)end, s);
	return (int)end;
}

/* How many of s[0..len) are decimal digits, from the start. */
static size_t
fdtab_digits(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

/* The value of the n decimal digits at s (n is at most 5 here). */
static unsigned long
fdtab_number(const char *s, size_t n)
{
	unsigned long value = 0;
	size_t i;

	for (i = 0; i < n; i++)
		value = value * 10 + (unsigned long)(s[i] - '0');
	return value;
}

/* ":PORTS" after the colon, s[0..len): numbers, LOW-HIGH and service names, comma-separated. */
static int
fdtab_spec_ports(const char *s, size_t len, struct fdtab_inet_spec *spec)
{
	size_t i = 0, start, end;
	unsigned long low, high;
	struct servent *se;
	char name[64];

	if (len == 0)
		return fdtab_spec_fail(spec, _("no port after ':'"));
	while (i < len) {
		for (start = i; i < len && s[i] != ','; i++)
			;
		end = i++;	/* past the comma */
		if (end == start || spec->nports == FDTAB_SPEC_PORTS)
			return fdtab_spec_fail(spec, _("an empty port, or more than 16 of them"));
		if (s[start] >= '0' && s[start] <= '9') {
			size_t dash = start + fdtab_digits(s + start, end - start), second;
			if (dash - start > 5 || (dash < end && s[dash] != '-'))
				return fdtab_spec_fail(spec, _("a port is a number 0-65535, or LOW-HIGH"));
			low = fdtab_number(s + start, dash - start);
			high = low;
			if (dash < end) {
				second = fdtab_digits(s + dash + 1, end - dash - 1);
				if (second != end - dash - 1 || second == 0 || second > 5)
					return fdtab_spec_fail(spec, _("a port range is written LOW-HIGH, like 8000-8100"));
				high = fdtab_number(s + dash + 1, second);
			}
			if (high > 65535 || low > high)
				return fdtab_spec_fail(spec, _("ports are 0-65535, and a range goes up"));
		} else {
			if (end - start >= sizeof name)
				return fdtab_spec_fail(spec, _("a service name that long is unknown"));
			snprintf(name, sizeof name, "%.*s", (int)(end - start), s + start);
			se = getservbyname(name, spec->proto == IPPROTO_UDP ? "udp" : "tcp");
			if (se == NULL && spec->proto == 0)
				se = getservbyname(name, "udp");
			if (se == NULL)
				return fdtab_spec_fail(spec, _("no service has that name in the services database"));
			low = high = ntohs((unsigned short)se->s_port);
		}
		spec->ports[spec->nports].low = (unsigned)low;
		spec->ports[spec->nports++].high = (unsigned)high;
	}
	return 0;
}

int
fdtab_parse_inet_spec(const char *s, size_t len, struct fdtab_inet_spec *spec)
{
	size_t i = 0, p;
	int n;

	memset(spec, 0, sizeof *spec);
	if (i < len && (s[i] == '4' || s[i] == '6'))
		spec->family = s[i++] == '4' ? AF_INET : AF_INET6;
	for (p = i; i < len && s[i] != '@' && s[i] != ':'; i++)
		;
	if (i - p == 3 && (strncasecmp(s + p, "tcp", 3) == 0 || strncasecmp(s + p, "udp", 3) == 0))
		spec->proto = strncasecmp(s + p, "tcp", 3) == 0 ? IPPROTO_TCP : IPPROTO_UDP;
	else if (i > p)
		return fdtab_spec_fail(spec, _("the protocol is TCP or UDP, like TCP:8080"));
	if (i < len && s[i] == '@') {
		if ((n = fdtab_spec_host(s + i + 1, len - i - 1, spec)) <= 0)
			return fdtab_spec_fail(spec, _("after '@' give an address, like @127.0.0.1 or "
			    "@[::1], or a host name"));
		i += 1 + (size_t)n;
	}
	if (i < len && s[i] != ':')
		return fdtab_spec_fail(spec, _("after the host comes ':' and the port"));
	if (i < len)
		return fdtab_spec_ports(s + i + 1, len - i - 1, spec);
	return 0;
}

int
fdtab_inet_spec_resolve(struct fdtab_inet_spec *spec)
{
	struct addrinfo hints, *res, *ai;
	int rc;

	if (spec->host[0] == '\0')
		return 0;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = spec->family ? spec->family : AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(spec->host, NULL, &hints, &res)) != 0) {
		snprintf(spec->error, sizeof spec->error, "unknown host: %s", gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL && spec->naddrs < sizeof spec->addrs / sizeof spec->addrs[0];
	    ai = ai->ai_next)
		memcpy(&spec->addrs[spec->naddrs++], ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

/* 1 if a and b are the same address (ports aside). */
static int
fdtab_same_host(const struct sockaddr *a, const struct sockaddr *b)
{
	if (a->sa_family != b->sa_family)
		return 0;
	if (a->sa_family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)a)->sin_addr,
		    &((const struct sockaddr_in *)b)->sin_addr, sizeof(struct in_addr)) == 0;
	return a->sa_family == AF_INET6 && memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
	    &((const struct sockaddr_in6 *)b)->sin6_addr, sizeof(struct in6_addr)) == 0;
}

int
fdtab_inet_spec_matches(const struct fdtab_inet_spec *spec, const struct fdtab_socket *s)
{
	const struct sockaddr *local = (const struct sockaddr *)&s->local;
	const struct sockaddr *remote = (const struct sockaddr *)&s->remote;
	int connected = s->remote.ss_family != 0, ok;
	size_t i;

	/*
	 * 4 and 6 select by the socket's own family, its TYPE: an IPv6 socket
	 * that also takes IPv4, printed with IPv4 addresses, is still IPv6.
	 */
	if ((spec->proto && s->proto != spec->proto) ||
	    (spec->family && (spec->family == AF_INET) != (strcmp(s->type, "IPv4") == 0)))
		return 0;
	if (spec->host[0] != '\0' || spec->naddrs > 0) {
		for (ok = 0, i = 0; i < spec->naddrs && !ok; i++)
			ok = fdtab_same_host(local, (const struct sockaddr *)&spec->addrs[i]) ||
			    (connected && fdtab_same_host(remote, (const struct sockaddr *)&spec->addrs[i]));
		if (!ok)
			return 0;
	}
	for (ok = (spec->nports == 0), i = 0; i < spec->nports && !ok; i++)
		ok = (addr_port(local) >= spec->ports[i].low && addr_port(local) <= spec->ports[i].high) ||
		    (connected && addr_port(remote) >= spec->ports[i].low &&
		    addr_port(remote) <= spec->ports[i].high);
	return ok;
}
