/* lsofrow - one line of lsof's output, split into its columns and decoded. */
#ifndef PORTLAB_LSOFROW_H
#define PORTLAB_LSOFROW_H

#include <stddef.h>

/* The columns lsof can print, in the order it prints them. */
enum lsofrow_col {
	LSOFROW_COMMAND,	/* left-aligned */
	LSOFROW_PID,
	LSOFROW_TID,		/* lsof -K: threads */
	LSOFROW_TASKCMD,	/* left-aligned */
	LSOFROW_ZONE,		/* left-aligned; Solaris */
	LSOFROW_CONTEXT,	/* SECURITY-CONTEXT, left-aligned; lsof -Z */
	LSOFROW_PPID,		/* lsof -R */
	LSOFROW_PGID,		/* lsof -g */
	LSOFROW_USER,
	LSOFROW_FD,		/* number right-aligned, then mode and lock */
	LSOFROW_TYPE,
	LSOFROW_FILE_ADDR,	/* lsof +f g c f n: kernel file structure */
	LSOFROW_FCT,
	LSOFROW_FILE_FLAG,
	LSOFROW_NODE_ID,
	LSOFROW_DEVICE,
	LSOFROW_SIZE_OFF,
	LSOFROW_SIZE,		/* lsof -s */
	LSOFROW_OFF,		/* lsof -o */
	LSOFROW_NLINK,		/* lsof +L */
	LSOFROW_NODE,
	LSOFROW_NAME,		/* left-aligned, the rest of the line */
	LSOFROW_OTHER,		/* a title this parser does not know */
	LSOFROW_NCOLS
};

/* The title lsof prints for a column ("SIZE/OFF"); "?" for LSOFROW_OTHER. */
const char *lsofrow_col_title(enum lsofrow_col col);

/* Bytes line[off .. off+len) of the line that was parsed; len 0 is an empty cell. */
struct lsofrow_span {
	size_t off, len;
};

#define LSOFROW_HEADER_MAX 24	/* more columns than lsof ever prints */

/* Where each column's title sits in a header line. */
struct lsofrow_header {
	size_t ncols;
	struct lsofrow_header_col {
		enum lsofrow_col col;
		size_t start, end;	/* the title is line[start .. end) */
		char title[20];		/* as written, cut to fit */
	} cols[LSOFROW_HEADER_MAX];
};

/*
 * Parse line[0..len) as lsof's header ("COMMAND PID USER FD ... NAME").
 * Returns 0 and fills hdr, or -1 with errno EINVAL when it is not one.
 */
int lsofrow_parse_header(const char *line, size_t len, struct lsofrow_header *hdr);

/* The FD column: a descriptor number with its mode and lock, or a name. */
enum lsofrow_fd_kind {
	LSOFROW_FD_NUMBER,	/* "3u", "6uW", "0r" */
	LSOFROW_FD_BIG,		/* "*123u": 10000 or more, only the last 3 digits shown */
	LSOFROW_FD_SPECIAL	/* "cwd", "txt", "mem", "DEL", "NOFD", ...; "mem-w" with a lock */
};

struct lsofrow_fd {
	enum lsofrow_fd_kind kind;
	long number;		/* the descriptor; for LSOFROW_FD_BIG its last 3 digits */
	char name[8];		/* the special name, "" for numbers */
	char mode;		/* 'r', 'w', 'u', ' ' (unknown) or '-' (unknown, a lock follows) */
	char lock;		/* 'r' 'R' 'w' 'W' 'u' 'U' 'N' 'x' 'X', or ' ' for none */
};

/*
 * Parse s[0..len), one FD cell such as "3u", "6uW", "*123r", "cwd" or "mem-w".
 * Returns 0 and fills fd, or -1 with errno EINVAL.
 */
int lsofrow_parse_fd(const char *s, size_t len, struct lsofrow_fd *fd);

