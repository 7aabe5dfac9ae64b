/* applications.c - the 家庭经济困难学生认定申请 as the school officer enters
 * it: the form (family members, household facts, 困难类型, programmes,
 * 承诺书), the 量化 score, draft / submit / withdraw, evidence files, the
 * list, and the printable A4 form for the paper 档案袋. */
#include "core/json_arena.h"
#include "pages.h"
#include "db/queries.h"
#include "domain/format.h"
#include "domain/idcard.h"
#include "domain/score.h"
#include "domain/student.h"
#include "http/escape.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define MEMBER_ROWS 10

static const char *const HOUSING[] = {"自有住房", "租住", "借住", "危房", "无房", "其他", NULL};
static const char *const HEALTH[] = {"健康", "患病", "重病", "残疾", "丧失劳动能力", NULL};

static int in_list(const char *v, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(v, *list) == 0)
			return 1;
	return 0;
}

/* The district (parent) of a school. */
static int64_t district_of(req_t *r, int64_t school_id)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_ORG_BY_ID);
	db_bind_text(s, 1, "/");
	sqlite3_bind_int64(s, 2, school_id);
	json_t *o = db_row(s);
	int64_t d = o ? jint(o, "parent_id") : 0;
	json_decref(o);
	return d;
}

static json_t *categories_for(req_t *r, int64_t district)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_CATEGORIES_FOR_DISTRICT);
	sqlite3_bind_int64(s, 1, district);
	return db_rows(s);
}

static json_t *weights_for(req_t *r, int64_t district)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_WEIGHTS_FOR_DISTRICT);
	sqlite3_bind_int64(s, 1, district);
	json_t *rows = db_rows(s), *w = json_object();
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) json_object_set(w, jstr(row, "key"), json_object_get(row, "value"));
	json_decref(rows);
	return w;
}

static json_t *programmes_for(req_t *r, const char *stage)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_PROGRAMMES_FOR_STAGE);
	db_bind_text(s, 1, stage);
	return db_rows(s);
}

/* The application r->id (or id) in the user's scope, with the student. */
static json_t *load_app(req_t *r, int64_t id)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_APP_BY_ID);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, id);
	return db_row(s);
}

static json_t *rows_of(req_t *r, int q, int64_t id)
{
	sqlite3_stmt *s = db_stmt(r->db, q);
	sqlite3_bind_int64(s, 1, id);
	return db_rows(s);
}

/* Everything saved of an application as one JSON value (for the audit
 * trail and the pages): the row, members, categories, programmes. */
static json_t *full_app(req_t *r, json_t *app)
{
	int64_t id = jint(app, "id");
	json_object_set_new(app, "members", rows_of(r, Q_APP_MEMBERS, id));
	json_object_set_new(app, "categories", rows_of(r, Q_APP_CATEGORIES, id));
	json_object_set_new(app, "programmes", rows_of(r, Q_APP_PROGRAMMES, id));
	return app;
}

/* The parts of an application that the audit trail keeps. */
static json_t *audit_view(json_t *m)
{
	json_t *o = json_object();
	static const char *const keys[] = {"household_size", "income_fen", "housing", "major_event",
					   "single_parent", "reason", "officer_summary",
					   "pledge_confirmed", "pledge_signer", "score", "members",
					   "categories", "programmes", "status", NULL};
	for (int i = 0; keys[i]; i++) {
		json_t *v = json_object_get(m, keys[i]);
		if (v)
			json_object_set(o, keys[i], v);
	}
	return o;
}

/* ---- reading and checking the form ---- */

/* Parse the submitted form. Fills v (what to show again in the form) and m
 * (the model to save), and errors; `submit` adds the completeness rules. */
