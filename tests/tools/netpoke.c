/*
 * netpoke - a misbehaving TCP client for the load and fault tests.
 *
 *   netpoke hold N PORT      open N connections to 127.0.0.1:PORT, print
 *                            "holding N", and keep them idle until killed
 *   netpoke reset PORT BYTES send BYTES bytes without reading, then reset
 *                            the connection (SO_LINGER 0) instead of closing
 *   netpoke flood PORT [TEXT] send TEXT (default "junk") over and over and
 *                            never read; print "flooding" once the server
 *                            stops taking bytes
 *   netpoke send PORT        send stdin, then read the answer to stdout until
 *                            the server closes or 5 seconds pass
 *   netpoke check            read HTTP answers on stdin: each must be a status
 *                            line, header lines of visible ASCII, a blank
 *                            line and Content-Length bytes of body (a 204 has
 *                            no body and must not have a Content-Length);
 *                            prints "N answer(s)" (0 for a clean close), else fails
 *   netpoke ask PORT         send a line, then read until the server closes:
 *                            print "eof" (a normal close, FIN), "reset" (RST)
 *                            or "timeout" (5 seconds)
 *   netpoke rst-server       listen on 127.0.0.1 (port 0), print "listening
 *                            PORT", take one client, read what it sends, then
 *                            reset the connection (SO_LINGER 0) and exit
 *   netpoke burst N PORT     open N connections to PORT at once, then wait up
 *                            to 30 seconds for each to be greeted (a first
 *                            byte); print "greeted K of N in S.SS s"
 *   netpoke sink             listen on 127.0.0.1 (port 0), print "sinking
 *                            PORT", read every client to its end and close
 *   netpoke blast N PORT KIB open N connections to PORT at once, send KIB KiB
 *                            on each, half-close, wait (up to 120 s) for the
 *                            server to close each; print "sent B bytes in S.SS s"
 *   netpoke page FILE        serve FILE as text/html to every request on
 *                            127.0.0.1 (port 0), after printing "serving PORT":
 *                            a third origin for browser tests
 *
 * Loopback only. Exit status 0, or 1 with a message on stderr.
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int
dial(unsigned port)
{
	struct sockaddr_in sin;
	int fd;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		err(1, "socket");
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1)
		err(1, "connect to 127.0.0.1:%u", port);
	return fd;
}

static unsigned long
number(const char *s, unsigned long max)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n > max)
		errx(1, "bad number '%s'", s);
	return n;
}

/* Idle connections until the test kills us. */
static int
hold(unsigned long n, unsigned port)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		(void)dial(port);
	printf("holding %lu\n", n);
	fflush(stdout);
	while (pause() == -1)
		;	/* until a signal ends us */
	return 0;
}

/* Write up to want bytes of text, repeated, as far as the socket takes them now. */
static size_t
write_some(int fd, const char *text, size_t want)
{
	static char chunk[4096];
	size_t done = 0, len = strlen(text), i;
	ssize_t n;

	for (i = 0; i < sizeof chunk; i++)
		chunk[i] = text[i % len];
	while (done < want) {
		/* Whole copies of text, so a request is never cut between writes. */
		size_t size = sizeof chunk - sizeof chunk % len;

		n = write(fd, chunk, want - done < size ? want - done : size);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	return done;
}

static int
reset(unsigned port, unsigned long bytes)
{
	struct linger lg = { 1, 0 };
	int fd = dial(port);

	fcntl(fd, F_SETFL, O_NONBLOCK);
	printf("sent %zu bytes, resetting\n", write_some(fd, "junk", bytes));
	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) == -1)
		err(1, "setsockopt(SO_LINGER)");
	close(fd);
	return 0;
}

static int
flood(unsigned port, const char *text)
{
	int fd = dial(port), said = 0;
	struct pollfd p = { fd, POLLOUT, 0 };

	if (text[0] == '\0' || strlen(text) > 1024)
		errx(1, "flood: TEXT must be 1-1024 bytes");
	fcntl(fd, F_SETFL, O_NONBLOCK);
	for (;;) {
		write_some(fd, text, 1 << 20);
		/* No room for a whole second: the server has stopped taking our bytes. */
		if (poll(&p, 1, 1000) == 0 && !said) {
			printf("flooding\n");
			fflush(stdout);
			said = 1;
		}
	}
}

