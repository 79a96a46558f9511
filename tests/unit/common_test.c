/*
 * common_test - unit checks for libportlab's parsers and formatters, for
 * the cases the lab programs cannot easily reach from a test: hostile bytes,
 * descriptors past 9999, every address shape. Run by tests/00-common.bats.
 * Prints one line per failed check and exits 1 if any failed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "addr.h"
#include "fdtab.h"
#include "hint.h"
#include "http.h"
#include "mem.h"
#include "msg.h"
#include "num.h"
#include "port.h"

static int failures;

#define CHECK(cond) do { \
	if (!(cond)) { \
		printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		failures++; \
	} \
} while (0)

#define CHECK_STR(got, want) do { \
	if (strcmp((got), (want)) != 0) { \
		printf("FAIL %s:%d: got \"%s\", want \"%s\"\n", __FILE__, \
		    __LINE__, (got), (want)); \
		failures++; \
	} \
} while (0)

static void
test_port_parse(void)
{
	static const char *bad[] = { "", " 80", "80 ", "-1", "+80", "0x50",
	    "80.5", "8080x", "１２" };
	unsigned port = 12345;
	size_t i;

	CHECK(port_parse("0", 1, &port) == 0 && port == 0);
	CHECK(port_parse("65535", 5, &port) == 0 && port == 65535);
	CHECK(port_parse("0008080", 7, &port) == 0 && port == 8080);
	CHECK(port_parse("65536", 5, &port) == -1 && errno == ERANGE);
	CHECK(port_parse("99999999999999999999999", 23, &port) == -1 && errno == ERANGE);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(port_parse(bad[i], strlen(bad[i]), &port) == -1 && errno == EINVAL);
	/* The length is the limit, not a NUL: "80" out of "8080". */
	CHECK(port_parse("8080", 2, &port) == 0 && port == 80);
	CHECK(strstr(port_parse_hint(ERANGE), "0-65535") != NULL);
	CHECK(strstr(port_parse_hint(EINVAL), "0-65535") != NULL);
}

static void
test_port_lists(void)
{
	static const char list[] = "8080,9000-9010,65535";

	CHECK(port_list_contains(list, strlen(list), 8080));
	CHECK(port_list_contains(list, strlen(list), 9000));
	CHECK(port_list_contains(list, strlen(list), 9005));
	CHECK(port_list_contains(list, strlen(list), 9010));
	CHECK(port_list_contains(list, strlen(list), 65535));
	CHECK(!port_list_contains(list, strlen(list), 8081));
	CHECK(!port_list_contains(list, strlen(list), 9011));
	CHECK(!port_list_contains("", 0, 0));
	CHECK(!port_list_contains("80,x", 4, 81));
	CHECK(!port_list_contains("70000", 5, 70000 % 65536));
	/* The length is the limit: "80" out of "8080". */
	CHECK(port_list_contains("8080", 2, 80));
	CHECK(port_iana_class(0) == PORT_WELL_KNOWN && port_iana_class(1023) == PORT_WELL_KNOWN);
	CHECK(port_iana_class(1024) == PORT_REGISTERED && port_iana_class(49151) == PORT_REGISTERED);
	CHECK(port_iana_class(49152) == PORT_DYNAMIC && port_iana_class(65535) == PORT_DYNAMIC);
	CHECK_STR(port_iana_info(PORT_DYNAMIC)->rfc6335, "Dynamic and/or Private Ports");
}

static void
test_num_parse(void)
{
	unsigned long value;

	CHECK(num_parse("5", 1, 3, &value) == -1 && errno == ERANGE);
	CHECK(num_parse("3", 1, 3, &value) == 0 && value == 3);
	CHECK(num_parse("18446744073709551616", 20, (unsigned long)-1, &value) == -1 &&
	    errno == ERANGE);
}

static void
check_addr(int family, const char *text, unsigned port, const char *want)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	char buf[ADDR_STRLEN];

	memset(&ss, 0, sizeof ss);
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET) {
		inet_pton(AF_INET, text, &sin->sin_addr);
		sin->sin_port = htons((unsigned short)port);
	} else {
		inet_pton(AF_INET6, text, &sin6->sin6_addr);
		sin6->sin6_port = htons((unsigned short)port);
	}
	CHECK(addr_format((struct sockaddr *)&ss, buf, sizeof buf) == 0);
	CHECK_STR(buf, want);
}

