/* notices.c - 公示 for staff: the school officer builds a notice from the
 * list the school committee decided, publishes it (the list is frozen and
 * hashed), answers objections, and closes it when the period is over. The
 * district sets whether names are masked and how long an expired list
 * stays up. A school's list goes to the district only after its notice
 * passed (see Q_BATCH_CANDIDATES). */
#include "core/json_arena.h"
#include "pages.h"
#include "http/server.h"
#include "db/queries.h"
#include "domain/format.h"
#include "domain/idcard.h"
#include <stdlib.h>
#include <string.h>

static const char *status_label(const char *s)
{
	return !strcmp(s, "draft")       ? "草稿"
	       : !strcmp(s, "published") ? "公示中"
	       : !strcmp(s, "passed")    ? "公示通过"
	       : !strcmp(s, "changed")   ? "有异议成立，需重新审核"
					 : s;
}

static json_t *publicity(req_t *r, int64_t district)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_PUBLICITY_GET);
	sqlite3_bind_int64(s, 1, district);
	return db_row(s);
}

static int64_t my_district(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_ORG_BY_ID);
	db_bind_text(s, 1, "/");
	sqlite3_bind_int64(s, 2, r->user->org_id);
	json_t *o = db_row(s);
	int64_t d = o ? jint(o, "parent_id") : 0;
	json_decref(o);
	return d;
}

/* The list a notice shows: the proposed awards of the school and term in
 * the notice's programmes (and, once created, its applications), as the
 * public may see them: 序号, 姓名, 学校, 年级/班级, 项目, 档次, 金额. */
static json_t *build_rows(req_t *r, int64_t school, int64_t term, json_t *programmes, json_t *app_ids,
			  int mask, json_t **apps_out)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_NOTICE_CANDIDATES);
	sqlite3_bind_int64(s, 1, school);
	sqlite3_bind_int64(s, 2, term);
	json_t *cands = db_rows(s), *rows = json_array(), *apps = json_array();
	size_t i, k;
	json_t *c, *x;
	json_array_foreach(cands, i, c)
	{
		int in_prog = 0, in_apps = app_ids == NULL;
		json_array_foreach(programmes, k, x) in_prog |= json_integer_value(x) == jint(c, "programme_id");
		json_array_foreach(app_ids, k, x) in_apps |= json_integer_value(x) == jint(c, "application_id");
		if (!in_prog || !in_apps)
			continue;
		char name[128], amount[32];
		if (mask)
			mask_name(jstr(c, "name"), name, sizeof name);
		else
			snprintf(name, sizeof name, "%s", jstr(c, "name"));
		money_format_yuan(jint(c, "amount_fen"), amount, sizeof amount);
		json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "seq",
						      (json_int_t)json_array_size(rows) + 1, "name", name, "school",
						      jstr(c, "school_name"), "class",
						      arena_printf(r->a, "%s %s", jstr(c, "grade"), jstr(c, "class_name")),
						      "programme", jstr(c, "programme"), "tier", jstr(c, "tier"), "amount", amount));
		int seen = 0;
		json_array_foreach(apps, k, x) seen |= json_integer_value(x) == jint(c, "application_id");
		if (!seen)
			json_array_append_new(apps, json_integer(jint(c, "application_id")));
	}
	json_decref(cands);
	if (apps_out)
		*apps_out = apps;
	else
		json_decref(apps);
	return rows;
}

int page_notices(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_NOTICES);
	db_bind_text(s, 1, scope_path(r));
	json_t *rows = db_rows(s);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) json_object_set_new(x, "status_label", json_string(status_label(jstr(x, "status"))));
	json_t *c = page_ctx(r, "公示");
	json_object_set_new(c, "rows", rows);
	json_object_set_new(c, "is_school", json_boolean(strcmp(r->user->org_kind, "school") == 0 &&
							 (r->user->role_bit & ROLE_OFFICER)));
	return render(r, 200, "notices/list.html", c);
}

/* The term of ?term= (a term of the district) or the one running today. */
static json_t *notice_term(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_TERMS);
	sqlite3_bind_int64(s, 1, my_district(r));
	json_t *terms = db_rows(s);
	json_int_t want = atoll(query_str(r, "term"));
	char today[11];
	today_iso(today);
	json_t *pick = NULL, *t;
	size_t i;
	json_array_foreach(terms, i, t) if (want ? jint(t, "id") == want : (!pick && strcmp(jstr(t, "starts"), today) <= 0))
		pick = t;
	json_t *out = pick ? json_incref(pick) : NULL;
	json_decref(terms);
	return out;
}

