/*
 * fdtab - file descriptors and sockets as lsof shows them: the parts that
 * are the same on every platform.
 *
 * lsof writes a descriptor as its number followed by the access mode it
 * was opened with: r (read), w (write) or u (both). Sockets are always u.
 */
#include "fdtab.h"
#include "addr.h"

#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
		return "could not be read, even as root: the kernel keeps some (such as a "
		    "container's pid 1) from every user";
	return hidden == 1 ? "could not be read: it belongs to another user" :
	    "could not be read: they belong to other users";
}

int
fdtab_listener(unsigned port, struct fdtab_socket *holder)
{
	struct fdtab_socket *socks;
	size_t count, i;
	int hidden, found = 0;

	if (fdtab_sockets(&socks, &count, &hidden) == -1)
		return -1;
	for (i = 0; i < count && !found; i++) {
		if (socks[i].proto == IPPROTO_TCP && strcmp(socks[i].state, "LISTEN") == 0 &&
		    addr_port((struct sockaddr *)&socks[i].local) == port) {
			*holder = socks[i];
			found = 1;
		}
	}
	free(socks);
	return found;
}