static void
test_addr_format(void)
{
	struct sockaddr_in a, b;
	char pair[ADDR_PAIR_STRLEN], small[8];

	check_addr(AF_INET, "127.0.0.1", 8080, "127.0.0.1:8080");
	check_addr(AF_INET, "0.0.0.0", 8080, "*:8080");
	check_addr(AF_INET, "127.0.0.1", 0, "127.0.0.1:*");
	check_addr(AF_INET6, "::1", 8080, "[::1]:8080");
	check_addr(AF_INET6, "::", 443, "*:443");
	check_addr(AF_INET6, "::ffff:127.0.0.1", 5173, "127.0.0.1:5173");
	check_addr(AF_INET6, "fe80::1:2", 65535, "[fe80::1:2]:65535");
	check_addr(AF_INET6, "1234:5678:9abc:def0:1234:5678:9abc:def0", 65535,
	    "[1234:5678:9abc:def0:1234:5678:9abc:def0]:65535");

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	b = a;
	a.sin_port = htons(56234);
	b.sin_port = htons(8080);
	CHECK(addr_format_pair((struct sockaddr *)&a, (struct sockaddr *)&b,
	    pair, sizeof pair) == 0);
	CHECK_STR(pair, "127.0.0.1:56234->127.0.0.1:8080");
	CHECK(addr_format((struct sockaddr *)&a, small, sizeof small) == -1 &&
	    errno == ENOSPC);
	a.sin_family = AF_UNIX;
	CHECK(addr_format((struct sockaddr *)&a, pair, sizeof pair) == -1 &&
	    errno == EAFNOSUPPORT);
}

static void
test_fd_column(void)
{
	char col[FDTAB_COLUMN_STRLEN];
	struct rlimit limit;
	int fds[2], rw_fd;

	CHECK(pipe(fds) == 0);
	CHECK(fdtab_fd_column(fds[0], col, sizeof col) == 0);
	CHECK(col[strlen(col) - 1] == 'r');
	CHECK(fdtab_fd_column(fds[1], col, sizeof col) == 0);
	CHECK(col[strlen(col) - 1] == 'w');
	rw_fd = open("/dev/null", O_RDWR);
	CHECK(fdtab_fd_column(rw_fd, col, sizeof col) == 0);
	CHECK(col[strlen(col) - 1] == 'u');
	close(fds[0]);
	CHECK(fdtab_fd_column(fds[0], col, sizeof col) == -1 && errno == EBADF);

	/* lsof keeps 4 characters: fd 10005 is shown as *005. */
	getrlimit(RLIMIT_NOFILE, &limit);
	if (limit.rlim_max == RLIM_INFINITY || limit.rlim_max > 10005) {
		limit.rlim_cur = 10006;
		CHECK(setrlimit(RLIMIT_NOFILE, &limit) == 0);
		CHECK(dup2(rw_fd, 10005) == 10005);
		CHECK(fdtab_fd_column(10005, col, sizeof col) == 0);
		CHECK_STR(col, "*005u");
		close(10005);
	} else
		printf("note: hard descriptor limit %llu; fd 10005 not checked\n",
		    (unsigned long long)limit.rlim_max);
	close(rw_fd);
	close(fds[1]);
}

