/* auth.c - sign-in, sign-out and change of password. */
#include "pages.h"
#include "db/queries.h"
#include "domain/password.h"
#include "http/server.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Failed sign-ins allowed in the window, per user name and per address. */
#define FAILS_PER_USER 5
#define FAILS_PER_IP 20
#define FAIL_WINDOW (15 * 60)

/* A local path to go to after sign-in, or "/". */
static const char *safe_next(const char *next)
{
	return local_path(next) ? next : "/";
}

static int login_page(req_t *r, int status, const char *username, const char *error)
{
	json_t *c = page_ctx(r, "登录");
	json_object_set_new(c, "pre_csrf", json_string(pre_csrf(r)));
	json_object_set_new(c, "username", json_string(username ? username : ""));
	json_object_set_new(c, "next", json_string(safe_next(kv_get(&r->query, "next")
							       ? kv_get(&r->query, "next")
							       : kv_get(&r->form, "next"))));
	if (error)
		json_object_set_new(c, "error", json_string(error));
	if (kv_get(&r->query, "expired"))
		json_object_set_new(c, "expired", json_true());
	return render(r, status, "auth/login.html", c);
}

int page_login_form(req_t *r)
{
	if (r->user)
		return resp_redirect(r, "/");
	return login_page(r, 200, "", NULL);
}

/* Seconds until the oldest failure in the window leaves it, if the count
 * of failures (by user name or address) has reached the limit; else 0. */
static long throttled(req_t *r, const char *username, long now)
{
	long wait = 0;
	int ids[2] = {Q_LOGIN_FAILS_USER, Q_LOGIN_FAILS_IP};
	const char *keys[2] = {username, r->remote_addr};
	int limits[2] = {FAILS_PER_USER, FAILS_PER_IP};
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *s = db_stmt(r->db, ids[i]);
		db_bind_text(s, 1, keys[i]);
		sqlite3_bind_int64(s, 2, now - FAIL_WINDOW);
		if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) >= limits[i]) {
			long w = sqlite3_column_int64(s, 1) + FAIL_WINDOW - now;
			if (w > wait)
				wait = w;
		}
		sqlite3_reset(s);
	}
	return wait;
}

static int record_attempt(req_t *r, const char *username, long now, int ok)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_LOGIN_INSERT);
	db_bind_text(s, 1, username);
	db_bind_text(s, 2, r->remote_addr);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int(s, 4, ok);
	return db_exec_stmt(s) == SQLITE_DONE ? 0 : -1;
}

