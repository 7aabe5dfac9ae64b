/* session.c - sessions, the pre-session token, scope and the audit trail. */
#include "core/json_arena.h"
#include "app.h"
#include "db/queries.h"
#include "http/server.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SESSION_COOKIE "zz_session"
#define PRE_COOKIE "zz_pre"

void sha256_hex(const void *s, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, s, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

void random_hex(char *out, size_t nbytes)
{
	unsigned char b[64];
	if (nbytes > sizeof b)
		nbytes = sizeof b;
	randombytes_buf(b, nbytes);
	sodium_bin2hex(out, nbytes * 2 + 1, b, nbytes);
}

static int is_hex64(const char *s)
{
	if (!s || strlen(s) != 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

static const char *col(req_t *r, sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	return arena_strdup(r->a, t ? t : "");
}

int session_load(req_t *r, int *expired)
{
	*expired = 0;
	const char *tok = kv_get(&r->cookies, SESSION_COOKIE);
	if (!is_hex64(tok))
		return 0;
	char hash[65];
	sha256_hex(tok, 64, hash);
	sqlite3_stmt *s = db_stmt(r->db, Q_SESSION_LOOKUP);
	db_bind_text(s, 1, hash);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return 0;
	}
	int64_t sid = sqlite3_column_int64(s, 0);
	long last_seen = (long)sqlite3_column_int64(s, 2);
	long expires = (long)sqlite3_column_int64(s, 3);
	int active = sqlite3_column_int(s, 9);
	long now = (long)time(NULL);
	if (!active || now > expires || now - last_seen > r->cfg->session_idle) {
		sqlite3_reset(s);
		sqlite3_stmt *d = db_stmt(r->db, Q_SESSION_DELETE);
		sqlite3_bind_int64(d, 1, sid);
		db_exec_stmt(d);
		*expired = 1;
		resp_cookie(r, SESSION_COOKIE, "", 0);
		return 0;
	}
	user_t *u = arena_zalloc(r->a, sizeof *u);
	r->session_id = sid;
	r->csrf = col(r, s, 1);
	u->id = sqlite3_column_int64(s, 4);
	u->username = col(r, s, 5);
	u->display_name = col(r, s, 6);
	u->role = col(r, s, 7);
	u->role_bit = role_bit(u->role);
	u->org_id = sqlite3_column_int64(s, 8);
	u->org_name = col(r, s, 10);
	u->org_kind = col(r, s, 11);
	u->org_path = col(r, s, 12);
	sqlite3_reset(s);
	r->user = u;
	/* write last_seen at most once a minute */
	if (now - last_seen >= 60) {
		sqlite3_stmt *t = db_stmt(r->db, Q_SESSION_TOUCH);
		sqlite3_bind_int64(t, 1, sid);
		sqlite3_bind_int64(t, 2, now);
		db_exec_stmt(t);
	}
	return 1;
}

int session_start(req_t *r, int64_t user_id)
{
	char tok[65], hash[65], csrf[65];
	random_hex(tok, 32);
	random_hex(csrf, 32);
	sha256_hex(tok, 64, hash);
	long now = (long)time(NULL);
	sqlite3_stmt *p = db_stmt(r->db, Q_SESSION_PURGE);
	sqlite3_bind_int64(p, 1, now);
	sqlite3_bind_int64(p, 2, now - r->cfg->session_idle);
	db_exec_stmt(p);
	sqlite3_stmt *s = db_stmt(r->db, Q_SESSION_INSERT);
	db_bind_text(s, 1, hash);
	sqlite3_bind_int64(s, 2, user_id);
	db_bind_text(s, 3, csrf);
	sqlite3_bind_int64(s, 4, now);
	sqlite3_bind_int64(s, 5, now + r->cfg->session_max);
	db_bind_text(s, 6, r->remote_addr);
	if (db_exec_stmt(s) != SQLITE_DONE)
		return -1;
	r->session_id = sqlite3_last_insert_rowid(db_handle(r->db));
	r->csrf = arena_strdup(r->a, csrf);
	resp_cookie(r, SESSION_COOKIE, tok, -1);
	return 0;
}

void session_end(req_t *r)
{
	if (r->session_id) {
		sqlite3_stmt *d = db_stmt(r->db, Q_SESSION_DELETE);
		sqlite3_bind_int64(d, 1, r->session_id);
		db_exec_stmt(d);
	}
	r->session_id = 0;
	r->user = NULL;
	resp_cookie(r, SESSION_COOKIE, "", 0);
}

const char *pre_csrf(req_t *r)
{
	const char *v = kv_get(&r->cookies, PRE_COOKIE);
	if (is_hex64(v))
		return v;
	char tok[65];
	random_hex(tok, 32);
	resp_cookie(r, PRE_COOKIE, tok, -1);
	return arena_strdup(r->a, tok);
}

const char *scope_path(req_t *r)
{
	/* no user: a path no org has, so scoped statements return nothing */
	return r->user ? r->user->org_path : "/none/";
}

static int audit_row(db_t *db, int64_t user_id, const char *username, const char *ip,
		     const char *action, const char *entity, int64_t entity_id, int64_t org_id,
		     json_t *before, json_t *after)
{
	char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	sqlite3_stmt *s = db_stmt(db, Q_AUDIT_INSERT);
	if (user_id)
		sqlite3_bind_int64(s, 1, user_id);
	db_bind_text(s, 2, username);
	sqlite3_bind_int64(s, 3, org_id);
	db_bind_text(s, 4, action);
	db_bind_text(s, 5, entity);
	if (entity_id)
		sqlite3_bind_int64(s, 6, entity_id);
	if (b)
		db_bind_text(s, 7, b);
	if (a)
		db_bind_text(s, 8, a);
	db_bind_text(s, 9, ip);
	int rc = db_exec_stmt(s);
	json_text_free(b);
	json_text_free(a);
	return rc == SQLITE_DONE ? 0 : -1;
}

int audit(req_t *r, const char *action, const char *entity, int64_t entity_id, int64_t org_id,
	  json_t *before, json_t *after)
{
	return audit_row(r->db, r->user ? r->user->id : 0, r->user ? r->user->username : "",
			 r->remote_addr, action, entity, entity_id, org_id, before, after);
}

int audit_cli(db_t *db, const char *action, const char *entity, int64_t entity_id, int64_t org_id,
	      json_t *before, json_t *after)
{
	return audit_row(db, 0, "", "", action, entity, entity_id, org_id, before, after);
}
