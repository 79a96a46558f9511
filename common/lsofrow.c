/*
 * lsofrow - one line of lsof's output, split into its columns and decoded.
 *
 * lsof sizes every column to its widest cell before it prints, then pads:
 * COMMAND, TASKCMD, ZONE, SECURITY-CONTEXT and NAME are left-aligned, the
 * rest right-aligned, and the FD number is right-aligned with its mode and
 * lock characters after it (lsof's print.c). So in a header and the rows
 * under it, a left-aligned cell starts where its title starts, and a
 * right-aligned cell ends where its title ends. That is how empty cells and
 * a NAME with spaces are found. Nothing here trusts the input: every length
 * is explicit and NUL bytes are ordinary data.
 */
#include <errno.h>
#include <string.h>

#include "lsofrow.h"
#include "i18n.h"

#define TOKENS_MAX 64		/* cells we look at before NAME */

static const char *const titles[LSOFROW_NCOLS] = {
	"COMMAND", "PID", "TID", "TASKCMD", "ZONE", "SECURITY-CONTEXT", "PPID",
	"PGID", "USER", "FD", "TYPE", "FILE-ADDR", "FCT", "FILE-FLAG", "NODE-ID",
	"DEVICE", "SIZE/OFF", "SIZE", "OFF", "NLINK", "NODE", "NAME", "?"
};

