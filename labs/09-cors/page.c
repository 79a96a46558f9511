/*
 * page.c - the page cors-lab's page origin serves: plain HTML and
 * JavaScript, no frameworks, nothing fetched from outside. Its script makes
 * the calls whose verdicts the API's log explains (cors-lab.c, cookie.c,
 * switches.c). The page speaks its browser's language, not the terminal's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"

#include "cors-lab.h"

/* A page being written into its fixed buffer; cut is set if it did not fit. */
struct page_out {
	char *buf;
	size_t size, len;
	int cut;
};

static int prefers_japanese(const char *value, size_t len);
static void page_add(struct page_out *out, const char *fmt, ...);
static void page_add_html(struct page_out *out, const char *text);
static void page_add_js(struct page_out *out, const char *text);

/*
 * The page's words, English as written here. The page speaks its browser's
 * language, not the terminal's, so the Japanese is looked up by language
 * (i18n_text_for), from the same catalogue, po/ja.po.
 */
enum page_word {
	W_HEADING, W_THIS_ORIGIN, W_API_ORIGIN, W_API_MODE, W_CREDENTIALS, W_ALLOW_BUTTON,
	W_ECHO_BUTTON, W_CRED_BUTTON, W_RUN, W_BLOCKED_MEANS, W_CSRF,
	W_COOKIE_HEADING, W_COOKIE_INTRO, W_COOKIE_BUTTON, W_SWITCH_HEADING, W_SWITCH_INTRO, W_SWITCH_BUTTON,
	W_SCRIPT,		/* from here on, the script's: the T object below */
	W_OPEN_OTHER = W_SCRIPT, W_NOT_PAGE, W_RUNNING, W_ALLOWED, W_BLOCKED, W_DONE,
	W_SIMPLE, W_PREFLIGHT, W_CREDENTIALED, W_ECHO_HOLE,
	W_SAME_SITE, W_CROSS_SITE, W_SENT, W_NOT_SENT, W_JOIN, W_READ_STATUS, W_NOT_READ, W_SECRET, W_COUNT
};

static const char *const page_words[W_COUNT] = {
	[W_HEADING] = N_("cors-lab: same-origin policy and CORS"),
	[W_THIS_ORIGIN] = N_("This page's origin: "),
	[W_API_ORIGIN] = N_("The API's origin: "),
	[W_API_MODE] = N_("API mode: "),
	[W_CREDENTIALS] = N_(", credentials: "),
	[W_ALLOW_BUTTON] = N_("allow-list"),
	[W_ECHO_BUTTON] = N_("echo (unsafe)"),
	[W_CRED_BUTTON] = N_("credentials on/off"),
	[W_RUN] = N_("Run the three calls"),
	[W_BLOCKED_MEANS] = N_("\"blocked\" means the browser refused to let this page read the answer. "
	    "The request may still have reached the API: its log says what it sent, and the verdict."),
	[W_CSRF] = N_("CORS guards what a page may read, not what it may send. A page on any site "
	    "can make your browser send a simple POST here, with your cookies, and no preflight. "
	    "So the mode buttons send JSON (which needs a preflight) and cors-lab refuses any "
	    "Origin but this page's own: that is a guard against CSRF, cross-site request forgery."),
	[W_COOKIE_HEADING] = N_("A login cookie"),
	[W_COOKIE_INTRO] = N_("The button logs in (POST /api/login: the API sets a session cookie with this "
	    "SameSite), then calls /api/private with this credentials mode: 200 with the cookie, 401 "
	    "without. Whether the cookie goes is decided by site; whether the page may read the answer, "
	    "by CORS. cors-lab's log says why, in the browser's terms."),
	[W_COOKIE_BUTTON] = N_("Log in, then call /api/private"),
	[W_SWITCH_HEADING] = N_("The other CORS headers, as on test-cors.org"),
	[W_SWITCH_INTRO] = N_("The button calls GET /api/data once and PUT /api/data twice, with these switches "
	    "in the URL. Watch cors-lab's log for each OPTIONS preflight."),
	[W_SWITCH_BUTTON] = N_("Run the switched calls"),
	/* The script fills %s in with fill(). */
	[W_OPEN_OTHER] = N_("Open this page as %s too: the same machine, but a different origin."),
	[W_NOT_PAGE] = N_("This is not %s: a different origin, though the same machine."),
	[W_RUNNING] = N_("running..."),
	[W_ALLOWED] = N_("%s: allowed"),
	[W_BLOCKED] = N_("%s: blocked"),
	[W_DONE] = N_("done"),
	[W_SIMPLE] = N_("simple"),
	[W_PREFLIGHT] = N_("preflight"),
	[W_CREDENTIALED] = N_("credentialed"),
	[W_ECHO_HOLE] = N_(" (a security hole: any site may read the API)"),
	[W_SAME_SITE] = N_("This page and the API are two origins but one site: a site has no port, "
	    "so SameSite lets the API's cookie go."),
	[W_CROSS_SITE] = N_("This page and the API are different sites: SameSite=Lax and Strict cookies "
	    "stay home; SameSite=None; Secure goes only where the browser allows third-party cookies."),
	[W_SENT] = N_("the browser sent the cookie"),
	[W_NOT_SENT] = N_("the browser sent no cookie"),
	/* Between the two halves of a cookie result: "... sent the cookie; the page read HTTP 200". */
	[W_JOIN] = N_("; "),
	[W_READ_STATUS] = N_("the page read HTTP %s"),
	[W_NOT_READ] = N_("the page could not read the answer (CORS)"),
	[W_SECRET] = N_("X-Lab-Secret, as the page sees it: %s"),
};