static void read_form(req_t *r, json_t *cats, json_t *progs, int boarding, int submit, json_t *v,
		      json_t *m, json_t *errors)
{
	static const char *const texts[][3] = {
		{"housing", "", ""}, {"major_event", "200", "重大变故"}, {"reason", "2000", "申请理由"},
		{"officer_summary", "2000", "情况说明"}, {"pledge_signer", "32", "承诺人"},
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		const char *val = form_str(r, texts[i][0]);
		json_object_set_new(v, texts[i][0], json_string(val));
		json_object_set_new(m, texts[i][0], json_string(val));
		if (*texts[i][1] && utf8_chars(val) > (size_t)atoi(texts[i][1]))
			json_object_set_new(errors, texts[i][0],
					    json_string(arena_printf(r->a, "%s最多 %s 字，请精简。", texts[i][2], texts[i][1])));
	}
	if (*form_str(r, "housing") && !in_list(form_str(r, "housing"), HOUSING))
		json_object_set_new(errors, "housing", json_string("请从列表中选择住房情况。"));

	const char *hs = form_str(r, "household_size");
	json_object_set_new(v, "household_size", json_string(hs));
	long size = 0;
	if (*hs) {
		char *end;
		size = strtol(hs, &end, 10);
		if (*end || size < 1 || size > 30)
			json_object_set_new(errors, "household_size", json_string("家庭人口应为 1 到 30 之间的整数。"));
	}
	json_object_set_new(m, "household_size", json_integer(size));
	const char *inc = form_str(r, "income");
	json_object_set_new(v, "income", json_string(inc));
	int64_t income = 0;
	if (*inc && money_parse_yuan(inc, 0, &income) != 0)
		json_object_set_new(errors, "income",
				    json_string("家庭年总收入请填金额（元），如 12000 或 12,000.50，最多两位小数。"));
	/* empty is "not given" (no income points), not 0 */
	json_object_set_new(m, "income_fen", *inc ? json_integer(income) : json_null());
	int single = *form_str(r, "single_parent") != '\0';
	json_object_set_new(v, "single_parent", json_boolean(single));
	json_object_set_new(m, "single_parent", json_integer(single));
	int pledge = *form_str(r, "pledge_confirmed") != '\0';
	json_object_set_new(v, "pledge_confirmed", json_boolean(pledge));
	json_object_set_new(m, "pledge_confirmed", json_integer(pledge));

	/* family members: rows left empty are skipped */
	json_t *vm = json_array(), *mm = json_array();
	for (int i = 0; i < MEMBER_ROWS; i++) {
		const char *f[7];
		static const char *const names[] = {"name", "relation", "age", "occupation", "health", "unemployed", "income"};
		int any = 0;
		for (int k = 0; k < 7; k++) {
			f[k] = form_str(r, arena_printf(r->a, "m%d_%s", i, names[k]));
			if (k != 4 && k != 5 && *f[k])
				any = 1;
			/* a row with only 健康状况 or 无业 set is not empty either */
			if ((k == 4 && *f[k] && strcmp(f[k], "健康") != 0) || (k == 5 && *f[k]))
				any = 1;
		}
		json_t *row = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "i", i, "name", f[0],
					"relation", f[1], "age", f[2], "occupation", f[3], "health",
					*f[4] ? f[4] : "健康", "unemployed", *f[5] != '\0', "income", f[6]);
		json_array_append_new(vm, row);
		if (!any)
			continue;
		const char *problem = NULL;
		char *end;
		long age = strtol(f[2], &end, 10);
		int64_t minc = 0;
		if (!*f[0] || utf8_chars(f[0]) > 32 || has_control(f[0]))
			problem = "请填写成员姓名（最多 32 字）。";
		else if (!*f[1] || utf8_chars(f[1]) > 16)
			problem = "请填写与学生的关系，如 父亲、母亲、祖母。";
		else if (!*f[2] || *end || age < 0 || age > 130)
			problem = "年龄应为 0 到 130 之间的整数。";
		else if (utf8_chars(f[3]) > 64)
			problem = "工作单位或职业最多 64 字。";
		else if (*f[4] && !in_list(f[4], HEALTH))
			problem = "请从列表中选择健康状况。";
		else if (*f[6] && money_parse_yuan(f[6], 0, &minc) != 0)
			problem = "年收入请填金额（元），最多两位小数。";
		if (problem) {
			json_object_set_new(row, "error", json_string(problem));
			json_object_set_new(errors, arena_printf(r->a, "m%d", i), json_string(problem));
			continue;
		}
		json_array_append_new(mm, json_pack("{s:s, s:s, s:i, s:s, s:s, s:i, s:I}", "name", f[0],
						    "relation", f[1], "age", (int)age, "occupation", f[3],
						    "health", *f[4] ? f[4] : "健康", "unemployed", *f[5] != '\0',
						    "income_fen", (json_int_t)minc));
	}
	json_object_set_new(v, "members", vm);
	json_object_set_new(m, "members", mm);

	/* 困难类型 and programmes: only ids offered on the form */
	json_t *mc = json_array(), *mp = json_array(), *vc = json_array(), *vp = json_array();
	size_t n = kv_count(&r->form, "category");
	for (size_t k = 0; k < n; k++) {
		json_int_t id = atoll(kv_get_nth(&r->form, "category", k));
		size_t i;
		json_t *c;
		int found = 0;
		json_array_foreach(cats, i, c) if (jint(c, "id") == id && !found)
		{
			found = 1;
			json_array_append_new(mc, json_pack("{s:I, s:s, s:I, s:I}", "id", id, "name", jstr(c, "name"),
							    "points", jint(c, "points"), "priority", jint(c, "priority")));
			json_array_append_new(vc, json_integer(id));
		}
		if (!found)
			json_object_set_new(errors, "categories", json_string("所选困难类型不在本区的类型列表中，请重新选择。"));
	}
	n = kv_count(&r->form, "programme");
	for (size_t k = 0; k < n; k++) {
		json_int_t id = atoll(kv_get_nth(&r->form, "programme", k));
		size_t i;
		json_t *p;
		int found = 0;
		json_array_foreach(progs, i, p) if (jint(p, "id") == id && !found)
		{
			found = 1;
			const char *code = jstr(p, "code");
			if (strstr(code, "_board") && !strstr(code, "nonboard") && !boarding)
				json_object_set_new(errors, "programmes",
						    json_string("该生在名册中登记为走读，不能申请寄宿生生活补助；如已寄宿，请先修改学生信息。"));
			if (strstr(code, "nonboard") && boarding)
				json_object_set_new(errors, "programmes",
						    json_string("该生在名册中登记为寄宿，应申请寄宿生生活补助而不是非寄宿生生活补助。"));
			json_array_append_new(mp, json_integer(id));
			json_array_append_new(vp, json_integer(id));
		}
		if (!found)
			json_object_set_new(errors, "programmes", json_string("所选资助项目不适用于该生的学段，请重新选择。"));
	}
	json_object_set_new(m, "categories", mc);
	json_object_set_new(m, "programmes", mp);
	json_object_set_new(v, "categories", vc);
	json_object_set_new(v, "programmes", vp);

	if (!submit)
		return;
	/* completeness, only when submitting */
	if (size < 1 && !json_object_get(errors, "household_size"))
		json_object_set_new(errors, "household_size", json_string("提交前请填写家庭人口。"));
	if (!*inc && !json_object_get(errors, "income"))
		json_object_set_new(errors, "income", json_string("提交前请填写家庭年总收入（确实没有收入请填 0）。"));
	if (json_array_size(mm) == 0 && !json_object_get(errors, "m0"))
		json_object_set_new(errors, "m0", json_string("提交前请至少填写一名家庭成员。"));
	else if (size >= 1 && (long)json_array_size(mm) + 1 > size)
		json_object_set_new(errors, "household_size",
				    json_string("家庭人口应包括学生本人，不能少于填写的家庭成员人数加 1，请核对。"));
	if (json_array_size(mc) == 0 && !json_object_get(errors, "categories"))
		json_object_set_new(errors, "categories", json_string("提交前请至少选择一项困难类型。"));
	if (json_array_size(mp) == 0 && !json_object_get(errors, "programmes"))
		json_object_set_new(errors, "programmes", json_string("提交前请至少选择一个申请的资助项目。"));
	if (!*form_str(r, "reason") && !json_object_get(errors, "reason"))
		json_object_set_new(errors, "reason", json_string("提交前请填写申请理由（家庭经济困难的主要情况）。"));
	if (!pledge)
		json_object_set_new(errors, "pledge_confirmed", json_string("提交前须由学生或家长签署承诺书，并在此确认。"));
	else if (!*form_str(r, "pledge_signer") && !json_object_get(errors, "pledge_signer"))
		json_object_set_new(errors, "pledge_signer", json_string("请填写签署承诺书的人（学生本人或监护人）。"));
}

/* Options of the form with the chosen ones marked. */
static json_t *mark(json_t *options, json_t *chosen)
{
	size_t i, k;
	json_t *o, *c;
	json_array_foreach(options, i, o)
	{
		int on = 0;
		json_array_foreach(chosen, k, c) on |= json_integer_value(c) == jint(o, "id");
		json_object_set_new(o, "checked", json_boolean(on));
	}
	return options;
}