/* TCP states, whichever spelling lsof used (Linux FIN_WAIT1, BSD FIN_WAIT_1). */
enum lsofrow_state {
	LSOFROW_NO_STATE,	/* no "(STATE)", as for UDP */
	LSOFROW_STATE_OTHER,	/* a word this parser does not know */
	LSOFROW_ESTABLISHED,
	LSOFROW_LISTEN,
	LSOFROW_SYN_SENT,
	LSOFROW_SYN_RECV,	/* BSD: SYN_RCVD */
	LSOFROW_FIN_WAIT1,	/* BSD: FIN_WAIT_1 */
	LSOFROW_FIN_WAIT2,	/* BSD: FIN_WAIT_2 */
	LSOFROW_TIME_WAIT,
	LSOFROW_CLOSE,		/* BSD: CLOSED */
	LSOFROW_CLOSE_WAIT,
	LSOFROW_LAST_ACK,
	LSOFROW_CLOSING
};

/* One end of a network NAME: host and port as lsof wrote them. */
struct lsofrow_end {
	struct lsofrow_span host;	/* "127.0.0.1", "[::1]", "*", "localhost" */
	struct lsofrow_span port;	/* "8080", "*", "http-alt" */
	long port_number;		/* 0-65535 if written as digits, else -1 */
};

/* The NAME of an IPv4/IPv6 row: LOCAL[->REMOTE] [ENDPOINTS] [(STATE [MORE])]. */
struct lsofrow_inet {
	struct lsofrow_end local, remote;
	int has_remote;
	struct lsofrow_span endpoints;	/* lsof +E: "4242,curl,3u ..." (len 0 if none) */
	struct lsofrow_span state;	/* the word inside the parentheses */
	struct lsofrow_span more;	/* lsof -T: what follows it there, "QR=0 QS=0" */
	enum lsofrow_state tcp_state;
	int bsd_spelling;		/* 1 for SYN_RCVD, FIN_WAIT_1, CLOSED, ... */
};

/*
 * Parse s[0..len) as the NAME of a network row. Spans are offsets into s.
 * Returns 0 and fills inet, or -1 with errno EINVAL.
 */
int lsofrow_parse_inet(const char *s, size_t len, struct lsofrow_inet *inet);

/*
 * 1 if s[0..len) is one endpoint lsof +E lists: "PID,COMMAND,FD" such as
 * "4242,curl,3u", the process at the other end of a pipe, socket or eventfd.
 * Sets *pid, and *command and *fd to spans within s. Else 0.
 */
int lsofrow_parse_endpoint(const char *s, size_t len, long *pid, struct lsofrow_span *command,
    struct lsofrow_span *fd);

/*
 * Where the +E endpoint words at the end of s[0..len) begin, with the
 * spaces before them: "pipe 4242,curl,3u" gives 4. len if there are none.
 */
size_t lsofrow_endpoints_start(const char *s, size_t len);

/* One row, split into columns. Every span is an offset into the parsed line. */
struct lsofrow {
	struct lsofrow_span cell[LSOFROW_NCOLS];	/* OTHER: the first extra column */
	long pid;
	struct lsofrow_fd fd;
	int is_inet;			/* NAME was parsed into inet */
	struct lsofrow_inet inet;
	int by_header;			/* split by the header's positions, not at spaces */
	const char *error;		/* on failure: why the line is not a row; N_()-marked, print _(error) */
};

/*
 * Parse line[0..len) (no newline; NUL bytes are data) as one row of lsof's
 * output. With hdr, cells are cut at the header's column positions, as lsof
 * aligned them, so empty cells and a NAME with spaces come out right; a row
 * that does not line up, or hdr NULL, is split at spaces instead. Returns 0
 * and fills row, or -1 with errno EINVAL and row->error saying why.
 */
int lsofrow_parse(const char *line, size_t len, const struct lsofrow_header *hdr,
    struct lsofrow *row);

#endif
