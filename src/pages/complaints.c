/* complaints.c - 投诉举报: anyone files one (content, optional contact,
 * which school or district it concerns) and gets a tracking number to
 * read the answer; staff of that school or district answer it within the
 * deadline (15 days); the district sees the counts and the 按时办结率. */
#include "pages.h"
#include "db/queries.h"
#include "domain/format.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEADLINE_DAYS 15
#define COMPLAINTS_PER_WINDOW 5
#define ATTEMPT_WINDOW (10 * 60)

static int complaint_form(req_t *r, int status, json_t *v, const char *error)
{
	json_t *orgs = db_rows(db_stmt(r->db, Q_ORGS_FOR_COMPLAINTS));
	json_int_t sel = json_integer_value(json_object_get(v, "org_id"));
	size_t i;
	json_t *o;
	json_array_foreach(orgs, i, o)
		json_object_set_new(o, "selected", json_boolean(json_integer_value(json_object_get(o, "id")) == sel));
	json_t *c = page_ctx(r, "投诉举报");
	json_object_set_new(c, "orgs", orgs);
	json_object_set_new(c, "pre_csrf", json_string(pre_csrf(r)));
	json_object_set_new(c, "v", v);
	if (error)
		json_object_set_new(c, "error", json_string(error));
	return render(r, status, "public/complaint.html", c);
}

int page_complaint_form(req_t *r)
{
	return complaint_form(r, 200, json_object(), NULL);
}

/* A tracking number people can read over the phone: 12 characters from
 * an alphabet without 0/O and 1/I/L. */
