/* review.c - 三级评审. The class committee votes (or recuses itself) on
 * each submitted application and its recommendation is recorded; the
 * school committee's decision (recognised tier, rank, proposed awards
 * within the quota) is recorded by the officer; the school sends its list
 * to the district as one batch; the district approves all or part of it,
 * or returns cases with a reason. Committee members see only what they
 * need to judge: score, categories, the officer's summary. */
#include "pages.h"
#include "db/queries.h"
#include "domain/format.h"
#include "domain/idcard.h"
#include "domain/student.h"
#include <stdlib.h>
#include <string.h>

static json_t *rows1(req_t *r, int q, int64_t id)
{
	sqlite3_stmt *s = db_stmt(r->db, q);
	sqlite3_bind_int64(s, 1, id);
	return db_rows(s);
}

static int tier_ok(req_t *r, const char *code)
{
	json_t *tiers = db_rows(db_stmt(r->db, Q_TIERS));
	size_t i;
	json_t *t;
	int ok = 0;
	json_array_foreach(tiers, i, t) ok |= strcmp(jstr(t, "code"), code) == 0;
	json_decref(tiers);
	return ok;
}

static json_t *tier_options(req_t *r, const char *sel)
{
	json_t *tiers = db_rows(db_stmt(r->db, Q_TIERS));
	size_t i;
	json_t *t;
	json_array_foreach(tiers, i, t)
		json_object_set_new(t, "selected", json_boolean(sel && strcmp(jstr(t, "code"), sel) == 0));
	return tiers;
}

/* Write a status change of an application with its audit row (inside a
 * transaction the caller opened). */
static int set_status(req_t *r, int64_t app, int64_t school, const char *from, const char *to,
		      const char *action, json_t *extra)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_APP_SET_STATUS);
	sqlite3_bind_int64(s, 1, app);
	db_bind_text(s, 2, from);
	db_bind_text(s, 3, to);
	if (db_exec_stmt(s) != SQLITE_DONE || sqlite3_changes(db_handle(r->db)) != 1)
		return -1;
	json_t *before = json_pack("{s:s}", "status", from);
	json_t *after = json_pack("{s:s}", "status", to);
	if (extra)
		json_object_update(after, extra);
	int rc = audit(r, action, "application", app, school, before, after);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* ---- 班级评议 ---- */

int page_class_queue(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_CLASS_QUEUE);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, r->user->id);
	json_t *c = page_ctx(r, "班级评议");
	json_object_set_new(c, "rows", db_rows(s));
	return render(r, 200, "review/class_list.html", c);
}

/* The case as the committee sees it, in the user's scope. */
static json_t *class_case(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_CLASS_CASE);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, r->id);
	json_t *a = db_row(s);
	if (!a)
		return NULL;
	json_error_t e;
	json_t *items = json_loads(jstr(a, "score_detail"), 0, &e);
	json_object_set_new(a, "score_items", items ? items : json_array());
	json_object_del(a, "score_detail");
	json_object_set_new(a, "categories", rows1(r, Q_APP_CATEGORIES, r->id));
	return a;
}

static int recused(req_t *r, int64_t app)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_IS_RECUSED);
	sqlite3_bind_int64(s, 1, app);
	sqlite3_bind_int64(s, 2, r->user->id);
	int rc = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return rc;
}

static int class_page(req_t *r, int status, const char *error)
{
	json_t *a = class_case(r);
	if (!a)
		return render_error(r, 404, "没有找到这份申请，或它不在您学校。");
	json_t *c = page_ctx(r, "班级评议");
	json_object_set_new(c, "votes", rows1(r, Q_VOTES, r->id));
	json_object_set_new(c, "recusals", rows1(r, Q_RECUSALS, r->id));
	json_t *cr = rows1(r, Q_CLASS_REVIEW_GET, r->id);
	if (json_array_size(cr))
		json_object_set(c, "result", json_array_get(cr, 0));
	json_decref(cr);
	int me_recused = recused(r, r->id);
	int open = strcmp(jstr(a, "status"), "submitted") == 0;
	json_object_set_new(c, "open", json_boolean(open));
	json_object_set_new(c, "me_recused", json_boolean(me_recused));
	json_object_set_new(c, "can_vote", json_boolean(open && !me_recused && (r->user->role_bit & ROLE_COMMITTEE)));
	json_object_set_new(c, "can_close", json_boolean(open && !me_recused && (r->user->role_bit & ROLE_OFFICER)));
	json_object_set_new(c, "tiers", tier_options(r, NULL));
	json_object_set_new(c, "app", a);
	if (error)
		json_object_set_new(c, "error", json_string(error));
	return render(r, status, "review/class_case.html", c);
}

int page_class_case(req_t *r)
{
	return class_page(r, 200, NULL);
}

/* Load the case for a change and check it is still open for the class. */
static json_t *open_case(req_t *r)
{
	json_t *a = class_case(r);
	if (!a) {
		render_error(r, 404, "没有找到这份申请，或它不在您学校。");
		return NULL;
	}
	if (strcmp(jstr(a, "status"), "submitted") != 0) {
		render_error(r, 409, "这份申请已不在班级评议阶段。");
		json_decref(a);
		return NULL;
	}
	if (recused(r, r->id)) {
		render_error(r, 403, "您已就这份申请申请回避，不能参与评议。");
		json_decref(a);
		return NULL;
	}
	return a;
}

