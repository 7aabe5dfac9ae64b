/* public.c - what parents and the public use without signing in: the
 * index of 公示, a notice (its frozen list, taken down with 410 once its
 * period and grace are over), objections during the period, and a
 * parent's own status check. These pages show only what the 2017 rules
 * allow: 姓名 (masked if the district chose so), 学校, 年级/班级, programme,
 * tier and amount. */
#include "pages.h"
#include "http/server.h"
#include "db/queries.h"
#include "domain/format.h"
#include "domain/student.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECKS_PER_WINDOW 10   /* status checks per address in the window */
#define OBJECTIONS_PER_WINDOW 5
#define ATTEMPT_WINDOW (10 * 60)

/* The last day a notice may be shown: its end plus the grace days. */
static int taken_down(json_t *n)
{
	char today[11], last[11];
	today_iso(today);
	if (add_days(jstr(n, "ends"), (int)json_integer_value(json_object_get(n, "grace_days")), last) != 0)
		return 1;
	return strcmp(today, last) > 0;
}

static int in_period(json_t *n)
{
	char today[11];
	today_iso(today);
	return strcmp(jstr(n, "status"), "published") == 0 && strcmp(today, jstr(n, "starts")) >= 0 &&
	       strcmp(today, jstr(n, "ends")) <= 0;
}

/* Count an attempt of a public form and say whether the address is over
 * its limit (then nothing else is done for it). */
static int over_limit(req_t *r, const char *kind, int limit)
{
	long now = (long)time(NULL);
	sqlite3_stmt *c = db_stmt(r->db, Q_ATTEMPT_COUNT);
	db_bind_text(c, 1, kind);
	db_bind_text(c, 2, r->remote_addr);
	sqlite3_bind_int64(c, 3, now - ATTEMPT_WINDOW);
	int n = sqlite3_step(c) == SQLITE_ROW ? sqlite3_column_int(c, 0) : 0;
	sqlite3_reset(c);
	if (n >= limit)
		return 1;
	sqlite3_stmt *p = db_stmt(r->db, Q_ATTEMPT_PURGE);
	sqlite3_bind_int64(p, 1, now - 24 * 3600);
	sqlite3_stmt *a = db_stmt(r->db, Q_ATTEMPT_ADD);
	db_bind_text(a, 1, kind);
	db_bind_text(a, 2, r->remote_addr);
	sqlite3_bind_int64(a, 3, now);
	if (db_begin(r->db) == SQLITE_OK) {
		if (db_exec_stmt(p) == SQLITE_DONE && db_exec_stmt(a) == SQLITE_DONE)
			db_commit(r->db);
		else
			db_rollback(r->db);
	}
	return 0;
}

int page_public_index(req_t *r)
{
	json_t *rows = db_rows(db_stmt(r->db, Q_PUBLIC_NOTICES));
	json_t *current = json_array(), *past = json_array();
	size_t i;
	json_t *n;
	json_array_foreach(rows, i, n) json_array_append(taken_down(n) ? past : current, n);
	json_decref(rows);
	json_t *c = page_ctx(r, "资助公示");
	json_object_set_new(c, "current", current);
	json_object_set_new(c, "past", past);
	return render(r, 200, "public/index.html", c);
}

static json_t *public_notice(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_PUBLIC_NOTICE);
	sqlite3_bind_int64(s, 1, r->id);
	return db_row(s);
}

/* The publicity settings of the notice's district (its policy link). */
static json_t *publicity_of(req_t *r, json_t *n)
{
	sqlite3_stmt *p = db_stmt(r->db, Q_PUBLICITY_GET);
	sqlite3_bind_int64(p, 1, jint(n, "district_id"));
	return db_row(p);
}

/* What, besides the date, the public page of a notice depends on: when it
 * changes, a page file written meanwhile is stale. */