static void
test_msg(void)
{
	char buf[64], tiny[8];

	msg_escape("hi\r\n\t\\\x1b[2J\x7f\xff", 12, buf, sizeof buf);
	CHECK_STR(buf, "hi\\r\\n\\t\\\\\\x1b[2J\\x7f\\xff");
	CHECK(msg_escape("abcdefghij", 10, tiny, sizeof tiny) == 7);
	CHECK_STR(tiny, "abcd...");
	CHECK(msg_escape("abcdefg", 7, tiny, sizeof tiny) == 7);
	CHECK_STR(tiny, "abcdefg");
	CHECK(msg_escape("\x01\x02", 2, tiny, sizeof tiny) == 7);
	CHECK_STR(tiny, "\\x01...");
	CHECK(msg_escape("abcdefgh", 8, tiny, 3) == 2);
	CHECK_STR(tiny, "ab");
	CHECK(msg_escape("x", 1, tiny, 0) == 0);

	CHECK_STR(msg_errno_name(EADDRINUSE), "EADDRINUSE");
	CHECK(msg_errno_name(-42) == NULL);
	CHECK(msg_format(buf, sizeof buf, "bind", EACCES, "Try 8080.") == 0);
	CHECK(strncmp(buf, "bind: ", 6) == 0 && strstr(buf, " [EACCES]. Try 8080.") != NULL);
	CHECK(msg_format(buf, sizeof buf, "lookup", 0, NULL) == 0);
	CHECK_STR(buf, "lookup.");
	CHECK(msg_format(tiny, sizeof tiny, "a long message", 0, NULL) == -1);
	CHECK(strlen(tiny) == sizeof tiny - 1);
}

static void
test_mem_grow(void)
{
	size_t capacity = 0, count;
	int *array = NULL, *more;

	for (count = 0; count < 100; count++) {
		more = mem_grow(array, count, &capacity, sizeof *array);
		CHECK(more != NULL && capacity > count);
		if (more == NULL)
			break;
		array = more;
		array[count] = (int)count;	/* ASan sees a write past the end */
	}
	CHECK(capacity == 128 && array[99] == 99);
	/* Room already there: the same array, untouched. */
	CHECK(mem_grow(array, 5, &capacity, sizeof *array) == array && capacity == 128);
	/* A jump: doubles until count + 1 fits. */
	more = mem_grow(array, 1000, &capacity, sizeof *array);
	CHECK(more != NULL && capacity == 1024);
	if (more != NULL)
		array = more;
	/* A size that overflows is refused, and the old array is left alone. */
	capacity = SIZE_MAX / 4;
	CHECK(mem_grow(array, SIZE_MAX / 4, &capacity, sizeof *array) == NULL && errno == ENOMEM);
	CHECK(capacity == SIZE_MAX / 4);
	free(array);
}

static void
test_hints(void)
{
	struct sockaddr_in a;
	char buf[512];
	int fds[2], flags;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons(8080);
	CHECK(hint_bind(EADDRNOTAVAIL, (struct sockaddr *)&a, buf, sizeof buf) == buf);
	CHECK(strstr(buf, "Use 127.0.0.1") != NULL);
	hint_bind(EAFNOSUPPORT, (struct sockaddr *)&a, buf, sizeof buf);
	CHECK(strstr(buf, "127.0.0.1") != NULL);
	/* A cut sentence is still a string. */
	CHECK(hint_bind(EACCES, (struct sockaddr *)&a, buf, 10) == buf && strlen(buf) == 9);
	hint_fd_limit(EMFILE, 2, 5, buf, sizeof buf);
	CHECK(strstr(buf, "(ulimit -n), 2 per client. New clients wait") != NULL);
	hint_fd_limit(EMFILE, 1, 0, buf, sizeof buf);
	CHECK(strstr(buf, "no client can ever be served at this limit") != NULL);
	hint_fd_limit(ENFILE, 1, 0, buf, sizeof buf);
	CHECK(strstr(buf, "The whole system") != NULL);

	CHECK(pipe(fds) == 0);
	CHECK(fdtab_set_nonblocking(fds[0]) == 0);
	flags = fcntl(fds[0], F_GETFL);
	CHECK(flags != -1 && (flags & O_NONBLOCK) != 0);
	CHECK(fdtab_set_nonblocking(fds[0]) == 0);	/* twice is fine */
	close(fds[0]);
	close(fds[1]);
	CHECK(fdtab_set_nonblocking(fds[0]) == -1 && errno == EBADF);
}