static int notice_form(req_t *r, int status, json_t *term, json_t *v, json_t *errors)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_AWARD_PROGRAMMES_OF_TERM);
	sqlite3_bind_int64(s, 1, r->user->org_id);
	sqlite3_bind_int64(s, 2, jint(term, "id"));
	json_t *progs = db_rows(s);
	size_t i, k;
	json_t *p, *x;
	json_array_foreach(progs, i, p)
	{
		int on = 0;
		json_array_foreach(json_object_get(v, "programmes"), k, x) on |= json_integer_value(x) == jint(p, "id");
		json_object_set_new(p, "checked", json_boolean(on));
	}
	json_t *c = page_ctx(r, "新建公示");
	json_object_set_new(c, "programmes", progs);
	json_object_set_new(c, "term", term);
	json_object_set_new(c, "v", v);
	if (errors && json_object_size(errors))
		json_object_set_new(c, "errors", errors);
	else
		json_decref(errors);
	return render(r, status, "notices/form.html", c);
}

int page_notice_new(req_t *r)
{
	json_t *term = notice_term(r);
	if (!term)
		return render_error(r, 409, "还没有设置学期，请联系区资助中心。");
	sqlite3_stmt *d = db_stmt(r->db, Q_TERMS);
	sqlite3_bind_int64(d, 1, my_district(r));
	json_t *dt = db_rows(d);
	int days = 5;
	size_t i;
	json_t *t;
	json_array_foreach(dt, i, t) if (jint(t, "id") == jint(term, "id")) days = (int)jint(t, "publicity_days");
	json_decref(dt);
	char today[11], ends[11];
	today_iso(today);
	add_working_days(today, days, ends);
	json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:[]}", "title",
			      arena_printf(r->a, "%s%s家庭经济困难学生资助名单公示", r->user->org_name, jstr(term, "name")),
			      "body", "经学生申请、班级评议、学校审核，拟资助以下学生。公示期内如有异议，可通过本页“提出异议”反映，或向学校资助工作领导小组反映。",
			      "starts", today, "ends", ends, "programmes");
	return notice_form(r, 200, term, v, NULL);
}

static int valid_iso(const char *s)
{
	char tmp[11];
	return add_days(s, 0, tmp) == 0 && strcmp(tmp, s) == 0;
}

