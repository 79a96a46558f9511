/*
 * fdtab - file descriptors as lsof's FD column shows them.
 *
 * lsof writes a descriptor as its number followed by the access mode it
 * was opened with: r (read), w (write) or u (both). Sockets are always u.
 */
#include "fdtab.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

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
fdtab_fd_column(int fd, char *buf, size_t size)
{
	int flags, n;
	char mode;

	flags = fcntl(fd, F_GETFL);
	if (flags == -1)
		return -1;
	mode = fdtab_mode_letter(flags);
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