static char *notice_state(req_t *r, json_t *n, json_t *pub)
{
	return arena_printf(r->a, "%s|%s", jstr(n, "status"), jstr(pub, "policy_url"));
}

int page_public_notice(req_t *r)
{
	json_t *n = public_notice(r);
	if (!n)
		return render_error(r, 404, "没有这份公示。请从公示目录进入。");
	if (taken_down(n)) {
		json_decref(n);
		return render_error(r, 410, "该公示的公示期已经结束，按规定已撤下。如有疑问，请联系学校资助工作人员。");
	}
	/* a frozen list never changes: let browsers and proxies reuse it, for
	 * the day (the objection button follows the period) and while the
	 * status and policy link stay as they are */
	resp_header(r, "Vary", "Cookie");
	json_t *pub = publicity_of(r, n);
	const char *state = notice_state(r, n, pub);
	char today[11], state_hash[65];
	today_iso(today);
	sha256_hex(state, strlen(state), state_hash);
	const char *etag = arena_printf(r->a, "\"%s-%s-%.16s\"", jstr(n, "sha256"), today, state_hash);
	if (r->user) {
		/* a signed-in page carries the user's name and token: never shared */
		resp_header(r, "Cache-Control", "private, no-store");
	} else {
		resp_header(r, "ETag", etag);
		resp_header(r, "Cache-Control", "public, max-age=60");
		if (*r->if_none_match && strstr(r->if_none_match, etag)) {
			json_decref(pub);
			json_decref(n);
			r->status = 304;
			return 0;
		}
	}
	json_error_t e;
	json_t *doc = json_loads(jstr(n, "content"), 0, &e);
	json_t *c = page_ctx(r, jstr(n, "title"));
	json_object_set(c, "rows", doc ? json_object_get(doc, "rows") : NULL);
	json_decref(doc);
	if (*jstr(pub, "policy_url"))
		json_object_set_new(c, "policy_url", json_string(jstr(pub, "policy_url")));
	json_decref(pub);
	json_object_set_new(c, "open", json_boolean(in_period(n)));
	json_object_del(n, "content");
	/* the page a visitor without a session sees is the same for everyone */
	int shared = !r->user && !r->csrf && !json_object_get(c, "flash");
	json_object_set(c, "notice", n);
	int rc = render(r, 200, "public/notice.html", c);
	if (rc == 0 && r->status == 200 && shared && r->cfg->public_dir) {
		if (pubcache_write(r->cfg->public_dir, r->id, today, r->body.data, r->body.len) == 0) {
			/* closed or re-linked while we rendered: the file is stale */
			json_t *now = public_notice(r);
			json_t *now_pub = now ? publicity_of(r, now) : NULL;
			if (!now || strcmp(notice_state(r, now, now_pub), state) != 0)
				pubcache_drop(r->cfg->public_dir, r->id);
			json_decref(now_pub);
			json_decref(now);
		}
	}
	json_decref(n);
	return rc;
}

static int objection_form(req_t *r, int status, json_t *n, json_t *v, const char *error)
{
	json_t *c = page_ctx(r, "提出异议");
	json_object_set_new(c, "notice", n);
	json_object_set_new(c, "pre_csrf", json_string(pre_csrf(r)));
	json_object_set_new(c, "v", v ? v : json_object());
	if (error)
		json_object_set_new(c, "error", json_string(error));
	return render(r, status, "public/objection.html", c);
}

int page_public_objection_form(req_t *r)
{
	json_t *n = public_notice(r);
	if (!n || taken_down(n)) {
		json_decref(n);
		return render_error(r, n ? 410 : 404, "这份公示不在公示期内。公示期外的意见请通过投诉举报渠道反映。");
	}
	if (!in_period(n)) {
		json_decref(n);
		return render_error(r, 409, "这份公示不在公示期内，不能提出异议。公示期外的意见请通过投诉举报渠道反映。");
	}
	json_object_del(n, "content");
	return objection_form(r, 200, n, NULL, NULL);
}

