/*
 * cookie.c - cors-lab's login cookie: what "credentialed" means.
 *
 * POST /api/login on the API origin answers with Set-Cookie: a session, with
 * an explicit SameSite. GET /api/private answers 200 to a request that
 * carries it and 401 to one that does not. Whether the browser sends it is
 * decided by the cookie rules (RFC 6265bis), by *site*, not by origin: a
 * site is the scheme and the registrable domain, so http://localhost:3000
 * and http://localhost:5173 are two origins but one site, and cookies
 * ignore ports. http://127.0.0.1:3000 is another site. The browser says
 * which it thinks a request is in Sec-Fetch-Site, and this log quotes it.
 * Whether the page may then *read* the answer is CORS's question
 * (cors-lab.c), asked after the cookie has gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "i18n.h"

#include "cors-lab.h"

static const char *const same_site_names[] = { "Lax", "Strict", "None" };

static const char *fetch_site(const struct http_request *r);
static const struct session *session_of(const struct lab *lab, const struct http_request *r, int *had);
static const char *login_reason(const char *site, enum same_site same_site);
static const char *private_reason(const struct http_request *r, const char *site,
    const struct session *s, int had);
static int new_session_id(char *id, size_t size);

/*
 * 1 if the browser sends this request with credentials. The page writes
 * its fetch()'s credentials mode in the URL (?credentials=omit), because
 * no header tells a server; without it, /api/private and /api/login are
 * taken to be called with credentials 'include', as the page does.
 */
int
cookie_credentialed(const struct http_request *r)
{
	if (strcmp(r->path, "/api/private") != 0 && strcmp(r->path, "/api/login") != 0)
		return 0;
	return !lab_query_is(r, "credentials", "omit") && !lab_query_is(r, "credentials", "same-origin");
}

/*
 * POST /api/login?samesite=lax|strict|none: a new session, and its
 * Set-Cookie line added to extra. SameSite=None needs Secure, or the
 * browser drops the cookie; over http, Chromium takes a Secure cookie only
 * from a trustworthy origin such as http://localhost. Returns 200, or 400
 * for another samesite, or 500 when no random id could be made.
 */
int
cookie_login(struct lab *lab, const struct http_request *r, char *extra, size_t size)
{
	struct session *s;
	int same_site = SAME_SITE_LAX;

	if (lab_query(r, "samesite", &(size_t){ 0 }) != NULL) {
		for (same_site = 0; same_site < 3; same_site++)
			if (lab_query_is(r, "samesite", same_site == SAME_SITE_LAX ? "lax" :
			    same_site == SAME_SITE_STRICT ? "strict" : "none"))
				break;
		if (same_site == 3)
			return 400;
	}
	s = &lab->sessions[lab->nsessions % SESSION_MAX];
	if (new_session_id(s->id, sizeof s->id) == -1)
		return 500;
	lab->nsessions++;
	s->same_site = (enum same_site)same_site;
	snprintf(extra, size, "Set-Cookie: session=%s; Path=/; HttpOnly; SameSite=%s%s\r\n", s->id,
	    same_site_names[same_site], same_site == SAME_SITE_NONE ? "; Secure" : "");
	return 200;
}

/* GET /api/private: 1 if it carries a session cookie this run handed out. */
int
cookie_private(struct lab *lab, const struct http_request *r)
{
	int had;
	const struct session *s = session_of(lab, r, &had);

	lab->last_cookie = s != NULL;
	return s != NULL;
}

/*
 * The cookie's line under the API's log line: what was set or sent, the
 * browser's Sec-Fetch-Site, and why, in the cookie rules' words.
 */
void
cookie_log(const struct lab *lab, const struct http_request *r, int status)
{
	const char *site = fetch_site(r), *shown_site = site ? site : "-";
	const struct session *s;
	int had;

	if (strcmp(r->method, "OPTIONS") == 0)
		return;
	if (strcmp(r->path, "/api/login") == 0) {
		if (status != 200)
			return;
		s = &lab->sessions[(lab->nsessions - 1) % SESSION_MAX];
		printf("     Set-Cookie: session=...; SameSite=%s%s, Sec-Fetch-Site: %s  => %s\n",
		    same_site_names[s->same_site], s->same_site == SAME_SITE_NONE ? "; Secure" : "",
		    shown_site, login_reason(site, s->same_site));
		return;
	}
	s = session_of(lab, r, &had);
	if (s != NULL)
		printf("     Cookie: session (SameSite=%s), Sec-Fetch-Site: %s  => %s\n",
		    same_site_names[s->same_site], shown_site, private_reason(r, site, s, had));
	else
		printf("     %s, Sec-Fetch-Site: %s  => %s\n", had ? "Cookie: session (?)" : "no Cookie",
		    shown_site, private_reason(r, site, s, had));
}