/* Values of a saved application for the form. */
static json_t *values_of(json_t *app)
{
	json_t *v = json_object();
	char money[32];
	json_object_set_new(v, "household_size",
			    jint(app, "household_size") ? json_sprintf("%d", (int)jint(app, "household_size")) : json_string(""));
	money_format_yuan(jint(app, "income_fen"), money, sizeof money);
	json_object_set_new(v, "income", json_string(json_is_integer(json_object_get(app, "income_fen")) ? money : ""));
	static const char *const texts[] = {"housing", "major_event", "reason", "officer_summary", "pledge_signer"};
	for (int i = 0; i < 5; i++)
		json_object_set_new(v, texts[i], json_string(jstr(app, texts[i])));
	json_object_set_new(v, "single_parent", json_boolean(jint(app, "single_parent")));
	json_object_set_new(v, "pledge_confirmed", json_boolean(jint(app, "pledge_confirmed")));
	json_t *vm = json_array();
	json_t *members = json_object_get(app, "members");
	for (int i = 0; i < MEMBER_ROWS; i++) {
		json_t *mrow = json_array_get(members, (size_t)i);
		if (mrow) {
			money_format_yuan(jint(mrow, "income_fen"), money, sizeof money);
			json_array_append_new(vm, json_pack("{s:i, s:s, s:s, s:o, s:s, s:s, s:b, s:s}", "i", i, "name",
							    jstr(mrow, "name"), "relation", jstr(mrow, "relation"), "age",
							    json_sprintf("%d", (int)jint(mrow, "age")), "occupation",
							    jstr(mrow, "occupation"), "health", jstr(mrow, "health"),
							    "unemployed", (int)jint(mrow, "unemployed"), "income",
							    jint(mrow, "income_fen") ? money : ""));
		} else {
			json_array_append_new(vm, json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "i", i, "name", "",
							    "relation", "", "age", "", "occupation", "", "health", "健康",
							    "unemployed", 0, "income", ""));
		}
	}
	json_object_set_new(v, "members", vm);
	json_t *ids = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(app, "categories"), i, x) json_array_append(ids, json_object_get(x, "id"));
	json_object_set_new(v, "categories", ids);
	ids = json_array();
	json_array_foreach(json_object_get(app, "programmes"), i, x) json_array_append(ids, json_object_get(x, "id"));
	json_object_set_new(v, "programmes", ids);
	return v;
}

/* The form page. student: the student row (or application row with the
 * student's fields); app_id 0 for a new application. Steals v, errors. */
static int app_form(req_t *r, int status, json_t *student, int64_t district, const char *year,
		    int64_t app_id, json_t *v, json_t *errors)
{
	json_t *c = page_ctx(r, app_id ? "修改认定申请" : "填写认定申请");
	json_object_set_new(c, "categories", mark(categories_for(r, district), json_object_get(v, "categories")));
	json_object_set_new(c, "programmes", mark(programmes_for(r, jstr(student, "stage")), json_object_get(v, "programmes")));
	json_t *housing = json_array();
	for (int i = 0; HOUSING[i]; i++)
		json_array_append_new(housing, json_pack("{s:s, s:b}", "value", HOUSING[i], "selected",
							 strcmp(HOUSING[i], jstr(v, "housing")) == 0));
	json_object_set_new(c, "housing", housing);
	char masked[32];
	mask_idcard(jstr(student, "idcard"), masked, sizeof masked);
	json_object_set_new(c, "student", json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "id",
						    (json_int_t)(app_id ? jint(student, "student_id") : jint(student, "id")),
						    "name", jstr(student, app_id ? "student_name" : "name"),
						    "idcard", masked, "grade", jstr(student, "grade"), "class_name",
						    jstr(student, "class_name"), "stage_name", jstr(student, "stage_name"),
						    "boarding", (int)jint(student, "boarding")));
	json_object_set_new(c, "year", json_string(year));
	if (app_id)
		json_object_set_new(c, "id", json_integer(app_id));
	json_object_set_new(c, "v", v);
	if (errors && json_object_size(errors))
		json_object_set_new(c, "errors", errors);
	else
		json_decref(errors);
	return render(r, status, "applications/form.html", c);
}

/* Write the members, categories and programmes of model m for app id. */
static int save_children(req_t *r, int64_t id, json_t *m)
{
	static const int del[] = {Q_APP_MEMBERS_DELETE, Q_APP_CAT_DELETE, Q_APP_PROG_DELETE};
	for (int i = 0; i < 3; i++) {
		sqlite3_stmt *s = db_stmt(r->db, del[i]);
		sqlite3_bind_int64(s, 1, id);
		if (db_exec_stmt(s) != SQLITE_DONE)
			return -1;
	}
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(m, "members"), i, x)
	{
		sqlite3_stmt *s = db_stmt(r->db, Q_APP_MEMBER_INSERT);
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int(s, 2, (int)i);
		db_bind_text(s, 3, jstr(x, "name"));
		db_bind_text(s, 4, jstr(x, "relation"));
		sqlite3_bind_int64(s, 5, jint(x, "age"));
		db_bind_text(s, 6, jstr(x, "occupation"));
		db_bind_text(s, 7, jstr(x, "health"));
		sqlite3_bind_int64(s, 8, jint(x, "unemployed"));
		sqlite3_bind_int64(s, 9, jint(x, "income_fen"));
		if (db_exec_stmt(s) != SQLITE_DONE)
			return -1;
	}
	json_array_foreach(json_object_get(m, "categories"), i, x)
	{
		sqlite3_stmt *s = db_stmt(r->db, Q_APP_CAT_INSERT);
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, jint(x, "id"));
		if (db_exec_stmt(s) != SQLITE_DONE)
			return -1;
	}
	json_array_foreach(json_object_get(m, "programmes"), i, x)
	{
		sqlite3_stmt *s = db_stmt(r->db, Q_APP_PROG_INSERT);
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, json_integer_value(x));
		if (db_exec_stmt(s) != SQLITE_DONE)
			return -1;
	}
	return 0;
}

/* Bind the application fields of model m from parameter `first` on:
 * household_size income housing major_event single_parent reason
 * officer_summary pledge_confirmed pledge_signer score score_detail. */