/* The script's names for its words, from W_SCRIPT on. */
static const char *const script_names[W_COUNT - W_SCRIPT] = {
	"openOther", "notPage", "running", "allowed", "blocked", "done",
	"simple", "preflight", "credentialed", "echoHole",
	"sameSite", "crossSite", "sent", "notSent", "join", "readStatus", "notRead", "secret",
};

/* The page's script: the three calls, the buttons that switch the API's mode, the cookie, the switches. */
static const char page_script[] =
    "function fill(text, value) { return text.split('%s').join(value); }\n"
    "document.getElementById('origin').textContent = location.origin;\n"
    "document.getElementById('note').textContent = location.origin === PAGE ?\n"
    "  fill(T.openOther, OTHER) : fill(T.notPage, PAGE);\n"
    "async function call(name, url, opts) {\n"
    "  try { const r = await fetch(url, opts); await r.text(); return fill(T.allowed, name); }\n"
    "  catch (e) { return fill(T.blocked, name); }\n"
    "}\n"
    "async function runAll() {\n"
    "  const out = document.getElementById('results'); out.textContent = T.running;\n"
    "  const lines = [];\n"
    "  lines.push(await call(T.simple, API + '/api/data', {}));\n"
    "  lines.push(await call(T.preflight, API + '/api/data', {method: 'PUT',\n"
    "    headers: {'Content-Type': 'application/json'}, body: '{\"n\":1}'}));\n"
    "  lines.push(await call(T.credentialed, API + '/api/private', {credentials: 'include'}));\n"
    "  lines.push(T.done);\n"
    "  out.textContent = lines.join('\\n');\n"
    "}\n"
    "async function refresh() {\n"
    "  const s = await (await fetch('/state')).json();\n"
    "  document.getElementById('mode').textContent = s.mode + (s.mode === 'echo' ? T.echoHole : '');\n"
    "  document.getElementById('cred').textContent = s.credentials ? 'on' : 'off';\n"
    "}\n"
    "function post(path, value) {\n"
    "  return fetch(path, {method: 'POST', headers: {'Content-Type': 'application/json'},\n"
    "    body: JSON.stringify(value)});\n"
    "}\n"
    "async function setMode(m) { await post('/mode', m); refresh(); }\n"
    "async function toggleCred() {\n"
    "  const s = await (await fetch('/state')).json();\n"
    "  await post('/credentials', !s.credentials); refresh();\n"
    "}\n"
    "refresh();\n"
    "if (location.search.indexOf('auto=1') >= 0) runAll();\n";

