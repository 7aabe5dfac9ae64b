/* request.h - one HTTP request as the handlers see it, and the response
 * they build. The server fills the input side from FastCGI parameters and
 * the parsed body; handlers fill status, headers and body; the server sends
 * it all at once and releases the arena. */
#ifndef ZZ_REQUEST_H
#define ZZ_REQUEST_H
#include "core/arena.h"
#include "core/buf.h"
#include "http/parse.h"
#include <jansson.h>
#include <stdint.h>

typedef struct db db_t;
typedef struct tmpl_set tmpl_set;
typedef struct config config_t;

/* The signed-in user, copied into the request's arena. */
typedef struct {
	int64_t id;
	const char *username;
	const char *display_name;
	const char *role;      /* role code, e.g. school_officer */
	unsigned role_bit;     /* ROLE_* bit of role */
	int64_t org_id;
	const char *org_name;
	const char *org_kind;  /* city, district, school */
	const char *org_path;  /* '/1/2/7/': everything the user may see starts with it */
} user_t;

typedef struct req {
	arena_t *a;
	db_t *db;
	const tmpl_set *tmpl;
	const config_t *cfg;

	/* input */
	const char *method;        /* GET, POST (HEAD is answered as GET) */
	const char *path;          /* DOCUMENT_URI, already decoded by nginx */
	const char *query_string;
	const char *remote_addr;
	const char *content_type;
	const char *if_none_match; /* the If-None-Match header ("" if none) */
	int https;                 /* served over https: cookies get Secure */
	int is_post;
	kvlist_t query;
	kvlist_t form;             /* urlencoded or multipart text fields */
	kvlist_t cookies;
	uploadlist_t files;
	int64_t id;                /* the :id segment of the route, if any */

	/* who is asking (NULL user: not signed in) */
	user_t *user;
	int64_t session_id;
	const char *csrf;          /* token the forms of this response carry */

	/* output */
	int status;
	const char *ctype;
	buf_t head;                /* extra header lines, each ending in \r\n */
	buf_t body;
} req_t;

/* Add a response header; refuses (returns -1) a name or value containing
 * CR, LF or NUL, so no input can split the response. */
int resp_header(req_t *r, const char *name, const char *value);
/* Set a cookie: Path=/, HttpOnly, SameSite=Lax, Secure over https.
 * max_age < 0 leaves it a session cookie; 0 deletes it. */
void resp_cookie(req_t *r, const char *name, const char *value, long max_age);
/* 1 if p is a path on this site a redirect may go to: starts with a
 * single '/', no control bytes, spaces or backslashes. */
int local_path(const char *p);
/* 303 See Other to a local path (must start with a single '/'; anything
 * else goes to "/"). Returns 0. */
int resp_redirect(req_t *r, const char *location);
/* A plain text body with the given status. Returns 0. */
int resp_text(req_t *r, int status, const char *text);
/* Reason phrase for a status code. */
const char *http_reason(int status);

#endif