int page_notice_create(req_t *r)
{
	json_t *term = notice_term(r);
	if (!term)
		return render_error(r, 409, "还没有设置学期，请联系区资助中心。");
	const char *title = form_str(r, "title"), *body = form_str(r, "body");
	const char *starts = form_str(r, "starts"), *ends = form_str(r, "ends");
	json_t *progs = json_array();
	for (size_t i = 0; i < kv_count(&r->form, "programme"); i++)
		json_array_append_new(progs, json_integer(atoll(kv_get_nth(&r->form, "programme", i))));
	json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:O}", "title", title, "body", body, "starts", starts, "ends",
			      ends, "programmes", progs);
	json_t *errors = json_object();
	if (!*title || utf8_chars(title) > 100)
		json_object_set_new(errors, "title", json_string("请填写标题（最多 100 字）。"));
	if (utf8_chars(body) > 2000)
		json_object_set_new(errors, "body", json_string("说明最多 2000 字。"));
	int days = 5;
	sqlite3_stmt *d = db_stmt(r->db, Q_TERMS);
	sqlite3_bind_int64(d, 1, my_district(r));
	json_t *dt = db_rows(d);
	size_t i;
	json_t *t;
	json_array_foreach(dt, i, t) if (jint(t, "id") == jint(term, "id")) days = (int)jint(t, "publicity_days");
	json_decref(dt);
	char min_end[11], today[11];
	today_iso(today);
	if (!valid_iso(starts))
		json_object_set_new(errors, "starts", json_string("开始日期请按 2025-03-05 的格式填写。"));
	else if (strcmp(starts, today) < 0)
		json_object_set_new(errors, "starts", json_string("公示开始日期不能早于今天：公示须让公众在完整的公示期内看到。"));
	else if (!valid_iso(ends) || strcmp(ends, starts) < 0)
		json_object_set_new(errors, "ends", json_string("结束日期请按 2025-03-05 的格式填写，且不早于开始日期。"));
	else if (add_working_days(starts, days, min_end) == 0 && strcmp(ends, min_end) < 0)
		json_object_set_new(errors, "ends",
				    json_string(arena_printf(r->a, "本区公示期为 %d 个工作日，结束日期不能早于 %s。", days, min_end)));
	json_t *apps = NULL;
	json_t *rows = build_rows(r, r->user->org_id, jint(term, "id"), progs, NULL, 0, &apps);
	if (json_array_size(progs) == 0)
		json_object_set_new(errors, "programmes", json_string("请选择公示的资助项目。"));
	else if (json_array_size(rows) == 0)
		json_object_set_new(errors, "programmes",
				    json_string("所选项目没有学校审核通过、尚未上报的拟资助学生，无需公示。"));
	json_decref(rows);
	if (json_object_size(errors)) {
		json_decref(apps);
		json_decref(progs);
		return notice_form(r, 400, term, v, errors);
	}
	json_decref(errors);
	char *progs_json = json_dumps(progs, JSON_COMPACT);
	int rc = -1;
	if (db_begin(r->db) != SQLITE_OK)
		goto out;
	sqlite3_stmt *s = db_stmt(r->db, Q_NOTICE_INSERT);
	sqlite3_bind_int64(s, 1, r->user->org_id);
	sqlite3_bind_int64(s, 2, jint(term, "id"));
	db_bind_text(s, 3, title);
	db_bind_text(s, 4, body);
	db_bind_text(s, 5, starts);
	db_bind_text(s, 6, ends);
	db_bind_text(s, 7, progs_json);
	sqlite3_bind_int64(s, 8, r->user->id);
	if (db_exec_stmt(s) != SQLITE_DONE)
		goto out;
	int64_t id = sqlite3_last_insert_rowid(db_handle(r->db));
	json_t *x;
	json_array_foreach(apps, i, x)
	{
		sqlite3_stmt *a = db_stmt(r->db, Q_NOTICE_APP_ADD);
		sqlite3_bind_int64(a, 1, id);
		sqlite3_bind_int64(a, 2, json_integer_value(x));
		if (db_exec_stmt(a) != SQLITE_DONE || sqlite3_changes(db_handle(r->db)) != 1)
			goto out;
	}
	json_t *after = json_pack("{s:s, s:s, s:s, s:O, s:O}", "title", title, "starts", starts, "ends", ends,
				  "programmes", progs, "applications", apps);
	int arc = audit(r, "notice.create", "notice", id, r->user->org_id, NULL, after);
	json_decref(after);
	if (arc || db_commit(r->db) != SQLITE_OK)
		goto out;
	rc = 0;
	resp_redirect(r, arena_printf(r->a, "/notices/%lld", (long long)id));
out:
	json_text_free(progs_json);
	json_decref(apps);
	json_decref(progs);
	json_decref(v);
	json_decref(term);
	return rc;
}

static json_t *load_notice(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_NOTICE_GET);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, r->id);
	return db_row(s);
}

static json_t *notice_app_ids(req_t *r, int64_t id)
{
	/* the applications of a draft: read back from notice_application */
	sqlite3_stmt *s = db_stmt(r->db, Q_NOTICE_APP_IDS);
	sqlite3_bind_int64(s, 1, id);
	json_t *rows = db_rows(s), *ids = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) json_array_append_new(ids, json_integer(jint(x, "application_id")));
	json_decref(rows);
	return ids;
}

/* The rows to show: the frozen list once published, else a live preview. */
static json_t *notice_rows(req_t *r, json_t *n, int mask)
{
	if (strcmp(jstr(n, "status"), "draft") != 0) {
		json_error_t e;
		json_t *doc = json_loads(jstr(n, "content"), 0, &e);
		json_t *rows = doc ? json_incref(json_object_get(doc, "rows")) : json_array();
		json_decref(doc);
		return rows ? rows : json_array();
	}
	json_error_t e;
	json_t *progs = json_loads(jstr(n, "programmes"), 0, &e);
	json_t *ids = notice_app_ids(r, jint(n, "id"));
	json_t *rows = build_rows(r, jint(n, "school_id"), jint(n, "term_id"), progs, ids, mask, NULL);
	json_decref(progs);
	json_decref(ids);
	return rows;
}

