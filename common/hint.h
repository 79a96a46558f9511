/*
 * hint - one explanation for each error the servers share, so listen,
 * forward and cors-lab say the same true thing about the same errno.
 */
#ifndef PORTLAB_HINT_H
#define PORTLAB_HINT_H

#include <stddef.h>
#include <sys/socket.h>

/*
 * What to do after bind() to addr failed with err, in words a student can
 * act on: EADDRINUSE names the pid and command that listen on the port
 * where we may see them; EACCES states this OS's live privileged-port rule;
 * EADDRNOTAVAIL and EAFNOSUPPORT say which address to use instead. Writes
 * a NUL-terminated sentence (cut if it must be) into buf and returns buf.
 */
const char *hint_bind(int err, const struct sockaddr *addr, char *buf, size_t size);

/* The same for a UDP socket: EADDRINUSE names who holds the UDP port. */
const char *hint_bind_udp(int err, const struct sockaddr *addr, char *buf, size_t size);

/*
 * What running out of descriptors (err EMFILE or ENFILE, from accept() or
 * socket()) means for a server that spends per_client descriptors on each
 * client and holds clients now: the limit (ulimit -n), and that new clients
 * wait in the kernel's queue until one leaves, or, at EMFILE with no client
 * held, that no client can ever be served at this limit (the caller should
 * stop). Writes into buf and returns buf.
 */
const char *hint_fd_limit(int err, unsigned per_client, size_t clients, char *buf, size_t size);

#endif
