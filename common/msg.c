/*
 * msg - error lines in portlab's style, and safe display of foreign bytes.
 *
 * The errno name is printed beside strerror's sentence because the name
 * (EADDRINUSE) is what a student can look up in a man page or a search.
 */
#include "msg.h"
#include "i18n.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Each errno a lab meets: its name, and what glibc's strerror says, for the catalogue. */
#define MSG_ERRNO(e, words) { e, #e, words }

static const struct {
	int err;
	const char *name, *words;
} msg_errno_names[] = {
	MSG_ERRNO(EPERM, N_("Operation not permitted")),
	MSG_ERRNO(ENOENT, N_("No such file or directory")),
	MSG_ERRNO(ESRCH, N_("No such process")),
	MSG_ERRNO(EINTR, N_("Interrupted system call")),
	MSG_ERRNO(EIO, N_("Input/output error")),
	MSG_ERRNO(EBADF, N_("Bad file descriptor")),
	MSG_ERRNO(EAGAIN, N_("Resource temporarily unavailable")),
	MSG_ERRNO(ENOMEM, N_("Cannot allocate memory")),
	MSG_ERRNO(EACCES, N_("Permission denied")),
	MSG_ERRNO(EFAULT, N_("Bad address")),
	MSG_ERRNO(EBUSY, N_("Device or resource busy")),
	MSG_ERRNO(EEXIST, N_("File exists")),
	MSG_ERRNO(ENOTDIR, N_("Not a directory")),
	MSG_ERRNO(EISDIR, N_("Is a directory")),
	MSG_ERRNO(EINVAL, N_("Invalid argument")),
	MSG_ERRNO(ENFILE, N_("Too many open files in system")),
	MSG_ERRNO(EMFILE, N_("Too many open files")),
	MSG_ERRNO(ENOSPC, N_("No space left on device")),
	MSG_ERRNO(EPIPE, N_("Broken pipe")),
	MSG_ERRNO(ERANGE, N_("Numerical result out of range")),
	MSG_ERRNO(ENOSYS, N_("Function not implemented")),
	MSG_ERRNO(ENAMETOOLONG, N_("File name too long")),
	MSG_ERRNO(ELOOP, N_("Too many levels of symbolic links")),
	MSG_ERRNO(ENOTSOCK, N_("Socket operation on non-socket")),
	MSG_ERRNO(EDESTADDRREQ, N_("Destination address required")),
	MSG_ERRNO(EMSGSIZE, N_("Message too long")),
	MSG_ERRNO(EPROTOTYPE, N_("Protocol wrong type for socket")),
	MSG_ERRNO(ENOPROTOOPT, N_("Protocol not available")),
	MSG_ERRNO(EPROTONOSUPPORT, N_("Protocol not supported")),
	MSG_ERRNO(EOPNOTSUPP, N_("Operation not supported")),
	MSG_ERRNO(EAFNOSUPPORT, N_("Address family not supported by protocol")),
	MSG_ERRNO(EADDRINUSE, N_("Address already in use")),
	MSG_ERRNO(EADDRNOTAVAIL, N_("Cannot assign requested address")),
	MSG_ERRNO(ENETDOWN, N_("Network is down")),
	MSG_ERRNO(ENETUNREACH, N_("Network is unreachable")),
	MSG_ERRNO(ECONNABORTED, N_("Software caused connection abort")),
	MSG_ERRNO(ECONNRESET, N_("Connection reset by peer")),
	MSG_ERRNO(ENOBUFS, N_("No buffer space available")),
	MSG_ERRNO(EISCONN, N_("Transport endpoint is already connected")),
	MSG_ERRNO(ENOTCONN, N_("Transport endpoint is not connected")),
	MSG_ERRNO(ETIMEDOUT, N_("Connection timed out")),
	MSG_ERRNO(ECONNREFUSED, N_("Connection refused")),
	MSG_ERRNO(EHOSTDOWN, N_("Host is down")),
	MSG_ERRNO(EHOSTUNREACH, N_("No route to host")),
	MSG_ERRNO(EALREADY, N_("Operation already in progress")),
	MSG_ERRNO(EINPROGRESS, N_("Operation now in progress")),
};

const char *
msg_errno_name(int err)
{
	size_t i;

	for (i = 0; i < sizeof msg_errno_names / sizeof msg_errno_names[0]; i++)
		if (msg_errno_names[i].err == err)
			return msg_errno_names[i].name;
	return NULL;
}

const char *
msg_strerror(int err)
{
	size_t i;

	if (i18n_japanese())
		for (i = 0; i < sizeof msg_errno_names / sizeof msg_errno_names[0]; i++)
			if (msg_errno_names[i].err == err)
				return _(msg_errno_names[i].words);
	return strerror(err);
}

int
msg_format(char *buf, size_t size, const char *what, int err, const char *hint)
{
	const char *name = msg_errno_name(err);
	char reason[160] = "";
	int n;

	if (err != 0 && name != NULL)
		snprintf(reason, sizeof reason, ": %s [%s]", msg_strerror(err), name);
	else if (err != 0)
		snprintf(reason, sizeof reason, ": %s [errno %d]", msg_strerror(err), err);
	if (hint != NULL)	/* "what: reason [ENAME]. hint" */
		n = snprintf(buf, size, _("%s%s. %s"), what, reason, hint);
	else
		n = snprintf(buf, size, _("%s%s."), what, reason);
	if (n < 0 || (size_t)n >= size) {
		errno = ENOSPC;
		return -1;
	}
	return 0;
}

/* How one byte is shown; writes at most 5 characters and a NUL into out. */
static void
msg_escape_byte(unsigned char c, char out[5])
{
	if (c == '\n')
		snprintf(out, 5, "\\n");
	else if (c == '\r')
		snprintf(out, 5, "\\r");
	else if (c == '\t')
		snprintf(out, 5, "\\t");
	else if (c == '\\')
		snprintf(out, 5, "\\\\");
	else if (c >= 0x20 && c < 0x7f)
		snprintf(out, 5, "%c", c);
	else
		snprintf(out, 5, "\\x%02x", c);
}

size_t
msg_escape(const void *data, size_t len, char *buf, size_t size)
{
	const unsigned char *bytes = data;
	size_t used = 0, total = 0, i, piece_len, marker;
	char piece[5];

	if (size == 0)
		return 0;
	marker = size > 3 ? 3 : 0;	/* room for "..." if the buffer has it */
	for (i = 0; i < len; i++) {
		msg_escape_byte(bytes[i], piece);
		total += strlen(piece);
	}
	for (i = 0; i < len; i++) {
		msg_escape_byte(bytes[i], piece);
		piece_len = strlen(piece);
		/* When it will not all fit, keep room for "..." and the NUL. */
		if (total >= size && used + piece_len + marker + 1 > size) {
			memcpy(buf + used, "...", marker);
			used += marker;
			break;
		}
		memcpy(buf + used, piece, piece_len);
		used += piece_len;
	}
	buf[used] = '\0';
	return used;
}