/* The rest of the script: the login cookie, and the switches. */
static const char page_script_more[] =
    "/* The cookie: log in with SameSite ss, then call /api/private with credentials mode cm. */\n"
    "function $(id) { return document.getElementById(id); }\n"
    "const SITE = new URL(API);\n"
    "$('site').textContent = location.protocol === SITE.protocol && location.hostname === SITE.hostname ?\n"
    "  T.sameSite : T.crossSite;\n"
    "async function cookieCall(ss, cm) {\n"
    "  try { await fetch(API + '/api/login?samesite=' + ss.toLowerCase(), {method: 'POST', credentials: 'include'}); }\n"
    "  catch (e) { /* the cookie may be set even when the page may not read the answer */ }\n"
    "  let read = T.notRead;\n"
    "  try { const r = await fetch(API + '/api/private?credentials=' + cm, {credentials: cm}); read = fill(T.readStatus, r.status); }\n"
    "  catch (e) { read = T.notRead; }\n"
    "  const last = await (await fetch('/last')).json();\n"
    "  return 'SameSite=' + ss + ', ' + cm + ': ' + (last.cookie ? T.sent : T.notSent) + T.join + read;\n"
    "}\n"
    "/* all: every SameSite and credentials mode, with ACAC off and then on (the table). */\n"
    "async function cookieRun(all) {\n"
    "  const out = $('cookies'); out.textContent = T.running;\n"
    "  const lines = [];\n"
    "  for (const acac of all ? [false, true] : [null]) {\n"
    "    if (acac !== null) { await post('/credentials', acac); await refresh(); }\n"
    "    for (const ss of all ? ['Lax', 'Strict', 'None'] : [$('samesite').value])\n"
    "      for (const cm of all ? ['include', 'same-origin', 'omit'] : [$('credmode').value])\n"
    "        lines.push((acac === null ? '' : 'ACAC ' + (acac ? 'on' : 'off') + ', ') + await cookieCall(ss, cm));\n"
    "  }\n"
    "  lines.push(T.done);\n"
    "  out.textContent = lines.join('\\n');\n"
    "}\n"
    "/* The switches, in the URL as test-cors.org puts them: one GET, then two PUTs (preflighted). */\n"
    "async function switchRun() {\n"
    "  const q = '?expose=' + ($('expose').checked ? 1 : 0) + '&narrow=' + $('narrow').value +\n"
    "    '&maxage=' + $('maxage').value + '&status=' + $('status').value;\n"
    "  const out = $('switched'); out.textContent = T.running;\n"
    "  const lines = [];\n"
    "  try {\n"
    "    const r = await fetch(API + '/api/data' + q);\n"
    "    lines.push('GET: ' + fill(T.readStatus, r.status));\n"
    "    lines.push(fill(T.secret, String(r.headers.get('X-Lab-Secret'))));\n"
    "  } catch (e) { lines.push('GET: ' + T.notRead); }\n"
    "  for (const n of [1, 2])\n"
    "    lines.push(await call('PUT ' + n, API + '/api/data' + q, {method: 'PUT',\n"
    "      headers: {'Content-Type': 'application/json'}, body: '{\"n\":2}'}));\n"
    "  lines.push(T.done);\n"
    "  out.textContent = lines.join('\\n');\n"
    "}\n"
    "/* ?samesite=None&credmode=omit&expose=1...: the switches as the URL sets them; ?auto= runs them. */\n"
    "const params = new URLSearchParams(location.search);\n"
    "for (const id of ['samesite', 'credmode', 'narrow', 'maxage', 'status'])\n"
    "  if (params.has(id)) $(id).value = params.get(id);\n"
    "$('expose').checked = params.get('expose') === '1';\n"
    "if (params.get('auto') === 'cookie') cookieRun(false);\n"
    "if (params.get('auto') === 'cookies') cookieRun(true);\n"
    "if (params.get('auto') === 'switches') switchRun();\n";

/*
 * The page in one language: plain HTML and JavaScript, no frameworks,
 * nothing fetched from outside. Its switch links to the other language.
 */