int page_notice(req_t *r)
{
	json_t *n = load_notice(r);
	if (!n)
		return render_error(r, 404, "没有找到这份公示，或它不在您的管理范围内。");
	json_t *pub = publicity(r, jint(n, "district_id"));
	json_t *rows = notice_rows(r, n, (int)jint(pub, "mask_names"));
	sqlite3_stmt *o = db_stmt(r->db, Q_OBJECTIONS_OF_NOTICE);
	sqlite3_bind_int64(o, 1, r->id);
	json_t *objs = db_rows(o);
	char today[11];
	today_iso(today);
	const char *st = jstr(n, "status");
	int officer = (r->user->role_bit & ROLE_OFFICER) != 0;
	int open_obj = 0;
	size_t i;
	json_t *x;
	json_array_foreach(objs, i, x)
	{
		open_obj += strcmp(jstr(x, "status"), "open") == 0;
		/* staff read the objector's phone masked */
		char m[32];
		mask_phone(jstr(x, "phone"), m, sizeof m);
		json_object_set_new(x, "phone", json_string(m));
	}
	json_t *c = page_ctx(r, "公示");
	json_object_set_new(n, "status_label", json_string(status_label(st)));
	json_object_del(n, "content");
	json_object_set_new(c, "notice", n);
	json_object_set_new(c, "rows", rows);
	json_object_set_new(c, "objections", objs);
	json_object_set_new(c, "mask_names", json_boolean(jint(pub, "mask_names")));
	json_object_set_new(c, "can_publish", json_boolean(officer && !strcmp(st, "draft")));
	json_object_set_new(c, "can_answer", json_boolean(officer && !strcmp(st, "published")));
	json_object_set_new(c, "period_over", json_boolean(strcmp(today, jstr(n, "ends")) > 0));
	json_object_set_new(c, "open_objections", json_integer(open_obj));
	json_object_set_new(c, "can_close", json_boolean(officer && !strcmp(st, "published")));
	json_decref(pub);
	return render(r, 200, "notices/show.html", c);
}

int page_notice_publish(req_t *r)
{
	json_t *n = load_notice(r);
	if (!n)
		return render_error(r, 404, "没有找到这份公示，或它不在您的管理范围内。");
	if (strcmp(jstr(n, "status"), "draft") != 0) {
		json_decref(n);
		return render_error(r, 409, "这份公示已经发布，发布后名单不能再改。");
	}
	char today[11];
	today_iso(today);
	if (strcmp(jstr(n, "starts"), today) < 0) {
		json_decref(n);
		return render_error(r, 409, "这份草稿的公示开始日期已过，不能发布。请删除草稿，重新建立公示。");
	}
	json_t *pub = publicity(r, jint(n, "district_id"));
	json_t *rows = notice_rows(r, n, (int)jint(pub, "mask_names"));
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		json_decref(pub);
		json_decref(n);
		return render_error(r, 409, "名单已经没有可公示的学生（可能已改动或已上报），请删除这份草稿后重新建立。");
	}
	/* the frozen list: only the columns the 2017 rules allow */
	json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O}", "title", jstr(n, "title"), "school",
				jstr(n, "school_name"), "term", jstr(n, "term_name"), "starts", jstr(n, "starts"),
				"ends", jstr(n, "ends"), "rows", rows);
	char *content = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(doc);
	char hash[65];
	sha256_hex(content, strlen(content), hash);
	int rc = -1;
	if (db_begin(r->db) != SQLITE_OK)
		goto out;
	sqlite3_stmt *s = db_stmt(r->db, Q_NOTICE_PUBLISH);
	sqlite3_bind_int64(s, 1, r->id);
	db_bind_text(s, 2, content);
	db_bind_text(s, 3, hash);
	sqlite3_bind_int64(s, 4, jint(pub, "grace_days"));
	if (db_exec_stmt(s) != SQLITE_DONE)
		goto out;
	if (sqlite3_changes(db_handle(r->db)) != 1) {
		db_rollback(r->db);
		rc = render_error(r, 409, "这份公示已经发布。");
		goto out;
	}
	/* the notice covers the decisions as they are now, at publication */
	sqlite3_stmt *rv = db_stmt(r->db, Q_NOTICE_REFRESH_VERSIONS);
	sqlite3_bind_int64(rv, 1, r->id);
	if (db_exec_stmt(rv) != SQLITE_DONE)
		goto out;
	json_t *after = json_pack("{s:s, s:I}", "sha256", hash, "rows", (json_int_t)json_array_size(rows));
	int arc = audit(r, "notice.publish", "notice", r->id, jint(n, "school_id"), NULL, after);
	json_decref(after);
	if (arc || db_commit(r->db) != SQLITE_OK)
		goto out;
	rc = 0;
	flash_set(r, "notice_published");
	resp_redirect(r, arena_printf(r->a, "/notices/%lld", (long long)r->id));