static void tracking_code(char out[13])
{
	static const char A[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
	unsigned char b[12];
	randombytes_buf(b, sizeof b);
	for (int i = 0; i < 12; i++)
		out[i] = A[b[i] % (sizeof A - 1)];
	out[12] = '\0';
}

int page_complaint_file(req_t *r)
{
	const char *content = form_str(r, "content"), *contact = form_str(r, "contact");
	json_int_t org = atoll(form_str(r, "org_id"));
	json_t *v = json_pack("{s:s, s:s, s:I}", "content", content, "contact", contact, "org_id", org);
	sqlite3_stmt *o = db_stmt(r->db, Q_ORG_BY_ID);
	db_bind_text(o, 1, "/");
	sqlite3_bind_int64(o, 2, org);
	json_t *target = db_row(o);
	const char *kind = target ? jstr(target, "kind") : "";
	int ok_target = target && (!strcmp(kind, "school") || !strcmp(kind, "district"));
	/* a complaint about a school goes to its district, not to the school
	 * complained about; the district may pass it on */
	json_int_t handler = org;
	const char *about = NULL;
	if (ok_target && !strcmp(kind, "school")) {
		handler = json_integer_value(json_object_get(target, "parent_id"));
		about = arena_printf(r->a, "【涉及学校：%s】", jstr(target, "name"));
	}
	json_decref(target);
	if (!*content || utf8_chars(content) > 5000)
		return complaint_form(r, 400, v, "请填写投诉举报的内容（最多 5000 字）。");
	if (!ok_target)
		return complaint_form(r, 400, v, "请选择所涉及的学校或区（县）。");
	if (utf8_chars(contact) > 100)
		return complaint_form(r, 400, v, "联系方式最多 100 字。");
	/* a few per address in ten minutes */
	long now = (long)time(NULL);
	sqlite3_stmt *c = db_stmt(r->db, Q_ATTEMPT_COUNT);
	db_bind_text(c, 1, "complaint");
	db_bind_text(c, 2, r->remote_addr);
	sqlite3_bind_int64(c, 3, now - ATTEMPT_WINDOW);
	int n = sqlite3_step(c) == SQLITE_ROW ? sqlite3_column_int(c, 0) : 0;
	sqlite3_reset(c);
	if (n >= COMPLAINTS_PER_WINDOW)
		return complaint_form(r, 429, v, "提交过于频繁，请稍后再试。");
	char code[13], today[11], deadline[11];
	tracking_code(code);
	today_iso(today);
	add_days(today, DEADLINE_DAYS, deadline);
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	sqlite3_stmt *a = db_stmt(r->db, Q_ATTEMPT_ADD);
	db_bind_text(a, 1, "complaint");
	db_bind_text(a, 2, r->remote_addr);
	sqlite3_bind_int64(a, 3, now);
	sqlite3_stmt *s = db_stmt(r->db, Q_COMPLAINT_ADD);
	db_bind_text(s, 1, code);
	sqlite3_bind_int64(s, 2, handler);
	db_bind_text(s, 3, about ? arena_printf(r->a, "%s%s", about, content) : content);
	db_bind_text(s, 4, contact);
	db_bind_text(s, 5, r->remote_addr);
	db_bind_text(s, 6, deadline);
	if (db_exec_stmt(a) != SQLITE_DONE || db_exec_stmt(s) != SQLITE_DONE || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(v);
	json_t *ctx = page_ctx(r, "投诉举报已收到");
	json_object_set_new(ctx, "code", json_string(code));
	json_object_set_new(ctx, "deadline", json_string(deadline));
	return render(r, 200, "public/complaint_done.html", ctx);
fail:
	json_decref(v);
	return -1;
}

int page_complaint_check(req_t *r)
{
	const char *code = query_str(r, "code");
	json_t *c = page_ctx(r, "投诉办理查询");
	if (*code) {
		char up[16];
		size_t n = strlen(code);
		for (size_t i = 0; i < n && i < sizeof up - 1; i++)
			up[i] = (char)(code[i] >= 'a' && code[i] <= 'z' ? code[i] - 32 : code[i]);
		up[n < sizeof up - 1 ? n : sizeof up - 1] = '\0';
		sqlite3_stmt *s = db_stmt(r->db, Q_COMPLAINT_BY_CODE);
		db_bind_text(s, 1, up);
		json_t *row = db_row(s);
		if (row)
			json_object_set_new(c, "complaint", row);
		else
			json_object_set_new(c, "not_found", json_true());
	}
	json_object_set_new(c, "code", json_string(code));
	return render(r, 200, "public/complaint_check.html", c);
}

/* ---- staff ---- */

static json_t *stats(req_t *r)
{
	char today[11];
	today_iso(today);
	sqlite3_stmt *s = db_stmt(r->db, Q_COMPLAINT_STATS);
	db_bind_text(s, 1, scope_path(r));
	db_bind_text(s, 2, today);
	json_t *st = db_row(s);
	json_int_t on_time = json_integer_value(json_object_get(st, "on_time"));
	json_int_t late = json_integer_value(json_object_get(st, "late"));
	json_int_t overdue = json_integer_value(json_object_get(st, "overdue"));
	json_int_t due = on_time + late + overdue;
	/* 按时办结率: answered by the deadline, of all that are answered or past it */
	if (due > 0)
		json_object_set_new(st, "rate", json_sprintf("%lld.%lld%%", (long long)(on_time * 1000 / due / 10),
							     (long long)(on_time * 1000 / due % 10)));
	return st;
}

int page_complaints(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_COMPLAINTS);
	db_bind_text(s, 1, scope_path(r));
	json_t *rows = db_rows(s);
	char today[11];
	today_iso(today);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x)
		json_object_set_new(x, "overdue", json_boolean(!strcmp(jstr(x, "status"), "open") && strcmp(jstr(x, "deadline"), today) < 0));
	json_t *c = page_ctx(r, "投诉举报");
	json_object_set_new(c, "rows", rows);
	json_object_set_new(c, "stats", stats(r));
	return render(r, 200, "complaints/list.html", c);
}

static json_t *load(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_COMPLAINT_GET);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, r->id);
	return db_row(s);
}