int page_class_vote(req_t *r)
{
	json_t *a = open_case(r);
	if (!a)
		return 0;
	const char *tier = form_str(r, "tier"), *remark = form_str(r, "remark");
	if (!tier_ok(r, tier) || utf8_chars(remark) > 500) {
		json_decref(a);
		return class_page(r, 400, "请选择建议的认定档次（意见最多 500 字）。");
	}
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	sqlite3_stmt *s = db_stmt(r->db, Q_VOTE_SET);
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int64(s, 2, r->user->id);
	db_bind_text(s, 3, tier);
	db_bind_text(s, 4, remark);
	if (db_exec_stmt(s) != SQLITE_DONE)
		goto fail;
	if (sqlite3_changes(db_handle(r->db)) != 1) {
		/* closed or recused a moment ago (another tab, another member) */
		db_rollback(r->db);
		json_decref(a);
		return render_error(r, 409, "这份申请刚刚已结束班级评议，或您已申请回避，意见没有记录。");
	}
	json_t *after = json_pack("{s:s, s:s}", "tier", tier, "remark", remark);
	int rc = audit(r, "review.class_vote", "application", r->id, jint(a, "school_id"), NULL, after);
	json_decref(after);
	if (rc || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(a);
	flash_set(r, "vote_saved");
	return resp_redirect(r, arena_printf(r->a, "/review/class/%lld", (long long)r->id));
fail:
	json_decref(a);
	return -1;
}

int page_class_recuse(req_t *r)
{
	json_t *a = open_case(r);
	if (!a)
		return 0;
	const char *reason = form_str(r, "reason");
	if (!*reason || utf8_chars(reason) > 200) {
		json_decref(a);
		return class_page(r, 400, "请写明回避的原因（如 与申请学生是亲属关系），最多 200 字。");
	}
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	sqlite3_stmt *d = db_stmt(r->db, Q_VOTE_DELETE_USER);
	sqlite3_bind_int64(d, 1, r->id);
	sqlite3_bind_int64(d, 2, r->user->id);
	sqlite3_stmt *s = db_stmt(r->db, Q_RECUSAL_ADD);
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int64(s, 2, r->user->id);
	db_bind_text(s, 3, reason);
	if (db_exec_stmt(d) != SQLITE_DONE || db_exec_stmt(s) != SQLITE_DONE)
		goto fail;
	json_t *after = json_pack("{s:s}", "reason", reason);
	int rc = audit(r, "review.recusal", "application", r->id, jint(a, "school_id"), NULL, after);
	json_decref(after);
	if (rc || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(a);
	flash_set(r, "recused");
	return resp_redirect(r, arena_printf(r->a, "/review/class/%lld", (long long)r->id));
fail:
	json_decref(a);
	return -1;
}

int page_class_close(req_t *r)
{
	json_t *a = open_case(r);
	if (!a)
		return 0;
	json_t *votes = rows1(r, Q_VOTES, r->id);
	if (json_array_size(votes) == 0) {
		json_decref(votes);
		json_decref(a);
		return class_page(r, 409, "还没有评议小组成员投票，不能形成班级评议意见。");
	}
	/* the recommendation: the tier with most votes; a tie goes to the
	 * more difficult tier, in the family's favour */
	json_t *tally = rows1(r, Q_VOTE_TALLY, r->id);
	const char *tier = arena_strdup(r->a, jstr(json_array_get(tally, 0), "tier"));
	json_decref(tally);
	buf_t names = BUF_INIT;
	size_t i;
	json_t *v;
	json_array_foreach(votes, i, v)
	{
		if (i)
			buf_puts(&names, "、");
		buf_puts(&names, jstr(v, "display_name"));
	}
	const char *remarks = form_str(r, "remarks");
	if (utf8_chars(remarks) > 1000) {
		buf_free(&names);
		json_decref(votes);
		json_decref(a);
		return class_page(r, 400, "评议意见最多 1000 字。");
	}
	int rc = -1;
	if (db_begin(r->db) == SQLITE_OK) {
		sqlite3_stmt *s = db_stmt(r->db, Q_CLASS_REVIEW_ADD);
		sqlite3_bind_int64(s, 1, r->id);
		db_bind_text(s, 2, tier);
		db_bind_text(s, 3, buf_cstr(&names));
		db_bind_text(s, 4, remarks);
		sqlite3_bind_int64(s, 5, r->user->id);
		json_t *extra = json_pack("{s:s, s:s, s:s}", "class_tier", tier, "participants", buf_cstr(&names),
					  "remarks", remarks);
		if (db_exec_stmt(s) == SQLITE_DONE &&
		    set_status(r, r->id, jint(a, "school_id"), "submitted", "class_reviewed", "review.class", extra) == 0 &&
		    db_commit(r->db) == SQLITE_OK)
			rc = 0;
		json_decref(extra);
	}
	buf_free(&names);
	json_decref(votes);
	json_decref(a);
	if (rc)
		return -1;
	flash_set(r, "class_closed");
	return resp_redirect(r, "/review/class");
}

/* ---- 学校审核 ---- */

/* The term for school review: ?term= or the term running today. */
static json_t *review_term_all(req_t *r, int64_t district, json_t **all);

static json_t *review_term(req_t *r, int64_t district)
{
	return review_term_all(r, district, NULL);
}

/* The term for school review and, if all is given, every term with the
 * chosen one marked (a separate value: no reference from one to the other). */
static json_t *review_term_all(req_t *r, int64_t district, json_t **all)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_TERMS);
	sqlite3_bind_int64(s, 1, district);
	json_t *terms = db_rows(s);
	json_int_t want = atoll(query_str(r, "term"));
	char today[32];
	int d = today_yyyymmdd();
	snprintf(today, sizeof today, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
	json_t *pick = NULL, *t;
	size_t i;
	json_array_foreach(terms, i, t)
	{
		if (want ? jint(t, "id") == want : (!pick && strcmp(jstr(t, "starts"), today) <= 0))
			pick = t;
	}
	if (!pick && !want)
		pick = json_array_get(terms, 0);
	json_t *out = pick ? json_deep_copy(pick) : NULL;
	json_array_foreach(terms, i, t) json_object_set_new(t, "selected", json_boolean(t == pick));
	if (all)
		*all = terms;
	else
		json_decref(terms);
	return out;
}

static int64_t district_of_school(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_ORG_BY_ID);
	db_bind_text(s, 1, "/");
	sqlite3_bind_int64(s, 2, r->user->org_id);
	json_t *o = db_row(s);
	int64_t d = o ? jint(o, "parent_id") : 0;
	json_decref(o);
	return d;
}