static void
test_proc_net_lines(void)
{
	static const char listen_line[] = "   0: 0100007F:1F90 00000000:0000 0A "
	    "00000000:00000000 00:00000000 00000000     0        0 6384 1 0000 100 0 0 10 0";
	static const char v6_line[] = "   1: 00000000000000000000000001000000:1F91 "
	    "00000000000000000000000001000000:D3F4 01 00000000:00000000 00:00000000 "
	    "00000000     0        0 6390 1 0000 20 4 30 10 -1";
	struct fdtab_socket sock;
	unsigned long inode = 0, lines = 0, parsed = 0;
	char name[ADDR_PAIR_STRLEN], line[512];
	const char *files[] = { "/proc/net/tcp", "/proc/net/tcp6" };
	FILE *fp;
	size_t f;

	CHECK(fdtab_parse_inet_line(listen_line, strlen(listen_line), AF_INET,
	    IPPROTO_TCP, &sock, &inode) == 0);
	CHECK(inode == 6384 && strcmp(sock.state, "LISTEN") == 0 && sock.remote.ss_family == 0);
	addr_format((struct sockaddr *)&sock.local, name, sizeof name);
	CHECK_STR(name, "127.0.0.1:8080");
	CHECK(fdtab_parse_inet_line(v6_line, strlen(v6_line), AF_INET6, IPPROTO_TCP,
	    &sock, &inode) == 0);
	addr_format_pair((struct sockaddr *)&sock.local, (struct sockaddr *)&sock.remote,
	    name, sizeof name);
	CHECK_STR(name, "[::1]:8081->[::1]:54260");
	CHECK(inode == 6390 && strcmp(sock.state, "ESTABLISHED") == 0);
	CHECK(fdtab_parse_inet_line("  sl  local_address", 19, AF_INET, IPPROTO_TCP,
	    &sock, &inode) == -1);
	CHECK(fdtab_parse_inet_line("   0: 0100007F:1F9", 18, AF_INET, IPPROTO_TCP,
	    &sock, &inode) == -1);
	/* Every line this machine's kernel writes, after the header, must parse. */
	for (f = 0; f < 2; f++) {
		if ((fp = fopen(files[f], "r")) == NULL)
			continue;
		while (fgets(line, sizeof line, fp) != NULL) {
			lines++;
			parsed += fdtab_parse_inet_line(line, strlen(line), f ? AF_INET6 : AF_INET,
			    IPPROTO_TCP, &sock, &inode) == 0;
		}
		fclose(fp);
		lines--;	/* the header */
	}
	CHECK(parsed == lines);
}

/* Parse a string literal as a whole request head. */
#define PARSE(lit) http_parse_request((lit), sizeof(lit) - 1, &req, &status)