out:
	json_text_free(content);
	json_decref(rows);
	json_decref(pub);
	json_decref(n);
	return rc;
}

int page_notice_delete(req_t *r)
{
	json_t *n = load_notice(r);
	if (!n)
		return render_error(r, 404, "没有找到这份公示，或它不在您的管理范围内。");
	int64_t school = jint(n, "school_id");
	int draft = strcmp(jstr(n, "status"), "draft") == 0;
	json_decref(n);
	if (!draft)
		return render_error(r, 409, "已发布的公示不能删除，它和它的记录须留存备查。");
	if (db_begin(r->db) != SQLITE_OK)
		return -1;
	sqlite3_stmt *a = db_stmt(r->db, Q_NOTICE_APPS_DELETE);
	sqlite3_bind_int64(a, 1, r->id);
	sqlite3_stmt *d = db_stmt(r->db, Q_NOTICE_DELETE_DRAFT);
	sqlite3_bind_int64(d, 1, r->id);
	if (db_exec_stmt(a) != SQLITE_DONE || db_exec_stmt(d) != SQLITE_DONE)
		return -1;
	if (sqlite3_changes(db_handle(r->db)) != 1) {
		db_rollback(r->db);
		return render_error(r, 409, "这份公示刚刚已经发布，不能删除。");
	}
	if (
	    audit(r, "notice.delete", "notice", r->id, school, NULL, NULL) != 0 || db_commit(r->db) != SQLITE_OK)
		return -1;
	return resp_redirect(r, "/notices");
}

