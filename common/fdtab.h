/* fdtab - file descriptors as lsof's FD column shows them. */
#ifndef PORTLAB_FDTAB_H
#define PORTLAB_FDTAB_H

#include <stddef.h>

/* Room for the longest FD column value we write ("*123u") and a NUL. */
#define FDTAB_COLUMN_STRLEN 16

/*
 * Write our own descriptor fd as lsof's FD column shows it: the number and
 * its access mode from fcntl(F_GETFL), "3u", "4r", "5w" ("*005u" past 9999,
 * as lsof does). Returns 0, or -1 with errno set (EBADF for a closed fd).
 */
int fdtab_fd_column(int fd, char *buf, size_t size);

/* lsof's mode letter for open flags: 'r', 'w' or 'u' (read and write). */
char fdtab_mode_letter(int open_flags);

#endif