int page_complaint(req_t *r)
{
	json_t *cpl = load(r);
	if (!cpl)
		return render_error(r, 404, "没有找到这件投诉，或它不在您的管理范围内。");
	json_t *c = page_ctx(r, "投诉举报");
	if (strcmp(r->user->org_kind, "district") == 0 && !strcmp(jstr(cpl, "status"), "open")) {
		sqlite3_stmt *s = db_stmt(r->db, Q_ORGS_FOR_USERS);
		db_bind_text(s, 1, scope_path(r));
		json_object_set_new(c, "orgs", db_rows(s));
	}
	/* the complainant's contact is for the district only */
	if (strcmp(r->user->org_kind, "district") != 0)
		json_object_set_new(cpl, "contact", json_string(*jstr(cpl, "contact") ? "（仅区资助中心可见）" : ""));
	json_object_set_new(c, "complaint", cpl);
	return render(r, 200, "complaints/show.html", c);
}

int page_complaint_answer(req_t *r)
{
	json_t *cpl = load(r);
	if (!cpl)
		return render_error(r, 404, "没有找到这件投诉，或它不在您的管理范围内。");
	int64_t org = json_integer_value(json_object_get(cpl, "org_id"));
	json_decref(cpl);
	const char *answer = form_str(r, "answer");
	if (!*answer || utf8_chars(answer) > 5000)
		return render_error(r, 400, "请填写答复（最多 5000 字）。");
	if (db_begin(r->db) != SQLITE_OK)
		return -1;
	sqlite3_stmt *s = db_stmt(r->db, Q_COMPLAINT_ANSWER);
	sqlite3_bind_int64(s, 1, r->id);
	db_bind_text(s, 2, answer);
	sqlite3_bind_int64(s, 3, r->user->id);
	if (db_exec_stmt(s) != SQLITE_DONE)
		return -1;
	if (sqlite3_changes(db_handle(r->db)) != 1) {
		db_rollback(r->db);
		return render_error(r, 409, "这件投诉已经答复过了。");
	}
	json_t *after = json_pack("{s:s}", "answer", answer);
	int rc = audit(r, "complaint.answer", "complaint", r->id, org, NULL, after);
	json_decref(after);
	if (rc || db_commit(r->db) != SQLITE_OK)
		return -1;
	flash_set(r, "complaint_answered");
	return resp_redirect(r, arena_printf(r->a, "/complaints/%lld", (long long)r->id));
}

int page_complaint_assign(req_t *r)
{
	json_t *cpl = load(r);
	if (!cpl)
		return render_error(r, 404, "没有找到这件投诉，或它不在您的管理范围内。");
	int64_t from = json_integer_value(json_object_get(cpl, "org_id"));
	json_decref(cpl);
	int64_t to = atoll(form_str(r, "org_id"));
	sqlite3_stmt *o = db_stmt(r->db, Q_ORG_BY_ID);
	db_bind_text(o, 1, scope_path(r));
	sqlite3_bind_int64(o, 2, to);
	json_t *target = db_row(o);
	int ok = target && strcmp(jstr(target, "kind"), "city") != 0;
	json_decref(target);
	if (!ok)
		return render_error(r, 400, "只能转给本区或本区的学校。");
	if (db_begin(r->db) != SQLITE_OK)
		return -1;
	sqlite3_stmt *s = db_stmt(r->db, Q_COMPLAINT_ASSIGN);
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int64(s, 2, to);
	json_t *before = json_pack("{s:I}", "org_id", (json_int_t)from), *after = json_pack("{s:I}", "org_id", (json_int_t)to);
	int rc = db_exec_stmt(s) == SQLITE_DONE ? 0 : -1;
	if (rc == 0 && sqlite3_changes(db_handle(r->db)) != 1) {
		db_rollback(r->db);
		json_decref(before);
		json_decref(after);
		return render_error(r, 409, "这件投诉已经答复，不能再转办。");
	}
	if (rc == 0)
		rc = audit(r, "complaint.assign", "complaint", r->id, from, before, after);
	json_decref(before);
	json_decref(after);
	if (rc || db_commit(r->db) != SQLITE_OK)
		return -1;
	flash_set(r, "complaint_assigned");
	return resp_redirect(r, "/complaints");
}