int
build_page(struct lab *lab, int japanese)
{
	struct page_out out = { lab->page[japanese], sizeof lab->page[japanese], 0, 0 };
	const char *w[W_COUNT];
	int i;

	for (i = 0; i < W_COUNT; i++)
		w[i] = i18n_text_for(page_words[i], japanese);
	page_add(&out, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	    "<title>portlab cors-lab</title>\n"
	    "<style>body{font-family:sans-serif;max-width:46em;margin:2em auto}pre{background:#eee;padding:1em}"
	    "button{margin:0 .2em}#lang{text-align:right}</style></head><body>\n", japanese ? "ja" : "en");
	/* Each language's name in itself; the link keeps no other query (auto=1 runs the calls). */
	page_add(&out, japanese ?
	    "<p id=\"lang\"><a href=\"?lang=en\" hreflang=\"en\" lang=\"en\">English</a> | <b>日本語</b></p>\n" :
	    "<p id=\"lang\"><b>English</b> | <a href=\"?lang=ja\" hreflang=\"ja\" lang=\"ja\">日本語</a></p>\n");
	page_add(&out, "<h1>");
	page_add_html(&out, w[W_HEADING]);
	page_add(&out, "</h1>\n<p>");
	page_add_html(&out, w[W_THIS_ORIGIN]);
	page_add(&out, "<b id=\"origin\"></b><br>");
	page_add_html(&out, w[W_API_ORIGIN]);
	page_add(&out, "<b>%s</b></p>\n<p id=\"note\"></p>\n<p>", lab->api_origin);
	page_add_html(&out, w[W_API_MODE]);
	page_add(&out, "<b id=\"mode\">?</b>");
	page_add_html(&out, w[W_CREDENTIALS]);
	page_add(&out, "<b id=\"cred\">?</b><br>\n"
	    "<button onclick=\"setMode('off')\">off</button><button onclick=\"setMode('star')\">star (*)</button>"
	    "<button onclick=\"setMode('allow')\">");
	page_add_html(&out, w[W_ALLOW_BUTTON]);
	page_add(&out, "</button><button onclick=\"setMode('echo')\">");
	page_add_html(&out, w[W_ECHO_BUTTON]);
	page_add(&out, "</button><button onclick=\"toggleCred()\">");
	page_add_html(&out, w[W_CRED_BUTTON]);
	page_add(&out, "</button></p>\n<p><button onclick=\"runAll()\">");
	page_add_html(&out, w[W_RUN]);
	page_add(&out, "</button></p>\n<pre id=\"results\"></pre>\n<p>");
	page_add_html(&out, w[W_BLOCKED_MEANS]);
	page_add(&out, "</p>\n<p>");
	page_add_html(&out, w[W_CSRF]);
	page_add(&out, "</p>\n<h2>");
	page_add_html(&out, w[W_COOKIE_HEADING]);
	page_add(&out, "</h2>\n<p>");
	page_add_html(&out, w[W_COOKIE_INTRO]);
	page_add(&out, "</p>\n<p id=\"site\"></p>\n<p>SameSite <select id=\"samesite\"><option>Lax</option>"
	    "<option>Strict</option><option>None</option></select> credentials <select id=\"credmode\">"
	    "<option>include</option><option>same-origin</option><option>omit</option></select>"
	    "<button onclick=\"cookieRun(false)\">");
	page_add_html(&out, w[W_COOKIE_BUTTON]);
	page_add(&out, "</button></p>\n<pre id=\"cookies\"></pre>\n<h2>");
	page_add_html(&out, w[W_SWITCH_HEADING]);
	page_add(&out, "</h2>\n<p>");
	page_add_html(&out, w[W_SWITCH_INTRO]);
	page_add(&out, "</p>\n<p><label><input type=\"checkbox\" id=\"expose\"> "
	    "Access-Control-Expose-Headers: X-Lab-Secret</label><br>\n"
	    "Access-Control-Allow-Methods / -Headers <select id=\"narrow\">"
	    "<option value=\"\">GET, PUT, POST / content-type</option>"
	    "<option value=\"methods\">GET, POST / content-type</option>"
	    "<option value=\"headers\">GET, PUT, POST / x-requested-with</option></select><br>\n"
	    "Access-Control-Max-Age <select id=\"maxage\"><option>5</option><option>0</option>"
	    "<option>600</option></select> status <select id=\"status\"><option>200</option>"
	    "<option>404</option><option>500</option></select>\n<button onclick=\"switchRun()\">");
	page_add_html(&out, w[W_SWITCH_BUTTON]);
	page_add(&out, "</button></p>\n<pre id=\"switched\"></pre>\n<script>\nconst API = '%s', PAGE = '%s', OTHER = '%s';\nconst T = {",
	    lab->api_origin, lab->page_origin, lab->other_origin);
	for (i = W_SCRIPT; i < W_COUNT; i++) {
		page_add(&out, "%s%s: '", i > W_SCRIPT ? ", " : "", script_names[i - W_SCRIPT]);
		page_add_js(&out, w[i]);
		page_add(&out, "'");
	}
	page_add(&out, "};\n%s%s</script></body></html>\n", page_script, page_script_more);
	if (out.cut) {
		errno = ENOSPC;
		return -1;
	}
	return 0;
}



/* ---- below: plumbing the page does not teach: its language, and writing it safely ---- */


/*
 * The page speaks the browser's language, never the terminal's: ?lang=ja
 * or ?lang=en in the URL (the page's own switch), else the request's
 * Accept-Language. 1 for Japanese.
 */