int page_school_list(req_t *r)
{
	json_t *all = NULL;
	json_t *term = review_term_all(r, district_of_school(r), &all);
	if (!term) {
		json_decref(all);
		return render_error(r, 409, "还没有设置学期，请联系区资助中心。");
	}
	sqlite3_stmt *s = db_stmt(r->db, Q_SCHOOL_LIST);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, jint(term, "id"));
	json_t *rows = db_rows(s);
	size_t i;
	json_t *row;
	int ready = 0;
	json_array_foreach(rows, i, row)
	{
		json_object_set_new(row, "seq", json_integer((json_int_t)i + 1));
		json_object_set_new(row, "status_label", json_string(app_status_label(jstr(row, "status"))));
		ready += strcmp(jstr(row, "status"), "school_reviewed") == 0 && json_is_null(json_object_get(row, "in_batch"));
		/* a 重点保障 student left out (or not yet decided) is flagged */
		int left_out = jint(row, "priority") &&
			       (json_is_null(json_object_get(row, "school_tier")) ||
				strcmp(jstr(row, "school_tier"), "none") == 0 || json_is_null(json_object_get(row, "awards")));
		json_object_set_new(row, "flag", json_boolean(left_out));
	}
	json_t *c = page_ctx(r, "学校审核");
	json_object_set_new(c, "rows", rows);
	json_object_set_new(c, "ready", json_integer(ready));
	json_object_set_new(c, "terms", all);
	json_object_set_new(c, "term", term);
	return render(r, 200, "review/school_list.html", c);
}

/* The application for the school decision: class reviewed or decided,
 * not waiting in a batch. */
static json_t *school_case(req_t *r, int *ok)
{
	*ok = 0;
	sqlite3_stmt *s = db_stmt(r->db, Q_APP_BY_ID);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, r->id);
	json_t *a = db_row(s);
	if (!a) {
		render_error(r, 404, "没有找到这份申请，或它不在您学校。");
		return NULL;
	}
	const char *st = jstr(a, "status");
	if (strcmp(st, "class_reviewed") != 0 && strcmp(st, "school_reviewed") != 0 && strcmp(st, "approved") != 0) {
		render_error(r, 409, strcmp(st, "submitted") == 0 ? "这份申请还没有完成班级评议，不能跳过班级评议直接审核。"
								  : "这份申请当前不在学校审核阶段。");
		json_decref(a);
		return NULL;
	}
	sqlite3_stmt *b = db_stmt(r->db, Q_APP_IN_BATCH);
	sqlite3_bind_int64(b, 1, r->id);
	int waiting = sqlite3_step(b) == SQLITE_ROW;
	sqlite3_reset(b);
	if (waiting) {
		render_error(r, 409, "这份申请已上报区教育局，正在等待审核，不能再修改学校审核意见。");
		json_decref(a);
		return NULL;
	}
	*ok = 1;
	return a;
}

static json_t *tier_choices(req_t *r, int64_t app, int64_t term, int64_t district)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_APP_PROGRAMME_TIERS);
	sqlite3_bind_int64(s, 1, app);
	sqlite3_bind_int64(s, 2, term);
	sqlite3_bind_int64(s, 3, district);
	json_t *rows = db_rows(s);
	/* group by programme */
	json_t *progs = json_array(), *cur = NULL;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		if (!cur || jint(cur, "id") != jint(row, "programme_id")) {
			cur = json_pack("{s:I, s:s, s:s, s:I, s:[]}", "id", jint(row, "programme_id"), "code",
					jstr(row, "code"), "name", jstr(row, "name"), "top_rule", jint(row, "priority_top_tier"), "tiers");
			json_array_append_new(progs, cur);
		}
		json_array_append_new(json_object_get(cur, "tiers"),
				      json_pack("{s:s, s:I, s:I}", "tier", jstr(row, "tier"), "sort", jint(row, "tier_sort"),
						"amount_fen", jint(row, "amount_fen")));
	}
	json_decref(rows);
	return progs;
}