/* A note for the page origin's log when the API's cookie came there too (NULL: it did not). */
const char *
cookie_page_note(const struct http_request *r)
{
	size_t len;
	const char *v = http_header(r, "cookie", &len);

	if (v == NULL || (strncmp(v, "session=", 8) != 0 && strstr(v, " session=") == NULL))
		return NULL;
	return _("Cookie: session, the API's cookie: cookies ignore ports, so it comes here too");
}

/* What the last GET /api/private carried, as JSON for the page: {"cookie":true}. */
void
cookie_last_json(const struct lab *lab, char *buf, size_t size)
{
	snprintf(buf, size, "{\"cookie\":%s}\n", lab->last_cookie < 0 ? "null" :
	    lab->last_cookie ? "true" : "false");
}

/* Why a login's cookie will or will not be kept, in the cookie rules' terms. */
static const char *
login_reason(const char *site, enum same_site same_site)
{
	if (site == NULL)
		return _("not a browser: curl keeps a cookie only with -c FILE");
	if (strcmp(site, "cross-site") != 0)
		return _("the browser stores it (the call used credentials 'include'): "
		    "the page is on this API's site, and a site has no port");
	if (same_site != SAME_SITE_NONE)
		return _("a cross-site request: the browser ignores a SameSite=Lax or Strict cookie from it");
	return _("a cross-site request: only a browser that allows third-party cookies stores it");
}

/* Why /api/private came with or without the session cookie. */
static const char *
private_reason(const struct http_request *r, const char *site, const struct session *s, int had)
{
	if (s != NULL && site == NULL)
		return _("sent, by a client that is not a browser");
	if (s != NULL && strcmp(site, "cross-site") == 0)
		return _("sent cross-site: SameSite=None; Secure, and this browser allows third-party cookies");
	if (s != NULL)
		return _("sent: the page is on this API's site (cookies ignore ports), so SameSite lets it go");
	if (had)
		return _("a session cookie this cors-lab never handed out (restarted since?)");
	if (site == NULL)
		return _("not a browser: curl sends a cookie only with -b");
	if (lab_query_is(r, "credentials", "omit"))
		return _("none: credentials mode 'omit' sends no cookie");
	if (lab_query_is(r, "credentials", "same-origin") && strcmp(site, "same-origin") != 0)
		return _("none: credentials mode 'same-origin' sends none to another origin, even on the same site");
	if (strcmp(site, "cross-site") == 0)
		return _("none: a cross-site request. SameSite=Lax and Strict cookies stay on their site; "
		    "SameSite=None; Secure goes only where the browser allows third-party cookies");
	return _("none, though the page is on this API's site: this browser has not logged in (POST /api/login)");
}

/* The request's Sec-Fetch-Site, if it is one of the four values browsers send; else NULL. */
static const char *
fetch_site(const struct http_request *r)
{
	static const char *const values[] = { "same-origin", "same-site", "cross-site", "none" };
	size_t len, i;
	const char *v = http_header(r, "sec-fetch-site", &len);

	for (i = 0; v != NULL && i < 4; i++)
		if (len == strlen(values[i]) && strncasecmp(v, values[i], len) == 0)
			return values[i];
	return NULL;
}

/*
 * The session r's Cookie header names, if this run handed it out (NULL if
 * not); *had is 1 if there was a session cookie at all.
 */
static const struct session *
session_of(const struct lab *lab, const struct http_request *r, int *had)
{
	size_t len, i, n = lab->nsessions < SESSION_MAX ? lab->nsessions : SESSION_MAX;
	const char *v = http_header(r, "cookie", &len), *end;

	*had = 0;
	/* "a=1; session=ID; b=2": find "session=" at the start or after "; ". */
	for (end = v ? v + len : NULL; v != NULL && v < end; v++) {
		if ((size_t)(end - v) > 8 && memcmp(v, "session=", 8) == 0 &&
		    (v == end - len || v[-1] == ' ' || v[-1] == ';'))
			break;
	}
	if (v == NULL || v >= end)
		return NULL;
	*had = 1;
	v += 8;
	for (len = 0; v + len < end && v[len] != ';'; len++)
		;
	for (i = 0; i < n; i++)
		if (strlen(lab->sessions[i].id) == len && memcmp(lab->sessions[i].id, v, len) == 0)
			return &lab->sessions[i];
	return NULL;
}

/* 32 hex digits from /dev/urandom into id; -1 with errno set if it cannot be read. */
static int
new_session_id(char *id, size_t size)
{
	unsigned char bytes[16];
	size_t got = 0, i;
	ssize_t n;
	int fd = open("/dev/urandom", O_RDONLY);

	if (fd == -1)
		return -1;
	while (got < sizeof bytes) {
		n = read(fd, bytes + got, sizeof bytes - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	for (i = 0; i < sizeof bytes && 2 * i + 2 < size; i++)
		snprintf(id + 2 * i, size - 2 * i, "%02x", bytes[i]);
	return 0;
}