int page_notice_close(req_t *r)
{
	json_t *n = load_notice(r);
	if (!n)
		return render_error(r, 404, "没有找到这份公示，或它不在您的管理范围内。");
	char today[11];
	today_iso(today);
	const char *problem = NULL;
	if (strcmp(jstr(n, "status"), "published") != 0)
		problem = "只有公示中的名单可以结束公示。";
	else if (strcmp(today, jstr(n, "ends")) <= 0)
		problem = "公示期还没有结束，不能提前结束公示。";
	const char *note = form_str(r, "note");
	if (!problem && utf8_chars(note) > 500)
		problem = "说明最多 500 字。";
	int open = 0, upheld = 0;
	if (!problem) {
		sqlite3_stmt *c = db_stmt(r->db, Q_OBJECTION_COUNTS);
		sqlite3_bind_int64(c, 1, r->id);
		if (sqlite3_step(c) == SQLITE_ROW) {
			open = sqlite3_column_int(c, 0);
			upheld = sqlite3_column_int(c, 1);
		}
		sqlite3_reset(c);
		if (open)
			problem = "还有未答复的异议，须逐条答复后才能结束公示。";
	}
	if (problem) {
		json_decref(n);
		return render_error(r, 409, problem);
	}
	const char *result = upheld ? "changed" : "passed";
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	sqlite3_stmt *s = db_stmt(r->db, Q_NOTICE_CLOSE);
	sqlite3_bind_int64(s, 1, r->id);
	db_bind_text(s, 2, result);
	db_bind_text(s, 3, note);
	if (db_exec_stmt(s) != SQLITE_DONE || sqlite3_changes(db_handle(r->db)) != 1)
		goto fail;
	json_t *after = json_pack("{s:s, s:i, s:s}", "result", result, "upheld_objections", upheld, "note", note);
	int arc = audit(r, "notice.close", "notice", r->id, jint(n, "school_id"), NULL, after);
	json_decref(after);
	if (arc || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(n);
	pubcache_drop(r->cfg->public_dir, r->id); /* the page now says how it ended */
	flash_set(r, upheld ? "notice_changed" : "notice_passed");
	return resp_redirect(r, arena_printf(r->a, "/notices/%lld", (long long)r->id));
fail:
	json_decref(n);
	return -1;
}

int page_objection_answer(req_t *r)
{
	sqlite3_stmt *g = db_stmt(r->db, Q_OBJECTION_GET);
	db_bind_text(g, 1, scope_path(r));
	sqlite3_bind_int64(g, 2, r->id);
	json_t *o = db_row(g);
	if (!o)
		return render_error(r, 404, "没有找到这条异议，或它不在您的管理范围内。");
	const char *answer = form_str(r, "answer"), *upheld = form_str(r, "upheld");
	int64_t notice = jint(o, "notice_id"), school = jint(o, "school_id");
	json_decref(o);
	if (!*answer || utf8_chars(answer) > 2000 || (strcmp(upheld, "0") != 0 && strcmp(upheld, "1") != 0))
		return render_error(r, 400, "请填写答复（最多 2000 字），并选择异议是否成立。");
	if (db_begin(r->db) != SQLITE_OK)
		return -1;
	sqlite3_stmt *s = db_stmt(r->db, Q_OBJECTION_ANSWER);
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int(s, 2, atoi(upheld));
	db_bind_text(s, 3, answer);
	sqlite3_bind_int64(s, 4, r->user->id);
	if (db_exec_stmt(s) != SQLITE_DONE)
		return -1;
	if (sqlite3_changes(db_handle(r->db)) != 1) {
		db_rollback(r->db);
		return render_error(r, 409, "这条异议已经答复过了。");
	}
	json_t *after = json_pack("{s:I, s:s, s:b}", "notice", (json_int_t)notice, "answer", answer, "upheld", atoi(upheld));
	int rc = audit(r, "notice.objection_answer", "objection", r->id, school, NULL, after);
	json_decref(after);
	if (rc || db_commit(r->db) != SQLITE_OK)
		return -1;
	flash_set(r, atoi(upheld) ? "objection_upheld" : "objection_answered");
	return resp_redirect(r, arena_printf(r->a, "/notices/%lld", (long long)notice));
}

int page_notice_print(req_t *r)
{
	json_t *n = load_notice(r);
	if (!n)
		return render_error(r, 404, "没有找到这份公示，或它不在您的管理范围内。");
	if (strcmp(jstr(n, "status"), "draft") == 0) {
		json_decref(n);
		return render_error(r, 409, "草稿不能打印张贴，请先发布。");
	}
	json_t *rows = notice_rows(r, n, 0);
	const char *stage = jstr(n, "stage");
	json_t *c = page_ctx(r, jstr(n, "title"));
	json_object_set_new(c, "village", json_boolean(!strcmp(stage, "primary") || !strcmp(stage, "junior")));
	json_object_del(n, "content");
	json_object_set_new(c, "notice", n);
	json_object_set_new(c, "rows", rows);
	return render_bare(r, 200, "notices/print.html", c);
}

/* ---- the district's publicity settings ---- */

int page_publicity(req_t *r)
{
	json_t *c = page_ctx(r, "公示设置");
	json_object_set_new(c, "p", publicity(r, r->user->org_id));
	return render(r, 200, "settings/publicity.html", c);
}

int page_publicity_save(req_t *r)
{
	int mask = *form_str(r, "mask_names") != '\0';
	const char *grace = form_str(r, "grace_days"), *url = form_str(r, "policy_url");
	char *end;
	long g = strtol(grace, &end, 10);
	if (!*grace || *end || g < 0 || g > 7)
		return render_error(r, 400, "撤下前的宽限天数须为 0 到 7。");
	if (*url && !((strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0 || local_path(url)) &&
		      strlen(url) <= 300 && !strpbrk(url, " \"'<>")))
		return render_error(r, 400, "政策链接须以 http:// 或 https:// 开头（或为本站的路径），最多 300 个字符。");
	if (db_begin(r->db) != SQLITE_OK)
		return -1;
	sqlite3_stmt *s = db_stmt(r->db, Q_PUBLICITY_SET);
	sqlite3_bind_int64(s, 1, r->user->org_id);
	sqlite3_bind_int(s, 2, mask);
	sqlite3_bind_int(s, 3, (int)g);
	db_bind_text(s, 4, url);
	json_t *after = json_pack("{s:b, s:i, s:s}", "mask_names", mask, "grace_days", (int)g, "policy_url", url);
	int rc = db_exec_stmt(s) == SQLITE_DONE ? audit(r, "settings.publicity", "org", r->user->org_id, r->user->org_id, NULL, after) : -1;
	json_decref(after);
	if (rc || db_commit(r->db) != SQLITE_OK)
		return -1;
	pubcache_drop(r->cfg->public_dir, 0); /* the policy link is on every notice page */
	flash_set(r, "settings_saved");
	return resp_redirect(r, "/settings/publicity");
}