int
page_japanese(const struct http_request *r)
{
	const char *p = r->query, *value;
	size_t len;

	while (*p != '\0') {
		if (strncmp(p, "lang=", 5) == 0) {
			value = p + 5;	/* "ja", "ja-JP" ... up to the next '&' */
			if (strcspn(value, "-&") == 2 && (strncasecmp(value, "ja", 2) == 0 ||
			    strncasecmp(value, "en", 2) == 0))
				return value[0] == 'j' || value[0] == 'J';
		}
		p += strcspn(p, "&");
		p += *p == '&';
	}
	value = http_header(r, "accept-language", &len);
	return value != NULL && prefers_japanese(value, len);
}

/*
 * 1 if the Accept-Language value[0..len) ranks Japanese above English
 * (RFC 9110 12.5.4): of the languages the page has, ja (ja, ja-JP ...) and
 * en (en, en-US ...; * counts as English, the default), the one with the
 * highest q wins, the first listed on a tie. q=0 means "not this one"; an
 * entry with a malformed q is left out. Nothing acceptable: English.
 */
static int
prefers_japanese(const char *value, size_t len)
{
	size_t i = 0, start, end, tag_len, j;
	int best_q = 0, japanese = 0, q, lang, digits;

	while (i < len) {
		/* One entry: "ja-JP;q=0.8", up to the next ','. */
		for (start = i; i < len && value[i] != ','; i++)
			;
		end = i++;
		while (start < end && (value[start] == ' ' || value[start] == '\t'))
			start++;
		for (tag_len = 0; start + tag_len < end && value[start + tag_len] != ';' &&
		    value[start + tag_len] != ' ' && value[start + tag_len] != '\t'; tag_len++)
			;
		if ((tag_len == 2 || (tag_len > 2 && value[start + 2] == '-')) &&
		    strncasecmp(value + start, "ja", 2) == 0)
			lang = 1;
		else if (((tag_len == 2 || (tag_len > 2 && value[start + 2] == '-')) &&
		    strncasecmp(value + start, "en", 2) == 0) || (tag_len == 1 && value[start] == '*'))
			lang = 0;
		else
			continue;
		/* Its weight: ";q=" then 0, 0.5, 0.125, 1 or 1.000 (in thousandths). */
		q = 1000;
		for (j = start + tag_len; j < end && value[j] != ';'; j++)
			;
		while (j < end && (value[j] == ';' || value[j] == ' ' || value[j] == '\t'))
			j++;
		if (j < end) {
			if (end - j < 3 || (value[j] != 'q' && value[j] != 'Q') || value[j + 1] != '=' ||
			    (value[j + 2] != '0' && value[j + 2] != '1'))
				continue;
			q = (value[j + 2] - '0') * 1000;
			j += 3;
			if (j < end && value[j] == '.')
				for (j++, digits = 0; j < end && digits < 3 &&
				    value[j] >= '0' && value[j] <= '9'; j++, digits++)
					q += (value[j] - '0') * (digits == 0 ? 100 : digits == 1 ? 10 : 1);
			while (j < end && (value[j] == ' ' || value[j] == '\t'))
				j++;
			if (j < end || q > 1000)
				continue;
		}
		if (q > best_q) {
			best_q = q;
			japanese = lang;
		}
	}
	return japanese;
}

/* printf onto the page. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static void
page_add(struct page_out *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out->buf + out->len, out->size - out->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= out->size - out->len) {
		out->cut = 1;
		out->len = out->size - 1;
	} else
		out->len += (size_t)n;
}

/* Text between HTML tags: & < > as entities. */
static void
page_add_html(struct page_out *out, const char *text)
{
	for (; *text != '\0'; text++) {
		if (*text == '&')
			page_add(out, "&amp;");
		else if (*text == '<')
			page_add(out, "&lt;");
		else if (*text == '>')
			page_add(out, "&gt;");
		else
			page_add(out, "%c", *text);
	}
}

/* Text inside a '...' JavaScript string: no quote, backslash, newline or "</script" ends it. */
static void
page_add_js(struct page_out *out, const char *text)
{
	for (; *text != '\0'; text++) {
		if (*text == '\'' || *text == '\\')
			page_add(out, "\\%c", *text);
		else if (*text == '\n')
			page_add(out, "\\n");
		else if (*text == '<')
			page_add(out, "\\x3c");
		else
			page_add(out, "%c", *text);
	}
}
