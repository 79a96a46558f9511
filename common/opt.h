/* opt - the command-line conventions every portlab program shares. */
#ifndef PORTLAB_OPT_H
#define PORTLAB_OPT_H

#include <stddef.h>

#define OPT_HOLD_MAX 86400L	/* --hold: up to one day */
#define OPT_HOLD_HINT "give whole seconds from 0 to 86400, like --hold 30"

/* Parse a --hold value, 0-86400 seconds. Returns 0, or -1 with errno EINVAL/ERANGE. */
int opt_parse_hold(const char *s, long *seconds);

/*
 * Word why getopt_long (called with opterr = 0 and an optstring starting
 * with ':') returned ch: "unknown option '--x'", "missing value for
 * '--host'", or, for a negative number such as "-1" that getopt mistook
 * for an option, "bad port '-1': a port is never negative; ...". Writes a
 * NUL-terminated line into buf, cut if it must be.
 */
void opt_error(int ch, int argc, char *const argv[], char *buf, size_t size);

/*
 * arg as it may be printed: every byte a terminal could act on escaped
 * (msg_escape) and cut to about 60 characters, so a typed escape sequence
 * never reaches the student's terminal. Returns one of four static buffers,
 * used in turn: up to four results may be printed in one call.
 */
const char *opt_shown(const char *arg);

#endif