static int
send_stdin(unsigned port)
{
	char buf[65536];
	ssize_t n;
	int fd = dial(port);
	time_t end = time(NULL) + 5;
	struct pollfd p = { fd, POLLIN, 0 };

	while ((n = read(0, buf, sizeof buf)) > 0)
		if (write(fd, buf, (size_t)n) != n)
			break;	/* the server may answer and close before reading it all */
	shutdown(fd, SHUT_WR);
	while (time(NULL) < end && poll(&p, 1, 1000) >= 0) {
		if (!(p.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		if ((n = read(fd, buf, sizeof buf)) <= 0)
			return 0;
		fwrite(buf, 1, (size_t)n, stdout);
	}
	return 0;
}

/* Length of the line at s (up to CRLF) or -1 if it has no CRLF or a stray CR, LF or control. */
static long
http_line(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		if (s[i] == '\r' && s[i + 1] == '\n')
			return (long)i;
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return -1;
	}
	return -1;
}

static int
check(void)
{
	static char buf[1 << 20];
	size_t len = fread(buf, 1, sizeof buf, stdin), pos = 0, body;
	long n, answers = 0;
	int status;

	while (pos < len) {
		n = http_line(buf + pos, len - pos);
		if (n < 0 || sscanf(buf + pos, "HTTP/1.1 %3d ", &status) != 1 || status < 100 ||
		    n < 13 || buf[pos + 12] != ' ')
			errx(1, "answer %ld: no valid status line at byte %zu", answers + 1, pos);
		pos += (size_t)n + 2;
		body = (size_t)-1;
		while ((n = http_line(buf + pos, len - pos)) > 0) {
			const char *colon = memchr(buf + pos, ':', (size_t)n);

			if (colon == NULL || colon == buf + pos || colon[1] != ' ')
				errx(1, "answer %ld: bad header line at byte %zu", answers + 1, pos);
			if (colon - (buf + pos) == 14 && strncasecmp(buf + pos, "Content-Length", 14) == 0)
				body = strtoul(colon + 2, NULL, 10);
			pos += (size_t)n + 2;
		}
		if (n < 0)
			errx(1, "answer %ld: its head does not end with a blank line", answers + 1);
		if (status == 204 && body != (size_t)-1)
			errx(1, "answer %ld: a 204 has no content, so no Content-Length", answers + 1);
		if (status == 204)
			body = 0;
		if (body == (size_t)-1 || body > len - pos - 2)
			errx(1, "answer %ld: no Content-Length, or fewer bytes than it says", answers + 1);
		pos += 2 + body;
		answers++;
	}
	printf("%ld answer(s)\n", answers);
	return 0;
}

/* A listening socket on 127.0.0.1, port chosen by the OS; prints "WHAT PORT". */
static int
listen_any(const char *what)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int fd;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1 || listen(fd, SOMAXCONN) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		err(1, "listen on 127.0.0.1");
	printf("%s %u\n", what, ntohs(sin.sin_port));
	fflush(stdout);
	return fd;
}

static int
ask(unsigned port)
{
	char buf[4096];
	int fd = dial(port);
	struct pollfd p = { fd, POLLIN, 0 };
	time_t end = time(NULL) + 5;
	ssize_t n;

	if (write(fd, "hello\n", 6) != 6)
		err(1, "write");
	while (time(NULL) < end) {
		if (poll(&p, 1, 1000) <= 0)
			continue;
		n = read(fd, buf, sizeof buf);
		if (n > 0)
			continue;
		printf("%s\n", n == 0 ? "eof" : errno == ECONNRESET ? "reset" : strerror(errno));
		return 0;
	}
	printf("timeout\n");
	return 0;
}

static int
rst_server(void)
{
	struct linger lg = { 1, 0 };
	char buf[256];
	int listen_fd = listen_any("listening"), fd;

	if ((fd = accept(listen_fd, NULL, NULL)) == -1)
		err(1, "accept");
	if (read(fd, buf, sizeof buf) <= 0)
		errx(1, "the client sent nothing");
	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) == -1)
		err(1, "setsockopt(SO_LINGER)");
	close(fd);
	return 0;
}

static int
page(const char *file)
{
	static char body[65536], head[65536];
	FILE *f = fopen(file, "r");
	size_t len, got;
	int listen_fd, fd;
	ssize_t n;

	if (f == NULL)
		err(1, "%s", file);
	len = fread(body, 1, sizeof body, f);
	fclose(f);
	listen_fd = listen_any("serving");
	for (;;) {
		if ((fd = accept(listen_fd, NULL, NULL)) == -1)
			continue;
		/* Read the request's head (to its blank line), then answer and close. */
		for (got = 0; got < sizeof head - 1; got += (size_t)n) {
			if ((n = read(fd, head + got, sizeof head - 1 - got)) <= 0)
				break;
			head[got + (size_t)n] = '\0';
			if (strstr(head, "\r\n\r\n") != NULL)
				break;
		}
		dprintf(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
		    "Content-Length: %zu\r\nConnection: close\r\n\r\n", len);
		if (write(fd, body, len) != (ssize_t)len)
			warn("write");
		close(fd);
	}
}

