/*
 * cors-lab.h - what cors-lab's four files share. Read cors-lab.c first: the
 * two origins and the CORS answer. Then cookie.c (a real login cookie:
 * SameSite, site vs origin), switches.c (the rest of the CORS headers, as
 * test-cors.org lets you try them) and page.c (the page a browser loads).
 */
#ifndef PORTLAB_CORS_LAB_H
#define PORTLAB_CORS_LAB_H

#include <poll.h>
#include <stddef.h>
#include <time.h>

#include "http.h"

#define ALLOW_MAX 8		/* --allow entries */
#define ORIGIN_MAX 300
#define PAGE_MAX 24576
#define SESSION_MAX 16		/* login sessions remembered; the oldest is forgotten first */

enum mode { MODE_OFF, MODE_STAR, MODE_ALLOW, MODE_ECHO };
enum same_site { SAME_SITE_LAX, SAME_SITE_STRICT, SAME_SITE_NONE };

/* What the API's answer says about CORS, decided from the mode and the Origin. */
struct cors_answer {
	int allow;			/* 1: Access-Control-Allow-Origin is sent */
	char allow_origin[ORIGIN_MAX];	/* its value: "*" or one origin */
	int allow_credentials;		/* 1: Access-Control-Allow-Credentials: true is sent */
	int vary;			/* 1: Vary: Origin is sent (the answer depends on who asks) */
	char headers[1024];		/* those header lines, each ending in CRLF */
};

struct client {
	int fd;
	int api;		/* 1: on the API origin's port, 0: the page's */
	struct http_stream in;	/* what it sends, framed into requests (common/http.c) */
	int head_only;		/* the request being answered is a HEAD: no body */
	char *out;		/* response bytes still to send */
	size_t out_len, out_off;
	int close_after;
	time_t since;		/* when we last heard from it or answered it */
	time_t closing;		/* when its last answer went and we shut our side, or 0 */
};

/* A session the API's login handed out, and the SameSite its cookie was given. */
struct session {
	char id[33];		/* 32 hex digits, the cookie's value */
	enum same_site same_site;
};

/* The last preflight the API answered: to tell when a browser reused it (Max-Age). */
struct preflight_seen {
	char key[ORIGIN_MAX + 300];	/* "Origin path?query" */
	time_t when;
	long max_age;
	int fresh;		/* 1 until a request it was for arrives */
};

struct lab {
	enum mode mode;
	int credentials;
	char allow[ALLOW_MAX + 1][ORIGIN_MAX];	/* --allow's, then the page origin */
	int nallow;
	int page_fd, api_fd;
	unsigned page_port, api_port;
	long hold;
	char api_origin[64], page_origin[64], other_origin[64];	/* other: the page on 127.0.0.1 */
	char page[2][PAGE_MAX];	/* the page in English [0] and Japanese [1]: the browser's language */
	struct session sessions[SESSION_MAX];
	size_t nsessions;	/* sessions handed out; the newest is sessions[(nsessions - 1) % SESSION_MAX] */
	int last_cookie;	/* the last /api/private: -1 none yet, 0 it came without a session cookie, 1 with */
	struct preflight_seen preflight;
	struct client *clients;
	size_t nclients, client_room;
	struct pollfd *pfds;	/* [0] page, [1] API, [2] the terminal, [3 + i] client i */
	size_t pfd_room;
	int accepting;		/* 0 while out of descriptors: clients wait in the queue */
};

/* cors-lab.c */
void respond(struct client *c, int status, const char *type, const char *body, const char *extra);
/* The value of name=... in the request's query, and its length; NULL if absent. */
const char *lab_query(const struct http_request *r, const char *name, size_t *len);
/* 1 if r's query has name=value exactly. */
int lab_query_is(const struct http_request *r, const char *name, const char *value);

/* cookie.c: POST /api/login and GET /api/private. */
int cookie_credentialed(const struct http_request *r);
int cookie_login(struct lab *lab, const struct http_request *r, char *extra, size_t size);
int cookie_private(struct lab *lab, const struct http_request *r);
void cookie_log(const struct lab *lab, const struct http_request *r, int status);
const char *cookie_page_note(const struct http_request *r);
void cookie_last_json(const struct lab *lab, char *buf, size_t size);

/* switches.c: ?expose, ?status, ?narrow, ?maxage on /api/data. */
void switch_preflight_headers(const struct http_request *r, char *extra, size_t size);
const char *switch_preflight_refused(const struct http_request *r, char *buf, size_t size);
int switch_answer(const struct http_request *r, char *extra, size_t size);
void switch_log(struct lab *lab, const struct http_request *r, int status, int cross, int allowed);

/* page.c: the page, in the browser's language. */
int page_japanese(const struct http_request *r);
/* Writes lab->page[japanese]; -1 with errno ENOSPC if it does not fit. */
int build_page(struct lab *lab, int japanese);

#endif
