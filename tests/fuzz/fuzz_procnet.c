/*
 * fuzz_procnet - fdtab_parse_inet_line, one line of Linux's /proc/net/tcp,
 * tcp6, udp or udp6 (the fallback when sock_diag is not there).
 * The first byte picks the file; the rest is the line.
 * Properties: a parsed line gives a socket of the family asked for, a
 * printable TCP state (UDP has none), and addresses that format in lsof's
 * notation without control characters.
 */
#include "fuzz.h"
#include "addr.h"
#include "fdtab.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fdtab_socket sock;
	unsigned long inode;
	char name[ADDR_STRLEN];
	int family, proto;

	if (size == 0)
		return 0;
	family = data[0] & 1 ? AF_INET6 : AF_INET;
	proto = data[0] & 2 ? IPPROTO_UDP : IPPROTO_TCP;
	memset(&sock, 0, sizeof sock);
	if (fdtab_parse_inet_line((const char *)data + 1, size - 1, family, proto, &sock, &inode) == -1)
		return 0;
	CHECK(sock.local.ss_family == family);
	CHECK(sock.remote.ss_family == 0 || sock.remote.ss_family == family);
	CHECK(memchr(sock.state, '\0', sizeof sock.state) != NULL);
	CHECK(proto == IPPROTO_TCP || sock.state[0] == '\0');
	CHECK(!has_control(sock.state, strlen(sock.state)));
	CHECK(addr_format((struct sockaddr *)&sock.local, name, sizeof name) == 0);
	CHECK(!has_control(name, strlen(name)));
	if (sock.remote.ss_family != 0) {
		CHECK(addr_format((struct sockaddr *)&sock.remote, name, sizeof name) == 0);
		CHECK(!has_control(name, strlen(name)));
	}
	return 0;
}