static int
burst(unsigned long n, unsigned port)
{
	struct sockaddr_in sin;
	struct pollfd *p = calloc(n, sizeof *p);
	struct timespec start, now;
	unsigned long i, greeted = 0, waiting = n;
	char buf[512];
	double elapsed = 0;

	if (p == NULL)
		err(1, "calloc");
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (i = 0; i < n; i++) {
		if ((p[i].fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
			err(1, "socket %lu", i);
		fcntl(p[i].fd, F_SETFL, O_NONBLOCK);
		if (connect(p[i].fd, (struct sockaddr *)&sin, sizeof sin) == -1 && errno != EINPROGRESS)
			err(1, "connect %lu", i);
		p[i].events = POLLIN;
	}
	while (waiting > 0 && elapsed < 30) {
		if (poll(p, n, 1000) > 0)
			for (i = 0; i < n; i++) {
				if (p[i].fd < 0 || p[i].revents == 0)
					continue;
				greeted += read(p[i].fd, buf, sizeof buf) > 0;
				close(p[i].fd);
				p[i].fd = -1;
				waiting--;
			}
		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = (double)(now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
	}
	printf("greeted %lu of %lu in %.2f s\n", greeted, n, elapsed);
	return 0;
}

static double
seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

static int
sink(void)
{
	static char buf[1 << 18];
	int listen_fd = listen_any("sinking"), fd;
	struct pollfd *p = NULL;
	size_t n = 1, cap = 0, i;

	fcntl(listen_fd, F_SETFL, O_NONBLOCK);
	for (;;) {
		if (n >= cap && (p = realloc(p, (cap = cap ? cap * 2 : 1024) * sizeof *p)) == NULL)
			err(1, "realloc");
		p[0].fd = listen_fd;
		p[0].events = POLLIN;
		if (poll(p, n, -1) <= 0)
			continue;
		for (i = n; i-- > 1;) {
			if (p[i].revents == 0 || read(p[i].fd, buf, sizeof buf) > 0)
				continue;
			close(p[i].fd);
			p[i] = p[--n];
		}
		while (n < cap && (fd = accept(listen_fd, NULL, NULL)) != -1) {
			p[n].fd = fd;
			p[n++].events = POLLIN;
		}
	}
}

static int
blast(unsigned long n, unsigned port, unsigned long kib)
{
	static char chunk[1 << 16];
	struct sockaddr_in sin;
	struct pollfd *p = calloc(n, sizeof *p);
	size_t *left = calloc(n, sizeof *left);
	unsigned long i, open = n;
	struct timespec start;
	ssize_t w;

	if (p == NULL || left == NULL)
		err(1, "calloc");
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (i = 0; i < n; i++) {
		if ((p[i].fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
			err(1, "socket %lu", i);
		fcntl(p[i].fd, F_SETFL, O_NONBLOCK);
		if (connect(p[i].fd, (struct sockaddr *)&sin, sizeof sin) == -1 && errno != EINPROGRESS)
			err(1, "connect %lu", i);
		left[i] = kib * 1024;
		p[i].events = POLLOUT;
	}
	while (open > 0 && seconds_since(&start) < 120) {
		if (poll(p, n, 1000) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			if (p[i].fd < 0 || p[i].revents == 0)
				continue;
			if (left[i] > 0 && (p[i].revents & POLLOUT)) {
				w = write(p[i].fd, chunk, left[i] < sizeof chunk ? left[i] : sizeof chunk);
				if (w > 0 && (left[i] -= (size_t)w) == 0) {
					shutdown(p[i].fd, SHUT_WR);
					p[i].events = POLLIN;
				}
				if (w > 0 || errno == EAGAIN)
					continue;
			} else if ((p[i].revents & POLLIN) && read(p[i].fd, chunk, sizeof chunk) > 0)
				continue;
			close(p[i].fd);
			p[i].fd = -1;
			open--;
		}
	}
	for (i = 0; i < n; i++)
		if (left[i] > 0)
			errx(1, "connection %lu still had %zu bytes to send", i, left[i]);
	printf("sent %lu bytes in %.2f s\n", n * kib * 1024, seconds_since(&start));
	return open > 0;
}

int
main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);	/* a server may close on us mid-write: that is a result */
	if (argc == 4 && strcmp(argv[1], "hold") == 0)
		return hold(number(argv[2], 100000), (unsigned)number(argv[3], 65535));
	if (argc == 4 && strcmp(argv[1], "reset") == 0)
		return reset((unsigned)number(argv[2], 65535), number(argv[3], 1UL << 30));
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "flood") == 0)
		return flood((unsigned)number(argv[2], 65535), argc == 4 ? argv[3] : "junk");
	if (argc == 3 && strcmp(argv[1], "send") == 0)
		return send_stdin((unsigned)number(argv[2], 65535));
	if (argc == 2 && strcmp(argv[1], "check") == 0)
		return check();
	if (argc == 3 && strcmp(argv[1], "ask") == 0)
		return ask((unsigned)number(argv[2], 65535));
	if (argc == 2 && strcmp(argv[1], "rst-server") == 0)
		return rst_server();
	if (argc == 3 && strcmp(argv[1], "page") == 0)
		return page(argv[2]);
	if (argc == 2 && strcmp(argv[1], "sink") == 0)
		return sink();
	if (argc == 5 && strcmp(argv[1], "blast") == 0)
		return blast(number(argv[2], 100000), (unsigned)number(argv[3], 65535),
		    number(argv[4], 1UL << 20));
	if (argc == 4 && strcmp(argv[1], "burst") == 0)
		return burst(number(argv[2], 100000), (unsigned)number(argv[3], 65535));
	fprintf(stderr, "usage: netpoke hold N PORT | reset PORT BYTES | flood PORT [TEXT] | "
	    "send PORT | check | ask PORT | rst-server | page FILE | burst N PORT | sink |\n"
	    "       blast N PORT KIB\n");
	return 1;
}
