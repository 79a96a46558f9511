/*
 * msg - error lines in portlab's style, and safe display of foreign bytes.
 *
 * The errno name is printed beside strerror's sentence because the name
 * (EADDRINUSE) is what a student can look up in a man page or a search.
 */
#include "msg.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define MSG_ERRNO(e) { e, #e }

static const struct {
	int err;
	const char *name;
} msg_errno_names[] = {
	MSG_ERRNO(EPERM), MSG_ERRNO(ENOENT), MSG_ERRNO(ESRCH),
	MSG_ERRNO(EINTR), MSG_ERRNO(EIO), MSG_ERRNO(EBADF),
	MSG_ERRNO(EAGAIN), MSG_ERRNO(ENOMEM), MSG_ERRNO(EACCES),
	MSG_ERRNO(EFAULT), MSG_ERRNO(EBUSY), MSG_ERRNO(EEXIST),
	MSG_ERRNO(ENOTDIR), MSG_ERRNO(EISDIR), MSG_ERRNO(EINVAL),
	MSG_ERRNO(ENFILE), MSG_ERRNO(EMFILE), MSG_ERRNO(ENOSPC),
	MSG_ERRNO(EPIPE), MSG_ERRNO(ERANGE), MSG_ERRNO(ENOSYS),
	MSG_ERRNO(ENAMETOOLONG), MSG_ERRNO(ELOOP), MSG_ERRNO(ENOTSOCK),
	MSG_ERRNO(EDESTADDRREQ), MSG_ERRNO(EMSGSIZE), MSG_ERRNO(EPROTOTYPE),
	MSG_ERRNO(ENOPROTOOPT), MSG_ERRNO(EPROTONOSUPPORT),
	MSG_ERRNO(EOPNOTSUPP), MSG_ERRNO(EAFNOSUPPORT), MSG_ERRNO(EADDRINUSE),
	MSG_ERRNO(EADDRNOTAVAIL), MSG_ERRNO(ENETDOWN), MSG_ERRNO(ENETUNREACH),
	MSG_ERRNO(ECONNABORTED), MSG_ERRNO(ECONNRESET), MSG_ERRNO(ENOBUFS),
	MSG_ERRNO(EISCONN), MSG_ERRNO(ENOTCONN), MSG_ERRNO(ETIMEDOUT),
	MSG_ERRNO(ECONNREFUSED), MSG_ERRNO(EHOSTDOWN), MSG_ERRNO(EHOSTUNREACH),
	MSG_ERRNO(EALREADY), MSG_ERRNO(EINPROGRESS),
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

int
msg_format(char *buf, size_t size, const char *what, int err, const char *hint)
{
	const char *name = msg_errno_name(err);
	char reason[160] = "";
	int n;

	if (err != 0 && name != NULL)
		snprintf(reason, sizeof reason, ": %s [%s]", strerror(err), name);
	else if (err != 0)
		snprintf(reason, sizeof reason, ": %s [errno %d]", strerror(err), err);
	n = snprintf(buf, size, "%s%s.%s%s", what, reason,
	    hint != NULL ? " " : "", hint != NULL ? hint : "");
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
