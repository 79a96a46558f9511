/*
 * fuzz_lsofrow - lsofrow_parse_header, lsofrow_parse, lsofrow_parse_fd and
 * lsofrow_parse_inet: lsof's output, split into lines as lsof-explain does.
 * Properties: every span lies inside the line it came from (a network
 * NAME's parts inside the NAME cell); a header's columns are in order and
 * inside the line; a PID is a number; a parsed FD has a known mode and
 * lock; a port written in digits is 0-65535; +E endpoints and -T words
 * lie inside the NAME; a refused row says why.
 */
#include "fuzz.h"
#include "lsofrow.h"

#include <string.h>

static int
span_inside(struct lsofrow_span s, struct lsofrow_span outer)
{
	return s.off >= outer.off && s.off + s.len <= outer.off + outer.len;
}

static void
check_row(const char *line, size_t len, const struct lsofrow *row)
{
	struct lsofrow_span whole = { 0, len }, name = row->cell[LSOFROW_NAME];
	const struct lsofrow_end *ends[2] = { &row->inet.local, &row->inet.remote };
	size_t i;

	for (i = 0; i < LSOFROW_NCOLS; i++)
		CHECK(span_inside(row->cell[i], whole));
	CHECK(row->cell[LSOFROW_COMMAND].len > 0 && row->pid >= 0);
	CHECK(strchr("rwu -", row->fd.mode) != NULL && row->fd.mode != '\0');
	CHECK(strchr("rRwWuUNxX ", row->fd.lock) != NULL && row->fd.lock != '\0');
	CHECK(row->fd.kind != LSOFROW_FD_BIG || (row->fd.number >= 0 && row->fd.number <= 999));
	if (!row->is_inet)
		return;
	for (i = 0; i < 2; i++) {
		CHECK(span_inside(ends[i]->host, name) && span_inside(ends[i]->port, name));
		CHECK(ends[i]->port_number >= -1 && ends[i]->port_number <= 65535);
	}
	CHECK(span_inside(row->inet.state, name));
	CHECK(row->inet.endpoints.len == 0 || span_inside(row->inet.endpoints, name));
	CHECK(row->inet.more.len == 0 || span_inside(row->inet.more, name));
	CHECK(lsofrow_endpoints_start(line + name.off, name.len) <= name.len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lsofrow_header hdr;
	static struct lsofrow row;
	const char *text = (const char *)data, *line, *nl;
	size_t len, i, left = size;
	int have_header = 0;

	for (line = text; left > 0; line = nl + 1, left -= len + 1) {
		nl = memchr(line, '\n', left);
		len = nl ? (size_t)(nl - line) : left;
		if (!have_header && lsofrow_parse_header(line, len, &hdr) == 0) {
			have_header = 1;
			CHECK(hdr.ncols > 0 && hdr.ncols <= LSOFROW_HEADER_MAX);
			for (i = 0; i < hdr.ncols; i++) {
				CHECK(hdr.cols[i].start < hdr.cols[i].end && hdr.cols[i].end <= len);
				CHECK(i == 0 || hdr.cols[i - 1].end <= hdr.cols[i].start);
				CHECK(strlen(hdr.cols[i].title) < sizeof hdr.cols[i].title);
			}
		} else {
			if (lsofrow_parse(line, len, have_header ? &hdr : NULL, &row) == 0)
				check_row(line, len, &row);
			else
				CHECK(row.error != NULL && row.error[0] != '\0');
			if (lsofrow_parse(line, len, NULL, &row) == 0)
				check_row(line, len, &row);
		}
		if (nl == NULL)
			break;
	}
	return 0;
}