static int school_page(req_t *r, int status, json_t *a, json_t *term, json_t *v, json_t *errors)
{
	int64_t district = jint(a, "district_id");
	json_t *progs = tier_choices(r, r->id, jint(term, "id"), district);
	json_t *cats = rows1(r, Q_APP_CATEGORIES, r->id);
	int priority = 0;
	size_t i;
	json_t *x;
	json_array_foreach(cats, i, x) priority |= jint(x, "priority") != 0;
	/* mark the chosen tier of each programme */
	json_array_foreach(progs, i, x)
	{
		const char *chosen = jstr(v, arena_printf(r->a, "award_%lld", (long long)jint(x, "id")));
		size_t k;
		json_t *t;
		json_array_foreach(json_object_get(x, "tiers"), k, t)
			json_object_set_new(t, "selected", json_boolean(strcmp(jstr(t, "tier"), chosen) == 0));
		const char *field = arena_printf(r->a, "award_%lld", (long long)jint(x, "id"));
		json_object_set_new(x, "field", json_string(field));
		if (errors && json_object_get(errors, field))
			json_object_set(x, "error", json_object_get(errors, field));
	}
	json_t *cr = rows1(r, Q_CLASS_REVIEW_GET, r->id);
	json_t *c = page_ctx(r, "学校审核");
	json_object_set_new(c, "programmes", progs);
	json_object_set_new(c, "categories", cats);
	json_object_set_new(c, "priority", json_boolean(priority));
	json_object_set_new(c, "tiers", tier_options(r, jstr(v, "tier")));
	if (json_array_size(cr))
		json_object_set(c, "class_review", json_array_get(cr, 0));
	json_decref(cr);
	char m[32];
	mask_idcard(jstr(a, "idcard"), m, sizeof m);
	json_object_set_new(a, "idcard", json_string(m));
	json_object_set_new(c, "app", a);
	json_object_set_new(c, "term", term);
	json_object_set_new(c, "v", v);
	if (errors && json_object_size(errors))
		json_object_set_new(c, "errors", errors);
	else
		json_decref(errors);
	return render(r, status, "review/school_case.html", c);
}

int page_school_case(req_t *r)
{
	int ok;
	json_t *a = school_case(r, &ok);
	if (!a)
		return 0;
	json_t *term = review_term(r, jint(a, "district_id"));
	if (!term) {
		json_decref(a);
		return render_error(r, 409, "还没有设置学期，请联系区资助中心。");
	}
	/* current decision as form values */
	json_t *v = json_object();
	json_t *sr = rows1(r, Q_SCHOOL_REVIEW_GET, r->id);
	json_t *d = json_array_get(sr, 0);
	if (d) {
		json_object_set_new(v, "tier", json_string(jstr(d, "tier")));
		json_object_set_new(v, "rank", json_is_integer(json_object_get(d, "rank")) ? json_sprintf("%lld", (long long)jint(d, "rank")) : json_string(""));
		json_object_set_new(v, "rank_reason", json_string(jstr(d, "rank_reason")));
		json_object_set_new(v, "priority_reason", json_string(jstr(d, "priority_reason")));
		json_object_set_new(v, "remarks", json_string(jstr(d, "remarks")));
	} else {
		json_t *cr = rows1(r, Q_CLASS_REVIEW_GET, r->id);
		json_object_set_new(v, "tier", json_string(jstr(json_array_get(cr, 0), "tier")));
		json_decref(cr);
	}
	json_decref(sr);
	json_t *aw = rows1(r, Q_AWARDS_OF_APP, r->id);
	size_t i;
	json_t *w;
	json_array_foreach(aw, i, w) if (strcmp(jstr(w, "status"), "proposed") == 0 || strcmp(jstr(w, "status"), "approved") == 0)
		json_object_set_new(v, arena_printf(r->a, "award_%lld", (long long)jint(w, "programme_id")), json_string(jstr(w, "tier")));
	json_decref(aw);
	return school_page(r, 200, a, term, v, NULL);
}

