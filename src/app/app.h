/* app.h - the application glue between the transport and the pages: the
 * route table and its dispatcher (sign-in, role, CSRF and input checks are
 * made here from each route's flags, never in handlers), sessions, scope,
 * audit, and rendering pages through the layout. */
#ifndef ZZ_APP_H
#define ZZ_APP_H
#include "domain/roles.h"
#include "http/request.h"
#include <jansson.h>

/* ---- routes ---- */
enum {
	R_PUBLIC = 1 << 0,   /* no sign-in needed (roles ignored) */
	R_ANON_CSRF = 1 << 1 /* public POST protected by the pre-session token (sign-in form) */
};
/* Declared input: the dispatcher refuses with 400 a field that breaks its
 * shape (too long, not an integer) before the handler runs; whether a
 * required field is empty is the handler's to say next to the field. */
typedef enum { F_TEXT, F_INT } field_kind;
typedef struct {
	const char *name;
	field_kind kind;
	size_t maxlen;       /* bytes */
	const char *label;   /* the name the form shows, for messages */
} field_t;
typedef int (*handler_fn)(req_t *r);
typedef struct {
	const char *method;  /* GET or POST */
	const char *pattern; /* "/students/:id": ":id" is a positive integer, put in r->id */
	unsigned roles;      /* ROLE_* bits allowed (ignored with R_PUBLIC) */
	unsigned flags;
	handler_fn fn;
	const char *name;    /* short name for logs and the access-control test */
	const field_t *fields; /* terminated by a NULL name, or NULL */
} route_t;
extern const route_t ROUTES[];
extern const size_t ROUTE_COUNT;

/* Handle one request: route, check, run, render errors. */
void app_handle(req_t *r);
/* Per-worker preparation (nothing yet beyond the statements). */
int app_worker_init(req_t *proto);
/* Match path against a pattern; on a match with ":id" store it in *id. */
int route_match(const char *pattern, const char *path, int64_t *id);

/* ---- rendering ---- */
/* A new context object for a page: title, the user, the nav, csrf, flash. */
json_t *page_ctx(req_t *r, const char *title);
/* Render template tmpl with ctx (stolen) inside the layout. Returns 0. */
int render(req_t *r, int status, const char *tmpl, json_t *ctx);
/* Render tmpl with ctx (stolen) as a whole page of its own, without the
 * layout (printable forms). Returns 0. */
int render_bare(req_t *r, int status, const char *tmpl, json_t *ctx);
/* The error page: status and a Chinese message saying what to do. Returns 0. */
int render_error(req_t *r, int status, const char *msg);
/* Show a message on the next page the user sees (after a redirect): key
 * names one of the fixed messages in app/render.c. */
void flash_set(req_t *r, const char *key);
/* A form value (empty string when absent), trimmed of surrounding spaces. */
const char *form_str(req_t *r, const char *name);
/* A query value (empty string when absent), trimmed. */
const char *query_str(req_t *r, const char *name);
/* Query "page" (or name) as a number >= 1. */
long query_page(req_t *r);
long query_page_named(req_t *r, const char *name);
/* Pager fields for a list: page, pages, total, prev/next links keeping the
 * other query parameters. Sets "pager" in ctx. */
void pager_set(req_t *r, json_t *ctx, long page, long per_page, long total);
/* The same for a second list of a page: sets key in ctx, its links setting
 * the query parameter param. */
void pager_set_named(req_t *r, json_t *ctx, const char *key, const char *param, long page, long per_page, long total);
/* Pick a term from terms (rows of Q_TERMS, newest first): want when it is
 * one of them, else the latest that has started (else the newest). Marks
 * the chosen row "selected" and returns it (borrowed; NULL when there are
 * none). */
json_t *term_choose(json_t *terms, json_int_t want);

/* ---- sessions and sign-in ---- */
/* Look up the session cookie; fills r->user, r->session_id, r->csrf.
 * Returns 1 if signed in, 0 if not (expired sessions are removed; *expired
 * is set so the sign-in page can say why). */
int session_load(req_t *r, int *expired);
/* Start a new session for user_id (a new token every time: no fixation).
 * Returns 0 or -1. */
int session_start(req_t *r, int64_t user_id);
/* End the current session and clear the cookie. */
void session_end(req_t *r);
/* The anonymous pre-session token for public forms (set as cookie if new). */
const char *pre_csrf(req_t *r);
/* Hex SHA-256 of s into out[65]. */
void sha256_hex(const void *s, size_t n, char out[65]);
/* nbytes random bytes as hex into out (2*nbytes+1 bytes). */
void random_hex(char *out, size_t nbytes);

/* ---- scope ---- */
/* The path under which the signed-in user may see things ("/1/2/"). Every
 * statement that reads scoped data binds it as ?1. */
const char *scope_path(req_t *r);

/* ---- audit ---- */
/* Write one audit row in the current transaction: action (e.g.
 * "user.create"), entity and id, the org the thing belongs to, and the
 * before/after values (borrowed; NULL allowed). Returns 0 or -1. */
int audit(req_t *r, const char *action, const char *entity, int64_t entity_id, int64_t org_id,
	  json_t *before, json_t *after);
/* The same for the command line (no request): user "" and ip "". */
int audit_cli(db_t *db, const char *action, const char *entity, int64_t entity_id, int64_t org_id,
	      json_t *before, json_t *after);

/* ---- published 公示 pages as files for nginx (pubcache.c) ---- */
/* Write the page of notice id as rendered for day (YYYY-MM-DD), with its
 * .gz, under root/gongshi/<id>/, removing the files of other days. root
 * NULL or "": nothing. Returns 0 or -1. */
int pubcache_write(const char *root, int64_t id, const char *day, const char *body, size_t len);
/* Remove the files of notice id (0: of every notice). */
void pubcache_drop(const char *root, int64_t id);

/* ---- reading JSON values (rows from db_rows, form values) ---- */
/* The string at key k of object o, "" when absent or not a string. */
static inline const char *jstr(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}
/* The integer at key k of object o, 0 when absent. */
static inline json_int_t jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

#endif