static void
test_http(void)
{
	static const char get[] = "GET /api/data?x=1 HTTP/1.1\r\nHost: a\r\nOrigin: http://localhost:3000\r\n\r\nNEXT";
	static const char put[] = "PUT /api/data HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\nConnection: close\r\n\r\n";
	struct http_request req;
	const char *v;
	size_t len;
	int status = 0;
	char big[HTTP_HEAD_MAX + 10];

	CHECK(http_parse_request(get, sizeof get - 1, &req, &status) == 1);
	CHECK_STR(req.method, "GET");
	CHECK_STR(req.path, "/api/data");
	CHECK_STR(req.query, "x=1");
	CHECK(req.head_len == sizeof get - 1 - 4 && req.keep_alive && req.body_len == 0);
	v = http_header(&req, "ORIGIN", &len);
	CHECK(v != NULL && len == 21 && memcmp(v, "http://localhost:3000", 21) == 0);
	CHECK(http_parse_request(get, 20, &req, &status) == 0);	/* not all there yet */
	CHECK(http_parse_request(put, sizeof put - 1, &req, &status) == 1);
	CHECK(req.body_len == 7 && !req.keep_alive);
	CHECK(http_parse_request("garbage\r\n\r\n", 11, &req, &status) == -1 && status == 400);
	CHECK(http_parse_request("\x16\x03", 2, &req, &status) == -1 && status == 400);
	CHECK(http_parse_request("GET / HTTP/2.0\r\n\r\n", 18, &req, &status) == -1 && status == 505);
	CHECK(http_parse_request("GET / HTTP/1.1\r\nA: b\nC: d\r\n\r\n", 30, &req, &status) == -1 &&
	    status == 400);
	/* Found by tests/fuzz/fuzz_http: a bare CR or another control inside a value. */
	CHECK(http_parse_request("GET / HTTP/1.1\r\nA: b\rc\r\n\r\n", 26, &req, &status) == -1 &&
	    status == 400);
	CHECK(http_parse_request("GET / HTTP/1.1\r\nA: b\x1d\r\n\r\n", 25, &req, &status) == -1 &&
	    status == 400);
	CHECK(http_parse_request("GET / HTTP/1.1\r\nHost: a\r\nA: b\tc\r\n\r\n", 35, &req, &status) == 1);
	CHECK(http_parse_request("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999\r\n\r\n", 56,
	    &req, &status) == -1 && status == 413);
	CHECK(http_parse_request("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 48, &req,
	    &status) == -1 && status == 501);
	/* HTTP/1.1 needs exactly one Host; HTTP/1.0 may leave it out. */
	CHECK(PARSE("GET / HTTP/1.1\r\n\r\n") == -1 && status == 400);
	CHECK(PARSE("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n") == -1 && status == 400);
	CHECK(PARSE("GET / HTTP/1.0\r\n\r\n") == 1);
	/* Content-Length: equal values agree; different ones are a framing error. */
	CHECK(PARSE("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n") == 1 &&
	    req.body_len == 5);
	CHECK(PARSE("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n") == 1 && req.body_len == 5);
	CHECK(PARSE("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 50\r\n\r\n") == -1 &&
	    status == 400);
	CHECK(PARSE("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\n") == -1 && status == 400);
	CHECK(PARSE("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n") == -1 && status == 400);
	/* An absolute-form target: the path is the URL's. */
	CHECK(PARSE("GET http://localhost:5173/api/data?q HTTP/1.1\r\nHost: x\r\n\r\n") == 1);
	CHECK_STR(req.path, "/api/data");
	CHECK_STR(req.query, "q");
	CHECK(PARSE("GET HTTP://localhost:5173 HTTP/1.1\r\nHost: x\r\n\r\n") == 1);
	CHECK_STR(req.path, "/");
	CHECK(PARSE("GET http:///x HTTP/1.1\r\nHost: x\r\n\r\n") == -1 && status == 400);
	CHECK(PARSE("GET ftp://a/x HTTP/1.1\r\nHost: x\r\n\r\n") == -1 &&
	    status == 400);
	memset(big, 'a', sizeof big);
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	CHECK(http_parse_request(big, sizeof big, &req, &status) == -1 && status == 431);
	CHECK(http_value_is_safe("http://localhost:3000", 21));
	CHECK(!http_value_is_safe("http://a\r\nSet-Cookie: x", 24));
	CHECK(!http_value_is_safe("a\0b", 3));
}

/* Feed text to a stream as a client would send it, in pieces of step bytes. */
static enum http_stream_state
stream_feed(struct http_stream *st, const char *text, size_t len, size_t step, long now)
{
	enum http_stream_state state = st->state;
	size_t room, n;
	char *at;

	while (len > 0) {
		at = http_stream_room(st, &room);
		if (room == 0)
			break;
		n = len < step ? len : step;
		n = n < room ? n : room;
		memcpy(at, text, n);
		state = http_stream_received(st, n, now);
		text += n;
		len -= n;
	}
	return state;
}