int page_school_decide(req_t *r)
{
	int ok;
	json_t *a = school_case(r, &ok);
	if (!a)
		return 0;
	json_t *term = review_term(r, jint(a, "district_id"));
	if (!term) {
		json_decref(a);
		return render_error(r, 409, "还没有设置学期，请联系区资助中心。");
	}
	int64_t term_id = jint(term, "id"), district = jint(a, "district_id"), school = jint(a, "school_id");
	json_t *v = json_object(), *errors = json_object();
	const char *tier = form_str(r, "tier"), *rank = form_str(r, "rank");
	const char *rank_reason = form_str(r, "rank_reason"), *prio_reason = form_str(r, "priority_reason");
	const char *remarks = form_str(r, "remarks"), *adjust = form_str(r, "adjust_reason");
	int adjusting = strcmp(jstr(a, "status"), "approved") == 0;
	json_object_set_new(v, "adjust_reason", json_string(adjust));
	json_object_set_new(v, "tier", json_string(tier));
	json_object_set_new(v, "rank", json_string(rank));
	json_object_set_new(v, "rank_reason", json_string(rank_reason));
	json_object_set_new(v, "priority_reason", json_string(prio_reason));
	json_object_set_new(v, "remarks", json_string(remarks));
	if (!tier_ok(r, tier))
		json_object_set_new(errors, "tier", json_string("请选择学校认定的档次。"));
	long rankv = 0;
	if (*rank) {
		char *end;
		rankv = strtol(rank, &end, 10);
		if (*end || rankv < 1 || rankv > 100000)
			json_object_set_new(errors, "rank", json_string("名次应为正整数；按得分排名请留空。"));
		else if (!*rank_reason)
			json_object_set_new(errors, "rank_reason", json_string("调整名次须写明理由。"));
	}
	if (strcmp(jstr(term, "school_year"), jstr(a, "school_year")) != 0)
		json_object_set_new(errors, "tier",
				    json_string(arena_printf(r->a, "所选学期不属于这份申请的学年（%s），认定在本学年内有效。",
							     jstr(a, "school_year"))));
	if (adjusting && !*adjust)
		json_object_set_new(errors, "adjust_reason",
				    json_string("这份申请本学年已经批准，再次审核属于动态调整，须写明调整的理由。"));
	if (adjusting) {
		/* a term already approved is changed by ending its award, not here */
		json_t *aw = rows1(r, Q_AWARDS_OF_APP, r->id);
		size_t k;
		json_t *w;
		int taken = 0;
		json_array_foreach(aw, k, w) taken |= !strcmp(jstr(w, "status"), "approved") && !strcmp(jstr(w, "term_name"), jstr(term, "name"));
		json_decref(aw);
		if (taken)
			json_object_set_new(errors, "tier",
					    json_string("这份申请本学期的资助已经批准。动态调整请选择以后的学期；停止本学期资助请在申请页面“终止资助”。"));
	}
	if (utf8_chars(rank_reason) > 500 || utf8_chars(prio_reason) > 500 || utf8_chars(remarks) > 1000 ||
	    utf8_chars(adjust) > 500)
		json_object_set_new(errors, "remarks", json_string("理由和意见过长，请精简。"));

	/* the proposed awards: one tier per programme applied for */
	json_t *progs = tier_choices(r, r->id, term_id, district);
	json_t *chosen = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(progs, i, p)
	{
		const char *field = arena_printf(r->a, "award_%lld", (long long)jint(p, "id"));
		const char *t = form_str(r, field);
		json_object_set_new(v, field, json_string(t));
		if (!*t)
			continue;
		size_t k;
		json_t *tt, *hit = NULL;
		json_array_foreach(json_object_get(p, "tiers"), k, tt) if (strcmp(jstr(tt, "tier"), t) == 0) hit = tt;
		if (!hit) {
			json_object_set_new(errors, field, json_string("请从列表中选择档次。"));
			continue;
		}
		json_array_append_new(chosen, json_pack("{s:I, s:s, s:s, s:I, s:I, s:I}", "programme_id", jint(p, "id"),
							"name", jstr(p, "name"), "tier", t, "sort", jint(hit, "sort"),
							"amount_fen", jint(hit, "amount_fen"), "top_rule", jint(p, "top_rule")));
	}
	if (json_array_size(chosen) && strcmp(tier, "none") == 0)
		json_object_set_new(errors, "tier", json_string("认定为“不认定”的学生不能拟定资助。"));
	if (adjusting && json_array_size(chosen) == 0 && !json_object_get(errors, "tier"))
		json_object_set_new(errors, "awards",
				    json_string("动态调整须拟定新学期的资助；停止资助请在申请页面对已批准的资助“终止资助”并写明理由。"));
	/* programmes that exclude each other */
	for (size_t x = 0; x < json_array_size(chosen); x++)
		for (size_t y = x + 1; y < json_array_size(chosen); y++) {
			sqlite3_stmt *e = db_stmt(r->db, Q_EXCLUDED);
			sqlite3_bind_int64(e, 1, jint(json_array_get(chosen, x), "programme_id"));
			sqlite3_bind_int64(e, 2, jint(json_array_get(chosen, y), "programme_id"));
			if (sqlite3_step(e) == SQLITE_ROW)
				json_object_set_new(errors, "awards",
						    json_string(arena_printf(r->a, "“%s”与“%s”不能同时享受，请只选其一。",
									     jstr(json_array_get(chosen, x), "name"),
									     jstr(json_array_get(chosen, y), "name"))));
			sqlite3_reset(e);
		}
	/* quota, and the same student paid the same programme elsewhere */
	json_array_foreach(chosen, i, p)
	{
		sqlite3_stmt *q = db_stmt(r->db, Q_QUOTA_USE);
		sqlite3_bind_int64(q, 1, school);
		sqlite3_bind_int64(q, 2, term_id);
		sqlite3_bind_int64(q, 3, jint(p, "programme_id"));
		sqlite3_bind_int64(q, 4, r->id);
		if (sqlite3_step(q) == SQLITE_ROW) {
			long places = (long)sqlite3_column_int64(q, 0), used = (long)sqlite3_column_int64(q, 1);
			if (used + 1 > places)
				json_object_set_new(errors, arena_printf(r->a, "award_%lld", (long long)jint(p, "programme_id")),
						    json_string(arena_printf(r->a, "超出名额：本校本学期“%s”名额 %ld 人，已拟定 %ld 人。"
										   "请调整名次或联系区资助中心增加名额。",
									     jstr(p, "name"), places, used)));
		}
		sqlite3_reset(q);
		sqlite3_stmt *o = db_stmt(r->db, Q_AWARD_TAKEN_ELSEWHERE);
		db_bind_text(o, 1, jstr(a, "idcard"));
		sqlite3_bind_int64(o, 2, term_id);
		sqlite3_bind_int64(o, 3, jint(p, "programme_id"));
		sqlite3_bind_int64(o, 4, r->id);
		json_t *other = db_row(o);
		if (other)
			json_object_set_new(errors, arena_printf(r->a, "award_%lld", (long long)jint(p, "programme_id")),
					    json_string(arena_printf(r->a, "重复资助：该学生本学期已在%s获得或拟定此项资助。",
								     jstr(other, "name"))));
		json_decref(other);
	}
	/* a 重点保障 student without aid, or below the top tier, needs a reason */
	json_t *cats = rows1(r, Q_APP_CATEGORIES, r->id);
	int priority = 0;
	json_array_foreach(cats, i, p) priority |= jint(p, "priority") != 0;
	json_decref(cats);
	int below = strcmp(tier, "none") == 0 || json_array_size(chosen) == 0;
	json_array_foreach(chosen, i, p) below |= jint(p, "top_rule") && jint(p, "sort") != 1;
	if (priority && below && !*prio_reason)
		json_object_set_new(errors, "priority_reason",
				    json_string("该生属于重点保障对象，未予资助或未给予最高档，须写明理由。"));
	json_decref(progs);
	if (json_object_size(errors)) {
		json_decref(chosen);
		return school_page(r, 400, a, term, v, errors);
	}
	json_decref(errors);
	int rc = -1;
	if (db_begin(r->db) != SQLITE_OK)
		goto out;
	/* again inside the transaction: not in a batch meanwhile, places left */
	{
		sqlite3_stmt *ib = db_stmt(r->db, Q_APP_IN_BATCH);
		sqlite3_bind_int64(ib, 1, r->id);
		int waiting = sqlite3_step(ib) == SQLITE_ROW;
		sqlite3_reset(ib);
		int full = 0;
		json_array_foreach(chosen, i, p)
		{
			sqlite3_stmt *q = db_stmt(r->db, Q_QUOTA_USE);
			sqlite3_bind_int64(q, 1, school);
			sqlite3_bind_int64(q, 2, term_id);
			sqlite3_bind_int64(q, 3, jint(p, "programme_id"));
			sqlite3_bind_int64(q, 4, r->id);
			if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int64(q, 1) + 1 > sqlite3_column_int64(q, 0))
				full = 1;
			sqlite3_reset(q);
		}
		if (waiting || full) {
			db_rollback(r->db);
			rc = render_error(r, 409, waiting ? "这份申请刚刚已上报区教育局，学校审核意见没有保存。"
							  : "名额刚刚已被其他学生占满，学校审核意见没有保存。请刷新后重新审核。");
			goto out;
		}
	}
	sqlite3_stmt *s = db_stmt(r->db, Q_SCHOOL_REVIEW_SET);
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int64(s, 2, term_id);
	db_bind_text(s, 3, tier);
	if (*rank)
		sqlite3_bind_int64(s, 4, rankv);
	db_bind_text(s, 5, *rank ? rank_reason : "");
	db_bind_text(s, 6, priority && below ? prio_reason : "");
	db_bind_text(s, 7, remarks);
	sqlite3_bind_int64(s, 8, r->user->id);
	db_bind_text(s, 9, adjusting ? adjust : "");
	if (db_exec_stmt(s) != SQLITE_DONE)
		goto out;
	sqlite3_stmt *clr = db_stmt(r->db, Q_AWARDS_CLEAR_PROPOSED);
	sqlite3_bind_int64(clr, 1, r->id);
	sqlite3_bind_int64(clr, 2, term_id);
	if (db_exec_stmt(clr) != SQLITE_DONE)
		goto out;
	json_array_foreach(chosen, i, p)
	{
		sqlite3_stmt *ins = db_stmt(r->db, Q_AWARD_ADD);
		sqlite3_bind_int64(ins, 1, r->id);
		db_bind_text(ins, 2, jstr(a, "idcard"));
		sqlite3_bind_int64(ins, 3, school);
		sqlite3_bind_int64(ins, 4, term_id);
		sqlite3_bind_int64(ins, 5, jint(p, "programme_id"));
		db_bind_text(ins, 6, jstr(p, "tier"));
		sqlite3_bind_int64(ins, 7, jint(p, "amount_fen"));
		if (db_exec_stmt(ins) != SQLITE_DONE)
			goto out;
	}
	json_t *extra = json_pack("{s:s, s:O, s:s, s:s, s:O, s:I, s:s}", "school_tier", tier, "rank", json_object_get(v, "rank"),
				  "rank_reason", rank_reason, "priority_reason", prio_reason, "awards", chosen,
				  "term_id", (json_int_t)term_id, "adjust_reason", adjust);
	const char *from = jstr(a, "status");
	if (strcmp(from, "school_reviewed") == 0) {
		json_t *before = json_pack("{s:s}", "status", from);
		if (audit(r, "review.school", "application", r->id, school, before, extra) != 0) {
			json_decref(before);
			json_decref(extra);
			goto out;
		}
		json_decref(before);
	} else if (set_status(r, r->id, school, from, "school_reviewed", adjusting ? "review.adjust" : "review.school",
			      extra) != 0) {
		json_decref(extra);
		goto out;
	}
	json_decref(extra);
	if (db_commit(r->db) != SQLITE_OK)
		goto out;
	rc = 0;
	flash_set(r, "school_decided");
	resp_redirect(r, arena_printf(r->a, "/review/school?term=%lld", (long long)term_id));
