/* msg - error lines in portlab's style, and safe display of foreign bytes. */
#ifndef PORTLAB_MSG_H
#define PORTLAB_MSG_H

#include <stddef.h>

#define PORTLAB_VERSION "0.1.0"

/* Room for one error line. */
#define MSG_LINE_MAX 1024

/* errno's symbolic name, "EADDRINUSE", which students can search for; NULL if unknown. */
const char *msg_errno_name(int err);

/*
 * What err means, in the programs' language: strerror's sentence in
 * English, and in Japanese (i18n_japanese) the catalogue's, for the errnos
 * the labs meet. The errno's name stays beside it, the same in both.
 */
const char *msg_strerror(int err);

/*
 * Write "WHAT: REASON [ERRNO_NAME]. HINT" into buf, the part of an error
 * line after "prog: " (in Japanese, "。" ends the reason). err 0 leaves out the reason ("WHAT. HINT"); a NULL
 * hint leaves out the hint. Always NUL-terminates a non-empty buf (cutting
 * the text if it must). Returns 0, or -1 with errno ENOSPC if cut.
 */
int msg_format(char *buf, size_t size, const char *what, int err,
    const char *hint);

/*
 * Copy len bytes that came from outside (a server's greeting) into buf as
 * printable ASCII: \n, \r, \t, \\ and \xNN for every other byte, so no byte
 * can move a student's cursor or change their terminal. Cuts with "..." when
 * buf is too small. Returns the length written (buf is NUL-terminated), or
 * 0 when size is 0.
 */
size_t msg_escape(const void *data, size_t len, char *buf, size_t size);

#endif
