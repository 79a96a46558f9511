/* fwd - docker's -p spec: [HOSTIP:]HOSTPORT:[TARGETHOST:]TARGETPORT. */
#ifndef PORTLAB_FWD_H
#define PORTLAB_FWD_H

#include <stddef.h>

struct fwd_spec {
	char host_ip[64];	/* "" when not given (the default address is used) */
	unsigned host_port;	/* 0: let the OS choose */
	char target_host[256];	/* "" when not given (127.0.0.1) */
	unsigned target_port;	/* 1-65535 */
	char error[768];	/* why parsing failed, in the programs' language; the spec's bytes escaped */
};

/*
 * Parse s[0..len) in the shape of docker's -p, host side first:
 * "8080:80", "127.0.0.1:8080:80", "8080:10.0.0.2:80",
 * "127.0.0.1:8080:10.0.0.2:80"; IPv6 addresses in brackets ("[::1]:8080:80").
 * Returns 0, or -1 with errno EINVAL and spec->error saying what is wrong
 * (English or Japanese, as i18n chooses; any byte of s it quotes is escaped
 * by msg_escape, so the reason is safe to print as it is).
 */
int fwd_parse_spec(const char *s, size_t len, struct fwd_spec *spec);

#endif