out:
	json_decref(chosen);
	json_decref(v);
	json_decref(term);
	json_decref(a);
	return rc;
}

int page_batch_submit(req_t *r)
{
	json_t *term = review_term(r, district_of_school(r));
	if (!term)
		return render_error(r, 409, "还没有设置学期，请联系区资助中心。");
	int64_t term_id = jint(term, "id");
	json_decref(term);
	if (db_begin(r->db) != SQLITE_OK)
		return -1;
	sqlite3_stmt *c = db_stmt(r->db, Q_BATCH_CANDIDATES);
	sqlite3_bind_int64(c, 1, r->user->org_id);
	sqlite3_bind_int64(c, 2, term_id);
	json_t *ids = db_rows(c);
	if (json_array_size(ids) == 0) {
		json_decref(ids);
		db_rollback(r->db);
		return render_error(r, 409, "没有可上报的申请：请先完成学校审核。已上报、等待区审核的申请不会重复上报。");
	}
	sqlite3_stmt *b = db_stmt(r->db, Q_BATCH_ADD);
	sqlite3_bind_int64(b, 1, r->user->org_id);
	sqlite3_bind_int64(b, 2, term_id);
	sqlite3_bind_int64(b, 3, r->user->id);
	if (db_exec_stmt(b) != SQLITE_DONE) {
		json_decref(ids);
		return -1;
	}
	int64_t batch = sqlite3_last_insert_rowid(db_handle(r->db));
	size_t i;
	json_t *x;
	json_array_foreach(ids, i, x)
	{
		sqlite3_stmt *it = db_stmt(r->db, Q_BATCH_ITEM_ADD);
		sqlite3_bind_int64(it, 1, batch);
		sqlite3_bind_int64(it, 2, jint(x, "id"));
		if (db_exec_stmt(it) != SQLITE_DONE) {
			json_decref(ids);
			return -1;
		}
	}
	json_t *after = json_pack("{s:I, s:I, s:I}", "batch", (json_int_t)batch, "term_id", (json_int_t)term_id,
				  "applications", (json_int_t)json_array_size(ids));
	int rc = audit(r, "review.batch_submit", "batch", batch, r->user->org_id, NULL, after);
	json_decref(after);
	json_decref(ids);
	if (rc || db_commit(r->db) != SQLITE_OK)
		return -1;
	flash_set(r, "batch_submitted");
	return resp_redirect(r, arena_printf(r->a, "/review/school?term=%lld", (long long)term_id));
}