static void
test_http_stream(void)
{
	static const char two[] = "POST /mode HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\n\"echo\""
	    "GET /state HTTP/1.1\r\nHost: a\r\n\r\n";
	static const char smuggled[] = "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n"
	    "Content-Length: 44\r\n\r\nPOST /mode HTTP/1.1\r\nHost: a\r\n\r\n";
	static const char put100[] = "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n";
	struct http_stream st;
	size_t room, step;

	/* Two pipelined requests, byte by byte and all at once: the same two answers. */
	for (step = 1; step <= sizeof two; step += sizeof two - 1) {
		http_stream_init(&st);
		CHECK(stream_feed(&st, two, sizeof two - 1, step, 100) == HTTP_STREAM_READY);
		CHECK_STR(st.req.path, "/mode");
		CHECK(st.body_len == 6 && memcmp(st.body, "\"echo\"", 6) == 0);
		/* While a request waits for its answer, nothing more is read. */
		http_stream_room(&st, &room);
		CHECK(room == 0 || step == 1);
		if (step == 1)	/* byte by byte: the rest is still to come */
			CHECK(stream_feed(&st, "", 0, 1, 100) == HTTP_STREAM_READY);
		CHECK(http_stream_done(&st, 101) == HTTP_STREAM_READY || step == 1);
	}
	http_stream_init(&st);
	CHECK(stream_feed(&st, two, sizeof two - 1, sizeof two, 100) == HTTP_STREAM_READY);
	CHECK(http_stream_done(&st, 101) == HTTP_STREAM_READY);
	CHECK_STR(st.req.path, "/state");
	CHECK(st.body_len == 0);
	CHECK(http_stream_done(&st, 102) == HTTP_STREAM_HEAD && st.len == 0 && st.started == -1);

	/* Two different Content-Lengths: refused, so nothing hides in a body. */
	http_stream_init(&st);
	CHECK(stream_feed(&st, smuggled, sizeof smuggled - 1, 9, 100) == HTTP_STREAM_FAILED);
	CHECK(st.status == 400);

	/* A head trickling in: late once limit seconds have passed since its first byte. */
	http_stream_init(&st);
	CHECK(!http_stream_late(&st, 1000, 10));
	CHECK(stream_feed(&st, "GET / HT", 8, 8, 100) == HTTP_STREAM_HEAD);
	CHECK(!http_stream_late(&st, 109, 10) && http_stream_late(&st, 110, 10));
	/* A body larger than what is kept is still read to its end. */
	http_stream_init(&st);
	CHECK(stream_feed(&st, put100, sizeof put100 - 1, sizeof put100, 5) == HTTP_STREAM_BODY);
	for (step = 0; step < 99; step++)
		CHECK(stream_feed(&st, "x", 1, 1, 5) == HTTP_STREAM_BODY);
	CHECK(stream_feed(&st, "y", 1, 1, 5) == HTTP_STREAM_READY && st.body_len == HTTP_BODY_KEEP);
}

static void
test_lsof_text(void)
{
	char buf[128], name[16], mode, lock;

	/* lsof's escapes (safepup in its misc.c): C locale, byte by byte. */
	fdtab_escape_name("a\tb\x1b" "c\\d\x7f\xe3\x81\x82 e", buf, sizeof buf);
	CHECK_STR(buf, "a\\tb^[c\\\\d\\x7f\\xe3\\x81\\x82 e");
	fdtab_escape_command("tmux: server", 9, buf, sizeof buf);
	CHECK_STR(buf, "tmux:\\x20");
	fdtab_escape_command("Google Chrome Helper", 100, buf, sizeof buf);
	CHECK_STR(buf, "Google\\x20Chrome\\x20Helper");
	fdtab_escape_command("systemd-journald", 9, buf, sizeof buf);
	CHECK_STR(buf, "systemd-j");
	/* Cut, never in the middle of an escape. */
	CHECK(fdtab_escape_name("\n\n\n", buf, 6) == 4 && strcmp(buf, "\\n\\n") == 0);

	fdtab_fd_parts("14uW", name, sizeof name, &mode, &lock);
	CHECK(strcmp(name, "14") == 0 && mode == 'u' && lock == 'W');
	fdtab_fd_parts("mem-w", name, sizeof name, &mode, &lock);
	CHECK(strcmp(name, "mem") == 0 && mode == '-' && lock == 'w');
	fdtab_fd_parts("cwd", name, sizeof name, &mode, &lock);
	CHECK(strcmp(name, "cwd") == 0 && mode == ' ' && lock == ' ');
	fdtab_fd_parts("*005u", name, sizeof name, &mode, &lock);
	CHECK(strcmp(name, "*005") == 0 && mode == 'u' && lock == ' ');
}