int page_login(req_t *r)
{
	const char *username = form_str(r, "username");
	const char *pw = kv_get(&r->form, "password");
	if (!pw)
		pw = "";
	if (!*username || !*pw)
		return login_page(r, 400, username, "请填写用户名和密码。");
	long now = (long)time(NULL);
	long wait = throttled(r, username, now);
	if (wait > 0) {
		char msg[200];
		snprintf(msg, sizeof msg, "登录失败次数过多，为保护账号安全已暂停登录。请 %ld 分钟后再试，"
					  "或联系管理员重置密码。", (wait + 59) / 60);
		return login_page(r, 429, username, msg);
	}
	sqlite3_stmt *s = db_stmt(r->db, Q_USER_BY_NAME);
	db_bind_text(s, 1, username);
	json_t *u = db_row(s);
	const char *hash = u ? json_string_value(json_object_get(u, "password_hash")) : NULL;
	int ok = password_verify(hash, pw) && json_integer_value(json_object_get(u, "active")) == 1;
	if (db_begin(r->db) != SQLITE_OK) {
		json_decref(u);
		return -1;
	}
	if (record_attempt(r, username, now, ok) != 0)
		goto fail;
	if (!ok) {
		if (db_commit(r->db) != SQLITE_OK)
			goto fail;
		json_decref(u);
		return login_page(r, 401, username, "用户名或密码不正确，请重新输入。");
	}
	/* a new session every time; drop any session the browser had */
	if (r->session_id)
		session_end(r);
	int64_t uid = json_integer_value(json_object_get(u, "id"));
	if (session_start(r, uid) != 0)
		goto fail;
	r->user = arena_zalloc(r->a, sizeof *r->user);
	r->user->id = uid;
	r->user->username = arena_strdup(r->a, json_string_value(json_object_get(u, "username")));
	if (audit(r, "auth.signin", "user", uid, json_integer_value(json_object_get(u, "org_id")),
		  NULL, NULL) != 0 ||
	    db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(u);
	return resp_redirect(r, safe_next(kv_get(&r->form, "next")));
fail:
	json_decref(u);
	buf_reset(&r->head);
	return -1;
}

int page_logout(req_t *r)
{
	if (db_begin(r->db) != SQLITE_OK)
		return -1;
	if (audit(r, "auth.signout", "user", r->user->id, r->user->org_id, NULL, NULL) != 0)
		return -1;
	session_end(r);
	if (db_commit(r->db) != SQLITE_OK)
		return -1;
	flash_set(r, "signed_out");
	return resp_redirect(r, "/login");
}

static int password_page(req_t *r, int status, json_t *errors)
{
	json_t *c = page_ctx(r, "修改密码");
	if (errors)
		json_object_set_new(c, "errors", errors);
	return render(r, status, "auth/password.html", c);
}

int page_password_form(req_t *r)
{
	return password_page(r, 200, NULL);
}

int page_password(req_t *r)
{
	const char *old = kv_get(&r->form, "old_password");
	const char *pw = kv_get(&r->form, "new_password");
	const char *pw2 = kv_get(&r->form, "new_password2");
	json_t *errors = json_object();
	if (!old || !*old)
		json_object_set_new(errors, "old_password", json_string("请填写当前密码。"));
	const char *problem = password_problem(pw ? pw : "", r->user->username);
	if (problem)
		json_object_set_new(errors, "new_password", json_string(problem));
	else if (!pw2 || strcmp(pw, pw2) != 0)
		json_object_set_new(errors, "new_password2", json_string("两次输入的新密码不一致。"));
	if (json_object_size(errors) == 0) {
		sqlite3_stmt *s = db_stmt(r->db, Q_USER_BY_ID);
		sqlite3_bind_int64(s, 1, r->user->id);
		json_t *u = db_row(s);
		const char *hash = u ? json_string_value(json_object_get(u, "password_hash")) : NULL;
		if (!password_verify(hash, old))
			json_object_set_new(errors, "old_password", json_string("当前密码不正确。"));
		json_decref(u);
	}
	if (json_object_size(errors) > 0)
		return password_page(r, 400, errors);
	json_decref(errors);
	char hash[PASSWORD_HASH_MAX];
	if (password_hash(pw, hash) != 0)
		return -1;
	if (db_begin(r->db) != SQLITE_OK)
		return -1;
	sqlite3_stmt *s = db_stmt(r->db, Q_USER_SET_PASSWORD);
	sqlite3_bind_int64(s, 1, r->user->id);
	db_bind_text(s, 2, hash);
	if (db_exec_stmt(s) != SQLITE_DONE)
		return -1;
	/* sign out everywhere else */
	sqlite3_stmt *d = db_stmt(r->db, Q_SESSION_DELETE_OTHERS);
	sqlite3_bind_int64(d, 1, r->user->id);
	sqlite3_bind_int64(d, 2, r->session_id);
	if (db_exec_stmt(d) != SQLITE_DONE)
		return -1;
	json_t *after = json_pack("{s:s}", "password", "（已修改）");
	int rc = audit(r, "auth.password", "user", r->user->id, r->user->org_id, NULL, after);
	json_decref(after);
	if (rc != 0 || db_commit(r->db) != SQLITE_OK)
		return -1;
	flash_set(r, "password_changed");
	return resp_redirect(r, "/");
}