/* ---- the district ---- */

int page_batches(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_BATCHES);
	db_bind_text(s, 1, scope_path(r));
	json_t *c = page_ctx(r, "上报审核");
	json_object_set_new(c, "rows", db_rows(s));
	json_object_set_new(c, "can_decide", json_boolean(r->user->role_bit & ROLE_DISTRICT));
	return render(r, 200, "review/batches.html", c);
}

static json_t *load_batch(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_BATCH_GET);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, r->id);
	return db_row(s);
}

static int batch_page(req_t *r, int status, json_t *b, json_t *errors)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_BATCH_ITEMS);
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int64(s, 2, jint(b, "term_id"));
	json_t *items = db_rows(s);
	json_int_t total = 0;
	size_t i;
	json_t *x;
	json_array_foreach(items, i, x)
	{
		total += jint(x, "amount_fen");
		const char *k = arena_printf(r->a, "reason_%lld", (long long)jint(x, "id"));
		if (errors && json_object_get(errors, k))
			json_object_set(x, "error", json_object_get(errors, k));
		json_object_set_new(x, "reason_field", json_string(k));
		json_object_set_new(x, "decision_field", json_sprintf("decision_%lld", (long long)jint(x, "id")));
	}
	json_t *c = page_ctx(r, "上报审核");
	json_object_set_new(c, "batch", b);
	json_object_set_new(c, "items", items);
	json_object_set_new(c, "total_fen", json_integer(total));
	json_object_set_new(c, "open", json_boolean(strcmp(jstr(b, "status"), "pending") == 0 &&
						    (r->user->role_bit & ROLE_DISTRICT)));
	if (errors && json_object_size(errors))
		json_object_set_new(c, "has_errors", json_true());
	json_decref(errors);
	return render(r, status, "review/batch.html", c);
}

int page_batch(req_t *r)
{
	json_t *b = load_batch(r);
	if (!b)
		return render_error(r, 404, "没有找到这批上报，或它不在您的管理范围内。");
	return batch_page(r, 200, b, NULL);
}

