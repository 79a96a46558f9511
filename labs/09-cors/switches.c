/*
 * switches.c - the rest of CORS, as test-cors.org lets you try it: each
 * switch is a query parameter on /api/data (the page's switches write them),
 * so one URL says what the API will answer, and curl can ask the same.
 *
 *   ?expose=1      X-Lab-Secret: 42 is sent either way (with ?expose=0 too);
 *                  the page may read it only when Access-Control-Expose-Headers
 *                  names it: other than the CORS-safelisted ones (Content-Type
 *                  ...), a cross-origin answer's headers are hidden from it.
 *   ?narrow=methods|headers  the preflight's Access-Control-Allow-Methods
 *                  leaves out PUT, or Allow-Headers leaves out content-type:
 *                  the preflight fails and the PUT is never sent.
 *   ?maxage=0|5|600  Access-Control-Max-Age (default 5): while it lasts, the
 *                  browser reuses the preflight's answer and sends no OPTIONS.
 *   ?status=404|500  the answer's status: the page can read an error only
 *                  when it carries Access-Control-Allow-Origin too.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "i18n.h"
#include "msg.h"

#include "cors-lab.h"

static long max_age(const struct http_request *r);
static int listed(const char *list, const char *item, size_t item_len);

/* The preflight's answer lines: methods, headers and Max-Age, as the switches say. */
void
switch_preflight_headers(const struct http_request *r, char *extra, size_t size)
{
	snprintf(extra, size, "Access-Control-Allow-Methods: %s\r\nAccess-Control-Allow-Headers: %s\r\n"
	    "Access-Control-Max-Age: %ld\r\n", lab_query_is(r, "narrow", "methods") ? "GET, POST" :
	    "GET, PUT, POST", lab_query_is(r, "narrow", "headers") ? "x-requested-with" : "content-type",
	    max_age(r));
}

/*
 * Why the browser will refuse this preflight's answer though its origin is
 * allowed (Fetch, "CORS-preflight fetch"), in Chromium's words, into buf;
 * NULL if the answer covers the method and every header asked for.
 */
const char *
switch_preflight_refused(const struct http_request *r, char *buf, size_t size)
{
	static const char *const safe_methods[] = { "GET", "HEAD", "POST" };
	const char *methods = lab_query_is(r, "narrow", "methods") ? "GET, POST" : "GET, PUT, POST";
	const char *headers = lab_query_is(r, "narrow", "headers") ? "x-requested-with" : "content-type";
	const char *v, *p;
	char shown[64];
	size_t len, n;
	int i, safe = 0;

	if ((v = http_header(r, "access-control-request-method", &len)) != NULL) {
		for (i = 0; i < 3; i++)
			safe |= len == strlen(safe_methods[i]) && memcmp(v, safe_methods[i], len) == 0;
		if (!safe && !listed(methods, v, len)) {
			msg_escape(v, len, shown, sizeof shown);
			snprintf(buf, size, _("Method %s is not allowed by Access-Control-Allow-Methods"), shown);
			return buf;
		}
	}
	if ((v = http_header(r, "access-control-request-headers", &len)) == NULL)
		return NULL;
	/* "content-type,x-y": each name must be listed. */
	for (p = v; p < v + len; p += n + 1) {
		while (p < v + len && (*p == ' ' || *p == ','))
			p++;
		for (n = 0; p + n < v + len && p[n] != ','; n++)
			;
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n > 0 && !listed(headers, p, n)) {
			msg_escape(p, n, shown, sizeof shown);
			snprintf(buf, size, _("Request header field %s is not allowed by Access-Control-Allow-Headers"),
			    shown);
			return buf;
		}
	}
	return NULL;
}

/* A request to /api/data: the status the switch asks for (200, 404, 500), and X-Lab-Secret. */
int
switch_answer(const struct http_request *r, char *extra, size_t size)
{
	if (lab_query(r, "expose", &(size_t){ 0 }) != NULL)
		snprintf(extra, size, "X-Lab-Secret: 42\r\n%s", lab_query_is(r, "expose", "1") ?
		    "Access-Control-Expose-Headers: X-Lab-Secret\r\n" : "");
	if (lab_query_is(r, "status", "404"))
		return 404;
	if (lab_query_is(r, "status", "500"))
		return 500;
	return 200;
}

/*
 * The switches' lines under the API's log line: whether the page may read
 * X-Lab-Secret and an error status, and a preflight the browser reused.
 * readable: the CORS check passes (or the request is not cross-origin).
 */
void
switch_log(struct lab *lab, const struct http_request *r, int status, int cross, int readable)
{
	char key[sizeof lab->preflight.key];
	size_t len;
	const char *origin = http_header(r, "origin", &len);
	time_t now = time(NULL);

	if (!cross)
		return;
	snprintf(key, sizeof key, "%.*s %.150s?%.140s", (int)(len < ORIGIN_MAX ? len : ORIGIN_MAX), origin,
	    r->path, r->query);
	if (strcmp(r->method, "OPTIONS") == 0) {
		snprintf(lab->preflight.key, sizeof lab->preflight.key, "%s", key);
		lab->preflight.when = now;
		lab->preflight.max_age = max_age(r);
		lab->preflight.fresh = 1;
		return;
	}
	/* A PUT needs a preflight; none just before it means the browser kept the last answer. */
	if (strcmp(r->method, "PUT") == 0 && strcmp(lab->preflight.key, key) == 0) {
		if (!lab->preflight.fresh && now - lab->preflight.when <= lab->preflight.max_age)
			printf(_("     no OPTIONS before this PUT: the browser reused the preflight's answer "
			    "(Access-Control-Max-Age: %ld, answered %ld s ago)\n"), lab->preflight.max_age,
			    (long)(now - lab->preflight.when));
		lab->preflight.fresh = 0;
	}
	if (lab_query(r, "expose", &len) != NULL && readable && status != 204)
		printf("     X-Lab-Secret: 42%s  => %s\n", lab_query_is(r, "expose", "1") ?
		    ", Access-Control-Expose-Headers: X-Lab-Secret" : "", lab_query_is(r, "expose", "1") ?
		    _("the page can read X-Lab-Secret: it is exposed") :
		    _("the page cannot read X-Lab-Secret: not CORS-safelisted, and not in Access-Control-Expose-Headers"));
	if (status >= 400)
		printf("     HTTP %d  => %s\n", status, readable ?
		    _("with ACAO, the page reads the error status (response.ok is false)") :
		    _("without ACAO, the page cannot even read the status: fetch fails with a TypeError"));
}

/* ?maxage=0, 5 or 600 (seconds the browser may keep the preflight's answer); 5 otherwise. */
static long
max_age(const struct http_request *r)
{
	if (lab_query_is(r, "maxage", "0"))
		return 0;
	if (lab_query_is(r, "maxage", "600"))
		return 600;
	return 5;
}

/* 1 if item[0..item_len) is in list ("GET, PUT, POST"), case-insensitively. */
static int
listed(const char *list, const char *item, size_t item_len)
{
	const char *p = list;
	size_t n;

	while (*p != '\0') {
		n = strcspn(p, ",");
		if (n == item_len && strncasecmp(p, item, n) == 0)
			return 1;
		p += n;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return 0;
}