static void bind_app(sqlite3_stmt *s, json_t *m, int first)
{
	sqlite3_bind_int64(s, first, jint(m, "household_size"));
	if (json_is_integer(json_object_get(m, "income_fen")))
		sqlite3_bind_int64(s, first + 1, jint(m, "income_fen"));
	else
		sqlite3_bind_null(s, first + 1);
	db_bind_text(s, first + 2, jstr(m, "housing"));
	db_bind_text(s, first + 3, jstr(m, "major_event"));
	sqlite3_bind_int64(s, first + 4, jint(m, "single_parent"));
	db_bind_text(s, first + 5, jstr(m, "reason"));
	db_bind_text(s, first + 6, jstr(m, "officer_summary"));
	sqlite3_bind_int64(s, first + 7, jint(m, "pledge_confirmed"));
	db_bind_text(s, first + 8, jstr(m, "pledge_signer"));
	sqlite3_bind_int64(s, first + 9, jint(m, "score"));
	char *detail = json_dumps(json_object_get(m, "score_detail"), JSON_COMPACT);
	db_bind_text(s, first + 10, detail ? detail : "[]");
	json_text_free(detail);
}

static void compute_score(req_t *r, json_t *m, int64_t district)
{
	json_t *w = weights_for(r, district), *detail = NULL;
	int score = score_compute(m, w, &detail);
	json_object_set_new(m, "score", json_integer(score));
	json_object_set_new(m, "score_detail", detail);
	json_decref(w);
}

/* 1 if the same child (by 身份证号) has a live application for the year
 * under another enrolment: one child, one application a year. */
static int other_enrolment_applied(req_t *r, json_t *st, const char *year)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_APP_SAME_CHILD_YEAR);
	db_bind_text(s, 1, jstr(st, "idcard"));
	db_bind_text(s, 2, year);
	sqlite3_bind_int64(s, 3, jint(st, "id"));
	int found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return found;
}

/* A case sent back by the district goes through the whole review again:
 * the earlier votes, recusals and decisions stay only in the audit trail. */
static int reset_reviews(req_t *r, int64_t id)
{
	static const int q[] = {Q_REVIEW_RESET, Q_REVIEW_RESET_RECUSAL, Q_REVIEW_RESET_CLASS, Q_REVIEW_RESET_SCHOOL};
	for (int i = 0; i < 4; i++) {
		sqlite3_stmt *s = db_stmt(r->db, q[i]);
		sqlite3_bind_int64(s, 1, id);
		if (db_exec_stmt(s) != SQLITE_DONE)
			return -1;
	}
	return 0;
}

/* The student with id sid in the user's scope, or NULL. */
static json_t *student_in_scope(req_t *r, int64_t sid)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_STUDENT_BY_ID);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, sid);
	return db_row(s);
}

/* ---- pages ---- */

int page_app_new(req_t *r)
{
	int64_t sid = atoll(query_str(r, "student"));
	json_t *st = student_in_scope(r, sid);
	if (!st)
		return render_error(r, 404, "没有找到这名学生，或该学生不在您的管理范围内。请从学生名册中选择学生。");
	if (strcmp(jstr(st, "status"), "在读") != 0) {
		json_decref(st);
		return render_error(r, 409, "该学生已不是在读状态，不能填写新的认定申请。");
	}
	char year[10];
	school_year_of(today_yyyymmdd(), year);
	sqlite3_stmt *e = db_stmt(r->db, Q_APP_ID_FOR_YEAR);
	sqlite3_bind_int64(e, 1, sid);
	db_bind_text(e, 2, year);
	json_t *existing = db_row(e);
	if (existing) {
		const char *to = arena_printf(r->a, "/applications/%lld", (long long)jint(existing, "id"));
		json_decref(existing);
		json_decref(st);
		return resp_redirect(r, to);
	}
	if (other_enrolment_applied(r, st, year)) {
		json_decref(st);
		return render_error(r, 409, "这名学生本学年已经在其他学校（或以前的学籍）提交过认定申请，不能重复申请。"
					    "如学生已转学，请联系原学校撤回后再申请。");
	}
	json_t *blank = json_pack("{s:[], s:[], s:[], s:n}", "members", "categories", "programmes", "income_fen");
	json_t *v = values_of(blank);
	json_decref(blank);
	int rc = app_form(r, 200, st, district_of(r, r->user->org_id), year, 0, v, NULL);
	json_decref(st);
	return rc;
}