int page_batch_decide(req_t *r)
{
	json_t *b = load_batch(r);
	if (!b)
		return render_error(r, 404, "没有找到这批上报，或它不在您的管理范围内。");
	if (strcmp(jstr(b, "status"), "pending") != 0) {
		json_decref(b);
		return render_error(r, 409, "这批上报已经审核过了。");
	}
	int64_t term = jint(b, "term_id"), school = jint(b, "school_id");
	int all = strcmp(form_str(r, "all"), "approve") == 0;
	sqlite3_stmt *s = db_stmt(r->db, Q_BATCH_ITEMS);
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int64(s, 2, term);
	json_t *items = db_rows(s);
	json_t *errors = json_object();
	size_t i;
	json_t *x;
	json_array_foreach(items, i, x)
	{
		const char *d = all ? "approved" : form_str(r, arena_printf(r->a, "decision_%lld", (long long)jint(x, "id")));
		const char *reason = form_str(r, arena_printf(r->a, "reason_%lld", (long long)jint(x, "id")));
		if (strcmp(d, "approved") != 0 && strcmp(d, "returned") != 0)
			json_object_set_new(errors, arena_printf(r->a, "reason_%lld", (long long)jint(x, "id")),
					    json_string("请选择批准或退回。"));
		else if (strcmp(d, "returned") == 0 && (!*reason || utf8_chars(reason) > 500))
			json_object_set_new(errors, arena_printf(r->a, "reason_%lld", (long long)jint(x, "id")),
					    json_string("退回须写明理由（最多 500 字），学校将据此修改。"));
		json_object_set_new(x, "d", json_string(d));
		json_object_set_new(x, "r", json_string(reason));
	}
	if (json_object_size(errors)) {
		json_decref(items);
		return batch_page(r, 400, b, errors);
	}
	json_decref(errors);
	int approved = 0, returned = 0;
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	json_array_foreach(items, i, x)
	{
		int64_t app = jint(x, "id");
		const char *d = jstr(x, "d"), *reason = jstr(x, "r");
		sqlite3_stmt *u = db_stmt(r->db, Q_BATCH_ITEM_DECIDE);
		sqlite3_bind_int64(u, 1, r->id);
		sqlite3_bind_int64(u, 2, app);
		db_bind_text(u, 3, d);
		db_bind_text(u, 4, strcmp(d, "returned") == 0 ? reason : "");
		if (db_exec_stmt(u) != SQLITE_DONE || sqlite3_changes(db_handle(r->db)) != 1)
			goto fail;
		sqlite3_stmt *w = db_stmt(r->db, Q_AWARDS_SET_STATUS);
		sqlite3_bind_int64(w, 1, app);
		sqlite3_bind_int64(w, 2, term);
		db_bind_text(w, 3, strcmp(d, "approved") == 0 ? "approved" : "returned");
		if (db_exec_stmt(w) != SQLITE_DONE)
			goto fail;
		if (strcmp(d, "approved") == 0) {
			if (set_status(r, app, school, "school_reviewed", "approved", "review.district_approve", NULL) != 0)
				goto fail;
			approved++;
		} else {
			sqlite3_stmt *ret = db_stmt(r->db, Q_APP_SET_RETURNED);
			sqlite3_bind_int64(ret, 1, app);
			db_bind_text(ret, 2, reason);
			if (db_exec_stmt(ret) != SQLITE_DONE || sqlite3_changes(db_handle(r->db)) != 1)
				goto fail;
			json_t *before = json_pack("{s:s}", "status", "school_reviewed");
			json_t *after = json_pack("{s:s, s:s}", "status", "returned", "reason", reason);
			int rc = audit(r, "review.district_return", "application", app, school, before, after);
			json_decref(before);
			json_decref(after);
			if (rc)
				goto fail;
			returned++;
		}
	}
	sqlite3_stmt *cl = db_stmt(r->db, Q_BATCH_CLOSE);
	sqlite3_bind_int64(cl, 1, r->id);
	sqlite3_bind_int64(cl, 2, r->user->id);
	if (db_exec_stmt(cl) != SQLITE_DONE || sqlite3_changes(db_handle(r->db)) != 1)
		goto fail;
	json_t *after = json_pack("{s:i, s:i}", "approved", approved, "returned", returned);
	int rc = audit(r, "review.batch_decide", "batch", r->id, school, NULL, after);
	json_decref(after);
	if (rc || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(items);
	json_decref(b);
	flash_set(r, "batch_decided");
	return resp_redirect(r, arena_printf(r->a, "/district/batches/%lld", (long long)r->id));
fail:
	json_decref(items);
	json_decref(b);
	return -1;
}

/* 动态调整: end an award (a student who left, a family no longer in
 * hardship) with the reason; it is not paid from then on. */
int page_award_end(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_AWARD_GET);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, r->id);
	json_t *w = db_row(s);
	if (!w)
		return render_error(r, 404, "没有找到这项资助，或它不在您学校。");
	const char *reason = form_str(r, "reason");
	int64_t app = jint(w, "application_id");
	if (!*reason || utf8_chars(reason) > 500) {
		json_decref(w);
		return render_error(r, 400, "终止资助须写明理由（最多 500 字），如 学生已转学、家庭经济状况好转。");
	}
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	sqlite3_stmt *sent = db_stmt(r->db, Q_PAYMENT_SENT_FOR_AWARD);
	sqlite3_bind_int64(sent, 1, r->id);
	int at_bank = sqlite3_step(sent) == SQLITE_ROW;
	sqlite3_reset(sent);
	if (at_bank) {
		db_rollback(r->db);
		json_decref(w);
		return render_error(r, 409, "这项资助的发放已送银行，请待银行回盘后再终止（成功到账的须按规定追回）。");
	}
	sqlite3_stmt *cp = db_stmt(r->db, Q_PAYMENT_CANCEL_FOR_AWARD);
	sqlite3_bind_int64(cp, 1, r->id);
	if (db_exec_stmt(cp) != SQLITE_DONE)
		goto fail;
	sqlite3_stmt *u = db_stmt(r->db, Q_AWARD_END);
	sqlite3_bind_int64(u, 1, r->id);
	db_bind_text(u, 2, reason);
	if (db_exec_stmt(u) != SQLITE_DONE)
		goto fail;
	if (sqlite3_changes(db_handle(r->db)) != 1) {
		db_rollback(r->db);
		json_decref(w);
		return render_error(r, 409, "这项资助已经终止或已退回。");
	}
	json_t *before = json_pack("{s:I, s:s, s:s}", "award", (json_int_t)r->id, "status", jstr(w, "status"), "tier", jstr(w, "tier"));
	json_t *after = json_pack("{s:I, s:s, s:s}", "award", (json_int_t)r->id, "status", "ended", "reason", reason);
	int rc = audit(r, "award.end", "application", app, jint(w, "school_id"), before, after);
	json_decref(before);
	json_decref(after);
	if (rc || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(w);
	flash_set(r, "award_ended");
	return resp_redirect(r, arena_printf(r->a, "/applications/%lld", (long long)app));
fail:
	json_decref(w);
	return -1;
}