static void
test_inet_spec(void)
{
	static const char *const bad[] = { "8080", "SCTP:80", "tcpx", ":", ":70000", ":9-8",
	    ":x-y-z", "@", "@:80", "6@127.0.0.1", "4@[::1]", "@[::1", ":1,,2", "TCP:80x" };
	struct fdtab_inet_spec spec;
	struct fdtab_socket sock;
	struct sockaddr_in *l = (struct sockaddr_in *)&sock.local;
	struct sockaddr_in *r = (struct sockaddr_in *)&sock.remote;
	size_t i;

	CHECK(fdtab_parse_inet_spec("4tcp@127.0.0.1:80,8000-8100", 27, &spec) == 0);
	CHECK(spec.family == AF_INET && spec.proto == IPPROTO_TCP && spec.naddrs == 1);
	CHECK(spec.nports == 2 && spec.ports[1].low == 8000 && spec.ports[1].high == 8100);
	CHECK(fdtab_parse_inet_spec("6", 1, &spec) == 0 && spec.family == AF_INET6 && spec.nports == 0);
	CHECK(fdtab_parse_inet_spec("UDP", 3, &spec) == 0 && spec.proto == IPPROTO_UDP);
	CHECK(fdtab_parse_inet_spec("@[::1]:53", 9, &spec) == 0 && spec.naddrs == 1 &&
	    spec.addrs[0].ss_family == AF_INET6);
	CHECK(fdtab_parse_inet_spec("@localhost", 10, &spec) == 0 && strcmp(spec.host, "localhost") == 0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(fdtab_parse_inet_spec(bad[i], strlen(bad[i]), &spec) == -1 && spec.error[0] != '\0');
	/* Matching: either end's address and port. */
	memset(&sock, 0, sizeof sock);
	sock.proto = IPPROTO_TCP;
	snprintf(sock.type, sizeof sock.type, "IPv4");
	l->sin_family = r->sin_family = AF_INET;
	l->sin_addr.s_addr = r->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l->sin_port = htons(45000);
	r->sin_port = htons(8080);
	CHECK(fdtab_parse_inet_spec(":8080", 5, &spec) == 0 && fdtab_inet_spec_matches(&spec, &sock));
	CHECK(fdtab_parse_inet_spec("UDP:8080", 8, &spec) == 0 && !fdtab_inet_spec_matches(&spec, &sock));
	CHECK(fdtab_parse_inet_spec("6", 1, &spec) == 0 && !fdtab_inet_spec_matches(&spec, &sock));
	CHECK(fdtab_parse_inet_spec("@127.0.0.1:44999-45001", 22, &spec) == 0 &&
	    fdtab_inet_spec_matches(&spec, &sock));
	CHECK(fdtab_parse_inet_spec("@10.0.0.1", 9, &spec) == 0 && !fdtab_inet_spec_matches(&spec, &sock));
	/* An IPv6 socket that takes IPv4 too shows IPv4 addresses, but 6 selects it, not 4. */
	snprintf(sock.type, sizeof sock.type, "IPv6");
	CHECK(fdtab_parse_inet_spec("6", 1, &spec) == 0 && fdtab_inet_spec_matches(&spec, &sock));
	CHECK(fdtab_parse_inet_spec("4", 1, &spec) == 0 && !fdtab_inet_spec_matches(&spec, &sock));
}

static void
test_ephemeral_range(void)
{
	struct port_range range;

	CHECK(port_ephemeral_range(&range) == 0);
	CHECK(range.low <= range.high && range.high <= PORT_MAX);
	CHECK(range.source[0] != '\0');
	CHECK(port_in_range(&range, range.low) && port_in_range(&range, range.high));
	CHECK(range.low == 0 || !port_in_range(&range, range.low - 1));
	printf("ephemeral range %u-%u from %s\n", range.low, range.high, range.source);
}

int
main(void)
{
	test_port_parse();
	test_port_lists();
	test_num_parse();
	test_addr_format();
	test_fd_column();
	test_msg();
	test_mem_grow();
	test_hints();
	test_proc_net_lines();
	test_http();
	test_http_stream();
	test_lsof_text();
	test_inet_spec();
	test_ephemeral_range();
	printf("%s\n", failures ? "FAILED" : "all checks passed");
	return failures ? 1 : 0;
}