const char *
lsofrow_col_title(enum lsofrow_col col)
{
	return col < LSOFROW_NCOLS ? titles[col] : "?";
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* 1 if s[0..len) is 1-maxdigits decimal digits. */
static int
all_digits(const char *s, size_t len, size_t maxdigits)
{
	size_t i;

	if (len == 0 || len > maxdigits)
		return 0;
	for (i = 0; i < len; i++)
		if (!is_digit(s[i]))
			return 0;
	return 1;
}

static long
digits_value(const char *s, size_t len)
{
	long v = 0;
	size_t i;

	for (i = 0; i < len; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int
span_is(const char *line, struct lsofrow_span sp, const char *word)
{
	size_t n = strlen(word);

	return sp.len == n && memcmp(line + sp.off, word, n) == 0;
}

/* Split line[from..to) at spaces into at most max tokens; returns the count. */
static size_t
tokenize(const char *line, size_t from, size_t to, struct lsofrow_span *tok, size_t max)
{
	size_t n = 0, i = from, start;

	while (i < to && n < max) {
		while (i < to && is_space(line[i]))
			i++;
		if (i == to)
			break;
		start = i;
		while (i < to && !is_space(line[i]))
			i++;
		tok[n].off = start;
		tok[n++].len = i - start;
	}
	return n;
}

/* The length without trailing spaces, tabs and a CR. */
static size_t
trim_end(const char *line, size_t len)
{
	while (len > 0 && (is_space(line[len - 1]) || line[len - 1] == '\r'))
		len--;
	return len;
}

int
lsofrow_parse_header(const char *line, size_t len, struct lsofrow_header *hdr)
{
	struct lsofrow_span tok[LSOFROW_HEADER_MAX + 1];
	size_t n, i, has_pid = 0, has_fd = 0;
	int c;

	len = trim_end(line, len);
	n = tokenize(line, 0, len, tok, LSOFROW_HEADER_MAX + 1);
	if (n < 3 || n > LSOFROW_HEADER_MAX || !span_is(line, tok[0], "COMMAND") ||
	    !span_is(line, tok[n - 1], "NAME")) {
		errno = EINVAL;
		return -1;
	}
	hdr->ncols = n;
	for (i = 0; i < n; i++) {
		struct lsofrow_header_col *col = &hdr->cols[i];
		size_t copy = tok[i].len < sizeof col->title - 1 ?
		    tok[i].len : sizeof col->title - 1;

		col->col = LSOFROW_OTHER;
		for (c = 0; c < LSOFROW_OTHER; c++)
			if (span_is(line, tok[i], titles[c]))
				col->col = (enum lsofrow_col)c;
		col->start = tok[i].off;
		col->end = tok[i].off + tok[i].len;
		memcpy(col->title, line + tok[i].off, copy);
		col->title[copy] = '\0';
		has_pid += col->col == LSOFROW_PID;
		has_fd += col->col == LSOFROW_FD;
	}
	if (has_pid != 1 || has_fd != 1) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static int
is_mode(char c)
{
	return c == 'r' || c == 'w' || c == 'u';
}

static int
is_lock(char c)
{
	return c != '\0' && strchr("rRwWuUNxX", c) != NULL;
}

/* The mode and lock after a descriptor number: "", "u", "uW", "-W". */
static int
parse_mode_lock(const char *s, size_t len, struct lsofrow_fd *fd)
{
	fd->mode = ' ';
	fd->lock = ' ';
	if (len == 0)
		return 0;
	if (len == 1 && is_mode(s[0])) {
		fd->mode = s[0];
		return 0;
	}
	if (len == 2 && (is_mode(s[0]) || s[0] == '-') && is_lock(s[1])) {
		fd->mode = s[0];
		fd->lock = s[1];
		return 0;
	}
	return -1;
}

static int
is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int
lsofrow_parse_fd(const char *s, size_t len, struct lsofrow_fd *fd)
{
	size_t digits = 0, i;

	memset(fd, 0, sizeof *fd);
	fd->mode = fd->lock = ' ';
	if (len > 0 && s[0] == '*') {
		/* lsof keeps 4 places: 10000 and up become "*" + the last 3 digits. */
		if (len >= 4 && all_digits(s + 1, 3, 3) && parse_mode_lock(s + 4, len - 4, fd) == 0) {
			fd->kind = LSOFROW_FD_BIG;
			fd->number = digits_value(s + 1, 3);
			return 0;
		}
	} else if (len > 0 && is_digit(s[0])) {
		while (digits < len && is_digit(s[digits]))
			digits++;
		if (digits <= 9 && parse_mode_lock(s + digits, len - digits, fd) == 0) {
			fd->kind = LSOFROW_FD_NUMBER;
			fd->number = digits_value(s, digits);
			return 0;
		}
	} else if (len > 0 && is_letter(s[0])) {
		/*
		 * cwd, rtd, txt, mem, DEL, NOFD, ... and any other short name;
		 * with a lock, "-" and its letter follow: "mem-w" (sqlite files).
		 */
		for (i = 1; i < len; i++)
			if (!is_letter(s[i]) && !is_digit(s[i]))
				break;
		if (i < sizeof fd->name && (i == len || parse_mode_lock(s + i, len - i, fd) == 0) &&
		    (i == len || fd->mode == '-')) {
			fd->kind = LSOFROW_FD_SPECIAL;
			memcpy(fd->name, s, i);
			fd->name[i] = '\0';
			return 0;
		}
	}
	errno = EINVAL;
	return -1;
}

/* Linux's spellings, then the BSD/macOS ones (lsof prints the kernel's names). */
static const struct {
	const char *word;
	enum lsofrow_state state;
	int bsd;
} state_words[] = {
	{ "ESTABLISHED", LSOFROW_ESTABLISHED, 0 }, { "LISTEN", LSOFROW_LISTEN, 0 },
	{ "SYN_SENT", LSOFROW_SYN_SENT, 0 }, { "SYN_RECV", LSOFROW_SYN_RECV, 0 },
	{ "NEW_SYN_RECV", LSOFROW_SYN_RECV, 0 }, { "FIN_WAIT1", LSOFROW_FIN_WAIT1, 0 },
	{ "FIN_WAIT2", LSOFROW_FIN_WAIT2, 0 }, { "TIME_WAIT", LSOFROW_TIME_WAIT, 0 },
	{ "CLOSE", LSOFROW_CLOSE, 0 }, { "CLOSE_WAIT", LSOFROW_CLOSE_WAIT, 0 },
	{ "LAST_ACK", LSOFROW_LAST_ACK, 0 }, { "CLOSING", LSOFROW_CLOSING, 0 },
	{ "SYN_RCVD", LSOFROW_SYN_RECV, 1 }, { "FIN_WAIT_1", LSOFROW_FIN_WAIT1, 1 },
	{ "FIN_WAIT_2", LSOFROW_FIN_WAIT2, 1 }, { "CLOSED", LSOFROW_CLOSE, 1 },
};

/* A byte lsof may print in a host or a port; never a space or a control byte. */
static int
is_name_byte(char c)
{
	return c > ' ' && c < 0x7f;
}

/* One end, "HOST:PORT", in s[from..to). IPv6 hosts come in brackets. */
static int
parse_end(const char *s, size_t from, size_t to, struct lsofrow_end *end)
{
	size_t colon, i;
	const char *close;

	if (from >= to)
		return -1;
	for (i = from; i < to; i++)
		if (!is_name_byte(s[i]))
			return -1;
	if (s[from] == '[') {
		close = memchr(s + from, ']', to - from);
		if (close == NULL)
			return -1;
		colon = (size_t)(close - s) + 1;
		if (colon >= to || s[colon] != ':')
			return -1;
	} else {
		for (colon = to; colon > from && s[colon - 1] != ':'; colon--)
			;
		if (colon == from)
			return -1;
		colon--;
	}
	end->host.off = from;
	end->host.len = colon - from;
	end->port.off = colon + 1;
	end->port.len = to - colon - 1;
	if (end->host.len == 0 || end->port.len == 0)
		return -1;
	end->port_number = -1;
	if (all_digits(s + end->port.off, end->port.len, 5)) {
		end->port_number = digits_value(s + end->port.off, end->port.len);
		if (end->port_number > 65535)
			return -1;
	}
	return 0;
}

/* "(ESTABLISHED)" at the end of s[0..*len): record it and cut it off. */
static void
parse_state(const char *s, size_t *len, struct lsofrow_inet *inet)
{
	size_t open = *len, word;
	size_t i;

	if (*len < 3 || s[*len - 1] != ')')
		return;
	while (open > 0 && s[open - 1] != '(')
		open--;
	if (open < 2 || s[open - 2] != ' ')
		return;
	/* The state is the first word; lsof -T adds more (QR=0 QS=0). */
	for (word = open; word < *len - 1 && s[word] != ' '; word++)
		;
	inet->state.off = open;
	inet->state.len = word - open;
	if (word + 1 < *len - 1) {
		inet->more.off = word + 1;
		inet->more.len = *len - 1 - (word + 1);
	}
	inet->tcp_state = LSOFROW_STATE_OTHER;
	for (i = 0; i < sizeof state_words / sizeof state_words[0]; i++)
		if (span_is(s, inet->state, state_words[i].word)) {
			inet->tcp_state = state_words[i].state;
			inet->bsd_spelling = state_words[i].bsd;
		}
	*len = open - 2;
	while (*len > 0 && s[*len - 1] == ' ')
		(*len)--;
}

int
lsofrow_parse_endpoint(const char *s, size_t len, long *pid, struct lsofrow_span *command,
    struct lsofrow_span *fd)
{
	struct lsofrow_fd parsed;
	size_t first, second;

	for (first = 0; first < len && s[first] != ','; first++)
		;
	for (second = len; second > first + 1 && s[second - 1] != ','; second--)
		;
	if (!all_digits(s, first, 9) || second <= first + 1 || second >= len ||
	    lsofrow_parse_fd(s + second, len - second, &parsed) == -1)
		return 0;
	*pid = digits_value(s, first);
	command->off = first + 1;
	command->len = second - 1 - (first + 1);
	fd->off = second;
	fd->len = len - second;
	return command->len > 0;
}

size_t
lsofrow_endpoints_start(const char *s, size_t len)
{
	struct lsofrow_span command, fd;
	size_t start = len, word;
	long pid;

	while (start > 0) {
		for (word = start; word > 0 && s[word - 1] != ' '; word--)
			;
		if (word == 0 || !lsofrow_parse_endpoint(s + word, start - word, &pid, &command, &fd))
			break;
		start = word - 1;
		while (start > 0 && s[start - 1] == ' ')
			start--;
	}
	return start;
}

/* lsof +E: "PID,CMD,FD" words at the end of s[0..*len): record and cut them. */
static void
parse_endpoints(const char *s, size_t *len, struct lsofrow_inet *inet)
{
	size_t start = lsofrow_endpoints_start(s, *len), word;

	if (start == *len)
		return;
	for (word = start; word < *len && s[word] == ' '; word++)
		;
	inet->endpoints.off = word;
	inet->endpoints.len = *len - word;
	*len = start;
}

int
lsofrow_parse_inet(const char *s, size_t len, struct lsofrow_inet *inet)
{
	size_t arrow;

	memset(inet, 0, sizeof *inet);
	inet->local.port_number = inet->remote.port_number = -1;
	len = trim_end(s, len);
	parse_state(s, &len, inet);
	parse_endpoints(s, &len, inet);
	for (arrow = 0; arrow + 1 < len; arrow++)
		if (s[arrow] == '-' && s[arrow + 1] == '>')
			break;
	if (arrow + 1 < len) {
		inet->has_remote = 1;
		if (parse_end(s, 0, arrow, &inet->local) == 0 &&
		    parse_end(s, arrow + 2, len, &inet->remote) == 0)
			return 0;
	} else if (parse_end(s, 0, len, &inet->local) == 0)
		return 0;
	errno = EINVAL;
	return -1;
}

/* The column a token belongs to, by the header's positions; -1 if none. */
static int
header_column(const struct lsofrow_header *hdr, struct lsofrow_span tok)
{
	size_t i, ts = tok.off, te = tok.off + tok.len;

	for (i = 0; i + 1 < hdr->ncols; i++) {
		const struct lsofrow_header_col *c = &hdr->cols[i];

		switch (c->col) {
		case LSOFROW_COMMAND: case LSOFROW_TASKCMD: case LSOFROW_ZONE:
		case LSOFROW_CONTEXT:
			if (ts == c->start)
				return (int)i;
			break;
		case LSOFROW_FD:	/* the number ends under "FD", mode and lock follow */
			if (ts < c->end && te >= c->end && te <= c->end + 2)
				return (int)i;
			break;
		case LSOFROW_OTHER:	/* alignment unknown: any overlap */
			if (ts < c->end && te > c->start)
				return (int)i;
			break;
		default:
			if (te == c->end)
				return (int)i;
		}
	}
	return -1;
}

/* Cut the row at the header's column positions. Returns 0, or -1 if it does not line up. */
static int
split_by_header(const char *line, size_t len, const struct lsofrow_header *hdr,
    struct lsofrow *row)
{
	struct lsofrow_span tok[TOKENS_MAX];
	size_t name = hdr->cols[hdr->ncols - 1].start, before, n, i;
	enum lsofrow_col col;
	int c;

	before = len < name ? len : name;
	if (len > name && name > 0 && !is_space(line[name - 1]))
		return -1;	/* a cell runs into NAME */
	n = tokenize(line, 0, before, tok, TOKENS_MAX);
	for (i = 0; i < n; i++) {
		if ((c = header_column(hdr, tok[i])) < 0)
			return -1;
		col = hdr->cols[c].col;
		if (row->cell[col].len > 0 && col != LSOFROW_OTHER)
			return -1;	/* two cells in one column */
		if (row->cell[col].len == 0)
			row->cell[col] = tok[i];
	}
	if (len > name) {
		row->cell[LSOFROW_NAME].off = name;
		row->cell[LSOFROW_NAME].len = len - name;
	}
	row->by_header = 1;
	return 0;
}

/* Number-like cells of DEVICE, SIZE/OFF and NODE: 254,0  0t0  0x1f2e  174471. */
static int
numberish(const char *line, struct lsofrow_span t)
{
	size_t i;

	if (t.len == 0 || !is_digit(line[t.off]))
		return 0;
	for (i = 1; i < t.len; i++) {
		char c = line[t.off + i];

		if (!is_digit(c) && c != ',' && c != 'x' && c != 't' &&
		    !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F'))
			return 0;
	}
	return 1;
}

/* An offset as lsof writes it in decimal: 0t0, 0t1234. */
static int
is_decimal_offset(const char *line, struct lsofrow_span t)
{
	return t.len > 2 && line[t.off] == '0' && line[t.off + 1] == 't' &&
	    all_digits(line + t.off + 2, t.len - 2, 20);
}

/*
 * 1 if tok, just after the FD, starts a NAME rather than being a TYPE: the
 * rows lsof prints when it could not look (macOS: "(revoked)", "no more
 * information", "pipe: FD unavailable", "unknown file type: 12").
 */
static int
starts_name(const char *line, const struct lsofrow_span *tok, size_t n)
{
	const char *s = line + tok[0].off;

	return s[0] == '(' || s[tok[0].len - 1] == ':' ||
	    (span_is(line, tok[0], "no") && n > 1 && span_is(line, tok[1], "more")) ||
	    (span_is(line, tok[0], "unknown") && n > 2 && span_is(line, tok[1], "file") &&
	    span_is(line, tok[2], "type:"));
}

static int
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

/*
 * DEVICE, SIZE/OFF and NODE from the tokens after TYPE; returns how many
 * tokens they took. Network rows end them at the protocol (TCP); other rows
 * take up to three number-like tokens and guess which one is missing.
 */
static size_t
split_middle(const char *line, const struct lsofrow_span *tok, size_t n,
    struct lsofrow *row)
{
	int inet = span_is(line, row->cell[LSOFROW_TYPE], "IPv4") ||
	    span_is(line, row->cell[LSOFROW_TYPE], "IPv6");
	size_t k = 0, i;

	if (inet) {
		for (i = 0; i < n && i < 3; i++)
			if (is_upper(line[tok[i].off])) {
				row->cell[LSOFROW_NODE] = tok[i];
				if (i > 0)
					row->cell[LSOFROW_DEVICE] = tok[0];
				if (i > 1)
					row->cell[LSOFROW_SIZE_OFF] = tok[1];
				return i + 1;
			}
	}
	while (k < n && k < 3 && numberish(line, tok[k]))
		k++;
	/*
	 * macOS rows with no DEVICE start with SIZE/OFF: a FIFO's, a PSXSEM's or
	 * a routing socket's offset (0t0), a PSXSHM's size.
	 */
	if (k >= 1 && k <= 2 && (is_decimal_offset(line, tok[0]) ||
	    span_is(line, row->cell[LSOFROW_TYPE], "PSXSHM"))) {
		row->cell[LSOFROW_SIZE_OFF] = tok[0];
		if (k == 2)
			row->cell[LSOFROW_NODE] = tok[1];
		return k;
	}
	if (k >= 1)
		row->cell[LSOFROW_DEVICE] = tok[0];
	if (k == 3) {
		row->cell[LSOFROW_SIZE_OFF] = tok[1];
		row->cell[LSOFROW_NODE] = tok[2];
	} else if (k == 2) {
		/* An offset is written 0t.. or 0x..; a bare number after a socket is its inode. */
		const char *s = line + tok[1].off;
		int offset = tok[1].len > 2 && s[0] == '0' && (s[1] == 't' || s[1] == 'x');

		/* Sizes: files, and macOS's PIPE (its buffer) and LINK. */
		if (offset || span_is(line, row->cell[LSOFROW_TYPE], "REG") ||
		    span_is(line, row->cell[LSOFROW_TYPE], "DIR") ||
		    span_is(line, row->cell[LSOFROW_TYPE], "PIPE") ||
		    span_is(line, row->cell[LSOFROW_TYPE], "LINK"))
			row->cell[LSOFROW_SIZE_OFF] = tok[1];
		else
			row->cell[LSOFROW_NODE] = tok[1];
	}
	return k;
}

/* FD names lsof prints instead of a number (lsof(8), OUTPUT, FD). */
static int
known_special(const char *name)
{
	static const char *const names[] = { "cwd", "rtd", "txt", "mem", "mmap", "ltx",
	    "DEL", "err", "NOFD", "twd", "pd", "jld", "tr", "v86", "m86" };
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/*
 * The index of the FD among tok[3..6], or 0. A number with a mode (3u) or
 * a known name (cwd) wins; then a bare number (macOS pipes: "4"); then any
 * other short name. Earlier tokens may be TID, TASKCMD, PPID or PGID.
 */
static size_t
find_fd(const char *line, const struct lsofrow_span *tok, size_t n)
{
	struct lsofrow_fd fd;
	size_t i, bare = 0, other = 0;

	for (i = 3; i < n && i <= 6; i++) {
		if (lsofrow_parse_fd(line + tok[i].off, tok[i].len, &fd) != 0)
			continue;
		if ((fd.kind == LSOFROW_FD_NUMBER && fd.mode != ' ') ||
		    fd.kind == LSOFROW_FD_BIG || known_special(fd.name))
			return i;
		if (fd.kind == LSOFROW_FD_NUMBER && bare == 0)
			bare = i;
		else if (fd.kind == LSOFROW_FD_SPECIAL && other == 0)
			other = i;
	}
	return bare != 0 ? bare : other;
}

/*
 * Split at spaces, for rows with no header above them (after grep, say).
 * row->error is English, marked for the catalogue: callers print _(row->error).
 */
static int
split_by_spaces(const char *line, size_t len, struct lsofrow *row)
{
	struct lsofrow_span tok[TOKENS_MAX];
	size_t n, f, next;

	n = tokenize(line, 0, len, tok, TOKENS_MAX);
	if (n < 4) {
		row->error = n == 0 ? N_("an empty line") :
		    N_("too few columns; a row has at least COMMAND, PID, USER and FD");
		return -1;
	}
	if (!all_digits(line + tok[1].off, tok[1].len, 10)) {
		row->error = N_("the second column should be a process ID (a number)");
		return -1;
	}
	if ((f = find_fd(line, tok, n)) == 0) {
		row->error = N_("no FD column (like 3u, cwd or txt) after COMMAND, PID and USER");
		return -1;
	}
	row->cell[LSOFROW_COMMAND] = tok[0];
	row->cell[LSOFROW_PID] = tok[1];
	row->cell[LSOFROW_USER] = tok[f - 1];
	if (f > 3)	/* TID, TASKCMD, PPID or PGID: only a header could say which */
		row->cell[LSOFROW_OTHER] = tok[2];
	row->cell[LSOFROW_FD] = tok[f];
	next = f + 1;
	if (next < n && !span_is(line, tok[f], "NOFD") && !starts_name(line, tok + next, n - next)) {
		row->cell[LSOFROW_TYPE] = tok[next++];
		next += split_middle(line, tok + next, n - next, row);
	}
	if (next < n) {
		row->cell[LSOFROW_NAME].off = tok[next].off;
		row->cell[LSOFROW_NAME].len = len - tok[next].off;
	}
	return 0;
}

/* Decode PID, FD and a network NAME; the cells are already cut. */
static int
decode(const char *line, struct lsofrow *row)
{
	struct lsofrow_span *c = row->cell;

	if (c[LSOFROW_COMMAND].len == 0) {
		row->error = N_("the COMMAND column is empty");
		return -1;
	}
	if (!all_digits(line + c[LSOFROW_PID].off, c[LSOFROW_PID].len, 10)) {
		row->error = N_("the PID column is not a number");
		return -1;
	}
	row->pid = digits_value(line + c[LSOFROW_PID].off, c[LSOFROW_PID].len);
	if (lsofrow_parse_fd(line + c[LSOFROW_FD].off, c[LSOFROW_FD].len, &row->fd) != 0) {
		row->error = N_("the FD column is not a descriptor (like 3u) or a name (like cwd)");
		return -1;
	}
	if ((span_is(line, c[LSOFROW_TYPE], "IPv4") || span_is(line, c[LSOFROW_TYPE], "IPv6")) &&
	    lsofrow_parse_inet(line + c[LSOFROW_NAME].off, c[LSOFROW_NAME].len, &row->inet) == 0) {
		struct lsofrow_span *s[] = { &row->inet.local.host, &row->inet.local.port,
		    &row->inet.remote.host, &row->inet.remote.port, &row->inet.state,
		    &row->inet.endpoints, &row->inet.more };
		size_t i;

		for (i = 0; i < sizeof s / sizeof s[0]; i++)
			s[i]->off += c[LSOFROW_NAME].off;
		row->is_inet = 1;
	}
	return 0;
}

int
lsofrow_parse(const char *line, size_t len, const struct lsofrow_header *hdr,
    struct lsofrow *row)
{
	memset(row, 0, sizeof *row);
	len = trim_end(line, len);
	if (hdr != NULL && hdr->ncols > 0 && split_by_header(line, len, hdr, row) == 0 &&
	    decode(line, row) == 0)
		return 0;
	/* No header, or this row does not line up with it: split at spaces. */
	memset(row, 0, sizeof *row);
	if (split_by_spaces(line, len, row) == 0 && decode(line, row) == 0)
		return 0;
	errno = EINVAL;
	return -1;
}