int page_app_create(req_t *r)
{
	int64_t sid = atoll(form_str(r, "student_id"));
	json_t *st = student_in_scope(r, sid);
	if (!st || strcmp(jstr(st, "status"), "在读") != 0) {
		json_decref(st);
		return render_error(r, 404, "没有找到这名在读学生，或该学生不在您的管理范围内。");
	}
	char year[10];
	school_year_of(today_yyyymmdd(), year);
	int64_t district = district_of(r, r->user->org_id);
	json_t *cats = categories_for(r, district), *progs = programmes_for(r, jstr(st, "stage"));
	int submit = strcmp(form_str(r, "action"), "submit") == 0;
	json_t *v = json_object(), *m = json_object(), *errors = json_object();
	read_form(r, cats, progs, (int)jint(st, "boarding"), submit, v, m, errors);
	json_decref(cats);
	json_decref(progs);
	if (json_object_size(errors)) {
		json_decref(m);
		int rc = app_form(r, 400, st, district, year, 0, v, errors);
		json_decref(st);
		return rc;
	}
	json_decref(errors);
	compute_score(r, m, district);
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	sqlite3_stmt *dup = db_stmt(r->db, Q_APP_ID_FOR_YEAR);
	sqlite3_bind_int64(dup, 1, sid);
	db_bind_text(dup, 2, year);
	json_t *existing = db_row(dup);
	if (existing) {
		/* a second tab or a double click: keep the first one */
		const char *to = arena_printf(r->a, "/applications/%lld", (long long)jint(existing, "id"));
		json_decref(existing);
		db_rollback(r->db);
		json_decref(v);
		json_decref(m);
		json_decref(st);
		return resp_redirect(r, to);
	}
	if (other_enrolment_applied(r, st, year)) {
		db_rollback(r->db);
		json_decref(v);
		json_decref(m);
		json_decref(st);
		return render_error(r, 409, "这名学生本学年已经在其他学校（或以前的学籍）提交过认定申请，不能重复申请。");
	}
	sqlite3_stmt *ins = db_stmt(r->db, Q_APP_INSERT);
	sqlite3_bind_int64(ins, 1, sid);
	sqlite3_bind_int64(ins, 2, r->user->org_id);
	db_bind_text(ins, 3, year);
	bind_app(ins, m, 4);
	sqlite3_bind_int64(ins, 15, r->user->id);
	if (db_exec_stmt(ins) != SQLITE_DONE)
		goto fail;
	int64_t id = sqlite3_last_insert_rowid(db_handle(r->db));
	if (save_children(r, id, m) != 0)
		goto fail;
	if (submit) {
		sqlite3_stmt *u = db_stmt(r->db, Q_APP_SET_STATUS);
		sqlite3_bind_int64(u, 1, id);
		db_bind_text(u, 2, "draft");
		db_bind_text(u, 3, "submitted");
		if (db_exec_stmt(u) != SQLITE_DONE)
			goto fail;
	}
	json_object_set_new(m, "status", json_string(submit ? "submitted" : "draft"));
	json_t *after = audit_view(m);
	int rc = audit(r, submit ? "application.submit" : "application.create", "application", id,
		       r->user->org_id, NULL, after);
	json_decref(after);
	if (rc != 0 || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(v);
	json_decref(m);
	json_decref(st);
	flash_set(r, submit ? "app_submitted" : "app_saved");
	return resp_redirect(r, arena_printf(r->a, "/applications/%lld", (long long)id));
fail:
	json_decref(v);
	json_decref(m);
	json_decref(st);
	return -1;
}

/* The application if the officer may still change it (draft or returned). */
static json_t *editable_app(req_t *r)
{
	json_t *app = load_app(r, r->id);
	if (!app) {
		render_error(r, 404, "没有找到这份申请，或它不在您的管理范围内。");
		return NULL;
	}
	const char *st = jstr(app, "status");
	if (strcmp(st, "draft") != 0 && strcmp(st, "returned") != 0) {
		render_error(r, 409, arena_printf(r->a, "这份申请当前状态为“%s”，不能再修改。%s", app_status_label(st),
						  strcmp(st, "withdrawn") == 0 ? "如需修改，请先重新打开。"
						  : strcmp(st, "submitted") == 0 ? "如需修改，请先撤回。" : ""));
		json_decref(app);
		return NULL;
	}
	if (strcmp(jstr(app, "student_status"), "在读") != 0) {
		render_error(r, 409, "该学生已不在本校在读（已转出或毕业），这份申请不能再修改或提交。");
		json_decref(app);
		return NULL;
	}
	return full_app(r, app);
}

int page_app_edit(req_t *r)
{
	json_t *app = editable_app(r);
	if (!app)
		return 0;
	json_t *v = values_of(app);
	int rc = app_form(r, 200, app, jint(app, "district_id"), jstr(app, "school_year"), r->id, v, NULL);
	json_decref(app);
	return rc;
}

int page_app_update(req_t *r)
{
	json_t *app = editable_app(r);
	if (!app)
		return 0;
	int64_t district = jint(app, "district_id");
	json_t *cats = categories_for(r, district), *progs = programmes_for(r, jstr(app, "stage"));
	int submit = strcmp(form_str(r, "action"), "submit") == 0;
	json_t *v = json_object(), *m = json_object(), *errors = json_object();
	read_form(r, cats, progs, (int)jint(app, "boarding"), submit, v, m, errors);
	json_decref(cats);
	json_decref(progs);
	if (json_object_size(errors)) {
		json_decref(m);
		int rc = app_form(r, 400, app, district, jstr(app, "school_year"), r->id, v, errors);
		json_decref(app);
		return rc;
	}
	json_decref(errors);
	compute_score(r, m, district);
	json_t *before = audit_view(app);
	const char *from = jstr(app, "status");
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	sqlite3_stmt *u = db_stmt(r->db, Q_APP_UPDATE);
	sqlite3_bind_int64(u, 1, r->id);
	bind_app(u, m, 2);
	if (db_exec_stmt(u) != SQLITE_DONE)
		goto fail;
	if (sqlite3_changes(db_handle(r->db)) != 1) {
		/* submitted meanwhile (another tab, another officer) */
		db_rollback(r->db);
		json_decref(before);
		json_decref(v);
		json_decref(m);
		json_decref(app);
		return render_error(r, 409, "这份申请刚刚已被提交或修改，您这次的修改没有保存。请刷新页面查看最新状态。");
	}
	if (save_children(r, r->id, m) != 0)
		goto fail;
	if (submit) {
		sqlite3_stmt *st = db_stmt(r->db, Q_APP_SET_STATUS);
		sqlite3_bind_int64(st, 1, r->id);
		db_bind_text(st, 2, from);
		db_bind_text(st, 3, "submitted");
		if (db_exec_stmt(st) != SQLITE_DONE)
			goto fail;
		if (strcmp(from, "returned") == 0 && reset_reviews(r, r->id) != 0)
			goto fail;
	}
	json_object_set_new(m, "status", json_string(submit ? "submitted" : from));
	json_t *after = audit_view(m);
	int rc = audit(r, submit ? "application.submit" : "application.update", "application", r->id,
		       jint(app, "school_id"), before, after);
	json_decref(after);
	if (rc != 0 || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(before);
	json_decref(v);
	json_decref(m);
	json_decref(app);
	flash_set(r, submit ? "app_submitted" : "app_saved");
	return resp_redirect(r, arena_printf(r->a, "/applications/%lld", (long long)r->id));
fail:
	json_decref(before);
	json_decref(v);
	json_decref(m);
	json_decref(app);
	return -1;
}

/* Chinese names of the steps in an application's history. */
static const char *action_label(const char *a)
{
	static const char *const map[][2] = {
		{"application.create", "填写申请"},     {"application.update", "修改申请"},
		{"application.submit", "提交申请"},     {"application.withdraw", "撤回申请"},
		{"application.reopen", "重新打开"},     {"application.print", "打印申请表"},
		{"review.class_vote", "班级评议投票"},  {"review.recusal", "评议回避"},
		{"review.class", "班级评议完成"},       {"review.school", "学校审核"},
		{"review.district_approve", "区教育局批准"}, {"review.district_return", "区教育局退回"},
		{"review.adjust", "动态调整"},          {"award.end", "终止资助"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(a, map[i][0]) == 0)
			return map[i][1];
	return a;
}

/* Mark an application for display: status label, masked numbers, money. */
/* What a row of the list shows of an application: its status in words and,
 * unless full_id, the 身份证号 masked. */
static void decorate_row(json_t *app, int full_id)
{
	json_object_set_new(app, "status_label", json_string(app_status_label(jstr(app, "status"))));
	if (!full_id) {
		char masked[32];
		mask_idcard(jstr(app, "idcard"), masked, sizeof masked);
		json_object_set_new(app, "idcard", json_string(masked));
	}
}

static void decorate(json_t *app, int full_id)
{
	decorate_row(app, full_id);
	if (!full_id) {
		char masked[32];
		mask_phone(jstr(app, "phone"), masked, sizeof masked);
		json_object_set_new(app, "phone", json_string(masked));
	}
	json_int_t size = jint(app, "household_size");
	if (size && json_is_integer(json_object_get(app, "income_fen")))
		json_object_set_new(app, "per_capita_fen", json_integer(jint(app, "income_fen") / size));
	json_error_t e;
	json_t *detail = json_loads(jstr(app, "score_detail"), 0, &e);
	json_object_set_new(app, "score_items", detail ? detail : json_array());
}

int page_app_show(req_t *r)
{
	json_t *app = load_app(r, r->id);
	if (!app)
		return render_error(r, 404, "没有找到这份申请，或它不在您的管理范围内。");
	full_app(r, app);
	decorate(app, 0);
	json_object_set_new(app, "evidence", rows_of(r, Q_EVIDENCE_LIST, r->id));
	json_object_set_new(app, "awards", rows_of(r, Q_AWARDS_OF_APP, r->id));
	json_t *hist = rows_of(r, Q_APP_HISTORY, r->id);
	size_t hi;
	json_t *h;
	json_array_foreach(hist, hi, h)
		json_object_set_new(h, "label", json_string(action_label(jstr(h, "action"))));
	json_object_set_new(app, "history", hist);
	const char *st = jstr(app, "status");
	int officer = (r->user->role_bit & ROLE_OFFICER) != 0;
	json_t *c = page_ctx(r, "认定申请");
	json_object_set_new(c, "can_edit", json_boolean(officer && (!strcmp(st, "draft") || !strcmp(st, "returned"))));
	json_object_set_new(c, "can_submit", json_boolean(officer && (!strcmp(st, "draft") || !strcmp(st, "returned"))));
	json_object_set_new(c, "can_withdraw", json_boolean(officer && !strcmp(st, "submitted")));
	json_object_set_new(c, "can_reopen", json_boolean(officer && !strcmp(st, "withdrawn")));
	json_object_set_new(c, "can_end", json_boolean(officer));
	json_object_set_new(c, "app", app);
	return render(r, 200, "applications/show.html", c);
}

/* POST /applications/:id/submit: the saved draft, checked for completeness. */
int page_app_submit(req_t *r)
{
	json_t *app = editable_app(r);
	if (!app)
		return 0;
	/* check the saved values with the same rules as the form */
	json_t *v = values_of(app);
	json_t *errors = json_object();
	if (jint(app, "household_size") < 1 ||
	    (json_int_t)json_array_size(json_object_get(app, "members")) + 1 > jint(app, "household_size"))
		json_object_set_new(errors, "household_size", json_string("家庭人口（含学生本人）"));
	if (!json_is_integer(json_object_get(app, "income_fen")))
		json_object_set_new(errors, "income", json_string("家庭年总收入"));
	if (json_array_size(json_object_get(app, "members")) == 0)
		json_object_set_new(errors, "m0", json_string("家庭成员"));
	if (json_array_size(json_object_get(app, "categories")) == 0)
		json_object_set_new(errors, "categories", json_string("困难类型"));
	if (json_array_size(json_object_get(app, "programmes")) == 0)
		json_object_set_new(errors, "programmes", json_string("申请项目"));
	if (!*jstr(app, "reason"))
		json_object_set_new(errors, "reason", json_string("申请理由"));
	if (!jint(app, "pledge_confirmed") || !*jstr(app, "pledge_signer"))
		json_object_set_new(errors, "pledge_confirmed", json_string("承诺书"));
	if (json_object_size(errors)) {
		buf_t b = BUF_INIT;
		const char *k;
		json_t *x;
		json_object_foreach(errors, k, x)
		{
			buf_puts(&b, b.len ? "、" : "");
			buf_puts(&b, json_string_value(x));
		}
		const char *msg = arena_printf(r->a, "申请还不完整，不能提交：请先在申请页面点“修改”，补全%s，然后再提交。", buf_cstr(&b));
		buf_free(&b);
		json_decref(v);
		json_decref(errors);
		json_decref(app);
		return render_error(r, 400, msg);
	}
	json_decref(v);
	json_decref(errors);
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	sqlite3_stmt *s = db_stmt(r->db, Q_APP_SET_STATUS);
	sqlite3_bind_int64(s, 1, r->id);
	db_bind_text(s, 2, jstr(app, "status"));
	db_bind_text(s, 3, "submitted");
	if (db_exec_stmt(s) != SQLITE_DONE)
		goto fail;
	if (sqlite3_changes(db_handle(r->db)) != 1) {
		db_rollback(r->db);
		json_decref(app);
		return render_error(r, 409, "这份申请的状态刚刚已经改变，请刷新页面查看。");
	}
	if (strcmp(jstr(app, "status"), "returned") == 0 && reset_reviews(r, r->id) != 0)
		goto fail;
	json_t *before = json_pack("{s:s}", "status", jstr(app, "status"));
	json_t *after = json_pack("{s:s}", "status", "submitted");
	int rc = audit(r, "application.submit", "application", r->id, jint(app, "school_id"), before, after);
	json_decref(before);
	json_decref(after);
	if (rc != 0 || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(app);
	flash_set(r, "app_submitted");
	return resp_redirect(r, arena_printf(r->a, "/applications/%lld", (long long)r->id));
fail:
	json_decref(app);
	return -1;
}

/* A plain status change from one state to another, audited. */
static int change_status(req_t *r, const char *from, const char *to, const char *action,
			 const char *flash, const char *refusal)
{
	json_t *app = load_app(r, r->id);
	if (!app)
		return render_error(r, 404, "没有找到这份申请，或它不在您的管理范围内。");
	if (strcmp(jstr(app, "status"), from) != 0) {
		int rc = render_error(r, 409, refusal);
		json_decref(app);
		return rc;
	}
	int64_t school = jint(app, "school_id");
	json_decref(app);
	if (db_begin(r->db) != SQLITE_OK)
		return -1;
	sqlite3_stmt *s = db_stmt(r->db, Q_APP_SET_STATUS);
	sqlite3_bind_int64(s, 1, r->id);
	db_bind_text(s, 2, from);
	db_bind_text(s, 3, to);
	if (db_exec_stmt(s) != SQLITE_DONE)
		return -1;
	if (sqlite3_changes(db_handle(r->db)) != 1) {
		db_rollback(r->db);
		return render_error(r, 409, refusal);
	}
	json_t *before = json_pack("{s:s}", "status", from), *after = json_pack("{s:s}", "status", to);
	int rc = audit(r, action, "application", r->id, school, before, after);
	json_decref(before);
	json_decref(after);
	if (rc != 0 || db_commit(r->db) != SQLITE_OK)
		return -1;
	flash_set(r, flash);
	return resp_redirect(r, arena_printf(r->a, "/applications/%lld", (long long)r->id));
}

int page_app_withdraw(req_t *r)
{
	return change_status(r, "submitted", "withdrawn", "application.withdraw", "app_withdrawn",
			     "只有“已提交”且尚未评议的申请可以撤回。");
}

int page_app_reopen(req_t *r)
{
	return change_status(r, "withdrawn", "draft", "application.reopen", "app_reopened",
			     "只有已撤回的申请可以重新打开。");
}

int page_app_print(req_t *r)
{
	json_t *app = load_app(r, r->id);
	if (!app)
		return render_error(r, 404, "没有找到这份申请，或它不在您的管理范围内。");
	/* the school's own officer prints the whole 身份证号 for the paper
	 * archive; that print is written to the audit trail */
	int full = (r->user->role_bit & ROLE_OFFICER) != 0;
	full_app(r, app);
	decorate(app, full);
	if (full) {
		if (db_begin(r->db) != SQLITE_OK ||
		    audit(r, "application.print", "application", r->id, jint(app, "school_id"), NULL, NULL) != 0 ||
		    db_commit(r->db) != SQLITE_OK) {
			json_decref(app);
			return -1;
		}
	}
	json_t *c = page_ctx(r, "家庭经济困难学生认定申请表");
	json_object_set_new(c, "categories_all", categories_for(r, jint(app, "district_id")));
	json_t *chosen = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(app, "categories"), i, x) json_array_append(chosen, json_object_get(x, "id"));
	mark(json_object_get(c, "categories_all"), chosen);
	json_decref(chosen);
	json_object_set_new(c, "app", app);
	return render_bare(r, 200, "applications/print.html", c);
}

/* ---- the list ---- */

int page_apps(req_t *r)
{
	const char *status = query_str(r, "status"), *year = query_str(r, "year");
	/* one 学年 at a time: the current one unless another is asked for */
	char cur[10], prev[10];
	school_year_of(today_yyyymmdd(), cur);
	school_year_of(today_yyyymmdd() - 10000, prev);
	if (!school_year_ok(year))
		year = cur;
	const char *grade = query_str(r, "grade"), *klass = query_str(r, "class"), *q = query_str(r, "q");
	long page = query_page(r);
	/* without a class or name filter the count comes from app_count */
	int by_groups = !*klass && !*q;
	sqlite3_stmt *cnt = db_stmt(r->db, !by_groups ? Q_APP_COUNT : *status ? Q_APP_COUNT_GROUPS : Q_APP_COUNT_GROUPS_ANY);
	/* with a status and a grade, the page in its order from the index (see APP_ROW) */
	sqlite3_stmt *s = db_stmt(r->db, *status && *grade ? Q_APP_PAGE_EXACT : Q_APP_PAGE);
	sqlite3_stmt *both[2] = {cnt, s};
	for (int k = 0; k < 2; k++) {
		db_bind_text(both[k], 1, scope_path(r));
		db_bind_text(both[k], 2, status);
		db_bind_text(both[k], 3, year);
		db_bind_text(both[k], 4, grade);
		if (k == 1 || !by_groups) {
			db_bind_text(both[k], 5, klass);
			db_bind_text(both[k], 6, q);
		}
	}
	long total = 0;
	if (sqlite3_step(cnt) == SQLITE_ROW)
		total = (long)sqlite3_column_int64(cnt, 0);
	sqlite3_reset(cnt);
	sqlite3_bind_int(s, 7, PER_PAGE);
	sqlite3_bind_int64(s, 8, (page - 1) * PER_PAGE);
	json_t *rows = db_rows(s);
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		decorate_row(row, 0);
		json_object_set_new(row, "seq", json_integer((json_int_t)((page - 1) * PER_PAGE + (long)i + 1)));
	}
	json_t *statuses = json_array();
	static const char *const ST[] = {"draft", "submitted", "withdrawn", "returned", "class_reviewed",
					 "school_reviewed", "approved", "rejected"};
	for (int k = 0; k < 8; k++)
		json_array_append_new(statuses, json_pack("{s:s, s:s, s:b}", "value", ST[k], "label",
							  app_status_label(ST[k]), "selected", strcmp(ST[k], status) == 0));
	json_t *years = json_pack("[{s:s, s:b}, {s:s, s:b}]", "value", cur, "selected", strcmp(cur, year) == 0,
				  "value", prev, "selected", strcmp(prev, year) == 0);
	if (strcmp(year, cur) != 0 && strcmp(year, prev) != 0)
		json_array_append_new(years, json_pack("{s:s, s:b}", "value", year, "selected", 1));
	json_t *c = page_ctx(r, "认定申请");
	json_object_set_new(c, "rows", rows);
	json_object_set_new(c, "statuses", statuses);
	json_object_set_new(c, "years", years);
	json_object_set_new(c, "q", json_string(q));
	json_object_set_new(c, "grade", json_string(grade));
	json_object_set_new(c, "klass", json_string(klass));
	json_object_set_new(c, "filtered", json_boolean(*status || strcmp(year, cur) != 0 || *grade || *klass || *q));
	json_object_set_new(c, "show_school", json_boolean(strcmp(r->user->org_kind, "school") != 0));
	pager_set(r, c, page, PER_PAGE, total);
	return render(r, 200, "applications/list.html", c);
}

/* ---- evidence ---- */

/* Inside a transaction: is application id still a draft or returned? */
static int still_editable(req_t *r, int64_t id)
{
	json_t *a = load_app(r, id);
	int ok = a && (strcmp(jstr(a, "status"), "draft") == 0 || strcmp(jstr(a, "status"), "returned") == 0);
	json_decref(a);
	return ok;
}

int page_evidence_upload(req_t *r)
{
	json_t *app = editable_app(r);
	if (!app)
		return 0;
	const upload_t *f = NULL;
	for (size_t i = 0; i < r->files.n; i++)
		if (strcmp(r->files.v[i].field, "file") == 0)
			f = &r->files.v[i];
	const char *type = f ? document_type(f->data, f->len) : NULL;
	const char *problem = !f ? "请选择要上传的文件。"
			      : f->len == 0 ? "上传的文件是空的，请重新选择。"
			      : f->len > DOCUMENT_MAX_BYTES ? "证明材料文件过大（单个文件最多 10 MB）。请降低扫描分辨率或压缩图片后重新上传。"
			      : !type ? "只能上传 PDF、JPG 或 PNG 文件（按文件内容判断，不看扩展名）。请把证明材料扫描或拍照后另存为这三种格式之一。"
			      : utf8_chars(f->filename) > 100 ? "文件名过长，请改短（最多 100 字）后重新上传。"
			      : NULL;
	if (problem) {
		json_decref(app);
		return render_error(r, f->len > DOCUMENT_MAX_BYTES ? 413 : 400, problem);
	}
	char hash[65];
	sha256_hex(f->data, f->len, hash);
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	if (!still_editable(r, r->id)) {
		db_rollback(r->db);
		json_decref(app);
		return render_error(r, 409, "申请刚刚已经提交，证明材料不能再上传。如需补充，请先撤回。");
	}
	sqlite3_stmt *s = db_stmt(r->db, Q_EVIDENCE_INSERT);
	sqlite3_bind_int64(s, 1, r->id);
	db_bind_text(s, 2, f->filename);
	db_bind_text(s, 3, type);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)f->len);
	db_bind_text(s, 5, hash);
	sqlite3_bind_blob64(s, 6, f->data, f->len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, r->user->id);
	if (db_exec_stmt(s) != SQLITE_DONE)
		goto fail;
	int64_t eid = sqlite3_last_insert_rowid(db_handle(r->db));
	json_t *after = json_pack("{s:I, s:s, s:s, s:I, s:s}", "application_id", (json_int_t)r->id, "filename",
				  f->filename, "content_type", type, "size", (json_int_t)f->len, "sha256", hash);
	int rc = audit(r, "evidence.upload", "evidence", eid, jint(app, "school_id"), NULL, after);
	json_decref(after);
	if (rc != 0 || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(app);
	flash_set(r, "evidence_added");
	return resp_redirect(r, arena_printf(r->a, "/applications/%lld#evidence", (long long)r->id));
fail:
	json_decref(app);
	return -1;
}

static json_t *load_evidence(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_EVIDENCE_GET);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, r->id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return NULL;
	}
	json_t *e = json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:I}", "id", sqlite3_column_int64(s, 0),
			      "application_id", sqlite3_column_int64(s, 1), "filename",
			      (const char *)sqlite3_column_text(s, 2), "content_type",
			      (const char *)sqlite3_column_text(s, 3), "size", sqlite3_column_int64(s, 4),
			      "sha256", (const char *)sqlite3_column_text(s, 5), "status",
			      (const char *)sqlite3_column_text(s, 7), "school_id", sqlite3_column_int64(s, 8));
	sqlite3_reset(s);
	return e;
}