int page_public_objection(req_t *r)
{
	json_t *n = public_notice(r);
	if (!n || !in_period(n) || taken_down(n)) {
		json_decref(n);
		return render_error(r, 409, "这份公示不在公示期内，不能提出异议。公示期外的意见请通过投诉举报渠道反映。");
	}
	json_object_del(n, "content");
	const char *content = form_str(r, "content"), *name = form_str(r, "name"), *phone = form_str(r, "phone");
	json_t *v = json_pack("{s:s, s:s, s:s}", "content", content, "name", name, "phone", phone);
	const char *problem = !*content ? "请填写异议的内容。"
			      : utf8_chars(content) > 2000 ? "异议内容最多 2000 字，请精简。"
			      : utf8_chars(name) > 32 ? "姓名最多 32 字。"
			      : (*phone && (strlen(phone) < 7 || strlen(phone) > 20 || strspn(phone, "0123456789-") != strlen(phone)))
				      ? "联系电话只能填数字和 -；不愿留电话可以不填。"
				      : NULL;
	if (problem)
		return objection_form(r, 400, n, v, problem);
	if (over_limit(r, "objection", OBJECTIONS_PER_WINDOW))
		return objection_form(r, 429, n, v, "提交过于频繁，请稍后再试。");
	json_int_t notice = json_integer_value(json_object_get(n, "id"));
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	sqlite3_stmt *s = db_stmt(r->db, Q_OBJECTION_ADD);
	sqlite3_bind_int64(s, 1, notice);
	db_bind_text(s, 2, content);
	db_bind_text(s, 3, name);
	db_bind_text(s, 4, phone);
	db_bind_text(s, 5, r->remote_addr);
	if (db_exec_stmt(s) != SQLITE_DONE || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_int_t oid = (json_int_t)sqlite3_last_insert_rowid(db_handle(r->db));
	json_decref(v);
	json_t *c = page_ctx(r, "异议已收到");
	json_object_set_new(c, "notice", n);
	json_object_set_new(c, "number", json_integer(oid));
	return render(r, 200, "public/objection_done.html", c);
fail:
	json_decref(v);
	json_decref(n);
	return -1;
}

static int check_page(req_t *r, int status, const char *name, json_t *result, const char *message)
{
	json_t *c = page_ctx(r, "资助申请查询");
	json_object_set_new(c, "pre_csrf", json_string(pre_csrf(r)));
	json_object_set_new(c, "name", json_string(name ? name : ""));
	if (result)
		json_object_set_new(c, "result", result);
	if (message)
		json_object_set_new(c, "message", json_string(message));
	return render(r, status, "public/check.html", c);
}

int page_public_check_form(req_t *r)
{
	return check_page(r, 200, "", NULL, NULL);
}

int page_public_check(req_t *r)
{
	const char *name = form_str(r, "name"), *tail = form_str(r, "idtail");
	if (!*name || strlen(tail) != 6 || strspn(tail, "0123456789xX") != 6 || utf8_chars(name) > 32)
		return check_page(r, 400, name, NULL, "请填写学生姓名和身份证号的后 6 位（最后一位可以是 X）。");
	if (over_limit(r, "status_check", CHECKS_PER_WINDOW))
		return check_page(r, 429, name, NULL, "查询过于频繁，请 10 分钟后再试。");
	sqlite3_stmt *s = db_stmt(r->db, Q_STATUS_CHECK);
	db_bind_text(s, 1, name);
	db_bind_text(s, 2, tail);
	json_t *rows = db_rows(s);
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		/* the same words whether the student exists or not */
		return check_page(r, 200, name, NULL,
				  "没有查到相符的资助申请。请核对姓名和身份证号后 6 位；如已申请，请向学校资助工作人员询问。");
	}
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x)
		json_object_set_new(x, "status_label", json_string(app_status_label(jstr(x, "status"))));
	return check_page(r, 200, name, rows, NULL);
}