int page_evidence_download(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_EVIDENCE_GET);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, r->id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return render_error(r, 404, "没有找到这份证明材料，或它不在您的管理范围内。");
	}
	const char *name = (const char *)sqlite3_column_text(s, 2);
	const char *type = (const char *)sqlite3_column_text(s, 3);
	int64_t school = sqlite3_column_int64(s, 8);
	buf_reset(&r->body);
	buf_append(&r->body, sqlite3_column_blob(s, 6), (size_t)sqlite3_column_bytes(s, 6));
	buf_t cd = BUF_INIT;
	buf_puts(&cd, "attachment; filename=\"evidence-");
	buf_printf(&cd, "%lld", (long long)r->id);
	buf_puts(&cd, strcmp(type, "application/pdf") == 0 ? ".pdf\"" : strcmp(type, "image/png") == 0 ? ".png\"" : ".jpg\"");
	buf_puts(&cd, "; filename*=UTF-8''");
	url_escape(&cd, name, strlen(name));
	r->ctype = arena_strdup(r->a, type);
	sqlite3_reset(s);
	resp_header(r, "Content-Disposition", buf_cstr(&cd));
	resp_header(r, "Cache-Control", "private, no-store");
	buf_free(&cd);
	/* who looked at a family's documents is recorded */
	if (db_begin(r->db) != SQLITE_OK ||
	    audit(r, "evidence.download", "evidence", r->id, school, NULL, NULL) != 0 ||
	    db_commit(r->db) != SQLITE_OK)
		return -1;
	r->status = 200;
	return 0;
}

int page_evidence_delete(req_t *r)
{
	json_t *e = load_evidence(r);
	if (!e)
		return render_error(r, 404, "没有找到这份证明材料，或它不在您的管理范围内。");
	const char *st = jstr(e, "status");
	int64_t app = jint(e, "application_id");
	if (strcmp(st, "draft") != 0 && strcmp(st, "returned") != 0) {
		json_decref(e);
		return render_error(r, 409, "申请已提交，证明材料不能删除。如需更换，请先撤回申请。");
	}
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	sqlite3_stmt *s = db_stmt(r->db, Q_EVIDENCE_DELETE);
	sqlite3_bind_int64(s, 1, r->id);
	if (db_exec_stmt(s) != SQLITE_DONE)
		goto fail;
	json_t *before = json_pack("{s:O, s:O, s:O}", "filename", json_object_get(e, "filename"), "sha256",
				   json_object_get(e, "sha256"), "size", json_object_get(e, "size"));
	int rc = audit(r, "evidence.delete", "evidence", r->id, jint(e, "school_id"), before, NULL);
	json_decref(before);
	if (rc != 0 || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(e);
	flash_set(r, "evidence_removed");
	return resp_redirect(r, arena_printf(r->a, "/applications/%lld#evidence", (long long)app));
fail:
	json_decref(e);
	return -1;
}
